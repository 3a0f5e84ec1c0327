/* Commands for likely duplicates: dupes lists them, merge makes two
 * contacts one. argv[0] is the command's name; each returns the exit
 * status (0 done, 1 failed, 2 usage). */
#ifndef KITH_CLI_DUPES_H
#define KITH_CLI_DUPES_H

#include "kith/cli/cli.h"

int cli_dupes(int argc, char **argv, const struct cli_globals *g);
int cli_merge(int argc, char **argv, const struct cli_globals *g);

#endif
