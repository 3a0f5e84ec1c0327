/* Benchmark: every reminder rule over a large journal.
 *
 * Builds a journal of 100k contacts and 1M interactions (plus referrals,
 * thank-yous, tags, birthdays and a challenge) in a temporary directory, then
 * times the evaluation of the built-in rules, and of each trigger alone, as
 * reminder_count() does it: evaluate every rule, then count what is due.
 * Prints the median, minimum and maximum of several runs.
 *
 *   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DKITH_BENCH=ON && cmake --build build-rel
 * && ./build-rel/kith-bench-reminders [RUNS]
 *
 * KITH_BENCH_KEEP=1 keeps the generated journal; KITH_BENCH_JOURNAL=PATH
 * times a journal generated before instead of making one (it is only read).
 *
 * The data are written with plain SQL on a second connection: generating a
 * million rows through the core API would time the generator, not the rules. */
#include "cputime.h"
#include "kith/config/config.h"
#include "kith/core/journal.h"
#include "kith/core/reminder.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONTACTS     100000
#define INTERACTIONS 1000000

static const char gen_sql[] =
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
    " INSERT INTO contact(id, name, name_fold, met_on, birthday)"
    " SELECT lower(hex(randomblob(16))), 'Contact ' || i, 'contact ' || i,"
    "  date('2023-01-01', '+' || (i % 1000) || ' days'),"
    "  CASE WHEN i % 3 = 0 THEN printf('%02d-%02d', 1 + (i / 3) % 12, 1 + (i / 7) % 28) END"
    " FROM n;"
    "INSERT INTO contact_tag(contact_id, tag) SELECT id, 'mentor' FROM contact WHERE rowid % 10 = "
    "0;"
    "INSERT INTO contact_tag(contact_id, tag) SELECT id, 'alumni' FROM contact WHERE rowid % 7 = 0;"
    "CREATE TEMP TABLE gen AS"
    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
    " SELECT i, lower(hex(randomblob(16))) AS iid, 1 + abs(random()) % 100000 AS crow,"
    "  date('2026-11-22', '-' || (abs(random()) % 1095) || ' days') AS date,"
    "  CASE abs(random()) % 10 WHEN 0 THEN 'coffee' WHEN 1 THEN 'call' WHEN 2 THEN 'email'"
    "   WHEN 3 THEN 'meeting' WHEN 4 THEN 'article' WHEN 5 THEN 'intro' WHEN 6 THEN 'advice'"
    "   WHEN 7 THEN 'resume-review' WHEN 8 THEN 'update' ELSE 'event' END AS kind,"
    "  CASE abs(random()) % 3 WHEN 0 THEN 'gave' WHEN 1 THEN 'asked' ELSE 'mutual' END AS dir"
    " FROM n;"
    "INSERT INTO interaction(id, date, kind, direction, summary)"
    " SELECT iid, date, kind, dir, 'Interaction ' || i FROM temp.gen;"
    "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
    " SELECT g.iid, g.crow, g.date, g.kind, g.dir FROM temp.gen g;"
    "CREATE TEMP TABLE rgen AS"
    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
    " SELECT i, 1 + abs(random()) % 100000 AS crow,"
    "  date('2026-11-22', '-' || (abs(random()) % 730) || ' days') AS date FROM n;"
    "INSERT INTO referral(id, referrer_id, target_text, kind, date, outcome)"
    " SELECT lower(hex(randomblob(16))), c.id, 'Target ' || g.i, 'intro', g.date,"
    "  CASE g.i % 4 WHEN 0 THEN 'pending' WHEN 1 THEN 'meeting' WHEN 2 THEN 'hired' ELSE 'lost'"
    "  END FROM temp.rgen g JOIN contact c ON c.rowid = g.crow;"
    "INSERT INTO thanks(id, contact_id, date, form, referral_id)"
    " SELECT lower(hex(randomblob(16))), referrer_id, date, 'email', id FROM referral"
    " WHERE rowid % 3 <> 0;"
    "INSERT INTO challenge(id, seq, started_on, days)"
    " VALUES (lower(hex(randomblob(16))), 1, '2026-11-11', 30);"
    "COMMIT;"
    "ANALYZE;";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: the wall clock also counts whatever else the
 * machine is doing. */
