/* The CSV reader and writer, against the fixtures in tests/fixtures/csv:
 * each producer's layout and quirk in a fixture of its own. */
#include "testutil.h"

#include "kith/core/csv.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *header_seen;

static void on_header(const char *raw, size_t n, void *ud)
{
    (void)ud;
    free(header_seen);
    header_seen = kstr_ndup(raw, n);
}

/* Parses buf into t, set up with tcards_init or tcards_fixture. */
static int parse_into(const char *buf, size_t n, const char *map, struct tcards *t, struct kerr *e)
{
    t->o.map = map;
    return csv_parse(buf, n, &t->o, on_header, &t->empty, e);
}

static int parse_buf(const char *buf, size_t n, const char *file, const char *map, struct tcards *t,
                     struct kerr *e)
{
    tcards_init(t, file);
    return parse_into(buf, n, map, t, e);
}

/* Parses tests/fixtures/csv/NAME into t; the parser's status. */
static int parse(const char *name, const char *map, struct tcards *t, struct kerr *e)
{
    size_t n;
    char *buf = tcards_fixture(t, "csv", name, &n);
    int rc = parse_into(buf, n, map, t, e);
    free(buf);
    return rc;
}

static void parse_ok(const char *name, const char *map, struct tcards *t)
{
    struct kerr e;
    if (parse(name, map, t, &e) != K_OK)
        fail_msg("%s: %s", name, e.msg);
}

static void test_google(void **state)
{
    struct tcards *t = *state;
    parse_ok("google.csv", NULL, t);
    assert_int_equal(t->n, 2);
    const struct contact *c = &t->v[0];
    assert_string_equal(c->name, "Ana Ruiz");
    assert_string_equal(c->company, "Acme");
    assert_string_equal(c->title, "VP Engineering");
    assert_string_equal(c->birthday, "03-15");
    assert_string_equal(c->note, "Mentor.\nWrite every week.");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->tags.v[0], "Mentors");
    assert_string_equal(c->tags.v[1], "starred");
    tassert_labelled(&c->emails, &c->email_labels, "ana@acme.example", "work",
                     "ana.ruiz@home.example", "home", NULL);
    tassert_labelled(&c->phones, &c->phone_labels, "+1 555 010 2030", "mobile", NULL);
    assert_string_equal(c->location, "1 Market St, San Francisco, CA 94105, USA");
    assert_int_equal(c->naddresses, 1);
    assert_string_equal(c->addresses[0].code, "94105");
    assert_string_equal(c->addresses[0].label, "work");
    assert_string_equal(c->links.v[0], "https://ana.example");
    assert_string_equal(contact_label(&c->link_labels, 0), "blog");
    c = &t->v[1];
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->emails.v[1], "b.okafor@globex.example");
    assert_int_equal(c->phones.n, 2);
    assert_int_equal(c->tags.n, 0);
    tcards_clear(t);

    parse_ok("google_old.csv", NULL, t);
    tcards_names(t, "Chen Wei", NULL);
    assert_string_equal(t->v[0].company, "Globex");
    assert_string_equal(t->v[0].title, "Partner");
    assert_string_equal(t->v[0].emails.v[0], "chen@globex.example");
    assert_string_equal(t->v[0].tags.v[0], "Investors");
    assert_string_equal(t->v[0].birthday, "1985-09-21");
    tcards_clear(t);

    /* Today's layout: events, a nickname, a department, labels beside
     * " ::: " values, a row with nothing but a group counted as empty. */
    parse_ok("quirks/google.csv", NULL, t);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->empty, 1);
    c = tcards_must(t, "Hana Sato");
    assert_string_equal(c->nicknames.v[0], "Hanachan");
    assert_string_equal(c->company, "Stark, R&D");
    assert_string_equal(c->note, "Met at \"PyCon\".");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->tags.v[1], "Worker drones");
    assert_string_equal(c->emails.v[1], "hana@home.example");
    assert_string_equal(contact_label(&c->email_labels, 1), "home");
    assert_string_equal(contact_label(&c->phone_labels, 1), "work");
    assert_string_equal(c->events[0].label, "anniversary");
    assert_string_equal(c->events[0].date, "2018-10-10");
    assert_string_equal(c->addresses[0].label, "home");
    /* A column kith has no field for is kept as an X- property. */
    assert_string_equal(c->extra.v[0], "X-CUSTOM-FIELD-1-VALUE:38");
}

