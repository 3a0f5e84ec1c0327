#include "kith/core/csv.h"

#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct reader {
    const char *buf;
    size_t n, pos;
    int line; /* the line the reader is on, 1-based */
    char sep;
};

/* One record: its fields, where it starts and what is wrong with it. */
struct record {
    struct kstrlist fields;
    int first;         /* its first line */
    size_t start, end; /* its bytes in the input */
    const char *bad;   /* why it cannot be read, or NULL */
    int bad_line;
};

/* A record being read: the field at hand and what the record has seen. */
struct scan {
    struct sbuf f;
    size_t kept;        /* the bytes kept of the record's fields */
    int first_end_line; /* the line after its first line break in quotes, or -1 */
    size_t first_end;   /* where that line begins */
};

/* Takes the byte c at r->pos inside quotes; returns 0 when it closes them. */
static int quoted_byte(struct reader *r, struct scan *s, char c)
{
    r->pos++;
    if (c == '"') {
        if (r->pos < r->n && r->buf[r->pos] == '"') {
            sbuf_addc(&s->f, '"');
            r->pos++;
            return 1;
        }
        /* Text after a closing quote ("Ann" Lee) is kept, as spreadsheets do. */
        return 0;
    }
    if (c == '\r') {
        /* A line break in a field is kept as \n: CR LF, and CR CR LF as
         * tools that convert twice write it (all the CRs, so that reading
         * what kith wrote gives the same text again). */
        size_t e = r->pos;
        while (e < r->n && r->buf[e] == '\r')
            e++;
        if (e < r->n && r->buf[e] == '\n') {
            r->pos = e;
            return 1;
        }
        for (size_t k = r->pos - 1; k < e; k++)
            if (++s->kept <= CSV_RECORD_MAX)
                sbuf_addc(&s->f, '\r');
        r->pos = e;
        return 1;
    }
    if (c == '\n') {
        if (s->first_end_line < 0) {
            s->first_end_line = r->line + 1;
            s->first_end = r->pos;
        }
        r->line++;
    }
    if (++s->kept <= CSV_RECORD_MAX)
        sbuf_addc(&s->f, c);
    return 1;
}

/* Reads one field into s->f up to the separator or the line's end, which it
 * leaves to the caller. Returns 0 for a quote that runs to the end of the
 * input past a line break: rec->bad says so and the reader goes back to
 * the record's second line. */
static int read_field(struct reader *r, struct record *rec, struct scan *s)
{
    int quoted = 0, qline = r->line;
    s->f.len = 0;
    sbuf_add(&s->f, "");
    if (r->pos < r->n && r->buf[r->pos] == '"') {
        quoted = 1;
        r->pos++;
    }
    for (;;) {
        if (r->pos >= r->n) {
            if (quoted && s->first_end_line >= 0) {
                rec->bad = "a quoted field begins here and never ends (a missing \")";
                rec->bad_line = qline;
                r->pos = s->first_end;
                r->line = s->first_end_line;
                return 0;
            }
            return 1;
        }
        char c = r->buf[r->pos];
        if (c == '\0' && !rec->bad) {
            rec->bad = "binary data (a NUL byte) in this row";
            rec->bad_line = r->line;
        }
        if (quoted) {
            quoted = quoted_byte(r, s, c);
            continue;
        }
        if (c == r->sep || c == '\n' || c == '\r')
            return 1;
        if (c == '"' && s->f.len == 0) {
            quoted = 1;
            r->pos++;
            continue;
        }
        if (++s->kept <= CSV_RECORD_MAX)
            sbuf_addc(&s->f, c);
        r->pos++;
    }
}

/* Reads one record into rec; 0 at the end of the input. A record that
 * cannot be read is returned with rec->bad set: a quote that never ends
 * gives its first line only, so that the rows after it are read again. */
static int next_record(struct reader *r, struct record *rec)
{
    struct scan s = {.f = {0}, .kept = 0, .first_end_line = -1, .first_end = 0};
    kstrlist_clear(&rec->fields);
    rec->bad = NULL;
    if (r->pos >= r->n)
        return 0;
    rec->first = r->line;
    rec->start = r->pos;
    for (;;) {
        int whole = read_field(r, rec, &s);
        kstrlist_add(&rec->fields, s.f.s);
        if (!whole)
            break; /* rec->bad is set: the length check below is passed over */
        if (r->pos < r->n && r->buf[r->pos] == r->sep) {
            r->pos++;
            continue;
        }
        if (r->pos < r->n && r->buf[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->n && r->buf[r->pos] == '\n')
            r->pos++;
        r->line++;
        break;
    }
    if (s.kept > CSV_RECORD_MAX && !rec->bad) {
        rec->bad = "a row longer than 1048576 bytes";
        rec->bad_line = rec->first;
    }
    rec->end = r->pos;
    sbuf_free(&s.f);
    return 1;
}

static int blank(const struct kstrlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i][strspn(l->v[i], " \t")])
            return 0;
    return 1;
}

