#include "testutil.h"

#include "kith/config/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_colors(void **state)
{
    (void)state;
    struct theme_color c;
    assert_int_equal(theme_color_parse("red", &c), 0);
    assert_int_equal(c.kind, THEME_COLOR_INDEX);
    assert_int_equal(c.index, 1);
    assert_int_equal(theme_color_parse("bright-white", &c), 0);
    assert_int_equal(c.index, 15);
    assert_int_equal(theme_color_parse("gray", &c), 0);
    assert_int_equal(c.index, 8);
    assert_int_equal(theme_color_parse("255", &c), 0);
    assert_int_equal(c.index, 255);
    assert_int_equal(theme_color_parse("default", &c), 0);
    assert_int_equal(c.kind, THEME_COLOR_DEFAULT);
    assert_int_equal(theme_color_parse("#5fafd7", &c), 0);
    assert_int_equal(c.kind, THEME_COLOR_RGB);
    assert_int_equal(c.r, 0x5f);
    assert_int_equal(c.b, 0xd7);
    assert_int_equal(theme_color_parse("256", &c), -1);
    assert_int_equal(theme_color_parse("#12345", &c), -1);
    assert_int_equal(theme_color_parse("#12345g", &c), -1);
    assert_int_equal(theme_color_parse("purple", &c), -1);
    assert_int_equal(theme_color_parse("", &c), -1);
    assert_int_equal(theme_color_parse("1234", &c), -1);
}

static void test_nearest(void **state)
{
    (void)state;
    struct theme_color c;
    theme_color_parse("#5fafd7", &c);
    assert_int_equal(theme_color_nearest(&c, 256), 74); /* exact cube entry */
    int n8 = theme_color_nearest(&c, 8);
    assert_true(n8 >= 0 && n8 < 8);
    theme_color_parse("#ff0000", &c);
    assert_int_equal(theme_color_nearest(&c, 16), 9);
    theme_color_parse("203", &c);
    assert_int_equal(theme_color_nearest(&c, 256), 203);
    assert_true(theme_color_nearest(&c, 8) < 8);
    assert_int_equal(theme_color_nearest(&c, 8), 1); /* a red stays red */
    theme_color_parse("default", &c);
    assert_int_equal(theme_color_nearest(&c, 256), -1);
}

static void test_slots(void **state)
{
    (void)state;
    enum theme_slot s;
    for (int i = 0; i < THEME_SLOT_COUNT; i++) {
        assert_non_null(theme_slot_name((enum theme_slot)i));
        assert_int_equal(theme_slot_parse(theme_slot_name((enum theme_slot)i), &s), 0);
        assert_int_equal(s, i);
    }
    assert_int_equal(theme_slot_parse("nope", &s), -1);
    assert_null(theme_slot_name(THEME_SLOT_COUNT));
}

