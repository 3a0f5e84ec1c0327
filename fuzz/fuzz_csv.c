/* libFuzzer target: the CSV reader must never crash, hang or leak on any
 * input; every skipped row it reports must point at bytes of the input;
 * rows it hands over keep the limits; and what the writer writes of a row
 * reads back as it was (the formula guard taken off again). The first line
 * of the input doubles as a --map when it starts with "map:", the second as
 * the date order when it is "dmy". */
#include "kith/core/check.h"
#include "kith/core/csv.h"
#include "kith/util/kstr.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const char *buf;
    size_t n;
};

static void check_problem(enum card_level level, int line, const char *msg, const char *raw,
                          size_t rawn, void *ud)
{
    const struct input *in = ud;
    if (line < 1 || !msg || !*msg)
        abort();
    if (level == CARD_SKIP && (!raw || raw < in->buf || raw + rawn > in->buf + in->n))
        abort();
}

static void header_seen(const char *raw, size_t n, void *ud)
{
    const struct input *in = ud;
    if (raw < in->buf || raw + n > in->buf + in->n)
        abort();
}

/* The row written from a card; the reader hands back the same values
 * (formula-like cells guarded on the way out and unguarded on the way in
 * included). */
static int again(struct card *k, void *ud, struct kerr *e)
{
    const char *const *want = ud;
    const char *got[] = {k->c.name, k->c.company, k->c.note};
    (void)e;
    for (int i = 0; i < 3; i++)
        if ((want[i] || got[i]) && (!want[i] || !got[i] || strcmp(want[i], got[i]))) {
            fprintf(stderr, "field %d written as '%s' reads back as '%s'\n", i,
                    want[i] ? want[i] : "(null)", got[i] ? got[i] : "(null)");
            abort();
        }
    return K_OK;
}

static int check_row(struct card *k, void *ud, struct kerr *e)
{
    (void)ud;
    (void)e;
    const struct contact *c = &k->c;
    const char *shorts[] = {c->name, c->company, c->title, c->location, c->n.family, c->n.given};
    for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        if (shorts[i] && strlen(shorts[i]) > CHECK_SHORT_MAX)
            abort();
    if (c->note && strlen(c->note) > CHECK_LONG_MAX)
        abort();
    const char *header[] = {"name", "company", "note"};
    const char *row[] = {c->name, c->company, c->note};
    struct sbuf b = {0};
    struct kerr e2;
    struct card_opts o = {"written", again, NULL, (void *)row, NULL, CARD_MDY, 2026};
    csv_write_row(&b, header, 3);
    csv_write_row(&b, row, 3);
    if (csv_parse(b.s, b.len, &o, NULL, NULL, &e2) != K_OK) {
        fprintf(stderr, "the writer's output does not read back: %s\n%s", e2.msg, b.s);
        abort();
    }
    sbuf_free(&b);
    return K_OK;
}

/* Takes a first line "PREFIX..." off the input into *line (a new string). */
static int take_line(const char **s, size_t *size, const char *prefix, char **line)
{
    size_t p = strlen(prefix);
    if (*size <= p || memcmp(*s, prefix, p))
        return 0;
    const char *nl = memchr(*s, '\n', *size);
    size_t n = nl ? (size_t)(nl - *s) : *size;
    *line = kstr_ndup(*s + p, n - p);
    *s += nl ? n + 1 : *size;
    *size -= nl ? n + 1 : *size;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setlocale(LC_CTYPE, "C.UTF-8");
        init = 1;
    }
    const char *s = (const char *)data;
    char *map = NULL, *order = NULL;
    take_line(&s, &size, "map:", &map);
    take_line(&s, &size, "order:", &order);
    struct input in = {s, size};
    struct card_opts o = {"fuzz",
                          check_row,
                          check_problem,
                          &in,
                          map && !memchr(map, '\0', strlen(map)) ? map : NULL,
                          order && !strcmp(order, "dmy") ? CARD_DMY : CARD_MDY,
                          2026};
    struct kerr e;
    size_t empty = 0;
    /* The header callback gets the same ud as the others. */
    csv_parse(s, size, &o, header_seen, &empty, &e);
    free(map);
    free(order);
    return 0;
}
