#include "testutil.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"

#include <sqlite3.h>
#include <stddef.h>
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

/* The figures of c that derived() checks, by name. */
static const struct {
    const char *name;
    size_t off;
} figures[] = {
    {"day", offsetof(struct challenge, day)},
    {"elapsed", offsetof(struct challenge, elapsed)},
    {"done", offsetof(struct challenge, done)},
    {"today_done", offsetof(struct challenge, today_done)},
    {"streak", offsetof(struct challenge, streak)},
    {"finished", offsetof(struct challenge, finished)},
    {"graced", offsetof(struct challenge, graced)},
    {"pending", offsetof(struct challenge, pending)},
    {"habit", offsetof(struct challenge, habit)},
};

/* challenge_derive(c, today) gives the figures want names, written as
 * "day 8, streak 3"; the figures it does not name are not checked. */
static void derived(struct challenge *c, const char *today, const char *want)
{
    challenge_derive(c, tday(today));
    char name[16];
    int v, used;
    for (const char *p = want; sscanf(p, " %15[a-z_] %d%n", name, &v, &used) == 2; p += used) {
        size_t k = 0;
        while (k < sizeof figures / sizeof figures[0] && strcmp(figures[k].name, name))
            k++;
        if (k == sizeof figures / sizeof figures[0])
            fail_msg("no figure '%s'", name);
        int got = *(const int *)(const void *)((const char *)c + figures[k].off);
        if (got != v)
            print_error("on %s: %s is %d, want %d\n", today, name, got, v);
        assert_int_equal(got, v);
        if (p[used] == ',')
            used++;
    }
}

static void test_derive_before_start(void **state)
{
    (void)state;
    int offs[] = {0};
    struct challenge c = mk("2026-11-22", 30, offs, 0);
    derived(&c, "2026-11-21", "day 0, elapsed 0, done 0, streak 0, today_done 0, finished 0");
    challenge_clear(&c);
    challenge_clear(NULL);
}

static void test_derive_first_day(void **state)
{
    (void)state;
    struct challenge c = mk("2026-11-22", 30, NULL, 0);
    derived(&c, "2026-11-22", "day 1, elapsed 1, streak 0, today_done 0");
    challenge_clear(&c);
    int offs[] = {0};
    c = mk("2026-11-22", 30, offs, 1);
    derived(&c, "2026-11-22", "done 1, streak 1, today_done 1");
    challenge_clear(&c);
}

static void test_derive_streaks(void **state)
{
    (void)state;
    /* Days 1-3 and 5-7 ticked (offsets 0-2, 4-6); today is day 8. The
     * streak ends yesterday: today is not ticked yet. */
    int offs[] = {0, 1, 2, 4, 5, 6};
    struct challenge c = mk("2026-11-01", 30, offs, 6);
    derived(&c, "2026-11-08", "day 8, elapsed 8, done 6, today_done 0, streak 3");
    /* Today is day 9: yesterday is not ticked, so the streak is broken. */
    derived(&c, "2026-11-09", "streak 0");
    /* On day 7 itself, ticked: the streak ends today. */
    derived(&c, "2026-11-07", "today_done 1, streak 3");
    /* On day 4 (not ticked): ends yesterday, days 1-3; done counts every
     * tick in the challenge. */
    derived(&c, "2026-11-04", "streak 3, done 6");
    challenge_clear(&c);
}

static void test_derive_unsorted_duplicates_outside(void **state)
{
    (void)state;
    /* Out of order, a duplicate, one before the start, one after the end. */
    int offs[] = {3, 1, 2, 2, -1, 10, 0};
    struct challenge c = mk("2026-11-18", 10, offs, 7);
    derived(&c, "2026-11-21", "done 4, today_done 1, streak 4, day 4");
    challenge_clear(&c);
}

static void test_derive_last_day_and_after(void **state)
{
    (void)state;
    int offs[] = {27, 28, 29};
    struct challenge c = mk("2026-11-01", 30, offs, 3);
    /* The last day. */
    derived(&c, "2026-11-30", "day 30, elapsed 30, finished 0, today_done 1, streak 3");
    /* The day after: over; the streak ended yesterday, on the last day. */
    derived(&c, "2026-12-01", "finished 1, day 30, elapsed 30, today_done 0, streak 3");
    derived(&c, "2026-12-02", "finished 1, streak 0, done 3");
    derived(&c, "2030-01-01", "streak 0, day 30");
    challenge_clear(&c);
}

