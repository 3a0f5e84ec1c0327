/* libFuzzer target: text on a terminal. For any bytes, the display form
 * (kstr_escape) is valid UTF-8 without anything that acts on a terminal or
 * hides, has a width for every character, and escapes to itself; kstr_fit
 * gives exactly the width asked for, cut between grapheme clusters of the
 * display form; kstr_escape_doc keeps only line breaks and tabs raw; and
 * kstr_json_tty leaves JSON meaning the same text (read back by SQLite)
 * with nothing raw that would act on a terminal. The first byte picks the
 * width to fit to. */
#include "kith/util/kstr.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#include <wchar.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Characters that must never reach a terminal raw from kstr_escape. */
static int never_shown(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || cp == 0x200B || cp == 0x200D ||
           cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFE0E || cp == 0xFE0F || cp == 0x061C || cp == 0x3164 || cp == 0x115F;
}

static void check_display(const char *s, const char *esc)
{
    size_t n = strlen(esc);
    CHECK(utf8_valid(esc, n), "escape gave invalid UTF-8 for '%s'", s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_decode(esc + i, n - i, &cp);
        CHECK(!never_shown(cp), "U+%04X raw in the display form of '%s'", cp, s);
        CHECK(wcwidth((wchar_t)cp) >= 0, "U+%04X (no width) raw in '%s'", cp, s);
    }
    char *again = kstr_escape(esc);
    CHECK(!strcmp(again, esc), "escaping '%s' again gave '%s'", esc, again);
    free(again);
    CHECK(kstr_width(s) == kstr_width(esc), "width of '%s' differs from its display form", s);
}

static void check_fit(const char *s, const char *esc, int width)
{
    for (int right = 0; right < 2; right++) {
        struct sbuf b = {0};
        kstr_fit(&b, s, width, right);
        const char *got = b.s ? b.s : "";
        CHECK(utf8_valid(got, strlen(got)), "fit gave invalid UTF-8 for '%s'", s);
        CHECK(kstr_width(got) == width, "fit of '%s' to %d is %d wide: '%s'", s, width,
              kstr_width(got), got);
        int total = kstr_width(esc), pad = width - total;
        size_t len = strlen(got), n = strlen(esc);
        if (total <= width) {
            /* All of it, padded on the side asked for. */
            const char *at = right ? got + pad : got;
            CHECK(len == n + (size_t)pad && !strncmp(at, esc, n),
                  "fit of '%s' to %d is not its display form padded: '%s'", s, width, got);
        } else {
            /* The start of the display form, ending between two of its
             * grapheme clusters, then "…" and spaces. */
            while (len && got[len - 1] == ' ')
                len--;
            CHECK(len >= 3 && !memcmp(got + len - 3, "…", 3), "fit of '%s' without …: '%s'", s,
                  got);
            len -= 3;
            /* (Less a ZWNJ at the cut, which lost the letter it was for.) */
            size_t k = 0;
            while (k < len && k < n && got[k] == esc[k])
                k++;
            size_t at = k;
            if (k < len || (k < n && k + 3 <= n && !memcmp(esc + k, "\xE2\x80\x8C", 3))) {
                CHECK(k + 3 <= n && !memcmp(esc + k, "\xE2\x80\x8C", 3),
                      "fit of '%s' is not the start of '%s': '%s'", s, esc, got);
                at = k + 3;
                CHECK(!strncmp(got + k, esc + at, len - k),
                      "fit of '%s' is not the start of '%s': '%s'", s, esc, got);
                at += len - k;
            }
            if (at < n) {
                char *brk = malloc(n);
                u8_grapheme_breaks((const uint8_t *)esc, n, brk);
                CHECK(brk[at], "fit of '%s' cut inside a cluster: '%s'", s, got);
                free(brk);
            }
            char *kept = kstr_ndup(got, len);
            char *again = kstr_escape(kept);
            CHECK(!strcmp(kept, again), "fit of '%s' keeps '%s', which shows as '%s'", s, kept,
                  again);
            free(again);
            free(kept);
        }
        sbuf_free(&b);
    }
}

static void check_doc(const char *s, size_t n)
{
    struct sbuf b = {0};
    kstr_escape_doc(&b, s, n);
    const char *d = b.s ? b.s : "";
    size_t dn = b.len;
    CHECK(utf8_valid(d, dn), "escape_doc gave invalid UTF-8");
    for (size_t i = 0; i < dn;) {
        unsigned cp;
        i += utf8_decode(d + i, dn - i, &cp);
        if (cp == '\n' || cp == '\t' || (cp == '\r' && i < dn && d[i] == '\n'))
            continue;
        CHECK(!never_shown(cp), "U+%04X raw in escape_doc", cp);
    }
    sbuf_free(&b);
}

static sqlite3 *db;

/* The JSON of s made safe for a terminal still reads as s. */
static void check_json(const char *s, size_t n)
{
    sqlite3_stmt *st = NULL;
    if (!db && sqlite3_open(":memory:", &db) != SQLITE_OK)
        abort();
    sqlite3_prepare_v2(db, "SELECT json_quote(?1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, s, (int)n, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_ROW, "json_quote failed");
    const char *json = (const char *)sqlite3_column_text(st, 0);
    struct sbuf b = {0};
    kstr_json_tty(&b, json, strlen(json));
    sqlite3_finalize(st);
    for (size_t i = 0; i < b.len;) {
        unsigned cp;
        i += utf8_decode(b.s + i, b.len - i, &cp);
        CHECK(!never_shown(cp), "U+%04X raw in JSON for a terminal: %s", cp, b.s);
    }
    sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$') = ?2", -1, &st, NULL);
    sqlite3_bind_text(st, 1, b.s, (int)b.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, s, (int)n, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1,
          "JSON for a terminal reads as other text: %s", b.s);
    sqlite3_finalize(st);
    sbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setlocale(LC_CTYPE, "C.UTF-8");
        init = 1;
    }
    if (!size)
        return 0;
    int width = data[0] % 40 + 1;
    /* Text is a C string: it stops at the first NUL, as stored text does. */
    char *s = kstr_ndup((const char *)data + 1, size - 1);
    size_t n = strlen(s);
    char *esc = kstr_escape(s);
    check_display(s, esc);
    check_fit(s, esc, width);
    check_doc(s, n);
    if (utf8_valid(s, n))
        check_json(s, n);
    size_t cut = utf8_cut(s, (size_t)width);
    CHECK(cut <= (size_t)width && cut <= n, "utf8_cut past its bound");
    if (utf8_valid(s, n))
        CHECK(utf8_valid(s, cut), "utf8_cut split a character");
    free(esc);
    free(s);
    return 0;
}
