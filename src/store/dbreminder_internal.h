/* Store, private to the reminder evaluation (dbreminder.c) and its SQL
 * functions (dbremindfn.c): the state they share per connection. */
#ifndef KITH_DBREMINDER_INTERNAL_H
#define KITH_DBREMINDER_INTERNAL_H

#include "db_internal.h"

#include <stdint.h>

/* What the reminder evaluation keeps per connection, beside its temporary
 * tables. */
struct db_reminder {
    int fns; /* the SQL functions are registered */
    int ids; /* rids matches the last evaluation */
    struct db_rid {
        uint64_t rid;      /* a reminder's id (kith_rid) as a number */
        sqlite3_int64 due; /* its row in temp.reminder_due */
    } * rids;              /* sorted by rid (dbreminder.c's ensure_ids) */
    size_t nrids;
    char today[10]; /* the day kith_stat counts up to, YYYY-MM-DD */
};

/* db's reminder state, made on first use (owned by db, freed by
 * dbreminder_free). */
struct db_reminder *dbreminder_state(struct db *db);

/* Registers the evaluation's SQL functions (kith_stat, kith_rid, kith_sid,
 * kith_day, kith_date, kith_field, kith_render, kith_next_birthday) and the
 * ids' table (kith_reminder_rid) on db's connection; an SQLite status. */
int dbremindfn_register(struct db *db);

/* A reminder's id as a number: FNV-1a over its n fields; its 16 hex digits
 * into out (17 bytes). */
uint64_t dbremindfn_hash(const unsigned char *const *fields, int n);
void dbremindfn_format(uint64_t h, char *out);
/* Where id v is, or would be, in the evaluation's sorted ids; whether an id
 * other than v (at place lo) starts with v's 6 hex digits. */
size_t dbremindfn_place(struct db *db, uint64_t v);
int dbremindfn_shared(struct db *db, size_t lo, uint64_t v);

#endif
