#include "testutil.h"

#include "kith/tui/tui_layout.h"

static int inside(struct tui_rect r, const struct tui_layout *l)
{
    return r.y >= 0 && r.x >= 0 && r.h > 0 && r.w > 0 && r.y + r.h <= l->rows &&
           r.x + r.w <= l->cols;
}

static void check_sane(int rows, int cols)
{
    struct tui_layout l;
    tui_layout_compute(rows, cols, &l);
    assert_false(l.too_small);
    assert_true(inside(l.header, &l));
    assert_true(inside(l.list, &l));
    assert_true(inside(l.card, &l));
    assert_true(inside(l.strip, &l));
    assert_true(inside(l.status, &l));
    /* Rows tile the screen: header, body, strip, status. */
    assert_int_equal(l.header.y, 0);
    assert_int_equal(l.body.y, 1);
    assert_int_equal(l.body.y + l.body.h, l.strip.y);
    assert_int_equal(l.strip.y + l.strip.h, l.status.y);
    assert_int_equal(l.status.y, rows - 1);
    /* Columns tile the body: list then card. */
    assert_int_equal(l.list.x, 0);
    assert_int_equal(l.list.x + l.list.w, l.card.x);
    assert_int_equal(l.card.x + l.card.w, cols);
    assert_int_equal(l.list.h, l.card.h);
    /* Room for a name, a balance and an age, and for the card's text. */
    assert_true(l.list.w >= 26);
    assert_true(l.card.w >= 30);
    assert_true(l.list.h >= 8);
}

static void test_sizes(void **state)
{
    (void)state;
    int sizes[][2] = {{16, 60}, {24, 80}, {60, 200}, {17, 61}, {40, 100}, {300, 1000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_sane(sizes[i][0], sizes[i][1]);
    struct tui_layout l;
    tui_layout_compute(24, 80, &l);
    assert_int_equal(l.list.w, 32);
    assert_int_equal(l.strip.h, 3);
    tui_layout_compute(60, 200, &l);
    assert_int_equal(l.list.w, 64);
    assert_int_equal(l.strip.h, 4);
}

static void test_too_small(void **state)
{
    (void)state;
    struct tui_layout l;
    int sizes[][2] = {{15, 60}, {16, 59}, {10, 40}, {0, 0}, {1, 1}, {-1, 5}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tui_layout_compute(sizes[i][0], sizes[i][1], &l);
        assert_true(l.too_small);
        assert_int_equal(l.list.w, 0);
        assert_true(l.screen.h >= 0 && l.screen.w >= 0);
    }
}

static void test_dialog(void **state)
{
    (void)state;
    struct tui_layout l;
    tui_layout_compute(24, 80, &l);
    struct tui_rect r = tui_layout_dialog(&l, 10, 50);
    assert_int_equal(r.h, 10);
    assert_int_equal(r.w, 50);
    assert_int_equal(r.y, 7);
    assert_int_equal(r.x, 15);
    r = tui_layout_dialog(&l, 100, 300);
    assert_int_equal(r.h, 22);
    assert_int_equal(r.w, 76);
    assert_true(r.y >= 1 && r.x >= 2);
}

static void test_strip_and_scroll(void **state)
{
    (void)state;
    assert_int_equal(tui_layout_strip_cell(78, 30), 2);
    assert_int_equal(tui_layout_strip_cell(58, 30), 1);
    assert_int_equal(tui_layout_strip_cell(58, 29), 2);
    /* Scrolling moves as little as possible and never past the end. */
    assert_int_equal(tui_layout_scroll(0, 5, 100, 10), 0);
    assert_int_equal(tui_layout_scroll(0, 10, 100, 10), 1);
    assert_int_equal(tui_layout_scroll(50, 49, 100, 10), 49);
    assert_int_equal(tui_layout_scroll(95, 99, 100, 10), 90);
    assert_int_equal(tui_layout_scroll(5, 2, 3, 10), 0);
    assert_int_equal(tui_layout_scroll(7, 0, 0, 10), 0);
    assert_int_equal(tui_layout_scroll(3, 500, 100, 10), 90);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sizes),
    cmocka_unit_test(test_too_small),
    cmocka_unit_test(test_dialog),
    cmocka_unit_test(test_strip_and_scroll),
};

TEST_MAIN(tests)
