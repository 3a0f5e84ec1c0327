#include "testutil.h"

#include "kith/core/check.h"
#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbcontact.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every contact, archived ones included. */
static size_t count_all(struct journal *j)
{
    struct contact_query q = {0};
    size_t n = 99;
    struct kerr e;
    q.include_archived = 1;
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    size_t raw = 0;
    assert_int_equal(dbcontact_total(journal_db(j), &raw, &e), K_OK);
    assert_int_equal(raw, n);
    return n;
}

static void expect_add_refused(struct journal *j, struct contact_patch *p, const char *msg_part)
{
    struct kerr e;
    char id[KID_LEN + 1] = "";
    size_t before = count_all(j);
    assert_int_equal(contact_add(j, p, id, &e), K_USAGE);
    if (msg_part && !strstr(e.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", e.msg, msg_part);
    assert_int_equal(count_all(j), before);
    assert_string_equal(id, "");
}

static void test_add_validation(void **state)
{
    struct tjournal *t = *state;
    struct contact_patch p;
    contact_patch_init(&p);

    expect_add_refused(t->j, &p, "name");
    struct kerr e;
    char id[KID_LEN + 1];
    assert_kerr(contact_add(t->j, &p, id, &e), K_USAGE, &e, "a contact needs a name");
    assert_string_equal(e.field, "name");
    p.name = "";
    expect_add_refused(t->j, &p, "name");
    p.name = "  \t ";
    expect_add_refused(t->j, &p, "name");
    p.name = "Bad\xFF";
    expect_add_refused(t->j, &p, "UTF-8");
    char longname[CHECK_SHORT_MAX + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    p.name = longname;
    expect_add_refused(t->j, &p, "name");

    p.name = "Ana Ruiz";
    kstrlist_add(&p.add_emails, "ana@acme.example");
    kstrlist_add(&p.add_emails, "not an email");
    expect_add_refused(t->j, &p, "email");
    kstrlist_clear(&p.add_emails);
    kstrlist_add(&p.add_phones, "call me maybe");
    expect_add_refused(t->j, &p, "phone");
    kstrlist_clear(&p.add_phones);
    p.birthday = "13-45";
    expect_add_refused(t->j, &p, "13-45");
    p.birthday = "2023-02-29";
    expect_add_refused(t->j, &p, NULL);
    p.birthday = NULL;
    p.met_on = "last spring";
    expect_add_refused(t->j, &p, "last spring");
    p.met_on = "2026-02-30";
    expect_add_refused(t->j, &p, NULL);
    p.met_on = NULL;
    kstrlist_add(&p.add_tags, "two\twords");
    expect_add_refused(t->j, &p, "control characters");
    kstrlist_clear(&p.add_tags);
    p.company = "Acme\xC0\xAF";
    expect_add_refused(t->j, &p, "company");
    p.company = NULL;
    assert_int_equal(count_all(t->j), 0);
    contact_patch_clear(&p);
}

static void test_add_fields(void **state)
{
    struct tjournal *t = *state;
    struct contact_patch p;
    struct kerr e;
    char id[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = "  Ana Ruiz\t ";
    p.company = " Acme ";
    p.title = "VP Engineering";
    p.location = "Madrid";
    p.how_met = "SMG conference";
    p.met_on = "-10d";
    p.birthday = "--04-12";
    p.note = "  indented\nnote  ";
    p.working_on = "a book";
    kstrlist_add(&p.add_emails, "ana@acme.example");
    kstrlist_add(&p.add_emails, "ana@home.example");
    kstrlist_add(&p.add_emails, "ana@acme.example");
    kstrlist_add(&p.add_phones, "+34 600 000 000");
    kstrlist_add(&p.add_links, "https://example.org/ana");
    kstrlist_add(&p.add_tags, "#Mentor");
    kstrlist_add(&p.add_tags, "alumni");
    kstrlist_add(&p.add_tags, "MENTOR");
    kstrlist_add(&p.add_tags, " #Infra ");
    assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
    contact_patch_clear(&p);
    assert_int_equal(strlen(id), KID_LEN);

    struct contact c;
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.id, id);
    assert_string_equal(c.name, "Ana Ruiz");
    assert_string_equal(c.company, "Acme");
    assert_string_equal(c.title, "VP Engineering");
    assert_string_equal(c.location, "Madrid");
    assert_string_equal(c.how_met, "SMG conference");
    assert_int_equal(c.met_on, tday("2026-11-12"));
    assert_string_equal(c.birthday, "04-12");
    assert_string_equal(c.note, "  indented\nnote  ");
    assert_string_equal(c.working_on, "a book");
    assert_int_equal(c.archived, 0);
    assert_int_equal(c.emails.n, 2);
    assert_string_equal(c.emails.v[0], "ana@acme.example");
    assert_string_equal(c.emails.v[1], "ana@home.example");
    assert_int_equal(c.phones.n, 1);
    assert_string_equal(c.phones.v[0], "+34 600 000 000");
    assert_int_equal(c.links.n, 1);
    /* One tag, case aside; the first spelling stays; a # after blanks
     * goes as one at the start does. */
    assert_int_equal(c.tags.n, 3);
    assert_string_equal(c.tags.v[0], "alumni");
    assert_string_equal(c.tags.v[1], "Infra");
    assert_string_equal(c.tags.v[2], "Mentor");
    assert_int_equal(c.goodwill, 0);
    assert_int_equal(c.last_interaction, KDATE_NONE);
    contact_clear(&c);

    /* Unset fields stay NULL; a full birthday keeps its year. */
    contact_patch_init(&p);
    p.name = "Ben";
    p.birthday = "1985-07-03";
    p.company = "";
    assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_null(c.company);
    assert_null(c.title);
    assert_null(c.note);
    assert_int_equal(c.met_on, KDATE_NONE);
    assert_string_equal(c.birthday, "1985-07-03");
    contact_clear(&c);

    /* Names are text as given, control characters included. */
    p.name = "Eve \x1B[31mRed\x1B[0m";
    p.birthday = NULL;
    assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.name, "Eve \x1B[31mRed\x1B[0m");
    contact_clear(&c);
    assert_int_equal(count_all(t->j), 3);

    assert_int_equal(contact_get(t->j, "0123456789abcdef0123456789abcdef", &c, &e), K_NOTFOUND);
}

static void test_edit(void **state)
{
    struct tjournal *t = *state;
    struct contact_patch p;
    struct kerr e;
    char id[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = "Ana Ruiz";
    p.company = "Acme";
    p.title = "VP";
    p.met_on = "2024-03-01";
    kstrlist_add(&p.add_emails, "a@acme.example");
    kstrlist_add(&p.add_emails, "b@acme.example");
    kstrlist_add(&p.add_phones, "555-0100");
    kstrlist_add(&p.add_links, "https://a.example");
    kstrlist_add(&p.add_tags, "mentor");
    kstrlist_add(&p.add_tags, "alumni");
    assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
    contact_patch_clear(&p);

    /* Set one field, clear another, leave the rest; add and remove list
     * values. */
    contact_patch_init(&p);
    p.company = "Globex";
    p.title = "";
    p.note = "likes sailing";
    kstrlist_add(&p.rm_emails, "a@acme.example");
    kstrlist_add(&p.add_emails, "ana@globex.example");
    kstrlist_add(&p.rm_phones, "555-0100");
    kstrlist_add(&p.add_phones, "555-0199");
    kstrlist_add(&p.rm_links, "https://a.example");
    kstrlist_add(&p.rm_tags, "#Mentor");
    kstrlist_add(&p.add_tags, "Friend");
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    contact_patch_clear(&p);

    struct contact c;
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.name, "Ana Ruiz");
    assert_string_equal(c.company, "Globex");
    assert_null(c.title);
    assert_string_equal(c.note, "likes sailing");
    assert_int_equal(c.met_on, tday("2024-03-01"));
    assert_int_equal(c.emails.n, 2);
    assert_true(kstrlist_has(&c.emails, "b@acme.example"));
    assert_true(kstrlist_has(&c.emails, "ana@globex.example"));
    assert_int_equal(c.phones.n, 1);
    assert_string_equal(c.phones.v[0], "555-0199");
    assert_int_equal(c.links.n, 0);
    assert_int_equal(c.tags.n, 2);
    assert_string_equal(c.tags.v[0], "alumni");
    assert_string_equal(c.tags.v[1], "Friend");
    contact_clear(&c);

    /* Rename, clear the met-on date, archive and unarchive. */
    contact_patch_init(&p);
    p.name = " Ana Ruiz-Lopez ";
    p.met_on = "";
    p.archived = 1;
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.name, "Ana Ruiz-Lopez");
    assert_int_equal(c.met_on, KDATE_NONE);
    assert_int_equal(c.archived, 1);
    contact_clear(&c);
    char found[KID_LEN + 1];
    assert_int_equal(contact_resolve(t->j, "ana ruiz-lopez", found, &e), K_OK);
    assert_string_equal(found, id);
    contact_patch_init(&p);
    p.archived = 0;
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_int_equal(c.archived, 0);
    contact_clear(&c);

    /* A bad value anywhere in a patch changes nothing. */
    char *before = NULL, *after = NULL;
    assert_int_equal(contact_get_json(t->j, id, &before, &e), K_OK);
    const char *bad_names[] = {"", "   "};
    for (int i = 0; i < 2; i++) {
        contact_patch_init(&p);
        p.company = "Changed";
        p.name = bad_names[i];
        assert_int_equal(contact_edit(t->j, id, &p, &e), K_USAGE);
    }
    contact_patch_init(&p);
    p.company = "Changed";
    kstrlist_add(&p.add_emails, "x@y.example");
    kstrlist_add(&p.add_emails, "broken");
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_USAGE);
    contact_patch_clear(&p);
    contact_patch_init(&p);
    p.company = "Changed";
    p.birthday = "02-30";
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_USAGE);
    contact_patch_init(&p);
    p.company = "Changed";
    kstrlist_add(&p.add_tags, "bad\ttag");
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_USAGE);
    contact_patch_clear(&p);
    assert_int_equal(contact_get_json(t->j, id, &after, &e), K_OK);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* Birthday set and cleared. */
    contact_patch_init(&p);
    p.birthday = "12-24";
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_string_equal(c.birthday, "12-24");
    contact_clear(&c);
    p.birthday = "";
    assert_int_equal(contact_edit(t->j, id, &p, &e), K_OK);
    assert_int_equal(contact_get(t->j, id, &c, &e), K_OK);
    assert_null(c.birthday);
    contact_clear(&c);

    /* Unknown contact. */
    contact_patch_init(&p);
    p.company = "X";
    assert_int_equal(contact_edit(t->j, "0123456789abcdef0123456789abcdef", &p, &e), K_NOTFOUND);
    assert_int_equal(count_all(t->j), 1);
}

