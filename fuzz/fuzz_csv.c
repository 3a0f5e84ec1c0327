/* libFuzzer target: the CSV reader must never crash, hang or leak on any
 * input; rows it accepts must survive the writer and be read back as they
 * were (the formula guard taken off again). The
 * first line of the input doubles as a --map when it starts with "map:". */
#include "kith/csv.h"
#include "kith/kstr.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    const char *header[] = {"name", "company", "note"};
    const char *row[] = {k->c.name, k->c.company, k->c.note};
    struct sbuf b = {0};
    struct kerr e2;
    csv_write_row(&b, header, 3);
    csv_write_row(&b, row, 3);
    if (csv_parse(b.s, b.len, "written", NULL, again, (void *)row, &e2) != K_OK) {
        fprintf(stderr, "the writer's output does not read back: %s\n%s", e2.msg, b.s);
        abort();
    }
    sbuf_free(&b);
    return K_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setlocale(LC_CTYPE, "C.UTF-8");
        init = 1;
    }
    const char *s = (const char *)data;
    char *map = NULL;
    if (size > 4 && !memcmp(s, "map:", 4)) {
        const char *nl = memchr(s, '\n', size);
        size_t n = nl ? (size_t)(nl - s) : size;
        map = kstr_ndup(s + 4, n - 4);
        s += nl ? n + 1 : size;
        size -= nl ? n + 1 : size;
    }
    struct kerr e;
    csv_parse(s, size, "fuzz", map && !memchr(map, '\0', strlen(map)) ? map : NULL, check_row, NULL,
              &e);
    free(map);
    return 0;
}
