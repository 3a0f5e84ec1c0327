#include "kith/config/config.h"

#include "kith/util/kfile.h"
#include "kith/util/kstr.h"
#include "kith/config/kyaml.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* config.example.yaml, generated into the build tree by config.cmake so that
 * the defaults cannot drift from the documented file. */
extern const char kith_config_example[];

#define CONFIG_FILE_MAX (1 << 20)
#define DAYS_MAX        3650
#define WEIGHT_MAX      100
#define BELOW_MAX       1000000
#define TEXT_MAX        1000
#define WORD_MAX        40

static const char *const priority_names[] = {"high", "normal", "low"};
static const char *const template_fields[] = {"contact", "referrer", "target", "days",
                                              "kind",    "date",     "since",  "referral"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The template fields, as bits, and which of them each trigger fills in. */
enum {
    TF_CONTACT = 1u << 0,
    TF_REFERRER = 1u << 1,
    TF_TARGET = 1u << 2,
    TF_DAYS = 1u << 3,
    TF_KIND = 1u << 4,
    TF_DATE = 1u << 5,
    TF_SINCE = 1u << 6,
    TF_REFERRAL = 1u << 7,
};
static const unsigned trigger_fields[KTRIGGER_COUNT] = {
    [CONFIG_ON_REFERRAL] =
        TF_CONTACT | TF_REFERRER | TF_TARGET | TF_DAYS | TF_KIND | TF_DATE | TF_REFERRAL,
    [CONFIG_ON_INTERACTION] = TF_CONTACT | TF_DAYS | TF_KIND | TF_DATE,
    [CONFIG_ON_SILENCE] = TF_CONTACT | TF_DAYS | TF_DATE | TF_SINCE,
    [CONFIG_ON_BIRTHDAY] = TF_CONTACT | TF_DAYS | TF_DATE,
    [CONFIG_ON_GOODWILL] = TF_CONTACT | TF_DAYS | TF_DATE,
    [CONFIG_ON_CHALLENGE] = TF_DAYS | TF_DATE,
};

const char *config_trigger_name(enum config_trigger t)
{
    return (unsigned)t < NELEM(ktrigger_names) ? ktrigger_names[t] : "?";
}

const char *config_priority_name(enum config_priority p)
{
    return (unsigned)p < NELEM(priority_names) ? priority_names[p] : "?";
}

const char *config_example_text(void)
{
    return kith_config_example;
}

/* ---- problems ---------------------------------------------------------- */

struct problem {
    size_t line, col, seq;
    char *text;
};

/* One parse: the document being read and every problem found so far.
 * Sections are applied in a fixed order (kinds before rules), so problems
 * are sorted by position before they are reported. */
struct loader {
    const char *name;
    yaml_document_t *doc;
    struct config *c;
    struct problem *v;
    size_t n;
};

static void problem_at(struct loader *L, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem_at(struct loader *L, yaml_mark_t m, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    L->v = kgrowarray(L->v, L->n, sizeof *L->v);
    L->v[L->n] = (struct problem){m.line + 1, m.column + 1, L->n, kstr_dup(buf)};
    L->n++;
}

static int problem_cmp(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves the problems into e, one per line, as many as fit. */
static int report(struct loader *L, struct kerr *e)
{
    struct sbuf b = {0};
    size_t shown = 0;
    qsort(L->v, L->n, sizeof *L->v, problem_cmp);
    for (size_t i = 0; i < L->n; i++) {
        char line[800];
        int len = snprintf(line, sizeof line, "%s%s:%zu:%zu: %s", i ? "\n" : "", L->name,
                           L->v[i].line, L->v[i].col, L->v[i].text);
        /* Keep room for the line that counts the rest. */
        if (b.len + (size_t)len + 48 >= KERR_MSG_MAX)
            break;
        sbuf_add(&b, line);
        shown++;
    }
    if (shown < L->n)
        sbuf_printf(&b, "\n%s: ... and %zu more problems", L->name, L->n - shown);
    int rc = kerr_set(e, K_USAGE, "%s", b.s ? b.s : "");
    sbuf_free(&b);
    return rc;
}

/* Quotes user text for a message: escaped, and cut when long. */
static void quote(char *out, size_t n, const char *s)
{
    char *esc = kstr_escape(s);
    if (strlen(esc) > 60) {
        size_t cut = 57;
        while (cut && ((unsigned char)esc[cut] & 0xC0) == 0x80)
            cut--;
        snprintf(out, n, "%.*s...", (int)cut, esc);
    } else {
        snprintf(out, n, "%s", esc);
    }
    free(esc);
}

static void join(char *out, size_t n, const char *const *v, size_t nv, const char *pre,
                 const char *post)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nv && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s%s%s", i ? ", " : "", pre, v[i], post);
}

/* "unknown X 'v' WHERE; did you mean 'w'?" or "... (expected one of ...)". */
static void unknown_word(struct loader *L, yaml_mark_t m, const char *what, const char *where,
                         const char *s, const char *const *cands, size_t n)
{
    char q[256], all[512];
    quote(q, sizeof q, s);
    const char *near = kstr_nearest(s, cands, n);
    if (near) {
        problem_at(L, m, "unknown %s '%s'%s%s; did you mean '%s'?", what, q, where ? " in " : "",
                   where ? where : "", near);
    } else {
        join(all, sizeof all, cands, n, "", "");
        problem_at(L, m, "unknown %s '%s'%s%s (expected one of: %s)", what, q, where ? " in " : "",
                   where ? where : "", all);
    }
}

/* ---- nodes ------------------------------------------------------------- */

static yaml_node_t *node(struct loader *L, int id)
{
    return yaml_document_get_node(L->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int is_plain(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int is_null(const yaml_node_t *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    if (!is_plain(n))
        return 0;
    for (size_t i = 0; i < NELEM(nulls); i++)
        if (!strcmp(scalar(n), nulls[i]))
            return 1;
    return 0;
}

/* A whole number; ones too long to hold come out as LONG_MIN or LONG_MAX so
 * that they fail the range check rather than the type check. */
static int parse_long(const char *s, long *out)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t n = strlen(p);
    if (!n || strspn(p, "0123456789") != n)
        return 0;
    if (n > 15)
        *out = *s == '-' ? LONG_MIN : LONG_MAX;
    else
        *out = strtol(s, NULL, 10);
    return 1;
}

/* What a node is, in words, for "found ..." in messages. */
static const char *shape(const yaml_node_t *n)
{
    long v;
    if (!n || is_null(n))
        return "nothing";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (is_plain(n) && parse_long(scalar(n), &v))
        return "a number";
    if (is_plain(n) && (!strcmp(scalar(n), "true") || !strcmp(scalar(n), "false")))
        return "true/false";
    return "text";
}

struct field {
    const char *key;
    yaml_node_t *k, *v;
};

/* Matches the keys of mapping n against f, reporting unknown and repeated
 * keys. 0 (with a problem reported) when n is not a mapping. */
static int walk_map(struct loader *L, yaml_node_t *n, struct field *f, size_t nf, const char *where)
{
    if (n->type != YAML_MAPPING_NODE) {
        problem_at(L, n->start_mark, "%s should be a mapping (key: value), found %s", where,
                   shape(n));
        return 0;
    }
    const char *keys[32];
    for (size_t i = 0; i < nf && i < NELEM(keys); i++)
        keys[i] = f[i].key;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *ks = scalar(k);
        if (!ks) {
            problem_at(L, k->start_mark, "the keys of %s should be words, found %s", where,
                       shape(k));
            continue;
        }
        size_t i = 0;
        while (i < nf && strcmp(ks, f[i].key))
            i++;
        if (i == nf) {
            unknown_word(L, k->start_mark, "key", where, ks, keys, nf);
        } else if (f[i].k) {
            problem_at(L, k->start_mark, "'%s' is given twice in %s (first on line %zu)", ks, where,
                       f[i].k->start_mark.line + 1);
        } else {
            f[i].k = k;
            f[i].v = v;
        }
    }
    return 1;
}

static int get_int(struct loader *L, yaml_node_t *n, const char *what, long lo, long hi, int *out)
{
    long v;
    if (!is_plain(n) || !parse_long(scalar(n), &v)) {
        if (scalar(n) && parse_long(scalar(n), &v))
            problem_at(L, n->start_mark, "%s should be a whole number without quotes", what);
        else
            problem_at(L, n->start_mark, "%s should be a whole number, found %s", what, shape(n));
        return 0;
    }
    if (v < 0 && lo >= 0) {
        problem_at(L, n->start_mark, "%s cannot be negative (found %s)", what, scalar(n));
        return 0;
    }
    if (v < lo || v > hi) {
        problem_at(L, n->start_mark, "%s must be between %ld and %ld (found %s)", what, lo, hi,
                   scalar(n));
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int get_bool(struct loader *L, yaml_node_t *n, const char *what, int *out)
{
    const char *s = is_plain(n) ? scalar(n) : NULL;
    if (s && (!strcmp(s, "true") || !strcmp(s, "false"))) {
        *out = s[0] == 't';
        return 1;
    }
    problem_at(L, n->start_mark, "%s should be true or false, found %s", what, shape(n));
    return 0;
}

/* Text: a scalar that is not empty, at most TEXT_MAX bytes. */
static int get_text(struct loader *L, yaml_node_t *n, const char *what, char **out)
{
    const char *s = scalar(n);
    if (!s || is_null(n) || !*s) {
        problem_at(L, n->start_mark, "%s should be text, found %s", what, shape(n));
        return 0;
    }
    if (strlen(s) > TEXT_MAX) {
        problem_at(L, n->start_mark, "%s is too long (at most %d bytes)", what, TEXT_MAX);
        return 0;
    }
    free(*out);
    *out = kstr_dup(s);
    return 1;
}

static int is_word(const char *s)
{
    size_t n = strlen(s);
    return n && n <= WORD_MAX &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static int get_word(struct loader *L, yaml_node_t *n, const char *what, char **out)
{
    char *s = NULL;
    if (!get_text(L, n, what, &s))
        return 0;
    if (!is_word(s)) {
        char q[256];
        quote(q, sizeof q, s);
        problem_at(L, n->start_mark,
                   "%s '%s' should be one word of letters, digits, - or _ (at most %d)", what, q,
                   WORD_MAX);
        free(s);
        return 0;
    }
    free(*out);
    *out = s;
    return 1;
}

/* One of names; *out is its index. */
static int get_choice(struct loader *L, yaml_node_t *n, const char *what, const char *const *names,
                      size_t nn, int *out)
{
    const char *s = scalar(n);
    if (!s || is_null(n)) {
        problem_at(L, n->start_mark, "%s should be text, found %s", what, shape(n));
        return 0;
    }
    for (size_t i = 0; i < nn; i++)
        if (!strcmp(s, names[i])) {
            *out = (int)i;
            return 1;
        }
    unknown_word(L, n->start_mark, what, NULL, s, names, nn);
    return 0;
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* A list of words, or one word standing for a list of one. Each element's
 * node is handed to check (may be NULL) for further validation. */
static int get_words(struct loader *L, yaml_node_t *n, const char *what, char ***out, size_t *nout,
                     int (*check)(struct loader *, yaml_node_t *, const char *))
{
    char **v = NULL;
    size_t nv = 0;
    int ok = 1;
    yaml_node_item_t *it = NULL, *end = NULL;
    int one = 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        it = n->data.sequence.items.start;
        end = n->data.sequence.items.top;
    } else if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
        one = 1;
    } else {
        problem_at(L, n->start_mark, "%s should be a list like [a, b], found %s", what, shape(n));
        return 0;
    }
    for (; one || it < end; it++) {
        yaml_node_t *x = one ? n : node(L, *it);
        char *w = NULL;
        if (get_word(L, x, what, &w) && (!check || check(L, x, w))) {
            v = kgrowarray(v, nv, sizeof *v);
            v[nv++] = w;
        } else {
            free(w);
            ok = 0;
        }
        if (one)
            break;
    }
    strv_free(*out, *nout);
    *out = v;
    *nout = nv;
    return ok;
}

/* ---- sections ---------------------------------------------------------- */

static char *expand_home(const char *s)
{
    const char *home = getenv("HOME");
    if (s[0] == '~' && s[1] == '/' && home && *home) {
        struct sbuf b = {0};
        sbuf_printf(&b, "%s%s", home, s + 1);
        return sbuf_take(&b);
    }
    return kstr_dup(s);
}

/* A setting that is a number or a yes/no, and where it goes in struct
 * config. */
struct setting {
    const char *key;
    const char *what; /* its name in messages */
    int is_bool;
    long min, max;
    size_t off;
};

#define C(field) offsetof(struct config, field)
static const struct setting challenge_keys[] = {
    {"days", "challenge days", 0, 1, 366, C(challenge_days)},
    {"past_days", "challenge past_days", 0, 0, 366, C(challenge_past_days)},
    {"grace_days", "challenge grace_days", 0, 0, 7, C(challenge_grace_days)},
    {"auto_tick", "challenge auto_tick", 1, 0, 1, C(challenge_auto_tick)},
};
#undef C

/* Reads the settings of mapping n (named where) into L's config. */
static void apply_settings(struct loader *L, yaml_node_t *n, const char *where,
                           const struct setting *keys, size_t nkeys)
{
    struct field f[16];
    for (size_t i = 0; i < nkeys && i < NELEM(f); i++)
        f[i] = (struct field){keys[i].key, 0, 0};
    if (!walk_map(L, n, f, nkeys, where))
        return;
    for (size_t i = 0; i < nkeys; i++) {
        int *out = (int *)((char *)L->c + keys[i].off);
        if (!f[i].v)
            continue;
        if (keys[i].is_bool)
            get_bool(L, f[i].v, keys[i].what, out);
        else
            get_int(L, f[i].v, keys[i].what, keys[i].min, keys[i].max, out);
    }
}

static void apply_challenge(struct loader *L, yaml_node_t *n)
{
    apply_settings(L, n, "challenge", challenge_keys, NELEM(challenge_keys));
}

static void free_kinds(struct config_kind *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].label);
        free(v[i].default_direction);
    }
    free(v);
}

static void apply_kinds(struct loader *L, yaml_node_t *n)
{
    struct config *c = L->c;
    if (n->type != YAML_SEQUENCE_NODE) {
        problem_at(L, n->start_mark, "kinds should be a list of {name, label, direction}, found %s",
                   shape(n));
        return;
    }
    struct config_kind *v = NULL;
    size_t nv = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *x = node(L, *it);
        enum { NAME, LABEL, DIRECTION };
        struct field f[] = {
            [NAME] = {"name", 0, 0}, [LABEL] = {"label", 0, 0}, [DIRECTION] = {"direction", 0, 0}};
        if (!walk_map(L, x, f, NELEM(f), "a kind"))
            continue;
        struct config_kind k = {0};
        int dir = KDIR_MUTUAL;
        if (!f[NAME].v) {
            problem_at(L, x->start_mark, "a kind needs a name");
        } else if (get_word(L, f[NAME].v, "kind name", &k.name)) {
            for (size_t i = 0; i < nv; i++)
                if (!strcmp(v[i].name, k.name))
                    problem_at(L, f[NAME].v->start_mark, "kind '%s' is listed twice", k.name);
        }
        if (f[LABEL].v)
            get_text(L, f[LABEL].v, "label", &k.label);
        if (f[DIRECTION].v)
            get_choice(L, f[DIRECTION].v, "direction", kdir_names, NELEM(kdir_names), &dir);
        if (!k.label && k.name)
            k.label = kstr_dup(k.name);
        k.default_direction = kstr_dup(kdir_names[dir]);
        if (!k.name) {
            free(k.label);
            free(k.default_direction);
            continue;
        }
        v = kgrowarray(v, nv, sizeof *v);
        v[nv++] = k;
    }
    free_kinds(c->kinds, c->nkinds);
    c->kinds = v;
    c->nkinds = nv;
}

static struct config_weight *weight_entry(struct config *c, const char *kind)
{
    for (size_t i = 0; i < c->nweights; i++)
        if (!strcmp(c->weights[i].kind, kind))
            return &c->weights[i];
    c->weights = krealloc(c->weights, (c->nweights + 1) * sizeof *c->weights);
    struct config_weight *w = &c->weights[c->nweights++];
    memset(w, 0, sizeof *w);
    w->kind = kstr_dup(kind);
    return w;
}

/* kind is k's text (the caller has checked k is a scalar). */
static void apply_weight(struct loader *L, yaml_node_t *k, const char *kind, yaml_node_t *n)
{
    char where[96];
    snprintf(where, sizeof where, "the weights of '%s'", kind);
    struct field f[KDIR_COUNT];
    for (int d = 0; d < KDIR_COUNT; d++)
        f[d] = (struct field){kdir_names[d], 0, 0};
    if (strcmp(kind, "*") && !is_word(kind)) {
        char q[256];
        quote(q, sizeof q, kind);
        problem_at(L, k->start_mark,
                   "weights are given per kind: '%s' should be \"*\" or one word of letters, "
                   "digits, - or _",
                   q);
        return;
    }
    if (!walk_map(L, n, f, NELEM(f), where))
        return;
    /* Directions left out take the "*" value, whatever the entry had. */
    const struct config_weight *any = weight_entry(L->c, "*");
    int vals[KDIR_COUNT] = {any->gave, any->asked, any->mutual};
    for (int d = 0; d < KDIR_COUNT; d++) {
        char what[128];
        snprintf(what, sizeof what, "the %s weight of '%s'", kdir_names[d], kind);
        if (f[d].v)
            get_int(L, f[d].v, what, -WEIGHT_MAX, WEIGHT_MAX, &vals[d]);
    }
    struct config_weight *w = weight_entry(L->c, kind);
    w->gave = vals[KDIR_GAVE];
    w->asked = vals[KDIR_ASKED];
    w->mutual = vals[KDIR_MUTUAL];
}

static void apply_goodwill(struct loader *L, yaml_node_t *n)
{
    enum { SHOW, WEIGHTS };
    struct field f[] = {[SHOW] = {"show", 0, 0}, [WEIGHTS] = {"weights", 0, 0}};
    if (!walk_map(L, n, f, NELEM(f), "goodwill"))
        return;
    if (f[SHOW].v)
        get_bool(L, f[SHOW].v, "goodwill show", &L->c->goodwill_show);
    yaml_node_t *w = f[WEIGHTS].v;
    if (!w)
        return;
    if (w->type != YAML_MAPPING_NODE) {
        problem_at(L, w->start_mark,
                   "goodwill weights should be a mapping of kinds, like intro: {gave: 3}, "
                   "found %s",
                   shape(w));
        return;
    }
    /* "*" first: the other entries fill their gaps from it. */
    for (int pass = 0; pass < 2; pass++) {
        for (yaml_node_pair_t *p = w->data.mapping.pairs.start; p < w->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = node(L, p->key);
            const char *ks = scalar(k);
            if (!ks) {
                if (pass == 0)
                    problem_at(L, k->start_mark, "weights are given per kind, found %s", shape(k));
                continue;
            }
            if ((pass == 0) != !strcmp(ks, "*"))
                continue;
            for (yaml_node_pair_t *q = w->data.mapping.pairs.start; q < p; q++) {
                if (scalar(node(L, q->key)) && !strcmp(scalar(node(L, q->key)), ks)) {
                    problem_at(L, k->start_mark, "weights for '%s' are given twice", ks);
                    ks = NULL;
                    break;
                }
            }
            if (ks)
                apply_weight(L, k, ks, node(L, p->value));
        }
    }
}

static int check_kind(struct loader *L, yaml_node_t *n, const char *kind)
{
    /* Kinds are open, so only a near miss of a known kind is a mistake. */
    if (config_kind_find(L->c, kind))
        return 1;
    const char **names = kcalloc(L->c->nkinds + 1, sizeof *names);
    for (size_t i = 0; i < L->c->nkinds; i++)
        names[i] = L->c->kinds[i].name;
    const char *near = kstr_nearest(kind, names, L->c->nkinds);
    if (near)
        problem_at(L, n->start_mark, "unknown kind '%s'; did you mean '%s'?", kind, near);
    free(names);
    return near == NULL;
}

static int check_outcome(struct loader *L, yaml_node_t *n, const char *s)
{
    for (size_t i = 0; i < NELEM(koutcome_names); i++)
        if (!strcmp(s, koutcome_names[i]))
            return 1;
    unknown_word(L, n->start_mark, "outcome", NULL, s, koutcome_names, NELEM(koutcome_names));
    return 0;
}

static size_t utf8_chars(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes && s[i]; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* The position of byte off of scalar n in the file. Exact when the scalar
 * sits on one line without escapes (its source is as long as its value);
 * otherwise the start of the scalar. */
static yaml_mark_t mark_in(const yaml_node_t *n, size_t off)
{
    yaml_mark_t m = n->start_mark;
    const char *s = scalar(n);
    size_t quotes = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    size_t chars = utf8_chars(s, strlen(s));
    if (n->end_mark.line == m.line && n->end_mark.column - m.column == chars + 2 * quotes &&
        (quotes || is_plain(n)))
        m.column += quotes + utf8_chars(s, off);
    return m;
}

static void check_template(struct loader *L, yaml_node_t *n, const char *msg, int trigger)
{
    for (const char *p = msg; *p; p++) {
        if (*p != '{')
            continue;
        const char *end = strchr(p + 1, '}');
        const char *open = strchr(p + 1, '{');
        if (!end || (open && open < end)) {
            problem_at(L, mark_in(n, (size_t)(p - msg)),
                       "'{' without its closing '}' in the message");
            continue;
        }
        char name[64], q[256];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        size_t i = 0;
        while (i < NELEM(template_fields) && strcmp(name, template_fields[i]))
            i++;
        yaml_mark_t m = mark_in(n, (size_t)(p - msg));
        quote(q, sizeof q, name);
        if (i == NELEM(template_fields)) {
            const char *near = kstr_nearest(name, template_fields, NELEM(template_fields));
            char all[256];
            join(all, sizeof all, template_fields, NELEM(template_fields), "{", "}");
            if (near)
                problem_at(L, m, "unknown field {%s} in the message; did you mean {%s}?", q, near);
            else
                problem_at(L, m, "unknown field {%s} in the message (known: %s)", q, all);
        } else if (trigger >= 0 && !(trigger_fields[trigger] & (1u << i))) {
            problem_at(L, m, "{%s} is not filled in for a %s rule", name, ktrigger_names[trigger]);
        }
        p = end;
    }
}

static void free_rule(struct config_rule *r)
{
    free(r->id);
    free(r->message);
    strv_free(r->tags, r->ntags);
    strv_free(r->kinds, r->nkinds);
    free(r->direction);
    strv_free(r->outcomes, r->noutcomes);
}

static void free_rules(struct config_rule *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free_rule(&v[i]);
    free(v);
}

/* ---- rules: one row per key ----------------------------------------- */

#define T(x)  (1u << CONFIG_ON_##x)
#define T_ALL ((1u << KTRIGGER_COUNT) - 1)

enum rule_type {
    RT_WORD,   /* one word: char * */
    RT_TEXT,   /* text: char * (the message, checked as a template) */
    RT_ON,     /* the trigger, checked before it is stored */
    RT_CHOICE, /* one of names: its index, an int */
    RT_FLAG,   /* one of names (one, usually): 1 when given, an int */
    RT_NAME,   /* one of names: a copy of the name, char * */
    RT_INT,    /* a whole number from min to max: int */
    RT_WORDS,  /* a list of words: char ** and its count, a size_t */
};

/* A rule key: how its value is read, where it goes, which triggers take it
 * and which need it. */
struct rule_key {
    const char *key;
    const char *what; /* its name in messages */
    enum rule_type type;
    unsigned on;         /* the triggers that take it */
    size_t off;          /* of its field in struct config_rule */
    size_t count;        /* RT_WORDS: of the field counting the list */
    const char *missing; /* ...and what a rule without it is told */
    unsigned need;       /* the triggers that need it... */
    int unset;           /* RT_INT: the value when not given... */
    long min, max;       /* RT_INT */
    unsigned dflt_on;    /* ...except for these triggers, where it is dflt */
    int dflt;
    const char *const *names; /* RT_CHOICE, RT_FLAG, RT_NAME */
    size_t nnames;
    /* RT_WORDS: checks each word, for the triggers in check_on */
    int (*check)(struct loader *, yaml_node_t *, const char *);
    unsigned check_on;
};

static const char *const cadence_names[] = {"contact"};

#define R(field) offsetof(struct config_rule, field)
static const struct rule_key rule_keys[] = {
    {.key = "id",
     .what = "rule id",
     .type = RT_WORD,
     .off = R(id),
     .on = T_ALL,
     .need = T_ALL,
     .missing = "a rule needs an id"},
    {.key = "on",
     .what = "trigger",
     .type = RT_ON,
     .off = R(on),
     .on = T_ALL,
     .need = T_ALL,
     .missing = "a rule needs 'on:' (one of: referral, interaction, silence, birthday, goodwill, "
                "challenge)",
     .names = ktrigger_names,
     .nnames = KTRIGGER_COUNT},
    {.key = "priority",
     .what = "priority",
     .type = RT_CHOICE,
     .off = R(priority),
     .on = T_ALL,
     .names = priority_names,
     .nnames = NELEM(priority_names)},
    {.key = "message",
     .what = "message",
     .type = RT_TEXT,
     .off = R(message),
     .on = T_ALL,
     .need = T_ALL,
     .missing = "a rule needs a message"},
    {.key = "after_days",
     .what = "after_days",
     .type = RT_INT,
     .off = R(after_days),
     .on = T(REFERRAL) | T(INTERACTION),
     .need = T(INTERACTION),
     .missing = "an interaction rule needs after_days",
     .min = 0,
     .max = DAYS_MAX,
     .unset = -1,
     .dflt_on = T(REFERRAL),
     .dflt = 0},
    {.key = "days",
     .what = "days",
     .type = RT_INT,
     .off = R(days),
     .on = T(SILENCE),
     .need = T(SILENCE),
     .missing = "a silence rule needs days (or cadence: contact)",
     .min = 1,
     .max = DAYS_MAX,
     .unset = -1},
    {.key = "max_days",
     .what = "max_days",
     .type = RT_INT,
     .off = R(max_days),
     .on = T(SILENCE),
     .min = 1,
     .max = DAYS_MAX,
     .unset = -1},
    {.key = "days_before",
     .what = "days_before",
     .type = RT_INT,
     .off = R(days_before),
     .on = T(BIRTHDAY),
     .min = 0,
     .max = 365,
     .unset = -1,
     .dflt_on = T(BIRTHDAY),
     .dflt = 0},
    {.key = "below",
     .what = "below",
     .type = RT_INT,
     .off = R(below),
     .on = T(GOODWILL),
     .need = T(GOODWILL),
     .missing = "a goodwill rule needs below",
     .min = -BELOW_MAX,
     .max = BELOW_MAX,
     .unset = INT_MIN},
    {.key = "tags",
     .what = "tag",
     .type = RT_WORDS,
     .off = R(tags),
     .count = R(ntags),
     .on = T_ALL & ~T(CHALLENGE)},
    {.key = "kinds",
     .what = "kind",
     .type = RT_WORDS,
     .off = R(kinds),
     .count = R(nkinds),
     .on = T(REFERRAL) | T(INTERACTION),
     .check = check_kind,
     .check_on = T(INTERACTION)},
    {.key = "direction",
     .what = "direction",
     .type = RT_NAME,
     .off = R(direction),
     .on = T(INTERACTION),
     .names = kdir_names,
     .nnames = KDIR_COUNT},
    {.key = "outcome",
     .what = "outcome",
     .type = RT_WORDS,
     .off = R(outcomes),
     .count = R(noutcomes),
     .on = T(REFERRAL),
     .check = check_outcome,
     .check_on = T_ALL},
    /* cadence: contact takes each contact's own cadence (kith edit
     * --every) for days; a silence past it is overdue at once. */
    {.key = "cadence",
     .what = "cadence",
     .type = RT_FLAG,
     .off = R(cadence_contact),
     .on = T(SILENCE),
     .names = cadence_names,
     .nnames = NELEM(cadence_names)},
};
#undef R
#define RK_COUNT NELEM(rule_keys)

/* The field at off in r. */
static void *rule_field(struct config_rule *r, size_t off)
{
    return (char *)r + off;
}

/* The value given for key, or NULL. */
static yaml_node_t *rule_value(const struct field *f, const char *key)
{
    for (size_t i = 0; i < RK_COUNT; i++)
        if (!strcmp(f[i].key, key))
            return f[i].v;
    return NULL;
}

/* Reads the value n of key k into r, for a rule on trigger *on (-1 while
 * not known; RT_ON sets it). */
static void read_rule_key(struct loader *L, const struct rule_key *k, yaml_node_t *n,
                          struct config_rule *r, int *on)
{
    int i;
    switch (k->type) {
    case RT_ON:
        if (get_choice(L, n, k->what, k->names, k->nnames, &i))
            *on = i;
        break;
    case RT_WORD:
        get_word(L, n, k->what, rule_field(r, k->off));
        break;
    case RT_TEXT:
        if (get_text(L, n, k->what, rule_field(r, k->off)))
            check_template(L, n, *(char **)rule_field(r, k->off), *on);
        break;
    case RT_CHOICE:
        if (get_choice(L, n, k->what, k->names, k->nnames, &i))
            *(int *)rule_field(r, k->off) = i;
        break;
    case RT_FLAG:
        if (get_choice(L, n, k->what, k->names, k->nnames, &i))
            *(int *)rule_field(r, k->off) = 1;
        break;
    case RT_NAME:
        if (get_choice(L, n, k->what, k->names, k->nnames, &i))
            *(char **)rule_field(r, k->off) = kstr_dup(k->names[i]);
        break;
    case RT_INT:
        get_int(L, n, k->what, k->min, k->max, rule_field(r, k->off));
        break;
    case RT_WORDS:
        get_words(L, n, k->what, rule_field(r, k->off), rule_field(r, k->count),
                  *on >= 0 && (k->check_on & (1u << *on)) ? k->check : NULL);
        break;
    }
}

/* Parses one rule into r; 0 when it has a problem. */
static int parse_rule(struct loader *L, yaml_node_t *n, struct config_rule *r)
{
    struct field f[RK_COUNT];
    size_t before = L->n;
    for (size_t i = 0; i < RK_COUNT; i++)
        f[i] = (struct field){rule_keys[i].key, 0, 0};
    memset(r, 0, sizeof *r);
    r->priority = CONFIG_PRIO_NORMAL;
    for (size_t i = 0; i < RK_COUNT; i++)
        if (rule_keys[i].type == RT_INT)
            *(int *)rule_field(r, rule_keys[i].off) = rule_keys[i].unset;
    if (!walk_map(L, n, f, RK_COUNT, "a rule"))
        return 0;
    /* The keys every rule has are read first, whatever the trigger. */
    int on = -1;
    for (size_t i = 0; i < RK_COUNT; i++) {
        const struct rule_key *k = &rule_keys[i];
        if (k->on != T_ALL)
            continue;
        if (f[i].v)
            read_rule_key(L, k, f[i].v, r, &on);
        else if (k->need)
            problem_at(L, n->start_mark, "%s", k->missing);
    }
    if (on < 0)
        return 0;
    r->on = (enum config_trigger)on;
    for (size_t i = 0; i < RK_COUNT; i++) {
        const struct rule_key *k = &rule_keys[i];
        if (k->on == T_ALL)
            continue;
        if (f[i].k && !(k->on & (1u << on))) {
            problem_at(L, f[i].k->start_mark, "'%s' does not apply to a %s rule", k->key,
                       ktrigger_names[on]);
        } else if (f[i].v) {
            read_rule_key(L, k, f[i].v, r, &on);
        } else if ((k->need & (1u << on)) &&
                   !(!strcmp(k->key, "days") && rule_value(f, "cadence"))) {
            problem_at(L, n->start_mark, "%s", k->missing);
        } else if (k->type == RT_INT && (k->dflt_on & (1u << on))) {
            *(int *)rule_field(r, k->off) = k->dflt;
        }
    }
    /* With cadence: contact, days and max_days are the contact's. */
    const struct field *fixed = NULL;
    for (size_t i = 0; rule_value(f, "cadence") && i < RK_COUNT && !fixed; i++)
        if (f[i].k && (!strcmp(f[i].key, "days") || !strcmp(f[i].key, "max_days")))
            fixed = &f[i];
    if (fixed) {
        problem_at(L, fixed->k->start_mark,
                   "a rule with cadence: contact takes each contact's cadence: leave out days "
                   "and max_days");
        r->days = r->max_days = -1;
    }
    if (r->max_days > 0 && r->days > 0 && r->max_days <= r->days)
        problem_at(L, rule_value(f, "max_days")->start_mark,
                   "max_days (%d) should be more than days (%d): it marks a reminder overdue",
                   r->max_days, r->days);
    /* Tags are stored folded to lower case; a rule should match them. */
    for (size_t i = 0; i < r->ntags; i++)
        for (char *p = r->tags[i]; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    return L->n == before;
}

static void apply_rules(struct loader *L, yaml_node_t *n)
{
    struct config *c = L->c;
    if (n->type != YAML_SEQUENCE_NODE) {
        problem_at(L, n->start_mark, "rules should be a list of rules (- id: ...), found %s",
                   shape(n));
        return;
    }
    struct config_rule *v = NULL;
    yaml_node_t **ids = NULL;
    size_t nv = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *x = node(L, *it);
        struct config_rule r;
        parse_rule(L, x, &r);
        if (r.id) {
            for (size_t i = 0; i < nv; i++) {
                if (v[i].id && !strcmp(v[i].id, r.id)) {
                    problem_at(L, x->start_mark, "duplicate rule id '%s' (first on line %zu)", r.id,
                               ids[i]->start_mark.line + 1);
                    break;
                }
            }
        }
        v = kgrowarray(v, nv, sizeof *v);
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of node pointers */
        ids = kgrowarray(ids, nv, sizeof *ids);
        ids[nv] = x;
        v[nv++] = r;
    }
    free(ids);
    free_rules(c->rules, c->nrules);
    c->rules = v;
    c->nrules = nv;
}

static void free_argv(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

static void apply_notify(struct loader *L, yaml_node_t *n)
{
    struct config *c = L->c;
    free_argv(c->notify_command);
    c->notify_command = NULL;
    if (is_null(n))
        return;
    if (n->type != YAML_SEQUENCE_NODE) {
        problem_at(L, n->start_mark,
                   "notify_command should be a list: [program, argument, ...] (it runs without "
                   "a shell), found %s",
                   shape(n));
        return;
    }
    size_t nv = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (nv == 0)
        return;
    char **v = kcalloc(nv + 1, sizeof *v);
    for (size_t i = 0; i < nv; i++)
        get_text(L, node(L, n->data.sequence.items.start[i]), "a notify_command argument", &v[i]);
    for (size_t i = 0; i < nv; i++) {
        if (!v[i]) {
            /* Keep the array NULL-terminated at its first gap. */
            for (size_t k = i + 1; k < nv; k++)
                kstr_free(&v[k]);
            break;
        }
    }
    c->notify_command = v;
}

/* The nodes of a list, or one node standing for a list of one. */
static void list_items(yaml_node_t *n, yaml_node_item_t *one, yaml_node_item_t **start,
                       yaml_node_item_t **top)
{
    if (n->type == YAML_SEQUENCE_NODE) {
        *start = n->data.sequence.items.start;
        *top = n->data.sequence.items.top;
    } else {
        *start = one;
        *top = one + 1;
    }
}

/* Your email addresses: one or a list. Kept in lower case, as mail
 * compares them. */
static void apply_me_emails(struct loader *L, yaml_node_t *n, const char *what)
{
    struct config *c = L->c;
    strv_free(c->me, c->nme);
    c->me = NULL;
    c->nme = 0;
    if (is_null(n))
        return;
    if (n->type != YAML_SEQUENCE_NODE && n->type != YAML_SCALAR_NODE) {
        problem_at(L, n->start_mark, "%s should be your email addresses, found %s", what, shape(n));
        return;
    }
    yaml_node_item_t one = 0, *start, *top;
    list_items(n, &one, &start, &top);
    c->me = kcalloc((size_t)(top - start) + 1, sizeof *c->me);
    for (yaml_node_item_t *it = start; it < top; it++) {
        yaml_node_t *x = it == &one ? n : node(L, *it);
        char *a = NULL;
        if (!get_text(L, x, "an address in me", &a))
            continue;
        const char *at = strchr(a, '@');
        if (!at || at == a || !at[1] || strpbrk(a, " \t<>,")) {
            problem_at(L, x->start_mark, "'%s' in me is not an email address", a);
            free(a);
            continue;
        }
        for (char *p = a; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        c->me[c->nme++] = a;
    }
}

/* What you can help others with: one line each. */
static void apply_me_offers(struct loader *L, yaml_node_t *n)
{
    struct config *c = L->c;
    strv_free(c->me_offers, c->nme_offers);
    c->me_offers = NULL;
    c->nme_offers = 0;
    if (is_null(n))
        return;
    if (n->type != YAML_SEQUENCE_NODE && n->type != YAML_SCALAR_NODE) {
        problem_at(L, n->start_mark,
                   "me offers should be a list of what you can help others with, found %s",
                   shape(n));
        return;
    }
    yaml_node_item_t one = 0, *start, *top;
    list_items(n, &one, &start, &top);
    c->me_offers = kcalloc((size_t)(top - start) + 1, sizeof *c->me_offers);
    for (yaml_node_item_t *it = start; it < top; it++) {
        yaml_node_t *x = it == &one ? n : node(L, *it);
        char *o = NULL;
        if (!get_text(L, x, "an offer in me", &o))
            continue;
        if (strpbrk(o, "\n\r\t")) {
            problem_at(L, x->start_mark, "an offer in me is one line");
            free(o);
            continue;
        }
        c->me_offers[c->nme_offers++] = o;
    }
}

/* me: your email addresses (one or a list, as before offers existed), or
 * a mapping of emails and offers. */
static void apply_me(struct loader *L, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE) {
        apply_me_emails(L, n, "me");
        return;
    }
    struct field f[] = {{"emails", 0, 0}, {"offers", 0, 0}};
    if (!walk_map(L, n, f, NELEM(f), "me"))
        return;
    if (f[0].v)
        apply_me_emails(L, f[0].v, "me emails");
    if (f[1].v)
        apply_me_offers(L, f[1].v);
}

static void apply_database(struct loader *L, yaml_node_t *n)
{
    struct config *c = L->c;
    char *db = NULL;
    free(c->database);
    c->database = NULL;
    if (!is_null(n) && get_text(L, n, "database", &db))
        c->database = expand_home(db);
    free(db);
}

static void apply_theme(struct loader *L, yaml_node_t *n)
{
    get_text(L, n, "theme", &L->c->theme);
}

/* The top-level keys, applied in this order whatever the file's: rules
 * check their kinds against the kinds section. */
static const struct {
    const char *key;
    void (*apply)(struct loader *, yaml_node_t *);
} root_keys[] = {
    {"database", apply_database},     {"theme", apply_theme},
    {"challenge", apply_challenge},   {"kinds", apply_kinds},
    {"goodwill", apply_goodwill},     {"rules", apply_rules},
    {"notify_command", apply_notify}, {"me", apply_me},
};

static void apply_root(struct loader *L, yaml_node_t *root)
{
    struct field f[NELEM(root_keys)];
    for (size_t i = 0; i < NELEM(root_keys); i++)
        f[i] = (struct field){root_keys[i].key, 0, 0};
    if (is_null(root))
        return;
    if (!walk_map(L, root, f, NELEM(f), "the configuration"))
        return;
    for (size_t i = 0; i < NELEM(root_keys); i++)
        if (f[i].v)
            root_keys[i].apply(L, f[i].v);
}

/* Parses the YAML from p over c, collecting problems in L. */
static void parse(struct loader *L, yaml_parser_t *p)
{
    yaml_document_t doc;
    if (!yaml_parser_load(p, &doc)) {
        const char *what = p->error == YAML_MEMORY_ERROR ? "out of memory" : "YAML syntax error";
        if (p->context)
            problem_at(L, p->problem_mark, "%s: %s %s", what, p->problem ? p->problem : "",
                       p->context);
        else
            problem_at(L, p->problem_mark, "%s: %s", what, p->problem ? p->problem : "");
        return;
    }
    L->doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root)
        apply_root(L, root);
    L->doc = NULL;
    yaml_document_delete(&doc);
    if (root && !L->n) {
        /* A second document would be ignored silently; say so instead. */
        yaml_document_t more;
        if (!yaml_parser_load(p, &more)) {
            problem_at(L, p->problem_mark, "YAML syntax error: %s", p->problem ? p->problem : "");
            return;
        }
        yaml_node_t *r2 = yaml_document_get_root_node(&more);
        if (r2)
            problem_at(L, r2->start_mark, "only one YAML document is allowed (found a second)");
        yaml_document_delete(&more);
    }
}

static void loader_clear(struct loader *L)
{
    for (size_t i = 0; i < L->n; i++)
        free(L->v[i].text);
    free(L->v);
    L->v = NULL;
    L->n = 0;
}

struct config *config_defaults(void)
{
    struct config *c = kcalloc(1, sizeof *c);
    struct loader L = {"config.example.yaml (built in)", NULL, c, NULL, 0};
    yaml_parser_t p;
    c->theme = kstr_dup("default");
    c->challenge_days = 30;
    c->challenge_past_days = 2;
    c->challenge_grace_days = 1;
    c->goodwill_show = 1;
    if (!yaml_parser_initialize(&p))
        abort();
    yaml_parser_set_input_string(&p, (const unsigned char *)kith_config_example,
                                 strlen(kith_config_example));
    parse(&L, &p);
    yaml_parser_delete(&p);
    /* The text is compiled in and covered by the tests: a problem here is a
     * build that must not ship. */
    if (L.n)
        abort();
    loader_clear(&L);
    return c;
}

int config_load(const char *path, struct config **out, struct kerr *e)
{
    struct config *c = NULL;
    struct loader L = {path, NULL, NULL, NULL, 0};
    yaml_parser_t p;
    int parser_ready = 0, rc;
    char *text = NULL;
    size_t n = 0;
    *out = NULL;
    /* A named pipe or a device as the settings is refused, not waited on. */
    if (kfile_read_as(path, "the configuration", CONFIG_FILE_MAX, KFILE_REGULAR, &text, &n, e) !=
        K_OK) {
        rc = K_USAGE;
        goto out;
    }
    if ((rc = kyaml_check_depth(text, n, path, e)) != K_OK)
        goto out;
    c = config_defaults();
    L.c = c;
    if (!yaml_parser_initialize(&p)) {
        rc = kerr_set(e, K_ERR, "out of memory");
        goto out;
    }
    parser_ready = 1;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
    parse(&L, &p);
    if (L.n) {
        rc = report(&L, e);
        goto out;
    }
    c->path = kstr_dup(path);
    *out = c;
    c = NULL;
out:
    if (parser_ready)
        yaml_parser_delete(&p);
    free(text);
    loader_clear(&L);
    config_free(&c);
    return rc;
}

void config_free(struct config **pc)
{
    if (!pc || !*pc)
        return;
    struct config *c = *pc;
    free(c->path);
    free(c->database);
    free(c->theme);
    free_kinds(c->kinds, c->nkinds);
    for (size_t i = 0; i < c->nweights; i++)
        free(c->weights[i].kind);
    free(c->weights);
    free_rules(c->rules, c->nrules);
    free_argv(c->notify_command);
    strv_free(c->me, c->nme);
    strv_free(c->me_offers, c->nme_offers);
    free(c);
    *pc = NULL;
}

const struct config_kind *config_kind_find(const struct config *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->nkinds; i++)
        if (!strcmp(c->kinds[i].name, name))
            return &c->kinds[i];
    return NULL;
}
