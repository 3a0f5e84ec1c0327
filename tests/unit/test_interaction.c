#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbinteraction.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct interaction_query all_query(void)
{
    struct interaction_query q = {0};
    q.since = q.until = KDATE_NONE;
    return q;
}

static size_t count_all(struct journal *j)
{
    struct interaction_query q = all_query();
    struct interaction_list l;
    struct kerr e;
    assert_int_equal(interaction_list(j, &q, &l, &e), K_OK);
    size_t n = l.n;
    interaction_list_clear(&l);
    return n;
}

static const char *summary_at(const void *l, size_t i)
{
    const char *s = ((const struct interaction_list *)l)->v[i].summary;
    return s ? s : "-";
}

/* The summaries of q's window, comma-separated ("-" for none). */
static void summaries(struct journal *j, const struct interaction_query *q, const char *want)
{
    struct interaction_list l;
    struct kerr e;
    if (interaction_list(j, q, &l, &e) != K_OK)
        fail_msg("interaction_list: %s", e.msg);
    tassert_joined(&l, l.n, summary_at, want, "summaries");
    interaction_list_clear(&l);
}

static void test_log(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], id[KID_LEN + 1];
    tadd_each(t->j, "Ana", ana, "Ben", ben, NULL);

    /* One contact, default date today. */
    struct interaction_input in = {0};
    const char *one[] = {ana};
    in.contact_ids = one;
    in.ncontacts = 1;
    in.kind = "coffee";
    in.dir = KDIR_MUTUAL;
    in.date = KDATE_NONE;
    in.summary = "catch-up";
    in.note = "she is hiring";
    assert_int_equal(interaction_log(t->j, &in, id, &e), K_OK);
    assert_int_equal(strlen(id), KID_LEN);
    struct interaction_query q = all_query();
    struct interaction_list l;
    assert_int_equal(interaction_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, id);
    assert_int_equal(l.v[0].date, tday("2026-11-22"));
    assert_string_equal(l.v[0].kind, "coffee");
    assert_int_equal(l.v[0].dir, KDIR_MUTUAL);
    assert_string_equal(l.v[0].summary, "catch-up");
    assert_string_equal(l.v[0].note, "she is hiring");
    assert_int_equal(l.v[0].ncontacts, 1);
    assert_string_equal(l.v[0].contacts[0].id, ana);
    assert_string_equal(l.v[0].contacts[0].name, "Ana");
    interaction_list_clear(&l);

    /* Several contacts, named twice: each is linked once. */
    const char *two[] = {ben, ana, ben};
    tlogi(t->j, two, 3, "meeting", KDIR_GAVE, "2026-11-01", "", id);
    q.oldest_first = 1;
    assert_int_equal(interaction_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].id, id);
    assert_null(l.v[0].summary); /* "" is no summary */
    assert_null(l.v[0].note);
    assert_int_equal(l.v[0].ncontacts, 2);
    assert_string_equal(l.v[0].contacts[0].name, "Ana");
    assert_string_equal(l.v[0].contacts[1].name, "Ben");
    interaction_list_clear(&l);
    struct contact c;
    assert_int_equal(contact_get(t->j, ben, &c, &e), K_OK);
    assert_int_equal(c.gave, 1);
    assert_int_equal(c.goodwill, 1);
    assert_int_equal(c.last_interaction, tday("2026-11-01"));
    contact_clear(&c);
    assert_int_equal(contact_get(t->j, ana, &c, &e), K_OK);
    assert_int_equal(c.gave, 1);
    assert_int_equal(c.mutual, 1);
    assert_int_equal(c.last_interaction, tday("2026-11-22"));
    contact_clear(&c);
    assert_int_equal(count_all(t->j), 2);
}

