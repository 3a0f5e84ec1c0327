/* The terminal's input beyond single keys: bracketed pastes, noticing that
 * the terminal went away, and handing text to the user's editor. */
#ifndef KITH_TUI_INPUT_H
#define KITH_TUI_INPUT_H

#include "kith/util/kerr.h"
#include "kith/util/kstr.h"

/* Key codes past curses' own (KEY_MAX): the terminal's bracketed-paste
 * markers, as curses returns them after tui_input_start. */
#define TUI_KEY_PASTE_BEGIN 0x7f00
#define TUI_KEY_PASTE_END   0x7f01

/* At most this much of one paste is kept; the rest is read and dropped. */
#define TUI_PASTE_MAX (1 << 20)

/* After initscr: asks the terminal to bracket pastes and teaches curses
 * the markers. */
void tui_input_start(void);
/* Before endwin: the terminal stops bracketing pastes. */
void tui_input_stop(void);

/* After TUI_KEY_PASTE_BEGIN: reads the pasted text up to its end marker
 * into out (appended), as text: line ends become '\n' ("\r\n" and "\r"
 * included), keys inside the paste are dropped. Gives up when nothing
 * arrives for a second or when the terminal goes away. Returns 1 when the
 * paste was longer than TUI_PASTE_MAX (the rest was dropped), else 0. */
int tui_input_paste(struct sbuf *out);

/* 1 once the terminal has gone away: its input ended or failed (the other
 * side of a pty closed, a read error), with or without a SIGHUP. Cheap: a
 * poll without waiting. */
int tui_input_gone(void);

/* Lets the user edit text in $VISUAL, else $EDITOR, else vi: leaves curses
 * mode, runs the editor on a private temporary file holding text, reads
 * it back and returns to curses mode (the caller redraws everything).
 * *out is the new text (free()), at most max bytes; K_ERR with a message
 * when the editor failed or the text is too long (then *out is NULL). The
 * editor's own interrupts (Ctrl-C) do not reach kith. */
int tui_input_edit(const char *text, size_t max, char **out, struct kerr *e);

#endif
