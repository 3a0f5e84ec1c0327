/* kith's own sync (kith/core/sync.h, kith/store/dbsync.h): journals on several
 * machines through a shared folder. Each test makes replicas (journals of
 * their own) and a folder; the last one is the property test: three
 * journals, random operations interleaved with syncs in random order, and
 * at the end the same journal everywhere, through a folder and through a
 * real git repository. Every run does a few small fixed seeds;
 * KITH_SYNC_OPS (1000 is the issue's figure) and KITH_SYNC_SEED run one of
 * that size, KITH_SYNC_GIT_OPS sizes the git run; KITH_SYNC_TRACE prints
 * each operation, KITH_SYNC_KEEP keeps every journal and the folder of a
 * failed run (/tmp/kith-sync-kept), KITH_SYNC_EXPORT=PREFIX writes each
 * replica's export to PREFIX.N.json. The clock and the replica ids are
 * real unless tests/tools/fakeclock.c is preloaded: then a property seed
 * and a clock seed (KITH_FAKECLOCK_SEED) replay exactly;
 * tests/tools/sync_property.sh runs a sweep of both. To see where a replay
 * ends different, KITH_SYNC_DEBUG=TABLE:PK (a row's table and its primary
 * key as sync names it: the id, or the key's values joined by '|', an
 * integer written iN; several rows comma-separated) prints to stderr each
 * change of that row an apply meets, applied, parked or left out, with its
 * stamps and the row's clock after it (dbsync_debug.c). */
/* The session extension's changeset reader, to look into a file's changes. */
#define SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_PREUPDATE_HOOK
#include "testutil.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbsync.h"
#include "kith/core/dupes.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/reminder.h"
#include "kith/core/sync.h"
#include "kith/core/thanks.h"
#include "kith/core/transfer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXREP 4

/* The size of the property's run through git. */
#define PROPERTY_GIT_OPS 200

struct world {
    char dir[300]; /* the shared folder */
    /* Through git: a clone of one bare repository for each replica. */
    char gdir[MAXREP][320];
    int git;
    struct tjournal r[MAXREP];
    int n;
    int notes; /* notes sync_run gave */
    char last_note[KERR_MSG_MAX];
};

static void on_note(const char *msg, void *ud)
{
    struct world *w = ud;
    w->notes++;
    snprintf(w->last_note, sizeof w->last_note, "%s", msg);
}

static void world_open(struct world *w, int n)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    for (int i = 0; i < n; i++) {
        tj_open(&w->r[i]);
        history_record(w->r[i].j, "cli", HISTORY_RECORD);
    }
    snprintf(w->dir, sizeof w->dir, "%s/shared", w->r[0].dir);
    assert_int_equal(mkdir(w->dir, 0700), 0);
}

/* Runs a command line; fails the test when it does not exit 0. */
static void sh(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("%s: failed", cmd);
}

/* A world whose replicas sync through a real git repository: a bare one
 * as the remote, a clone for each (kith sync DIR --git). */
static void world_open_git(struct world *w, int n)
{
    char cmd[1400];
    world_open(w, n);
    w->git = 1;
    snprintf(cmd, sizeof cmd, "git init -q --bare '%s/remote.git'", w->dir);
    sh(cmd);
    for (int i = 0; i < n; i++) {
        snprintf(w->gdir[i], sizeof w->gdir[i], "%s/clone%d", w->dir, i);
        snprintf(cmd, sizeof cmd, "git clone -q '%s/remote.git' '%s' 2>/dev/null", w->dir,
                 w->gdir[i]);
        sh(cmd);
    }
}

static void world_close(struct world *w)
{
    for (int i = 0; i < w->n; i++)
        tj_close(&w->r[i]);
}

static struct journal *J(struct world *w, int i)
{
    return w->r[i].j;
}

static void sync_ok(struct world *w, int i, struct sync_report *out)
{
    struct sync_report s;
    struct kerr e;
    w->notes = 0;
    if (sync_run(J(w, i), w->git ? w->gdir[i] : w->dir, w->git ? SYNC_GIT : 0, on_note, w,
                 out ? out : &s, &e) != K_OK)
        fail_msg("sync of replica %d: %s (%s)", i, e.msg, w->last_note);
    assert_int_equal(w->notes, 0);
}

/* Syncs every replica, in order, until a round changes nothing. */
static void settle(struct world *w)
{
    for (int round = 0; round < 6; round++) {
        size_t moved = 0;
        for (int i = 0; i < w->n; i++) {
            struct sync_report s;
            sync_ok(w, i, &s);
            moved += (size_t)s.sent + s.files;
        }
        if (!moved)
            return;
    }
    fail_msg("the replicas did not settle in 6 rounds");
}

static void add(struct journal *j, const char *name, const char *company, char id[KID_LEN + 1])
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.name = name;
    p.company = company;
    kstrlist_add(&p.add_emails, "x@example.org");
    kstrlist_add(&p.add_tags, "mentor");
    if (contact_add(j, &p, id, &e) != K_OK)
        fail_msg("contact_add %s: %s", name, e.msg);
    contact_patch_clear(&p);
}

/* Ana, Cy and Dan; Ana's referral to Dan (rf) and a thank-you to Ana for
 * it (th). */
static void ana_referral_thanks(struct journal *j, char ana[KID_LEN + 1], char cy[KID_LEN + 1],
                                char dan[KID_LEN + 1], char rf[KID_LEN + 1], char th[KID_LEN + 1])
{
    struct kerr e;
    add(j, "Ana Ruiz", "Acme", ana);
    add(j, "Cy Park", NULL, cy);
    add(j, "Dan Wu", NULL, dan);
    struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
    assert_int_equal(referral_add(j, &ri, rf, &e), K_OK);
    struct thanks_input ti = {ana, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(j, &ti, th, &e), K_OK);
}

static int set_field(struct journal *j, const char *id, const char *field, const char *value)
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    if (!strcmp(field, "company"))
        p.company = value;
    else if (!strcmp(field, "title"))
        p.title = value;
    else
        p.note = value;
    int rc = contact_edit(j, id, &p, &e);
    contact_patch_clear(&p);
    return rc;
}

static char *field_of(struct journal *j, const char *id, const char *field)
{
    struct contact c;
    struct kerr e;
    if (contact_get(j, id, &c, &e) != K_OK)
        return NULL;
    const char *v = !strcmp(field, "company") ? c.company
                    : !strcmp(field, "title") ? c.title
                                              : c.note;
    char *r = kstr_dup(v ? v : "");
    contact_clear(&c);
    return r;
}

static int exists(struct journal *j, const char *id, int *archived)
{
    struct contact c;
    struct kerr e;
    if (contact_get(j, id, &c, &e) != K_OK)
        return 0;
    if (archived)
        *archived = c.archived;
    contact_clear(&c);
    return 1;
}

static int out_sbuf(const char *s, size_t n, void *ud)
{
    sbuf_addn(ud, s, n);
    return 0;
}

/* The journal as kith export json writes it. */
static char *export_json(struct journal *j)
{
    struct sbuf b = {0};
    struct kerr e;
    if (transfer_export_json(j, out_sbuf, &b, &e) != K_OK)
        fail_msg("export: %s", e.msg);
    sbuf_addn(&b, "", 0);
    return sbuf_take(&b);
}

/* With KITH_SYNC_KEEP, a copy of every replica's journal (N.db) and of
 * the shared folder in /tmp/kith-sync-kept, to look into a failed run. */
static void keep_world(struct world *w)
{
    char cmd[1600];
    if (!getenv("KITH_SYNC_KEEP"))
        return;
    snprintf(cmd, sizeof cmd,
             "rm -rf /tmp/kith-sync-kept && mkdir /tmp/kith-sync-kept && cp -r '%s' "
             "/tmp/kith-sync-kept/shared",
             w->dir);
    if (system(cmd) != 0)
        print_message("could not keep the folder\n");
    for (int i = 0; i < w->n; i++) {
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' '.backup /tmp/kith-sync-kept/%d.db'", w->r[i].path,
                 i);
        if (system(cmd) != 0)
            print_message("could not keep the journals\n");
    }
}

/* With KITH_SYNC_EXPORT=PREFIX, every replica's export in PREFIX.N.json,
 * to compare two runs of the same seeds (tests/tools/sync_property.sh). */
static void dump_exports(struct world *w)
{
    const char *prefix = getenv("KITH_SYNC_EXPORT");
    if (!prefix)
        return;
    for (int i = 0; i < w->n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s.%d.json", prefix, i);
        char *json = export_json(J(w, i));
        FILE *f = fopen(path, "w");
        if (!f || fputs(json, f) == EOF)
            fail_msg("cannot write %s", path);
        fclose(f);
        free(json);
    }
}

static void assert_same_journals(struct world *w)
{
    char *first = export_json(J(w, 0));
    for (int i = 1; i < w->n; i++) {
        char *other = export_json(J(w, i));
        if (strcmp(first, other)) {
            size_t at = 0;
            while (first[at] && first[at] == other[at])
                at++;
            size_t from = at > 200 ? at - 200 : 0;
            keep_world(w);
            fail_msg("replica %d differs from replica 0 at byte %zu:\n0: %.400s\n%d: %.400s", i, at,
                     first + from, i, other + from);
        }
        free(other);
    }
    free(first);
    for (int i = 0; i < w->n; i++)
        assert_int_equal(
            traw_int(w->r[i].path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), 1);
}

struct conflicts {
    size_t n;
    const char *id, *field, *value; /* to find */
    int found;
};

static int count_conflict(const struct kconflict *c, void *ud)
{
    struct conflicts *k = ud;
    k->n++;
    /* Field "*": any conflict about the row. */
    if (k->id && !strcmp(c->entity_id, k->id) && !strcmp(k->field, "*"))
        k->found = 1;
    if (k->id && !strcmp(c->entity_id, k->id) && !strcmp(c->field, k->field) &&
        ((c->kept && !strcmp(c->kept, k->value)) || (c->other && !strcmp(c->other, k->value))))
        k->found = 1;
    return 0;
}

static int has_conflict(struct journal *j, const char *id, const char *field, const char *value)
{
    struct conflicts k = {0, id, field, value, 0};
    struct kerr e;
    assert_int_equal(sync_conflicts(j, 0, count_conflict, &k, &e), K_OK);
    return k.found;
}

static size_t conflict_count(struct journal *j)
{
    struct conflicts k = {0};
    struct kerr e;
    assert_int_equal(sync_conflicts(j, 0, count_conflict, &k, &e), K_OK);
    return k.n;
}

static void pause_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the rules, one at a time ---- */

/* A new journal gets everything a replica sent, an edit comes back, and
 * nothing is synced before the first kith sync. */
static void test_sync_two_replicas(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1];
    struct sync_report s;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    assert_int_equal(traw_int(w.r[0].path, "SELECT count(*) FROM sync_log"), 0);
    sync_ok(&w, 0, &s);
    assert_true(s.started);
    assert_int_equal(s.sent, 1);
    sync_ok(&w, 1, &s);
    assert_true(s.started);
    assert_int_equal(s.files, 1);
    assert_true(exists(J(&w, 1), ana, NULL));
    assert_int_equal(set_field(J(&w, 1), ana, "title", "VP"), K_OK);
    settle(&w);
    char *t = field_of(J(&w, 0), ana, "title");
    assert_string_equal(t, "VP");
    free(t);
    assert_same_journals(&w);
    /* Each replica's folder holds only its own files. */
    char r0[DBSYNC_ID_LEN + 1];
    struct kerr e;
    assert_int_equal(dbsync_replica(journal_db(J(&w, 0)), r0, &e), K_OK);
    assert_int_equal(strlen(r0), DBSYNC_ID_LEN);
    world_close(&w);
}

/* Two replicas change the same field: the later change wins on both, and
 * both list the conflict; a field only one changed is merged in. */
static void test_sync_same_field(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1];
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    settle(&w);
    assert_int_equal(set_field(J(&w, 0), ana, "company", "Initech"), K_OK);
    assert_int_equal(set_field(J(&w, 0), ana, "note", "met at SMG"), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ana, "company", "Globex"), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char *c = field_of(J(&w, i), ana, "company"), *n = field_of(J(&w, i), ana, "note");
        assert_string_equal(c, "Globex");
        assert_string_equal(n, "met at SMG");
        free(c);
        free(n);
        assert_true(has_conflict(J(&w, i), ana, "company", "Initech"));
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* Two changes of one field with the same clock reading: the replica id
 * decides (the greater wins), the same on both sides, and both list it. */
static void test_sync_tie(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], id[2][DBSYNC_ID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    settle(&w);
    /* Both clocks ahead of the wall clock at the same reading: the next
     * change on each is stamped with the same HLC. */
    long long at = traw_int(w.r[0].path, "SELECT max(hlc) + (3600000 << 16) FROM sync_self");
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE sync_self SET hlc = %lld", at);
    for (int i = 0; i < 2; i++) {
        traw_exec(w.r[i].path, sql);
        assert_int_equal(dbsync_replica(journal_db(J(&w, i)), id[i], &e), K_OK);
    }
    assert_int_equal(set_field(J(&w, 0), ana, "company", "Initech"), K_OK);
    assert_int_equal(set_field(J(&w, 1), ana, "company", "Globex"), K_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(traw_int(w.r[i].path, "SELECT max(hlc) FROM sync_log"), at + 1);
    settle(&w);
    const char *won = strcmp(id[0], id[1]) > 0 ? "Initech" : "Globex";
    const char *lost = strcmp(id[0], id[1]) > 0 ? "Globex" : "Initech";
    for (int i = 0; i < 2; i++) {
        char *c = field_of(J(&w, i), ana, "company");
        assert_string_equal(c, won);
        free(c);
        assert_true(has_conflict(J(&w, i), ana, "company", lost));
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* Contacts made on two replicas get keys of each journal's own, and an
 * interaction with both links the right ones everywhere. */
static void test_sync_local_keys(void **state)
{
    (void)state;
    struct world w;
    char a[KID_LEN + 1], b[KID_LEN + 1], x[KID_LEN + 1], it[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", NULL, a);
    add(J(&w, 1), "Xavier Lee", NULL, x); /* key 1 on replica 1 too */
    add(J(&w, 1), "Ben Okafor", NULL, b);
    settle(&w);
    assert_int_equal(traw_int(w.r[0].path, "SELECT count(*) FROM contact"), 3);
    const char *ids[] = {a, b};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "talk", NULL};
    assert_int_equal(interaction_log(J(&w, 1), &in, it, &e), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM interaction_contact ic JOIN contact c ON c.key = "
                 "ic.contact_key WHERE ic.interaction_id = '%s' AND c.id IN ('%s', '%s')",
                 it, a, b);
        assert_int_equal(traw_int(w.r[i].path, sql), 2);
    }
    assert_true(traw_int(w.r[0].path, "SELECT key FROM contact WHERE name = 'Xavier Lee'") !=
                traw_int(w.r[1].path, "SELECT key FROM contact WHERE name = 'Xavier Lee'"));
    assert_same_journals(&w);
    world_close(&w);
}

/* A contact deleted on one replica and changed later on another stays,
 * archived, on both, with what belonged to it; the conflict is listed. */
static void test_sync_edit_against_delete(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], it[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    const char *ids[] = {ana};
    struct interaction_input in = {ids, 1, "coffee", KDIR_GAVE, KDATE_NONE, "alone", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    settle(&w);
    assert_int_equal(contact_delete(J(&w, 0), ana, &e), K_OK);
    assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        int archived = 0;
        assert_true(exists(J(&w, i), ana, &archived));
        assert_int_equal(archived, 1);
        char *t = field_of(J(&w, i), ana, "title");
        assert_string_equal(t, "CTO");
        free(t);
        assert_false(exists(J(&w, i), ben, NULL));
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM contact_detail"), 1);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction"), 1);
    }
    assert_true(has_conflict(J(&w, 1), ana, "contact", "kept, archived"));
    assert_same_journals(&w);
    world_close(&w);
}

/* A contact kept against a delete is sent again with each value's own
 * stamp: a later edit made elsewhere still wins. P deletes Bo; L then sets
 * his title to CFO; later D sets it to COO (or, in the second run, his
 * company). L and D each keep Bo against the delete; L sent him again
 * with new stamps for every value, so CFO (and L's company) beat D's
 * later edit everywhere. Whatever the order of the syncs, Bo stays,
 * archived, with D's edit and L's title. */
