#include "kith/core/demo.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/store/dbcontact.h"
#include "kith/core/forward.h"
#include "kith/core/interaction.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <stdio.h>
#include <string.h>

struct person {
    const char *name, *company, *title, *tags, *how_met, *working_on, *birthday;
};

/* A network of 44 people: mentors, alumni, colleagues, recruiters, friends.
 * Names cover accents, CJK and emoji so the demo shows alignment too. */
static const struct person people[] = {
    {"Ana Ruiz", "Acme", "VP Engineering", "mentor alumni", "SMG conference",
     "hiring two staff engineers", "03-14"},
    {"Ben Okafor", "Globex", "Product Lead", "colleague", "worked together at Initech",
     "launching a payments API", "1988-07-02"},
    {"Chen Wei", "Umbrella", "Data Scientist", "alumni", "university robotics club",
     "a talk on causal inference", NULL},
    {"Dana Kim", "Globex", "Engineering Manager", "hiring", "intro from Ana",
     "growing the platform team", "11-27"},
    {"Élodie Martin", "Soylent", "Designer", "friend", "climbing gym", "a portfolio refresh",
     "05-09"},
    {"Farid Haddad", "Hooli", "Recruiter", "recruiter", "LinkedIn message", NULL, NULL},
    {"Grace Hopper-Lee", "Initech", "CTO", "mentor", "former manager",
     "writing a book on engineering culture", "12-09"},
    {"Hiro Tanaka", "Stark Industries", "Staff Engineer", "colleague community", "Rust meetup",
     "an open-source tracing library", NULL},
    {"Ingrid Nilsson", "Wayne Enterprises", "Director of Sales", "customer", "trade show booth",
     "expanding into the Nordics", "1979-02-18"},
    {"Jamal Wright", "Acme", "Senior Engineer", "alumni", "bootcamp cohort",
     "moving into management", NULL},
    {"Katarzyna Nowak", "Cyberdyne", "Head of People", "hiring", "panel at a meetup",
     "a mentoring programme", NULL},
    {"Luis García", "Vehement", "Founder", "founder", "startup weekend", "raising a seed round",
     "08-21"},
    {"Mei Lin 林美", "Massive Dynamic", "Research Scientist", "alumni", "lab mate in grad school",
     NULL, NULL},
    {"Noah Cohen", "Oscorp", "Product Manager", "colleague", "cross-team project",
     "a pricing experiment", NULL},
    {"Olivia Brown", "Aperture", "Engineering Lead", "mentor", "mentoring circle",
     "speaking at LeadDev", "09-30"},
    {"Priya Patel", "Hooli", "Staff Engineer", "community", "conference hallway",
     "a newsletter on distributed systems", NULL},
    {"Quentin Dubois", "Soylent", "CFO", "customer", "customer advisory board", NULL, NULL},
    {"Rosa Álvarez", "Tyrell", "UX Researcher", "friend alumni", "university", NULL, "11-25"},
    {"Sam Taylor", "Freelance", "Career Coach", "coach", "podcast guest",
     "a workshop on negotiation", NULL},
    {"Tomás Silva", "Globex", "Engineer", "colleague", "code review buddy", NULL, NULL},
    {"Uma Rao", "Acme", "Talent Partner", "recruiter hiring", "referral from Ana", NULL, NULL},
    {"Victor Petrov", "Initech", "Architect", "mentor", "former tech lead",
     "a migration to event sourcing", NULL},
    {"Wen Zhao 赵文", "Umbrella", "Product Designer", "community", "design meetup", NULL, NULL},
    {"Xavier Moreau", "Wayne Enterprises", "VP Partnerships", "customer", "intro from Ingrid", NULL,
     NULL},
    {"Yara Haddad", "Cyberdyne", "Engineer", "alumni", "bootcamp cohort",
     "looking for a frontend role", "02-11"},
    {"Zoe Adams", "Aperture", "Developer Advocate", "community", "Rust meetup",
     "a conference talk proposal", NULL},
    {"Aiko Suzuki 🌸", "Massive Dynamic", "Engineering Manager", "hiring", "online community", NULL,
     NULL},
    {"Bruno Costa", "Vehement", "CTO", "founder", "startup weekend", "looking for a first engineer",
     NULL},
    {"Carla Rossi", "Oscorp", "Recruiter", "recruiter", "job fair", NULL, NULL},
    {"Deepak Iyer", "Hooli", "Principal Engineer", "mentor", "open-source project",
     "a book chapter on SRE", NULL},
    {"Emma Schmidt", "Stark Industries", "HR Business Partner", "hiring", "meetup", NULL, NULL},
    {"Felix Wagner", "Freelance", "Consultant", "community", "conference workshop", NULL, NULL},
    {"Gabriela Méndez", "Tyrell", "Data Engineer", "alumni", "university", NULL, "12-01"},
    {"Hassan Ali", "Cyberdyne", "Security Lead", "colleague", "incident review",
     "a threat-modelling guide", NULL},
    {"Isabel Fernández", "Acme", "Product Director", "mentor", "intro from Ana", NULL, NULL},
    {"Jonas Berg", "Wayne Enterprises", "Engineer", "alumni", "bootcamp cohort", NULL, NULL},
    {"Kofi Mensah", "Globex", "Staff Engineer", "community", "Go meetup", "a talk on observability",
     NULL},
    {"Laura Chen", "Umbrella", "Recruiter", "recruiter", "LinkedIn message", NULL, NULL},
    {"Marco Bianchi", "Soylent", "Head of Engineering", "hiring", "conference dinner",
     "building a new team in Milan", NULL},
    {"Nadia Karimi", "Aperture", "Engineer", "friend", "hackathon team", NULL, "11-30"},
    {"Oscar Lindqvist", "Massive Dynamic", "Investor", "founder", "demo day", NULL, NULL},
    {"Paula Souza", "Tyrell", "Engineering Manager", "mentor", "mentoring circle", NULL, NULL},
    {"Rahul Mehta", "Initech", "Engineer", "colleague", "team offsite", NULL, NULL},
    {"Sofia Lopez", "Freelance", "Writer", "friend community", "writing group",
     "a book on careers in tech", NULL},
};
#define NPEOPLE (sizeof people / sizeof people[0])

