/* Import and export against a temporary journal. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/util/kstr.h"
#include "kith/core/transfer.h"
#include "kith/store/dbcontact.h"

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

/* Problems an import reported, and the rejected bytes. */
struct seen {
    size_t skips, warnings, notes;
    int first_line;
    char first[256];
    struct sbuf rejects;
};

static void on_problem(enum card_level level, int line, const char *msg, void *ud)
{
    struct seen *s = ud;
    if (level == CARD_SKIP)
        s->skips++;
    else if (level == CARD_WARN)
        s->warnings++;
    else
        s->notes++;
    if (!s->first_line) {
        s->first_line = line;
        snprintf(s->first, sizeof s->first, "%s", msg);
    }
}

static int keep_rejects(const char *p, size_t n, void *ud)
{
    sbuf_addn(&((struct seen *)ud)->rejects, p, n);
    return 0;
}

static int import_text(struct journal *j, enum transfer_format f, const char *buf, size_t n,
                       const char *name, int dry, int strict, struct seen *s,
                       struct transfer_stats *st, struct kerr *e)
{
    struct transfer_import_opts o = {name, NULL,       dry, strict,       CARD_MDY,
                                     NULL, on_problem, s,   keep_rejects, s};
    return transfer_import(j, f, buf, n, &o, st, e);
}

static int import_fixture(struct journal *j, enum transfer_format f, const char *name, int dry,
                          struct transfer_stats *st, struct kerr *e)
{
    size_t n;
    char *buf = fixture(name, &n);
    struct seen s = {0};
    int rc = import_text(j, f, buf, n, name, dry, 0, &s, st, e);
    sbuf_free(&s.rejects);
    free(buf);
    return rc;
}

static int import_str(struct journal *j, enum transfer_format f, const char *text,
                      struct transfer_stats *st, struct kerr *e)
{
    struct seen s = {0};
    int rc = import_text(j, f, text, strlen(text), "t", 0, 0, &s, st, e);
    sbuf_free(&s.rejects);
    return rc;
}

struct find {
    const char *name;
    char id[KID_LEN + 1];
};

static int find_name(const struct contact *c, void *ud)
{
    struct find *f = ud;
    if (strcmp(c->name, f->name))
        return 0;
    memcpy(f->id, c->id, sizeof f->id);
    return 1;
}