/* What a column holds. */
struct col {
    enum card_field f;
    int group;         /* an address's group, or -1 */
    const char *label; /* a fixed label, or NULL */
    int label_col;     /* the column with this one's label, or -1 */
    char *extra;       /* the X- property of a column kith has no field for */
    int is_label;      /* it labels another column */
};

/* Header names, compared without case. */
static const struct {
    const char *name;
    enum card_field f;
    const char *label;
} known[] = {
    {"name", CARD_NAME, NULL},
    {"full name", CARD_NAME, NULL},
    {"display name", CARD_NAME, NULL},
    {"formatted name", CARD_NAME, NULL},
    {"first name", CARD_FIRST, NULL},
    {"given name", CARD_FIRST, NULL},
    {"first_name", CARD_FIRST, NULL},
    {"middle name", CARD_MIDDLE, NULL},
    {"additional name", CARD_MIDDLE, NULL},
    {"middle_name", CARD_MIDDLE, NULL},
    {"last name", CARD_LAST, NULL},
    {"family name", CARD_LAST, NULL},
    {"surname", CARD_LAST, NULL},
    {"last_name", CARD_LAST, NULL},
    {"name prefix", CARD_PREFIX, NULL},
    {"prefix", CARD_PREFIX, NULL},
    {"name suffix", CARD_SUFFIX, NULL},
    {"suffix", CARD_SUFFIX, NULL},
    {"nickname", CARD_NICKNAME, NULL},
    {"nicknames", CARD_NICKNAME, NULL},
    {"company", CARD_COMPANY, NULL},
    {"organization", CARD_COMPANY, NULL},
    {"organisation", CARD_COMPANY, NULL},
    {"organization name", CARD_COMPANY, NULL},
    {"organization 1 - name", CARD_COMPANY, NULL},
    {"department", CARD_DEPARTMENT, NULL},
    {"organization department", CARD_DEPARTMENT, NULL},
    {"organization 1 - department", CARD_DEPARTMENT, NULL},
    {"title", CARD_TITLE, NULL},
    {"job title", CARD_TITLE, NULL},
    {"position", CARD_TITLE, NULL},
    {"organization title", CARD_TITLE, NULL},
    {"organization 1 - title", CARD_TITLE, NULL},
    {"email", CARD_EMAIL, NULL},
    {"emails", CARD_EMAIL, NULL},
    {"e-mail", CARD_EMAIL, NULL},
    {"email address", CARD_EMAIL, NULL},
    {"e-mail address", CARD_EMAIL, NULL},
    {"e-mail 2 address", CARD_EMAIL, NULL},
    {"e-mail 3 address", CARD_EMAIL, NULL},
    {"primary email", CARD_EMAIL, NULL},
    {"secondary email", CARD_EMAIL, NULL},
    {"phone", CARD_PHONE, NULL},
    {"phones", CARD_PHONE, NULL},
    {"phone number", CARD_PHONE, NULL},
    {"mobile", CARD_PHONE, "cell"},
    {"mobile phone", CARD_PHONE, "cell"},
    {"mobile number", CARD_PHONE, "cell"},
    {"cell phone", CARD_PHONE, "cell"},
    {"business phone", CARD_PHONE, "work"},
    {"business phone 2", CARD_PHONE, "work"},
    {"work phone", CARD_PHONE, "work"},
    {"home phone", CARD_PHONE, "home"},
    {"home phone 2", CARD_PHONE, "home"},
    {"business fax", CARD_PHONE, "work,fax"},
    {"home fax", CARD_PHONE, "home,fax"},
    {"other fax", CARD_PHONE, "fax"},
    {"fax", CARD_PHONE, "fax"},
    {"fax number", CARD_PHONE, "fax"},
    {"pager", CARD_PHONE, "pager"},
    {"pager number", CARD_PHONE, "pager"},
    {"primary phone", CARD_PHONE, "pref"},
    {"company main phone", CARD_PHONE, "main"},
    {"assistant's phone", CARD_PHONE, "assistant"},
    {"car phone", CARD_PHONE, "car"},
    {"other phone", CARD_PHONE, "other"},
    {"callback", CARD_PHONE, "callback"},
    {"isdn", CARD_PHONE, "isdn"},
    {"radio phone", CARD_PHONE, "radio"},
    {"tty/tdd phone", CARD_PHONE, "tty"},
    {"telex", CARD_PHONE, "telex"},
    {"link", CARD_LINK, NULL},
    {"links", CARD_LINK, NULL},
    {"url", CARD_LINK, NULL},
    {"website", CARD_LINK, NULL},
    {"web page", CARD_LINK, NULL},
    {"web page 1", CARD_LINK, NULL},
    {"web page 2", CARD_LINK, NULL},
    {"personal web page", CARD_LINK, "home"},
    {"screen name", CARD_LINK, "im"},
    {"location", CARD_LOCATION, NULL},
    {"city", CARD_LOCATION, NULL},
    {"address", CARD_LOCATION, NULL},
    {"birthday", CARD_BIRTHDAY, NULL},
    {"anniversary", CARD_ANNIVERSARY, NULL},
    {"birth year", CARD_BIRTH_YEAR, NULL},
    {"birth month", CARD_BIRTH_MONTH, NULL},
    {"birth day", CARD_BIRTH_DAY, NULL},
    {"note", CARD_NOTE, NULL},
    {"notes", CARD_NOTE, NULL},
    {"tags", CARD_TAGS, NULL},
    {"labels", CARD_TAGS, NULL},
    {"group membership", CARD_TAGS, NULL},
    {"categories", CARD_TAGS, NULL},
    {"how_met", CARD_HOW_MET, NULL},
    {"how met", CARD_HOW_MET, NULL},
    {"met_on", CARD_MET_ON, NULL},
    {"met on", CARD_MET_ON, NULL},
    {"connected on", CARD_MET_ON, NULL},
    {"working_on", CARD_WORKING_ON, NULL},
    {"working on", CARD_WORKING_ON, NULL},
    {"needs", CARD_NEED, NULL},
    {"need", CARD_NEED, NULL},
    {"offers", CARD_OFFER, NULL},
    {"offer", CARD_OFFER, NULL},
    {"every", CARD_EVERY, NULL},
    {"cadence", CARD_EVERY, NULL},
    {"archived", CARD_ARCHIVED, NULL},
    {"uid", CARD_UID, NULL},
    /* German Outlook and Excel. */
    {"vorname", CARD_FIRST, NULL},
    {"nachname", CARD_LAST, NULL},
    {"e-mail-adresse", CARD_EMAIL, NULL},
    {"firma", CARD_COMPANY, NULL},
    {"telefon", CARD_PHONE, NULL},
    {"mobiltelefon", CARD_PHONE, "cell"},
    {"geburtstag", CARD_BIRTHDAY, NULL},
    {"notizen", CARD_NOTE, NULL},
};

