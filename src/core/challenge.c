#include "kith/core/challenge.h"

#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbchallenge.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHALLENGE_MAX_DAYS 366

/* The configured length, how far back a day may be ticked and the grace;
 * a journal opened without a config gets the documented defaults. */
static void settings(const struct journal *j, int *days, int *past_days)
{
    const struct config *cfg = journal_config(j);
    *days = cfg ? cfg->challenge_days : 30;
    *past_days = cfg ? cfg->challenge_past_days : 2;
}

static int grace_of(const struct journal *j)
{
    const struct config *cfg = journal_config(j);
    return cfg ? cfg->challenge_grace_days : 1;
}

/* The ticked days of c by their 0-based index (at least CHALLENGE_MAX_DAYS
 * bytes); returns how many. */
static int mark_ticked(const struct challenge *c, int days, unsigned char *ticked)
{
    int done = 0;
    memset(ticked, 0, CHALLENGE_MAX_DAYS);
    for (size_t i = 0; i < c->nticks; i++) {
        long long k = (long long)c->ticks[i].date - c->started_on;
        if (c->ticks[i].date != KDATE_NONE && k >= 0 && k < days && !ticked[k]) {
            ticked[k] = 1;
            done++;
        }
    }
    return done;
}

/* The run of empty days around index k: its first and last index. */
static void empty_run(const unsigned char *ticked, int days, int k, int *first, int *last)
{
    *first = *last = k;
    while (*first > 0 && !ticked[*first - 1])
        (*first)--;
    while (*last + 1 < days && !ticked[*last + 1])
        (*last)++;
}

/* 1 when the empty day k (before today's index off) is forgiven: its run
 * of empty days is at most grace long, a ticked day comes before it, and
 * the day after it is ticked, or is today and still open. */
static int graced_at(const unsigned char *ticked, int days, int grace, long long off, int k)
{
    int first, last;
    empty_run(ticked, days, k, &first, &last);
    if (last >= off)
        last = (int)off - 1; /* today is not part of the run: it is still open */
    if (first == 0 || last - first + 1 > grace || last + 1 >= days)
        return 0;
    return last + 1 == off || ticked[last + 1];
}

/* Habit strength as habit trackers compute it: each day moves the score a
 * step towards 1 (ticked) or 0 (not), halfway in 13 days. */
#define HABIT_HALF_LIFE 13.0

static double habit_step(void)
{
    return 1.0 - pow(0.5, 1.0 / HABIT_HALF_LIFE);
}

/* The score after c's days up to until (at most today; its last day when
 * it is over), starting from `from`. */
static double habit_run_until(const struct challenge *c, int today, int until, double from)
{
    unsigned char ticked[CHALLENGE_MAX_DAYS];
    int days = c->days > CHALLENGE_MAX_DAYS ? CHALLENGE_MAX_DAYS : c->days;
    mark_ticked(c, days, ticked);
    double s = from, a = habit_step();
    /* Today counts once it is ticked; until then the day is still open. */
    for (long long k = 0; k < days && c->started_on + k <= until && c->started_on + k <= today; k++)
        if (c->started_on + k < today || ticked[k])
            s += a * ((ticked[k] ? 1.0 : 0.0) - s);
    return s;
}

/* The score after c's days up to today (its last day when it is over),
 * starting from `from`. */
static double habit_run(const struct challenge *c, int today, double from)
{
    return habit_run_until(c, today, today, from);
}

static int percent(double s)
{
    int p = (int)floor(s * 100.0 + 0.5);
    return p < 0 ? 0 : p > 100 ? 100 : p;
}

