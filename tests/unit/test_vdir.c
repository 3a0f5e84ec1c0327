/* vdir folders: the three-way merge field by field, conflicts stored for
 * kith's sync to list, and what the export writes and leaves alone. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/util/kstr.h"
#include "kith/core/vdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct tjournal tj;
static char dir[400];

static int setup(void **state)
{
    (void)state;
    tj_open(&tj);
    snprintf(dir, sizeof dir, "%s/book", tj.dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tj_close(&tj);
    return 0;
}

static void add(const char *name, const char *company, const char *title, char id[KID_LEN + 1])
{
    struct contact_patch p = tpatch(name);
    p.company = company;
    p.title = title;
    tadd_patch(tj.j, &p, id);
}

static void edit_title(const char *id, const char *title)
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.title = title;
    assert_int_equal(contact_edit(tj.j, id, &p, &e), K_OK);
    contact_patch_clear(&p);
}

/* The path of the one file of the folder whose text holds what. */
static void file_with(const char *what, char *out, size_t n)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "grep -l '%s' %s/*.vcf", what, dir);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    assert_non_null(fgets(out, (int)n, f));
    out[strcspn(out, "\n")] = '\0';
    pclose(f);
}

/* Replaces the first line of the file that starts with from by to. */
static void change_line(const char *path, const char *from, const char *to)
{
    size_t n;
    char *s = tslurp(path, &n);
    assert_non_null(s);
    char *p = strstr(s, from);
    assert_non_null(p);
    char *end = strstr(p, "\r\n");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(s, 1, (size_t)(p - s), f);
    fputs(to, f);
    fputs(end, f);
    fclose(f);
    free(s);
}

/* A contact written to the folder: its id and the path of its file. */
struct exported {
    char id[KID_LEN + 1];
    char path[600];
};

/* Adds name (company and title may be NULL) to the journal and exports it,
 * alone, to the folder with o. */
static struct exported export_one(const char *name, const char *company, const char *title,
                                  const struct vdir_opts *o)
{
    struct exported x;
    struct vdir_stats st;
    struct kerr e;
    add(name, company, title, x.id);
    assert_int_equal(vdir_export(tj.j, dir, o, &st, &e), K_OK);
    assert_int_equal(st.written, 1);
    file_with(name, x.path, sizeof x.path);
    return x;
}

struct seen {
    int n;
    char field[64], kept[64], other[64];
};

static void on_conflict(const struct kconflict *c, void *ud)
{
    struct seen *s = ud;
    s->n++;
    snprintf(s->field, sizeof s->field, "%s", c->field);
    snprintf(s->kept, sizeof s->kept, "%s", c->kept ? c->kept : "");
    snprintf(s->other, sizeof s->other, "%s", c->other ? c->other : "");
}

static int count_conflicts(const struct kconflict *c, void *ud)
{
    int *n = ud;
    assert_string_equal(c->source, "vdir");
    assert_string_equal(c->entity, "contact");
    assert_non_null(c->at);
    assert_non_null(c->name);
    ++*n;
    return 0;
}

/* Each side's field is taken; the field both changed keeps kith's value,
 * is reported, and is stored where vdir_conflicts (and so a later
 * 'kith sync status') finds it. */
