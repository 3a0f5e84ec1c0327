#include "kith/core/card.h"

#include "kith/core/check.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[] = {
    "ignore",     "name",   "first_name",  "middle_name", "last_name",   "company",   "title",
    "email",      "phone",  "link",        "location",    "birthday",    "note",      "tags",
    "how_met",    "met_on", "working_on",  "archived",    "prefix",      "suffix",    "nickname",
    "department", "uid",    "anniversary", "street",      "city",        "region",    "postcode",
    "country",    "pobox",  "extended",    "birth_year",  "birth_month", "birth_day", "need",
    "offer",      "every"};

_Static_assert(sizeof field_names / sizeof field_names[0] == CARD_FIELD_COUNT,
               "a name for every field");

const char *card_field_name(enum card_field f)
{
    return (unsigned)f < CARD_FIELD_COUNT ? field_names[f] : "?";
}

int card_field_parse(const char *s, enum card_field *out)
{
    char buf[32];
    size_t n = s ? strlen(s) : 0;
    if (!n || n >= sizeof buf)
        return -1;
    for (size_t i = 0; i <= n; i++)
        buf[i] = s[i] == '-' ? '_' : (char)tolower((unsigned char)s[i]);
    for (int i = 0; i < CARD_FIELD_COUNT; i++)
        if (!strcmp(buf, field_names[i])) {
            *out = (enum card_field)i;
            return 0;
        }
    return -1;
}

void card_init(struct card *k, const struct card_opts *o, int line)
{
    memset(k, 0, sizeof *k);
    k->c.met_on = KDATE_NONE;
    k->o = o;
    k->line = line;
}

void card_clear(struct card *k)
{
    if (!k)
        return;
    contact_clear(&k->c);
    free(k->department);
    for (int g = 0; g < CARD_GROUPS; g++)
        kaddress_clear(&k->addr[g]);
    memset(k, 0, sizeof *k);
}

void card_report(const struct card *k, enum card_level level, int line, const char *fmt, ...)
{
    if (!k->o || !k->o->problem)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k->o->problem(level, line, msg, NULL, 0, k->o->ud);
}

/* A new string without surrounding white space, or NULL when nothing is
 * left. */
static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n ? kstr_ndup(s, n) : NULL;
}

static void keep_first(char **field, char **value)
{
    if (!*field) {
        *field = *value;
        *value = NULL;
    }
}