/* What some of them need and offer, and a cadence for a few: enough for
 * kith ideas to find introductions (Luis needs what Oscar offers) and
 * reconnects, and for the cards to show the question of what you could do
 * for them. By name, so that reordering people keeps it right. */
static const struct giving {
    const char *name, *need, *offer, *every;
} giving[] = {
    {"Ana Ruiz", "two staff engineers who know Rust", "mentoring new managers", "3w"},
    {"Luis García", "an intro to a seed investor", NULL, NULL},
    {"Oscar Lindqvist", NULL, "seed investing in developer tools", NULL},
    {"Hiro Tanaka", NULL, "Rust code reviews", NULL},
    {"Yara Haddad", "feedback on her resume", NULL, "1m"},
    {"Sam Taylor", NULL, "salary negotiation coaching", NULL},
    {"Jamal Wright", "advice on salary negotiation for a first manager role", NULL, NULL},
    {"Bruno Costa", "a first engineer who knows Rust", NULL, NULL},
    {"Grace Hopper-Lee", "reviewers for her book on engineering culture", NULL, "1m"},
    {"Sofia Lopez", NULL, "editing book chapters", NULL},
    {"Victor Petrov", NULL, "architecture reviews", "6w"},
};
#define NGIVING (sizeof giving / sizeof giving[0])

struct act {
    const char *kind;
    enum kdir dir;
    const char *summary;
};

