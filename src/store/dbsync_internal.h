/* Store, private to kith's sync, what its files share: dbsync.c (the
 * schema as sync sees it, the replica's state, capture, turning sync on,
 * the log), dbsync_wire.c (values and the changeset format),
 * dbsync_clock.c (the clock of each row), dbsync_apply.c (one change of
 * another replica's), dbsync_record.c (a record and a file of them) and
 * dbsync_peer.c (other replicas, snapshots). */
#ifndef KITH_DBSYNC_INTERNAL_H
#define KITH_DBSYNC_INTERNAL_H

#include "db_internal.h"

#include "kith/store/dbsync.h"

#include "kith/util/kstr.h"

#include <stddef.h>

struct scol {
    char *name;
    int pk;      /* part of the primary key */
    int lkey;    /* index of the locally keyed table this column holds a key of, or -1 */
    int parent;  /* index of the table a foreign key names, or -1 */
    char *pcol;  /* the column it names there */
    int stamped; /* its changes are compared (not a time of change) */
    int setnull; /* its foreign key is ON DELETE SET NULL */
};

struct stable {
    char *name;
    int ncol;
    struct scol *col;
    int key; /* the column of a local integer key (contact.key), or -1 */
    int id;  /* the column "id", or -1 */
    /* The apply's INSERT and SELECT of a whole row, made once (NULL until
     * then; for a change with every column, ncol == the table's). */
    char *sql_insert, *sql_read;
};

struct db_sync {
    int loaded;
    struct stable *t;
    int nt;
    sqlite3_session *sess;
    int applying; /* an apply: its changes are not this replica's own */
};

/* A value as a changeset holds it; type 0 is "not in the change". */
struct val {
    int type;
    sqlite3_int64 i;
    double f;
    const void *p;
    int n;
};

/* Owned copies of values, for a row read from the journal. */
struct row {
    int n;
    struct val *v;
    char **own;
};

/* A changeset being written. */
struct enc {
    struct sbuf b;
    const struct stable *t; /* of the last table header */
    size_t rows;
    int indirect; /* rows sent again whole (a contact kept against a delete) */
};

/* Values: of a changeset or a value (pointing into it), of a statement's
 * column (valid until it steps), of a string (pointing at it). */
struct val dbsync_val_of(sqlite3_value *v);
/* The row a changeset iterator is at, as its change has it: the new
 * values of an insert, the old of an update (its key) or a delete; ncol of
 * them, the caller frees the array (the values point into the iterator). */
struct val *dbsync_iter_row(sqlite3_changeset_iter *it, int ncol, int op);
struct val dbsync_val_col(sqlite3_stmt *st, int i);
struct val dbsync_val_text(const char *s);
/* 1 when a and b are the same value of the same type. */
int dbsync_val_same(const struct val *a, const struct val *b);
void dbsync_val_bind(sqlite3_stmt *st, int at, const struct val *v);
/* A value as text for a conflict's message (a new string, free()), NULL
 * for NULL. */
char *dbsync_val_str(const struct val *v);
/* A row read with owned copies of its n columns (dbsync_row_take);
 * dbsync_row_free frees them. */
void dbsync_row_free(struct row *r);
void dbsync_row_take(struct row *r, sqlite3_stmt *st, int n);

/* The changeset format: one value; one row (old values for DELETE and
 * UPDATE, new ones for INSERT and UPDATE) after its table's header. */
void dbsync_put_val(struct sbuf *b, const struct val *v);
void dbsync_put_row(struct enc *x, const struct stable *t, int ncol, int op, const struct val *old,
                    const struct val *new);
/* A row's identity across replicas: its primary key values (ids, not
 * local keys) as one string (new, free()). */
char *dbsync_pk_text(const struct stable *t, int ncol, const struct val *v);
/* Decodes n values dbsync_put_val wrote (pointing into p); 0 when the
 * data is not that. */
int dbsync_get_vals(const unsigned char *p, int len, struct val *v, int n);

/* The stamps a change sends with rows of its own (a contact kept against a
 * delete, sent again with its rows): each row's columns as the replica
 * that sends them has them stamped, not the change's stamp. They travel in
 * the changeset as rows of a table no journal has, sync_stamp (tbl, pk,
 * cols: "column:hlc:replica;" entries as sync_clock.cols), after the rows
 * they stamp; an apply reads them first (dbsync_stamps_read). Owns its
 * strings; dbsync_stamps_free accepts an empty one. */
