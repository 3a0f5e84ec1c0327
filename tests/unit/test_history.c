#include "testutil.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/core/referral.h"
#include "kith/core/search.h"
#include "kith/core/thanks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    tj_setup(state);
    struct tjournal *t = *state;
    history_record(t->j, "tui", HISTORY_RECORD);
    return 0;
}

static void add(struct journal *j, const char *name, const char *note, char id[KID_LEN + 1])
{
    struct contact_patch p = tpatch(name);
    p.note = note;
    kstrlist_add(&p.add_emails, "x@example.org");
    kstrlist_add(&p.add_tags, "mentor");
    history_label(j, "added %s", name);
    tadd_patch(j, &p, id);
}

static void set_note(struct journal *j, const char *id, const char *note)
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.note = note;
    history_label(j, "edited the note");
    if (contact_edit(j, id, &p, &e) != K_OK)
        fail_msg("contact_edit: %s", e.msg);
}

static char *note_of(struct journal *j, const char *id)
{
    struct contact c;
    struct kerr e;
    memset(&c, 0, sizeof c);
    if (contact_get(j, id, &c, &e) != K_OK)
        return NULL;
    char *n = c.note ? strdup(c.note) : strdup("");
    contact_clear(&c);
    return n;
}

static size_t search_hits(struct journal *j, const char *q)
{
    struct contact_query cq = {0};
    size_t n = 0;
    struct kerr e;
    cq.search = q;
    assert_int_equal(contact_count(j, &cq, &n, &e), K_OK);
    return n;
}

/* step (history_undo or history_redo) succeeds on the step named label. */
static void step_ok(struct journal *j,
                    int (*step)(struct journal *, const char *, struct history_step *,
                                struct kerr *),
                    const char *what, const char *label)
{
    struct history_step s;
    struct kerr e;
    if (step(j, "tui", &s, &e) != K_OK)
        fail_msg("%s: %s", what, e.msg);
    assert_string_equal(s.label, label);
    history_step_clear(&s);
}

static void undo_ok(struct journal *j, const char *label)
{
    step_ok(j, history_undo, "undo", label);
}

static void redo_ok(struct journal *j, const char *label)
{
    step_ok(j, history_redo, "redo", label);
}

/* The TUI's undo is refused, with a message that holds each part given
 * (NULL ends them), and leaves nothing to clear. */
static void undo_refused(struct journal *j, ...)
{
    struct history_step s;
    struct kerr e;
    va_list ap;
    assert_int_equal(history_undo(j, "tui", &s, &e), K_ERR);
    va_start(ap, j);
    for (const char *part; (part = va_arg(ap, const char *));) {
        if (!strstr(e.msg, part))
            print_error("message '%s' lacks '%s'\n", e.msg, part);
        assert_non_null(strstr(e.msg, part));
    }
    va_end(ap);
}

/* Edits undo and redo in order, and the full-text index follows. */
static void test_undo_redo_edits(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1];
    add(t->j, "Ana Ruiz", "zebra", id);
    set_note(t->j, id, "giraffe");
    set_note(t->j, id, "okapi");
    assert_int_equal(search_hits(t->j, "okapi"), 1);
    undo_ok(t->j, "edited the note");
    char *n = note_of(t->j, id);
    assert_string_equal(n, "giraffe");
    free(n);
    assert_int_equal(search_hits(t->j, "okapi"), 0);
    assert_int_equal(search_hits(t->j, "giraffe"), 1);
    undo_ok(t->j, "edited the note");
    assert_int_equal(search_hits(t->j, "zebra"), 1);
    redo_ok(t->j, "edited the note");
    n = note_of(t->j, id);
    assert_string_equal(n, "giraffe");
    free(n);
    undo_ok(t->j, "edited the note");
    undo_ok(t->j, "added Ana Ruiz");
    assert_null(note_of(t->j, id));
    assert_int_equal(search_hits(t->j, "zebra"), 0);
    struct history_step s;
    struct kerr e;
    assert_int_equal(history_undo(t->j, "tui", &s, &e), K_NOTFOUND);
    assert_string_equal(e.msg, "nothing to undo");
    redo_ok(t->j, "added Ana Ruiz");
    assert_int_equal(search_hits(t->j, "zebra"), 1);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_detail"), 1);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact_tag"), 1);
    /* A new change ends what could be redone. */
    set_note(t->j, id, "lynx");
    assert_int_equal(history_redo(t->j, "tui", &s, &e), K_NOTFOUND);
}

