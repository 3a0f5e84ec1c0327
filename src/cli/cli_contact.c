#include "kith/cli/cli_contact.h"

#include "kith/core/check.h"
#include "kith/cli/cli_util.h"
#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/goodwill.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/search.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* clang-format off */
#define FIELD_OPTS                                                                                 \
    {"--company", 1}, {"--title", 1}, {"--email", 1}, {"--phone", 1}, {"--link", 1},               \
    {"--tag", 1}, {"--met-on", 1}, {"--how-met", 1}, {"--birthday", 1}, {"--note", 1},             \
    {"--location", 1}, {"--working-on", 1}, {"--need", 1}, {"--offer", 1}, {"--every", 1}
/* clang-format on */

static const char add_usage[] =
    "kith add NAME [--company C] [--title T] [--email E]... [--phone P]... [--link URL]...\n"
    "         [--tag T]... [--met-on DATE] [--how-met TEXT] [--birthday MM-DD|YYYY-MM-DD]\n"
    "         [--location TEXT] [--working-on TEXT] [--need TEXT]... [--offer TEXT]...\n"
    "         [--every SPAN] [--note TEXT|-]";
static const char add_help[] =
    "usage: kith add NAME [options]\n"
    "\n"
    "Adds a contact. Every option but NAME is optional; --email, --phone, --link,\n"
    "--tag, --need and --offer may be repeated. A value of - reads the text from\n"
    "standard input.\n"
    "\n"
    "  --company C          where they work\n"
    "  --title T            their role\n"
    "  --email E            an email address (repeatable)\n"
    "  --phone P            a phone number (repeatable)\n"
    "  --link URL           a web page, profile, ... (repeatable)\n"
    "  --tag T              a tag such as mentor or alumni (repeatable)\n"
    "  --met-on DATE        when you met: YYYY-MM-DD, today, yesterday or -Nd\n"
    "  --how-met TEXT       how you met\n"
    "  --birthday DATE      MM-DD, or YYYY-MM-DD when you know the year\n"
    "  --location TEXT      where they are\n"
    "  --working-on TEXT    what they are working on, so you can help\n"
    "  --need TEXT          something they are looking for: \"hiring two staff\n"
    "                       engineers\", \"intro to a seed investor\" (repeatable)\n"
    "  --offer TEXT         something they can help others with (repeatable)\n"
    "  --every SPAN         keep in touch at least this often: 10d, 3w, 2m, 1y (a\n"
    "                       silence rule with cadence: contact reminds you)\n"
    "  --note TEXT          free notes (- reads standard input)\n"
    "\n"
    "Your own offers go in the config (me: {offers: [...]}); kith ideas matches\n"
    "them and everyone's offers against the needs.\n";
static const char edit_usage[] =
    "kith edit CONTACT [--name N] [the options of add] [--untag T]... [--remove-email E]...\n"
    "          [--remove-phone P]... [--remove-link URL]... [--remove-need TEXT]...\n"
    "          [--remove-offer TEXT]... [--archive | --unarchive]";
static const char edit_help[] =
    "usage: kith edit CONTACT [options]\n"
    "\n"
    "Changes a contact. CONTACT is a name, a unique part of one, or an id prefix.\n"
    "Options are those of 'kith add' (an empty value clears a field, --every \"\"\n"
    "the cadence; --email, --phone, --link, --tag, --need and --offer add to the\n"
    "existing ones), and:\n"
    "\n"
    "  --name N             rename\n"
    "  --untag T            remove a tag (repeatable)\n"
    "  --remove-email E     remove an email address (repeatable)\n"
    "  --remove-phone P     remove a phone number (repeatable)\n"
    "  --remove-link URL    remove a link (repeatable)\n"
    "  --remove-need TEXT   remove a need (repeatable)\n"
    "  --remove-offer TEXT  remove an offer (repeatable)\n"
    "  --archive            hide from lists (kept, still searchable with --all)\n"
    "  --unarchive          show in lists again\n";

/* Fills a patch from the parsed options; values read from stdin are kept in
 * owned so they outlive the call. */
