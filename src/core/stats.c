#include "kith/core/stats.h"

#include "kith/core/challenge.h"
#include "kith/store/db.h"
#include "kith/store/dbstats.h"
#include "kith/util/kdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_REFERRERS 5

void stats_free(struct stats **ps)
{
    if (!ps || !*ps)
        return;
    struct stats *s = *ps;
    free(s->weeks);
    free(s->months);
    free(s->challenges);
    for (size_t i = 0; i < s->ntop; i++)
        free(s->top[i].who.name);
    free(s->top);
    free(s);
    *ps = NULL;
}

static int monday_of(int day)
{
    /* Day 0 (1970-01-01) was a Thursday. */
    int wd = ((day % 7) + 7 + 3) % 7; /* 0 Monday .. 6 Sunday */
    return day - wd;
}

static int first_of_month(int day)
{
    int y, m, d;
    kdate_to_ymd(day, &y, &m, &d);
    return kdate_from_ymd(y, m, 1);
}

static int next_month(int first)
{
    int y, m, d;
    kdate_to_ymd(first, &y, &m, &d);
    return m == 12 ? kdate_from_ymd(y + 1, 1, 1) : kdate_from_ymd(y, m + 1, 1);
}

static int on_week(int monday, int acts, void *ud)
{
    struct stats *s = ud;
    for (size_t i = 0; i < s->nweeks; i++)
        if (s->weeks[i].monday == monday) {
            s->weeks[i].acts = acts;
            s->acts += acts;
        }
    return 0;
}

static int on_month(int first, int gave, int asked, int mutual, int forward, void *ud)
{
    struct stats *s = ud;
    for (size_t i = 0; i < s->nmonths; i++)
        if (s->months[i].first == first) {
            s->months[i].gave = gave;
            s->months[i].asked = asked;
            s->months[i].mutual = mutual;
            s->months[i].forward = forward;
        }
    return 0;
}

struct latencies {
    struct stats *s;
    int *v;
    size_t n;
};

