/* Store: SQL for interactions and full-text search over them. */
#ifndef KITH_DBINTERACTION_H
#define KITH_DBINTERACTION_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts it (it->id set by the caller) linked to it->contacts[].id. */
int dbinteraction_insert(struct db *db, const struct interaction *it, struct kerr *e);
int dbinteraction_delete(struct db *db, const char *id, struct kerr *e);
/* Ids starting with prefix: at most max into *out (array of *n; free()). */
int dbinteraction_find(struct db *db, const char *prefix, size_t max, char (**out)[KID_LEN + 1],
                       size_t *n, struct kerr *e);
/* 1 when a contact with this id exists. */
int dbinteraction_contact_exists(struct db *db, const char *contact_id);

struct dbinteraction_query {
    const char *contact_id;
    int since, until;
    const char *kind;
    const char *fts; /* an FTS5 query over summary and note, or NULL */
    int oldest_first;
    size_t offset, limit;
};
/* A window of interactions with their contacts. */
int dbinteraction_list(struct db *db, const struct dbinteraction_query *q,
                       struct interaction_list *out, struct kerr *e);
int dbinteraction_each_json(struct db *db, const struct dbinteraction_query *q, kjson_cb cb,
                            void *ud, struct kerr *e);

#endif
