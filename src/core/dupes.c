#include "kith/dupes.h"

#include "kith/contact.h"
#include "kith/db.h"
#include "kith/dbcontact.h"
#include "kith/dbdupes.h"
#include "kith/kstr.h"

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

/* The pairs found so far, keyed by both ids. */
struct found {
    struct dupes_list *l;
};

static struct dupes_pair *find_pair(struct found *f, const char *a, const char *b)
{
    for (size_t i = f->l->n; i-- > 0;) {
        struct dupes_pair *p = &f->l->v[i];
        if ((!strcmp(p->keep.id, a) && !strcmp(p->other.id, b)) ||
            (!strcmp(p->keep.id, b) && !strcmp(p->other.id, a)))
            return p;
    }
    return NULL;
}

static int add_pair(const char *a, const char *b, enum dbdupes_reason why, const char *detail,
                    void *ud)
{
    struct found *f = ud;
    struct dupes_pair *p = find_pair(f, a, b);
    if (p) {
        p->reasons |= (unsigned)why;
        return 0;
    }
    f->l->v = krealloc(f->l->v, (f->l->n + 1) * sizeof *f->l->v);
    p = &f->l->v[f->l->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->keep.id, sizeof p->keep.id, "%s", a);
    snprintf(p->other.id, sizeof p->other.id, "%s", b);
    p->reasons = (unsigned)why;
    p->detail = kstr_dup(detail);
    return 0;
}

/* One group of names with the same block word: pairs of alike names. */
struct block {
    struct found *f;
    int last; /* grouped by the last word: compare the first words */
    char word[128];
    struct {
        char id[KID_LEN + 1];
        long long key;
        char *name;
    } v[BLOCK_MAX];
    size_t n;
};

/* The first (or last) word of a folded name. */
static void word_of(const char *name, int last, char *out, size_t n)
{
    const char *s = name + strspn(name, " ");
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    const char *w = s, *we = s + len;
    if (last) {
        w = we;
        while (w > s && w[-1] != ' ')
            w--;
    } else {
        we = s;
        while (we < s + len && *we != ' ')
            we++;
    }
    snprintf(out, n, "%.*s", (int)(we - w), w);
}

static void compare_block(struct block *b)
{
    for (size_t i = 0; i < b->n; i++) {
        char wi[128];
        word_of(b->v[i].name, !b->last, wi, sizeof wi);
        for (size_t k = i + 1; k < b->n; k++) {
            char wk[128];
            /* Same family name, first names alike (or the other way). */
            word_of(b->v[k].name, !b->last, wk, sizeof wk);
            if (!strcmp(b->v[i].name, b->v[k].name) || !dupes_names_alike(wi, wk))
                continue;
            if (!strchr(b->v[i].name, ' ') || !strchr(b->v[k].name, ' '))
                continue; /* one word alone says too little */
            int older = b->v[i].key < b->v[k].key;
            add_pair(older ? b->v[i].id : b->v[k].id, older ? b->v[k].id : b->v[i].id,
                     DBDUPES_SIMILAR, older ? b->v[k].name : b->v[i].name, b->f);
        }
    }
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].name);
    b->n = 0;
}

static int on_name(const char *id, long long key, const char *name_fold, const char *block,
                   void *ud)
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
        b->n++;
    }
    return 0;
}

/* Strongest reason first, then the older pair. */
static int strongest(unsigned r)
{
    int i = 0;
    while (r && !(r & 1u)) {
        r >>= 1;
        i++;
    }
    return i;
}

static int cmp_pairs(const void *x, const void *y)
{
    const struct dupes_pair *a = x, *b = y;
    int sa = strongest(a->reasons), sb = strongest(b->reasons);
    if (sa != sb)
        return sa - sb;
    int c = strcmp(a->keep.name ? a->keep.name : "", b->keep.name ? b->keep.name : "");
    return c ? c : strcmp(a->other.id, b->other.id);
}

/* Names for display, and pairs whose LinkedIn profiles differ dropped. */
static int finish_pairs(struct journal *j, struct dupes_list *l, struct kerr *e)
{
    struct db *db = journal_db(j);
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct dupes_pair *p = &l->v[i];
        int distinct = 0;
        struct contact a, b;
        if (dbdupes_distinct(db, p->keep.id, p->other.id, &distinct, e) != K_OK)
            return K_ERR;
        if (distinct || dbcontact_get(db, p->keep.id, &a, e) != K_OK) {
            free(p->detail);
            continue;
        }
        if (dbcontact_get(db, p->other.id, &b, e) != K_OK) {
            contact_clear(&a);
            free(p->detail);
            continue;
        }
        p->keep.name = a.name;
        p->other.name = b.name;
        a.name = b.name = NULL;
        contact_clear(&a);
        contact_clear(&b);
        l->v[o++] = *p;
    }
    l->n = o;
    return K_OK;
}

int dupes_find(struct journal *j, size_t limit, struct dupes_list *out, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct found f = {out};
    struct block *b = kcalloc(1, sizeof *b);
    int rc;
    memset(out, 0, sizeof *out);
    b->f = &f;
    if ((rc = dbdupes_same(db, add_pair, &f, e)) != K_OK)
        goto out;
    /* Alike first names with the same family name, then alike family
     * names with the same first name. */
    for (int last = 1; last >= 0; last--) {
        b->last = last;
        b->word[0] = '\0';
        if ((rc = dbdupes_names(db, last, on_name, b, e)) != K_OK)
            goto out;
        compare_block(b);
    }
    if ((rc = finish_pairs(j, out, e)) != K_OK)
        goto out;
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_pairs);
    if (limit && out->n > limit) {
        for (size_t i = limit; i < out->n; i++) {
            free(out->v[i].keep.name);
            free(out->v[i].other.name);
            free(out->v[i].detail);
        }
        out->n = limit;
        out->more = 1;
    }
out:
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].name);
    free(b);
    if (rc != K_OK)
        dupes_list_clear(out);
    return rc;
}

int dupes_merge(struct journal *j, const char *keep, const char *other, int force,
                struct dupes_moved *m, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct contact k = {0}, o = {0};
    struct dbdupes_moved dm;
    int rc, distinct = 0, recording = 0;
    memset(m, 0, sizeof *m);
    if (!strcmp(keep, other))
        return kerr_set(e, K_USAGE, "that is one contact twice; name two contacts");
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbdupes_record(db, e)) != K_OK)
        goto out;
    recording = 1;
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
    if (rc != K_OK)
        db_rollback(db);
    if (recording)
        dbdupes_recorded(db, rc == K_OK, other);
    contact_clear(&k);
    contact_clear(&o);
    return rc;
}

int dupes_undo(struct journal *j, char id[KID_LEN + 1], struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if (!dbdupes_can_undo(db))
        return kerr_set(e, K_NOTFOUND, "nothing to undo");
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbdupes_undo(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    else
        dbdupes_forget(db);
    return rc;
}
