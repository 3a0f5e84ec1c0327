#include "testutil.h"

#include "kith/challenge.h"
#include "kith/contact.h"
#include "kith/kdate.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A challenge in memory for challenge_derive: ticks given as day offsets
 * from the start. */
static struct challenge mk(const char *start, int days, const int *offs, size_t n)
{
    struct challenge c = {0};
    c.started_on = tday(start);
    c.days = days;
    c.ticks = calloc(n ? n : 1, sizeof *c.ticks);
    c.nticks = n;
    for (size_t i = 0; i < n; i++)
        c.ticks[i].date = c.started_on + offs[i];
    return c;
}

static void test_derive_before_start(void **state)
{
    (void)state;
    int offs[] = {0};
    struct challenge c = mk("2026-11-22", 30, offs, 0);
    challenge_derive(&c, tday("2026-11-21"));
    assert_int_equal(c.day, 0);
    assert_int_equal(c.elapsed, 0);
    assert_int_equal(c.done, 0);
    assert_int_equal(c.streak, 0);
    assert_int_equal(c.today_done, 0);
    assert_int_equal(c.finished, 0);
    challenge_clear(&c);
    challenge_clear(NULL);
}

static void test_derive_first_day(void **state)
{
    (void)state;
    struct challenge c = mk("2026-11-22", 30, NULL, 0);
    challenge_derive(&c, tday("2026-11-22"));
    assert_int_equal(c.day, 1);
    assert_int_equal(c.elapsed, 1);
    assert_int_equal(c.streak, 0);
    assert_int_equal(c.today_done, 0);
    challenge_clear(&c);
    int offs[] = {0};
    c = mk("2026-11-22", 30, offs, 1);
    challenge_derive(&c, tday("2026-11-22"));
    assert_int_equal(c.done, 1);
    assert_int_equal(c.streak, 1);
    assert_int_equal(c.today_done, 1);
    challenge_clear(&c);
}

static void test_derive_streaks(void **state)
{
    (void)state;
    /* Days 1-3 and 5-7 ticked (offsets 0-2, 4-6); today is day 8. */
    int offs[] = {0, 1, 2, 4, 5, 6};
    struct challenge c = mk("2026-11-01", 30, offs, 6);
    challenge_derive(&c, tday("2026-11-08"));
    assert_int_equal(c.day, 8);
    assert_int_equal(c.elapsed, 8);
    assert_int_equal(c.done, 6);
    assert_int_equal(c.today_done, 0);
    assert_int_equal(c.streak, 3); /* ends yesterday: today not ticked yet */
    /* Today is day 9: yesterday is not ticked, so the streak is broken. */
    challenge_derive(&c, tday("2026-11-09"));
    assert_int_equal(c.streak, 0);
    /* On day 7 itself, ticked: the streak ends today. */
    challenge_derive(&c, tday("2026-11-07"));
    assert_int_equal(c.today_done, 1);
    assert_int_equal(c.streak, 3);
    /* On day 4 (not ticked): ends yesterday, days 1-3. */
    challenge_derive(&c, tday("2026-11-04"));
    assert_int_equal(c.streak, 3);
    assert_int_equal(c.done, 6); /* done counts every tick in the challenge */
    challenge_clear(&c);
}

static void test_derive_unsorted_duplicates_outside(void **state)
{
    (void)state;
    /* Out of order, a duplicate, one before the start, one after the end. */
    int offs[] = {3, 1, 2, 2, -1, 10, 0};
    struct challenge c = mk("2026-11-18", 10, offs, 7);
    challenge_derive(&c, tday("2026-11-21"));
    assert_int_equal(c.done, 4);
    assert_int_equal(c.today_done, 1);
    assert_int_equal(c.streak, 4);
    assert_int_equal(c.day, 4);
    challenge_clear(&c);
}

