/* Store: the SQL behind dupes.h -- contacts that may be the same person,
 * merging two contacts. Called by the core's
 * dupes module only. */
#ifndef KITH_DBDUPES_H
#define KITH_DBDUPES_H

#include "kith/store/db.h"

#include <stddef.h>

/* Why two contacts may be one person (bits of a pair's reasons). */
enum dbdupes_reason {
    DBDUPES_EMAIL = 1,        /* the same email, case aside */
    DBDUPES_PHONE = 2,        /* the same number, its last nine digits */
    DBDUPES_NAME_COMPANY = 4, /* the same name at the same company */
    DBDUPES_NAME = 8,         /* the same name */
    DBDUPES_SIMILAR = 16,     /* names alike (found by the core) */
};

/* Receives a pair: a was added before b. detail is what they share (an
 * email, a phone, a name). Valid only during the call; nonzero stops. */
typedef int (*dbdupes_pair_cb)(const char *a, const char *b, enum dbdupes_reason why,
                               const char *detail, void *ud);
/* Every pair of contacts that share an email, a phone (of at least seven
 * digits), a name and company, or a name (LinkedIn profiles are for the
 * caller to compare: dbdupes_distinct). An email or phone shared by many
 * pairs only its first 32 contacts. arrived: only the pairs that hold a
 * contact that arrived (dbdupes_arrivals_begin): with one there before, or
 * with another that arrived. */
int dbdupes_same(struct db *db, int arrived, dbdupes_pair_cb cb, void *ud, struct kerr *e);

/* Receives each contact with its folded name and block, in block order,
 * and 1 when it arrived. Valid only during the call; nonzero stops. */
typedef int (*dbdupes_name_cb)(const char *id, long long key, const char *name_fold,
                               const char *block, int arrived, void *ud);
/* Every contact, grouped by the last word of its folded name (last = 1) or
 * by the first (last = 0), so that the core compares names only within a
 * group. arrived: only the groups that hold a contact that arrived. */
int dbdupes_names(struct db *db, int last, int arrived, dbdupes_name_cb cb, void *ud,
                  struct kerr *e);

/* From dbdupes_arrivals_begin to dbdupes_arrivals_end, the connection
 * notes each contact added (a sync's applies add them): the arrivals. */
int dbdupes_arrivals_begin(struct db *db, struct kerr *e);
void dbdupes_arrivals_end(struct db *db);
/* How many arrivals are in the journal, into *n; *others is 1 when it
 * holds a contact that is not one. */
int dbdupes_arrivals(struct db *db, size_t *n, int *others, struct kerr *e);
/* The contact's name into *name (free()); K_NOTFOUND when there is none. */
int dbdupes_name(struct db *db, const char *id, char **name, struct kerr *e);
/* 1 when both contacts have LinkedIn profiles and share none. */
int dbdupes_distinct(struct db *db, const char *a, const char *b, int *out, struct kerr *e);

/* What a merge moved from one contact to the other. */
struct dbdupes_moved {
    size_t interactions, referrals, thanks;
};
/* Inside the caller's transaction: gives other's interactions, referrals
 * (made and received), thank-yous and reminder state to keep, then deletes
 * other (its details go with it). */
int dbdupes_move(struct db *db, const char *keep, const char *other, struct dbdupes_moved *m,
                 struct kerr *e);

#endif
