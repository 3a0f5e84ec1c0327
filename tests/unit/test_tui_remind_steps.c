/* The TUI's reminder cache evaluates in steps that give way to keys: after
 * any write, however its refresh was cut up (keys at random points, more
 * writes here or by another process between the steps), what it shows is
 * exactly what a whole evaluation from scratch gives. */
#include "testutil.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/core/referral.h"
#include "kith/core/reminder.h"
#include "kith/core/thanks.h"
#include "kith/tui/tui_remind.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXC = 64 };

struct world {
    struct tjournal t;
    struct journal *other; /* another handle on the journal: "outside" writes */
    char ids[MAXC][KID_LEN + 1];
    size_t n;
    unsigned seed;
};

static unsigned rnd(struct world *w, unsigned n)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) % n;
}

static const char *day(struct world *w)
{
    static char buf[16];
    /* Mostly the past year, some long ago. */
    int d = tday("2026-11-22") - (int)rnd(w, 400) - (rnd(w, 6) == 0 ? 2000 : 0);
    kdate_format(d, buf);
    return buf;
}

static void add_contact(struct world *w, struct journal *j)
{
    struct contact_patch p;
    struct kerr e;
    char name[32];
    if (w->n == MAXC)
        return;
    contact_patch_init(&p);
    snprintf(name, sizeof name, "Person %03u", rnd(w, 1000));
    p.name = name;
    char met[16], bday[16];
    if (rnd(w, 2)) {
        snprintf(met, sizeof met, "%s", day(w));
        p.met_on = met;
    }
    if (rnd(w, 4) == 0) {
        snprintf(bday, sizeof bday, "1980-11-%02u", 20 + rnd(w, 6));
        p.birthday = bday;
    }
    if (rnd(w, 2))
        kstrlist_add(&p.add_tags, "mentor");
    if (contact_add(j, &p, w->ids[w->n], &e) != K_OK)
        fail_msg("contact_add: %s", e.msg);
    w->n++;
    contact_patch_clear(&p);
}

static const char *pick(struct world *w)
{
    return w->ids[rnd(w, (unsigned)w->n)];
}

static void log_one(struct world *w, struct journal *j)
{
    static const char *const kinds[] = {"coffee", "advice", "resume-review", "intro", "call"};
    static const enum kdir dirs[] = {KDIR_MUTUAL, KDIR_ASKED, KDIR_GAVE};
    const char *who[2] = {pick(w), pick(w)};
    size_t nwho = strcmp(who[0], who[1]) && rnd(w, 3) == 0 ? 2 : 1;
    struct interaction_input in = {who,  nwho, kinds[rnd(w, 5)], dirs[rnd(w, 3)], tday(day(w)),
                                   NULL, NULL};
    char id[KID_LEN + 1];
    struct kerr e;
    if (interaction_log(j, &in, id, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

static void edit_one(struct world *w, struct journal *j)
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    switch (rnd(w, 5)) {
    case 0:
        kstrlist_add(&p.add_tags, "mentor");
        break;
    case 1:
        kstrlist_add(&p.rm_tags, "mentor");
        break;
    case 2:
        p.archived = (int)rnd(w, 2);
        break;
    case 3:
        p.every = rnd(w, 2) ? "3w" : "";
        break;
    default:
        p.name = rnd(w, 2) ? "Renamed Aa" : "Renamed Zz";
        break;
    }
    if (contact_edit(j, pick(w), &p, &e) != K_OK)
        fail_msg("contact_edit: %s", e.msg);
    contact_patch_clear(&p);
}

static void refer_one(struct world *w, struct journal *j)
{
    struct kerr e;
    char id[KID_LEN + 1];
    const char *by = pick(w);
    int on = tday(day(w));
    struct referral_input in = {by, NULL, "Acme", "intro", on, NULL, NULL};
    if (referral_add(j, &in, id, &e) != K_OK)
        fail_msg("referral_add: %s", e.msg);
    if (rnd(w, 3) == 0) {
        int later = on + (int)rnd(w, (unsigned)(tday("2026-11-22") - on + 1));
        struct thanks_input th = {by, later, NULL, id, NULL, NULL};
        char tid[KID_LEN + 1];
        if (thanks_add(j, &th, tid, &e) != K_OK)
            fail_msg("thanks_add: %s", e.msg);
    }
}

/* Marks one of the due reminders done or snoozed, as the Today view does. */
static void handle_one(struct world *w, struct journal *j)
{
    struct reminder_list l = {0};
    struct reminder_query q = {.limit = 20};
    struct kerr e;
    if (reminder_list(j, &q, &l, &e) != K_OK)
        fail_msg("reminder_list: %s", e.msg);
    if (l.n) {
        const struct reminder *r = &l.v[rnd(w, (unsigned)l.n)];
        int rc = rnd(w, 2) ? reminder_done_known(j, r, &e)
                           : reminder_snooze_known(j, r, 1 + (int)rnd(w, 3), &e);
        if (rc != K_OK)
            fail_msg("done/snooze: %s", e.msg);
    }
    reminder_list_clear(&l);
}

static void start_challenge(struct world *w, struct journal *j)
{
    struct kerr e;
    char id[KID_LEN + 1];
    if (challenge_start(j, tday("2026-11-22") - (int)rnd(w, 5), 7, id, &e) != K_OK)
        fail_msg("challenge_start: %s", e.msg);
}

static void tick_today(struct world *w, struct journal *j)
{
    struct kerr e;
    (void)w;
    /* Refused when no challenge runs or today is ticked: a write that
     * changes nothing. */
    (void)challenge_tick(j, tday("2026-11-22"), NULL, NULL, NULL, &e);
}

static void delete_one(struct world *w, struct journal *j)
{
    struct kerr e;
    if (w->n <= 4)
        return;
    size_t i = rnd(w, (unsigned)w->n);
    if (contact_delete(j, w->ids[i], &e) != K_OK)
        fail_msg("contact_delete: %s", e.msg);
    memcpy(w->ids[i], w->ids[--w->n], sizeof w->ids[i]);
}

/* One random write; a log is three times as likely as the others. */
static void write_one(struct world *w, struct journal *j)
{
    static void (*const writes[])(struct world *, struct journal *) = {
        add_contact, log_one,    log_one,         log_one,    edit_one,
        refer_one,   handle_one, start_challenge, tick_today, delete_one,
    };
    writes[rnd(w, sizeof writes / sizeof *writes)](w, j);
}

static int countdown;
static int key_after(void *ud)
{
    (void)ud;
    return countdown-- <= 0;
}

static int take(const struct reminder *r, void *ud)
{
    reminder_list_add(ud, r);
    return 0;
}

static int take_silent(const char *id, void *ud)
{
    struct kstrlist *l = ud;
    kstrlist_add(l, id);
    return 0;
}

static void same_lists(const struct reminder_list *a, const struct reminder_list *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->v[i].id, b->v[i].id);
        assert_string_equal(a->v[i].rule, b->v[i].rule);
        assert_string_equal(a->v[i].subject, b->v[i].subject);
        assert_string_equal(a->v[i].contact_id, b->v[i].contact_id);
        assert_string_equal(a->v[i].message ? a->v[i].message : "",
                            b->v[i].message ? b->v[i].message : "");
        assert_int_equal(a->v[i].fired_on, b->v[i].fired_on);
        assert_int_equal(a->v[i].due_on, b->v[i].due_on);
        assert_int_equal(a->v[i].overdue, b->v[i].overdue);
        assert_int_equal(a->v[i].done_on, b->v[i].done_on);
        assert_int_equal(a->v[i].snoozed_until, b->v[i].snoozed_until);
    }
}

