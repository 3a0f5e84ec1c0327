#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/goodwill.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int balance(struct journal *j, const char *id)
{
    struct contact c;
    struct kerr e;
    assert_int_equal(contact_get(j, id, &c, &e), K_OK);
    int g = c.goodwill;
    contact_clear(&c);
    return g;
}

static void test_default_weights(void **state)
{
    (void)state;
    struct config *cfg = config_defaults();
    assert_int_equal(goodwill_weight(cfg, "coffee", KDIR_GAVE), 1);
    assert_int_equal(goodwill_weight(cfg, "coffee", KDIR_ASKED), -1);
    assert_int_equal(goodwill_weight(cfg, "coffee", KDIR_MUTUAL), 0);
    assert_int_equal(goodwill_weight(cfg, "article", KDIR_GAVE), 1);
    assert_int_equal(goodwill_weight(cfg, "intro", KDIR_GAVE), 3);
    assert_int_equal(goodwill_weight(cfg, "intro", KDIR_ASKED), -3);
    assert_int_equal(goodwill_weight(cfg, "intro", KDIR_MUTUAL), 0);
    assert_int_equal(goodwill_weight(cfg, "referral", KDIR_GAVE), 3);
    assert_int_equal(goodwill_weight(cfg, "referral", KDIR_ASKED), -3);
    assert_int_equal(goodwill_weight(cfg, "referral", KDIR_MUTUAL), 0);
    /* Kinds the config does not know use the "*" weights. */
    assert_int_equal(goodwill_weight(cfg, "hackathon", KDIR_GAVE), 1);
    assert_int_equal(goodwill_weight(cfg, "hackathon", KDIR_ASKED), -1);
    assert_int_equal(goodwill_weight(cfg, NULL, KDIR_GAVE), 1);
    config_free(&cfg);
    assert_null(cfg);
}

static void test_default_balances(void **state)
{
    struct tjournal *t = *state;
    char a[KID_LEN + 1], b[KID_LEN + 1];
    tadd_each(t->j, "Ana", a, "Ben", b, NULL);
    const char *ia[] = {a}, *ib[] = {b}, *iab[] = {a, b};
    tlogi(t->j, ia, 1, "coffee", KDIR_GAVE, "2026-01-01", NULL, NULL);    /* +1 */
    tlogi(t->j, ia, 1, "advice", KDIR_ASKED, "2026-01-02", NULL, NULL);   /* -1 */
    tlogi(t->j, ia, 1, "call", KDIR_MUTUAL, "2026-01-03", NULL, NULL);    /* 0 */
    tlogi(t->j, ia, 1, "intro", KDIR_GAVE, "2026-01-04", NULL, NULL);     /* +3 */
    tlogi(t->j, ia, 1, "referral", KDIR_GAVE, "2026-01-05", NULL, NULL);  /* +3 */
    tlogi(t->j, ib, 1, "referral", KDIR_ASKED, "2026-01-06", NULL, NULL); /* -3 */
    tlogi(t->j, ib, 1, "intro", KDIR_MUTUAL, "2026-01-07", NULL, NULL);   /* 0 */
    tlogi(t->j, iab, 2, "article", KDIR_GAVE, "2026-01-08", NULL, NULL);  /* +1 each */
    assert_int_equal(balance(t->j, a), 7);
    assert_int_equal(balance(t->j, b), -2);
}

/* A config with weights of its own: "*" gives 5/-5/1, coffee 2/-4/0. */
static struct config *custom_config(int with_star)
{
    struct config *cfg = config_defaults();
    for (size_t i = 0; i < cfg->nweights; i++)
        free(cfg->weights[i].kind);
    free(cfg->weights);
    cfg->nweights = with_star ? 2 : 1;
    cfg->weights = calloc(cfg->nweights, sizeof *cfg->weights);
    cfg->weights[0].kind = kstr_dup("coffee");
    cfg->weights[0].gave = 2;
    cfg->weights[0].asked = -4;
    cfg->weights[0].mutual = 0;
    if (with_star) {
        cfg->weights[1].kind = kstr_dup("*");
        cfg->weights[1].gave = 5;
        cfg->weights[1].asked = -5;
        cfg->weights[1].mutual = 1;
    }
    return cfg;
}

