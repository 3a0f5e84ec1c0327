#include "kith/core/transfer.h"

#include "kith/core/contact.h"
#include "kith/core/csv.h"
#include "kith/store/db.h"
#include "kith/store/dbcontact.h"
#include "kith/store/dbtransfer.h"
#include "kith/core/jsonin.h"
#include "kith/util/kdate.h"
#include "kith/util/kfile.h"
#include "kith/util/kstr.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Output is gathered and handed on in pieces of about this size. */
#define CHUNK ((size_t)64 * 1024)

/* Hashes of the UIDs, LinkedIn profiles and emails this import has
 * written (what a card can match within one file), kept only when the
 * journal had no contacts before it. Then a card none of whose hashes is
 * here cannot match anything, and skips the lookups (a tenth of a large
 * import); a hash that is here, written or a collision, sends the card to
 * the lookups as before. */
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

/* The keys that can make a card match a contact written earlier by this
 * import: its UIDs, LinkedIn profiles and emails. */
static int seen_any(const struct seen *t, const struct contact *c)
{
    for (size_t i = 0; i < c->uids.n; i++)
        if (seen_has(t, seen_hash('u', c->uids.v[i])))
            return 1;
    for (size_t i = 0; i < c->links.n; i++)
        if (seen_has(t, seen_hash('l', c->links.v[i])))
            return 1;
    for (size_t i = 0; i < c->emails.n; i++)
        if (seen_has(t, seen_hash('e', c->emails.v[i])))
            return 1;
    return 0;
}

static void seen_add(struct seen *t, const struct contact *c)
{
    for (size_t i = 0; i < c->uids.n; i++)
        seen_put(t, seen_hash('u', c->uids.v[i]));
    for (size_t i = 0; i < c->links.n; i++)
        if (!strncmp(c->links.v[i], "https://www.linkedin.com/in/", 28))
            seen_put(t, seen_hash('l', c->links.v[i]));
    for (size_t i = 0; i < c->emails.n; i++)
        seen_put(t, seen_hash('e', c->emails.v[i]));
}

struct import_ctx {
    struct db *db;
    const struct transfer_import_opts *o;
    struct transfer_stats *st;
    struct db_ids ids;
    struct seen seen;
    long long before_key; /* contacts up to this key were there before */
    struct dbtransfer_deferred deferred;
    /* New contacts not yet written: a batch goes in a few statements
     * (dbcontact_insert_many), written before anything is looked up. */
    struct contact pending[DBCONTACT_BATCH];
    size_t npending;
    struct dbcontact_batch *batch;
    const char *file;
    int rejects_failed;
    const char *header; /* a CSV's header row, written before the first reject */
    size_t header_n;
    int header_written;
    int first_problem_line;
    char first_problem[512];
};

int transfer_uid_to_id(const char *uid, char id[KID_LEN + 1])
{
    if (strncasecmp(uid, "urn:uuid:", 9) || strlen(uid) != 9 + 36)
        return 0;
    size_t o = 0;
    for (const char *p = uid + 9; *p; p++) {
        if (*p == '-')
            continue;
        if (!isxdigit((unsigned char)*p) || o == KID_LEN)
            return 0;
        id[o++] = (char)tolower((unsigned char)*p);
    }
    id[o] = '\0';
    return o == KID_LEN;
}

static int is_linkedin(const char *link)
{
    return !strncmp(link, "https://www.linkedin.com/in/", 28);
}

/* 1 when a and b both have values of a kind and share none: UIDs, or
 * LinkedIn profiles. Such cards are two people whatever else they share. */
