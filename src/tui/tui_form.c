#include "kith/tui/tui_form.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/tui/tui_input.h"
#include "kith/tui/tui_pane.h"
#include "kith/tui/tui_theme.h"

#include <curses.h>
#include <form.h>
#include <panel.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define KEY_ESC 27
#define CTRL(c) ((c)&0x1f)

/* Longer values are shown as a preview and edited with Ctrl-X: the form
 * library redraws a field on every key, and a note of pages does not read
 * on one line anyway. */
#define INLINE_MAX 4000
/* What the user's editor may hand back (a note's limit). */
#define EDIT_MAX (1 << 20)
/* Marks the cursor while a paste is spliced into a field. */
#define CURSOR_MARK 0xFFFC

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

int tui_field_date(const struct tui_field *f, int idx, int today, int *out, int *bad,
                   struct kerr *e)
{
    if (!f->value || !*f->value) {
        *out = today;
        return K_OK;
    }
    if (kdate_parse(f->value, today, out, e) != K_OK) {
        *bad = idx;
        return K_USAGE;
    }
    return K_OK;
}

/* What the form keeps per field beside the caller's struct. */
struct fstate {
    char *orig;     /* the value the form opened with */
    char *val;      /* the value when the field was last shown or read */
    char *shown;    /* the text the curses field was given */
    char *notified; /* the value the changed callback last saw */
    int preview;    /* shown as a preview: typing does not edit it */
};

/* One built form: rebuilt from the values on every resize. */
struct built {
    WINDOW *win, *sub;
    PANEL *pn;
    FORM *form;
    FIELD **ff;
    size_t n;
    int label_w, per_page, h, w;
    int note_rows; /* 1 when the form has a note line under its fields */
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

static int same_trimmed(const char *a, const char *b)
{
    char *x = trimmed(a), *y = trimmed(b);
    int same = !strcmp(x, y);
    free(x);
    free(y);
    return same;
}

/* 1 when s has a character a one-line field cannot hold: a control
 * character (C0, DEL, C1), invalid UTF-8, or one the display escapes
 * (bidi controls, zero-width characters, emoji joiners): drawn raw in the
 * field it would reorder or hide text, or upset the terminal's columns. */
static int has_controls(const char *s, size_t n)
{
    if (!utf8_valid(s, n))
        return 1;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0))
            return 1;
        ascii &= c < 0x80;
    }
    if (ascii)
        return 0;
    char *raw = kstr_ndup(s, n), *shown = kstr_escape(raw);
    int differs = strcmp(raw, shown) != 0;
    free(raw);
    free(shown);
    return differs;
}

/* The text a value is typed as in the form, or NULL when it cannot be
 * (several lines, controls, a list item holding a separator, too long). */
static char *inline_text(const struct tui_field *f, const char *v)
{
    size_t n = strlen(v);
    if (n > INLINE_MAX)
        return NULL;
    if (!(f->flags & TUI_FIELD_LIST))
        return has_controls(v, n) ? NULL : kstr_dup(v);
    const char *sep = f->sep && *f->sep ? f->sep : " ";
    struct sbuf b = {0};
    for (const char *p = v; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (has_controls(p, len) || !len || strcspn(p, sep) < len) {
            sbuf_free(&b);
            return NULL;
        }
        if (b.len) {
            sbuf_addc(&b, sep[0]);
            if (sep[0] != ' ')
                sbuf_addc(&b, ' ');
        }
        sbuf_addn(&b, p, len);
        p = e ? e + 1 : p + len;
    }
    return sbuf_take(&b);
}

/* A preview of a value that cannot be typed inline: its first line,
 * escaped, and how much more there is. */
static char *preview_text(const struct tui_field *f, const char *v)
{
    size_t lines = 1;
    for (const char *p = v; *p; p++)
        lines += *p == '\n' && p[1];
    const char *nl = strchr(v, '\n');
    char *first = kstr_ndup(v, nl ? (size_t)(nl - v) : strlen(v));
    if (strlen(first) > 200)
        first[200] = 0; /* may cut a character: the escape shows it as \x.. */
    char *esc = kstr_escape(first);
    struct sbuf b = {0};
    if (f->flags & TUI_FIELD_LIST)
        sbuf_printf(&b, "[%zu] %s%s", lines, esc, lines > 1 ? " …" : "");
    else if (lines > 1)
        sbuf_printf(&b, "[%zu lines] %s …", lines, esc);
    else
        sbuf_printf(&b, "%s%s", esc, strlen(v) > 200 ? " …" : "");
    free(esc);
    free(first);
    return sbuf_take(&b);
}

