#include "testutil.h"

#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/core/demo.h"
#include "kith/util/kdate.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void refer(struct tjournal *t, const char *by, const char *to, const char *text,
                  const char *date, const char *parent, char id[KID_LEN + 1])
{
    struct referral_input in = {0};
    struct kerr e;
    in.referrer_id = by;
    in.target_id = to;
    in.target_text = text;
    in.date = date ? tday(date) : KDATE_NONE;
    in.parent_id = parent;
    if (referral_add(t->j, &in, id, &e) != K_OK)
        fail_msg("referral_add: %s", e.msg);
}

static void thank(struct tjournal *t, const char *who, const char *date, const char *form,
                  const char *for_ref)
{
    struct thanks_input in = {0};
    struct kerr e;
    char id[KID_LEN + 1];
    in.contact_id = who;
    in.date = tday(date);
    in.form = form;
    in.referral_id = for_ref;
    if (thanks_add(t->j, &in, id, &e) != K_OK)
        fail_msg("thanks_add: %s", e.msg);
}

struct fx {
    struct tjournal t;
    char ana[KID_LEN + 1], ben[KID_LEN + 1], dana[KID_LEN + 1];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    tj_open(&f->t);
    tadd_each(f->t.j, "Ana Ruiz", f->ana, "Ben Okafor", f->ben, "Dana Lee", f->dana, NULL);
    *state = f;
    return 0;
}

static void test_add_and_get(void **state)
{
    struct fx *f = *state;
    struct referral r;
    struct kerr e;
    char id[KID_LEN + 1], tid[KID_LEN + 1];
    refer(&f->t, f->ana, f->dana, NULL, NULL, NULL, id);
    assert_int_equal(referral_get(f->t.j, id, &r, &e), K_OK);
    assert_string_equal(r.id, id);
    assert_string_equal(r.referrer.id, f->ana);
    assert_string_equal(r.referrer.name, "Ana Ruiz");
    assert_string_equal(r.target.id, f->dana);
    assert_string_equal(r.target.name, "Dana Lee");
    assert_string_equal(r.target_text, "Dana Lee");
    assert_string_equal(r.kind, "intro");
    assert_int_equal(r.date, tday("2026-11-22"));
    assert_int_equal(r.outcome, KOUT_PENDING);
    assert_int_equal(r.outcome_on, KDATE_NONE);
    assert_string_equal(r.parent, "");
    assert_null(r.note);
    assert_int_equal(r.thanked, 0);
    assert_int_equal(r.thanked_on, KDATE_NONE);
    assert_null(r.thanked_form);
    referral_clear(&r);
    referral_clear(NULL);

    struct referral_input in = {0};
    in.referrer_id = f->ben;
    in.target_text = "  Globex, staff engineer opening  ";
    in.kind = "job";
    in.date = tday("2026-10-01");
    in.note = "said to mention \"Ana\"";
    assert_int_equal(referral_add(f->t.j, &in, tid, &e), K_OK);
    assert_int_equal(referral_get(f->t.j, tid, &r, &e), K_OK);
    assert_string_equal(r.target.id, "");
    assert_null(r.target.name);
    assert_string_equal(r.target_text, "Globex, staff engineer opening");
    assert_string_equal(r.kind, "job");
    assert_int_equal(r.date, tday("2026-10-01"));
    assert_string_equal(r.note, "said to mention \"Ana\"");
    referral_clear(&r);

    assert_int_equal(referral_get(f->t.j, "00000000000000000000000000000000", &r, &e), K_NOTFOUND);
}