static void test_merge_field_by_field(void **state)
{
    (void)state;
    struct vdir_stats st;
    struct seen seen = {0};
    struct vdir_opts o = {VCARD_V30, NULL, on_conflict, &seen};
    struct kerr e;
    struct exported ana = export_one("Ana Ruiz", "Acme", "VP", &o);
    const char *id = ana.id, *path = ana.path;
    /* The file changes the company, kith the title: both are taken. */
    change_line(path, "ORG:", "ORG:Initech");
    edit_title(id, "CTO");
    assert_int_equal(vdir_import(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.conflicts, 0);
    struct contact c;
    assert_int_equal(contact_get(tj.j, id, &c, &e), K_OK);
    assert_string_equal(c.company, "Initech");
    assert_string_equal(c.title, "CTO");
    contact_clear(&c);
    assert_int_equal(vdir_export(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.written, 1);
    /* Both change the title. */
    change_line(path, "TITLE:", "TITLE:Founder");
    edit_title(id, "Chair");
    assert_int_equal(vdir_import(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.conflicts, 1);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.field, "title");
    assert_string_equal(seen.kept, "Chair");
    assert_string_equal(seen.other, "Founder");
    assert_int_equal(contact_get(tj.j, id, &c, &e), K_OK);
    assert_string_equal(c.title, "Chair");
    contact_clear(&c);
    int n = 0;
    assert_int_equal(vdir_conflicts(tj.j, 0, count_conflicts, &n, &e), K_OK);
    assert_int_equal(n, 1);
    /* The same file read again is no new conflict. */
    assert_int_equal(vdir_import(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.conflicts, 0);
    assert_int_equal(traw_int(tj.path, "SELECT count(*) FROM sync_conflict"), 1);
    /* The export gives the file kith's value. */
    assert_int_equal(vdir_export(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.written, 1);
    size_t len;
    char *text = tslurp(path, &len);
    assert_non_null(strstr(text, "TITLE:Chair\r\n"));
    free(text);
}

/* The export never writes over a file the folder changed, and a second
 * export of an unchanged journal writes nothing (the file keeps its
 * inode and mtime). */
static void test_export_leaves_changed_files(void **state)
{
    (void)state;
    struct vdir_opts o = {VCARD_V40, NULL, NULL, NULL};
    struct exported ben = export_one("Ben Okafor", "Globex", NULL, &o);
    const char *id = ben.id, *path = ben.path;
    struct vdir_stats st;
    struct kerr e;
    struct stat a, b;
    assert_int_equal(stat(path, &a), 0);
    assert_int_equal(vdir_export(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.written, 0);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(stat(path, &b), 0);
    assert_int_equal(a.st_ino, b.st_ino);
    assert_true(a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec);
    change_line(path, "ORG:", "ORG:Hooli");
    edit_title(id, "Partner");
    assert_int_equal(vdir_export(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.written, 0);
    assert_int_equal(st.held, 1);
    size_t len;
    char *text = tslurp(path, &len);
    assert_non_null(strstr(text, "ORG:Hooli"));
    assert_null(strstr(text, "Partner"));
    free(text);
    /* The journal's state is this journal's: not in the JSON export. */
    assert_int_equal(traw_int(tj.path, "SELECT count(*) FROM vdir_item"), 1);
}

/* A removed file archives its contact; it is not deleted. */
static void test_removed_file_archives(void **state)
{
    (void)state;
    struct vdir_opts o = {VCARD_V30, NULL, NULL, NULL};
    struct exported chen = export_one("Chen Wei", NULL, NULL, &o);
    const char *id = chen.id, *path = chen.path;
    struct vdir_stats st;
    struct kerr e;
    assert_int_equal(unlink(path), 0);
    assert_int_equal(vdir_import(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(st.archived, 1);
    struct contact c;
    assert_int_equal(contact_get(tj.j, id, &c, &e), K_OK);
    assert_int_equal(c.archived, 1);
    contact_clear(&c);
    assert_int_equal(vdir_export(tj.j, dir, &o, &st, &e), K_OK);
    assert_int_equal(access(path, F_OK), -1);
}

static void test_reminder_uid_is_stable(void **state)
{
    (void)state;
    struct reminder r;
    memset(&r, 0, sizeof r);
    r.rule = "thank-referrer";
    snprintf(r.subject, sizeof r.subject, "%s", "0123456789abcdef0123456789abcdef");
    r.fired_on = tday("2026-11-03");
    char a[VDIR_UID_MAX], b[VDIR_UID_MAX];
    vdir_reminder_uid(&r, a);
    r.due_on = tday("2026-11-20"); /* not part of its identity */
    vdir_reminder_uid(&r, b);
    assert_string_equal(a, b);
    assert_int_equal(strncmp(a, "reminder-", 9), 0);
    r.fired_on++;
    vdir_reminder_uid(&r, b);
    assert_string_not_equal(a, b);
}

/* A test run between setup and teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_merge_field_by_field),
    FX_TEST(test_export_leaves_changed_files),
    FX_TEST(test_removed_file_archives),
    cmocka_unit_test(test_reminder_uid_is_stable),
};

TEST_MAIN(tests)
