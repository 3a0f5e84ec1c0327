#include "kith/cli/cli_io.h"

#include "kith/cli/cli_util.h"
#include "kith/cli/cli_vdir.h"
#include "kith/core/contact.h"
#include "kith/util/kfile.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"
#include "kith/core/sync.h"
#include "kith/core/transfer.h"
#include "kith/core/vdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cli_args_parse knows long options only; -o is the usual short form. */
static char **long_options(int argc, char **argv)
{
    char **v = kcalloc((size_t)argc + 1, sizeof *v);
    int dashdash = 0;
    for (int i = 0; i < argc; i++) {
        dashdash |= !strcmp(argv[i], "--");
        v[i] = !dashdash && !strcmp(argv[i], "-o") ? "--output" : argv[i];
    }
    return v;
}

static const char import_usage[] =
    "kith import (vcard | csv [--map 'Column=field,...'] [--date-order mdy|dmy] | json) FILE|- "
    "[--dry-run] [--strict] [--rejects FILE] [--json] [--verbose]";
static const char import_help[] =
    "usage: kith import vcard FILE|- [OPTIONS]\n"
    "       kith import csv FILE|- [--map 'Column=field,...'] [--date-order mdy|dmy] [OPTIONS]\n"
    "       kith import json FILE|-\n"
    "\n"
    "Adds the contacts in a file to the journal, in one transaction. Every card\n"
    "or row kith can read is added; each one it cannot read is skipped and\n"
    "reported on stderr as FILE:LINE: reason, all of them, and the run ends with\n"
    "one line: added N, merged M, skipped K, empty E. A value kith cannot store\n"
    "is reported as a warning (left out) or, from a vCard, kept as written. A\n"
    "row with nothing that names a person (LinkedIn's hidden connections) is\n"
    "counted as empty. '-' reads standard input. The exit status is 0 when the\n"
    "file was read. At most 512 MiB is read.\n"
    "\n"
    "A card that has the UID of a contact already in the journal (or added\n"
    "earlier from the file) is that contact; so is one with its LinkedIn\n"
    "profile or one of its emails, unless the two have different UIDs or\n"
    "profiles; so is a contact that was there before with the same name and a\n"
    "phone of the card, or that already holds everything the card says. New\n"
    "values are added to it and empty fields filled; nothing is overwritten,\n"
    "and another name becomes a nickname. A shared phone or name alone is\n"
    "never a merge: 'kith dupes' lists such likely duplicates.\n"
    "\n"
    "  vcard        vCard 2.1, 3.0 or 4.0, as phones, Google, Apple, Outlook,\n"
    "               Thunderbird, KDE, Evolution and khard write them; what kith\n"
    "               has no field for (PHOTO, X-...) is kept with the contact and\n"
    "               written back by 'kith export vcard'\n"
    "  csv          a table with a header row, separated by commas, semicolons\n"
    "               or tabs, in UTF-8 or windows-1252; the columns of Google\n"
    "               Contacts, LinkedIn (Connections.csv), Outlook, Thunderbird\n"
    "               and kith are recognised\n"
    "  json         a 'kith export json' document, restored with every id into an\n"
    "               empty journal (use --db NEW-PATH); every value is checked as\n"
    "               the commands that write it check it\n"
    "  --map M      CSV columns to fields, 'Column=field,...'; fields: name,\n"
    "               first_name, middle_name, last_name, prefix, suffix, nickname,\n"
    "               company, department, title, email, phone, link, location,\n"
    "               street, city, region, postcode, country, pobox, extended,\n"
    "               birthday, birth_year, birth_month, birth_day, anniversary,\n"
    "               note, tags, how_met, met_on, working_on, archived, uid, ignore\n"
    "  --date-order O   how CSV dates such as 03/04/1990 read: mdy (the default)\n"
    "               or dmy; each such date is reported\n"
    "  --dry-run    show what would be added and merged; write nothing\n"
    "  --strict     import nothing if any card is skipped or any value left out\n"
    "  --rejects F  write the skipped cards or rows to F as they were (a CSV\n"
    "               with its header), to fix and import again\n"
    "  --json       the summary and every problem as one JSON object\n"
    "  --verbose    list each contact as it is added or merged\n";

struct problem {
    enum card_level level;
    int line;
    char *msg;
};

