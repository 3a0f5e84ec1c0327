#include "kith/challenge.h"

#include "kith/check.h"
#include "kith/db.h"
#include "kith/dbchallenge.h"
#include "kith/kdate.h"
#include "kith/kstr.h"

#include <stdlib.h>
#include <string.h>

#define CHALLENGE_MAX_DAYS 366

/* The configured length and grace; a journal opened without a config gets
 * the documented defaults. */
static void settings(const struct journal *j, int *days, int *past_days)
{
    const struct config *cfg = journal_config(j);
    *days = cfg ? cfg->challenge_days : 30;
    *past_days = cfg ? cfg->challenge_past_days : 2;
}

void challenge_derive(struct challenge *c, int today)
{
    unsigned char ticked[CHALLENGE_MAX_DAYS] = {0};
    c->done = c->elapsed = c->streak = c->today_done = c->day = c->finished = 0;
    if (c->days <= 0 || c->started_on == KDATE_NONE || today == KDATE_NONE)
        return;
    int days = c->days > CHALLENGE_MAX_DAYS ? CHALLENGE_MAX_DAYS : c->days;
    for (size_t i = 0; i < c->nticks; i++) {
        long long k = (long long)c->ticks[i].date - c->started_on;
        if (c->ticks[i].date != KDATE_NONE && k >= 0 && k < days && !ticked[k]) {
            ticked[k] = 1;
            c->done++;
        }
    }
    long long off = (long long)today - c->started_on; /* today's 0-based index */
    if (off < 0)
        return;
    c->finished = off >= days;
    c->day = c->finished ? days : (int)off + 1;
    c->elapsed = c->day;
    c->today_done = !c->finished && ticked[off];
    /* Today not ticked yet does not break the streak: count from yesterday. */
    for (long long k = c->today_done ? off : off - 1; k >= 0 && k < days && ticked[k]; k--)
        c->streak++;
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

static int load_active(struct journal *j, struct challenge *out, struct kerr *e)
{
    int rc = dbchallenge_active(journal_db(j), out, e);
    if (rc == K_NOTFOUND)
        return kerr_set(e, rc, "no challenge has been started yet");
    if (rc == K_OK)
        challenge_derive(out, journal_today(j));
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
                               interaction_id && *interaction_id ? interaction_id : NULL, &dup,
                               e)) != K_OK ||
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
    int rc = dbchallenge_list(journal_db(j), offset, limit, out, e);
    for (size_t i = 0; rc == K_OK && i < out->n; i++)
        challenge_derive(&out->v[i], journal_today(j));
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