static void test_delete(void **state)
{
    struct tjournal *t = *state;
    struct contact_patch p;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], solo[KID_LEN + 1], shared[KID_LEN + 1], other[KID_LEN + 1];
    contact_patch_init(&p);
    p.name = "Ana Ruiz";
    p.note = "zebrafish researcher";
    kstrlist_add(&p.add_emails, "ana@acme.example");
    kstrlist_add(&p.add_phones, "555-0100");
    kstrlist_add(&p.add_tags, "mentor");
    assert_int_equal(contact_add(t->j, &p, a, &e), K_OK);
    contact_patch_clear(&p);
    tadd(t->j, "Ben Okafor", b);
    const char *only_a[] = {a}, *both[] = {a, b}, *only_b[] = {b};
    tlogi(t->j, only_a, 1, "coffee", KDIR_MUTUAL, "2026-11-01", "just ana", solo);
    tlogi(t->j, both, 2, "meeting", KDIR_GAVE, "2026-11-02", "ana and ben", shared);
    tlogi(t->j, only_b, 1, "call", KDIR_ASKED, "2026-11-03", "just ben", other);

    assert_int_equal(contact_delete(t->j, a, &e), K_OK);
    struct contact c;
    assert_int_equal(contact_get(t->j, a, &c, &e), K_NOTFOUND);
    assert_int_equal(count_all(t->j), 1);
    /* Details and tags went with it. */
    char found[KID_LEN + 1];
    assert_int_equal(
        dbcontact_find_detail(journal_db(t->j), "email", "ana@acme.example", found, &e),
        K_NOTFOUND);
    assert_int_equal(dbcontact_find_detail(journal_db(t->j), "phone", "555-0100", found, &e),
                     K_NOTFOUND);
    struct contact_query q = {0};
    size_t n = 9;
    q.tag = "mentor";
    q.include_archived = 1;
    assert_int_equal(contact_count(t->j, &q, &n, &e), K_OK);
    assert_int_equal(n, 0);
    q.tag = NULL;
    q.search = "zebrafish";
    assert_int_equal(contact_count(t->j, &q, &n, &e), K_OK);
    assert_int_equal(n, 0);

    /* The interaction with only Ana went; the shared one stays, with Ben. */
    assert_int_equal(interaction_resolve(t->j, solo, found, &e), K_NOTFOUND);
    assert_int_equal(interaction_resolve(t->j, shared, found, &e), K_OK);
    assert_int_equal(interaction_resolve(t->j, other, found, &e), K_OK);
    struct interaction_query iq = {0};
    struct interaction_list l;
    iq.since = iq.until = KDATE_NONE;
    assert_int_equal(interaction_list(t->j, &iq, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[1].id, shared);
    assert_int_equal(l.v[1].ncontacts, 1);
    assert_string_equal(l.v[1].contacts[0].id, b);
    interaction_list_clear(&l);
    assert_int_equal(contact_get(t->j, b, &c, &e), K_OK);
    assert_int_equal(c.gave, 1);
    assert_int_equal(c.asked, 1);
    contact_clear(&c);

    /* Deleting again, or an unknown id. */
    assert_int_equal(contact_delete(t->j, a, &e), K_NOTFOUND);
    assert_int_equal(count_all(t->j), 1);
}

static void insert_with_id(struct journal *j, const char *id, const char *name)
{
    struct kerr e;
    assert_int_equal(db_begin(journal_db(j), &e), K_OK);
    tinsert_contact(journal_db(j), id, name);
    assert_int_equal(db_commit(journal_db(j), &e), K_OK);
}

/* The "matches several" message: the head, one row a candidate with its
 * text escaped, and "..." when more matched than are listed. */
static void test_ambiguous_message(void **state)
{
    (void)state;
    struct sbuf rows = {0};
    struct kerr e;
    journal_ambiguous_row(&rows, "ab12", "Ana \x1b[2J Ruiz");
    journal_ambiguous_row(&rows, "ab13", "Ana Ruiz-Lopez");
    char *esc = kstr_escape("Ana \x1b[2J Ruiz");
    char want[512];
    snprintf(want, sizeof want,
             "'ana' matches several contacts; use more of the name or an id:\n  ab12  %s\n"
             "  ab13  Ana Ruiz-Lopez\n  ...",
             esc);
    assert_int_equal(journal_ambiguous("'ana'", "contacts", "the name or an id", &rows, 1, &e),
                     K_USAGE);
    assert_int_equal(e.status, K_USAGE);
    assert_string_equal(e.msg, want);
    assert_null(strchr(e.msg, '\x1b'));
    want[strlen(want) - 6] = '\0';
    assert_int_equal(journal_ambiguous("'ana'", "contacts", "the name or an id", &rows, 0, &e),
                     K_USAGE);
    assert_string_equal(e.msg, want);
    free(esc);
    sbuf_free(&rows);
}

static void test_resolve(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ana2[KID_LEN + 1], elo[KID_LEN + 1], ben[KID_LEN + 1], got[KID_LEN + 1];
    tadd_each(t->j, "Ana Ruiz", ana, "Ana Ruiz-Lopez", ana2, "Élodie Dupont", elo, "Ben Okafor",
              ben, NULL);

    char prefix[9];
    memcpy(prefix, ben, 8);
    prefix[8] = '\0';
    const struct {
        const char *query, *want;
    } found[] = {
        /* The full id, or a prefix of it. */
        {ben, ben},
        {prefix, ben},
        /* An exact name, case-insensitive, beats a fragment of a longer one. */
        {"ana ruiz", ana},
        {"ANA RUIZ", ana},
        {"ÉLODIE DUPONT", elo},
        {"élodie dupont", elo},
        /* A unique fragment, in any case. */
        {"ÉLODIE", elo},
        {"élodie", elo},
        {"okaf", ben},
        {"lopez", ana2},
    };
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
        assert_int_equal(contact_resolve(t->j, found[i].query, got, &e), K_OK);
        assert_string_equal(got, found[i].want);
    }

    /* Ambiguous: K_USAGE listing the candidates. */
    assert_kerr(contact_resolve(t->j, "ana", got, &e), K_USAGE, &e, "Ana Ruiz\n");
    const char *head = "'ana' matches several contacts; use more of the name or an id:\n  ";
    assert_true(!strncmp(e.msg, head, strlen(head)));
    assert_non_null(strstr(e.msg, "Ana Ruiz-Lopez"));
    assert_null(strstr(e.msg, "Ben"));
    assert_int_equal(contact_resolve(t->j, "uiz", got, &e), K_USAGE);
    /* The start of a word beats a fragment inside words: "o" is Okafor. */
    assert_int_equal(contact_resolve(t->j, "o", got, &e), K_OK);
    assert_string_equal(got, ben);
    /* None. */
    assert_kerr(contact_resolve(t->j, "zoltan", got, &e), K_NOTFOUND, &e, "zoltan");
    assert_int_equal(contact_resolve(t->j, "", got, &e), K_USAGE);
    assert_int_equal(contact_resolve(t->j, NULL, got, &e), K_USAGE);
    assert_int_equal(contact_resolve(t->j, "bad\xFF", got, &e), K_USAGE);
    /* What the user typed is echoed escaped. */
    assert_int_equal(contact_resolve(t->j, "x\x1B[2J", got, &e), K_NOTFOUND);
    assert_null(strchr(e.msg, 0x1B));
    /* Wildcards of SQL are literal. */
    assert_int_equal(contact_resolve(t->j, "%", got, &e), K_NOTFOUND);
    assert_int_equal(contact_resolve(t->j, "_", got, &e), K_NOTFOUND);

    /* Two contacts with the same name: ambiguous, both listed. */
    char sam1[KID_LEN + 1], sam2[KID_LEN + 1];
    tadd_each(t->j, "Sam Lee", sam1, "sam lee", sam2, NULL);
    assert_int_equal(contact_resolve(t->j, "Sam Lee", got, &e), K_USAGE);
    char s1[KID_LEN + 1], s2[KID_LEN + 1];
    journal_short_id(t->j, "contact", sam1, s1);
    journal_short_id(t->j, "contact", sam2, s2);
    assert_non_null(strstr(e.msg, s1));
    assert_non_null(strstr(e.msg, s2));
    assert_int_equal(contact_resolve(t->j, sam1, got, &e), K_OK);
    assert_string_equal(got, sam1);

    /* Id prefixes: ambiguous until long enough; an exact name wins over an
     * id prefix. */
    insert_with_id(t->j, "beef0000000000000000000000000000", "First Beef");
    insert_with_id(t->j, "beef1111111111111111111111111111", "Second Beef");
    insert_with_id(t->j, "cafe0000000000000000000000000000", "Someone");
    tadd(t->j, "cafe", got);
    char cafe_named[KID_LEN + 1];
    memcpy(cafe_named, got, sizeof got);
    assert_kerr(contact_resolve(t->j, "beef", got, &e), K_USAGE, &e, "First Beef");
    assert_non_null(strstr(e.msg, "Second Beef"));
    assert_int_equal(contact_resolve(t->j, "beef1", got, &e), K_OK);
    assert_string_equal(got, "beef1111111111111111111111111111");
    /* Ids are hex: upper case names the same id. */
    assert_int_equal(contact_resolve(t->j, "BEEF1", got, &e), K_OK);
    assert_string_equal(got, "beef1111111111111111111111111111");
    assert_int_equal(contact_resolve(t->j, "BEEF1111111111111111111111111111", got, &e), K_OK);
    assert_string_equal(got, "beef1111111111111111111111111111");
    assert_int_equal(contact_resolve(t->j, "cafe", got, &e), K_OK);
    assert_string_equal(got, cafe_named);
    assert_int_equal(contact_resolve(t->j, "cafe0", got, &e), K_OK);
    assert_string_equal(got, "cafe0000000000000000000000000000");

    /* Many candidates: the list is cut, and says so. */
    for (int i = 0; i < 15; i++) {
        char name[32];
        snprintf(name, sizeof name, "Many %02d", i);
        tadd(t->j, name, got);
    }
    assert_kerr(contact_resolve(t->j, "many", got, &e), K_USAGE, &e, "Many 00");
    assert_non_null(strstr(e.msg, "..."));
}

