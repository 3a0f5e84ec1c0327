#include "db_internal.h"

#include "kith/store/dbfile.h"
#include "kith/store/dbhistory.h"
#include "kith/store/dbreminder.h"
#include "kith/store/dbsync.h"
#include "kith/util/kdate.h"
#include "kith/util/kfile.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* The schema, one file a version in src/store/schema/ (compiled in by
 * src/store/store.cmake): v01.sql makes a new journal's version 1, and each
 * later file takes a journal from the version before it to its own. One
 * file a version because a released migration is history, never edited:
 * the next one is a new file, a line in store.cmake and one here. How a
 * file's text is run: run_version. */
extern const char kith_schema_v01[], kith_schema_v02[], kith_schema_v03[], kith_schema_v04[],
    kith_schema_v05[], kith_schema_v06[], kith_schema_v07[], kith_schema_v08[], kith_schema_v09[],
    kith_schema_v10[], kith_schema_v11[], kith_schema_v12[], kith_schema_v13[], kith_schema_v14[],
    kith_schema_v15[], kith_schema_v16[], kith_schema_v17[], kith_schema_v18[], kith_schema_v19[],
    kith_schema_v20[], kith_schema_latest[];

/* Forward-only migrations: migrations[i] takes a journal from version i + 1
 * to i + 2. Version 0 (an empty file) gets kith_schema_latest instead, the
 * newest version in one script (schema/latest.sql, which a test holds
 * equal to kith_schema_v01 and every migration); DB_MIGRATE_FROM_V1 in
 * db_open's flags makes it the long way, for that test. */
static const char *const migrations[] = {
    kith_schema_v02, kith_schema_v03, kith_schema_v04, kith_schema_v05, kith_schema_v06,
    kith_schema_v07, kith_schema_v08, kith_schema_v09, kith_schema_v10, kith_schema_v11,
    kith_schema_v12, kith_schema_v13, kith_schema_v14, kith_schema_v15, kith_schema_v16,
    kith_schema_v17, kith_schema_v18, kith_schema_v19, kith_schema_v20};

/* The statements that a version's file (or latest.sql) names by a line
 * "--@ NAME" and the store also runs at other times: an import drops the contact_fts and
 * contact_summary_ai triggers for its transaction and makes them again
 * (dbtransfer.c); dbsummary.c builds temporary copies of the summary. They
 * stay macros in db_internal.h, which both build them from, so that each
 * has one text; contact_fts_v1 is the first version of those triggers,
 * whose body the current one extends. */
static const struct {
    const char *name;
    const char *sql;
} shared_sql[] = {
    /* clang-format off */
    {"contact_fts_v1", DB_CONTACT_FTS_AI_V1 DB_CONTACT_FTS_AU_V1("")},
    {"contact_fts", DB_CONTACT_FTS_AI DB_CONTACT_FTS_AU("")},
    {"contact_summary",
     DB_SUMMARY_TABLE("contact_summary")
     DB_SUMMARY_FILL("contact_summary", "goodwill_weight")
     DB_SUMMARY_INDEXES("", "contact_summary")
     DB_SUMMARY_TRIGGERS},
    {"contact_summary_last_indexes", DB_SUMMARY_LAST_INDEXES("", "contact_summary")},
    {"contact_summary_name",
     DB_SUMMARY_NAME("", "contact_summary")
     DB_SUMMARY_GOODWILL_INDEX("", "contact_summary")},
    {"contact_summary_contact_triggers", DB_SUMMARY_CONTACT_AI DB_SUMMARY_CONTACT_AU},
    {"interaction_contact_fts_fill", DB_LINK_FTS_FILL},
    {"interaction_contact_fts",
     DB_LINK_FTS_TABLE
     DB_LINK_FTS_FILL
     DB_LINK_FTS_TRIGGERS
     "DROP TRIGGER interaction_contact_summary_ai;"
     "DROP TRIGGER interaction_contact_summary_au;"
     "DROP TRIGGER interaction_contact_summary_ad;"
     DB_SUMMARY_LINK_TRIGGERS},
    /* clang-format on */
};

sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct kerr *e)
{
    for (int i = 0; i < db->ncache; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            return db->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        db_fail(db, e, "preparing a query");
        return NULL;
    }
    if (db->ncache == db->acache) {
        db->acache = db->acache ? 2 * db->acache : 64;
        db->cache = krealloc(db->cache, (size_t)db->acache * sizeof *db->cache);
    }
    db->cache[db->ncache].sql = sql;
    db->cache[db->ncache].st = st;
    db->ncache++;
    return st;
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The slot of sql (its hash h) in the table, or the free slot for it. */
static struct db_built *built_slot(struct db_built *v, size_t n, const char *sql, uint64_t h)
{
    size_t i = (size_t)h & (n - 1);
    while (v[i].sql && (v[i].hash != h || strcmp(v[i].sql, sql)))
        i = (i + 1) & (n - 1);
    return &v[i];
}

sqlite3_stmt *db_stmt_built(struct db *db, const char *sql, struct kerr *e)
{
    uint64_t h = text_hash(sql);
    struct db_built *b = db->abuilt ? built_slot(db->built, db->abuilt, sql, h) : NULL;
    if (b && b->sql) {
        sqlite3_reset(b->st);
        sqlite3_clear_bindings(b->st);
        return b->st;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        if (e)
            db_fail(db, e, "preparing a query");
        return NULL;
    }
    if (2 * (db->nbuilt + 1) > db->abuilt) {
        size_t n = db->abuilt ? 2 * db->abuilt : 64;
        struct db_built *v = kcalloc(n, sizeof *v);
        for (size_t i = 0; i < db->abuilt; i++)
            if (db->built[i].sql)
                *built_slot(v, n, db->built[i].sql, db->built[i].hash) = db->built[i];
        free(db->built);
        db->built = v;
        db->abuilt = n;
    }
    b = built_slot(db->built, db->abuilt, sql, h);
    b->sql = kstr_dup(sql);
    b->hash = h;
    b->st = st;
    db->nbuilt++;
    return st;
}

const char *db_sys_reason(sqlite3 *h)
{
    int sys = h ? sqlite3_system_errno(h) : 0;
    if (!h)
        return "out of memory";
    return sys ? strerror(sys) : "SQLite could not use it";
}

/* What a constraint failure means to the user (its kind is in the
 * extended code). */
static const char *constraint_words(int xcode)
{
    switch (xcode) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return "it would duplicate something already in the journal";
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return "it refers to something that is not in the journal (deleted meanwhile?)";
    case SQLITE_CONSTRAINT_NOTNULL:
        return "a required value is missing";
    case SQLITE_CONSTRAINT_CHECK:
        return "a value is outside what the journal allows";
    default:
        return "it breaks a rule of the journal";
    }
}

