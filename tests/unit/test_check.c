#include "testutil.h"

#include "kith/core/check.h"

#include <stdlib.h>
#include <string.h>

static void test_text(void **state)
{
    (void)state;
    struct kerr e;
    assert_int_equal(check_text("name", NULL, 10, &e), K_OK);
    assert_int_equal(check_text("name", "", 10, &e), K_OK);
    assert_int_equal(check_text("name", "Élodie", 10, &e), K_OK);
    /* The limit is in bytes and inclusive. */
    assert_int_equal(check_text("name", "0123456789", 10, &e), K_OK);
    assert_kerr(check_text("name", "0123456789a", 10, &e), K_USAGE, &e, "name");
    assert_non_null(strstr(e.msg, "11 bytes"));
    assert_non_null(strstr(e.msg, "10"));
    assert_int_equal(check_text("name", "ÉÉÉÉÉÉ", 10, &e), K_USAGE); /* 12 bytes */

    /* Invalid UTF-8 is refused, naming the field. */
    assert_kerr(check_text("company", "Acme\xFF", 100, &e), K_USAGE, &e, "company");
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(check_text("note", "\xC0\xAF", 100, &e), K_USAGE);
    assert_int_equal(check_text("note", "\xED\xA0\x80", 100, &e), K_USAGE);
    assert_int_equal(check_text("note", "cut \xE4\xB8", 100, &e), K_USAGE);
    /* Control characters are text (they are escaped on output). */
    assert_int_equal(check_text("note", "line\nline\x1B[31m", 100, &e), K_OK);

    /* The real limits: a long note is fine, a longer one is not. */
    size_t n = CHECK_LONG_MAX;
    char *big = malloc(n + 2);
    memset(big, 'x', n + 1);
    big[n] = '\0';
    assert_int_equal(check_text("note", big, CHECK_LONG_MAX, &e), K_OK);
    big[n] = 'x';
    big[n + 1] = '\0';
    assert_int_equal(check_text("note", big, CHECK_LONG_MAX, &e), K_USAGE);
    free(big);
    /* A NULL kerr is accepted. */
    assert_int_equal(check_text("note", "\xFF", 10, NULL), K_USAGE);
}

