/* The session extension records a merge's changes so that undo can apply
 * them backwards; its declarations need these before sqlite3.h. */
#define SQLITE_ENABLE_SESSION        1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "kith/store/dbdupes.h"

#include "db_internal.h"
#include "kith/store/dbcontact.h"
#include "kith/util/kstr.h"

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

/* LinkedIn profiles of contact c (SQL). */
/* clang-format off */
#define LINKEDIN_OF(c)                                                                             \
    "(SELECT group_concat(value, ' ')"                                                             \
    "  FROM contact_detail"                                                                        \
    "  WHERE contact_id = " c " AND type = 'link' AND value GLOB 'https://www.linkedin.com/in/*')"
/* clang-format on */

/* Contacts that share a value: (value, id, key, value as written, 1 for
 * an arrival) in order of value, then key, grouped by the caller. A
 * self-join on the value would compare every pair (SQLite builds no index
 * on a computed column for it): 20 s for 20k contacts, where sorting once
 * takes milliseconds. The arrived forms keep only the values an arrival
 * has (whole groups, so that a group's first GROUP_MAX are the same): one
 * pass over the values, and a sort of the few kept. */
/* clang-format off */
#define ARRIVED_VALUES(expr, type)                                                                 \
    " AND v IN (SELECT " expr                                                                      \
    "  FROM temp.dupes_arrived n"                                                                  \
    "  CROSS JOIN contact cn ON cn.key = n.key"                                                    \
    "  CROSS JOIN contact_detail x ON x.contact_id = cn.id AND x.type = '" type "')"
/* clang-format on */
static const struct {
    enum dbdupes_reason why;
    const char *sql, *arrived;
} grouped_sql[] = {
    /* clang-format off */
    {DBDUPES_EMAIL,
     "SELECT lower(d.value) AS v, c.id, c.key, d.value, 0"
     " FROM contact_detail d"
     " JOIN contact c ON c.id = d.contact_id"
     " WHERE d.type = 'email'"
     " ORDER BY v, c.key",
     "SELECT lower(d.value) AS v, c.id, c.key, d.value,"
     "  c.key IN (SELECT key FROM temp.dupes_arrived)"
     " FROM contact_detail d"
     " JOIN contact c ON c.id = d.contact_id"
     " WHERE d.type = 'email'"
     ARRIVED_VALUES("lower(x.value)", "email")
     " ORDER BY v, c.key"},
    {DBDUPES_PHONE,
     "SELECT kith_phone_key(d.value) AS v, c.id, c.key, d.value, 0"
     " FROM contact_detail d"
     " JOIN contact c ON c.id = d.contact_id"
     " WHERE d.type = 'phone' AND v IS NOT NULL"
     " ORDER BY v, c.key",
     "SELECT kith_phone_key(d.value) AS v, c.id, c.key, d.value,"
     "  c.key IN (SELECT key FROM temp.dupes_arrived)"
     " FROM contact_detail d"
     " JOIN contact c ON c.id = d.contact_id"
     " WHERE d.type = 'phone' AND v IS NOT NULL"
     ARRIVED_VALUES("kith_phone_key(x.value)", "phone")
     " ORDER BY v, c.key"},
    /* clang-format on */
};

/* Two contacts at the same company (SQL, for a and b). */
/* clang-format off */
#define SAME_COMPANY(a, b)                                                                         \
    "(" a ".company IS NOT NULL AND " b ".company IS NOT NULL"                                     \
    "  AND kith_casefold(trim(" a ".company)) = kith_casefold(trim(" b ".company)))"
/* The arrived form: from each arrival to the other contacts with its name
 * (another arrival only from the older of the two: each pair once), older
 * first. */
