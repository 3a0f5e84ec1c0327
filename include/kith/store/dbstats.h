/* Store: the counts behind kith stats, each grouped in SQL over an index
 * range of dates. Called by the core's stats module only. */
#ifndef KITH_DBSTATS_H
#define KITH_DBSTATS_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Acts (interactions, pay-it-forwards, thank-yous) per week from since to
 * until, each week by its Monday: cb(monday, acts) for the weeks with
 * any, in order. */
typedef int (*dbstats_count_cb)(int day, int n, void *ud);
int dbstats_acts_by_week(struct db *db, int since, int until, dbstats_count_cb cb, void *ud,
                         struct kerr *e);
/* Per month (its first day) with any: interactions gave, asked, mutual,
 * and pay-it-forwards, in order. */
typedef int (*dbstats_month_cb)(int first, int gave, int asked, int mutual, int forward, void *ud);
int dbstats_by_month(struct db *db, int since, int until, dbstats_month_cb cb, void *ud,
                     struct kerr *e);
/* For each referral dated since..until: its outcome, and the days from it
 * to the thank-you that counts for it (-1 when none). */
typedef int (*dbstats_referral_cb)(const char *outcome, int latency, void *ud);
int dbstats_referrals(struct db *db, int since, int until, dbstats_referral_cb cb, void *ud,
                      struct kerr *e);
/* The referrers of since..until, most referrals first, at most limit:
 * cb(id, name, referrals, of them with an offer, hired or won). */
typedef int (*dbstats_referrer_cb)(const char *id, const char *name, int referrals, int won,
                                   void *ud);
int dbstats_referrers(struct db *db, int since, int until, size_t limit, dbstats_referrer_cb cb,
                      void *ud, struct kerr *e);
/* Interactions with one contact per month (its first day) from since on:
 * cb(first, n) for the months with any. */
int dbstats_contact_months(struct db *db, const char *contact_id, int since, dbstats_count_cb cb,
                           void *ud, struct kerr *e);

#endif