static void test_log_refused(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], id[KID_LEN + 1] = "";
    tadd(t->j, "Ana", ana);
    const char *one[] = {ana};

    /* An unknown contact among known ones: nothing is written. */
    const char *mixed[] = {ana, "0123456789abcdef0123456789abcdef"};
    assert_int_equal(tlogi_try(t->j, mixed, 2, "coffee", KDIR_GAVE, "2026-11-01", "x", id, &e),
                     K_NOTFOUND);
    assert_true(e.msg[0] != '\0');
    const char *unknown[] = {"nobody"};
    assert_int_equal(tlogi_try(t->j, unknown, 1, "coffee", KDIR_GAVE, NULL, "x", id, &e),
                     K_NOTFOUND);
    assert_int_equal(tlogi_try(t->j, one, 0, "coffee", KDIR_GAVE, NULL, "x", id, &e), K_USAGE);
    assert_string_equal(e.field, "with");
    assert_int_equal(count_all(t->j), 0);
    struct contact c;
    assert_int_equal(contact_get(t->j, ana, &c, &e), K_OK);
    assert_int_equal(c.last_interaction, KDATE_NONE);
    contact_clear(&c);

    /* The future is refused; today and the past are fine. */
    assert_int_equal(tlogi_try(t->j, one, 1, "coffee", KDIR_GAVE, "2026-11-23", "x", id, &e),
                     K_USAGE);
    assert_non_null(strstr(e.msg, "2026-11-23"));
    assert_int_equal(tlogi_try(t->j, one, 1, "coffee", KDIR_GAVE, "2099-01-01", "x", id, &e),
                     K_USAGE);
    assert_int_equal(count_all(t->j), 0);

    /* Bad kinds and directions. */
    const char *kinds[] = {"", "two words", "caf\xC3\xA9", "a;b", "x\n"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_int_equal(tlogi_try(t->j, one, 1, kinds[i], KDIR_GAVE, NULL, "x", id, &e), K_USAGE);
    assert_int_equal(tlogi_try(t->j, one, 1, NULL, KDIR_GAVE, NULL, "x", id, &e), K_USAGE);
    assert_int_equal(tlogi_try(t->j, one, 1, "coffee", (enum kdir)3, NULL, "x", id, &e), K_USAGE);
    assert_int_equal(tlogi_try(t->j, one, 1, "coffee", (enum kdir) - 1, NULL, "x", id, &e),
                     K_USAGE);
    /* Bad text. */
    assert_int_equal(tlogi_try(t->j, one, 1, "coffee", KDIR_GAVE, NULL, "bad\xFF", id, &e),
                     K_USAGE);
    assert_non_null(strstr(e.msg, "summary"));
    struct interaction_input in = {0};
    in.contact_ids = one;
    in.ncontacts = 1;
    in.kind = "coffee";
    in.date = KDATE_NONE;
    in.note = "\xC0\xAF";
    assert_kerr(interaction_log(t->j, &in, id, &e), K_USAGE, &e, "note");
    assert_int_equal(count_all(t->j), 0);
    assert_string_equal(id, "");

    /* A kind the config does not name is fine. */
    tlogi(t->j, one, 1, "hackathon", KDIR_MUTUAL, "2026-11-22", "x", id);
    assert_int_equal(count_all(t->j), 1);
}

