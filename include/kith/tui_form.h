/* Forms and dialogs over the panes: an editable form (ncurses' form
 * library: UTF-8 input, cursor movement, Tab between fields, Enter saves,
 * Esc cancels), a yes/no question and a scrolling text box. Each runs its
 * own key loop until it is done, re-laying out on a resize without losing
 * what was typed. */
#ifndef KITH_TUI_FORM_H
#define KITH_TUI_FORM_H

#include "kith/kerr.h"
#include "kith/tui_layout.h"

#include <stddef.h>

/* What a dialog needs from the screen under it. */
struct tui_host {
    const struct tui_layout *layout; /* kept current by relayout */
    /* Called after a resize: lays out and redraws the screen under the
     * dialog (without flushing). */
    void (*relayout)(void *ud);
    void *ud;
    /* 1 when the program must end now (a signal): dialogs cancel. */
    int (*quitting)(void);
};

enum tui_field_type { TUI_FIELD_TEXT = 0, TUI_FIELD_CHOICE };

struct tui_field {
    const char *label;
    enum tui_field_type type;
    const char *const *choices; /* TUI_FIELD_CHOICE: NULL-terminated */
    const char *hint;           /* shown while the field is current; may be NULL */
    char *value;                /* owned: the initial text in, what was typed out */
};

/* Checks the values and, when all are valid, saves them. Returns K_OK when
 * saved. Otherwise returns a status with the message in e, and *bad the
 * field it concerns (or -1). Nothing may be written unless all is valid. */
typedef int (*tui_form_submit)(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e);

/* Runs a form titled title over fields. Returns 1 when saved, 0 when
 * cancelled. f[i].value is updated either way. */
int tui_form_run(const struct tui_host *h, const char *title, struct tui_field *f, size_t n,
                 tui_form_submit submit, void *ud);
/* Sets f->value to a copy of v (NULL: empty). */
void tui_field_set(struct tui_field *f, const char *v);
/* Frees the values of n fields. */
void tui_fields_clear(struct tui_field *f, size_t n);

/* Asks question; 1 for y, 0 for anything else. */
int tui_form_confirm(const struct tui_host *h, const char *title, const char *question);
/* Shows text (lines separated by '\n'; journal text is escaped) in a box
 * that scrolls with j/k and arrows and closes with q, Esc or Enter. */
void tui_form_text(const struct tui_host *h, const char *title, const char *text);

#endif
