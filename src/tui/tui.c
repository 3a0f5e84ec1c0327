#include "kith/tui/tui.h"

#include "kith/core/challenge.h"
#include "kith/core/history.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/sync.h"
#include "kith/tui/tui_actions.h"
#include "kith/tui/tui_app.h"
#include "kith/tui/tui_dupes.h"
#include "kith/tui/tui_detail.h"
#include "kith/tui/tui_give.h"
#include "kith/tui/tui_input.h"
#include "kith/tui/tui_log.h"
#include "kith/tui/tui_stats.h"
#include "kith/tui/tui_strip.h"
#include "kith/tui/tui_theme.h"
#include "kith/tui/tui_views.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEY_ESC 27

static volatile sig_atomic_t quit_signal;

static void on_signal(int sig)
{
    quit_signal = sig;
}

/* A signal, or the terminal gone without one (started without a
 * controlling terminal, the other side of the pty closed): either way the
 * session ends, and no dialog saves what it had half done. */
static int quitting(void)
{
    return quit_signal != 0 || tui_input_gone();
}

void tui_app_say(struct tui_app *a, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = kmalloc(n > 0 ? (size_t)n + 1 : 1);
    s[0] = '\0';
    if (n > 0) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    /* A long name must not leave half a character at the end. */
    size_t k = utf8_cut(s, sizeof a->status - 1);
    memcpy(a->status, s, k);
    a->status[k] = '\0';
    free(s);
    a->status_error = error;
    a->dirty |= TUI_DIRTY_STATUS;
}

/* Text rows inside a bordered pane. */
static int inner_h(struct tui_rect r)
{
    return r.h - 2 > 0 ? r.h - 2 : 1;
}

static void reload(struct tui_app *a)
{
    struct kerr e;
    kerr_clear(&e);
    int rc = K_OK;
    if (a->lay.too_small)
        return;
    /* The reminders are the cache's: the loop evaluates once the frame is
     * out (see loop), and the Today view shows the last result until then,
     * marked as being updated. */
    /* The challenge first: the Today view shows it. */
    challenge_clear(&a->ch);
    a->have_ch = 0;
    struct kerr ce;
    int crc = challenge_active(a->j, &a->ch, &ce);
    a->have_ch = crc == K_OK;
    if (crc != K_OK && crc != K_NOTFOUND)
        tui_app_say(a, 1, "%s", ce.msg);
    if (a->view == TUI_VIEW_CONTACTS) {
        rc = tui_list_reload(a->list, a->j, inner_h(a->lay.list), &e);
        if (rc == K_OK)
            rc = tui_card_reload(a->card, a->j, tui_list_selected(a->list), inner_h(a->lay.card),
                                 &e);
    } else if (a->view == TUI_VIEW_GIVE) {
        rc = tui_give_reload(a, &e);
    } else if (a->view == TUI_VIEW_STATS) {
        rc = tui_stats_reload(a, &e);
    } else {
        rc = tui_views_reload(a, &e);
    }
    if (rc != K_OK)
        tui_app_say(a, 1, "%s", e.msg);
    a->reload = 0;
    a->dirty = TUI_DIRTY_ALL;
}

static int overdue_mark(const char *id, const void *ud)
{
    return tui_remind_overdue(ud, id);
}

/* Conflicts a sync (here or by another kith on this journal) resolved that
 * no front end has told of yet. */
static void sync_news(struct tui_app *a)
{
    long long n = 0;
    struct kerr e;
    if (sync_conflicts_news(a->j, &n, &e) == K_OK && n) {
        a->sync_news += n;
        a->dirty |= TUI_DIRTY_HEADER;
    }
}

static const char *const tab_names[] = {"1 Contacts", "2 Referrals", "3 Today", "4 Give",
                                        "5 Stats"};
static const enum tui_view tab_views[] = {TUI_VIEW_CONTACTS, TUI_VIEW_REFERRALS, TUI_VIEW_TODAY,
                                          TUI_VIEW_GIVE, TUI_VIEW_STATS};

/* Draws the tabs (or measures them, p NULL): roomy, each padded and
 * spaced, or compact, only the current one padded. Returns the width. */
static int draw_tabs(struct tui_app *a, struct tui_pane *p, int roomy)
{
    int x = 6; /* " kith " */
    for (size_t i = 0; i < sizeof tab_names / sizeof tab_names[0]; i++) {
        int cur = a->view == tab_views[i];
        char t[32];
        snprintf(t, sizeof t, roomy || cur ? " %s " : "%s", tab_names[i]);
        int sep = roomy || i == 0 ? 1 : (cur || a->view == tab_views[i - 1] ? 0 : 1);
        if (p) {
            tui_pane_put(p, 0, x, THEME_HEADER, sep ? " " : "");
            tui_pane_put(p, 0, x + sep, cur ? THEME_TAB : THEME_HEADER, t);
        }
        x += sep + kstr_width(t);
    }
    return x;
}

