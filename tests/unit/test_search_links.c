/* Searching contacts by their interactions' words through the links' index
 * (schema 14, interaction_contact_fts) finds exactly what the search
 * through interaction_fts and each hit's links found before it: the same
 * contacts in the same order, for the list, its windows, the count, a
 * contact's row number and the derived orders. The reference is that old
 * query, run by a second connection on the journal's rows. Tricky cases one
 * by one (prefixes, a word in the note of an interaction with several
 * contacts, deletes, merges, another program's edit, undo and redo, words
 * of one search in two interactions, contact keys outside what a rowid
 * packs), then random writes; after each, kith check finds the index exact.
 * Also: a write compiled after another connection changed the schema. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/dupes.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/core/journal.h"
#include "kith/core/sync.h"
#include "kith/store/db.h"
#include "kith/store/dbsearch.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The old query: contacts whose own text matches, or one of whose
 * interactions does (interaction_fts, then the interaction's links). */
static const char old_sql[] =
    "SELECT c.id FROM contact c WHERE (?2 OR c.archived = 0)"
    " AND (c.rowid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1)"
    "  OR c.key IN (SELECT ic.contact_key FROM interaction_fts f"
    "   JOIN interaction i ON i.rowid = f.rowid"
    "   JOIN interaction_contact ic ON ic.interaction_id = i.id"
    "   WHERE interaction_fts MATCH ?1))"
    " ORDER BY c.name_fold, c.id";

