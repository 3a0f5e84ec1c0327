#include "testutil.h"

#include "kith/util/kerr.h"
#include "kith/util/kstr.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int valid(const char *s)
{
    return utf8_valid(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(valid("plain ascii"));
    assert_true(valid("Élodie Ñuñez 中文 😀"));
    assert_true(valid("\xEF\xBF\xBD"));     /* a real U+FFFD */
    assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
    assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, just below the surrogates */
    assert_true(valid("\xEE\x80\x80"));     /* U+E000, just above them */

    /* Overlong forms of '/', NUL and U+07FF / U+FFFF. */
    assert_false(valid("\xC0\xAF"));
    assert_false(valid("\xC1\xBF"));
    assert_false(valid("\xC0\x80"));
    assert_false(valid("\xE0\x80\xAF"));
    assert_false(valid("\xE0\x9F\xBF"));
    assert_false(valid("\xF0\x80\x80\xAF"));
    assert_false(valid("\xF0\x8F\xBF\xBF"));
    /* UTF-16 surrogates, alone and as a pair. */
    assert_false(valid("\xED\xA0\x80"));
    assert_false(valid("\xED\xBF\xBF"));
    assert_false(valid("\xED\xA0\xBD\xED\xB8\x80"));
    /* Past U+10FFFF, and bytes that can never appear. */
    assert_false(valid("\xF4\x90\x80\x80"));
    assert_false(valid("\xF7\xBF\xBF\xBF"));
    assert_false(valid("\xF8\x88\x80\x80\x80"));
    assert_false(valid("\xFE"));
    assert_false(valid("\xFF"));
    /* Truncated sequences, at the end and in the middle. */
    assert_false(valid("\xC3"));
    assert_false(valid("abc\xE4\xB8"));
    assert_false(valid("\xF0\x9F\x98"));
    assert_false(valid("\xE4\xB8 ok"));
    /* A lone continuation byte. */
    assert_false(valid("\x80"));
    assert_false(valid("a\xBF"
                       "b"));
    /* The length is honoured: a valid character cut by n is invalid. */
    assert_false(utf8_valid("\xC3\xA9", 1));
    assert_true(utf8_valid("\xC3\xA9\xFF", 2));
}

/* utf8_valid skips ASCII eight bytes at a time: a bad sequence, a good
 * one and a cut one at every place of an ASCII run, the length honoured. */
static void test_utf8_valid_ascii_runs(void **state)
{
    (void)state;
    static const struct {
        const char *seq;
        int ok;
    } seqs[] = {{"\xC3\xA9", 1}, {"\xF0\x9F\x98\x80", 1}, {"\xFF", 0},
                {"\x80", 0},     {"\xC0\xAF", 0},         {"\xE4\xB8", 0}};
    for (size_t k = 0; k < sizeof seqs / sizeof seqs[0]; k++)
        for (size_t at = 0; at <= 24; at++) {
            char buf[64];
            size_t len = strlen(seqs[k].seq);
            memset(buf, 'a', at);
            memcpy(buf + at, seqs[k].seq, len);
            memset(buf + at + len, 'z', 11);
            size_t n = at + len + 11;
            assert_int_equal(utf8_valid(buf, n), seqs[k].ok);
            /* Cut just after the sequence's first byte: never valid. */
            if (len > 1)
                assert_false(utf8_valid(buf, at + 1));
            assert_true(utf8_valid(buf, at));
        }
}

static void test_utf8_roundtrip(void **state)
{
    (void)state;
    static const unsigned cps[] = {0x00,   0x41,   0x7F,    0x80,    0x7FF,
                                   0x800,  0xE9,   0x4E2D,  0xD7FF,  0xE000,
                                   0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    static const size_t lens[] = {1, 1, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 4, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        unsigned back = 0;
        size_t n = utf8_encode(cps[i], buf);
        assert_int_equal(n, lens[i]);
        assert_true(utf8_valid(buf, n));
        assert_int_equal(utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    /* Every code point outside the surrogates survives a round trip. */
    for (unsigned cp = 1; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[4];
        unsigned back = 0;
        size_t n = utf8_encode(cp, buf);
        assert_int_equal(utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cp);
    }
    /* Invalid input decodes as U+FFFD and consumes one byte. */
    unsigned cp = 0;
    assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xE4\xB8", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_decode("\xC3\xA9", 1, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
}

/* f, named name, turns in into want: a new string (check_str) or the text
 * it writes to a buffer (check_writes). */
static void expect_text(const char *name, const char *in, const char *got, const char *want)
{
    if (strcmp(got, want))
        print_error("%s('%s'): got '%s', want '%s'\n", name, in ? in : "NULL", got, want);
    assert_string_equal(got, want);
}

static void check_str(char *(*f)(const char *), const char *name, const char *in, const char *want)
{
    char *got = f(in);
    expect_text(name, in, got, want);
    free(got);
}

static void check_writes(void (*w)(struct sbuf *, const char *, size_t), const char *name,
                         const char *in, const char *want)
{
    struct sbuf b = {0};
    w(&b, in, strlen(in));
    expect_text(name, in, b.s ? b.s : "", want);
    sbuf_free(&b);
}

#define check_escape(in, want) check_str(kstr_escape, "kstr_escape", in, want)
#define check_fold(in, want)   check_str(kstr_fold, "kstr_fold", in, want)
#define expect_key(in, want)   check_str(kstr_fold_key, "kstr_fold_key", in, want)
#define check_doc(in, want)    check_writes(kstr_escape_doc, "kstr_escape_doc", in, want)
#define check_json(in, want)   check_writes(kstr_json_tty, "kstr_json_tty", in, want)

static void test_escape(void **state)
{
    (void)state;
    check_escape(NULL, "");
    check_escape("", "");
    /* Normal text, including every kind of multibyte UTF-8, is kept. */
    check_escape("Ana Ruiz, VP", "Ana Ruiz, VP");
    check_escape("Élodie Ñuñez · 中文 · 😀 · e\xCC\x81", "Élodie Ñuñez · 中文 · 😀 · e\xCC\x81");
    /* C0 controls. */
    check_escape("a\nb\tc\rd", "a\\nb\\tc\\rd");
    check_escape("\x01\x07\x08\x1F", "\\x01\\x07\\x08\\x1F");
    /* ESC: a colour or a title-setting sequence is shown, not run. */
    check_escape("\x1B[31mred\x1B[0m", "\\e[31mred\\e[0m");
    check_escape("\x1B]0;pwned\x07", "\\e]0;pwned\\x07");
    /* DEL. */
    check_escape("a\x7F"
                 "b",
                 "a\\x7Fb");
    /* C1 controls (U+0080..U+009F), e.g. the 8-bit CSI U+009B. */
    check_escape("\xC2\x80", "\\u{0080}");
    check_escape("\xC2\x9B"
                 "31m",
                 "\\u{009B}31m");
    check_escape("\xC2\x9F", "\\u{009F}");
    check_escape("\xC2\xA0", "\xC2\xA0"); /* no-break space is text */
    /* Bidi overrides and isolates, and the line/paragraph separators. */
    check_escape("\xE2\x80\xAE"
                 "evil",
                 "\\u{202E}evil");
    check_escape("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD",
                 "\\u{202A}\\u{202B}\\u{202C}\\u{202D}");
    check_escape("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9",
                 "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
    check_escape("\xE2\x80\xA8\xE2\x80\xA9", "\\u{2028}\\u{2029}");
    /* Invalid bytes become \xHH, one per byte, and the rest is kept. */
    check_escape("a\xFF"
                 "b",
                 "a\\xFFb");
    check_escape("\xC0\xAF", "\\xC0\\xAF");
    check_escape("\xED\xA0\x80", "\\xED\\xA0\\x80");
    check_escape("ok\xE4\xB8", "ok\\xE4\\xB8");
    check_escape("\xC3"
                 "é",
                 "\\xC3é");

    /* The result is always valid UTF-8 without control characters. */
    char all[256];
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    char *esc = kstr_escape(all);
    assert_true(utf8_valid(esc, strlen(esc)));
    for (const char *p = esc; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
    free(esc);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(kstr_width(NULL), 0);
    assert_int_equal(kstr_width(""), 0);
    assert_int_equal(kstr_width("Ana Ruiz"), 8);
    assert_int_equal(kstr_width("Élodie"), 6);
    assert_int_equal(kstr_width("Ñuñez Çağlar"), 12);
    /* Combining marks take no column: e + COMBINING ACUTE, a + ring + dot. */
    assert_int_equal(kstr_width("e\xCC\x81"), 1);
    assert_int_equal(kstr_width("Zoe\xCC\x88 a\xCC\x8A\xCC\xA3"), 5);
    /* CJK and Hangul are two columns each. */
    assert_int_equal(kstr_width("中文"), 4);
    assert_int_equal(kstr_width("王小明 Li"), 9);
    assert_int_equal(kstr_width("한국"), 4);
    assert_int_equal(kstr_width("ｶﾀｶﾅ"), 4); /* halfwidth katakana stay 1 */
    assert_int_equal(kstr_width("ＡＢ"), 4); /* fullwidth Latin is 2 */
    /* Emoji are two columns. */
    assert_int_equal(kstr_width("😀"), 2);
    assert_int_equal(kstr_width("🎉 party"), 8);
    assert_int_equal(kstr_width("🤝"), 2);
    /* The ellipsis that kstr_fit uses is one column. */
    assert_int_equal(kstr_width("…"), 1);
}

/* The printable-ASCII test that lets kstr_width and kstr_fit skip the
 * escaping pass reads eight bytes at a time: every byte value, at every
 * place of a word and of the tail after the words, is told apart. */
static void test_width_ascii_words(void **state)
{
    (void)state;
    char s[20];
    for (size_t len = 1; len < sizeof s; len++) {
        for (size_t pos = 0; pos < len; pos++) {
            for (int c = 1; c < 256; c++) {
                memset(s, 'a', len);
                s[len] = '\0';
                s[pos] = (char)c;
                int printable = c >= 0x20 && c < 0x7F;
                /* Anything else is escaped (\u0001, \ufffd): wider. */
                if (printable)
                    assert_int_equal(kstr_width(s), (int)len);
                else
                    assert_true(kstr_width(s) > (int)len);
                struct sbuf b = {0};
                kstr_fit(&b, s, (int)len + 8, 0);
                if (printable)
                    assert_memory_equal(b.s, s, len);
                else
                    assert_true(memcmp(b.s, s, len) != 0);
                sbuf_free(&b);
            }
        }
    }
}

static void check_fit(const char *s, int width, int right, const char *want)
{
    struct sbuf b = {0};
    kstr_fit(&b, s, width, right);
    const char *got = b.s ? b.s : "";
    if (strcmp(got, want))
        fail_msg("kstr_fit('%s', %d, %d): got '%s', want '%s'", s, width, right, got, want);
    if (width > 0)
        assert_int_equal(kstr_width(got), width);
    assert_true(utf8_valid(got, strlen(got)));
    sbuf_free(&b);
}

static void test_fit(void **state)
{
    (void)state;
    /* Padding, left and right aligned. */
    check_fit("Ana", 6, 0, "Ana   ");
    check_fit("Ana", 6, 1, "   Ana");
    check_fit("+4", 4, 1, "  +4");
    check_fit("", 3, 0, "   ");
    check_fit(NULL, 2, 0, "  ");
    check_fit("Ana", 3, 0, "Ana");
    check_fit("Élodie", 8, 0, "Élodie  ");
    check_fit("中文", 5, 0, "中文 ");
    check_fit("中文", 5, 1, " 中文");
    check_fit("e\xCC\x81", 2, 0, "e\xCC\x81 ");
    /* Truncation with an ellipsis. */
    check_fit("Benjamin Okafor", 8, 0, "Benjami…");
    check_fit("Benjamin Okafor", 8, 1, "Benjami…");
    check_fit("Élodie Dupont", 5, 0, "Élod…");
    check_fit("abcd", 3, 0, "ab…");
    /* A wide character is never split: a column of padding instead. */
    check_fit("中文字", 4, 0, "中… ");
    check_fit("中文字", 5, 0, "中文…");
    check_fit("a中文", 3, 0, "a… ");
    check_fit("😀😀😀", 4, 0, "😀… ");
    /* A ZWNJ after a virama belongs to the virama and stays at the cut
     * (found by fuzz_text: they were dropped inside the cluster); one
     * that joined two Arabic letters goes with the letter cut off. */
    check_fit("ab\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA5\x8D\xE2\x80\x8C"
              "xyz",
              4, 0, "ab\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA5\x8D\xE2\x80\x8C…");
    check_fit("ab\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88", 5, 0, "ab\xD9\x85\xDB\x8C…");
    /* Width 1 and 0. */
    check_fit("abc", 1, 0, "…");
    check_fit("中", 1, 0, "…");
    check_fit("a", 1, 0, "a");
    check_fit("abc", 0, 0, "");
    check_fit("abc", -3, 0, "");

    /* kstr_fit appends. */
    struct sbuf b = {0};
    sbuf_add(&b, "[");
    kstr_fit(&b, "xy", 3, 0);
    sbuf_add(&b, "]");
    assert_string_equal(b.s, "[xy ]");
    sbuf_free(&b);
}

/* Zero-width and bidi characters are shown, so that a name with one cannot
 * pass for the name without it. */
static void test_escape_invisible(void **state)
{
    (void)state;
    check_escape("An\xE2\x80\x8B"
                 "a",
                 "An\\u{200B}a");
    /* Every one the issue names: U+200B..U+200F, U+202A..U+202E,
     * U+2060..U+2069, U+FEFF, U+00AD. */
    static const unsigned cps[] = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
                                   0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2065,
                                   0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char in[16], want[32], enc[4];
        size_t k = utf8_encode(cps[i], enc);
        snprintf(in, sizeof in, "Ana%.*sRuiz", (int)k, enc);
        snprintf(want, sizeof want, "Ana\\u{%04X}Ruiz", cps[i]);
        check_escape(in, want);
    }
    /* Other invisible and format characters: combining grapheme joiner,
     * Arabic letter mark, Mongolian vowel separator, Hangul fillers,
     * interlinear annotation, a language tag. */
    check_escape("a\xCD\x8F"
                 "b",
                 "a\\u{034F}b");
    check_escape("\xD8\x9C"
                 "x",
                 "\\u{061C}x");
    check_escape("a\xE1\xA0\x8E", "a\\u{180E}");
    check_escape("\xE3\x85\xA4", "\\u{3164}");
    check_escape("\xEF\xBE\xA0", "\\u{FFA0}");
    check_escape("\xE1\x85\x9F", "\\u{115F}");
    check_escape("\xEF\xBF\xB9", "\\u{FFF9}");
    check_escape("\xF3\xA0\x80\x81", "\\u{E0001}");
    /* Tag characters spelling hidden ASCII are shown. */
    check_escape("Ana\xF3\xA0\x81\xA8\xF3\xA0\x81\xA9", "Ana\\u{E0068}\\u{E0069}");
    /* Visible format characters (Arabic number sign) stay. */
    check_escape("\xD8\x80"
                 "12",
                 "\xD8\x80"
                 "12");
    /* A mark with nothing to sit on, first or after an escape, is shown. */
    check_escape("\xCC\x81"
                 "Ana",
                 "\\u{0301}Ana");
    check_escape("a\n\xCC\x81", "a\\n\\u{0301}");
    check_escape(" \xCC\x81", " \xCC\x81"); /* on a space is how one writes it */
    /* Up to four marks on a letter; the rest of a "Zalgo" stack is shown. */
    check_escape("e\xCC\x81\xCC\x82\xCC\x83\xCC\x84", "e\xCC\x81\xCC\x82\xCC\x83\xCC\x84");
    check_escape("e\xCC\x81\xCC\x82\xCC\x83\xCC\x84\xCC\x85\xCC\x86",
                 "e\xCC\x81\xCC\x82\xCC\x83\xCC\x84\\u{0305}\\u{0306}");
    /* Code points the C library does not know (unassigned, noncharacters)
     * have no agreed width. */
    check_escape("a\xCD\xB8"
                 "b",
                 "a\\u{0378}b");
    check_escape("\xEF\xBF\xBF", "\\u{FFFF}");
}

/* Emoji sequences: shown as what every terminal draws the same width. */
static void test_escape_emoji(void **state)
{
    (void)state;
    /* A ZWJ sequence: the joiner is left out (tmux draws the sequence in
     * one cell, xterm side by side); between letters it is shown. */
    check_escape("Dev 👩\xE2\x80\x8D💻", "Dev 👩💻");
    check_escape("👨\xE2\x80\x8D👩\xE2\x80\x8D👧", "👨👩👧");
    check_escape("a\xE2\x80\x8D"
                 "b",
                 "a\\u{200D}b");
    check_escape("👩\xE2\x80\x8D"
                 "b",
                 "👩\\u{200D}b");
    check_escape("\xE2\x80\x8D👩", "\\u{200D}👩");
    /* With a modifier or VS16 before the joiner (GB11: Extend*). */
    check_escape("👩🏽\xE2\x80\x8D💻", "👩💻");
    check_escape("🏳\xEF\xB8\x8F\xE2\x80\x8D🌈", "🏳🌈");
    /* VS16 and VS15 are left out after a character, shown alone. */
    check_escape("Love ❤\xEF\xB8\x8F", "Love ❤");
    check_escape("✈\xEF\xB8\x8E", "✈");
    check_escape("\xEF\xB8\x8F", "\\u{FE0F}");
    /* Keycaps keep their enclosing mark. */
    check_escape("1\xEF\xB8\x8F\xE2\x83\xA3", "1\xE2\x83\xA3");
    /* Skin tones are left out after an emoji; alone they are a swatch. */
    check_escape("👍🏽", "👍");
    check_escape("🏽", "🏽");
    /* Flags are pairs of regional indicators; a lone one is shown. */
    check_escape("🇺🇸", "🇺🇸");
    check_escape("🇺🇸🇫🇷", "🇺🇸🇫🇷");
    check_escape("🇺🇸🇫", "🇺🇸\\u{1F1EB}");
    check_escape("x🇺", "x\\u{1F1FA}");
    /* A subdivision flag (black flag, tags "gbsct", cancel tag) stays. */
    check_escape(
        "🏴\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xB3\xF3\xA0\x81\xA3\xF3\xA0\x81\xB4"
        "\xF3\xA0\x81\xBF",
        "🏴\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xB3\xF3\xA0\x81\xA3\xF3\xA0\x81\xB4"
        "\xF3\xA0\x81\xBF");
    /* Without its cancel tag, or too long to be a flag, it is shown. */
    check_escape("🏴\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2", "🏴\\u{E0067}\\u{E0062}");
    check_escape(
        "🏴\xF3\xA0\x81\xA1\xF3\xA0\x81\xA1\xF3\xA0\x81\xA1\xF3\xA0\x81\xA1\xF3\xA0\x81\xA1"
        "\xF3\xA0\x81\xA1\xF3\xA0\x81\xA1\xF3\xA0\x81\xBF",
        "🏴\\u{E0061}\\u{E0061}\\u{E0061}\\u{E0061}\\u{E0061}\\u{E0061}\\u{E0061}"
        "\\u{E007F}");
}

/* Joiners that scripts need are kept (the ZWJ after a virama is left out
 * like any other: tmux would merge the next letter into its cell). */
static void test_escape_scripts(void **state)
{
    (void)state;
    /* Persian: ZWNJ between two joining letters (mi-khaham). */
    check_escape("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
                 "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
    /* ZWNJ after a right-joining letter (alef) joins nothing: shown. */
    check_escape("\xD8\xA7\xE2\x80\x8C\xD8\xA8", "\xD8\xA7\\u{200C}\xD8\xA8");
    /* Devanagari: ZWNJ after a virama (explicit halant) stays; ZWJ after a
     * virama (half form) is left out. */
    check_escape("\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA4\xB7",
                 "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE0\xA4\xB7");
    check_escape("\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7",
                 "\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB7");
    /* Hangul jamo, CJK with an ideographic variation selector. */
    check_escape("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8");
    check_escape("\xE8\xBE\xBB\xF3\xA0\x84\x80", "\xE8\xBE\xBB\xF3\xA0\x84\x80");
}

static const char *const hostile[] = {
    "An\xE2\x80\x8B"
    "a",
    "Dev 👩\xE2\x80\x8D💻 Kim",
    "🇺🇸🇫",
    "❤\xEF\xB8\x8F",
    "👍🏽\xE2\x80\x8D",
    "e\xCC\x81\xCC\x82\xCC\x83\xCC\x84\xCC\x85",
    "\xD9\x85\xDB\x8C\xCC\x81\xCC\x81\xCC\x81\xE2\x80\x8C\xCC\x81\xD8\xAE",
    "\xD9\x85\xE2\x80\x8C\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xD8\xAE",
    "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8C\xE2\x80\x8C\xE2\x80\x8D",
    "x\xE2\x80\x8B\xCC\x81",
    "\xCC\x81\xEF\xB8\x8F\xF0\x9F\x8F\xBD",
    "🏴\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xBF\xCC\x81",
    "a\xFF\xCC\x81\r\n\xE2\x80\xAE",
    "\\u{200B} stays as typed",
};

/* Escaping what is escaped changes nothing, so that text escaped once
 * (lines of a dialog) and again (by the drawing helper) shows the same. */
static void test_escape_idempotent(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        char *once = kstr_escape(hostile[i]);
        char *twice = kstr_escape(once);
        if (strcmp(once, twice))
            fail_msg("escaping '%s' again changed it: '%s'", once, twice);
        assert_int_equal(kstr_width(hostile[i]), kstr_width(once));
        free(once);
        free(twice);
    }
}

/* Widths are counted on the display form: as curses and tmux draw it. */
static void test_width_sequences(void **state)
{
    (void)state;
    assert_int_equal(kstr_width("👩\xE2\x80\x8D💻"), 4); /* drawn side by side */
    assert_int_equal(kstr_width("🇺🇸"), 2);
    assert_int_equal(kstr_width("🇺🇸🇫🇷"), 4);
    assert_int_equal(kstr_width("❤\xEF\xB8\x8F"), 1);
    assert_int_equal(kstr_width("👍🏽"), 2);
    assert_int_equal(kstr_width("1\xEF\xB8\x8F\xE2\x83\xA3"), 1);
    assert_int_equal(kstr_width("An\xE2\x80\x8B"
                                "a"),
                     11);
    assert_int_equal(kstr_width("a\tb"), 4); /* a\tb */
    assert_int_equal(kstr_width("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), 2);
}

/* Fitting never cuts a cluster: not a flag, a letter from its accents, an
 * emoji, nor a multi-byte character. */
static void test_fit_clusters(void **state)
{
    (void)state;
    check_fit("Flag 🇺🇸 Lee", 7, 0, "Flag … ");
    check_fit("Flag 🇺🇸 Lee", 8, 0, "Flag 🇺🇸…");
    check_fit("🇺🇸🇫🇷🇩🇪", 4, 0, "🇺🇸… ");
    check_fit("Zoe\xCC\x88 Lee", 3, 0, "Zo…");
    check_fit("Zoe\xCC\x88 Lee", 4, 0, "Zoe\xCC\x88…");
    check_fit("Ana 😀 Lee", 5, 0, "Ana …");
    check_fit("Ana 😀 Lee", 6, 0, "Ana … ");
    check_fit("Ana 😀 Lee", 7, 0, "Ana 😀…");
    check_fit("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8\xE1\x84\x80\xE1\x85\xA1", 3, 0,
              "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8…");
    /* Fitted text is escaped: the joiner of a ZWJ sequence left out, a
     * zero-width space shown. */
    check_fit("Dev 👩\xE2\x80\x8D💻 Kim", 14, 0, "Dev 👩💻 Kim  ");
    check_fit("An\xE2\x80\x8B"
              "a",
              12, 0, "An\\u{200B}a ");
    check_fit("Evil\rX", 8, 0, "Evil\\rX ");
    /* Every input gives exactly the width asked for, as valid UTF-8. */
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        for (int w = 1; w < 30; w++) {
            struct sbuf b = {0};
            kstr_fit(&b, hostile[i], w, w % 2);
            assert_true(utf8_valid(b.s, b.len));
            assert_int_equal(kstr_width(b.s), w);
            sbuf_free(&b);
        }
}

/* Cutting text to a buffer never leaves half a character. */
static void test_utf8_cut(void **state)
{
    (void)state;
    assert_int_equal(utf8_cut("abc", 10), 3);
    assert_int_equal(utf8_cut("abc", 3), 3);
    assert_int_equal(utf8_cut("abc", 2), 2);
    assert_int_equal(utf8_cut("ab😀c", 2), 2);
    assert_int_equal(utf8_cut("ab😀c", 3), 2);
    assert_int_equal(utf8_cut("ab😀c", 5), 2);
    assert_int_equal(utf8_cut("ab😀c", 6), 6);
    assert_int_equal(utf8_cut("é", 1), 0);
    assert_int_equal(utf8_cut("", 0), 0);
    /* Text already cut in a character (by snprintf) is mended. */
    assert_int_equal(utf8_cut("ab\xF0\x9F\x98", 10), 2);
    assert_int_equal(utf8_cut("ab\xC3", 10), 2);
    assert_int_equal(utf8_cut("ab\xC3\xA9", 10), 4);
    /* Stray continuation bytes: cut where asked. */
    assert_int_equal(utf8_cut("\x80\x80\x80\x80\x80\x80", 5), 5);
    /* An error message quoting a long name ends on a whole character. */
    struct kerr e;
    char name[4000];
    memset(name, 'x', 2038);
    strcpy(name + 2038, "😀😀😀😀");
    kerr_set(&e, K_USAGE, "no '%s'", name);
    assert_true(utf8_valid(e.msg, strlen(e.msg)));
    assert_int_equal(strlen(e.msg), 2046); /* "no '", 2038 x and one emoji */
    assert_string_equal(e.field, "");
    /* As does one that names its field; a plain kerr_set names none. */
    kerr_set_field(&e, K_USAGE, "name", "no '%s'", name);
    assert_true(utf8_valid(e.msg, strlen(e.msg)));
    assert_int_equal(strlen(e.msg), 2046);
    assert_string_equal(e.field, "name");
    kerr_set(&e, K_NOTFOUND, "gone");
    assert_string_equal(e.field, "");
    assert_int_equal(e.status, K_NOTFOUND);
}

/* A document on a terminal keeps its lines; a lone CR (which would write
 * over the line), escapes and bidi overrides are shown. */
static void test_escape_doc(void **state)
{
    (void)state;
    check_doc("BEGIN:VCARD\r\nFN:Ana\r\n", "BEGIN:VCARD\r\nFN:Ana\r\n");
    check_doc("a,b\nc\td\n", "a,b\nc\td\n");
    check_doc("FN:Evil\rGood\r\n", "FN:Evil\\rGood\r\n");
    check_doc("\r", "\\r");
    check_doc("x\xE2\x80\xAE"
              "y\x1B[2J\xC2\x9B\n",
              "x\\u{202E}y\\e[2J\\u{009B}\n");
    check_doc("An\xE2\x80\x8B"
              "a\r\n",
              "An\\u{200B}a\r\n");
}

/* JSON on a terminal: what could act on it or hide becomes a \u escape,
 * which a JSON reader decodes to the same text. */
static void test_json_tty(void **state)
{
    (void)state;
    check_json("[\n{\"name\":\"Ana\"}\n]\n", "[\n{\"name\":\"Ana\"}\n]\n");
    check_json("{\"n\":\"a\xC2\x85"
               "b\x7F"
               "c\"}",
               "{\"n\":\"a\\u0085b\\u007fc\"}");
    check_json("\"\xE2\x80\xAE"
               "x\xE2\x80\x8B\xE2\x80\xA8\"",
               "\"\\u202ex\\u200b\\u2028\"");
    /* Emoji stay, their joiner is escaped (it means the same in JSON). */
    check_json("\"👩\xE2\x80\x8D💻 ❤\xEF\xB8\x8F\"", "\"👩\\u200d💻 ❤\\ufe0f\"");
    /* Past U+FFFF: a surrogate pair. */
    check_json("\"\xF3\xA0\x81\xA8\"", "\"\\udb40\\udc68\"");
    check_json("\"a\xFF"
               "b\"",
               "\"a\\ufffdb\"");
    check_json("\"\x1B\r\"", "\"\\u001b\\u000d\"");
}

static void test_fold_key(void **state)
{
    (void)state;
    expect_key("Élodie Martin", "elodie martin");
    expect_key("Łukasz Żółć", "lukasz zolc");
    expect_key("Straße", "strase");
    expect_key("Ångström", "angstrom");
    expect_key("陈伟", "陈伟");
    expect_key("× ÷", "× ÷");
    expect_key("", "");
    /* ASCII before, between and after other letters; the ASCII letters
     * next to the ends of the range, and the signs beside them, kept. */
    expect_key("Ana", "ana");
    expect_key("ZOË Ünal-Smith", "zoe unal-smith");
    expect_key("@AZ[`az{ É", "@az[`az{ e");
    expect_key("名 Li", "名 li");
    /* Sorting by the key puts Élodie among the Es, before Zed. */
    char *a = kstr_fold_key("Élodie"), *b = kstr_fold_key("Zed");
    assert_true(strcmp(a, b) < 0);
    free(a);
    free(b);
}

static void test_fold(void **state)
{
    (void)state;
    check_fold("", "");
    check_fold("Ana RUIZ 42!", "ana ruiz 42!");
    check_fold("ÉLODIE", "élodie");
    check_fold("Élodie", "élodie");
    check_fold("ÄÖÜ äöü", "äöü äöü");
    check_fold("ÇAĞLAR ÑUÑEZ", "çağlar ñuñez");
    check_fold("ΣΩΚΡΑΤΗΣ", "σωκρατησ");
    check_fold("Ελένη", "ελένη");
    check_fold("ДМИТРИЙ Иванов", "дмитрий иванов");
    check_fold("中文 😀", "中文 😀");
    check_fold("@AZ[`az{", "@az[`az{");
    check_fold("ABC\xC3\x89"
               "DEF ÄB",
               "abcédef äb");
    check_fold("ΩXY", "ωxy");
    /* Invalid bytes are kept as they are. */
    check_fold("A\xFF"
               "B",
               "a\xFF"
               "b");
    /* Folding is idempotent and case-insensitive names compare equal. */
    char *a = kstr_fold("ÉLODIE Ästrom");
    char *b = kstr_fold("élodie ästROM");
    assert_string_equal(a, b);
    char *c = kstr_fold(a);
    assert_string_equal(a, c);
    free(a);
    free(b);
    free(c);
}

static void test_nearest(void **state)
{
    (void)state;
    const char *const c[] = {"list", "log", "today", "tick"};
    assert_string_equal(kstr_nearest("lst", c, 4), "list");
    assert_string_equal(kstr_nearest("todya", c, 4), "today");
    assert_string_equal(kstr_nearest("tikc", c, 4), "tick");
    const char *const e[] = {"edit", "list"};
    assert_string_equal(kstr_nearest("lsit", e, 2), "list");
    assert_string_equal(kstr_nearest("log", c, 4), "log");
    /* Two edits turn any three letters into another word. */
    assert_null(kstr_nearest("foo", c, 4));
    assert_null(kstr_nearest("", c, 4));
    assert_null(kstr_nearest("anything", c, 0));
    char longer[200];
    memset(longer, 'l', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    assert_null(kstr_nearest(longer, c, 4));
}

static void test_sbuf(void **state)
{
    (void)state;
    struct sbuf b = {0};
    char *s = sbuf_take(&b);
    assert_string_equal(s, "");
    free(s);

    sbuf_add(&b, "ab");
    sbuf_add(&b, NULL);
    sbuf_addc(&b, 'c');
    sbuf_addn(&b, "defXYZ", 3);
    sbuf_printf(&b, "-%d-%s", 42, "x");
    assert_string_equal(b.s, "abcdef-42-x");
    assert_int_equal(b.len, strlen("abcdef-42-x"));
    assert_true(b.cap > b.len);

    /* Growth past the first allocation keeps the contents. */
    for (int i = 0; i < 1000; i++)
        sbuf_printf(&b, "%03d", i % 1000);
    assert_int_equal(b.len, 11 + 3000);
    assert_int_equal(strlen(b.s), b.len);
    assert_memory_equal(b.s + 11, "000001002", 9);
    assert_memory_equal(b.s + b.len - 3, "999", 3);

    /* Bytes with NUL in them are counted, not cut. */
    sbuf_free(&b);
    sbuf_addn(&b, "a\0b", 3);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.s, "a\0b", 4);

    s = sbuf_take(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);

    /* An empty printf still leaves a string. */
    sbuf_printf(&b, "%s", "");
    assert_non_null(b.s);
    assert_string_equal(b.s, "");
    sbuf_free(&b);
    assert_null(b.s);
    sbuf_free(NULL);

    char *d = kstr_ndup("hello", 3);
    assert_string_equal(d, "hel");
    kstr_free(&d);
    assert_null(d);
    assert_null(kstr_dup(NULL));
}

/* windows-1252 as browsers read it, and the invisible direction marks
 * phones put around numbers. */
static void test_cp1252_marks(void **state)
{
    (void)state;
    char *s = kstr_from_cp1252("Caf\xe9 \x80 \x96 \x81 \xff", 12);
    assert_string_equal(s, "Café € – \xc2\x81 ÿ");
    assert_true(utf8_valid(s, strlen(s)));
    free(s);
    s = kstr_from_cp1252("", 0);
    assert_string_equal(s, "");
    free(s);
    char m[] = "\u202a+49 170\u200e 1234567\u202c\u2066x\u2069";
    assert_string_equal(kstr_strip_marks(m), "+49 170 1234567x");
    char plain[] = "\u00e9\u2013 stays";
    assert_string_equal(kstr_strip_marks(plain), "é– stays");
}

/* Content lines fold before octet 76, never inside a character; a
 * continuation's leading space counts. */
static void test_put_line(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sbuf_put_line(&b, "NOTE:short");
    assert_string_equal(b.s, "NOTE:short\r\n");
    sbuf_free(&b);

    char line[200];
    memset(line, 'a', 160);
    line[160] = '\0';
    sbuf_put_line(&b, line);
    /* 75, then 1 + 74, then 1 + 11. */
    assert_int_equal(b.len, 160 + 2 * 3 + 2);
    assert_int_equal(strstr(b.s, "\r\n ") - b.s, 75);
    assert_int_equal(strstr(b.s + 78, "\r\n ") - b.s, 78 + 74);
    assert_string_equal(b.s + b.len - 2, "\r\n");
    sbuf_free(&b);

    /* "é" (2 octets) at octets 75-76 moves whole to the next line. */
    memset(line, 'a', 74);
    strcpy(line + 74, "\xc3\xa9z");
    sbuf_put_line(&b, line);
    assert_int_equal(strstr(b.s, "\r\n") - b.s, 74);
    assert_string_equal(b.s + 74, "\r\n \xc3\xa9z\r\n");
    sbuf_free(&b);

    /* A 4-octet emoji that would end at octet 76 is not cut either. */
    memset(line, 'a', 73);
    strcpy(line + 73, "\xf0\x9f\x99\x82");
    sbuf_put_line(&b, line);
    assert_string_equal(b.s + 73, "\r\n \xf0\x9f\x99\x82\r\n");
    assert_true(utf8_valid(b.s, b.len));
    sbuf_free(&b);
}

/* kgrowarray keeps what it holds, moves the array only when the count
 * reaches a power of two, and kreallocarray stops on an overflowing size. */
static void test_grow_array(void **state)
{
    (void)state;
    int *v = NULL;
    size_t n = 0;
    for (int i = 0; i < 1000; i++) {
        int *before = v;
        v = kgrowarray(v, n, sizeof *v);
        if (n && (n & (n - 1)))
            assert_ptr_equal(v, before);
        v[n++] = i;
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i);
    free(v);

    v = kreallocarray(NULL, 3, sizeof *v);
    v[2] = 7;
    v = kreallocarray(v, 0, sizeof *v);
    free(v);

    size_t huge[] = {SIZE_MAX / 4 + 1, SIZE_MAX};
    for (size_t i = 0; i < 2; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            void *p = kreallocarray(NULL, huge[i], 4);
            _exit(p ? 0 : 1);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGABRT);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_utf8_valid),
    cmocka_unit_test(test_utf8_valid_ascii_runs),
    cmocka_unit_test(test_utf8_roundtrip),
    cmocka_unit_test(test_escape),
    cmocka_unit_test(test_width),
    cmocka_unit_test(test_fit),
    cmocka_unit_test(test_fold),
    cmocka_unit_test(test_fold_key),
    cmocka_unit_test(test_sbuf),
    cmocka_unit_test(test_grow_array),
    cmocka_unit_test(test_put_line),
    cmocka_unit_test(test_nearest),
    cmocka_unit_test(test_escape_invisible),
    cmocka_unit_test(test_escape_emoji),
    cmocka_unit_test(test_escape_scripts),
    cmocka_unit_test(test_escape_idempotent),
    cmocka_unit_test(test_width_sequences),
    cmocka_unit_test(test_fit_clusters),
    cmocka_unit_test(test_utf8_cut),
    cmocka_unit_test(test_escape_doc),
    cmocka_unit_test(test_width_ascii_words),
    cmocka_unit_test(test_json_tty),
    cmocka_unit_test(test_cp1252_marks),
};

TEST_MAIN_GROUP(tests, tutf8_setup, NULL)
