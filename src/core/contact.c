#include "kith/core/contact.h"

#include "kith/core/check.h"
#include "kith/store/db.h"
#include "kith/store/dbcontact.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

static const char *const sort_names[] = {"name", "recent", "silent", "goodwill"};

const char *contact_sort_name(enum contact_sort s)
{
    return (unsigned)s < CONTACT_SORT_COUNT ? sort_names[s] : "?";
}

int contact_sort_parse(const char *s, enum contact_sort *out)
{
    for (int i = 0; s && i < CONTACT_SORT_COUNT; i++)
        if (!strcmp(s, sort_names[i])) {
            *out = (enum contact_sort)i;
            return 0;
        }
    return -1;
}

void contact_patch_init(struct contact_patch *p)
{
    memset(p, 0, sizeof *p);
    p->archived = -1;
}

void contact_patch_clear(struct contact_patch *p)
{
    if (!p)
        return;
    struct kstrlist *l[] = {&p->add_emails, &p->add_phones, &p->add_links,  &p->add_tags,
                            &p->rm_emails,  &p->rm_phones,  &p->rm_links,   &p->rm_tags,
                            &p->add_needs,  &p->rm_needs,   &p->add_offers, &p->rm_offers};
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        kstrlist_clear(l[i]);
}

/* Trims surrounding white space; NULL for "" so empty means cleared. */
static char *clean(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n ? kstr_ndup(s, n) : NULL;
}

static void set_field(char **field, const char *value)
{
    if (!value)
        return;
    free(*field);
    *field = clean(value);
}

/* The index of v in l (tags compare folded), or l->n. */
static size_t find_value(const struct kstrlist *l, const char *v, int fold)
{
    char *fv = fold ? kstr_fold(v) : NULL;
    size_t i = 0;
    for (; i < l->n; i++) {
        char *fl = fold ? kstr_fold(l->v[i]) : NULL;
        int same = fold ? !strcmp(fl, fv) : !strcmp(l->v[i], v);
        free(fl);
        if (same)
            break;
    }
    free(fv);
    return i;
}

/* Removes v from l and its label from labels (may be NULL). */
static void remove_value(struct kstrlist *l, struct kstrlist *labels, struct kstrlist *props,
                         const char *v, int fold)
{
    size_t i = find_value(l, v, fold);
    if (i == l->n)
        return;
    kstrlist_remove(l, i);
    if (labels)
        kstrlist_remove(labels, i);
    if (props)
        kstrlist_remove(props, i);
}

/* A need or an offer: one line of short text, not blank. */
static int check_give_item(const char *field, const char *v, struct kerr *e)
{
    if (check_text(field, v, CHECK_SHORT_MAX, e) != K_OK)
        return K_USAGE;
    char *t = clean(v);
    free(t);
    const char *a = strchr("aeiou", field[0]) ? "an" : "a";
    if (!t)
        return kerr_set_field(e, K_USAGE, field, "an empty %s", field);
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return kerr_set_field(e, K_USAGE, field, "%s %s is one line without control characters",
                                  a, field);
    return K_OK;
}

