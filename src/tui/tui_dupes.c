#include "kith/tui/tui_dupes.h"

#include "kith/core/dupes.h"
#include "kith/util/kstr.h"
#include "kith/tui/tui_pane.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define KEY_ESC 27
#define CTRL(c) ((c)&0x1f)

/* Pairs at most: the strongest come first. */
#define SHOWN_MAX 200

struct dlg {
    struct tui_app *a;
    struct dupes_list l;
    size_t sel, top;
    int swapped; /* keep the other one of the selected pair */
};

static int load(struct dlg *d)
{
    struct kerr e;
    dupes_list_clear(&d->l);
    if (dupes_find(d->a->j, SHOWN_MAX, &d->l, &e) != K_OK) {
        tui_app_say(d->a, 1, "%s", e.msg);
        return -1;
    }
    if (d->sel >= d->l.n)
        d->sel = d->l.n ? d->l.n - 1 : 0;
    d->swapped = 0;
    return 0;
}

/* "keep  ←  other   same email ana@acme.example" */
static void row_text(const struct dupes_pair *p, int swapped, struct sbuf *b)
{
    const struct kref *k = swapped ? &p->other : &p->keep, *o = swapped ? &p->keep : &p->other;
    sbuf_printf(b, "%s  ←  %s   ", k->name, o->name);
    int first = 1;
    for (unsigned r = DUPES_EMAIL; r <= DUPES_SIMILAR; r <<= 1) {
        if (!(p->reasons & r))
            continue;
        sbuf_printf(b, "%s%s", first ? "" : ", ", dupes_reason_name((enum dupes_reason)r));
        if (first && (r == DUPES_EMAIL || r == DUPES_PHONE) && p->detail)
            sbuf_printf(b, " %s", p->detail);
        first = 0;
    }
}

static void draw(struct dlg *d, struct tui_pane **pp)
{
    const struct tui_host *h = &d->a->host;
    int want = (int)(d->l.n ? d->l.n : 1) + 4;
    struct tui_rect r = tui_layout_dialog(h->layout, want, 200);
    if (!*pp)
        *pp = tui_pane_new(r);
    else
        tui_pane_place(*pp, r);
    struct tui_pane *p = *pp;
    tui_pane_top(p);
    int rows = r.h - 4;
    if (rows < 1)
        rows = 1;
    if (d->sel < d->top)
        d->top = d->sel;
    if (d->sel >= d->top + (size_t)rows)
        d->top = d->sel - (size_t)rows + 1;
    tui_pane_erase(p, THEME_NORMAL);
    char note[32];
    snprintf(note, sizeof note, "%zu%s", d->l.n, d->l.more ? "+" : "");
    tui_pane_box(p, THEME_FOCUS, "Likely duplicates", note);
    if (!d->l.n)
        tui_pane_put(p, 1, 2, THEME_MUTED, "No likely duplicates.");
    for (int i = 0; i < rows && d->top + (size_t)i < d->l.n; i++) {
        size_t k = d->top + (size_t)i;
        struct sbuf b = {0};
        row_text(&d->l.v[k], k == d->sel && d->swapped, &b);
        tui_pane_text(p, 1 + i, 2, r.w - 4, k == d->sel ? THEME_SELECTED : THEME_NORMAL, b.s, 0);
        sbuf_free(&b);
    }
    tui_pane_put(p, r.h - 2, 2, THEME_MUTED, "Enter merge (asks) · s swap · j/k move · q close");
    tui_pane_flush();
}

/* Merges the selected pair after asking; 1 when it did. */
static int merge(struct dlg *d)
{
    const struct dupes_pair *p = &d->l.v[d->sel];
    const struct kref *k = d->swapped ? &p->other : &p->keep;
    const struct kref *o = d->swapped ? &p->keep : &p->other;
    struct sbuf q = {0};
    struct kerr e;
    struct dupes_moved m;
    int merged = 0;
    sbuf_printf(&q,
                "Merge %s into %s?\n\n%s keeps what it has and gains %s's details, tags,\n"
                "notes, interactions, referrals and thank-yous; %s's name stays\n"
                "as a nickname. Then %s is deleted.\n\nu undoes it.",
                o->name, k->name, k->name, o->name, o->name, o->name);
    if (tui_form_confirm(&d->a->host, "Merge contacts", q.s)) {
        if (dupes_merge(d->a->j, k->id, o->id, 0, &m, &e) == K_OK) {
            tui_app_say(d->a, 0, "merged %s into %s · u undoes", o->name, k->name);
            tui_list_select_id(d->a->list, k->id);
            merged = 1;
        } else {
            tui_app_say(d->a, 1, "%s", e.msg);
        }
    }
    sbuf_free(&q);
    return merged;
}

void tui_dupes_run(struct tui_app *a)
{
    struct dlg d;
    struct tui_pane *p = NULL;
    memset(&d, 0, sizeof d);
    d.a = a;
    if (load(&d) != 0)
        return;
    for (;;) {
        draw(&d, &p);
        timeout(250);
        int ch = getch();
        if (ch == ERR) {
            if (a->host.quitting && a->host.quitting())
                break;
            continue;
        }
        if (ch == KEY_RESIZE) {
            if (a->host.relayout)
                a->host.relayout(a->host.ud);
            continue;
        }
        if (ch == 'j' || ch == KEY_DOWN) {
            if (d.sel + 1 < d.l.n)
                d.sel++, d.swapped = 0;
        } else if (ch == 'k' || ch == KEY_UP) {
            if (d.sel)
                d.sel--, d.swapped = 0;
        } else if (ch == 's') {
            d.swapped = !d.swapped;
        } else if ((ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == 'm') && d.l.n) {
            int merged = merge(&d);
            if (a->host.relayout)
                a->host.relayout(a->host.ud);
            if (merged) {
                tui_remind_stale(a->rem);
                if (load(&d) != 0)
                    break;
            }
        } else if (ch == 'q' || ch == KEY_ESC || ch == CTRL('c')) {
            break;
        }
    }
    tui_pane_free(&p);
    dupes_list_clear(&d.l);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}
