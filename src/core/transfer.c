#include "kith/transfer.h"

#include "kith/csv.h"
#include "kith/db.h"
#include "kith/dbcontact.h"
#include "kith/dbtransfer.h"
#include "kith/jsonin.h"
#include "kith/kdate.h"
#include "kith/kfile.h"
#include "kith/kstr.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output is gathered and handed on in pieces of about this size. */
#define CHUNK ((size_t)64 * 1024)

/* Hashes of the emails, phones and name keys this import has written, kept
 * only when the journal had no contacts before it. Then a card none of
 * whose hashes is here cannot match anything, and skips the three lookups
 * (a tenth of a large import); a hash that is here, written or a
 * collision, sends the card to the lookups as before. */
struct seen {
    uint64_t *v; /* open addressing; 0 is a free slot */
    size_t cap, n;
    int on;
};

static uint64_t seen_hash(char kind, const char *s)
{
    uint64_t h = 14695981039346656037ULL ^ (unsigned char)kind;
    h *= 1099511628211ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static int seen_has(const struct seen *t, uint64_t h)
{
    if (!t->cap)
        return 0;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
        if (t->v[i] == h || !t->v[i])
            return t->v[i] == h;
}

/* Puts h into the slots v (cap a power of two, never full); 1 when it was
 * not there. */
static int slot_put(uint64_t *v, size_t cap, uint64_t h)
{
    size_t i = h & (cap - 1);
    while (v[i] && v[i] != h)
        i = (i + 1) & (cap - 1);
    if (v[i])
        return 0;
    v[i] = h;
    return 1;
}

static void seen_put(struct seen *t, uint64_t h)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        uint64_t *v = kcalloc(cap, sizeof *v);
        for (size_t i = 0; i < t->cap; i++)
            if (t->v[i])
                slot_put(v, cap, t->v[i]);
        free(t->v);
        t->v = v;
        t->cap = cap;
    }
    t->n += (size_t)slot_put(t->v, t->cap, h);
}

/* 1 when some email, phone or the name key of c was written by this
 * import (or collides with one that was). */
static int seen_any(const struct seen *t, const struct contact *c, const char *key)
{
    for (size_t i = 0; i < c->emails.n; i++)
        if (seen_has(t, seen_hash('e', c->emails.v[i])))
            return 1;
    for (size_t i = 0; i < c->phones.n; i++)
        if (seen_has(t, seen_hash('p', c->phones.v[i])))
            return 1;
    return seen_has(t, seen_hash('n', key));
}

static void seen_add(struct seen *t, const struct contact *c, const char *key)
{
    for (size_t i = 0; i < c->emails.n; i++)
        seen_put(t, seen_hash('e', c->emails.v[i]));
    for (size_t i = 0; i < c->phones.n; i++)
        seen_put(t, seen_hash('p', c->phones.v[i]));
    seen_put(t, seen_hash('n', key));
}

struct import_ctx {
    struct db *db;
    const struct transfer_import_opts *o;
    struct transfer_stats *st;
    struct db_ids ids;
    struct seen seen;
};

/* The existing contact the card matches, by email, phone, then name. */
static int find_match(struct db *db, const struct contact *c, char id[KID_LEN + 1], struct kerr *e)
{
    int rc = K_NOTFOUND;
    for (size_t i = 0; rc == K_NOTFOUND && i < c->emails.n; i++)
        rc = dbcontact_find_detail(db, "email", c->emails.v[i], id, e);
    for (size_t i = 0; rc == K_NOTFOUND && i < c->phones.n; i++)
        rc = dbcontact_find_detail(db, "phone", c->phones.v[i], id, e);
    if (rc == K_NOTFOUND)
        rc = dbtransfer_find_name(db, c->name, id, e);
    return rc;
}

static void fill(char **dst, char **src)
{
    if (!*dst && *src) {
        *dst = *src;
        *src = NULL;
    }
}

/* Adds what into lacks from k; moves strings out of k. */
static void merge(struct contact *into, struct contact *k)
{
    fill(&into->company, &k->company);
    fill(&into->title, &k->title);
    fill(&into->location, &k->location);
    fill(&into->how_met, &k->how_met);
    fill(&into->note, &k->note);
    fill(&into->working_on, &k->working_on);
    fill(&into->birthday, &k->birthday);
    if (into->met_on == KDATE_NONE)
        into->met_on = k->met_on;
    struct kstrlist *dst[] = {&into->emails, &into->phones, &into->links, &into->tags};
    const struct kstrlist *src[] = {&k->emails, &k->phones, &k->links, &k->tags};
    for (int l = 0; l < 4; l++)
        for (size_t i = 0; i < src[l]->n; i++)
            if (!kstrlist_has(dst[l], src[l]->v[i]))
                kstrlist_add(dst[l], src[l]->v[i]);
}