static int patch_from_args(const struct cli_args *a, struct contact_patch *p,
                           struct kstrlist *owned, struct kerr *e)
{
    static const struct {
        const char *opt;
        size_t max;
    } texts[] = {{"--company", CHECK_SHORT_MAX},  {"--title", CHECK_SHORT_MAX},
                 {"--met-on", CHECK_SHORT_MAX},   {"--how-met", CHECK_SHORT_MAX},
                 {"--birthday", CHECK_SHORT_MAX}, {"--note", CHECK_LONG_MAX},
                 {"--location", CHECK_SHORT_MAX}, {"--working-on", CHECK_LONG_MAX},
                 {"--name", CHECK_SHORT_MAX},     {"--every", CHECK_SHORT_MAX}};
    const char **dst[] = {&p->company, &p->title,    &p->met_on,     &p->how_met, &p->birthday,
                          &p->note,    &p->location, &p->working_on, &p->name,    &p->every};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *v = NULL;
        if (cli_read_value(texts[i].opt + 2, cli_args_get(a, texts[i].opt), texts[i].max, &v, e))
            return e->status;
        if (v) {
            kstrlist_add(owned, v);
            *dst[i] = owned->v[owned->n - 1];
            free(v);
        }
    }
    cli_args_all(a, "--email", &p->add_emails);
    cli_args_all(a, "--phone", &p->add_phones);
    cli_args_all(a, "--link", &p->add_links);
    cli_args_all(a, "--tag", &p->add_tags);
    cli_args_all(a, "--untag", &p->rm_tags);
    cli_args_all(a, "--remove-email", &p->rm_emails);
    cli_args_all(a, "--remove-phone", &p->rm_phones);
    cli_args_all(a, "--remove-link", &p->rm_links);
    cli_args_all(a, "--need", &p->add_needs);
    cli_args_all(a, "--offer", &p->add_offers);
    cli_args_all(a, "--remove-need", &p->rm_needs);
    cli_args_all(a, "--remove-offer", &p->rm_offers);
    if (cli_args_has(a, "--archive") && cli_args_has(a, "--unarchive"))
        return kerr_set(e, K_USAGE, "--archive and --unarchive contradict each other");
    if (cli_args_has(a, "--archive"))
        p->archived = 1;
    if (cli_args_has(a, "--unarchive"))
        p->archived = 0;
    return K_OK;
}

/* The positional words joined by spaces, so `kith add Ana Ruiz` works
 * without quotes. */
static char *join_pos(const struct cli_args *a, size_t from)
{
    struct sbuf b = {0};
    for (size_t i = from; i < a->npos; i++) {
        if (i > from)
            sbuf_addc(&b, ' ');
        sbuf_add(&b, a->pos[i]);
    }
    return b.s;
}

