#include "kith/tui_form.h"

#include "kith/kstr.h"
#include "kith/tui_pane.h"
#include "kith/tui_theme.h"

#include <curses.h>
#include <form.h>
#include <panel.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define KEY_ESC 27
#define CTRL(c) ((c)&0x1f)

void tui_field_set(struct tui_field *f, const char *v)
{
    free(f->value);
    f->value = kstr_dup(v ? v : "");
}

void tui_fields_clear(struct tui_field *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++)
        kstr_free(&f[i].value);
}

/* One built form: rebuilt from the values on every resize. */
struct built {
    WINDOW *win, *sub;
    PANEL *pn;
    FORM *form;
    FIELD **ff;
    size_t n;
    int label_w, per_page, h, w;
};

static char *trimmed(const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    return kstr_ndup(s, n);
}

static void save_values(struct built *b, struct tui_field *f)
{
    if (!b->form)
        return;
    form_driver(b->form, REQ_VALIDATION);
    for (size_t i = 0; i < b->n; i++) {
        free(f[i].value);
        f[i].value = trimmed(field_buffer(b->ff[i], 0));
    }
}

static void unbuild(struct built *b)
{
    if (b->form) {
        unpost_form(b->form);
        free_form(b->form);
    }
    for (size_t i = 0; b->ff && i < b->n; i++)
        free_field(b->ff[i]);
    free(b->ff);
    if (b->pn)
        del_panel(b->pn);
    if (b->sub)
        delwin(b->sub);
    if (b->win)
        delwin(b->win);
    memset(b, 0, sizeof *b);
}

static void draw_labels(struct built *b, struct tui_field *f, int cur, int bad, const char *title,
                        const char *msg)
{
    attr_t border = (attr_t)tui_theme_attr(THEME_FOCUS);
    wattrset(b->win, (int)border);
    box(b->win, 0, 0);
    wattrset(b->win, (int)tui_theme_attr(THEME_TITLE));
    /* Titles quote journal text ("Thank NAME"): escaped, fitted to the box. */
    struct sbuf tb = {0};
    int tw = kstr_width(title);
    kstr_fit(&tb, title, tw < b->w - 6 ? tw : b->w - 6, 0);
    mvwprintw(b->win, 0, 2, " %s ", tb.s ? tb.s : "");
    sbuf_free(&tb);
    int page = cur / b->per_page;
    for (int i = 0; i < (int)b->n; i++) {
        int row = i % b->per_page;
        if (i / b->per_page != page)
            continue;
        enum theme_slot s = i == bad ? THEME_ERROR : i == cur ? THEME_TITLE : THEME_NORMAL;
        wattrset(b->sub, (int)tui_theme_attr(s));
        struct sbuf lb = {0};
        sbuf_printf(&lb, "%s%s", i == bad ? "! " : "", f[i].label);
        struct sbuf fit = {0};
        kstr_fit(&fit, lb.s, b->label_w, 1);
        mvwaddstr(b->sub, row, 0, fit.s);
        sbuf_free(&fit);
        sbuf_free(&lb);
        if (f[i].type == TUI_FIELD_CHOICE) {
            wattrset(b->sub, (int)tui_theme_attr(THEME_MUTED));
            mvwaddstr(b->sub, row, b->w - 4, i == cur ? "◂▸" : "  ");
        }
    }
    /* The message row explains the bad field; otherwise the hint of the
     * current one. */
    int my = b->h - 3, inner = b->w - 4;
    struct sbuf line = {0};
    const char *hint = f[cur].hint;
    if (f[cur].type == TUI_FIELD_CHOICE && !hint)
        hint = "←/→ or Space to choose";
    char *esc = kstr_escape(msg ? msg : hint ? hint : "");
    kstr_fit(&line, esc, inner, 0);
    wattrset(b->win, (int)tui_theme_attr(msg ? THEME_ERROR : THEME_MUTED));
    mvwaddstr(b->win, my, 2, line.s);
    sbuf_free(&line);
    free(esc);
    const char *keys = b->n > (size_t)b->per_page
                           ? "Enter save · Esc cancel · Tab next field · PgDn more fields"
                           : "Enter save · Esc cancel · Tab next field";
    kstr_fit(&line, keys, inner, 0);
    wattrset(b->win, (int)tui_theme_attr(THEME_MUTED));
    mvwaddstr(b->win, b->h - 2, 2, line.s);
    sbuf_free(&line);
    wattrset(b->win, A_NORMAL);
}

