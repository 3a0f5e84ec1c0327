#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/dbreminder.h"
#include "kith/core/interaction.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/tui/tui_remind.h"

#include <stdio.h>
#include <string.h>

static void test_ids(void **state)
{
    (void)state;
    char ids[5][KID_LEN + 1] = {"cc", "aa", "bb", "aa", "cc"};
    size_t n = tui_remind_ids_sort(ids, 5);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "aa");
    assert_string_equal(ids[1], "bb");
    assert_string_equal(ids[2], "cc");
    const char(*c)[KID_LEN + 1] = (const char(*)[KID_LEN + 1]) ids;
    assert_true(tui_remind_ids_has(c, n, "bb"));
    assert_false(tui_remind_ids_has(c, n, "b"));
    assert_false(tui_remind_ids_has(c, n, "dd"));
    assert_false(tui_remind_ids_has(c, 0, "aa"));
    assert_int_equal(tui_remind_ids_sort(ids, 0), 0);
}

static void test_snooze_days(void **state)
{
    (void)state;
    struct kerr e;
    int d = 0;
    assert_int_equal(tui_remind_snooze_days("", &d, &e), K_OK);
    assert_int_equal(d, 7);
    assert_int_equal(tui_remind_snooze_days(NULL, &d, &e), K_OK);
    assert_int_equal(d, 7);
    assert_int_equal(tui_remind_snooze_days("  ", &d, &e), K_OK);
    assert_int_equal(d, 7);
    assert_int_equal(tui_remind_snooze_days(" 14 ", &d, &e), K_OK);
    assert_int_equal(d, 14);
    assert_int_equal(tui_remind_snooze_days("3650", &d, &e), K_OK);
    assert_int_equal(d, 3650);
    const char *bad[] = {"0", "-1", "3651", "7d", "x", "+5", "1.5", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = 42;
        assert_int_equal(tui_remind_snooze_days(bad[i], &d, &e), K_USAGE);
        assert_int_equal(d, 42);
        assert_non_null(strstr(e.msg, "1 to 3650"));
    }
}

/* The cache evaluates once: a write shows only after tui_remind_stale. */
static void test_cache(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char rex[KID_LEN + 1], mia[KID_LEN + 1], ref[KID_LEN + 1], ix[KID_LEN + 1];
    tadd_each(t->j, "Rex", rex, NULL);
    struct contact_patch p = tpatch("Mia");
    p.met_on = "2020-01-01";
    kstrlist_add(&p.add_tags, "mentor");
    tadd_patch(t->j, &p, mia);
    /* Mia: a mentor silent for longer than the default rule's max_days. */
    const char *ids[] = {mia};
    struct interaction_input in = {ids, 1, "coffee", KDIR_MUTUAL, tday("2026-01-01"), NULL, NULL};
    assert_int_equal(interaction_log(t->j, &in, ix, &e), K_OK);

    struct tui_remind *r = tui_remind_new();
    assert_int_equal(tui_remind_refresh(r, t->j, NULL, NULL, &e), K_OK);
    size_t before = tui_remind_count(r);
    assert_true(tui_remind_overdue(r, mia));
    assert_false(tui_remind_overdue(r, rex));
    assert_false(tui_remind_overdue(r, NULL));
    assert_int_equal(tui_remind_list(r)->n, before);

    struct referral_input ri = {rex, NULL, "Acme", "intro", tday("2026-11-01"), NULL, NULL};
    assert_int_equal(referral_add(t->j, &ri, ref, &e), K_OK);
    /* Not stale: nothing is evaluated, the count stays. */
    assert_int_equal(tui_remind_refresh(r, t->j, NULL, NULL, &e), K_OK);
    assert_int_equal(tui_remind_count(r), before);
    tui_remind_stale(r);
    assert_int_equal(tui_remind_refresh(r, t->j, NULL, NULL, &e), K_OK);
    assert_int_equal(tui_remind_count(r), before + 1);
    int found = 0;
    for (size_t i = 0; i < tui_remind_list(r)->n; i++)
        found |= !strcmp(tui_remind_list(r)->v[i].contact_id, rex);
    assert_true(found);

    tui_remind_free(&r);
    assert_null(r);
    tui_remind_free(&r);
    tui_remind_free(NULL);
}

static int calls;
static int interrupt_after(void *ud)
{
    calls++;
    return calls > *(const int *)ud;
}

/* Many overdue reminders: the marks cover all of them, the list keeps the
 * first TUI_REMIND_KEEP; an interrupted evaluation leaves the cache as it
 * was (still stale) and the journal usable. */
