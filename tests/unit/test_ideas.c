/* Ideas: the words matching compares, and introductions found through
 * offers, what someone works on and tags, explained; archived contacts
 * left out. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/ideas.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

static void test_words(void **state)
{
    (void)state;
    struct kstrlist w = {0};
    ideas_words("Hiring two staff Engineers; an intro to a seed INVESTOR, ideally fintech", &w);
    const char *want[] = {"hir", "two", "staff", "engine", "seed", "invest", "fintech"};
    assert_int_equal(w.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < w.n; i++)
        assert_string_equal(w.v[i], want[i]);
    kstrlist_clear(&w);
    /* "ies" becomes "y": "companies" and "company" are one word. */
    ideas_words("companies company", &w);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.v[0], "company");
    kstrlist_clear(&w);
    /* Little words only: nothing to match on. */
    ideas_words("help with it, for me", &w);
    assert_int_equal(w.n, 0);
    ideas_words(NULL, &w);
    assert_int_equal(w.n, 0);
    /* Accents fold; words of other scripts stay words. */
    ideas_words("Investición für Gründer 投資", &w);
    assert_true(kstrlist_has(&w, "investicion") || kstrlist_has(&w, "investición"));
    assert_true(w.n == 4);
    kstrlist_clear(&w);
}

static void add(struct tjournal *t, const char *name, const char *need, const char *offer,
                const char *working_on, const char *tag, int archived, char id[KID_LEN + 1])
{
    struct contact_patch p;
    struct kerr e;
    contact_patch_init(&p);
    p.name = name;
    p.working_on = working_on;
    if (need)
        kstrlist_add(&p.add_needs, need);
    if (offer)
        kstrlist_add(&p.add_offers, offer);
    if (tag)
        kstrlist_add(&p.add_tags, tag);
    p.archived = archived;
    if (contact_add(t->j, &p, id, &e) != K_OK)
        fail_msg("%s", e.msg);
    contact_patch_clear(&p);
}

static const struct idea *find(const struct idea_list *l, enum idea_type t, const char *who)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].type == t && !strcmp(l->v[i].who[0].name, who))
            return &l->v[i];
    return NULL;
}

static void test_intros(void **state)
{
    struct tjournal *t = *state;
    struct idea_list l;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], c[KID_LEN + 1], d[KID_LEN + 1], x[KID_LEN + 1];
    add(t, "Ana", "an intro to a seed investor", NULL, NULL, NULL, 0, a);
    add(t, "Ben", NULL, NULL, NULL, "Investors", 0, b);
    add(t, "Cy", "two staff engineers", NULL, NULL, NULL, 0, c);
    add(t, "Dee", NULL, NULL, "engineering hiring at Globex", NULL, 0, d);
    /* Archived: a perfect match, never suggested. */
    add(t, "Xan", NULL, "staff engineers", NULL, NULL, 1, x);
    assert_int_equal(ideas_list(t->j, 0, &l, &e), K_OK);
    const struct idea *i = find(&l, IDEA_INTRO, "Ana");
    assert_non_null(i);
    assert_int_equal(i->nwho, 2);
    assert_string_equal(i->who[1].id, b);
    assert_string_equal(i->reason, "Ana needs 'an intro to a seed investor'; Ben is tagged "
                                   "#Investors (invest)");
    assert_string_equal(i->kind, "intro");
    assert_int_equal(i->dir, KDIR_GAVE);
    i = find(&l, IDEA_INTRO, "Cy");
    assert_non_null(i);
    assert_string_equal(i->who[1].name, "Dee");
    assert_string_equal(i->reason, "Cy needs 'two staff engineers'; Dee works on 'engineering "
                                   "hiring at Globex' (engine)");
    /* Nobody is introduced to themselves, nor to an archived contact. */
    for (size_t k = 0; k < l.n; k++)
        for (size_t w = 0; w < l.v[k].nwho; w++)
            assert_string_not_equal(l.v[k].who[w].id, x);
    idea_list_clear(&l);
    idea_list_clear(&l);
    idea_list_clear(NULL);
    /* A limit keeps the best. */
    assert_int_equal(ideas_list(t->j, 1, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    idea_list_clear(&l);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_words),
    TJ_TEST(test_intros),
};

TEST_MAIN(tests)
