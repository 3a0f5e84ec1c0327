#include "kith/core/vcard.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

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
};

/* The next line without its end (CRLF, LF, a lone CR, or the CR CR LF
 * some iPhone exports write); 0 at the end. */
static int next_line(struct reader *r, const char **s, size_t *len)
{
    if (r->pos >= r->n)
        return 0;
    const char *p = r->buf + r->pos;
    size_t left = r->n - r->pos;
    /* The end is the first CR or LF: memchr finds them faster than a loop
     * over every byte of the file. */
    const char *nl = memchr(p, '\n', left);
    size_t i = nl ? (size_t)(nl - p) : left;
    const char *cr = memchr(p, '\r', i);
    if (cr)
        i = (size_t)(cr - p);
    *s = p;
    *len = i;
    size_t crs = 0;
    while (i < left && p[i] == '\r') {
        i++;
        crs++;
    }
    if (i < left && p[i] == '\n')
        i++;
    else if (crs > 1)
        i -= crs - 1; /* CR CR without LF: old Mac blank lines */
    r->pos += i;
    r->line++;
    return 1;
}

/* The part of a line before its value: up to the first ':' outside quotes. */
static size_t head_len(const char *s, size_t n)
{
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == ':' && !quoted)
            return i;
    }
    return n;
}

/* Whether the parameters of a line's head, from its first ';' (after the
 * name: "itBASE64" is a name, not an encoding) to m, hold word (without
 * case). word starts with a letter: only a byte that is that letter in
 * either case can start it (most lines have no parameters, and the rest a
 * few bytes, but this ran twice on every line of every card). */
static int params_have(const char *s, size_t from, size_t m, const char *word)
{
    size_t w = strlen(word);
    char first = (char)(word[0] | 0x20);
    for (size_t i = from; i + w <= m; i++)
        if ((char)(s[i] | 0x20) == first && !strncasecmp(s + i, word, w))
            return 1;
    return 0;
}

static int base64_line(const char *s, size_t n)
{
    if (!n || s[0] == ' ' || s[0] == '\t')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("+/= ", s[i]))
            return 0;
    return 1;
}

/* One logical (unfolded) line. */
struct logical {
    struct sbuf b;
    int first;    /* its first physical line */
    size_t start; /* its first byte in the input */
    size_t len;   /* its length even when too long to keep */
    int too_long; /* b holds only the first VCARD_LINE_MAX bytes */
};

static void keep(struct logical *L, const char *s, size_t n)
{
    L->len += n;
    if (L->too_long)
        return;
    if (L->b.len + n > VCARD_LINE_MAX) {
        /* Its beginning is kept: the property's name says what it was. */
        L->too_long = 1;
        n = VCARD_LINE_MAX - L->b.len;
    }
    sbuf_addn(&L->b, s, n);
}

/* Unfolds one logical line into L; 0 at the end of the input. */
static int read_logical(struct reader *r, struct logical *L)
{
    const char *s;
    size_t len;
    L->b.len = 0;
    sbuf_addn(&L->b, "", 0);
    L->len = 0;
    L->too_long = 0;
    L->start = r->pos;
    if (!next_line(r, &s, &len))
        return 0;
    L->first = r->line;
    keep(L, s, len);
    size_t m = head_len(L->b.s, L->b.len);
    const char *semi = memchr(L->b.s, ';', m);
    size_t from = semi ? (size_t)(semi - L->b.s) : m;
    int qp = params_have(L->b.s, from, m, "QUOTED-PRINTABLE");
    int b64 = params_have(L->b.s, from, m, "BASE64");
    for (;;) {
        int folded = r->pos < r->n && (r->buf[r->pos] == ' ' || r->buf[r->pos] == '\t');
        int soft = qp && L->b.len && L->b.s[L->b.len - 1] == '=';
        size_t save = r->pos;
        int line = r->line;
        if (!folded && !soft && !b64)
            break;
        if (!next_line(r, &s, &len))
            break;
        if (soft) {
            /* A QUOTED-PRINTABLE soft break, before a folded line or not
             * (Evolution writes both). */
            L->b.s[--L->b.len] = '\0';
            L->len--;
            if (folded)
                s++, len--;
            keep(L, s, len);
        } else if (folded) {
            keep(L, s + 1, len - 1);
        } else if (base64_line(s, len) && !memchr(s, ':', len)) {
            /* 2.1 BASE64 runs on over lines that are not indented, to a
             * blank line. */
            keep(L, s, len);
        } else {
            r->pos = save;
            r->line = line;
            break;
        }
    }
    return 1;
}

struct span {
    const char *s;
    size_t n;
};

#define PROP_MAX 16

/* One property line, parsed without changing it. */
struct prop {
    struct span group, name;
    struct span types[PROP_MAX]; /* TYPE values and bare 2.1 parameters */
    size_t ntypes;
    struct span params[PROP_MAX]; /* other parameters, as written */
    size_t nparams;
    int qp, b64, value_text, omit_year;
    char charset[48];
    const char *value;
};

static int span_is(struct span s, const char *w)
{
    return s.n == strlen(w) && !strncasecmp(s.s, w, s.n);
}

static void add_type(struct prop *p, const char *s, size_t n)
{
    while (n && (*s == '"' || *s == ' ')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == '"' || s[n - 1] == ' '))
        n--;
    if (n && p->ntypes < PROP_MAX)
        p->types[p->ntypes++] = (struct span){s, n};
}

/* One parameter, n bytes at s. */
static void param(struct prop *p, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    struct span key = {s, eq ? (size_t)(eq - s) : n};
    struct span val = {eq ? eq + 1 : s, eq ? n - (size_t)(eq - s) - 1 : n};
    if (val.n >= 2 && val.s[0] == '"' && val.s[val.n - 1] == '"')
        val = (struct span){val.s + 1, val.n - 2};
    int encoding = !eq || span_is(key, "ENCODING");
    if (encoding && span_is(val, "QUOTED-PRINTABLE")) {
        p->qp = 1;
    } else if (encoding && (span_is(val, "BASE64") || span_is(val, "B"))) {
        p->b64 = 1;
    } else if (!eq && (span_is(key, "8BIT") || span_is(key, "7BIT"))) {
        return; /* an encoding that changes nothing */
    } else if (!eq || span_is(key, "TYPE")) {
        for (size_t i = 0; i < val.n;) {
            size_t j = i;
            while (j < val.n && val.s[j] != ',')
                j++;
            add_type(p, val.s + i, j - i);
            i = j + 1;
        }
    } else if (span_is(key, "CHARSET")) {
        snprintf(p->charset, sizeof p->charset, "%.*s", (int)val.n, val.s);
    } else if (span_is(key, "VALUE")) {
        p->value_text = span_is(val, "text") ? 1 : -1;
    } else if (span_is(key, "X-APPLE-OMIT-YEAR")) {
        p->omit_year = 1;
    } else if (span_is(key, "PREF")) {
        add_type(p, "pref", 4);
    } else if (!span_is(key, "ENCODING") && p->nparams < PROP_MAX) {
        p->params[p->nparams++] = (struct span){s, n};
    }
}

