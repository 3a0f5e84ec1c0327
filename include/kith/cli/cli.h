/* The command line: global options, opening the journal, and the
 * non-interactive subcommands. */
#ifndef KITH_CLI_H
#define KITH_CLI_H

#include "kith/config/config.h"
#include "kith/core/journal.h"

struct cli_globals {
    const char *db_path;     /* --db, or NULL */
    const char *config_path; /* --config, or NULL */
    const char *theme;       /* --theme, or NULL */
    int no_color;            /* --no-color or NO_COLOR */
    int argi;                /* index in argv of the command; argc when none */
    /* How cli_open records the command's changes (enum dbhistory_mode),
     * and the words its undo history shows ("kith edit ana --title CTO");
     * cli_run sets them per command. */
    int history;
    char history_label[256];
};

/* Parses the options before the command. Returns -1 when the caller should
 * go on, or an exit status when it has handled everything (--help,
 * --version, a usage error, which it reports on stderr). */
int cli_parse_globals(int argc, char **argv, struct cli_globals *g);
/* "kith" with the options that name the journal as the user gave them
 * (--db PATH, else --config PATH), shell-quoted: what a message puts
 * before a command it suggests, so that the command pasted acts on the
 * same journal. New string: free(). */
char *cli_command(const struct cli_globals *g);
/* Loads the config (--config, $KITH_CONFIG, the default path, or the
 * built-in defaults) and opens the journal (--db, $KITH_DB, the config's
 * database, the default path). On success the caller owns *cfg and *j.
 * K_NOTFOUND ("no journal at ... yet") when there is no journal and
 * journal_flags has no JOURNAL_CREATE. */
int cli_open(const struct cli_globals *g, int journal_flags, struct config **cfg,
             struct journal **j, struct kerr *e);
/* The config and the journal's path as cli_open finds them, without
 * opening the journal. On success the caller owns *cfg and *db_path
 * (free()). */
int cli_locate(const struct cli_globals *g, struct config **cfg, char **db_path, struct kerr *e);
/* Runs the command at argv[g->argi]; returns the exit status. */
int cli_run(int argc, char **argv, const struct cli_globals *g);
/* The name of the i-th command, or NULL past the last (for completion). */
const char *cli_command_name(size_t i);
/* Prints an error for status/e on stderr as "kith: message", escaped. */
void cli_error(const struct kerr *e);

#endif
