/* Store: SQL for thank-yous. Called by the core's thanks module only. */
#ifndef KITH_DBTHANKS_H
#define KITH_DBTHANKS_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts t: t->id, contact.id, date, form, referral and interaction ("" for
 * none), note. */
int dbthanks_insert(struct db *db, const struct thanks *t, struct kerr *e);
/* K_NOTFOUND when there is no such thank-you. */
int dbthanks_delete(struct db *db, const char *id, struct kerr *e);
/* A window of thank-yous to contact_id (NULL: to anyone), newest first.
 * *out is an array of *n: thanks_clear each, then free() the array. */
int dbthanks_list(struct db *db, const char *contact_id, size_t offset, size_t limit,
                  struct thanks **out, size_t *n, struct kerr *e);
int dbthanks_count(struct db *db, const char *contact_id, size_t *n, struct kerr *e);
/* Whether interaction_id exists, and whether contact_id took part in it. */
int dbthanks_interaction(struct db *db, const char *interaction_id, const char *contact_id,
                         int *exists, int *involves, struct kerr *e);

#endif
