/* What the keys do that writes to the journal: the forms and dialogs for
 * add, edit, log, referral, thank-you, delete and undo, tick, a new
 * challenge, an outcome; and the challenge history. Each one sets the
 * bottom line's outcome and marks what must be re-read. */
#ifndef KITH_TUI_ACTIONS_H
#define KITH_TUI_ACTIONS_H

#include "kith/tui/tui_app.h"

void tui_actions_add(struct tui_app *a);
void tui_actions_edit(struct tui_app *a);
void tui_actions_refer(struct tui_app *a);
/* Thanks contact_id, for referral_id when given (else the oldest unthanked
 * referral by that contact is preselected). */
void tui_actions_thank(struct tui_app *a, const char *contact_id, const char *referral_id);
void tui_actions_outcome(struct tui_app *a, const char *referral_id);
void tui_actions_delete(struct tui_app *a);
/* Archives the selected contact, or brings an archived one back. */
void tui_actions_archive(struct tui_app *a);
/* Undo and redo the TUI's changes of any kind, in order; the history is
 * kept in the journal (kith/core/history.h). */
void tui_actions_undo(struct tui_app *a);
void tui_actions_redo(struct tui_app *a);
void tui_actions_tick(struct tui_app *a);
void tui_actions_challenge(struct tui_app *a);
void tui_actions_history(struct tui_app *a);
/* The Today view's selected reminder: mark it done, or snooze it for a
 * number of days asked for (7 unless changed). */
void tui_actions_remind_done(struct tui_app *a);
void tui_actions_remind_snooze(struct tui_app *a);
/* The Today view's selected done or snoozed reminder: due again. */
void tui_actions_remind_restore(struct tui_app *a);

#endif