#define ARRIVED_NAMES(company)                                                                     \
    "SELECT CASE WHEN o.key < n.key THEN o.id ELSE n.id END,"                                      \
    "  CASE WHEN o.key < n.key THEN n.id ELSE o.id END,"                                           \
    "  CASE WHEN o.key < n.key THEN o.name ELSE n.name END"                                        \
    " FROM temp.dupes_arrived a"                                                                   \
    " CROSS JOIN contact n ON n.key = a.key"                                                       \
    " CROSS JOIN contact o ON o.name_fold = n.name_fold AND o.key <> n.key"                        \
    " WHERE (o.key > n.key OR o.key NOT IN (SELECT key FROM temp.dupes_arrived))"                  \
    "  AND " company SAME_COMPANY("n", "o")                                                        \
    " ORDER BY min(o.key, n.key), max(o.key, n.key)"
/* clang-format on */

/* Pairs of contacts with the same name (the index on name_fold). */
static const struct {
    enum dbdupes_reason why;
    const char *sql, *arrived;
} pair_sql[] = {
    /* clang-format off */
    {DBDUPES_NAME_COMPANY,
     "SELECT ca.id, cb.id, ca.name"
     " FROM contact ca"
     " JOIN contact cb ON cb.name_fold = ca.name_fold AND cb.key > ca.key"
     " WHERE " SAME_COMPANY("ca", "cb")
     " ORDER BY ca.key, cb.key",
     ARRIVED_NAMES("")},
    {DBDUPES_NAME,
     "SELECT ca.id, cb.id, ca.name"
     " FROM contact ca"
     " JOIN contact cb ON cb.name_fold = ca.name_fold AND cb.key > ca.key"
     " WHERE NOT " SAME_COMPANY("ca", "cb")
     " ORDER BY ca.key, cb.key",
     ARRIVED_NAMES("NOT ")},
    /* clang-format on */
};

/* A value shared by more contacts than this (a company's front desk, a
 * team's list) says little about any two of them: only its first this
 * many are paired. */
#define GROUP_MAX 32

struct group {
    char *v;
    char ids[GROUP_MAX][KID_LEN + 1];
    char *shown[GROUP_MAX];
    int arrived[GROUP_MAX];
    int with_arrival; /* only pairs that hold an arrival */
    size_t n;
};

static int flush_group(struct group *g, enum dbdupes_reason why, dbdupes_pair_cb cb, void *ud)
{
    int stop = 0, with = g->with_arrival;
    for (size_t i = 0; cb && !stop && i < g->n; i++)
        for (size_t k = i + 1; !stop && k < g->n; k++)
            if (strcmp(g->ids[i], g->ids[k]) && (!with || g->arrived[i] || g->arrived[k]))
                stop = cb(g->ids[i], g->ids[k], why, g->shown[i], ud);
    for (size_t i = 0; i < g->n; i++)
        free(g->shown[i]);
    free(g->v);
    memset(g, 0, sizeof *g);
    g->with_arrival = with;
    return stop;
}

static int run_grouped(struct db *db, enum dbdupes_reason why, const char *sql, int arrived,
                       dbdupes_pair_cb cb, void *ud, struct kerr *e)
{
    sqlite3_stmt *st = prepare(db, sql, e);
    struct group g;
    int s, rc = K_OK, stop = 0;
    if (!st)
        return K_ERR;
    memset(&g, 0, sizeof g);
    g.with_arrival = arrived;
    while (!stop && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (!v)
            continue;
        if (g.v && strcmp(g.v, v))
            stop = flush_group(&g, why, cb, ud);
        if (!g.v)
            g.v = kstr_dup(v);
        if (g.n < GROUP_MAX) {
            db_col_id(st, 1, g.ids[g.n]);
            g.arrived[g.n] = sqlite3_column_int(st, 4);
            g.shown[g.n++] = db_col_text(st, 3);
        }
    }
    if (!stop)
        stop = flush_group(&g, why, cb, ud);
    else
        flush_group(&g, why, NULL, NULL);
    if (!stop && s != SQLITE_DONE)
        rc = db_fail(db, e, "looking for duplicates");
    sqlite3_finalize(st);
    return rc;
}