int cli_add(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {FIELD_OPTS, {NULL, 0}};
    struct cli_cmd cmd;
    struct contact_patch p;
    struct contact c = {0};
    struct kstrlist owned = {0};
    char *name = NULL;
    int rc;
    contact_patch_init(&p);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, add_help);
    name = join_pos(&cmd.a, 0);
    if (!name) {
        rc = cli_cmd_usage(&cmd, "kith add needs a NAME");
        goto out;
    }
    p.name = name;
    /* Bad input must not leave a new, empty journal behind. */
    int today;
    if ((rc = patch_from_args(&cmd.a, &p, &owned, &cmd.e)) != K_OK ||
        (rc = kdate_today(&today, &cmd.e)) != K_OK ||
        (rc = contact_patch_check(&p, today, &cmd.e)) != K_OK)
        goto out;
    if ((rc = cli_open(g, JOURNAL_CREATE, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    char id[KID_LEN + 1], sid[KID_LEN + 1];
    /* The name as stored (trimmed), not as typed. */
    if ((rc = contact_add(cmd.j, &p, id, &cmd.e)) != K_OK ||
        (rc = contact_get(cmd.j, id, &c, &cmd.e)) != K_OK)
        goto out;
    journal_short_id(cmd.j, "contact", id, sid);
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "added ", 0, 0);
    cli_put(&o, CLI_BOLD, c.name, 0, 0);
    cli_putf(&o, CLI_DIM, "  %s\n", sid);
out:
    contact_clear(&c);
    contact_patch_clear(&p);
    kstrlist_clear(&owned);
    free(name);
    return cli_cmd_end(&cmd, rc, "add", add_usage);
}

/* Opens the journal and resolves the CONTACT argument. */
static int open_and_resolve(const struct cli_globals *g, const char *query, struct config **cfg,
                            struct journal **j, char id[KID_LEN + 1], struct kerr *e)
{
    int rc = cli_open(g, 0, cfg, j, e);
    if (rc == K_OK)
        rc = contact_resolve(*j, query, id, e);
    return rc;
}

int cli_edit(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {FIELD_OPTS,
                                              {"--name", 1},
                                              {"--untag", 1},
                                              {"--remove-email", 1},
                                              {"--remove-phone", 1},
                                              {"--remove-link", 1},
                                              {"--remove-need", 1},
                                              {"--remove-offer", 1},
                                              {"--archive", 0},
                                              {"--unarchive", 0},
                                              {NULL, 0}};
    struct cli_cmd cmd;
    struct contact_patch p;
    struct kstrlist owned = {0};
    int rc;
    contact_patch_init(&p);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, edit_help);
    if (cmd.a.npos != 1) {
        rc =
            cli_cmd_usage(&cmd, cmd.a.npos ? "kith edit takes one CONTACT (quote names with spaces)"
                                           : "kith edit needs a CONTACT");
        goto out;
    }
    if ((rc = patch_from_args(&cmd.a, &p, &owned, &cmd.e)) != K_OK)
        goto out;
    char id[KID_LEN + 1];
    if ((rc = open_and_resolve(g, cmd.a.pos[0], &cmd.cfg, &cmd.j, id, &cmd.e)) != K_OK)
        goto out;
    if ((rc = contact_edit(cmd.j, id, &p, &cmd.e)) != K_OK)
        goto out;
    struct contact c;
    if ((rc = contact_get(cmd.j, id, &c, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "saved ", 0, 0);
    cli_put(&o, CLI_BOLD, c.name, 0, 0);
    fputc('\n', o.f);
    contact_clear(&c);
out:
    contact_patch_clear(&p);
    kstrlist_clear(&owned);
    return cli_cmd_end(&cmd, rc, "edit", edit_usage);
}

static const char rm_usage[] = "kith rm CONTACT [--yes]";
static const char rm_help[] =
    "usage: kith rm CONTACT [--yes]\n"
    "\n"
    "Deletes a contact with its details and thank-yous, the referrals they made,\n"
    "and the interactions they were the only party to. Asks first on a terminal;\n"
    "elsewhere --yes is required.\n";

int cli_rm(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--yes", 0}, {"-y", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct contact c = {0};
    int rc, declined = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, rm_help);
    if (cmd.a.npos != 1) {
        rc = cli_cmd_usage(&cmd, cmd.a.npos ? "kith rm takes one CONTACT (quote names with spaces)"
                                            : "kith rm needs a CONTACT");
        goto out;
    }
    char id[KID_LEN + 1];
    if ((rc = open_and_resolve(g, cmd.a.pos[0], &cmd.cfg, &cmd.j, id, &cmd.e)) != K_OK)
        goto out;
    if ((rc = contact_get(cmd.j, id, &c, &cmd.e)) != K_OK)
        goto out;
    if (!cli_args_has(&cmd.a, "--yes") && !cli_args_has(&cmd.a, "-y")) {
        if (!isatty(STDIN_FILENO)) {
            rc = kerr_set(&cmd.e, K_USAGE, "not deleting without --yes (no terminal to ask)");
            goto out;
        }
        char *name = kstr_escape(c.name);
        fprintf(stderr, "Delete %s and %d interaction%s? [y/N] ", name, c.gave + c.asked + c.mutual,
                c.gave + c.asked + c.mutual == 1 ? "" : "s");
        free(name);
        char answer[16] = "";
        if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            fputs("nothing deleted\n", stderr);
            declined = 1;
            goto out;
        }
    }
    if ((rc = contact_delete(cmd.j, id, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_put(&o, CLI_PLAIN, "deleted ", 0, 0);
    cli_put(&o, CLI_BOLD, c.name, 0, 0);
    fputc('\n', o.f);
out:
    contact_clear(&c);
    if (declined) {
        /* Not an error to report, but the contact is still there. */
        cli_cmd_free(&cmd);
        return 1;
    }
    return cli_cmd_end(&cmd, rc, "rm", rm_usage);
}

static const char list_usage[] =
    "kith list [--tag T] [--search QUERY] [--sort name|recent|silent|goodwill] [--all] [--json]";
static const char list_help[] =
    "usage: kith list [options]\n"
    "\n"
    "Lists contacts: short id, name, company, tags, goodwill balance and the time\n"
    "since the last interaction.\n"
    "\n"
    "  --tag T          only contacts tagged T\n"
    "  --search QUERY   only contacts matching QUERY (names, companies, notes,\n"
    "                   interaction text; words match as prefixes)\n"
    "  --sort S         name (default), recent, silent (longest silence first),\n"
    "                   goodwill (highest first)\n"
    "  --all            include archived contacts (marked archived)\n"
    "  --limit N        at most N contacts\n"
    "  --json           a JSON array of {id, name, company, title, tags, emails,\n"
    "                   phones, goodwill, last_interaction, archived}\n";

struct list_ctx {
    struct cli_out *o;
    int today;
    int show_goodwill;
    int header_on_first_row; /* search prints the header only above a first match */
    size_t rows;
    struct sbuf line; /* rows made and not yet written (rows_flush), reused */
};

/* Writes the rows print_row made: it writes them in blocks. */
static void rows_flush(struct list_ctx *x)
{
    if (x->line.len)
        fwrite(x->line.s, 1, x->line.len, x->o->f);
    x->line.len = 0;
}

static void tags_text(const struct kstrlist *t, struct sbuf *b)
{
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            sbuf_add(b, ",");
        sbuf_add(b, t->v[i]);
    }
}

static void print_list_header(struct cli_out *o, int show_goodwill)
{
    cli_put(o, CLI_DIM, "ID", KID_SHORT, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, "NAME", 24, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, "COMPANY", 18, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, "TAGS", 16, 0);
    if (show_goodwill) {
        fputs("  ", o->f);
        cli_put(o, CLI_DIM, "GW", GOODWILL_SHORT_COLS, 1);
    }
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, "LAST", 6, 1);
    fputc('\n', o->f);
}

static int print_row(const struct contact_row *c, void *ud)
{
    struct list_ctx *x = ud;
    struct sbuf *l = &x->line;
    if (x->header_on_first_row && x->rows == 0)
        print_list_header(x->o, x->show_goodwill);
    x->rows++;
    char sid[KID_SHORT + 1], num[16], ago[16];
    size_t k = strnlen(c->id, KID_SHORT);
    memcpy(sid, c->id, k);
    sid[k] = '\0';
    cli_put_to(l, x->o, CLI_DIM, sid, KID_SHORT, 0);
    sbuf_addn(l, "  ", 2);
    cli_put_to(l, x->o, CLI_BOLD, c->name, 24, 0);
    sbuf_addn(l, "  ", 2);
    cli_put_to(l, x->o, CLI_PLAIN, c->company ? c->company : "", 18, 0);
    sbuf_addn(l, "  ", 2);
    cli_put_to(l, x->o, CLI_DIM, c->tags, 16, 0);
    if (x->show_goodwill) {
        sbuf_addn(l, "  ", 2);
        cli_put_to(l, x->o, cli_balance_style(c->goodwill), goodwill_short(c->goodwill, num),
                   GOODWILL_SHORT_COLS, 1);
    }
    sbuf_addn(l, "  ", 2);
    /* "—" fitted to the column as cli_put_to would: most rows of a large
     * journal have it, and its fitting went through the escaping path. */
    if (c->last_interaction == KDATE_NONE)
        sbuf_addn(l, "     —", sizeof "     —" - 1);
    else
        cli_put_to(l, x->o, CLI_PLAIN, kdate_ago(x->today - c->last_interaction, ago), 6, 1);
    /* Only --all lists them; say which they are. */
    if (c->archived)
        cli_put_to(l, x->o, CLI_DIM, "  archived", 0, 0);
    sbuf_addc(l, '\n');
    if (l->len >= 16384)
        rows_flush(x);
    return 0;
}

int cli_list(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--tag", 1},  {"--search", 1}, {"--sort", 1},
                                              {"--json", 0}, {"--all", 0},    {"--limit", 1},
                                              {NULL, 0}};
    struct cli_cmd cmd;
    char *tag = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, list_help);
    struct contact_query q = {0};
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith list takes no arguments (did you mean --search?)");
        goto out;
    }
    const char *sort = cli_args_get(&cmd.a, "--sort");
    if (sort && contact_sort_parse(sort, &q.sort) != 0) {
        rc = cli_cmd_usage(&cmd, "--sort must be name, recent, silent or goodwill");
        goto out;
    }
    if (cli_args_get(&cmd.a, "--tag") &&
        (rc = check_tag(cli_args_get(&cmd.a, "--tag"), &tag, &cmd.e)))
        goto out;
    int limit = 0;
    if (cli_args_has(&cmd.a, "--limit") &&
        (rc = cli_parse_int("--limit", cli_args_get(&cmd.a, "--limit"), 1, 100000000, &limit,
                            &cmd.e))) {
        cmd.perr = 1;
        goto out;
    }
    q.tag = tag;
    q.search = cli_args_get(&cmd.a, "--search");
    q.include_archived = cli_args_has(&cmd.a, "--all");
    q.limit = (size_t)limit;
    if (q.search && (rc = check_text("--search", q.search, CHECK_SHORT_MAX, &cmd.e)))
        goto out;
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = contact_each_json(cmd.j, &q, cli_json_item, &arr, &cmd.e);
        cli_json_end(&arr);
    } else {
        struct list_ctx x = {&o, journal_today(cmd.j), cmd.cfg->goodwill_show, 0, 0, {0}};
        print_list_header(&o, x.show_goodwill);
        rc = contact_each_row(cmd.j, &q, print_row, &x, &cmd.e);
        rows_flush(&x);
        sbuf_free(&x.line);
    }
