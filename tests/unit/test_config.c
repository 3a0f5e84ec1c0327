#include "testutil.h"

#include "kith/config/config.h"
#include "kith/util/kstr.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Loads tests/fixtures/config/name from the source tree; the messages come
 * back relative to that directory so the expectations stay short. */
static int load_fixture(const char *name, struct config **c, struct kerr *e)
{
    const char *src = getenv("KITH_SOURCE_DIR");
    char dir[512];
    assert_non_null(src);
    snprintf(dir, sizeof dir, "%s/tests/fixtures/config", src);
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    kerr_clear(e);
    int rc = config_load(name, c, e);
    assert_int_equal(chdir(cwd), 0);
    return rc;
}

/* Asserts that loading the fixture fails with exactly these lines. */
static void expect_problems(const char *name, const char *const *lines, size_t n)
{
    struct config *c = NULL;
    struct kerr e;
    assert_int_equal(load_fixture(name, &c, &e), K_USAGE);
    assert_null(c);
    struct sbuf b = {0};
    for (size_t i = 0; i < n; i++)
        sbuf_printf(&b, "%s%s:%s", i ? "\n" : "", name, lines[i]);
    if (strcmp(e.msg, b.s))
        fail_msg("expected:\n%s\ngot:\n%s", b.s, e.msg);
    sbuf_free(&b);
}
#define EXPECT(name, ...)                                                                          \
    do {                                                                                           \
        static const char *const l_[] = {__VA_ARGS__};                                             \
        expect_problems(name, l_, sizeof l_ / sizeof l_[0]);                                       \
    } while (0)

static void assert_strv_equal(char **a, size_t na, char **b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(a[i], b[i]);
}

static void assert_str_or_null(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* Field by field: every member of struct config. */
static void assert_config_equal(const struct config *a, const struct config *b)
{
    assert_str_or_null(a->database, b->database);
    assert_string_equal(a->theme, b->theme);
    assert_int_equal(a->challenge_days, b->challenge_days);
    assert_int_equal(a->challenge_past_days, b->challenge_past_days);
    assert_int_equal(a->challenge_grace_days, b->challenge_grace_days);
    assert_int_equal(a->challenge_auto_tick, b->challenge_auto_tick);
    assert_strv_equal(a->me, a->nme, b->me, b->nme);
    assert_strv_equal(a->me_offers, a->nme_offers, b->me_offers, b->nme_offers);
    assert_int_equal(a->nkinds, b->nkinds);
    for (size_t i = 0; i < a->nkinds; i++) {
        assert_string_equal(a->kinds[i].name, b->kinds[i].name);
        assert_string_equal(a->kinds[i].label, b->kinds[i].label);
        assert_string_equal(a->kinds[i].default_direction, b->kinds[i].default_direction);
    }
    assert_int_equal(a->nweights, b->nweights);
    for (size_t i = 0; i < a->nweights; i++) {
        assert_string_equal(a->weights[i].kind, b->weights[i].kind);
        assert_int_equal(a->weights[i].gave, b->weights[i].gave);
        assert_int_equal(a->weights[i].asked, b->weights[i].asked);
        assert_int_equal(a->weights[i].mutual, b->weights[i].mutual);
    }
    assert_int_equal(a->goodwill_show, b->goodwill_show);
    assert_int_equal(a->nrules, b->nrules);
    for (size_t i = 0; i < a->nrules; i++) {
        const struct config_rule *x = &a->rules[i], *y = &b->rules[i];
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->on, y->on);
        assert_int_equal(x->priority, y->priority);
        assert_string_equal(x->message, y->message);
        assert_int_equal(x->after_days, y->after_days);
        assert_int_equal(x->days, y->days);
        assert_int_equal(x->max_days, y->max_days);
        assert_int_equal(x->days_before, y->days_before);
        assert_int_equal(x->below, y->below);
        assert_strv_equal(x->tags, x->ntags, y->tags, y->ntags);
        assert_strv_equal(x->kinds, x->nkinds, y->kinds, y->nkinds);
        assert_str_or_null(x->direction, y->direction);
        assert_strv_equal(x->outcomes, x->noutcomes, y->outcomes, y->noutcomes);
    }
    if (!a->notify_command || !b->notify_command) {
        assert_ptr_equal(a->notify_command, b->notify_command);
    } else {
        size_t i = 0;
        for (; a->notify_command[i] && b->notify_command[i]; i++)
            assert_string_equal(a->notify_command[i], b->notify_command[i]);
        assert_ptr_equal(a->notify_command[i], b->notify_command[i]);
    }
}

