#include "testutil.h"

#include "kith/cli/cli_util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cli_signed is written by hand (a listing calls it per row): it must say
 * what printf's "%+d" says for every int, 0 without a sign. */
static void test_signed(void **state)
{
    (void)state;
    const int cases[] = {0,   1,     -1,     9,       10,      -10,        99,
                         100, 12345, -12345, INT_MAX, INT_MIN, INT_MIN + 1};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char got[16], want[16];
        snprintf(want, sizeof want, cases[i] ? "%+d" : "%d", cases[i]);
        assert_string_equal(cli_signed(cases[i], got), want);
    }
}

/* A row made with cli_put_to is what cli_put writes, styles and all. */
static void test_put_to(void **state)
{
    (void)state;
    for (int color = 0; color <= 1; color++) {
        char *written = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&written, &n);
        assert_non_null(f);
        struct cli_out o = {f, color};
        struct sbuf line = {0};
        const char *texts[] = {"Ana", "a very long name that will not fit", "\x1b[31mred", ""};
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            cli_put(&o, CLI_BOLD, texts[i], 8, (int)(i & 1));
            cli_put_to(&line, &o, CLI_BOLD, texts[i], 8, (int)(i & 1));
            cli_put(&o, CLI_PLAIN, texts[i], 0, 0);
            cli_put_to(&line, &o, CLI_PLAIN, texts[i], 0, 0);
        }
        fclose(f);
        assert_string_equal(line.s, written);
        /* The text's own escape is shown, never sent: only styles start one. */
        assert_true(!strchr(line.s, '\x1b') == !color);
        sbuf_free(&line);
        free(written);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_signed),
    cmocka_unit_test(test_put_to),
};

TEST_MAIN(tests)
