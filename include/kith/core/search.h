/* Full-text search over names, companies, notes and interaction text. */
#ifndef KITH_SEARCH_H
#define KITH_SEARCH_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* Interactions whose summary or note match the words of query (prefix
 * match, diacritics ignored), newest first, a window. Contacts that match are
 * found with contact_list and contact_query.search. */
int search_interactions(struct journal *j, const char *query, size_t offset, size_t limit,
                        struct interaction_list *out, struct kerr *e);
/* One JSON document: {"query": ..., "contacts": [...], "interactions": [...]}
 * with the fields of contact_each_json and interaction_each_json.
 * *json is a new string: free(). */
int search_json(struct journal *j, const char *query, size_t limit, char **json, struct kerr *e);
/* As search_json; with include_archived, archived contacts match too
 * (their objects say "archived": true). */
int search_json_all(struct journal *j, const char *query, size_t limit, int include_archived,
                    char **json, struct kerr *e);

#endif