out:
    free(tag);
    return cli_cmd_end(&cmd, rc, "list", list_usage);
}

static const char show_usage[] = "kith show CONTACT [--json]";
static const char show_help[] =
    "usage: kith show CONTACT [--json]\n"
    "\n"
    "Shows everything about one contact: details, goodwill, recent interactions.\n"
    "CONTACT is a name (any case), a unique part of one, or an id prefix.\n"
    "\n"
    "  --json   one JSON object: the fields of 'kith list --json' plus links,\n"
    "           location, how_met, met_on, birthday, note, working_on, archived,\n"
    "           gave, asked, mutual\n";

/* A multi-line value (a note) is printed as its lines, each under the
 * first, each escaped. */
static void field(struct cli_out *o, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, label, 13, 0);
    if (kstr_width(label) >= 13)
        fputc(' ', o->f);
    for (const char *p = value;;) {
        const char *nl = strchr(p, '\n');
        char *line = kstr_ndup(p, nl ? (size_t)(nl - p) : strlen(p));
        cli_put(o, CLI_PLAIN, line, 0, 0);
        free(line);
        fputc('\n', o->f);
        if (!nl || !nl[1])
            break;
        p = nl + 1;
        fprintf(o->f, "%15s", "");
    }
}

static void list_field(struct cli_out *o, const char *label, const struct kstrlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        field(o, i ? "" : label, l->v[i]);
}

