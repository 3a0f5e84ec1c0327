/* Store: SQL for the goodwill ledger. */
#ifndef KITH_DBLEDGER_H
#define KITH_DBLEDGER_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Contacts with at least one interaction, highest balance first. */
int dbledger_list(struct db *db, size_t offset, size_t limit, struct ledger *out, struct kerr *e);
/* Every row in order, one at a time: one pass over the journal, where pages
 * of dbledger_list would each repeat the whole aggregate. */
typedef int (*dbledger_cb)(const struct ledger_row *r, void *ud);
int dbledger_each(struct db *db, dbledger_cb cb, void *ud, struct kerr *e);
int dbledger_each_json(struct db *db, kjson_cb cb, void *ud, struct kerr *e);

/* Where a relationship stands before an ask (see goodwill_readiness). */
struct dbledger_stand {
    int last_gave, last_asked, last_talked; /* dates, KDATE_NONE for never */
    int asks_since_gave;                    /* asks after the last give (all, if none) */
    int referrals;                          /* referrals they made for you */
    int referrals_won;                      /* of those, hired, won or an offer */
};
int dbledger_stand(struct db *db, const char *contact_id, struct dbledger_stand *out,
                   struct kerr *e);

#endif
