/* The CSV reader and writer, against the fixtures in tests/fixtures/csv. */
#include "testutil.h"

#include "kith/csv.h"
#include "kith/kstr.h"

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
    snprintf(path, sizeof path, "%s/tests/fixtures/csv/%s", src ? src : ".", name);
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

static int parse_fixture(const char *name, const char *map, struct got *g, struct kerr *e)
{
    size_t n;
    char *buf = fixture(name, &n);
    int rc = csv_parse(buf, n, name, map, collect, g, e);
    free(buf);
    return rc;
}

static void test_google(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    if (parse_fixture("google.csv", NULL, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 2);
    struct contact *c = &g.v[0];
    assert_string_equal(c->name, "Ana Ruiz");
    assert_string_equal(c->company, "Acme");
    assert_string_equal(c->title, "VP Engineering");
    assert_string_equal(c->birthday, "03-15");
    assert_string_equal(c->note, "Mentor.\nWrite every week.");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->tags.v[0], "mentors");
    assert_string_equal(c->tags.v[1], "starred");
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->phones.v[0], "+1 555 010 2030");
    assert_string_equal(c->location, "1 Market St, San Francisco, CA 94105, USA");
    assert_string_equal(c->links.v[0], "https://ana.example");
    c = &g.v[1];
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->emails.v[1], "b.okafor@globex.example");
    assert_int_equal(c->phones.n, 2);
    assert_int_equal(c->tags.n, 0);
    got_clear(&g);

    if (parse_fixture("google_old.csv", NULL, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].name, "Chen Wei");
    assert_string_equal(g.v[0].company, "Globex");
    assert_string_equal(g.v[0].title, "Partner");
    assert_string_equal(g.v[0].emails.v[0], "chen@globex.example");
    assert_string_equal(g.v[0].tags.v[0], "investors");
    assert_string_equal(g.v[0].birthday, "1985-09-21");
    got_clear(&g);
}

static void test_linkedin(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    if (parse_fixture("linkedin.csv", NULL, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.v[0].name, "Dana Scully");
    assert_string_equal(g.v[0].company, "FBI");
    assert_string_equal(g.v[0].title, "Special Agent");
    assert_string_equal(g.v[0].links.v[0], "https://www.linkedin.com/in/dscully");
    assert_int_equal(g.v[0].met_on, tday("2023-03-15"));
    assert_string_equal(g.v[1].title, "Agent, X-Files");
    assert_int_equal(g.v[1].emails.n, 0);
    got_clear(&g);
}

static void test_kith_and_map(void **state)
{
    (void)state;
    struct got g = {0};
    struct kerr e;
    if (parse_fixture("kith.csv", NULL, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 2);
    struct contact *c = &g.v[0];
    assert_string_equal(c->title, "Staff Engineer, Platform");
    assert_string_equal(c->note, "Said \"ship it\".\nTwo lines.");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->how_met, "book club");
    assert_int_equal(c->met_on, tday("2024-05-01"));
    assert_string_equal(c->working_on, "a compiler");
    assert_int_equal(c->archived, 0);
    assert_int_equal(g.v[1].archived, 1);
    got_clear(&g);

    assert_int_equal(parse_fixture("custom.csv", NULL, &g, &e), K_USAGE);
    assert_string_equal(e.msg, "custom.csv:1: no name column in the header; name one with --map "
                               "'Column=name,...'");
    if (parse_fixture("custom.csv",
                      "Person=name,Mail=email,employer=company,Cell, mobile=phone,Remarks=note", &g,
                      &e) == K_OK)
        fail_msg("a column name with a comma cannot be mapped; got %zu", g.n);
    got_clear(&g);
    if (parse_fixture("custom.csv", "Person=name,Mail=email,employer=company,Remarks=note", &g,
                      &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].name, "Gil Grissom");
    assert_string_equal(g.v[0].emails.v[0], "gil@lvpd.example");
    assert_string_equal(g.v[0].company, "LVPD");
    assert_string_equal(g.v[0].note, "Likes bugs.\nCall after 6");
    got_clear(&g);
    assert_int_equal(parse_fixture("custom.csv", "Person=nom", &g, &e), K_USAGE);
    assert_non_null(strstr(e.msg, "--map: unknown field 'nom'"));
    assert_int_equal(parse_fixture("custom.csv", "Nobody=name", &g, &e), K_USAGE);
    assert_string_equal(e.msg, "--map: custom.csv has no column 'Nobody'");
    assert_int_equal(parse_fixture("custom.csv", "name", &g, &e), K_USAGE);
    assert_int_equal(g.n, 0);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *msg;
    } cases[] = {
        {"bad/unterminated.csv", "bad/unterminated.csv:2: a quoted field begins here and never"},
        {"bad/after_quote.csv", "bad/after_quote.csv:2: text after a closing quote"},
        {"bad/too_many.csv", "bad/too_many.csv:2: 3 fields where the header has 2"},
        {"bad/no_name_column.csv", "bad/no_name_column.csv:1: no name column"},
        {"bad/no_name_row.csv", "bad/no_name_row.csv:3: this contact has no name"},
        {"bad/bad_email.csv", "bad/bad_email.csv:3: 'bob-at-example' is not an email"},
        {"bad/bad_birthday.csv", "bad/bad_birthday.csv:2: '13-45' is not a real calendar day"},
        {"bad/empty.csv", "bad/empty.csv:1: no header row"},
        {"bad/header_only.csv", "bad/header_only.csv:1: a header but no contacts"},
        {"bad/invalid_utf8.csv", "bad/invalid_utf8.csv:2: not valid UTF-8"},
        {"bad/nul.csv", "bad/nul.csv:2: binary data"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct got g = {0};
        struct kerr e;
        kerr_clear(&e);
        int rc = parse_fixture(cases[i].file, NULL, &g, &e);
        if (rc != K_USAGE || strncmp(e.msg, cases[i].msg, strlen(cases[i].msg)))
            fail_msg("%s: rc %d, message '%s'", cases[i].file, rc, e.msg);
        got_clear(&g);
    }
}

static void test_long_row(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sbuf_add(&b, "name,note\nAnn,\"");
    for (int i = 0; i < (1 << 20) + 10; i++)
        sbuf_addc(&b, 'x');
    sbuf_add(&b, "\"\n");
    struct got g = {0};
    struct kerr e;
    assert_int_equal(csv_parse(b.s, b.len, "long.csv", NULL, collect, &g, &e), K_USAGE);
    assert_string_equal(e.msg, "long.csv:2: a row longer than 1048576 bytes; is this a CSV file?");
    sbuf_free(&b);
}

static void test_write(void **state)
{
    (void)state;
    const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL, " padded", "ünï"};
    struct sbuf b = {0};
    csv_write_row(&b, row, 7);
    assert_string_equal(b.s,
                        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" padded\",ünï\r\n");
    /* What the writer writes, the reader reads back. */
    const char *header[] = {"name", "note", "company"};
    struct sbuf doc = {0};
    csv_write_row(&doc, header, 3);
    const char *r1[] = {"Ann, \"the\" Lee", "x\ny,z", " Acme "};
    csv_write_row(&doc, r1, 3);
    struct got g = {0};
    struct kerr e;
    if (csv_parse(doc.s, doc.len, "w.csv", NULL, collect, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].name, "Ann, \"the\" Lee");
    assert_string_equal(g.v[0].note, "x\ny,z");
    assert_string_equal(g.v[0].company, "Acme");
    got_clear(&g);
    sbuf_free(&b);
    sbuf_free(&doc);
}

