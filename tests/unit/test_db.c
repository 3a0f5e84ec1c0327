#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/reminder.h"
#include "kith/store/db.h"
#include "kith/store/dbcontact.h"
#include "kith/util/kstr.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Opening path must fail with K_ERR and leave the file exactly as it was,
 * with no side files left behind. */
static void expect_refused(const char *path, const char *msg_part)
{
    size_t n0 = 0, n1 = 0;
    char *before = tslurp(path, &n0);
    assert_non_null(before);
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_ERR);
    assert_null(db);
    if (!strstr(e.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", e.msg, msg_part);
    char *after = tslurp(path, &n1);
    assert_non_null(after);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
    static const char *const sides[] = {"-journal", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char side[600];
        snprintf(side, sizeof side, "%s%s", path, sides[i]);
        if (access(side, F_OK) == 0)
            fail_msg("%s was left behind", side);
    }
}

static size_t total(struct db *db)
{
    size_t n = 0;
    struct kerr e;
    assert_int_equal(dbcontact_total(db, &n, &e), K_OK);
    return n;
}

static void test_create_modes(void **state)
{
    struct tdir *t = *state;
    mode_t old = umask(0);
    char *path = tpath(t, "a/b/kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);
    assert_string_equal(db_path(db), path);
    assert_false(db_readonly(db));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    char *a = tpath(t, "a"), *ab = tpath(t, "a/b");
    assert_int_equal(stat(a, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(ab, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    /* The WAL file that SQLite adds is as private as the journal. */
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &st) == 0)
        assert_int_equal(st.st_mode & 0077, 0);
    db_close(&db);
    assert_null(db);
    db_close(&db);
    db_close(NULL);
    umask(old);

    assert_int_equal(traw_int(path, "PRAGMA application_id"), DB_APPLICATION_ID);
    assert_int_equal(traw_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'contact'"),
                     1);

    /* Opening again keeps the data and settings. */
    assert_int_equal(db_open(path, 0, &db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000001", "Ana");
    db_close(&db);
    assert_int_equal(db_open(path, 0, &db, &e), K_OK);
    assert_int_equal(total(db), 1);
    db_close(&db);
    assert_int_equal(traw_int(path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);

    free(a);
    free(ab);
    free(path);
}

static void test_missing_and_dirs(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "none/kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, 0, &db, &e), K_NOTFOUND);
    assert_null(db);
    assert_non_null(strstr(e.msg, path));
    assert_false(access(path, F_OK) == 0);
    char *dir = tpath(t, "none");
    assert_false(access(dir, F_OK) == 0);
    /* A directory is not a journal. */
    assert_int_equal(db_open(t->dir, DB_CREATE, &db, &e), K_ERR);
    assert_null(db);
    free(path);
    free(dir);
}

static void test_refuse_not_sqlite(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "notes.txt");
    struct sbuf b = {0};
    for (int i = 0; i < 500; i++)
        sbuf_printf(&b, "line %d of somebody's precious notes\n", i);
    write_file(path, b.s, b.len);
    expect_refused(path, "not an SQLite database");
    /* A tiny file, and binary garbage. */
    write_file(path, "hi\n", 3);
    expect_refused(path, "not a kith journal");
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 131 + 7);
    write_file(path, junk, sizeof junk);
    expect_refused(path, "not a kith journal");
    sbuf_free(&b);
    free(path);
}

static void test_refuse_other_sqlite(void **state)
{
    struct tdir *t = *state;
    /* Another application's database with tables. */
    char *path = tpath(t, "other.db");
    traw_exec(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                    "INSERT INTO notes(body) VALUES ('keep me'), ('and me');");
    expect_refused(path, "not a kith journal");
    assert_int_equal(traw_int(path, "SELECT count(*) FROM notes"), 2);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM sqlite_schema"), 1);

    /* One that only set its own application_id, and one in WAL mode. */
    char *p2 = tpath(t, "appid.db");
    traw_exec(p2, "PRAGMA application_id = 1234; PRAGMA user_version = 7;");
    expect_refused(p2, "not a kith journal");
    assert_int_equal(traw_int(p2, "PRAGMA application_id"), 1234);
    char *p3 = tpath(t, "wal.db");
    traw_exec(p3, "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    expect_refused(p3, "not a kith journal");
    assert_int_equal(traw_int(p3, "SELECT count(*) FROM t"), 1);
    free(path);
    free(p2);
    free(p3);
}

static void test_refuse_newer(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000001", "Ana");
    db_close(&db);
    traw_exec(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99;");
    expect_refused(path, "newer kith");
    assert_int_equal(traw_int(path, "PRAGMA user_version"), 99);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 1);
    /* Read-only opens refuse it too. */
    assert_kerr(db_open(path, DB_READONLY, &db, &e), K_ERR, &e, "99");
    free(path);
}

static void test_readonly(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000001", "Ana");
    db_close(&db);
    assert_int_equal(db_open(path, DB_READONLY, &db, &e), K_OK);
    assert_true(db_readonly(db));
    assert_int_equal(total(db), 1);
    assert_kerr(db_begin(db, &e), K_ERR, &e, "read-only");
    db_close(&db);
    free(path);
}

static void test_backup(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "kith.db"), *copy = tpath(t, "copy.db");
    struct db *db = NULL, *back = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000001", "Ana");
    tinsert_contact(db, "00000000000000000000000000000002", "Ben");
    assert_int_equal(db_commit(db, &e), K_OK);

    /* Another connection is in the middle of a write: the copy holds only
     * what was committed. */
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other,
                                  "BEGIN IMMEDIATE; INSERT INTO contact(id, name, name_fold)"
                                  " VALUES ('00000000000000000000000000000003', 'Cy', 'cy')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(db_backup(db, copy, 0, &e), K_OK);
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(other);

    assert_int_equal(db_open(copy, 0, &back, &e), K_OK);
    assert_int_equal(total(back), 2);
    db_close(&back);
    assert_int_equal(traw_int(copy, "PRAGMA application_id"), DB_APPLICATION_ID);

    /* No overwrite without force; the existing file is left alone. */
    size_t n0 = 0, n1 = 0;
    char *before = tslurp(copy, &n0);
    assert_kerr(db_backup(db, copy, 0, &e), K_EXISTS, &e, copy);
    char *after = tslurp(copy, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
    char *other_file = tpath(t, "precious.txt");
    write_file(other_file, "precious", 8);
    assert_int_equal(db_backup(db, other_file, 0, &e), K_EXISTS);
    after = tslurp(other_file, &n1);
    assert_int_equal(n1, 8);
    assert_memory_equal(after, "precious", 8);
    free(after);

    /* With force it is replaced by a current copy. */
    assert_int_equal(total(db), 3);
    assert_int_equal(db_backup(db, copy, 1, &e), K_OK);
    assert_int_equal(db_open(copy, 0, &back, &e), K_OK);
    assert_int_equal(total(back), 3);
    db_close(&back);
    struct stat st;
    assert_int_equal(stat(copy, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0);

    /* An unwritable destination is an error, not a crash. */
    assert_int_equal(db_backup(db, "/nonexistent-dir/x.db", 0, &e), K_ERR);

    db_close(&db);
    free(other_file);
    free(path);
    free(copy);
}

static void test_ids(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);

    /* Random identities: 32 lowercase hex digits, never repeated. */
    enum { N = 300 };
    char(*ids)[KID_LEN + 1] = calloc(N, sizeof *ids);
    for (int i = 0; i < N; i++) {
        db_new_id(ids[i]);
        assert_int_equal(strlen(ids[i]), KID_LEN);
        assert_int_equal(strspn(ids[i], "0123456789abcdef"), KID_LEN);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(ids[i], ids[k]);
    }
    assert_int_equal(db_begin(db, &e), K_OK);
    for (int i = 0; i < N; i++)
        tinsert_contact(db, ids[i], "someone");
    /* Three ids that share long prefixes. */
    tinsert_contact(db, "abcdef0123456789aaaaaaaaaaaaaaaa", "x1");
    tinsert_contact(db, "abcdef0123456789abaaaaaaaaaaaaaa", "x2");
    tinsert_contact(db, "abcdef01ffffffffffffffffffffffff", "x3");
    assert_int_equal(db_commit(db, &e), K_OK);

    for (int i = 0; i < N; i++) {
        char s[KID_LEN + 1];
        db_short_id(db, "contact", ids[i], s);
        assert_true(strlen(s) >= KID_SHORT);
        assert_memory_equal(s, ids[i], strlen(s));
        /* The prefix names this id and no other. */
        for (int k = 0; k < N; k++)
            if (k != i)
                assert_false(strncmp(ids[k], s, strlen(s)) == 0);
    }
    char s[KID_LEN + 1];
    db_short_id(db, "contact", "abcdef0123456789aaaaaaaaaaaaaaaa", s);
    assert_string_equal(s, "abcdef0123456789aa");
    db_short_id(db, "contact", "abcdef0123456789abaaaaaaaaaaaaaa", s);
    assert_string_equal(s, "abcdef0123456789ab");
    db_short_id(db, "contact", "abcdef01ffffffffffffffffffffffff", s);
    assert_string_equal(s, "abcdef01f");
    /* Other tables have their own id space. */
    db_short_id(db, "interaction", "abcdef0123456789aaaaaaaaaaaaaaaa", s);
    assert_string_equal(s, "abcdef01");
    free(ids);
    db_close(&db);
    free(path);
}

static int cmp_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Ids come in sorted batches, the first as large as db_ids_expect said
 * (most of an import into an empty journal), later ones doubling; all are
 * distinct ids. */
static void test_id_batches(void **state)
{
    (void)state;
    const size_t hints[] = {0, 10, 1000};
    for (size_t h = 0; h < sizeof hints / sizeof *hints; h++) {
        struct db_ids ids = {0};
        db_ids_expect(&ids, hints[h]);
        enum { N = 3000 };
        char(*got)[KID_LEN + 1] = calloc(N, sizeof *got);
        size_t first = hints[h] > 64 ? hints[h] : 64, ascending = 1;
        for (size_t i = 0; i < N; i++) {
            db_ids_next(&ids, got[i]);
            assert_int_equal(strspn(got[i], "0123456789abcdef"), KID_LEN);
            if (i && strcmp(got[i - 1], got[i]) < 0)
                ascending++;
            else if (i)
                break;
        }
        /* The first batch is one ascending run. */
        assert_true(ascending >= first);
        for (size_t i = ascending; i < N; i++)
            db_ids_next(&ids, got[i]);
        qsort(got, N, sizeof *got, cmp_ids);
        for (size_t i = 1; i < N; i++)
            assert_string_not_equal(got[i - 1], got[i]);
        free(got);
        db_ids_free(&ids);
    }
}

static int has(struct db *db, const char *name)
{
    char *fold = kstr_fold(name);
    struct kref *m = NULL;
    size_t n = 0;
    int more = 0;
    struct kerr e;
    assert_int_equal(dbcontact_find(db, name, 5, &m, &n, &more, &e), K_OK);
    int found = n == 1 && !strcmp(m[0].name, name);
    for (size_t i = 0; i < n; i++)
        free(m[i].name);
    free(m);
    free(fold);
    return found;
}

static void test_nested_transactions(void **state)
{
    struct tdir *t = *state;
    char *path = tpath(t, "kith.db");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(path, DB_CREATE, &db, &e), K_OK);

    /* Inner rollback keeps the outer work. */
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000a", "Outer");
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000b", "Inner");
    assert_true(has(db, "Inner"));
    db_rollback(db);
    assert_false(has(db, "Inner"));
    assert_true(has(db, "Outer"));
    /* Still inside the outer transaction: another connection sees nothing. */
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 0);
    assert_int_equal(db_commit(db, &e), K_OK);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 1);

    /* Inner commit, outer rollback: everything goes. */
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000c", "Second");
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000d", "Third");
    assert_int_equal(db_commit(db, &e), K_OK);
    assert_true(has(db, "Third"));
    db_rollback(db);
    assert_false(has(db, "Second"));
    assert_false(has(db, "Third"));
    assert_true(has(db, "Outer"));

    /* Three levels: the middle one rolled back takes the innermost along. */
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000e", "L1");
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "0000000000000000000000000000000f", "L2");
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000010", "L3");
    assert_int_equal(db_commit(db, &e), K_OK);
    db_rollback(db);
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000011", "L2b");
    assert_int_equal(db_commit(db, &e), K_OK);
    assert_int_equal(db_commit(db, &e), K_OK);
    assert_true(has(db, "L1"));
    assert_false(has(db, "L2"));
    assert_false(has(db, "L3"));
    assert_true(has(db, "L2b"));
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 3);

    /* Unbalanced calls are harmless or refused. */
    db_rollback(db);
    assert_int_equal(db_commit(db, &e), K_ERR);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 3);
    /* A new transaction works after all that. */
    assert_int_equal(db_begin(db, &e), K_OK);
    tinsert_contact(db, "00000000000000000000000000000012", "Last");
    assert_int_equal(db_commit(db, &e), K_OK);
    assert_int_equal(traw_int(path, "SELECT count(*) FROM contact"), 4);

    db_close(&db);
    free(path);
}

