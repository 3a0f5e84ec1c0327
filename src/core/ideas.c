#include "kith/core/ideas.h"

#include "kith/core/birthday.h"
#include "kith/store/db.h"
#include "kith/store/dbideas.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[IDEA_TYPE_COUNT] = {
    "thank", "report-back", "birthday", "reconnect", "give", "intro", "share"};

const char *idea_type_name(enum idea_type t)
{
    return (unsigned)t < IDEA_TYPE_COUNT ? type_names[t] : "?";
}

/* How far each source looks, so that a large journal costs what a small
 * one does: ideas are about the next act, not a report. */
#define PER_SOURCE     30  /* candidates each source hands over */
#define NEEDY_MAX      100 /* contacts with needs looked at */
#define GIVERS_PER     8   /* who could help, per need */
#define ASK_WINDOW     365 /* days back an ask is still worth reporting on */
#define ASK_MIN_AGE    14  /* days an ask is left to bear fruit first */
#define OWING_WINDOW   365 /* days back an ask makes a balance worth mending */
#define BIRTHDAY_AHEAD 7   /* days ahead a birthday is an idea */
#define SHARED_RECENT  30  /* days a gift to someone keeps a share idea away */

static void idea_free(struct idea *d)
{
    for (size_t k = 0; k < d->nwho; k++)
        free(d->who[k].name);
    free(d->headline);
    free(d->reason);
    free(d->kind);
    free(d->summary);
}

void idea_clear(struct idea *d)
{
    if (!d)
        return;
    idea_free(d);
    memset(d, 0, sizeof *d);
}

void idea_copy(struct idea *dst, const struct idea *src)
{
    *dst = *src;
    for (size_t k = 0; k < src->nwho; k++)
        dst->who[k].name = kstr_dup(src->who[k].name);
    dst->headline = kstr_dup(src->headline);
    dst->reason = kstr_dup(src->reason);
    dst->kind = kstr_dup(src->kind);
    dst->summary = kstr_dup(src->summary);
}

void idea_list_clear(struct idea_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        idea_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = kmalloc(n > 0 ? (size_t)n + 1 : 1);
    s[0] = '\0';
    if (n > 0) {
        va_start(ap, f);
        vsnprintf(s, (size_t)n + 1, f, ap);
        va_end(ap);
    }
    return s;
}

/* A new idea at the end of l; strings given are taken over. */
static struct idea *add(struct idea_list *l, enum idea_type t, int score, const char *id,
                        const char *name, char *headline, char *reason, const char *kind,
                        enum kdir dir, char *summary)
{
    l->v = krealloc(l->v, (l->n + 1) * sizeof *l->v);
    struct idea *d = &l->v[l->n++];
    memset(d, 0, sizeof *d);
    d->type = t;
    d->score = score;
    snprintf(d->who[0].id, sizeof d->who[0].id, "%s", id);
    d->who[0].name = kstr_dup(name ? name : "");
    d->nwho = 1;
    d->headline = headline;
    d->reason = reason;
    d->kind = kstr_dup(kind);
    d->dir = dir;
    d->summary = summary;
    return d;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* ---- words ------------------------------------------------------------ */

/* Words that say nothing about what someone needs or offers. */
static const char *const little[] = {"a",
                                     "about",
                                     "also",
                                     "an",
                                     "and",
                                     "any",
                                     "are",
                                     "as",
                                     "at",
                                     "be",
                                     "been",
                                     "by",
                                     "can",
                                     "could",
                                     "especially",
                                     "etc",
                                     "find",
                                     "finding",
                                     "for",
                                     "from",
                                     "get",
                                     "getting",
                                     "good",
                                     "great",
                                     "help",
                                     "helping",
                                     "her",
                                     "his",
                                     "how",
                                     "ideally",
                                     "in",
                                     "into",
                                     "intro",
                                     "intros",
                                     "introduce",
                                     "introduction",
                                     "introductions",
                                     "is",
                                     "it",
                                     "its",
                                     "like",
                                     "look",
                                     "looking",
                                     "more",
                                     "most",
                                     "my",
                                     "need",
                                     "needs",
                                     "new",
                                     "of",
                                     "on",
                                     "or",
                                     "our",
                                     "some",
                                     "someone",
                                     "that",
                                     "the",
                                     "their",
                                     "them",
                                     "these",
                                     "they",
                                     "this",
                                     "those",
                                     "to",
                                     "want",
                                     "wants",
                                     "we",
                                     "what",
                                     "who",
                                     "with",
                                     "would",
                                     "you",
                                     "your"};

static int is_little(const char *w)
{
    for (size_t i = 0; i < sizeof little / sizeof little[0]; i++)
        if (!strcmp(w, little[i]))
            return 1;
    return 0;
}

/* A word without the endings that make "investors", "investing" and
 * "invest" differ: in place. */
static void stem(char *w)
{
    static const char *const ends[] = {"ments", "ment", "ings", "ing", "ers", "ors",
                                       "ies",   "es",   "ed",   "er",  "or",  "s"};
    size_t n = strlen(w);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n > k + 2 && !strcmp(w + n - k, ends[i])) {
            size_t cut = n - k;
            if (!strcmp(ends[i], "ies"))
                w[cut++] = 'y'; /* one letter where three were */
            w[cut] = '\0';
            return;
        }
    }
}

