#include "kith/tui_views.h"

#include "kith/birthday.h"
#include "kith/kdate.h"
#include "kith/kstr.h"
#include "kith/referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rows_of(const struct tui_app *a)
{
    return a->lay.body.h - 3 > 0 ? a->lay.body.h - 3 : 1;
}

static int reload_referrals(struct tui_app *a, struct kerr *e)
{
    struct referral_query q;
    int rc;
    memset(&q, 0, sizeof q);
    if ((rc = referral_count(a->j, &q, &a->ref_total, e)) != K_OK)
        return rc;
    if (a->ref_sel >= a->ref_total)
        a->ref_sel = a->ref_total ? a->ref_total - 1 : 0;
    a->ref_top =
        (size_t)tui_layout_scroll((int)a->ref_top, (int)a->ref_sel, (int)a->ref_total, rows_of(a));
    referral_list_clear(&a->refs);
    q.offset = a->ref_top;
    q.limit = (size_t)rows_of(a);
    return referral_list(a->j, &q, &a->refs, e);
}

static void today_add(struct tui_app *a, const char *line, const char *id)
{
    kstrlist_add(&a->today_lines, line);
    kstrlist_add(&a->today_ids, id ? id : "");
}

static int reload_today(struct tui_app *a, struct kerr *e)
{
    int today = journal_today(a->j), rc;
    struct birthday_list bl;
    struct sbuf b = {0};
    kstrlist_clear(&a->today_lines);
    kstrlist_clear(&a->today_ids);
    today_add(a, "# Reminders due", NULL);
    today_add(a, "  No reminders: reminder rules are not part of this build yet.", NULL);
    today_add(a, "", NULL);
    today_add(a, "# Today's networking act", NULL);
    /* The strip reloads the challenge too; reading it here keeps the view
     * self-contained. */
    if (a->have_ch && !a->ch.finished && a->ch.day > 0)
        sbuf_printf(&b, "  Day %d of %d: %s · streak %d", a->ch.day, a->ch.days,
                    a->ch.today_done ? "done ✓" : "not yet · x ticks it", a->ch.streak);
    else if (a->have_ch && a->ch.finished)
        sbuf_printf(&b, "  The last challenge finished with %d of %d days · c starts a new one",
                    a->ch.done, a->ch.days);
    else
        sbuf_add(&b, "  No challenge running · c starts one");
    today_add(a, b.s, NULL);
    sbuf_free(&b);
    today_add(a, "", NULL);
    today_add(a, "# Birthdays in the next 7 days", NULL);
    if ((rc = birthday_upcoming(a->j, today, 7, &bl, e)) != K_OK)
        return rc;
    if (!bl.n)
        today_add(a, "  None.", NULL);
    for (size_t i = 0; i < bl.n; i++) {
        char d[KDATE_BUF];
        int when = bl.v[i].on - today;
        sbuf_printf(&b, "  %s  %s  %s", kdate_format(bl.v[i].on, d) + 5, bl.v[i].contact.name,
                    when == 0   ? "today"
                    : when == 1 ? "tomorrow"
                                : "");
        if (when > 1)
            sbuf_printf(&b, "in %d days", when);
        today_add(a, b.s, bl.v[i].contact.id);
        sbuf_free(&b);
    }
    birthday_list_clear(&bl);
    /* Land on a selectable row. */
    if (a->today_sel >= a->today_ids.n || !*a->today_ids.v[a->today_sel]) {
        a->today_sel = 0;
        for (size_t i = 0; i < a->today_ids.n; i++)
            if (*a->today_ids.v[i]) {
                a->today_sel = i;
                break;
            }
    }
    return K_OK;
}

int tui_views_reload(struct tui_app *a, struct kerr *e)
{
    if (a->view == TUI_VIEW_REFERRALS)
        return reload_referrals(a, e);
    return reload_today(a, e);
}

/* A column: text fitted to w - 1 and a space, so columns never touch. */
static int col(struct tui_pane *p, int y, int x, int w, enum theme_slot s, const char *text)
{
    tui_pane_text(p, y, x, w - 1, s, text, 0);
    tui_pane_put(p, y, x + w - 1, s, " ");
    return w;
}

