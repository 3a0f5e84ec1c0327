/* The vCard reader and writer, against the fixtures in tests/fixtures/vcard:
 * each producer's quirk in a fixture of its own. */
#include "testutil.h"

#include "kith/core/check.h"
#include "kith/util/kstr.h"
#include "kith/core/vcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses tests/fixtures/vcard/NAME into t; the parser's status. */
static int parse(const char *name, struct tcards *t, struct kerr *e)
{
    size_t n;
    char *buf = tcards_fixture(t, "vcard", name, &n);
    int rc = vcard_parse(buf, n, &t->o, e);
    free(buf);
    return rc;
}

static void parse_ok(const char *name, struct tcards *t)
{
    struct kerr e;
    if (parse(name, t, &e) != K_OK)
        fail_msg("%s: %s", name, e.msg);
}

/* Parses tests/fixtures/vcard/NAME into t, which must hold n cards; the
 * first. */
static const struct contact *first_of(const char *name, struct tcards *t, size_t n)
{
    parse_ok(name, t);
    assert_int_equal(t->n, n);
    return &t->v[0];
}

/* Parses tests/fixtures/vcard/FILE into t; its card named name. */
static const struct contact *card_in(const char *file, struct tcards *t, const char *name)
{
    parse_ok(file, t);
    return tcards_must(t, name);
}

static int parse_text(const char *text, struct tcards *t, struct kerr *e)
{
    tcards_init(t, "t.vcf");
    return vcard_parse(text, strlen(text), &t->o, e);
}

static void test_v21(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = first_of("v21.vcf", t, 2);
    assert_string_equal(c->name, "Jürgen Müller");
    assert_string_equal(c->n.family, "Müller");
    assert_string_equal(c->n.given, "Jürgen");
    assert_string_equal(c->n.prefix, "Dr.");
    assert_string_equal(c->company, "Acme GmbH, Research");
    assert_string_equal(c->title, "Geschäftsführer");
    tassert_labelled(&c->phones, &c->phone_labels, "+49 30 1234567", "work", "+49 170 7654321",
                     "cell", NULL);
    tassert_labelled(&c->emails, &c->email_labels, "juergen@acme.example", "pref", NULL);
    assert_string_equal(c->location, "Hauptstr. 1, Berlin, 10115, Germany");
    assert_int_equal(c->naddresses, 1);
    assert_string_equal(c->addresses[0].street, "Hauptstr. 1");
    assert_string_equal(c->addresses[0].label, "work");
    assert_string_equal(c->birthday, "1970-04-12");
    assert_string_equal(c->note, "Met at the trade fair.\nAsked about the robotics team.");
    assert_string_equal(t->v[1].name, "Renée Dubois");
    assert_int_equal(t->np, 0);
}

static void test_v30(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = first_of("v30.vcf", t, 2);
    assert_string_equal(c->name, "Ana Ruiz");
    assert_string_equal(c->company, "Acme, Inc., Engineering");
    /* Apple's labels: _$!<Work>!$_ in X-ABLabel of the email's group. */
    tassert_labelled(&c->emails, &c->email_labels, "ana@acme.example", "work",
                     "ana.ruiz@home.example", "", NULL);
    tassert_labelled(&c->phones, &c->phone_labels, "+1 (555) 010-2030", "cell,pref", NULL);
    tassert_labelled(&c->links, &c->link_labels, "https://ana.example/blog", "homepage", NULL);
    assert_string_equal(c->birthday, "03-15");
    assert_string_equal(c->note, "Mentor from the SMG conference.\nAdvice: write every week; ship "
                                 "small things, often.");
    /* Tags keep their case and spaces. */
    assert_int_equal(c->tags.n, 3);
    assert_string_equal(c->tags.v[0], "mentor");
    assert_string_equal(c->tags.v[1], "Alumni");
    assert_string_equal(c->tags.v[2], "SMG Conference");
    /* PHOTO is kept as it came, unfolded. */
    assert_int_equal(c->extra.n, 1);
    assert_true(!strncmp(c->extra.v[0], "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ", 35));
    assert_non_null(strstr(c->extra.v[0], "DBkSEw8U"));
    assert_string_equal(t->v[1].birthday, "06-30");
}

