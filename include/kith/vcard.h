/* vCard (RFC 2426, RFC 6350 and the 2.1 specification): reading contacts
 * from a file and writing them back.
 *
 * The reader understands versions 2.1, 3.0 and 4.0: FN and N, ORG, TITLE,
 * EMAIL, TEL, URL, ADR (as the location), BDAY (also year-less --MMDD and
 * --MM-DD), NOTE, CATEGORIES (as tags) and kith's own X-KITH-* properties;
 * line folding, backslash escapes, QUOTED-PRINTABLE and CHARSET, grouped
 * properties (item1.EMAIL), many cards per file, a UTF-8 BOM, CRLF or LF.
 * Other properties are skipped. */
#ifndef KITH_VCARD_H
#define KITH_VCARD_H

#include "kith/card.h"
#include "kith/kerr.h"
#include "kith/kstr.h"
#include "kith/model.h"

#include <stddef.h>

/* The longest unfolded line the reader accepts. */
#define VCARD_LINE_MAX (1 << 20)

/* Receives each complete card; the card is valid only during the call.
 * A nonzero status stops the reader, which returns it (e already set). */
typedef int (*vcard_cb)(struct card *k, void *ud, struct kerr *e);

/* Reads every card in the n bytes at buf (need not be NUL-terminated).
 * file names the input in messages. Any problem stops the reader with
 * K_USAGE and "FILE:LINE: what is wrong" in e; cards already handed to cb
 * stay handed, so callers that want all-or-nothing wrap the run in a
 * transaction. A file without any card is an error too. */
int vcard_parse(const char *buf, size_t n, const char *file, vcard_cb cb, void *ud, struct kerr *e);

enum vcard_version { VCARD_V30 = 30, VCARD_V40 = 40 };

/* Appends c as one vCard of the given version to b: CRLF line ends, lines
 * folded at 75 octets without splitting a UTF-8 sequence, TEXT escaped.
 * kith's fields without a vCard property go into X-KITH-* properties so
 * that kith reads back what it wrote. */
void vcard_write(struct sbuf *b, const struct contact *c, enum vcard_version v);

#endif
