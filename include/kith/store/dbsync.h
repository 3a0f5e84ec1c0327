/* Store: kith's own sync between journals ("replicas") through SQLite
 * session changesets (see migration_v8 in db.c and docs in the README).
 *
 * Capture: once a journal has a replica id (dbsync_enable), every
 * transaction that changes the journal's data (db_commit) also keeps its
 * changes, as a changeset, in sync_log, stamped with a hybrid logical clock
 * (HLC: milliseconds << 16 | a counter, never going back, moved past every
 * stamp applied from elsewhere). A few tables are this journal's own and
 * never synced (dbsync_synced); every other table is, with every column,
 * read from the schema, so a table or column added later syncs without
 * code here.
 *
 * Identity: rows are named by their primary key, which is the same on every
 * replica (random 32-hex ids, or natural keys such as a challenge day)
 * except for a table whose primary key is an integer rowid beside a unique
 * `id` column (contact.key): that key is this journal's own. A changeset
 * leaves here with such keys, and every column that refers to one, replaced
 * by the row's id, and comes in translated back; a row added from another
 * replica gets a key of this journal's own.
 *
 * Apply: the rule is the same on every replica. Per column, the later stamp
 * wins (HLC, ties by replica id). A row deleted stays deleted against an
 * edit, except a contact: a change to a contact later than its deletion
 * keeps it, archived, with what belongs to it, and the replica that keeps
 * it sends it again whole so that the one that deleted it gets it back.
 * Every value not taken where both sides had changed it is a row of
 * sync_conflict (source "sync").
 *
 * Derived data (the full-text index, a per-contact summary) is kept by the
 * triggers as rows are applied, never synced as data; undo history is local
 * and an applied changeset is not something to undo. */
#ifndef KITH_DBSYNC_H
#define KITH_DBSYNC_H

#include "kith/store/db.h"
#include "kith/util/kerr.h"

#include <stddef.h>

#define DBSYNC_ID_LEN 16 /* a replica id: hex characters */

/* This journal's replica id into out, or "" when sync is off. */
int dbsync_replica(struct db *db, char out[DBSYNC_ID_LEN + 1], struct kerr *e);

/* Turns sync on: gives the journal a new replica id, and keeps everything
 * it holds as its first change (so that another replica gets all of it)
 * when it holds anything. dir is the folder it syncs through, remembered
 * for status. Its own transaction. */
int dbsync_enable(struct db *db, const char *dir, char out[DBSYNC_ID_LEN + 1], struct kerr *e);
/* The folder this journal syncs through (a new string, free()) or NULL. */
char *dbsync_dir(struct db *db);

/* 1 when table's rows are synced, 0 for this journal's own. */
int dbsync_synced(const char *table);

/* Capture, called by db_begin, db_commit and db_rollback around the
 * outermost transaction. */
void dbsync_tx_begin(struct db *db);
int dbsync_tx_commit(struct db *db, struct kerr *e);
void dbsync_tx_end(struct db *db);
void dbsync_free(struct db *db);

/* One transaction's changes: its stamp, its number among the replica's
 * transactions, and the changeset (ids, not local keys). */
struct dbsync_rec {
    long long hlc;
    long long txseq;
    const void *buf;
    size_t n;
};

/* The changes kept since the last dbsync_sent, oldest first; cb returns
 * nonzero to stop. rec is valid during the call only. */
typedef int (*dbsync_rec_cb)(const struct dbsync_rec *rec, void *ud);
int dbsync_unsent(struct db *db, dbsync_rec_cb cb, void *ud, struct kerr *e);
/* The changes up to txseq are in the folder as file fileseq, whose bytes
 * are body (n of them): the changes are forgotten here; the file's size
 * and checksum are kept (until dbsync_file_trim), and when keep is
 * nonzero its bytes too (until dbsync_file_trim or dbsync_file_cap), to
 * write the file again should it be damaged in the folder (body NULL:
 * neither). Its own transaction. */
int dbsync_sent(struct db *db, long long fileseq, long long txseq, const void *body, size_t n,
                int keep, struct kerr *e);
/* The bytes of this replica's file fileseq as it wrote them, into *body (a
 * new buffer, free()) and *n: K_NOTFOUND when they are no longer kept. */
int dbsync_file_body(struct db *db, long long fileseq, char **body, size_t *n, struct kerr *e);
/* The numbers of the files whose bytes are kept, ascending, into *out (a
 * new array, free(); NULL when none) and *n. */
int dbsync_file_list(struct db *db, long long **out, size_t *n, struct kerr *e);
/* What is kept of each file sent: its number, its size and its last 8
 * bytes (its checksum), to tell whether the folder still holds it as
 * written without reading it whole; kept: whether its bytes are too. */
struct dbsync_file_sum {
    long long fileseq;
    size_t n;
    unsigned char tail[8];
    int kept;
};
/* Every file's whose sum is kept, ascending, into *out (a new array,
 * free(); NULL when none) and *n. A file an older kith sent has one only
 * where its bytes were kept. */
int dbsync_file_sums(struct db *db, struct dbsync_file_sum **out, size_t *n, struct kerr *e);
/* Keeps size and tail (its last 8 bytes; fewer for a smaller file) as the
 * sum of file fileseq where none is kept: a file an older kith sent, taken
 * as the folder holds it. */
