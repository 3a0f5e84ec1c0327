#include "kith/cli/cli_today.h"

#include "kith/core/challenge.h"
#include "kith/cli/cli_util.h"
#include "kith/util/kdate.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

#define BIRTHDAY_WINDOW 7
/* What a terminal shows of a day's reminders without --all: the first
 * screenful or two. A large journal can have tens of thousands due (every
 * contact whose balance is low), which nobody reads in a shell; the rest
 * is counted on a line of its own. */
#define TODAY_SHOWN 50

/* ---- kith today -------------------------------------------------------- */

static const char today_usage[] = "kith today [--all | --json | --notify]";
static const char today_help[] =
    "usage: kith today [--all | --json | --notify]\n"
    "\n"
    "What is due today from the reminder rules of the configuration: overdue\n"
    "first (marked !), then by priority; the first 50, and a line that counts\n"
    "the others. Then the active challenge and the birthdays of the coming\n"
    "week. Prints nothing when nothing is due, so it fits a shell prompt, a\n"
    "login message or cron.\n"
    "\n"
    "  --all     every reminder due\n"
    "  --json    every reminder due, as one JSON object: {today, reminders:\n"
    "            [{id, rule, priority, contact, contact_id, message, due_on,\n"
    "            fired_on, overdue}], challenge, birthdays: [{id, name, date,\n"
    "            in_days}]}; printed even when nothing is due\n"
    "  --notify  run the configuration's notify_command once for each reminder\n"
    "            not notified before, with the message as its last argument\n"
    "            (no shell; KITH_REMINDER_ID, KITH_REMINDER_RULE and\n"
    "            KITH_REMINDER_DUE are set for it). Prints nothing.\n"
    "\n"
    "Mark a reminder done with 'kith remind done ID', or put it off with\n"
    "'kith remind snooze ID --days N'.\n";

struct today_ctx {
    struct cli_out *o;
    int today;
};

static int print_reminder(const struct reminder *r, void *ud)
{
    struct today_ctx *x = ud;
    char due[KDATE_BUF];
    kdate_format(r->due_on, due);
    cli_putf(x->o, r->overdue ? CLI_WARN : CLI_PLAIN, "%s %s  ", r->overdue ? "!" : " ",
             r->due_on == x->today ? "today     " : due);
    cli_putf(x->o, CLI_DIM, "%-6s  ", r->id);
    cli_putf(x->o, r->priority == 0 ? CLI_BOLD : CLI_PLAIN, "%-6s  ",
             config_priority_name((enum config_priority)r->priority));
    cli_put(x->o, CLI_PLAIN, r->message, 0, 0);
    fputc('\n', x->o->f);
    return 0;
}

static int take(const struct reminder *r, void *ud)
{
    reminder_list_add(ud, r);
    return 0;
}

struct bday_ctx {
    struct cli_out *o;
    int n;
};

static int print_birthday(const struct reminder_birthday *b, void *ud)
{
    struct bday_ctx *x = ud;
    char date[KDATE_BUF];
    cli_putf(x->o, CLI_PLAIN, "%s", x->n++ ? " · " : "birthdays: ");
    cli_put(x->o, CLI_PLAIN, b->name, 0, 0);
    if (b->in_days == 0)
        cli_putf(x->o, CLI_WARN, " today");
    else
        cli_putf(x->o, CLI_PLAIN, " on %s (in %d day%s)", kdate_format(b->date, date) + 5,
                 b->in_days, b->in_days == 1 ? "" : "s");
    return 0;
}

static void print_challenge(struct cli_out *o, const struct challenge *c)
{
    if (c->day < 1 || c->finished)
        return;
    cli_putf(o, CLI_PLAIN, "challenge: day %d/%d · done %d · streak %d · ", c->day, c->days,
             c->done, c->streak);
    if (c->today_done)
        cli_putf(o, CLI_OK, "today done ✓\n");
    else
        cli_putf(o, CLI_WARN, "today not yet ('kith tick')\n");
}

/* Runs the notify command for one reminder: argv from the config, then
 * "--" and the message, so that a message starting with "-" (a name can)
 * is not taken for an option; no shell. */
static int run_notifier(const struct reminder *r, void *ud, struct kerr *e)
{
    char *const *cmd = ud;
    size_t n = 0;
    while (cmd[n])
        n++;
    static char dashdash[] = "--";
    char **argv = kcalloc(n + 3, sizeof *argv);
    /* The message may quote journal text: escaped, like everything printed. */
    char *msg = kstr_escape(r->message);
    char due[KDATE_BUF];
    int rc = K_OK, status = 0;
    pid_t pid;
    for (size_t i = 0; i < n; i++)
        argv[i] = cmd[i];
    argv[n] = dashdash;
    argv[n + 1] = msg;
    setenv("KITH_REMINDER_ID", r->id, 1);
    setenv("KITH_REMINDER_RULE", r->rule, 1);
    setenv("KITH_REMINDER_DUE", kdate_format(r->due_on, due), 1);
    fflush(NULL);
    int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (err) {
        char *p = kstr_escape(argv[0]);
        rc = kerr_set(e, K_ERR, "cannot run the notify_command %s: %s", p, strerror(err));
        free(p);
        goto out;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            rc = kerr_set(e, K_ERR, "waiting for the notify_command: %s", strerror(errno));
            goto out;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *p = kstr_escape(argv[0]);
        if (WIFEXITED(status))
            rc = kerr_set(e, K_ERR, "the notify_command %s exited with status %d", p,
                          WEXITSTATUS(status));
        else
            rc = kerr_set(e, K_ERR, "the notify_command %s was killed by signal %d", p,
                          WTERMSIG(status));
        free(p);
    }
out:
    unsetenv("KITH_REMINDER_ID");
    unsetenv("KITH_REMINDER_RULE");
    unsetenv("KITH_REMINDER_DUE");
    free(msg);
    free(argv);
    return rc;
}

