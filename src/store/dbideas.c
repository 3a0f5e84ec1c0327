#include "kith/store/dbideas.h"

#include "db_internal.h"
#include "kith/store/dbsummary.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* The columns of a struct dbideas_who, in this order, for a contact
 * aliased c with its last interaction as last: id, name, last, since. */
#define WHO_COLS "c.id, c.name, last, coalesce(last, c.met_on, substr(c.created_at, 1, 10))"
/* A contact's last interaction, from its summary row (kept by triggers). */
#define LAST_OF_C "(SELECT s.last FROM contact_summary s WHERE s.contact_key = c.key)"

static void read_who(sqlite3_stmt *st, int i, struct dbideas_who *w)
{
    db_col_id(st, i, w->id);
    w->name = (const char *)sqlite3_column_text(st, i + 1);
    w->last = db_col_date(st, i + 2);
    w->since = db_col_date(st, i + 3);
}

static void bind_limit(sqlite3_stmt *st, size_t limit)
{
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
}

struct ask_ctx {
    dbideas_ask_cb cb;
    void *ud;
};

static int ask_row(sqlite3_stmt *st, void *ud)
{
    struct ask_ctx *x = ud;
    struct dbideas_ask a;
    memset(&a, 0, sizeof a);
    read_who(st, 0, &a.who);
    db_col_id(st, 4, a.interaction);
    a.date = db_col_date(st, 5);
    a.kind = (const char *)sqlite3_column_text(st, 6);
    a.summary = (const char *)sqlite3_column_text(st, 7);
    return x->cb(&a, x->ud);
}

int dbideas_asks_unanswered(struct db *db, const char *kinds, int from, int to, size_t limit,
                            dbideas_ask_cb cb, void *ud, struct kerr *e)
{
    /* Driven by the contacts whose last interaction is in the window, in
     * that order (the summary's index by last interaction): an ask is
     * unanswered when it is on its contact's last day. From the
     * interactions in the window instead, every ask of the year was
     * joined to its contacts and sorted: 0.6-0.9 s at 1M interactions,
     * against a few ms. */
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT c.id, c.name, cs.last, cs.last, i.id, i.date, i.kind, i.summary"
        " FROM contact_summary cs INDEXED BY contact_summary_silent"
        " CROSS JOIN interaction_contact ic"
        "  ON ic.contact_key = cs.contact_key AND ic.date = cs.last"
        " CROSS JOIN interaction i ON i.id = ic.interaction_id"
        " CROSS JOIN contact c ON c.key = cs.contact_key"
        " WHERE cs.last BETWEEN :from AND :to AND cs.archived = 0"
        "   AND ic.direction = 'asked' AND instr(:kinds, ',' || ic.kind || ',') > 0"
        "   AND i.direction = 'asked' AND i.kind = ic.kind"
        " ORDER BY cs.last, i.id, c.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":from"), from);
    db_bind_date(st, db_param(st, ":to"), to);
    db_bind_text(st, db_param(st, ":kinds"), kinds);
    bind_limit(st, limit);
    struct ask_ctx x = {cb, ud};
    return db_each(db, st, ask_row, &x, "looking for asks to report back on", e);
}

struct silent_ctx {
    dbideas_silent_cb cb;
    void *ud;
};

static int silent_row(sqlite3_stmt *st, void *ud)
{
    struct silent_ctx *x = ud;
    struct dbideas_who w;
    read_who(st, 0, &w);
    return x->cb(&w, sqlite3_column_int(st, 4), x->ud);
}

int dbideas_past_cadence(struct db *db, int today, size_t limit, dbideas_silent_cb cb, void *ud,
                         struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " WHO_COLS ", c.cadence_days"
        " FROM ("
        " SELECT c.*, " LAST_OF_C " AS last"
        " FROM contact c"
        " WHERE c.archived = 0 AND c.cadence_days IS NOT NULL) AS c"
        " WHERE julianday(:today) - julianday(coalesce(last, c.met_on,"
        "   substr(c.created_at, 1, 10))) >= c.cadence_days"
        " ORDER BY (julianday(:today) - julianday(coalesce(last, c.met_on,"
        "   substr(c.created_at, 1, 10)))) / c.cadence_days DESC, c.name_fold, c.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    bind_limit(st, limit);
    struct silent_ctx x = {cb, ud};
    return db_each(db, st, silent_row, &x, "looking for contacts to reconnect with", e);
}