struct dbsync_stamps {
    size_t n;
    struct dbsync_stamp_row {
        char *tbl, *pk, *cols;
        size_t at; /* its place in the change: the first of a row counts */
    } * v;
};
void dbsync_put_stamps(struct enc *x, const char *table, const char *pk, const char *cols);
/* The stamps of every row a change sends, as compactly (a journal's first
 * change, dbsync_send_whole's): dbsync_pack_add once for each row put in
 * the change since the last pack, in order (cols as above, NULL or "" for
 * none); then dbsync_pack_put appends them, which dbsync_stamps_read reads
 * as if each were its own sync_stamp row, and frees the pack. A change
 * with a pack needs a kith that reads SYNC_FORMAT 3. */
struct dbsync_pack {
    struct sbuf data;
    size_t n;
    char **rep;
    size_t nrep;
};
void dbsync_pack_add(struct dbsync_pack *k, const char *cols);
void dbsync_pack_put(struct enc *x, struct dbsync_pack *k);
void dbsync_pack_free(struct dbsync_pack *k);
void dbsync_stamps_read(const void *buf, int n, struct dbsync_stamps *out);
/* The entries for table's row pk, or NULL (a binary search: a journal's
 * first change sends every row's). */
const char *dbsync_stamps_find(const struct dbsync_stamps *s, const char *table, const char *pk);
void dbsync_stamps_free(struct dbsync_stamps *s);
/* 1 when table is that of the stamps a change sends. */
int dbsync_is_stamps(const char *table);
/* The row a changeset's iterator is at, into x as it is (t: its table,
 * NULL for the stamps a change sends). */
void dbsync_copy_row(struct enc *x, sqlite3_changeset_iter *it, const struct stable *t);

/* Local keys to ids: those of rows deleted in the change come from the
 * change itself, the others from the journal. */
struct keymap {
    int table;
    sqlite3_int64 key;
    char *id;
};

/* A hash table (zeroed: empty): cap slots, a power of two, at most half
 * of them used; a slot with id NULL is free. A journal's first sync maps
 * every contact's key, so a look-up must not walk them. */
struct keys {
    struct keymap *v;
    size_t n, cap;
};
/* Adds key's id (taking it) unless the table already has one for the key:
 * the first stays (a row deleted in a change, named by the change, before
 * a row given its key since). The id kept, valid until k is freed. */
const char *dbsync_keys_put(struct keys *k, int table, sqlite3_int64 key, char *id);

/* When a change was made: the replica's hybrid logical clock, and the
 * replica (which decides between equal clocks: the greater id is later). */
struct stamp {
    sqlite3_int64 hlc;
    char rep[DBSYNC_ID_LEN + 1];
};

/* sync_clock's row for one row of the journal: alive or deleted, its
 * stamp (of its insert or delete) and the stamps of columns changed since,
 * as "column:hlc:replica;" entries. */
struct clock {
    int found;
    int alive;
    struct stamp row;
    char *cols;
    /* A deleted row's last values (put_val each, ids for keys): what an
     * insert of the same row made before one of its changes merges
     * with. */
    void *data;
    int ndata;
};

/* A delete left out with a contact kept against it: rows of table whose
 * col holds val. */
struct skip {
    int table;
    char *col;
    char *val;
};

/* Column col of table's row pk held val (an id) before a row the record
 * moved was buried here (bury_moved) and SQLite emptied it. */
struct emptied {
    int table, col;
    char *pk, *val;
};

/* One apply: the record being applied and what it decided. */
/* The values a changeset's deletes held in the columns that other tables
 * name ON DELETE CASCADE, read in one pass: every row the record deletes
 * asks it. Owns its keys; dbsync_gone_free accepts NULL. */
struct dbsync_gone {
    char **k;
    size_t n;
    /* Rows (an interaction) whose link to a contact the record deletes
     * (interaction_contact) the record deletes too: the rows went with
     * their last link (dbcontact_delete deletes them itself). */
    char **l;
    size_t nl;
    /* Each value of each row the record deletes (table, column, text). */
    char **d;
    size_t nd;
};

