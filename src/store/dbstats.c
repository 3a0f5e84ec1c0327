#include "kith/store/dbstats.h"

#include "db_internal.h"
#include "kith/util/kdate.h"

#include <string.h>

#define COUNTING "counting for the stats"

struct count_ctx {
    dbstats_count_cb cb;
    void *ud;
};

static int count_row(sqlite3_stmt *st, void *ud)
{
    struct count_ctx *x = ud;
    return x->cb(db_col_date(st, 0), sqlite3_column_int(st, 1), x->ud);
}

/* The Monday on or before date column d. */
#define MONDAY(d) "date(" d ", '-' || ((strftime('%w', " d ") + 6) % 7) || ' days')"

int dbstats_acts_by_week(struct db *db, int since, int until, dbstats_count_cb cb, void *ud,
                         struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " MONDAY("d") " AS week, count(*) FROM ("
        " SELECT date AS d FROM interaction WHERE date BETWEEN :since AND :until"
        " UNION ALL SELECT date FROM forward WHERE date BETWEEN :since AND :until"
        " UNION ALL SELECT date FROM thanks WHERE date BETWEEN :since AND :until)"
        " GROUP BY week"
        " ORDER BY week",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":since"), since);
    db_bind_date(st, db_param(st, ":until"), until);
    struct count_ctx x = {cb, ud};
    return db_each(db, st, count_row, &x, COUNTING, e);
}

struct month_ctx {
    dbstats_month_cb cb;
    void *ud;
};

static int month_row(sqlite3_stmt *st, void *ud)
{
    struct month_ctx *x = ud;
    return x->cb(db_col_date(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                 sqlite3_column_int(st, 3), sqlite3_column_int(st, 4), x->ud);
}

int dbstats_by_month(struct db *db, int since, int until, dbstats_month_cb cb, void *ud,
                     struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT substr(d, 1, 7) || '-01' AS month,"
        " sum(dir = 'gave'), sum(dir = 'asked'), sum(dir = 'mutual'), sum(dir = 'forward')"
        " FROM ("
        " SELECT date AS d, direction AS dir FROM interaction"
        "  WHERE date BETWEEN :since AND :until"
        " UNION ALL SELECT date, 'forward' FROM forward WHERE date BETWEEN :since AND :until)"
        " GROUP BY month"
        " ORDER BY month",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":since"), since);
    db_bind_date(st, db_param(st, ":until"), until);
    struct month_ctx x = {cb, ud};
    return db_each(db, st, month_row, &x, COUNTING, e);
}

struct referral_ctx {
    dbstats_referral_cb cb;
    void *ud;
};

static int referral_row(sqlite3_stmt *st, void *ud)
{
    struct referral_ctx *x = ud;
    int latency = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
    return x->cb((const char *)sqlite3_column_text(st, 0), latency, x->ud);
}

int dbstats_referrals(struct db *db, int since, int until, dbstats_referral_cb cb, void *ud,
                      struct kerr *e)
{
    /* The thank-you that counts: one for the referral, or any to the
     * referrer on or after its date (the journal's rule); the first. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT r.outcome,"
        " (SELECT CAST(julianday(min(t.date)) - julianday(r.date) AS INTEGER)"
        "  FROM thanks t"
        "  WHERE t.contact_id = r.referrer_id"
        "    AND (t.referral_id = r.id OR t.date >= r.date))"
        " FROM referral r"
        " WHERE r.date BETWEEN :since AND :until"
        " ORDER BY r.date, r.id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":since"), since);
    db_bind_date(st, db_param(st, ":until"), until);
    struct referral_ctx x = {cb, ud};
    return db_each(db, st, referral_row, &x, COUNTING, e);
}

struct referrer_ctx {
    dbstats_referrer_cb cb;
    void *ud;
};

static int referrer_row(sqlite3_stmt *st, void *ud)
{
    struct referrer_ctx *x = ud;
    return x->cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                 sqlite3_column_int(st, 2), sqlite3_column_int(st, 3), x->ud);
}

int dbstats_referrers(struct db *db, int since, int until, size_t limit, dbstats_referrer_cb cb,
                      void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT c.id, c.name, count(*) AS n,"
        " sum(r.outcome IN ('offer', 'hired', 'won')) AS won"
        " FROM referral r"
        " JOIN contact c ON c.id = r.referrer_id"
        " WHERE r.date BETWEEN :since AND :until"
        " GROUP BY c.id"
        " ORDER BY n DESC, won DESC, c.name_fold, c.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":since"), since);
    db_bind_date(st, db_param(st, ":until"), until);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    struct referrer_ctx x = {cb, ud};
    return db_each(db, st, referrer_row, &x, COUNTING, e);
}

int dbstats_contact_months(struct db *db, const char *contact_id, int since, dbstats_count_cb cb,
                           void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT substr(date, 1, 7) || '-01' AS month, count(*)"
        " FROM interaction_contact"
        " WHERE contact_key = (SELECT key FROM contact WHERE id = :id)"
        "  AND date >= :since"
        " GROUP BY month"
        " ORDER BY month",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), contact_id);
    db_bind_date(st, db_param(st, ":since"), since);
    struct count_ctx x = {cb, ud};
    return db_each(db, st, count_row, &x, COUNTING, e);
}
