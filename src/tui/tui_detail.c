#include "kith/tui/tui_detail.h"

#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/core/forward.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/thanks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each part of the card's history reads at most this many entries; the
 * command line has the rest. */
#define DETAIL_MAX 300

/* Appends text with every line after the first indented by indent spaces,
 * so that a multi-line note stays under its heading. */
static void indented(struct sbuf *b, const char *text, int indent)
{
    for (const char *p = text ? text : ""; *p; p++) {
        sbuf_addc(b, *p);
        if (*p == '\n')
            sbuf_printf(b, "%*s", indent, "");
    }
}

/* The view splits its text at line breaks and escapes each line as it
 * draws it; a one-line field (a name, a kind, a target) is escaped here,
 * so that a line break in it shows as \n instead of starting a line. E
 * keeps what it returns in a pool freed with pool_free. */
struct pool {
    char *v[16];
    int n;
};

static const char *E(struct pool *p, const char *s)
{
    if (!s)
        return "?";
    if (p->n == (int)(sizeof p->v / sizeof p->v[0]))
        return "…";
    return p->v[p->n++] = kstr_escape(s);
}

static void pool_free(struct pool *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->v[i]);
    p->n = 0;
}

/* "Label      value" for a one-line value. */
static void row(struct sbuf *b, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    char *esc = kstr_escape(value);
    sbuf_printf(b, "%-10s %s\n", label, esc);
    free(esc);
}

static void block(struct sbuf *b, const char *heading, const char *text)
{
    if (!text || !*text)
        return;
    sbuf_printf(b, "\n%s\n  ", heading);
    indented(b, text, 2);
    sbuf_addc(b, '\n');
}

/* One entry of the card's history, for sorting by date. */
struct entry {
    int date;
    int order; /* within a day: referrals, interactions, thank-yous */
    struct sbuf text;
};

static int newest(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->date != b->date)
        return a->date < b->date ? 1 : -1;
    return a->order - b->order;
}

static struct entry *entry_new(struct entry **v, size_t *n, int date, int order)
{
    *v = kgrowarray(*v, *n, sizeof **v);
    struct entry *en = &(*v)[(*n)++];
    memset(en, 0, sizeof *en);
    en->date = date;
    en->order = order;
    return en;
}

static void interactions(struct tui_app *a, const char *id, struct entry **v, size_t *n, int *more)
{
    struct interaction_query q;
    struct interaction_list l = {0};
    struct kerr e;
    memset(&q, 0, sizeof q);
    q.contact_id = id;
    q.since = q.until = KDATE_NONE;
    q.limit = DETAIL_MAX + 1;
    if (interaction_list(a->j, &q, &l, &e) != K_OK)
        return;
    *more |= l.n > DETAIL_MAX;
    static const char *const mark[] = {"+ gave  ", "- asked ", "= mutual"};
    for (size_t i = 0; i < l.n && i < DETAIL_MAX; i++) {
        const struct interaction *it = &l.v[i];
        struct entry *en = entry_new(v, n, it->date, 1);
        char d[KDATE_BUF];
        struct pool p = {0};
        sbuf_printf(&en->text, "%s  %s %s", kdate_format(it->date, d), mark[it->dir],
                    E(&p, it->kind));
        if (it->summary)
            sbuf_printf(&en->text, ": %s", E(&p, it->summary));
        pool_free(&p);
        if (it->ncontacts > 1) {
            sbuf_add(&en->text, "\n              with ");
            for (size_t k = 0, w = 0; k < it->ncontacts; k++) {
                if (strcmp(it->contacts[k].id, id))
                    sbuf_printf(&en->text, "%s%s", w++ ? ", " : "", E(&p, it->contacts[k].name));
                pool_free(&p);
            }
        }
        if (it->note) {
            sbuf_add(&en->text, "\n              ");
            indented(&en->text, it->note, 14);
        }
    }
    interaction_list_clear(&l);
}

/* A referral's outcome history, one line an event, indented. */
static void outcomes(struct tui_app *a, const struct referral *r, struct sbuf *b,
                     const char *indent)
{
    struct referral_events ev = {0};
    struct kerr e;
    if (referral_events(a->j, r->id, &ev, &e) != K_OK)
        return;
    for (size_t i = 0; i < ev.n; i++) {
        char d[KDATE_BUF];
        sbuf_printf(b, "\n%s%s %s", indent, kdate_format(ev.v[i].date, d),
                    koutcome_name(ev.v[i].outcome));
        if (ev.v[i].note) {
            sbuf_add(b, ": ");
            indented(b, ev.v[i].note, (int)strlen(indent) + 2);
        }
    }
    referral_events_clear(&ev);
}

