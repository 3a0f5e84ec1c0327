/* Mail: parsing messages with GMime (tests/fixtures/mail, one file per
 * quirk) and logging them as interactions. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"
#include "kith/core/mail.h"
#include "kith/core/maillog.h"
#include "kith/core/transfer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void parse_fixture(const char *name, struct mail_msg *m)
{
    char path[1024], *buf = NULL;
    size_t n = 0;
    struct kerr e;
    const char *src = getenv("KITH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/fixtures/mail/%s", src ? src : ".", name);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    if (mail_read_head(fd, path, &buf, &n, &e) != K_OK || mail_parse(buf, n, m, &e) != K_OK)
        fail_msg("%s: %s", name, e.msg);
    close(fd);
    free(buf);
}

static void test_encoded_names(void **state)
{
    (void)state;
    struct mail_msg m;
    parse_fixture("encoded-names.eml", &m);
    assert_int_equal(m.nfrom, 1);
    assert_string_equal(m.from[0].name, "Ana Ruíz");
    assert_string_equal(m.from[0].email, "ana@acme.example"); /* lower case */
    assert_int_equal(m.nrcpt, 2);
    assert_string_equal(m.rcpt[0].name, "Renée Dupré"); /* ISO-8859-1 Q */
    assert_string_equal(m.rcpt[1].name, "王小明");      /* UTF-8 B */
    /* Two encoded words and a folded line, decoded into one line. */
    assert_string_equal(m.subject, "Café next week? ☕ and the intro");
    assert_string_equal(m.message_id, "encoded.1@acme.example");
    assert_string_equal(m.key, m.message_id);
    /* 09:12 +0100 is 08:12 UTC: the 10th in Paris and in Los Angeles. */
    assert_int_equal(m.date, tday("2026-11-10"));
    assert_false(m.list);
    mail_msg_clear(&m);
}