/* The contact whose name is exactly name into c. */
static void get(struct journal *j, const char *name, struct contact *c)
{
    struct find f = {name, ""};
    struct contact_query q = {0};
    struct kerr e;
    q.include_archived = 1;
    if (contact_each(j, &q, find_name, &f, &e) != K_OK || !f.id[0] ||
        contact_get(j, f.id, c, &e) != K_OK)
        fail_msg("no contact named %s", name);
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
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    struct contact c;
    if (import_fixture(t->j, TRANSFER_VCARD, "vcard/v30.vcf", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.merged, 0);
    /* The same people again from Google's CSV: Ana by email, Ben by email;
     * new emails, phones and tags are added, Ana's title stays. */
    if (import_fixture(t->j, TRANSFER_CSV, "csv/google.csv", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.merged, 2);
    assert_int_equal(count(t->j), 2);
    get(t->j, "Ben Okafor", &c);
    assert_int_equal(c.emails.n, 2);
    assert_int_equal(c.phones.n, 2);
    assert_string_equal(c.company, "Globex");
    assert_string_equal(c.birthday, "06-30"); /* not overwritten by 1988-06-30 */
    contact_clear(&c);
    /* The same name alone is not the same person. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:ana ruiz\nTEL:+1 555 999 0000\nEND:VCARD\n", &st,
                                &e),
                     K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(count(t->j), 3);
    /* The same name and a phone of hers: Ana, seen again. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Ben Okafor\nTEL:+44 20 7946 0000\nNOTE:new\n"
                                "END:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.unchanged, 0);
    /* A card that says nothing new about a contact of that name is it. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Ben Okafor\nORG:Globex\nEND:VCARD\n", &st, &e),
                     K_OK);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.unchanged, 1);
    /* Accents make a different name. */
    assert_int_equal(
        import_str(t->j, TRANSFER_VCARD, "BEGIN:VCARD\nFN:Bén Okafor\nEND:VCARD\n", &st, &e), K_OK);
    assert_int_equal(st.added, 1);
    /* A merge never drops a name: the card's becomes a nickname. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Benjamin O.\nEMAIL:ben@globex.example\n"
                                "END:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.merged, 1);
    get(t->j, "Ben Okafor", &c);
    assert_int_equal(c.nicknames.n, 1);
    assert_string_equal(c.nicknames.v[0], "Benjamin O.");
    contact_clear(&c);
}

/* A UID is the contact: the same card twice, or a file imported again,
 * adds nothing twice and changes nothing. Different UIDs or LinkedIn
 * profiles are two people even with an email in common. */
static void test_identity(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    struct contact c;
    if (import_fixture(t->j, TRANSFER_VCARD, "vcard/quirks/same_uid.vcf", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.merged, 1);
    get(t->j, "Uma Twice", &c);
    assert_int_equal(c.phones.n, 1);
    assert_int_equal(c.emails.n, 1);
    contact_clear(&c);
    long long before = traw_int(t->path, "SELECT total_changes()");
    (void)before;
    char *stamp = NULL;
    {
        size_t n;
        char *buf = fixture("vcard/quirks/same_uid.vcf", &n);
        struct seen s = {0};
        assert_int_equal(import_text(t->j, TRANSFER_VCARD, buf, n, "again", 0, 0, &s, &st, &e),
                         K_OK);
        free(buf);
        sbuf_free(&s.rejects);
    }
    assert_int_equal(st.added, 0);
    assert_int_equal(st.merged, 2);
    assert_int_equal(st.unchanged, 2);
    free(stamp);
    /* Same email, different UIDs: two contacts. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nUID:a-1\nFN:Pat One\nEMAIL:pat@example.com\n"
                                "END:VCARD\nBEGIN:VCARD\nUID:b-2\nFN:Pat Two\n"
                                "EMAIL:pat@example.com\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.added, 2);
    /* LinkedIn: a profile matches across spellings and sources; two
     * profiles are two people. */
    assert_int_equal(import_str(t->j, TRANSFER_CSV,
                                "First Name,Last Name,URL,Email Address\n"
                                "Sam,Park,https://www.linkedin.com/in/sampark,sam@example.com\n"
                                "Sam,Park,https://www.linkedin.com/in/sam-park-2,sam@example.com\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:S. Park\nX-SOCIALPROFILE;type=linkedin:"
                                "http://linkedin.com/in/SamPark/\nTITLE:CTO\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.added, 0);
}

/* Export, then import into a new journal: as many contacts, the same
 * details, for every fixture (three people who share an office phone
 * among them). */
static void test_round_trip_count(void **state)
{
    (void)state;
    struct tjournal a, b;
    struct transfer_stats st;
    struct kerr e;
    tj_open(&a);
    const char *files[] = {
        "vcard/v21.vcf",
        "vcard/v30.vcf",
        "vcard/v40.vcf",
        "vcard/google.vcf",
        "vcard/quirks/apple.vcf",
        "vcard/quirks/gmail.vcf",
        "vcard/quirks/outlook21.vcf",
        "vcard/quirks/shared_phone.vcf",
        "vcard/quirks/phones.vcf",
        "vcard/quirks/kde_slash.vcf",
        "vcard/quirks/thunderbird40.vcf",
        "vcard/quirks/kept_values.vcf",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (import_fixture(a.j, TRANSFER_VCARD, files[i], 0, &st, &e) != K_OK)
            fail_msg("%s: %s", files[i], e.msg);
    if (import_fixture(a.j, TRANSFER_CSV, "csv/quirks/outlook.csv", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    size_t n = count(a.j);
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int k = 0; k < 3; k++) {
        struct sbuf out = {0}, csv1 = {0}, csv2 = {0};
        if (k < 2)
            assert_int_equal(transfer_export_vcard(a.j, vs[k], tsbuf_write, &out, &e), K_OK);
        else
            assert_int_equal(transfer_export_csv(a.j, tsbuf_write, &out, &e), K_OK);
        tj_open(&b);
        struct seen s = {0};
        if (import_text(b.j, k < 2 ? TRANSFER_VCARD : TRANSFER_CSV, out.s, out.len, "x", 0, 1, &s,
                        &st, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(st.added, n);
        assert_int_equal(count(b.j), n);
        assert_int_equal(transfer_export_csv(a.j, tsbuf_write, &csv1, &e), K_OK);
        assert_int_equal(transfer_export_csv(b.j, tsbuf_write, &csv2, &e), K_OK);
        assert_string_equal(csv1.s, csv2.s);
        if (k < 2) {
            /* ...and the vCards again, byte for byte but the PRODID. */
            struct sbuf again = {0};
            assert_int_equal(transfer_export_vcard(b.j, vs[k], tsbuf_write, &again, &e), K_OK);
            assert_string_equal(out.s, again.s);
            sbuf_free(&again);
        }
        sbuf_free(&out);
        sbuf_free(&csv1);
        sbuf_free(&csv2);
        sbuf_free(&s.rejects);
        tj_close(&b);
    }
    tj_close(&a);
}

static void test_dry_run_strict_rejects(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    assert_int_equal(import_fixture(t->j, TRANSFER_VCARD, "vcard/v21.vcf", 1, &st, &e), K_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(count(t->j), 0);
    /* Tolerant: the readable cards go in, each skipped one is reported
     * and handed over as it was. */
    size_t n;
    char *buf = fixture("vcard/quirks/broken_line.vcf", &n);
    struct seen s = {0};
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, buf, n, "b.vcf", 0, 0, &s, &st, &e), K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(s.skips, 1);
    assert_string_equal(s.rejects.s, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Card\r\n"
                                     "this line has no colon\r\nEND:VCARD\r\n");
    assert_int_equal(count(t->j), 1);
    sbuf_free(&s.rejects);
    /* Strict: all or nothing, as before. */
    memset(&s, 0, sizeof s);
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, buf, n, "b.vcf", 0, 1, &s, &st, &e),
                     K_USAGE);
    assert_string_equal(e.msg, "b.vcf:4: not a vCard line (want NAME:value) (--strict: 1 problem; "
                               "nothing was imported)");
    assert_int_equal(count(t->j), 1);
    sbuf_free(&s.rejects);
    free(buf);
    /* A value left out fails --strict too; a note does not. */
    buf = fixture("vcard/quirks/kept_values.vcf", &n);
    memset(&s, 0, sizeof s);
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, buf, n, "k.vcf", 0, 1, &s, &st, &e),
                     K_USAGE);
    free(buf);
    sbuf_free(&s.rejects);
    buf = fixture("vcard/quirks/cp1252.vcf", &n);
    memset(&s, 0, sizeof s);
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, buf, n, "c.vcf", 0, 1, &s, &st, &e), K_OK);
    assert_int_equal(s.notes, 1);
    free(buf);
    sbuf_free(&s.rejects);
    /* CSV rejects come with their header. */
    buf = fixture("csv/quirks/bad_rows.csv", &n);
    memset(&s, 0, sizeof s);
    assert_int_equal(import_text(t->j, TRANSFER_CSV, buf, n, "r.csv", 0, 0, &s, &st, &e), K_OK);
    assert_string_equal(s.rejects.s, "name,email\r\nBob,bob@example.com,extra\r\n"
                                     "Dee,\"dee@example.com\r\n");
    free(buf);
    sbuf_free(&s.rejects);
    /* LinkedIn's hidden connections are empty rows. */
    assert_int_equal(import_fixture(t->j, TRANSFER_CSV, "csv/quirks/linkedin.csv", 0, &st, &e),
                     K_OK);
    assert_int_equal(st.empty, 2);
    assert_int_equal(st.skipped, 0);
    /* Not a vCard at all: refused, nothing written. */
    size_t before = count(t->j);
    assert_int_equal(import_fixture(t->j, TRANSFER_VCARD, "vcard/bad/calendar.vcf", 0, &st, &e),
                     K_USAGE);
    assert_int_equal(count(t->j), before);
}

/* UTF-16 with a byte order mark, and a CSV in windows-1252, are read. */
static void test_encodings(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    struct contact c;
    assert_int_equal(import_fixture(t->j, TRANSFER_VCARD, "vcard/quirks/utf16.vcf", 0, &st, &e),
                     K_OK);
    get(t->j, "Zofia Kowalska", &c);
    assert_string_equal(c.phones.v[0], "+48 600 100 200");
    contact_clear(&c);
    assert_int_equal(import_fixture(t->j, TRANSFER_CSV, "csv/quirks/excel_de.csv", 0, &st, &e),
                     K_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.notes, 1);
    get(t->j, "Renée Dubois", &c);
    assert_string_equal(c.company, "Café Noir");
    contact_clear(&c);
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
        assert_int_equal(transfer_export_vcard(a.j, vs[k], tsbuf_write, &out, &e), K_OK);
        tj_close(&b);
        tj_open(&b);
        if (import_str(b.j, TRANSFER_VCARD, out.s, &st, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(st.added, count(a.j));
        assert_int_equal(transfer_export_csv(a.j, tsbuf_write, &csv1, &e), K_OK);
        assert_int_equal(transfer_export_csv(b.j, tsbuf_write, &csv2, &e), K_OK);
        assert_string_equal(csv1.s, csv2.s);
        /* Imported into the journal it came from: each card is its
         * contact (by the UID made from the id), nothing new. */
        if (import_str(a.j, TRANSFER_VCARD, out.s, &st, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(st.added, 0);
        assert_int_equal(st.unchanged, count(a.j));
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
    if (import_fixture(a.j, TRANSFER_VCARD, "vcard/v30.vcf", 0, &st, &e) != K_OK ||
        import_fixture(a.j, TRANSFER_VCARD, "vcard/quirks/apple.vcf", 0, &st, &e) != K_OK ||
        import_fixture(a.j, TRANSFER_VCARD, "vcard/quirks/outlook21.vcf", 0, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
    /* The other tables are filled directly: their modules are not needed
     * to test that every column survives. */
    exec_sql(
        a.path,
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
        "INSERT INTO forward VALUES ('77777777777777777777777777777777', '2026-11-13',"
        " 'helped a \"student\"', (SELECT min(id) FROM contact), 'n\n2',"
        " '2026-11-13T00:00:00.000Z');"
        "INSERT INTO forward(id, date, text) VALUES ('88888888888888888888888888888888',"
        " '2026-11-14', 'gave a talk');"
        "INSERT INTO challenge_tick(challenge_id, date, note, interaction_id, created_at)"
        " VALUES ('66666666666666666666666666666666',"
        " '2026-11-12', 'coffee', '11111111111111111111111111111111',"
        " '2026-11-12T00:00:00.000Z');"
        "INSERT INTO challenge_tick(challenge_id, date, forward_id, created_at)"
        " VALUES ('66666666666666666666666666666666', '2026-11-13',"
        " '77777777777777777777777777777777', '2026-11-13T00:00:00.000Z');"
        "UPDATE contact SET needs = 'a seed investor' || char(10) || 'two \"staff\" engineers',"
        " offers = 'resume reviews', cadence_days = 21 WHERE id = (SELECT min(id)"
        " FROM contact);"
        "INSERT INTO interaction_message VALUES ('m1@example.org',"
        " '11111111111111111111111111111111');"
        "INSERT INTO reminder_state VALUES ('thank-referrer',"
        " '33333333333333333333333333333333', '2026-11-01',"
        " '2026-11-02', NULL, NULL);");
    struct sbuf one = {0}, two = {0};
    assert_int_equal(transfer_export_json(a.j, tsbuf_write, &one, &e), K_OK);
    if (transfer_import_json(b.j, one.s, one.len, "one.json", &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(transfer_export_json(b.j, tsbuf_write, &two, &e), K_OK);
    assert_string_equal(one.s, two.s);
    assert_non_null(strstr(one.s, "\"format\":\"kith\",\"version\":4"));
    /* What version 4 added travels too. */
    assert_non_null(strstr(one.s, "\"needs\":[\"a seed investor\",\"two \\\"staff\\\" engineers\"],"
                                  "\"offers\":[\"resume reviews\"],\"cadence_days\":21"));
    assert_non_null(strstr(one.s,
                           "\"forwards\":[\n{\"id\":\"77777777777777777777777777777777\","
                           "\"date\":\"2026-11-13\",\"text\":\"helped a \\\"student\\\"\","));
    assert_non_null(strstr(one.s, "\"text\":\"gave a talk\",\"contact\":null"));
    assert_non_null(strstr(one.s, "\"forward\":\"77777777777777777777777777777777\""));
    struct contact_list cl;
    struct contact_query cq = {0};
    cq.search = "investor";
    assert_int_equal(contact_list(b.j, &cq, &cl, &e), K_OK);
    assert_int_equal(cl.n, 1);
    contact_list_clear(&cl);
    assert_non_null(strstr(one.s, "\"messages\":[\n{\"message_id\":\"m1@example.org\","
                                  "\"interaction\":\"11111111111111111111111111111111\"}"));
    /* What version 3 added travels too. */
    tassert_has(one.s, "\"nicknames\":[\"Jojo\"]",
                "{\"label\":\"graduation\",\"date\":\"2019-03-02\"}",
                "\"vcard\":[\"item4.X-ABRELATEDNAMES:Sam Lee\"", "\"prefix\":\"Dr.\"",
                "\"label\":\"side project\",\"property\":null",
                "\"ticks\":[{\"date\":\"2026-11-12\"", NULL);
    /* Not into a journal with data. */
    assert_kerr(transfer_import_json(b.j, one.s, one.len, "one.json", &e), K_ERR, &e,
                "is not empty");
    /* A version 1 document (before the fields above) is read as well. */
    struct tjournal c1;
    tj_open(&c1);
    static const char v1[] =
        "{\"format\":\"kith\",\"version\":1,\"contacts\":[{\"id\":"
        "\"0123456789abcdef0123456789abcdef\",\"name\":\"Old One\",\"emails\":[\"o@x.example\"],"
        "\"phones\":[],\"links\":[],\"tags\":[\"mentor\"],\"archived\":false}]}";
    if (transfer_import_json(c1.j, v1, strlen(v1), "v1.json", &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(count(c1.j), 1);
    tj_close(&c1);
    sbuf_free(&one);
    sbuf_free(&two);
    tj_close(&a);
    tj_close(&b);
}

/* A document import json refuses (K_USAGE) with a message that begins
 * with msg, writing nothing. */
struct json_case {
    const char *doc;
    const char *msg;
};

static void json_refused(struct journal *j, const struct json_case *cases, size_t n)
{
    struct kerr e;
    for (size_t i = 0; i < n; i++) {
        int rc = transfer_import_json(j, cases[i].doc, strlen(cases[i].doc), "f.json", &e);
        if (rc != K_USAGE || strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("case %zu: rc %d '%s'", i, rc, e.msg);
        assert_int_equal(count(j), 0);
    }
}

static void test_json_errors(void **state)
{
    (void)state;
    static const struct json_case cases[] = {
        {"{\"format\":\"kith\",\"version\":4,\"contacts\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"name\":\"A\",\"needs\":[\"two\\nlines\"]}]}",
         "f.json: contacts[0].needs[0]: a value with a control character in it"},
        {"{\"format\":\"kith\",\"version\":4,\"contacts\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"name\":\"A\",\"cadence_days\":0}]}",
         "f.json: contacts[0].cadence_days: a cadence is 1 to 3650 days"},
        {"{\"format\":\"kith\",\"version\":4,\"forwards\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"date\":\"2026-01-01\",\"text\":\" \"}]}",
         "f.json: forwards[0].text: empty text"},
        {"{\"format\":\"kith\",\"version\":4,\"forwards\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"date\":\"2026-01-01\"}]}",
         "f.json: forwards[0]: a pay-it-forward needs text"},
        {"{\"format\":\"kith\",\"version\":4,\"forwards\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"date\":\"2026-01-01\",\"text\":\"t\","
         "\"contact\":\"0123456789abcdef0123456789abcdee\"}]}",
         "f.json: the file has a pay-it-forward that refers to a contact it does not contain"},
        {"{", "f.json: not valid JSON"},
        {"[]", "f.json: not a kith journal export"},
        {"{\"format\":\"kith\"}", "f.json: no format version"},
        {"{\"format\":\"kith\",\"version\":9}",
         "f.json: written by a newer kith (format version 9)"},
        {"{\"format\":\"kith\",\"version\":3,\"contacts\":[{\"id\":"
         "\"0123456789abcdef0123456789abcdef\",\"name\":\"A\",\"uids\":[\"u\"]},{\"id\":"
         "\"0123456789abcdef0123456789abcdee\",\"name\":\"B\",\"uids\":[\"u\"]}]}",
         "f.json: two contacts have the same UID"},
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
    tj_open(&t);
    json_refused(t.j, cases, sizeof cases / sizeof cases[0]);
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
    static const struct json_case cases[] = {
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
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"emails\":[\"a\\tb@c.d\"]}]"),
         "f.json: contacts[0].emails[0]: an email with a control character in it"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"tags\":[\" Mentor\"]}]"),
         "f.json: contacts[0].tags[0]: tag ' Mentor' is not as kith stores it ('Mentor')"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"n\":{\"family\":7}}]"),
         "f.json: contacts[0].n.family: expected text, found integer"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"details\":[{\"type\":\"fax\","
             "\"value\":\"1\"}]}]"),
         "f.json: contacts[0].details[0].type: 'fax' is not a detail type (email, phone or link)"},
        {DOC("\"contacts\":[{\"id\":" IA ",\"name\":\"A\",\"events\":[{\"date\":\"13-45\"}]}]"),
         "f.json: contacts[0].events[0].date: '13-45' is not a birthday (MM-DD or YYYY-MM-DD)"},
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
    json_refused(t.j, cases, sizeof cases / sizeof cases[0]);
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
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    static const char cards[] =
        "BEGIN:VCARD\nFN:Dec First\nBDAY:1986-12-01\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Leap\\, Day; with a very long name that needs folding at seventy-five "
        "octets ééé\nBDAY:--02-29\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Far Away\nBDAY:--06-01\nEND:VCARD\n";
    assert_int_equal(import_str(t->j, TRANSFER_VCARD, cards, &st, &e), K_OK);
    struct sbuf out = {0};
    struct ics_event extra = {"reminder-x@kith", tday("2026-11-23"), "Thank Ana", "for, the; intro",
                              0};
    assert_int_equal(transfer_export_ics(t->j, 100, &extra, 1, tsbuf_write, &out, &e), K_OK);
    tassert_has(out.s, "DTSTART;VALUE=DATE:20261201\r\n", "SUMMARY:Birthday: Dec First (40)\r\n",
                "DTSTART;VALUE=DATE:20270228\r\n", NULL);
    assert_null(strstr(out.s, "Far Away"));
    assert_non_null(strstr(out.s, "DESCRIPTION:for\\, the\\; intro\r\n"));
    assert_non_null(strstr(out.s, "DTSTAMP:20261122T000000Z\r\n"));
    for (char *p = out.s, *nl; (nl = strstr(p, "\r\n")); p = nl + 2)
        assert_true(nl - p <= 75);
    for (char *p = out.s; (p = strchr(p, '\n')); p++)
        assert_true(p[-1] == '\r');
    sbuf_free(&out);
}

/* Into a journal without contacts the import remembers what it wrote
 * instead of asking the journal: every way of matching within the one
 * file must still work, including an email that only a merge added; a
 * phone or a name alone matches nothing. */
static void test_new_journal_merges_within_file(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    struct contact c;
    static const char cards[] =
        "BEGIN:VCARD\nFN:Ana Ruiz\nEMAIL:ana@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Ana R.\nTEL:+1 555 000 0001\nEMAIL:ana@example.com\n"
        "EMAIL:ana@work.example\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:A. Ruiz\nEMAIL:ana@work.example\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Ana\nTEL:+1 555 000 0001\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:ANA RUIZ\nNOTE:by name\nEND:VCARD\n"
        "BEGIN:VCARD\nUID:u-1\nFN:Ben Okafor\nEMAIL:ben@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nUID:u-1\nFN:Ben O.\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Li\nX-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/li\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nFN:Li Wei\nURL:linkedin.com/in/LI\nEND:VCARD\n";
    assert_int_equal(import_str(t->j, TRANSFER_VCARD, cards, &st, &e), K_OK);
    assert_int_equal(st.added, 5);
    assert_int_equal(st.merged, 4);
    assert_int_equal(count(t->j), 5);
    get(t->j, "Ana Ruiz", &c);
    assert_int_equal(c.emails.n, 2);
    assert_int_equal(c.phones.n, 1);
    assert_int_equal(c.nicknames.n, 2);
    char id[KID_LEN + 1];
    memcpy(id, c.id, sizeof id);
    contact_clear(&c);
    /* The import turns the foreign keys off for itself only: deleting Ana
     * takes her emails with her, so her email no longer matches. */
    assert_int_equal(contact_delete(t->j, id, &e), K_OK);
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Ana Again\nEMAIL:ana@example.com\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.merged, 0);
}

/* Editing a contact an import filled keeps what the edit does not touch:
 * labels stay with their values, and the kept lines, addresses and
 * events stay. */
static void test_edit_keeps_imported(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    struct contact c;
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Lab Els\nEMAIL;TYPE=work:a@x.example\n"
                                "EMAIL;TYPE=home:b@x.example\nTEL;TYPE=cell:+1 555 0100\n"
                                "ADR;TYPE=home:;;1 Way;Town;;;\nANNIVERSARY:2010-01-02\n"
                                "PHOTO;ENCODING=b:AAAA\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    get(t->j, "Lab Els", &c);
    char id[KID_LEN + 1];
    memcpy(id, c.id, sizeof id);
    contact_clear(&c);
    struct contact_patch p;
    contact_patch_init(&p);
    kstrlist_add(&p.rm_emails, "a@x.example");
    kstrlist_add(&p.add_emails, "c@x.example");
    p.title = "Chemist";
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    contact_patch_clear(&p);
    get(t->j, "Lab Els", &c);
    assert_int_equal(c.emails.n, 2);
    assert_string_equal(c.emails.v[0], "b@x.example");
    assert_string_equal(contact_label(&c.email_labels, 0), "home");
    assert_string_equal(c.emails.v[1], "c@x.example");
    assert_string_equal(contact_label(&c.email_labels, 1), "");
    assert_string_equal(contact_label(&c.phone_labels, 0), "cell");
    assert_int_equal(c.naddresses, 1);
    assert_int_equal(c.nevents, 1);
    assert_string_equal(c.extra.v[0], "PHOTO;ENCODING=b:AAAA");
    assert_string_equal(c.title, "Chemist");
    contact_clear(&c);
}

/* The journal's schema as text, each object in name order. */
static char *schema_of(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT group_concat(type || ' ' || name || ' ' || tbl_name"
                                        "  || ' ' || coalesce(sql, ''), char(10))"
                                        " FROM (SELECT * FROM sqlite_schema ORDER BY type, name)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *out = kstr_dup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static size_t count_search(struct journal *j, const char *words, const char *tag)
{
    struct contact_query q = {0};
    q.include_archived = 1;
    q.search = words;
    q.tag = tag;
    size_t n = 0;
    struct kerr e;
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    return n;
}

/* Into a journal without contacts the import drops the contact tables'
 * secondary indexes and makes them again at the end, or as soon as a card
 * may match one it wrote: whichever way it ends (done, a merge on the way,
 * --strict refusing the file, a dry run), the schema is the same as before,
 * every index holds exactly its table's rows, and search, tags and the
 * summary answer as for contacts added one by one. */
static void test_new_journal_import_indexes(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    char *before = schema_of(t->path);
    assert_non_null(strstr(before, "contact_detail_by_email"));
    struct sbuf cards = {0};
    for (int i = 0; i < 300; i++) {
        sbuf_printf(&cards,
                    "BEGIN:VCARD\nUID:u-%d\nFN:Person %d\nEMAIL:p%d@example.com\n"
                    "CATEGORIES:%s\nNOTE:%s\nEND:VCARD\n",
                    i, i, i, i % 3 ? "Friends" : "Work,Friends",
                    i % 2 ? "talked about quasars" : "golf");
        /* Halfway, a card that is one written before: a merge. */
        if (i == 150)
            sbuf_add(&cards, "BEGIN:VCARD\nFN:P. Seven\nEMAIL:p7@example.com\nNOTE:golf\n"
                             "EMAIL:seven@work.example\nEND:VCARD\n");
    }
    /* --strict refuses a file with a problem: nothing is written. */
    struct seen s = {0};
    struct sbuf bad = {0};
    sbuf_printf(&bad, "%sBEGIN:VCARD\nFN:Broken\nno colon here\nEND:VCARD\n", cards.s);
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, bad.s, bad.len, "t", 0, 1, &s, &st, &e),
                     K_USAGE);
    sbuf_free(&s.rejects);
    assert_int_equal(count(t->j), 0);
    char *now = schema_of(t->path);
    assert_string_equal(now, before);
    free(now);
    /* A dry run neither. */
    memset(&s, 0, sizeof s);
    assert_int_equal(import_text(t->j, TRANSFER_VCARD, cards.s, cards.len, "t", 1, 0, &s, &st, &e),
                     K_OK);
    sbuf_free(&s.rejects);
    assert_int_equal(st.added, 300);
    assert_int_equal(count(t->j), 0);
    now = schema_of(t->path);
    assert_string_equal(now, before);
    free(now);

    assert_int_equal(import_str(t->j, TRANSFER_VCARD, cards.s, &st, &e), K_OK);
    assert_int_equal(st.added, 300);
    assert_int_equal(st.merged, 1);
    now = schema_of(t->path);
    assert_string_equal(now, before);
    free(now);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM pragma_integrity_check"
                                       " WHERE integrity_check <> 'ok'"),
                     0);
    traw_exec(t->path, "INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')");
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_detail"), 301);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_uid"), 300);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_summary"), 300);
    assert_int_equal(count_search(t->j, "quasars", NULL), 150);
    assert_int_equal(count_search(t->j, "golf", NULL), 150);
    assert_int_equal(count_search(t->j, NULL, "work"), 100);
    assert_int_equal(count_search(t->j, "golf", "friends"), 150);
    struct contact c;
    get(t->j, "Person 7", &c);
    assert_int_equal(c.emails.n, 2);
    contact_clear(&c);
    struct journal_check jc;
    assert_int_equal(journal_check(t->j, 0, &jc, &e), K_OK);
    assert_null(jc.damage);
    assert_int_equal(jc.contacts, 300);
    assert_int_equal(jc.off + jc.extra + jc.links_off, 0);
    assert_false(jc.index_damaged);
    journal_check_clear(&jc);

    /* The next import finds the journal with contacts: it keeps the
     * indexes, and a card matches by email. */
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:Person 9\nEMAIL:p9@example.com\nEND:VCARD\n"
                                "BEGIN:VCARD\nFN:Person 900\nEMAIL:p900@example.com\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.merged, 1);
    now = schema_of(t->path);
    assert_string_equal(now, before);
    free(now);
    sbuf_free(&bad);
    sbuf_free(&cards);
    free(before);
}

/* n cards, each with a row in every contact table: two emails, a phone, a
 * link, a tag, a nickname, a UID, a kept line, an address, an event. Card
 * "bad" (-1: none) has an email the journal's trap refuses. */
static char *batch_cards(int n, int bad)
{
    struct sbuf b = {0};
    for (int i = 0; i < n; i++)
        sbuf_printf(&b,
                    "BEGIN:VCARD\nVERSION:3.0\nUID:batch-%d\nFN:Batch %04d\n"
                    "EMAIL:%s%d@example.com\nEMAIL:second%d@example.com\nTEL:+1 555 %04d\n"
                    "URL:https://example.com/%d\nCATEGORIES:group%d\nNICKNAME:bat%d\n"
                    "ADR;TYPE=work:;;%d Main St;Springfield;;;\nANNIVERSARY:2001-02-%02d\n"
                    "X-UNKNOWN:kept %d\nNOTE:word%d\n%s%sEND:VCARD\n",
                    i, i, i == bad ? "trap" : "b", i, i, i, i, i % 3, i, i, 1 + i % 28, i, i,
                    i % 2   ? "TITLE:Señora Directora\n"
                    : i % 4 ? "X-KITH-HOW-MET:a talk\nX-KITH-WORKING-ON:Zürich office\n"
                              "X-KITH-NEED:an intro\nX-KITH-NEED:a desk\nX-KITH-OFFER:advice\n"
                            : "",
                    i % 5 ? "" : "BDAY:1980-01-02\n");
    /* No card to add: one that names nobody, skipped. */
    if (!n)
        sbuf_add(&b, "BEGIN:VCARD\nVERSION:3.0\nNOTE:nobody\nEND:VCARD\n");
    return b.s;
}

/* Table holds rows rows of n cards' contacts, and on each row cond holds,
 * in which num is the number of its contact's card. */
static void expect_rows(const char *path, const char *table, long long rows, const char *cond)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT x.*, CAST(substr(c.name, 7) AS INTEGER) AS num"
             "  FROM %s x JOIN contact c ON c.id = x.contact_id)"
             " WHERE %s",
             table, cond);
    long long got = traw_int(path, sql);
    if (got != rows)
        fail_msg("%s: %lld rows where %s, want %lld", table, got, cond, rows);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    if (traw_int(path, sql) != rows)
        fail_msg("%s: other rows", table);
}

/* The import writes new contacts a batch of rows a statement: around each
 * batch boundary every card gets all of its rows, the contacts' keys
 * follow the cards, and the full-text index and summary hold them all. */
static void test_import_batches(void **state)
{
    (void)state;
    const int sizes[] = {
        0, 1, DBCONTACT_BATCH - 1, DBCONTACT_BATCH, DBCONTACT_BATCH + 1, 2 * DBCONTACT_BATCH + 1};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        int n = sizes[k];
        struct tjournal t;
        tj_open(&t);
        struct transfer_stats st;
        struct kerr e;
        char *cards = batch_cards(n, -1);
        if (import_str(t.j, TRANSFER_VCARD, cards, &st, &e) != K_OK)
            fail_msg("%d cards: %s", n, e.msg);
        assert_int_equal(st.added, n);
        assert_int_equal(count(t.j), n);
        /* Keys in the cards' order. */
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM contact"
                                          " WHERE key <> CAST(substr(name, 7) AS INTEGER) + 1"),
                         0);
        expect_rows(t.path, "contact_detail", 4 * n,
                    "(type = 'email' AND position = 0 AND value = 'b' || num || '@example.com')"
                    " OR (type = 'email' AND position = 1"
                    "  AND value = 'second' || num || '@example.com')"
                    " OR (type = 'phone' AND value = '+1 555 ' || printf('%04d', num))"
                    " OR (type = 'link' AND value = 'https://example.com/' || num)");
        expect_rows(t.path, "contact_tag", n, "tag = 'group' || (num % 3)");
        expect_rows(t.path, "contact_nickname", n, "position = 0 AND nickname = 'bat' || num");
        expect_rows(t.path, "contact_uid", n, "position = 0 AND uid = 'batch-' || num");
        expect_rows(t.path, "contact_vcard", n, "line = 'X-UNKNOWN:kept ' || num");
        expect_rows(t.path, "contact_address", n,
                    "label = 'work' AND street = num || ' Main St' AND locality = 'Springfield'");
        expect_rows(t.path, "contact_event", n, "date = printf('2001-02-%02d', 1 + num % 28)");
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM contact_summary"), n);
        traw_exec(t.path, "INSERT INTO contact_fts(contact_fts) VALUES ('integrity-check')");
        /* Every index holds its table's rows, those filled on the way
         * (the partial ones of birthdays and needs) and those made at the
         * end. */
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM pragma_integrity_check"
                                          " WHERE integrity_check <> 'ok'"),
                         0);
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM contact"
                                          " INDEXED BY contact_with_birthday"
                                          " WHERE archived = 0 AND birthday IS NOT NULL"),
                         (n + 4) / 5);
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM contact"
                                          " INDEXED BY contact_with_needs"
                                          " WHERE archived = 0 AND needs IS NOT NULL"),
                         (n + 1) / 4);
        /* The full-text rows made in bulk are those the triggers make. */
        assert_int_equal(traw_int(t.path, "SELECT count(*) FROM contact_fts"), n);
        assert_int_equal(
            traw_int(t.path,
                     "SELECT count(*) FROM contact_fts f JOIN contact c ON c.key = f.rowid"
                     " WHERE f.name IS c.name AND f.company IS c.company"
                     "  AND f.body IS coalesce(c.title, '') || ' ' ||"
                     "   coalesce(c.location, '') || ' ' || coalesce(c.how_met, '') || ' ' ||"
                     "   coalesce(c.note, '') || ' ' || coalesce(c.working_on, '') || ' ' ||"
                     "   coalesce(c.needs, '') || ' ' || coalesce(c.offers, '')"),
            n);
        if (n) {
            char word[32];
            snprintf(word, sizeof word, "word%d", n - 1);
            assert_int_equal(count_search(t.j, word, NULL), 1);
            struct contact c;
            char name[32];
            snprintf(name, sizeof name, "Batch %04d", n - 1);
            get(t.j, name, &c);
            assert_int_equal(c.emails.n, 2);
            assert_int_equal(c.phones.n, 1);
            assert_int_equal(c.links.n, 1);
            assert_int_equal(c.tags.n, 1);
            assert_int_equal(c.nicknames.n, 1);
            assert_int_equal(c.uids.n, 1);
            assert_int_equal(c.naddresses, 1);
            assert_int_equal(c.nevents, 1);
            assert_int_equal(c.extra.n, 1);
            contact_clear(&c);
        }
        free(cards);
        tj_close(&t);
    }
}