/* Lower case, without Google's "* " mark of the primary value. */
static char *clean_label(const char *label)
{
    if (!label)
        return NULL;
    if (label[0] == '*' && label[1] == ' ')
        label += 2;
    char *l = trimmed(label, strlen(label));
    for (char *p = l; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

/* Adds v with its label to l (labels parallel), or fills a missing label
 * of the same value already there. */
static void add_labeled(struct kstrlist *l, struct kstrlist *labels, const char *v,
                        const char *label)
{
    size_t i = 0;
    while (i < l->n && strcmp(l->v[i], v))
        i++;
    if (i == l->n)
        kstrlist_add(l, v);
    if (label && *label && !*contact_label(labels, i))
        contact_set_label(labels, i, label);
}

static void add_unique(struct kstrlist *l, const char *v)
{
    if (!kstrlist_has(l, v))
        kstrlist_add(l, v);
}

static int has_control(const char *s)
{
    /* Eight bytes of printable ASCII (0x20 to 0x7E) at a time, most of
     * every value; the byte-by-byte test from the first word that is not. */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t n = strlen(s), i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        uint64_t del = w ^ (0x7F * ones);
        if ((w & highs) || ((w - 0x20 * ones) & highs) || ((del - ones) & ~del & highs))
            break;
    }
    for (const unsigned char *p = (const unsigned char *)s + i; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return 1;
    return 0;
}

/* "Ana Ruiz" <ana@acme.example>, Ana <ana@...>, mailto:ana@... : the
 * address alone. */
static void bare_email(char *v)
{
    char *lt = strrchr(v, '<');
    char *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt && gt > lt + 1 && !gt[1 + strspn(gt + 1, " \t")]) {
        memmove(v, lt + 1, (size_t)(gt - lt - 1));
        v[gt - lt - 1] = '\0';
    }
    if (!strncasecmp(v, "mailto:", 7))
        memmove(v, v + 7, strlen(v + 7) + 1);
    /* "Ana" < ana@acme.example >: the blanks inside the brackets are not
     * the address's (and would come back trimmed from a written card). */
    size_t lead = strspn(v, " \t"), n = strlen(v);
    while (n > lead && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    memmove(v, v + lead, n - lead);
    v[n - lead] = '\0';
}

char *card_linkedin(const char *link)
{
    const char *p = link;
    if (!strncasecmp(p, "https://", 8))
        p += 8;
    else if (!strncasecmp(p, "http://", 7))
        p += 7;
    /* www., or a country's subdomain such as de. */
    const char *dot = strchr(p, '.');
    if (dot && strncasecmp(p, "linkedin.com/", 13) && (size_t)(dot - p) <= 3)
        p = dot + 1;
    if (strncasecmp(p, "linkedin.com/in/", 16))
        return NULL;
    p += 16;
    size_t n = strcspn(p, "/?#");
    if (!n || p[n + strspn(p + n, "/")] == ' ')
        return NULL;
    struct sbuf b = {0};
    sbuf_add(&b, "https://www.linkedin.com/in/");
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] <= ' ') {
            sbuf_free(&b);
            return NULL;
        }
        sbuf_addc(&b, (char)tolower((unsigned char)p[i]));
    }
    return sbuf_take(&b);
}

/* 1 to 12 when the n letters at s name a month ("Jun", "June", "Sept"). */
static int month_of(const char *s, size_t n)
{
    static const char *const full[] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if (n <= strlen(full[m]) && !strncasecmp(s, full[m], n))
            return m + 1;
    if (n == 4 && !strncasecmp(s, "sept", 4))
        return 9;
    return 0;
}

static int full_year(int y, int digits, int this_year)
{
    if (digits > 2)
        return y;
    int c = this_year / 100 * 100 + y;
    return c > this_year ? c - 100 : c;
}

/* A number of 1 to 4 digits at *p; advances. -1 when there is none. */
static int number(const char **p, int *digits)
{
    int v = 0, n = 0;
    while (n < 5 && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *digits = n;
    return n && n <= 4 ? v : -1;
}

/* The forms without a month name. */
static int numeric_date(const char *s, enum card_date_order order, int this_year, int *y, int *m,
                        int *d, int *ambiguous)
{
    const char *p = s;
    int da, db, dc;
    if (p[0] == '-' && p[1] == '-') {
        /* --MM-DD, --MMDD */
        p += 2;
        if (strlen(p) >= 4 && isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
            p[2] == '-')
            *m = (p[0] - '0') * 10 + (p[1] - '0'), p += 3;
        else if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]))
            *m = (p[0] - '0') * 10 + (p[1] - '0'), p += 2;
        else
            return -1;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
            return -1;
        *d = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
        *y = 0;
        return *p && *p != 'T' && *p != 't' ? -1 : 0;
    }
    size_t digits = strspn(p, "0123456789");
    if (digits == 8 && (!p[8] || p[8] == 'T' || p[8] == 't')) {
        *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        *m = (p[4] - '0') * 10 + (p[5] - '0');
        *d = (p[6] - '0') * 10 + (p[7] - '0');
        return 0;
    }
    int a = number(&p, &da);
    char sep = *p;
    if (a < 0 || (sep != '-' && sep != '/' && sep != '.'))
        return -1;
    p++;
    int b = number(&p, &db);
    if (b < 0 || *p != sep)
        return -1;
    p++;
    int c = number(&p, &dc);
    if (c < 0)
        return -1;
    /* A time may follow: "T10:00", " 10:00", ", 6:14 PM". */
    if (*p && *p != 'T' && *p != 't' && *p != ' ' && *p != ',')
        return -1;
    if (da == 4) { /* 1985-03-15, 1985/03/15 */
        *y = a;
        *m = b;
        *d = c;
        return 0;
    }
    if (!a && !b && !c)
        return 1; /* Outlook's 0/0/00 */
    *y = full_year(c, dc, this_year);
    if (sep == '.' || a > 12) {
        *d = a;
        *m = b;
    } else if (b > 12) {
        *m = a;
        *d = b;
    } else {
        *ambiguous = a != b;
        *m = order == CARD_DMY ? b : a;
        *d = order == CARD_DMY ? a : b;
    }
    return 0;
}

