#include "kith/cli_io.h"

#include "kith/cli_util.h"
#include "kith/contact.h"
#include "kith/kfile.h"
#include "kith/kstr.h"
#include "kith/transfer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    "kith import (vcard | csv [--map 'Column=field,...'] | json) FILE|- [--dry-run] [--verbose]";
static const char import_help[] =
    "usage: kith import vcard FILE|- [--dry-run] [--verbose]\n"
    "       kith import csv FILE|- [--map 'Column=field,...'] [--dry-run] [--verbose]\n"
    "       kith import json FILE|-\n"
    "\n"
    "Adds the contacts in a file to the journal, all in one go: a file with any\n"
    "error imports nothing and the message says FILE:LINE: what is wrong. '-'\n"
    "reads standard input. At most 512 MiB is read.\n"
    "\n"
    "A contact that matches one already in the journal (or earlier in the file)\n"
    "by an email, a phone or its exact name is merged into it: new emails,\n"
    "phones, links and tags are added and empty fields filled; nothing is\n"
    "overwritten.\n"
    "\n"
    "  vcard       vCard 2.1, 3.0 or 4.0, as phones, Google, Apple, khard and\n"
    "              abook write them\n"
    "  csv         a table with a header row; Google Contacts' and LinkedIn's\n"
    "              (Connections.csv) columns are recognised, as are kith's own\n"
    "  json        a 'kith export json' document, restored with every id into an\n"
    "              empty journal (use --db NEW-PATH); every value is checked as\n"
    "              the commands that write it check it\n"
    "  --map M     CSV columns to fields, 'Column=field,...'; fields: name,\n"
    "              first_name, middle_name, last_name, company, title, email,\n"
    "              phone, link, location, birthday, note, tags, how_met, met_on,\n"
    "              working_on, archived, ignore\n"
    "  --dry-run   show what would be added and merged; write nothing\n"
    "  --verbose   list each contact as it is added or merged\n";

struct import_out {
    struct cli_out o;
    const char *verb_add, *verb_merge;
};

static void print_card(int merged, const char *name, const char *into, void *ud)
{
    struct import_out *x = ud;
    cli_putf(&x->o, CLI_PLAIN, "%s ", merged ? x->verb_merge : x->verb_add);
    cli_put(&x->o, CLI_PLAIN, name, 0, 0);
    if (merged && strcmp(name, into)) {
        cli_putf(&x->o, CLI_PLAIN, " into ");
        cli_put(&x->o, CLI_PLAIN, into, 0, 0);
    }
    cli_putf(&x->o, CLI_PLAIN, "\n");
}

int cli_import(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--dry-run", 0}, {"--map", 1}, {"--verbose", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    char *buf = NULL;
    size_t n = 0;
    int rc, json = 0;
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
    if ((cli_args_has(&cmd.a, "--map") && !csv) ||
        (json && (cli_args_has(&cmd.a, "--dry-run") || cli_args_has(&cmd.a, "--verbose")))) {
        rc = cli_cmd_usage(&cmd, json ? "import json takes no options"
                                      : "--map goes with 'kith import csv'");
        goto out;
    }
    const char *path = cmd.a.pos[1];
    const char *name = strcmp(path, "-") ? path : "stdin";
    const char *map = cli_args_get(&cmd.a, "--map");
    if (transfer_read_file(path, &buf, &n, &cmd.e) != K_OK) {
        rc = K_ERR;
        goto out;
    }
    /* The import is one transaction, so a bad file leaves a journal as it
     * was; a journal this command had to create is removed again (out:),
     * so a bad file never creates one either. This reads the file once:
     * checking it before creating the journal cost a tenth of a large
     * import. */
    int dry = cli_args_has(&cmd.a, "--dry-run");
    if ((rc = cli_open(g, JOURNAL_CREATE, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    struct import_out x;
    cli_out_init(&x.o, g);
    if (json) {
        size_t total = 0;
        struct contact_query q = {0};
        q.include_archived = 1;
        if ((rc = transfer_import_json(cmd.j, buf, n, name, &cmd.e)) != K_OK) {
            rc = rc == K_USAGE ? K_ERR : rc;
            goto out;
        }
        if ((rc = contact_count(cmd.j, &q, &total, &cmd.e)) != K_OK)
            goto out;
        cli_putf(&x.o, CLI_PLAIN, "restored the journal from ");
        cli_put(&x.o, CLI_PLAIN, name, 0, 0);
        cli_putf(&x.o, CLI_PLAIN, ": %zu contact%s\n", total, total == 1 ? "" : "s");
        goto out;
    }
    x.verb_add = dry ? "would add" : "added";
    x.verb_merge = dry ? "would merge" : "merged";
    struct transfer_import_opts o = {
        name, map, dry, dry || cli_args_has(&cmd.a, "--verbose") ? print_card : NULL, &x};
    struct transfer_stats st;
    if ((rc = transfer_import(cmd.j, csv ? TRANSFER_CSV : TRANSFER_VCARD, buf, n, &o, &st,
                              &cmd.e)) != K_OK) {
        cmd.perr = !strncmp(cmd.e.msg, "--map", 5);
        rc = cmd.perr ? K_USAGE : rc == K_USAGE ? K_ERR : rc;
        goto out;
    }
    if (dry)
        cli_putf(&x.o, CLI_PLAIN, "dry run: %zu would be added, %zu merged; nothing was written\n",
                 st.added, st.merged);
    else
        cli_putf(&x.o, CLI_PLAIN, "imported %zu contact%s: %zu added, %zu merged\n",
                 st.added + st.merged, st.added + st.merged == 1 ? "" : "s", st.added, st.merged);
out:
    free(buf);
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
    "  ics            upcoming birthdays as iCalendar all-day events with stable\n"
    "                 UIDs, for calendar applications\n"
    "  --days N       how far ahead ics looks (default 30, at most 3660)\n"
    "  -o, --output FILE   where to write\n";

int cli_export(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--version", 1}, {"--output", 1}, {"--days", 1}, {NULL, 0}};
    struct cli_cmd cmd;
    struct sink k = {0};
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
        /* Due reminders belong in the calendar too: once the reminder rules
         * can list them, turn each into a struct ics_event and pass them
         * here instead of NULL, 0. */
        rc = transfer_export_ics(cmd.j, days, NULL, 0, sink_write, &k, &cmd.e);
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
    "first: restore refuses a journal another kith has open.\n";

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
out:
    free(path);
    free(aside);
    return cli_cmd_end(&cmd, rc, "restore", restore_usage);
}