/* Times reminder_count with the rules of cfg; prints median, min, max. */
static void time_rules(struct journal *j, const char *label, int runs)
{
    double *t = calloc((size_t)runs, sizeof *t), *cpu = calloc((size_t)runs, sizeof *cpu);
    size_t n = 0;
    struct kerr e;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ms(), c0 = bench_cpu_ms();
        if (reminder_count(j, &n, &e) != K_OK) {
            fprintf(stderr, "reminder_count: %s\n", e.msg);
            exit(1);
        }
        t[r] = now_ms() - t0;
        cpu[r] = bench_cpu_ms() - c0;
    }
    qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
    qsort(cpu, (size_t)runs, sizeof *cpu, bench_cmp_double);
    printf("%-26s %7.1f ms median (min %6.1f, max %6.1f)  cpu %6.1f ms  %6zu due\n", label,
           t[runs / 2], t[0], t[runs - 1], cpu[runs / 2], n);
    free(t);
    free(cpu);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    /* KITH_BENCH_KEEP=1 leaves the journal behind for a closer look. */
    const char *keep = getenv("KITH_BENCH_KEEP");
    char dir[] = "/tmp/kith-bench-XXXXXX", path[1024];
    struct kerr e;
    struct journal *j = NULL;
    struct config *cfg = config_defaults();
    sqlite3 *h = NULL;
    char *msg = NULL;
    if (runs < 1)
        runs = 1;
    setenv("KITH_TODAY", "2026-11-22", 1);
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/kith.db", dir);
    const char *reuse = getenv("KITH_BENCH_JOURNAL");
    if (reuse && *reuse) {
        snprintf(path, sizeof path, "%s", reuse);
        keep = "1";
        goto timing;
    }
    if (journal_open(path, cfg, JOURNAL_CREATE, &j, &e) != K_OK) {
        fprintf(stderr, "journal_open: %s\n", e.msg);
        return 1;
    }
    journal_close(&j);
    printf("generating %d contacts, %d interactions ...\n", CONTACTS, INTERACTIONS);
    double t0 = now_ms();
    if (sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, gen_sql, NULL, NULL, &msg)) {
        fprintf(stderr, "generating: %s\n", msg ? msg : sqlite3_errmsg(h));
        return 1;
    }
    sqlite3_close(h);
    printf("generated in %.1f s\n\n", (now_ms() - t0) / 1e3);
timing:

    if (journal_open(path, cfg, 0, &j, &e) != K_OK) {
        fprintf(stderr, "journal_open: %s\n", e.msg);
        return 1;
    }
    /* Warm the page cache once, as a second run of kith would find it. */
    size_t n;
    reminder_count(j, &n, &e);
    time_rules(j, "all built-in rules", runs);
    struct config_rule *all = cfg->rules;
    size_t nall = cfg->nrules;
    for (size_t i = 0; i < nall; i++) {
        char label[64];
        cfg->rules = &all[i];
        cfg->nrules = 1;
        snprintf(label, sizeof label, "  %s (%s)", all[i].id, config_trigger_name(all[i].on));
        time_rules(j, label, runs);
    }
    /* The heaviest silence rule: every contact, no tag filter. */
    struct config_rule wide = all[2];
    wide.ntags = 0;
    cfg->rules = &wide;
    cfg->nrules = 1;
    time_rules(j, "  silence, all contacts", runs);
    cfg->rules = all;
    cfg->nrules = nall;
    journal_close(&j);
    config_free(&cfg);
    if (keep && *keep) {
        printf("\njournal kept at %s\n", path);
        return 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