static void test_add_errors(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    size_t n;
    struct referral_input in = {0};

    in.target_id = f->dana;
    in.date = KDATE_NONE;
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "who made it");

    in.referrer_id = f->ana;
    in.target_id = NULL;
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "needs a target");
    in.target_text = "   ";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "needs a target");

    in.target_id = f->dana;
    in.target_text = "Globex";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "not both");

    in.target_text = NULL;
    in.target_id = f->ana;
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "cannot be its referrer");

    in.target_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_NOTFOUND, &e, "target is not in the journal");
    assert_string_equal(e.field, "target");

    in.target_id = f->dana;
    in.referrer_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_NOTFOUND, &e,
                "referrer is not in the journal");
    assert_string_equal(e.field, "referrer");

    in.referrer_id = f->ana;
    in.kind = "two words";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "kind");
    in.kind = "";
    assert_int_equal(referral_add(f->t.j, &in, id, &e), K_USAGE);
    in.kind = NULL;

    in.date = tday("2026-11-23");
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e,
                "2026-11-23 is in the future (today is 2026-11-22)");
    in.date = KDATE_NONE;

    in.note = "bad \xff utf-8";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "UTF-8");
    in.note = NULL;
    in.target_id = NULL;
    in.target_text = "\xc3\x28";
    assert_int_equal(referral_add(f->t.j, &in, id, &e), K_USAGE);
    in.target_id = f->dana;
    in.target_text = NULL;

    in.parent_id = "ffffffffffffffffffffffffffffffff";
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_NOTFOUND, &e, "grew out of");
    assert_string_equal(e.field, "parent");

    char later[KID_LEN + 1];
    refer(&f->t, f->ben, NULL, "Acme", "2026-11-20", NULL, later);
    in.parent_id = later;
    in.date = tday("2026-11-01");
    assert_kerr(referral_add(f->t.j, &in, id, &e), K_USAGE, &e, "2026-11-01");
    assert_non_null(strstr(e.msg, "2026-11-20"));

    /* Nothing but the one good referral was written. */
    assert_int_equal(referral_count(f->t.j, NULL, &n, &e), K_OK);
    assert_int_equal(n, 1);
}

/* The referral id is thanked on the date on with form, or, with on NULL,
 * not thanked. */
static void thanked(struct journal *j, const char *id, const char *on, const char *form)
{
    struct referral r;
    struct kerr e;
    assert_int_equal(referral_get(j, id, &r, &e), K_OK);
    assert_int_equal(r.thanked, on != NULL);
    if (on) {
        assert_int_equal(r.thanked_on, tday(on));
        assert_string_equal(r.thanked_form, form);
    }
    referral_clear(&r);
}

static void test_thanked_rules(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], c[KID_LEN + 1];
    refer(&f->t, f->ana, f->dana, NULL, "2026-11-10", NULL, a);
    refer(&f->t, f->ana, NULL, "Globex", "2026-11-15", NULL, b);
    refer(&f->t, f->ben, NULL, "Initech", "2026-11-01", NULL, c);

    /* Before the referral and not for it: does not count. */
    thank(&f->t, f->ana, "2026-11-05", "email", NULL);
    /* A thank-you to someone else does not count either. */
    thank(&f->t, f->dana, "2026-11-20", "call", NULL);
    thanked(f->t.j, a, NULL, NULL);
    thanked(f->t.j, c, NULL, NULL);

    /* On the referral's date: counts, for it and for nothing earlier. */
    thank(&f->t, f->ana, "2026-11-12", "lunch", NULL);
    thank(&f->t, f->ana, "2026-11-13", "gift-card", NULL);
    thanked(f->t.j, a, "2026-11-12", "lunch");
    thanked(f->t.j, b, NULL, NULL);

    /* A thank-you for a referral cannot be dated before it (as its
     * outcomes cannot); on its day it counts. */
    struct thanks_input early = {0};
    char tid[KID_LEN + 1];
    early.contact_id = f->ben;
    early.date = tday("2026-10-30");
    early.referral_id = c;
    assert_int_equal(thanks_add(f->t.j, &early, tid, &e), K_USAGE);
    assert_string_equal(e.msg, "the thank-you's date 2026-10-30 is before the referral it is for "
                               "(2026-11-01)");
    assert_string_equal(e.field, "date");
    thank(&f->t, f->ben, "2026-11-01", "handwritten", c);
    thanked(f->t.j, c, "2026-11-01", "handwritten");

    thank(&f->t, f->ana, "2026-11-15", "email", NULL);
    thanked(f->t.j, b, "2026-11-15", "email");
}

