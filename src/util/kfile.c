#include "kith/util/kfile.h"

#include "kith/util/kpath.h"
#include "kith/util/kstr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files SQLite keeps beside a journal J, as J plus a suffix. */
static const struct {
    const char *suffix;
    const char *what;
} journal_files[] = {
    {"", "the journal itself"},
    {"-wal", "the journal's write-ahead log"},
    {"-shm", "the journal's shared-memory index"},
    {"-journal", "the journal's rollback journal"},
};

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static char *join(const char *dir, const char *name)
{
    struct sbuf b = {0};
    sbuf_printf(&b, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return sbuf_take(&b);
}

/* The path a write to path lands on: symlinks in the last component
 * followed, even to a file that does not exist yet, and the directory made
 * canonical. NULL with errno set when that directory does not exist. */
static char *resolve(const char *path)
{
    char *p = kstr_dup(path);
    int hops = 0;
    struct stat st;
    while (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
        char link[PATH_MAX];
        ssize_t n = readlink(p, link, sizeof link - 1);
        if (n < 0 || ++hops > 40) {
            free(p);
            errno = n < 0 ? errno : ELOOP;
            return NULL;
        }
        link[n] = '\0';
        char *dir = kpath_dirname(p);
        char *next = link[0] == '/' ? kstr_dup(link) : join(dir, link);
        free(dir);
        free(p);
        p = next;
    }
    const char *base = base_of(p);
    char *out = NULL;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        out = realpath(p, NULL);
    } else {
        char *dir = kpath_dirname(p);
        char *rdir = realpath(dir, NULL);
        if (rdir)
            out = join(rdir, base);
        free(rdir);
        free(dir);
    }
    int err = errno;
    free(p);
    errno = err;
    return out;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int kfile_same(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && same_inode(&sa, &sb);
}

/* K_ERR when real (the resolved target; *st its stat when it exists, else
 * NULL) is the journal or one of its side files. */
static int check_journal(const char *shown, const char *real, const struct stat *st,
                         const char *journal, struct kerr *e)
{
    char *jreal = journal ? resolve(journal) : NULL;
    int rc = K_OK;
    if (!jreal)
        return K_OK;
    char *tdir = kpath_dirname(real), *jdir = kpath_dirname(jreal);
    struct stat ts, js;
    int same_dir = stat(tdir, &ts) == 0 && stat(jdir, &js) == 0 && same_inode(&ts, &js);
    for (size_t i = 0; rc == K_OK && i < sizeof journal_files / sizeof journal_files[0]; i++) {
        struct sbuf name = {0};
        struct stat fs;
        sbuf_printf(&name, "%s%s", base_of(jreal), journal_files[i].suffix);
        char *full = join(jdir, name.s);
        if ((same_dir && !strcmp(base_of(real), name.s)) ||
            (st && stat(full, &fs) == 0 && same_inode(st, &fs)))
            rc = kerr_set(e, K_ERR,
                          "%s is %s; writing there would destroy the journal: choose another "
                          "path",
                          shown, journal_files[i].what);
        free(full);
        sbuf_free(&name);
    }
    free(tdir);
    free(jdir);
    free(jreal);
    return rc;
}

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a named pipe";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a regular file";
}

static const char *why(int err)
{
    return err == ENOSPC || err == EDQUOT ? "the disk is full" : strerror(err);
}

/* The checks of kfile_check_target; *real gets the resolved target
 * (free()) and *existed whether it exists, with its stat in *st. */
static int check(const char *path, unsigned flags, const char *journal, char **real, int *existed,
                 struct stat *st, struct kerr *e)
{
    *real = NULL;
    *existed = 0;
    if (!path || !*path)
        return kerr_set(e, K_USAGE, "an empty path: name a file");
    if ((flags & KFILE_NOFOLLOW) && lstat(path, st) == 0 && !S_ISREG(st->st_mode))
        return kerr_set(e, K_ERR,
                        "%s is %s, not a file kith may replace (in a folder others write in, "
                        "kith writes through no link); remove it; nothing was written there",
                        path, kind_of(st->st_mode));
    char *r = resolve(path);
    if (!r)
        return kerr_set(e, K_ERR, "cannot write %s: %s", path, strerror(errno));
    int rc = K_OK;
    *existed = stat(r, st) == 0;
    if ((rc = check_journal(path, r, *existed ? st : NULL, journal, e)) != K_OK)
        goto out;
    if (*existed && !S_ISREG(st->st_mode)) {
        rc = kerr_set(e, K_ERR, "%s is %s, not a file kith may replace; nothing was written", path,
                      kind_of(st->st_mode));
        goto out;
    }
    if (*existed && !(flags & KFILE_REPLACE)) {
        rc = kerr_set(e, K_EXISTS, "%s exists; use --force to replace it", path);
        goto out;
    }
out:
    if (rc == K_OK)
        *real = r;
    else
        free(r);
    return rc;
}

