/* The shapes of kith's data, shared by every layer from config and the
 * store up, and the one spelling of each closed set of words (directions,
 * outcomes, detail types, rule triggers).
 *
 * Every row has a random 128-bit identity written as 32 lowercase hex
 * characters, so that journals kept on two devices can be merged. Dates are
 * day numbers (kith/util/kdate.h); KDATE_NONE marks an absent one. Text fields are
 * NULL when unset. Structs returned by the store are owned by the caller and
 * released with the matching *_free function, which accepts NULL. */
#ifndef KITH_MODEL_H
#define KITH_MODEL_H

#include <limits.h>
#include <stddef.h>

#define KID_LEN    32
#define KID_SHORT  8 /* characters of an id shown to users */
#define KDATE_NONE INT_MIN

enum kdir { KDIR_GAVE = 0, KDIR_ASKED = 1, KDIR_MUTUAL = 2, KDIR_COUNT };

enum koutcome {
    KOUT_PENDING = 0,
    KOUT_MEETING,
    KOUT_INTERVIEW,
    KOUT_OFFER,
    KOUT_HIRED,
    KOUT_WON,
    KOUT_LOST,
    KOUT_NONE,
    KOUT_COUNT
};

/* What kinds of contact details there are (contact_detail.type). */
enum kdetail { KDETAIL_EMAIL = 0, KDETAIL_PHONE, KDETAIL_LINK, KDETAIL_COUNT };

/* What a reminder rule fires on (the config's `on:`). */
enum ktrigger {
    KTRIGGER_REFERRAL = 0,
    KTRIGGER_INTERACTION,
    KTRIGGER_SILENCE,
    KTRIGGER_BIRTHDAY,
    KTRIGGER_GOODWILL,
    KTRIGGER_CHALLENGE,
    KTRIGGER_COUNT
};

/* The words of each closed set, indexed by its enum: the only place they
 * are spelled (the schema's CHECK constraints aside). */
extern const char *const kdir_names[KDIR_COUNT];         /* "gave", "asked", "mutual" */
extern const char *const koutcome_names[KOUT_COUNT];     /* "pending", "meeting", ... */
extern const char *const kdetail_names[KDETAIL_COUNT];   /* "email", "phone", "link" */
extern const char *const ktrigger_names[KTRIGGER_COUNT]; /* "referral", ... */

/* "gave", "asked", "mutual". */
const char *kdir_name(enum kdir d);
/* 0 and *out set when s names a direction, -1 otherwise. */
int kdir_parse(const char *s, enum kdir *out);
/* "pending", "meeting", ... */
const char *koutcome_name(enum koutcome o);
int koutcome_parse(const char *s, enum koutcome *out);

/* Receives one JSON document per call from the streaming *_json functions;
 * the text is valid only during the call. Return nonzero to stop. */
typedef int (*kjson_cb)(const char *json, void *ud);

/* A list of owned strings. */
struct kstrlist {
    char **v;
    size_t n;
};
void kstrlist_add(struct kstrlist *l, const char *s);
/* 1 when l holds s (exact bytes). */
int kstrlist_has(const struct kstrlist *l, const char *s);
void kstrlist_clear(struct kstrlist *l);

/* A reference to a contact by id, with its name for display. */
struct kref {
    char id[KID_LEN + 1];
    char *name;
};

/* A name in parts, as vCard's N has it, so that an export never has to
 * guess which word is the family name. Any part may be NULL. */
struct kname {
    char *family, *given, *additional, *prefix, *suffix;
};

/* A postal address as vCard's ADR has it. Any part may be NULL. */
struct kaddress {
    char *label; /* TYPE labels ("work", "home,pref") or NULL */
    char *pobox, *ext, *street, *locality, *region, *code, *country;
};

/* A dated event other than the birthday (an anniversary, a custom date). */
struct kevent {
    char *label; /* "anniversary", or what the producer called it */
    char *date;  /* "MM-DD" or "YYYY-MM-DD" */
};

