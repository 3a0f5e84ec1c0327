/* Store: the queries behind kith ideas. Each walks an index over a bounded
 * part of the journal (a window of dates, the contacts with needs, with a
 * cadence, with a tag) and hands rows to a callback; the core ranks them.
 * Called by the core's ideas module only. */
#ifndef KITH_DBIDEAS_H
#define KITH_DBIDEAS_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* A contact as the ideas see it: id, name, and the date their silence
 * counts from (the last interaction, else when met, else when added). */
struct dbideas_who {
    char id[KID_LEN + 1];
    const char *name;
    int last;  /* last interaction, or KDATE_NONE */
    int since; /* what silence counts from */
};

/* An ask of one of kinds (",advice,resume-review,") dated from..to that
 * nothing followed: no later interaction with that contact. Oldest first. */
struct dbideas_ask {
    struct dbideas_who who;
    char interaction[KID_LEN + 1];
    int date;
    const char *kind, *summary;
};
typedef int (*dbideas_ask_cb)(const struct dbideas_ask *a, void *ud);
int dbideas_asks_unanswered(struct db *db, const char *kinds, int from, int to, size_t limit,
                            dbideas_ask_cb cb, void *ud, struct kerr *e);

/* Contacts (not archived) with a cadence of their own, silent for at least
 * that long on today. *cadence into the row. Longest overdue first. */
typedef int (*dbideas_silent_cb)(const struct dbideas_who *w, int cadence, void *ud);
int dbideas_past_cadence(struct db *db, int today, size_t limit, dbideas_silent_cb cb, void *ud,
                         struct kerr *e);
/* Contacts (not archived, without a cadence of their own) tagged tag
 * (folded) silent for at least days on today (cadence is days in the
 * callback). */
int dbideas_tag_silent(struct db *db, const char *tag, int days, int today, size_t limit,
                       dbideas_silent_cb cb, void *ud, struct kerr *e);

/* Contacts (not archived) asked of since from whose goodwill is below 0:
 * the balance, the asks since the last time you gave (all of them when you
 * never did) and that day (KDATE_NONE). Lowest balance first. */
typedef int (*dbideas_owing_cb)(const struct dbideas_who *w, int goodwill, int asks, int last_gave,
                                void *ud);
int dbideas_owing(struct db *db, int from, size_t limit, dbideas_owing_cb cb, void *ud,
                  struct kerr *e);

/* A contact as an introduction sees them: what they need, what they
 * offer and work on, their tags (spelled as the user wrote them, ","
 * between). Valid during the callback. */
struct dbideas_giver {
    char id[KID_LEN + 1];
    const char *name, *needs, *offers, *working_on, *tags;
};
typedef int (*dbideas_giver_cb)(const struct dbideas_giver *g, void *ud);
/* Contacts (not archived) with needs, most recently changed first. */
int dbideas_with_needs(struct db *db, size_t limit, dbideas_giver_cb cb, void *ud, struct kerr *e);
/* Contacts (not archived, not but) whose searchable text matches fts (an
 * FTS5 query; NULL for none), best first, then those with a tag matching
 * one of the GLOB patterns in tags ("invest*,seed"), at most limit of each
 * kind (a contact may come twice). */
int dbideas_candidates(struct db *db, const char *fts, const char *tags, const char *but,
                       size_t limit, dbideas_giver_cb cb, void *ud, struct kerr *e);

/* 1 into *yes when an interaction of kind (NULL: any) with contact a (and
 * b, when not NULL), in direction dir (NULL: any), is dated on or after
 * since (KDATE_NONE: ever). */
int dbideas_done(struct db *db, const char *a, const char *b, const char *kind, const char *dir,
                 int since, int *yes, struct kerr *e);

#endif