static void test_derive_extremes(void **state)
{
    (void)state;
    int one[] = {0};
    struct challenge c = mk("2026-11-22", 1, one, 1);
    derived(&c, "2026-11-22", "day 1, streak 1, finished 0");
    derived(&c, "2026-11-23", "finished 1, streak 1");
    challenge_clear(&c);

    /* A full leap-year run, every day ticked. */
    int *all = malloc(366 * sizeof *all);
    for (int i = 0; i < 366; i++)
        all[i] = i;
    c = mk("2028-01-01", 366, all, 366);
    derived(&c, "2028-12-31", "day 366, done 366, streak 366, finished 0");
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
    struct tjournal *t = *state;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1], id2[KID_LEN + 1];
    size_t n;
    assert_kerr(challenge_active(t->j, &c, &e), K_NOTFOUND, &e, "no challenge");
    char *json = NULL;
    assert_int_equal(challenge_active_json(t->j, &json, &e), K_NOTFOUND);
    assert_null(json);

    assert_int_equal(challenge_start(t->j, KDATE_NONE, 0, id, &e), K_OK);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_string_equal(c.id, id);
    assert_int_equal(c.started_on, tday("2026-11-22"));
    assert_int_equal(c.days, 30); /* the configured default */
    assert_int_equal(c.day, 1);
    assert_int_equal(c.nticks, 0);
    challenge_clear(&c);

    assert_kerr(challenge_start(t->j, KDATE_NONE, 367, id2, &e), K_USAGE, &e, "367");
    assert_string_equal(e.field, "days");
    assert_int_equal(challenge_start(t->j, KDATE_NONE, -1, id2, &e), K_USAGE);

    /* A newer start becomes the active one, even if it starts earlier. */
    assert_int_equal(challenge_start(t->j, tday("2026-11-01"), 7, id2, &e), K_OK);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_string_equal(c.id, id2);
    assert_int_equal(c.days, 7);
    assert_int_equal(c.finished, 1);
    challenge_clear(&c);

    /* The configured length. */
    t->cfg->challenge_days = 10;
    assert_int_equal(challenge_start(t->j, tday("2026-12-01"), 0, id, &e), K_OK);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_int_equal(c.days, 10);
    assert_int_equal(c.day, 0); /* it starts later */
    challenge_clear(&c);

    struct challenge_list l;
    assert_int_equal(challenge_count(t->j, &n, &e), K_OK);
    assert_int_equal(n, 3);
    assert_int_equal(challenge_history(t->j, 0, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, id);
    assert_string_equal(l.v[1].id, id2);
    assert_int_equal(l.v[1].finished, 1);
    assert_int_equal(l.v[2].days, 30);
    challenge_list_clear(&l);
    challenge_list_clear(NULL);
    assert_int_equal(challenge_history(t->j, 1, 1, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, id2);
    challenge_list_clear(&l);
    assert_int_equal(challenge_history(t->j, 5, 1, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    challenge_list_clear(&l);
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
    struct tjournal *t = *state;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1];
    int already = -1;
    assert_kerr(challenge_tick(t->j, KDATE_NONE, NULL, NULL, &already, &e), K_NOTFOUND, &e,
                "no challenge");

    assert_int_equal(challenge_start(t->j, tday("2026-11-15"), 10, id, &e), K_OK);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "coffee with Ana", NULL, &already, &e), K_OK);
    assert_int_equal(already, 0);
    /* Twice is harmless: the tick stays and a new note is added to the
     * day's; the same note again, or none, changes nothing. */
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "other", NULL, &already, &e), K_OK);
    assert_int_equal(already, 2);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "other", NULL, &already, &e), K_OK);
    assert_int_equal(already, 1);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "coffee with Ana", NULL, &already, &e), K_OK);
    assert_int_equal(already, 1);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, NULL, NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 1);
    assert_string_equal(c.ticks[0].note, "coffee with Ana\nother");
    challenge_clear(&c);

    assert_kerr(challenge_tick(t->j, tday("2026-11-23"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-23 is in the future (today is 2026-11-22)");
    assert_string_equal(e.field, "date");

    /* The default grace is 2 days: the 20th is open, the 19th is not. */
    assert_int_equal(challenge_tick(t->j, tday("2026-11-20"), NULL, NULL, &already, &e), K_OK);
    assert_kerr(challenge_tick(t->j, tday("2026-11-19"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-19 is too far back");
    assert_string_equal(e.field, "date");
    assert_non_null(strstr(e.msg, "2026-11-20"));

    assert_kerr(challenge_tick(t->j, tday("2026-11-14"), NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-14 is outside the active challenge");
    assert_string_equal(e.field, "date");
    assert_non_null(strstr(e.msg, "2026-11-15 to 2026-11-24"));

    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "\xff", NULL, &already, &e), K_USAGE);

    /* Interactions must exist. */
    assert_int_equal(challenge_tick(t->j, tday("2026-11-21"), NULL,
                                    "ffffffffffffffffffffffffffffffff", &already, &e),
                     K_NOTFOUND);
    assert_non_null(strstr(e.msg, "interaction"));
    add_interaction(t, "0123456789abcdef0123456789abcdef");
    assert_int_equal(challenge_tick(t->j, tday("2026-11-21"), "",
                                    "0123456789abcdef0123456789abcdef", &already, &e),
                     K_OK);

    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
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
    assert_int_equal(challenge_start(t->j, tday("2026-11-01"), 5, id, &e), K_OK);
    assert_kerr(challenge_tick(t->j, KDATE_NONE, NULL, NULL, &already, &e), K_USAGE, &e,
                "2026-11-01 to 2026-11-05");

    /* No grace at all. */
    t->cfg->challenge_past_days = 0;
    assert_int_equal(challenge_start(t->j, tday("2026-11-20"), 5, id, &e), K_OK);
    assert_kerr(challenge_tick(t->j, tday("2026-11-21"), NULL, NULL, &already, &e), K_USAGE, &e,
                "too far back");
}

static void test_untick(void **state)
{
    struct tjournal *t = *state;
    struct challenge c;
    struct kerr e;
    char id[KID_LEN + 1];
    assert_int_equal(challenge_untick(t->j, KDATE_NONE, &e), K_NOTFOUND);
    assert_int_equal(challenge_start(t->j, tday("2026-11-15"), 10, id, &e), K_OK);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, NULL, NULL, NULL, &e), K_OK);
    assert_kerr(challenge_untick(t->j, tday("2026-11-21"), &e), K_NOTFOUND, &e,
                "2026-11-21 is not ticked");
    assert_int_equal(challenge_untick(t->j, tday("2026-11-10"), &e), K_USAGE);
    assert_int_equal(challenge_untick(t->j, KDATE_NONE, &e), K_OK);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 0);
    challenge_clear(&c);
}

static void test_json(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char id[KID_LEN + 1], buf[128];
    char *json = NULL;
    assert_int_equal(challenge_start(t->j, tday("2026-11-11"), 30, id, &e), K_OK);
    assert_int_equal(challenge_active_json(t->j, &json, &e), K_OK);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"started_on\":\"2026-11-11\",\"days\":30,", id);
    assert_non_null(strstr(json, buf));
    assert_non_null(strstr(json, "\"done\":0,\"streak\":0,\"today_done\":false,\"day\":12,"
                                 "\"finished\":false,\"ticks\":[],\"grace_days\":1,"
                                 "\"graced\":0,\"habit_strength\":0}"));
    free(json);

    add_interaction(t, "0123456789abcdef0123456789abcdef");
    assert_int_equal(challenge_tick(t->j, tday("2026-11-21"), NULL,
                                    "0123456789abcdef0123456789abcdef", NULL, &e),
                     K_OK);
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "said \"thanks\"\n", NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_active_json(t->j, &json, &e), K_OK);
    assert_non_null(strstr(json, "\"done\":2,\"streak\":2,\"today_done\":true,\"day\":12,"
                                 "\"finished\":false"));
    assert_non_null(strstr(json, "\"ticks\":[{\"date\":\"2026-11-21\",\"note\":null,"
                                 "\"interaction\":\"0123456789abcdef0123456789abcdef\","
                                 "\"forward\":null},"
                                 "{\"date\":\"2026-11-22\",\"note\":\"said \\\"thanks\\\"\\n\","
                                 "\"interaction\":null,\"forward\":null}]"));
    /* Two days ticked from nothing: each moves the strength 5% of the way. */
    assert_non_null(strstr(json, "\"grace_days\":1,\"graced\":0,\"habit_strength\":10}"));
    free(json);
}

