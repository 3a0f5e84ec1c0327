/* The tie between a journal and its write-ahead log (kith/store/dbfile.h): the
 * state row, reading it out of a page, reading a log as SQLite's recovery
 * does, and the verdict on a log beside another file. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/dbfile.h"
#include "kith/util/kstr.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_state_roundtrip(void **state)
{
    (void)state;
    unsigned char a[DBFILE_STATE_LEN], b[DBFILE_STATE_LEN];
    struct dbfile_state sa, sb;
    dbfile_state_next(NULL, a);
    assert_int_equal(dbfile_state_decode(a, sizeof a, &sa), 1);
    assert_int_equal(sa.seq, 1);
    assert_int_equal(sa.prev, 0);
    assert_true(sa.nonce != 0);
    dbfile_state_next(&sa, b);
    assert_int_equal(dbfile_state_decode(b, sizeof b, &sb), 1);
    assert_int_equal(sb.seq, 2);
    assert_true(sb.prev == sa.nonce);
    assert_true(sb.nonce != sa.nonce);
    assert_memory_equal(sa.lineage, sb.lineage, 16);
    /* Two journals have different lineages. */
    dbfile_state_next(NULL, b);
    assert_int_equal(dbfile_state_decode(b, sizeof b, &sb), 1);
    assert_memory_not_equal(sa.lineage, sb.lineage, 16);
    assert_int_equal(dbfile_state_decode(a, sizeof a - 1, &sa), 0);
    a[1] ^= 1;
    assert_int_equal(dbfile_state_decode(a, sizeof a, &sa), 0);
    assert_int_equal(dbfile_state_decode(NULL, 0, &sa), 0);
}

/* The journal's kith_state row as SQL reads it. */
static struct dbfile_state row_state(const char *path)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    struct dbfile_state s;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT v FROM kith_state WHERE id = 1", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(
        dbfile_state_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &s),
        1);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return s;
}

static void test_commits_move_the_state(void **state)
{
    struct tjournal *t = *state;
    struct dbfile_state s1 = row_state(t->path);
    tadd(t->j, "Ana", NULL);
    struct dbfile_state s2 = row_state(t->path);
    assert_int_equal(s2.seq, s1.seq + 1);
    assert_true(s2.prev == s1.nonce);
    assert_memory_equal(s1.lineage, s2.lineage, 16);
    /* A transaction that changes nothing writes nothing. */
    struct kerr e;
    assert_int_equal(journal_begin(t->j, &e), K_OK);
    assert_int_equal(journal_commit(t->j, &e), K_OK);
    struct dbfile_state s3 = row_state(t->path);
    assert_true(s3.nonce == s2.nonce);
}

/* The log beside a journal while this process keeps it open, copied. */
static unsigned char *copy_log(const char *path, size_t *n)
{
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unsigned char *buf = (unsigned char *)tslurp(wal, n);
    assert_non_null(buf);
    return buf;
}

static void test_parse_log_and_page(void **state)
{
    struct tjournal *t = *state;
    /* A second connection keeps the log from being checkpointed away. */
    sqlite3 *keep;
    assert_int_equal(sqlite3_open(t->path, &keep), SQLITE_OK);
    sqlite3_exec(keep, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    tadd_each(t->j, "Ana", NULL, "Ben", NULL, "Cy", NULL, NULL);
    struct dbfile_state now = row_state(t->path);
    size_t n;
    unsigned char *log = copy_log(t->path, &n);
    struct dbfile_wal w;
    assert_int_equal(dbfile_wal_parse(log, n, &w), 1);
    assert_int_equal(w.page_size, 4096);
    assert_int_equal(w.commits, 3);
    assert_int_equal(w.nstates, 3);
    assert_true(w.states[2].st.nonce == now.nonce);
    assert_true(w.states[1].st.nonce == w.states[2].st.prev);
    /* The log belongs to the journal. */
    struct kerr e;
    assert_int_equal(dbfile_wal_check(t->path, &e), K_OK);

    /* Torn at the end: the last commit is not replayed. */
    struct dbfile_wal w2;
    assert_int_equal(dbfile_wal_parse(log, n - 100, &w2), 1);
    assert_int_equal(w2.commits, 2);
    assert_int_equal(w2.nstates, 2);
    dbfile_wal_free(&w2);
    /* A flipped bit in a frame ends the log there (its checksum fails). */
    log[32 + 24 + 100] ^= 0x10;
    assert_int_equal(dbfile_wal_parse(log, n, &w2), 0);
    assert_int_equal(w2.commits, 0);
    log[32 + 24 + 100] ^= 0x10;
    /* Not a log at all. */
    assert_int_equal(dbfile_wal_parse(log, 31, &w2), 0);
    log[0] ^= 1;
    assert_int_equal(dbfile_wal_parse(log, n, &w2), 0);
    log[0] ^= 1;

    /* The journal's own page, read from the file, after a checkpoint. */
    sqlite3_exec(keep, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
    size_t dn;
    unsigned char *db = (unsigned char *)tslurp(t->path, &dn);
    uint32_t pgno = w.states[2].pgno;
    struct dbfile_state page;
    assert_true((size_t)pgno * 4096 <= dn);
    assert_int_equal(dbfile_state_in_page(db + (size_t)(pgno - 1) * 4096, 4096, &page), 1);
    assert_true(page.nonce == now.nonce);
    /* Page 1 and other pages are not it. */
    assert_int_equal(dbfile_state_in_page(db, 4096, &page), 0);
    free(db);
    assert_int_equal(dbfile_wal_check(t->path, &e), K_OK);
    dbfile_wal_free(&w);
    free(log);
    sqlite3_close(keep);
}

static void put_file(const char *path, const unsigned char *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
}

static void test_log_of_another_file(void **state)
{
    (void)state;
    struct tjournal a, b;
    tj_open(&a);
    tj_open(&b);
    tadd(b.j, "Only In B", NULL);
    sqlite3 *keep;
    assert_int_equal(sqlite3_open(b.path, &keep), SQLITE_OK);
    sqlite3_exec(keep, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    tadd(b.j, "Bea", NULL);
    size_t n;
    unsigned char *log = copy_log(b.path, &n);
    sqlite3_close(keep);
    tj_close(&b);
    journal_close(&a.j);
    /* b's log beside a: refused, and neither file touched. */
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", a.path);
    put_file(wal, log, n);
    struct kerr e;
    assert_kerr(dbfile_wal_check(a.path, &e), K_ERR, &e, "does not belong to the journal");
    assert_non_null(strstr(e.msg, "mv "));
    struct journal *j = NULL;
    assert_int_equal(journal_open(a.path, a.cfg, 0, &j, &e), K_ERR);
    assert_null(j);
    size_t n2;
    char *again = tslurp(wal, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(again, log, n);
    free(again);
    free(log);
    tj_close(&a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_state_roundtrip),
    TJ_TEST(test_commits_move_the_state),
    TJ_TEST(test_parse_log_and_page),
    cmocka_unit_test(test_log_of_another_file),
};

TEST_MAIN(tests)
