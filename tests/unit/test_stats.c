/* Stats: sparklines and bars drawn with Unicode blocks, the thank-you
 * latency's median, acts counted by week (interactions, pay-it-forwards,
 * thank-yous), a contact's 12 months; and where a relationship stands
 * before an ask (goodwill_readiness). */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/goodwill.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/core/referral.h"
#include "kith/core/stats.h"
#include "kith/core/thanks.h"

#include <stdlib.h>
#include <string.h>

static void test_spark_and_bar(void **state)
{
    (void)state;
    struct sbuf b = {0};
    const int v[] = {0, 1, 2, 4, 8, 0};
    stats_spark(v, 6, &b);
    assert_string_equal(b.s, "·▁▂▄█·"); /* 1 to 8 over the eight heights */
    sbuf_free(&b);
    const int one[] = {3, 3};
    stats_spark(one, 2, &b);
    assert_string_equal(b.s, "██"); /* all equal: each is the most */
    sbuf_free(&b);
    stats_bar(8, 8, 3, &b);
    assert_string_equal(b.s, "███");
    sbuf_free(&b);
    stats_bar(3, 8, 3, &b); /* 9 eighths: one block and one eighth */
    assert_string_equal(b.s, "█▏");
    sbuf_free(&b);
    stats_bar(1, 1000, 3, &b); /* something is never drawn as nothing */
    assert_string_equal(b.s, "▏");
    sbuf_free(&b);
    stats_bar(0, 8, 3, &b);
    assert_null(b.s);
    stats_bar(5, 0, 3, &b);
    assert_null(b.s);
}

static void logi(struct tjournal *t, const char *id, enum kdir d, const char *date)
{
    const char *who[1] = {id};
    tlogi(t->j, who, 1, "call", d, date, NULL, NULL);
}

static void refer_thank(struct tjournal *t, const char *by, const char *on, const char *thanked)
{
    struct referral_input r = {by, NULL, "a job", "job", tday(on), NULL, NULL};
    char rid[KID_LEN + 1], tid[KID_LEN + 1];
    struct kerr e;
    if (referral_add(t->j, &r, rid, &e) != K_OK)
        fail_msg("%s", e.msg);
    if (!thanked)
        return;
    struct thanks_input th = {by, tday(thanked), NULL, rid, NULL, NULL};
    if (thanks_add(t->j, &th, tid, &e) != K_OK)
        fail_msg("%s", e.msg);
}

