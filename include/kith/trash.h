/* Trash: deleting a contact so that the deletion can be undone.
 *
 * The last deletion is kept by this journal connection (not in the file):
 * undo restores it exactly, with the contact's details, tags, interactions,
 * referrals, thank-yous and the links other rows had to them. It lasts until
 * the next deletion or until the journal is closed. */
#ifndef KITH_TRASH_H
#define KITH_TRASH_H

#include "kith/journal.h"
#include "kith/model.h"

/* Deletes the contact as contact_delete does, in one transaction, and
 * remembers it for trash_undo. */
int trash_delete_contact(struct journal *j, const char *id, struct kerr *e);
/* Restores the last deleted contact, in one transaction, writing its id
 * into id; when a merge (dupes_merge) came after the last deletion, undoes
 * the merge instead, and id is the contact it brings back. K_NOTFOUND
 * ("nothing to undo") when there is none; K_EXISTS when a contact with its
 * id came back some other way, or the merged contacts changed since. */
int trash_undo(struct journal *j, char id[KID_LEN + 1], struct kerr *e);

#endif
