#include "kith/tui_keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define ESC     27

/* Order matters: help lists actions in the order of their first key, and
 * the bottom line shows the briefs in this order. */
static const struct tui_key table[] = {
    {'?', TUI_ACT_HELP, TUI_VIEW_ALL, "show every key", "help"},
    {'q', TUI_ACT_QUIT, TUI_VIEW_ALL, "quit", "quit"},
    {'1', TUI_ACT_VIEW_CONTACTS, TUI_VIEW_ALL, "contacts view", NULL},
    {'2', TUI_ACT_VIEW_REFERRALS, TUI_VIEW_ALL, "referrals view", NULL},
    {'3', TUI_ACT_VIEW_TODAY, TUI_VIEW_ALL, "today view", NULL},
    {'4', TUI_ACT_VIEW_GIVE, TUI_VIEW_ALL, "give view: ideas for today's act", NULL},
    {'5', TUI_ACT_VIEW_STATS, TUI_VIEW_ALL, "stats view: trends as bars and sparklines", NULL},
    {'j', TUI_ACT_DOWN, TUI_VIEW_ALL, "next row", NULL},
    {KEY_DOWN, TUI_ACT_DOWN, TUI_VIEW_ALL, "next row", NULL},
    {'k', TUI_ACT_UP, TUI_VIEW_ALL, "previous row", NULL},
    {KEY_UP, TUI_ACT_UP, TUI_VIEW_ALL, "previous row", NULL},
    {KEY_NPAGE, TUI_ACT_PAGE_DOWN, TUI_VIEW_ALL, "page down", NULL},
    {CTRL('f'), TUI_ACT_PAGE_DOWN, TUI_VIEW_ALL, "page down", NULL},
    {KEY_PPAGE, TUI_ACT_PAGE_UP, TUI_VIEW_ALL, "page up", NULL},
    {CTRL('b'), TUI_ACT_PAGE_UP, TUI_VIEW_ALL, "page up", NULL},
    {'g', TUI_ACT_TOP, TUI_VIEW_ALL, "first row", NULL},
    {KEY_HOME, TUI_ACT_TOP, TUI_VIEW_ALL, "first row", NULL},
    {'G', TUI_ACT_BOTTOM, TUI_VIEW_ALL, "last row", NULL},
    {KEY_END, TUI_ACT_BOTTOM, TUI_VIEW_ALL, "last row", NULL},
    {'\t', TUI_ACT_FOCUS, TUI_VIEW_CONTACTS, "move focus between list and timeline", NULL},
    {'\n', TUI_ACT_OPEN, TUI_VIEW_ALL,
     "open: the full card, the referral in full, the reminder's contact, or act on the idea",
     "open"},
    {KEY_ENTER, TUI_ACT_OPEN, TUI_VIEW_ALL,
     "open: the full card, the referral in full, the reminder's contact, or act on the idea", NULL},
    {'/', TUI_ACT_SEARCH, TUI_VIEW_CONTACTS, "search as you type", "search"},
    {'#', TUI_ACT_TAG, TUI_VIEW_CONTACTS, "filter by tag", NULL},
    {'s', TUI_ACT_SORT, TUI_VIEW_CONTACTS, "cycle the sort: name, recent, silent, goodwill",
     "sort"},
    {ESC, TUI_ACT_CLEAR, TUI_VIEW_ALL, "clear the search and filter", NULL},
    {'T', TUI_ACT_ALL_TIMELINE, TUI_VIEW_CONTACTS, "timeline of one contact / of all", NULL},
    {'a', TUI_ACT_ADD, TUI_VIEW_CONTACTS, "add a contact", "add"},
    {'e', TUI_ACT_EDIT, TUI_VIEW_CONTACTS, "edit the contact", "edit"},
    {'l', TUI_ACT_LOG, TUI_VIEW_CONTACTS, "log an interaction", "log"},
    {'f', TUI_ACT_FORWARD, TUI_VIEW_CONTACTS | TUI_VIEW_GIVE,
     "pay it forward: a gift expecting nothing", "forward"},
    {'r', TUI_ACT_REFER, TUI_VIEW_CONTACTS, "record a referral by the contact", "referral"},
    {'t', TUI_ACT_THANK, TUI_VIEW_CONTACTS | TUI_VIEW_REFERRALS, "record a thank-you", "thank"},
    {'d', TUI_ACT_DONE, TUI_VIEW_TODAY, "mark the reminder done (until it fires anew)", "done"},
    {'z', TUI_ACT_SNOOZE, TUI_VIEW_TODAY, "snooze the reminder for some days", "snooze"},
    {'r', TUI_ACT_RESTORE, TUI_VIEW_TODAY, "restore a done or snoozed reminder: due again",
     "restore"},
    {'o', TUI_ACT_OUTCOME, TUI_VIEW_REFERRALS, "set the referral's outcome", "outcome"},
    {'D', TUI_ACT_DELETE, TUI_VIEW_CONTACTS, "delete the contact (asks first)", NULL},
    {'M', TUI_ACT_DUPES, TUI_VIEW_CONTACTS, "likely duplicates: merge two contacts", NULL},
    {'A', TUI_ACT_ARCHIVE, TUI_VIEW_CONTACTS,
     "archive the contact (hidden from lists, kept), or bring them back", NULL},
    {'v', TUI_ACT_SHOW_ARCHIVED, TUI_VIEW_CONTACTS, "list archived contacts too, or not", NULL},
    {'u', TUI_ACT_UNDO, TUI_VIEW_ALL, "undo the last change (again: the one before)", "undo"},
    {'U', TUI_ACT_REDO, TUI_VIEW_ALL, "redo what u undid", NULL},
    {CTRL('r'), TUI_ACT_REDO, TUI_VIEW_ALL, "redo what u undid", NULL},
    {'x', TUI_ACT_TICK, TUI_VIEW_ALL, "tick today in the challenge", "tick"},
    {'c', TUI_ACT_CHALLENGE, TUI_VIEW_ALL, "start a challenge on any date", NULL},
    {'H', TUI_ACT_HISTORY, TUI_VIEW_ALL, "past challenges", NULL},
    {CTRL('l'), TUI_ACT_REDRAW, TUI_VIEW_ALL, "redraw the screen", NULL},
};

