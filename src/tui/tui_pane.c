#include "kith/tui/tui_pane.h"

#include "kith/util/kstr.h"
#include "kith/tui/tui_theme.h"

#include <curses.h>
#include <panel.h>
#include <stdlib.h>
#include <string.h>

/* A pane moved or changed size since the last flush: the panel library
 * knows of moves but not of wresize, so the cells a shrunk pane left keep
 * its old text unless every pane is composed again. */
static int placed;

struct tui_pane {
    WINDOW *w;
    PANEL *pn;
    struct tui_rect r;
    int shown;
    int boxed; /* text stops short of the right border */
};

static WINDOW *make_win(struct tui_rect r)
{
    /* curses cannot make an empty window; a hidden 1x1 stands in. */
    int h = r.h > 0 ? r.h : 1, w = r.w > 0 ? r.w : 1;
    WINDOW *win = newwin(h, w, r.y >= 0 ? r.y : 0, r.x >= 0 ? r.x : 0);
    if (win) {
        keypad(win, TRUE);
        leaveok(win, TRUE);
    }
    return win;
}

struct tui_pane *tui_pane_new(struct tui_rect r)
{
    struct tui_pane *p = kcalloc(1, sizeof *p);
    p->r = r;
    p->w = make_win(r);
    p->pn = new_panel(p->w);
    p->shown = 1;
    if (r.h <= 0 || r.w <= 0)
        tui_pane_show(p, 0);
    return p;
}

void tui_pane_free(struct tui_pane **pp)
{
    if (!pp || !*pp)
        return;
    del_panel((*pp)->pn);
    delwin((*pp)->w);
    free(*pp);
    *pp = NULL;
}

void tui_pane_place(struct tui_pane *p, struct tui_rect r)
{
    int visible = r.h > 0 && r.w > 0;
    p->r = r;
    if (!visible) {
        tui_pane_show(p, 0);
        return;
    }
    /* Shrink, move, then grow: curses refuses a window that leaves the
     * screen at any step. */
    int oh, ow;
    getmaxyx(p->w, oh, ow);
    placed = 1;
    wresize(p->w, oh < r.h ? oh : r.h, ow < r.w ? ow : r.w);
    move_panel(p->pn, r.y, r.x);
    wresize(p->w, r.h, r.w);
    replace_panel(p->pn, p->w);
    tui_pane_show(p, 1);
}

struct tui_rect tui_pane_rect(const struct tui_pane *p)
{
    return p->r;
}

void tui_pane_show(struct tui_pane *p, int shown)
{
    if (shown && !p->shown)
        show_panel(p->pn);
    else if (!shown && p->shown)
        hide_panel(p->pn);
    p->shown = shown;
}

void tui_pane_top(struct tui_pane *p)
{
    top_panel(p->pn);
}

void tui_pane_erase(struct tui_pane *p, enum theme_slot s)
{
    wbkgdset(p->w, ' ' | (chtype)tui_theme_attr(s));
    wattrset(p->w, (int)tui_theme_attr(s));
    werase(p->w);
    p->boxed = 0;
}

void tui_pane_box(struct tui_pane *p, enum theme_slot s, const char *title, const char *note)
{
    int w = p->r.w;
    p->boxed = 0;
    wattrset(p->w, (int)tui_theme_attr(s));
    box(p->w, 0, 0);
    if (title && w > 6) {
        char *esc = kstr_escape(title);
        int tw = kstr_width(esc);
        int nw = 0;
        char *nesc = note ? kstr_escape(note) : NULL;
        if (nesc)
            nw = kstr_width(nesc) + 2;
        int room = w - 6 - (nw ? nw + 1 : 0);
        if (room < 4) {
            room = w - 6;
            nw = 0;
        }
        if (tw > room)
            tw = room;
        mvwaddstr(p->w, 0, 1, " ");
        tui_pane_text(p, 0, 2, tw, s == THEME_FOCUS ? THEME_FOCUS : THEME_TITLE, esc, 0);
        wattrset(p->w, (int)tui_theme_attr(s));
        waddstr(p->w, " ");
        if (nw)
            tui_pane_text(p, 0, w - nw - 1, nw, THEME_MUTED, nesc, 1);
        free(esc);
        free(nesc);
    }
    wattrset(p->w, A_NORMAL);
    p->boxed = 1;
}

int tui_pane_text(struct tui_pane *p, int y, int x, int width, enum theme_slot slot, const char *s,
                  int right_align)
{
    int edge = p->r.w - p->boxed;
    if (y < 0 || y >= p->r.h || x >= edge)
        return 0;
    if (width < 0 || x + width > edge)
        width = edge - x;
    if (width <= 0)
        return 0;
    struct sbuf b = {0};
    kstr_fit(&b, s, width, right_align); /* escapes */
    wattrset(p->w, (int)tui_theme_attr(slot));
    mvwaddstr(p->w, y, x, b.s ? b.s : "");
    wattrset(p->w, A_NORMAL);
    sbuf_free(&b);
    return width;
}

int tui_pane_put(struct tui_pane *p, int y, int x, enum theme_slot slot, const char *s)
{
    int edge = p->r.w - (p->boxed && y > 0 && y < p->r.h - 1);
    if (y < 0 || y >= p->r.h || x >= edge || x < 0)
        return 0;
    int room = edge - x, w = kstr_width(s);
    if (w > room) {
        struct sbuf b = {0};
        kstr_fit(&b, s, room, 0);
        wattrset(p->w, (int)tui_theme_attr(slot));
        mvwaddstr(p->w, y, x, b.s);
        sbuf_free(&b);
        w = room;
    } else {
        wattrset(p->w, (int)tui_theme_attr(slot));
        mvwaddstr(p->w, y, x, s);
    }
    wattrset(p->w, A_NORMAL);
    return w;
}

void tui_pane_paint(struct tui_pane *p, int y, int x, int width, enum theme_slot slot)
{
    if (y < 0 || y >= p->r.h || x >= p->r.w || width <= 0)
        return;
    if (x + width > p->r.w)
        width = p->r.w - x;
    attr_t a = (attr_t)tui_theme_attr(slot);
    mvwchgat(p->w, y, x, width, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
}

void tui_pane_cursor(struct tui_pane *p, int y, int x)
{
    leaveok(p->w, FALSE);
    wmove(p->w, y, x);
}

void tui_pane_flush(void)
{
    if (placed) {
        touchwin(stdscr);
        for (PANEL *pn = panel_above(NULL); pn; pn = panel_above(pn))
            touchwin(panel_window(pn));
        placed = 0;
    }
    update_panels();
    doupdate();
}
