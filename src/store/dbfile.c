#include "kith/store/dbfile.h"

#include "db_internal.h"
#include "kith/store/db.h"
#include "kith/util/kfile.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* kith_state.v: magic, lineage, then seq, nonce and prev big-endian. */
static const unsigned char state_magic[8] = {0x00, 'k', 'i', 't', 'h', 's', 't', 0x01};

/* A WAL this large is not read whole: it is checked no further (SQLite
 * checkpoints every thousand pages, so a log is a few megabytes unless a
 * reader held every checkpoint off for a long time). */
#define WAL_CHECK_MAX ((size_t)256 << 20)

#define WAL_HEADER 32
#define WAL_FRAME  24

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static void random_bytes(void *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom((char *)out + got, n - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            sqlite3_randomness((int)(n - got), (char *)out + got);
            return;
        }
        got += (size_t)r;
    }
}

int dbfile_state_decode(const void *blob, size_t n, struct dbfile_state *out)
{
    const unsigned char *p = blob;
    if (!p || n != DBFILE_STATE_LEN || memcmp(p, state_magic, sizeof state_magic))
        return 0;
    memcpy(out->lineage, p + 8, 16);
    out->seq = be64(p + 24);
    out->nonce = be64(p + 32);
    out->prev = be64(p + 40);
    return 1;
}

void dbfile_state_next(const struct dbfile_state *s, unsigned char out[DBFILE_STATE_LEN])
{
    uint64_t nonce = 0;
    while (!nonce)
        random_bytes(&nonce, sizeof nonce);
    memcpy(out, state_magic, sizeof state_magic);
    if (s)
        memcpy(out + 8, s->lineage, 16);
    else
        random_bytes(out + 8, 16);
    put64(out + 24, s ? s->seq + 1 : 1);
    put64(out + 32, nonce);
    put64(out + 40, s ? s->nonce : 0);
}

int dbfile_state_in_page(const unsigned char *page, size_t size, struct dbfile_state *out)
{
    /* A table leaf (0x0D) with one cell: payload 51 bytes (varint 0x33),
     * rowid 1, a record header of 3 bytes naming NULL (the rowid alias id)
     * and a blob of 48 bytes (serial type 108). */
    static const unsigned char cell[] = {0x33, 0x01, 0x03, 0x00, 0x6C};
    if (size < 512 || page[0] != 0x0D || page[3] != 0 || page[4] != 1)
        return 0;
    size_t off = (size_t)page[8] << 8 | page[9];
    if (off < 10 || off + sizeof cell + DBFILE_STATE_LEN > size ||
        memcmp(page + off, cell, sizeof cell))
        return 0;
    return dbfile_state_decode(page + off + sizeof cell, DBFILE_STATE_LEN, out);
}

/* SQLite's WAL checksum over n bytes (a multiple of 8), continuing s. */
static void wal_sum(int big_endian, const unsigned char *p, size_t n, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint32_t x0, x1;
        if (big_endian) {
            x0 = be32(p + i);
            x1 = be32(p + i + 4);
        } else {
            x0 = (uint32_t)p[i + 3] << 24 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 1] << 8 |
                 p[i];
            x1 = (uint32_t)p[i + 7] << 24 | (uint32_t)p[i + 6] << 16 | (uint32_t)p[i + 5] << 8 |
                 p[i + 4];
        }
        s[0] += x0 + s[1];
        s[1] += x1 + s[0];
    }
}

void dbfile_wal_free(struct dbfile_wal *w)
{
    if (!w)
        return;
    free(w->states);
    memset(w, 0, sizeof *w);
}

