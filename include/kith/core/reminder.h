/* Reminders: derived at run time from the config's rules over the journal
 * (see config.example.yaml), never stored. What the user did with one --
 * done, snoozed, notified -- is stored, keyed by the reminder's rule, subject
 * and the date its trigger fired, so a reminder marked done stays gone until
 * its trigger fires anew.
 *
 * Every function here evaluates the rules for the journal's "today" first;
 * that is one pass of SQL over the journal, not a loop over contacts. */
#ifndef KITH_REMINDER_H
#define KITH_REMINDER_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

struct reminder_query {
    const char *contact_id; /* only reminders about this contact; NULL for all */
    size_t offset;
    size_t limit; /* 0: no limit */
};

/* The reminders due today (not done, not snoozed): overdue first, then by
 * priority, due date and rule order. A window; clear out with
 * reminder_list_clear. */
int reminder_list(struct journal *j, const struct reminder_query *q, struct reminder_list *out,
                  struct kerr *e);
/* As reminder_list, one at a time; the reminder is valid only during the
 * call and cb returns nonzero to stop. */
typedef int (*reminder_cb)(const struct reminder *r, void *ud);
/* Appends a copy of r (its strings duplicated) to l. */
void reminder_list_add(struct reminder_list *l, const struct reminder *r);
int reminder_each(struct journal *j, const struct reminder_query *q, reminder_cb cb, void *ud,
                  struct kerr *e);
/* How many reminders are due today. */
int reminder_count(struct journal *j, size_t *n, struct kerr *e);

/* One evaluation read several ways (the TUI's header count, the list's
 * marks and the Today view). reminder_evaluate may be interrupted
 * (journal_set_interrupt): K_INTERRUPTED, and the last evaluation is then
 * gone. The *_evaluated readers read the last evaluation of this journal
 * handle without evaluating again: call them only after a reminder_evaluate
 * that returned K_OK, and evaluate again once the journal or the day
 * changed. */
int reminder_evaluate(struct journal *j, struct kerr *e);
/* reminder_evaluate in reminder_rule_count(j) + 1 steps, run in order
 * from 0 (a step that fails or is interrupted is run again): step 0 empties
 * the last evaluation, step i + 1 evaluates rule i. After the last step the
 * *_evaluated readers read what reminder_evaluate would have made, provided
 * the journal (journal_generation), the day and the config did not change
 * since step 0: else start again from step 0. */
size_t reminder_rule_count(struct journal *j);
int reminder_evaluate_step(struct journal *j, size_t step, struct kerr *e);
int reminder_each_evaluated(struct journal *j, const struct reminder_query *q, reminder_cb cb,
                            void *ud, struct kerr *e);
int reminder_count_evaluated(struct journal *j, size_t *n, struct kerr *e);
/* reminder_each_evaluated that also sets *total (if not NULL) to how many
 * there are without q's window: the first screenful and the count in one
 * pass over the evaluation. */
int reminder_window_evaluated(struct journal *j, const struct reminder_query *q, size_t *total,
                              reminder_cb cb, void *ud, struct kerr *e);
/* The reminders of the last evaluation the user handled: done, or snoozed
 * past today, most recently handled first, at most limit (0: all); each
 * with done_on or snoozed_until set. */
int reminder_handled_evaluated(struct journal *j, size_t limit, reminder_cb cb, void *ud,
                               struct kerr *e);
/* Takes back a done or a snooze (one transaction): the reminder is due
 * again. r as reminder_handled_evaluated gave it. */
int reminder_restore_known(struct journal *j, const struct reminder *r, struct kerr *e);
/* Each contact an overdue reminder of a rule with trigger `on` is about,
 * once, in no particular order; cb returns nonzero to stop. */
typedef int (*reminder_contact_cb)(const char *contact_id, void *ud);
int reminder_overdue_contacts_evaluated(struct journal *j, enum config_trigger on,
                                        reminder_contact_cb cb, void *ud, struct kerr *e);

/* The reminder (due or snoozed, not done) whose id starts with what the user
 * typed (at least 4 hex digits). K_NOTFOUND when none; K_USAGE listing them
 * when several match. Clear out with reminder_clear. */
int reminder_resolve(struct journal *j, const char *id, struct reminder *out, struct kerr *e);
/* Marks a reminder done (one transaction): gone until its trigger fires
 * anew. When out is not NULL it receives the reminder (reminder_clear). */
int reminder_done(struct journal *j, const char *id, struct reminder *out, struct kerr *e);
/* Hides a reminder for days days (1 to 3650; one transaction): it is due
 * again on today + days. out as for reminder_done. */
int reminder_snooze(struct journal *j, const char *id, int days, struct reminder *out,
                    struct kerr *e);
/* As reminder_done and reminder_snooze for a reminder the caller already
 * holds from reminder_list or reminder_each (its rule, subject and fired_on
 * name it), without evaluating the rules again to find it. */
int reminder_done_known(struct journal *j, const struct reminder *r, struct kerr *e);
int reminder_snooze_known(struct journal *j, const struct reminder *r, int days, struct kerr *e);

/* Calls fn once for each due reminder never notified before and records it
 * as notified when fn returns K_OK (each in its own transaction, so a crash
 * never notifies twice what it recorded). A failure of fn leaves that
 * reminder for the next run; the others go on. *sent (may be NULL) counts
 * the successes. Returns the first failure, with its message in e. */
typedef int (*reminder_notify_fn)(const struct reminder *r, void *ud, struct kerr *e);
int reminder_notify_pending(struct journal *j, reminder_notify_fn fn, void *ud, size_t *sent,
                            struct kerr *e);

/* Coming birthdays: contacts whose birthday is within `within` days of
 * today (today included), soonest first. Valid only during the call. */
struct reminder_birthday {
    char contact_id[KID_LEN + 1];
    const char *name;
    int date;
    int in_days;
};
typedef int (*reminder_birthday_cb)(const struct reminder_birthday *b, void *ud);
int reminder_birthdays(struct journal *j, int within, reminder_birthday_cb cb, void *ud,
                       struct kerr *e);

/* The day as one JSON object: today; reminders (id, rule, priority,
 * contact, contact_id, message, due_on, fired_on, overdue) in
 * reminder_list's order; challenge (as challenge_active_json, null when
 * none was ever started); birthdays within `within` days (id, name, date,
 * in_days). *json is a new string: free(). */
int reminder_today_json(struct journal *j, int within, char **json, struct kerr *e);

#endif
