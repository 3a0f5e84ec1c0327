/* Store: the journal as files on disk -- whether its write-ahead log belongs
 * to it, whether another process has it open, and restoring it from a
 * backup.
 *
 * SQLite keeps a journal J's recent commits in J-wal and replays them onto
 * J whenever J is opened. Nothing in SQLite ties J-wal to J: a WAL frame is
 * valid when its salts match the WAL header and its cumulative checksum
 * holds, whatever database file sits beside it. So a journal replaced
 * while a log was pending (a backup copied over it, a copy from another
 * machine) is silently mixed with the other file's pages, and comes out
 * damaged.
 *
 * kith ties them itself. Every journal has one row in kith_state: a random
 * lineage (the journal's identity, shared by its backups), a sequence
 * number, a random nonce and the nonce before it. Every commit that
 * changes the journal moves the row on (a new nonce, the old one as prev),
 * so the row names each state of the journal and the one it came from.
 * The row is the only cell of its table's one page; that page appears in
 * the log with every kith commit. Before SQLite reads a journal,
 * dbfile_wal_check reads the log itself the way SQLite's recovery does
 * (header, salts, cumulative checksums, up to the last valid commit),
 * collects the states of kith_state the log holds, and reads the row as
 * the journal file alone holds it (SQLite reading it as immutable). The log belongs when the file's
 * state is the one the log's first commit started from, or one the log went through (a checkpoint
 * copied part of the log already). Anything else is a log of another file: the open is refused and
 * nothing is touched. */
#ifndef KITH_DBFILE_H
#define KITH_DBFILE_H

#include "kith/util/kerr.h"

#include <stddef.h>
#include <stdint.h>

#define DBFILE_STATE_LEN 48 /* bytes of kith_state.v */

/* One state of kith_state.v: magic, lineage, seq, nonce, prev. */
struct dbfile_state {
    unsigned char lineage[16];
    uint64_t seq, nonce, prev; /* prev 0: the row was created by this commit */
};

/* Decodes a kith_state.v blob; 0 when it is not one. */
int dbfile_state_decode(const void *blob, size_t n, struct dbfile_state *out);
/* The blob that follows s (new nonce, seq + 1), or a new journal's first
 * when s is NULL, into out (DBFILE_STATE_LEN bytes). */
void dbfile_state_next(const struct dbfile_state *s, unsigned char out[DBFILE_STATE_LEN]);
/* 1 and *out set when page (size bytes, not page 1) is kith_state's page. */
int dbfile_state_in_page(const unsigned char *page, size_t size, struct dbfile_state *out);

/* What a write-ahead log holds, as SQLite's recovery would replay it. */
struct dbfile_wal {
    uint32_t page_size;
    size_t frames;  /* valid frames up to the last commit */
    size_t commits; /* of which commit frames */
    struct dbfile_wal_state {
        uint32_t pgno;
        struct dbfile_state st;
    } * states; /* kith_state's page in those frames, in log order */
    size_t nstates;
};
/* Parses the n bytes of a log. 0 when they are not a log SQLite would
 * replay anything from (w is then empty). Release w with dbfile_wal_free. */
int dbfile_wal_parse(const unsigned char *buf, size_t n, struct dbfile_wal *w);
void dbfile_wal_free(struct dbfile_wal *w);

/* K_OK when the journal at path has no log, a log with nothing to replay,
 * or a log that belongs to it (see above); K_ERR with a message saying what
 * to do when the log belongs to another file. Reads only; changes nothing. */
int dbfile_wal_check(const char *path, struct kerr *e);

/* 1 when another process has the journal at path open (it holds SQLite's
 * lock on PATH-shm), 0 otherwise. It opens and closes PATH-shm, which
 * drops any POSIX lock this process holds on it: call it only while this
 * process has no connection to the journal. */
int dbfile_in_use(const char *path);

/* K_OK when path is an intact kith journal this kith can open (as
 * dbfile_restore checks a backup: application id, version, integrity);
 * K_ERR with what it is instead. Reads only. */
int dbfile_check(const char *path, struct kerr *e);

/* Replaces the journal at path with a copy of backup, after checking that
 * backup is an intact kith journal (integrity check, application id, a
 * version this kith can open). The current journal, if any, has its log
 * folded in when it is healthy and is then moved aside, with its side
 * files, to PATH.before-restore-YYYYMMDD-HHMMSS (*aside, free(); NULL when
 * there was none); no log of it stays beside the new journal. Refused
 * while another process has the journal open. On failure nothing changed
 * (an interruption between the moves leaves the old journal at *aside). */
int dbfile_restore(const char *path, const char *backup, char **aside, struct kerr *e);

#endif