int dbfile_wal_parse(const unsigned char *buf, size_t n, struct dbfile_wal *w)
{
    memset(w, 0, sizeof *w);
    if (n < WAL_HEADER)
        return 0;
    uint32_t magic = be32(buf), size = be32(buf + 8);
    if ((magic & 0xFFFFFFFE) != 0x377F0682 || be32(buf + 4) != 3007000 || size < 512 ||
        size > 65536 || (size & (size - 1)))
        return 0;
    int big = magic & 1;
    uint32_t s[2] = {0, 0};
    wal_sum(big, buf, 24, s);
    if (s[0] != be32(buf + 24) || s[1] != be32(buf + 28))
        return 0;
    /* Frames are valid while their salts match the header's and the
     * running checksum holds; only those up to the last commit count. */
    size_t cap = 0, kept = 0;
    for (size_t off = WAL_HEADER, i = 1; off + WAL_FRAME + size <= n;
         off += WAL_FRAME + size, i++) {
        const unsigned char *f = buf + off;
        if (be32(f) == 0 || memcmp(f + 8, buf + 16, 8))
            break;
        wal_sum(big, f, 8, s);
        wal_sum(big, f + WAL_FRAME, size, s);
        if (s[0] != be32(f + 16) || s[1] != be32(f + 20))
            break;
        struct dbfile_state st;
        if (dbfile_state_in_page(f + WAL_FRAME, size, &st)) {
            if (w->nstates == cap) {
                cap = cap ? 2 * cap : 8;
                w->states = kreallocarray(w->states, cap, sizeof *w->states);
            }
            w->states[w->nstates].pgno = be32(f);
            w->states[w->nstates].st = st;
            w->nstates++;
        }
        if (be32(f + 4)) {
            w->frames = i;
            w->commits++;
            kept = w->nstates;
        }
    }
    w->nstates = kept;
    w->page_size = size;
    if (!w->commits)
        dbfile_wal_free(w);
    return w->commits > 0;
}

