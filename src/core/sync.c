#include "kith/core/sync.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/dupes.h"
#include "kith/store/db.h"
#include "kith/store/dbconflict.h"
#include "kith/store/dbfile.h"
#include "kith/store/dbsync.h"
#include "kith/util/kdate.h"
#include "kith/util/kfile.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAGIC      "KITHSYNC"
#define HEAD_LEN   (8 + 4 + 4 + 16 + 8 + 4)
#define REC_HEAD   (8 + 8 + 4)
#define GIT_WAIT_S 120
/* Old files go in batches: each removal writes a snapshot (a copy of the
 * journal), which is worth it for this many files, not for one. */
#define PRUNE_MIN 16
/* A file's number has at most 15 digits (a file a second for 30 million
 * years): a name with more is not kith's, and no count overflows. */
#define SEQ_DIGITS 15
#define SEQ_MAX    999999999999999LL
/* The journal version of the first kith that writes a file again when
 * another replica finds it damaged (repair): a replica whose files carry
 * an older one never will. */
#define SYNC_REPAIR_SCHEMA 16u

/* ---- the file format ---- */

static uint64_t fnv(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void put_be(struct sbuf *b, uint64_t v, int bytes)
{
    for (int s = (bytes - 1) * 8; s >= 0; s -= 8)
        sbuf_addc(b, (char)((v >> s) & 0xff));
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static int valid_replica(const char *s, size_t n)
{
    if (n != DBSYNC_ID_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int sync_file_decode(const void *buf, size_t n, struct sync_file *out, struct kerr *e)
{
    const unsigned char *p = buf;
    memset(out, 0, sizeof *out);
    if (!n)
        return kerr_set(e, K_ERR, "empty (cut short, or not yet arrived whole)");
    if (memcmp(p, MAGIC, n < 8 ? n : 8))
        return kerr_set(e, K_ERR, "not a kith changeset file");
    if (n < HEAD_LEN + 8)
        return kerr_set(e, K_ERR, "damaged (cut short: %zu bytes)", n);
    out->format = (unsigned)get_be(p + 8, 4);
    out->schema = (unsigned)get_be(p + 12, 4);
    if (out->format > SYNC_FORMAT)
        return kerr_set(e, K_ERR,
                        "written by a newer kith (changeset format %u; this kith reads %d): "
                        "upgrade kith on this machine",
                        out->format, SYNC_FORMAT);
    if (out->format < 1)
        return kerr_set(e, K_ERR, "not a kith changeset file (format %u)", out->format);
    if (out->schema > DB_SCHEMA_VERSION)
        return kerr_set(e, K_ERR,
                        "written by a newer kith (journal version %u; this kith has %d): "
                        "upgrade kith on this machine",
                        out->schema, DB_SCHEMA_VERSION);
    if (fnv(p, n - 8) != get_be(p + n - 8, 8))
        return kerr_set(e, K_ERR, "damaged (its checksum does not match: cut short or changed)");
    if (!valid_replica((const char *)p + 16, 16))
        return kerr_set(e, K_ERR, "damaged (no replica id)");
    memcpy(out->replica, p + 16, 16);
    out->replica[16] = 0;
    out->seq = (long long)get_be(p + 32, 8);
    size_t count = (size_t)get_be(p + 40, 4), at = HEAD_LEN, end = n - 8;
    if (count > (end - at) / REC_HEAD)
        return kerr_set(e, K_ERR, "damaged (record count)");
    out->rec = kcalloc(count ? count : 1, sizeof *out->rec);
    for (size_t i = 0; i < count; i++) {
        if (end - at < REC_HEAD)
            goto bad;
        struct sync_rec_view *r = &out->rec[i];
        r->hlc = (long long)get_be(p + at, 8);
        r->txseq = (long long)get_be(p + at + 8, 8);
        r->n = (size_t)get_be(p + at + 16, 4);
        at += REC_HEAD;
        if (r->n > end - at)
            goto bad;
        r->buf = p + at;
        at += r->n;
    }
    if (at != end)
        goto bad;
    out->nrec = count;
    return K_OK;
bad:
    free(out->rec);
    out->rec = NULL;
    return kerr_set(e, K_ERR, "damaged (a record runs past the end)");
}

struct outbox {
    struct sbuf recs;
    size_t n;
    long long last;
};

static int collect(const struct dbsync_rec *r, void *ud)
{
    struct outbox *o = ud;
    put_be(&o->recs, (uint64_t)r->hlc, 8);
    put_be(&o->recs, (uint64_t)r->txseq, 8);
    put_be(&o->recs, (uint64_t)r->n, 4);
    sbuf_addn(&o->recs, r->buf, r->n);
    o->n++;
    o->last = r->txseq;
    /* One file stays well under what a reader accepts. */
    return o->recs.len > SYNC_FILE_MAX / 2;
}

/* ---- the folder ---- */

static char *join(const char *a, const char *b)
{
    struct sbuf s = {0};
    sbuf_printf(&s, "%s/%s", a, b);
    return sbuf_take(&s);
}

/* A folder of the sync folder that is there but cannot be read: K_ERR. */
static int unreadable(const char *dir, int err, struct kerr *e)
{
    char *d = kstr_escape(dir);
    int rc = kerr_set(e, K_ERR, "cannot read the folder %s: %s", d, strerror(err));
    free(d);
    return rc;
}

static int cmp_seq(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Fixed-size strings in an array (replica ids, id pairs), by strcmp. */
static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* A temporary file of kith's (NAME.tmp- and six characters) this old was
 * left by a run that stopped while writing (a crash, a power cut): a write
 * takes seconds (a minute for 100k contacts' first file), never this long. */
#define STALE_TMP_SECONDS 3600

/* 1 when name is one kith writes in a replica's folder: N.changeset,
 * state, snapshot.kith (and -shm, -wal beside it, which an older kith's
 * reader made). */
static int kith_name(const char *name, size_t n)
{
    static const char *const fixed[] = {"state", "snapshot.kith", "snapshot.kith-shm",
                                        "snapshot.kith-wal"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (n == strlen(fixed[i]) && !memcmp(name, fixed[i], n))
            return 1;
    size_t d = 0;
    while (d < n && name[d] >= '0' && name[d] <= '9')
        d++;
    return d > 0 && d <= SEQ_DIGITS && name[0] != '0' && n - d == 10 &&
           !memcmp(name + d, ".changeset", 10);
}

/* Removes dir/name when it is a temporary file kith left there, old
 * enough to be no run's; 1 when it was one. */
static int sweep_tmp(const char *dir, const char *name)
{
    const char *t = strstr(name, ".tmp-");
    if (!t || strlen(t) != 11 || !kith_name(name, (size_t)(t - name)))
        return 0;
    char *p = join(dir, name);
    struct stat st;
    int old =
        lstat(p, &st) == 0 && S_ISREG(st.st_mode) && time(NULL) - st.st_mtime > STALE_TMP_SECONDS;
    if (old)
        unlink(p);
    free(p);
    return old;
}

/* The numbers of the changeset files in dir, ascending. *err (may be NULL)
 * gets the errno of a folder that is there but cannot be read, else 0: an
 * unread folder is not an empty one. With sweep (this replica's own
 * folder, which only this journal writes), a temporary file a stopped run
 * left there is removed rather than carried to every machine by the tool
 * that syncs the folder. */
static size_t list_files_swept(const char *dir, long long **out, int *err, int sweep)
{
    DIR *d = opendir(dir);
    long long *v = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (err)
        *err = d || errno == ENOENT ? 0 : errno;
    if (!d)
        return 0;
    struct dirent *de;
    while ((errno = 0, de = readdir(d))) {
        char *end;
        if (sweep && sweep_tmp(dir, de->d_name)) {
            errno = 0;
            continue;
        }
        if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
            strspn(de->d_name, "0123456789") > SEQ_DIGITS)
            continue;
        long long seq = strtoll(de->d_name, &end, 10);
        if (strcmp(end, ".changeset"))
            continue;
        if (n == cap)
            v = krealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
        v[n++] = seq;
    }
    if (err && errno)
        *err = errno;
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_seq);
    *out = v;
    return n;
}

static size_t list_files(const char *dir, long long **out, int *err)
{
    return list_files_swept(dir, out, err, 0);
}

/* This replica's own folder, listed once a run and kept up to date with
 * what the run writes and removes there: each step that needs it (is a
 * file there that this journal did not write, was the folder emptied,
 * which number comes next, which files to write again or remove, the
 * state) reads this instead of listing the folder again (40,000 files:
 * about 10 ms a listing, and a listing a step). Only this replica writes
 * in its folder, so what the run did not do there is what the listing
 * saw. */
struct own {
    long long *v; /* the numbers of its files, ascending */
    size_t n;
    int err; /* the errno of a folder there that cannot be read, else 0 */
};

static void own_list(struct own *o, const char *rdir)
{
    o->n = list_files_swept(rdir, &o->v, &o->err, 1);
}

static void own_free(struct own *o)
{
    free(o->v);
    memset(o, 0, sizeof *o);
}

/* The run wrote file seq there. */
static void own_add(struct own *o, long long seq)
{
    size_t at = o->n;
    while (at && o->v[at - 1] > seq)
        at--;
    if (at && o->v[at - 1] == seq)
        return;
    o->v = krealloc(o->v, (o->n + 1) * sizeof *o->v);
    memmove(o->v + at + 1, o->v + at, (o->n - at) * sizeof *o->v);
    o->v[at] = seq;
    o->n++;
}

/* The replica folders in dir; *err (may be NULL) as for list_files. */
static size_t list_replicas(const char *dir, char (**out)[17], int *err)
{
    DIR *d = opendir(dir);
    char(*v)[17] = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (err)
        *err = d || errno == ENOENT ? 0 : errno;
    if (!d)
        return 0;
    struct dirent *de;
    while ((errno = 0, de = readdir(d))) {
        if (!valid_replica(de->d_name, strlen(de->d_name)))
            continue;
        char *p = join(dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (n == cap)
                v = krealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
            snprintf(v[n++], 17, "%.16s", de->d_name);
        }
        free(p);
        errno = 0;
    }
    if (err && errno)
        *err = errno;
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_id);
    *out = v;
    return n;
}

/* A replica's state file: when it last synced and what it had applied of
 * each replica. */
struct rstate {
    int found;
    char at[32];
    long long pruned;  /* its files up to this one are removed (0: none, or unknown) */
    long long fileseq; /* its last file (0: none, or unknown) */
    struct {
        char replica[17];
        long long seq;
    } * forgot; /* replicas it forgot, with their last file then */
    size_t nforgot;
    struct {
        char replica[17];
        long long seq;
    } * v;
    size_t n;
    struct {
        char replica[17];
        long long seq;
    } * damaged; /* other replicas' files it found damaged */
    size_t ndamaged;
    long long *lost; /* its own files it cannot write again */
    size_t nlost;
    /* The newest changeset format and journal version its kith reads (0:
     * not said; a kith older than the line leaves it out). */
    unsigned reads_format, reads_schema;
};

static void rstate_free(struct rstate *s)
{
    free(s->v);
    free(s->forgot);
    free(s->damaged);
    free(s->lost);
    memset(s, 0, sizeof *s);
}

/* K_ERR (with e, which may be NULL) when the state is there but cannot be
 * read: a state not read is not one that says nothing. */
static int read_state_e(const char *rdir, struct rstate *s, struct kerr *e)
{
    char *path = join(rdir, "state"), *buf = NULL;
    size_t n;
    memset(s, 0, sizeof *s);
    int rc = kfile_read(path, 1 << 20, KFILE_REGULAR, &buf, &n, e);
    if (rc == K_NOTFOUND)
        rc = K_OK;
    if (rc == K_OK && buf && !strncmp(buf, "kith-sync-state 1\n", 18)) {
        s->found = 1;
        for (char *line = strtok(buf + 18, "\n"); line; line = strtok(NULL, "\n")) {
            char rep[17];
            long long seq;
            unsigned format, schema;
            if (!strncmp(line, "at ", 3))
                snprintf(s->at, sizeof s->at, "%s", line + 3);
            else if (sscanf(line, "pruned %lld", &seq) == 1 && seq > 0 && seq <= SEQ_MAX)
                s->pruned = seq;
            else if (sscanf(line, "fileseq %lld", &seq) == 1 && seq > 0 && seq <= SEQ_MAX)
                s->fileseq = seq;
            else if (sscanf(line, "forgot %16s %lld", rep, &seq) == 2 && seq >= 0 &&
                     seq <= SEQ_MAX && valid_replica(rep, strlen(rep))) {
                s->forgot = krealloc(s->forgot, (s->nforgot + 1) * sizeof *s->forgot);
                snprintf(s->forgot[s->nforgot].replica, 17, "%s", rep);
                s->forgot[s->nforgot++].seq = seq;
            } else if (sscanf(line, "damaged %16s %lld", rep, &seq) == 2 && seq > 0 &&
                       seq <= SEQ_MAX && valid_replica(rep, strlen(rep))) {
                s->damaged = krealloc(s->damaged, (s->ndamaged + 1) * sizeof *s->damaged);
                snprintf(s->damaged[s->ndamaged].replica, 17, "%s", rep);
                s->damaged[s->ndamaged++].seq = seq;
            } else if (sscanf(line, "reads %u %u", &format, &schema) == 2) {
                s->reads_format = format;
                s->reads_schema = schema;
            } else if (sscanf(line, "lost %lld", &seq) == 1 && seq > 0 && seq <= SEQ_MAX) {
                s->lost = krealloc(s->lost, (s->nlost + 1) * sizeof *s->lost);
                s->lost[s->nlost++] = seq;
            } else if (sscanf(line, "applied %16s %lld", rep, &seq) == 2 && seq >= 0 &&
                       seq <= SEQ_MAX && valid_replica(rep, strlen(rep))) {
                s->v = krealloc(s->v, (s->n + 1) * sizeof *s->v);
                snprintf(s->v[s->n].replica, 17, "%s", rep);
                s->v[s->n++].seq = seq;
            }
        }
    }
    free(buf);
    free(path);
    return rc;
}

static void read_state(const char *rdir, struct rstate *s)
{
    (void)read_state_e(rdir, s, NULL);
}

static long long state_applied(const struct rstate *s, const char *replica)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].replica, replica))
            return s->v[i].seq;
    return 0;
}

static int state_lost(const struct rstate *s, long long seq)
{
    for (size_t i = 0; i < s->nlost; i++)
        if (s->lost[i] == seq)
            return 1;
    return 0;
}

/* A replica's claim (its state st) that file seq of replica me is damaged
 * is believed only when it can be true: a file of me past the last it
 * applied (it would not read one again), and one me wrote (fileseq, its
 * last). A claim that cannot be would make me write a snapshot and call
 * the file lost. */