struct ap {
    struct db *db;
    struct db_sync *s;
    const char *replica;
    struct stamp st; /* of the record being applied */
    struct dbsync_applied *out;
    char **kept; /* ids of contacts kept against this record's delete */
    size_t nkept;
    struct skip *skip; /* deletes left out with them */
    size_t nskip;
    int *retry; /* indexes of changes whose parent was not there yet */
    size_t nretry;
    int unparking; /* applying parked changes again */
    int still;     /* the parked change still names a row that is not here */
    /* The stamps of the change being applied: a parked change's
     * (sync_parked.stamps) while it is applied again, or a row's the
     * record sends with it (stamps); NULL: each column has a->st. */
    char *pcols;
    struct dbsync_stamps stamps;
    /* What the record being applied deletes; empty for a parked change. */
    struct dbsync_gone gone;
    /* The record's changes (NULL outside apply_rec): moved_by_record. */
    const void *rec;
    int nrec;
    /* Rows dbsync_kept_moved emptied: sent again with the kept contacts. */
    struct enc again;
    /* Values the record's moves into a deleted row emptied here on the way
     * (bury_moved: ON DELETE SET NULL): not the record's doing. */
    struct emptied *emptied;
    size_t nemptied;
};

/* dbsync.c: the schema as sync sees it, the replica's state, capture. */
/* The session's table filter: the synced tables (dbsync_synced). */
int dbsync_table_filter(void *ud, const char *table);
int dbsync_col_index(const struct stable *t, const char *name);
int dbsync_keep(struct db *db, const void *buf, size_t n, struct kerr *e);
void dbsync_keys_free(struct keys *k);
void dbsync_new_replica_id(char out[DBSYNC_ID_LEN + 1]);
/* A row dbsync_put_rows leaves out: 1 when the row (v, ids for keys) is
 * not to be sent. */
typedef int (*dbsync_row_skip)(void *ud, const struct stable *t, const struct val *v);
int dbsync_put_rows(struct db *db, struct enc *x, struct keys *k, const struct stable *t,
                    const char *col, const struct val *val, dbsync_row_skip skip, void *ud,
                    struct kerr *e);
int dbsync_schema(struct db *db, struct kerr *e);
void dbsync_schema_free(struct db_sync *s);
struct db_sync *dbsync_state(struct db *db);
int dbsync_table_index(const struct db_sync *s, const char *name);
int dbsync_to_ids(struct db *db, const struct db_sync *s, struct keys *k, const struct stable *t,
                  int ncol, struct val *v);
int dbsync_translate(struct db *db, const void *buf, int n, struct enc *x, struct kerr *e);
void dbsync_gone_read(const struct db_sync *s, const void *buf, int n, struct dbsync_gone *g);
void dbsync_gone_free(struct dbsync_gone *g);
/* 1 when the row v[i] names (column i of t) is one the record deletes. */
int dbsync_gone_names(const struct db_sync *s, const struct dbsync_gone *g, const struct stable *t,
                      int i, const struct val *v);
/* 1 when the row v[i] names (column i of t, its wire value: a local key
 * as the id) is one the record deletes, whatever names it. */
int dbsync_gone_deletes(const struct db_sync *s, const struct dbsync_gone *g,
                        const struct stable *t, int i, const struct val *v);
/* The column of a row deleted in a changeset (old values old; g its
 * dbsync_gone) that names, ON DELETE CASCADE, a row the changeset deletes
 * too: the delete was a cascade where it was made. t->ncol where the row
 * went with its last link to a contact the changeset deletes (an
 * interaction with that contact alone), a cascade of that link. -1 when
 * none, or when g is NULL or empty (a parked change). */
int dbsync_origin_cascade(const struct db_sync *s, const struct dbsync_gone *g,
                          const struct stable *t, int ncol, const struct val *old);

/* dbsync_clock.c: the clock of each row (sync_clock). Strings and data
 * a clock holds are its own (dbsync_clock_clear). */
void dbsync_bury(struct clock *c, int ncol, const struct val *v, const struct stamp *s);
void dbsync_clock_clear(struct clock *c);
int dbsync_clock_get(struct db *db, const char *table, const char *pk, struct clock *c,
                     struct kerr *e);
int dbsync_clock_put(struct db *db, const char *table, const char *pk, const struct clock *c,
                     struct kerr *e);
