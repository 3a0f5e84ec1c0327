#include "kith/cli/cli_mail.h"

#include "kith/core/addrbook.h"
#include "kith/core/contact.h"
#include "kith/core/sync.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/mail.h"
#include "kith/core/maillog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A field of the query's tab-separated lines: control characters (a tab
 * would shift the columns) become spaces. */
static void put_field(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
}

struct query_out {
    struct sbuf lines;
    size_t n;
};

static int query_line(const char *email, const char *name, const char *company, void *ud)
{
    struct query_out *q = ud;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 1;
    put_field(f, email);
    fputc('\t', f);
    put_field(f, name);
    fputc('\t', f);
    put_field(f, company);
    fputc('\n', f);
    fclose(f);
    sbuf_addn(&q->lines, buf, len);
    free(buf);
    q->n++;
    return 0;
}

static const char query_usage[] = "kith query [--no-header] TEXT";
static const char query_help[] =
    "usage: kith query [--no-header] TEXT\n"
    "\n"
    "Email addresses for a mail program's address completion: every address\n"
    "of the contacts whose name contains TEXT or whose company has words\n"
    "starting with its words, and each address that contains TEXT (case and\n"
    "accents aside).\n"
    "The first line says how many matched; then one line per address:\n"
    "address, name and company, separated by tabs. This is the format of\n"
    "mutt's and neomutt's query_command:\n"
    "\n"
    "  set query_command = \"kith query %s\"\n"
    "\n"
    "  --no-header   leave out the first line (aerc's address-book-cmd):\n"
    "                address-book-cmd = kith query --no-header %s\n";

int cli_query(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--no-header", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct query_out q = {{0}, 0};
    struct sbuf text = {0};
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, query_help);
    if (!cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith query needs the TEXT to look for");
        goto out;
    }
    for (size_t i = 0; i < cmd.a.npos; i++) {
        if (i)
            sbuf_addc(&text, ' ');
        sbuf_add(&text, cmd.a.pos[i]);
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK ||
        (rc = addrbook_query(cmd.j, text.s, query_line, &q, &cmd.e)) != K_OK)
        goto out;
    if (!cli_args_has(&cmd.a, "--no-header")) {
        char *esc = kstr_escape(text.s);
        printf("kith: %zu address%s matching '%s'\n", q.n, q.n == 1 ? "" : "es", esc);
        free(esc);
    }
    if (q.lines.s)
        fwrite(q.lines.s, 1, q.lines.len, stdout);
out:
    sbuf_free(&q.lines);
    sbuf_free(&text);
    return cli_cmd_end(&cmd, rc, "query", query_usage);
}

static void no_me_hint(const struct config *cfg)
{
    if (!cfg->nme)
        fputs("kith: the config has no me: addresses, so no message counts as sent by "
              "you (gave); see 'kith config defaults'\n",
              stderr);
}

/* "Ana Ruiz, Ben Okafor" for a list of contact ids. */
static int names_of(struct journal *j, const struct kstrlist *ids, struct sbuf *out, struct kerr *e)
{
    for (size_t i = 0; i < ids->n; i++) {
        struct contact c = {0};
        int rc = contact_get(j, ids->v[i], &c, e);
        if (rc != K_OK)
            return rc;
        if (i)
            sbuf_add(out, ", ");
        sbuf_add(out, c.name);
        contact_clear(&c);
    }
    return K_OK;
}

