#include "kith/core/dupes.h"

#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbcontact.h"
#include "kith/store/dbdupes.h"
#include "kith/core/history.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A group of names with the same first (or last) word compares every
 * pair; past this many members the rest of a group is left out (a
 * journal of Smiths), which bounds the work at a few hundred thousand
 * comparisons a group. */
#define BLOCK_MAX 400

const char *dupes_reason_name(enum dupes_reason r)
{
    switch (r) {
    case DUPES_EMAIL:
        return "email";
    case DUPES_PHONE:
        return "phone";
    case DUPES_NAME_COMPANY:
        return "name and company";
    case DUPES_NAME:
        return "name";
    case DUPES_SIMILAR:
        return "similar name";
    }
    return "?";
}

void dupes_list_clear(struct dupes_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].keep.name);
        free(l->v[i].other.name);
        free(l->v[i].detail);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Edit distance of a and b with a swap of two neighbours counting one
 * (jonh, john), or max + 1 when it is more than max. */
static size_t distance(const char *a, const char *b, size_t max)
{
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > max || n >= 32 || m >= 32)
        return max + 1;
    size_t d[33][33];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m] > max ? max + 1 : d[n][m];
}

/* Usual English short forms that do not begin like the name. */
static const char *const nick[][2] = {
    {"bob", "robert"},      {"bobby", "robert"},   {"bill", "william"},    {"billy", "william"},
    {"liz", "elizabeth"},   {"beth", "elizabeth"}, {"betty", "elizabeth"}, {"kate", "katherine"},
    {"katie", "katherine"}, {"jim", "james"},      {"jimmy", "james"},     {"mike", "michael"},
    {"dave", "david"},      {"tom", "thomas"},     {"joe", "joseph"},      {"tony", "anthony"},
    {"andy", "andrew"},     {"dick", "richard"},   {"rick", "richard"},    {"ted", "edward"},
    {"jack", "john"},       {"peggy", "margaret"}, {"maggie", "margaret"}, {"sue", "susan"},
    {"harry", "henry"},     {"chuck", "charles"},  {"charlie", "charles"}, {"jen", "jennifer"},
};

static int prefix_of(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n >= 2 && n < strlen(b) && !strncmp(a, b, n);
}

int dupes_names_alike(const char *a, const char *b)
{
    if (!*a || !*b || !strcmp(a, b))
        return 0;
    size_t la = strlen(a), lb = strlen(b);
    /* "J." or "J" for John. */
    if ((la <= 2 && (la == 1 || a[1] == '.') && a[0] == b[0]) ||
        (lb <= 2 && (lb == 1 || b[1] == '.') && a[0] == b[0]))
        return 1;
    if ((la >= 3 && prefix_of(a, b)) || (lb >= 3 && prefix_of(b, a)))
        return 1;
    for (size_t i = 0; i < sizeof nick / sizeof nick[0]; i++)
        if ((!strcmp(a, nick[i][0]) && !strcmp(b, nick[i][1])) ||
            (!strcmp(b, nick[i][0]) && !strcmp(a, nick[i][1])))
            return 1;
    size_t shorter = la < lb ? la : lb;
    /* A letter more or less (Jon, John); a letter changed only in longer
     * names (Tim and Tom are two people). */
    if (shorter >= 3 && la != lb && distance(a, b, 1) <= 1)
        return 1;
    return shorter >= 4 && distance(a, b, shorter >= 8 ? 2 : 1) <= (shorter >= 8 ? 2u : 1u);
}

/* The pairs as they are found: the same pair may come for several
 * reasons; they are merged once all are in. */
struct found {
    struct dupes_list *l;
};

static int add_pair(const char *a, const char *b, enum dbdupes_reason why, const char *detail,
                    void *ud)
{
    struct found *f = ud;
    f->l->v = kgrowarray(f->l->v, f->l->n, sizeof *f->l->v);
    struct dupes_pair *p = &f->l->v[f->l->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->keep.id, sizeof p->keep.id, "%s", a);
    snprintf(p->other.id, sizeof p->other.id, "%s", b);
    p->reasons = (unsigned)why;
    p->detail = kstr_dup(detail);
    return 0;
}

#define WORDS_MAX 8

/* Splits a folded name into its words (at most WORDS_MAX, each at most
 * 63 bytes); their number, or 0 when the name has more or longer ones. */