/* SQLite's own words never reach the user: each kind of failure is said in
 * words about the journal, with what to do. The message is only read here,
 * to tell apart errors that share a code. */
int db_fail(struct db *db, struct kerr *e, const char *doing)
{
    int xcode = sqlite3_extended_errcode(db->h), code = xcode & 0xFF;
    const char *msg = sqlite3_errmsg(db->h);
    /* An I/O error's errno says more than SQLite's "disk I/O error". */
    int sys = code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL
                  ? sqlite3_system_errno(db->h)
                  : 0;
    static const char restore[] =
        "restore the last good backup with 'kith restore BACKUP' ('kith export json' may "
        "still save what can be read)";
    if (code == SQLITE_READONLY || sys == EROFS)
        return kerr_set(e, K_ERR, "%s: the journal %s is read-only", doing, db->name);
    if (code == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
        return kerr_set(e, K_ERR, "%s: the disk is full; nothing was written", doing);
    if (sys == EACCES || sys == EPERM)
        return kerr_set(e, K_ERR, "%s: no permission to use %s or its directory", doing, db->name);
    if (code == SQLITE_INTERRUPT)
        return kerr_set(e, K_INTERRUPTED, "%s: interrupted", doing);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_PROTOCOL)
        return kerr_set(e, K_ERR, "%s: the journal is busy in another kith; try again", doing);
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB || (msg && strstr(msg, "malformed")))
        return kerr_set(e, K_ERR, "%s: the journal %s is damaged (SQLite found a broken page); %s",
                        doing, db->name, restore);
    if (code == SQLITE_ERROR && msg && strstr(msg, "vtable constructor failed"))
        return kerr_set(e, K_ERR, "%s: the journal %s is damaged (its search index is broken); %s",
                        doing, db->name, restore);
    if (code == SQLITE_ERROR && msg &&
        (strstr(msg, "no such table") || strstr(msg, "no such column")))
        return kerr_set(e, K_ERR,
                        "%s: the journal %s is damaged (a table kith needs is missing or "
                        "changed); %s",
                        doing, db->name, restore);
    if (code == SQLITE_IOERR)
        return kerr_set(e, K_ERR,
                        "%s: the disk could not read or write %s (%s); nothing was written. "
                        "Check the disk and try again; if it keeps failing, %s",
                        doing, db->name, strerror(sys ? sys : EIO), restore);
    if (code == SQLITE_CANTOPEN)
        return kerr_set(e, K_ERR,
                        "%s: cannot open %s or the files SQLite keeps beside it (%s-wal, "
                        "%s-shm)%s%s",
                        doing, db->name, db->name, db->name, sys ? ": " : "",
                        sys ? strerror(sys) : "");
    if (code == SQLITE_CONSTRAINT)
        return kerr_set(e, K_ERR, "%s: not done: %s", doing, constraint_words(xcode));
    if (code == SQLITE_NOMEM)
        return kerr_set(e, K_ERR, "%s: out of memory", doing);
    if (code == SQLITE_TOOBIG)
        return kerr_set(e, K_ERR, "%s: a value is too large for the journal", doing);
    if (code == SQLITE_MISMATCH)
        return kerr_set(e, K_ERR, "%s: a value of the wrong kind", doing);
    return kerr_set(e, K_ERR, "%s: failed (SQLite error %d); if it keeps failing, %s", doing, xcode,
                    restore);
}

int db_step_done(struct db *db, sqlite3_stmt *st, struct kerr *e)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return db_fail(db, e, "writing to the journal");
    }
    sqlite3_reset(st);
    return K_OK;
}

int db_each(struct db *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ud), void *ud,
            const char *doing, struct kerr *e)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (row(st, ud))
            break;
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, doing);
    return K_OK;
}

int db_run_text(struct db *db, const char *sql, const char *arg, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, arg);
    return db_step_done(db, st, e);
}

int db_param(sqlite3_stmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st, name);
    assert(i > 0);
    return i;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void db_bind_text_static(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void db_bind_date(sqlite3_stmt *st, int i, int day)
{
    if (day == KDATE_NONE) {
        sqlite3_bind_null(st, i);
    } else {
        char buf[KDATE_BUF];
        sqlite3_bind_text(st, i, kdate_format(day, buf), -1, SQLITE_TRANSIENT);
    }
}

char *db_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? kstr_dup((const char *)t) : NULL;
}

int db_col_date(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    int d;
    if (!t || kdate_parse_iso((const char *)t, &d, NULL) != K_OK)
        return KDATE_NONE;
    return d;
}

void db_col_id(sqlite3_stmt *st, int i, char out[KID_LEN + 1])
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n > KID_LEN)
        n = KID_LEN;
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
}

void db_new_id(char out[KID_LEN + 1])
{
    unsigned char raw[KID_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            sqlite3_randomness((int)(sizeof raw - got), raw + got);
            break;
        }
        got += (size_t)n;
    }
    /* Not snprintf: sixteen calls per id were 4% of an import. */
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[KID_LEN] = '\0';
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, KID_LEN);
}

/* Batches double from 64 up to this many ids (2 MB): a small import does
 * not pay for ids it never uses, and 100k cards go in a few sweeps. With
 * random ids, 100k rich vCards took 3.2 s; in sorted batches of 16k, 2.7 s
 * for the same instruction count (fewer cache misses). */