/* The ids the old query gives for words, as "id,id,...". */
static char *old_ids(const char *path, const char *words, int archived)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    struct sbuf b = {0};
    char *fts = dbsearch_fts_query(words);
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    assert_int_equal(sqlite3_prepare_v2(h, old_sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, archived);
    while (sqlite3_step(st) == SQLITE_ROW)
        sbuf_printf(&b, "%s%s", b.len ? "," : "", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    free(fts);
    return b.s ? sbuf_take(&b) : kstr_dup("");
}

/* The ids kith lists for words (offset and limit: a window), as above. */
static char *new_ids(struct journal *j, const char *words, int archived, enum contact_sort sort,
                     size_t offset, size_t limit)
{
    struct contact_query q = {0};
    struct contact_list l;
    struct kerr e;
    struct sbuf b = {0};
    q.search = words;
    q.include_archived = archived;
    q.sort = sort;
    q.offset = offset;
    q.limit = limit;
    q.skip_total = 1;
    if (contact_list(j, &q, &l, &e) != K_OK)
        fail_msg("contact_list: %s", e.msg);
    for (size_t i = 0; i < l.n; i++)
        sbuf_printf(&b, "%s%s", b.len ? "," : "", l.v[i].id);
    contact_list_clear(&l);
    return b.s ? sbuf_take(&b) : kstr_dup("");
}

static size_t count_ids(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

/* The index is what the interactions give (kith check's comparison). */
static void index_exact(struct journal *j, const char *after)
{
    struct dbsearch_report r;
    struct kerr e;
    if (dbsearch_check(journal_db(j), 0, &r, &e) != K_OK)
        fail_msg("after %s: dbsearch_check: %s", after, e.msg);
    if (r.off || r.extra || r.damaged)
        fail_msg("after %s: the index is off: %zu off, %zu extra, damaged %d of %zu links", after,
                 r.off, r.extra, r.damaged, r.links);
}

/* kith's search for words against the old query: the list (with and
 * without archived contacts), a window of it, its count, the row number
 * of its last contact, and the goodwill order (the same contacts). */
static void same(struct tjournal *t, const char *words, const char *after)
{
    struct kerr e;
    for (int archived = 0; archived < 2; archived++) {
        char *want = old_ids(t->path, words, archived);
        char *got = new_ids(t->j, words, archived, CONTACT_SORT_NAME, 0, 0);
        if (strcmp(want, got))
            fail_msg("after %s, '%s' (archived %d): kith lists [%s], the old query [%s]", after,
                     words, archived, got, want);
        size_t n = count_ids(want);
        struct contact_query q = {0};
        q.search = words;
        q.include_archived = archived;
        size_t counted = 0;
        assert_int_equal(contact_count(t->j, &q, &counted, &e), K_OK);
        if (counted != n)
            fail_msg("after %s, '%s': counted %zu, listed %zu", after, words, counted, n);
        if (n > 1) {
            /* The second half, as a window. */
            char *win = new_ids(t->j, words, archived, CONTACT_SORT_NAME, n / 2, n);
            const char *tail = want;
            for (size_t i = 0; i < n / 2; i++)
                tail = strchr(tail, ',') + 1;
            if (strcmp(win, tail))
                fail_msg("after %s, '%s': window [%s], want [%s]", after, words, win, tail);
            free(win);
            size_t pos = 0;
            const char *last = strrchr(want, ',') + 1;
            assert_int_equal(contact_position(t->j, &q, last, &pos, &e), K_OK);
            if (pos != n - 1)
                fail_msg("after %s, '%s': the last match at %zu of %zu", after, words, pos, n);
        }
        /* Another order: the same set. */
        char *gw = new_ids(t->j, words, archived, CONTACT_SORT_GOODWILL, 0, 0);
        if (count_ids(gw) != n)
            fail_msg("after %s, '%s': %zu in goodwill order, %zu by name", after, words,
                     count_ids(gw), n);
        free(gw);
        free(want);
        free(got);
    }
}

static void add(struct tjournal *t, const char *name, char id[KID_LEN + 1])
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.name = name;
    if (contact_add(t->j, &p, id, &e) != K_OK)
        fail_msg("contact_add %s: %s", name, e.msg);
    contact_patch_clear(&p);
}

static void logi(struct tjournal *t, const char **who, size_t n, const char *summary,
                 const char *note, char id[KID_LEN + 1])
{
    struct kerr e;
    struct interaction_input in = {who, n, "call", KDIR_MUTUAL, tday("2026-11-01"), summary, note};
    if (interaction_log(t->j, &in, id, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

/* Expects words to find exactly want (ids in name order, "" for none),
 * kith and the old query alike. */
static void finds(struct tjournal *t, const char *words, const char *want, const char *after)
{
    char *got = new_ids(t->j, words, 1, CONTACT_SORT_NAME, 0, 0);
    if (strcmp(got, want))
        fail_msg("after %s, '%s': found [%s], want [%s]", after, words, got, want);
    free(got);
    same(t, words, after);
    index_exact(t->j, after);
}

static void test_cases(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dee[KID_LEN + 1];
    char i1[KID_LEN + 1], i2[KID_LEN + 1], i3[KID_LEN + 1];
    char two[2 * KID_LEN + 2];
    history_record(t->j, "tui", HISTORY_RECORD);
    add(t, "Ana Alpha", ana);
    add(t, "Ben Beta", ben);
    add(t, "Cy Gamma", cy);
    add(t, "Dee Delta", dee);
    /* A word only in the note of an interaction with three contacts. */
    const char *abc[] = {ana, ben, cy};
    logi(t, abc, 3, "Lunch", "talked about her Careers page", i1);
    snprintf(two, sizeof two, "%s,%s", ana, ben);
    char three[3 * KID_LEN + 3];
    snprintf(three, sizeof three, "%s,%s,%s", ana, ben, cy);
    finds(t, "career", three, "a note with three contacts");
    /* Prefixes, case, diacritics, a word's middle (no match). */
    finds(t, "CAR", three, "a short prefix");
    finds(t, "careers", three, "the whole word");
    finds(t, "reers", "", "a word's middle");
    const char *d[] = {dee};
    logi(t, d, 1, "Café with Élodie", NULL, i2);
    finds(t, "cafe elodie", dee, "diacritics");
    /* Two words of one search in two interactions of one contact: no
     * match, as before; in one interaction: a match. */
    logi(t, d, 1, "rust meetup", NULL, i3);
    finds(t, "rust cafe", "", "words in two interactions");
    finds(t, "rust meet", dee, "words in one interaction");
    /* A punctuation word, a phrase as FTS5 reads it. */
    char i4[KID_LEN + 1];
    logi(t, d, 1, "e-mail about x-ray", NULL, i4);
    finds(t, "e-mail", dee, "a word with a hyphen");
    finds(t, "mail-e", "", "the hyphen's words the other way");
    /* Deleted: its words go. */
    assert_int_equal(interaction_delete(t->j, i4, &e), K_OK);
    finds(t, "e-mail", "", "an interaction deleted");
    /* Undo brings them back, redo takes them away again. */
    struct history_step s = {0};
    assert_int_equal(history_undo(t->j, "tui", &s, &e), K_OK);
    history_step_clear(&s);
    finds(t, "x-ray", dee, "the delete undone");
    assert_int_equal(history_redo(t->j, "tui", &s, &e), K_OK);
    history_step_clear(&s);
    finds(t, "x-ray", "", "the delete redone");
    /* Merged: Cy's interactions are Dee's now. */
    struct dupes_moved m;
    assert_int_equal(dupes_merge(t->j, dee, cy, 1, &m, &e), K_OK);
    char ab_d[3 * KID_LEN + 3];
    snprintf(ab_d, sizeof ab_d, "%s,%s,%s", ana, ben, dee);
    finds(t, "career", ab_d, "a merge");
    assert_int_equal(history_undo(t->j, "tui", &s, &e), K_OK);
    history_step_clear(&s);
    finds(t, "career", three, "the merge undone");
    /* Another program edits an interaction: the word goes, a new one
     * comes; moves a link to another contact; removes one. */
    char sql[400];
    snprintf(sql, sizeof sql,
             "UPDATE interaction SET note = 'nothing to see', summary = 'Quokka lunch'"
             " WHERE id = '%s'",
             i1);
    traw_exec(t->path, sql);
    finds(t, "career", "", "another program's edit");
    finds(t, "quokka", three, "the edit's new word");
    snprintf(
        sql, sizeof sql,
        "UPDATE interaction_contact SET contact_key = (SELECT key FROM contact WHERE id = '%s')"
        " WHERE interaction_id = '%s' AND contact_key = (SELECT key FROM contact"
        " WHERE id = '%s')",
        dee, i1, cy);
    traw_exec(t->path, sql);
    snprintf(sql, sizeof sql,
             "DELETE FROM interaction_contact WHERE interaction_id = '%s'"
             " AND contact_key = (SELECT key FROM contact WHERE id = '%s')",
             i1, ana);
    traw_exec(t->path, sql);
    char b_d[2 * KID_LEN + 2];
    snprintf(b_d, sizeof b_d, "%s,%s", ben, dee);
    finds(t, "quokka", b_d, "links moved and removed by another program");
    /* Archived contacts: only with include_archived. */
    struct contact_patch p;
    contact_patch_init(&p);
    p.archived = 1;
    assert_int_equal(contact_edit(t->j, ben, &p, &e), K_OK);
    contact_patch_clear(&p);
    char *live = new_ids(t->j, "quokka", 0, CONTACT_SORT_NAME, 0, 0);
    assert_string_equal(live, dee);
    free(live);
    same(t, "quokka", "an archived contact");
    /* A contact deleted: its links and their words go. */
    assert_int_equal(contact_delete(t->j, dee, &e), K_OK);
    finds(t, "quokka", ben, "a contact deleted");
}

/* A contact key that a rowid cannot carry (another program can write any
 * key): searches read interaction_fts and the links instead, and find it. */
static void test_key_out_of_range(void **state)
{
    struct tjournal *t = *state;
    char ana[KID_LEN + 1], i1[KID_LEN + 1];
    add(t, "Ana Alpha", ana);
    const char *a[] = {ana};
    logi(t, a, 1, "wombat", NULL, i1);
    assert_int_equal(dbsearch_links_usable(journal_db(t->j)), 1);
    traw_exec(t->path,
              "INSERT INTO contact(key, id, name, name_fold) VALUES (3000000000,"
              " 'ffffffffffffffffffffffffffffff01', 'Zed Far', 'zed far');"
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " SELECT id, 3000000000, date, kind, direction FROM interaction");
    assert_int_equal(dbsearch_links_usable(journal_db(t->j)), 0);
    char want[2 * KID_LEN + 2];
    snprintf(want, sizeof want, "%s,%s", ana, "ffffffffffffffffffffffffffffff01");
    finds(t, "wombat", want, "a key out of range");
    traw_exec(t->path, "DELETE FROM contact WHERE key = 3000000000");
    assert_int_equal(dbsearch_links_usable(journal_db(t->j)), 1);
    finds(t, "wombat", ana, "the key gone");
}

static unsigned long long rng = 42;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static const char *const words[] = {"career", "careers", "rust",  "pricing",
                                    "café",   "roadmap", "intro", "x-ray"};

/* Random writes (logs with random words in the summary or the note,
 * deletes, merges, contacts deleted and archived, undo and redo, other
 * programs' edits), and after each, the searches of every word and of a
 * few prefixes and pairs, against the old query. */
static void test_random(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ids[40][KID_LEN + 1];
    size_t n = 0;
    history_record(t->j, "tui", HISTORY_RECORD);
    for (int i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "Person %c%d", 'A' + (int)rnd(26), i);
        add(t, name, ids[n++]);
    }
    static const char *const searches[] = {"car",   "career",      "rust",       "cafe",   "road",
                                           "x-ray", "rust career", "pric intro", "careers"};
    int did[7] = {0};
    for (int step = 0; step < 120; step++) {
        unsigned op = rnd(12);
        char what[64], id[KID_LEN + 1];
        snprintf(what, sizeof what, "step %d (op %u)", step, op);
        if (op < 5) {
            const char *who[3];
            size_t k = 1 + rnd(3);
            for (size_t i = 0; i < k; i++)
                who[i] = ids[rnd((unsigned)n)];
            char summary[64], note[64];
            snprintf(summary, sizeof summary, "%s %s", words[rnd(8)], rnd(2) ? words[rnd(8)] : "");
            snprintf(note, sizeof note, "about %s", words[rnd(8)]);
            struct interaction_input in = {
                who, k, "call", KDIR_GAVE, tday("2026-10-01"), summary, rnd(2) ? note : NULL};
            did[0] += interaction_log(t->j, &in, id, &e) == K_OK;
        } else if (op == 5) {
            char *pick = NULL;
            sqlite3 *h = NULL;
            sqlite3_stmt *st = NULL;
            assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
            assert_int_equal(sqlite3_prepare_v2(h,
                                                "SELECT id FROM interaction ORDER BY id LIMIT 1"
                                                " OFFSET ?1 % max(1, (SELECT count(*)"
                                                " FROM interaction))",
                                                -1, &st, NULL),
                             SQLITE_OK);
            sqlite3_bind_int(st, 1, (int)rnd(1000));
            if (sqlite3_step(st) == SQLITE_ROW)
                pick = kstr_dup((const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
            sqlite3_close(h);
            if (pick)
                did[1] += interaction_delete(t->j, pick, &e) == K_OK;
            free(pick);
        } else if (op == 6 && n > 3) {
            struct dupes_moved m;
            unsigned a = rnd((unsigned)n), b = rnd((unsigned)n);
            if (a != b && dupes_merge(t->j, ids[a], ids[b], 1, &m, &e) == K_OK) {
                memmove(ids[b], ids[n - 1], KID_LEN + 1);
                n--;
                did[2]++;
            }
        } else if (op == 7) {
            struct history_step s = {0};
            did[3] += history_undo(t->j, "tui", &s, &e) == K_OK;
            history_step_clear(&s);
        } else if (op == 8) {
            /* Undo, the searches, redo (a redo needs the undo just before). */
            struct history_step s = {0};
            if (history_undo(t->j, "tui", &s, &e) == K_OK) {
                did[3]++;
                for (size_t k = 0; k < sizeof searches / sizeof *searches; k++)
                    same(t, searches[k], what);
                history_step_clear(&s);
                did[4] += history_redo(t->j, "tui", &s, &e) == K_OK;
            }
            history_step_clear(&s);
        } else if (op == 9) {
            char sql[300];
            snprintf(sql, sizeof sql,
                     "UPDATE interaction SET summary = '%s', note = NULL WHERE rowid IN"
                     " (SELECT rowid FROM interaction ORDER BY rowid LIMIT 1 OFFSET %u %%"
                     " max(1, (SELECT count(*) FROM interaction)))",
                     words[rnd(8)], rnd(1000));
            traw_exec(t->path, sql);
            did[5]++;
        } else if (op == 10) {
            struct contact_patch p;
            contact_patch_init(&p);
            p.archived = (int)rnd(2);
            did[6] += contact_edit(t->j, ids[rnd((unsigned)n)], &p, &e) == K_OK;
            contact_patch_clear(&p);
        } else {
            char name[32];
            snprintf(name, sizeof name, "Person %c%d", 'A' + (int)rnd(26), 100 + step);
            if (n < 40)
                add(t, name, ids[n++]);
        }
        /* The contacts kith has now (a merge or an undo changes them). */
        struct contact_query q = {0};
        struct contact_list l;
        q.include_archived = 1;
        assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
        n = 0;
        for (size_t i = 0; i < l.n && n < 40; i++)
            memcpy(ids[n++], l.v[i].id, KID_LEN + 1);
        contact_list_clear(&l);
        for (size_t k = 0; k < sizeof searches / sizeof *searches; k++)
            same(t, searches[k], what);
        index_exact(t->j, what);
    }
    for (int i = 0; i < 7; i++)
        if (!did[i])
            fail_msg("operation %d never wrote: the test proves less than it says", i);
}

/* Another connection changes the schema while kith has the journal open:
 * kith's next writes, each compiled for the first time on this connection
 * (their triggers write FTS5 tables), still work. SQLite 3.40 would
 * otherwise find the change in the middle of compiling them ("no such
 * table"). */
static void test_schema_changed_elsewhere(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], i1[KID_LEN + 1];
    add(t, "Ana Alpha", ana);
    add(t, "Ben Beta", ben);
    const char *both[] = {ana, ben};
    logi(t, both, 2, "before the change", NULL, i1);
    /* A connection that has read the schema and used no FTS5 table. */
    journal_close(&t->j);
    if (journal_open(t->path, t->cfg, 0, &t->j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    struct contact_query q = {0};
    size_t n;
    assert_int_equal(contact_count(t->j, &q, &n, &e), K_OK);
    traw_exec(t->path, "CREATE TABLE elsewhere(x)");
    if (contact_delete(t->j, ben, &e) != K_OK)
        fail_msg("contact_delete after a change of the schema: %s", e.msg);
    traw_exec(t->path, "DROP TABLE elsewhere");
    if (interaction_delete(t->j, i1, &e) != K_OK)
        fail_msg("interaction_delete after a change of the schema: %s", e.msg);
    index_exact(t->j, "writes after changes of the schema");
}

/* Syncs t from the folder dir (and sends its own changes). */
static void sync_from(struct tjournal *t, const char *dir)
{
    struct sync_report r;
    struct kerr e;
    if (sync_run(t->j, dir, 0, NULL, NULL, &r, &e) != K_OK)
        fail_msg("sync: %s", e.msg);
}

/* Changes another replica makes arrive through sync's own writes (rows
 * inserted, updated and deleted one by one): the receiving journal's
 * index follows, and its searches find what the old query finds. */
static void test_sync_applied(void **state)
{
    struct tjournal *a = *state, b;
    struct kerr e;
    char dir[400], ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1];
    char i1[KID_LEN + 1], i2[KID_LEN + 1];
    tj_open(&b);
    snprintf(dir, sizeof dir, "%s/shared", a->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    add(a, "Ana Alpha", ana);
    add(a, "Ben Beta", ben);
    add(a, "Cy Gamma", cy);
    const char *ab[] = {ana, ben}, *c[] = {cy};
    logi(a, ab, 2, "Careers fair", "met the wombat team", i1);
    logi(a, c, 1, "rust meetup", NULL, i2);
    sync_from(a, dir);
    sync_from(&b, dir);
    char both[2 * KID_LEN + 2];
    snprintf(both, sizeof both, "%s,%s", ana, ben);
    finds(&b, "wombat", both, "a sync that brings interactions");
    finds(&b, "rust", cy, "a sync that brings interactions");
    /* A merge and a delete on the first replica. */
    struct dupes_moved m;
    assert_int_equal(dupes_merge(a->j, cy, ben, 1, &m, &e), K_OK);
    assert_int_equal(interaction_delete(a->j, i2, &e), K_OK);
    sync_from(a, dir);
    sync_from(&b, dir);
    char ac[2 * KID_LEN + 2];
    snprintf(ac, sizeof ac, "%s,%s", ana, cy);
    finds(&b, "career", ac, "a sync that brings a merge");
    finds(&b, "rust", "", "a sync that brings a delete");
    tj_close(&b);
}

static const struct CMUnitTest tests[] = {
    /* clang-format off */
    TJ_TEST(test_cases),
    TJ_TEST(test_key_out_of_range),
    TJ_TEST(test_random),
    TJ_TEST(test_schema_changed_elsewhere),
    TJ_TEST(test_sync_applied),
    /* clang-format on */
};

TEST_MAIN(tests)