static void test_data_version(void **state)
{
    (void)state;
    struct tjournal a;
    tj_open(&a);
    struct journal *b = NULL;
    struct kerr e;
    assert_int_equal(journal_open(a.path, a.cfg, 0, &b, &e), K_OK);

    assert_false(journal_changed(a.j));
    assert_false(journal_changed(b));
    long long v0 = db_data_version(journal_db(a.j));

    /* Our own writes are not "changes from elsewhere". */
    struct contact_patch p;
    char id[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = "Ana";
    assert_int_equal(contact_add(a.j, &p, id, &e), K_OK);
    assert_false(journal_changed(a.j));

    /* Another connection's commit is. */
    assert_true(journal_changed(b));
    assert_false(journal_changed(b));
    p.name = "Ben";
    assert_int_equal(contact_add(b, &p, id, &e), K_OK);
    assert_true(db_data_version(journal_db(a.j)) != v0);
    assert_true(journal_changed(a.j));
    assert_false(journal_changed(a.j));

    /* A transaction rolled back elsewhere changes nothing. */
    assert_int_equal(journal_begin(b, &e), K_OK);
    p.name = "Cy";
    assert_int_equal(contact_add(b, &p, id, &e), K_OK);
    journal_rollback(b);
    assert_false(journal_changed(a.j));

    journal_close(&b);
    tj_close(&a);
}

static void test_generation(void **state)
{
    (void)state;
    struct tjournal a;
    tj_open(&a);
    struct journal *b = NULL;
    struct kerr e;
    struct contact_patch p;
    char id[KID_LEN + 1];
    struct contact c;
    assert_int_equal(journal_open(a.path, a.cfg, 0, &b, &e), K_OK);
    contact_patch_init(&p);

    long long g = journal_generation(a.j);
    assert_int_equal(journal_generation(a.j), g);

    /* A read moves nothing... */
    p.name = "Ana";
    assert_int_equal(contact_add(b, &p, id, &e), K_OK);
    g = journal_generation(a.j);
    assert_int_equal(contact_get(a.j, id, &c, &e), K_OK);
    contact_clear(&c);
    assert_int_equal(journal_generation(a.j), g);

    /* ...nor does evaluating the reminders (it writes temporary tables only). */
    size_t due;
    assert_int_equal(reminder_count(a.j, &due, &e), K_OK);
    assert_int_equal(journal_generation(a.j), g);

    /* Our own write moves it (journal_changed does not see it)... */
    p.name = "Ben";
    assert_int_equal(contact_add(a.j, &p, id, &e), K_OK);
    assert_true(journal_generation(a.j) != g);
    g = journal_generation(a.j);

    /* ...and so does another connection's, independently of
     * journal_changed having been asked first. */
    p.name = "Cy";
    assert_int_equal(contact_add(b, &p, id, &e), K_OK);
    assert_true(journal_changed(a.j));
    assert_true(journal_generation(a.j) != g);
    g = journal_generation(a.j);

    /* A transaction rolled back elsewhere leaves it. */
    assert_int_equal(journal_begin(b, &e), K_OK);
    p.name = "Dee";
    assert_int_equal(contact_add(b, &p, id, &e), K_OK);
    journal_rollback(b);
    assert_int_equal(journal_generation(a.j), g);

    journal_close(&b);
    tj_close(&a);
}

/* A constraint the journal enforces is said in words, never SQLite's. */
static void test_constraint_words(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct db *db = journal_db(t->j);
    struct contact c = {0};
    snprintf(c.id, sizeof c.id, "%s", "0123456789abcdef0123456789abcdef");
    c.name = "Ana";
    assert_int_equal(db_begin(db, &e), K_OK);
    assert_int_equal(dbcontact_insert(db, &c, &e), K_OK);
    assert_kerr(dbcontact_insert(db, &c, &e), K_ERR, &e,
                "not done: it would duplicate something already in the journal");
    assert_null(strstr(e.msg, "constraint"));
    assert_null(strstr(e.msg, "UNIQUE"));
    db_rollback(db);
}

/* The rows of sql's result, one line each, values as text (blobs in hex). */
static void dump_rows(sqlite3 *h, const char *sql, struct sbuf *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            sbuf_add(out, c ? " | " : "");
            if (sqlite3_column_type(st, c) == SQLITE_BLOB) {
                const unsigned char *b = sqlite3_column_blob(st, c);
                for (int i = 0; i < sqlite3_column_bytes(st, c); i++)
                    sbuf_printf(out, "%02x", b[i]);
            } else {
                const unsigned char *v = sqlite3_column_text(st, c);
                sbuf_add(out, v ? (const char *)v : "NULL");
            }
        }
        sbuf_addc(out, '\n');
    }
    sqlite3_finalize(st);
}