/* Outlook fills these for everyone ("Normal", "False", "SMTP"). */
static const char *const noise[] = {"sensitivity",
                                    "priority",
                                    "private",
                                    "internet free busy",
                                    "e-mail type",
                                    "e-mail 2 type",
                                    "e-mail 3 type",
                                    "e-mail display name",
                                    "e-mail 2 display name",
                                    "e-mail 3 display name"};

/* Address columns of Outlook and Thunderbird: a group and a part. */
static const struct {
    const char *prefix;
    int group;
    const char *label;
} addr_groups[] = {
    {"business ", 5, "work"}, {"work ", 5, "work"}, {"home ", 6, "home"}, {"other ", 7, "other"}};
static const struct {
    const char *suffix;
    enum card_field f;
} addr_parts[] = {
    {"street", CARD_STREET},        {"street 2", CARD_STREET},        {"street 3", CARD_STREET},
    {"address", CARD_STREET},       {"address 2", CARD_STREET},       {"city", CARD_CITY},
    {"state", CARD_REGION},         {"postal code", CARD_POSTCODE},   {"zipcode", CARD_POSTCODE},
    {"zip code", CARD_POSTCODE},    {"country/region", CARD_COUNTRY}, {"country", CARD_COUNTRY},
    {"address po box", CARD_POBOX}, {"po box", CARD_POBOX},
};

