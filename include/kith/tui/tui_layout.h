/* Pane layout: a pure function from the terminal size to rectangles, so that
 * every size (and every resize) is laid out the same way and can be tested
 * without a terminal. */
#ifndef KITH_TUI_LAYOUT_H
#define KITH_TUI_LAYOUT_H

#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 16

struct tui_rect {
    int y, x, h, w;
};

struct tui_layout {
    int rows, cols;
    int too_small;          /* below TUI_MIN_COLS x TUI_MIN_ROWS: only `screen` is set */
    struct tui_rect screen; /* the whole terminal */
    struct tui_rect header; /* top line: views, due count, challenge day */
    struct tui_rect body;   /* list + card: the area the other views use */
    struct tui_rect list;   /* contact list pane, borders included */
    struct tui_rect card;   /* card and timeline pane, borders included */
    struct tui_rect strip;  /* challenge strip, borders included */
    struct tui_rect status; /* bottom line */
};

/* Lays out a terminal of rows x cols. */
void tui_layout_compute(int rows, int cols, struct tui_layout *out);
/* A centered dialog of at most want_h x want_w inside the screen (at least
 * one cell of margin when the screen allows). */
struct tui_rect tui_layout_dialog(const struct tui_layout *l, int want_h, int want_w);
/* Columns per day in a challenge strip of `days` days drawn in `width`
 * columns: 2 ("■ ") when it fits, else 1. */
int tui_layout_strip_cell(int width, int days);
/* The first row to show so that row `sel` of `n` is visible in a window of
 * `height` rows that currently starts at `top`: scrolls as little as
 * possible. */
int tui_layout_scroll(int top, int sel, int n, int height);

#endif
