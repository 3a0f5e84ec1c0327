#include "testutil.h"

#include <sqlite3.h>

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"
#include "kith/store/db.h"
#include "kith/store/dbreminder.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_contact(struct tjournal *t, const char *name, const char *tag, const char *met_on,
                        const char *birthday, char id[KID_LEN + 1])
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.name = name;
    p.met_on = met_on ? met_on : "2020-01-01";
    p.birthday = birthday;
    if (tag)
        kstrlist_add(&p.add_tags, tag);
    if (contact_add(t->j, &p, id, &e) != K_OK)
        fail_msg("contact_add: %s", e.msg);
    contact_patch_clear(&p);
}

static void log_ix(struct tjournal *t, const char *cid, const char *date, const char *kind,
                   const char *dir)
{
    char id[KID_LEN + 1];
    struct kerr e;
    const char *ids[] = {cid};
    struct interaction_input in = {ids, 1, kind, KDIR_MUTUAL, tday(date), NULL, NULL};
    assert_int_equal(kdir_parse(dir, &in.dir), 0);
    if (interaction_log(t->j, &in, id, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

static void refer(struct tjournal *t, const char *by, const char *to, const char *to_text,
                  const char *date, const char *kind, const char *outcome, char id[KID_LEN + 1])
{
    struct kerr e;
    struct referral_input in = {by, to, to_text, kind, tday(date), NULL, NULL};
    enum koutcome o;
    if (referral_add(t->j, &in, id, &e) != K_OK)
        fail_msg("referral_add: %s", e.msg);
    assert_int_equal(koutcome_parse(outcome, &o), 0);
    if (o != KOUT_PENDING && referral_set_outcome(t->j, id, o, tday(date), NULL, &e) != K_OK)
        fail_msg("referral_set_outcome: %s", e.msg);
}

static void thank(struct tjournal *t, const char *cid, const char *date, const char *referral)
{
    char id[KID_LEN + 1];
    struct kerr e;
    struct thanks_input in = {cid, tday(date), NULL, referral, NULL, NULL};
    if (thanks_add(t->j, &in, id, &e) != K_OK)
        fail_msg("thanks_add: %s", e.msg);
}

static void start_challenge(struct tjournal *t, const char *start, int days, char id[KID_LEN + 1])
{
    struct kerr e;
    if (challenge_start(t->j, tday(start), days, id, &e) != K_OK)
        fail_msg("challenge_start: %s", e.msg);
}

static void tick(struct tjournal *t, const char *date)
{
    struct kerr e;
    if (challenge_tick(t->j, tday(date), NULL, NULL, NULL, &e) != K_OK)
        fail_msg("challenge_tick: %s", e.msg);
}

/* Reopens the journal with a config made of yaml. */
static void use_config(struct tjournal *t, const char *yaml)
{
    char path[400];
    struct kerr e;
    snprintf(path, sizeof path, "%s/config.yaml", t->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(yaml, f);
    fclose(f);
    journal_close(&t->j);
    config_free(&t->cfg);
    if (config_load(path, &t->cfg, &e) != K_OK)
        fail_msg("config: %s", e.msg);
    if (journal_open(t->path, t->cfg, 0, &t->j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
}

static void list(struct tjournal *t, struct reminder_list *l)
{
    struct kerr e;
    if (reminder_list(t->j, NULL, l, &e) != K_OK)
        fail_msg("reminder_list: %s", e.msg);
}

/* The messages due, one per line, in order. */
static char *messages(struct tjournal *t)
{
    struct reminder_list l;
    struct sbuf b = {0};
    list(t, &l);
    for (size_t i = 0; i < l.n; i++)
        sbuf_printf(&b, "%s%s%s", l.v[i].overdue ? "!" : "", l.v[i].message, "\n");
    reminder_list_clear(&l);
    return sbuf_take(&b);
}

#define ASSERT_DUE(t, expected)                                                                    \
    do {                                                                                           \
        char *m_ = messages(t);                                                                    \
        if (strcmp(m_, expected))                                                                  \
            fail_msg("expected:\n%sgot:\n%s", expected, m_);                                       \
        free(m_);                                                                                  \
    } while (0)

static void test_referral(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], dana[KID_LEN + 1], ben[KID_LEN + 1], r1[KID_LEN + 1], r2[KID_LEN + 1],
        r3[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - id: thank\n"
                   "    on: referral\n"
                   "    after_days: 2\n"
                   "    message: \"Thank {referrer} for {target} ({kind}, {date}, {days}d)\"\n");
    add_contact(&t, "Ana", NULL, NULL, NULL, ana);
    add_contact(&t, "Dana", NULL, NULL, NULL, dana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    refer(&t, ana, dana, NULL, "2026-11-19", "intro", "pending", r1);
    refer(&t, ben, NULL, "a job at Globex", "2026-11-20", "job", "interview", r2);
    /* Not yet: due on 11-23. */
    refer(&t, ana, NULL, "Initech", "2026-11-21", "customer", "pending", r3);
    ASSERT_DUE(&t, "!Thank Ana for Dana (intro, 2026-11-19, 3d)\n"
                   "Thank Ben for a job at Globex (job, 2026-11-20, 2d)\n");

    /* A thank-you for that referral clears it. */
    thank(&t, ana, "2026-11-19", r1);
    ASSERT_DUE(&t, "Thank Ben for a job at Globex (job, 2026-11-20, 2d)\n");
    /* One dated before the referral, not for it, does not... */
    thank(&t, ben, "2026-11-19", NULL);
    ASSERT_DUE(&t, "Thank Ben for a job at Globex (job, 2026-11-20, 2d)\n");
    /* ...one dated on or after it does. */
    thank(&t, ben, "2026-11-20", NULL);
    ASSERT_DUE(&t, "");
    /* Thanked on 11-20 does not cover Ana's later referral of 11-21. */
    journal_set_today(t.j, tday("2026-11-25"));
    ASSERT_DUE(&t, "!Thank Ana for Initech (customer, 2026-11-21, 4d)\n");
    tj_close(&t);
}

static void test_referral_filters(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], r[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: jobs, on: referral, kinds: [job], message: 'job {referrer}'}\n"
                   "  - {id: won, on: referral, outcome: [hired, won], message: 'won {referrer}'}\n"
                   "  - {id: vip, on: referral, tags: [vip], message: 'vip {referrer}'}\n");
    add_contact(&t, "Ana", "vip", NULL, NULL, ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    refer(&t, ana, NULL, "x", "2026-11-01", "intro", "pending", r);
    refer(&t, ben, NULL, "y", "2026-11-02", "job", "hired", r);
    ASSERT_DUE(&t, "!vip Ana\n!job Ben\n!won Ben\n");
    tj_close(&t);
}

static void test_interaction(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dee[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - id: report-back\n"
                   "    on: interaction\n"
                   "    kinds: [advice]\n"
                   "    direction: asked\n"
                   "    tags: [mentor]\n"
                   "    after_days: 60\n"
                   "    message: \"Tell {contact} about the {kind} of {date} ({days}d)\"\n");
    add_contact(&t, "Ana", "mentor", NULL, NULL, ana);
    add_contact(&t, "Ben", "mentor", NULL, NULL, ben);
    add_contact(&t, "Cy", "mentor", NULL, NULL, cy);
    add_contact(&t, "Dee", NULL, NULL, NULL, dee);
    log_ix(&t, ana, "2026-09-23", "advice", "asked"); /* due 11-22: today */
    log_ix(&t, ben, "2026-09-01", "advice", "gave");  /* wrong direction */
    log_ix(&t, cy, "2026-09-01", "coffee", "asked");  /* wrong kind */
    log_ix(&t, dee, "2026-09-01", "advice", "asked"); /* not a mentor */
    ASSERT_DUE(&t, "Tell Ana about the advice of 2026-09-23 (60d)\n");
    journal_set_today(t.j, tday("2026-11-21"));
    ASSERT_DUE(&t, "");
    journal_set_today(t.j, tday("2026-11-23"));
    ASSERT_DUE(&t, "!Tell Ana about the advice of 2026-09-23 (61d)\n");
    /* Logging the follow-up clears it. */
    log_ix(&t, ana, "2026-10-01", "email", "mutual");
    ASSERT_DUE(&t, "");
    /* A new advice fires anew later. */
    log_ix(&t, ana, "2026-10-02", "advice", "asked");
    journal_set_today(t.j, tday("2026-12-01"));
    ASSERT_DUE(&t, "Tell Ana about the advice of 2026-10-02 (60d)\n");
    tj_close(&t);
}

/* A rule with kinds and a direction reads only the contacts whose last
 * day can match (schema 9's indexes): one interaction of the kind and
 * direction, or several that day, any of which may match, whatever the
 * least of them is. */
static void test_interaction_same_day(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - id: report-back\n"
                   "    on: interaction\n"
                   "    kinds: [resume-review]\n"
                   "    direction: asked\n"
                   "    after_days: 60\n"
                   "    message: \"{contact}: {kind} of {date}\"\n");
    add_contact(&t, "Ana", NULL, NULL, NULL, ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    add_contact(&t, "Cy", NULL, NULL, NULL, cy);
    /* The least of Ana's last day (advice) is not the rule's kind. */
    log_ix(&t, ana, "2026-09-20", "advice", "gave");
    log_ix(&t, ana, "2026-09-20", "resume-review", "asked");
    /* Neither of Ben's is. */
    log_ix(&t, ben, "2026-09-20", "advice", "asked");
    log_ix(&t, ben, "2026-09-20", "resume-review", "gave");
    /* Cy's one is. */
    log_ix(&t, cy, "2026-09-21", "resume-review", "asked");
    ASSERT_DUE(&t, "!Ana: resume-review of 2026-09-20\n"
                   "!Cy: resume-review of 2026-09-21\n");
    tj_close(&t);
}

static void test_silence(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dee[KID_LEN + 1], eve[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - id: touch\n"
                   "    on: silence\n"
                   "    tags: [mentor]\n"
                   "    days: 45\n"
                   "    max_days: 90\n"
                   "    message: \"{contact}: {days} days since {date}\"\n");
    add_contact(&t, "Ana", "mentor", NULL, NULL, ana);
    add_contact(&t, "Ben", "mentor", NULL, NULL, ben);
    add_contact(&t, "Cy", "mentor", NULL, NULL, cy);
    add_contact(&t, "Dee", "mentor", "2026-10-01", NULL, dee); /* never talked, met 52d ago */
    add_contact(&t, "Eve", NULL, NULL, NULL, eve);             /* not a mentor */
    log_ix(&t, ana, "2026-10-08", "coffee", "mutual");         /* 45 days: due */
    log_ix(&t, ben, "2026-08-24", "call", "mutual");           /* 90 days: overdue */
    log_ix(&t, cy, "2026-10-09", "coffee", "mutual");          /* 44 days */
    log_ix(&t, eve, "2025-01-01", "coffee", "mutual");
    /* Overdue first, then by due date. */
    ASSERT_DUE(&t, "!Ben: 90 days since 2026-08-24\n"
                   "Dee: 52 days since 2026-10-01\n"
                   "Ana: 45 days since 2026-10-08\n");
    /* Any interaction resets it, whatever its kind or direction. */
    log_ix(&t, ben, "2026-11-20", "article", "gave");
    log_ix(&t, dee, "2026-11-21", "advice", "asked");
    ASSERT_DUE(&t, "Ana: 45 days since 2026-10-08\n");
    tj_close(&t);
}

/* A silence rule with several tags names each contact once, whether it seeks
 * the contacts' last interactions (no other rule needs every contact's) or
 * reads them from the per-contact pass (a goodwill rule does). */
static void test_silence_tags(void **state)
{
    (void)state;
    static const char *const extra[] = {"",
                                        "  - {id: gw, on: goodwill, below: -100, message: x}\n"};
    for (int k = 0; k < 2; k++) {
        struct tjournal t;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1];
        tj_open(&t);
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "rules:\n"
                 "  - {id: touch, on: silence, tags: [mentor, friend], days: 45,"
                 " message: \"{contact} {days}\"}\n%s",
                 extra[k]);
        use_config(&t, yaml);
        add_contact(&t, "Ana", "mentor", NULL, NULL, ana);
        add_contact(&t, "Ben", "friend", NULL, NULL, ben);
        add_contact(&t, "Cy", "alumni", NULL, NULL, cy);
        struct contact_patch p;
        struct kerr e;
        contact_patch_init(&p);
        kstrlist_add(&p.add_tags, "friend");
        if (contact_edit(t.j, ana, &p, &e) != K_OK)
            fail_msg("contact_edit: %s", e.msg);
        contact_patch_clear(&p);
        log_ix(&t, ana, "2026-10-01", "coffee", "mutual");
        log_ix(&t, ben, "2026-10-02", "coffee", "mutual");
        log_ix(&t, cy, "2026-10-01", "coffee", "mutual");
        ASSERT_DUE(&t, "Ana 52\nBen 51\n");
        size_t n = 0;
        assert_int_equal(reminder_count(t.j, &n, &e), K_OK);
        assert_int_equal(n, 2);
        /* An interaction logged ahead (after today) does not count yet, and
         * a tagged contact never talked to counts from when they were met
         * (read from the contact table, the rest from the summary). */
        log_ix(&t, ben, "2026-11-01", "coffee", "mutual");
        traw_exec(t.path, "UPDATE interaction SET date = '2026-12-01' WHERE date = '2026-11-01';"
                          "UPDATE interaction_contact SET date = '2026-12-01'"
                          " WHERE date = '2026-11-01';");
        char dee[KID_LEN + 1];
        add_contact(&t, "Dee", "mentor", "2026-09-01", NULL, dee);
        ASSERT_DUE(&t, "Dee 82\nAna 52\nBen 51\n");
        tj_close(&t);
    }
}

static void test_birthday(void **state)
{
    (void)state;
    struct tjournal t;
    char id[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: bday, on: birthday, days_before: 1,"
                   " message: '{contact} on {date} (in {days})'}\n"
                   "  - {id: leap, on: birthday, days_before: 100, tags: [leap],"
                   " message: 'leap {contact} on {date}'}\n");
    add_contact(&t, "Ana", NULL, NULL, "11-23", id);
    add_contact(&t, "Ben", NULL, NULL, "1980-11-22", id);
    add_contact(&t, "Cy", NULL, NULL, "11-24", id);  /* two days: not yet */
    add_contact(&t, "Dee", NULL, NULL, "11-21", id); /* passed */
    add_contact(&t, "Lee", "leap", NULL, "2000-02-29", id);
    /* Due from days_before the birthday (the leap one since 11-20). */
    ASSERT_DUE(&t, "leap Lee on 2027-02-28\n"
                   "Ben on 2026-11-22 (in 0)\n"
                   "Ana on 2026-11-23 (in 1)\n");
    tj_close(&t);
}

static int collect_bday(const struct reminder_birthday *b, void *ud)
{
    char buf[KDATE_BUF];
    sbuf_printf(ud, "%s %s %d\n", b->name, kdate_format(b->date, buf), b->in_days);
    return 0;
}

static void test_birthdays_week(void **state)
{
    (void)state;
    struct tjournal t;
    char id[KID_LEN + 1];
    struct kerr e;
    struct sbuf b = {0};
    tj_open(&t);
    add_contact(&t, "Ana", NULL, NULL, "11-29", id);
    add_contact(&t, "Ben", NULL, NULL, "1980-11-22", id);
    add_contact(&t, "Cy", NULL, NULL, "11-30", id);
    add_contact(&t, "Dee", NULL, NULL, "11-21", id);
    assert_int_equal(reminder_birthdays(t.j, 7, collect_bday, &b, &e), K_OK);
    assert_string_equal(b.s, "Ben 2026-11-22 0\nAna 2026-11-29 7\n");
    sbuf_free(&b);
    tj_close(&t);
}

static void test_goodwill(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "goodwill:\n"
                   "  weights:\n"
                   "    resume-review: {asked: -2}\n"
                   "rules:\n"
                   "  - {id: deposit, on: goodwill, below: -3, message: 'Give {contact} something "
                   "({days}d since {date})'}\n");
    add_contact(&t, "Ana", NULL, NULL, NULL, ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    add_contact(&t, "Cy", NULL, NULL, NULL, cy);
    for (int i = 0; i < 3; i++)
        log_ix(&t, ana, "2026-11-01", "coffee", "asked"); /* -3: at the line */
    log_ix(&t, ben, "2026-11-01", "coffee", "asked");
    log_ix(&t, ben, "2026-11-02", "resume-review", "asked"); /* -3 with its weight */
    log_ix(&t, cy, "2026-11-01", "coffee", "asked");
    log_ix(&t, cy, "2026-11-01", "coffee", "asked");
    log_ix(&t, cy, "2026-11-01", "coffee", "mutual"); /* -2 */
    ASSERT_DUE(&t, "Give Ana something (21d since 2026-11-01)\n"
                   "Give Ben something (20d since 2026-11-02)\n");
    /* An intro counts 3 by default. */
    log_ix(&t, ana, "2026-11-10", "intro", "gave");
    ASSERT_DUE(&t, "Give Ben something (20d since 2026-11-02)\n");
    tj_close(&t);
}

static void test_challenge(void **state)
{
    (void)state;
    struct tjournal t;
    char old[KID_LEN + 1], cur[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: act, on: challenge, message: 'Day {days} ({date})'}\n");
    ASSERT_DUE(&t, "");
    start_challenge(&t, "2026-11-01", 30, old);
    tick(&t, "2026-11-22");
    ASSERT_DUE(&t, "");
    /* The one started last is the active one. */
    start_challenge(&t, "2026-11-11", 30, cur);
    tick(&t, "2026-11-21");
    ASSERT_DUE(&t, "Day 12 (2026-11-22)\n");
    tick(&t, "2026-11-22");
    ASSERT_DUE(&t, "");
    /* Tomorrow it fires anew; after the last day, never. */
    journal_set_today(t.j, tday("2026-11-23"));
    ASSERT_DUE(&t, "Day 13 (2026-11-23)\n");
    journal_set_today(t.j, tday("2026-12-11"));
    ASSERT_DUE(&t, "");
    journal_set_today(t.j, tday("2026-12-10"));
    ASSERT_DUE(&t, "Day 30 (2026-12-10)\n");
    /* Before it starts, nothing either. */
    journal_set_today(t.j, tday("2026-11-22"));
    start_challenge(&t, "2026-11-25", 30, cur);
    ASSERT_DUE(&t, "");
    tj_close(&t);
}

static int take_into(const struct reminder *r, void *ud)
{
    reminder_list_add(ud, r);
    return 0;
}

static void test_order_and_defaults(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], r[KID_LEN + 1], ch[KID_LEN + 1];
    struct reminder_list l;
    tj_open(&t); /* the built-in rules */
    add_contact(&t, "Ana", "mentor", NULL, "11-23", ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    log_ix(&t, ana, "2026-06-01", "advice", "asked");
    for (int i = 0; i < 4; i++)
        log_ix(&t, ben, "2026-11-01", "coffee", "asked");
    refer(&t, ana, ben, NULL, "2026-11-20", "intro", "pending", r);
    start_challenge(&t, "2026-11-20", 30, ch);
    list(&t, &l);
    const char *want[][2] = {
        {"keep-in-touch", "Catch up with Ana: 174 days since you last talked"},
        {"report-back", "Tell Ana how you used their advice from 2026-06-01"},
        {"thank-referrer", "Thank Ana for the intro to Ben"},
        {"birthday", "Ana's birthday is on 2026-11-23"},
        {"daily-act", "Challenge day 3: one networking act today"},
        {"make-a-deposit", "Give Ben something: an article, an update, an intro"},
    };
    assert_int_equal(l.n, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(l.v[i].rule, want[i][0]);
        assert_string_equal(l.v[i].message, want[i][1]);
    }
    assert_int_equal(l.v[0].overdue, 1);
    assert_int_equal(l.v[1].overdue, 1);
    assert_int_equal(l.v[2].overdue, 0);
    assert_int_equal(l.v[2].priority, 0);
    assert_string_equal(l.v[2].subject, r);
    assert_string_equal(l.v[2].contact_id, ana);
    assert_string_equal(l.v[4].contact_id, "");
    assert_null(l.v[4].contact);
    assert_int_equal(strlen(l.v[0].id), 6);
    size_t n;
    struct kerr e;
    /* A window is that slice of the whole list, messages and ids included,
     * with the whole list's count. */
    assert_int_equal(reminder_evaluate(t.j, &e), K_OK);
    for (size_t off = 0; off <= 7; off++)
        for (size_t lim = 1; lim <= 3; lim++) {
            struct reminder_list w = {0};
            struct reminder_query wq = {NULL, off, lim};
            n = 99;
            assert_int_equal(reminder_window_evaluated(t.j, &wq, &n, take_into, &w, &e), K_OK);
            assert_int_equal(n, 6);
            assert_int_equal(w.n, off >= 6 ? 0 : (off + lim > 6 ? 6 - off : lim));
            for (size_t i = 0; i < w.n; i++) {
                assert_string_equal(w.v[i].id, l.v[off + i].id);
                assert_string_equal(w.v[i].message, l.v[off + i].message);
            }
            reminder_list_clear(&w);
        }
    reminder_list_clear(&l);
    assert_int_equal(reminder_count(t.j, &n, &e), K_OK);
    assert_int_equal(n, 6);
    struct reminder_query q = {ben, 0, 0};
    assert_int_equal(reminder_list(t.j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    reminder_list_clear(&l);

    /* Archived contacts get no reminders. */
    struct contact_patch p;
    contact_patch_init(&p);
    p.archived = 1;
    assert_int_equal(contact_edit(t.j, ana, &p, &e), K_OK);
    assert_int_equal(reminder_count(t.j, &n, &e), K_OK);
    assert_int_equal(n, 2);
    tj_close(&t);
}

static void test_done_and_snooze(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    struct reminder_list l;
    struct kerr e;
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: touch, on: silence, days: 30, message: '{contact} {date}'}\n");
    add_contact(&t, "Ana", NULL, NULL, NULL, ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    log_ix(&t, ana, "2026-09-01", "coffee", "mutual");
    log_ix(&t, ben, "2026-09-02", "coffee", "mutual");
    list(&t, &l);
    assert_int_equal(l.n, 2);
    char a_id[KREMINDER_ID_LEN + 1], b_id[KREMINDER_ID_LEN + 1];
    strcpy(a_id, l.v[0].id);
    strcpy(b_id, l.v[1].id);
    reminder_list_clear(&l);

    /* Ids are stable: the same after reopening. */
    use_config(&t, "rules:\n"
                   "  - {id: touch, on: silence, days: 30, message: '{contact} {date}'}\n");
    list(&t, &l);
    assert_string_equal(l.v[0].id, a_id);
    reminder_list_clear(&l);

    /* Upper case and a longer prefix than shown are fine. */
    char up[8];
    for (int i = 0; i < 6; i++)
        up[i] = (char)(a_id[i] >= 'a' ? a_id[i] - 'a' + 'A' : a_id[i]);
    up[6] = '\0';
    assert_int_equal(reminder_done(t.j, up, NULL, &e), K_OK);
    ASSERT_DUE(&t, "Ben 2026-09-02\n");
    assert_kerr(reminder_done(t.j, a_id, NULL, &e), K_NOTFOUND, &e, "no reminder");
    assert_int_equal(reminder_done(t.j, "xyz1", NULL, &e), K_USAGE);
    assert_int_equal(reminder_done(t.j, "abc", NULL, &e), K_USAGE);

    /* Snoozed for 3 days: back on the third. */
    assert_int_equal(reminder_snooze(t.j, b_id, 0, NULL, &e), K_USAGE);
    assert_int_equal(reminder_snooze(t.j, b_id, 3, NULL, &e), K_OK);
    ASSERT_DUE(&t, "");
    journal_set_today(t.j, tday("2026-11-24"));
    ASSERT_DUE(&t, "");
    journal_set_today(t.j, tday("2026-11-25"));
    ASSERT_DUE(&t, "Ben 2026-09-02\n");
    /* A snoozed one can still be marked done by its id. */
    journal_set_today(t.j, tday("2026-11-23"));
    assert_int_equal(reminder_done(t.j, b_id, NULL, &e), K_OK);
    journal_set_today(t.j, tday("2026-11-25"));
    ASSERT_DUE(&t, "");

    /* Done stays done until the trigger fires anew: a new interaction
     * gives a new silence, due 30 days after it. */
    log_ix(&t, ana, "2026-10-01", "call", "mutual");
    ASSERT_DUE(&t, "Ana 2026-10-01\n");
    tj_close(&t);
}

struct notified {
    struct sbuf log;
    int fail_for_ben;
};

static int notify(const struct reminder *r, void *ud, struct kerr *e)
{
    struct notified *n = ud;
    if (n->fail_for_ben && r->contact && !strcmp(r->contact, "Ben"))
        return kerr_set(e, K_ERR, "notifier failed");
    sbuf_printf(&n->log, "%s\n", r->message);
    return K_OK;
}

static void test_notify(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    struct notified n = {{0}, 1};
    struct kerr e;
    size_t sent = 99;
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: touch, on: silence, days: 30, message: '{contact}'}\n");
    add_contact(&t, "Ana", NULL, NULL, NULL, ana);
    add_contact(&t, "Ben", NULL, NULL, NULL, ben);
    log_ix(&t, ana, "2026-09-01", "coffee", "mutual");
    log_ix(&t, ben, "2026-09-02", "coffee", "mutual");
    assert_int_equal(reminder_notify_pending(t.j, notify, &n, &sent, &e), K_ERR);
    assert_string_equal(e.msg, "notifier failed");
    assert_int_equal(sent, 1);
    assert_string_equal(n.log.s, "Ana\n");
    /* Ana is not notified twice; Ben, whose notifier failed, is retried. */
    n.fail_for_ben = 0;
    assert_int_equal(reminder_notify_pending(t.j, notify, &n, &sent, &e), K_OK);
    assert_int_equal(sent, 1);
    assert_string_equal(n.log.s, "Ana\nBen\n");
    assert_int_equal(reminder_notify_pending(t.j, notify, &n, &sent, &e), K_OK);
    assert_int_equal(sent, 0);
    /* Notified reminders are still due. */
    ASSERT_DUE(&t, "Ana\nBen\n");
    sbuf_free(&n.log);
    tj_close(&t);
}

static void test_json(void **state)
{
    (void)state;
    struct tjournal t;
    char ana[KID_LEN + 1], ch[KID_LEN + 1];
    struct kerr e;
    char *json = NULL;
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: touch, on: silence, days: 30, max_days: 60, priority: high,"
                   " message: 'Call \"{contact}\"'}\n");
    add_contact(&t, "Ana \"A\" Ruiz", NULL, NULL, "11-25", ana);
    log_ix(&t, ana, "2026-09-01", "coffee", "mutual");
    start_challenge(&t, "2026-11-20", 30, ch);
    tick(&t, "2026-11-22");
    assert_int_equal(reminder_today_json(t.j, 7, &json, &e), K_OK);
    char rid[KREMINDER_ID_LEN + 1];
    struct reminder_list l;
    list(&t, &l);
    strcpy(rid, l.v[0].id);
    reminder_list_clear(&l);
    struct sbuf want = {0};
    sbuf_printf(&want,
                "{\"today\":\"2026-11-22\",\"reminders\":[{\"id\":\"%s\",\"rule\":\"touch\","
                "\"priority\":\"high\",\"contact\":\"Ana \\\"A\\\" Ruiz\",\"contact_id\":\"%s\","
                "\"message\":\"Call \\\"Ana \\\"A\\\" Ruiz\\\"\",\"due_on\":\"2026-10-01\","
                "\"fired_on\":\"2026-10-01\",\"overdue\":true}],"
                "\"challenge\":{\"id\":\"%s\",\"started_on\":\"2026-11-20\",\"days\":30,"
                "\"done\":1,\"streak\":1,\"today_done\":true,\"day\":3,\"finished\":false,"
                "\"ticks\":[{\"date\":\"2026-11-22\",\"note\":null,\"interaction\":null,"
                "\"forward\":null}],\"grace_days\":1,\"graced\":0,\"habit_strength\":5},"
                "\"birthdays\":[{\"id\":\"%s\",\"name\":\"Ana \\\"A\\\" Ruiz\","
                "\"date\":\"2026-11-25\",\"in_days\":3}]}",
                rid, ana, ch, ana);
    assert_string_equal(json, want.s);
    free(json);
    sbuf_free(&want);
    tj_close(&t);
}

/* A name that looks like a field is not expanded again. */
static void test_render_is_one_pass(void **state)
{
    (void)state;
    struct tjournal t;
    char id[KID_LEN + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: b, on: birthday, message: '{contact} / {date}'}\n");
    add_contact(&t, "{date} Smith", NULL, NULL, "11-22", id);
    ASSERT_DUE(&t, "{date} Smith / 2026-11-22\n");
    tj_close(&t);
}

/* One contact's interactions up to today, as the rules see them (the
 * oracle of test_rules_oracle). */
struct seen {
    char last[11];  /* the last day up to today, "" for none */
    int n;          /* interactions that day */
    char kind[16];  /* the least kind of that day */
    char akind[16]; /* the least kind of that day of kinds advice or coffee, asked */
    int balance;    /* up to today, default weights */
};

static int weight(const char *kind, const char *dir)
{
    int w = !strcmp(kind, "intro") || !strcmp(kind, "referral") ? 3 : 1;
    return !strcmp(dir, "gave") ? w : !strcmp(dir, "asked") ? -w : 0;
}

/* The rules of a generated journal, whose summary the raw SQL inserts keep
 * through the triggers, are those computed here in C from the rows up to
 * today, rule by rule: a contact's last interaction after today must not
 * count (generated dates run to 2026-12-10), nor several on its last day
 * be taken for one, nor one without interactions be missed. */
static void test_rules_oracle(void **state)
{
    (void)state;
    struct tjournal t;
    struct reminder_list l;
    enum { N = 600 };
    static struct seen seen[N + 1];
    tj_open(&t);
    use_config(&t, "rules:\n"
                   "  - {id: ask, on: interaction, kinds: [advice, coffee], direction: asked,"
                   " after_days: 10, message: '{kind}'}\n"
                   "  - {id: any, on: interaction, after_days: 40, message: '{kind}'}\n"
                   "  - {id: quiet, on: silence, days: 60, max_days: 400, message: '{days}'}\n"
                   "  - {id: owed, on: goodwill, below: -1, message: '{date}'}\n");
    traw_exec(t.path,
              "BEGIN;"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)"
              " INSERT INTO contact(id, name, name_fold, met_on)"
              " SELECT printf('%032d', i), 'C' || i, 'c' || i,"
              "  date('2025-01-01', '+' || (i % 500) || ' days') FROM n;"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)"
              " INSERT INTO interaction(id, date, kind, direction)"
              " SELECT printf('%032d', i), date('2026-12-10', '-' || (i * 7 % 900) || ' days'),"
              "  CASE i % 4 WHEN 0 THEN 'coffee' WHEN 1 THEN 'advice' WHEN 2 THEN 'intro'"
              "  ELSE 'call' END, CASE i % 3 WHEN 0 THEN 'gave' WHEN 1 THEN 'asked'"
              "  ELSE 'mutual' END FROM n;"
              /* Contacts 1 to 500 only; each interaction with one or two. */
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " SELECT id, 1 + rowid * 13 % 500, date, kind, direction FROM interaction;"
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " SELECT id, 1 + rowid * 31 % 500, date, kind, direction FROM interaction"
              " WHERE rowid % 5 = 0 AND rowid * 31 % 500 <> rowid * 13 % 500;"
              "COMMIT;");
    /* The oracle, from the rows. */
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(t.path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT contact_key, date, kind, direction FROM"
                                        " interaction_contact WHERE date <= '2026-11-22'"
                                        " ORDER BY contact_key, date, kind, direction",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        const char *date = (const char *)sqlite3_column_text(st, 1);
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        const char *dir = (const char *)sqlite3_column_text(st, 3);
        struct seen *c = &seen[k];
        c->balance += weight(kind, dir);
        if (strcmp(date, c->last)) { /* a later day: rows come in date order */
            snprintf(c->last, sizeof c->last, "%s", date);
            c->n = 0;
            snprintf(c->kind, sizeof c->kind, "%s", kind);
            c->akind[0] = 0;
        }
        c->n++;
        if (!c->akind[0] && !strcmp(dir, "asked") &&
            (!strcmp(kind, "advice") || !strcmp(kind, "coffee")))
            snprintf(c->akind, sizeof c->akind, "%s", kind);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    int today = tday("2026-11-22");
    struct sbuf want = {0}, got = {0}, by_rule[4] = {{0}};
    for (int k = 1; k <= N; k++) {
        const struct seen *c = &seen[k];
        char date[KDATE_BUF], id[40];
        snprintf(id, sizeof id, "%032d", k);
        int last = c->last[0] ? tday(c->last) : KDATE_NONE;
        if (c->akind[0] && last <= today - 10)
            sbuf_printf(&by_rule[0], "ask %s %s %s\n", id, kdate_format(last + 10, date), c->akind);
        if (last != KDATE_NONE && last <= today - 40)
            sbuf_printf(&by_rule[1], "any %s %s %s\n", id, kdate_format(last + 40, date), c->kind);
        int base = last != KDATE_NONE ? last : tday("2025-01-01") + k % 500;
        if (base <= today - 60)
            sbuf_printf(&by_rule[2], "quiet %s %s %d\n", id, kdate_format(base + 60, date),
                        today - base);
        if (last != KDATE_NONE && c->balance <= -1)
            sbuf_printf(&by_rule[3], "owed %s %s %s\n", id, kdate_format(last, date), c->last);
    }
    for (int r = 0; r < 4; r++) {
        assert_true(by_rule[r].len > 0); /* every rule fires for some */
        sbuf_add(&want, by_rule[r].s);
        sbuf_free(&by_rule[r]);
    }
    list(&t, &l);
    assert_true(l.n > 300);
    /* In the oracle's order: rule, then contact. */
    static const char *const rules[] = {"ask", "any", "quiet", "owed"};
    for (size_t r = 0; r < 4; r++) {
        for (int k = 1; k <= N; k++) {
            char id[40];
            snprintf(id, sizeof id, "%032d", k);
            for (size_t i = 0; i < l.n; i++) {
                char date[KDATE_BUF];
                if (strcmp(l.v[i].rule, rules[r]) || strcmp(l.v[i].subject, id))
                    continue;
                sbuf_printf(&got, "%s %s %s %s\n", l.v[i].rule, id,
                            kdate_format(l.v[i].due_on, date), l.v[i].message);
            }
        }
    }
    reminder_list_clear(&l);
    if (strcmp(want.s, got.s))
        fail_msg("reminders differ from the oracle:\nwant:\n%.2000s\ngot:\n%.2000s", want.s, got.s);
    sbuf_free(&want);
    sbuf_free(&got);
    tj_close(&t);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Shown ids: 6 hex digits, 12 when another reminder's id starts with the
 * same 6. 20000 reminders (deterministic ids) share a few 6-digit prefixes
 * (about 12 pairs are expected, and are there for these ids): the shown ids
 * are unique, a 12-digit one shares its first 6 with another, a 6-digit one
 * is the start of no other, and each resolves. */
static void test_shown_ids(void **state)
{
    (void)state;
    struct tjournal t;
    struct reminder_list l;
    struct reminder r;
    struct kerr e;
    tj_open(&t);
    use_config(&t, "rules:\n  - {id: quiet, on: silence, days: 1, message: '{contact}'}\n");
    traw_exec(t.path, "BEGIN;"
                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                      "  WHERE i < 20000)"
                      " INSERT INTO contact(id, name, name_fold, met_on)"
                      " SELECT printf('%032x', i), 'C' || i, 'c' || i, '2025-01-01' FROM n;"
                      "COMMIT;");
    list(&t, &l);
    assert_int_equal(l.n, 20000);
    /* Ids sharing their first 6 digits are neighbours once sorted. */
    const char **ids = malloc(l.n * sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < l.n; i++)
        ids[i] = l.v[i].id;
    qsort(ids, l.n, sizeof *ids, cmp_str);
    size_t longer = 0;
    for (size_t i = 0; i < l.n; i++) {
        size_t n = strlen(ids[i]);
        assert_true(n == 6 || n == 12);
        if (i + 1 < l.n)
            assert_string_not_equal(ids[i], ids[i + 1]);
        int shares = (i > 0 && !strncmp(ids[i], ids[i - 1], 6)) ||
                     (i + 1 < l.n && !strncmp(ids[i], ids[i + 1], 6));
        assert_int_equal(shares, n == 12);
        if (n == 12 && ++longer <= 2) {
            /* Each resolve evaluates again: two are enough. */
            assert_int_equal(reminder_resolve(t.j, ids[i], &r, &e), K_OK);
            assert_string_equal(r.id, ids[i]);
            reminder_clear(&r);
            char six[7];
            memcpy(six, ids[i], 6);
            six[6] = 0;
            assert_kerr(reminder_resolve(t.j, six, &r, &e), K_USAGE, &e,
                        " matches several reminders; use more of the id:\n  ");
            assert_memory_equal(e.msg, six, 6);
        }
    }
    free(ids);
    assert_true(longer >= 2);
    assert_int_equal(reminder_resolve(t.j, l.v[0].id, &r, &e), K_OK);
    reminder_clear(&r);
    reminder_list_clear(&l);
    tj_close(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_referral),
    cmocka_unit_test(test_referral_filters),
    cmocka_unit_test(test_interaction),
    cmocka_unit_test(test_interaction_same_day),
    cmocka_unit_test(test_silence),
    cmocka_unit_test(test_silence_tags),
    cmocka_unit_test(test_birthday),
    cmocka_unit_test(test_birthdays_week),
    cmocka_unit_test(test_goodwill),
    cmocka_unit_test(test_challenge),
    cmocka_unit_test(test_order_and_defaults),
    cmocka_unit_test(test_done_and_snooze),
    cmocka_unit_test(test_notify),
    cmocka_unit_test(test_json),
    cmocka_unit_test(test_render_is_one_pass),
    cmocka_unit_test(test_rules_oracle),
    cmocka_unit_test(test_shown_ids),
};

TEST_MAIN(tests)