int dbdupes_same(struct db *db, int arrived, dbdupes_pair_cb cb, void *ud, struct kerr *e)
{
    int rc = K_OK;
    for (size_t i = 0; rc == K_OK && i < sizeof grouped_sql / sizeof grouped_sql[0]; i++)
        rc = run_grouped(db, grouped_sql[i].why,
                         arrived ? grouped_sql[i].arrived : grouped_sql[i].sql, arrived, cb, ud, e);
    for (size_t i = 0; rc == K_OK && i < sizeof pair_sql / sizeof pair_sql[0]; i++) {
        sqlite3_stmt *st = prepare(db, arrived ? pair_sql[i].arrived : pair_sql[i].sql, e);
        if (!st)
            return K_ERR;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (cb((const char *)sqlite3_column_text(st, 0),
                   (const char *)sqlite3_column_text(st, 1), pair_sql[i].why,
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

/* Every contact with its block (the first or last word of its name), and
 * 1 for an arrival; the arrived forms keep only the blocks of arrivals
 * (whole, so that a block's first members are the same). */
/* clang-format off */
#define NAMES_SQL(last, flag, where)                                                               \
    "SELECT id, key, name_fold, kith_name_word(name_fold, " last ") AS b, " flag                  \
    " FROM contact"                                                                                \
    where                                                                                          \
    " ORDER BY b, key"
#define ARRIVED_BLOCKS(last)                                                                       \
    " WHERE b IN (SELECT kith_name_word(cn.name_fold, " last ")"                                   \
    "  FROM temp.dupes_arrived n"                                                                  \
    "  CROSS JOIN contact cn ON cn.key = n.key)"
#define IS_ARRIVAL "key IN (SELECT key FROM temp.dupes_arrived)"
/* clang-format on */

int dbdupes_names(struct db *db, int last, int arrived, dbdupes_name_cb cb, void *ud,
                  struct kerr *e)
{
    static const char *const sql[2][2] = {
        {NAMES_SQL("0", "0", ""), NAMES_SQL("1", "0", "")},
        {NAMES_SQL("0", IS_ARRIVAL, ARRIVED_BLOCKS("0")),
         NAMES_SQL("1", IS_ARRIVAL, ARRIVED_BLOCKS("1"))},
    };
    sqlite3_stmt *st = prepare(db, sql[arrived != 0][last != 0], e);
    if (!st)
        return K_ERR;
    int s, rc = K_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *b = (const char *)sqlite3_column_text(st, 3);
        if (cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
               (const char *)sqlite3_column_text(st, 2), b ? b : "", sqlite3_column_int(st, 4), ud))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "looking for duplicates");
    sqlite3_finalize(st);
    return rc;
}

/* The arrivals: a temp table (the journal's own file never holds them)
 * that a temp trigger fills. Applying a sync inserts contacts through SQL
 * like any other insert, so the trigger sees every one; a file whose apply
 * rolls back takes its arrivals with it. A contact deleted here that comes
 * back (kept elsewhere against the delete: a merge's, most often) was
 * here before, as was the one it was merged into: not an arrival (its
 * clock still says deleted as the apply inserts it). */
int dbdupes_arrivals_begin(struct db *db, struct kerr *e)
{
    if (sqlite3_exec(db->h,
                     /* clang-format off */
                     "CREATE TEMP TABLE IF NOT EXISTS dupes_arrived ("
                     " key INTEGER PRIMARY KEY);"
                     "DELETE FROM temp.dupes_arrived;"
                     "CREATE TEMP TRIGGER IF NOT EXISTS dupes_arrival"
                     " AFTER INSERT ON main.contact"
                     " WHEN NOT EXISTS (SELECT 1"
                     "  FROM main.sync_clock"
                     "  WHERE tbl = 'contact' AND pk = new.id AND alive = 0)"
                     " BEGIN"
                     "  INSERT OR IGNORE INTO dupes_arrived(key) VALUES (new.key);"
                     " END",
                     /* clang-format on */
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "watching for contacts that arrive");
    return K_OK;
}

void dbdupes_arrivals_end(struct db *db)
{
    sqlite3_exec(db->h,
                 "DROP TRIGGER IF EXISTS temp.dupes_arrival;"
                 "DROP TABLE IF EXISTS temp.dupes_arrived",
                 NULL, NULL, NULL);
}

int dbdupes_arrivals(struct db *db, size_t *n, int *others, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = prepare(db,
        "SELECT (SELECT count(*)"
        "   FROM temp.dupes_arrived a"
        "   CROSS JOIN contact c ON c.key = a.key),"
        "  EXISTS (SELECT 1"
        "   FROM contact"
        "   WHERE key NOT IN (SELECT key FROM temp.dupes_arrived))",
        e);
    /* clang-format on */
    int rc = K_OK;
    if (!st)
        return K_ERR;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = (size_t)sqlite3_column_int64(st, 0);
        *others = sqlite3_column_int(st, 1);
    } else {
        rc = db_fail(db, e, "looking for duplicates");
    }
    sqlite3_finalize(st);
    return rc;
}

int dbdupes_name(struct db *db, const char *id, char **name, struct kerr *e)
{
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
    int s = sqlite3_step(st), rc = K_OK;
    if (s == SQLITE_ROW)
        *name = db_col_text(st, 0);
    else
        rc = s == SQLITE_DONE ? kerr_set(e, K_NOTFOUND, "no such contact")
                              : db_fail(db, e, "reading a contact");
    sqlite3_reset(st);
    return rc;
}

int dbdupes_distinct(struct db *db, const char *a, const char *b, int *out, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " LINKEDIN_OF(":a") " IS NOT NULL"
        "  AND " LINKEDIN_OF(":b") " IS NOT NULL"
        "  AND NOT EXISTS (SELECT 1"
        "   FROM contact_detail x"
        "   JOIN contact_detail y ON y.contact_id = :b AND y.type = 'link' AND y.value = x.value"
        "   WHERE x.contact_id = :a AND x.type = 'link'"
        "    AND x.value GLOB 'https://www.linkedin.com/in/*')",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":a"), a);
    db_bind_text(st, db_param(st, ":b"), b);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        rc = db_fail(db, e, "reading two contacts");
    sqlite3_reset(st);
    return rc;
}