int contact_patch_check(const struct contact_patch *p, int today, struct kerr *e)
{
    const struct {
        const char *field;
        const char *value;
        size_t max;
    } texts[] = {
        {"name", p->name, CHECK_SHORT_MAX},
        {"company", p->company, CHECK_SHORT_MAX},
        {"title", p->title, CHECK_SHORT_MAX},
        {"location", p->location, CHECK_SHORT_MAX},
        {"how-met", p->how_met, CHECK_SHORT_MAX},
        {"note", p->note, CHECK_LONG_MAX},
        {"working-on", p->working_on, CHECK_LONG_MAX},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (check_text(texts[i].field, texts[i].value, texts[i].max, e) != K_OK)
            return K_USAGE;
    if (p->name) {
        char *n = clean(p->name);
        free(n);
        if (!n)
            return kerr_set_field(e, K_USAGE, "name", "a contact needs a name");
    }
    int day;
    if (p->met_on && *p->met_on && kdate_parse(p->met_on, today, &day, e) != K_OK) {
        kerr_field(e, "met-on");
        return K_USAGE;
    }
    char bday[KDATE_BUF];
    if (p->birthday && *p->birthday && kdate_parse_birthday(p->birthday, bday, e) != K_OK) {
        kerr_field(e, "birthday");
        return K_USAGE;
    }
    for (size_t i = 0; i < p->add_emails.n; i++)
        if (check_email(p->add_emails.v[i], e) != K_OK)
            return K_USAGE;
    for (size_t i = 0; i < p->add_phones.n; i++)
        if (check_phone(p->add_phones.v[i], e) != K_OK)
            return K_USAGE;
    for (size_t i = 0; i < p->add_links.n; i++)
        if (check_text("link", p->add_links.v[i], CHECK_SHORT_MAX, e) != K_OK)
            return K_USAGE;
    const struct kstrlist *tags[] = {&p->add_tags, &p->rm_tags};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < tags[k]->n; i++) {
            char *t;
            if (check_tag(tags[k]->v[i], &t, e) != K_OK)
                return K_USAGE;
            free(t);
        }
    }
    const struct kstrlist *gives[] = {&p->add_needs, &p->add_offers};
    static const char *const give_names[] = {"need", "offer"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < gives[k]->n; i++)
            if (check_give_item(give_names[k], gives[k]->v[i], e) != K_OK)
                return K_USAGE;
    int days;
    if (p->every && *p->every && kdate_parse_span(p->every, &days, e) != K_OK) {
        kerr_field(e, "every");
        return K_USAGE;
    }
    return K_OK;
}

/* The one-value fields. p is checked: the conversions cannot fail. */
static void patch_scalars(struct contact *c, const struct contact_patch *p, int today)
{
    set_field(&c->name, p->name);
    set_field(&c->company, p->company);
    set_field(&c->title, p->title);
    set_field(&c->location, p->location);
    set_field(&c->how_met, p->how_met);
    set_field(&c->working_on, p->working_on);
    if (p->note) {
        /* Notes keep their white space: it may be formatting. */
        free(c->note);
        c->note = *p->note ? kstr_dup(p->note) : NULL;
    }
    /* An empty value clears the field; NULL leaves it alone. */
    if (p->met_on && *p->met_on)
        kdate_parse(p->met_on, today, &c->met_on, NULL);
    else if (p->met_on)
        c->met_on = KDATE_NONE;
    if (p->birthday) {
        char bday[KDATE_BUF] = "";
        if (*p->birthday)
            kdate_parse_birthday(p->birthday, bday, NULL);
        free(c->birthday);
        c->birthday = *bday ? kstr_dup(bday) : NULL;
    }
    if (p->archived >= 0)
        c->archived = p->archived ? 1 : 0;
    if (p->every) {
        c->cadence_days = 0;
        if (*p->every)
            kdate_parse_span(p->every, &c->cadence_days, NULL);
    }
}

/* "#Rust " is stored as "Rust": the mark and blanks go, the case the user typed stays
 * (lookups fold case). */
static void fold_tags(const struct kstrlist *raw, struct kstrlist *folded)
{
    for (size_t i = 0; i < raw->n; i++) {
        char *t;
        check_tag(raw->v[i], &t, NULL);
        kstrlist_add(folded, t);
        free(t);
    }
}

/* Removals go first: a value both removed and added by one patch ends up present. Emails,
 * phones and links carry parallel label (and link property) lists that must shrink with them. */
