/* Import and export against a temporary journal. */
#include "testutil.h"

#include "kith/contact.h"
#include "kith/kstr.h"
#include "kith/transfer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *fixture(const char *name, size_t *n)
{
    char path[1024];
    const char *src = getenv("KITH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", name);
    char *buf;
    struct kerr e;
    if (transfer_read_file(path, &buf, n, &e) != K_OK)
        fail_msg("%s", e.msg);
    return buf;
}

static int import_fixture(struct journal *j, enum transfer_format f, const char *name, int dry,
                          struct transfer_stats *st, struct kerr *e)
{
    size_t n;
    char *buf = fixture(name, &n);
    struct transfer_import_opts o = {name, NULL, dry, NULL, NULL};
    int rc = transfer_import(j, f, buf, n, &o, st, e);
    free(buf);
    return rc;
}

static int to_sbuf(const char *s, size_t n, void *ud)
{
    sbuf_addn(ud, s, n);
    return 0;
}

static size_t count(struct journal *j)
{
    struct contact_query q = {0};
    q.include_archived = 1;
    size_t n = 0;
    struct kerr e;
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    return n;
}

static void test_import_merge(void **state)
{
    (void)state;
    struct tjournal t;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&t);
    if (import_fixture(t.j, TRANSFER_VCARD, "vcard/v30.vcf", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.merged, 0);
    /* The same people again from Google's CSV: Ana by email, Ben by email;
     * new emails, phones and tags are added, Ana's title stays. */
    if (import_fixture(t.j, TRANSFER_CSV, "csv/google.csv", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.merged, 2);
    assert_int_equal(count(t.j), 2);
    char id[KID_LEN + 1];
    struct contact c;
    assert_int_equal(contact_resolve(t.j, "Ben Okafor", id, &e), K_OK);
    assert_int_equal(contact_get(t.j, id, &c, &e), K_OK);
    assert_int_equal(c.emails.n, 2);
    assert_int_equal(c.phones.n, 2);
    assert_string_equal(c.company, "Globex");
    assert_string_equal(c.birthday, "06-30"); /* not overwritten by 1988-06-30 */
    contact_clear(&c);
    /* Same name, nothing else in common: merged by exact name. */
    static const char by_name[] = "BEGIN:VCARD\nVERSION:3.0\nFN:ana ruiz\nTEL:+1 555 999 0000\n"
                                  "END:VCARD\n";
    struct transfer_import_opts o = {"n.vcf", NULL, 0, NULL, NULL};
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, by_name, strlen(by_name), &o, &st, &e),
                     K_OK);
    assert_int_equal(st.merged, 1);
    assert_int_equal(count(t.j), 2);
    /* Accents make a different name. */
    static const char accent[] = "BEGIN:VCARD\nFN:Ána Ruiz\nEND:VCARD\n";
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, accent, strlen(accent), &o, &st, &e),
                     K_OK);
    assert_int_equal(st.added, 1);
    tj_close(&t);
}

static void test_dry_run_and_errors(void **state)
{
    (void)state;
    struct tjournal t;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&t);
    assert_int_equal(import_fixture(t.j, TRANSFER_VCARD, "vcard/v21.vcf", 1, &st, &e), K_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(count(t.j), 0);
    /* A file whose second card is bad imports nothing. */
    assert_int_equal(import_fixture(t.j, TRANSFER_VCARD, "vcard/bad/noname.vcf", 0, &st, &e),
                     K_USAGE);
    assert_string_equal(e.msg, "vcard/bad/noname.vcf:5: this contact has no name");
    assert_int_equal(count(t.j), 0);
    assert_int_equal(import_fixture(t.j, TRANSFER_CSV, "csv/bad/bad_email.csv", 0, &st, &e),
                     K_USAGE);
    assert_int_equal(count(t.j), 0);
    /* Duplicates inside one file merge too. */
    static const char twice[] = "name,email\nAnn,ann@example.com\nAnn Lee,ann@example.com\n";
    struct transfer_import_opts o = {"t.csv", NULL, 0, NULL, NULL};
    assert_int_equal(transfer_import(t.j, TRANSFER_CSV, twice, strlen(twice), &o, &st, &e), K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.merged, 1);
    tj_close(&t);
}

