/* Thank-yous: a dated acknowledgement to a contact, optionally for a
 * specific referral or interaction. A referral counts as thanked when a
 * thank-you to its referrer is for it, or is dated on or after it. */
#ifndef KITH_THANKS_H
#define KITH_THANKS_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

struct thanks_input {
    const char *contact_id;
    int date;                   /* KDATE_NONE: today; never in the future */
    const char *form;           /* a short label ("gift card"); NULL: "email" */
    const char *referral_id;    /* NULL or a referral made by contact_id, dated
                                   on or before the thank-you */
    const char *interaction_id; /* NULL or an interaction contact_id took part in */
    const char *note;
};

/* Records a thank-you and writes its id into id. */
int thanks_add(struct journal *j, const struct thanks_input *in, char id[KID_LEN + 1],
               struct kerr *e);
int thanks_delete(struct journal *j, const char *id, struct kerr *e);
/* A window of the thank-yous to contact_id (NULL: to anyone), newest first
 * (limit 0: no limit). *out is an array of *n: thanks_clear each, then free()
 * the array. */
int thanks_list(struct journal *j, const char *contact_id, size_t offset, size_t limit,
                struct thanks **out, size_t *n, struct kerr *e);
/* How many thank-yous contact_id (NULL: anyone) has received. */
int thanks_count(struct journal *j, const char *contact_id, size_t *n, struct kerr *e);

#endif
