/* Strings: a growable buffer, UTF-8 checks, case folding, display width and
 * escaping of control characters for the terminal. */
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
/* Frees the contents and zeroes the struct. Accepts NULL. */
void sbuf_free(struct sbuf *b);
/* Hands the string to the caller (free() it) and resets b. Never NULL. */
char *sbuf_take(struct sbuf *b);

/* Allocation helpers that abort() on out-of-memory. kstr_dup(NULL) is NULL. */
void *kmalloc(size_t n);
void *kcalloc(size_t n, size_t size);
void *krealloc(void *p, size_t n);
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

/* The text made safe for a terminal: control characters (C0, DEL, C1) are
 * shown as \n, \t, \e, \xHH or \u{HHHH}; invalid UTF-8 bytes as \xHH.
 * Returns a new string: free(). NULL gives "". */
char *kstr_escape(const char *s);
/* The candidate closest to s when it is near enough to be a typo (fewer
 * than 3 edits, and at most one per two letters of s); NULL when none is.
 * Points into cands. */
const char *kstr_nearest(const char *s, const char *const *cands, size_t n);
/* Display width in terminal columns of text already escaped (valid UTF-8
 * without control characters): CJK and emoji count 2, combining marks 0. */
int kstr_width(const char *s);
/* Appends to b the text s fitted to exactly `width` columns: truncated with
 * "…" when longer, padded with spaces (on the right, or on the left when
 * right_align) when shorter. s must already be escaped. */
void kstr_fit(struct sbuf *b, const char *s, int width, int right_align);

#endif