static void test_sync_kept_keeps_later_edit(void **state)
{
    (void)state;
    static const char *const orders[] = {"012", "102", "021", "201", "120", "210"};
    enum { L, D, P };
    for (int other = 0; other < 2; other++) {
        for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
            struct world w;
            char bo[KID_LEN + 1];
            struct kerr e;
            const char *field = other ? "company" : "title";
            world_open(&w, 3);
            add(J(&w, L), "Bo Lind", "Acme", bo);
            settle(&w);
            assert_int_equal(contact_delete(J(&w, P), bo, &e), K_OK);
            sync_ok(&w, P, NULL);
            pause_ms(3);
            assert_int_equal(set_field(J(&w, L), bo, "title", "CFO"), K_OK);
            pause_ms(3);
            assert_int_equal(set_field(J(&w, D), bo, field, "COO"), K_OK);
            for (const char *c = orders[o]; *c; c++)
                sync_ok(&w, *c - '0', NULL);
            settle(&w);
            for (int i = 0; i < 3; i++) {
                int archived = 0;
                assert_true(exists(J(&w, i), bo, &archived));
                assert_int_equal(archived, 1);
                char *t = field_of(J(&w, i), bo, "title"), *c = field_of(J(&w, i), bo, "company");
                assert_string_equal(t, other ? "CFO" : "COO");
                assert_string_equal(c, other ? "COO" : "Acme");
                free(t);
                free(c);
            }
            assert_same_journals(&w);
            world_close(&w);
        }
    }
}

/* An edit the deleting machine had not seen keeps the contact against
 * the delete, even a later one: archived, with the edit, on both, and
 * both list the conflict, whichever machine syncs first. A delete made
 * after the edit had reached its machine takes the contact on both. */
static void test_sync_unseen_edit_against_later_delete(void **state)
{
    (void)state;
    for (int seen = 0; seen < 2; seen++) {
        for (int first = 0; first < 2; first++) {
            struct world w;
            char ana[KID_LEN + 1];
            struct kerr e;
            world_open(&w, 2);
            add(J(&w, 0), "Ana Ruiz", "Acme", ana);
            settle(&w);
            assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
            if (seen) {
                sync_ok(&w, 1, NULL);
                sync_ok(&w, 0, NULL); /* the edit, before the delete */
            }
            pause_ms(3);
            assert_int_equal(contact_delete(J(&w, 0), ana, &e), K_OK);
            sync_ok(&w, first, NULL);
            settle(&w);
            for (int i = 0; i < 2; i++) {
                int archived = 0;
                assert_int_equal(exists(J(&w, i), ana, &archived), !seen);
                if (seen)
                    continue;
                assert_int_equal(archived, 1);
                char *t = field_of(J(&w, i), ana, "title");
                assert_string_equal(t, "CTO");
                free(t);
                assert_true(has_conflict(J(&w, i), ana, "*", NULL));
            }
            assert_same_journals(&w);
            world_close(&w);
        }
    }
}

/* Something logged with a contact (an interaction with it and another, a
 * referral it made, a thank-you to it) on one machine, and a delete of the
 * contact on another, later, that had not seen it: like an edit, it keeps
 * the contact against the delete, archived, with what was logged, on
 * every machine, and every machine lists the conflict; the same with a
 * third machine that met the log and the delete in either order. A delete
 * made after the log had reached its machine takes the contact, and lists
 * nothing; so does a second delete made after the contact came back. */
static void unseen_log(int what, int seen, int first)
{
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], row[KID_LEN + 1], sql[200];
    struct kerr e;
    static const char *const table[] = {"interaction_contact", "referral", "thanks"};
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    settle(&w);
    const char *ids[] = {ana, ben};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "both", NULL};
    struct referral_input ri = {ana, NULL, "a job at Globex", NULL, KDATE_NONE, NULL, NULL};
    struct thanks_input ti = {ana, KDATE_NONE, NULL, NULL, NULL, "thanks"};
    if (what == 0)
        assert_int_equal(interaction_log(J(&w, 0), &in, row, &e), K_OK);
    else if (what == 1)
        assert_int_equal(referral_add(J(&w, 0), &ri, row, &e), K_OK);
    else
        assert_int_equal(thanks_add(J(&w, 0), &ti, row, &e), K_OK);
    if (seen) {
        sync_ok(&w, 0, NULL);
        sync_ok(&w, 1, NULL); /* the log, before the delete */
    }
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    /* The third machine meets the log first, or the delete. */
    sync_ok(&w, first, NULL);
    sync_ok(&w, 2, NULL);
    settle(&w);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s l JOIN contact c ON c.%s = l.%s",
             table[what], what ? "id" : "key",
             what == 0   ? "contact_key"
             : what == 1 ? "referrer_id"
                         : "contact_id");
    for (int i = 0; i < 3; i++) {
        int archived = 0;
        assert_int_equal(exists(J(&w, i), ana, &archived), !seen);
        assert_int_equal(has_conflict(J(&w, i), ana, "*", NULL), !seen);
        if (seen)
            continue;
        assert_int_equal(archived, 1);
        assert_int_equal(traw_int(w.r[i].path, sql), what ? 1 : 2);
    }
    assert_same_journals(&w);
    if (!seen) {
        /* Deleted again, once back. */
        assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
        settle(&w);
        for (int i = 0; i < 3; i++)
            assert_false(exists(J(&w, i), ana, NULL));
        assert_same_journals(&w);
    }
    world_close(&w);
}

static void test_sync_unseen_log_against_later_delete(void **state)
{
    (void)state;
    for (int what = 0; what < 3; what++)
        for (int seen = 0; seen < 2; seen++)
            for (int first = 0; first < 2; first++)
                unseen_log(what, seen, first);
}

/* The same day ticked on two machines is one tick; a reminder done on one
 * and snoozed on the other is one state. */
static void test_sync_tick_and_reminder(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ch[KID_LEN + 1], ref[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    assert_int_equal(challenge_start(J(&w, 0), tday("2026-11-20"), 30, ch, &e), K_OK);
    struct referral_input ri = {ana, NULL, "a job at Acme", NULL, tday("2026-11-01"), NULL, NULL};
    assert_int_equal(referral_add(J(&w, 0), &ri, ref, &e), K_OK);
    settle(&w);
    assert_int_equal(challenge_tick(J(&w, 0), tday("2026-11-22"), "coffee", NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_tick(J(&w, 1), tday("2026-11-22"), "call", NULL, NULL, &e), K_OK);
    struct reminder_list l[2];
    struct reminder_query q = {NULL, 0, 1};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(reminder_list(J(&w, i), &q, &l[i], &e), K_OK);
        assert_int_equal(l[i].n, 1);
    }
    assert_string_equal(l[0].v[0].id, l[1].v[0].id);
    assert_int_equal(reminder_done(J(&w, 0), l[0].v[0].id, NULL, &e), K_OK);
    assert_int_equal(reminder_snooze(J(&w, 1), l[1].v[0].id, 3, NULL, &e), K_OK);
    reminder_list_clear(&l[0]);
    reminder_list_clear(&l[1]);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM challenge_tick"), 1);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM reminder_state"), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* Two machines that each start a challenge before they sync both keep both
 * challenges, and agree on which one is running: challenge numbers are
 * per machine, so the later start (then the id) breaks their tie. */
static void test_sync_two_challenges(void **state)
{
    (void)state;
    struct world w;
    char c0[KID_LEN + 1], c1[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    settle(&w);
    assert_int_equal(challenge_start(J(&w, 0), tday("2026-11-20"), 30, c0, &e), K_OK);
    assert_int_equal(challenge_start(J(&w, 1), tday("2026-11-21"), 14, c1, &e), K_OK);
    settle(&w);
    struct challenge a[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM challenge"), 2);
        assert_int_equal(challenge_active(J(&w, i), &a[i], &e), K_OK);
    }
    assert_string_equal(a[0].id, a[1].id);
    assert_string_equal(a[0].id, c1);
    challenge_clear(&a[0]);
    challenge_clear(&a[1]);
    /* Ticks go to the running one on both machines, and stay one a day. */
    assert_int_equal(challenge_tick(J(&w, 0), tday("2026-11-22"), "coffee", NULL, NULL, &e), K_OK);
    assert_int_equal(challenge_tick(J(&w, 1), tday("2026-11-22"), "call", NULL, NULL, &e), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++)
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM challenge_tick"), 1);
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge on one replica moves a referral and a thank-you to the contact
 * kept, then deletes the other: applied elsewhere, the moved rows do not go
 * with the contact deleted (its delete is applied after the moves). */
static void test_sync_merge_moves(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], ref[KID_LEN + 1], th[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ana R.", "Acme", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ben, cy, NULL, NULL, tday("2026-11-01"), NULL, "intro"};
    assert_int_equal(referral_add(J(&w, 0), &ri, ref, &e), K_OK);
    struct thanks_input ti = {ben, tday("2026-11-02"), NULL, ref, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    /* Notes to join: the merge changes the kept contact's row first. */
    assert_int_equal(set_field(J(&w, 0), ana, "note", "met at SMG"), K_OK);
    assert_int_equal(set_field(J(&w, 0), ben, "note", "likes tea"), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 1), ana, ben, 1, &m, &e), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[200];
        assert_false(exists(J(&w, i), ben, NULL));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", ana);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM thanks WHERE contact_id = '%s'", ana);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* An undo is a change like any other: it reaches the other replica. A sync
 * is not in the undo history. */
static void test_sync_undo(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1];
    struct kerr e;
    struct history_step st;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    settle(&w);
    assert_int_equal(set_field(J(&w, 0), ana, "company", "Globex"), K_OK);
    settle(&w);
    assert_int_equal(history_undo(J(&w, 0), "cli", &st, &e), K_OK);
    history_step_clear(&st);
    settle(&w);
    char *c = field_of(J(&w, 1), ana, "company");
    assert_string_equal(c, "Acme");
    free(c);
    /* Replica 1 made no change of its own: nothing to undo there. */
    assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_NOTFOUND);
    assert_same_journals(&w);
    world_close(&w);
}

/* A contact deleted and the delete undone on one machine before it synced,
 * while another logged an interaction with it that the first had not
 * seen: the undo restores what was, so the delete takes nothing (the link
 * stays on both) and the contact is on both. */
static void test_sync_undone_delete_link(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], it[KID_LEN + 1];
    struct kerr e;
    struct history_step st;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    settle(&w);
    const char *ids[] = {ana, ben};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "both", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_OK);
    history_step_clear(&st);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        assert_true(exists(J(&w, i), ana, NULL));
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction_contact"), 2);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* The path of the last file replica i wrote into the folder. */
static void newest_file(struct world *w, int i, char *out, size_t n)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_open_v2(w->r[i].path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT replica, fileseq FROM sync_self", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, n, "%s/%s/%lld.changeset", w->dir, (const char *)sqlite3_column_text(st, 0),
                 (long long)sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(h);
    assert_true(out[0] != 0);
}

/* A contact deleted on one machine is kept by another's later edit; a
 * third had logged an interaction with it that neither had seen, older
 * than the delete: it keeps the contact too where the delete meets it,
 * and the link stays on all three, whichever order the changes meet in
 * (it once went with the delete: only what was logged later kept it). */
static void test_sync_kept_without_link(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], it[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    settle(&w);
    const char *ids[] = {ana, ben};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "both", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), ana, "title", "CTO"), K_OK);
    sync_ok(&w, 1, NULL); /* the delete */
    sync_ok(&w, 0, NULL); /* the interaction sent; the delete takes its link */
    /* Replica 2 has not got replica 0's file yet when it keeps the contact. */
    char file[400], away[420];
    newest_file(&w, 0, file, sizeof file);
    snprintf(away, sizeof away, "%s.away", file);
    assert_int_equal(rename(file, away), 0);
    sync_ok(&w, 2, NULL); /* kept: sent again, without the link */
    assert_int_equal(rename(away, file), 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        int archived = 0;
        assert_true(exists(J(&w, i), ana, &archived));
        assert_int_equal(archived, 1);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction_contact"), 2);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* The same with a referral to the contact: the delete emptied its target
 * where it met the referral (ON DELETE SET NULL), and the contact comes
 * back without it: the target is empty on all three. */
static void test_sync_kept_without_target(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], rf[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    settle(&w);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), ana, "title", "CTO"), K_OK);
    sync_ok(&w, 1, NULL); /* the delete */
    sync_ok(&w, 0, NULL); /* the referral sent; the delete empties its target */
    char file[400], away[420];
    newest_file(&w, 0, file, sizeof file);
    snprintf(away, sizeof away, "%s.away", file);
    assert_int_equal(rename(file, away), 0);
    sync_ok(&w, 2, NULL); /* kept: sent again, without the referral */
    assert_int_equal(rename(away, file), 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        assert_true(exists(J(&w, i), ana, NULL));
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM referral"
                                               " WHERE target_contact_id IS NULL"),
                         1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge on one machine moves a referral and a thank-you to a contact a
 * second machine added; a third gets the merge before that contact (its
 * file comes later): the moved rows wait for the contact instead of going
 * with the contact the merge deleted. */
static void test_sync_merge_before_keeper(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    settle(&w);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 1), &ri, rf, &e), K_OK);
    struct thanks_input ti = {ben, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 1), &ti, th, &e), K_OK);
    add(J(&w, 0), "Cy Park", NULL, cy);
    sync_ok(&w, 0, NULL); /* Cy */
    sync_ok(&w, 1, NULL); /* the referral sent; Cy applied */
    assert_int_equal(dupes_merge(J(&w, 1), cy, ben, 1, &m, &e), K_OK);
    sync_ok(&w, 1, NULL); /* the merge */
    char file[400], away[420];
    newest_file(&w, 0, file, sizeof file);
    snprintf(away, sizeof away, "%s.away", file);
    assert_int_equal(rename(file, away), 0);
    sync_ok(&w, 2, NULL); /* the merge without Cy */
    assert_int_equal(rename(away, file), 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        assert_false(exists(J(&w, i), ben, NULL));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM thanks WHERE contact_id = '%s' AND referral_id = '%s'", cy,
                 rf);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A referral moved by a merge to another contact before a third machine
 * deleted the contact it was moved from: the delete did not take it,
 * though a replica meets its insert (naming the deleted contact) after
 * that delete, with the contact kept against it by a later edit. */
static void test_sync_moved_before_delete(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    settle(&w);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    assert_int_equal(dupes_merge(J(&w, 0), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ben, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), ben, "title", "CTO"), K_OK);
    sync_ok(&w, 1, NULL); /* the delete */
    sync_ok(&w, 2, NULL); /* Ben kept against it, sent again */
    sync_ok(&w, 1, NULL); /* Ben back on 1 */
    sync_ok(&w, 0, NULL); /* the referral and the merge */
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A thank-you arrives before its contact and its referral (the file that
 * adds them comes later): it waits for its contact, and comes with its
 * referral, not with the referral emptied as if it had been deleted. */
