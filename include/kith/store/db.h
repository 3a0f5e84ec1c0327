/* The journal file: opening, schema and migrations, transactions, backups.
 *
 * This is the store layer's entry point; the per-concept store modules
 * (dbcontact.h, dbinteraction.h, ...) take the struct db it opens. Nothing
 * outside the store layer sees SQLite. */
#ifndef KITH_DB_H
#define KITH_DB_H

#include "kith/util/kerr.h"
#include "kith/util/model.h"

#include <stddef.h>

#define DB_APPLICATION_ID 0x6B697468 /* "kith" */
#define DB_SCHEMA_VERSION 20

struct db;

enum db_flags {
    DB_CREATE = 1,   /* create the file (0600, in 0700 directories) if missing */
    DB_READONLY = 2, /* open for reading only */
    /* A new journal is made at version 1 and upgraded through every
     * version, as the test that the one-script schema equals the
     * migrations does (a new journal is otherwise made in one script). */
    DB_MIGRATE_FROM_V1 = 4,
};

/* Opens the journal at path. A missing file is created only with DB_CREATE
 * (K_NOTFOUND otherwise). A file that is not SQLite, an SQLite file that is
 * not kith's, or a journal from a newer kith is refused with K_ERR and left
 * byte-for-byte untouched. An older journal is backed up next to the file
 * (PATH.bak-vN) and migrated. On success *out owns the connection: release
 * it with db_close. */
int db_open(const char *path, int flags, struct db **out, struct kerr *e);
/* As db_open; before a step that can take long (an upgrade: seconds on a
 * large journal) notice receives a line for the user, when not NULL. */
typedef void (*db_notice_fn)(const char *msg, void *ud);
int db_open_notice(const char *path, int flags, db_notice_fn notice, void *ud, struct db **out,
                   struct kerr *e);
/* Closes the connection and sets *db to NULL. Accepts NULL and *db == NULL. */
void db_close(struct db **db);
/* 1 when db_open made the file (it did not exist before). */
int db_created(const struct db *db);
/* Closes like db_close, then removes the journal and its side files if
 * db_open made them: a command that fails on a journal it created leaves
 * nothing behind. */
void db_discard(struct db **db);
/* The path the journal was opened from (owned by db). */
const char *db_path(const struct db *db);
/* 1 when writes are impossible (opened read-only or the file is). */
int db_readonly(const struct db *db);

/* Every user action is one transaction. db_begin takes the write lock at
 * once (BEGIN IMMEDIATE) so a busy journal waits up to the busy timeout
 * rather than failing halfway. Nested calls open savepoints, so composite
 * actions can wrap single ones. After a failed db_commit the transaction is
 * still open: the caller rolls it back. */
int db_begin(struct db *db, struct kerr *e);
int db_commit(struct db *db, struct kerr *e);
/* Rolls back the innermost open transaction or savepoint, if any. */
void db_rollback(struct db *db);

/* SQLite's data_version: it changes when another connection commits. */
long long db_data_version(struct db *db);
/* The main file's version as this connection's pager sees it: it changes
 * when this connection commits to the journal (not for temporary tables,
 * not for a rollback). data_version covers the other connections. */
long long db_file_version(struct db *db);
/* While fn is set, a statement running when fn(ud) returns nonzero stops
 * with K_INTERRUPTED (fn is asked every few thousand SQLite steps; it must
 * be quick and must not use the journal). NULL removes it. */
void db_set_interrupt(struct db *db, int (*fn)(void *ud), void *ud);
/* A consistent copy of the journal at dest (SQLite's backup API), safe while
 * other connections write, written as kith/util/kfile.h writes every file: never
 * over the journal or its side files or anything but a regular file; an
 * existing dest only with force (K_EXISTS otherwise), and only once the
 * copy is complete and on disk, so a failure or a kill keeps the old one. */
int db_backup(struct db *db, const char *dest, int force, struct kerr *e);
/* A fresh random identity (KID_LEN hex characters and NUL). */
void db_new_id(char out[KID_LEN + 1]);
/* New ids for a bulk insert, handed out in ascending order: each batch is
 * a sorted set of db_new_id's random ids, so they are as random (and
 * their short forms as short) as ever, but a batch of inserts sweeps once
 * through every b-tree keyed by id instead of landing on random pages.
 * Start from {0}; db_ids_free when done. */
struct db_ids {
    char (*v)[KID_LEN + 1];
    size_t n, next;
    size_t expect; /* db_ids_expect's */
};
/* About n ids will be taken: the first batch is of n (up to the largest),
 * so that they all sweep through the b-trees once. */
void db_ids_expect(struct db_ids *ids, size_t n);
void db_ids_next(struct db_ids *ids, char out[KID_LEN + 1]);
void db_ids_free(struct db_ids *ids);
/* The shortest prefix (at least KID_SHORT characters) that names id uniquely
 * in the given table ("contact", "interaction", "referral", "thanks",
 * "forward").
 * Writes it into out (KID_LEN + 1 bytes). */
void db_short_id(struct db *db, const char *table, const char *id, char out[KID_LEN + 1]);

/* Goodwill weights: what one interaction of a kind and direction is worth.
 * kind "*" is the fallback for kinds without their own entry. The journal
 * keeps the weights its stored balances were weighed with; the first read
 * of a balance after this call makes them these (see dbsummary.h). */
struct db_weight {
    const char *kind;
    int gave, asked, mutual;
};
int db_set_weights(struct db *db, const struct db_weight *w, size_t n, struct kerr *e);

#endif
