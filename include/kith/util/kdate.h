/* Calendar dates as day numbers.
 *
 * A date is an int: days since 1970-01-01 in the proleptic Gregorian
 * calendar. Text form is always YYYY-MM-DD. "Today" is $KITH_TODAY when set
 * (so tests and reminders are reproducible), else the local date. */
#ifndef KITH_KDATE_H
#define KITH_KDATE_H

#include "kith/util/kerr.h"

#include <stddef.h>

#define KDATE_BUF 11 /* "YYYY-MM-DD" and NUL */

/* Day number of year-month-day; does not validate. */
int kdate_from_ymd(int y, int m, int d);
/* Splits a day number into year, month (1-12) and day (1-31). */
void kdate_to_ymd(int days, int *y, int *m, int *d);
/* 1 when y-m-d names a real calendar day. */
int kdate_valid_ymd(int y, int m, int d);
/* Writes the YYYY-MM-DD form of days into buf (at least KDATE_BUF bytes). */
char *kdate_format(int days, char *buf);
/* 1 and *out set when the n bytes at s (no NUL needed) are exactly a real
 * YYYY-MM-DD day; 0 otherwise. For hot loops: no message. */
int kdate_parse_n(const char *s, size_t n, int *out);
/* Parses exactly YYYY-MM-DD into *out. K_USAGE with a message otherwise. */
int kdate_parse_iso(const char *s, int *out, struct kerr *e);
/* Parses what users may type for a date: YYYY-MM-DD, "today", "yesterday",
 * "tomorrow" or -Nd / +Nd relative to today. K_USAGE with a message
 * naming the bad text otherwise. */
int kdate_parse(const char *s, int today, int *out, struct kerr *e);
/* Today: $KITH_TODAY when set and valid, else the local date. When
 * $KITH_TODAY is set but invalid, returns K_USAGE via e and the local date
 * in *out. */
int kdate_today(int *out, struct kerr *e);
/* Parses a birthday: MM-DD, --MM-DD, --MMDD or YYYY-MM-DD. Writes the
 * normalized form (MM-DD or YYYY-MM-DD) into buf (KDATE_BUF bytes). */
int kdate_parse_birthday(const char *s, char *buf, struct kerr *e);
/* "12d", "4mo", "2y" style age of a day count, or "—" for negative. buf
 * needs 16 bytes. */
char *kdate_ago(int days, char *buf);

/* The longest span kdate_parse_span takes, in days. */
#define KDATE_SPAN_MAX 3650
/* A span of time as users type a cadence: a number and d (days), w
 * (weeks), m (months of 30 days) or y (years of 365 days): "3w" is 21.
 * K_USAGE with a message otherwise, or past KDATE_SPAN_MAX days. */
int kdate_parse_span(const char *s, int *days, struct kerr *e);
/* A span in the largest unit that divides it exactly: 21 is "3w", 60
 * "2m", 10 "10d". buf needs 16 bytes. */
char *kdate_span(int days, char *buf);

/* A UTC time as kith writes one ("YYYY-MM-DDTHH:MM:SS.sssZ"; a space for
 * the T, and no fraction, read too: an import keeps what it was given) in
 * milliseconds since the epoch; 0 when it does not read as one (or is
 * before 1970). */
long long kdate_time_ms(const char *s);

#endif
