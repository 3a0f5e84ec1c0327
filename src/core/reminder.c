#include "kith/core/reminder.h"

#include "kith/config/config.h"
#include "kith/core/challenge.h"
#include "kith/store/dbreminder.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* The configuration's rules as the store evaluates them (*n of them; free
 * the array). */
static struct dbreminder_rule *rules_of(struct journal *j, size_t *n)
{
    const struct config *c = journal_config(j);
    *n = c ? c->nrules : 0;
    struct dbreminder_rule *v = *n ? kcalloc(*n, sizeof *v) : NULL;
    for (size_t i = 0; i < *n; i++) {
        const struct config_rule *r = &c->rules[i];
        v[i] = (struct dbreminder_rule){.id = r->id,
                                        .message = r->message,
                                        .direction = r->direction,
                                        .tags = r->tags,
                                        .kinds = r->kinds,
                                        .outcomes = r->outcomes,
                                        .ntags = r->ntags,
                                        .nkinds = r->nkinds,
                                        .noutcomes = r->noutcomes,
                                        .on = (enum ktrigger)r->on,
                                        .priority = (int)r->priority,
                                        .after_days = r->after_days,
                                        .days = r->days,
                                        .max_days = r->max_days,
                                        .days_before = r->days_before,
                                        .below = r->below,
                                        .cadence_contact = r->cadence_contact};
    }
    return v;
}

static int eval(struct journal *j, struct kerr *e)
{
    size_t n;
    struct dbreminder_rule *v = rules_of(j, &n);
    int rc = dbreminder_eval(journal_db(j), v, n, journal_today(j), e);
    free(v);
    return rc;
}

size_t reminder_rule_count(struct journal *j)
{
    const struct config *c = journal_config(j);
    return c ? c->nrules : 0;
}

int reminder_evaluate_step(struct journal *j, size_t step, struct kerr *e)
{
    size_t n;
    struct dbreminder_rule *v = rules_of(j, &n);
    int rc = step == 0 ? dbreminder_eval_begin(journal_db(j), v, n, journal_today(j), e)
                       : dbreminder_eval_rule(journal_db(j), v, n, step - 1, journal_today(j), e);
    free(v);
    return rc;
}

int reminder_each(struct journal *j, const struct reminder_query *q, reminder_cb cb, void *ud,
                  struct kerr *e)
{
    int rc = eval(j, e);
    if (rc != K_OK)
        return rc;
    return reminder_window_evaluated(j, q, NULL, cb, ud, e);
}

void reminder_list_add(struct reminder_list *l, const struct reminder *r)
{
    l->v = kgrowarray(l->v, l->n, sizeof *l->v);
    struct reminder *d = &l->v[l->n++];
    *d = *r;
    d->rule = kstr_dup(r->rule);
    d->contact = kstr_dup(r->contact);
    d->message = kstr_dup(r->message);
}

static int take(const struct reminder *r, void *ud)
{
    reminder_list_add(ud, r);
    return 0;
}

int reminder_list(struct journal *j, const struct reminder_query *q, struct reminder_list *out,
                  struct kerr *e)
{
    memset(out, 0, sizeof *out);
    int rc = reminder_each(j, q, take, out, e);
    if (rc != K_OK)
        reminder_list_clear(out);
    return rc;
}

int reminder_evaluate(struct journal *j, struct kerr *e)
{
    return eval(j, e);
}

int reminder_each_evaluated(struct journal *j, const struct reminder_query *q, reminder_cb cb,
                            void *ud, struct kerr *e)
{
    return reminder_window_evaluated(j, q, NULL, cb, ud, e);
}

int reminder_window_evaluated(struct journal *j, const struct reminder_query *q, size_t *total,
                              reminder_cb cb, void *ud, struct kerr *e)
{
    return dbreminder_window(journal_db(j), journal_today(j), q ? q->contact_id : NULL,
                             q ? q->offset : 0, q ? q->limit : 0, total, cb, ud, e);
}

