/* The card every import fills: dates as services write them, LinkedIn
 * profiles, tags, emails, phones, names from what there is, and limits. */
#include "testutil.h"

#include "kith/core/card.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        enum card_date_order order;
        int rc, y, m, d, amb;
    } cases[] = {
        {"1985-03-15", CARD_MDY, 0, 1985, 3, 15, 0},
        {"19850315", CARD_MDY, 0, 1985, 3, 15, 0},
        {"19881102T000000Z", CARD_MDY, 0, 1988, 11, 2, 0},
        {"--03-15", CARD_MDY, 0, 0, 3, 15, 0},
        {"--0315", CARD_MDY, 0, 0, 3, 15, 0},
        {"1604-11-02", CARD_MDY, 0, 0, 11, 2, 0},
        {"02 Jun 2022", CARD_MDY, 0, 2022, 6, 2, 0},
        {"2 June 2022", CARD_MDY, 0, 2022, 6, 2, 0},
        {"Jun 2, 2022", CARD_MDY, 0, 2022, 6, 2, 0},
        {"September 3rd, 1999", CARD_MDY, 0, 1999, 9, 3, 0},
        {"5-Jan-26", CARD_MDY, 0, 2026, 1, 5, 0},
        {"5-Jan-27", CARD_MDY, 0, 1927, 1, 5, 0},
        {"3/15/1985", CARD_MDY, 0, 1985, 3, 15, 0},
        {"20/01/1991", CARD_MDY, 0, 1991, 1, 20, 0},
        {"1/8/18, 6:14 PM", CARD_MDY, 0, 2018, 1, 8, 1},
        {"03/04/1990", CARD_MDY, 0, 1990, 3, 4, 1},
        {"03/04/1990", CARD_DMY, 0, 1990, 4, 3, 1},
        {"04/04/1990", CARD_DMY, 0, 1990, 4, 4, 0},
        {"15.03.1985", CARD_MDY, 0, 1985, 3, 15, 0},
        {"1985/03/15", CARD_MDY, 0, 1985, 3, 15, 0},
        {"2024-02-29", CARD_MDY, 0, 2024, 2, 29, 0},
        {"--02-29", CARD_MDY, 0, 0, 2, 29, 0},
        {"03-15", CARD_MDY, 0, 0, 3, 15, 0},
        {"0/0/00", CARD_MDY, 1, 0, 0, 0, 0},
        {"  ", CARD_MDY, 1, 0, 0, 0, 0},
        {"1990-02-30", CARD_MDY, -1, 0, 0, 0, 0},
        {"13/13/1990", CARD_MDY, -1, 0, 0, 0, 0},
        {"13-45", CARD_MDY, -1, 0, 0, 0, 0},
        {"soon", CARD_MDY, -1, 0, 0, 0, 0},
        {"Jun 2022", CARD_MDY, -1, 0, 0, 0, 0},
        {"1/2/3/4", CARD_MDY, -1, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int y = -1, m = -1, d = -1, amb = -1;
        int rc = card_parse_date(cases[i].s, cases[i].order, 2026, &y, &m, &d, &amb);
        if (rc != cases[i].rc)
            fail_msg("'%s': rc %d, want %d", cases[i].s, rc, cases[i].rc);
        if (rc == 0 &&
            (y != cases[i].y || m != cases[i].m || d != cases[i].d || amb != cases[i].amb))
            fail_msg("'%s': %d-%d-%d (ambiguous %d)", cases[i].s, y, m, d, amb);
    }
}

static void test_linkedin(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"https://www.linkedin.com/in/dscully", "https://www.linkedin.com/in/dscully"},
        {"http://linkedin.com/in/DScully/", "https://www.linkedin.com/in/dscully"},
        {"www.linkedin.com/in/dscully?trk=x", "https://www.linkedin.com/in/dscully"},
        {"https://de.linkedin.com/in/hans-m-123/", "https://www.linkedin.com/in/hans-m-123"},
        {"linkedin.com/in/a%C3%A9", "https://www.linkedin.com/in/a%c3%a9"},
        {"https://www.linkedin.com/company/acme", NULL},
        {"https://www.linkedin.com/in/", NULL},
        {"https://notlinkedin.com/in/x", NULL},
        {"https://example.com", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = card_linkedin(cases[i].in);
        if (cases[i].out ? !got || strcmp(got, cases[i].out) : got != NULL)
            fail_msg("%s: %s", cases[i].in, got ? got : "(none)");
        free(got);
    }
}

