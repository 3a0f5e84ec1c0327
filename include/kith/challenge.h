/* The networking challenge: one act a day for N days from any start date.
 * Many challenges over time; the most recently started one is active. */
#ifndef KITH_CHALLENGE_H
#define KITH_CHALLENGE_H

#include "kith/journal.h"
#include "kith/model.h"

/* Starts a challenge of `days` days (1 to 366; 0: the configured length) on
 * `start` (KDATE_NONE: today; a later date is allowed). It becomes the
 * active one; earlier challenges stay in the history. */
int challenge_start(struct journal *j, int start, int days, char id[KID_LEN + 1], struct kerr *e);
/* The active challenge with its ticks and the derived fields for today.
 * K_NOTFOUND when none was ever started. Clear with challenge_clear. */
int challenge_active(struct journal *j, struct challenge *out, struct kerr *e);
/* Ticks a day (KDATE_NONE: today) of the active challenge, with an optional
 * note and interaction (a full id that must exist). Ticking a ticked day
 * keeps the tick; its note is added to the day's note (on a line of its
 * own, unless the day's note has that line already), its interaction
 * linked if the day had none. *already (may be NULL): 0 for a new tick, 1
 * when the day was ticked and nothing changed, 2 when it was and the note
 * or interaction was added. A day outside the
 * challenge, in the future, or further back than the configured
 * challenge_past_days is refused (K_USAGE) with the reason. */
int challenge_tick(struct journal *j, int date, const char *note, const char *interaction_id,
                   int *already, struct kerr *e);
/* Removes the tick of a day (KDATE_NONE: today) of the active challenge, for
 * a tick made by mistake; the same window of days as challenge_tick. Not
 * ticked is K_NOTFOUND. */
int challenge_untick(struct journal *j, int date, struct kerr *e);
/* A window of challenges, newest first (limit 0: no limit), with ticks and
 * derived fields. Clear with challenge_list_clear. */
int challenge_history(struct journal *j, size_t offset, size_t limit, struct challenge_list *out,
                      struct kerr *e);
int challenge_count(struct journal *j, size_t *n, struct kerr *e);
/* The active challenge as one JSON object: id, started_on, days, done,
 * streak, today_done, day, finished, ticks (array of {date, note,
 * interaction}). *json: free(). K_NOTFOUND when none was ever started. */
int challenge_active_json(struct journal *j, char **json, struct kerr *e);
/* Every challenge as a JSON array of the objects challenge_active_json
 * gives, newest (the active one) first; [] when none. *json: free(). */
int challenge_history_json(struct journal *j, char **json, struct kerr *e);
/* Fills c's derived fields from its ticks for the given today, without the
 * journal:
 *   done       ticked days within the challenge
 *   elapsed    days from the start to today, both included, 0..days
 *   day        today's 1-based day in the challenge, 0 before it starts,
 *              capped at days once it is over
 *   today_done today is ticked
 *   streak     consecutive ticked days ending today, or ending yesterday
 *              when today is not ticked yet
 *   finished   today is past the last day
 * Ticks may come in any order; duplicates and days outside the challenge
 * are ignored. */
void challenge_derive(struct challenge *c, int today);

#endif
