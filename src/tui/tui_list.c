#include "kith/tui_list.h"

#include "kith/contact.h"
#include "kith/kdate.h"
#include "kith/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TUI_LIST_TEXT_LIMIT 2000
#define TUI_LIST_COUNT_CAP  5000

struct tui_list {
    char *search, *tag;
    enum contact_sort sort;
    size_t total;
    size_t sel, top; /* absolute row numbers in the query's order */
    int height;
    struct contact_list win; /* rows top .. top + win.n - 1 */
    char sel_id[KID_LEN + 1];
    char want_id[KID_LEN + 1]; /* select this one at the next reload */
    int hide_goodwill;
    tui_list_overdue_fn overdue;
    const void *overdue_ud;
};

struct tui_list *tui_list_new(void)
{
    return kcalloc(1, sizeof(struct tui_list));
}

void tui_list_free(struct tui_list **pl)
{
    if (!pl || !*pl)
        return;
    contact_list_clear(&(*pl)->win);
    free((*pl)->search);
    free((*pl)->tag);
    free(*pl);
    *pl = NULL;
}

static void query_of(const struct tui_list *l, struct contact_query *q)
{
    memset(q, 0, sizeof *q);
    q->search = l->search;
    q->tag = l->tag;
    q->sort = l->sort;
    /* Searching a lifetime's journal key by key must stay instant: bound
     * the interaction text considered and the count (shown as "N+"). */
    if (l->search) {
        q->text_limit = TUI_LIST_TEXT_LIMIT;
        q->count_cap = TUI_LIST_COUNT_CAP;
    }
}

/* The row number of id in the current order, scanning ids only; 100k rows
 * take a few milliseconds and this runs only on jumps. */
struct find_ud {
    const char *id;
    size_t i;
    int found;
};

static int find_cb(const struct contact *c, void *ud)
{
    struct find_ud *f = ud;
    if (!strcmp(c->id, f->id)) {
        f->found = 1;
        return 1;
    }
    f->i++;
    return 0;
}

int tui_list_reload(struct tui_list *l, struct journal *j, int height, struct kerr *e)
{
    struct contact_query q;
    int rc;
    query_of(l, &q);
    l->height = height > 0 ? height : 1;
    if ((rc = contact_count(j, &q, &l->total, e)) != K_OK)
        goto out;
    if (l->want_id[0]) {
        struct find_ud f = {l->want_id, 0, 0};
        if ((rc = contact_each(j, &q, find_cb, &f, e)) != K_OK)
            goto out;
        if (f.found) {
            l->sel = f.i;
            l->top = f.i >= (size_t)l->height / 2 ? f.i - (size_t)l->height / 2 : 0;
        }
        l->want_id[0] = 0;
    }
    if (l->sel >= l->total)
        l->sel = l->total ? l->total - 1 : 0;
    l->top = (size_t)tui_layout_scroll((int)l->top, (int)l->sel, (int)l->total, l->height);
    contact_list_clear(&l->win);
    q.offset = l->top;
    q.limit = (size_t)l->height;
    q.skip_total = 1;
    if ((rc = contact_list(j, &q, &l->win, e)) != K_OK)
        goto out;
    l->sel_id[0] = 0;
    if (l->sel >= l->top && l->sel - l->top < l->win.n)
        memcpy(l->sel_id, l->win.v[l->sel - l->top].id, sizeof l->sel_id);
out:
    return rc;
}

void tui_list_draw(struct tui_list *l, struct tui_pane *p, int focused, int today)
{
    struct tui_rect r = tui_pane_rect(p);
    struct sbuf title = {0}, note = {0};
    tui_pane_erase(p, THEME_NORMAL);
    sbuf_printf(&title, "Contacts %zu%s", l->total,
                l->search && l->total >= TUI_LIST_COUNT_CAP ? "+" : "");
    if (l->search)
        sbuf_printf(&title, " /%s", l->search);
    if (l->tag)
        sbuf_printf(&title, " #%s", l->tag);
    sbuf_printf(&note, "%s", contact_sort_name(l->sort));
    tui_pane_box(p, focused ? THEME_FOCUS : THEME_BORDER, title.s, note.s);
    sbuf_free(&title);
    sbuf_free(&note);

    int inner = r.w - 2;
    /* marker, name [company] [goodwill] age mark: the mark is a symbol, not
     * only a color, so it survives mono themes. */
    int gw = l->hide_goodwill ? 0 : 4, age = 5, mark = l->overdue ? 2 : 0;
    int name_w = inner - 2 - (gw ? gw + 1 : 0) - age - mark - 1;
    int comp_w = 0;
    if (name_w >= 30) {
        comp_w = name_w * 2 / 5;
        name_w -= comp_w + 1;
    }
    if (l->win.n == 0) {
        tui_pane_put(p, 1, 2, THEME_MUTED,
                     l->search || l->tag ? "no match · Esc clears"
                                         : "no contacts yet · a adds one");
        return;
    }
    for (size_t i = 0; i < l->win.n && (int)i < r.h - 2; i++) {
        const struct contact *c = &l->win.v[i];
        int y = (int)i + 1, x = 1;
        int selected = l->top + i == l->sel;
        enum theme_slot base = selected ? THEME_SELECTED : THEME_NORMAL;
        x += tui_pane_put(p, y, x, base, selected ? "▸ " : "  ");
        x += tui_pane_text(p, y, x, name_w, base, c->name, 0);
        x += tui_pane_put(p, y, x, base, " ");
        if (comp_w) {
            x += tui_pane_text(p, y, x, comp_w, selected ? base : THEME_MUTED, c->company, 0);
            x += tui_pane_put(p, y, x, base, " ");
        }
        if (gw) {
            char num[32];
            snprintf(num, sizeof num, c->goodwill > 0 ? "+%d" : "%d", c->goodwill);
            enum theme_slot gs = c->goodwill > 0   ? THEME_GAVE
                                 : c->goodwill < 0 ? THEME_ASKED
                                                   : THEME_MUTED;
            x += tui_pane_text(p, y, x, gw, selected ? base : gs, num, 1);
            x += tui_pane_put(p, y, x, base, " ");
        }
        char ago[16] = "—";
        if (c->last_interaction != KDATE_NONE)
            kdate_ago(today - c->last_interaction, ago);
        int late = l->overdue && l->overdue(c->id, l->overdue_ud);
        x += tui_pane_text(p, y, x, age,
                           selected ? base
                           : late   ? THEME_OVERDUE
                                    : THEME_MUTED,
                           ago, 1);
        if (mark)
            tui_pane_put(p, y, x, selected ? base : THEME_OVERDUE, late ? " !" : "  ");
        if (selected)
            tui_pane_paint(p, y, 1, inner, THEME_SELECTED);
    }
    if (l->total > (size_t)(r.h - 2)) {
        char pos[48];
        snprintf(pos, sizeof pos, " %zu/%zu ", l->sel + 1, l->total);
        tui_pane_put(p, r.h - 1, r.w - 1 - (int)strlen(pos), THEME_MUTED, pos);
    }
}

