/* Duplicates: contacts that may be one person, and merging two into one.
 *
 * Import never merges on a weak hint (a shared phone, an equal name); such
 * contacts are listed here with the reason, for the user to decide. A
 * merge moves everything of one contact onto the other in one transaction,
 * recorded like any other change, so the front end's undo (kith/core/history.h)
 * takes it back. */
#ifndef KITH_DUPES_H
#define KITH_DUPES_H

#include "kith/core/journal.h"
#include "kith/util/model.h"

#include <stddef.h>

/* Why a pair may be one person: bits, strongest first. */
enum dupes_reason {
    DUPES_EMAIL = 1,        /* the same email (case aside) */
    DUPES_PHONE = 2,        /* the same phone number, however written */
    DUPES_NAME_COMPANY = 4, /* the same name at the same company */
    DUPES_NAME = 8,         /* the same name */
    DUPES_SIMILAR = 16,     /* names alike: Jon and John, Bob and Robert Smith */
};

/* "email", "phone", "name and company", "name", "similar name". */
const char *dupes_reason_name(enum dupes_reason r);

/* A pair: keep is the contact added first (the suggested one to keep). */
struct dupes_pair {
    struct kref keep, other;
    unsigned reasons;
    char *detail; /* what the strongest reason shares: an email, a phone, a name */
};

struct dupes_list {
    struct dupes_pair *v;
    size_t n;
    int more; /* there were more than the limit */
};
void dupes_list_clear(struct dupes_list *l);

/* The likely duplicates, strongest reasons first, at most limit (0: all).
 * Pairs whose LinkedIn profiles differ are never listed. The caller clears
 * out with dupes_list_clear. */
int dupes_find(struct journal *j, size_t limit, struct dupes_list *out, struct kerr *e);

/* A sync's arrivals. From dupes_arrivals_begin to dupes_arrivals_end,
 * the journal notes each contact added; dupes_find_arrived lists only the
 * pairs that hold one of them: with a contact that was there before, or
 * with another that arrived (two machines that each added one person; not
 * two that were there), looking only at the arrivals' emails, phones and
 * names: about 0.06 s for a thousand
 * arrivals in 100k contacts, each a likely duplicate (dupes_find on the
 * whole journal would take 0.16 s, on every such sync). *arrived
 * gets how many arrivals are in the journal; no search is made when none
 * is, or when none was there before them. The caller clears out with
 * dupes_list_clear. */
int dupes_arrivals_begin(struct journal *j, struct kerr *e);
void dupes_arrivals_end(struct journal *j);
int dupes_find_arrived(struct journal *j, size_t limit, size_t *arrived, struct dupes_list *out,
                       struct kerr *e);

/* 1 when the two (folded) first names may be one person's: an initial, a
 * short form (Jon, Jonathan), a usual nickname (Bob, Robert) or a typo. */
int dupes_names_alike(const char *a, const char *b);

/* What a merge moved. */
struct dupes_moved {
    size_t interactions, referrals, thanks;
};

/* Merges other into keep in one transaction: keep gains what it lacks of
 * other's details, tags, notes (joined), nicknames and UIDs, and other's
 * name as a nickname; other's interactions, referrals and thank-yous move
 * to keep; other is deleted. K_USAGE when they are the same contact, or
 * (unless force) when their LinkedIn profiles differ. */
int dupes_merge(struct journal *j, const char *keep, const char *other, int force,
                struct dupes_moved *m, struct kerr *e);

#endif