static int on_referral(const char *outcome, int latency, void *ud)
{
    struct latencies *x = ud;
    enum koutcome o;
    x->s->referrals++;
    if (outcome && koutcome_parse(outcome, &o) == 0)
        x->s->outcomes[o]++;
    if (latency >= 0) {
        x->s->thanked++;
        x->v = krealloc(x->v, (x->n + 1) * sizeof *x->v);
        x->v[x->n++] = latency;
    }
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

static int on_referrer(const char *id, const char *name, int referrals, int won, void *ud)
{
    struct stats *s = ud;
    s->top = krealloc(s->top, (s->ntop + 1) * sizeof *s->top);
    struct stats_referrer *r = &s->top[s->ntop++];
    memset(r, 0, sizeof *r);
    snprintf(r->who.id, sizeof r->who.id, "%s", id);
    r->who.name = kstr_dup(name);
    r->referrals = referrals;
    r->won = won;
    return 0;
}

static int read_challenges(struct journal *j, struct stats *s, struct kerr *e)
{
    struct challenge_list l = {0};
    int rc = challenge_history(j, 0, 0, &l, e);
    for (size_t i = 0; rc == K_OK && i < l.n; i++) {
        const struct challenge *c = &l.v[i];
        if (c->started_on > s->until || c->started_on + c->days - 1 < s->since)
            continue;
        s->challenges = krealloc(s->challenges, (s->nchallenges + 1) * sizeof *s->challenges);
        s->challenges[s->nchallenges++] = (struct stats_challenge){
            c->started_on, c->days, c->done, c->habit, i == 0 && !c->finished};
    }
    challenge_list_clear(&l);
    return rc;
}

int stats_get(struct journal *j, int since, struct stats **out, struct kerr *e)
{
    struct db *db = journal_db(j);
    int today = journal_today(j), rc;
    struct latencies lat = {0};
    *out = NULL;
    if (since == KDATE_NONE) {
        int y, m, d;
        kdate_to_ymd(today, &y, &m, &d);
        m -= 11;
        if (m < 1) {
            m += 12;
            y--;
        }
        since = kdate_from_ymd(y, m, 1);
    }
    if (since > today) {
        char a[KDATE_BUF], b[KDATE_BUF];
        return kerr_set(e, K_USAGE, "--since %s is after today (%s)", kdate_format(since, a),
                        kdate_format(today, b));
    }
    struct stats *s = kcalloc(1, sizeof *s);
    s->since = since;
    s->until = today;
    s->latency_median = -1;
    lat.s = s;
    for (int w = monday_of(since); w <= today; w += 7) {
        s->weeks = krealloc(s->weeks, (s->nweeks + 1) * sizeof *s->weeks);
        s->weeks[s->nweeks++] = (struct stats_week){w, 0};
    }
    for (int m = first_of_month(since); m <= today; m = next_month(m)) {
        s->months = krealloc(s->months, (s->nmonths + 1) * sizeof *s->months);
        s->months[s->nmonths++] = (struct stats_month){m, 0, 0, 0, 0};
    }
    if ((rc = dbstats_acts_by_week(db, since, today, on_week, s, e)) != K_OK ||
        (rc = dbstats_by_month(db, since, today, on_month, s, e)) != K_OK ||
        (rc = dbstats_referrals(db, since, today, on_referral, &lat, e)) != K_OK ||
        (rc = dbstats_referrers(db, since, today, TOP_REFERRERS, on_referrer, s, e)) != K_OK ||
        (rc = read_challenges(j, s, e)) != K_OK)
        goto out;
    if (lat.n) {
        qsort(lat.v, lat.n, sizeof *lat.v, cmp_int);
        /* The lower middle of an even count: a whole number of days. */
        s->latency_median = lat.v[(lat.n - 1) / 2];
    }
    *out = s;
    s = NULL;
out:
    free(lat.v);
    stats_free(&s);
    return rc;
}

static int on_contact_month(int first, int n, void *ud)
{
    int *counts = ud;
    /* counts[11] is today's month, counts[0] eleven before; the first of
     * each month is found by stepping back from there. */
    int m = counts[12];
    for (int i = 11; i >= 0; i--) {
        if (m == first) {
            counts[i] = n;
            break;
        }
        int y, mo, d;
        kdate_to_ymd(m, &y, &mo, &d);
        m = mo == 1 ? kdate_from_ymd(y - 1, 12, 1) : kdate_from_ymd(y, mo - 1, 1);
    }
    return 0;
}

int stats_contact_months(struct journal *j, const char *contact_id, int counts[12], struct kerr *e)
{
    int buf[13] = {0};
    int now = first_of_month(journal_today(j)), y, m, d;
    buf[12] = now;
    kdate_to_ymd(now, &y, &m, &d);
    m -= 11;
    if (m < 1) {
        m += 12;
        y--;
    }
    int rc = dbstats_contact_months(journal_db(j), contact_id, kdate_from_ymd(y, m, 1),
                                    on_contact_month, buf, e);
    memcpy(counts, buf, 12 * sizeof *counts);
    return rc;
}

void stats_spark(const int *v, size_t n, struct sbuf *b)
{
    static const char *const ticks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    int max = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    for (size_t i = 0; i < n; i++) {
        if (v[i] <= 0)
            sbuf_add(b, "·");
        else
            sbuf_add(b, ticks[(long long)(v[i] - 1) * 7 / (max > 1 ? max - 1 : 1)]);
    }
}

void stats_bar(int v, int max, int width, struct sbuf *b)
{
    static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (v <= 0 || max <= 0 || width <= 0)
        return;
    long long units = (long long)v * width * 8 / max;
    if (units < 1)
        units = 1; /* something is never drawn as nothing */
    for (long long i = 0; i < units / 8; i++)
        sbuf_add(b, "█");
    sbuf_add(b, eighths[units % 8]);
}

static const char *date_s(int day, char buf[KDATE_BUF])
{
    return kdate_format(day, buf);
}

int stats_json(struct journal *j, const struct stats *s, char **json, struct kerr *e)
{
    struct sbuf b = {0};
    char d1[KDATE_BUF], d2[KDATE_BUF];
    int rc = K_OK;
    *json = NULL;
    sbuf_printf(&b, "{\"since\":\"%s\",\"until\":\"%s\",\"acts_per_week\":[", date_s(s->since, d1),
                date_s(s->until, d2));
    for (size_t i = 0; i < s->nweeks; i++)
        sbuf_printf(&b, "%s{\"week\":\"%s\",\"acts\":%d}", i ? "," : "",
                    date_s(s->weeks[i].monday, d1), s->weeks[i].acts);
    sbuf_add(&b, "],\"per_month\":[");
    for (size_t i = 0; i < s->nmonths; i++) {
        const struct stats_month *m = &s->months[i];
        sbuf_printf(&b,
                    "%s{\"month\":\"%.7s\",\"gave\":%d,\"asked\":%d,\"mutual\":%d,"
                    "\"forward\":%d}",
                    i ? "," : "", date_s(m->first, d1), m->gave, m->asked, m->mutual, m->forward);
    }
    sbuf_printf(&b, "],\"thanks\":{\"referrals\":%d,\"thanked\":%d,\"median_days\":", s->referrals,
                s->thanked);
    if (s->latency_median >= 0)
        sbuf_printf(&b, "%d}", s->latency_median);
    else
        sbuf_add(&b, "null}");
    sbuf_add(&b, ",\"outcomes\":{");
    for (int o = 0; o < KOUT_COUNT; o++)
        sbuf_printf(&b, "%s\"%s\":%d", o ? "," : "", koutcome_name((enum koutcome)o),
                    s->outcomes[o]);
    sbuf_add(&b, "},\"challenges\":[");
    for (size_t i = 0; i < s->nchallenges; i++) {
        const struct stats_challenge *c = &s->challenges[i];
        sbuf_printf(&b,
                    "%s{\"started_on\":\"%s\",\"days\":%d,\"done\":%d,\"completion\":%d,"
                    "\"habit_strength\":%d,\"active\":%s}",
                    i ? "," : "", date_s(c->started_on, d1), c->days, c->done,
                    c->days ? c->done * 100 / c->days : 0, c->habit, c->active ? "true" : "false");
    }
    sbuf_add(&b, "],\"opened_doors\":[");
    for (size_t i = 0; rc == K_OK && i < s->ntop; i++) {
        char *name = NULL;
        if ((rc = journal_json_quote(j, s->top[i].who.name, &name, e)) != K_OK)
            break;
        sbuf_printf(&b, "%s{\"id\":\"%s\",\"name\":%s,\"referrals\":%d,\"won\":%d}", i ? "," : "",
                    s->top[i].who.id, name, s->top[i].referrals, s->top[i].won);
        free(name);
    }
    sbuf_add(&b, "]}");
    if (rc == K_OK)
        *json = sbuf_take(&b);
    sbuf_free(&b);
    return rc;
}
