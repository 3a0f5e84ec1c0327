#include "kith/core/vdir.h"

#include "kith/core/card.h"
#include "kith/core/challenge.h"
#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbconflict.h"
#include "kith/store/dbcontact.h"
#include "kith/store/dbtransfer.h"
#include "kith/store/dbvdir.h"
#include "kith/core/ics.h"
#include "kith/util/kdate.h"
#include "kith/util/kfile.h"
#include "kith/util/kstr.h"
#include "kith/core/reminder.h"
#include "kith/core/transfer.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static long long text_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return (long long)h;
}

/* The folder's items as the journal has them, sorted by name, with an
 * index sorted by ref. */
struct item {
    struct dbvdir_item it;
    int seen;
};

struct items {
    struct item *v;
    size_t n, cap;
    size_t *by_ref;
};

static int load_item(const struct dbvdir_item *it, void *ud)
{
    struct items *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = kreallocarray(l->v, l->cap, sizeof *l->v);
    }
    struct item *d = &l->v[l->n++];
    d->it = *it;
    d->it.name = kstr_dup(it->name);
    d->it.kind = kstr_dup(it->kind);
    d->it.ref = kstr_dup(it->ref);
    d->seen = 0;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->it.name, ((const struct item *)b)->it.name);
}

static const struct items *sort_ctx;

static int by_ref(const void *a, const void *b)
{
    const struct item *x = &sort_ctx->v[*(const size_t *)a], *y = &sort_ctx->v[*(const size_t *)b];
    return strcmp(x->it.ref, y->it.ref);
}

static int items_load(struct db *db, const char *dir, const char *kind, struct items *l,
                      struct kerr *e)
{
    memset(l, 0, sizeof *l);
    int rc = dbvdir_each(db, dir, kind, load_item, l, e);
    if (rc != K_OK)
        return rc;
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_name);
    l->by_ref = kcalloc(l->n + 1, sizeof *l->by_ref);
    for (size_t i = 0; i < l->n; i++)
        l->by_ref[i] = i;
    sort_ctx = l;
    if (l->n)
        qsort(l->by_ref, l->n, sizeof *l->by_ref, by_ref);
    sort_ctx = NULL;
    return K_OK;
}

static void items_free(struct items *l)
{
    for (size_t i = 0; i < l->n; i++)
        dbvdir_item_clear(&l->v[i].it);
    free(l->v);
    free(l->by_ref);
    memset(l, 0, sizeof *l);
}

static struct item *find_name(const struct items *l, const char *name)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->v[mid].it.name, name);
        if (!c)
            return &l->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static struct item *find_ref(const struct items *l, const char *ref)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct item *it = &l->v[l->by_ref[mid]];
        int c = strcmp(it->it.ref, ref);
        if (!c)
            return it;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A file as stat(2) saw it. */
struct fst {
    int exists;
    long long size, mtime, ino;
};

static void file_stat(const char *path, struct fst *f)
{
    struct stat s;
    memset(f, 0, sizeof *f);
    if (stat(path, &s) != 0 || !S_ISREG(s.st_mode))
        return;
    f->exists = 1;
    f->size = (long long)s.st_size;
    f->mtime = (long long)s.st_mtim.tv_sec * 1000000000LL + s.st_mtim.tv_nsec;
    f->ino = (long long)s.st_ino;
}

static int stat_same(const struct dbvdir_item *it, const struct fst *f)
{
    return f->exists && f->size == it->size && f->mtime == it->mtime && f->ino == it->ino;
}

/* One run over one folder. */
struct vx {
    struct journal *j;
    struct db *db;
    char *dir; /* real path */
    const struct vdir_opts *o;
    struct vdir_stats *st;
    struct items items;
    struct sbuf path;
    struct db_ids ids;
    int year;
    int rc;
    struct kerr *e;
};

static const char *path_of(struct vx *x, const char *name)
{
    x->path.len = 0;
    sbuf_printf(&x->path, "%s/%s", x->dir, name);
    return x->path.s;
}

static void note(struct vx *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct vx *x, const char *name, const char *fmt, ...)
{
    if (!x->o->note)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->o->note(name, msg, x->o->ud);
}

/* The folder's real path into x->dir; with create, made (0700) when
 * missing. */