/* Never miss twice: with grace_days, a run of empty days that short
 * between ticked days does not end the streak; neither does yesterday
 * empty while today is still open. */
static void test_derive_grace(void **state)
{
    (void)state;
    /* Days 1-3 and 5-7 ticked (offsets 0-2, 4-6). */
    int offs[] = {0, 1, 2, 4, 5, 6};
    struct challenge c = mk("2026-11-01", 30, offs, 6);
    c.grace_days = 1;
    /* Day 8, open. */
    derived(&c, "2026-11-08", "streak 6, graced 1, pending 0");
    /* Day 9: day 8 empty, today open: the streak waits for today. */
    derived(&c, "2026-11-09", "streak 6, graced 2, pending 1");
    /* Day 10: two empty days in a row end it. */
    derived(&c, "2026-11-10", "streak 0, graced 0, pending 0");
    /* Two days of grace carry it over. */
    c.grace_days = 2;
    derived(&c, "2026-11-10", "streak 6, graced 3, pending 1");
    /* None: as before grace existed. */
    c.grace_days = 0;
    derived(&c, "2026-11-08", "streak 3");
    challenge_clear(&c);

    /* An empty first day has nothing before it to forgive it for. */
    int late[] = {1, 2};
    c = mk("2026-11-01", 30, late, 2);
    c.grace_days = 1;
    derived(&c, "2026-11-03", "streak 2, graced 0");
    assert_int_equal(challenge_day_state(&c, tday("2026-11-01"), tday("2026-11-03")),
                     CHALLENGE_DAY_EMPTY);
    challenge_clear(&c);
}

