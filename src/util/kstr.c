#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unigbrk.h>
#include <unistr.h>
#include <uniwidth.h>
#include <wchar.h>
#include <wctype.h>

void *kmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *kcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void *krealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

void *kreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    return krealloc(p, n * size);
}

void *kgrowarray(void *p, size_t n, size_t size)
{
    /* The capacity is the power of two at or above n, so it is full (and
     * doubles) only when n is 0 or a power of two. */
    if (n & (n - 1))
        return p;
    if (n > SIZE_MAX / 2)
        abort();
    return kreallocarray(p, n ? 2 * n : 1, size);
}

char *kstr_dup(const char *s)
{
    return s ? kstr_ndup(s, strlen(s)) : NULL;
}

char *kstr_ndup(const char *s, size_t n)
{
    char *p = kmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void kstr_free(char **p)
{
    if (p) {
        free(*p);
        *p = NULL;
    }
}

static void sbuf_grow(struct sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = krealloc(b->s, cap);
    b->cap = cap;
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
    sbuf_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_put_line(struct sbuf *b, const char *s)
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

void sbuf_add(struct sbuf *b, const char *s)
{
    if (s)
        sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
    sbuf_addn(b, &c, 1);
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sbuf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_free(struct sbuf *b)
{
    if (b) {
        free(b->s);
        b->s = NULL;
        b->len = b->cap = 0;
    }
}

char *sbuf_take(struct sbuf *b)
{
    char *s = b->s ? b->s : kstr_dup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

size_t utf8_decode(const char *str, size_t n, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        goto bad;
    }
    if (len > n)
        goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

size_t utf8_encode(unsigned cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strnlen(s, max), k = n;
    /* Back over continuation bytes to the sequence's first byte. */
    while (k > 0 && n - k < 4 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0 || n - k >= 4)
        return n; /* not UTF-8 there: nothing to keep whole */
    unsigned char c = (unsigned char)s[k - 1];
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return k - 1 + len > n ? k - 1 : n;
}

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Most text an import checks is ASCII: eight bytes without a high
         * bit at a time (23 M of a 10k-card import's instructions went to
         * decoding ASCII byte by byte). */
        uint64_t w;
        while (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u)))
            i += 8;
        while (i < n && !((unsigned char)s[i] & 0x80))
            i++;
        if (i == n)
            break;
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        /* A real U+FFFD is three bytes; one byte consumed means invalid. */
        if (cp == 0xFFFD && k == 1)
            return 0;
        i += k;
    }
    return 1;
}

char *kstr_from_cp1252(const char *s, size_t n)
{
    /* 0x80 to 0x9F; the rest of the code page is Latin-1. */
    static const unsigned short high[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    char *out = kmalloc(3 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp = c >= 0x80 && c < 0xA0 ? high[c - 0x80] : c;
        o += utf8_encode(cp, o);
    }
    *o = '\0';
    return out;
}

char *kstr_strip_marks(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        const unsigned char *u = (const unsigned char *)p;
        /* U+200E/F: E2 80 8E/8F; U+202A-E: E2 80 AA-AE; U+2066-9: E2 81 A6-A9. */
        if (u[0] == 0xE2 && u[1] == 0x80 &&
            (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE))) {
            p += 3;
            continue;
        }
        if (u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9) {
            p += 3;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return s;
}

char *kstr_fold(const char *s)
{
    struct sbuf b = {0};
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        /* A run of ASCII (most of most names) is copied and lowered in
         * place, not decoded and appended a character at a time: the
         * fold of every imported name was 2% of an import. */
        size_t run = i;
        while (run < n && !((unsigned char)s[run] & 0x80))
            run++;
        if (run > i) {
            size_t at = b.len;
            sbuf_addn(&b, s + i, run - i);
            for (char *p = b.s + at; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p + 32);
            i = run;
            continue;
        }
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1) {
            sbuf_addn(&b, s + i, 1);
        } else {
            char enc[4] = {0};
            unsigned low = cp < 0x80 ? (unsigned)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp)
                                     : (unsigned)towlower((wint_t)cp);
            sbuf_addn(&b, enc, utf8_encode(low, enc));
        }
        i += k;
    }
    return sbuf_take(&b);
}

