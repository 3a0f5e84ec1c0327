/* Commands for giving first: pay it forward, ideas for today's act, and the
 * trends of it all. */
#ifndef KITH_CLI_GIVE_H
#define KITH_CLI_GIVE_H

#include "kith/cli/cli.h"

int cli_forward(int argc, char **argv, const struct cli_globals *g);
int cli_ideas(int argc, char **argv, const struct cli_globals *g);
int cli_stats(int argc, char **argv, const struct cli_globals *g);

#endif