static void test_day_state(void **state)
{
    (void)state;
    int offs[] = {0, 1, 2, 4, 5, 6, 9};
    struct challenge c = mk("2026-11-01", 12, offs, 7);
    c.grace_days = 1;
    int today = tday("2026-11-11");
    /* offset 3: one empty day between ticked ones */
    assert_int_equal(challenge_day_state(&c, tday("2026-11-04"), today), CHALLENGE_DAY_GRACE);
    /* offsets 7-8: two in a row */
    assert_int_equal(challenge_day_state(&c, tday("2026-11-08"), today), CHALLENGE_DAY_EMPTY);
    assert_int_equal(challenge_day_state(&c, tday("2026-11-09"), today), CHALLENGE_DAY_EMPTY);
    assert_int_equal(challenge_day_state(&c, tday("2026-11-10"), today), CHALLENGE_DAY_DONE);
    assert_int_equal(challenge_day_state(&c, today, today), CHALLENGE_DAY_TODAY);
    assert_int_equal(challenge_day_state(&c, tday("2026-11-12"), today), CHALLENGE_DAY_FUTURE);
    assert_int_equal(challenge_day_state(&c, tday("2026-10-31"), today), CHALLENGE_DAY_OUTSIDE);
    assert_int_equal(challenge_day_state(&c, tday("2026-11-13"), today), CHALLENGE_DAY_OUTSIDE);
    /* Yesterday empty, today open: graced while today can still save it. */
    assert_int_equal(challenge_day_state(&c, tday("2026-11-11"), tday("2026-11-12")),
                     CHALLENGE_DAY_GRACE);
    /* The challenge over with its last day empty: nothing came after it. */
    assert_int_equal(challenge_day_state(&c, tday("2026-11-12"), tday("2026-11-20")),
                     CHALLENGE_DAY_EMPTY);
    c.grace_days = 0;
    assert_int_equal(challenge_day_state(&c, tday("2026-11-04"), today), CHALLENGE_DAY_EMPTY);
    challenge_clear(&c);
}

/* Habit strength: an average of ticked days that moves halfway to where
 * they point in 13 days; carried from one challenge to the next, faded by
 * the days between. */
