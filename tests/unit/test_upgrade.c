/* Opening a journal written by an older kith: the upgrade to the current
 * schema keeps every row and every link, leaves a backup of the old file,
 * and refuses (changing nothing) a journal it cannot upgrade faithfully. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbsearch.h"
#include "kith/store/dbsummary.h"
#include "kith/core/interaction.h"
#include "kith/core/goodwill.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"
#include "kith/core/timeline.h"
#include "kith/core/history.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ANA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
#define BEN "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"
#define EVE "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee5"

struct old {
    char dir[256];
    char path[300];
    struct config *cfg;
};

/* A version 1 journal from tests/fixtures/journal/v1.sql, then extra. */
static void old_make(struct old *o, const char *extra)
{
    memset(o, 0, sizeof *o);
    snprintf(o->dir, sizeof o->dir, "/tmp/kith-unit-XXXXXX");
    assert_non_null(mkdtemp(o->dir));
    snprintf(o->path, sizeof o->path, "%s/kith.db", o->dir);
    const char *src = getenv("KITH_SOURCE_DIR");
    assert_non_null(src);
    char fixture[512];
    snprintf(fixture, sizeof fixture, "%s/tests/fixtures/journal/v1.sql", src);
    size_t n = 0;
    char *sql = tslurp(fixture, &n);
    assert_non_null(sql);
    traw_exec(o->path, sql);
    free(sql);
    if (extra)
        traw_exec(o->path, extra);
    o->cfg = config_defaults();
    setenv("KITH_TODAY", "2026-11-22", 1);
}

static void old_free(struct old *o)
{
    config_free(&o->cfg);
    trm_rf(o->dir);
}

static void test_upgrade_keeps_everything(void **state)
{
    (void)state;
    struct old o;
    old_make(&o, NULL);
    assert_int_equal(traw_int(o.path, "PRAGMA user_version"), 1);
    struct journal *j = NULL;
    struct kerr e;
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    assert_int_equal(traw_int(o.path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

    /* The old file is kept beside the journal, as it was. */
    char bak[400];
    snprintf(bak, sizeof bak, "%s.bak-v1", o.path);
    assert_int_equal(access(bak, R_OK), 0);
    assert_int_equal(traw_int(bak, "PRAGMA user_version"), 1);
    assert_int_equal(traw_int(bak, "SELECT count(*) FROM interaction_contact"), 5);

    /* Every row is there; contacts keep their rowids as keys. */
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact"), 4);
    assert_int_equal(traw_int(o.path, "SELECT key FROM contact WHERE id = '" EVE "'"), 15);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"), 5);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_detail"), 2);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM referral_event"), 1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge_tick"), 1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM reminder_state"), 1);

    /* Full-text search still finds contacts by their words. */
    struct contact_query q = {0};
    size_t n = 0;
    q.search = "lisbon";
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    assert_int_equal(n, 1);
    q.search = "vandelay";
    struct contact_list l;
    assert_int_equal(contact_list(j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, EVE);
    contact_list_clear(&l);
    /* ... and by what was said to them. */
    q.search = "roadmap";
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    assert_int_equal(n, 2);

    /* Timelines and balances read the upgraded links. */
    struct timeline t;
    assert_int_equal(timeline_list(j, ANA, 0, 0, &t, &e), K_OK);
    size_t interactions = 0;
    for (size_t i = 0; i < t.n; i++)
        interactions += t.v[i].type == TIMELINE_INTERACTION;
    assert_int_equal(interactions, 2);
    timeline_clear(&t);
    struct ledger lg;
    assert_int_equal(goodwill_ledger(j, 0, 0, &lg, &e), K_OK);
    int found = 0;
    for (size_t i = 0; i < lg.n; i++) {
        if (!strcmp(lg.v[i].contact.id, BEN)) {
            found = 1;
            assert_int_equal(lg.v[i].gave, 2);
            /* coffee +1, intro +3 under the default weights */
            assert_int_equal(lg.v[i].balance, 4);
        }
    }
    assert_true(found);
    ledger_clear(&lg);

    /* Reminders: the referral Ana made is not thanked; both mentors are
     * due a catch-up, but Ana's was marked done in version 1. */
    struct reminder_query rq = {0};
    struct reminder_list rl;
    assert_int_equal(reminder_list(j, &rq, &rl, &e), K_OK);
    int thank = 0, ana = 0, ben = 0;
    for (size_t i = 0; i < rl.n; i++) {
        thank += !strcmp(rl.v[i].rule, "thank-referrer") && !strcmp(rl.v[i].contact_id, ANA);
        ana += !strcmp(rl.v[i].rule, "keep-in-touch") && !strcmp(rl.v[i].contact_id, ANA);
        ben += !strcmp(rl.v[i].rule, "keep-in-touch") && !strcmp(rl.v[i].contact_id, BEN);
    }
    reminder_list_clear(&rl);
    assert_int_equal(thank, 1);
    assert_int_equal(ana, 0);
    assert_int_equal(ben, 1);

    /* Deleting a contact still takes its links with it, and undo brings
     * them back under the same key. */
    history_record(j, "tui", HISTORY_RECORD);
    assert_int_equal(contact_delete(j, BEN, &e), K_OK);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"
                                      " WHERE contact_key = 7"),
                     0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"), 3);
    char id[KID_LEN + 1];
    struct history_step undone;
    assert_int_equal(history_undo(j, "tui", &undone, &e), K_OK);
    assert_string_equal(undone.contact_id, BEN);
    history_step_clear(&undone);
    assert_int_equal(traw_int(o.path, "SELECT key FROM contact WHERE id = '" BEN "'"), 7);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"), 5);

    /* A new contact takes a key no other contact had. */
    struct contact_patch p = {0};
    p.name = "Fay Lin";
    assert_int_equal(contact_add(j, &p, id, &e), K_OK);
    assert_int_equal(traw_int(o.path, "SELECT key FROM contact WHERE name = 'Fay Lin'"), 16);
    journal_close(&j);

    /* Opening again does not upgrade or back up again. */
    assert_int_equal(unlink(bak), 0);
    assert_int_equal(journal_open(o.path, o.cfg, 0, &j, &e), K_OK);
    journal_close(&j);
    assert_int_not_equal(access(bak, F_OK), 0);
    old_free(&o);
}

