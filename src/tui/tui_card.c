#include "kith/tui/tui_card.h"

#include "kith/core/contact.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/stats.h"
#include "kith/core/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the next reload shows of the timeline. Every window is read from
 * a key (an entry's date, type and id), so a page deep in a contact's ten
 * thousand interactions costs what the first one does. */
enum card_want {
    WANT_FIRST, /* the newest entries */
    WANT_FROM,  /* from the entry `from` on */
    WANT_UP,    /* `up` entries more before the entry `from` */
    WANT_END,   /* the oldest entries */
};

struct tui_card {
    char id[KID_LEN + 1];
    int have;
    struct contact c;
    struct timeline tl; /* the window: rows + 1 entries when there are more */
    enum card_want want;
    struct timeline_key from;
    size_t up;
    int above; /* entries exist above the window */
    int more;  /* rows exist below the window */
    int all;
    int head; /* rows the card's head takes */
    int rows; /* timeline rows that fit under the head */
    int hide_goodwill;
    int months[12]; /* interactions in each of the last 12 months, for the sparkline */
};

struct tui_card *tui_card_new(void)
{
    return kcalloc(1, sizeof(struct tui_card));
}

void tui_card_free(struct tui_card **pc)
{
    if (!pc || !*pc)
        return;
    contact_clear(&(*pc)->c);
    timeline_clear(&(*pc)->tl);
    free(*pc);
    *pc = NULL;
}

/* The window starting at the entry `from` (itself included), and whether
 * anything comes before it. */
static int read_from(struct tui_card *c, struct journal *j, const char *id, int rows,
                     struct kerr *e)
{
    struct timeline before = {0};
    struct timeline_key k = c->from;
    k.inclusive = 1;
    int rc = timeline_window(j, id, &k, NULL, (size_t)rows + 1, &c->tl, e);
    if (rc == K_OK && c->tl.n) {
        k = timeline_key_of(&c->tl.v[0]);
        rc = timeline_window(j, id, NULL, &k, 1, &before, e);
    }
    c->above = before.n > 0;
    c->more = c->tl.n > (size_t)rows;
    timeline_clear(&before);
    return rc;
}

/* The oldest entries: the last rows, and whether more come before them. */
static int read_end(struct tui_card *c, struct journal *j, const char *id, int rows, struct kerr *e)
{
    struct timeline_key end = {.date = KDATE_NONE};
    int rc = timeline_window(j, id, NULL, &end, (size_t)rows + 1, &c->tl, e);
    c->above = rc == K_OK && c->tl.n > (size_t)rows;
    c->more = 0;
    if (c->above) {
        /* The extra entry only said that there is one above. */
        struct timeline first = {c->tl.v, 1};
        struct timeline_entry *v = c->tl.v;
        size_t n = c->tl.n - 1;
        c->tl.v = kcalloc(n, sizeof *c->tl.v);
        memcpy(c->tl.v, v + 1, n * sizeof *v);
        c->tl.n = n;
        timeline_clear(&first); /* v[0]'s strings and v */
    }
    return rc;
}

static int read_timeline(struct tui_card *c, struct journal *j, const char *id, int rows,
                         struct kerr *e)
{
    int rc = K_OK;
    if (c->want == WANT_UP) {
        /* The entries above the window, then the window from the first. */
        struct timeline prev = {0};
        rc = timeline_window(j, id, NULL, &c->from, c->up, &prev, e);
        if (rc == K_OK && prev.n)
            c->from = timeline_key_of(&prev.v[0]);
        c->want = rc == K_OK && prev.n ? WANT_FROM : WANT_FIRST;
        timeline_clear(&prev);
        if (rc != K_OK)
            return rc;
    }
    switch (c->want) {
    case WANT_FIRST:
        rc = timeline_window(j, id, NULL, NULL, (size_t)rows + 1, &c->tl, e);
        c->above = 0;
        c->more = c->tl.n > (size_t)rows;
        break;
    case WANT_FROM:
        rc = read_from(c, j, id, rows, e);
        /* Past the end (entries deleted meanwhile): the oldest ones rather
         * than an empty window. */
        if (rc == K_OK && c->tl.n == 0)
            rc = read_end(c, j, id, rows, e);
        break;
    case WANT_END:
    case WANT_UP:
        rc = read_end(c, j, id, rows, e);
        break;
    }
    if (rc == K_OK && c->tl.n) {
        /* The next reload (a write, a resize) keeps the first entry. */
        c->want = WANT_FROM;
        c->from = timeline_key_of(&c->tl.v[0]);
    } else {
        c->want = WANT_FIRST;
    }
    return rc;
}

int tui_card_reload(struct tui_card *c, struct journal *j, const char *id, int height,
                    struct kerr *e)
{
    int rc = K_OK;
    if (!id)
        id = "";
    /* Everyone's timeline does not depend on the selected contact: moving
     * through the list keeps its scroll position. */
    if (strcmp(id, c->id) != 0 && !c->all)
        c->want = WANT_FIRST;
    snprintf(c->id, sizeof c->id, "%s", id);
    contact_clear(&c->c);
    timeline_clear(&c->tl);
    c->have = 0;
    if (*id) {
        rc = contact_get(j, id, &c->c, e);
        if (rc != K_OK && rc != K_NOTFOUND)
            goto out;
        c->have = rc == K_OK;
    }
    memset(c->months, 0, sizeof c->months);
    rc = c->have ? stats_contact_months(j, id, c->months, e) : K_OK;
    if (rc != K_OK)
        goto out;
    c->head = c->all ? 0 : c->have ? 4 : 0;
    int rows = height - c->head;
    if (rows < 1)
        rows = 1;
    if (!c->all && !c->have)
        goto out;
    c->rows = rows;
    rc = read_timeline(c, j, c->all ? NULL : id, rows, e);
out:
    return rc;
}

int tui_card_rescroll(struct tui_card *c, struct journal *j, struct kerr *e)
{
    if (!c->all && !c->have)
        return K_OK;
    timeline_clear(&c->tl);
    return read_timeline(c, j, c->all ? NULL : c->id, c->rows, e);
}

static void join_tags(const struct contact *c, struct sbuf *b)
{
    for (size_t i = 0; i < c->tags.n; i++)
        sbuf_printf(b, "%s#%s", i ? " " : "", c->tags.v[i]);
}

/* Row 1: who they are to you, muted; "no tags" rather than a blank row. */
static void head_who(const struct contact *k, struct tui_pane *p)
{
    struct sbuf b = {0};
    if (k->nicknames.n)
        sbuf_printf(&b, "aka %s", k->nicknames.v[0]);
    if (k->tags.n && b.len)
        sbuf_add(&b, " · ");
    join_tags(k, &b);
    if (k->met_on != KDATE_NONE || k->how_met) {
        char d[KDATE_BUF];
        sbuf_printf(&b, "%smet", b.len ? " · " : "");
        if (k->met_on != KDATE_NONE)
            sbuf_printf(&b, " %s", kdate_format(k->met_on, d));
        if (k->how_met)
            sbuf_printf(&b, " %s", k->how_met);
    }
    if (k->birthday)
        sbuf_printf(&b, "%sbirthday %s", b.len ? " · " : "", k->birthday);
    tui_pane_text(p, 1, 2, -1, THEME_MUTED, b.len ? b.s : "no tags", 0);
    sbuf_free(&b);
}

/* Row 2: the balance and when you last talked. */
static void head_ledger(const struct tui_card *c, struct tui_pane *p, int today)
{
    const struct contact *k = &c->c;
    struct sbuf b = {0};
    char ago[16] = "never";
    if (k->last_interaction != KDATE_NONE)
        kdate_ago(today - k->last_interaction, ago);
    /* Hidden means the tallies too: they are the scorecard by another name. */
    /* As in the design sketch: the balance and its two sides (mutual
     * interactions weigh nothing by default, and the line must fit 80
     * columns). */
    if (!c->hide_goodwill)
        sbuf_printf(&b,
                    k->goodwill ? "goodwill %+d (gave %d, asked %d) · "
                                : "goodwill %d (gave %d, asked %d) · ",
                    k->goodwill, k->gave, k->asked);
    /* "12d ago", but "today" and "never" stand alone. */
    int plain = k->last_interaction == KDATE_NONE || k->last_interaction >= today;
    sbuf_printf(&b, "last talked %s%s", ago, plain ? "" : " ago");
    /* Too long for the pane: the balance without its tallies. */
    if (kstr_width(b.s) > tui_pane_rect(p).w - 4 && !c->hide_goodwill) {
        sbuf_free(&b);
        sbuf_printf(&b, k->goodwill ? "goodwill %+d · " : "goodwill %d · ", k->goodwill);
        sbuf_printf(&b, "last talked %s%s", ago, plain ? "" : " ago");
    }
    tui_pane_put(p, 2, 2, THEME_NORMAL, b.s);
    sbuf_free(&b);
}

/* Row 3: what they are working on, else how to reach them, else the note. */
static void head_reach(const struct contact *k, struct tui_pane *p)
{
    struct sbuf b = {0};
    if (k->working_on)
        sbuf_printf(&b, "working on: %s", k->working_on);
    else if (k->emails.n || k->phones.n)
        sbuf_printf(&b, "%s%s%s%s%s%s%s%s%s", k->emails.n ? k->emails.v[0] : "",
                    *contact_label(&k->email_labels, 0) ? " (" : "",
                    contact_label(&k->email_labels, 0),
                    *contact_label(&k->email_labels, 0) ? ")" : "",
                    k->emails.n && k->phones.n ? " · " : "", k->phones.n ? k->phones.v[0] : "",
                    k->phones.n && *contact_label(&k->phone_labels, 0) ? " (" : "",
                    k->phones.n ? contact_label(&k->phone_labels, 0) : "",
                    k->phones.n && *contact_label(&k->phone_labels, 0) ? ")" : "");
    else if (k->note)
        sbuf_printf(&b, "%s", k->note);
    /* One row: the lines of a note run on, marked. Enter shows it all. */
    for (size_t i = 0; i < b.len; i++)
        if (b.s[i] == '\n')
            b.s[i] = ' ';
    tui_pane_text(p, 3, 2, -1, THEME_NORMAL, b.s ? b.s : "", 0);
    sbuf_free(&b);
}

/* Row 4, right: the last 12 months at a glance. Returns the width it took,
 * or -2 when the pane is too narrow to leave room for the needs beside it. */
static int head_spark(const struct tui_card *c, struct tui_pane *p)
{
    struct sbuf spark = {0};
    int w = tui_pane_rect(p).w;
    sbuf_add(&spark, "12 mo ");
    stats_spark(c->months, 12, &spark);
    int sw = kstr_width(spark.s);
    if (w - 4 > sw + 10) {
        tui_pane_put(p, 4, w - 2 - sw, THEME_MUTED, "12 mo ");
        tui_pane_put(p, 4, w - 2 - sw + 6, THEME_GAVE, spark.s + 6);
    } else {
        sw = -2;
    }
    sbuf_free(&spark);
    return sw;
}

/* Row 4, left of the spark line: what they need and offer, so the question of
 * what you could do for them is answered where you look. */
static void head_gives(const struct contact *k, struct tui_pane *p, int spark_w)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < k->needs.n; i++)
        sbuf_printf(&b, "%s%s", i ? "; " : "needs: ", k->needs.v[i]);
    for (size_t i = 0; i < k->offers.n; i++)
        sbuf_printf(&b, "%s%s", i ? "; " : b.len ? " · offers: " : "offers: ", k->offers.v[i]);
    if (b.len)
        tui_pane_text(p, 4, 2, tui_pane_rect(p).w - 6 - spark_w, THEME_MUTED, b.s, 0);
    sbuf_free(&b);
}

