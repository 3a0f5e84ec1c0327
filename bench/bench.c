/* Times the core's hot paths on a journal made by kith-bench-gen and prints
 * the median of repeated runs, in milliseconds.
 *
 * usage: kith-bench JOURNAL [RUNS] */
#include "cputime.h"
#include "kith/config/config.h"
#include "kith/core/contact.h"
#include "kith/core/goodwill.h"
#include "kith/core/interaction.h"
#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/core/timeline.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Median wall time of v, median CPU time of cpu, and the target (none
 * when 0) that the wall time is held to. */
static void report(const char *what, double *v, double *cpu, int n, double target)
{
    double m = bench_median(v, n);
    printf("%-44s %9.2f ms  cpu %8.2f ms", what, m, bench_median(cpu, n));
    if (target > 0)
        printf("  (target %6.0f ms) %s", target, m <= target ? "ok" : "MISSED");
    printf("\n");
}

static int count_row(const struct contact *c, void *ud)
{
    (void)c;
    (*(size_t *)ud)++;
    return 0;
}

/* What the TUI reads for one screen of 40 rows at row top in q's order:
 * the count, then the rows. */
static int screen_at(struct journal *j, const struct contact_query *base, size_t top,
                     struct kerr *e)
{
    struct contact_query q = *base;
    struct contact_list l;
    size_t n;
    q.offset = top;
    q.limit = 40;
    q.skip_total = 1;
    if (contact_count(j, &q, &n, e) != K_OK || contact_list(j, &q, &l, e) != K_OK)
        return K_ERR;
    contact_list_clear(&l);
    return K_OK;
}

/* The TUI's `s` into q's order: the count, the selected contact's row
 * number, then the screen around it. */
/* The id of the contact at row `at` in name order, into id. */
static int id_at(struct journal *j, size_t at, char id[KID_LEN + 1], struct kerr *e)
{
    struct contact_query q = {0};
    struct contact_list l;
    q.offset = at;
    q.limit = 1;
    q.skip_total = 1;
    if (contact_list(j, &q, &l, e) != K_OK || l.n != 1) {
        contact_list_clear(&l);
        return K_ERR;
    }
    memcpy(id, l.v[0].id, KID_LEN + 1);
    contact_list_clear(&l);
    return K_OK;
}

