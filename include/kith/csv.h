/* CSV (RFC 4180): reading contacts from a table with a header row, and
 * writing rows.
 *
 * Columns are recognised by their header: kith's own export, Google
 * Contacts' export (both its current and its older column names) and
 * LinkedIn's Connections.csv (whose "Notes:" preamble is skipped). A map
 * ("Column=field,...", fields as card_field_name spells them, "ignore" to
 * drop a column) names anything else and overrides the recognised names. */
#ifndef KITH_CSV_H
#define KITH_CSV_H

#include "kith/card.h"
#include "kith/kerr.h"
#include "kith/kstr.h"

#include <stddef.h>

/* The longest record (row) the reader accepts. */
#define CSV_RECORD_MAX (1 << 20)

/* Receives each row as a card; valid only during the call. A nonzero
 * status stops the reader, which returns it (e already set). */
typedef int (*csv_cb)(struct card *k, void *ud, struct kerr *e);

/* Reads the header and every row of the n bytes at buf. A cell that is a
 * single quote before a formula-like text (csv_write_row's guard, which
 * other tools write too) is read without the quote. file names the
 * input in messages; map may be NULL. A bad map is K_USAGE naming it; a
 * problem in the file is K_USAGE with "FILE:LINE: what is wrong". Rows
 * already handed to cb stay handed: wrap the run in a transaction for
 * all-or-nothing. Blank rows are skipped; a file without rows is an error. */
int csv_parse(const char *buf, size_t n, const char *file, const char *map, csv_cb cb, void *ud,
              struct kerr *e);

/* Appends one record of n fields to b, ended by CRLF. A field is quoted
 * when it holds a comma, a quote, a line break, a semicolon, a tab or
 * surrounding spaces; NULL is an empty field. A field that a spreadsheet
 * would run as a formula (it starts with =, +, -, @, a tab or a CR, after
 * any spaces and single quotes) is quoted and gets a single quote in front,
 * as OWASP recommends against CSV injection; csv_parse takes that quote
 * off again, so what is written reads back as it was. */
void csv_write_row(struct sbuf *b, const char *const *fields, size_t n);

#endif
