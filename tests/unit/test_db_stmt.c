/* db_stmt's cache of prepared statements, keyed by the SQL's address. */
#include "testutil.h"

#include "../../src/store/db_internal.h"
#include "kith/core/journal.h"

#include <stdio.h>
#include <string.h>

#define NSQL       400
#define OUTER_ROWS 500

static char sqls[NSQL][32];

static const char outer_sql[] = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                " WHERE i < 500) SELECT i FROM n";

/* A statement being stepped stays valid however many other statements
 * are prepared meanwhile: a loop over one query's rows calls store
 * functions that prepare their own (the cache once finalized its first
 * slot to make room, under such a loop). */
static void test_outer_survives(void **state)
{
    (void)state;
    struct tjournal t;
    tj_open(&t);
    struct db *db = journal_db(t.j);
    struct kerr e;
    for (int i = 0; i < NSQL; i++)
        snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i);

    /* Fill whatever the cache holds first. */
    for (int i = 0; i < NSQL / 2; i++) {
        sqlite3_stmt *st = db_stmt(db, sqls[i], &e);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sqlite3_reset(st);
    }
    sqlite3_stmt *outer = db_stmt(db, outer_sql, &e);
    assert_non_null(outer);
    int want = 1;
    for (int i = NSQL / 2; i < NSQL; i++) {
        assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(outer, 0), want++);
        /* Inside the outer loop: a new statement, and one cached before. */
        sqlite3_stmt *st = db_stmt(db, sqls[i], &e);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sqlite3_reset(st);
        st = db_stmt(db, sqls[i - NSQL / 2], &e);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i - NSQL / 2);
        sqlite3_reset(st);
    }
    while (sqlite3_step(outer) == SQLITE_ROW)
        assert_int_equal(sqlite3_column_int(outer, 0), want++);
    assert_int_equal(want, OUTER_ROWS + 1);
    sqlite3_reset(outer);

    /* Asked again, each SQL gives the statement it was given first. */
    assert_ptr_equal(db_stmt(db, outer_sql, &e), outer);
    sqlite3_stmt *first = db_stmt(db, sqls[0], &e);
    for (int i = 1; i < NSQL; i++)
        assert_ptr_not_equal(db_stmt(db, sqls[i], &e), first);
    assert_ptr_equal(db_stmt(db, sqls[0], &e), first);
    tj_close(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_outer_survives),
};

TEST_MAIN(tests)
