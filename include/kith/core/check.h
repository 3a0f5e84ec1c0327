/* Validation of user-supplied text before it reaches the journal. */
#ifndef KITH_CHECK_H
#define KITH_CHECK_H

#include "kith/util/kerr.h"

#include <stddef.h>

#define CHECK_SHORT_MAX 1000      /* bytes in a name, company, title, email, ... */
#define CHECK_LONG_MAX  (1 << 20) /* bytes in a note or "working on" */

/* K_OK when s (may be NULL) is valid UTF-8 of at most max bytes; otherwise
 * K_USAGE with a message naming the field. */
int check_text(const char *field, const char *s, size_t max, struct kerr *e);
/* A tag as the user gave it ("Worker drones"): without a leading '#' or
 * surrounding blanks, no control characters, at most 100 bytes. Case and
 * inner spaces are kept; matching folds case (kstr_fold). Writes a new
 * string into *out (free()). */
int check_tag(const char *s, char **out, struct kerr *e);
/* A kind name (interaction or referral kind, thank-you form): one word of
 * letters, digits, '-' or '_', at most 40 bytes. */
int check_word(const char *field, const char *s, struct kerr *e);
/* An email address: something@something, no spaces or control characters. */
int check_email(const char *s, struct kerr *e);
/* A phone number: digits with + ( ) - . / space and an optional extension. */
int check_phone(const char *s, struct kerr *e);

#endif
