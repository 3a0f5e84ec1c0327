/* Store: the conflicts syncs resolved (table sync_conflict, see
 * migration_v6 in db.c), for the vdir import now and kith's own sync
 * later. Neither function opens a transaction. */
#ifndef KITH_DBCONFLICT_H
#define KITH_DBCONFLICT_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Stores c (c->id and c->at are ignored; the row gets its own). During a
 * run (dbconflict_run), a contact deleted on one side and changed on the
 * other (field "contact") is one row per contact and replica: a later one
 * replaces what the row says (the last edit applied decides whether the
 * contact stays), instead of a line for each edit. */
int dbconflict_add(struct db *db, const struct kconflict *c, struct kerr *e);
/* 1 when this run has a line for contact_id's being deleted on one side
 * and changed on the other (field "contact", from any replica). */
int dbconflict_told(struct db *db, const char *contact_id);
/* A sync run starts (on) or ends (0). */
int dbconflict_run(struct db *db, int on, struct kerr *e);
/* The conflicts with an id above after (0: all), oldest first, at most
 * limit (0: no limit), each with the name of the contact it is about (a
 * reminder's: its subject's) when that contact still exists, else as
 * the conflict noted it (a contact deleted here). Valid only during the call; cb returns
 * nonzero to stop. */
typedef int (*dbconflict_cb)(const struct kconflict *c, void *ud);
int dbconflict_each(struct db *db, long long after, size_t limit, dbconflict_cb cb, void *ud,
                    struct kerr *e);
/* The largest conflict id (0 when none), to list only what a sync adds. */
int dbconflict_last(struct db *db, long long *id, struct kerr *e);

#endif
