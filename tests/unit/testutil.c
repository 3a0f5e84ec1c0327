#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/dbcontact.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <sqlite3.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tj_open(struct tjournal *t)
{
    struct kerr e;
    setlocale(LC_CTYPE, "C.UTF-8");
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/kith-unit-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/kith.db", t->dir);
    t->cfg = config_defaults();
    setenv("KITH_TODAY", "2026-11-22", 1);
    int rc = journal_open(t->path, t->cfg, JOURNAL_CREATE, &t->j, &e);
    if (rc != K_OK)
        fail_msg("journal_open: %s", e.msg);
}

void tj_close(struct tjournal *t)
{
    journal_close(&t->j);
    config_free(&t->cfg);
    trm_rf(t->dir);
}

int tj_setup(void **state)
{
    struct tjournal *t = calloc(1, sizeof *t);
    assert_non_null(t);
    tj_open(t);
    *state = t;
    return 0;
}

int tj_teardown(void **state)
{
    struct tjournal *t = *state;
    tj_close(t);
    free(t);
    return 0;
}

int tutf8_setup(void **state)
{
    (void)state;
    return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

void tdir_make(struct tdir *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/kith-unit-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
}

int tdir_setup(void **state)
{
    *state = calloc(1, sizeof(struct tdir));
    assert_non_null(*state);
    tdir_make(*state);
    return 0;
}

int tdir_teardown(void **state)
{
    trm_rf(((struct tdir *)*state)->dir);
    free(*state);
    return 0;
}

char *tpath(const struct tdir *t, const char *name)
{
    struct sbuf b = {0};
    sbuf_printf(&b, "%s/%s", t->dir, name);
    return sbuf_take(&b);
}

void tassert_kerr(int rc, int want, const struct kerr *e, const char *part, const char *file,
                  int line)
{
    _assert_int_equal((uintmax_t)rc, (uintmax_t)want, file, line);
    if (part && !strstr(e->msg, part)) {
        print_error("message '%s' lacks '%s'\n", e->msg, part);
        _fail(file, line);
    }
}

void tassert_has(const char *text, ...)
{
    va_list ap;
    va_start(ap, text);
    for (const char *part; (part = va_arg(ap, const char *));) {
        if (!strstr(text, part))
            print_error("'%s' lacks '%s'\n", text, part);
        assert_non_null(strstr(text, part));
    }
    va_end(ap);
}

void tassert_joined(const void *list, size_t n, const char *(*at)(const void *list, size_t i),
                    const char *want, const char *what)
{
    struct sbuf b = {0};
    sbuf_add(&b, "");
    for (size_t i = 0; i < n; i++)
        sbuf_printf(&b, "%s%s", i ? "," : "", at(list, i));
    if (strcmp(b.s, want))
        fail_msg("%s: got '%s', want '%s'", what, b.s, want);
    sbuf_free(&b);
}

void tinsert_contact(struct db *db, const char *id, const char *name)
{
    struct contact c = {0};
    struct kerr e;
    snprintf(c.id, sizeof c.id, "%s", id);
    c.name = (char *)name;
    c.met_on = KDATE_NONE;
    if (dbcontact_insert(db, &c, &e) != K_OK)
        fail_msg("insert %s: %s", name, e.msg);
}

void tadd(struct journal *j, const char *name, char id[KID_LEN + 1])
{
    struct contact_patch p;
    struct kerr e;
    char tmp[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = name;
    if (contact_add(j, &p, id ? id : tmp, &e) != K_OK)
        fail_msg("contact_add %s: %s", name, e.msg);
}

struct contact_patch tpatch(const char *name)
{
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = name;
    return p;
}

void tadd_patch(struct journal *j, struct contact_patch *p, char id[KID_LEN + 1])
{
    struct kerr e;
    char tmp[KID_LEN + 1];
    kerr_clear(&e);
    int rc = contact_add(j, p, id ? id : tmp, &e);
    if (rc != K_OK)
        print_error("contact_add %s: %s\n", p->name ? p->name : "", e.msg);
    assert_int_equal(rc, K_OK);
    contact_patch_clear(p);
}

void tadd_each(struct journal *j, ...)
{
    va_list ap;
    va_start(ap, j);
    for (const char *name; (name = va_arg(ap, const char *));) {
        char *id = va_arg(ap, char *);
        struct contact_patch p;
        contact_patch_init(&p);
        p.name = name;
        tadd_patch(j, &p, id);
    }
    va_end(ap);
}

int tlogi_try(struct journal *j, const char *const *ids, size_t n, const char *kind, enum kdir dir,
              const char *date, const char *summary, char out[KID_LEN + 1], struct kerr *e)
{
    struct interaction_input in = {0};
    char tmp[KID_LEN + 1];
    in.contact_ids = ids;
    in.ncontacts = n;
    in.kind = kind;
    in.dir = dir;
    in.date = date ? tday(date) : KDATE_NONE;
    in.summary = summary;
    return interaction_log(j, &in, out ? out : tmp, e);
}

void tlogi(struct journal *j, const char *const *ids, size_t n, const char *kind, enum kdir dir,
           const char *date, const char *summary, char out[KID_LEN + 1])
{
    struct kerr e;
    if (tlogi_try(j, ids, n, kind, dir, date, summary, out, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

int tday(const char *s)
{
    int d = 0;
    struct kerr e;
    if (kdate_parse_iso(s, &d, &e) != K_OK)
        fail_msg("bad date in test: %s", s);
    return d;
}

void trm_rf(const char *dir)
{
    char cmd[600];
    if (!dir || strncmp(dir, "/tmp/kith-", 10))
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

void traw_exec(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sqlite: %s", msg);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

long long tsql_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        print_error("%s: %s\n", sql, sqlite3_errmsg(h));
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

long long traw_int(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    long long v = tsql_int(h, sql);
    sqlite3_close(h);
    return v;
}

char *tslurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct sbuf b = {0};
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_addn(&b, buf, k);
    fclose(f);
    *n = b.len;
    return sbuf_take(&b);
}

static sqlite3 *json_db;
static char json_buf[1 << 16];

/* Runs "SELECT expr" with json and path bound as ?1 and ?2; the first column
 * as text goes into json_buf, the return value is it as an integer. */
static long long json_query(const char *expr, const char *json, const char *path)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    long long v = 0;
    if (!json_db && sqlite3_open(":memory:", &json_db) != SQLITE_OK)
        fail_msg("cannot open an in-memory database");
    snprintf(sql, sizeof sql, "SELECT %s", expr);
    if (sqlite3_prepare_v2(json_db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(json_db));
    sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
    json_buf[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(json_buf, sizeof json_buf, "%s", t ? (const char *)t : "");
        v = sqlite3_column_int64(st, 0);
    } else if (rc != SQLITE_DONE) {
        fail_msg("%s on '%s': %s", sql, json, sqlite3_errmsg(json_db));
    }
    sqlite3_finalize(st);
    return v;
}

int tjson_valid(const char *json)
{
    return json && json_query("json_valid(?1)", json, NULL) == 1;
}

const char *tjson_type(const char *json, const char *path)
{
    if (!tjson_valid(json))
        fail_msg("not JSON: %s", json ? json : "(null)");
    json_query("coalesce(json_type(?1, ?2), '')", json, path);
    return json_buf;
}

const char *tjson_text(const char *json, const char *path)
{
    if (!tjson_valid(json))
        fail_msg("not JSON: %s", json ? json : "(null)");
    json_query("coalesce(json_extract(?1, ?2), '')", json, path);
    return json_buf;
}

long long tjson_int(const char *json, const char *path)
{
    if (!tjson_valid(json))
        fail_msg("not JSON: %s", json ? json : "(null)");
    return json_query("json_extract(?1, ?2)", json, path);
}

long long tjson_len(const char *json, const char *path)
{
    if (!tjson_valid(json))
        fail_msg("not JSON: %s", json ? json : "(null)");
    return json_query("json_array_length(?1, ?2)", json, path);
}

/* Each path and what get gives there, from ap up to a NULL path. */
static void tjson_each(const char *json, const char *(*get)(const char *, const char *), va_list ap)
{
    for (const char *path; (path = va_arg(ap, const char *));) {
        const char *want = va_arg(ap, const char *);
        const char *got = get(json, path);
        if (strcmp(got, want))
            print_error("%s: '%s', not '%s'\n", path, got, want);
        assert_string_equal(got, want);
    }
}

void tjson_texts(const char *json, ...)
{
    va_list ap;
    va_start(ap, json);
    tjson_each(json, tjson_text, ap);
    va_end(ap);
}

void tjson_types(const char *json, ...)
{
    va_list ap;
    va_start(ap, json);
    tjson_each(json, tjson_type, ap);
    va_end(ap);
}

int tjson_lines(const char *json, void *ud)
{
    struct sbuf *b = ud;
    if (b->len)
        sbuf_addc(b, '\n');
    sbuf_add(b, json);
    return 0;
}

static int tcards_card(struct card *k, void *ud, struct kerr *e)
{
    (void)e;
    struct tcards *t = ud;
    if (t->n >= TCARDS_MAX)
        fail_msg("more than %d cards", TCARDS_MAX);
    t->v[t->n++] = k->c;
    memset(&k->c, 0, sizeof k->c);
    k->c.met_on = KDATE_NONE;
    return K_OK;
}

static void tcards_problem_cb(enum card_level level, int line, const char *msg, const char *raw,
                              size_t rawn, void *ud)
{
    struct tcards *t = ud;
    if (t->np >= TCARDS_MAX)
        fail_msg("more than %d problems", TCARDS_MAX);
    t->p[t->np].level = level;
    t->p[t->np].line = line;
    snprintf(t->p[t->np].msg, sizeof t->p[t->np].msg, "%s", msg);
    t->p[t->np].raw = raw ? kstr_ndup(raw, rawn) : NULL;
    t->np++;
}

void tcards_init(struct tcards *t, const char *file)
{
    memset(t, 0, sizeof *t);
    t->o.file = file;
    t->o.card = tcards_card;
    t->o.problem = tcards_problem_cb;
    t->o.ud = t;
    t->o.order = CARD_MDY;
    t->o.this_year = 2026;
}

void tcards_clear(struct tcards *t)
{
    for (size_t i = 0; i < t->n; i++)
        contact_clear(&t->v[i]);
    for (size_t i = 0; i < t->np; i++)
        free(t->p[i].raw);
    t->n = t->np = t->empty = 0;
}

void tassert_labelled(const struct kstrlist *values, const struct kstrlist *labels, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, labels);
    for (const char *v; (v = va_arg(ap, const char *)); n++) {
        const char *label = va_arg(ap, const char *);
        if (n >= values->n)
            fail_msg("no value %zu: want '%s'", n, v);
        assert_string_equal(values->v[n], v);
        assert_string_equal(contact_label(labels, n), label);
    }
    va_end(ap);
    assert_int_equal(values->n, n);
}

void tcards_names(const struct tcards *t, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, t);
    for (const char *name; (name = va_arg(ap, const char *)); n++) {
        if (n >= t->n)
            fail_msg("no card %zu: want '%s'", n, name);
        assert_string_equal(t->v[n].name, name);
    }
    va_end(ap);
    assert_int_equal(t->n, n);
}

int tcards_setup(void **state)
{
    *state = calloc(1, sizeof(struct tcards));
    assert_non_null(*state);
    return 0;
}

int tcards_teardown(void **state)
{
    tcards_clear(*state);
    free(*state);
    return 0;
}

const char *tcards_problem(const struct tcards *t, enum card_level level, int line)
{
    for (size_t i = 0; i < t->np; i++)
        if (t->p[i].level == level && t->p[i].line == line)
            return t->p[i].msg;
    return NULL;
}

const struct contact *tcards_named(const struct tcards *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].name && !strcmp(t->v[i].name, name))
            return &t->v[i];
    return NULL;
}

char *tfixture(const char *rel, size_t *n)
{
    char path[1024];
    const char *src = getenv("KITH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", rel);
    char *buf = tslurp(path, n);
    if (!buf)
        fail_msg("cannot open fixture %s", path);
    return buf;
}

char *tcards_fixture(struct tcards *t, const char *dir, const char *name, size_t *n)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/%s", dir, name);
    tcards_init(t, name);
    return tfixture(rel, n);
}

const struct contact *tcards_must(const struct tcards *t, const char *name)
{
    const struct contact *c = tcards_named(t, name);
    if (!c)
        fail_msg("no card named %s", name);
    return c;
}

int tsbuf_write(const char *s, size_t n, void *ud)
{
    sbuf_addn(ud, s, n);
    return 0;
}
