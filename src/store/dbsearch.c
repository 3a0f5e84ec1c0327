#include "kith/store/dbsearch.h"

#include "db_internal.h"

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
