#include "testutil.h"

#include "kith/util/kdate.h"

#include <stdlib.h>
#include <string.h>

static void test_roundtrip(void **state)
{
    (void)state;
    char buf[KDATE_BUF];
    assert_int_equal(kdate_from_ymd(1970, 1, 1), 0);
    assert_string_equal(kdate_format(kdate_from_ymd(2024, 2, 29), buf), "2024-02-29");
    assert_string_equal(kdate_format(kdate_from_ymd(987, 6, 5), buf), "0987-06-05");
    assert_string_equal(kdate_format(kdate_from_ymd(9999, 12, 31), buf), "9999-12-31");
    for (int d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        kdate_to_ymd(d, &y, &m, &dd);
        assert_int_equal(kdate_from_ymd(y, m, dd), d);
        /* Text and back, through the quiet parser the SQL functions use. */
        int back = 0;
        kdate_format(d, buf);
        if (y >= 1 && y <= 9999) {
            assert_int_equal(kdate_parse_n(buf, strlen(buf), &back), 1);
            assert_int_equal(back, d);
        }
    }
}

static void test_parse_n(void **state)
{
    (void)state;
    int d = 0;
    /* Not NUL-terminated: only n bytes are read. */
    assert_int_equal(kdate_parse_n("2026-11-22|rest", 10, &d), 1);
    assert_int_equal(d, kdate_from_ymd(2026, 11, 22));
    assert_int_equal(kdate_parse_n("2024-02-29", 10, &d), 1);
    static const char *const bad[] = {"2025-02-29", "2026-13-01", "2026-00-10", "2026-11-32",
                                      "2026/11/22", "20261122xx", "2026-1-22x", "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = -1;
        assert_int_equal(kdate_parse_n(bad[i], 10, &d), 0);
        assert_int_equal(d, -1);
    }
    assert_int_equal(kdate_parse_n("2026-11-2", 9, &d), 0);
    assert_int_equal(kdate_parse_n("2026-11-22", 11, &d), 0);
    assert_int_equal(kdate_parse_n(NULL, 10, &d), 0);
}

static void test_parse(void **state)
{
    (void)state;
    struct kerr e;
    int today = kdate_from_ymd(2026, 11, 22), d;
    assert_int_equal(kdate_parse("2026-03-01", today, &d, &e), K_OK);
    assert_int_equal(d, kdate_from_ymd(2026, 3, 1));
    assert_int_equal(kdate_parse("today", today, &d, &e), K_OK);
    assert_int_equal(d, today);
    assert_int_equal(kdate_parse("yesterday", today, &d, &e), K_OK);
    assert_int_equal(d, today - 1);
    assert_int_equal(kdate_parse("-10d", today, &d, &e), K_OK);
    assert_int_equal(d, today - 10);
    assert_kerr(kdate_parse("2026-02-30", today, &d, &e), K_USAGE, &e, "not a real calendar day");
    assert_int_equal(kdate_parse("2026-2-3", today, &d, &e), K_USAGE);
    assert_kerr(kdate_parse("soon", today, &d, &e), K_USAGE, &e, "'soon'");
    assert_int_equal(kdate_parse("-5x", today, &d, &e), K_USAGE);
    assert_int_equal(kdate_parse("", today, &d, &e), K_USAGE);
}

static void test_birthday(void **state)
{
    (void)state;
    struct kerr e;
    char buf[KDATE_BUF];
    assert_int_equal(kdate_parse_birthday("02-29", buf, &e), K_OK);
    assert_string_equal(buf, "02-29");
    assert_int_equal(kdate_parse_birthday("--0412", buf, &e), K_OK);
    assert_string_equal(buf, "04-12");
    assert_int_equal(kdate_parse_birthday("--04-12", buf, &e), K_OK);
    assert_string_equal(buf, "04-12");
    assert_int_equal(kdate_parse_birthday("1985-07-03", buf, &e), K_OK);
    assert_string_equal(buf, "1985-07-03");
    assert_int_equal(kdate_parse_birthday("2023-02-29", buf, &e), K_USAGE);
    assert_int_equal(kdate_parse_birthday("13-01", buf, &e), K_USAGE);
    assert_int_equal(kdate_parse_birthday("July 3", buf, &e), K_USAGE);
}

static void test_today_env(void **state)
{
    (void)state;
    struct kerr e;
    int d;
    setenv("KITH_TODAY", "2026-11-22", 1);
    assert_int_equal(kdate_today(&d, &e), K_OK);
    assert_int_equal(d, kdate_from_ymd(2026, 11, 22));
    setenv("KITH_TODAY", "tomorrow", 1);
    assert_kerr(kdate_today(&d, &e), K_USAGE, &e, "KITH_TODAY");
    setenv("KITH_TODAY", "2026-11-22", 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_parse),
    cmocka_unit_test(test_parse_n),   cmocka_unit_test(test_birthday),
    cmocka_unit_test(test_today_env),
};

TEST_MAIN(tests)
