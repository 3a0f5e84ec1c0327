/* A failing disk for the fault tests, preloaded (LD_PRELOAD): reads,
 * writes or syncs of one file fail with EIO, as a dying disk's do.
 *   KITH_EIO_PATH  the file's real path
 *   KITH_EIO_OP    read, write or sync
 * Everything else goes to the C library's own functions. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int hit(int fd, const char *op)
{
    const char *want = getenv("KITH_EIO_PATH"), *ops = getenv("KITH_EIO_OP");
    char link[64], path[4096];
    if (!want || !ops || strcmp(ops, op))
        return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    return !strcmp(path, want);
}

/* clang-format off */
#define WRAP(name, ret, params, args, op)                                                          \
    ret name params                                                                                \
    {                                                                                              \
        static ret(*real) params;                                                                  \
        if (!real)                                                                                 \
            *(void **)&real = dlsym(RTLD_NEXT, #name);                                             \
        if (hit(fd, op)) {                                                                         \
            errno = EIO;                                                                           \
            return -1;                                                                             \
        }                                                                                          \
        return real args;                                                                          \
    }
WRAP(pread, ssize_t, (int fd, void *b, size_t n, off_t o), (fd, b, n, o), "read")
WRAP(pread64, ssize_t, (int fd, void *b, size_t n, off64_t o), (fd, b, n, o), "read")
WRAP(pwrite, ssize_t, (int fd, const void *b, size_t n, off_t o), (fd, b, n, o), "write")
WRAP(pwrite64, ssize_t, (int fd, const void *b, size_t n, off64_t o), (fd, b, n, o), "write")
WRAP(write, ssize_t, (int fd, const void *b, size_t n), (fd, b, n), "write")
WRAP(fsync, int, (int fd), (fd), "sync")
WRAP(fdatasync, int, (int fd), (fd), "sync")
/* clang-format on */