static void draw_head(struct tui_card *c, struct tui_pane *p, int today)
{
    head_who(&c->c, p);
    head_ledger(c, p, today);
    head_reach(&c->c, p);
    head_gives(&c->c, p, head_spark(c, p));
}

static void draw_entry(struct tui_card *c, struct tui_pane *p, int y, int w,
                       const struct timeline_entry *t, int today)
{
    char d[KDATE_BUF];
    int x = 2;
    x += tui_pane_put(p, y, x, THEME_MUTED, kdate_format(t->date, d));
    x += tui_pane_put(p, y, x, THEME_NORMAL, " ");
    struct sbuf b = {0};
    if (t->type == TIMELINE_INTERACTION) {
        static const char *const mark[] = {"+ gave  ", "- asked ", "= mutual"};
        static const enum theme_slot slot[] = {THEME_GAVE, THEME_ASKED, THEME_MUTUAL};
        x += tui_pane_put(p, y, x, slot[t->dir], mark[t->dir]);
        x += tui_pane_put(p, y, x, THEME_NORMAL, " ");
        if (c->all)
            sbuf_printf(&b, "%s · ", t->who ? t->who : "?");
        sbuf_printf(&b, "%s%s%s", t->kind, t->text ? ": " : "", t->text ? t->text : "");
        tui_pane_text(p, y, x, w - x, THEME_NORMAL, b.s, 0);
    } else if (t->type == TIMELINE_REFERRAL) {
        x += tui_pane_put(p, y, x, THEME_TITLE, "★ ");
        /* Narrow: the marks alone, so that the names keep the room. */
        const char *tail =
            w < 60 ? (t->thanked ? " ✓" : " ✗") : (t->thanked ? " thanked ✓" : " unthanked ✗");
        int tw = kstr_width(tail);
        /* On the referrer's own card their name goes without saying; on
         * the card of the one they referred you to, "them" is enough. */
        const char *own = !c->all && c->have ? c->c.name : NULL;
        if (own && t->who && !strcmp(t->who, own))
            sbuf_printf(&b, "referred you to %s (%s, %s)", t->text ? t->text : "?", t->kind,
                        koutcome_name(t->outcome));
        else if (own && t->text && !strcmp(t->text, own))
            sbuf_printf(&b, "%s referred you to them (%s, %s)", t->who ? t->who : "?", t->kind,
                        koutcome_name(t->outcome));
        else
            sbuf_printf(&b, "%s referred you to %s (%s, %s)", t->who ? t->who : "?",
                        t->text ? t->text : "?", t->kind, koutcome_name(t->outcome));
        int room = w - x - tw;
        x += tui_pane_text(p, y, x, room > 0 ? room : 0, THEME_NORMAL, b.s, 0);
        tui_pane_put(p, y, x, t->thanked ? THEME_THANKED : THEME_WARNING, tail);
        (void)today;
    } else if (t->type == TIMELINE_FORWARD) {
        /* A gift expecting nothing: its own mark, no direction, no weight. */
        x += tui_pane_put(p, y, x, THEME_GAVE, "» forward ");
        if (c->all || !c->have)
            sbuf_printf(&b, "%s · ", t->who ? t->who : "someone");
        sbuf_add(&b, t->text ? t->text : "");
        tui_pane_text(p, y, x, w - x, THEME_NORMAL, b.s, 0);
    } else {
        x += tui_pane_put(p, y, x, THEME_THANKED, "♥ ");
        sbuf_printf(&b, "thanked %s by %s%s%s", t->who ? t->who : "?", t->kind, t->text ? ": " : "",
                    t->text ? t->text : "");
        tui_pane_text(p, y, x, w - x, THEME_NORMAL, b.s, 0);
    }
    sbuf_free(&b);
}

