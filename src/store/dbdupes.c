/* The session extension records a merge's changes so that undo can apply
 * them backwards; its declarations need these before sqlite3.h. */
#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "kith/dbdupes.h"

#include "db_internal.h"
#include "kith/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A statement of its own: the callbacks may use the journal. */
static sqlite3_stmt *prepare(struct db *db, const char *sql, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(db, e, "looking for duplicates");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Pairs (a, b, detail) with a added before b; LinkedIn profiles that
 * differ keep a pair out. */
#define LINKEDIN_OF(c)                                                                             \
    "(SELECT group_concat(value, ' ') FROM contact_detail WHERE contact_id = " c                   \
    " AND type = 'link' AND value GLOB 'https://www.linkedin.com/in/*')"
#define NOT_TWO_PROFILES                                                                           \
    " AND NOT (" LINKEDIN_OF("ca.id") " IS NOT NULL AND " LINKEDIN_OF(                             \
        "cb.id") " IS NOT NULL"                                                                    \
                 " AND NOT EXISTS (SELECT 1 FROM contact_detail x JOIN contact_detail y"           \
                 "  ON y.contact_id = cb.id AND y.type = 'link' AND y.value = x.value"             \
                 "  WHERE x.contact_id = ca.id AND x.type = 'link'"                                \
                 "  AND x.value GLOB 'https://www.linkedin.com/in/*'))"

static const struct {
    enum dbdupes_reason why;
    const char *sql;
} same_sql[] = {
    {DBDUPES_EMAIL,
     "WITH e AS (SELECT contact_id AS id, lower(value) AS v FROM contact_detail"
     " WHERE type = 'email')"
     " SELECT ca.id, cb.id, min(a.v) FROM e a JOIN e b ON b.v = a.v AND b.id <> a.id"
     " JOIN contact ca ON ca.id = a.id JOIN contact cb ON cb.id = b.id AND cb.key > ca.key"
     " WHERE 1" NOT_TWO_PROFILES " GROUP BY ca.id, cb.id ORDER BY ca.key, cb.key"},
    {DBDUPES_PHONE,
     "WITH p AS (SELECT contact_id AS id, kith_phone_key(value) AS v, value FROM contact_detail"
     " WHERE type = 'phone' AND kith_phone_key(value) IS NOT NULL)"
     " SELECT ca.id, cb.id, min(a.value) FROM p a JOIN p b ON b.v = a.v AND b.id <> a.id"
     " JOIN contact ca ON ca.id = a.id JOIN contact cb ON cb.id = b.id AND cb.key > ca.key"
     " WHERE 1" NOT_TWO_PROFILES " GROUP BY ca.id, cb.id ORDER BY ca.key, cb.key"},
    {DBDUPES_NAME_COMPANY,
     "SELECT ca.id, cb.id, ca.name FROM contact ca JOIN contact cb"
     " ON cb.name_fold = ca.name_fold AND cb.key > ca.key"
     " WHERE ca.company IS NOT NULL AND cb.company IS NOT NULL"
     " AND kith_casefold(trim(ca.company)) = kith_casefold(trim(cb.company))" NOT_TWO_PROFILES
     " ORDER BY ca.key, cb.key"},
    {DBDUPES_NAME,
     "SELECT ca.id, cb.id, ca.name FROM contact ca JOIN contact cb"
     " ON cb.name_fold = ca.name_fold AND cb.key > ca.key"
     " WHERE NOT (ca.company IS NOT NULL AND cb.company IS NOT NULL"
     " AND kith_casefold(trim(ca.company)) = kith_casefold(trim(cb.company)))" NOT_TWO_PROFILES
     " ORDER BY ca.key, cb.key"},
};

int dbdupes_same(struct db *db, dbdupes_pair_cb cb, void *ud, struct kerr *e)
{
    int rc = K_OK;
    for (size_t i = 0; rc == K_OK && i < sizeof same_sql / sizeof same_sql[0]; i++) {
        sqlite3_stmt *st = prepare(db, same_sql[i].sql, e);
        if (!st)
            return K_ERR;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (cb((const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1), same_sql[i].why,
                   (const char *)sqlite3_column_text(st, 2), ud))
                break;
        }
        if (s != SQLITE_ROW && s != SQLITE_DONE)
            rc = db_fail(db, e, "looking for duplicates");
        sqlite3_finalize(st);
        if (s == SQLITE_ROW)
            break;
    }
    return rc;
}

int dbdupes_names(struct db *db, int last, dbdupes_name_cb cb, void *ud, struct kerr *e)
{
    sqlite3_stmt *st = prepare(db,
                               last ? "SELECT id, key, name_fold, kith_name_word(name_fold, 1) AS b"
                                      " FROM contact ORDER BY b, key"
                                    : "SELECT id, key, name_fold, kith_name_word(name_fold, 0) AS b"
                                      " FROM contact ORDER BY b, key",
                               e);
    if (!st)
        return K_ERR;
    int s, rc = K_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *b = (const char *)sqlite3_column_text(st, 3);
        if (cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
               (const char *)sqlite3_column_text(st, 2), b ? b : "", ud))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "looking for duplicates");
    sqlite3_finalize(st);
    return rc;
}

int dbdupes_distinct(struct db *db, const char *a, const char *b, int *out, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db,
                               "SELECT " LINKEDIN_OF("?1") " IS NOT NULL AND " LINKEDIN_OF(
                                   "?2") " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                                         " contact_detail x JOIN contact_detail y ON y.contact_id"
                                         " = ?2 AND y.type = 'link' AND y.value = x.value WHERE"
                                         " x.contact_id = ?1 AND x.type = 'link' AND x.value"
                                         " GLOB 'https://www.linkedin.com/in/*')",
                               e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, a);
    db_bind_text(st, 2, b);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        rc = db_fail(db, e, "reading two contacts");
    sqlite3_reset(st);
    return rc;
}

