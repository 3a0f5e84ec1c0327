#include "kith/tui/tui_list.h"

#include "kith/core/contact.h"
#include "kith/core/goodwill.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TUI_LIST_TEXT_LIMIT 1000
#define TUI_LIST_TEXT_MIN   3

struct tui_list {
    char *search, *tag;
    enum contact_sort sort;
    /* The rows of the list; while pending, only a lower bound: the rows
     * seen so far. */
    size_t total;
    /* A search's count is made while kith waits for a key
     * (tui_list_count_step), not before its first window is shown: 20 to
     * 50 ms at 100k contacts for the first letters. */
    int pending;
    int to_end;      /* End was pressed while the count was pending */
    size_t sel, top; /* absolute row numbers in the query's order */
    int height;
    struct contact_list win; /* rows win_top .. win_top + win.n - 1 */
    size_t win_top;
    int win_h; /* the height win was read for */
    /* win holds rows of the current search, tag and sort, at the right
     * row numbers: the next window can start from one of its keys. */
    int win_keys;
    long long win_gen; /* the journal's generation when win was read */
    char sel_id[KID_LEN + 1];
    size_t id_sel;             /* sel when sel_id was read */
    char want_id[KID_LEN + 1]; /* select this one at the next reload */
    int hide_goodwill;
    int archived; /* archived contacts are listed too */
    /* What total counted: the search, tag and archive filter, at the
     * journal's generation (a move within the same list counts nothing). */
    char *count_search, *count_tag;
    int count_archived, counted;
    int count_failed; /* the count for these filters failed: not tried again */
    long long count_gen;
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
    free((*pl)->count_search);
    free((*pl)->count_tag);
    free(*pl);
    *pl = NULL;
}

void tui_list_query(const struct tui_list *l, struct contact_query *q)
{
    memset(q, 0, sizeof *q);
    q->search = l->search;
    q->tag = l->tag;
    q->sort = l->sort;
    q->include_archived = l->archived;
    /* Searching a lifetime's journal key by key must stay instant: bound
     * the interaction text considered (the per-link index of schema 14
     * finds every match, but its first window of three letters costs
     * half as much again), look at names and companies only until every
     * word has three letters (the search line says so), and count between
     * keys (tui_list_count_step). */
    if (l->search) {
        q->text_limit = TUI_LIST_TEXT_LIMIT;
        q->text_min = TUI_LIST_TEXT_MIN;
    }
}

static struct contact_key key_of(const struct contact *c)
{
    struct contact_key k = {c->name_key, c->id};
    return k;
}

/* Reads the window of rows l->top .. l->top + height - 1 into l->win.
 * When it overlaps or touches the window on screen (a move, a page up or
 * down), it starts from a key of that window, so that a page
 * deep in a large journal costs what the first one does; otherwise, and
 * when the rows around the key no longer agree with the row numbers (the
 * journal changed under the list), it counts rows from the start as
 * before. */
