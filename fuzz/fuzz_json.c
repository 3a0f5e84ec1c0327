/* libFuzzer target: import json must never crash, hang or leak on any
 * document; one it refuses must say why without SQLite's own words and
 * leave the journal empty, and one it accepts must export again as a
 * document that imports into a new journal.
 *
 * The journal is a file (kith opens journals by path) made at start-up and
 * made anew after each accepted document. */
#include "kith/config/config.h"
#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/core/transfer.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/kith-fuzz-json-XXXXXX";
static char path[64], path2[64];
static struct config *cfg;

static void remove_journal(const char *p)
{
    char side[80];
    unlink(p);
    snprintf(side, sizeof side, "%s-wal", p);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", p);
    unlink(side);
}

static void cleanup(void)
{
    remove_journal(path);
    remove_journal(path2);
    rmdir(dir);
    config_free(&cfg);
}

static struct journal *fresh(const char *p)
{
    struct journal *j = NULL;
    struct kerr e;
    remove_journal(p);
    if (journal_open(p, cfg, JOURNAL_CREATE, &j, &e) != K_OK) {
        fprintf(stderr, "journal_open: %s\n", e.msg);
        abort();
    }
    return j;
}

static int to_sbuf(const char *s, size_t n, void *ud)
{
    sbuf_addn(ud, s, n);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct journal *j;
    struct kerr e;
    if (!j) {
        setlocale(LC_CTYPE, "C.UTF-8");
        setenv("KITH_TODAY", "2026-11-22", 1);
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/a.db", dir);
        snprintf(path2, sizeof path2, "%s/b.db", dir);
        cfg = config_defaults();
        atexit(cleanup);
        j = fresh(path);
    }
    char *doc = kstr_ndup((const char *)data, size);
    int rc = transfer_import_json(j, doc, size, "fuzz.json", &e);
    if (rc != K_OK) {
        /* SQLite's words, unless the document itself holds them. */
        static const char *const raw[] = {"constraint failed", "malformed", "SQL logic error"};
        int said = 0;
        for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
            said |= strstr(e.msg, raw[i]) && !strstr(doc, raw[i]);
        if ((rc != K_USAGE && rc != K_ERR) || !e.msg[0] || said)
            abort();
        free(doc);
        return 0;
    }
    free(doc);
    /* Accepted: what it restored exports and restores again. */
    struct sbuf out = {0};
    if (transfer_export_json(j, to_sbuf, &out, &e) != K_OK)
        abort();
    struct journal *k = fresh(path2);
    if (transfer_import_json(k, out.s, out.len, "again.json", &e) != K_OK) {
        fprintf(stderr, "an accepted document does not restore again: %s\n", e.msg);
        abort();
    }
    journal_close(&k);
    sbuf_free(&out);
    journal_close(&j);
    j = fresh(path);
    return 0;
}