static void draw_referrals(struct tui_app *a, struct tui_pane *p)
{
    struct tui_rect r = tui_pane_rect(p);
    int today = journal_today(a->j);
    size_t unthanked = 0;
    for (size_t i = 0; i < a->refs.n; i++)
        unthanked += !a->refs.v[i].thanked;
    char title[96];
    snprintf(title, sizeof title, "Referrals %zu", a->ref_total);
    tui_pane_box(p, THEME_FOCUS, title, "unthanked first, oldest first");
    int w = r.w - 4;
    int date_w = 10, thanks_w = 24, outcome_w = 9;
    int who_w = (w - date_w - thanks_w - outcome_w - 4) / 2;
    int to_w = w - date_w - thanks_w - outcome_w - 4 - who_w;
    int x = 2;
    x += col(p, 1, x, date_w + 1, THEME_MUTED, "date");
    x += col(p, 1, x, who_w + 1, THEME_MUTED, "referred by");
    x += col(p, 1, x, to_w + 1, THEME_MUTED, "to");
    x += col(p, 1, x, outcome_w + 1, THEME_MUTED, "outcome");
    tui_pane_text(p, 1, x, thanks_w, THEME_MUTED, "thanked", 0);
    if (!a->refs.n)
        tui_pane_put(p, 2, 2, THEME_MUTED, "No referrals yet · in Contacts, r records one");
    for (size_t i = 0; i < a->refs.n; i++) {
        const struct referral *f = &a->refs.v[i];
        int y = 2 + (int)i, sel = a->ref_top + i == a->ref_sel;
        enum theme_slot base = sel ? THEME_SELECTED : f->thanked ? THEME_NORMAL : THEME_WARNING;
        char d[KDATE_BUF], th[96];
        x = 2;
        x += col(p, y, x, date_w + 1, base, kdate_format(f->date, d));
        x += col(p, y, x, who_w + 1, base, f->referrer.name);
        x += col(p, y, x, to_w + 1, base, f->target_text);
        x += col(p, y, x, outcome_w + 1, base, koutcome_name(f->outcome));
        if (f->thanked)
            snprintf(th, sizeof th, "✓ %s %s",
                     f->thanked_on != KDATE_NONE ? kdate_format(f->thanked_on, d) : "",
                     f->thanked_form ? f->thanked_form : "");
        else
            snprintf(th, sizeof th, "✗ %d days waiting", today - f->date);
        tui_pane_text(p, y, x, thanks_w,
                      sel          ? base
                      : f->thanked ? THEME_THANKED
                                   : THEME_WARNING,
                      th, 0);
        if (sel)
            tui_pane_paint(p, y, 1, r.w - 2, THEME_SELECTED);
    }
    (void)unthanked;
}

static void draw_today(struct tui_app *a, struct tui_pane *p)
{
    struct tui_rect r = tui_pane_rect(p);
    tui_pane_box(p, THEME_FOCUS, "Today", NULL);
    size_t top = (size_t)tui_layout_scroll(0, (int)a->today_sel, (int)a->today_lines.n, r.h - 2);
    for (size_t i = top; i < a->today_lines.n && (int)(i - top) < r.h - 2; i++) {
        const char *s = a->today_lines.v[i];
        int y = 1 + (int)(i - top);
        int sel = i == a->today_sel && *a->today_ids.v[i];
        if (s[0] == '#')
            tui_pane_text(p, y, 2, r.w - 4, THEME_TITLE, s + 2, 0);
        else
            tui_pane_text(p, y, 2, r.w - 4, sel ? THEME_SELECTED : THEME_NORMAL, s, 0);
        if (sel)
            tui_pane_paint(p, y, 1, r.w - 2, THEME_SELECTED);
    }
}

void tui_views_draw(struct tui_app *a)
{
    tui_pane_erase(a->view_p, THEME_NORMAL);
    if (a->view == TUI_VIEW_REFERRALS)
        draw_referrals(a, a->view_p);
    else
        draw_today(a, a->view_p);
}