/* Base letters for U+00C0..U+00FF and U+0100..U+017F; '.' keeps the
 * character (×, ÷, Þ, þ). */
static const char latin1_base[] = "aaaaaaaceeeeiiiidnooooo.ouuuuy.s"
                                  "aaaaaaaceeeeiiiidnooooo.ouuuuy.y";
static const char latin_ext_a_base[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii"
                                       "iijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssss"
                                       "ttttttuuuuuuuuuuuuwwyyyzzzzzzs";

char *kstr_fold_key(const char *s)
{
    char *f = kstr_fold(s);
    size_t n = 0;
    while (f[n] && !((unsigned char)f[n] & 0x80))
        n++;
    if (!f[n])
        return f; /* ASCII: no letter to take the accent off */
    struct sbuf b = {0};
    n += strlen(f + n);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(f + i, n - i, &cp);
        char base = '.';
        if (cp >= 0xC0 && cp <= 0xFF)
            base = latin1_base[cp - 0xC0];
        else if (cp >= 0x100 && cp <= 0x17F)
            base = latin_ext_a_base[cp - 0x100];
        if (base != '.')
            sbuf_addc(&b, base);
        else
            sbuf_addn(&b, f + i, k);
        i += k;
    }
    free(f);
    return sbuf_take(&b);
}

/* ---- Text on a terminal -------------------------------------------------
 *
 * kstr_escape gives the display form of journal text: what kith writes to a
 * terminal. It must not act on the terminal (controls), must not hide or
 * reorder anything (format characters: zero-width, bidi), and must take the
 * same number of columns in curses, in tmux and in the common terminals, so
 * that columns line up and the TUI's idea of the screen stays the screen.
 * Terminals agree on what wcwidth() says of single code points; they
 * disagree on sequences: tmux 3.3a draws an emoji ZWJ sequence in one
 * 2-column cell (measured; kitty and WezTerm do too, by their documents),
 * xterm, VTE and Alacritty draw its parts side by side; kitty and WezTerm
 * widen a character followed by VS16 (U+FE0F) and merge an emoji with its
 * skin-tone modifier, tmux 3.3a (measured) and xterm do not. The display form leaves those
 * sequences' joiners, presentation selectors and modifiers out, so that every terminal draws what
 * wcwidth() counts; the stored text keeps them, and --json shows them. */

/* The most zero-width characters kept on one base: what a curses cell
 * holds besides it (CCHARW_MAX is 5). More are shown as escapes, so a
 * stack of marks ("Zalgo" text) cannot spill over the lines around it. */
#define MARKS_MAX 4
/* The longest tag sequence kept (a subdivision flag such as England's has
 * 5 tags): longer runs of tag characters would hide ASCII text. */
#define TAGS_MAX 6

/* Prepended concatenation marks: format characters that are visible. */
static int is_pcm(unsigned cp)
{
    return (cp >= 0x600 && cp <= 0x605) || cp == 0x6DD || cp == 0x70F || cp == 0x890 ||
           cp == 0x891 || cp == 0x8E2 || cp == 0x110BD || cp == 0x110CD;
}

/* Characters that are invisible or act on the text around them: the
 * default-ignorable ones (zero-width spaces and joiners, bidi controls,
 * variation selectors, Hangul fillers, tags, the soft hyphen), the other
 * format characters, and the line and paragraph separators. */
static int is_hidden(unsigned cp)
{
    if (cp < 0xAD)
        return 0;
    return cp == 0x2028 || cp == 0x2029 || uc_is_property_default_ignorable_code_point(cp) ||
           (uc_is_general_category(cp, UC_CATEGORY_Cf) && !is_pcm(cp));
}

