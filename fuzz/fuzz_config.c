/* libFuzzer target: the configuration and rules loader must never crash,
 * hang or leak on any file; a file it refuses must say where, and one it
 * accepts must hold only what the loader promises (ranges, known words).
 *
 * config_load reads a path (it checks that the file is a regular one and
 * not too large), so each input is written to one temporary file made at
 * start-up rather than fed from memory. */
#include "kith/config/config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/kith-fuzz-config-XXXXXX";
static int fd = -1;

static void cleanup(void)
{
    unlink(path);
}

static void check(const struct config *c)
{
    if (c->challenge_days < 1 || c->challenge_days > 366 || !c->theme)
        abort();
    for (size_t i = 0; i < c->nkinds; i++)
        if (!c->kinds[i].name || !c->kinds[i].label || !c->kinds[i].default_direction)
            abort();
    for (size_t i = 0; i < c->nrules; i++) {
        const struct config_rule *r = &c->rules[i];
        if (!r->id || !r->message || (unsigned)r->on > CONFIG_ON_CHALLENGE ||
            (unsigned)r->priority > CONFIG_PRIO_LOW)
            abort();
        if (r->on == CONFIG_ON_SILENCE && r->days < 1 && !r->cadence_contact)
            abort();
        if (r->on == CONFIG_ON_GOODWILL && r->below == INT_MIN)
            abort();
        for (size_t k = 0; k < r->ntags; k++)
            if (!r->tags[k] || !*r->tags[k])
                abort();
    }
    for (char **p = c->notify_command; p && *p; p++)
        if (!**p)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        fd = mkstemp(path);
        if (fd < 0) {
            perror("mkstemp");
            abort();
        }
        atexit(cleanup);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
    struct config *c = NULL;
    struct kerr e;
    int rc = config_load(path, &c, &e);
    if (rc == K_OK) {
        if (!c)
            abort();
        check(c);
        config_kind_find(c, "intro");
    } else if (c || !e.msg[0]) {
        abort();
    }
    config_free(&c);
    return 0;
}