/* Parses NAME;PARAM...:value in s; -1 when it is not a property line. */
static int parse_prop(const char *s, size_t n, struct prop *p)
{
    /* All but the arrays, read only up to their counts: clearing them too
     * was 1% of an import. */
    p->ntypes = p->nparams = 0;
    p->qp = p->b64 = p->value_text = p->omit_year = 0;
    p->charset[0] = '\0';
    p->value = NULL;
    size_t i = 0, dot = 0;
    /* Names are letters, digits and '-' by the standards; producers also
     * write '_' and '/' (KDE's X-messaging/aim-All), at any length. */
    while (i < n && s[i] != ';' && s[i] != ':') {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == '"' || c == ',' || c == '=' || c >= 0x7F)
            return -1;
        if (c == '.')
            dot = i + 1;
        i++;
    }
    if (i == dot || i == n)
        return -1;
    p->group = (struct span){s, dot ? dot - 1 : 0};
    p->name = (struct span){s + dot, i - dot};
    while (s[i] == ';') {
        size_t start = ++i;
        int quoted = 0;
        while (i < n && (quoted || (s[i] != ';' && s[i] != ':'))) {
            if (s[i] == '"')
                quoted = !quoted;
            i++;
        }
        if (i == n)
            return -1;
        if (i > start)
            param(p, s + start, i - start);
    }
    if (s[i] != ':')
        return -1;
    p->value = s + i + 1;
    return 0;
}

/* The label of a property: its TYPE values in lower case, less the ones
 * that say nothing (INTERNET on an email, VOICE on a phone). */
static void label_of(const struct prop *p, char *out, size_t outn)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p->ntypes; i++) {
        struct span t = p->types[i];
        if (span_is(t, "internet") || span_is(t, "voice") || span_is(t, "x400"))
            continue;
        if (o + t.n + 2 >= outn)
            break;
        if (o)
            out[o++] = ',';
        for (size_t k = 0; k < t.n; k++)
            out[o++] = (char)tolower((unsigned char)t.s[k]);
        out[o] = '\0';
    }
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

/* s converted from charset to UTF-8: a new string, or NULL when iconv
 * does not know the charset or the text is not valid in it. */
static char *iconv_utf8(const char *s, const char *charset)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's error value */
        return NULL;
    size_t inleft = strlen(s), cap = inleft * 4 + 1, outleft = cap - 1;
    char *out = kmalloc(cap), *in = (char *)s, *o = out;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 ||
        !utf8_valid(out, (size_t)(o - out))) {
        free(out);
        out = NULL;
    } else {
        *o = '\0';
    }
    iconv_close(cd);
    return out;
}

static int is_utf8_name(const char *cs)
{
    return !strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "UTF8") || !strcasecmp(cs, "US-ASCII") ||
           !strcasecmp(cs, "ASCII");
}

struct group_ref {
    char *group;
    int what; /* 'e'mail, 'p'hone, 'l'ink, 'a'ddress, 'd'ate */
    size_t index;
};

struct parser {
    struct reader r;
    const struct card_opts *o;
    struct card card;
    int in_card, bad_line, v21, cards, agent, agent_pending;
    char *bad; /* why the card in progress cannot be read */
    size_t card_start;
    int said_1252, said_outside;
    struct group_ref *refs;
    size_t nrefs;
    /* X-ABLabel lines: the group, the label, the line as read (kept when
     * the group labels a line kept verbatim). */
    struct kstrlist ab_group, ab_label, ab_line;
    struct sbuf tmp;
};

static void problem(struct parser *ps, enum card_level level, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct parser *ps, enum card_level level, int line, const char *fmt, ...)
{
    if (!ps->o->problem)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps->o->problem(level, line, msg, NULL, 0, ps->o->ud);
}

