#include "kith/core/interaction.h"

#include "kith/core/challenge.h"
#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbchallenge.h"
#include "kith/store/dbinteraction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int interaction_log(struct journal *j, const struct interaction_input *in, char id[KID_LEN + 1],
                    struct kerr *e)
{
    return interaction_log_act(j, in, CHALLENGE_TICK_NONE, id, NULL, e);
}

int interaction_log_act(struct journal *j, const struct interaction_input *in,
                        enum challenge_tick_mode tick, char id[KID_LEN + 1], int *ticked,
                        struct kerr *e)
{
    int t = 0;
    if (ticked)
        *ticked = 0;
    struct db *db = journal_db(j);
    struct interaction it = {0};
    int rc = K_OK;
    int date = in->date == KDATE_NONE ? journal_today(j) : in->date;
    if (!in->ncontacts) {
        rc = kerr_set_field(e, K_USAGE, "with", "an interaction needs at least one contact");
        goto out;
    }
    if ((rc = check_word("kind", in->kind, e)) != K_OK ||
        (rc = check_text("summary", in->summary, CHECK_SHORT_MAX, e)) != K_OK ||
        (rc = check_text("note", in->note, CHECK_LONG_MAX, e)) != K_OK)
        goto out;
    if ((unsigned)in->dir > KDIR_MUTUAL) {
        rc = kerr_set_field(e, K_USAGE, "direction", "direction must be gave, asked or mutual");
        goto out;
    }
    if (date > journal_today(j)) {
        char buf[KDATE_BUF];
        rc = kerr_set_field(e, K_USAGE, "date", "%s is in the future; log what happened, not plans",
                            kdate_format(date, buf));
        goto out;
    }
    db_new_id(it.id);
    it.date = date;
    it.kind = (char *)in->kind;
    it.dir = in->dir;
    it.summary = in->summary && *in->summary ? (char *)in->summary : NULL;
    it.note = in->note && *in->note ? (char *)in->note : NULL;
    it.contacts = kcalloc(in->ncontacts, sizeof *it.contacts);
    it.ncontacts = in->ncontacts;
    for (size_t i = 0; i < in->ncontacts; i++)
        snprintf(it.contacts[i].id, sizeof it.contacts[i].id, "%s", in->contact_ids[i]);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    for (size_t i = 0; rc == K_OK && i < it.ncontacts; i++)
        if (!dbinteraction_contact_exists(db, it.contacts[i].id))
            rc = kerr_set(e, K_NOTFOUND, "no such contact");
    /* Auto-tick takes the acts that give: an ask is not a deposit. The
     * tick is written before the act it names (dbchallenge_defer_links). */
    if (rc == K_OK && tick != CHALLENGE_TICK_NONE &&
        (tick == CHALLENGE_TICK_ALWAYS || in->dir != KDIR_ASKED) &&
        (rc = dbchallenge_defer_links(db, e)) == K_OK)
        rc = challenge_tick_act(j, date, it.id, NULL, tick, &t, e);
    if (rc == K_OK)
        rc = dbinteraction_insert(db, &it, e);
    if (rc == K_OK)
        rc = db_commit(db, e);
    if (rc != K_OK)
        db_rollback(db);
    else
        memcpy(id, it.id, KID_LEN + 1);
    if (rc == K_OK && ticked)
        *ticked = t;
out:
    free(it.contacts);
    return rc;
}

int interaction_delete(struct journal *j, const char *id, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbinteraction_delete(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int interaction_resolve(struct journal *j, const char *prefix, char id[KID_LEN + 1], struct kerr *e)
{
    char(*m)[KID_LEN + 1] = NULL;
    size_t n = 0;
    int rc;
    char *low = prefix ? kstr_fold(prefix) : NULL;
    if (!low || strlen(low) < 4 || strspn(low, "0123456789abcdef") != strlen(low)) {
        char *esc = kstr_escape(prefix);
        rc = kerr_set(e, K_USAGE, "'%s' is not an interaction id (4 or more hex digits)", esc);
        free(esc);
        goto out;
    }
    if ((rc = dbinteraction_find(journal_db(j), low, 2, &m, &n, e)) != K_OK)
        goto out;
    if (n == 0)
        rc = kerr_set(e, K_NOTFOUND, "no interaction with id %s", low);
    else if (n > 1)
        rc = kerr_set(e, K_USAGE, "interaction id %s is ambiguous; give more digits", low);
    else
        memcpy(id, m[0], KID_LEN + 1);
out:
    free(low);
    free(m);
    return rc;
}

static void to_dbq(const struct interaction_query *q, struct dbinteraction_query *d)
{
    memset(d, 0, sizeof *d);
    d->contact_id = q->contact_id;
    d->since = q->since;
    d->until = q->until;
    d->kind = q->kind;
    d->oldest_first = q->oldest_first;
    d->offset = q->offset;
    d->limit = q->limit;
}

int interaction_list(struct journal *j, const struct interaction_query *q,
                     struct interaction_list *out, struct kerr *e)
{
    struct dbinteraction_query d;
    to_dbq(q, &d);
    return dbinteraction_list(journal_db(j), &d, out, e);
}

int interaction_each_json(struct journal *j, const struct interaction_query *q, journal_json_cb cb,
                          void *ud, struct kerr *e)
{
    struct dbinteraction_query d;
    to_dbq(q, &d);
    return dbinteraction_each_json(journal_db(j), &d, cb, ud, e);
}
