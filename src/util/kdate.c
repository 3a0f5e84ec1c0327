#include "kith/util/kdate.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int kdate_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}

void kdate_to_ymd(int days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

int kdate_valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return 1;
}

char *kdate_format(int days, char *buf)
{
    int y, m, d;
    kdate_to_ymd(days, &y, &m, &d);
    /* By hand: the reminders format tens of thousands of dates, and
     * snprintf costs ten times as much. */
    unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u};
    static const int width[3] = {4, 2, 2};
    char *p = buf;
    for (int i = 0; i < 3; i++) {
        for (int k = width[i] - 1; k >= 0; k--, v[i] /= 10)
            p[k] = (char)('0' + v[i] % 10);
        p += width[i];
        *p++ = i < 2 ? '-' : '\0';
    }
    return buf;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int kdate_parse_n(const char *s, size_t n, int *out)
{
    if (!s || n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (!kdate_valid_ymd(y, m, d))
        return 0;
    *out = kdate_from_ymd(y, m, d);
    return 1;
}

int kdate_parse_iso(const char *s, int *out, struct kerr *e)
{
    if (!s || strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return kerr_set(e, K_USAGE, "'%s' is not a date (want YYYY-MM-DD)", s ? s : "");
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (!kdate_valid_ymd(y, m, d))
        return kerr_set(e, K_USAGE, "'%s' is not a real calendar day", s);
    *out = kdate_from_ymd(y, m, d);
    return K_OK;
}

int kdate_parse(const char *s, int today, int *out, struct kerr *e)
{
    if (!s || !*s)
        return kerr_set(e, K_USAGE, "empty date (want YYYY-MM-DD, today, yesterday or -Nd)");
    if (!strcmp(s, "today")) {
        *out = today;
        return K_OK;
    }
    if (!strcmp(s, "yesterday")) {
        *out = today - 1;
        return K_OK;
    }
    if (!strcmp(s, "tomorrow")) {
        *out = today + 1;
        return K_OK;
    }
    if ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])) {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (*end == 'd' && end[1] == '\0' && n <= 100000) {
            *out = s[0] == '-' ? today - (int)n : today + (int)n;
            return K_OK;
        }
        return kerr_set(e, K_USAGE, "'%s' is not a date (want YYYY-MM-DD, today, yesterday or -Nd)",
                        s);
    }
    struct kerr tmp;
    if (kdate_parse_iso(s, out, &tmp) != K_OK) {
        if (strlen(s) == 10 && s[4] == '-' && s[7] == '-')
            return kerr_set(e, K_USAGE, "%s", tmp.msg);
        return kerr_set(e, K_USAGE, "'%s' is not a date (want YYYY-MM-DD, today, yesterday or -Nd)",
                        s);
    }
    return K_OK;
}

int kdate_today(int *out, struct kerr *e)
{
    const char *env = getenv("KITH_TODAY");
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    *out = kdate_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (env && *env) {
        int d;
        struct kerr tmp;
        if (kdate_parse_iso(env, &d, &tmp) != K_OK)
            return kerr_set(e, K_USAGE, "KITH_TODAY: %s", tmp.msg);
        /* The analyzer cannot see that kerr_set returns its nonzero code,
         * so it thinks kdate_parse_iso may succeed without setting d. */
        *out = d; /* NOLINT(clang-analyzer-core.uninitialized.Assign) */
    }
    return K_OK;
}

int kdate_parse_birthday(const char *s, char *buf, struct kerr *e)
{
    const char *p = s ? s : "";
    int y = 0, m, d;
    size_t n = strlen(p);
    if (n == 10 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' &&
        digits(p + 8, 2)) {
        y = num(p, 4);
        m = num(p + 5, 2);
        d = num(p + 8, 2);
    } else if (n == 7 && p[0] == '-' && p[1] == '-' && digits(p + 2, 2) && p[4] == '-' &&
               digits(p + 5, 2)) {
        m = num(p + 2, 2);
        d = num(p + 5, 2);
    } else if (n == 6 && p[0] == '-' && p[1] == '-' && digits(p + 2, 4)) {
        m = num(p + 2, 2);
        d = num(p + 4, 2);
    } else if (n == 5 && digits(p, 2) && p[2] == '-' && digits(p + 3, 2)) {
        m = num(p, 2);
        d = num(p + 3, 2);
    } else {
        return kerr_set(e, K_USAGE, "'%s' is not a birthday (want MM-DD or YYYY-MM-DD)", p);
    }
    /* A year-less date is checked against a leap year so 02-29 is allowed. */
    if (!kdate_valid_ymd(y ? y : 2000, m, d))
        return kerr_set(e, K_USAGE, "'%s' is not a real calendar day", p);
    /* The unsigned remainders tell the compiler the fields fit KDATE_BUF. */
    if (y)
        snprintf(buf, KDATE_BUF, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
                 (unsigned)d % 100u);
    else
        snprintf(buf, KDATE_BUF, "%02u-%02u", (unsigned)m % 100u, (unsigned)d % 100u);
    return K_OK;
}

char *kdate_ago(int days, char *buf)
{
    if (days < 0)
        snprintf(buf, 16, "—");
    else if (days == 0)
        snprintf(buf, 16, "today");
    else if (days < 60)
        snprintf(buf, 16, "%dd", days);
    else if (days < 730)
        snprintf(buf, 16, "%dmo", days / 30);
    else
        snprintf(buf, 16, "%dy", days / 365);
    return buf;
}

int kdate_parse_span(const char *s, int *days, struct kerr *e)
{
    static const struct {
        char unit;
        int days;
    } units[] = {{'d', 1}, {'w', 7}, {'m', 30}, {'y', 365}};
    const char *p = s ? s : "";
    char *end = NULL;
    long n = isdigit((unsigned char)*p) ? strtol(p, &end, 10) : -1;
    int mult = 0;
    for (size_t i = 0; end && i < sizeof units / sizeof units[0]; i++)
        if (tolower((unsigned char)*end) == units[i].unit && end[1] == '\0')
            mult = units[i].days;
    if (n < 1 || !mult)
        return kerr_set(e, K_USAGE,
                        "'%s' is not a span of time (want a number and d, w, m or y: 10d, 3w, "
                        "2m, 1y)",
                        p);
    if (n > KDATE_SPAN_MAX / mult)
        return kerr_set(e, K_USAGE, "'%s' is too long: at most %d days (10 years)", p,
                        KDATE_SPAN_MAX);
    *days = (int)n * mult;
    return K_OK;
}

char *kdate_span(int days, char *buf)
{
    if (days > 0 && days % 365 == 0)
        snprintf(buf, 16, "%dy", days / 365);
    else if (days > 0 && days % 30 == 0)
        snprintf(buf, 16, "%dm", days / 30);
    else if (days > 0 && days % 7 == 0)
        snprintf(buf, 16, "%dw", days / 7);
    else
        snprintf(buf, 16, "%dd", days);
    return buf;
}

long long kdate_time_ms(const char *s)
{
    int y, mo, d, h, mi, sec, at = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &at) != 6 ||
        y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return 0;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return 0;
    long long ms = (long long)t * 1000;
    if (s[at] == '.')
        for (int i = 1, f = 100; i <= 3 && s[at + i] >= '0' && s[at + i] <= '9'; i++, f /= 10)
            ms += (long long)(s[at + i] - '0') * f;
    return ms;
}
