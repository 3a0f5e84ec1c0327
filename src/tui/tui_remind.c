#include "kith/tui/tui_remind.h"

#include "kith/config/config.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What one evaluation gives the screen. */
struct remind_result {
    size_t count;
    struct reminder_list keep;
    struct reminder_list handled;
    char (*silent)[KID_LEN + 1]; /* overdue by a silence rule, sorted */
    size_t nsilent, cap;
};

/* The steps of a refresh after the evaluation's (reminder_evaluate_step):
 * each reads into the pending result and is run again whole when
 * interrupted. */
enum { READ_WINDOW, READ_OVERDUE, READ_HANDLED, READ_STEPS };

struct tui_remind {
    int stale; /* the journal or the day changed since the evaluation */
    int known; /* an evaluation was read: shown holds it */
    struct remind_result shown;
    /* The refresh under way: its next step (evaluation steps first, then
     * READ_STEPS reads), the journal's generation when it began, and what
     * the reads made so far. */
    size_t step;
    long long gen;
    struct remind_result next;
    char *error; /* why the last refresh failed; NULL when it did not */
};

struct tui_remind *tui_remind_new(void)
{
    struct tui_remind *r = kcalloc(1, sizeof *r);
    r->stale = 1;
    return r;
}

static void empty(struct remind_result *x)
{
    reminder_list_clear(&x->keep);
    reminder_list_clear(&x->handled);
    free(x->silent);
    memset(x, 0, sizeof *x);
}

void tui_remind_free(struct tui_remind **pr)
{
    if (!pr || !*pr)
        return;
    empty(&(*pr)->shown);
    empty(&(*pr)->next);
    free((*pr)->error);
    free(*pr);
    *pr = NULL;
}

void tui_remind_stale(struct tui_remind *r)
{
    r->stale = 1;
    r->step = 0;
}

static int take(const struct reminder *rem, void *ud)
{
    reminder_list_add(ud, rem);
    return 0;
}

static int take_id(const char *id, void *ud)
{
    struct remind_result *x = ud;
    if (x->nsilent == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 64;
        x->silent = kreallocarray(x->silent, x->cap, sizeof *x->silent);
    }
    memcpy(x->silent[x->nsilent++], id, KID_LEN + 1);
    return 0;
}

/* One read of the pending result, from the evaluation just made. */
static int read_step(struct tui_remind *r, struct journal *j, size_t which, struct kerr *e)
{
    struct remind_result *x = &r->next;
    /* The count comes with the first rows: one pass over the evaluation. */
    struct reminder_query q = {.limit = TUI_REMIND_KEEP};
    int rc;
    switch (which) {
    case READ_WINDOW:
        reminder_list_clear(&x->keep);
        return reminder_window_evaluated(j, &q, &x->count, take, &x->keep, e);
    case READ_OVERDUE:
        x->nsilent = 0;
        rc = reminder_overdue_contacts_evaluated(j, CONFIG_ON_SILENCE, take_id, x, e);
        if (rc == K_OK)
            x->nsilent = tui_remind_ids_sort(x->silent, x->nsilent);
        return rc;
    default:
        reminder_list_clear(&x->handled);
        return reminder_handled_evaluated(j, TUI_REMIND_HANDLED, take, &x->handled, e);
    }
}

int tui_remind_refresh(struct tui_remind *r, struct journal *j, int (*interrupt)(void *ud),
                       void *ud, struct kerr *e)
{
    int rc = K_OK;
    size_t nsteps = reminder_rule_count(j) + 1;
    if (!r->stale)
        return K_OK;
    /* Step by step, each given way to a key: an interrupted step is run
     * again, the steps done before it are kept. The evaluation is one
     * snapshot only if the journal stayed as it was since its first step
     * (this process's writes mark the cache stale; another's change the
     * generation). */
    for (;;) {
        if (r->step == nsteps + READ_STEPS) {
            if (journal_generation(j) == r->gen)
                break;
            /* Written to between the last step and now: once more. */
            r->step = 0;
        }
        long long gen = journal_generation(j);
        if (r->step && gen != r->gen)
            r->step = 0;
        if (r->step == 0)
            r->gen = gen;
        if (interrupt && interrupt(ud))
            return K_INTERRUPTED;
        journal_set_interrupt(j, interrupt, ud);
        rc = r->step < nsteps ? reminder_evaluate_step(j, r->step, e)
                              : read_step(r, j, r->step - nsteps, e);
        journal_set_interrupt(j, NULL, NULL);
        if (rc == K_INTERRUPTED)
            return rc;
        if (rc != K_OK)
            goto out;
        r->step++;
    }
    empty(&r->shown);
    r->shown = r->next;
    memset(&r->next, 0, sizeof r->next);
    r->stale = 0;
    r->known = 1;
    free(r->error);
    r->error = NULL;
out:
    /* A failure (not a key) would fail again: not before the next change.
     * Its message stays for the Today view to say. */
    if (rc != K_OK) {
        r->stale = 0;
        empty(&r->next);
        free(r->error);
        r->error = kstr_dup(e->msg[0] ? e->msg : "the rules could not be evaluated");
    }
    r->step = 0;
    return rc;
}

int tui_remind_known(const struct tui_remind *r)
{
    return r->known;
}

const char *tui_remind_error(const struct tui_remind *r)
{
    return r->error;
}

int tui_remind_is_stale(const struct tui_remind *r)
{
    return r->stale;
}

size_t tui_remind_count(const struct tui_remind *r)
{
    return r->shown.count;
}

const struct reminder_list *tui_remind_list(const struct tui_remind *r)
{
    return &r->shown.keep;
}

const struct reminder_list *tui_remind_handled(const struct tui_remind *r)
{
    return &r->shown.handled;
}

static int same(const struct reminder *a, const struct reminder *b)
{
    return a->fired_on == b->fired_on && !strcmp(a->subject, b->subject) && a->rule && b->rule &&
           !strcmp(a->rule, b->rule);
}

void tui_remind_drop(struct tui_remind *r, const struct reminder *rem)
{
    struct reminder_list *l = &r->shown.keep;
    for (size_t i = 0; i < l->n; i++) {
        if (!same(&l->v[i], rem))
            continue;
        reminder_clear(&l->v[i]);
        memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
        l->n--;
        if (r->shown.count)
            r->shown.count--;
        return;
    }
}

int tui_remind_overdue(const struct tui_remind *r, const char *contact_id)
{
    return contact_id && tui_remind_ids_has((const char(*)[KID_LEN + 1]) r->shown.silent,
                                            r->shown.nsilent, contact_id);
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
