/* The Referrals (2) and Today (3) views, drawn over the list and card. */
#ifndef KITH_TUI_VIEWS_H
#define KITH_TUI_VIEWS_H

#include "kith/tui/tui_app.h"

/* Re-reads the current view's rows. */
int tui_views_reload(struct tui_app *a, struct kerr *e);
void tui_views_draw(struct tui_app *a);
/* Moves the selection; 1 when it changed. */
int tui_views_move(struct tui_app *a, enum tui_action act);
/* The selected referral (Referrals view) or NULL. */
const struct referral *tui_views_referral(const struct tui_app *a);
/* The selected row's contact id (Today view), or NULL. */
const char *tui_views_today_contact(const struct tui_app *a);
/* The selected reminder (Today view) or NULL; valid until the next
 * reload. */
const struct reminder *tui_views_today_reminder(const struct tui_app *a);
/* The selected done or snoozed reminder (Today view) or NULL; valid until
 * the next reload. */
const struct reminder *tui_views_today_handled(const struct tui_app *a);
/* Frees the Today view's rows. */
void tui_views_today_clear(struct tui_app *a);

#endif