static int distinct(const struct contact *a, const struct contact *b)
{
    int au = a->uids.n > 0, bu = b->uids.n > 0, shared = 0;
    for (size_t i = 0; i < a->uids.n; i++)
        shared |= kstrlist_has(&b->uids, a->uids.v[i]);
    if (au && bu && !shared)
        return 1;
    int al = 0, bl = 0;
    shared = 0;
    for (size_t i = 0; i < a->links.n; i++)
        if (is_linkedin(a->links.v[i])) {
            al = 1;
            shared |= kstrlist_has(&b->links, a->links.v[i]);
        }
    for (size_t i = 0; i < b->links.n; i++)
        bl |= is_linkedin(b->links.v[i]);
    return al && bl && !shared;
}

/* 1 when everything c says, old already holds. */
static int subset(const struct contact *c, const struct contact *old)
{
    const char *const mine[] = {c->company, c->title,      c->location, c->how_met,
                                c->note,    c->working_on, c->birthday};
    const char *const theirs[] = {old->company, old->title,      old->location, old->how_met,
                                  old->note,    old->working_on, old->birthday};
    for (int i = 0; i < 7; i++)
        if (mine[i] && (!theirs[i] || strcmp(mine[i], theirs[i])))
            return 0;
    if (c->met_on != KDATE_NONE && c->met_on != old->met_on)
        return 0;
    if (c->cadence_days && c->cadence_days != old->cadence_days)
        return 0;
    const struct kstrlist *a[] = {&c->emails, &c->phones, &c->links, &c->nicknames,
                                  &c->uids,   &c->needs,  &c->offers};
    const struct kstrlist *b[] = {&old->emails, &old->phones, &old->links, &old->nicknames,
                                  &old->uids,   &old->needs,  &old->offers};
    for (int l = 0; l < 7; l++)
        for (size_t i = 0; i < a[l]->n; i++)
            if (!kstrlist_has(b[l], a[l]->v[i]))
                return 0;
    for (size_t i = 0; i < c->naddresses; i++) {
        int have = 0;
        for (size_t j = 0; j < old->naddresses; j++)
            have |= kaddress_same(&c->addresses[i], &old->addresses[j]);
        if (!have)
            return 0;
    }
    return 1;
}

/* Loads candidate id into old; K_NOTFOUND (old cleared) when the card and
 * it are distinct people. */
static int candidate(struct db *db, const struct contact *c, const char *id, struct contact *old,
                     struct kerr *e)
{
    int rc = dbcontact_get(db, id, old, e);
    if (rc == K_OK && distinct(c, old)) {
        contact_clear(old);
        rc = K_NOTFOUND;
    }
    return rc;
}

/* The contact the card is (see transfer_import), loaded into old. */
static int find_match(struct import_ctx *x, const struct card *k, struct contact *old,
                      struct kerr *e)
{
    const struct contact *c = &k->c;
    char id[KID_LEN + 1];
    int rc = K_NOTFOUND;
    for (size_t i = 0; rc == K_NOTFOUND && i < c->uids.n; i++) {
        rc = dbcontact_find_uid(x->db, c->uids.v[i], id, e);
        if (rc == K_NOTFOUND && transfer_uid_to_id(c->uids.v[i], id))
            rc = dbcontact_exists(x->db, id, e);
        /* The UID is the identity: nothing else is compared. */
        if (rc == K_OK)
            return dbcontact_get(x->db, id, old, e);
    }
    for (size_t i = 0; rc == K_NOTFOUND && i < c->links.n; i++)
        if (is_linkedin(c->links.v[i]) &&
            (rc = dbcontact_find_detail(x->db, kdetail_names[KDETAIL_LINK], c->links.v[i], id,
                                        e)) == K_OK)
            rc = candidate(x->db, c, id, old, e);
    for (size_t i = 0; rc == K_NOTFOUND && i < c->emails.n; i++)
        if ((rc = dbcontact_find_detail(x->db, kdetail_names[KDETAIL_EMAIL], c->emails.v[i], id,
                                        e)) == K_OK)
            rc = candidate(x->db, c, id, old, e);
    if (rc != K_NOTFOUND || !x->before_key || k->name_guessed)
        return rc;
    /* The same name is not enough; with a shared phone, or when the card
     * says nothing new, it is the same person seen again. */
    char ids[8][KID_LEN + 1];
    size_t n = 0;
    if ((rc = dbtransfer_find_names(x->db, c->name, x->before_key, 8, ids, &n, e)) != K_OK)
        return rc;
    rc = K_NOTFOUND;
    for (size_t i = 0; rc == K_NOTFOUND && i < n; i++) {
        if ((rc = candidate(x->db, c, ids[i], old, e)) != K_OK)
            continue;
        int phone = 0;
        for (size_t p = 0; p < c->phones.n; p++)
            phone |= kstrlist_has(&old->phones, c->phones.v[p]);
        if (!phone && !subset(c, old)) {
            contact_clear(old);
            rc = K_NOTFOUND;
        }
    }
    return rc;
}