/* l holds n referrals, the ids in ap in their order; l is cleared. */
static void vids_are(struct referral_list *l, size_t n, va_list ap)
{
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n && i < l->n; i++)
        assert_string_equal(l->v[i].id, va_arg(ap, const char *));
    referral_list_clear(l);
}

/* l holds n referrals, the ids that follow n in their order; l is
 * cleared. */
static void ids_are(struct referral_list *l, size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    vids_are(l, n, ap);
    va_end(ap);
}

/* referral_list with q (NULL for none) gives n referrals, the ids that
 * follow n in their order. */
static void listed(struct journal *j, const struct referral_query *q, size_t n, ...)
{
    struct referral_list l;
    struct kerr e;
    va_list ap;
    assert_int_equal(referral_list(j, q, &l, &e), K_OK);
    va_start(ap, n);
    vids_are(&l, n, ap);
    va_end(ap);
}

static void test_list_order_filters_windows(void **state)
{
    struct fx *f = *state;
    struct referral_list l;
    struct kerr e;
    size_t n;
    char r1[KID_LEN + 1], r2[KID_LEN + 1], r3[KID_LEN + 1], r4[KID_LEN + 1];
    refer(&f->t, f->ana, f->dana, NULL, "2026-09-01", NULL, r1); /* thanked below */
    refer(&f->t, f->ben, NULL, "Acme", "2026-10-01", NULL, r2);
    refer(&f->t, f->ana, NULL, "Globex", "2026-08-01", NULL, r3);
    refer(&f->t, f->dana, f->ben, NULL, "2026-11-01", NULL, r4);
    thank(&f->t, f->ana, "2026-09-05", "email", r3); /* r3 and r1 thanked */

    /* Unthanked, oldest first; then thanked, oldest first. */
    listed(f->t.j, NULL, 4, r2, r4, r3, r1);
    referral_list_clear(NULL);

    struct referral_query q = {0};
    q.unthanked_only = 1;
    assert_int_equal(referral_list(f->t.j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.v[0].thanked + l.v[1].thanked, 0);
    referral_list_clear(&l);
    assert_int_equal(referral_count(f->t.j, &q, &n, &e), K_OK);
    assert_int_equal(n, 2);

    memset(&q, 0, sizeof q);
    q.referrer_id = f->ana;
    listed(f->t.j, &q, 2, r3, r1);

    memset(&q, 0, sizeof q);
    q.involving_id = f->ben; /* Ben referred r2 and is r4's target */
    assert_int_equal(referral_count(f->t.j, &q, &n, &e), K_OK);
    assert_int_equal(n, 2);
    q.involving_id = f->dana; /* r1's target, r4's referrer */
    listed(f->t.j, &q, 2, r4, r1);

    memset(&q, 0, sizeof q);
    q.offset = 1;
    q.limit = 2;
    listed(f->t.j, &q, 2, r4, r3);
    assert_int_equal(referral_count(f->t.j, &q, &n, &e), K_OK);
    assert_int_equal(n, 4); /* the window does not change the count */
    q.offset = 3;
    q.limit = 0;
    listed(f->t.j, &q, 1, r1);
    q.offset = 10;
    assert_int_equal(referral_list(f->t.j, &q, &l, &e), K_OK);
    assert_int_equal(l.n, 0);
    referral_list_clear(&l);
}

struct jsonbuf {
    char *doc[16];
    int n;
    int stop_after;
};

static int take_json(const char *json, void *ud)
{
    struct jsonbuf *b = ud;
    if (b->n < 16)
        b->doc[b->n++] = strdup(json);
    return b->stop_after && b->n >= b->stop_after;
}

static void jsonbuf_free(struct jsonbuf *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->doc[i]);
    memset(b, 0, sizeof *b);
}

/* referral_each_json with q gives one document, which holds part. */
static void json_one(struct journal *j, const struct referral_query *q, const char *part)
{
    struct jsonbuf b = {0};
    struct kerr e;
    assert_int_equal(referral_each_json(j, q, take_json, &b, &e), K_OK);
    assert_int_equal(b.n, 1);
    assert_non_null(strstr(b.doc[0], part));
    jsonbuf_free(&b);
}

