#include "kith/tui/tui_views.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/reminder.h"

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

static void today_add(struct tui_app *a, enum tui_today_kind kind, const char *text,
                      const char *contact_id, size_t rem)
{
    a->today = kgrowarray(a->today, a->ntoday, sizeof *a->today);
    struct tui_today_row *r = &a->today[a->ntoday++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->text = kstr_dup(text ? text : "");
    r->rem = rem;
    snprintf(r->contact_id, sizeof r->contact_id, "%s", contact_id ? contact_id : "");
}

void tui_views_today_clear(struct tui_app *a)
{
    reminder_list_clear(&a->handled);
    for (size_t i = 0; i < a->ntoday; i++)
        free(a->today[i].text);
    free(a->today);
    a->today = NULL;
    a->ntoday = 0;
}

static int selectable(const struct tui_today_row *r)
{
    return r->kind == TUI_TODAY_REMINDER || r->kind == TUI_TODAY_HANDLED ||
           (r->kind == TUI_TODAY_BIRTHDAY && r->contact_id[0]);
}

static int add_birthday(const struct reminder_birthday *bd, void *ud)
{
    struct tui_app *a = ud;
    struct sbuf b = {0};
    char d[KDATE_BUF];
    sbuf_printf(&b, "  %s  %s  %s", kdate_format(bd->date, d) + 5, bd->name,
                bd->in_days == 0   ? "today"
                : bd->in_days == 1 ? "tomorrow"
                                   : "");
    if (bd->in_days > 1)
        sbuf_printf(&b, "in %d days", bd->in_days);
    today_add(a, TUI_TODAY_BIRTHDAY, b.s, bd->contact_id, 0);
    sbuf_free(&b);
    return 0;
}

/* Reads nothing that needs the rules evaluated: the reminders come from the
 * cache, which tui.c refreshes before this runs. */
static int reload_today(struct tui_app *a, struct kerr *e)
{
    int rc;
    struct sbuf b = {0};
    const struct reminder_list *rl = tui_remind_list(a->rem);
    size_t due = tui_remind_count(a->rem);
    tui_views_today_clear(a);
    int updating = tui_remind_is_stale(a->rem);
    const char *failed = tui_remind_error(a->rem);
    if (!tui_remind_known(a->rem) && failed)
        sbuf_printf(&b, "Reminders due: the rules could not be evaluated (%s)", failed);
    else if (!tui_remind_known(a->rem))
        sbuf_add(&b, "Reminders due: evaluating the rules…");
    else
        sbuf_printf(&b, "Reminders due: %zu%s%s", due,
                    failed     ? " (not updated: the rules could not be evaluated)"
                    : updating ? " (updating)"
                               : "",
                    due ? "  (! overdue · d done · z snooze)" : "");
    today_add(a, TUI_TODAY_HEAD, b.s, NULL, 0);
    sbuf_free(&b);
    if (!rl->n && tui_remind_known(a->rem))
        today_add(a, TUI_TODAY_TEXT, "  Nothing due. The rules in the config decide what is.", NULL,
                  0);
    for (size_t i = 0; i < rl->n; i++)
        today_add(a, TUI_TODAY_REMINDER, NULL, rl->v[i].contact_id, i);
    if (due > rl->n) {
        sbuf_printf(&b, "  ... and %zu more: kith today lists them all", due - rl->n);
        today_add(a, TUI_TODAY_TEXT, b.s, NULL, 0);
        sbuf_free(&b);
    }
    today_add(a, TUI_TODAY_TEXT, "", NULL, 0);
    today_add(a, TUI_TODAY_HEAD, "Today's networking act", NULL, 0);
    if (a->have_ch && !a->ch.finished && a->ch.day > 0)
        sbuf_printf(&b, "  Day %d of %d: %s · streak %d", a->ch.day, a->ch.days,
                    a->ch.today_done ? "done ✓" : "not yet · x ticks it", a->ch.streak);
    else if (a->have_ch && a->ch.finished)
        sbuf_printf(&b, "  The last challenge finished with %d of %d days · c starts a new one",
                    a->ch.done, a->ch.days);
    else
        sbuf_add(&b, "  No challenge running · c starts one");
    today_add(a, TUI_TODAY_TEXT, b.s, NULL, 0);
    sbuf_free(&b);
    today_add(a, TUI_TODAY_TEXT, "", NULL, 0);
    today_add(a, TUI_TODAY_HEAD, "Birthdays in the next 7 days", NULL, 0);
    size_t before = a->ntoday;
    /* From the index of contacts with a birthday: a pass over every
     * contact per day cost most of a second at 100k contacts. */
    if ((rc = reminder_birthdays(a->j, 6, add_birthday, a, e)) != K_OK)
        return rc;
    if (a->ntoday == before)
        today_add(a, TUI_TODAY_TEXT, "  None.", NULL, 0);
    /* What the user did with reminders: done or snoozed, restorable. */
    reminder_list_clear(&a->handled);
    const struct reminder_list *hl = tui_remind_handled(a->rem);
    for (size_t i = 0; i < hl->n; i++)
        reminder_list_add(&a->handled, &hl->v[i]);
    today_add(a, TUI_TODAY_TEXT, "", NULL, 0);
    today_add(a, TUI_TODAY_HEAD,
              a->handled.n ? "Done and snoozed  (r restores: due again)" : "Done and snoozed", NULL,
              0);
    if (!a->handled.n)
        today_add(a, TUI_TODAY_TEXT, "  None: d marks a reminder done, z snoozes it.", NULL, 0);
    for (size_t i = 0; i < a->handled.n; i++)
        today_add(a, TUI_TODAY_HANDLED, NULL, a->handled.v[i].contact_id, i);
    /* Stay on the same row (after d, the next reminder moves up into it),
     * else land on the nearest selectable row above, else the first. */
    if (a->today_sel >= a->ntoday)
        a->today_sel = a->ntoday ? a->ntoday - 1 : 0;
    size_t i = a->today_sel;
    while (i > 0 && !selectable(&a->today[i]))
        i--;
    if (!a->ntoday || !selectable(&a->today[i]))
        for (i = 0; i < a->ntoday && !selectable(&a->today[i]); i++)
            ;
    a->today_sel = i < a->ntoday ? i : 0;
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
    /* The names and what they opened get the room: the thanked column
     * needs no more than its longest "✗ 150 days waiting". */
    int date_w = 10, thanks_w = w >= 110 ? 24 : 18, outcome_w = 9;
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
                     f->thanked_on == KDATE_NONE ? ""
                     : thanks_w < 24             ? kdate_format(f->thanked_on, d) + 5
                                                 : kdate_format(f->thanked_on, d),
                     f->thanked_form ? f->thanked_form : "");
        else if (thanks_w < 24)
            snprintf(th, sizeof th, "✗ %dd waiting", today - f->date);
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

/* A reminder row: the selection and overdue marks as symbols (they must
 * read without color), the due date, the message and, when there is room,
 * the contact (the message usually names them already, so it goes last). */
static void draw_reminder(struct tui_pane *p, int y, int w, const struct reminder *r, int sel)
{
    char d[KDATE_BUF];
    enum theme_slot base = sel ? THEME_SELECTED : r->overdue ? THEME_OVERDUE : THEME_NORMAL;
    int who_w = w >= 100 ? 24 : w >= 70 ? 16 : 0;
    int x = 1;
    x += tui_pane_put(p, y, x, base, sel ? "▸" : " ");
    x += tui_pane_put(p, y, x, base, r->overdue ? "! " : "· ");
    x += tui_pane_put(p, y, x,
                      sel          ? base
                      : r->overdue ? THEME_OVERDUE
                                   : THEME_MUTED,
                      kdate_format(r->due_on, d));
    x += tui_pane_put(p, y, x, base, "  ");
    int msg_w = w - x - (who_w ? who_w + 1 : 0);
    x += col(p, y, x, msg_w + 1, base, r->message);
    if (who_w)
        tui_pane_text(p, y, x, who_w, sel ? base : THEME_MUTED, r->contact ? r->contact : "", 0);
}

/* A handled reminder: what was done with it and when, then its text. */
static void draw_handled(struct tui_pane *p, int y, int w, const struct reminder *r, int sel)
{
    char d[KDATE_BUF], what[48];
    enum theme_slot base = sel ? THEME_SELECTED : THEME_MUTED;
    if (r->done_on != KDATE_NONE)
        snprintf(what, sizeof what, "✓ done %s", kdate_format(r->done_on, d) + 5);
    else
        snprintf(what, sizeof what, "z until %s", kdate_format(r->snoozed_until, d) + 5);
    int x = 1;
    x += tui_pane_put(p, y, x, base, sel ? "▸ " : "  ");
    x += tui_pane_text(p, y, x, 14, base, what, 0);
    x += tui_pane_put(p, y, x, base, "  ");
    tui_pane_text(p, y, x, w - x, base, r->message, 0);
}

static void draw_today(struct tui_app *a, struct tui_pane *p)
{
    struct tui_rect r = tui_pane_rect(p);
    const struct reminder_list *rl = tui_remind_list(a->rem);
    char note[48] = "";
    if (tui_remind_count(a->rem))
        snprintf(note, sizeof note, "%zu due", tui_remind_count(a->rem));
    tui_pane_box(p, THEME_FOCUS, "Today", note[0] ? note : NULL);
    int rows = r.h - 2;
    a->today_top =
        (size_t)tui_layout_scroll((int)a->today_top, (int)a->today_sel, (int)a->ntoday, rows);
    for (size_t i = a->today_top; i < a->ntoday && (int)(i - a->today_top) < rows; i++) {
        const struct tui_today_row *t = &a->today[i];
        int y = 1 + (int)(i - a->today_top);
        int sel = i == a->today_sel && selectable(t);
        if (t->kind == TUI_TODAY_HEAD)
            tui_pane_text(p, y, 2, r.w - 4, THEME_TITLE, t->text, 0);
        else if (t->kind == TUI_TODAY_REMINDER && t->rem < rl->n)
            draw_reminder(p, y, r.w - 2, &rl->v[t->rem], sel);
        else if (t->kind == TUI_TODAY_HANDLED && t->rem < a->handled.n)
            draw_handled(p, y, r.w - 2, &a->handled.v[t->rem], sel);
        else
            tui_pane_text(p, y, 2, r.w - 4, sel ? THEME_SELECTED : THEME_NORMAL, t->text, 0);
        if (sel && t->kind != TUI_TODAY_REMINDER)
            tui_pane_put(p, y, 1, THEME_SELECTED, "▸");
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
    /* Today: step over headings and text to the rows one can act on. */
    size_t old = a->today_sel, n = a->ntoday, i = a->today_sel;
    if (!n)
        return 0;
    if (act == TUI_ACT_TOP || act == TUI_ACT_BOTTOM) {
        int up = act == TUI_ACT_BOTTOM;
        i = up ? n - 1 : 0;
        while (!selectable(&a->today[i]) && (up ? i > 0 : i + 1 < n))
            i += up ? (size_t)-1 : 1;
        if (selectable(&a->today[i]))
            a->today_sel = i;
        return old != a->today_sel;
    }
    int up = act == TUI_ACT_UP || act == TUI_ACT_PAGE_UP;
    size_t steps = act == TUI_ACT_PAGE_UP || act == TUI_ACT_PAGE_DOWN ? (size_t)rows_of(a) : 1;
    for (size_t moved = 0; moved < steps;) {
        if (up ? i == 0 : i + 1 >= n)
            break;
        i += up ? (size_t)-1 : 1;
        if (selectable(&a->today[i])) {
            a->today_sel = i;
            moved++;
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
    if (a->today_sel >= a->ntoday || !selectable(&a->today[a->today_sel]) ||
        !a->today[a->today_sel].contact_id[0])
        return NULL;
    return a->today[a->today_sel].contact_id;
}

const struct reminder *tui_views_today_handled(const struct tui_app *a)
{
    if (a->view != TUI_VIEW_TODAY || a->today_sel >= a->ntoday)
        return NULL;
    const struct tui_today_row *t = &a->today[a->today_sel];
    return t->kind == TUI_TODAY_HANDLED && t->rem < a->handled.n ? &a->handled.v[t->rem] : NULL;
}

const struct reminder *tui_views_today_reminder(const struct tui_app *a)
{
    const struct reminder_list *rl = tui_remind_list(a->rem);
    if (a->view != TUI_VIEW_TODAY || a->today_sel >= a->ntoday)
        return NULL;
    const struct tui_today_row *t = &a->today[a->today_sel];
    return t->kind == TUI_TODAY_REMINDER && t->rem < rl->n ? &rl->v[t->rem] : NULL;
}
