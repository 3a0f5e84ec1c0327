#include "kith/cli/cli_dupes.h"

#include "kith/cli/cli.h"
#include "kith/cli/cli_util.h"
#include "kith/core/contact.h"
#include "kith/core/dupes.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char dupes_usage[] = "kith dupes [--json] [--limit N]";
static const char dupes_help[] =
    "usage: kith dupes [--json] [--limit N]\n"
    "\n"
    "Lists contacts that may be one person, with the reason: the same email,\n"
    "the same phone (however it is written), the same name and company, the\n"
    "same name, or similar names (Jon and John Smith, Bob and Robert Lee).\n"
    "Import never merges on such a hint; 'kith merge KEEP OTHER' does, when you\n"
    "say so. Contacts with different LinkedIn profiles are never listed.\n"
    "\n"
    "  --json      one JSON array: keep, other (id and name), reasons, detail\n"
    "  --limit N   at most N pairs (default 100)\n";

/* "same email ana@acme.example, same name" */
static void reasons_text(const struct dupes_pair *p, struct sbuf *b)
{
    static const unsigned order[] = {DUPES_EMAIL, DUPES_PHONE, DUPES_NAME_COMPANY, DUPES_NAME,
                                     DUPES_SIMILAR};
    int first = 1;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(p->reasons & order[i]))
            continue;
        sbuf_printf(b, "%s%s %s", first ? "" : ", ", order[i] == DUPES_SIMILAR ? "similar" : "same",
                    order[i] == DUPES_SIMILAR ? "names" : dupes_reason_name(order[i]));
        if (first && (order[i] == DUPES_EMAIL || order[i] == DUPES_PHONE) && p->detail)
            sbuf_printf(b, " %s", p->detail);
        first = 0;
    }
}

static int print_json(struct journal *j, const struct dupes_list *l, FILE *f, struct kerr *e)
{
    struct sbuf b = {0};
    int rc = K_OK;
    sbuf_add(&b, "[");
    for (size_t i = 0; i < l->n && rc == K_OK; i++) {
        const struct dupes_pair *p = &l->v[i];
        char *kn = NULL, *on = NULL, *d = NULL;
        if ((rc = journal_json_quote(j, p->keep.name, &kn, e)) == K_OK &&
            (rc = journal_json_quote(j, p->other.name, &on, e)) == K_OK &&
            (rc = journal_json_quote(j, p->detail, &d, e)) == K_OK) {
            sbuf_printf(&b,
                        "%s\n{\"keep\":{\"id\":\"%s\",\"name\":%s},\"other\":{\"id\":\"%s\","
                        "\"name\":%s},\"reasons\":[",
                        i ? "," : "", p->keep.id, kn, p->other.id, on);
            int first = 1;
            for (unsigned r = DUPES_EMAIL; r <= DUPES_SIMILAR; r <<= 1)
                if (p->reasons & r) {
                    sbuf_printf(&b, "%s\"%s\"", first ? "" : ",",
                                dupes_reason_name((enum dupes_reason)r));
                    first = 0;
                }
            sbuf_printf(&b, "],\"detail\":%s}", d);
        }
        free(kn);
        free(on);
        free(d);
    }
    sbuf_add(&b, l->n ? "\n]" : "]");
    if (rc == K_OK)
        cli_json_put(f, b.s);
    sbuf_free(&b);
    return rc;
}

