/* Commands about contacts: add, edit, rm, list, show, search, ledger. Each
 * takes the words from the command name on (argv[0] is the command) and
 * returns the exit status. */
#ifndef KITH_CLI_CONTACT_H
#define KITH_CLI_CONTACT_H

#include "kith/cli/cli.h"

int cli_add(int argc, char **argv, const struct cli_globals *g);
int cli_edit(int argc, char **argv, const struct cli_globals *g);
int cli_rm(int argc, char **argv, const struct cli_globals *g);
int cli_list(int argc, char **argv, const struct cli_globals *g);
int cli_show(int argc, char **argv, const struct cli_globals *g);
int cli_search(int argc, char **argv, const struct cli_globals *g);
int cli_ledger(int argc, char **argv, const struct cli_globals *g);

#endif
