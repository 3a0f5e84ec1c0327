/* Store: SQL for the mixed timeline. Called by the core's timeline module. */
#ifndef KITH_DBTIMELINE_H
#define KITH_DBTIMELINE_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* See timeline_list. */
int dbtimeline_list(struct db *db, const char *contact_id, size_t offset, size_t limit,
                    struct timeline *out, struct kerr *e);
/* See timeline_window. */
int dbtimeline_window(struct db *db, const char *contact_id, const struct timeline_key *after,
                      const struct timeline_key *before, size_t limit, struct timeline *out,
                      struct kerr *e);
/* See timeline_count. */
int dbtimeline_count(struct db *db, const char *contact_id, size_t *n, struct kerr *e);

#endif