int tui_list_move(struct tui_list *l, enum tui_action a, int page)
{
    size_t old = l->sel, pg = page > 1 ? (size_t)page - 1 : 1;
    if (!l->total)
        return 0;
    switch (a) {
    case TUI_ACT_DOWN:
        if (l->sel + 1 < l->total)
            l->sel++;
        break;
    case TUI_ACT_UP:
        if (l->sel)
            l->sel--;
        break;
    case TUI_ACT_PAGE_DOWN:
        l->sel = l->sel + pg < l->total ? l->sel + pg : l->total - 1;
        l->top += pg;
        break;
    case TUI_ACT_PAGE_UP:
        l->sel = l->sel > pg ? l->sel - pg : 0;
        l->top = l->top > pg ? l->top - pg : 0;
        break;
    case TUI_ACT_TOP:
        l->sel = 0;
        break;
    case TUI_ACT_BOTTOM:
        l->sel = l->total - 1;
        break;
    default:
        break;
    }
    return l->sel != old;
}

int tui_list_click(struct tui_list *l, int y)
{
    if (y < 1 || (size_t)(y - 1) >= l->win.n)
        return 0;
    size_t s = l->top + (size_t)(y - 1);
    int changed = s != l->sel;
    l->sel = s;
    return changed;
}

const char *tui_list_selected(const struct tui_list *l)
{
    return l->sel_id[0] ? l->sel_id : NULL;
}

void tui_list_select_id(struct tui_list *l, const char *id)
{
    snprintf(l->want_id, sizeof l->want_id, "%s", id ? id : "");
}

static int set_text(char **field, const char *text)
{
    const char *v = text && *text ? text : NULL;
    if ((!v && !*field) || (v && *field && !strcmp(v, *field)))
        return 0;
    free(*field);
    *field = kstr_dup(v);
    return 1;
}

int tui_list_set_search(struct tui_list *l, const char *text)
{
    if (!set_text(&l->search, text))
        return 0;
    /* A new search starts at its best match. */
    l->sel = l->top = 0;
    return 1;
}

int tui_list_set_tag(struct tui_list *l, const char *tag)
{
    while (tag && *tag == '#')
        tag++;
    if (!set_text(&l->tag, tag))
        return 0;
    l->sel = l->top = 0;
    return 1;
}

void tui_list_cycle_sort(struct tui_list *l)
{
    l->sort = (enum contact_sort)((l->sort + 1) % CONTACT_SORT_COUNT);
    /* Ordering by a hidden balance would show it after all. */
    if (l->hide_goodwill && l->sort == CONTACT_SORT_GOODWILL)
        l->sort = (enum contact_sort)((l->sort + 1) % CONTACT_SORT_COUNT);
    tui_list_select_id(l, l->sel_id);
}

void tui_list_show_goodwill(struct tui_list *l, int show)
{
    l->hide_goodwill = !show;
    if (l->hide_goodwill && l->sort == CONTACT_SORT_GOODWILL)
        l->sort = CONTACT_SORT_NAME;
}

void tui_list_set_overdue(struct tui_list *l, tui_list_overdue_fn overdue, const void *ud)
{
    l->overdue = overdue;
    l->overdue_ud = ud;
}

int tui_list_clear(struct tui_list *l)
{
    if (!l->search && !l->tag)
        return 0;
    tui_list_select_id(l, l->sel_id);
    set_text(&l->search, NULL);
    set_text(&l->tag, NULL);
    return 1;
}

const char *tui_list_search(const struct tui_list *l)
{
    return l->search;
}

const char *tui_list_tag(const struct tui_list *l)
{
    return l->tag;
}

size_t tui_list_total(const struct tui_list *l)
{
    return l->total;
}
