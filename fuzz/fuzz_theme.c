/* libFuzzer target: the theme loader must never crash, hang or leak on any
 * text, and every theme it returns, accepted or not, must be one the TUI
 * can draw (colors in range, known attributes). */
#include "kith/config/theme.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_color(const struct theme_color *c)
{
    if ((unsigned)c->kind > THEME_COLOR_RGB)
        abort();
    if (c->kind == THEME_COLOR_INDEX && (c->index < 0 || c->index > 255))
        abort();
    static const int ncolors[] = {8, 16, 256};
    for (int i = 0; i < 3; i++) {
        int n = theme_color_nearest(c, ncolors[i]);
        if (n < (c->kind == THEME_COLOR_DEFAULT ? -1 : 0) || n >= ncolors[i])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct theme t;
    struct kerr e;
    int rc = theme_parse((const char *)data, size, "fuzz", &t, &e);
    if (rc != K_OK && rc != K_USAGE)
        abort();
    if (!memchr(t.name, '\0', sizeof t.name))
        abort();
    for (int s = 0; s < THEME_SLOT_COUNT; s++) {
        check_color(&t.slot[s].fg);
        check_color(&t.slot[s].bg);
        if (t.slot[s].attrs & ~31u)
            abort();
    }
    return 0;
}
