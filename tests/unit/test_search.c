#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    char i_zurich[KID_LEN + 1], i_resume[KID_LEN + 1], i_both[KID_LEN + 1];
};

static void logi(struct journal *j, const char *const *ids, size_t n, const char *date,
                 const char *summary, const char *note, char out[KID_LEN + 1])
{
    struct interaction_input in = {0};
    struct kerr e;
    in.contact_ids = ids;
    in.ncontacts = n;
    in.kind = "coffee";
    in.dir = KDIR_MUTUAL;
    in.date = tday(date);
    in.summary = summary;
    in.note = note;
    if (interaction_log(j, &in, out, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct contact_patch p;
    struct kerr e;
    tj_open(&f->t);
    contact_patch_init(&p);
    p.name = "Ana Ruiz";
    p.company = "Acme";
    p.note = "knows everyone in fintech";
    kstrlist_add(&p.add_tags, "mentor");
    assert_int_equal(contact_add(f->t.j, &p, f->ana, &e), K_OK);
    contact_patch_clear(&p);
    contact_patch_init(&p);
    p.name = "Ben Okafor";
    p.company = "Globex";
    assert_int_equal(contact_add(f->t.j, &p, f->ben, &e), K_OK);
    const char *a[] = {f->ana}, *b[] = {f->ben}, *ab[] = {f->ana, f->ben};
    logi(f->t.j, a, 1, "2026-09-01", "Coffee about the Zürich offer", NULL, f->i_zurich);
    logi(f->t.j, b, 1, "2026-10-01", "Résumé review", "he suggested fintech startups", f->i_resume);
    logi(f->t.j, ab, 2, "2026-11-01", "Dinner", "talked about Zurich and résumés", f->i_both);
    *state = f;
    return 0;
}

static void ids_are(struct journal *j, const char *query, size_t offset, size_t limit,
                    const char *const *want, size_t nwant)
{
    struct interaction_list l;
    struct kerr e;
    if (search_interactions(j, query, offset, limit, &l, &e) != K_OK)
        fail_msg("search '%s': %s", query, e.msg);
    if (l.n != nwant)
        fail_msg("search '%s': %zu results, want %zu", query, l.n, nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(l.v[i].id, want[i]);
    interaction_list_clear(&l);
}

static void test_interactions(void **state)
{
    struct fixture *f = *state;
    struct journal *j = f->t.j;
    struct kerr e;
    const char *zurich[] = {f->i_both, f->i_zurich};
    /* Summary and note, diacritics ignored either way, newest first. */
    ids_are(j, "zurich", 0, 0, zurich, 2);
    ids_are(j, "ZÜRICH", 0, 0, zurich, 2);
    const char *resume[] = {f->i_both, f->i_resume};
    ids_are(j, "resume", 0, 0, resume, 2);
    ids_are(j, "résumé", 0, 0, resume, 2);
    /* Prefixes. */
    ids_are(j, "zur", 0, 0, zurich, 2);
    const char *fin[] = {f->i_resume};
    ids_are(j, "fint", 0, 0, fin, 1);
    /* Every word must match. */
    const char *both[] = {f->i_both};
    ids_are(j, "zurich dinner", 0, 0, both, 1);
    ids_are(j, "zurich fintech", 0, 0, NULL, 0);
    /* Windows. */
    const char *first[] = {f->i_both}, *second[] = {f->i_zurich};
    ids_are(j, "zurich", 0, 1, first, 1);
    ids_are(j, "zurich", 1, 1, second, 1);
    ids_are(j, "zurich", 2, 1, NULL, 0);
    ids_are(j, "zurich", 1, 0, second, 1);
    /* Contact names are not interaction text. */
    ids_are(j, "okafor", 0, 0, NULL, 0);
    /* Nothing, blanks, FTS syntax: no results, no errors. */
    const char *odd[] = {"",  "   ",  "\"", "*",   "OR", "NOT", "NEAR(", "(",  ")", "a:b",  "^",
                         "-", "\"\"", "'",  "{x}", "%",  "\\",  "zz*zz", "+x", ":", "NEAR", "."};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        ids_are(j, odd[i], 0, 0, NULL, 0);
    /* A literal operator word matches text that contains it. */
    const char *about[] = {f->i_both, f->i_zurich};
    ids_are(j, "about", 0, 0, about, 2);
    ids_are(j, "AND", 0, 0, both, 1);
    /* Punctuation separates words like spaces do. */
    ids_are(j, "*zur", 0, 0, zurich, 2);
    /* The contacts come along. */
    struct interaction_list l;
    assert_int_equal(search_interactions(j, "dinner", 0, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].ncontacts, 2);
    assert_string_equal(l.v[0].contacts[0].name, "Ana Ruiz");
    assert_string_equal(l.v[0].contacts[1].name, "Ben Okafor");
    assert_string_equal(l.v[0].kind, "coffee");
    assert_int_equal(l.v[0].date, tday("2026-11-01"));
    interaction_list_clear(&l);
    /* Invalid UTF-8 is refused. */
    assert_int_equal(search_interactions(j, "z\xFF", 0, 0, &l, &e), K_USAGE);
    assert_int_equal(l.n, 0);
}

static void test_json(void **state)
{
    struct fixture *f = *state;
    struct journal *j = f->t.j;
    struct kerr e;
    char *json = NULL;

    assert_int_equal(search_json(j, "fintech", 0, &json, &e), K_OK);
    assert_string_equal(tjson_type(json, "$"), "object");
    assert_string_equal(tjson_text(json, "$.query"), "fintech");
    assert_string_equal(tjson_type(json, "$.contacts"), "array");
    assert_string_equal(tjson_type(json, "$.interactions"), "array");
    /* Ana by her note, Ben through an interaction's note. */
    assert_int_equal(tjson_len(json, "$.contacts"), 2);
    tjson_texts(json, "$.contacts[0].id", f->ana, "$.contacts[0].name", "Ana Ruiz",
                "$.contacts[0].company", "Acme", NULL);
    assert_string_equal(tjson_type(json, "$.contacts[0].tags"), "array");
    assert_string_equal(tjson_text(json, "$.contacts[0].tags[0]"), "mentor");
    tjson_types(json, "$.contacts[0].emails", "array", "$.contacts[0].phones", "array",
                "$.contacts[0].goodwill", "integer", NULL);
    assert_string_equal(tjson_text(json, "$.contacts[0].last_interaction"), "2026-11-01");
    assert_string_equal(tjson_text(json, "$.contacts[1].name"), "Ben Okafor");
    assert_int_equal(tjson_len(json, "$.interactions"), 1);
    tjson_texts(json, "$.interactions[0].id", f->i_resume, "$.interactions[0].date", "2026-10-01",
                "$.interactions[0].kind", "coffee", "$.interactions[0].direction", "mutual", NULL);
    assert_string_equal(tjson_type(json, "$.interactions[0].contacts"), "array");
    assert_string_equal(tjson_text(json, "$.interactions[0].contacts[0].name"), "Ben Okafor");
    assert_string_equal(tjson_text(json, "$.interactions[0].summary"), "Résumé review");
    free(json);

    /* The limit applies to each list. */
    assert_int_equal(search_json(j, "zurich", 1, &json, &e), K_OK);
    assert_int_equal(tjson_len(json, "$.interactions"), 1);
    assert_string_equal(tjson_text(json, "$.interactions[0].id"), f->i_both);
    assert_int_equal(tjson_len(json, "$.contacts"), 1);
    free(json);
    assert_int_equal(search_json(j, "zurich", 0, &json, &e), K_OK);
    assert_int_equal(tjson_len(json, "$.interactions"), 2);
    assert_int_equal(tjson_len(json, "$.contacts"), 2);
    free(json);

    /* The query is echoed as a proper JSON string, whatever it holds. */
    const char *odd = "\"quoted\" \\ back\nline \x1B[31m ünï";
    assert_int_equal(search_json(j, odd, 0, &json, &e), K_OK);
    assert_string_equal(tjson_text(json, "$.query"), odd);
    assert_int_equal(tjson_len(json, "$.contacts"), 0);
    assert_int_equal(tjson_len(json, "$.interactions"), 0);
    free(json);
    const char *ops[] = {"", "  ", "\"", "*", "AND", "NEAR(", "a:b", "-"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        json = NULL;
        if (search_json(j, ops[i], 0, &json, &e) != K_OK)
            fail_msg("search_json '%s': %s", ops[i], e.msg);
        assert_string_equal(tjson_text(json, "$.query"), ops[i]);
        assert_string_equal(tjson_type(json, "$.contacts"), "array");
        assert_string_equal(tjson_type(json, "$.interactions"), "array");
        free(json);
    }

    /* Archived contacts are left out. */
    struct contact_patch p;
    contact_patch_init(&p);
    p.archived = 1;
    assert_int_equal(contact_edit(j, f->ana, &p, &e), K_OK);
    assert_int_equal(search_json(j, "acme", 0, &json, &e), K_OK);
    assert_int_equal(tjson_len(json, "$.contacts"), 0);
    free(json);

    /* Bad input: an error and no document. */
    json = (char *)"untouched";
    assert_int_equal(search_json(j, "bad\xFF", 0, &json, &e), K_USAGE);
    assert_null(json);
}

/* A test run between setup and tj_teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, tj_teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_interactions),
    FX_TEST(test_json),
};

TEST_MAIN(tests)
