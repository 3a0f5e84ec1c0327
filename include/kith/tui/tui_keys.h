/* The key table: every action of the TUI with all its keys, the views it
 * applies in and its help text. The `?` help and the bottom line come from
 * this one table; tui.c holds one handler per action. */
#ifndef KITH_TUI_KEYS_H
#define KITH_TUI_KEYS_H

#include "kith/util/kstr.h"

enum tui_action {
    TUI_ACT_NONE = 0,
    TUI_ACT_QUIT,
    TUI_ACT_HELP,
    TUI_ACT_VIEW_CONTACTS,
    TUI_ACT_VIEW_REFERRALS,
    TUI_ACT_VIEW_TODAY,
    TUI_ACT_DOWN,
    TUI_ACT_UP,
    TUI_ACT_PAGE_DOWN,
    TUI_ACT_PAGE_UP,
    TUI_ACT_TOP,
    TUI_ACT_BOTTOM,
    TUI_ACT_FOCUS,
    TUI_ACT_OPEN,
    TUI_ACT_SEARCH,
    TUI_ACT_TAG,
    TUI_ACT_SORT,
    TUI_ACT_CLEAR,
    TUI_ACT_ALL_TIMELINE,
    TUI_ACT_ADD,
    TUI_ACT_EDIT,
    TUI_ACT_LOG,
    TUI_ACT_REFER,
    TUI_ACT_THANK,
    TUI_ACT_OUTCOME,
    TUI_ACT_DELETE,
    TUI_ACT_UNDO,
    TUI_ACT_REDO,
    TUI_ACT_TICK,
    TUI_ACT_CHALLENGE,
    TUI_ACT_HISTORY,
    TUI_ACT_REDRAW,
    TUI_ACT_DONE,
    TUI_ACT_SNOOZE,
    TUI_ACT_DUPES,
    TUI_ACT_ARCHIVE,
    TUI_ACT_RESTORE,
    TUI_ACT_SHOW_ARCHIVED,
    TUI_ACT_FORWARD,
    TUI_ACT_VIEW_GIVE,
    TUI_ACT_VIEW_STATS,
    TUI_ACT_COUNT
};

/* Views, as bits, so a key can apply in several. */
enum tui_view {
    TUI_VIEW_CONTACTS = 1,
    TUI_VIEW_REFERRALS = 2,
    TUI_VIEW_TODAY = 4,
    TUI_VIEW_GIVE = 8,
    TUI_VIEW_STATS = 16,
    TUI_VIEW_ALL = 31,
};

#define TUI_KEYS_MAX 4

/* One row per action: all its keys, where it applies and what it does. Key
 * codes beyond bytes and wide characters are curses' KEY_* values; the
 * table in tui_keys.c names them. A key may mean different actions in
 * different views (r: refer a contact, restore a reminder). */
struct tui_key {
    enum tui_action act;
    unsigned views;
    int keys[TUI_KEYS_MAX]; /* the first is the one hints show; 0 ends the list */
    const char *help;       /* what the action does */
    const char *brief;      /* a word for the bottom line, or NULL to leave it out */
};

/* The whole table and its length. */
const struct tui_key *tui_keys_table(size_t *n);
/* The action of key in view, or TUI_ACT_NONE. */
enum tui_action tui_keys_lookup(int key, enum tui_view view);
/* A key's printable name: "j", "Down", "PgDn", "Enter", "^L", ... into buf
 * (16 bytes). */
const char *tui_keys_label(int key, char buf[16]);
/* The help lines for view: one per action, "KEYS  help", with the key
 * names joined by spaces and padded to the same width. Appends one line per
 * call to b, separated by '\n'. Returns the number of lines. */
int tui_keys_help(enum tui_view view, struct sbuf *b);
/* The bottom line's hints for view: "a add  l log  ..." with the first key
 * of each action that has a brief word. */
void tui_keys_hints(enum tui_view view, struct sbuf *b);

#endif
