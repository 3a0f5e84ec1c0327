#include "kith/tui_remind.h"

#include "kith/config.h"
#include "kith/kstr.h"
#include "kith/reminder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tui_remind {
    int stale;
    size_t count;
    struct reminder_list keep;
    char (*silent)[KID_LEN + 1]; /* overdue by a silence rule, sorted */
    size_t nsilent, cap;
};

struct tui_remind *tui_remind_new(void)
{
    struct tui_remind *r = kcalloc(1, sizeof *r);
    r->stale = 1;
    return r;
}

static void empty(struct tui_remind *r)
{
    reminder_list_clear(&r->keep);
    free(r->silent);
    r->silent = NULL;
    r->nsilent = r->cap = 0;
    r->count = 0;
}

void tui_remind_free(struct tui_remind **pr)
{
    if (!pr || !*pr)
        return;
    empty(*pr);
    free(*pr);
    *pr = NULL;
}

void tui_remind_stale(struct tui_remind *r)
{
    r->stale = 1;
}

struct pass {
    struct tui_remind *r;
    const struct config *cfg;
};

static int is_silence(const struct config *cfg, const char *rule)
{
    for (size_t i = 0; cfg && rule && i < cfg->nrules; i++)
        if (!strcmp(cfg->rules[i].id, rule))
            return cfg->rules[i].on == CONFIG_ON_SILENCE;
    return 0;
}

/* One pass over every due reminder: the count, the first ones kept, the
 * silent contacts marked. */
static int take(const struct reminder *rem, void *ud)
{
    struct pass *p = ud;
    struct tui_remind *r = p->r;
    r->count++;
    if (r->keep.n < TUI_REMIND_KEEP) {
        r->keep.v = krealloc(r->keep.v, (r->keep.n + 1) * sizeof *r->keep.v);
        struct reminder *d = &r->keep.v[r->keep.n++];
        *d = *rem;
        d->rule = kstr_dup(rem->rule);
        d->contact = kstr_dup(rem->contact);
        d->message = kstr_dup(rem->message);
    }
    if (rem->overdue && rem->contact_id[0] && is_silence(p->cfg, rem->rule)) {
        if (r->nsilent == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 64;
            r->silent = krealloc(r->silent, r->cap * sizeof *r->silent);
        }
        memcpy(r->silent[r->nsilent++], rem->contact_id, KID_LEN + 1);
    }
    return 0;
}

int tui_remind_refresh(struct tui_remind *r, struct journal *j, struct kerr *e)
{
    int rc = K_OK;
    if (!r->stale)
        goto out;
    empty(r);
    struct pass p = {r, journal_config(j)};
    /* One evaluation; reminder_count would run the rules a second time. */
    if ((rc = reminder_each(j, NULL, take, &p, e)) != K_OK) {
        empty(r);
        goto out;
    }
    r->nsilent = tui_remind_ids_sort(r->silent, r->nsilent);
    r->stale = 0;
out:
    return rc;
}

size_t tui_remind_count(const struct tui_remind *r)
{
    return r->count;
}

const struct reminder_list *tui_remind_list(const struct tui_remind *r)
{
    return &r->keep;
}

int tui_remind_overdue(const struct tui_remind *r, const char *contact_id)
{
    return contact_id &&
           tui_remind_ids_has((const char(*)[KID_LEN + 1]) r->silent, r->nsilent, contact_id);
}

static int cmp_id(const void *x, const void *y)
{
    return strcmp(x, y);
}

size_t tui_remind_ids_sort(char (*ids)[KID_LEN + 1], size_t n)
{
    if (!n)
        return 0;
    qsort(ids, n, sizeof *ids, cmp_id);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i], ids[k - 1]))
            memmove(ids[k++], ids[i], sizeof *ids);
    return k;
}

int tui_remind_ids_has(const char (*ids)[KID_LEN + 1], size_t n, const char *id)
{
    return n && bsearch(id, ids, n, sizeof *ids, cmp_id) != NULL;
}

int tui_remind_snooze_days(const char *typed, int *days, struct kerr *e)
{
    const char *s = typed ? typed : "";
    while (*s == ' ')
        s++;
    if (!*s) {
        *days = 7;
        return K_OK;
    }
    char *end = (char *)s;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == s || *end || v < 1 || v > 3650 || !(*s >= '0' && *s <= '9'))
        return kerr_set(e, K_USAGE, "days: a whole number from 1 to 3650");
    *days = (int)v;
    return K_OK;
}
