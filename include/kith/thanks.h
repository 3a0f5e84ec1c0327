/* Thank-yous: a dated acknowledgement to a contact, optionally for a
 * specific referral or interaction. A referral counts as thanked when a
 * thank-you to its referrer is for it, or is dated on or after it. */
#ifndef KITH_THANKS_H
#define KITH_THANKS_H

#include "kith/journal.h"
#include "kith/model.h"

struct thanks_input {
    const char *contact_id;
    int date;                   /* KDATE_NONE: today */
    const char *form;           /* NULL: "email" */
    const char *referral_id;    /* NULL or a referral by contact_id */
    const char *interaction_id; /* NULL or an interaction */
    const char *note;
};

int thanks_add(struct journal *j, const struct thanks_input *in, char id[KID_LEN + 1],
               struct kerr *e);
int thanks_delete(struct journal *j, const char *id, struct kerr *e);
/* The thank-yous to one contact, newest first; *out is an array of *n
 * (free each with thanks_clear, then free the array). */
int thanks_list(struct journal *j, const char *contact_id, struct thanks **out, size_t *n,
                struct kerr *e);

#endif
