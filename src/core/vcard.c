#include "kith/vcard.h"

#include "kith/kdate.h"
#include "kith/kstr.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Physical lines of the input, one at a time. */
struct reader {
    const char *buf;
    size_t n, pos;
    int line; /* number of the last line returned */
    const char *file;
};

/* The next line without its end (CRLF, LF or a lone CR); 0 at the end. */
static int next_line(struct reader *r, const char **s, size_t *len)
{
    if (r->pos >= r->n)
        return 0;
    const char *p = r->buf + r->pos;
    size_t left = r->n - r->pos, i = 0;
    while (i < left && p[i] != '\n' && p[i] != '\r')
        i++;
    *s = p;
    *len = i;
    if (i < left && p[i] == '\r')
        i++;
    if (i < left && p[i] == '\n')
        i++;
    r->pos += i;
    r->line++;
    return 1;
}

static int starts_folded(const struct reader *r)
{
    return r->pos < r->n && (r->buf[r->pos] == ' ' || r->buf[r->pos] == '\t');
}

/* 1 when the parameters of the line (before the first ':') ask for
 * QUOTED-PRINTABLE, whose soft line breaks are a trailing '='. */
static int wants_qp(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t m = colon ? (size_t)(colon - s) : n;
    static const char qp[] = "QUOTED-PRINTABLE";
    for (size_t i = 0; i + sizeof qp - 1 <= m; i++)
        if (!strncasecmp(s + i, qp, sizeof qp - 1))
            return 1;
    return 0;
}

/* Unfolds one logical line into b. *first is the line it starts on. */
static int read_logical(struct reader *r, struct sbuf *b, int *first, struct kerr *e)
{
    const char *s;
    size_t len;
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
    if (!next_line(r, &s, &len))
        return 0;
    *first = r->line;
    sbuf_addn(b, s, len);
    for (;;) {
        int qp_soft = b->len && b->s[b->len - 1] == '=' && wants_qp(b->s, b->len);
        if (starts_folded(r) && next_line(r, &s, &len)) {
            sbuf_addn(b, s + 1, len - 1);
        } else if (qp_soft && r->pos < r->n && next_line(r, &s, &len)) {
            b->s[--b->len] = '\0';
            sbuf_addn(b, s, len);
        } else {
            break;
        }
        if (b->len > VCARD_LINE_MAX)
            break;
    }
    if (b->len > VCARD_LINE_MAX) {
        kerr_set(e, K_USAGE, "%s:%d: a line longer than %d bytes; is this a vCard file?", r->file,
                 *first, VCARD_LINE_MAX);
        return -1;
    }
    if (memchr(b->s, '\0', b->len)) {
        kerr_set(e, K_USAGE, "%s:%d: binary data (a NUL byte) where a vCard line should be",
                 r->file, *first);
        return -1;
    }
    return 1;
}

/* One property line, split in place. */
struct prop {
    char name[64]; /* upper case, group removed */
    int qp;
    int value_text;
    int omit_year;
    char charset[48];
    char *value;
};