/* Deleting a contact takes its details, interactions, referrals and
 * thank-yous (and cuts links to it); undo puts every row back. */
static void test_undo_delete(void **state)
{
    struct tjournal *t = *state;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], iid[KID_LEN + 1], rid[KID_LEN + 1];
    char tid[KID_LEN + 1];
    struct kerr e;
    add(t->j, "Ana Ruiz", "n", ana);
    add(t->j, "Ben Okafor", "n", ben);
    const char *both[] = {ana, ben};
    assert_int_equal(tlogi_try(t->j, both, 2, "coffee", KDIR_GAVE, NULL, "pangolin talk", iid, &e),
                     K_OK);
    assert_int_equal(tlogi_try(t->j, both, 1, "coffee", KDIR_GAVE, NULL, "solo chat", iid, &e),
                     K_OK);
    struct referral_input r = {0};
    r.referrer_id = ben;
    r.target_id = ana;
    r.kind = "intro";
    r.date = KDATE_NONE;
    assert_int_equal(referral_add(t->j, &r, rid, &e), K_OK);
    struct thanks_input th = {0};
    th.contact_id = ben;
    th.referral_id = rid;
    th.date = KDATE_NONE;
    assert_int_equal(thanks_add(t->j, &th, tid, &e), K_OK);
    long long before_ic = traw_int(t->path, "SELECT count(*) FROM interaction_contact");
    history_label(t->j, "deleted Ana Ruiz");
    assert_int_equal(contact_delete(t->j, ana, &e), K_OK);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM interaction"), 1);
    assert_int_equal(
        traw_int(t->path, "SELECT count(*) FROM referral WHERE target_contact_id IS NULL"), 1);
    struct history_step s;
    assert_int_equal(history_undo(t->j, "tui", &s, &e), K_OK);
    assert_string_equal(s.label, "deleted Ana Ruiz");
    assert_string_equal(s.contact_id, ana);
    history_step_clear(&s);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact"), 2);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM interaction"), 2);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM interaction_contact"), before_ic);
    assert_int_equal(
        traw_int(t->path, "SELECT count(*) FROM referral WHERE target_contact_id IS NOT NULL"), 1);
    assert_int_equal(search_hits(t->j, "pangolin"), 2);
    /* Redo deletes again, cascades and all. */
    assert_int_equal(history_redo(t->j, "tui", &s, &e), K_OK);
    history_step_clear(&s);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact"), 1);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

/* A row changed since by someone else (another origin) refuses the undo,
 * says so, and changes nothing; a later change to other fields does not. */
static void test_undo_refuses_changed_rows(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1];
    struct kerr e;
    struct history_step s;
    add(t->j, "Ana Ruiz", "first", id);
    set_note(t->j, id, "second");
    /* The command line (not recorded under "tui") changes the note. */
    history_record(t->j, "cli", HISTORY_RECORD);
    set_note(t->j, id, "third");
    history_record(t->j, "tui", HISTORY_RECORD);
    undo_refused(t->j, "Ana Ruiz has changed since", NULL);
    char *n = note_of(t->j, id);
    assert_string_equal(n, "third");
    free(n);
    /* The CLI's own undo takes its change back; then the TUI's works. */
    assert_int_equal(history_undo(t->j, "cli", &s, &e), K_OK);
    history_step_clear(&s);
    undo_ok(t->j, "edited the note");
    n = note_of(t->j, id);
    assert_string_equal(n, "first");
    free(n);

    /* Another field changed since: the undo of the note goes through. */
    set_note(t->j, id, "fourth");
    struct contact_patch p;
    contact_patch_init(&p);
    p.title = "CTO";
    history_record(t->j, "cli", HISTORY_RECORD);
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    history_record(t->j, "tui", HISTORY_RECORD);
    undo_ok(t->j, "edited the note");
    struct contact c;
    memset(&c, 0, sizeof c);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.note, "first");
    assert_string_equal(c.title, "CTO");
    contact_clear(&c);
}

/* A pay-it-forward is journal data the history knows by name: undoing the
 * add of a contact given one since (from the command line) would delete it
 * too, and the refusal says so. */