static void referrals(struct tui_app *a, const char *id, struct entry **v, size_t *n, int *more)
{
    struct referral_query q;
    struct referral_list l = {0};
    struct kerr e;
    memset(&q, 0, sizeof q);
    q.involving_id = id;
    q.limit = DETAIL_MAX + 1;
    if (referral_list(a->j, &q, &l, &e) != K_OK)
        return;
    *more |= l.n > DETAIL_MAX;
    for (size_t i = 0; i < l.n && i < DETAIL_MAX; i++) {
        const struct referral *r = &l.v[i];
        struct entry *en = entry_new(v, n, r->date, 0);
        char d[KDATE_BUF], t[KDATE_BUF];
        int by_them = !strcmp(r->referrer.id, id);
        struct pool p = {0};
        sbuf_printf(&en->text, "%s  ★ ", kdate_format(r->date, d));
        if (by_them)
            sbuf_printf(&en->text, "referred you to %s", E(&p, r->target_text));
        else
            sbuf_printf(&en->text, "%s referred you to them", E(&p, r->referrer.name));
        sbuf_printf(&en->text, " (%s, %s) · ", r->kind ? E(&p, r->kind) : "",
                    koutcome_name(r->outcome));
        pool_free(&p);
        if (r->thanked)
            sbuf_printf(&en->text, "thanked ✓ %s",
                        r->thanked_on != KDATE_NONE ? kdate_format(r->thanked_on, t) : "");
        else
            sbuf_printf(&en->text, "not thanked ✗");
        if (r->note) {
            sbuf_add(&en->text, "\n              ");
            indented(&en->text, r->note, 14);
        }
        outcomes(a, r, &en->text, "              ");
    }
    referral_list_clear(&l);
}

static void thanks(struct tui_app *a, const char *id, struct entry **v, size_t *n, int *more)
{
    struct thanks *t = NULL;
    size_t nt = 0;
    struct kerr e;
    if (thanks_list(a->j, id, 0, DETAIL_MAX + 1, &t, &nt, &e) != K_OK)
        return;
    *more |= nt > DETAIL_MAX;
    for (size_t i = 0; i < nt && i < DETAIL_MAX; i++) {
        struct entry *en = entry_new(v, n, t[i].date, 2);
        char d[KDATE_BUF];
        struct pool p = {0};
        sbuf_printf(&en->text, "%s  ♥ thanked them by %s%s", kdate_format(t[i].date, d),
                    t[i].form ? E(&p, t[i].form) : "", t[i].referral[0] ? " for a referral" : "");
        pool_free(&p);
        if (t[i].note) {
            sbuf_add(&en->text, "\n              ");
            indented(&en->text, t[i].note, 14);
        }
    }
    for (size_t i = 0; i < nt; i++)
        thanks_clear(&t[i]);
    free(t);
}

static void forwards(struct tui_app *a, const char *id, struct entry **v, size_t *n, int *more)
{
    struct forward_query q;
    struct forward_list l = {0};
    struct kerr e;
    memset(&q, 0, sizeof q);
    q.contact_id = id;
    q.since = q.until = KDATE_NONE;
    q.limit = DETAIL_MAX + 1;
    if (forward_list(a->j, &q, &l, &e) != K_OK)
        return;
    *more |= l.n > DETAIL_MAX;
    for (size_t i = 0; i < l.n && i < DETAIL_MAX; i++) {
        struct entry *en = entry_new(v, n, l.v[i].date, 3);
        char d[KDATE_BUF];
        struct pool p = {0};
        sbuf_printf(&en->text, "%s  » paid forward: %s", kdate_format(l.v[i].date, d),
                    E(&p, l.v[i].text));
        pool_free(&p);
        if (l.v[i].note) {
            sbuf_add(&en->text, "\n              ");
            indented(&en->text, l.v[i].note, 14);
        }
    }
    forward_list_clear(&l);
}

static void head(struct tui_app *a, const struct contact *c, struct sbuf *b)
{
    char d[KDATE_BUF], ago[16];
    struct sbuf tags = {0}, met = {0};
    row(b, "Company", c->company);
    row(b, "Title", c->title);
    for (size_t i = 0; i < c->emails.n; i++)
        row(b, "Email", c->emails.v[i]);
    for (size_t i = 0; i < c->phones.n; i++)
        row(b, "Phone", c->phones.v[i]);
    for (size_t i = 0; i < c->links.n; i++)
        row(b, "Link", c->links.v[i]);
    row(b, "Location", c->location);
    if (c->met_on != KDATE_NONE)
        sbuf_add(&met, kdate_format(c->met_on, d));
    if (c->how_met)
        sbuf_printf(&met, "%s%s", met.len ? " · " : "", c->how_met);
    row(b, "Met", met.s);
    row(b, "Birthday", c->birthday);
    for (size_t i = 0; i < c->tags.n; i++)
        sbuf_printf(&tags, "%s#%s", i ? " " : "", c->tags.v[i]);
    row(b, "Tags", tags.s);
    if (c->archived)
        row(b, "Archived", "yes (A brings them back)");
    const struct config *cfg = journal_config(a->j);
    struct sbuf gw = {0};
    if (!cfg || cfg->goodwill_show)
        sbuf_printf(&gw,
                    c->goodwill ? "%+d (gave %d, asked %d, mutual %d) · "
                                : "%d (gave %d, asked %d, mutual %d) · ",
                    c->goodwill, c->gave, c->asked, c->mutual);
    if (c->last_interaction == KDATE_NONE)
        sbuf_add(&gw, "never talked");
    else if (c->last_interaction >= journal_today(a->j))
        sbuf_add(&gw, "last talked today");
    else
        sbuf_printf(&gw, "last talked %s ago (%s)",
                    kdate_ago(journal_today(a->j) - c->last_interaction, ago),
                    kdate_format(c->last_interaction, d));
    row(b, !cfg || cfg->goodwill_show ? "Goodwill" : "Talked", gw.s);
    sbuf_free(&gw);
    sbuf_free(&tags);
    sbuf_free(&met);
    if (c->cadence_days) {
        char span[16], every[64];
        snprintf(every, sizeof every, "%s (keep in touch at least this often)",
                 kdate_span(c->cadence_days, span));
        row(b, "Every", every);
    }
    block(b, "Working on", c->working_on);
    if (c->needs.n)
        sbuf_add(b, "\nNeeds (what they are looking for)\n");
    for (size_t i = 0; i < c->needs.n; i++)
        row(b, "  •", c->needs.v[i]);
    if (c->offers.n)
        sbuf_add(b, "\nOffers (what they can help others with)\n");
    for (size_t i = 0; i < c->offers.n; i++)
        row(b, "  •", c->offers.v[i]);
    block(b, "Note", c->note);
}