int dbfile_open_immutable(const char *path, sqlite3 **h)
{
    struct sbuf uri = {0};
    sbuf_add(&uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (strchr("%?#", *p))
            sbuf_printf(&uri, "%%%02X", *p);
        else
            sbuf_addc(&uri, (char)*p);
    sbuf_add(&uri, "?immutable=1");
    int rc = sqlite3_open_v2(uri.s, h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    sbuf_free(&uri);
    return rc;
}

/* kith_state as the journal file alone holds it, through SQLite reading it
 * as immutable (the log ignored, nothing created, no lock taken, and no
 * lock of another connection of this process dropped). 1 when found, 0
 * when the file has none yet, -1 when it cannot be read. */
static int file_state(const char *path, uint32_t *page_size, struct dbfile_state *out)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (dbfile_open_immutable(path, &h) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "PRAGMA page_size", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *page_size = (uint32_t)sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    /* clang-format off */
    static const char state_sql[] =
        "SELECT v"
        " FROM kith_state"
        " WHERE id = 1";
    /* clang-format on */
    if (sqlite3_prepare_v2(h, state_sql, -1, &st, NULL) != SQLITE_OK) {
        /* A journal from before kith_state has none (any other failure
         * to read the schema is damage). */
        found = strstr(sqlite3_errmsg(h), "no such table") ? 0 : -1;
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        found = dbfile_state_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                    out);
    else if (s == SQLITE_DONE)
        found = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(h);
    return found;
}

enum verdict { WAL_OK, WAL_FOREIGN, WAL_PAGE_SIZE };

/* Whether the log at wal_path belongs to the journal at path, from one
 * look at both files. */
static enum verdict judge(const char *path, const char *wal_path)
{
    char *buf = NULL;
    size_t n = 0;
    struct dbfile_wal w;
    enum verdict v = WAL_OK;
    struct stat st;
    if (stat(wal_path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < WAL_HEADER ||
        (size_t)st.st_size > WAL_CHECK_MAX)
        return WAL_OK;
    if (kfile_read(wal_path, WAL_CHECK_MAX, KFILE_REGULAR, &buf, &n, NULL) != K_OK)
        return WAL_OK;
    int replays = dbfile_wal_parse((const unsigned char *)buf, n, &w);
    free(buf);
    if (!replays)
        goto out; /* nothing to replay */
    struct dbfile_state mine;
    uint32_t psize = 0;
    int have = file_state(path, &psize, &mine);
    if (have < 0)
        goto out; /* not readable as SQLite: opening it reports that */
    if (psize != w.page_size) {
        v = WAL_PAGE_SIZE;
        goto out;
    }
    if (!w.nstates)
        goto out; /* no commit of kith's to tie the log to */
    const struct dbfile_state *first = &w.states[0].st;
    if (!have) {
        /* The journal has no state yet only when the log made it. */
        v = first->prev == 0 ? WAL_OK : WAL_FOREIGN;
        goto out;
    }
    v = WAL_FOREIGN;
    if (memcmp(mine.lineage, first->lineage, 16))
        goto out;
    if (mine.nonce == first->prev && mine.seq + 1 == first->seq)
        v = WAL_OK;
    for (size_t i = 0; v != WAL_OK && i < w.nstates; i++)
        if (mine.nonce == w.states[i].st.nonce && mine.seq == w.states[i].st.seq)
            v = WAL_OK;
out:
    dbfile_wal_free(&w);
    return v;
}

int dbfile_wal_check(const char *path, struct kerr *e)
{
    struct sbuf wal = {0};
    sbuf_printf(&wal, "%s-wal", path);
    enum verdict v = WAL_OK;
    /* Another kith may checkpoint or restart the log between the two
     * reads: a mismatch is believed only when it holds on a second and a
     * third look. */
    for (int tries = 0; tries < 3; tries++) {
        if ((v = judge(path, wal.s)) == WAL_OK)
            break;
        struct timespec ts = {0, 50L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    int rc = K_OK;
    if (v != WAL_OK)
        rc = kerr_set(e, K_ERR,
                      "%s does not belong to the journal %s: %s. Opening them together would "
                      "damage the journal, so kith left both as they are.\n"
                      "To keep the journal as it is, move the log away:\n"
                      "  mv %s %s.old; mv %s-shm %s-shm.old\n"
                      "To get the log's changes back instead, put back the journal file it came "
                      "with.",
                      wal.s, path,
                      v == WAL_PAGE_SIZE ? "it is the log of a database with another page size"
                                         : "it holds changes to another copy of the journal",
                      wal.s, wal.s, path, path);
    sbuf_free(&wal);
    return rc;
}

int dbfile_in_use(const char *path)
{
    struct sbuf shm = {0};
    sbuf_printf(&shm, "%s-shm", path);
    int fd = open(shm.s, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    int used = 0;
    if (fd >= 0) {
        /* SQLite's unix VFS: every connection holds a read lock on byte 128
         * of PATH-shm (the "DMS" lock) for as long as it has the log open. */
        struct flock fl = {0};
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = 128;
        fl.l_len = 1;
        used = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
        close(fd);
    }
    sbuf_free(&shm);
    return used;
}

/* The first integer of a query on h, or -1 when it fails. */
static long long query_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* K_OK when h is an intact kith journal this kith can open; snapshot:
 * one to start a journal from, not a backup to restore. */
static int check_backup(sqlite3 *h, const char *backup, int snapshot, struct kerr *e)
{
    long long appid = query_int(h, "PRAGMA application_id");
    long long version = query_int(h, "PRAGMA user_version");
    /* clang-format off */
    long long tables = query_int(h,
        "SELECT count(*)"
        " FROM sqlite_schema");
    /* clang-format on */
    int code = sqlite3_extended_errcode(h) & 0xFF;
    /* An SQLite file that cannot be read as one: cut short or changed. */
    if ((appid < 0 || version < 0 || tables < 0) &&
        (appid == DB_APPLICATION_ID || code == SQLITE_CORRUPT))
        return kerr_set(e, K_ERR,
                        "%s is damaged: parts of it cannot be read (cut short?); nothing was "
                        "changed",
                        backup);
    if (appid < 0 || version < 0 || tables < 0)
        return kerr_set(e, K_ERR, "%s is not a kith journal (%s); nothing was changed", backup,
                        code == SQLITE_NOTADB ? "not an SQLite database" : "it cannot be read");
    if (appid != DB_APPLICATION_ID || version < 1 || tables == 0)
        return kerr_set(e, K_ERR, "%s is %s, not a kith journal; nothing was changed", backup,
                        appid == 0 && tables == 0 ? "an empty database"
                                                  : "another program's database");
    if (version > DB_SCHEMA_VERSION)
        return kerr_set(e, K_ERR,
                        "%s was written by a newer kith (journal version %lld, this kith knows up "
                        "to %d); upgrade kith to %s it; nothing was changed",
                        backup, version, DB_SCHEMA_VERSION,
                        snapshot ? "start a journal from" : "restore");
    /* Every page and index, not only the header: a backup is the last
     * resort and must not be damaged. */
    sqlite3_stmt *st = NULL;
    long long problems = 0;
    int s = SQLITE_ERROR;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check(100)", -1, &st, NULL) == SQLITE_OK)
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            problems += strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0;
    sqlite3_finalize(st);
    if (s != SQLITE_DONE || problems)
        return kerr_set(e, K_ERR, "%s is damaged: %s; nothing was changed%s", backup,
                        s != SQLITE_DONE ? "parts of it cannot be read"
                                         : "SQLite's integrity check found problems in it",
                        snapshot ? "" : ": restore an older backup");
    return K_OK;
}

int dbfile_check(const char *path, struct kerr *e)
{
    sqlite3 *h = NULL;
    int rc;
    if (dbfile_open_immutable(path, &h) != SQLITE_OK)
        rc = kerr_set(e, K_ERR, "cannot read %s: %s", path, db_sys_reason(h));
    else {
        sqlite3_extended_result_codes(h, 1);
        rc = check_backup(h, path, 1, e);
    }
    sqlite3_close(h);
    return rc;
}

/* Copies the open journal src into the new file at tmp. */
static int copy_into(sqlite3 *src, const char *tmp, const char *backup, struct kerr *e)
{
    sqlite3 *out = NULL;
    int rc = K_OK;
    if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(out, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                     NULL) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "cannot write the restored journal: %s", db_sys_reason(out));
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", src, "main");
    int s = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    sqlite3_backup_finish(b);
    if (s != SQLITE_DONE) {
        int sys = sqlite3_system_errno(out);
        rc = kerr_set(e, K_ERR, "cannot copy %s: %s; nothing was changed", backup,
                      (s & 0xFF) == SQLITE_FULL || sys == ENOSPC ? "the disk is full"
                      : sys                                      ? strerror(sys)
                                                                 : "it cannot be read");
    }
out:
    if (sqlite3_close(out) != SQLITE_OK && rc == K_OK)
        rc = kerr_set(e, K_ERR, "cannot write the restored journal");
    return rc;
}

/* A name beside path for the journal being replaced, not taken yet. */
static char *aside_name(const char *path)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int i = 1;; i++) {
        struct sbuf b = {0};
        struct stat st;
        sbuf_printf(&b, "%s.before-restore-%s", path, stamp);
        if (i > 1)
            sbuf_printf(&b, "-%d", i);
        if (lstat(b.s, &st) != 0)
            return sbuf_take(&b);
        sbuf_free(&b);
    }
}

/* Folds a healthy journal's log into it, so that the file moved aside is
 * whole by itself. A journal whose log does not belong, or that cannot be
 * opened, is moved as it is (its files keep their pairing). */
static void fold_log(const char *path)
{
    sqlite3 *h = NULL;
    if (dbfile_wal_check(path, NULL) == K_OK &&
        sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK)
        sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(h);
}

/* Moves path and its side files to aside (same suffixes); 0 on failure,
 * with what was moved moved back. */
static int move_aside(const char *path, const char *aside)
{
    static const char *const sfx[] = {"-wal", "-shm", "-journal", ""};
    int moved = 0, ok = 1;
    for (int i = 0; ok && i < 4; i++) {
        struct sbuf from = {0}, to = {0};
        sbuf_printf(&from, "%s%s", path, sfx[i]);
        sbuf_printf(&to, "%s%s", aside, sfx[i]);
        if (rename(from.s, to.s) == 0)
            moved |= 1 << i;
        else if (errno != ENOENT || i == 3)
            ok = 0;
        sbuf_free(&from);
        sbuf_free(&to);
    }
    for (int i = 3; !ok && i >= 0; i--) {
        if (!(moved & 1 << i))
            continue;
        struct sbuf from = {0}, to = {0};
        sbuf_printf(&from, "%s%s", aside, sfx[i]);
        sbuf_printf(&to, "%s%s", path, sfx[i]);
        (void)rename(from.s, to.s);
        sbuf_free(&from);
        sbuf_free(&to);
    }
    return ok;
}

static int restore(const char *path, const char *backup, char **aside, struct kerr *e);

int dbfile_restore(const char *journal, const char *backup, char **aside, struct kerr *e)
{
    char *path = kpath_real(journal);
    int rc = restore(path, backup, aside, e);
    free(path);
    return rc;
}

static int restore(const char *path, const char *backup, char **aside, struct kerr *e)
{
    sqlite3 *src = NULL;
    struct kfile_out o = {0};
    struct stat st;
    int rc = K_OK, exists = lstat(path, &st) == 0;
    *aside = NULL;
    if (stat(backup, &st) != 0)
        return kerr_set(e, errno == ENOENT ? K_NOTFOUND : K_ERR, "cannot read the backup %s: %s",
                        backup, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return kerr_set(e, K_ERR, "%s is not a file: name a backup of the journal", backup);
    if (exists && kfile_same(path, backup))
        return kerr_set(e, K_USAGE, "%s is the journal itself: name a backup of it", backup);
    /* Read as immutable, so that nothing is created beside the backup; a
     * backup with a log would need it, so it is folded in first. */
    struct sbuf wal = {0};
    sbuf_printf(&wal, "%s-wal", backup);
    int pending = stat(wal.s, &st) == 0 && st.st_size > 0;
    sbuf_free(&wal);
    if (pending)
        return kerr_set(e, K_ERR,
                        "%s has a write-ahead log beside it (%s-wal): open it once with 'kith "
                        "--db %s list' so that kith folds it in, then restore; nothing was changed",
                        backup, backup, backup);
    if (dbfile_open_immutable(backup, &src) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "cannot read the backup %s: %s", backup, db_sys_reason(src));
        goto out;
    }
    sqlite3_extended_result_codes(src, 1);
    if ((rc = check_backup(src, backup, 0, e)) != K_OK)
        goto out;
    if (exists && dbfile_in_use(path)) {
        rc = kerr_set(e, K_ERR,
                      "the journal %s is open in another kith (the full-screen journal?); close "
                      "it, then restore; nothing was changed",
                      path);
        goto out;
    }
    /* The journal is the target here, on purpose: nothing else to protect. */
    if ((rc = kfile_out_open(&o, path, KFILE_REPLACE, NULL, e)) != K_OK)
        goto out;
    if ((rc = copy_into(src, o.tmp, backup, e)) != K_OK)
        goto out;
    sqlite3_close(src);
    src = NULL;
    if (exists) {
        fold_log(path);
        *aside = aside_name(path);
        if (!move_aside(path, *aside)) {
            rc = kerr_set(e, K_ERR, "cannot move the journal %s aside: %s; nothing was changed",
                          path, strerror(errno));
            kstr_free(aside);
            goto out;
        }
    }
    if ((rc = kfile_out_commit(&o, e)) != K_OK && *aside && !move_aside(*aside, path)) {
        char *why = kstr_dup(e ? e->msg : "");
        rc = kerr_set(e, K_ERR, "%s; the previous journal is at %s", why, *aside);
        free(why);
    }
    if (rc != K_OK)
        kstr_free(aside);
out:
    if (o.f)
        kfile_out_abort(&o);
    sqlite3_close(src);
    return rc;
}