static int is_ri(unsigned cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Selectors that choose a glyph for the character before them (standard
 * and ideographic variation selectors, Mongolian free variation
 * selectors); VS15 and VS16 are handled on their own. */
static int is_vs(unsigned cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0D) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
           (cp >= 0x180B && cp <= 0x180D) || cp == 0x180F;
}

/* The tag characters a flag's subdivision code is spelled with. */
static int is_tag_spec(unsigned cp)
{
    return (cp >= 0xE0030 && cp <= 0xE0039) || (cp >= 0xE0061 && cp <= 0xE007A);
}

/* Columns of a code point as curses and tmux count them (both ask
 * wcwidth()); -1 when the C library does not know it (unassigned, or newer
 * than its tables). Outside a UTF-8 locale, which only tests and tools
 * run in, libunistring's table stands in. */
static int cp_width(unsigned cp)
{
    if (cp < 0x7F)
        return cp >= 0x20;
    if (MB_CUR_MAX > 1)
        return wcwidth((wchar_t)cp);
    return uc_width(cp, "UTF-8");
}

/* One decoded code point of the input. */
struct ucp {
    size_t off;
    unsigned cp;
    unsigned char len, bad;
};

struct shower {
    struct sbuf *b;
    const char *s;
    const struct ucp *u;
    size_t n;      /* code points */
    int doc;       /* line breaks and tabs stay (a document shown whole) */
    int base;      /* the last thing shown can carry marks */
    int marks;     /* zero-width characters kept on it */
    size_t kept;   /* index after the last code point shown as itself */
    unsigned last; /* that code point */
};

static void show_raw(struct shower *w, size_t i)
{
    sbuf_addn(w->b, w->s + w->u[i].off, w->u[i].len);
    w->kept = i + 1;
    w->last = w->u[i].cp;
}

static void show_escaped(struct shower *w, size_t i)
{
    unsigned cp = w->u[i].cp;
    if (w->u[i].bad)
        sbuf_printf(w->b, "\\x%02X", (unsigned char)w->s[w->u[i].off]);
    else if (cp == '\n')
        sbuf_add(w->b, "\\n");
    else if (cp == '\t')
        sbuf_add(w->b, "\\t");
    else if (cp == '\r')
        sbuf_add(w->b, "\\r");
    else if (cp == 0x1B)
        sbuf_add(w->b, "\\e");
    else if (cp < 0x20 || cp == 0x7F)
        sbuf_printf(w->b, "\\x%02X", cp);
    else
        sbuf_printf(w->b, "\\u{%04X}", cp);
    w->base = 0;
}

/* A zero-width character kept on the current base, or escaped when there
 * is none or it is full. */
static void show_mark(struct shower *w, size_t i)
{
    if (w->base && w->marks < MARKS_MAX) {
        show_raw(w, i);
        w->marks++;
    } else {
        show_escaped(w, i);
    }
}

/* U+200D between emoji (UAX #29 GB11: ExtPict Extend* ZWJ x ExtPict). */
static int zwj_in_emoji(const struct shower *w, size_t i)
{
    if (i + 1 >= w->n || !uc_is_property_extended_pictographic(w->u[i + 1].cp))
        return 0;
    size_t k = i;
    while (k > 0 && uc_graphemeclusterbreak_property(w->u[k - 1].cp) == GBP_EXTEND)
        k--;
    return k > 0 && uc_is_property_extended_pictographic(w->u[k - 1].cp);
}

/* The character before i was shown and is a virama: Indic scripts put a
 * joiner or a non-joiner there to pick a half form (RFC 5892, A.1, A.2). */
static int after_virama(const struct shower *w, size_t i)
{
    return i > 0 && w->kept == i && uc_combining_class(w->u[i - 1].cp) == UC_CCC_VR;
}

/* U+200C where Arabic-script text needs it: between a letter that joins on
 * its left and one that joins on its right, transparent marks around it
 * (RFC 5892, A.1). The marks before it are the ones kept on the base, and
 * those after it must fit there too, so that showing the result again
 * keeps it again. */