/* Everything a vCard export holds comes back in a new journal. */
static void test_vcard_round_trip(void **state)
{
    (void)state;
    struct tjournal a, b;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&a);
    tj_open(&b);
    const char *files[] = {"vcard/v21.vcf", "vcard/v30.vcf", "vcard/v40.vcf", "vcard/google.vcf"};
    for (int i = 0; i < 4; i++)
        if (import_fixture(a.j, TRANSFER_VCARD, files[i], 0, &st, &e) != K_OK)
            fail_msg("%s", e.msg);
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int k = 0; k < 2; k++) {
        struct sbuf out = {0}, csv1 = {0}, csv2 = {0};
        assert_int_equal(transfer_export_vcard(a.j, vs[k], to_sbuf, &out, &e), K_OK);
        tj_close(&b);
        tj_open(&b);
        struct transfer_import_opts o = {"x.vcf", NULL, 0, NULL, NULL};
        if (transfer_import(b.j, TRANSFER_VCARD, out.s, out.len, &o, &st, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(st.added, count(a.j));
        assert_int_equal(transfer_export_csv(a.j, to_sbuf, &csv1, &e), K_OK);
        assert_int_equal(transfer_export_csv(b.j, to_sbuf, &csv2, &e), K_OK);
        assert_string_equal(csv1.s, csv2.s);
        sbuf_free(&out);
        sbuf_free(&csv1);
        sbuf_free(&csv2);
    }
    tj_close(&a);
    tj_close(&b);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *h;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    sqlite3_close(h);
}

static void test_json_round_trip(void **state)
{
    (void)state;
    struct tjournal a, b;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&a);
    tj_open(&b);
    if (import_fixture(a.j, TRANSFER_VCARD, "vcard/v30.vcf", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    /* The other tables are filled directly: their modules are not needed
     * to test that every column survives. */
    exec_sql(a.path,
             "INSERT INTO interaction VALUES ('11111111111111111111111111111111', '2026-10-02',"
             " 'coffee', 'asked', 'how she chose', 'notes\n2', '2026-10-02T10:00:00.000Z');"
             "INSERT INTO interaction_contact SELECT '11111111111111111111111111111111', key,"
             " '2026-10-02', 'coffee', 'asked' FROM contact;"
             "INSERT INTO referral VALUES ('33333333333333333333333333333333', (SELECT max(id)"
             " FROM contact), (SELECT min(id) FROM contact), NULL, 'intro', '2026-09-01',"
             " 'won', NULL, NULL, '2026-09-01T00:00:00.000Z');"
             "INSERT INTO referral VALUES ('22222222222222222222222222222222', (SELECT min(id)"
             " FROM contact), NULL, 'Globex', 'job', '2026-09-15', 'offer',"
             " '33333333333333333333333333333333', 'n', '2026-09-15T00:00:00.000Z');"
             "INSERT INTO referral_event VALUES ('44444444444444444444444444444444',"
             " '22222222222222222222222222222222', '2026-10-01', 'offer', 'yay',"
             " '2026-10-01T00:00:00.000Z');"
             "INSERT INTO thanks VALUES ('55555555555555555555555555555555', (SELECT min(id)"
             " FROM contact), '2026-10-03', 'lunch', '22222222222222222222222222222222',"
             " NULL, 'said thanks', '2026-10-03T00:00:00.000Z');"
             "INSERT INTO challenge VALUES ('66666666666666666666666666666666', 1, '2026-11-11',"
             " 30, '2026-11-11T00:00:00.000Z');"
             "INSERT INTO challenge_tick VALUES ('66666666666666666666666666666666',"
             " '2026-11-12', 'coffee', '11111111111111111111111111111111',"
             " '2026-11-12T00:00:00.000Z');"
             "INSERT INTO interaction_message VALUES ('m1@example.org',"
             " '11111111111111111111111111111111');"
             "INSERT INTO reminder_state VALUES ('thank-referrer',"
             " '33333333333333333333333333333333', '2026-11-01',"
             " '2026-11-02', NULL, NULL);");
    struct sbuf one = {0}, two = {0};
    assert_int_equal(transfer_export_json(a.j, to_sbuf, &one, &e), K_OK);
    if (transfer_import_json(b.j, one.s, one.len, "one.json", &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(transfer_export_json(b.j, to_sbuf, &two, &e), K_OK);
    assert_string_equal(one.s, two.s);
    assert_non_null(strstr(one.s, "\"format\":\"kith\",\"version\":2"));
    assert_non_null(strstr(one.s, "\"messages\":[\n{\"message_id\":\"m1@example.org\","
                                  "\"interaction\":\"11111111111111111111111111111111\"}"));
    assert_non_null(strstr(one.s, "\"ticks\":[{\"date\":\"2026-11-12\""));
    /* Not into a journal with data. */
    assert_int_equal(transfer_import_json(b.j, one.s, one.len, "one.json", &e), K_ERR);
    assert_non_null(strstr(e.msg, "is not empty"));
    sbuf_free(&one);
    sbuf_free(&two);
    tj_close(&a);
    tj_close(&b);
}

static void test_json_errors(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        const char *msg;
    } cases[] = {
        {"{", "f.json: not valid JSON"},
        {"[]", "f.json: not a kith journal export"},
        {"{\"format\":\"kith\"}", "f.json: no format version"},
        {"{\"format\":\"kith\",\"version\":9}",
         "f.json: written by a newer kith (format version 9)"},
        {"{\"format\":\"kith\",\"version\":1,\"contacts\":[{\"id\":\"x\",\"name\":\"A\"}]}",
         "f.json: contacts[0] is not an object with a 32-hex-digit id"},
        {"{\"format\":\"kith\",\"version\":1,\"contacts\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\"}]}",
         "f.json: contacts[0]: a contact needs name"},
        {"{\"format\":\"kith\",\"version\":1,\"thanks\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"contact\":\"0123456789abcdef0123456789abcdee\","
         "\"date\":\"2026-01-01\",\"form\":\"note\"}]}",
         "f.json: the file has a thank-you that refers to a contact it does not contain"},
    };
    struct tjournal t;
    struct kerr e;
    tj_open(&t);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = transfer_import_json(t.j, cases[i].doc, strlen(cases[i].doc), "f.json", &e);
        if (rc != K_USAGE || strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("case %zu: rc %d '%s'", i, rc, e.msg);
        assert_int_equal(count(t.j), 0);
    }
    tj_close(&t);
}

/* Documents whose every value the other paths would refuse: import json
 * refuses them too, saying where, and writes nothing. */
#define DOC(body) "{\"format\":\"kith\",\"version\":1," body "}"
#define IA        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
#define IB        "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\""
#define IC        "\"cccccccccccccccccccccccccccccccc\""
#define ANA       "\"contacts\":[{\"id\":" IA ",\"name\":\"Ana\"},{\"id\":" IB ",\"name\":\"Ben\"}]"
#define REF(id, more)                                                                              \
    "{\"id\":" id ",\"referrer\":" IA ",\"target_text\":\"Globex\",\"kind\":\"intro\","            \
    "\"date\":\"2026-01-02\"" more "}"

static void test_json_values_checked(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        const char *msg;
    } cases[] = {
        {DOC(ANA ",\"referrals\":[" REF(IC, ",\"date\":\"garbage\"") "]"),
         "f.json: referrals[0].date: 'garbage' is not a date (YYYY-MM-DD)"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"met_on\":\"2026-02-30\"}]"),
         "f.json: contacts[0].met_on: '2026-02-30' is not a date"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\\ud800\"}]"),
         "f.json:1:92: a lone high surrogate"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\\udc00\"}]"),
         "f.json:1:92: a lone low surrogate"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\\u0000B\"}]"),
         "f.json:1:92: \\u0000, a NUL character"},
        {DOC(ANA ",\"interactions\":[{\"id\":" IC ",\"date\":\"2026-01-01\",\"kind\":\"call\","
                 "\"direction\":\"sideways\",\"contacts\":[" IA "]}]"),
         "f.json: interactions[0].direction: 'sideways' is not a direction"},
        {DOC(ANA ",\"interactions\":[{\"id\":" IC
                 ",\"date\":\"2026-01-01\",\"kind\":\"coffee chat\","
                 "\"direction\":\"gave\",\"contacts\":[" IA "]}]"),
         "f.json: interactions[0].kind: kind 'coffee chat': use letters, digits, - and _ only"},
        {DOC(ANA ",\"interactions\":[{\"id\":" IC ",\"date\":\"2026-01-01\",\"kind\":\"call\","
                 "\"direction\":\"gave\",\"contacts\":[]}]"),
         "f.json: interactions[0]: an interaction needs at least one contact"},
        {DOC(ANA ",\"referrals\":[" REF(IC, ",\"outcome\":\"maybe\"") "]"),
         "f.json: referrals[0].outcome: 'maybe' is not an outcome"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"archived\":\"yes\"}]"),
         "f.json: contacts[0].archived: expected true or false, found text"},
        {DOC("\"contacts\":[{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"name\":\"A\"}]"),
         "f.json: contacts[0] is not an object with a 32-hex-digit id"},
        {DOC(ANA ",\"referrals\":[" REF(IC, ",\"parent\":" IC) "]"),
         "f.json: referrals[0]: a referral cannot grow out of itself"},
        {DOC(ANA
             ",\"referrals\":[" REF(IC, ",\"parent\":\"dddddddddddddddddddddddddddddddd\"") "," REF(
                 "\"dddddddddddddddddddddddddddddddd\"", ",\"parent\":" IC) "]"),
         "f.json: referral cccccccccccccccccccccccccccccccc grows, through its parents, out of "
         "itself"},
        {DOC(ANA ",\"referrals\":[{\"id\":" IC ",\"referrer\":" IA ",\"target_contact\":" IA
                 ",\"kind\":\"intro\",\"date\":\"2026-01-02\"}]"),
         "f.json: referral cccccccccccccccccccccccccccccccc goes to the contact who made it"},
        {DOC(ANA ",\"referrals\":[{\"id\":" IC ",\"referrer\":" IA
                 ",\"kind\":\"intro\",\"date\":\"2026-01-02\"}]"),
         "f.json: referrals[0]: a referral needs a target"},
        {DOC(ANA ",\"referrals\":[" REF(IC, ",\"events\":[{\"id\":" IB
                                            ",\"date\":\"2026-02-01\"}]") "]"),
         "f.json: referrals[0].events[0]: an outcome event needs outcome"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\"},{\"id\":" IA ",\"name\":\"B\"}]"),
         "f.json: two contacts have the same id"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"emails\":[\"a@b.c\",\"a@b.c\"]}]"),
         "f.json: a contact lists the same email, phone or link twice"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"emails\":[\"not-an-email\"]}]"),
         "f.json: contacts[0].emails[0]: 'not-an-email' is not an email address"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"tags\":[\"Mentor\"]}]"),
         "f.json: contacts[0].tags[0]: tag 'Mentor' is not as kith stores it ('mentor')"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"birthday\":\"13-45\"}]"),
         "f.json: contacts[0].birthday: '13-45' is not a birthday"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"  \"}]"),
         "f.json: contacts[0].name: a contact needs a name"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"nmae\":\"A\"}]"),
         "f.json: contacts[0].nmae: kith has no field 'nmae' here"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"created_at\":\"yesterday\"}]"),
         "f.json: contacts[0].created_at: 'yesterday' is not a time"},
        {DOC("\"challenges\":[{\"id\":" IA ",\"seq\":1,\"started_on\":\"2026-01-01\",\"days\":0}]"),
         "f.json: challenges[0].days: a challenge lasts 1 to 366 days"},
        {DOC("\"challenges\":[{\"id\":" IA ",\"seq\":\"1\",\"started_on\":\"2026-01-01\","
             "\"days\":30}]"),
         "f.json: challenges[0].seq: expected a whole number from 1"},
        {DOC("\"challenges\":[{\"id\":" IA ",\"seq\":1,\"started_on\":\"2026-01-01\",\"days\":30,"
             "\"ticks\":[{\"date\":\"2026-03-01\"}]}]"),
         "f.json: challenge 1 has a tick outside its days"},
        {DOC("\"challenges\":[{\"id\":" IA ",\"seq\":1,\"started_on\":\"2026-01-01\",\"days\":30,"
             "\"ticks\":[{\"date\":\"soon\"}]}]"),
         "f.json: challenges[0].ticks[0].date: 'soon' is not a date"},
        {DOC(ANA ",\"referrals\":[" REF(
             IC, "") "],\"thanks\":[{\"id\":" IC ",\"contact\":" IB
                     ",\"date\":\"2026-01-03\",\"form\":\"note\",\"referral\":" IC "}]"),
         "f.json: thank-you cccccccccccccccccccccccccccccccc is for a referral someone else made"},
        {DOC(ANA ",\"thanks\":[{\"id\":" IC ",\"contact\":" IA
                 ",\"date\":\"2026-01-03\",\"form\":\"a\\u0007b\"}]"),
         "f.json: thanks[0].form: form has control characters"},
        {DOC("\"reminder_state\":[{\"rule\":\"thank referrer\",\"subject\":" IA
             ",\"fired_on\":\"2026-01-01\"}]"),
         "f.json: reminder_state[0].rule: rule 'thank referrer'"},
        {DOC("\"sections\":[]"), "f.json: sections: kith has no field 'sections' here"},
    };
    struct tjournal t;
    struct kerr e;
    tj_open(&t);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = transfer_import_json(t.j, cases[i].doc, strlen(cases[i].doc), "f.json", &e);
        if (rc != K_USAGE || strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("case %zu: rc %d '%s'", i, rc, e.msg);
        assert_int_equal(count(t.j), 0);
    }
    /* The limits of the other paths: 1000 bytes in a name, 1 MiB in a note. */
    struct sbuf doc = {0};
    sbuf_printf(&doc, DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"%01000d\"}]"), 0);
    assert_int_equal(transfer_import_json(t.j, doc.s, doc.len, "f.json", &e), K_OK);
    sbuf_free(&doc);
    tj_close(&t);
    tj_open(&t);
    sbuf_printf(&doc, DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"%01001d\"}]"), 0);
    assert_int_equal(transfer_import_json(t.j, doc.s, doc.len, "f.json", &e), K_USAGE);
    assert_string_equal(e.msg,
                        "f.json: contacts[0].name: name is 1001 bytes long; the limit is 1000");
    sbuf_free(&doc);
    sbuf_printf(&doc, DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"note\":\"%0*d\"}]"),
                (1 << 20) + 1, 0);
    assert_int_equal(transfer_import_json(t.j, doc.s, doc.len, "f.json", &e), K_USAGE);
    assert_string_equal(
        e.msg, "f.json: contacts[0].note: note is 1048577 bytes long; the limit is 1048576");
    sbuf_free(&doc);
    assert_int_equal(count(t.j), 0);
    tj_close(&t);
}