static size_t words_of(const char *name, char w[WORDS_MAX][64])
{
    size_t n = 0;
    for (const char *p = name; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        if (n == WORDS_MAX || len >= 64)
            return 0;
        memcpy(w[n], p, len);
        w[n++][len] = '\0';
        p += len;
    }
    return n;
}

/* Two names of the same words but one, and that one alike (Jon and John
 * Smith, Ana R. and Ana Ruiz); a word with a digit in it is never alike
 * another ("Desk 1" and "Desk 2" are two). */
static int names_similar(const char *x, const char *y)
{
    char wx[WORDS_MAX][64], wy[WORDS_MAX][64];
    size_t nx = words_of(x, wx), ny = words_of(y, wy);
    if (nx < 2 || nx != ny)
        return 0;
    int diff = -1;
    for (size_t i = 0; i < nx; i++) {
        if (strcmp(wx[i], wy[i])) {
            if (diff >= 0)
                return 0;
            diff = (int)i;
        }
    }
    if (diff < 0 || strpbrk(wx[diff], "0123456789") || strpbrk(wy[diff], "0123456789"))
        return 0;
    return dupes_names_alike(wx[diff], wy[diff]);
}

/* One group of names with the same first or last word. */
struct block {
    struct found *f;
    int with_arrival; /* only pairs that hold an arrival */
    char word[128];
    struct {
        char id[KID_LEN + 1];
        long long key;
        char *name;
        int arrived;
    } v[BLOCK_MAX];
    size_t n;
};

static void compare_block(struct block *b)
{
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = i + 1; k < b->n; k++) {
            if ((b->with_arrival && !b->v[i].arrived && !b->v[k].arrived) ||
                !names_similar(b->v[i].name, b->v[k].name))
                continue;
            int older = b->v[i].key < b->v[k].key;
            add_pair(older ? b->v[i].id : b->v[k].id, older ? b->v[k].id : b->v[i].id,
                     DBDUPES_SIMILAR, NULL, b->f);
        }
    }
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].name);
    b->n = 0;
}

static int on_name(const char *id, long long key, const char *name_fold, const char *block,
                   int arrived, void *ud)
{
    struct block *b = ud;
    if (strcmp(block, b->word)) {
        compare_block(b);
        snprintf(b->word, sizeof b->word, "%s", block);
    }
    if (b->n < BLOCK_MAX && *block) {
        snprintf(b->v[b->n].id, sizeof b->v[b->n].id, "%s", id);
        b->v[b->n].key = key;
        b->v[b->n].name = kstr_dup(name_fold);
        b->v[b->n].arrived = arrived;
        b->n++;
    }
    return 0;
}

/* The lowest reason bit: 0 for email, up to 4 for similar names. */
static int strongest(unsigned r)
{
    int i = 0;
    while (r && !(r & 1u)) {
        r >>= 1;
        i++;
    }
    return i;
}

static int cmp_ids(const void *x, const void *y)
{
    const struct dupes_pair *a = x, *b = y;
    int c = strcmp(a->keep.id, b->keep.id);
    return c ? c : strcmp(a->other.id, b->other.id);
}

/* Strongest reason first, then by name. */
static int cmp_pairs(const void *x, const void *y)
{
    const struct dupes_pair *a = x, *b = y;
    int sa = strongest(a->reasons), sb = strongest(b->reasons);
    if (sa != sb)
        return sa - sb;
    int c = strcmp(a->keep.name ? a->keep.name : "", b->keep.name ? b->keep.name : "");
    return c ? c : cmp_ids(a, b);
}

/* One entry per pair, with every reason; the detail of the strongest. */
static void merge_same(struct dupes_list *l)
{
    if (!l->n)
        return;
    qsort(l->v, l->n, sizeof *l->v, cmp_ids);
    size_t o = 0;
    for (size_t i = 1; i < l->n; i++) {
        struct dupes_pair *keep = &l->v[o], *p = &l->v[i];
        if (cmp_ids(keep, p)) {
            l->v[++o] = *p;
            continue;
        }
        if (strongest(p->reasons) < strongest(keep->reasons) && p->detail) {
            free(keep->detail);
            keep->detail = p->detail;
            p->detail = NULL;
        }
        keep->reasons |= p->reasons;
        free(p->detail);
    }
    l->n = o + 1;
}

static void drop_pair(struct dupes_pair *p)
{
    free(p->keep.name);
    free(p->other.name);
    free(p->detail);
}

/* Names for display and order; then, strongest first, the pairs whose
 * LinkedIn profiles do not differ, up to limit. */
