#include "kith/store/dbreferral.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <string.h>

/* The thank-yous that count for referral r: to its referrer, and for it or
 * dated on or after it; two of one day go by id, the same on every
 * machine (a rowid is each journal's own). Two branches so that each is an index lookup
 * (thanks_by_contact, thanks_by_referral) rather than a scan with OR. */
/* clang-format off */
#define REF_THANKS_SRC                                                                             \
    "SELECT t.form, t.date, t.id AS trid"                                                          \
    " FROM thanks t"                                                                               \
    " WHERE t.contact_id = r.referrer_id AND t.date >= r.date"                                     \
    " UNION ALL"                                                                                   \
    " SELECT t.form, t.date, t.id"                                                                 \
    " FROM thanks t"                                                                               \
    " WHERE t.referral_id = r.id AND t.contact_id = r.referrer_id"

/* Referral rows with their derived thanked state and outcome date. */
#define REF_BASE                                                                                   \
    "SELECT r.rowid AS rid, r.id, r.referrer_id, r.target_contact_id, r.target_text, r.kind,"      \
    "  r.date, r.outcome, r.parent_id, r.note,"                                                    \
    "  (SELECT min(date) FROM (" REF_THANKS_SRC ")) AS thanked_on,"                                \
    "  (SELECT form FROM (" REF_THANKS_SRC ") ORDER BY date, trid LIMIT 1) AS thanked_form,"       \
    "  (SELECT max(ev.date) FROM referral_event ev WHERE ev.referral_id = r.id) AS outcome_on"     \
    " FROM referral r"

#define REF_FROM                                                                                   \
    " FROM (" REF_BASE ") AS x"                                                                    \
    " JOIN contact rc ON rc.id = x.referrer_id"                                                    \
    " LEFT JOIN contact tc ON tc.id = x.target_contact_id"

/* Columns in the order read_row expects. */
#define REF_COLS                                                                                   \
    "SELECT x.id, x.referrer_id, rc.name, x.target_contact_id,"                                    \
    "  coalesce(tc.name, x.target_text), x.kind, x.date, x.outcome, x.outcome_on, x.parent_id,"    \
    "  x.note, x.thanked_on, x.thanked_form"

#define REF_JSON                                                                                   \
    "SELECT json_object('id', x.id, 'referrer', rc.name, 'referrer_id', x.referrer_id,"            \
    "  'target', coalesce(tc.name, x.target_text), 'target_id', x.target_contact_id,"              \
    "  'kind', x.kind, 'date', x.date, 'outcome', x.outcome,"                                      \
    "  'thanked', json(CASE WHEN x.thanked_on IS NULL THEN 'false' ELSE 'true' END),"              \
    "  'thanked_on', x.thanked_on, 'thanked_form', x.thanked_form, 'parent', x.parent_id,"         \
    "  'note', x.note)"

/* Parameters :unthanked, :referrer and :involving (bind_query). */
#define REF_WHERE_Q                                                                                \
    " WHERE (:unthanked = 0 OR x.thanked_on IS NULL)"                                              \
    "  AND (:referrer IS NULL OR x.referrer_id = :referrer)"                                       \
    "  AND (:involving IS NULL OR x.referrer_id = :involving OR x.target_contact_id = :involving)"

#define REF_ORDER                                                                                  \
    " ORDER BY x.thanked_on IS NOT NULL, x.date, x.rid"                                            \
    " LIMIT :limit OFFSET :offset"

/* The ids up the chain from :id with their distance from it. The path
 * guards against a cycle that a merge of two journals could bring in. */
#define REF_UP_CTE                                                                                 \
    "WITH RECURSIVE up(id, depth, path) AS ("                                                      \
    "  SELECT :id, 0, :id"                                                                         \
    "  UNION ALL"                                                                                  \
    "  SELECT r.parent_id, up.depth + 1, up.path || ' ' || r.parent_id"                            \
    "  FROM up"                                                                                    \
    "  JOIN referral r ON r.id = up.id"                                                            \
    "  WHERE r.parent_id IS NOT NULL AND instr(up.path, r.parent_id) = 0) "
/* clang-format on */

static void read_row(sqlite3_stmt *st, struct referral *r)
{
    memset(r, 0, sizeof *r);
    db_col_id(st, 0, r->id);
    db_col_id(st, 1, r->referrer.id);
    r->referrer.name = db_col_text(st, 2);
    db_col_id(st, 3, r->target.id);
    r->target_text = db_col_text(st, 4);
    if (r->target.id[0])
        r->target.name = kstr_dup(r->target_text);
    r->kind = db_col_text(st, 5);
    r->date = db_col_date(st, 6);
    const char *o = (const char *)sqlite3_column_text(st, 7);
    if (!o || koutcome_parse(o, &r->outcome) != 0)
        r->outcome = KOUT_PENDING;
    r->outcome_on = db_col_date(st, 8);
    db_col_id(st, 9, r->parent);
    r->note = db_col_text(st, 10);
    r->thanked_on = db_col_date(st, 11);
    r->thanked = r->thanked_on != KDATE_NONE;
    r->thanked_form = db_col_text(st, 12);
}