/* An interaction linked to a contact that is not there (written with
 * foreign keys off) cannot be carried over: the upgrade stops, and the
 * journal is left exactly as it was. */
static void test_upgrade_refuses_broken_links(void **state)
{
    (void)state;
    struct old o;
    old_make(&o, "PRAGMA foreign_keys = OFF;"
                 "INSERT INTO interaction_contact VALUES ('11111111111111111111111111111111',"
                 " 'fffffffffffffffffffffffffffffff0', '2026-10-01', 'coffee', 'gave');"
                 "PRAGMA wal_checkpoint(TRUNCATE);");
    size_t n0 = 0, n1 = 0;
    char *before = tslurp(o.path, &n0);
    struct journal *j = NULL;
    struct kerr e;
    assert_int_equal(journal_open(o.path, o.cfg, 0, &j, &e), K_ERR);
    assert_null(j);
    if (!strstr(e.msg, "upgrading the journal"))
        fail_msg("message: %s", e.msg);
    char *after = tslurp(o.path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(traw_int(o.path, "PRAGMA user_version"), 1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"), 6);
    free(before);
    free(after);
    old_free(&o);
}

static void count_notice(const char *msg, void *ud)
{
    struct sbuf *b = ud;
    sbuf_printf(b, "%s\n", msg);
}

/* The user hears of an upgrade (it takes seconds on a large journal, and
 * writes a backup beside the journal) before it starts, once. */
static void test_upgrade_notice(void **state)
{
    (void)state;
    struct old o;
    struct sbuf said = {0};
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    assert_int_equal(journal_open_notice(o.path, o.cfg, 0, count_notice, &said, &j, &e), K_OK);
    journal_close(&j);
    assert_non_null(said.s);
    if (!strstr(said.s, "from version 1 to ") || !strstr(said.s, "kith.db.bak-v1") ||
        strchr(said.s, '\n') != said.s + strlen(said.s) - 1)
        fail_msg("notice: %s", said.s);
    sbuf_free(&said);
    /* Not again, and not for a new journal. */
    assert_int_equal(journal_open_notice(o.path, o.cfg, 0, count_notice, &said, &j, &e), K_OK);
    journal_close(&j);
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new.db", o.dir);
    assert_int_equal(journal_open_notice(fresh, o.cfg, JOURNAL_CREATE, count_notice, &said, &j, &e),
                     K_OK);
    journal_close(&j);
    assert_null(said.s);
    old_free(&o);
}

/* Opens o's journal, which the test took back to version from: kith
 * upgrades it to the newest and keeps the old file beside it, at from. */
static struct journal *upgrade_from(struct old *o, int from)
{
    char bak[400];
    struct journal *j = NULL;
    struct kerr e;
    snprintf(bak, sizeof bak, "%s.bak-v%d", o->path, from);
    unlink(bak);
    if (journal_open(o->path, o->cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    assert_int_equal(traw_int(o->path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(traw_int(bak, "PRAGMA user_version"), from);
    return j;
}

/* Takes a current journal back to version 19: no clocks kept with the
 * changes not yet sent. */
#define TAKE_BACK_V20 "DROP INDEX sync_log_by_hlc; ALTER TABLE sync_log DROP COLUMN was;"

/* Takes a current journal back to version 18: no latest stamp of each
 * replica kept apart from the sync clock. */
#define TAKE_BACK_V19 TAKE_BACK_V20 " DROP TABLE sync_knew;"

/* Takes a current journal back to version 17: no sums of the files a
 * replica sent beside the bytes it kept. */
#define TAKE_BACK_V18 TAKE_BACK_V19 " DROP TABLE sync_file_sum;"

/* Takes a current journal back to version 16: a sync conflict says
 * neither whose its values were nor what a row no contact owns is. */
#define TAKE_BACK_V17                                                                              \
    TAKE_BACK_V18                                                                                  \
    " ALTER TABLE sync_conflict DROP COLUMN kept_place;"                                           \
    " ALTER TABLE sync_conflict DROP COLUMN other_place;"                                          \
    " ALTER TABLE sync_conflict DROP COLUMN about;"

/* Takes a current journal back to version 15: no bytes of the files a
 * replica sent, git not remembered. */
#define TAKE_BACK_V16 TAKE_BACK_V17 " DROP TABLE sync_file; ALTER TABLE sync_self DROP COLUMN git;"

/* Takes a current journal back to version 14: a change that waits keeps
 * one stamp for its row. */
#define TAKE_BACK_V15 TAKE_BACK_V16 " ALTER TABLE sync_parked DROP COLUMN stamps;"

/* Takes a current journal back to version 13: no index of the links'
 * words (the summary's link triggers, which version 14 made again after
 * its own, stay: their text is version 8's). */
#define TAKE_BACK_V14                                                                              \
    TAKE_BACK_V15                                                                                  \
    " DROP TRIGGER interaction_contact_fts_ai; DROP TRIGGER interaction_contact_fts_au;"           \
    " DROP TRIGGER interaction_contact_fts_ad; DROP TRIGGER interaction_link_fts_bd;"              \
    " DROP TRIGGER interaction_link_fts_au; DROP TABLE interaction_contact_fts;"

/* Takes a current journal back to version 12: challenge numbers unique
 * again (the table rebuilt the way version 13 rebuilt it). */
#define TAKE_BACK_V13                                                                              \
    TAKE_BACK_V14                                                                                  \
    " DROP INDEX challenge_by_seq;"                                                                \
    " CREATE TABLE challenge_v12 (id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL UNIQUE,"      \
    " started_on TEXT NOT NULL, days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),"             \
    " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));"                   \
    " INSERT INTO challenge_v12 SELECT id, seq, started_on, days, created_at FROM challenge;"      \
    " DROP TABLE challenge; ALTER TABLE challenge_v12 RENAME TO challenge;"

/* Version 12 to 13: challenges keep their numbers, ticks and days; two may
 * share a number; the running one is the same whatever the order. */
static void test_upgrade_v12_to_v13(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    char ch[KID_LEN + 1];
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    int had = traw_int(o.path, "SELECT count(*) FROM challenge");
    int ticks = traw_int(o.path, "SELECT count(*) FROM challenge_tick");
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V13 " PRAGMA user_version = 12;");
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge_tick"), ticks);
    j = upgrade_from(&o, 12);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge"), had);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge_tick"), ticks);
    /* A challenge from another machine with the same number: kept. */
    assert_int_equal(challenge_start(j, tday("2026-11-20"), 30, ch, &e), K_OK);
    char sql[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO challenge(id, seq, started_on, days) SELECT"
             " 'ffffffffffffffffffffffffffffffff', seq, '2026-11-21', 7 FROM challenge"
             " WHERE id = '%s'",
             ch);
    traw_exec(o.path, sql);
    struct challenge a;
    assert_int_equal(challenge_active(j, &a, &e), K_OK);
    assert_string_equal(a.id, "ffffffffffffffffffffffffffffffff");
    challenge_clear(&a);
    journal_close(&j);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    old_free(&o);
}

/* Takes a current journal back to version 11: the summary without names,
 * its goodwill index and triggers as version 8 made them. */
#define TAKE_BACK_V12                                                                              \
    TAKE_BACK_V13                                                                                  \
    " "                                                                                            \
    "DROP INDEX contact_with_birthday;"                                                            \
    " DROP TRIGGER contact_summary_ai; DROP TRIGGER contact_summary_au;"                           \
    " DROP INDEX contact_summary_goodwill; ALTER TABLE contact_summary DROP COLUMN name;"          \
    " CREATE INDEX contact_summary_goodwill ON contact_summary(goodwill DESC, name_fold, id,"      \
    " archived);"                                                                                  \
    " CREATE TRIGGER contact_summary_ai AFTER INSERT ON contact BEGIN INSERT OR REPLACE INTO"      \
    " contact_summary(contact_key, id, name_fold, archived, gave, asked, mutual, goodwill)"        \
    " SELECT new.key, new.id, new.name_fold, new.archived, count(*) FILTER (WHERE x.direction ="   \
    " 'gave'), count(*) FILTER (WHERE x.direction = 'asked'), count(*) FILTER (WHERE"              \
    " x.direction = 'mutual'), coalesce(sum(coalesce((SELECT w.w FROM goodwill_weight w WHERE"     \
    " w.kind = x.kind AND w.direction = x.direction), (SELECT w.w FROM goodwill_weight w WHERE"    \
    " w.kind = '*' AND w.direction = x.direction), 0)), 0) FROM interaction_contact x WHERE"       \
    " x.contact_key = new.key; UPDATE contact_summary SET (last, last_n, last_kind,"               \
    " last_direction) = (SELECT m.d, (SELECT count(*) FROM interaction_contact x WHERE"            \
    " x.contact_key = new.key AND x.date = m.d), (SELECT x.kind FROM interaction_contact x WHERE"  \
    " x.contact_key = new.key AND x.date = m.d ORDER BY x.kind, x.direction LIMIT 1), (SELECT"     \
    " x.direction FROM interaction_contact x WHERE x.contact_key = new.key AND x.date = m.d"       \
    " ORDER BY x.kind, x.direction LIMIT 1) FROM (SELECT max(x.date) AS d FROM"                    \
    " interaction_contact x WHERE x.contact_key = new.key) m) WHERE contact_key = new.key AND"     \
    " EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = new.key); END;"            \
    " CREATE TRIGGER contact_summary_au AFTER UPDATE OF id, name_fold, archived ON contact BEGIN"  \
    " UPDATE contact_summary SET id = new.id, name_fold = new.name_fold, archived = new.archived"  \
    " WHERE contact_key = new.key; END;"

/* Version 11 to 12: the summary gets every contact's name, kept as the
 * contact's changes (a new name with the same folded form too), the
 * goodwill rule reads the goodwill index alone, birthdays have an index. */
static void test_upgrade_v11_to_v12(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V12 " PRAGMA user_version = 11;");
    j = upgrade_from(&o, 11);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary s JOIN contact c"
                                      " ON c.key = s.contact_key WHERE s.name = c.name"),
                     traw_int(o.path, "SELECT count(*) FROM contact"));
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact"), 4);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact INDEXED BY"
                                      " contact_with_birthday WHERE birthday IS NOT NULL"),
                     traw_int(o.path, "SELECT count(*) FROM contact WHERE birthday IS NOT NULL"));
    /* A change of case keeps the folded name: the summary's name follows. */
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = "ANA RUIZ";
    assert_int_equal(contact_edit(j, ANA, &p, &e), K_OK);
    contact_patch_clear(&p);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary WHERE name ="
                                      " 'ANA RUIZ' AND id = '" ANA "'"),
                     1);
    struct dbsummary_report r;
    assert_int_equal(dbsummary_check(journal_db(j), 0, &r, &e), K_OK);
    assert_int_equal(r.wrong + r.missing + r.extra, 0);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    journal_close(&j);
    /* The same schema as a journal made new. */
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new.db", o.dir);
    assert_int_equal(journal_open(fresh, o.cfg, JOURNAL_CREATE, &j, &e), K_OK);
    journal_close(&j);
    sqlite3 *h;
    char sql[1200];
    assert_int_equal(sqlite3_open(o.path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql, "ATTACH '%s' AS f", fresh);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT count(*) FROM (SELECT type, name, sql FROM"
                                        " main.sqlite_schema WHERE name LIKE 'contact_summary%'"
                                        " OR name = 'contact_with_birthday'"
                                        " EXCEPT SELECT type, name, sql FROM f.sqlite_schema)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    old_free(&o);
}

/* Takes a current journal back to version 10: what version 12 and 11 added
 * (the summary's names; needs, offers, cadences, pay-it-forwards, the
 * search index's wider text) is dropped, the search triggers as version 1
 * made them. */
#define TAKE_BACK_V11                                                                              \
    TAKE_BACK_V12                                                                                  \
    "DROP INDEX contact_with_needs; DROP INDEX contact_with_cadence;"                              \
    " DROP TRIGGER contact_fts_ai; DROP TRIGGER contact_fts_au;"                                   \
    " ALTER TABLE contact DROP COLUMN needs; ALTER TABLE contact DROP COLUMN offers;"              \
    " ALTER TABLE contact DROP COLUMN cadence_days;"                                               \
    " CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN INSERT INTO contact_fts(rowid,"  \
    " name, company, body) VALUES (new.rowid, new.name, new.company, coalesce(new.title, '') ||"   \
    " ' ' || coalesce(new.location, '') || ' ' || coalesce(new.how_met, '') || ' ' ||"             \
    " coalesce(new.note, '') || ' ' || coalesce(new.working_on, '')); END;"                        \
    " CREATE TRIGGER contact_fts_au AFTER UPDATE ON contact BEGIN DELETE FROM contact_fts"         \
    " WHERE rowid = old.rowid; INSERT INTO contact_fts(rowid, name, company, body) VALUES"         \
    " (new.rowid, new.name, new.company, coalesce(new.title, '') || ' ' ||"                        \
    " coalesce(new.location, '') || ' ' || coalesce(new.how_met, '') || ' ' ||"                    \
    " coalesce(new.note, '') || ' ' || coalesce(new.working_on, '')); END;"                        \
    " DROP INDEX challenge_tick_by_forward;"                                                       \
    " CREATE TABLE tick6 (challenge_id TEXT NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,"  \
    " date TEXT NOT NULL, note TEXT, interaction_id TEXT REFERENCES interaction(id)"               \
    " ON DELETE SET NULL, created_at TEXT NOT NULL, PRIMARY KEY (challenge_id, date))"             \
    " WITHOUT ROWID;"                                                                              \
    " INSERT INTO tick6 SELECT challenge_id, date, note, interaction_id, created_at"               \
    " FROM challenge_tick; DROP TABLE challenge_tick; ALTER TABLE tick6 RENAME TO challenge_tick;" \
    " CREATE INDEX challenge_tick_by_interaction ON challenge_tick(interaction_id);"               \
    " DROP TABLE forward;"

/* Version 10 to 11: needs, offers and a cadence of one's own on contacts,
 * pay-it-forwards, a tick that names one. Every row stays; search finds
 * what is added from then on; the schema is the one a new journal gets. */
static void test_upgrade_v10_to_v11(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V11 " PRAGMA user_version = 10;");
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge_tick"), 1);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    assert_int_equal(traw_int(o.path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact"), 4);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM challenge_tick"), 1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM forward"), 0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* Old words are still found, new ones once written. */
    struct contact_query q = {0};
    size_t n = 0;
    q.search = "lisbon";
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    assert_int_equal(n, 1);
    struct contact_patch p;
    contact_patch_init(&p);
    kstrlist_add(&p.add_needs, "a seed investor");
    kstrlist_add(&p.add_offers, "resume reviews");
    p.every = "3w";
    assert_int_equal(contact_edit(j, ANA, &p, &e), K_OK);
    contact_patch_clear(&p);
    q.search = "investor";
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    assert_int_equal(n, 1);
    struct contact c;
    assert_int_equal(contact_get(j, ANA, &c, &e), K_OK);
    assert_int_equal(c.cadence_days, 21);
    assert_int_equal(c.needs.n, 1);
    contact_clear(&c);
    journal_close(&j);
    /* The same schema as a journal made new (but for challenge_tick, which
     * TAKE_BACK_V11 wrote anew). */
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new.db", o.dir);
    assert_int_equal(journal_open(fresh, o.cfg, JOURNAL_CREATE, &j, &e), K_OK);
    journal_close(&j);
    sqlite3 *h;
    char sql[1200];
    assert_int_equal(sqlite3_open(o.path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql, "ATTACH '%s' AS f", fresh);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    static const char *const diffs[] = {
        "SELECT count(*) FROM (SELECT type, name, sql FROM main.sqlite_schema EXCEPT"
        " SELECT type, name, sql FROM f.sqlite_schema) WHERE name <> 'challenge_tick'",
        "SELECT count(*) FROM (SELECT type, name, sql FROM f.sqlite_schema EXCEPT"
        " SELECT type, name, sql FROM main.sqlite_schema) WHERE name <> 'challenge_tick'",
        "SELECT count(*) FROM f.sqlite_schema WHERE name IN ('forward', 'contact_with_needs',"
        " 'contact_with_cadence', 'challenge_tick_by_forward') OR sql LIKE"
        " '%coalesce(new.offers%'"};
    long long want[] = {0, 0, 6};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(h, diffs[i], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int64(st, 0), want[i]);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    old_free(&o);
}

