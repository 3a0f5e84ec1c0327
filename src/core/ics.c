#include "kith/core/ics.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>
#include <string.h>

static void put_text(struct sbuf *b, const char *name, const char *s)
{
    struct sbuf l = {0};
    sbuf_add(&l, name);
    sbuf_addc(&l, ':');
    for (; *s; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            sbuf_addc(&l, '\\');
            sbuf_addc(&l, *s);
        } else if (*s == '\n') {
            sbuf_add(&l, "\\n");
        } else if (*s == '\r') {
            /* No escape in RFC 5545 either; dropped, it would change the
             * text, and raw, it would end the line. */
            sbuf_add(&l, "\\r");
        } else if (((unsigned char)*s >= 0x20 && *s != 0x7F) || *s == '\t') {
            sbuf_addc(&l, *s); /* TEXT allows tabs, not other controls */
        }
    }
    sbuf_put_line(b, l.s);
    sbuf_free(&l);
}

void ics_begin_object(struct sbuf *b)
{
    sbuf_add(b, "BEGIN:VCALENDAR\r\n"
                "VERSION:2.0\r\n");
    sbuf_printf(b, "PRODID:-//kith//kith %s//EN\r\n", KITH_VERSION);
    sbuf_add(b, "CALSCALE:GREGORIAN\r\n");
}

void ics_begin(struct sbuf *b)
{
    ics_begin_object(b);
    sbuf_add(b, "METHOD:PUBLISH\r\n");
}

static void put_day(struct sbuf *b, const char *name, int day)
{
    int y, m, d;
    kdate_to_ymd(day, &y, &m, &d);
    sbuf_printf(b, "%s;VALUE=DATE:%04d%02d%02d\r\n", name, y, m, d);
}

static void put_stamp(struct sbuf *b, const char *name, int day)
{
    int y, m, d;
    kdate_to_ymd(day, &y, &m, &d);
    sbuf_printf(b, "%s:%04d%02d%02dT000000Z\r\n", name, y, m, d);
}

void ics_todo(struct sbuf *b, const struct ics_todo *t, int stamp)
{
    sbuf_add(b, "BEGIN:VTODO\r\n");
    put_text(b, "UID", t->uid);
    put_stamp(b, "DTSTAMP", stamp);
    put_day(b, "DUE", t->due);
    if (t->priority)
        sbuf_printf(b, "PRIORITY:%d\r\n", t->priority);
    put_text(b, "SUMMARY", t->summary);
    if (t->description)
        put_text(b, "DESCRIPTION", t->description);
    if (t->completed != KDATE_NONE) {
        sbuf_add(b, "STATUS:COMPLETED\r\n");
        put_stamp(b, "COMPLETED", t->completed);
        sbuf_add(b, "PERCENT-COMPLETE:100\r\n");
    } else {
        sbuf_add(b, "STATUS:NEEDS-ACTION\r\n");
    }
    sbuf_add(b, "END:VTODO\r\n");
}

void ics_event(struct sbuf *b, const struct ics_event *ev, int stamp)
{
    int y, m, d;
    sbuf_add(b, "BEGIN:VEVENT\r\n");
    put_text(b, "UID", ev->uid);
    put_stamp(b, "DTSTAMP", stamp);
    kdate_to_ymd(ev->date, &y, &m, &d);
    sbuf_printf(b, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", y, m, d);
    kdate_to_ymd(ev->date + 1, &y, &m, &d);
    sbuf_printf(b, "DTEND;VALUE=DATE:%04d%02d%02d\r\n", y, m, d);
    if (ev->yearly)
        sbuf_add(b, "RRULE:FREQ=YEARLY\r\n");
    put_text(b, "SUMMARY", ev->summary);
    if (ev->description)
        put_text(b, "DESCRIPTION", ev->description);
    sbuf_add(b, "TRANSP:TRANSPARENT\r\n"
                "END:VEVENT\r\n");
}

void ics_end(struct sbuf *b)
{
    sbuf_add(b, "END:VCALENDAR\r\n");
}
