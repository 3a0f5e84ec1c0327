#include "kith/core/forward.h"

#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbchallenge.h"
#include "kith/store/dbforward.h"
#include "kith/store/dbinteraction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text without the blanks around it; NULL when nothing is left. */
static char *trimmed(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n ? kstr_ndup(s, n) : NULL;
}

static int check_input(struct journal *j, const struct forward_input *in, int date, struct kerr *e)
{
    if (check_text("text", in->text, CHECK_SHORT_MAX, e) != K_OK ||
        check_text("note", in->note, CHECK_LONG_MAX, e) != K_OK)
        return K_USAGE;
    char *t = trimmed(in->text);
    free(t);
    if (!t)
        return kerr_set_field(e, K_USAGE, "text",
                              "say what you gave: \"helped a student with her resume\"");
    for (const char *p = in->text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return kerr_set_field(e, K_USAGE, "text",
                                  "what you gave is one line (the note takes more)");
    if (date > journal_today(j)) {
        char buf[KDATE_BUF];
        return kerr_set_field(e, K_USAGE, "date", "%s is in the future; record what you gave",
                              kdate_format(date, buf));
    }
    return K_OK;
}

int forward_add(struct journal *j, const struct forward_input *in, enum challenge_tick_mode tick,
                char id[KID_LEN + 1], int *ticked, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct forward f;
    int rc, began = 0, t = 0;
    memset(&f, 0, sizeof f);
    f.date = in->date == KDATE_NONE ? journal_today(j) : in->date;
    if (ticked)
        *ticked = 0;
    if ((rc = check_input(j, in, f.date, e)) != K_OK)
        goto out;
    db_new_id(f.id);
    f.text = trimmed(in->text);
    f.note = in->note && *in->note ? kstr_dup(in->note) : NULL;
    if (in->contact_id && *in->contact_id)
        snprintf(f.contact.id, sizeof f.contact.id, "%s", in->contact_id);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if (f.contact.id[0] && !dbinteraction_contact_exists(db, f.contact.id)) {
        rc = kerr_set(e, K_NOTFOUND, "no such contact");
        goto out;
    }
    /* The tick before the act it names: see dbchallenge_defer_links. */
    if ((rc = dbchallenge_defer_links(db, e)) != K_OK ||
        (rc = challenge_tick_act(j, f.date, NULL, f.id, tick, &t, e)) != K_OK ||
        (rc = dbforward_insert(db, &f, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
    memcpy(id, f.id, KID_LEN + 1);
    if (ticked)
        *ticked = t;
out:
    if (began)
        db_rollback(db);
    forward_clear(&f);
    return rc;
}

static void to_dbq(const struct forward_query *q, struct dbforward_query *d)
{
    d->contact_id = q->contact_id;
    d->since = q->since;
    d->until = q->until;
    d->offset = q->offset;
    d->limit = q->limit;
}

int forward_list(struct journal *j, const struct forward_query *q, struct forward_list *out,
                 struct kerr *e)
{
    struct dbforward_query d;
    to_dbq(q, &d);
    return dbforward_list(journal_db(j), &d, out, e);
}

int forward_each_json(struct journal *j, const struct forward_query *q, journal_json_cb cb,
                      void *ud, struct kerr *e)
{
    struct dbforward_query d;
    to_dbq(q, &d);
    return dbforward_each_json(journal_db(j), &d, cb, ud, e);
}