struct stamp dbsync_col_stamp(const struct clock *c, int i);
struct stamp dbsync_deleted_at(const struct clock *c);
struct stamp dbsync_max_stamp(const struct clock *c, int ncol);
void dbsync_set_col(struct clock *c, int i, const struct stamp *s);
/* Sets the stamps of the ncol columns that entries ("column:hlc:replica;"
 * as cols, "*" too: dbsync_col_stamp) names; one equal to the row's is
 * the row's. */
void dbsync_set_cols(struct clock *c, int ncol, const char *entries);
void dbsync_unset_col(struct clock *c, int i);
/* Where column i names a row: the stamp of the change that set its value
 * (a contact kept against a delete sends the row again with the column
 * stamped anew, its value unchanged: stamp_again); the column's stamp
 * where no other is noted. */
struct stamp dbsync_moved_at(const struct clock *c, int i);
void dbsync_set_moved(struct clock *c, int i, const struct stamp *s);
/* Column i's entry of that in entries (cols as sent), if any, into c. */
void dbsync_copy_moved(struct clock *c, int i, const char *entries);
/* A row that went by cascade (a row it named was deleted) is marked so:
 * a change older than that delete that moved it away brings it back. */
void dbsync_mark_cascade(struct clock *c);
int dbsync_is_cascade(const struct clock *c);
/* Of those, a row the delete did not name (made where the delete was not
 * seen): a move away, even later than the delete, brings it back. */
/* A contact's delete carries, as stamps of its row, the stamp each of its
 * columns had where it was deleted (dbsync_seen_cols: a new string); the
 * row's clock notes them where the delete is applied (dbsync_note_seen),
 * and dbsync_seen_at reads column i's (0 when not noted: an older kith's
 * delete). A change to a column later than what the delete saw of it is
 * one the replica that deleted had not seen. */
char *dbsync_seen_cols(const struct clock *c, int ncol);
void dbsync_note_seen(struct clock *c, int ncol, const char *seen);
int dbsync_seen_at(const struct clock *c, int i, struct stamp *out);
/* Notes that this replica has applied replica s.rep's changes up to s
 * (sync_knew): what each delete of a contact says it had seen of s.rep. */
int dbsync_knew_note(struct db *db, const struct stamp *s, struct kerr *e);
/* A contact's delete carries too what the replica deleting had of every
 * replica's changes (dbsync_knew_put: one entry for each, with the
 * stamps; noted in the tomb with the rest, dbsync_note_vector): a row
 * that names the contact, changed where the delete had not seen the
 * change (an interaction logged with it), keeps the contact as an edit
 * does. dbsync_knew_any: 0 for an older kith's delete, which carries
 * none. dbsync_knew: 1 when the change stamped s was there.
 * dbsync_change_unseen: 1 when the change that made t's row (clock c,
 * values here, ids for keys; NULL for the link alone) name the contact, or
 * a row that does, in column link (ON DELETE CASCADE) was not, or an edit
 * of one of the row's own values (a referral's outcome); saw: the row as
 * the delete named it (its old values), NULL where it does not: what the
 * delete named as it is here was there, whatever its stamps. */
void dbsync_knew_put(struct sbuf *b, const struct stamp *s);
void dbsync_note_vector(struct clock *c, const char *seen);
int dbsync_knew_any(const char *entries);
int dbsync_knew(const char *entries, const struct stamp *s);
int dbsync_change_unseen(const struct clock *c, const struct stable *t, int ncol, int link,
                         const char *knew, const struct val *here, const struct val *saw);
/* 1 when column i of t is one whose change counts against a delete: not
 * its keys, whose stamps are the row's (a contact kept against another
 * delete comes back with a new one), nor a contact's archived flag (what
 * such a keep sets). */
int dbsync_edit_col(const struct stable *t, int i);
/* 1 when such a column of t's row whose clock is c is stamped later than
 * seen (a delete's) has it. */
int dbsync_unseen(const struct clock *c, const struct stable *t, int ncol, const char *seen);
/* A row this replica deletes notes the stamp it had, if it was alive
 * (dbsync_mark_before);
 * dbsync_unbury brings it back as it was before that delete, 0 when no
 * such stamp is noted. */
void dbsync_mark_before(struct clock *c);
int dbsync_unbury(struct clock *c);
void dbsync_mark_unnamed(struct clock *c);
int dbsync_is_unnamed(const struct clock *c);
/* A delete at d that named the row (ON DELETE CASCADE, where it was made)
 * and left it here, moved elsewhere first (moved_before): a move into the
 * row deleted at d that comes later buries it as named. */