/* "02 Jun 2022", "Jun 2, 2022", "5-Jan-26", "June 2". */
static int named_date(const char *s, int this_year, int *y, int *m, int *d)
{
    int nums[3], digits[3], nn = 0;
    *m = 0;
    for (const char *p = s; *p;) {
        if (strchr(" -,./", *p)) {
            p++;
        } else if (isdigit((unsigned char)*p)) {
            int dg, v = number(&p, &dg);
            if (v < 0 || nn == 3)
                return -1;
            nums[nn] = v;
            digits[nn++] = dg;
            /* "1st", "2nd" */
            if (isalpha((unsigned char)*p) && isalpha((unsigned char)p[1]) &&
                !isalpha((unsigned char)p[2]) &&
                (!strncasecmp(p, "st", 2) || !strncasecmp(p, "nd", 2) || !strncasecmp(p, "rd", 2) ||
                 !strncasecmp(p, "th", 2)))
                p += 2;
        } else if (isalpha((unsigned char)*p)) {
            size_t n = 0;
            while (isalpha((unsigned char)p[n]))
                n++;
            int mm = month_of(p, n);
            if (!mm || *m)
                return -1;
            *m = mm;
            p += n;
        } else {
            return -1;
        }
    }
    if (!*m || !nn)
        return -1;
    if (nn == 1) {
        if (digits[0] > 2)
            return -1;
        *d = nums[0];
        *y = 0;
        return 0;
    }
    if (nn != 2)
        return -1;
    /* The year is the four-digit number, else the last one. */
    int yi = digits[0] > 2 ? 0 : 1;
    if (digits[1 - yi] > 2)
        return -1;
    *d = nums[1 - yi];
    *y = full_year(nums[yi], digits[yi], this_year);
    return 0;
}

int card_parse_date(const char *s, enum card_date_order order, int this_year, int *y, int *m,
                    int *d, int *ambiguous)
{
    char buf[64];
    *ambiguous = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return 1;
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int rc = -1;
    /* MM-DD, kith's own year-less form. */
    if (n == 5 && isdigit((unsigned char)buf[0]) && isdigit((unsigned char)buf[1]) &&
        buf[2] == '-' && isdigit((unsigned char)buf[3]) && isdigit((unsigned char)buf[4])) {
        *y = 0;
        *m = (buf[0] - '0') * 10 + (buf[1] - '0');
        *d = (buf[3] - '0') * 10 + (buf[4] - '0');
        rc = 0;
    }
    if (rc < 0)
        rc = numeric_date(buf, order, this_year, y, m, d, ambiguous);
    if (rc < 0)
        rc = named_date(buf, this_year, y, m, d);
    if (rc != 0)
        return rc;
    /* Apple's year-less dates are in 1604; 0000 says the same. */
    if (*y == 1604 || *y == 0)
        *y = 0;
    if (*y && (*y < 1 || *y > 9999))
        return -1;
    if (!kdate_valid_ymd(*y ? *y : 2000, *m, *d))
        return -1;
    return 0;
}

/* Reads a date for f ("birthday", ...): *out in kith's form (YYYY-MM-DD or
 * MM-DD, or with need_year a day number in *day). Notes an ambiguous
 * order. K_USAGE when it is not a date. */
