/* The sample journal behind `kith demo`. */
#ifndef KITH_DEMO_H
#define KITH_DEMO_H

#include "kith/core/journal.h"

/* Fills an empty journal with a realistic year of networking relative to
 * journal_today: 40+ contacts with tags and notes, interactions in both
 * directions, referral chains thanked and not, a challenge in progress. One
 * transaction. Refuses (K_EXISTS) when the journal has any contact. */
int demo_write(struct journal *j, struct kerr *e);

#endif