void challenge_derive(struct challenge *c, int today)
{
    unsigned char ticked[CHALLENGE_MAX_DAYS];
    c->done = c->elapsed = c->streak = c->today_done = c->day = c->finished = 0;
    c->graced = c->pending = c->habit = 0;
    if (c->days <= 0 || c->started_on == KDATE_NONE || today == KDATE_NONE)
        return;
    int days = c->days > CHALLENGE_MAX_DAYS ? CHALLENGE_MAX_DAYS : c->days;
    c->done = mark_ticked(c, days, ticked);
    c->habit = percent(habit_run(c, today, 0.0));
    long long off = (long long)today - c->started_on; /* today's 0-based index */
    if (off < 0)
        return;
    c->finished = off >= days;
    c->day = c->finished ? days : (int)off + 1;
    c->elapsed = c->day;
    c->today_done = !c->finished && ticked[off];
    /* Today not ticked yet does not break the streak: count from
     * yesterday. A short run of empty days between ticked ones (or before
     * today, still open) is forgiven: the streak goes on over it. */
    for (long long k = c->today_done ? off : off - 1; k >= 0 && k < days;) {
        if (ticked[k]) {
            c->streak++;
            k--;
            continue;
        }
        if (!graced_at(ticked, days, c->grace_days, off, (int)k))
            break;
        int first, last;
        empty_run(ticked, days, (int)k, &first, &last);
        if (k == off - 1)
            c->pending = 1;
        c->graced += (int)k - first + 1;
        k = first - 1;
    }
    if (!c->streak)
        c->graced = c->pending = 0;
}

enum challenge_day challenge_day_state(const struct challenge *c, int day, int today)
{
    unsigned char ticked[CHALLENGE_MAX_DAYS];
    int days = c->days > CHALLENGE_MAX_DAYS ? CHALLENGE_MAX_DAYS : c->days;
    long long k = (long long)day - c->started_on;
    if (k < 0 || k >= days)
        return CHALLENGE_DAY_OUTSIDE;
    mark_ticked(c, days, ticked);
    if (ticked[k])
        return CHALLENGE_DAY_DONE;
    if (day == today)
        return CHALLENGE_DAY_TODAY;
    if (day > today)
        return CHALLENGE_DAY_FUTURE;
    return graced_at(ticked, days, c->grace_days, (long long)today - c->started_on, (int)k)
               ? CHALLENGE_DAY_GRACE
               : CHALLENGE_DAY_EMPTY;
}

/* Habit strength carried from one challenge to the next, oldest first: the
 * days between two challenges count as empty ones, so a new challenge
 * right after the last starts from its strength, one months later from
 * little. Each challenge's own figure is its strength today, or on its
 * last day once it is over. l is newest first. */
static void carry_habits(struct challenge_list *l, int today)
{
    double s = 0.0, a = habit_step();
    int prev_end = KDATE_NONE;
    /* In the order of their days: a challenge started later may be dated
     * earlier. Ties keep the order they were started in. */
    size_t *order = kcalloc(l->n ? l->n : 1, sizeof *order);
    for (size_t i = 0; i < l->n; i++) {
        size_t k = i;
        for (; k > 0 && l->v[order[k - 1]].started_on <= l->v[l->n - 1 - i].started_on; k--)
            order[k] = order[k - 1];
        order[k] = l->n - 1 - i;
    }
    for (size_t n = l->n; n-- > 0;) {
        struct challenge *c = &l->v[order[n]];
        /* Starting the next one ended it: its days after that are not
         * empty days, they are no days at all. */
        int until = today;
        if (order[n] > 0 && l->v[order[n] - 1].started_on > c->started_on &&
            l->v[order[n] - 1].started_on - 1 < until)
            until = l->v[order[n] - 1].started_on - 1;
        if (prev_end != KDATE_NONE && c->started_on > prev_end + 1) {
            int gap = c->started_on - prev_end - 1;
            s *= pow(1.0 - a, gap > 3650 ? 3650 : gap);
        }
        s = habit_run_until(c, today, until, s);
        c->habit = percent(s);
        if (prev_end == KDATE_NONE || c->started_on + c->days - 1 > prev_end)
            prev_end = c->started_on + c->days - 1;
    }
    free(order);
}

