/* dbsync_keys_put: local keys to ids, as a hash table. */
#include "testutil.h"

#include "../../src/store/dbsync_internal.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 5000

static const char *get(const struct keys *k, int table, sqlite3_int64 key)
{
    for (size_t i = 0; i < k->cap; i++)
        if (k->v[i].id && k->v[i].table == table && k->v[i].key == key)
            return k->v[i].id;
    return NULL;
}

/* Every key of two tables keeps its own id through the table's growth; a
 * second id for a key already there is dropped (the first stays); at most
 * half of the slots are used; zeroed is empty, and freed is zeroed. */
static void test_put(void **state)
{
    (void)state;
    struct keys k = {0};
    char id[32];
    for (int i = 0; i < N; i++)
        for (int t = 0; t < 2; t++) {
            snprintf(id, sizeof id, "%d-%d", t, i);
            dbsync_keys_put(&k, t, (sqlite3_int64)i * 7919, kstr_dup(id));
        }
    assert_int_equal(k.n, 2 * N);
    assert_true(2 * k.n <= k.cap);
    assert_int_equal(k.cap & (k.cap - 1), 0);
    assert_string_equal(dbsync_keys_put(&k, 1, 7919 * 5, kstr_dup("later")), "1-5");
    assert_int_equal(k.n, 2 * N);
    for (int i = 0; i < N; i += 97)
        for (int t = 0; t < 2; t++) {
            snprintf(id, sizeof id, "%d-%d", t, i);
            assert_string_equal(get(&k, t, (sqlite3_int64)i * 7919), id);
        }
    /* Every key through the hash: a second put gives back the first id. */
    for (int i = 0; i < N; i++)
        for (int t = 0; t < 2; t++) {
            snprintf(id, sizeof id, "%d-%d", t, i);
            assert_string_equal(
                dbsync_keys_put(&k, t, (sqlite3_int64)i * 7919, kstr_dup("again")), id);
        }
    assert_int_equal(k.n, 2 * N);
    assert_null(get(&k, 2, 0));
    assert_null(get(&k, 0, 1));
    dbsync_keys_free(&k);
    assert_null(k.v);
    assert_int_equal(k.n, 0);
    assert_int_equal(k.cap, 0);
    dbsync_keys_free(&k);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_put),
};

TEST_MAIN(tests)
