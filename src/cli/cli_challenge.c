#include "kith/cli/cli_challenge.h"

#include "kith/core/check.h"
#include "kith/core/challenge.h"
#include "kith/cli/cli_util.h"
#include "kith/core/demo.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The strip of the sketch: done ■, empty □, an empty day the streak went
 * on over ▨ (grace), today not yet ticked ▣, future ·. Shapes carry the
 * meaning, so it reads without color. */
static void print_strip(struct cli_out *o, const struct challenge *c, int today)
{
    for (int d = 0; d < c->days; d++) {
        int day = c->started_on + d;
        /* Long challenges wrap every ten days, each row flush left. */
        if (d)
            fputc(d % 10 == 0 && c->days > 40 ? '\n' : ' ', o->f);
        switch (challenge_day_state(c, day, today)) {
        case CHALLENGE_DAY_DONE:
            cli_putf(o, CLI_OK, "■");
            break;
        case CHALLENGE_DAY_TODAY:
            cli_putf(o, CLI_WARN, "▣");
            break;
        case CHALLENGE_DAY_GRACE:
            cli_putf(o, CLI_DIM, "▨");
            break;
        case CHALLENGE_DAY_EMPTY:
            cli_putf(o, CLI_DIM, "□");
            break;
        default:
            cli_putf(o, CLI_DIM, "·");
            break;
        }
    }
    fputc('\n', o->f);
}

static void print_challenge(struct cli_out *o, const struct challenge *c, int today)
{
    char a[KDATE_BUF], b[KDATE_BUF];
    cli_putf(o, CLI_BOLD, "%d-day challenge", c->days);
    cli_putf(o, CLI_PLAIN, " · %s to %s", kdate_format(c->started_on, a),
             kdate_format(c->started_on + c->days - 1, b));
    if (c->day > 0 && !c->finished)
        cli_putf(o, CLI_PLAIN, " · day %d/%d", c->day, c->days);
    if (c->day == 0)
        cli_putf(o, CLI_PLAIN, " · not started\n");
    else
        cli_putf(o, CLI_PLAIN, " · done %d/%d · streak %d\n", c->done, c->elapsed, c->streak);
    print_strip(o, c, today);
    if (c->finished)
        cli_putf(o, CLI_PLAIN,
                 "finished: %d of %d days done · habit strength %d%%. Start another with "
                 "'kith challenge start'.\n",
                 c->done, c->days, c->habit);
    else if (c->day == 0)
        cli_putf(o, CLI_PLAIN, "starts on %s\n", a);
    else if (c->today_done)
        cli_putf(o, CLI_OK, "today: done ✓\n");
    else if (c->pending)
        cli_putf(o, CLI_WARN,
                 "today: open — yesterday is a grace day; one act today keeps the streak "
                 "('kith tick')\n");
    else
        cli_putf(o, CLI_WARN, "today: not yet — 'kith tick' when you have done one act\n");
}

/* A new challenge ends the running one: asks first on a terminal (Enter
 * means no), needs --yes elsewhere. K_OK to go on; K_USAGE (with why) or
 * K_EXISTS ("kept") otherwise. c is the running one, if any. */
static int confirm_restart(struct cli_cmd *cmd, struct challenge *c)
{
    struct kerr tmp;
    if (challenge_active(cmd->j, c, &tmp) != K_OK || c->finished ||
        cli_args_has(&cmd->a, "--yes") || cli_args_has(&cmd->a, "-y"))
        return K_OK;
    char what[160], d[KDATE_BUF];
    if (c->day > 0)
        snprintf(what, sizeof what, "a %d-day challenge is running (day %d of %d, %d done)",
                 c->days, c->day, c->days, c->done);
    else
        snprintf(what, sizeof what, "a %d-day challenge starts on %s", c->days,
                 kdate_format(c->started_on, d));
    if (!isatty(STDIN_FILENO)) {
        cmd->perr = 1;
        return kerr_set(&cmd->e, K_USAGE, "%s; starting another ends it (--yes starts one anyway)",
                        what);
    }
    fprintf(stderr,
            "%c%s. A new one ends it: its remaining days can no longer be ticked\n"
            "(it stays in 'kith challenge history'). Start a new challenge? [y/N] ",
            what[0] - 'a' + 'A', what + 1);
    char answer[16] = "";
    if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y'))
        return kerr_set(&cmd->e, K_EXISTS, "kept the running challenge; nothing started");
    return K_OK;
}

static const char challenge_usage[] =
    "kith challenge [--json] | start [--on DATE] [--days N] [--yes] | history [--json]";