static const char *name_at(const void *l, size_t i)
{
    return ((const struct contact_list *)l)->v[i].name;
}

static void names_in(struct journal *j, const struct contact_query *q, const char *want)
{
    const char *what = q->search ? q->search : "";
    struct contact_list l;
    struct kerr e;
    if (contact_list(j, q, &l, &e) != K_OK)
        fail_msg("contact_list: %s", e.msg);
    tassert_joined(&l, l.n, name_at, want, what);
    size_t n = 0;
    assert_int_equal(contact_count(j, q, &n, &e), K_OK);
    assert_int_equal(l.total, n);
    /* Counted apart from the list: the rows it lists. */
    if (!q->offset && !q->limit)
        assert_int_equal(n, l.n);
    contact_list_clear(&l);
}

static int stop_after_3(const struct contact *c, void *ud)
{
    size_t *calls = ud;
    assert_non_null(c->name);
    return ++*calls == 3;
}

static void test_list_window(void **state)
{
    struct tjournal *t = *state;
    char id[KID_LEN + 1];
    struct kerr e;
    for (int i = 25; i >= 1; i--) {
        char name[32];
        snprintf(name, sizeof name, "Person %02d", i);
        tadd(t->j, name, id);
    }
    struct contact_query q = {0};
    struct contact_list l;
    q.limit = 10;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 10);
    assert_int_equal(l.total, 25);
    assert_string_equal(l.v[0].name, "Person 01");
    assert_string_equal(l.v[9].name, "Person 10");
    contact_list_clear(&l);
    q.offset = 20;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 5);
    assert_int_equal(l.total, 25);
    assert_string_equal(l.v[0].name, "Person 21");
    contact_list_clear(&l);
    q.offset = 30;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.total, 25);
    contact_list_clear(&l);
    q.offset = 5;
    q.limit = 0;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 20);
    assert_string_equal(l.v[0].name, "Person 06");
    contact_list_clear(&l);

    /* contact_each stops when the callback says so. */
    q.offset = 0;
    size_t calls = 0;
    assert_int_equal(contact_each(t->j, &q, stop_after_3, &calls, &e), K_OK);
    assert_int_equal(calls, 3);
}

static void test_list_sorts_and_filters(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], c[KID_LEN + 1], d[KID_LEN + 1];
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = "Ana";
    kstrlist_add(&p.add_tags, "mentor");
    assert_int_equal(contact_add(t->j, &p, a, &e), K_OK);
    contact_patch_clear(&p);
    tadd(t->j, "Ben", b);
    contact_patch_init(&p);
    p.name = "Cy";
    kstrlist_add(&p.add_tags, "Mentor");
    kstrlist_add(&p.add_tags, "alumni");
    assert_int_equal(contact_add(t->j, &p, c, &e), K_OK);
    contact_patch_clear(&p);
    tadd(t->j, "Dee", d);
    const char *ia[] = {a}, *ib[] = {b}, *id_[] = {d};
    tlogi(t->j, ia, 1, "intro", KDIR_GAVE, "2026-11-01", NULL, NULL);
    tlogi(t->j, ib, 1, "advice", KDIR_ASKED, "2026-10-01", NULL, NULL);
    tlogi(t->j, ib, 1, "coffee", KDIR_ASKED, "2026-09-01", NULL, NULL);
    tlogi(t->j, id_, 1, "coffee", KDIR_MUTUAL, "2026-11-20", NULL, NULL);

    struct contact_query q = {0};
    names_in(t->j, &q, "Ana,Ben,Cy,Dee");
    q.sort = CONTACT_SORT_RECENT;
    names_in(t->j, &q, "Dee,Ana,Ben,Cy");
    q.sort = CONTACT_SORT_SILENT;
    names_in(t->j, &q, "Cy,Ben,Ana,Dee");
    q.sort = CONTACT_SORT_GOODWILL;
    names_in(t->j, &q, "Ana,Cy,Dee,Ben");

    /* The list rows carry the derived stats. */
    struct contact_list l;
    q.sort = CONTACT_SORT_NAME;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
    assert_int_equal(l.v[0].goodwill, 3);
    assert_int_equal(l.v[0].gave, 1);
    assert_int_equal(l.v[0].last_interaction, tday("2026-11-01"));
    assert_int_equal(l.v[1].goodwill, -2);
    assert_int_equal(l.v[1].asked, 2);
    assert_int_equal(l.v[1].last_interaction, tday("2026-10-01"));
    assert_int_equal(l.v[2].last_interaction, KDATE_NONE);
    assert_int_equal(l.v[2].tags.n, 2);
    assert_string_equal(l.v[2].tags.v[0], "alumni");
    assert_string_equal(l.v[2].tags.v[1], "Mentor");
    assert_int_equal(l.v[3].mutual, 1);
    contact_list_clear(&l);

    /* Tag filter, alone and with a sort and a window. */
    q.tag = "mentor";
    names_in(t->j, &q, "Ana,Cy");
    q.sort = CONTACT_SORT_SILENT;
    names_in(t->j, &q, "Cy,Ana");
    q.limit = 1;
    q.offset = 1;
    names_in(t->j, &q, "Ana");
    q.limit = 0;
    q.offset = 0;
    q.tag = "alumni";
    names_in(t->j, &q, "Cy");
    q.tag = "nobody";
    names_in(t->j, &q, "");

    /* Archived contacts are hidden unless asked for. */
    contact_patch_init(&p);
    p.archived = 1;
    assert_int_equal(contact_edit(t->j, a, &p, &e), K_OK);
    memset(&q, 0, sizeof q);
    names_in(t->j, &q, "Ben,Cy,Dee");
    q.tag = "mentor";
    names_in(t->j, &q, "Cy");
    q.include_archived = 1;
    names_in(t->j, &q, "Ana,Cy");
    q.tag = NULL;
    names_in(t->j, &q, "Ana,Ben,Cy,Dee");
    /* They can still be named. */
    char got[KID_LEN + 1];
    assert_int_equal(contact_resolve(t->j, "ana", got, &e), K_OK);
    assert_string_equal(got, a);

    /* Sort names. */
    for (int s = 0; s < CONTACT_SORT_COUNT; s++) {
        enum contact_sort back;
        assert_int_equal(contact_sort_parse(contact_sort_name((enum contact_sort)s), &back), 0);
        assert_int_equal(back, s);
    }
    enum contact_sort back;
    assert_int_equal(contact_sort_parse("bogus", &back), -1);
    assert_int_equal(contact_sort_parse(NULL, &back), -1);
}

/* The names of q's rows, comma-separated, into b (emptied first). */
static void window_names(struct journal *j, const struct contact_query *q, struct sbuf *b)
{
    struct contact_list l;
    struct kerr e;
    sbuf_free(b);
    if (contact_list(j, q, &l, &e) != K_OK)
        fail_msg("contact_list: %s", e.msg);
    sbuf_add(b, "");
    for (size_t i = 0; i < l.n; i++) {
        assert_non_null(l.v[i].name_key);
        sbuf_printf(b, "%s%s", i ? "," : "", l.v[i].name);
    }
    contact_list_clear(&l);
}

/* The names of rows from .. to - 1 of ref. */
static void slice_names(const struct contact_list *ref, size_t from, size_t to, struct sbuf *b)
{
    sbuf_free(b);
    sbuf_add(b, "");
    for (size_t i = from; i < to && i < ref->n; i++)
        sbuf_printf(b, "%s%s", i > from ? "," : "", ref->v[i].name);
}

static void expect_window(struct journal *j, const struct contact_query *q,
                          const struct contact_list *ref, size_t from, size_t to)
{
    struct sbuf got = {0}, want = {0};
    window_names(j, q, &got);
    slice_names(ref, from, to, &want);
    if (strcmp(got.s, want.s))
        fail_msg("rows %zu..%zu: got '%s', want '%s'", from, to, got.s, want.s);
    sbuf_free(&got);
    sbuf_free(&want);
}

