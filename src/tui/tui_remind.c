#include "kith/tui/tui_remind.h"

#include "kith/config/config.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tui_remind {
    int stale; /* the journal or the day changed since the evaluation */
    int known; /* an evaluation was read: count, keep and silent hold it */
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

struct idlist {
    char (**ids)[KID_LEN + 1];
    size_t n, cap;
};

static int take(const struct reminder *rem, void *ud)
{
    reminder_list_add(ud, rem);
    return 0;
}

static int take_id(const char *id, void *ud)
{
    struct idlist *k = ud;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        *k->ids = kreallocarray(*k->ids, k->cap, sizeof **k->ids);
    }
    memcpy((*k->ids)[k->n++], id, KID_LEN + 1);
    return 0;
}

int tui_remind_refresh(struct tui_remind *r, struct journal *j, int (*interrupt)(void *ud),
                       void *ud, struct kerr *e)
{
    struct tui_remind nr = {0};
    /* The count comes with the first rows: one pass over the evaluation. */
    struct reminder_query q = {.limit = TUI_REMIND_KEEP};
    struct idlist k = {.ids = &nr.silent};
    int rc = K_OK;
    if (!r->stale)
        goto out;
    /* Only the evaluation gives way to a key: the reads after it are a
     * few milliseconds, and an interrupted one would leave half a cache. */
    journal_set_interrupt(j, interrupt, ud);
    rc = reminder_evaluate(j, e);
    journal_set_interrupt(j, NULL, NULL);
    if (rc != K_OK ||
        (rc = reminder_window_evaluated(j, &q, &nr.count, take, &nr.keep, e)) != K_OK ||
        (rc = reminder_overdue_contacts_evaluated(j, CONFIG_ON_SILENCE, take_id, &k, e)) != K_OK)
        goto out;
    nr.nsilent = tui_remind_ids_sort(nr.silent, k.n);
    empty(r);
    r->count = nr.count;
    r->keep = nr.keep;
    r->silent = nr.silent;
    r->nsilent = nr.nsilent;
    memset(&nr, 0, sizeof nr);
    r->stale = 0;
    r->known = 1;
out:
    /* A failure (not a key) would fail again: not before the next change. */
    if (rc != K_OK && rc != K_INTERRUPTED)
        r->stale = 0;
    empty(&nr);
    return rc;
}

int tui_remind_known(const struct tui_remind *r)
{
    return r->known;
}

int tui_remind_is_stale(const struct tui_remind *r)
{
    return r->stale;
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