static void test_json(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    struct jsonbuf b = {0};
    char r1[KID_LEN + 1], r2[KID_LEN + 1];
    char buf[256];
    refer(&f->t, f->ana, f->dana, NULL, "2026-09-01", NULL, r1);
    struct referral_input in = {0};
    in.referrer_id = f->ben;
    in.target_text = "Acme \"Labs\"\n";
    in.kind = "customer";
    in.date = tday("2026-10-01");
    in.parent_id = r1;
    in.note = "tab\there";
    assert_int_equal(referral_add(f->t.j, &in, r2, &e), K_OK);
    thank(&f->t, f->ana, "2026-09-02", "lunch", NULL);

    assert_int_equal(referral_each_json(f->t.j, NULL, take_json, &b, &e), K_OK);
    assert_int_equal(b.n, 2);
    /* r2 is unthanked, so it comes first. */
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"referrer\":\"Ben Okafor\",\"referrer_id\":\"%s\"",
             r2, f->ben);
    tassert_has(b.doc[0], buf, "\"target\":\"Acme \\\"Labs\\\"\"", "\"target_id\":null",
                "\"kind\":\"customer\"", "\"date\":\"2026-10-01\"", "\"outcome\":\"pending\"",
                "\"thanked\":false", "\"thanked_on\":null", NULL);
    snprintf(buf, sizeof buf, "\"parent\":\"%s\"", r1);
    assert_non_null(strstr(b.doc[0], buf));
    assert_non_null(strstr(b.doc[0], "\"note\":\"tab\\there\""));

    assert_non_null(strstr(b.doc[1], "\"target\":\"Dana Lee\""));
    snprintf(buf, sizeof buf, "\"target_id\":\"%s\"", f->dana);
    tassert_has(b.doc[1], buf, "\"thanked\":true", "\"thanked_on\":\"2026-09-02\"",
                "\"thanked_form\":\"lunch\"", "\"parent\":null", "\"note\":null", NULL);
    jsonbuf_free(&b);

    /* The callback stops the stream; queries and windows apply. */
    b.stop_after = 1;
    assert_int_equal(referral_each_json(f->t.j, NULL, take_json, &b, &e), K_OK);
    assert_int_equal(b.n, 1);
    jsonbuf_free(&b);
    struct referral_query q = {0};
    q.offset = 1;
    q.limit = 1;
    json_one(f->t.j, &q, "Dana Lee");
    q.offset = 0;
    q.limit = 0;
    q.unthanked_only = 1;
    json_one(f->t.j, &q, "Acme");

    /* Trail JSON: oldest first. */
    assert_int_equal(referral_trail_each_json(f->t.j, r2, take_json, &b, &e), K_OK);
    assert_int_equal(b.n, 2);
    assert_non_null(strstr(b.doc[0], r1));
    assert_non_null(strstr(b.doc[0], "\"thanked\":true"));
    assert_non_null(strstr(b.doc[1], "Acme"));
    jsonbuf_free(&b);
    assert_int_equal(
        referral_trail_each_json(f->t.j, "ffffffffffffffffffffffffffffffff", take_json, &b, &e),
        K_NOTFOUND);
    assert_int_equal(b.n, 0);
}

/* The referral id has outcome want, set on the date on (not checked when
 * NULL). */
static void outcome_is(struct journal *j, const char *id, enum koutcome want, const char *on)
{
    struct referral r;
    struct kerr e;
    assert_int_equal(referral_get(j, id, &r, &e), K_OK);
    assert_int_equal(r.outcome, want);
    if (on)
        assert_int_equal(r.outcome_on, tday(on));
    referral_clear(&r);
}