/* No journal yet: nothing is due. Silence (prompts and cron), or an empty
 * day for a program. */
static void print_empty_day(int as_json)
{
    if (!as_json)
        return;
    int today;
    char d[KDATE_BUF];
    kdate_today(&today, NULL);
    printf("{\"today\":\"%s\",\"reminders\":[],\"challenge\":null,\"birthdays\":[]}\n",
           kdate_format(today, d));
}

/* The day as text: the reminders (the first TODAY_SHOWN unless all), the
 * challenge and the week's birthdays; nothing at all when nothing is due. */
static int print_day(struct cli_cmd *cmd, struct cli_out *o, int all)
{
    struct reminder_list l = {0};
    struct challenge c = {0};
    struct today_ctx x = {o, journal_today(cmd->j)};
    size_t due = 0;
    struct reminder_query q = {.limit = all ? 0 : TODAY_SHOWN};
    int rc;
    if ((rc = reminder_evaluate(cmd->j, &cmd->e)) != K_OK ||
        (rc = reminder_window_evaluated(cmd->j, &q, &due, take, &l, &cmd->e)) != K_OK)
        goto out;
    if (!l.n)
        goto out; /* nothing due: silence, for prompts and cron */
    for (size_t i = 0; i < l.n; i++)
        print_reminder(&l.v[i], &x);
    if (due > l.n)
        cli_putf(o, CLI_DIM, "… and %zu more ('kith today --all')\n", due - l.n);
    int crc = challenge_active(cmd->j, &c, &cmd->e);
    if (crc != K_OK && crc != K_NOTFOUND) {
        rc = crc;
        goto out;
    }
    if (crc == K_OK)
        print_challenge(o, &c);
    struct bday_ctx b = {o, 0};
    if ((rc = reminder_birthdays(cmd->j, BIRTHDAY_WINDOW, print_birthday, &b, &cmd->e)) != K_OK)
        goto out;
    if (b.n)
        fputc('\n', o->f);
out:
    reminder_list_clear(&l);
    challenge_clear(&c);
    return rc;
}

int cli_today(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--all", 0}, {"--json", 0}, {"--notify", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    char *json = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, today_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith today takes no arguments");
        goto out;
    }
    int as_json = cli_args_has(&cmd.a, "--json"), notify = cli_args_has(&cmd.a, "--notify");
    int all = cli_args_has(&cmd.a, "--all");
    if (as_json + notify + all > 1) {
        rc = cli_cmd_usage(&cmd, "--all, --json and --notify do not go together");
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) == K_NOTFOUND && !notify) {
        print_empty_day(as_json);
        rc = K_OK;
        goto out;
    }
    if (rc != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (notify) {
        if (!cmd.cfg->notify_command) {
            rc = kerr_set(&cmd.e, K_USAGE,
                          "no notify_command in the configuration%s%s; see 'kith "
                          "config defaults'",
                          cmd.cfg->path ? " " : "", cmd.cfg->path ? cmd.cfg->path : "");
            goto out;
        }
        rc = reminder_notify_pending(cmd.j, run_notifier, cmd.cfg->notify_command, NULL, &cmd.e);
    } else if (as_json) {
        if ((rc = reminder_today_json(cmd.j, BIRTHDAY_WINDOW, &json, &cmd.e)) == K_OK)
            cli_json_put(o.f, json);
    } else {
        rc = print_day(&cmd, &o, all);
    }
out:
    free(json);
    return cli_cmd_end(&cmd, rc, "today", today_usage);
}

/* ---- kith remind ------------------------------------------------------- */

static const char remind_usage[] = "kith remind done ID | kith remind snooze ID --days N";
static const char remind_help[] =
    "usage: kith remind done ID\n"
    "       kith remind snooze ID --days N\n"
    "\n"
    "ID is a reminder's id as 'kith today' shows it (or its first 4 or more\n"
    "hex digits).\n"
    "\n"
    "  done       the reminder is gone until its rule fires anew (a new\n"
    "             interaction, referral, birthday or day of the challenge)\n"
    "  snooze     hide it for N days (1 to 3650)\n"
    "  --days N   how long to snooze\n";

