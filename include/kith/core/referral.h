/* Referrals: someone opened a door for the user, to a contact or to
 * something described in text; outcomes change over time and a referral may
 * grow out of another, so that chains form a trail.
 *
 * A referral is thanked when a thank-you to its referrer is for it, or is
 * dated on or after it; thanked_on and thanked_form come from the earliest
 * such thank-you. Ids taken here are full ids (see referral_resolve). */
#ifndef KITH_REFERRAL_H
#define KITH_REFERRAL_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

struct referral_input {
    const char *referrer_id;
    const char *target_id;   /* a contact, or NULL */
    const char *target_text; /* free text, or NULL; exactly one of the two */
    const char *kind;        /* a word; NULL: "intro" */
    int date;                /* KDATE_NONE: today; never in the future */
    const char *parent_id;   /* the referral this grew out of, or NULL */
    const char *note;
};

/* Adds a referral with outcome pending and writes its id into id. A parent
 * must exist and not be dated after the new referral. */
int referral_add(struct journal *j, const struct referral_input *in, char id[KID_LEN + 1],
                 struct kerr *e);
/* Finds a referral by id prefix (at least 4 hex digits). K_NOTFOUND when none
 * matches; K_USAGE listing the candidates when several do. */
int referral_resolve(struct journal *j, const char *prefix, char id[KID_LEN + 1], struct kerr *e);
/* Records an outcome on date (KDATE_NONE: today; not in the future nor
 * before the referral) in the referral's history. The referral's outcome is
 * that of its latest event by date. */
int referral_set_outcome(struct journal *j, const char *id, enum koutcome outcome, int date,
                         const char *note, struct kerr *e);
/* Links id to the referral it grew out of (NULL: unlinks it). Refuses a
 * parent that would make a cycle or that is dated after id. */
int referral_set_parent(struct journal *j, const char *id, const char *parent_id, struct kerr *e);
/* Deletes a referral with its history; referrals that grew out of it are
 * relinked to its parent so their trails stay whole. */
int referral_delete(struct journal *j, const char *id, struct kerr *e);
/* One referral with its thanked state. Clear out with referral_clear. */
int referral_get(struct journal *j, const char *id, struct referral *out, struct kerr *e);

/* A window of referrals (struct referral_query, model.h): unthanked first,
 * then oldest first. Clear out with referral_list_clear. */
int referral_list(struct journal *j, const struct referral_query *q, struct referral_list *out,
                  struct kerr *e);
/* Matches of q, ignoring its window. */
int referral_count(struct journal *j, const struct referral_query *q, size_t *n, struct kerr *e);
/* As referral_list, one JSON object per referral: id, referrer,
 * referrer_id, target (contact name or text), target_id (null for text),
 * kind, date, outcome, thanked (boolean), thanked_on, thanked_form, parent,
 * note. */
int referral_each_json(struct journal *j, const struct referral_query *q, journal_json_cb cb,
                       void *ud, struct kerr *e);
/* id's outcome history, oldest first: each change with its date and note.
 * Clear out with referral_events_clear. */
int referral_events(struct journal *j, const char *id, struct referral_events *out, struct kerr *e);
/* The chain that led to id, oldest first, id itself last. K_NOTFOUND when
 * id does not exist. Clear out with referral_list_clear. */
int referral_trail(struct journal *j, const char *id, struct referral_list *out, struct kerr *e);
/* As referral_trail, one JSON object per link (fields as referral_each_json). */
int referral_trail_each_json(struct journal *j, const char *id, journal_json_cb cb, void *ud,
                             struct kerr *e);
/* The oldest unthanked referral made by contact_id, into id; K_NOTFOUND when
 * there is none. */
int referral_oldest_unthanked(struct journal *j, const char *contact_id, char id[KID_LEN + 1],
                              struct kerr *e);

#endif
