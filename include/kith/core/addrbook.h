/* The journal as an address book for other programs: the query mutt,
 * neomutt and aerc run as the user types an address, and the contact names
 * shell completion offers. */
#ifndef KITH_ADDRBOOK_H
#define KITH_ADDRBOOK_H

#include "kith/core/journal.h"

#include <stddef.h>

/* One address: strings valid only during the call; company may be NULL.
 * Returns nonzero to stop. */
typedef int (*addrbook_addr_cb)(const char *email, const char *name, const char *company, void *ud);
/* Email addresses for text (case and accents aside; "" gives every one):
 * all those of the contacts whose name contains text or whose company has
 * words starting with its words, and each address that contains text;
 * live contacts first, then by name. */
int addrbook_query(struct journal *j, const char *text, addrbook_addr_cb cb, void *ud,
                   struct kerr *e);

/* A name, valid only during the call; nonzero stops. */
typedef int (*addrbook_name_cb)(const char *name, void *ud);
/* The names of live contacts that start with prefix (case and accents
 * aside), in name order, at most limit. */
int addrbook_names(struct journal *j, const char *prefix, size_t limit, addrbook_name_cb cb,
                   void *ud, struct kerr *e);

#endif
