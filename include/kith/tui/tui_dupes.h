/* The likely duplicates (kith/core/dupes.h) in a dialog over the panes: move
 * with j/k, s swaps which contact is kept, Enter merges after asking, and
 * u in the main screen undoes the merge. */
#ifndef KITH_TUI_DUPES_H
#define KITH_TUI_DUPES_H

#include "kith/tui/tui_app.h"

/* Runs the dialog until it is closed (q, Esc). */
void tui_dupes_run(struct tui_app *a);

#endif
