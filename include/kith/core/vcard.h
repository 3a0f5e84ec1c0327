/* vCard (RFC 2426, RFC 6350 and the 2.1 specification): reading contacts
 * from a file and writing them back.
 *
 * The reader understands versions 2.1, 3.0 and 4.0 and what phones, mail
 * clients and services write: FN and N (or a name from NICKNAME, ORG,
 * EMAIL or TEL), NICKNAME, ORG, TITLE, EMAIL, TEL, URL and messaging
 * properties (IMPP, X-SOCIALPROFILE, X-AIM, ...) as links, every ADR,
 * BDAY (also year-less), ANNIVERSARY and dated events (X-ABDATE), NOTE,
 * CATEGORIES (as tags), UID, TYPE labels and Apple's X-ABLabel, and kith's
 * own X-KITH-* properties; line folding (CRLF, LF, CR CR LF), backslash
 * escapes, QUOTED-PRINTABLE (with soft breaks before folded lines) and
 * CHARSET, text without a CHARSET that is not UTF-8 (read as
 * windows-1252), grouped properties, property names with '/' or of any
 * length, nested 2.1 AGENT cards (left out), many cards per file, a
 * UTF-8 BOM. Every other property is kept verbatim with the contact. */
#ifndef KITH_VCARD_H
#define KITH_VCARD_H

#include "kith/core/card.h"
#include "kith/util/kerr.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stddef.h>

/* The longest unfolded line the reader keeps; a longer one is left out. */
#define VCARD_LINE_MAX (1 << 20)

/* Reads every card in the n bytes at buf (need not be NUL-terminated) and
 * hands each to o->card. A card the reader cannot read (a broken line, no
 * END:VCARD, nothing that names a person, a limit passed) is skipped and
 * reported to o->problem with its bytes, and reading goes on with the next
 * card; values kith cannot store are kept verbatim, with a note. K_OK when
 * the input holds vCards; K_USAGE with "FILE:LINE: ..." when it holds none
 * (an empty or binary file, a calendar); else what o->card returned. */
int vcard_parse(const char *buf, size_t n, const struct card_opts *o, struct kerr *e);

enum vcard_version { VCARD_V30 = 30, VCARD_V40 = 40 };

/* Appends c as one vCard of the given version to b: CRLF line ends, lines
 * folded at 75 octets without splitting a UTF-8 sequence, TEXT escaped.
 * Labels go out as TYPE (or X-ABLabel when they are not one word), kith's
 * fields without a vCard property as X-KITH-*, and the lines kept from an
 * import as they came, so that kith reads back what it wrote. */
void vcard_write(struct sbuf *b, const struct contact *c, enum vcard_version v);

#endif