struct import_out {
    struct cli_out o;
    const char *file;
    const char *verb_add, *verb_merge;
    int json;
    struct problem *v;
    size_t n;
    struct sbuf rejects;
};

static void print_card(int merged, int changed, const char *name, const char *into, void *ud)
{
    struct import_out *x = ud;
    if (x->json)
        return;
    cli_putf(&x->o, CLI_PLAIN, "%s ", merged ? x->verb_merge : x->verb_add);
    cli_put(&x->o, CLI_PLAIN, name, 0, 0);
    if (merged && strcmp(name, into)) {
        cli_putf(&x->o, CLI_PLAIN, " into ");
        cli_put(&x->o, CLI_PLAIN, into, 0, 0);
    }
    cli_putf(&x->o, CLI_PLAIN, "%s\n", merged && !changed ? " (nothing new)" : "");
}

static void print_problem(enum card_level level, int line, const char *msg, void *ud)
{
    struct import_out *x = ud;
    if (x->json) {
        x->v = kgrowarray(x->v, x->n, sizeof *x->v);
        x->v[x->n++] = (struct problem){level, line, kstr_dup(msg)};
        return;
    }
    char *f = kstr_escape(x->file), *m = kstr_escape(msg);
    fprintf(stderr, "%s:%d: %s%s\n", f, line,
            level == CARD_WARN   ? "warning: "
            : level == CARD_INFO ? "note: "
                                 : "",
            m);
    free(f);
    free(m);
}

static int keep_reject(const char *s, size_t n, void *ud)
{
    sbuf_addn(ud, s, n);
    return 0;
}

/* Writes the rejected cards through kfile (the one safe way to write a
 * user's file). */
static int write_rejects(const char *path, const char *journal, const char *data, size_t n,
                         struct kerr *e)
{
    struct kfile_out o;
    int rc = kfile_out_open(&o, path, KFILE_REPLACE, journal, e);
    if (rc != K_OK)
        return rc;
    if (fwrite(data, 1, n, o.f) != n) {
        kfile_out_abort(&o);
        return kerr_set(e, K_ERR, "cannot write %s", path);
    }
    return kfile_out_commit(&o, e);
}

/* The rejects file must not be the file being read, nor anything kfile
 * refuses (the journal or its side files, by name or through a link, or
 * what is not a regular file). */
static int check_rejects(const char *path, const char *input, const char *journal, struct kerr *e)
{
    struct stat st, other;
    struct kerr ke;
    if (stat(path, &st) == 0 && strcmp(input, "-") && stat(input, &other) == 0 &&
        st.st_dev == other.st_dev && st.st_ino == other.st_ino)
        return kerr_set(e, K_USAGE, "--rejects %s is the file being imported", path);
    if (kfile_check_target(path, KFILE_REPLACE, journal, &ke) != K_OK)
        return kerr_set(e, K_USAGE, "--rejects: %s", ke.msg);
    return K_OK;
}

static int print_json(struct import_out *x, struct journal *j, const struct transfer_stats *st,
                      int dry, const char *rejects, struct kerr *e)
{
    struct sbuf b = {0};
    char *q = NULL;
    int rc;
    if ((rc = journal_json_quote(j, x->file, &q, e)) != K_OK)
        goto out;
    sbuf_printf(&b,
                "{\"file\":%s,\"dry_run\":%s,\"added\":%zu,\"merged\":%zu,\"unchanged\":%zu,"
                "\"skipped\":%zu,\"empty\":%zu,\"warnings\":%zu,\"notes\":%zu,",
                q, dry ? "true" : "false", st->added, st->merged, st->unchanged, st->skipped,
                st->empty, st->warnings, st->notes);
    free(q);
    q = NULL;
    if (rejects && (rc = journal_json_quote(j, rejects, &q, e)) != K_OK)
        goto out;
    sbuf_printf(&b, "\"rejects\":%s,\"problems\":[", q ? q : "null");
    for (size_t i = 0; i < x->n; i++) {
        free(q);
        q = NULL;
        if ((rc = journal_json_quote(j, x->v[i].msg, &q, e)) != K_OK)
            goto out;
        sbuf_printf(&b, "%s{\"line\":%d,\"level\":\"%s\",\"message\":%s}", i ? "," : "",
                    x->v[i].line,
                    x->v[i].level == CARD_SKIP   ? "skipped"
                    : x->v[i].level == CARD_WARN ? "warning"
                                                 : "note",
                    q);
    }
    sbuf_add(&b, "]}");
    cli_json_put(x->o.f, b.s);
out:
    free(q);
    sbuf_free(&b);
    return rc;
}