/* The cache against an evaluation from scratch on the same journal. */
static void check_against_scratch(struct world *w, const struct tui_remind *r)
{
    struct journal *j = w->t.j;
    struct reminder_list keep = {0}, handled = {0};
    struct kstrlist silent = {0};
    struct reminder_query q = {.limit = TUI_REMIND_KEEP};
    size_t count = 0, all = 0;
    struct kerr e;
    assert_int_equal(reminder_evaluate(j, &e), K_OK);
    assert_int_equal(reminder_window_evaluated(j, &q, &count, take, &keep, &e), K_OK);
    assert_int_equal(reminder_handled_evaluated(j, TUI_REMIND_HANDLED, take, &handled, &e), K_OK);
    assert_int_equal(
        reminder_overdue_contacts_evaluated(j, CONFIG_ON_SILENCE, take_silent, &silent, &e), K_OK);
    assert_int_equal(reminder_count(j, &all, &e), K_OK);
    assert_int_equal(all, count);
    assert_false(tui_remind_is_stale(r));
    assert_int_equal(tui_remind_count(r), count);
    same_lists(tui_remind_list(r), &keep);
    same_lists(tui_remind_handled(r), &handled);
    for (size_t i = 0; i < w->n; i++) {
        int want = 0;
        for (size_t k = 0; k < silent.n; k++)
            want |= !strcmp(silent.v[k], w->ids[i]);
        assert_int_equal(tui_remind_overdue(r, w->ids[i]), want);
    }
    reminder_list_clear(&keep);
    reminder_list_clear(&handled);
    kstrlist_clear(&silent);
}

static void run_world(unsigned seed)
{
    struct world w;
    struct kerr e;
    memset(&w, 0, sizeof w);
    w.seed = seed;
    tj_open(&w.t);
    if (journal_open(w.t.path, w.t.cfg, 0, &w.other, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    for (int i = 0; i < 24; i++)
        add_contact(&w, w.t.j);
    for (int i = 0; i < 80; i++)
        log_one(&w, w.t.j);
    struct tui_remind *r = tui_remind_new();
    assert_int_equal(tui_remind_refresh(r, w.t.j, NULL, NULL, &e), K_OK);
    check_against_scratch(&w, r);
    size_t cuts = 0, restarts = 0;
    for (int round = 0; round < 40; round++) {
        write_one(&w, w.t.j);
        tui_remind_stale(r);
        /* Keys come at random points until the refresh ends; between
         * its steps, now and then, a write here (which marks the cache
         * stale, as the TUI's actions do) or by another process (which
         * only the journal's generation tells). */
        int rc;
        for (int tries = 0;; tries++) {
            countdown = (int)rnd(&w, 12);
            rc = tui_remind_refresh(r, w.t.j, key_after, NULL, &e);
            if (rc != K_INTERRUPTED)
                break;
            cuts++;
            assert_true(tui_remind_is_stale(r));
            if (tries > 400) {
                /* Keys stop: the refresh ends. */
                rc = tui_remind_refresh(r, w.t.j, NULL, NULL, &e);
                break;
            }
            unsigned what = rnd(&w, 8);
            if (what == 0) {
                write_one(&w, w.t.j);
                tui_remind_stale(r);
                restarts++;
            } else if (what == 1) {
                write_one(&w, w.other);
                restarts++;
            }
        }
        assert_int_equal(rc, K_OK);
        check_against_scratch(&w, r);
    }
    /* The test cut refreshes and restarted them, or it proved nothing. */
    assert_true(cuts > 40);
    assert_true(restarts > 5);
    tui_remind_free(&r);
    journal_close(&w.other);
    tj_close(&w.t);
}

static void test_steps_equal_scratch(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 6; seed++)
        run_world(seed);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_steps_equal_scratch),
};

TEST_MAIN(tests)
