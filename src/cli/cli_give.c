#include "kith/cli/cli_give.h"

#include "kith/core/check.h"
#include "kith/cli/cli_util.h"
#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/history.h"
#include "kith/core/ideas.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char forward_usage[] =
    "kith forward TEXT [--to CONTACT] [--on DATE] [--note TEXT|-]\n"
    "       kith forward [--to CONTACT] [--since DATE] [--limit N] [--json]";
static const char forward_help[] =
    "usage: kith forward TEXT [--to CONTACT] [--on DATE] [--note TEXT|-]\n"
    "       kith forward [--to CONTACT] [--since DATE] [--limit N] [--json]\n"
    "\n"
    "Pay it forward: records a gift that expects nothing back, to a contact or\n"
    "to someone not in the journal (\"helped a student with her resume\"). It\n"
    "counts as a networking act for the challenge and in 'kith stats', never\n"
    "moves goodwill, and shows in the timeline marked ». With\n"
    "challenge.auto_tick: true in the config it ticks its day of the challenge.\n"
    "Without TEXT: the pay-it-forwards recorded, newest first.\n"
    "\n"
    "  --to CONTACT   who received it, when they are in the journal\n"
    "  --on DATE      when: YYYY-MM-DD, today (default), yesterday or -Nd\n"
    "  --note TEXT    more about it (- reads standard input)\n"
    "  --since DATE   list those from this day on\n"
    "  --limit N      list at most N\n"
    "  --json         list as a JSON array of {id, date, text, contact: {id,\n"
    "                 name} or null, note}\n";

static int list_forwards(struct cli_cmd *cmd, const struct cli_globals *g, const char *to)
{
    struct forward_list l = {0};
    struct forward_query q = {0};
    int rc, limit = 0;
    q.contact_id = to;
    q.until = KDATE_NONE;
    if ((rc = cli_parse_date("--since", cli_args_get(&cmd->a, "--since"), &q.since, &cmd->e)) !=
            K_OK ||
        (cli_args_has(&cmd->a, "--limit") &&
         (rc = cli_parse_int("--limit", cli_args_get(&cmd->a, "--limit"), 1, 100000000, &limit,
                             &cmd->e)) != K_OK)) {
        cmd->perr = 1;
        return rc;
    }
    q.limit = (size_t)limit;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd->a, "--json")) {
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = forward_each_json(cmd->j, &q, cli_json_item, &arr, &cmd->e);
        cli_json_end(&arr);
        return rc;
    }
    if ((rc = forward_list(cmd->j, &q, &l, &cmd->e)) != K_OK)
        return rc;
    if (!l.n)
        cli_putf(&o, CLI_PLAIN,
                 "nothing paid forward yet: 'kith forward \"what you gave\" [--to CONTACT]'\n");
    for (size_t i = 0; i < l.n; i++) {
        char d[KDATE_BUF];
        cli_put(&o, CLI_PLAIN, kdate_format(l.v[i].date, d), 10, 0);
        cli_putf(&o, CLI_GAVE, "  »  ");
        cli_put(&o, CLI_BOLD, l.v[i].contact.name ? l.v[i].contact.name : "someone", 20, 0);
        fputs("  ", o.f);
        cli_put(&o, CLI_PLAIN, l.v[i].text, 0, 0);
        fputc('\n', o.f);
    }
    forward_list_clear(&l);
    return K_OK;
}