/* Emails, phones or links with their labels: "ana@acme.example (work)". */
static void detail_field(struct cli_out *o, const char *label, const struct kstrlist *l,
                         const struct kstrlist *labels, const struct kstrlist *props, int email)
{
    for (size_t i = 0; i < l->n; i++) {
        struct sbuf b = {0}, note = {0};
        const char *prop = props ? contact_label(props, i) : "";
        size_t plen = strcspn(prop, ";");
        if (plen)
            sbuf_printf(&note, "%.*s", (int)plen, prop);
        if (*contact_label(labels, i))
            sbuf_printf(&note, "%s%s", note.len ? ", " : "", contact_label(labels, i));
        /* Import keeps what is not an address, as written. */
        if (email && check_email(l->v[i], NULL) != K_OK)
            sbuf_printf(&note, "%snot a valid address", note.len ? "; " : "");
        sbuf_add(&b, l->v[i]);
        if (note.len)
            sbuf_printf(&b, " (%s)", note.s);
        field(o, i ? "" : label, b.s);
        sbuf_free(&b);
        sbuf_free(&note);
    }
}

static void name_parts(struct cli_out *o, const struct kname *n)
{
    const char *parts[] = {n->prefix, n->given, n->additional, n->family, n->suffix};
    static const char *const what[] = {"prefix", "given", "additional", "family", "suffix"};
    struct sbuf b = {0};
    for (int i = 0; i < 5; i++)
        if (parts[i] && *parts[i])
            sbuf_printf(&b, "%s%s %s", b.len ? " · " : "", what[i], parts[i]);
    field(o, "name parts", b.s);
    sbuf_free(&b);
}

static void address_field(struct cli_out *o, const struct contact *c)
{
    for (size_t i = 0; i < c->naddresses; i++) {
        const struct kaddress *a = &c->addresses[i];
        const char *parts[] = {a->pobox,  a->ext,  a->street, a->locality,
                               a->region, a->code, a->country};
        struct sbuf b = {0};
        for (int k = 0; k < 7; k++) {
            if (!parts[k] || !*parts[k])
                continue;
            if (b.len)
                sbuf_add(&b, ", ");
            /* One line: a street of two lines reads "1 Main St / Suite 2". */
            for (const char *p = parts[k]; *p; p++) {
                if (*p == '\n')
                    sbuf_add(&b, " / ");
                else if (*p != '\r')
                    sbuf_addc(&b, *p);
            }
        }
        if (a->label && *a->label)
            sbuf_printf(&b, " (%s)", a->label);
        field(o, i ? "" : "address", b.s);
        sbuf_free(&b);
    }
}

/* The vCard lines kept from an import: short ones whole, the rest as
 * their property and size. */
static void kept_field(struct cli_out *o, const struct kstrlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *s = l->v[i];
        struct sbuf b = {0};
        if (strlen(s) <= 60) {
            sbuf_add(&b, s);
        } else {
            size_t n = strcspn(s, ";:");
            sbuf_printf(&b, "%.*s (%zu bytes)", (int)(n < 40 ? n : 40), s, strlen(s));
        }
        field(o, i ? "" : "vcard", b.s);
        sbuf_free(&b);
    }
}

