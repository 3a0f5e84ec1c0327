/* The TUI's reminders: one evaluation of the rules kept until the journal
 * changes. Evaluating every rule and reading the result costs passes over
 * the whole journal (a tenth of a second or more at 100k contacts and 1M
 * interactions), so the screen reads this cache and never evaluates per
 * keystroke: tui_remind_stale marks the data changed (another process
 * wrote, this one saved, the day turned) and tui_remind_refresh evaluates
 * -- while the screen waits for a key, in steps that each give way to a
 * key, so that it never delays a frame or a key. Until it ends, the screen
 * shows the last result, marked as being updated. */
#ifndef KITH_TUI_REMIND_H
#define KITH_TUI_REMIND_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* At most this many reminders are kept for the Today view; the count
 * covers them all. */
#define TUI_REMIND_KEEP 500
/* The Today view lists this many handled reminders at most. */
#define TUI_REMIND_HANDLED 30

struct tui_remind;

/* A new cache, stale. Free with tui_remind_free. */
struct tui_remind *tui_remind_new(void);
/* Frees and sets *r to NULL. Accepts NULL. */
void tui_remind_free(struct tui_remind **r);
/* The journal changed: the next refresh evaluates. */
void tui_remind_stale(struct tui_remind *r);
/* Evaluates the rules when stale (else does nothing) and reads the
 * result. With interrupt, the work stops as soon as interrupt(ud) returns
 * nonzero (a key is waiting): K_INTERRUPTED, the cache keeps what it had
 * and stays stale, and the next call goes on from the step that was
 * stopped (or starts over if the journal changed meanwhile). On another
 * failure the cache keeps what it had too, and is not evaluated again
 * before the next tui_remind_stale. */
int tui_remind_refresh(struct tui_remind *r, struct journal *j, int (*interrupt)(void *ud),
                       void *ud, struct kerr *e);
/* 1 once an evaluation has been read (before, the count is 0 for want of
 * knowing better). */
int tui_remind_known(const struct tui_remind *r);
/* Why the last refresh failed (the last result read, if any, is still
 * shown); NULL after one that did not. Owned by r. */
const char *tui_remind_error(const struct tui_remind *r);
/* 1 when the journal or the day changed since the evaluation read. */
int tui_remind_is_stale(const struct tui_remind *r);
/* How many reminders are due. */
size_t tui_remind_count(const struct tui_remind *r);
/* The first TUI_REMIND_KEEP due reminders in reminder_list's order; owned by
 * r, valid until the next refresh. */
const struct reminder_list *tui_remind_list(const struct tui_remind *r);
/* The reminders the user handled (done, or snoozed past today), at most
 * TUI_REMIND_HANDLED, most recent first; owned by r, valid until the next
 * refresh. */
const struct reminder_list *tui_remind_handled(const struct tui_remind *r);
/* rem was marked done or snoozed: it leaves the list (and the count) at
 * once, before the evaluation that follows the write ends. */
void tui_remind_drop(struct tui_remind *r, const struct reminder *rem);
/* 1 when a silence rule says contact_id is overdue (a reminder past the
 * rule's max_days, neither done nor snoozed). */
int tui_remind_overdue(const struct tui_remind *r, const char *contact_id);

/* Pure helpers, exposed for the unit tests. */

/* Sorts n ids (each KID_LEN + 1 bytes) and drops duplicates; returns the
 * new count. */
size_t tui_remind_ids_sort(char (*ids)[KID_LEN + 1], size_t n);
/* 1 when id is among n ids sorted by tui_remind_ids_sort. */
int tui_remind_ids_has(const char (*ids)[KID_LEN + 1], size_t n, const char *id);
/* The days a snooze lasts, as typed: empty means 7; else a whole number of
 * days from 1 to 3650, spaces around allowed. K_USAGE with a message when
 * it is not. */
int tui_remind_snooze_days(const char *typed, int *days, struct kerr *e);

#endif
