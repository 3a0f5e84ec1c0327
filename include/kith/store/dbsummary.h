/* Store: the per-contact summary (last interaction, counts per direction,
 * goodwill), kept exact by triggers in the same transaction as every write
 * to contacts and interactions, and checked or rebuilt from the
 * interactions. Its balances use the goodwill weights stored in the journal
 * (goodwill_weight); the store makes those the connection's own before it
 * reads a balance (see dbsummary_ready). */
#ifndef KITH_DBSUMMARY_H
#define KITH_DBSUMMARY_H

#include "kith/store/db.h"

#include <stddef.h>

/* Makes the balances the summary holds those of the weights last given to
 * db_set_weights: when the journal's stored weights differ (another
 * config), they are replaced and every balance weighed again, in one
 * transaction (a pass over every interaction); on a read-only journal a
 * temporary copy of the summary holds this connection's balances instead.
 * Cheap when nothing changed: the store's readers call it before reading
 * a balance. */
int dbsummary_ready(struct db *db, struct kerr *e);

/* What dbsummary_check found. */
struct dbsummary_report {
    size_t contacts; /* contacts in the journal */
    size_t wrong;    /* their summary rows that differ from the interactions */
    size_t missing;  /* contacts without a summary row */
    size_t extra;    /* summary rows without a contact */
    int weights;     /* the stored weights were not the connection's */
};

/* Compares the summary with what the interactions and the weights give
 * (every column of every contact's row) and, when repair is set and
 * something differs, rebuilds it in one transaction. */
int dbsummary_check(struct db *db, int repair, struct dbsummary_report *out, struct kerr *e);

/* SQLite's quick check of the file (PRAGMA quick_check: b-trees, pages,
 * NOT NULL; indexes against their tables only in integrity_check, which
 * costs several times as much): *damage is NULL when the file is sound, or
 * a new string (free()) of the first problems found. */
int dbsummary_quick_check(struct db *db, char **damage, struct kerr *e);

#endif
