/* Panes: a curses window in a panel (so that dialogs stack over panes),
 * with drawing helpers that escape journal text and fit it to columns. The
 * other TUI modules draw only through this interface. */
#ifndef KITH_TUI_PANE_H
#define KITH_TUI_PANE_H

#include "kith/config/theme.h"
#include "kith/tui/tui_layout.h"

struct tui_pane;

/* A new pane covering r, shown on top. Free with tui_pane_free. */
struct tui_pane *tui_pane_new(struct tui_rect r);
/* Frees the pane and sets *p to NULL. Accepts NULL. */
void tui_pane_free(struct tui_pane **p);
/* Moves and resizes the pane to r (an empty r hides it). */
void tui_pane_place(struct tui_pane *p, struct tui_rect r);
struct tui_rect tui_pane_rect(const struct tui_pane *p);
void tui_pane_show(struct tui_pane *p, int shown);
void tui_pane_top(struct tui_pane *p);
/* Erases the pane with the slot's background. */
void tui_pane_erase(struct tui_pane *p, enum theme_slot s);
/* A border in the slot's style with title (journal text allowed: it is
 * escaped) and an optional right-hand note, both fitted to the width. */
void tui_pane_box(struct tui_pane *p, enum theme_slot s, const char *title, const char *note);
/* Writes s at (y, x) fitted to exactly width columns (the rest of the row
 * from x when width < 0), escaping control characters. right_align pads on
 * the left. Returns the columns written. */
int tui_pane_text(struct tui_pane *p, int y, int x, int width, enum theme_slot slot, const char *s,
                  int right_align);
/* As tui_pane_text for text already safe (built by kith, no journal text):
 * written as is, not fitted; clipped at the pane's edge. */
int tui_pane_put(struct tui_pane *p, int y, int x, enum theme_slot slot, const char *s);
/* Applies the slot's style to width cells of row y from x. */
void tui_pane_paint(struct tui_pane *p, int y, int x, int width, enum theme_slot slot);
/* Places the terminal cursor at (y, x) of the pane. */
void tui_pane_cursor(struct tui_pane *p, int y, int x);
/* Sends every pane's changes to the terminal in one write. */
void tui_pane_flush(void);

#endif