static void test_habit(void **state)
{
    (void)state;
    int *all = malloc(30 * sizeof *all);
    for (int i = 0; i < 30; i++)
        all[i] = i;
    struct challenge c = mk("2026-11-01", 30, all, 30);
    derived(&c, "2026-11-30", "habit 80"); /* 1 - 0.5^(30/13) */
    challenge_clear(&c);
    c = mk("2026-11-01", 30, all, 29); /* the last day not ticked yet */
    derived(&c, "2026-11-30", "habit 79"); /* today still open: 29 days counted */
    derived(&c, "2026-12-01", "habit 75"); /* over: the last day counts empty */
    challenge_clear(&c);
    free(all);

    struct tjournal t;
    struct kerr e;
    struct challenge_list l;
    char id[KID_LEN + 1];
    tj_open(&t);
    t.cfg->challenge_past_days = 366;
    const char *starts[] = {"2026-06-01", "2026-06-11", "2026-10-29"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(challenge_start(t.j, tday(starts[k]), 10, id, &e), K_OK);
        for (int d = 0; d < 10; d++)
            assert_int_equal(challenge_tick(t.j, tday(starts[k]) + d, NULL, NULL, NULL, &e), K_OK);
    }
    assert_int_equal(challenge_history(t.j, 0, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.v[2].habit, 41); /* 10 of 10 from nothing */
    assert_int_equal(l.v[1].habit, 66); /* right after: 20 days in a row */
    /* Four months later the first two have faded to almost nothing. */
    assert_true(l.v[0].habit >= 41 && l.v[0].habit <= 42);
    challenge_list_clear(&l);
    /* The header's figure: the active challenge's, carried over. */
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_true(c.habit >= 41 && c.habit <= 42);
    assert_int_equal(c.finished, 1);
    challenge_clear(&c);
    tj_close(&t);
}

/* challenge.auto_tick: logging a gave or mutual act ticks its day; acting
 * on an idea always does; an ask never does by itself. */
static void test_tick_act(void **state)
{
    (void)state;
    struct tjournal t;
    struct kerr e;
    struct challenge c;
    char id[KID_LEN + 1], cid[KID_LEN + 1], fid[KID_LEN + 1];
    int ticked = -1;
    tj_open(&t);
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = "Ana Ruiz";
    assert_int_equal(contact_add(t.j, &p, cid, &e), K_OK);
    const char *ids[] = {cid};
    struct interaction_input in = {ids, 1, "coffee", KDIR_MUTUAL, KDATE_NONE, NULL, NULL};
    /* No challenge: logged, nothing ticked. */
    t.cfg->challenge_auto_tick = 1;
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 0);
    assert_int_equal(challenge_start(t.j, tday("2026-11-20"), 10, id, &e), K_OK);
    /* Off in the config: nothing ticked. */
    t.cfg->challenge_auto_tick = 0;
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 0);
    t.cfg->challenge_auto_tick = 1;
    /* An ask is not the day's act by itself. */
    in.dir = KDIR_ASKED;
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 0);
    in.dir = KDIR_GAVE;
    in.date = tday("2026-11-21");
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 1);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 1);
    assert_int_equal(c.ticks[0].date, tday("2026-11-21"));
    assert_string_equal(c.ticks[0].interaction, id);
    challenge_clear(&c);
    /* A pay-it-forward the same day: the day was ticked already. */
    struct forward_input fi = {"helped a student", NULL, tday("2026-11-21"), NULL};
    assert_int_equal(forward_add(t.j, &fi, CHALLENGE_TICK_AUTO, fid, &ticked, &e), K_OK);
    assert_int_equal(ticked, 2);
    /* Today, by a pay-it-forward. */
    fi.date = KDATE_NONE;
    assert_int_equal(forward_add(t.j, &fi, CHALLENGE_TICK_AUTO, fid, &ticked, &e), K_OK);
    assert_int_equal(ticked, 1);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 2);
    assert_string_equal(c.ticks[1].forward, fid);
    assert_string_equal(c.ticks[1].interaction, "");
    challenge_clear(&c);
    /* A day too far back to tick: logged, the day left alone. */
    in.date = tday("2026-11-19");
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_AUTO, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 0);
    /* Acting on an idea ticks whatever the config says, an ask too. */
    t.cfg->challenge_auto_tick = 0;
    in.dir = KDIR_ASKED;
    in.date = tday("2026-11-20");
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_ALWAYS, id, &ticked, &e), K_OK);
    assert_int_equal(ticked, 1);
    /* A failed log ticks nothing. */
    in.date = tday("2026-11-23");
    assert_int_equal(interaction_log_act(t.j, &in, CHALLENGE_TICK_ALWAYS, id, &ticked, &e),
                     K_USAGE);
    assert_int_equal(ticked, 0);
    assert_int_equal(challenge_active(t.j, &c, &e), K_OK);
    assert_int_equal(c.nticks, 3);
    challenge_clear(&c);
    tj_close(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_derive_before_start),
    cmocka_unit_test(test_derive_first_day),
    cmocka_unit_test(test_derive_streaks),
    cmocka_unit_test(test_derive_unsorted_duplicates_outside),
    cmocka_unit_test(test_derive_last_day_and_after),
    cmocka_unit_test(test_derive_extremes),
    TJ_TEST(test_start_and_active),
    TJ_TEST(test_tick_rules),
    TJ_TEST(test_untick),
    TJ_TEST(test_json),
    cmocka_unit_test(test_derive_grace),
    cmocka_unit_test(test_day_state),
    cmocka_unit_test(test_habit),
    cmocka_unit_test(test_tick_act),
};

TEST_MAIN(tests)