static void test_sync_thanks_before_referral(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    settle(&w);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    sync_ok(&w, 0, NULL); /* Ben and the referral */
    sync_ok(&w, 2, NULL);
    struct thanks_input ti = {ben, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 2), &ti, th, &e), K_OK);
    sync_ok(&w, 2, NULL); /* the thank-you */
    char file[400], away[420];
    newest_file(&w, 0, file, sizeof file);
    snprintf(away, sizeof away, "%s.away", file);
    assert_int_equal(rename(file, away), 0);
    sync_ok(&w, 1, NULL); /* the thank-you without Ben and the referral */
    assert_int_equal(rename(away, file), 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM thanks WHERE referral_id = '%s'", rf);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A link a merge made (an interaction moved to the contact kept) that the
 * machine deleting the interaction had not seen goes with that delete; a
 * third machine that sent the interaction again later (it kept a contact
 * logged with it against a delete) and meets the interaction's delete
 * after that keeps the interaction, but not that link: as where the
 * delete came first. */
static void test_sync_resent_before_delete(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], it[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    const char *ids[] = {ana, ben};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "both", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 2), cy, ben, 1, &m, &e), K_OK);
    assert_int_equal(contact_delete(J(&w, 2), ana, &e), K_OK);
    pause_ms(3);
    assert_int_equal(interaction_delete(J(&w, 0), it, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
    sync_ok(&w, 2, NULL); /* the merge and Ana's delete */
    sync_ok(&w, 1, NULL); /* Ana kept: sent again with the interaction */
    sync_ok(&w, 0, NULL); /* the interaction's delete */
    settle(&w);
    for (int i = 0; i < 3; i++) {
        assert_true(exists(J(&w, i), ana, NULL));
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction"), 1);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction_contact"), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* An interaction logged with one contact alone: one machine merges that
 * contact into another (the link moves), a second deletes it, not having
 * seen the merge (the interaction goes with it there, deleted by the
 * delete itself). Where the merge came first, the interaction was no
 * longer the deleted contact's alone: it stays, with the contact merged
 * into, on every machine, whichever order they meet the two in (a third
 * meets the merge first, then the delete, or the other way). Where the
 * delete came first, it took the interaction, on every machine. */
static void test_sync_merge_moves_before_delete(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        struct world w;
        char xia[KID_LEN + 1], yui[KID_LEN + 1], it[KID_LEN + 1];
        struct dupes_moved m;
        struct kerr e;
        int later = round == 2; /* the merge later than the delete */
        world_open(&w, 3);
        add(J(&w, 0), "Yui Tanaka", NULL, yui);
        add(J(&w, 0), "Xia Chen", NULL, xia);
        const char *ids[] = {xia};
        struct interaction_input in = {ids, 1, "coffee", KDIR_GAVE, KDATE_NONE, "alone", NULL};
        assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
        settle(&w);
        if (later) {
            assert_int_equal(contact_delete(J(&w, 1), xia, &e), K_OK);
            pause_ms(3);
        }
        assert_int_equal(dupes_merge(J(&w, 0), yui, xia, 1, &m, &e), K_OK);
        pause_ms(3);
        if (!later)
            assert_int_equal(contact_delete(J(&w, 1), xia, &e), K_OK);
        sync_ok(&w, round == 1 ? 1 : 0, NULL);
        sync_ok(&w, 2, NULL); /* the first of the two */
        sync_ok(&w, round == 1 ? 0 : 1, NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            char sql[200];
            assert_false(exists(J(&w, i), xia, NULL));
            assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM interaction"), !later);
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM interaction_contact WHERE interaction_id = '%s'"
                     " AND contact_key = (SELECT key FROM contact WHERE id = '%s')",
                     it, yui);
            assert_int_equal(traw_int(w.r[i].path, sql), !later);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* A merge moves a referral to a contact deleted on the other machine, and
 * is undone: where the referral waits for that contact (the merge's move
 * parked), the undo's move back goes into what waits, and the referral
 * ends with its first referrer on both machines. */
static void test_sync_undo_of_waiting_move(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct history_step st;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(contact_delete(J(&w, 1), cy, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 0), cy, "title", "CTO"), K_OK);
    assert_int_equal(dupes_merge(J(&w, 0), cy, ben, 1, &m, &e), K_OK);
    assert_int_equal(history_undo(J(&w, 0), "cli", &st, &e), K_OK);
    history_step_clear(&st);
    sync_ok(&w, 0, NULL); /* the edit, the merge and its undo */
    sync_ok(&w, 1, NULL); /* met where Cy is deleted */
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[200];
        assert_true(exists(J(&w, i), cy, NULL));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", ben);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge moves a referral away from a contact that another machine then
 * deletes without having seen the referral; a third machine, which has the
 * referral with that contact, applies the delete first and the merge
 * after: the referral, which the delete had not seen, keeps the contact
 * there (it once went with the delete, and came back with the merge's
 * move); the contact comes back everywhere, archived, with the referral,
 * sent again later than the merge's move. */
static void test_sync_cascade_then_move(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    settle(&w);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    sync_ok(&w, 0, NULL);
    sync_ok(&w, 2, NULL); /* the referral, on 0 and 2 only */
    assert_int_equal(dupes_merge(J(&w, 0), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ben, &e), K_OK);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 2, NULL); /* the delete takes the referral there */
    sync_ok(&w, 0, NULL); /* the merge */
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        int archived = 0;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", ben);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_true(exists(J(&w, i), ben, &archived));
        assert_int_equal(archived, 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge on one machine moves a referral and a thank-you away from a
 * contact that a second machine, which has the referral and thank-you but
 * not the merge, then deletes: its delete names them (they went with the
 * contact there). In whichever order the merge and the delete arrive, the
 * rows stay with the contact kept, as the later move brings back what only
 * went by cascade. */
static void delete_without_move(int delete_first)
{
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ben, ana, NULL, NULL, tday("2026-11-01"), NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    struct thanks_input ti = {ben, tday("2026-11-02"), NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 1), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 2), ben, &e), K_OK);
    if (delete_first) {
        sync_ok(&w, 2, NULL);
        sync_ok(&w, 0, NULL); /* the delete first */
        sync_ok(&w, 1, NULL);
        sync_ok(&w, 0, NULL); /* then the merge */
    } else {
        sync_ok(&w, 1, NULL);
        sync_ok(&w, 0, NULL); /* the merge first */
        sync_ok(&w, 2, NULL);
        sync_ok(&w, 0, NULL); /* then the delete */
    }
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        assert_false(exists(J(&w, i), ben, NULL));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE referrer_id = '%s'", cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM thanks WHERE contact_id = '%s'", cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_delete_without_move(void **state)
{
    (void)state;
    delete_without_move(1);
    delete_without_move(0);
}

/* A merge on one machine moves a referral, that another machine made, to
 * the contact kept; a third gets the merge before the referral (the file
 * that adds it comes later): the move waits, and the referral, when it
 * comes, comes with it, not as gone with the contact the merge deleted
 * (the move is not later than that delete: it is the same change). With
 * kept set, the contact merged away comes back too (kept against the
 * merge's delete by a later edit): the referral still stays with the
 * contact it was moved to. */
static void insert_after_move(int kept)
{
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    settle(&w);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 1), &ri, rf, &e), K_OK);
    sync_ok(&w, 1, NULL); /* the referral */
    char file[400], away[420];
    newest_file(&w, 1, file, sizeof file);
    sync_ok(&w, 2, NULL);
    assert_int_equal(dupes_merge(J(&w, 2), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    if (kept)
        assert_int_equal(set_field(J(&w, 1), ben, "title", "CTO"), K_OK);
    sync_ok(&w, 2, NULL); /* the merge */
    snprintf(away, sizeof away, "%s.away", file);
    assert_int_equal(rename(file, away), 0);
    sync_ok(&w, 0, NULL); /* the merge without the referral */
    assert_int_equal(rename(away, file), 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_int_equal(exists(J(&w, i), ben, NULL), kept);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_insert_after_move(void **state)
{
    (void)state;
    insert_after_move(0);
    insert_after_move(1);
}

/* The folder of replica i's files, moved away (away = 1) or back: the
 * other replicas do not see its files meanwhile. */
static void hide_replica(struct world *w, int i, int away)
{
    char file[400], dir[400], moved[420];
    newest_file(w, i, file, sizeof file);
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(file, '/') - file), file);
    snprintf(moved, sizeof moved, "%s.away", dir);
    assert_int_equal(away ? rename(dir, moved) : rename(moved, dir), 0);
}

/* The fields of an entity's conflicts, comma-separated, in order. */
static int field_of_conflict(const struct kconflict *c, void *ud)
{
    struct conflicts *k = ud;
    if (!strcmp(c->entity_id, k->id)) {
        char *was = (char *)k->value;
        size_t n = strlen(was ? was : "") + strlen(c->field) + 2;
        char *v = malloc(n);
        snprintf(v, n, "%s%s%s", was ? was : "", was ? "," : "", c->field);
        free(was);
        k->value = v;
    }
    return 0;
}

static char *conflict_fields(struct journal *j, const char *id)
{
    struct conflicts k = {0, id, NULL, NULL, 0};
    struct kerr e;
    assert_int_equal(sync_conflicts(j, 0, field_of_conflict, &k, &e), K_OK);
    return (char *)(k.value ? k.value : strdup(""));
}

/* A edits a contact, B deletes it earlier; C receives both, in either
 * order. Where C gets the edit first it keeps the contact (archived) and
 * sends it again whole; A may get that before B's delete. The archived C
 * sends is the keep's, not a change of C's: the conflicts each replica
 * lists are the keep (or the delete) alone, whatever the order, never an
 * "archived" field. */
static void test_sync_kept_archived_not_a_conflict(void **state)
{
    (void)state;
    enum { A, B, C };
    for (int edit_first = 0; edit_first < 2; edit_first++) {
        for (int resent_first = 0; resent_first < 2 - !edit_first; resent_first++) {
            struct world w;
            char xe[KID_LEN + 1];
            struct kerr e;
            world_open(&w, 3);
            add(J(&w, A), "Xena Pol", "Acme", xe);
            settle(&w);
            assert_int_equal(contact_delete(J(&w, B), xe, &e), K_OK);
            pause_ms(3);
            assert_int_equal(set_field(J(&w, A), xe, "company", "Globex"), K_OK);
            if (edit_first) {
                sync_ok(&w, A, NULL); /* the edit */
                sync_ok(&w, C, NULL); /* C has the edit */
                sync_ok(&w, B, NULL); /* the delete */
                sync_ok(&w, C, NULL); /* C keeps Xena, sends her again */
                /* A gets C's Xena before B's delete, or after it. */
                hide_replica(&w, resent_first ? B : C, 1);
                sync_ok(&w, A, NULL);
                hide_replica(&w, resent_first ? B : C, 0);
            } else {
                sync_ok(&w, B, NULL); /* the delete */
                sync_ok(&w, C, NULL); /* C has the delete */
                sync_ok(&w, A, NULL); /* A keeps Xena, sends her again */
            }
            settle(&w);
            /* "contact" lines only: the replica that deleted may be told
             * twice, by the edit (in one sync) and by the contact coming
             * back (in a later one). */
            for (int i = 0; i < 3; i++) {
                int archived = 0;
                assert_true(exists(J(&w, i), xe, &archived));
                assert_int_equal(archived, 1);
                char *f = conflict_fields(J(&w, i), xe);
                if (strcmp(f, "contact") && (i != B || strcmp(f, "contact,contact")))
                    fail_msg("edit first %d, resent first %d: replica %d lists %s", edit_first,
                             resent_first, i, f);
                free(f);
            }
            assert_same_journals(&w);
            world_close(&w);
        }
    }
}

/* A merge on one machine moves a referral to the contact kept, which a
 * second machine, not having seen the merge, deletes later; a third keeps
 * that contact against the delete (an edit the delete had not seen) and
 * sends it again, before it gets the merge. The second machine edits the
 * contact after the merge, before its delete; the merge's move of the
 * referral is one the delete had not seen all the same (it once was not:
 * the edit was later than the merge's edit of the contact, and where the
 * merge's machine met the delete before the third's edit, the referral
 * went with it). The merge's machine keeps the contact too, with the
 * referral, and sends both again, whichever it meets first: the referral
 * stays everywhere. */
static void move_into_kept(int edit_first)
{
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ben, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 0), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    /* Later than the merge: what the merge wrote of Cy, its delete carries
     * later. */
    assert_int_equal(set_field(J(&w, 2), cy, "company", "Initech"), K_OK);
    assert_int_equal(contact_delete(J(&w, 2), cy, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), cy, "title", "CTO"), K_OK);
    sync_ok(&w, 2, NULL); /* the delete */
    sync_ok(&w, 1, NULL); /* Cy kept: sent again, without the referral */
    int hidden = edit_first ? 2 : 1;
    hide_replica(&w, hidden, 1);
    sync_ok(&w, 0, NULL); /* the merge; the delete, or the edit, first */
    hide_replica(&w, hidden, 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_true(exists(J(&w, i), cy, NULL));
        assert_false(exists(J(&w, i), ben, NULL));
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_move_into_kept(void **state)
{
    (void)state;
    move_into_kept(0);
    move_into_kept(1);
}

/* An interaction with two contacts: one machine deletes the first (it
 * takes the link), the other keeps that contact by a later edit and sends
 * it again with the link. Before it gets that, the first machine deletes
 * the second contact, and the interaction with it, with that contact
 * alone there; the other keeps that contact too (a later edit), and the
 * interaction with it. Where the delete came first, the interaction comes
 * back with what is sent again with the contact kept: the link to the
 * first contact, older than the delete, is gone on both. */
static void test_sync_kept_interaction_link(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], it[KID_LEN + 1];
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    const char *ids[] = {ana, ben};
    struct interaction_input in = {ids, 2, "coffee", KDIR_GAVE, KDATE_NONE, "both", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    settle(&w);
    assert_int_equal(contact_delete(J(&w, 0), ana, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
    sync_ok(&w, 0, NULL); /* Ana's delete */
    sync_ok(&w, 1, NULL); /* Ana kept: sent again with the link */
    /* Later than that: in the same millisecond the replica ids would
     * decide, and the link sent again could be the later (both replicas
     * then keep it, alike). */
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ben, "title", "CFO"), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[200];
        assert_true(exists(J(&w, i), ana, NULL));
        assert_true(exists(J(&w, i), ben, NULL));
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM interaction_contact WHERE interaction_id = '%s'", it);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* Two machines merge the same contact into two others; the first then
 * deletes the contact the second merged into, not having seen that merge.
 * The later move wins (to the contact deleted). The merge keeps the
 * contact against the delete, archived, with the referral, on both, also
 * where the first machine had edited that contact after the merge: the
 * merge's move of the referral is a change the delete had not seen (it
 * once took the referral then, as the edit was later than the merge's
 * edit of the contact). */
static void test_sync_move_into_deleted(void **state)
{
    (void)state;
    for (int edited = 0; edited < 2; edited++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 2);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        add(J(&w, 0), "Cy Park", NULL, cy);
        add(J(&w, 0), "Dan Wu", NULL, dan);
        struct referral_input ri = {dan, ana, NULL, NULL, KDATE_NONE, NULL, "to Ana"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 0), ben, dan, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 1), cy, dan, 1, &m, &e), K_OK);
        pause_ms(3);
        /* Later than the merge: what the merge wrote of Cy, the delete
         * carries later. */
        if (edited)
            assert_int_equal(set_field(J(&w, 0), cy, "company", "Initech"), K_OK);
        assert_int_equal(contact_delete(J(&w, 0), cy, &e), K_OK);
        sync_ok(&w, 0, NULL); /* Dan merged into Ben; Cy deleted */
        sync_ok(&w, 1, NULL); /* Cy's delete takes the referral, or not */
        sync_ok(&w, 0, NULL); /* Dan merged into Cy, after Cy's delete */
        settle(&w);
        for (int i = 0; i < 2; i++) {
            char sql[200];
            int archived = 0;
            snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE id = '%s'", rf);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf,
                     cy);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            assert_true(exists(J(&w, i), ben, NULL));
            assert_int_equal(exists(J(&w, i), cy, &archived), 1);
            assert_int_equal(archived, 1);
            assert_false(exists(J(&w, i), dan, NULL));
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* A merge on one machine moves a referral to a contact a second machine
 * added; a third gets the merge before that contact, so the move waits
 * there, and the merge's delete of the contact merged away takes the
 * referral there meanwhile (it comes back with the move), emptying a
 * thank-you's referral on the way (one to another contact, as where the
 * thank-you and the referral went different ways on two machines). When
 * the referral is back, so is the thank-you's: as where the move came
 * first. */
static void test_sync_waiting_move_keeps_thanks(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], zoe[KID_LEN + 1], rf[KID_LEN + 1],
        th[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    char sql[300];
    world_open(&w, 3);
    ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
    /* Before sync is on: the thank-you is Cy's, the referral Ana's. */
    snprintf(sql, sizeof sql, "UPDATE thanks SET contact_id = '%s' WHERE id = '%s'", cy, th);
    traw_exec(w.r[0].path, sql);
    settle(&w);
    add(J(&w, 2), "Zoe Lind", NULL, zoe);
    sync_ok(&w, 2, NULL); /* Zoe */
    sync_ok(&w, 0, NULL);
    assert_int_equal(dupes_merge(J(&w, 0), zoe, ana, 1, &m, &e), K_OK);
    sync_ok(&w, 0, NULL); /* the merge */
    hide_replica(&w, 2, 1);
    sync_ok(&w, 1, NULL); /* the merge before Zoe: the move waits */
    hide_replica(&w, 2, 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, zoe);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'", th, rf);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge on one machine moves a referral away from a contact that the
 * other machine, not having seen the merge, deletes later (the referral
 * goes with it there), and then deletes the referral's target too. The
 * merge brings the referral back there, with its target empty as the
 * target's delete left it: as where the merge came first. */
static void test_sync_revive_without_target(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Cy Park", NULL, cy);
    add(J(&w, 0), "Dan Wu", NULL, dan);
    struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 0), cy, ana, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    assert_int_equal(contact_delete(J(&w, 1), dan, &e), K_OK);
    sync_ok(&w, 0, NULL); /* the merge */
    sync_ok(&w, 1, NULL); /* the merge after both deletes */
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'"
                 " AND target_contact_id IS NULL",
                 rf, cy);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* One machine deletes a referral and undoes that; the other, not having
 * seen either, thanks for the referral in between. Where the delete comes
 * after the thank-you it empties the thank-you's referral, though the
 * thank-you is later than the delete: when the referral is back, so is
 * the thank-you's, as on the machine that never let it go. */