static int read_date(struct card *k, const char *what, const char *v, int need_year, int line,
                     char out[KDATE_BUF], int *day, struct kerr *e)
{
    int y, m, d, amb;
    const struct card_opts *o = k->o;
    int rc = card_parse_date(v, o ? o->order : CARD_MDY, o && o->this_year ? o->this_year : 2026,
                             &y, &m, &d, &amb);
    if (rc == 1)
        return K_NOTFOUND;
    if (rc < 0 || (need_year && !y))
        return kerr_set(e, K_USAGE, "%s '%s' is not a date", what, v);
    if (amb)
        card_report(k, CARD_INFO, line,
                    "%s %s could be day-month or month-day; read as %04d-%02d-%02d (see "
                    "--date-order)",
                    what, v, y, m, d);
    if (y)
        snprintf(out, KDATE_BUF, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, KDATE_BUF, "%02d-%02d", m, d);
    if (day)
        *day = kdate_from_ymd(y, m, d);
    return K_OK;
}

int card_tag(struct card *k, const char *tag, int line, struct kerr *e)
{
    char *t = NULL;
    struct kerr te;
    (void)line;
    if (check_tag(tag, &t, &te) != K_OK)
        return kerr_set(e, K_USAGE, "%s", te.msg);
    /* Google puts everyone in this group. */
    if (!strcasecmp(t, "myContacts")) {
        free(t);
        return K_OK;
    }
    char *key = kstr_fold(t);
    int have = 0;
    for (size_t i = 0; !have && i < k->c.tags.n; i++) {
        char *o = kstr_fold(k->c.tags.v[i]);
        have = !strcmp(o, key);
        free(o);
    }
    if (!have)
        kstrlist_add(&k->c.tags, t);
    free(key);
    free(t);
    return K_OK;
}

void card_tags(struct card *k, const char *value, int line)
{
    const char *p = value;
    int google = strstr(value, ":::") != NULL;
    while (*p) {
        size_t n = google ? strcspn(p, ":") : strcspn(p, ",;");
        while (google && p[n] == ':' && strncmp(p + n, ":::", 3))
            n += 1 + strcspn(p + n + 1, ":");
        char *t = trimmed(p, n);
        p += n;
        p += google && *p ? 3 : *p ? 1 : 0;
        /* Google marks its system groups: "* starred", "* myContacts". */
        if (t && t[0] == '*' && t[1] == ' ')
            memmove(t, t + 2, strlen(t + 2) + 1);
        if (t && *t && strcasecmp(t, "myContacts")) {
            struct kerr te;
            if (card_tag(k, t, line, &te) != K_OK)
                card_report(k, CARD_WARN, line, "%s; left out", te.msg);
        }
        free(t);
    }
}

static int add_note(struct card *k, const char *v)
{
    if (!k->c.note) {
        k->c.note = kstr_dup(v);
        return K_OK;
    }
    size_t have = strlen(k->c.note), add = strlen(v);
    if (have + 2 + add > CHECK_LONG_MAX) {
        k->note_full = 1;
        return K_OK;
    }
    struct sbuf b = {0};
    sbuf_printf(&b, "%s\n\n%s", k->c.note, v);
    free(k->c.note);
    k->c.note = sbuf_take(&b);
    return K_OK;
}

int card_link(struct card *k, const char *value, const char *label, const char *prop, int line,
              struct kerr *e)
{
    (void)line;
    char *v = value ? trimmed(value, strlen(value)) : NULL;
    char *l = clean_label(label);
    int rc = K_OK;
    if (!v)
        goto out;
    if (has_control(v)) {
        rc = kerr_set(e, K_USAGE, "a link with a control character in it");
        goto out;
    }
    if (strlen(v) > CHECK_SHORT_MAX) {
        rc = kerr_set(e, K_USAGE, "a link of %zu bytes; the limit is %d", strlen(v),
                      CHECK_SHORT_MAX);
        goto out;
    }
    /* One spelling of a LinkedIn profile, so that it identifies. */
    char *li = card_linkedin(v);
    if (li) {
        free(v);
        v = li;
    }
    size_t before = k->c.links.n;
    add_labeled(&k->c.links, &k->c.link_labels, v, l);
    if (k->c.links.n > before && prop && *prop)
        contact_set_label(&k->c.link_props, k->c.links.n - 1, prop);
out:
    free(v);
    free(l);
    return rc;
}