/* Each match's row number is its place in the list; others are not found. */
static void expect_positions(struct journal *j, const struct contact_query *q)
{
    struct contact_list ref, all;
    struct kerr e;
    struct contact_query everyone = {0};
    everyone.include_archived = 1;
    assert_int_equal(contact_list(j, q, &ref, &e), K_OK);
    assert_int_equal(contact_list(j, &everyone, &all, &e), K_OK);
    for (size_t i = 0; i < all.n; i++) {
        size_t pos = 99, at = 0;
        while (at < ref.n && strcmp(ref.v[at].id, all.v[i].id))
            at++;
        int rc = contact_position(j, q, all.v[i].id, &pos, &e);
        if (at < ref.n && (rc != K_OK || pos != at))
            fail_msg("%s: position %zu (rc %d), want %zu", all.v[i].name, pos, rc, at);
        if (at == ref.n && rc != K_NOTFOUND)
            fail_msg("%s: found at %zu, not a match", all.v[i].name, pos);
    }
    size_t pos;
    assert_int_equal(contact_position(j, q, "00000000000000000000000000000000", &pos, &e),
                     K_NOTFOUND);
    contact_list_clear(&ref);
    contact_list_clear(&all);
}

/* Pages of `page` rows through base's matches by key, forwards from the
 * first page and backwards from the last, must be the offset windows. */
static void check_keyset(struct journal *j, const struct contact_query *base, size_t page)
{
    struct contact_list ref;
    struct kerr e;
    struct contact_query q = *base;
    assert_int_equal(contact_list(j, &q, &ref, &e), K_OK);
    assert_true(ref.n > page);
    struct contact_key k;

    q.limit = page;
    expect_window(j, &q, &ref, 0, page);
    for (size_t top = page; top <= ref.n; top += page) {
        k.name_key = ref.v[top - 1].name_key;
        k.id = ref.v[top - 1].id;
        q.after = &k;
        expect_window(j, &q, &ref, top, top + page);
    }
    /* Nothing after the last row. */
    k.name_key = ref.v[ref.n - 1].name_key;
    k.id = ref.v[ref.n - 1].id;
    expect_window(j, &q, &ref, ref.n, ref.n);
    /* From a row on, and from a row on after skipping some. */
    for (size_t i = 0; i < ref.n; i++) {
        k.name_key = ref.v[i].name_key;
        k.id = ref.v[i].id;
        q.after = &k;
        q.key_inclusive = 1;
        q.offset = 0;
        expect_window(j, &q, &ref, i, i + page);
        q.offset = 2;
        expect_window(j, &q, &ref, i + 2, i + 2 + page);
    }
    q.after = NULL;
    q.offset = 0;

    /* Backwards: the last page up to the last row, then the ones before. */
    k.name_key = ref.v[ref.n - 1].name_key;
    k.id = ref.v[ref.n - 1].id;
    q.before = &k;
    q.key_inclusive = 1;
    expect_window(j, &q, &ref, ref.n - page, ref.n);
    q.key_inclusive = 0;
    for (size_t end = ref.n - 1; end > 0; end = end > page ? end - page : 0) {
        k.name_key = ref.v[end].name_key;
        k.id = ref.v[end].id;
        expect_window(j, &q, &ref, end > page ? end - page : 0, end);
    }
    /* Nothing before the first row. */
    k.name_key = ref.v[0].name_key;
    k.id = ref.v[0].id;
    expect_window(j, &q, &ref, 0, 0);
    contact_list_clear(&ref);
    expect_positions(j, base);
}

static int add_json_doc(const char *json, void *ud)
{
    sbuf_add(ud, json);
    return 0;
}

static void test_list_keyset(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    for (int i = 1; i <= 13; i++) {
        char name[32];
        struct contact_patch p;
        contact_patch_init(&p);
        snprintf(name, sizeof name, "Person %02d", i);
        p.name = name;
        if (i % 3 == 0)
            kstrlist_add(&p.add_tags, "mentor");
        p.archived = i % 4 == 0;
        p.note = i % 2 ? "likes sailing" : NULL;
        assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
        contact_patch_clear(&p);
    }
    /* Ties: the same name in three spellings that fold alike; id breaks
     * them, so a page may end between two of them. */
    static const char *const same[] = {"Same Name", "same name", "SAME NAME", "Sâme Name"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        struct contact_patch p;
        contact_patch_init(&p);
        p.name = same[i];
        kstrlist_add(&p.add_tags, "mentor");
        p.note = "sailing too";
        assert_int_equal(contact_add(t->j, &p, id, &e), K_OK);
        contact_patch_clear(&p);
    }
    const char *ia[] = {id};
    tlogi(t->j, ia, 1, "coffee", KDIR_GAVE, "2026-11-01", "talked about sailboats", NULL);

    struct contact_query q = {0};
    for (size_t page = 1; page <= 4; page++) {
        memset(&q, 0, sizeof q);
        check_keyset(t->j, &q, page);
        q.include_archived = 1;
        check_keyset(t->j, &q, page);
        q.tag = "mentor";
        check_keyset(t->j, &q, page);
        q.include_archived = 0;
        check_keyset(t->j, &q, page);
        q.tag = NULL;
        q.search = "sail";
        check_keyset(t->j, &q, page);
        q.text_limit = 1;
        check_keyset(t->j, &q, page);
    }

    /* Row numbers in the orders without keys. */
    tlogi(t->j, ia, 1, "coffee", KDIR_ASKED, "2026-10-01", NULL, NULL);
    for (int so = 0; so < CONTACT_SORT_COUNT; so++) {
        memset(&q, 0, sizeof q);
        q.sort = (enum contact_sort)so;
        expect_positions(t->j, &q);
        q.tag = "mentor";
        expect_positions(t->j, &q);
        q.tag = NULL;
        q.search = "sail";
        q.include_archived = 1;
        expect_positions(t->j, &q);
        q.search = "nobody";
        expect_positions(t->j, &q);
    }

    /* The JSON rows take the same window. */
    memset(&q, 0, sizeof q);
    struct contact_list ref;
    assert_int_equal(contact_list(t->j, &q, &ref, &e), K_OK);
    struct contact_key k = {ref.v[2].name_key, ref.v[2].id};
    q.after = &k;
    q.limit = 1;
    struct sbuf js = {0};
    assert_int_equal(contact_each_json(t->j, &q, add_json_doc, &js, &e), K_OK);
    assert_string_equal(tjson_text(js.s, "$.name"), ref.v[3].name);
    sbuf_free(&js);

    /* Keys in a derived order only without a tag or search (those read a
     * kept order by row number), one at a time, whole. */
    q.sort = CONTACT_SORT_RECENT;
    q.tag = "mentor";
    struct contact_list l;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_USAGE);
    assert_int_equal(l.n, 0);
    q.tag = NULL;
    q.search = "sailing";
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_USAGE);
    q.search = NULL;
    q.sort = CONTACT_SORT_NAME;
    q.before = &k;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_USAGE);
    q.before = NULL;
    k.name_key = NULL;
    assert_int_equal(contact_list(t->j, &q, &l, &e), K_USAGE);
    /* Counts ignore the key. */
    k.name_key = ref.v[2].name_key;
    size_t n = 0, all = 0;
    assert_int_equal(contact_count(t->j, &q, &n, &e), K_OK);
    q.after = NULL;
    assert_int_equal(contact_count(t->j, &q, &all, &e), K_OK);
    assert_int_equal(n, all);
    contact_list_clear(&ref);
}

/* Search as you type: while a word is shorter than text_min characters,
 * only names and companies match; from there on, everything. Without
 * text_min (the CLI), everything always. */
/* Every window of q (limit 1 to 4 rows, at every offset) is the same rows
 * of the list without a window, with the same stats, counts and row
 * numbers. */
static enum contact_sort oracle_sort;

/* q's derived order, as the list's documentation has it, in C. */
static int oracle_cmp(const void *x, const void *y)
{
    const struct contact *a = x, *b = y;
    if (oracle_sort == CONTACT_SORT_GOODWILL && a->goodwill != b->goodwill)
        return a->goodwill > b->goodwill ? -1 : 1;
    if (oracle_sort != CONTACT_SORT_GOODWILL && a->last_interaction != b->last_interaction) {
        /* Never talked to: last in recent order, first in silent order. */
        int never_a = a->last_interaction == KDATE_NONE,
            never_b = b->last_interaction == KDATE_NONE;
        int c = never_a ? 1 : never_b ? -1 : a->last_interaction > b->last_interaction ? -1 : 1;
        return oracle_sort == CONTACT_SORT_RECENT ? c : -c;
    }
    int c = strcmp(a->name_key, b->name_key);
    return c ? c : strcmp(a->id, b->id);
}

/* The rows of q's derived order are the matches in name order sorted by
 * the order's key in C. */
static void expect_oracle_order(struct journal *j, const struct contact_query *q,
                                const struct contact_list *ref)
{
    struct contact_query byname = *q;
    struct contact_list l;
    struct kerr e;
    byname.sort = CONTACT_SORT_NAME;
    byname.limit = byname.offset = 0;
    assert_int_equal(contact_list(j, &byname, &l, &e), K_OK);
    assert_int_equal(l.n, ref->n);
    oracle_sort = q->sort;
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, oracle_cmp);
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].id, ref->v[i].id))
            fail_msg("order %d row %zu: got %s, want %s", (int)q->sort, i, ref->v[i].name,
                     l.v[i].name);
    contact_list_clear(&l);
}

