/* The store's count of due reminders is the count the lists show: a rule
 * that gives the same reminder (rule, subject, day) twice counts it once,
 * as the window's total and the list do. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/dbreminder.h"
#include "kith/util/kdate.h"

#include <stdlib.h>
#include <string.h>

static int count_rows(const struct reminder *r, void *ud)
{
    (void)r;
    (*(size_t *)ud)++;
    return 0;
}

static int keep_first(const struct reminder *r, void *ud)
{
    struct reminder *k = ud;
    k->rule = strdup(r->rule);
    memcpy(k->subject, r->subject, sizeof k->subject);
    k->fired_on = r->fired_on;
    return 1;
}

static int stop(const struct reminder *r, void *ud)
{
    (void)r;
    (void)ud;
    return 1;
}

static void test_count_dedups(void **state)
{
    struct tjournal *t = *state;
    struct db *db = journal_db(t->j);
    struct kerr e;
    char id[KID_LEN + 1];
    static const char *const names[] = {"Ana", "Ben", "Cy"};
    for (size_t i = 0; i < 3; i++) {
        struct contact_patch p = tpatch(names[i]);
        p.met_on = "2020-01-01";
        tadd_patch(t->j, &p, id);
    }
    /* The same silence rule twice (the store takes rules as given; the
     * config refuses a rule id given twice, the store does not): every
     * contact's reminder comes out of the evaluation twice. */
    struct dbreminder_rule r;
    memset(&r, 0, sizeof r);
    r.id = "quiet";
    r.message = "Catch up with {contact}";
    r.on = KTRIGGER_SILENCE;
    r.priority = 1;
    r.days = 30;
    r.max_days = -1;
    r.after_days = r.days_before = -1;
    struct dbreminder_rule rules[2] = {r, r};
    int today = tday("2026-11-22");
    assert_int_equal(dbreminder_eval(db, rules, 2, today, &e), K_OK);

    size_t listed = 0, total = 0, n = 99;
    assert_int_equal(dbreminder_each(db, today, NULL, 0, 0, count_rows, &listed, &e), K_OK);
    assert_int_equal(dbreminder_window(db, today, NULL, 0, 1, &total, stop, NULL, &e), K_OK);
    assert_int_equal(dbreminder_count(db, today, &n, &e), K_OK);
    assert_int_equal(listed, 3);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);

    /* Done: one fewer (both its rows hidden), counted the same way. */
    struct reminder first;
    memset(&first, 0, sizeof first);
    assert_int_equal(dbreminder_each(db, today, NULL, 0, 1, keep_first, &first, &e), K_OK);
    assert_int_equal(dbreminder_set_done(db, &first, today, &e), K_OK);
    assert_int_equal(dbreminder_count(db, today, &n, &e), K_OK);
    assert_int_equal(n, 2);
    listed = 0;
    assert_int_equal(dbreminder_each(db, today, NULL, 0, 0, count_rows, &listed, &e), K_OK);
    assert_int_equal(listed, 2);
    free(first.rule);

    /* No evaluation rows at all: 0. */
    assert_int_equal(dbreminder_eval(db, rules, 0, today, &e), K_OK);
    assert_int_equal(dbreminder_count(db, today, &n, &e), K_OK);
    assert_int_equal(n, 0);
}

static const struct CMUnitTest tests[] = {
    TJ_TEST(test_count_dedups),
};

TEST_MAIN(tests)
