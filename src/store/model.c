#include "kith/model.h"

#include "kith/kstr.h"

#include <stdlib.h>
#include <string.h>

static const char *const dir_names[] = {"gave", "asked", "mutual"};
static const char *const outcome_names[] = {"pending", "meeting", "interview", "offer",
                                            "hired",   "won",     "lost",      "none"};

const char *kdir_name(enum kdir d)
{
    return (unsigned)d < 3 ? dir_names[d] : "?";
}

int kdir_parse(const char *s, enum kdir *out)
{
    for (int i = 0; s && i < 3; i++)
        if (!strcmp(s, dir_names[i])) {
            *out = (enum kdir)i;
            return 0;
        }
    return -1;
}

const char *koutcome_name(enum koutcome o)
{
    return (unsigned)o < KOUT_COUNT ? outcome_names[o] : "?";
}

int koutcome_parse(const char *s, enum koutcome *out)
{
    for (int i = 0; s && i < KOUT_COUNT; i++)
        if (!strcmp(s, outcome_names[i])) {
            *out = (enum koutcome)i;
            return 0;
        }
    return -1;
}

void kstrlist_add(struct kstrlist *l, const char *s)
{
    l->v = krealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = kstr_dup(s);
}

int kstrlist_has(const struct kstrlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 1;
    return 0;
}

void kstrlist_clear(struct kstrlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void contact_clear(struct contact *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->company);
    free(c->title);
    free(c->location);
    free(c->how_met);
    free(c->note);
    free(c->working_on);
    free(c->birthday);
    free(c->name_key);
    kstrlist_clear(&c->emails);
    kstrlist_clear(&c->phones);
    kstrlist_clear(&c->links);
    kstrlist_clear(&c->tags);
    memset(c, 0, sizeof *c);
}

void contact_list_clear(struct contact_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        contact_clear(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void interaction_clear(struct interaction *it)
{
    if (!it)
        return;
    free(it->kind);
    free(it->summary);
    free(it->note);
    for (size_t i = 0; i < it->ncontacts; i++)
        free(it->contacts[i].name);
    free(it->contacts);
    memset(it, 0, sizeof *it);
}

void interaction_list_clear(struct interaction_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        interaction_clear(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void referral_clear(struct referral *r)
{
    if (!r)
        return;
    free(r->referrer.name);
    free(r->target.name);
    free(r->target_text);
    free(r->kind);
    free(r->note);
    free(r->thanked_form);
    memset(r, 0, sizeof *r);
}

void referral_events_clear(struct referral_events *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].note);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void referral_list_clear(struct referral_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        referral_clear(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void thanks_clear(struct thanks *t)
{
    if (!t)
        return;
    free(t->contact.name);
    free(t->form);
    free(t->note);
    memset(t, 0, sizeof *t);
}

void challenge_clear(struct challenge *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nticks; i++)
        free(c->ticks[i].note);
    free(c->ticks);
    memset(c, 0, sizeof *c);
}

void challenge_list_clear(struct challenge_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        challenge_clear(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void ledger_clear(struct ledger *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].contact.name);
    free(l->v);
    memset(l, 0, sizeof *l);
}