static void test_derive_last_day_and_after(void **state)
{
    (void)state;
    int offs[] = {27, 28, 29};
    struct challenge c = mk("2026-11-01", 30, offs, 3);
    challenge_derive(&c, tday("2026-11-30")); /* the last day */
    assert_int_equal(c.day, 30);
    assert_int_equal(c.elapsed, 30);
    assert_int_equal(c.finished, 0);
    assert_int_equal(c.today_done, 1);
    assert_int_equal(c.streak, 3);
    challenge_derive(&c, tday("2026-12-01")); /* the day after: over */
    assert_int_equal(c.finished, 1);
    assert_int_equal(c.day, 30);
    assert_int_equal(c.elapsed, 30);
    assert_int_equal(c.today_done, 0);
    assert_int_equal(c.streak, 3); /* ended yesterday, on the last day */
    challenge_derive(&c, tday("2026-12-02"));
    assert_int_equal(c.finished, 1);
    assert_int_equal(c.streak, 0);
    assert_int_equal(c.done, 3);
    challenge_derive(&c, tday("2030-01-01"));
    assert_int_equal(c.streak, 0);
    assert_int_equal(c.day, 30);
    challenge_clear(&c);
}

static void test_derive_extremes(void **state)
{
    (void)state;
    int one[] = {0};
    struct challenge c = mk("2026-11-22", 1, one, 1);
    challenge_derive(&c, tday("2026-11-22"));
    assert_int_equal(c.day, 1);
    assert_int_equal(c.streak, 1);
    assert_int_equal(c.finished, 0);
    challenge_derive(&c, tday("2026-11-23"));
    assert_int_equal(c.finished, 1);
    assert_int_equal(c.streak, 1);
    challenge_clear(&c);

    /* A full leap-year run, every day ticked. */
    int *all = malloc(366 * sizeof *all);
    for (int i = 0; i < 366; i++)
        all[i] = i;
    c = mk("2028-01-01", 366, all, 366);
    challenge_derive(&c, tday("2028-12-31"));
    assert_int_equal(c.day, 366);
    assert_int_equal(c.done, 366);
    assert_int_equal(c.streak, 366);
    assert_int_equal(c.finished, 0);
    challenge_clear(&c);
    free(all);

    /* Nonsense from a damaged row is harmless. */
    c = mk("2026-11-22", 0, NULL, 0);
    challenge_derive(&c, tday("2026-11-22"));
    assert_int_equal(c.day + c.done + c.streak + c.finished, 0);
    c.days = 5;
    c.started_on = KDATE_NONE;
    challenge_derive(&c, tday("2026-11-22"));
    assert_int_equal(c.day, 0);
    c.started_on = tday("2026-11-22");
    challenge_derive(&c, KDATE_NONE);
    assert_int_equal(c.day, 0);
    challenge_clear(&c);
}