static void test_recipients(void **state)
{
    (void)state;
    struct mail_msg m;
    parse_fixture("multi-rcpt.eml", &m);
    /* To (three, one folded onto a second line), Cc (one new, one
     * repeated), Bcc: each address once, in order. */
    assert_int_equal(m.nrcpt, 5);
    const char *want[] = {"ben@okafor.example", "ana@acme.example", "dana@globex.example",
                          "chen@wei.example", "ledger@home.example"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(m.rcpt[i].email, want[i]);
    assert_string_equal(m.rcpt[0].name, "Okafor, Ben");
    assert_null(m.rcpt[4].name);
    assert_string_equal(m.from[0].email, "me@home.example");
    mail_msg_clear(&m);

    /* Groups are flattened; an empty group adds nothing. */
    parse_fixture("group.eml", &m);
    assert_int_equal(m.nrcpt, 2);
    assert_string_equal(m.rcpt[0].email, "ana@acme.example");
    assert_string_equal(m.rcpt[1].email, "chen@wei.example");
    mail_msg_clear(&m);
}

static void test_quirks(void **state)
{
    (void)state;
    struct mail_msg m;
    parse_fixture("no-date.eml", &m);
    assert_int_equal(m.date, KDATE_NONE);
    mail_msg_clear(&m);

    parse_fixture("list.eml", &m);
    assert_true(m.list);
    mail_msg_clear(&m);
    parse_fixture("auto.eml", &m);
    assert_true(m.list);
    mail_msg_clear(&m);

    /* No Message-ID: a key from the headers, the same on every read. */
    parse_fixture("no-message-id.eml", &m);
    assert_null(m.message_id);
    char *key = kstr_dup(m.key);
    assert_non_null(strstr(key, "no-message-id-"));
    mail_msg_clear(&m);
    parse_fixture("no-message-id.eml", &m);
    assert_string_equal(m.key, key);
    free(key);
    /* 07:00 +0800 is the 12th at 23:00 UTC, the 13th at 00:00 in Paris. */
    assert_int_equal(m.date, tday("2026-11-13"));
    mail_msg_clear(&m);

    parse_fixture("mbox-from.eml", &m);
    assert_int_equal(m.nfrom, 1);
    assert_string_equal(m.subject, "From an mbox");
    mail_msg_clear(&m);

    parse_fixture("crlf.eml", &m);
    assert_string_equal(m.subject, "CRLF line ends");
    assert_string_equal(m.from[0].name, "Dana Lee");
    mail_msg_clear(&m);

    /* Raw 8-bit Latin-1: GMime's charset fallback gives UTF-8. */
    parse_fixture("raw-latin1.eml", &m);
    assert_string_equal(m.from[0].name, "René Blanc");
    assert_string_equal(m.subject, "café");
    mail_msg_clear(&m);

    /* Not mail at all. */
    struct kerr e;
    assert_int_equal(mail_parse("\x01\x02 binary", 9, &m, &e), K_USAGE);
    mail_msg_clear(&m);
    assert_kerr(mail_parse("Subject: hi\n\nbody\n", 18, &m, &e), K_USAGE, &e, "no From");
    mail_msg_clear(&m);
}

static void test_read_head_bounds(void **state)
{
    (void)state;
    char path[] = "/tmp/kith-mail-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* A header that never ends, longer than the limit. */
    struct sbuf b = {0};
    while (b.len <= MAIL_HEAD_MAX)
        sbuf_add(
            &b, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
    assert_int_equal(write(fd, b.s, b.len), (ssize_t)b.len);
    lseek(fd, 0, SEEK_SET);
    char *buf;
    size_t n;
    struct kerr e;
    assert_kerr(mail_read_head(fd, "big", &buf, &n, &e), K_USAGE, &e, "longer than 256 KiB");
    /* A short header: read to the blank line, the body left out. */
    assert_int_equal(ftruncate(fd, 0), 0);
    lseek(fd, 0, SEEK_SET);
    const char *msg = "From: a@b.example\r\nSubject: x\r\n\r\nbody that is not read\r\n";
    assert_int_equal(write(fd, msg, strlen(msg)), (ssize_t)strlen(msg));
    lseek(fd, 0, SEEK_SET);
    assert_int_equal(mail_read_head(fd, "small", &buf, &n, &e), K_OK);
    assert_string_equal(buf, "From: a@b.example\r\nSubject: x\r\n\r\n");
    free(buf);
    close(fd);
    unlink(path);
    sbuf_free(&b);
}

static void add(struct tjournal *t, const char *name, const char *email, char id[KID_LEN + 1])
{
    struct contact_patch p = tpatch(name);
    kstrlist_add(&p.add_emails, email);
    tadd_patch(t->j, &p, id);
}

static void set_me(struct config *cfg, const char *addr)
{
    cfg->me = krealloc(cfg->me, (cfg->nme + 1) * sizeof *cfg->me);
    cfg->me[cfg->nme++] = kstr_dup(addr);
}

/* The state of the logging tests: a new journal with Ana Ruiz (at an
 * address in the case the setup names) and Ben Okafor, where
 * me@home.example is me; the options of a plain log, and its result. */
struct logfx {
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    struct maillog_opts o;
    struct maillog_result r;
};

static int open_ana_ben(void **state, const char *ana_email)
{
    struct logfx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    tj_open(&f->t);
    add(&f->t, "Ana Ruiz", ana_email, f->ana);
    add(&f->t, "Ben Okafor", "ben@okafor.example", f->ben);
    set_me(f->t.cfg, "me@home.example");
    f->o = (struct maillog_opts){-1, 0, 0, KDATE_NONE, KDATE_NONE};
    *state = f;
    return 0;
}

static int ana_ben(void **state)
{
    return open_ana_ben(state, "ana@acme.example");
}

/* Ana's address stored in capitals. */
static int ana_in_capitals_ben(void **state)
{
    return open_ana_ben(state, "ANA@acme.example");
}

/* tj_teardown ends the fixture: its struct tjournal comes first. */
#define LOG_TEST(f, setup) cmocka_unit_test_setup_teardown(f, setup, tj_teardown)

static long long count(struct tjournal *t, const char *sql)
{
    return traw_int(t->path, sql);
}

static void log_fixture(struct tjournal *t, const char *name, const struct maillog_opts *o,
                        struct maillog_result *r)
{
    struct mail_msg m;
    struct kerr e;
    parse_fixture(name, &m);
    if (maillog_message(t->j, &m, o, r, &e) != K_OK)
        fail_msg("%s: %s", name, e.msg);
    mail_msg_clear(&m);
}

/* r logged an interaction in direction dir with the n contacts that follow
 * n, in their order. */
static void logged(const struct maillog_result *r, enum kdir dir, size_t n, ...)
{
    va_list ap;
    assert_int_equal(r->outcome, MAILLOG_LOGGED);
    assert_int_equal(r->dir, dir);
    assert_int_equal(r->contacts.n, n);
    va_start(ap, n);
    for (size_t i = 0; i < n && i < r->contacts.n; i++)
        assert_string_equal(r->contacts.v[i], va_arg(ap, const char *));
    va_end(ap);
}

static void test_log_directions_and_dedupe(void **state)
{
    struct logfx *f = *state;

    log_fixture(&f->t, "from-me.eml", &f->o, &f->r);
    logged(&f->r, KDIR_GAVE, 1, f->ana);
    assert_int_equal(f->r.date, tday("2026-11-18"));
    maillog_result_clear(&f->r);

    log_fixture(&f->t, "to-me.eml", &f->o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_LOGGED);
    assert_int_equal(f->r.dir, KDIR_MUTUAL);
    char first[KID_LEN + 1];
    memcpy(first, f->r.interaction, sizeof first);
    maillog_result_clear(&f->r);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM interaction WHERE kind = 'email'"
                                  " AND summary = 'Re: The article on Gen Z at work'"),
                     1);

    /* The same message again: known, nothing new. */
    log_fixture(&f->t, "to-me.eml", &f->o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_KNOWN);
    assert_string_equal(f->r.interaction, first);
    maillog_result_clear(&f->r);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM interaction"), 2);

    /* A direction given wins. */
    struct maillog_opts asked = f->o;
    asked.dir = KDIR_ASKED;
    log_fixture(&f->t, "mbox-from.eml", &asked, &f->r);
    assert_int_equal(f->r.dir, KDIR_ASKED);
    maillog_result_clear(&f->r);

    /* Undoing the deletion of a contact brings its mail's Message-IDs back. */
    struct kerr e;
    struct history_step step = {0};
    history_record(f->t.j, "tui", HISTORY_RECORD);
    assert_int_equal(contact_delete(f->t.j, f->ana, &e), K_OK);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM interaction_message"), 0);
    assert_int_equal(history_undo(f->t.j, "tui", &step, &e), K_OK);
    history_step_clear(&step);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM interaction_message"), 3);
    log_fixture(&f->t, "to-me.eml", &f->o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_KNOWN);
    maillog_result_clear(&f->r);

    /* Deleting the interaction frees its Message-ID. */
    assert_int_equal(interaction_delete(f->t.j, first, &e), K_OK);
    log_fixture(&f->t, "to-me.eml", &f->o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_LOGGED);
    maillog_result_clear(&f->r);
}