static int open_dir(struct vx *x, const char *dir, int create, struct kerr *e)
{
    struct stat s;
    if (stat(dir, &s) != 0) {
        if (errno != ENOENT || !create)
            return kerr_set(e, errno == ENOENT ? K_NOTFOUND : K_ERR,
                            "cannot open the folder %s: %s", dir,
                            errno == ENOENT ? "it does not exist" : strerror(errno));
        if (mkdir(dir, 0700) != 0)
            return kerr_set(e, K_ERR, "cannot make the folder %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(s.st_mode)) {
        return kerr_set(e, K_USAGE, "%s is not a folder", dir);
    }
    x->dir = realpath(dir, NULL);
    if (!x->dir)
        return kerr_set(e, K_ERR, "cannot open the folder %s: %s", dir, strerror(errno));
    return K_OK;
}

static int vx_begin(struct vx *x, struct journal *j, const char *dir, int create,
                    const struct vdir_opts *o, struct vdir_stats *st, const char *kind,
                    struct kerr *e)
{
    memset(x, 0, sizeof *x);
    memset(st, 0, sizeof *st);
    x->j = j;
    x->db = journal_db(j);
    x->o = o;
    x->st = st;
    x->e = e;
    int y, m, d;
    kdate_to_ymd(journal_today(j), &y, &m, &d);
    x->year = y;
    int rc = open_dir(x, dir, create, e);
    if (rc == K_OK)
        rc = db_begin(x->db, e);
    if (rc == K_OK && (rc = items_load(x->db, x->dir, kind, &x->items, e)) != K_OK)
        db_rollback(x->db);
    return rc;
}

static int vx_end(struct vx *x, int rc)
{
    if (rc == K_OK)
        rc = db_commit(x->db, x->e);
    if (rc != K_OK)
        db_rollback(x->db);
    items_free(&x->items);
    sbuf_free(&x->path);
    db_ids_free(&x->ids);
    free(x->dir);
    return rc;
}

/* Writes text to the file name of the folder through kfile; *f is the
 * file as written. */
static int write_file(struct vx *x, const char *name, const char *text, size_t n, struct fst *f)
{
    struct kfile_out out;
    const char *path = path_of(x, name);
    int rc = kfile_out_open(&out, path, KFILE_REPLACE, journal_path(x->j), x->e);
    if (rc != K_OK)
        return rc;
    if (fwrite(text, 1, n, out.f) != n)
        return kfile_out_fail(&out, errno, x->e);
    if ((rc = kfile_out_commit(&out, x->e)) != K_OK)
        return rc;
    file_stat(path_of(x, name), f);
    return K_OK;
}

/* Removes a file kith wrote, never the journal. */
static int remove_file(struct vx *x, const char *name)
{
    const char *path = path_of(x, name);
    if (kfile_same(path, journal_path(x->j)))
        return kerr_set(x->e, K_ERR, "%s is the journal; left as it is", path);
    if (unlink(path) != 0 && errno != ENOENT)
        return kerr_set(x->e, K_ERR, "cannot remove %s: %s", path, strerror(errno));
    return K_OK;
}

/* Removes file name (when it exists) and kith's record of it, counting it. */
static int forget_file(struct vx *x, const char *name, int exists)
{
    int rc = exists ? remove_file(x, name) : K_OK;
    if (rc == K_OK)
        rc = dbvdir_remove(x->db, x->dir, name, x->e);
    if (rc == K_OK)
        x->st->removed += exists != 0;
    return rc;
}

static int record(struct vx *x, const char *name, const char *kind, const char *ref,
                  const char *base, size_t n, const struct fst *f)
{
    struct dbvdir_item it = {(char *)name, (char *)kind, (char *)ref, text_hash(base, n),
                             f->size,      f->mtime,     f->ino};
    return dbvdir_put(x->db, x->dir, &it, base, x->e);
}

/* Contacts. */

/* The file name for a new contact's card: its UID (less urn:uuid:) when
 * that is a plain name, else one made from a hash of it; never one the
 * folder or the journal already has. */
static char *card_name(struct vx *x, const char *uid)
{
    struct sbuf b = {0};
    const char *u = !strncasecmp(uid, "urn:uuid:", 9) ? uid + 9 : uid;
    int plain = *u && *u != '.' && strlen(u) <= 200;
    for (const char *p = u; plain && *p; p++)
        plain = isalnum((unsigned char)*p) || strchr("-_.@+=", *p);
    if (plain)
        sbuf_add(&b, u);
    else
        sbuf_printf(&b, "kith-%016llx", (unsigned long long)text_hash(uid, strlen(uid)));
    size_t stem = b.len;
    for (int i = 2;; i++) {
        sbuf_add(&b, ".vcf");
        if (access(path_of(x, b.s), F_OK) != 0 && !find_name(&x->items, b.s))
            return sbuf_take(&b);
        b.len = stem;
        b.s[b.len] = '\0';
        sbuf_printf(&b, "-%d", i);
    }
}

static void render(const struct contact *c, enum vcard_version v, struct sbuf *out)
{
    out->len = 0;
    sbuf_addn(out, "", 0);
    vcard_write(out, c, v ? v : VCARD_V30);
}

struct exp {
    struct vx *x;
    struct sbuf text;
};

static int export_one(const char *id, void *ud)
{
    struct exp *p = ud;
    struct vx *x = p->x;
    struct contact c;
    struct fst f;
    char *name = NULL;
    if ((x->rc = dbcontact_get(x->db, id, &c, x->e)) != K_OK)
        return 1;
    render(&c, x->o->version, &p->text);
    long long h = text_hash(p->text.s, p->text.len);
    struct item *it = find_ref(&x->items, id);
    if (it && strcmp(it->it.kind, "contact"))
        it = NULL;
    if (!it) {
        char uid[64];
        if (!c.uids.n)
            snprintf(uid, sizeof uid, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", c.id, c.id + 8,
                     c.id + 12, c.id + 16, c.id + 20);
        name = card_name(x, c.uids.n ? c.uids.v[0] : uid);
        if ((x->rc = write_file(x, name, p->text.s, p->text.len, &f)) == K_OK)
            x->rc = record(x, name, "contact", id, p->text.s, p->text.len, &f);
        x->st->written += x->rc == K_OK;
        goto out;
    }
    it->seen = 1;
    file_stat(path_of(x, it->it.name), &f);
    if (!f.exists) {
        x->st->held++;
        note(x, it->it.name,
             "removed from the folder since kith wrote it; 'kith import vdir' archives %s", c.name);
    } else if (!stat_same(&it->it, &f)) {
        x->st->held++;
        note(x, it->it.name,
             "changed in the folder since kith wrote it; left as it is until 'kith import vdir' "
             "takes the change in");
    } else if (h == it->it.hash) {
        x->st->unchanged++;
    } else {
        if ((x->rc = write_file(x, it->it.name, p->text.s, p->text.len, &f)) == K_OK)
            x->rc = record(x, it->it.name, "contact", id, p->text.s, p->text.len, &f);
        x->st->written += x->rc == K_OK;
    }
out:
    free(name);
    contact_clear(&c);
    return x->rc != K_OK;
}

/* The files of contacts that are gone from the journal or archived. */
static int export_gone(struct vx *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        struct item *it = &x->items.v[i];
        struct fst f;
        if (it->seen || strcmp(it->it.kind, "contact"))
            continue;
        file_stat(path_of(x, it->it.name), &f);
        if (f.exists && !stat_same(&it->it, &f)) {
            x->st->held++;
            note(x, it->it.name,
                 "changed in the folder, but its contact was deleted or archived in kith; left "
                 "as it is ('kith import vdir' takes it in)");
            continue;
        }
        int rc = forget_file(x, it->it.name, f.exists);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

int vdir_export(struct journal *j, const char *dir, const struct vdir_opts *o,
                struct vdir_stats *st, struct kerr *e)
{
    struct vx x;
    int rc = vx_begin(&x, j, dir, 1, o, st, "contact", e);
    if (rc != K_OK)
        return rc;
    struct exp p = {&x, {0}};
    rc = dbvdir_live_contacts(x.db, export_one, &p, e);
    if (rc == K_OK)
        rc = x.rc;
    if (rc == K_OK)
        rc = export_gone(&x);
    sbuf_free(&p.text);
    return vx_end(&x, rc);
}

/* Reading cards back. */

struct one {
    struct contact c;
    int n;
};

static int take_card(struct card *k, void *ud, struct kerr *e)
{
    (void)e;
    struct one *o = ud;
    if (o->n++ == 0) {
        o->c = k->c;
        memset(&k->c, 0, sizeof k->c);
    }
    return K_OK;
}

/* The first card of the n bytes at buf into out (contact_clear); *ncards
 * (may be NULL) counts them. K_USAGE when there is none. */
static int parse_card(const char *buf, size_t n, const char *file, int year, struct contact *out,
                      int *ncards, struct kerr *e)
{
    struct one o;
    memset(&o, 0, sizeof o);
    struct card_opts co = {file, take_card, NULL, &o, NULL, CARD_MDY, year};
    int rc = vcard_parse(buf, n, &co, e);
    if (rc == K_OK && !o.n)
        rc = kerr_set(e, K_USAGE, "no card kith can read in it");
    if (ncards)
        *ncards = o.n;
    if (rc != K_OK)
        contact_clear(&o.c);
    *out = o.c;
    return rc;
}

/* The fields an import compares and takes one by one. */
enum vfield {
    F_NAME,
    F_N,
    F_NICKNAMES,
    F_COMPANY,
    F_TITLE,
    F_EMAILS,
    F_PHONES,
    F_LINKS,
    F_ADDRESSES,
    F_LOCATION,
    F_BIRTHDAY,
    F_EVENTS,
    F_NOTE,
    F_TAGS,
    F_HOW_MET,
    F_MET_ON,
    F_WORKING_ON,
    F_OTHER,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "name",   "name_parts", "nicknames", "company",  "title",      "emails",
    "phones", "links",      "addresses", "location", "birthday",   "events",
    "note",   "tags",       "how_met",   "met_on",   "working_on", "other_properties"};

/* Separators in a field's text: between items, between an item's parts. */
#define ITEM_SEP '\x1e'
#define PART_SEP '\x1f'

static char **scalar_of(struct contact *c, enum vfield f)
{
    switch (f) {
    case F_NAME:
        return &c->name;
    case F_COMPANY:
        return &c->company;
    case F_TITLE:
        return &c->title;
    case F_LOCATION:
        return &c->location;
    case F_BIRTHDAY:
        return &c->birthday;
    case F_NOTE:
        return &c->note;
    case F_HOW_MET:
        return &c->how_met;
    case F_WORKING_ON:
        return &c->working_on;
    default:
        return NULL;
    }
}

static void parts(struct sbuf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(b, PART_SEP);
        sbuf_add(b, v[i] ? v[i] : "");
    }
}

static void labeled(struct sbuf *b, const struct kstrlist *l, const struct kstrlist *labels,
                    const struct kstrlist *props)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *p[] = {l->v[i], contact_label(labels, i), props ? contact_label(props, i) : ""};
        if (i)
            sbuf_addc(b, ITEM_SEP);
        parts(b, p, 3);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_text(struct sbuf *b, const struct kstrlist *l, int sorted)
{
    char **v = kcalloc(l->n + 1, sizeof *v);
    for (size_t i = 0; i < l->n; i++)
        v[i] = l->v[i];
    if (sorted && l->n)
        qsort(v, l->n, sizeof *v, cmp_str);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sbuf_addc(b, ITEM_SEP);
        sbuf_add(b, v[i]);
    }
    free(v);
}