static const struct act acts[] = {
    {"coffee", KDIR_MUTUAL, "coffee and catch-up"},
    {"article", KDIR_GAVE, "sent an article on engineering ladders"},
    {"advice", KDIR_ASKED, "asked how they chose their path"},
    {"intro", KDIR_GAVE, "introduced them to a designer I know"},
    {"resume-review", KDIR_ASKED, "asked for a resume review"},
    {"update", KDIR_GAVE, "told them how I used their advice"},
    {"call", KDIR_MUTUAL, "quarterly call"},
    {"event", KDIR_MUTUAL, "met at a meetup"},
    {"gift", KDIR_GAVE, "sent a book they mentioned"},
    {"email", KDIR_ASKED, "asked for an intro to their team"},
    {"meeting", KDIR_MUTUAL, "lunch"},
    {"thank-you", KDIR_GAVE, "thank-you note"},
};
#define NACTS (sizeof acts / sizeof acts[0])

/* A tiny deterministic generator: the demo is the same on every machine. */
static unsigned next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7FFF;
}

/* How many days ago you met person i. Those someone introduced you to
 * met you on the day of the intro (see add_referrals), so that the story
 * reads right: nobody is met after you first talked, and nobody refers you
 * before you knew them. */
static int met_days(size_t i)
{
    static const struct {
        size_t who;
        int days;
    } intro[] = {{3, 68}, {10, 35}, {23, 90}, {29, 5}};
    for (size_t k = 0; k < sizeof intro / sizeof *intro; k++)
        if (intro[k].who == i)
            return intro[k].days;
    return 200 + (int)i * 17;
}

static int add_people(struct journal *j, char ids[][KID_LEN + 1], struct kerr *e)
{
    for (size_t i = 0; i < NPEOPLE; i++) {
        const struct person *p = &people[i];
        struct contact_patch cp;
        contact_patch_init(&cp);
        cp.name = p->name;
        cp.company = p->company;
        cp.title = p->title;
        cp.how_met = p->how_met;
        cp.working_on = p->working_on;
        cp.birthday = p->birthday;
        char met[16];
        snprintf(met, sizeof met, "-%dd", met_days(i));
        cp.met_on = met;
        char tags[64];
        snprintf(tags, sizeof tags, "%s", p->tags);
        for (char *t = strtok(tags, " "); t; t = strtok(NULL, " "))
            kstrlist_add(&cp.add_tags, t);
        char email[128], *w = email;
        for (const char *c = p->name; *c && w < email + 40; c++)
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))
                *w++ = (char)(*c | 0x20);
        snprintf(w, sizeof email - (size_t)(w - email), "@example.com");
        kstrlist_add(&cp.add_emails, email);
        if (i % 5 == 0) {
            char note[160];
            snprintf(note, sizeof note, "Prefers short messages. Ask about %s next time.",
                     p->working_on ? p->working_on : "their team");
            cp.note = note;
            int rc = contact_add(j, &cp, ids[i], e);
            contact_patch_clear(&cp);
            if (rc != K_OK)
                return rc;
            continue;
        }
        int rc = contact_add(j, &cp, ids[i], e);
        contact_patch_clear(&cp);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

/* The index of the person named name, or NPEOPLE. */
static size_t person(const char *name)
{
    size_t i = 0;
    while (i < NPEOPLE && strcmp(people[i].name, name))
        i++;
    return i;
}

static int add_giving(struct journal *j, char ids[][KID_LEN + 1], struct kerr *e)
{
    int rc = K_OK;
    for (size_t g = 0; rc == K_OK && g < NGIVING; g++) {
        size_t i = person(giving[g].name);
        if (i == NPEOPLE)
            return kerr_set(e, K_ERR, "demo: no %s among the people", giving[g].name);
        struct contact_patch cp;
        contact_patch_init(&cp);
        if (giving[g].need)
            kstrlist_add(&cp.add_needs, giving[g].need);
        if (giving[g].offer)
            kstrlist_add(&cp.add_offers, giving[g].offer);
        cp.every = giving[g].every;
        rc = contact_edit(j, ids[i], &cp, e);
        contact_patch_clear(&cp);
    }
    return rc;
}

