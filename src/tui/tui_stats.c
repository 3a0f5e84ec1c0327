#include "kith/tui/tui_stats.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A row of the page: pieces of text, each in a style. */
struct seg {
    enum theme_slot slot;
    char *text;
    int width; /* columns it takes, cut or padded; 0: its own */
};
struct row {
    struct seg v[16];
    int n;
};

/* The page, rebuilt from the figures at each draw (it depends on the
 * width); the scroll position is kept in the app. */
struct page {
    struct row *rows;
    size_t n;
};

static struct row *new_row(struct page *p)
{
    p->rows = krealloc(p->rows, (p->n + 1) * sizeof *p->rows);
    struct row *r = &p->rows[p->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void seg(struct row *r, enum theme_slot s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seg(struct row *r, enum theme_slot s, const char *fmt, ...)
{
    if (r->n >= (int)(sizeof r->v / sizeof r->v[0]))
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->v[r->n++] = (struct seg){s, kstr_dup(buf), 0};
}

/* A bar as a piece, padded to width so the next lines up. */
static void bar(struct row *r, enum theme_slot s, int v, int max, int width)
{
    struct sbuf b = {0};
    stats_bar(v, max, width, &b);
    int w = b.s ? kstr_width(b.s) : 0;
    for (; w < width; w++)
        sbuf_addc(&b, ' ');
    seg(r, s, "%s", b.s ? b.s : "");
    sbuf_free(&b);
}

static void page_free(struct page *p)
{
    for (size_t i = 0; i < p->n; i++)
        for (int k = 0; k < p->rows[i].n; k++)
            free(p->rows[i].v[k].text);
    free(p->rows);
    memset(p, 0, sizeof *p);
}

static void weeks(struct page *p, const struct stats *s, int width)
{
    char d[KDATE_BUF];
    struct row *r = new_row(p);
    seg(r, THEME_TITLE, "Acts per week");
    seg(r, THEME_MUTED, "  %d in %zu weeks · %.1f a week", s->acts, s->nweeks,
        s->nweeks ? (double)s->acts / (double)s->nweeks : 0.0);
    /* The latest weeks that fit the width, one character each. */
    size_t fit = width > 16 ? (size_t)(width - 16) : 1;
    size_t from = s->nweeks > fit ? s->nweeks - fit : 0;
    int *v = kcalloc(s->nweeks ? s->nweeks : 1, sizeof *v);
    for (size_t i = from; i < s->nweeks; i++)
        v[i - from] = s->weeks[i].acts;
    struct sbuf b = {0};
    stats_spark(v, s->nweeks - from, &b);
    r = new_row(p);
    seg(r, THEME_MUTED, "  %s  ", s->nweeks ? kdate_format(s->weeks[from].monday, d) : "");
    seg(r, THEME_GAVE, "%s", b.s ? b.s : "");
    sbuf_free(&b);
    free(v);
}

static void months(struct page *p, const struct stats *s, int width)
{
    char d[KDATE_BUF];
    int max = 0;
    for (size_t i = 0; i < s->nmonths; i++) {
        const struct stats_month *m = &s->months[i];
        int v[] = {m->gave, m->asked, m->mutual, m->forward};
        for (int k = 0; k < 4; k++)
            max = v[k] > max ? v[k] : max;
    }
    int bw = (width - 11 - 4 * 4) / 4;
    if (bw < 3)
        bw = 3;
    if (bw > 14)
        bw = 14;
    new_row(p);
    struct row *r = new_row(p);
    seg(r, THEME_TITLE, "Per month");
    r = new_row(p);
    seg(r, THEME_MUTED, "%-9s", "");
    static const char *const heads[] = {"+ gave", "- asked", "= mutual", "» forward"};
    for (int k = 0; k < 4; k++)
        seg(r, THEME_MUTED, "%-*s", bw + 4, heads[k]);
    static const enum theme_slot slots[] = {THEME_GAVE, THEME_ASKED, THEME_MUTUAL, THEME_GAVE};
    for (size_t i = 0; i < s->nmonths; i++) {
        const struct stats_month *m = &s->months[i];
        int v[] = {m->gave, m->asked, m->mutual, m->forward};
        r = new_row(p);
        seg(r, THEME_MUTED, "  %.7s", kdate_format(m->first, d));
        for (int k = 0; k < 4; k++) {
            seg(r, THEME_NORMAL, " %3d", v[k]);
            seg(r, THEME_NORMAL, " ");
            bar(r, slots[k], v[k], max, bw - 1);
        }
    }
}

static void referrals(struct page *p, const struct stats *s)
{
    new_row(p);
    struct row *r = new_row(p);
    seg(r, THEME_TITLE, "Thank-yous");
    if (s->latency_median >= 0)
        seg(r, THEME_NORMAL, "  %d day%s from a referral to its thank-you (median)",
            s->latency_median, s->latency_median == 1 ? "" : "s");
    seg(r, THEME_MUTED, "  %d of %d thanked", s->thanked, s->referrals);
    new_row(p);
    r = new_row(p);
    seg(r, THEME_TITLE, "Referrals by outcome");
    int max = 0;
    for (int k = 0; k < KOUT_COUNT; k++)
        max = s->outcomes[k] > max ? s->outcomes[k] : max;
    for (int k = 0; k < KOUT_COUNT; k++) {
        r = new_row(p);
        seg(r, THEME_NORMAL, "  %-10s %3d ", koutcome_name((enum koutcome)k), s->outcomes[k]);
        bar(r, k == KOUT_LOST || k == KOUT_NONE ? THEME_MUTED : THEME_GAVE, s->outcomes[k], max,
            24);
    }
}

static void challenges(struct page *p, const struct stats *s)
{
    char d[KDATE_BUF];
    new_row(p);
    struct row *r = new_row(p);
    seg(r, THEME_TITLE, "Challenges");
    if (!s->nchallenges) {
        r = new_row(p);
        seg(r, THEME_MUTED, "  none in the period · c starts one");
    }
    for (size_t i = 0; i < s->nchallenges; i++) {
        const struct stats_challenge *c = &s->challenges[i];
        r = new_row(p);
        seg(r, THEME_NORMAL, "  %s  %3d/%-3d ", kdate_format(c->started_on, d), c->done, c->days);
        bar(r, THEME_DONE, c->done, c->days, 20);
        seg(r, THEME_NORMAL, " habit %3d%%%s", c->habit, c->active ? "  running" : "");
    }
    new_row(p);
    r = new_row(p);
    seg(r, THEME_TITLE, "Who opened doors for you");
    if (!s->ntop) {
        r = new_row(p);
        seg(r, THEME_MUTED, "  no referrals in the period");
    }
    int max = s->ntop ? s->top[0].referrals : 0;
    for (size_t i = 0; i < s->ntop; i++) {
        r = new_row(p);
        /* A name is journal text: the draw escapes and fits every piece. */
        seg(r, THEME_NORMAL, "  ");
        seg(r, THEME_NORMAL, "%s", s->top[i].who.name);
        r->v[r->n - 1].width = 22;
        seg(r, THEME_NORMAL, "%3d ", s->top[i].referrals);
        bar(r, THEME_GAVE, s->top[i].referrals, max, 10);
        if (s->top[i].won)
            seg(r, THEME_MUTED, " %d won", s->top[i].won);
    }
}

int tui_stats_reload(struct tui_app *a, struct kerr *e)
{
    stats_free(&a->stats);
    return stats_get(a->j, KDATE_NONE, &a->stats, e);
}

void tui_stats_clear(struct tui_app *a)
{
    stats_free(&a->stats);
}

static void build(struct tui_app *a, struct page *p, int width)
{
    if (!a->stats)
        return;
    weeks(p, a->stats, width);
    months(p, a->stats, width);
    referrals(p, a->stats);
    challenges(p, a->stats);
}

/* Rows a page shows. */
static int rows_of(const struct tui_app *a)
{
    return a->lay.body.h - 2 > 0 ? a->lay.body.h - 2 : 1;
}

void tui_stats_draw(struct tui_app *a)
{
    struct tui_pane *p = a->view_p;
    struct tui_rect r = tui_pane_rect(p);
    struct page pg = {0};
    char title[80], d1[KDATE_BUF], d2[KDATE_BUF];
    tui_pane_erase(p, THEME_NORMAL);
    if (a->stats)
        snprintf(title, sizeof title, "Stats · %s to %s", kdate_format(a->stats->since, d1),
                 kdate_format(a->stats->until, d2));
    else
        snprintf(title, sizeof title, "Stats");
    build(a, &pg, r.w - 4);
    int rows = rows_of(a);
    if (pg.n <= (size_t)rows)
        a->stats_top = 0;
    else if (a->stats_top > pg.n - (size_t)rows)
        a->stats_top = pg.n - (size_t)rows;
    /* The hint only where the title stays whole. */
    const char *hint = "j/k scroll · kith stats prints it all";
    int fits = kstr_width(title) + kstr_width(hint) + 10 <= r.w;
    tui_pane_box(p, THEME_FOCUS, title, pg.n > (size_t)rows && fits ? hint : NULL);
    for (size_t i = a->stats_top; i < pg.n && (int)(i - a->stats_top) < rows; i++) {
        int y = 1 + (int)(i - a->stats_top), x = 2;
        for (int k = 0; k < pg.rows[i].n && x < r.w - 2; k++) {
            /* Each piece at its own width (its display form's), cut at
             * the border. */
            int w =
                pg.rows[i].v[k].width ? pg.rows[i].v[k].width : kstr_width(pg.rows[i].v[k].text);
            int room = r.w - 2 - x;
            x += tui_pane_text(p, y, x, w < room ? w : room, pg.rows[i].v[k].slot,
                               pg.rows[i].v[k].text, 0);
        }
    }
    page_free(&pg);
}

int tui_stats_move(struct tui_app *a, enum tui_action act)
{
    size_t old = a->stats_top, pg = (size_t)rows_of(a);
    if (act == TUI_ACT_DOWN)
        a->stats_top++;
    else if (act == TUI_ACT_UP && a->stats_top)
        a->stats_top--;
    else if (act == TUI_ACT_PAGE_DOWN)
        a->stats_top += pg;
    else if (act == TUI_ACT_PAGE_UP)
        a->stats_top = a->stats_top > pg ? a->stats_top - pg : 0;
    else if (act == TUI_ACT_TOP)
        a->stats_top = 0;
    else if (act == TUI_ACT_BOTTOM)
        a->stats_top = (size_t)-1 / 2; /* the draw clamps it to the last page */
    return old != a->stats_top;
}