struct contact {
    char id[KID_LEN + 1];
    char *name;
    char *company;
    char *title;
    char *location;
    char *how_met;
    char *note;
    char *working_on;
    char *birthday; /* "MM-DD" or "YYYY-MM-DD" */
    int met_on;     /* day number or KDATE_NONE */
    int archived;
    struct kstrlist emails, phones, links, tags;
    /* The TYPE label of each email, phone and link ("" for none: a list
     * shorter than its values means "" for the rest), and for each link the
     * vCard property and parameters it came from ("" for URL; "IMPP",
     * "X-SOCIALPROFILE;x-user=ana"), so that export writes it back. */
    struct kstrlist email_labels, phone_labels, link_labels, link_props;
    struct kname n;
    struct kstrlist nicknames;
    /* The vCard UIDs that identify this contact; export writes the first
     * (or, without one, a UID made from the id). */
    struct kstrlist uids;
    struct kaddress *addresses;
    size_t naddresses;
    struct kevent *events;
    size_t nevents;
    /* vCard properties kith has no field for (PHOTO, X-...), each one
     * unfolded line as read, written back by the vCard export. */
    struct kstrlist extra;
    /* What they are looking for ("intro to a seed investor") and what they
     * can help others with ("resume reviews"): one short line each, the
     * raw material of kith ideas. */
    struct kstrlist needs, offers;
    /* Keep in touch at least every this many days (kith edit --every), or
     * 0 for no cadence of their own. */
    int cadence_days;
    /* Derived from interactions, filled by lists and contact_get. */
    int gave, asked, mutual;
    int goodwill;
    int last_interaction; /* day number or KDATE_NONE */
    /* The name as the list sorts it (case and accents folded), filled by
     * lists: with id, the key of a keyset window (struct contact_key). */
    char *name_key;
};
/* Frees the members, not c itself. */
void contact_clear(struct contact *c);
/* The label of value i of a list whose labels are in labels: "" for none. */
const char *contact_label(const struct kstrlist *labels, size_t i);
/* Sets label i of labels to label (NULL or "" for none), growing the list
 * with "" as needed. */
void contact_set_label(struct kstrlist *labels, size_t i, const char *label);
/* Removes item i of l (nothing when l has no item i). */
void kstrlist_remove(struct kstrlist *l, size_t i);
/* Appends a copy of a to c's addresses / of ev to its events. */
void contact_add_address(struct contact *c, const struct kaddress *a);
void contact_add_event(struct contact *c, const struct kevent *ev);
/* 1 when the two addresses have the same parts (labels aside). */
int kaddress_same(const struct kaddress *a, const struct kaddress *b);
void kaddress_clear(struct kaddress *a);
void kname_clear(struct kname *n);

enum contact_sort {
    CONTACT_SORT_NAME = 0,
    CONTACT_SORT_RECENT,   /* most recent interaction first */
    CONTACT_SORT_SILENT,   /* longest without an interaction first */
    CONTACT_SORT_GOODWILL, /* highest balance first */
    CONTACT_SORT_COUNT
};
/* A place in the list's name order: a contact's name_key and id, as a list
 * returned them. Borrowed. */
struct contact_key {
    const char *name_key;
    const char *id;
};

struct contact_query {
    const char *tag;    /* only contacts with this tag; NULL for all */
    const char *search; /* full-text words (prefix match); NULL for all */
    enum contact_sort sort;
    int include_archived;
    size_t offset;
    size_t limit; /* 0: no limit */
    /* For search as you type on a large journal: interaction text counts
     * only through the text_limit most recently logged matching
     * interactions (0: all of them); contact_list skips its own count
     * when skip_total. */
    size_t text_limit;
    int skip_total;
    /* Also for search as you type: while a word of the search has fewer
     * than text_min characters, it matches names and companies only (0:
     * always everything). One or two letters start words all over a
     * journal's text, and finding them there is slow and tells little. */
    size_t text_min;
    /* Keyset windows, in name order only (K_USAGE with another sort): the
     * rows after `after` (from it on, with key_inclusive), or the rows just
     * before `before` (up to it, with key_inclusive), the last `limit` of
     * them, still in ascending order. offset then counts from the key. A
     * page deep in a large journal costs what the first page does, where
     * an offset walks over every row before it. Counts ignore them. */
    const struct contact_key *after;
    const struct contact_key *before;
    int key_inclusive;
};

/* A contact as `kith list` shows it: what a list of every contact reads
 * without making a struct contact per row. The strings are borrowed for
 * the duration of the callback that receives it. */