/* What version 10 added (kith's own sync), dropped to take a journal back. */
#define SYNC_TABLES                                                                                \
    " DROP TABLE sync_self; DROP TABLE sync_log; DROP TABLE sync_clock; DROP TABLE sync_peer;"     \
    " DROP TABLE sync_parked;"

/* What versions 8 to 11 added (the per-contact summary, its indexes, sync,
 * giving first), dropped: a current journal taken back to version 7. */
#define BACK_TO_V7                                                                                 \
    TAKE_BACK_V11 SYNC_TABLES                                                                      \
        " DROP TRIGGER contact_summary_ai; DROP TRIGGER contact_summary_au;"                       \
        " DROP TRIGGER contact_summary_ad; DROP TRIGGER interaction_contact_summary_ai;"           \
        " DROP TRIGGER interaction_contact_summary_au; DROP TRIGGER "                              \
        "interaction_contact_summary_ad;"                                                          \
        " DROP TABLE contact_summary; DROP TABLE goodwill_weight; DROP INDEX thanks_by_date;"      \
        " PRAGMA user_version = 7;"

/* Version 4 to 5: the tables and columns an import keeps its extra data
 * in are added; every row stays, tags read as they were, and the new
 * fields can be written at once. The version 4 journal is made by taking
 * a current one back (what versions 5 and later added, dropped). */