void ideas_words(const char *text, struct kstrlist *out)
{
    char *f = kstr_fold(text ? text : "");
    for (char *p = f; *p;) {
        /* Letters, digits and every non-ASCII character make words. */
        size_t n = 0;
        while (p[n] && ((unsigned char)p[n] >= 0x80 || (p[n] >= 'a' && p[n] <= 'z') ||
                        (p[n] >= '0' && p[n] <= '9')))
            n++;
        if (n) {
            char *w = kstr_ndup(p, n);
            if (n >= 3 && !is_little(w)) {
                stem(w);
                if (!kstrlist_has(out, w))
                    kstrlist_add(out, w);
            }
            free(w);
            p += n;
        } else {
            p++;
        }
    }
    free(f);
}

/* 1 when two stems name the same thing: equal, or one starts the other
 * and is long enough to mean something ("engine" and "engineer"). */
static int same_word(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), n = na < nb ? na : nb;
    return !strcmp(a, b) || (n >= 4 && !strncmp(a, b, n));
}

/* The words of want that have appears to meet, shorter form of each pair,
 * into shared; their number. */
static size_t overlap(const struct kstrlist *want, const struct kstrlist *have,
                      struct kstrlist *shared)
{
    size_t n = 0;
    for (size_t i = 0; i < want->n; i++) {
        for (size_t k = 0; k < have->n; k++) {
            if (!same_word(want->v[i], have->v[k]))
                continue;
            const char *w = strlen(want->v[i]) <= strlen(have->v[k]) ? want->v[i] : have->v[k];
            if (shared && !kstrlist_has(shared, w))
                kstrlist_add(shared, w);
            n++;
            break;
        }
    }
    return n;
}

static void join_words(struct sbuf *b, const struct kstrlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        sbuf_printf(b, "%s%s", i ? ", " : "", l->v[i]);
}

/* How the config names a kind, in lower case ("resume review"), or the
 * kind itself. A new string. */
static char *kind_words(struct journal *j, const char *kind)
{
    const struct config_kind *k = config_kind_find(journal_config(j), kind);
    char *s = kstr_dup(k && k->label ? k->label : kind);
    if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
        s[0] = (char)(s[0] - 'A' + 'a');
    return s;
}

/* ---- thank a referrer ------------------------------------------------- */

static int thank_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    struct referral_query q;
    struct referral_list rl = {0};
    int today = journal_today(j);
    memset(&q, 0, sizeof q);
    q.unthanked_only = 1;
    q.limit = PER_SOURCE;
    int rc = referral_list(j, &q, &rl, e);
    for (size_t i = 0; rc == K_OK && i < rl.n; i++) {
        const struct referral *r = &rl.v[i];
        if (r->thanked || r->date > today)
            continue;
        int waited = today - r->date;
        char d[KDATE_BUF];
        struct idea *d_ =
            add(l, IDEA_THANK, 100 + min_int(waited, 60) / 2, r->referrer.id, r->referrer.name,
                fmt("Thank %s for the %s: %s", r->referrer.name, r->kind ? r->kind : "referral",
                    r->target_text ? r->target_text : "?"),
                fmt("%s referred you to %s on %s, %d day%s ago (%s), and has not been thanked",
                    r->referrer.name, r->target_text ? r->target_text : "?",
                    kdate_format(r->date, d), waited, plural(waited), koutcome_name(r->outcome)),
                "thank-you", KDIR_GAVE,
                fmt("thanks for the %s: %s", r->kind ? r->kind : "referral",
                    r->target_text ? r->target_text : "?"));
        snprintf(d_->referral, sizeof d_->referral, "%s", r->id);
    }
    referral_list_clear(&rl);
    return rc;
}

