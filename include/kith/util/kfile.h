/* Reading and writing the user's files safely.
 *
 * Every command that writes a file (backup, restore, export -o, import
 * --rejects, the vdir export, and any later one) writes it through
 * kfile_out_open / kfile_out_commit and nothing else, so that the rules
 * below hold everywhere:
 *
 *  - The journal and its side files are never a target. SQLite keeps a
 *    journal J with J-wal (its write-ahead log), J-shm (the log's index)
 *    and J-journal (a rollback journal); overwriting any of them destroys
 *    the journal. A target is refused when it is one of them by name (in
 *    the journal's real directory, even when the side file does not exist
 *    yet) or by device and inode (through a symlink or a hard link).
 *  - Only regular files are replaced: a directory, a device, a named pipe
 *    or a socket is refused, even with KFILE_REPLACE.
 *  - An existing file is replaced only with KFILE_REPLACE (the caller's
 *    --force); otherwise K_EXISTS.
 *  - The data goes to a new temporary file beside the target (in the
 *    directory of the file a symlink points to; the symlink stays a
 *    symlink). kfile_out_commit flushes and fsyncs it, renames it over the
 *    target and fsyncs the directory. Until then, and whenever anything
 *    fails, the target is exactly as it was and the temporary file is
 *    removed; a process killed while writing leaves at most the temporary
 *    file (TARGET.tmp-XXXXXX), never a half-written target.
 *  - A new file gets mode 0600 (a journal's data is private); a replaced
 *    file keeps its permission bits.
 *  - With KFILE_DASH_STDOUT, "-" is standard output, written as it comes
 *    (nothing to check, nothing to rename).
 *
 * Reading: kfile_read bounds what it reads, in size and, for a named pipe
 * nobody writes to, in time; with KFILE_REGULAR it refuses anything but a
 * regular file without ever blocking on it (a named pipe as a settings
 * file). Every message names the file and says what to do. */
#ifndef KITH_KFILE_H
#define KITH_KFILE_H

#include "kith/util/kerr.h"

#include <stddef.h>
#include <stdio.h>

enum kfile_flags {
    KFILE_REPLACE = 1,     /* an existing regular file may be replaced */
    KFILE_DASH_STDOUT = 2, /* output: "-" is standard output */
    KFILE_DASH_STDIN = 4,  /* input: "-" is standard input */
    KFILE_REGULAR = 8,     /* input: regular files only (settings, themes) */
    KFILE_NOFOLLOW = 16,   /* output: a symlink as the target is refused, not
                            * followed (a folder others write in) */
};

/* An output in progress. Fields are read-only for the caller. */
struct kfile_out {
    FILE *f;          /* write here (standard output for "-") */
    const char *tmp;  /* the temporary file's path, for writers that need a
                         name (SQLite's backup); NULL for standard output */
    const char *path; /* the target as the caller named it, for messages */
    /* private */
    char *path_own, *target, *tmp_own, *journal;
    unsigned flags;
};

/* Checks path against the rules above and, when it may be written, creates
 * the temporary file: o->f is open for writing. journal is the journal's
 * path (NULL when there is none to protect). K_EXISTS when path exists and
 * flags lacks KFILE_REPLACE; K_ERR for a refused target or a file that
 * cannot be created. On failure nothing was created and o needs no
 * cleanup; on success finish with kfile_out_commit or kfile_out_abort. */
int kfile_out_open(struct kfile_out *o, const char *path, unsigned flags, const char *journal,
                   struct kerr *e);
/* Completes the output: flush, fsync, rename over the target, fsync the
 * directory (for standard output: flush). On failure the target is as it
 * was and the temporary file is gone. o is cleared either way. */
int kfile_out_commit(struct kfile_out *o, struct kerr *e);
/* Abandons the output: removes the temporary file, leaves the target as it
 * was, clears o. Accepts a cleared or zeroed o. */
void kfile_out_abort(struct kfile_out *o);
/* Abandons the output after writing to it failed with errno err: as
 * kfile_out_abort, and the message says what failed and that the target is
 * as it was. Returns K_ERR. */
int kfile_out_fail(struct kfile_out *o, int err, struct kerr *e);
/* kfile_out_open's checks alone, creating nothing: K_OK when path could be
 * written with these flags. */
int kfile_check_target(const char *path, unsigned flags, const char *journal, struct kerr *e);

/* Reads all of path ("-" is standard input with KFILE_DASH_STDIN) into a
 * new NUL-terminated buffer (free()); *n excludes the NUL. More than max
 * bytes is K_USAGE ("... is larger than ..."). Devices are refused unless
 * they come in as standard input; with KFILE_REGULAR everything but a
 * regular file is. A named pipe that gives no data and no end within
 * KFILE_PIPE_WAIT_S seconds of opening is K_ERR. A missing file is
 * K_NOTFOUND. */
#define KFILE_PIPE_WAIT_S 10
int kfile_read(const char *path, size_t max, unsigned flags, char **buf, size_t *n, struct kerr *e);
/* As kfile_read; messages name the file as what it is to the caller
 * (what = "the configuration": "cannot read the configuration PATH: ...").
 * what may be NULL. */
int kfile_read_as(const char *path, const char *what, size_t max, unsigned flags, char **buf,
                  size_t *n, struct kerr *e);

/* 1 when a and b name the same existing file (device and inode; symlinks
 * followed). */
int kfile_same(const char *a, const char *b);

#endif
