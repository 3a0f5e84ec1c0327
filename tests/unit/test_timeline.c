#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"
#include "kith/core/timeline.h"

#include <string.h>

static size_t listed(struct journal *j, const char *id)
{
    struct timeline t;
    struct kerr e;
    assert_int_equal(timeline_list(j, id, 0, 0, &t, &e), K_OK);
    size_t n = t.n;
    timeline_clear(&t);
    return n;
}

/* timeline_count counts what timeline_list lists: a contact's
 * interactions, the referrals it made or received, its thank-yous; and
 * everyone's. */
static void test_count(void **state)
{
    (void)state;
    struct tjournal t;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], id[KID_LEN + 1];
    size_t n = 99;
    tj_open(&t);
    tadd_each(t.j, "Ana", ana, "Ben", ben, "Cy", cy, NULL);

    assert_int_equal(timeline_count(t.j, ana, &n, &e), K_OK);
    assert_int_equal(n, 0);
    assert_int_equal(timeline_count(t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 0);

    const char *both[] = {ana, ben};
    for (int i = 0; i < 3; i++) {
        struct interaction_input in = {both, 2,   "call", KDIR_GAVE, tday("2026-10-01") + i,
                                       NULL, NULL};
        assert_int_equal(interaction_log(t.j, &in, id, &e), K_OK);
    }
    struct referral_input r = {ana, ben, NULL, NULL, tday("2026-10-05"), NULL, NULL};
    char ref[KID_LEN + 1];
    assert_int_equal(referral_add(t.j, &r, ref, &e), K_OK);
    struct thanks_input th = {ana, tday("2026-10-06"), NULL, ref, NULL, NULL};
    assert_int_equal(thanks_add(t.j, &th, id, &e), K_OK);

    const char *who[] = {ana, ben, cy, NULL};
    const size_t want[] = {5, 4, 0, 5};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(timeline_count(t.j, who[i], &n, &e), K_OK);
        assert_int_equal(n, want[i]);
        assert_int_equal(listed(t.j, who[i]), want[i]);
    }
    assert_int_equal(timeline_count(t.j, "ffffffffffffffffffffffffffffffff", &n, &e), K_OK);
    assert_int_equal(n, 0);
    tj_close(&t);
}

/* 1 when a holds the same entries as b[from ...], in order. */
static int same_entries(const struct timeline *a, const struct timeline *b, size_t from)
{
    if (from + a->n > b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].id, b->v[from + i].id) || a->v[i].type != b->v[from + i].type)
            return 0;
    return 1;
}

/* Every window by key (after an entry, from one, before one, the end) is
 * the window that counting from the first entry gives, for a contact and
 * for everyone: entries sharing a day across all three kinds, ids in
 * every order within a day. */
static void test_windows(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], id[KID_LEN + 1], ref[KID_LEN + 1];
    tadd_each(t->j, "Ana", ana, "Ben", ben, NULL);
    const char *both[] = {ana, ben};
    for (int i = 0; i < 23; i++) {
        struct interaction_input in = {both + (i % 3 == 0),
                                       1 + (i % 3 == 1),
                                       "call",
                                       KDIR_GAVE,
                                       tday("2026-10-01") + i / 4,
                                       NULL,
                                       NULL};
        assert_int_equal(interaction_log(t->j, &in, id, &e), K_OK);
        if (i % 5 == 0) {
            struct referral_input r = {ana,  ben, NULL, NULL, tday("2026-10-01") + i / 4,
                                       NULL, NULL};
            assert_int_equal(referral_add(t->j, &r, ref, &e), K_OK);
            struct thanks_input th = {ana, tday("2026-10-01") + i / 4, NULL, ref, NULL, NULL};
            assert_int_equal(thanks_add(t->j, &th, id, &e), K_OK);
        }
    }
    const char *who[] = {ana, ben, NULL};
    for (int w = 0; w < 3; w++) {
        struct timeline all, win;
        assert_int_equal(timeline_list(t->j, who[w], 0, 0, &all, &e), K_OK);
        assert_true(all.n > 10);
        for (size_t lim = 1; lim <= 4; lim++) {
            assert_int_equal(timeline_window(t->j, who[w], NULL, NULL, lim, &win, &e), K_OK);
            assert_int_equal(win.n, lim);
            assert_true(same_entries(&win, &all, 0));
            timeline_clear(&win);
            struct timeline_key end = {.date = KDATE_NONE};
            assert_int_equal(timeline_window(t->j, who[w], NULL, &end, lim, &win, &e), K_OK);
            assert_int_equal(win.n, lim);
            assert_true(same_entries(&win, &all, all.n - lim));
            timeline_clear(&win);
            for (size_t i = 0; i < all.n; i++) {
                struct timeline_key k = timeline_key_of(&all.v[i]);
                size_t want = all.n - i - 1 < lim ? all.n - i - 1 : lim;
                assert_int_equal(timeline_window(t->j, who[w], &k, NULL, lim, &win, &e), K_OK);
                assert_int_equal(win.n, want);
                assert_true(same_entries(&win, &all, i + 1));
                timeline_clear(&win);
                k.inclusive = 1;
                assert_int_equal(timeline_window(t->j, who[w], &k, NULL, lim, &win, &e), K_OK);
                assert_int_equal(win.n, all.n - i < lim ? all.n - i : lim);
                assert_true(same_entries(&win, &all, i));
                timeline_clear(&win);
                k.inclusive = 0;
                want = i < lim ? i : lim;
                assert_int_equal(timeline_window(t->j, who[w], NULL, &k, lim, &win, &e), K_OK);
                assert_int_equal(win.n, want);
                assert_true(same_entries(&win, &all, i - want));
                timeline_clear(&win);
            }
        }
        timeline_clear(&all);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_count),
    TJ_TEST(test_windows),
};

TEST_MAIN(tests)
