/* Store: SQL for challenges and their ticked days. Called by the core's
 * challenge module only. The derived fields (streak, ...) are the core's. */
#ifndef KITH_DBCHALLENGE_H
#define KITH_DBCHALLENGE_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts a challenge after every other one (seq = max + 1), which makes it
 * the active one. */
int dbchallenge_insert(struct db *db, const char *id, int started_on, int days, struct kerr *e);
/* The most recently started challenge with its ticks, oldest first;
 * K_NOTFOUND (without a message) when none. Clear with challenge_clear. */
int dbchallenge_active(struct db *db, struct challenge *out, struct kerr *e);
/* A window of challenges, newest first, each with its ticks. Clear with
 * challenge_list_clear. */
int dbchallenge_list(struct db *db, size_t offset, size_t limit, struct challenge_list *out,
                     struct kerr *e);
int dbchallenge_count(struct db *db, size_t *n, struct kerr *e);
/* Ticks date in challenge_id. A day already ticked keeps its tick and gets
 * the note added and the interaction or pay-it-forward linked (see
 * challenge_tick); *already is 0 for a new tick, 1 for a ticked day left as
 * it was, 2 for one that got the note or a link. interaction_id and
 * forward_id may be NULL. */
int dbchallenge_tick(struct db *db, const char *challenge_id, int date, const char *note,
                     const char *interaction_id, const char *forward_id, int *already,
                     struct kerr *e);
/* Removes the tick of date; *removed is 0 when the day was not ticked. */
int dbchallenge_untick(struct db *db, const char *challenge_id, int date, int *removed,
                       struct kerr *e);
/* Inside a transaction: the links of a tick are checked at the commit, so
 * that a day can be ticked with an act before the act's row is written.
 * The undo history keeps a transaction's changes in the order the tables
 * were first written, and undoes them in that order: the tick must come
 * first, or deleting the act would clear the tick's link (ON DELETE SET
 * NULL) before the tick's own undo, which would then find it changed. */
int dbchallenge_defer_links(struct db *db, struct kerr *e);
int dbchallenge_interaction_exists(struct db *db, const char *id, int *exists, struct kerr *e);
/* c (with its derived fields filled) as one JSON object: id, started_on,
 * days, done, streak, today_done, day, finished, ticks, grace_days,
 * graced, habit_strength. The ticks are read from the journal. *json:
 * free(). */
int dbchallenge_json(struct db *db, const struct challenge *c, char **json, struct kerr *e);

#endif
