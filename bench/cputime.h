/* Timing shared by the bench programs: header only, so that bench/keys.c
 * also builds against an older tree's libraries. */
#ifndef KITH_BENCH_CPUTIME_H
#define KITH_BENCH_CPUTIME_H

#include <stdlib.h>
#include <time.h>

/* The process's CPU time: on a shared machine the wall clock also counts
 * the time other jobs held the cores. */
static inline double bench_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v's n values; sorts v. */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