static void patch_lists(struct contact *c, const struct contact_patch *p)
{
    struct kstrlist tags = {0}, untags = {0};
    fold_tags(&p->add_tags, &tags);
    fold_tags(&p->rm_tags, &untags);
    const struct kstrlist *adds[] = {&p->add_emails, &p->add_phones, &p->add_links, &tags};
    const struct kstrlist *rms[] = {&p->rm_emails, &p->rm_phones, &p->rm_links, &untags};
    struct kstrlist *dst[] = {&c->emails, &c->phones, &c->links, &c->tags};
    struct kstrlist *labels[] = {&c->email_labels, &c->phone_labels, &c->link_labels, NULL};
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < rms[k]->n; i++)
            remove_value(dst[k], labels[k], k == 2 ? &c->link_props : NULL, rms[k]->v[i], k == 3);
        for (size_t i = 0; i < adds[k]->n; i++)
            if (find_value(dst[k], adds[k]->v[i], k == 3) == dst[k]->n)
                kstrlist_add(dst[k], adds[k]->v[i]);
    }
    kstrlist_clear(&tags);
    kstrlist_clear(&untags);
}

/* Needs and offers are free text: they are cleaned before they are stored and matched
 * without case, so "  Intros " removes "intros". */
static void patch_gives(struct contact *c, const struct contact_patch *p)
{
    const struct kstrlist *gadd[] = {&p->add_needs, &p->add_offers};
    const struct kstrlist *grm[] = {&p->rm_needs, &p->rm_offers};
    struct kstrlist *gdst[] = {&c->needs, &c->offers};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < grm[k]->n; i++) {
            char *t = clean(grm[k]->v[i]);
            if (t)
                remove_value(gdst[k], NULL, NULL, t, 1);
            free(t);
        }
        for (size_t i = 0; i < gadd[k]->n; i++) {
            char *t = clean(gadd[k]->v[i]);
            if (t && find_value(gdst[k], t, 1) == gdst[k]->n)
                kstrlist_add(gdst[k], t);
            free(t);
        }
    }
}

/* Applies p to c after checking every value; c is unchanged on error. */
static int apply_patch(struct journal *j, struct contact *c, const struct contact_patch *p,
                       struct kerr *e)
{
    if (contact_patch_check(p, journal_today(j), e) != K_OK)
        return K_USAGE;
    patch_scalars(c, p, journal_today(j));
    patch_lists(c, p);
    patch_gives(c, p);
    return K_OK;
}

int contact_add(struct journal *j, const struct contact_patch *p, char id[KID_LEN + 1],
                struct kerr *e)
{
    struct contact c = {0};
    struct db *db = journal_db(j);
    int rc;
    c.met_on = KDATE_NONE;
    if (!p->name) {
        rc = kerr_set_field(e, K_USAGE, "name", "a contact needs a name");
        goto out;
    }
    if ((rc = apply_patch(j, &c, p, e)) != K_OK)
        goto out;
    db_new_id(c.id);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    if ((rc = dbcontact_insert(db, &c, e)) != K_OK || (rc = db_commit(db, e)) != K_OK) {
        db_rollback(db);
        goto out;
    }
    memcpy(id, c.id, KID_LEN + 1);
out:
    contact_clear(&c);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static int same_list(const struct kstrlist *a, const struct kstrlist *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]))
            return 0;
    return 1;
}

/* 1 when the stored fields of a and b are the same. */
static int same_contact(const struct contact *a, const struct contact *b)
{
    return same_text(a->name, b->name) && same_text(a->company, b->company) &&
           same_text(a->title, b->title) && same_text(a->location, b->location) &&
           same_text(a->how_met, b->how_met) && same_text(a->note, b->note) &&
           same_text(a->working_on, b->working_on) && same_text(a->birthday, b->birthday) &&
           a->met_on == b->met_on && a->archived == b->archived &&
           same_list(&a->emails, &b->emails) && same_list(&a->phones, &b->phones) &&
           same_list(&a->links, &b->links) && same_list(&a->tags, &b->tags) &&
           same_list(&a->needs, &b->needs) && same_list(&a->offers, &b->offers) &&
           a->cadence_days == b->cadence_days;
}

static void copy_list(struct kstrlist *to, const struct kstrlist *from)
{
    for (size_t i = 0; i < from->n; i++)
        kstrlist_add(to, from->v[i]);
}

