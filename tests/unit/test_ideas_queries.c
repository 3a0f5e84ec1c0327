/* The Give view's unanswered asks and a tag's silent contacts walk the
 * summary's index by last interaction; they find exactly what the queries
 * before them found (from the interactions in the window, from every live
 * contact): the same rows in the same order, on random journals with
 * archived contacts, contacts never talked to (met on a day, or not), own
 * cadences, interactions with two contacts and several on one day. The
 * reference is the old query, run by a second connection. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/store/dbideas.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHO  "c.id, c.name, last, coalesce(last, c.met_on, substr(c.created_at, 1, 10))"
#define LAST "(SELECT s.last FROM contact_summary s WHERE s.contact_key = c.key)"

/* The old queries; the asks' one with the contact's id added to its order,
 * for an interaction with two contacts (it left their order to SQLite). */
static const char old_asks[] = "SELECT " WHO ", i.id, i.date FROM ("
                               " SELECT c.*, " LAST " AS last, i.id AS iid, i.date AS idate"
                               " FROM interaction i"
                               " CROSS JOIN interaction_contact ic ON ic.interaction_id = i.id"
                               " CROSS JOIN contact c ON c.key = ic.contact_key"
                               " WHERE i.date BETWEEN ?1 AND ?2 AND i.direction = 'asked'"
                               "   AND instr(?3, ',' || i.kind || ',') > 0 AND c.archived = 0) AS c"
                               " CROSS JOIN interaction i ON i.id = c.iid"
                               " WHERE c.last = c.idate ORDER BY i.date, i.id, c.id LIMIT ?4";
static const char old_tag[] =
    "SELECT " WHO " FROM ("
    " SELECT c.*, " LAST " AS last FROM contact_tag t JOIN contact c ON c.id = t.contact_id"
    " WHERE t.tag = ?1 AND c.archived = 0 AND c.cadence_days IS NULL) AS c"
    " WHERE julianday(?2) - julianday(coalesce(last, c.met_on, substr(c.created_at, 1, 10))) >= ?3"
    " ORDER BY coalesce(last, c.met_on, substr(c.created_at, 1, 10)), c.name_fold, c.id LIMIT ?4";

static unsigned seed;
static unsigned rnd(unsigned n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static const char *date_of(int d, char buf[KDATE_BUF])
{
    return kdate_format(d, buf);
}

/* The old query's rows as "id last since [interaction date]|...". */
static char *old_rows(const char *path, const char *sql, int asks, const char *a, const char *b,
                      const char *c, long long limit)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    struct sbuf out = {0};
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    if (asks)
        sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 3, atoi(c));
    sqlite3_bind_int64(st, 4, limit);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *last = (const char *)sqlite3_column_text(st, 2);
        sbuf_printf(&out, "%s %s %s", (const char *)sqlite3_column_text(st, 0), last ? last : "-",
                    (const char *)sqlite3_column_text(st, 3));
        if (asks)
            sbuf_printf(&out, " %s %s", (const char *)sqlite3_column_text(st, 4),
                        (const char *)sqlite3_column_text(st, 5));
        sbuf_add(&out, "|");
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out.s ? sbuf_take(&out) : kstr_dup("");
}

static void put_who(struct sbuf *b, const struct dbideas_who *w)
{
    char l[KDATE_BUF], s[KDATE_BUF];
    sbuf_printf(b, "%s %s %s", w->id, w->last == KDATE_NONE ? "-" : date_of(w->last, l),
                date_of(w->since, s));
}

static int on_ask(const struct dbideas_ask *a, void *ud)
{
    char d[KDATE_BUF];
    put_who(ud, &a->who);
    sbuf_printf(ud, " %s %s|", a->interaction, date_of(a->date, d));
    return 0;
}

static int on_silent(const struct dbideas_who *w, int days, void *ud)
{
    (void)days;
    put_who(ud, w);
    sbuf_add(ud, "|");
    return 0;
}