int dbideas_tag_silent(struct db *db, const char *tag, int days, int today, size_t limit,
                       dbideas_silent_cb cb, void *ud, struct kerr *e)
{
    /* The silent are the contacts whose last interaction is at least days
     * ago, taken in that order from the summary's index by last
     * interaction until limit of them have the tag, and those never
     * talked to (the index's NULLs), since they met or were added. From
     * the tag instead SQLite read every live contact to find the tag's
     * (0.6-0.8 s at 100k contacts). */
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    char cut[KDATE_BUF];
    kdate_format(today - days, cut);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, name, last, since, :days FROM ("
        " SELECT c.id, c.name, NULL AS last,"
        "  coalesce(c.met_on, substr(c.created_at, 1, 10)) AS since, cs.name_fold AS nf"
        " FROM contact_summary cs INDEXED BY contact_summary_silent"
        " CROSS JOIN contact c ON c.key = cs.contact_key"
        " WHERE cs.last IS NULL AND cs.archived = 0 AND c.cadence_days IS NULL"
        "  AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = cs.id AND t.tag = :tag)"
        "  AND julianday(:today) - julianday(coalesce(c.met_on,"
        "   substr(c.created_at, 1, 10))) >= :days"
        " UNION ALL"
        " SELECT * FROM (SELECT c.id, c.name, cs.last, cs.last, cs.name_fold"
        " FROM contact_summary cs INDEXED BY contact_summary_silent"
        " CROSS JOIN contact c ON c.key = cs.contact_key"
        " WHERE cs.last <= :cut AND cs.archived = 0 AND c.cadence_days IS NULL"
        "  AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = cs.id AND t.tag = :tag)"
        "  AND julianday(:today) - julianday(cs.last) >= :days"
        " ORDER BY cs.last, cs.name_fold, cs.id LIMIT :limit))"
        " ORDER BY since, nf, id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int(st, db_param(st, ":days"), days);
    db_bind_text(st, db_param(st, ":cut"), cut);
    db_bind_text(st, db_param(st, ":tag"), tag);
    db_bind_date(st, db_param(st, ":today"), today);
    bind_limit(st, limit);
    struct silent_ctx x = {cb, ud};
    return db_each(db, st, silent_row, &x, "looking for contacts to reconnect with", e);
}

struct owing_ctx {
    dbideas_owing_cb cb;
    void *ud;
};

static int owing_row(sqlite3_stmt *st, void *ud)
{
    struct owing_ctx *x = ud;
    struct dbideas_who w;
    read_who(st, 0, &w);
    return x->cb(&w, sqlite3_column_int(st, 4), sqlite3_column_int(st, 5), db_col_date(st, 6),
                 x->ud);
}

int dbideas_owing(struct db *db, int from, size_t limit, dbideas_owing_cb cb, void *ud,
                  struct kerr *e)
{
    /* The balances below zero are a range of the summary's goodwill index;
     * of those, the contacts asked of since from (an index range each). */
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " WHO_COLS ", gw,"
        " (SELECT count(*) FROM interaction_contact x WHERE x.contact_key = c.key"
        "   AND x.direction = 'asked' AND x.date > coalesce(last_gave, '')),"
        " last_gave"
        " FROM ("
        " SELECT c.*, cs.last AS last, cs.goodwill AS gw,"
        "  (SELECT max(x.date) FROM interaction_contact x WHERE x.contact_key = c.key"
        "   AND x.direction = 'gave') AS last_gave"
        " FROM contact_summary cs"
        " CROSS JOIN contact c ON c.key = cs.contact_key"
        " WHERE cs.goodwill < 0 AND cs.archived = 0"
        "   AND EXISTS (SELECT 1 FROM interaction_contact a WHERE a.contact_key = cs.contact_key"
        "     AND a.date >= :from AND a.direction = 'asked')) AS c"
        " ORDER BY gw, c.name_fold, c.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":from"), from);
    bind_limit(st, limit);
    struct owing_ctx x = {cb, ud};
    return db_each(db, st, owing_row, &x, "looking for balances to mend", e);
}

struct giver_ctx {
    dbideas_giver_cb cb;
    void *ud;
};

static int giver_row(sqlite3_stmt *st, void *ud)
{
    struct giver_ctx *x = ud;
    struct dbideas_giver g;
    db_col_id(st, 0, g.id);
    g.name = (const char *)sqlite3_column_text(st, 1);
    g.needs = (const char *)sqlite3_column_text(st, 2);
    g.offers = (const char *)sqlite3_column_text(st, 3);
    g.working_on = (const char *)sqlite3_column_text(st, 4);
    g.tags = (const char *)sqlite3_column_text(st, 5);
    return x->cb(&g, x->ud);
}

#define GIVER_COLS                                                                                 \
    "c.id, c.name, c.needs, c.offers, c.working_on,"                                               \
    " (SELECT group_concat(s, ',') FROM (SELECT coalesce(t.spelling, t.tag) AS s"                  \
    "  FROM contact_tag t WHERE t.contact_id = c.id ORDER BY t.tag))"

int dbideas_with_needs(struct db *db, size_t limit, dbideas_giver_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " GIVER_COLS
        " FROM contact c"
        " WHERE c.needs IS NOT NULL AND c.archived = 0"
        " ORDER BY c.updated_at DESC, c.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    bind_limit(st, limit);
    struct giver_ctx x = {cb, ud};
    return db_each(db, st, giver_row, &x, "reading what contacts need", e);
}

int dbideas_candidates(struct db *db, const char *fts, const char *tags, const char *but,
                       size_t limit, dbideas_giver_cb cb, void *ud, struct kerr *e)
{
    struct giver_ctx x = {cb, ud};
    int rc = K_OK;
    if (fts && *fts) {
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "SELECT " GIVER_COLS
            " FROM contact_fts f"
            " CROSS JOIN contact c ON c.rowid = f.rowid"
            " WHERE contact_fts MATCH :fts AND c.archived = 0 AND c.id <> :but"
            " ORDER BY f.rank"
            " LIMIT :limit",
            e);
        /* clang-format on */
        if (!st)
            return K_ERR;
        db_bind_text(st, db_param(st, ":fts"), fts);
        db_bind_text(st, db_param(st, ":but"), but);
        bind_limit(st, limit);
        rc = db_each(db, st, giver_row, &x, "looking for who could help", e);
    }
    /* Each pattern is an index range of tags (CROSS JOIN: left to
     * itself, SQLite walks every live contact in name order instead). */
    for (const char *p = tags; rc == K_OK && p && *p;) {
        size_t len = strcspn(p, ",");
        if (len) {
            char *pat = kstr_ndup(p, len);
            /* clang-format off */
            sqlite3_stmt *st = db_stmt(db,
                "SELECT " GIVER_COLS
                " FROM contact_tag g"
                " CROSS JOIN contact c ON c.id = g.contact_id"
                " WHERE g.tag GLOB :pat AND c.archived = 0 AND c.id <> :but"
                " ORDER BY c.name_fold, c.id"
                " LIMIT :limit",
                e);
            /* clang-format on */
            if (!st) {
                free(pat);
                return K_ERR;
            }
            db_bind_text(st, db_param(st, ":pat"), pat);
            db_bind_text(st, db_param(st, ":but"), but);
            bind_limit(st, limit);
            rc = db_each(db, st, giver_row, &x, "looking for who could help", e);
            free(pat);
        }
        p += len + (p[len] == ',');
    }
    return rc;
}

int dbideas_done(struct db *db, const char *a, const char *b, const char *kind, const char *dir,
                 int since, int *yes, struct kerr *e)
{
    *yes = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT EXISTS (SELECT 1 FROM interaction_contact x"
        " WHERE x.contact_key = (SELECT key FROM contact WHERE id = :a)"
        "   AND x.date >= coalesce(:since, '')"
        "   AND (:kind IS NULL OR x.kind = :kind)"
        "   AND (:dir IS NULL OR x.direction = :dir)"
        "   AND (:b IS NULL OR EXISTS (SELECT 1 FROM interaction_contact y"
        "        WHERE y.interaction_id = x.interaction_id"
        "          AND y.contact_key = (SELECT key FROM contact WHERE id = :b))))",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":a"), a);
    db_bind_date(st, db_param(st, ":since"), since);
    db_bind_text(st, db_param(st, ":kind"), kind);
    db_bind_text(st, db_param(st, ":dir"), dir);
    db_bind_text(st, db_param(st, ":b"), b);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *yes = sqlite3_column_int(st, 0);
    else
        rc = db_fail(db, e, "reading interactions");
    sqlite3_reset(st);
    return rc;
}
