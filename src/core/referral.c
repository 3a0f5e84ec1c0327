#include "kith/core/referral.h"

#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbreferral.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trims surrounding white space; NULL when nothing is left. */
static char *clean(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    return n ? kstr_ndup(s, n) : NULL;
}

static int refuse_future(struct journal *j, const char *what, int date, struct kerr *e)
{
    char d[KDATE_BUF], t[KDATE_BUF];
    if (date <= journal_today(j))
        return K_OK;
    return kerr_set_field(e, K_USAGE, "date", "%s date %s is in the future (today is %s)", what,
                          kdate_format(date, d), kdate_format(journal_today(j), t));
}

/* Describes r in one line for messages listing candidates. */
static void describe(struct journal *j, struct sbuf *b, const struct referral *r)
{
    char sid[KID_LEN + 1], d[KDATE_BUF];
    char *by = kstr_escape(r->referrer.name);
    char *to = kstr_escape(r->target_text);
    journal_short_id(j, "referral", r->id, sid);
    sbuf_printf(b, "\n  %s  %s  %s -> %s", sid, kdate_format(r->date, d), by, to);
    free(by);
    free(to);
}

/* Makes r (its date set) grow out of the referral parent_id, which must
 * not be dated after it. */
static int grow_from(struct db *db, const char *parent_id, struct referral *r, struct kerr *e)
{
    struct referral parent = {0};
    char d1[KDATE_BUF], d2[KDATE_BUF];
    int rc = dbreferral_get(db, parent_id, &parent, e);
    if (rc != K_OK) {
        if (rc == K_NOTFOUND)
            kerr_set_field(e, rc, "parent", "the referral it grew out of is not in the journal");
        goto out;
    }
    if (parent.date > r->date) {
        rc = kerr_set_field(e, K_USAGE, "parent",
                            "a referral on %s cannot grow out of a later one (dated %s)",
                            kdate_format(r->date, d1), kdate_format(parent.date, d2));
        goto out;
    }
    memcpy(r->parent, parent.id, sizeof r->parent);
out:
    referral_clear(&parent);
    return rc;
}

int referral_add(struct journal *j, const struct referral_input *in, char id[KID_LEN + 1],
                 struct kerr *e)
{
    struct db *db = journal_db(j);
    struct referral r = {0};
    int rc = K_OK, began = 0;
    char *text = NULL;

