/* Birthdays coming up, for the Today view and reminders. */
#ifndef KITH_BIRTHDAY_H
#define KITH_BIRTHDAY_H

#include "kith/journal.h"
#include "kith/model.h"

struct birthday {
    struct kref contact;
    int on; /* the day it falls on, from..from+days-1 */
};

struct birthday_list {
    struct birthday *v;
    size_t n;
};
/* Frees and zeroes l. Accepts NULL. */
void birthday_list_clear(struct birthday_list *l);

/* Contacts (not archived) whose birthday falls within `days` days from
 * `from`, soonest first. Clear out with birthday_list_clear. */
int birthday_upcoming(struct journal *j, int from, int days, struct birthday_list *out,
                      struct kerr *e);

#endif