static void test_upgrade_v4_to_v5(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, BACK_TO_V7);
    traw_exec(o.path, "DROP TABLE vdir_item; DROP TABLE sync_conflict;"
                      " DROP TABLE contact_nickname; DROP TABLE contact_uid;"
                      " DROP TABLE contact_address; DROP TABLE contact_event;"
                      " DROP TABLE contact_vcard;"
                      " ALTER TABLE contact DROP COLUMN n_family;"
                      " ALTER TABLE contact DROP COLUMN n_given;"
                      " ALTER TABLE contact DROP COLUMN n_additional;"
                      " ALTER TABLE contact DROP COLUMN n_prefix;"
                      " ALTER TABLE contact DROP COLUMN n_suffix;"
                      " ALTER TABLE contact_detail DROP COLUMN label;"
                      " ALTER TABLE contact_detail DROP COLUMN prop;"
                      " ALTER TABLE contact_tag DROP COLUMN spelling;"
                      " INSERT INTO contact_tag VALUES ('" ANA "', 'worker-drones');"
                      " DROP TABLE history;"
                      " PRAGMA user_version = 4;");
    char bak[400];
    snprintf(bak, sizeof bak, "%s.bak-v4", o.path);
    unlink(bak);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    assert_int_equal(traw_int(o.path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(access(bak, R_OK), 0);
    assert_int_equal(traw_int(bak, "PRAGMA user_version"), 4);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact"), 4);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_detail"), 2);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact"), 5);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    struct contact c;
    assert_int_equal(contact_get(j, ANA, &c, &e), K_OK);
    assert_true(kstrlist_has(&c.tags, "worker-drones"));
    contact_clear(&c);
    /* The new fields are there to write. */
    struct contact_patch p;
    contact_patch_init(&p);
    kstrlist_add(&p.add_tags, "Worker Bees");
    assert_int_equal(contact_edit(j, ANA, &p, &e), K_OK);
    contact_patch_clear(&p);
    assert_int_equal(contact_get(j, ANA, &c, &e), K_OK);
    assert_true(kstrlist_has(&c.tags, "Worker Bees"));
    contact_clear(&c);
    assert_int_equal(
        traw_int(o.path, "SELECT count(*) FROM contact_tag WHERE spelling = 'Worker Bees'"), 1);
    journal_close(&j);
    old_free(&o);
}