const struct tui_key *tui_keys_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

enum tui_action tui_keys_lookup(int key, enum tui_view view)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].key == key && (table[i].views & (unsigned)view))
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

/* The keys of act in view, joined by spaces. */
static void keys_of(enum tui_action act, enum tui_view view, struct sbuf *b)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char lb[16];
        if (table[i].act != act || !(table[i].views & (unsigned)view))
            continue;
        if (!*tui_keys_label(table[i].key, lb))
            continue;
        if (b->len)
            sbuf_addc(b, ' ');
        sbuf_add(b, lb);
    }
}

/* 1 when table[i] is the first entry of its action in view. */
static int first_of_action(size_t i, enum tui_view view)
{
    if (!(table[i].views & (unsigned)view))
        return 0;
    for (size_t k = 0; k < i; k++)
        if (table[k].act == table[i].act && (table[k].views & (unsigned)view))
            return 0;
    return 1;
}

int tui_keys_help(enum tui_view view, struct sbuf *b)
{
    int width = 0, lines = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!first_of_action(i, view))
            continue;
        struct sbuf k = {0};
        keys_of(table[i].act, view, &k);
        if ((int)k.len > width)
            width = (int)k.len;
        sbuf_free(&k);
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!first_of_action(i, view))
            continue;
        struct sbuf k = {0};
        keys_of(table[i].act, view, &k);
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
            if (table[i].act != hint_order[h] || !table[i].brief || !first_of_action(i, view))
                continue;
            if (b->len)
                sbuf_add(b, "  ");
            sbuf_printf(b, "%s %s", tui_keys_label(table[i].key, lb), table[i].brief);
            break;
        }
    }
}
