#include "kith/cli/cli_log.h"

#include "kith/core/check.h"
#include "kith/cli/cli_mail.h"
#include "kith/cli/cli_util.h"
#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

static const char log_usage[] =
    "kith log CONTACT... --kind KIND [--gave | --asked | --mutual] [--on DATE]\n"
    "         [--summary TEXT] [--note TEXT|-]\n"
    "       kith log --from-mail [--gave | --asked | --mutual] [--add-unknown] [--dry-run]";
static const char log_help[] =
    "usage: kith log CONTACT... --kind KIND [--gave | --asked | --mutual] [options]\n"
    "\n"
    "Logs an interaction with one or more contacts. KIND is any word: coffee,\n"
    "call, email, meeting, event, article, intro, referral, advice, resume-review,\n"
    "birthday, update, gift, thank-you, ... (the config lists the known ones).\n"
    "The direction is what it did to the balance: --gave (a deposit: you helped),\n"
    "--asked (a withdrawal: you asked for help) or --mutual. Without one, the\n"
    "kind's direction in the config is taken (advice: asked, article: gave, ...).\n"
    "\n"
    "  --on DATE        when: YYYY-MM-DD, today (default), yesterday or -Nd\n"
    "  --summary TEXT   one line about it\n"
    "  --note TEXT      longer notes (- reads standard input)\n"
    "\n"
    "With challenge.auto_tick: true in the config, a gave or mutual interaction\n"
    "ticks its day of the running challenge (when that day can still be ticked).\n"
    "\n"
    "kith log --from-mail reads one mail message on standard input (mutt's\n"
    "pipe-message) and logs it as an email with the contacts among its From,\n"
    "To and Cc addresses, on its Date (local time), its Subject the summary:\n"
    "gave when you sent it (the config's me: addresses), mutual otherwise,\n"
    "unless a direction is given. A message already logged (same Message-ID)\n"
    "is not logged again.\n"
    "  --add-unknown    add its unknown addresses as contacts, by display name\n"
    "  --dry-run        say what would be logged, change nothing\n";

/* The direction the config gives kind, into *dir; a usage error when it
 * gives none. */
static int kind_direction(struct cli_cmd *cmd, const char *kind, enum kdir *dir)
{
    const struct config_kind *k = config_kind_find(cmd->cfg, kind);
    if (!k || !k->default_direction || kdir_parse(k->default_direction, dir) != 0) {
        char *esc = kstr_escape(kind);
        int rc = cli_cmd_usage(cmd,
                               "the config gives '%s' no direction: give --gave, --asked or "
                               "--mutual",
                               esc);
        free(esc);
        return rc;
    }
    return K_OK;
}