/* Marks the card in progress as one to skip (the first reason counts). */
static void spoil(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void spoil(struct parser *ps, int line, const char *fmt, ...)
{
    if (ps->bad)
        return;
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sbuf_add(&b, msg);
    ps->bad = sbuf_take(&b);
    ps->bad_line = line;
}

/* v as UTF-8: itself, or a converted copy in *conv. Text that names no
 * CHARSET (or one iconv does not know) and is not UTF-8 is read as
 * windows-1252, which is what such files nearly always are. */
static const char *as_utf8(struct parser *ps, const char *v, const char *charset, int line,
                           char **conv)
{
    *conv = NULL;
    if (charset[0] && !is_utf8_name(charset)) {
        if ((*conv = iconv_utf8(v, charset)))
            return *conv;
        if (!utf8_valid(v, strlen(v))) {
            problem(ps, CARD_INFO, line,
                    "the text is not valid %s (or kith does not know that character set); read "
                    "as windows-1252",
                    charset);
            return *conv = kstr_from_cp1252(v, strlen(v));
        }
        return v;
    }
    if (utf8_valid(v, strlen(v)))
        return v;
    if (!ps->said_1252) {
        problem(ps, CARD_INFO, line,
                "text that is not UTF-8 and names no CHARSET: read as windows-1252 (here and "
                "wherever else it occurs)");
        ps->said_1252 = 1;
    }
    return *conv = kstr_from_cp1252(v, strlen(v));
}

/* Splits v at unescaped sep (0: never) and removes the escapes of each
 * part. Version 2.1 only escapes separators; later versions also \n, \\
 * and \, (and some writers \: or, Gmail and Apple, \"). */
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
        size_t run = 0;
        while (p[run] && p[run] != '\\' && (!sep || p[run] != sep))
            run++;
        sbuf_addn(&b, p, run);
        p += run;
        if (*p == '\\' && p[1]) {
            char c = p[1];
            if (c == ';' || c == ',' || c == '"' || (!v21 && (c == '\\' || c == ':'))) {
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

/* Joins the non-empty parts with ", ". */
static char *join_parts(const struct kstrlist *l)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < l->n; i++) {
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

static char *span_dup(struct span s)
{
    return kstr_ndup(s.s, s.n);
}

/* Remembers that the item just stored came from a property of group g, for
 * an X-ABLabel of the same group. */
static void remember(struct parser *ps, const struct prop *p, int what, size_t index)
{
    if (!p->group.n)
        return;
    ps->refs = kgrowarray(ps->refs, ps->nrefs, sizeof *ps->refs);
    ps->refs[ps->nrefs++] = (struct group_ref){span_dup(p->group), what, index};
}

/* Apple's built-in labels read _$!<HomePage>!$_. */
static void ablabel(const char *v, char *out, size_t outn)
{
    size_t n = strlen(v);
    if (n > 8 && !strncmp(v, "_$!<", 4) && !strcmp(v + n - 4, ">!$_"))
        snprintf(out, outn, "%.*s", (int)(n - 8), v + 4);
    else
        snprintf(out, outn, "%s", v);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

static void apply_labels(struct parser *ps)
{
    struct contact *c = &ps->card.c;
    for (size_t i = 0; i < ps->ab_group.n; i++) {
        const char *l = ps->ab_label.v[i];
        int used = 0;
        for (size_t k = 0; k < ps->nrefs; k++) {
            struct group_ref *g = &ps->refs[k];
            if (strcasecmp(g->group, ps->ab_group.v[i]))
                continue;
            used = 1;
            if (g->what == 'e')
                contact_set_label(&c->email_labels, g->index, l);
            else if (g->what == 'p')
                contact_set_label(&c->phone_labels, g->index, l);
            else if (g->what == 'l')
                contact_set_label(&c->link_labels, g->index, l);
            else if (g->what == 'a' && g->index < c->naddresses) {
                free(c->addresses[g->index].label);
                c->addresses[g->index].label = kstr_dup(l);
            } else if (g->what == 'd' && g->index < c->nevents) {
                free(c->events[g->index].label);
                c->events[g->index].label = kstr_dup(l);
            }
        }
        /* It labels a line kept as it came (X-ABRELATEDNAMES, ...). */
        size_t gl = strlen(ps->ab_group.v[i]);
        for (size_t k = 0; !used && *l && k < c->extra.n; k++) {
            const char *x = c->extra.v[k];
            if (!strncasecmp(x, ps->ab_group.v[i], gl) && x[gl] == '.') {
                struct kerr e;
                card_extra(&ps->card, ps->ab_line.v[i], &e);
                used = 1;
            }
        }
    }
}

static void reset_card(struct parser *ps)
{
    card_clear(&ps->card);
    for (size_t i = 0; i < ps->nrefs; i++)
        free(ps->refs[i].group);
    free(ps->refs);
    ps->refs = NULL;
    ps->nrefs = 0;
    kstrlist_clear(&ps->ab_group);
    kstrlist_clear(&ps->ab_label);
    kstrlist_clear(&ps->ab_line);
    free(ps->bad);
    ps->bad = NULL;
    ps->in_card = 0;
    ps->agent = 0;
    ps->agent_pending = 0;
}

/* Keeps the whole line verbatim with the card (in UTF-8). */
static void keep_line(struct parser *ps, const struct logical *L, const struct prop *p)
{
    char *conv;
    const char *line = as_utf8(ps, L->b.s, p ? p->charset : "", L->first, &conv);
    struct kerr e;
    if (card_extra(&ps->card, line, &e) != K_OK)
        problem(ps, CARD_WARN, L->first, "%s; a %.*s line left out", e.msg, p ? (int)p->name.n : 1,
                p ? p->name.s : "?");
    free(conv);
}

/* A value kith could not store: kept verbatim, and said so. */
static void keep_verbatim(struct parser *ps, const struct logical *L, const struct prop *p,
                          const char *why)
{
    problem(ps, CARD_INFO, L->first, "%s; the %.*s line is kept as written", why, (int)p->name.n,
            p->name.s);
    keep_line(ps, L, p);
}

static const char *const link_props[] = {
    "IMPP",     "X-SOCIALPROFILE",  "X-AIM",      "X-ICQ",         "X-JABBER", "X-MSN", "X-YAHOO",
    "X-SKYPE",  "X-SKYPE-USERNAME", "X-GADUGADU", "X-GOOGLE-TALK", "X-GTALK",  "X-QQ",  "X-TWITTER",
    "X-MATRIX", "X-SIGNAL"};

static int is_link_prop(struct span name)
{
    for (size_t i = 0; i < sizeof link_props / sizeof link_props[0]; i++)
        if (span_is(name, link_props[i]))
            return 1;
    /* KDE: X-messaging/aim-All, X-messaging/xmpp-All. */
    return name.n > 12 && !strncasecmp(name.s, "X-MESSAGING/", 12);
}

/* "NAME;param;param" of a link property, TYPE left out (it is the label). */
static char *link_prop(const struct prop *p)
{
    struct sbuf b = {0};
    sbuf_addn(&b, p->name.s, p->name.n);
    for (size_t i = 0; i < p->nparams; i++) {
        sbuf_addc(&b, ';');
        sbuf_addn(&b, p->params[i].s, p->params[i].n);
    }
    return sbuf_take(&b);
}

/* Properties kith reads into fields (the rest is kept verbatim). */
enum kind {
    P_OTHER = 0,
    P_VERSION,
    P_PRODID,
    P_FN,
    P_N,
    P_NICKNAME,
    P_ORG,
    P_TITLE,
    P_EMAIL,
    P_TEL,
    P_URL,
    P_LINK,
    P_ADR,
    P_BDAY,
    P_ANNIVERSARY,
    P_ABDATE,
    P_NOTE,
    P_CATEGORIES,
    P_UID,
    P_ABLABEL,
    P_AGENT,
    P_KITH_HOW_MET,
    P_KITH_MET_ON,
    P_KITH_WORKING_ON,
    P_KITH_ARCHIVED,
    P_KITH_LOCATION,
    P_KITH_NEED,
    P_KITH_OFFER,
    P_KITH_EVERY,
};

static enum kind kind_of(struct span name)
{
    /* With each name's length: the names are compared with every
     * property of every card. */
    /* clang-format off */
#define K(NAME, KIND) {(NAME), sizeof(NAME) - 1, (KIND)}
    static const struct {
        const char *name;
        size_t n;
        enum kind k;
    } t[] = {
        K("VERSION", P_VERSION),
        K("PRODID", P_PRODID),
        K("FN", P_FN),
        K("N", P_N),
        K("NICKNAME", P_NICKNAME),
        K("ORG", P_ORG),
        K("TITLE", P_TITLE),
        K("EMAIL", P_EMAIL),
        K("TEL", P_TEL),
        K("URL", P_URL),
        K("ADR", P_ADR),
        K("BDAY", P_BDAY),
        K("ANNIVERSARY", P_ANNIVERSARY),
        K("X-ANNIVERSARY", P_ANNIVERSARY),
        K("X-EVOLUTION-ANNIVERSARY", P_ANNIVERSARY),
        K("X-KADDRESSBOOK-X-ANNIVERSARY", P_ANNIVERSARY),
        K("X-ABDATE", P_ABDATE),
        K("NOTE", P_NOTE),
        K("CATEGORIES", P_CATEGORIES),
        K("UID", P_UID),
        K("X-KITH-UID", P_UID),
        K("X-ABLABEL", P_ABLABEL),
        K("AGENT", P_AGENT),
        K("X-KITH-HOW-MET", P_KITH_HOW_MET),
        K("X-KITH-MET-ON", P_KITH_MET_ON),
        K("X-KITH-WORKING-ON", P_KITH_WORKING_ON),
        K("X-KITH-ARCHIVED", P_KITH_ARCHIVED),
        K("X-KITH-LOCATION", P_KITH_LOCATION),
        K("X-KITH-NEED", P_KITH_NEED),
        K("X-KITH-OFFER", P_KITH_OFFER),
        K("X-KITH-EVERY", P_KITH_EVERY),
    };
#undef K
    /* clang-format on */
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (name.n == t[i].n && !strncasecmp(name.s, t[i].name, name.n))
            return t[i].k;
    return is_link_prop(name) ? P_LINK : P_OTHER;
}

/* The value of p, decoded: QUOTED-PRINTABLE, then the character set, then
 * without the CR of QUOTED-PRINTABLE's =0D=0A. Points into ps->tmp or the
 * line. */
static const char *decoded(struct parser *ps, const struct logical *L, const struct prop *p)
{
    const char *v = p->value;
    char *conv = NULL;
    if (p->qp) {
        ps->tmp.len = 0;
        sbuf_add(&ps->tmp, v);
        qp_decode(ps->tmp.s);
        v = ps->tmp.s;
    }
    const char *u = as_utf8(ps, v ? v : "", p->charset, L->first, &conv);
    if (!u)
        return ""; /* not reached: as_utf8 always gives text */
    if (!conv && !strchr(u, '\r'))
        return u; /* most values: no copy */
    char *copy = kstr_dup(u);
    free(conv);
    ps->tmp.len = 0;
    sbuf_add(&ps->tmp, copy);
    free(copy);
    char *o = ps->tmp.s;
    for (char *q = ps->tmp.s; *q; q++)
        if (!(q[0] == '\r' && q[1] == '\n'))
            *o++ = *q;
    *o = '\0';
    ps->tmp.len = (size_t)(o - ps->tmp.s);
    return ps->tmp.s;
}

static void set_version(struct parser *ps, const char *v, int line)
{
    if (!strcmp(v, "2.1") || !strcmp(v, "2") || !strcmp(v, "2.0")) {
        ps->v21 = 1;
        return;
    }
    ps->v21 = 0;
    if (strcmp(v, "3.0") && strcmp(v, "3") && strcmp(v, "4.0") && strcmp(v, "4"))
        problem(ps, CARD_INFO, line, "vCard version '%s' is not 2.1, 3.0 or 4.0; read as 4.0",
                utf8_valid(v, strlen(v)) ? v : "?");
}

/* TEL: a tel: URI becomes the number as people write it. */
static void tel_text(char *s)
{
    if (strncasecmp(s, "tel:", 4))
        return;
    memmove(s, s + 4, strlen(s + 4) + 1);
    char *ext = strstr(s, ";ext=");
    if (ext) {
        memmove(ext + 2, ext + 5, strlen(ext + 5) + 1);
        ext[0] = ' ';
        ext[1] = 'x';
    }
}

static int handle_list(struct parser *ps, const struct logical *L, const struct prop *p,
                       enum kind k, const char *v, const char *label)
{
    struct card *card = &ps->card;
    struct kstrlist parts = {0};
    struct kerr e;
    int rc = K_OK;
    split_unescape(v, 0, ps->v21, &parts);
    char *s = parts.v[0];
    if (k == P_EMAIL) {
        size_t before = card->c.emails.n;
        if ((rc = card_add(card, CARD_EMAIL, s, label, L->first, &e)) == K_OK &&
            card->c.emails.n > before)
            remember(ps, p, 'e', before);
    } else if (k == P_TEL) {
        tel_text(s);
        size_t before = card->c.phones.n;
        if ((rc = card_add(card, CARD_PHONE, s, label, L->first, &e)) == K_OK &&
            card->c.phones.n > before)
            remember(ps, p, 'p', before);
    } else {
        char *prop = k == P_LINK ? link_prop(p) : NULL;
        size_t before = card->c.links.n;
        if ((rc = card_link(card, s, label, prop, L->first, &e)) == K_OK &&
            card->c.links.n > before)
            remember(ps, p, 'l', before);
        free(prop);
    }
    if (rc != K_OK)
        keep_verbatim(ps, L, p, e.msg);
    kstrlist_clear(&parts);
    return K_OK;
}

static void handle_adr(struct parser *ps, const struct logical *L, const struct prop *p,
                       const char *v, const char *label)
{
    struct kstrlist parts = {0};
    split_unescape(v, ';', ps->v21, &parts);
    /* kith's own location travels as an ADR marked X-KITH-LOCATION. */
    for (size_t i = 0; i < p->nparams; i++) {
        if (p->params[i].n >= 15 && !strncasecmp(p->params[i].s, "X-KITH-LOCATION", 15)) {
            char *joined = join_parts(&parts);
            card_set(&ps->card, CARD_LOCATION, joined, L->first);
            free(joined);
            kstrlist_clear(&parts);
            return;
        }
    }
    struct kaddress a = {0};
    char **dst[] = {&a.pobox, &a.ext, &a.street, &a.locality, &a.region, &a.code, &a.country};
    for (size_t i = 0; i < parts.n && i < 7; i++) {
        char *s = parts.v[i];
        while (*s == ' ')
            s++;
        *dst[i] = *s ? s : NULL;
    }
    a.label = label[0] ? (char *)label : NULL;
    if (a.pobox || a.ext || a.street || a.locality || a.region || a.code || a.country) {
        card_address(&ps->card, &a);
        remember(ps, p, 'a', ps->card.c.naddresses - 1);
    }
    kstrlist_clear(&parts);
}

static void handle_date(struct parser *ps, const struct logical *L, const struct prop *p,
                        enum kind k, const char *v)
{
    struct card *card = &ps->card;
    struct kerr e;
    char *s = kstr_dup(v);
    /* Apple writes a year-less birthday as 1604-MM-DD with this parameter. */
    if (p->omit_year && strlen(s) >= 10 && isdigit((unsigned char)s[0])) {
        s[0] = '1';
        s[1] = '6';
        s[2] = '0';
        s[3] = '4';
    }
    int rc;
    if (k == P_BDAY) {
        const char *before = card->c.birthday;
        rc = card_add(card, CARD_BIRTHDAY, s, NULL, L->first, &e);
        if (rc == K_OK && before)
            keep_line(ps, L, p); /* a second BDAY */
    } else {
        size_t before = card->c.nevents;
        rc = card_event(card, k == P_ABDATE ? "date" : "anniversary", s, L->first, &e);
        if (rc == K_OK && card->c.nevents > before)
            remember(ps, p, 'd', before);
    }
    if (rc != K_OK)
        keep_verbatim(ps, L, p, e.msg);
    free(s);
}

/* One property line of the card in progress. */
/* FN, ORG, TITLE, NOTE and kith's own one-value properties: the first of
 * FN, ORG and TITLE sets the field, a second is kept as it came. */
static void handle_text(struct parser *ps, const struct logical *L, const struct prop *p,
                        enum kind k, const char *v)
{
    struct kstrlist parts = {0};
    int line = L->first;
    static const enum card_field f[] = {
        [P_FN] = CARD_NAME,
        [P_TITLE] = CARD_TITLE,
        [P_NOTE] = CARD_NOTE,
        [P_KITH_HOW_MET] = CARD_HOW_MET,
        [P_KITH_MET_ON] = CARD_MET_ON,
        [P_KITH_WORKING_ON] = CARD_WORKING_ON,
        [P_KITH_ARCHIVED] = CARD_ARCHIVED,
        [P_KITH_LOCATION] = CARD_LOCATION,
        [P_KITH_NEED] = CARD_NEED,
        [P_KITH_OFFER] = CARD_OFFER,
        [P_KITH_EVERY] = CARD_EVERY,
        [P_ORG] = CARD_COMPANY,
    };
    char *joined = NULL;
    split_unescape(v, k == P_ORG ? ';' : 0, ps->v21, &parts);
    if (k == P_ORG)
        joined = join_parts(&parts);
    char **have = k == P_FN      ? &ps->card.c.name
                  : k == P_ORG   ? &ps->card.c.company
                  : k == P_TITLE ? &ps->card.c.title
                                 : NULL;
    /* A second FN, ORG or TITLE (4.0 allows several) is kept as it came. */
    if (have && *have) {
        keep_line(ps, L, p);
    } else {
        struct kerr e;
        if (card_add(&ps->card, f[k], joined ? joined : parts.v[0], NULL, line, &e) != K_OK)
            keep_verbatim(ps, L, p, e.msg);
    }
    free(joined);
    kstrlist_clear(&parts);
}

/* N: the name's parts, unless a first N set them. */
static void handle_n(struct parser *ps, const struct logical *L, const struct prop *p,
                     const char *v)
{
    struct kstrlist parts = {0};
    int line = L->first;
    /* kith's export guessed it from FN. */
    for (size_t i = 0; i < p->nparams; i++)
        if (p->params[i].n >= 15 && !strncasecmp(p->params[i].s, "X-KITH-GUESSED", 14))
            goto out;
    split_unescape(v, ';', ps->v21, &parts);
    const enum card_field nf[] = {CARD_LAST, CARD_FIRST, CARD_MIDDLE, CARD_PREFIX, CARD_SUFFIX};
    if (ps->card.c.n.family || ps->card.c.n.given) {
        keep_line(ps, L, p);
        goto out;
    }
    for (size_t i = 0; i < 5 && i < parts.n; i++)
        card_set(&ps->card, nf[i], parts.v[i], line);
out:
    kstrlist_clear(&parts);
}

/* Apple's X-ABLabel names the property of its group, which may come
 * before or after it. */
static void handle_ablabel(struct parser *ps, const struct logical *L, const struct prop *p,
                           const char *v)
{
    struct kstrlist parts = {0};
    int line = L->first;
    if (p->group.n) {
        char l[256];
        char *conv, *g = span_dup(p->group);
        split_unescape(v, 0, ps->v21, &parts);
        ablabel(parts.v[0], l, sizeof l);
        kstrlist_add(&ps->ab_group, g);
        kstrlist_add(&ps->ab_label, l);
        kstrlist_add(&ps->ab_line, as_utf8(ps, L->b.s, p->charset, line, &conv));
        free(conv);
        free(g);
    } else {
        keep_line(ps, L, p);
    }
    kstrlist_clear(&parts);
}

static void handle(struct parser *ps, const struct logical *L, const struct prop *p)
{
    struct card *card = &ps->card;
    enum kind k = kind_of(p->name);
    struct kstrlist parts = {0};
    char label[256];
    int line = L->first;
    if (k == P_OTHER || (k == P_BDAY && p->value_text == 1) || (k == P_AGENT && *p->value)) {
        keep_line(ps, L, p);
        return;
    }
    if (k == P_PRODID)
        return; /* the export writes its own */
    if (k == P_AGENT) {
        ps->agent_pending = 1; /* BEGIN:VCARD follows */
        return;
    }
    const char *v = decoded(ps, L, p);
    label_of(p, label, sizeof label);
    switch (k) {
    case P_VERSION:
        set_version(ps, v, line);
        break;
    case P_FN:
    case P_TITLE:
    case P_NOTE:
    case P_KITH_HOW_MET:
    case P_KITH_MET_ON:
    case P_KITH_WORKING_ON:
    case P_KITH_ARCHIVED:
    case P_KITH_LOCATION:
    case P_KITH_NEED:
    case P_KITH_OFFER:
    case P_KITH_EVERY:
    case P_ORG:
        handle_text(ps, L, p, k, v);
        break;
    case P_N:
        handle_n(ps, L, p, v);
        break;
    case P_NICKNAME:
        split_unescape(v, ',', ps->v21, &parts);
        for (size_t i = 0; i < parts.n; i++)
            card_set(card, CARD_NICKNAME, parts.v[i], line);
        break;
    case P_UID:
        split_unescape(v, 0, ps->v21, &parts);
        card_set(card, CARD_UID, parts.v[0], line);
        break;
    case P_EMAIL:
    case P_TEL:
    case P_URL:
    case P_LINK:
        handle_list(ps, L, p, k, v, label);
        break;
    case P_ADR:
        handle_adr(ps, L, p, v, label);
        break;
    case P_BDAY:
    case P_ANNIVERSARY:
    case P_ABDATE:
        handle_date(ps, L, p, k, v);
        break;
    case P_CATEGORIES:
        split_unescape(v, ',', ps->v21, &parts);
        for (size_t i = 0; i < parts.n; i++) {
            struct kerr e;
            if (parts.v[i][strspn(parts.v[i], " ")] && card_tag(card, parts.v[i], line, &e) != K_OK)
                problem(ps, CARD_WARN, line, "%s; left out", e.msg);
        }
        break;
    case P_ABLABEL:
        handle_ablabel(ps, L, p, v);
        break;
    default:
        break;
    }
    kstrlist_clear(&parts);
}

static void skip_card(struct parser *ps, size_t end, int line, const char *why)
{
    if (ps->o->problem)
        ps->o->problem(CARD_SKIP, line, why, ps->r.buf + ps->card_start, end - ps->card_start,
                       ps->o->ud);
}

/* END:VCARD of the card in progress, whose bytes end at end. */
static int end_card(struct parser *ps, size_t end, struct kerr *e)
{
    int rc = K_OK;
    if (ps->bad) {
        skip_card(ps, end, ps->bad_line, ps->bad);
        goto out;
    }
    apply_labels(ps);
    struct kerr fe;
    int f = card_finish(&ps->card, &fe);
    if (f == K_NOTFOUND)
        skip_card(ps, end, ps->card.line,
                  "nothing in this card names a person (no FN, N, NICKNAME, ORG, EMAIL, TEL or "
                  "URL)");
    else if (f != K_OK)
        skip_card(ps, end, ps->card.line, fe.msg);
    else
        rc = ps->o->card(&ps->card, ps->o->ud, e);
out:
    reset_card(ps);
    return rc;
}

static void begin_card(struct parser *ps, const struct logical *L)
{
    /* Outside a card all is clean already: end_card reset it. */
    if (ps->in_card)
        reset_card(ps);
    card_init(&ps->card, ps->o, L->first);
    ps->in_card = 1;
    ps->v21 = 0;
    ps->card_start = L->start;
    ps->cards++;
}

/* A line outside any card. */
static void outside(struct parser *ps, const struct logical *L, const char *what)
{
    if (!ps->said_outside)
        problem(ps, CARD_WARN, L->first, "%s outside any card; left out", what);
    ps->said_outside = 1;
}

static int value_is(const struct prop *p, const char *what)
{
    const char *v = p->value;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n == strlen(what) && !strncasecmp(v, what, n);
}

/* One logical line, whatever the state. */
static int step(struct parser *ps, struct logical *L, struct kerr *e)
{
    struct prop p;
    if (!L->len || strspn(L->b.s, " \t") == L->b.len)
        return K_OK;
    int nul = memchr(L->b.s, '\0', L->b.len) != NULL;
    int parsed = !nul && parse_prop(L->b.s, L->b.len, &p) == 0;
    if (parsed && span_is(p.name, "BEGIN")) {
        if (!value_is(&p, "VCARD")) {
            if (ps->in_card && !ps->agent)
                spoil(ps, L->first, "a BEGIN:%s inside the card", "other object");
            else if (!ps->in_card)
                outside(ps, L, "a calendar or other object that is not a vCard");
            return K_OK;
        }
        if (ps->in_card && (ps->agent || ps->agent_pending)) {
            /* A 2.1 AGENT: another person's card inside this one. */
            if (!ps->agent)
                problem(ps, CARD_INFO, L->first, "an AGENT card inside this card is left out");
            ps->agent++;
            ps->agent_pending = 0;
            return K_OK;
        }
        if (ps->in_card) {
            char why[160];
            snprintf(why, sizeof why,
                     "this card has no END:VCARD: another BEGIN:VCARD follows at line %d",
                     L->first);
            skip_card(ps, L->start, ps->card.line, why);
        }
        begin_card(ps, L);
        return K_OK;
    }
    if (!ps->in_card) {
        if (parsed && span_is(p.name, "END") && value_is(&p, "VCARD"))
            outside(ps, L, "an END:VCARD");
        else
            outside(ps, L, "text");
        return K_OK;
    }
    if (ps->agent) {
        if (parsed && span_is(p.name, "END") && value_is(&p, "VCARD"))
            ps->agent--;
        return K_OK;
    }
    ps->agent_pending = 0;
    if (parsed && span_is(p.name, "END")) {
        if (!value_is(&p, "VCARD")) {
            spoil(ps, L->first, "END:%.40s where END:VCARD should be", "something else");
            return K_OK;
        }
        return end_card(ps, ps->r.pos, e);
    }
    if (ps->bad)
        return K_OK;
    if (nul) {
        spoil(ps, L->first, "binary data (a NUL byte) where a vCard line should be");
        return K_OK;
    }
    if (!parsed) {
        spoil(ps, L->first, "not a vCard line (want NAME:value)");
        return K_OK;
    }
    if (L->too_long) {
        if (kind_of(p.name) == P_NOTE || kind_of(p.name) == P_KITH_WORKING_ON)
            spoil(ps, L->first, "a %.*s of %zu bytes; the limit is %d", (int)p.name.n, p.name.s,
                  L->len, VCARD_LINE_MAX);
        else
            problem(ps, CARD_WARN, L->first,
                    "a %.*s line of %zu bytes passes the limit of %d; left out", (int)p.name.n,
                    p.name.s, L->len, VCARD_LINE_MAX);
        return K_OK;
    }
    handle(ps, L, &p);
    return K_OK;
}

int vcard_parse(const char *buf, size_t n, const struct card_opts *o, struct kerr *e)
{
    struct parser ps;
    struct logical L;
    memset(&ps, 0, sizeof ps);
    memset(&L, 0, sizeof L);
    ps.r.buf = buf;
    ps.r.n = n;
    ps.o = o;
    int rc = K_OK;
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        ps.r.pos = 3;
    while (rc == K_OK && read_logical(&ps.r, &L))
        rc = step(&ps, &L, e);
    if (rc != K_OK)
        goto out;
    if (ps.in_card) {
        char why[160];
        snprintf(why, sizeof why,
                 "this card has no END:VCARD: the file ends at line %d (truncated?)", ps.r.line);
        skip_card(&ps, ps.r.n, ps.card.line, why);
    } else if (!ps.cards) {
        rc =
            kerr_set(e, K_USAGE, "%s:%d: no vCard in the file", o->file, ps.r.line ? ps.r.line : 1);
    }
out:
    reset_card(&ps);
    sbuf_free(&L.b);
    sbuf_free(&ps.tmp);
    return rc;
}

/* Writer. */

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
    sbuf_put_line(out, l->s);
}

/* 1 when every comma-separated word of label is letters, digits and '-'. */
static int simple_label(const char *label)
{
    if (!*label)
        return 0;
    for (const char *p = label; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != ',')
            return 0;
    return label[0] != ',' && label[strlen(label) - 1] != ',' && !strstr(label, ",,");
}

/* 1 when label can be a quoted parameter value: no quote, comma (a list
 * separator inside TYPE) or control character. */
static int quotable_label(const char *label)
{
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == ',' || *p == 0x7F)
            return 0;
    return 1;
}

/* Starts line l with "NAME" and the label: ";TYPE=label", ;TYPE="a label"
 * (readers that ignore groups, abook among them, still see the value), or
 * for a label that cannot be a parameter, a group whose X-ABLabel names
 * it (*group counts the card's groups; the X-ABLabel line goes to
 * labels). */
static void start_labeled(struct sbuf *l, struct sbuf *labels, int *group, const char *name,
                          const char *label)
{
    l->len = 0;
    if (label && *label && !simple_label(label) && quotable_label(label)) {
        sbuf_printf(l, "%s;TYPE=\"%s\"", name, label);
        return;
    }
    if (label && *label && !simple_label(label)) {
        ++*group;
        sbuf_printf(l, "kith%d.", *group);
        struct sbuf t = {0};
        sbuf_printf(&t, "kith%d.X-ABLabel:", *group);
        put_text(&t, label);
        sbuf_put_line(labels, t.s);
        sbuf_free(&t);
    }
    sbuf_add(l, name);
    if (label && *label && simple_label(label))
        sbuf_printf(l, ";TYPE=%s", label);
}

/* A URI value: commas and semicolons stay as they are, so that readers that
 * do not unescape URIs get them right. */
static void put_uri(struct sbuf *l, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            sbuf_add(l, "\\\\");
        else if (*s == '\n')
            sbuf_add(l, "\\n");
        else if (*s == '\r')
            sbuf_add(l, "\\r");
        else
            sbuf_addc(l, *s);
    }
}

static void put_date(struct sbuf *b, const char *name, const char *d, int v4)
{
    if (strlen(d) == 5)
        sbuf_printf(b, v4 ? "%s:--%.2s%.2s\r\n" : "%s:--%.2s-%.2s\r\n", name, d, d + 3);
    else if (v4)
        sbuf_printf(b, "%s:%.4s%.2s%.2s\r\n", name, d, d + 5, d + 8);
    else
        sbuf_printf(b, "%s:%s\r\n", name, d);
}

static void write_name(struct sbuf *b, struct sbuf *l, const struct contact *c)
{
    const struct kname *n = &c->n;
    l->len = 0;
    sbuf_add(l, "N:");
    if (n->family || n->given || n->additional || n->prefix || n->suffix) {
        const char *parts[] = {n->family, n->given, n->additional, n->prefix, n->suffix};
        for (int i = 0; i < 5; i++) {
            if (i)
                sbuf_addc(l, ';');
            put_text(l, parts[i]);
        }
        sbuf_put_line(b, l->s);
        return;
    }
    /* N is required by 3.0; without the parts the last word is taken as
     * the family name, and the line says it is a guess, so that kith does
     * not read it back as the name's parts. */
    l->len = 0;
    sbuf_add(l, "N;X-KITH-GUESSED=true:");
    const char *sp = c->name ? strrchr(c->name, ' ') : NULL;
    if (sp) {
        char *given = kstr_ndup(c->name, (size_t)(sp - c->name));
        put_text(l, sp + 1);
        sbuf_addc(l, ';');
        put_text(l, given);
        free(given);
    } else {
        sbuf_addc(l, ';');
        put_text(l, c->name);
    }
    sbuf_add(l, ";;;");
    sbuf_put_line(b, l->s);
}

static void write_details(struct sbuf *b, struct sbuf *l, struct sbuf *labels, int *group,
                          const struct contact *c, int v4)
{
    for (size_t i = 0; i < c->emails.n; i++) {
        const char *label = contact_label(&c->email_labels, i);
        start_labeled(l, labels, group, v4 ? "EMAIL" : "EMAIL;TYPE=INTERNET", label);
        sbuf_addc(l, ':');
        put_text(l, c->emails.v[i]);
        sbuf_put_line(b, l->s);
    }
    for (size_t i = 0; i < c->phones.n; i++) {
        start_labeled(l, labels, group, v4 ? "TEL;VALUE=text" : "TEL",
                      contact_label(&c->phone_labels, i));
        sbuf_addc(l, ':');
        put_text(l, c->phones.v[i]);
        sbuf_put_line(b, l->s);
    }
    for (size_t i = 0; i < c->links.n; i++) {
        const char *prop = contact_label(&c->link_props, i);
        start_labeled(l, labels, group, *prop ? prop : "URL", contact_label(&c->link_labels, i));
        sbuf_addc(l, ':');
        put_uri(l, c->links.v[i]);
        sbuf_put_line(b, l->s);
    }
}

/* The location as an address line would give it, to know whether it needs
 * a line of its own. */
static int location_from_address(const struct contact *c)
{
    if (!c->naddresses || !c->location)
        return 0;
    const struct kaddress *a = &c->addresses[0];
    struct sbuf s = {0};
    const char *parts[] = {a->street, a->locality, a->region, a->code, a->country};
    for (int i = 0; i < 5; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if (s.len)
            sbuf_add(&s, ", ");
        sbuf_add(&s, parts[i]);
    }
    if (!s.len && (a->ext || a->pobox))
        sbuf_add(&s, a->ext ? a->ext : a->pobox);
    struct sbuf o = {0};
    for (size_t i = 0; i < s.len; i++) {
        if (s.s[i] == '\n')
            sbuf_add(&o, ", ");
        else if (s.s[i] != '\r')
            sbuf_addc(&o, s.s[i]);
    }
    int same = o.s && !strcmp(o.s, c->location);
    sbuf_free(&s);
    sbuf_free(&o);
    return same;
}

static void write_places(struct sbuf *b, struct sbuf *l, struct sbuf *labels, int *group,
                         const struct contact *c)
{
    for (size_t i = 0; i < c->naddresses; i++) {
        const struct kaddress *a = &c->addresses[i];
        start_labeled(l, labels, group, "ADR", a->label);
        sbuf_addc(l, ':');
        const char *parts[] = {a->pobox,  a->ext,  a->street, a->locality,
                               a->region, a->code, a->country};
        for (int k = 0; k < 7; k++) {
            if (k)
                sbuf_addc(l, ';');
            put_text(l, parts[k]);
        }
        sbuf_put_line(b, l->s);
    }
    if (c->location && !location_from_address(c)) {
        /* Other programs show it as an address; kith reads it back as the
         * location alone. */
        l->len = 0;
        sbuf_add(l, "ADR;X-KITH-LOCATION=true:;;");
        put_text(l, c->location);
        sbuf_add(l, ";;;;");
        sbuf_put_line(b, l->s);
    }
}

static void write_events(struct sbuf *b, struct sbuf *l, struct sbuf *labels, int *group,
                         const struct contact *c, int v4)
{
    for (size_t i = 0; i < c->nevents; i++) {
        const struct kevent *ev = &c->events[i];
        if (ev->label && !strcmp(ev->label, "anniversary")) {
            put_date(b, v4 ? "ANNIVERSARY" : "X-ANNIVERSARY", ev->date, v4);
            continue;
        }
        ++*group;
        char name[32];
        snprintf(name, sizeof name, "kith%d.X-ABDATE", *group);
        put_date(b, name, ev->date, 0);
        l->len = 0;
        sbuf_printf(l, "kith%d.X-ABLabel:", *group);
        put_text(l, ev->label ? ev->label : "date");
        sbuf_put_line(labels, l->s);
    }
}

void vcard_write(struct sbuf *b, const struct contact *c, enum vcard_version v)
{
    struct sbuf l = {0}, labels = {0};
    int v4 = v == VCARD_V40, group = 0;
    sbuf_add(b, "BEGIN:VCARD\r\n");
    sbuf_add(b, v4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
    sbuf_printf(b, "PRODID:-//kith//kith %s//EN\r\n", KITH_VERSION);
    if (c->uids.n) {
        l.len = 0;
        sbuf_add(&l, "UID:");
        put_uri(&l, c->uids.v[0]);
        sbuf_put_line(b, l.s);
    } else if (strlen(c->id) == KID_LEN) {
        sbuf_printf(b, "UID:urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s\r\n", c->id, c->id + 8, c->id + 12,
                    c->id + 16, c->id + 20);
    }
    prop_text(b, &l, "FN", c->name);
    write_name(b, &l, c);
    if (c->nicknames.n) {
        l.len = 0;
        sbuf_add(&l, "NICKNAME:");
        for (size_t i = 0; i < c->nicknames.n; i++) {
            if (i)
                sbuf_addc(&l, ',');
            put_text(&l, c->nicknames.v[i]);
        }
        sbuf_put_line(b, l.s);
    }
    prop_text(b, &l, "ORG", c->company);
    prop_text(b, &l, "TITLE", c->title);
    write_details(b, &l, &labels, &group, c, v4);
    write_places(b, &l, &labels, &group, c);
    if (c->birthday)
        put_date(b, "BDAY", c->birthday, v4);
    write_events(b, &l, &labels, &group, c, v4);
    prop_text(b, &l, "NOTE", c->note);
    if (c->tags.n) {
        l.len = 0;
        sbuf_add(&l, "CATEGORIES:");
        for (size_t i = 0; i < c->tags.n; i++) {
            if (i)
                sbuf_addc(&l, ',');
            put_text(&l, c->tags.v[i]);
        }
        sbuf_put_line(b, l.s);
    }
    prop_text(b, &l, "X-KITH-HOW-MET", c->how_met);
    if (c->met_on != KDATE_NONE) {
        char d[KDATE_BUF];
        sbuf_printf(b, "X-KITH-MET-ON:%s\r\n", kdate_format(c->met_on, d));
    }
    prop_text(b, &l, "X-KITH-WORKING-ON", c->working_on);
    for (size_t i = 0; i < c->needs.n; i++)
        prop_text(b, &l, "X-KITH-NEED", c->needs.v[i]);
    for (size_t i = 0; i < c->offers.n; i++)
        prop_text(b, &l, "X-KITH-OFFER", c->offers.v[i]);
    if (c->cadence_days) {
        char span[16];
        sbuf_printf(b, "X-KITH-EVERY:%s\r\n", kdate_span(c->cadence_days, span));
    }
    if (c->archived)
        sbuf_add(b, "X-KITH-ARCHIVED:true\r\n");
    /* Other UIDs the contact answers to (from a merge). */
    for (size_t i = 1; i < c->uids.n; i++) {
        l.len = 0;
        sbuf_add(&l, "X-KITH-UID:");
        put_uri(&l, c->uids.v[i]);
        sbuf_put_line(b, l.s);
    }
    if (labels.len)
        sbuf_add(b, labels.s);
    for (size_t i = 0; i < c->extra.n; i++)
        sbuf_put_line(b, c->extra.v[i]);
    sbuf_add(b, "END:VCARD\r\n");
    sbuf_free(&l);
    sbuf_free(&labels);
}