int reminder_handled_evaluated(struct journal *j, size_t limit, reminder_cb cb, void *ud,
                               struct kerr *e)
{
    return dbreminder_each_handled(journal_db(j), journal_today(j), limit, cb, ud, e);
}

int reminder_restore_known(struct journal *j, const struct reminder *r, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbreminder_restore(db, r, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int reminder_count_evaluated(struct journal *j, size_t *n, struct kerr *e)
{
    return dbreminder_count(journal_db(j), journal_today(j), n, e);
}

int reminder_overdue_contacts_evaluated(struct journal *j, enum config_trigger on,
                                        reminder_contact_cb cb, void *ud, struct kerr *e)
{
    const struct config *c = journal_config(j);
    struct sbuf ords = {0};
    sbuf_add(&ords, "[");
    for (size_t i = 0; c && i < c->nrules; i++)
        if (c->rules[i].on == on)
            sbuf_printf(&ords, "%s%zu", ords.s[1] ? "," : "", i);
    sbuf_add(&ords, "]");
    int rc = dbreminder_overdue_contacts(journal_db(j), journal_today(j), ords.s, cb, ud, e);
    sbuf_free(&ords);
    return rc;
}

int reminder_count(struct journal *j, size_t *n, struct kerr *e)
{
    int rc = eval(j, e);
    if (rc != K_OK)
        return rc;
    return dbreminder_count(journal_db(j), journal_today(j), n, e);
}

/* Ids are hex; users may type them in upper case. */
static int clean_id(const char *id, char out[KREMINDER_ID_LEN + 1], struct kerr *e)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 4 || n > KREMINDER_ID_LEN || strspn(id, "0123456789abcdefABCDEF") != n) {
        char *q = kstr_escape(id);
        int rc = kerr_set(
            e, K_USAGE, "'%s' is not a reminder id (4 to 16 hex digits, as 'kith today' shows)", q);
        free(q);
        return rc;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] - 'A' + 'a' : id[i]);
    return K_OK;
}

/* Resolves against an evaluation already made. */
static int find(struct journal *j, const char *id, struct reminder *out, struct kerr *e)
{
    char prefix[KREMINDER_ID_LEN + 1];
    struct reminder_list l = {0};
    int more = 0, rc;
    memset(out, 0, sizeof *out);
    if ((rc = clean_id(id, prefix, e)) != K_OK)
        return rc;
    if ((rc = dbreminder_find(journal_db(j), prefix, 8, &l, &more, e)) != K_OK)
        goto out;
    if (l.n == 1) {
        *out = l.v[0];
        l.n = 0;
    } else if (l.n == 0) {
        rc = kerr_set(e, K_NOTFOUND,
                      "no reminder %s is due (done already, or its trigger has "
                      "cleared)",
                      prefix);
    } else {
        struct sbuf rows = {0};
        for (size_t i = 0; i < l.n; i++)
            journal_ambiguous_row(&rows, l.v[i].id, l.v[i].message);
        rc = journal_ambiguous(prefix, "reminders", "the id", &rows, more, e);
        sbuf_free(&rows);
    }
out:
    reminder_list_clear(&l);
    return rc;
}

