#include "kith/store/dbsummary.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* One stored weight. */
struct weight_row {
    char *kind;
    int dir; /* 0 gave, 1 asked, 2 mutual */
    int w;
};

static int cmp_row(const void *x, const void *y)
{
    const struct weight_row *a = x, *b = y;
    int c = strcmp(a->kind, b->kind);
    return c ? c : a->dir - b->dir;
}

static void rows_free(struct weight_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].kind);
    free(v);
}

/* The connection's weights as rows: "*" (always) and each kind, three
 * directions each, sorted. */
static struct weight_row *own_rows(const struct db *db, size_t *n)
{
    struct weight_row *v = kcalloc(3 * (db->wn + 1), sizeof *v);
    size_t k = 0;
    for (int d = 0; d < 3; d++)
        v[k++] = (struct weight_row){kstr_dup("*"), d, db->wany[d]};
    for (size_t i = 0; i < db->wn; i++)
        for (int d = 0; d < 3; d++)
            v[k++] = (struct weight_row){kstr_dup(db->wv[i].kind), d, db->wv[i].w[d]};
    qsort(v, k, sizeof *v, cmp_row);
    *n = k;
    return v;
}

static int dir_index(const char *d)
{
    enum kdir k;
    return kdir_parse(d, &k) ? -1 : (int)k;
}

/* The weight the stored rows v give kind in direction d, as the triggers
 * weigh (DB_WEIGHT_OF). */
static int stored_w(const struct weight_row *v, size_t n, const char *kind, int d)
{
    const struct weight_row *any = NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i].dir != d)
            continue;
        if (!strcmp(v[i].kind, kind))
            return v[i].w;
        if (!strcmp(v[i].kind, "*"))
            any = &v[i];
    }
    return any ? any->w : 0;
}

/* Whether the journal's weights (main.goodwill_weight) weigh every kind
 * and direction as the connection's do: *same is 1 when they do. */
static int stored_same(struct db *db, int *same, struct kerr *e)
{
    size_t n = 0, cap = 0;
    struct weight_row *v = NULL;
    int rc = K_OK, s;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT kind, direction, w"
        " FROM main.goodwill_weight",
        e);
    /* clang-format on */
    *same = 0;
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        const char *dir = (const char *)sqlite3_column_text(st, 1);
        int d = dir ? dir_index(dir) : -1;
        if (!kind || d < 0)
            continue; /* weighs nothing the triggers look up */
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            v = krealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct weight_row){kstr_dup(kind), d, sqlite3_column_int(st, 2)};
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rc = db_fail(db, e, "reading the goodwill weights");
        goto out;
    }
    /* Every kind either side names, and any other (the "*" weights). */
    *same = 1;
    for (int d = 0; d < 3; d++) {
        *same &= stored_w(v, n, "*", d) == db->wany[d];
        for (size_t i = 0; i < n; i++)
            *same &= v[i].dir != d ||
                     v[i].w == db_weight_of(db, v[i].kind, strlen(v[i].kind), kdir_names[d]) ||
                     !strcmp(v[i].kind, "*");
        for (size_t i = 0; i < db->wn; i++)
            *same &= stored_w(v, n, db->wv[i].kind, d) == db->wv[i].w[d];
    }
out:
    rows_free(v, n);
    return rc;
}

