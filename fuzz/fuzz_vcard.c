/* libFuzzer target: the vCard reader must never crash, hang or leak on any
 * input, and every card it accepts must survive the writer and be read
 * back. */
#include "kith/kstr.h"
#include "kith/vcard.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int again(struct card *k, void *ud, struct kerr *e)
{
    (void)k;
    (void)ud;
    (void)e;
    return K_OK;
}

static int check_card(struct card *k, void *ud, struct kerr *e)
{
    (void)ud;
    (void)e;
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int i = 0; i < 2; i++) {
        struct sbuf b = {0};
        struct kerr e2;
        vcard_write(&b, &k->c, vs[i]);
        if (vcard_parse(b.s, b.len, "written", again, NULL, &e2) != K_OK) {
            fprintf(stderr, "the writer's output does not read back: %s\n%s", e2.msg, b.s);
            abort();
        }
        sbuf_free(&b);
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
    struct kerr e;
    vcard_parse((const char *)data, size, "fuzz", check_card, NULL, &e);
    return 0;
}