static void draw_header(struct tui_app *a)
{
    struct tui_pane *p = a->header;
    tui_pane_erase(p, THEME_HEADER);
    tui_pane_put(p, 0, 0, THEME_HEADER, " kith ");
    /* The right side, most said first: what is due, where the challenge
     * stands. A narrow screen loses the tabs' padding first, then words,
     * then the challenge, then what is due; a sync's conflicts, told only
     * until the next key, go last (shortened, at 80 columns with every
     * tab). */
    enum { NR = 5 };
    char right[NR][224] = {"", "", "", "", ""}, due[128] = "", one[48] = "";
    size_t n = tui_remind_count(a->rem);
    const char *sep = n ? " · " : "";
    if (n)
        snprintf(one, sizeof one, "%zu due%s", n, tui_remind_is_stale(a->rem) ? " (updating)" : "");
    /* Until the next key: then 'kith sync status' lists them. */
    if (a->sync_news) {
        const char *s = a->sync_news == 1 ? "" : "s";
        snprintf(due, sizeof due, "%lld sync conflict%s resolved%s%s", a->sync_news, s,
                 one[0] ? " · " : "", one);
        snprintf(right[3], sizeof right[3], "%lld sync conflict%s resolved ", a->sync_news, s);
        snprintf(right[4], sizeof right[4], "%lld sync conflict%s ", a->sync_news, s);
    } else {
        snprintf(due, sizeof due, "%s", one);
    }
    if (a->sync_news) {
        n = n ? n : 1;
        sep = " · ";
    }
    if (a->have_ch && !a->ch.finished && a->ch.day > 0) {
        const char *tick = a->ch.today_done ? " ✓" : "";
        snprintf(right[0], sizeof right[0], "%s%schallenge day %d/%d%s ", due, sep, a->ch.day,
                 a->ch.days, tick);
        snprintf(right[1], sizeof right[1], "%s%sday %d/%d%s ", due, sep, a->ch.day, a->ch.days,
                 tick);
    } else if (a->have_ch && a->ch.finished) {
        snprintf(right[0], sizeof right[0], "%s%schallenge finished %d/%d · habit %d%% ", due, sep,
                 a->ch.done, a->ch.days, a->ch.habit);
        snprintf(right[1], sizeof right[1], "%s%sfinished · habit %d%% ", due, sep, a->ch.habit);
    }
    snprintf(right[2], sizeof right[2], "%s%s", due, n ? " " : "");
    for (int r = 0; r < NR; r++)
        if (!right[r][0])
            memcpy(right[r], right[2], sizeof right[r]);
    for (int r = 0; r < NR; r++) {
        int w = kstr_width(right[r]);
        for (int roomy = 1; roomy >= 0; roomy--) {
            if (draw_tabs(a, NULL, roomy) + w + 1 >= a->lay.cols && (r < NR - 1 || roomy))
                continue;
            draw_tabs(a, p, roomy);
            if (draw_tabs(a, NULL, roomy) + w + 1 < a->lay.cols)
                tui_pane_put(p, 0, a->lay.cols - w, THEME_HEADER, right[r]);
            return;
        }
    }
}

static void draw_status(struct tui_app *a)
{
    struct tui_pane *p = a->status_p;
    tui_pane_erase(p, THEME_STATUS);
    if (a->typing) {
        char lead[2] = {(char)a->typing, 0};
        int x = tui_pane_put(p, 0, 0, THEME_KEY, lead);
        /* Why "ca" finds fewer than "car" can: until every word has three
         * letters, a search looks at names and companies only. */
        const char *right = "names and companies · Enter keep · Esc clear";
        int rw = kstr_width(right);
        if (a->typing != '/' || !tui_list_names_only(a->list) || a->lay.cols - x - rw - 8 < 20) {
            right = "Enter keep · Esc clear";
            rw = kstr_width(right);
        }
        tui_pane_text(p, 0, x, a->lay.cols - x - rw - 8, THEME_STATUS, a->typed.s, 0);
        tui_pane_put(p, 0, a->lay.cols - rw - 7, THEME_MUTED, right);
        int cx = 1 + kstr_width(a->typed.s);
        (void)cx;
        return;
    }
    struct sbuf hints = {0};
    tui_keys_hints(a->view, &hints);
    /* Outcome on the right, keys on the left; the outcome wins when both
     * cannot fit. */
    int sw = a->status[0] ? kstr_width(a->status) + 2 : 0;
    int room = a->lay.cols - sw - 1;
    int x = 1;
    for (char *save = NULL, *tok = strtok_r(hints.s, " ", &save); tok && x < room;
         tok = strtok_r(NULL, " ", &save)) {
        /* Hints alternate: key, word. */
        char *word = strtok_r(NULL, " ", &save);
        int need = kstr_width(tok) + 1 + (word ? kstr_width(word) : 0) + 2;
        if (x + need > room)
            break;
        x += tui_pane_put(p, 0, x, THEME_KEY, tok);
        x += tui_pane_put(p, 0, x, THEME_STATUS, " ");
        if (word)
            x += tui_pane_put(p, 0, x, THEME_STATUS, word);
        x += tui_pane_put(p, 0, x, THEME_STATUS, "  ");
    }
    sbuf_free(&hints);
    if (a->status[0]) {
        int w = kstr_width(a->status);
        int sx = a->lay.cols - w - 1;
        if (sx < x)
            sx = x;
        tui_pane_text(p, 0, sx, a->lay.cols - sx, a->status_error ? THEME_ERROR : THEME_STATUS,
                      a->status, 0);
    }
}

