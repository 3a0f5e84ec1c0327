/* Commands about interactions: log and timeline. */
#ifndef KITH_CLI_LOG_H
#define KITH_CLI_LOG_H

#include "kith/cli/cli.h"

int cli_log(int argc, char **argv, const struct cli_globals *g);
int cli_timeline(int argc, char **argv, const struct cli_globals *g);

#endif