#define IDS_BATCH_MAX 65536

void db_ids_expect(struct db_ids *ids, size_t n)
{
    ids->expect = n;
}

void db_ids_next(struct db_ids *ids, char out[KID_LEN + 1])
{
    if (ids->next == ids->n) {
        size_t n = ids->n ? ids->n * 2 : ids->expect > 64 ? ids->expect : 64;
        if (n > IDS_BATCH_MAX)
            n = IDS_BATCH_MAX;
        if (n != ids->n)
            ids->v = krealloc(ids->v, n * sizeof *ids->v);
        for (size_t i = 0; i < n; i++)
            db_new_id(ids->v[i]);
        qsort(ids->v, n, sizeof *ids->v, cmp_id);
        ids->n = n;
        ids->next = 0;
    }
    memcpy(out, ids->v[ids->next++], KID_LEN + 1);
}

void db_ids_free(struct db_ids *ids)
{
    free(ids->v);
    ids->v = NULL;
    ids->n = ids->next = 0;
}

static int exec(struct db *db, const char *sql, struct kerr *e, const char *doing)
{
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, doing);
    return K_OK;
}

/* Runs what sql holds so far and empties it. */
static int exec_joined(struct db *db, struct sbuf *sql, struct kerr *e, const char *doing)
{
    int rc = sql->len ? exec(db, sql->s, e, doing) : K_OK;
    sql->len = 0;
    return rc;
}

/* Runs one version's SQL (a file of src/store/schema/, or a literal). A line
 * that starts with "--" is a comment, and "--@ NAME" runs shared_sql's NAME
 * in its place. The other lines are joined without their line breaks: a
 * statement is laid out over lines for reading, yet its text, which
 * sqlite_schema keeps and `.schema` shows, is the one line that every
 * journal made so far has (a continuation line starts with the space that
 * separates it). */
static int run_version(struct db *db, const char *text, struct kerr *e, const char *doing)
{
    struct sbuf sql = {0};
    int rc = K_OK;
    for (const char *p = text; rc == K_OK && *p;) {
        size_t n = strcspn(p, "\n");
        if (!strncmp(p, "--@ ", 4)) {
            size_t i = 0, len = n - 4;
            while (i < sizeof shared_sql / sizeof shared_sql[0] &&
                   (strlen(shared_sql[i].name) != len || strncmp(shared_sql[i].name, p + 4, len)))
                i++;
            if (i == sizeof shared_sql / sizeof shared_sql[0])
                rc = kerr_set(e, K_ERR, "%s: internal error: no statements named %.*s", doing,
                              (int)len, p + 4);
            if (rc == K_OK)
                rc = exec_joined(db, &sql, e, doing);
            if (rc == K_OK)
                rc = exec(db, shared_sql[i].sql, e, doing);
        } else if (strncmp(p, "--", 2)) {
            sbuf_addn(&sql, p, n);
        }
        p += n + (p[n] == '\n');
    }
    if (rc == K_OK)
        rc = exec_joined(db, &sql, e, doing);
    sbuf_free(&sql);
    return rc;
}