int reminder_resolve(struct journal *j, const char *id, struct reminder *out, struct kerr *e)
{
    int rc = eval(j, e);
    if (rc != K_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return find(j, id, out, e);
}

enum change { CHANGE_DONE, CHANGE_SNOOZE };

static int set_state(struct journal *j, const struct reminder *r, enum change what, int days,
                     struct kerr *e)
{
    if (what == CHANGE_DONE)
        return dbreminder_set_done(journal_db(j), r, journal_today(j), e);
    return dbreminder_set_snoozed(journal_db(j), r, journal_today(j) + days, e);
}

static int change(struct journal *j, const char *id, enum change what, int days,
                  struct reminder *out, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct reminder r = {0};
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    /* Evaluated inside the transaction: the id names what is due now. */
    if ((rc = eval(j, e)) != K_OK || (rc = find(j, id, &r, e)) != K_OK ||
        (rc = set_state(j, &r, what, days, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        goto fail;
    if (out) {
        *out = r;
        memset(&r, 0, sizeof r);
    }
    goto out;
fail:
    db_rollback(db);
out:
    reminder_clear(&r);
    return rc;
}

static int change_known(struct journal *j, const struct reminder *r, enum change what, int days,
                        struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = set_state(j, r, what, days, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

static int check_days(int days, struct kerr *e)
{
    if (days < 1 || days > 3650)
        return kerr_set(e, K_USAGE, "snooze for 1 to 3650 days, not %d", days);
    return K_OK;
}

int reminder_done(struct journal *j, const char *id, struct reminder *out, struct kerr *e)
{
    if (out)
        memset(out, 0, sizeof *out);
    return change(j, id, CHANGE_DONE, 0, out, e);
}

int reminder_snooze(struct journal *j, const char *id, int days, struct reminder *out,
                    struct kerr *e)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (check_days(days, e) != K_OK)
        return K_USAGE;
    return change(j, id, CHANGE_SNOOZE, days, out, e);
}

int reminder_done_known(struct journal *j, const struct reminder *r, struct kerr *e)
{
    return change_known(j, r, CHANGE_DONE, 0, e);
}

int reminder_snooze_known(struct journal *j, const struct reminder *r, int days, struct kerr *e)
{
    if (check_days(days, e) != K_OK)
        return K_USAGE;
    return change_known(j, r, CHANGE_SNOOZE, days, e);
}

static int take_unnotified(const struct reminder *r, void *ud)
{
    return r->notified ? 0 : take(r, ud);
}

int reminder_notify_pending(struct journal *j, reminder_notify_fn fn, void *ud, size_t *sent,
                            struct kerr *e)
{
    struct reminder_list l = {0};
    struct db *db = journal_db(j);
    int rc, first = K_OK;
    size_t ok = 0;
    struct kerr fe;
    kerr_clear(&fe);
    /* Collected first: the notifier runs while no statement is open. */
    if ((rc = reminder_each(j, NULL, take_unnotified, &l, e)) != K_OK)
        goto out;
    for (size_t i = 0; i < l.n; i++) {
        struct kerr one;
        kerr_clear(&one);
        if (fn(&l.v[i], ud, &one) != K_OK) {
            if (first == K_OK) {
                first = one.status != K_OK ? one.status : K_ERR;
                fe = one;
            }
            continue;
        }
        if ((rc = db_begin(db, e)) != K_OK)
            goto out;
        if ((rc = dbreminder_set_notified(db, &l.v[i], e)) != K_OK ||
            (rc = db_commit(db, e)) != K_OK) {
            db_rollback(db);
            goto out;
        }
        ok++;
    }
    if (first != K_OK) {
        rc = first;
        if (e)
            *e = fe;
    }
out:
    if (sent)
        *sent = ok;
    reminder_list_clear(&l);
    return rc;
}

struct bday_ctx {
    reminder_birthday_cb cb;
    void *ud;
};

static int pass_birthday(const struct dbreminder_birthday *b, void *ud)
{
    struct bday_ctx *x = ud;
    struct reminder_birthday r;
    memcpy(r.contact_id, b->contact_id, sizeof r.contact_id);
    r.name = b->name;
    r.date = b->date;
    r.in_days = b->in_days;
    return x->cb(&r, x->ud);
}

int reminder_birthdays(struct journal *j, int within, reminder_birthday_cb cb, void *ud,
                       struct kerr *e)
{
    struct bday_ctx x = {cb, ud};
    return dbreminder_birthdays(journal_db(j), journal_today(j), within, pass_birthday, &x, e);
}

int reminder_today_json(struct journal *j, int within, char **json, struct kerr *e)
{
    char *challenge = NULL;
    *json = NULL;
    int rc = challenge_active_json(j, &challenge, e);
    if (rc == K_NOTFOUND)
        rc = K_OK;
    if (rc == K_OK && (rc = eval(j, e)) == K_OK)
        rc = dbreminder_today_json(journal_db(j), journal_today(j), within, challenge, json, e);
    free(challenge);
    return rc;
}