/* Gives field i its value to show, inline or as a preview. */
static void show_field(struct built *b, const struct tui_field *f, struct fstate *st, size_t i)
{
    const char *v = f[i].value ? f[i].value : "";
    char *text = f[i].type == TUI_FIELD_CHOICE && !(f[i].flags & TUI_FIELD_OPEN)
                     ? kstr_dup(v)
                     : inline_text(&f[i], v);
    st[i].preview = !text;
    if (!text)
        text = preview_text(&f[i], v);
    free(st[i].val);
    st[i].val = kstr_dup(v);
    free(st[i].shown);
    st[i].shown = text;
    if (!b->form)
        return;
    FIELD *fd = b->ff[i];
    int editable = !st[i].preview && (f[i].type == TUI_FIELD_TEXT || (f[i].flags & TUI_FIELD_OPEN));
    if (editable)
        field_opts_on(fd, O_EDIT);
    else
        field_opts_off(fd, O_EDIT);
    set_field_buffer(fd, 0, text);
}

/* The value of what was typed inline: a list's items one a line. */
static char *parse_inline(const struct tui_field *f, const char *t)
{
    if (!(f->flags & TUI_FIELD_LIST))
        return kstr_dup(t);
    const char *sep = f->sep && *f->sep ? f->sep : " ";
    struct sbuf b = {0};
    for (const char *p = t; *p;) {
        size_t len = strcspn(p, sep);
        if (len) {
            if (b.len)
                sbuf_addc(&b, '\n');
            sbuf_addn(&b, p, len);
        }
        p += len;
        if (*p)
            p++;
    }
    return sbuf_take(&b);
}

/* Reads field i back into its value. Untouched text keeps the value it
 * showed exactly (untrimmed, with whatever the inline form left out). */
static void take_field(struct built *b, struct tui_field *f, struct fstate *st, size_t i)
{
    if (!b->form || st[i].preview)
        return;
    if (current_field(b->form) == b->ff[i])
        form_driver(b->form, REQ_VALIDATION);
    char *t = trimmed(field_buffer(b->ff[i], 0));
    if (same_trimmed(t, st[i].shown ? st[i].shown : "")) {
        free(t);
        return;
    }
    free(f[i].value);
    f[i].value = parse_inline(&f[i], t);
    free(st[i].val);
    st[i].val = kstr_dup(f[i].value);
    free(st[i].shown);
    st[i].shown = t;
}

static void take_all(struct built *b, struct tui_field *f, struct fstate *st)
{
    if (!b->form)
        return;
    form_driver(b->form, REQ_VALIDATION);
    for (size_t i = 0; i < b->n; i++)
        take_field(b, f, st, i);
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

static size_t wrap_lines(const char *text, int w, char ***out);
static void free_lines(char **v, size_t n);

static const char *field_hint(const struct tui_field *f, const struct fstate *st)
{
    if (st->preview)
        return f->flags & TUI_FIELD_LIST
                   ? "items with separators in them: ^X edits them one a line, ^U clears"
                   : "several lines or special characters: ^X edits it, ^U clears it";
    if (f->type == TUI_FIELD_CHOICE && !f->hint)
        return f->flags & TUI_FIELD_OPEN ? "←/→ known ones, or type a new one"
                                         : "←/→ or Space to choose";
    return f->hint;
}

static void draw_labels(struct built *b, struct tui_field *f, const struct fstate *st, int cur,
                        int bad, const char *title, const char *msg, const char *note)
{
    attr_t border = (attr_t)tui_theme_attr(THEME_FOCUS);
    wattrset(b->win, (int)border);
    box(b->win, 0, 0);
    struct sbuf line = {0};
    char *esc = kstr_escape(title);
    if (kstr_width(esc) > b->w - 6)
        kstr_fit(&line, esc, b->w - 6, 0);
    else
        sbuf_add(&line, esc);
    free(esc);
    wattrset(b->win, (int)tui_theme_attr(THEME_TITLE));
    /* Titles quote journal text ("Thank NAME"): escaped, fitted to the box. */
    mvwprintw(b->win, 0, 2, " %s ", line.s);
    sbuf_free(&line);
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
        wattrset(b->sub, (int)tui_theme_attr(THEME_MUTED));
        const char *mark = "  ";
        if (f[i].type == TUI_FIELD_CHOICE && i == cur)
            mark = "◂▸";
        else if (st[i].preview)
            mark = "^X";
        mvwaddstr(b->sub, row, b->w - 4, mark);
    }
    /* The message row explains the bad field; otherwise the hint of the
     * current one. */
    int my = b->h - 3, inner = b->w - 4;
    const char *hint = field_hint(&f[cur], &st[cur]);
    char **lines;
    /* A long message takes the blank row above it too. */
    size_t nl = wrap_lines(msg ? msg : hint ? hint : "", inner, &lines);
    wattrset(b->win, (int)tui_theme_attr(msg ? THEME_ERROR : THEME_MUTED));
    for (int k = 0; k < 2; k++) {
        int from = nl > 1 ? k : k - 1;
        if (from >= 0 && (size_t)from < nl)
            kstr_fit(&line, lines[from], inner, 0);
        else
            kstr_fit(&line, "", inner, 0);
        mvwaddstr(b->win, my - 1 + k, 2, line.s);
        sbuf_free(&line);
    }
    free_lines(lines, nl);
    if (b->note_rows) {
        /* The note wraps over its rows; what does not fit is cut. */
        char **nv;
        size_t nn = wrap_lines(note ? note : "", inner, &nv);
        wattrset(b->win, (int)tui_theme_attr(THEME_TITLE));
        for (int k = 0; k < b->note_rows; k++) {
            kstr_fit(&line, (size_t)k < nn ? nv[k] : "", inner, 0);
            mvwaddstr(b->win, b->h - 4 - b->note_rows + k, 2, line.s);
            sbuf_free(&line);
        }
        free_lines(nv, nn);
    }
    const char *keys = b->n > (size_t)b->per_page
                           ? "Enter save · Esc cancel · Tab next · PgDn more · ^X editor"
                           : "Enter save · Esc cancel · Tab next field · ^X editor";
    kstr_fit(&line, keys, inner, 0);
    wattrset(b->win, (int)tui_theme_attr(THEME_MUTED));
    mvwaddstr(b->win, b->h - 2, 2, line.s);
    sbuf_free(&line);
    wattrset(b->win, A_NORMAL);
}