static void test_sync_later_thanks_kept(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    struct history_step hs;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Dan Wu", NULL, dan);
    struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(referral_delete(J(&w, 1), rf, &e), K_OK);
    pause_ms(3);
    struct thanks_input ti = {ana, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    pause_ms(3);
    assert_int_equal(history_undo(J(&w, 1), "cli", &hs, &e), K_OK);
    history_step_clear(&hs);
    sync_ok(&w, 0, NULL); /* the thank-you */
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 0, NULL); /* the delete, then the referral back */
    settle(&w);
    for (int i = 0; i < 2; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'", th, rf);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A contact deleted on one machine, with its referral, emptying a
 * thank-you's referral (one to another contact); the other machine keeps
 * the contact by a later edit, and the referral with it. The delete
 * emptied the thank-you's referral itself, as it named it: it stays empty
 * on both, though the referral stays. */
static void test_sync_kept_referral_thanks(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    struct kerr e;
    char sql[300];
    world_open(&w, 2);
    ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
    /* Before sync is on: the thank-you is Cy's, the referral Ana's. */
    snprintf(sql, sizeof sql, "UPDATE thanks SET contact_id = '%s' WHERE id = '%s'", cy, th);
    traw_exec(w.r[0].path, sql);
    settle(&w);
    assert_int_equal(contact_delete(J(&w, 0), ana, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        assert_true(exists(J(&w, i), ana, NULL));
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE id = '%s'", rf);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id IS NULL", th);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge moves Ana's referral and thank-you to Cy; another replica, not
 * having seen it, deletes Ana; a third, not having seen either, edits Ana
 * (before or after the delete: later, Ana is kept against it). The
 * referral had left Ana before the delete: it is not Ana's to keep or to
 * lose, and the thank-you keeps it on every replica, whatever the order of
 * the syncs (the kept replica once emptied the thank-you's referral,
 * alone). With the edit after the delete, the editing replica that meets
 * the delete before the merge (orders 210 and 2120 always; others where
 * the deleting replica's id sorts first) keeps Ana with the referral and
 * the thank-you and sends them again, later than the merge: every replica
 * once left both on the archived Ana. */
static void moved_before_kept_delete(int edit_after_delete)
{
    static const char *const orders[] = {"012",  "021",  "102",  "120",  "201",  "210",
                                         "0121", "2010", "1021", "1202", "0212", "2120"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
        struct dupes_moved m;
        struct kerr e;
        char sql[300];
        world_open(&w, 3);
        ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 0), cy, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        if (!edit_after_delete) {
            assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
            pause_ms(3);
        }
        assert_int_equal(contact_delete(J(&w, 2), ana, &e), K_OK);
        pause_ms(3);
        if (edit_after_delete) {
            assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
            pause_ms(3);
        }
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'"
                     " AND contact_id = '%s'",
                     th, rf, cy);
            if (traw_int(w.r[i].path, sql) != 1)
                print_message("edit %s the delete, order %s: replica %d lost the referral\n",
                              edit_after_delete ? "after" : "before", orders[o], i);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf,
                     cy);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            int archived = 0;
            if (edit_after_delete) {
                assert_true(exists(J(&w, i), ana, &archived));
                assert_int_equal(archived, 1);
            }
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

static void test_sync_moved_before_kept_delete(void **state)
{
    (void)state;
    moved_before_kept_delete(0);
}

static void test_sync_moved_before_later_kept_delete(void **state)
{
    (void)state;
    moved_before_kept_delete(1);
}

/* A referral and a thank-you for it, an interaction with Ana alone and one
 * with Ana and Dan, made on replica 1, reach replica 0; replica 2 deletes
 * Ana (with named set, after it had them too: its delete names them), and
 * replica 0, not having seen the delete, then merges Ana into Cy, moving
 * them. A delete that did not name them had not seen them: where it meets
 * them with Ana (replica 1, before the merge) they keep her against it,
 * archived, and nothing of them is lost anywhere; the contact they end
 * with, Cy or Ana kept, follows the order the replicas met the changes
 * in, the same on every replica (they once went with the delete, and came
 * back with the move). A delete that named them takes them everywhere,
 * the later move too. */
static void move_after_unseen_delete(int named)
{
    static const char *const orders[] = {"02",  "20",   "012",  "021",  "102",  "120",  "201",
                                         "210", "0121", "2010", "1021", "1202", "0212", "2120"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1],
            it[KID_LEN + 1], it1[KID_LEN + 1];
        struct dupes_moved m;
        struct kerr e;
        char sql[300];
        world_open(&w, 3);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Cy Park", NULL, cy);
        add(J(&w, 0), "Dan Wu", NULL, dan);
        settle(&w);
        struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
        assert_int_equal(referral_add(J(&w, 1), &ri, rf, &e), K_OK);
        struct thanks_input ti = {ana, KDATE_NONE, NULL, rf, NULL, "thanks"};
        assert_int_equal(thanks_add(J(&w, 1), &ti, th, &e), K_OK);
        const char *two[] = {ana, dan};
        struct interaction_input in = {two, 2, "call", KDIR_GAVE, KDATE_NONE, "both", NULL};
        assert_int_equal(interaction_log(J(&w, 1), &in, it, &e), K_OK);
        in.ncontacts = 1;
        in.summary = "alone";
        assert_int_equal(interaction_log(J(&w, 1), &in, it1, &e), K_OK);
        sync_ok(&w, 1, NULL);
        sync_ok(&w, 0, NULL);
        if (named)
            sync_ok(&w, 2, NULL);
        assert_int_equal(contact_delete(J(&w, 2), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 0), cy, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3 && !named; i++) {
            int archived = 0;
            if (exists(J(&w, i), ana, &archived))
                assert_int_equal(archived, 1);
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'"
                     " AND contact_id IN ('%s', '%s')",
                     th, rf, cy, ana);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            snprintf(
                sql, sizeof sql,
                "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id IN ('%s', '%s')", rf,
                cy, ana);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            for (int k = 0; k < 2; k++) {
                snprintf(sql, sizeof sql,
                         "SELECT count(*) FROM interaction_contact l JOIN contact c"
                         " ON c.key = l.contact_key WHERE c.id = '%s' AND l.interaction_id = '%s'",
                         cy, k ? it1 : it);
                assert_int_equal(traw_int(w.r[i].path, sql), 1);
            }
        }
        for (int i = 0; i < 3 && named; i++) {
            assert_false(exists(J(&w, i), ana, NULL));
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'"
                     " AND contact_id = '%s'",
                     th, rf, cy);
            if (traw_int(w.r[i].path, sql) != !named)
                print_message("order %s: replica %d %s the thank-you\n", orders[o], i,
                              named ? "kept" : "lost");
            assert_int_equal(traw_int(w.r[i].path, sql), !named);
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf,
                     cy);
            assert_int_equal(traw_int(w.r[i].path, sql), !named);
            /* The interaction with Ana alone goes with a delete that
             * named it; the one with Dan too was not the delete's. */
            for (int k = 0; k < 2; k++) {
                snprintf(sql, sizeof sql,
                         "SELECT count(*) FROM interaction_contact l JOIN contact c"
                         " ON c.key = l.contact_key WHERE c.id = '%s' AND l.interaction_id = '%s'",
                         cy, k ? it1 : it);
                assert_int_equal(traw_int(w.r[i].path, sql), k ? !named : 1);
            }
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

static void test_sync_move_after_unseen_delete(void **state)
{
    (void)state;
    move_after_unseen_delete(0);
    move_after_unseen_delete(1);
}

/* As test_sync_moved_before_later_kept_delete, but replica 1 had deleted
 * Cy, the contact the merge moves Ana's rows to, before the merge: where
 * replica 1 meets the merge, the row it would move the kept referral to
 * is not there, and the referral stays with Ana, kept, while Cy comes back
 * too (kept against that delete by the merge, which changed it later).
 * The sync once stopped there, unable to apply the move. Which of the two
 * the referral ends with follows the stamps the two sent again carry, the
 * same on every replica. */
static void test_sync_kept_move_into_deleted(void **state)
{
    (void)state;
    static const char *const orders[] = {"210", "2120", "2102", "021"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 3);
        ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
        settle(&w);
        assert_int_equal(contact_delete(J(&w, 1), cy, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 0), cy, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 2), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 1), ana, "title", "CTO"), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            char sql[300];
            snprintf(
                sql, sizeof sql,
                "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id IN ('%s', '%s')", rf,
                ana, cy);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
            assert_true(exists(J(&w, i), ana, NULL));
            assert_true(exists(J(&w, i), cy, NULL));
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* One machine merges Ana into Ben, moving Ana's referral to Ben, and
 * undoes the merge: the referral is Ana's again. The other machine, not
 * having seen either, edits Ben after both (so they, edits of Ben too, are
 * not ones its delete had not seen: else Ben would stay, archived) and
 * then deletes him. Where the delete came after the undo, the referral is
 * Ana's and stays; where the merge and its undo come after the delete, the
 * move to Ben goes with the delete and the undo's move back, not later
 * than the delete, brings it back: the referral stays on both. */
static void test_sync_undone_move_into_deleted(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    struct dupes_moved m;
    struct history_step st;
    struct kerr e;
    char sql[200];
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ana, cy, NULL, NULL, KDATE_NONE, NULL, "to Cy"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 1), ben, ana, 1, &m, &e), K_OK);
    assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_OK);
    history_step_clear(&st);
    pause_ms(3);
    /* Later than the merge and the undo: what they wrote of Ben, the
     * delete carries later. */
    assert_int_equal(set_field(J(&w, 0), ben, "company", "Initech"), K_OK);
    assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
    sync_ok(&w, 1, NULL); /* the merge and its undo */
    sync_ok(&w, 0, NULL); /* met where Ben is deleted */
    settle(&w);
    for (int i = 0; i < 2; i++) {
        assert_false(exists(J(&w, i), ben, NULL));
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, ana);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* As above (Ben edited, then deleted, after the merge and its undo), with
 * a thank-you for Ana's referral, made to Ana (it moves with the merge and
 * back with the undo) or to Cy (it stays). Where Ben's delete came after
 * the undo the referral was never Ben's when he went, so the thank-you
 * keeps its referral; where the delete came first, the
 * merge's move took the referral with Ben for a while (emptying the
 * thank-you's referral on the way, ON DELETE SET NULL) and the undo
 * brought it back: the thank-you's referral comes back with it. */
static void test_sync_undone_move_keeps_thanks(void **state)
{
    (void)state;
    for (int moved = 0; moved < 2; moved++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1];
        char rf[KID_LEN + 1], th[KID_LEN + 1], sql[300];
        struct dupes_moved m;
        struct history_step st;
        struct kerr e;
        world_open(&w, 2);
        ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        if (!moved) {
            snprintf(sql, sizeof sql, "UPDATE thanks SET contact_id = '%s' WHERE id = '%s'", cy,
                     th);
            traw_exec(w.r[0].path, sql);
        }
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 1), ben, ana, 1, &m, &e), K_OK);
        assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_OK);
        history_step_clear(&st);
        pause_ms(3);
        /* Later than the merge and the undo, as above. */
        assert_int_equal(set_field(J(&w, 0), ben, "company", "Initech"), K_OK);
        assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
        sync_ok(&w, 1, NULL); /* the merge and its undo */
        sync_ok(&w, 0, NULL); /* met where Ben is deleted */
        settle(&w);
        for (int i = 0; i < 2; i++) {
            assert_false(exists(J(&w, i), ben, NULL));
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'"
                     " AND contact_id = '%s'",
                     th, rf, moved ? ana : cy);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* As test_sync_undone_move_into_deleted, with the undo later than the
 * delete, and three replicas: replica 1 merges Ana into Ben (Ana's
 * referral moves to Ben); replica 2, not having seen it, deletes Ben; then
 * replica 1 undoes the merge. Where the undo came before the delete, the
 * referral was Ana's again and the delete left it; where the merge came
 * after the delete, its move took the referral with Ben, and the undo,
 * later than a delete that did not name the referral, brings it back (once
 * it stayed gone there: seed 43 clock 3 of the property). */
static void test_sync_undo_after_unseen_delete(void **state)
{
    (void)state;
    static const char *const orders[] = {"12",  "21",  "012",  "021",  "102",  "120",
                                         "201", "210", "2101", "1210", "0212", "2012"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1], sql[200];
        struct dupes_moved m;
        struct history_step st;
        struct kerr e;
        world_open(&w, 3);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        add(J(&w, 0), "Cy Park", NULL, cy);
        struct referral_input ri = {ana, cy, NULL, NULL, KDATE_NONE, NULL, "to Cy"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 1), ben, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 2), ben, &e), K_OK);
        pause_ms(3);
        assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_OK);
        history_step_clear(&st);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf,
                     ana);
            if (traw_int(w.r[i].path, sql) != 1)
                print_message("order %s: replica %d lost the referral\n", orders[o], i);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* As above, but replica 2 had the merge when it deleted Ben: its delete
 * names the referral (on Ben there), and takes it everywhere, though the
 * undo is later. Replica 0 meets the delete before the merge (the referral
 * is Ana's there and stays), then the merge (its move to Ben goes with the
 * delete) and the undo: the referral, named by the delete, stays gone
 * there too. */
static void test_sync_undo_after_named_delete(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1], sql[200];
    struct dupes_moved m;
    struct history_step st;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    struct referral_input ri = {ana, cy, NULL, NULL, KDATE_NONE, NULL, "to Cy"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 1), ben, ana, 1, &m, &e), K_OK);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 2, NULL); /* the merge */
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 2), ben, &e), K_OK);
    sync_ok(&w, 2, NULL);
    pause_ms(3);
    assert_int_equal(history_undo(J(&w, 1), "cli", &st, &e), K_OK);
    history_step_clear(&st);
    sync_ok(&w, 1, NULL);
    hide_replica(&w, 1, 1);
    sync_ok(&w, 0, NULL); /* the delete, before the merge */
    hide_replica(&w, 1, 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE id = '%s'", rf);
        if (traw_int(w.r[i].path, sql) != 0)
            print_message("replica %d kept the referral\n", i);
        assert_int_equal(traw_int(w.r[i].path, sql), 0);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* Replica 1 logs a call with Ana alone; replica 2, not having seen it,
 * deletes Ana; replica 1 then deletes her too (its delete names the call);
 * replica 0 edits her later than both, and keeps her against each delete.
 * Where replica 0 kept her against the first delete before the call came
 * (orders with a 0 between the 2 and the 1), she came back without it, and
 * the call's link to her, older than that delete, went with it: the call is
 * no one's there. The second delete, which names the call with her, does
 * not keep it with her: it takes it, as everywhere else (once replica 0
 * alone kept the call, with no one on it: seed 76 clock 2 of the
 * property). Where replica 0 meets both deletes in one sync, the order of
 * the replicas' ids decides which it keeps Ana against first, and so
 * whether the call stays with her: the same everywhere, with her. */
static void test_sync_kept_without_gone_link(void **state)
{
    (void)state;
    static const char *const orders[] = {"201", "2010", "0201", "2012", "2100", "1200", "0120"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], it[KID_LEN + 1], sql[300];
        struct kerr e;
        int seen = strstr(orders[o], "201") != NULL, calls = -1;
        world_open(&w, 3);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        settle(&w);
        const char *one[] = {ana};
        struct interaction_input in = {one, 1, "call", KDIR_GAVE, KDATE_NONE, "alone", NULL};
        assert_int_equal(interaction_log(J(&w, 1), &in, it, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 2), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 0), ana, "title", "CTO"), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            snprintf(sql, sizeof sql, "SELECT count(*) FROM interaction WHERE id = '%s'", it);
            int n = traw_int(w.r[i].path, sql);
            if (calls < 0)
                calls = n;
            if (n != calls || (seen && n))
                print_message("order %s: replica %d has %d call(s)\n", orders[o], i, n);
            assert_int_equal(n, calls);
            if (seen)
                assert_int_equal(n, 0);
            /* The call, where it stays, is Ana's. */
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM interaction_contact l JOIN contact c"
                     " ON c.key = l.contact_key WHERE c.id = '%s' AND l.interaction_id = '%s'",
                     ana, it);
            assert_int_equal(traw_int(w.r[i].path, sql), n);
            assert_true(exists(J(&w, i), ana, NULL));
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* Ana's referral to Dan: replica 1 merges Dan into Cy (the referral's
 * target moves to Cy); replica 0, not having seen it, merges Dan into Ben
 * later (the target moves to Ben); replica 1 then deletes Cy, not having
 * seen that, and its delete empties the target there (ON DELETE SET NULL).
 * Where the move to Ben came first the delete found the target on Ben and
 * left it; where it came after the NULL, later than the NULL's value (the
 * move to Cy), it wins too: the target is Ben's everywhere (once replica 1
 * kept the NULL, later than the move: seed 22 clock 3 of the property with
 * a merged-away contact kept without the links the merge moved). */