/* A list value: at most CHECK_SHORT_MAX bytes, no control characters. */
static int check_item(const char *what, const char *v, struct kerr *e)
{
    if (strlen(v) > CHECK_SHORT_MAX)
        return kerr_set(e, K_USAGE, "%s of %zu bytes; the limit is %d", what, strlen(v),
                        CHECK_SHORT_MAX);
    if (has_control(v))
        return kerr_set(e, K_USAGE, "%s with a control character in it", what);
    return K_OK;
}

static int add_date(struct card *k, enum card_field f, const char *v, int line, struct kerr *e)
{
    char buf[KDATE_BUF];
    int day = KDATE_NONE, rc;
    if (f == CARD_BIRTHDAY) {
        rc = read_date(k, "birthday", v, 0, line, buf, NULL, e);
        if (rc == K_OK && !k->c.birthday)
            k->c.birthday = kstr_dup(buf);
    } else {
        rc = read_date(k, "met_on", v, 1, line, buf, &day, e);
        if (rc == K_OK && k->c.met_on == KDATE_NONE)
            k->c.met_on = day;
    }
    return rc == K_NOTFOUND ? K_OK : rc;
}

static int add_number(struct card *k, enum card_field f, const char *v, struct kerr *e)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 9999)
        return kerr_set(e, K_USAGE, "%s '%s' is not a number", card_field_name(f), v);
    k->birth[f - CARD_BIRTH_YEAR] = (int)n;
    return K_OK;
}

/* Fields with one value: where it goes. */
static char **scalar(struct card *k, enum card_field f)
{
    switch (f) {
    case CARD_NAME:
        return &k->c.name;
    case CARD_FIRST:
        return &k->c.n.given;
    case CARD_MIDDLE:
        return &k->c.n.additional;
    case CARD_LAST:
        return &k->c.n.family;
    case CARD_PREFIX:
        return &k->c.n.prefix;
    case CARD_SUFFIX:
        return &k->c.n.suffix;
    case CARD_COMPANY:
        return &k->c.company;
    case CARD_DEPARTMENT:
        return &k->department;
    case CARD_TITLE:
        return &k->c.title;
    case CARD_HOW_MET:
        return &k->c.how_met;
    case CARD_WORKING_ON:
        return &k->c.working_on;
    case CARD_LOCATION:
        return &k->c.location;
    default:
        return NULL;
    }
}

/* Needs or offers: one item a line or between ":::" (the CSV export's
 * separator), each trimmed; the same item twice (case aside) is once. */
static int add_gives(struct card *k, enum card_field f, const char *value, struct kerr *e)
{
    struct kstrlist *l = f == CARD_NEED ? &k->c.needs : &k->c.offers;
    int rc = K_OK;
    for (const char *p = value; rc == K_OK && *p;) {
        size_t n = strcspn(p, "\n");
        const char *sep = strstr(p, ":::");
        if (sep && (size_t)(sep - p) < n)
            n = (size_t)(sep - p);
        char *v = trimmed(p, n);
        p += n;
        p += *p == '\n' ? 1 : *p == ':' ? 3 : 0;
        if (!v)
            continue;
        if ((rc = check_item(f == CARD_NEED ? "a need" : "an offer", v, e)) == K_OK) {
            int have = 0;
            for (size_t i = 0; i < l->n && !have; i++)
                have = !strcasecmp(l->v[i], v);
            if (!have)
                kstrlist_add(l, v);
        }
        free(v);
    }
    return rc;
}

/* Adds v (trimmed, not empty) to a field that is not one value: a list, a
 * date, an address part, ...; l is its label or NULL. */