static void test_custom_weights(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char a[KID_LEN + 1];
    tadd(t->j, "Ana", a);
    const char *ia[] = {a};
    struct {
        const char *kind;
        enum kdir dir;
    } log[] = {{"coffee", KDIR_GAVE}, {"coffee", KDIR_ASKED}, {"coffee", KDIR_MUTUAL},
               {"intro", KDIR_GAVE},  {"call", KDIR_MUTUAL},  {"advice", KDIR_ASKED}};
    for (size_t i = 0; i < sizeof log / sizeof log[0]; i++)
        tlogi(t->j, ia, 1, log[i].kind, log[i].dir, "2026-02-01", NULL, NULL);
    /* Defaults: +1 -1 0 +3 0 -1. */
    assert_int_equal(balance(t->j, a), 2);

    /* The C weight and the SQL balance agree under every config. */
    struct config *cfgs[] = {custom_config(1), custom_config(0), t->cfg};
    int want[] = {2 - 4 + 0 + 5 + 1 - 5, 2 - 4, 2};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(goodwill_apply_weights(t->j, cfgs[k], &e), K_OK);
        int sum = 0;
        for (size_t i = 0; i < sizeof log / sizeof log[0]; i++)
            sum += goodwill_weight(cfgs[k], log[i].kind, log[i].dir);
        assert_int_equal(sum, want[k]);
        assert_int_equal(balance(t->j, a), want[k]);
        struct ledger l;
        assert_int_equal(goodwill_ledger(t->j, 0, 0, &l, &e), K_OK);
        assert_int_equal(l.n, 1);
        assert_int_equal(l.v[0].balance, want[k]);
        ledger_clear(&l);
    }
    /* Without "*", unknown kinds weigh nothing. */
    assert_int_equal(goodwill_weight(cfgs[1], "intro", KDIR_GAVE), 0);
    assert_int_equal(goodwill_weight(cfgs[0], "intro", KDIR_GAVE), 5);
    assert_int_equal(goodwill_weight(cfgs[0], "coffee", KDIR_ASKED), -4);
    config_free(&cfgs[0]);
    config_free(&cfgs[1]);

    /* A journal opened with a custom config uses it from the start. */
    struct config *cfg = custom_config(1);
    struct journal *j2 = NULL;
    assert_int_equal(journal_open(t->path, cfg, 0, &j2, &e), K_OK);
    assert_int_equal(balance(j2, a), -1);
    assert_int_equal(balance(t->j, a), 2);
    journal_close(&j2);
    config_free(&cfg);
}

/* A ledger row as a test expects it: every count and the last date. */
struct want_row {
    const char *name;
    int balance, gave, asked, mutual;
    const char *last;
};

static void assert_row(const struct ledger_row *r, const struct want_row *w)
{
    assert_string_equal(r->contact.name, w->name);
    assert_int_equal(r->balance, w->balance);
    assert_int_equal(r->gave, w->gave);
    assert_int_equal(r->asked, w->asked);
    assert_int_equal(r->mutual, w->mutual);
    assert_int_equal(r->last_interaction, tday(w->last));
}