static void test_log_recipients_unknown_and_lists(void **state)
{
    struct logfx *f = *state;

    /* From me (in capitals) to Ben, Ana, Dana; Cc Chen, Ben; Bcc: one
     * interaction with the two contacts, the rest listed as unknown. */
    log_fixture(&f->t, "multi-rcpt.eml", &f->o, &f->r);
    logged(&f->r, KDIR_GAVE, 2, f->ben, f->ana);
    assert_int_equal(f->r.unknown.n, 3);
    assert_string_equal(f->r.unknown.v[0], "Dana Lee <dana@globex.example>");
    assert_string_equal(f->r.unknown.v[2], "ledger@home.example");
    maillog_result_clear(&f->r);

    /* No contact: nothing logged, the addresses (not mine) listed. */
    log_fixture(&f->t, "crlf.eml", &f->o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_NO_CONTACT);
    assert_int_equal(f->r.unknown.n, 1);
    maillog_result_clear(&f->r);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM interaction"), 1);

    /* --add-unknown: the display name, else the address, becomes a contact. */
    struct maillog_opts add_o = f->o;
    add_o.add_unknown = 1;
    log_fixture(&f->t, "crlf.eml", &add_o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_LOGGED);
    assert_int_equal(f->r.added.n, 1);
    maillog_result_clear(&f->r);
    assert_int_equal(count(&f->t, "SELECT count(*) FROM contact c JOIN contact_detail d"
                                  " ON d.contact_id = c.id WHERE c.name = 'Dana Lee'"
                                  " AND d.value = 'dana@globex.example'"),
                     1);
    /* ... and my own address never does. */
    assert_int_equal(count(&f->t, "SELECT count(*) FROM contact_detail WHERE value LIKE 'me@%'"),
                     0);

    /* A list message counts its sender only, never the list... */
    log_fixture(&f->t, "list.eml", &add_o, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_LOGGED);
    assert_int_equal(f->r.contacts.n, 1);
    assert_string_equal(f->r.contacts.v[0], f->ben);
    assert_int_equal(f->r.added.n, 0);
    maillog_result_clear(&f->r);
    /* ... and a capture skips it. */
    struct maillog_opts skip = f->o;
    skip.skip_lists = 1;
    log_fixture(&f->t, "auto.eml", &skip, &f->r);
    assert_int_equal(f->r.outcome, MAILLOG_LIST);
    maillog_result_clear(&f->r);

    /* Missing Date: the day given, else today. */
    struct maillog_opts day = f->o;
    day.missing_date = tday("2026-11-01");
    log_fixture(&f->t, "no-date.eml", &day, &f->r);
    assert_int_equal(f->r.date, tday("2026-11-01"));
    maillog_result_clear(&f->r);
}