/* ---- report back on advice taken -------------------------------------- */

struct ask_ctx {
    struct journal *j;
    struct idea_list *l;
    int today;
};

static int on_ask(const struct dbideas_ask *a, void *ud)
{
    struct ask_ctx *x = ud;
    for (size_t i = 0; i < x->l->n; i++)
        if (x->l->v[i].type == IDEA_REPORT && !strcmp(x->l->v[i].who[0].id, a->who.id))
            return 0; /* one a contact */
    int ago = x->today - a->date;
    char d[KDATE_BUF];
    char *kind = kind_words(x->j, a->kind);
    char *reason = a->summary && *a->summary
                       ? fmt("you asked them for %s on %s, %d days ago (\"%s\"); nothing since",
                             kind, kdate_format(a->date, d), ago, a->summary)
                       : fmt("you asked them for %s on %s, %d days ago; nothing since", kind,
                             kdate_format(a->date, d), ago);
    add(x->l, IDEA_REPORT, 70 + min_int(ago - ASK_MIN_AGE, 60) / 3, a->who.id, a->who.name,
        fmt("Tell %s how you used their %s", a->who.name, kind), reason, "update", KDIR_GAVE,
        fmt("how I used your %s", kind));
    free(kind);
    return 0;
}

static int report_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    /* The kinds one usually asks for, as the config names them. */
    const struct config *cfg = journal_config(j);
    struct sbuf kinds = {0};
    sbuf_addc(&kinds, ',');
    for (size_t i = 0; cfg && i < cfg->nkinds; i++)
        if (cfg->kinds[i].default_direction && !strcmp(cfg->kinds[i].default_direction, "asked"))
            sbuf_printf(&kinds, "%s,", cfg->kinds[i].name);
    if (kinds.len == 1)
        sbuf_add(&kinds, "advice,");
    int today = journal_today(j);
    struct ask_ctx x = {j, l, today};
    int rc = dbideas_asks_unanswered(journal_db(j), kinds.s, today - ASK_WINDOW,
                                     today - ASK_MIN_AGE, PER_SOURCE, on_ask, &x, e);
    sbuf_free(&kinds);
    return rc;
}

/* ---- birthdays -------------------------------------------------------- */

static int birthday_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    struct birthday_list bl = {0};
    int today = journal_today(j);
    int rc = birthday_upcoming(j, today, BIRTHDAY_AHEAD + 1, &bl, e);
    for (size_t i = 0; rc == K_OK && i < bl.n; i++) {
        const struct birthday *b = &bl.v[i];
        int in = b->on - today, wished = 0;
        /* Wished already this time round: a birthday interaction lately. */
        if ((rc = dbideas_done(journal_db(j), b->contact.id, NULL, "birthday", NULL, b->on - 30,
                               &wished, e)) != K_OK)
            break;
        if (wished)
            continue;
        char d[KDATE_BUF];
        kdate_format(b->on, d);
        char *reason = in == 0 ? fmt("%s's birthday is today", b->contact.name)
                       : in == 1
                           ? fmt("%s's birthday is tomorrow (%s)", b->contact.name, d + 5)
                           : fmt("%s's birthday is in %d days (%s)", b->contact.name, in, d + 5);
        add(l, IDEA_BIRTHDAY,
            in == 0   ? 125
            : in == 1 ? 105
                      : 95 - 3 * in,
            b->contact.id, b->contact.name, fmt("Wish %s a happy birthday", b->contact.name),
            reason, "birthday", KDIR_GAVE, kstr_dup("happy birthday"));
    }
    birthday_list_clear(&bl);
    return rc;
}

/* ---- reconnect --------------------------------------------------------- */

struct silent_ctx {
    struct idea_list *l;
    int today;
    const char *tag; /* the tag whose rule it is, or NULL: their own cadence */
};

