#include "kith/cli/cli_referral.h"

#include "kith/core/check.h"
#include "kith/cli/cli_util.h"
#include "kith/core/contact.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <stdlib.h>
#include <string.h>

static void print_referral_line(struct cli_out *o, struct journal *j, const struct referral *r,
                                int today)
{
    char sid[KID_LEN + 1], buf[KDATE_BUF], num[32];
    journal_short_id(j, "referral", r->id, sid);
    cli_put(o, CLI_DIM, sid, KID_SHORT, 0);
    fputs("  ", o->f);
    /* A date the journal holds but kith cannot read (written by an older
     * kith's import json) shows as '?', and counts no days. */
    int dated = r->date != KDATE_NONE;
    cli_put(o, CLI_PLAIN, dated ? kdate_format(r->date, buf) : "?", 10, 0);
    fputs("  ", o->f);
    cli_put_route(o, r, 18, 24);
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, r->kind, 11, 0);
    fputs("  ", o->f);
    cli_put(o, r->outcome == KOUT_LOST ? CLI_DIM : CLI_PLAIN, koutcome_name(r->outcome), 9, 0);
    fputs("  ", o->f);
    if (r->thanked) {
        struct sbuf s = {0};
        sbuf_printf(&s, "✓ %s", kdate_format(r->thanked_on, buf));
        if (r->thanked_form) {
            sbuf_add(&s, " ");
            sbuf_add(&s, r->thanked_form);
        }
        cli_put(o, CLI_OK, s.s, 0, 0);
        sbuf_free(&s);
    } else {
        if (dated)
            snprintf(num, sizeof num, "✗ not thanked, %lldd", (long long)today - r->date);
        else
            snprintf(num, sizeof num, "✗ not thanked");
        cli_put(o, CLI_WARN, num, 0, 0);
    }
    fputc('\n', o->f);
}

static const char refer_usage[] =
    "kith refer --by CONTACT (--to CONTACT | --to-text TEXT) [--kind KIND] [--on DATE]\n"
    "           [--from REFERRAL] [--note TEXT]";
static const char refer_help[] =
    "usage: kith refer --by CONTACT (--to CONTACT | --to-text TEXT) [options]\n"
    "\n"
    "Records that someone opened a door for you: to a person in your journal\n"
    "(--to) or to something described in words (--to-text: a company, a job, a\n"
    "customer, a masterclass). Its outcome starts as pending.\n"
    "\n"
    "  --kind KIND       intro (default), job, customer, mentor, ... any word\n"
    "  --on DATE         when (default today)\n"
    "  --from REFERRAL   the referral this one grew out of, to build a trail\n"
    "  --note TEXT       notes (- reads standard input)\n";