/* Google's numbered columns: "Address 1 - Street", "E-mail 2 - Value". */
static const struct {
    const char *suffix;
    enum card_field f;
} google_addr[] = {
    {"street", CARD_STREET},
    {"city", CARD_CITY},
    {"po box", CARD_POBOX},
    {"region", CARD_REGION},
    {"postal code", CARD_POSTCODE},
    {"country", CARD_COUNTRY},
    {"extended address", CARD_EXTENDED},
    {"formatted", CARD_LOCATION},
};
static const struct {
    const char *prefix;
    enum card_field f;
} google_values[] = {{"e-mail", CARD_EMAIL}, {"email", CARD_EMAIL},       {"phone", CARD_PHONE},
                     {"website", CARD_LINK}, {"event", CARD_ANNIVERSARY}, {"im", CARD_LINK}};

/* "PREFIX N - SUFFIX": 1 with *n and the suffix's start set. */
static int numbered(const char *h, char *prefix, size_t pn, int *n, const char **suffix)
{
    const char *dash = strstr(h, " - ");
    if (!dash)
        return 0;
    const char *d = dash;
    while (d > h && isdigit((unsigned char)d[-1]))
        d--;
    if (d == dash || d == h || d[-1] != ' ' || (size_t)(d - 1 - h) >= pn)
        return 0;
    snprintf(prefix, pn, "%.*s", (int)(d - 1 - h), h);
    *n = atoi(d);
    *suffix = dash + 3;
    return 1;
}

/* An X- property name for a column kith has no field for. */
static char *extra_name(const char *h)
{
    struct sbuf b = {0};
    if (strncasecmp(h, "x-", 2))
        sbuf_add(&b, "X-");
    int dash = 1;
    for (const char *p = h; *p; p++) {
        if (isalnum((unsigned char)*p)) {
            sbuf_addc(&b, (char)toupper((unsigned char)*p));
            dash = 0;
        } else if (!dash) {
            sbuf_addc(&b, '-');
            dash = 1;
        }
    }
    while (b.len && b.s[b.len - 1] == '-')
        b.s[--b.len] = '\0';
    if (b.len <= 2) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_take(&b);
}

static void recognise(const char *header, int outlook, struct col *c)
{
    char h[128], prefix[64];
    const char *suffix;
    int n;
    memset(c, 0, sizeof *c);
    c->group = -1;
    c->label_col = -1;
    snprintf(h, sizeof h, "%s", header);
    /* Trim, and lower case for the comparisons below. */
    char *s = h + strspn(h, " \t");
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!*s)
        return;
    if (outlook && !strcmp(s, "title")) {
        c->f = CARD_PREFIX; /* beside "Job Title", Outlook's Title is Mr. or Dr. */
        return;
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(s, known[i].name)) {
            c->f = known[i].f;
            c->label = known[i].label;
            return;
        }
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
        if (!strcmp(s, noise[i]))
            return;
    for (size_t g = 0; g < sizeof addr_groups / sizeof addr_groups[0]; g++) {
        size_t pl = strlen(addr_groups[g].prefix);
        if (strncmp(s, addr_groups[g].prefix, pl))
            continue;
        for (size_t i = 0; i < sizeof addr_parts / sizeof addr_parts[0]; i++)
            if (!strcmp(s + pl, addr_parts[i].suffix)) {
                c->f = addr_parts[i].f;
                c->group = addr_groups[g].group;
                c->label = addr_groups[g].label;
                return;
            }
    }
    if (numbered(s, prefix, sizeof prefix, &n, &suffix)) {
        int label = !strcmp(suffix, "type") || !strcmp(suffix, "label");
        if (!strcmp(prefix, "address") && n >= 1 && n <= 5) {
            c->group = n - 1;
            if (label) {
                c->is_label = 1;
                return;
            }
            for (size_t i = 0; i < sizeof google_addr / sizeof google_addr[0]; i++)
                if (!strcmp(suffix, google_addr[i].suffix)) {
                    c->f = google_addr[i].f;
                    if (c->f == CARD_LOCATION)
                        c->group = -1;
                    return;
                }
        }
        for (size_t i = 0; i < sizeof google_values / sizeof google_values[0]; i++) {
            if (strcmp(prefix, google_values[i].prefix))
                continue;
            if (label) {
                c->is_label = 1;
                return;
            }
            if (!strcmp(suffix, "value")) {
                c->f = google_values[i].f;
                return;
            }
        }
        if (label) {
            c->is_label = 1;
            return;
        }
    }
    c->extra = extra_name(header);
}