static void many_and_interrupt(void)
{
    struct tjournal t;
    struct kerr e;
    enum { N = TUI_REMIND_KEEP + 100 };
    static char ids[N][KID_LEN + 1];
    tj_open(&t);
    assert_int_equal(journal_begin(t.j, &e), K_OK);
    for (int i = 0; i < N; i++) {
        struct contact_patch p;
        char name[32], ix[KID_LEN + 1];
        contact_patch_init(&p);
        snprintf(name, sizeof name, "Mentor %04d", i);
        p.name = name;
        kstrlist_add(&p.add_tags, "mentor");
        assert_int_equal(contact_add(t.j, &p, ids[i], &e), K_OK);
        contact_patch_clear(&p);
        const char *who[] = {ids[i]};
        struct interaction_input in = {who,  1,   "coffee", KDIR_MUTUAL, tday("2026-01-01"),
                                       NULL, NULL};
        assert_int_equal(interaction_log(t.j, &in, ix, &e), K_OK);
    }
    assert_int_equal(journal_commit(t.j, &e), K_OK);

    struct tui_remind *r = tui_remind_new();
    assert_false(tui_remind_known(r));
    assert_true(tui_remind_is_stale(r));
    /* Asked, and stopping at once: nothing known yet. */
    int never = 0;
    calls = 0;
    assert_int_equal(tui_remind_refresh(r, t.j, interrupt_after, &never, &e), K_INTERRUPTED);
    assert_true(calls > 0);
    assert_false(tui_remind_known(r));
    assert_true(tui_remind_is_stale(r));
    assert_int_equal(tui_remind_count(r), 0);

    int lots = 1 << 30;
    assert_int_equal(tui_remind_refresh(r, t.j, interrupt_after, &lots, &e), K_OK);
    assert_true(tui_remind_known(r));
    assert_false(tui_remind_is_stale(r));
    size_t n = tui_remind_count(r);
    assert_true(n >= N);
    assert_int_equal(tui_remind_list(r)->n, TUI_REMIND_KEEP);
    for (int i = 0; i < N; i++)
        assert_true(tui_remind_overdue(r, ids[i]));

    /* A write, then an evaluation stopped half way: the cache keeps the
     * last one, the journal takes the next write and evaluates whole. */
    struct contact_patch p;
    char late[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = "Late";
    assert_int_equal(contact_add(t.j, &p, late, &e), K_OK);
    tui_remind_stale(r);
    int few = 3;
    calls = 0;
    assert_int_equal(tui_remind_refresh(r, t.j, interrupt_after, &few, &e), K_INTERRUPTED);
    assert_int_equal(calls, few + 1);
    assert_true(tui_remind_is_stale(r));
    assert_int_equal(tui_remind_count(r), n);
    assert_true(tui_remind_overdue(r, ids[N - 1]));
    p.name = "Later";
    assert_int_equal(contact_add(t.j, &p, late, &e), K_OK);
    assert_int_equal(tui_remind_refresh(r, t.j, NULL, NULL, &e), K_OK);
    assert_int_equal(tui_remind_count(r), n);
    assert_false(tui_remind_is_stale(r));

    tui_remind_free(&r);
    tj_close(&t);
}

static void test_many_and_interrupt(void **state)
{
    (void)state;
    many_and_interrupt();
}

/* A refresh that fails keeps what was shown and says why, until one that
 * does not; a cache that never read an evaluation says why too. */
static void test_failure_said(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char rex[KID_LEN + 1];
    tadd(t->j, "Rex", rex);
    struct tui_remind *r = tui_remind_new();
    assert_int_equal(tui_remind_refresh(r, t->j, NULL, NULL, &e), K_OK);
    assert_null(tui_remind_error(r));
    assert_true(tui_remind_known(r));
    /* Another program breaks a table the rules read. */
    traw_exec(t->path, "DROP TABLE contact_summary");
    tui_remind_stale(r);
    assert_int_not_equal(tui_remind_refresh(r, t->j, NULL, NULL, &e), K_OK);
    assert_non_null(tui_remind_error(r));
    assert_true(tui_remind_known(r));
    assert_false(tui_remind_is_stale(r));
    struct tui_remind *fresh = tui_remind_new();
    assert_int_not_equal(tui_remind_refresh(fresh, t->j, NULL, NULL, &e), K_OK);
    assert_false(tui_remind_known(fresh));
    assert_non_null(tui_remind_error(fresh));
    tui_remind_free(&fresh);
    tui_remind_free(&r);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ids),
    cmocka_unit_test(test_snooze_days),
    TJ_TEST(test_cache),
    cmocka_unit_test(test_many_and_interrupt),
    TJ_TEST(test_failure_said),
};

TEST_MAIN(tests)