/* A version 6 journal (before vdir folders and sync conflicts) gets both
 * tables, and its contacts stay as they were. */
static void test_upgrade_v6_to_v7(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, BACK_TO_V7);
    traw_exec(o.path, "DROP TABLE vdir_item; DROP TABLE sync_conflict; PRAGMA user_version = 6;");
    j = upgrade_from(&o, 6);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM vdir_item"), 0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_conflict"), 0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact"), 4);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    journal_close(&j);
    old_free(&o);
}

/* Version 7 to 8: the per-contact summary is built from the journal's
 * interactions (the last day up to the least kind and direction of it,
 * the counts, the balance with the default weights), exactly what the
 * interactions give, and the triggers keep it so from then on. */
static void test_upgrade_v7_to_v8(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    /* Two interactions on one day, a future one, an intro (weight 3). */
    traw_exec(o.path,
              "INSERT INTO interaction(id, date, kind, direction) VALUES"
              " ('a1000000000000000000000000000001', '2026-10-05', 'intro', 'gave'),"
              " ('a1000000000000000000000000000002', '2026-10-05', 'coffee', 'asked'),"
              " ('a1000000000000000000000000000003', '2027-01-01', 'call', 'mutual');"
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " SELECT i.id, c.key, i.date, i.kind, i.direction FROM interaction i, contact c"
              " WHERE i.id LIKE 'a1%' AND c.id = '" BEN "';");
    traw_exec(o.path, BACK_TO_V7);
    j = upgrade_from(&o, 7);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary"),
                     traw_int(o.path, "SELECT count(*) FROM contact"));
    /* Every row as the interactions give it, computed here on its own. */
    assert_int_equal(
        traw_int(o.path,
                 "SELECT count(*) FROM contact c JOIN contact_summary s ON s.contact_key = c.key"
                 " WHERE s.id IS NOT c.id OR s.name_fold IS NOT c.name_fold"
                 " OR s.archived IS NOT c.archived"
                 " OR s.last IS NOT (SELECT max(date) FROM interaction_contact x"
                 "  WHERE x.contact_key = c.key)"
                 " OR s.gave IS NOT (SELECT count(*) FROM interaction_contact x"
                 "  WHERE x.contact_key = c.key AND x.direction = 'gave')"
                 " OR s.asked IS NOT (SELECT count(*) FROM interaction_contact x"
                 "  WHERE x.contact_key = c.key AND x.direction = 'asked')"
                 " OR s.mutual IS NOT (SELECT count(*) FROM interaction_contact x"
                 "  WHERE x.contact_key = c.key AND x.direction = 'mutual')"
                 " OR s.goodwill IS NOT (SELECT coalesce(sum(CASE x.direction"
                 "  WHEN 'gave' THEN 1 WHEN 'asked' THEN -1 ELSE 0 END"
                 "  * CASE WHEN x.kind IN ('intro', 'referral') THEN 3 ELSE 1 END), 0)"
                 "  FROM interaction_contact x WHERE x.contact_key = c.key)"),
        0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary WHERE id = '" BEN
                                      "' AND last = '2027-01-01' AND last_n = 1"
                                      " AND last_kind = 'call' AND last_direction = 'mutual'"),
                     1);
    struct contact c;
    assert_int_equal(contact_get(j, BEN, &c, &e), K_OK);
    assert_int_equal(c.last_interaction, tday("2027-01-01"));
    int goodwill = c.goodwill;
    contact_clear(&c);
    /* The triggers are there: a deletion moves the last day back to the
     * two interactions of 2026-10-05, the least kind first. */
    assert_int_equal(interaction_delete(j, "a1000000000000000000000000000003", &e), K_OK);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary WHERE id = '" BEN
                                      "' AND last = '2026-10-05' AND last_n = 2"
                                      " AND last_kind = 'coffee' AND last_direction = 'asked'"),
                     1);
    assert_int_equal(contact_get(j, BEN, &c, &e), K_OK);
    assert_int_equal(c.goodwill, goodwill);
    contact_clear(&c);
    struct dbsummary_report r;
    assert_int_equal(dbsummary_check(journal_db(j), 0, &r, &e), K_OK);
    assert_int_equal(r.wrong + r.missing + r.extra, 0);
    journal_close(&j);
    old_free(&o);
}