static void put(const char *dir, const char *sub, const char *file, const char *fixture)
{
    char path[1024], src[1024];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    struct kerr e;
    assert_int_equal(kpath_mkdirs(path, 0700, &e), K_OK);
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, file);
    snprintf(src, sizeof src, "%s/tests/fixtures/mail/%s", getenv("KITH_SOURCE_DIR"), fixture);
    size_t n;
    char *buf = tslurp(src, &n);
    assert_non_null(buf);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(buf, 1, n, f);
    fclose(f);
    free(buf);
}

static void test_capture_maildir(void **state)
{
    (void)state;
    struct tjournal t;
    char id[KID_LEN + 1], md[400];
    tj_open(&t);
    add(&t, "Ana Ruiz", "ana@acme.example", id);
    add(&t, "Ben Okafor", "ben@okafor.example", id);
    add(&t, "Chen Wei", "chen@wei.example", id);
    set_me(t.cfg, "me@home.example");
    snprintf(md, sizeof md, "%s/Mail", t.dir);
    put(md, "cur", "1700000001.1.host:2,S", "from-me.eml");
    put(md, "new", "1700000002.2.host", "to-me.eml");
    put(md, "tmp", "1700000003.3.host", "group.eml");           /* not delivered yet */
    put(md, "cur", ".hidden", "group.eml");                     /* not a message */
    put(md, ".Sent/cur", "1700000004.4.host:2,S", "group.eml"); /* Maildir++ */
    put(md, ".Sent/cur", "1700000005.5.host:2,S", "to-me.eml"); /* twice in the tree */
    put(md, ".Lists/cur", "1700000006.6.host:2,S", "list.eml");
    put(md, ".notmuch/xapian", "record.DB", "group.eml");
    put(md, "cur", "1600000000.0.host:2,S", "no-message-id.eml");
    put(md, "cur", "1700000007.7.host:2,", "crlf.eml"); /* no contact */
    char junk[500];
    snprintf(junk, sizeof junk, "%s/cur/1700000008.8.host", md);
    FILE *f = fopen(junk, "wb");
    fputs("\x01\x02\x03 not mail", f);
    fclose(f);

    struct maillog_opts o = {-1, 0, 1, KDATE_NONE, KDATE_NONE};
    struct maillog_stats st;
    struct kerr e;
    /* A dry run counts and writes nothing. */
    assert_int_equal(maillog_capture_maildir(t.j, md, &o, 1, NULL, NULL, &st, &e), K_OK);
    assert_int_equal(st.files, 8);
    assert_int_equal(st.logged, 4);
    assert_int_equal(count(&t, "SELECT count(*) FROM interaction"), 0);

    assert_int_equal(maillog_capture_maildir(t.j, md, &o, 0, NULL, NULL, &st, &e), K_OK);
    assert_int_equal(st.logged, 4); /* from-me, to-me, group, no-message-id */
    assert_int_equal(st.contacts, 2);
    assert_int_equal(st.known, 1);
    assert_int_equal(st.lists, 1);
    assert_int_equal(st.no_contact, 1);
    assert_int_equal(st.unreadable, 1);
    assert_non_null(strstr(st.first_bad, "1700000008.8.host"));
    assert_int_equal(count(&t, "SELECT count(*) FROM interaction"), 4);
    assert_int_equal(count(&t, "SELECT count(*) FROM interaction_message"), 4);

    /* Again: everything is known. */
    assert_int_equal(maillog_capture_maildir(t.j, md, &o, 0, NULL, NULL, &st, &e), K_OK);
    assert_int_equal(st.logged, 0);
    assert_int_equal(st.known, 5);

    /* --since: older messages are skipped (counted before the list check). */
    traw_exec(t.path, "DELETE FROM interaction_message; DELETE FROM interaction_contact;"
                      " DELETE FROM interaction;");
    o.since = tday("2026-11-15");
    assert_int_equal(maillog_capture_maildir(t.j, md, &o, 0, NULL, NULL, &st, &e), K_OK);
    assert_int_equal(st.logged, 2); /* from-me and to-me, the 18th */
    assert_int_equal(st.old, 3);    /* group, no-message-id, list */
    assert_int_equal(st.known, 1);
    tj_close(&t);

    /* Not a Maildir. */
    tj_open(&t);
    assert_kerr(maillog_capture_maildir(t.j, t.dir, &o, 0, NULL, NULL, &st, &e), K_USAGE, &e,
                "not a Maildir");
    tj_close(&t);
}