int contact_edit(struct journal *j, const char *id, const struct contact_patch *p, struct kerr *e)
{
    struct contact c = {0}, was = {0};
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    if ((rc = dbcontact_get(db, id, &c, e)) != K_OK)
        goto fail;
    was.name = kstr_dup(c.name);
    was.company = kstr_dup(c.company);
    was.title = kstr_dup(c.title);
    was.location = kstr_dup(c.location);
    was.how_met = kstr_dup(c.how_met);
    was.note = kstr_dup(c.note);
    was.working_on = kstr_dup(c.working_on);
    was.birthday = kstr_dup(c.birthday);
    was.met_on = c.met_on;
    was.archived = c.archived;
    copy_list(&was.emails, &c.emails);
    copy_list(&was.phones, &c.phones);
    copy_list(&was.links, &c.links);
    copy_list(&was.tags, &c.tags);
    copy_list(&was.needs, &c.needs);
    copy_list(&was.offers, &c.offers);
    was.cadence_days = c.cadence_days;
    if ((rc = apply_patch(j, &c, p, e)) != K_OK)
        goto fail;
    /* A save that changes nothing writes nothing (not even the time). */
    if (!same_contact(&c, &was) && (rc = dbcontact_update(db, &c, e)) != K_OK)
        goto fail;
    if ((rc = db_commit(db, e)) == K_OK)
        goto out;
fail:
    db_rollback(db);
out:
    contact_clear(&c);
    contact_clear(&was);
    return rc;
}