int challenge_start(struct journal *j, int start, int days, char id[KID_LEN + 1], struct kerr *e)
{
    struct db *db = journal_db(j);
    int def, past, rc;
    settings(j, &def, &past);
    if (days == 0)
        days = def;
    if (days < 1 || days > CHALLENGE_MAX_DAYS)
        return kerr_set_field(e, K_USAGE, "days", "a challenge lasts 1 to %d days, not %d",
                              CHALLENGE_MAX_DAYS, days);
    if (start == KDATE_NONE)
        start = journal_today(j);
    char nid[KID_LEN + 1];
    db_new_id(nid);
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbchallenge_insert(db, nid, start, days, e)) != K_OK ||
        (rc = db_commit(db, e)) != K_OK) {
        db_rollback(db);
        return rc;
    }
    memcpy(id, nid, KID_LEN + 1);
    return K_OK;
}

/* Every challenge, newest first, derived for today with habit strengths
 * carried over. */
static int load_all(struct journal *j, struct challenge_list *out, struct kerr *e)
{
    int rc = dbchallenge_list(journal_db(j), 0, 0, out, e);
    for (size_t i = 0; rc == K_OK && i < out->n; i++) {
        out->v[i].grace_days = grace_of(j);
        challenge_derive(&out->v[i], journal_today(j));
    }
    if (rc == K_OK)
        carry_habits(out, journal_today(j));
    return rc;
}

static int load_active(struct journal *j, struct challenge *out, struct kerr *e)
{
    struct challenge_list l = {0};
    memset(out, 0, sizeof *out);
    int rc = load_all(j, &l, e);
    if (rc == K_OK && !l.n)
        rc = kerr_set(e, K_NOTFOUND, "no challenge has been started yet");
    if (rc == K_OK) {
        *out = l.v[0];
        memset(&l.v[0], 0, sizeof l.v[0]);
    }
    challenge_list_clear(&l);
    return rc;
}

int challenge_active(struct journal *j, struct challenge *out, struct kerr *e)
{
    return load_active(j, out, e);
}

/* The days a tick may be made or removed: in the challenge, not in the
 * future, and not further back than the grace. */
static int check_day(struct journal *j, const struct challenge *c, int date, struct kerr *e)
{
    int def, past, today = journal_today(j);
    int last = c->started_on + c->days - 1;
    char d[KDATE_BUF], t[KDATE_BUF], s[KDATE_BUF], l[KDATE_BUF];
    settings(j, &def, &past);
    kdate_format(date, d);
    kdate_format(today, t);
    if (date > today)
        return kerr_set_field(e, K_USAGE, "date", "%s is in the future (today is %s)", d, t);
    if (date < c->started_on || date > last)
        return kerr_set_field(e, K_USAGE, "date",
                              "%s is outside the active challenge, which runs from %s to %s", d,
                              kdate_format(c->started_on, s), kdate_format(last, l));
    if (date < today - past)
        return kerr_set_field(e, K_USAGE, "date",
                              "%s is too far back: a day can be ticked up to %d days later, so the "
                              "earliest day open today is %s",
                              d, past, kdate_format(today - past, s));
    return K_OK;
}