/* A row refused in the middle of a batch (a trap the journal holds)
 * fails the import, and nothing of it stays: no contact, no row of the
 * batches written before, the schema as it was. */
static void test_import_batch_fails(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    traw_exec(t->path, "CREATE TRIGGER trap BEFORE INSERT ON contact_detail"
                       " WHEN new.value LIKE 'trap%' BEGIN SELECT RAISE(ABORT, 'trapped'); END");
    char *before = schema_of(t->path);
    char *cards = batch_cards(2 * DBCONTACT_BATCH + 1, DBCONTACT_BATCH + DBCONTACT_BATCH / 2);
    assert_int_not_equal(import_str(t->j, TRANSFER_VCARD, cards, &st, &e), K_OK);
    assert_int_equal(count(t->j), 0);
    const char *const tables[] = {
        "contact",       "contact_detail",  "contact_tag",   "contact_nickname", "contact_uid",
        "contact_vcard", "contact_address", "contact_event", "contact_summary",  "contact_fts"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        if (traw_int(t->path, sql) != 0)
            fail_msg("%s has rows", tables[i]);
    }
    char *now = schema_of(t->path);
    assert_string_equal(now, before);
    free(now);
    /* Without the trap the same file goes in whole. */
    traw_exec(t->path, "DROP TRIGGER trap");
    assert_int_equal(import_str(t->j, TRANSFER_VCARD, cards, &st, &e), K_OK);
    assert_int_equal(count(t->j), 2 * DBCONTACT_BATCH + 1);
    free(cards);
    free(before);
}