static void draw_too_small(struct tui_app *a)
{
    struct tui_pane *p = a->small_p;
    tui_pane_place(p, a->lay.screen);
    tui_pane_top(p);
    tui_pane_erase(p, THEME_NORMAL);
    char msg[96];
    snprintf(msg, sizeof msg, "need %dx%d, have %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS, a->lay.cols,
             a->lay.rows);
    int y = a->lay.rows / 2 - 1;
    tui_pane_put(p, y > 0 ? y : 0, 1, THEME_ERROR, "terminal too small");
    tui_pane_put(p, y + 1, 1, THEME_NORMAL, msg);
    tui_pane_put(p, y + 2, 1, THEME_MUTED, "q quits");
}

/* Scrolling the card's timeline re-reads its window only: the list, the
 * contact and the challenge are as they were (a third to four fifths of a
 * whole reload with a search over 100k contacts in the list). */
static void reload_card(struct tui_app *a)
{
    struct kerr e;
    a->reload_card = 0;
    if (a->lay.too_small || a->view != TUI_VIEW_CONTACTS)
        return;
    if (tui_card_rescroll(a->card, a->j, &e) != K_OK)
        tui_app_say(a, 1, "%s", e.msg);
    a->dirty |= TUI_DIRTY_CARD;
}

static void draw(struct tui_app *a)
{
    if (a->reload) {
        reload(a);
        a->reload_card = 0;
    } else if (a->reload_card) {
        reload_card(a);
    }
    if (a->lay.too_small) {
        draw_too_small(a);
        tui_pane_flush();
        return;
    }
    int today = journal_today(a->j);
    if (a->dirty & TUI_DIRTY_HEADER)
        draw_header(a);
    if (a->view == TUI_VIEW_CONTACTS) {
        if (a->dirty & TUI_DIRTY_LIST)
            tui_list_draw(a->list, a->list_p, !a->focus_card, today);
        if (a->dirty & TUI_DIRTY_CARD)
            tui_card_draw(a->card, a->card_p, a->focus_card, today);
    } else if ((a->dirty & TUI_DIRTY_VIEW) && a->view == TUI_VIEW_GIVE) {
        tui_give_draw(a);
    } else if ((a->dirty & TUI_DIRTY_VIEW) && a->view == TUI_VIEW_STATS) {
        tui_stats_draw(a);
    } else if (a->dirty & TUI_DIRTY_VIEW) {
        tui_views_draw(a);
    }
    if (a->dirty & TUI_DIRTY_STRIP)
        tui_strip_draw(a->strip_p, a->have_ch ? &a->ch : NULL, today);
    if (a->dirty & TUI_DIRTY_STATUS)
        draw_status(a);
    a->dirty = 0;
    tui_pane_flush();
}

static void place_all(struct tui_app *a)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout_compute(rows, cols, &a->lay);
    struct tui_rect none = {0, 0, 0, 0};
    int small = a->lay.too_small, contacts = a->view == TUI_VIEW_CONTACTS;
    tui_pane_place(a->header, small ? none : a->lay.header);
    tui_pane_place(a->list_p, small || !contacts ? none : a->lay.list);
    tui_pane_place(a->card_p, small || !contacts ? none : a->lay.card);
    tui_pane_place(a->view_p, small || contacts ? none : a->lay.body);
    tui_pane_place(a->strip_p, small ? none : a->lay.strip);
    tui_pane_place(a->status_p, small ? none : a->lay.status);
    if (!small)
        tui_pane_show(a->small_p, 0);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}

/* The host callback for dialogs: the screen under them follows a resize. */
static void relayout(void *ud)
{
    struct tui_app *a = ud;
    place_all(a);
    draw(a);
}

static void set_view(struct tui_app *a, enum tui_view v)
{
    if (a->view == v)
        return;
    a->view = v;
    a->typing = 0;
    place_all(a);
}

static void show_help(struct tui_app *a)
{
    struct sbuf b = {0};
    sbuf_add(&b, "Keys here (generated from the key table):\n\n");
    tui_keys_help(a->view, &b);
    sbuf_add(&b, "\n\nUndo: u takes back the last change made here, of any kind, and again\n"
                 "the one before (200 deep, kept in the journal: also after quitting);\n"
                 "U or ^R redoes. The command line has its own: kith undo.\n"
                 "\nMarks\n"
                 "  +  gave (a deposit)   -  asked (a withdrawal)   =  mutual\n"
                 "  !  overdue (a keep-in-touch rule)   arch.  archived (v lists them)\n"
                 "  ✓  thanked   ✗  not thanked   ★  a referral   ♥  a thank-you\n"
                 "  ■  day done   ▨  grace: an empty day the streak goes on over\n"
                 "  □  empty   ▣  today   ·  to come   »  paid forward\n"
                 "\nIn forms\n"
                 "  Tab ↓ / Shift-Tab ↑   next / previous field\n"
                 "  ←/→                   move, or choose in a pick list (◂▸)\n"
                 "  ^X                    the field in your editor ($VISUAL, $EDITOR):\n"
                 "                        notes of several lines, long lists\n"
                 "  ^U                    clear the field; ^A/^E its start/end\n"
                 "  A paste is text: a newline in it never saves the form.\n"
                 "  Enter save, Esc cancel (it asks when something was typed).\n"
                 "\nMouse: the wheel scrolls, a click selects.");
    tui_form_text(&a->host, "Help", b.s);
    sbuf_free(&b);
    a->dirty = TUI_DIRTY_ALL;
}