static void test_list(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    tadd_each(t->j, "Ana", ana, "Ben", ben, NULL);
    const char *a[] = {ana}, *b[] = {ben}, *ab[] = {ana, ben};
    tlogi(t->j, a, 1, "coffee", KDIR_MUTUAL, "2026-01-10", "a1", NULL);
    tlogi(t->j, b, 1, "call", KDIR_ASKED, "2026-02-10", "b1", NULL);
    tlogi(t->j, ab, 2, "meeting", KDIR_GAVE, "2026-03-10", "ab1", NULL);
    tlogi(t->j, a, 1, "coffee", KDIR_GAVE, "2026-04-10", "a2", NULL);
    tlogi(t->j, b, 1, "email", KDIR_GAVE, "2026-05-10", "b2", NULL);
    tlogi(t->j, a, 1, "call", KDIR_ASKED, "2026-06-10", "a3", NULL);

    /* Each case is a whole query: who ('a' Ana, 'b' Ben, 'x' no one, 0
     * anyone), since, until, kind, oldest first, offset, limit. */
    static const struct {
        char who;
        const char *since, *until, *kind;
        int oldest_first;
        size_t offset, limit;
        const char *want;
    } cases[] = {
        {0, NULL, NULL, NULL, 0, 0, 0, "a3,b2,a2,ab1,b1,a1"},
        {0, NULL, NULL, NULL, 1, 0, 0, "a1,b1,ab1,a2,b2,a3"},
        /* Windows. */
        {0, NULL, NULL, NULL, 0, 0, 2, "a3,b2"},
        {0, NULL, NULL, NULL, 0, 2, 2, "a2,ab1"},
        {0, NULL, NULL, NULL, 0, 5, 2, "a1"},
        {0, NULL, NULL, NULL, 0, 6, 2, ""},
        {0, NULL, NULL, NULL, 0, 4, 0, "b1,a1"},
        /* Per contact; shared interactions appear for each. */
        {'a', NULL, NULL, NULL, 0, 0, 0, "a3,a2,ab1,a1"},
        {'a', NULL, NULL, NULL, 1, 0, 0, "a1,ab1,a2,a3"},
        {'a', NULL, NULL, NULL, 1, 1, 2, "ab1,a2"},
        {'b', NULL, NULL, NULL, 0, 0, 0, "b2,ab1,b1"},
        {'x', NULL, NULL, NULL, 0, 0, 0, ""},
        /* Since and until are inclusive. */
        {0, "2026-02-10", "2026-04-10", NULL, 0, 0, 0, "a2,ab1,b1"},
        {0, "2026-02-11", "2026-04-10", NULL, 0, 0, 0, "a2,ab1"},
        {0, "2026-02-11", NULL, NULL, 0, 0, 0, "a3,b2,a2,ab1"},
        {0, NULL, "2026-01-10", NULL, 0, 0, 0, "a1"},
        {0, NULL, "2026-01-09", NULL, 0, 0, 0, ""},
        /* Kind, alone and with a contact and dates. */
        {0, NULL, NULL, "coffee", 0, 0, 0, "a2,a1"},
        {0, NULL, NULL, "call", 0, 0, 0, "a3,b1"},
        {'b', NULL, NULL, "call", 0, 0, 0, "b1"},
        {'a', "2026-05-01", NULL, "call", 0, 0, 0, "a3"},
        {'a', "2026-05-01", NULL, "gift", 0, 0, 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct interaction_query w = all_query();
        w.contact_id = cases[i].who == 'a'   ? ana
                       : cases[i].who == 'b' ? ben
                       : cases[i].who == 'x' ? "0123456789abcdef0123456789abcdef"
                                             : NULL;
        if (cases[i].since)
            w.since = tday(cases[i].since);
        if (cases[i].until)
            w.until = tday(cases[i].until);
        w.kind = cases[i].kind;
        w.oldest_first = cases[i].oldest_first;
        w.offset = cases[i].offset;
        w.limit = cases[i].limit;
        summaries(t->j, &w, cases[i].want);
    }

    /* The directions come back as logged. */
    struct interaction_list l;
    struct interaction_query q = all_query();
    q.oldest_first = 1;
    assert_int_equal(interaction_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.v[0].dir, KDIR_MUTUAL);
    assert_int_equal(l.v[1].dir, KDIR_ASKED);
    assert_int_equal(l.v[2].dir, KDIR_GAVE);
    assert_int_equal(l.v[2].date, tday("2026-03-10"));
    interaction_list_clear(&l);
}

/* Several interactions on one day: the last logged is the newest. */
static void test_same_day_order(void **state)
{
    struct tjournal *t = *state;
    char ana[KID_LEN + 1];
    tadd(t->j, "Ana", ana);
    const char *a[] = {ana};
    struct sbuf want = {0}, back = {0};
    for (int i = 0; i < 40; i++) {
        char s[16];
        snprintf(s, sizeof s, "n%02d", i);
        tlogi(t->j, a, 1, "call", KDIR_MUTUAL, "2026-11-20", s, NULL);
        sbuf_printf(&want, "%sn%02d", i ? "," : "", i);
        sbuf_printf(&back, "%sn%02d", i ? "," : "", 39 - i);
    }
    struct interaction_query q = all_query();
    q.oldest_first = 1;
    summaries(t->j, &q, want.s);
    q.contact_id = ana;
    summaries(t->j, &q, want.s);
    q.oldest_first = 0;
    summaries(t->j, &q, back.s);
    q.contact_id = NULL;
    summaries(t->j, &q, back.s);
    sbuf_free(&want);
    sbuf_free(&back);
}

/* Ana (named ana_name) and Ben; an intro given to both on 2026-03-10
 * (summary), then advice Ana was asked for on 2026-04-10. */
static void intro_and_advice(struct journal *j, const char *ana_name, const char *summary,
                             char ana[KID_LEN + 1], char ben[KID_LEN + 1], char i1[KID_LEN + 1],
                             char i2[KID_LEN + 1])
{
    tadd_each(j, ana_name, ana, "Ben", ben, NULL);
    const char *ab[] = {ana, ben}, *a[] = {ana};
    tlogi(j, ab, 2, "intro", KDIR_GAVE, "2026-03-10", summary, i1);
    tlogi(j, a, 1, "advice", KDIR_ASKED, "2026-04-10", NULL, i2);
}

static void test_json(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], i1[KID_LEN + 1], i2[KID_LEN + 1];
    intro_and_advice(t->j, "Ana \"A\" Ruiz", "intro \"quoted\"\n\x1B[1m", ana, ben, i1, i2);

    struct interaction_query q = all_query();
    struct sbuf b = {0};
    assert_int_equal(interaction_each_json(t->j, &q, tjson_lines, &b, &e), K_OK);
    char *second = strchr(b.s, '\n');
    assert_non_null(second);
    *second++ = '\0';
    assert_null(strchr(second, '\n'));

    /* Newest first: the advice, without a summary. */
    const char *j = b.s;
    assert_string_equal(tjson_type(j, "$"), "object");
    tjson_texts(j, "$.id", i2, "$.date", "2026-04-10", "$.kind", "advice", "$.direction", "asked",
                NULL);
    assert_string_equal(tjson_type(j, "$.contacts"), "array");
    assert_int_equal(tjson_len(j, "$.contacts"), 1);
    assert_string_equal(tjson_type(j, "$.contacts[0]"), "object");
    assert_string_equal(tjson_text(j, "$.contacts[0].id"), ana);
    assert_string_equal(tjson_text(j, "$.contacts[0].name"), "Ana \"A\" Ruiz");
    assert_string_equal(tjson_type(j, "$.summary"), "null");
    assert_string_equal(tjson_type(j, "$.note"), "null");

    j = second;
    assert_string_equal(tjson_text(j, "$.id"), i1);
    assert_string_equal(tjson_text(j, "$.direction"), "gave");
    assert_int_equal(tjson_len(j, "$.contacts"), 2);
    assert_string_equal(tjson_text(j, "$.summary"), "intro \"quoted\"\n\x1B[1m");
    sbuf_free(&b);

    /* Filters and windows apply to the JSON stream too. */
    q.contact_id = ben;
    assert_int_equal(interaction_each_json(t->j, &q, tjson_lines, &b, &e), K_OK);
    assert_string_equal(tjson_text(b.s, "$.id"), i1);
    assert_null(strchr(b.s, '\n'));
    sbuf_free(&b);
    q.contact_id = NULL;
    q.oldest_first = 1;
    q.limit = 1;
    assert_int_equal(interaction_each_json(t->j, &q, tjson_lines, &b, &e), K_OK);
    assert_string_equal(tjson_text(b.s, "$.id"), i1);
    assert_null(strchr(b.s, '\n'));
    sbuf_free(&b);
    q = all_query();
    q.kind = "nothing";
    assert_int_equal(interaction_each_json(t->j, &q, tjson_lines, &b, &e), K_OK);
    assert_null(b.s);
}

