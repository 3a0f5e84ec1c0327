/* Logging mail as interactions: one message (mutt's pipe-message), or every
 * message of a Maildir tree in one transaction.
 *
 * A message's contacts are those of its From, To, Cc and Bcc addresses that
 * the journal knows, never the user's own (the config's me:). The kind is
 * email, the date the Date header's day in local time, the summary the
 * decoded Subject. A message from the user is gave, one from anyone else
 * mutual, unless the caller says otherwise. A message whose Message-ID was
 * logged before is not logged again. */
#ifndef KITH_MAILLOG_H
#define KITH_MAILLOG_H

#include "kith/core/journal.h"
#include "kith/core/mail.h"
#include "kith/util/model.h"

struct maillog_opts {
    int dir;          /* an enum kdir, or -1: gave from the user, mutual otherwise */
    int add_unknown;  /* add unknown addresses as contacts (display name, else address) */
    int skip_lists;   /* mailing-list and automatic mail is not logged at all (otherwise
                         only its sender counts, not the list it went to) */
    int since;        /* messages dated before this day are skipped; KDATE_NONE: none */
    int missing_date; /* the day for a message without a Date; KDATE_NONE: today */
};

enum maillog_outcome {
    MAILLOG_LOGGED,
    MAILLOG_KNOWN,      /* its Message-ID was logged before: interaction names it */
    MAILLOG_NO_CONTACT, /* none of its addresses is a contact */
    MAILLOG_LIST,       /* mailing-list or automatic mail, with skip_lists */
    MAILLOG_OLD,        /* dated before since */
};

struct maillog_result {
    enum maillog_outcome outcome;
    char interaction[KID_LEN + 1]; /* LOGGED, KNOWN */
    int date;
    enum kdir dir;
    struct kstrlist contacts; /* ids of the contacts it was logged with */
    struct kstrlist unknown;  /* "Name <address>" or "address", not contacts */
    struct kstrlist added;    /* ids of the contacts add_unknown added */
};
void maillog_result_clear(struct maillog_result *r);

/* Logs the parsed message m per o, inside the caller's transaction when
 * there is one. r is filled (clear it with maillog_result_clear, also on
 * failure). An error is a journal error; the outcomes above are K_OK. */
int maillog_message(struct journal *j, const struct mail_msg *m, const struct maillog_opts *o,
                    struct maillog_result *r, struct kerr *e);

struct maillog_stats {
    size_t files;        /* messages found */
    size_t logged;       /* interactions logged */
    size_t contacts;     /* distinct contacts they were logged with */
    size_t known;        /* skipped: logged before (or twice in the tree) */
    size_t no_contact;   /* skipped: no address of a contact */
    size_t lists;        /* skipped: mailing-list or automatic mail */
    size_t old;          /* skipped: before since */
    size_t unreadable;   /* skipped: not a message kith could read */
    char first_bad[512]; /* the first unreadable file and why, or "" */
};

/* Told now and then how far a capture is: done of total files. */
typedef void (*maillog_progress_cb)(size_t done, size_t total, void *ud);

/* Logs every message in the Maildir folders under dir (each cur/ and new/,
 * Maildir++ subfolders and a notmuch tree included; tmp/ and dot-files are
 * not messages), in file-name order, in one transaction; with dry_run the
 * transaction is rolled back. A message without a Date gets its file's
 * modification day. progress may be NULL. */
int maillog_capture_maildir(struct journal *j, const char *dir, const struct maillog_opts *o,
                            int dry_run, maillog_progress_cb progress, void *ud,
                            struct maillog_stats *st, struct kerr *e);

#endif
