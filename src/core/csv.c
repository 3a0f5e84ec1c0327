#include "kith/csv.h"

#include "kith/kstr.h"
#include "kith/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct reader {
    const char *buf;
    size_t n, pos;
    int line; /* the line the reader is on, 1-based */
    const char *file;
};

/* Reads one record into fields. Returns 1 with *first set to the line it
 * began on, 0 at the end of the input, -1 on error (e set). */
static int next_record(struct reader *r, struct kstrlist *fields, int *first, struct kerr *e)
{
    struct sbuf f = {0};
    size_t start = r->pos;
    int rc = 1;
    kstrlist_clear(fields);
    if (r->pos >= r->n)
        return 0;
    *first = r->line;
    for (;;) {
        int quoted = 0, qline = r->line;
        f.len = 0;
        sbuf_add(&f, "");
        if (r->pos < r->n && r->buf[r->pos] == '"') {
            quoted = 1;
            r->pos++;
        }
        for (;;) {
            if (r->pos - start > CSV_RECORD_MAX) {
                kerr_set(e, K_USAGE, "%s:%d: a row longer than %d bytes; is this a CSV file?",
                         r->file, *first, CSV_RECORD_MAX);
                goto fail;
            }
            if (r->pos >= r->n) {
                if (quoted) {
                    kerr_set(e, K_USAGE,
                             "%s:%d: a quoted field begins here and never ends (a missing \")",
                             r->file, qline);
                    goto fail;
                }
                break;
            }
            char c = r->buf[r->pos];
            if (c == '\0') {
                kerr_set(e, K_USAGE, "%s:%d: binary data (a NUL byte) in the CSV file", r->file,
                         r->line);
                goto fail;
            }
            if (quoted) {
                r->pos++;
                if (c == '"') {
                    if (r->pos < r->n && r->buf[r->pos] == '"') {
                        sbuf_addc(&f, '"');
                        r->pos++;
                        continue;
                    }
                    quoted = 0;
                    if (r->pos < r->n && !strchr(",\r\n", r->buf[r->pos])) {
                        kerr_set(e, K_USAGE,
                                 "%s:%d: text after a closing quote (write a quote inside a "
                                 "quoted field as \"\")",
                                 r->file, r->line);
                        goto fail;
                    }
                    continue;
                }
                if (c == '\r' && r->pos < r->n && r->buf[r->pos] == '\n')
                    continue; /* a line break in a field is kept as \n */
                if (c == '\n')
                    r->line++;
                sbuf_addc(&f, c);
                continue;
            }
            if (c == ',' || c == '\n' || c == '\r')
                break;
            sbuf_addc(&f, c);
            r->pos++;
        }
        if (!utf8_valid(f.s, f.len)) {
            kerr_set(e, K_USAGE, "%s:%d: not valid UTF-8 (save the file as UTF-8)", r->file,
                     r->line);
            goto fail;
        }
        kstrlist_add(fields, f.s);
        if (r->pos < r->n && r->buf[r->pos] == ',') {
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
    sbuf_free(&f);
    return rc;
fail:
    sbuf_free(&f);
    kstrlist_clear(fields);
    return -1;
}

static int blank(const struct kstrlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i][strspn(l->v[i], " \t")])
            return 0;
    return 1;
}

/* Header names, compared without case. Numbered Google columns
 * ("E-mail 2 - Value") are matched by pattern in recognise(). */
static const struct {
    const char *name;
    enum card_field f;
} known[] = {
    {"name", CARD_NAME},
    {"full name", CARD_NAME},
    {"display name", CARD_NAME},
    {"formatted name", CARD_NAME},
    {"first name", CARD_FIRST},
    {"given name", CARD_FIRST},
    {"first_name", CARD_FIRST},
    {"middle name", CARD_MIDDLE},
    {"additional name", CARD_MIDDLE},
    {"middle_name", CARD_MIDDLE},
    {"last name", CARD_LAST},
    {"family name", CARD_LAST},
    {"surname", CARD_LAST},
    {"last_name", CARD_LAST},
    {"company", CARD_COMPANY},
    {"organization", CARD_COMPANY},
    {"organisation", CARD_COMPANY},
    {"organization name", CARD_COMPANY},
    {"organization 1 - name", CARD_COMPANY},
    {"title", CARD_TITLE},
    {"job title", CARD_TITLE},
    {"position", CARD_TITLE},
    {"organization title", CARD_TITLE},
    {"organization 1 - title", CARD_TITLE},
    {"email", CARD_EMAIL},
    {"emails", CARD_EMAIL},
    {"e-mail", CARD_EMAIL},
    {"email address", CARD_EMAIL},
    {"e-mail address", CARD_EMAIL},
    {"phone", CARD_PHONE},
    {"phones", CARD_PHONE},
    {"phone number", CARD_PHONE},
    {"mobile", CARD_PHONE},
    {"link", CARD_LINK},
    {"links", CARD_LINK},
    {"url", CARD_LINK},
    {"website", CARD_LINK},
    {"location", CARD_LOCATION},
    {"city", CARD_LOCATION},
    {"address", CARD_LOCATION},
    {"birthday", CARD_BIRTHDAY},
    {"note", CARD_NOTE},
    {"notes", CARD_NOTE},
    {"tags", CARD_TAGS},
    {"labels", CARD_TAGS},
    {"group membership", CARD_TAGS},
    {"categories", CARD_TAGS},
    {"how_met", CARD_HOW_MET},
    {"how met", CARD_HOW_MET},
    {"met_on", CARD_MET_ON},
    {"met on", CARD_MET_ON},
    {"connected on", CARD_MET_ON},
    {"working_on", CARD_WORKING_ON},
    {"working on", CARD_WORKING_ON},
    {"archived", CARD_ARCHIVED},
};

