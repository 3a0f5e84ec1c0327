/* kith undo and kith redo: the command line's own changes. */
#ifndef KITH_CLI_HISTORY_H
#define KITH_CLI_HISTORY_H

#include "kith/cli/cli.h"

int cli_undo(int argc, char **argv, const struct cli_globals *g);
int cli_redo(int argc, char **argv, const struct cli_globals *g);

#endif