int cli_log(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--kind", 1},        {"--gave", 0},    {"--asked", 0}, {"--mutual", 0},
        {"--on", 1},          {"--summary", 1}, {"--note", 1},  {"--from-mail", 0},
        {"--add-unknown", 0}, {"--dry-run", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    char(*ids)[KID_LEN + 1] = NULL;
    const char **idp = NULL;
    char *note = NULL, *summary = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, log_help);
    if (cli_args_has(&cmd.a, "--from-mail")) {
        rc = cli_log_mail(&cmd, g);
        goto out;
    }
    if (cli_args_has(&cmd.a, "--add-unknown") || cli_args_has(&cmd.a, "--dry-run")) {
        rc = cli_cmd_usage(&cmd, "--add-unknown and --dry-run go with --from-mail");
        goto out;
    }
    int ndir = cli_args_has(&cmd.a, "--gave") + cli_args_has(&cmd.a, "--asked") +
               cli_args_has(&cmd.a, "--mutual");
    struct interaction_input in = {0};
    if (!cmd.a.npos)
        rc = cli_cmd_usage(&cmd, "kith log needs at least one CONTACT");
    else if (!cli_args_get(&cmd.a, "--kind"))
        rc = cli_cmd_usage(&cmd, "kith log needs --kind (coffee, call, advice, intro, ...)");
    else if (ndir > 1)
        rc = cli_cmd_usage(&cmd, "give one of --gave, --asked or --mutual, not several");
    if (rc != K_OK)
        goto out;
    in.dir = cli_args_has(&cmd.a, "--gave")    ? KDIR_GAVE
             : cli_args_has(&cmd.a, "--asked") ? KDIR_ASKED
                                               : KDIR_MUTUAL;
    in.kind = cli_args_get(&cmd.a, "--kind");
    if ((rc = check_word("--kind", in.kind, &cmd.e)) != K_OK ||
        (rc = cli_parse_date("--on", cli_args_get(&cmd.a, "--on"), &in.date, &cmd.e)) != K_OK ||
        (rc = cli_read_value("summary", cli_args_get(&cmd.a, "--summary"), CHECK_SHORT_MAX,
                             &summary, &cmd.e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&cmd.a, "--note"), CHECK_LONG_MAX, &note,
                             &cmd.e)) != K_OK)
        goto out;
    in.summary = summary;
    in.note = note;
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if (!ndir && (rc = kind_direction(&cmd, in.kind, &in.dir)) != K_OK)
        goto out;
    ids = kcalloc(cmd.a.npos, sizeof *ids);
    idp = kcalloc(cmd.a.npos, sizeof *idp);
    for (size_t i = 0; i < cmd.a.npos; i++) {
        if ((rc = contact_resolve(cmd.j, cmd.a.pos[i], ids[i], &cmd.e)) != K_OK)
            goto out;
        idp[i] = ids[i];
    }
    in.contact_ids = idp;
    in.ncontacts = cmd.a.npos;
    char id[KID_LEN + 1], sid[KID_LEN + 1], buf[KDATE_BUF];
    int ticked = 0;
    if ((rc = interaction_log_act(cmd.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &cmd.e)) != K_OK)
        goto out;
    journal_short_id(cmd.j, "interaction", id, sid);
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "logged %s (%s) on %s", in.kind, kdir_name(in.dir),
             kdate_format(in.date == KDATE_NONE ? journal_today(cmd.j) : in.date, buf));
    cli_putf(&o, CLI_DIM, "  %s\n", sid);
    cli_said_tick(&o, ticked, in.date == KDATE_NONE ? journal_today(cmd.j) : in.date);
out:
    free(ids);
    free(idp);
    free(note);
    free(summary);
    return cli_cmd_end(&cmd, rc, "log", log_usage);
}

/* One source of the timeline, read a window at a time. */
struct timeline_feed {
    struct interaction_query q; /* interactions */
    struct forward_query fq;    /* pay-it-forwards */
    struct interaction_list l;
    struct forward_list fl;
    size_t at, read; /* the next row in the window; rows read so far */
    int done;
};

#define FEED_WINDOW 200

/* Makes sure each source that is not done has a row at its cursor. */
static int feed(struct journal *j, struct timeline_feed *in, struct timeline_feed *fw,
                struct kerr *e)
{
    int rc = K_OK;
    if (!in->done && in->at == in->l.n) {
        interaction_list_clear(&in->l);
        in->q.offset = in->read;
        in->q.limit = FEED_WINDOW;
        rc = interaction_list(j, &in->q, &in->l, e);
        in->read += in->l.n;
        in->at = 0;
        in->done = rc != K_OK || !in->l.n;
    }
    if (rc == K_OK && !fw->done && fw->at == fw->fl.n) {
        forward_list_clear(&fw->fl);
        fw->fq.offset = fw->read;
        fw->fq.limit = FEED_WINDOW;
        rc = forward_list(j, &fw->fq, &fw->fl, e);
        fw->read += fw->fl.n;
        fw->at = 0;
        fw->done = rc != K_OK || !fw->fl.n;
    }
    return rc;
}

/* A pay-it-forward, marked »: a gift, not a deposit in anyone's balance. */
static void print_timeline_forward(struct cli_out *o, const struct forward *f)
{
    char buf[KDATE_BUF];
    cli_put(o, CLI_PLAIN, kdate_format(f->date, buf), 10, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_GAVE, "»", 6, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, "forward", 13, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_BOLD, f->contact.name ? f->contact.name : "someone", 22, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, f->text, 0, 0);
    fputc('\n', o->f);
}

static const char timeline_usage[] =
    "kith timeline [CONTACT] [--since DATE] [--until DATE] [--kind KIND] [--json]";