static int build(struct built *b, const struct tui_host *h, struct tui_field *f, struct fstate *st,
                 size_t n, int cur, int note_rows)
{
    memset(b, 0, sizeof *b);
    int lw = 0;
    for (size_t i = 0; i < n; i++) {
        int w = kstr_width(f[i].label) + 2;
        if (w > lw)
            lw = w;
    }
    struct tui_rect r = tui_layout_dialog(h->layout, (int)n + 5 + note_rows, 76);
    if (r.h < 6 + note_rows || r.w < 30)
        return -1;
    b->h = r.h;
    b->w = r.w;
    b->n = n;
    b->label_w = lw;
    b->note_rows = note_rows;
    b->per_page = r.h - 5 - note_rows;
    int fx = lw + 1, fw = r.w - 2 - fx - 3;
    b->win = newwin(r.h, r.w, r.y, r.x);
    b->sub = derwin(b->win, b->per_page, r.w - 2, 1, 1);
    keypad(b->win, TRUE);
    b->pn = new_panel(b->win);
    wbkgd(b->win, ' ' | (chtype)tui_theme_attr(THEME_NORMAL));
    b->ff = kcalloc(n + 1, sizeof *b->ff); /* NOLINT(bugprone-sizeof-expression): FIELD *[] */
    for (size_t i = 0; i < n; i++) {
        FIELD *fd = new_field(1, fw, (int)i % b->per_page, fx, 0, 0);
        b->ff[i] = fd;
        set_field_back(fd, (chtype)tui_theme_attr(THEME_INPUT));
        /* O_BLANK would erase a pre-filled value at the first key. */
        field_opts_off(fd, O_AUTOSKIP | O_BLANK | O_STATIC);
        set_max_field(fd, INLINE_MAX + 64);
        if (i && (int)i % b->per_page == 0)
            set_new_page(fd, TRUE);
    }
    b->form = new_form(b->ff);
    set_form_win(b->form, b->win);
    set_form_sub(b->form, b->sub);
    for (size_t i = 0; i < n; i++)
        show_field(b, f, st, i);
    post_form(b->form);
    set_current_field(b->form, b->ff[cur]);
    form_driver(b->form, REQ_END_FIELD);
    return 0;
}

static void cycle_choice(struct built *b, struct tui_field *f, struct fstate *st, size_t i, int dir)
{
    size_t k = 0, cur = 0;
    int found = 0;
    take_field(b, f, st, i);
    for (; f[i].choices && f[i].choices[k]; k++)
        if (!found && !strcmp(f[i].choices[k], f[i].value ? f[i].value : "")) {
            cur = k;
            found = 1;
        }
    if (!k)
        return;
    /* A typed word not among the choices: the first step lands on the
     * first (or last) of them. */
    if (!found)
        cur = dir > 0 ? k - 1 : 0;
    cur = (cur + k + (size_t)(dir > 0 ? 1 : k - 1)) % k;
    tui_field_set(&f[i], f[i].choices[cur]);
    show_field(b, f, st, i);
    form_driver(b->form, REQ_END_FIELD);
}