/* Field f of c as text that is equal exactly when the values are. */
static void field_text(struct contact *c, enum vfield f, struct sbuf *b)
{
    b->len = 0;
    sbuf_addn(b, "", 0);
    char **s = scalar_of(c, f);
    if (s) {
        sbuf_add(b, *s ? *s : "");
        return;
    }
    switch (f) {
    case F_N: {
        const char *p[] = {c->n.family, c->n.given, c->n.additional, c->n.prefix, c->n.suffix};
        parts(b, p, 5);
        break;
    }
    case F_NICKNAMES:
        list_text(b, &c->nicknames, 0);
        break;
    case F_TAGS:
        list_text(b, &c->tags, 1);
        break;
    case F_OTHER:
        list_text(b, &c->extra, 0);
        break;
    case F_EMAILS:
        labeled(b, &c->emails, &c->email_labels, NULL);
        break;
    case F_PHONES:
        labeled(b, &c->phones, &c->phone_labels, NULL);
        break;
    case F_LINKS:
        labeled(b, &c->links, &c->link_labels, &c->link_props);
        break;
    case F_ADDRESSES:
        for (size_t i = 0; i < c->naddresses; i++) {
            const struct kaddress *a = &c->addresses[i];
            const char *p[] = {a->label,    a->pobox,  a->ext,  a->street,
                               a->locality, a->region, a->code, a->country};
            if (i)
                sbuf_addc(b, ITEM_SEP);
            parts(b, p, 8);
        }
        break;
    case F_EVENTS:
        for (size_t i = 0; i < c->nevents; i++) {
            const char *p[] = {c->events[i].label, c->events[i].date};
            if (i)
                sbuf_addc(b, ITEM_SEP);
            parts(b, p, 2);
        }
        break;
    case F_MET_ON:
        if (c->met_on != KDATE_NONE) {
            char d[KDATE_BUF];
            sbuf_add(b, kdate_format(c->met_on, d));
        }
        break;
    default:
        break;
    }
}

/* The field's text for people: items on their own lines, parts joined by
 * ", " (empty ones left out); NULL for an empty field. */