/* Typing a search or tag in the bottom line: every key updates the list. */
static void typing_key(struct tui_app *a, int is_key, wint_t ch)
{
    int k = (int)ch;
    if (!is_key && k == KEY_ESC) {
        a->typing == '/' ? tui_list_set_search(a->list, NULL) : tui_list_set_tag(a->list, NULL);
        a->typing = 0;
    } else if ((!is_key && (k == '\n' || k == '\r')) || (is_key && k == KEY_ENTER)) {
        a->typing = 0;
    } else if ((is_key && k == KEY_BACKSPACE) || (!is_key && (k == 127 || k == 8))) {
        /* Drop the last character, not the last byte. */
        while (a->typed.len && (a->typed.s[a->typed.len - 1] & 0xC0) == 0x80)
            a->typed.len--;
        if (a->typed.len)
            a->typed.len--;
        if (a->typed.s)
            a->typed.s[a->typed.len] = 0;
    } else if (!is_key && ch >= 32 && ch != 127) {
        char buf[4];
        size_t n = utf8_encode((unsigned)ch, buf);
        if (a->typed.len < 200)
            sbuf_addn(&a->typed, buf, n);
    } else {
        return;
    }
    const char *t = a->typed.s ? a->typed.s : "";
    if (a->typing == '/' || (!a->typing && tui_list_search(a->list)))
        tui_list_set_search(a->list, a->typing ? t : tui_list_search(a->list));
    if (a->typing == '#')
        tui_list_set_tag(a->list, t);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}

/* A paste is text, never keys: it goes into the search or tag being
 * typed, and is otherwise set aside. */
static void paste(struct tui_app *a)
{
    struct sbuf t = {0};
    tui_input_paste(&t);
    if (!a->typing) {
        tui_app_say(a, 0, "a paste is not a command: open a form or / first");
    } else {
        for (size_t i = 0; i < t.len;) {
            unsigned cp;
            i += utf8_decode(t.s + i, t.len - i, &cp);
            typing_key(a, 0, cp < 0x20 ? ' ' : (wint_t)cp);
        }
    }
    sbuf_free(&t);
}

static void start_typing(struct tui_app *a, int lead)
{
    a->typing = lead;
    sbuf_free(&a->typed);
    const char *cur = lead == '/' ? tui_list_search(a->list) : tui_list_tag(a->list);
    sbuf_add(&a->typed, cur ? cur : "");
    a->dirty |= TUI_DIRTY_STATUS;
}

static void jump_to_contact(struct tui_app *a, const char *id)
{
    if (!id)
        return;
    tui_list_clear(a->list);
    tui_list_select_id(a->list, id);
    a->focus_card = 0;
    set_view(a, TUI_VIEW_CONTACTS);
    a->reload = 1;
}

static void mouse(struct tui_app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || a->lay.too_small)
        return;
    enum tui_action act = TUI_ACT_NONE;
    if (ev.bstate & BUTTON4_PRESSED)
        act = TUI_ACT_UP;
#ifdef BUTTON5_PRESSED
    else if (ev.bstate & BUTTON5_PRESSED)
        act = TUI_ACT_DOWN;
#endif
    if (a->view == TUI_VIEW_CONTACTS) {
        struct tui_rect l = a->lay.list, c = a->lay.card;
        int in_list = ev.x >= l.x && ev.x < l.x + l.w && ev.y >= l.y && ev.y < l.y + l.h;
        int in_card = ev.x >= c.x && ev.x < c.x + c.w && ev.y >= c.y && ev.y < c.y + c.h;
        if (act != TUI_ACT_NONE) {
            if (in_card && tui_card_scroll(a->card, act, 1))
                a->reload_card = 1;
            else if (!in_card && tui_list_move(a->list, act, 1))
                a->reload = 1;
        } else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)) {
            if (in_list) {
                a->focus_card = 0;
                tui_list_click(a->list, ev.y - l.y);
                a->reload = 1;
            } else if (in_card) {
                a->focus_card = 1;
                a->dirty |= TUI_DIRTY_LIST | TUI_DIRTY_CARD;
            }
        }
    } else if (act != TUI_ACT_NONE && a->view == TUI_VIEW_GIVE) {
        if (tui_give_move(a, act))
            a->dirty |= TUI_DIRTY_VIEW;
    } else if (act != TUI_ACT_NONE && a->view == TUI_VIEW_STATS) {
        if (tui_stats_move(a, act))
            a->dirty |= TUI_DIRTY_VIEW;
    } else if (act != TUI_ACT_NONE && tui_views_move(a, act)) {
        a->dirty |= TUI_DIRTY_VIEW;
    }
}