/* Version 8 to 9: the summary's partial indexes for the interaction
 * rules are made, holding the rows of a last day with one interaction and
 * of one with several, and the triggers keep them so. */
static void test_upgrade_v8_to_v9(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(
        o.path,
        "INSERT INTO interaction(id, date, kind, direction) VALUES"
        " ('a1000000000000000000000000000001', '2026-10-05', 'intro', 'gave'),"
        " ('a1000000000000000000000000000002', '2026-10-05', 'coffee', 'asked');"
        "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
        " SELECT i.id, c.key, i.date, i.kind, i.direction FROM interaction i, contact c"
        " WHERE i.id LIKE 'a1%' AND c.id = '" BEN "';"
        "DROP INDEX contact_summary_last_one; DROP INDEX contact_summary_last_many;" TAKE_BACK_V11
            SYNC_TABLES " PRAGMA user_version = 8;");
    j = upgrade_from(&o, 8);
    /* Ben's last day had two, so his row is in the second index only. */
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary INDEXED BY"
                                      " contact_summary_last_many WHERE last_n > 1"),
                     1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary INDEXED BY"
                                      " contact_summary_last_one WHERE last_n = 1"),
                     traw_int(o.path, "SELECT count(*) FROM contact_summary WHERE last_n = 1"));
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    /* A deletion leaves one interaction on that day: the row moves. */
    assert_int_equal(interaction_delete(j, "a1000000000000000000000000000001", &e), K_OK);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM contact_summary INDEXED BY"
                                      " contact_summary_last_one WHERE last_n = 1"
                                      " AND last_direction = 'asked' AND last_kind = 'coffee'"
                                      " AND id = '" BEN "'"),
                     1);
    journal_close(&j);
    old_free(&o);
}