/* Writes the new contacts waiting in x->pending. */
static int write_pending(struct import_ctx *x, struct kerr *e)
{
    int rc =
        x->npending ? dbcontact_insert_many(x->db, &x->batch, x->pending, x->npending, e) : K_OK;
    for (size_t i = 0; i < x->npending; i++)
        contact_clear(&x->pending[i]);
    x->npending = 0;
    return rc;
}

static int import_card(struct card *k, void *ud, struct kerr *e)
{
    struct import_ctx *x = ud;
    struct contact old = {0};
    int rc = K_NOTFOUND;
    /* A card that may be one this import wrote is looked up, once what
     * waits is written, with the indexes that were put off (made now, for
     * the rest of the import). */
    if (!x->seen.on || seen_any(&x->seen, &k->c))
        rc = write_pending(x, e) != K_OK || dbtransfer_indexes(x->db, &x->deferred, e) != K_OK
                 ? K_ERR
                 : find_match(x, k, &old, e);
    if (rc == K_NOTFOUND) {
        db_ids_next(&x->ids, k->c.id);
        if (x->seen.on)
            seen_add(&x->seen, &k->c);
        x->st->added++;
        if (x->o->report)
            x->o->report(0, 1, k->c.name, NULL, x->o->ud);
        /* Counted and told now, written with its batch (a failure there
         * ends the import, rolled back). The contact moves into the batch;
         * the parser clears the rest of the card. */
        x->pending[x->npending++] = k->c;
        memset(&k->c, 0, sizeof k->c);
        return x->npending == DBCONTACT_BATCH ? write_pending(x, e) : K_OK;
    }
    if (rc != K_OK)
        goto out;
    /* The UID a kith export made from the contact's id is not one to keep. */
    for (size_t i = k->c.uids.n; i-- > 0;) {
        char id[KID_LEN + 1];
        if (transfer_uid_to_id(k->c.uids.v[i], id) && !strcmp(id, old.id))
            kstrlist_remove(&k->c.uids, i);
    }
    int changed = contact_absorb(&old, &k->c, k->name_guessed ? 0 : CONTACT_ABSORB_NAME);
    if (changed && (rc = dbcontact_update(x->db, &old, e)) != K_OK)
        goto out;
    if (x->seen.on)
        seen_add(&x->seen, &old);
    x->st->merged++;
    x->st->unchanged += !changed;
    if (x->o->report)
        x->o->report(1, changed, k->c.name, old.name, x->o->ud);
out:
    contact_clear(&old);
    return rc;
}

/* Hands n bytes to the rejects output, ended by a line end. */
static void emit(struct import_ctx *x, const char *raw, size_t n)
{
    const struct transfer_import_opts *o = x->o;
    if (x->rejects_failed || !n)
        return;
    x->rejects_failed = o->rejects(raw, n, o->rejects_ud) != 0;
    if (!x->rejects_failed && raw[n - 1] != '\n')
        x->rejects_failed = o->rejects("\r\n", 2, o->rejects_ud) != 0;
}