static int on_silent(const struct dbideas_who *w, int cadence, void *ud)
{
    struct silent_ctx *x = ud;
    for (size_t i = 0; i < x->l->n; i++)
        if (x->l->v[i].type == IDEA_RECONNECT && !strcmp(x->l->v[i].who[0].id, w->id))
            return 0;
    int silent = w->since == KDATE_NONE ? cadence : x->today - w->since;
    int over = silent - cadence;
    char span[16];
    struct sbuf r = {0};
    if (w->last != KDATE_NONE)
        sbuf_printf(&r, "last talked %d day%s ago", silent, plural(silent));
    else
        sbuf_printf(&r, "not talked yet, %d day%s since you met or added them", silent,
                    plural(silent));
    if (x->tag)
        sbuf_printf(&r, "; your #%s contacts: every %s", x->tag, kdate_span(cadence, span));
    else
        sbuf_printf(&r, "; you keep in touch every %s", kdate_span(cadence, span));
    add(x->l, IDEA_RECONNECT, 60 + min_int(over * 20 / (cadence ? cadence : 1), 20), w->id, w->name,
        fmt("Reconnect with %s", w->name), sbuf_take(&r), "call", KDIR_MUTUAL,
        kstr_dup("catching up"));
    return 0;
}

static int reconnect_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    int today = journal_today(j);
    struct silent_ctx x = {l, today, NULL};
    int rc = dbideas_past_cadence(journal_db(j), today, PER_SOURCE, on_silent, &x, e);
    /* The tags' cadences, from the silence rules that name tags. */
    const struct config *cfg = journal_config(j);
    for (size_t i = 0; rc == K_OK && cfg && i < cfg->nrules; i++) {
        const struct config_rule *r = &cfg->rules[i];
        if (r->on != CONFIG_ON_SILENCE || r->days <= 0)
            continue;
        for (size_t t = 0; rc == K_OK && t < r->ntags; t++) {
            x.tag = r->tags[t];
            rc = dbideas_tag_silent(journal_db(j), r->tags[t], r->days, today, PER_SOURCE,
                                    on_silent, &x, e);
        }
    }
    return rc;
}

/* ---- mend a balance ---------------------------------------------------- */

struct owing_ctx {
    struct idea_list *l;
};

static int on_owing(const struct dbideas_who *w, int goodwill, int asks, int last_gave, void *ud)
{
    struct owing_ctx *x = ud;
    char d[KDATE_BUF];
    char *reason;
    if (last_gave != KDATE_NONE && asks)
        reason = fmt("you asked %d time%s since you last gave (%s); balance %d", asks, plural(asks),
                     kdate_format(last_gave, d), goodwill);
    else if (asks)
        reason = fmt("you asked %d time%s and have not given yet; balance %d", asks, plural(asks),
                     goodwill);
    else
        reason = fmt("your balance with them is %d", goodwill);
    add(x->l, IDEA_GIVE, 50 + min_int(asks, 6) * 4 + min_int(-goodwill, 10), w->id, w->name,
        fmt("Give %s something, asking nothing: an article, an update, an intro", w->name), reason,
        "article", KDIR_GAVE, kstr_dup("something useful, nothing asked"));
    return 0;
}

static int give_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    struct owing_ctx x = {l};
    return dbideas_owing(journal_db(j), journal_today(j) - OWING_WINDOW, PER_SOURCE, on_owing, &x,
                         e);
}

/* ---- introductions and your own offers --------------------------------- */

/* A contact with needs, copied out of the query. */
struct needy {
    char id[KID_LEN + 1];
    char *name;
    struct kstrlist needs;
};

struct needy_list {
    struct needy *v;
    size_t n;
};