/* Runs sql with ?1 keep and ?2 other; adds the rows changed to *n. */
static int run2(struct db *db, const char *sql, const char *keep, const char *other, size_t *n,
                struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, keep);
    db_bind_text(st, 2, other);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    if (n)
        *n += (size_t)sqlite3_changes(db->h);
    return K_OK;
}

#define KEY_OF(p) "(SELECT key FROM contact WHERE id = " p ")"

int dbdupes_move(struct db *db, const char *keep, const char *other, struct dbdupes_moved *m,
                 struct kerr *e)
{
    memset(m, 0, sizeof *m);
    /* An interaction with both stays once, with keep. */
    if (run2(db,
             "UPDATE OR IGNORE interaction_contact SET contact_key = " KEY_OF(
                 "?1") " WHERE contact_key = " KEY_OF("?2"),
             keep, other, &m->interactions, e) != K_OK ||
        run2(db, "DELETE FROM interaction_contact WHERE contact_key = " KEY_OF("?2"), keep, other,
             NULL, e) != K_OK ||
        run2(db, "UPDATE referral SET referrer_id = ?1 WHERE referrer_id = ?2", keep, other,
             &m->referrals, e) != K_OK ||
        run2(db, "UPDATE referral SET target_contact_id = ?1 WHERE target_contact_id = ?2", keep,
             other, &m->referrals, e) != K_OK ||
        run2(db, "UPDATE thanks SET contact_id = ?1 WHERE contact_id = ?2", keep, other, &m->thanks,
             e) != K_OK ||
        run2(db, "UPDATE OR IGNORE reminder_state SET subject = ?1 WHERE subject = ?2", keep, other,
             NULL, e) != K_OK ||
        run2(db, "DELETE FROM reminder_state WHERE subject = ?2", keep, other, NULL, e) != K_OK)
        return K_ERR;
    size_t gone = 0;
    if (run2(db, "DELETE FROM contact WHERE id = ?2", keep, other, &gone, e) != K_OK)
        return K_ERR;
    if (!gone)
        return kerr_set(e, K_NOTFOUND, "no such contact");
    return K_OK;
}

/* The tables a merge changes: the contacts, their own rows, and what
 * refers to them. */
static const char *const recorded[] = {
    "contact",         "contact_detail", "contact_tag",   "contact_nickname",    "contact_uid",
    "contact_address", "contact_event",  "contact_vcard", "interaction_contact", "referral",
    "thanks",          "reminder_state",
};

void dbdupes_forget(struct db *db)
{
    sqlite3_free(db->merge_undo);
    db->merge_undo = NULL;
    db->merge_undo_n = 0;
    if (db->last_undo == DB_UNDO_MERGE)
        db->last_undo = DB_UNDO_NONE;
}

int dbdupes_record(struct db *db, struct kerr *e)
{
    sqlite3_session *s = NULL;
    if (sqlite3session_create(db->h, "main", &s) != SQLITE_OK)
        return db_fail(db, e, "preparing undo");
    for (size_t i = 0; i < sizeof recorded / sizeof recorded[0]; i++) {
        if (sqlite3session_attach(s, recorded[i]) != SQLITE_OK) {
            sqlite3session_delete(s);
            return db_fail(db, e, "preparing undo");
        }
    }
    db->session = s;
    return K_OK;
}

void dbdupes_recorded(struct db *db, int ok, const char *other)
{
    sqlite3_session *s = db->session;
    if (!s)
        return;
    db->session = NULL;
    if (ok) {
        int n = 0;
        void *p = NULL;
        if (sqlite3session_changeset(s, &n, &p) == SQLITE_OK) {
            dbdupes_forget(db);
            db->merge_undo = p;
            db->merge_undo_n = n;
            snprintf(db->merge_other, sizeof db->merge_other, "%s", other);
            db->last_undo = DB_UNDO_MERGE;
        }
    }
    sqlite3session_delete(s);
}

int dbdupes_can_undo(const struct db *db)
{
    return db->last_undo == DB_UNDO_MERGE && db->merge_undo;
}

/* Any change that no longer finds what the merge left: stop. */
static int conflict(void *ud, int why, sqlite3_changeset_iter *it)
{
    (void)it;
    *(int *)ud = why;
    return SQLITE_CHANGESET_ABORT;
}

int dbdupes_undo(struct db *db, char id[KID_LEN + 1], struct kerr *e)
{
    if (!dbdupes_can_undo(db))
        return kerr_set(e, K_NOTFOUND, "nothing to undo");
    int n = 0, why = 0;
    void *inv = NULL;
    if (sqlite3changeset_invert(db->merge_undo_n, db->merge_undo, &n, &inv) != SQLITE_OK)
        return db_fail(db, e, "undoing the merge");
    int s = sqlite3changeset_apply(db->h, n, inv, NULL, conflict, &why);
    sqlite3_free(inv);
    if (s == SQLITE_ABORT || why)
        return kerr_set(e, K_EXISTS,
                        "the merged contacts have changed since; the merge cannot be undone");
    if (s != SQLITE_OK)
        return db_fail(db, e, "undoing the merge");
    memcpy(id, db->merge_other, KID_LEN + 1);
    return K_OK;
}