/* The summary rows of the new contacts count the interactions that name
 * them, should any (an import writes none, so it checks first and makes
 * the rows without looking when there are none): here two left behind
 * for the key the first new contact gets. */
static void test_import_summary_of_named(void **state)
{
    struct tjournal *t = *state;
    struct transfer_stats st;
    struct kerr e;
    traw_exec(t->path,
              "INSERT INTO interaction(id, date, kind, direction) VALUES"
              " ('i1', '2026-01-05', 'intro', 'gave'), ('i2', '2026-02-01', 'call', 'asked');"
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " VALUES ('i1', 1, '2026-01-05', 'intro', 'gave'),"
              " ('i2', 1, '2026-02-01', 'call', 'asked')");
    assert_int_equal(import_str(t->j, TRANSFER_VCARD,
                                "BEGIN:VCARD\nFN:First One\nEND:VCARD\n"
                                "BEGIN:VCARD\nFN:Second One\nEND:VCARD\n",
                                &st, &e),
                     K_OK);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_summary s"
                                       " JOIN contact c ON c.key = s.contact_key"
                                       " WHERE c.name = 'First One' AND s.gave = 1 AND s.asked = 1"
                                       "  AND s.mutual = 0 AND s.goodwill = 2"
                                       "  AND s.last = '2026-02-01' AND s.last_n = 1"
                                       "  AND s.last_kind = 'call' AND s.last_direction = 'asked'"),
                     1);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_summary s"
                                       " JOIN contact c ON c.key = s.contact_key"
                                       " WHERE c.name = 'Second One' AND s.gave = 0 AND s.asked = 0"
                                       "  AND s.goodwill = 0 AND s.last IS NULL AND s.last_n = 0"),
                     1);
}

static const struct CMUnitTest tests[] = {
    TJ_TEST(test_import_merge),
    TJ_TEST(test_identity),
    cmocka_unit_test(test_round_trip_count),
    TJ_TEST(test_dry_run_strict_rejects),
    TJ_TEST(test_encodings),
    TJ_TEST(test_edit_keeps_imported),
    cmocka_unit_test(test_vcard_round_trip),
    cmocka_unit_test(test_json_round_trip),
    cmocka_unit_test(test_json_errors),
    cmocka_unit_test(test_json_values_checked),
    TJ_TEST(test_ics),
    TJ_TEST(test_new_journal_merges_within_file),
    TJ_TEST(test_new_journal_import_indexes),
    cmocka_unit_test(test_import_batches),
    TJ_TEST(test_import_batch_fails),
    TJ_TEST(test_import_summary_of_named),
};

TEST_MAIN(tests)