static int build(struct built *b, const struct tui_host *h, const char *title, struct tui_field *f,
                 size_t n, int cur)
{
    memset(b, 0, sizeof *b);
    int lw = 0;
    for (size_t i = 0; i < n; i++) {
        int w = kstr_width(f[i].label) + 2;
        if (w > lw)
            lw = w;
    }
    struct tui_rect r = tui_layout_dialog(h->layout, (int)n + 5, 76);
    if (r.h < 6 || r.w < 30)
        return -1;
    b->h = r.h;
    b->w = r.w;
    b->n = n;
    b->label_w = lw;
    b->per_page = r.h - 5;
    int fx = lw + 1, fw = r.w - 2 - fx - 3;
    (void)title;
    b->win = newwin(r.h, r.w, r.y, r.x);
    b->sub = derwin(b->win, r.h - 5, r.w - 2, 1, 1);
    keypad(b->win, TRUE);
    b->pn = new_panel(b->win);
    wbkgd(b->win, ' ' | (chtype)tui_theme_attr(THEME_NORMAL));
    b->ff = kcalloc(n + 1, sizeof *b->ff); /* NOLINT(bugprone-sizeof-expression): FIELD *[] */
    for (size_t i = 0; i < n; i++) {
        FIELD *fd = new_field(1, fw, (int)i % b->per_page, fx, 0, 0);
        b->ff[i] = fd;
        set_field_back(fd, (chtype)tui_theme_attr(THEME_INPUT));
        field_opts_off(fd, O_AUTOSKIP);
        if (i && (int)i % b->per_page == 0)
            set_new_page(fd, TRUE);
        if (f[i].type == TUI_FIELD_CHOICE) {
            set_field_type(fd, TYPE_ENUM, (char **)f[i].choices, 0, 0);
            field_opts_off(fd, O_EDIT);
        } else {
            field_opts_off(fd, O_STATIC);
            set_max_field(fd, 1 << 16);
        }
        set_field_buffer(fd, 0, f[i].value ? f[i].value : "");
    }
    b->form = new_form(b->ff);
    set_form_win(b->form, b->win);
    set_form_sub(b->form, b->sub);
    post_form(b->form);
    set_current_field(b->form, b->ff[cur]);
    return 0;
}

static void cycle_choice(FIELD *fd, const struct tui_field *f, int dir)
{
    size_t k = 0, cur = 0;
    char *now = trimmed(field_buffer(fd, 0));
    for (; f->choices[k]; k++)
        if (!strcmp(f->choices[k], now))
            cur = k;
    free(now);
    if (!k)
        return;
    cur = (cur + k + (size_t)(dir > 0 ? 1 : k - 1)) % k;
    set_field_buffer(fd, 0, f->choices[cur]);
}

int tui_form_run(const struct tui_host *h, const char *title, struct tui_field *f, size_t n,
                 tui_form_submit submit, void *ud)
{
    struct built b;
    int cur = 0, bad = -1, saved = 0, done = 0;
    char *msg = NULL;
    curs_set(1);
    while (!done) {
        if (build(&b, h, title, f, n, cur) != 0) {
            /* Too small for the form: wait for the terminal to grow. */
            int ch = getch();
            if (ch == KEY_ESC || (h->quitting && h->quitting()))
                break;
            if (ch == KEY_RESIZE && h->relayout)
                h->relayout(h->ud);
            tui_pane_flush();
            continue;
        }
        int rebuild = 0, shown_page = 0;
        while (!done && !rebuild) {
            cur = field_index(current_field(b.form));
            if (form_page(b.form) != shown_page) {
                /* Another page: the old page's labels go. */
                shown_page = form_page(b.form);
                werase(b.sub);
                unpost_form(b.form);
                post_form(b.form);
            }
            draw_labels(&b, f, cur, bad, title, msg);
            pos_form_cursor(b.form);
            update_panels();
            pos_form_cursor(b.form);
            doupdate();
            wint_t ch;
            wtimeout(b.win, 250);
            int kind = wget_wch(b.win, &ch);
            if (kind == ERR) {
                if (h->quitting && h->quitting())
                    done = 1;
                continue;
            }
            int is_key = kind == KEY_CODE_YES;
            int k = (int)ch;
            FIELD *fd = current_field(b.form);
            int choice = f[cur].type == TUI_FIELD_CHOICE;
            if (is_key && k == KEY_RESIZE) {
                save_values(&b, f);
                rebuild = 1;
            } else if (!is_key && (k == KEY_ESC || k == CTRL('c'))) {
                done = 1;
            } else if ((!is_key && (k == '\n' || k == '\r')) || (is_key && k == KEY_ENTER)) {
                save_values(&b, f);
                struct kerr e;
                kerr_clear(&e);
                bad = -1;
                if (submit(ud, f, n, &bad, &e) == K_OK) {
                    saved = done = 1;
                } else {
                    free(msg);
                    msg = kstr_dup(e.msg[0] ? e.msg : "not saved");
                    if (bad >= 0 && (size_t)bad < n)
                        set_current_field(b.form, b.ff[bad]);
                }
            } else if ((!is_key && k == '\t') || (is_key && k == KEY_DOWN)) {
                set_current_field(b.form, b.ff[(size_t)(cur + 1) % n]);
            } else if (is_key && (k == KEY_BTAB || k == KEY_UP)) {
                set_current_field(b.form, b.ff[(size_t)(cur + (int)n - 1) % n]);
            } else if (is_key && k == KEY_NPAGE) {
                form_driver(b.form, REQ_NEXT_PAGE);
            } else if (is_key && k == KEY_PPAGE) {
                form_driver(b.form, REQ_PREV_PAGE);
            } else if (choice &&
                       ((is_key && (k == KEY_RIGHT || k == KEY_LEFT)) || (!is_key && k == ' '))) {
                cycle_choice(fd, &f[cur], k == KEY_LEFT ? -1 : 1);
            } else if (is_key && k == KEY_LEFT) {
                form_driver(b.form, REQ_PREV_CHAR);
            } else if (is_key && k == KEY_RIGHT) {
                form_driver(b.form, REQ_NEXT_CHAR);
            } else if ((is_key && k == KEY_BACKSPACE) || (!is_key && (k == 127 || k == 8))) {
                form_driver(b.form, REQ_DEL_PREV);
            } else if (is_key && k == KEY_DC) {
                form_driver(b.form, REQ_DEL_CHAR);
            } else if ((is_key && k == KEY_HOME) || (!is_key && k == CTRL('a'))) {
                form_driver(b.form, REQ_BEG_FIELD);
            } else if ((is_key && k == KEY_END) || (!is_key && k == CTRL('e'))) {
                form_driver(b.form, REQ_END_FIELD);
            } else if (!is_key && k == CTRL('u')) {
                form_driver(b.form, REQ_CLR_FIELD);
            } else if (!is_key && !choice && ch >= 32 && ch != 127) {
                form_driver_w(b.form, OK, ch);
                if (bad == cur) {
                    bad = -1;
                    kstr_free(&msg);
                }
            }
        }
        save_values(&b, f);
        unbuild(&b);
        if (rebuild && h->relayout)
            h->relayout(h->ud);
    }
    free(msg);
    curs_set(0);
    return saved;
}