/* Google's "E-mail 1 - Type" labels "E-mail 1 - Value": finds each
 * numbered value's label column. */
static void link_labels(const struct kstrlist *header, struct col *cols)
{
    for (size_t i = 0; i < header->n; i++) {
        const char *dash = strstr(header->v[i], " - ");
        if (!dash || cols[i].is_label)
            continue;
        size_t stem = (size_t)(dash - header->v[i]) + 3;
        for (size_t j = 0; j < header->n; j++) {
            if (!cols[j].is_label || strncasecmp(header->v[j], header->v[i], stem))
                continue;
            const char *sfx = header->v[j] + stem;
            if (!strcasecmp(sfx, "type") || !strcasecmp(sfx, "label"))
                cols[i].label_col = (int)j;
        }
    }
}

/* Applies "Column=field,..." to the columns; K_USAGE naming the problem. */
static int apply_map(const char *map, const struct kstrlist *header, struct col *cols,
                     const char *file, struct kerr *e)
{
    int rc = K_OK;
    char *copy = kstr_dup(map), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && rc == K_OK;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strrchr(item, '=');
        enum card_field f;
        if (!eq || eq == item) {
            rc = kerr_set_field(e, K_USAGE, "map", "--map: '%s' is not Column=field", item);
            break;
        }
        *eq = '\0';
        if (card_field_parse(eq + 1, &f) != 0) {
            struct sbuf b = {0};
            for (int i = 0; i < CARD_FIELD_COUNT; i++)
                sbuf_printf(&b, "%s%s", i ? ", " : "", card_field_name((enum card_field)i));
            rc = kerr_set_field(e, K_USAGE, "map", "--map: unknown field '%s' (fields: %s)", eq + 1,
                                b.s);
            sbuf_free(&b);
            break;
        }
        int found = 0;
        for (size_t i = 0; i < header->n; i++)
            if (!strcasecmp(header->v[i], item)) {
                free(cols[i].extra);
                memset(&cols[i], 0, sizeof cols[i]);
                cols[i].f = f;
                cols[i].group = f >= CARD_STREET && f <= CARD_EXTENDED ? 0 : -1;
                cols[i].label_col = -1;
                found = 1;
            }
        if (!found)
            rc = kerr_set_field(e, K_USAGE, "map", "--map: %s has no column '%s'", file, item);
    }
    free(copy);
    return rc;
}

/* A cell that a spreadsheet would take for a formula (OWASP's CSV
 * injection): one that starts with =, +, -, @, a tab or a CR, looking past
 * leading spaces and single quotes, so that a cell holding the guard
 * itself is guarded too and every cell reads back as it was written. */
static int formula_like(const char *s)
{
    while (*s == ' ' || *s == '\'')
        s++;
    return *s && strchr("=+-@\t\r", *s);
}

/* The cell without the quote the writer put before a formula-like one. */
static const char *unguard(const char *s)
{
    return s[0] == '\'' && formula_like(s + 1) ? s + 1 : s;
}

/* The vCard line of a column kept as an X- property. */
static void put_extra(struct card *k, const char *name, const char *v, int line)
{
    struct sbuf b = {0};
    struct kerr e;
    sbuf_add(&b, name);
    sbuf_addc(&b, ':');
    for (const char *p = v; *p; p++) {
        if (*p == '\\' || *p == ',' || *p == ';') {
            sbuf_addc(&b, '\\');
            sbuf_addc(&b, *p);
        } else if (*p == '\n') {
            sbuf_add(&b, "\\n");
        } else if (*p != '\r') {
            sbuf_addc(&b, *p);
        }
    }
    if (card_extra(k, b.s, &e) != K_OK)
        card_report(k, CARD_WARN, line, "%s; %s left out", e.msg, name);
    sbuf_free(&b);
}

/* One cell. Google joins several values in one cell with " ::: ", and
 * their labels the same way. */