static char *display(const char *t)
{
    struct sbuf b = {0};
    int part_pending = 0;
    for (const char *p = t; *p; p++) {
        if (*p == ITEM_SEP) {
            sbuf_addc(&b, '\n');
            part_pending = 0;
        } else if (*p == PART_SEP) {
            part_pending = b.len && b.s[b.len - 1] != '\n';
        } else {
            if (part_pending)
                sbuf_add(&b, ", ");
            part_pending = 0;
            sbuf_addc(&b, *p);
        }
    }
    return b.s;
}

static void copy_list(struct kstrlist *dst, const struct kstrlist *src)
{
    kstrlist_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        kstrlist_add(dst, src->v[i]);
}

static void dup_to(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? kstr_dup(src) : NULL;
}

/* Field f of src into dst. */
static void field_copy(struct contact *dst, struct contact *src, enum vfield f)
{
    char **s = scalar_of(src, f);
    if (s) {
        dup_to(scalar_of(dst, f), *s);
        return;
    }
    switch (f) {
    case F_N:
        dup_to(&dst->n.family, src->n.family);
        dup_to(&dst->n.given, src->n.given);
        dup_to(&dst->n.additional, src->n.additional);
        dup_to(&dst->n.prefix, src->n.prefix);
        dup_to(&dst->n.suffix, src->n.suffix);
        break;
    case F_NICKNAMES:
        copy_list(&dst->nicknames, &src->nicknames);
        break;
    case F_TAGS:
        copy_list(&dst->tags, &src->tags);
        break;
    case F_OTHER:
        copy_list(&dst->extra, &src->extra);
        break;
    case F_EMAILS:
        copy_list(&dst->emails, &src->emails);
        copy_list(&dst->email_labels, &src->email_labels);
        break;
    case F_PHONES:
        copy_list(&dst->phones, &src->phones);
        copy_list(&dst->phone_labels, &src->phone_labels);
        break;
    case F_LINKS:
        copy_list(&dst->links, &src->links);
        copy_list(&dst->link_labels, &src->link_labels);
        copy_list(&dst->link_props, &src->link_props);
        break;
    case F_ADDRESSES:
        for (size_t i = 0; i < dst->naddresses; i++)
            kaddress_clear(&dst->addresses[i]);
        free(dst->addresses);
        dst->addresses = NULL;
        dst->naddresses = 0;
        for (size_t i = 0; i < src->naddresses; i++)
            contact_add_address(dst, &src->addresses[i]);
        break;
    case F_EVENTS:
        for (size_t i = 0; i < dst->nevents; i++) {
            free(dst->events[i].label);
            free(dst->events[i].date);
        }
        free(dst->events);
        dst->events = NULL;
        dst->nevents = 0;
        for (size_t i = 0; i < src->nevents; i++)
            contact_add_event(dst, &src->events[i]);
        break;
    case F_MET_ON:
        dst->met_on = src->met_on;
        break;
    default:
        break;
    }
}

/* 1 when a and b hold the same value in every field. */
static int same_fields(struct contact *a, struct contact *b)
{
    struct sbuf ta = {0}, tb = {0};
    int same = 1;
    for (int f = 0; same && f < F_COUNT; f++) {
        field_text(a, (enum vfield)f, &ta);
        field_text(b, (enum vfield)f, &tb);
        same = !strcmp(ta.s, tb.s);
    }
    sbuf_free(&ta);
    sbuf_free(&tb);
    return same;
}

static int conflict(struct vx *x, const char *name, const struct contact *kith, enum vfield f,
                    const char *mine, const char *theirs)
{
    struct kconflict c;
    memset(&c, 0, sizeof c);
    c.source = "vdir";
    c.place = (char *)path_of(x, name);
    c.entity = "contact";
    snprintf(c.entity_id, sizeof c.entity_id, "%s", kith->id);
    c.name = kith->name;
    c.field = (char *)field_names[f];
    c.kept = display(mine);
    c.other = display(theirs);
    c.rule = "kith's value kept";
    int rc = dbconflict_add(x->db, &c, x->e);
    if (rc == K_OK && x->o->conflict)
        x->o->conflict(&c, x->o->ud);
    free(c.kept);
    free(c.other);
    x->st->conflicts++;
    return rc;
}

/* The three-way merge of one changed file: each field the file changed
 * since base is taken into kith when kith did not change it too; when
 * both changed it differently, kith's value stays and it is a conflict.
 * *changed is set when kith's contact changed. */
static int merge3(struct vx *x, const char *name, struct contact *kith, struct contact *base,
                  struct contact *theirs, int *changed)
{
    struct sbuf r = {0}, tb = {0}, tt = {0}, tm = {0};
    struct contact mine;
    int rc = K_OK;
    *changed = 0;
    /* Kith's side as the file would say it: the three compare alike. */
    render(kith, VCARD_V40, &r);
    if ((rc = parse_card(r.s, r.len, name, x->year, &mine, NULL, x->e)) != K_OK)
        goto out;
    for (int i = 0; rc == K_OK && i < F_COUNT; i++) {
        enum vfield f = (enum vfield)i;
        field_text(base, f, &tb);
        field_text(theirs, f, &tt);
        if (!strcmp(tb.s, tt.s))
            continue;
        field_text(&mine, f, &tm);
        if (!strcmp(tm.s, tt.s))
            continue;
        if (!strcmp(tm.s, tb.s)) {
            field_copy(kith, theirs, f);
            *changed = 1;
        } else {
            rc = conflict(x, name, kith, f, tm.s, tt.s);
        }
    }
    contact_clear(&mine);
out:
    sbuf_free(&r);
    sbuf_free(&tb);
    sbuf_free(&tt);
    sbuf_free(&tm);
    return rc;
}

/* Records the file as read: its base is kith's own rendering when the file
 * says the same in every field (nothing to write back), else the file's
 * text, so that the export writes kith's version over it. */
static int record_read(struct vx *x, const char *name, struct contact *kith, struct contact *theirs,
                       const char *text, size_t n, const struct fst *f)
{
    struct sbuf r = {0};
    struct contact mine;
    render(kith, x->o->version, &r);
    int rc = parse_card(r.s, r.len, name, x->year, &mine, NULL, x->e);
    if (rc == K_OK) {
        int same = same_fields(&mine, theirs);
        rc = same ? record(x, name, "contact", kith->id, r.s, r.len, f)
                  : record(x, name, "contact", kith->id, text, n, f);
        contact_clear(&mine);
    }
    sbuf_free(&r);
    return rc;
}

