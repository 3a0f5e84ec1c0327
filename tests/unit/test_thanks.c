#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/util/kdate.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tj_open(&f->t);
    tadd_each(f->t.j, "Ana Ruiz", f->ana, "Ben Okafor", f->ben, NULL);
    *state = f;
    return 0;
}

/* Interactions belong to another module; the tests write one directly. */
static void add_interaction(struct tjournal *t, const char *id, const char *contact_id)
{
    sqlite3 *h;
    char sql[400];
    assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO interaction(id, date, kind, direction) VALUES ('%s', '2026-11-01',"
             " 'advice', 'asked');"
             "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
             " SELECT '%s', key, '2026-11-01', 'advice', 'asked' FROM contact WHERE id = '%s'",
             id, id, contact_id);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* A thank-you to contact_id (may be NULL) on the day it is given. */
static struct thanks_input to(const char *contact_id)
{
    struct thanks_input in = {0};
    in.contact_id = contact_id;
    in.date = KDATE_NONE;
    return in;
}

static void free_all(struct thanks *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        thanks_clear(&v[i]);
    free(v);
}

/* thanks_list of who (from offset 0, at most limit, 0 for all) holds one
 * thank-you: returned for free_all(v, 1). */
static struct thanks *just_one(struct journal *j, const char *who, size_t limit)
{
    struct thanks *v;
    size_t n;
    struct kerr e;
    assert_int_equal(thanks_list(j, who, 0, limit, &v, &n, &e), K_OK);
    assert_int_equal(n, 1);
    return v;
}

static void test_add_and_list(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    struct thanks *v;
    size_t n;
    char t1[KID_LEN + 1], t2[KID_LEN + 1], t3[KID_LEN + 1];
    struct thanks_input in = to(f->ana);
    assert_int_equal(thanks_add(f->t.j, &in, t1, &e), K_OK);
    in.date = tday("2026-10-01");
    in.form = "  handwritten note ";
    in.note = "for the Globex intro";
    assert_int_equal(thanks_add(f->t.j, &in, t2, &e), K_OK);
    in.contact_id = f->ben;
    in.date = tday("2026-11-01");
    in.form = "lunch";
    in.note = NULL;
    assert_int_equal(thanks_add(f->t.j, &in, t3, &e), K_OK);

    assert_int_equal(thanks_list(f->t.j, f->ana, 0, 0, &v, &n, &e), K_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, t1); /* newest first */
    assert_string_equal(v[0].contact.id, f->ana);
    assert_string_equal(v[0].contact.name, "Ana Ruiz");
    assert_int_equal(v[0].date, tday("2026-11-22"));
    assert_string_equal(v[0].form, "email");
    assert_string_equal(v[0].referral, "");
    assert_string_equal(v[0].interaction, "");
    assert_null(v[0].note);
    assert_string_equal(v[1].id, t2);
    assert_string_equal(v[1].form, "handwritten note");
    assert_string_equal(v[1].note, "for the Globex intro");
    free_all(v, n);
    thanks_clear(NULL);

    assert_int_equal(thanks_list(f->t.j, NULL, 0, 0, &v, &n, &e), K_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].id, t1);
    assert_string_equal(v[1].id, t3);
    assert_string_equal(v[2].id, t2);
    free_all(v, n);
    assert_int_equal(thanks_list(f->t.j, NULL, 1, 1, &v, &n, &e), K_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, t3);
    free_all(v, n);
    assert_int_equal(thanks_list(f->t.j, NULL, 3, 5, &v, &n, &e), K_OK);
    assert_int_equal(n, 0);
    free_all(v, n);

    assert_int_equal(thanks_count(f->t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 3);
    assert_int_equal(thanks_count(f->t.j, f->ben, &n, &e), K_OK);
    assert_int_equal(n, 1);

    assert_int_equal(thanks_delete(f->t.j, t1, &e), K_OK);
    assert_int_equal(thanks_delete(f->t.j, t1, &e), K_NOTFOUND);
    assert_int_equal(thanks_count(f->t.j, f->ana, &n, &e), K_OK);
    assert_int_equal(n, 1);
}

static void test_errors(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    size_t n;
    struct thanks_input in = to(NULL);
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "needs the contact");
    assert_string_equal(e.field, "contact");
    in.contact_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_NOTFOUND, &e, "not in the journal");
    assert_string_equal(e.field, "contact");
    in.contact_id = f->ana;
    in.form = "gift\ncard";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "form has control characters");
    in.form = "   ";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "form is empty");
    in.form = "a very long form of thanks that goes on and on";
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_USAGE);
    in.form = "\xff";
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_USAGE);
    in.form = NULL;
    in.date = tday("2026-11-23");
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e,
                "2026-11-23 is in the future (today is 2026-11-22)");
    in.date = KDATE_NONE;
    in.note = "\xed\xa0\x80"; /* a UTF-16 surrogate */
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "UTF-8");
    in.note = NULL;
    in.referral_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_NOTFOUND, &e, "referral");
    in.referral_id = NULL;
    in.interaction_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_NOTFOUND, &e, "interaction");
    assert_int_equal(thanks_count(f->t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 0);
}