/* Calls the form's changed callback when field i has a new value, then
 * shows whatever it set. */
static void notify(struct built *b, const struct tui_form *fm, struct fstate *st, size_t i)
{
    struct tui_field *f = fm->f;
    take_field(b, f, st, i);
    const char *v = f[i].value ? f[i].value : "";
    if (!fm->changed || (st[i].notified && !strcmp(st[i].notified, v)))
        return;
    free(st[i].notified);
    st[i].notified = kstr_dup(v);
    fm->changed(fm->ud, f, fm->n, i);
    for (size_t k = 0; k < fm->n; k++)
        if (strcmp(f[k].value ? f[k].value : "", st[k].val ? st[k].val : ""))
            show_field(b, f, st, k);
}

static void go_field(struct built *b, const struct tui_form *fm, struct fstate *st, size_t to)
{
    size_t from = (size_t)field_index(current_field(b->form));
    form_driver(b->form, REQ_VALIDATION);
    notify(b, fm, st, from);
    set_current_field(b->form, b->ff[to]);
    form_driver(b->form, REQ_END_FIELD);
}

/* What a one-line field makes of pasted text: line ends and tabs become
 * separators, other controls go, and a final line end is dropped. */
static void flatten_paste(const struct tui_field *f, struct sbuf *t)
{
    while (t->len && t->s[t->len - 1] == '\n')
        t->s[--t->len] = 0;
    char sep = f->flags & TUI_FIELD_LIST && f->sep && *f->sep ? f->sep[0] : ' ';
    size_t k = 0;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->s[i];
        if (c == '\n' || c == '\t')
            t->s[k++] = sep;
        else if (c >= 0x20 && c != 0x7F)
            t->s[k++] = (char)c;
    }
    t->len = k;
    if (t->s)
        t->s[k] = 0;
}

/* Puts pasted text into the current field at the cursor. Returns a message
 * for the user or NULL. */
static const char *paste_into(struct built *b, struct tui_field *f, struct fstate *st, size_t i,
                              struct sbuf *t)
{
    if (f[i].type == TUI_FIELD_CHOICE && !(f[i].flags & TUI_FIELD_OPEN))
        return "a pick list takes no paste: ←/→ chooses";
    int lines = (f[i].flags & TUI_FIELD_LINES) != 0;
    if (!lines)
        flatten_paste(&f[i], t);
    else
        while (t->len && t->s[t->len - 1] == '\n')
            t->s[--t->len] = 0; /* copied lines end in a line end; the text does not */
    if (!t->len)
        return NULL;
    take_field(b, f, st, i);
    if (!st[i].preview && !memchr(t->s, '\n', t->len) && !has_controls(t->s, t->len) &&
        strlen(st[i].shown ? st[i].shown : "") + t->len <= INLINE_MAX) {
        /* Typed in at the cursor, as if by hand. */
        for (size_t k = 0; k < t->len;) {
            unsigned cp;
            k += utf8_decode(t->s + k, t->len - k, &cp);
            form_driver_w(b->form, OK, (wchar_t)cp);
        }
        return NULL;
    }
    /* Spliced into the value where the cursor is (a preview's cursor is
     * its end). */
    const char *v = f[i].value ? f[i].value : "";
    struct sbuf nv = {0};
    char *mark = NULL;
    if (!st[i].preview) {
        form_driver_w(b->form, OK, CURSOR_MARK);
        form_driver(b->form, REQ_VALIDATION);
        char *buf = trimmed(field_buffer(b->ff[i], 0));
        char m[4];
        m[utf8_encode(CURSOR_MARK, m)] = 0;
        mark = strstr(buf, m);
        if (mark && !strstr(mark + 1, m) && !strstr(st[i].shown ? st[i].shown : "", m)) {
            *mark = 0;
            char *before = parse_inline(&f[i], buf), *after = parse_inline(&f[i], mark + 3);
            sbuf_printf(&nv, "%s%s%s", before, t->s, after);
            free(before);
            free(after);
        } else {
            mark = NULL;
        }
        free(buf);
    }
    if (!mark && (f[i].flags & TUI_FIELD_LIST)) {
        char *items = parse_inline(&f[i], t->s);
        sbuf_printf(&nv, "%s%s%s", v, *v && *items ? "\n" : "", items);
        free(items);
    } else if (!mark) {
        sbuf_printf(&nv, "%s%s", v, t->s);
    }
    free(f[i].value);
    f[i].value = sbuf_take(&nv);
    show_field(b, f, st, i);
    form_driver(b->form, REQ_END_FIELD);
    return st[i].preview ? "pasted: ^X shows and edits the whole text" : NULL;
}

