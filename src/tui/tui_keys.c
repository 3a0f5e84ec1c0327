#include "kith/tui/tui_keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define ESC     27

/* One row per action, with all its keys. Order matters: help lists the
 * actions in this order, and the bottom line takes its hints from here. */
static const struct tui_key table[] = {
    {TUI_ACT_HELP, TUI_VIEW_ALL, {'?'}, "show every key", "help"},
    {TUI_ACT_QUIT, TUI_VIEW_ALL, {'q'}, "quit", "quit"},
    {TUI_ACT_VIEW_CONTACTS, TUI_VIEW_ALL, {'1'}, "contacts view", NULL},
    {TUI_ACT_VIEW_REFERRALS, TUI_VIEW_ALL, {'2'}, "referrals view", NULL},
    {TUI_ACT_VIEW_TODAY, TUI_VIEW_ALL, {'3'}, "today view", NULL},
    {TUI_ACT_VIEW_GIVE, TUI_VIEW_ALL, {'4'}, "give view: ideas for today's act", NULL},
    {TUI_ACT_VIEW_STATS, TUI_VIEW_ALL, {'5'}, "stats view: trends as bars and sparklines", NULL},
    {TUI_ACT_DOWN, TUI_VIEW_ALL, {'j', KEY_DOWN}, "next row", NULL},
    {TUI_ACT_UP, TUI_VIEW_ALL, {'k', KEY_UP}, "previous row", NULL},
    {TUI_ACT_PAGE_DOWN, TUI_VIEW_ALL, {KEY_NPAGE, CTRL('f')}, "page down", NULL},
    {TUI_ACT_PAGE_UP, TUI_VIEW_ALL, {KEY_PPAGE, CTRL('b')}, "page up", NULL},
    {TUI_ACT_TOP, TUI_VIEW_ALL, {'g', KEY_HOME}, "first row", NULL},
    {TUI_ACT_BOTTOM, TUI_VIEW_ALL, {'G', KEY_END}, "last row", NULL},
    {TUI_ACT_FOCUS, TUI_VIEW_CONTACTS, {'\t'}, "move focus between list and timeline", NULL},
    {TUI_ACT_OPEN,
     TUI_VIEW_ALL,
     {'\n', KEY_ENTER},
     "open: the full card, the referral in full, the reminder's contact, or act on the idea",
     "open"},
    {TUI_ACT_SEARCH, TUI_VIEW_CONTACTS, {'/'}, "search as you type", "search"},
    {TUI_ACT_TAG, TUI_VIEW_CONTACTS, {'#'}, "filter by tag", NULL},
    {TUI_ACT_SORT,
     TUI_VIEW_CONTACTS,
     {'s'},
     "cycle the sort: name, recent, silent, goodwill",
     "sort"},
    {TUI_ACT_CLEAR, TUI_VIEW_ALL, {ESC}, "clear the search and filter", NULL},
    {TUI_ACT_ALL_TIMELINE, TUI_VIEW_CONTACTS, {'T'}, "timeline of one contact / of all", NULL},
    {TUI_ACT_ADD, TUI_VIEW_CONTACTS, {'a'}, "add a contact", "add"},
    {TUI_ACT_EDIT, TUI_VIEW_CONTACTS, {'e'}, "edit the contact", "edit"},
    {TUI_ACT_LOG, TUI_VIEW_CONTACTS, {'l'}, "log an interaction", "log"},
    {TUI_ACT_FORWARD,
     TUI_VIEW_CONTACTS | TUI_VIEW_GIVE,
     {'f'},
     "pay it forward: a gift expecting nothing",
     "forward"},
    {TUI_ACT_REFER, TUI_VIEW_CONTACTS, {'r'}, "record a referral by the contact", "referral"},
    {TUI_ACT_THANK, TUI_VIEW_CONTACTS | TUI_VIEW_REFERRALS, {'t'}, "record a thank-you", "thank"},
    {TUI_ACT_DONE, TUI_VIEW_TODAY, {'d'}, "mark the reminder done (until it fires anew)", "done"},
    {TUI_ACT_SNOOZE, TUI_VIEW_TODAY, {'z'}, "snooze the reminder for some days", "snooze"},
    {TUI_ACT_RESTORE,
     TUI_VIEW_TODAY,
     {'r'},
     "restore a done or snoozed reminder: due again",
     "restore"},
    {TUI_ACT_OUTCOME, TUI_VIEW_REFERRALS, {'o'}, "set the referral's outcome", "outcome"},
    {TUI_ACT_DELETE, TUI_VIEW_CONTACTS, {'D'}, "delete the contact (asks first)", NULL},
    {TUI_ACT_DUPES, TUI_VIEW_CONTACTS, {'M'}, "likely duplicates: merge two contacts", NULL},
    {TUI_ACT_ARCHIVE,
     TUI_VIEW_CONTACTS,
     {'A'},
     "archive the contact (hidden from lists, kept), or bring them back",
     NULL},
    {TUI_ACT_SHOW_ARCHIVED, TUI_VIEW_CONTACTS, {'v'}, "list archived contacts too, or not", NULL},
    {TUI_ACT_UNDO, TUI_VIEW_ALL, {'u'}, "undo the last change (again: the one before)", "undo"},
    {TUI_ACT_REDO, TUI_VIEW_ALL, {'U', CTRL('r')}, "redo what u undid", NULL},
    {TUI_ACT_TICK, TUI_VIEW_ALL, {'x'}, "tick today in the challenge", "tick"},
    {TUI_ACT_CHALLENGE, TUI_VIEW_ALL, {'c'}, "start a challenge on any date", NULL},
    {TUI_ACT_HISTORY, TUI_VIEW_ALL, {'H'}, "past challenges", NULL},
    {TUI_ACT_REDRAW, TUI_VIEW_ALL, {CTRL('l')}, "redraw the screen", NULL},
};