static void check_derived_windows(struct journal *j, const struct contact_query *base)
{
    struct contact_list ref, l;
    struct kerr e;
    struct contact_query q = *base;
    q.limit = q.offset = 0;
    assert_int_equal(contact_list(j, &q, &ref, &e), K_OK);
    expect_oracle_order(j, &q, &ref);
    /* Without a tag or search, windows also start from keys. */
    if (!q.tag && !q.search && ref.n > 3)
        for (size_t page = 1; page <= 3; page++)
            check_keyset(j, &q, page);
    for (size_t page = 1; page <= 4; page++) {
        q.limit = page;
        for (size_t top = 0; top <= ref.n; top++) {
            q.offset = top;
            expect_window(j, &q, &ref, top, top + page);
            assert_int_equal(contact_list(j, &q, &l, &e), K_OK);
            assert_int_equal(l.total, ref.n);
            for (size_t i = 0; i < l.n; i++) {
                const struct contact *a = &l.v[i], *b = &ref.v[top + i];
                assert_string_equal(a->id, b->id);
                assert_int_equal(a->goodwill, b->goodwill);
                assert_int_equal(a->last_interaction, b->last_interaction);
                assert_int_equal(a->gave, b->gave);
                assert_int_equal(a->asked, b->asked);
                assert_int_equal(a->mutual, b->mutual);
                assert_int_equal(a->tags.n, b->tags.n);
            }
            contact_list_clear(&l);
        }
    }
    size_t n = 0;
    assert_int_equal(contact_count(j, &q, &n, &e), K_OK);
    assert_int_equal(n, ref.n);
    contact_list_clear(&ref);
    q.limit = q.offset = 0;
    expect_positions(j, &q);
}

/* The name of row 0 of q's order, read through a window. */
static void expect_first(struct journal *j, const struct contact_query *base, const char *want)
{
    struct contact_query q = *base;
    struct sbuf got = {0};
    q.limit = 1;
    q.offset = 0;
    window_names(j, &q, &got);
    if (strcmp(got.s, want))
        fail_msg("first in order %d: got '%s', want '%s'", (int)q.sort, got.s, want);
    sbuf_free(&got);
}

static void test_list_derived_orders(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    /* Names that fold alike (ties broken by id), contacts without any
     * interaction (NULL last interaction, goodwill 0), shared dates and
     * balances, archived contacts, a tag, and words to search in notes
     * and in interaction summaries. */
    static const char *const names[] = {"Bo",  "bo",  "BÖ",   "Ana", "Ben", "Cy",
                                        "Dee", "Eve", "Finn", "Gus", "Hal", "Ida",
                                        "Jo",  "Kai", "Lea",  "Max", "Ned", "Ola"};
    enum { N = sizeof names / sizeof names[0] };
    char ids[N][KID_LEN + 1];
    for (int i = 0; i < N; i++) {
        struct contact_patch p;
        contact_patch_init(&p);
        p.name = names[i];
        p.archived = i % 5 == 4;
        if (i % 3 == 0)
            kstrlist_add(&p.add_tags, "mentor");
        p.note = i % 4 == 1 ? "sailing club" : NULL;
        assert_int_equal(contact_add(t->j, &p, ids[i], &e), K_OK);
        contact_patch_clear(&p);
    }
    static const char *const dates[] = {"2026-11-01", "2026-10-01", "2026-11-01", "2026-09-15"};
    static const char *const kinds[] = {"coffee", "intro", "advice"};
    for (int i = 0; i < N; i++) {
        if (i % 6 == 5)
            continue; /* never met */
        const char *who[] = {ids[i]};
        for (int k = 0; k <= i % 3; k++)
            tlogi(t->j, who, 1, kinds[(i + k) % 3], (enum kdir)((i + k) % 3), dates[(i + k) % 4],
                  i % 7 == 2 ? "sailing regatta" : "catch up", NULL);
    }
    static const enum contact_sort sorts[] = {CONTACT_SORT_RECENT, CONTACT_SORT_SILENT,
                                              CONTACT_SORT_GOODWILL};
    for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
        struct contact_query q = {0};
        q.sort = sorts[s];
        check_derived_windows(t->j, &q);
        q.include_archived = 1;
        check_derived_windows(t->j, &q);
        q.include_archived = 0;
        q.tag = "mentor";
        check_derived_windows(t->j, &q);
        q.tag = NULL;
        q.search = "sail";
        check_derived_windows(t->j, &q);
        /* As the TUI searches: bounded, names only under three letters. */
        q.text_limit = 1000;
        q.text_min = 3;
        check_derived_windows(t->j, &q);
        q.search = "bo";
        check_derived_windows(t->j, &q);
        q.search = "zzz";
        check_derived_windows(t->j, &q);
    }

    /* Writes here move a contact within a kept order: Cy (never met)
     * logs the latest interaction of all. */
    struct contact_query recent = {0}, silent = {0}, good = {0};
    recent.sort = CONTACT_SORT_RECENT;
    silent.sort = CONTACT_SORT_SILENT;
    good.sort = CONTACT_SORT_GOODWILL;
    assert_string_equal(names[5], "Cy");
    assert_string_equal(names[11], "Ida");
    assert_string_equal(names[17], "Ola");
    expect_first(t->j, &silent, "Cy");
    struct contact_list ref;
    assert_int_equal(contact_list(t->j, &recent, &ref, &e), K_OK);
    assert_string_equal(ref.v[ref.n - 1].name, "Ola");
    expect_first(t->j, &recent, ref.v[0].name);
    contact_list_clear(&ref);
    const char *cy[] = {ids[5]};
    tlogi(t->j, cy, 1, "intro", KDIR_GAVE, "2026-11-20", NULL, NULL);
    expect_first(t->j, &recent, "Cy");
    size_t pos = 99;
    assert_int_equal(contact_position(t->j, &recent, ids[5], &pos, &e), K_OK);
    assert_int_equal(pos, 0);
    expect_first(t->j, &silent, "Ida");
    check_derived_windows(t->j, &recent);

    /* And writes by another connection (another kith process). */
    struct journal *other = NULL;
    assert_int_equal(journal_open(t->path, t->cfg, 0, &other, &e), K_OK);
    const char *ida[] = {ids[11]};
    tlogi(other, ida, 1, "intro", KDIR_GAVE, "2026-11-21", NULL, NULL);
    tlogi(other, ida, 1, "referral", KDIR_GAVE, "2026-11-21", NULL, NULL);
    journal_close(&other);
    expect_first(t->j, &recent, "Ida");
    assert_int_equal(contact_position(t->j, &recent, ids[5], &pos, &e), K_OK);
    assert_int_equal(pos, 1);
    expect_first(t->j, &silent, "Ola");
    check_derived_windows(t->j, &silent);
    check_derived_windows(t->j, &recent);

    /* New goodwill weights reorder the goodwill order: Ida gave most. */
    expect_first(t->j, &good, "Ida");
    struct db_weight w[] = {{"*", -1, 5, 0}};
    assert_int_equal(db_set_weights(journal_db(t->j), w, 1, &e), K_OK);
    check_derived_windows(t->j, &good);
    assert_int_equal(contact_list(t->j, &good, &ref, &e), K_OK);
    assert_string_not_equal(ref.v[0].name, "Ida");
    expect_first(t->j, &good, ref.v[0].name);
    contact_list_clear(&ref);

    /* A deleted contact leaves the order. */
    assert_int_equal(contact_delete(t->j, ids[11], &e), K_OK);
    assert_int_equal(contact_position(t->j, &recent, ids[11], &pos, &e), K_NOTFOUND);
    expect_first(t->j, &recent, "Cy");
    check_derived_windows(t->j, &recent);

    /* Inside a transaction the windows are read without the kept order,
     * whose rows a rollback would take back. */
    struct db *db = journal_db(t->j);
    assert_int_equal(db_begin(db, &e), K_OK);
    check_derived_windows(t->j, &recent);
    check_derived_windows(t->j, &good);
    db_rollback(db);
    check_derived_windows(t->j, &recent);
}