/* "prefix N suffix" with N a number, without case. */
static int numbered(const char *s, const char *prefix, const char *suffix)
{
    size_t p = strlen(prefix), q = strlen(suffix), n = strlen(s);
    if (n <= p + q || strncasecmp(s, prefix, p) || strcasecmp(s + n - q, suffix))
        return 0;
    for (size_t i = p; i < n - q; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static enum card_field recognise(const char *h)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcasecmp(h, known[i].name))
            return known[i].f;
    if (numbered(h, "e-mail ", " - value"))
        return CARD_EMAIL;
    if (numbered(h, "phone ", " - value"))
        return CARD_PHONE;
    if (numbered(h, "website ", " - value"))
        return CARD_LINK;
    if (numbered(h, "address ", " - formatted"))
        return CARD_LOCATION;
    return CARD_IGNORE;
}

/* Applies "Column=field,..." to the columns; K_USAGE naming the problem. */
static int apply_map(const char *map, const struct kstrlist *header, enum card_field *cols,
                     const char *file, struct kerr *e)
{
    int rc = K_OK;
    char *copy = kstr_dup(map), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && rc == K_OK;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strrchr(item, '=');
        enum card_field f;
        if (!eq || eq == item) {
            rc = kerr_set(e, K_USAGE, "--map: '%s' is not Column=field", item);
            break;
        }
        *eq = '\0';
        if (card_field_parse(eq + 1, &f) != 0) {
            struct sbuf b = {0};
            for (int i = 0; i < CARD_FIELD_COUNT; i++)
                sbuf_printf(&b, "%s%s", i ? ", " : "", card_field_name((enum card_field)i));
            rc = kerr_set(e, K_USAGE, "--map: unknown field '%s' (fields: %s)", eq + 1, b.s);
            sbuf_free(&b);
            break;
        }
        int found = 0;
        for (size_t i = 0; i < header->n; i++)
            if (!strcasecmp(header->v[i], item)) {
                cols[i] = f;
                found = 1;
            }
        if (!found)
            rc = kerr_set(e, K_USAGE, "--map: %s has no column '%s'", file, item);
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

/* Google joins several values in one cell with " ::: ". */
static int set_multi(struct card *k, enum card_field f, const char *v, int line, struct kerr *e)
{
    if (f != CARD_EMAIL && f != CARD_PHONE && f != CARD_LINK)
        return card_set(k, f, v, line, e);
    int rc = K_OK;
    while (rc == K_OK && v) {
        const char *sep = strstr(v, ":::");
        char *one = sep ? kstr_ndup(v, (size_t)(sep - v)) : kstr_dup(v);
        rc = card_set(k, f, one, line, e);
        free(one);
        v = sep ? sep + 3 : NULL;
    }
    return rc;
}

int csv_parse(const char *buf, size_t n, const char *file, const char *map, csv_cb cb, void *ud,
              struct kerr *e)
{
    struct reader r = {buf, n, 0, 1, file};
    struct kstrlist header = {0}, row = {0};
    enum card_field *cols = NULL;
    struct card k;
    int rc = K_OK, got, line = 1, rows = 0;
    card_init(&k, file, 0);
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r.pos = 3;
    /* The header is the first non-blank row, after LinkedIn's "Notes:"
     * paragraph when there is one. */
    int in_notes = 0;
    while ((got = next_record(&r, &header, &line, e)) > 0) {
        if (!in_notes && header.n >= 1 && !strcmp(header.v[0], "Notes:") && line == 1) {
            in_notes = 1;
            continue;
        }
        if (blank(&header)) {
            in_notes = 0;
            continue;
        }
        if (!in_notes)
            break;
    }
    if (got < 0) {
        rc = K_USAGE;
        goto out;
    }
    if (got == 0) {
        rc = kerr_set(e, K_USAGE, "%s:%d: no header row: the file is empty", file, r.line);
        goto out;
    }
    int header_line = line;
    cols = kcalloc(header.n, sizeof *cols);
    for (size_t i = 0; i < header.n; i++)
        cols[i] = recognise(header.v[i]);
    if (map && (rc = apply_map(map, &header, cols, file, e)) != K_OK)
        goto out;
    int named = 0;
    for (size_t i = 0; i < header.n; i++)
        named |= cols[i] == CARD_NAME || cols[i] == CARD_FIRST || cols[i] == CARD_LAST;
    if (!named) {
        rc = kerr_set(e, K_USAGE,
                      "%s:%d: no name column in the header; name one with --map "
                      "'Column=name,...'",
                      file, header_line);
        goto out;
    }
    while ((got = next_record(&r, &row, &line, e)) > 0) {
        if (blank(&row))
            continue;
        if (row.n > header.n) {
            rc = kerr_set(e, K_USAGE, "%s:%d: %zu fields where the header has %zu", file, line,
                          row.n, header.n);
            goto out;
        }
        card_clear(&k);
        card_init(&k, file, line);
        for (size_t i = 0; i < row.n && rc == K_OK; i++)
            rc = set_multi(&k, cols[i], unguard(row.v[i]), line, e);
        if (rc != K_OK || (rc = card_finish(&k, e)) != K_OK || (rc = cb(&k, ud, e)) != K_OK)
            goto out;
        rows++;
    }
    if (got < 0)
        rc = K_USAGE;
    else if (!rows)
        rc = kerr_set(e, K_USAGE, "%s:%d: a header but no contacts", file, header_line);
out:
    card_clear(&k);
    kstrlist_clear(&header);
    kstrlist_clear(&row);
    free(cols);
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