static void test_linkedin(void **state)
{
    struct tcards *t = *state;
    parse_ok("linkedin.csv", NULL, t);
    assert_int_equal(t->n, 2);
    assert_string_equal(t->v[0].name, "Dana Scully");
    assert_string_equal(t->v[0].links.v[0], "https://www.linkedin.com/in/dscully");
    assert_int_equal(t->v[0].met_on, tday("2023-03-15"));
    assert_string_equal(t->v[1].title, "Agent, X-Files");
    tcards_clear(t);
    /* Hidden connections (only a date) are empty rows, not problems; the
     * header after the Notes: paragraph is what header_cb sees. */
    parse_ok("quirks/linkedin.csv", NULL, t);
    assert_int_equal(t->n, 2);
    assert_int_equal(t->empty, 2);
    assert_int_equal(t->np, 0);
    assert_string_equal(header_seen,
                        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n");
    assert_int_equal(tcards_must(t, "Walter Skinner")->met_on, tday("2022-06-02"));
    assert_int_equal(tcards_must(t, "Monica Reyes")->met_on, tday("2023-01-05"));
}

static void test_outlook(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/outlook.csv", NULL, t);
    assert_int_equal(t->n, 2);
    const struct contact *c = tcards_must(t, "Robin Q. Hale");
    /* Beside "Job Title", Outlook's "Title" is the prefix. */
    assert_string_equal(c->n.prefix, "Dr.");
    assert_string_equal(c->n.suffix, "PhD");
    assert_string_equal(c->title, "Chief Scientist");
    assert_string_equal(c->company, "Hooli, Research");
    assert_int_equal(c->emails.n, 2);
    assert_int_equal(c->phones.n, 3);
    assert_string_equal(c->phones.v[0], "+1 (650) 555-0121");
    assert_string_equal(contact_label(&c->phone_labels, 0), "work,fax");
    assert_string_equal(contact_label(&c->phone_labels, 2), "cell");
    assert_int_equal(c->naddresses, 2);
    assert_string_equal(c->addresses[0].street, "1 Hooli Way\nBuilding 4");
    assert_string_equal(c->addresses[0].label, "work");
    assert_string_equal(c->addresses[1].locality, "Menlo Park");
    assert_string_equal(c->birthday, "1985-03-15");
    assert_int_equal(c->nevents, 0); /* 0/0/00 */
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->tags.v[1], "Worker drones");
    assert_string_equal(c->links.v[0], "http://hooli.example/~robin");
    /* Outlook's own bookkeeping columns are not kept; Spouse is. */
    for (size_t i = 0; i < c->extra.n; i++)
        assert_null(strstr(c->extra.v[i], "SENSITIVITY"));
    assert_non_null(tcards_named(t, "Pat Nguyen"));
    assert_int_equal(t->np, 0);
}

static void test_thunderbird(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/thunderbird.csv", NULL, t);
    assert_int_equal(t->n, 2);
    const struct contact *c = tcards_must(t, "Tessa Vogel");
    assert_string_equal(c->birthday, "1988-07-09");
    assert_string_equal(c->nicknames.v[0], "Tess");
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->links.v[0], "tessav");
    assert_string_equal(c->addresses[0].locality, "Berlin");
    assert_string_equal(c->addresses[0].label, "home");
    assert_string_equal(c->extra.v[0], "X-CUSTOM-1:shoe 38");
    assert_string_equal(tcards_must(t, "Ohne Jahr")->birthday, "12-24");
}

