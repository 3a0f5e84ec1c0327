/* kith sync DIR [--git] [--json] and kith sync status [--json]. Returns the
 * exit status (0 done, 1 failed, 2 usage). */
#ifndef KITH_CLI_SYNC_H
#define KITH_CLI_SYNC_H

#include "kith/cli/cli.h"

int cli_sync(int argc, char **argv, const struct cli_globals *g);

#endif