/* The contact the file's UIDs name, into id; K_NOTFOUND when none. */
static int match_uid(struct vx *x, const struct contact *c, char id[KID_LEN + 1])
{
    for (size_t i = 0; i < c->uids.n; i++) {
        int rc = dbcontact_find_uid(x->db, c->uids.v[i], id, x->e);
        if (rc == K_NOTFOUND && transfer_uid_to_id(c->uids.v[i], id))
            rc = dbcontact_exists(x->db, id, x->e);
        if (rc != K_NOTFOUND)
            return rc;
    }
    return K_NOTFOUND;
}

static int add_contact(struct vx *x, const char *name, struct contact *theirs, int archived,
                       const char *text, size_t n, const struct fst *f)
{
    db_ids_next(&x->ids, theirs->id);
    theirs->archived = archived;
    int rc = dbcontact_insert(x->db, theirs, x->e);
    if (rc == K_OK)
        rc = record_read(x, name, theirs, theirs, text, n, f);
    x->st->added += rc == K_OK;
    return rc;
}

/* A file kith wrote before, changed since: merged into its contact. */
static int import_changed(struct vx *x, struct item *it, struct contact *theirs, const char *text,
                          size_t n, const struct fst *f)
{
    struct contact kith = {0}, base = {0};
    char *btext = NULL;
    int changed = 0;
    int rc = dbcontact_get(x->db, it->it.ref, &kith, x->e);
    if (rc == K_NOTFOUND) {
        /* Deleted in kith, edited in the folder: an edit against a delete
         * keeps the contact, archived, and says so. */
        struct kconflict c;
        memset(&c, 0, sizeof c);
        note(x, it->it.name,
             "edited in the folder after its contact was deleted in kith; added back, archived");
        rc = add_contact(x, it->it.name, theirs, 1, text, n, f);
        if (rc == K_OK) {
            c.source = "vdir";
            c.place = (char *)path_of(x, it->it.name);
            c.entity = "contact";
            snprintf(c.entity_id, sizeof c.entity_id, "%s", theirs->id);
            c.name = theirs->name;
            c.field = "contact";
            c.kept = "edited in the folder";
            c.other = "deleted in kith";
            c.rule = "an edit against a delete keeps the contact, archived";
            rc = dbconflict_add(x->db, &c, x->e);
            if (rc == K_OK && x->o->conflict)
                x->o->conflict(&c, x->o->ud);
            x->st->conflicts++;
        }
        return rc;
    }
    if (rc != K_OK)
        return rc;
    if ((rc = dbvdir_base(x->db, x->dir, it->it.name, &btext, x->e)) != K_OK)
        goto out;
    if ((rc = parse_card(btext, strlen(btext), it->it.name, x->year, &base, NULL, x->e)) != K_OK)
        goto out;
    size_t before = x->st->conflicts;
    if ((rc = merge3(x, it->it.name, &kith, &base, theirs, &changed)) != K_OK)
        goto out;
    if (changed && (rc = dbcontact_update(x->db, &kith, x->e)) != K_OK)
        goto out;
    x->st->updated += changed;
    x->st->same += !changed && before == x->st->conflicts;
    rc = record_read(x, it->it.name, &kith, theirs, text, n, f);
out:
    free(btext);
    contact_clear(&kith);
    contact_clear(&base);
    return rc;
}

/* A file kith has no record of. */
static int import_new(struct vx *x, const char *name, struct contact *theirs, const char *text,
                      size_t n, const struct fst *f)
{
    char id[KID_LEN + 1];
    int rc = match_uid(x, theirs, id);
    if (rc == K_NOTFOUND)
        return add_contact(x, name, theirs, 0, text, n, f);
    if (rc != K_OK)
        return rc;
    struct item *old = find_ref(&x->items, id);
    if (old && !strcmp(old->it.kind, "contact")) {
        struct fst of;
        file_stat(path_of(x, old->it.name), &of);
        if (of.exists) {
            x->st->skipped++;
            note(x, name, "has the UID of %s, which kith keeps in step with %s; left out",
                 theirs->name, old->it.name);
            return K_OK;
        }
        /* The file was renamed: the record follows it. */
        char *base = NULL;
        old->seen = 1;
        if ((rc = dbvdir_base(x->db, x->dir, old->it.name, &base, x->e)) != K_OK)
            return rc;
        struct fst none = {0};
        rc = record(x, name, "contact", id, base, strlen(base), &none);
        free(base);
        if (rc == K_OK)
            rc = dbvdir_remove(x->db, x->dir, old->it.name, x->e);
        struct item moved = {{(char *)name, "contact", id, 0, 0, 0, 0}, 1};
        return rc == K_OK ? import_changed(x, &moved, theirs, text, n, f) : rc;
    }
    /* Met for the first time (a folder kith did not write, a journal
     * restored): what the file adds is added, nothing is overwritten. */
    struct contact kith;
    if ((rc = dbcontact_get(x->db, id, &kith, x->e)) != K_OK)
        return rc;
    if (contact_absorb(&kith, theirs, 0)) {
        rc = dbcontact_update(x->db, &kith, x->e);
        x->st->updated += rc == K_OK;
    } else {
        x->st->same++;
    }
    struct contact again;
    if (rc == K_OK && (rc = parse_card(text, n, name, x->year, &again, NULL, x->e)) == K_OK) {
        rc = record_read(x, name, &kith, &again, text, n, f);
        contact_clear(&again);
    }
    contact_clear(&kith);
    return rc;
}