static int import_json(struct cli_cmd *cmd, struct import_out *x, const char *buf, size_t n)
{
    size_t total = 0;
    struct contact_query q = {0};
    int rc;
    q.include_archived = 1;
    if ((rc = transfer_import_json(cmd->j, buf, n, x->file, &cmd->e)) != K_OK)
        return rc == K_USAGE ? K_ERR : rc;
    if ((rc = contact_count(cmd->j, &q, &total, &cmd->e)) != K_OK)
        return rc;
    cli_putf(&x->o, CLI_PLAIN, "restored the journal from ");
    cli_put(&x->o, CLI_PLAIN, x->file, 0, 0);
    cli_putf(&x->o, CLI_PLAIN, ": %zu contact%s\n", total, total == 1 ? "" : "s");
    return K_OK;
}

/* The import's options that are not json's, with what they need. */
static int check_options(struct cli_cmd *cmd, int json, int csv, enum card_date_order *order)
{
    static const char *const not_json[] = {"--dry-run", "--verbose", "--strict",    "--rejects",
                                           "--json",    "--map",     "--date-order"};
    for (size_t i = 0; json && i < sizeof not_json / sizeof not_json[0]; i++)
        if (cli_args_has(&cmd->a, not_json[i]))
            return cli_cmd_usage(cmd, "import json takes no options");
    if (!csv && cli_args_has(&cmd->a, "--map"))
        return cli_cmd_usage(cmd, "--map goes with 'kith import csv'");
    if (!csv && cli_args_has(&cmd->a, "--date-order"))
        return cli_cmd_usage(cmd, "--date-order goes with 'kith import csv'");
    const char *o = cli_args_get(&cmd->a, "--date-order");
    *order = CARD_MDY;
    if (o && !strcmp(o, "dmy"))
        *order = CARD_DMY;
    else if (o && strcmp(o, "mdy"))
        return cli_cmd_usage(cmd, "--date-order is mdy or dmy");
    if (cli_args_has(&cmd->a, "--rejects") && !*cli_args_get(&cmd->a, "--rejects"))
        return cli_cmd_usage(cmd, "--rejects needs a file name");
    return K_OK;
}

/* Imports the vCard or CSV file in buf (n bytes) into cmd's journal: the
 * options of cmd, the summary or --json report through x. */
static int import_cards(struct cli_cmd *cmd, struct import_out *x, const char *buf, size_t n,
                        enum transfer_format f, enum card_date_order order)
{
    const char *rejects = cli_args_get(&cmd->a, "--rejects");
    int rc, dry = cli_args_has(&cmd->a, "--dry-run");
    if (rejects &&
        (rc = check_rejects(rejects, cmd->a.pos[1], journal_path(cmd->j), &cmd->e)) != K_OK) {
        cmd->perr = 1;
        goto out;
    }
    x->verb_add = dry ? "would add" : "added";
    x->verb_merge = dry ? "would merge" : "merged";
    struct transfer_import_opts o = {x->file,
                                     cli_args_get(&cmd->a, "--map"),
                                     dry,
                                     cli_args_has(&cmd->a, "--strict"),
                                     order,
                                     dry || cli_args_has(&cmd->a, "--verbose") ? print_card : NULL,
                                     print_problem,
                                     x,
                                     rejects ? keep_reject : NULL,
                                     &x->rejects};
    struct transfer_stats st;
    if ((rc = transfer_import(cmd->j, f, buf, n, &o, &st, &cmd->e)) != K_OK) {
        cmd->perr = !strcmp(cmd->e.field, "map");
        rc = cmd->perr ? K_USAGE : rc == K_USAGE ? K_ERR : rc;
        if (x->json && !cmd->perr)
            print_json(x, cmd->j, &st, dry, NULL, NULL);
        goto out;
    }
    int wrote_rejects = rejects && !dry && x->rejects.len;
    if (wrote_rejects && (rc = write_rejects(rejects, journal_path(cmd->j), x->rejects.s,
                                             x->rejects.len, &cmd->e)) != K_OK) {
        kerr_set(&cmd->e, K_ERR, "the import is done, but the skipped cards were not written: %s",
                 cmd->e.msg);
        goto out;
    }
    if (x->json) {
        rc = print_json(x, cmd->j, &st, dry, wrote_rejects ? rejects : NULL, &cmd->e);
    } else {
        cli_putf(&x->o, CLI_PLAIN, "%sadded %zu, merged %zu, skipped %zu, empty %zu%s\n",
                 dry ? "dry run: " : "", st.added, st.merged, st.skipped, st.empty,
                 dry ? "; nothing was written" : "");
        if (wrote_rejects) {
            cli_putf(&x->o, CLI_PLAIN, "the %zu skipped %s are in ", st.skipped,
                     f == TRANSFER_CSV ? (st.skipped == 1 ? "row" : "rows")
                                       : (st.skipped == 1 ? "card" : "cards"));
            cli_put(&x->o, CLI_PLAIN, rejects, 0, 0);
            cli_putf(&x->o, CLI_PLAIN, "\n");
        }
    }
    /* Nothing written into a journal this command made: leave none. */
    if (rc == K_OK && (dry || !(st.added + st.merged - st.unchanged)) && journal_created(cmd->j))
        journal_discard(&cmd->j);
out:
    return rc;
}