static int import_card(struct card *k, void *ud, struct kerr *e)
{
    struct import_ctx *x = ud;
    struct contact old;
    char id[KID_LEN + 1];
    char *key = x->seen.on ? kstr_fold_key(k->c.name) : NULL;
    int rc = key && !seen_any(&x->seen, &k->c, key) ? K_NOTFOUND : find_match(x->db, &k->c, id, e);
    if (rc == K_NOTFOUND) {
        db_ids_next(&x->ids, k->c.id);
        if ((rc = dbcontact_insert(x->db, &k->c, e)) != K_OK)
            goto out;
        if (key)
            seen_add(&x->seen, &k->c, key);
        x->st->added++;
        if (x->o->report)
            x->o->report(0, k->c.name, NULL, x->o->ud);
        goto out;
    }
    if (rc != K_OK || (rc = dbcontact_get(x->db, id, &old, e)) != K_OK)
        goto out;
    merge(&old, &k->c);
    rc = dbcontact_update(x->db, &old, e);
    if (rc == K_OK) {
        /* The name kept is the one already seen; the emails and phones
         * may be new to the contact. */
        if (key)
            seen_add(&x->seen, &old, key);
        x->st->merged++;
        if (x->o->report)
            x->o->report(1, k->c.name, old.name, x->o->ud);
    }
    contact_clear(&old);
out:
    free(key);
    return rc;
}

int transfer_import(struct journal *j, enum transfer_format f, const char *buf, size_t n,
                    const struct transfer_import_opts *o, struct transfer_stats *st, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct import_ctx x = {db, o, st, {0}, {0}};
    const char *file = o->file ? o->file : "-";
    int rc;
    memset(st, 0, sizeof *st);
    if ((rc = dbtransfer_bulk(db, 1, e)) != K_OK)
        return rc;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    long long mark = -1;
    size_t before = 0;
    if ((rc = dbcontact_total(db, &before, e)) != K_OK)
        goto rollback;
    x.seen.on = before == 0;
    /* A dry run writes nothing, so it skips the full-text index too. */
    if (!o->dry_run)
        rc = dbtransfer_fts_defer(db, &mark, e);
    if (rc == K_OK && f == TRANSFER_VCARD)
        rc = vcard_parse(buf, n, file, import_card, &x, e);
    else if (rc == K_OK)
        rc = csv_parse(buf, n, file, o->map, import_card, &x, e);
    if (rc == K_OK && !o->dry_run)
        rc = dbtransfer_fts_catch_up(db, mark, e);
rollback:
    if (rc != K_OK || o->dry_run)
        db_rollback(db);
    else
        rc = db_commit(db, e);
out:
    db_ids_free(&x.ids);
    free(x.seen.v);
    dbtransfer_bulk(db, 0, NULL);
    return rc;
}

int transfer_import_json(struct journal *j, const char *buf, size_t n, const char *file,
                         struct kerr *e)
{
    struct db *db = journal_db(j);
    struct kerr te;
    int rc, empty = 0;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbtransfer_empty(db, &empty, e)) != K_OK)
        goto out;
    if (!empty) {
        rc = kerr_set(e, K_ERR,
                      "the journal %s is not empty; import json restores into a new journal "
                      "(use --db NEW-PATH)",
                      journal_path(j));
        goto out;
    }
    if ((rc = jsonin_check(j, buf, n, file, e)) != K_OK)
        goto out;
    if ((rc = dbtransfer_import_json(db, buf, &te)) != K_OK) {
        rc = kerr_set(e, rc, "%s: %s", file, te.msg);
        goto out;
    }
    rc = db_commit(db, e);
out:
    if (rc != K_OK)
        db_rollback(db);
    return rc;
}

struct out_ctx {
    transfer_out_cb out;
    void *ud;
    struct sbuf b;
    int failed;
};

/* Hands the buffer on once it is big enough (or always, with force). */
static int flush(struct out_ctx *o, int force)
{
    if (o->failed || (!force && o->b.len < CHUNK) || !o->b.len)
        return o->failed;
    o->failed = o->out(o->b.s, o->b.len, o->ud) != 0;
    o->b.len = 0;
    o->b.s[0] = '\0';
    return o->failed;
}

static int finish(struct out_ctx *o, int rc, struct kerr *e)
{
    if (rc == K_OK ? flush(o, 1) : o->failed)
        rc = kerr_set(e, K_ERR, "the output could not be written");
    sbuf_free(&o->b);
    return rc;
}

struct vcard_ctx {
    struct out_ctx o;
    enum vcard_version v;
};

