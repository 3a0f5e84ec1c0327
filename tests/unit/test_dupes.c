/* Likely duplicates and merging: what counts as alike, what a merge moves
 * in its one transaction, and that undo puts back exactly what was. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/dupes.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"
#include "kith/core/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole journal as JSON, to compare before and after. */
static char *snapshot(struct journal *j)
{
    struct sbuf b = {0};
    struct kerr e;
    assert_int_equal(transfer_export_json(j, tsbuf_write, &b, &e), K_OK);
    return sbuf_take(&b);
}

static void import(struct journal *j, const char *cards)
{
    struct transfer_import_opts o = {"t.vcf", NULL, 0, 1, CARD_MDY, NULL, NULL, NULL, NULL, NULL};
    struct transfer_stats st;
    struct kerr e;
    if (transfer_import(j, TRANSFER_VCARD, cards, strlen(cards), &o, &st, &e) != K_OK)
        fail_msg("%s", e.msg);
}

static void id_of(struct journal *j, const char *name, char id[KID_LEN + 1])
{
    struct kerr e;
    if (contact_resolve(j, name, id, &e) != K_OK)
        fail_msg("%s: %s", name, e.msg);
}

static void test_names_alike(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int alike;
    } cases[] = {
        {"jon", "john", 1},      {"john", "jon", 1},       {"j.", "john", 1},
        {"j", "john", 1},        {"alex", "alexander", 1}, {"bob", "robert", 1},
        {"liz", "elizabeth", 1}, {"jonh", "john", 1},      {"christopher", "christophre", 1},
        {"tim", "tom", 0},       {"ann", "anna", 1},       {"john", "john", 0},
        {"mary", "maria", 0},    {"sam", "pam", 0},        {"", "john", 0},
        {"smith", "smyth", 1},   {"lee", "li", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (dupes_names_alike(cases[i].a, cases[i].b) != cases[i].alike)
            fail_msg("'%s' and '%s': want %d", cases[i].a, cases[i].b, cases[i].alike);
}

static const struct dupes_pair *pair(const struct dupes_list *l, const char *a, const char *b)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct dupes_pair *p = &l->v[i];
        if ((!strcmp(p->keep.name, a) && !strcmp(p->other.name, b)) ||
            (!strcmp(p->keep.name, b) && !strcmp(p->other.name, a)))
            return p;
    }
    return NULL;
}