static int import_file(struct vx *x, const char *name)
{
    struct fst f;
    struct item *it = find_name(&x->items, name);
    file_stat(path_of(x, name), &f);
    if (it)
        it->seen = 1;
    if (!f.exists)
        return K_OK;
    if (it && stat_same(&it->it, &f)) {
        x->st->same++;
        return K_OK;
    }
    char *buf = NULL;
    size_t n = 0;
    struct kerr fe;
    struct contact theirs;
    int ncards = 0;
    if (kfile_read(path_of(x, name), VDIR_FILE_MAX, KFILE_REGULAR, &buf, &n, &fe) != K_OK ||
        parse_card(buf, n, name, x->year, &theirs, &ncards, &fe) != K_OK) {
        x->st->skipped++;
        note(x, name, "%s; left out", fe.msg);
        free(buf);
        return K_OK;
    }
    if (ncards > 1)
        note(x, name, "holds %d cards; kith reads the first", ncards);
    int rc =
        it ? import_changed(x, it, &theirs, buf, n, &f) : import_new(x, name, &theirs, buf, n, &f);
    contact_clear(&theirs);
    free(buf);
    return rc;
}

/* The contacts whose file was removed from the folder: archived. */
static int import_removed(struct vx *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        struct item *it = &x->items.v[i];
        if (it->seen || strcmp(it->it.kind, "contact"))
            continue;
        struct contact c;
        int rc = dbcontact_get(x->db, it->it.ref, &c, x->e);
        if (rc == K_OK && !c.archived) {
            c.archived = 1;
            rc = dbcontact_update(x->db, &c, x->e);
            x->st->archived += rc == K_OK;
        }
        contact_clear(&c);
        if (rc == K_NOTFOUND)
            rc = K_OK;
        if (rc == K_OK)
            rc = dbvdir_remove(x->db, x->dir, it->it.name, x->e);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

static int ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n > m && !strcasecmp(s + n - m, end);
}

/* The names of the folder's files that end in ext (not hidden), sorted. */
static int list_dir(struct vx *x, const char *ext, struct kstrlist *out)
{
    DIR *d = opendir(x->dir);
    if (!d)
        return kerr_set(x->e, K_ERR, "cannot read the folder %s: %s", x->dir, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && ends_with(de->d_name, ext))
            kstrlist_add(out, de->d_name);
    closedir(d);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return K_OK;
}

int vdir_import(struct journal *j, const char *dir, const struct vdir_opts *o,
                struct vdir_stats *st, struct kerr *e)
{
    struct vx x;
    struct kstrlist files = {0};
    int rc = vx_begin(&x, j, dir, 0, o, st, "contact", e);
    if (rc != K_OK)
        return rc;
    rc = list_dir(&x, ".vcf", &files);
    for (size_t i = 0; rc == K_OK && i < files.n; i++)
        rc = import_file(&x, files.v[i]);
    if (rc == K_OK)
        rc = import_removed(&x);
    kstrlist_clear(&files);
    return vx_end(&x, rc);
}

/* Calendars. */

void vdir_reminder_uid(const struct reminder *r, char out[VDIR_UID_MAX])
{
    struct sbuf k = {0};
    char d[KDATE_BUF];
    sbuf_printf(&k, "%s%c%s%c%s", r->rule ? r->rule : "", PART_SEP, r->subject, PART_SEP,
                kdate_format(r->fired_on, d));
    snprintf(out, VDIR_UID_MAX, "reminder-%016llx@kith", (unsigned long long)text_hash(k.s, k.len));
    sbuf_free(&k);
}

/* 1 when the iCalendar text holds a to-do marked done: STATUS:COMPLETED or
 * a COMPLETED time, in any case, on a folded line or not. */
static int ics_completed(const char *buf, size_t n)
{
    struct sbuf line = {0};
    int done = 0;
    sbuf_addn(&line, "", 0);
    for (size_t i = 0; !done && i <= n; i++) {
        int end = i == n || buf[i] == '\n' || buf[i] == '\r';
        if (!end) {
            sbuf_addc(&line, buf[i]);
            continue;
        }
        /* A folded line goes on after the line end and one blank. */
        size_t k = i;
        while (k < n && (buf[k] == '\r' || buf[k] == '\n'))
            k++;
        if (k < n && (buf[k] == ' ' || buf[k] == '\t') && k - i <= 2) {
            i = k;
            continue;
        }
        if (line.len) {
            const char *l = line.s;
            size_t name = strcspn(l, ";:");
            const char *v = strchr(l, ':');
            if (name == 6 && !strncasecmp(l, "STATUS", 6) && v && !strcasecmp(v + 1, "COMPLETED"))
                done = 1;
            if (name == 9 && !strncasecmp(l, "COMPLETED", 9) && v && v[1])
                done = 1;
        }
        line.len = 0;
        line.s[0] = '\0';
        i = k - 1;
    }
    sbuf_free(&line);
    return done;
}

/* The parts of a calendar item's ref: its kind letter, then fields. */
static size_t ref_split(const char *ref, char parts[4][256])
{
    size_t n = 0;
    for (const char *p = ref; n < 4;) {
        size_t len = strcspn(p, "\x1f");
        snprintf(parts[n++], 256, "%.*s", (int)(len < 255 ? len : 255), p);
        if (!p[len])
            break;
        p += len + 1;
    }
    return n;
}

/* What completing a calendar item in the folder does in kith. */
static int completed_there(struct vx *x, const char *ref)
{
    char p[4][256];
    size_t n = ref_split(ref, p);
    int day;
    if (n == 4 && !strcmp(p[0], "r") && kdate_parse_n(p[1], strlen(p[1]), &day)) {
        struct reminder r;
        memset(&r, 0, sizeof r);
        r.rule = p[3];
        snprintf(r.subject, sizeof r.subject, "%.32s", p[2]);
        r.fired_on = day;
        int rc = reminder_done_known(x->j, &r, x->e);
        x->st->done += rc == K_OK;
        return rc;
    }
    if (n == 3 && !strcmp(p[0], "c") && kdate_parse_n(p[2], strlen(p[2]), &day)) {
        struct challenge c;
        memset(&c, 0, sizeof c);
        int rc = challenge_active(x->j, &c, x->e), already = 0;
        if (rc == K_OK && !strcmp(c.id, p[1])) {
            struct kerr te;
            if (challenge_tick(x->j, day, NULL, NULL, &already, &te) == K_OK && !already)
                x->st->done++;
        }
        challenge_clear(&c);
        return rc == K_NOTFOUND ? K_OK : rc;
    }
    return K_OK;
}