int cli_remind(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--days", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct reminder r = {0};
    int rc, days = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, remind_help);
    const char *sub = cmd.a.npos ? cmd.a.pos[0] : NULL;
    int snooze = sub && !strcmp(sub, "snooze");
    if (!sub || (strcmp(sub, "done") && !snooze)) {
        rc = cli_cmd_usage(&cmd, "say 'done' or 'snooze'");
        goto out;
    }
    if (cmd.a.npos != 2) {
        rc = cli_cmd_usage(&cmd, "give one reminder id (as 'kith today' shows)");
        goto out;
    }
    if (snooze && !cli_args_has(&cmd.a, "--days")) {
        rc = cli_cmd_usage(&cmd, "snooze for how long? --days N");
        goto out;
    }
    if (!snooze && cli_args_has(&cmd.a, "--days")) {
        rc = cli_cmd_usage(&cmd, "--days goes with snooze");
        goto out;
    }
    if (snooze && (rc = cli_parse_int("--days", cli_args_get(&cmd.a, "--days"), 1, 3650, &days,
                                      &cmd.e)) != K_OK) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (snooze)
        rc = reminder_snooze(cmd.j, cmd.a.pos[1], days, &r, &cmd.e);
    else
        rc = reminder_done(cmd.j, cmd.a.pos[1], &r, &cmd.e);
    if (rc != K_OK)
        goto out;
    if (snooze) {
        char until[KDATE_BUF];
        cli_putf(&o, CLI_PLAIN,
                 "snoozed until %s: ", kdate_format(journal_today(cmd.j) + days, until));
    } else {
        cli_putf(&o, CLI_OK, "done: ");
    }
    cli_put(&o, CLI_PLAIN, r.message, 0, 0);
    fputc('\n', o.f);
out:
    reminder_clear(&r);
    return cli_cmd_end(&cmd, rc, "remind", remind_usage);
}

/* ---- kith config ------------------------------------------------------- */

static const char config_usage[] = "kith config check [PATH] | kith config path | kith config "
                                   "defaults";
static const char config_help[] =
    "usage: kith config check [PATH]\n"
    "       kith config path\n"
    "       kith config defaults\n"
    "\n"
    "  check      read the configuration (PATH, else the one kith would use) and\n"
    "             report every problem as PATH:LINE:COLUMN: message; exit 2 when\n"
    "             there is one. The file is only read.\n"
    "  path       the configuration file kith reads: --config, else $KITH_CONFIG,\n"
    "             else $XDG_CONFIG_HOME/kith/config.yaml\n"
    "  defaults   the built-in settings: the documented example file, to copy\n"
    "             and change\n";

/* Prints the lines of a problem list as they are: each already names its
 * file, line and column, the way compilers do. */
static void print_problems(const char *msg)
{
    char *esc = NULL;
    while (*msg) {
        const char *nl = strchr(msg, '\n');
        size_t n = nl ? (size_t)(nl - msg) : strlen(msg);
        char *line = kstr_ndup(msg, n);
        esc = kstr_escape(line);
        fprintf(stderr, "%s\n", esc);
        free(esc);
        free(line);
        msg += n + (nl != NULL);
    }
}

int cli_config(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{NULL, 0}};
    struct cli_cmd cmd;
    char *path = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, config_help);
    const char *sub = cmd.a.npos ? cmd.a.pos[0] : NULL;
    int check = sub && !strcmp(sub, "check");
    if (!sub || (!check && strcmp(sub, "path") && strcmp(sub, "defaults"))) {
        rc = cli_cmd_usage(&cmd, "say check, path or defaults");
        goto out;
    }
    if (cmd.a.npos > (check ? 2u : 1u)) {
        rc = cli_cmd_usage(&cmd, "too many arguments");
        goto out;
    }
    if (!strcmp(sub, "defaults")) {
        fputs(config_example_text(), stdout);
        goto out;
    }
    if (check && cmd.a.npos == 2)
        path = kstr_dup(cmd.a.pos[1]);
    else if (g->config_path)
        path = kstr_dup(g->config_path);
    else if (!(path = kpath_default_config(&cmd.e))) {
        rc = K_ERR;
        goto out;
    }
    if (!check) {
        char *esc = kstr_escape(path);
        printf("%s\n", esc);
        free(esc);
        goto out;
    }
    /* Only the default path may be absent: that means the defaults. */
    if (cmd.a.npos == 1 && !g->config_path && !kpath_exists(path)) {
        char *esc = kstr_escape(path);
        printf("%s: no such file; kith uses its built-in defaults ('kith config defaults')\n", esc);
        free(esc);
        goto out;
    }
    if ((rc = config_load(path, &cmd.cfg, &cmd.e)) != K_OK) {
        if (rc == K_USAGE) {
            print_problems(cmd.e.msg);
            goto out;
        }
        goto out;
    }
    char *esc = kstr_escape(path);
    printf("%s: ok (%zu rule%s)\n", esc, cmd.cfg->nrules, cmd.cfg->nrules == 1 ? "" : "s");
    free(esc);
out:
    free(path);
    if (rc == K_USAGE && !cmd.perr) {
        cli_cmd_free(&cmd);
        return 2; /* the problems are printed */
    }
    return cli_cmd_end(&cmd, rc, "config", config_usage);
}