static void test_sync_move_over_deleted_target(void **state)
{
    (void)state;
    static const char *const orders[] = {"01", "10", "012", "102", "120", "210", "0121", "1021"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1];
        char rf[KID_LEN + 1], sql[200];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 3);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        add(J(&w, 0), "Cy Park", NULL, cy);
        add(J(&w, 0), "Dan Wu", NULL, dan);
        struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 1), cy, dan, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 0), ben, dan, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 1), cy, &e), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND target_contact_id = '%s'",
                     rf, ben);
            if (traw_int(w.r[i].path, sql) != 1)
                print_message("order %s: replica %d lost the target\n", orders[o], i);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* Replica 1 deletes Ana, and with her the referral she made and the
 * thank-you to her for it; replica 2, not having seen that, merges Ana into
 * Cy (the referral and the thank-you move to Cy); replica 0 edits Ana
 * later than both, so she is kept against both deletes. Every replica ends
 * the same, the referral and the thank-you together. Whether they stay
 * depends on whether replica 0 kept Ana before the merge came (then they
 * were hers, kept, and the merge moved them) or after (then they were
 * Cy's, and the delete that named them takes them): the keep rule's known
 * limit. Where the merge came first, replica 0 once kept the referral
 * alone: the thank-you the delete names with Ana made it hers, as the
 * record had the thank-you, not as it was there (dbsync_delete_kept). */
static void test_sync_named_then_moved_kept(void **state)
{
    (void)state;
    static const char *const orders[] = {"2010", "1020", "0120", "2100", "1200", "0210"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1];
        char th[KID_LEN + 1], sql[300];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 3);
        ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
        settle(&w);
        assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 2), cy, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 0), ana, "title", "CTO"), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            assert_true(exists(J(&w, i), ana, NULL));
            snprintf(sql, sizeof sql,
                     "SELECT (SELECT count(*) FROM referral WHERE id = '%s')"
                     " + (SELECT count(*) FROM thanks WHERE id = '%s')",
                     rf, th);
            long long n = traw_int(w.r[i].path, sql);
            assert_true(n == 0 || n == 2);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* Replica 0 deletes Ben; replica 1, not having seen that, merges Ana into
 * Ben (Ana's referral moves to Ben) and so keeps Ben against the delete,
 * sending him again with the referral; replica 0 edits Ana later than the
 * merge, so keeps her against the merge's delete. The referral had left
 * Ana in the merge: replica 0, where the move waits for Ben when it keeps
 * Ana, does not send the referral again with her (its new stamps would
 * hide the move), and it ends with Ben everywhere; and if replica 1
 * deletes Ben before it hears of Ana kept, with Ben. */
static void test_sync_kept_without_waiting_move(void **state)
{
    (void)state;
    for (int gone = 0; gone < 2; gone++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1], sql[300];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 2);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        add(J(&w, 0), "Dan Wu", NULL, dan);
        struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 1), ben, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 0), ana, "title", "CTO"), K_OK);
        pause_ms(3);
        sync_ok(&w, 0, NULL);
        sync_ok(&w, 1, NULL); /* keeps Ben */
        pause_ms(3);
        sync_ok(&w, 0, NULL); /* keeps Ana; the move waits, then Ben comes */
        pause_ms(3);
        if (gone)
            assert_int_equal(contact_delete(J(&w, 1), ben, &e), K_OK);
        settle(&w);
        for (int i = 0; i < 2; i++) {
            assert_true(exists(J(&w, i), ana, NULL));
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf,
                     ben);
            assert_int_equal(traw_int(w.r[i].path, sql), !gone);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* A change that waits keeps each column's stamp. B refers Cy (whom A
 * added) to a company and later links the referral to another of B's; A,
 * having seen the referral, sets its outcome in between. C applies B's
 * files before A's (B's id is the smaller), so the referral waits there
 * for Cy, the link going into it. It came with one stamp, the link's,
 * for the whole row, so A's outcome, older than the link but newer than
 * the referral, was left out there alone. Whatever the order of the
 * syncs, every replica has A's outcome and B's link. */
static void test_sync_parked_column_stamps(void **state)
{
    (void)state;
    /* When C syncs first: after B's link (A's outcome in the folder or
     * not), and who syncs first after. */
    static const struct {
        int outcome_sent, first;
    } orders[] = {{1, 0}, {1, 2}, {0, 0}, {0, 1}};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char cy[KID_LEN + 1], rf[KID_LEN + 1], up[KID_LEN + 1], sql[300];
        char id[2][DBSYNC_ID_LEN + 1];
        struct kerr e;
        world_open(&w, 3);
        sync_ok(&w, 0, NULL);
        sync_ok(&w, 1, NULL);
        for (int i = 0; i < 2; i++)
            assert_int_equal(dbsync_replica(journal_db(J(&w, i)), id[i], &e), K_OK);
        int b = strcmp(id[0], id[1]) < 0 ? 0 : 1, a = 1 - b, c = 2;
        add(J(&w, a), "Cy Park", NULL, cy);
        sync_ok(&w, a, NULL);
        sync_ok(&w, b, NULL);
        struct referral_input ri = {cy, NULL, "Globex", NULL, KDATE_NONE, NULL, "to Globex"};
        assert_int_equal(referral_add(J(&w, b), &ri, up, &e), K_OK);
        ri.target_text = "Initech";
        assert_int_equal(referral_add(J(&w, b), &ri, rf, &e), K_OK);
        sync_ok(&w, b, NULL);
        sync_ok(&w, a, NULL);
        pause_ms(3);
        assert_int_equal(referral_set_outcome(J(&w, a), rf, KOUT_MEETING, KDATE_NONE, NULL, &e),
                         K_OK);
        if (orders[o].outcome_sent)
            sync_ok(&w, a, NULL);
        pause_ms(3);
        assert_int_equal(referral_set_parent(J(&w, b), rf, up, &e), K_OK);
        sync_ok(&w, b, NULL);
        sync_ok(&w, c, NULL); /* B's files first: the referral waits for Cy */
        sync_ok(&w, orders[o].first, NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM referral WHERE id = '%s' AND outcome = 'meeting'"
                     " AND parent_id = '%s'",
                     rf, up);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* One replica refers Ana to Tom; another merges Tom into Kay (the
 * referral's target moves to Kay, Tom goes); a third, having seen neither,
 * edits Tom, so keeps him against the merge, and applies the merge before
 * the referral (the merging replica's id is the smaller): the merge's move
 * of the target waits for the referral, which comes with its target empty
 * as of the merge's delete of Tom. The move is the same record's, made
 * before its delete: it fills the target, as where the referral came
 * first (emptied_after). */
static void test_sync_waiting_move_of_target(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], tom[KID_LEN + 1], kay[KID_LEN + 1], rf[KID_LEN + 1], sql[300];
    char id[3][DBSYNC_ID_LEN + 1];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Tom Hale", NULL, tom);
    add(J(&w, 0), "Kay Lind", NULL, kay);
    settle(&w);
    for (int i = 1; i < 3; i++)
        assert_int_equal(dbsync_replica(journal_db(J(&w, i)), id[i], &e), K_OK);
    int merger = strcmp(id[1], id[2]) < 0 ? 1 : 2, referrer = 3 - merger;
    struct referral_input ri = {ana, tom, NULL, NULL, KDATE_NONE, NULL, "to Tom"};
    assert_int_equal(referral_add(J(&w, referrer), &ri, rf, &e), K_OK);
    sync_ok(&w, referrer, NULL);
    sync_ok(&w, merger, NULL);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, merger), kay, tom, 1, &m, &e), K_OK);
    sync_ok(&w, merger, NULL);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 0), tom, "title", "CTO"), K_OK);
    sync_ok(&w, 0, NULL);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        assert_true(exists(J(&w, i), tom, NULL));
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND target_contact_id = '%s'", rf,
                 kay);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A merge moves Ana's referral, which Cy's thank-you names, to Ben; a
 * second replica, not having seen it, deletes Ben; a third edits Ben
 * later, so Ben is kept against the delete. Where the delete came after
 * the move it took the referral and emptied the thank-you's referral; the
 * referral comes back with Ben where the merging replica kept Ben too (it
 * sends Ben again with the referral), and the thank-you's referral stays
 * empty there as well, whatever the order of the syncs (the merging
 * replica once kept it, alone). */
static void test_sync_moved_into_kept_thanks(void **state)
{
    (void)state;
    static const char *const orders[] = {"0210", "0120", "0201", "2010"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1];
        char rf[KID_LEN + 1], th[KID_LEN + 1], sql[300];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 3);
        ana_referral_thanks(J(&w, 0), ana, cy, dan, rf, th);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        snprintf(sql, sizeof sql, "UPDATE thanks SET contact_id = '%s' WHERE id = '%s'", cy, th);
        traw_exec(w.r[0].path, sql);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 0), ben, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 2), ben, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 1), ben, "title", "CTO"), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        for (int i = 0; i < 3; i++) {
            assert_true(exists(J(&w, i), ben, NULL));
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id IS NULL", th);
            if (traw_int(w.r[i].path, sql) != 1)
                print_message("order %s: replica %d kept the thank-you's referral\n", orders[o], i);
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* One replica deletes Ana, and her referral with her; a second, not having
 * seen it, merges Ana into Dan later, moving the referral to Dan; a third
 * edits Ana later still, so Ana is kept against both deletes. Where the
 * move came before the first delete arrived, the referral was Dan's, not
 * Ana's to keep: the delete, earlier than the move, takes it there as
 * where the move came after it. Whether the referral stays depends on the
 * order of the syncs (the third replica sends Ana again with it where the
 * delete came first); every replica ends the same (the third once kept it
 * on Dan, alone: order 0212). */
static void test_sync_moved_after_kept_delete(void **state)
{
    (void)state;
    static const char *const orders[] = {"0212", "0122", "2012", "0210"};
    for (size_t o = 0; o < sizeof orders / sizeof *orders; o++) {
        struct world w;
        char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], rf[KID_LEN + 1];
        char sql[200];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 3);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Cy Park", NULL, cy);
        add(J(&w, 0), "Dan Wu", NULL, dan);
        struct referral_input ri = {ana, cy, NULL, NULL, KDATE_NONE, NULL, "to Cy"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
        pause_ms(3);
        assert_int_equal(dupes_merge(J(&w, 0), dan, ana, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(set_field(J(&w, 2), ana, "title", "CTO"), K_OK);
        pause_ms(3);
        for (const char *c = orders[o]; *c; c++)
            sync_ok(&w, *c - '0', NULL);
        settle(&w);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE id = '%s'", rf);
        for (int i = 0; i < 3; i++) {
            assert_true(exists(J(&w, i), ana, NULL));
            if (traw_int(w.r[i].path, sql) != traw_int(w.r[0].path, sql))
                print_message("order %s: replicas 0 and %d differ on the referral\n", orders[o], i);
            assert_int_equal(traw_int(w.r[i].path, sql), traw_int(w.r[0].path, sql));
        }
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* Ana's referral to Ben; one replica merges Ben into Cy, moving the
 * referral's target to Cy; another, that has seen neither the referral
 * nor the merge, deletes Ben later. Where the merge came first the delete
 * found the target on Cy and left it; where the referral and the merge
 * come after the delete, the target the delete emptied is Cy's again, on
 * every replica. */
static void test_sync_target_moved_before_delete(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
    char sql[200];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Ben Okafor", "Globex", ben);
    add(J(&w, 0), "Cy Park", NULL, cy);
    settle(&w);
    struct referral_input ri = {ana, ben, NULL, NULL, KDATE_NONE, NULL, "to Ben"};
    assert_int_equal(referral_add(J(&w, 1), &ri, rf, &e), K_OK);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 2, NULL);
    assert_int_equal(dupes_merge(J(&w, 2), cy, ben, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 0), ben, &e), K_OK);
    sync_ok(&w, 2, NULL);
    sync_ok(&w, 0, NULL); /* the referral and the merge, after the delete */
    settle(&w);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM referral WHERE id = '%s' AND target_contact_id = '%s'", rf, cy);
    for (int i = 0; i < 3; i++)
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    assert_same_journals(&w);
    world_close(&w);
}

/* Ana's referral to Ben; one machine merges Ben into Cy, moving the
 * referral's target to Cy; the other, not having seen it, deletes Ben
 * later, which empties the target there. Where the merge came first the
 * delete found the target on Cy: it stays Cy's on both, in either order. */
static void test_sync_target_moved_then_deleted(void **state)
{
    (void)state;
    for (int first = 0; first < 2; first++) {
        struct world w;
        char ana[KID_LEN + 1], ben[KID_LEN + 1], cy[KID_LEN + 1], rf[KID_LEN + 1];
        char sql[200];
        struct dupes_moved m;
        struct kerr e;
        world_open(&w, 2);
        add(J(&w, 0), "Ana Ruiz", "Acme", ana);
        add(J(&w, 0), "Ben Okafor", "Globex", ben);
        add(J(&w, 0), "Cy Park", NULL, cy);
        struct referral_input ri = {ana, ben, NULL, NULL, KDATE_NONE, NULL, "to Ben"};
        assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
        settle(&w);
        assert_int_equal(dupes_merge(J(&w, 0), cy, ben, 1, &m, &e), K_OK);
        pause_ms(3);
        assert_int_equal(contact_delete(J(&w, 1), ben, &e), K_OK);
        sync_ok(&w, first, NULL);
        settle(&w);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND target_contact_id = '%s'", rf,
                 cy);
        for (int i = 0; i < 2; i++)
            assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_same_journals(&w);
        world_close(&w);
    }
}

/* A referral to Dan, thanked on one replica (2). Another (1), not having
 * seen the thank-you, deletes Dan (the referral's target), merges Ana (the
 * referrer) into Cy and then deletes Cy, which takes the referral there.
 * Replica 2, before that delete, merges Ana into Eve: the referral had
 * left Cy when Cy was deleted, and the thank-you keeps it. Replica 0 edits
 * Dan after the delete and, meeting the merge into Eve first, keeps Dan
 * and sends the referral again, with Dan, later than the delete of Cy:
 * there and on replica 2 the referral once seemed made again after that
 * delete, which then emptied the thank-you's referral (seed 57 of the
 * property). Replica 1 syncs before replica 2 (r1_first) or after. */
static void moved_before_resent_delete(int r1_first)
{
    struct world w;
    char ana[KID_LEN + 1], cy[KID_LEN + 1], dan[KID_LEN + 1], eve[KID_LEN + 1];
    char rf[KID_LEN + 1], th[KID_LEN + 1], sql[300];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    add(J(&w, 0), "Cy Park", NULL, cy);
    add(J(&w, 0), "Dan Wu", NULL, dan);
    add(J(&w, 0), "Eve Sato", NULL, eve);
    struct referral_input ri = {ana, dan, NULL, NULL, KDATE_NONE, NULL, "to Dan"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    struct thanks_input ti = {ana, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 2), &ti, th, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), dan, &e), K_OK);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 1), cy, ana, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 2), eve, ana, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), cy, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 0), dan, "title", "CTO"), K_OK);
    if (r1_first)
        sync_ok(&w, 1, NULL);
    sync_ok(&w, 2, NULL);
    if (r1_first)
        hide_replica(&w, 1, 1);
    sync_ok(&w, 0, NULL); /* the thank-you and the merge into Eve */
    if (r1_first) {
        hide_replica(&w, 1, 0);
    } else {
        hide_replica(&w, 0, 1);
        sync_ok(&w, 1, NULL);
        hide_replica(&w, 0, 0);
    }
    sync_ok(&w, 0, NULL); /* Dan kept, the referral sent again; Cy's delete */
    settle(&w);
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'"
                 " AND contact_id = '%s'",
                 th, rf, eve);
        if (traw_int(w.r[i].path, sql) != 1)
            print_message("r1_first %d: replica %d emptied the thank-you's referral\n", r1_first,
                          i);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'"
                 " AND target_contact_id = '%s'",
                 rf, eve, dan);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_moved_before_resent_delete(void **state)
{
    (void)state;
    moved_before_resent_delete(0);
    moved_before_resent_delete(1);
}

