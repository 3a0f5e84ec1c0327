/* Commands about referrals and thank-yous: refer, outcome, thank,
 * referrals, trail. */
#ifndef KITH_CLI_REFERRAL_H
#define KITH_CLI_REFERRAL_H

#include "kith/cli/cli.h"

int cli_refer(int argc, char **argv, const struct cli_globals *g);
int cli_outcome(int argc, char **argv, const struct cli_globals *g);
int cli_thank(int argc, char **argv, const struct cli_globals *g);
int cli_referrals(int argc, char **argv, const struct cli_globals *g);
int cli_trail(int argc, char **argv, const struct cli_globals *g);

#endif