/* What a key's handler asks of the loop besides redrawing (the
 * TUI_DIRTY_* bits): to re-read the data, or to quit. */
enum { DO_RELOAD = 1 << 8, DO_QUIT = 1 << 9, DO_RELOAD_CARD = 1 << 10 };

static unsigned on_quit(struct tui_app *a, enum tui_action act)
{
    (void)a, (void)act;
    return DO_QUIT;
}

static unsigned on_help(struct tui_app *a, enum tui_action act)
{
    (void)act;
    show_help(a);
    return 0;
}

static unsigned on_view(struct tui_app *a, enum tui_action act)
{
    set_view(a, act == TUI_ACT_VIEW_REFERRALS ? TUI_VIEW_REFERRALS
                : act == TUI_ACT_VIEW_TODAY   ? TUI_VIEW_TODAY
                : act == TUI_ACT_VIEW_GIVE    ? TUI_VIEW_GIVE
                : act == TUI_ACT_VIEW_STATS   ? TUI_VIEW_STATS
                                              : TUI_VIEW_CONTACTS);
    return 0;
}

static unsigned on_move(struct tui_app *a, enum tui_action act)
{
    int page = a->view == TUI_VIEW_CONTACTS ? inner_h(a->lay.list) : inner_h(a->lay.body) - 1;
    /* Today's rows, the ideas and the figures are in memory: moving
     * re-reads nothing. */
    if (a->view == TUI_VIEW_TODAY)
        return tui_views_move(a, act) ? TUI_DIRTY_VIEW : 0;
    if (a->view == TUI_VIEW_GIVE)
        return tui_give_move(a, act) ? TUI_DIRTY_VIEW : 0;
    if (a->view == TUI_VIEW_STATS)
        return tui_stats_move(a, act) ? TUI_DIRTY_VIEW : 0;
    if (a->view != TUI_VIEW_CONTACTS)
        return tui_views_move(a, act) ? DO_RELOAD : 0;
    if (a->focus_card)
        return tui_card_scroll(a->card, act, inner_h(a->lay.card)) ? DO_RELOAD_CARD : 0;
    return tui_list_move(a->list, act, page) ? DO_RELOAD : 0;
}

static unsigned on_focus(struct tui_app *a, enum tui_action act)
{
    (void)act;
    a->focus_card = !a->focus_card;
    return TUI_DIRTY_LIST | TUI_DIRTY_CARD;
}

static unsigned on_open(struct tui_app *a, enum tui_action act)
{
    (void)act;
    if (a->view == TUI_VIEW_CONTACTS)
        tui_detail_contact(a, tui_list_selected(a->list));
    else if (a->view == TUI_VIEW_REFERRALS)
        tui_detail_referral(a, tui_views_referral(a));
    else if (a->view == TUI_VIEW_GIVE)
        tui_give_open(a);
    else if (a->view == TUI_VIEW_TODAY && tui_views_today_contact(a))
        jump_to_contact(a, tui_views_today_contact(a));
    else if (a->view == TUI_VIEW_TODAY)
        tui_app_say(a, 0, "not about a contact");
    return TUI_DIRTY_ALL;
}

static unsigned on_type(struct tui_app *a, enum tui_action act)
{
    start_typing(a, act == TUI_ACT_TAG ? '#' : '/');
    return 0;
}

static unsigned on_sort(struct tui_app *a, enum tui_action act)
{
    (void)act;
    tui_list_cycle_sort(a->list);
    return DO_RELOAD;
}

static unsigned on_clear(struct tui_app *a, enum tui_action act)
{
    (void)act;
    unsigned r = tui_list_clear(a->list) ? DO_RELOAD : 0;
    a->status[0] = 0;
    return r | TUI_DIRTY_STATUS;
}

static unsigned on_all_timeline(struct tui_app *a, enum tui_action act)
{
    (void)act;
    tui_card_toggle_all(a->card);
    return DO_RELOAD;
}

static unsigned on_thank(struct tui_app *a, enum tui_action act)
{
    (void)act;
    const struct referral *ref;
    if (a->view == TUI_VIEW_REFERRALS) {
        if ((ref = tui_views_referral(a)))
            tui_actions_thank(a, ref->referrer.id, ref->id);
    } else if (tui_list_selected(a->list)) {
        tui_actions_thank(a, tui_list_selected(a->list), NULL);
    }
    return 0;
}

static unsigned on_outcome(struct tui_app *a, enum tui_action act)
{
    (void)act;
    const struct referral *ref = tui_views_referral(a);
    if (ref)
        tui_actions_outcome(a, ref->id);
    return 0;
}

static unsigned on_show_archived(struct tui_app *a, enum tui_action act)
{
    (void)act;
    tui_app_say(a, 0,
                tui_list_toggle_archived(a->list)
                    ? "archived contacts listed too (marked) · v hides them"
                    : "archived contacts hidden · v lists them");
    return DO_RELOAD;
}

