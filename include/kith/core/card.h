/* A contact read from an import file (a vCard, a CSV row), checked field by
 * field as it is read.
 *
 * Import is tolerant: a value kith cannot store is left out (or, from a
 * vCard, kept verbatim with the contact) and reported; a card or row it
 * cannot read at all is skipped and reported, and the reading goes on. The
 * parsers (vcard.h, csv.h) fill a struct card, tell their caller about each
 * problem through struct card_opts, and hand over each card; nothing here
 * touches the journal. */
#ifndef KITH_CARD_H
#define KITH_CARD_H

#include "kith/util/kerr.h"
#include "kith/util/model.h"

#include <stddef.h>

/* The contact fields an import can set, as --map names them. First,
 * middle and last name (and prefix, suffix) are the name's parts; they
 * build the name when no full name was given. */
enum card_field {
    CARD_IGNORE = 0,
    CARD_NAME,
    CARD_FIRST,
    CARD_MIDDLE,
    CARD_LAST,
    CARD_COMPANY,
    CARD_TITLE,
    CARD_EMAIL,
    CARD_PHONE,
    CARD_LINK,
    CARD_LOCATION,
    CARD_BIRTHDAY,
    CARD_NOTE,
    CARD_TAGS,
    CARD_HOW_MET,
    CARD_MET_ON,
    CARD_WORKING_ON,
    CARD_ARCHIVED,
    CARD_PREFIX,
    CARD_SUFFIX,
    CARD_NICKNAME,
    CARD_DEPARTMENT, /* joins the company: "Acme, Engineering" */
    CARD_UID,
    CARD_ANNIVERSARY,
    CARD_STREET, /* the parts of a postal address */
    CARD_CITY,
    CARD_REGION,
    CARD_POSTCODE,
    CARD_COUNTRY,
    CARD_POBOX,
    CARD_EXTENDED,
    CARD_BIRTH_YEAR, /* a birthday in three columns */
    CARD_BIRTH_MONTH,
    CARD_BIRTH_DAY,
    CARD_NEED,  /* what they are looking for; several split at ::: or lines */
    CARD_OFFER, /* what they can help others with; as CARD_NEED */
    CARD_EVERY, /* a keep-in-touch cadence: 3w, 21d (kdate_parse_span) */
    CARD_FIELD_COUNT
};

/* "name", "first_name", ..., as --map and kith's own CSV header spell them;
 * "ignore" for CARD_IGNORE. */
const char *card_field_name(enum card_field f);
/* 0 and *out set when s names a field ('-' and '_' are interchangeable,
 * case does not matter), -1 otherwise. */
int card_field_parse(const char *s, enum card_field *out);

/* How bad a problem is. An info note: read, with a guess worth knowing (a
 * date's order, a character set). A warning: a value was left out. A skip:
 * the whole card or row was not imported. */
enum card_level { CARD_INFO = 0, CARD_WARN, CARD_SKIP };

/* Which way a date such as 03/04/1990 is read. */
enum card_date_order { CARD_MDY = 0, CARD_DMY };

struct card;
/* Receives each complete card; valid only during the call, after which
 * the reader clears it (the callee may take k->c, leaving it zeroed). A
 * nonzero status stops the reader, which returns it (e already set). */
typedef int (*card_cb)(struct card *k, void *ud, struct kerr *e);
/* Told about each problem at line (of the file named in the options); for
 * a skip, raw and rawn are the card's or row's bytes in the input, as
 * they were, so that they can be written out for the user to fix. */
typedef void (*card_problem_cb)(enum card_level level, int line, const char *msg, const char *raw,
                                size_t rawn, void *ud);

struct card_opts {
    const char *file; /* the input's name in messages */
    card_cb card;
    card_problem_cb problem; /* may be NULL */
    void *ud;                /* for both */
    const char *map;         /* CSV: "Column=field,..." or NULL */
    enum card_date_order order;
    int this_year; /* two-digit years fall in the century up to it */
};

/* A card being filled. Pending addresses (by group) and birthday parts
 * are completed by card_finish. */
