/* Store: what kith last wrote to each file of a vdir folder (see
 * src/store/schema/v07.sql). Called by the core's vdir module only; none of
 * these functions opens a transaction. dir is the folder's real path. */
#ifndef KITH_DBVDIR_H
#define KITH_DBVDIR_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* One file kith keeps in step. */
struct dbvdir_item {
    char *name;     /* the file's name in the folder */
    char *kind;     /* "contact", "todo" or "event" */
    char *ref;      /* a contact id, or the calendar item's key */
    long long hash; /* of the text kith last wrote or agreed with */
    /* The file as kith last saw it: a file whose stat moved since was
     * changed by someone else. */
    long long size, mtime, ino;
};
void dbvdir_item_clear(struct dbvdir_item *it);

/* Every item of the folder (of kind, or all when kind is NULL), in no
 * particular order, without its base text. The item is valid only during
 * the call; cb returns nonzero to stop. */
typedef int (*dbvdir_item_cb)(const struct dbvdir_item *it, void *ud);
int dbvdir_each(struct db *db, const char *dir, const char *kind, dbvdir_item_cb cb, void *ud,
                struct kerr *e);
/* The base text of the file name (*base: free()); K_NOTFOUND when none. */
int dbvdir_base(struct db *db, const char *dir, const char *name, char **base, struct kerr *e);
/* Records (or replaces) the item it->name of the folder with its base. */
int dbvdir_put(struct db *db, const char *dir, const struct dbvdir_item *it, const char *base,
               struct kerr *e);
/* Forgets the file name of the folder. */
int dbvdir_remove(struct db *db, const char *dir, const char *name, struct kerr *e);
/* The ids of the contacts that are not archived, in key order; cb returns
 * nonzero to stop. */
typedef int (*dbvdir_id_cb)(const char *id, void *ud);
int dbvdir_live_contacts(struct db *db, dbvdir_id_cb cb, void *ud, struct kerr *e);
/* What the user did with one reminder (its rule, subject and the day it
 * fired): *done 1 when marked done, *snoozed_until the day it is hidden
 * to or KDATE_NONE. Both 0 / KDATE_NONE when nothing was done. */
int dbvdir_reminder_state(struct db *db, const char *rule, const char *subject, int fired_on,
                          int *done, int *snoozed_until, struct kerr *e);

#endif
