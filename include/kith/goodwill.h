/* Goodwill: a per-contact balance derived from interactions, never stored.
 * The weights per kind and direction come from the config, in one place. */
#ifndef KITH_GOODWILL_H
#define KITH_GOODWILL_H

#include "kith/journal.h"
#include "kith/model.h"

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

#endif