void tui_card_draw(struct tui_card *c, struct tui_pane *p, int focused, int today)
{
    struct tui_rect r = tui_pane_rect(p);
    struct sbuf title = {0};
    tui_pane_erase(p, THEME_NORMAL);
    if (c->all) {
        sbuf_add(&title, "Timeline · all contacts");
    } else if (c->have) {
        sbuf_add(&title, c->c.name);
        if (c->c.company || c->c.title)
            sbuf_printf(&title, " · %s%s%s", c->c.company ? c->c.company : "",
                        c->c.company && c->c.title ? ", " : "", c->c.title ? c->c.title : "");
    } else {
        sbuf_add(&title, "No contact");
    }
    tui_pane_box(p, focused ? THEME_FOCUS : THEME_BORDER, title.s, c->above ? "more above" : NULL);
    sbuf_free(&title);
    if (!c->all && !c->have) {
        tui_pane_put(p, 1, 2, THEME_MUTED, "Select a contact, or press a to add one.");
        return;
    }
    if (!c->all)
        draw_head(c, p, today);
    int y = 1 + c->head, rows = r.h - 2 - c->head;
    if (c->tl.n == 0)
        tui_pane_put(p, y, 2, THEME_MUTED,
                     c->all ? "Nothing logged yet." : "Nothing logged yet · l logs an interaction");
    for (size_t i = 0; i < c->tl.n && (int)i < rows; i++)
        draw_entry(c, p, y + (int)i, r.w - 1, &c->tl.v[i], today);
    if (c->more)
        tui_pane_put(p, r.h - 1, r.w - 8, THEME_MUTED, " more ");
}

