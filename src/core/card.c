#include "kith/card.h"

#include "kith/check.h"
#include "kith/kdate.h"
#include "kith/kstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[] = {
    "ignore", "name",  "first_name", "middle_name", "last_name",  "company",
    "title",  "email", "phone",      "link",        "location",   "birthday",
    "note",   "tags",  "how_met",    "met_on",      "working_on", "archived"};

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

void card_init(struct card *k, const char *file, int line)
{
    memset(k, 0, sizeof *k);
    k->c.met_on = KDATE_NONE;
    k->file = file;
    k->line = line;
}

void card_clear(struct card *k)
{
    if (!k)
        return;
    contact_clear(&k->c);
    free(k->first);
    free(k->middle);
    free(k->last);
    memset(k, 0, sizeof *k);
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

static void add_unique(struct kstrlist *l, const char *v)
{
    if (!kstrlist_has(l, v))
        kstrlist_add(l, v);
}

/* Tags arrive as "Work Friends", "* starred" or "a ::: b"; kith's tags are
 * single lower-case words, so spaces become '-'. */
static int add_tags(struct card *k, const char *value, int line, struct kerr *e)
{
    const char *p = value;
    int rc = K_OK;
    while (rc == K_OK && *p) {
        size_t n = strcspn(p, ",;");
        const char *sep = strstr(p, ":::");
        if (sep && (size_t)(sep - p) < n)
            n = (size_t)(sep - p);
        char *t = trimmed(p, n);
        p += n;
        p += *p == ':' ? 3 : *p ? 1 : 0;
        if (t && t[0] == '*' && t[1] == ' ')
            memmove(t, t + 2, strlen(t + 2) + 1);
        for (char *q = t; q && *q; q++)
            if (*q == ' ' || *q == '\t')
                *q = '-';
        /* Google puts every contact in this system group. */
        if (t && *t && strcasecmp(t, "myContacts")) {
            char *tag = NULL;
            struct kerr te;
            if (check_tag(t, &tag, &te) != K_OK)
                rc = kerr_set(e, K_USAGE, "%s:%d: %s", k->file, line, te.msg);
            else
                add_unique(&k->c.tags, tag);
            free(tag);
        }
        free(t);
    }
    return rc;
}

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* YYYY-MM-DD, or "15 Mar 2023" as LinkedIn writes "Connected On". */
static int parse_met_on(const char *s, int *out)
{
    if (kdate_parse_iso(s, out, NULL) == K_OK)
        return 0;
    int d, y;
    char mon[4];
    char extra;
    if (sscanf(s, "%d %3s %d%c", &d, mon, &y, &extra) != 3)
        return -1;
    for (int m = 0; m < 12; m++)
        if (!strcasecmp(mon, months[m]) && kdate_valid_ymd(y, m + 1, d)) {
            *out = kdate_from_ymd(y, m + 1, d);
            return 0;
        }
    return -1;
}

int card_set(struct card *k, enum card_field f, const char *value, int line, struct kerr *e)
{
    struct kerr te;
    int rc = K_OK;
    size_t max = f == CARD_NOTE || f == CARD_WORKING_ON ? CHECK_LONG_MAX : CHECK_SHORT_MAX;
    char *v = NULL;
    if (!value || f == CARD_IGNORE)
        goto out;
    if (check_text(card_field_name(f), value, max, &te) != K_OK) {
        rc = kerr_set(e, K_USAGE, "%s:%d: %s", k->file, line, te.msg);
        goto out;
    }
    if (f == CARD_TAGS) {
        rc = add_tags(k, value, line, e);
        goto out;
    }
    if (!(v = trimmed(value, strlen(value))))
        goto out;
    switch (f) {
    case CARD_NAME:
        keep_first(&k->c.name, &v);
        break;
    case CARD_FIRST:
        keep_first(&k->first, &v);
        break;
    case CARD_MIDDLE:
        keep_first(&k->middle, &v);
        break;
    case CARD_LAST:
        keep_first(&k->last, &v);
        break;
    case CARD_COMPANY:
        keep_first(&k->c.company, &v);
        break;
    case CARD_TITLE:
        keep_first(&k->c.title, &v);
        break;
    case CARD_HOW_MET:
        keep_first(&k->c.how_met, &v);
        break;
    case CARD_WORKING_ON:
        keep_first(&k->c.working_on, &v);
        break;
    case CARD_LOCATION:
        /* A postal address spans lines; a location is one. */
        for (char *nl; (nl = strchr(v, '\n'));) {
            size_t at = (size_t)(nl - v);
            char *joined = kmalloc(strlen(v) + 2);
            snprintf(joined, strlen(v) + 2, "%.*s, %s", (int)at, v, nl + 1);
            free(v);
            v = trimmed(joined, strlen(joined));
            free(joined);
            if (!v)
                goto out;
        }
        keep_first(&k->c.location, &v);
        break;
    case CARD_NOTE:
        if (k->c.note) {
            struct sbuf b = {0};
            sbuf_printf(&b, "%s\n\n%s", k->c.note, v);
            free(k->c.note);
            k->c.note = sbuf_take(&b);
        } else {
            keep_first(&k->c.note, &v);
        }
        break;
    case CARD_EMAIL:
        if (check_email(v, &te) != K_OK)
            rc = kerr_set(e, K_USAGE, "%s:%d: %s", k->file, line, te.msg);
        else
            add_unique(&k->c.emails, v);
        break;
    case CARD_PHONE:
        if (check_phone(v, &te) != K_OK)
            rc = kerr_set(e, K_USAGE, "%s:%d: %s", k->file, line, te.msg);
        else
            add_unique(&k->c.phones, v);
        break;
    case CARD_LINK: {
        const char *q = v;
        while (*q && (unsigned char)*q >= 0x20 && *q != 0x7F)
            q++;
        if (*q)
            rc =
                kerr_set(e, K_USAGE, "%s:%d: a link with a control character in it", k->file, line);
        else
            add_unique(&k->c.links, v);
        break;
    }
    case CARD_BIRTHDAY: {
        char buf[KDATE_BUF];
        if (kdate_parse_birthday(v, buf, &te) != K_OK) {
            rc = kerr_set(e, K_USAGE, "%s:%d: %s", k->file, line, te.msg);
        } else if (!k->c.birthday) {
            k->c.birthday = kstr_dup(buf);
        }
        break;
    }
    case CARD_MET_ON:
        if (k->c.met_on == KDATE_NONE && parse_met_on(v, &k->c.met_on) != 0)
            rc = kerr_set(e, K_USAGE, "%s:%d: '%s' is not a date (want YYYY-MM-DD)", k->file, line,
                          v);
        break;
    case CARD_ARCHIVED:
        if (!strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
            k->c.archived = 1;
        else if (strcasecmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no"))
            rc = kerr_set(e, K_USAGE, "%s:%d: archived is '%s'; want true or false", k->file, line,
                          v);
        break;
    default:
        break;
    }
out:
    free(v);
    return rc;
}

int card_finish(struct card *k, struct kerr *e)
{
    if (!k->c.name && (k->first || k->last || k->middle)) {
        struct sbuf b = {0};
        const char *parts[] = {k->first, k->middle, k->last};
        for (int i = 0; i < 3; i++) {
            if (!parts[i])
                continue;
            if (b.len)
                sbuf_addc(&b, ' ');
            sbuf_add(&b, parts[i]);
        }
        k->c.name = sbuf_take(&b);
    }
    if (!k->c.name)
        return kerr_set(e, K_USAGE, "%s:%d: this contact has no name", k->file, k->line);
    return K_OK;
}