struct contact_row {
    const char *id;
    const char *name;
    const char *company;  /* NULL for none */
    const char *tags;     /* the tags' spellings in tag order joined by ',', "" for none */
    int last_interaction; /* day number or KDATE_NONE */
    int goodwill;
    int archived;
};

struct contact_list {
    struct contact *v;
    size_t n;
    size_t total; /* rows matching the query, ignoring the window */
};
void contact_list_clear(struct contact_list *l);

struct interaction {
    char id[KID_LEN + 1];
    int date;
    char *kind;
    enum kdir dir;
    char *summary;
    char *note;
    struct kref *contacts;
    size_t ncontacts;
};
void interaction_clear(struct interaction *it);

struct interaction_list {
    struct interaction *v;
    size_t n;
};
void interaction_list_clear(struct interaction_list *l);

struct referral {
    char id[KID_LEN + 1];
    struct kref referrer;
    struct kref target; /* target.id is "" when the target is text */
    char *target_text;  /* the target as text; for a contact, its name */
    char *kind;
    int date;
    enum koutcome outcome;
    int outcome_on;           /* date of the latest outcome change, or KDATE_NONE */
    char parent[KID_LEN + 1]; /* "" when none */
    char *note;
    int thanked;
    int thanked_on; /* KDATE_NONE when not thanked */
    char *thanked_form;
};
void referral_clear(struct referral *r);

struct referral_list {
    struct referral *v;
    size_t n;
};
void referral_list_clear(struct referral_list *l);

/* One change of a referral's outcome, with its date and note. */
struct referral_event {
    char id[KID_LEN + 1];
    int date;
    enum koutcome outcome;
    char *note;
};
struct referral_events {
    struct referral_event *v;
    size_t n;
};
void referral_events_clear(struct referral_events *l);

/* Which referrals a list shows; NULL ids mean anyone. */
struct referral_query {
    int unthanked_only;
    const char *referrer_id;  /* made by this contact */
    const char *involving_id; /* referrer or target is this contact */
    size_t offset;
    size_t limit; /* 0: no limit */
};

struct thanks {
    char id[KID_LEN + 1];
    struct kref contact;
    int date;
    char *form;
    char referral[KID_LEN + 1];    /* "" when none */
    char interaction[KID_LEN + 1]; /* "" when none */
    char *note;
};
void thanks_clear(struct thanks *t);

/* A pay-it-forward: a gift expecting nothing, to a contact or to someone
 * not in the journal. A networking act that never moves goodwill. */
struct forward {
    char id[KID_LEN + 1];
    int date;
    char *text;          /* what was given: "helped a student with her resume" */
    struct kref contact; /* contact.id "" (name NULL) for someone not in the journal */
    char *note;
};
/* Frees the members, not f itself. */
void forward_clear(struct forward *f);

struct forward_list {
    struct forward *v;
    size_t n;
};
void forward_list_clear(struct forward_list *l);

struct challenge_tick {
    int date;
    char *note;
    char interaction[KID_LEN + 1];
    char forward[KID_LEN + 1]; /* the pay-it-forward that was the day's act, or "" */
};

struct challenge {
    char id[KID_LEN + 1];
    int started_on;
    int days;
    struct challenge_tick *ticks; /* oldest first */
    size_t nticks;
    /* Derived for a given "today". */
    int done;    /* ticked days */
    int elapsed; /* days from the start to today, both included, capped at days */
    int streak;
    int today_done;
    int day;      /* today's day number within the challenge, 1-based; 0 before it */
    int finished; /* today is past its last day */
    /* "Never miss twice": a streak survives up to grace_days empty days in
     * a row when the day after them is ticked (or is today, still open). */
    int grace_days;
    int graced;  /* empty days the current streak survived */
    int pending; /* the streak survives only if today is ticked */
    /* Habit strength in percent: an exponential moving average of ticked
     * days, carried over from the challenges before (challenge_history). */
    int habit;
};
void challenge_clear(struct challenge *c);

struct challenge_list {
    struct challenge *v;
    size_t n;
};
void challenge_list_clear(struct challenge_list *l);

struct ledger_row {
    struct kref contact;
    int gave, asked, mutual;
    int balance;
    int last_interaction;
};

