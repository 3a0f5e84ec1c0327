/* libFuzzer target: reading a write-ahead log (dbfile_wal_parse) and
 * kith's state row out of a page must never crash, read out of bounds or
 * leak, whatever the bytes.
 *
 * Random bytes almost never get past the header's checksum, so each input
 * is also turned into a log whose header and frames carry valid salts and
 * checksums for the pages the input supplies (the first byte picks the
 * page size, the second how many frames are sealed); the rest of the input
 * follows them unsealed. The parser must then find exactly the sealed
 * commits. */
#include "kith/store/dbfile.h"
#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SQLite's WAL checksum, big-endian words (magic 0x377f0683). */
static void sum(const unsigned char *p, size_t n, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        s[0] += get32(p + i) + s[1];
        s[1] += get32(p + i + 4) + s[0];
    }
}

static void parse(const unsigned char *buf, size_t n, size_t want_commits, int exact)
{
    struct dbfile_wal w;
    int ok = dbfile_wal_parse(buf, n, &w);
    if (ok != (w.commits > 0) || w.nstates > w.frames || w.commits > w.frames)
        abort();
    if (exact && w.commits != want_commits)
        abort();
    for (size_t i = 0; i < w.nstates; i++)
        if (w.states[i].pgno == 0)
            abort();
    dbfile_wal_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse(data, size, 0, 0);
    if (size >= 512) {
        struct dbfile_state st;
        dbfile_state_in_page(data, 512, &st);
    }
    if (size < 2)
        return 0;
    uint32_t psize = 512u << (data[0] % 4);
    size_t sealed = data[1] % 8, rest = size - 2;
    const uint8_t *in = data + 2;
    size_t cap = 32 + (sealed + 1) * (24 + psize) + rest;
    unsigned char *buf = kcalloc(1, cap);
    put32(buf, 0x377F0683);
    put32(buf + 4, 3007000);
    put32(buf + 8, psize);
    put32(buf + 16, 0x12345678);
    put32(buf + 20, 0x9ABCDEF0);
    uint32_t s[2] = {0, 0};
    sum(buf, 24, s);
    put32(buf + 24, s[0]);
    put32(buf + 28, s[1]);
    size_t off = 32, used = 0, commits = 0;
    for (size_t f = 0; f < sealed; f++) {
        unsigned char *fr = buf + off;
        size_t take = rest - used < psize ? rest - used : psize;
        memcpy(fr + 24, in + used, take);
        used += take;
        uint32_t pgno = 1 + (take ? fr[24] : 0);
        int commit = f + 1 == sealed || (take && (fr[25] & 1));
        put32(fr, pgno);
        put32(fr + 4, commit ? 100 : 0);
        memcpy(fr + 8, buf + 16, 8);
        sum(fr, 8, s);
        sum(fr + 24, psize, s);
        put32(fr + 16, s[0]);
        put32(fr + 20, s[1]);
        off += 24 + psize;
        commits += (size_t)commit;
    }
    memcpy(buf + off, in + used, rest - used);
    off += rest - used;
    /* Unsealed bytes after the sealed frames may, by chance, not be a
     * valid frame: the sealed commits are found, and no more unless the
     * trailing bytes happen to continue the checksums. */
    struct dbfile_wal w;
    dbfile_wal_parse(buf, off, &w);
    if (w.commits < commits)
        abort();
    dbfile_wal_free(&w);
    parse(buf, 32 + sealed * (24 + psize), commits, 1);
    free(buf);
    return 0;
}