/* A referral of Xia's to Tom. Replica 0 merges Xia into Yui and deletes
 * Tom; replica 1 and replica 2 edit Tom after that delete and keep him,
 * each sending the referral again; replica 2 first merges Xia into Zoe,
 * later than replica 0's merge, and sends the referral again as Zoe's,
 * later than replica 1 (as Yui's). Replica 1, not having seen that, edits
 * Zoe, later than that merge, and deletes her: the referral, moved to Zoe
 * before that delete by a merge the delete had not seen, keeps her,
 * archived, with the referral, everywhere (it once went with the delete:
 * the edit was later than the merge's edit of Zoe). Replica 1 once kept
 * it as Yui's, the move to Zoe waiting there for Zoe (seed 22 clock 1 of
 * the property). */
static void test_sync_resent_into_deleted(void **state)
{
    (void)state;
    struct world w;
    char xia[KID_LEN + 1], yui[KID_LEN + 1], zoe[KID_LEN + 1], tom[KID_LEN + 1];
    char rf[KID_LEN + 1], sql[200];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Xia Chen", "Acme", xia);
    add(J(&w, 0), "Yui Sato", NULL, yui);
    add(J(&w, 0), "Zoe Park", NULL, zoe);
    add(J(&w, 0), "Tom Wu", NULL, tom);
    struct referral_input ri = {xia, tom, NULL, NULL, KDATE_NONE, NULL, "to Tom"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 0), yui, xia, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 0), tom, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 1), tom, "title", "CTO"), K_OK);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 2), zoe, xia, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), tom, "title", "CEO"), K_OK);
    pause_ms(3);
    sync_ok(&w, 0, NULL);
    sync_ok(&w, 1, NULL); /* Tom kept, the referral sent again as Yui's */
    pause_ms(3);
    hide_replica(&w, 1, 1);
    sync_ok(&w, 2, NULL); /* Tom kept, the referral sent again as Zoe's */
    hide_replica(&w, 1, 0);
    pause_ms(3);
    /* Later than replica 2's merge: what it wrote of Zoe, the delete
     * carries later. */
    assert_int_equal(set_field(J(&w, 1), zoe, "company", "Initech"), K_OK);
    assert_int_equal(contact_delete(J(&w, 1), zoe, &e), K_OK);
    settle(&w);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM referral WHERE id = '%s'", rf);
    for (int i = 0; i < 3; i++) {
        int archived = 0;
        if (traw_int(w.r[i].path, sql) != 1)
            print_message("replica %d lost the referral\n", i);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_true(exists(J(&w, i), zoe, &archived));
        assert_int_equal(archived, 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A thank-you's referral where a delete named the referral and left it.
 * Xia's referral to Tom. Replica 0 thanks Xia for it and merges her into
 * Yui (the referral and the thank-you go to Yui); replica 1, having seen
 * neither, deletes Xia (the referral goes with her), syncs, and undoes that:
 * both come back as they were, the referral Xia's, later than the merge.
 * Replica 1 then gets the thank-you, made before its delete: its link is
 * NULL, as the delete would have left it (null_deleted). Replica 0 met
 * the delete with the referral Yui's (moved before the delete: it stays)
 * and then the undo, which takes the referral back to Xia as she came
 * back from that delete: the thank-you loses its link there too, as
 * where the delete met the referral as Xia's (seed 48 clock 2 of the
 * property: replica 0 alone kept the link). */
static void test_sync_named_then_undone(void **state)
{
    (void)state;
    struct world w;
    char xia[KID_LEN + 1], yui[KID_LEN + 1], tom[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    char sql[200];
    struct dupes_moved m;
    struct history_step hs;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Xia Chen", "Acme", xia);
    add(J(&w, 0), "Yui Sato", NULL, yui);
    add(J(&w, 0), "Tom Wu", NULL, tom);
    struct referral_input ri = {xia, tom, NULL, NULL, KDATE_NONE, NULL, "to Tom"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    struct thanks_input ti = {xia, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 0), yui, xia, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), xia, &e), K_OK);
    /* Sent before the undo: an undo of a delete not sent takes it back
     * unsent (undo_unsent), and nothing would meet the delete. Replica 0
     * has not synced since, so replica 1 still has not seen its changes. */
    sync_ok(&w, 1, NULL);
    pause_ms(3);
    assert_int_equal(history_undo(J(&w, 1), "cli", &hs, &e), K_OK);
    history_step_clear(&hs);
    pause_ms(3);
    sync_ok(&w, 0, NULL);
    settle(&w);
    snprintf(sql, sizeof sql, "SELECT referral_id IS NULL FROM thanks WHERE id = '%s'", th);
    assert_int_equal(traw_int(w.r[1].path, sql), 1);
    if (traw_int(w.r[0].path, sql) != 1)
        fail_msg("the thank-you's referral is kept on replica 0, not on replica 1");
    assert_same_journals(&w);
    world_close(&w);
}

/* A thank-you's referral that a delete did not take. Xia's referral to
 * Tom. Replica 0 merges Xia into Yui (the referral goes to Yui) and then
 * thanks Yui for it; replica 1, having seen neither, deletes Xia (the
 * referral goes with her there); replica 2 edits Xia after that and meets
 * the delete before the merge: it keeps Xia, archived, and sends her again
 * with the referral as hers, then meets the merge's move, made before the
 * delete, and sends it again (send_move), and then the thank-you. The
 * referral had left Xia when she was deleted: the thank-you keeps it
 * everywhere, as where the move brings the referral back (revive_moved).
 * It was once emptied on replica 2 (the referral noted as deleted with the
 * kept Xia) and on replica 0 (Xia's sending again seemed to take the
 * referral back to her, named_back): seed 8 clock 3 of the property.
 * Replica 1 meets the merge before what replica 2 sent (merge_first) or
 * after: Xia and the referral come back, then the move sent again, and
 * then the merge's own, older. */
static void moved_before_kept_thanks(int merge_first)
{
    struct world w;
    char xia[KID_LEN + 1], yui[KID_LEN + 1], tom[KID_LEN + 1], rf[KID_LEN + 1], th[KID_LEN + 1];
    char sql[300], moved[300];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Xia Chen", "Acme", xia);
    add(J(&w, 0), "Yui Sato", NULL, yui);
    add(J(&w, 0), "Tom Wu", NULL, tom);
    struct referral_input ri = {xia, tom, NULL, NULL, KDATE_NONE, NULL, "to Tom"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 0), yui, xia, 1, &m, &e), K_OK);
    pause_ms(3);
    struct thanks_input ti = {yui, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), xia, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), xia, "title", "CTO"), K_OK);
    pause_ms(3);
    sync_ok(&w, 0, NULL); /* the merge and the thank-you */
    hide_replica(&w, 0, 1);
    sync_ok(&w, 1, NULL); /* the delete */
    sync_ok(&w, 2, NULL); /* Xia kept, the referral sent again as hers */
    hide_replica(&w, 0, 0);
    if (merge_first) {
        hide_replica(&w, 2, 1);
        sync_ok(&w, 1, NULL); /* the move brings the referral back; the thank-you */
        hide_replica(&w, 2, 0);
    }
    pause_ms(3);
    sync_ok(&w, 2, NULL); /* the merge's move sent again; the thank-you */
    sync_ok(&w, 2, NULL);
    if (!merge_first) {
        hide_replica(&w, 0, 1);
        sync_ok(&w, 1, NULL); /* Xia and the referral back, then the move */
        hide_replica(&w, 0, 0);
    }
    hide_replica(&w, 2, 1);
    sync_ok(&w, 0, NULL); /* the delete, after the move: the referral stays */
    hide_replica(&w, 2, 0);
    settle(&w);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'",
             th, rf);
    snprintf(moved, sizeof moved,
             "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, yui);
    for (int i = 0; i < 3; i++)
        if (traw_int(w.r[i].path, sql) != 1)
            print_message("merge_first %d: replica %d emptied the thank-you's referral\n",
                          merge_first, i);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_int_equal(traw_int(w.r[i].path, moved), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_moved_before_kept_thanks(void **state)
{
    (void)state;
    moved_before_kept_thanks(1);
    moved_before_kept_thanks(0);
}

/* A thank-you's referral that a delete emptied on the machine that kept
 * the contact, given back by a move made before the delete. Lee's referral
 * to Tom; replica 0 thanks Lee for it, and replica 2 merges Lee into Kim
 * (the referral goes to Kim, not the thank-you, which replica 2 has not
 * seen): replica 0 keeps Lee against the merge's delete, with the
 * thank-you naming Kim's referral. Then replica 2 merges Kim into Max (the
 * referral goes to Max), replica 1, not having seen that, deletes Kim
 * (with her referral there: the thank-you's link is emptied where replica
 * 1 had the thank-you, in its record, else where the thank-you comes
 * after), and replica 0 edits Kim: replica 0 meets the delete before the
 * merge, keeps Kim and her referral, and empties the thank-you's link as
 * of the delete. The merge's move, made before the delete, shows the
 * delete did not take the referral, as where it came first: the
 * thank-you names it on every replica (dbsync_give_back where the delete
 * came first, left_before_delete where the move did). It once lost it
 * everywhere, or on some replicas only. had_thanks: replica 1 had the
 * thank-you when it deleted; merge_first: replica 1 meets the merge before
 * replica 0's keep; one_sync: replica 0 meets the delete and the merge in
 * one sync. */
static void kept_thanks_moved_after(int had_thanks, int merge_first, int one_sync)
{
    struct world w;
    char kim[KID_LEN + 1], lee[KID_LEN + 1], max[KID_LEN + 1], tom[KID_LEN + 1];
    char rf[KID_LEN + 1], th[KID_LEN + 1], sql[300], moved[300];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Kim Lee", "Acme", kim);
    add(J(&w, 0), "Lee Ann", NULL, lee);
    add(J(&w, 0), "Max Roe", NULL, max);
    add(J(&w, 0), "Tom Wu", NULL, tom);
    struct referral_input ri = {lee, tom, NULL, NULL, KDATE_NONE, NULL, "to Tom"};
    assert_int_equal(referral_add(J(&w, 0), &ri, rf, &e), K_OK);
    settle(&w);
    struct thanks_input ti = {lee, KDATE_NONE, NULL, rf, NULL, "thanks"};
    assert_int_equal(thanks_add(J(&w, 0), &ti, th, &e), K_OK);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 2), kim, lee, 1, &m, &e), K_OK);
    pause_ms(3);
    if (had_thanks) {
        settle(&w);
    } else {
        /* Replica 1 has the merge, not the thank-you. */
        hide_replica(&w, 0, 1);
        sync_ok(&w, 2, NULL);
        sync_ok(&w, 1, NULL);
        hide_replica(&w, 0, 0);
        hide_replica(&w, 1, 1);
        for (int i = 0; i < 2; i++) {
            sync_ok(&w, 0, NULL); /* Lee kept against the merge's delete */
            sync_ok(&w, 2, NULL);
        }
        hide_replica(&w, 1, 0);
    }
    snprintf(sql, sizeof sql, "SELECT count(*) FROM thanks WHERE id = '%s' AND referral_id = '%s'",
             th, rf);
    snprintf(moved, sizeof moved,
             "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, kim);
    assert_int_equal(traw_int(w.r[0].path, sql), 1);
    assert_int_equal(traw_int(w.r[0].path, moved), 1);
    pause_ms(3);
    assert_int_equal(dupes_merge(J(&w, 2), max, kim, 1, &m, &e), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), kim, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 0), kim, "title", "CTO"), K_OK);
    pause_ms(3);
    sync_ok(&w, 2, NULL); /* the merge */
    hide_replica(&w, 2, 1);
    sync_ok(&w, 1, NULL); /* the delete */
    if (one_sync)
        hide_replica(&w, 1, 1);
    sync_ok(&w, 0, NULL); /* Kim kept against the delete, or nothing */
    if (one_sync)
        hide_replica(&w, 1, 0);
    hide_replica(&w, 2, 0);
    if (merge_first) {
        hide_replica(&w, 0, 1);
        sync_ok(&w, 1, NULL);
        hide_replica(&w, 0, 0);
    }
    pause_ms(3);
    sync_ok(&w, 0, NULL); /* the merge's move, after the delete */
    settle(&w);
    snprintf(moved, sizeof moved,
             "SELECT count(*) FROM referral WHERE id = '%s' AND referrer_id = '%s'", rf, max);
    for (int i = 0; i < 3; i++)
        if (traw_int(w.r[i].path, sql) != 1)
            print_message("had_thanks %d merge_first %d one_sync %d: replica %d emptied the "
                          "thank-you's referral\n",
                          had_thanks, merge_first, one_sync, i);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(traw_int(w.r[i].path, moved), 1);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_kept_thanks_moved_after(void **state)
{
    (void)state;
    for (int o = 0; o < 8; o++)
        kept_thanks_moved_after(o & 4, o & 1, o & 2);
}

/* Xia merged into Yui on replica 0 and edited on replica 1 before they
 * synced: Xia is kept, archived, against the merge's delete, without the
 * interaction link the merge moved to Yui (the merge changes the link's
 * key: a delete and an insert in one record). She once came back with it,
 * the interaction naming both. */