static int sort_press(struct journal *j, const struct contact_query *q, const char *sel,
                      struct kerr *e)
{
    size_t pos;
    if (contact_position(j, q, sel, &pos, e) != K_OK)
        return K_ERR;
    return screen_at(j, q, pos > 20 ? pos - 20 : 0, e);
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    if (argc < 2) {
        fprintf(stderr, "usage: %s JOURNAL [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 7;
    if (runs < 1 || runs > 1000)
        runs = 7;
    struct config *cfg = config_defaults();
    struct journal *j = NULL;
    struct kerr e;
    if (journal_open(argv[1], cfg, JOURNAL_READONLY, &j, &e) != K_OK) {
        fprintf(stderr, "kith-bench: %s\n", e.msg);
        return 1;
    }
    double *t = kcalloc((size_t)runs, sizeof *t), *c = kcalloc((size_t)runs, sizeof *c);
    size_t total = 0;
    struct contact_query all = {0};
    contact_count(j, &all, &total, &e);
    printf("journal: %zu contacts; %d runs each; medians\n", total, runs);

    /* The next screenful of the contact list, deep in the journal, as the
     * TUI reads it on PgDn: the count, then 40 rows from the last row on
     * screen (its name key and id) on. Beside it, in another part of the
     * list, the same by offset, as the TUI read it before round 4. Each
     * reads the screen before its page untimed first (the TUI holds it
     * already), and the two take turns at going first. */
    double *t2 = kcalloc((size_t)runs, sizeof *t2), *c2 = kcalloc((size_t)runs, sizeof *c2);
    for (int r = 0; r < runs; r++) {
        struct contact_query q = {0}, by_offset = {0};
        struct contact_list shown, before, l;
        size_t n;
        q.offset = total / 2 + (size_t)r * 40;
        q.limit = 40;
        q.skip_total = 1;
        by_offset = q;
        by_offset.offset = total / 4 + (size_t)r * 40;
        if (contact_list(j, &q, &shown, &e) != K_OK ||
            contact_list(j, &by_offset, &before, &e) != K_OK)
            goto fail;
        contact_list_clear(&before);
        struct contact_key k = {shown.v[shown.n - 1].name_key, shown.v[shown.n - 1].id};
        q.offset = 0;
        q.after = &k;
        q.key_inclusive = 1;
        by_offset.offset += 39;
        for (int turn = 0; turn < 2; turn++) {
            int keyed = (turn + r) % 2 == 0;
            double t0 = now_ms(), c0 = bench_cpu_ms();
            if (contact_count(j, keyed ? &q : &by_offset, &n, &e) != K_OK ||
                contact_list(j, keyed ? &q : &by_offset, &l, &e) != K_OK)
                goto fail;
            (keyed ? t : t2)[r] = now_ms() - t0;
            (keyed ? c : c2)[r] = bench_cpu_ms() - c0;
            contact_list_clear(&l);
        }
        contact_list_clear(&shown);
    }
    report("contact list page: count + next 40 rows by key", t, c, runs, 2);
    report("  same by offset, as before round 4", t2, c2, runs, 2);
    free(t2);
    free(c2);

    /* A jump to a contact deep in the list, as the TUI makes after an
     * edit: its row number, then the screen around it by offset. */
    for (int r = 0; r < runs; r++) {
        struct contact_query q = {0};
        struct contact_list l;
        size_t n, pos;
        char id[KID_LEN + 1];
        if (id_at(j, total / 2 + (size_t)r * 97, id, &e) != K_OK)
            goto fail;
        double t0 = now_ms(), c0 = bench_cpu_ms();
        if (contact_count(j, &q, &n, &e) != K_OK || contact_position(j, &q, id, &pos, &e) != K_OK)
            goto fail;
        q.offset = pos - 20;
        q.limit = 40;
        if (contact_list(j, &q, &l, &e) != K_OK)
            goto fail;
        t[r] = now_ms() - t0;
        c[r] = bench_cpu_ms() - c0;
        contact_list_clear(&l);
    }
    report("jump to a contact mid-list (after an edit)", t, c, runs, 0);

    /* The list in the orders by a derived column: the first screen after
     * `s` (the selected contact mid-list in name order), then the next
     * screens. The orders take turns, so that each first screen
     * follows a screen in the other order, as a press of `s` does. */
    {
        char sel[KID_LEN + 1];
        if (id_at(j, total / 2, sel, &e) != K_OK)
            goto fail;
        static const enum contact_sort sorts[] = {CONTACT_SORT_RECENT, CONTACT_SORT_SILENT,
                                                  CONTACT_SORT_GOODWILL};
        static const char *const names[] = {"recent", "silent", "goodwill"};
        double *ft[3], *fc[3], *pt[3], *pc[3];
        for (int k = 0; k < 3; k++) {
            ft[k] = kcalloc((size_t)runs, sizeof *ft[k]);
            fc[k] = kcalloc((size_t)runs, sizeof *fc[k]);
            pt[k] = kcalloc((size_t)runs, sizeof *pt[k]);
            pc[k] = kcalloc((size_t)runs, sizeof *pc[k]);
        }
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < 3; k++) {
                struct contact_query sq = {0};
                sq.sort = sorts[k];
                double t0 = now_ms(), c0 = bench_cpu_ms();
                if (sort_press(j, &sq, sel, &e) != K_OK)
                    goto fail;
                ft[k][r] = now_ms() - t0;
                fc[k][r] = bench_cpu_ms() - c0;
                t0 = now_ms();
                c0 = bench_cpu_ms();
                if (screen_at(j, &sq, total / 3 + (size_t)r * 40, &e) != K_OK)
                    goto fail;
                pt[k][r] = now_ms() - t0;
                pc[k][r] = bench_cpu_ms() - c0;
            }
        }
        for (int k = 0; k < 3; k++) {
            char what[80];
            snprintf(what, sizeof what, "first page after `s` (%s order)", names[k]);
            report(what, ft[k], fc[k], runs, 30);
            snprintf(what, sizeof what, "list page in %s order (after the first)", names[k]);
            report(what, pt[k], pc[k], runs, 5);
        }
        for (int k = 0; k < 3; k++) {
            free(ft[k]);
            free(fc[k]);
            free(pt[k]);
            free(pc[k]);
        }
    }