/* Runs sql with :other and, where it has it, :keep; adds the rows changed
 * to *n. */
static int run2(struct db *db, const char *sql, const char *keep, const char *other, size_t *n,
                struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    int i = sqlite3_bind_parameter_index(st, ":keep");
    if (i)
        db_bind_text(st, i, keep);
    db_bind_text(st, db_param(st, ":other"), other);
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
    /* clang-format off */
    if (run2(db,
            "UPDATE OR IGNORE interaction_contact"
            " SET contact_key = " KEY_OF(":keep")
            " WHERE contact_key = " KEY_OF(":other"),
            keep, other, &m->interactions, e) != K_OK ||
        run2(db,
            "DELETE FROM interaction_contact"
            " WHERE contact_key = " KEY_OF(":other"),
            keep, other, NULL, e) != K_OK ||
        run2(db,
            "UPDATE referral"
            " SET referrer_id = :keep"
            " WHERE referrer_id = :other",
            keep, other, &m->referrals, e) != K_OK ||
        run2(db,
            "UPDATE referral"
            " SET target_contact_id = :keep"
            " WHERE target_contact_id = :other",
            keep, other, &m->referrals, e) != K_OK ||
        run2(db,
            "UPDATE thanks"
            " SET contact_id = :keep"
            " WHERE contact_id = :other",
            keep, other, &m->thanks, e) != K_OK ||
        run2(db,
            "UPDATE OR IGNORE reminder_state"
            " SET subject = :keep"
            " WHERE subject = :other",
            keep, other, NULL, e) != K_OK ||
        run2(db,
            "DELETE FROM reminder_state"
            " WHERE subject = :other",
            keep, other, NULL, e) != K_OK)
        return K_ERR;
    size_t gone = 0;
    if (run2(db,
            "DELETE FROM contact"
            " WHERE id = :other",
            keep, other, &gone, e) != K_OK)
        return K_ERR;
    /* clang-format on */
    if (!gone)
        return kerr_set(e, K_NOTFOUND, "no such contact");
    return K_OK;
}