int challenge_tick(struct journal *j, int date, const char *note, const char *interaction_id,
                   int *already, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct challenge c = {0};
    int rc, began = 0, dup = 0;
    if (already)
        *already = 0;
    if ((rc = check_text("note", note, CHECK_LONG_MAX, e)) != K_OK)
        goto out;
    if (date == KDATE_NONE)
        date = journal_today(j);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = load_active(j, &c, e)) != K_OK || (rc = check_day(j, &c, date, e)) != K_OK)
        goto out;
    if (interaction_id && *interaction_id) {
        int exists;
        if ((rc = dbchallenge_interaction_exists(db, interaction_id, &exists, e)) != K_OK)
            goto out;
        if (!exists) {
            rc = kerr_set(e, K_NOTFOUND, "no such interaction");
            goto out;
        }
    }
    if ((rc = dbchallenge_tick(db, c.id, date, note && *note ? note : NULL,
                               interaction_id && *interaction_id ? interaction_id : NULL, NULL,
                               &dup, e)) != K_OK ||
        (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
    if (already)
        *already = dup;
out:
    if (began)
        db_rollback(db);
    challenge_clear(&c);
    return rc;
}

int challenge_untick(struct journal *j, int date, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct challenge c = {0};
    char d[KDATE_BUF];
    int rc, began = 0, removed = 0;
    if (date == KDATE_NONE)
        date = journal_today(j);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = load_active(j, &c, e)) != K_OK || (rc = check_day(j, &c, date, e)) != K_OK ||
        (rc = dbchallenge_untick(db, c.id, date, &removed, e)) != K_OK)
        goto out;
    if (!removed) {
        rc = kerr_set(e, K_NOTFOUND, "%s is not ticked", kdate_format(date, d));
        goto out;
    }
    if ((rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
out:
    if (began)
        db_rollback(db);
    challenge_clear(&c);
    return rc;
}

int challenge_history(struct journal *j, size_t offset, size_t limit, struct challenge_list *out,
                      struct kerr *e)
{
    /* Strengths carry from the oldest: all are read (a few hundred rows
     * at most, one challenge a month for decades), the window kept. */
    int rc = load_all(j, out, e);
    if (rc != K_OK)
        return rc;
    size_t from = offset < out->n ? offset : out->n;
    size_t to = limit && from + limit < out->n ? from + limit : out->n;
    for (size_t i = 0; i < out->n; i++)
        if (i < from || i >= to)
            challenge_clear(&out->v[i]);
    if (to > from) /* none: v may be NULL, which memmove must not get */
        memmove(out->v, out->v + from, (to - from) * sizeof *out->v);
    out->n = to - from;
    return K_OK;
}

int challenge_tick_act(struct journal *j, int date, const char *interaction_id,
                       const char *forward_id, enum challenge_tick_mode mode, int *ticked,
                       struct kerr *e)
{
    struct challenge c = {0};
    const struct config *cfg = journal_config(j);
    struct kerr tmp;
    int rc, dup = 0;
    *ticked = 0;
    if (mode == CHALLENGE_TICK_NONE ||
        (mode == CHALLENGE_TICK_AUTO && !(cfg && cfg->challenge_auto_tick)))
        return K_OK;
    if (date == KDATE_NONE)
        date = journal_today(j);
    rc = load_active(j, &c, &tmp);
    /* No challenge, or a day it cannot take: the act is logged all the
     * same, the day left as it is. */
    if (rc == K_NOTFOUND || (rc == K_OK && check_day(j, &c, date, &tmp) != K_OK)) {
        challenge_clear(&c);
        return K_OK;
    }
    if (rc == K_OK)
        rc = dbchallenge_tick(journal_db(j), c.id, date, NULL, interaction_id, forward_id, &dup, e);
    else
        kerr_set(e, rc, "%s", tmp.msg);
    if (rc == K_OK)
        *ticked = dup ? 2 : 1;
    challenge_clear(&c);
    return rc;
}

int challenge_history_json(struct journal *j, char **json, struct kerr *e)
{
    struct challenge_list l = {0};
    struct sbuf b = {0};
    *json = NULL;
    int rc = challenge_history(j, 0, 0, &l, e);
    sbuf_add(&b, "[");
    for (size_t i = 0; rc == K_OK && i < l.n; i++) {
        char *one = NULL;
        if ((rc = dbchallenge_json(journal_db(j), &l.v[i], &one, e)) == K_OK)
            sbuf_printf(&b, "%s%s", i ? "," : "", one);
        free(one);
    }
    sbuf_add(&b, "]");
    if (rc == K_OK)
        *json = sbuf_take(&b);
    sbuf_free(&b);
    challenge_list_clear(&l);
    return rc;
}

int challenge_count(struct journal *j, size_t *n, struct kerr *e)
{
    return dbchallenge_count(journal_db(j), n, e);
}

int challenge_active_json(struct journal *j, char **json, struct kerr *e)
{
    struct challenge c = {0};
    *json = NULL;
    int rc = load_active(j, &c, e);
    if (rc == K_OK)
        rc = dbchallenge_json(journal_db(j), &c, json, e);
    challenge_clear(&c);
    return rc;
}
