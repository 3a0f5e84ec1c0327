/* Store: the SQL behind trash.h. Both run inside the caller's transaction. */
#ifndef KITH_DBTRASH_H
#define KITH_DBTRASH_H

#include "kith/db.h"

/* Copies every row that deleting contact id removes or changes into this
 * connection's temporary trash (replacing what was there). */
int dbtrash_save_contact(struct db *db, const char *id, struct kerr *e);
/* Puts the trash back and empties it; the contact's id into id. */
int dbtrash_restore(struct db *db, char id[KID_LEN + 1], struct kerr *e);

#endif
