/* The networking challenge: one act a day for N days from any start date.
 * Many challenges over time; the most recently started one is active. */
#ifndef KITH_CHALLENGE_H
#define KITH_CHALLENGE_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

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
 * derived fields; habit is the strength on the challenge's last day (today
 * for the running one), carried over from the challenges before: days
 * between two challenges count as empty. Clear with challenge_list_clear. */
int challenge_history(struct journal *j, size_t offset, size_t limit, struct challenge_list *out,
                      struct kerr *e);
int challenge_count(struct journal *j, size_t *n, struct kerr *e);
/* The active challenge as one JSON object: id, started_on, days, done,
 * streak, today_done, day, finished, ticks (array of {date, note,
 * interaction, forward}), grace_days, graced, habit_strength (percent).
 * *json: free(). K_NOTFOUND when none was ever started. */
int challenge_active_json(struct journal *j, char **json, struct kerr *e);
/* Every challenge as a JSON array of the objects challenge_active_json
 * gives, newest (the active one) first; [] when none. *json: free(). */
int challenge_history_json(struct journal *j, char **json, struct kerr *e);
/* Whether an act just logged ticks its day (challenge_tick_act). */
enum challenge_tick_mode {
    CHALLENGE_TICK_NONE = 0,
    CHALLENGE_TICK_AUTO,   /* when the config's challenge.auto_tick says so */
    CHALLENGE_TICK_ALWAYS, /* acting on an idea: a challenge is for that */
};
/* Inside the caller's transaction, after logging an act (an interaction or
 * a pay-it-forward, by id; the other NULL) dated date (KDATE_NONE: today):
 * ticks that day of the active challenge with it, as mode says. A journal
 * without a running challenge, or a day it cannot take (outside it, too far
 * back), is left as it is: the act is logged all the same. *ticked: 0 not
 * ticked, 1 ticked now, 2 the day was ticked already (the act is linked to
 * it when the day had none). */
int challenge_tick_act(struct journal *j, int date, const char *interaction_id,
                       const char *forward_id, enum challenge_tick_mode mode, int *ticked,
                       struct kerr *e);

/* What one day of a challenge is, for a strip of days. */
enum challenge_day {
    CHALLENGE_DAY_OUTSIDE = 0, /* not one of its days */
    CHALLENGE_DAY_DONE,        /* ticked */
    CHALLENGE_DAY_TODAY,       /* today, not ticked yet */
    CHALLENGE_DAY_FUTURE,      /* to come */
    CHALLENGE_DAY_GRACE,       /* empty, but forgiven: the streak goes on over it */
    CHALLENGE_DAY_EMPTY,       /* empty */
};
/* The state of day in c (its grace_days set) on the given today. */
enum challenge_day challenge_day_state(const struct challenge *c, int day, int today);

/* Fills c's derived fields from its ticks for the given today, without the
 * journal (c->grace_days is read, not derived):
 *   done       ticked days within the challenge
 *   elapsed    days from the start to today, both included, 0..days
 *   day        today's 1-based day in the challenge, 0 before it starts,
 *              capped at days once it is over
 *   today_done today is ticked
 *   streak     ticked days in a row ending today, or ending yesterday
 *              when today is not ticked yet; a run of at most grace_days
 *              empty days between ticked ones (or before today, still
 *              open) does not end it
 *   graced     the empty days the streak went on over
 *   pending    the streak needs today ticked to go on (yesterday was empty)
 *   finished   today is past the last day
 *   habit      habit strength in percent over its own days from 0
 *              (challenge_history carries it over from the ones before)
 * Ticks may come in any order; duplicates and days outside the challenge
 * are ignored. */
void challenge_derive(struct challenge *c, int today);

#endif