static void test_v40(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = first_of("v40.vcf", t, 2);
    tassert_labelled(&c->phones, &c->phone_labels, "+1-555-555-1234 x12", "work", NULL);
    tassert_labelled(&c->emails, &c->email_labels, "chen@globex.example", "work", NULL);
    assert_string_equal(c->birthday, "09-21");
    assert_string_equal(c->extra.v[0], "KIND:individual");
    assert_string_equal(t->v[1].name, "大卫 李");
    assert_string_equal(t->v[1].birthday, "1988-11-02");
    assert_string_equal(t->v[1].location, "Beijing, China");
    assert_string_equal(t->v[1].addresses[0].label, "home");
}

static void test_bom_crlf_google(void **state)
{
    struct tcards *t = *state;
    parse_ok("bom_crlf.vcf", t);
    tcards_names(t, "Dana Scully", NULL);
    assert_string_equal(t->v[0].note, "A very long note that an exporter folded with a tab "
                                      "character at anarbitrary point.");
    tcards_clear(t);
    parse_ok("google.vcf", t);
    assert_int_equal(t->n, 1);
    assert_string_equal(t->v[0].company, "Initech");
    assert_string_equal(t->v[0].title, "Staff Engineer");
    assert_int_equal(t->v[0].emails.n, 2);
    /* Google's system group goes; the user's group keeps its spelling. */
    assert_int_equal(t->v[0].tags.n, 1);
    assert_string_equal(t->v[0].tags.v[0], "Book Club");
    /* An empty X-ABLabel of a group that labels nothing kept: dropped. */
    assert_int_equal(t->v[0].extra.n, 0);
}

/* No FN or N: ORG, else EMAIL, else TEL names the card; an empty card is
 * skipped with its bytes. */
static void test_no_name(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/no_name.vcf", t);
    tcards_names(t, "Globex Front Desk", "orphan@example.net", "+44 7700 900123", NULL);
    assert_int_equal(t->np, 1);
    assert_int_equal(t->p[0].level, CARD_SKIP);
    assert_int_equal(t->p[0].line, 14);
    assert_non_null(strstr(t->p[0].msg, "nothing in this card names a person"));
    assert_string_equal(t->p[0].raw, "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n");
}

static void test_begin_blanks_version4(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/begin_blanks.vcf", t);
    tcards_names(t, "Trailing Blank", NULL);
    assert_int_equal(t->np, 0);
    tcards_clear(t);
    /* An unknown version is read as 4.0, with a note. */
    parse_ok("quirks/version5.vcf", t);
    assert_int_equal(t->n, 1);
    assert_non_null(tcards_problem(t, CARD_INFO, 2));
}

/* iPhone: CR CR LF line ends with folded lines. */
static void test_ios_crcrlf(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = first_of("quirks/ios_crcrlf.vcf", t, 1);
    assert_string_equal(c->name, "Ngozi Okonkwo");
    assert_string_equal(c->company, "Umbrella");
    assert_string_equal(contact_label(&c->email_labels, 0), "other");
    assert_string_equal(c->note, "A long note that an iPhone folds at seventy-five octets, so the "
                                 "line goes on here after the fold.");
    /* 512 bytes as base64, unfolded: 684 characters after the colon. */
    assert_int_equal(c->extra.n, 1);
    assert_int_equal(strlen(c->extra.v[0]), strlen("PHOTO;ENCODING=b;TYPE=JPEG:") + 684);
    assert_int_equal(t->np, 0);
}

/* Every way a line can end, mixed in one file: LF, CRLF, a lone CR (old
 * Mac), CR CR LF (iPhone), CR CR (a blank line on an old Mac), and a last
 * line with no end at all; a folded line after each. */
