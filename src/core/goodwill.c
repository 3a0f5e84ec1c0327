#include "kith/goodwill.h"

#include "kith/db.h"
#include "kith/dbledger.h"
#include "kith/kstr.h"

#include <stdlib.h>
#include <string.h>

int goodwill_apply_weights(struct journal *j, const struct config *cfg, struct kerr *e)
{
    struct db_weight *w = kcalloc(cfg->nweights ? cfg->nweights : 1, sizeof *w);
    for (size_t i = 0; i < cfg->nweights; i++) {
        w[i].kind = cfg->weights[i].kind;
        w[i].gave = cfg->weights[i].gave;
        w[i].asked = cfg->weights[i].asked;
        w[i].mutual = cfg->weights[i].mutual;
    }
    int rc = db_set_weights(journal_db(j), w, cfg->nweights, e);
    free(w);
    return rc;
}

int goodwill_weight(const struct config *cfg, const char *kind, enum kdir dir)
{
    const struct config_weight *any = NULL;
    for (size_t i = 0; i < cfg->nweights; i++) {
        const struct config_weight *w = &cfg->weights[i];
        if (!strcmp(w->kind, "*"))
            any = w;
        else if (kind && !strcmp(w->kind, kind))
            return dir == KDIR_GAVE ? w->gave : dir == KDIR_ASKED ? w->asked : w->mutual;
    }
    if (!any)
        return 0;
    return dir == KDIR_GAVE ? any->gave : dir == KDIR_ASKED ? any->asked : any->mutual;
}

int goodwill_ledger(struct journal *j, size_t offset, size_t limit, struct ledger *out,
                    struct kerr *e)
{
    return dbledger_list(journal_db(j), offset, limit, out, e);
}

int goodwill_ledger_each(struct journal *j, goodwill_ledger_cb cb, void *ud, struct kerr *e)
{
    return dbledger_each(journal_db(j), cb, ud, e);
}

int goodwill_ledger_each_json(struct journal *j, journal_json_cb cb, void *ud, struct kerr *e)
{
    return dbledger_each_json(journal_db(j), cb, ud, e);
}