static int zwnj_joins(const struct shower *w, size_t i)
{
    if (!w->base || w->kept != i || (size_t)w->marks > i)
        return 0;
    size_t k = i - (size_t)w->marks;
    for (size_t m = k; m < i; m++)
        if (uc_joining_type(w->u[m].cp) != UC_JOINING_TYPE_T)
            return 0;
    if (k == 0)
        return 0;
    int left = uc_joining_type(w->u[k - 1].cp);
    if (left != UC_JOINING_TYPE_L && left != UC_JOINING_TYPE_D)
        return 0;
    /* Only marks that will be shown as marks: a hidden one would be
     * escaped, and the join would not survive showing the result again. */
    size_t r = i + 1;
    while (r < w->n && uc_joining_type(w->u[r].cp) == UC_JOINING_TYPE_T && !is_hidden(w->u[r].cp) &&
           cp_width(w->u[r].cp) == 0)
        r++;
    if (w->marks + 1 + (int)(r - i - 1) > MARKS_MAX || r >= w->n)
        return 0;
    int right = uc_joining_type(w->u[r].cp);
    return right == UC_JOINING_TYPE_R || right == UC_JOINING_TYPE_D;
}

/* The end of a flag's tag sequence starting at i (after its base), or i
 * when there is none: 1 to TAGS_MAX tag letters or digits, then the cancel
 * tag U+E007F. */
static size_t tag_run(const struct shower *w, size_t i)
{
    size_t k = i;
    while (k < w->n && k - i < TAGS_MAX + 1 && is_tag_spec(w->u[k].cp))
        k++;
    if (k == i || k - i > TAGS_MAX || k >= w->n || w->u[k].cp != 0xE007F)
        return i;
    return k + 1;
}

/* Shows code point i and returns the index of the next one to show. */
static size_t show_one(struct shower *w, size_t i)
{
    const struct ucp *u = &w->u[i];
    unsigned cp = u->cp;
    int nl = cp == '\n' || (cp == '\r' && i + 1 < w->n && w->u[i + 1].cp == '\n');
    if (u->bad || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
        if (w->doc && (nl || cp == '\t')) {
            show_raw(w, i);
            w->base = 0;
        } else {
            show_escaped(w, i);
        }
    } else if (cp == 0x200D) {
        /* Left out, so that tmux does not merge the next character into
         * this cell while curses gives it a cell of its own. */
        if (!zwj_in_emoji(w, i) && !after_virama(w, i))
            show_escaped(w, i);
    } else if (cp == 0x200C) {
        if (after_virama(w, i) || zwnj_joins(w, i))
            show_mark(w, i);
        else
            show_escaped(w, i);
    } else if (cp == 0xFE0E || cp == 0xFE0F) {
        /* Presentation selectors change the width in some terminals only:
         * left out after a character, escaped alone. */
        if (!w->base)
            show_escaped(w, i);
    } else if (is_vs(cp)) {
        show_mark(w, i);
    } else if (uc_is_property_emoji_modifier(cp) && w->base &&
               uc_is_property_emoji_modifier_base(w->last)) {
        /* A skin tone merged with its emoji in some terminals only (the
         * emoji as shown last: so that showing the result again agrees). */
    } else if (cp >= 0xE0000 && cp <= 0xE007F && w->kept == i && i > 0 &&
               uc_is_property_extended_pictographic(w->u[i - 1].cp) && tag_run(w, i) > i) {
        size_t end = tag_run(w, i);
        for (; i < end; i++)
            show_raw(w, i);
        return end;
    } else if (is_hidden(cp)) {
        show_escaped(w, i);
    } else if (is_ri(cp)) {
        /* Flags are pairs; a lone regional indicator is one column in some
         * terminals and two in others. Pairs are taken whole, so one met
         * here starts a pair or stands alone. */
        if (i + 1 < w->n && is_ri(w->u[i + 1].cp)) {
            show_raw(w, i);
            show_raw(w, i + 1);
            w->base = 1;
            w->marks = 0;
            return i + 2;
        }
        show_escaped(w, i);
    } else {
        int cw = cp_width(cp);
        if (cw < 0) {
            show_escaped(w, i);
        } else if (cw == 0) {
            show_mark(w, i);
        } else {
            show_raw(w, i);
            w->base = 1;
            w->marks = 0;
        }
    }
    return i + 1;
}