static int add_value(struct card *k, enum card_field f, char *v, const char *l, int line,
                     struct kerr *e)
{
    int rc = K_OK;
    switch (f) {
    case CARD_NOTE:
        rc = add_note(k, v);
        break;
    case CARD_EMAIL:
        bare_email(v);
        kstr_strip_marks(v);
        if ((rc = check_item("an email", v, e)) != K_OK || !*v)
            break;
        if (check_email(v, NULL) != K_OK)
            card_report(k, CARD_INFO, line, "'%s' is not an email address; kept as written", v);
        add_labeled(&k->c.emails, &k->c.email_labels, v, l);
        break;
    case CARD_PHONE: {
        kstr_strip_marks(v);
        char *p = trimmed(v, strlen(v));
        if (p && (rc = check_item("a phone", p, e)) == K_OK)
            add_labeled(&k->c.phones, &k->c.phone_labels, p, l);
        free(p);
        break;
    }
    case CARD_NICKNAME:
        if ((rc = check_item("a nickname", v, e)) == K_OK)
            add_unique(&k->c.nicknames, v);
        break;
    case CARD_UID:
        if ((rc = check_item("a UID", v, e)) == K_OK)
            add_unique(&k->c.uids, v);
        break;
    case CARD_BIRTHDAY:
    case CARD_MET_ON:
        rc = add_date(k, f, v, line, e);
        break;
    case CARD_ANNIVERSARY:
        rc = card_event(k, l ? l : "anniversary", v, line, e);
        break;
    case CARD_ARCHIVED:
        if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
            k->c.archived = 1;
        else if (strcasecmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no"))
            rc = kerr_set(e, K_USAGE, "archived is '%s'; want true or false", v);
        break;
    case CARD_STREET:
    case CARD_CITY:
    case CARD_REGION:
    case CARD_POSTCODE:
    case CARD_COUNTRY:
    case CARD_POBOX:
    case CARD_EXTENDED:
        card_address_part(k, 0, f, v, l);
        break;
    case CARD_BIRTH_YEAR:
    case CARD_BIRTH_MONTH:
    case CARD_BIRTH_DAY:
        rc = add_number(k, f, v, e);
        break;
    case CARD_EVERY:
        if (!k->c.cadence_days)
            rc = kdate_parse_span(v, &k->c.cadence_days, e);
        break;
    default:
        break;
    }
    return rc;
}

int card_add(struct card *k, enum card_field f, const char *value, const char *label, int line,
             struct kerr *e)
{
    char *v = NULL, *l = NULL;
    int rc = K_OK;
    if (!value || f == CARD_IGNORE)
        goto out;
    if (!utf8_valid(value, strlen(value))) {
        rc = kerr_set(e, K_USAGE, "%s is not valid UTF-8", card_field_name(f));
        goto out;
    }
    if (f == CARD_TAGS) {
        card_tags(k, value, line);
        goto out;
    }
    if (f == CARD_LINK) {
        rc = card_link(k, value, label, NULL, line, e);
        goto out;
    }
    if (f == CARD_NEED || f == CARD_OFFER) {
        rc = add_gives(k, f, value, e);
        goto out;
    }
    if (!(v = trimmed(value, strlen(value))))
        goto out;
    char **dst = scalar(k, f);
    if (dst) {
        /* A postal address spans lines; a location is one. */
        for (char *nl; f == CARD_LOCATION && (nl = strchr(v, '\n'));) {
            struct sbuf b = {0};
            sbuf_printf(&b, "%.*s, %s", (int)(nl - v), v, nl + 1);
            free(v);
            v = trimmed(b.s, b.len);
            sbuf_free(&b);
            if (!v)
                goto out;
        }
        keep_first(dst, &v);
        goto out;
    }
    l = clean_label(label);
    rc = add_value(k, f, v, l, line, e);
out:
    free(v);
    free(l);
    return rc;
}

void card_set(struct card *k, enum card_field f, const char *value, int line)
{
    struct kerr e;
    if (card_add(k, f, value, NULL, line, &e) != K_OK)
        card_report(k, CARD_WARN, line, "%s; left out", e.msg);
}

void card_address_part(struct card *k, int g, enum card_field f, const char *value,
                       const char *label)
{
    if (g < 0 || g >= CARD_GROUPS || !value)
        return;
    struct kaddress *a = &k->addr[g];
    char **dst = f == CARD_STREET     ? &a->street
                 : f == CARD_CITY     ? &a->locality
                 : f == CARD_REGION   ? &a->region
                 : f == CARD_POSTCODE ? &a->code
                 : f == CARD_COUNTRY  ? &a->country
                 : f == CARD_POBOX    ? &a->pobox
                                      : &a->ext;
    char *v = trimmed(value, strlen(value));
    if (v && f == CARD_STREET && *dst) {
        /* Outlook's Street 2 and 3 are the address's next lines. */
        struct sbuf b = {0};
        sbuf_printf(&b, "%s\n%s", *dst, v);
        free(*dst);
        *dst = sbuf_take(&b);
    }
    keep_first(dst, &v);
    free(v);
    if (label && *label && !a->label)
        a->label = clean_label(label);
}

void card_address(struct card *k, const struct kaddress *a)
{
    for (size_t i = 0; i < k->c.naddresses; i++) {
        if (kaddress_same(&k->c.addresses[i], a)) {
            if (!k->c.addresses[i].label && a->label)
                k->c.addresses[i].label = kstr_dup(a->label);
            return;
        }
    }
    contact_add_address(&k->c, a);
}

int card_event(struct card *k, const char *label, const char *value, int line, struct kerr *e)
{
    char buf[KDATE_BUF];
    char *l = clean_label(label);
    int rc = read_date(k, l ? l : "date", value, 0, line, buf, NULL, e);
    if (rc == K_OK) {
        int have = 0;
        for (size_t i = 0; i < k->c.nevents; i++)
            have |= !strcmp(k->c.events[i].date, buf) &&
                    !strcmp(k->c.events[i].label ? k->c.events[i].label : "", l ? l : "");
        if (!have) {
            struct kevent ev = {l, buf};
            contact_add_event(&k->c, &ev);
        }
    }
    free(l);
    return rc == K_NOTFOUND ? K_OK : rc;
}

int card_extra(struct card *k, const char *line, struct kerr *e)
{
    size_t n = strlen(line);
    if (k->extra_size + n > CARD_EXTRA_MAX)
        return kerr_set(e, K_USAGE, "the card's other properties pass %d MiB",
                        CARD_EXTRA_MAX >> 20);
    k->extra_size += n;
    kstrlist_add(&k->c.extra, line);
    return K_OK;
}

/* street, locality, region, code, country joined with ", "; Gmail writes
 * the whole address in the extended part, and some only a PO box. */
static char *address_line(const struct kaddress *a)
{
    struct sbuf b = {0};
    const char *parts[] = {a->street, a->locality, a->region, a->code, a->country};
    for (int i = 0; i < 5; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if (b.len)
            sbuf_add(&b, ", ");
        sbuf_add(&b, parts[i]);
    }
    if (!b.len && (a->ext || a->pobox))
        sbuf_add(&b, a->ext ? a->ext : a->pobox);
    /* One line: the address's lines joined as its parts are. */
    struct sbuf o = {0};
    for (size_t i = 0; i < b.len; i++) {
        if (b.s[i] == '\r')
            continue;
        if (b.s[i] == '\n')
            sbuf_add(&o, ", ");
        else
            sbuf_addc(&o, b.s[i]);
    }
    sbuf_free(&b);
    return o.s;
}

static void finish_birthday(struct card *k)
{
    int y = k->birth[0], m = k->birth[1], d = k->birth[2];
    if (!m || !d || k->c.birthday)
        return;
    char buf[KDATE_BUF];
    if (!kdate_valid_ymd(y ? y : 2000, m, d)) {
        card_report(k, CARD_WARN, k->line, "birthday %d-%d-%d is not a date; left out", y, m, d);
        return;
    }
    if (y)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(buf, sizeof buf, "%02d-%02d", m, d);
    k->c.birthday = kstr_dup(buf);
}

/* The name from N's parts: given, additional, family. */
static char *name_of_parts(const struct kname *n)
{
    struct sbuf b = {0};
    const char *parts[] = {n->given, n->additional, n->family};
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if (b.len)
            sbuf_addc(&b, ' ');
        sbuf_add(&b, parts[i]);
    }
    return b.s;
}