static void test_undo_names_a_forward(void **state)
{
    struct tjournal *t = *state;
    char ana[KID_LEN + 1], fid[KID_LEN + 1];
    struct kerr e;
    struct history_step s;
    add(t->j, "Ana Ruiz", NULL, ana);
    history_record(t->j, "cli", HISTORY_RECORD);
    struct forward_input in = {"sent Ana the job list", ana, KDATE_NONE, NULL};
    history_label(t->j, "paid forward: %s", in.text);
    assert_int_equal(forward_add(t->j, &in, CHALLENGE_TICK_NONE, fid, NULL, &e), K_OK);
    history_record(t->j, "tui", HISTORY_RECORD);
    undo_refused(t->j, "cannot undo \"added Ana Ruiz\"", "a pay-it-forward made since", NULL);
    /* The command line's undo takes the gift back; then the add goes. */
    assert_int_equal(history_undo(t->j, "cli", &s, &e), K_OK);
    assert_string_equal(s.label, "paid forward: sent Ana the job list");
    history_step_clear(&s);
    undo_ok(t->j, "added Ana Ruiz");
}

/* Undoing an add whose contact was given an interaction since would delete
 * that interaction too: refused. */
static void test_undo_refuses_cascades(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1], iid[KID_LEN + 1];
    struct kerr e;
    add(t->j, "Ana Ruiz", "n", id);
    history_record(t->j, "cli", HISTORY_RECORD);
    const char *one[] = {id};
    struct interaction_input in = {0};
    in.contact_ids = one;
    in.ncontacts = 1;
    in.kind = "call";
    in.dir = KDIR_MUTUAL;
    in.date = KDATE_NONE;
    assert_int_equal(interaction_log(t->j, &in, iid, &e), K_OK);
    history_record(t->j, "tui", HISTORY_RECORD);
    undo_refused(t->j, "would also change an interaction made since", NULL);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM contact"), 1);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM interaction_contact"), 1);
}

/* Ticks, outcomes and the history's length: at least 50 levels. */
static void test_many_levels(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1], cid[KID_LEN + 1];
    struct kerr e;
    add(t->j, "Ana Ruiz", "n0", id);
    history_label(t->j, "started a challenge");
    assert_int_equal(challenge_start(t->j, tday("2026-11-20"), 30, cid, &e), K_OK);
    history_label(t->j, "ticked");
    assert_int_equal(challenge_tick(t->j, KDATE_NONE, "did it", NULL, NULL, &e), K_OK);
    for (int i = 1; i <= 60; i++) {
        char note[16];
        snprintf(note, sizeof note, "n%d", i);
        set_note(t->j, id, note);
    }
    for (int i = 0; i < 60; i++)
        undo_ok(t->j, "edited the note");
    undo_ok(t->j, "ticked");
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM challenge_tick"), 0);
    undo_ok(t->j, "started a challenge");
    char *n = note_of(t->j, id);
    assert_string_equal(n, "n0");
    free(n);
    /* The history keeps its last HISTORY_KEEP entries. */
    for (int i = 0; i < HISTORY_KEEP + 20; i++) {
        char note[16];
        snprintf(note, sizeof note, "m%d", i);
        set_note(t->j, id, note);
    }
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM history WHERE origin = 'tui'"),
                     HISTORY_KEEP);
}

/* Bulk work leaves a mark undo stops at; a save that changes nothing
 * leaves nothing to undo. */
static void test_barrier_and_no_op(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1];
    struct kerr e;
    add(t->j, "Ana Ruiz", "n", id);
    struct contact_patch p;
    contact_patch_init(&p);
    p.note = "n";
    history_label(t->j, "no change");
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    assert_int_equal(traw_int(t->path, "SELECT count(*) FROM history"), 1);
    history_record(t->j, "tui", HISTORY_BARRIER);
    history_label(t->j, "kith import vcard big.vcf");
    add(t->j, "Bulk One", "b", id);
    history_record(t->j, "tui", HISTORY_RECORD);
    undo_refused(t->j, "bulk work and cannot be undone", NULL);
    struct history_list l;
    assert_int_equal(history_list(t->j, "tui", 0, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].kept, 0);
    assert_int_equal(l.v[1].kept, 1);
    history_list_clear(&l);
}

/* A test run between setup and tj_teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, tj_teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_undo_redo_edits),
    FX_TEST(test_undo_delete),
    FX_TEST(test_undo_refuses_changed_rows),
    FX_TEST(test_undo_names_a_forward),
    FX_TEST(test_undo_refuses_cascades),
    FX_TEST(test_many_levels),
    FX_TEST(test_barrier_and_no_op),
};

TEST_MAIN(tests)