static int write_vcard(const struct contact *c, void *ud)
{
    struct vcard_ctx *x = ud;
    vcard_write(&x->o.b, c, x->v);
    return flush(&x->o, 0);
}

int transfer_export_vcard(struct journal *j, enum vcard_version v, transfer_out_cb out, void *ud,
                          struct kerr *e)
{
    struct vcard_ctx x = {{out, ud, {0}, 0}, v};
    int rc = dbtransfer_each_contact(journal_db(j), write_vcard, &x, e);
    return finish(&x.o, rc, e);
}

/* Several values in one cell, as Google Contacts joins them. */
static char *joined(const struct kstrlist *l)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sbuf_add(&b, " ::: ");
        sbuf_add(&b, l->v[i]);
    }
    return b.s;
}

static int write_csv(const struct contact *c, void *ud)
{
    struct out_ctx *o = ud;
    char met[KDATE_BUF] = "";
    char *lists[] = {joined(&c->emails), joined(&c->phones), joined(&c->links), joined(&c->tags)};
    if (c->met_on != KDATE_NONE)
        kdate_format(c->met_on, met);
    const char *row[] = {c->name,       c->company,
                         c->title,      lists[0],
                         lists[1],      lists[2],
                         c->location,   c->birthday,
                         lists[3],      c->note,
                         c->how_met,    met,
                         c->working_on, c->archived ? "true" : "false"};
    csv_write_row(&o->b, row, sizeof row / sizeof row[0]);
    for (int i = 0; i < 4; i++)
        free(lists[i]);
    return flush(o, 0);
}

int transfer_export_csv(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e)
{
    struct out_ctx o = {out, ud, {0}, 0};
    static const char *const header[] = {"name",    "company",  "title",      "emails",  "phones",
                                         "links",   "location", "birthday",   "tags",    "note",
                                         "how_met", "met_on",   "working_on", "archived"};
    csv_write_row(&o.b, header, sizeof header / sizeof header[0]);
    int rc = dbtransfer_each_contact(journal_db(j), write_csv, &o, e);
    return finish(&o, rc, e);
}

static int write_json(const char *json, void *ud)
{
    struct out_ctx *o = ud;
    sbuf_add(&o->b, json);
    return flush(o, 0);
}

int transfer_export_json(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e)
{
    struct out_ctx o = {out, ud, {0}, 0};
    int rc = dbtransfer_export_json(journal_db(j), write_json, &o, e);
    return finish(&o, rc, e);
}

struct ics_ctx {
    struct out_ctx o;
    int today, days;
};

static int write_birthday(const struct kref *c, const char *birthday, void *ud)
{
    struct ics_ctx *x = ud;
    int year = 0, m = 0, d = 0, ty, tm, td;
    int full = strlen(birthday) == 10;
    if ((full && sscanf(birthday, "%d-%d-%d", &year, &m, &d) != 3) ||
        (!full && sscanf(birthday, "%d-%d", &m, &d) != 2))
        return 0;
    kdate_to_ymd(x->today, &ty, &tm, &td);
    for (int y = ty; y <= ty + 1 + x->days / 365; y++) {
        /* 29 February falls on the 28th in other years. */
        int dd = kdate_valid_ymd(y, m, d) ? d : d - 1;
        int day = kdate_from_ymd(y, m, dd);
        if (day < x->today)
            continue;
        if (day > x->today + x->days)
            break;
        char uid[KID_LEN + 40];
        struct sbuf summary = {0};
        snprintf(uid, sizeof uid, "birthday-%s-%04d@kith", c->id, y);
        sbuf_printf(&summary, "Birthday: %s", c->name);
        if (year && y > year)
            sbuf_printf(&summary, " (%d)", y - year);
        struct ics_event ev = {uid, day, summary.s, NULL};
        ics_event(&x->o.b, &ev, x->today);
        sbuf_free(&summary);
    }
    return flush(&x->o, 0);
}

int transfer_export_ics(struct journal *j, int days, const struct ics_event *extra, size_t nextra,
                        transfer_out_cb out, void *ud, struct kerr *e)
{
    struct ics_ctx x = {{out, ud, {0}, 0}, journal_today(j), days};
    ics_begin(&x.o.b);
    int rc = dbtransfer_each_birthday(journal_db(j), write_birthday, &x, e);
    for (size_t i = 0; rc == K_OK && i < nextra; i++)
        ics_event(&x.o.b, &extra[i], x.today);
    ics_end(&x.o.b);
    return finish(&x.o, rc, e);
}

int transfer_read_file(const char *path, char **buf, size_t *n, struct kerr *e)
{
    return kfile_read(path, TRANSFER_INPUT_MAX, KFILE_DASH_STDIN, buf, n, e);
}