/* Steps st to the end, appending each row to out; resets st. */
static int collect(struct db *db, sqlite3_stmt *st, size_t max, struct referral_list *out,
                   int *more, struct kerr *e)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n >= max) {
            if (more)
                *more = 1;
            break;
        }
        out->v = kgrowarray(out->v, out->n, sizeof *out->v);
        read_row(st, &out->v[out->n++]);
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        referral_list_clear(out);
        return db_fail(db, e, "reading referrals");
    }
    return K_OK;
}

static int stream_json(struct db *db, sqlite3_stmt *st, kjson_cb cb, void *ud, struct kerr *e)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    int rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading referrals");
    sqlite3_reset(st);
    return rc;
}

static void bind_query(sqlite3_stmt *st, const struct referral_query *q, int window)
{
    sqlite3_bind_int(st, db_param(st, ":unthanked"), q->unthanked_only ? 1 : 0);
    db_bind_text(st, db_param(st, ":referrer"), q->referrer_id);
    db_bind_text(st, db_param(st, ":involving"), q->involving_id);
    if (window) {
        sqlite3_bind_int64(st, db_param(st, ":limit"), q->limit ? (sqlite3_int64)q->limit : -1);
        sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)q->offset);
    }
}

int dbreferral_insert(struct db *db, const struct referral *r, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO referral(id, referrer_id, target_contact_id, target_text, kind, date, outcome,"
        "  parent_id, note)"
        " VALUES (:id, :referrer, :target, :target_text, :kind, :date, 'pending', :parent, :note)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), r->id);
    db_bind_text(st, db_param(st, ":referrer"), r->referrer.id);
    db_bind_text(st, db_param(st, ":target"), r->target.id[0] ? r->target.id : NULL);
    db_bind_text(st, db_param(st, ":target_text"), r->target_text);
    db_bind_text(st, db_param(st, ":kind"), r->kind);
    db_bind_date(st, db_param(st, ":date"), r->date);
    db_bind_text(st, db_param(st, ":parent"), r->parent[0] ? r->parent : NULL);
    db_bind_text(st, db_param(st, ":note"), r->note);
    return db_step_done(db, st, e);
}

int dbreferral_contact_name(struct db *db, const char *id, char **name, struct kerr *e)
{
    *name = NULL;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT name"
        " FROM contact"
        " WHERE id = ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    int s = sqlite3_step(st);
    int rc = K_OK;
    if (s == SQLITE_ROW)
        *name = db_col_text(st, 0);
    else if (s == SQLITE_DONE)
        rc = kerr_set(e, K_NOTFOUND, "no such contact");
    else
        rc = db_fail(db, e, "reading a contact");
    sqlite3_reset(st);
    return rc;
}

int dbreferral_get(struct db *db, const char *id, struct referral *out, struct kerr *e)
{
    struct referral_list l = {0};
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        REF_COLS
        REF_FROM
        " WHERE x.id = ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    int rc = collect(db, st, 1, &l, NULL, e);
    if (rc == K_OK && l.n == 0)
        rc = kerr_set(e, K_NOTFOUND, "no such referral");
    if (rc == K_OK) {
        *out = l.v[0];
        l.n = 0;
    }
    referral_list_clear(&l);
    return rc;
}

int dbreferral_find(struct db *db, const char *prefix, size_t max, struct referral_list *out,
                    int *more, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    *more = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        REF_COLS
        REF_FROM
        " WHERE x.id >= ?1 AND x.id < ?1 || 'g'"
        " ORDER BY x.id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, prefix);
    return collect(db, st, max, out, more, e);
}

int dbreferral_list(struct db *db, const struct referral_query *q, struct referral_list *out,
                    struct kerr *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, REF_COLS REF_FROM REF_WHERE_Q REF_ORDER, e);
    if (!st)
        return K_ERR;
    bind_query(st, q, 1);
    return collect(db, st, (size_t)-1, out, NULL, e);
}

int dbreferral_each_json(struct db *db, const struct referral_query *q, kjson_cb cb, void *ud,
                         struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, REF_JSON REF_FROM REF_WHERE_Q REF_ORDER, e);
    if (!st)
        return K_ERR;
    bind_query(st, q, 1);
    return stream_json(db, st, cb, ud, e);
}