static void build(struct tjournal *t, char (*ids)[KID_LEN + 1], size_t n)
{
    int today = tday("2026-11-22");
    static const char *const kinds[] = {"advice", "favor", "call", "coffee"};
    static const enum kdir dirs[] = {KDIR_ASKED, KDIR_ASKED, KDIR_GAVE, KDIR_MUTUAL};
    char met[KDATE_BUF];
    for (size_t i = 0; i < n; i++) {
        char name[32];
        struct contact_patch p;
        contact_patch_init(&p);
        snprintf(name, sizeof name, "Person %02u", rnd(40)); /* names alike: ties */
        p.name = name;
        if (rnd(3) == 0)
            p.met_on = date_of(today - (int)rnd(900), met);
        if (rnd(2))
            kstrlist_add(&p.add_tags, "mentor");
        if (rnd(6) == 0)
            p.every = "3w";
        tadd_patch(t->j, &p, ids[i]);
    }
    for (int k = 0; k < 500; k++) {
        const char *who[2] = {ids[rnd((unsigned)n)], ids[rnd((unsigned)n)]};
        size_t nwho = strcmp(who[0], who[1]) && rnd(4) == 0 ? 2 : 1;
        char d[KDATE_BUF];
        unsigned x = rnd(4);
        /* Days bunched together: several interactions on one day. */
        date_of(today - (int)rnd(120) * 5, d);
        tlogi(t->j, who, nwho, kinds[x], dirs[rnd(4)], d, "x", NULL);
    }
    /* Some contacts are never talked to; some are archived. */
    for (size_t i = 0; i < n; i += 7) {
        struct contact_patch p;
        struct kerr e;
        contact_patch_init(&p);
        p.archived = 1;
        assert_int_equal(contact_edit(t->j, ids[i], &p, &e), K_OK);
        contact_patch_clear(&p);
    }
}

static void test_same_as_before(void **state)
{
    struct tjournal *t = *state;
    enum { N = 90 };
    char ids[N][KID_LEN + 1];
    struct kerr e;
    seed = 7;
    build(t, ids, N);
    /* More contacts after, never talked to: met on a day, or not, some
     * with a cadence of their own. */
    int today = tday("2026-11-22");
    char more[12][KID_LEN + 1];
    for (int i = 0; i < 12; i++) {
        struct contact_patch p = tpatch("Later");
        char met[KDATE_BUF];
        kstrlist_add(&p.add_tags, "mentor");
        if (i % 3 == 0)
            p.every = "3w";
        if (i % 4 == 1)
            p.met_on = date_of(today - 30 * i, met);
        tadd_patch(t->j, &p, more[i]);
    }
    struct db *db = journal_db(t->j);
    size_t compared = 0, rows = 0;
    static const size_t limits[] = {1, 5, 30, 0};
    for (size_t li = 0; li < 4; li++) {
        long long lim = limits[li] ? (long long)limits[li] : -1;
        static const int windows[][2] = {{365, 14}, {60, 0}, {700, 100}, {3, 1}};
        for (int w = 0; w < 4; w++) {
            char from[KDATE_BUF], to[KDATE_BUF];
            int f = today - windows[w][0], u = today - windows[w][1];
            struct sbuf got = {0};
            assert_int_equal(
                dbideas_asks_unanswered(db, ",advice,favor,", f, u, limits[li], on_ask, &got, &e),
                K_OK);
            char *want = old_rows(t->path, old_asks, 1, date_of(f, from), date_of(u, to),
                                  ",advice,favor,", lim);
            assert_string_equal(got.s ? got.s : "", want);
            rows += strlen(want) > 0;
            compared++;
            free(want);
            sbuf_free(&got);
        }
        static const int days[] = {0, 10, 45, 200, 5000};
        for (int d = 0; d < 5; d++) {
            char tb[KDATE_BUF], db_[16];
            struct sbuf got = {0};
            assert_int_equal(
                dbideas_tag_silent(db, "mentor", days[d], today, limits[li], on_silent, &got, &e),
                K_OK);
            snprintf(db_, sizeof db_, "%d", days[d]);
            char *want = old_rows(t->path, old_tag, 0, "mentor", date_of(today, tb), db_, lim);
            assert_string_equal(got.s ? got.s : "", want);
            rows += strlen(want) > 0;
            compared++;
            free(want);
            sbuf_free(&got);
        }
    }
    /* It compared something. */
    assert_true(rows > 25);
    assert_int_equal(compared, 36);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TJ_TEST(test_same_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