const struct tui_key *tui_keys_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

enum tui_action tui_keys_lookup(int key, enum tui_view view)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        for (size_t k = 0; k < TUI_KEYS_MAX && table[i].keys[k]; k++)
            if (table[i].keys[k] == key && (table[i].views & (unsigned)view))
                return table[i].act;
    return TUI_ACT_NONE;
}

const char *tui_keys_label(int key, char buf[16])
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {KEY_DOWN, "Down"},   {KEY_UP, "Up"},
        {KEY_NPAGE, "PgDn"},  {KEY_PPAGE, "PgUp"},
        {KEY_HOME, "Home"},   {KEY_END, "End"},
        {'\t', "Tab"},        {'\n', "Enter"},
        {KEY_ENTER, NULL},    {ESC, "Esc"},
        {' ', "Space"},       {KEY_LEFT, "Left"},
        {KEY_RIGHT, "Right"}, {KEY_BACKSPACE, "Backspace"},
        {127, "Backspace"},   {KEY_DC, "Delete"},
        {KEY_IC, "Insert"},   {KEY_BTAB, "Shift-Tab"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].key == key) {
            snprintf(buf, 16, "%s", names[i].name ? names[i].name : "");
            return buf;
        }
    if (key > 0 && key < 32)
        snprintf(buf, 16, "^%c", key + '@');
    else if (key > 32 && key < 127)
        snprintf(buf, 16, "%c", key);
    else if (key >= KEY_F(1) && key <= KEY_F(63))
        snprintf(buf, 16, "F%d", key - KEY_F0);
    else if (key > KEY_MIN && key < KEY_MAX && keyname(key) && !strncmp(keyname(key), "KEY_", 4))
        /* curses' own name, as it is short enough to read: "SLEFT". */
        snprintf(buf, 16, "%s", keyname(key) + 4);
    else
        snprintf(buf, 16, "key %d", key);
    return buf;
}

/* The keys of a row, joined by spaces. */
static void keys_of(const struct tui_key *t, struct sbuf *b)
{
    for (size_t k = 0; k < TUI_KEYS_MAX && t->keys[k]; k++) {
        char lb[16];
        if (!*tui_keys_label(t->keys[k], lb))
            continue;
        if (b->len)
            sbuf_addc(b, ' ');
        sbuf_add(b, lb);
    }
}

int tui_keys_help(enum tui_view view, struct sbuf *b)
{
    int width = 0, lines = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!(table[i].views & (unsigned)view))
            continue;
        struct sbuf k = {0};
        keys_of(&table[i], &k);
        if ((int)k.len > width)
            width = (int)k.len;
        sbuf_free(&k);
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!(table[i].views & (unsigned)view))
            continue;
        struct sbuf k = {0};
        keys_of(&table[i], &k);
        if (lines++)
            sbuf_addc(b, '\n');
        sbuf_printf(b, "%-*s  %s", width, k.s ? k.s : "", table[i].help);
        sbuf_free(&k);
    }
    return lines;
}

/* The bottom line's order: what a view is for comes first, so that at 80
 * columns what is cut is what everyone knows (quit) or help lists. */
static const enum tui_action hint_order[] = {
    TUI_ACT_HELP,   TUI_ACT_ADD,   TUI_ACT_EDIT,  TUI_ACT_LOG,     TUI_ACT_DONE,    TUI_ACT_SNOOZE,
    TUI_ACT_OPEN,   TUI_ACT_TICK,  TUI_ACT_THANK, TUI_ACT_OUTCOME, TUI_ACT_RESTORE, TUI_ACT_UNDO,
    TUI_ACT_SEARCH, TUI_ACT_REFER, TUI_ACT_SORT,  TUI_ACT_FORWARD, TUI_ACT_QUIT,
};

void tui_keys_hints(enum tui_view view, struct sbuf *b)
{
    for (size_t h = 0; h < sizeof hint_order / sizeof *hint_order; h++) {
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
            char lb[16];
            if (table[i].act != hint_order[h] || !table[i].brief ||
                !(table[i].views & (unsigned)view))
                continue;
            if (b->len)
                sbuf_add(b, "  ");
            sbuf_printf(b, "%s %s", tui_keys_label(table[i].keys[0], lb), table[i].brief);
            break;
        }
    }
}