/* A version 9 journal gets the sync tables, sync stays off (no replica id),
 * and a change to it keeps nothing for sync. */
static void test_upgrade_v9_to_v10(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V11 SYNC_TABLES " PRAGMA user_version = 9;");
    j = upgrade_from(&o, 9);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_self"), 0);
    struct contact_patch p;
    contact_patch_init(&p);
    kstrlist_add(&p.add_tags, "after");
    assert_int_equal(contact_edit(j, ANA, &p, &e), K_OK);
    contact_patch_clear(&p);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_log"), 0);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_clock"), 0);
    assert_int_equal(traw_int(o.path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"),
                     1);
    journal_close(&j);
    old_free(&o);
}

/* The one text value sql gives on the journal at path: a new string. */
static char *raw_text(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *out = kstr_dup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

/* The contacts a search finds, as "id,id,...", in the list's order. */
static char *found(struct journal *j, const char *words)
{
    struct contact_query q = {0};
    struct contact_list l;
    struct kerr e;
    struct sbuf b = {0};
    q.search = words;
    q.include_archived = 1;
    if (contact_list(j, &q, &l, &e) != K_OK)
        fail_msg("contact_list: %s", e.msg);
    for (size_t i = 0; i < l.n; i++)
        sbuf_printf(&b, "%s%s", i ? "," : "", l.v[i].id);
    contact_list_clear(&l);
    return b.s ? sbuf_take(&b) : kstr_dup("");
}

/* Version 13 to 14: every link between an interaction and a contact gets
 * its document of the interaction's words; searches find the same
 * contacts; the schema is a new journal's, its triggers in the same
 * order (the summary's link triggers after the index's); later writes
 * keep the index exact. */
static void test_upgrade_v13_to_v14(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    char *roadmap = found(j, "roadm"), *lng = found(j, "LONG");
    journal_close(&j);
    assert_string_equal(roadmap, ANA "," BEN);
    assert_string_equal(lng, ANA);
    traw_exec(o.path, TAKE_BACK_V14 " PRAGMA user_version = 13;");
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sqlite_schema"
                                      " WHERE name LIKE 'interaction_contact_fts%'"),
                     0);
    j = upgrade_from(&o, 13);
    int links = traw_int(o.path, "SELECT count(*) FROM interaction_contact ic"
                                 " JOIN interaction i ON i.id = ic.interaction_id");
    assert_true(links >= 3);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM interaction_contact_fts"), links);
    char *s = found(j, "roadm");
    assert_string_equal(s, roadmap);
    free(s);
    s = found(j, "LONG");
    assert_string_equal(s, lng);
    free(s);
    struct dbsearch_report r;
    assert_int_equal(dbsearch_check(journal_db(j), 0, &r, &e), K_OK);
    assert_int_equal(r.links, (size_t)links);
    assert_int_equal(r.off + r.extra + (size_t)r.damaged, 0);
    /* A write after the upgrade. */
    const char *who[] = {BEN};
    char id[KID_LEN + 1];
    struct interaction_input in = {
        who, 1, "call", KDIR_MUTUAL, tday("2026-11-01"), "Quokka sighting", NULL};
    assert_int_equal(interaction_log(j, &in, id, &e), K_OK);
    s = found(j, "quokk");
    assert_string_equal(s, BEN);
    free(s);
    assert_int_equal(dbsearch_check(journal_db(j), 0, &r, &e), K_OK);
    assert_int_equal(r.links, (size_t)links + 1);
    assert_int_equal(r.off + r.extra + (size_t)r.damaged, 0);
    journal_close(&j);
    /* The same schema as a journal made new, triggers in the same order. */
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new.db", o.dir);
    assert_int_equal(journal_open(fresh, o.cfg, JOURNAL_CREATE, &j, &e), K_OK);
    journal_close(&j);
    static const char order[] =
        "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
        " WHERE type = 'trigger' AND tbl_name IN ('interaction_contact', 'interaction')"
        " ORDER BY rowid)";
    char *a = raw_text(o.path, order), *b = raw_text(fresh, order);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "interaction_contact_fts_ad interaction_link_fts_bd"
                              " interaction_link_fts_au interaction_contact_summary_ai"));
    free(a);
    free(b);
    sqlite3 *h;
    char sql[1200];
    assert_int_equal(sqlite3_open(o.path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql, "ATTACH '%s' AS f", fresh);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT count(*) FROM (SELECT type, name, sql FROM"
                                        " main.sqlite_schema WHERE name LIKE 'interaction%'"
                                        " EXCEPT SELECT type, name, sql FROM f.sqlite_schema)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    free(roadmap);
    free(lng);
    old_free(&o);
}

/* Version 14 to 15: a change waiting for its row (sync_parked) stays, with
 * no stamps of its columns: each has the row's, as before; the table is a
 * new journal's. */
static void test_upgrade_v14_to_v15(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V15 " INSERT INTO sync_parked(replica, hlc, tbl, pk, changes)"
                                    " VALUES ('0123456789abcdef', 42, 'thanks', 'x', x'00');"
                                    " PRAGMA user_version = 14;");
    j = upgrade_from(&o, 14);
    journal_close(&j);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_parked WHERE hlc = 42 AND"
                                      " stamps IS NULL AND changes = x'00'"),
                     1);
    char fresh[400];
    snprintf(fresh, sizeof fresh, "%s/new.db", o.dir);
    assert_int_equal(journal_open(fresh, o.cfg, JOURNAL_CREATE, &j, &e), K_OK);
    journal_close(&j);
    static const char table[] = "SELECT sql FROM sqlite_schema WHERE name = 'sync_parked'";
    char *a = raw_text(o.path, table), *b = raw_text(fresh, table);
    assert_string_equal(a, b);
    free(a);
    free(b);
    old_free(&o);
}