int cli_import(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--dry-run", 0}, {"--map", 1},     {"--verbose", 0},    {"--json", 0},
        {"--strict", 0},  {"--rejects", 1}, {"--date-order", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct import_out x;
    char *buf = NULL;
    size_t n = 0;
    int rc, json = 0;
    enum card_date_order order = CARD_MDY;
    if (argc > 1 && !strcmp(argv[1], "vdir"))
        return cli_import_vdir(argc, argv, g);
    memset(&x, 0, sizeof x);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, import_help);
    const char *fmt = cmd.a.npos > 0 ? cmd.a.pos[0] : NULL;
    json = fmt && !strcmp(fmt, "json");
    int csv = fmt && !strcmp(fmt, "csv");
    if (!fmt || (!json && !csv && strcmp(fmt, "vcard"))) {
        rc = cli_cmd_usage(&cmd,
                           fmt ? "unknown format '%s'; use vcard, csv or json"
                               : "which format? vcard, csv or json",
                           fmt);
        goto out;
    }
    if (cmd.a.npos != 2) {
        rc = cli_cmd_usage(&cmd, cmd.a.npos < 2 ? "which file? give a path or - for standard input"
                                                : "one file at a time");
        goto out;
    }
    if ((rc = check_options(&cmd, json, csv, &order)) != K_OK)
        goto out;
    const char *path = cmd.a.pos[1];
    x.file = strcmp(path, "-") ? path : "stdin";
    x.json = cli_args_has(&cmd.a, "--json");
    if (transfer_read_file(path, &buf, &n, &cmd.e) != K_OK) {
        rc = K_ERR;
        goto out;
    }
    /* The import is one transaction, so a bad file leaves a journal as it
     * was; a journal this command had to create is removed again when
     * nothing was added (out:), so a bad file never creates one either.
     * This reads the file once: checking it before creating the journal
     * cost a tenth of a large import. */
    if ((rc = cli_open(g, JOURNAL_CREATE, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    cli_out_init(&x.o, g);
    rc = json ? import_json(&cmd, &x, buf, n)
              : import_cards(&cmd, &x, buf, n, csv ? TRANSFER_CSV : TRANSFER_VCARD, order);
out:
    free(buf);
    for (size_t i = 0; i < x.n; i++)
        free(x.v[i].msg);
    free(x.v);
    sbuf_free(&x.rejects);
    /* A bad file creates no journal. */
    if (rc != K_OK)
        journal_discard(&cmd.j);
    return cli_cmd_end(&cmd, rc, "import", import_usage);
}

/* Where an export goes: standard output, or a file written through kfile
 * (replaced only once everything is written, never the journal). */
struct sink {
    FILE *f;
    struct kfile_out o;
    int tty, json;
    int err; /* errno of a failed write */
};

/* On a terminal, journal data that would act on it or hide (controls, a CR
 * that is not a line end, bidi and zero-width characters) is shown escaped:
 * JSON with \u escapes that keep it the same JSON, other formats in the
 * display form with their lines. Files and pipes get the bytes as they
 * are. The exports hand over whole records, so no character or line end
 * is split between two calls. */
static int sink_write(const char *s, size_t n, void *ud)
{
    struct sink *k = ud;
    if (!k->tty) {
        if (fwrite(s, 1, n, k->f) == n)
            return 0;
        k->err = errno;
        return 1;
    }
    struct sbuf b = {0};
    if (k->json)
        kstr_json_tty(&b, s, n);
    else
        kstr_escape_doc(&b, s, n);
    int failed = b.len && fwrite(b.s, 1, b.len, k->f) != b.len;
    sbuf_free(&b);
    return failed || ferror(k->f) != 0;
}

static int sink_open(struct sink *k, const char *path, const char *journal, struct kerr *e)
{
    memset(k, 0, sizeof *k);
    int rc =
        kfile_out_open(&k->o, path ? path : "-", KFILE_DASH_STDOUT | KFILE_REPLACE, journal, e);
    if (rc != K_OK)
        return rc;
    k->f = k->o.f;
    k->tty = !k->o.tmp && isatty(fileno(k->f));
    return K_OK;
}

/* Completes (rc == K_OK) or abandons the output. */
static int sink_close(struct sink *k, int rc, struct kerr *e)
{
    if (!k->f)
        return rc;
    if (rc == K_OK)
        return kfile_out_commit(&k->o, e);
    if (k->err)
        return kfile_out_fail(&k->o, k->err, e);
    kfile_out_abort(&k->o);
    return rc;
}

static const char export_usage[] = "kith export (vcard [--version 3.0|4.0] | csv | json | ics "
                                   "[--days N]) [-o FILE]";
static const char export_help[] =
    "usage: kith export vcard [--version 3.0|4.0] [-o FILE]\n"
    "       kith export csv [-o FILE]\n"
    "       kith export json [-o FILE]\n"
    "       kith export ics [--days N] [-o FILE]\n"
    "       kith export vdir [--calendar] DIR   (see 'kith vdir --help')\n"
    "\n"
    "Writes the journal out, to standard output or to FILE (replaced only once\n"
    "the export is complete; never the journal or one of its side files, a\n"
    "directory, a device or a named pipe).\n"
    "\n"
    "  vcard          every contact as a vCard (3.0 unless --version 4.0); kith's\n"
    "                 own fields travel as X-KITH-* properties\n"
    "  csv            one row per contact, RFC 4180, with kith's header: name,\n"
    "                 company, title, emails, phones, links, location, birthday,\n"
    "                 tags, note, how_met, met_on, working_on, archived (several\n"
    "                 values in a cell are joined by ' ::: ')\n"
    "  json           the whole journal as one document with a format version:\n"
    "                 contacts, interactions, referrals with their outcome\n"
    "                 events, thank-yous, challenges with their ticks, reminder\n"
    "                 state; 'kith import json' restores it\n"
    "  ics            upcoming birthdays and the reminders due today as\n"
    "                 iCalendar all-day events with stable UIDs, for calendar\n"
    "                 applications\n"
    "  --days N       how far ahead ics looks (default 30, at most 3660)\n"
    "  -o, --output FILE   where to write\n";

/* The birthdays and the reminders due today, each reminder an all-day
 * event on the day it is due (today, for one overdue) with the UID it has
 * in a calendar folder. */
static int export_ics(struct journal *j, int days, struct sink *k, struct kerr *e)
{
    struct reminder_list l = {0};
    struct reminder_query q = {0};
    int rc = reminder_list(j, &q, &l, e);
    struct ics_event *ev = kcalloc(l.n + 1, sizeof *ev);
    char(*uids)[VDIR_UID_MAX] = kcalloc(l.n + 1, sizeof *uids);
    for (size_t i = 0; rc == K_OK && i < l.n; i++) {
        const struct reminder *r = &l.v[i];
        vdir_reminder_uid(r, uids[i]);
        int today = journal_today(j);
        ev[i] = (struct ics_event){uids[i], r->due_on < today ? today : r->due_on, r->message,
                                   r->contact, 0};
    }
    if (rc == K_OK)
        rc = transfer_export_ics(j, days, ev, l.n, sink_write, k, e);
    free(ev);
    free(uids);
    reminder_list_clear(&l);
    return rc;
}

int cli_export(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--version", 1}, {"--output", 1}, {"--days", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct sink k = {0};
    if (argc > 1 && !strcmp(argv[1], "vdir"))
        return cli_export_vdir(argc, argv, g);
    char **args = long_options(argc, argv);
    int rc, days = 30;
    enum vcard_version v = VCARD_V30;
    if ((rc = cli_cmd_parse(&cmd, argc, args, spec)) != K_OK)
        goto out;
    if (cmd.a.help) {
        free(args);
        return cli_cmd_help(&cmd, export_help);
    }
    const char *fmt = cmd.a.npos > 0 ? cmd.a.pos[0] : NULL;
    static const char *const fmts[] = {"vcard", "csv", "json", "ics"};
    int which = -1;
    for (int i = 0; fmt && i < 4; i++)
        if (!strcmp(fmt, fmts[i]))
            which = i;
    if (which < 0 || cmd.a.npos > 1) {
        rc = cli_cmd_usage(&cmd,
                           !fmt             ? "which format? vcard, csv, json or ics"
                           : cmd.a.npos > 1 ? "one format at a time (write to a file with -o FILE)"
                                            : "unknown format '%s'; use vcard, csv, json or ics",
                           fmt);
        goto out;
    }
    const char *ver = cli_args_get(&cmd.a, "--version");
    if ((ver && which != 0) || (cli_args_has(&cmd.a, "--days") && which != 3)) {
        rc = cli_cmd_usage(&cmd, ver ? "--version goes with 'kith export vcard'"
                                     : "--days goes with 'kith export ics'");
        goto out;
    }
    if (ver && strcmp(ver, "3.0") && strcmp(ver, "4.0")) {
        rc = cli_cmd_usage(&cmd, "--version is 3.0 or 4.0");
        goto out;
    }
    if (ver && !strcmp(ver, "4.0"))
        v = VCARD_V40;
    if (cli_args_has(&cmd.a, "--days") &&
        (rc = cli_parse_int("--days", cli_args_get(&cmd.a, "--days"), 0, 3660, &days, &cmd.e)) !=
            K_OK) {
        cmd.perr = 1;
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if ((rc = sink_open(&k, cli_args_get(&cmd.a, "--output"), journal_path(cmd.j), &cmd.e)) != K_OK)
        goto out;
    k.json = which == 2;
    switch (which) {
    case 0:
        rc = transfer_export_vcard(cmd.j, v, sink_write, &k, &cmd.e);
        break;
    case 1:
        rc = transfer_export_csv(cmd.j, sink_write, &k, &cmd.e);
        break;
    case 2:
        rc = transfer_export_json(cmd.j, sink_write, &k, &cmd.e);
        break;
    default:
        rc = export_ics(cmd.j, days, &k, &cmd.e);
        break;
    }
    rc = sink_close(&k, rc, &cmd.e);
out:
    free(args);
    return cli_cmd_end(&cmd, rc, "export", export_usage);
}

static const char backup_usage[] = "kith backup PATH [--force]";
static const char backup_help[] =
    "usage: kith backup PATH [--force]\n"
    "\n"
    "Writes a consistent copy of the journal to PATH, even while a kith TUI has\n"
    "it open. An existing PATH is left alone unless --force, and is replaced\n"
    "only once the new copy is complete and on disk. PATH is never the journal\n"
    "or one of its side files (JOURNAL-wal, -shm), nor a directory, a device or\n"
    "a named pipe. The copy is a journal: open it with 'kith --db PATH', put it\n"
    "back with 'kith restore PATH'.\n"
    "\n"
    "  --force   replace PATH if it exists\n";

int cli_backup(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--force", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, backup_help);
    if (cmd.a.npos != 1) {
        rc =
            cli_cmd_usage(&cmd, cmd.a.npos ? "one backup path at a time" : "where to? give a path");
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if ((rc = journal_backup(cmd.j, cmd.a.pos[0], cli_args_has(&cmd.a, "--force"), &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "backed up to ");
    cli_put(&o, CLI_PLAIN, cmd.a.pos[0], 0, 0);
    cli_putf(&o, CLI_PLAIN, "\n");
out:
    return cli_cmd_end(&cmd, rc, "backup", backup_usage);
}

static const char restore_usage[] = "kith restore BACKUP";
static const char restore_help[] =
    "usage: kith restore BACKUP\n"
    "\n"
    "Replaces the journal with a copy of BACKUP, a file 'kith backup' wrote (or\n"
    "the JOURNAL.bak-vN an upgrade keeps). BACKUP is checked first: it must be\n"
    "an intact kith journal (SQLite's integrity check, kith's application id, a\n"
    "journal version this kith can open); otherwise nothing changes.\n"
    "\n"
    "The journal it replaces is not deleted: its write-ahead log is folded into\n"
    "it and it is moved, with its side files, to\n"
    "JOURNAL.before-restore-YYYYMMDD-HHMMSS beside it; kith says where. No log of\n"
    "the old journal is left beside the new one. Close the full-screen journal\n"
    "first: restore refuses a journal another kith has open.\n"
    "\n"
    "A backup of a journal with sync on is not a way back for the machines it\n"
    "syncs with: its next 'kith sync' brings back every change made since the\n"
    "backup, on this machine and on the others (the folder holds them all), and\n"
    "kith says so. To take one of them back, use 'kith undo' where it was made,\n"
    "or change it again, after that sync. Where the folder no longer holds files\n"
    "the backup had not applied (removed once every replica had them), it cannot\n"
    "catch up: kith says so, and how to start a new journal from the folder's\n"
    "snapshot.\n";

/* The first replica whose files a journal needs are no longer in the
 * folder (a prune removed them). */
struct behind {
    char replica[17];
    long long from, to;
};

static int behind_prune(const struct sync_peer_status *p, void *ud)
{
    struct behind *b = ud;
    if (p->in_folder <= 0 || p->pruned <= p->applied)
        return 0;
    snprintf(b->replica, sizeof b->replica, "%s", p->replica);
    b->from = p->applied + 1;
    b->to = p->pruned;
    return 1;
}

int cli_restore(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{NULL, 0}};
    struct cli_cmd cmd;
    char *path = NULL, *aside = NULL;
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, restore_help);
    if (cmd.a.npos != 1) {
        rc = cli_cmd_usage(&cmd, cmd.a.npos ? "one backup at a time"
                                            : "which backup? give the path of one");
        goto out;
    }
    if ((rc = cli_locate(g, &cmd.cfg, &path, &cmd.e)) != K_OK)
        goto out;
    if ((rc = journal_restore(path, cmd.a.pos[0], &aside, &cmd.e)) != K_OK) {
        cmd.perr = 0;
        rc = rc == K_NOTFOUND || rc == K_USAGE ? K_ERR : rc;
        goto out;
    }
    config_free(&cmd.cfg);
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    size_t total = 0;
    struct contact_query q = {0};
    q.include_archived = 1;
    if ((rc = contact_count(cmd.j, &q, &total, &cmd.e)) != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "restored ");
    cli_put(&o, CLI_PLAIN, path, 0, 0);
    cli_putf(&o, CLI_PLAIN, " from ");
    cli_put(&o, CLI_PLAIN, cmd.a.pos[0], 0, 0);
    cli_putf(&o, CLI_PLAIN, ": %zu contact%s\n", total, total == 1 ? "" : "s");
    if (aside) {
        cli_putf(&o, CLI_PLAIN, "the journal it replaced is now ");
        cli_put(&o, CLI_PLAIN, aside, 0, 0);
        cli_putf(&o, CLI_PLAIN, "\n");
    }
    /* Its own earlier files are another journal's to it now (written
     * elsewhere: a new id), and it applies them with the others'. */
    struct sync_status ss = {0};
    struct behind b = {0};
    if (sync_status(cmd.j, &ss, NULL) == K_OK && ss.replica[0] &&
        sync_peers(cmd.j, behind_prune, &b, NULL) == K_OK && b.replica[0]) {
        char *dq = kstr_shell(ss.dir ? ss.dir : "DIR");
        cli_putf(&o, CLI_WARN,
                 "the backup is of a journal with sync on, and cannot catch up: replica %.8s's "
                 "files %lld to %lld are no longer in the folder (removed once every replica "
                 "then known had them), and the backup had not applied them; start this journal "
                 "again from the folder's snapshot, in a new journal: kith --db NEW.db sync %s "
                 "(what this machine synced before is in it)\n",
                 b.replica, b.from, b.to, dq);
        free(dq);
    } else if (ss.replica[0])
        cli_putf(&o, CLI_WARN,
                 "the backup is of a journal with sync on: its next 'kith sync' brings back "
                 "every change made since the backup, on this machine and on the others (the "
                 "folder holds them all); to take one of them back, use 'kith undo' where it "
                 "was made, or change it again, after that sync\n");
    sync_status_clear(&ss);
    /* The backup's per-contact summary is derived data: made exact again
     * if it is not (a backup from a journal someone edited by hand). */
    struct journal_check r = {0};
    if ((rc = journal_check(cmd.j, 1, &r, &cmd.e)) == K_OK && r.repaired)
        cli_putf(&o, CLI_PLAIN, "its summary was off for %zu contact%s: rebuilt\n", r.off + r.extra,
                 r.off + r.extra == 1 ? "" : "s");
    if (rc == K_OK && r.index_repaired)
        cli_putf(&o, CLI_PLAIN, "its search index was off for %zu link%s: made anew\n", r.links_off,
                 r.links_off == 1 ? "" : "s");
    journal_check_clear(&r);
out:
    free(path);
    free(aside);
    return cli_cmd_end(&cmd, rc, "restore", restore_usage);
}

static const char check_usage[] = "kith check [--dry-run]";
static const char check_help[] =
    "usage: kith check [--dry-run]\n"
    "\n"
    "Checks the journal: SQLite's quick check of the file, then the summary\n"
    "kith keeps of each contact (last interaction, counts, goodwill) and the\n"
    "index that finds contacts by their interactions' words, against the\n"
    "interactions themselves. Either found off is rebuilt from them (they\n"
    "hold nothing else); with --dry-run it is only reported. Exit 1 when the\n"
    "file is damaged (restore a backup), or with --dry-run when either is\n"
    "off.\n";

int cli_check(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--dry-run", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct journal_check r = {0};
    int rc;
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, check_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "no arguments: the journal is --db's (or the default)");
        goto out;
    }
    int dry = cli_args_has(&cmd.a, "--dry-run");
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK ||
        (rc = journal_check(cmd.j, !dry, &r, &cmd.e)) != K_OK)
        goto out;
    if (r.damage) {
        rc = kerr_set(&cmd.e, K_ERR,
                      "the journal is damaged: %s; restore the last good backup with 'kith "
                      "restore BACKUP' ('kith export json' may still save what can be read)",
                      r.damage);
        goto out;
    }
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "file: sound (SQLite's quick check)\n");
    if (!r.off && !r.extra) {
        cli_putf(&o, CLI_PLAIN, "summary: exact for %zu contact%s\n", r.contacts,
                 r.contacts == 1 ? "" : "s");
    } else if (r.repaired) {
        cli_putf(&o, CLI_PLAIN, "summary: off for %zu of %zu contact%s", r.off, r.contacts,
                 r.contacts == 1 ? "" : "s");
        if (r.extra)
            cli_putf(&o, CLI_PLAIN, ", %zu row%s of none", r.extra, r.extra == 1 ? "" : "s");
        cli_putf(&o, CLI_PLAIN, "; rebuilt from the interactions\n");
    } else {
        rc = kerr_set(&cmd.e, K_ERR,
                      "the summary is off for %zu of %zu contacts (%zu rows of none); "
                      "'kith check' without --dry-run rebuilds it",
                      r.off, r.contacts, r.extra);
    }
    if (rc == K_OK && !r.links_off && !r.index_damaged)
        cli_putf(&o, CLI_PLAIN,
                 "search index: exact for %zu link%s of interactions to contacts%s\n", r.links,
                 r.links == 1 ? "" : "s",
                 r.index_unchecked ? " (its own check needs a journal kith can write)" : "");
    else if (rc == K_OK && r.index_repaired)
        cli_putf(&o, CLI_PLAIN, "search index: off for %zu of %zu link%s%s; made anew\n",
                 r.links_off, r.links, r.links == 1 ? "" : "s",
                 r.index_damaged ? " (the index itself damaged)" : "");
    else if (rc == K_OK)
        rc = kerr_set(&cmd.e, K_ERR,
                      "the search index is off for %zu of %zu links%s; 'kith check' without"
                      " --dry-run makes it anew",
                      r.links_off, r.links, r.index_damaged ? " (the index itself damaged)" : "");
    if (rc == K_OK && r.weights)
        cli_putf(&o, CLI_PLAIN,
                 dry ? "goodwill: the balances are weighed with other weights than the config's;"
                       " the next command that reads one weighs them again\n"
                     : "goodwill: weighed again with the config's weights\n");
out:
    journal_check_clear(&r);
    return cli_cmd_end(&cmd, rc, "check", check_usage);
}
