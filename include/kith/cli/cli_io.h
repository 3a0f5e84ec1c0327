/* Commands that move data in and out of the journal: import, export,
 * backup, restore and check. argv[0] is the command's name; each returns the exit status
 * (0 done, 1 failed, 2 usage). */
#ifndef KITH_CLI_IO_H
#define KITH_CLI_IO_H

#include "kith/cli/cli.h"

int cli_import(int argc, char **argv, const struct cli_globals *g);
int cli_export(int argc, char **argv, const struct cli_globals *g);
int cli_backup(int argc, char **argv, const struct cli_globals *g);
int cli_restore(int argc, char **argv, const struct cli_globals *g);
int cli_check(int argc, char **argv, const struct cli_globals *g);

#endif