static void test_outcomes(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    refer(&f->t, f->ana, f->dana, NULL, "2026-10-01", NULL, id);

    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_MEETING, tday("2026-10-05"), NULL, &e),
                     K_OK);
    assert_int_equal(
        referral_set_outcome(f->t.j, id, KOUT_INTERVIEW, tday("2026-10-20"), "round 1", &e), K_OK);
    outcome_is(f->t.j, id, KOUT_INTERVIEW, "2026-10-20");

    /* A back-dated event joins the history without overriding the newer. */
    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_LOST, tday("2026-10-10"), NULL, &e),
                     K_OK);
    outcome_is(f->t.j, id, KOUT_INTERVIEW, NULL);

    /* KDATE_NONE is today. */
    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_HIRED, KDATE_NONE, NULL, &e), K_OK);
    outcome_is(f->t.j, id, KOUT_HIRED, "2026-11-22");

    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_WON, tday("2026-11-23"), NULL, &e),
                     K_USAGE);
    assert_non_null(strstr(e.msg, "in the future"));
    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_WON, tday("2026-09-30"), NULL, &e),
                     K_USAGE);
    assert_non_null(strstr(e.msg, "before the referral (2026-10-01)"));
    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_COUNT, KDATE_NONE, NULL, &e), K_USAGE);
    assert_int_equal(referral_set_outcome(f->t.j, id, KOUT_WON, KDATE_NONE, "\xff", &e), K_USAGE);
    assert_int_equal(referral_set_outcome(f->t.j, "ffffffffffffffffffffffffffffffff", KOUT_WON,
                                          KDATE_NONE, NULL, &e),
                     K_NOTFOUND);
    outcome_is(f->t.j, id, KOUT_HIRED, NULL);
}

static void test_trail_and_cycles(void **state)
{
    struct fx *f = *state;
    struct referral_list l;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], c[KID_LEN + 1], other[KID_LEN + 1];
    refer(&f->t, f->ana, f->ben, NULL, "2026-01-10", NULL, a);
    refer(&f->t, f->ben, f->dana, NULL, "2026-02-10", a, b);
    refer(&f->t, f->dana, NULL, "Globex, hired", "2026-03-10", b, c);
    refer(&f->t, f->ana, NULL, "Initech", "2026-03-10", NULL, other);

    assert_int_equal(referral_trail(f->t.j, c, &l, &e), K_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].id, a);
    assert_string_equal(l.v[1].id, b);
    assert_string_equal(l.v[2].id, c);
    assert_string_equal(l.v[1].parent, a);
    referral_list_clear(&l);
    assert_int_equal(referral_trail(f->t.j, a, &l, &e), K_OK);
    ids_are(&l, 1, a);
    assert_int_equal(referral_trail(f->t.j, "ffffffffffffffffffffffffffffffff", &l, &e),
                     K_NOTFOUND);
    referral_list_clear(&l);

    /* Loops are refused, whether direct or through the chain. */
    assert_kerr(referral_set_parent(f->t.j, a, a, &e), K_USAGE, &e, "loop");
    assert_string_equal(e.field, "parent");
    assert_kerr(referral_set_parent(f->t.j, a, c, &e), K_USAGE, &e, "loop");
    /* A later parent is refused too. */
    assert_kerr(referral_set_parent(f->t.j, b, other, &e), K_USAGE, &e, "later");
    assert_int_equal(referral_set_parent(f->t.j, a, "ffffffffffffffffffffffffffffffff", &e),
                     K_NOTFOUND);
    assert_int_equal(referral_set_parent(f->t.j, "ffffffffffffffffffffffffffffffff", a, &e),
                     K_NOTFOUND);

    /* Relinking and unlinking. */
    assert_int_equal(referral_set_parent(f->t.j, c, a, &e), K_OK);
    assert_int_equal(referral_trail(f->t.j, c, &l, &e), K_OK);
    ids_are(&l, 2, a, c);
    assert_int_equal(referral_set_parent(f->t.j, c, NULL, &e), K_OK);
    assert_int_equal(referral_trail(f->t.j, c, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].parent, "");
    referral_list_clear(&l);
    assert_int_equal(referral_set_parent(f->t.j, c, b, &e), K_OK);

    /* Deleting a middle link keeps the trail whole. */
    assert_int_equal(referral_delete(f->t.j, b, &e), K_OK);
    assert_int_equal(referral_trail(f->t.j, c, &l, &e), K_OK);
    ids_are(&l, 2, a, c);
    assert_int_equal(referral_delete(f->t.j, b, &e), K_NOTFOUND);
}

