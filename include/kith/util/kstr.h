/* Strings: a growable buffer, UTF-8 checks, case folding, and text on a
 * terminal: its display form (escaped), its width and fitting it to columns. */
#ifndef KITH_KSTR_H
#define KITH_KSTR_H

#include <stdarg.h>
#include <stddef.h>

/* A growable NUL-terminated byte buffer. Zero-initialise it ({0}); the
 * buffer owns s, released by sbuf_free. */
struct sbuf {
    char *s;
    size_t len;
    size_t cap;
};

/* Appends; abort()s on out-of-memory, like every allocation in kith. */
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as one content line of vCard or iCalendar (RFC 6350 and 5545,
 * 3.2): folded so that no line passes 75 octets, never inside a UTF-8
 * sequence, each continuation starting with a space (which counts), and
 * ended by CRLF. */
void sbuf_put_line(struct sbuf *b, const char *s);
/* Frees the contents and zeroes the struct. Accepts NULL. */
void sbuf_free(struct sbuf *b);
/* Hands the string to the caller (free() it) and resets b. Never NULL. */
char *sbuf_take(struct sbuf *b);

/* Allocation helpers that abort() on out-of-memory. kstr_dup(NULL) is NULL. */
void *kmalloc(size_t n);
void *kcalloc(size_t n, size_t size);
void *krealloc(void *p, size_t n);
/* krealloc for n elements of size bytes each; abort()s when n * size
 * overflows, as on out-of-memory. */
void *kreallocarray(void *p, size_t n, size_t size);
/* An array p of n elements (NULL when n is 0) with room for one more, at
 * index n. Its capacity doubles, so appending n elements one at a time
 * costs O(n). p must have come from kgrowarray (or hold at least the power
 * of two at or above n elements); the caller frees it. */
void *kgrowarray(void *p, size_t n, size_t size);
char *kstr_dup(const char *s);
char *kstr_ndup(const char *s, size_t n);
/* Frees *p and sets it to NULL. Accepts NULL and *p == NULL. */
void kstr_free(char **p);

/* 1 when s is valid UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Decodes one code point at s (at most n bytes) into *cp; returns the bytes
 * consumed (>= 1). Invalid bytes decode as U+FFFD and consume 1 byte. */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);
/* Encodes cp into out (4 bytes) and returns the length. */
size_t utf8_encode(unsigned cp, char *out);
/* The length of the longest prefix of s (a NUL-terminated string) that is
 * at most max bytes and does not end inside a UTF-8 sequence: where to cut
 * text to fit a buffer, or text that was cut (snprintf) to mend it. */
size_t utf8_cut(const char *s, size_t max);

/* The n bytes at s read as windows-1252, as UTF-8 (the five bytes that
 * code page leaves undefined become the C1 controls U+0081... as browsers
 * read them). A new string: free(). */
char *kstr_from_cp1252(const char *s, size_t n);
/* Removes, in place, the invisible characters that only set text
 * direction (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which
 * phones put around numbers. Returns s. */
char *kstr_strip_marks(char *s);

/* Simple Unicode case folding (lower case) of UTF-8 text, so that name
 * matching is case-insensitive beyond ASCII. Returns a new string: free().
 * Relies on the C library's towlower for the current LC_CTYPE; front ends
 * select a UTF-8 locale. */
char *kstr_fold(const char *s);

/* A key for matching and sorting names: kstr_fold, and Latin letters lose
 * their diacritics (É -> e, ł -> l, ß -> s), so "Élodie" sorts among the Es
 * and "elodie" finds her. Returns a new string: free(). */
char *kstr_fold_key(const char *s);

/* The display form of s: the text as kith shows it on a terminal, safe and
 * the same width everywhere. Control characters (C0, DEL, C1) are shown as
 * \n, \t, \r, \e, \xHH or \u{HHHH}, invalid UTF-8 bytes as \xHH, and
 * characters that are invisible or reorder text (zero-width spaces and
 * joiners, bidi controls, the soft hyphen, other format characters, line
 * and paragraph separators, lone regional indicators, marks with nothing
 * to sit on, code points the C library does not know) as \u{HHHH}, so
 * that "An\u{200B}a" cannot pass for "Ana". Where terminals disagree on
 * how wide a sequence is, its width-changing parts are left out: the
 * joiner of an emoji ZWJ sequence (shown as its emoji side by side),
 * U+FE0E/U+FE0F after a character and skin-tone modifiers after an emoji.
 * Joiners that scripts need (after a virama, Arabic ZWNJ) and flags stay.
 * Escaping the result again changes nothing. Returns a new string: free().
 * NULL gives "". */
char *kstr_escape(const char *s);
/* s as a word of a command a message suggests, to copy and paste into a
 * shell: its display form (kstr_escape), in single quotes (each ' in it
 * as '\'') unless it is only letters, digits and _ . / : @ % + , = -.
 * Returns a new string: free(). */
char *kstr_shell(const char *s);
/* The display form of the n bytes at s for a document shown whole (an
 * export on a terminal): as kstr_escape, except that line breaks (LF,
 * CR LF) and tabs stay. Appends to b. */
void kstr_escape_doc(struct sbuf *b, const char *s, size_t n);
/* JSON text made safe for a terminal without changing what it means: the
 * characters kstr_escape shows as escapes because they act on the
 * terminal or hide (C0 but LF and tab, DEL, C1, format and other invisible
 * characters, line and paragraph separators) become \uXXXX escapes (a
 * surrogate pair past U+FFFF), and invalid bytes \ufffd. Such characters
 * occur only inside the strings of valid JSON, where the escapes mean the
 * same. Appends to b. */
void kstr_json_tty(struct sbuf *b, const char *s, size_t n);
/* The candidate closest to s when it is near enough to be a typo (fewer
 * than 3 edits, and at most one per two letters of s); NULL when none is.
 * Points into cands. */
const char *kstr_nearest(const char *s, const char *const *cands, size_t n);
/* Columns that s takes on a terminal in display form (kstr_escape's
 * result, which it is when already escaped): what wcwidth() says of each
 * code point shown, as curses and tmux count them; CJK and emoji 2,
 * combining marks 0, a flag 2. */
int kstr_width(const char *s);
/* Appends to b the display form of s fitted to exactly `width` columns:
 * cut between grapheme clusters (never inside a character, a letter and
 * its accents, or a flag) and ended with "…" when longer, padded with
 * spaces (on the right, or on the left when right_align) when shorter. */
void kstr_fit(struct sbuf *b, const char *s, int width, int right_align);

#endif