static void test_sync_merged_away_kept_without_links(void **state)
{
    (void)state;
    struct world w;
    char xia[KID_LEN + 1], yui[KID_LEN + 1], it[KID_LEN + 1], sql[300];
    struct dupes_moved m;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Xia Chen", "Acme", xia);
    add(J(&w, 0), "Yui Sato", NULL, yui);
    const char *ids[] = {xia};
    struct interaction_input in = {ids, 1, "coffee", KDIR_GAVE, KDATE_NONE, "coffee", NULL};
    assert_int_equal(interaction_log(J(&w, 0), &in, it, &e), K_OK);
    settle(&w);
    assert_int_equal(dupes_merge(J(&w, 0), yui, xia, 1, &m, &e), K_OK);
    assert_int_equal(set_field(J(&w, 1), xia, "title", "CTO"), K_OK);
    settle(&w);
    for (int i = 0; i < 2; i++) {
        int archived = 0;
        assert_true(exists(J(&w, i), xia, &archived));
        assert_true(archived);
        for (int k = 0; k < 2; k++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM interaction_contact ic JOIN contact c ON c.key = "
                     "ic.contact_key WHERE ic.interaction_id = '%s' AND c.id = '%s'",
                     it, k ? yui : xia);
            if (traw_int(w.r[i].path, sql) != k)
                fail_msg("replica %d: the interaction %s %s", i, k ? "lost" : "kept",
                         k ? "Yui's link" : "Xia's link");
        }
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* What goes wrong with the folder or a file says so and changes nothing. */
static void test_sync_errors(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], path[400], r0[DBSYNC_ID_LEN + 1];
    struct sync_report s;
    struct kerr e;
    world_open(&w, 2);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    snprintf(path, sizeof path, "%s/missing", w.dir);
    assert_int_equal(sync_run(J(&w, 0), path, 0, on_note, &w, &s, &e), K_USAGE);
    assert_non_null(strstr(e.msg, "No such file"));
    snprintf(path, sizeof path, "%s/file", w.dir);
    FILE *f = fopen(path, "w");
    fputs("x", f);
    fclose(f);
    assert_int_equal(sync_run(J(&w, 0), path, 0, on_note, &w, &s, &e), K_USAGE);
    assert_non_null(strstr(e.msg, "is not a folder"));
    unlink(path);
    assert_int_equal(traw_int(w.r[0].path, "SELECT count(*) FROM sync_self"), 0);
    sync_ok(&w, 0, NULL);
    assert_int_equal(dbsync_replica(journal_db(J(&w, 0)), r0, &e), K_OK);
    /* A file cut short: its checksum fails; nothing of it is applied. */
    snprintf(path, sizeof path, "%s/%s/1.changeset", w.dir, r0);
    size_t n;
    char *buf = tslurp(path, &n);
    assert_non_null(buf);
    f = fopen(path, "w");
    fwrite(buf, 1, n - 20, f);
    fclose(f);
    assert_int_equal(sync_run(J(&w, 1), w.dir, 0, on_note, &w, &s, &e), K_ERR);
    assert_non_null(strstr(w.last_note, "damaged"));
    assert_false(exists(J(&w, 1), ana, NULL));
    /* From a newer kith. */
    char *newer = kmalloc(n);
    memcpy(newer, buf, n);
    memcpy(newer + 8, "\0\0\0\x09", 4);
    f = fopen(path, "w");
    fwrite(newer, 1, n, f);
    fclose(f);
    free(newer);
    assert_int_equal(sync_run(J(&w, 1), w.dir, 0, on_note, &w, &s, &e), K_ERR);
    assert_non_null(strstr(w.last_note, "newer kith"));
    /* Not one of kith's. */
    f = fopen(path, "w");
    fputs("hello", f);
    fclose(f);
    assert_int_equal(sync_run(J(&w, 1), w.dir, 0, on_note, &w, &s, &e), K_ERR);
    assert_non_null(strstr(w.last_note, "not a kith changeset file"));
    /* Whole again: applied. */
    f = fopen(path, "w");
    fwrite(buf, 1, n, f);
    fclose(f);
    free(buf);
    sync_ok(&w, 1, NULL);
    assert_true(exists(J(&w, 1), ana, NULL));
    /* A journal syncs through one folder. */
    snprintf(path, sizeof path, "%s/other", w.r[1].dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(sync_run(J(&w, 1), path, 0, on_note, &w, &s, &e), K_USAGE);
    assert_non_null(strstr(e.msg, "syncs through"));
    world_close(&w);
}

/* A journal's first file sends each row's stamps (as of its last change)
 * in a pack of a few bytes a row, not a sync_stamp row each (the table's
 * name, the row's key and the stamps as text again: about a hundred bytes
 * a row, twice the rows themselves at 100k contacts, issue 17). */
static void test_sync_first_file_packed(void **state)
{
    (void)state;
    struct world w;
    char id[KID_LEN + 1], path[400], r0[DBSYNC_ID_LEN + 1];
    struct sync_file f;
    struct kerr e;
    world_open(&w, 2);
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof name, "Ana Ruiz %d", i);
        add(J(&w, 0), name, i % 2 ? "Acme" : NULL, id);
    }
    sync_ok(&w, 0, NULL);
    assert_int_equal(dbsync_replica(journal_db(J(&w, 0)), r0, &e), K_OK);
    snprintf(path, sizeof path, "%s/%s/1.changeset", w.dir, r0);
    size_t n;
    char *buf = tslurp(path, &n);
    assert_non_null(buf);
    assert_int_equal(sync_file_decode(buf, n, &f, &e), K_OK);
    assert_int_equal(f.format, SYNC_FORMAT);
    size_t rows = 0, stamp_rows = 0, packs = 0, pack_bytes = 0;
    for (size_t r = 0; r < f.nrec; r++) {
        sqlite3_changeset_iter *it = NULL;
        assert_int_equal(sqlite3changeset_start(&it, (int)f.rec[r].n, (void *)f.rec[r].buf),
                         SQLITE_OK);
        while (sqlite3changeset_next(it) == SQLITE_ROW) {
            const char *name;
            int ncol, op, ind;
            sqlite3changeset_op(it, &name, &ncol, &op, &ind);
            if (!strcmp(name, "sync_stamp")) {
                stamp_rows++;
            } else if (!strcmp(name, "sync_stamp_pack")) {
                sqlite3_value *v = NULL;
                assert_int_equal(sqlite3changeset_new(it, 1, &v), SQLITE_OK);
                pack_bytes += (size_t)sqlite3_value_bytes(v);
                packs++;
            } else {
                rows++;
            }
        }
        assert_int_equal(sqlite3changeset_finalize(it), SQLITE_OK);
    }
    free(f.rec);
    free(buf);
    assert_true(rows >= 40);
    assert_int_equal(stamp_rows, 0);
    assert_int_equal(packs, 1);
    assert_true(pack_bytes <= 12 * rows);
    /* And they read back as sent: the other journal has the rows. */
    sync_ok(&w, 1, NULL);
    assert_true(exists(J(&w, 1), id, NULL));
    world_close(&w);
}

/* The decoder refuses what it cannot read, whatever the bytes. */
static void test_sync_file_decode(void **state)
{
    (void)state;
    struct sync_file f;
    struct kerr e;
    unsigned char buf[200];
    memset(buf, 0, sizeof buf);
    assert_int_equal(sync_file_decode(buf, 10, &f, &e), K_ERR);
    memcpy(buf, "KITHSYNC\0\0\0\x01\0\0\0\x01", 16);
    assert_int_equal(sync_file_decode(buf, sizeof buf, &f, &e), K_ERR);
    assert_non_null(strstr(e.msg, "damaged"));
    memcpy(buf + 12, "\0\0\x01\0", 4);
    assert_int_equal(sync_file_decode(buf, sizeof buf, &f, &e), K_ERR);
    assert_non_null(strstr(e.msg, "newer kith"));
    /* A file of format 1 (before a kept contact's rows carried their
     * stamps) is still read, as is one of this format; a later one is not. */
    for (unsigned format = 1; format <= SYNC_FORMAT + 1; format++) {
        static const unsigned char head[] = "KITHSYNC\0\0\0\0\0\0\0\x0e"
                                            "0123456789abcdef\0\0\0\0\0\0\0\x01\0\0\0\0";
        memcpy(buf, head, 44);
        buf[11] = (unsigned char)format;
        unsigned long long h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < 44; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        for (int i = 0; i < 8; i++)
            buf[44 + i] = (unsigned char)(h >> (56 - 8 * i));
        int rc = sync_file_decode(buf, 52, &f, &e);
        if (format > SYNC_FORMAT) {
            assert_int_equal(rc, K_ERR);
            continue;
        }
        if (rc != K_OK)
            fail_msg("format %u: %s", format, e.msg);
        assert_int_equal(f.format, format);
        free(f.rec);
    }
}

/* Old files go once every replica has applied them; a new, empty journal
 * starts from the snapshot left behind; a journal with data of its own
 * cannot catch up past files that are gone, and says so. */
static void test_sync_prune_and_snapshot(void **state)
{
    (void)state;
    struct world w;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    struct sync_report s;
    struct kerr e;
    world_open(&w, 4);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    /* Replicas 2 and 3 have not joined yet: only 0 and 1 are known. */
    struct world two = w;
    two.n = 2;
    settle(&two);
    size_t pruned = 0;
    int snapshot = 0;
    for (int i = 0; i < 40; i++) {
        char v[32];
        snprintf(v, sizeof v, "Acme %d", i);
        assert_int_equal(set_field(J(&w, i % 2), ana, "company", v), K_OK);
        for (int r = 0; r < 2; r++) {
            sync_ok(&two, r, &s);
            pruned += s.pruned;
            snapshot |= s.snapshot;
        }
    }
    assert_true(pruned > 0);
    assert_true(snapshot);
    add(J(&w, 0), "Ben Okafor", NULL, ben);
    sync_ok(&two, 0, NULL);
    /* Replica 2 is empty: it starts from the snapshot, then the files after. */
    sync_ok(&w, 2, &s);
    assert_true(s.adopted);
    assert_true(exists(J(&w, 2), ben, NULL));
    assert_int_equal(traw_int(w.r[2].path, "SELECT count(*) FROM history"), 0);
    /* Replica 3 has a contact of its own: it cannot catch up, and is
     * refused before sync is on. */
    char own[KID_LEN + 1];
    add(J(&w, 3), "Own Person", NULL, own);
    assert_int_equal(sync_run(J(&w, 3), w.dir, 0, on_note, &w, &s, &e), K_ERR);
    assert_non_null(strstr(e.msg, "the folder no longer holds every change"));
    assert_false(s.started);
    assert_string_equal(s.replica, "");
    world_close(&w);
}

/* ---- the property ---- */

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

/* A random row's first column from sql on replica path, into out. */
static int pick(const char *path, const char *sql, char out[KID_LEN + 1])
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int found = 0;
    out[0] = 0;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        char *q = sqlite3_mprintf("SELECT * FROM (%s) LIMIT 1 OFFSET"
                                  " (SELECT abs(?1) %% max(count(*), 1) FROM (%s))",
                                  sql, sql);
        if (sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int(st, 1, (int)rnd(1u << 30));
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
                snprintf(out, KID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
                found = 1;
            }
        }
        sqlite3_finalize(st);
        sqlite3_free(q);
    }
    sqlite3_close(h);
    return found;
}

struct expect {
    char id[KID_LEN + 1];
    char field[16];
    char a[32], b[32];
    int p, q;  /* the replicas that made them */
    int void_; /* the contact was deleted or merged, or an undo on p or q
                  may have taken a side back: no promise */
};

static const char *const fields[] = {"company", "title", "note"};

/* Replica ids are random, and the order of their ids decides the order
 * files are applied in and ties: the replicas are put in an order of their
 * ids that the seed picks, so that a seed runs the same way every time. */
static void order_replicas(struct world *w)
{
    char id[MAXREP][DBSYNC_ID_LEN + 1];
    struct kerr e;
    for (int i = 0; i < w->n; i++)
        assert_int_equal(dbsync_replica(journal_db(J(w, i)), id[i], &e), K_OK);
    for (int i = 1; i < w->n; i++)
        for (int k = i; k > 0 && strcmp(id[k - 1], id[k]) > 0; k--) {
            struct tjournal t = w->r[k];
            char g[320], x[DBSYNC_ID_LEN + 1];
            w->r[k] = w->r[k - 1];
            w->r[k - 1] = t;
            memcpy(g, w->gdir[k], sizeof g);
            memcpy(w->gdir[k], w->gdir[k - 1], sizeof g);
            memcpy(w->gdir[k - 1], g, sizeof g);
            memcpy(x, id[k], sizeof x);
            memcpy(id[k], id[k - 1], sizeof x);
            memcpy(id[k - 1], x, sizeof x);
        }
    for (int i = w->n - 1; i > 0; i--) {
        int k = (int)rnd((unsigned)i + 1);
        struct tjournal t = w->r[k];
        char g[320];
        w->r[k] = w->r[i];
        w->r[i] = t;
        memcpy(g, w->gdir[k], sizeof g);
        memcpy(w->gdir[k], w->gdir[i], sizeof g);
        memcpy(w->gdir[i], g, sizeof g);
    }
}

/* Three journals, ops random operations from seed interleaved with syncs
 * in random order (through a folder, or git), then every replica synced
 * until nothing moves: the same journal everywhere. */
static void property(int ops, unsigned long long seed, int git)
{
    struct world w;
    struct kerr e;
    rng_state = seed;
    print_message("property%s: %d operations, seed %llu\n", git ? " (git)" : "", ops, rng_state);
    struct expect *ex = NULL;
    size_t nex = 0;
    int counter = 0;
    char ch[KID_LEN + 1];
    if (git)
        world_open_git(&w, 3);
    else
        world_open(&w, 3);
    assert_int_equal(challenge_start(J(&w, 0), tday("2026-11-10"), 30, ch, &e), K_OK);
    for (int i = 0; i < 6; i++) {
        char name[32], id[KID_LEN + 1];
        snprintf(name, sizeof name, "Person %d", i);
        add(J(&w, i % 3), name, "Acme", id);
    }
    settle(&w);
    order_replicas(&w);
    static const char *const live = "SELECT id FROM contact ORDER BY rowid";
    int trace = getenv("KITH_SYNC_TRACE") != NULL;
    for (int op = 0; op < ops; op++) {
        int r = (int)rnd(3), q = (r + 1 + (int)rnd(2)) % 3;
        struct journal *j = J(&w, r);
        const char *path = w.r[r].path;
        char a[KID_LEN + 1], b[KID_LEN + 1], id[KID_LEN + 1];
        char v[32], v2[32];
        unsigned what = rnd(100);
        snprintf(v, sizeof v, "v%d", ++counter);
        snprintf(v2, sizeof v2, "v%d", ++counter);
        a[0] = b[0] = id[0] = 0;
        if (what < 20) {
            sync_ok(&w, r, NULL);
        } else if (what < 28) {
            char name[32];
            snprintf(name, sizeof name, "Person %d", counter);
            add(j, name, v, id);
        } else if (what < 40) {
            if (pick(path, live, a))
                set_field(j, a, fields[rnd(3)], v);
        } else if (what < 50) {
            /* The same field on two replicas, neither having seen the
             * other's change. */
            const char *f = fields[rnd(3)];
            if (pick(path, live, a) && exists(J(&w, q), a, NULL) && set_field(j, a, f, v) == K_OK &&
                set_field(J(&w, q), a, f, v2) == K_OK) {
                ex = krealloc(ex, (nex + 1) * sizeof *ex);
                memset(&ex[nex], 0, sizeof *ex);
                snprintf(ex[nex].id, sizeof ex[nex].id, "%s", a);
                snprintf(ex[nex].field, sizeof ex[nex].field, "%s", f);
                snprintf(ex[nex].a, sizeof ex[nex].a, "%s", v);
                snprintf(ex[nex].b, sizeof ex[nex].b, "%s", v2);
                ex[nex].p = r;
                ex[nex].q = q;
                nex++;
            }
        } else if (what < 58) {
            if (pick(path, live, a)) {
                const char *ids[2] = {a, b};
                size_t n = pick(path, live, b) && strcmp(a, b) ? 2 : 1;
                struct interaction_input in = {
                    ids, n, rnd(2) ? "coffee" : "advice", (enum kdir)rnd(3), KDATE_NONE, v, NULL};
                interaction_log(j, &in, id, &e);
            }
        } else if (what < 63) {
            if (pick(path, live, a) && pick(path, live, b) && strcmp(a, b)) {
                struct referral_input ri = {a, b, NULL, NULL, KDATE_NONE, NULL, v};
                referral_add(j, &ri, id, &e);
            }
        } else if (what < 68) {
            if (pick(path, "SELECT id FROM referral ORDER BY rowid", id)) {
                struct referral rf;
                if (referral_get(j, id, &rf, &e) == K_OK) {
                    struct thanks_input ti = {rf.referrer.id, KDATE_NONE, NULL, id, NULL, v};
                    thanks_add(j, &ti, a, &e);
                    referral_clear(&rf);
                }
            }
        } else if (what < 76) {
            /* The same day ticked on two replicas. */
            int day = tday("2026-11-22") - (int)rnd(3);
            challenge_tick(j, day, v, NULL, NULL, &e);
            challenge_tick(J(&w, q), day, v2, NULL, NULL, &e);
        } else if (what < 80) {
            /* A delete on one replica against an edit on another. */
            if (pick(path, live, a) && exists(J(&w, q), a, NULL)) {
                int first = rnd(2);
                if (first)
                    set_field(J(&w, q), a, fields[rnd(3)], v2);
                contact_delete(j, a, &e);
                if (!first)
                    set_field(J(&w, q), a, fields[rnd(3)], v2);
                for (size_t i = 0; i < nex; i++)
                    if (!strcmp(ex[i].id, a))
                        ex[i].void_ = 1;
                /* Whichever wins, every replica says so ("*"). */
                ex = krealloc(ex, (nex + 1) * sizeof *ex);
                memset(&ex[nex], 0, sizeof *ex);
                snprintf(ex[nex].id, sizeof ex[nex].id, "%s", a);
                snprintf(ex[nex].field, sizeof ex[nex].field, "*");
                ex[nex].p = r;
                ex[nex].q = q;
                nex++;
            }
        } else if (what < 84) {
            if (pick(path, live, a) && pick(path, live, b) && strcmp(a, b)) {
                struct dupes_moved m;
                if (dupes_merge(j, a, b, 1, &m, &e) == K_OK)
                    for (size_t i = 0; i < nex; i++)
                        if (!strcmp(ex[i].id, b) || !strcmp(ex[i].id, a))
                            ex[i].void_ = 1;
            }
        } else if (what < 90) {
            struct history_step hs;
            if (history_undo(j, "cli", &hs, &e) == K_OK) {
                history_step_clear(&hs);
                for (size_t i = 0; i < nex; i++)
                    if (ex[i].p == r || ex[i].q == r)
                        ex[i].void_ = 1;
            }
        } else if (what < 95) {
            struct reminder_list l;
            struct reminder_query rq = {NULL, 0, 1};
            if (reminder_list(j, &rq, &l, &e) == K_OK) {
                if (l.n && rnd(2))
                    reminder_done(j, l.v[0].id, NULL, &e);
                else if (l.n)
                    reminder_snooze(j, l.v[0].id, 1 + (int)rnd(5), NULL, &e);
                reminder_list_clear(&l);
            }
        } else {
            if (pick(path, "SELECT id FROM interaction ORDER BY rowid", id))
                interaction_delete(j, id, &e);
        }
        if (trace)
            print_message("op %d: replica %d (other %d) what %u %s a=%.6s b=%.6s id=%.6s\n", op, r,
                          q, what, v, a, b, id);
    }
    settle(&w);
    dump_exports(&w);
    assert_same_journals(&w);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM (SELECT date FROM "
                                               "challenge_tick GROUP BY date HAVING count(*) > 1)"),
                         0);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM (SELECT 1 FROM reminder_state"
                                               " GROUP BY rule, subject, fired_on"
                                               " HAVING count(*) > 1)"),
                         0);
        assert_int_equal(traw_int(w.r[i].path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    }
    size_t checked = 0, told = 0;
    for (size_t i = 0; i < nex; i++) {
        /* A delete against an edit: listed on each replica, the contact
         * kept or not. */
        for (int r = 0; !ex[i].void_ && ex[i].field[0] == '*' && r < 3; r++) {
            if (!has_conflict(J(&w, r), ex[i].id, "*", NULL)) {
                keep_world(&w);
                fail_msg("replica %d does not list the delete of %s against an edit", r, ex[i].id);
            }
            told += r == 2;
        }
        if (ex[i].void_ || ex[i].field[0] == '*' || !exists(J(&w, 0), ex[i].id, NULL))
            continue;
        checked++;
        int listed = 0;
        for (int r = 0; r < 3 && !listed; r++)
            listed = has_conflict(J(&w, r), ex[i].id, ex[i].field, ex[i].a) ||
                     has_conflict(J(&w, r), ex[i].id, ex[i].field, ex[i].b);
        if (!listed)
            keep_world(&w);
        if (!listed)
            fail_msg("the conflict on %s's %s (%s against %s) is not listed", ex[i].id, ex[i].field,
                     ex[i].a, ex[i].b);
    }
    print_message("property: %zu same-field conflicts checked, %zu deletes against edits listed "
                  "on every replica, %zu listed on replica 0\n",
                  checked, told, conflict_count(J(&w, 0)));
    free(ex);
    world_close(&w);
}