static void test_trail_survives_a_cycle_in_the_data(void **state)
{
    struct fx *f = *state;
    struct referral_list l;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1];
    refer(&f->t, f->ana, f->ben, NULL, "2026-01-10", NULL, a);
    refer(&f->t, f->ben, f->dana, NULL, "2026-01-10", a, b);
    /* As a merge of two journals could leave it. */
    sqlite3 *h;
    char sql[200];
    assert_int_equal(sqlite3_open(f->t.path, &h), SQLITE_OK);
    snprintf(sql, sizeof sql, "UPDATE referral SET parent_id = '%s' WHERE id = '%s'", b, a);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(referral_trail(f->t.j, b, &l, &e), K_OK);
    ids_are(&l, 2, a, b);
    assert_int_equal(referral_delete(f->t.j, a, &e), K_OK);
    assert_int_equal(referral_trail(f->t.j, b, &l, &e), K_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].parent, "");
    referral_list_clear(&l);
}

static void test_resolve(void **state)
{
    struct fx *f = *state;
    struct kerr e;
    char id[KID_LEN + 1], got[KID_LEN + 1], up[KID_LEN + 1];
    refer(&f->t, f->ana, f->dana, NULL, NULL, NULL, id);
    assert_int_equal(referral_resolve(f->t.j, id, got, &e), K_OK);
    assert_string_equal(got, id);
    snprintf(up, sizeof up, "%.8s", id);
    for (char *p = up; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_int_equal(referral_resolve(f->t.j, up, got, &e), K_OK);
    assert_string_equal(got, id);

    assert_int_equal(referral_resolve(f->t.j, "", got, &e), K_USAGE);
    assert_int_equal(referral_resolve(f->t.j, NULL, got, &e), K_USAGE);
    assert_kerr(referral_resolve(f->t.j, "abc", got, &e), K_USAGE, &e, "at least 4");
    assert_kerr(referral_resolve(f->t.j, "zz\x1b[31m", got, &e), K_USAGE, &e, "not a referral id");
    assert_null(strchr(e.msg, 0x1b));
    assert_int_equal(referral_resolve(f->t.j, "0123456789abcdef0123456789abcdef0", got, &e),
                     K_USAGE);
    char miss[KID_LEN + 1];
    snprintf(miss, sizeof miss, "%s", id);
    miss[0] = miss[0] == '0' ? '1' : '0';
    miss[8] = '\0';
    assert_int_equal(referral_resolve(f->t.j, miss, got, &e), K_NOTFOUND);

    /* Add referrals until two share a 4-digit prefix: ambiguous. */
    char(*ids)[KID_LEN + 1] = calloc(3000, sizeof *ids);
    int clash = -1;
    for (int i = 0; i < 3000 && clash < 0; i++) {
        refer(&f->t, f->ben, NULL, "Acme", "2026-01-01", NULL, ids[i]);
        for (int k = 0; k < i; k++)
            if (!strncmp(ids[k], ids[i], 4))
                clash = i;
    }
    assert_true(clash >= 0);
    char pre[5];
    snprintf(pre, sizeof pre, "%s", ids[clash]);
    assert_kerr(referral_resolve(f->t.j, pre, got, &e), K_USAGE, &e, "matches several referrals");
    assert_non_null(strstr(e.msg, "Ben Okafor -> Acme"));
    free(ids);
}

static void test_oldest_unthanked_and_deletes(void **state)
{
    struct fx *f = *state;
    struct referral r;
    struct kerr e;
    char a[KID_LEN + 1], b[KID_LEN + 1], got[KID_LEN + 1];
    refer(&f->t, f->ana, NULL, "Globex", "2026-11-01", NULL, a);
    refer(&f->t, f->ana, f->ben, NULL, "2026-10-01", NULL, b);
    assert_int_equal(referral_oldest_unthanked(f->t.j, f->ana, got, &e), K_OK);
    assert_string_equal(got, b);
    thank(&f->t, f->ana, "2026-10-15", "email", NULL);
    assert_int_equal(referral_oldest_unthanked(f->t.j, f->ana, got, &e), K_OK);
    assert_string_equal(got, a);
    thank(&f->t, f->ana, "2026-11-02", "email", a);
    assert_kerr(referral_oldest_unthanked(f->t.j, f->ana, got, &e), K_NOTFOUND, &e,
                "no unthanked referral");
    assert_int_equal(referral_oldest_unthanked(f->t.j, f->dana, got, &e), K_NOTFOUND);

    /* Deleting the target contact leaves the referral, named as it was. */
    assert_int_equal(contact_delete(f->t.j, f->ben, &e), K_OK);
    assert_int_equal(referral_get(f->t.j, b, &r, &e), K_OK);
    assert_string_equal(r.target.id, "");
    assert_string_equal(r.target_text, "Ben Okafor");
    referral_clear(&r);
    /* Deleting the referrer takes their referrals. */
    assert_int_equal(contact_delete(f->t.j, f->ana, &e), K_OK);
    assert_int_equal(referral_get(f->t.j, a, &r, &e), K_NOTFOUND);
}

static void test_readonly_journal(void **state)
{
    struct fx *f = *state;
    struct journal *ro = NULL;
    struct kerr e;
    char id[KID_LEN + 1];
    size_t n;
    assert_int_equal(journal_open(f->t.path, f->t.cfg, JOURNAL_READONLY, &ro, &e), K_OK);
    struct referral_input in = {0};
    in.referrer_id = f->ana;
    in.target_id = f->dana;
    in.date = KDATE_NONE;
    assert_kerr(referral_add(ro, &in, id, &e), K_ERR, &e, "read-only");
    struct thanks_input ti = {0};
    ti.contact_id = f->ana;
    ti.date = KDATE_NONE;
    assert_int_equal(thanks_add(ro, &ti, id, &e), K_ERR);
    assert_int_equal(referral_count(ro, NULL, &n, &e), K_OK);
    assert_int_equal(n, 0);
    journal_close(&ro);
}

/* The demo journal goes through these modules' rules: it must pass them and
 * show what it promises (thanked and unthanked links, a chain, a challenge in
 * progress). */
static void test_demo_journal(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    struct referral_list l;
    struct challenge c;
    if (demo_write(t->j, &e) != K_OK)
        fail_msg("demo_write: %s", e.msg);
    assert_int_equal(referral_list(t->j, NULL, &l, &e), K_OK);
    assert_true(l.n >= 5);
    assert_int_equal(l.v[0].thanked, 0);
    assert_int_equal(l.v[l.n - 1].thanked, 1);
    size_t longest = 0;
    for (size_t i = 0; i < l.n; i++) {
        struct referral_list tr;
        assert_int_equal(referral_trail(t->j, l.v[i].id, &tr, &e), K_OK);
        if (tr.n > longest)
            longest = tr.n;
        referral_list_clear(&tr);
    }
    assert_true(longest >= 3);
    referral_list_clear(&l);
    assert_int_equal(challenge_active(t->j, &c, &e), K_OK);
    assert_int_equal(c.day, 12);
    assert_int_equal(c.today_done, 0);
    assert_true(c.streak > 0);
    challenge_clear(&c);
}

/* A test run between setup and tj_teardown. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup, tj_teardown)

static const struct CMUnitTest tests[] = {
    FX_TEST(test_add_and_get),
    FX_TEST(test_add_errors),
    FX_TEST(test_thanked_rules),
    FX_TEST(test_list_order_filters_windows),
    FX_TEST(test_json),
    FX_TEST(test_outcomes),
    FX_TEST(test_trail_and_cycles),
    FX_TEST(test_trail_survives_a_cycle_in_the_data),
    FX_TEST(test_resolve),
    FX_TEST(test_oldest_unthanked_and_deletes),
    FX_TEST(test_readonly_journal),
    TJ_TEST(test_demo_journal),
};

TEST_MAIN(tests)