static void set_cell(struct card *k, const struct col *c, const char *v, const char *label,
                     int line)
{
    if (c->extra) {
        /* Outlook writes Gender "Unspecified" for everyone. */
        if (strcasecmp(v, "Unspecified"))
            put_extra(k, c->extra, v, line);
        return;
    }
    if (c->group >= 0) {
        card_address_part(k, c->group, c->f, v, label ? label : c->label);
        return;
    }
    if (c->f != CARD_EMAIL && c->f != CARD_PHONE && c->f != CARD_LINK && c->f != CARD_ANNIVERSARY) {
        card_set(k, c->f, v, line);
        return;
    }
    const char *lp = label;
    while (v) {
        const char *sep = strstr(v, ":::");
        const char *lsep = lp ? strstr(lp, ":::") : NULL;
        char *one = sep ? kstr_ndup(v, (size_t)(sep - v)) : kstr_dup(v);
        char *l = lp ? (lsep ? kstr_ndup(lp, (size_t)(lsep - lp)) : kstr_dup(lp)) : NULL;
        struct kerr e;
        const char *use = l && *l ? l : c->label;
        int rc;
        if (c->f == CARD_ANNIVERSARY)
            rc = card_event(k, use ? use : "anniversary", one, line, &e);
        else
            rc = card_add(k, c->f, one, use, line, &e);
        if (rc != K_OK)
            card_report(k, CARD_WARN, line, "%s; left out", e.msg);
        free(one);
        free(l);
        v = sep ? sep + 3 : NULL;
        lp = lsep ? lsep + 3 : NULL;
    }
}

/* The separator of a table: the most frequent of , ; and tab outside
 * quotes on the header's first line. */
static char guess_sep(const char *s, size_t n)
{
    int counts[3] = {0, 0, 0}, quoted = 0;
    for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            counts[0] += s[i] == ',', counts[1] += s[i] == ';', counts[2] += s[i] == '\t';
    }
    if (counts[1] > counts[0] && counts[1] >= counts[2])
        return ';';
    if (counts[2] > counts[0] && counts[2] > counts[1])
        return '\t';
    return ',';
}

struct table {
    struct reader r;
    struct kstrlist header;
    struct col *cols;
    const struct card_opts *o;
};

/* Finds the header (after Excel's "sep=" line and LinkedIn's "Notes:"
 * paragraph) and what each column holds. */
static int read_header(struct table *t, struct record *rec, csv_header_cb hcb, struct kerr *e)
{
    struct reader *r = &t->r;
    const char *file = t->o->file;
    if (r->n - r->pos >= 5 && !strncasecmp(r->buf + r->pos, "sep=", 4) &&
        (r->n - r->pos == 5 || r->buf[r->pos + 5] == '\n' || r->buf[r->pos + 5] == '\r')) {
        r->sep = r->buf[r->pos + 4];
        while (r->pos < r->n && r->buf[r->pos] != '\n')
            r->pos++;
        r->pos += r->pos < r->n;
        r->line++;
    }
    int in_notes = 0, got;
    for (;;) {
        if (!r->sep || in_notes)
            r->sep = guess_sep(r->buf + r->pos, r->n - r->pos);
        if (!(got = next_record(r, rec)))
            break;
        if (!in_notes && rec->fields.n >= 1 && !strcmp(rec->fields.v[0], "Notes:") &&
            rec->first == 1 && blank(&(struct kstrlist){rec->fields.v + 1, rec->fields.n - 1})) {
            in_notes = 1;
            continue;
        }
        if (blank(&rec->fields)) {
            in_notes = 0;
            continue;
        }
        if (!in_notes)
            break;
    }
    if (!got)
        return kerr_set(e, K_USAGE, "%s:%d: no header row: the file is empty", file, r->line);
    if (rec->bad)
        return kerr_set(e, K_USAGE, "%s:%d: the header: %s", file, rec->bad_line, rec->bad);
    for (size_t i = 0; i < rec->fields.n; i++)
        kstrlist_add(&t->header, rec->fields.v[i]);
    if (hcb)
        hcb(r->buf + rec->start, rec->end - rec->start, t->o->ud);
    int outlook = 0;
    for (size_t i = 0; i < t->header.n; i++)
        outlook |= !strcasecmp(t->header.v[i], "job title");
    t->cols = kcalloc(t->header.n, sizeof *t->cols);
    for (size_t i = 0; i < t->header.n; i++)
        recognise(t->header.v[i], outlook, &t->cols[i]);
    link_labels(&t->header, t->cols);
    if (t->o->map && apply_map(t->o->map, &t->header, t->cols, file, e) != K_OK)
        return K_USAGE;
    int named = 0;
    for (size_t i = 0; i < t->header.n; i++) {
        enum card_field f = t->cols[i].extra ? CARD_IGNORE : t->cols[i].f;
        named |= f == CARD_NAME || f == CARD_FIRST || f == CARD_LAST || f == CARD_EMAIL ||
                 f == CARD_PHONE || f == CARD_COMPANY || f == CARD_NICKNAME;
    }
    if (!named)
        return kerr_set(e, K_USAGE,
                        "%s:%d: no name column in the header (nor an email, phone or company); "
                        "name one with --map 'Column=name,...'",
                        file, rec->first);
    return K_OK;
}