/* Cells a spreadsheet would run as formulas get a quote in front (OWASP),
 * inside double quotes; the reader takes it off, so every cell reads back
 * as it was, the guard's own quote included. */
static void test_formula_guard(void **state)
{
    (void)state;
    static const char *const cells[][2] = {
        {"=1+1", "\"'=1+1\""},
        {"+44 20 7946 0958", "\"'+44 20 7946 0958\""},
        {"-2", "\"'-2\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\t=1+1", "\"'\t=1+1\""},
        {"\r=1+1", "\"'\r=1+1\""},
        {"  =1+1", "\"'  =1+1\""}, /* spaces do not hide it */
        {"'=1+1", "\"''=1+1\""},   /* nor a quote: guarded again */
        {"''@x", "\"'''@x\""},
        {"'quoted'", "'quoted'"}, /* no formula: as it is */
        {"a=b", "a=b"},
        {"a;b", "\"a;b\""}, /* a separator some guess: quoted */
        {"a\tb", "\"a\tb\""},
        {"x-1", "x-1"},
    };
    size_t n = sizeof cells / sizeof cells[0];
    struct sbuf doc = {0};
    const char *header[] = {"name", "note"};
    csv_write_row(&doc, header, 2);
    for (size_t i = 0; i < n; i++) {
        struct sbuf b = {0};
        const char *row[] = {cells[i][0]};
        csv_write_row(&b, row, 1);
        b.s[b.len - 2] = '\0'; /* without the CRLF */
        if (strcmp(b.s, cells[i][1]))
            fail_msg("cell '%s' written as '%s', want '%s'", cells[i][0], b.s, cells[i][1]);
        sbuf_free(&b);
        const char *r[] = {"Name", cells[i][0]};
        csv_write_row(&doc, r, 2);
    }
    struct got g = {0};
    struct kerr e;
    if (csv_parse(doc.s, doc.len, "w.csv", NULL, collect, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, n);
    for (size_t i = 0; i < n; i++) {
        /* The reader trims spaces, tabs and CRs around a value, guarded or
         * not; everything else comes back. */
        const char *want = cells[i][0];
        while (*want == ' ' || *want == '\t' || *want == '\r')
            want++;
        if (strcmp(g.v[i].note, want))
            fail_msg("cell '%s' read back as '%s'", cells[i][0], g.v[i].note);
    }
    got_clear(&g);
    sbuf_free(&doc);
    /* A guard another tool wrote is taken off too. */
    const char *foreign = "name,phone\r\nAna,'+1 555 0100\r\n";
    memset(&g, 0, sizeof g);
    if (csv_parse(foreign, strlen(foreign), "f.csv", NULL, collect, &g, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.v[0].phones.v[0], "+1 555 0100");
    got_clear(&g);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_google),        cmocka_unit_test(test_linkedin),
        cmocka_unit_test(test_kith_and_map),  cmocka_unit_test(test_errors),
        cmocka_unit_test(test_long_row),      cmocka_unit_test(test_write),
        cmocka_unit_test(test_formula_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