static int finish_pairs(struct journal *j, struct dupes_list *l, size_t limit, struct kerr *e)
{
    struct db *db = journal_db(j);
    for (size_t i = 0; i < l->n; i++)
        if (dbdupes_name(db, l->v[i].keep.id, &l->v[i].keep.name, e) != K_OK ||
            dbdupes_name(db, l->v[i].other.id, &l->v[i].other.name, e) != K_OK)
            return K_ERR;
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_pairs);
    size_t o = 0, i = 0;
    for (; i < l->n; i++) {
        struct dupes_pair *p = &l->v[i];
        int distinct = 0;
        if (dbdupes_distinct(db, p->keep.id, p->other.id, &distinct, e) != K_OK)
            return K_ERR;
        if (distinct) {
            drop_pair(p);
            continue;
        }
        if (limit && o == limit) {
            l->more = 1;
            break;
        }
        l->v[o++] = *p;
    }
    for (; i < l->n; i++)
        drop_pair(&l->v[i]);
    l->n = o;
    return K_OK;
}

/* dupes_find, or (arrived) dupes_find_arrived's search. */
static int find(struct journal *j, int arrived, size_t limit, struct dupes_list *out,
                struct kerr *e)
{
    struct db *db = journal_db(j);
    struct found f = {out};
    struct block *b = kcalloc(1, sizeof *b);
    int rc;
    memset(out, 0, sizeof *out);
    b->f = &f;
    b->with_arrival = arrived;
    if ((rc = dbdupes_same(db, arrived, add_pair, &f, e)) != K_OK)
        goto out;
    /* Names alike but for one word: grouped by their first word, then by
     * their last, so that each pair shares a group. */
    for (int last = 1; last >= 0; last--) {
        b->word[0] = '\0';
        if ((rc = dbdupes_names(db, last, arrived, on_name, b, e)) != K_OK)
            goto out;
        compare_block(b);
    }
    merge_same(out);
    rc = finish_pairs(j, out, limit, e);
out:
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].name);
    free(b);
    if (rc != K_OK)
        dupes_list_clear(out);
    return rc;
}

int dupes_find(struct journal *j, size_t limit, struct dupes_list *out, struct kerr *e)
{
    return find(j, 0, limit, out, e);
}

int dupes_arrivals_begin(struct journal *j, struct kerr *e)
{
    return dbdupes_arrivals_begin(journal_db(j), e);
}

void dupes_arrivals_end(struct journal *j)
{
    dbdupes_arrivals_end(journal_db(j));
}

int dupes_find_arrived(struct journal *j, size_t limit, size_t *arrived, struct dupes_list *out,
                       struct kerr *e)
{
    int others = 0;
    memset(out, 0, sizeof *out);
    *arrived = 0;
    if (dbdupes_arrivals(journal_db(j), arrived, &others, e) != K_OK)
        return K_ERR;
    return *arrived && others ? find(j, 1, limit, out, e) : K_OK;
}

int dupes_merge(struct journal *j, const char *keep, const char *other, int force,
                struct dupes_moved *m, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct contact k = {0}, o = {0};
    struct dbdupes_moved dm;
    int rc, distinct = 0;
    memset(m, 0, sizeof *m);
    if (!strcmp(keep, other))
        return kerr_set(e, K_USAGE, "that is one contact twice; name two contacts");
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbcontact_get(db, keep, &k, e)) != K_OK ||
        (rc = dbcontact_get(db, other, &o, e)) != K_OK ||
        (rc = dbdupes_distinct(db, keep, other, &distinct, e)) != K_OK)
        goto out;
    if (distinct && !force) {
        rc = kerr_set(e, K_USAGE,
                      "%s and %s have different LinkedIn profiles: two people, it seems "
                      "(--force merges them anyway)",
                      k.name, o.name);
        goto out;
    }
    history_label(j, "merged %s into %s", o.name, k.name);
    contact_absorb(&k, &o, CONTACT_ABSORB_NAME | CONTACT_ABSORB_NOTES);
    /* other goes first: its UIDs are keep's only once it has none. */
    if ((rc = dbdupes_move(db, keep, other, &dm, e)) != K_OK ||
        (rc = dbcontact_update(db, &k, e)) != K_OK)
        goto out;
    rc = db_commit(db, e);
    m->interactions = dm.interactions;
    m->referrals = dm.referrals;
    m->thanks = dm.thanks;
out:
    if (rc != K_OK) {
        db_rollback(db);
        history_label_clear(j);
    }
    contact_clear(&k);
    contact_clear(&o);
    return rc;
}