/* The tests of cards read from a CSV file: a struct tcards set up for
 * "t.csv" as their state. */
static int csv_setup(void **state)
{
    tcards_setup(state);
    tcards_init(*state, "t.csv");
    return 0;
}

static void test_tags(void **state)
{
    struct tcards *t = *state;
    struct card k;
    card_init(&k, &t->o, 1);
    card_tags(&k, "* myContacts ::: * starred ::: Worker drones ::: worker DRONES", 2);
    card_tags(&k, "VIP;Friends, Book Club", 3);
    card_tags(&k, "ok ::: bad\x01tag", 4);
    const char *want[] = {"starred", "Worker drones", "VIP", "Friends", "Book Club", "ok"};
    assert_int_equal(k.c.tags.n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(k.c.tags.v[i], want[i]);
    assert_non_null(tcards_problem(t, CARD_WARN, 4));
    card_clear(&k);
}

static void test_values(void **state)
{
    struct tcards *t = *state;
    struct card k;
    struct kerr e;
    card_init(&k, &t->o, 1);
    assert_int_equal(card_add(&k, CARD_EMAIL, "\"Ana Ruiz\" <ana@acme.example>", "* Work", 1, &e),
                     K_OK);
    assert_int_equal(card_add(&k, CARD_EMAIL, "mailto:ana@home.example", NULL, 1, &e), K_OK);
    assert_int_equal(card_add(&k, CARD_EMAIL, "ana@acme.example", "home", 1, &e), K_OK);
    /* Blanks inside the brackets are not the address's (found by fuzz_vcard:
     * a name made from " ana@..." read back without its blank). */
    assert_int_equal(card_add(&k, CARD_EMAIL, "\"Ana\"< ana@acme.example >", NULL, 1, &e), K_OK);
    assert_int_equal(k.c.emails.n, 2);
    assert_string_equal(k.c.emails.v[0], "ana@acme.example");
    assert_string_equal(contact_label(&k.c.email_labels, 0), "work");
    assert_string_equal(k.c.emails.v[1], "ana@home.example");
    /* Direction marks around a number go; the number stays as written. */
    assert_int_equal(card_add(&k, CARD_PHONE, "\u202a+49 170 1234567\u202c", NULL, 1, &e), K_OK);
    assert_int_equal(card_add(&k, CARD_PHONE, "\u200e1-800-ELEPHANT", NULL, 1, &e), K_OK);
    assert_string_equal(k.c.phones.v[0], "+49 170 1234567");
    assert_string_equal(k.c.phones.v[1], "1-800-ELEPHANT");
    assert_int_equal(card_add(&k, CARD_LINK, "https://a.example/\x01", NULL, 1, &e), K_USAGE);
    /* A control character anywhere in a long value, before, in or after
     * any eight bytes of it; the printable ends of ASCII, and other text,
     * are no control. */
    const char *const bad[] = {"\x01", "\x1F", "\x7F", "\xC2\x9B"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        for (int at = 0; at <= 24; at++) {
            char v[64];
            snprintf(v, sizeof v, "https://a.example/%.*s%s%s", at, "abcdefghijklmnopqrstuvwxyz",
                     bad[b], "~ok ~ ok~");
            struct card o;
            card_init(&o, &t->o, 1);
            if (card_add(&o, CARD_LINK, v, NULL, 1, &e) != K_USAGE)
                fail_msg("not refused: %s", v);
            card_clear(&o);
        }
    }
    assert_int_equal(card_add(&k, CARD_LINK,
                              "https://a.example/ ~ ~ ~ ~ ~ ~ ~ ~/\xC2\xA0é/~~~~~~~~", NULL, 1, &e),
                     K_OK);
    assert_int_equal(card_add(&k, CARD_ARCHIVED, "maybe", NULL, 1, &e), K_USAGE);
    assert_int_equal(card_add(&k, CARD_BIRTHDAY, "0/0/00", NULL, 1, &e), K_OK);
    assert_null(k.c.birthday);
    assert_int_equal(card_add(&k, CARD_MET_ON, "--03-04", NULL, 1, &e), K_USAGE);
    card_clear(&k);
}

/* The name from what the card has; nothing at all is an empty card. */
static void test_finish(void **state)
{
    struct tcards *t = *state;
    struct card k;
    struct kerr e;
    static const struct {
        enum card_field f;
        const char *v, *name;
        int guessed;
    } cases[] = {
        {CARD_LAST, "Ruiz", "Ruiz", 0},
        {CARD_NICKNAME, "Annie", "Annie", 1},
        {CARD_COMPANY, "Acme", "Acme", 1},
        {CARD_EMAIL, "a@b.example", "a@b.example", 1},
        {CARD_PHONE, "+1 555 0100", "+1 555 0100", 1},
        {CARD_LINK, "https://x.example", "https://x.example", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        card_init(&k, &t->o, 1);
        assert_int_equal(card_add(&k, cases[i].f, cases[i].v, NULL, 1, &e), K_OK);
        assert_int_equal(card_finish(&k, &e), K_OK);
        assert_string_equal(k.c.name, cases[i].name);
        assert_int_equal(k.name_guessed, cases[i].guessed);
        card_clear(&k);
    }
    card_init(&k, &t->o, 1);
    card_set(&k, CARD_MET_ON, "14 Mar 2021", 1);
    card_set(&k, CARD_NOTE, "only a note", 1);
    assert_int_equal(card_finish(&k, &e), K_NOTFOUND);
    card_clear(&k);
    /* Outlook's department joins the company; Thunderbird's birthday comes
     * in three columns; an address's parts make the location. */
    card_init(&k, &t->o, 1);
    card_set(&k, CARD_FIRST, "Tessa", 1);
    card_set(&k, CARD_COMPANY, "Hooli", 1);
    card_set(&k, CARD_DEPARTMENT, "Research", 1);
    card_set(&k, CARD_BIRTH_MONTH, "7", 1);
    card_set(&k, CARD_BIRTH_DAY, "9", 1);
    card_address_part(&k, 2, CARD_STREET, "1 Way", "work");
    card_address_part(&k, 2, CARD_STREET, "Building 4", NULL);
    card_address_part(&k, 2, CARD_CITY, "Palo Alto", NULL);
    assert_int_equal(card_finish(&k, &e), K_OK);
    assert_string_equal(k.c.company, "Hooli, Research");
    assert_string_equal(k.c.birthday, "07-09");
    assert_int_equal(k.c.naddresses, 1);
    assert_string_equal(k.c.addresses[0].street, "1 Way\nBuilding 4");
    assert_string_equal(k.c.addresses[0].label, "work");
    assert_string_equal(k.c.location, "1 Way, Building 4, Palo Alto");
    card_clear(&k);
}

static void test_field_names(void **state)
{
    (void)state;
    for (int i = 0; i < CARD_FIELD_COUNT; i++) {
        enum card_field f;
        assert_int_equal(card_field_parse(card_field_name((enum card_field)i), &f), 0);
        assert_int_equal(f, i);
    }
    enum card_field f;
    assert_int_equal(card_field_parse("Birth-Year", &f), 0);
    assert_int_equal(f, CARD_BIRTH_YEAR);
    assert_int_equal(card_field_parse("nom", &f), -1);
}

#define CSV_TEST(f) cmocka_unit_test_setup_teardown(f, csv_setup, tcards_teardown)

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_dates), cmocka_unit_test(test_linkedin),
    CSV_TEST(test_tags),          CSV_TEST(test_values),
    CSV_TEST(test_finish),        cmocka_unit_test(test_field_names),
};

TEST_MAIN_GROUP(tests, tutf8_setup, NULL)
