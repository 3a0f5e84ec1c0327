/* libFuzzer target: the command-line parser must never crash, hang or leak
 * on any words. The input is split at newlines into argv (argv[0] is
 * "kith"); cli_parse_globals reads the global options, then cli_args_parse
 * parses the rest against a spec like the commands' (flags, options with
 * values, a repeatable one) and the values go through the option helpers.
 * No journal is opened. Run with -close_fd_mask=3: usage errors print. */
#include "kith/cli/cli.h"
#include "kith/cli/cli_util.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 256

static const struct cli_optspec spec[] = {
    {"--kind", 1}, {"--gave", 0}, {"--asked", 0}, {"--mutual", 0}, {"--on", 1},
    {"--note", 1}, {"--tag", 1},  {"--json", 0},  {"--limit", 1},  {"--since", 1},
    {"-y", 0},     {"--yes", 0},  {NULL, 0}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        /* Dates are parsed relative to a fixed today, as in the tests. */
        setenv("KITH_TODAY", "2026-11-22", 1);
        unsetenv("NO_COLOR");
        init = 1;
    }
    char *text = malloc(size + 1);
    char *argv[MAX_WORDS + 2];
    int argc = 0;
    memcpy(text, data, size);
    text[size] = '\0';
    argv[argc++] = "kith";
    for (char *p = text; argc <= MAX_WORDS && p <= text + size;) {
        char *nl = memchr(p, '\n', (size_t)(text + size - p));
        if (nl)
            *nl = '\0';
        argv[argc++] = p; /* an embedded NUL ends the word, as in a real argv */
        if (!nl)
            break;
        p = nl + 1;
    }
    argv[argc] = NULL;

    struct cli_globals g;
    int st = cli_parse_globals(argc, argv, &g);
    if (st == -1) {
        if (g.argi < 1 || g.argi > argc)
            abort();
        struct cli_args a;
        struct kerr e;
        /* As cli_run does: the command word is the new argv[0]. */
        int sub = g.argi < argc ? argc - g.argi : 1;
        char **sv = g.argi < argc ? argv + g.argi : argv;
        if (cli_args_parse(sub, sv, spec, &a, &e) == K_OK) {
            for (size_t i = 0; i < a.npos; i++)
                if (!a.pos[i])
                    abort();
            struct kstrlist tags = {0};
            cli_args_all(&a, "--tag", &tags);
            kstrlist_clear(&tags);
            int n, day;
            const char *v = cli_args_get(&a, "--limit");
            if (v)
                cli_parse_int("--limit", v, 1, 1000000, &n, &e);
            v = cli_args_get(&a, "--on");
            if (v)
                cli_parse_date("--on", v, &day, &e);
            v = cli_args_get(&a, "--note");
            if (v && strcmp(v, "-")) {
                char *note = NULL;
                if (cli_read_value("--note", v, 100, &note, &e) == K_OK && !note)
                    abort();
                free(note);
            }
            cli_args_has(&a, "--json");
            cli_args_free(&a);
        } else if (a.pos || a.opts) {
            abort(); /* a refused parse must leave nothing to free */
        }
    } else if (st != 0 && st != 2) {
        abort();
    }
    free(text);
    return 0;
}
