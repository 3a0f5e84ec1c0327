/* Helpers shared by the command-line modules: option parsing, reading
 * values, and writing aligned, escaped, optionally colored output. */
#ifndef KITH_CLI_UTIL_H
#define KITH_CLI_UTIL_H

#include "kith/cli/cli.h"
#include "kith/util/kerr.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>

/* One option a command accepts: "--name" with a value (arg = 1) or not. */
struct cli_optspec {
    const char *name;
    int arg;
};

struct cli_optval {
    const char *name; /* the spec's name */
    const char *value;
};

/* The parsed words after the command name. Owns the arrays, not the
 * strings (they point into argv). Release with cli_args_free. */
struct cli_args {
    const char **pos;
    size_t npos;
    struct cli_optval *opts;
    size_t nopts;
    int help;
};

/* Parses argv[1..argc) against spec (a NULL-terminated array). Accepts
 * "--name value", "--name=value" and "--" before positionals. Unknown
 * options, missing values and invalid UTF-8 are K_USAGE. */
int cli_args_parse(int argc, char **argv, const struct cli_optspec *spec, struct cli_args *out,
                   struct kerr *e);
void cli_args_free(struct cli_args *a);
/* The last value given for name, or NULL. */
const char *cli_args_get(const struct cli_args *a, const char *name);
/* 1 when the flag or option was given. */
int cli_args_has(const struct cli_args *a, const char *name);
/* Every value given for a repeatable option, in order, appended to l. */
void cli_args_all(const struct cli_args *a, const char *name, struct kstrlist *l);

/* A text option's value: "-" reads standard input (so that long notes need
 * not fit on a command line). *out is a new string or NULL: free(). Input
 * longer than max is refused. */
int cli_read_value(const char *name, const char *value, size_t max, char **out, struct kerr *e);
/* Parses a DATE option (YYYY-MM-DD, today, yesterday, -Nd) relative to
 * today; KDATE_NONE when value is NULL. */
int cli_parse_date(const char *name, const char *value, int *out, struct kerr *e);
/* Parses a positive integer option within [min, max]. */
int cli_parse_int(const char *name, const char *value, int min, int max, int *out, struct kerr *e);

/* Output state for one command: colors only on a terminal without NO_COLOR
 * or --no-color. */
struct cli_out {
    FILE *f;
    int color;
};
void cli_out_init(struct cli_out *o, const struct cli_globals *g);

enum cli_style { CLI_PLAIN, CLI_BOLD, CLI_DIM, CLI_GAVE, CLI_ASKED, CLI_WARN, CLI_OK };
/* Writes text escaped for the terminal, fitted to width columns when width
 * > 0 (padded or truncated with an ellipsis; right-aligned when right). */
void cli_put(struct cli_out *o, enum cli_style s, const char *text, int width, int right);
/* As cli_put, appended to line instead of written: a long listing makes
 * each row in one buffer and writes it once. */
void cli_put_to(struct sbuf *line, const struct cli_out *o, enum cli_style s, const char *text,
                int width, int right);
/* The names of the interaction's contacts, "Ana Ruiz, Ben Okafor", in
 * bold, through cli_put with width. */
void cli_put_names(struct cli_out *o, const struct interaction *it, int width);
/* Where a referral led, "Ana Ruiz → a job at Acme" with the referrer in
 * bold, each side through cli_put with its width. */
void cli_put_route(struct cli_out *o, const struct referral *r, int by_width, int to_width);
/* printf-style text of kith's own in a style. Not escaped: journal data goes
 * through cli_put. */
void cli_putf(struct cli_out *o, enum cli_style s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes a JSON document and a newline to f: byte for byte to a file or a
 * pipe; on a terminal with the characters that could act on it or hide
 * (C1 controls, DEL, bidi and other format characters) as \u escapes, which
 * mean the same to a JSON reader (kstr_json_tty). */
void cli_json_put(FILE *f, const char *json);

/* Streams JSON objects as one array: [ obj, obj ] with a newline at the end,
 * escaped on a terminal as cli_json_put does. */
struct cli_json_array {
    FILE *f;
    int n;
    int tty;
};
void cli_json_begin(struct cli_json_array *a, FILE *f);
int cli_json_item(const char *json, void *ud); /* a kjson_cb; ud is the array */
void cli_json_end(struct cli_json_array *a);

/* Prints the command's help text to stdout and returns 0. */
int cli_help(const char *text);
/* Reports a usage error with the command's usage line; returns 2. */
int cli_usage(const char *cmd, const char *usage, const struct kerr *e);
/* The end of every command: 0 for K_OK; otherwise the message (with the
 * usage line when parse_error) on stderr and the exit status for rc. */
int cli_finish(int rc, int parse_error, const char *cmd, const char *usage, const struct kerr *e);
/* After logging an act: the line that says the challenge's day was ticked
 * with it (ticked as challenge_tick_act sets it; nothing for 0). */
void cli_said_tick(struct cli_out *o, int ticked, int day);
/* "+3", "-2", "0". buf has 16 bytes. */
const char *cli_signed(int v, char *buf);
/* "2026-11-22 14:03" in local time, from a UTC ISO 8601 time as the
 * journal stores them ("2026-11-22T13:03:05.123Z"); at's first 16
 * characters as they are when it is not one. */
void cli_local_time(const char *at, char out[32]);
/* The colours of the ledger: a give and a balance in credit as CLI_GAVE, an
 * ask and a balance in debt as CLI_ASKED, the rest plain. */
enum cli_style cli_dir_style(enum kdir d);
enum cli_style cli_balance_style(int balance);

/* What every command holds from parsing its words to reporting its end, so
 * that each one has a single exit (cli_cmd_end) that frees and reports. The
 * command owns the struct (usually on its stack); the struct owns a, cfg and
 * j (cfg and j stay NULL until the command opens them with cli_open). */
struct cli_cmd {
    struct cli_args a;
    struct kerr e;
    struct config *cfg;
    struct journal *j;
    int perr; /* the error is a usage error: cli_cmd_end adds the usage line */
};

/* Initialises c and parses argv against spec into c->a. A parse error is a
 * usage error (perr). c needs cli_cmd_end or cli_cmd_free afterwards, also
 * on failure. */
int cli_cmd_parse(struct cli_cmd *c, int argc, char **argv, const struct cli_optspec *spec);
/* Records a usage error in c->e (reported with the usage line) and returns
 * K_USAGE. */
int cli_cmd_usage(struct cli_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Releases what c owns; prints nothing. Accepts NULL. */
void cli_cmd_free(struct cli_cmd *c);
/* For --help: releases c, prints text to stdout and returns 0. */
int cli_cmd_help(struct cli_cmd *c, const char *text);
/* Releases c, then reports rc as cli_finish does with c's error and perr;
 * returns the exit status. */
int cli_cmd_end(struct cli_cmd *c, int rc, const char *cmd, const char *usage);

#endif