static void print_card(struct cli_out *o, struct journal *j, const struct contact *c, int gw,
                       const char *readiness)
{
    char sid[KID_LEN + 1], buf[KDATE_BUF], num[16], ago[16];
    journal_short_id(j, "contact", c->id, sid);
    cli_put(o, CLI_BOLD, c->name, 0, 0);
    cli_putf(o, CLI_DIM, "  %s%s\n", sid, c->archived ? "  (archived)" : "");
    list_field(o, "nickname", &c->nicknames);
    name_parts(o, &c->n);
    field(o, "company", c->company);
    field(o, "title", c->title);
    struct sbuf t = {0};
    tags_text(&c->tags, &t);
    field(o, "tags", t.s);
    sbuf_free(&t);
    detail_field(o, "email", &c->emails, &c->email_labels, NULL, 1);
    detail_field(o, "phone", &c->phones, &c->phone_labels, NULL, 0);
    detail_field(o, "link", &c->links, &c->link_labels, &c->link_props, 0);
    field(o, "location", c->location);
    address_field(o, c);
    field(o, "birthday", c->birthday);
    for (size_t i = 0; i < c->nevents; i++)
        field(o, c->events[i].label && *c->events[i].label ? c->events[i].label : "date",
              c->events[i].date);
    if (c->met_on != KDATE_NONE)
        field(o, "met on", kdate_format(c->met_on, buf));
    field(o, "how met", c->how_met);
    field(o, "working on", c->working_on);
    list_field(o, "needs", &c->needs);
    list_field(o, "offers", &c->offers);
    if (c->cadence_days) {
        char span[16], every[48];
        snprintf(every, sizeof every, "%s (%d days)", kdate_span(c->cadence_days, span),
                 c->cadence_days);
        field(o, "every", every);
    }
    field(o, "note", c->note);
    struct sbuf s = {0};
    if (gw)
        sbuf_printf(&s, "%s (gave %d, asked %d, mutual %d)", cli_signed(c->goodwill, num), c->gave,
                    c->asked, c->mutual);
    else
        sbuf_printf(&s, "gave %d, asked %d, mutual %d", c->gave, c->asked, c->mutual);
    list_field(o, "uid", &c->uids);
    kept_field(o, &c->extra);
    field(o, gw ? "goodwill" : "ledger", s.s);
    sbuf_free(&s);
    field(o, "ask-ready", readiness);
    if (c->last_interaction != KDATE_NONE && c->last_interaction >= journal_today(j)) {
        field(o, "last talked", "today");
    } else if (c->last_interaction != KDATE_NONE) {
        sbuf_printf(&s, "%s (%s ago)", kdate_format(c->last_interaction, buf),
                    kdate_ago(journal_today(j) - c->last_interaction, ago));
        field(o, "last talked", s.s);
        sbuf_free(&s);
    }
}

static void print_interaction(struct cli_out *o, const struct interaction *it, int with_contacts)
{
    char buf[KDATE_BUF];
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, kdate_format(it->date, buf), 10, 0);
    fputs("  ", o->f);
    cli_put(o, cli_dir_style(it->dir), kdir_name(it->dir), 6, 0);
    fputs("  ", o->f);
    /* The last column is not padded: no trailing blanks. */
    cli_put(o, CLI_PLAIN, it->kind, with_contacts || it->summary ? 13 : 0, 0);
    if (with_contacts) {
        fputs("  ", o->f);
        cli_put_names(o, it, it->summary ? 20 : 0);
    }
    if (it->summary) {
        fputs("  ", o->f);
        cli_put(o, CLI_PLAIN, it->summary, 0, 0);
    }
    fputc('\n', o->f);
}

/* Both reads come before the first line so that a failure prints no half card. */
static int show_card(struct cli_out *o, struct journal *j, const char *id, int goodwill_show,
                     struct kerr *e)
{
    struct contact c = {0};
    struct goodwill_stand stand;
    int rc;
    if ((rc = contact_get(j, id, &c, e)) != K_OK ||
        (rc = goodwill_readiness(j, id, &stand, e)) != K_OK)
        goto out;
    struct sbuf ready = {0};
    goodwill_readiness_line(&stand, journal_today(j), &ready);
    print_card(o, j, &c, goodwill_show, ready.s);
    sbuf_free(&ready);
out:
    contact_clear(&c);
    return rc;
}

/* Ten of each section: show is a glance; kith timeline and kith referrals give the rest. */
enum { SHOW_RECENT = 10 };

