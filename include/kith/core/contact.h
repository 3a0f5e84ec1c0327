/* Contacts: adding, editing, finding and listing the people in the journal. */
#ifndef KITH_CONTACT_H
#define KITH_CONTACT_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

/* Changes to a contact. Text fields: NULL leaves the field as it is, ""
 * clears it. met_on is a date as users type it (kdate_parse), birthday as
 * kdate_parse_birthday takes it. Lists add to (or, rm_*, remove from) the
 * contact's existing values. archived: -1 leaves it, 0 or 1 sets it. */
struct contact_patch {
    const char *name;
    const char *company;
    const char *title;
    const char *location;
    const char *how_met;
    const char *met_on;
    const char *birthday;
    const char *note;
    const char *working_on;
    int archived;
    struct kstrlist add_emails, add_phones, add_links, add_tags;
    struct kstrlist rm_emails, rm_phones, rm_links, rm_tags;
    /* What they need and offer, one short line an item: added (when not
     * there yet, ignoring case) and removed. */
    struct kstrlist add_needs, rm_needs, add_offers, rm_offers;
    /* Keep in touch every: "3w", "10d", "2m", "1y" (kdate_parse_span); ""
     * removes the contact's own cadence. */
    const char *every;
};
/* A patch that changes nothing (archived = -1, everything else empty). */
void contact_patch_init(struct contact_patch *p);
/* Frees the patch's lists (not its borrowed text fields). */
void contact_patch_clear(struct contact_patch *p);

/* Checks every value in p as contact_add and contact_edit would (today is
 * the day relative dates count from), without a journal, so a front end can
 * refuse bad input before it creates or opens a file. K_USAGE with a
 * message naming the field. */
int contact_patch_check(const struct contact_patch *p, int today, struct kerr *e);
/* Adds a contact from p (p->name required). Writes the new id into id. */
int contact_add(struct journal *j, const struct contact_patch *p, char id[KID_LEN + 1],
                struct kerr *e);
/* Applies p to the contact id, in one transaction. */
int contact_edit(struct journal *j, const char *id, const struct contact_patch *p, struct kerr *e);
/* Deletes the contact with its details, thank-yous and referrals it made;
 * interactions it was the only party to go too. */
int contact_delete(struct journal *j, const char *id, struct kerr *e);

/* Finds one contact from what a user typed: an exact name (case-insensitive),
 * an id prefix, the start of a word of one name, or a
 * fragment of one name. K_NOTFOUND when nothing matches;
 * K_USAGE listing the candidates when several do. */
int contact_resolve(struct journal *j, const char *query, char id[KID_LEN + 1], struct kerr *e);

/* The contacts whose name is name (ignoring case and accents, as the
 * list sorts them): up to max in *out, *n of them; free with
 * contact_refs_free. For "that name is already in the journal". */
int contact_named(struct journal *j, const char *name, size_t max, struct kref **out, size_t *n,
                  struct kerr *e);
void contact_refs_free(struct kref *refs, size_t n);

/* Everything about one contact, with goodwill and last interaction. The
 * caller clears out with contact_clear. */
int contact_get(struct journal *j, const char *id, struct contact *out, struct kerr *e);

/* What contact_absorb does beyond filling and adding. */
enum contact_absorb_flags {
    CONTACT_ABSORB_NAME = 1,  /* from's name, when another, becomes a nickname */
    CONTACT_ABSORB_NOTES = 2, /* from's note and working-on join into's */
};
/* Gives into what it lacks from from: empty fields filled, new emails,
 * phones, links (with labels), tags, nicknames, UIDs, addresses, events
 * and kept vCard lines added; nothing of into's is overwritten. Moves
 * strings out of from. 1 when into changed. */
int contact_absorb(struct contact *into, struct contact *from, unsigned flags);

/* "name", "recent", "silent", "goodwill". */
const char *contact_sort_name(enum contact_sort s);
int contact_sort_parse(const char *s, enum contact_sort *out);

/* A window of contacts (id, name, name_key, company, title, tags, goodwill,
 * gave, asked, last_interaction; not the other details). out->total counts
 * every match. The caller clears out with contact_list_clear.
 * A window (a limit) in the recent, silent or goodwill order sorts all of
 * q's matches once and keeps that order in the journal's connection (about
 * 12 bytes a match) until the query, the journal or the weights change, so
 * that the next windows, counts and positions of the same query are
 * lookups. Outside a transaction only; inside one, every window sorts. */
int contact_list(struct journal *j, const struct contact_query *q, struct contact_list *out,
                 struct kerr *e);
/* Counts the matches of q (ignoring offset, limit and keys). */
int contact_count(struct journal *j, const struct contact_query *q, size_t *n, struct kerr *e);
/* The row number (from 0) of the contact id among q's matches in q's
 * order, as if the list had no window or keys; K_NOTFOUND when
 * id is not a match. In name order it counts the rows before the contact's
 * key; the other orders look it up in the order contact_list keeps (see
 * there). */
int contact_position(struct journal *j, const struct contact_query *q, const char *id, size_t *pos,
                     struct kerr *e);
/* 1 when q's search matches names and companies only, because a word of
 * it is shorter than q->text_min characters. */
int contact_search_names_only(const struct contact_query *q);
/* Calls cb for each match in order without holding them all in memory; cb
 * returns nonzero to stop. The contact is valid only during the call. */
typedef int (*contact_cb)(const struct contact *c, void *ud);
int contact_each(struct journal *j, const struct contact_query *q, contact_cb cb, void *ud,
                 struct kerr *e);
/* As contact_each, each match as the fields a listing shows (struct
 * contact_row, valid only during the call): no struct contact is made. */
typedef int (*contact_row_cb)(const struct contact_row *r, void *ud);
int contact_each_row(struct journal *j, const struct contact_query *q, contact_row_cb cb, void *ud,
                     struct kerr *e);
/* As contact_each, one JSON object per contact: id, name, company, title,
 * tags, emails, phones, goodwill, last_interaction. */
int contact_each_json(struct journal *j, const struct contact_query *q, journal_json_cb cb,
                      void *ud, struct kerr *e);
/* One contact as a JSON object: the list fields plus links, location,
 * how_met, met_on, birthday, note, working_on, archived, gave, asked,
 * mutual. *json is a new string: free(). */
int contact_get_json(struct journal *j, const char *id, char **json, struct kerr *e);

#endif