static const char challenge_help[] =
    "usage: kith challenge [--json]\n"
    "       kith challenge start [--on DATE] [--days N] [--yes]\n"
    "       kith challenge history [--json]\n"
    "\n"
    "One small networking act a day for N days (30 by default), starting on any\n"
    "day. Without a subcommand: the active challenge, as a strip of days (■ done,\n"
    "□ empty, ▨ grace, ▣ today, · to come), with the days done and the current\n"
    "streak. Never miss twice: a streak goes on over up to challenge.grace_days\n"
    "empty days in a row (1 by default) when the day after them is ticked.\n"
    "With challenge.auto_tick in the config, logging a gave or mutual\n"
    "interaction or a pay-it-forward ticks its day.\n"
    "\n"
    "  start      start a challenge (it becomes the active one)\n"
    "  --on DATE  its first day (default today)\n"
    "  --days N   its length, 1 to 366 (default from the config, 30)\n"
    "  --yes      start even though a challenge is running (it ends; on a\n"
    "             terminal kith asks instead)\n"
    "  history    every challenge with how much of it was done and the habit\n"
    "             strength it left (an average of ticked days that fades by half\n"
    "             in 13 days, carried from one challenge to the next)\n"
    "  --json     the active challenge as {id, started_on, days, done, streak,\n"
    "             today_done, day, finished, ticks: [{date, note, interaction,\n"
    "             forward}], grace_days, graced, habit_strength (percent)}; with\n"
    "             history, an array of every challenge, newest first\n";

/* Every challenge, newest (the active one) first, with how much was done
 * and the habit strength it left. */
static int print_history(struct cli_cmd *cmd, struct cli_out *o)
{
    struct challenge_list hist = {0};
    int rc = challenge_history(cmd->j, 0, 0, &hist, &cmd->e);
    for (size_t i = 0; rc == K_OK && i < hist.n; i++) {
        const struct challenge *h = &hist.v[i];
        char b1[KDATE_BUF];
        cli_putf(o, i ? CLI_PLAIN : CLI_BOLD, "%s  %3d days  done %3d  (%3d%%)  habit %3d%%%s\n",
                 kdate_format(h->started_on, b1), h->days, h->done,
                 h->days ? 100 * h->done / h->days : 0, h->habit, i == 0 ? "  active" : "");
    }
    if (rc == K_OK && !hist.n)
        cli_putf(o, CLI_PLAIN, "no challenge yet: 'kith challenge start'\n");
    challenge_list_clear(&hist);
    return rc;
}

int cli_challenge(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--on", 1},  {"--days", 1}, {"--json", 0},
                                              {"--yes", 0}, {"-y", 0},     {NULL, 0}};
    struct cli_cmd cmd;
    struct challenge c = {0};
    char *json = NULL;
    int rc, start = KDATE_NONE, days = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, challenge_help);
    const char *sub = cmd.a.npos ? cmd.a.pos[0] : NULL;
    if (cmd.a.npos > 1 || (sub && strcmp(sub, "start") && strcmp(sub, "history"))) {
        rc = cli_cmd_usage(&cmd, "unknown challenge subcommand; use start or history");
        goto out;
    }
    int is_start = sub && !strcmp(sub, "start");
    if (!is_start && (cli_args_has(&cmd.a, "--on") || cli_args_has(&cmd.a, "--days"))) {
        rc = cli_cmd_usage(&cmd, "--on and --days go with 'kith challenge start'");
        goto out;
    }
    if (!is_start && (cli_args_has(&cmd.a, "--yes") || cli_args_has(&cmd.a, "-y"))) {
        rc = cli_cmd_usage(&cmd, "--yes goes with 'kith challenge start'");
        goto out;
    }
    if (is_start && cli_args_has(&cmd.a, "--json")) {
        rc = cli_cmd_usage(&cmd, "'kith challenge start' has no --json; then use "
                                 "'kith challenge --json'");
        goto out;
    }
    if ((rc = cli_parse_date("--on", cli_args_get(&cmd.a, "--on"), &start, &cmd.e)) != K_OK ||
        (cli_args_has(&cmd.a, "--days") &&
         (rc = cli_parse_int("--days", cli_args_get(&cmd.a, "--days"), 1, 366, &days, &cmd.e)) !=
             K_OK)) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, is_start ? JOURNAL_CREATE : 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    int today = journal_today(cmd.j);
    if (is_start) {
        char id[KID_LEN + 1];
        if ((rc = confirm_restart(&cmd, &c)) != K_OK)
            goto out;
        challenge_clear(&c);
        if ((rc = challenge_start(cmd.j, start, days, id, &cmd.e)) != K_OK ||
            (rc = challenge_active(cmd.j, &c, &cmd.e)) != K_OK)
            goto out;
        cli_put(&o, CLI_PLAIN, "started: ", 0, 0);
        print_challenge(&o, &c, today);
    } else if (sub && cli_args_has(&cmd.a, "--json")) {
        if ((rc = challenge_history_json(cmd.j, &json, &cmd.e)) != K_OK)
            goto out;
        cli_json_put(o.f, json);
    } else if (sub) {
        rc = print_history(&cmd, &o);
    } else if (cli_args_has(&cmd.a, "--json")) {
        if ((rc = challenge_active_json(cmd.j, &json, &cmd.e)) != K_OK)
            goto out;
        cli_json_put(o.f, json);
    } else {
        if ((rc = challenge_active(cmd.j, &c, &cmd.e)) != K_OK) {
            if (rc == K_NOTFOUND)
                kerr_set(&cmd.e, K_NOTFOUND,
                         "no challenge yet: start one with 'kith challenge "
                         "start'");
            goto out;
        }
        print_challenge(&o, &c, today);
    }
