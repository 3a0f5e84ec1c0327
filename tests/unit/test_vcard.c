/* The vCard reader and writer, against the fixtures in tests/fixtures/vcard. */
#include "testutil.h"

#include "kith/kstr.h"
#include "kith/vcard.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct got {
    struct contact v[16];
    size_t n;
};

static void copy_list(struct kstrlist *d, const struct kstrlist *s)
{
    for (size_t i = 0; i < s->n; i++)
        kstrlist_add(d, s->v[i]);
}

static int collect(struct card *k, void *ud, struct kerr *e)
{
    (void)e;
    struct got *g = ud;
    assert_true(g->n < 16);
    struct contact *c = &g->v[g->n++];
    const struct contact *s = &k->c;
    memset(c, 0, sizeof *c);
    c->name = kstr_dup(s->name);
    c->company = kstr_dup(s->company);
    c->title = kstr_dup(s->title);
    c->location = kstr_dup(s->location);
    c->note = kstr_dup(s->note);
    c->birthday = kstr_dup(s->birthday);
    c->how_met = kstr_dup(s->how_met);
    c->working_on = kstr_dup(s->working_on);
    c->met_on = s->met_on;
    c->archived = s->archived;
    copy_list(&c->emails, &s->emails);
    copy_list(&c->phones, &s->phones);
    copy_list(&c->links, &s->links);
    copy_list(&c->tags, &s->tags);
    return K_OK;
}

static void got_clear(struct got *g)
{
    for (size_t i = 0; i < g->n; i++)
        contact_clear(&g->v[i]);
    g->n = 0;
}

static char *fixture(const char *name, size_t *n)
{
    char path[1024];
    const char *src = getenv("KITH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/fixtures/vcard/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    struct sbuf b = {0};
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        sbuf_addn(&b, chunk, got);
    fclose(f);
    *n = b.len;
    return sbuf_take(&b);
}

static int parse_fixture(const char *name, struct got *g, struct kerr *e)
{
    size_t n;
    char *buf = fixture(name, &n);
    int rc = vcard_parse(buf, n, name, collect, g, e);
    free(buf);
    return rc;
}

static void test_v21(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    assert_int_equal(parse_fixture("v21.vcf", &g, &e), K_OK);
    assert_int_equal(g.n, 2);
    struct contact *c = &g.v[0];
    assert_string_equal(c->name, "Jürgen Müller");
    assert_string_equal(c->company, "Acme GmbH, Research");
    assert_string_equal(c->title, "Geschäftsführer");
    assert_int_equal(c->phones.n, 2);
    assert_string_equal(c->phones.v[0], "+49 30 1234567");
    assert_string_equal(c->emails.v[0], "juergen@acme.example");
    assert_string_equal(c->location, "Hauptstr. 1, Berlin, 10115, Germany");
    assert_string_equal(c->birthday, "1970-04-12");
    assert_string_equal(c->note, "Met at the trade fair.\nAsked about the robotics team.");
    assert_string_equal(g.v[1].name, "Renée Dubois");
    got_clear(&g);
}

static void test_v30(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    assert_int_equal(parse_fixture("v30.vcf", &g, &e), K_OK);
    assert_int_equal(g.n, 2);
    struct contact *c = &g.v[0];
    assert_string_equal(c->name, "Ana Ruiz");
    assert_string_equal(c->company, "Acme, Inc., Engineering");
    assert_string_equal(c->title, "VP Engineering");
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->emails.v[0], "ana@acme.example");
    assert_string_equal(c->emails.v[1], "ana.ruiz@home.example");
    assert_string_equal(c->phones.v[0], "+1 (555) 010-2030");
    assert_string_equal(c->links.v[0], "https://ana.example/blog");
    assert_string_equal(c->location, "1 Market St, San Francisco, CA, 94105, USA");
    assert_string_equal(c->birthday, "03-15");
    assert_string_equal(c->note, "Mentor from the SMG conference.\nAdvice: write every week; ship "
                                 "small things, often.");
    assert_int_equal(c->tags.n, 3);
    assert_string_equal(c->tags.v[0], "mentor");
    assert_string_equal(c->tags.v[1], "alumni");
    assert_string_equal(c->tags.v[2], "smg-conference");
    assert_string_equal(g.v[1].name, "Ben Okafor");
    assert_string_equal(g.v[1].birthday, "06-30");
    got_clear(&g);
}

