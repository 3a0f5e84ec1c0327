#include "kith/ics.h"

#include "kith/kdate.h"

#include <stdio.h>
#include <string.h>

/* Appends one content line folded at 75 octets (continuations start with a
 * space, which counts), ended by CRLF. */
static void put_line(struct sbuf *b, const char *s)
{
    size_t n = strlen(s), col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (i + len > n)
            len = n - i;
        if (col + len > 75) {
            sbuf_add(b, "\r\n ");
            col = 1;
        }
        sbuf_addn(b, s + i, len);
        col += len;
        i += len;
    }
    sbuf_add(b, "\r\n");
}

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
    put_line(b, l.s);
    sbuf_free(&l);
}

void ics_begin(struct sbuf *b)
{
    sbuf_add(b, "BEGIN:VCALENDAR\r\n"
                "VERSION:2.0\r\n");
    sbuf_printf(b, "PRODID:-//kith//kith %s//EN\r\n", KITH_VERSION);
    sbuf_add(b, "CALSCALE:GREGORIAN\r\n"
                "METHOD:PUBLISH\r\n");
}

void ics_event(struct sbuf *b, const struct ics_event *ev, int stamp)
{
    int y, m, d;
    sbuf_add(b, "BEGIN:VEVENT\r\n");
    put_text(b, "UID", ev->uid);
    kdate_to_ymd(stamp, &y, &m, &d);
    sbuf_printf(b, "DTSTAMP:%04d%02d%02dT000000Z\r\n", y, m, d);
    kdate_to_ymd(ev->date, &y, &m, &d);
    sbuf_printf(b, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", y, m, d);
    kdate_to_ymd(ev->date + 1, &y, &m, &d);
    sbuf_printf(b, "DTEND;VALUE=DATE:%04d%02d%02d\r\n", y, m, d);
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