static void test_ics(void **state)
{
    (void)state;
    struct tjournal t;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&t);
    static const char cards[] =
        "BEGIN:VCARD\nFN:Dec First\nBDAY:1986-12-01\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Leap\\, Day; with a very long name that needs folding at seventy-five "
        "octets ééé\nBDAY:--02-29\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Far Away\nBDAY:--06-01\nEND:VCARD\n";
    struct transfer_import_opts o = {"c.vcf", NULL, 0, NULL, NULL};
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, cards, strlen(cards), &o, &st, &e), K_OK);
    struct sbuf out = {0};
    struct ics_event extra = {"reminder-x@kith", tday("2026-11-23"), "Thank Ana",
                              "for, the; intro"};
    assert_int_equal(transfer_export_ics(t.j, 100, &extra, 1, to_sbuf, &out, &e), K_OK);
    assert_non_null(strstr(out.s, "DTSTART;VALUE=DATE:20261201\r\n"));
    assert_non_null(strstr(out.s, "SUMMARY:Birthday: Dec First (40)\r\n"));
    assert_non_null(strstr(out.s, "DTSTART;VALUE=DATE:20270228\r\n"));
    assert_null(strstr(out.s, "Far Away"));
    assert_non_null(strstr(out.s, "DESCRIPTION:for\\, the\\; intro\r\n"));
    assert_non_null(strstr(out.s, "DTSTAMP:20261122T000000Z\r\n"));
    for (char *p = out.s, *nl; (nl = strstr(p, "\r\n")); p = nl + 2)
        assert_true(nl - p <= 75);
    for (char *p = out.s; (p = strchr(p, '\n')); p++)
        assert_true(p[-1] == '\r');
    sbuf_free(&out);
    tj_close(&t);
}

