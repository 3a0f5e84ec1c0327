/* Commands about the day: reminders from the rules, marking them done or
 * snoozed, notifications, and the configuration file. */
#ifndef KITH_CLI_TODAY_H
#define KITH_CLI_TODAY_H

#include "kith/cli/cli.h"

/* kith today [--json] [--notify] */
int cli_today(int argc, char **argv, const struct cli_globals *g);
/* kith remind done ID | kith remind snooze ID --days N */
int cli_remind(int argc, char **argv, const struct cli_globals *g);
/* kith config check [PATH] | path | defaults */
int cli_config(int argc, char **argv, const struct cli_globals *g);

#endif