static void test_search_short_words(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char id[KID_LEN + 1], eve[KID_LEN + 1];
    static const struct {
        const char *name, *company, *note;
        int archived;
    } people[] = {
        {"Carla Diaz", NULL, NULL, 0},
        {"Ben Okafor", "Cyberdyne", NULL, 0},
        {"Dana Smith", NULL, "cares about climate", 0},
        {"Eve Adams", NULL, NULL, 0},
        {"Olga Ng", NULL, NULL, 0},
        {"Élodie Roux", NULL, NULL, 0},
        {"Cal Old", NULL, NULL, 1},
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        struct contact_patch p;
        contact_patch_init(&p);
        p.name = people[i].name;
        p.company = people[i].company;
        p.note = people[i].note;
        p.archived = people[i].archived;
        assert_int_equal(contact_add(t->j, &p, i == 3 ? eve : id, &e), K_OK);
    }
    const char *ie[] = {eve};
    tlogi(t->j, ie, 1, "advice", KDIR_ASKED, "2026-11-01", "career advice over coffee", NULL);

    struct contact_query q = {0};
    q.text_limit = 2000;
    q.text_min = 3;
    struct {
        const char *search, *want;
        int names_only;
    } cases[] = {
        {"c", "Ben Okafor,Carla Diaz", 1},
        {"C", "Ben Okafor,Carla Diaz", 1},
        {"ca", "Carla Diaz", 1},
        {"car", "Carla Diaz,Dana Smith,Eve Adams", 0},
        {"cares", "Dana Smith", 0},
        {"co", "", 1},
        {"cof", "Eve Adams", 0},
        {"ng", "Olga Ng", 1},
        {"carla d", "Carla Diaz", 1},
        {"dana c", "", 1},
        {"dana cli", "Dana Smith", 0},
        {"é", "Élodie Roux,Eve Adams", 1},
        {"él", "Élodie Roux", 1},
        {"élo", "Élodie Roux", 0},
        {"   ", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q.search = cases[i].search;
        names_in(t->j, &q, cases[i].want);
        if (contact_search_names_only(&q) != cases[i].names_only)
            fail_msg("'%s': names only %d, want %d", q.search, !cases[i].names_only,
                     cases[i].names_only);
    }
    q.search = "c";
    q.include_archived = 1;
    names_in(t->j, &q, "Ben Okafor,Cal Old,Carla Diaz");
    check_keyset(t->j, &q, 1);
    size_t pos = 0;
    assert_int_equal(contact_position(t->j, &q, eve, &pos, &e), K_NOTFOUND);
    q.search = "car";
    assert_int_equal(contact_position(t->j, &q, eve, &pos, &e), K_OK);
    assert_int_equal(pos, 2);

    /* Without text_min every word looks at everything, however short. */
    memset(&q, 0, sizeof q);
    q.search = "c";
    assert_int_equal(contact_search_names_only(&q), 0);
    names_in(t->j, &q, "Ben Okafor,Carla Diaz,Dana Smith,Eve Adams");
    q.search = "dana c";
    names_in(t->j, &q, "Dana Smith");
    q.search = NULL;
    q.text_min = 3;
    assert_int_equal(contact_search_names_only(&q), 0);
}

/* q's windows in name order against its whole list (read without a
 * window, another query): the first screenful, one from an offset, one
 * after and one before a key in the middle, and the last. */
static void check_name_windows(struct journal *j, const struct contact_query *base, size_t want_n)
{
    struct contact_list ref;
    struct kerr e;
    struct contact_query q = *base;
    assert_int_equal(contact_list(j, &q, &ref, &e), K_OK);
    if (ref.n != want_n)
        fail_msg("'%s': %zu matches, want %zu", q.search, ref.n, want_n);
    size_t page = 7, mid = ref.n / 2;
    q.limit = page;
    expect_window(j, &q, &ref, 0, page);
    q.offset = 3;
    expect_window(j, &q, &ref, 3, 3 + page);
    q.offset = 0;
    if (ref.n) {
        struct contact_key k = {ref.v[mid].name_key, ref.v[mid].id};
        q.after = &k;
        expect_window(j, &q, &ref, mid + 1, mid + 1 + page);
        q.key_inclusive = 1;
        expect_window(j, &q, &ref, mid, mid + page);
        q.after = NULL;
        q.key_inclusive = 0;
        q.before = &k;
        expect_window(j, &q, &ref, mid > page ? mid - page : 0, mid);
        q.before = NULL;
    }
    q.offset = ref.n > page ? ref.n - page : 0;
    expect_window(j, &q, &ref, q.offset, ref.n);
    contact_list_clear(&ref);
}

/* A search's window in name order reads and sorts the matches when the hit
 * lists are short and walks the name index when they are long: the same
 * rows either way, for none, one, a few, up to the bound and one more, by
 * names and by interactions, with archived contacts and a tag. */
static void test_search_window_bound(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    enum { B = DBCONTACT_HITS_SORTED, N = DBCONTACT_HITS_SORTED + 9 };
    static char ids[N][KID_LEN + 1];
    assert_int_equal(journal_begin(t->j, &e), K_OK);
    for (int i = 0; i < N; i++) {
        char name[64];
        /* Names out of insertion order, with ties on the folded name. */
        snprintf(name, sizeof name, "%s %03d", i % 3 ? "Wren" : "wrén", (i * 37) % (N - 4));
        struct contact_patch p = tpatch(name);
        /* Companies: "Edge" for B of them, "Over" for B + 1, "Solo" one,
         * "Few" five, "Harbour" for all but 10 of the first B (those 10
         * have it in an interaction instead). */
        p.company = i < 5        ? "Few Edge Over Harbour"
                    : i == 5     ? "Solo Edge Over Harbour"
                    : i < B - 10 ? "Edge Over Harbour"
                    : i < B      ? "Edge Over"
                    : i == B     ? "Over"
                                 : NULL;
        if (i % 11 == 4)
            kstrlist_add(&p.add_tags, "pilot");
        p.archived = i == 2 || i == 300;
        tadd_patch(t->j, &p, ids[i]);
    }
    for (int i = B - 10; i < B; i++) {
        const char *who[] = {ids[i]};
        tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-10-01", "harbour walk", NULL);
    }
    assert_int_equal(journal_commit(t->j, &e), K_OK);

    struct contact_query q = {0};
    static const struct {
        const char *search;
        size_t live, all;
    } cases[] = {
        /* clang-format off */
        {"nothing", 0, 0},
        {"solo", 1, 1},
        {"few", 4, 5},
        {"edge", B - 2, B},         /* B hits: read and sorted */
        {"over", B - 1, B + 1},     /* B + 1: the walk */
        {"harbour", B - 2, B},      /* B - 10 names and 10 interactions */
        {"wren", N - 2, N},         /* every contact */
        {"wr", N - 2, N},           /* names only, as the TUI reads two letters */
        {"w", N - 2, N},            /* one letter: always the walk */
        {"solo edge", 1, 1},
        /* clang-format on */
    };
    for (int tui = 0; tui < 2; tui++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            for (int arch = 0; arch < 2; arch++) {
                memset(&q, 0, sizeof q);
                q.search = cases[i].search;
                q.include_archived = arch;
                if (tui) {
                    q.text_limit = 1000;
                    q.text_min = 3;
                }
                check_name_windows(t->j, &q, arch ? cases[i].all : cases[i].live);
                q.tag = "pilot";
                struct contact_list l;
                assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
                check_name_windows(t->j, &q, l.n);
                contact_list_clear(&l);
            }
    /* One more link of "harbour" passes the bound: the walk, same rows. */
    const char *who[] = {ids[B]};
    tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-10-02", "harbour again", NULL);
    memset(&q, 0, sizeof q);
    q.search = "harbour";
    check_name_windows(t->j, &q, B - 1);
}

/* The names of the first screenful (7 rows) of q, up to the first that
 * is not an Aaron, equal want. */
static void names_in_window(struct journal *j, const struct contact_query *base, const char *want)
{
    struct contact_query q = *base;
    struct contact_list l;
    struct kerr e;
    struct sbuf got = {0};
    q.limit = 7;
    assert_int_equal(contact_list(j, &q, &l, &e), K_OK);
    sbuf_add(&got, "");
    for (size_t i = 0; i < l.n && !strncmp(l.v[i].name, "Aaron", 5); i++)
        sbuf_printf(&got, "%s%s", i ? "," : "", l.v[i].name);
    if (strcmp(got.s, want))
        fail_msg("first window's Aarons: got '%s', want '%s'", got.s, want);
    sbuf_free(&got);
    contact_list_clear(&l);
}

/* The way dbcontact_search_way reports for the first screenful of q. */
static int first_window_way(struct journal *j, const struct contact_query *base)
{
    struct contact_query q = *base;
    struct contact_list l;
    struct kerr e;
    q.limit = 7;
    assert_int_equal(contact_list(j, &q, &l, &e), K_OK);
    contact_list_clear(&l);
    return dbcontact_search_way(journal_db(j));
}

/* With text_limit, a search's window walks the name index testing each
 * contact that does not match by its own text against the interaction
 * hits by its own links, while it expects few such tests, and reads the
 * hits' contacts when it expects more or meets more: the same rows as the
 * whole list either way. "pine" is in the names of P contacts (more than
 * the bound: the walk); the Q contacts named Aaron come first in name
 * order and match only through interactions; which of those count
 * depends on text_limit (the most recent ones). */
static void test_search_window_ways(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    enum { P = DBCONTACT_HITS_SORTED + 88, Q = 40, HITS = 80 };
    static char pine[P][KID_LEN + 1], aaron[Q][KID_LEN + 1];
    char name[64];
    assert_int_equal(journal_begin(t->j, &e), K_OK);
    for (int i = 0; i < P; i++) {
        snprintf(name, sizeof name, "%s %03d", i % 3 ? "Pine" : "piné", (i * 7) % (P - 4));
        struct contact_patch p = tpatch(name);
        if (i % 9 == 1)
            kstrlist_add(&p.add_tags, "pilot");
        p.archived = i == 3;
        tadd_patch(t->j, &p, pine[i]);
    }
    for (int i = 0; i < Q; i++) {
        snprintf(name, sizeof name, "Aaron %03d", i);
        struct contact_patch p = tpatch(name);
        if (i % 4 == 1)
            kstrlist_add(&p.add_tags, "pilot");
        p.archived = i == 9;
        tadd_patch(t->j, &p, aaron[i]);
    }
    /* Oldest first: two Aarons, then HITS interactions of Pine contacts,
     * then three Aarons (one archived, one tagged), the most recent. */
    const char *who[1];
    for (int i = 20; i < 22; i++) {
        who[0] = aaron[i];
        tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-09-01", "pine walk", NULL);
    }
    for (int i = 0; i < HITS; i++) {
        who[0] = pine[i];
        tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-09-02", "pinecone talk", NULL);
    }
    for (int i = 5; i < 15; i += 4) {
        who[0] = aaron[i];
        tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-09-03", "pine walk", NULL);
    }
    assert_int_equal(journal_commit(t->j, &e), K_OK);

    struct contact_query q = {0};
    q.search = "pine";
    q.text_min = 3;
    /* The first screenful walks the 39 live Aarons (two of them matches
     * while text_limit counts them), then Pine contacts: 39 tests by
     * links, allowed from 2 * 39 hits on. */
    int seen[DBCONTACT_WAY_PROBED_READ + 1] = {0}, last = DBCONTACT_WAY_NONE;
    for (size_t tl = 1; tl <= HITS + 6; tl++) {
        q.text_limit = tl;
        q.tag = NULL;
        q.include_archived = 0;
        int way = first_window_way(t->j, &q);
        seen[way]++;
        /* Read at once, then tests until they run out, then tests only. */
        static const int rank[] = {[DBCONTACT_WAY_WALKED] = 1,
                                   [DBCONTACT_WAY_PROBED_READ] = 2,
                                   [DBCONTACT_WAY_PROBED] = 3};
        if (!rank[way] || rank[way] < rank[last])
            fail_msg("text_limit %zu: way %d after %d", tl, way, last);
        last = way;
        if (tl == 1 || tl == 2 * 39 - 1)
            assert_int_equal(way, tl == 1 ? DBCONTACT_WAY_WALKED : DBCONTACT_WAY_PROBED_READ);
        if (tl == 2 * 39)
            assert_int_equal(way, DBCONTACT_WAY_PROBED);
        struct contact_list l;
        for (int arch = 0; arch < 2; arch++) {
            q.include_archived = arch;
            q.tag = NULL;
            /* The Aarons among the last tl hits: 13, 9 (archived), 5,
             * then 80 Pine contacts', then 21 and 20. */
            size_t n =
                P - !arch + 1 + (tl >= 2 && arch) + (tl >= 3) + (tl >= HITS + 4) + (tl >= HITS + 5);
            check_name_windows(t->j, &q, n);
            q.tag = "pilot";
            assert_int_equal(contact_list(t->j, &q, &l, &e), K_OK);
            check_name_windows(t->j, &q, l.n);
            contact_list_clear(&l);
        }
    }
    assert_true(seen[DBCONTACT_WAY_WALKED] > 1);
    assert_true(seen[DBCONTACT_WAY_PROBED_READ] > 1);
    assert_true(seen[DBCONTACT_WAY_PROBED] > 1);

    /* A write between two windows: the next one has it. */
    q.text_limit = 2 * 39;
    q.tag = NULL;
    q.include_archived = 0;
    who[0] = aaron[30];
    tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-09-04", "pine again", NULL);
    assert_int_equal(first_window_way(t->j, &q), DBCONTACT_WAY_PROBED);
    check_name_windows(t->j, &q, P - 1 + 3);
    names_in_window(t->j, &q, "Aaron 005,Aaron 013,Aaron 030");
    /* And inside a transaction of the caller's, its own write. */
    assert_int_equal(journal_begin(t->j, &e), K_OK);
    who[0] = aaron[0];
    tlogi(t->j, who, 1, "call", KDIR_GAVE, "2026-09-05", "pine once more", NULL);
    names_in_window(t->j, &q, "Aaron 000,Aaron 005,Aaron 013,Aaron 030");
    assert_int_equal(journal_commit(t->j, &e), K_OK);

    /* Without text_limit (the CLI): every matching interaction counts;
     * with a contact key the links' index cannot hold, through the
     * interactions' own index. */
    memset(&q, 0, sizeof q);
    q.search = "pine";
    check_name_windows(t->j, &q, P - 1 + 6);
    traw_exec(t->path,
              "INSERT INTO contact(key, id, name, name_fold) VALUES (3000000000,"
              " 'ffffffffffffffffffffffffffffff01', 'Aaron Far', 'aaron far');"
              "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
              " SELECT id, 3000000000, date, kind, direction FROM interaction"
              " WHERE summary = 'pine again'");
    check_name_windows(t->j, &q, P - 1 + 7);
    names_in_window(t->j, &q,
                    "Aaron 000,Aaron 005,Aaron 013,Aaron 020,Aaron 021,Aaron 030,Aaron Far");
}

static void test_search(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char elo[KID_LEN + 1], ben[KID_LEN + 1], and[KID_LEN + 1], arch[KID_LEN + 1];
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = "Élodie Dupont";
    p.company = "Globex";
    p.note = "Loves sailing in Brittany";
    kstrlist_add(&p.add_tags, "mentor");
    assert_int_equal(contact_add(t->j, &p, elo, &e), K_OK);
    p.name = "Ben Okafor";
    p.company = "Acme";
    p.note = NULL;
    assert_int_equal(contact_add(t->j, &p, ben, &e), K_OK);
    contact_patch_clear(&p);
    tadd(t->j, "Hans Andersen", and);
    contact_patch_init(&p);
    p.name = "Old Sailor";
    p.archived = 1;
    assert_int_equal(contact_add(t->j, &p, arch, &e), K_OK);
    const char *ib[] = {ben};
    tlogi(t->j, ib, 1, "resume-review", KDIR_ASKED, "2026-11-01",
          "résumé review for the Zürich role", NULL);

    struct contact_query q = {0};
    struct {
        const char *query, *want;
    } cases[] = {
        {"elodie", "Élodie Dupont"},
        {"ÉLODIE", "Élodie Dupont"},
        {"élo", "Élodie Dupont"},
        {"dupont", "Élodie Dupont"},
        {"glob", "Élodie Dupont"},
        {"sailing", "Élodie Dupont"},
        {"britt", "Élodie Dupont"},
        {"elodie sail", "Élodie Dupont"},
        {"  elodie   sail  ", "Élodie Dupont"},
        {"elodie acme", ""},
        {"acme", "Ben Okafor"},
        {"zurich", "Ben Okafor"},
        {"ZÜRICH", "Ben Okafor"},
        {"resume", "Ben Okafor"},
        {"okafor zurich", ""}, /* words must all match the same row */
        {"nothing", ""},
        {"sailor", ""}, /* archived */
        /* FTS5 syntax is taken literally and never an error. */
        {"AND", "Hans Andersen"},
        {"and", "Hans Andersen"},
        {"OR", ""},
        {"NOT", ""},
        {"NEAR", ""},
        {"\"", ""},
        {"\"\"", ""},
        {"*", ""},
        {"ben*", "Ben Okafor"},
        {"\"ben", "Ben Okafor"},
        {"ben OR", ""},
        {"-ben", "Ben Okafor"},
        {"^ben", "Ben Okafor"},
        {"name:ben", ""},
        {"(", ""},
        {")", ""},
        {"NEAR(ben", ""}, /* the phrase "near ben" */
        {"'", ""},
        {"+", ""},
        {":", ""},
        {"{name}", ""},
        {"ben AND elodie", ""},
        {"%", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct contact_list l;
        q.search = cases[i].query;
        if (contact_list(t->j, &q, &l, &e) != K_OK)
            fail_msg("search '%s': %s", cases[i].query, e.msg);
        contact_list_clear(&l);
        names_in(t->j, &q, cases[i].want);
        size_t n = 99;
        if (contact_count(t->j, &q, &n, &e) != K_OK)
            fail_msg("count '%s': %s", cases[i].query, e.msg);
    }
    /* With archived ones, and with a tag. */
    q.include_archived = 1;
    q.search = "sail";
    size_t n = 0;
    assert_int_equal(contact_count(t->j, &q, &n, &e), K_OK);
    assert_int_equal(n, 2);
    q.search = "old sail";
    names_in(t->j, &q, "Old Sailor");
    q.search = "sail";
    q.tag = "mentor";
    names_in(t->j, &q, "Élodie Dupont");
    /* Blank searches match nothing rather than everything. */
    q.tag = NULL;
    q.search = "   ";
    names_in(t->j, &q, "");
    q.search = "";
    names_in(t->j, &q, "");

    /* The index follows edits and renames. */
    contact_patch_init(&p);
    p.note = "";
    p.company = "Initech";
    assert_int_equal(contact_edit(t->j, elo, &p, &e), K_OK);
    memset(&q, 0, sizeof q);
    q.search = "sailing";
    names_in(t->j, &q, "");
    q.search = "initech";
    names_in(t->j, &q, "Élodie Dupont");
}

static int stop_first(const char *json, void *ud)
{
    int *calls = ud;
    assert_true(tjson_valid(json));
    ++*calls;
    return 1;
}

static void test_json(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char ana[KID_LEN + 1], ben[KID_LEN + 1];
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = "Ana \"Quote\" Ruiz\x1B[31m";
    p.company = "Acme";
    p.title = "VP";
    p.location = "Madrid";
    p.how_met = "conference";
    p.met_on = "2024-03-01";
    p.birthday = "04-12";
    p.note = "line1\nline2";
    p.working_on = "a book";
    kstrlist_add(&p.add_emails, "ana@acme.example");
    kstrlist_add(&p.add_emails, "ana@home.example");
    kstrlist_add(&p.add_phones, "555-0100");
    kstrlist_add(&p.add_links, "https://example.org/ana");
    kstrlist_add(&p.add_tags, "mentor");
    kstrlist_add(&p.add_tags, "alumni");
    assert_int_equal(contact_add(t->j, &p, ana, &e), K_OK);
    contact_patch_clear(&p);
    tadd(t->j, "Ben", ben);
    const char *ia[] = {ana};
    tlogi(t->j, ia, 1, "intro", KDIR_GAVE, "2026-11-01", NULL, NULL);
    tlogi(t->j, ia, 1, "coffee", KDIR_ASKED, "2026-11-05", NULL, NULL);

    /* The list objects: one per contact, arrays as arrays. */
    struct contact_query q = {0};
    struct sbuf b = {0};
    assert_int_equal(contact_each_json(t->j, &q, tjson_lines, &b, &e), K_OK);
    char *second = strchr(b.s, '\n');
    assert_non_null(second);
    *second++ = '\0';
    const char *j = b.s;
    assert_true(tjson_valid(j));
    assert_string_equal(tjson_type(j, "$"), "object");
    tjson_texts(j, "$.id", ana, "$.name", "Ana \"Quote\" Ruiz\x1B[31m", "$.company", "Acme",
                "$.title", "VP", NULL);
    assert_string_equal(tjson_type(j, "$.tags"), "array");
    assert_int_equal(tjson_len(j, "$.tags"), 2);
    assert_string_equal(tjson_text(j, "$.tags[0]"), "alumni");
    assert_string_equal(tjson_type(j, "$.emails"), "array");
    assert_int_equal(tjson_len(j, "$.emails"), 2);
    assert_string_equal(tjson_text(j, "$.emails[0]"), "ana@acme.example");
    assert_string_equal(tjson_type(j, "$.phones"), "array");
    assert_string_equal(tjson_text(j, "$.phones[0]"), "555-0100");
    assert_string_equal(tjson_type(j, "$.goodwill"), "integer");
    assert_int_equal(tjson_int(j, "$.goodwill"), 2);
    assert_string_equal(tjson_text(j, "$.last_interaction"), "2026-11-05");
    /* A contact without details: empty arrays, nulls. */
    j = second;
    assert_string_equal(tjson_text(j, "$.name"), "Ben");
    assert_string_equal(tjson_type(j, "$.tags"), "array");
    assert_int_equal(tjson_len(j, "$.tags"), 0);
    assert_string_equal(tjson_type(j, "$.emails"), "array");
    assert_int_equal(tjson_len(j, "$.emails"), 0);
    tjson_types(j, "$.phones", "array", "$.company", "null", "$.last_interaction", "null", NULL);
    assert_int_equal(tjson_int(j, "$.goodwill"), 0);
    sbuf_free(&b);

    /* The callback can stop the stream. */
    int calls = 0;
    assert_int_equal(contact_each_json(t->j, &q, stop_first, &calls, &e), K_OK);
    assert_int_equal(calls, 1);

    /* One contact in full. */
    char *full = NULL;
    assert_int_equal(contact_get_json(t->j, ana, &full, &e), K_OK);
    j = full;
    assert_string_equal(tjson_text(j, "$.id"), ana);
    tjson_types(j, "$.tags", "array", "$.emails", "array", "$.phones", "array", "$.links", "array",
                NULL);
    tjson_texts(j, "$.links[0]", "https://example.org/ana", "$.location", "Madrid", "$.how_met",
                "conference", "$.met_on", "2024-03-01", "$.birthday", "04-12", "$.note",
                "line1\nline2", "$.working_on", "a book", NULL);
    assert_string_equal(tjson_type(j, "$.archived"), "false");
    assert_int_equal(tjson_int(j, "$.gave"), 1);
    assert_int_equal(tjson_int(j, "$.asked"), 1);
    assert_int_equal(tjson_int(j, "$.mutual"), 0);
    assert_int_equal(tjson_int(j, "$.goodwill"), 2);
    assert_string_equal(tjson_text(j, "$.last_interaction"), "2026-11-05");
    free(full);

    contact_patch_init(&p);
    p.archived = 1;
    assert_int_equal(contact_edit(t->j, ben, &p, &e), K_OK);
    assert_int_equal(contact_get_json(t->j, ben, &full, &e), K_OK);
    assert_string_equal(tjson_type(full, "$.archived"), "true");
    assert_string_equal(tjson_type(full, "$.links"), "array");
    assert_int_equal(tjson_len(full, "$.links"), 0);
    assert_string_equal(tjson_type(full, "$.met_on"), "null");
    free(full);
    full = (char *)"untouched";
    assert_int_equal(contact_get_json(t->j, "0123456789abcdef0123456789abcdef", &full, &e),
                     K_NOTFOUND);
    assert_null(full);
}

/* Each row of a listing as text: id, name, company, tags, last, goodwill,
 * archived, one line a contact. */
static int row_line(const struct contact_row *r, void *ud)
{
    sbuf_printf(ud, "%s|%s|%s|%s|%d|%d|%d\n", r->id, r->name, r->company ? r->company : "(null)",
                r->tags, r->last_interaction, r->goodwill, r->archived);
    return 0;
}

static int contact_line(const struct contact *c, void *ud)
{
    struct sbuf tags = {0};
    sbuf_add(&tags, "");
    for (size_t i = 0; i < c->tags.n; i++)
        sbuf_printf(&tags, "%s%s", i ? "," : "", c->tags.v[i]);
    sbuf_printf(ud, "%s|%s|%s|%s|%d|%d|%d\n", c->id, c->name, c->company ? c->company : "(null)",
                tags.s, c->last_interaction, c->goodwill, c->archived);
    sbuf_free(&tags);
    return 0;
}

static int stop_rows_after_3(const struct contact_row *r, void *ud)
{
    size_t *calls = ud;
    assert_non_null(r->name);
    return ++*calls == 3;
}

/* contact_each_row, which `kith list` prints from (a whole list reads
 * every tag, and in name order every contact's figures, in one pass into
 * hash tables; a window, a tag or a search looks each row's up), gives
 * what contact_each gives, in every order, filter and window: many tags,
 * tags whose case sorts them apart from their key, no tags, no company,
 * archived contacts, interactions (eight contacts: the table of figures
 * grows from its first size). */
static void test_list_rows(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct sbuf want = {0}, got = {0};
    /* An empty journal lists nothing either way. */
    struct contact_query q = {0};
    sbuf_add(&got, "");
    assert_int_equal(contact_each_row(t->j, &q, row_line, &got, &e), K_OK);
    assert_string_equal(got.s, "");
    static const char *const tags[] = {"mentor", "Alumni",       "board", "Zeta",
                                       "friend", "ex colleague", "朋友",  "investor"};
    char ids[24][KID_LEN + 1];
    unsigned seed = 7;
    for (int i = 0; i < 24; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s %02d", i % 3 ? "Person" : "Zoë", (i * 7) % 24);
        struct contact_patch p = tpatch(name);
        if (i % 4)
            p.company = i % 2 ? "Acme" : "Globex";
        /* Contact 5 has every tag; others a pseudo-random few. */
        for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
            seed = seed * 1103515245u + 12345u;
            if (i == 5 || (i % 6 && (seed >> 16) % 3 == 0))
                kstrlist_add(&p.add_tags, tags[k]);
        }
        tadd_patch(t->j, &p, ids[i]);
    }
    for (int i = 0; i < 24; i += 3) {
        const char *who[] = {ids[i]};
        tlogi(t->j, who, 1, "coffee", i % 2 ? KDIR_GAVE : KDIR_ASKED,
              i % 6 ? "2026-10-01" : "2026-11-01", NULL, NULL);
    }
    for (int i = 1; i < 24; i += 5) {
        struct contact_patch p;
        contact_patch_init(&p);
        p.archived = 1;
        assert_int_equal(contact_edit(t->j, ids[i], &p, &e), K_OK);
        contact_patch_clear(&p);
    }
    static const char *const tag_filters[] = {NULL, "mentor", "ALUMNI", "nobody"};
    static const char *const searches[] = {NULL, "acme", "zoe"};
    static const size_t limits[][2] = {{0, 0}, {5, 0}, {5, 7}, {0, 3}, {100, 0}};
    size_t cases = 0;
    for (int sort = 0; sort < CONTACT_SORT_COUNT; sort++)
        for (int arch = 0; arch < 2; arch++)
            for (size_t tf = 0; tf < 4; tf++)
                for (size_t se = 0; se < 3; se++)
                    for (size_t li = 0; li < 5; li++) {
                        memset(&q, 0, sizeof q);
                        q.sort = (enum contact_sort)sort;
                        q.include_archived = arch;
                        q.tag = tag_filters[tf];
                        q.search = searches[se];
                        q.limit = limits[li][0];
                        q.offset = limits[li][1];
                        sbuf_free(&want);
                        sbuf_free(&got);
                        sbuf_add(&want, "");
                        sbuf_add(&got, "");
                        assert_int_equal(contact_each(t->j, &q, contact_line, &want, &e), K_OK);
                        assert_int_equal(contact_each_row(t->j, &q, row_line, &got, &e), K_OK);
                        if (strcmp(got.s, want.s))
                            fail_msg("sort %d archived %d tag %s search %s window %zu+%zu:\n%s\n"
                                     "want\n%s",
                                     sort, arch, q.tag ? q.tag : "-", q.search ? q.search : "-",
                                     q.offset, q.limit, got.s, want.s);
                        cases += want.len > 0;
                    }
    assert_true(cases > 100);
    /* The whole list shows contact 5's eight tags in key order. */
    memset(&q, 0, sizeof q);
    sbuf_free(&got);
    sbuf_add(&got, "");
    assert_int_equal(contact_each_row(t->j, &q, row_line, &got, &e), K_OK);
    assert_non_null(strstr(got.s, "|Alumni,board,ex colleague,friend,investor,mentor,Zeta,朋友|"));
    /* A callback stops the list; the table of tags is freed (ASan). */
    size_t calls = 0;
    assert_int_equal(contact_each_row(t->j, &q, stop_rows_after_3, &calls, &e), K_OK);
    assert_int_equal(calls, 3);
    sbuf_free(&want);
    sbuf_free(&got);
}

static const struct CMUnitTest tests[] = {
    TJ_TEST(test_add_validation),
    TJ_TEST(test_add_fields),
    TJ_TEST(test_edit),
    TJ_TEST(test_delete),
    TJ_TEST(test_resolve),
    cmocka_unit_test(test_ambiguous_message),
    TJ_TEST(test_list_window),
    TJ_TEST(test_list_rows),
    TJ_TEST(test_list_sorts_and_filters),
    TJ_TEST(test_list_keyset),
    TJ_TEST(test_list_derived_orders),
    TJ_TEST(test_search_short_words),
    TJ_TEST(test_search_window_bound),
    TJ_TEST(test_search_window_ways),
    TJ_TEST(test_search),
    TJ_TEST(test_json),
};

TEST_MAIN(tests)