int kfile_check_target(const char *path, unsigned flags, const char *journal, struct kerr *e)
{
    if ((flags & KFILE_DASH_STDOUT) && path && !strcmp(path, "-"))
        return K_OK;
    char *real;
    int existed;
    struct stat st;
    int rc = check(path, flags, journal, &real, &existed, &st, e);
    free(real);
    return rc;
}

static void out_clear(struct kfile_out *o)
{
    free(o->path_own);
    free(o->target);
    free(o->tmp_own);
    free(o->journal);
    memset(o, 0, sizeof *o);
}

int kfile_out_open(struct kfile_out *o, const char *path, unsigned flags, const char *journal,
                   struct kerr *e)
{
    memset(o, 0, sizeof *o);
    o->flags = flags;
    if ((flags & KFILE_DASH_STDOUT) && path && !strcmp(path, "-")) {
        o->f = stdout;
        o->path = "standard output";
        return K_OK;
    }
    struct stat st;
    int existed, rc;
    char *real;
    if ((rc = check(path, flags, journal, &real, &existed, &st, e)) != K_OK)
        return rc;
    o->target = real;
    o->path = o->path_own = kstr_dup(path);
    o->journal = kstr_dup(journal);
    struct sbuf t = {0};
    sbuf_printf(&t, "%s.tmp-XXXXXX", real);
    o->tmp = o->tmp_own = sbuf_take(&t);
    int fd = mkostemp(o->tmp_own, O_CLOEXEC);
    if (fd < 0) {
        rc = kerr_set(e, K_ERR, "cannot write %s: %s", path, strerror(errno));
        out_clear(o);
        return rc;
    }
    /* A replaced file keeps its permissions; a new one stays 0600. */
    if (existed)
        (void)fchmod(fd, st.st_mode & 0777);
    if (!(o->f = fdopen(fd, "w"))) {
        rc = kerr_set(e, K_ERR, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp_own);
        out_clear(o);
        return rc;
    }
    return K_OK;
}

static void sync_dir(const char *file)
{
    char *dir = kpath_dirname(file);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        /* Some file systems cannot sync a directory (EINVAL): the rename
         * is as durable as they make it. */
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int kfile_out_commit(struct kfile_out *o, struct kerr *e)
{
    int rc = K_OK, err = 0;
    if (!o->f)
        return kerr_set(e, K_ERR, "internal error: no output open");
    if (!o->tmp_own) {
        if (fflush(o->f) != 0 || ferror(o->f))
            rc =
                kerr_set(e, K_ERR, "cannot write to standard output: %s", why(errno ? errno : EIO));
        out_clear(o);
        return rc;
    }
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
        err = errno ? errno : EIO;
    if (fclose(o->f) != 0 && !err)
        err = errno;
    o->f = NULL;
    /* Checked again: the target may have become something else meanwhile. */
    char *real = NULL;
    int existed = 0;
    struct stat st;
    if (!err && (rc = check(o->path, o->flags, o->journal, &real, &existed, &st, e)) == K_OK &&
        (!real || strcmp(real, o->target)))
        rc = kerr_set(e, K_ERR, "%s changed while it was being written; nothing was written",
                      o->path);
    free(real);
    if (!err && rc == K_OK && rename(o->tmp_own, o->target) != 0)
        err = errno;
    if (err)
        rc = kerr_set(e, K_ERR, "cannot write %s: %s; %s", o->path, why(err),
                      existed ? "the file there is unchanged" : "nothing was written");
    if (rc == K_OK)
        sync_dir(o->target);
    else
        unlink(o->tmp_own);
    out_clear(o);
    return rc;
}

void kfile_out_abort(struct kfile_out *o)
{
    if (!o)
        return;
    if (o->f && o->tmp_own) {
        fclose(o->f);
        unlink(o->tmp_own);
    }
    out_clear(o);
}

int kfile_out_fail(struct kfile_out *o, int err, struct kerr *e)
{
    int rc;
    if (!o->tmp_own) {
        rc = kerr_set(e, K_ERR, "cannot write to standard output: %s", why(err));
    } else {
        struct stat st;
        rc = kerr_set(e, K_ERR, "cannot write %s: %s; %s", o->path, why(err),
                      stat(o->target, &st) == 0 ? "the file there is unchanged"
                                                : "nothing was written");
    }
    kfile_out_abort(o);
    return rc;
}

/* Waits until fd has data or its writer closes it, up to ms; 0 when it
 * timed out. */
static int wait_readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int r;
    do
        r = poll(&p, 1, ms);
    while (r < 0 && errno == EINTR);
    return r != 0;
}