/* K_USAGE naming the first value over its limit. */
static int check_limits(const struct card *k, struct kerr *e)
{
    const struct {
        const char *what;
        const char *v;
        size_t max;
    } f[] = {
        {"the name", k->c.name, CHECK_SHORT_MAX},
        {"the company", k->c.company, CHECK_SHORT_MAX},
        {"the title", k->c.title, CHECK_SHORT_MAX},
        {"the location", k->c.location, CHECK_SHORT_MAX},
        {"how_met", k->c.how_met, CHECK_SHORT_MAX},
        {"the family name", k->c.n.family, CHECK_SHORT_MAX},
        {"the given name", k->c.n.given, CHECK_SHORT_MAX},
        {"the additional names", k->c.n.additional, CHECK_SHORT_MAX},
        {"the name prefix", k->c.n.prefix, CHECK_SHORT_MAX},
        {"the name suffix", k->c.n.suffix, CHECK_SHORT_MAX},
        {"the note", k->c.note, CHECK_LONG_MAX},
        {"working_on", k->c.working_on, CHECK_LONG_MAX},
    };
    if (k->note_full)
        return kerr_set(e, K_USAGE, "the notes together pass the limit of %d bytes",
                        CHECK_LONG_MAX);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v && strlen(f[i].v) > f[i].max)
            return kerr_set(e, K_USAGE, "%s is %zu bytes long; the limit is %zu", f[i].what,
                            strlen(f[i].v), f[i].max);
    for (size_t i = 0; i < k->c.naddresses; i++) {
        const struct kaddress *a = &k->c.addresses[i];
        const char *parts[] = {a->label,    a->pobox,  a->ext,  a->street,
                               a->locality, a->region, a->code, a->country};
        for (int j = 0; j < 8; j++)
            if (parts[j] && strlen(parts[j]) > CHECK_SHORT_MAX)
                return kerr_set(e, K_USAGE, "an address part is %zu bytes long; the limit is %d",
                                strlen(parts[j]), CHECK_SHORT_MAX);
    }
    return K_OK;
}