    if (!in->referrer_id || !*in->referrer_id) {
        rc = kerr_set_field(e, K_USAGE, "referrer", "a referral needs the contact who made it");
        goto out;
    }
    if ((rc = check_text("target", in->target_text, CHECK_SHORT_MAX, e)) != K_OK ||
        (rc = check_text("note", in->note, CHECK_LONG_MAX, e)) != K_OK)
        goto out;
    text = clean(in->target_text);
    int has_contact = in->target_id && *in->target_id;
    if (has_contact == (text != NULL)) {
        rc = kerr_set_field(e, K_USAGE, "target",
                            has_contact ? "a referral goes to a contact or to a text, not both"
                                        : "a referral needs a target: a contact or a text");
        goto out;
    }
    r.kind = kstr_dup(in->kind ? in->kind : "intro");
    if ((rc = check_word("kind", r.kind, e)) != K_OK)
        goto out;
    r.date = in->date == KDATE_NONE ? journal_today(j) : in->date;
    if ((rc = refuse_future(j, "the referral's", r.date, e)) != K_OK)
        goto out;
    r.note = in->note && *in->note ? kstr_dup(in->note) : NULL;

    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    snprintf(r.referrer.id, sizeof r.referrer.id, "%s", in->referrer_id);
    if ((rc = dbreferral_contact_name(db, in->referrer_id, &r.referrer.name, e)) != K_OK) {
        if (rc == K_NOTFOUND)
            kerr_set_field(e, rc, "referrer", "the referrer is not in the journal");
        goto out;
    }
    if (has_contact) {
        if (!strcmp(in->target_id, in->referrer_id)) {
            rc = kerr_set_field(e, K_USAGE, "target", "a referral's target cannot be its referrer");
            goto out;
        }
        snprintf(r.target.id, sizeof r.target.id, "%s", in->target_id);
        if ((rc = dbreferral_contact_name(db, in->target_id, &r.target_text, e)) != K_OK) {
            if (rc == K_NOTFOUND)
                kerr_set_field(e, rc, "target", "the referral's target is not in the journal");
            goto out;
        }
    } else {
        r.target_text = text;
        text = NULL;
    }
    if (in->parent_id && *in->parent_id && (rc = grow_from(db, in->parent_id, &r, e)) != K_OK)
        goto out;
    db_new_id(r.id);
    if ((rc = dbreferral_insert(db, &r, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
    memcpy(id, r.id, KID_LEN + 1);
out:
    if (began)
        db_rollback(db);
    free(text);
    referral_clear(&r);
    return rc;
}

int referral_resolve(struct journal *j, const char *prefix, char id[KID_LEN + 1], struct kerr *e)
{
    struct referral_list m = {0};
    char low[KID_LEN + 1];
    int more = 0, rc = K_OK;
    size_t n = prefix ? strlen(prefix) : 0;

    if (n == 0) {
        rc = kerr_set(e, K_USAGE, "no referral given");
        goto out;
    }
    for (size_t i = 0; i < n && i < KID_LEN; i++)
        low[i] = (char)tolower((unsigned char)prefix[i]);
    low[n < KID_LEN ? n : KID_LEN] = '\0';
    if (n > KID_LEN || strspn(low, "0123456789abcdef") != n) {
        char *q = kstr_escape(prefix);
        rc = kerr_set(e, K_USAGE, "'%s' is not a referral id", q);
        free(q);
        goto out;
    }
    if (n < 4) {
        rc = kerr_set(e, K_USAGE, "'%s' is too short: give at least 4 characters of the id", low);
        goto out;
    }
    if ((rc = dbreferral_find(journal_db(j), low, 10, &m, &more, e)) != K_OK)
        goto out;
    if (m.n == 1) {
        memcpy(id, m.v[0].id, KID_LEN + 1);
    } else if (m.n == 0) {
        rc = kerr_set(e, K_NOTFOUND, "no referral has an id starting with '%s'", low);
    } else {
        struct sbuf rows = {0};
        char shown[KID_LEN + 3];
        snprintf(shown, sizeof shown, "'%s'", low);
        for (size_t i = 0; i < m.n; i++)
            describe(j, &rows, &m.v[i]);
        rc = journal_ambiguous(shown, "referrals", "the id", &rows, more, e);
        sbuf_free(&rows);
    }
out:
    referral_list_clear(&m);
    return rc;
}

int referral_set_outcome(struct journal *j, const char *id, enum koutcome outcome, int date,
                         const char *note, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct referral r = {0};
    char ev[KID_LEN + 1], d1[KDATE_BUF], d2[KDATE_BUF];
    int rc, began = 0;

    if ((unsigned)outcome >= KOUT_COUNT) {
        rc = kerr_set_field(e, K_USAGE, "outcome", "unknown outcome");
        goto out;
    }
    if ((rc = check_text("note", note, CHECK_LONG_MAX, e)) != K_OK)
        goto out;
    if (date == KDATE_NONE)
        date = journal_today(j);
    if ((rc = refuse_future(j, "the outcome's", date, e)) != K_OK)
        goto out;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = dbreferral_get(db, id, &r, e)) != K_OK)
        goto out;
    if (date < r.date) {
        rc = kerr_set_field(e, K_USAGE, "date", "the outcome's date %s is before the referral (%s)",
                            kdate_format(date, d1), kdate_format(r.date, d2));
        goto out;
    }
    db_new_id(ev);
    if ((rc = dbreferral_add_event(db, ev, id, outcome, date, note && *note ? note : NULL, e)) !=
            K_OK ||
        (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
out:
    if (began)
        db_rollback(db);
    referral_clear(&r);
    return rc;
}

int referral_set_parent(struct journal *j, const char *id, const char *parent_id, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct referral r = {0}, p = {0};
    char d1[KDATE_BUF], d2[KDATE_BUF];
    int rc, began = 0, cycle = 0;

    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = dbreferral_get(db, id, &r, e)) != K_OK)
        goto out;
    if (parent_id && *parent_id) {
        if ((rc = dbreferral_get(db, parent_id, &p, e)) != K_OK) {
            if (rc == K_NOTFOUND)
                kerr_set_field(e, rc, "parent",
                               "the referral it grew out of is not in the journal");
            goto out;
        }
        /* id must not already be on the parent's own trail. */
        if ((rc = dbreferral_has_ancestor(db, parent_id, id, &cycle, e)) != K_OK)
            goto out;
        if (cycle) {
            rc = kerr_set_field(e, K_USAGE, "parent",
                                "that would make a loop: the referral is already on the trail that "
                                "led to the one given as where it grew from");
            goto out;
        }
        if (p.date > r.date) {
            rc = kerr_set_field(e, K_USAGE, "parent",
                                "a referral on %s cannot grow out of a later one (dated %s)",
                                kdate_format(r.date, d1), kdate_format(p.date, d2));
            goto out;
        }
    }
    if ((rc = dbreferral_set_parent(db, id, parent_id && *parent_id ? parent_id : NULL, e)) !=
            K_OK ||
        (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
out:
    if (began)
        db_rollback(db);
    referral_clear(&r);
    referral_clear(&p);
    return rc;
}

int referral_delete(struct journal *j, const char *id, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbreferral_delete(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int referral_events(struct journal *j, const char *id, struct referral_events *out, struct kerr *e)
{
    return dbreferral_events(journal_db(j), id, out, e);
}

int referral_get(struct journal *j, const char *id, struct referral *out, struct kerr *e)
{
    return dbreferral_get(journal_db(j), id, out, e);
}

static const struct referral_query all_referrals = {0};

int referral_list(struct journal *j, const struct referral_query *q, struct referral_list *out,
                  struct kerr *e)
{
    return dbreferral_list(journal_db(j), q ? q : &all_referrals, out, e);
}

int referral_count(struct journal *j, const struct referral_query *q, size_t *n, struct kerr *e)
{
    return dbreferral_count(journal_db(j), q ? q : &all_referrals, n, e);
}

int referral_each_json(struct journal *j, const struct referral_query *q, journal_json_cb cb,
                       void *ud, struct kerr *e)
{
    return dbreferral_each_json(journal_db(j), q ? q : &all_referrals, cb, ud, e);
}

int referral_trail(struct journal *j, const char *id, struct referral_list *out, struct kerr *e)
{
    int rc = dbreferral_trail(journal_db(j), id, out, e);
    if (rc == K_OK && out->n == 0)
        rc = kerr_set(e, K_NOTFOUND, "no such referral");
    return rc;
}

int referral_trail_each_json(struct journal *j, const char *id, journal_json_cb cb, void *ud,
                             struct kerr *e)
{
    struct referral r = {0};
    int rc = dbreferral_get(journal_db(j), id, &r, e);
    referral_clear(&r);
    if (rc == K_OK)
        rc = dbreferral_trail_each_json(journal_db(j), id, cb, ud, e);
    return rc;
}

int referral_oldest_unthanked(struct journal *j, const char *contact_id, char id[KID_LEN + 1],
                              struct kerr *e)
{
    int rc = dbreferral_oldest_unthanked(journal_db(j), contact_id, id, e);
    if (rc == K_NOTFOUND)
        kerr_set(e, rc, "no unthanked referral from this contact");
    return rc;
}