/* A skipped card or row, after the CSV's header the first time. */
static void write_rejects(struct import_ctx *x, const char *raw, size_t n)
{
    if (!x->o->rejects)
        return;
    if (x->header && !x->header_written) {
        x->header_written = 1;
        emit(x, x->header, x->header_n);
    }
    emit(x, raw, n);
}

static void on_problem(enum card_level level, int line, const char *msg, const char *raw,
                       size_t rawn, void *ud)
{
    struct import_ctx *x = ud;
    if (level == CARD_SKIP) {
        x->st->skipped++;
        write_rejects(x, raw, rawn);
    } else if (level == CARD_WARN) {
        x->st->warnings++;
    } else {
        x->st->notes++;
    }
    if (level != CARD_INFO && !x->first_problem_line) {
        x->first_problem_line = line;
        snprintf(x->first_problem, sizeof x->first_problem, "%s", msg);
    }
    if (x->o->problem)
        x->o->problem(level, line, msg, x->o->ud);
}

static void on_header(const char *raw, size_t n, void *ud)
{
    struct import_ctx *x = ud;
    x->header = raw;
    x->header_n = n;
}

/* The input as UTF-8: itself, or a converted copy in *conv. A byte order
 * mark says UTF-16 (Outlook and Windows Mobile write it); a CSV that is
 * not UTF-8 is windows-1252, as spreadsheets on Windows save it. */