static int claim_ok(const struct rstate *st, const char *me, long long seq, long long fileseq)
{
    return seq > state_applied(st, me) && seq <= fileseq;
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_file(struct journal *j, const char *path, const void *buf, size_t n,
                      unsigned flags, struct kerr *e)
{
    struct kfile_out o;
    /* Others write in the shared folder: a link there is not followed. */
    int rc = kfile_out_open(&o, path, flags | KFILE_NOFOLLOW, journal_path(j), e);
    if (rc != K_OK)
        return rc;
    if (fwrite(buf, 1, n, o.f) != n)
        return kfile_out_fail(&o, errno, e);
    return kfile_out_commit(&o, e);
}

/* K_USAGE when this user cannot make a folder in the sync folder dir, as
 * a journal's first sync (or one whose folder is gone) must: said before
 * anything is written. */
static int top_writable(const char *dir, struct kerr *e)
{
    if (access(dir, W_OK | X_OK) == 0)
        return K_OK;
    char *t = kstr_escape(dir);
    int rc = kerr_set(e, K_USAGE,
                      "%s: cannot write in this folder (%s): kith makes a folder of this "
                      "journal's there, the only place it writes; give your user write access "
                      "to it",
                      t, strerror(errno));
    free(t);
    return rc;
}

/* Makes this replica's folder rdir; K_ERR when something else is there
 * (a link to a folder elsewhere: kith would write wherever it points). */
static int own_folder(const char *rdir, struct kerr *e)
{
    struct stat st;
    if (lstat(rdir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *r = kstr_escape(rdir);
        int rc = kerr_set(e, K_ERR,
                          "%s is %s, not a folder of its own: kith writes only in this replica's "
                          "own folder; remove it, then sync again; nothing was written",
                          r, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
        free(r);
        return rc;
    }
    if (lstat(rdir, &st) != 0) {
        char *top = kpath_dirname(rdir);
        int rc = top ? top_writable(top, e) : K_OK;
        free(top);
        if (rc != K_OK)
            return rc;
    } else if (access(rdir, W_OK | X_OK) != 0) {
        char *r = kstr_escape(rdir);
        int rc = kerr_set(e, K_USAGE,
                          "%s: cannot write in this journal's folder (%s): give your user write "
                          "access to it; nothing was written",
                          r, strerror(errno));
        free(r);
        return rc;
    }
    return kpath_mkdirs(rdir, 0700, e);
}

static int peer_line(const struct dbsync_peer *p, void *ud)
{
    sbuf_printf(ud, "applied %s %lld\n", p->replica, p->fileseq);
    return 0;
}

/* Through git, a state whose only change would be its time is not written
 * while the time it has is younger than this: a sync from cron every few
 * minutes with nothing new makes no commit then. A replica's "last seen"
 * is when it last synced a change, or at most this long before its last
 * sync; a replica is called long unseen only after STALE_DAYS (30), so a
 * live one is never taken for gone. */
#define STATE_AT_KEEP_S (7LL * 24 * 3600)

/* Seconds since the UTC time at ("YYYY-MM-DDTHH:MM:SSZ"); -1 when it does
 * not read as one. */
static long long age_of(const char *at)
{
    long long ms = kdate_time_ms(at);
    return ms ? (long long)time(NULL) - ms / 1000 : -1;
}

/* 1 when the state file at path says what body does (all but its time),
 * with a time younger than STATE_AT_KEEP_S. */
static int state_same(const char *path, const struct sbuf *body)
{
    char *buf = NULL;
    size_t n;
    int same = 0;
    if (kfile_read(path, 1 << 20, KFILE_REGULAR, &buf, &n, NULL) != K_OK)
        return 0;
    static const char head[] = "kith-sync-state 1\nat ";
    char *nl = n > sizeof head - 1 && !memcmp(buf, head, sizeof head - 1)
                   ? memchr(buf + sizeof head - 1, '\n', n - (sizeof head - 1))
                   : NULL;
    if (nl) {
        size_t rest = n - (size_t)(nl + 1 - buf);
        char at[32];
        snprintf(at, sizeof at, "%.*s", (int)(nl - buf - (sizeof head - 1)), buf + sizeof head - 1);
        long long age = age_of(at);
        same = rest == body->len && !memcmp(nl + 1, body->s ? body->s : "", rest) && age >= 0 &&
               age < STATE_AT_KEEP_S;
    }
    free(buf);
    return same;
}

/* The state says which of this replica's files are gone for good (a
 * replica's own folder is as it left it: its files are removed only by its
 * own prune), so a replica that had not applied them knows it cannot catch
 * up even when none is left to show the gap. keep_at: not written when
 * only its time would change (state_same). */
static int write_state_forgot(struct journal *j, const char *rdir, const struct own *listed,
                              const char *forgot, long long forgot_seq, const struct sync_report *r,
                              int keep_at, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct sbuf b = {0}, body = {0};
    struct rstate old;
    char at[32];
    long long seq;
    now_iso(at);
    int rc = dbsync_fileseq(db, &seq, e);
    if (rc == K_OK) {
        struct own o = {0};
        if (listed)
            o = *listed;
        else
            own_list(&o, rdir);
        /* What this kith reads: a replica that writes newer files learns
         * why this one applies none of them. Readers ignore a line they do
         * not know. */
        sbuf_printf(&body, "fileseq %lld\npruned %lld\nreads %d %d\n", seq, o.n ? o.v[0] - 1 : seq,
                    SYNC_FORMAT, DB_SCHEMA_VERSION);
        rc = o.err ? unreadable(rdir, o.err, e) : dbsync_peers(db, peer_line, &body, e);
        if (!listed)
            own_free(&o);
    }
    /* The replicas it forgot stay said: a journal joining later learns
     * that their changes are only in snapshots (kept from the last state,
     * which only this replica writes). */
    read_state(rdir, &old);
    for (size_t i = 0; i < old.nforgot; i++)
        if (!forgot || strcmp(old.forgot[i].replica, forgot))
            sbuf_printf(&body, "forgot %s %lld\n", old.forgot[i].replica, old.forgot[i].seq);
    if (forgot)
        sbuf_printf(&body, "forgot %s %lld\n", forgot, forgot_seq);
    /* What this run found damaged, for its replica to write again; what of
     * this replica's cannot be, once a snapshot stands for it. */
    for (size_t i = 0; r && i < r->ndamaged && i < SYNC_WAIT_MAX; i++)
        sbuf_printf(&body, "damaged %s %lld\n", r->damaged[i].replica, r->damaged[i].file);
    for (size_t i = 0; r && i < r->nlost && i < SYNC_WAIT_MAX; i++)
        if (r->snapshot || state_lost(&old, r->lost[i]))
            sbuf_printf(&body, "lost %lld\n", r->lost[i]);
    rstate_free(&old);
    char *path = join(rdir, "state");
    sbuf_printf(&b, "kith-sync-state 1\nat %s\n", at);
    sbuf_addn(&b, body.s ? body.s : "", body.len);
    if (rc == K_OK && !(keep_at && state_same(path, &body)))
        rc = write_file(j, path, b.s, b.len, KFILE_REPLACE, e);
    free(path);
    sbuf_free(&b);
    sbuf_free(&body);
    return rc;
}

static int write_state(struct journal *j, const char *rdir, const struct own *o,
                       const struct sync_report *r, int keep_at, struct kerr *e)
{
    return write_state_forgot(j, rdir, o, NULL, 0, r, keep_at, e);
}

/* Whether a file of this replica's folder is one this journal wrote. */
struct prefix {
    const struct sync_file *f;
    size_t i;
    int differs;
};

static int same_rec(const struct dbsync_rec *r, void *ud)
{
    struct prefix *p = ud;
    if (p->i == p->f->nrec)
        return 1;
    const struct sync_rec_view *v = &p->f->rec[p->i];
    if (v->hlc != r->hlc || v->txseq != r->txseq || v->n != r->n || memcmp(v->buf, r->buf, r->n)) {
        p->differs = 1;
        return 1;
    }
    p->i++;
    return 0;
}

/* Up to n bytes from the start of the file at path, into buf: how many;
 * -1 when it is not a plain file, -2 when it cannot be opened. A FIFO or
 * a device is not read (not waited on). */
static ssize_t read_start(const char *path, unsigned char *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
    if (fd < 0)
        return -2;
    struct stat sb;
    ssize_t got = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? read(fd, buf, n) : -1;
    close(fd);
    return got < 0 ? -1 : got;
}

/* 1 when the file at path is a plain file that starts as a changeset
 * does, 0 when not (or it cannot be opened); h gets its head. */
static int read_head(const char *path, unsigned char h[HEAD_LEN])
{
    return read_start(path, h, HEAD_LEN) == HEAD_LEN && !memcmp(h, MAGIC, 8);
}

/* 0 when the file at path is not a plain file, or starts otherwise than
 * a changeset (not kith's: not one cut short); else 1. */
static int kith_start(const char *path)
{
    unsigned char h[8];
    ssize_t got = read_start(path, h, sizeof h);
    return got == -2 || (got >= 0 && !memcmp(h, MAGIC, (size_t)got));
}

/* 1 when file seq of rdir starts as replica's file seq does. */
static int own_head(const char *rdir, long long seq, const char *replica)
{
    unsigned char h[HEAD_LEN];
    char name[32];
    snprintf(name, sizeof name, "%lld.changeset", seq);
    char *path = join(rdir, name);
    int ok =
        read_head(path, h) && !memcmp(h + 16, replica, 16) && (long long)get_be(h + 32, 8) == seq;
    free(path);
    return ok;
}

/* 1 when another journal wrote as this replica (a copy of it, or the
 * journal before it was restored from a backup), 0 when not, -1 on error
 * (in e). It did when this replica's folder holds files past this
 * journal's last, or when what is said of this replica goes past it: its
 * own state (its last file, the files its prune removed: a journal
 * restored after a prune finds no file of the folder past its own), or
 * another replica's saying it applied more of this replica. Keeping the
 * id then, this journal would number its next files as ones the others
 * already applied, and they would never apply them. *mine gets this
 * journal's last file. The one file after it that holds exactly this
 * journal's first changes not sent is its own (a crash between writing it
 * and noting it), and may be said applied. */
static int written_elsewhere(struct journal *j, const char *dir, const char *rdir,
                             const struct own *o, const char *replica, char (*reps)[17],
                             size_t nreps, long long *mine, struct kerr *e)
{
    char *buf = NULL, *path = NULL;
    size_t n;
    int res = 0;
    if (dbsync_fileseq(journal_db(j), mine, e) != K_OK)
        return -1;
    long long upto = *mine; /* the last file of this replica this journal wrote */
    char name[32];
    snprintf(name, sizeof name, "%lld.changeset", *mine + 1);
    path = join(rdir, name);
    struct sync_file f = {0};
    if (o->n && o->v[o->n - 1] == *mine + 1 &&
        kfile_read(path, SYNC_FILE_MAX, KFILE_REGULAR, &buf, &n, NULL) == K_OK &&
        sync_file_decode(buf, n, &f, NULL) == K_OK && !strcmp(f.replica, replica) &&
        f.seq == *mine + 1) {
        struct prefix p = {&f, 0, 0};
        if (dbsync_unsent(journal_db(j), same_rec, &p, e) != K_OK)
            res = -1;
        else if (!p.differs && p.i == f.nrec)
            upto = *mine + 1;
    }
    free(f.rec);
    free(buf);
    free(path);
    if (res < 0)
        return res;
    /* A file past this journal's last that this replica did not write
     * (not a changeset, another replica's, not a plain file) is no copy's:
     * it would take the next number from this journal's next file. */
    for (size_t i = o->n; i-- > 0 && o->v[i] > upto;) {
        if (own_head(rdir, o->v[i], replica))
            return 1;
        snprintf(name, sizeof name, "%lld.changeset", o->v[i]);
        path = join(rdir, name);
        kerr_set(e, K_ERR,
                 "%s is not a file kith wrote as this replica (not a changeset, or another "
                 "replica's, or not a plain file); nothing of this journal's was sent (the "
                 "other replicas' changes were applied): remove it from the folder, then sync "
                 "again",
                 path);
        free(path);
        return -2;
    }
    struct rstate st;
    read_state(rdir, &st);
    res = st.fileseq > upto || st.pruned > upto;
    rstate_free(&st);
    for (size_t i = 0; !res && i < nreps; i++) {
        if (!strcmp(reps[i], replica))
            continue;
        char *odir = join(dir, reps[i]);
        read_state(odir, &st);
        free(odir);
        res = state_applied(&st, replica) > upto;
        rstate_free(&st);
    }
    return res;
}

/* 1 when this journal has sent files but its replica folder holds none of
 * them, nor its state or a snapshot (the folder removed or emptied by hand,
 * or by the tool that syncs it); 0 when not; -1 on error (in e). */
static int folder_lost(struct journal *j, const char *rdir, const struct own *o, struct kerr *e)
{
    long long seq;
    struct stat st;
    if (dbsync_fileseq(journal_db(j), &seq, e) != K_OK)
        return -1;
    if (seq <= 0)
        return 0;
    char *state = join(rdir, "state"), *snap = join(rdir, "snapshot.kith");
    int lost = !o->n && lstat(state, &st) != 0 && lstat(snap, &st) != 0;
    free(state);
    free(snap);
    return lost;
}

/* Writes the changes in o (not yet in the folder) as this replica's next
 * file, and notes them sent. */
static int send_one(struct journal *j, const char *rdir, struct own *own, const char *replica,
                    struct outbox *o, struct sync_report *r, struct kerr *e)
{
    struct db *db = journal_db(j);
    long long seq;
    /* After a crash between writing a file and noting it, the next file
     * gets the next number; its changes come again, which applies as
     * nothing. */
    int rc = dbsync_fileseq(db, &seq, e);
    if (rc != K_OK)
        return rc;
    if (own->n && own->v[own->n - 1] > seq)
        seq = own->v[own->n - 1];
    if (seq >= SEQ_MAX)
        return kerr_set(e, K_ERR,
                        "this replica's files reached number %lld, the largest kith writes; "
                        "nothing was sent",
                        seq);
    if (own->err)
        return unreadable(rdir, own->err, e);
    seq++;
    struct sbuf f = {0};
    sbuf_addn(&f, MAGIC, 8);
    put_be(&f, SYNC_FORMAT, 4);
    put_be(&f, DB_SCHEMA_VERSION, 4);
    sbuf_addn(&f, replica, 16);
    put_be(&f, (uint64_t)seq, 8);
    put_be(&f, o->n, 4);
    sbuf_addn(&f, o->recs.s, o->recs.len);
    put_be(&f, fnv((const unsigned char *)f.s, f.len), 8);
    char name[32];
    snprintf(name, sizeof name, "%lld.changeset", seq);
    char *path = join(rdir, name);
    rc = write_file(j, path, f.s, f.len, 0, e);
    free(path);
    if (rc == K_OK) {
        own_add(own, seq);
        rc = dbsync_sent(db, seq, o->last, f.s, f.len, f.len <= SYNC_KEEP_MAX, e);
        if (rc == K_OK)
            rc = dbsync_file_cap(db, SYNC_KEEP_TOTAL, e);
    }
    if (rc == K_OK) {
        r->sent = seq;
        r->sent_bytes += f.len;
    }
    sbuf_free(&f);
    return rc;
}

/* Writes this replica's changes not yet in the folder as its next file.
 * The journal is held from reading them to noting them sent: an undo
 * made meanwhile elsewhere (another kith on the journal) that took back a
 * change not yet sent would leave it in the file but not here. */
static int send(struct journal *j, const char *rdir, struct own *own, const char *replica,
                struct sync_report *r, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct outbox o = {0};
    int rc;
    do {
        sbuf_free(&o.recs);
        memset(&o, 0, sizeof o);
        if ((rc = db_begin(db, e)) != K_OK)
            break;
        if ((rc = dbsync_unsent(db, collect, &o, e)) == K_OK && o.n)
            rc = send_one(j, rdir, own, replica, &o, r, e);
        if (rc == K_OK)
            rc = db_commit(db, e);
        else
            db_rollback(db);
    } while (rc == K_OK && o.n);
    sbuf_free(&o.recs);
    return rc;
}

static void notef(sync_note_fn note, void *ud, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void notef(sync_note_fn note, void *ud, const char *fmt, ...)
{
    char msg[KERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (note)
        note(msg, ud);
}

/* The size and last 8 bytes (fewer for a smaller file) of the file at path
 * into sum: 1, or 0 when its tail could not be read; -1 when it is not a
 * regular file that opens. */
static int file_sum(const char *path, struct dbsync_file_sum *sum)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), got = -1;
    if (fd < 0)
        return -1;
    memset(sum, 0, sizeof *sum);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t m = st.st_size < 8 ? (size_t)st.st_size : 8;
        sum->n = (size_t)st.st_size;
        got = pread(fd, sum->tail, m, st.st_size - (off_t)m) == (ssize_t)m;
    }
    close(fd);
    return got;
}

/* 1 when the file at path does not end as the bytes kept of it (f: its size
 * and checksum) do: read without reading it whole. A file not there, or
 * one that cannot be read, is not said to differ (folder_lost, repair). */
static int tail_differs(const char *path, const struct dbsync_file_sum *f)
{
    struct dbsync_file_sum here;
    int got = file_sum(path, &here);
    return got >= 0 && (here.n != f->n || (f->n >= 8 && (!got || memcmp(here.tail, f->tail, 8))));
}

/* 1 when the folder's file seq, found not as this journal wrote it
 * (tail_differs), is whole, as this replica's (me): another journal that
 * writes as this replica (a copy of it) wrote its own file seq, and the
 * tool that syncs the folder kept that one of the two (Syncthing renames
 * the other to a conflict copy). */
static int twin_wrote(const char *rdir, const char *me, long long seq)
{
    char name[32], *cur = NULL;
    size_t ncur = 0;
    struct sync_file f;
    int theirs = 0;
    snprintf(name, sizeof name, "%lld.changeset", seq);
    char *path = join(rdir, name);
    if (kfile_read(path, SYNC_FILE_MAX, KFILE_REGULAR, &cur, &ncur, NULL) == K_OK &&
        sync_file_decode(cur, ncur, &f, NULL) == K_OK) {
        theirs = !strcmp(f.replica, me) && f.seq == seq;
        free(f.rec);
    }
    free(cur);
    free(path);
    return theirs;
}

/* Puts the changes of this journal's file seq, as it wrote it, back among
 * those to send. */
static int requeue(struct journal *j, long long seq, struct kerr *e)
{
    char *body = NULL;
    size_t n = 0;
    struct sync_file f;
    int rc = dbsync_file_body(journal_db(j), seq, &body, &n, e);
    if (rc == K_OK && (rc = sync_file_decode(body, n, &f, e)) == K_OK) {
        struct dbsync_rec *recs = kcalloc(f.nrec ? f.nrec : 1, sizeof *recs);
        for (size_t i = 0; i < f.nrec; i++)
            recs[i] = (struct dbsync_rec){f.rec[i].hlc, f.rec[i].txseq, f.rec[i].buf, f.rec[i].n};
        rc = dbsync_requeue(journal_db(j), recs, f.nrec, e);
        free(recs);
        free(f.rec);
    }
    free(body);
    return rc;
}

/* Two journals that write as one replica (a copy of a syncing journal)
 * each write their next file under the same number; the tool that syncs
 * the folder keeps one of the two there. The journal whose file the folder
 * no longer holds finds the other's in its place, by the size and checksum
 * it keeps of every file it sent (dbsync_sent): the first such number into
 * *from, its own changes of each such file put back to be sent (under the
 * new id it takes: every file from *from on is the other journal's,
 * applied as another replica's). Where it did not keep a file's bytes
 * (over SYNC_KEEP_MAX, or older than the newest SYNC_KEEP_TOTAL), it sends
 * all it holds again, each value as of its own change. A file an older
 * kith sent, of which nothing was kept (every journal that synced before
 * the sums were kept has such files), is taken as the folder holds it:
 * its sum is kept from then on (a copy's file written in its place before
 * then is not found). 1 when it found one, 0 when not, -1 on error. */
static int twin_files(struct journal *j, const char *rdir, const struct own *o, const char *me,
                      long long mine, long long *from, sync_note_fn note, void *ud, struct kerr *e)
{
    struct dbsync_file_sum *v = NULL;
    size_t n = 0, k = 0;
    int rc = dbsync_file_sums(journal_db(j), &v, &n, e);
    /* big: the first found the other's whose bytes are not kept. */
    long long big = 0;
    *from = 0;
    for (size_t i = 0; rc == K_OK && i < o->n && o->v[i] <= mine; i++) {
        long long seq = o->v[i];
        char name[32];
        snprintf(name, sizeof name, "%lld.changeset", seq);
        char *path = join(rdir, name);
        while (k < n && v[k].fileseq < seq)
            k++;
        if (k == n || v[k].fileseq != seq) {
            struct dbsync_file_sum f;
            if (file_sum(path, &f) > 0)
                rc = dbsync_file_sum_adopt(journal_db(j), seq, f.n, f.tail, e);
            free(path);
            continue;
        }
        int differs = tail_differs(path, &v[k]) && twin_wrote(rdir, me, seq);
        free(path);
        if (!differs)
            continue;
        if (!*from)
            *from = seq;
        if (!v[k].kept) {
            if (!big)
                big = seq;
        } else if ((rc = requeue(j, seq, e)) == K_OK) {
            notef(note, ud,
                  "replica %s's file %lld in the folder is another journal's, written as this "
                  "replica (a copy of this journal); the tool that syncs the folder kept it in "
                  "place of this journal's: it is applied here as another replica's, and this "
                  "journal's changes of that file are sent again",
                  me, seq);
        }
    }
    if (rc == K_OK && big && (rc = dbsync_send_whole(journal_db(j), e)) == K_OK)
        notef(note, ud,
              "replica %s's file %lld is not kept here (over 1 MB, or older than the newest "
              "8 MB), and the folder holds another journal's in its place, written as this "
              "replica (a copy of this journal): this journal sends all it holds again, each "
              "value as of its own change, so that no change of its is missed",
              me, big);
    free(v);
    return rc != K_OK ? -1 : *from != 0;
}

/* K_OK when the file at path starts as a changeset does (or cannot be
 * opened: the read says why), before all of it (up to 512 MB) is read. */
static int head_ok(const char *path, struct kerr *e)
{
    unsigned char head[8];
    struct sync_file f;
    struct stat st;
    ssize_t got = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return K_OK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        got = read(fd, head, sizeof head);
    close(fd);
    /* What is not read here, the read says why. */
    if (got < 0 || (got == 8 && !memcmp(head, MAGIC, 8)))
        return K_OK;
    return sync_file_decode(head, (size_t)got, &f, e);
}

/* 1 when the file at path holds a changeset's whole head that names
 * another replica or number than replica's file seq (a file copied in
 * under another name). */
static int names_other(const char *path, const char *replica, long long seq)
{
    unsigned char h[HEAD_LEN];
    return read_head(path, h) &&
           (memcmp(h + 16, replica, 16) || (long long)get_be(h + 32, 8) != seq);
}

/* Replica's file seq at path is not one kith wrote there (why): the
 * replica would write its own file of that number, but refuses to sync
 * past it (written_elsewhere) until it is gone. */
static void say_foreign(sync_note_fn note, void *ud, const char *path, const char *why,
                        const char *replica, long long seq)
{
    notef(note, ud,
          "%s: %s; nothing of it was applied, and the later files of replica %.8s wait for it: "
          "kith did not write it there (not a changeset, another file copied in, or not a plain "
          "file): remove it from the folder; replica %.8s then writes its own file %lld at its "
          "next sync",
          path, why, replica, replica, seq);
}

/* A replica's files this journal needs that its prune removed: K_ERR. */
static int gone(sync_note_fn note, void *ud, const char *rdir, long long from, long long to,
                const char *dir)
{
    char *q = kstr_shell(dir);
    notef(note, ud,
          "%s: its changes %lld to %lld are no longer in the folder (removed once every replica "
          "then known had them); this journal cannot catch up with it: start it again from a "
          "snapshot, in a new journal: kith --db NEW.db sync %s",
          rdir, from, to, q);
    free(q);
    return K_ERR;
}

/* Replica's file seq (at path) is damaged (why): noted, and kept in the
 * report for this replica's state, where that replica finds it and writes
 * the file again (repair); its state says when it no longer can. old: that
 * replica's kith is older than repair, and never will. kith: the command
 * line that reaches this journal (journal_command). */
static void damaged(sync_note_fn note, void *ud, struct sync_report *r, const struct rstate *st,
                    const char *replica, long long seq, const char *path, const char *why,
                    const char *dir, const char *kith, int old)
{
    int lost = state_lost(st, seq);
    /* Past the replica's last file, it is not one the replica writes
     * again (repair): kith did not write it there. */
    int junk =
        (!st->found || st->fileseq < seq) && (!kith_start(path) || names_other(path, replica, seq));
    if (r->ndamaged < SYNC_WAIT_MAX) {
        struct sync_damaged *d = &r->damaged[r->ndamaged];
        snprintf(d->replica, sizeof d->replica, "%s", replica);
        d->file = seq;
        d->lost = lost;
        d->old_kith = old && !lost;
    }
    r->ndamaged++;
    if (junk) {
        say_foreign(note, ud, path, why, replica, seq);
    } else if (lost) {
        char *q = kstr_shell(dir);
        notef(note, ud,
              "%s: %s; nothing of it was applied, and replica %.8s no longer has it to write "
              "again: its later files wait for ever; start this journal again from its snapshot, "
              "in a new journal: kith --db NEW.db sync %s; then forget this one from there: "
              "kith --db NEW.db sync forget %.8s",
              path, why, replica, q, r->replica);
        free(q);
    } else if (old)
        notef(note, ud,
              "%s: %s; nothing of it was applied, and the later files of replica %.8s wait for "
              "it: replica %.8s runs an older kith, which does not write a damaged file again: "
              "upgrade kith on that machine and sync there, then here: %s sync",
              path, why, replica, replica, kith);
    else
        notef(note, ud,
              "%s: %s; nothing of it was applied, and the later files of replica %.8s wait for "
              "it: that replica writes it again at its next sync; sync on that machine, then "
              "here: %s sync",
              path, why, replica, kith);
}

/* The changeset format and the journal version in the head of file seq
 * in rdir: 1, or 0 when it does not read as a changeset's head. */
static int file_head(const char *rdir, long long seq, unsigned *format, unsigned *schema)
{
    unsigned char head[16];
    char name[32];
    snprintf(name, sizeof name, "%lld.changeset", seq);
    char *path = join(rdir, name);
    ssize_t got = read_start(path, head, sizeof head);
    free(path);
    if (got != (ssize_t)sizeof head || memcmp(head, MAGIC, 8))
        return 0;
    *format = (unsigned)get_be(head + 8, 4);
    *schema = (unsigned)get_be(head + 12, 4);
    return 1;
}

/* The journal version in the head of the newest of a replica's files
 * (numbers files, nf, in rdir): what its kith writes now. 0 when it does
 * not read as a changeset's head. */
static unsigned writer_schema(const char *rdir, const long long *files, size_t nf)
{
    unsigned format, schema;
    return nf && file_head(rdir, files[nf - 1], &format, &schema) ? schema : 0;
}

/* Reads replica's file seq at path: K_OK with its bytes in *buf and f
 * (its records point into *buf; the caller frees both). Else *hurt is 1
 * when it is damaged (not a changeset, cut short, changed, or another's),
 * 0 when not: a file from a newer kith, or one that cannot be read here. */
static int read_changeset(const char *path, const char *replica, long long seq, char **buf,
                          struct sync_file *f, int *hurt, struct kerr *e)
{
    size_t n;
    *buf = NULL;
    memset(f, 0, sizeof *f);
    int rc = head_ok(path, e);
    *hurt = rc != K_OK;
    if (rc == K_OK)
        rc = kfile_read(path, SYNC_FILE_MAX, KFILE_REGULAR, buf, &n, e);
    if (rc == K_OK && (rc = sync_file_decode(*buf, n, f, e)) != K_OK) {
        *hurt = f->format <= SYNC_FORMAT && f->schema <= DB_SCHEMA_VERSION;
    } else if (rc == K_OK && (strcmp(f->replica, replica) || f->seq != seq)) {
        *hurt = 1;
        rc = kerr_set(e, K_ERR, "damaged (it names replica %s, file %lld)", f->replica, f->seq);
        free(f->rec);
        memset(f, 0, sizeof *f);
    }
    return rc;
}

/* Files read past a damaged one to find the others damaged. */
#define SYNC_SCAN_MAX 256

/* The files in a row after a damaged one (files, n) that are damaged too,
 * said in the same run: one round trip has them all written again, where
 * a reader that found only the first would find the next once past it.
 * Up to SYNC_WAIT_MAX damaged, among the next SYNC_SCAN_MAX files (each
 * is read whole, as applying it would). */
static void damaged_after(sync_note_fn note, void *ud, struct sync_report *r,
                          const struct rstate *st, const char *replica, const char *rdir,
                          const long long *files, size_t n, long long first, const char *dir,
                          const char *kith, int old)
{
    size_t said = 1;
    for (size_t k = 0; k < n && k < SYNC_SCAN_MAX && said < SYNC_WAIT_MAX; k++) {
        /* A gap: the files after it may still be arriving. */
        if (files[k] != first + 1 + (long long)k)
            break;
        char name[32], *buf;
        struct sync_file f;
        struct kerr e;
        int hurt;
        snprintf(name, sizeof name, "%lld.changeset", files[k]);
        char *path = join(rdir, name);
        if (read_changeset(path, replica, files[k], &buf, &f, &hurt, &e) != K_OK && hurt) {
            damaged(note, ud, r, st, replica, files[k], path, e.msg, dir, kith, old);
            said++;
        }
        free(f.rec);
        free(buf);
        free(path);
    }
}

/* Applies one replica's files not applied yet. K_ERR (after a note) when
 * one cannot be: the later ones wait for it. */
static int receive(struct journal *j, const char *dir, const char *replica, sync_note_fn note,
                   void *ud, struct sync_report *r)
{
    struct db *db = journal_db(j);
    char *rdir = join(dir, replica);
    long long applied, *files = NULL;
    struct kerr e;
    struct rstate st;
    int waits = 0;
    int err = 0, rc = dbsync_peer_fileseq(db, replica, &applied, &e);
    size_t nf = rc == K_OK ? list_files(rdir, &files, &err) : 0;
    if (rc == K_OK && err)
        rc = unreadable(rdir, err, &e);
    if (rc == K_OK)
        rc = read_state_e(rdir, &st, &e);
    else
        memset(&st, 0, sizeof st);
    if (rc != K_OK) {
        notef(note, ud, "%s; nothing of it was applied", e.msg);
        nf = 0;
    }
    for (size_t i = 0; rc == K_OK && i < nf; i++) {
        if (files[i] <= applied)
            continue;
        /* A file missing before the next ones is one the transport has
         * not brought yet, unless the replica's prune removed it. */
        if (files[i] != applied + 1) {
            waits = 1;
            break;
        }
        char name[32], *buf = NULL;
        struct sync_file f;
        int hurt;
        snprintf(name, sizeof name, "%lld.changeset", files[i]);
        char *path = join(rdir, name);
        rc = read_changeset(path, replica, files[i], &buf, &f, &hurt, &e);
        if (rc == K_OK) {
            struct dbsync_rec *recs = kcalloc(f.nrec ? f.nrec : 1, sizeof *recs);
            struct dbsync_applied a;
            for (size_t k = 0; k < f.nrec; k++)
                recs[k] =
                    (struct dbsync_rec){f.rec[k].hlc, f.rec[k].txseq, f.rec[k].buf, f.rec[k].n};
            rc = dbsync_apply(db, replica, files[i], st.found ? st.at : NULL, recs, f.nrec, &a, &e);
            free(recs);
            if (rc == K_OK) {
                r->files++;
                r->changes += a.changes;
                r->conflicts += a.conflicts;
                r->kept += a.kept;
                applied = files[i];
            }
        }
        free(f.rec);
        if (rc != K_OK && hurt) {
            unsigned ws = writer_schema(rdir, files, nf);
            int old = ws && ws < SYNC_REPAIR_SCHEMA;
            damaged(note, ud, r, &st, replica, files[i], path, e.msg, dir, journal_command(j), old);
            damaged_after(note, ud, r, &st, replica, rdir, files + i + 1, nf - i - 1, files[i], dir,
                          journal_command(j), old);
        } else if (rc != K_OK && (!st.found || st.fileseq < files[i]) && !kith_start(path)) {
            say_foreign(note, ud, path, e.msg, replica, files[i]);
        } else if (rc != K_OK) {
            notef(note, ud, "%s: %s; nothing of it was applied", path, e.msg);
        }
        free(path);
        free(buf);
    }
    if (rc == K_OK && st.pruned > applied)
        rc = gone(note, ud, rdir, applied + 1, st.pruned, dir);
    else if (rc == K_OK && (waits || st.fileseq > applied)) {
        if (r->nwait < SYNC_WAIT_MAX) {
            snprintf(r->wait[r->nwait].replica, sizeof r->wait[0].replica, "%s", replica);
            r->wait[r->nwait].file = applied + 1;
        }
        r->nwait++;
    }
    if (rc == K_OK && st.found && dbsync_peer_seen(db, replica, st.at, &e) != K_OK) {
        notef(note, ud, "%s", e.msg);
        rc = K_ERR;
    }
    rstate_free(&st);
    free(files);
    free(rdir);
    return rc;
}

/* Adds seq to the sorted set v (of *n), unless there. */
static void seq_add(long long **v, size_t *n, long long seq)
{
    size_t at = 0;
    while (at < *n && (*v)[at] < seq)
        at++;
    if (at < *n && (*v)[at] == seq)
        return;
    *v = krealloc(*v, (*n + 1) * sizeof **v);
    memmove(*v + at + 1, *v + at, (*n - at) * sizeof **v);
    (*v)[at] = seq;
    (*n)++;
}

/* Writes file seq of this replica (rdir) again when it may: K_OK, with
 * *done 1 when it did. */
static int rewrite(struct journal *j, const char *rdir, struct own *own, const char *me,
                   long long seq, int *done, int *lost, struct kerr *e)
{
    char name[32], *body = NULL, *cur = NULL;
    size_t n, ncur = 0;
    struct sync_file f;
    *done = *lost = 0;
    int rc = dbsync_file_body(journal_db(j), seq, &body, &n, e);
    if (rc == K_NOTFOUND) {
        *lost = 1;
        return K_OK;
    }
    if (rc != K_OK)
        return rc;
    snprintf(name, sizeof name, "%lld.changeset", seq);
    char *path = join(rdir, name);
    int here = kfile_read(path, SYNC_FILE_MAX, KFILE_REGULAR, &cur, &ncur, NULL) == K_OK;
    /* Already whole (a report from before the last rewrite, its reporter
     * not synced since): a write would only make the tool that syncs the
     * folder send it again. */
    int same = here && ncur == n && !memcmp(cur, body, n);
    /* Whole, as this replica's, and not what it wrote: another journal
     * wrote it as this replica; its changes are nowhere else. */
    int theirs = here && (ncur != n || memcmp(cur, body, n)) &&
                 sync_file_decode(cur, ncur, &f, NULL) == K_OK;
    if (theirs) {
        theirs = !strcmp(f.replica, me) && f.seq == seq;
        free(f.rec);
    }
    if (!theirs && !same) {
        rc = write_file(j, path, body, n, KFILE_REPLACE, e);
        *done = rc == K_OK;
        if (*done)
            own_add(own, seq);
    }
    free(cur);
    free(path);
    free(body);
    return rc;
}

/* A file of this replica that another found damaged in the folder (its
 * state says "damaged ME N": cut short, changed, not a changeset; never
 * one still arriving, which is waited for) would hold back every later
 * file of this replica there, and with them every prune, for ever. This
 * replica keeps the bytes of each file it sent (up to SYNC_KEEP_MAX) until
 * every other replica has applied it (dbsync_sent, dbsync_file_trim), so it writes the file
 * again: the same bytes, replacing the file whole (a temporary file
 * renamed over it, never through a link). Nothing can be applied twice or
 * lost: a replica goes by the file's number and applies it once, and the
 * bytes are the ones it would have applied. A file whose bytes are not
 * kept (too large, sent by an older kith, or every replica then in the folder
 * had applied it before a new one came) cannot be: it is lost, said in the
 * state once a snapshot (written this run, when this journal has every
 * change the folder no longer holds) stands for it, and the stuck replica
 * is told to start again from that snapshot. A file that reads whole but
 * is not what this replica wrote stays: another journal wrote it as this
 * replica. */
static int repair(struct journal *j, const char *dir, struct own *own, const char *me,
                  char (*reps)[17], size_t nreps, struct sync_report *r, struct kerr *e)
{
    long long *want = NULL, fileseq;
    size_t nwant = 0;
    struct rstate mine;
    if (dbsync_fileseq(journal_db(j), &fileseq, e) != K_OK)
        return K_ERR;
    for (size_t i = 0; i < nreps; i++) {
        struct rstate st;
        if (!strcmp(reps[i], me))
            continue;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        free(rdir);
        for (size_t k = 0; k < st.ndamaged; k++)
            if (!strcmp(st.damaged[k].replica, me) && claim_ok(&st, me, st.damaged[k].seq, fileseq))
                seq_add(&want, &nwant, st.damaged[k].seq);
        rstate_free(&st);
    }
    char *rdir = join(dir, me);
    read_state(rdir, &mine);
    /* A file of its own missing from its folder was removed there (no
     * transport is still bringing it: this replica wrote it here): the
     * replicas that have not applied it would wait for it for ever. */
    long long *kept = NULL, *missing = NULL;
    size_t nkept = 0, nmissing = 0;
    int rc = dbsync_file_list(journal_db(j), &kept, &nkept, e);
    for (size_t i = 0; rc == K_OK && !own->err && i < nkept; i++)
        if (!own->n || !bsearch(&kept[i], own->v, own->n, sizeof *own->v, cmp_seq)) {
            seq_add(&want, &nwant, kept[i]);
            seq_add(&missing, &nmissing, kept[i]);
        }
    free(kept);
    for (size_t i = 0; rc == K_OK && i < nwant; i++) {
        int done, lost;
        rc = rewrite(j, rdir, own, me, want[i], &done, &lost, e);
        r->rewrote += done;
        if (done && nmissing && bsearch(&want[i], missing, nmissing, sizeof *missing, cmp_seq))
            r->rewrote_gone++;
        if (lost && r->nlost < SYNC_WAIT_MAX) {
            r->lost[r->nlost] = want[i];
            r->lost_said[r->nlost] = state_lost(&mine, want[i]);
        }
        r->nlost += lost;
        r->lost_new |= lost && !state_lost(&mine, want[i]);
    }
    free(missing);
    rstate_free(&mine);
    free(rdir);
    free(want);
    return rc;
}

/* Removes this replica's files that every other replica in the folder has
 * applied, after writing a snapshot for the replicas to come. */
static int prune(struct journal *j, const char *dir, struct own *own, const char *replica,
                 char (*reps)[17], size_t nreps, struct sync_report *r, struct kerr *e)
{
    long long upto = -1;
    int rc = K_OK;
    for (size_t i = 0; i < nreps; i++) {
        if (!strcmp(reps[i], replica))
            continue;
        struct rstate st;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        free(rdir);
        long long a = st.found ? state_applied(&st, replica) : 0;
        upto = upto < 0 || a < upto ? a : upto;
        rstate_free(&st);
    }
    if (upto <= 0)
        return K_OK; /* alone, or someone has applied nothing yet */
    /* No replica needs them written again (repair). */
    if ((rc = dbsync_file_trim(journal_db(j), upto, 0, e)) != K_OK)
        return rc;
    char *rdir = join(dir, replica);
    size_t ready = 0; /* unread: nothing to remove */
    while (!own->err && ready < own->n && own->v[ready] <= upto)
        ready++;
    if (ready >= PRUNE_MIN) {
        char *snap = join(rdir, "snapshot.kith");
        rc = dbsync_snapshot_write(journal_db(j), snap, e);
        free(snap);
        if (rc == K_OK)
            r->snapshot = 1;
        for (size_t i = 0; rc == K_OK && i < ready; i++) {
            char name[32];
            snprintf(name, sizeof name, "%lld.changeset", own->v[i]);
            char *p = join(rdir, name);
            if (unlink(p) == 0)
                r->pruned++;
            free(p);
        }
        /* Gone from the listing too (one not removed is not kith's to
         * name as there: the state says these were pruned). */
        /* Their sums too: a file no longer in the folder is no one's to
         * tell (twin_files). */
        if (rc == K_OK)
            rc = dbsync_file_trim(journal_db(j), own->v[ready - 1], 1, e);
        if (rc == K_OK) {
            memmove(own->v, own->v + ready, (own->n - ready) * sizeof *own->v);
            own->n -= ready;
        }
    }
    free(rdir);
    return rc;
}

/* K_OK when this journal has every change the folder no longer holds: no
 * replica there removed files it has not applied, and no replica forgot
 * one (its folder gone) with changes it has not applied. Else K_ERR, each
 * gap told to note (NULL: the first only, into e). */
static int caught_up(struct journal *j, const char *dir, char (*reps)[17], size_t nreps,
                     const char *me, sync_note_fn note, void *ud, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc = K_OK;
    for (size_t i = 0; i < nreps && (rc == K_OK || note); i++) {
        struct rstate st;
        long long applied;
        if (!strcmp(reps[i], me))
            continue;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        if (st.pruned && dbsync_peer_fileseq(db, reps[i], &applied, NULL) == K_OK &&
            applied < st.pruned) {
            if (note)
                gone(note, ud, rdir, applied + 1, st.pruned, dir);
            else
                kerr_set(e, K_ERR,
                         "this journal lacks changes of replica %s that are no longer in the "
                         "folder (its files %lld to %lld); nothing was removed",
                         reps[i], applied + 1, st.pruned);
            rc = K_ERR;
        }
        for (size_t f = 0; f < st.nforgot && (rc == K_OK || note); f++) {
            const char *x = st.forgot[f].replica;
            char *xdir = join(dir, x);
            struct stat sb;
            int back = stat(xdir, &sb) == 0;
            free(xdir);
            if (!strcmp(x, me) || back || dbsync_peer_fileseq(db, x, &applied, NULL) != K_OK ||
                applied >= st.forgot[f].seq)
                continue;
            char msg[8192], *q = kstr_shell(dir);
            snprintf(msg, sizeof msg,
                     "replica %s was forgotten by %s with changes this journal never applied "
                     "(its files %lld to %lld); they are only in snapshots now: start this "
                     "journal again from one, in a new journal: kith --db NEW.db sync %s",
                     x, reps[i], applied + 1, st.forgot[f].seq, q);
            free(q);
            if (note)
                note(msg, ud);
            else
                kerr_set(e, K_ERR, "%s", msg);
            rc = K_ERR;
        }
        rstate_free(&st);
        free(rdir);
    }
    return rc;
}

/* ---- git ---- */

/* The longest part of git's message a failure repeats. */
#define GIT_WHY_MAX 240

/* The git command args run (its first word not an option: "-c NAME=VALUE"
 * pairs come before it). */
static const char *git_cmd(const char *const *args)
{
    while (args[0] && args[1] && !strcmp(args[0], "-c"))
        args += 2;
    return args[0] ? args[0] : "";
}

/* What git said of why it failed: its first "fatal:" or "error:" line (a
 * later line is often advice: "and the repository exists."), else its last
 * line; at most GIT_WHY_MAX bytes, escaped. The caller frees it. */
static char *git_why(const char *out, size_t len)
{
    const char *pick = NULL, *last = NULL;
    size_t npick = 0, nlast = 0;
    for (size_t i = 0; i < len;) {
        size_t k = i;
        while (k < len && out[k] != '\n')
            k++;
        size_t n = k - i;
        while (n && (out[i + n - 1] == ' ' || out[i + n - 1] == '\r'))
            n--;
        if (!pick && (!strncmp(out + i, "fatal:", 6) || !strncmp(out + i, "error:", 6))) {
            pick = out + i;
            npick = n;
        }
        if (n) {
            last = out + i;
            nlast = n;
        }
        i = k + 1;
    }
    if (!pick) {
        pick = last ? last : "no message";
        npick = last ? nlast : strlen(pick);
    }
    char buf[GIT_WHY_MAX + 4];
    if (npick > GIT_WHY_MAX)
        snprintf(buf, sizeof buf, "%.*s...", GIT_WHY_MAX, pick);
    else
        snprintf(buf, sizeof buf, "%.*s", (int)npick, pick);
    return kstr_escape(buf);
}

/* Runs git -C dir ARGS; K_OK when it exits 0. On failure e says which git
 * command failed where, and why in git's words; its output's first line
 * goes into first (may be NULL; nfirst bytes). */
static int git_run(const char *dir, const char *const *args, struct sbuf *all, char *first,
                   size_t nfirst, struct kerr *e)
{
    size_t nargs = 0;
    while (args[nargs])
        nargs++;
    char **argv = krealloc(NULL, (nargs + 4) * sizeof *argv);
    size_t n = 0;
    int fds[2], rc = K_OK, status = 0;
    const char *cmd = git_cmd(args);
    argv[n++] = (char *)"git";
    argv[n++] = (char *)"-C";
    argv[n++] = (char *)dir;
    for (; *args; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    if (pipe(fds) != 0) {
        free(argv);
        return kerr_set(e, K_ERR, "cannot run git: %s", strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    setenv("GIT_TERMINAL_PROMPT", "0", 1);
    pid_t pid;
    fflush(NULL);
    int err = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    close(fds[1]);
    if (err) {
        close(fds[0]);
        return kerr_set(e, K_ERR, "cannot run git: %s", strerror(err));
    }
    struct sbuf out = {0};
    time_t deadline = time(NULL) + GIT_WAIT_S;
    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        int left = (int)(deadline - time(NULL));
        if (left <= 0 || poll(&p, 1, left * 1000) == 0) {
            kill(pid, SIGTERM);
            rc = kerr_set(e, K_ERR, "git %s took longer than %d seconds; stopped it", cmd,
                          GIT_WAIT_S);
            break;
        }
        char buf[4096];
        ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (out.len < 16384 || all)
            sbuf_addn(&out, buf, (size_t)got);
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (first) {
        size_t k = 0;
        while (out.s && k < out.len && k + 1 < nfirst && out.s[k] != '\n')
            k++;
        memcpy(first, out.s ? out.s : "", k);
        first[k] = 0;
    }
    if (rc == K_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        char *why = git_why(out.s ? out.s : "", out.len), *d = kstr_escape(dir);
        rc = kerr_set(e, K_ERR, "git %s failed in %s: %s", cmd, d, why);
        free(why);
        free(d);
    }
    if (all && rc == K_OK) {
        *all = out;
        return rc;
    }
    sbuf_free(&out);
    return rc;
}

static int git_out(const char *dir, const char *const *args, char *first, size_t nfirst,
                   struct kerr *e)
{
    return git_run(dir, args, NULL, first, nfirst, e);
}

static int git(const char *dir, const char *const *args, struct kerr *e)
{
    return git_out(dir, args, NULL, 0, e);
}

/* The remote the work tree pushes to ("" for none) and its branch. */
static void git_remote(const char *dir, char remote[64], char branch[64])
{
    static const char *const r[] = {"remote", NULL};
    static const char *const b[] = {"symbolic-ref", "--short", "HEAD", NULL};
    if (git_out(dir, r, remote, 64, NULL) != K_OK)
        remote[0] = 0;
    if (git_out(dir, b, branch, 64, NULL) != K_OK)
        branch[0] = 0;
}

static int git_has_upstream(const char *dir)
{
    static const char *const a[] = {"rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}",
                                    NULL};
    return git(dir, a, NULL) == K_OK;
}

/* kith's own paths in the sync folder (a git pathspec, from the folder):
 * the replica folders, named by 16 hex digits. The rest of the work tree
 * is the user's: kith never commits it. */
#define HEX1 "[0-9a-f]"
#define HEX4 HEX1 HEX1 HEX1 HEX1
static const char KITH_PATHS[] = ":(glob)" HEX4 HEX4 HEX4 HEX4 "/**";

/* The files left in conflict anywhere in the work tree ("" when none). */
static void git_unmerged(const char *dir, char first[256])
{
    static const char *const a[] = {"diff", "--name-only", "--diff-filter=U", NULL};
    if (git_out(dir, a, first, 256, NULL) != K_OK)
        first[0] = 0;
}

/* 1 when git knows who commits in dir (user.name and user.email, or the
 * environment): the commit is the user's then, as their own are. */
static int git_has_ident(const char *dir)
{
    static const char *const a[] = {"var", "GIT_AUTHOR_IDENT", NULL};
    static const char *const c[] = {"var", "GIT_COMMITTER_IDENT", NULL};
    return git(dir, a, NULL) == K_OK && git(dir, c, NULL) == K_OK;
}

/* Brings in what the other machines pushed. A clone of a repository that
 * was empty then has no upstream yet: its remote's branch, once there. */
/* A pull that stopped half way (a conflict: a replica forgotten here that
 * pushed again meanwhile) is undone, so the work tree is never left in a
 * rebase for every later sync to trip on. The user's own changes not
 * committed (notes beside the sync folder) are put aside for the rebase
 * and back after it (--autostash: git applies its stash without the index,
 * so what they had staged comes back changed but unstaged; re-adding the
 * paths would stage whole files where only some lines were staged, 'git
 * add -p', so it is said instead); when the pull changed the same files,
 * git leaves them in conflict with the user's changes kept in its stash,
 * and the sync stops there. */
static int pull_or_undo(const char *dir, const char *const *args, struct kerr *e)
{
    static const char *const abort_[] = {"rebase", "--abort", NULL};
    const char *v[16];
    size_t n = 0;
    char file[256];
    /* The rebase makes this machine's commits again: with no git identity
     * here, as kith makes its commits (else a sync after files were left
     * uncommitted, by a sync without git, fails on every pull). */
    if (!git_has_ident(dir)) {
        v[n++] = "-c";
        v[n++] = "user.name=kith";
        v[n++] = "-c";
        v[n++] = "user.email=kith@localhost";
    }
    for (; *args && n < 15; args++)
        v[n++] = *args;
    v[n] = NULL;
    if (git(dir, v, e) == K_OK) {
        git_unmerged(dir, file);
        if (!file[0])
            return K_OK;
        char *f = kstr_escape(file), *d = kstr_escape(dir);
        kerr_set(e, K_ERR,
                 "git pull in %s brought changes to %s, which you had changed and not "
                 "committed: git kept your changes in its stash ('git stash list') and left "
                 "the file in conflict; resolve it ('git status'), then 'git stash drop', and "
                 "sync again; kith's own files were not touched",
                 d, f);
        free(f);
        free(d);
        return K_ERR;
    }
    if (git(dir, abort_, NULL) == K_OK && e) {
        char why[sizeof e->msg], *d = kstr_escape(dir);
        snprintf(why, sizeof why, "%s", e->msg);
        kerr_set(e, K_ERR, "%s (the pull was undone; see 'git status' in %s)", why, d);
        free(d);
    }
    return K_ERR;
}

static int git_pull(const char *dir, struct kerr *e)
{
    static const char *const pull[] = {"pull", "--rebase", "--autostash", "--quiet", NULL};
    char remote[64], branch[64], ref[160];
    if (git_has_upstream(dir))
        return pull_or_undo(dir, pull, e);
    git_remote(dir, remote, branch);
    if (!remote[0] || !branch[0])
        return K_OK;
    const char *const fetch[] = {"fetch", "--quiet", remote, NULL};
    if (git(dir, fetch, e) != K_OK)
        return K_ERR;
    snprintf(ref, sizeof ref, "refs/remotes/%s/%s", remote, branch);
    const char *const has[] = {"rev-parse", "--verify", "--quiet", ref, NULL};
    if (git(dir, has, NULL) != K_OK)
        return K_OK; /* nothing pushed yet */
    const char *const first[] = {"pull", "--rebase", "--autostash", "--quiet",
                                 remote, branch,     NULL};
    return pull_or_undo(dir, first, e);
}

/* Runs git -C dir WORDS [LAST] -- PATHS. */
static int git_paths(const char *dir, const char *const *words, const char *last,
                     const char *const *paths, size_t npaths, struct kerr *e)
{
    size_t nw = 0, n = 0;
    while (words[nw])
        nw++;
    const char **v = krealloc(NULL, (nw + npaths + 3) * sizeof *v);
    for (size_t k = 0; k < nw; k++)
        v[n++] = words[k];
    if (last)
        v[n++] = last;
    v[n++] = "--";
    for (size_t k = 0; k < npaths; k++)
        v[n++] = paths[k];
    v[n] = NULL;
    int rc = git(dir, v, e);
    free(v);
    return rc;
}

/* 1 when replica x is one this replica's state says it forgot. */
static int forgot_here(const char *dir, const char *me, const char *x)
{
    struct rstate st;
    char *rdir = join(dir, me);
    int yes = 0;
    read_state(rdir, &st);
    for (size_t i = 0; i < st.nforgot && !yes; i++)
        yes = !strcmp(st.forgot[i].replica, x);
    rstate_free(&st);
    free(rdir);
    return yes;
}

/* Commits kith's files in the folder that this replica wrote and did not
 * commit yet: its own folder's (files a sync without --git wrote too), and
 * the removal of a replica's folder 'kith sync forget' made here. Nothing
 * else: the user's other files, changed or new, stay as they are (what
 * they staged stays changed, but a pull's rebase may leave it unstaged).
 * Another replica's files are only ever written by that replica: one
 * changed here (a disk's damage, a slip of the hand) is not committed, but
 * put back as git holds it (*restored counts them), so that the damage
 * never reaches the other machines. Each replica commits only its own
 * folder, so the rebase that follows goes through. me: "" before this
 * journal has an id. */
static int git_commit(const char *dir, const char *me, const char *msg, int *committed,
                      size_t *restored, struct kerr *e)
{
    static const char *const status[] = {
        "status",       "--porcelain", "-z",       "--untracked-files=all",
        "--ignored=no", "--",          KITH_PATHS, NULL};
    static const char *const prefix[] = {"rev-parse", "--show-prefix", NULL};
    struct sbuf out = {0};
    char pre[4096], mine[64], *last = NULL;
    char **paths = NULL;
    size_t npaths = 0, npre;
    int rc, own = 0;
    if ((rc = git_out(dir, prefix, pre, sizeof pre, e)) != K_OK ||
        (rc = git_run(dir, status, &out, NULL, 0, e)) != K_OK)
        goto out;
    npre = strlen(pre);
    snprintf(mine, sizeof mine, ":(glob)%s/**", me);
    for (size_t i = 0; out.s && i + 3 < out.len;) {
        char x = out.s[i], y = out.s[i + 1];
        const char *p = out.s + i + 3;
        size_t len = strlen(p);
        i += 3 + len + 1;
        if (x == 'R' || x == 'C') /* the path it was, after it */
            i += strlen(out.s + i) + 1;
        if (len > npre && !strncmp(p, pre, npre)) {
            p += npre;
            len -= npre;
        }
        if (len < 17 || p[16] != '/' || !valid_replica(p, 16))
            continue;
        if (me[0] && !strncmp(p, me, 16)) {
            own = 1;
            continue;
        }
        char top[17];
        memcpy(top, p, 16);
        top[16] = 0;
        if (x == 'D' || y == 'D') {
            char *t = join(dir, top);
            struct stat st;
            int folder_gone = stat(t, &st) != 0;
            free(t);
            if (folder_gone || (me[0] && forgot_here(dir, me, top))) {
                if (last && !strcmp(last, top))
                    continue;
                free(last);
                last = kstr_dup(top);
                paths = krealloc(paths, (npaths + 2) * sizeof *paths);
                paths[npaths++] = kstr_dup(top);
                continue;
            }
        }
        if (x == '?' || x == 'A' || x == 'R' || x == 'C' || x == 'U')
            continue;
        const char *const back[] = {"checkout", "HEAD", "--", p, NULL};
        if ((rc = git(dir, back, e)) != K_OK)
            goto out;
        (*restored)++;
    }
    if (!own && !npaths)
        goto out;
    if (own) {
        paths = krealloc(paths, (npaths + 2) * sizeof *paths);
        paths[npaths++] = kstr_dup(mine);
    }
    /* Only those paths, whatever else the index holds. */
    static const char *const add[] = {"add", "--all", NULL};
    static const char *const staged[] = {"diff", "--cached", "--quiet", NULL};
    static const char *const mine_[] = {"commit", "--quiet", "--no-verify", "-m", NULL};
    static const char *const kiths[] = {
        "-c",     "user.name=kith", "-c",          "user.email=kith@localhost",
        "commit", "--quiet",        "--no-verify", "-m",
        NULL};
    if ((rc = git_paths(dir, add, NULL, (const char *const *)paths, npaths, e)) != K_OK ||
        git_paths(dir, staged, NULL, (const char *const *)paths, npaths, NULL) == K_OK)
        goto out;
    if ((rc = git_paths(dir, git_has_ident(dir) ? mine_ : kiths, msg, (const char *const *)paths,
                        npaths, e)) == K_OK)
        *committed = 1;
out:
    for (size_t k = 0; k < npaths; k++)
        free(paths[k]);
    free(paths);
    free(last);
    sbuf_free(&out);
    return rc;
}

/* 1 when HEAD has commits its upstream lacks (or there is no upstream). */
static int git_ahead(const char *dir)
{
    static const char *const a[] = {"rev-list", "--count", "@{u}..HEAD", NULL};
    char n[32];
    return git_out(dir, a, n, sizeof n, NULL) != K_OK || strcmp(n, "0") != 0;
}

static int git_push(const char *dir, const char *replica, struct sync_report *r, struct kerr *e)
{
    static const char *const push[] = {"push", "--quiet", NULL};
    char remote[64], branch[64], msg[64];
    snprintf(msg, sizeof msg, "kith sync: replica %s", replica);
    int rc = git_commit(dir, replica, msg, &r->committed, &r->restored, e);
    if (rc != K_OK)
        return rc;
    if (!git_has_upstream(dir)) {
        git_remote(dir, remote, branch);
        if (!remote[0])
            return K_OK; /* a repository of this machine only */
        const char *const first[] = {"push", "--quiet", "--set-upstream", remote, "HEAD", NULL};
        if (git(dir, first, e) == K_OK)
            return K_OK;
        if ((rc = git_pull(dir, e)) != K_OK)
            return rc;
        return git(dir, first, e);
    }
    /* Nothing new: no push (a sync from cron every few minutes). */
    if (!git_ahead(dir))
        return K_OK;
    /* Another machine pushed first: its files are in folders this one never
     * writes, so a rebase always goes through. */
    for (int tries = 0; tries < 3; tries++) {
        if (git(dir, push, e) == K_OK)
            return K_OK;
        if ((rc = git_pull(dir, e)) != K_OK)
            return rc;
    }
    return git(dir, push, e);
}

int sync_git_top(const char *dir)
{
    static const char *const top[] = {"rev-parse", "--show-toplevel", NULL};
    char first[4096];
    char *real = kpath_real(dir), *t = NULL;
    int yes = 0;
    if (real && git_out(dir, top, first, sizeof first, NULL) == K_OK && (t = kpath_real(first)))
        yes = !strcmp(t, real);
    free(real);
    free(t);
    return yes;
}

/* ---- sync ---- */

/* The folder dir names when it is not there: the one this journal syncs
 * through (was) may be on a stick not plugged in. kith: the command line
 * that reaches this journal. */
static int dir_missing(const char *dir, const char *was, const char *kith, struct kerr *e)
{
    char *d = kstr_escape(dir), *w = was ? kstr_escape(was) : NULL;
    int rc;
    if (w && !strcmp(dir, was))
        rc = kerr_set(e, K_USAGE,
                      "%s, the folder this journal syncs through, is not there (a USB stick not "
                      "plugged in, a share not mounted?); nothing was done; if it moved: %s "
                      "sync NEWDIR --move",
                      w, kith);
    else if (w)
        rc = kerr_set(e, K_USAGE,
                      "%s is not there; this journal syncs through %s (a USB stick not plugged "
                      "in, a share not mounted?); nothing was done",
                      d, w);
    else
        rc = kerr_set(e, K_USAGE, "%s: %s; make the folder first (any folder your machines share)",
                      d, strerror(ENOENT));
    free(d);
    free(w);
    return rc;
}

/* 1 when git's folder for dir has the file name (a rebase's state). */
static int git_has_path(const char *dir, const char *name)
{
    const char *const a[] = {"rev-parse", "--git-path", name, NULL};
    char p[4096];
    struct stat st;
    if (git_out(dir, a, p, sizeof p, NULL) != K_OK || !p[0])
        return 0;
    char *full = p[0] == '/' ? kstr_dup(p) : join(dir, p);
    int yes = stat(full, &st) == 0;
    free(full);
    return yes;
}

/* K_USAGE when the work tree is not on a branch (a detached HEAD, a rebase
 * or merge not finished, files left in conflict): what kith committed
 * there would end up on no branch, or in the user's merge. d: dir, escaped. */
static int git_ready(const char *dir, const char *d, struct kerr *e)
{
    static const char *const branch[] = {"symbolic-ref", "--quiet", "HEAD", NULL};
    static const char *const merge[] = {"rev-parse", "--quiet", "--verify", "MERGE_HEAD", NULL};
    static const char *const pick[] = {"rev-parse", "--quiet", "--verify", "CHERRY_PICK_HEAD",
                                       NULL};
    static const char *const revert[] = {"rev-parse", "--quiet", "--verify", "REVERT_HEAD", NULL};
    char file[256];
    const char *what = NULL, *way_out = NULL;
    if (git_has_path(dir, "rebase-merge") || git_has_path(dir, "rebase-apply")) {
        what = "is in the middle of a rebase";
        way_out = "finish it (git rebase --continue) or undo it (git rebase --abort)";
    } else if (git(dir, merge, NULL) == K_OK) {
        what = "is in the middle of a merge";
        way_out = "finish it (git commit) or undo it (git merge --abort)";
    } else if (git(dir, pick, NULL) == K_OK || git(dir, revert, NULL) == K_OK) {
        what = "is in the middle of a cherry-pick or revert";
        way_out = "finish it (git cherry-pick --continue) or undo it (--abort)";
    } else if (git(dir, branch, NULL) != K_OK) {
        what = "is on a detached HEAD (no branch checked out): what kith committed would be on "
               "no branch";
        way_out = "check out the branch the machines share (git switch BRANCH)";
    } else {
        git_unmerged(dir, file);
        if (file[0]) {
            what = "has files in conflict ('git status')";
            way_out = "resolve them";
        }
    }
    if (!what)
        return K_OK;
    return kerr_set(e, K_USAGE, "the git work tree of %s %s; nothing was done: %s, then try again",
                    d, what, way_out);
}

/* K_USAGE when the work tree's ignore rules (.gitignore, info/exclude, a
 * global excludes file) cover kith's files: they would never be committed
 * nor pushed, and every sync would still say it was. The files a replica
 * writes, under an id of no replica. d: dir, escaped. */
static int git_ignored(const char *dir, const char *d, struct kerr *e)
{
    static const char *const names[] = {"0000000000000000/1.changeset", "0000000000000000/state",
                                        "0000000000000000/snapshot.kith", NULL};
    for (const char *const *p = names; *p; p++) {
        const char *const q[] = {"check-ignore", "--quiet", "--", *p, NULL};
        const char *const v[] = {"check-ignore", "--verbose", "--", *p, NULL};
        char rule[512];
        if (git(dir, q, NULL) != K_OK)
            continue;
        if (git_out(dir, v, rule, sizeof rule, NULL) != K_OK || !rule[0])
            snprintf(rule, sizeof rule, "git check-ignore -v %s", *p);
        char *tab = strchr(rule, '\t');
        if (tab)
            *tab = 0;
        char *r = kstr_escape(rule);
        int rc = kerr_set(e, K_USAGE,
                          "git ignores kith's files in %s (the rule %s): they would never be "
                          "committed nor pushed; nothing was done: take that rule out (or add "
                          "one that starts with '!'), then try again",
                          d, r);
        free(r);
        return rc;
    }
    return K_OK;
}

static int check_dir(const char *dir, unsigned flags, struct kerr *e)
{
    struct stat st;
    char *d = kstr_escape(dir);
    int rc = K_OK;
    if (stat(dir, &st) != 0)
        rc = kerr_set(e, K_USAGE, "%s: %s; make the folder first (any folder your machines share)",
                      d, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = kerr_set(e, K_USAGE, "%s is not a folder", d);
    /* Read, not write: kith writes only in this replica's own folder
     * there, which may be all a shared folder lets this user write
     * (own_folder says so when it must be made). */
    else if (access(dir, R_OK | X_OK) != 0)
        rc = kerr_set(e, K_USAGE,
                      "%s: cannot read this folder (%s): kith reads every replica's folder in it; "
                      "give your user read access to it",
                      d, strerror(errno));
    else if (flags & SYNC_GIT) {
        static const char *const a[] = {"rev-parse", "--is-inside-work-tree", NULL};
        if (git(dir, a, NULL) != K_OK)
            rc = kerr_set(e, K_USAGE,
                          "%s is not a git work tree (git init, or git clone the "
                          "shared repository, first)",
                          d);
        else if ((rc = git_ready(dir, d, e)) == K_OK)
            rc = git_ignored(dir, d, e);
    }
    free(d);
    return rc;
}

/* K_USAGE when real (the sync folder, resolved) is no folder to share: it
 * holds the live journal (a sync tool would carry it half written), or it
 * is one replica's folder inside the sync folder. */
static int shareable(struct journal *j, const char *real, struct kerr *e)
{
    char *jreal = kpath_real(journal_path(j));
    char *jdir = jreal ? kpath_dirname(jreal) : NULL;
    const char *base = strrchr(real, '/');
    size_t n = strlen(real);
    int rc = K_OK;
    base = base ? base + 1 : real;
    if (jdir && !strncmp(jdir, real, n) && (jdir[n] == '/' || !jdir[n] || n == 1)) {
        char *d = kstr_escape(real), *p = kstr_escape(jreal);
        rc = kerr_set(e, K_USAGE,
                      "%s holds this journal (%s); the live journal is never in the shared "
                      "folder: sync through a folder of its own (e.g. ~/Sync/kith); nothing was "
                      "done",
                      d, p);
        free(d);
        free(p);
    } else if (valid_replica(base, strlen(base))) {
        char *d = kstr_escape(real), *up = kpath_dirname(real), *u = kstr_escape(up);
        rc = kerr_set(e, K_USAGE,
                      "%s is a replica's folder inside a sync folder: name the sync folder "
                      "itself (%s); nothing was done",
                      d, u);
        free(d);
        free(up);
        free(u);
    }
    free(jdir);
    free(jreal);
    return rc;
}

static int other_folder(const char *was, const char *real, const char *kith, struct kerr *e)
{
    char *w = kstr_escape(was), *r = kstr_escape(real), *q = kstr_shell(real);
    int rc = kerr_set(e, K_USAGE,
                      "this journal syncs through %s, not %s; nothing was done (if the shared "
                      "folder moved there: %s sync %s --move)",
                      w, r, kith, q);
    free(w);
    free(r);
    free(q);
    return rc;
}

/* 1 when every replica folder in a is in b too. */
static int replicas_in(const char *a, const char *b)
{
    char(*ra)[17] = NULL, (*rb)[17] = NULL;
    size_t na = list_replicas(a, &ra, NULL), nb = list_replicas(b, &rb, NULL);
    int yes = 1;
    for (size_t i = 0; yes && i < na; i++)
        yes = bsearch(ra[i], rb, nb, sizeof *rb, cmp_id) != NULL;
    free(ra);
    free(rb);
    return yes;
}

/* A replica whose files in folder a go past those in folder b: its id
 * into rep and its last file in a into *seq, 1; else 0. */
static int newer_in(const char *a, const char *b, char rep[17], long long *seq)
{
    char(*ra)[17] = NULL;
    size_t na = list_replicas(a, &ra, NULL);
    int found = 0;
    for (size_t i = 0; !found && i < na; i++) {
        long long *fa = NULL, *fb = NULL;
        char *da = join(a, ra[i]), *db = join(b, ra[i]);
        size_t nfa = list_files(da, &fa, NULL), nfb = list_files(db, &fb, NULL);
        if (nfa && (!nfb || fa[nfa - 1] > fb[nfb - 1])) {
            found = 1;
            snprintf(rep, 17, "%s", ra[i]);
            *seq = fa[nfa - 1];
        }
        free(fa);
        free(fb);
        free(da);
        free(db);
    }
    free(ra);
    return found;
}

/* --move: the journal syncs through real from now on, when that is the
 * shared folder moved (or copied) there: it holds this replica's folder
 * with its last file, and the old folder is gone or holds nothing more. */
static int move_to(struct db *db, const char *was, const char *real, struct sync_report *out,
                   struct kerr *e)
{
    long long sent, *files = NULL;
    struct stat st;
    char *mine = join(real, out->replica);
    size_t nf = list_files(mine, &files, NULL);
    int rc = dbsync_fileseq(db, &sent, e), has = !sent || (nf && files[nf - 1] >= sent);
    free(files);
    free(mine);
    if (rc != K_OK)
        return rc;
    char *w = kstr_escape(was), *r = kstr_escape(real), rep[17];
    long long last = 0;
    int there = stat(was, &st) == 0;
    /* A copy made before this replica's last sync, the old folder still
     * there: its files are what the copy lacks. */
    if (!has && there)
        rc = kerr_set(e, K_USAGE,
                      "%s does not hold this replica's folder with its files (its last is file "
                      "%lld): it is not the folder %s moved, or a copy of it made before; copy "
                      "%s/%s into it, then run this again; nothing was done",
                      r, sent, w, w, out->replica);
    else if (!has)
        rc = kerr_set(e, K_USAGE,
                      "%s does not hold this replica's folder with its files (its last is file "
                      "%lld): it is not the folder %s moved; nothing was done",
                      r, sent, w);
    else if (there && !replicas_in(was, real))
        rc = kerr_set(e, K_USAGE,
                      "%s is still there, with replica folders %s lacks: move what it holds "
                      "first; nothing was done",
                      w, r);
    /* Another replica synced through the old folder since the copy: the
     * two would each miss the other's changes. */
    else if (there && newer_in(was, real, rep, &last))
        rc = kerr_set(e, K_USAGE,
                      "%s is still there, with files %s lacks (replica %.8s's file %lld): copy "
                      "them over first (another machine synced through it since the copy); "
                      "nothing was done",
                      w, r, rep, last);
    else if ((rc = dbsync_set_dir(db, real, e)) == K_OK) {
        snprintf(out->moved_from, sizeof out->moved_from, "%s", was);
        out->moved_left = there;
    }
    free(w);
    free(r);
    return rc;
}

/* 1 when the folder no longer holds every change its replicas made (a
 * replica removed old files, or forgot one whose changes are only in
 * snapshots now), with what says so in what; 0 when it holds them all. */
static int folder_gap(const char *dir, char (*reps)[17], size_t nreps, char *what, size_t n)
{
    what[0] = 0;
    for (size_t i = 0; !what[0] && i < nreps; i++) {
        struct rstate st;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        free(rdir);
        if (st.pruned > 0)
            snprintf(what, n, "replica %.8s removed its files 1 to %lld from it", reps[i],
                     st.pruned);
        for (size_t f = 0; !what[0] && f < st.nforgot; f++) {
            char *x = join(dir, st.forgot[f].replica);
            if (st.forgot[f].seq > 0 && !kpath_exists(x))
                snprintf(what, n,
                         "replica %.8s forgot replica %.8s, whose changes are "
                         "only in snapshots now",
                         reps[i], st.forgot[f].replica);
            free(x);
        }
        rstate_free(&st);
    }
    return what[0] != 0;
}

/* 1 when the folder lacks changes only a snapshot holds (folder_gap) and
 * no replica's folder holds one (removed by hand, or by the tool that
 * syncs the folder): no new journal could join. */
static int snapshot_wanted(const char *dir, char (*reps)[17], size_t nreps)
{
    char what[160];
    for (size_t i = 0; i < nreps; i++) {
        char *rdir = join(dir, reps[i]), *snap = join(rdir, "snapshot.kith");
        int has = kpath_exists(snap);
        free(snap);
        free(rdir);
        if (has)
            return 0;
    }
    return folder_gap(dir, reps, nreps, what, sizeof what);
}

/* K_OK when the folder still holds every change its replicas made
 * (folder_gap). Else a journal with contacts of its own cannot join (it
 * would apply the files left, miss the others' first changes for ever,
 * and hold their later files back): K_ERR before anything is written,
 * with the way in. */
static int join_whole(struct journal *j, const char *dir, char (*reps)[17], size_t nreps,
                      struct kerr *e)
{
    char what[160];
    if (!folder_gap(dir, reps, nreps, what, sizeof what))
        return K_OK;
    char *d = kstr_shell(dir), *me = kstr_shell(journal_path(j));
    int rc = kerr_set(e, K_ERR,
                      "this journal holds contacts and never synced, and the folder no longer "
                      "holds every change (%s, once every replica had applied them): only an "
                      "empty journal can join it now, from its snapshot; nothing was done, your "
                      "contacts are safe in this journal and the folder is as it was. To join "
                      "with them: kith --db NEW.db sync %s (a new journal, started from the "
                      "snapshot), then kith --db %s export vcard -o mine.vcf and kith --db "
                      "NEW.db import vcard mine.vcf (your contacts and their details; "
                      "interactions, referrals and thanks stay in this journal), kith --db "
                      "NEW.db dupes for people in both, and use NEW.db from then on",
                      what, d, me);
    free(d);
    free(me);
    return rc;
}

/* A journal that never synced: a copy of the newest snapshot in the folder
 * when it is empty and there is one; else sync is turned on. */
static int start(struct journal *j, const char *dir, char (*reps)[17], size_t nreps,
                 sync_note_fn note, void *ud, struct sync_report *r, struct kerr *e)
{
    struct db *db = journal_db(j);
    int empty = dbsync_empty(db, e);
    if (empty < 0)
        return K_ERR;
    char *best = NULL, *bad = NULL;
    long long best_at = -1;
    /* The newest snapshot (by the clock of the replica that wrote it) has
     * every change removed from the folder before it was written. */
    for (size_t i = 0; empty && i < nreps; i++) {
        char *rdir = join(dir, reps[i]), *snap = join(rdir, "snapshot.kith");
        long long at = kpath_exists(snap) ? dbsync_snapshot_stamp(snap) : -1;
        if (at < 0 && kpath_exists(snap)) {
            /* Said, not taken for no snapshot: a journal would else loop
             * on "start again from a snapshot" with no word of why. */
            struct kerr why;
            if (dbfile_check(snap, &why) == K_OK)
                kerr_set(&why, K_ERR, "%s is a kith journal that does not sync, not a snapshot",
                         snap);
            notef(note, ud, "%s", why.msg);
            free(bad);
            bad = kstr_dup(snap);
        }
        if (at > best_at) {
            free(best);
            best = snap;
            best_at = at;
        } else {
            free(snap);
        }
        free(rdir);
    }
    int rc;
    /* Without it, a journal can only start when the folder still holds
     * every file. */
    for (size_t i = 0; bad && !best && i < nreps; i++) {
        struct rstate st;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        if (st.pruned || st.nforgot) {
            char *b = kstr_escape(bad), *d = kstr_shell(dir);
            rstate_free(&st);
            free(rdir);
            rc = kerr_set(e, K_ERR,
                          "no intact snapshot to start from (%s is not one, see above), and "
                          "replica %s removed old files from the folder; nothing was done: remove "
                          "the bad snapshot, then sync on a machine that syncs through the "
                          "folder and has applied everything (it leaves a snapshot when the "
                          "folder has none), then here again: %s sync %s",
                          b, reps[i], journal_command(j), d);
            free(d);
            free(b);
            free(bad);
            return rc;
        }
        rstate_free(&st);
        free(rdir);
    }
    free(bad);
    /* Nor an empty one with no snapshot at all, once the folder lost
     * changes: it would turn sync on and never catch up. */
    char what[160];
    if (empty && !best && folder_gap(dir, reps, nreps, what, sizeof what)) {
        char *d = kstr_shell(dir);
        rc = kerr_set(e, K_ERR,
                      "the folder no longer holds every change (%s, once every replica had "
                      "applied them), and no snapshot to start from (removed by hand, or by the "
                      "tool that syncs the folder?); nothing was done: sync on a machine that "
                      "syncs through it and has applied everything (it leaves a snapshot when "
                      "the folder has none), then here again: %s sync %s",
                      what, journal_command(j), d);
        free(d);
        return rc;
    }
    if (!empty && (rc = join_whole(j, dir, reps, nreps, e)) != K_OK)
        return rc;
    r->started = 1;
    if (best) {
        rc = dbsync_adopt(db, best, dir, r->replica, e);
        r->adopted = rc == K_OK;
        /* Whether the folder is a git work tree was the writer's to say
         * of its own copy of it, not this one's. */
        if (rc == K_OK && dbsync_git(db) >= 0)
            rc = dbsync_set_git(db, -1, e);
    } else {
        rc = dbsync_enable(db, dir, r->replica, e);
    }
    free(best);
    return rc;
}

/* ---- duplicates a sync brings ---- */

/* The likely duplicate pairs of a contact this sync's applies added and
 * one the journal held before (0 when they cannot be found: the hint they
 * serve is not worth failing a sync for). Two machines that each imported
 * one address book hold each person twice once they have synced; each is
 * told when the other's contacts arrive, and a later sync that brings no
 * contact says nothing (nor looks: the search is only for a sync whose
 * applies added contacts, and only among their emails, phones and names). */
static size_t pairs_arrived(struct journal *j)
{
    struct dupes_list l = {NULL, 0, 0};
    size_t arrived, n = 0;
    if (dupes_find_arrived(j, 0, &arrived, &l, NULL) == K_OK)
        n = l.n;
    dupes_list_clear(&l);
    return n;
}

/* Two syncs of one journal at once would write the same file numbers. A
 * lock file beside the journal, not the journal itself: a lock on it
 * (fcntl, on NFS) would end with SQLite's own when released. Removed while
 * held; a taker that locked the file just removed tries again. -1 when
 * another sync holds it after LOCK_WAIT_MS; else the file's descriptor
 * (or -2 when it cannot be made: a folder not writable, no lock then). */
#define LOCK_WAIT_MS 5000
static int lock_take(const char *path)
{
    for (int waited = 0;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            return -2;
        struct stat a, b;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
                a.st_dev == b.st_dev)
                return fd;
            close(fd);
            continue;
        }
        close(fd);
        if (waited >= LOCK_WAIT_MS)
            return -1;
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
        waited += 100;
    }
}

static int run(struct journal *j, const char *dir, unsigned flags, sync_note_fn note, void *ud,
               struct sync_report *out, struct kerr *e);

struct lock {
    char *path;
    int fd;
};

/* K_ERR when another sync (or forget) of the journal holds the lock. */
static int lock_journal(struct journal *j, struct lock *l, struct kerr *e)
{
    struct sbuf b = {0};
    sbuf_printf(&b, "%s.sync-lock", journal_path(j));
    l->path = sbuf_take(&b);
    if ((l->fd = lock_take(l->path)) != -1)
        return K_OK;
    char *p = kstr_escape(l->path);
    kerr_set(e, K_ERR,
             "another kith sync is running on this journal (it holds %s); nothing was done: try "
             "again once it is over",
             p);
    free(p);
    free(l->path);
    l->path = NULL;
    return K_ERR;
}

static void unlock_journal(struct lock *l)
{
    if (l->fd >= 0) {
        unlink(l->path);
        close(l->fd);
    }
    free(l->path);
}

int sync_run(struct journal *j, const char *dir, unsigned flags, sync_note_fn note, void *ud,
             struct sync_report *out, struct kerr *e)
{
    struct lock l;
    memset(out, 0, sizeof *out);
    if (lock_journal(j, &l, e) != K_OK)
        return K_ERR;
    /* One line per contact deleted here and edited there, for the run. */
    int rc = dbconflict_run(journal_db(j), 1, e);
    if (rc == K_OK)
        rc = run(j, dir, flags, note, ud, out, e);
    dbconflict_run(journal_db(j), 0, NULL);
    unlock_journal(&l);
    return rc;
}

static int run(struct journal *j, const char *dir, unsigned flags, sync_note_fn note, void *ud,
               struct sync_report *out, struct kerr *e)
{
    struct db *db = journal_db(j);
    char(*reps)[17] = NULL;
    char *real = NULL, *rdir = NULL;
    struct own own = {NULL, 0, 0};
    struct challenge ch_was, ch_now;
    char *foreign = NULL;
    int rc, bad = 0, watch = 0, had = 0;
    memset(out, 0, sizeof *out);
    memset(&ch_was, 0, sizeof ch_was);
    memset(&ch_now, 0, sizeof ch_now);
    if ((rc = check_dir(dir, flags, e)) != K_OK) {
        /* With sync on, a folder that is not there is not one to make. */
        char *was = dbsync_dir(db);
        struct stat st;
        if (was && stat(dir, &st) != 0)
            rc = dir_missing(dir, was, journal_command(j), e);
        free(was);
        return rc;
    }
    real = kpath_real(dir);
    if (!real)
        return kerr_set(e, K_USAGE, "cannot resolve the folder %s", dir);
    if ((rc = shareable(j, real, e)) != K_OK || (rc = dbsync_replica(db, out->replica, e)) != K_OK)
        goto out;
    if (out->replica[0]) {
        char *was = dbsync_dir(db);
        if (was && strcmp(was, real))
            rc = (flags & SYNC_MOVE) ? move_to(db, was, real, out, e)
                                     : other_folder(was, real, journal_command(j), e);
        free(was);
        if (rc != K_OK)
            goto out;
        /* Sync on, files sent, and the folder holds no replica at all: an
         * empty mount point (the stick not plugged in), not the folder. A
         * replica forgotten by the others finds their folders, and comes
         * back. */
        long long sent = 0;
        char(*any)[17] = NULL;
        int err;
        size_t nany = list_replicas(real, &any, &err);
        free(any);
        if (err) {
            rc = unreadable(real, err, e);
            goto out;
        }
        if ((rc = dbsync_fileseq(db, &sent, e)) != K_OK)
            goto out;
        if (sent > 0 && !nany) {
            char *w = kstr_escape(real);
            rc = kerr_set(e, K_USAGE,
                          "%s holds no replica's folder, not even this journal's (a USB stick "
                          "not plugged in, its mount point empty?); nothing was done",
                          w);
            free(w);
            goto out;
        }
    }
    if (flags & SYNC_GIT) {
        char msg[64];
        snprintf(msg, sizeof msg, "kith sync: replica %s", out->replica[0] ? out->replica : "new");
        if ((rc = git_commit(real, out->replica, msg, &out->committed, &out->restored, e)) !=
                K_OK ||
            (rc = git_pull(real, e)) != K_OK)
            goto out;
    }
    int err;
    size_t nreps = list_replicas(real, &reps, &err);
    if (err) {
        rc = unreadable(real, err, e);
        goto out;
    }
    if (!out->replica[0] && ((rc = top_writable(real, e)) != K_OK ||
                             (rc = start(j, real, reps, nreps, note, ud, out, e)) != K_OK))
        goto out;
    rdir = join(real, out->replica);
    own_list(&own, rdir);
    if (own.err) {
        rc = unreadable(rdir, own.err, e);
        goto out;
    }
    if (!out->started) {
        /* Two journals writing as one replica would each miss the other's
         * changes (every replica skips its own folder): this one takes a
         * new id, and applies the other's files as another replica's. */
        long long mine, from;
        int w = written_elsewhere(j, real, rdir, &own, out->replica, reps, nreps, &mine, e);
        /* A file there that kith did not write: nothing is sent past it,
         * but the others' changes still come (said at the end). */
        if (w == -2) {
            foreign = kstr_dup(e->msg);
            w = 0;
        }
        int t = w < 0 ? 0 : twin_files(j, rdir, &own, out->replica, mine, &from, note, ud, e);
        if (w < 0 || t < 0) {
            rc = K_ERR;
            goto out;
        }
        if (t) {
            w = 1;
            mine = from - 1;
        }
        /* The new id needs a folder of its own: a top this user cannot
         * write refuses the run before the journal takes it. */
        if (w && (rc = top_writable(real, e)) != K_OK)
            goto out;
        if (w) {
            snprintf(out->was, sizeof out->was, "%s", out->replica);
            if ((rc = dbsync_rekey(db, out->was, mine, out->replica, e)) != K_OK)
                goto out;
            /* A new id: a folder of its own, not there yet. */
            free(rdir);
            rdir = join(real, out->replica);
            own_free(&own);
            own_list(&own, rdir);
        }
    }
    if (!out->started && !out->was[0] && (out->refill = folder_lost(j, rdir, &own, e)) < 0) {
        rc = K_ERR;
        goto out;
    }
    /* Lost as 'kith sync forget' on another machine removes a folder. */
    for (size_t i = 0; out->refill && !out->forgot_by[0] && i < nreps; i++)
        if (strcmp(reps[i], out->replica) && forgot_here(real, reps[i], out->replica))
            snprintf(out->forgot_by, sizeof out->forgot_by, "%s", reps[i]);
    if ((rc = own_folder(rdir, e)) != K_OK ||
        (!foreign && (rc = send(j, rdir, &own, out->replica, out, e)) != K_OK))
        goto out;
    /* A journal started from a snapshot held nothing before: no pair of
     * the copy is news to it. */
    watch = !out->adopted && dupes_arrivals_begin(j, NULL) == K_OK;
    had = challenge_active(j, &ch_was, NULL) == K_OK;
    for (size_t i = 0; i < nreps; i++)
        if (strcmp(reps[i], out->replica) && receive(j, real, reps[i], note, ud, out) != K_OK)
            bad = 1;
    if (!bad && caught_up(j, real, reps, nreps, out->replica, note, ud, e) != K_OK)
        bad = 1;
    if (!foreign && (rc = repair(j, real, &own, out->replica, reps, nreps, out, e)) != K_OK)
        goto out;
    /* What applying sent again (a contact kept against a delete). */
    if (!foreign && (rc = send(j, rdir, &own, out->replica, out, e)) != K_OK)
        goto out;
    if (watch && out->files)
        out->dupes = pairs_arrived(j);
    /* Two challenges started on two machines before they synced: the one
     * shown is the later start everywhere, which may not be this one's. */
    if (had && out->files && challenge_active(j, &ch_now, NULL) == K_OK &&
        strcmp(ch_was.id, ch_now.id)) {
        out->challenge_was = ch_was.started_on;
        out->challenge_now = ch_now.started_on;
        if (ch_was.today_done && !ch_now.today_done && ch_now.day > 0 && !ch_now.finished)
            out->challenge_tick_stayed = journal_today(j);
    }
    /* A large journal turning sync on leaves a snapshot beside the file
     * that sends it all: a new machine's empty journal starts from the copy
     * (about 2 s for 100k contacts) instead of applying every row one by
     * one (5 s for 10k contacts, minutes for 100k). A small one does not:
     * its file applies in well under a second. Only once every other
     * replica's files are applied here: a snapshot holds every change
     * removed from the folder before it was written. */
    /* So does a journal whose folder lost the files it had sent: the
     * snapshot holds those changes for journals to come, as after a prune
     * (the state says they were removed). */
    /* And one whose file another replica found damaged, and that it can no
     * longer write again: the stuck replica starts again from it. */
    /* And one in a folder that lost changes and every snapshot (removed by
     * hand, or by the tool that syncs it): no new journal could join. */
    out->snap_again = !bad && !foreign && snapshot_wanted(real, reps, nreps);
    if (!bad && !foreign &&
        (out->refill || out->lost_new || out->snap_again ||
         (out->started && !out->adopted && out->sent_bytes >= SYNC_SNAPSHOT_FIRST))) {
        char *snap = join(rdir, "snapshot.kith");
        rc = dbsync_snapshot_write(journal_db(j), snap, e);
        free(snap);
        if (rc != K_OK)
            goto out;
        out->snapshot = 1;
    }
    /* No prune while this journal lacks changes: its snapshot would too. */
    if ((!bad && !foreign &&
         (rc = prune(j, real, &own, out->replica, reps, nreps, out, e)) != K_OK) ||
        (rc = write_state(j, rdir, &own, out, (flags & SYNC_GIT) != 0, e)) != K_OK)
        goto out;
    if ((flags & SYNC_GIT) && (rc = git_push(real, out->replica, out, e)) != K_OK)
        goto out;
    if (foreign)
        rc = kerr_set(e, K_ERR, "%s", foreign);
    else if (bad) {
        out->partial = 1;
        rc = kerr_set(e, K_ERR,
                      "some changes could not be applied (see above); the rest was synced");
    }
out:
    free(foreign);
    if (watch)
        dupes_arrivals_end(j);
    challenge_clear(&ch_was);
    challenge_clear(&ch_now);
    own_free(&own);
    free(reps);
    free(rdir);
    free(real);
    return rc;
}

/* ---- forgetting a replica ---- */

/* 1 when the n bytes at s are digits only. */
static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

/* 1 when the n bytes at s are YYYYMMDD-HHMMSS. */
static int stamp_compact(const char *s, size_t n)
{
    return n == 15 && digits(s, 8) && s[8] == '-' && digits(s + 9, 6);
}

/* 1 when the text inside a " (...)" tag is one a sync tool adds to a copy
 * it made: Dropbox's "conflicted copy", "NAME's conflicted copy[ DATE]",
 * "Case Conflict[ N]", "Unicode Encoding Conflict[ N]" (and Maestral's
 * "conflicting copy"); Nextcloud's and ownCloud's "conflicted copy [USER
 * ]YYYY-MM-DD HHMMSS" and "case clash from DATE TIME". */
static int copy_tag(const char *t, size_t n)
{
    static const char *const whole[] = {"case conflict", "unicode encoding conflict"};
    static const char *const copy[] = {"conflicted copy", "conflicting copy"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        size_t w = strlen(whole[i]);
        if (n >= w && !strncasecmp(t, whole[i], w) &&
            (n == w || (t[w] == ' ' && digits(t + w + 1, n - w - 1))))
            return 1;
    }
    if (n > 16 && !strncasecmp(t, "case clash from ", 16))
        return 1;
    for (size_t i = 0; i < sizeof copy / sizeof *copy; i++) {
        size_t w = strlen(copy[i]);
        for (size_t at = 0; at + w <= n; at++) {
            if (strncasecmp(t + at, copy[i], w) || (at + w < n && t[at + w] != ' '))
                continue;
            /* At the start, or after someone's name: "Ana's ". */
            if (at == 0 ||
                (at >= 3 && t[at - 1] == ' ' && t[at - 2] == 's' &&
                 (t[at - 3] == '\'' || (at >= 5 && !memcmp(t + at - 5, "\xe2\x80\x99", 3)))))
                return 1;
        }
    }
    return 0;
}

/* The name of the file a sync tool's conflict copy called name was made
 * of, into base (of size nbase): 1 when name is one. The tools put their
 * tag before the extension (the last dot):
 *   Syncthing  BASE.sync-conflict-YYYYMMDD-HHMMSS-DEVICE[.EXT]
 *   Dropbox    BASE (NAME's conflicted copy YYYY-MM-DD)[.EXT], BASE (Case
 *              Conflict)[.EXT] and the like (copy_tag)
 *   Nextcloud, ownCloud  BASE (conflicted copy [USER ]YYYY-MM-DD
 *              HHMMSS)[.EXT]; before 2.5, BASE_conflict-[USER-]YYYYMMDD-HHMMSS[.EXT]
 * A copy of a copy is a copy of the first file. */
static int conflict_copy(const char *name, char *base, size_t nbase)
{
    char cur[NAME_MAX + 1];
    int found = 0;
    if (strlen(name) >= sizeof cur)
        return 0;
    snprintf(cur, sizeof cur, "%s", name);
    for (int depth = 0; depth < 4; depth++) {
        size_t n = strlen(cur), cut = 0, resume = 0;
        const char *c = strstr(cur, ".sync-conflict-"), *close = strrchr(cur, ')');
        const char *old = NULL;
        for (const char *p = cur; (p = strstr(p, "_conflict-")); p++)
            old = p;
        if (c) {
            const char *p = c + 15, *ext = strchr(p + 16, '.');
            if (strlen(p) < 17 || !stamp_compact(p, 15) || p[15] != '-')
                break;
            cut = (size_t)(c - cur);
            resume = ext ? (size_t)(ext - cur) : n;
        } else if (close && (!close[1] || close[1] == '.') && !strchr(close + 1, ' ')) {
            const char *open = NULL;
            for (const char *p = cur; p < close && (p = strstr(p, " (")) && p < close; p++)
                open = p;
            if (!open || !copy_tag(open + 2, (size_t)(close - open - 2)))
                break;
            cut = (size_t)(open - cur);
            resume = (size_t)(close + 1 - cur);
        } else if (old) {
            const char *dot = strrchr(old, '.');
            size_t tag = dot ? (size_t)(dot - old) : strlen(old);
            if (tag < 25 || !stamp_compact(old + tag - 15, 15) ||
                (tag > 25 && old[tag - 16] != '-'))
                break;
            cut = (size_t)(old - cur);
            resume = cut + tag;
        } else {
            break;
        }
        if (!cut)
            break;
        memmove(cur + cut, cur + resume, n - resume + 1);
        found = 1;
    }
    if (found)
        snprintf(base, nbase, "%s", cur);
    return found;
}

/* What a replica's folder may hold to be removed whole: what kith writes
 * there, its temporary files (NAME.tmp-XXXXXX), Syncthing's temporary
 * files (.syncthing.NAME.tmp) and the conflict copies sync tools make of
 * them (conflict_copy). Anything else is someone's, and stays. */
static int ours_to_remove(const char *name)
{
    size_t n = strlen(name);
    char base[NAME_MAX + 1];
    const char *t = strstr(name, ".tmp-");
    if (t && strlen(t) == 11 && kith_name(name, (size_t)(t - name)))
        return 1;
    if (!strncmp(name, ".syncthing.", 11) && n > 15 && !strcmp(name + n - 4, ".tmp"))
        return kith_name(name + 11, n - 15);
    if (conflict_copy(name, base, sizeof base))
        return kith_name(base, strlen(base));
    return kith_name(name, n);
}

/* The replica in dir whose id starts with want: K_USAGE when none or more
 * than one does (kith: the command line that reaches this journal). */
static int find_replica(const char *dir, const char *typed, char (*reps)[17], size_t nreps,
                        const char *kith, char out[17], struct kerr *e)
{
    size_t n = strlen(typed), found = 0;
    char want[DBSYNC_ID_LEN + 1];
    if (n < 4 || n > DBSYNC_ID_LEN)
        return kerr_set(e, K_USAGE, "give the replica's id, or at least its first 4 characters");
    /* Copied by hand from another screen, it may come in capitals. */
    for (size_t i = 0; i <= n; i++)
        want[i] = typed[i] >= 'A' && typed[i] <= 'F' ? (char)(typed[i] - 'A' + 'a') : typed[i];
    for (size_t i = 0; i < n; i++)
        if (!((want[i] >= '0' && want[i] <= '9') || (want[i] >= 'a' && want[i] <= 'f')))
            return kerr_set(e, K_USAGE,
                            "a replica's id is 16 characters of 0-9 and a-f; to list them: %s "
                            "sync status",
                            kith);
    for (size_t i = 0; i < nreps; i++)
        if (!strncmp(reps[i], want, n) && found++ == 0)
            snprintf(out, 17, "%s", reps[i]);
    if (found == 1)
        return K_OK;
    char *d = kstr_escape(dir);
    int rc = found ? kerr_set(e, K_USAGE, "%zu replicas in %s start with %s; give more of the id",
                              found, d, want)
                   : kerr_set(e, K_USAGE, "no replica %s in %s; to list them: %s sync status", want,
                              d, kith);
    free(d);
    return rc;
}

/* K_OK when every other replica in the folder that has synced has applied
 * all of gone's files: its changes are nowhere else once it is forgotten. */
static int others_have(const char *dir, char (*reps)[17], size_t nreps, const char *me,
                       const char *gone, long long last, struct kerr *e)
{
    struct sbuf lag = {0};
    size_t n = 0;
    for (size_t i = 0; i < nreps; i++) {
        struct rstate st;
        if (!strcmp(reps[i], me) || !strcmp(reps[i], gone))
            continue;
        char *rdir = join(dir, reps[i]);
        read_state(rdir, &st);
        free(rdir);
        /* One without a state (its first sync never finished, or the
         * file not here yet) has applied nothing as far as anyone knows. */
        if (!st.found || state_applied(&st, gone) < last)
            sbuf_printf(&lag, "%s%s", n++ ? ", " : "", reps[i]);
        rstate_free(&st);
    }
    int rc = K_OK;
    if (n)
        rc = kerr_set(e, K_ERR,
                      "replica%s %s %s not applied every change of %s yet (its changes are "
                      "nowhere else); sync %s first (or forget %s first), then forget it; "
                      "nothing was removed",
                      n > 1 ? "s" : "", lag.s, n > 1 ? "have" : "has", gone, n > 1 ? "them" : "it",
                      n > 1 ? "them" : "it");
    sbuf_free(&lag);
    return rc;
}

static int forget(struct journal *j, const char *replica, int with_git, struct sync_forgot *out,
                  struct kerr *e)
{
    struct db *db = journal_db(j);
    char me[DBSYNC_ID_LEN + 1], (*reps)[17] = NULL;
    char *dir = NULL, *rdir = NULL, *mine = NULL, *bad = NULL, **names = NULL;
    long long applied = 0, last, *files = NULL;
    struct rstate st = {0};
    size_t nf = 0, nnames = 0;
    DIR *d = NULL;
    struct stat sb;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = dbsync_replica(db, me, e)) != K_OK)
        goto out;
    if (!me[0]) {
        rc = kerr_set(e, K_USAGE, "sync is off; there is no replica to forget");
        goto out;
    }
    if (!(dir = dbsync_dir(db))) {
        rc = kerr_set(e, K_ERR, "the journal's sync folder is not recorded; nothing was removed");
        goto out;
    }
    /* The folder refused as a sync refuses it (K_ERR: the folder is not
     * the command line's fault), before anything is written. */
    if (stat(dir, &sb) != 0) {
        dir_missing(dir, dir, journal_command(j), e);
        rc = K_ERR;
        goto out;
    }
    /* Unsaid, git as 'kith sync' alone would have it; with git, refused
     * off a branch, and the removal committed. */
    if (with_git < 0)
        with_git = dbsync_git(db);
    if (with_git < 0)
        with_git = sync_git_top(dir);
    if ((rc = check_dir(dir, with_git ? SYNC_GIT : 0, e)) != K_OK) {
        rc = rc == K_USAGE ? K_ERR : rc;
        goto out;
    }
    int err;
    size_t nreps = list_replicas(dir, &reps, &err);
    if (err) {
        rc = unreadable(dir, err, e);
        goto out;
    }
    if ((rc = find_replica(dir, replica, reps, nreps, journal_command(j), out->replica, e)) != K_OK)
        goto out;
    if (!strcmp(out->replica, me)) {
        rc =
            kerr_set(e, K_USAGE, "%s is this journal; a replica is forgotten from another one", me);
        goto out;
    }
    rdir = join(dir, out->replica);
    /* Its own folder, not a link to one elsewhere. */
    if (lstat(rdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        char *r = kstr_escape(rdir);
        rc = kerr_set(e, K_ERR, "%s is not a folder of its own (a link?); nothing was removed", r);
        free(r);
        goto out;
    }
    read_state(rdir, &st);
    snprintf(out->seen, sizeof out->seen, "%s", st.found ? st.at : "");
    /* Its changes that only the folder holds would be lost to this journal
     * and to every journal to come. */
    if ((rc = dbsync_peer_fileseq(db, out->replica, &applied, e)) != K_OK)
        goto out;
    nf = list_files(rdir, &files, &err);
    if (err) {
        rc = unreadable(rdir, err, e);
        goto out;
    }
    /* Its state may say of a file the folder does not hold yet. */
    last = nf ? files[nf - 1] : 0;
    if (st.fileseq > last)
        last = st.fileseq;
    if (last > applied) {
        char which[64];
        if (applied + 1 == last)
            snprintf(which, sizeof which, "its file %lld", last);
        else
            snprintf(which, sizeof which, "its files %lld to %lld", applied + 1, last);
        rc = kerr_set(e, K_ERR,
                      "replica %s has changes this journal has not applied (%s); nothing was "
                      "removed; apply them first (then forget it): %s sync",
                      out->replica, which, journal_command(j));
        goto out;
    }
    if ((rc = others_have(dir, reps, nreps, me, out->replica, last, e)) != K_OK)
        goto out;
    /* The snapshot forget writes must hold every change no longer in the
     * folder, or the journals starting from it could never catch up. */
    if ((rc = caught_up(j, dir, reps, nreps, me, NULL, NULL, e)) != K_OK)
        goto out;
    /* Nothing goes unless everything in the folder is kith's. */
    struct dirent *de;
    if (!(d = opendir(rdir))) {
        rc = kerr_set(e, K_ERR, "cannot read the folder of replica %s: %s", out->replica,
                      strerror(errno));
        goto out;
    }
    while (!bad && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *p = join(rdir, de->d_name);
        if (!ours_to_remove(de->d_name) || lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode))
            bad = kstr_escape(de->d_name);
        free(p);
        if (!bad) {
            names = krealloc(names, (nnames + 1) * sizeof *names);
            names[nnames++] = kstr_dup(de->d_name);
        }
    }
    if (bad) {
        char *r = kstr_escape(rdir);
        rc = kerr_set(e, K_ERR, "%s holds %s, which kith did not write; nothing was removed", r,
                      bad);
        free(r);
        goto out;
    }
    /* Its changes live on in this journal: a snapshot of it is where a
     * journal to come finds them. */
    mine = join(dir, me);
    char *snap = join(mine, "snapshot.kith");
    rc = own_folder(mine, e);
    if (rc == K_OK)
        rc = dbsync_snapshot_write(db, snap, e);
    free(snap);
    /* Said in this replica's state: a journal joining later that holds
     * data of its own learns it cannot have those changes file by file. */
    if (rc == K_OK)
        rc = write_state_forgot(j, mine, NULL, out->replica, last, NULL, 0, e);
    if (rc != K_OK)
        goto out;
    /* Only what was looked at: a file arriving meanwhile stays, and so
     * does the folder. */
    for (size_t i = 0; i < nnames; i++) {
        char *p = join(rdir, names[i]);
        if (unlink(p) == 0)
            out->removed++;
        else if (rc == K_OK)
            rc = kerr_set(e, K_ERR, "cannot remove %s: %s (%zu of its files removed)", names[i],
                          strerror(errno), out->removed);
        free(p);
    }
    if (rc == K_OK && rmdir(rdir) != 0)
        rc = kerr_set(e, K_ERR,
                      "removed %zu of its files, but not the folder of replica %s: %s (something "
                      "arrived in it meanwhile?)",
                      out->removed, out->replica, strerror(errno));
    if (rc == K_OK && with_git) {
        /* In a git work tree the removal is committed now (pushed by the
         * next 'kith sync --git'): a pull never meets it half done. */
        char msg[64];
        snprintf(msg, sizeof msg, "kith sync: forget replica %s", out->replica);
        size_t restored = 0;
        rc = git_commit(dir, me, msg, &out->committed, &restored, e);
    }
out:
    if (d)
        closedir(d);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    rstate_free(&st);
    free(bad);
    free(files);
    free(rdir);
    free(mine);
    free(reps);
    free(dir);
    return rc;
}

/* ---- conflict copies ---- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the files at a and b both open and their bytes differ; 2 when
 * there is no file b (a copy whose file a tool renamed, or that has not
 * arrived: the copy may be the only one of those changes). */
static int differ(const char *a, const char *b)
{
    struct stat st;
    if (lstat(b, &st) != 0 && errno == ENOENT)
        return 2;
    FILE *fa = fopen(a, "rb"), *fb = fa ? fopen(b, "rb") : NULL;
    int diff = 0;
    while (fb && !diff) {
        char ba[4096], bb[4096];
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        diff = na != nb || memcmp(ba, bb, na);
        if (!na)
            break;
    }
    if (fb)
        fclose(fb);
    if (fa)
        fclose(fa);
    return diff;
}

/* The conflict copies of kith's files in one replica's folder, by name. */
static int copies_in(const char *dir, const char *replica, sync_copy_fn fn, void *ud)
{
    char *rdir = join(dir, replica), **v = NULL, base[NAME_MAX + 1];
    size_t n = 0;
    int stop = 0;
    DIR *d = opendir(rdir);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (conflict_copy(de->d_name, base, sizeof base) && kith_name(base, strlen(base))) {
            v = krealloc(v, (n + 1) * sizeof *v);
            v[n++] = kstr_dup(de->d_name);
        }
    if (d)
        closedir(d);
    if (n)
        qsort(v, n, sizeof *v, by_name);
    for (size_t i = 0; i < n; i++) {
        if (!stop) {
            struct sync_copy c = {replica, v[i], base, 0};
            conflict_copy(v[i], base, sizeof base);
            size_t nb = strlen(base);
            if (nb > 10 && !strcmp(base + nb - 10, ".changeset")) {
                char *a = join(rdir, v[i]), *b = join(rdir, base);
                c.differs = differ(a, b);
                free(a);
                free(b);
            }
            stop = fn(&c, ud);
        }
        free(v[i]);
    }
    free(v);
    free(rdir);
    return stop;
}

int sync_copies(struct journal *j, sync_copy_fn fn, void *ud, struct kerr *e)
{
    char(*reps)[17] = NULL;
    (void)e;
    char *dir = dbsync_dir(journal_db(j));
    int err = 0;
    size_t n = dir ? list_replicas(dir, &reps, &err) : 0;
    for (size_t i = 0; i < n && !copies_in(dir, reps[i], fn, ud); i++)
        ;
    free(reps);
    free(dir);
    return K_OK;
}

int sync_forget(struct journal *j, const char *replica, int git, struct sync_forgot *out,
                struct kerr *e)
{
    struct lock l;
    memset(out, 0, sizeof *out);
    if (lock_journal(j, &l, e) != K_OK)
        return K_ERR;
    int rc = forget(j, replica, git, out, e);
    unlock_journal(&l);
    return rc;
}

/* ---- status ---- */

struct peers {
    sync_peer_fn fn;
    void *ud;
    const char *dir, *me; /* dir NULL: the folder is not there */
    char (*seen)[17];     /* replicas told of */
    size_t nseen;
    struct rstate mine; /* this replica's state: what its last sync found */
    long long fileseq;  /* this replica's last file */
};

/* 1 when the kith of the replica in rdir (its state st) cannot read this
 * replica's file seq: the file's changeset format or journal version is
 * newer than it reads, as its state says, else as the head of its newest
 * file says (what a kith writes is what it reads). */
static int cannot_read(const struct peers *ps, const char *rdir, const struct rstate *st,
                       long long seq)
{
    unsigned format, schema, reads_format = st->reads_format, reads_schema = st->reads_schema;
    char *mine = join(ps->dir, ps->me);
    int known = file_head(mine, seq, &format, &schema);
    free(mine);
    if (known && !reads_format) {
        long long *files;
        size_t nf = list_files(rdir, &files, NULL);
        known = nf && file_head(rdir, files[nf - 1], &reads_format, &reads_schema);
        free(files);
    }
    return known && (format > reads_format || schema > reads_schema);
}

/* What the folder says of a replica, into s. */
static void from_folder(const struct peers *ps, struct sync_peer_status *s)
{
    struct rstate st;
    struct stat sb;
    s->has_ours = -1;
    s->in_folder = -1;
    if (!ps->dir)
        return;
    char *rdir = join(ps->dir, s->replica);
    s->in_folder = stat(rdir, &sb) == 0 && S_ISDIR(sb.st_mode);
    read_state(rdir, &st);
    unsigned format, schema;
    if (s->in_folder > 0 && file_head(rdir, s->applied + 1, &format, &schema) &&
        (format > SYNC_FORMAT || schema > DB_SCHEMA_VERSION))
        s->newer = s->applied + 1;
    if (st.found) {
        s->pruned = st.pruned;
        s->has_ours = state_applied(&st, ps->me);
        if (!s->seen[0])
            snprintf(s->seen, sizeof s->seen, "%s", st.at);
    }
    for (size_t i = 0; i < ps->mine.ndamaged && !s->damaged; i++)
        if (!strcmp(ps->mine.damaged[i].replica, s->replica)) {
            s->damaged = ps->mine.damaged[i].seq;
            s->damaged_lost = state_lost(&st, s->damaged);
        }
    if (s->damaged && st.found && st.fileseq < s->damaged) {
        char name[32];
        snprintf(name, sizeof name, "%lld.changeset", s->damaged);
        char *path = join(rdir, name);
        s->damaged_foreign = !kith_start(path) || names_other(path, s->replica, s->damaged);
        free(path);
    }
    if (s->damaged && !s->damaged_lost) {
        long long *files;
        size_t nf = list_files(rdir, &files, NULL);
        unsigned ws = writer_schema(rdir, files, nf);
        s->damaged_old = ws && ws < SYNC_REPAIR_SCHEMA;
        free(files);
    }
    if (st.found && s->has_ours < ps->fileseq)
        s->old_kith = cannot_read(ps, rdir, &st, s->has_ours + 1);
    for (size_t i = 0; i < st.ndamaged; i++) {
        long long seq = st.damaged[i].seq;
        if (strcmp(st.damaged[i].replica, ps->me) || !claim_ok(&st, ps->me, seq, ps->fileseq))
            continue;
        if (!s->reports)
            s->reports = seq;
        if (s->nreports < SYNC_WAIT_MAX) {
            s->reported[s->nreports].file = seq;
            s->reported[s->nreports].lost = state_lost(&ps->mine, seq);
        }
        s->nreports++;
    }
    rstate_free(&st);
    free(rdir);
}

static int each_peer(const struct dbsync_peer *p, void *ud)
{
    struct peers *ps = ud;
    struct sync_peer_status s;
    memset(&s, 0, sizeof s);
    snprintf(s.replica, sizeof s.replica, "%s", p->replica);
    s.applied = p->fileseq;
    snprintf(s.seen, sizeof s.seen, "%s", p->seen);
    from_folder(ps, &s);
    ps->seen = krealloc(ps->seen, (ps->nseen + 1) * sizeof *ps->seen);
    snprintf(ps->seen[ps->nseen++], 17, "%s", p->replica);
    return ps->fn(&s, ps->ud);
}

static int count_unsent(const struct dbsync_rec *r, void *ud)
{
    (void)r;
    (*(size_t *)ud)++;
    return 0;
}

int sync_peers(struct journal *j, sync_peer_fn fn, void *ud, struct kerr *e)
{
    char me[DBSYNC_ID_LEN + 1], (*reps)[17] = NULL;
    struct peers ps;
    struct stat sb;
    memset(&ps, 0, sizeof ps);
    ps.fn = fn;
    ps.ud = ud;
    ps.me = me;
    int rc = dbsync_replica(journal_db(j), me, e);
    if (rc != K_OK)
        return rc;
    char *dir = me[0] ? dbsync_dir(journal_db(j)) : NULL;
    if (dir && stat(dir, &sb) == 0) {
        /* Unknown, no claim of damage is shown: none can be checked. */
        if (dbsync_fileseq(journal_db(j), &ps.fileseq, NULL) != K_OK)
            ps.fileseq = 0;
        char *rdir = join(dir, me);
        ps.dir = dir;
        read_state(rdir, &ps.mine);
        free(rdir);
    }
    rc = dbsync_peers(journal_db(j), each_peer, &ps, e);
    /* Replicas in the folder this journal has applied nothing of: one
     * whose first sync never finished still holds old files back. */
    size_t nreps = ps.dir && rc == K_OK ? list_replicas(ps.dir, &reps, NULL) : 0;
    for (size_t i = 0; i < nreps && rc == K_OK; i++) {
        size_t k = 0;
        while (k < ps.nseen && strcmp(ps.seen[k], reps[i]))
            k++;
        if (k < ps.nseen || !strcmp(reps[i], me))
            continue;
        struct sync_peer_status s;
        memset(&s, 0, sizeof s);
        snprintf(s.replica, sizeof s.replica, "%s", reps[i]);
        from_folder(&ps, &s);
        if (fn(&s, ud))
            break;
    }
    free(reps);
    free(ps.seen);
    rstate_free(&ps.mine);
    free(dir);
    return rc;
}

int sync_status(struct journal *j, struct sync_status *out, struct kerr *e)
{
    struct db *db = journal_db(j);
    memset(out, 0, sizeof *out);
    int rc = dbsync_replica(db, out->replica, e);
    if (rc != K_OK || !out->replica[0])
        return rc;
    out->dir = dbsync_dir(db);
    struct stat sb;
    out->dir_missing = out->dir && stat(out->dir, &sb) != 0;
    out->git_said = dbsync_git(db);
    out->git = out->git_said >= 0 ? out->git_said
                                  : out->dir && !out->dir_missing && sync_git_top(out->dir);
    if ((rc = dbsync_fileseq(db, &out->sent, e)) != K_OK ||
        (rc = dbsync_unsent(db, count_unsent, &out->unsent, e)) != K_OK)
        sync_status_clear(out);
    return rc;
}

int sync_set_git(struct journal *j, int git, struct kerr *e)
{
    return dbsync_set_git(journal_db(j), git, e);
}

void sync_status_clear(struct sync_status *s)
{
    if (!s)
        return;
    free(s->dir);
    s->dir = NULL;
}

struct only_sync {
    sync_conflict_fn fn;
    void *ud;
};

static int each_conflict(const struct kconflict *c, void *ud)
{
    struct only_sync *o = ud;
    if (!c->source || strcmp(c->source, "sync"))
        return 0;
    return o->fn(c, o->ud);
}

int sync_conflicts(struct journal *j, long long after, sync_conflict_fn cb, void *ud,
                   struct kerr *e)
{
    struct only_sync o = {cb, ud};
    return dbconflict_each(journal_db(j), after, 0, each_conflict, &o, e);
}

int sync_conflict_last(struct journal *j, long long *last, struct kerr *e)
{
    return dbconflict_last(journal_db(j), last, e);
}

int sync_conflicts_news(struct journal *j, long long *n, struct kerr *e)
{
    return dbsync_conflicts_news(journal_db(j), n, e);
}
