/* The theme on the terminal: turns a struct theme (theme.h) into curses
 * attributes once, at start-up. */
#ifndef KITH_TUI_THEME_H
#define KITH_TUI_THEME_H

#include "kith/config/theme.h"

/* Sets up colors for t after initscr(). Without use_color, or on a terminal
 * without colors, the mono theme's attributes are used instead of t. */
void tui_theme_init(const struct theme *t, int use_color);
/* The curses attributes (color pair included) of a slot, as an attr_t. */
unsigned long tui_theme_attr(enum theme_slot s);
/* 1 when colors are in use. */
int tui_theme_colored(void);

#endif