void tui_detail_contact(struct tui_app *a, const char *id)
{
    struct contact c;
    struct kerr e;
    memset(&c, 0, sizeof c);
    if (!id) {
        tui_app_say(a, 1, "no contact selected");
        return;
    }
    if (contact_get(a->j, id, &c, &e) != K_OK) {
        tui_app_say(a, 1, "%s", e.msg);
        return;
    }
    struct sbuf b = {0};
    struct entry *v = NULL;
    size_t n = 0;
    int more = 0;
    head(a, &c, &b);
    referrals(a, id, &v, &n, &more);
    interactions(a, id, &v, &n, &more);
    thanks(a, id, &v, &n, &more);
    forwards(a, id, &v, &n, &more);
    if (n)
        qsort(v, n, sizeof *v, newest);
    sbuf_add(&b, "\nHistory, newest first\n");
    if (!n)
        sbuf_add(&b, "  nothing logged yet · l logs an interaction\n");
    for (size_t i = 0; i < n; i++) {
        sbuf_printf(&b, "%s\n", v[i].text.s);
        sbuf_free(&v[i].text);
    }
    if (more)
        sbuf_add(&b, "  … older entries: kith timeline shows them all\n");
    free(v);
    struct sbuf title = {0};
    sbuf_add(&title, c.name);
    tui_form_text(&a->host, title.s, b.s);
    sbuf_free(&title);
    sbuf_free(&b);
    contact_clear(&c);
    a->dirty = TUI_DIRTY_ALL;
}

void tui_detail_referral(struct tui_app *a, const struct referral *r)
{
    struct referral_list tl = {0};
    struct kerr e;
    struct sbuf b = {0};
    char d[KDATE_BUF], t[KDATE_BUF];
    if (!r)
        return;
    struct pool p = {0};
    sbuf_printf(&b, "%s referred you to %s\n\n", E(&p, r->referrer.name), E(&p, r->target_text));
    pool_free(&p);
    row(&b, "Date", kdate_format(r->date, d));
    row(&b, "Kind", r->kind);
    row(&b, "Outcome", koutcome_name(r->outcome));
    struct sbuf th = {0};
    if (r->thanked)
        sbuf_printf(&th, "yes ✓ %s %s",
                    r->thanked_on != KDATE_NONE ? kdate_format(r->thanked_on, t) : "",
                    r->thanked_form ? r->thanked_form : "");
    else
        sbuf_printf(&th, "not yet ✗ (%d days) · t thanks them", journal_today(a->j) - r->date);
    row(&b, "Thanked", th.s);
    sbuf_free(&th);
    block(&b, "Note", r->note);
    sbuf_add(&b, "\nOutcome history");
    size_t before = b.len;
    outcomes(a, r, &b, "  ");
    if (b.len == before)
        sbuf_add(&b, "\n  none yet · o records what came of it");
    sbuf_addc(&b, '\n');
    if (referral_trail(a->j, r->id, &tl, &e) == K_OK && tl.n > 1) {
        sbuf_add(&b, "\nHow it came about, oldest first\n");
        for (size_t i = 0; i < tl.n; i++) {
            const struct referral *x = &tl.v[i];
            sbuf_printf(&b, "%s%s %s → %s (%s) · %s · %s\n", i ? "↳ " : "  ",
                        kdate_format(x->date, d), E(&p, x->referrer.name), E(&p, x->target_text),
                        x->kind ? E(&p, x->kind) : "", koutcome_name(x->outcome),
                        x->thanked ? "thanked ✓" : "not thanked ✗");
            pool_free(&p);
        }
    }
    referral_list_clear(&tl);
    tui_form_text(&a->host, "Referral", b.s);
    sbuf_free(&b);
    a->dirty = TUI_DIRTY_ALL;
}