int dbreferral_count(struct db *db, const struct referral_query *q, size_t *n, struct kerr *e)
{
    *n = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*)" REF_FROM REF_WHERE_Q, e);
    if (!st)
        return K_ERR;
    bind_query(st, q, 0);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "counting referrals");
    sqlite3_reset(st);
    return rc;
}

int dbreferral_trail(struct db *db, const char *id, struct referral_list *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        REF_UP_CTE
        REF_COLS
        REF_FROM
        " JOIN up ON up.id = x.id"
        " ORDER BY up.depth DESC",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    return collect(db, st, (size_t)-1, out, NULL, e);
}

int dbreferral_trail_each_json(struct db *db, const char *id, kjson_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        REF_UP_CTE
        REF_JSON
        REF_FROM
        " JOIN up ON up.id = x.id"
        " ORDER BY up.depth DESC",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    return stream_json(db, st, cb, ud, e);
}

int dbreferral_has_ancestor(struct db *db, const char *id, const char *ancestor, int *found,
                            struct kerr *e)
{
    *found = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        REF_UP_CTE
        "SELECT count(*)"
        " FROM up"
        " WHERE id = :ancestor",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    db_bind_text(st, db_param(st, ":ancestor"), ancestor);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *found = sqlite3_column_int(st, 0) > 0;
    else
        rc = db_fail(db, e, "reading referrals");
    sqlite3_reset(st);
    return rc;
}

int dbreferral_set_parent(struct db *db, const char *id, const char *parent_id, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE referral"
        " SET parent_id = :parent"
        " WHERE id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    db_bind_text(st, db_param(st, ":parent"), parent_id);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    if (sqlite3_changes(db->h) == 0)
        return kerr_set(e, K_NOTFOUND, "no such referral");
    return K_OK;
}

int dbreferral_add_event(struct db *db, const char *event_id, const char *referral_id,
                         enum koutcome outcome, int date, const char *note, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO referral_event(id, referral_id, date, outcome, note)"
        " VALUES (:id, :referral, :date, :outcome, :note)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), event_id);
    db_bind_text(st, db_param(st, ":referral"), referral_id);
    db_bind_date(st, db_param(st, ":date"), date);
    db_bind_text(st, db_param(st, ":outcome"), koutcome_name(outcome));
    db_bind_text(st, db_param(st, ":note"), note);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    return db_run_text(db,
        "UPDATE referral"
        " SET outcome = (SELECT ev.outcome"
        "  FROM referral_event ev"
        "  WHERE ev.referral_id = ?1"
        "  ORDER BY ev.date DESC, ev.rowid DESC"
        "  LIMIT 1)"
        " WHERE id = ?1",
        referral_id, e);
    /* clang-format on */
}

int dbreferral_events(struct db *db, const char *id, struct referral_events *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, date, outcome, note"
        " FROM referral_event"
        " WHERE referral_id = :referral"
        " ORDER BY date, created_at, id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":referral"), id);
    int s;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->v = kreallocarray(out->v, cap, sizeof *out->v);
        }
        struct referral_event *ev = &out->v[out->n++];
        memset(ev, 0, sizeof *ev);
        db_col_id(st, 0, ev->id);
        ev->date = db_col_date(st, 1);
        const unsigned char *o = sqlite3_column_text(st, 2);
        if (!o || koutcome_parse((const char *)o, &ev->outcome) != 0)
            ev->outcome = KOUT_PENDING;
        ev->note = db_col_text(st, 3);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        referral_events_clear(out);
        return db_fail(db, e, "reading a referral's outcomes");
    }
    return K_OK;
}

int dbreferral_delete(struct db *db, const char *id, struct kerr *e)
{
    /* nullif: a child that is also the parent (a cycle) gets no parent
     * rather than itself. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE referral"
        " SET parent_id = nullif((SELECT p.parent_id FROM referral p WHERE p.id = ?1), referral.id)"
        " WHERE parent_id = ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    if (db_run_text(db,
            "DELETE FROM referral"
            " WHERE id = ?1",
            id, e) != K_OK)
        return K_ERR;
    /* clang-format on */
    if (sqlite3_changes(db->h) == 0)
        return kerr_set(e, K_NOTFOUND, "no such referral");
    return K_OK;
}

int dbreferral_oldest_unthanked(struct db *db, const char *contact_id, char id[KID_LEN + 1],
                                struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT x.id"
        " FROM (" REF_BASE ") AS x"
        " WHERE x.referrer_id = ?1 AND x.thanked_on IS NULL"
        " ORDER BY x.date, x.rid"
        " LIMIT 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, contact_id);
    int s = sqlite3_step(st);
    int rc = K_OK;
    if (s == SQLITE_ROW)
        db_col_id(st, 0, id);
    else if (s == SQLITE_DONE)
        rc = K_NOTFOUND;
    else
        rc = db_fail(db, e, "reading referrals");
    sqlite3_reset(st);
    return rc;
}