static int pragma_int(struct db *db, const char *sql, int *out, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    int rc = K_OK;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "reading the journal");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
    } else if (s == SQLITE_DONE) {
        *out = 0;
    } else {
        rc = db_fail(db, e, "reading the journal");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Creates the file with mode 0600 (and its directory with 0700) so that
 * SQLite never creates it with the umask's looser mode. */
/* *made is 1 when this call made the file, 0 when another process did so
 * in the meantime: only a file this process made is ever removed. */
static int create_file(const char *path, int *made, struct kerr *e)
{
    char *dir = kpath_dirname(path);
    int rc = kpath_mkdirs(dir, 0700, e);
    free(dir);
    *made = 0;
    if (rc != K_OK)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return kerr_set(e, K_ERR, "cannot create the journal %s: %s", path, strerror(errno));
    if (fd >= 0) {
        close(fd);
        *made = 1;
    }
    return K_OK;
}

/* A consistent copy of src at dest through SQLite's backup API, written by
 * kfile: never over journal (the journal being copied, or NULL), never over
 * anything but a regular file, an existing one only with force, and dest is
 * replaced only once the copy is complete and on disk. */
static int backup_to(sqlite3 *src, const char *journal, const char *dest, int force,
                     const char *then, struct kerr *e)
{
    struct kfile_out o;
    sqlite3 *out = NULL;
    /* Into a shared folder (then: a snapshot), never through a link a
     * sync tool or another user put there. */
    unsigned flags = force ? KFILE_REPLACE : 0;
    if (then)
        flags |= KFILE_NOFOLLOW;
    int rc = kfile_out_open(&o, dest, flags, journal, e);
    if (rc != K_OK)
        return rc;
    /* The copy goes into a new file that only becomes dest once complete:
     * it needs no rollback journal of its own, and kfile syncs it. */
    if (sqlite3_open_v2(o.tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(out, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                     NULL) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "cannot write the backup %s: %s", dest, db_sys_reason(out));
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", src, "main");
    if (!b) {
        rc = kerr_set(e, K_ERR, "cannot back up to %s: %s", dest, db_sys_reason(out));
        goto out;
    }
    int s;
    do {
        s = sqlite3_backup_step(b, 1024);
        if (s == SQLITE_BUSY || s == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (s == SQLITE_OK || s == SQLITE_BUSY || s == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    /* What the copy is not to carry, before it becomes dest. */
    /* The copy took the journal's WAL mode with its pages: out of it first,
     * or the work would leave -wal and -shm beside dest's temporary name
     * (in a shared folder) on a kill. */
    if (s == SQLITE_DONE && then &&
        sqlite3_exec(out, "PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF", NULL, NULL,
                     NULL) != SQLITE_OK)
        s = sqlite3_extended_errcode(out);
    if (s == SQLITE_DONE && then && sqlite3_exec(out, then, NULL, NULL, NULL) != SQLITE_OK)
        s = sqlite3_extended_errcode(out);
    if (s != SQLITE_DONE) {
        int sys = sqlite3_system_errno(out);
        rc = kerr_set(e, K_ERR, "backup to %s failed: %s; %s", dest,
                      (s & 0xFF) == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT
                          ? "the disk is full"
                      : sys ? strerror(sys)
                            : "the journal could not be read",
                      force ? "any file there is unchanged" : "nothing was written");
    }
out:
    if (sqlite3_close(out) != SQLITE_OK && rc == K_OK)
        rc = kerr_set(e, K_ERR, "cannot write the backup %s", dest);
    if (rc == K_OK)
        return kfile_out_commit(&o, e);
    kfile_out_abort(&o);
    return rc;
}

/* K_OK when no row refers to a row that is not there. */
static int foreign_keys_hold(struct db *db, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    int rc = K_OK;
    if (sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "upgrading the journal");
        goto out;
    }
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = kerr_set(e, K_ERR, "upgrading the journal: a row of %s refers to a missing %s",
                      (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 2));
    else if (s != SQLITE_DONE)
        rc = db_fail(db, e, "upgrading the journal");
out:
    sqlite3_finalize(st);
    return rc;
}

static int migrate(struct db *db, int version, int from_v1, struct kerr *e)
{
    int rc = K_OK, fk_off = 0;
    if (version > 0) {
        char bak[4096];
        snprintf(bak, sizeof bak, "%s.bak-v%d", db->path, version);
        if ((rc = backup_to(db->h, db->path, bak, 1, NULL, e)) != K_OK)
            goto out;
    }
    /* Rebuilding a table drops it, which with foreign keys on would first
     * delete every row that refers to it. They are checked before the
     * commit instead. The pragma cannot change inside a transaction. */
    fk_off = 1;
    if ((rc = exec(db, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE", e, "upgrading the journal")) !=
        K_OK)
        goto out;
    /* Another kith may have upgraded the file while this one waited for
     * the lock: start from what the file says now. */
    if ((rc = pragma_int(db, "PRAGMA user_version", &version, e)) != K_OK)
        goto out;
    int from = version;
    if (version == 0 && !from_v1) {
        rc = run_version(db, kith_schema_latest, e, "creating the journal");
        version = DB_SCHEMA_VERSION;
    } else if (version == 0) {
        rc = run_version(db, kith_schema_v01, e, "creating the journal");
        version = 1;
    }
    for (; rc == K_OK && version < DB_SCHEMA_VERSION; version++)
        rc = run_version(db, migrations[version - 1], e, "upgrading the journal");
    /* A new journal has no rows to check. */
    if (rc == K_OK && from > 0 && from < DB_SCHEMA_VERSION)
        rc = foreign_keys_hold(db, e);
    if (rc == K_OK) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 DB_APPLICATION_ID, DB_SCHEMA_VERSION);
        rc = exec(db, sql, e, "upgrading the journal");
    }
    if (rc == K_OK)
        rc = exec(db, "COMMIT", e, "upgrading the journal");
out:
    if (rc != K_OK && !sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    if (fk_off)
        sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

/* Registers kith_fold() so SQL can compare names the way C folds them. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    if (!t) {
        sqlite3_result_null(ctx);
        return;
    }
    char *f = kstr_fold_key((const char *)t);
    sqlite3_result_text(ctx, f, -1, free);
}

/* kith_casefold(): kstr_fold, the key of a tag. */
static void sql_casefold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    if (!t) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text(ctx, kstr_fold((const char *)t), -1, free);
}

/* kith_phone_key(): the last nine digits of a number, for finding the same
 * number written two ways (+1 555 010 2030, (555) 010-2030); NULL for
 * fewer than seven digits (extensions, *123#). */
static void sql_phone_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    char d[64];
    size_t n = 0;
    for (; t && *t && n < sizeof d - 1; t++)
        if (*t >= '0' && *t <= '9')
            d[n++] = (char)*t;
    if (n < 7) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t from = n > 9 ? n - 9 : 0;
    sqlite3_result_text(ctx, d + from, (int)(n - from), SQLITE_TRANSIENT);
}

/* kith_name_word(name, last): the last word of a name (last = 1) or the
 * first, to group names for comparing. */
static void sql_name_word(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    int last = sqlite3_value_int(argv[1]);
    if (!t) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ')
        n--;
    const char *s = t + strspn(t, " ");
    const char *end = t + n;
    if (s >= end) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    const char *w = s, *we = end;
    if (last) {
        w = end;
        while (w > s && w[-1] != ' ')
            w--;
    } else {
        we = s;
        while (we < end && *we != ' ')
            we++;
    }
    sqlite3_result_text(ctx, w, (int)(we - w), SQLITE_TRANSIENT);
}

/* kith_lines(text): the lines of a column that keeps a list one item a
 * line (a contact's needs and offers), as a JSON array of strings; [] for
 * NULL. */
static void sql_lines(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    struct sbuf b = {0};
    sbuf_addc(&b, '[');
    for (const char *p = t; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        sbuf_add(&b, b.len > 1 ? ",\"" : "\"");
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c == '"' || c == '\\')
                sbuf_printf(&b, "\\%c", c);
            else if (c < 0x20 || c == 0x7F)
                sbuf_printf(&b, "\\u%04x", c);
            else
                sbuf_addc(&b, (char)c);
        }
        sbuf_addc(&b, '"');
        p = nl ? nl + 1 : p + n;
    }
    sbuf_addc(&b, ']');
    sqlite3_result_text(ctx, b.s, (int)b.len, free);
}

/* "PATH-wal" or "PATH-shm" into buf. */
static const char *side_file(const char *path, const char *suffix, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", path, suffix);
    return buf;
}

/* Removes a journal and its side files. */
static void remove_files(const char *path)
{
    char side[4096];
    unlink(side_file(path, "-wal", side, sizeof side));
    unlink(side_file(path, "-shm", side, sizeof side));
    unlink(path);
}

/* Whether PATH-wal holds changes not yet in the journal itself. */
static int wal_pending(const char *path)
{
    char wal[4096];
    struct stat st;
    return stat(side_file(path, "-wal", wal, sizeof wal), &st) == 0 && st.st_size > 0;
}

/* A WAL journal that cannot be written (read-only media, or a file and
 * directory this user may only read) cannot be read either while nobody has
 * it open, because SQLite cannot create its shared-memory file. With no
 * write-ahead log pending nothing can change it, so it is opened as
 * immutable. */
static int open_immutable(struct db *db, struct kerr *e)
{
    char uri[3 * 4096 + 32];
    size_t n = (size_t)snprintf(uri, sizeof uri, "file:");
    for (const unsigned char *p = (const unsigned char *)db->path; *p && n + 4 < sizeof uri; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            uri[n++] = (char)*p;
        else
            n += (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X", *p);
    }
    snprintf(uri + n, sizeof uri - n, "?immutable=1");
    sqlite3_close(db->h);
    db->h = NULL;
    if (sqlite3_open_v2(uri, &db->h,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return kerr_set(e, K_ERR, "cannot open the journal %s: %s", db->name, db_sys_reason(db->h));
    sqlite3_extended_result_codes(db->h, 1);
    return K_OK;
}

int db_weight_of(const struct db *db, const char *kind, size_t len, const char *dir)
{
    int d = dir && dir[0] == 'g' ? 0 : dir && dir[0] == 'a' ? 1 : 2;
    for (size_t i = 0; kind && i < db->wn; i++)
        if (db->wv[i].len == len && !memcmp(kind, db->wv[i].kind, len))
            return db->wv[i].w[d];
    return db->wany[d];
}

/* kith_goodwill(kind, direction): the sum of the rows' weights. Values are
 * read as blobs: text would be copied to add its NUL, once per row. */
static void sql_goodwill_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const struct db *db = sqlite3_user_data(ctx);
    sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, sizeof *sum);
    const char *kind = sqlite3_value_blob(argv[0]);
    const char *dir = sqlite3_value_blob(argv[1]);
    (void)argc;
    if (sum && kind && dir)
        *sum += db_weight_of(db, kind, (size_t)sqlite3_value_bytes(argv[0]), dir);
}

static void sql_goodwill_final(sqlite3_context *ctx)
{
    sqlite3_int64 *sum = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, sum ? *sum : 0);
}

int db_open(const char *path, int flags, struct db **out, struct kerr *e)
{
    return db_open_notice(path, flags, NULL, NULL, out, e);
}

/* Finds (or with DB_CREATE makes) the journal's file: db->path becomes its
 * real name, symlinks in the directories and the file itself followed, so
 * that SQLite (which refuses symlinks, and names the log after the path it
 * is given) always sees one name for one journal. */
static int find_file(struct db *db, int flags, int *created, struct kerr *e)
{
    struct stat st;
    *created = 0;
    if (lstat(db->path, &st) == 0 && S_ISLNK(st.st_mode) && stat(db->path, &st) != 0)
        return kerr_set(e, K_ERR, "%s is a symbolic link to a file that does not exist", db->name);
    if (stat(db->path, &st) != 0) {
        if (!(flags & DB_CREATE))
            return kerr_set(e, K_NOTFOUND, "no journal at %s", db->name);
        int rc = create_file(db->path, created, e);
        if (rc != K_OK)
            return rc;
        char *real = kpath_real(db->path);
        free(db->path);
        db->path = real;
        if (stat(db->path, &st) != 0)
            return kerr_set(e, K_ERR, "cannot create the journal %s: %s", db->name,
                            strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return kerr_set(e, K_ERR, "%s is not a journal file", db->name);
    static const char *const sfx[] = {"-wal", "-shm", "-journal"};
    for (int i = 0; i < 3; i++) {
        char side[4096];
        side_file(db->path, sfx[i], side, sizeof side);
        if (lstat(side, &st) == 0 && !S_ISREG(st.st_mode))
            return kerr_set(e, K_ERR,
                            "%s is not a file but SQLite keeps the journal's %s there; move it "
                            "away and try again",
                            side,
                            i == 0   ? "write-ahead log"
                            : i == 1 ? "index"
                                     : "rollback journal");
    }
    return K_OK;
}

/* SQLite makes PATH-shm with the journal's mode of the moment: after
 * `chmod 400 J; kith list; chmod 600 J` it stays 0400 and every later
 * write fails as read-only. When this user may write the journal and owns
 * a side file they may not write, the side file gets the journal's mode
 * again. */
static void mend_side_modes(const char *path)
{
    struct stat js, ss;
    if (access(path, W_OK) != 0 || stat(path, &js) != 0)
        return;
    static const char *const sfx[] = {"-shm", "-wal"};
    for (int i = 0; i < 2; i++) {
        char side[4096];
        side_file(path, sfx[i], side, sizeof side);
        if (lstat(side, &ss) == 0 && S_ISREG(ss.st_mode) && ss.st_uid == geteuid() &&
            access(side, W_OK) != 0)
            (void)chmod(side, (js.st_mode & 0666) | S_IRUSR | S_IWUSR);
    }
}

/* Why a journal that was opened for writing can only be read, from the
 * error that stopped the first read (SQLite's extended code and errno);
 * NULL when that error is not about writing. */
static const char *cannot_write_reason(int code, int sys)
{
    if (sys == ENOSPC || sys == EDQUOT || (code & 0xFF) == SQLITE_FULL)
        return "the disk is full";
    if (sys == EROFS)
        return "it is on a read-only file system";
    if (sys == EACCES || sys == EPERM || code == SQLITE_READONLY_DIRECTORY ||
        code == SQLITE_READONLY_CANTINIT)
        return "its directory is not writable, and SQLite keeps its log and index beside it";
    if ((code & 0xFF) == SQLITE_READONLY || (code & 0xFF) == SQLITE_IOERR)
        return "SQLite cannot make its log and index beside it";
    return NULL;
}

/* Opens the SQLite connection and reads the journal's identity. A journal
 * SQLite cannot prepare for writing (read-only media, a directory this user
 * may not write, a full disk: no room for PATH-shm) is read as immutable
 * when no log is pending, and db->ro_reason says why writes cannot be. */
static int connect_and_identify(struct db *db, int flags, int *appid, int *version, int *tables,
                                struct kerr *e)
{
    int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    /* NOMUTEX: one thread uses a connection (a key interrupts through the
     * progress handler, on that thread), and the lock SQLite otherwise
     * takes in every call was a twentieth of reading 36k reminders. */
    if (sqlite3_open_v2(db->path, &db->h, oflags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        int sys = db->h ? sqlite3_system_errno(db->h) : 0;
        return kerr_set(e, K_ERR, "cannot open the journal %s: %s", db->name,
                        sys     ? strerror(sys)
                        : db->h ? "SQLite cannot open it"
                                : "out of memory");
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    db->readonly = (flags & DB_READONLY) || sqlite3_db_readonly(db->h, "main") == 1;

    /* Identify the file before anything that could write to it. */
    struct kerr tmp;
    int prc = pragma_int(db, "PRAGMA application_id", appid, &tmp);
    int xcode = sqlite3_extended_errcode(db->h), code = xcode & 0xFF;
    int sys = sqlite3_system_errno(db->h);
    if (prc != K_OK && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
                        code == SQLITE_IOERR || code == SQLITE_FULL)) {
        const char *why = db->readonly ? NULL : cannot_write_reason(xcode, sys);
        if (!db->readonly && !why)
            goto failed;
        if (wal_pending(db->path))
            return kerr_set(e, K_ERR,
                            "%s cannot be written (%s) and its write-ahead log %s-wal holds "
                            "changes not yet in it; open it once where it can be written",
                            db->name, why ? why : "it is read-only", db->name);
        int rc = open_immutable(db, e);
        if (rc != K_OK)
            return rc;
        db->readonly = 1;
        free(db->ro_reason);
        db->ro_reason = why ? kstr_dup(why) : NULL;
        prc = pragma_int(db, "PRAGMA application_id", appid, &tmp);
    }
failed:
    if (prc != K_OK) {
        if ((sqlite3_extended_errcode(db->h) & 0xFF) == SQLITE_NOTADB)
            return kerr_set(e, K_ERR, "%s is not a kith journal (not an SQLite database)",
                            db->name);
        return kerr_set(e, K_ERR, "cannot read %s: %s", db->name, tmp.msg);
    }
    int rc = pragma_int(db, "PRAGMA user_version", version, e);
    /* clang-format off */
    if (rc == K_OK)
        rc = pragma_int(db,
            "SELECT count(*)"
            " FROM sqlite_schema",
            tables, e);
    /* clang-format on */
    return rc;
}

/* Refuses what kith must not open; K_OK for a kith journal it can use. */
static int check_identity(struct db *db, int appid, int version, int tables, struct kerr *e)
{
    if (appid != DB_APPLICATION_ID && (appid != 0 || version != 0 || tables != 0))
        return kerr_set(e, K_ERR, "%s is an SQLite database but not a kith journal; left untouched",
                        db->name);
    if (version > DB_SCHEMA_VERSION)
        return kerr_set(e, K_ERR,
                        "%s was written by a newer kith (journal version %d, this kith knows up "
                        "to %d); upgrade kith to open it",
                        db->name, version, DB_SCHEMA_VERSION);
    if (version < DB_SCHEMA_VERSION && db->readonly)
        return kerr_set(e, K_ERR, "%s is read-only and needs an upgrade (or is empty)", db->name);
    return K_OK;
}

/* kith_state_next(v): the state after v, or a new journal's first. */
static void sql_state_next(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct dbfile_state st;
    unsigned char out[DBFILE_STATE_LEN];
    int have =
        dbfile_state_decode(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]), &st);
    dbfile_state_next(have ? &st : NULL, out);
    sqlite3_result_blob(ctx, out, sizeof out, SQLITE_TRANSIENT);
}

/* kith_fts_body(title, location, how_met, note, working_on, needs,
 * offers): the body column of contact_fts, as DB_CONTACT_FTS_BODY makes
 * it (each value or '' for NULL, a space between), in one piece: the
 * expression's thirteen concatenations, each a new copy, were a sixth of
 * a bulk import's full-text catch-up (39 M instructions for 10k cards). */
static void sql_fts_body(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *t[7];
    size_t n[7], len = 0;
    for (int i = 0; i < argc && i < 7; i++) {
        t[i] = sqlite3_value_text(argv[i]);
        n[i] = t[i] ? (size_t)sqlite3_value_bytes(argv[i]) : 0;
        len += n[i] + (i > 0);
    }
    char *out = sqlite3_malloc64(len + 1), *o = out;
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    for (int i = 0; i < argc && i < 7; i++) {
        if (i)
            *o++ = ' ';
        if (n[i])
            memcpy(o, t[i], n[i]);
        o += n[i];
    }
    *o = '\0';
    sqlite3_result_text64(ctx, out, len, sqlite3_free, SQLITE_UTF8);
}

/* The SQL functions of kith's statements, triggers and checks. */
static void register_functions(struct db *db)
{
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *ctx, int argc, sqlite3_value **argv);
    } pure[] = {{"kith_fold", 1, sql_fold},           {"kith_casefold", 1, sql_casefold},
                {"kith_phone_key", 1, sql_phone_key}, {"kith_lines", 1, sql_lines},
                {"kith_name_word", 2, sql_name_word}, {"kith_fts_body", 7, sql_fts_body}};
    for (size_t i = 0; i < sizeof pure / sizeof pure[0]; i++)
        sqlite3_create_function(db->h, pure[i].name, pure[i].nargs,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                pure[i].fn, NULL, NULL);
    sqlite3_create_function(db->h, "kith_goodwill", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, db, NULL,
                            sql_goodwill_step, sql_goodwill_final);
    sqlite3_create_function(db->h, "kith_state_next", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                            sql_state_next, NULL, NULL);
}

int db_open_notice(const char *path, int flags, db_notice_fn notice, void *ud, struct db **out,
                   struct kerr *e)
{
    struct db *db = kcalloc(1, sizeof *db);
    int rc, created = 0, appid = 0, version = 0, tables = 0;
    *out = NULL;
    db->name = kstr_dup(path);
    db->path = kpath_real(path);
    if ((rc = find_file(db, flags, &created, e)) != K_OK)
        goto out;
    mend_side_modes(db->path);
    if ((rc = dbfile_wal_check(db->path, e)) != K_OK)
        goto out;
    /* SQLite counts every allocation under a global mutex for
     * sqlite3_memory_used, which kith never reads: a twentieth of an
     * import. Only possible before SQLite initializes (the first open);
     * later calls fail harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if ((rc = connect_and_identify(db, flags, &appid, &version, &tables, e)) != K_OK ||
        (rc = check_identity(db, appid, version, tables, e)) != K_OK)
        goto out;
    if (!db->readonly) {
        rc = exec(db, "PRAGMA journal_mode = WAL", e, "opening the journal");
        if (rc != K_OK)
            goto out;
    }
    /* SQLite's default 2 MB page cache: the big reads (a reminder
     * evaluation, list --json) stream over the journal once, so a larger
     * cache only grows the TUI's memory (16 MB cost 14 MB of resident set
     * and no time). */
    rc = exec(db,
              "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
              "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -2000",
              e, "opening the journal");
    if (rc != K_OK)
        goto out;
    register_functions(db);
    if (version < DB_SCHEMA_VERSION && version > 0 && notice) {
        char msg[4352];
        snprintf(msg, sizeof msg,
                 "upgrading the journal %s from version %d to %d; the old one is kept as "
                 "%s.bak-v%d (a large journal takes a while)",
                 db->name, version, DB_SCHEMA_VERSION, db->path, version);
        notice(msg, ud);
    }
    if (version < DB_SCHEMA_VERSION &&
        (rc = migrate(db, version, (flags & DB_MIGRATE_FROM_V1) != 0, e)) != K_OK)
        goto out;
    /* The weights of a journal new from schema/v08.sql. */
    static const struct db_weight defaults[] = {
        {"*", 1, -1, 0}, {"intro", 3, -3, 0}, {"referral", 3, -3, 0}};
    rc = db_set_weights(db, defaults, 3, e);
out:
    if (rc != K_OK) {
        char *made = created ? kstr_dup(db->path) : NULL;
        db_close(&db);
        /* A journal this call created and could not set up is removed, so a
         * failed first write (a full disk) leaves nothing behind. */
        if (made)
            remove_files(made);
        free(made);
        return rc;
    }
    db->created = created;
    *out = db;
    return K_OK;
}

int db_created(const struct db *db)
{
    return db->created;
}

void db_discard(struct db **pdb)
{
    if (!pdb || !*pdb)
        return;
    char *path = (*pdb)->created ? kstr_dup((*pdb)->path) : NULL;
    db_close(pdb);
    if (path)
        remove_files(path);
    free(path);
}

void db_close(struct db **pdb)
{
    if (!pdb || !*pdb)
        return;
    struct db *db = *pdb;
    dbhistory_free(db); /* a session must go before its connection */
    dbsync_free(db);
    for (int i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    free(db->cache);
    for (size_t i = 0; i < db->abuilt; i++) {
        sqlite3_finalize(db->built[i].st);
        free(db->built[i].sql);
    }
    free(db->built);
    dbreminder_free(db);
    sqlite3_close(db->h);
    for (size_t i = 0; i < db->wn; i++)
        free(db->wv[i].kind);
    free(db->wv);
    free(db->order.tag);
    free(db->order.fts);
    free(db->path);
    free(db->name);
    free(db->ro_reason);
    free(db);
    *pdb = NULL;
}

const char *db_path(const struct db *db)
{
    return db->name;
}

int db_readonly(const struct db *db)
{
    return db->readonly;
}

/* Nested calls become savepoints, so that a composite action (an import, the
 * demo, an undo) can call the core's single-action functions inside one
 * transaction of its own. */
static int tx_exec(struct db *db, const char *sql, struct kerr *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return db_fail(db, e, "writing to the journal");
    }
    return K_OK;
}

/* Reads the schema as it is now, first thing in a write transaction, in
 * case another connection changed it since this one last looked: the
 * first write compiled after that whose triggers use an FTS5 table not
 * used since would otherwise come upon the change in the middle of its
 * compilation and fail with "no such table" (see DB_LINK_FTS_TRIGGERS).
 * Nothing can change the schema again before the commit. */
static int schema_read(struct db *db, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT 1"
        " FROM sqlite_schema"
        " LIMIT 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    return s == SQLITE_ROW || s == SQLITE_DONE ? K_OK : db_fail(db, e, "reading the journal");
}

int db_begin(struct db *db, struct kerr *e)
{
    char sql[64];
    db->changes0 = db->depth == 0 ? sqlite3_total_changes64(db->h) : db->changes0;
    if (db->readonly && db->ro_reason)
        return kerr_set(e, K_ERR, "the journal %s cannot be written now (%s); nothing was written",
                        db->name, db->ro_reason);
    if (db->readonly)
        return kerr_set(e, K_ERR, "the journal %s is read-only; nothing was written", db->name);
    if (db->depth == 0)
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else
        snprintf(sql, sizeof sql, "SAVEPOINT kith_%d", db->depth);
    int rc = tx_exec(db, sql, e);
    if (rc == K_OK && db->depth == 0 && (rc = schema_read(db, e)) != K_OK)
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    if (rc == K_OK && db->depth == 0) {
        dbhistory_tx_begin(db);
        dbsync_tx_begin(db);
    }
    if (rc == K_OK)
        db->depth++;
    return rc;
}

int db_commit(struct db *db, struct kerr *e)
{
    char sql[64];
    if (db->depth <= 0)
        return kerr_set(e, K_ERR, "internal error: commit without a transaction");
    if (db->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE kith_%d", db->depth - 1);
    /* The history row goes in with the change it undoes. */
    if (db->depth == 1 && dbhistory_tx_commit(db, e) != K_OK)
        return K_ERR;
    /* So do the changes for other replicas (after the history: what sync
     * keeps of them is no change to undo). */
    if (db->depth == 1 && dbsync_tx_commit(db, e) != K_OK)
        return K_ERR;
    /* A commit that changes the journal names its new state (kith/store/dbfile.h);
     * one that changes nothing writes nothing. */
    if (db->depth == 1 && sqlite3_total_changes64(db->h) != db->changes0) {
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "UPDATE kith_state"
            " SET v = kith_state_next(v)"
            " WHERE id = 1",
            e);
        /* clang-format on */
        if (!st || db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    int rc = tx_exec(db, sql, e);
    if (rc == K_OK && db->depth == 1) {
        dbhistory_tx_end(db);
        dbsync_tx_end(db);
    }
    if (rc == K_OK)
        db->depth--;
    return rc;
}

void db_rollback(struct db *db)
{
    char sql[96];
    if (db->depth <= 0)
        return;
    /* temp.reminder_due goes back with the rest; the ids kept beside it in
     * memory do not. Nor does what dbsummary_ready saw of the weights. */
    dbreminder_forget(db);
    db->summary_ok = 0;
    if (db->depth == 1) {
        if (!sqlite3_get_autocommit(db->h))
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        dbhistory_tx_end(db);
        dbsync_tx_end(db);
    } else {
        snprintf(sql, sizeof sql, "ROLLBACK TO kith_%d; RELEASE kith_%d", db->depth - 1,
                 db->depth - 1);
        sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    }
    db->depth--;
}

long long db_data_version(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "PRAGMA data_version", NULL);
    long long v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return v;
}

static int progress(void *ud)
{
    struct db *db = ud;
    return db->interrupt(db->interrupt_ud) != 0;
}

void db_set_interrupt(struct db *db, int (*fn)(void *ud), void *ud)
{
    db->interrupt = fn;
    db->interrupt_ud = ud;
    /* Every few thousand virtual machine steps (tens of microseconds): a
     * statement of a handful of steps -- ROLLBACK TO, RELEASE -- is never
     * stopped, so an interrupted savepoint can always be undone. */
    sqlite3_progress_handler(db->h, fn ? 4096 : 0, fn ? progress : NULL, fn ? db : NULL);
}

long long db_file_version(struct db *db)
{
    unsigned v = 0;
    sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, &v);
    return v;
}

int db_backup(struct db *db, const char *dest, int force, struct kerr *e)
{
    return backup_to(db->h, db->path, dest, force, NULL, e);
}

int db_backup_then(struct db *db, const char *dest, const char *then, struct kerr *e)
{
    return backup_to(db->h, db->path, dest, 1, then, e);
}

void db_short_id(struct db *db, const char *table, const char *id, char out[KID_LEN + 1])
{
    /* Neighbours in id order share the longest prefixes with id. */
    /* clang-format off */
#define ID_BEFORE(T)                                                                               \
    "SELECT id"                                                                                    \
    " FROM " T                                                                                     \
    " WHERE id < ?1"                                                                               \
    " ORDER BY id DESC"                                                                            \
    " LIMIT 1"
#define ID_AFTER(T)                                                                                \
    "SELECT id"                                                                                    \
    " FROM " T                                                                                     \
    " WHERE id > ?1"                                                                               \
    " ORDER BY id"                                                                                 \
    " LIMIT 1"
    /* clang-format on */
    static const char *const before[] = {ID_BEFORE("contact"), ID_BEFORE("interaction"),
                                         ID_BEFORE("referral"), ID_BEFORE("thanks"),
                                         ID_BEFORE("forward")};
    static const char *const after[] = {ID_AFTER("contact"), ID_AFTER("interaction"),
                                        ID_AFTER("referral"), ID_AFTER("thanks"),
                                        ID_AFTER("forward")};
    static const char *const names[] = {"contact", "interaction", "referral", "thanks", "forward"};
    size_t len = KID_SHORT;
    for (int t = 0; t < 5; t++) {
        if (strcmp(table, names[t]))
            continue;
        const char *q[2] = {before[t], after[t]};
        for (int k = 0; k < 2; k++) {
            sqlite3_stmt *st = db_stmt(db, q[k], NULL);
            if (!st)
                continue;
            db_bind_text(st, 1, id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                const char *o = (const char *)sqlite3_column_text(st, 0);
                size_t common = 0;
                while (o && o[common] && o[common] == id[common])
                    common++;
                if (common + 1 > len)
                    len = common + 1;
            }
            sqlite3_reset(st);
        }
    }
    if (len > KID_LEN)
        len = KID_LEN;
    snprintf(out, KID_LEN + 1, "%.*s", (int)len, id);
}

int db_set_weights(struct db *db, const struct db_weight *w, size_t n, struct kerr *e)
{
    (void)e;
    /* A later entry for a kind wins; no "*" weighs 0. The journal's own
     * copy (goodwill_weight) follows when a balance is read
     * (dbsummary_ready). */
    for (size_t i = 0; i < db->wn; i++)
        free(db->wv[i].kind);
    free(db->wv);
    db->wv = NULL;
    db->wn = 0;
    db->weights++;
    memset(db->wany, 0, sizeof db->wany);
    int any = 0;
    for (size_t i = n; i-- > 0;) {
        const char *k = w[i].kind ? w[i].kind : "";
        int v[3] = {w[i].gave, w[i].asked, w[i].mutual};
        if (!strcmp(k, "*")) {
            if (!any++)
                memcpy(db->wany, v, sizeof v);
            continue;
        }
        size_t len = strlen(k), j = 0;
        while (j < db->wn && (db->wv[j].len != len || memcmp(db->wv[j].kind, k, len)))
            j++;
        if (j < db->wn)
            continue;
        db->wv = krealloc(db->wv, (db->wn + 1) * sizeof *db->wv);
        db->wv[db->wn].kind = kstr_dup(k);
        db->wv[db->wn].len = len;
        memcpy(db->wv[db->wn].w, v, sizeof v);
        db->wn++;
    }
    return K_OK;
}