struct ledger {
    struct ledger_row *v;
    size_t n;
};
void ledger_clear(struct ledger *l);

/* A reminder derived from a rule (see kith/core/reminder.h). It is identified by
 * its rule, its subject (a contact, referral or challenge id) and the date
 * its trigger fired; id is a short hash of those, stable across runs. */
#define KREMINDER_ID_LEN 16
struct reminder {
    char id[KREMINDER_ID_LEN + 1]; /* what users type: 6 hex digits, more when needed */
    char *rule;
    int priority; /* 0 high, 1 normal, 2 low (enum config_priority) */
    char subject[KID_LEN + 1];
    char contact_id[KID_LEN + 1]; /* "" when the reminder is not about a contact */
    char *contact;                /* the contact's name, or NULL */
    char *message;
    int fired_on;
    int due_on;
    int overdue;
    int notified; /* notify_command has run for it */
    /* What the user did with it (KDATE_NONE when nothing): filled for the
     * handled ones (reminder_handled_evaluated). */
    int done_on, snoozed_until;
};
/* Frees the members, not r itself. */
void reminder_clear(struct reminder *r);

struct reminder_list {
    struct reminder *v;
    size_t n;
};
void reminder_list_clear(struct reminder_list *l);

/* A conflict a sync resolved: both sides changed one field of one thing
 * differently, and a rule chose one value. Strings are owned by whoever
 * filled the struct (kconflict_clear frees them). */
struct kconflict {
    long long id; /* 0 until stored */
    char *at;     /* when it was resolved, UTC ISO 8601 (set when stored) */
    char *source; /* "vdir" (kith's own sync will add its own) */
    char *place;  /* where the other value came from: a file, a replica */
    char *entity; /* "contact", ... */
    char entity_id[KID_LEN + 1];
    char *name;  /* the thing's name when read back, for display; may be NULL */
    char *field; /* "company", "emails", ... */
    char *kept;  /* the value kept, as text; NULL for none */
    char *other; /* the value not taken; NULL for none */
    char *rule;  /* why: "kith's value kept" */
    /* The replicas that made the value kept and the one not taken (kith's
     * own sync; NULL where not known: a vdir, a conflict stored before
     * kith said), and what a row no contact owns is, for a reader ("challenge
     * tick 2026-12-08"; when stored, for a contact's: its name where it
     * was gone, read back as name). */
    char *kept_place, *other_place;
    char *about;
};
void kconflict_clear(struct kconflict *c);

/* A birthday coming up: the contact and the day it falls on. */
struct birthday {
    struct kref contact;
    int on; /* the day it falls on, from..from+days-1 */
};

struct birthday_list {
    struct birthday *v;
    size_t n;
};
/* Frees and zeroes l. Accepts NULL. */
void birthday_list_clear(struct birthday_list *l);

/* One entry of a timeline (a contact's, or everyone's): an interaction, a
 * referral, a thank-you or a pay-it-forward. */
enum timeline_type {
    TIMELINE_INTERACTION = 0,
    TIMELINE_REFERRAL,
    TIMELINE_THANKS,
    TIMELINE_FORWARD
};

struct timeline_entry {
    enum timeline_type type;
    char id[KID_LEN + 1];
    int date;
    char *kind;            /* interaction kind, referral kind, thank-you form, "forward" */
    enum kdir dir;         /* interactions */
    char *text;            /* interaction summary, referral target, thank-you note, what was given;
                            * may be NULL */
    char *who;             /* interaction parties (", "), referrer, thanked contact, who got a
                            * pay-it-forward (NULL: someone not in the journal) */
    int thanked;           /* referrals */
    enum koutcome outcome; /* referrals */
};

struct timeline {
    struct timeline_entry *v;
    size_t n;
};
/* Frees the entries and zeroes l. Accepts NULL. */
void timeline_clear(struct timeline *l);

/* Where an entry is in the timeline's order (newest first; within a day
 * interactions, referrals, thank-yous, each by id). */
struct timeline_key {
    int date; /* KDATE_NONE in a `before` key: the end of the timeline */
    enum timeline_type type;
    char id[KID_LEN + 1];
    int inclusive; /* in an `after` key: the entry itself starts the window */
};

#endif
