/* Import and export: contacts from and to vCard and CSV, the whole journal
 * to and from JSON, upcoming events to iCalendar.
 *
 * Every import is one transaction: a file with any error imports nothing.
 * Exports hand their text to an output callback in pieces so that nothing
 * holds the whole journal in memory. */
#ifndef KITH_TRANSFER_H
#define KITH_TRANSFER_H

#include "kith/ics.h"
#include "kith/journal.h"
#include "kith/vcard.h"

#include <stddef.h>

enum transfer_format { TRANSFER_VCARD, TRANSFER_CSV };

/* Told about each imported contact: merged is 0 for a new contact, 1 when
 * it was merged into the existing contact named into. Strings are valid
 * only during the call. */
typedef void (*transfer_report_cb)(int merged, const char *name, const char *into, void *ud);

struct transfer_import_opts {
    const char *file;          /* the input's name in messages */
    const char *map;           /* CSV: "Column=field,..." or NULL */
    int dry_run;               /* do everything, then roll back */
    transfer_report_cb report; /* may be NULL */
    void *ud;
};

struct transfer_stats {
    size_t added;
    size_t merged;
};

/* Imports the contacts in the n bytes at buf. A contact that matches an
 * existing one (or one added earlier from the same file) by an email, a
 * phone or its exact name, in that order, is merged into it: its new
 * emails, phones, links and tags are added and the fields the existing
 * contact lacks are filled; nothing is overwritten. With o->dry_run the
 * journal is left as it was and st says what would have happened. Errors
 * in the file are K_USAGE with "FILE:LINE: what is wrong". */
int transfer_import(struct journal *j, enum transfer_format f, const char *buf, size_t n,
                    const struct transfer_import_opts *o, struct transfer_stats *st,
                    struct kerr *e);

/* Restores a JSON export (buf NUL-terminated, n bytes) into an empty
 * journal with every id as it was. K_ERR when the journal is not empty;
 * K_USAGE "FILE: what is wrong" when the document is not a valid export. */
int transfer_import_json(struct journal *j, const char *buf, size_t n, const char *file,
                         struct kerr *e);

/* Receives the output, n bytes at a time; returns nonzero when it could not
 * be written, which stops the export with K_ERR. */
typedef int (*transfer_out_cb)(const char *s, size_t n, void *ud);

/* Every contact (archived ones too) as vCards of the given version. */
int transfer_export_vcard(struct journal *j, enum vcard_version v, transfer_out_cb out, void *ud,
                          struct kerr *e);
/* Every contact as one CSV row under kith's header: name, company, title,
 * emails, phones, links, location, birthday, tags, note, how_met, met_on,
 * working_on, archived. Several values in one cell are joined by " ::: ". */
int transfer_export_csv(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e);
/* The whole journal as one JSON document (see dbtransfer.h for its shape). */
int transfer_export_json(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e);
/* An iCalendar of the birthdays from today through today + days, plus the
 * nextra events in extra (the place for due reminders: the caller passes
 * them in). */
int transfer_export_ics(struct journal *j, int days, const struct ics_event *extra, size_t nextra,
                        transfer_out_cb out, void *ud, struct kerr *e);

/* The most an import reads: 512 MiB, about twice the JSON export of a
 * journal of 100k contacts and a million interactions (271 MB). */
#define TRANSFER_INPUT_MAX ((size_t)512 << 20)
/* The whole content of path ("-" for standard input) in a new buffer
 * (free()) that is also NUL-terminated; *n excludes the NUL. Bounded as
 * kfile_read says: more than TRANSFER_INPUT_MAX bytes (an endless pipe,
 * /dev/zero as standard input) is K_USAGE; a device given by name, or a
 * directory, is refused; a named pipe nobody writes to gives up after
 * KFILE_PIPE_WAIT_S seconds. */
int transfer_read_file(const char *path, char **buf, size_t *n, struct kerr *e);

#endif