/* The Message-IDs travel through a JSON export and import: the restored
 * journal still knows the message. */
static void test_json_keeps_message_ids(void **state)
{
    (void)state;
    struct tjournal a, b;
    char id[KID_LEN + 1];
    tj_open(&a);
    tj_open(&b);
    add(&a, "Ana Ruiz", "ana@acme.example", id);
    struct maillog_opts o = {-1, 0, 0, KDATE_NONE, KDATE_NONE};
    struct maillog_result r;
    log_fixture(&a, "to-me.eml", &o, &r);
    char logged[KID_LEN + 1];
    memcpy(logged, r.interaction, sizeof logged);
    maillog_result_clear(&r);
    struct sbuf doc = {0};
    struct kerr e;
    assert_int_equal(transfer_export_json(a.j, tsbuf_write, &doc, &e), K_OK);
    assert_non_null(strstr(doc.s, "\"messages\":[\n{\"message_id\":\"tome.5@acme.example\""));
    if (transfer_import_json(b.j, doc.s, doc.len, "a.json", &e) != K_OK)
        fail_msg("%s", e.msg);
    log_fixture(&b, "to-me.eml", &o, &r);
    assert_int_equal(r.outcome, MAILLOG_KNOWN);
    assert_string_equal(r.interaction, logged);
    maillog_result_clear(&r);
    sbuf_free(&doc);
    tj_close(&a);
    tj_close(&b);
}

/* Dates in mail carry their zone; the tests read them from a zone that is
 * not UTC. */
static int paris(void **state)
{
    (void)state;
    return setenv("TZ", "Europe/Paris", 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_encoded_names),
    cmocka_unit_test(test_recipients),
    cmocka_unit_test(test_quirks),
    cmocka_unit_test(test_read_head_bounds),
    LOG_TEST(test_log_directions_and_dedupe, ana_in_capitals_ben),
    LOG_TEST(test_log_recipients_unknown_and_lists, ana_ben),
    cmocka_unit_test(test_capture_maildir),
    cmocka_unit_test(test_json_keeps_message_ids),
};

TEST_MAIN_GROUP(tests, paris, NULL)
