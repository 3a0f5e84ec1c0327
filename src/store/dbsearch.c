#include "kith/store/dbsearch.h"

#include "db_internal.h"

#include <string.h>

char *dbsearch_fts_query(const char *text)
{
    return db_fts_query(text);
}

int dbsearch_json_string(struct db *db, const char *text, char **out, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT json_quote(?1)", e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, text);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = db_col_text(st, 0);
    else
        rc = db_fail(db, e, "quoting text");
    sqlite3_reset(st);
    return rc;
}

int dbsearch_links_usable(struct db *db)
{
    /* Four seeks to the ends of two b-trees. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT coalesce((SELECT min(key) FROM contact), 0) >= 0"
        " AND coalesce((SELECT max(key) FROM contact), 0) <= 2147483647"
        " AND coalesce((SELECT min(rowid) FROM interaction), 0) >= 0"
        " AND coalesce((SELECT max(rowid) FROM interaction), 0) <= 4294967295",
        NULL);
    /* clang-format on */
    if (!st)
        return 0;
    int usable = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return usable;
}

/* What the links give (each link's rowid and its interaction's text) and
 * how much of it the index holds as is, in one pass over the links: each
 * link's document is looked up once, by its rowid. off counts a link once, whether its
 * document is missing or has other words; extra the documents of no link
 * (the index has no rowid twice, so they are the documents beyond those
 * of the links that have one). */
static int compare_links(struct db *db, struct dbsearch_report *out, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT count(*),"
        "  count(*) FILTER (WHERE f.rowid IS NULL"
        "   OR f.summary IS NOT i.summary OR f.note IS NOT i.note),"
        "  count(*) FILTER (WHERE f.rowid IS NULL),"
        "  (SELECT count(*) FROM interaction_contact_fts)"
        " FROM interaction_contact ic"
        " JOIN interaction i ON i.id = ic.interaction_id"
        " LEFT JOIN interaction_contact_fts f"
        "  ON f.rowid = " DB_LINK_FTS_ROWID("ic.contact_key", "i.rowid")
        " WHERE " DB_LINK_FTS_IN_RANGE("ic.contact_key", "i.rowid"),
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        size_t missing = (size_t)sqlite3_column_int64(st, 2);
        size_t docs = (size_t)sqlite3_column_int64(st, 3);
        out->links = (size_t)sqlite3_column_int64(st, 0);
        out->off = (size_t)sqlite3_column_int64(st, 1);
        out->extra = docs > out->links - missing ? docs - (out->links - missing) : 0;
    } else {
        rc = db_fail(db, e, "checking the search index");
    }
    sqlite3_reset(st);
    return rc;
}

/* FTS5's own check of the index against the documents it keeps:
 * *damaged is 1 when they differ. It is an INSERT, so a journal that
 * cannot be written (or is being written) leaves it unmade, *unchecked
 * set: the rest of the check still stands. */
static int index_sound(struct db *db, int *damaged, int *unchecked, struct kerr *e)
{
    *damaged = *unchecked = 0;
    if (db->readonly) {
        *unchecked = 1;
        return K_OK;
    }
    int s = sqlite3_exec(db->h,
                         "INSERT INTO interaction_contact_fts(interaction_contact_fts)"
                         " VALUES ('integrity-check')",
                         NULL, NULL, NULL);
    int code = sqlite3_extended_errcode(db->h) & 0xFF;
    if (s == SQLITE_OK)
        return K_OK;
    *damaged = code == SQLITE_CORRUPT;
    *unchecked = code == SQLITE_READONLY || code == SQLITE_BUSY;
    return *damaged || *unchecked ? K_OK : db_fail(db, e, "checking the search index");
}

int dbsearch_check(struct db *db, int repair, struct dbsearch_report *out, struct kerr *e)
{
    int rc, began = 0;
    memset(out, 0, sizeof *out);
    /* Every link's interaction is a random read: a large cache for the
     * pass, as an import has. */
    sqlite3_exec(db->h, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
    if (repair && (rc = db_begin(db, e)) != K_OK)
        goto out;
    began = repair;
    if ((rc = compare_links(db, out, e)) == K_OK)
        rc = index_sound(db, &out->damaged, &out->unchecked, e);
    if (rc == K_OK && repair && (out->off || out->extra || out->damaged)) {
        /* Made anew: deleting a damaged index's documents one by one
         * would read what it cannot trust. */
        if (sqlite3_exec(db->h,
                         "DROP TABLE interaction_contact_fts;" DB_LINK_FTS_TABLE DB_LINK_FTS_FILL,
                         NULL, NULL, NULL) != SQLITE_OK)
            rc = db_fail(db, e, "rebuilding the search index");
        out->repaired = rc == K_OK;
    }
    if (began) {
        if (rc == K_OK)
            rc = db_commit(db, e);
        if (rc != K_OK)
            db_rollback(db);
    }
out:
    sqlite3_exec(db->h, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
    return rc;
}