static int read_window(struct tui_list *l, struct journal *j, const struct contact_query *base,
                       struct kerr *e)
{
    struct contact_query q = *base;
    struct contact_list old = l->win, back = {0};
    struct contact_key k;
    size_t h = (size_t)l->height, d;
    /* Keys serve every order but a derived one with a search or tag,
     * which reads a kept order by row number anyway. */
    int rc = K_OK,
        keyed = l->win_keys && old.n && (l->sort == CONTACT_SORT_NAME || (!l->search && !l->tag));
    memset(&l->win, 0, sizeof l->win);
    q.limit = h;
    q.skip_total = 1;
    if (keyed && l->top >= l->win_top && (d = l->top - l->win_top) < old.n + h) {
        /* Down: from a row on screen, or after the last one. */
        k = key_of(&old.v[d < old.n ? d : old.n - 1]);
        q.after = &k;
        q.key_inclusive = d < old.n;
        q.offset = d < old.n ? 0 : d - old.n;
    } else if (keyed && l->top < l->win_top && (d = l->win_top - l->top) <= h) {
        /* Up: the d rows before the first on screen start the window. */
        k = key_of(&old.v[0]);
        q.before = &k;
        q.limit = d;
        if ((rc = contact_list(j, &q, &back, e)) != K_OK)
            goto out;
        keyed = back.n == d;
        if (keyed) {
            k = key_of(&back.v[0]);
            q.before = NULL;
            q.after = &k;
            q.key_inclusive = 1;
            q.limit = h;
        }
    } else {
        keyed = 0;
    }
    if (keyed) {
        if ((rc = contact_list(j, &q, &l->win, e)) != K_OK)
            goto out;
        /* Short of rows the count says are there: the numbers are off. */
        if (l->win.n < h && (l->pending || l->top + l->win.n < l->total)) {
            contact_list_clear(&l->win);
            keyed = 0;
        }
    }
    if (!keyed) {
        q.after = q.before = NULL;
        q.key_inclusive = 0;
        q.offset = l->top;
        q.limit = h;
        if ((rc = contact_list(j, &q, &l->win, e)) != K_OK)
            goto out;
    }
    l->win_top = l->top;
    l->win_keys = 1;
out:
    if (rc != K_OK)
        l->win_keys = 0;
    contact_list_clear(&old);
    contact_list_clear(&back);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* 1 when the count kept is for the list's filters at generation gen. */
static int count_is_for(const struct tui_list *l, long long gen)
{
    return l->count_gen == gen && l->count_archived == l->archived &&
           same_text(l->count_search, l->search) && same_text(l->count_tag, l->tag);
}

/* Keeps n as the count of the list's filters at generation gen (failed:
 * that counting them failed). */
static void count_keep(struct tui_list *l, size_t n, long long gen, int failed)
{
    free(l->count_search);
    free(l->count_tag);
    l->count_search = l->search ? kstr_dup(l->search) : NULL;
    l->count_tag = l->tag ? kstr_dup(l->tag) : NULL;
    l->count_archived = l->archived;
    l->count_gen = gen;
    l->counted = !failed;
    l->count_failed = failed;
    if (!failed) {
        l->total = n;
        l->pending = 0;
    }
}

/* total for the list's filters: counted again only when they or the
 * journal changed since. A search's count is left pending (see
 * tui_list_count_step) unless End needs it now. */
static int count(struct tui_list *l, struct journal *j, const struct contact_query *q,
                 long long gen, struct kerr *e)
{
    if (count_is_for(l, gen) && (l->counted || (l->count_failed && !l->to_end))) {
        l->pending = !l->counted;
        return K_OK;
    }
    l->counted = l->count_failed = 0;
    if (l->search && !l->to_end) {
        l->pending = 1;
        return K_OK;
    }
    size_t n;
    int rc = contact_count(j, q, &n, e);
    if (rc != K_OK)
        return rc;
    count_keep(l, n, gen, 0);
    return K_OK;
}

int tui_list_counting(const struct tui_list *l)
{
    return l->pending && !l->count_failed;
}

int tui_list_count_step(struct tui_list *l, struct journal *j, int (*interrupt)(void *ud), void *ud,
                        struct kerr *e)
{
    struct contact_query q;
    size_t n;
    if (!tui_list_counting(l))
        return K_OK;
    if (interrupt && interrupt(ud))
        return K_INTERRUPTED;
    /* Read first: a write during the count makes the next reload count
     * again rather than go unseen. */
    long long gen = journal_generation(j);
    tui_list_query(l, &q);
    journal_set_interrupt(j, interrupt, ud);
    int rc = contact_count(j, &q, &n, e);
    journal_set_interrupt(j, NULL, NULL);
    if (rc == K_INTERRUPTED)
        return rc;
    count_keep(l, n, gen, rc != K_OK);
    return rc;
}

/* The window at l->top while the count is pending: a window short of
 * the pane's height ends the list, which gives the count. Returns with
 * l->pending cleared then; otherwise the selection is on screen and
 * total is the rows seen. */
static int window_pending(struct tui_list *l, struct journal *j, const struct contact_query *q,
                          long long gen, struct kerr *e)
{
    size_t h = (size_t)l->height;
    /* As if the list went on past the rows the selection needs. */
    size_t seen = l->sel + 1 > l->top + h ? l->sel + 1 : l->top + h;
    l->top = (size_t)tui_layout_scroll((int)l->top, (int)l->sel, (int)seen, l->height);
    int same = l->win_keys && l->win_top == l->top && l->win.n == h && l->win_h == l->height;
    int rc = same ? K_OK : read_window(l, j, q, e);
    if (rc != K_OK)
        return rc;
    l->win_h = l->height;
    if (l->win.n == h) {
        l->total = l->top + h;
        return K_OK;
    }
    if (l->win.n || !l->top) {
        count_keep(l, l->top + l->win.n, gen, 0);
        return K_OK;
    }
    /* Past the end (rows went away): the count says where it is. */
    if ((rc = contact_count(j, q, &seen, e)) == K_OK)
        count_keep(l, seen, gen, 0);
    return rc;
}

int tui_list_reload(struct tui_list *l, struct journal *j, int height, struct kerr *e)
{
    struct contact_query q;
    int rc;
    long long gen = journal_generation(j);
    tui_list_query(l, &q);
    l->height = height > 0 ? height : 1;
    if ((rc = count(l, j, &q, gen, e)) != K_OK)
        goto out;
    if (gen != l->win_gen) {
        /* Written since the window was read, here or elsewhere: rows may
         * have moved around its keys (a contact added above it), so count
         * again, and keep the selected contact where it was on screen. */
        l->win_keys = 0;
        l->win_gen = gen;
        size_t pos;
        /* Not when a key moved the selection meanwhile. In the other
         * orders this sorts again, which the next window needs anyway. */
        if (!l->want_id[0] && l->sel_id[0] && l->sel == l->id_sel &&
            (rc = contact_position(j, &q, l->sel_id, &pos, e)) == K_OK) {
            size_t row = l->sel - (l->sel < l->top ? l->sel : l->top);
            l->sel = pos;
            /* A screen that showed the first row still does. */
            if (l->top)
                l->top = pos >= row ? pos - row : 0;
        }
        if (rc == K_NOTFOUND) /* gone: the row number stays */
            rc = K_OK;
        if (rc != K_OK)
            goto out;
    }
    if (l->want_id[0]) {
        size_t pos;
        rc = contact_position(j, &q, l->want_id, &pos, e);
        if (rc == K_OK) {
            l->sel = pos;
            l->top = pos >= (size_t)l->height / 2 ? pos - (size_t)l->height / 2 : 0;
        }
        l->want_id[0] = 0;
        /* A jump: the rows may have moved (an edit), so no keys. */
        l->win_keys = 0;
        if (rc == K_NOTFOUND)
            rc = K_OK;
        if (rc != K_OK)
            goto out;
    }
    if (l->pending) {
        if ((rc = window_pending(l, j, &q, gen, e)) != K_OK)
            goto out;
        if (l->pending)
            goto selected;
    }
    if (l->to_end)
        l->sel = l->total ? l->total - 1 : 0;
    l->to_end = 0;
    if (l->sel >= l->total)
        l->sel = l->total ? l->total - 1 : 0;
    l->top = (size_t)tui_layout_scroll((int)l->top, (int)l->sel, (int)l->total, l->height);
    /* The same rows as on screen (a move within them, the journal and the
     * filters as they were): nothing to read again -- with a search, a
     * window is the search run again. */
    size_t want = l->total - l->top < (size_t)l->height ? l->total - l->top : (size_t)l->height;
    int same = l->win_keys && l->win_top == l->top && l->win.n == want && l->win_h == l->height;
    if (!same && (rc = read_window(l, j, &q, e)) != K_OK)
        goto out;
    l->win_h = l->height;
selected:
    l->sel_id[0] = 0;
    if (l->sel >= l->top && l->sel - l->top < l->win.n)
        memcpy(l->sel_id, l->win.v[l->sel - l->top].id, sizeof l->sel_id);
    l->id_sel = l->sel;
out:
    return rc;
}

/* The box with the count, the search, tag and archive filters in its title
 * and the sort order in its note. A count still to be made says so:
 * "counting…", or "…" where that would cut off the search. */
static void draw_frame(const struct tui_list *l, struct tui_pane *p, int focused)
{
    struct sbuf title = {0}, note = {0};
    sbuf_printf(&note, "%s", contact_sort_name(l->sort));
    for (int roomy = 1; roomy >= 0; roomy--) {
        title.len = 0;
        if (title.s)
            title.s[0] = 0;
        if (!l->pending)
            sbuf_printf(&title, "Contacts %zu", l->total);
        else if (l->count_failed)
            sbuf_add(&title, "Contacts ?");
        else
            sbuf_add(&title, roomy ? "Contacts counting…" : "Contacts …");
        if (l->search)
            sbuf_printf(&title, " /%s", l->search);
        if (l->tag)
            sbuf_printf(&title, " #%s", l->tag);
        if (l->archived)
            sbuf_add(&title, " +arch");
        /* As tui_pane_box fits the title beside the note. */
        if (!l->pending || kstr_width(title.s) <= tui_pane_rect(p).w - 9 - kstr_width(note.s))
            break;
    }
    tui_pane_box(p, focused ? THEME_FOCUS : THEME_BORDER, title.s, note.s);
    sbuf_free(&title);
    sbuf_free(&note);
}

/* The widths of a row's columns (0 for a column not shown). */
struct columns {
    int inner, name, company, goodwill, age, mark;
};

/* marker, name [company] [goodwill] age mark: the mark is a symbol, not
 * only a color, so it survives mono themes. */
static struct columns columns_for(const struct tui_list *l, int width)
{
    struct columns c = {.inner = width - 2,
                        .goodwill = l->hide_goodwill ? 0 : GOODWILL_SHORT_COLS,
                        .age = 5,
                        .mark = l->overdue ? 2 : 0};
    c.name = c.inner - 2 - (c.goodwill ? c.goodwill + 1 : 0) - c.age - c.mark - 1;
    if (c.name >= 30) {
        c.company = c.name * 2 / 5;
        c.name -= c.company + 1;
    }
    return c;
}

/* Draws the window's row i; returns whether its contact is overdue. */
static int draw_row(const struct tui_list *l, struct tui_pane *p, const struct columns *w, size_t i,
                    int today)
{
    const struct contact *c = &l->win.v[i];
    int y = (int)i + 1, x = 1;
    int selected = l->top + i == l->sel;
    enum theme_slot base = selected ? THEME_SELECTED : THEME_NORMAL;
    x += tui_pane_put(p, y, x, base, selected ? "▸ " : "  ");
    x += tui_pane_text(p, y, x, w->name, selected || !c->archived ? base : THEME_MUTED, c->name, 0);
    x += tui_pane_put(p, y, x, base, " ");
    if (w->company) {
        x += tui_pane_text(p, y, x, w->company, selected ? base : THEME_MUTED, c->company, 0);
        x += tui_pane_put(p, y, x, base, " ");
    }
    if (w->goodwill) {
        char num[8];
        goodwill_short(c->goodwill, num);
        enum theme_slot gs = c->goodwill > 0   ? THEME_GAVE
                             : c->goodwill < 0 ? THEME_ASKED
                                               : THEME_MUTED;
        x += tui_pane_text(p, y, x, w->goodwill, selected ? base : gs, num, 1);
        x += tui_pane_put(p, y, x, base, " ");
    }
    char ago[16] = "—";
    if (c->archived)
        snprintf(ago, sizeof ago, "arch."); /* in words: it must read without color */
    else if (c->last_interaction != KDATE_NONE)
        kdate_ago(today - c->last_interaction, ago);
    int late = l->overdue && l->overdue(c->id, l->overdue_ud);
    x += tui_pane_text(p, y, x, w->age,
                       selected ? base
                       : late   ? THEME_OVERDUE
                                : THEME_MUTED,
                       ago, 1);
    if (w->mark)
        tui_pane_put(p, y, x, selected ? base : THEME_OVERDUE, late ? " !" : "  ");
    if (selected)
        tui_pane_paint(p, y, 1, w->inner, THEME_SELECTED);
    return late;
}

void tui_list_draw(struct tui_list *l, struct tui_pane *p, int focused, int today)
{
    struct tui_rect r = tui_pane_rect(p);
    tui_pane_erase(p, THEME_NORMAL);
    draw_frame(l, p, focused);
    struct columns w = columns_for(l, r.w);
    if (l->win.n == 0) {
        tui_pane_put(p, 1, 2, THEME_MUTED,
                     l->search || l->tag ? "no match · Esc clears"
                                         : "no contacts yet · a adds one");
        return;
    }
    int any_late = 0;
    for (size_t i = 0; i < l->win.n && (int)i < r.h - 2; i++)
        any_late |= draw_row(l, p, &w, i, today);
    /* What the mark means, where it is shown. */
    if (any_late && r.w >= 28)
        tui_pane_put(p, r.h - 1, 2, THEME_OVERDUE, " ! overdue ");
    if (l->pending || l->total > (size_t)(r.h - 2)) {
        char pos[48];
        if (l->pending)
            snprintf(pos, sizeof pos, " %zu/… ", l->sel + 1);
        else
            snprintf(pos, sizeof pos, " %zu/%zu ", l->sel + 1, l->total);
        tui_pane_put(p, r.h - 1, r.w - 1 - (int)strlen(pos), THEME_MUTED, pos);
    }
}

int tui_list_move(struct tui_list *l, enum tui_action a, int page)
{
    size_t old = l->sel, pg = page > 1 ? (size_t)page - 1 : 1;
    if (!l->total)
        return 0;
    /* While the count is pending the list may go on past the rows seen:
     * the reload that follows finds where it ends. */
    size_t rows = l->pending ? (size_t)-1 / 2 : l->total;
    switch (a) {
    case TUI_ACT_DOWN:
        if (l->sel + 1 < rows)
            l->sel++;
        break;
    case TUI_ACT_UP:
        if (l->sel)
            l->sel--;
        break;
    case TUI_ACT_PAGE_DOWN:
        l->sel = l->sel + pg < rows ? l->sel + pg : rows - 1;
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
        if (l->pending) {
            /* The last row needs the count: made by the reload. */
            l->to_end = 1;
            return 1;
        }
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
    l->win_keys = 0;
    l->sel_id[0] = 0;
    return 1;
}

int tui_list_set_tag(struct tui_list *l, const char *tag)
{
    while (tag && *tag == '#')
        tag++;
    if (!set_text(&l->tag, tag))
        return 0;
    l->sel = l->top = 0;
    l->win_keys = 0;
    l->sel_id[0] = 0;
    return 1;
}

void tui_list_cycle_sort(struct tui_list *l)
{
    l->sort = (enum contact_sort)((l->sort + 1) % CONTACT_SORT_COUNT);
    /* Ordering by a hidden balance would show it after all. */
    if (l->hide_goodwill && l->sort == CONTACT_SORT_GOODWILL)
        l->sort = (enum contact_sort)((l->sort + 1) % CONTACT_SORT_COUNT);
    l->win_keys = 0;
    /* A new order is read from its top: that is what the order is for. */
    l->sel = l->top = 0;
    l->want_id[0] = 0;
    l->sel_id[0] = 0;
}

void tui_list_show_goodwill(struct tui_list *l, int show)
{
    l->hide_goodwill = !show;
    if (l->hide_goodwill && l->sort == CONTACT_SORT_GOODWILL) {
        l->sort = CONTACT_SORT_NAME;
        l->win_keys = 0;
    }
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
    l->win_keys = 0;
    return 1;
}

const char *tui_list_search(const struct tui_list *l)
{
    return l->search;
}

int tui_list_names_only(const struct tui_list *l)
{
    struct contact_query q;
    tui_list_query(l, &q);
    return contact_search_names_only(&q);
}

const char *tui_list_tag(const struct tui_list *l)
{
    return l->tag;
}

size_t tui_list_total(const struct tui_list *l)
{
    return l->total;
}

int tui_list_toggle_archived(struct tui_list *l)
{
    l->archived = !l->archived;
    l->win_keys = 0;
    /* The selected contact stays selected where it still is listed. */
    if (l->sel_id[0])
        memcpy(l->want_id, l->sel_id, sizeof l->want_id);
    return l->archived;
}

const struct contact_list *tui_list_window(const struct tui_list *l, size_t *top, size_t *sel)
{
    *top = l->win_top;
    *sel = l->sel;
    return &l->win;
}

int tui_list_archived(const struct tui_list *l)
{
    return l->archived;
}
