/* Goodwill: a per-contact balance derived from interactions, never stored.
 * The weights per kind and direction come from the config, in one place. */
#ifndef KITH_GOODWILL_H
#define KITH_GOODWILL_H

#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

/* Applies the config's weights to the journal's queries (journal_open does
 * this; call again after changing them). */
int goodwill_apply_weights(struct journal *j, const struct config *cfg, struct kerr *e);
/* The weight of one interaction of kind and direction under cfg. */
int goodwill_weight(const struct config *cfg, const char *kind, enum kdir dir);
/* Per contact with at least one interaction: gave, asked, mutual, balance,
 * last interaction; highest balance first. A window; clear with
 * ledger_clear. */
int goodwill_ledger(struct journal *j, size_t offset, size_t limit, struct ledger *out,
                    struct kerr *e);
/* Every ledger row in order, one at a time (valid only during the call);
 * cb returns nonzero to stop. Use this, not pages of goodwill_ledger, to walk
 * the whole ledger: each page recomputes every balance. */
typedef int (*goodwill_ledger_cb)(const struct ledger_row *r, void *ud);
int goodwill_ledger_each(struct journal *j, goodwill_ledger_cb cb, void *ud, struct kerr *e);
/* One JSON object per ledger row: id, name, gave, asked, mutual, balance,
 * last_interaction. */
int goodwill_ledger_each_json(struct journal *j, journal_json_cb cb, void *ud, struct kerr *e);

/* A balance in at most GOODWILL_SHORT_COLS columns, for a list's column:
 * "+12", "-999", then rounded to thousands ("+3k", "-12k"), tenths of a
 * million (".1M" to ".9M") and millions ("+3M"); 0 is "0". buf needs 8
 * bytes; returns buf. */
#define GOODWILL_SHORT_COLS 4
char *goodwill_short(int balance, char *buf);

/* Where a relationship stands, to read before an ask: the last time you
 * gave and asked, the asks since the last give, the referrals they made,
 * the last time you talked. */
struct goodwill_stand {
    int last_gave, last_asked, last_talked; /* KDATE_NONE: never */
    int asks_since_gave;
    int referrals, referrals_won; /* won: an offer, hired or won */
};
int goodwill_readiness(struct journal *j, const char *contact_id, struct goodwill_stand *out,
                       struct kerr *e);
/* s in one line of words for today, appended to b: "last gave 2026-10-02
 * (51 days ago) · last asked 2026-11-10 (12 days ago) · 2 asks since your
 * last give · referred you 3 times (1 hired, won or an offer) · talked 12
 * days ago". */
void goodwill_readiness_line(const struct goodwill_stand *s, int today, struct sbuf *b);

#endif
