/* The list's search count is made while kith waits for a key, after the
 * first window is shown: whatever keys, writes (here or by another
 * process) and interruptions come between, the rows shown are the full
 * query's rows at their row numbers, the rows seen while the count is
 * pending never pass the true count, and a count once in is exact. */
#include "testutil.h"

#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/tui/tui_list.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXC = 160, HEIGHT = 4 };

static const char *const words[] = {"carla", "carmen", "cargo", "career", "care", "zed", "ana"};

struct world {
    struct tjournal t;
    struct journal *other; /* another handle: "outside" writes */
    char ids[MAXC][KID_LEN + 1];
    size_t n;
    unsigned seed;
};

static unsigned rnd(struct world *w, unsigned n)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) % n;
}

static void add_contact(struct world *w, struct journal *j)
{
    struct contact_patch p;
    struct kerr e;
    char name[48];
    if (w->n == MAXC)
        return;
    contact_patch_init(&p);
    snprintf(name, sizeof name, "%s %s %03u", words[rnd(w, 7)], words[rnd(w, 7)], rnd(w, 1000));
    p.name = name;
    if (rnd(w, 3) == 0)
        p.company = words[rnd(w, 7)];
    if (contact_add(j, &p, w->ids[w->n], &e) != K_OK)
        fail_msg("contact_add: %s", e.msg);
    w->n++;
    contact_patch_clear(&p);
}

static const char *pick(struct world *w)
{
    return w->ids[rnd(w, (unsigned)w->n)];
}

static void log_one(struct world *w, struct journal *j)
{
    char summary[64];
    const char *who[1] = {pick(w)};
    snprintf(summary, sizeof summary, "%s talk about %s", words[rnd(w, 7)], words[rnd(w, 7)]);
    struct interaction_input in = {
        who, 1, "call", KDIR_MUTUAL, tday("2026-10-01") + (int)rnd(w, 50), summary, NULL};
    char id[KID_LEN + 1];
    struct kerr e;
    if (interaction_log(j, &in, id, &e) != K_OK)
        fail_msg("interaction_log: %s", e.msg);
}

static void write_one(struct world *w, struct journal *j)
{
    struct kerr e;
    unsigned what = rnd(w, 4);
    if (what == 0) {
        add_contact(w, j);
    } else if (what == 1 && w->n > 8) {
        size_t i = rnd(w, (unsigned)w->n);
        if (contact_delete(j, w->ids[i], &e) != K_OK)
            fail_msg("contact_delete: %s", e.msg);
        memmove(w->ids[i], w->ids[i + 1], (w->n - i - 1) * sizeof w->ids[0]);
        w->n--;
    } else if (what == 2) {
        struct contact_patch p;
        contact_patch_init(&p);
        p.archived = (int)rnd(w, 2);
        if (contact_edit(j, pick(w), &p, &e) != K_OK)
            fail_msg("contact_edit: %s", e.msg);
        contact_patch_clear(&p);
    } else {
        log_one(w, j);
    }
}

/* A key comes after this many asks (-1: none). */
static int countdown;
static int key_after(void *ud)
{
    (void)ud;
    return countdown >= 0 && countdown-- == 0;
}

/* What the list shows against the full query on the journal now. */
static void check(struct world *w, struct tui_list *l, size_t *exact_seen)
{
    struct contact_query q;
    struct contact_list all = {0};
    struct kerr e;
    size_t n, top, sel;
    tui_list_query(l, &q);
    q.limit = q.offset = 0;
    assert_int_equal(contact_count(w->t.j, &q, &n, &e), K_OK);
    assert_int_equal(contact_list(w->t.j, &q, &all, &e), K_OK);
    assert_int_equal(all.n, n);
    const struct contact_list *win = tui_list_window(l, &top, &sel);
    if (!tui_list_counting(l)) {
        assert_int_equal(tui_list_total(l), n);
        (*exact_seen)++;
    } else {
        /* The rows seen so far, a full pane of them, and more may come. */
        assert_true(tui_list_total(l) <= n);
        assert_int_equal(win->n, HEIGHT);
    }
    assert_true(win->n <= HEIGHT);
    assert_true(top + win->n <= n);
    for (size_t i = 0; i < win->n; i++)
        assert_string_equal(win->v[i].id, all.v[top + i].id);
    if (n) {
        assert_true(sel >= top && sel < top + win->n);
        assert_string_equal(tui_list_selected(l), all.v[sel].id);
    } else {
        assert_null(tui_list_selected(l));
    }
    contact_list_clear(&all);
}

static void reload(struct world *w, struct tui_list *l)
{
    struct kerr e;
    if (tui_list_reload(l, w->t.j, HEIGHT, &e) != K_OK)
        fail_msg("tui_list_reload: %s", e.msg);
}