int cli_dupes(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--json", 0}, {"--limit", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct dupes_list l = {0};
    char *kith = NULL;
    int rc, limit = 100;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, dupes_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith dupes takes no arguments");
        goto out;
    }
    if (cli_args_has(&cmd.a, "--limit") &&
        (rc = cli_parse_int("--limit", cli_args_get(&cmd.a, "--limit"), 1, 100000, &limit,
                            &cmd.e)) != K_OK) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if ((rc = dupes_find(cmd.j, (size_t)limit, &l, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    /* Each pair's merge with the --db given: pasted, it merges in this
     * journal (sync's notice sends people here from any journal). */
    kith = cli_command(g);
    if (cli_args_has(&cmd.a, "--json")) {
        rc = print_json(cmd.j, &l, o.f, &cmd.e);
        goto out;
    }
    for (size_t i = 0; i < l.n; i++) {
        const struct dupes_pair *p = &l.v[i];
        char ka[KID_LEN + 1], kb[KID_LEN + 1];
        struct sbuf r = {0};
        journal_short_id(cmd.j, "contact", p->keep.id, ka);
        journal_short_id(cmd.j, "contact", p->other.id, kb);
        reasons_text(p, &r);
        cli_put(&o, CLI_BOLD, p->keep.name, 0, 0);
        cli_putf(&o, CLI_DIM, " (%s)", ka);
        cli_putf(&o, CLI_PLAIN, " and ");
        cli_put(&o, CLI_BOLD, p->other.name, 0, 0);
        cli_putf(&o, CLI_DIM, " (%s)", kb);
        cli_putf(&o, CLI_PLAIN, ": ");
        cli_put(&o, CLI_PLAIN, r.s, 0, 0);
        cli_putf(&o, CLI_DIM, "\n  to make them one: %s merge %s %s\n", kith, ka, kb);
        sbuf_free(&r);
    }
    if (!l.n)
        cli_putf(&o, CLI_PLAIN, "no likely duplicates\n");
    else
        cli_putf(&o, CLI_PLAIN, "%zu%s likely duplicate%s\n", l.n, l.more ? "+" : "",
                 l.n == 1 ? "" : "s");
out:
    free(kith);
    dupes_list_clear(&l);
    return cli_cmd_end(&cmd, rc, "dupes", dupes_usage);
}

static const char merge_usage[] = "kith merge KEEP OTHER [--yes] [--force]";
static const char merge_help[] =
    "usage: kith merge KEEP OTHER [--yes] [--force]\n"
    "\n"
    "Makes two contacts one, in one transaction: KEEP gains what it lacks of\n"
    "OTHER's details, tags, notes, nicknames and UIDs, OTHER's name becomes a\n"
    "nickname (a merge never drops a name), and OTHER's interactions,\n"
    "referrals and thank-yous move to KEEP. Then OTHER is deleted.\n"
    "\n"
    "  --yes     do not ask first (needed without a terminal)\n"
    "  --force   merge even when the two have different LinkedIn profiles\n";

int cli_merge(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--yes", 0}, {"-y", 0}, {"--force", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct contact k = {0}, o = {0};
    int rc, declined = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, merge_help);
    if (cmd.a.npos != 2) {
        rc = cli_cmd_usage(&cmd, "kith merge takes two contacts: KEEP OTHER");
        goto out;
    }
    char keep[KID_LEN + 1], other[KID_LEN + 1];
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK ||
        (rc = contact_resolve(cmd.j, cmd.a.pos[0], keep, &cmd.e)) != K_OK ||
        (rc = contact_resolve(cmd.j, cmd.a.pos[1], other, &cmd.e)) != K_OK ||
        (rc = contact_get(cmd.j, keep, &k, &cmd.e)) != K_OK ||
        (rc = contact_get(cmd.j, other, &o, &cmd.e)) != K_OK)
        goto out;
    if (!strcmp(keep, other)) {
        rc = cli_cmd_usage(&cmd, "KEEP and OTHER are the same contact");
        goto out;
    }
    if (!cli_args_has(&cmd.a, "--yes") && !cli_args_has(&cmd.a, "-y")) {
        if (!isatty(STDIN_FILENO)) {
            rc = kerr_set(&cmd.e, K_USAGE, "not merging without --yes (no terminal to ask)");
            goto out;
        }
        char *kn = kstr_escape(k.name), *on = kstr_escape(o.name);
        fprintf(stderr, "Merge %s into %s (and delete %s)? [y/N] ", on, kn, on);
        free(kn);
        free(on);
        char answer[16] = "";
        if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            fputs("nothing merged\n", stderr);
            declined = 1;
            goto out;
        }
    }
    struct dupes_moved m;
    if ((rc = dupes_merge(cmd.j, keep, other, cli_args_has(&cmd.a, "--force"), &m, &cmd.e)) != K_OK)
        goto out;
    struct cli_out out;
    cli_out_init(&out, g);
    cli_putf(&out, CLI_PLAIN, "merged ");
    cli_put(&out, CLI_BOLD, o.name, 0, 0);
    cli_putf(&out, CLI_PLAIN, " into ");
    cli_put(&out, CLI_BOLD, k.name, 0, 0);
    cli_putf(&out, CLI_PLAIN, ": %zu interaction%s, %zu referral%s, %zu thank-you%s moved\n",
             m.interactions, m.interactions == 1 ? "" : "s", m.referrals,
             m.referrals == 1 ? "" : "s", m.thanks, m.thanks == 1 ? "" : "s");
out:
    contact_clear(&k);
    contact_clear(&o);
    if (declined) {
        cli_cmd_free(&cmd);
        return 1;
    }
    return cli_cmd_end(&cmd, rc, "merge", merge_usage);
}