out:
    challenge_clear(&c);
    free(json);
    return cli_cmd_end(&cmd, rc, "challenge", challenge_usage);
}

static const char tick_usage[] = "kith tick [--on DATE] [--note TEXT] [--interaction ID]";
static const char tick_help[] =
    "usage: kith tick [--on DATE] [--note TEXT] [--interaction ID]\n"
    "\n"
    "Ticks off a day of the active challenge: you did your networking act.\n"
    "Ticking a day twice is harmless: the day stays ticked and a new note is\n"
    "added to its note. Days before the challenge, after it, in the future, or\n"
    "further back than the config's challenge.past_days are refused.\n"
    "\n"
    "  --on DATE          the day (default today)\n"
    "  --note TEXT        what you did\n"
    "  --interaction ID   the logged interaction that was the day's act\n";

int cli_tick(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--on", 1}, {"--note", 1}, {"--interaction", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct challenge c = {0};
    char *note = NULL;
    int rc, date = KDATE_NONE, already = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, tick_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith tick takes no arguments (a note goes in --note)");
        goto out;
    }
    if ((rc = cli_parse_date("--on", cli_args_get(&cmd.a, "--on"), &date, &cmd.e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&cmd.a, "--note"), CHECK_LONG_MAX, &note,
                             &cmd.e)) != K_OK)
        goto out;
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    char iid[KID_LEN + 1];
    const char *interaction = cli_args_get(&cmd.a, "--interaction");
    if (interaction && (rc = interaction_resolve(cmd.j, interaction, iid, &cmd.e)) != K_OK)
        goto out;
    if ((rc = challenge_tick(cmd.j, date, note, interaction ? iid : NULL, &already, &cmd.e)) !=
        K_OK)
        goto out;
    if ((rc = challenge_active(cmd.j, &c, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    char buf[KDATE_BUF];
    int day = date == KDATE_NONE ? journal_today(cmd.j) : date;
    if (already)
        cli_putf(&o, CLI_PLAIN, "%s was already ticked%s", kdate_format(day, buf),
                 already == 1    ? ""
                 : note && *note ? "; the note was added to it"
                                 : "; the interaction was linked to it");
    else
        cli_putf(&o, CLI_OK, "ticked %s", kdate_format(day, buf));
    cli_putf(&o, CLI_PLAIN, " · day %d of %d · done %d · streak %d\n", day - c.started_on + 1,
             c.days, c.done, c.streak);
out:
    challenge_clear(&c);
    free(note);
    return cli_cmd_end(&cmd, rc, "tick", tick_usage);
}

static const char demo_usage[] = "kith demo [--db PATH]";
static const char demo_help[] =
    "usage: kith demo [--db PATH]\n"
    "\n"
    "Writes a realistic sample journal to try kith on: 44 contacts with tags and\n"
    "notes, a year of interactions in both directions, referral chains thanked\n"
    "and not, and a 30-day challenge in progress. It refuses to touch a journal\n"
    "that already has contacts. Try: kith --db /tmp/demo.kith demo\n";

int cli_demo(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--db", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, demo_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith demo takes no arguments");
        goto out;
    }
    struct cli_globals g2 = *g;
    if (cli_args_get(&cmd.a, "--db"))
        g2.db_path = cli_args_get(&cmd.a, "--db");
    if ((rc = cli_open(&g2, JOURNAL_CREATE, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if ((rc = demo_write(cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "wrote a demo journal to ", 0, 0);
    cli_put(&o, CLI_BOLD, journal_path(cmd.j), 0, 0);
    cli_putf(&o, CLI_PLAIN, "\ntry: kith --db ");
    cli_put(&o, CLI_PLAIN, journal_path(cmd.j), 0, 0);
    cli_putf(&o, CLI_PLAIN, " list\n");
out:
    return cli_cmd_end(&cmd, rc, "demo", demo_usage);
}
