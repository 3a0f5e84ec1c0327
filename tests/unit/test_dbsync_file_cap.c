/* dbsync_file_cap: the bytes of the newest files sent are kept up to a
 * total; older ones are forgotten (their repair is a snapshot). */
#include "testutil.h"

#include "kith/store/dbsync.h"

#include <stdio.h>
#include <string.h>

static void sent(struct journal *j, long long seq, int keep)
{
    char body[100];
    struct kerr e;
    memset(body, 'x', sizeof body);
    assert_int_equal(dbsync_sent(journal_db(j), seq, 0, body, sizeof body, keep, &e), K_OK);
}

static void expect_kept(struct journal *j, const char *want)
{
    long long *v;
    size_t n;
    struct kerr e;
    char got[128] = "";
    assert_int_equal(dbsync_file_list(journal_db(j), &v, &n, &e), K_OK);
    for (size_t i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? " " : "", v[i]);
    free(v);
    assert_string_equal(got, want);
}

/* Six files of 100 bytes, the third not kept (too large to keep): a cap
 * of 250 keeps the two newest; one of exactly their size keeps them too;
 * a cap above everything removes nothing; 0 forgets all. */
static void test_cap(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    for (long long s = 1; s <= 6; s++)
        sent(t->j, s, s != 3);
    expect_kept(t->j, "1 2 4 5 6");
    assert_int_equal(dbsync_file_cap(journal_db(t->j), 1000, &e), K_OK);
    expect_kept(t->j, "1 2 4 5 6");
    assert_int_equal(dbsync_file_cap(journal_db(t->j), 300, &e), K_OK);
    expect_kept(t->j, "4 5 6");
    assert_int_equal(dbsync_file_cap(journal_db(t->j), 250, &e), K_OK);
    expect_kept(t->j, "5 6");
    assert_int_equal(dbsync_file_cap(journal_db(t->j), 0, &e), K_OK);
    expect_kept(t->j, "");
}

static const struct CMUnitTest tests[] = {
    TJ_TEST(test_cap),
};

TEST_MAIN(tests)
