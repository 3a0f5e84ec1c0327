/* The challenge strip: the active challenge as a row of days. */
#ifndef KITH_TUI_STRIP_H
#define KITH_TUI_STRIP_H

#include "kith/util/model.h"
#include "kith/tui/tui_pane.h"

/* Draws ch (NULL: none started) for today. Done, missed, today and future
 * days differ in glyph as well as in color. */
void tui_strip_draw(struct tui_pane *p, const struct challenge *ch, int today);

#endif
