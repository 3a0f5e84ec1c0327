/* Birthdays coming up, for the Today view and reminders. */
#ifndef KITH_BIRTHDAY_H
#define KITH_BIRTHDAY_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* Contacts (not archived) whose birthday falls within `days` days from
 * `from`, soonest first. Clear out with birthday_list_clear. */
int birthday_upcoming(struct journal *j, int from, int days, struct birthday_list *out,
                      struct kerr *e);

#endif