static void test_for_referral(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    struct referral r;
    struct thanks *v;
    size_t n;
    char rid[KID_LEN + 1], id[KID_LEN + 1];
    struct referral_input ri = {0};
    ri.referrer_id = f->ana;
    ri.target_text = "Globex";
    ri.date = tday("2026-11-10");
    assert_int_equal(referral_add(f->t.j, &ri, rid, &e), K_OK);

    /* Ben did not make it: refused, naming both. */
    struct thanks_input in = to(f->ben);
    in.referral_id = rid;
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "made by Ana Ruiz, not Ben Okafor");
    assert_int_equal(thanks_count(f->t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 0);

    in.contact_id = f->ana;
    in.form = "gift-card";
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_OK);
    v = just_one(f->t.j, f->ana, 0);
    assert_string_equal(v[0].referral, rid);
    free_all(v, 1);
    assert_int_equal(referral_get(f->t.j, rid, &r, &e), K_OK);
    assert_int_equal(r.thanked, 1);
    assert_string_equal(r.thanked_form, "gift-card");
    referral_clear(&r);

    /* Deleting the thank-you makes the referral unthanked again. */
    assert_int_equal(thanks_delete(f->t.j, id, &e), K_OK);
    assert_int_equal(referral_get(f->t.j, rid, &r, &e), K_OK);
    assert_int_equal(r.thanked, 0);
    referral_clear(&r);

    /* Deleting the referral keeps the thank-you, for nothing now. */
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_OK);
    assert_int_equal(referral_delete(f->t.j, rid, &e), K_OK);
    v = just_one(f->t.j, f->ana, 0);
    assert_string_equal(v[0].referral, "");
    free_all(v, 1);
}

static void test_for_interaction(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    struct thanks *v;
    char id[KID_LEN + 1];
    add_interaction(&f->t, "0123456789abcdef0123456789abcdef", f->ana);
    struct thanks_input in = to(f->ben);
    in.interaction_id = "0123456789abcdef0123456789abcdef";
    assert_kerr(thanks_add(f->t.j, &in, id, &e), K_USAGE, &e, "Ben Okafor did not take part");
    assert_string_equal(e.field, "interaction");
    in.contact_id = f->ana;
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_OK);
    v = just_one(f->t.j, f->ana, 1);
    assert_string_equal(v[0].interaction, "0123456789abcdef0123456789abcdef");
    free_all(v, 1);
}

static void test_contact_delete_takes_thanks(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    size_t n;
    struct thanks_input in = to(f->ben);
    assert_int_equal(thanks_add(f->t.j, &in, id, &e), K_OK);
    assert_int_equal(contact_delete(f->t.j, f->ben, &e), K_OK);
    assert_int_equal(thanks_count(f->t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 0);
}

/* A test run between setup and tj_teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, tj_teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_add_and_list),
    FX_TEST(test_errors),
    FX_TEST(test_for_referral),
    FX_TEST(test_for_interaction),
    FX_TEST(test_contact_delete_takes_thanks),
};

TEST_MAIN(tests)