/* Separators other than the comma, and Excel's sep= line. */
static void test_separators(void **state)
{
    (void)state;
    struct tcards t;
    parse_ok("quirks/excel_sep.csv", NULL, &t);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].company, "Sepco");
    tcards_clear(&t);
    parse_ok("quirks/tabs.csv", NULL, &t);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].phones.v[0], "+1 555 0123");
    tcards_clear(&t);
    /* German Excel: semicolons (the windows-1252 of the file is the
     * importer's to convert; here it is converted first). */
    size_t n;
    char *raw = tfixture("csv/quirks/excel_de.csv", &n);
    char *utf8 = kstr_from_cp1252(raw, n);
    struct kerr e;
    if (parse_buf(utf8, strlen(utf8), "excel_de.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0].name, "Jürgen Müller");
    assert_string_equal(t.v[1].company, "Café Noir");
    tcards_clear(&t);
    free(raw);
    free(utf8);
}

static void test_dates(void **state)
{
    (void)state;
    struct tcards t;
    parse_ok("quirks/dates.csv", NULL, &t);
    assert_int_equal(t.n, 8);
    assert_int_equal(tcards_must(&t, "Date Linkedin")->met_on, tday("2022-06-02"));
    assert_int_equal(tcards_must(&t, "Date Messages")->met_on, tday("2018-01-08"));
    assert_int_equal(tcards_must(&t, "Date Excel")->met_on, tday("2026-01-05"));
    assert_string_equal(tcards_must(&t, "Date Us")->birthday, "1985-03-15");
    assert_string_equal(tcards_must(&t, "Date Eu")->birthday, "1991-01-20");
    assert_null(tcards_must(&t, "Date Outlook")->birthday);
    assert_string_equal(tcards_must(&t, "Date Ambiguous")->birthday, "1990-03-04");
    assert_non_null(strstr(tcards_problem(&t, CARD_INFO, 8), "could be day-month or month-day"));
    assert_null(tcards_must(&t, "Date Bad")->birthday);
    assert_non_null(tcards_problem(&t, CARD_WARN, 9));
    tcards_clear(&t);
    /* dmy reads the ambiguous one the other way. */
    size_t n;
    char *buf = tfixture("csv/quirks/dates.csv", &n);
    struct kerr e;
    tcards_init(&t, "dates.csv");
    t.o.order = CARD_DMY;
    assert_int_equal(csv_parse(buf, n, &t.o, NULL, NULL, &e), K_OK);
    assert_string_equal(tcards_must(&t, "Date Ambiguous")->birthday, "1990-04-03");
    tcards_clear(&t);
    free(buf);
}

static void test_kith_and_map(void **state)
{
    struct tcards *t = *state;
    struct kerr e;
    parse_ok("kith.csv", NULL, t);
    assert_int_equal(t->n, 2);
    const struct contact *c = &t->v[0];
    assert_string_equal(c->title, "Staff Engineer, Platform");
    assert_string_equal(c->note, "Said \"ship it\".\nTwo lines.");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->how_met, "book club");
    assert_int_equal(c->met_on, tday("2024-05-01"));
    assert_string_equal(c->working_on, "a compiler");
    assert_int_equal(c->archived, 0);
    assert_int_equal(t->v[1].archived, 1);
    tcards_clear(t);

    assert_int_equal(parse("custom.csv", NULL, t, &e), K_USAGE);
    assert_string_equal(e.msg, "custom.csv:1: no name column in the header (nor an email, phone "
                               "or company); name one with --map 'Column=name,...'");
    tcards_clear(t);
    if (parse("custom.csv", "Person=name,Mail=email,employer=company,Cell, mobile=phone", t, &e) ==
        K_OK)
        fail_msg("a column name with a comma cannot be mapped; got %zu", t->n);
    tcards_clear(t);
    parse_ok("custom.csv", "Person=name,Mail=email,employer=company,Remarks=note,Ignored=ignore",
             t);
    tcards_names(t, "Gil Grissom", NULL);
    assert_string_equal(t->v[0].emails.v[0], "gil@lvpd.example");
    assert_string_equal(t->v[0].company, "LVPD");
    assert_string_equal(t->v[0].note, "Likes bugs.\nCall after 6");
    /* "Cell, mobile" kith does not know: kept; "Ignored" mapped away. */
    assert_int_equal(t->v[0].extra.n, 1);
    assert_string_equal(t->v[0].extra.v[0], "X-CELL-MOBILE:+1 702 555 0100");
    tcards_clear(t);
    assert_kerr(parse("custom.csv", "Person=nom", t, &e), K_USAGE, &e,
                "--map: unknown field 'nom'");
    assert_string_equal(e.field, "map");
    assert_int_equal(parse("custom.csv", "Nobody=name", t, &e), K_USAGE);
    assert_string_equal(e.msg, "--map: custom.csv has no column 'Nobody'");
    assert_string_equal(e.field, "map");
    assert_int_equal(parse("custom.csv", "name", t, &e), K_USAGE);
    assert_int_equal(t->n, 0);
}

/* Rows kith cannot read are skipped with their bytes; the rest read. */
static void test_bad_rows(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/bad_rows.csv", NULL, t);
    assert_int_equal(t->n, 3);
    assert_non_null(tcards_must(t, "Eve")); /* read again after Dee's open quote */
    assert_string_equal(tcards_problem(t, CARD_SKIP, 3), "3 fields where the header has 2");
    assert_non_null(strstr(tcards_problem(t, CARD_SKIP, 5), "never ends"));
    assert_string_equal(t->p[0].raw, "Bob,bob@example.com,extra\r\n");
    assert_string_equal(t->p[1].raw, "Dee,\"dee@example.com\r\n");
    tcards_clear(t);
    parse_ok("quirks/nul_row.csv", NULL, t);
    assert_int_equal(t->n, 2);
    assert_non_null(tcards_problem(t, CARD_SKIP, 3));
    tcards_clear(t);
    /* Text after a closing quote is kept, as spreadsheets read it. */
    parse_ok("quirks/after_quote.csv", NULL, t);
    assert_string_equal(t->v[0].name, "Ann Lee");
    tcards_clear(t);
    /* A trailing comma on every row is not a field too many. */
    const char *trailing = "name,email\nAnn,ann@example.com,\n,bob@example.com\n";
    struct kerr e;
    assert_int_equal(parse_buf(trailing, strlen(trailing), "t.csv", NULL, t, &e), K_OK);
    assert_int_equal(t->n, 2);
    assert_string_equal(t->v[1].name, "bob@example.com");
}

