#include "kith/tui/tui_theme.h"

#include <curses.h>

static attr_t slot_attr[THEME_SLOT_COUNT];
static int colored;

static attr_t attrs_of(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THEME_BOLD)
        r |= A_BOLD;
    if (a & THEME_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_DIM)
        r |= A_DIM;
#ifdef A_ITALIC
    if (a & THEME_ITALIC)
        r |= A_ITALIC;
#endif
    return r;
}

void tui_theme_init(const struct theme *t, int use_color)
{
    struct theme mono;
    colored = 0;
    if (use_color && has_colors() && start_color() == OK && COLORS >= 8) {
        colored = 1;
        use_default_colors();
    }
    if (!colored || t->mono) {
        theme_mono(&mono);
        if (t->mono)
            mono = *t;
        for (int s = 0; s < THEME_SLOT_COUNT; s++)
            slot_attr[s] = attrs_of(mono.slot[s].attrs);
        colored = 0;
        return;
    }
    int ncolors = COLORS;
    for (int s = 0; s < THEME_SLOT_COUNT; s++) {
        const struct theme_style *st = &t->slot[s];
        int fg = theme_color_nearest(&st->fg, ncolors);
        int bg = theme_color_nearest(&st->bg, ncolors);
        attr_t a = attrs_of(st->attrs);
        /* Pair 0 is the terminal's default; each slot gets its own pair. */
        if ((fg >= 0 || bg >= 0) && s + 1 < COLOR_PAIRS &&
            init_pair((short)(s + 1), (short)fg, (short)bg) == OK)
            a |= COLOR_PAIR(s + 1);
        slot_attr[s] = a;
    }
}

unsigned long tui_theme_attr(enum theme_slot s)
{
    return (unsigned)s < THEME_SLOT_COUNT ? slot_attr[s] : A_NORMAL;
}

int tui_theme_colored(void)
{
    return colored;
}
