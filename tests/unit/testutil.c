#include "testutil.h"

#include "kith/kdate.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tj_open(struct tjournal *t)
{
    struct kerr e;
    setlocale(LC_CTYPE, "C.UTF-8");
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/kith-unit-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/kith.db", t->dir);
    t->cfg = config_defaults();
    setenv("KITH_TODAY", "2026-11-22", 1);
    int rc = journal_open(t->path, t->cfg, JOURNAL_CREATE, &t->j, &e);
    if (rc != K_OK)
        fail_msg("journal_open: %s", e.msg);
}

void tj_close(struct tjournal *t)
{
    journal_close(&t->j);
    config_free(&t->cfg);
    trm_rf(t->dir);
}

int tday(const char *s)
{
    int d = 0;
    struct kerr e;
    if (kdate_parse_iso(s, &d, &e) != K_OK)
        fail_msg("bad date in test: %s", s);
    return d;
}

void trm_rf(const char *dir)
{
    char cmd[600];
    if (!dir || strncmp(dir, "/tmp/kith-", 10))
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}