static void test_not_a_table(void **state)
{
    struct tcards *t = *state;
    struct kerr e;
    assert_int_equal(parse("bad/empty.csv", NULL, t, &e), K_USAGE);
    assert_string_equal(e.msg, "bad/empty.csv:1: no header row: the file is empty");
    assert_kerr(parse("bad/no_name_column.csv", NULL, t, &e), K_USAGE, &e, "no name column");
    /* A header alone is a table without rows. */
    assert_int_equal(parse_buf("name,email\n", 11, "h.csv", NULL, t, &e), K_OK);
    assert_int_equal(t->n, 0);
}

static void test_long_row(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sbuf_add(&b, "name,note\nAnn,\"");
    for (int i = 0; i < (1 << 20) + 10; i++)
        sbuf_addc(&b, 'x');
    sbuf_add(&b, "\"\nBob,short\n");
    struct tcards t;
    struct kerr e;
    assert_int_equal(parse_buf(b.s, b.len, "long.csv", NULL, &t, &e), K_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].name, "Bob");
    assert_string_equal(tcards_problem(&t, CARD_SKIP, 2), "a row longer than 1048576 bytes");
    tcards_clear(&t);
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
    struct tcards t;
    struct kerr e;
    if (parse_buf(doc.s, doc.len, "w.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].name, "Ann, \"the\" Lee");
    assert_string_equal(t.v[0].note, "x\ny,z");
    assert_string_equal(t.v[0].company, "Acme");
    tcards_clear(&t);
    sbuf_free(&b);
    sbuf_free(&doc);
}

/* A line break inside a quoted cell reads as \n, whether written CR LF or
 * CR CR LF (a file converted twice); CRs that end no line stay. Reading
 * what kith writes back gives the same text (found by fuzz_csv). */
static void test_cell_line_ends(void **state)
{
    (void)state;
    const char *doc = "name,note\r\n"
                      "\"Ann\",\"one\r\ntwo\r\r\r\nthree\rfour\r\r\"\r\n";
    struct tcards t;
    struct kerr e;
    if (parse_buf(doc, strlen(doc), "le.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].note, "one\ntwo\nthree\rfour"); /* trimmed at the end */
    tcards_clear(&t);

    const char *header[] = {"name", "note"};
    const char *row[] = {"Bo", "a\r\r\nb"};
    struct sbuf out = {0};
    csv_write_row(&out, header, 2);
    csv_write_row(&out, row, 2);
    if (parse_buf(out.s, out.len, "again.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].note, "a\nb");
    tcards_clear(&t);
    sbuf_free(&out);
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
    struct tcards t;
    struct kerr e;
    if (parse_buf(doc.s, doc.len, "w.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, n);
    for (size_t i = 0; i < n; i++) {
        /* The reader trims spaces, tabs and CRs around a value, guarded or
         * not; everything else comes back. */
        const char *want = cells[i][0];
        while (*want == ' ' || *want == '\t' || *want == '\r')
            want++;
        if (strcmp(t.v[i].note, want))
            fail_msg("cell '%s' read back as '%s'", cells[i][0], t.v[i].note);
    }
    tcards_clear(&t);
    sbuf_free(&doc);
    /* A guard another tool wrote is taken off too. */
    const char *foreign = "name,phone\r\nAna,'+1 555 0100\r\n";
    if (parse_buf(foreign, strlen(foreign), "f.csv", NULL, &t, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].phones.v[0], "+1 555 0100");
    tcards_clear(&t);
}

static int free_header(void **state)
{
    (void)state;
    free(header_seen);
    return 0;
}

static const struct CMUnitTest tests[] = {
    TCARDS_TEST(test_google),
    TCARDS_TEST(test_linkedin),
    TCARDS_TEST(test_outlook),
    TCARDS_TEST(test_thunderbird),
    cmocka_unit_test(test_separators),
    cmocka_unit_test(test_dates),
    TCARDS_TEST(test_kith_and_map),
    TCARDS_TEST(test_bad_rows),
    TCARDS_TEST(test_not_a_table),
    cmocka_unit_test(test_long_row),
    cmocka_unit_test(test_write),
    cmocka_unit_test(test_cell_line_ends),
    cmocka_unit_test(test_formula_guard),
};

TEST_MAIN_GROUP(tests, tutf8_setup, free_header)
