/* A contact read from an import file (a vCard, a CSV row), checked field by
 * field as it is read so that every problem is reported as FILE:LINE.
 *
 * The parsers (vcard.h, csv.h) fill a struct card and hand it to their
 * caller; nothing here touches the journal. */
#ifndef KITH_CARD_H
#define KITH_CARD_H

#include "kith/kerr.h"
#include "kith/model.h"

/* The contact fields an import can set. First, middle and last name only
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
    CARD_FIELD_COUNT
};

/* "name", "first_name", ..., as --map and kith's own CSV header spell them;
 * "ignore" for CARD_IGNORE. */
const char *card_field_name(enum card_field f);
/* 0 and *out set when s names a field ('-' and '_' are interchangeable,
 * case does not matter), -1 otherwise. */
int card_field_parse(const char *s, enum card_field *out);

struct card {
    struct contact c; /* c.id is "" */
    char *first, *middle, *last;
    const char *file; /* borrowed, for messages */
    int line;         /* where the card or row begins */
};

/* An empty card that begins at file:line; file is borrowed. */
void card_init(struct card *k, const char *file, int line);
/* Frees the members, not k itself. Accepts NULL. */
void card_clear(struct card *k);

/* Checks value and records it. Text fields keep their first value (a note
 * gathers every value, one paragraph each); emails, phones and links add
 * to their lists (duplicates dropped); tags splits value on commas and
 * semicolons. Empty values are ignored. K_USAGE with "FILE:LINE: ..." in e
 * when the value is invalid. */
int card_set(struct card *k, enum card_field f, const char *value, int line, struct kerr *e);
/* Completes the card: builds the name from first/middle/last when needed and
 * refuses a card without one. */
int card_finish(struct card *k, struct kerr *e);

#endif
