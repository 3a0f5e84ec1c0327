/* Commands about the networking challenge and the demo journal. */
#ifndef KITH_CLI_CHALLENGE_H
#define KITH_CLI_CHALLENGE_H

#include "kith/cli/cli.h"

int cli_challenge(int argc, char **argv, const struct cli_globals *g);
int cli_tick(int argc, char **argv, const struct cli_globals *g);
int cli_demo(int argc, char **argv, const struct cli_globals *g);

#endif