int cli_forward(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--to", 1},    {"--on", 1},    {"--note", 1},
                                              {"--since", 1}, {"--limit", 1}, {"--json", 0},
                                              {NULL, 0}};
    struct cli_cmd cmd;
    struct sbuf text = {0};
    char *note = NULL;
    int rc, date = KDATE_NONE;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, forward_help);
    for (size_t i = 0; i < cmd.a.npos; i++)
        sbuf_printf(&text, "%s%s", i ? " " : "", cmd.a.pos[i]);
    int listing = !cmd.a.npos;
    if (listing && (cli_args_has(&cmd.a, "--on") || cli_args_has(&cmd.a, "--note")))
        rc = cli_cmd_usage(&cmd, "kith forward needs the TEXT of what you gave");
    else if (!listing && (cli_args_has(&cmd.a, "--since") || cli_args_has(&cmd.a, "--limit") ||
                          cli_args_has(&cmd.a, "--json")))
        rc = cli_cmd_usage(&cmd, "--since, --limit and --json list pay-it-forwards: give no TEXT");
    if (rc != K_OK)
        goto out;
    if (!listing &&
        ((rc = cli_parse_date("--on", cli_args_get(&cmd.a, "--on"), &date, &cmd.e)) != K_OK ||
         (rc = cli_read_value("note", cli_args_get(&cmd.a, "--note"), CHECK_LONG_MAX, &note,
                              &cmd.e)) != K_OK))
        goto out;
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    char to[KID_LEN + 1] = "";
    const char *who = cli_args_get(&cmd.a, "--to");
    if (who && (rc = contact_resolve(cmd.j, who, to, &cmd.e)) != K_OK)
        goto out;
    if (listing) {
        rc = list_forwards(&cmd, g, who ? to : NULL);
        goto out;
    }
    struct forward_input in = {text.s, to, date, note};
    char id[KID_LEN + 1], sid[KID_LEN + 1], d[KDATE_BUF];
    int ticked = 0;
    if ((rc = forward_add(cmd.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &cmd.e)) != K_OK)
        goto out;
    int day = date == KDATE_NONE ? journal_today(cmd.j) : date;
    journal_short_id(cmd.j, "forward", id, sid);
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "paid forward on %s", kdate_format(day, d));
    cli_putf(&o, CLI_DIM, "  %s\n", sid);
    cli_said_tick(&o, ticked, day);
out:
    sbuf_free(&text);
    free(note);
    return cli_cmd_end(&cmd, rc, "forward", forward_usage);
}

static const char ideas_usage[] =
    "kith ideas [--limit N] [--json] | kith ideas --done N [--summary TEXT] [--note TEXT|-]";
static const char ideas_help[] =
    "usage: kith ideas [--limit N] [--json]\n"
    "       kith ideas --done N [--summary TEXT] [--note TEXT|-]\n"
    "\n"
    "Ideas for today's networking act, best first, each with its reason, drawn\n"
    "from the journal: thank a referrer you have not thanked; report back to\n"
    "someone whose advice you took; a birthday today or soon; reconnect with\n"
    "someone silent past their cadence (kith edit --every, or a silence rule's\n"
    "tags); give to someone you asked more than you gave; introduce a contact\n"
    "to another who offers or works on what they need; offer your own help\n"
    "(the config's me: {offers: [...]}) where someone needs it.\n"
    "\n"
    "  --limit N        at most N ideas (default 10)\n"
    "  --json           a JSON array of {n, type, score, headline, reason,\n"
    "                   contacts: [{id, name}], referral, act: {kind, direction,\n"
    "                   summary}}\n"
    "  --done N         act on idea N: log its act (a thank-you records the\n"
    "                   thank-you for the referral too) and, with a challenge\n"
    "                   running, tick today with it\n"
    "  --summary TEXT   with --done: say what you did instead of the idea's words\n"
    "  --note TEXT      with --done: notes (- reads standard input)\n"
    "\n"
    "The same journal on the same day numbers the ideas the same way.\n";

static void print_ideas(struct cli_out *o, const struct idea_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct idea *d = &l->v[i];
        cli_putf(o, CLI_DIM, "%2zu  ", i + 1);
        cli_putf(o, CLI_GAVE, "%-12s ", idea_type_name(d->type));
        cli_put(o, CLI_BOLD, d->headline, 0, 0);
        fputc('\n', o->f);
        fprintf(o->f, "%17s", "");
        cli_put(o, CLI_PLAIN, d->reason, 0, 0);
        fputc('\n', o->f);
    }
    if (!l->n)
        cli_putf(o, CLI_PLAIN,
                 "No ideas today. Note what your contacts need and offer (kith edit NAME\n"
                 "--need ... --offer ...), your own offers in the config, and who you talk to.\n");
    else
        cli_putf(o, CLI_DIM,
                 "\n'kith ideas --done N' logs idea N and ticks today in the "
                 "challenge.\n");
}

