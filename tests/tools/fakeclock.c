/* A seeded clock and a seeded getrandom, preloaded (LD_PRELOAD), so that a
 * run of the sync property replays: the hybrid logical clock's stamps and
 * the replica ids, which decide ties, come from the real clock and the
 * kernel's randomness otherwise.
 *   KITH_FAKECLOCK_SEED    the seed (unset: 1)
 *   KITH_FAKECLOCK_MAX_US  the most the clock moves per read, in
 *                          microseconds (unset: 2000)
 * The clock starts at 2026-11-22 09:00:00 UTC and each read of the wall
 * clock (clock_gettime CLOCK_REALTIME, gettimeofday, time) moves it on by
 * a pseudo-random 0 to KITH_FAKECLOCK_MAX_US, so reads a millisecond apart
 * or within the same one both happen, as in real runs. getrandom fills
 * from a second stream of the same seed. Other clocks go to the C
 * library. One process, one thread: no locking. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>

#define EPOCH_S 1795338000LL /* 2026-11-22T09:00:00Z */

static int ready;
static uint64_t clock_rng, bytes_rng, max_ns;
static int64_t now_ns = EPOCH_S * 1000000000LL;

/* splitmix64: small, and every seed gives a good stream. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void setup(void)
{
    const char *seed = getenv("KITH_FAKECLOCK_SEED"), *max = getenv("KITH_FAKECLOCK_MAX_US");
    uint64_t s = seed ? strtoull(seed, NULL, 10) : 1;
    clock_rng = s * 2 + 1;
    bytes_rng = ~s;
    max_ns = (max ? strtoull(max, NULL, 10) : 2000) * 1000;
    ready = 1;
}

static int64_t read_clock(void)
{
    if (!ready)
        setup();
    now_ns += (int64_t)(next(&clock_rng) % (max_ns + 1));
    return now_ns;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    if (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE) {
        int64_t t = read_clock();
        ts->tv_sec = (time_t)(t / 1000000000LL);
        ts->tv_nsec = (long)(t % 1000000000LL);
        return 0;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "clock_gettime");
    return real(id, ts);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    int64_t t = read_clock();
    tv->tv_sec = (time_t)(t / 1000000000LL);
    tv->tv_usec = (suseconds_t)(t % 1000000000LL / 1000);
    return 0;
}

time_t time(time_t *out)
{
    time_t t = (time_t)(read_clock() / 1000000000LL);
    if (out)
        *out = t;
    return t;
}

ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    (void)flags;
    if (!ready)
        setup();
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = next(&bytes_rng);
        memcpy(p + i, &v, n - i < 8 ? n - i : 8);
    }
    return (ssize_t)n;
}
