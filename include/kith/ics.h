/* iCalendar (RFC 5545) output: all-day events for calendar applications.
 *
 * Lines end in CRLF and are folded at 75 octets without splitting a UTF-8
 * sequence; TEXT values are escaped. A calendar is ics_begin, any number of
 * ics_event, then ics_end, appended to one buffer. */
#ifndef KITH_ICS_H
#define KITH_ICS_H

#include "kith/kstr.h"

/* One all-day event. uid must stay the same for the same event from one
 * export to the next, so that a calendar updates rather than duplicates
 * it. Strings are borrowed. */
struct ics_event {
    const char *uid;
    int date; /* day number */
    const char *summary;
    const char *description; /* NULL for none */
};

void ics_begin(struct sbuf *b);
/* stamp is the day the events were produced (DTSTAMP, at midnight UTC). */
void ics_event(struct sbuf *b, const struct ics_event *ev, int stamp);
void ics_end(struct sbuf *b);

#endif