/* A boxed text dialog; returns the key that closed it. */
static int text_box(const struct tui_host *h, const char *title, const char *text, const char *keys,
                    int confirm)
{
    /* Lines are split once; the box re-wraps nothing, it fits each line. */
    struct sbuf all = {0};
    sbuf_add(&all, text ? text : "");
    size_t nl = 1;
    for (char *p = all.s; *p; p++)
        if (*p == '\n')
            nl++;
    char **lines = kcalloc(nl, sizeof *lines);
    size_t k = 0;
    for (char *save = NULL, *p = all.s; k < nl; k++) {
        char *e = strchr(p, '\n');
        if (e)
            *e = 0;
        lines[k] = p;
        (void)save;
        if (!e)
            break;
        p = e + 1;
    }
    nl = k + 1;
    int maxw = kstr_width(title) + 6;
    for (size_t i = 0; i < nl; i++) {
        char *esc = kstr_escape(lines[i]);
        int w = kstr_width(esc) + 4;
        free(esc);
        if (w > maxw)
            maxw = w;
    }
    int top = 0, result = 0;
    struct tui_pane *p = NULL;
    for (;;) {
        struct tui_rect r = tui_layout_dialog(h->layout, (int)nl + 4, maxw);
        if (!p)
            p = tui_pane_new(r);
        else
            tui_pane_place(p, r);
        tui_pane_top(p);
        int rows = r.h - 4;
        if (top > (int)nl - rows)
            top = (int)nl - rows;
        if (top < 0)
            top = 0;
        tui_pane_erase(p, THEME_NORMAL);
        tui_pane_box(p, THEME_FOCUS, title, top + rows < (int)nl ? "more ↓" : NULL);
        for (int i = 0; i < rows && top + i < (int)nl; i++)
            tui_pane_text(p, 1 + i, 2, r.w - 4, THEME_NORMAL, lines[top + i], 0);
        tui_pane_text(p, r.h - 2, 2, r.w - 4, THEME_MUTED, keys, 0);
        tui_pane_flush();
        timeout(250);
        int ch = getch();
        if (ch == ERR) {
            if (h->quitting && h->quitting())
                break;
            continue;
        }
        if (ch == KEY_RESIZE) {
            if (h->relayout)
                h->relayout(h->ud);
            continue;
        }
        if (confirm) {
            result = ch == 'y' || ch == 'Y';
            break;
        }
        if (ch == 'j' || ch == KEY_DOWN)
            top++;
        else if (ch == 'k' || ch == KEY_UP)
            top--;
        else if (ch == KEY_NPAGE || ch == ' ')
            top += rows;
        else if (ch == KEY_PPAGE)
            top -= rows;
        else if (ch == 'q' || ch == KEY_ESC || ch == '\n' || ch == KEY_ENTER || ch == '?' ||
                 ch == CTRL('c'))
            break;
    }
    tui_pane_free(&p);
    free(lines);
    sbuf_free(&all);
    return result;
}

int tui_form_confirm(const struct tui_host *h, const char *title, const char *question)
{
    return text_box(h, title, question, "y yes · any other key: no", 1);
}

void tui_form_text(const struct tui_host *h, const char *title, const char *text)
{
    text_box(h, title, text, "j/k scroll · q or Esc close", 0);
}