static int to_utf8(const char **buf, size_t *n, enum transfer_format f, char **conv,
                   struct import_ctx *x, struct kerr *e)
{
    const unsigned char *b = (const unsigned char *)*buf;
    *conv = NULL;
    if (*n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        iconv_t cd = iconv_open("UTF-8", b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
        if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's error value */
            return kerr_set(e, K_ERR, "cannot read UTF-16 here: %s", strerror(errno));
        size_t inleft = *n - 2, cap = inleft * 2 + 4, outleft = cap - 1;
        char *out = kmalloc(cap), *in = (char *)*buf + 2, *o = out;
        size_t r = iconv(cd, &in, &inleft, &o, &outleft);
        iconv_close(cd);
        if (r == (size_t)-1) {
            free(out);
            return kerr_set(e, K_USAGE,
                            "%s: not valid UTF-16 text (it begins with a byte order mark)",
                            x->file);
        }
        *o = '\0';
        *conv = out;
        *buf = out;
        *n = (size_t)(o - out);
        on_problem(CARD_INFO, 1, "UTF-16 text, read as such", NULL, 0, x);
        return K_OK;
    }
    if (f == TRANSFER_CSV && !utf8_valid(*buf, *n) && !memchr(*buf, '\0', *n)) {
        *conv = kstr_from_cp1252(*buf, *n);
        *buf = *conv;
        *n = strlen(*conv);
        on_problem(CARD_INFO, 1, "the file is not UTF-8; read as windows-1252", NULL, 0, x);
    }
    return K_OK;
}

static int this_year(struct journal *j)
{
    int y, m, d;
    kdate_to_ymd(journal_today(j), &y, &m, &d);
    return y;
}

/* About how many cards (their BEGIN lines, as most files spell them) or
 * rows (lines) buf holds: a hint, cheap rather than exact. */
static size_t count_records(const char *buf, size_t n, enum transfer_format f)
{
    const char *what = f == TRANSFER_VCARD ? "BEGIN:VCARD" : "\n";
    size_t w = strlen(what), count = 0;
    for (const char *p = buf, *end = buf + n; n && (p = memchr(p, *what, (size_t)(end - p))); p++)
        count += (size_t)(end - p) >= w && !memcmp(p, what, w);
    return count;
}

int transfer_import(struct journal *j, enum transfer_format f, const char *buf, size_t n,
                    const struct transfer_import_opts *o, struct transfer_stats *st, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct import_ctx x;
    memset(&x, 0, sizeof x);
    x.db = db;
    x.o = o;
    x.st = st;
    x.file = o->file ? o->file : "-";
    struct card_opts co = {x.file, import_card, on_problem, &x, o->map, o->order, this_year(j)};
    char *conv = NULL;
    int rc;
    memset(st, 0, sizeof *st);
    if ((rc = to_utf8(&buf, &n, f, &conv, &x, e)) != K_OK)
        return rc;
    if ((rc = dbtransfer_bulk(db, 1, e)) != K_OK)
        goto out;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    if ((rc = dbtransfer_max_key(db, &x.before_key, e)) != K_OK)
        goto rollback;
    x.seen.on = x.before_key == 0;
    /* Into a journal without contacts, nearly every card is a new one. */
    if (x.seen.on)
        db_ids_expect(&x.ids, count_records(buf, n, f));
    /* A dry run writes nothing, so it skips the full-text index, the
     * summary and the indexes too. */
    x.deferred.mark = -1;
    if (!o->dry_run)
        rc = dbtransfer_defer(db, x.seen.on, &x.deferred, e);
    if (rc == K_OK && f == TRANSFER_VCARD)
        rc = vcard_parse(buf, n, &co, e);
    else if (rc == K_OK)
        rc = csv_parse(buf, n, &co, on_header, &st->empty, e);
    if (rc == K_OK)
        rc = write_pending(&x, e);
    if (rc == K_OK && x.rejects_failed)
        rc = kerr_set(e, K_ERR, "the rejected cards could not be written");
    if (rc == K_OK && o->strict && (st->skipped || st->warnings))
        rc = kerr_set(e, K_USAGE, "%s:%d: %s (--strict: %zu problem%s; nothing was imported)",
                      x.file, x.first_problem_line, x.first_problem, st->skipped + st->warnings,
                      st->skipped + st->warnings == 1 ? "" : "s");
    if (rc == K_OK && !o->dry_run)
        rc = dbtransfer_catch_up(db, &x.deferred, e);
rollback:
    if (rc != K_OK || o->dry_run)
        db_rollback(db);
    else
        rc = db_commit(db, e);
out:
    for (size_t i = 0; i < x.npending; i++)
        contact_clear(&x.pending[i]);
    dbcontact_batch_free(x.batch);
    db_ids_free(&x.ids);
    dbtransfer_deferred_free(&x.deferred);
    free(x.seen.v);
    free(conv);
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
    char *lists[] = {joined(&c->emails), joined(&c->phones), joined(&c->links),
                     joined(&c->tags),   joined(&c->needs),  joined(&c->offers)};
    char every[16] = "";
    if (c->met_on != KDATE_NONE)
        kdate_format(c->met_on, met);
    if (c->cadence_days)
        kdate_span(c->cadence_days, every);
    char uid[64];
    if (!c->uids.n)
        snprintf(uid, sizeof uid, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", c->id, c->id + 8,
                 c->id + 12, c->id + 16, c->id + 20);
    const char *row[] = {c->name,
                         c->company,
                         c->title,
                         lists[0],
                         lists[1],
                         lists[2],
                         c->location,
                         c->birthday,
                         lists[3],
                         c->note,
                         c->how_met,
                         met,
                         c->working_on,
                         c->archived ? "true" : "false",
                         c->uids.n ? c->uids.v[0] : uid,
                         lists[4],
                         lists[5],
                         every};
    csv_write_row(&o->b, row, sizeof row / sizeof row[0]);
    for (int i = 0; i < 6; i++)
        free(lists[i]);
    return flush(o, 0);
}

int transfer_export_csv(struct journal *j, transfer_out_cb out, void *ud, struct kerr *e)
{
    struct out_ctx o = {out, ud, {0}, 0};
    static const char *const header[] = {"name",    "company",  "title",      "emails",   "phones",
                                         "links",   "location", "birthday",   "tags",     "note",
                                         "how_met", "met_on",   "working_on", "archived", "uid",
                                         "needs",   "offers",   "every"};
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
        struct ics_event ev = {uid, day, summary.s, NULL, 0};
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
