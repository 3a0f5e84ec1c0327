/* Trends you can see: acts per week, gave/asked/mutual per month, how soon
 * you thank, what came of referrals, how challenges went, who opened doors
 * for you; and the Unicode bars and sparklines that draw them (shapes, not
 * colors: they read on any terminal and in a pipe). */
#ifndef KITH_STATS_H
#define KITH_STATS_H

#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

struct stats_week {
    int monday;
    int acts; /* interactions, pay-it-forwards and thank-yous */
};

struct stats_month {
    int first; /* its first day */
    int gave, asked, mutual, forward;
};

struct stats_challenge {
    int started_on, days, done, habit;
    int active; /* the running one */
};

struct stats_referrer {
    struct kref who;
    int referrals, won; /* won: an offer, hired or won */
};

struct stats {
    int since, until;
    struct stats_week *weeks; /* every week from since's Monday to until's */
    size_t nweeks;
    struct stats_month *months; /* every month from since's to until's */
    size_t nmonths;
    int acts; /* over the weeks */
    int referrals, thanked;
    int latency_median; /* days from a referral to its thank-you; -1 when none thanked */
    int outcomes[KOUT_COUNT];
    struct stats_challenge *challenges; /* those with days in the range, newest first */
    size_t nchallenges;
    struct stats_referrer *top; /* who opened most doors, at most 5 */
    size_t ntop;
};

/* The figures from since (KDATE_NONE: the first of the month eleven months
 * back, a year of months) to today. *out is new: stats_free. K_USAGE when
 * since is after today. */
int stats_get(struct journal *j, int since, struct stats **out, struct kerr *e);
/* Frees *s and sets it to NULL. Accepts NULL. */
void stats_free(struct stats **s);
/* s as one JSON object: since, until, acts_per_week [{week, acts}],
 * per_month [{month, gave, asked, mutual, forward}], thanks {referrals,
 * thanked, median_days}, outcomes {pending: n, ...}, challenges
 * [{started_on, days, done, completion, habit_strength, active}],
 * opened_doors [{id, name, referrals, won}]. *json: free(). */
int stats_json(struct journal *j, const struct stats *s, char **json, struct kerr *e);

/* Interactions with one contact in each of the last 12 months, oldest
 * first, the last being today's month, into counts. */
int stats_contact_months(struct journal *j, const char *contact_id, int counts[12], struct kerr *e);

/* A sparkline of n values: one character each, · for none and ▁ to █ for
 * the rest, scaled to the largest. Appended to b. */
void stats_spark(const int *v, size_t n, struct sbuf *b);
/* A bar of v out of max in at most width columns: full blocks and one of
 * the eighths ▏▎▍▌▋▊▉ for what is left; nothing for 0. Appended to b. */
void stats_bar(int v, int max, int width, struct sbuf *b);

#endif
