/* Store, private to kith's sync (dbsync*.c): the schema as sync sees it,
 * values, and the session extension's changeset format. */
#ifndef KITH_DBSYNC_INTERNAL_H
#define KITH_DBSYNC_INTERNAL_H

#include "db_internal.h"

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

#endif