/* Version 17 to 18: each file whose bytes a replica kept gets its size
 * and checksum (its last 8 bytes); the others have none. */
static void test_upgrade_v17_to_v18(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V18 " INSERT INTO sync_file(fileseq, body)"
                                    " VALUES (3, x'00112233445566778899');"
                                    " PRAGMA user_version = 17;");
    j = upgrade_from(&o, 17);
    journal_close(&j);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_file_sum WHERE fileseq = 3 AND"
                                      " size = 10 AND tail = x'2233445566778899'"),
                     1);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sync_file_sum"), 1);
    old_free(&o);
}

/* Version 18 to 19: sync_knew holds each replica's latest row stamp in
 * sync_clock (what it applied of each, as near as a journal synced before
 * can tell); its columns' stamps, which a record of another replica may
 * have passed on, and empty stamps are not counted. */
static void test_upgrade_v18_to_v19(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path,
              TAKE_BACK_V19 " INSERT INTO sync_clock(tbl, pk, alive, hlc, rep, cols) VALUES"
                            " ('contact', 'a', 1, 100, 'aa', '0:100:aa;3:700:bb;-4:900:cc;2:0:;'),"
                            " ('contact', 'b', 0, 500, 'aa', NULL),"
                            " ('thanks', 'c', 1, 300, 'bb', '-301:800:bb;1:300:bb;');"
                            " PRAGMA user_version = 18;");
    j = upgrade_from(&o, 18);
    journal_close(&j);
    char *got = raw_text(o.path, "SELECT group_concat(rep || '=' || hlc, ' ')"
                                 " FROM (SELECT rep, hlc FROM sync_knew ORDER BY rep)");
    assert_string_equal(got, "aa=500 bb=300");
    free(got);
    old_free(&o);
}

/* Changes kept before version 20 have no clocks: their undo is a change
 * of its own; the index finds a change by its stamp. */
static void test_upgrade_v19_to_v20(void **state)
{
    (void)state;
    struct old o;
    struct journal *j = NULL;
    struct kerr e;
    old_make(&o, NULL);
    if (journal_open(o.path, o.cfg, 0, &j, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    journal_close(&j);
    traw_exec(o.path, TAKE_BACK_V20 " INSERT INTO sync_log(txseq, hlc, changes)"
                                    " VALUES (7, 900, x'00');"
                                    " PRAGMA user_version = 19;");
    j = upgrade_from(&o, 19);
    journal_close(&j);
    char *got = raw_text(o.path, "SELECT txseq || ' ' || hlc || ' ' || quote(was) FROM sync_log");
    assert_string_equal(got, "7 900 NULL");
    free(got);
    assert_int_equal(traw_int(o.path, "SELECT count(*) FROM sqlite_schema"
                                      " WHERE name = 'sync_log_by_hlc'"),
                     1);
    old_free(&o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_upgrade_keeps_everything),
    cmocka_unit_test(test_upgrade_refuses_broken_links),
    cmocka_unit_test(test_upgrade_notice),
    cmocka_unit_test(test_upgrade_v4_to_v5),
    cmocka_unit_test(test_upgrade_v6_to_v7),
    cmocka_unit_test(test_upgrade_v7_to_v8),
    cmocka_unit_test(test_upgrade_v8_to_v9),
    cmocka_unit_test(test_upgrade_v9_to_v10),
    cmocka_unit_test(test_upgrade_v10_to_v11),
    cmocka_unit_test(test_upgrade_v11_to_v12),
    cmocka_unit_test(test_upgrade_v12_to_v13),
    cmocka_unit_test(test_upgrade_v13_to_v14),
    cmocka_unit_test(test_upgrade_v14_to_v15),
    cmocka_unit_test(test_upgrade_v17_to_v18),
    cmocka_unit_test(test_upgrade_v18_to_v19),
    cmocka_unit_test(test_upgrade_v19_to_v20),
};

TEST_MAIN(tests)