int card_finish(struct card *k, struct kerr *e)
{
    struct contact *c = &k->c;
    if (k->department) {
        if (c->company) {
            struct sbuf b = {0};
            sbuf_printf(&b, "%s, %s", c->company, k->department);
            free(c->company);
            c->company = sbuf_take(&b);
        } else {
            keep_first(&c->company, &k->department);
        }
    }
    finish_birthday(k);
    for (int g = 0; g < CARD_GROUPS; g++) {
        const struct kaddress *a = &k->addr[g];
        if (a->street || a->locality || a->region || a->code || a->country || a->pobox || a->ext)
            card_address(k, a);
    }
    if (!c->location && c->naddresses) {
        char *l = address_line(&c->addresses[0]);
        c->location = l && *l ? l : NULL;
        if (!c->location)
            free(l);
    }
    if (!c->name) {
        char *parts = name_of_parts(&c->n);
        const char *from = parts            ? parts
                           : c->nicknames.n ? c->nicknames.v[0]
                           : c->company     ? c->company
                           : c->emails.n    ? c->emails.v[0]
                           : c->phones.n    ? c->phones.v[0]
                           : c->links.n     ? c->links.v[0]
                                            : NULL;
        c->name = kstr_dup(from);
        k->name_guessed = !parts;
        free(parts);
    }
    if (!c->name)
        return K_NOTFOUND;
    return check_limits(k, e);
}