static int parse_prop(char *s, struct prop *p)
{
    memset(p, 0, sizeof *p);
    size_t i = 0, start = 0;
    while (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_') {
        if (s[i] == '.')
            start = i + 1;
        i++;
    }
    if (i == start || i - start >= sizeof p->name || (s[i] != ':' && s[i] != ';'))
        return -1;
    for (size_t k = start; k < i; k++)
        p->name[k - start] = (char)toupper((unsigned char)s[k]);
    while (s[i] == ';') {
        char *param = s + ++i;
        int quoted = 0;
        while (s[i] && (quoted || (s[i] != ';' && s[i] != ':'))) {
            if (s[i] == '"')
                quoted = !quoted;
            i++;
        }
        char end = s[i];
        s[i] = '\0';
        char *eq = strchr(param, '=');
        const char *val = eq ? eq + 1 : param;
        if (eq)
            *eq = '\0';
        if (!strcasecmp(val, "QUOTED-PRINTABLE"))
            p->qp = 1;
        else if (eq && !strcasecmp(param, "CHARSET"))
            snprintf(p->charset, sizeof p->charset, "%s", val);
        else if (eq && !strcasecmp(param, "VALUE") && strcasecmp(val, "text"))
            p->value_text = -1; /* a uri or date-time where text is usual */
        else if (eq && !strcasecmp(param, "VALUE"))
            p->value_text = 1;
        else if (eq && !strcasecmp(param, "X-APPLE-OMIT-YEAR"))
            p->omit_year = 1;
        s[i] = end;
        if (!end)
            return -1;
    }
    if (s[i] != ':')
        return -1;
    p->value = s + i + 1;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = toupper(c);
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes QUOTED-PRINTABLE in place. */
static void qp_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        int hi, lo;
        if (*p == '=' && (hi = hexval((unsigned char)p[1])) >= 0 &&
            (lo = hexval((unsigned char)p[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* Converts s from charset to UTF-8: a new string, or NULL with e set. */
static char *to_utf8(const char *s, const char *charset, const char *file, int line, struct kerr *e)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) { /* NOLINT(performance-no-int-to-ptr): iconv's error value */
        kerr_set(e, K_USAGE, "%s:%d: unknown CHARSET '%s'", file, line, charset);
        return NULL;
    }
    size_t inleft = strlen(s), cap = inleft * 4 + 1, outleft = cap - 1;
    char *out = kmalloc(cap), *in = (char *)s, *o = out;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        kerr_set(e, K_USAGE, "%s:%d: the text is not valid %s", file, line, charset);
        free(out);
        out = NULL;
    } else {
        *o = '\0';
    }
    iconv_close(cd);
    return out;
}

/* Splits v at unescaped sep (0: never) and removes the escapes of each
 * part. Version 2.1 only escapes separators; later versions also \n, \\
 * and \, (and some writers \:). */
static void split_unescape(const char *v, char sep, int v21, struct kstrlist *out)
{
    /* Most values (names, emails, phones) are one part without an
     * escape: the one copy the list makes is enough. */
    if (!strchr(v, '\\') && (!sep || !strchr(v, sep))) {
        kstrlist_add(out, v);
        return;
    }
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    for (const char *p = v;;) {
        /* Most values have no escape at all: copy runs, not bytes. */
        size_t run = 0;
        while (p[run] && p[run] != '\\' && (!sep || p[run] != sep))
            run++;
        sbuf_addn(&b, p, run);
        p += run;
        if (*p == '\\' && p[1]) {
            char c = p[1];
            if (c == ';' || c == ',' || (!v21 && (c == '\\' || c == ':'))) {
                sbuf_addc(&b, c);
                p += 2;
                continue;
            }
            if (!v21 && (c == 'n' || c == 'N')) {
                sbuf_addc(&b, '\n');
                p += 2;
                continue;
            }
            /* Not in RFC 6350: how kith's export keeps a CR (vcard_write). */
            if (!v21 && c == 'r') {
                sbuf_addc(&b, '\r');
                p += 2;
                continue;
            }
        }
        if (!*p || (sep && *p == sep)) {
            kstrlist_add(out, b.s);
            b.len = 0;
            b.s[0] = '\0';
            if (!*p)
                break;
            p++;
            continue;
        }
        sbuf_addc(&b, *p++); /* a backslash kept as it is */
    }
    sbuf_free(&b);
}

/* Joins the non-empty parts from..to (inclusive) with ", ". */
static char *join_parts(const struct kstrlist *l, size_t from, size_t to)
{
    struct sbuf b = {0};
    for (size_t i = from; i <= to && i < l->n; i++) {
        const char *s = l->v[i];
        while (*s == ' ')
            s++;
        if (!*s)
            continue;
        if (b.len)
            sbuf_add(&b, ", ");
        sbuf_add(&b, s);
    }
    return b.s;
}

/* BDAY comes as 1985-03-15, 19850315, --0315, --03-15, possibly with a
 * time; Apple marks a missing year with 1604 (and X-APPLE-OMIT-YEAR). */
static void normalize_bday(const char *v, int omit_year, char *out, size_t outn)
{
    char d[32];
    size_t n = strcspn(v, "Tt");
    if (n >= sizeof d)
        n = sizeof d - 1;
    memcpy(d, v, n);
    d[n] = '\0';
    int all_digits = n == 8;
    for (size_t i = 0; all_digits && i < 8; i++)
        all_digits = isdigit((unsigned char)d[i]);
    if (all_digits)
        snprintf(d, sizeof d, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    if (strlen(d) == 10 && (omit_year || !strncmp(d, "1604", 4) || !strncmp(d, "0000", 4)))
        snprintf(out, outn, "%s", d + 5);
    else
        snprintf(out, outn, "%s", d);
}

struct parser {
    struct reader r;
    vcard_cb cb;
    void *ud;
    struct card card;
    int in_card;
    int v21;
    int cards;
};

static int handle(struct parser *ps, struct prop *p, int line, struct kerr *e)
{
    struct card *k = &ps->card;
    const char *file = ps->r.file;
    struct kstrlist parts = {0};
    char *conv = NULL, *joined = NULL;
    int rc = K_OK;
    static const struct {
        const char *name;
        enum card_field f;
    } simple[] = {
        {"FN", CARD_NAME},
        {"TITLE", CARD_TITLE},
        {"NOTE", CARD_NOTE},
        {"X-KITH-HOW-MET", CARD_HOW_MET},
        {"X-KITH-MET-ON", CARD_MET_ON},
        {"X-KITH-WORKING-ON", CARD_WORKING_ON},
        {"X-KITH-ARCHIVED", CARD_ARCHIVED},
    };
    static const char *const known[] = {"N",   "ORG",  "EMAIL",      "TEL",    "URL",
                                        "ADR", "BDAY", "CATEGORIES", "VERSION"};
    enum card_field f = CARD_IGNORE;
    int wanted = 0;
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (!strcmp(p->name, simple[i].name)) {
            f = simple[i].f;
            wanted = 1;
        }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        wanted |= !strcmp(p->name, known[i]);
    if (!wanted)
        goto out; /* PHOTO, PRODID, X-... : not kept, not checked */

    char *v = p->value;
    if (p->qp)
        qp_decode(v);
    if (p->charset[0] && strcasecmp(p->charset, "UTF-8") && strcasecmp(p->charset, "UTF8") &&
        strcasecmp(p->charset, "US-ASCII")) {
        if (!(conv = to_utf8(v, p->charset, file, line, e))) {
            rc = K_USAGE;
            goto out;
        }
        v = conv;
    }
    /* QUOTED-PRINTABLE line breaks are =0D=0A; kith keeps \n only. */
    char *o = v;
    for (char *q = v; *q; q++)
        if (!(q[0] == '\r' && q[1] == '\n'))
            *o++ = *q;
    *o = '\0';
    if (!utf8_valid(v, strlen(v))) {
        rc = kerr_set(e, K_USAGE,
                      "%s:%d: %s is not valid UTF-8 (save the file as UTF-8 or give "
                      "a CHARSET)",
                      file, line, p->name);
        goto out;
    }

    if (!strcmp(p->name, "VERSION")) {
        if (strcmp(v, "2.1") && strcmp(v, "3.0") && strcmp(v, "4.0")) {
            rc = kerr_set(e, K_USAGE, "%s:%d: vCard version '%s' is not 2.1, 3.0 or 4.0", file,
                          line, v);
            goto out;
        }
        ps->v21 = !strcmp(v, "2.1");
        goto out;
    }
    if (f != CARD_IGNORE) {
        split_unescape(v, 0, ps->v21, &parts);
        rc = card_set(k, f, parts.v[0], line, e);
    } else if (!strcmp(p->name, "N")) {
        split_unescape(v, ';', ps->v21, &parts);
        const enum card_field nf[] = {CARD_LAST, CARD_FIRST, CARD_MIDDLE};
        for (size_t i = 0; rc == K_OK && i < 3 && i < parts.n; i++)
            rc = card_set(k, nf[i], parts.v[i], line, e);
    } else if (!strcmp(p->name, "ORG") || !strcmp(p->name, "ADR")) {
        int adr = p->name[0] == 'A';
        split_unescape(v, ';', ps->v21, &parts);
        /* ADR: PO box; extended; street; city; region; code; country. */
        joined = join_parts(&parts, adr ? 2 : 0, adr ? 6 : parts.n);
        rc = card_set(k, adr ? CARD_LOCATION : CARD_COMPANY, joined, line, e);
    } else if (!strcmp(p->name, "EMAIL") || !strcmp(p->name, "TEL") || !strcmp(p->name, "URL")) {
        split_unescape(v, 0, ps->v21, &parts);
        char *s = parts.v[0];
        f = p->name[0] == 'E' ? CARD_EMAIL : p->name[0] == 'T' ? CARD_PHONE : CARD_LINK;
        if (f == CARD_EMAIL && !strncasecmp(s, "mailto:", 7))
            s += 7;
        if (f == CARD_PHONE && !strncasecmp(s, "tel:", 4)) {
            s += 4;
            char *ext = strstr(s, ";ext=");
            if (ext) {
                memmove(ext + 2, ext + 5, strlen(ext + 5) + 1);
                ext[0] = ' ';
                ext[1] = 'x';
            }
        }
        rc = card_set(k, f, s, line, e);
    } else if (!strcmp(p->name, "BDAY")) {
        char bday[32];
        if (p->value_text == 1)
            goto out; /* free text such as "circa 1800": nothing to remind of */
        normalize_bday(v, p->omit_year, bday, sizeof bday);
        rc = card_set(k, CARD_BIRTHDAY, bday, line, e);
    } else if (!strcmp(p->name, "CATEGORIES")) {
        split_unescape(v, ',', ps->v21, &parts);
        for (size_t i = 0; rc == K_OK && i < parts.n; i++)
            rc = card_set(k, CARD_TAGS, parts.v[i], line, e);
    }
out:
    kstrlist_clear(&parts);
    free(conv);
    free(joined);
    return rc;
}

static int line_is(const char *s, const char *what)
{
    return !strcasecmp(s, what);
}

int vcard_parse(const char *buf, size_t n, const char *file, vcard_cb cb, void *ud, struct kerr *e)
{
    struct parser ps;
    memset(&ps, 0, sizeof ps);
    ps.r.buf = buf;
    ps.r.n = n;
    ps.r.file = file;
    ps.cb = cb;
    ps.ud = ud;
    struct sbuf line = {0};
    int rc = K_OK, first = 0, got;
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        ps.r.pos = 3;
    while ((got = read_logical(&ps.r, &line, &first, e)) > 0) {
        struct prop p;
        if (!line.len || strspn(line.s, " \t") == line.len)
            continue;
        if (parse_prop(line.s, &p) != 0) {
            rc = kerr_set(e, K_USAGE, "%s:%d: not a vCard line (want NAME:value)%s", file, first,
                          ps.in_card ? "" : "; expected BEGIN:VCARD");
            goto out;
        }
        if (!strcmp(p.name, "BEGIN")) {
            if (!line_is(p.value, "VCARD")) {
                rc = kerr_set(e, K_USAGE, "%s:%d: BEGIN:%s is not a vCard", file, first,
                              utf8_valid(p.value, strlen(p.value)) ? p.value : "?");
                goto out;
            }
            if (ps.in_card) {
                rc = kerr_set(e, K_USAGE,
                              "%s:%d: BEGIN:VCARD inside the card begun at line %d (a missing "
                              "END:VCARD?)",
                              file, first, ps.card.line);
                goto out;
            }
            card_init(&ps.card, file, first);
            ps.in_card = 1;
            ps.v21 = 0;
        } else if (!ps.in_card) {
            rc = kerr_set(e, K_USAGE, "%s:%d: expected BEGIN:VCARD", file, first);
            goto out;
        } else if (!strcmp(p.name, "END")) {
            if (!line_is(p.value, "VCARD")) {
                rc = kerr_set(e, K_USAGE, "%s:%d: expected END:VCARD", file, first);
                goto out;
            }
            ps.in_card = 0;
            ps.cards++;
            if ((rc = card_finish(&ps.card, e)) != K_OK || (rc = cb(&ps.card, ud, e)) != K_OK)
                goto out;
            card_clear(&ps.card);
        } else if ((rc = handle(&ps, &p, first, e)) != K_OK) {
            goto out;
        }
    }
    if (got < 0) {
        rc = K_USAGE;
    } else if (ps.in_card) {
        rc = kerr_set(e, K_USAGE,
                      "%s:%d: the file ends inside the card begun at line %d (no END:VCARD; "
                      "truncated?)",
                      file, ps.r.line, ps.card.line);
    } else if (!ps.cards) {
        rc = kerr_set(e, K_USAGE, "%s:%d: no vCard in the file", file, ps.r.line ? ps.r.line : 1);
    }
out:
    card_clear(&ps.card);
    sbuf_free(&line);
    return rc;
}

/* Writer. */

/* Appends one content line, folded at 75 octets, ended by CRLF. */
static void put_line(struct sbuf *b, const char *s)
{
    size_t n = strlen(s), col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (i + len > n)
            len = n - i;
        if (col + len > 75) {
            sbuf_add(b, "\r\n ");
            col = 1;
        }
        sbuf_addn(b, s + i, len);
        col += len;
        i += len;
    }
    sbuf_add(b, "\r\n");
}

/* Appends s escaped as vCard TEXT. A CR, which would end the content line,
 * is kept as \r: vCard has no escape for it, and dropping it would change
 * the text (kith reads \r back as a CR). */
static void put_text(struct sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == ',' || *s == ';') {
            sbuf_addc(b, '\\');
            sbuf_addc(b, *s);
        } else if (*s == '\n') {
            sbuf_add(b, "\\n");
        } else if (*s == '\r') {
            sbuf_add(b, "\\r");
        } else {
            sbuf_addc(b, *s);
        }
    }
}

