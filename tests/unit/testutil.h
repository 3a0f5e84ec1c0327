/* Shared helpers for the cmocka unit tests. */
#ifndef KITH_TESTUTIL_H
#define KITH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "kith/core/card.h"
#include "kith/config/config.h"
#include "kith/core/interaction.h"
#include "kith/core/contact.h"
#include "kith/core/journal.h"

/* A fresh journal in a new temporary directory, with the default config and
 * today pinned to 2026-11-22. */
struct tjournal {
    char dir[256];
    char path[300];
    struct config *cfg;
    struct journal *j;
};

void tj_open(struct tjournal *t);
void tj_close(struct tjournal *t);
/* cmocka setup and teardown: *state is a struct tjournal of its own.
 * tj_teardown also ends a fixture allocated with calloc whose first member
 * is its struct tjournal. */
int tj_setup(void **state);
int tj_teardown(void **state);
/* A test run with tj_setup and tj_teardown. */
#define TJ_TEST(f) cmocka_unit_test_setup_teardown(f, tj_setup, tj_teardown)

/* The main() of a test file: runs the array tests as one group.
 * TEST_MAIN_GROUP runs setup before the first test and teardown after the
 * last (either may be NULL). KITH_TEST_FILTER (a name, * and ? as
 * wildcards) runs only the tests it matches. */
#define TEST_MAIN(tests) TEST_MAIN_GROUP(tests, NULL, NULL)
#define TEST_MAIN_GROUP(tests, setup, teardown)                                                    \
    int main(void)                                                                                 \
    {                                                                                              \
        if (getenv("KITH_TEST_FILTER"))                                                            \
            cmocka_set_test_filter(getenv("KITH_TEST_FILTER"));                                    \
        return cmocka_run_group_tests(tests, setup, teardown);                                     \
    }
/* A group setup that sets the character type to C.UTF-8, as on a user's
 * UTF-8 terminal, for tests of text that is not ASCII. */
int tutf8_setup(void **state);

/* A new empty temporary directory. tdir_setup and tdir_teardown are a
 * cmocka setup and teardown whose *state is a struct tdir of its own,
 * removed with its contents after the test. */
struct tdir {
    char dir[256];
};
void tdir_make(struct tdir *t);
int tdir_setup(void **state);
int tdir_teardown(void **state);
/* A test run with tdir_setup and tdir_teardown. */
#define TDIR_TEST(f) cmocka_unit_test_setup_teardown(f, tdir_setup, tdir_teardown)
/* dir/name in a new string (free()). */
char *tpath(const struct tdir *t, const char *name);

/* assert_kerr(CALL, WANT, &e, PART): CALL returns the status WANT and leaves
 * PART (any message when NULL) in e.msg. */
#define assert_kerr(call, want, e, part)                                                           \
    tassert_kerr((call), (want), (e), (part), __FILE__, __LINE__)
void tassert_kerr(int rc, int want, const struct kerr *e, const char *part, const char *file,
                  int line);

/* tassert_has(text, part, part, ..., NULL): text holds each part (a
 * failed check naming the part it lacks when not). */
void tassert_has(const char *text, ...);

/* The n items of list, each the text at(list, i) gives, joined with commas
 * ("a,b,c"), are want; a failure names what and shows both. */
void tassert_joined(const void *list, size_t n, const char *(*at)(const void *list, size_t i),
                    const char *want, const char *what);

/* Inserts the contact id named name straight into the store (inside the
 * caller's transaction, if any); fails the test when it cannot. */
void tinsert_contact(struct db *db, const char *id, const char *name);
/* Adds a contact with only a name (id may be NULL); fails the test when
 * contact_add refuses. */
void tadd(struct journal *j, const char *name, char id[KID_LEN + 1]);
/* A patch (contact_patch_init) for a contact named name: set more of it,
 * then tadd_patch. */
struct contact_patch tpatch(const char *name);
/* Adds the contact p describes and clears p; asserts contact_add's K_OK
 * (showing its message when not). id may be NULL. */
void tadd_patch(struct journal *j, struct contact_patch *p, char id[KID_LEN + 1]);
/* tadd_each(j, name, id, name, id, ..., NULL): a contact with only a name
 * for each pair (an id may be NULL), each asserted as tadd_patch does. */
void tadd_each(struct journal *j, ...);
/* Logs an interaction with ids[0..n-1]: date NULL is none, summary may be
 * NULL, out (the new id) may be NULL. tlogi_try returns interaction_log's
 * status and fills *e; tlogi fails the test when it is not K_OK. */
