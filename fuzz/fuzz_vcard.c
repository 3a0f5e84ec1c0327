/* libFuzzer target: the vCard reader must never crash, hang or leak on any
 * input; every problem it reports must point at bytes of the input; every
 * card it hands over must keep the limits (1000-byte names and parts,
 * 1 MiB notes) whatever path built it (N's parts, a CHARSET conversion,
 * notes that add up); and the writer's output must read back as the same
 * card, with nothing skipped. */
#include "kith/core/check.h"
#include "kith/util/kstr.h"
#include "kith/core/vcard.h"

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

static void over(const char *s, size_t max)
{
    if (s && strlen(s) > max) {
        fprintf(stderr, "a value of %zu bytes passed the limit of %zu\n", strlen(s), max);
        abort();
    }
}

static void check_limits(const struct contact *c)
{
    const char *shorts[] = {c->name,     c->company,  c->title,     c->location,
                            c->how_met,  c->n.family, c->n.given,   c->n.additional,
                            c->n.prefix, c->n.suffix};
    for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        over(shorts[i], CHECK_SHORT_MAX);
    over(c->note, CHECK_LONG_MAX);
    over(c->working_on, CHECK_LONG_MAX);
    if (!c->name || !utf8_valid(c->name, strlen(c->name)))
        abort();
}

struct back {
    const struct contact *want;
    int cards, skips;
};

static int read_back(struct card *k, void *ud, struct kerr *e)
{
    (void)e;
    struct back *b = ud;
    const struct contact *w = b->want, *c = &k->c;
    b->cards++;
    if (strcmp(c->name, w->name) || c->emails.n != w->emails.n || c->phones.n != w->phones.n ||
        c->links.n != w->links.n || c->uids.n != w->uids.n || c->naddresses != w->naddresses ||
        c->nevents != w->nevents || c->extra.n != w->extra.n) {
        fprintf(stderr, "read back differently: %s\n", c->name);
        abort();
    }
    return K_OK;
}

static void count_skip(enum card_level level, int line, const char *msg, const char *raw,
                       size_t rawn, void *ud)
{
    (void)line;
    (void)raw;
    (void)rawn;
    struct back *b = ud;
    if (level == CARD_SKIP) {
        fprintf(stderr, "the writer's output was skipped: %s\n", msg);
        b->skips++;
    }
}

static int check_card(struct card *k, void *ud, struct kerr *e)
{
    (void)ud;
    (void)e;
    check_limits(&k->c);
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int i = 0; i < 2; i++) {
        struct sbuf out = {0};
        struct kerr e2;
        struct back b = {&k->c, 0, 0};
        struct card_opts o = {"written", read_back, count_skip, &b, NULL, CARD_MDY, 2026};
        vcard_write(&out, &k->c, vs[i]);
        if (vcard_parse(out.s, out.len, &o, &e2) != K_OK || b.cards != 1 || b.skips) {
            fprintf(stderr, "the writer's output does not read back:\n%s", out.s);
            abort();
        }
        sbuf_free(&out);
    }
    return K_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setlocale(LC_CTYPE, "C.UTF-8");
        init = 1;
    }
    struct input in = {(const char *)data, size};
    struct card_opts o = {"fuzz", check_card, check_problem, &in, NULL, CARD_MDY, 2026};
    struct kerr e;
    vcard_parse(in.buf, size, &o, &e);
    return 0;
}
