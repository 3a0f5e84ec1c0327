/* The vdir commands: kith vdir DIR, kith import vdir DIR, kith export vdir
 * [--calendar] DIR. argv[0] is the command's name ("vdir", "import",
 * "export"); each returns the exit status (0 done, 1 failed, 2 usage). */
#ifndef KITH_CLI_VDIR_H
#define KITH_CLI_VDIR_H

#include "kith/cli/cli.h"

int cli_vdir(int argc, char **argv, const struct cli_globals *g);
int cli_import_vdir(int argc, char **argv, const struct cli_globals *g);
int cli_export_vdir(int argc, char **argv, const struct cli_globals *g);

#endif
