#include "kith/util/model.h"

#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

const char *const kdir_names[KDIR_COUNT] = {"gave", "asked", "mutual"};
const char *const koutcome_names[KOUT_COUNT] = {"pending", "meeting", "interview", "offer",
                                                "hired",   "won",     "lost",      "none"};
const char *const kdetail_names[KDETAIL_COUNT] = {"email", "phone", "link"};
const char *const ktrigger_names[KTRIGGER_COUNT] = {"referral", "interaction", "silence",
                                                    "birthday", "goodwill",    "challenge"};

const char *kdir_name(enum kdir d)
{
    return (unsigned)d < KDIR_COUNT ? kdir_names[d] : "?";
}

int kdir_parse(const char *s, enum kdir *out)
{
    for (int i = 0; s && i < KDIR_COUNT; i++)
        if (!strcmp(s, kdir_names[i])) {
            *out = (enum kdir)i;
            return 0;
        }
    return -1;
}

const char *koutcome_name(enum koutcome o)
{
    return (unsigned)o < KOUT_COUNT ? koutcome_names[o] : "?";
}

int koutcome_parse(const char *s, enum koutcome *out)
{
    for (int i = 0; s && i < KOUT_COUNT; i++)
        if (!strcmp(s, koutcome_names[i])) {
            *out = (enum koutcome)i;
            return 0;
        }
    return -1;
}

void kstrlist_add(struct kstrlist *l, const char *s)
{
    l->v = kgrowarray(l->v, l->n, sizeof *l->v);
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
    kstrlist_clear(&c->email_labels);
    kstrlist_clear(&c->phone_labels);
    kstrlist_clear(&c->link_labels);
    kstrlist_clear(&c->link_props);
    kname_clear(&c->n);
    kstrlist_clear(&c->nicknames);
    kstrlist_clear(&c->uids);
    for (size_t i = 0; i < c->naddresses; i++)
        kaddress_clear(&c->addresses[i]);
    free(c->addresses);
    for (size_t i = 0; i < c->nevents; i++) {
        free(c->events[i].label);
        free(c->events[i].date);
    }
    free(c->events);
    kstrlist_clear(&c->extra);
    kstrlist_clear(&c->needs);
    kstrlist_clear(&c->offers);
    memset(c, 0, sizeof *c);
}

const char *contact_label(const struct kstrlist *labels, size_t i)
{
    return i < labels->n && labels->v[i] ? labels->v[i] : "";
}

void contact_set_label(struct kstrlist *labels, size_t i, const char *label)
{
    if (i >= labels->n && (!label || !*label))
        return;
    while (labels->n <= i)
        kstrlist_add(labels, "");
    free(labels->v[i]);
    labels->v[i] = kstr_dup(label ? label : "");
}

void kstrlist_remove(struct kstrlist *l, size_t i)
{
    if (i >= l->n)
        return;
    free(l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
    l->n--;
}

void contact_add_address(struct contact *c, const struct kaddress *a)
{
    c->addresses = kgrowarray(c->addresses, c->naddresses, sizeof *c->addresses);
    struct kaddress *d = &c->addresses[c->naddresses++];
    d->label = kstr_dup(a->label);
    d->pobox = kstr_dup(a->pobox);
    d->ext = kstr_dup(a->ext);
    d->street = kstr_dup(a->street);
    d->locality = kstr_dup(a->locality);
    d->region = kstr_dup(a->region);
    d->code = kstr_dup(a->code);
    d->country = kstr_dup(a->country);
}

void contact_add_event(struct contact *c, const struct kevent *ev)
{
    c->events = kgrowarray(c->events, c->nevents, sizeof *c->events);
    c->events[c->nevents].label = kstr_dup(ev->label);
    c->events[c->nevents].date = kstr_dup(ev->date);
    c->nevents++;
}

static int same_text(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

int kaddress_same(const struct kaddress *a, const struct kaddress *b)
{
    return same_text(a->pobox, b->pobox) && same_text(a->ext, b->ext) &&
           same_text(a->street, b->street) && same_text(a->locality, b->locality) &&
           same_text(a->region, b->region) && same_text(a->code, b->code) &&
           same_text(a->country, b->country);
}

void kaddress_clear(struct kaddress *a)
{
    if (!a)
        return;
    free(a->label);
    free(a->pobox);
    free(a->ext);
    free(a->street);
    free(a->locality);
    free(a->region);
    free(a->code);
    free(a->country);
    memset(a, 0, sizeof *a);
}

void kname_clear(struct kname *n)
{
    if (!n)
        return;
    free(n->family);
    free(n->given);
    free(n->additional);
    free(n->prefix);
    free(n->suffix);
    memset(n, 0, sizeof *n);
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

void forward_clear(struct forward *f)
{
    if (!f)
        return;
    free(f->text);
    free(f->note);
    free(f->contact.name);
    memset(f, 0, sizeof *f);
}

void forward_list_clear(struct forward_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        forward_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void kconflict_clear(struct kconflict *c)
{
    if (!c)
        return;
    free(c->at);
    free(c->source);
    free(c->place);
    free(c->entity);
    free(c->name);
    free(c->field);
    free(c->kept);
    free(c->other);
    free(c->rule);
    free(c->kept_place);
    free(c->other_place);
    free(c->about);
    memset(c, 0, sizeof *c);
}

void birthday_list_clear(struct birthday_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].contact.name);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void timeline_clear(struct timeline *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].kind);
        free(l->v[i].text);
        free(l->v[i].who);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}