static const char timeline_help[] =
    "usage: kith timeline [CONTACT] [options]\n"
    "\n"
    "Interactions and pay-it-forwards (marked », kind forward), newest first: of\n"
    "one contact, or of everyone.\n"
    "\n"
    "  --since DATE   from this day on (YYYY-MM-DD, today, yesterday, -Nd)\n"
    "  --until DATE   up to this day\n"
    "  --kind KIND    only this kind\n"
    "  --limit N      at most N interactions\n"
    "  --json         a JSON array of {id, date, kind, direction, contacts: [{id,\n"
    "                 name}], summary, note}\n";

/* One interaction as a line of the timeline: date, direction, kind, who,
 * summary. */
static void put_row(struct cli_out *o, const struct interaction *it)
{
    char buf[KDATE_BUF];
    cli_put(o, CLI_PLAIN, kdate_format(it->date, buf), 10, 0);
    fputs("  ", o->f);
    cli_put(o, cli_dir_style(it->dir), kdir_name(it->dir), 6, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, it->kind, 13, 0);
    fputs("  ", o->f);
    cli_put_names(o, it, it->summary ? 22 : 0);
    if (it->summary) {
        fputs("  ", o->f);
        cli_put(o, CLI_PLAIN, it->summary, 0, 0);
    }
    fputc('\n', o->f);
}

int cli_timeline(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--since", 1}, {"--until", 1}, {"--kind", 1},
                                              {"--json", 0},  {"--limit", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    int rc, limit = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, timeline_help);
    struct interaction_query q = {0};
    if (cmd.a.npos > 1) {
        rc = cli_cmd_usage(&cmd, "kith timeline takes at most one CONTACT");
        goto out;
    }
    q.kind = cli_args_get(&cmd.a, "--kind");
    if ((rc = cli_parse_date("--since", cli_args_get(&cmd.a, "--since"), &q.since, &cmd.e)) !=
            K_OK ||
        (rc = cli_parse_date("--until", cli_args_get(&cmd.a, "--until"), &q.until, &cmd.e)) !=
            K_OK ||
        (q.kind && (rc = check_word("--kind", q.kind, &cmd.e)) != K_OK) ||
        (cli_args_has(&cmd.a, "--limit") &&
         (rc = cli_parse_int("--limit", cli_args_get(&cmd.a, "--limit"), 1, 100000000, &limit,
                             &cmd.e))))
        goto out;
    if (q.since != KDATE_NONE && q.until != KDATE_NONE && q.since > q.until) {
        rc = kerr_set(&cmd.e, K_USAGE, "--since is after --until");
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    char id[KID_LEN + 1];
    if (cmd.a.npos) {
        if ((rc = contact_resolve(cmd.j, cmd.a.pos[0], id, &cmd.e)) != K_OK)
            goto out;
        q.contact_id = id;
    }
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        q.limit = (size_t)limit;
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = interaction_each_json(cmd.j, &q, cli_json_item, &arr, &cmd.e);
        cli_json_end(&arr);
        goto out;
    }
    /* Windows of rows, so a long timeline is never held whole: the
     * interactions and the pay-it-forwards (unless --kind asks for another
     * kind), merged newest first. */
    struct timeline_feed in = {0}, fw = {0};
    in.q = q;
    fw.done = q.kind && strcmp(q.kind, "forward");
    fw.fq.contact_id = q.contact_id;
    fw.fq.since = q.since;
    fw.fq.until = q.until;
    for (size_t shown = 0; !limit || shown < (size_t)limit; shown++) {
        if ((rc = feed(cmd.j, &in, &fw, &cmd.e)) != K_OK)
            break;
        int take_in = !in.done && (fw.done || in.l.v[in.at].date >= fw.fl.v[fw.at].date);
        if (take_in)
            put_row(&o, &in.l.v[in.at++]);
        else if (!fw.done)
            print_timeline_forward(&o, &fw.fl.v[fw.at++]);
        else
            break;
    }
    interaction_list_clear(&in.l);
    forward_list_clear(&fw.fl);
out:
    return cli_cmd_end(&cmd, rc, "timeline", timeline_usage);
}