/* The property at a few fixed seeds and sizes (quick enough for every run);
 * KITH_SYNC_OPS runs one at that size (1000 is the issue's figure), at
 * KITH_SYNC_SEED. */
static void test_sync_property(void **state)
{
    (void)state;
    const char *env = getenv("KITH_SYNC_OPS");
    if (env) {
        const char *seed = getenv("KITH_SYNC_SEED");
        property(atoi(env), seed ? strtoull(seed, NULL, 10) : 20261206, 0);
        return;
    }
    /* Seed 2 at 40 operations ended different in about one run of seven
     * before round 15 (a thank-you's referral emptied while it waited);
     * 14 of 14 runs pass since. */
    static const struct {
        int ops;
        unsigned long long seed;
    } fixed[] = {{40, 1}, {40, 3}, {40, 5}, {40, 2}};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        property(fixed[i].ops, fixed[i].seed, 0);
}

/* The same through a real git repository: each replica a clone, kith sync
 * --git pulling, committing and pushing. KITH_SYNC_GIT_OPS sets the size. */
static void test_sync_property_git(void **state)
{
    (void)state;
    const char *env = getenv("KITH_SYNC_GIT_OPS");
    const char *seed = getenv("KITH_SYNC_SEED");
    property(env ? atoi(env) : PROPERTY_GIT_OPS, seed ? strtoull(seed, NULL, 10) : 20261206, 1);
}

/* What a delete says it had seen of a replica is what it applied of that
 * replica's records, not the latest stamp of its it holds (review r25 #1).
 * Replica 2 logs an interaction with Kim and edits Ann; replica 0 gets
 * both, edits Ann, and keeps her against replica 1's delete, sending her
 * again with each field's stamp, replica 2's title among them. Replica 1,
 * which has still not seen replica 2's files, gets that, then deletes Kim:
 * its delete had not seen replica 2's log, whose stamp is earlier than the
 * title's it now holds. Kim is kept, archived, with the log, everywhere. */
static void test_sync_unseen_log_behind_passed_on_stamp(void **state)
{
    (void)state;
    struct world w;
    char ann[KID_LEN + 1], kim[KID_LEN + 1], row[KID_LEN + 1], sql[200];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ann Lee", "Acme", ann);
    add(J(&w, 0), "Kim Ito", "Globex", kim);
    settle(&w);
    const char *ids[] = {kim};
    struct interaction_input in = {ids, 1, "coffee", KDIR_GAVE, KDATE_NONE, "C coffee", NULL};
    assert_int_equal(interaction_log(J(&w, 2), &in, row, &e), K_OK);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 2), ann, "title", "Chef"), K_OK);
    sync_ok(&w, 2, NULL);
    sync_ok(&w, 0, NULL); /* replica 2's log and title */
    hide_replica(&w, 2, 1);
    pause_ms(3);
    assert_int_equal(set_field(J(&w, 0), ann, "company", "Foo"), K_OK);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ann, &e), K_OK);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 0, NULL); /* Ann kept, sent again */
    sync_ok(&w, 0, NULL);
    sync_ok(&w, 1, NULL); /* replica 2's title on Ann, none of its files */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM contact WHERE id = '%s' AND title = 'Chef'",
             ann);
    assert_int_equal(traw_int(w.r[1].path, sql), 1);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), kim, &e), K_OK);
    sync_ok(&w, 1, NULL);
    hide_replica(&w, 2, 0);
    settle(&w);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM interaction_contact l JOIN contact c ON c.key = l.contact_key"
             " WHERE c.id = '%s'",
             kim);
    for (int i = 0; i < 3; i++) {
        int archived = 0;
        if (!exists(J(&w, i), kim, &archived))
            fail_msg("replica %d: Kim went with a delete that had not seen the log", i);
        assert_int_equal(archived, 1);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
        assert_true(has_conflict(J(&w, i), kim, "*", NULL));
    }
    assert_same_journals(&w);
    world_close(&w);
}

/* A referral's outcome recorded on one machine (an update of the
 * referral and a row of its history) and a later delete, on another that
 * had not seen it, of the contact who made the referral: it keeps the
 * contact, archived, with the referral, its outcome and its history, on
 * every machine, the third meeting the outcome or the delete first, and
 * every machine lists the conflict. A delete made after the outcome had
 * reached its machine takes the contact and lists nothing. */
static void unseen_outcome(int seen, int first)
{
    struct world w;
    char ana[KID_LEN + 1], ref[KID_LEN + 1], sql[400];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Ana Ruiz", "Acme", ana);
    struct referral_input ri = {ana, NULL, "a job at Globex", NULL, KDATE_NONE, NULL, NULL};
    assert_int_equal(referral_add(J(&w, 0), &ri, ref, &e), K_OK);
    settle(&w);
    pause_ms(3);
    assert_int_equal(referral_set_outcome(J(&w, 0), ref, KOUT_HIRED, KDATE_NONE, "in March", &e),
                     K_OK);
    if (seen) {
        sync_ok(&w, 0, NULL);
        sync_ok(&w, 1, NULL); /* the outcome, before the delete */
    }
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), ana, &e), K_OK);
    sync_ok(&w, first, NULL);
    sync_ok(&w, 2, NULL);
    settle(&w);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM referral r JOIN referral_event v ON v.referral_id = r.id"
             " WHERE r.id = '%s' AND r.referrer_id = '%s' AND r.outcome = 'hired'"
             " AND v.note = 'in March'",
             ref, ana);
    for (int i = 0; i < 3; i++) {
        int archived = 0;
        if (exists(J(&w, i), ana, &archived) != !seen)
            fail_msg("seen %d first %d: replica %d: %s", seen, first, i,
                     seen ? "the delete did not hold" : "Ana went with the outcome");
        assert_int_equal(has_conflict(J(&w, i), ana, "*", NULL), !seen);
        if (seen)
            continue;
        assert_int_equal(archived, 1);
        assert_int_equal(traw_int(w.r[i].path, sql), 1);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static void test_sync_unseen_outcome_against_later_delete(void **state)
{
    (void)state;
    for (int seen = 0; seen < 2; seen++)
        for (int first = 0; first < 2; first++)
            unseen_outcome(seen, first);
}

/* A referral's outcome that reached the replica deleting its referrer only
 * with the referrer sent again (kept against another delete, each value
 * with its maker's stamp, the maker's files not applied there yet): the
 * delete had it, and takes the contact. Replica 2 records the outcome;
 * replicas 0 and 2 keep Kim against replica 1's first delete; replica 1
 * gets Kim back from replica 0 with the outcome, none of replica 2's
 * files, and deletes Kim again: Kim goes everywhere, and only the first
 * delete is listed. */
static void test_sync_outcome_passed_on_not_unseen(void **state)
{
    (void)state;
    struct world w;
    char kim[KID_LEN + 1], ref[KID_LEN + 1], sql[400];
    struct kerr e;
    world_open(&w, 3);
    add(J(&w, 0), "Kim Ito", "Globex", kim);
    struct referral_input ri = {kim, NULL, "a job at Globex", NULL, KDATE_NONE, NULL, NULL};
    assert_int_equal(referral_add(J(&w, 0), &ri, ref, &e), K_OK);
    settle(&w);
    pause_ms(3);
    assert_int_equal(referral_set_outcome(J(&w, 2), ref, KOUT_OFFER, KDATE_NONE, "an offer", &e),
                     K_OK);
    sync_ok(&w, 2, NULL);
    sync_ok(&w, 0, NULL); /* replica 2's outcome */
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), kim, &e), K_OK);
    hide_replica(&w, 2, 1);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 0, NULL); /* Kim kept, sent again */
    hide_replica(&w, 2, 0);
    sync_ok(&w, 2, NULL); /* kept there too */
    hide_replica(&w, 2, 1);
    sync_ok(&w, 0, NULL);
    sync_ok(&w, 1, NULL); /* replica 0's keep, none of replica 2's files */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM referral r JOIN referral_event v ON v.referral_id = r.id"
             " WHERE r.id = '%s' AND r.outcome = 'offer'",
             ref);
    assert_true(exists(J(&w, 1), kim, NULL));
    assert_int_equal(traw_int(w.r[1].path, sql), 1);
    pause_ms(3);
    assert_int_equal(contact_delete(J(&w, 1), kim, &e), K_OK);
    sync_ok(&w, 1, NULL);
    sync_ok(&w, 0, NULL);
    hide_replica(&w, 2, 0);
    settle(&w);
    for (int i = 0; i < 3; i++) {
        if (exists(J(&w, i), kim, NULL))
            fail_msg("replica %d: Kim kept against a delete that had the outcome", i);
        if (traw_int(w.r[i].path, "SELECT count(*) FROM sync_conflict WHERE kept LIKE 'kept%'"
                                  " OR other LIKE 'kept%' OR other LIKE 'logged%'") > 2)
            fail_msg("replica %d: the second delete listed as against a change", i);
    }
    assert_same_journals(&w);
    world_close(&w);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sync_two_replicas),
    cmocka_unit_test(test_sync_same_field),
    cmocka_unit_test(test_sync_tie),
    cmocka_unit_test(test_sync_local_keys),
    cmocka_unit_test(test_sync_edit_against_delete),
    cmocka_unit_test(test_sync_kept_keeps_later_edit),
    cmocka_unit_test(test_sync_kept_archived_not_a_conflict),
    cmocka_unit_test(test_sync_unseen_edit_against_later_delete),
    cmocka_unit_test(test_sync_unseen_log_against_later_delete),
    cmocka_unit_test(test_sync_unseen_log_behind_passed_on_stamp),
    cmocka_unit_test(test_sync_unseen_outcome_against_later_delete),
    cmocka_unit_test(test_sync_outcome_passed_on_not_unseen),
    cmocka_unit_test(test_sync_tick_and_reminder),
    cmocka_unit_test(test_sync_two_challenges),
    cmocka_unit_test(test_sync_merge_moves),
    cmocka_unit_test(test_sync_undo),
    cmocka_unit_test(test_sync_undone_delete_link),
    cmocka_unit_test(test_sync_kept_without_link),
    cmocka_unit_test(test_sync_kept_without_target),
    cmocka_unit_test(test_sync_merge_before_keeper),
    cmocka_unit_test(test_sync_moved_before_delete),
    cmocka_unit_test(test_sync_thanks_before_referral),
    cmocka_unit_test(test_sync_resent_before_delete),
    cmocka_unit_test(test_sync_undo_of_waiting_move),
    cmocka_unit_test(test_sync_cascade_then_move),
    cmocka_unit_test(test_sync_delete_without_move),
    cmocka_unit_test(test_sync_insert_after_move),
    cmocka_unit_test(test_sync_move_into_kept),
    cmocka_unit_test(test_sync_kept_interaction_link),
    cmocka_unit_test(test_sync_merge_moves_before_delete),
    cmocka_unit_test(test_sync_move_into_deleted),
    cmocka_unit_test(test_sync_waiting_move_keeps_thanks),
    cmocka_unit_test(test_sync_revive_without_target),
    cmocka_unit_test(test_sync_later_thanks_kept),
    cmocka_unit_test(test_sync_kept_referral_thanks),
    cmocka_unit_test(test_sync_moved_before_kept_delete),
    cmocka_unit_test(test_sync_undone_move_into_deleted),
    cmocka_unit_test(test_sync_undone_move_keeps_thanks),
    cmocka_unit_test(test_sync_undo_after_unseen_delete),
    cmocka_unit_test(test_sync_undo_after_named_delete),
    cmocka_unit_test(test_sync_kept_without_gone_link),
    cmocka_unit_test(test_sync_move_over_deleted_target),
    cmocka_unit_test(test_sync_named_then_moved_kept),
    cmocka_unit_test(test_sync_kept_without_waiting_move),
    cmocka_unit_test(test_sync_waiting_move_of_target),
    cmocka_unit_test(test_sync_parked_column_stamps),
    cmocka_unit_test(test_sync_moved_into_kept_thanks),
    cmocka_unit_test(test_sync_moved_after_kept_delete),
    cmocka_unit_test(test_sync_target_moved_before_delete),
    cmocka_unit_test(test_sync_target_moved_then_deleted),
    cmocka_unit_test(test_sync_moved_before_later_kept_delete),
    cmocka_unit_test(test_sync_move_after_unseen_delete),
    cmocka_unit_test(test_sync_kept_move_into_deleted),
    cmocka_unit_test(test_sync_moved_before_resent_delete),
    cmocka_unit_test(test_sync_resent_into_deleted),
    cmocka_unit_test(test_sync_named_then_undone),
    cmocka_unit_test(test_sync_moved_before_kept_thanks),
    cmocka_unit_test(test_sync_kept_thanks_moved_after),
    cmocka_unit_test(test_sync_merged_away_kept_without_links),
    cmocka_unit_test(test_sync_errors),
    cmocka_unit_test(test_sync_first_file_packed),
    cmocka_unit_test(test_sync_file_decode),
    cmocka_unit_test(test_sync_prune_and_snapshot),
    cmocka_unit_test(test_sync_property),
    cmocka_unit_test(test_sync_property_git),
};

TEST_MAIN(tests)