static void test_defaults_equal_example(void **state)
{
    (void)state;
    char path[1024];
    struct kerr e;
    struct config *file = NULL, *def = config_defaults();
    snprintf(path, sizeof path, "%s/config.example.yaml", getenv("KITH_SOURCE_DIR"));
    if (config_load(path, &file, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_config_equal(def, file);
    assert_string_equal(file->path, path);
    assert_null(def->path);

    /* The embedded text is the file, byte for byte. */
    size_t n;
    char *text = tslurp(path, &n);
    assert_non_null(text);
    assert_int_equal(strlen(text), n);
    assert_string_equal(config_example_text(), text);
    free(text);
    config_free(&file);
    config_free(&def);
}

static void test_defaults_content(void **state)
{
    (void)state;
    struct config *c = config_defaults();
    assert_null(c->database);
    assert_string_equal(c->theme, "default");
    assert_int_equal(c->challenge_days, 30);
    assert_int_equal(c->challenge_past_days, 2);
    assert_int_equal(c->challenge_grace_days, 1);
    assert_int_equal(c->challenge_auto_tick, 0);
    assert_int_equal(c->nme, 0);
    assert_int_equal(c->nme_offers, 0);
    assert_int_equal(c->goodwill_show, 1);
    assert_non_null(config_kind_find(c, "coffee"));
    assert_string_equal(config_kind_find(c, "advice")->default_direction, "asked");
    assert_int_equal(c->nweights, 3);
    assert_string_equal(c->weights[0].kind, "*");
    assert_int_equal(c->weights[0].gave, 1);
    assert_int_equal(c->weights[0].asked, -1);
    assert_int_equal(c->weights[0].mutual, 0);
    assert_string_equal(c->weights[1].kind, "intro");
    assert_int_equal(c->weights[1].gave, 3);
    assert_string_equal(c->weights[2].kind, "referral");
    assert_int_equal(c->weights[2].asked, -3);
    /* One rule per trigger. */
    unsigned seen = 0;
    for (size_t i = 0; i < c->nrules; i++)
        seen |= 1u << c->rules[i].on;
    assert_int_equal(seen, 0x3F);
    assert_null(c->notify_command);
    config_free(&c);
    config_free(&c); /* NULL is fine */
    config_free(NULL);
}

static void test_custom_overlays_defaults(void **state)
{
    (void)state;
    struct config *c = NULL;
    struct kerr e;
    setenv("HOME", "/home/someone", 1);
    if (load_fixture("custom.yaml", &c, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_string_equal(c->database, "/home/someone/journals/kith.db");
    assert_string_equal(c->theme, "dark");
    assert_int_equal(c->challenge_days, 21);
    assert_int_equal(c->challenge_past_days, 2); /* kept */
    assert_int_equal(c->goodwill_show, 0);
    assert_int_equal(c->nkinds, 14); /* kept */
    /* "*" changed only where given; coffee fills its gaps from "*". */
    assert_int_equal(c->nweights, 4);
    assert_string_equal(c->weights[0].kind, "*");
    assert_int_equal(c->weights[0].gave, 2);
    assert_int_equal(c->weights[0].asked, -1);
    assert_string_equal(c->weights[1].kind, "intro");
    assert_int_equal(c->weights[1].gave, 3);
    assert_string_equal(c->weights[3].kind, "coffee");
    assert_int_equal(c->weights[3].gave, 2);
    assert_int_equal(c->weights[3].asked, -2);
    assert_int_equal(c->weights[3].mutual, 0);
    /* Rules replace the defaults. */
    assert_int_equal(c->nrules, 1);
    assert_string_equal(c->rules[0].id, "mentors");
    assert_int_equal(c->rules[0].on, CONFIG_ON_SILENCE);
    assert_int_equal(c->rules[0].priority, CONFIG_PRIO_HIGH);
    assert_int_equal(c->rules[0].days, 30);
    assert_int_equal(c->rules[0].max_days, 60);
    assert_int_equal(c->rules[0].after_days, -1);
    assert_int_equal(c->rules[0].below, INT_MIN);
    assert_int_equal(c->rules[0].ntags, 2);
    assert_string_equal(c->rules[0].tags[0], "mentor"); /* folded like stored tags */
    assert_string_equal(c->notify_command[0], "notifier");
    assert_string_equal(c->notify_command[2], "kith");
    assert_null(c->notify_command[3]);
    config_free(&c);
}

/* me: the addresses alone (one or a list), or emails and offers; the
 * challenge's grace and auto-tick. */
static void test_me_and_giving(void **state)
{
    (void)state;
    struct config *c = NULL;
    struct kerr e;
    if (load_fixture("me_list.yaml", &c, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(c->nme, 2);
    assert_string_equal(c->me[0], "ana@example.com");
    assert_string_equal(c->me[1], "ana.ruiz@work.example");
    assert_int_equal(c->nme_offers, 0);
    config_free(&c);
    if (load_fixture("me_map.yaml", &c, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(c->nme, 1);
    assert_string_equal(c->me[0], "ana@example.com");
    assert_int_equal(c->nme_offers, 2);
    assert_string_equal(c->me_offers[0], "resume reviews");
    assert_string_equal(c->me_offers[1], "intros to engineering managers");
    assert_int_equal(c->challenge_grace_days, 2);
    assert_int_equal(c->challenge_auto_tick, 1);
    assert_int_equal(c->challenge_past_days, 2); /* kept */
    config_free(&c);
    EXPECT("me_bad.yaml", "2:15: challenge grace_days must be between 0 and 7 (found 8)",
           "3:14: challenge auto_tick should be true or false, found text",
           "5:3: unknown key 'email' in me; did you mean 'emails'?",
           "8:7: an offer in me should be text, found a mapping",
           "9:7: an offer in me is one line");
}

/* A silence rule can take each contact's own cadence instead of days; the
 * built-in config has such a rule. */
static void test_cadence_rule(void **state)
{
    (void)state;
    struct config *c = NULL;
    struct kerr e;
    if (load_fixture("cadence.yaml", &c, &e) != K_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(c->nrules, 1);
    assert_int_equal(c->rules[0].on, CONFIG_ON_SILENCE);
    assert_int_equal(c->rules[0].cadence_contact, 1);
    assert_int_equal(c->rules[0].days, -1);
    assert_int_equal(c->rules[0].ntags, 1);
    config_free(&c);
    c = config_defaults();
    int own = 0;
    for (size_t i = 0; i < c->nrules; i++)
        own += c->rules[i].on == CONFIG_ON_SILENCE && c->rules[i].cadence_contact &&
               c->rules[i].ntags == 0;
    assert_int_equal(own, 1);
    config_free(&c);
    EXPECT("cadence_bad.yaml", "4:14: unknown cadence 'weekly' (expected one of: contact)",
           "9:5: a rule with cadence: contact takes each contact's cadence: leave out days and "
           "max_days",
           "13:5: 'cadence' does not apply to a referral rule");
}

static void test_unknown_keys(void **state)
{
    (void)state;
    EXPECT("unknown_keys.yaml",
           "3:1: unknown key 'chalenge' in the configuration; did you mean 'challenge'?",
           "6:3: unknown key 'shwo' in goodwill; did you mean 'show'?",
           "10:5: unknown key 'aftr_days' in a rule; did you mean 'after_days'?",
           "12:5: unknown key 'colour' in a rule (expected one of: id, on, priority, message, "
           "after_days, days, max_days, days_before, below, tags, kinds, direction, outcome, "
           "cadence)");
}

static void test_wrong_types(void **state)
{
    (void)state;
    EXPECT("wrong_types.yaml", "1:8: theme should be text, found a list",
           "3:9: challenge days should be a whole number, found text",
           "4:14: challenge past_days should be a whole number without quotes",
           "6:9: goodwill show should be true or false, found text",
           "8:12: the weights of 'intro' should be a mapping (key: value), found a number",
           "9:8: kinds should be a list of {name, label, direction}, found text",
           "14:11: tag should be a list like [a, b], found a mapping",
           "16:17: notify_command should be a list: [program, argument, ...] (it runs without a "
           "shell), found text");
}

static void test_triggers(void **state)
{
    (void)state;
    EXPECT("triggers.yaml", "3:9: unknown trigger 'referal'; did you mean 'referral'?",
           "6:9: unknown trigger 'sunrise' (expected one of: referral, interaction, silence, "
           "birthday, goodwill, challenge)",
           "8:5: a rule needs 'on:' (one of: referral, interaction, silence, birthday, goodwill, "
           "challenge)",
           "10:5: a silence rule needs days (or cadence: contact)",
           "12:5: 'after_days' does not apply to a silence rule");
}

static void test_numbers(void **state)
{
    (void)state;
    EXPECT("numbers.yaml", "2:9: challenge days must be between 1 and 366 (found 0)",
           "3:14: challenge past_days cannot be negative (found -1)",
           "6:17: the gave weight of '*' must be between -100 and 100 (found 1000)",
           "10:17: after_days cannot be negative (found -2)",
           "14:11: days must be between 1 and 3650 (found 100000)",
           "19:15: max_days (30) should be more than days (60): it marks a reminder overdue",
           "23:18: days_before must be between 0 and 365 (found 99999999999999999999)");
}

static void test_duplicates(void **state)
{
    (void)state;
    EXPECT("duplicates.yaml", "8:5: duplicate rule id 'same' (first on line 2)",
           "12:1: 'theme' is given twice in the configuration (first on line 11)");
}

static void test_templates(void **state)
{
    (void)state;
    EXPECT("templates.yaml",
           "4:21: unknown field {referer} in the message; did you mean {referrer}?",
           "8:36: {referrer} is not filled in for a silence rule",
           "11:28: unknown field {nothing} in the message (known: {contact}, {referrer}, "
           "{target}, {days}, {kind}, {date}, {since}, {referral})",
           "14:27: '{' without its closing '}' in the message");
}

static void test_values(void **state)
{
    (void)state;
    EXPECT("values.yaml",
           "2:46: unknown direction 'sideways' (expected one of: gave, asked, mutual)",
           "3:5: a kind needs a name",
           "7:15: unknown priority 'urgent' (expected one of: high, normal, low)",
           "8:24: unknown outcome 'hird'; did you mean 'hired'?",
           "13:13: unknown kind 'cofee'; did you mean 'coffee'?",
           "14:16: unknown direction 'gives'; did you mean 'gave'?",
           "16:5: a goodwill rule needs below",
           "16:9: rule id 'bad id' should be one word of letters, digits, - or _ (at most 40)");
}

static void test_syntax(void **state)
{
    (void)state;
    EXPECT("syntax.yaml", "5:4: YAML syntax error: did not find expected '-' indicator while "
                          "parsing a block collection");
}

/* More problems than fit in a message: as many lines as fit, then a count. */
static void test_many_problems(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-unit-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("rules:\n", f);
    for (int i = 0; i < 200; i++)
        fprintf(f, "  - {id: r%d, on: silence, days: -1, message: x}\n", i);
    fclose(f);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    struct config *c = NULL;
    struct kerr e;
    assert_int_equal(config_load(path, &c, &e), K_USAGE);
    assert_true(strlen(e.msg) < KERR_MSG_MAX);
    assert_non_null(strstr(e.msg, "c.yaml:2:33: days cannot be negative (found -1)\n"));
    assert_non_null(strstr(e.msg, "more problems"));
    /* Only read. */
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(before.st_size, after.st_size);
    trm_rf(dir);
}

/* Seconds since some fixed point, for "fails fast". */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Nesting is bounded: 100 KB and 1 MB of '[' fail at once, at the place. */
static void test_deep_nesting(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-unit-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/deep.yaml", dir);
    static const size_t sizes[] = {100 * 1000, 1024 * 1024 - 1};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(path, "w");
        for (size_t k = 0; k < sizes[i]; k++)
            fputc('[', f);
        fclose(f);
        struct config *c = NULL;
        struct kerr e;
        double t0 = now_s();
        assert_int_equal(config_load(path, &c, &e), K_USAGE);
        assert_true(now_s() - t0 < 2.0);
        assert_non_null(strstr(e.msg, "deep.yaml:1:33: nested deeper than 32 levels"));
    }
    /* Block nesting too, and a mapping at 32 levels is still fine. */
    FILE *f = fopen(path, "w");
    for (int k = 0; k < 40; k++)
        fputs("- ", f);
    fputs("x\n", f);
    fclose(f);
    struct config *c = NULL;
    struct kerr e;
    assert_kerr(config_load(path, &c, &e), K_USAGE, &e, "nested deeper than 32 levels");
    trm_rf(dir);
}

/* Only regular files: a named pipe nobody writes to must not block. */
static void test_not_regular(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-unit-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pipe.yaml", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct config *c = NULL;
    struct kerr e;
    double t0 = now_s();
    assert_int_equal(config_load(path, &c, &e), K_USAGE);
    assert_true(now_s() - t0 < 2.0);
    assert_non_null(strstr(e.msg, "is a named pipe, not a file kith can read"));
    assert_kerr(config_load("/dev/zero", &c, &e), K_USAGE, &e,
                "the configuration /dev/zero is a device");
    assert_null(c);
    trm_rf(dir);
}

static void test_missing_and_empty(void **state)
{
    (void)state;
    struct config *c = NULL;
    struct kerr e;
    assert_kerr(config_load("/nonexistent/kith.yaml", &c, &e), K_USAGE, &e,
                "cannot read the configuration /nonexistent/kith.yaml");
    assert_int_equal(config_load("/tmp", &c, &e), K_USAGE);
    char dir[] = "/tmp/kith-unit-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/empty.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("# nothing but a comment\n", f);
    fclose(f);
    assert_int_equal(config_load(path, &c, &e), K_OK);
    assert_int_equal(c->nrules, 7);
    config_free(&c);
    f = fopen(path, "w");
    fputs("theme: a\n---\ntheme: b\n", f);
    fclose(f);
    assert_kerr(config_load(path, &c, &e), K_USAGE, &e,
                "empty.yaml:3:1: only one YAML document is allowed");
    f = fopen(path, "w");
    fputs("just text\n", f);
    fclose(f);
    assert_kerr(config_load(path, &c, &e), K_USAGE, &e,
                ":1:1: the configuration should be a mapping");
    trm_rf(dir);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defaults_equal_example),
    cmocka_unit_test(test_defaults_content),
    cmocka_unit_test(test_custom_overlays_defaults),
    cmocka_unit_test(test_me_and_giving),
    cmocka_unit_test(test_unknown_keys),
    cmocka_unit_test(test_wrong_types),
    cmocka_unit_test(test_triggers),
    cmocka_unit_test(test_numbers),
    cmocka_unit_test(test_duplicates),
    cmocka_unit_test(test_templates),
    cmocka_unit_test(test_values),
    cmocka_unit_test(test_syntax),
    cmocka_unit_test(test_cadence_rule),
    cmocka_unit_test(test_many_problems),
    cmocka_unit_test(test_missing_and_empty),
    cmocka_unit_test(test_deep_nesting),
    cmocka_unit_test(test_not_regular),
};

TEST_MAIN(tests)