static void test_parse_ok(void **state)
{
    (void)state;
    const char *y = "name: mine\n"
                    "styles:\n"
                    "  title: {fg: red, bg: \"#000000\", attrs: [bold, underline]}\n"
                    "  gave: {fg: 34, attrs: reverse}\n";
    struct theme t;
    struct kerr e;
    assert_int_equal(theme_parse(y, strlen(y), "t.yaml", &t, &e), K_OK);
    assert_string_equal(t.name, "mine");
    assert_int_equal(t.slot[THEME_TITLE].fg.index, 1);
    assert_int_equal(t.slot[THEME_TITLE].bg.kind, THEME_COLOR_RGB);
    assert_int_equal(t.slot[THEME_TITLE].attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(t.slot[THEME_GAVE].attrs, THEME_REVERSE);
    /* Untouched slots keep the default's look. */
    struct theme d;
    theme_default(&d);
    assert_memory_equal(&t.slot[THEME_MISSED], &d.slot[THEME_MISSED], sizeof d.slot[0]);
    assert_int_equal(t.mono, 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    struct theme t;
    struct kerr e;
    const char *y = "name: bad\n"
                    "styles:\n"
                    "  title: {fg: purple}\n"
                    "  nonsense: {fg: red}\n"
                    "  gave: {attrs: [blink]}\n";
    assert_kerr(theme_parse(y, strlen(y), "bad.yaml", &t, &e), K_USAGE, &e,
                "bad.yaml:3:15: bad color 'purple'");
    assert_non_null(strstr(e.msg, "bad.yaml:4:3: unknown slot 'nonsense'"));
    assert_non_null(strstr(e.msg, "bad.yaml:5:17: unknown attribute 'blink'"));
    /* The fallback is the default theme. */
    assert_string_equal(t.name, "default");

    const char *syntax = "styles:\n  title: {fg: red\n";
    assert_kerr(theme_parse(syntax, strlen(syntax), "s.yaml", &t, &e), K_USAGE, &e, "s.yaml:3:1: ");

    assert_kerr(theme_parse("", 0, "empty.yaml", &t, &e), K_USAGE, &e,
                "empty.yaml:1:1: the theme is empty");
    assert_int_equal(theme_parse("- a\n", 4, "l.yaml", &t, &e), K_USAGE);
    assert_kerr(theme_parse("mono: maybe\n", 12, "m.yaml", &t, &e), K_USAGE, &e,
                "m.yaml:1:7: mono: expected true or false");
    /* Control characters in the file are escaped in the message. */
    const char *ctl = "styles:\n  \"\\e[2J\": {}\n";
    assert_int_equal(theme_parse(ctl, strlen(ctl), "c.yaml", &t, &e), K_USAGE);
    assert_null(strchr(e.msg, 27));
    assert_non_null(strstr(e.msg, "\\e[2J"));
}

/* With no theme installed anywhere, the names still load: the themes
 * are compiled in. */
static void test_bundled_themes(void **state)
{
    (void)state;
    setenv("XDG_DATA_HOME", "/nonexistent-kith-test", 1);
    setenv("XDG_DATA_DIRS", "/nonexistent-kith-test", 1);
    const char *names[] = {"default", "light", "high-contrast", "mono"};
    for (size_t i = 0; i < 4; i++) {
        struct theme t;
        struct kerr e;
        kerr_clear(&e);
        if (theme_load(names[i], &t, &e) != K_OK)
            fail_msg("%s: %s", names[i], e.msg);
        assert_string_equal(t.name, names[i]);
    }
    struct theme t;
    struct kerr e;
    assert_kerr(theme_load("purple", &t, &e), K_NOTFOUND, &e, "no theme named 'purple'");
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_DATA_DIRS");
}

static void test_shipped_themes(void **state)
{
    (void)state;
    const char *src = getenv("KITH_SOURCE_DIR");
    if (!src)
        skip();
    const char *names[] = {"default", "light", "high-contrast", "mono"};
    for (size_t i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/themes/%s.yaml", src, names[i]);
        struct theme t;
        struct kerr e;
        kerr_clear(&e);
        int rc = theme_load(path, &t, &e);
        if (rc != K_OK)
            fail_msg("%s", e.msg);
        assert_string_equal(t.name, names[i]);
        assert_int_equal(t.mono, i == 3);
    }
    /* The shipped files say what the built-in themes say. */
    struct theme a, b;
    char path[1024];
    struct kerr e;
    snprintf(path, sizeof path, "%s/themes/default.yaml", src);
    assert_int_equal(theme_load(path, &a, &e), K_OK);
    theme_default(&b);
    assert_memory_equal(a.slot, b.slot, sizeof a.slot);
    snprintf(path, sizeof path, "%s/themes/mono.yaml", src);
    assert_int_equal(theme_load(path, &a, &e), K_OK);
    theme_mono(&b);
    assert_memory_equal(a.slot, b.slot, sizeof a.slot);
}

static void test_load_by_name(void **state)
{
    (void)state;
    struct theme t;
    struct kerr e;
    setenv("XDG_DATA_HOME", "/nonexistent-kith", 1);
    setenv("XDG_DATA_DIRS", "/nonexistent-kith", 1);
    assert_int_equal(theme_load("mono", &t, &e), K_OK);
    assert_int_equal(t.mono, 1);
    assert_int_equal(theme_load(NULL, &t, &e), K_OK);
    assert_string_equal(t.name, "default");
    int rc = theme_load("no-such-theme", &t, &e);
    if (rc == K_OK)
        skip(); /* an installed copy exists */
    assert_int_equal(rc, K_NOTFOUND);
    assert_string_equal(t.name, "default");
    assert_int_equal(theme_load("../x", &t, &e), K_ERR); /* a path that does not exist */
    assert_int_equal(theme_load("BAD NAME", &t, &e), K_USAGE);
}

/* A theme that is a named pipe, or nested without end, fails at once. */
static void test_hostile_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-unit-XXXXXX", path[64];
    struct theme t;
    struct kerr e;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pipe.yaml", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_kerr(theme_load(path, &t, &e), K_USAGE, &e, "the theme");
    assert_non_null(strstr(e.msg, "is a named pipe"));
    assert_string_equal(t.name, "default");
    snprintf(path, sizeof path, "%s/deep.yaml", dir);
    FILE *f = fopen(path, "w");
    for (int k = 0; k < 500000; k++)
        fputc('{', f);
    fclose(f);
    assert_kerr(theme_load(path, &t, &e), K_USAGE, &e,
                "deep.yaml:1:33: nested deeper than 32 levels");
    /* By name, a pipe in the themes directory is reported, not waited on. */
    char themes[128];
    snprintf(themes, sizeof themes, "%s/kith", dir);
    assert_int_equal(mkdir(themes, 0700), 0);
    snprintf(themes, sizeof themes, "%s/kith/themes", dir);
    assert_int_equal(mkdir(themes, 0700), 0);
    snprintf(path, sizeof path, "%s/kith/themes/piped.yaml", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    setenv("XDG_DATA_HOME", dir, 1);
    assert_kerr(theme_load("piped", &t, &e), K_USAGE, &e, "is a named pipe");
    unsetenv("XDG_DATA_HOME");
    trm_rf(dir);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_colors),         cmocka_unit_test(test_nearest),
    cmocka_unit_test(test_slots),          cmocka_unit_test(test_parse_ok),
    cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_shipped_themes),
    cmocka_unit_test(test_load_by_name),   cmocka_unit_test(test_hostile_files),
    cmocka_unit_test(test_bundled_themes),
};

TEST_MAIN(tests)
