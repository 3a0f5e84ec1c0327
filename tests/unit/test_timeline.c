#include "testutil.h"

#include "kith/contact.h"
#include "kith/interaction.h"
#include "kith/referral.h"
#include "kith/thanks.h"
#include "kith/timeline.h"

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
    tadd(t.j, "Ana", ana);
    tadd(t.j, "Ben", ben);
    tadd(t.j, "Cy", cy);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