static void test_start_and_active(void **state)
{
    (void)state;
    struct tjournal t;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1], id2[KID_LEN + 1];
    size_t n;
    tj_open(&t);
    assert_kerr(challenge_active(t.j, &c, &e), K_NOTFOUND, &e, "no challenge");
    char *json = NULL;
    assert_int_equal(challenge_active_json(t.j, &json, &e), K_NOTFOUND);
    assert_null(json);

    assert_int_equal(challenge_start(t.j, KDATE_NONE, 0, id, &e), K_OK);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_string_equal(c.id, id);
    assert_int_equal(c.started_on, tday("2026-11-22"));
    assert_int_equal(c.days, 30); /* the configured default */
    assert_int_equal(c.day, 1);
    assert_int_equal(c.nticks, 0);
    challenge_clear(&c);

    assert_kerr(challenge_start(t.j, KDATE_NONE, 367, id2, &e), K_USAGE, &e, "367");
    assert_string_equal(e.field, "days");
    assert_int_equal(challenge_start(t.j, KDATE_NONE, -1, id2, &e), K_USAGE);

    /* A newer start becomes the active one, even if it starts earlier. */
    assert_int_equal(challenge_start(t.j, tday("2026-11-01"), 7, id2, &e), K_OK);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_string_equal(c.id, id2);
    assert_int_equal(c.days, 7);
    assert_int_equal(c.finished, 1);
    challenge_clear(&c);

    /* The configured length. */
    t.cfg->challenge_days = 10;
    assert_int_equal(challenge_start(t.j, tday("2026-12-01"), 0, id, &e), K_OK);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.days, 10);
    assert_int_equal(c.day, 0); /* it starts later */
    challenge_clear(&c);

    struct challenge_list l;
    assert_int_equal(challenge_count(t.j, &n, &e), K_OK);
    assert_int_equal(n, 3);
    assert_int_equal(challenge_history(t.j, 0, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, id);
    assert_string_equal(l.v[1].id, id2);
    assert_int_equal(l.v[1].finished, 1);
    assert_int_equal(l.v[2].days, 30);
    challenge_list_clear(&l);
    challenge_list_clear(NULL);
    assert_int_equal(challenge_history(t.j, 1, 1, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, id2);
    challenge_list_clear(&l);
    assert_int_equal(challenge_history(t.j, 5, 1, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    challenge_list_clear(&l);
    tj_close(&t);
}

static void add_interaction(struct tjournal *t, const char *id)
{
    sqlite3 *h;
    char sql[300];
    assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO interaction(id, date, kind, direction) VALUES ('%s', '2026-11-21',"
             " 'coffee', 'gave')",
             id);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void test_tick_rules(void **state)
{
    (void)state;
    struct tjournal t;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1];
    int already = -1;
    tj_open(&t);
    assert_kerr(challenge_tick(t.j, KDATE_NONE, NULL, NULL, &already, &e), K_NOTFOUND, &e,
                "no challenge");

    assert_int_equal(challenge_start(t.j, tday("2026-11-15"), 10, id, &e), K_OK);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "coffee with Ana", NULL, &already, &e), K_OK);
    assert_int_equal(already, 0);
    /* Twice is harmless: the tick stays and a new note is added to the
     * day's; the same note again, or none, changes nothing. */
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "other", NULL, &already, &e), K_OK);
    assert_int_equal(already, 2);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "other", NULL, &already, &e), K_OK);
    assert_int_equal(already, 1);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "coffee with Ana", NULL, &already, &e), K_OK);
    assert_int_equal(already, 1);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, NULL, NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 1);
    assert_string_equal(c.ticks[0].note, "coffee with Ana\nother");
    challenge_clear(&c);

    assert_kerr(challenge_tick(t.j, tday("2026-11-23"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-23 is in the future (today is 2026-11-22)");
    assert_string_equal(e.field, "date");

    /* The default grace is 2 days: the 20th is open, the 19th is not. */
    assert_int_equal(challenge_tick(t.j, tday("2026-11-20"), NULL, NULL, &already, &e), K_OK);
    assert_kerr(challenge_tick(t.j, tday("2026-11-19"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-19 is too far back");
    assert_string_equal(e.field, "date");
    assert_non_null(strstr(e.msg, "2026-11-20"));

    assert_kerr(challenge_tick(t.j, tday("2026-11-14"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-14 is outside the active challenge");
    assert_string_equal(e.field, "date");
    assert_non_null(strstr(e.msg, "2026-11-15 to 2026-11-24"));

    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "\xff", NULL, &already, &e), K_USAGE);

    /* Interactions must exist. */
    assert_int_equal(challenge_tick(t.j, tday("2026-11-21"), NULL,
                                    "ffffffffffffffffffffffffffffffff", &already, &e),
                     K_NOTFOUND);
    assert_non_null(strstr(e.msg, "interaction"));
    add_interaction(&t, "0123456789abcdef0123456789abcdef");
    assert_int_equal(challenge_tick(t.j, tday("2026-11-21"), "", "0123456789abcdef0123456789abcdef",
                                    &already, &e),
                     K_OK);

    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 3);
    assert_int_equal(c.ticks[0].date, tday("2026-11-20"));
    assert_null(c.ticks[0].note);
    assert_int_equal(c.ticks[1].date, tday("2026-11-21"));
    assert_null(c.ticks[1].note);
    assert_string_equal(c.ticks[1].interaction, "0123456789abcdef0123456789abcdef");
    assert_string_equal(c.ticks[2].note, "coffee with Ana\nother");
    assert_string_equal(c.ticks[2].interaction, "");
    assert_int_equal(c.done, 3);
    assert_int_equal(c.streak, 3);
    assert_int_equal(c.today_done, 1);
    assert_int_equal(c.day, 8);
    challenge_clear(&c);

    /* A challenge that ended: its last day is outside the grace. */
    assert_int_equal(challenge_start(t.j, tday("2026-11-01"), 5, id, &e), K_OK);
    assert_kerr(challenge_tick(t.j, KDATE_NONE, NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-01 to 2026-11-05");

    /* No grace at all. */
    t.cfg->challenge_past_days = 0;
    assert_int_equal(challenge_start(t.j, tday("2026-11-20"), 5, id, &e), K_OK);
    assert_kerr(challenge_tick(t.j, tday("2026-11-21"), NULL, NULL, &already, &e), K_USAGE, &e,
                "too far back");
    tj_close(&t);
}

static void test_untick(void **state)
{
    (void)state;
    struct tjournal t;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1];
    tj_open(&t);
    assert_int_equal(challenge_untick(t.j, KDATE_NONE, &e), K_NOTFOUND);
    assert_int_equal(challenge_start(t.j, tday("2026-11-15"), 10, id, &e), K_OK);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, NULL, NULL, NULL, &e), K_OK);
    assert_kerr(challenge_untick(t.j, tday("2026-11-21"), &e), K_NOTFOUND, &e,
                "2026-11-21 is not ticked");
    assert_int_equal(challenge_untick(t.j, tday("2026-11-10"), &e), K_USAGE);
    assert_int_equal(challenge_untick(t.j, KDATE_NONE, &e), K_OK);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 0);
    challenge_clear(&c);
    tj_close(&t);
}

static void test_json(void **state)
{
    (void)state;
    struct tjournal t;
    struct kerr e;
    char id[KID_LEN + 1], buf[128];
    char *json = NULL;
    tj_open(&t);
    assert_int_equal(challenge_start(t.j, tday("2026-11-11"), 30, id, &e), K_OK);
    assert_int_equal(challenge_active_json(t.j, &json, &e), K_OK);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"started_on\":\"2026-11-11\",\"days\":30,", id);
    assert_non_null(strstr(json, buf));
    assert_non_null(strstr(json, "\"done\":0,\"streak\":0,\"today_done\":false,\"day\":12,"
                                 "\"finished\":false,\"ticks\":[]}"));
    free(json);

    add_interaction(&t, "0123456789abcdef0123456789abcdef");
    assert_int_equal(
        challenge_tick(t.j, tday("2026-11-21"), NULL, "0123456789abcdef0123456789abcdef", NULL, &e),
        K_OK);
    assert_int_equal(challenge_tick(t.j, KDATE_NONE, "said \"thanks\"\n", NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_active_json(t.j, &json, &e), K_OK);
    assert_non_null(strstr(json, "\"done\":2,\"streak\":2,\"today_done\":true,\"day\":12,"
                                 "\"finished\":false"));
    assert_non_null(strstr(json, "\"ticks\":[{\"date\":\"2026-11-21\",\"note\":null,"
                                 "\"interaction\":\"0123456789abcdef0123456789abcdef\"},"
                                 "{\"date\":\"2026-11-22\",\"note\":\"said \\\"thanks\\\"\\n\","
                                 "\"interaction\":null}]"));
    free(json);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_before_start),
        cmocka_unit_test(test_derive_first_day),
        cmocka_unit_test(test_derive_streaks),
        cmocka_unit_test(test_derive_unsorted_duplicates_outside),
        cmocka_unit_test(test_derive_last_day_and_after),
        cmocka_unit_test(test_derive_extremes),
        cmocka_unit_test(test_start_and_active),
        cmocka_unit_test(test_tick_rules),
        cmocka_unit_test(test_untick),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