/* What the user's editor made of a field's text: a one-line field's line
 * ends become spaces (a list's separate items), and the line end editors
 * put after the last line is not part of the text. */
static char *from_editor(const struct tui_field *f, const char *before, char *text)
{
    size_t n = strlen(text);
    /* The file was given a last line end (see edit_field). */
    if (n && text[n - 1] == '\n')
        text[--n] = 0;
    if (!strcmp(text, before))
        return kstr_dup(before);
    if (f->flags & TUI_FIELD_LINES)
        return kstr_dup(text);
    struct sbuf b = {0};
    for (char *p = text; *p;) {
        char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && p[len - 1] == '\r')
            len--;
        char *line = kstr_ndup(p, len), *t = trimmed(line);
        if (*t) {
            if (b.len)
                sbuf_addc(&b, f->flags & TUI_FIELD_LIST ? '\n' : ' ');
            sbuf_add(&b, t);
        }
        free(t);
        free(line);
        p = e ? e + 1 : p + len;
    }
    return sbuf_take(&b);
}

/* Esc: a form with changes asks before dropping them. */
static int may_cancel(const struct tui_host *h, struct built *b, struct tui_field *f,
                      struct fstate *st, size_t n)
{
    take_all(b, f, st);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].value ? f[i].value : "", st[i].orig))
            return tui_form_confirm(h, "Discard changes?",
                                    "You changed this form. Close it without saving?");
    return 1;
}

/* The state of one run of a form. */
struct run {
    const struct tui_host *h;
    const struct tui_form *fm;
    struct fstate *st;
    struct built b;
    int cur, bad, saved, done, rebuild;
    char *msg;
};

static void say(struct run *r, const char *msg)
{
    free(r->msg);
    r->msg = msg ? kstr_dup(msg) : NULL;
}

static void submit(struct run *r)
{
    struct tui_field *f = r->fm->f;
    size_t n = r->fm->n;
    struct kerr e;
    kerr_clear(&e);
    notify(&r->b, r->fm, r->st, (size_t)r->cur);
    take_all(&r->b, f, r->st);
    for (size_t i = 0; i < n; i++)
        f[i].changed = strcmp(f[i].value ? f[i].value : "", r->st[i].orig) != 0;
    r->bad = -1;
    if (r->fm->submit(r->fm->ud, f, n, &r->bad, &e) == K_OK) {
        r->saved = r->done = 1;
        return;
    }
    if (r->h->quitting && r->h->quitting()) {
        r->done = 1;
        return;
    }
    for (size_t i = 0; r->bad < 0 && e.field[0] && i < n; i++)
        if (f[i].name && !strcmp(f[i].name, e.field))
            r->bad = (int)i;
    say(r, e.msg[0] ? e.msg : "not saved");
    /* A dialog of the submit (a question) may have covered the form. */
    r->rebuild = 1;
    if (r->bad >= 0 && (size_t)r->bad < n)
        set_current_field(r->b.form, r->b.ff[r->bad]);
}

static void edit_field(struct run *r, size_t i)
{
    struct tui_field *f = r->fm->f;
    struct kerr e;
    char *text = NULL;
    take_field(&r->b, f, r->st, i);
    const char *before = f[i].value ? f[i].value : "";
    /* Text files end their last line (editors add the line end when they
     * save); from_editor takes it off again. */
    struct sbuf file = {0};
    sbuf_add(&file, before);
    if (*before)
        sbuf_addc(&file, '\n');
    int rc = tui_input_edit(file.s ? file.s : "", EDIT_MAX, &text, &e);
    sbuf_free(&file);
    if (rc != K_OK) {
        say(r, e.msg);
    } else {
        char *v = from_editor(&f[i], before, text);
        free(f[i].value);
        f[i].value = v;
        say(r, NULL);
    }
    free(text);
    take_all(&r->b, f, r->st);
    r->rebuild = 1;
}