static unsigned on_redraw(struct tui_app *a, enum tui_action act)
{
    (void)a, (void)act;
    clearok(curscr, TRUE);
    return TUI_DIRTY_ALL;
}

/* The actions that open a form or a dialog: they say and mark what they
 * changed themselves. */
#define FORM_HANDLER(name, call)                                                                   \
    static unsigned name(struct tui_app *a, enum tui_action act)                                   \
    {                                                                                              \
        (void)act;                                                                                 \
        call(a);                                                                                   \
        return 0;                                                                                  \
    }
FORM_HANDLER(on_add, tui_actions_add)
FORM_HANDLER(on_edit, tui_actions_edit)
FORM_HANDLER(on_log, tui_actions_log)
FORM_HANDLER(on_forward, tui_actions_forward)
FORM_HANDLER(on_refer, tui_actions_refer)
FORM_HANDLER(on_delete, tui_actions_delete)
FORM_HANDLER(on_archive, tui_actions_archive)
FORM_HANDLER(on_undo, tui_actions_undo)
FORM_HANDLER(on_redo, tui_actions_redo)
FORM_HANDLER(on_dupes, tui_dupes_run)
FORM_HANDLER(on_tick, tui_actions_tick)
FORM_HANDLER(on_challenge, tui_actions_challenge)
FORM_HANDLER(on_history, tui_actions_history)
FORM_HANDLER(on_done, tui_actions_remind_done)
FORM_HANDLER(on_snooze, tui_actions_remind_snooze)
FORM_HANDLER(on_restore, tui_actions_remind_restore)

/* One handler per action (the keys are in tui_keys.c): each returns what
 * must be redrawn or re-read, applied in one place by dispatch(). */
static unsigned (*const handlers[TUI_ACT_COUNT])(struct tui_app *, enum tui_action) = {
    [TUI_ACT_QUIT] = on_quit,
    [TUI_ACT_HELP] = on_help,
    [TUI_ACT_VIEW_CONTACTS] = on_view,
    [TUI_ACT_VIEW_REFERRALS] = on_view,
    [TUI_ACT_VIEW_TODAY] = on_view,
    [TUI_ACT_VIEW_GIVE] = on_view,
    [TUI_ACT_VIEW_STATS] = on_view,
    [TUI_ACT_FORWARD] = on_forward,
    [TUI_ACT_DOWN] = on_move,
    [TUI_ACT_UP] = on_move,
    [TUI_ACT_PAGE_DOWN] = on_move,
    [TUI_ACT_PAGE_UP] = on_move,
    [TUI_ACT_TOP] = on_move,
    [TUI_ACT_BOTTOM] = on_move,
    [TUI_ACT_FOCUS] = on_focus,
    [TUI_ACT_OPEN] = on_open,
    [TUI_ACT_SEARCH] = on_type,
    [TUI_ACT_TAG] = on_type,
    [TUI_ACT_SORT] = on_sort,
    [TUI_ACT_CLEAR] = on_clear,
    [TUI_ACT_ALL_TIMELINE] = on_all_timeline,
    [TUI_ACT_ADD] = on_add,
    [TUI_ACT_EDIT] = on_edit,
    [TUI_ACT_LOG] = on_log,
    [TUI_ACT_REFER] = on_refer,
    [TUI_ACT_THANK] = on_thank,
    [TUI_ACT_OUTCOME] = on_outcome,
    [TUI_ACT_DELETE] = on_delete,
    [TUI_ACT_UNDO] = on_undo,
    [TUI_ACT_REDO] = on_redo,
    [TUI_ACT_TICK] = on_tick,
    [TUI_ACT_CHALLENGE] = on_challenge,
    [TUI_ACT_HISTORY] = on_history,
    [TUI_ACT_REDRAW] = on_redraw,
    [TUI_ACT_DONE] = on_done,
    [TUI_ACT_SNOOZE] = on_snooze,
    [TUI_ACT_DUPES] = on_dupes,
    [TUI_ACT_ARCHIVE] = on_archive,
    [TUI_ACT_RESTORE] = on_restore,
    [TUI_ACT_SHOW_ARCHIVED] = on_show_archived,
};

/* Runs one action and applies what it asks; returns 1 to quit. */
static int dispatch(struct tui_app *a, enum tui_action act)
{
    unsigned (*run)(struct tui_app *, enum tui_action) =
        act > TUI_ACT_NONE && act < TUI_ACT_COUNT ? handlers[act] : NULL;
    unsigned r = run ? run(a, act) : 0;
    if (r & DO_QUIT)
        return 1;
    if (r & DO_RELOAD)
        a->reload = 1;
    if (r & DO_RELOAD_CARD)
        a->reload_card = 1;
    a->dirty |= r & TUI_DIRTY_ALL;
    return 0;
}

/* Notices a new day (the TUI may stay open past midnight) unless the date
 * is pinned by $KITH_TODAY. */