static int report_message(struct cli_cmd *c, const struct cli_globals *g,
                          const struct maillog_result *r, int dry_run)
{
    struct cli_out o;
    struct sbuf names = {0};
    char sid[KID_LEN + 1], day[KDATE_BUF];
    int rc = K_OK;
    cli_out_init(&o, g);
    if (r->outcome == MAILLOG_KNOWN) {
        journal_short_id(c->j, "interaction", r->interaction, sid);
        cli_putf(&o, CLI_PLAIN, "already logged: this message is interaction %s\n", sid);
        goto out;
    }
    if (r->outcome == MAILLOG_NO_CONTACT) {
        struct sbuf u = {0};
        for (size_t i = 0; i < r->unknown.n; i++) {
            if (i)
                sbuf_add(&u, ", ");
            sbuf_add(&u, r->unknown.v[i]);
        }
        rc = kerr_set(&c->e, K_NOTFOUND, "none of the message's addresses is a contact's%s%s%s",
                      u.s ? ": " : "", u.s ? u.s : "", u.s ? "\n(--add-unknown adds them)" : "");
        sbuf_free(&u);
        goto out;
    }
    if ((rc = names_of(c->j, &r->contacts, &names, &c->e)) != K_OK)
        goto out;
    for (size_t i = 0; i < r->added.n; i++) {
        struct contact ct = {0};
        if ((rc = contact_get(c->j, r->added.v[i], &ct, &c->e)) != K_OK)
            goto out;
        cli_putf(&o, CLI_PLAIN, "%s ", dry_run ? "would add" : "added");
        cli_put(&o, CLI_BOLD, ct.name, 0, 0);
        cli_putf(&o, CLI_PLAIN, " (");
        cli_put(&o, CLI_PLAIN, ct.emails.n ? ct.emails.v[0] : "", 0, 0);
        cli_putf(&o, CLI_PLAIN, ")\n");
        contact_clear(&ct);
    }
    cli_putf(&o, CLI_PLAIN, "%s email (%s) on %s with ", dry_run ? "would log" : "logged",
             kdir_name(r->dir), kdate_format(r->date, day));
    cli_put(&o, CLI_BOLD, names.s, 0, 0);
    if (!dry_run) {
        journal_short_id(c->j, "interaction", r->interaction, sid);
        cli_putf(&o, CLI_DIM, "  %s", sid);
    }
    fputc('\n', o.f);
    for (size_t i = 0; i < r->unknown.n; i++) {
        cli_putf(&o, CLI_DIM, "not a contact: ");
        cli_put(&o, CLI_PLAIN, r->unknown.v[i], 0, 0);
        fputc('\n', o.f);
    }
out:
    sbuf_free(&names);
    return rc;
}

/* Reads what is left of standard input so that the mail program piping
 * the message does not see a broken pipe; a message larger than any mail
 * server takes (64 MiB) is not waited for. */
static void drain_stdin(void)
{
    char buf[65536];
    size_t total = 0;
    ssize_t r;
    while (total < ((size_t)64 << 20) && (r = read(STDIN_FILENO, buf, sizeof buf)) > 0)
        total += (size_t)r;
}