static void test_find(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct dupes_list l;
    assert_int_equal(dupes_find(t->j, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    import(t->j,
           "BEGIN:VCARD\nFN:Ana Ruiz\nEMAIL:ana@acme.example\nTEL:+1 555 010 2030\nEND:VCARD\n"
           "BEGIN:VCARD\nUID:phone-1\nFN:Ana R.\nEMAIL:ANA@acme.example\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Robert Lee\nTEL:(555) 010-2030\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Bob Lee\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Kim Ode\nORG:Acme\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Kim Ode\nORG:ACME \nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Pat Nguyen\nORG:Initech\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:pat nguyen\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Jon Smith\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:John Smith\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:John Smyth\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Sam Park\nURL:https://www.linkedin.com/in/sampark1\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Sam Park\nURL:https://www.linkedin.com/in/sampark2\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Tim Berg\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Tom Berg\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Desk 1024\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Desk 3024\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Ana Maria Ruiz\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Ana Marta Ruiz\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Short\nTEL:*123#\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Other Short\nTEL:*123#\nEND:VCARD\n");
    assert_int_equal(dupes_find(t->j, 0, &l, &e), K_OK);
    const struct dupes_pair *p = pair(&l, "Ana Ruiz", "Ana R.");
    assert_non_null(p);
    assert_true(p->reasons & DUPES_EMAIL);
    assert_true(p->reasons & DUPES_SIMILAR);
    assert_string_equal(p->detail, "ana@acme.example");
    assert_string_equal(p->keep.name, "Ana Ruiz"); /* added first */
    p = pair(&l, "Ana Ruiz", "Robert Lee");
    assert_non_null(p);
    assert_int_equal(p->reasons, DUPES_PHONE);
    assert_int_equal(pair(&l, "Kim Ode", "Kim Ode")->reasons, DUPES_NAME_COMPANY);
    assert_int_equal(pair(&l, "Pat Nguyen", "pat nguyen")->reasons, DUPES_NAME);
    assert_int_equal(pair(&l, "Bob Lee", "Robert Lee")->reasons, DUPES_SIMILAR);
    assert_non_null(pair(&l, "Jon Smith", "John Smith"));
    assert_non_null(pair(&l, "John Smith", "John Smyth"));
    /* Two LinkedIn profiles are two people; Tim is not Tom; a short code
     * is not a phone number to share. */
    assert_null(pair(&l, "Sam Park", "Sam Park"));
    assert_null(pair(&l, "Tim Berg", "Tom Berg"));
    assert_null(pair(&l, "Short", "Other Short"));
    assert_null(pair(&l, "Desk 1024", "Desk 3024"));               /* numbers are not typos */
    assert_non_null(pair(&l, "Ana Maria Ruiz", "Ana Marta Ruiz")); /* one word of three */
    /* Strongest first. */
    assert_true(l.v[0].reasons & DUPES_EMAIL);
    size_t all = l.n;
    dupes_list_clear(&l);
    assert_int_equal(dupes_find(t->j, 2, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_true(l.more);
    assert_true(all > 2);
    dupes_list_clear(&l);
}

/* A sync's arrivals: only the pairs that hold an arrival (with a contact
 * there before, or with another arrival: each pair once), each with the
 * reasons and the order dupes_find gives it; not two that were there. */
static void test_find_arrived(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct dupes_list l, all;
    size_t n;
    import(t->j, "BEGIN:VCARD\nUID:o1\nFN:Ana Ruiz\nEMAIL:ana@acme.example\n"
                 "TEL:+1 555 010 2030\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o2\nFN:Kim Ode\nORG:Acme\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o3\nFN:Pat Nguyen\nORG:Initech\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o4\nFN:Jon Smith\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o5\nFN:Bob Lee\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o6\nFN:Old Twin\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o7\nFN:Old Twin\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:o8\nFN:Tim Berg\nEND:VCARD\n");
    assert_int_equal(dupes_arrivals_begin(t->j, &e), K_OK);
    /* None yet: no search. */
    assert_int_equal(dupes_find_arrived(t->j, 0, &n, &l, &e), K_OK);
    assert_int_equal(n, 0);
    assert_int_equal(l.n, 0);
    import(t->j, "BEGIN:VCARD\nUID:n1\nFN:Ana R.\nEMAIL:ANA@acme.example\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n2\nFN:Robert Lee\nTEL:(555) 010-2030\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n3\nFN:Kim Ode\nORG:ACME \nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n4\nFN:pat nguyen\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n5\nFN:John Smith\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n6\nFN:Zed Quo\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n7\nFN:Zed Quo\nEND:VCARD\n"
                 "BEGIN:VCARD\nUID:n8\nFN:Tom Berg\nEND:VCARD\n");
    assert_int_equal(dupes_find_arrived(t->j, 0, &n, &l, &e), K_OK);
    assert_int_equal(n, 8);
    assert_int_equal(dupes_find(t->j, 0, &all, &e), K_OK);
    assert_int_equal(all.n, 8);
    assert_non_null(pair(&all, "Old Twin", "Old Twin"));
    assert_non_null(pair(&all, "Zed Quo", "Zed Quo"));
    assert_null(pair(&l, "Old Twin", "Old Twin"));
    assert_int_equal(l.n, 7);
    static const char *const want[][2] = {
        {"Ana Ruiz", "Ana R."}, {"Ana Ruiz", "Robert Lee"},   {"Bob Lee", "Robert Lee"},
        {"Kim Ode", "Kim Ode"}, {"Pat Nguyen", "pat nguyen"}, {"Jon Smith", "John Smith"},
        {"Zed Quo", "Zed Quo"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct dupes_pair *a = pair(&l, want[i][0], want[i][1]);
        const struct dupes_pair *b = pair(&all, want[i][0], want[i][1]);
        if (!a || !b)
            fail_msg("%s and %s: not found", want[i][0], want[i][1]);
        assert_string_equal(a->keep.id, b->keep.id);
        assert_string_equal(a->other.id, b->other.id);
        assert_int_equal(a->reasons, b->reasons);
        assert_string_equal(a->detail ? a->detail : "", b->detail ? b->detail : "");
        assert_string_equal(a->keep.name, want[i][0]); /* there before: added first */
    }
    dupes_list_clear(&l);
    dupes_list_clear(&all);
    /* Once it ends, nothing more is noted. */
    dupes_arrivals_end(t->j);
    assert_int_equal(dupes_arrivals_begin(t->j, &e), K_OK);
    import(t->j, "BEGIN:VCARD\nUID:n9\nFN:Sol Vega\nEND:VCARD\n");
    assert_int_equal(dupes_find_arrived(t->j, 0, &n, &l, &e), K_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l.n, 0);
    dupes_arrivals_end(t->j);
}

static void test_merge_and_undo(void **state)
{
    (void)state;
    struct tjournal t;
    struct kerr e;
    struct contact c;
    struct dupes_moved m;
    char keep[KID_LEN + 1], other[KID_LEN + 1], carol[KID_LEN + 1], iid[KID_LEN + 1],
        rid[KID_LEN + 1], tid[KID_LEN + 1];
    tj_open(&t);
    import(t.j,
           "BEGIN:VCARD\nUID:k-1\nFN:Robert Lee\nEMAIL:rob@x.example\nNOTE:from work\n"
           "CATEGORIES:Mentor\nEND:VCARD\n"
           "BEGIN:VCARD\nUID:o-1\nFN:Bob Lee\nNICKNAME:Bobby\nEMAIL:bob@home.example\n"
           "TEL;TYPE=cell:+1 555 0100\nORG:Acme\nNOTE:from the phone\nCATEGORIES:mentor,Chess\n"
           "ADR;TYPE=home:;;1 Way;Town;;;\nX-CUSTOM:kept\nEND:VCARD\n"
           "BEGIN:VCARD\nFN:Carol King\nEND:VCARD\n");
    id_of(t.j, "Robert Lee", keep);
    id_of(t.j, "Bob Lee", other);
    id_of(t.j, "Carol King", carol);
    /* Bob's history: an interaction alone, one with Robert too, a
     * referral he made to Carol, one Carol made to him, a thank-you. */
    const char *alone[] = {other}, *both[] = {other, keep};
    struct interaction_input in = {alone,   1,   "coffee", KDIR_GAVE, tday("2026-11-01"),
                                   "alone", NULL};
    assert_int_equal(interaction_log(t.j, &in, iid, &e), K_OK);
    struct interaction_input in2 = {both, 2, "call", KDIR_MUTUAL, tday("2026-11-02"), "both", NULL};
    assert_int_equal(interaction_log(t.j, &in2, iid, &e), K_OK);
    struct referral_input r1 = {other, carol, NULL, "intro", tday("2026-10-01"), NULL, NULL};
    assert_int_equal(referral_add(t.j, &r1, rid, &e), K_OK);
    struct referral_input r2 = {carol, other, NULL, "intro", tday("2026-10-02"), NULL, NULL};
    assert_int_equal(referral_add(t.j, &r2, rid, &e), K_OK);
    struct thanks_input th = {other, tday("2026-10-05"), "lunch", NULL, NULL, NULL};
    assert_int_equal(thanks_add(t.j, &th, tid, &e), K_OK);
    char *before = snapshot(t.j);
    history_record(t.j, "tui", HISTORY_RECORD);

    assert_int_equal(dupes_merge(t.j, keep, keep, 0, &m, &e), K_USAGE);
    assert_int_equal(dupes_merge(t.j, keep, other, 0, &m, &e), K_OK);
    assert_int_equal(m.interactions, 1); /* the shared one stays once */
    assert_int_equal(m.referrals, 2);
    assert_int_equal(m.thanks, 1);
    assert_int_equal(contact_get(t.j, other, &c, &e), K_NOTFOUND);
    assert_int_equal(contact_get(t.j, keep, &c, &e), K_OK);
    assert_string_equal(c.name, "Robert Lee");
    assert_int_equal(c.nicknames.n, 2);
    assert_true(kstrlist_has(&c.nicknames, "Bob Lee")); /* never a name dropped */
    assert_true(kstrlist_has(&c.nicknames, "Bobby"));
    assert_string_equal(c.company, "Acme");
    assert_string_equal(c.note, "from work\n\nfrom the phone");
    assert_int_equal(c.emails.n, 2);
    assert_string_equal(contact_label(&c.phone_labels, 0), "cell");
    assert_int_equal(c.tags.n, 2); /* Mentor and mentor are one */
    assert_int_equal(c.uids.n, 2);
    assert_int_equal(c.naddresses, 1);
    assert_string_equal(c.extra.v[0], "X-CUSTOM:kept");
    assert_int_equal(c.gave + c.asked + c.mutual, 2);
    contact_clear(&c);
    /* Importing Bob's card again finds Robert by Bob's UID. */
    struct transfer_import_opts o = {"b.vcf", NULL, 0, 0, CARD_MDY, NULL, NULL, NULL, NULL, NULL};
    struct transfer_stats st;
    static const char bob[] = "BEGIN:VCARD\nUID:o-1\nFN:Bob Lee\nEND:VCARD\n";
    assert_int_equal(transfer_import(t.j, TRANSFER_VCARD, bob, strlen(bob), &o, &st, &e), K_OK);
    assert_int_equal(st.merged, 1);
    assert_int_equal(st.unchanged, 1);

    /* Undo puts back exactly what was, byte for byte, and says what it
     * undid. */
    struct history_step step = {0};
    assert_int_equal(history_undo(t.j, "tui", &step, &e), K_OK);
    assert_non_null(strstr(step.label, "merged Bob Lee into Robert Lee"));
    history_step_clear(&step);
    char *after = snapshot(t.j);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(history_undo(t.j, "tui", &step, &e), K_NOTFOUND);

    /* A change to the kept contact after the merge is undone first, then
     * the merge. */
    assert_int_equal(dupes_merge(t.j, keep, other, 0, &m, &e), K_OK);
    struct contact_patch p;
    contact_patch_init(&p);
    p.title = "Boss";
    assert_int_equal(contact_edit(t.j, keep, &p, &e), K_OK);
    assert_int_equal(history_undo(t.j, "tui", &step, &e), K_OK);
    assert_null(strstr(step.label, "merged"));
    history_step_clear(&step);
    assert_int_equal(history_undo(t.j, "tui", &step, &e), K_OK);
    assert_non_null(strstr(step.label, "merged"));
    history_step_clear(&step);
    after = snapshot(t.j);
    assert_string_equal(before, after);
    free(after);
    /* A deletion after a merge is what u undoes... */
    assert_int_equal(dupes_merge(t.j, keep, carol, 0, &m, &e), K_OK);
    id_of(t.j, "Robert Lee", keep);
    char *kept = snapshot(t.j);
    assert_int_equal(contact_delete(t.j, keep, &e), K_OK);
    assert_int_equal(history_undo(t.j, "tui", &step, &e), K_OK);
    assert_string_equal(step.contact_id, keep);
    history_step_clear(&step);
    /* ...with everything an import keeps: nicknames, UIDs, labels,
     * addresses, the lines kept as they came. */
    after = snapshot(t.j);
    assert_string_equal(kept, after);
    free(after);
    free(kept);
    free(before);
    tj_close(&t);
}

static void test_merge_refuses_two_profiles(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct dupes_moved m;
    char a[KID_LEN + 1], b[KID_LEN + 1];
    import(t->j, "BEGIN:VCARD\nFN:Sam One\nURL:https://www.linkedin.com/in/sam1\nEND:VCARD\n"
                 "BEGIN:VCARD\nFN:Sam Two\nURL:https://www.linkedin.com/in/sam2\nEND:VCARD\n");
    id_of(t->j, "Sam One", a);
    id_of(t->j, "Sam Two", b);
    char *before = snapshot(t->j);
    assert_kerr(dupes_merge(t->j, a, b, 0, &m, &e), K_USAGE, &e, "different LinkedIn profiles");
    char *after = snapshot(t->j);
    assert_string_equal(before, after);
    assert_int_equal(dupes_merge(t->j, a, b, 1, &m, &e), K_OK);
    free(before);
    free(after);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_names_alike),
    TJ_TEST(test_find),
    TJ_TEST(test_find_arrived),
    cmocka_unit_test(test_merge_and_undo),
    TJ_TEST(test_merge_refuses_two_profiles),
};

TEST_MAIN_GROUP(tests, tutf8_setup, NULL)
