/* The networking challenge: one act a day for N days from any start date.
 * Many challenges over time; the most recently started one is active. */
#ifndef KITH_CHALLENGE_H
#define KITH_CHALLENGE_H

#include "kith/journal.h"
#include "kith/model.h"

/* Starts a challenge of `days` days (0: the configured length) on `start`
 * (KDATE_NONE: today). It becomes the active one. */
int challenge_start(struct journal *j, int start, int days, char id[KID_LEN + 1], struct kerr *e);
/* The active challenge with its ticks and the derived fields for today.
 * K_NOTFOUND when none was ever started. Clear with challenge_clear. */
int challenge_active(struct journal *j, struct challenge *out, struct kerr *e);
/* Ticks a day (KDATE_NONE: today) of the active challenge, with an optional
 * note and interaction. Ticking a ticked day keeps the first tick and sets
 * *already (may be NULL). A day outside the challenge, in the future, or
 * further back than the configured grace is refused with the reason. */
int challenge_tick(struct journal *j, int date, const char *note, const char *interaction_id,
                   int *already, struct kerr *e);
/* Every challenge, newest first, with ticks and derived fields. */
int challenge_history(struct journal *j, struct challenge_list *out, struct kerr *e);
/* The active challenge as JSON: id, started_on, days, done, streak,
 * today_done, day, finished, ticks (array of {date, note, interaction}). */
int challenge_active_json(struct journal *j, char **json, struct kerr *e);
/* Fills c's derived fields (done, elapsed, streak, today_done, day,
 * finished) from its ticks for the given today. */
void challenge_derive(struct challenge *c, int today);

#endif
