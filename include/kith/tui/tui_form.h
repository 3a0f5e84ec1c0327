/* Forms and dialogs over the panes: an editable form (ncurses' form
 * library: UTF-8 input, cursor movement, Tab between fields, Enter saves,
 * Esc cancels, bracketed pastes as text, Ctrl-X hands a field to the
 * user's editor), a question with a few answers and a scrolling text box.
 * Each runs its own key loop until it is done, re-laying out on a resize
 * without losing what was typed. */
#ifndef KITH_TUI_FORM_H
#define KITH_TUI_FORM_H

#include "kith/util/kerr.h"
#include "kith/tui/tui_layout.h"

#include <stddef.h>

/* What a dialog needs from the screen under it. */
struct tui_host {
    const struct tui_layout *layout; /* kept current by relayout */
    /* Called after a resize: lays out and redraws the screen under the
     * dialog (without flushing). */
    void (*relayout)(void *ud);
    void *ud;
    /* 1 when the program must end now (a signal, the terminal gone):
     * dialogs cancel, saving nothing. */
    int (*quitting)(void);
};

enum tui_field_type { TUI_FIELD_TEXT = 0, TUI_FIELD_CHOICE };

enum tui_field_flag {
    /* Text of several lines (a note): kept exactly. One line is typed in
     * the form; several are shown as a preview and edited with Ctrl-X. */
    TUI_FIELD_LINES = 1,
    /* A list: the value holds one item a line; in the form the items are
     * typed separated by any character of sep (and shown joined by its
     * first). A list whose items hold a separator is edited with Ctrl-X. */
    TUI_FIELD_LIST = 2,
    /* A CHOICE that also takes any word typed into it. */
    TUI_FIELD_OPEN = 4,
};

struct tui_field {
    const char *label;
    const char *const *choices; /* TUI_FIELD_CHOICE: NULL-terminated */
    const char *hint;           /* shown while the field is current; may be NULL */
    char *value;                /* owned: the initial text in, what was typed out */
    const char *sep;            /* TUI_FIELD_LIST: the separators, e.g. " ," */
    const char *name;           /* the core's name for it (struct kerr's field) */
    enum tui_field_type type;
    unsigned flags; /* enum tui_field_flag */
    int changed;    /* out: value differs from what the form opened with */
};

/* Checks the values and, when all are valid, saves them. Returns K_OK when
 * saved. Otherwise returns a status with the message in e, and *bad the
 * field it concerns (or -1: then e->field, when set, names it). Nothing may
 * be written unless all is valid. f[i].changed tells which fields the user
 * changed. */
typedef int (*tui_form_submit)(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e);

struct tui_form {
    const char *title;
    struct tui_field *f;
    size_t n;
    tui_form_submit submit;
    /* Optional: called when field i got a new value from a pick or as the
     * cursor leaves it; it may set other fields (tui_field_set), which the
     * form then shows. */
    void (*changed)(void *ud, struct tui_field *f, size_t n, size_t i);
    void *ud;
    /* Optional: a note the form shows under its fields (two rows,
     * wrapped), read at every redraw through this pointer (so changed can
     * set it), NULL or "" for none; the form keeps the rows for it when
     * note is set. Journal text in it is escaped. */
    const char *const *note;
};

/* Runs the form. Returns 1 when saved, 0 when cancelled (or the program is
 * quitting). f[i].value is updated either way. */
int tui_form_run(const struct tui_host *h, const struct tui_form *form);
/* Sets f->value to a copy of v (NULL: empty). */
void tui_field_set(struct tui_field *f, const char *v);
/* Frees the values of n fields. */
void tui_fields_clear(struct tui_field *f, size_t n);
/* For a submit callback: the day in date field f, which is field idx of the
 * form; empty is today. On an unreadable date returns K_USAGE with the
 * message in e and *bad set to idx, so the form marks that field. */
int tui_field_date(const struct tui_field *f, int idx, int today, int *out, int *bad,
                   struct kerr *e);

/* Asks question; 1 for y, 0 for anything else (Enter and Esc too). */
int tui_form_confirm(const struct tui_host *h, const char *title, const char *question);
/* Asks question with the answers in keys (the characters that answer, e.g.
 * "ktm"), described on the bottom line by hint. Returns the key pressed,
 * or 0 for Esc, q or the program quitting. */
int tui_form_ask(const struct tui_host *h, const char *title, const char *question,
                 const char *keys, const char *hint);
/* Shows text (lines separated by '\n'; journal text is escaped) in a box
 * that scrolls with j/k and arrows and closes with q, Esc or Enter. */
void tui_form_text(const struct tui_host *h, const char *title, const char *text);

#endif