int dbsync_file_sum_adopt(struct db *db, long long fileseq, size_t size,
                          const unsigned char tail[8], struct kerr *e);
/* Keeps the records of a file this replica sent again, to send once more
 * (under the id it takes next: the folder lost them, another journal
 * writing as this replica wrote its own file under that number). Records
 * still to be sent stay as they are. Its own transaction. */
int dbsync_requeue(struct db *db, const struct dbsync_rec *recs, size_t n, struct kerr *e);
/* Every row of the journal again, as one change of this replica's, each
 * value with the stamp it has here (not the change's), and every row
 * deleted here as a delete, in a change of the delete's own time: for
 * changes of this replica's the folder lost that it cannot send again as
 * they were (their bytes not kept). A replica holding a later value keeps
 * it. Its own transaction. */
int dbsync_send_whole(struct db *db, struct kerr *e);
/* Forgets the bytes of this replica's files up to upto (every other
 * replica has applied them), and their sums too when sums is nonzero (the
 * files are no longer in the folder). */
int dbsync_file_trim(struct db *db, long long upto, int sums, struct kerr *e);
/* Keeps the bytes of the newest files only, up to total bytes in all: a
 * journal alone in its folder (no replica ever applies its files) would
 * keep every file's bytes for ever. An older file's repair is a snapshot,
 * as for one too large to keep. */
int dbsync_file_cap(struct db *db, size_t total, struct kerr *e);
/* The number of this replica's last file (0 for none). */
int dbsync_fileseq(struct db *db, long long *out, struct kerr *e);

/* What applying one file did. */
struct dbsync_applied {
    size_t changes;   /* rows changed */
    size_t conflicts; /* conflicts listed */
    size_t kept;      /* contacts kept against a delete */
};
/* Applies file fileseq of replica `replica` (its records, in order) in one
 * transaction, and notes it as applied. K_ERR with nothing changed for a
 * changeset that cannot be read. at is when that replica wrote the file
 * (UTC ISO 8601), kept as when it was last seen. */
int dbsync_apply(struct db *db, const char *replica, long long fileseq, const char *at,
                 const struct dbsync_rec *recs, size_t n, struct dbsync_applied *out,
                 struct kerr *e);

/* What this replica knows of another. */
struct dbsync_peer {
    char replica[DBSYNC_ID_LEN + 1];
    long long fileseq; /* its last file applied here */
    char seen[32];     /* when it wrote that file, or "" */
    char applied_at[32];
};
/* Every other replica this journal has applied files of, by id. */
typedef int (*dbsync_peer_cb)(const struct dbsync_peer *p, void *ud);
int dbsync_peers(struct db *db, dbsync_peer_cb cb, void *ud, struct kerr *e);
/* The last file of replica applied here (0 for none). */
int dbsync_peer_fileseq(struct db *db, const char *replica, long long *out, struct kerr *e);
/* Records that replica was seen at `at` (its state file), and that its
 * files up to fileseq had been applied when this journal joined. */
int dbsync_peer_seen(struct db *db, const char *replica, const char *at, struct kerr *e);

/* 1 when the journal holds no data of its own yet (a journal that can
 * start from a snapshot). */
int dbsync_empty(struct db *db, struct kerr *e);
/* The clock of the replica a snapshot was written by, when it was written
 * (-1: not a snapshot): the latest covers every file removed before it. */
long long dbsync_snapshot_stamp(const char *path);
/* Writes a snapshot of the journal at path (replacing one there, only once
 * complete): a copy without what the journal keeps to itself (undo
 * history, changes not yet in the folder, conflicts, vdir state),
 * compacted. */
int dbsync_snapshot_write(struct db *db, const char *path, struct kerr *e);
/* Replaces this (empty) journal with the snapshot at path, then makes it a
 * replica of its own: a new id, the snapshot's replica among the peers,
 * no local history, log or conflicts. */
int dbsync_adopt(struct db *db, const char *path, const char *dir, char out[DBSYNC_ID_LEN + 1],
                 struct kerr *e);

/* The folder this journal syncs through is dir from now on. */
int dbsync_set_dir(struct db *db, const char *dir, struct kerr *e);

/* Whether the folder syncs as a git work tree: 1 (said with --git), 0
 * (--no-git), -1 never said (or sync off). */
int dbsync_git(struct db *db);
/* Remembers it (-1: forgets it). */
int dbsync_set_git(struct db *db, int git, struct kerr *e);

/* Gives this journal a new replica id (into out) when another journal
 * writes as it (a copy of it, or it restored from a backup): its files
 * are numbered from 1 again, and its old id becomes another replica whose
 * files up to fileseq (this journal's own) count as applied. Changes not
 * yet sent stay to be sent under the new id; the clock goes on. Its own
 * transaction. */
int dbsync_rekey(struct db *db, const char *old, long long fileseq, char out[DBSYNC_ID_LEN + 1],
                 struct kerr *e);

/* How many conflicts kith's sync resolved that no front end has shown
 * yet, into n; they count as shown from now on. Its own transaction. */
int dbsync_conflicts_news(struct db *db, long long *n, struct kerr *e);

#endif