static void test_line_ends(void **state)
{
    struct tcards *t = *state;
    struct kerr e;
    assert_int_equal(parse_text("BEGIN:VCARD\rVERSION:3.0\rFN:Mac\r Person\r\r"
                                "EMAIL;TYPE=work:m@example.com\r\nNOTE:one\r\r\n two\n"
                                "TITLE:Chief\n Cook\r\nEND:VCARD\r\n"
                                "BEGIN:VCARD\nFN:Last Card\nEND:VCARD",
                                t, &e),
                     K_OK);
    assert_int_equal(t->n, 2);
    assert_string_equal(t->v[0].name, "MacPerson");
    assert_string_equal(t->v[0].emails.v[0], "m@example.com");
    assert_string_equal(contact_label(&t->v[0].email_labels, 0), "work");
    assert_string_equal(t->v[0].note, "onetwo");
    assert_string_equal(t->v[0].title, "ChiefCook");
    assert_string_equal(t->v[1].name, "Last Card");
}

/* Evolution: a QUOTED-PRINTABLE soft break before a folded line. */
static void test_evolution_qp(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/evolution_qp.vcf", t, "Lars Nilsson");
    assert_string_equal(c->note, "Räksmörgås and a long line\nsecond line");
    assert_int_equal(c->nevents, 1);
    assert_string_equal(c->events[0].label, "anniversary");
    assert_string_equal(c->events[0].date, "2015-06-20");
    assert_string_equal(c->extra.v[0], "X-EVOLUTION-FILE-AS:Nilsson\\, Lars");
}

/* KDE: '/' in property names; FullContact: names of any length. */
static void test_kde_fullcontact_names(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/kde_slash.vcf", t, "Kai Brandt");
    assert_int_equal(c->links.n, 2);
    assert_string_equal(c->links.v[0], "kaibrandt");
    assert_string_equal(contact_label(&c->link_props, 0), "X-messaging/aim-All");
    assert_string_equal(c->links.v[1], "kai@jabber.example");
    assert_string_equal(c->uids.v[0], "kde-2f9c1b");
    assert_string_equal(c->extra.v[0], "X-KADDRESSBOOK-BlogFeed:https://kai.example/feed");
    tcards_clear(t);
    c = card_in("quirks/fullcontact_long.vcf", t, "Priya Raman");
    assert_int_equal(c->extra.n, 1);
    assert_true(strlen(c->extra.v[0]) > 80);
    /* A LinkedIn profile has one spelling, so that it identifies. */
    assert_string_equal(c->links.v[0], "https://www.linkedin.com/in/priyaraman");
    assert_string_equal(contact_label(&c->link_labels, 0), "linkedin");
    assert_string_equal(contact_label(&c->link_props, 0), "X-SOCIALPROFILE");
}

/* A 2.1 AGENT card inside a card is left out, the outer card kept whole. */
static void test_agent(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = first_of("quirks/agent21.vcf", t, 1);
    assert_string_equal(c->name, "Big Boss");
    assert_int_equal(c->phones.n, 1);
    assert_string_equal(c->emails.v[0], "boss@example.com");
    assert_non_null(tcards_problem(t, CARD_INFO, 7));
}

/* Text without a CHARSET that is not UTF-8 is windows-1252, said once;
 * an unknown CHARSET falls back the same way. */
static void test_charsets(void **state)
{
    struct tcards *t = *state;
    parse_ok("quirks/cp1252.vcf", t);
    tcards_names(t, "Jürgen Müller", NULL);
    assert_string_equal(t->v[0].note, "Café € 5 – Straße");
    assert_int_equal(t->np, 1);
    assert_non_null(strstr(t->p[0].msg, "read as windows-1252"));
    tcards_clear(t);
    parse_ok("quirks/invalid_utf8.vcf", t);
    assert_string_equal(t->v[0].name, "Ann ÿþ Lee");
    tcards_clear(t);
    parse_ok("quirks/unknown_charset.vcf", t);
    assert_string_equal(t->v[0].name, "Ann");
    tcards_clear(t);
    const struct contact *c = card_in("quirks/android21.vcf", t, "Björn Åström");
    assert_string_equal(c->n.family, "Åström");
    assert_string_equal(contact_label(&c->phone_labels, 0), "cell,pref");
    /* The photo's lines run to the blank line, kept as one line. */
    assert_int_equal(c->extra.n, 2);
    assert_string_equal(c->extra.v[1],
                        "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD2wBDAAg"
                        "GBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwg");
}