/* Each item the folder changed since kith wrote it: completions count in
 * kith; the file's stat is recorded, so that kith writes over the file
 * only when its own item changes. */
static int cal_read_back(struct vx *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        struct item *it = &x->items.v[i];
        struct fst f;
        if (!strcmp(it->it.kind, "contact"))
            continue;
        file_stat(path_of(x, it->it.name), &f);
        if (!f.exists || stat_same(&it->it, &f))
            continue;
        char *buf = NULL, *base = NULL;
        size_t n = 0;
        struct kerr fe;
        int rc = K_OK;
        if (kfile_read(path_of(x, it->it.name), VDIR_FILE_MAX, KFILE_REGULAR, &buf, &n, &fe) !=
            K_OK) {
            note(x, it->it.name, "%s; left out", fe.msg);
            continue;
        }
        if (!strcmp(it->it.kind, "todo") && ics_completed(buf, n))
            rc = completed_there(x, it->it.ref);
        free(buf);
        it->it.size = f.size;
        it->it.mtime = f.mtime;
        it->it.ino = f.ino;
        if (rc == K_OK && (rc = dbvdir_base(x->db, x->dir, it->it.name, &base, x->e)) == K_OK)
            rc = dbvdir_put(x->db, x->dir, &it->it, base, x->e);
        free(base);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

/* Brings one calendar file to text: written when new or when kith's item
 * changed; one the folder removed stays removed. */
static int cal_item(struct vx *x, const char *name, const char *kind, const char *ref,
                    const char *text, size_t n)
{
    struct item *it = find_name(&x->items, name);
    struct fst f;
    file_stat(path_of(x, name), &f);
    if (it)
        it->seen = 1;
    if (!it && f.exists) {
        x->st->held++;
        note(x, name, "is not kith's (a file of that name was already there); left as it is");
        return K_OK;
    }
    if (it && (!f.exists || text_hash(text, n) == it->it.hash)) {
        x->st->unchanged++;
        return K_OK;
    }
    int rc = write_file(x, name, text, n, &f);
    if (rc == K_OK)
        rc = record(x, name, kind, ref, text, n, &f);
    x->st->written += rc == K_OK;
    return rc;
}

static int priority_of(int p)
{
    return p <= 0 ? 1 : p == 1 ? 5 : 9;
}

/* The reminders due today, less the challenge's own (today's act is an
 * item of its own, which ticks the day when completed). */
static int cal_reminders(struct vx *x, struct sbuf *t)
{
    struct reminder_list l = {0};
    struct reminder_query q = {0};
    struct challenge c;
    memset(&c, 0, sizeof c);
    int rc = challenge_active(x->j, &c, x->e);
    if (rc == K_NOTFOUND)
        rc = K_OK;
    if (rc == K_OK)
        rc = reminder_list(x->j, &q, &l, x->e);
    for (size_t i = 0; rc == K_OK && i < l.n; i++) {
        const struct reminder *r = &l.v[i];
        if (c.id[0] && !strcmp(r->subject, c.id))
            continue;
        char uid[VDIR_UID_MAX], name[VDIR_UID_MAX + 8], d[KDATE_BUF];
        struct sbuf ref = {0};
        vdir_reminder_uid(r, uid);
        snprintf(name, sizeof name, "%.*s.ics", (int)(strlen(uid) - 5), uid);
        sbuf_printf(&ref, "r%c%s%c%s%c%s", PART_SEP, kdate_format(r->fired_on, d), PART_SEP,
                    r->subject, PART_SEP, r->rule);
        struct ics_todo td = {uid,        r->due_on,  priority_of(r->priority),
                              r->message, r->contact, KDATE_NONE};
        t->len = 0;
        ics_begin_object(t);
        ics_todo(t, &td, r->fired_on);
        ics_end(t);
        rc = cal_item(x, name, "todo", ref.s, t->s, t->len);
        sbuf_free(&ref);
    }
    reminder_list_clear(&l);
    challenge_clear(&c);
    return rc;
}

/* Replaces the first line of text that starts with head (up to its CRLF)
 * with with; 0 when there is none. */
static int replace_line(struct sbuf *text, const char *head, const char *with)
{
    char *p = strstr(text->s, head);
    char *end = p ? strstr(p, "\r\n") : NULL;
    if (!end)
        return 0;
    struct sbuf b = {0};
    sbuf_addn(&b, text->s, (size_t)(p - text->s));
    sbuf_add(&b, with);
    sbuf_add(&b, end + 2);
    sbuf_free(text);
    *text = b;
    return 1;
}

/* The reminders kith wrote that are no longer due: completed when done,
 * moved when snoozed; the others (their reason went away) are left for
 * cal_gone to remove. */
static int cal_past_reminders(struct vx *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        struct item *it = &x->items.v[i];
        char p[4][256];
        int day, done, until, rc;
        if (it->seen || ref_split(it->it.ref, p) != 4 || strcmp(p[0], "r") ||
            !kdate_parse_n(p[1], strlen(p[1]), &day))
            continue;
        if ((rc = dbvdir_reminder_state(x->db, p[3], p[2], day, &done, &until, x->e)) != K_OK)
            return rc;
        if (!done && until == KDATE_NONE)
            continue;
        struct sbuf t = {0}, with = {0};
        char *name = kstr_dup(it->it.name), *ref = kstr_dup(it->it.ref);
        if ((rc = dbvdir_base(x->db, x->dir, name, &t.s, x->e)) == K_OK) {
            int y, m, d;
            t.len = t.cap = strlen(t.s);
            if (done) {
                kdate_to_ymd(journal_today(x->j), &y, &m, &d);
                sbuf_printf(&with,
                            "STATUS:COMPLETED\r\nCOMPLETED:%04d%02d%02dT000000Z\r\n"
                            "PERCENT-COMPLETE:100",
                            y, m, d);
                replace_line(&t, "STATUS:NEEDS-ACTION\r\n", with.s);
            } else {
                kdate_to_ymd(until, &y, &m, &d);
                sbuf_printf(&with, "DUE;VALUE=DATE:%04d%02d%02d", y, m, d);
                replace_line(&t, "DUE;VALUE=DATE:", with.s);
            }
            rc = cal_item(x, name, "todo", ref, t.s, t.len);
        }
        free(name);
        free(ref);
        sbuf_free(&t);
        sbuf_free(&with);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

struct bday {
    char id[KID_LEN + 1];
    char *name, *birthday;
};

struct bdays {
    struct bday *v;
    size_t n;
};

static int take_birthday(const struct kref *c, const char *birthday, void *ud)
{
    struct bdays *l = ud;
    l->v = kgrowarray(l->v, l->n, sizeof *l->v);
    struct bday *b = &l->v[l->n++];
    snprintf(b->id, sizeof b->id, "%s", c->id);
    b->name = kstr_dup(c->name);
    b->birthday = kstr_dup(birthday);
    return 0;
}

/* Each birthday as a yearly all-day event from the year of birth (2000,
 * a leap year, when the year is not known). */
static int cal_birthdays(struct vx *x, struct sbuf *t)
{
    struct bdays l = {0};
    int rc = dbtransfer_each_birthday(x->db, take_birthday, &l, x->e);
    for (size_t i = 0; rc == K_OK && i < l.n; i++) {
        int y = 2000, m = 0, d = 0;
        const char *b = l.v[i].birthday;
        if ((strlen(b) != 10 && strlen(b) != 5) ||
            (strlen(b) == 10 && sscanf(b, "%d-%d-%d", &y, &m, &d) != 3) ||
            (strlen(b) == 5 && sscanf(b, "%d-%d", &m, &d) != 2) || !kdate_valid_ymd(y, m, d))
            continue;
        char uid[KID_LEN + 24], name[KID_LEN + 24], ref[KID_LEN + 4];
        snprintf(uid, sizeof uid, "birthday-%s@kith", l.v[i].id);
        snprintf(name, sizeof name, "birthday-%s.ics", l.v[i].id);
        snprintf(ref, sizeof ref, "b%c%s", PART_SEP, l.v[i].id);
        struct sbuf summary = {0};
        sbuf_printf(&summary, "Birthday: %s", l.v[i].name);
        int day = kdate_from_ymd(y, m, d);
        struct ics_event ev = {uid, day, summary.s, NULL, 1};
        t->len = 0;
        ics_begin_object(t);
        ics_event(t, &ev, day);
        ics_end(t);
        rc = cal_item(x, name, "event", ref, t->s, t->len);
        sbuf_free(&summary);
    }
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].name);
        free(l.v[i].birthday);
    }
    free(l.v);
    return rc;
}