/* What a journal's schema made, as text: the version and settings, each
 * object's text (in name order: the order of sqlite_schema's rows is not
 * the same both ways) and every table's rows, kith_state's by count only
 * (each journal starts a lineage of its own). */
static char *describe(const char *path)
{
    sqlite3 *h = NULL;
    struct sbuf out = {0};
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    dump_rows(h,
              "SELECT 'version', user_version, application_id, page_size, auto_vacuum, encoding,"
              "  journal_mode"
              " FROM pragma_user_version, pragma_application_id, pragma_page_size,"
              "  pragma_auto_vacuum, pragma_encoding, pragma_journal_mode",
              &out);
    dump_rows(h, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", &out);
    dump_rows(h, "SELECT 'kith_state', count(*) FROM kith_state", &out);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT name FROM sqlite_schema"
                                        " WHERE type = 'table' AND name <> 'kith_state'"
                                        "  AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
                                        " ORDER BY name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT '%s', * FROM \"%s\"", sqlite3_column_text(st, 0),
                 sqlite3_column_text(st, 0));
        dump_rows(h, sql, &out);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out.s;
}

/* A new journal is made at the newest version in one script
 * (schema/latest.sql); it must be what v01.sql and every migration make
 * of an empty file, object for object and row for row. */
static void test_new_journal_is_migrated(void **state)
{
    struct tdir *t = *state;
    char *fresh = tpath(t, "fresh.kith"), *long_way = tpath(t, "long.kith");
    struct db *db = NULL;
    struct kerr e;
    assert_int_equal(db_open(fresh, DB_CREATE, &db, &e), K_OK);
    db_close(&db);
    assert_int_equal(db_open(long_way, DB_CREATE | DB_MIGRATE_FROM_V1, &db, &e), K_OK);
    db_close(&db);
    char *a = describe(fresh), *b = describe(long_way);
    assert_non_null(strstr(b, "contact_summary_goodwill"));
    char version[32];
    snprintf(version, sizeof version, "version | %d | ", DB_SCHEMA_VERSION);
    assert_memory_equal(b, version, strlen(version));
    if (strcmp(a, b)) {
        /* The first line that differs, to mend latest.sql by. */
        size_t i = 0, line = 0;
        while (a[i] == b[i])
            i++;
        while (i > 0 && a[i - 1] != '\n')
            i--;
        for (size_t k = 0; k < i; k++)
            line += a[k] == '\n';
        fail_msg("schema/latest.sql makes something else than the migrations, from line %zu:\n"
                 "one script: %.300s\nmigrations: %.300s",
                 line + 1, a + i, b + i);
    }
    free(a);
    free(b);
    free(fresh);
    free(long_way);
}

static const struct CMUnitTest tests[] = {
    TDIR_TEST(test_create_modes),
    TDIR_TEST(test_missing_and_dirs),
    TDIR_TEST(test_refuse_not_sqlite),
    TDIR_TEST(test_refuse_other_sqlite),
    TDIR_TEST(test_refuse_newer),
    TDIR_TEST(test_readonly),
    TDIR_TEST(test_backup),
    TDIR_TEST(test_ids),
    TDIR_TEST(test_nested_transactions),
    cmocka_unit_test(test_id_batches),
    cmocka_unit_test(test_data_version),
    cmocka_unit_test(test_generation),
    TJ_TEST(test_constraint_words),
    TDIR_TEST(test_new_journal_is_migrated),
};

TEST_MAIN(tests)
