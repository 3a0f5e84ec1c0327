/* Referrals: someone opened a door for the user, to a contact or to
 * something described in text; outcomes change over time and a referral may
 * grow out of another, so that chains form a trail. */
#ifndef KITH_REFERRAL_H
#define KITH_REFERRAL_H

#include "kith/journal.h"
#include "kith/model.h"

struct referral_input {
    const char *referrer_id;
    const char *target_id;   /* a contact, or NULL */
    const char *target_text; /* free text, or NULL; one of the two is required */
    const char *kind;        /* NULL: "intro" */
    int date;                /* KDATE_NONE: today */
    const char *parent_id;   /* the referral this grew out of, or NULL */
    const char *note;
};

int referral_add(struct journal *j, const struct referral_input *in, char id[KID_LEN + 1],
                 struct kerr *e);
/* Finds a referral by id prefix (K_USAGE listing them when ambiguous). */
int referral_resolve(struct journal *j, const char *prefix, char id[KID_LEN + 1], struct kerr *e);
/* Records a new outcome (kept in the referral's history). date KDATE_NONE:
 * today. */
int referral_set_outcome(struct journal *j, const char *id, enum koutcome outcome, int date,
                         const char *note, struct kerr *e);
int referral_delete(struct journal *j, const char *id, struct kerr *e);
/* One referral with its thanked state. Clear with referral_clear. */
int referral_get(struct journal *j, const char *id, struct referral *out, struct kerr *e);

struct referral_query {
    int unthanked_only;
    const char *referrer_id; /* NULL: anyone */
    const char *involving_id; /* referrer or target is this contact; NULL: anyone */
    size_t offset;
    size_t limit; /* 0: no limit */
};
/* Unthanked first, then oldest first. Clear with referral_list_clear. */
int referral_list(struct journal *j, const struct referral_query *q, struct referral_list *out,
                  struct kerr *e);
int referral_count(struct journal *j, const struct referral_query *q, size_t *n, struct kerr *e);
/* One JSON object per referral: id, referrer, target, kind, date, outcome,
 * thanked, thanked_on, parent, note. */
int referral_each_json(struct journal *j, const struct referral_query *q, journal_json_cb cb,
                       void *ud, struct kerr *e);
/* The chain that led to id, oldest first, id itself last. */
int referral_trail(struct journal *j, const char *id, struct referral_list *out, struct kerr *e);
int referral_trail_each_json(struct journal *j, const char *id, journal_json_cb cb, void *ud,
                             struct kerr *e);
/* The oldest unthanked referral made by contact_id, into id; K_NOTFOUND when
 * there is none. */
int referral_oldest_unthanked(struct journal *j, const char *contact_id, char id[KID_LEN + 1],
                              struct kerr *e);

#endif