static void test_figures(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    tadd_each(t->j, "Ana", ana, "Ben", ben, NULL);
    logi(t, ana, KDIR_GAVE, "2026-11-16");  /* a Monday */
    logi(t, ana, KDIR_ASKED, "2026-11-22"); /* the Sunday of that week */
    logi(t, ben, KDIR_MUTUAL, "2026-11-15");
    logi(t, ben, KDIR_GAVE, "2026-09-30");
    struct forward_input f = {"helped a student", NULL, tday("2026-11-20"), NULL};
    char fid[KID_LEN + 1];
    if (forward_add(t->j, &f, CHALLENGE_TICK_NONE, fid, NULL, &e) != K_OK)
        fail_msg("%s", e.msg);
    /* A thank-you for the referral, or any to the referrer on or after it,
     * counts (the journal's rule): Ben's thank-you of 10-14 covers his three
     * referrals. Days: 1, 5, 9, 8, 7: the median is 7. */
    refer_thank(t, ana, "2026-10-01", "2026-10-02");
    refer_thank(t, ana, "2026-10-03", "2026-10-08");
    refer_thank(t, ben, "2026-10-05", "2026-10-14");
    refer_thank(t, ben, "2026-10-06", "2026-10-26");
    refer_thank(t, ben, "2026-10-07", NULL);

    struct stats *s = NULL;
    if (stats_get(t->j, tday("2026-09-01"), &s, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(s->latency_median, 7);
    assert_int_equal(s->referrals, 5);
    assert_int_equal(s->thanked, 5);
    assert_int_equal(s->outcomes[KOUT_PENDING], 5);
    /* 2026-08-31 to the week of 2026-11-16: 12 weeks. */
    assert_int_equal(s->nweeks, 12);
    assert_int_equal(s->weeks[0].monday, tday("2026-08-31"));
    /* The last week: two interactions with Ana, the pay-it-forward. */
    assert_int_equal(s->weeks[11].acts, 3);
    /* 4 interactions, 1 pay-it-forward, 4 thank-yous. */
    assert_int_equal(s->acts, 9);
    assert_int_equal(s->nmonths, 3);
    assert_int_equal(s->months[0].gave, 1); /* September */
    assert_int_equal(s->months[2].gave, 1);
    assert_int_equal(s->months[2].asked, 1);
    assert_int_equal(s->months[2].mutual, 1);
    assert_int_equal(s->months[2].forward, 1);
    assert_int_equal(s->ntop, 2);
    assert_string_equal(s->top[0].who.name, "Ben"); /* 3 referrals */
    assert_int_equal(s->top[0].referrals, 3);
    stats_free(&s);
    assert_null(s);
    stats_free(NULL);

    /* Since today is fine; since tomorrow is not. */
    assert_int_equal(stats_get(t->j, tday("2026-11-23"), &s, &e), K_USAGE);
    assert_null(s);

    int m[12];
    if (stats_contact_months(t->j, ana, m, &e) != K_OK)
        fail_msg("%s", e.msg);
    for (int i = 0; i < 11; i++)
        assert_int_equal(m[i], 0);
    assert_int_equal(m[11], 2);
    if (stats_contact_months(t->j, ben, m, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(m[9], 1); /* September */
    assert_int_equal(m[11], 1);
}

static void test_readiness(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    tadd_each(t->j, "Ana", ana, "Ben", ben, NULL);
    logi(t, ana, KDIR_ASKED, "2026-09-01"); /* before the last give: not counted */
    logi(t, ana, KDIR_GAVE, "2026-10-01");
    logi(t, ana, KDIR_ASKED, "2026-10-20");
    logi(t, ana, KDIR_ASKED, "2026-11-02");
    logi(t, ana, KDIR_MUTUAL, "2026-11-12");
    refer_thank(t, ana, "2026-10-03", NULL);
    /* A pay-it-forward to Ana is not a give: it moves nothing. */
    struct forward_input f = {"sent a book", ana, tday("2026-11-20"), NULL};
    char fid[KID_LEN + 1];
    if (forward_add(t->j, &f, CHALLENGE_TICK_NONE, fid, NULL, &e) != K_OK)
        fail_msg("%s", e.msg);
    struct goodwill_stand s;
    if (goodwill_readiness(t->j, ana, &s, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(s.last_gave, tday("2026-10-01"));
    assert_int_equal(s.last_asked, tday("2026-11-02"));
    assert_int_equal(s.last_talked, tday("2026-11-12"));
    assert_int_equal(s.asks_since_gave, 2);
    assert_int_equal(s.referrals, 1);
    assert_int_equal(s.referrals_won, 0);
    struct sbuf b = {0};
    goodwill_readiness_line(&s, tday("2026-11-22"), &b);
    assert_string_equal(b.s, "last gave 2026-10-01 (52 days ago) · last asked 2026-11-02 (20 days "
                             "ago) · 2 asks since your last give · referred you 1 time · talked "
                             "10 days ago");
    sbuf_free(&b);
    if (goodwill_readiness(t->j, ben, &s, &e) != K_OK)
        fail_msg("%s", e.msg);
    goodwill_readiness_line(&s, tday("2026-11-22"), &b);
    assert_string_equal(b.s, "never gave · never asked · never talked");
    sbuf_free(&b);
    assert_int_equal(goodwill_readiness(t->j, "00000000000000000000000000000000", &s, &e),
                     K_NOTFOUND);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spark_and_bar),
    TJ_TEST(test_figures),
    TJ_TEST(test_readiness),
};

TEST_MAIN(tests)