/* Gifts expecting nothing: to someone not in the journal, and to one
 * contact (yara). */
static int add_forwards(struct journal *j, const char *yara, struct kerr *e)
{
    int t = journal_today(j), rc = K_OK;
    const struct forward_input in[] = {
        {"helped a student with her resume", NULL, t - 3, NULL},
        {"spoke at Yara's bootcamp about first jobs", yara, t - 8, NULL},
        {"answered a stranger's question on the Rust forum", NULL, t - 20, NULL},
        {"mentored a junior engineer at the Rust meetup", NULL, t - 41, "two hours, on testing"},
    };
    for (size_t i = 0; rc == K_OK && i < sizeof in / sizeof in[0]; i++) {
        char id[KID_LEN + 1];
        rc = forward_add(j, &in[i], CHALLENGE_TICK_NONE, id, NULL, e);
    }
    return rc;
}

static int add_interactions(struct journal *j, char ids[][KID_LEN + 1], struct kerr *e)
{
    unsigned seed = 42;
    int today = journal_today(j);
    for (size_t i = 0; i < NPEOPLE; i++) {
        /* Closer contacts get more interactions; some go quiet for months. */
        int n = (int)(i % 7 == 0 ? 10 : i % 3 == 0 ? 5 : 2 + next(&seed) % 3);
        int quiet = i % 6 == 1 ? 150 : 0;
        for (int k = 0; k < n; k++) {
            const struct act *a = &acts[next(&seed) % NACTS];
            size_t other = (i + 1 + next(&seed) % 5) % NPEOPLE;
            const char *who[2] = {ids[i], ids[other]};
            struct interaction_input in = {0};
            in.contact_ids = who;
            in.ncontacts = a->dir == KDIR_MUTUAL && k % 4 == 0 ? 2 : 1;
            in.kind = a->kind;
            in.dir = a->dir;
            /* Within the last year, and never before you met them all. */
            int known = met_days(i);
            if (in.ncontacts == 2 && met_days(other) < known)
                known = met_days(other);
            int room = known - quiet; /* days from meeting them to going quiet */
            if (room < 1) {
                quiet = 0;
                room = known + 1;
            }
            int span = room < 360 ? room : 360;
            in.date = today - quiet - (int)(next(&seed) % (unsigned)span);
            in.summary = a->summary;
            char id[KID_LEN + 1];
            int rc = interaction_log(j, &in, id, e);
            if (rc != K_OK)
                return rc;
        }
    }
    /* The sketch's story: Ana, this month. */
    const char *ana[1] = {ids[0]};
    struct interaction_input in = {
        ana, 1, "article", KDIR_GAVE, today - 12, "shared \"Gen Z at work\"", NULL};
    char id[KID_LEN + 1];
    return interaction_log(j, &in, id, e);
}

static int refer(struct journal *j, const char *by, const char *to_id, const char *to_text,
                 const char *kind, int date, const char *parent, char out[KID_LEN + 1],
                 struct kerr *e)
{
    struct referral_input in = {0};
    in.referrer_id = by;
    in.target_id = to_id;
    in.target_text = to_text;
    in.kind = kind;
    in.date = date;
    in.parent_id = parent;
    return referral_add(j, &in, out, e);
}

static int thank(struct journal *j, const char *who, const char *ref, const char *form, int date,
                 struct kerr *e)
{
    struct thanks_input in = {0};
    char id[KID_LEN + 1];
    in.contact_id = who;
    in.referral_id = ref;
    in.form = form;
    in.date = date;
    return thanks_add(j, &in, id, e);
}

