#include "kith/config.h"

#include "kith/kfile.h"
#include "kith/kstr.h"
#include "kith/kyaml.h"

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

static const char *const trigger_names[] = {"referral", "interaction", "silence",
                                            "birthday", "goodwill",    "challenge"};
static const char *const priority_names[] = {"high", "normal", "low"};
static const char *const direction_names[] = {"gave", "asked", "mutual"};
static const char *const outcome_names[] = {"pending", "meeting", "interview", "offer",
                                            "hired",   "won",     "lost",      "none"};
static const char *const template_fields[] = {"contact", "referrer", "target", "days",
                                              "kind",    "date",     "since",  "referral"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Which template fields each trigger fills in, as bits of template_fields. */
static const unsigned trigger_fields[] = {
    [CONFIG_ON_REFERRAL] = 0xBF,    /* all but since */
    [CONFIG_ON_INTERACTION] = 0x39, /* contact, days, kind, date */
    [CONFIG_ON_SILENCE] = 0x69,     /* contact, days, date, since */
    [CONFIG_ON_BIRTHDAY] = 0x29,    [CONFIG_ON_GOODWILL] = 0x29,
    [CONFIG_ON_CHALLENGE] = 0x28, /* days, date */
};

/* The keys of a rule, and which triggers take each of them. */
enum rule_key {
    RK_ID,
    RK_ON,
    RK_PRIORITY,
    RK_MESSAGE,
    RK_AFTER_DAYS,
    RK_DAYS,
    RK_MAX_DAYS,
    RK_DAYS_BEFORE,
    RK_BELOW,
    RK_TAGS,
    RK_KINDS,
    RK_DIRECTION,
    RK_OUTCOME,
    RK_CADENCE,
    RK_COUNT
};
static const char *const rule_keys[RK_COUNT] = {
    "id",          "on",    "priority", "message", "after_days", "days",    "max_days",
    "days_before", "below", "tags",     "kinds",   "direction",  "outcome", "cadence"};
#define T(x) (1u << CONFIG_ON_##x)
static const unsigned rule_key_triggers[RK_COUNT] = {
    [RK_ID] = 0x3F,
    [RK_ON] = 0x3F,
    [RK_PRIORITY] = 0x3F,
    [RK_MESSAGE] = 0x3F,
    [RK_AFTER_DAYS] = T(REFERRAL) | T(INTERACTION),
    [RK_DAYS] = T(SILENCE),
    [RK_MAX_DAYS] = T(SILENCE),
    [RK_DAYS_BEFORE] = T(BIRTHDAY),
    [RK_BELOW] = T(GOODWILL),
    [RK_TAGS] = T(REFERRAL) | T(INTERACTION) | T(SILENCE) | T(BIRTHDAY) | T(GOODWILL),
    [RK_KINDS] = T(REFERRAL) | T(INTERACTION),
    [RK_DIRECTION] = T(INTERACTION),
    [RK_OUTCOME] = T(REFERRAL),
    [RK_CADENCE] = T(SILENCE),
};
#undef T

const char *config_trigger_name(enum config_trigger t)
{
    return (unsigned)t < NELEM(trigger_names) ? trigger_names[t] : "?";
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
    L->v = krealloc(L->v, (L->n + 1) * sizeof *L->v);
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
    const char *keys[RK_COUNT];
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
            v = krealloc(v, (nv + 1) * sizeof *v);
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

static void apply_challenge(struct loader *L, yaml_node_t *n)
{
    struct field f[] = {
        {"days", 0, 0}, {"past_days", 0, 0}, {"grace_days", 0, 0}, {"auto_tick", 0, 0}};
    if (!walk_map(L, n, f, NELEM(f), "challenge"))
        return;
    if (f[0].v)
        get_int(L, f[0].v, "challenge days", 1, 366, &L->c->challenge_days);
    if (f[1].v)
        get_int(L, f[1].v, "challenge past_days", 0, 366, &L->c->challenge_past_days);
    if (f[2].v)
        get_int(L, f[2].v, "challenge grace_days", 0, 7, &L->c->challenge_grace_days);
    if (f[3].v)
        get_bool(L, f[3].v, "challenge auto_tick", &L->c->challenge_auto_tick);
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
        struct field f[] = {{"name", 0, 0}, {"label", 0, 0}, {"direction", 0, 0}};
        if (!walk_map(L, x, f, NELEM(f), "a kind"))
            continue;
        struct config_kind k = {0};
        int dir = 2; /* mutual */
        if (!f[0].v) {
            problem_at(L, x->start_mark, "a kind needs a name");
        } else if (get_word(L, f[0].v, "kind name", &k.name)) {
            for (size_t i = 0; i < nv; i++)
                if (!strcmp(v[i].name, k.name))
                    problem_at(L, f[0].v->start_mark, "kind '%s' is listed twice", k.name);
        }
        if (f[1].v)
            get_text(L, f[1].v, "label", &k.label);
        if (f[2].v)
            get_choice(L, f[2].v, "direction", direction_names, NELEM(direction_names), &dir);
        if (!k.label && k.name)
            k.label = kstr_dup(k.name);
        k.default_direction = kstr_dup(direction_names[dir]);
        if (!k.name) {
            free(k.label);
            free(k.default_direction);
            continue;
        }
        v = krealloc(v, (nv + 1) * sizeof *v);
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
    struct field f[] = {{"gave", 0, 0}, {"asked", 0, 0}, {"mutual", 0, 0}};
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
    int vals[3] = {any->gave, any->asked, any->mutual};
    for (int d = 0; d < 3; d++) {
        char what[128];
        snprintf(what, sizeof what, "the %s weight of '%s'", direction_names[d], kind);
        if (f[d].v)
            get_int(L, f[d].v, what, -WEIGHT_MAX, WEIGHT_MAX, &vals[d]);
    }
    struct config_weight *w = weight_entry(L->c, kind);
    w->gave = vals[0];
    w->asked = vals[1];
    w->mutual = vals[2];
}

static void apply_goodwill(struct loader *L, yaml_node_t *n)
{
    struct field f[] = {{"show", 0, 0}, {"weights", 0, 0}};
    if (!walk_map(L, n, f, NELEM(f), "goodwill"))
        return;
    if (f[0].v)
        get_bool(L, f[0].v, "goodwill show", &L->c->goodwill_show);
    yaml_node_t *w = f[1].v;
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
    for (size_t i = 0; i < NELEM(outcome_names); i++)
        if (!strcmp(s, outcome_names[i]))
            return 1;
    unknown_word(L, n->start_mark, "outcome", NULL, s, outcome_names, NELEM(outcome_names));
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
            problem_at(L, m, "{%s} is not filled in for a %s rule", name, trigger_names[trigger]);
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

/* Parses one rule into r; 0 when it has a problem. */
static int parse_rule(struct loader *L, yaml_node_t *n, struct config_rule *r)
{
    struct field f[RK_COUNT];
    size_t before = L->n;
    for (int i = 0; i < RK_COUNT; i++)
        f[i] = (struct field){rule_keys[i], 0, 0};
    memset(r, 0, sizeof *r);
    r->priority = CONFIG_PRIO_NORMAL;
    r->after_days = r->days = r->max_days = r->days_before = -1;
    r->below = INT_MIN;
    if (!walk_map(L, n, f, RK_COUNT, "a rule"))
        return 0;
    int on = -1, prio = CONFIG_PRIO_NORMAL;
    if (!f[RK_ID].v)
        problem_at(L, n->start_mark, "a rule needs an id");
    else
        get_word(L, f[RK_ID].v, "rule id", &r->id);
    if (!f[RK_ON].v)
        problem_at(L, n->start_mark,
                   "a rule needs 'on:' (one of: referral, interaction, "
                   "silence, birthday, goodwill, challenge)");
    else if (!get_choice(L, f[RK_ON].v, "trigger", trigger_names, NELEM(trigger_names), &on))
        on = -1;
    if (f[RK_PRIORITY].v &&
        get_choice(L, f[RK_PRIORITY].v, "priority", priority_names, NELEM(priority_names), &prio))
        r->priority = (enum config_priority)prio;
    if (!f[RK_MESSAGE].v)
        problem_at(L, n->start_mark, "a rule needs a message");
    else if (get_text(L, f[RK_MESSAGE].v, "message", &r->message))
        check_template(L, f[RK_MESSAGE].v, r->message, on);
    if (on < 0)
        return 0;
    r->on = (enum config_trigger)on;
    for (int i = 0; i < RK_COUNT; i++) {
        if (f[i].k && !(rule_key_triggers[i] & (1u << on))) {
            problem_at(L, f[i].k->start_mark, "'%s' does not apply to a %s rule", rule_keys[i],
                       trigger_names[on]);
            f[i].v = NULL;
        }
    }
    if (f[RK_AFTER_DAYS].v)
        get_int(L, f[RK_AFTER_DAYS].v, "after_days", 0, DAYS_MAX, &r->after_days);
    else if (on == CONFIG_ON_INTERACTION)
        problem_at(L, n->start_mark, "an interaction rule needs after_days");
    else if (on == CONFIG_ON_REFERRAL)
        r->after_days = 0;
    /* cadence: contact takes each contact's own cadence (kith edit
     * --every) for days; a silence past it is overdue at once. */
    static const char *const cadences[] = {"contact"};
    int cad;
    if (f[RK_CADENCE].v && get_choice(L, f[RK_CADENCE].v, "cadence", cadences, 1, &cad))
        r->cadence_contact = 1;
    if (f[RK_CADENCE].v && (f[RK_DAYS].v || f[RK_MAX_DAYS].v)) {
        problem_at(L, f[RK_DAYS].v ? f[RK_DAYS].k->start_mark : f[RK_MAX_DAYS].k->start_mark,
                   "a rule with cadence: contact takes each contact's cadence: leave out "
                   "days and max_days");
        f[RK_DAYS].v = f[RK_MAX_DAYS].v = NULL;
    }
    if (f[RK_DAYS].v)
        get_int(L, f[RK_DAYS].v, "days", 1, DAYS_MAX, &r->days);
    else if (on == CONFIG_ON_SILENCE && !f[RK_CADENCE].v)
        problem_at(L, n->start_mark, "a silence rule needs days (or cadence: contact)");
    if (f[RK_MAX_DAYS].v && get_int(L, f[RK_MAX_DAYS].v, "max_days", 1, DAYS_MAX, &r->max_days) &&
        r->days > 0 && r->max_days <= r->days)
        problem_at(L, f[RK_MAX_DAYS].v->start_mark,
                   "max_days (%d) should be more than days (%d): it marks a reminder overdue",
                   r->max_days, r->days);
    if (f[RK_DAYS_BEFORE].v)
        get_int(L, f[RK_DAYS_BEFORE].v, "days_before", 0, 365, &r->days_before);
    else if (on == CONFIG_ON_BIRTHDAY)
        r->days_before = 0;
    if (f[RK_BELOW].v)
        get_int(L, f[RK_BELOW].v, "below", -BELOW_MAX, BELOW_MAX, &r->below);
    else if (on == CONFIG_ON_GOODWILL)
        problem_at(L, n->start_mark, "a goodwill rule needs below");
    if (f[RK_TAGS].v)
        get_words(L, f[RK_TAGS].v, "tag", &r->tags, &r->ntags, NULL);
    if (f[RK_KINDS].v)
        get_words(L, f[RK_KINDS].v, "kind", &r->kinds, &r->nkinds,
                  on == CONFIG_ON_INTERACTION ? check_kind : NULL);
    if (f[RK_OUTCOME].v)
        get_words(L, f[RK_OUTCOME].v, "outcome", &r->outcomes, &r->noutcomes, check_outcome);
    int dir;
    if (f[RK_DIRECTION].v && get_choice(L, f[RK_DIRECTION].v, "direction", direction_names,
                                        NELEM(direction_names), &dir))
        r->direction = kstr_dup(direction_names[dir]);
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
        v = krealloc(v, (nv + 1) * sizeof *v);
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of node pointers */
        ids = krealloc(ids, (nv + 1) * sizeof *ids);
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

static void apply_root(struct loader *L, yaml_node_t *root)
{
    struct config *c = L->c;
    struct field f[] = {{"database", 0, 0},      {"theme", 0, 0},    {"challenge", 0, 0},
                        {"kinds", 0, 0},         {"goodwill", 0, 0}, {"rules", 0, 0},
                        {"notify_command", 0, 0}, {"me", 0, 0}};
    if (is_null(root))
        return;
    if (!walk_map(L, root, f, NELEM(f), "the configuration"))
        return;
    if (f[0].v) {
        char *db = NULL;
        free(c->database);
        c->database = NULL;
        if (!is_null(f[0].v) && get_text(L, f[0].v, "database", &db))
            c->database = expand_home(db);
        free(db);
    }
    if (f[1].v)
        get_text(L, f[1].v, "theme", &c->theme);
    if (f[2].v)
        apply_challenge(L, f[2].v);
    if (f[3].v)
        apply_kinds(L, f[3].v);
    if (f[4].v)
        apply_goodwill(L, f[4].v);
    if (f[5].v)
        apply_rules(L, f[5].v);
    if (f[6].v)
        apply_notify(L, f[6].v);
    if (f[7].v)
        apply_me(L, f[7].v);
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
