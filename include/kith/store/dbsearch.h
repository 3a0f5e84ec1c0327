/* Store: helpers for full-text search and JSON text. */
#ifndef KITH_DBSEARCH_H
#define KITH_DBSEARCH_H

#include "kith/store/db.h"

/* What a user typed as an FTS5 query: every word a quoted prefix term, so
 * punctuation and FTS operators are taken literally. NULL when there is no
 * word; otherwise free() it. */
char *dbsearch_fts_query(const char *text);
/* text as a JSON string literal, quoted by SQLite's json_quote. *out: free(). */
int dbsearch_json_string(struct db *db, const char *text, char **out, struct kerr *e);

#endif