static void check_day(struct tui_app *a)
{
    const char *pinned = getenv("KITH_TODAY");
    if (pinned && *pinned)
        return;
    int today;
    if (kdate_today(&today, NULL) == K_OK && today != journal_today(a->j)) {
        journal_set_today(a->j, today);
        tui_remind_stale(a->rem); /* a new day fires new reminders */
        a->reload = 1;
    }
}

static int input_waiting(void)
{
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

static int key_waiting(void *ud)
{
    (void)ud;
    return input_waiting();
}

/* Evaluating every rule is a pass over the whole journal (a quarter of a
 * second at 100k contacts), so it never holds up a frame or a key: it runs
 * after the frame is out, stops for the first key that arrives, and starts
 * over the next time nothing is waiting. The header count, the list's marks
 * and the Today view follow when it ends. */
static void evaluate_when_idle(struct tui_app *a)
{
    struct kerr e;
    kerr_clear(&e);
    if (a->lay.too_small || !tui_remind_is_stale(a->rem) || input_waiting())
        return;
    int rc = tui_remind_refresh(a->rem, a->j, key_waiting, NULL, &e);
    if (rc == K_OK) {
        a->reload = 1;
        draw(a);
    } else if (rc != K_INTERRUPTED) {
        tui_app_say(a, 1, "reminders: %s", e.msg);
        draw(a);
    }
}

/* The list's search count, left for when no key is waiting (see
 * tui_list_count_step): it gives way to a key as the reminders do. */
static void count_when_idle(struct tui_app *a)
{
    struct kerr e;
    kerr_clear(&e);
    if (a->lay.too_small || !tui_list_counting(a->list) || input_waiting())
        return;
    int rc = tui_list_count_step(a->list, a->j, key_waiting, NULL, &e);
    if (rc == K_INTERRUPTED)
        return;
    if (rc != K_OK)
        tui_app_say(a, 1, "counting: %s", e.msg);
    a->dirty |= TUI_DIRTY_LIST | TUI_DIRTY_STATUS;
    draw(a);
}

/* No key came within the poll: another process may have written the
 * journal, or the day may have turned. */
static void idle(struct tui_app *a, int polls)
{
    if (journal_changed(a->j)) {
        tui_remind_stale(a->rem);
        a->reload = 1;
        sync_news(a);
        /* Said beside what is on the line ("saved Ana"), not over it. */
        if (a->status[0] && !strstr(a->status, "changed elsewhere") && !a->status_error) {
            char was[sizeof a->status];
            snprintf(was, sizeof was, "%s", a->status);
            tui_app_say(a, 0, "%.300s · journal changed elsewhere: refreshed", was);
        } else if (!a->status_error) {
            tui_app_say(a, 0, "journal changed elsewhere: refreshed");
        }
    }
    if (polls % 50 == 0)
        check_day(a);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The evaluation waits this long after a key: keys in quick succession
 * (typing, paging) do not each stop it half way, and a key that changes
 * nothing leaves kith waiting for the next rather than busy. */
#define EVAL_QUIET_MS 50

static void loop(struct tui_app *a)
{
    int polls = 0, keyed = 0;
    long long last_key = 0;
    for (;;) {
        /* While a search is typed, keys already waiting are taken before
         * the list is queried again, so fast typing never queues queries. */
        if (!(a->typing && input_waiting())) {
            draw(a);
            /* Quiet counts from the frame a key brought, not from the
             * key: a frame that took long must not leave the next key
             * arriving just as the work waiting for quiet starts. */
            if (keyed)
                last_key = now_ms();
            keyed = 0;
            if (now_ms() - last_key >= EVAL_QUIET_MS) {
                count_when_idle(a);
                evaluate_when_idle(a);
            }
        }
        wint_t ch;
        long long quiet = now_ms() - last_key;
        int waiting = tui_remind_is_stale(a->rem) || tui_list_counting(a->list);
        timeout(quiet < EVAL_QUIET_MS && waiting ? (int)(EVAL_QUIET_MS - quiet) : 200);
        int kind = get_wch(&ch);
        if (kind != ERR) {
            last_key = now_ms();
            keyed = 1;
        }
        if (quitting())
            return;
        if (kind != ERR && a->sync_news) {
            a->sync_news = 0;
            a->dirty |= TUI_DIRTY_HEADER;
        }
        if (kind == ERR) {
            idle(a, ++polls);
            continue;
        }
        int is_key = kind == KEY_CODE_YES;
        if (is_key && ch == KEY_RESIZE) {
            place_all(a);
            continue;
        }
        if (a->lay.too_small) {
            if (!is_key && (ch == 'q' || ch == 3))
                return;
            continue;
        }
        if (is_key && ch == KEY_MOUSE) {
            mouse(a);
            continue;
        }
        if (is_key && ch == TUI_KEY_PASTE_BEGIN) {
            paste(a);
            continue;
        }
        if (!is_key && ch == 3) /* Ctrl-C: raw mode turns it into a key */
            return;
        if (a->typing) {
            typing_key(a, is_key, ch);
            continue;
        }
        /* A message is about what was just done: the next key moves on. */
        if (a->status[0]) {
            a->status[0] = 0;
            a->status_error = 0;
            a->dirty |= TUI_DIRTY_STATUS;
        }
        int key = (int)ch;
        if (!is_key && ch == '\r')
            key = '\n';
        if (!is_key && ch > 127)
            continue;
        enum tui_action act = tui_keys_lookup(key, a->view);
        if (act == TUI_ACT_NONE) {
            char lb[16];
            tui_app_say(a, 0, "%s: no such key here · ? shows the keys", tui_keys_label(key, lb));
            continue;
        }
        if (dispatch(a, act))
            return;
    }
}

/* Fills th from the options, the config or the default; a theme that does
 * not load falls back to the default and leaves why in msg (empty if it
 * loaded). */
static void pick_theme(const struct config *cfg, const struct tui_options *opt, struct theme *th,
                       char *msg, size_t size)
{
    struct kerr te;
    kerr_clear(&te);
    msg[0] = 0;
    if (opt && opt->no_color) {
        theme_mono(th);
    } else if (theme_load(opt && opt->theme ? opt->theme
                          : cfg             ? cfg->theme
                                            : NULL,
                          th, &te) != K_OK) {
        /* Only the first line fits the bottom line; the rest is in the
         * message's file:line:column form already. */
        char *nl = strchr(te.msg, '\n');
        if (nl)
            *nl = 0;
        snprintf(msg, size, "using the default theme: %.240s", te.msg);
    }
}

struct saved_signals {
    struct sigaction intr, term, hup;
};

static void catch_signals(struct saved_signals *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &old->term);
    sigaction(SIGINT, &sa, &old->intr);
    sigaction(SIGHUP, &sa, &old->hup);
    quit_signal = 0;
}

static void restore_signals(const struct saved_signals *old)
{
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGHUP, &old->hup, NULL);
}