/* One key (or paste) in the form. */
static void form_key(struct run *r, int kind, wint_t ch)
{
    struct built *b = &r->b;
    struct tui_field *f = r->fm->f;
    size_t n = r->fm->n, cur = (size_t)r->cur;
    int is_key = kind == KEY_CODE_YES, k = (int)ch;
    int choice = f[cur].type == TUI_FIELD_CHOICE;
    int open = (f[cur].flags & TUI_FIELD_OPEN) != 0;
    int typing = !r->st[cur].preview && (!choice || open);
    if (is_key && k == TUI_KEY_PASTE_BEGIN) {
        struct sbuf t = {0};
        int cut = tui_input_paste(&t);
        const char *m = paste_into(b, f, r->st, cur, &t);
        say(r, cut ? "the paste was too long: only its first 1 MiB was taken" : m);
        sbuf_free(&t);
    } else if (is_key && k == KEY_RESIZE) {
        take_all(b, f, r->st);
        r->rebuild = 1;
    } else if (!is_key && (k == KEY_ESC || k == CTRL('c'))) {
        if (may_cancel(r->h, b, f, r->st, n))
            r->done = 1;
        else
            r->rebuild = 1;
    } else if ((!is_key && (k == '\n' || k == '\r')) || (is_key && k == KEY_ENTER)) {
        submit(r);
    } else if ((!is_key && k == '\t') || (is_key && k == KEY_DOWN)) {
        go_field(b, r->fm, r->st, (cur + 1) % n);
    } else if (is_key && (k == KEY_BTAB || k == KEY_UP)) {
        go_field(b, r->fm, r->st, (cur + n - 1) % n);
    } else if (is_key && (k == KEY_NPAGE || k == KEY_PPAGE)) {
        size_t pp = (size_t)b->per_page, page = cur / pp, pages = (n + pp - 1) / pp;
        page = (page + (k == KEY_NPAGE ? 1 : pages - 1)) % pages;
        go_field(b, r->fm, r->st, page * pp);
    } else if (choice &&
               ((is_key && (k == KEY_RIGHT || k == KEY_LEFT)) || (!is_key && !open && k == ' '))) {
        cycle_choice(b, f, r->st, cur, k == KEY_LEFT ? -1 : 1);
        notify(b, r->fm, r->st, cur);
    } else if (!is_key && k == CTRL('x')) {
        if (choice && !open)
            say(r, "a pick list: ←/→ chooses");
        else
            edit_field(r, cur);
    } else if (!is_key && k == CTRL('u')) {
        if (!choice || open) {
            tui_field_set(&f[cur], "");
            show_field(b, f, r->st, cur);
        }
    } else if (!typing) {
        if (!is_key && ch >= 32)
            say(r, r->st[cur].preview ? "^X edits this text in your editor; ^U clears it"
                                      : "←/→ chooses");
    } else if (is_key && k == KEY_LEFT) {
        form_driver(b->form, REQ_PREV_CHAR);
    } else if (is_key && k == KEY_RIGHT) {
        form_driver(b->form, REQ_NEXT_CHAR);
    } else if ((is_key && k == KEY_BACKSPACE) || (!is_key && (k == 127 || k == 8))) {
        form_driver(b->form, REQ_DEL_PREV);
    } else if (is_key && k == KEY_DC) {
        form_driver(b->form, REQ_DEL_CHAR);
    } else if ((is_key && k == KEY_HOME) || (!is_key && k == CTRL('a'))) {
        form_driver(b->form, REQ_BEG_FIELD);
    } else if ((is_key && k == KEY_END) || (!is_key && k == CTRL('e'))) {
        form_driver(b->form, REQ_END_FIELD);
    } else if (!is_key && ch >= 32 && ch != 127 && !(ch >= 0x80 && ch < 0xA0)) {
        form_driver_w(b->form, OK, (wchar_t)ch);
        if (r->bad == r->cur) {
            r->bad = -1;
            say(r, NULL);
        }
    }
}

static void run_built(struct run *r)
{
    struct built *b = &r->b;
    int shown_page = 0;
    r->rebuild = 0;
    while (!r->done && !r->rebuild) {
        r->cur = field_index(current_field(b->form));
        if (form_page(b->form) != shown_page) {
            /* Another page: the old page's labels go. */
            shown_page = form_page(b->form);
            werase(b->sub);
            unpost_form(b->form);
            post_form(b->form);
            set_current_field(b->form, b->ff[r->cur]);
            form_driver(b->form, REQ_END_FIELD);
        }
        draw_labels(b, r->fm->f, r->st, r->cur, r->bad, r->fm->title, r->msg,
                    r->fm->note ? *r->fm->note : NULL);
        pos_form_cursor(b->form);
        update_panels();
        pos_form_cursor(b->form);
        doupdate();
        wint_t ch;
        wtimeout(b->win, 250);
        int kind = wget_wch(b->win, &ch);
        if (r->h->quitting && r->h->quitting()) {
            r->done = 1; /* nothing half-done is saved */
            break;
        }
        if (kind == ERR)
            continue;
        form_key(r, kind, ch);
    }
    r->cur = field_index(current_field(b->form));
}

