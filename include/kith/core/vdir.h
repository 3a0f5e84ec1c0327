/* vdir folders: the journal's contacts as one vCard file per contact, and
 * its reminders, birthdays and challenge as one iCalendar file per item, in
 * a folder that khard, khal, todoman and vdirsyncer (to a CardDAV or CalDAV
 * server, and so to a phone) read and write.
 *
 * kith remembers, in the journal, what it last wrote to each file (its
 * text, a hash of it, and the file's size, mtime and inode), so that it
 * knows which side changed what:
 *
 *  - export writes only the files whose contact changed in kith, removes
 *    the files of contacts deleted or archived in kith, and leaves alone
 *    (and reports) every file changed in the folder since kith wrote it,
 *    until an import has taken that change in;
 *  - import compares each changed file field by field with what kith last
 *    wrote there (the base) and with the contact as kith has it now: a
 *    field only the file changed is taken, one only kith changed stays,
 *    one both changed to different values keeps kith's value and is a
 *    conflict, reported and stored (kith/store/dbconflict.h). A new file adds a
 *    contact (or, with the UID of one kith has, meets it: what the file
 *    adds is added, nothing is overwritten); a removed file archives its
 *    contact, never deletes it.
 *
 * Every file is written through kith/util/kfile.h: a temporary file beside it,
 * fsynced and renamed over it. Each import or export is one transaction. */
#ifndef KITH_VDIR_H
#define KITH_VDIR_H

#include "kith/core/journal.h"
#include "kith/util/model.h"
#include "kith/core/vcard.h"

#include <stddef.h>

/* The most one file of a folder may hold; a larger one is skipped. */
#define VDIR_FILE_MAX ((size_t)32 << 20)

/* Told about a file kith left alone or could not read (name is the file's
 * name in the folder) and about each conflict (c->name is the contact's
 * name). Valid only during the call. */
typedef void (*vdir_note_cb)(const char *name, const char *msg, void *ud);
typedef void (*vdir_conflict_cb)(const struct kconflict *c, void *ud);

struct vdir_opts {
    enum vcard_version version; /* of the vCards written; 0 is 3.0 */
    vdir_note_cb note;          /* may be NULL */
    vdir_conflict_cb conflict;  /* may be NULL */
    void *ud;                   /* for both */
};

struct vdir_stats {
    /* export */
    size_t written;   /* files written (new or changed) */
    size_t removed;   /* files removed */
    size_t unchanged; /* files already as kith would write them */
    size_t held;      /* files changed in the folder, left alone */
    /* import */
    size_t added;     /* contacts added from new files */
    size_t updated;   /* contacts changed by their file */
    size_t archived;  /* contacts whose file was removed */
    size_t same;      /* files read that changed nothing */
    size_t skipped;   /* files that could not be read */
    size_t conflicts; /* fields both sides changed */
    /* calendar */
    size_t done; /* reminders (and challenge days) completed in the folder */
};

/* Writes the contacts that are not archived to dir (created, mode 0700,
 * when missing), one UID.vcf each, as the header says. K_ERR when dir
 * cannot be made or read, or a file cannot be written (the files written
 * before stay, and are recorded). */
int vdir_export(struct journal *j, const char *dir, const struct vdir_opts *o,
                struct vdir_stats *st, struct kerr *e);
/* Reads dir back into the journal as the header says. K_NOTFOUND when dir
 * does not exist. */
int vdir_import(struct journal *j, const char *dir, const struct vdir_opts *o,
                struct vdir_stats *st, struct kerr *e);

/* The calendar folder dir, in one go: first each item kith wrote there
 * that was completed in the folder (STATUS:COMPLETED) marks its reminder
 * done (or ticks the challenge for its day); then it writes one .ics per
 * item: every reminder due today as a VTODO (DUE, PRIORITY), completed
 * once it is done in kith and moved when snoozed; every birthday of a
 * contact that is not archived as a yearly VEVENT; today's challenge act
 * as a VTODO, completed once ticked. UIDs are stable; files of items gone
 * are removed. */
int vdir_calendar(struct journal *j, const char *dir, const struct vdir_opts *o,
                  struct vdir_stats *st, struct kerr *e);

/* The UID a reminder has in every calendar kith writes ("reminder-" and
 * 16 hex digits of its rule, subject and the day it fired, "@kith"). */
#define VDIR_UID_MAX 48
void vdir_reminder_uid(const struct reminder *r, char out[VDIR_UID_MAX]);

/* The conflicts stored after the one with id after (0: all), oldest first;
 * see dbconflict_each. */
typedef int (*vdir_conflict_each_cb)(const struct kconflict *c, void *ud);
int vdir_conflicts(struct journal *j, long long after, vdir_conflict_each_cb cb, void *ud,
                   struct kerr *e);

#endif