/* --done N: the idea's act, with what the user said instead. */
static int act_on(struct cli_cmd *cmd, const struct cli_globals *g, const struct idea *d)
{
    char *summary = NULL, *note = NULL;
    const char *ids[2] = {d->who[0].id, d->who[1].id};
    char id[KID_LEN + 1], sid[KID_LEN + 1];
    int rc, ticked = 0, thanked = 0;
    if ((rc = cli_read_value("summary", cli_args_get(&cmd->a, "--summary"), CHECK_SHORT_MAX,
                             &summary, &cmd->e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&cmd->a, "--note"), CHECK_LONG_MAX, &note,
                             &cmd->e)) != K_OK)
        goto out;
    struct interaction_input in = {
        ids, d->nwho, d->kind, d->dir, KDATE_NONE, summary ? summary : d->summary, note};
    history_label(cmd->j, "acted on an idea: %s", d->headline);
    if ((rc = ideas_act(cmd->j, d, &in, id, &ticked, &thanked, &cmd->e)) != K_OK)
        goto out;
    journal_short_id(cmd->j, "interaction", id, sid);
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "logged %s (%s) with ", d->kind, kdir_name(d->dir));
    for (size_t i = 0; i < d->nwho; i++) {
        if (i)
            fputs(" and ", o.f);
        cli_put(&o, CLI_BOLD, d->who[i].name, 0, 0);
    }
    cli_putf(&o, CLI_DIM, "  %s\n", sid);
    if (thanked) {
        cli_put(&o, CLI_OK, "thanked ", 0, 0);
        cli_put(&o, CLI_OK, d->who[0].name, 0, 0);
        cli_putf(&o, CLI_OK, " for the referral ✓\n");
    }
    cli_said_tick(&o, ticked, journal_today(cmd->j));
out:
    free(summary);
    free(note);
    return rc;
}