int cli_refer(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--by", 1},   {"--to", 1}, {"--to-text", 1},
                                              {"--kind", 1}, {"--on", 1}, {"--from", 1},
                                              {"--note", 1}, {NULL, 0}};
    struct cli_cmd c;
    char *note = NULL;
    int rc = cli_cmd_parse(&c, argc, argv, spec);
    if (rc != K_OK)
        goto out;
    if (c.a.help)
        return cli_cmd_help(&c, refer_help);
    struct referral_input in = {0};
    const char *by = cli_args_get(&c.a, "--by"), *to = cli_args_get(&c.a, "--to");
    in.target_text = cli_args_get(&c.a, "--to-text");
    in.kind = cli_args_get(&c.a, "--kind");
    if (c.a.npos)
        rc = cli_cmd_usage(&c, "kith refer takes no positional arguments; use --by and --to");
    else if (!by)
        rc = cli_cmd_usage(&c, "kith refer needs --by CONTACT: who referred you");
    else if (!to == !in.target_text)
        rc = cli_cmd_usage(&c, "give exactly one of --to CONTACT or --to-text TEXT");
    if (rc != K_OK)
        goto out;
    if ((in.kind && (rc = check_word("--kind", in.kind, &c.e)) != K_OK) ||
        (rc = check_text("--to-text", in.target_text, CHECK_SHORT_MAX, &c.e)) != K_OK ||
        (rc = cli_parse_date("--on", cli_args_get(&c.a, "--on"), &in.date, &c.e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&c.a, "--note"), CHECK_LONG_MAX, &note, &c.e)) !=
            K_OK)
        goto out;
    in.note = note;
    if ((rc = cli_open(g, 0, &c.cfg, &c.j, &c.e)) != K_OK)
        goto out;
    char byid[KID_LEN + 1], toid[KID_LEN + 1], parent[KID_LEN + 1], id[KID_LEN + 1];
    if ((rc = contact_resolve(c.j, by, byid, &c.e)) != K_OK)
        goto out;
    in.referrer_id = byid;
    if (to) {
        if ((rc = contact_resolve(c.j, to, toid, &c.e)) != K_OK)
            goto out;
        in.target_id = toid;
    }
    if (cli_args_get(&c.a, "--from")) {
        if ((rc = referral_resolve(c.j, cli_args_get(&c.a, "--from"), parent, &c.e)) != K_OK)
            goto out;
        in.parent_id = parent;
    }
    if ((rc = referral_add(c.j, &in, id, &c.e)) != K_OK)
        goto out;
    struct referral r;
    if ((rc = referral_get(c.j, id, &r, &c.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "recorded: ", 0, 0);
    print_referral_line(&o, c.j, &r, journal_today(c.j));
    referral_clear(&r);
out:
    free(note);
    return cli_cmd_end(&c, rc, "refer", refer_usage);
}

static const char outcome_usage[] =
    "kith outcome REFERRAL --status pending|meeting|interview|offer|hired|won|lost|none\n"
    "             [--on DATE] [--note TEXT]";
static const char outcome_help[] =
    "usage: kith outcome REFERRAL --status STATUS [--on DATE] [--note TEXT]\n"
    "\n"
    "Records what came of a referral. STATUS is pending, meeting, interview,\n"
    "offer, hired, won, lost or none; every change is kept in its history.\n"
    "REFERRAL is an id prefix as 'kith referrals' shows it.\n";

int cli_outcome(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--status", 1}, {"--on", 1}, {"--note", 1}, {NULL, 0}};
    struct cli_cmd c;
    char *note = NULL, *status = NULL;
    int rc = cli_cmd_parse(&c, argc, argv, spec), date;
    if (rc != K_OK)
        goto out;
    if (c.a.help)
        return cli_cmd_help(&c, outcome_help);
    enum koutcome st;
    if (cli_args_get(&c.a, "--status"))
        status = kstr_fold(cli_args_get(&c.a, "--status"));
    if (c.a.npos != 1)
        rc = cli_cmd_usage(&c, "kith outcome needs one REFERRAL");
    else if (!status)
        rc = cli_cmd_usage(&c, "kith outcome needs --status");
    else if (koutcome_parse(status, &st) != 0)
        rc = cli_cmd_usage(&c, "--status must be pending, meeting, interview, offer, hired, won, "
                               "lost or none");
    if (rc != K_OK)
        goto out;
    if ((rc = cli_parse_date("--on", cli_args_get(&c.a, "--on"), &date, &c.e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&c.a, "--note"), CHECK_LONG_MAX, &note, &c.e)) !=
            K_OK)
        goto out;
    if ((rc = cli_open(g, 0, &c.cfg, &c.j, &c.e)) != K_OK)
        goto out;
    char id[KID_LEN + 1];
    /* st is set: cli_cmd_usage returns K_USAGE, which the analyzer cannot see
     * through kerr_set. */
    if ((rc = referral_resolve(c.j, c.a.pos[0], id, &c.e)) != K_OK ||
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
        (rc = referral_set_outcome(c.j, id, st, date, note, &c.e)) != K_OK)
        goto out;
    struct referral r;
    if ((rc = referral_get(c.j, id, &r, &c.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "saved: ", 0, 0);
    print_referral_line(&o, c.j, &r, journal_today(c.j));
    referral_clear(&r);
out:
    free(note);
    free(status);
    return cli_cmd_end(&c, rc, "outcome", outcome_usage);
}

static const char thank_usage[] =
    "kith thank CONTACT [--for REFERRAL] [--form FORM] [--on DATE] [--note TEXT]";
static const char thank_help[] =
    "usage: kith thank CONTACT [--for REFERRAL] [--form FORM] [--on DATE] [--note TEXT]\n"
    "\n"
    "Records a thank-you. A referral counts as thanked when a thank-you to its\n"
    "referrer is for it (--for) or is dated on or after it.\n"
    "\n"
    "  --for REFERRAL   the referral it is for (an id prefix)\n"
    "  --form FORM      email (default), note, handwritten-note, gift-card, lunch,\n"
    "                   call, ... any word\n"
    "  --on DATE        when (default today)\n"
    "  --note TEXT      notes (- reads standard input)\n";

int cli_thank(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--for", 1}, {"--form", 1}, {"--on", 1}, {"--note", 1}, {NULL, 0}};
    struct cli_cmd c;
    char *note = NULL;
    int rc = cli_cmd_parse(&c, argc, argv, spec);
    if (rc != K_OK)
        goto out;
    if (c.a.help)
        return cli_cmd_help(&c, thank_help);
    struct thanks_input in = {0};
    in.form = cli_args_get(&c.a, "--form");
    if (c.a.npos != 1) {
        rc = cli_cmd_usage(&c, c.a.npos ? "kith thank takes one CONTACT (quote names with spaces)"
                                        : "kith thank needs a CONTACT");
        goto out;
    }
    if ((in.form && (rc = check_text("--form", in.form, 100, &c.e)) != K_OK) ||
        (rc = cli_parse_date("--on", cli_args_get(&c.a, "--on"), &in.date, &c.e)) != K_OK ||
        (rc = cli_read_value("note", cli_args_get(&c.a, "--note"), CHECK_LONG_MAX, &note, &c.e)) !=
            K_OK)
        goto out;
    in.note = note;
    if ((rc = cli_open(g, 0, &c.cfg, &c.j, &c.e)) != K_OK)
        goto out;
    char cid[KID_LEN + 1], rid[KID_LEN + 1], id[KID_LEN + 1], buf[KDATE_BUF];
    if ((rc = contact_resolve(c.j, c.a.pos[0], cid, &c.e)) != K_OK)
        goto out;
    in.contact_id = cid;
    if (cli_args_get(&c.a, "--for")) {
        if ((rc = referral_resolve(c.j, cli_args_get(&c.a, "--for"), rid, &c.e)) != K_OK)
            goto out;
        in.referral_id = rid;
    }
    if ((rc = thanks_add(c.j, &in, id, &c.e)) != K_OK)
        goto out;
    struct contact ct;
    if ((rc = contact_get(c.j, cid, &ct, &c.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "thanked ", 0, 0);
    cli_put(&o, CLI_BOLD, ct.name, 0, 0);
    cli_put(&o, CLI_PLAIN, " (", 0, 0);
    /* The form as stored: without the spaces around it. */
    const char *form = in.form ? in.form : "email";
    size_t flen;
    while (*form == ' ')
        form++;
    for (flen = strlen(form); flen && form[flen - 1] == ' '; flen--)
        ;
    char *shown = kstr_ndup(form, flen);
    cli_put(&o, CLI_PLAIN, shown, 0, 0);
    free(shown);
    cli_putf(&o, CLI_PLAIN, ") on %s",
             kdate_format(in.date == KDATE_NONE ? journal_today(c.j) : in.date, buf));
    if (in.referral_id) {
        char sid[KID_LEN + 1];
        journal_short_id(c.j, "referral", rid, sid);
        cli_putf(&o, CLI_PLAIN, " for referral %s", sid);
    }
    fputc('\n', o.f);
    contact_clear(&ct);
out:
    free(note);
    return cli_cmd_end(&c, rc, "thank", thank_usage);
}

static const char referrals_usage[] = "kith referrals [--unthanked] [--by CONTACT] [--json]";
static const char referrals_help[] =
    "usage: kith referrals [--unthanked] [--by CONTACT] [--json]\n"
    "\n"
    "Every referral: who referred you, to whom or what, when, the outcome, and\n"
    "whether you thanked them. Unthanked first, oldest first.\n"
    "\n"
    "  --unthanked     only the ones you have not thanked yet\n"
    "  --by CONTACT    only the ones this contact made\n"
    "  --json          a JSON array of {id, referrer, referrer_id, target,\n"
    "                  target_id, kind, date, outcome, thanked, thanked_on,\n"
    "                  parent, note}\n";

int cli_referrals(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--unthanked", 0}, {"--by", 1}, {"--json", 0}, {NULL, 0}};
    struct cli_cmd c;
    struct referral_list l = {0};
    int rc = cli_cmd_parse(&c, argc, argv, spec);
    if (rc != K_OK)
        goto out;
    if (c.a.help)
        return cli_cmd_help(&c, referrals_help);
    if (c.a.npos) {
        rc = cli_cmd_usage(&c, "kith referrals takes no arguments (did you mean --by?)");
        goto out;
    }
    if ((rc = cli_open(g, 0, &c.cfg, &c.j, &c.e)) != K_OK)
        goto out;
    struct referral_query q = {0};
    char by[KID_LEN + 1];
    q.unthanked_only = cli_args_has(&c.a, "--unthanked");
    if (cli_args_get(&c.a, "--by")) {
        if ((rc = contact_resolve(c.j, cli_args_get(&c.a, "--by"), by, &c.e)) != K_OK)
            goto out;
        q.referrer_id = by;
    }
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&c.a, "--json")) {
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = referral_each_json(c.j, &q, cli_json_item, &arr, &c.e);
        cli_json_end(&arr);
        goto out;
    }
    for (q.offset = 0;; q.offset += l.n) {
        referral_list_clear(&l);
        q.limit = 500;
        if ((rc = referral_list(c.j, &q, &l, &c.e)) != K_OK || !l.n)
            break;
        for (size_t i = 0; i < l.n; i++)
            print_referral_line(&o, c.j, &l.v[i], journal_today(c.j));
    }
out:
    referral_list_clear(&l);
    return cli_cmd_end(&c, rc, "referrals", referrals_usage);
}

static const char trail_usage[] = "kith trail REFERRAL [--json]";
static const char trail_help[] =
    "usage: kith trail REFERRAL [--json]\n"
    "\n"
    "The chain of referrals that led to this one, oldest first, each link with\n"
    "its outcome and whether you thanked the person who made it.\n"
    "\n"
    "  --json   a JSON array of the fields of 'kith referrals --json'\n";

int cli_trail(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--json", 0}, {NULL, 0}};
    struct cli_cmd c;
    struct referral_list l = {0};
    int rc = cli_cmd_parse(&c, argc, argv, spec);
    if (rc != K_OK)
        goto out;
    if (c.a.help)
        return cli_cmd_help(&c, trail_help);
    if (c.a.npos != 1) {
        rc = cli_cmd_usage(&c, "kith trail needs one REFERRAL");
        goto out;
    }
    if ((rc = cli_open(g, 0, &c.cfg, &c.j, &c.e)) != K_OK)
        goto out;
    char id[KID_LEN + 1];
    if ((rc = referral_resolve(c.j, c.a.pos[0], id, &c.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&c.a, "--json")) {
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = referral_trail_each_json(c.j, id, cli_json_item, &arr, &c.e);
        cli_json_end(&arr);
        goto out;
    }
    if ((rc = referral_trail(c.j, id, &l, &c.e)) != K_OK)
        goto out;
    for (size_t i = 0; i < l.n; i++) {
        cli_putf(&o, CLI_DIM, "%2zu. ", i + 1);
        print_referral_line(&o, c.j, &l.v[i], journal_today(c.j));
    }
out:
    referral_list_clear(&l);
    return cli_cmd_end(&c, rc, "trail", trail_usage);
}
