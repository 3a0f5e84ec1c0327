/* db_stmt_built's statements, kept by the text of SQL built at run time. */
#include "testutil.h"

#include "../../src/store/db_internal.h"
#include "kith/core/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSQL 300

/* The same text, in another buffer each time, gives back the same
 * statement, reset with its bindings cleared; every text keeps its own as
 * the table grows; a statement in the middle of its rows survives others
 * being made; a text SQLite refuses is NULL with a message and nothing
 * kept. */
static void test_by_text(void **state)
{
    (void)state;
    struct tjournal t;
    tj_open(&t);
    struct db *db = journal_db(t.j);
    struct kerr e;
    sqlite3_stmt *first[NSQL];
    char buf[64];

    sqlite3_stmt *outer = db_stmt_built(db, "SELECT value FROM generate_series(1, 400)", NULL);
    if (!outer) /* generate_series is an extension; a recursive CTE is not */
        outer = db_stmt_built(db,
                              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                              " WHERE i < 400) SELECT i FROM n",
                              &e);
    assert_non_null(outer);
    for (int i = 0; i < NSQL; i++) {
        assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(outer, 0), i + 1);
        snprintf(buf, sizeof buf, "SELECT %d + ?1", i);
        char *copy = strdup(buf);
        first[i] = db_stmt_built(db, copy, &e);
        free(copy);
        assert_non_null(first[i]);
        sqlite3_bind_int(first[i], 1, 1000);
        assert_int_equal(sqlite3_step(first[i]), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(first[i], 0), i + 1000);
        /* Left in the middle: the next ask resets it. */
    }
    while (sqlite3_step(outer) == SQLITE_ROW)
        ;
    sqlite3_reset(outer);
    for (int i = 0; i < NSQL; i++) {
        snprintf(buf, sizeof buf, "SELECT %d + ?1", i);
        sqlite3_stmt *st = db_stmt_built(db, buf, &e);
        assert_ptr_equal(st, first[i]);
        /* Bindings cleared: NULL + NULL. */
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
        sqlite3_reset(st);
    }
    assert_int_equal(db->nbuilt, NSQL + 1);
    assert_true(2 * db->nbuilt <= db->abuilt);

    memset(&e, 0, sizeof e);
    assert_null(db_stmt_built(db, "SELECT FROM nowhere WHERE", &e));
    assert_true(e.msg[0] != 0);
    assert_null(strstr(e.msg, "syntax error")); /* SQLite's words stay inside */
    assert_null(db_stmt_built(db, "SELECT FROM nowhere WHERE", NULL));
    assert_int_equal(db->nbuilt, NSQL + 1);
    tj_close(&t);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_by_text),
};

TEST_MAIN(tests)