/* Phones are kept as written, less direction marks; never refused. */
static void test_phones(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/phones.vcf", t, "Dial Tester");
    const char *want[] = {
        "1-800-ELEPHANT", "+1 555 0100 p 1234 w 99", "*123#",         "+1 (555) 010-2030 ext. 42",
        "ask reception",  "+49 170 1234567",         "+1-555-0107 x7"};
    assert_int_equal(c->phones.n, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(c->phones.v[i], want[i]);
    assert_int_equal(t->np, 0);
}

/* "Name" <address> is the address; what is not one is kept, with a note. */
static void test_emails(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/emails.vcf", t, "Mail Person");
    assert_int_equal(c->emails.n, 2);
    assert_string_equal(c->emails.v[0], "mail.person@example.com");
    assert_string_equal(c->emails.v[1], "mail person at example dot com");
    assert_int_equal(check_email(c->emails.v[1], NULL), K_USAGE);
    assert_non_null(tcards_problem(t, CARD_INFO, 5));
}

/* Gmail: \" in text, an escaped comma inside a category, the whole
 * address in ADR's extended part. */
static void test_gmail(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/gmail.vcf", t, "Gil Grissom");
    assert_string_equal(c->note, "He said \"bugs don't lie\".");
    assert_int_equal(c->tags.n, 2);
    assert_string_equal(c->tags.v[0], "Worker drones");
    assert_string_equal(c->tags.v[1], "Forensics, Lab");
    assert_int_equal(c->naddresses, 1);
    assert_string_equal(c->addresses[0].ext, "1 Lab Way\nLas Vegas, NV 89101\nUSA");
    assert_string_equal(c->addresses[0].label, "lab");
    assert_string_equal(c->location, "1 Lab Way, Las Vegas, NV 89101, USA");
}

/* Apple: X-ABLabel for items, X-ABDATE events, social profiles and IMPP
 * as links, related names kept with their label, a year-less birthday. */
static void test_apple(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/apple.vcf", t, "Jo Lee");
    assert_string_equal(c->nicknames.v[0], "Jojo");
    assert_string_equal(contact_label(&c->email_labels, 0), "side project");
    assert_int_equal(c->nevents, 2);
    assert_string_equal(c->events[0].label, "anniversary");
    assert_string_equal(c->events[0].date, "2012-09-01");
    assert_string_equal(c->events[1].label, "graduation");
    assert_int_equal(c->links.n, 2);
    assert_string_equal(c->links.v[0], "https://twitter.com/jolee");
    assert_string_equal(contact_label(&c->link_props, 0), "X-SOCIALPROFILE;x-user=jolee");
    assert_string_equal(contact_label(&c->link_labels, 0), "twitter");
    assert_string_equal(c->links.v[1], "skype:jo.lee");
    assert_string_equal(contact_label(&c->link_props, 1), "IMPP;X-SERVICE-TYPE=Skype");
    assert_string_equal(c->birthday, "11-02");
    assert_int_equal(c->extra.n, 3);
    assert_string_equal(c->extra.v[0], "item4.X-ABRELATEDNAMES:Sam Lee");
    assert_string_equal(c->extra.v[2], "item4.X-ABLabel:_$!<Spouse>!$_");
}

static void test_outlook_thunderbird(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/outlook21.vcf", t, "Dr. Robin Q. Hale PhD");
    assert_string_equal(c->n.prefix, "Dr.");
    assert_string_equal(c->n.suffix, "PhD");
    assert_string_equal(c->n.additional, "Q.");
    assert_string_equal(contact_label(&c->phone_labels, 1), "home,fax");
    assert_string_equal(c->addresses[0].label, "work,pref");
    assert_string_equal(c->extra.v[0], "LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:1 Hooli "
                                       "Way=0D=0APalo Alto, CA 94301");
    assert_string_equal(c->extra.v[c->extra.n - 1], "REV:20240102T101010Z");
    tcards_clear(t);
    c = card_in("quirks/thunderbird40.vcf", t, "Tessa Vogel");
    assert_string_equal(contact_label(&c->email_labels, 0), "pref");
    assert_string_equal(c->nicknames.v[0], "Tess");
    assert_string_equal(c->events[0].date, "2010-06-12");
    assert_string_equal(c->uids.v[0], "7c2d2f5e-0e0e-4a41-9c0e-111111111111");
    assert_string_equal(c->extra.v[0], "X-MOZILLA-HTML:TRUE");
    tcards_clear(t);
    c = card_in("quirks/empty_values.vcf", t, "Empty Fields");
    assert_null(c->title);
    assert_null(c->note);
    assert_int_equal(c->emails.n, 0);
    assert_string_equal(c->company, "Soylent");
    assert_int_equal(t->np, 0);
}

/* What kith cannot store is kept as written (vCard), with a note. */
static void test_kept_values(void **state)
{
    struct tcards *t = *state;
    const struct contact *c = card_in("quirks/kept_values.vcf", t, "Kept Values");
    assert_null(c->birthday);
    assert_int_equal(c->links.n, 0);
    assert_int_equal(c->extra.n, 2);
    assert_string_equal(c->extra.v[0], "BDAY:1990-02-30");
    assert_string_equal(c->extra.v[1], "URL:https://example.com/a\\nb");
    assert_int_equal(c->tags.n, 1);
    assert_non_null(tcards_problem(t, CARD_INFO, 4));
    assert_non_null(tcards_problem(t, CARD_INFO, 5));
    assert_non_null(tcards_problem(t, CARD_WARN, 6));
}

/* Cards that cannot be read are skipped with their bytes; the rest read. */
static void test_skips(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *kept;
        int line;
        const char *msg;
        const char *raw;
    } cases[] = {
        {"quirks/missing_end.vcf", "Next One", 1, "this card has no END:VCARD: another BEGIN",
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No End\r\n"},
        {"quirks/broken_line.vcf", "Good Card", 4, "not a vCard line",
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Card\r\nthis line has no colon\r\n"
         "END:VCARD\r\n"},
        {"quirks/nul.vcf", "After Nul", 3, "binary data (a NUL byte)", NULL},
        {"quirks/truncated.vcf", "Whole Card", 5, "the file ends at line 8",
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\nEMAIL:cut@example.com\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tcards t;
        parse_ok(cases[i].file, &t);
        if (t.n != 1 || strcmp(t.v[0].name, cases[i].kept))
            fail_msg("%s: %zu cards", cases[i].file, t.n);
        const char *m = tcards_problem(&t, CARD_SKIP, cases[i].line);
        if (!m || !strstr(m, cases[i].msg))
            fail_msg("%s: no skip at line %d", cases[i].file, cases[i].line);
        if (cases[i].raw && strcmp(t.p[0].raw, cases[i].raw))
            fail_msg("%s: raw '%s'", cases[i].file, t.p[0].raw);
        tcards_clear(&t);
    }
    struct tcards t;
    parse_ok("quirks/outside.vcf", &t);
    assert_int_equal(t.n, 1);
    assert_non_null(tcards_problem(&t, CARD_WARN, 1));
    tcards_clear(&t);
}

/* Files that hold no vCard are refused whole. */
static void test_not_vcard(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *msg;
    } cases[] = {
        {"bad/empty.vcf", "empty.vcf:1: no vCard in the file"},
        {"bad/blank.vcf", "blank.vcf:3: no vCard in the file"},
        {"bad/calendar.vcf", "calendar.vcf:3: no vCard in the file"},
        {"bad/garbage.bin", "garbage.bin:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tcards t;
        struct kerr e;
        kerr_clear(&e);
        int rc = parse(cases[i].file, &t, &e);
        if (rc != K_USAGE || !strstr(e.msg, cases[i].msg))
            fail_msg("%s: rc %d, message '%s'", cases[i].file, rc, e.msg);
        assert_int_equal(t.n, 0);
        tcards_clear(&t);
    }
}

/* n bytes c at the end of b. */
static void fill(struct sbuf *b, char c, int n)
{
    for (int i = 0; i < n; i++)
        sbuf_addc(b, c);
}

/* A line over 1 MiB: a note that long skips the card; a photo is left out
 * and the card kept. */
static void test_long_line(void **state)
{
    (void)state;
    const char *props[] = {"NOTE", "PHOTO;ENCODING=b"};
    for (int k = 0; k < 2; k++) {
        struct sbuf b = {0};
        sbuf_printf(&b, "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n%s:", props[k]);
        fill(&b, 'x', (1 << 20) + 10);
        sbuf_add(&b, "\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Bob\nEND:VCARD\n");
        struct tcards t;
        struct kerr e;
        assert_int_equal(parse_text(b.s, &t, &e), K_OK);
        if (k == 0) {
            assert_int_equal(t.n, 1);
            assert_string_equal(t.v[0].name, "Bob");
            assert_non_null(strstr(tcards_problem(&t, CARD_SKIP, 4), "the limit is 1048576"));
        } else {
            assert_int_equal(t.n, 2);
            assert_int_equal(t.v[0].extra.n, 0);
            assert_non_null(tcards_problem(&t, CARD_WARN, 4));
        }
        tcards_clear(&t);
        sbuf_free(&b);
    }
}

/* text parses into n cards, with a first problem that holds msg (when not
 * NULL). */
static void parses_to(const char *text, size_t n, const char *msg)
{
    struct tcards t;
    struct kerr e;
    assert_int_equal(parse_text(text, &t, &e), K_OK);
    assert_int_equal(t.n, n);
    if (msg)
        assert_non_null(strstr(t.p[0].msg, msg));
    tcards_clear(&t);
}

/* The 1000-byte name and 1 MiB note limits hold on every path: a name
 * made of N's parts, a CHARSET conversion, notes that add up. */
static void test_limits(void **state)
{
    (void)state;
    struct sbuf b = {0}, part = {0};
    fill(&part, 'a', 900);
    sbuf_printf(&b, "BEGIN:VCARD\nVERSION:3.0\nN:%s;%s;%s;;\nEND:VCARD\n", part.s, part.s, part.s);
    parses_to(b.s, 0, "the name is 2702 bytes long; the limit is 1000");
    /* 600 bytes of Latin-1 are 1200 of UTF-8. */
    b.len = 0;
    sbuf_add(&b, "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:");
    fill(&b, (char)0xE9, 600);
    sbuf_add(&b, "\nEND:VCARD\n");
    parses_to(b.s, 0, "the name is 1200 bytes long");
    /* Exactly 1000 bytes is a name. */
    b.len = 0;
    sbuf_add(&b, "BEGIN:VCARD\nVERSION:3.0\nFN:");
    fill(&b, 'n', 1000);
    sbuf_add(&b, "\nEND:VCARD\n");
    parses_to(b.s, 1, NULL);
    /* Two notes of 600 KiB: over the limit together. */
    b.len = 0;
    sbuf_add(&b, "BEGIN:VCARD\nVERSION:3.0\nFN:Notes\n");
    for (int k = 0; k < 2; k++) {
        sbuf_add(&b, "NOTE:");
        fill(&b, 'z', 600 * 1024);
        sbuf_addc(&b, '\n');
    }
    sbuf_add(&b, "END:VCARD\n");
    parses_to(b.s, 0, "the notes together pass the limit");
    sbuf_free(&b);
    sbuf_free(&part);
}

static struct contact rich_contact(void)
{
    struct contact c = {0};
    strcpy(c.id, "0123456789abcdef0123456789abcdef");
    c.name = kstr_dup("Zoë \"Z\" O'Brien-Ngata, Jr.");
    c.company = kstr_dup("Acme; Widgets, Inc.");
    c.title = kstr_dup("Head of \\ things");
    c.location = kstr_dup("Wellington, NZ");
    c.note = kstr_dup("Line one\nLine two; with, punctuation \\ and a long tail that goes on "
                      "and on past seventy-five octets: ééééééééééééééééééééééééééééé 🎉🎉🎉🎉"
                      "\r\nWindows line\rlone CR");
    c.how_met = kstr_dup("Kiwi PyCon");
    c.working_on = kstr_dup("a book");
    c.birthday = kstr_dup("02-29");
    c.met_on = tday("2024-09-01");
    c.archived = 1;
    kstrlist_add(&c.emails, "zoe@example.nz");
    kstrlist_add(&c.emails, "z@work.example");
    contact_set_label(&c.email_labels, 1, "work");
    kstrlist_add(&c.phones, "+64 4 555 0199");
    contact_set_label(&c.phone_labels, 0, "Boat phone");
    kstrlist_add(&c.phones, "+64 4 555 0198");
    contact_set_label(&c.phone_labels, 1, "boat, the old one");
    kstrlist_add(&c.links, "https://example.nz/a,b;c");
    kstrlist_add(&c.links, "xmpp:zoe@example.nz");
    contact_set_label(&c.link_labels, 1, "home");
    contact_set_label(&c.link_props, 1, "IMPP;X-SERVICE-TYPE=Jabber");
    kstrlist_add(&c.tags, "friend");
    kstrlist_add(&c.tags, "Worker drones");
    kstrlist_add(&c.nicknames, "Zo");
    kstrlist_add(&c.nicknames, "Z, the great");
    kstrlist_add(&c.uids, "urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    kstrlist_add(&c.uids, "phone-uid-2");
    c.n.family = kstr_dup("O'Brien-Ngata");
    c.n.given = kstr_dup("Zoë");
    c.n.suffix = kstr_dup("Jr.");
    struct kaddress a = {"work",       "PO 1", NULL,   "1 Quay St\nLevel 2",
                         "Wellington", NULL,   "6011", "New Zealand"};
    contact_add_address(&c, &a);
    struct kevent ev1 = {"anniversary", "2015-02-14"}, ev2 = {"first climb", "03-01"};
    contact_add_event(&c, &ev1);
    contact_add_event(&c, &ev2);
    kstrlist_add(&c.extra, "X-CUSTOM;TYPE=x:kept, as it came");
    kstrlist_add(&c.extra, "item9.X-ABRELATEDNAMES:Kim");
    return c;
}

/* The writer's output reads back as the same contact, in both versions,
 * with everything an import keeps. */
static void test_write_read(void **state)
{
    (void)state;
    struct contact c = rich_contact();
    enum vcard_version vs[] = {VCARD_V30, VCARD_V40};
    for (int k = 0; k < 2; k++) {
        struct sbuf b = {0};
        vcard_write(&b, &c, vs[k]);
        /* Every line ends in CRLF and is at most 75 octets; a CR in a
         * value is written \r, never raw. */
        for (char *p = b.s, *nl; (nl = strstr(p, "\r\n")); p = nl + 2) {
            assert_true(nl - p <= 75);
            assert_null(memchr(p, '\r', (size_t)(nl - p)));
        }
        assert_non_null(strstr(b.s, "\\r\\nWindows line\\rlone CR"));
        struct tcards t;
        struct kerr e;
        if (parse_text(b.s, &t, &e) != K_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.np, 0);
        struct contact *r = &t.v[0];
        assert_string_equal(r->name, c.name);
        assert_string_equal(r->company, c.company);
        assert_string_equal(r->title, c.title);
        assert_string_equal(r->location, c.location);
        assert_string_equal(r->note, c.note);
        assert_string_equal(r->how_met, c.how_met);
        assert_string_equal(r->working_on, c.working_on);
        assert_string_equal(r->birthday, c.birthday);
        assert_int_equal(r->met_on, c.met_on);
        assert_int_equal(r->archived, 1);
        assert_int_equal(r->emails.n, 2);
        assert_string_equal(contact_label(&r->email_labels, 1), "work");
        assert_string_equal(contact_label(&r->phone_labels, 0), "boat phone");
        assert_string_equal(contact_label(&r->phone_labels, 1), "boat, the old one");
        assert_string_equal(r->links.v[0], c.links.v[0]);
        assert_string_equal(contact_label(&r->link_props, 1), "IMPP;X-SERVICE-TYPE=Jabber");
        assert_string_equal(contact_label(&r->link_labels, 1), "home");
        assert_int_equal(r->tags.n, 2);
        assert_string_equal(r->tags.v[1], "Worker drones");
        assert_int_equal(r->nicknames.n, 2);
        assert_string_equal(r->nicknames.v[1], "Z, the great");
        assert_int_equal(r->uids.n, 2);
        assert_string_equal(r->uids.v[1], "phone-uid-2");
        assert_string_equal(r->n.family, "O'Brien-Ngata");
        assert_string_equal(r->n.suffix, "Jr.");
        assert_null(r->n.additional);
        assert_int_equal(r->naddresses, 1);
        assert_true(kaddress_same(&r->addresses[0], &c.addresses[0]));
        assert_string_equal(r->addresses[0].label, "work");
        assert_int_equal(r->nevents, 2);
        assert_string_equal(r->events[1].label, "first climb");
        assert_string_equal(r->events[1].date, "03-01");
        assert_int_equal(r->extra.n, 2);
        assert_string_equal(r->extra.v[0], "X-CUSTOM;TYPE=x:kept, as it came");
        tcards_clear(&t);
        sbuf_free(&b);
    }
    contact_clear(&c);
}

/* What the writer says with labels, guessed names and a location alone. */
static void test_write_forms(void **state)
{
    (void)state;
    struct contact c = rich_contact();
    struct sbuf b = {0};
    vcard_write(&b, &c, VCARD_V40);
    tassert_has(b.s, "UID:urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\r\n",
                "X-KITH-UID:phone-uid-2\r\n", "EMAIL;TYPE=work:z@work.example\r\n",
                "TEL;VALUE=text;TYPE=\"Boat phone\":+64 4 555 0199\r\n",
                "IMPP;X-SERVICE-TYPE=Jabber;TYPE=home:xmpp:zoe@example.nz\r\n", NULL);
    /* A label with a comma cannot be a TYPE: Apple's X-ABLabel says it. */
    tassert_has(b.s, "kith1.TEL;VALUE=text:+64 4 555 0198\r\n",
                "kith1.X-ABLabel:boat\\, the old one\r\n", "ANNIVERSARY:20150214\r\n",
                "N:O'Brien-Ngata;Zoë;;;Jr.\r\n", NULL);
    /* The location differs from the address: a line of its own. */
    assert_non_null(strstr(b.s, "ADR;X-KITH-LOCATION=true:;;Wellington\\, NZ;;;;\r\n"));
    sbuf_free(&b);
    contact_clear(&c);
    /* Without N's parts the family name is a guess, and says so. */
    struct contact d = {0};
    d.name = kstr_dup("Ada Lovelace");
    d.met_on = KDATE_NONE;
    vcard_write(&b, &d, VCARD_V30);
    assert_non_null(strstr(b.s, "N;X-KITH-GUESSED=true:Lovelace;Ada;;;\r\n"));
    struct tcards t;
    struct kerr e;
    assert_int_equal(parse_text(b.s, &t, &e), K_OK);
    assert_null(t.v[0].n.family);
    tcards_clear(&t);
    sbuf_free(&b);
    contact_clear(&d);
}

static const struct CMUnitTest tests[] = {
    TCARDS_TEST(test_v21),
    TCARDS_TEST(test_line_ends),
    TCARDS_TEST(test_v30),
    TCARDS_TEST(test_v40),
    TCARDS_TEST(test_bom_crlf_google),
    TCARDS_TEST(test_no_name),
    TCARDS_TEST(test_begin_blanks_version4),
    TCARDS_TEST(test_ios_crcrlf),
    TCARDS_TEST(test_evolution_qp),
    TCARDS_TEST(test_kde_fullcontact_names),
    TCARDS_TEST(test_agent),
    TCARDS_TEST(test_charsets),
    TCARDS_TEST(test_phones),
    TCARDS_TEST(test_emails),
    TCARDS_TEST(test_gmail),
    TCARDS_TEST(test_apple),
    TCARDS_TEST(test_outlook_thunderbird),
    TCARDS_TEST(test_kept_values),
    cmocka_unit_test(test_skips),
    cmocka_unit_test(test_not_vcard),
    cmocka_unit_test(test_long_line),
    cmocka_unit_test(test_limits),
    cmocka_unit_test(test_write_read),
    cmocka_unit_test(test_write_forms),
};

TEST_MAIN_GROUP(tests, tutf8_setup, NULL)