/* Sets the terminal up for the interface: raw keys, the mouse, colours. */
static int start_screen(const struct theme *th, const struct tui_options *opt)
{
    if (!initscr())
        return 0;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              ,
              NULL);
    mouseinterval(0);
    tui_input_start();
    tui_theme_init(th, !(opt && opt->no_color));
    return 1;
}

/* The panes, the list, the card and the reminder state, each empty until
 * the first place_all. */
static void app_open(struct tui_app *a, struct journal *j, const struct config *cfg)
{
    struct tui_rect none = {0, 0, 0, 0};
    a->header = tui_pane_new(none);
    a->list_p = tui_pane_new(none);
    a->card_p = tui_pane_new(none);
    a->view_p = tui_pane_new(none);
    a->strip_p = tui_pane_new(none);
    a->status_p = tui_pane_new(none);
    a->small_p = tui_pane_new(none);
    a->list = tui_list_new();
    a->card = tui_card_new();
    a->rem = tui_remind_new();
    const struct config *gc = cfg ? cfg : journal_config(j);
    tui_list_show_goodwill(a->list, gc ? gc->goodwill_show : 1);
    tui_card_show_goodwill(a->card, gc ? gc->goodwill_show : 1);
    /* The list keeps a column for the mark only when a rule can set it. */
    for (size_t i = 0; gc && i < gc->nrules; i++)
        if (gc->rules[i].on == CONFIG_ON_SILENCE && gc->rules[i].max_days >= 0)
            tui_list_set_overdue(a->list, overdue_mark, a->rem);
    a->host.layout = &a->lay;
    a->host.relayout = relayout;
    a->host.ud = a;
    a->host.quitting = quitting;
}

static void app_close(struct tui_app *a)
{
    tui_list_free(&a->list);
    tui_card_free(&a->card);
    tui_pane_free(&a->header);
    tui_pane_free(&a->list_p);
    tui_pane_free(&a->card_p);
    tui_pane_free(&a->view_p);
    tui_pane_free(&a->strip_p);
    tui_pane_free(&a->status_p);
    tui_pane_free(&a->small_p);
    challenge_clear(&a->ch);
    referral_list_clear(&a->refs);
    tui_views_today_clear(a);
    idea_list_clear(&a->ideas);
    tui_stats_clear(a);
    tui_remind_free(&a->rem);
    sbuf_free(&a->typed);
}

int tui_run(struct journal *j, const struct config *cfg, const struct tui_options *opt,
            struct kerr *e)
{
    struct tui_app a;
    struct theme th;
    char theme_msg[300];
    memset(&a, 0, sizeof a);
    a.j = j;
    a.cfg = cfg;
    a.view = TUI_VIEW_CONTACTS;
    pick_theme(cfg, opt, &th, theme_msg, sizeof theme_msg);

    struct saved_signals old;
    catch_signals(&old);
    if (!start_screen(&th, opt)) {
        return kerr_set(e, K_ERR, "cannot start the terminal interface");
    }
    app_open(&a, j, cfg);
    if (theme_msg[0])
        tui_app_say(&a, 1, "%s", theme_msg);
    /* Every change made here can be undone, also after quitting. */
    history_record(j, "tui", HISTORY_RECORD);
    sync_news(&a);
    history_label_default(j, "a change");
    journal_changed(j);
    place_all(&a);
    loop(&a);

    app_close(&a);
    tui_input_stop();
    endwin();
    restore_signals(&old);
    return K_OK;
}