int cli_log_mail(struct cli_cmd *c, const struct cli_globals *g)
{
    struct mail_msg m = {0};
    struct maillog_result r = {0};
    char *head = NULL;
    size_t n = 0;
    int rc, began = 0, dry_run = cli_args_has(&c->a, "--dry-run");
    int ndir = cli_args_has(&c->a, "--gave") + cli_args_has(&c->a, "--asked") +
               cli_args_has(&c->a, "--mutual");
    struct maillog_opts o = {-1, cli_args_has(&c->a, "--add-unknown"), 0, KDATE_NONE, KDATE_NONE};
    if (c->a.npos || cli_args_has(&c->a, "--kind") || cli_args_has(&c->a, "--on") ||
        cli_args_has(&c->a, "--summary") || cli_args_has(&c->a, "--note")) {
        rc = cli_cmd_usage(c, "--from-mail takes its contacts, kind, date and summary from the "
                              "message: give none of them");
        goto out;
    }
    if (ndir > 1) {
        rc = cli_cmd_usage(c, "give at most one of --gave, --asked or --mutual");
        goto out;
    }
    if (ndir)
        o.dir = cli_args_has(&c->a, "--gave")    ? KDIR_GAVE
                : cli_args_has(&c->a, "--asked") ? KDIR_ASKED
                                                 : KDIR_MUTUAL;
    if (isatty(STDIN_FILENO)) {
        rc = cli_cmd_usage(c, "--from-mail reads a message on standard input (pipe it in)");
        goto out;
    }
    rc = mail_read_head(STDIN_FILENO, "standard input", &head, &n, &c->e);
    drain_stdin();
    if (rc != K_OK || (rc = mail_parse(head, n, &m, &c->e)) != K_OK)
        goto out;
    if ((rc = cli_open(g, 0, &c->cfg, &c->j, &c->e)) != K_OK)
        goto out;
    no_me_hint(c->cfg);
    /* The dry run does it all, reports, then takes it back. */
    if ((rc = journal_begin(c->j, &c->e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = maillog_message(c->j, &m, &o, &r, &c->e)) != K_OK ||
        (rc = report_message(c, g, &r, dry_run)) != K_OK)
        goto out;
    if (!dry_run) {
        rc = journal_commit(c->j, &c->e);
        began = rc != K_OK;
    }
out:
    if (began)
        journal_rollback(c->j);
    free(head);
    mail_msg_clear(&m);
    maillog_result_clear(&r);
    return rc;
}

static void progress(size_t done, size_t total, void *ud)
{
    (void)ud;
    fprintf(stderr, "\rreading messages: %zu of %zu", done, total);
    if (done == total)
        fputs("\r                                                  \r", stderr);
    fflush(stderr);
}

static const char capture_usage[] =
    "kith capture maildir DIR [--since DATE] [--dry-run] [--gave | --asked | --mutual]";
static const char capture_help[] =
    "usage: kith capture maildir DIR [options]\n"
    "\n"
    "Logs every message in a Maildir (a Sent folder, a whole mail tree such as\n"
    "notmuch's, Maildir++ subfolders included) as kith log --from-mail would:\n"
    "an email interaction with the contacts among its From, To and Cc, dated by\n"
    "its Date, summarised by its Subject, gave when you sent it (the config's\n"
    "me: addresses), mutual otherwise. Messages already logged (by Message-ID),\n"
    "without a contact's address, and mailing-list or automatic mail are\n"
    "skipped. It is one transaction: all of it or nothing.\n"
    "\n"
    "  --since DATE   only messages from this day on\n"
    "  --dry-run      say what would be logged, change nothing\n"
    "  --gave, --asked, --mutual   the direction of every message logged\n";

static void summary(const struct cli_globals *g, const struct maillog_stats *st, int dry_run,
                    const char *since)
{
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "%s %zu interaction%s with %zu contact%s, %s %zu known",
             dry_run ? "would log" : "logged", st->logged, st->logged == 1 ? "" : "s", st->contacts,
             st->contacts == 1 ? "" : "s", dry_run ? "skip" : "skipped", st->known);
    if (st->no_contact)
        cli_putf(&o, CLI_PLAIN, ", %zu without a contact", st->no_contact);
    if (st->lists)
        cli_putf(&o, CLI_PLAIN, ", %zu from mailing lists", st->lists);
    if (st->old)
        cli_putf(&o, CLI_PLAIN, ", %zu before %s", st->old, since);
    if (st->unreadable)
        cli_putf(&o, CLI_PLAIN, ", %zu unreadable", st->unreadable);
    cli_putf(&o, CLI_PLAIN, " (%zu message%s)%s\n", st->files, st->files == 1 ? "" : "s",
             dry_run ? "; nothing was written" : "");
    if (st->unreadable) {
        struct kerr w;
        kerr_set(&w, K_USAGE, "the first unreadable one: %s", st->first_bad);
        cli_error(&w);
    }
}