static void prop_text(struct sbuf *out, struct sbuf *l, const char *name, const char *value)
{
    if (!value)
        return;
    l->len = 0;
    sbuf_add(l, name);
    sbuf_addc(l, ':');
    put_text(l, value);
    put_line(out, l->s);
}

void vcard_write(struct sbuf *b, const struct contact *c, enum vcard_version v)
{
    struct sbuf l = {0};
    int v4 = v == VCARD_V40;
    sbuf_add(b, "BEGIN:VCARD\r\n");
    sbuf_add(b, v4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
    sbuf_printf(b, "PRODID:-//kith//kith %s//EN\r\n", KITH_VERSION);
    if (strlen(c->id) == KID_LEN)
        sbuf_printf(b, "UID:urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s\r\n", c->id, c->id + 8, c->id + 12,
                    c->id + 16, c->id + 20);
    prop_text(b, &l, "FN", c->name);
    /* N is required by 3.0: the last word is taken as the family name. */
    const char *sp = c->name ? strrchr(c->name, ' ') : NULL;
    l.len = 0;
    sbuf_add(&l, "N:");
    if (sp) {
        char *given = kstr_ndup(c->name, (size_t)(sp - c->name));
        put_text(&l, sp + 1);
        sbuf_addc(&l, ';');
        put_text(&l, given);
        free(given);
    } else {
        sbuf_addc(&l, ';');
        put_text(&l, c->name);
    }
    sbuf_add(&l, ";;;");
    put_line(b, l.s);
    prop_text(b, &l, "ORG", c->company);
    prop_text(b, &l, "TITLE", c->title);
    for (size_t i = 0; i < c->emails.n; i++)
        prop_text(b, &l, v4 ? "EMAIL" : "EMAIL;TYPE=INTERNET", c->emails.v[i]);
    for (size_t i = 0; i < c->phones.n; i++)
        prop_text(b, &l, v4 ? "TEL;VALUE=text" : "TEL", c->phones.v[i]);
    for (size_t i = 0; i < c->links.n; i++) {
        /* URL is a URI, not TEXT: commas and semicolons stay as they are
         * so that readers that do not unescape URIs get them right. */
        l.len = 0;
        sbuf_add(&l, "URL:");
        for (const char *p = c->links.v[i]; *p; p++) {
            if (*p == '\\')
                sbuf_add(&l, "\\\\");
            else if (*p == '\n')
                sbuf_add(&l, "\\n");
            else if (*p == '\r')
                sbuf_add(&l, "\\r");
            else
                sbuf_addc(&l, *p);
        }
        put_line(b, l.s);
    }
    if (c->location) {
        l.len = 0;
        sbuf_add(&l, "ADR:;;;");
        put_text(&l, c->location);
        sbuf_add(&l, ";;;");
        put_line(b, l.s);
    }
    if (c->birthday) {
        const char *d = c->birthday;
        if (strlen(d) == 5)
            sbuf_printf(b, v4 ? "BDAY:--%.2s%.2s\r\n" : "BDAY:--%.2s-%.2s\r\n", d, d + 3);
        else if (v4)
            sbuf_printf(b, "BDAY:%.4s%.2s%.2s\r\n", d, d + 5, d + 8);
        else
            sbuf_printf(b, "BDAY:%s\r\n", d);
    }
    prop_text(b, &l, "NOTE", c->note);
    if (c->tags.n) {
        l.len = 0;
        sbuf_add(&l, "CATEGORIES:");
        for (size_t i = 0; i < c->tags.n; i++) {
            if (i)
                sbuf_addc(&l, ',');
            put_text(&l, c->tags.v[i]);
        }
        put_line(b, l.s);
    }
    prop_text(b, &l, "X-KITH-HOW-MET", c->how_met);
    if (c->met_on != KDATE_NONE) {
        char d[KDATE_BUF];
        sbuf_printf(b, "X-KITH-MET-ON:%s\r\n", kdate_format(c->met_on, d));
    }
    prop_text(b, &l, "X-KITH-WORKING-ON", c->working_on);
    if (c->archived)
        sbuf_add(b, "X-KITH-ARCHIVED:true\r\n");
    sbuf_add(b, "END:VCARD\r\n");
    sbuf_free(&l);
}
