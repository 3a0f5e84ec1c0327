/* Store: reminder rules evaluated in SQL, and what the user did with each
 * reminder (done, snoozed, notified). Called by the core's reminder module
 * only.
 *
 * dbreminder_eval fills a temporary table of the reminders the rules give
 * for a day; the other reading functions look at that table, so call it
 * first (within the same transaction when the result must be consistent
 * with a write). */
#ifndef KITH_DBREMINDER_H
#define KITH_DBREMINDER_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* A rule as the store evaluates it. The core makes one from each rule of
 * the configuration (reminder.c), so the store needs no config; strings
 * and lists are borrowed for the call. Numbers a trigger does not use are
 * -1 (below: INT_MIN). */
struct dbreminder_rule {
    const char *id;
    const char *message;
    const char *direction; /* NULL for any */
    char *const *tags;     /* folded to lower case */
    char *const *kinds;
    char *const *outcomes;
    size_t ntags, nkinds, noutcomes;
    enum ktrigger on;
    int priority; /* 0 high, 1 normal, 2 low */
    int after_days, days, max_days, days_before, below;
    int cadence_contact; /* silence: each contact's own cadence */
};

/* Evaluates rules for the day today (a day number), replacing the previous
 * evaluation. Done and snoozed state is applied when reading. */
int dbreminder_eval(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                    struct kerr *e);
/* dbreminder_eval in steps, for a caller that must stay responsive: begin
 * empties the evaluation and loads the rules; each dbreminder_eval_rule
 * then adds rule i's reminders (0 <= i < n, each once, with the same rules
 * and today as begin). Each step is all or nothing (an interrupted one
 * leaves what the steps before it made, and is run again); the result is
 * dbreminder_eval's once every rule ran on the same journal: the caller
 * begins again when the journal changed between steps. */
int dbreminder_eval_begin(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                          struct kerr *e);
int dbreminder_eval_rule(struct db *db, const struct dbreminder_rule *rules, size_t n, size_t i,
                         int today, struct kerr *e);
/* Forgets what the evaluation keeps beside its temporary tables (after a
 * rollback took them back); frees it (db_close). Both accept NULL. */
void dbreminder_forget(struct db *db);
void dbreminder_free(struct db *db);

/* The evaluated reminders that are neither done nor snoozed past today:
 * overdue first, then by priority, due date, rule order and contact name.
 * With contact_id, only that contact's. A window (limit 0: all); each
 * reminder is valid only during the call; cb returns nonzero to stop. */
typedef int (*dbreminder_cb)(const struct reminder *r, void *ud);
int dbreminder_each(struct db *db, int today, const char *contact_id, size_t offset, size_t limit,
                    dbreminder_cb cb, void *ud, struct kerr *e);
/* dbreminder_each that also sets *total (if not NULL) to how many there are
 * without the window (as dbreminder_count, with contact_id applied): one
 * pass over the evaluation for both. */
int dbreminder_window(struct db *db, int today, const char *contact_id, size_t offset, size_t limit,
                      size_t *total, dbreminder_cb cb, void *ud, struct kerr *e);
/* The evaluated reminders the user handled, that dbreminder_each leaves
 * out: marked done (and still firing) or snoozed past today, the most
 * recently handled first, at most limit (0: all); done_on and snoozed_until
 * are set. */
int dbreminder_each_handled(struct db *db, int today, size_t limit, dbreminder_cb cb, void *ud,
                            struct kerr *e);
/* Takes back what the user did with r (done, snoozed): due again. */
int dbreminder_restore(struct db *db, const struct reminder *r, struct kerr *e);
/* How many dbreminder_each would give (without a window). */
int dbreminder_count(struct db *db, int today, size_t *n, struct kerr *e);
/* Each contact with an overdue reminder (visible today) of a rule whose
 * order is in ords_json (a JSON array of numbers), once; cb returns nonzero
 * to stop. */
typedef int (*dbreminder_contact_cb)(const char *contact_id, void *ud);
int dbreminder_overdue_contacts(struct db *db, int today, const char *ords_json,
                                dbreminder_contact_cb cb, void *ud, struct kerr *e);

/* The evaluated reminders, done ones excepted, whose id starts with prefix
 * (hex digits), at most max into *out (clear with reminder_list_clear).
 * *more is set when there were others. */
int dbreminder_find(struct db *db, const char *prefix, size_t max, struct reminder_list *out,
                    int *more, struct kerr *e);

/* Records state for the reminder identified by rule, subject and fired_on
 * (a day number). Run inside the caller's transaction. */
int dbreminder_set_done(struct db *db, const struct reminder *r, int today, struct kerr *e);
int dbreminder_set_snoozed(struct db *db, const struct reminder *r, int until, struct kerr *e);
int dbreminder_set_notified(struct db *db, const struct reminder *r, struct kerr *e);

/* Contacts (not archived) whose birthday falls within `within` days from
 * today (today included), soonest first. */
struct dbreminder_birthday {
    char contact_id[KID_LEN + 1];
    char *name;
    int date; /* the coming birthday */
    int in_days;
};
typedef int (*dbreminder_birthday_cb)(const struct dbreminder_birthday *b, void *ud);
int dbreminder_birthdays(struct db *db, int today, int within, dbreminder_birthday_cb cb, void *ud,
                         struct kerr *e);

/* The day's summary as one JSON object: today, reminders (as
 * dbreminder_each orders them: id, rule, priority, contact, contact_id,
 * message, due_on, fired_on, overdue), challenge (the JSON text given, or
 * null when NULL) and birthdays within `within` days (id, name, date,
 * in_days). *json: free(). */
int dbreminder_today_json(struct db *db, int today, int within, const char *challenge, char **json,
                          struct kerr *e);

#endif
