/* Store: helpers for full-text search and JSON text. */
#ifndef KITH_DBSEARCH_H
#define KITH_DBSEARCH_H

#include "kith/store/db.h"

#include <stddef.h>

/* What a user typed as an FTS5 query: every word a quoted prefix term, so
 * punctuation and FTS operators are taken literally. NULL when there is no
 * word; otherwise free() it. */
char *dbsearch_fts_query(const char *text);
/* text as a JSON string literal, quoted by SQLite's json_quote. *out: free(). */
int dbsearch_json_string(struct db *db, const char *text, char **out, struct kerr *e);

/* 1 when the search index of the links between interactions and contacts
 * (schema 14) has a document for every link: no contact key and no
 * interaction rowid is outside what its rowids pack (a contact key up to
 * 2^31 - 1, an interaction rowid up to 2^32 - 1); 0 then, or on an error,
 * and searches read interaction_fts and the links instead. */
int dbsearch_links_usable(struct db *db);

/* What dbsearch_check found. */
struct dbsearch_report {
    size_t links; /* links between interactions and contacts (each a document) */
    size_t off;   /* of those, missing from the index or with other words */
    size_t extra; /* documents of no link (or of a link's old words) */
    int damaged;  /* the index differs from the documents it keeps */
    int unchecked; /* FTS5's own check not made: the journal is read-only or busy */
    int repaired; /* the index was made anew */
};

/* Compares the search index of contacts' interactions (the words of each
 * link between an interaction and a contact, schema 14) with the
 * interactions, and FTS5's index with its documents; when repair is set
 * and something differs, makes it anew from the interactions, in one
 * transaction. A pass over every link: seconds for a million. */
int dbsearch_check(struct db *db, int repair, struct dbsearch_report *out, struct kerr *e);

#endif