int tui_form_run(const struct tui_host *h, const struct tui_form *fm)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.h = h;
    r.fm = fm;
    r.bad = -1;
    r.st = kcalloc(fm->n, sizeof *r.st);
    for (size_t i = 0; i < fm->n; i++) {
        if (!fm->f[i].value)
            tui_field_set(&fm->f[i], "");
        r.st[i].orig = kstr_dup(fm->f[i].value);
        r.st[i].notified = kstr_dup(fm->f[i].value);
    }
    curs_set(1);
    while (!r.done) {
        if (build(&r.b, h, fm->f, r.st, fm->n, r.cur, fm->note ? 2 : 0) != 0) {
            /* Too small for the form: wait for the terminal to grow. */
            unbuild(&r.b);
            timeout(250);
            int ch = getch();
            if (ch == KEY_ESC || (h->quitting && h->quitting()))
                break;
            if (ch == KEY_RESIZE && h->relayout)
                h->relayout(h->ud);
            tui_pane_flush();
            continue;
        }
        run_built(&r);
        take_all(&r.b, fm->f, r.st);
        unbuild(&r.b);
        if (r.rebuild && h->relayout)
            h->relayout(h->ud);
    }
    for (size_t i = 0; i < fm->n; i++) {
        fm->f[i].changed = strcmp(fm->f[i].value ? fm->f[i].value : "", r.st[i].orig) != 0;
        free(r.st[i].orig);
        free(r.st[i].val);
        free(r.st[i].shown);
        free(r.st[i].notified);
    }
    free(r.st);
    free(r.msg);
    curs_set(0);
    return r.saved;
}

/* ---- text boxes ---- */

/* Splits text into display lines of at most w columns: journal text is
 * escaped, long lines wrap at a space when there is one. The lines are
 * new strings in *out. */
static size_t wrap_lines(const char *text, int w, char ***out)
{
    struct sbuf all = {0};
    size_t n = 0, cap = 0;
    char **v = NULL;
    if (w < 8)
        w = 8;
    sbuf_add(&all, text ? text : "");
    for (char *p = all.s ? all.s : (char *)"";;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = 0;
        char *esc = kstr_escape(p);
        const char *s = esc;
        /* A wrapped line hangs under its text: after its leading spaces,
         * or after a column gap ("Label      value", "date  entry"). */
        int hang = 0;
        while (esc[hang] == ' ')
            hang++;
        for (int i = hang; i < 16 && esc[i]; i++)
            if (esc[i] == ' ' && esc[i + 1] == ' ') {
                while (esc[i] == ' ')
                    i++;
                hang = i;
                break;
            }
        if (hang > w / 2)
            hang = 0;
        int first = 1;
        do {
            /* Take characters while they fit; break at the last space. */
            size_t at = 0, brk = 0;
            int cols = 0;
            while (s[at]) {
                unsigned cp;
                size_t len = utf8_decode(s + at, strlen(s + at), &cp);
                int cw = wcwidth((wchar_t)cp);
                if (cw < 0)
                    cw = 1;
                if (cols + cw > w)
                    break;
                cols += cw;
                at += len;
                if (cp == ' ')
                    brk = at;
            }
            if (s[at] && brk)
                at = brk;
            if (!at && *s) /* a character wider than the line: it goes alone */
                at = utf8_decode(s, strlen(s), &(unsigned){0});
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                v = kreallocarray(v, cap, sizeof *v);
            }
            struct sbuf ln = {0};
            if (!first)
                sbuf_printf(&ln, "%*s", hang, "");
            sbuf_addn(&ln, s, at);
            v[n++] = sbuf_take(&ln);
            s += at;
            if (first) {
                first = 0;
                w -= hang; /* the next lines start further in */
            }
            while (*s == ' ' && s[1])
                s++;
        } while (*s);
        w += first ? 0 : hang;
        free(esc);
        if (!e || !e[1])
            break; /* a last line end ends the last line, it adds none */
        p = e + 1;
    }
    sbuf_free(&all);
    *out = v;
    return n;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A text box's text wrapped to the box's width, the first line in view and
 * its pane. */
struct text_view {
    char **lines;
    size_t nl;
    int wrapped_w, top;
    struct tui_pane *p;
};

/* The width the box asks for: its widest line, title or key hint, with room
 * for the frame. */
static int text_box_width(const char *title, const char *text, const char *keys)
{
    int maxw = kstr_width(title) + 6;
    char **raw;
    size_t nr = wrap_lines(text, 1 << 20, &raw);
    for (size_t i = 0; i < nr; i++) {
        int w = kstr_width(raw[i]) + 4;
        if (w > maxw)
            maxw = w;
    }
    free_lines(raw, nr);
    if (maxw < kstr_width(keys) + 4)
        maxw = kstr_width(keys) + 4;
    return maxw;
}

/* Places the box for the screen as it is now (rewrapping when its width
 * changed) and draws it; returns the rows of text it shows. */
