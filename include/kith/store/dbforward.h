/* Store: SQL for pay-it-forwards. Called by the core's forward module
 * only. */
#ifndef KITH_DBFORWARD_H
#define KITH_DBFORWARD_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts f (f->id set by the caller; f->contact.id "" for someone not in
 * the journal). */
int dbforward_insert(struct db *db, const struct forward *f, struct kerr *e);

struct dbforward_query {
    const char *contact_id; /* NULL: every one */
    int since, until;       /* inclusive; KDATE_NONE for open ends */
    size_t offset, limit;   /* limit 0: no limit */
};
/* A window of pay-it-forwards, newest first, with the contact's name.
 * Clear out with forward_list_clear. */
int dbforward_list(struct db *db, const struct dbforward_query *q, struct forward_list *out,
                   struct kerr *e);
/* The same rows as JSON objects: id, date, text, contact ({id, name} or
 * null), note. */
int dbforward_each_json(struct db *db, const struct dbforward_query *q, kjson_cb cb, void *ud,
                        struct kerr *e);

#endif
