/* CSV (RFC 4180 and what spreadsheets write): reading contacts from a table
 * with a header row, and writing rows.
 *
 * Columns are recognised by their header: kith's own export, Google
 * Contacts' export (its current and its older column names, numbered
 * columns with their labels), LinkedIn's Connections.csv (whose "Notes:"
 * preamble is skipped), Outlook's and Thunderbird's layouts (every email,
 * phone, web page and address column, Outlook's Title as the name prefix
 * beside its Job Title, Thunderbird's Birth Year, Month and Day). Fields
 * are separated by commas, semicolons or tabs, as the header shows; Excel's
 * "sep=;" line is understood. A map ("Column=field,...", fields as
 * card_field_name spells them, "ignore" to drop a column) names anything
 * else and overrides the recognised names. Columns kith has no field for
 * are kept with the contact as vCard X- properties. */
#ifndef KITH_CSV_H
#define KITH_CSV_H

#include "kith/core/card.h"
#include "kith/util/kerr.h"
#include "kith/util/kstr.h"

#include <stddef.h>

/* The longest record (row) the reader keeps; a longer one is skipped. */
#define CSV_RECORD_MAX (1 << 20)

/* Receives the header row's bytes as they are in the input (for a file of
 * rejected rows), once, before any row. */
typedef void (*csv_header_cb)(const char *raw, size_t n, void *ud);

/* Reads the header and every row of the n bytes at buf (UTF-8). Each row
 * goes to o->card; a row the reader cannot read (a quote that never ends,
 * binary data, more fields than the header, a limit passed) is skipped and
 * reported to o->problem with its bytes, and reading goes on; a row with
 * nothing that names a person is counted in *empty (may be NULL). A cell
 * that is a single quote before a formula-like text (csv_write_row's
 * guard, which other tools write too) is read without the quote. header
 * may be NULL. K_OK when the file has a header kith can use; K_USAGE
 * naming the problem (a bad map, an empty file, a header without any
 * column that names a person); else what o->card returned. */
int csv_parse(const char *buf, size_t n, const struct card_opts *o, csv_header_cb header,
              size_t *empty, struct kerr *e);

/* Appends one record of n fields to b, ended by CRLF. A field is quoted
 * when it holds a comma, a quote, a line break, a semicolon, a tab or
 * surrounding spaces; NULL is an empty field. A field that a spreadsheet
 * would run as a formula (it starts with =, +, -, @, a tab or a CR, after
 * any spaces and single quotes) is quoted and gets a single quote in front,
 * as OWASP recommends against CSV injection; csv_parse takes that quote
 * off again, so what is written reads back as it was. */
void csv_write_row(struct sbuf *b, const char *const *fields, size_t n);

#endif