/* Appends the display form of s[0..n) to b. */
static void show_text(struct sbuf *b, const char *s, size_t n, int doc)
{
    size_t i = 0;
    /* Printable ASCII, most of any text, is its own display form. */
    while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
        i++;
    sbuf_addn(b, s, i);
    if (i == n)
        return;
    /* The character before the rest is its context (a base for marks). */
    size_t from = i ? i - 1 : 0;
    /* Names fit on the stack; long notes take the heap. */
    struct ucp stack[128], *heap = NULL, *u = stack;
    size_t cap = sizeof stack / sizeof stack[0], nu = 0;
    for (size_t k = from; k < n;) {
        if (nu == cap) {
            cap *= 2;
            heap = kreallocarray(heap, cap, sizeof *heap);
            if (u == stack)
                memcpy(heap, stack, nu * sizeof *u);
            u = heap;
        }
        unsigned cp;
        size_t len = utf8_decode(s + k, n - k, &cp);
        u[nu] = (struct ucp){k, cp, (unsigned char)len, cp == 0xFFFD && len == 1};
        nu++;
        k += len;
    }
    struct shower w = {b, s, u, nu, doc, 0, 0, 0, 0};
    size_t k = 0;
    if (i) {
        w.base = 1; /* printable ASCII, already appended */
        w.kept = k = 1;
        w.last = u[0].cp;
    }
    while (k < nu) {
        /* Runs of printable ASCII in the rest go at once too. */
        if (u[k].cp >= 0x20 && u[k].cp < 0x7F) {
            size_t e = k + 1;
            while (e < nu && u[e].cp >= 0x20 && u[e].cp < 0x7F)
                e++;
            sbuf_addn(b, s + u[k].off, u[e - 1].off + 1 - u[k].off);
            w.base = 1;
            w.marks = 0;
            w.last = u[e - 1].cp;
            w.kept = k = e;
            continue;
        }
        k = show_one(&w, k);
    }
    free(heap);
}

char *kstr_escape(const char *s)
{
    struct sbuf b = {0};
    show_text(&b, s ? s : "", s ? strlen(s) : 0, 0);
    return sbuf_take(&b);
}

char *kstr_shell(const char *s)
{
    char *d = kstr_escape(s);
    int bare = d[0] != 0;
    for (const char *p = d; *p && bare; p++)
        bare = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               strchr("_./:@%+,=-", *p) != NULL;
    if (bare)
        return d;
    struct sbuf b = {0};
    sbuf_addc(&b, '\'');
    for (const char *p = d; *p; p++) {
        if (*p == '\'')
            sbuf_addn(&b, "'\\''", 4);
        else
            sbuf_addc(&b, *p);
    }
    sbuf_addc(&b, '\'');
    free(d);
    return sbuf_take(&b);
}

void kstr_escape_doc(struct sbuf *b, const char *s, size_t n)
{
    show_text(b, s, n, 1);
}

void kstr_json_tty(struct sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
            size_t j = i + 1;
            while (j < n && (((unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F) ||
                             s[j] == '\n' || s[j] == '\t'))
                j++;
            sbuf_addn(b, s + i, j - i);
            i = j;
            continue;
        }
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1)
            sbuf_add(b, "\\ufffd");
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || is_hidden(cp)) {
            if (cp < 0x10000)
                sbuf_printf(b, "\\u%04x", cp);
            else
                sbuf_printf(b, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
                            0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            sbuf_addn(b, s + i, k);
        }
        i += k;
    }
}