int tlogi_try(struct journal *j, const char *const *ids, size_t n, const char *kind, enum kdir dir,
              const char *date, const char *summary, char out[KID_LEN + 1], struct kerr *e);
void tlogi(struct journal *j, const char *const *ids, size_t n, const char *kind, enum kdir dir,
           const char *date, const char *summary, char out[KID_LEN + 1]);
/* Day number of an ISO date; fails the test when s is not one. */
int tday(const char *s);
/* Removes a directory tree created by the tests. */
void trm_rf(const char *dir);

struct sqlite3;
/* Raw SQLite on a journal file, bypassing kith: run SQL (fails the test
 * on error), or read the first column of the first row as an integer. */
void traw_exec(const char *path, const char *sql);
long long traw_int(const char *path, const char *sql);
/* The same on a connection already open. */
long long tsql_int(struct sqlite3 *h, const char *sql);
/* The whole file (free()), its size in *n; NULL when it does not exist. */
char *tslurp(const char *path, size_t *n);

/* JSON checks through SQLite's JSON functions. path is a JSON path such as
 * "$.tags" or "$.contacts[0].name". The text results live in a static
 * buffer until the next call. */
int tjson_valid(const char *json);
/* json_type(): "object", "array", "text", "integer", "true", "false",
 * "null", or "" when the path is absent. */
const char *tjson_type(const char *json, const char *path);
/* json_extract() as text ("" for null or absent). */
const char *tjson_text(const char *json, const char *path);
long long tjson_int(const char *json, const char *path);
/* json_array_length() at path. */
long long tjson_len(const char *json, const char *path);
/* tjson_texts(json, path, text, path, text, ..., NULL): tjson_text at each
 * path is the text that follows it; tjson_types likewise with tjson_type. */
void tjson_texts(const char *json, ...);
void tjson_types(const char *json, ...);
/* A JSON callback that appends each document to the struct sbuf at ud, one
 * a line; it never stops the walk. */
int tjson_lines(const char *json, void *ud);

/* What a parser (kith/core/vcard.h, kith/core/csv.h) handed over: the cards, moved
 * out of the parser, and each problem with its bytes. tcards_init sets up
 * t->o (file names the input); tcards_clear frees everything. */
#define TCARDS_MAX 64
struct tcards {
    struct contact v[TCARDS_MAX];
    size_t n;
    struct {
        enum card_level level;
        int line;
        char msg[512];
        char *raw;
    } p[TCARDS_MAX];
    size_t np;
    size_t empty;
    struct card_opts o;
};
void tcards_init(struct tcards *t, const char *file);
void tcards_clear(struct tcards *t);
/* cmocka setup and teardown whose *state is a struct tcards of its own,
 * zeroed (a test sets it up with tcards_init or tcards_fixture), cleared and
 * freed after the test. */
int tcards_setup(void **state);
int tcards_teardown(void **state);
/* A test run with tcards_setup and tcards_teardown. */
#define TCARDS_TEST(f) cmocka_unit_test_setup_teardown(f, tcards_setup, tcards_teardown)
/* tassert_labelled(&c->emails, &c->email_labels, value, label, ..., NULL):
 * a contact's emails (phones, links) are the values given, in their order,
 * each with the label that follows it ("" for none). */
void tassert_labelled(const struct kstrlist *values, const struct kstrlist *labels, ...);
/* The message of the first problem of level at line, or NULL. */
const char *tcards_problem(const struct tcards *t, enum card_level level, int line);
/* tcards_names(t, name, name, ..., NULL): t holds exactly the cards named,
 * in their order. */
void tcards_names(const struct tcards *t, ...);
/* The card named name, or NULL; tcards_must fails the test instead. */
const struct contact *tcards_named(const struct tcards *t, const char *name);
const struct contact *tcards_must(const struct tcards *t, const char *name);
/* tests/fixtures/rel in a new buffer (free()), its size in *n. */
char *tfixture(const char *rel, size_t *n);
/* tcards_init(t, name), then tests/fixtures/dir/name in a new buffer
 * (free()), its size in *n. */
char *tcards_fixture(struct tcards *t, const char *dir, const char *name, size_t *n);
/* A writer that appends the n bytes at s to the struct sbuf at ud. */
int tsbuf_write(const char *s, size_t n, void *ud);

#endif
