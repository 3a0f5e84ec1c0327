#include "kith/core/thanks.h"

#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbreferral.h"
#include "kith/store/dbthanks.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Forms are short labels that read naturally ("handwritten note", "gift
 * card"), so unlike kinds they may hold spaces; controls would garble every
 * list they appear in. *out is the trimmed form (free()). */
static int check_form(const char *s, char **out, struct kerr *e)
{
    *out = NULL;
    if (check_text("form", s, CHECK_SHORT_MAX, e) != K_OK)
        return K_USAGE;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0)
        return kerr_set_field(e, K_USAGE, "form", "form is empty");
    if (n > 40)
        return kerr_set_field(e, K_USAGE, "form", "form is longer than 40 bytes");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return kerr_set_field(e, K_USAGE, "form", "form has control characters");
    *out = kstr_ndup(s, n);
    return K_OK;
}

/* Links t (its contact and date set) to the referral id: made by t's
 * contact, not dated after t. */
static int for_referral(struct db *db, const char *id, struct thanks *t, struct kerr *e)
{
    struct referral r = {0};
    char d1[KDATE_BUF], d2[KDATE_BUF];
    int rc;
    if ((rc = dbreferral_get(db, id, &r, e)) != K_OK)
        goto out;
    if (strcmp(r.referrer.id, t->contact.id)) {
        char *by = kstr_escape(r.referrer.name), *to = kstr_escape(t->contact.name);
        rc = kerr_set_field(e, K_USAGE, "referral",
                            "that referral was made by %s, not %s; thank %s for it", by, to, by);
        free(by);
        free(to);
        goto out;
    }
    /* As an outcome cannot be dated before its referral, neither can the
     * thanks for it. */
    if (t->date < r.date) {
        rc = kerr_set_field(e, K_USAGE, "date",
                            "the thank-you's date %s is before the referral it is for (%s)",
                            kdate_format(t->date, d1), kdate_format(r.date, d2));
        goto out;
    }
    memcpy(t->referral, r.id, sizeof t->referral);
out:
    referral_clear(&r);
    return rc;
}

/* Links t (its contact set) to the interaction id, which t's contact took
 * part in. */
static int for_interaction(struct db *db, const char *id, struct thanks *t, struct kerr *e)
{
    int exists, involves, rc;
    if ((rc = dbthanks_interaction(db, id, t->contact.id, &exists, &involves, e)) != K_OK)
        return rc;
    if (!exists)
        return kerr_set_field(e, K_NOTFOUND, "interaction", "no such interaction");
    if (!involves) {
        char *to = kstr_escape(t->contact.name);
        rc = kerr_set_field(e, K_USAGE, "interaction", "%s did not take part in that interaction",
                            to);
        free(to);
        return rc;
    }
    snprintf(t->interaction, sizeof t->interaction, "%s", id);
    return K_OK;
}

int thanks_add(struct journal *j, const struct thanks_input *in, char id[KID_LEN + 1],
               struct kerr *e)
{
    struct db *db = journal_db(j);
    struct thanks t = {0};
    char d1[KDATE_BUF], d2[KDATE_BUF];
    int rc = K_OK, began = 0;

    if (!in->contact_id || !*in->contact_id) {
        rc = kerr_set_field(e, K_USAGE, "contact", "a thank-you needs the contact it goes to");
        goto out;
    }
    if ((rc = check_form(in->form ? in->form : "email", &t.form, e)) != K_OK ||
        (rc = check_text("note", in->note, CHECK_LONG_MAX, e)) != K_OK)
        goto out;
    t.date = in->date == KDATE_NONE ? journal_today(j) : in->date;
    if (t.date > journal_today(j)) {
        rc = kerr_set_field(e, K_USAGE, "date",
                            "the thank-you's date %s is in the future (today is %s)",
                            kdate_format(t.date, d1), kdate_format(journal_today(j), d2));
        goto out;
    }
    t.note = in->note && *in->note ? kstr_dup(in->note) : NULL;
    snprintf(t.contact.id, sizeof t.contact.id, "%s", in->contact_id);

    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    began = 1;
    if ((rc = dbreferral_contact_name(db, in->contact_id, &t.contact.name, e)) != K_OK) {
        if (rc == K_NOTFOUND)
            kerr_set_field(e, rc, "contact", "the contact to thank is not in the journal");
        goto out;
    }
    if ((in->referral_id && *in->referral_id &&
         (rc = for_referral(db, in->referral_id, &t, e)) != K_OK) ||
        (in->interaction_id && *in->interaction_id &&
         (rc = for_interaction(db, in->interaction_id, &t, e)) != K_OK))
        goto out;
    db_new_id(t.id);
    if ((rc = dbthanks_insert(db, &t, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        goto out;
    began = 0;
    memcpy(id, t.id, KID_LEN + 1);
out:
    if (began)
        db_rollback(db);
    thanks_clear(&t);
    return rc;
}

int thanks_delete(struct journal *j, const char *id, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbthanks_delete(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int thanks_list(struct journal *j, const char *contact_id, size_t offset, size_t limit,
                struct thanks **out, size_t *n, struct kerr *e)
{
    return dbthanks_list(journal_db(j), contact_id, offset, limit, out, n, e);
}

int thanks_count(struct journal *j, const char *contact_id, size_t *n, struct kerr *e)
{
    return dbthanks_count(journal_db(j), contact_id, n, e);
}