static int is_ascii_text(const char *s, size_t n)
{
    /* Eight bytes at a time: a list fits five cells a row this way. A
     * byte b is outside 0x20..0x7E when its high bit is set, when b - 0x20
     * borrows (which sets the high bit of b's byte: a borrow passed on
     * to the next byte comes from a byte already found) or when b + 1
     * reaches 0x80 (no carry leaves a byte below 0x80). */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & highs)
            return 0;
        if (((w - 0x20 * ones) | (w + ones)) & highs)
            return 0;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7F)
            return 0;
    return 1;
}

/* Columns of text in display form (every code point has a width). */
static int shown_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_decode(s + i, n - i, &cp);
        int cw = cp_width(cp);
        w += cw > 0 ? cw : 0;
    }
    return w;
}

int kstr_width(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (is_ascii_text(s, n))
        return (int)n;
    char *esc = kstr_escape(s);
    int w = shown_width(esc, strlen(esc));
    free(esc);
    return w;
}

static void pad(struct sbuf *b, int n)
{
    static const char blanks[] = "                                ";
    for (; n > 0; n -= (int)sizeof blanks - 1)
        sbuf_addn(b, blanks, n < (int)sizeof blanks - 1 ? (size_t)n : sizeof blanks - 1);
}

void kstr_fit(struct sbuf *b, const char *s, int width, int right_align)
{
    if (width <= 0)
        return;
    size_t n = s ? strlen(s) : 0;
    int ascii = is_ascii_text(s, n);
    if (ascii && n <= (size_t)width) {
        /* Most cells of a listing: the text and its padding in place. */
        size_t w = (size_t)width, gap = w - n;
        sbuf_grow(b, w);
        char *p = b->s + b->len;
        memset(right_align ? p : p + n, ' ', gap);
        if (n) {
            /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): ended below */
            memcpy(right_align ? p + gap : p, s, n);
        }
        b->len += w;
        b->s[b->len] = '\0';
        return;
    }
    struct sbuf e = {0};
    if (!ascii)
        show_text(&e, s, n, 0);
    const char *t = ascii ? (s ? s : "") : e.s;
    n = ascii ? n : e.len;
    int total = ascii ? (int)n : shown_width(t, n);
    if (total <= width) {
        if (right_align)
            pad(b, width - total);
        sbuf_addn(b, t, n);
        if (!right_align)
            pad(b, width - total);
        sbuf_free(&e);
        return;
    }
    /* Cut between grapheme clusters, never inside one (a letter and its
     * accents, a flag's two halves, a Hangul syllable's jamo). */
    char *brk = NULL;
    if (!ascii) {
        brk = kmalloc(n);
        u8_grapheme_breaks((const uint8_t *)t, n, brk);
    }
    int used = 0;
    size_t i = 0, last = 0;
    while (i < n) {
        size_t j = i + 1;
        while (brk && j < n && !brk[j])
            j++;
        int cw = ascii ? 1 : shown_width(t + i, j - i);
        if (used + cw > width - 1)
            break;
        used += cw;
        last = i;
        i = j;
    }
    /* A ZWNJ kept for the letter after it loses that letter at the cut:
     * left out there, as it would be escaped once shown again. One after
     * a virama is kept for the virama: it stays. */
    sbuf_addn(b, t, last);
    for (size_t k = last; k < i; k++) {
        ucs4_t prev = 0;
        if (i - k >= 3 && !memcmp(t + k, "\xE2\x80\x8C", 3) &&
            !(u8_prev(&prev, (const uint8_t *)t + k, (const uint8_t *)t) &&
              uc_combining_class(prev) == UC_CCC_VR))
            k += 2;
        else
            sbuf_addc(b, t[k]);
    }
    sbuf_add(b, "…");
    pad(b, width - used - 1);
    free(brk);
    sbuf_free(&e);
}

/* Edits between a and b, a swap of two neighbours counting as one ("lsit"
 * is one from "list", as a typist sees it, and two from "edit"). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *kstr_nearest(const char *s, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(s, cands[i]);
        /* Two edits make any short word into another ("foo", "log"). */
        if (d < bestd && 2 * d <= strlen(s)) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}
