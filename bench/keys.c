/* The work behind the TUI's slowest keys, in CPU time (the machine's load
 * moves wall times by 2-3x): each keystroke of three searches typed one
 * letter at a time, and the Give view's ideas.
 *
 * For each prefix: what a keystroke reads (the first 38 rows) and the
 * exact count that follows while kith waits for a key.
 * Then ideas_list (the Give view's '4'), and its two queries that were
 * slow. Only public functions are used, so the same file built against
 * an older tree's libraries measures that tree.
 *
 * usage: kith-bench-keys JOURNAL [RUNS [WORDS...]]: each of WORDS typed
 * instead of the three searches (and no Give view), e.g. under callgrind. */
#include "cputime.h"
#include "kith/config/config.h"
#include "kith/core/contact.h"
#include "kith/core/ideas.h"
#include "kith/core/journal.h"
#include "kith/store/dbideas.h"
#include "kith/util/kstr.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The TUI's search query (tui_list.c): interaction text through the 1000
 * most recent matching interactions, names and companies only until every
 * word has three letters; 38 rows, the list pane of a 40-row terminal. */
#define TEXT_LIMIT 1000
#define TEXT_MIN   3
#define ROWS       38

static void search_keys(struct journal *j, const char *word, int runs, double *sum)
{
    double *now = kcalloc((size_t)runs, sizeof *now), *idle = kcalloc((size_t)runs, sizeof *idle);
    char buf[128];
    struct kerr e;
    for (size_t n = 1; n <= strlen(word) && n < sizeof buf; n++) {
        memcpy(buf, word, n);
        buf[n] = 0;
        if (buf[n - 1] == ' ')
            continue; /* the same words as the prefix before */
        size_t exact = 0;
        for (int r = 0; r < runs; r++) {
            struct contact_query q = {0};
            struct contact_list l = {0};
            q.search = buf;
            q.text_limit = TEXT_LIMIT;
            q.text_min = TEXT_MIN;
            q.limit = ROWS;
            q.skip_total = 1;
            double t0 = bench_cpu_ms();
            contact_list(j, &q, &l, &e);
            double t1 = bench_cpu_ms();
            contact_list_clear(&l);
            q.limit = 0;
            q.skip_total = 0;
            contact_count(j, &q, &exact, &e);
            double t2 = bench_cpu_ms();
            now[r] = t1 - t0;
            idle[r] = t2 - t1;
        }
        double w = bench_median(now, runs);
        *sum += w;
        printf("| `%s` | %zu | %.2f | %.2f |\n", buf, exact, w, bench_median(idle, runs));
    }
    free(now);
    free(idle);
}

static int count_ask(const struct dbideas_ask *a, void *ud)
{
    (void)a;
    ++*(int *)ud;
    return 0;
}

static int count_silent(const struct dbideas_who *w, int days, void *ud)
{
    (void)w;
    (void)days;
    ++*(int *)ud;
    return 0;
}

static void give(struct journal *j, const struct config *cfg, int runs)
{
    double *t = kcalloc((size_t)runs, sizeof *t), *ta = kcalloc((size_t)runs, sizeof *ta),
           *ts = kcalloc((size_t)runs, sizeof *ts);
    struct kerr e;
    int today = journal_today(j), n = 0;
    const char *tag = NULL;
    int days = 0;
    for (size_t i = 0; cfg && i < cfg->nrules && !tag; i++)
        if (cfg->rules[i].on == CONFIG_ON_SILENCE && cfg->rules[i].days > 0 &&
            cfg->rules[i].ntags) {
            tag = cfg->rules[i].tags[0];
            days = cfg->rules[i].days;
        }
    for (int r = 0; r < runs; r++) {
        struct idea_list il = {0};
        double t0 = bench_cpu_ms();
        ideas_list(j, 40, &il, &e);
        double t1 = bench_cpu_ms();
        idea_list_clear(&il);
        dbideas_asks_unanswered(journal_db(j), ",advice,", today - 365, today - 14, 30, count_ask,
                                &n, &e);
        double t2 = bench_cpu_ms();
        if (tag)
            dbideas_tag_silent(journal_db(j), tag, days, today, 30, count_silent, &n, &e);
        double t3 = bench_cpu_ms();
        t[r] = t1 - t0;
        ta[r] = t2 - t1;
        ts[r] = t3 - t2;
    }
    printf("ideas_list (the Give view, 40 ideas)          %9.2f ms cpu\n", bench_median(t, runs));
    printf("  unanswered asks (30)                        %9.2f ms cpu\n", bench_median(ta, runs));
    printf("  silent #%-10s contacts (30)              %9.2f ms cpu\n", tag ? tag : "-",
           bench_median(ts, runs));
    free(t);
    free(ta);
    free(ts);
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    if (argc < 2) {
        fprintf(stderr, "usage: %s JOURNAL [RUNS [WORDS...]]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 7;
    if (runs < 1 || runs > 1000)
        runs = 7;
    struct config *cfg = config_defaults();
    struct journal *j = NULL;
    struct kerr e;
    if (journal_open(argv[1], cfg, JOURNAL_READONLY, &j, &e) != K_OK) {
        fprintf(stderr, "kith-bench-keys: %s\n", e.msg);
        return 1;
    }
    printf("%d runs each, medians of CPU time (ms)\n\n", runs);
    printf("| typed | matches | a keystroke: the first window | the count, when idle |\n"
           "| --- | --- | --- | --- |\n");
    double sum = 0;
    for (int i = 3; i < argc; i++)
        search_keys(j, argv[i], runs, &sum);
    if (argc <= 3) {
        search_keys(j, "career", runs, &sum);
        search_keys(j, "Chen Zhao 0", runs, &sum);
        search_keys(j, "zq", runs, &sum);
    }
    printf("\nall the keystrokes: %.2f ms\n\n", sum);
    if (argc <= 3)
        give(j, cfg, runs);
    journal_close(&j);
    config_free(&cfg);
    return 0;
}