static void tag_ok(const char *in, const char *want)
{
    struct kerr e;
    char *out = NULL;
    int rc = check_tag(in, &out, &e);
    if (rc != K_OK)
        fail_msg("check_tag('%s'): %s", in, e.msg);
    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void tag_bad(const char *in)
{
    struct kerr e;
    char *out = (char *)"sentinel";
    if (check_tag(in, &out, &e) != K_USAGE)
        fail_msg("check_tag('%s') accepted it", in ? in : "(null)");
    assert_null(out);
    assert_true(e.msg[0] != '\0');
}

static void test_tag(void **state)
{
    (void)state;
    /* Tags keep the case and spaces they were given. */
    tag_ok("mentor", "mentor");
    tag_ok("#Mentor", "Mentor");
    tag_ok("MENTOR", "MENTOR");
    tag_ok("Alumni-2019", "Alumni-2019");
    tag_ok("ex_colleague", "ex_colleague");
    tag_ok("Élite", "Élite");
    tag_ok("#ÄRZTE", "ÄRZTE");
    tag_ok("中文", "中文");
    tag_ok("Worker drones", "Worker drones");
    tag_ok(" mentor ", "mentor");
    tag_ok("Forensics, Lab", "Forensics, Lab");

    tag_bad(NULL);
    tag_bad("");
    tag_bad("#");
    tag_bad("  ");
    tag_bad("a\tb");
    tag_bad("a\nb");
    tag_bad("a\xC2\x85"
            "b");
    tag_bad("a\x1B[31m");
    tag_bad("a\x7F");
    tag_bad("bad\xFF");

    struct kerr e;
    char *out;
    assert_int_equal(check_tag("my\x01tag", &out, &e), K_USAGE);
    assert_non_null(strstr(e.msg, "my\\x01tag")); /* shown escaped */
    /* Long tags are refused. */
    char longtag[200];
    memset(longtag, 'a', sizeof longtag - 1);
    longtag[sizeof longtag - 1] = '\0';
    tag_bad(longtag);
}

static void test_word(void **state)
{
    (void)state;
    struct kerr e;
    assert_int_equal(check_word("kind", "coffee", &e), K_OK);
    assert_int_equal(check_word("kind", "resume-review", &e), K_OK);
    assert_int_equal(check_word("kind", "thank_you2", &e), K_OK);
    assert_int_equal(check_word("kind", "A", &e), K_OK);
    char w[42];
    memset(w, 'k', 40);
    w[40] = '\0';
    assert_int_equal(check_word("kind", w, &e), K_OK);
    w[40] = 'k';
    w[41] = '\0';
    assert_kerr(check_word("kind", w, &e), K_USAGE, &e, "kind");

    assert_int_equal(check_word("kind", NULL, &e), K_USAGE);
    assert_kerr(check_word("kind", "", &e), K_USAGE, &e, "kind");
    assert_kerr(check_word("form", "two words", &e), K_USAGE, &e, "form");
    assert_non_null(strstr(e.msg, "two words"));
    assert_int_equal(check_word("kind", "café", &e), K_USAGE);
    assert_int_equal(check_word("kind", "a/b", &e), K_USAGE);
    assert_int_equal(check_word("kind", "a;drop", &e), K_USAGE);
    assert_int_equal(check_word("kind", "a\nb", &e), K_USAGE);
    /* Invalid UTF-8 is not echoed into the message. */
    assert_int_equal(check_word("kind", "x\xFF", &e), K_USAGE);
    assert_null(strstr(e.msg, "\xFF"));
}

static void test_email(void **state)
{
    (void)state;
    struct kerr e;
    assert_int_equal(check_email("ana@acme.example", &e), K_OK);
    assert_int_equal(check_email("a.b+tag@sub.example.org", &e), K_OK);
    assert_int_equal(check_email("élodie@exemple.fr", &e), K_OK);
    assert_int_equal(check_email("root@localhost", &e), K_OK);

    const char *bad[] = {"",         "ana",          "@acme.example", "ana@",
                         "a@b@c",    "ana @acme.ex", "ana@acme .ex",  "ana@acme\n.ex",
                         "a\tb@c.d", "ana@\x1B[31m", "ana@acme\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (check_email(bad[i], &e) != K_USAGE)
            fail_msg("check_email accepted '%s'", bad[i]);
        assert_true(e.msg[0] != '\0');
    }
    assert_kerr(check_email("ana", &e), K_USAGE, &e, "'ana'");
    assert_non_null(strstr(e.msg, "email"));
}

static void test_phone(void **state)
{
    (void)state;
    struct kerr e;
    const char *good[] = {"555-1234",     "+1 (555) 123-4567",   "+33 1 23 45 67 89", "030/1234567",
                          "555.123.4567", "+1 555 123 4567 x89", "(020) 7946 0018",   "112"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (check_phone(good[i], &e) != K_OK)
            fail_msg("check_phone refused '%s': %s", good[i], e.msg);

    const char *bad[] = {"",           "12",         "call me",  "555-CALL-NOW", "+1 555\n123",
                         "555\x1B[2J", "555;rm -rf", "+-()./ x", "555\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (check_phone(bad[i], &e) != K_USAGE)
            fail_msg("check_phone accepted '%s'", bad[i]);
    assert_kerr(check_phone("call me", &e), K_USAGE, &e, "'call me'");
    assert_non_null(strstr(e.msg, "phone"));
    char longphone[200];
    memset(longphone, '5', sizeof longphone - 1);
    longphone[sizeof longphone - 1] = '\0';
    assert_int_equal(check_phone(longphone, &e), K_USAGE);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_text),  cmocka_unit_test(test_tag),   cmocka_unit_test(test_word),
    cmocka_unit_test(test_email), cmocka_unit_test(test_phone),
};

TEST_MAIN_GROUP(tests, tutf8_setup, NULL)