/* Into a journal without contacts the import remembers what it wrote
 * instead of asking the journal: every way of matching must still work
 * within the one file, including an email that only a merge added. */
static void test_new_journal_merges_within_file(void **state)
{
    (void)state;
    struct tjournal t;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&t);
    static const char cards[] =
        "BEGIN:VCARD\nFN:Ana Ruiz\nEMAIL:ana@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Ana R.\nTEL:+1 555 000 0001\nEMAIL:ana@example.com\n"
        "EMAIL:ana@work.example\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:A. Ruiz\nEMAIL:ana@work.example\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Ana\nTEL:+1 555 000 0001\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:ANA RUIZ\nNOTE:by name\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Ben Okafor\nEMAIL:ben@example.com\nEND:VCARD\n";
    struct transfer_import_opts o = {"m.vcf", NULL, 0, NULL, NULL};
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, cards, strlen(cards), &o, &st, &e), K_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.merged, 4);
    assert_int_equal(count(t.j), 2);
    char id[KID_LEN + 1];
    struct contact c;
    assert_int_equal(contact_resolve(t.j, "Ana Ruiz", id, &e), K_OK);
    assert_int_equal(contact_get(t.j, id, &c, &e), K_OK);
    assert_int_equal(c.emails.n, 2);
    assert_int_equal(c.phones.n, 1);
    assert_string_equal(c.note, "by name");
    contact_clear(&c);
    /* The import turns the foreign keys off for itself only: deleting Ana
     * takes her emails with her, so her email no longer matches. */
    assert_int_equal(contact_delete(t.j, id, &e), K_OK);
    static const char again[] = "BEGIN:VCARD\nFN:Ana Again\nEMAIL:ana@example.com\nEND:VCARD\n";
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, again, strlen(again), &o, &st, &e), K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.merged, 0);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_merge),
        cmocka_unit_test(test_dry_run_and_errors),
        cmocka_unit_test(test_vcard_round_trip),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_json_values_checked),
        cmocka_unit_test(test_ics),
        cmocka_unit_test(test_new_journal_merges_within_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
