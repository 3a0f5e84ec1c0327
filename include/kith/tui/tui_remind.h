/* The TUI's reminders: one evaluation of the rules kept until the journal
 * changes. Evaluating every rule costs a pass over the whole journal (0.15
 * to 0.2 s at 100k contacts and 1M interactions), so the screen reads this cache and
 * never evaluates per keystroke: tui_remind_stale marks the data changed
 * (another process wrote, this one saved, the day turned) and the next
 * tui_remind_refresh evaluates once -- while the screen waits for a key, so
 * that it never delays a frame or a key. */
#ifndef KITH_TUI_REMIND_H
#define KITH_TUI_REMIND_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* At most this many reminders are kept for the Today view; the count
 * covers them all. */
#define TUI_REMIND_KEEP 500

struct tui_remind;

/* A new cache, stale. Free with tui_remind_free. */
struct tui_remind *tui_remind_new(void);
/* Frees and sets *r to NULL. Accepts NULL. */
void tui_remind_free(struct tui_remind **r);
/* The journal changed: the next refresh evaluates. */
void tui_remind_stale(struct tui_remind *r);
/* Evaluates the rules when stale (else does nothing) and reads the
 * result. With interrupt, the evaluation stops as soon as interrupt(ud)
 * returns nonzero (a key is waiting): K_INTERRUPTED, and the cache keeps
 * what it had and stays stale. On another failure the cache keeps what it
 * had too, and is not evaluated again before the next tui_remind_stale. */
int tui_remind_refresh(struct tui_remind *r, struct journal *j, int (*interrupt)(void *ud),
                       void *ud, struct kerr *e);
/* 1 once an evaluation has been read (before, the count is 0 for want of
 * knowing better). */
int tui_remind_known(const struct tui_remind *r);
/* 1 when the journal or the day changed since the evaluation read. */
int tui_remind_is_stale(const struct tui_remind *r);
/* How many reminders are due. */
size_t tui_remind_count(const struct tui_remind *r);
/* The first TUI_REMIND_KEEP due reminders in reminder_list's order; owned by
 * r, valid until the next refresh. */
const struct reminder_list *tui_remind_list(const struct tui_remind *r);
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
