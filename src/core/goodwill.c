#include "kith/core/goodwill.h"

#include "kith/store/db.h"
#include "kith/store/dbledger.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

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

int goodwill_readiness(struct journal *j, const char *contact_id, struct goodwill_stand *out,
                       struct kerr *e)
{
    struct dbledger_stand s;
    int rc = dbledger_stand(journal_db(j), contact_id, &s, e);
    if (rc == K_OK) {
        out->last_gave = s.last_gave;
        out->last_asked = s.last_asked;
        out->last_talked = s.last_talked;
        out->asks_since_gave = s.asks_since_gave;
        out->referrals = s.referrals;
        out->referrals_won = s.referrals_won;
    }
    return rc;
}

/* "2026-10-02 (51 days ago)", "today", "yesterday". */
static void when(struct sbuf *b, int day, int today)
{
    char d[KDATE_BUF];
    int ago = today - day;
    if (ago == 0)
        sbuf_add(b, "today");
    else if (ago == 1)
        sbuf_add(b, "yesterday");
    else
        sbuf_printf(b, "%s (%d days ago)", kdate_format(day, d), ago);
}

char *goodwill_short(int balance, char *buf)
{
    /* In unsigned: -INT_MIN does not fit an int. */
    unsigned u = balance < 0 ? 0u - (unsigned)balance : (unsigned)balance;
    /* Rounded to the nearest (2,600 reads "+3k"), a unit up where three
     * digits and a sign would no longer fit, tenths of it (".1M") between
     * 99.5k and 950k, where "+100k" would be five columns: every figure
     * left is at most two digits. */
    static const struct {
        unsigned from, div;
        char tenths, unit;
    } steps[] = {
        {950000000u, 1000000000u, 0, 'G'},
        {99500000u, 100000000u, 1, 'G'},
        {950000u, 1000000u, 0, 'M'},
        {99500u, 100000u, 1, 'M'},
        {1000u, 1000u, 0, 'k'},
    };
    char tenths = 0, unit = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (u >= steps[i].from) {
            u = (unsigned)(((unsigned long long)u + steps[i].div / 2) / steps[i].div);
            tenths = steps[i].tenths;
            unit = steps[i].unit;
            break;
        }
    }
    /* By hand: a listing calls this for every row. */
    char *p = buf;
    if (balance)
        *p++ = balance > 0 ? '+' : '-';
    if (tenths)
        *p++ = '.';
    if (u >= 100)
        *p++ = (char)('0' + u / 100);
    if (u >= 10)
        *p++ = (char)('0' + u / 10 % 10);
    *p++ = (char)('0' + u % 10);
    if (unit)
        *p++ = unit;
    *p = '\0';
    return buf;
}

void goodwill_readiness_line(const struct goodwill_stand *s, int today, struct sbuf *b)
{
    if (s->last_gave != KDATE_NONE) {
        sbuf_add(b, "last gave ");
        when(b, s->last_gave, today);
    } else {
        sbuf_add(b, "never gave");
    }
    if (s->last_asked != KDATE_NONE) {
        sbuf_add(b, " · last asked ");
        when(b, s->last_asked, today);
        sbuf_printf(b, " · %d ask%s since %s", s->asks_since_gave,
                    s->asks_since_gave == 1 ? "" : "s",
                    s->last_gave != KDATE_NONE ? "your last give" : "you began");
    } else {
        sbuf_add(b, " · never asked");
    }
    if (s->referrals)
        sbuf_printf(b, " · referred you %d time%s", s->referrals, s->referrals == 1 ? "" : "s");
    if (s->referrals_won)
        sbuf_printf(b, " (%d with an offer, hired or won)", s->referrals_won);
    if (s->last_talked == KDATE_NONE)
        sbuf_add(b, " · never talked");
    else if (s->last_talked >= today)
        sbuf_add(b, " · talked today");
    else
        sbuf_printf(b, " · talked %d day%s ago", today - s->last_talked,
                    today - s->last_talked == 1 ? "" : "s");
}
