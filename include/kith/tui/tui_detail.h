/* Everything about one thing, in a scrolling box: a contact's full card
 * (every detail, the whole note and "working on", and the history with
 * each entry in full) and a referral (its note, outcome history, thanks
 * and the trail that led to it). */
#ifndef KITH_TUI_DETAIL_H
#define KITH_TUI_DETAIL_H

#include "kith/tui/tui_app.h"

void tui_detail_contact(struct tui_app *a, const char *id);
void tui_detail_referral(struct tui_app *a, const struct referral *r);

#endif
