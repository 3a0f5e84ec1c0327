/* Builds a realistic journal for the benchmarks through the model API: N
 * contacts with tags, M interactions spread over five years, referrals with
 * thank-yous, a challenge in progress. Deterministic for a given seed.
 *
 * Its "today" is $KITH_TODAY, else the benchmarks' day (BENCH_TODAY), never
 * the clock: interactions are dated up to today, so a journal made on one
 * day and measured with the benches' KITH_TODAY on an earlier one would
 * have contacts with interactions after that today, which the reminder
 * rules work out interaction by interaction (a cost a journal read on the
 * real date rarely has).
 *
 * usage: kith-bench-gen PATH [CONTACTS [INTERACTIONS [SEED]]] */
#include "kith/core/challenge.h"
#include "kith/config/config.h"
#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long state;

static unsigned rnd(unsigned n)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((state >> 33) % n);
}

static const char *const first[] = {"Ana",   "Ben",   "Chen",   "Dana",   "Élodie",  "Farid",
                                    "Grace", "Hiro",  "Ingrid", "Jamal",  "Kasia",   "Luis",
                                    "Mei",   "Noah",  "Olivia", "Priya",  "Quentin", "Rosa",
                                    "Sam",   "Tomás", "Uma",    "Victor", "Wen",     "Yara"};
static const char *const last[] = {"Ruiz",   "Okafor", "Wei",     "Kim",    "Martin", "Haddad",
                                   "Lee",    "Tanaka", "Nilsson", "Wright", "Nowak",  "García",
                                   "Lin",    "Cohen",  "Brown",   "Patel",  "Dubois", "Álvarez",
                                   "Taylor", "Silva",  "Rao",     "Petrov", "Zhao",   "Adams"};
static const char *const companies[] = {"Acme",    "Globex", "Umbrella", "Initech",  "Hooli",
                                        "Soylent", "Tyrell", "Oscorp",   "Aperture", "Cyberdyne",
                                        "Stark",   "Wayne",  "Vehement", "Massive"};
static const char *const tags[] = {"mentor",   "alumni", "colleague", "hiring", "recruiter",
                                   "customer", "friend", "community", "founder"};
static const char *const kinds[] = {"coffee",  "call",  "email",  "meeting", "event",
                                    "article", "intro", "advice", "update",  "gift"};
static const char *const words[] = {"career",    "hiring", "design", "platform",   "roadmap",
                                    "pricing",   "growth", "rust",   "sql",        "interview",
                                    "mentoring", "book",   "talk",   "conference", "migration"};

#define BATCH 20000
/* The day bench/run.sh, bench/floor.sh and bench/tui.py measure on. */
#define BENCH_TODAY "2026-11-22"

static int fail(const char *what, const struct kerr *e)
{
    fprintf(stderr, "kith-bench-gen: %s: %s\n", what, e->msg);
    return 1;
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    if (!getenv("KITH_TODAY") || !*getenv("KITH_TODAY"))
        setenv("KITH_TODAY", BENCH_TODAY, 1);
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH [CONTACTS [INTERACTIONS [SEED]]]\n", argv[0]);
        return 2;
    }
    long ncontacts = argc > 2 ? atol(argv[2]) : 100000;
    long ninter = argc > 3 ? atol(argv[3]) : 1000000;
    state = argc > 4 ? strtoull(argv[4], NULL, 10) : 42;
    if (ncontacts < 1 || ninter < 0) {
        fprintf(stderr, "kith-bench-gen: counts must be positive\n");
        return 2;
    }
    struct config *cfg = config_defaults();
    struct journal *j = NULL;
    struct kerr e;
    if (journal_open(argv[1], cfg, JOURNAL_CREATE, &j, &e) != K_OK)
        return fail("open", &e);
    int today = journal_today(j);
    char(*ids)[KID_LEN + 1] = kcalloc((size_t)ncontacts, sizeof *ids);
    clock_t t0 = clock();

    if (journal_begin(j, &e) != K_OK)
        return fail("begin", &e);
    for (long i = 0; i < ncontacts; i++) {
        char name[96], email[128], note[160];
        struct contact_patch p;
        contact_patch_init(&p);
        snprintf(name, sizeof name, "%s %s %ld", first[rnd(24)], last[rnd(24)], i);
        snprintf(email, sizeof email, "person%ld@example.com", i);
        snprintf(note, sizeof note, "Talked about %s and %s.", words[rnd(15)], words[rnd(15)]);
        p.name = name;
        p.company = companies[rnd(14)];
        p.note = note;
        kstrlist_add(&p.add_emails, email);
        kstrlist_add(&p.add_tags, tags[rnd(9)]);
        if (rnd(3) == 0)
            kstrlist_add(&p.add_tags, tags[rnd(9)]);
        int rc = contact_add(j, &p, ids[i], &e);
        contact_patch_clear(&p);
        if (rc != K_OK)
            return fail("contact", &e);
        if ((i + 1) % BATCH == 0 && (journal_commit(j, &e) != K_OK || journal_begin(j, &e) != K_OK))
            return fail("commit", &e);
    }
    /* A few contacts get very long histories (the 10k-interaction timeline). */
    for (long i = 0; i < ninter; i++) {
        long who = i < 10000 ? 0 : (long)rnd((unsigned)ncontacts);
        const char *cid[1] = {ids[who]};
        char summary[96];
        struct interaction_input in = {0};
        snprintf(summary, sizeof summary, "%s about %s", kinds[rnd(10)], words[rnd(15)]);
        in.contact_ids = cid;
        in.ncontacts = 1;
        in.kind = kinds[rnd(10)];
        in.dir = (enum kdir)rnd(3);
        in.date = today - (int)rnd(5 * 365);
        in.summary = summary;
        char id[KID_LEN + 1];
        if (interaction_log(j, &in, id, &e) != K_OK)
            return fail("interaction", &e);
        if ((i + 1) % BATCH == 0 && (journal_commit(j, &e) != K_OK || journal_begin(j, &e) != K_OK))
            return fail("commit", &e);
    }
    char parent[KID_LEN + 1] = "";
    for (long i = 0; i < ncontacts / 100; i++) {
        struct referral_input in = {0};
        char id[KID_LEN + 1];
        in.referrer_id = ids[rnd((unsigned)ncontacts)];
        in.target_text = "a role on the platform team";
        in.kind = "job";
        in.date = today - 30 - (int)rnd(700);
        in.parent_id = (i % 5 && *parent) ? NULL : NULL;
        if (referral_add(j, &in, id, &e) != K_OK)
            return fail("referral", &e);
        if (rnd(2)) {
            struct thanks_input t = {0};
            char tid[KID_LEN + 1];
            t.contact_id = in.referrer_id;
            t.referral_id = id;
            t.form = "email";
            t.date = in.date + (int)rnd(20);
            if (t.date > today)
                t.date = today;
            if (thanks_add(j, &t, tid, &e) != K_OK)
                return fail("thanks", &e);
        }
        memcpy(parent, id, sizeof parent);
    }
    char cid[KID_LEN + 1];
    if (challenge_start(j, today - 11, 30, cid, &e) != K_OK)
        return fail("challenge", &e);
    if (journal_commit(j, &e) != K_OK)
        return fail("commit", &e);
    fprintf(stderr, "kith-bench-gen: %ld contacts, %ld interactions in %.1f s of CPU\n", ncontacts,
            ninter, (double)(clock() - t0) / CLOCKS_PER_SEC);
    free(ids);
    journal_close(&j);
    config_free(&cfg);
    return 0;
}
