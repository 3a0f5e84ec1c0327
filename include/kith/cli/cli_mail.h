/* Commands for mail and the shell: query (mutt, neomutt and aerc address
 * completion), log --from-mail, capture maildir and complete. */
#ifndef KITH_CLI_MAIL_H
#define KITH_CLI_MAIL_H

#include "kith/cli/cli.h"
#include "kith/cli/cli_util.h"

int cli_query(int argc, char **argv, const struct cli_globals *g);
int cli_capture(int argc, char **argv, const struct cli_globals *g);
int cli_complete(int argc, char **argv, const struct cli_globals *g);
/* kith log --from-mail, once cli_log has parsed its words into c: reads
 * one message on standard input. Returns a status for cli_cmd_end. */
int cli_log_mail(struct cli_cmd *c, const struct cli_globals *g);

#endif
