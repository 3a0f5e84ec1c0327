#include "testutil.h"

#include "kith/tui/tui_keys.h"

#include <curses.h> /* the KEY_ codes the table uses */
#include <stdlib.h>
#include <string.h>

static void test_lookup(void **state)
{
    (void)state;
    assert_int_equal(tui_keys_lookup('q', TUI_VIEW_CONTACTS), TUI_ACT_QUIT);
    assert_int_equal(tui_keys_lookup('j', TUI_VIEW_REFERRALS), TUI_ACT_DOWN);
    assert_int_equal(tui_keys_lookup('/', TUI_VIEW_CONTACTS), TUI_ACT_SEARCH);
    /* Keys that only make sense in one view do nothing elsewhere. */
    assert_int_equal(tui_keys_lookup('/', TUI_VIEW_TODAY), TUI_ACT_NONE);
    assert_int_equal(tui_keys_lookup('o', TUI_VIEW_REFERRALS), TUI_ACT_OUTCOME);
    assert_int_equal(tui_keys_lookup('o', TUI_VIEW_CONTACTS), TUI_ACT_NONE);
    assert_int_equal(tui_keys_lookup('t', TUI_VIEW_REFERRALS), TUI_ACT_THANK);
    assert_int_equal(tui_keys_lookup('Z', TUI_VIEW_CONTACTS), TUI_ACT_NONE);
    assert_int_equal(tui_keys_lookup(12, TUI_VIEW_TODAY), TUI_ACT_REDRAW);
    assert_int_equal(tui_keys_lookup('d', TUI_VIEW_TODAY), TUI_ACT_DONE);
    assert_int_equal(tui_keys_lookup('z', TUI_VIEW_TODAY), TUI_ACT_SNOOZE);
    assert_int_equal(tui_keys_lookup('d', TUI_VIEW_CONTACTS), TUI_ACT_NONE);
}

static void test_table_consistent(void **state)
{
    (void)state;
    size_t n;
    const struct tui_key *t = tui_keys_table(&n);
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        assert_true(t[i].act > TUI_ACT_NONE && t[i].act < TUI_ACT_COUNT);
        assert_non_null(t[i].help);
        assert_true(t[i].views != 0);
        assert_true(t[i].keys[0] != 0);
        /* A key means one thing in any one view, and an action has one row. */
        for (size_t k = i + 1; k < n; k++) {
            assert_int_not_equal(t[k].act, t[i].act);
            for (size_t x = 0; x < TUI_KEYS_MAX && t[i].keys[x]; x++)
                for (size_t y = 0; y < TUI_KEYS_MAX && t[k].keys[y]; y++)
                    if (t[k].keys[y] == t[i].keys[x])
                        assert_int_equal(t[k].views & t[i].views, 0);
        }
    }
    /* Every action has a key. */
    for (int a = TUI_ACT_NONE + 1; a < TUI_ACT_COUNT; a++) {
        size_t i = 0;
        while (i < n && (int)t[i].act != a)
            i++;
        assert_true(i < n);
    }
}

static void test_help_from_table(void **state)
{
    (void)state;
    struct sbuf b = {0};
    int lines = tui_keys_help(TUI_VIEW_CONTACTS, &b);
    assert_true(lines > 15);
    tassert_has(b.s, "j Down", "next row", "PgDn ^F", "add a contact", NULL);
    assert_null(strstr(b.s, "outcome")); /* not in this view */
    /* Every key the dispatcher knows in this view is in the help. */
    size_t n;
    const struct tui_key *t = tui_keys_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].views & TUI_VIEW_CONTACTS)
            assert_non_null(strstr(b.s, t[i].help));
    sbuf_free(&b);

    tui_keys_hints(TUI_VIEW_REFERRALS, &b);
    tassert_has(b.s, "t thank", "o outcome", "Enter open", NULL);
    assert_null(strstr(b.s, "a add"));
    sbuf_free(&b);
}

static void test_labels(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(tui_keys_label('x', buf), "x");
    assert_string_equal(tui_keys_label('\t', buf), "Tab");
    assert_string_equal(tui_keys_label(27, buf), "Esc");
    assert_string_equal(tui_keys_label(12, buf), "^L");
    /* Keys nobody bound are still named, not numbered. */
    assert_string_equal(tui_keys_label(KEY_LEFT, buf), "Left");
    assert_string_equal(tui_keys_label(KEY_F(5), buf), "F5");
    assert_string_equal(tui_keys_label(KEY_DC, buf), "Delete");
    assert_null(strstr(tui_keys_label(KEY_SLEFT, buf), "key "));
}

/* At 80 columns the bottom line keeps help and the keys of the view's
 * purpose first: tick before search, quit last. */
static void test_hint_order(void **state)
{
    (void)state;
    struct sbuf b = {0};
    tui_keys_hints(TUI_VIEW_CONTACTS, &b);
    const char *help = strstr(b.s, "? help"), *tick = strstr(b.s, "x tick");
    const char *search = strstr(b.s, "/ search"), *quit = strstr(b.s, "q quit");
    assert_non_null(help);
    assert_non_null(tick);
    assert_non_null(search);
    assert_non_null(quit);
    assert_true(help == b.s);
    assert_true(tick < search);
    assert_true(search < quit);
    assert_non_null(strstr(b.s, "u undo"));
    sbuf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lookup),          cmocka_unit_test(test_table_consistent),
    cmocka_unit_test(test_help_from_table), cmocka_unit_test(test_labels),
    cmocka_unit_test(test_hint_order),
};

TEST_MAIN(tests)