#define CARD_GROUPS 8
struct card {
    struct contact c; /* c.id is "" */
    const struct card_opts *o;
    int line;         /* where the card or row begins */
    char *department; /* joined to the company by card_finish */
    struct kaddress addr[CARD_GROUPS];
    int birth[3];      /* year, month, day from CSV columns; 0 when absent */
    int note_full;     /* the note reached its limit: card_finish refuses it */
    int name_guessed;  /* card_finish took the name from an email, a company... */
    size_t extra_size; /* bytes of c.extra */
};

/* An empty card that begins at line; o is borrowed. */
void card_init(struct card *k, const struct card_opts *o, int line);
/* Frees the members, not k itself. Accepts NULL. */
void card_clear(struct card *k);
/* Reports a problem through k's options ("FILE:LINE: ..." is for the
 * caller to add). */
void card_report(const struct card *k, enum card_level level, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records value (valid UTF-8) for f with an optional TYPE label. Text
 * fields keep their first value (a note gathers every value, one
 * paragraph each); emails, phones, links, nicknames and UIDs add to their
 * lists (duplicates dropped; a label fills a missing one); tags are split
 * by card_tags. Empty values are ignored. K_OK when stored (or ignored);
 * K_USAGE with the reason in e when kith cannot store the value, which
 * the caller keeps verbatim or reports as left out. An email that is not
 * an address is stored as written, with a note. */
int card_add(struct card *k, enum card_field f, const char *value, const char *label, int line,
             struct kerr *e);
/* card_add without a label, reporting a value left out as a warning. */
void card_set(struct card *k, enum card_field f, const char *value, int line);
/* Adds a link with its label and, from a vCard, the property and
 * parameters it came from (NULL for URL); otherwise as card_add. */
int card_link(struct card *k, const char *value, const char *label, const char *prop, int line,
              struct kerr *e);
/* Splits a cell of tags (" ::: " between Google's labels, else ';' or ',')
 * and adds each; "* starred" loses its mark, Google's "myContacts" goes. */
void card_tags(struct card *k, const char *value, int line);
/* Adds one tag as given (vCard CATEGORIES are already split). */
int card_tag(struct card *k, const char *tag, int line, struct kerr *e);
/* Sets part f (CARD_STREET ... CARD_EXTENDED) of pending address group g
 * (0 to CARD_GROUPS - 1); label names the group's address when given. */
void card_address_part(struct card *k, int g, enum card_field f, const char *value,
                       const char *label);
/* Adds a whole address (a vCard ADR); duplicates are dropped. */
void card_address(struct card *k, const struct kaddress *a);
/* Adds a dated event from text as card_parse_date reads it. K_USAGE when
 * it is not a date. */
int card_event(struct card *k, const char *label, const char *value, int line, struct kerr *e);
/* Keeps a vCard line kith has no field for (valid UTF-8, unfolded).
 * K_USAGE when the card's kept lines would pass CARD_EXTRA_MAX bytes. */
#define CARD_EXTRA_MAX (8 << 20)
int card_extra(struct card *k, const char *line, struct kerr *e);

/* Completes the card: the company with its department, the pending
 * addresses and birthday, the location from the first address, and the
 * name from N's parts, else a nickname, the company, an email or a phone.
 * K_OK; K_NOTFOUND when nothing names a person (an empty card or row);
 * K_USAGE with the reason in e when the card breaks a limit (a name over
 * 1000 bytes, a note over 1 MiB, ...). */
int card_finish(struct card *k, struct kerr *e);

/* A date as producers write them: 1985-03-15, 19850315, --03-15, --0315
 * (with or without a time after T), "02 Jun 2022", "Jun 2, 2022",
 * "5-Jan-26", "3/15/1985", "20/01/1991", "1/8/18, 6:14 PM", "15.03.1985".
 * Two-digit years fall in the hundred years up to this_year. Returns 0 with
 * *y (0 when the year is absent), *m and *d set, and *ambiguous when the
 * day and month could be either way round (read as order says); 1 for an
 * empty date (Outlook's 0/0/00); -1 when s is not a date. */
int card_parse_date(const char *s, enum card_date_order order, int this_year, int *y, int *m,
                    int *d, int *ambiguous);

/* The LinkedIn profile a link names, as https://www.linkedin.com/in/SLUG
 * (slug in lower case), into a new string; NULL when it names none. */
char *card_linkedin(const char *link);

#endif
