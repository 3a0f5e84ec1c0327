/* Store: SQL for birthdays. Called by the core's birthday module. */
#ifndef KITH_DBBIRTHDAY_H
#define KITH_DBBIRTHDAY_H

#include "kith/util/model.h"
#include "kith/store/db.h"

/* Contacts whose birthday's MM-DD equals md (5 characters), appended to
 * out with `on` set to day. */
int dbbirthday_on(struct db *db, const char *md, int day, struct birthday_list *out,
                  struct kerr *e);

#endif
