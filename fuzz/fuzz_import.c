/* libFuzzer target: a whole import (the first byte picks vCard or CSV) as a
 * dry run into a journal that already holds a few people, so that the
 * character set conversions (UTF-16, windows-1252), the identity lookups
 * (UIDs, LinkedIn profiles, emails, a name with a phone) and merging run on
 * any input. It must never crash, hang or leak, must leave the journal as
 * it was, and its counts must add up. */
#include "kith/config/config.h"
#include "kith/core/contact.h"
#include "kith/core/journal.h"
#include "kith/core/transfer.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct journal *j;
static struct config *cfg;
static size_t contacts;
static char path[] = "/tmp/kith-fuzz-import-XXXXXX";

/* The journal goes when the fuzzer ends. */
static void remove_journal(void)
{
    char side[64];
    journal_close(&j);
    config_free(&cfg);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static const char people[] =
    "BEGIN:VCARD\nVERSION:3.0\nUID:u-1\nFN:Ana Ruiz\nEMAIL:ana@example.com\nTEL:+1 555 0100\n"
    "END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Sam Park\n"
    "URL:https://www.linkedin.com/in/sampark\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\n"
    "FN:Jo Lee\nNICKNAME:Jojo\nORG:Acme\nEND:VCARD\n";

static size_t count(void)
{
    struct contact_query q = {0};
    struct kerr e;
    size_t n = 0;
    q.include_archived = 1;
    if (contact_count(j, &q, &n, &e) != K_OK)
        abort();
    return n;
}

static void open_journal(void)
{
    int fd = mkstemp(path);
    struct kerr e;
    struct transfer_stats st;
    if (fd < 0)
        abort();
    close(fd);
    unlink(path);
    setenv("KITH_TODAY", "2026-11-22", 1);
    cfg = config_defaults();
    if (journal_open(path, cfg, JOURNAL_CREATE, &j, &e) != K_OK)
        abort();
    struct transfer_import_opts o = {"people", NULL, 0, 0, CARD_MDY, NULL, NULL, NULL, NULL, NULL};
    if (transfer_import(j, TRANSFER_VCARD, people, strlen(people), &o, &st, &e) != K_OK)
        abort();
    contacts = count();
    atexit(remove_journal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!j) {
        setlocale(LC_CTYPE, "C.UTF-8");
        open_journal();
    }
    if (!size)
        return 0;
    enum transfer_format f = data[0] & 1 ? TRANSFER_CSV : TRANSFER_VCARD;
    struct transfer_import_opts o = {
        "fuzz", NULL, 1, data[0] & 2, data[0] & 4 ? CARD_DMY : CARD_MDY, NULL, NULL, NULL, NULL,
        NULL};
    struct transfer_stats st;
    struct kerr e;
    int rc = transfer_import(j, f, (const char *)data + 1, size - 1, &o, &st, &e);
    if (rc == K_OK && st.unchanged > st.merged)
        abort();
    if (count() != contacts)
        abort(); /* a dry run wrote */
    return 0;
}