int contact_delete(struct journal *j, const char *id, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbcontact_delete(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int contact_resolve(struct journal *j, const char *query, char id[KID_LEN + 1], struct kerr *e)
{
    struct kref *m = NULL;
    size_t n = 0;
    int more = 0, rc;
    if (check_text("contact", query, CHECK_SHORT_MAX, e) != K_OK)
        return K_USAGE;
    /* "  Ben Okafor " from a script or a paste means Ben Okafor. */
    char *trimmed = clean(query);
    if (!trimmed)
        return kerr_set(e, K_USAGE, "no contact given");
    query = trimmed;
    if ((rc = dbcontact_find(journal_db(j), query, 10, &m, &n, &more, e)) != K_OK)
        goto out;
    if (n == 1) {
        memcpy(id, m[0].id, KID_LEN + 1);
    } else if (n == 0) {
        char *q = kstr_escape(query);
        rc = kerr_set(e, K_NOTFOUND, "no contact matches '%s'", q);
        free(q);
    } else {
        struct sbuf rows = {0}, shown = {0};
        char *q = kstr_escape(query);
        sbuf_printf(&shown, "'%s'", q);
        free(q);
        for (size_t i = 0; i < n; i++) {
            char sid[KID_LEN + 1];
            journal_short_id(j, "contact", m[i].id, sid);
            journal_ambiguous_row(&rows, sid, m[i].name);
        }
        rc = journal_ambiguous(shown.s, "contacts", "the name or an id", &rows, more, e);
        sbuf_free(&rows);
        sbuf_free(&shown);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(m[i].name);
    free(m);
    free(trimmed);
    return rc;
}

int contact_named(struct journal *j, const char *name, size_t max, struct kref **out, size_t *n,
                  struct kerr *e)
{
    char *c = clean(name);
    int rc = dbcontact_named(journal_db(j), c ? c : "", max, out, n, e);
    free(c);
    return rc;
}

void contact_refs_free(struct kref *refs, size_t n)
{
    for (size_t i = 0; refs && i < n; i++)
        free(refs[i].name);
    free(refs);
}

int contact_get(struct journal *j, const char *id, struct contact *out, struct kerr *e)
{
    return dbcontact_get(journal_db(j), id, out, e);
}

struct list_ctx {
    struct contact_list *out;
};

static int take_row(const struct contact *c, void *ud)
{
    struct list_ctx *x = ud;
    struct contact_list *l = x->out;
    l->v = kgrowarray(l->v, l->n, sizeof *l->v);
    struct contact *d = &l->v[l->n++];
    memset(d, 0, sizeof *d);
    memcpy(d->id, c->id, sizeof d->id);
    d->name = kstr_dup(c->name);
    d->company = kstr_dup(c->company);
    d->title = kstr_dup(c->title);
    d->name_key = kstr_dup(c->name_key);
    for (size_t i = 0; i < c->tags.n; i++)
        kstrlist_add(&d->tags, c->tags.v[i]);
    d->met_on = KDATE_NONE;
    d->gave = c->gave;
    d->asked = c->asked;
    d->mutual = c->mutual;
    d->goodwill = c->goodwill;
    d->last_interaction = c->last_interaction;
    d->archived = c->archived;
    return 0;
}

int contact_list(struct journal *j, const struct contact_query *q, struct contact_list *out,
                 struct kerr *e)
{
    struct list_ctx x = {out};
    memset(out, 0, sizeof *out);
    int rc = dbcontact_each(journal_db(j), q, take_row, &x, e);
    if (rc == K_OK && !q->skip_total)
        rc = dbcontact_count(journal_db(j), q, &out->total, e);
    if (rc != K_OK)
        contact_list_clear(out);
    return rc;
}

int contact_count(struct journal *j, const struct contact_query *q, size_t *n, struct kerr *e)
{
    return dbcontact_count(journal_db(j), q, n, e);
}

int contact_search_names_only(const struct contact_query *q)
{
    return dbcontact_names_only(q);
}

int contact_position(struct journal *j, const struct contact_query *q, const char *id, size_t *pos,
                     struct kerr *e)
{
    struct contact_query all = *q;
    all.offset = all.limit = 0;
    all.after = all.before = NULL;
    return dbcontact_position(journal_db(j), &all, id, pos, e);
}

int contact_each(struct journal *j, const struct contact_query *q, contact_cb cb, void *ud,
                 struct kerr *e)
{
    return dbcontact_each(journal_db(j), q, cb, ud, e);
}

int contact_each_row(struct journal *j, const struct contact_query *q, contact_row_cb cb, void *ud,
                     struct kerr *e)
{
    return dbcontact_each_row(journal_db(j), q, cb, ud, e);
}

int contact_each_json(struct journal *j, const struct contact_query *q, journal_json_cb cb,
                      void *ud, struct kerr *e)
{
    return dbcontact_each_json(journal_db(j), q, cb, ud, e);
}

int contact_get_json(struct journal *j, const char *id, char **json, struct kerr *e)
{
    return dbcontact_get_json(journal_db(j), id, json, e);
}

/* Moves *src into *dst when dst is empty; 1 when it did. */
static int fill(char **dst, char **src)
{
    if (*dst || !*src)
        return 0;
    *dst = *src;
    *src = NULL;
    return 1;
}

/* Appends src to *dst as a paragraph of its own, unless it is there. */
static int gather(char **dst, const char *src)
{
    if (!src || (*dst && strstr(*dst, src)))
        return 0;
    if (!*dst) {
        *dst = kstr_dup(src);
        return 1;
    }
    struct sbuf b = {0};
    sbuf_printf(&b, "%s\n\n%s", *dst, src);
    free(*dst);
    *dst = sbuf_take(&b);
    return 1;
}

static int absorb_details(struct contact *into, struct contact *k)
{
    int changed = 0;
    struct kstrlist *dst[] = {&into->emails, &into->phones, &into->links};
    struct kstrlist *dlab[] = {&into->email_labels, &into->phone_labels, &into->link_labels};
    const struct kstrlist *src[] = {&k->emails, &k->phones, &k->links};
    const struct kstrlist *slab[] = {&k->email_labels, &k->phone_labels, &k->link_labels};
    for (int l = 0; l < 3; l++) {
        for (size_t i = 0; i < src[l]->n; i++) {
            size_t j = find_value(dst[l], src[l]->v[i], 0);
            const char *label = contact_label(slab[l], i);
            if (j == dst[l]->n) {
                kstrlist_add(dst[l], src[l]->v[i]);
                if (l == 2)
                    contact_set_label(&into->link_props, j, contact_label(&k->link_props, i));
                changed = 1;
            } else if (!*label || *contact_label(dlab[l], j)) {
                continue;
            }
            contact_set_label(dlab[l], j, label);
            changed |= *label != 0;
        }
    }
    for (size_t i = 0; i < k->tags.n; i++) {
        if (find_value(&into->tags, k->tags.v[i], 1) == into->tags.n) {
            kstrlist_add(&into->tags, k->tags.v[i]);
            changed = 1;
        }
    }
    for (size_t i = 0; i < k->needs.n; i++)
        if (find_value(&into->needs, k->needs.v[i], 1) == into->needs.n) {
            kstrlist_add(&into->needs, k->needs.v[i]);
            changed = 1;
        }
    for (size_t i = 0; i < k->offers.n; i++)
        if (find_value(&into->offers, k->offers.v[i], 1) == into->offers.n) {
            kstrlist_add(&into->offers, k->offers.v[i]);
            changed = 1;
        }
    const struct kstrlist *sl[] = {&k->nicknames, &k->uids, &k->extra};
    struct kstrlist *dl[] = {&into->nicknames, &into->uids, &into->extra};
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < sl[l]->n; i++)
            if (!kstrlist_has(dl[l], sl[l]->v[i])) {
                kstrlist_add(dl[l], sl[l]->v[i]);
                changed = 1;
            }
    for (size_t i = 0; i < k->naddresses; i++) {
        int have = 0;
        for (size_t j = 0; j < into->naddresses; j++)
            have |= kaddress_same(&k->addresses[i], &into->addresses[j]);
        if (!have) {
            contact_add_address(into, &k->addresses[i]);
            changed = 1;
        }
    }
    for (size_t i = 0; i < k->nevents; i++) {
        int have = 0;
        for (size_t j = 0; j < into->nevents; j++)
            have |= !strcmp(k->events[i].date, into->events[j].date);
        if (!have) {
            contact_add_event(into, &k->events[i]);
            changed = 1;
        }
    }
    return changed;
}

int contact_absorb(struct contact *into, struct contact *k, unsigned flags)
{
    int changed = 0;
    changed |= fill(&into->company, &k->company);
    changed |= fill(&into->title, &k->title);
    changed |= fill(&into->location, &k->location);
    changed |= fill(&into->how_met, &k->how_met);
    if (flags & CONTACT_ABSORB_NOTES) {
        changed |= gather(&into->note, k->note);
        changed |= gather(&into->working_on, k->working_on);
    } else {
        changed |= fill(&into->note, &k->note);
        changed |= fill(&into->working_on, &k->working_on);
    }
    changed |= fill(&into->birthday, &k->birthday);
    if (into->met_on == KDATE_NONE && k->met_on != KDATE_NONE) {
        into->met_on = k->met_on;
        changed = 1;
    }
    if (!into->cadence_days && k->cadence_days) {
        into->cadence_days = k->cadence_days;
        changed = 1;
    }
    struct kname *n = &into->n;
    if (!n->family && !n->given && !n->additional && !n->prefix && !n->suffix) {
        changed |= fill(&n->family, &k->n.family) | fill(&n->given, &k->n.given) |
                   fill(&n->additional, &k->n.additional) | fill(&n->prefix, &k->n.prefix) |
                   fill(&n->suffix, &k->n.suffix);
    }
    changed |= absorb_details(into, k);
    /* A merge never drops a name: another one becomes a nickname. */
    if ((flags & CONTACT_ABSORB_NAME) && k->name && into->name) {
        char *a = kstr_fold(into->name), *b = kstr_fold(k->name);
        int other = strcmp(a, b) != 0;
        free(a);
        free(b);
        if (other && find_value(&into->nicknames, k->name, 1) == into->nicknames.n) {
            kstrlist_add(&into->nicknames, k->name);
            changed = 1;
        }
    }
    return changed;
}
