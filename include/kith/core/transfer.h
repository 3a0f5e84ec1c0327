/* Import and export: contacts from and to vCard and CSV, the whole journal
 * to and from JSON, upcoming events to iCalendar.
 *
 * An import of vCard or CSV adds every card it can read and skips (and
 * reports) each one it cannot, in one transaction; with strict, any
 * skipped card or value left out imports nothing. Exports hand their text
 * to an output callback in pieces so that nothing holds the whole journal
 * in memory. */
#ifndef KITH_TRANSFER_H
#define KITH_TRANSFER_H

#include "kith/core/card.h"
#include "kith/core/ics.h"
#include "kith/core/journal.h"
#include "kith/core/vcard.h"

#include <stddef.h>

enum transfer_format { TRANSFER_VCARD, TRANSFER_CSV };

/* Told about each imported contact: merged is 0 for a new contact, 1 when
 * it was merged into the existing contact named into (changed is 0 when
 * the card brought nothing new). Strings are valid only during the call. */
typedef void (*transfer_report_cb)(int merged, int changed, const char *name, const char *into,
                                   void *ud);
/* Told about each problem: a note, a value left out, or a card skipped,
 * at line of the file. Valid only during the call. */
typedef void (*transfer_problem_cb)(enum card_level level, int line, const char *msg, void *ud);

/* Receives the output, n bytes at a time; returns nonzero when it could not
 * be written, which stops the export with K_ERR. */
typedef int (*transfer_out_cb)(const char *s, size_t n, void *ud);

struct transfer_import_opts {
    const char *file; /* the input's name in messages */
    const char *map;  /* CSV: "Column=field,..." or NULL */
    int dry_run;      /* do everything, then roll back */
    int strict;       /* any card skipped or value left out: import nothing */
    enum card_date_order order;
    transfer_report_cb report;   /* may be NULL */
    transfer_problem_cb problem; /* may be NULL */
    void *ud;                    /* for both */
    /* The skipped cards or rows, verbatim (a CSV's header first), for a
     * file the user can fix and import again; NULL for none. A nonzero
     * return stops the import with K_ERR. */
    transfer_out_cb rejects;
    void *rejects_ud;
};

struct transfer_stats {
    size_t added;
    size_t merged;    /* cards that matched a contact, changed or not */
    size_t unchanged; /* of those, the ones that brought nothing new */
    size_t skipped;
    size_t empty; /* CSV rows with nothing that names a person */
    size_t warnings, notes;
};

/* Imports the contacts in the n bytes at buf (UTF-8; a UTF-16 file with a
 * byte order mark and a CSV that is not UTF-8, read as windows-1252, are
 * converted first). A card is the contact already in the journal (or
 * added earlier from the same file) that has one of its UIDs (a kith
 * export's UID names the contact's id), else its LinkedIn profile, else
 * one of its emails, unless the two have different UIDs or LinkedIn
 * profiles; a contact that was in the journal before the import is also
 * the card when it has the same name and a phone of it, or already holds
 * everything the card says. A shared phone or an equal name alone never
 * merges. The card's new values are added to the contact and the fields it
 * lacks are filled; nothing is overwritten, and a different name becomes
 * a nickname. With o->dry_run the journal is left as it was and st says
 * what would have happened. K_USAGE with "FILE:LINE: ..." when the input
 * is not a vCard or CSV file at all (or, strict, when a card was skipped). */
int transfer_import(struct journal *j, enum transfer_format f, const char *buf, size_t n,
                    const struct transfer_import_opts *o, struct transfer_stats *st,
                    struct kerr *e);

/* Restores a JSON export (buf NUL-terminated, n bytes) into an empty
 * journal with every id as it was. K_ERR when the journal is not empty;
 * K_USAGE "FILE: what is wrong" when the document is not a valid export. */
int transfer_import_json(struct journal *j, const char *buf, size_t n, const char *file,
                         struct kerr *e);

/* Every contact (archived ones too) as vCards of the given version. */
int transfer_export_vcard(struct journal *j, enum vcard_version v, transfer_out_cb out, void *ud,
                          struct kerr *e);
/* Every contact as one CSV row under kith's header: name, company, title,
 * emails, phones, links, location, birthday, tags, note, how_met, met_on,
 * working_on, archived, uid. Several values in one cell are joined by
 * " ::: ". The uid (as the vCard export writes it) keeps two contacts
 * apart when the file is imported again. */
int transfer_export_csv(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e);
/* The whole journal as one JSON document (see dbtransfer.h for its shape). */
int transfer_export_json(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e);
/* An iCalendar of the birthdays from today through today + days, plus the
 * nextra events in extra (the place for due reminders: the caller passes
 * them in). */
int transfer_export_ics(struct journal *j, int days, const struct ics_event *extra, size_t nextra,
                        transfer_out_cb out, void *ud, struct kerr *e);

/* 1 and the contact's id in id when uid is one kith's export made from a
 * contact's id (urn:uuid:8-4-4-4-12, the id's hex digits); else 0. */
int transfer_uid_to_id(const char *uid, char id[KID_LEN + 1]);

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
