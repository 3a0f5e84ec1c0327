/* Checking a kith JSON export before it is restored (kith import json).
 *
 * A restore writes rows the way no other path does (straight from the
 * document), so every value is first checked here with the rules the
 * commands that write it apply: ids are 32 lowercase hex digits, dates real
 * YYYY-MM-DD days, birthdays MM-DD or YYYY-MM-DD, names and short texts at
 * most CHECK_SHORT_MAX bytes and notes CHECK_LONG_MAX, text valid UTF-8
 * without NUL characters or lone surrogates (\u0000 or \ud800 as JSON
 * escapes), kinds and rule names single words, forms short labels, emails,
 * phones and tags as the CLI takes them (tags already in their stored
 * form), direction and outcome from their closed sets, archived a boolean,
 * challenge lengths 1 to 366 days, every required field present and no
 * field kith does not know. Rules between rows are the store's
 * (dbtransfer_import_json). */
#ifndef KITH_JSONIN_H
#define KITH_JSONIN_H

#include "kith/core/journal.h"

#include <stddef.h>

/* K_OK when the n bytes at doc (NUL-terminated) may be restored; K_USAGE
 * with "FILE: where: what is wrong" (FILE:LINE:COLUMN for a bad escape)
 * otherwise. Reads through the journal's connection; writes nothing. */
int jsonin_check(struct journal *j, const char *doc, size_t n, const char *file, struct kerr *e);

#endif
