/* The Give view (4): today's ideas for a networking act, ranked, each with
 * its reason; Enter opens the log form with the idea's act, f pays it
 * forward. */
#ifndef KITH_TUI_GIVE_H
#define KITH_TUI_GIVE_H

#include "kith/tui/tui_app.h"

/* Re-reads the ideas (the selection stays on the same row number). */
int tui_give_reload(struct tui_app *a, struct kerr *e);
void tui_give_draw(struct tui_app *a);
/* Moves the selection; 1 when it changed. */
int tui_give_move(struct tui_app *a, enum tui_action act);
/* Enter: the log form with the selected idea's act. */
void tui_give_open(struct tui_app *a);

#endif