static void test_ledger(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], c[KID_LEN + 1], d[KID_LEN + 1], z[KID_LEN + 1];
    tadd_each(t->j, "Ana", a, "Ben", b, "Cy", c, "Dee", d, NULL);
    tadd(t->j, "Zed", z); /* no interactions: not in the ledger */
    const char *ia[] = {a}, *ib[] = {b}, *ic[] = {c}, *id_[] = {d}, *icd[] = {c, d};
    tlogi(t->j, ia, 1, "coffee", KDIR_GAVE, "2026-03-01", NULL, NULL);
    tlogi(t->j, ia, 1, "coffee", KDIR_ASKED, "2026-03-05", NULL, NULL);
    tlogi(t->j, ia, 1, "call", KDIR_MUTUAL, "2026-03-09", NULL, NULL);
    tlogi(t->j, ib, 1, "intro", KDIR_GAVE, "2026-01-01", NULL, NULL);
    tlogi(t->j, ic, 1, "advice", KDIR_ASKED, "2026-04-01", NULL, NULL);
    tlogi(t->j, icd, 2, "meeting", KDIR_MUTUAL, "2026-05-01", NULL, NULL);
    tlogi(t->j, id_, 1, "coffee", KDIR_MUTUAL, "2026-02-01", NULL, NULL);

    struct ledger l;
    assert_int_equal(goodwill_ledger(t->j, 0, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 4);
    /* Highest balance first; ties by name. */
    static const struct want_row rows[] = {
        {"Ben", 3, 1, 0, 0, "2026-01-01"},
        {"Ana", 0, 1, 1, 1, "2026-03-09"},
        {"Dee", 0, 0, 0, 2, "2026-05-01"},
        {"Cy", -1, 0, 1, 1, "2026-05-01"},
    };
    for (size_t i = 0; i < 4; i++)
        assert_row(&l.v[i], &rows[i]);
    assert_string_equal(l.v[0].contact.id, b);
    ledger_clear(&l);
    assert_null(l.v);

    /* Windows. */
    assert_int_equal(goodwill_ledger(t->j, 1, 2, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].contact.name, "Ana");
    assert_string_equal(l.v[1].contact.name, "Dee");
    ledger_clear(&l);
    assert_int_equal(goodwill_ledger(t->j, 3, 0, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].contact.name, "Cy");
    ledger_clear(&l);
    assert_int_equal(goodwill_ledger(t->j, 10, 5, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    ledger_clear(&l);

    /* The ledger agrees with each contact's own figures. */
    assert_int_equal(goodwill_ledger(t->j, 0, 0, &l, &e), K_OK);
    for (size_t i = 0; i < l.n; i++) {
        struct contact ct;
        assert_int_equal(contact_get(t->j, l.v[i].contact.id, &ct, &e), K_OK);
        assert_int_equal(ct.goodwill, l.v[i].balance);
        assert_int_equal(ct.gave, l.v[i].gave);
        assert_int_equal(ct.asked, l.v[i].asked);
        assert_int_equal(ct.mutual, l.v[i].mutual);
        assert_int_equal(ct.last_interaction, l.v[i].last_interaction);
        contact_clear(&ct);
    }
    ledger_clear(&l);
}

static int stop_first(const char *json, void *ud)
{
    (void)json;
    ++*(int *)ud;
    return 1;
}

static void test_ledger_json(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1];
    tadd_each(t->j, "Ana \"the\" Ruiz", a, "Ben", b, NULL);
    const char *ia[] = {a}, *ib[] = {b};
    tlogi(t->j, ia, 1, "intro", KDIR_GAVE, "2026-03-01", NULL, NULL);
    tlogi(t->j, ia, 1, "coffee", KDIR_ASKED, "2026-03-02", NULL, NULL);
    tlogi(t->j, ib, 1, "coffee", KDIR_MUTUAL, "2026-03-03", NULL, NULL);

    struct sbuf s = {0};
    assert_int_equal(goodwill_ledger_each_json(t->j, tjson_lines, &s, &e), K_OK);
    char *second = strchr(s.s, '\n');
    assert_non_null(second);
    *second++ = '\0';
    const char *j = s.s;
    assert_string_equal(tjson_type(j, "$"), "object");
    assert_string_equal(tjson_text(j, "$.id"), a);
    assert_string_equal(tjson_text(j, "$.name"), "Ana \"the\" Ruiz");
    assert_string_equal(tjson_type(j, "$.gave"), "integer");
    assert_int_equal(tjson_int(j, "$.gave"), 1);
    assert_int_equal(tjson_int(j, "$.asked"), 1);
    assert_int_equal(tjson_int(j, "$.mutual"), 0);
    assert_string_equal(tjson_type(j, "$.balance"), "integer");
    assert_int_equal(tjson_int(j, "$.balance"), 2);
    assert_string_equal(tjson_text(j, "$.last_interaction"), "2026-03-02");
    j = second;
    assert_string_equal(tjson_text(j, "$.name"), "Ben");
    assert_int_equal(tjson_int(j, "$.balance"), 0);
    assert_int_equal(tjson_int(j, "$.mutual"), 1);
    sbuf_free(&s);

    int calls = 0;
    assert_int_equal(goodwill_ledger_each_json(t->j, stop_first, &calls, &e), K_OK);
    assert_int_equal(calls, 1);
}

/* Every balance fits the list's column, and reads as the nearest figure. */
static void test_short(void **state)
{
    (void)state;
    static const struct {
        int v;
        const char *want;
    } cases[] = {
        {0, "0"},           {7, "+7"},           {-7, "-7"},         {42, "+42"},
        {999, "+999"},      {-999, "-999"},      {1000, "+1k"},      {1499, "+1k"},
        {1500, "+2k"},      {-2600, "-3k"},      {9499, "+9k"},      {9500, "+10k"},
        {99499, "+99k"},    {99500, "+.1M"},     {-149999, "-.1M"},  {150000, "+.2M"},
        {949999, "+.9M"},   {950000, "+1M"},     {-1500000, "-2M"},  {99499999, "+99M"},
        {99500000, "+.1G"}, {949999999, "+.9G"}, {950000000, "+1G"}, {INT_MAX, "+2G"},
        {INT_MIN, "-2G"},   {-INT_MAX, "-2G"},   {100, "+100"},      {-10, "-10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[8];
        assert_ptr_equal(goodwill_short(cases[i].v, buf), buf);
        assert_string_equal(buf, cases[i].want);
        assert_true(strlen(buf) <= GOODWILL_SHORT_COLS);
    }
    /* Every value in a wide range fits, and keeps its sign. */
    for (long v = -3000000; v <= 3000000; v += 7) {
        char buf[8];
        goodwill_short((int)v, buf);
        assert_true(strlen(buf) <= GOODWILL_SHORT_COLS);
        assert_int_equal(buf[0] == '-', v < 0);
        assert_int_equal(buf[0] == '+', v > 0);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_default_weights),
    cmocka_unit_test(test_short),
    TJ_TEST(test_default_balances),
    TJ_TEST(test_custom_weights),
    TJ_TEST(test_ledger),
    TJ_TEST(test_ledger_json),
};

TEST_MAIN(tests)