static void test_v40(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    assert_int_equal(parse_fixture("v40.vcf", &g, &e), K_OK);
    assert_int_equal(g.n, 2);
    struct contact *c = &g.v[0];
    assert_string_equal(c->name, "Chen Wei");
    assert_string_equal(c->phones.v[0], "+1-555-555-1234 x12");
    assert_string_equal(c->emails.v[0], "chen@globex.example");
    assert_string_equal(c->birthday, "09-21");
    assert_string_equal(c->note, "Prefers email.\nNo calls on Fridays.");
    assert_string_equal(g.v[1].name, "大卫 李");
    assert_string_equal(g.v[1].birthday, "1988-11-02");
    assert_string_equal(g.v[1].location, "Beijing, China");
    got_clear(&g);
}

static void test_bom_crlf_google(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    assert_int_equal(parse_fixture("bom_crlf.vcf", &g, &e), K_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].name, "Dana Scully");
    assert_string_equal(g.v[0].note, "A very long note that an exporter folded with a tab "
                                     "character at anarbitrary point.");
    got_clear(&g);
    assert_int_equal(parse_fixture("google.vcf", &g, &e), K_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].company, "Initech");
    assert_string_equal(g.v[0].title, "Staff Engineer");
    assert_int_equal(g.v[0].emails.n, 2);
    assert_int_equal(g.v[0].tags.n, 1);
    assert_string_equal(g.v[0].tags.v[0], "book-club");
    got_clear(&g);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *msg;
    } cases[] = {
        {"bad/truncated.vcf", "bad/truncated.vcf:4: the file ends inside the card begun at line 1"},
        {"bad/noname.vcf", "bad/noname.vcf:5: this contact has no name"},
        {"bad/bad_version.vcf", "bad/bad_version.vcf:2: vCard version '5.0'"},
        {"bad/bad_email.vcf", "bad/bad_email.vcf:4: 'not-an-address' is not an email"},
        {"bad/bad_bday.vcf", "bad/bad_bday.vcf:4: '1990-02-30' is not a real calendar day"},
        {"bad/bad_phone.vcf", "bad/bad_phone.vcf:4: 'call me maybe' is not a phone"},
        {"bad/nested.vcf", "bad/nested.vcf:4: BEGIN:VCARD inside the card begun at line 1"},
        {"bad/outside.vcf", "bad/outside.vcf:1: expected BEGIN:VCARD"},
        {"bad/no_colon.vcf", "bad/no_colon.vcf:4: not a vCard line"},
        {"bad/empty.vcf", "bad/empty.vcf:1: no vCard in the file"},
        {"bad/blank.vcf", "bad/blank.vcf:3: no vCard in the file"},
        {"bad/calendar.vcf", "bad/calendar.vcf:1: BEGIN:VCALENDAR is not a vCard"},
        {"bad/bad_charset.vcf", "bad/bad_charset.vcf:3: unknown CHARSET"},
        {"bad/bad_tag.vcf", "bad/bad_tag.vcf:4: tag"},
        {"bad/invalid_utf8.vcf", "bad/invalid_utf8.vcf:3: FN is not valid UTF-8"},
        {"bad/nul.vcf", "bad/nul.vcf:3: binary data"},
        {"bad/bad_url.vcf", "bad/bad_url.vcf:4: a link with a control character"},
        {"bad/garbage.bin", "bad/garbage.bin:1: "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct got g = {0};
        struct kerr e;
        kerr_clear(&e);
        int rc = parse_fixture(cases[i].file, &g, &e);
        if (rc != K_USAGE || strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("%s: rc %d, message '%s'", cases[i].file, rc, e.msg);
        got_clear(&g);
    }
}

static void test_long_line(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sbuf_add(&b, "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nNOTE:");
    for (int i = 0; i < (1 << 20) + 10; i++)
        sbuf_addc(&b, 'x');
    sbuf_add(&b, "\nEND:VCARD\n");
    struct got g = {0};
    struct kerr e;
    assert_int_equal(vcard_parse(b.s, b.len, "long.vcf", collect, &g, &e), K_USAGE);
    assert_string_equal(e.msg, "long.vcf:4: a line longer than 1048576 bytes; is this a vCard "
                               "file?");
    assert_int_equal(g.n, 0);
    sbuf_free(&b);
}

/* The writer's output reads back as the same contact, in both versions. */
static void test_write_read(void **state)
{
    (void)state;
    struct contact c = {0};
    strcpy(c.id, "0123456789abcdef0123456789abcdef");
    c.name = kstr_dup("Zoë \"Z\" O'Brien-Ngata, Jr.");
    c.company = kstr_dup("Acme; Widgets, Inc.");
    c.title = kstr_dup("Head of \\ things");
    c.location = kstr_dup("Wellington, NZ");
    c.note = kstr_dup("Line one\nLine two; with, punctuation \\ and a long tail that goes on "
                      "and on past seventy-five octets: ééééééééééééééééééééééééééééé 🎉🎉🎉🎉"
                      "\r\nWindows line\rlone CR");
    c.how_met = kstr_dup("Kiwi PyCon");
    c.working_on = kstr_dup("a book");
    c.birthday = kstr_dup("02-29");
    c.met_on = tday("2024-09-01");
    c.archived = 1;
    kstrlist_add(&c.emails, "zoe@example.nz");
    kstrlist_add(&c.emails, "z@work.example");
    kstrlist_add(&c.phones, "+64 4 555 0199");
    kstrlist_add(&c.links, "https://example.nz/a,b;c");
    kstrlist_add(&c.tags, "friend");
    kstrlist_add(&c.tags, "nz");
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int k = 0; k < 2; k++) {
        struct sbuf b = {0};
        vcard_write(&b, &c, vs[k]);
        /* Every line ends in CRLF and is at most 75 octets; a CR in a
         * value is written \r, never raw. */
        for (char *p = b.s, *nl; (nl = strstr(p, "\r\n")); p = nl + 2) {
            assert_true(nl - p <= 75);
            assert_null(memchr(p, '\r', (size_t)(nl - p)));
        }
        assert_non_null(strstr(b.s, "\\r\\nWindows line\\rlone CR"));
        struct got g = {0};
        struct kerr e;
        if (vcard_parse(b.s, b.len, "w.vcf", collect, &g, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(g.n, 1);
        struct contact *r = &g.v[0];
        assert_string_equal(r->name, c.name);
        assert_string_equal(r->company, c.company);
        assert_string_equal(r->title, c.title);
        assert_string_equal(r->location, c.location);
        assert_string_equal(r->note, c.note);
        assert_string_equal(r->how_met, c.how_met);
        assert_string_equal(r->working_on, c.working_on);
        assert_string_equal(r->birthday, c.birthday);
        assert_int_equal(r->met_on, c.met_on);
        assert_int_equal(r->archived, 1);
        assert_int_equal(r->emails.n, 2);
        assert_string_equal(r->emails.v[1], "z@work.example");
        assert_string_equal(r->phones.v[0], c.phones.v[0]);
        assert_string_equal(r->links.v[0], c.links.v[0]);
        assert_int_equal(r->tags.n, 2);
        got_clear(&g);
        sbuf_free(&b);
    }
    free(c.birthday);
    c.birthday = kstr_dup("1980-01-31");
    struct sbuf b = {0};
    vcard_write(&b, &c, VCARD_V40);
    assert_non_null(strstr(b.s, "BDAY:19800131\r\n"));
    assert_non_null(strstr(b.s, "UID:urn:uuid:01234567-89ab-cdef-0123-456789abcdef\r\n"));
    sbuf_free(&b);
    contact_clear(&c);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v21),        cmocka_unit_test(test_v30),
        cmocka_unit_test(test_v40),        cmocka_unit_test(test_bom_crlf_google),
        cmocka_unit_test(test_errors),     cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_write_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
