#include "testutil.h"

#include "kith/util/kfile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kith-kfile-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    trm_rf(dir);
    return 0;
}

static const char *in(const char *name)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_content(const char *path, const char *text)
{
    size_t n;
    char *s = tslurp(path, &n);
    assert_non_null(s);
    assert_int_equal(n, strlen(text));
    assert_memory_equal(s, text, n);
    free(s);
}

/* Nothing but the names in want is in the directory (no temporary file). */
static void expect_entries(int want)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    assert_non_null(d);
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++, assert_null(strstr(de->d_name, ".tmp-"));
    closedir(d);
    assert_int_equal(n, want);
}

static int write_file(const char *path, unsigned flags, const char *journal, const char *text,
                      struct kerr *e)
{
    struct kfile_out o;
    int rc = kfile_out_open(&o, path, flags, journal, e);
    if (rc != K_OK)
        return rc;
    fputs(text, o.f);
    return kfile_out_commit(&o, e);
}

static void test_new_and_replace(void **state)
{
    (void)state;
    struct kerr e;
    struct stat st;
    assert_int_equal(write_file(in("a.txt"), 0, NULL, "one\n", &e), K_OK);
    expect_content(in("a.txt"), "one\n");
    assert_int_equal(stat(in("a.txt"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* Without KFILE_REPLACE an existing file is left alone. */
    assert_kerr(write_file(in("a.txt"), 0, NULL, "two\n", &e), K_EXISTS, &e, "use --force");
    expect_content(in("a.txt"), "one\n");
    /* Replaced, it keeps its permission bits. */
    chmod(in("a.txt"), 0640);
    assert_int_equal(write_file(in("a.txt"), KFILE_REPLACE, NULL, "two\n", &e), K_OK);
    expect_content(in("a.txt"), "two\n");
    assert_int_equal(stat(in("a.txt"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    expect_entries(1);
}

static void test_abort_keeps_target(void **state)
{
    (void)state;
    struct kerr e;
    struct kfile_out o;
    put(in("b.txt"), "old\n");
    assert_int_equal(kfile_out_open(&o, in("b.txt"), KFILE_REPLACE, NULL, &e), K_OK);
    assert_non_null(o.tmp);
    fputs("half of the new", o.f);
    fflush(o.f);
    /* Until the commit the target is as it was. */
    expect_content(in("b.txt"), "old\n");
    kfile_out_abort(&o);
    expect_content(in("b.txt"), "old\n");
    expect_entries(1);
    kfile_out_abort(&o); /* a cleared output: nothing to do */
}

static void test_journal_refused(void **state)
{
    (void)state;
    struct kerr e;
    char j[512];
    snprintf(j, sizeof j, "%s", in("kith.db"));
    put(j, "journal");
    put(in("kith.db-wal"), "log");
    assert_int_equal(symlink("kith.db", in("link.db")), 0);
    assert_int_equal(link(j, in("hard.db")), 0);
    assert_int_equal(symlink("kith.db-wal", in("wal-link")), 0);
    const char *targets[] = {j,
                             in("link.db"),
                             in("hard.db"),
                             in("kith.db-wal"),
                             in("wal-link"),
                             in("kith.db-shm"),
                             in("kith.db-journal"),
                             in("./kith.db")};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        assert_kerr(write_file(targets[i], KFILE_REPLACE, j, "overwritten", &e), K_ERR, &e,
                    "would destroy the journal");
        assert_int_equal(kfile_check_target(targets[i], KFILE_REPLACE, j, &e), K_ERR);
    }
    /* The journal named through a symlink of its own is the same journal. */
    assert_int_equal(write_file(j, KFILE_REPLACE, in("link.db"), "x", &e), K_ERR);
    expect_content(j, "journal");
    expect_content(in("kith.db-wal"), "log");
    assert_int_equal(access(in("kith.db-shm"), F_OK), -1);
    /* Another name in the same directory is fine. */
    assert_int_equal(write_file(in("kith.db.bak"), 0, j, "copy", &e), K_OK);
    expect_entries(6);
}

static void test_not_regular(void **state)
{
    (void)state;
    struct kerr e;
    assert_int_equal(mkdir(in("sub"), 0700), 0);
    assert_int_equal(mkfifo(in("fifo"), 0600), 0);
    const char *targets[] = {in("sub"), in("fifo"), "/dev/null", in("sub/")};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        assert_kerr(write_file(targets[i], KFILE_REPLACE, NULL, "x", &e), K_ERR, &e,
                    "not a file kith may replace");
    }
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_kerr(write_file(in("missing/x"), 0, NULL, "x", &e), K_ERR, &e,
                "No such file or directory");
    assert_int_equal(write_file("", 0, NULL, "x", &e), K_USAGE);
}

static void test_symlink_target(void **state)
{
    (void)state;
    struct kerr e;
    struct stat st;
    assert_int_equal(mkdir(in("real"), 0700), 0);
    put(in("real/c.txt"), "old");
    assert_int_equal(symlink("real/c.txt", in("c-link")), 0);
    assert_int_equal(write_file(in("c-link"), KFILE_REPLACE, NULL, "new", &e), K_OK);
    /* Written where the link points; the link stays a link. */
    expect_content(in("real/c.txt"), "new");
    assert_int_equal(lstat(in("c-link"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    /* A link to a file that does not exist yet creates that file. */
    assert_int_equal(symlink("real/d.txt", in("d-link")), 0);
    assert_int_equal(write_file(in("d-link"), 0, NULL, "made", &e), K_OK);
    expect_content(in("real/d.txt"), "made");
}

static void test_stdout(void **state)
{
    (void)state;
    struct kerr e;
    struct kfile_out o;
    assert_int_equal(kfile_out_open(&o, "-", KFILE_DASH_STDOUT, NULL, &e), K_OK);
    assert_ptr_equal(o.f, stdout);
    assert_null(o.tmp);
    assert_int_equal(kfile_out_commit(&o, &e), K_OK);
    /* Without the flag "-" is a file name like any other. */
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(write_file("-", 0, NULL, "dash", &e), K_OK);
    expect_content(in("-"), "dash");
    assert_int_equal(chdir("/"), 0);
}

static void test_read(void **state)
{
    (void)state;
    struct kerr e;
    char *buf;
    size_t n;
    put(in("r.txt"), "hello");
    assert_int_equal(kfile_read(in("r.txt"), 100, 0, &buf, &n, &e), K_OK);
    assert_int_equal(n, 5);
    assert_string_equal(buf, "hello");
    free(buf);
    assert_kerr(kfile_read(in("r.txt"), 4, 0, &buf, &n, &e), K_USAGE, &e, "is larger than");
    assert_null(buf);
    assert_int_equal(kfile_read(in("none"), 100, 0, &buf, &n, &e), K_NOTFOUND);
    /* Devices, directories and (for settings) named pipes are refused at
     * once: a pipe nobody writes to must not block. */
    assert_kerr(kfile_read("/dev/zero", 100, 0, &buf, &n, &e), K_USAGE, &e, "is a device");
    assert_int_equal(kfile_read(dir, 100, 0, &buf, &n, &e), K_USAGE);
    assert_int_equal(mkfifo(in("pipe"), 0600), 0);
    assert_kerr(kfile_read(in("pipe"), 100, KFILE_REGULAR, &buf, &n, &e), K_USAGE, &e,
                "is a named pipe");
}

/* A test run between setup and teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_new_and_replace),
    FX_TEST(test_abort_keeps_target),
    FX_TEST(test_journal_refused),
    FX_TEST(test_not_regular),
    FX_TEST(test_symlink_target),
    FX_TEST(test_stdout),
    FX_TEST(test_read),
};

TEST_MAIN(tests)
