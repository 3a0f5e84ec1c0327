/* Store: SQL for referrals, their outcome history and their thanked state.
 * Called by the core's referral and thanks modules only.
 *
 * A referral is thanked when a thank-you to its referrer is for it or is
 * dated on or after it; thanked_on and thanked_form come from the earliest
 * such thank-you. Both are computed by every query, never stored. */
#ifndef KITH_DBREFERRAL_H
#define KITH_DBREFERRAL_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* Inserts r with outcome pending: r->id, referrer.id, target.id ("" for a
 * text target), target_text (required: for a contact target, its name, so
 * that the referral still reads right if the contact is deleted), kind,
 * date, parent ("" for none) and note. */
int dbreferral_insert(struct db *db, const struct referral *r, struct kerr *e);
/* The name of contact id in *name (free()); K_NOTFOUND when absent. */
int dbreferral_contact_name(struct db *db, const char *id, char **name, struct kerr *e);
/* One referral; K_NOTFOUND when absent. Clear out with referral_clear. */
int dbreferral_get(struct db *db, const char *id, struct referral *out, struct kerr *e);
/* Referrals whose id starts with prefix, in id order: at most max into out
 * (clear with referral_list_clear); *more is set when there were others. */
int dbreferral_find(struct db *db, const char *prefix, size_t max, struct referral_list *out,
                    int *more, struct kerr *e);
/* The window q of referrals, unthanked first, then oldest first. Clear out
 * with referral_list_clear. */
int dbreferral_list(struct db *db, const struct referral_query *q, struct referral_list *out,
                    struct kerr *e);
int dbreferral_each_json(struct db *db, const struct referral_query *q, kjson_cb cb, void *ud,
                         struct kerr *e);
/* Matches of q, ignoring its window. */
int dbreferral_count(struct db *db, const struct referral_query *q, size_t *n, struct kerr *e);
/* The chain of parents that led to id, oldest first, id last. An empty list
 * when id does not exist. Stops at a repeated link, should a merged journal
 * ever hold a cycle. */
int dbreferral_trail(struct db *db, const char *id, struct referral_list *out, struct kerr *e);
int dbreferral_trail_each_json(struct db *db, const char *id, kjson_cb cb, void *ud,
                               struct kerr *e);
/* *found = 1 when ancestor is id itself or one of its parents, however far
 * up the chain. */
int dbreferral_has_ancestor(struct db *db, const char *id, const char *ancestor, int *found,
                            struct kerr *e);
/* Sets id's parent (NULL: none). */
int dbreferral_set_parent(struct db *db, const char *id, const char *parent_id, struct kerr *e);
/* Records an outcome event (event_id new) and sets the referral's outcome to
 * that of its latest event by date, so a back-dated event does not override
 * a newer one. */
int dbreferral_add_event(struct db *db, const char *event_id, const char *referral_id,
                         enum koutcome outcome, int date, const char *note, struct kerr *e);
/* id's outcome history, oldest first. Clear out with referral_events_clear. */
int dbreferral_events(struct db *db, const char *id, struct referral_events *out, struct kerr *e);
/* Deletes id with its history. Referrals that grew out of it are relinked
 * to its parent so that their trails stay whole. K_NOTFOUND when absent. */
int dbreferral_delete(struct db *db, const char *id, struct kerr *e);
/* The oldest unthanked referral made by contact_id into id; K_NOTFOUND
 * (without a message) when there is none. */
int dbreferral_oldest_unthanked(struct db *db, const char *contact_id, char id[KID_LEN + 1],
                                struct kerr *e);

#endif
