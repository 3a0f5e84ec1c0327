#include "kith/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
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
    struct sbuf b = {0};
    size_t n = strlen(f);
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

char *kstr_escape(const char *s)
{
    struct sbuf b = {0};
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            /* Printable ASCII, most of any text: copied a run at a time
             * (kith today escapes every field of tens of thousands of rows). */
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F)
                j++;
            sbuf_addn(&b, s + i, j - i);
            i = j;
            continue;
        }
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1 && c >= 0x80) {
            sbuf_printf(&b, "\\x%02X", c);
        } else if (cp == '\n') {
            sbuf_add(&b, "\\n");
        } else if (cp == '\t') {
            sbuf_add(&b, "\\t");
        } else if (cp == '\r') {
            sbuf_add(&b, "\\r");
        } else if (cp == 0x1B) {
            sbuf_add(&b, "\\e");
        } else if (cp < 0x20 || cp == 0x7F) {
            sbuf_printf(&b, "\\x%02X", cp);
        } else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            /* C1 controls and bidi overrides can reorder or hijack the line. */
            sbuf_printf(&b, "\\u{%04X}", cp);
        } else {
            sbuf_addn(&b, s + i, k);
        }
        i += k;
    }
    return sbuf_take(&b);
}

static int cp_width(unsigned cp)
{
    int w = wcwidth((wchar_t)cp);
    if (w >= 0)
        return w;
    /* Locale without the code point: wide East Asian and emoji ranges. */
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return cp < 0x20 ? 0 : 1;
}

int kstr_width(const char *s)
{
    int w = 0;
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_decode(s + i, n - i, &cp);
        w += cp_width(cp);
    }
    return w;
}

void kstr_fit(struct sbuf *b, const char *s, int width, int right_align)
{
    if (width <= 0)
        return;
    size_t n = s ? strlen(s) : 0;
    int total = kstr_width(s);
    if (total <= width) {
        if (right_align)
            for (int i = total; i < width; i++)
                sbuf_addc(b, ' ');
        sbuf_addn(b, s ? s : "", n);
        if (!right_align)
            for (int i = total; i < width; i++)
                sbuf_addc(b, ' ');
        return;
    }
    int used = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        int cw = cp_width(cp);
        if (used + cw > width - 1)
            break;
        sbuf_addn(b, s + i, k);
        used += cw;
        i += k;
    }
    sbuf_add(b, "…");
    used++;
    for (; used < width; used++)
        sbuf_addc(b, ' ');
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
