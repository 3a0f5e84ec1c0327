#include "kith/tui/tui_give.h"

#include "kith/util/kstr.h"
#include "kith/tui/tui_log.h"

#include <stdio.h>
#include <string.h>

/* Ideas the view reads: more than a screen, fewer than a report. */
#define GIVE_MAX 40

/* Each idea takes two rows: what to do, and why. */
static int per_screen(const struct tui_app *a)
{
    int rows = a->lay.body.h - 4; /* the box and the challenge line */
    return rows / 2 > 0 ? rows / 2 : 1;
}

int tui_give_reload(struct tui_app *a, struct kerr *e)
{
    idea_list_clear(&a->ideas);
    int rc = ideas_list(a->j, GIVE_MAX, &a->ideas, e);
    if (a->idea_sel >= a->ideas.n)
        a->idea_sel = a->ideas.n ? a->ideas.n - 1 : 0;
    return rc;
}

/* The first line: whether today's act is done, and what acting does. */
static void draw_today(struct tui_app *a, struct tui_pane *p, int w)
{
    char line[200];
    if (a->have_ch && !a->ch.finished && a->ch.day > 0)
        snprintf(line, sizeof line, "Challenge day %d of %d: %s", a->ch.day, a->ch.days,
                 a->ch.today_done ? "today's act is done ✓ · more is welcome"
                                  : "acting on an idea ticks today");
    else
        snprintf(line, sizeof line, "What could you do for someone today? Enter acts on an idea");
    tui_pane_text(p, 1, 2, w, a->have_ch && a->ch.today_done ? THEME_DONE : THEME_TITLE, line, 0);
}

void tui_give_draw(struct tui_app *a)
{
    struct tui_pane *p = a->view_p;
    struct tui_rect r = tui_pane_rect(p);
    char title[64];
    tui_pane_erase(p, THEME_NORMAL);
    snprintf(title, sizeof title, "Give · %zu idea%s for today", a->ideas.n,
             a->ideas.n == 1 ? "" : "s");
    /* The hint only where the title stays whole: the bottom line says it too. */
    const char *hint = "Enter acts · f pays it forward";
    tui_pane_box(p, THEME_FOCUS, title,
                 kstr_width(title) + kstr_width(hint) + 10 <= r.w ? hint : NULL);
    int w = r.w - 4;
    draw_today(a, p, w);
    if (!a->ideas.n) {
        tui_pane_put(p, 3, 2, THEME_MUTED, "No ideas today.");
        tui_pane_text(p, 4, 2, w, THEME_MUTED,
                      "Note what your contacts need and offer (e in Contacts), your own offers", 0);
        tui_pane_text(p, 5, 2, w, THEME_MUTED,
                      "in the config (me: offers), and log who you talk to: ideas come from "
                      "them.",
                      0);
        return;
    }
    int rows = per_screen(a);
    a->idea_top =
        (size_t)tui_layout_scroll((int)a->idea_top, (int)a->idea_sel, (int)a->ideas.n, rows);
    for (size_t i = a->idea_top; i < a->ideas.n && (int)(i - a->idea_top) < rows; i++) {
        const struct idea *d = &a->ideas.v[i];
        int y = 3 + 2 * (int)(i - a->idea_top), sel = i == a->idea_sel;
        enum theme_slot base = sel ? THEME_SELECTED : THEME_NORMAL;
        char num[24];
        snprintf(num, sizeof num, "%2zu ", i + 1);
        int x = 1;
        x += tui_pane_put(p, y, x, base, sel ? "▸" : " ");
        x += tui_pane_put(p, y, x, sel ? base : THEME_MUTED, num);
        x += tui_pane_text(p, y, x, 12, sel ? base : THEME_GAVE, idea_type_name(d->type), 0);
        x += tui_pane_put(p, y, x, base, " ");
        tui_pane_text(p, y, x, r.w - 1 - x, base, d->headline, 0);
        tui_pane_text(p, y + 1, 18, r.w - 19, sel ? base : THEME_MUTED, d->reason, 0);
        if (sel) {
            tui_pane_paint(p, y, 1, r.w - 2, THEME_SELECTED);
            tui_pane_paint(p, y + 1, 1, r.w - 2, THEME_SELECTED);
        }
    }
    if (a->idea_top + (size_t)rows < a->ideas.n)
        tui_pane_put(p, r.h - 1, r.w - 8, THEME_MUTED, " more ");
}

int tui_give_move(struct tui_app *a, enum tui_action act)
{
    size_t old = a->idea_sel, n = a->ideas.n, pg = (size_t)per_screen(a);
    if (!n)
        return 0;
    if (act == TUI_ACT_DOWN && a->idea_sel + 1 < n)
        a->idea_sel++;
    else if (act == TUI_ACT_UP && a->idea_sel)
        a->idea_sel--;
    else if (act == TUI_ACT_PAGE_DOWN)
        a->idea_sel = a->idea_sel + pg < n ? a->idea_sel + pg : n - 1;
    else if (act == TUI_ACT_PAGE_UP)
        a->idea_sel = a->idea_sel > pg ? a->idea_sel - pg : 0;
    else if (act == TUI_ACT_TOP)
        a->idea_sel = 0;
    else if (act == TUI_ACT_BOTTOM)
        a->idea_sel = n - 1;
    return old != a->idea_sel;
}

void tui_give_open(struct tui_app *a)
{
    if (a->idea_sel >= a->ideas.n) {
        tui_app_say(a, 0, "no idea to act on · f pays it forward");
        return;
    }
    const struct idea *d = &a->ideas.v[a->idea_sel];
    struct tui_log_prefill p = {d->who, d->nwho, d->kind, kdir_name(d->dir), d->summary, d};
    tui_log_open(a, &p);
}
