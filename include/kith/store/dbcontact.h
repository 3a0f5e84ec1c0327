/* Store: SQL for contacts. Called by the core's contact module only. */
#ifndef KITH_DBCONTACT_H
#define KITH_DBCONTACT_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts c (c->id set by the caller) with its emails, phones, links, tags. */
int dbcontact_insert(struct db *db, const struct contact *c, struct kerr *e);
/* An import's writer of many contacts' rows: up to DBCONTACT_BATCH rows of
 * a table a statement, each statement made once for the import. */
#define DBCONTACT_BATCH 64
struct dbcontact_batch;
/* Inserts the n new contacts cs[0..n) as n calls of dbcontact_insert
 * would, in that order (their keys too), a table at a time, with the
 * statements of *b (made when NULL; dbcontact_batch_free after the last
 * call). An error leaves some rows written: the caller rolls back. */
int dbcontact_insert_many(struct db *db, struct dbcontact_batch **b, const struct contact *cs,
                          size_t n, struct kerr *e);
void dbcontact_batch_free(struct dbcontact_batch *b);
/* Replaces the stored contact c->id with c, details and tags included. */
int dbcontact_update(struct db *db, const struct contact *c, struct kerr *e);
/* Deletes the contact and the interactions it was the only party to. */
int dbcontact_delete(struct db *db, const char *id, struct kerr *e);
/* The contact id with details and stats; K_NOTFOUND when absent. */
int dbcontact_get(struct db *db, const char *id, struct contact *out, struct kerr *e);
/* Candidates for what a user typed, from the first rule that matches any:
 * the exact id, the exact name (folded), an id prefix (4+ hex digits), the
 * start of a word of a name, a fragment of a name. At most max are returned in *out (an array of
 * *n; free each name, then the array); *more is set when there were others. */
int dbcontact_find(struct db *db, const char *query, size_t max, struct kref **out, size_t *n,
                   int *more, struct kerr *e);
/* The contacts named exactly name (folded as names are), at most max, in
 * *out (an array of *n; free each name, then the array). */
int dbcontact_named(struct db *db, const char *name, size_t max, struct kref **out, size_t *n,
                    struct kerr *e);
/* Rows matching q in its order and window, one at a time. */
typedef int (*dbcontact_cb)(const struct contact *c, void *ud);
int dbcontact_each(struct db *db, const struct contact_query *q, dbcontact_cb cb, void *ud,
                   struct kerr *e);
int dbcontact_each_json(struct db *db, const struct contact_query *q, kjson_cb cb, void *ud,
                        struct kerr *e);
/* As dbcontact_each, each match as a struct contact_row (borrowed for the
 * call). A list of every contact reads all the tags in one pass first. */
typedef int (*dbcontact_row_cb)(const struct contact_row *r, void *ud);
int dbcontact_each_row(struct db *db, const struct contact_query *q, dbcontact_row_cb cb, void *ud,
                       struct kerr *e);
int dbcontact_count(struct db *db, const struct contact_query *q, size_t *n, struct kerr *e);
/* A window of a search in name order reads and sorts the matches when
 * they (contacts whose name, company or notes match, and the contacts of
 * the matching interactions) are at most this many; otherwise it walks
 * the contacts in name order until the window is full. */
#define DBCONTACT_HITS_SORTED 512
/* With text_limit, such a walk tests each contact it meets that does not
 * match by its own text against the interaction hits by its own links,
 * rather than read every hit's contacts first, while it expects to make at
 * most one such test for every DBCONTACT_PROBE_SHARE hits (from the share
 * of the contacts that match by their own text); after that many tests it
 * reads the hits' contacts. */
#define DBCONTACT_PROBE_SHARE 2
/* How the last such window on db was found (for tests). */
enum dbcontact_way {
    DBCONTACT_WAY_NONE,
    DBCONTACT_WAY_SORTED,     /* the matches, sorted */
    DBCONTACT_WAY_WALKED,     /* the walk, against both lists as read */
    DBCONTACT_WAY_PROBED,     /* the walk, testing contacts by their links */
    DBCONTACT_WAY_PROBED_READ /* ... until it read the hits' contacts */
};
int dbcontact_search_way(struct db *db);
/* 1 when q's search looks at names and companies only (q->text_min). */
int dbcontact_names_only(const struct contact_query *q);
/* How many of q's matches come before the contact id in q's order (q's
 * window and keys are not looked at); K_NOTFOUND when id is
 * not one of them. */
int dbcontact_position(struct db *db, const struct contact_query *q, const char *id, size_t *pos,
                       struct kerr *e);
/* The full contact as one JSON object; *json: free(). */
int dbcontact_get_json(struct db *db, const char *id, char **json, struct kerr *e);
/* Contact ids whose email or phone equals value ("email" or "phone"), at
 * most one, into id; K_NOTFOUND when none. */
int dbcontact_find_detail(struct db *db, const char *type, const char *value, char id[KID_LEN + 1],
                          struct kerr *e);
/* The contact that holds the vCard UID uid, into id; K_NOTFOUND when
 * none. */
int dbcontact_find_uid(struct db *db, const char *uid, char id[KID_LEN + 1], struct kerr *e);
/* K_OK when a contact has the id, K_NOTFOUND when none. */
int dbcontact_exists(struct db *db, const char *id, struct kerr *e);
/* Number of contacts in the journal. */
int dbcontact_total(struct db *db, size_t *n, struct kerr *e);

#endif
