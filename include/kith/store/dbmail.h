/* Store: the journal as mail programs see it. Contacts by address, the
 * Message-IDs of interactions logged from mail, the address-book query and
 * name completion. None opens a transaction. */
#ifndef KITH_DBMAIL_H
#define KITH_DBMAIL_H

#include "kith/store/db.h"
#include "kith/util/model.h"

#include <stddef.h>

/* The contact with the email address addr (compared in lower case; a live
 * contact before an archived one) into id; K_NOTFOUND when none. */
int dbmail_find_email(struct db *db, const char *addr, char id[KID_LEN + 1], struct kerr *e);
/* The interaction logged from the message msgid into id; K_NOTFOUND when
 * no interaction has that Message-ID. */
int dbmail_find_message(struct db *db, const char *msgid, char id[KID_LEN + 1], struct kerr *e);
/* Records that the interaction iid was logged from the message msgid. */
int dbmail_add_message(struct db *db, const char *msgid, const char *iid, struct kerr *e);

/* One address: strings valid only during the call; company may be NULL.
 * Returns nonzero to stop. */
typedef int (*dbmail_addr_cb)(const char *email, const char *name, const char *company, void *ud);
/* Email addresses for a query fold (already folded, as kstr_fold_key
 * does; "" matches all): every address of the contacts whose folded name
 * contains fold or whose company has words starting with its words, and
 * each address that contains fold; live contacts first, then by name and
 * the address's position. */
int dbmail_query(struct db *db, const char *fold, dbmail_addr_cb cb, void *ud, struct kerr *e);

/* A name, valid only during the call; nonzero stops. */
typedef int (*dbmail_name_cb)(const char *name, void *ud);
/* The names of live contacts whose folded name starts with fold, in name
 * order, at most limit of them. */
int dbmail_names(struct db *db, const char *fold, size_t limit, dbmail_name_cb cb, void *ud,
                 struct kerr *e);

#endif