/* Writes the connection's weights into the table W (emptied first). */
static int write_weights(struct db *db, const char *w_table, struct kerr *e)
{
    size_t n;
    struct weight_row *own = own_rows(db, &n);
    char *sql = sqlite3_mprintf("DELETE FROM %s", w_table);
    int rc = sql && sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK
                 ? K_OK
                 : db_fail(db, e, "storing the goodwill weights");
    sqlite3_free(sql);
    /* clang-format off */
    sql = sqlite3_mprintf(
        "INSERT INTO %s(kind, direction, w)"
        " VALUES (:kind, :direction, :w)",
        w_table);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    if (rc == K_OK && (!sql || sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK))
        rc = db_fail(db, e, "storing the goodwill weights");
    for (size_t i = 0; rc == K_OK && i < n; i++) {
        sqlite3_reset(st);
        db_bind_text(st, db_param(st, ":kind"), own[i].kind);
        db_bind_text(st, db_param(st, ":direction"), kdir_names[own[i].dir]);
        sqlite3_bind_int(st, db_param(st, ":w"), own[i].w);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_fail(db, e, "storing the goodwill weights");
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    rows_free(own, n);
    return rc;
}

static int exec(struct db *db, const char *sql, const char *doing, struct kerr *e)
{
    return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? K_OK : db_fail(db, e, doing);
}

/* The journal's weights become the connection's and every balance is
 * weighed again, in one transaction. */
static int reweigh(struct db *db, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    if ((rc = write_weights(db, "main.goodwill_weight", e)) == K_OK)
        rc = exec(db,
            "UPDATE main.contact_summary AS s SET goodwill = coalesce(g.w, 0)"
            " FROM (SELECT c.key, (SELECT sum(" DB_WEIGHT_OF("x", "main.goodwill_weight") ")"
            "  FROM interaction_contact x WHERE x.contact_key = c.key) AS w FROM contact c) g"
            " WHERE g.key = s.contact_key AND s.goodwill IS NOT coalesce(g.w, 0)",
            "weighing goodwill again", e);
    /* clang-format on */
    if (rc == K_OK)
        rc = db_commit(db, e);
    if (rc != K_OK)
        db_rollback(db);
    return rc;
}

/* Drops the read-only journal's temporary copy, if any. */
static void drop_shadow(struct db *db)
{
    if (db->summary_shadow)
        sqlite3_exec(db->h,
                     "DROP TABLE IF EXISTS temp.contact_summary;"
                     "DROP TABLE IF EXISTS temp.goodwill_weight",
                     NULL, NULL, NULL);
    db->summary_shadow = 0;
}

/* A read-only journal whose weights are not the connection's: a
 * temporary copy of the summary weighed with the connection's, which
 * every unqualified read of contact_summary finds first. */
static int build_shadow(struct db *db, struct kerr *e)
{
    drop_shadow(db);
    db->summary_shadow = 1;
    /* clang-format off */
    int rc = exec(db,
        "CREATE TEMP TABLE goodwill_weight ("
        " kind TEXT NOT NULL, direction TEXT NOT NULL, w INTEGER NOT NULL,"
        " PRIMARY KEY (kind, direction)) WITHOUT ROWID;"
        DB_SUMMARY_TABLE("temp.contact_summary"),
        "weighing goodwill", e);
    if (rc == K_OK)
        rc = write_weights(db, "temp.goodwill_weight", e);
    if (rc == K_OK)
        rc = exec(db,
            DB_SUMMARY_FILL("temp.contact_summary", "temp.goodwill_weight")
            DB_SUMMARY_INDEXES("temp.", "contact_summary")
            DB_SUMMARY_LAST_INDEXES("temp.", "contact_summary")
            DB_SUMMARY_NAME("temp.", "contact_summary")
            DB_SUMMARY_GOODWILL_INDEX("temp.", "contact_summary"),
            "weighing goodwill", e);
    /* clang-format on */
    if (rc != K_OK)
        drop_shadow(db);
    return rc;
}

int dbsummary_ready(struct db *db, struct kerr *e)
{
    long long dv = db_data_version(db);
    int same, rc;
    if (db->summary_ok && db->summary_weights == db->weights && db->summary_dv == dv)
        return K_OK;
    if ((rc = stored_same(db, &same, e)) != K_OK)
        return rc;
    if (same)
        drop_shadow(db);
    else if (db->readonly)
        rc = build_shadow(db, e);
    else
        rc = reweigh(db, e);
    if (rc != K_OK)
        return rc;
    db->summary_ok = 1;
    db->summary_weights = db->weights;
    db->summary_dv = dv;
    return K_OK;
}

int dbsummary_check(struct db *db, int repair, struct dbsummary_report *out, struct kerr *e)
{
    int rc, same = 1, began = 0;
    memset(out, 0, sizeof *out);
    if ((rc = stored_same(db, &same, e)) != K_OK)
        return rc;
    out->weights = !same;
    if (repair && (rc = db_begin(db, e)) != K_OK)
        return rc;
    began = repair;
    if (repair && !same)
        rc = write_weights(db, "main.goodwill_weight", e);
    /* What the interactions and the journal's weights give, beside what
     * the summary holds. */
    /* clang-format off */
    if (rc == K_OK)
        rc = exec(db,
            "DROP TABLE IF EXISTS temp.summary_expected;"
            DB_SUMMARY_TABLE("temp.summary_expected")
            DB_SUMMARY_FILL("temp.summary_expected", "main.goodwill_weight")
            DB_SUMMARY_NAME("temp.", "summary_expected"),
            "checking the summary", e);
    sqlite3_stmt *st = rc == K_OK ? db_stmt(db,
        "SELECT (SELECT count(*) FROM main.contact),"
        " (SELECT count(*) FROM (SELECT * FROM temp.summary_expected"
        "  EXCEPT SELECT * FROM main.contact_summary) d"
        "  WHERE d.contact_key IN (SELECT contact_key FROM main.contact_summary)),"
        " (SELECT count(*) FROM temp.summary_expected x WHERE NOT EXISTS"
        "  (SELECT 1 FROM main.contact_summary s WHERE s.contact_key = x.contact_key)),"
        " (SELECT count(*) FROM main.contact_summary s WHERE NOT EXISTS"
        "  (SELECT 1 FROM temp.summary_expected x WHERE x.contact_key = s.contact_key))", e)
        : NULL;
    /* clang-format on */
    if (rc == K_OK && !st)
        rc = K_ERR;
    if (rc == K_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            out->contacts = (size_t)sqlite3_column_int64(st, 0);
            out->wrong = (size_t)sqlite3_column_int64(st, 1);
            out->missing = (size_t)sqlite3_column_int64(st, 2);
            out->extra = (size_t)sqlite3_column_int64(st, 3);
        } else {
            rc = db_fail(db, e, "checking the summary");
        }
        sqlite3_reset(st);
    }
    if (rc == K_OK && repair && (out->wrong || out->missing || out->extra))
        rc = exec(db,
                  "DELETE FROM main.contact_summary;"
                  "INSERT INTO main.contact_summary SELECT * FROM temp.summary_expected",
                  "rebuilding the summary", e);
    sqlite3_exec(db->h, "DROP TABLE IF EXISTS temp.summary_expected", NULL, NULL, NULL);
    if (began) {
        if (rc == K_OK)
            rc = db_commit(db, e);
        if (rc != K_OK)
            db_rollback(db);
    }
    if (rc == K_OK && repair) {
        db->summary_ok = 0; /* the weights were written, or are to be read again */
        rc = dbsummary_ready(db, e);
    }
    return rc;
}

int dbsummary_quick_check(struct db *db, char **damage, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    struct sbuf b = {0};
    int rc = K_OK, s;
    *damage = NULL;
    if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check(10)", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, e, "checking the journal");
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (m && strcmp(m, "ok"))
            sbuf_printf(&b, "%s%s", b.len ? "; " : "", m);
    }
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "checking the journal");
    sqlite3_finalize(st);
    if (rc == K_OK && b.len)
        *damage = sbuf_take(&b);
    sbuf_free(&b);
    return rc;
}