void dbsync_mark_named(struct clock *c, const struct stamp *d);
int dbsync_named_by(const struct clock *c, const struct stamp *d);
/* Column i is NULL as a delete of the row it named left it (ON DELETE SET
 * NULL); was is the stamp of the value it emptied. A change later than
 * that value and not later than the NULL (a merge's move of a referral's
 * target) had moved it elsewhere where it came first: it wins. A stamp
 * of the column anew drops it. */
void dbsync_set_nulled(struct clock *c, int i, const struct stamp *was);
struct stamp dbsync_nulled_at(const struct clock *c, int i);
/* With dbsync_set_nulled: the id of the row the value named (v, text), so
 * that the row, found later not to have gone with that delete (moved off
 * what the delete took before it: a merge's move met after the delete),
 * gives the value back (dbsync_give_back). dbsync_emptied_of says whether
 * column i was emptied naming v. Dropped as the NULLED entry is. */
void dbsync_set_emptied(struct clock *c, int i, const struct val *v);
int dbsync_emptied_of(const struct clock *c, int i, const struct val *v);
int dbsync_stamp_cmp(const struct stamp *a, const struct stamp *b);

/* dbsync_apply.c: applying one change of another replica's. */
/* Row id of pt was found not to have gone with the delete at d after all
 * (moved off what d took, before d, and met after it: revive_moved, or
 * left_kept where it was kept with a contact kept against d): each value
 * d emptied naming it (ON DELETE SET NULL, noted: dbsync_set_emptied)
 * comes back, with the stamp it had, as where the move came first and d
 * left it (left_before_delete). */
int dbsync_give_back(struct ap *a, const struct stable *pt, const struct val *id,
                     const struct stamp *d, struct kerr *e);
/* Rows moved to a contact kept against the record's delete, before it. */
int dbsync_kept_moved(struct ap *a, const char *id, struct kerr *e);
int dbsync_apply_one(struct ap *a, sqlite3_changeset_iter *it, int last_try, int *retry,
                     struct kerr *e);
/* Lists a value not taken (kept and other are taken, freed); kept_rep and
 * other_rep: the replicas that made each value ("" or NULL: not known). */
int dbsync_conflict(struct ap *a, const struct stable *t, int ncol, const struct val *ids,
                    const char *field, char *kept, char *other, const char *kept_rep,
                    const char *other_rep, const char *rule, struct kerr *e);
int dbsync_is_contact(const struct stable *t);
/* 1 when v is the id of a contact kept against the record's delete. */
int dbsync_is_kept(const struct ap *a, const struct val *v);
sqlite3_int64 dbsync_local_key(struct db *db, const struct stable *t, const struct val *id,
                               int *found);
/* A change that waits for a row it names (sync_parked); cs, the stamps of
 * its ncol columns (NULL: each has a->st, the change's). */
int dbsync_park(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                const struct val *neww, const struct stamp *cs, struct kerr *e);
/* The stamp of column i of the change being applied: a->st, or for a
 * parked change the column's own; i = -1, an insert's own (when the row
 * came, not when an update that went into it was made). */
struct stamp dbsync_change_stamp(const struct ap *a, int i);
int dbsync_skipped(const struct ap *a, const struct stable *t, int ncol, const struct val *v);
/* 1 when the row the delete at it names is kept with a contact kept
 * against the record's delete, as the row is here (a row moved off that
 * contact later than the delete is not), or as the record has it where the
 * row is not here. */
int dbsync_delete_kept(struct ap *a, sqlite3_changeset_iter *it);
/* The value bury_moved emptied in column col of t's row pk in the record
 * being applied, or NULL. */
const char *dbsync_emptied(const struct ap *a, const struct stable *t, const char *pk, int col);
void dbsync_emptied_free(struct ap *a);

/* Diagnostics for the tests' divergence hunts: with KITH_SYNC_DEBUG=TABLE:PK
 * in the environment, what happens to that row (a change applied, parked,
 * left out) goes to stderr with its stamps; nothing otherwise. */
int dbsync_debug_on(const char *table, const char *pk);
void dbsync_debug_change(struct ap *a, const char *what, const struct stable *t, int ncol, int op,
                         const struct val *oldw, const struct val *neww, const char *pk);
void dbsync_debug_clock(struct ap *a, const char *what, const char *table, const char *pk);

#endif