    /* Search as you type: each prefix of a word is one keystroke. */
    static const char *const keys[] = {"c", "ca", "car", "care", "caree", "career"};
    for (int r = 0; r < runs; r++) {
        double worst = 0, worst_cpu = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            /* What the TUI runs per keystroke: the first window (the count
             * is made while it waits for the next key). */
            struct contact_query q = {0};
            struct contact_list l;
            q.search = keys[k];
            q.limit = 40;
            q.text_limit = 1000;
            q.text_min = 3;
            q.skip_total = 1;
            double t0 = now_ms(), c0 = bench_cpu_ms();
            if (contact_list(j, &q, &l, &e) != K_OK)
                goto fail;
            double dt = now_ms() - t0, dc = bench_cpu_ms() - c0;
            worst = dt > worst ? dt : worst;
            worst_cpu = dc > worst_cpu ? dc : worst_cpu;
            contact_list_clear(&l);
        }
        t[r] = worst;
        c[r] = worst_cpu;
    }
    report("incremental search, slowest keystroke", t, c, runs, 16);

    /* The busiest contact's timeline (the generator gives it 10k). */
    char busiest[KID_LEN + 1] = "";
    struct ledger lg;
    if (goodwill_ledger(j, 0, 0, &lg, &e) != K_OK)
        goto fail;
    size_t most = 0;
    for (size_t i = 0; i < lg.n; i++) {
        size_t n = (size_t)(lg.v[i].gave + lg.v[i].asked + lg.v[i].mutual);
        if (n > most) {
            most = n;
            memcpy(busiest, lg.v[i].contact.id, sizeof busiest);
        }
    }
    ledger_clear(&lg);
    for (int r = 0; r < runs; r++) {
        struct interaction_query q = {0};
        struct interaction_list l;
        q.contact_id = busiest;
        q.since = q.until = KDATE_NONE;
        q.limit = 40;
        double t0 = now_ms(), c0 = bench_cpu_ms();
        if (interaction_list(j, &q, &l, &e) != K_OK)
            goto fail;
        t[r] = now_ms() - t0;
        c[r] = bench_cpu_ms() - c0;
        interaction_list_clear(&l);
    }
    char label[96];
    snprintf(label, sizeof label, "timeline of a contact with %zu interactions", most);
    report(label, t, c, runs, 5);

    /* The card's PgDn and PgUp near the end of that timeline: the window
     * after (or the one before) the entry on screen, by its key, as the
     * TUI reads it; beside it the same page by offset, as it read it
     * before round 10. */
    {
        size_t total_tl = 0;
        struct timeline shown;
        double *ot = kcalloc((size_t)runs, sizeof *ot), *oc = kcalloc((size_t)runs, sizeof *oc);
        double *t3 = kcalloc((size_t)runs, sizeof *t3), *c3 = kcalloc((size_t)runs, sizeof *c3);
        if (timeline_count(j, busiest, &total_tl, &e) != K_OK)
            goto fail;
        for (int r = 0; r < runs; r++) {
            size_t at = total_tl - 120 - (size_t)r * 40;
            if (timeline_list(j, busiest, at, 41, &shown, &e) != K_OK || shown.n < 41)
                goto fail;
            struct timeline_key down = timeline_key_of(&shown.v[39]);
            struct timeline_key up = timeline_key_of(&shown.v[0]);
            struct timeline w;
            double t0 = now_ms(), c0 = bench_cpu_ms();
            if (timeline_window(j, busiest, &down, NULL, 41, &w, &e) != K_OK)
                goto fail;
            t[r] = now_ms() - t0;
            c[r] = bench_cpu_ms() - c0;
            timeline_clear(&w);
            t0 = now_ms();
            c0 = bench_cpu_ms();
            if (timeline_window(j, busiest, NULL, &up, 39, &w, &e) != K_OK)
                goto fail;
            t3[r] = now_ms() - t0;
            c3[r] = bench_cpu_ms() - c0;
            timeline_clear(&w);
            t0 = now_ms();
            c0 = bench_cpu_ms();
            if (timeline_list(j, busiest, at + 39, 41, &w, &e) != K_OK)
                goto fail;
            ot[r] = now_ms() - t0;
            oc[r] = bench_cpu_ms() - c0;
            timeline_clear(&w);
            timeline_clear(&shown);
        }
        report("timeline PgDn near its end, by key", t, c, runs, 16);
        report("timeline PgUp near its end, by key", t3, c3, runs, 16);
        report("  PgDn there by offset, as before round 10", ot, oc, runs, 16);
        free(ot);
        free(oc);
        free(t3);
        free(c3);
    }

    for (int r = 0; r < runs && r < 3; r++) {
        size_t n = 0;
        double t0 = now_ms(), c0 = bench_cpu_ms();
        if (contact_each(j, &all, count_row, &n, &e) != K_OK)
            goto fail;
        t[r] = now_ms() - t0;
        c[r] = bench_cpu_ms() - c0;
    }
    report("every contact with goodwill (the list's data)", t, c, runs < 3 ? runs : 3, 1500);
    free(t);
    free(c);
    journal_close(&j);
    config_free(&cfg);
    return 0;
fail:
    fprintf(stderr, "kith-bench: %s\n", e.msg);
    return 1;
}