static void test_delete(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], i1[KID_LEN + 1], i2[KID_LEN + 1];
    intro_and_advice(t->j, "Ana", "zanzibar trip", ana, ben, i1, i2);

    assert_int_equal(interaction_delete(t->j, i1, &e), K_OK);
    assert_int_equal(count_all(t->j), 1);
    struct contact c;
    assert_int_equal(contact_get(t->j, ben, &c, &e), K_OK);
    assert_int_equal(c.gave, 0);
    assert_int_equal(c.goodwill, 0);
    assert_int_equal(c.last_interaction, KDATE_NONE);
    contact_clear(&c);
    assert_int_equal(contact_get(t->j, ana, &c, &e), K_OK);
    assert_int_equal(c.asked, 1);
    assert_int_equal(c.goodwill, -1);
    contact_clear(&c);
    /* Its text left the search index. */
    struct contact_query cq = {0};
    size_t n = 9;
    cq.search = "zanzibar";
    assert_int_equal(contact_count(t->j, &cq, &n, &e), K_OK);
    assert_int_equal(n, 0);

    assert_int_equal(interaction_delete(t->j, i1, &e), K_NOTFOUND);
    assert_int_equal(interaction_delete(t->j, "nothing", &e), K_NOTFOUND);
    assert_int_equal(count_all(t->j), 1);
    assert_int_equal(interaction_delete(t->j, i2, &e), K_OK);
    assert_int_equal(count_all(t->j), 0);
}