int tui_views_move(struct tui_app *a, enum tui_action act)
{
    if (a->view == TUI_VIEW_REFERRALS) {
        size_t old = a->ref_sel, pg = (size_t)rows_of(a);
        if (!a->ref_total)
            return 0;
        if (act == TUI_ACT_DOWN && a->ref_sel + 1 < a->ref_total)
            a->ref_sel++;
        else if (act == TUI_ACT_UP && a->ref_sel)
            a->ref_sel--;
        else if (act == TUI_ACT_PAGE_DOWN)
            a->ref_sel = a->ref_sel + pg < a->ref_total ? a->ref_sel + pg : a->ref_total - 1;
        else if (act == TUI_ACT_PAGE_UP)
            a->ref_sel = a->ref_sel > pg ? a->ref_sel - pg : 0;
        else if (act == TUI_ACT_TOP)
            a->ref_sel = 0;
        else if (act == TUI_ACT_BOTTOM)
            a->ref_sel = a->ref_total - 1;
        return old != a->ref_sel;
    }
    /* Today: step over headings and blank lines to rows with a contact. */
    size_t old = a->today_sel, n = a->today_ids.n;
    int dir = act == TUI_ACT_UP || act == TUI_ACT_PAGE_UP || act == TUI_ACT_TOP ? -1 : 1;
    size_t i = act == TUI_ACT_TOP ? 0 : act == TUI_ACT_BOTTOM ? n - 1 : a->today_sel;
    if (act == TUI_ACT_TOP || act == TUI_ACT_BOTTOM)
        dir = -dir;
    for (size_t step = 0; step < n; step++) {
        if (act != TUI_ACT_TOP && act != TUI_ACT_BOTTOM) {
            if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= n))
                break;
            i += (size_t)dir;
        }
        if (*a->today_ids.v[i]) {
            a->today_sel = i;
            break;
        }
        if (act == TUI_ACT_TOP || act == TUI_ACT_BOTTOM) {
            if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= n))
                break;
            i += (size_t)dir;
        }
    }
    return old != a->today_sel;
}

const struct referral *tui_views_referral(const struct tui_app *a)
{
    if (a->view != TUI_VIEW_REFERRALS || a->ref_sel < a->ref_top ||
        a->ref_sel - a->ref_top >= a->refs.n)
        return NULL;
    return &a->refs.v[a->ref_sel - a->ref_top];
}

const char *tui_views_today_contact(const struct tui_app *a)
{
    if (a->today_sel >= a->today_ids.n || !*a->today_ids.v[a->today_sel])
        return NULL;
    return a->today_ids.v[a->today_sel];
}

void tui_views_trail(struct tui_app *a)
{
    const struct referral *f = tui_views_referral(a);
    struct referral_list tl = {0};
    struct kerr e;
    struct sbuf b = {0};
    if (!f)
        return;
    if (referral_trail(a->j, f->id, &tl, &e) != K_OK) {
        tui_app_say(a, 1, "%s", e.msg);
        return;
    }
    sbuf_add(&b, "How this referral came about, oldest first:\n");
    for (size_t i = 0; i < tl.n; i++) {
        const struct referral *t = &tl.v[i];
        char d[KDATE_BUF], td[KDATE_BUF];
        sbuf_printf(&b, "\n%s%s %s referred you to %s (%s) · %s · ", i ? "↳ " : "",
                    kdate_format(t->date, d), t->referrer.name ? t->referrer.name : "?",
                    t->target_text ? t->target_text : "?", t->kind ? t->kind : "",
                    koutcome_name(t->outcome));
        if (t->thanked)
            sbuf_printf(&b, "thanked ✓ %s %s",
                        t->thanked_on != KDATE_NONE ? kdate_format(t->thanked_on, td) : "",
                        t->thanked_form ? t->thanked_form : "");
        else
            sbuf_printf(&b, "not thanked ✗ (%d days)", journal_today(a->j) - t->date);
    }
    tui_form_text(&a->host, "Trail", b.s);
    sbuf_free(&b);
    referral_list_clear(&tl);
}
