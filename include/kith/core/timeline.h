/* Timeline: one contact's (or everyone's) interactions, referrals and
 * thank-yous in one list, newest first, for the TUI's card pane. */
#ifndef KITH_TIMELINE_H
#define KITH_TIMELINE_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* A window of the timeline of contact_id (NULL: every contact), newest
 * first: its interactions, the referrals it made or was the target of,
 * thank-yous and pay-it-forwards to it. Clear out with timeline_clear. */
int timeline_list(struct journal *j, const char *contact_id, size_t offset, size_t limit,
                  struct timeline *out, struct kerr *e);
/* The key of an entry (not inclusive). */
struct timeline_key timeline_key_of(const struct timeline_entry *t);
/* A window of at most limit entries (0: no limit) of the same timeline,
 * newest first, read from a key rather than by counting entries from the
 * first: with after, those that come after it; with before, the last ones
 * before it (the very last ones when its date is KDATE_NONE); with
 * neither, the first ones. A page deep in a long timeline costs what the
 * first one does. Clear out with timeline_clear. */
int timeline_window(struct journal *j, const char *contact_id, const struct timeline_key *after,
                    const struct timeline_key *before, size_t limit, struct timeline *out,
                    struct kerr *e);
/* How many entries timeline_list has for contact_id (NULL: everyone). */
int timeline_count(struct journal *j, const char *contact_id, size_t *n, struct kerr *e);

#endif