int cli_capture(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--since", 1}, {"--dry-run", 0}, {"--gave", 0},
                                              {"--asked", 0}, {"--mutual", 0},  {NULL, 0}};
    struct cli_cmd cmd;
    struct maillog_stats st;
    char day[KDATE_BUF] = "";
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, capture_help);
    int ndir = cli_args_has(&cmd.a, "--gave") + cli_args_has(&cmd.a, "--asked") +
               cli_args_has(&cmd.a, "--mutual");
    struct maillog_opts o = {-1, 0, 1, KDATE_NONE, KDATE_NONE};
    if (cmd.a.npos != 2 || strcmp(cmd.a.pos[0], "maildir")) {
        rc = cli_cmd_usage(&cmd, "kith capture takes 'maildir' and a DIR");
        goto out;
    }
    if (ndir > 1) {
        rc = cli_cmd_usage(&cmd, "give at most one of --gave, --asked or --mutual");
        goto out;
    }
    if (ndir)
        o.dir = cli_args_has(&cmd.a, "--gave")    ? KDIR_GAVE
                : cli_args_has(&cmd.a, "--asked") ? KDIR_ASKED
                                                  : KDIR_MUTUAL;
    if ((rc = cli_parse_date("--since", cli_args_get(&cmd.a, "--since"), &o.since, &cmd.e)) != K_OK)
        goto out;
    if (o.since != KDATE_NONE)
        kdate_format(o.since, day);
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    no_me_hint(cmd.cfg);
    int dry_run = cli_args_has(&cmd.a, "--dry-run");
    if ((rc = maillog_capture_maildir(cmd.j, cmd.a.pos[1], &o, dry_run,
                                      isatty(STDERR_FILENO) ? progress : NULL, NULL, &st,
                                      &cmd.e)) != K_OK)
        goto out;
    summary(g, &st, dry_run, day);
out:
    return cli_cmd_end(&cmd, rc, "capture", capture_usage);
}

static int put_name(const char *name, void *ud)
{
    (void)ud;
    put_field(stdout, name);
    fputc('\n', stdout);
    return 0;
}

/* A replica 'kith sync forget' can be given: one still in the folder. */
static int put_replica(const struct sync_peer_status *p, void *ud)
{
    (void)ud;
    if (p->in_folder)
        puts(p->replica);
    return 0;
}

static const char complete_usage[] =
    "kith complete commands | contacts [PREFIX] | kinds | replicas";
static const char complete_help[] =
    "usage: kith complete commands | contacts [PREFIX] | kinds | replicas\n"
    "\n"
    "Words for shell completion, one a line: the commands, the names of the\n"
    "contacts that start with PREFIX (at most 200), the interaction kinds the\n"
    "config knows, the other replicas in the folder the journal syncs through\n"
    "(for 'kith sync forget'). The bash, zsh and fish completions use it.\n";

int cli_complete(int argc, char **argv, const struct cli_globals *g)
{
    struct cli_cmd cmd;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, NULL)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, complete_help);
    const char *what = cmd.a.npos ? cmd.a.pos[0] : "";
    if (!strcmp(what, "commands") && cmd.a.npos == 1) {
        for (size_t i = 0; cli_command_name(i); i++)
            puts(cli_command_name(i));
    } else if (!strcmp(what, "contacts") && cmd.a.npos <= 2) {
        /* Completion never creates a journal. */
        if ((rc = cli_open(g, JOURNAL_READONLY, &cmd.cfg, &cmd.j, &cmd.e)) == K_OK)
            rc = addrbook_names(cmd.j, cmd.a.npos == 2 ? cmd.a.pos[1] : "", 200, put_name, NULL,
                                &cmd.e);
    } else if (!strcmp(what, "replicas") && cmd.a.npos == 1) {
        if ((rc = cli_open(g, JOURNAL_READONLY, &cmd.cfg, &cmd.j, &cmd.e)) == K_OK)
            rc = sync_peers(cmd.j, put_replica, NULL, &cmd.e);
    } else if (!strcmp(what, "kinds") && cmd.a.npos == 1) {
        struct kerr tmp;
        if ((rc = cli_open(g, JOURNAL_READONLY, &cmd.cfg, &cmd.j, &tmp)) != K_OK) {
            cmd.cfg = config_defaults();
            rc = K_OK;
        }
        for (size_t i = 0; i < cmd.cfg->nkinds; i++)
            puts(cmd.cfg->kinds[i].name);
    } else {
        rc = cli_cmd_usage(&cmd,
                           "kith complete takes commands, contacts [PREFIX], kinds or replicas");
    }
out:
    return cli_cmd_end(&cmd, rc, "complete", complete_usage);
}