int tui_card_scroll(struct tui_card *c, enum tui_action a, int page)
{
    /* A page is what the timeline shows, not the pane: the head takes rows
     * too, and paging by the pane's height would skip entries or run past
     * the end into an empty window. */
    if (c->rows > 0 && page > c->rows)
        page = c->rows;
    size_t pg = page > 1 ? (size_t)page - 1 : 1;
    switch (a) {
    case TUI_ACT_DOWN:
    case TUI_ACT_PAGE_DOWN:
        if (!c->more)
            return 0;
        /* The window holds rows + 1 entries when there are more. */
        if (a == TUI_ACT_DOWN || pg >= c->tl.n)
            pg = 1;
        c->want = WANT_FROM;
        c->from = timeline_key_of(&c->tl.v[pg]);
        return 1;
    case TUI_ACT_UP:
    case TUI_ACT_PAGE_UP:
        if (!c->above || !c->tl.n)
            return 0;
        c->want = WANT_UP;
        c->from = timeline_key_of(&c->tl.v[0]);
        c->up = a == TUI_ACT_UP ? 1 : pg;
        return 1;
    case TUI_ACT_TOP:
        if (!c->above)
            return 0;
        c->want = WANT_FIRST;
        return 1;
    case TUI_ACT_BOTTOM:
        if (!c->more)
            return 0;
        c->want = WANT_END;
        return 1;
    default:
        return 0;
    }
}

void tui_card_show_goodwill(struct tui_card *c, int show)
{
    c->hide_goodwill = !show;
}

void tui_card_toggle_all(struct tui_card *c)
{
    c->all = !c->all;
    c->want = WANT_FIRST;
}

int tui_card_all(const struct tui_card *c)
{
    return c->all;
}