static void needy_clear(struct needy_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        kstrlist_clear(&l->v[i].needs);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void split_lines(const char *s, struct kstrlist *out)
{
    for (const char *p = s; p && *p;) {
        size_t n = strcspn(p, "\n");
        char *v = kstr_ndup(p, n);
        if (*v)
            kstrlist_add(out, v);
        free(v);
        p += n + (p[n] == '\n');
    }
}

static int on_needy(const struct dbideas_giver *g, void *ud)
{
    struct needy_list *l = ud;
    l->v = krealloc(l->v, (l->n + 1) * sizeof *l->v);
    struct needy *n = &l->v[l->n++];
    memset(n, 0, sizeof *n);
    snprintf(n->id, sizeof n->id, "%s", g->id);
    n->name = kstr_dup(g->name);
    split_lines(g->needs, &n->needs);
    return 0;
}

/* The best match for one need among the candidates, as they come. */
struct match {
    const struct kstrlist *want; /* the need's words */
    const char *but;
    char id[KID_LEN + 1];
    char *name;
    char *what;  /* "offers 'seed investing'", "works on '...'", "is tagged #investor" */
    char *words; /* the words shared, ", " between */
    size_t count;
};

static char *excerpt(const char *s)
{
    size_t n = strcspn(s, "\n");
    if (n > 60) {
        n = utf8_cut(s, 57);
        return fmt("%.*s...", (int)n, s);
    }
    return kstr_ndup(s, n);
}

/* Keeps in m what meets its need best: an offer, what they work on, a
 * tag; ties go to the first seen. */
static void consider(struct match *m, const char *id, const char *name, const char *what,
                     const char *text, int is_tag)
{
    struct kstrlist have = {0}, shared = {0};
    ideas_words(text, &have);
    size_t n = overlap(m->want, &have, &shared);
    if (n > m->count && strcmp(id, m->but)) {
        struct sbuf b = {0};
        char *ex = excerpt(text);
        m->count = n;
        snprintf(m->id, sizeof m->id, "%s", id);
        free(m->name);
        m->name = kstr_dup(name);
        free(m->what);
        m->what = is_tag ? fmt("is tagged #%s", ex) : fmt("%s '%s'", what, ex);
        free(ex);
        join_words(&b, &shared);
        free(m->words);
        m->words = sbuf_take(&b);
    }
    kstrlist_clear(&have);
    kstrlist_clear(&shared);
}

static int on_giver(const struct dbideas_giver *g, void *ud)
{
    struct match *m = ud;
    struct kstrlist items = {0};
    split_lines(g->offers, &items);
    for (size_t i = 0; i < items.n; i++)
        consider(m, g->id, g->name, "offers", items.v[i], 0);
    kstrlist_clear(&items);
    if (g->working_on)
        consider(m, g->id, g->name, "works on", g->working_on, 0);
    for (const char *p = g->tags; p && *p;) {
        size_t n = strcspn(p, ",");
        char *t = kstr_ndup(p, n);
        consider(m, g->id, g->name, "is tagged", t, 1);
        free(t);
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The full-text query and tag patterns that find who might meet a need. */
static void search_terms(const struct kstrlist *words, struct sbuf *fts, struct sbuf *tags)
{
    for (size_t i = 0; i < words->n; i++) {
        const char *w = words->v[i];
        if (!fts->len)
            sbuf_add(fts, "body : (");
        else
            sbuf_add(fts, " OR ");
        /* Stems are letters and digits: nothing to quote in them. */
        sbuf_printf(fts, "\"%s\"*", w);
        sbuf_printf(tags, "%s%s%s", tags->len ? "," : "", w, strlen(w) >= 4 ? "*" : "");
    }
    if (fts->len)
        sbuf_addc(fts, ')');
}

static int intro_for(struct journal *j, struct idea_list *l, const struct needy *a,
                     const char *need, struct kerr *e)
{
    struct kstrlist want = {0};
    struct sbuf fts = {0}, tags = {0};
    struct match m;
    int rc = K_OK, introduced = 0;
    memset(&m, 0, sizeof m);
    ideas_words(need, &want);
    if (!want.n)
        goto out;
    m.want = &want;
    m.but = a->id;
    search_terms(&want, &fts, &tags);
    if ((rc = dbideas_candidates(journal_db(j), fts.s, tags.s, a->id, GIVERS_PER, on_giver, &m,
                                 e)) != K_OK ||
        !m.count)
        goto out;
    /* Introduced already: an intro with both of them. */
    if ((rc = dbideas_done(journal_db(j), a->id, m.id, "intro", NULL, KDATE_NONE, &introduced,
                           e)) != K_OK ||
        introduced)
        goto out;
    char *ex = excerpt(need);
    struct idea *d = add(l, IDEA_INTRO, 40 + 8 * min_int((int)m.count, 3), a->id, a->name,
                         fmt("Introduce %s to %s", a->name, m.name),
                         fmt("%s needs '%s'; %s %s (%s)", a->name, ex, m.name, m.what, m.words),
                         "intro", KDIR_GAVE, fmt("introduced %s to %s: %s", a->name, m.name, ex));
    free(ex);
    snprintf(d->who[1].id, sizeof d->who[1].id, "%s", m.id);
    d->who[1].name = kstr_dup(m.name);
    d->nwho = 2;
out:
    kstrlist_clear(&want);
    sbuf_free(&fts);
    sbuf_free(&tags);
    free(m.name);
    free(m.what);
    free(m.words);
    return rc;
}

/* Your own offers (the config's me.offers) against what a contact needs:
 * the best pair, unless you gave them something lately. */
static int share_for(struct journal *j, struct idea_list *l, const struct needy *a, struct kerr *e)
{
    const struct config *cfg = journal_config(j);
    size_t best = 0, bi = 0, bo = 0;
    char *words = NULL;
    for (size_t i = 0; cfg && i < a->needs.n; i++) {
        struct kstrlist want = {0};
        ideas_words(a->needs.v[i], &want);
        for (size_t o = 0; o < cfg->nme_offers; o++) {
            struct kstrlist have = {0}, shared = {0};
            ideas_words(cfg->me_offers[o], &have);
            size_t n = overlap(&want, &have, &shared);
            if (n > best) {
                struct sbuf b = {0};
                join_words(&b, &shared);
                free(words);
                words = sbuf_take(&b);
                best = n;
                bi = i;
                bo = o;
            }
            kstrlist_clear(&have);
            kstrlist_clear(&shared);
        }
        kstrlist_clear(&want);
    }
    int gave = 0, rc = K_OK;
    if (best &&
        (rc = dbideas_done(journal_db(j), a->id, NULL, NULL, "gave",
                           journal_today(j) - SHARED_RECENT, &gave, e)) == K_OK &&
        !gave) {
        char *need = excerpt(a->needs.v[bi]), *offer = excerpt(cfg->me_offers[bo]);
        add(l, IDEA_SHARE, 35 + 8 * min_int((int)best, 3), a->id, a->name,
            fmt("Offer %s your %s", a->name, offer),
            fmt("%s needs '%s'; you offer '%s' (%s)", a->name, need, offer, words), "help",
            KDIR_GAVE, fmt("offered %s: %s", offer, need));
        free(need);
        free(offer);
    }
    free(words);
    return rc;
}

static int match_ideas(struct journal *j, struct idea_list *l, struct kerr *e)
{
    struct needy_list nl = {0};
    int rc = dbideas_with_needs(journal_db(j), NEEDY_MAX, on_needy, &nl, e);
    for (size_t i = 0; rc == K_OK && i < nl.n; i++) {
        for (size_t k = 0; rc == K_OK && k < nl.v[i].needs.n; k++)
            rc = intro_for(j, l, &nl.v[i], nl.v[i].needs.v[k], e);
        if (rc == K_OK)
            rc = share_for(j, l, &nl.v[i], e);
    }
    needy_clear(&nl);
    return rc;
}

/* ---- the list ---------------------------------------------------------- */

static int by_rank(const void *x, const void *y)
{
    const struct idea *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    char *fa = kstr_fold_key(a->who[0].name), *fb = kstr_fold_key(b->who[0].name);
    int c = strcmp(fa, fb);
    free(fa);
    free(fb);
    if (c)
        return c;
    if ((c = strcmp(a->who[0].id, b->who[0].id)))
        return c;
    return strcmp(a->headline, b->headline);
}

/* Each idea of a type after the first counts this much less, so that five
 * thank-yous owed do not hide every other kind of act. */
#define SAME_TYPE_PENALTY 15

/* Reorders the ranked l: each next idea is the best once the ones already
 * taken of its type are counted against it (ties keep the ranking). */
static void vary(struct idea_list *l)
{
    struct idea *v = kcalloc(l->n ? l->n : 1, sizeof *v);
    unsigned char *taken = kcalloc(l->n ? l->n : 1, 1);
    int count[IDEA_TYPE_COUNT] = {0};
    for (size_t k = 0; k < l->n; k++) {
        size_t best = l->n;
        int best_score = 0;
        for (size_t i = 0; i < l->n; i++) {
            int s = l->v[i].score - SAME_TYPE_PENALTY * count[l->v[i].type];
            if (!taken[i] && (best == l->n || s > best_score)) {
                best = i;
                best_score = s;
            }
        }
        taken[best] = 1;
        count[l->v[best].type]++;
        v[k] = l->v[best];
    }
    free(taken);
    free(l->v);
    l->v = v;
}

int ideas_list(struct journal *j, size_t limit, struct idea_list *out, struct kerr *e)
{
    int (*const sources[])(struct journal *, struct idea_list *, struct kerr *) = {
        thank_ideas, birthday_ideas, report_ideas, reconnect_ideas, give_ideas, match_ideas};
    int rc = K_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; rc == K_OK && i < sizeof sources / sizeof sources[0]; i++)
        rc = sources[i](j, out, e);
    if (rc != K_OK) {
        idea_list_clear(out);
        return rc;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, by_rank);
    vary(out);
    if (!limit)
        limit = 20;
    for (size_t i = limit; i < out->n; i++)
        idea_free(&out->v[i]);
    if (out->n > limit)
        out->n = limit;
    return K_OK;
}

/* Appends s to b as a JSON string (null for NULL). */
static int put_json(struct journal *j, struct sbuf *b, const char *s, struct kerr *e)
{
    if (!s) {
        sbuf_add(b, "null");
        return K_OK;
    }
    char *q = NULL;
    int rc = journal_json_quote(j, s, &q, e);
    if (rc == K_OK)
        sbuf_add(b, q);
    free(q);
    return rc;
}

int ideas_json(struct journal *j, const struct idea_list *l, char **json, struct kerr *e)
{
    struct sbuf b = {0};
    int rc = K_OK;
    *json = NULL;
    sbuf_addc(&b, '[');
    for (size_t i = 0; rc == K_OK && i < l->n; i++) {
        const struct idea *d = &l->v[i];
        sbuf_printf(&b, "%s{\"n\":%zu,\"type\":\"%s\",\"score\":%d,\"headline\":", i ? "," : "",
                    i + 1, idea_type_name(d->type), d->score);
        rc = put_json(j, &b, d->headline, e);
        sbuf_add(&b, ",\"reason\":");
        if (rc == K_OK)
            rc = put_json(j, &b, d->reason, e);
        sbuf_add(&b, ",\"contacts\":[");
        for (size_t k = 0; rc == K_OK && k < d->nwho; k++) {
            sbuf_printf(&b, "%s{\"id\":\"%s\",\"name\":", k ? "," : "", d->who[k].id);
            rc = put_json(j, &b, d->who[k].name, e);
            sbuf_addc(&b, '}');
        }
        sbuf_add(&b, "],\"referral\":");
        if (d->referral[0])
            sbuf_printf(&b, "\"%s\"", d->referral);
        else
            sbuf_add(&b, "null");
        sbuf_add(&b, ",\"act\":{\"kind\":");
        if (rc == K_OK)
            rc = put_json(j, &b, d->kind, e);
        sbuf_printf(&b, ",\"direction\":\"%s\",\"summary\":", kdir_name(d->dir));
        if (rc == K_OK)
            rc = put_json(j, &b, d->summary, e);
        sbuf_add(&b, "}}");
    }
    sbuf_addc(&b, ']');
    if (rc == K_OK)
        *json = sbuf_take(&b);
    sbuf_free(&b);
    return rc;
}

int ideas_act(struct journal *j, const struct idea *idea, const struct interaction_input *in,
              char id[KID_LEN + 1], int *ticked, int *thanked, struct kerr *e)
{
    int rc, with_referrer = 0;
    if (thanked)
        *thanked = 0;
    if ((rc = journal_begin(j, e)) != K_OK)
        return rc;
    if ((rc = interaction_log_act(j, in, CHALLENGE_TICK_ALWAYS, id, ticked, e)) != K_OK)
        goto fail;
    for (size_t i = 0; idea->referral[0] && i < in->ncontacts; i++)
        with_referrer |= !strcmp(in->contact_ids[i], idea->who[0].id);
    if (idea->type == IDEA_THANK && with_referrer) {
        /* Not linked to the interaction: undo takes both back in the
         * order they were written, and a link would be cleared first. */
        struct thanks_input t = {idea->who[0].id, in->date, NULL, idea->referral, NULL, NULL};
        char tid[KID_LEN + 1];
        if (in->kind && strcmp(in->kind, "thank-you"))
            t.form = in->kind;
        if ((rc = thanks_add(j, &t, tid, e)) != K_OK)
            goto fail;
        if (thanked)
            *thanked = 1;
    }
    if ((rc = journal_commit(j, e)) == K_OK)
        return K_OK;
fail:
    journal_rollback(j);
    if (ticked)
        *ticked = 0;
    return rc;
}