static int add_referrals(struct journal *j, char ids[][KID_LEN + 1], struct kerr *e)
{
    int t = journal_today(j);
    char r1[KID_LEN + 1], r2[KID_LEN + 1], r3[KID_LEN + 1], r4[KID_LEN + 1], r5[KID_LEN + 1],
        r6[KID_LEN + 1], r7[KID_LEN + 1];
    int rc;
    /* A trail that led to a job: Ana -> Dana -> Uma -> an offer at Globex. */
    if ((rc = refer(j, ids[0], ids[3], NULL, "intro", t - 68, NULL, r1, e)) ||
        (rc = thank(j, ids[0], r1, "handwritten note", t - 66, e)) ||
        (rc = refer(j, ids[3], NULL, "Platform team interview loop at Globex", "job", t - 40, r1,
                    r2, e)) ||
        (rc = referral_set_outcome(j, r2, KOUT_INTERVIEW, t - 30, NULL, e)) ||
        (rc = referral_set_outcome(j, r2, KOUT_OFFER, t - 9, "offer for Staff Engineer", e)) ||
        (rc = refer(j, ids[20], ids[10], NULL, "intro", t - 35, r2, r3, e)))
        return rc;
    /* Unthanked: Dana opened the door to the interview and still waits. */
    if ((rc = referral_set_outcome(j, r1, KOUT_MEETING, t - 60, NULL, e)) ||
        (rc = refer(j, ids[6], NULL, "Masterclass on engineering leadership", "masterclass", t - 20,
                    NULL, r4, e)) ||
        (rc = refer(j, ids[8], ids[23], NULL, "customer", t - 90, NULL, r5, e)) ||
        (rc = referral_set_outcome(j, r5, KOUT_WON, t - 45, "signed a pilot", e)) ||
        (rc = thank(j, ids[8], r5, "gift card", t - 44, e)) ||
        (rc = refer(j, ids[14], ids[29], NULL, "mentor", t - 5, NULL, r6, e)) ||
        (rc = refer(j, ids[11], NULL, "Seed investor: Oscar's fund", "intro", t - 150, NULL, r7,
                    e)) ||
        (rc = referral_set_outcome(j, r7, KOUT_LOST, t - 120, NULL, e)))
        return rc;
    return K_OK;
}

static int add_challenge(struct journal *j, struct kerr *e)
{
    int t = journal_today(j);
    char id[KID_LEN + 1];
    int rc = challenge_start(j, t - 11, 30, id, e);
    /* Ticked most days, missed two; today still open. */
    static const int ticked[] = {11, 10, 9, 7, 6, 5, 3, 2, 1};
    static const char *const notes[] = {"coffee with Ana",         "sent Dana an article",
                                        "thanked Ingrid",          NULL,
                                        "updated Grace",           NULL,
                                        "asked Olivia for advice", NULL,
                                        "intro for Yara"};
    /* Each tick is made as on its own day, as a user would have. */
    for (size_t i = 0; rc == K_OK && i < sizeof ticked / sizeof ticked[0]; i++) {
        journal_set_today(j, t - ticked[i]);
        rc = challenge_tick(j, KDATE_NONE, notes[i], NULL, NULL, e);
    }
    journal_set_today(j, t);
    return rc;
}

int demo_write(struct journal *j, struct kerr *e)
{
    char ids[NPEOPLE][KID_LEN + 1];
    size_t n = 0;
    int rc;
    if ((rc = dbcontact_total(journal_db(j), &n, e)) != K_OK)
        return rc;
    if (n)
        return kerr_set(e, K_EXISTS,
                        "%s already holds %zu contact%s; the demo needs an empty "
                        "journal (use --db to pick another file)",
                        journal_path(j), n, n == 1 ? "" : "s");
    if ((rc = journal_begin(j, e)) != K_OK)
        return rc;
    if ((rc = add_people(j, ids, e)) != K_OK || (rc = add_giving(j, ids, e)) != K_OK ||
        (rc = add_interactions(j, ids, e)) != K_OK || (rc = add_forwards(j, ids[person("Yara Haddad")], e)) != K_OK ||
        (rc = add_referrals(j, ids, e)) != K_OK || (rc = add_challenge(j, e)) != K_OK ||
        (rc = journal_commit(j, e)) != K_OK)
        journal_rollback(j);
    return rc;
}