static int show_interactions(struct cli_out *o, struct journal *j, const char *id, struct kerr *e)
{
    struct interaction_list il = {0};
    struct interaction_query q = {0};
    q.contact_id = id;
    q.since = q.until = KDATE_NONE;
    q.limit = SHOW_RECENT;
    int rc = interaction_list(j, &q, &il, e);
    if (rc == K_OK && il.n) {
        cli_putf(o, CLI_BOLD, "\nRecent interactions\n");
        for (size_t i = 0; i < il.n; i++)
            print_interaction(o, &il.v[i], 0);
    }
    interaction_list_clear(&il);
    return rc;
}

static void print_referral(struct cli_out *o, const struct referral *r)
{
    char buf[KDATE_BUF];
    fputs("  ", o->f);
    cli_put(o, CLI_PLAIN, kdate_format(r->date, buf), 10, 0);
    fputs("  ", o->f);
    cli_put_route(o, r, 0, 0);
    fputs("  ", o->f);
    cli_put(o, CLI_DIM, r->kind, 0, 0);
    cli_putf(o, CLI_DIM, " · %s · ", koutcome_name(r->outcome));
    if (r->thanked)
        cli_putf(o, CLI_OK, "thanked %s\n", kdate_format(r->thanked_on, buf));
    else
        cli_putf(o, CLI_WARN, "not thanked\n");
}

static int show_referrals(struct cli_out *o, struct journal *j, const char *id, struct kerr *e)
{
    struct referral_list rl = {0};
    struct referral_query rq = {0};
    rq.involving_id = id;
    rq.limit = SHOW_RECENT;
    int rc = referral_list(j, &rq, &rl, e);
    if (rc == K_OK && rl.n)
        cli_putf(o, CLI_BOLD, "\nReferrals\n");
    for (size_t i = 0; rc == K_OK && i < rl.n; i++)
        print_referral(o, &rl.v[i]);
    referral_list_clear(&rl);
    return rc;
}

static int show_forwards(struct cli_out *o, struct journal *j, const char *id, struct kerr *e)
{
    struct forward_list fl = {0};
    struct forward_query fq = {0};
    fq.contact_id = id;
    fq.since = fq.until = KDATE_NONE;
    fq.limit = SHOW_RECENT;
    int rc = forward_list(j, &fq, &fl, e);
    if (rc == K_OK && fl.n)
        cli_putf(o, CLI_BOLD, "\nPaid forward to them (no goodwill)\n");
    for (size_t i = 0; rc == K_OK && i < fl.n; i++) {
        char buf[KDATE_BUF];
        fputs("  ", o->f);
        cli_put(o, CLI_PLAIN, kdate_format(fl.v[i].date, buf), 10, 0);
        cli_putf(o, CLI_GAVE, "  »  ");
        cli_put(o, CLI_PLAIN, fl.v[i].text, 0, 0);
        fputc('\n', o->f);
    }
    forward_list_clear(&fl);
    return rc;
}

