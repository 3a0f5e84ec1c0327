/* The Stats view (5): the figures of kith stats drawn as bar charts and
 * sparklines of Unicode blocks (shapes carry them, colors only help), one
 * scrolling page. */
#ifndef KITH_TUI_STATS_H
#define KITH_TUI_STATS_H

#include "kith/tui/tui_app.h"

/* Re-reads the figures (a year of months to today). */
int tui_stats_reload(struct tui_app *a, struct kerr *e);
void tui_stats_draw(struct tui_app *a);
/* Scrolls; 1 when it moved. */
int tui_stats_move(struct tui_app *a, enum tui_action act);
/* Frees what the view holds. */
void tui_stats_clear(struct tui_app *a);

#endif