int cli_ideas(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--limit", 1},   {"--json", 0}, {"--done", 1},
                                              {"--summary", 1}, {"--note", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct idea_list l = {0};
    char *json = NULL;
    int rc, limit = 10, done = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, ideas_help);
    int doing = cli_args_has(&cmd.a, "--done");
    if (cmd.a.npos)
        rc = cli_cmd_usage(&cmd, "kith ideas takes no arguments");
    else if (doing && cli_args_has(&cmd.a, "--json"))
        rc = cli_cmd_usage(&cmd, "--done acts on an idea; --json lists them: one or the other");
    else if (!doing && (cli_args_has(&cmd.a, "--summary") || cli_args_has(&cmd.a, "--note")))
        rc = cli_cmd_usage(&cmd, "--summary and --note go with --done N");
    if (rc != K_OK)
        goto out;
    if ((cli_args_has(&cmd.a, "--limit") &&
         (rc = cli_parse_int("--limit", cli_args_get(&cmd.a, "--limit"), 1, 1000, &limit,
                             &cmd.e)) != K_OK) ||
        (doing && (rc = cli_parse_int("--done", cli_args_get(&cmd.a, "--done"), 1, 1000, &done,
                                      &cmd.e)) != K_OK)) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if ((rc = ideas_list(cmd.j, (size_t)(done > limit ? done : limit), &l, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (doing) {
        if ((size_t)done > l.n) {
            rc = kerr_set(&cmd.e, K_NOTFOUND, "there is no idea %d today (there %s %zu)", done,
                          l.n == 1 ? "is" : "are", l.n);
            goto out;
        }
        rc = act_on(&cmd, g, &l.v[done - 1]);
    } else if (cli_args_has(&cmd.a, "--json")) {
        if ((rc = ideas_json(cmd.j, &l, &json, &cmd.e)) == K_OK)
            cli_json_put(o.f, json);
    } else {
        print_ideas(&o, &l);
    }
out:
    idea_list_clear(&l);
    free(json);
    return cli_cmd_end(&cmd, rc, "ideas", ideas_usage);
}

static const char stats_usage[] = "kith stats [--since DATE] [--json]";
static const char stats_help[] =
    "usage: kith stats [--since DATE] [--json]\n"
    "\n"
    "Trends from DATE (default: the first of the month eleven months back, a\n"
    "year of months) to today: acts per week (interactions, pay-it-forwards and\n"
    "thank-yous) as a sparkline and the last weeks as bars; gave, asked, mutual\n"
    "and paid forward per month; how many days a thank-you takes after a\n"
    "referral (the median); referrals by outcome; the challenges and the habit\n"
    "strength they left; who opened the most doors for you. Bars and sparklines\n"
    "are Unicode blocks: they read without colors and in a pipe.\n"
    "\n"
    "  --since DATE   from this day (YYYY-MM-DD, -Nd, ...)\n"
    "  --json         {since, until, acts_per_week: [{week, acts}], per_month:\n"
    "                 [{month, gave, asked, mutual, forward}], thanks: {referrals,\n"
    "                 thanked, median_days}, outcomes: {pending: n, ...},\n"
    "                 challenges: [{started_on, days, done, completion,\n"
    "                 habit_strength, active}], opened_doors: [{id, name,\n"
    "                 referrals, won}]}\n";

/* How many of the last weeks the plain output draws as bars. */
#define STATS_BAR_WEEKS 8
/* Weeks a sparkline row holds. */
#define STATS_SPARK_ROW 52

static void print_weeks(struct cli_out *o, const struct stats *s)
{
    char d[KDATE_BUF];
    int max = 0;
    size_t best = 0;
    for (size_t i = 0; i < s->nweeks; i++)
        if (s->weeks[i].acts > max) {
            max = s->weeks[i].acts;
            best = i;
        }
    cli_putf(o, CLI_BOLD, "Acts per week");
    cli_putf(o, CLI_PLAIN,
             " (interactions, pay-it-forwards, thank-yous): %d in %zu weeks, %.1f a week", s->acts,
             s->nweeks, s->nweeks ? (double)s->acts / (double)s->nweeks : 0.0);
    if (max)
        cli_putf(o, CLI_PLAIN, "; most %d (week of %s)", max,
                 kdate_format(s->weeks[best].monday, d));
    fputc('\n', o->f);
    int *v = kcalloc(s->nweeks ? s->nweeks : 1, sizeof *v);
    for (size_t i = 0; i < s->nweeks; i++)
        v[i] = s->weeks[i].acts;
    for (size_t i = 0; i < s->nweeks; i += STATS_SPARK_ROW) {
        struct sbuf b = {0};
        size_t n = s->nweeks - i < STATS_SPARK_ROW ? s->nweeks - i : STATS_SPARK_ROW;
        /* Scaled to the whole range, not the row. */
        int *row = kcalloc(n + 1, sizeof *row);
        memcpy(row, v + i, n * sizeof *row);
        row[n] = max;
        stats_spark(row, n + 1, &b);
        /* The scale's extra value is not a week: drop its character. */
        size_t cut = b.len;
        while (cut && ((unsigned char)b.s[cut - 1] & 0xC0) == 0x80)
            cut--;
        b.s[cut ? cut - 1 : 0] = '\0';
        cli_putf(o, CLI_PLAIN, "  %s  %s\n", kdate_format(s->weeks[i].monday, d), b.s);
        sbuf_free(&b);
        free(row);
    }
    free(v);
    size_t from = s->nweeks > STATS_BAR_WEEKS ? s->nweeks - STATS_BAR_WEEKS : 0;
    for (size_t i = from; i < s->nweeks; i++) {
        struct sbuf b = {0};
        stats_bar(s->weeks[i].acts, max, 30, &b);
        cli_putf(o, CLI_PLAIN, "  %s  %3d%s%s\n", kdate_format(s->weeks[i].monday, d),
                 s->weeks[i].acts, b.s ? "  " : "", b.s ? b.s : "");
        sbuf_free(&b);
    }
}

static void print_months(struct cli_out *o, const struct stats *s)
{
    char d[KDATE_BUF];
    int max = 0;
    for (size_t i = 0; i < s->nmonths; i++) {
        const struct stats_month *m = &s->months[i];
        const int v[] = {m->gave, m->asked, m->mutual, m->forward};
        for (int k = 0; k < 4; k++)
            if (v[k] > max)
                max = v[k];
    }
    cli_putf(o, CLI_BOLD, "\nPer month\n");
    cli_putf(o, CLI_DIM, "           gave         asked        mutual       paid forward\n");
    for (size_t i = 0; i < s->nmonths; i++) {
        const struct stats_month *m = &s->months[i];
        int v[] = {m->gave, m->asked, m->mutual, m->forward};
        static const enum cli_style st[] = {CLI_GAVE, CLI_ASKED, CLI_PLAIN, CLI_GAVE};
        cli_putf(o, CLI_PLAIN, "  %.7s", kdate_format(m->first, d));
        for (int k = 0; k < 4; k++) {
            struct sbuf b = {0};
            stats_bar(v[k], max, 8, &b);
            cli_putf(o, CLI_PLAIN, " %3d", v[k]);
            /* The last column is not padded: no trailing blanks. */
            if (k < 3) {
                fputc(' ', o->f);
                cli_put(o, st[k], b.s ? b.s : "", 8, 0);
            } else if (b.s) {
                fputc(' ', o->f);
                cli_put(o, st[k], b.s, 0, 0);
            }
            sbuf_free(&b);
        }
        fputc('\n', o->f);
    }
}

static void print_referrals(struct cli_out *o, const struct stats *s)
{
    cli_putf(o, CLI_BOLD, "\nThank-yous");
    if (s->latency_median >= 0)
        cli_putf(o, CLI_PLAIN,
                 ": %d day%s from a referral to its thank-you (the median; %d of %d thanked)\n",
                 s->latency_median, s->latency_median == 1 ? "" : "s", s->thanked, s->referrals);
    else
        cli_putf(o, CLI_PLAIN, ": none yet for the %d referral%s of the period\n", s->referrals,
                 s->referrals == 1 ? "" : "s");
    cli_putf(o, CLI_BOLD, "\nReferrals by outcome");
    cli_putf(o, CLI_PLAIN, " (%d)\n", s->referrals);
    int max = 0;
    for (int k = 0; k < KOUT_COUNT; k++)
        if (s->outcomes[k] > max)
            max = s->outcomes[k];
    for (int k = 0; k < KOUT_COUNT; k++) {
        struct sbuf b = {0};
        stats_bar(s->outcomes[k], max, 20, &b);
        cli_putf(o, CLI_PLAIN, "  %-10s %3d%s%s\n", koutcome_name((enum koutcome)k), s->outcomes[k],
                 b.s ? "  " : "", b.s ? b.s : "");
        sbuf_free(&b);
    }
}

static void print_challenges_and_doors(struct cli_out *o, const struct stats *s)
{
    char d[KDATE_BUF];
    cli_putf(o, CLI_BOLD, "\nChallenges\n");
    if (!s->nchallenges)
        cli_putf(o, CLI_PLAIN, "  none in the period: 'kith challenge start'\n");
    for (size_t i = 0; i < s->nchallenges; i++) {
        const struct stats_challenge *c = &s->challenges[i];
        struct sbuf b = {0};
        stats_bar(c->done, c->days, 20, &b);
        cli_putf(o, CLI_PLAIN, "  %s  %3d days  %3d done (%3d%%)  habit %3d%%%s%s%s\n",
                 kdate_format(c->started_on, d), c->days, c->done,
                 c->days ? c->done * 100 / c->days : 0, c->habit, c->active ? "  running" : "",
                 b.s ? "  " : "", b.s ? b.s : "");
        sbuf_free(&b);
    }
    cli_putf(o, CLI_BOLD, "\nWho opened doors for you\n");
    if (!s->ntop)
        cli_putf(o, CLI_PLAIN, "  no referrals in the period\n");
    int max = s->ntop ? s->top[0].referrals : 0;
    for (size_t i = 0; i < s->ntop; i++) {
        struct sbuf b = {0};
        stats_bar(s->top[i].referrals, max, 10, &b);
        fputs("  ", o->f);
        cli_put(o, CLI_BOLD, s->top[i].who.name, 22, 0);
        cli_putf(o, CLI_PLAIN, " %3d referral%s  ", s->top[i].referrals,
                 s->top[i].referrals == 1 ? " " : "s");
        /* Padded only when something follows: no trailing blanks. */
        cli_put(o, CLI_GAVE, b.s ? b.s : "", s->top[i].won ? 10 : 0, 0);
        if (s->top[i].won)
            cli_putf(o, CLI_PLAIN, "  %d with an offer, hired or won", s->top[i].won);
        fputc('\n', o->f);
        sbuf_free(&b);
    }
}

int cli_stats(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--since", 1}, {"--json", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct stats *s = NULL;
    char *json = NULL;
    int rc, since = KDATE_NONE;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, stats_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith stats takes no arguments");
        goto out;
    }
    if ((rc = cli_parse_date("--since", cli_args_get(&cmd.a, "--since"), &since, &cmd.e)) != K_OK) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK ||
        (rc = stats_get(cmd.j, since, &s, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        if ((rc = stats_json(cmd.j, s, &json, &cmd.e)) == K_OK)
            cli_json_put(o.f, json);
        goto out;
    }
    char a[KDATE_BUF], b[KDATE_BUF];
    cli_putf(&o, CLI_DIM, "From %s to %s\n\n", kdate_format(s->since, a),
             kdate_format(s->until, b));
    print_weeks(&o, s);
    print_months(&o, s);
    print_referrals(&o, s);
    print_challenges_and_doors(&o, s);
out:
    stats_free(&s);
    free(json);
    return cli_cmd_end(&cmd, rc, "stats", stats_usage);
}