/* One row: K_OK, or what o->card returned. */
static int read_row(struct table *t, const struct record *rec, size_t *empty, struct kerr *e)
{
    const struct card_opts *o = t->o;
    const char *raw = t->r.buf + rec->start;
    size_t rawn = rec->end - rec->start;
    struct card k;
    int rc = K_OK;
    if (rec->bad) {
        if (o->problem)
            o->problem(CARD_SKIP, rec->bad_line, rec->bad, raw, rawn, o->ud);
        return K_OK;
    }
    size_t n = rec->fields.n;
    while (n > t->header.n && !rec->fields.v[n - 1][strspn(rec->fields.v[n - 1], " \t")])
        n--; /* trailing empty fields, as some writers end every row with a comma */
    if (n > t->header.n) {
        char why[128];
        snprintf(why, sizeof why, "%zu fields where the header has %zu", rec->fields.n,
                 t->header.n);
        if (o->problem)
            o->problem(CARD_SKIP, rec->first, why, raw, rawn, o->ud);
        return K_OK;
    }
    card_init(&k, o, rec->first);
    for (size_t i = 0; i < n; i++) {
        const struct col *c = &t->cols[i];
        const char *v = unguard(rec->fields.v[i]);
        if (c->is_label || (c->f == CARD_IGNORE && !c->extra) || !v[strspn(v, " \t")])
            continue;
        const char *label =
            c->label_col >= 0 && (size_t)c->label_col < n ? rec->fields.v[c->label_col] : NULL;
        set_cell(&k, c, v, label && *label ? label : NULL, rec->first);
    }
    struct kerr fe;
    int f = card_finish(&k, &fe);
    if (f == K_NOTFOUND) {
        if (empty)
            ++*empty;
    } else if (f != K_OK) {
        if (o->problem)
            o->problem(CARD_SKIP, rec->first, fe.msg, raw, rawn, o->ud);
    } else {
        rc = o->card(&k, o->ud, e);
    }
    card_clear(&k);
    return rc;
}

int csv_parse(const char *buf, size_t n, const struct card_opts *o, csv_header_cb header,
              size_t *empty, struct kerr *e)
{
    struct table t;
    struct record rec;
    memset(&t, 0, sizeof t);
    memset(&rec, 0, sizeof rec);
    t.r = (struct reader){buf, n, 0, 1, 0};
    t.o = o;
    int rc;
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        t.r.pos = 3;
    if ((rc = read_header(&t, &rec, header, e)) != K_OK)
        goto out;
    while (rc == K_OK && next_record(&t.r, &rec)) {
        if (!rec.bad && blank(&rec.fields))
            continue;
        rc = read_row(&t, &rec, empty, e);
    }
out:
    kstrlist_clear(&rec.fields);
    for (size_t i = 0; t.cols && i < t.header.n; i++)
        free(t.cols[i].extra);
    free(t.cols);
    kstrlist_clear(&t.header);
    return rc;
}

void csv_write_row(struct sbuf *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = fields[i] ? fields[i] : "";
        size_t len = strlen(s);
        int guard = formula_like(s);
        /* Semicolons and tabs too: a spreadsheet that guesses them for the
         * separator must not split a cell into a new, unguarded one. */
        int quote = guard || strpbrk(s, ",\"\r\n;\t") != NULL ||
                    (len && (s[0] == ' ' || s[len - 1] == ' '));
        if (i)
            sbuf_addc(b, ',');
        if (!quote) {
            sbuf_add(b, s);
            continue;
        }
        sbuf_addc(b, '"');
        if (guard)
            sbuf_addc(b, '\''); /* text, not a formula */
        for (; *s; s++) {
            if (*s == '"')
                sbuf_addc(b, '"');
            sbuf_addc(b, *s);
        }
        sbuf_addc(b, '"');
    }
    sbuf_add(b, "\r\n");
}