static void insert_with_id(struct journal *j, const char *id, const char *contact)
{
    struct interaction it = {0};
    struct kref k = {{0}, NULL};
    struct kerr e;
    snprintf(it.id, sizeof it.id, "%s", id);
    snprintf(k.id, sizeof k.id, "%s", contact);
    it.date = tday("2026-01-01");
    it.kind = (char *)"call";
    it.dir = KDIR_MUTUAL;
    it.contacts = &k;
    it.ncontacts = 1;
    assert_int_equal(db_begin(journal_db(j), &e), K_OK);
    if (dbinteraction_insert(journal_db(j), &it, &e) != K_OK)
        fail_msg("insert: %s", e.msg);
    assert_int_equal(db_commit(journal_db(j), &e), K_OK);
}

static void test_resolve(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], got[KID_LEN + 1], id[KID_LEN + 1];
    tadd(t->j, "Ana", ana);
    const char *a[] = {ana};
    tlogi(t->j, a, 1, "call", KDIR_MUTUAL, NULL, NULL, id);

    assert_int_equal(interaction_resolve(t->j, id, got, &e), K_OK);
    assert_string_equal(got, id);
    char prefix[9];
    memcpy(prefix, id, 8);
    prefix[8] = '\0';
    assert_int_equal(interaction_resolve(t->j, prefix, got, &e), K_OK);
    assert_string_equal(got, id);
    /* Upper-case hex is the same id. */
    for (char *p = prefix; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 32);
    assert_int_equal(interaction_resolve(t->j, prefix, got, &e), K_OK);
    assert_string_equal(got, id);

    insert_with_id(t->j, "abcd0000000000000000000000000000", ana);
    insert_with_id(t->j, "abcd1000000000000000000000000000", ana);
    insert_with_id(t->j, "abce0000000000000000000000000000", ana);
    assert_kerr(interaction_resolve(t->j, "abcd", got, &e), K_USAGE, &e, "ambiguous");
    assert_int_equal(interaction_resolve(t->j, "abcd1", got, &e), K_OK);
    assert_string_equal(got, "abcd1000000000000000000000000000");
    assert_int_equal(interaction_resolve(t->j, "abce", got, &e), K_OK);
    assert_string_equal(got, "abce0000000000000000000000000000");
    assert_int_equal(interaction_resolve(t->j, "abcf", got, &e), K_NOTFOUND);

    /* Not an id at all. */
    assert_int_equal(interaction_resolve(t->j, "abc", got, &e), K_USAGE);
    assert_int_equal(interaction_resolve(t->j, "", got, &e), K_USAGE);
    assert_int_equal(interaction_resolve(t->j, NULL, got, &e), K_USAGE);
    assert_int_equal(interaction_resolve(t->j, "coffee", got, &e), K_USAGE);
    assert_int_equal(interaction_resolve(t->j, "abcd%", got, &e), K_USAGE);
    assert_int_equal(interaction_resolve(t->j, "abc\x1B[2J", got, &e), K_USAGE);
    assert_null(strchr(e.msg, 0x1B));
}

static const struct CMUnitTest tests[] = {
    TJ_TEST(test_log),     TJ_TEST(test_log_refused),
    TJ_TEST(test_list),    TJ_TEST(test_same_day_order),
    TJ_TEST(test_json),    TJ_TEST(test_delete),
    TJ_TEST(test_resolve),
};

TEST_MAIN(tests)