static void run_world(unsigned seed, size_t *cuts, size_t *pending_seen, size_t *exact_seen,
                      size_t *ends)
{
    static const enum tui_action moves[] = {TUI_ACT_DOWN,      TUI_ACT_UP,  TUI_ACT_PAGE_DOWN,
                                            TUI_ACT_PAGE_UP,   TUI_ACT_TOP, TUI_ACT_BOTTOM,
                                            TUI_ACT_PAGE_DOWN, TUI_ACT_DOWN};
    static const char *const searches[] = {"c", "ca",  "car",     "carl", "care",    "career",
                                           "z", "zed", "ana car", "talk", "nothing", NULL};
    struct world w;
    struct kerr e;
    memset(&w, 0, sizeof w);
    w.seed = seed;
    tj_open(&w.t);
    if (journal_open(w.t.path, w.t.cfg, 0, &w.other, &e) != K_OK)
        fail_msg("journal_open: %s", e.msg);
    for (int i = 0; i < 60; i++)
        add_contact(&w, w.t.j);
    for (int i = 0; i < 60; i++)
        log_one(&w, w.t.j);
    struct tui_list *l = tui_list_new();
    reload(&w, l);
    check(&w, l, exact_seen);
    for (int round = 0; round < 300; round++) {
        unsigned what = rnd(&w, 10);
        if (what < 3) {
            tui_list_set_search(l, searches[rnd(&w, 12)]);
        } else if (what < 7) {
            enum tui_action a = moves[rnd(&w, 8)];
            *ends += a == TUI_ACT_BOTTOM && tui_list_counting(l);
            tui_list_move(l, a, HEIGHT);
        } else if (what == 7) {
            write_one(&w, w.t.j);
        } else if (what == 8) {
            write_one(&w, w.other);
        } else {
            tui_list_toggle_archived(l);
        }
        reload(&w, l);
        *pending_seen += tui_list_counting(l);
        check(&w, l, exact_seen);
        /* The wait for the next key: the count, cut by keys at random
         * points, and sometimes not run at all before the next key. */
        if (tui_list_counting(l) && rnd(&w, 3)) {
            countdown = (int)rnd(&w, 3);
            int rc = tui_list_count_step(l, w.t.j, key_after, NULL, &e);
            if (rc == K_INTERRUPTED) {
                (*cuts)++;
                assert_true(tui_list_counting(l));
            } else {
                assert_int_equal(rc, K_OK);
                assert_false(tui_list_counting(l));
            }
            /* A write by another process between the count and the next
             * frame: the reload counts again. */
            if (rnd(&w, 6) == 0)
                write_one(&w, w.other);
            reload(&w, l);
            check(&w, l, exact_seen);
        }
    }
    tui_list_free(&l);
    journal_close(&w.other);
    tj_close(&w.t);
}

static void test_deferred_count_exact(void **state)
{
    (void)state;
    size_t cuts = 0, pending = 0, exact = 0, ends = 0;
    for (unsigned seed = 1; seed <= 5; seed++)
        run_world(seed, &cuts, &pending, &exact, &ends);
    /* It proved something: counts were pending, cut, made, and End
     * pressed while one was pending. */
    assert_true(pending > 100);
    assert_true(cuts > 20);
    assert_true(exact > 500);
    assert_true(ends > 5);
}

/* A search shows its first rows without counting; the count comes in the
 * step, and a list shorter than the pane needs no count at all. */
static void test_window_first(void **state)
{
    struct tjournal *t = *state;
    struct kerr e;
    char id[KID_LEN + 1];
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "Carla %02d", i);
        tadd(t->j, name, id);
    }
    tadd(t->j, "Zed Zulu", id);
    struct tui_list *l = tui_list_new();
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_false(tui_list_counting(l));
    assert_int_equal(tui_list_total(l), 11);
    tui_list_set_search(l, "car");
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_true(tui_list_counting(l));
    assert_int_equal(tui_list_total(l), HEIGHT);
    /* A key waiting: nothing counted. */
    countdown = 0;
    assert_int_equal(tui_list_count_step(l, t->j, key_after, NULL, &e), K_INTERRUPTED);
    assert_true(tui_list_counting(l));
    /* PgDn while pending: the window that ends the list gives the count. */
    assert_true(tui_list_move(l, TUI_ACT_PAGE_DOWN, HEIGHT));
    assert_true(tui_list_move(l, TUI_ACT_PAGE_DOWN, HEIGHT));
    assert_true(tui_list_move(l, TUI_ACT_PAGE_DOWN, HEIGHT));
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_false(tui_list_counting(l));
    assert_int_equal(tui_list_total(l), 10);
    /* End while pending counts at once. */
    tui_list_set_search(l, "carla");
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_true(tui_list_counting(l));
    assert_true(tui_list_move(l, TUI_ACT_BOTTOM, HEIGHT));
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_false(tui_list_counting(l));
    size_t top, sel;
    const struct contact_list *win = tui_list_window(l, &top, &sel);
    assert_int_equal(sel, 9);
    assert_int_equal(top, 6);
    assert_string_equal(win->v[sel - top].name, "Carla 09");
    /* The step counts. */
    tui_list_set_search(l, "car");
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_true(tui_list_counting(l));
    assert_int_equal(tui_list_count_step(l, t->j, NULL, NULL, &e), K_OK);
    assert_false(tui_list_counting(l));
    assert_int_equal(tui_list_total(l), 10);
    /* Fewer rows than the pane: no count needed. */
    tui_list_set_search(l, "zed");
    assert_int_equal(tui_list_reload(l, t->j, HEIGHT, &e), K_OK);
    assert_false(tui_list_counting(l));
    assert_int_equal(tui_list_total(l), 1);
    tui_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deferred_count_exact),
        TJ_TEST(test_window_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
