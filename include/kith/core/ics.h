/* iCalendar (RFC 5545) output: all-day events for calendar applications.
 *
 * Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
 * sequence; TEXT values are escaped. A calendar is ics_begin, any number of
 * ics_event, then ics_end, appended to one buffer. */
#ifndef KITH_ICS_H
#define KITH_ICS_H

#include "kith/util/kstr.h"

/* One all-day event. uid must stay the same for the same event from one
 * export to the next, so that a calendar updates rather than duplicates
 * it. Strings are borrowed. */
struct ics_event {
    const char *uid;
    int date; /* day number */
    const char *summary;
    const char *description; /* NULL for none */
    int yearly;              /* repeats every year on the date (RRULE) */
};

/* A to-do (VTODO) due on a day, as kith writes reminders. */
struct ics_todo {
    const char *uid;
    int due; /* day number */
    int priority; /* RFC 5545: 1 highest ... 9 lowest; 0 none */
    const char *summary;
    const char *description; /* NULL for none */
    int completed; /* the day it was done, or KDATE_NONE (needs action) */
};

/* A calendar to publish (a whole file of events: METHOD:PUBLISH). */
void ics_begin(struct sbuf *b);
/* A calendar object as a CalDAV collection or a vdir holds one per file:
 * RFC 4791 forbids METHOD there. */
void ics_begin_object(struct sbuf *b);
/* stamp is the day the events were produced (DTSTAMP, at midnight UTC). */
void ics_event(struct sbuf *b, const struct ics_event *ev, int stamp);
/* stamp as for ics_event. */
void ics_todo(struct sbuf *b, const struct ics_todo *t, int stamp);
void ics_end(struct sbuf *b);

#endif