/* Today's act of the running challenge. */
static int cal_challenge(struct vx *x, struct sbuf *t)
{
    struct challenge c;
    memset(&c, 0, sizeof c);
    int rc = challenge_active(x->j, &c, x->e), today = journal_today(x->j);
    if (rc == K_NOTFOUND) {
        rc = K_OK;
        goto out;
    }
    if (rc != K_OK || c.day < 1 || c.finished)
        goto out;
    char uid[KID_LEN + 40], name[KID_LEN + 40], ref[KID_LEN + 20], d[KDATE_BUF];
    int y, m, dd;
    kdate_to_ymd(today, &y, &m, &dd);
    snprintf(uid, sizeof uid, "challenge-%s-%04d%02d%02d@kith", c.id, y, m, dd);
    snprintf(name, sizeof name, "challenge-%s-%04d%02d%02d.ics", c.id, y, m, dd);
    snprintf(ref, sizeof ref, "c%c%s%c%s", PART_SEP, c.id, PART_SEP, kdate_format(today, d));
    struct sbuf summary = {0};
    sbuf_printf(&summary, "Networking challenge, day %d of %d: one act today", c.day, c.days);
    struct ics_todo td = {uid,
                          today,
                          5,
                          summary.s,
                          "Tick it off with 'kith tick'.",
                          c.today_done ? today : KDATE_NONE};
    t->len = 0;
    ics_begin_object(t);
    ics_todo(t, &td, today);
    ics_end(t);
    rc = cal_item(x, name, "todo", ref, t->s, t->len);
    sbuf_free(&summary);
out:
    challenge_clear(&c);
    return rc;
}

/* The files of items that are gone: removed. */
static int cal_gone(struct vx *x)
{
    for (size_t i = 0; i < x->items.n; i++) {
        struct item *it = &x->items.v[i];
        if (it->seen)
            continue;
        struct fst f;
        file_stat(path_of(x, it->it.name), &f);
        int rc = forget_file(x, it->it.name, f.exists);
        if (rc != K_OK)
            return rc;
    }
    return K_OK;
}

int vdir_calendar(struct journal *j, const char *dir, const struct vdir_opts *o,
                  struct vdir_stats *st, struct kerr *e)
{
    struct vx x;
    struct sbuf t = {0};
    int rc = vx_begin(&x, j, dir, 1, o, st, NULL, e);
    if (rc != K_OK)
        return rc;
    for (size_t i = 0; i < x.items.n; i++)
        if (!strcmp(x.items.v[i].it.kind, "contact"))
            x.items.v[i].seen = 1; /* a contacts folder's: not this command's */
    if ((rc = cal_read_back(&x)) == K_OK && (rc = cal_reminders(&x, &t)) == K_OK &&
        (rc = cal_past_reminders(&x)) == K_OK && (rc = cal_birthdays(&x, &t)) == K_OK &&
        (rc = cal_challenge(&x, &t)) == K_OK)
        rc = cal_gone(&x);
    sbuf_free(&t);
    return vx_end(&x, rc);
}

int vdir_conflicts(struct journal *j, long long after, vdir_conflict_each_cb cb, void *ud,
                   struct kerr *e)
{
    return dbconflict_each(journal_db(j), after, 0, cb, ud, e);
}