static int text_box_draw(const struct tui_host *h, struct text_view *v, const char *title,
                         const char *text, const char *keys, int maxw)
{
    struct tui_rect r = tui_layout_dialog(h->layout, 100000, maxw);
    if (r.w - 4 != v->wrapped_w) {
        free_lines(v->lines, v->nl);
        v->wrapped_w = r.w - 4;
        v->nl = wrap_lines(text, v->wrapped_w, &v->lines);
    }
    int nl = (int)v->nl;
    r = tui_layout_dialog(h->layout, nl + 4, maxw);
    if (!v->p)
        v->p = tui_pane_new(r);
    else
        tui_pane_place(v->p, r);
    tui_pane_top(v->p);
    int rows = r.h - 4;
    if (v->top > nl - rows)
        v->top = nl - rows;
    if (v->top < 0)
        v->top = 0;
    tui_pane_erase(v->p, THEME_NORMAL);
    tui_pane_box(v->p, THEME_FOCUS, title, v->top + rows < nl ? "more ↓" : NULL);
    for (int i = 0; i < rows && v->top + i < nl; i++)
        tui_pane_text(v->p, 1 + i, 2, r.w - 4, THEME_NORMAL, v->lines[v->top + i], 0);
    tui_pane_text(v->p, r.h - 2, 2, r.w - 4, THEME_MUTED, keys, 0);
    tui_pane_flush();
    return rows;
}

/* Scrolls the box by a key; returns 1 when the key closes it, with *result
 * the answer it gave (left alone for a key that answers nothing). */
static int text_box_key(struct text_view *v, int is_key, int ch, const char *answers, int rows,
                        int *result)
{
    if (answers) {
        if (!is_key && ch > 0 && ch < 128 && strchr(answers, ch)) {
            *result = ch;
            return 1;
        }
        if (!is_key && (ch == KEY_ESC || ch == CTRL('c') || ch == 'q' || ch == '\r' || ch == '\n'))
            return 1;
        if (!(is_key && (ch == KEY_DOWN || ch == KEY_UP || ch == KEY_NPAGE || ch == KEY_PPAGE)))
            return 0;
    }
    if ((!is_key && ch == 'j') || (is_key && ch == KEY_DOWN))
        v->top++;
    else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP))
        v->top--;
    else if ((is_key && ch == KEY_NPAGE) || (!is_key && ch == ' '))
        v->top += rows;
    else if (is_key && ch == KEY_PPAGE)
        v->top -= rows;
    else if (!is_key && ch == 'g')
        v->top = 0;
    else if (!is_key && ch == 'G')
        v->top = (int)v->nl;
    else if ((!is_key && (ch == 'q' || ch == KEY_ESC || ch == '\n' || ch == '\r' || ch == '?' ||
                          ch == CTRL('c'))) ||
             (is_key && ch == KEY_ENTER))
        return 1;
    return 0;
}

/* A boxed text dialog; returns the key that closed it (0 for none). With
 * answers, only those keys (and Esc, q) close it. */
static int text_box(const struct tui_host *h, const char *title, const char *text, const char *keys,
                    const char *answers)
{
    int maxw = text_box_width(title, text, keys);
    int result = 0;
    struct text_view v = {.lines = NULL, .nl = 0, .wrapped_w = -1, .top = 0, .p = NULL};
    for (;;) {
        int rows = text_box_draw(h, &v, title, text, keys, maxw);
        timeout(250);
        wint_t wc;
        int kind = get_wch(&wc);
        int ch = (int)wc;
        if (h->quitting && h->quitting())
            break;
        if (kind == ERR)
            continue;
        if (kind == KEY_CODE_YES && ch == TUI_KEY_PASTE_BEGIN) {
            /* A paste answers nothing. */
            struct sbuf t = {0};
            tui_input_paste(&t);
            sbuf_free(&t);
            continue;
        }
        if (kind == KEY_CODE_YES && ch == KEY_RESIZE) {
            if (h->relayout)
                h->relayout(h->ud);
            continue;
        }
        if (text_box_key(&v, kind == KEY_CODE_YES, ch, answers, rows, &result))
            break;
    }
    tui_pane_free(&v.p);
    free_lines(v.lines, v.nl);
    return result;
}

int tui_form_confirm(const struct tui_host *h, const char *title, const char *question)
{
    int k = text_box(h, title, question, "y yes · n, Enter or Esc: no", "yYn");
    return k == 'y' || k == 'Y';
}

int tui_form_ask(const struct tui_host *h, const char *title, const char *question,
                 const char *keys, const char *hint)
{
    return text_box(h, title, question, hint, keys);
}

void tui_form_text(const struct tui_host *h, const char *title, const char *text)
{
    text_box(h, title, text, "j/k ↓/↑ PgDn/PgUp scroll · q or Esc close", NULL);
}