static int too_large(const char *name, size_t max, struct kerr *e)
{
    if (max >= (1u << 20) && !(max & ((1u << 20) - 1)))
        return kerr_set(e, K_USAGE,
                        "%s is larger than %zu MiB, the most kith reads from one file; split it",
                        name, max >> 20);
    return kerr_set(e, K_USAGE, "%s is larger than %zu bytes, the most kith reads from it", name,
                    max);
}

/* Reads fd to its end, at most max bytes; hint is the size to expect (a
 * regular file's), so that it is read into one buffer of that size. */
static int read_all(int fd, const char *name, size_t max, size_t hint, char **buf, size_t *n,
                    struct kerr *e)
{
    /* One more than the size, so that the end is seen without growing. */
    size_t cap = hint ? hint + 1 : (size_t)64 * 1024, len = 0;
    char *b = kmalloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                free(b);
                return too_large(name, max, e);
            }
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            b = krealloc(b, cap + 1);
        }
        ssize_t got = read(fd, b + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            wait_readable(fd, -1);
            continue;
        }
        if (got < 0) {
            int err = errno;
            free(b);
            return kerr_set(e, K_ERR, "cannot read %s: %s", name, strerror(err));
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > max) {
        free(b);
        return too_large(name, max, e);
    }
    b[len] = '\0';
    *buf = b;
    *n = len;
    return K_OK;
}

int kfile_read(const char *path, size_t max, unsigned flags, char **buf, size_t *n, struct kerr *e)
{
    return kfile_read_as(path, NULL, max, flags, buf, n, e);
}

int kfile_read_as(const char *path, const char *what, size_t max, unsigned flags, char **buf,
                  size_t *n, struct kerr *e)
{
    int std = (flags & KFILE_DASH_STDIN) && !strcmp(path, "-");
    struct sbuf name = {0};
    if (std)
        sbuf_add(&name, "standard input");
    else
        sbuf_printf(&name, "%s%s%s", what ? what : "", what ? " " : "", path);
    int fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    int rc = K_OK;
    struct stat st;
    *buf = NULL;
    *n = 0;
    if (fd < 0) {
        rc = kerr_set(e, errno == ENOENT ? K_NOTFOUND : K_ERR, "cannot read %s: %s", name.s,
                      strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc = kerr_set(e, K_ERR, "cannot read %s: %s", name.s, strerror(errno));
        goto out;
    }
    if (!std && !S_ISREG(st.st_mode) && ((flags & KFILE_REGULAR) || !S_ISFIFO(st.st_mode))) {
        rc =
            kerr_set(e, K_USAGE, "%s is %s, not a file kith can read", name.s, kind_of(st.st_mode));
        goto out;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
        rc = too_large(name.s, max, e);
        goto out;
    }
    if (!std && S_ISFIFO(st.st_mode) && !wait_readable(fd, KFILE_PIPE_WAIT_S * 1000)) {
        rc = kerr_set(e, K_ERR, "nothing arrived from %s (a named pipe) in %d seconds", name.s,
                      KFILE_PIPE_WAIT_S);
        goto out;
    }
    if (!std)
        (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    rc = read_all(fd, name.s, max, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, buf, n, e);
out:
    if (fd >= 0 && !std)
        close(fd);
    sbuf_free(&name);
    return rc;
}