int cli_show(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--json", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    char *json = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, show_help);
    if (cmd.a.npos != 1) {
        rc =
            cli_cmd_usage(&cmd, cmd.a.npos ? "kith show takes one CONTACT (quote names with spaces)"
                                           : "kith show needs a CONTACT");
        goto out;
    }
    char id[KID_LEN + 1];
    if ((rc = open_and_resolve(g, cmd.a.pos[0], &cmd.cfg, &cmd.j, id, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        if ((rc = contact_get_json(cmd.j, id, &json, &cmd.e)) == K_OK)
            cli_json_put(o.f, json);
        goto out;
    }
    if ((rc = show_card(&o, cmd.j, id, cmd.cfg->goodwill_show, &cmd.e)) != K_OK ||
        (rc = show_interactions(&o, cmd.j, id, &cmd.e)) != K_OK ||
        (rc = show_referrals(&o, cmd.j, id, &cmd.e)) != K_OK)
        goto out;
    rc = show_forwards(&o, cmd.j, id, &cmd.e);
out:
    free(json);
    return cli_cmd_end(&cmd, rc, "show", show_usage);
}

static const char search_usage[] = "kith search QUERY [--all] [--json]";
static const char search_help[] =
    "usage: kith search QUERY [--all] [--json] [--limit N]\n"
    "\n"
    "Full-text search over names, companies, titles, notes, how you met, what\n"
    "they work on, and the summaries and notes of interactions. Each word\n"
    "matches as a prefix; accents and case are ignored.\n"
    "\n"
    "  --all       archived contacts too (marked)\n"
    "  --limit N   at most N contacts and N interactions (default 50)\n"
    "  --json      {\"query\", \"contacts\": [...], \"interactions\": [...]} with the\n"
    "              fields of 'kith list --json' and 'kith timeline --json'\n";

int cli_search(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--json", 0}, {"--limit", 1}, {"--all", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct interaction_list il = {0};
    char *query = NULL, *json = NULL;
    int rc, limit = 50, nomatch = 0;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, search_help);
    if (!(query = join_pos(&cmd.a, 0))) {
        rc = cli_cmd_usage(&cmd, "kith search needs a QUERY");
        goto out;
    }
    if (cli_args_has(&cmd.a, "--limit") &&
        (rc = cli_parse_int("--limit", cli_args_get(&cmd.a, "--limit"), 1, 100000, &limit,
                            &cmd.e))) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        if ((rc = search_json_all(cmd.j, query, (size_t)limit, cli_args_has(&cmd.a, "--all"), &json,
                                  &cmd.e)) == K_OK)
            cli_json_put(o.f, json);
        goto out;
    }
    struct contact_query q = {0};
    q.search = query;
    q.limit = (size_t)limit;
    q.include_archived = cli_args_has(&cmd.a, "--all");
    /* One pass: the header comes with the first match, so the search is
     * not run a second time just to count. */
    struct list_ctx x = {&o, journal_today(cmd.j), cmd.cfg->goodwill_show, 1, 0, {0}};
    rc = contact_each_row(cmd.j, &q, print_row, &x, &cmd.e);
    rows_flush(&x);
    sbuf_free(&x.line);
    if (rc != K_OK)
        goto out;
    size_t n = x.rows;
    if ((rc = search_interactions(cmd.j, query, 0, (size_t)limit, &il, &cmd.e)) != K_OK)
        goto out;
    if (il.n) {
        cli_putf(&o, CLI_BOLD, "%s", n ? "\nInteractions\n" : "Interactions\n");
        for (size_t i = 0; i < il.n; i++)
            print_interaction(&o, &il.v[i], 1);
    }
    if (!n && !il.n) {
        char *esc = kstr_escape(query);
        fprintf(stderr, "nothing matches '%s'\n", esc);
        free(esc);
        nomatch = 1;
    }
out:
    interaction_list_clear(&il);
    free(query);
    free(json);
    if (nomatch) {
        /* Said above on stderr; the status is grep's, not an error's. */
        cli_cmd_free(&cmd);
        return 1;
    }
    return cli_cmd_end(&cmd, rc, "search", search_usage);
}

static const char ledger_usage[] = "kith ledger [--json]";
static const char ledger_help[] =
    "usage: kith ledger [--json]\n"
    "\n"
    "Goodwill per contact, highest balance first: how many times you gave, how\n"
    "many you asked, the weighted balance (weights in the config's goodwill\n"
    "section) and the last interaction. Contacts you never interacted with are\n"
    "left out.\n"
    "\n"
    "  --json   a JSON array of {id, name, gave, asked, mutual, balance,\n"
    "           last_interaction}\n";

static int print_ledger_row(const struct ledger_row *r, void *ud)
{
    struct cli_out *o = ud;
    char num[16], buf[KDATE_BUF];
    cli_put(o, CLI_BOLD, r->contact.name, 24, 0);
    cli_putf(o, CLI_PLAIN, "%6d%7d", r->gave, r->asked);
    cli_put(o, cli_balance_style(r->balance), cli_signed(r->balance, num), 9, 1);
    cli_putf(o, CLI_PLAIN, "  %s\n", kdate_format(r->last_interaction, buf));
    return 0;
}

int cli_ledger(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--json", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct ledger l = {0};
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, ledger_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith ledger takes no arguments");
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    if (cli_args_has(&cmd.a, "--json")) {
        struct cli_json_array arr;
        cli_json_begin(&arr, o.f);
        rc = goodwill_ledger_each_json(cmd.j, cli_json_item, &arr, &cmd.e);
        cli_json_end(&arr);
        goto out;
    }
    cli_put(&o, CLI_DIM, "NAME", 24, 0);
    cli_put(&o, CLI_DIM, "GAVE", 6, 1);
    cli_put(&o, CLI_DIM, "ASKED", 7, 1);
    cli_put(&o, CLI_DIM, "BALANCE", 9, 1);
    cli_put(&o, CLI_DIM, "  LAST", 0, 0);
    fputc('\n', o.f);
    rc = goodwill_ledger_each(cmd.j, print_ledger_row, &o, &cmd.e);
out:
    ledger_clear(&l);
    return cli_cmd_end(&cmd, rc, "ledger", ledger_usage);
}
