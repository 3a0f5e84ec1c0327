#include "kith/store/dbcontact.h"

#include "db_internal.h"
#include "kith/store/dbsearch.h"
#include "kith/store/dbsummary.h"
#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *db_fts_query(const char *text)
{
    struct sbuf b = {0};
    const char *p = text ? text : "";
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        if (b.len)
            sbuf_addc(&b, ' ');
        sbuf_addc(&b, '"');
        for (const char *q = start; q < p; q++) {
            if (*q == '"')
                sbuf_addc(&b, '"');
            sbuf_addc(&b, *q);
        }
        sbuf_add(&b, "\"*");
    }
    return b.s; /* NULL when no word */
}

/* The indexes of the parameters names[0..n-1] of st into ix, unless ix[0]
 * is set: looked up once per statement text (ix is static beside it; the
 * indexes depend on nothing else), since an import binds these for every
 * card and each look-up is a scan of the statement's names. */
static void params_once(sqlite3_stmt *st, const char *const *names, int n, int *ix)
{
    if (ix[0])
        return;
    for (int i = 0; i < n; i++)
        ix[i] = db_param(st, names[i]);
}

/* Binds s, or NULL for NULL and "". */
static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    db_bind_text_static(st, i, s && *s ? s : NULL);
}

/* A list as its column holds it: one item a line; NULL for none. */
static char *lines_of(const struct kstrlist *l)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < l->n; i++)
        sbuf_printf(&b, "%s%s", i ? "\n" : "", l->v[i]);
    return b.s;
}

/* The parameters bind_scalars binds, in the order of enum scalar. */
enum scalar {
    S_ID,
    S_NAME,
    S_FOLD,
    S_COMPANY,
    S_TITLE,
    S_LOCATION,
    S_HOW_MET,
    S_MET_ON,
    S_BIRTHDAY,
    S_NOTE,
    S_WORKING_ON,
    S_ARCHIVED,
    S_FAMILY,
    S_GIVEN,
    S_ADDITIONAL,
    S_PREFIX,
    S_SUFFIX,
    S_NEEDS,
    S_OFFERS,
    S_CADENCE,
    S_COUNT
};

/* The scalars' parameter names, in the order of enum scalar. */
static const char *const scalar_names[S_COUNT] = {
    ":id",         ":name",     ":name_fold", ":company",  ":title",
    ":location",   ":how_met",  ":met_on",    ":birthday", ":note",
    ":working_on", ":archived", ":n_family",  ":n_given",  ":n_additional",
    ":n_prefix",   ":n_suffix", ":needs",     ":offers",   ":cadence_days"};

/* Binds c's strings without copies (an import binds millions of values),
 * but for the three made here, which SQLite copies. */
static void bind_scalars(sqlite3_stmt *st, const int ix[S_COUNT], const struct contact *c)
{
    char *made[] = {kstr_fold_key(c->name), lines_of(&c->needs), lines_of(&c->offers)};
    db_bind_text_static(st, ix[S_ID], c->id);
    db_bind_text_static(st, ix[S_NAME], c->name);
    db_bind_text(st, ix[S_FOLD], made[0]);
    db_bind_text_static(st, ix[S_COMPANY], c->company);
    db_bind_text_static(st, ix[S_TITLE], c->title);
    db_bind_text_static(st, ix[S_LOCATION], c->location);
    db_bind_text_static(st, ix[S_HOW_MET], c->how_met);
    db_bind_date(st, ix[S_MET_ON], c->met_on);
    db_bind_text_static(st, ix[S_BIRTHDAY], c->birthday);
    db_bind_text_static(st, ix[S_NOTE], c->note);
    db_bind_text_static(st, ix[S_WORKING_ON], c->working_on);
    sqlite3_bind_int(st, ix[S_ARCHIVED], c->archived);
    bind_opt(st, ix[S_FAMILY], c->n.family);
    bind_opt(st, ix[S_GIVEN], c->n.given);
    bind_opt(st, ix[S_ADDITIONAL], c->n.additional);
    bind_opt(st, ix[S_PREFIX], c->n.prefix);
    bind_opt(st, ix[S_SUFFIX], c->n.suffix);
    db_bind_text(st, ix[S_NEEDS], made[1]);
    db_bind_text(st, ix[S_OFFERS], made[2]);
    if (c->cadence_days > 0)
        sqlite3_bind_int(st, ix[S_CADENCE], c->cadence_days);
    else
        sqlite3_bind_null(st, ix[S_CADENCE]);
    for (int i = 0; i < 3; i++)
        free(made[i]);
}

/* The time as the columns' default strftime('%Y-%m-%dT%H:%M:%fZ','now')
 * writes it (UTC, milliseconds cut, not rounded), made here because SQLite
 * formats the default through its printf, field by field: twelve calls
 * for a new contact's two columns, 4% of a bulk import's instructions. */
static void now_stamp(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t t = ts.tv_sec;
    gmtime_r(&t, &tm);
    const int v[] = {
        tm.tm_year + 1900,          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
        (int)(ts.tv_nsec / 1000000)};
    static const int width[] = {4, 2, 2, 2, 2, 2, 3};
    static const char after[] = "--T::.Z";
    char *o = out;
    for (int i = 0; i < 7; i++) {
        for (int d = width[i] - 1, x = v[i]; d >= 0; d--, x /= 10)
            o[d] = (char)('0' + x % 10);
        o += width[i];
        *o++ = after[i];
    }
    *o = '\0';
}

/* The tables a contact's rows go into, in the order they are written. */
enum table { T_CONTACT, T_DETAIL, T_TAG, T_NICKNAME, T_UID, T_VCARD, T_ADDRESS, T_EVENT, T_COUNT };

/* Each table's INSERT of one row, its values a group of positional
 * parameters at the end; a batch's statement repeats the group once a row.
 * The contact's columns are in the order of enum scalar, then its two
 * times. */
/* clang-format off */
static const struct {
    const char *sql;
    int ncols;
} tables[T_COUNT] = {
    {"INSERT INTO contact(id, name, name_fold, company, title, location, how_met, met_on,"
     "  birthday, note, working_on, archived, n_family, n_given, n_additional, n_prefix,"
     "  n_suffix, needs, offers, cadence_days, created_at, updated_at)"
     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", S_COUNT + 2},
    {"INSERT OR IGNORE INTO contact_detail(contact_id, type, value, position, label, prop)"
     " VALUES (?, ?, ?, ?, ?, ?)", 6},
    {"INSERT OR IGNORE INTO contact_tag(contact_id, tag, spelling)"
     " VALUES (?, ?, ?)", 3},
    {"INSERT INTO contact_nickname(contact_id, position, nickname)"
     " VALUES (?, ?, ?)", 3},
    {"INSERT OR IGNORE INTO contact_uid(contact_id, position, uid)"
     " VALUES (?, ?, ?)", 3},
    {"INSERT INTO contact_vcard(contact_id, position, line)"
     " VALUES (?, ?, ?)", 3},
    {"INSERT INTO contact_address(contact_id, position, label, pobox, ext, street, locality,"
     "  region, code, country)"
     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 10},
    {"INSERT INTO contact_event(contact_id, position, label, date)"
     " VALUES (?, ?, ?, ?)", 4},
};
/* clang-format on */

struct dbcontact_batch {
    sqlite3_stmt *st[T_COUNT]; /* DBCONTACT_BATCH rows each, made when first needed */
};

void dbcontact_batch_free(struct dbcontact_batch *b)
{
    for (int t = 0; b && t < T_COUNT; t++)
        sqlite3_finalize(b->st[t]);
    free(b);
}

/* The rows of one table, written DBCONTACT_BATCH a statement while as many
 * are left (with a batch), then one a statement: a statement's start, halt
 * and reset cost about 1,500 instructions (SQLite 3.40), a fifth of a
 * contact row's insert. Every parameter is bound for every row, so a
 * statement is not cleared between rows. */
struct rows {
    struct db *db;
    struct dbcontact_batch *b; /* NULL: one row a statement */
    enum table t;
    size_t batched; /* rows still to go in full batches */
    sqlite3_stmt *st;
    int filled; /* rows bound in st */
};

static void rows_begin(struct rows *r, struct db *db, struct dbcontact_batch *b, enum table t,
                       size_t total)
{
    *r = (struct rows){db, b, t, b ? total - total % DBCONTACT_BATCH : 0, NULL, 0};
}

/* The batch's statement of table r->t, made the first time. */
static sqlite3_stmt *batch_stmt(struct rows *r, struct kerr *e)
{
    sqlite3_stmt **st = &r->b->st[r->t];
    if (!*st) {
        struct sbuf sql = {0};
        const char *one = tables[r->t].sql, *group = strrchr(one, '(');
        sbuf_add(&sql, one);
        for (int i = 1; i < DBCONTACT_BATCH; i++) {
            sbuf_add(&sql, ", ");
            sbuf_add(&sql, group);
        }
        if (sqlite3_prepare_v3(r->db->h, sql.s, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) !=
            SQLITE_OK) {
            db_fail(r->db, e, "preparing a query");
            sqlite3_finalize(*st);
            *st = NULL;
        }
        sbuf_free(&sql);
    }
    return *st;
}

/* The statement the next row is bound into, its first column at
 * parameter *at. */
static sqlite3_stmt *rows_next(struct rows *r, int *at, struct kerr *e)
{
    if (!r->st) {
        r->st = r->batched ? batch_stmt(r, e) : db_stmt(r->db, tables[r->t].sql, e);
        r->filled = 0;
    }
    *at = r->filled * tables[r->t].ncols + 1;
    return r->st;
}

/* A row is bound: steps the statement if it is full. */
static int rows_done(struct rows *r, struct kerr *e)
{
    if (++r->filled < (r->batched ? DBCONTACT_BATCH : 1))
        return K_OK;
    if (r->batched)
        r->batched -= DBCONTACT_BATCH;
    sqlite3_stmt *st = r->st;
    r->st = NULL;
    return db_step_done(r->db, st, e);
}

/* The list of c whose rows table t holds as (contact_id, position, text). */
static const struct kstrlist *texts_of(const struct contact *c, enum table t)
{
    return t == T_NICKNAME ? &c->nicknames : t == T_UID ? &c->uids : &c->extra;
}

/* Nicknames, UIDs or vCard lines (t), of each contact. */
static int insert_texts(struct db *db, struct dbcontact_batch *b, enum table t,
                        const struct contact *cs, size_t n, struct kerr *e)
{
    size_t total = 0;
    for (size_t c = 0; c < n; c++)
        total += texts_of(&cs[c], t)->n;
    struct rows r;
    rows_begin(&r, db, b, t, total);
    for (size_t c = 0; c < n; c++) {
        const struct kstrlist *l = texts_of(&cs[c], t);
        for (size_t i = 0; i < l->n; i++) {
            int at;
            sqlite3_stmt *st = rows_next(&r, &at, e);
            if (!st)
                return K_ERR;
            db_bind_text_static(st, at, cs[c].id);
            sqlite3_bind_int64(st, at + 1, (sqlite3_int64)i);
            db_bind_text_static(st, at + 2, l->v[i]);
            if (rows_done(&r, e) != K_OK)
                return K_ERR;
        }
    }
    return K_OK;
}

static int insert_details(struct db *db, struct dbcontact_batch *b, const struct contact *cs,
                          size_t n, struct kerr *e)
{
    size_t total = 0;
    for (size_t c = 0; c < n; c++)
        total += cs[c].emails.n + cs[c].phones.n + cs[c].links.n;
    struct rows r;
    rows_begin(&r, db, b, T_DETAIL, total);
    for (size_t c = 0; c < n; c++) {
        const struct contact *k = &cs[c];
        const struct kstrlist *lists[KDETAIL_COUNT] = {&k->emails, &k->phones, &k->links};
        const struct kstrlist *labels[] = {&k->email_labels, &k->phone_labels, &k->link_labels};
        for (int t = 0; t < KDETAIL_COUNT; t++) {
            for (size_t i = 0; i < lists[t]->n; i++) {
                int at;
                sqlite3_stmt *st = rows_next(&r, &at, e);
                if (!st)
                    return K_ERR;
                db_bind_text_static(st, at, k->id);
                db_bind_text_static(st, at + 1, kdetail_names[t]);
                db_bind_text_static(st, at + 2, lists[t]->v[i]);
                sqlite3_bind_int64(st, at + 3, (sqlite3_int64)i);
                bind_opt(st, at + 4, contact_label(labels[t], i));
                bind_opt(st, at + 5, t == 2 ? contact_label(&k->link_props, i) : NULL);
                if (rows_done(&r, e) != K_OK)
                    return K_ERR;
            }
        }
    }
    return K_OK;
}

static int insert_tags(struct db *db, struct dbcontact_batch *b, const struct contact *cs, size_t n,
                       struct kerr *e)
{
    size_t total = 0;
    for (size_t c = 0; c < n; c++)
        total += cs[c].tags.n;
    struct rows r;
    rows_begin(&r, db, b, T_TAG, total);
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < cs[c].tags.n; i++) {
            int at;
            sqlite3_stmt *st = rows_next(&r, &at, e);
            if (!st)
                return K_ERR;
            /* The key matching uses; the spelling only when it differs. */
            const char *tag = cs[c].tags.v[i];
            char *key = kstr_fold(tag);
            db_bind_text_static(st, at, cs[c].id);
            db_bind_text(st, at + 1, key);
            db_bind_text_static(st, at + 2, strcmp(key, tag) ? tag : NULL);
            free(key);
            if (rows_done(&r, e) != K_OK)
                return K_ERR;
        }
    }
    return K_OK;
}

static int insert_places(struct db *db, struct dbcontact_batch *b, const struct contact *cs,
                         size_t n, struct kerr *e)
{
    size_t total = 0;
    for (size_t c = 0; c < n; c++)
        total += cs[c].naddresses;
    struct rows r;
    rows_begin(&r, db, b, T_ADDRESS, total);
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < cs[c].naddresses; i++) {
            const struct kaddress *a = &cs[c].addresses[i];
            int at;
            sqlite3_stmt *st = rows_next(&r, &at, e);
            if (!st)
                return K_ERR;
            db_bind_text_static(st, at, cs[c].id);
            sqlite3_bind_int64(st, at + 1, (sqlite3_int64)i);
            const char *v[] = {a->label,    a->pobox,  a->ext,  a->street,
                               a->locality, a->region, a->code, a->country};
            for (int k = 0; k < 8; k++)
                bind_opt(st, at + 2 + k, v[k]);
            if (rows_done(&r, e) != K_OK)
                return K_ERR;
        }
    }
    total = 0;
    for (size_t c = 0; c < n; c++)
        total += cs[c].nevents;
    rows_begin(&r, db, b, T_EVENT, total);
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < cs[c].nevents; i++) {
            int at;
            sqlite3_stmt *st = rows_next(&r, &at, e);
            if (!st)
                return K_ERR;
            db_bind_text_static(st, at, cs[c].id);
            sqlite3_bind_int64(st, at + 1, (sqlite3_int64)i);
            bind_opt(st, at + 2, cs[c].events[i].label);
            db_bind_text_static(st, at + 3, cs[c].events[i].date);
            if (rows_done(&r, e) != K_OK)
                return K_ERR;
        }
    }
    return K_OK;
}

/* The rows of the lists of the contacts cs[0..n), table by table. */
static int insert_lists(struct db *db, struct dbcontact_batch *b, const struct contact *cs,
                        size_t n, struct kerr *e)
{
    if (insert_details(db, b, cs, n, e) != K_OK || insert_tags(db, b, cs, n, e) != K_OK ||
        insert_texts(db, b, T_NICKNAME, cs, n, e) != K_OK ||
        insert_texts(db, b, T_UID, cs, n, e) != K_OK ||
        insert_texts(db, b, T_VCARD, cs, n, e) != K_OK || insert_places(db, b, cs, n, e) != K_OK)
        return K_ERR;
    return K_OK;
}

static int insert_many(struct db *db, struct dbcontact_batch *b, const struct contact *cs, size_t n,
                       struct kerr *e)
{
    char now[32];
    now_stamp(now);
    struct rows r;
    rows_begin(&r, db, b, T_CONTACT, n);
    for (size_t c = 0; c < n; c++) {
        int at, ix[S_COUNT];
        sqlite3_stmt *st = rows_next(&r, &at, e);
        if (!st)
            return K_ERR;
        for (int i = 0; i < S_COUNT; i++)
            ix[i] = at + i;
        bind_scalars(st, ix, &cs[c]);
        sqlite3_bind_text(st, at + S_COUNT, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, at + S_COUNT + 1, now, -1, SQLITE_STATIC);
        if (rows_done(&r, e) != K_OK)
            return K_ERR;
    }
    return insert_lists(db, b, cs, n, e);
}

int dbcontact_insert(struct db *db, const struct contact *c, struct kerr *e)
{
    return insert_many(db, NULL, c, 1, e);
}

int dbcontact_insert_many(struct db *db, struct dbcontact_batch **b, const struct contact *cs,
                          size_t n, struct kerr *e)
{
    if (!*b)
        *b = kcalloc(1, sizeof **b);
    return insert_many(db, *b, cs, n, e);
}

int dbcontact_update(struct db *db, const struct contact *c, struct kerr *e)
{
    static int ix[S_COUNT];
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE contact"
        " SET name = :name, name_fold = :name_fold, company = :company, title = :title,"
        "  location = :location, how_met = :how_met, met_on = :met_on, birthday = :birthday,"
        "  note = :note, working_on = :working_on, archived = :archived, n_family = :n_family,"
        "  n_given = :n_given, n_additional = :n_additional, n_prefix = :n_prefix,"
        "  n_suffix = :n_suffix, needs = :needs, offers = :offers, cadence_days = :cadence_days,"
        "  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
        " WHERE id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    params_once(st, scalar_names, S_COUNT, ix);
    bind_scalars(st, ix, c);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    static const char *const dels[] = {
        "DELETE FROM contact_detail"
        " WHERE contact_id = :id",
        "DELETE FROM contact_tag"
        " WHERE contact_id = :id",
        "DELETE FROM contact_nickname"
        " WHERE contact_id = :id",
        "DELETE FROM contact_uid"
        " WHERE contact_id = :id",
        "DELETE FROM contact_vcard"
        " WHERE contact_id = :id",
        "DELETE FROM contact_address"
        " WHERE contact_id = :id",
        "DELETE FROM contact_event"
        " WHERE contact_id = :id",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof dels / sizeof dels[0]; i++) {
        st = db_stmt(db, dels[i], e);
        if (!st)
            return K_ERR;
        db_bind_text(st, db_param(st, ":id"), c->id);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return insert_lists(db, NULL, c, 1, e);
}

int dbcontact_delete(struct db *db, const char *id, struct kerr *e)
{
    /* The interactions with this contact alone go with it. */
    /* clang-format off */
    if (db_run_text(db,
            "DELETE FROM interaction"
            " WHERE id IN (SELECT interaction_id FROM interaction_contact"
            "   WHERE contact_key = (SELECT key FROM contact WHERE id = ?1))"
            "  AND NOT EXISTS (SELECT 1 FROM interaction_contact o"
            "   WHERE o.interaction_id = interaction.id"
            "    AND o.contact_key <> (SELECT key FROM contact WHERE id = ?1))",
            id, e) != K_OK ||
        db_run_text(db,
            "DELETE FROM contact"
            " WHERE id = ?1",
            id, e) != K_OK)
        return K_ERR;
    /* clang-format on */
    if (sqlite3_changes(db->h) == 0)
        return kerr_set(e, K_NOTFOUND, "no such contact");
    return K_OK;
}

static void split_lines(struct kstrlist *l, const char *s)
{
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *v = kstr_ndup(s, n);
        kstrlist_add(l, v);
        free(v);
        s = nl ? nl + 1 : NULL;
    }
}

/* Fills the stats columns starting at column i. */
static void read_stats(sqlite3_stmt *st, int i, struct contact *c)
{
    c->last_interaction = db_col_date(st, i);
    c->gave = sqlite3_column_int(st, i + 1);
    c->asked = sqlite3_column_int(st, i + 2);
    c->mutual = sqlite3_column_int(st, i + 3);
    c->goodwill = sqlite3_column_int(st, i + 4);
}

/* Steps st (id bound to :id) and hands each row to row(); K_ERR with e set
 * when a step fails. */
static int each_row(struct db *db, sqlite3_stmt *st, const char *id,
                    void (*row)(sqlite3_stmt *st, struct contact *c), struct contact *c,
                    struct kerr *e)
{
    int s;
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        row(st, c);
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading a contact");
    return K_OK;
}

static void row_detail(sqlite3_stmt *st, struct contact *c)
{
    const char *type = (const char *)sqlite3_column_text(st, 0);
    const char *value = (const char *)sqlite3_column_text(st, 1);
    const char *label = (const char *)sqlite3_column_text(st, 2);
    struct kstrlist *l = !strcmp(type, kdetail_names[KDETAIL_EMAIL])   ? &c->emails
                         : !strcmp(type, kdetail_names[KDETAIL_PHONE]) ? &c->phones
                                                                       : &c->links;
    struct kstrlist *labels = l == &c->emails   ? &c->email_labels
                              : l == &c->phones ? &c->phone_labels
                                                : &c->link_labels;
    kstrlist_add(l, value);
    contact_set_label(labels, l->n - 1, label);
    if (l == &c->links)
        contact_set_label(&c->link_props, l->n - 1, (const char *)sqlite3_column_text(st, 3));
}

static void row_tag(sqlite3_stmt *st, struct contact *c)
{
    kstrlist_add(&c->tags, (const char *)sqlite3_column_text(st, 0));
}

static void row_nickname(sqlite3_stmt *st, struct contact *c)
{
    kstrlist_add(&c->nicknames, (const char *)sqlite3_column_text(st, 0));
}

static void row_uid(sqlite3_stmt *st, struct contact *c)
{
    kstrlist_add(&c->uids, (const char *)sqlite3_column_text(st, 0));
}

static void row_extra(sqlite3_stmt *st, struct contact *c)
{
    kstrlist_add(&c->extra, (const char *)sqlite3_column_text(st, 0));
}

static void row_address(sqlite3_stmt *st, struct contact *c)
{
    struct kaddress a = {(char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1),
                         (char *)sqlite3_column_text(st, 2), (char *)sqlite3_column_text(st, 3),
                         (char *)sqlite3_column_text(st, 4), (char *)sqlite3_column_text(st, 5),
                         (char *)sqlite3_column_text(st, 6), (char *)sqlite3_column_text(st, 7)};
    contact_add_address(c, &a);
}

static void row_event(sqlite3_stmt *st, struct contact *c)
{
    struct kevent ev = {(char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1)};
    contact_add_event(c, &ev);
}

/* The lists of a contact, each read by a query of its own into the
 * contact, in the order dbcontact_get reads them. */
static const struct {
    const char *sql;
    void (*row)(sqlite3_stmt *st, struct contact *c);
} contact_parts[] = {
    /* clang-format off */
    {"SELECT type, value, label, prop"
     " FROM contact_detail"
     " WHERE contact_id = :id"
     " ORDER BY type, position",
     row_detail},
    {"SELECT coalesce(spelling, tag)"
     " FROM contact_tag"
     " WHERE contact_id = :id"
     " ORDER BY tag",
     row_tag},
    {"SELECT nickname"
     " FROM contact_nickname"
     " WHERE contact_id = :id"
     " ORDER BY position",
     row_nickname},
    {"SELECT uid"
     " FROM contact_uid"
     " WHERE contact_id = :id"
     " ORDER BY position",
     row_uid},
    {"SELECT line"
     " FROM contact_vcard"
     " WHERE contact_id = :id"
     " ORDER BY position",
     row_extra},
    {"SELECT label, pobox, ext, street, locality, region, code, country"
     " FROM contact_address"
     " WHERE contact_id = :id"
     " ORDER BY position",
     row_address},
    {"SELECT label, date"
     " FROM contact_event"
     " WHERE contact_id = :id"
     " ORDER BY position",
     row_event},
    /* clang-format on */
};

int dbcontact_get(struct db *db, const char *id, struct contact *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT c.id, c.name, c.company, c.title, c.location, c.how_met, c.met_on, c.birthday,"
        "  c.note, c.working_on, c.archived, " DB_CONTACT_STATS ", c.n_family, c.n_given,"
        "  c.n_additional, c.n_prefix, c.n_suffix, c.needs, c.offers, c.cadence_days"
        " FROM contact c" DB_JOIN_SUMMARY
        " WHERE c.id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        sqlite3_reset(st);
        if (s == SQLITE_DONE)
            return kerr_set(e, K_NOTFOUND, "no such contact");
        return db_fail(db, e, "reading a contact");
    }
    db_col_id(st, 0, out->id);
    out->name = db_col_text(st, 1);
    out->company = db_col_text(st, 2);
    out->title = db_col_text(st, 3);
    out->location = db_col_text(st, 4);
    out->how_met = db_col_text(st, 5);
    out->met_on = db_col_date(st, 6);
    out->birthday = db_col_text(st, 7);
    out->note = db_col_text(st, 8);
    out->working_on = db_col_text(st, 9);
    out->archived = sqlite3_column_int(st, 10);
    read_stats(st, 11, out);
    out->n.family = db_col_text(st, 16);
    out->n.given = db_col_text(st, 17);
    out->n.additional = db_col_text(st, 18);
    out->n.prefix = db_col_text(st, 19);
    out->n.suffix = db_col_text(st, 20);
    split_lines(&out->needs, (const char *)sqlite3_column_text(st, 21));
    split_lines(&out->offers, (const char *)sqlite3_column_text(st, 22));
    out->cadence_days = sqlite3_column_int(st, 23);
    sqlite3_reset(st);

    for (size_t i = 0; i < sizeof contact_parts / sizeof contact_parts[0]; i++) {
        sqlite3_stmt *part = db_stmt(db, contact_parts[i].sql, e);
        if (each_row(db, part, id, contact_parts[i].row, out, e) != K_OK)
            goto fail;
    }
    return K_OK;
fail:
    contact_clear(out);
    return K_ERR;
}

static int is_hex(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

static int collect(struct db *db, sqlite3_stmt *st, size_t max, struct kref **out, size_t *n,
                   int *more, struct kerr *e)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n >= max) {
            *more = 1;
            break;
        }
        *out = kgrowarray(*out, *n, sizeof **out);
        db_col_id(st, 0, (*out)[*n].id);
        (*out)[*n].name = db_col_text(st, 1);
        (*n)++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "finding a contact");
    return K_OK;
}

/* The rules of dbcontact_find, in order: the first that finds anyone wins.
 * A rule with hex_min applies only to a query of hex digits, at least
 * hex_min and (when hex_max is set) at most hex_max of them. */
static const struct {
    size_t hex_min, hex_max;
    const char *sql;
} find_rules[] = {
    /* clang-format off */
    /* Ids are lower-case hex; the folded query also matches one typed in
     * upper case. */
    {KID_LEN, KID_LEN,
     "SELECT id, name"
     " FROM contact"
     " WHERE id = :q"},
    {0, 0,
     "SELECT id, name"
     " FROM contact"
     " WHERE name_fold = :q"
     " ORDER BY archived, name_fold, id"},
    {4, 0,
     "SELECT id, name"
     " FROM contact"
     " WHERE id >= :q AND id < :q || 'g'"
     " ORDER BY id"},
    /* "ana" means Ana Ruiz rather than Dana or Tanaka: words that start with
     * the fragment win over fragments inside words. */
    {0, 0,
     "SELECT id, name"
     " FROM contact"
     " WHERE substr(name_fold, 1, length(:q)) = :q OR instr(name_fold, ' ' || :q) > 0"
     " ORDER BY archived, name_fold, id"},
    {0, 0,
     "SELECT id, name"
     " FROM contact"
     " WHERE instr(name_fold, :q) > 0"
     " ORDER BY archived, name_fold, id"},
    /* clang-format on */
};

int dbcontact_find(struct db *db, const char *query, size_t max, struct kref **out, size_t *n,
                   int *more, struct kerr *e)
{
    *out = NULL;
    *n = 0;
    *more = 0;
    char *fold = kstr_fold_key(query);
    int rc = K_OK;
    size_t qlen = strlen(query);
    for (size_t i = 0; rc == K_OK && !*n && i < sizeof find_rules / sizeof find_rules[0]; i++) {
        if (find_rules[i].hex_min &&
            (qlen < find_rules[i].hex_min ||
             (find_rules[i].hex_max && qlen > find_rules[i].hex_max) || !is_hex(fold)))
            continue;
        sqlite3_stmt *st = db_stmt(db, find_rules[i].sql, e);
        if (!st) {
            rc = K_ERR;
            break;
        }
        db_bind_text(st, db_param(st, ":q"), fold);
        rc = collect(db, st, max, out, n, more, e);
    }
    free(fold);
    return rc;
}

int dbcontact_named(struct db *db, const char *name, size_t max, struct kref **out, size_t *n,
                    struct kerr *e)
{
    int more = 0, rc;
    char *fold = kstr_fold_key(name);
    *out = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, name"
        " FROM contact"
        " WHERE name_fold = :fold"
        " ORDER BY archived, id",
        e);
    /* clang-format on */
    if (!st) {
        free(fold);
        return K_ERR;
    }
    db_bind_text(st, db_param(st, ":fold"), fold);
    rc = collect(db, st, max, out, n, &more, e);
    free(fold);
    return rc;
}

/* The lengths in characters of the shortest and the longest word of
 * search, as db_fts_query splits them; 0 when it has none. */
static void word_lengths(const char *search, size_t *shortest, size_t *longest)
{
    *shortest = *longest = 0;
    if (!search)
        return;
    for (const char *p = search; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t n = 0;
        for (; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++)
            n += ((unsigned char)*p & 0xC0) != 0x80;
        if (n && (!*shortest || n < *shortest))
            *shortest = n;
        if (n > *longest)
            *longest = n;
    }
}

int dbcontact_names_only(const struct contact_query *q)
{
    if (!q->search || !q->text_min)
        return 0;
    size_t shortest, longest;
    word_lengths(q->search, &shortest, &longest);
    return shortest && shortest < q->text_min;
}

/* The full-text query for q's search, limited to the name and company
 * columns when dbcontact_names_only; NULL when it has no word. */
static char *search_fts(const struct contact_query *q)
{
    char *fts = q->search ? db_fts_query(q->search) : NULL;
    if (!fts || !dbcontact_names_only(q))
        return fts;
    struct sbuf b = {0};
    sbuf_printf(&b, "{name company} : (%s)", fts);
    free(fts);
    return sbuf_take(&b);
}

/* How add_where lets SQLite find the matches of a search. */
enum match_plan {
    MATCH_IN_ORDER, /* may walk contact_live_by_name: a window in name order */
    MATCH_FROM_HITS /* from the full-text hits: a count */
};

/* How a search finds the contacts whose interactions hold its words. */
enum text_way {
    TEXT_NONE,         /* no search */
    TEXT_INTERACTIONS, /* interaction_fts's hits, then each one's links */
    TEXT_LINKS         /* interaction_contact_fts: the contact is in each hit's rowid */
};

/* The links' index answers every search but one that counts only the
 * text_limit most recently logged matching interactions (the TUI's search
 * as you type: at most that many hits, in interaction_fts's rowid order),
 * and one of names only, which reads no interaction. */
static enum text_way text_way(struct db *db, const struct contact_query *q, const char *fts)
{
    if (!fts)
        return TEXT_NONE;
    if (q->text_limit || dbcontact_names_only(q) || !dbsearch_links_usable(db))
        return TEXT_INTERACTIONS;
    return TEXT_LINKS;
}

/* The contacts (keys) of the interactions that match :q, by way w. */
static void add_text_keys(struct sbuf *b, const struct contact_query *q, enum text_way w)
{
    if (w == TEXT_LINKS) {
        sbuf_add(b, "SELECT rowid >> 32"
                    " FROM interaction_contact_fts"
                    " WHERE interaction_contact_fts MATCH :q");
        return;
    }
    sbuf_add(b, "SELECT ic.contact_key FROM");
    if (q->text_limit)
        sbuf_add(b, " (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH :q"
                    " ORDER BY rowid DESC LIMIT :tl) AS f");
    else
        sbuf_add(b, " interaction_fts f");
    sbuf_add(b, " JOIN interaction i ON i.rowid = f.rowid"
                " JOIN interaction_contact ic ON ic.interaction_id = i.id");
    if (!q->text_limit)
        sbuf_add(b, " WHERE interaction_fts MATCH :q");
}

/* Builds the FROM and WHERE clauses for q, with join (if not NULL) after
 * the contact table c; parameters :tag and :q. */
static void add_from_where(struct sbuf *b, const struct contact_query *q, enum text_way w,
                           enum match_plan plan, const char *join)
{
    sbuf_printf(b, " FROM contact c%s WHERE 1", join ? join : "");
    /* Counting a search by walking contact_live_by_name (archived = 0) and
     * probing the hit lists took 15 to 20 ms to reach 5000 matches of a
     * common word; without that index SQLite reads the contacts of the
     * hits instead (a MULTI-INDEX OR), and a count capped at 5000 stops
     * before it looks at interaction text when names and notes already
     * give 5000. */
    if (!q->include_archived)
        sbuf_add(b, w != TEXT_NONE && plan == MATCH_FROM_HITS ? " AND +c.archived = 0"
                                                              : " AND c.archived = 0");
    if (q->tag)
        sbuf_add(b, " AND c.id IN (SELECT contact_id FROM contact_tag WHERE tag = :tag)");
    if (w != TEXT_NONE && dbcontact_names_only(q)) {
        sbuf_add(b, " AND c.rowid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH :q)");
    } else if (w != TEXT_NONE) {
        sbuf_add(b, " AND (c.rowid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH :q)"
                    " OR c.key IN (");
        add_text_keys(b, q, w);
        sbuf_add(b, "))");
    }
}

static void add_where(struct sbuf *b, const struct contact_query *q, enum text_way w,
                      enum match_plan plan)
{
    add_from_where(b, q, w, plan, NULL);
}

/* ORDER BY for q's order on a list's columns; with its LIMIT and OFFSET
 * when windowed. */
static void add_order(struct sbuf *b, const struct contact_query *q, int windowed)
{
    switch (q->sort) {
    case CONTACT_SORT_RECENT:
        sbuf_add(b, " ORDER BY last_i DESC NULLS LAST, name_fold, id");
        break;
    case CONTACT_SORT_SILENT:
        sbuf_add(b, " ORDER BY last_i ASC NULLS FIRST, name_fold, id");
        break;
    case CONTACT_SORT_GOODWILL:
        sbuf_add(b, " ORDER BY goodwill DESC, name_fold, id");
        break;
    default:
        sbuf_add(b, " ORDER BY name_fold, id");
        break;
    }
    if (windowed && q->limit)
        sbuf_add(b, " LIMIT :limit OFFSET :offset");
    else if (windowed && q->offset)
        sbuf_add(b, " LIMIT -1 OFFSET :offset");
}

static int prepare_query(struct db *db, const char *sql, const struct contact_query *q,
                         const char *fts, sqlite3_stmt **out, struct kerr *e)
{
    if (sqlite3_prepare_v2(db->h, sql, -1, out, NULL) != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return db_fail(db, e, "listing contacts");
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(*out, ":tag"))) {
        /* contact_tag.tag is the folded key: "Worker Drones" finds "worker drones". */
        char *key = q->tag ? kstr_fold(q->tag) : NULL;
        db_bind_text(*out, i, key);
        free(key);
    }
    if ((i = sqlite3_bind_parameter_index(*out, ":q")))
        db_bind_text(*out, i, fts);
    if ((i = sqlite3_bind_parameter_index(*out, ":limit")))
        sqlite3_bind_int64(*out, i, (sqlite3_int64)q->limit);
    if ((i = sqlite3_bind_parameter_index(*out, ":offset")))
        sqlite3_bind_int64(*out, i, (sqlite3_int64)q->offset);
    if ((i = sqlite3_bind_parameter_index(*out, ":tl")))
        sqlite3_bind_int64(*out, i, (sqlite3_int64)q->text_limit);
    const struct contact_key *key = q->after ? q->after : q->before;
    if (key && (i = sqlite3_bind_parameter_index(*out, ":kname"))) {
        db_bind_text(*out, i, key->name_key);
        db_bind_text(*out, sqlite3_bind_parameter_index(*out, ":kid"), key->id);
    }
    return K_OK;
}

/* ---- the orders by a derived column: recent, silent, goodwill ----------
 *
 * Every contact's last interaction and balance are in contact_summary,
 * with an index per order that holds the order's whole key (the value,
 * then name_fold and id for ties, and the archived flag): the list in one
 * of these orders is a walk of an index, like name order, and a window
 * starts from a key or skips index entries only. With a tag or a search
 * the matches are sorted once into temp.contact_order (see order_build). */

/* What a derived order sorts by: the summary's column, whether it runs
 * from high to low, and its index. NULLs (never talked to) come last in
 * recent order and first in silent order, as SQLite sorts them. */
struct order_def {
    const char *col;
    int desc;
    const char *index;
};

static const struct order_def *order_of(enum contact_sort sort)
{
    static const struct order_def recent = {"last", 1, "contact_summary_recent"};
    static const struct order_def silent = {"last", 0, "contact_summary_silent"};
    static const struct order_def goodwill = {"goodwill", 1, "contact_summary_goodwill"};
    return sort == CONTACT_SORT_RECENT   ? &recent
           : sort == CONTACT_SORT_SILENT ? &silent
                                         : &goodwill;
}

/* ORDER BY terms for the summary (alias cs) in d's order, or backwards. */
static void add_walk_order(struct sbuf *b, const struct order_def *d, int backwards)
{
    int down = d->desc != backwards;
    sbuf_printf(b, " ORDER BY cs.%s%s, cs.name_fold%s, cs.id%s", d->col, down ? " DESC" : "",
                backwards ? " DESC" : "", backwards ? " DESC" : "");
}

/* 1 when q's rows are a walk of a summary index: a derived order with no
 * tag or search. */
static int walk_used(const struct contact_query *q)
{
    return q->sort != CONTACT_SORT_NAME && !q->tag && !q->search;
}

/* The branches of the summary's rows that come after (or, backwards,
 * before) the key (:kv, :kname, :kid) in d's order; the key's value :kv
 * is NULL or not (kv_null). Each is a range of d's index, taken in the
 * walk's order, at most :lim rows (or counted, when count). */
enum branch { SAME, BELOW, ABOVE, NULLS, NOT_NULLS };

static void add_branch(struct sbuf *b, const struct order_def *d, enum branch br, int backwards,
                       int inclusive, int archived, int count, int first)
{
    if (!first)
        sbuf_add(b, count ? " + " : " UNION ALL ");
    sbuf_add(b, count ? "(SELECT count(*)" : "SELECT * FROM (SELECT cs.contact_key AS k,");
    if (!count)
        sbuf_printf(b, " cs.%s AS v, cs.name_fold AS n, cs.id AS i", d->col);
    sbuf_printf(b, " FROM contact_summary cs INDEXED BY %s WHERE ", d->index);
    switch (br) {
    case SAME:
        sbuf_printf(b, "cs.%s IS :kv AND (cs.name_fold, cs.id) %s%s (:kname, :kid)", d->col,
                    backwards ? "<" : ">", inclusive ? "=" : "");
        break;
    case BELOW:
        sbuf_printf(b, "cs.%s < :kv", d->col);
        break;
    case ABOVE:
        sbuf_printf(b, "cs.%s > :kv", d->col);
        break;
    case NULLS:
        sbuf_printf(b, "cs.%s IS NULL", d->col);
        break;
    case NOT_NULLS:
        sbuf_printf(b, "cs.%s IS NOT NULL", d->col);
        break;
    }
    if (!archived)
        sbuf_add(b, " AND cs.archived = 0");
    if (count) {
        sbuf_add(b, ")");
        return;
    }
    add_walk_order(b, d, backwards);
    sbuf_add(b, " LIMIT :lim)");
}

/* All the branches after (or before) the key, in d's order: the rows that
 * tie with the key's value come first (or last), then the other values
 * in the walk's direction, NULLs at the end their order gives them. */
static void add_branches(struct sbuf *b, const struct order_def *d, int backwards, int kv_null,
                         int inclusive, int archived, int count)
{
    /* Which way the walk goes through the values: to lower ones in a
     * descending order walked forwards or an ascending one backwards. */
    int lower = d->desc != backwards;
    /* NULLs sort lowest: they lie ahead of a non-NULL key when the walk
     * goes to lower values, and everything non-NULL lies ahead of a NULL
     * key when it goes to higher ones. */
    add_branch(b, d, SAME, backwards, inclusive, archived, count, 1);
    if (!kv_null) {
        add_branch(b, d, lower ? BELOW : ABOVE, backwards, 0, archived, count, 0);
        if (lower && !strcmp(d->col, "last"))
            add_branch(b, d, NULLS, backwards, 0, archived, count, 0);
    } else if (!lower) {
        add_branch(b, d, NOT_NULLS, backwards, 0, archived, count, 0);
    }
}

/* The key of contact id in d's order: its value, folded name and whether
 * it is archived. K_NOTFOUND when it has no summary row. */
struct walk_key {
    sqlite3_value *v; /* a copy (sqlite3_value_free) */
    char *name_fold;
    int archived;
};

static void walk_key_clear(struct walk_key *k)
{
    sqlite3_value_free(k->v);
    free(k->name_fold);
    memset(k, 0, sizeof *k);
}

static int walk_key_of(struct db *db, const struct order_def *d, const char *id, struct walk_key *k,
                       struct kerr *e)
{
    /* clang-format off */
    static const char *const sql[] = {
        "SELECT cs.last, cs.name_fold, cs.archived"
        " FROM contact c"
        " CROSS JOIN contact_summary cs ON cs.contact_key = c.key"
        " WHERE c.id = :id",
        "SELECT cs.goodwill, cs.name_fold, cs.archived"
        " FROM contact c"
        " CROSS JOIN contact_summary cs ON cs.contact_key = c.key"
        " WHERE c.id = :id"};
    /* clang-format on */
    memset(k, 0, sizeof *k);
    sqlite3_stmt *st = db_stmt(db, sql[strcmp(d->col, "last") != 0], e);
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    int s = sqlite3_step(st), rc = K_OK;
    if (s == SQLITE_ROW) {
        k->v = sqlite3_value_dup(sqlite3_column_value(st, 0));
        k->name_fold = db_col_text(st, 1);
        k->archived = sqlite3_column_int(st, 2);
    } else {
        rc = s == SQLITE_DONE ? K_NOTFOUND : db_fail(db, e, "finding a contact in the list");
    }
    sqlite3_reset(st);
    return rc;
}

/* The window of q in a walk (no tag or search) as a subquery of contact
 * keys: from an offset, or from a key (whose value is looked up in k). */
static void add_walk_window(struct sbuf *b, const struct contact_query *q, const struct walk_key *k)
{
    const struct order_def *d = order_of(q->sort);
    if (!k) {
        sbuf_printf(b, "SELECT cs.contact_key FROM contact_summary cs INDEXED BY %s", d->index);
        if (!q->include_archived)
            sbuf_add(b, " WHERE cs.archived = 0");
        add_walk_order(b, d, 0);
        sbuf_add(b, q->limit ? " LIMIT :limit OFFSET :offset" : " LIMIT -1 OFFSET :offset");
        return;
    }
    sbuf_add(b, "SELECT k FROM (");
    add_branches(b, d, q->before != NULL, sqlite3_value_type(k->v) == SQLITE_NULL, q->key_inclusive,
                 q->include_archived, 0);
    /* The branches' rows in the walk's order: v, n and i as the index has
     * them. */
    int down = d->desc != (q->before != NULL);
    sbuf_printf(b, ") ORDER BY v%s NULLS %s, n%s, i%s", down ? " DESC" : "",
                down ? "LAST" : "FIRST", q->before ? " DESC" : "", q->before ? " DESC" : "");
    sbuf_add(b, q->limit ? " LIMIT :limit OFFSET :offset" : " LIMIT -1 OFFSET :offset");
}

/* Binds a walk's key (:kv, :kname, :kid) and the branches' row limit. */
static void bind_walk(sqlite3_stmt *st, const struct contact_query *q, const struct walk_key *k)
{
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":kv")))
        sqlite3_bind_value(st, i, k->v);
    if ((i = sqlite3_bind_parameter_index(st, ":lim")))
        sqlite3_bind_int64(st, i,
                           q->limit ? (sqlite3_int64)(q->limit + q->offset) : (sqlite3_int64)-1);
}

/* With a tag or a search, the matches of the last such query in a derived
 * order are kept in temp.contact_order, as (pos, key) in that order, pos
 * counting from 1: a window is then a range of pos and a row number a
 * lookup. The table is made again when the query or the journal changes
 * (here or in another process) or the goodwill weights do. */
static int order_ok(struct db *db, const struct contact_query *q, const char *fts)
{
    const struct db_order *o = &db->order;
    if (!o->built || o->sort != (int)q->sort || o->include_archived != !!q->include_archived ||
        o->text_limit != q->text_limit || !o->tag != !q->tag ||
        (q->tag && strcmp(o->tag, q->tag)) || !o->fts != !fts || (fts && strcmp(o->fts, fts)))
        return 0;
    /* The pragma first: it starts the read that makes this connection see
     * the other one's commits. Neither moves with writes to temp tables
     * (the reminders' evaluation, this table), which total_changes counts. */
    if (db_data_version(db) != o->data_version)
        return 0;
    return db_file_version(db) == o->file_version && o->weights == db->weights;
}

/* Makes temp.contact_order hold q's matches in q's order, unless it does:
 * the matches joined to their summary rows, sorted on the order's key. */
static int order_build(struct db *db, const struct contact_query *q, const char *fts,
                       struct kerr *e)
{
    struct db_order *o = &db->order;
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    int rc = K_OK;
    if (order_ok(db, q, fts))
        goto out;
    o->built = 0;
    free(o->tag);
    free(o->fts);
    o->tag = o->fts = NULL;
    /* Read before the build: a commit elsewhere during it makes the next
     * look build again rather than go unseen. */
    o->data_version = db_data_version(db);
    o->file_version = db_file_version(db);
    o->weights = db->weights;
    if (sqlite3_exec(db->h,
                     "CREATE TEMP TABLE IF NOT EXISTS contact_order ("
                     " pos INTEGER PRIMARY KEY, key INTEGER NOT NULL);"
                     "DELETE FROM temp.contact_order",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "sorting contacts");
        goto out;
    }
    /* SQLite inserts the rows of INSERT ... SELECT ... ORDER BY in that
     * order, so the new rowids are the row numbers (from 1 after the
     * DELETE emptied the table). */
    sbuf_add(&b, "INSERT INTO temp.contact_order(key) SELECT c.key");
    add_from_where(&b, q, text_way(db, q, fts), MATCH_IN_ORDER,
                   " CROSS JOIN contact_summary cs ON cs.contact_key = c.key");
    add_walk_order(&b, order_of(q->sort), 0);
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_fail(db, e, "sorting contacts");
        goto out;
    }
    o->n = (size_t)sqlite3_changes64(db->h);
    o->sort = (int)q->sort;
    o->include_archived = !!q->include_archived;
    o->text_limit = q->text_limit;
    o->tag = kstr_dup(q->tag);
    o->fts = kstr_dup(fts);
    o->built = 1;
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    return rc;
}

/* 1 when q is read through temp.contact_order: a window or a row number
 * in a derived order with a tag or a search, outside a transaction (whose
 * rollback would take the table's rows back without telling db->order). */
static int order_used(struct db *db, const struct contact_query *q)
{
    return q->sort != CONTACT_SORT_NAME && !walk_used(q) && sqlite3_get_autocommit(db->h);
}

/* Makes the list query in b one that returns each row as the parts of the
 * JSON object that --json prints, each already JSON text: strings quoted
 * by json_quote (null for NULL), arrays made by json_group_array, numbers.
 * row_json joins them. Building the object in SQL (json_object, and json()
 * to keep each array's JSON through its subquery) parsed every array
 * again and copied the object once per key: twice the cost of the parts
 * at 100k contacts. */
static void wrap_json(struct sbuf *b)
{
    char *base = sbuf_take(b);
    sbuf_add(b, "SELECT json_quote(id), json_quote(name), json_quote(company), json_quote(title),"
                " (SELECT json_group_array(s) FROM (SELECT coalesce(spelling, tag) AS s"
                "  FROM contact_tag t WHERE t.contact_id = l.id ORDER BY tag)),"
                " (SELECT json_group_array(value) FROM (SELECT value FROM"
                "  contact_detail d WHERE d.contact_id = l.id AND d.type = 'email'"
                "  ORDER BY position)),"
                " (SELECT json_group_array(value) FROM (SELECT value FROM"
                "  contact_detail d WHERE d.contact_id = l.id AND d.type = 'phone'"
                "  ORDER BY position)),"
                " goodwill, json_quote(last_i), archived FROM (");
    sbuf_add(b, base);
    sbuf_add(b, ") AS l");
    free(base);
}

/* What a list query returns for each row: a whole contact's list fields
 * (struct contact), the parts of --json's object, or what `kith list`
 * prints (struct contact_row). */
enum list_kind { LIST_CONTACT, LIST_JSON, LIST_ROW };

/* What a listing of struct contact_row reads in one pass beside its
 * query instead of per row (maps_used). */
enum { MAP_TAGS = 1, MAP_SUMMARY = 2 };

/* The list query's columns: JSON takes only what it prints (per contact,
 * the tags and the gave/asked/mutual counts were a third of a
 * 100k-contact listing). The FROM clause and a closing parenthesis
 * follow (add_list_from). A row's tags are NULL when tag_map reads them,
 * its figures NULL and 0 when sum_map does (see maps_used). */
static void add_list_columns(struct sbuf *b, enum list_kind kind, int maps)
{
    /* clang-format off */
    if (kind == LIST_JSON)
        sbuf_add(b,
            "SELECT * FROM (SELECT c.id, c.name, c.company, c.title, c.name_fold,"
            "  " DB_CONTACT_LAST_I ", " DB_CONTACT_GOODWILL ", c.archived AS archived");
    else if (kind == LIST_ROW && (maps & MAP_SUMMARY))
        sbuf_add(b,
            "SELECT * FROM (SELECT c.id, c.name, c.company, c.name_fold, NULL AS tags,"
            "  NULL AS last_i, 0 AS goodwill, c.archived AS archived, c.key AS ckey");
    else if (kind == LIST_ROW && (maps & MAP_TAGS))
        sbuf_add(b,
            "SELECT * FROM (SELECT c.id, c.name, c.company, c.name_fold, NULL AS tags,"
            "  " DB_CONTACT_LAST_I ", " DB_CONTACT_GOODWILL ", c.archived AS archived,"
            "  c.key AS ckey");
    else if (kind == LIST_ROW)
        sbuf_add(b,
            "SELECT * FROM (SELECT c.id, c.name, c.company, c.name_fold,"
            "  (SELECT group_concat(s, ',') FROM (SELECT coalesce(spelling, tag) AS s"
            "   FROM contact_tag t WHERE t.contact_id = c.id ORDER BY tag)) AS tags,"
            "  " DB_CONTACT_LAST_I ", " DB_CONTACT_GOODWILL ", c.archived AS archived,"
            "  c.key AS ckey");
    else
        sbuf_add(b,
            "SELECT * FROM (SELECT c.id, c.name, c.company, c.title, c.name_fold,"
            "  (SELECT group_concat(s, char(10)) FROM (SELECT coalesce(spelling, tag) AS s"
            "   FROM contact_tag t WHERE t.contact_id = c.id ORDER BY tag)) AS tags,"
            "  " DB_CONTACT_STATS ", c.archived AS archived");
    /* clang-format on */
}

/* Makes the list query in b return the columns of struct contact_row
 * only (the sort keys stay inside). */
static void wrap_row(struct sbuf *b)
{
    char *base = sbuf_take(b);
    sbuf_add(b, "SELECT id, name, company, tags, last_i, goodwill, archived, ckey FROM (");
    sbuf_add(b, base);
    sbuf_add(b, ") AS l");
    free(base);
}

/* ---- every contact's tags, read once ------------------------------------
 *
 * A row's tags looked up by a subquery cost a b-tree seek and an
 * aggregate per contact: more than half of the query of a whole
 * 10k-contact listing with tags (60 M of 110 M instructions), a quarter
 * without any. A whole listing reads contact_tag once instead, in its
 * own order (by contact id, then tag), into a hash table of each
 * contact's tags joined by ','. */
struct tag_map {
    struct sbuf text; /* records: id '\0' tags '\0' */
    size_t *slot;     /* offset + 1 of a record in text; 0: empty */
    size_t mask;      /* slots - 1, a power of two less one */
};

/* Ids are random hex: their first 16 bytes, mixed, spread them enough. */
static size_t tag_hash(const char *id)
{
    uint64_t w[2] = {0, 0};
    size_t n = strnlen(id, sizeof w);
    memcpy(w, id, n);
    uint64_t h = (w[0] * 0x9E3779B97F4A7C15u) ^ (w[1] * 0xC2B2AE3D27D4EB4Fu) ^ n;
    return (size_t)(h ^ (h >> 29));
}

static void tag_map_free(struct tag_map *m)
{
    sbuf_free(&m->text);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

/* The tags of contact id joined by ',', or "" for none. */
static const char *tag_map_get(const struct tag_map *m, const char *id)
{
    if (!m->slot || !m->text.len || !id)
        return "";
    for (size_t i = tag_hash(id) & m->mask; m->slot[i]; i = (i + 1) & m->mask) {
        const char *r = m->text.s + m->slot[i] - 1;
        if (!strcmp(r, id))
            return r + strlen(r) + 1;
    }
    return "";
}

static int tag_map_read(struct db *db, struct tag_map *m, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    size_t *starts = NULL, n = 0, cap = 0;
    int rc = K_OK, s;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT contact_id, coalesce(spelling, tag) FROM contact_tag"
                           " ORDER BY contact_id, tag",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "listing contacts");
        goto out;
    }
    const char *last = NULL; /* the id of the record being made */
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *tag = (const char *)sqlite3_column_text(st, 1);
        if (!id || !tag)
            continue;
        if (last && !strcmp(last, id)) {
            m->text.len--; /* the record's closing '\0' */
            sbuf_addc(&m->text, ',');
        } else {
            if (n == cap) {
                cap = cap ? 2 * cap : 256;
                starts = krealloc(starts, cap * sizeof *starts);
            }
            starts[n++] = m->text.len;
            sbuf_addn(&m->text, id, strlen(id) + 1);
        }
        sbuf_addn(&m->text, tag, strlen(tag) + 1);
        last = m->text.s + starts[n - 1];
    }
    if (s != SQLITE_DONE) {
        rc = db_fail(db, e, "listing contacts");
        goto out;
    }
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    m->mask = slots - 1;
    m->slot = kcalloc(slots, sizeof *m->slot);
    for (size_t k = 0; k < n; k++) {
        size_t i = tag_hash(m->text.s + starts[k]) & m->mask;
        while (m->slot[i])
            i = (i + 1) & m->mask;
        m->slot[i] = starts[k] + 1;
    }
out:
    free(starts);
    sqlite3_finalize(st);
    if (rc != K_OK)
        tag_map_free(m);
    return rc;
}

/* ---- every contact's figures, read once --------------------------------
 *
 * A whole list in name order looked each contact's summary row up: a
 * b-tree seek per contact, a fifth of the query. The rows whose figures
 * show something (an interaction, a balance) are read once instead, from
 * the covering goodwill index, into a hash table by contact key; a
 * contact not in it shows no interaction and a balance of 0, which is
 * what its summary row holds. */
struct sum_entry {
    sqlite3_int64 key;
    int last;
    int goodwill;
    int used; /* 0: an empty slot */
};

struct sum_map {
    struct sum_entry *slot;
    size_t mask, n;
};

static size_t sum_hash(sqlite3_int64 key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15u;
    return (size_t)(h ^ (h >> 32));
}

/* The slot of key in m: its entry's, or the empty one it would take. */
static size_t sum_slot(const struct sum_map *m, sqlite3_int64 key)
{
    size_t i = sum_hash(key) & m->mask;
    while (m->slot[i].used && m->slot[i].key != key)
        i = (i + 1) & m->mask;
    return i;
}

static void sum_map_put(struct sum_map *m, sqlite3_int64 key, int last, int goodwill)
{
    if (2 * (m->n + 1) > m->mask + 1) {
        /* Twice the slots, from 8; the entries moved to their new slots. */
        struct sum_map g = {0};
        g.mask = m->slot ? 2 * m->mask + 1 : 7;
        g.slot = kcalloc(g.mask + 1, sizeof *g.slot);
        g.n = m->n;
        for (size_t k = 0; m->slot && k <= m->mask; k++)
            if (m->slot[k].used)
                g.slot[sum_slot(&g, m->slot[k].key)] = m->slot[k];
        free(m->slot);
        *m = g;
    }
    size_t i = sum_slot(m, key);
    m->n += !m->slot[i].used;
    m->slot[i] = (struct sum_entry){key, last, goodwill, 1};
}

/* The figures of contact key: its last interaction and balance. */
static void sum_map_get(const struct sum_map *m, sqlite3_int64 key, int *last, int *goodwill)
{
    *last = KDATE_NONE;
    *goodwill = 0;
    if (!m->n)
        return;
    size_t i = sum_slot(m, key);
    if (m->slot[i].used) {
        *last = m->slot[i].last;
        *goodwill = m->slot[i].goodwill;
    }
}

static int sum_map_read(struct db *db, struct sum_map *m, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    int rc = K_OK, s;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT contact_key, last, goodwill FROM contact_summary"
                           " WHERE last IS NOT NULL OR goodwill <> 0",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "listing contacts");
        goto out;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        sum_map_put(m, sqlite3_column_int64(st, 0), db_col_date(st, 1), sqlite3_column_int(st, 2));
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "listing contacts");
out:
    sqlite3_finalize(st);
    return rc;
}

/* Which maps a listing of kind reads: every contact (or every live one)
 * reads the tags in one pass, and in name order the figures too (a
 * derived order walks the summary anyway). A window, a tag or a search
 * lists few of them: they are looked up per row. */
static int maps_used(const struct contact_query *q, enum list_kind kind)
{
    if (kind != LIST_ROW || q->tag || q->search || q->limit || q->offset || q->after || q->before)
        return 0;
    return MAP_TAGS | (q->sort == CONTACT_SORT_NAME ? MAP_SUMMARY : 0);
}

/* A window in name order (a next screenful without a search): its rows
 * picked from contact_live_by_name alone, then read. Skipping rows of the
 * full query still decoded every skipped index entry's rowid for a table
 * seek it never made: twice the cost of the page. A key starts the index
 * walk at the window instead of skipping to it; the rows before a key are
 * walked backwards from it. */
static void add_window_rows(struct sbuf *b, const struct contact_query *q,
                            const struct contact_key *key)
{
    sbuf_add(b, "SELECT c.rowid AS r");
    add_where(b, q, TEXT_NONE, MATCH_IN_ORDER);
    if (key)
        sbuf_printf(b, " AND (c.name_fold, c.id) %s%s (:kname, :kid)", q->after ? ">" : "<",
                    q->key_inclusive ? "=" : "");
    sbuf_add(b,
             q->before ? " ORDER BY c.name_fold DESC, c.id DESC" : " ORDER BY c.name_fold, c.id");
    sbuf_printf(b, " LIMIT %s OFFSET :offset", q->limit ? ":limit" : "-1");
}

/* ---- a search's window in name order -----------------------------------
 *
 * The TUI reads the first screenful of a search at every key typed, and
 * the next ones as it pages. The matches are the contacts whose own text
 * matches (contact_fts: the set A) and the contacts of the matching
 * interactions (B); with text_limit, of the text_limit most recently
 * logged ones only (the hits H). One statement that walked
 * contact_live_by_name testing each contact against A and B as SQL
 * IN-lists built both lists whole before its first row: for B, the FTS5
 * query and then a seek into interaction_contact for each of H's 1000
 * hits, 3 of the 9-10 ms of a three-letter keystroke at 100k contacts /
 * 1M interactions (most of it reading pages SQLite's cache had let go).
 *
 * Here the lists are read into memory and the window is found in C, all
 * in one read transaction (search_window_keys):
 * - A is read whole, as a sorted array of contact keys;
 * - with text_limit, H is read as its interactions' ids (the most recent
 *   interactions: their rows lie together at the end of the table);
 * - when A and B hold at most DBCONTACT_HITS_SORTED contacts together,
 *   SQL reads and sorts them (B read first when A and H are that short);
 * - otherwise the name index is walked from the window's start, testing
 *   each contact against A, then against B: either B as read (every
 *   match of the interactions, or H's contacts), or, while the walk is
 *   expected to be short (A dense), each contact not in A by its own
 *   links (interaction_contact_by_contact, one seek) against H's ids:
 *   a few hundred such seeks in place of H's thousand. A walk that
 *   needs more of them than H's length / DBCONTACT_PROBE_SHARE reads B
 *   and goes on testing against it.
 * The window's rows are then read by their keys (add_name_window). */

/* Contact keys; a set (ascending, no repeats) once keys_set made it. */
struct keys {
    sqlite3_int64 *v;
    size_t n, cap;
};

static void keys_add(struct keys *k, sqlite3_int64 v)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->v = kreallocarray(k->v, k->cap, sizeof *k->v);
    }
    k->v[k->n++] = v;
}

static int key_cmp(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

/* FTS5 hands rowids in ascending order: sorted only when they are not. */
static void keys_set(struct keys *k)
{
    size_t i = 1, n = 0;
    while (i < k->n && k->v[i - 1] < k->v[i])
        i++;
    if (i >= k->n)
        return;
    qsort(k->v, k->n, sizeof *k->v, key_cmp);
    for (i = 0; i < k->n; i++)
        if (!n || k->v[n - 1] != k->v[i])
            k->v[n++] = k->v[i];
    k->n = n;
}

static int keys_has(const struct keys *k, sqlite3_int64 v)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->v[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->n && k->v[lo] == v;
}

static void keys_free(struct keys *k)
{
    free(k->v);
    memset(k, 0, sizeof *k);
}

/* The number of keys in either of two sets. */
static size_t keys_union_n(const struct keys *a, const struct keys *b)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        sqlite3_int64 x = a->v[i], y = b->v[j];
        i += x <= y;
        j += y <= x;
        n++;
    }
    return n + (a->n - i) + (b->n - j);
}

/* Interaction ids (H): an open-addressing hash set of copies. */
struct idset {
    char **slot; /* NULL: empty */
    size_t mask, n;
};

static size_t id_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int idset_has(const struct idset *h, const char *id)
{
    if (!h->n)
        return 0;
    for (size_t i = id_hash(id) & h->mask; h->slot[i]; i = (i + 1) & h->mask)
        if (!strcmp(h->slot[i], id))
            return 1;
    return 0;
}

static void idset_add(struct idset *h, const char *id)
{
    if (2 * (h->n + 1) > h->mask + 1 || !h->slot) {
        struct idset g = {kcalloc(h->slot ? 2 * (h->mask + 1) : 64, sizeof *g.slot), 0, 0};
        g.mask = (h->slot ? 2 * (h->mask + 1) : 64) - 1;
        for (size_t i = 0; h->slot && i <= h->mask; i++) {
            if (!h->slot[i])
                continue;
            size_t j = id_hash(h->slot[i]) & g.mask;
            while (g.slot[j])
                j = (j + 1) & g.mask;
            g.slot[j] = h->slot[i];
            g.n++;
        }
        free(h->slot);
        *h = g;
    }
    size_t i = id_hash(id) & h->mask;
    for (; h->slot[i]; i = (i + 1) & h->mask)
        if (!strcmp(h->slot[i], id))
            return;
    h->slot[i] = kstr_dup(id);
    h->n++;
}

static void idset_free(struct idset *h)
{
    for (size_t i = 0; h->slot && i <= h->mask; i++)
        free(h->slot[i]);
    free(h->slot);
    memset(h, 0, sizeof *h);
}

/* What search_window_keys works with: the sets, and how the window was
 * found (db->search_way, for tests). */
struct search_sets {
    struct keys a, b;
    struct idset h;
    int b_read;    /* b holds B (else H's contacts are tested by probe) */
    size_t budget; /* probes allowed before B is read */
    size_t probes; /* made */
};

/* Steps the cached statement sql with :q (and :tl) bound, adding column 0
 * of each row to k, or its text to h. */
static int read_hits(struct db *db, const char *sql, const struct contact_query *q, const char *fts,
                     struct keys *k, struct idset *h, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    int s, i;
    if (!st)
        return K_ERR;
    db_bind_text_static(st, sqlite3_bind_parameter_index(st, ":q"), fts);
    if ((i = sqlite3_bind_parameter_index(st, ":tl")))
        sqlite3_bind_int64(st, i, (sqlite3_int64)q->text_limit);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (k)
            keys_add(k, sqlite3_column_int64(st, 0));
        else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            idset_add(h, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_reset(st);
    return s == SQLITE_DONE ? K_OK : db_fail(db, e, "searching contacts");
}

/* B from H: the contacts of H's interactions. */
static int read_hit_contacts(struct db *db, struct search_sets *x, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db,
                               "SELECT contact_key FROM interaction_contact"
                               " WHERE interaction_id = ?1",
                               e);
    int s = SQLITE_DONE;
    if (!st)
        return K_ERR;
    for (size_t i = 0; i <= x->h.mask && x->h.slot; i++) {
        if (!x->h.slot[i])
            continue;
        db_bind_text_static(st, 1, x->h.slot[i]);
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            keys_add(&x->b, sqlite3_column_int64(st, 0));
        sqlite3_reset(st);
        if (s != SQLITE_DONE)
            return db_fail(db, e, "searching contacts");
    }
    keys_set(&x->b);
    x->b_read = 1;
    return K_OK;
}

/* *hit: whether the contact key has one of H's interactions, by its own
 * links (interaction_contact_by_contact holds each link's interaction
 * id). */
static int probe_links(struct db *db, sqlite3_int64 key, const struct idset *h, int *hit,
                       struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db,
                               "SELECT interaction_id FROM interaction_contact"
                               " WHERE contact_key = ?1",
                               e);
    int s;
    *hit = 0;
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, 1, key);
    while (!*hit && (s = sqlite3_step(st)) == SQLITE_ROW)
        *hit = sqlite3_column_type(st, 0) != SQLITE_NULL &&
               idset_has(h, (const char *)sqlite3_column_text(st, 0));
    if (!*hit && s != SQLITE_DONE) {
        sqlite3_reset(st);
        return db_fail(db, e, "searching contacts");
    }
    sqlite3_reset(st);
    return K_OK;
}

/* Whether testing the walk's contacts one by one is expected to cost less
 * than reading H's contacts: a walk of the name index meets A's contacts
 * at about A's share of the contacts (the highest key counts them, or
 * more), so it walks about want / share of them. Sets x->budget. */
static int probes_pay(struct db *db, const struct search_sets *x, size_t want, size_t *budget,
                      struct kerr *e)
{
    *budget = x->h.n / DBCONTACT_PROBE_SHARE;
    if (!x->a.n || want == SIZE_MAX)
        return 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT max(key) FROM contact", e);
    if (!st)
        return -1;
    double contacts = sqlite3_step(st) == SQLITE_ROW ? (double)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return (double)want * contacts / (double)x->a.n <= (double)*budget;
}

/* The walk for a window: contact keys and ids in name order from the
 * window's start (or backwards from a key before it), live ones only
 * unless q says otherwise. The tag is tested by walk_window, on the
 * contacts that match only: a tag's test at every contact walked cost
 * more than the walk itself. */
static void add_name_walk(struct sbuf *b, const struct contact_query *q,
                          const struct contact_key *key)
{
    sbuf_add(b, q->include_archived
                    ? "SELECT c.rowid, c.id FROM contact c INDEXED BY contact_by_name WHERE 1"
                    : "SELECT c.rowid, c.id FROM contact c INDEXED BY contact_live_by_name"
                      " WHERE c.archived = 0");
    if (key)
        sbuf_printf(b, " AND (c.name_fold, c.id) %s%s (:kname, :kid)", q->after ? ">" : "<",
                    q->key_inclusive ? "=" : "");
    sbuf_add(b,
             q->before ? " ORDER BY c.name_fold DESC, c.id DESC" : " ORDER BY c.name_fold, c.id");
}

/* *tagged: whether the contact id has the tag (folded). */
static int has_tag(struct db *db, const char *id, const char *tag, int *tagged, struct kerr *e)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT 1 FROM contact_tag WHERE contact_id = ?1 AND tag = ?2", e);
    if (!st)
        return K_ERR;
    db_bind_text_static(st, 1, id);
    db_bind_text_static(st, 2, tag);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    *tagged = s == SQLITE_ROW;
    return s == SQLITE_ROW || s == SQLITE_DONE ? K_OK : db_fail(db, e, "searching contacts");
}

/* Walks the name index for q's window, each contact tested against the
 * sets (and the tag); the window's keys go to out as a JSON array. */
static int walk_window(struct db *db, const struct contact_query *q, const char *fts,
                       const struct contact_key *key, struct search_sets *x, struct sbuf *out,
                       struct kerr *e)
{
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    size_t want = q->limit ? q->limit + q->offset : SIZE_MAX, taken = 0;
    char *tag = q->tag ? kstr_fold(q->tag) : NULL;
    int rc, s = SQLITE_DONE;
    add_name_walk(&b, q, key);
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    while (taken < want && (s = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 k = sqlite3_column_int64(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        int hit = keys_has(&x->a, k), tagged = -1;
        if (!id)
            continue; /* NOT NULL: never */
        if (!hit && !x->b_read) {
            /* A test by links costs more than the tag's. */
            if (tag && (rc = has_tag(db, id, tag, &tagged, e)) != K_OK)
                goto out;
            if (!tagged)
                continue;
            if (x->probes == x->budget) {
                /* Longer than expected: B instead. */
                db->search_way = DBCONTACT_WAY_PROBED_READ;
                if ((rc = read_hit_contacts(db, x, e)) != K_OK)
                    goto out;
            }
        }
        if (!hit && x->b_read) {
            hit = keys_has(&x->b, k);
        } else if (!hit) {
            x->probes++;
            if ((rc = probe_links(db, k, &x->h, &hit, e)) != K_OK)
                goto out;
        }
        if (hit && tag && tagged < 0 && (rc = has_tag(db, id, tag, &hit, e)) != K_OK)
            goto out;
        if (hit && taken++ >= q->offset)
            sbuf_printf(out, "%s%lld", out->len > 1 ? "," : "", (long long)k);
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "searching contacts");
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    free(tag);
    return rc;
}

/* The keys of q's window (a search in name order) as a JSON array in out:
 * the matches themselves when they are few (*walked 0: the window is
 * still to be taken from them), else the window's (*walked 1). Inside a
 * read transaction. */
static int search_window_keys(struct db *db, const struct contact_query *q, const char *fts,
                              const struct contact_key *key, struct sbuf *out, int *walked,
                              struct kerr *e)
{
    struct search_sets x;
    enum text_way w = text_way(db, q, fts);
    int rc, pay = 0;
    memset(&x, 0, sizeof x);
    *walked = 0;
    sbuf_add(out, "[");
    if ((rc = read_hits(db, "SELECT rowid FROM contact_fts WHERE contact_fts MATCH :q", q, fts,
                        &x.a, NULL, e)) != K_OK)
        goto out;
    keys_set(&x.a);
    if (dbcontact_names_only(q)) {
        x.b_read = 1;
    } else if (w == TEXT_LINKS) {
        rc = read_hits(db,
                       "SELECT rowid >> 32 FROM interaction_contact_fts"
                       " WHERE interaction_contact_fts MATCH :q",
                       q, fts, &x.b, NULL, e);
        x.b_read = 1;
    } else if (!q->text_limit) {
        rc = read_hits(db,
                       "SELECT ic.contact_key FROM interaction_fts f"
                       " JOIN interaction i ON i.rowid = f.rowid"
                       " JOIN interaction_contact ic ON ic.interaction_id = i.id"
                       " WHERE interaction_fts MATCH :q",
                       q, fts, &x.b, NULL, e);
        x.b_read = 1;
    } else {
        rc = read_hits(db,
                       "SELECT i.id FROM (SELECT rowid FROM interaction_fts"
                       " WHERE interaction_fts MATCH :q ORDER BY rowid DESC LIMIT :tl) AS f"
                       " JOIN interaction i ON i.rowid = f.rowid",
                       q, fts, NULL, &x.h, e);
        if (rc != K_OK)
            goto out;
        size_t want = q->limit ? q->limit + q->offset : SIZE_MAX;
        /* Short lists are read (and sorted, if still short); long ones
         * are read unless the tests by links pay. */
        int read = x.a.n <= DBCONTACT_HITS_SORTED && x.h.n <= DBCONTACT_HITS_SORTED;
        if (!x.h.n)
            x.b_read = 1;
        else if (!read && (pay = probes_pay(db, &x, want, &x.budget, e)) < 0)
            rc = K_ERR;
        else if (read || !pay)
            rc = read_hit_contacts(db, &x, e);
    }
    if (rc != K_OK)
        goto out;
    keys_set(&x.b);
    if (x.b_read && keys_union_n(&x.a, &x.b) <= DBCONTACT_HITS_SORTED) {
        db->search_way = DBCONTACT_WAY_SORTED;
        size_t i = 0, j = 0;
        while (i < x.a.n || j < x.b.n) {
            sqlite3_int64 k =
                j >= x.b.n || (i < x.a.n && x.a.v[i] <= x.b.v[j]) ? x.a.v[i] : x.b.v[j];
            i += i < x.a.n && x.a.v[i] == k;
            j += j < x.b.n && x.b.v[j] == k;
            sbuf_printf(out, "%s%lld", out->len > 1 ? "," : "", (long long)k);
        }
        goto out;
    }
    db->search_way = x.b_read ? DBCONTACT_WAY_WALKED : DBCONTACT_WAY_PROBED;
    *walked = 1;
    rc = walk_window(db, q, fts, key, &x, out, e);
out:
    sbuf_addc(out, ']');
    keys_free(&x.a);
    keys_free(&x.b);
    idset_free(&x.h);
    return rc;
}

/* A window in name order: with a search, its rows are those of the keys
 * search_window_keys found (:keys), through the window's filters again
 * (the matches when they were few: the window is taken from them here). */
static void add_name_window(struct sbuf *b, const struct contact_query *q,
                            const struct contact_key *key, int search)
{
    sbuf_add(b, " FROM contact c" DB_JOIN_SUMMARY " WHERE c.rowid IN (");
    if (!search) {
        add_window_rows(b, q, key);
    } else {
        /* NOT INDEXED: the keys are few; walking the name index for
         * them, as ORDER BY with LIMIT may tempt SQLite to, is not. */
        sbuf_add(b, "SELECT c.rowid FROM contact c NOT INDEXED"
                    " WHERE c.rowid IN (SELECT value FROM json_each(:keys))");
        if (!q->include_archived)
            sbuf_add(b, " AND c.archived = 0");
        if (q->tag)
            sbuf_add(b, " AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = c.id"
                        " AND t.tag = :tag)");
        if (key)
            sbuf_printf(b, " AND (c.name_fold, c.id) %s%s (:kname, :kid)", q->after ? ">" : "<",
                        q->key_inclusive ? "=" : "");
        sbuf_add(b, q->before ? " ORDER BY c.name_fold DESC, c.id DESC"
                              : " ORDER BY c.name_fold, c.id");
        sbuf_printf(b, " LIMIT %s OFFSET :offset", q->limit ? ":limit" : "-1");
    }
    sbuf_add(b, ")) ORDER BY name_fold, id");
}

/* The list query's FROM clause and order for q, after add_list_columns:
 * a window of a derived order is read from the order's index (from a key,
 * whose place wk is made here: K_NOTFOUND when its contact is gone), or
 * from temp.contact_order with a tag or a search; a window in name order
 * from contact_live_by_name; a whole list in one query. */
static int add_list_from(struct db *db, struct sbuf *b, const struct contact_query *q,
                         const char *fts, const struct contact_key *key, struct walk_key *wk,
                         int maps, struct kerr *e)
{
    int rc = K_OK;
    if (walk_used(q) && (q->limit || q->offset || key)) {
        if (key && (rc = walk_key_of(db, order_of(q->sort), key->id, wk, e)) != K_OK)
            return rc;
        sbuf_add(b, " FROM contact c" DB_JOIN_SUMMARY " WHERE c.key IN (");
        add_walk_window(b, q, key ? wk : NULL);
        sbuf_add(b, "))");
        add_order(b, q, 0);
    } else if (q->limit && order_used(db, q)) {
        /* Only the window's rows have their figures read. */
        if ((rc = order_build(db, q, fts, e)) != K_OK)
            return rc;
        sbuf_add(b, ", o.pos AS opos"
                    " FROM temp.contact_order o"
                    " CROSS JOIN contact c ON c.key = o.key" DB_JOIN_SUMMARY
                    " WHERE o.pos > :offset AND o.pos <= :offset + :limit)"
                    " ORDER BY opos");
    } else if (q->sort == CONTACT_SORT_NAME && (q->limit || key)) {
        add_name_window(b, q, key, fts != NULL);
    } else if (walk_used(q)) {
        /* Every contact in a derived order: the order's index walked. */
        sbuf_printf(b, " FROM contact_summary cs INDEXED BY %s", order_of(q->sort)->index);
        sbuf_add(b, " CROSS JOIN contact c ON c.key = cs.contact_key");
        if (!q->include_archived)
            sbuf_add(b, " WHERE cs.archived = 0");
        add_walk_order(b, order_of(q->sort), 0);
        sbuf_add(b, ")");
        add_order(b, q, 0);
    } else {
        add_from_where(b, q, text_way(db, q, fts), MATCH_IN_ORDER,
                       maps & MAP_SUMMARY ? NULL : DB_JOIN_SUMMARY);
        sbuf_add(b, ")");
        add_order(b, q, 1);
    }
    return rc;
}

/* 1 when q's list is a window of a search in name order: its keys are
 * found first (search_window_keys). */
static int search_windowed(const struct contact_query *q, const char *fts,
                           const struct contact_key *key)
{
    return fts && q->sort == CONTACT_SORT_NAME && (q->limit || key) && !walk_used(q);
}

/* Runs the list query; each row is handed to row() (which stops the list
 * by returning non-zero). A search's window is found and read in one read
 * transaction (unless the caller's holds one): its rows are handed out
 * inside it, so row() must not write. */
static int run_list(struct db *db, const struct contact_query *q, enum list_kind kind, int maps,
                    int (*row)(sqlite3_stmt *, void *), void *ud, struct kerr *e)
{
    struct sbuf b = {0}, keys = {0};
    sqlite3_stmt *st = NULL;
    char *fts = search_fts(q);
    const struct contact_key *key = q->after ? q->after : q->before;
    struct walk_key wk = {0};
    int rc = K_OK, s, began = 0, walked = 0;
    if (key && ((q->after && q->before) || !key->name_key || !key->id ||
                (q->sort != CONTACT_SORT_NAME && !walk_used(q)))) {
        rc = kerr_set(e, K_USAGE,
                      "a keyset window needs one whole key, and no tag or search in this order");
        goto out;
    }
    if (q->search && !fts)
        goto out; /* no words: nothing matches */
    if ((rc = dbsummary_ready(db, e)) != K_OK)
        goto out;
    if (search_windowed(q, fts, key)) {
        if (sqlite3_get_autocommit(db->h)) {
            if (sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
                rc = db_fail(db, e, "listing contacts");
                goto out;
            }
            began = 1;
        }
        if ((rc = search_window_keys(db, q, fts, key, &keys, &walked, e)) != K_OK)
            goto out;
    }
    add_list_columns(&b, kind, maps);
    if ((rc = add_list_from(db, &b, q, fts, key, &wk, maps, e)) != K_OK) {
        if (rc == K_NOTFOUND)
            rc = K_OK; /* a key's contact is gone: an empty window */
        goto out;
    }
    if (kind == LIST_JSON)
        wrap_json(&b);
    else if (kind == LIST_ROW)
        wrap_row(&b);
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    if (key && wk.name_fold)
        bind_walk(st, q, &wk);
    if (keys.s) {
        db_bind_text_static(st, sqlite3_bind_parameter_index(st, ":keys"), keys.s);
        if (walked) /* the keys are the window's */
            sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), 0);
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (row(st, ud))
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "listing contacts");
out:
    sqlite3_finalize(st);
    if (began)
        sqlite3_exec(db->h, rc == K_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    sbuf_free(&b);
    sbuf_free(&keys);
    free(fts);
    walk_key_clear(&wk);
    return rc;
}

struct each_ctx {
    dbcontact_cb cb;
    kjson_cb jcb;
    dbcontact_row_cb rcb;
    void *ud;
    struct sbuf buf; /* row_json's object */
    /* What row_row reads beside the query (maps_used): read at the first
     * row, while the list's statement holds its read transaction, so that
     * all see the journal at the same moment. */
    int maps, maps_read;
    struct tag_map tags;
    struct sum_map sums;
    struct db *db;
    struct kerr *e;
    int rc; /* the map's read failed */
};

static int row_contact(sqlite3_stmt *st, void *ud)
{
    struct each_ctx *x = ud;
    struct contact c = {0};
    db_col_id(st, 0, c.id);
    c.name = db_col_text(st, 1);
    c.company = db_col_text(st, 2);
    c.title = db_col_text(st, 3);
    c.name_key = db_col_text(st, 4);
    split_lines(&c.tags, (const char *)sqlite3_column_text(st, 5));
    read_stats(st, 6, &c);
    c.archived = sqlite3_column_int(st, 11);
    c.met_on = KDATE_NONE;
    int stop = x->cb(&c, x->ud);
    contact_clear(&c);
    return stop;
}

/* One row of wrap_json's query as the object --json prints, in the buffer
 * of x (reused from row to row). */
static int row_json(sqlite3_stmt *st, void *ud)
{
    static const char *const keys[] = {
        "{\"id\":",     ",\"name\":",   ",\"company\":",  ",\"title\":",           ",\"tags\":",
        ",\"emails\":", ",\"phones\":", ",\"goodwill\":", ",\"last_interaction\":"};
    struct each_ctx *x = ud;
    x->buf.len = 0;
    if (x->buf.s)
        x->buf.s[0] = '\0';
    for (int i = 0; i < 9; i++) {
        const char *v = (const char *)sqlite3_column_text(st, i);
        sbuf_add(&x->buf, keys[i]);
        sbuf_add(&x->buf, v ? v : "null");
    }
    sbuf_add(&x->buf, sqlite3_column_int(st, 9) ? ",\"archived\":true}" : ",\"archived\":false}");
    return x->jcb(x->buf.s, x->ud);
}

/* One row of wrap_row's query as a struct contact_row, its strings
 * borrowed from the statement. */
static int row_row(sqlite3_stmt *st, void *ud)
{
    struct each_ctx *x = ud;
    struct contact_row r;
    if (x->maps && !x->maps_read) {
        x->maps_read = 1;
        if ((x->maps & MAP_TAGS) && (x->rc = tag_map_read(x->db, &x->tags, x->e)) != K_OK)
            return 1;
        if ((x->maps & MAP_SUMMARY) && (x->rc = sum_map_read(x->db, &x->sums, x->e)) != K_OK)
            return 1;
    }
    r.id = (const char *)sqlite3_column_text(st, 0);
    r.name = (const char *)sqlite3_column_text(st, 1);
    r.company = (const char *)sqlite3_column_text(st, 2);
    if (x->maps & MAP_TAGS) {
        r.tags = tag_map_get(&x->tags, r.id);
    } else {
        r.tags = (const char *)sqlite3_column_text(st, 3);
        if (!r.tags)
            r.tags = "";
    }
    if (x->maps & MAP_SUMMARY) {
        sum_map_get(&x->sums, sqlite3_column_int64(st, 7), &r.last_interaction, &r.goodwill);
    } else {
        r.last_interaction = db_col_date(st, 4);
        r.goodwill = sqlite3_column_int(st, 5);
    }
    r.archived = sqlite3_column_int(st, 6);
    if (!r.id || !r.name)
        return 0; /* NOT NULL columns: never */
    return x->rcb(&r, x->ud);
}

int dbcontact_each(struct db *db, const struct contact_query *q, dbcontact_cb cb, void *ud,
                   struct kerr *e)
{
    struct each_ctx x = {.cb = cb, .ud = ud};
    return run_list(db, q, LIST_CONTACT, 0, row_contact, &x, e);
}

int dbcontact_each_json(struct db *db, const struct contact_query *q, kjson_cb cb, void *ud,
                        struct kerr *e)
{
    struct each_ctx x = {.jcb = cb, .ud = ud};
    int rc = run_list(db, q, LIST_JSON, 0, row_json, &x, e);
    sbuf_free(&x.buf);
    return rc;
}

int dbcontact_each_row(struct db *db, const struct contact_query *q, dbcontact_row_cb cb, void *ud,
                       struct kerr *e)
{
    struct each_ctx x = {.rcb = cb, .ud = ud, .db = db, .e = e};
    x.maps = maps_used(q, LIST_ROW);
    int rc = run_list(db, q, LIST_ROW, x.maps, row_row, &x, e);
    if (rc == K_OK)
        rc = x.rc;
    tag_map_free(&x.tags);
    free(x.sums.slot);
    return rc;
}

int dbcontact_count(struct db *db, const struct contact_query *q, size_t *n, struct kerr *e)
{
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    char *fts = search_fts(q);
    int rc = K_OK;
    *n = 0;
    if (q->search && !fts)
        goto out;
    if (order_used(db, q) && order_ok(db, q, fts)) {
        /* Counted when the order was made. */
        *n = db->order.n;
        goto out;
    }
    if (!q->search && !q->tag) {
        /* The whole list, as the TUI counts it for every screen: counting
         * 100k live contacts walks 100k index entries (about 3 ms), while
         * SQLite counts a whole table from its b-tree pages' cell counts
         * and the archived ones are a short range of contact_live_by_name. */
        sbuf_add(&b, q->include_archived
                         ? "SELECT count(*) FROM contact"
                         : "SELECT (SELECT count(*) FROM contact) - (SELECT count(*) FROM contact"
                           " WHERE archived > 0 OR archived < 0)");
    } else if (!q->search) {
        /* A tag, as the TUI counts it for every screen: the tag's entries
         * in contact_tag_by_tag less its archived contacts (0.3 ms for 14k
         * tagged of 100k), where probing the tag for every live contact
         * took 33 ms. Foreign keys give every tag row its contact. */
        sbuf_add(&b, "SELECT (SELECT count(*) FROM contact_tag WHERE tag = :tag)");
        if (!q->include_archived)
            sbuf_add(&b,
                     " - (SELECT count(*) FROM contact c WHERE (c.archived > 0 OR c.archived < 0)"
                     " AND EXISTS (SELECT 1 FROM contact_tag t WHERE t.contact_id = c.id"
                     " AND t.tag = :tag))");
    } else {
        sbuf_add(&b, "SELECT count(*)");
        add_where(&b, q, text_way(db, q, fts), MATCH_FROM_HITS);
    }
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "counting contacts");
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    free(fts);
    return rc;
}

struct find_ctx {
    const char *id;
    size_t i;
    int found;
};

static int row_find(sqlite3_stmt *st, void *ud)
{
    struct find_ctx *f = ud;
    const char *id = (const char *)sqlite3_column_text(st, 0);
    if (id && !strcmp(id, f->id))
        return f->found = 1;
    f->i++;
    return 0;
}

/* dbcontact_position in a walk (a derived order, no tag or search): the
 * rows before the contact's key, counted on the order's index. */
static int position_in_walk(struct db *db, const struct contact_query *q, const char *id,
                            size_t *pos, struct kerr *e)
{
    const struct order_def *d = order_of(q->sort);
    struct walk_key k;
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    memset(&k, 0, sizeof k);
    int rc = dbsummary_ready(db, e);
    if (rc == K_OK)
        rc = walk_key_of(db, d, id, &k, e);
    if (rc == K_NOTFOUND || (rc == K_OK && k.archived && !q->include_archived)) {
        rc = kerr_set(e, K_NOTFOUND, "no such contact in the list");
        goto out;
    }
    if (rc != K_OK)
        goto out;
    sbuf_add(&b, "SELECT ");
    add_branches(&b, d, 1, sqlite3_value_type(k.v) == SQLITE_NULL, 0, q->include_archived, 1);
    if (sqlite3_prepare_v2(db->h, b.s, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "finding a contact in the list");
        goto out;
    }
    bind_walk(st, q, &k);
    db_bind_text(st, sqlite3_bind_parameter_index(st, ":kname"), k.name_fold);
    db_bind_text(st, sqlite3_bind_parameter_index(st, ":kid"), id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *pos = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "finding a contact in the list");
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    walk_key_clear(&k);
    return rc;
}

/* dbcontact_position in a derived order with a tag or a search: a lookup
 * in the order, or inside a transaction, where the order is not kept, a
 * read of the matches up to the contact. */
static int position_in_order(struct db *db, const struct contact_query *q, const char *fts,
                             const char *id, size_t *pos, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    int rc = K_OK, s;
    if (!order_used(db, q)) {
        struct find_ctx f = {id, 0, 0};
        struct contact_query all = *q;
        all.offset = all.limit = 0;
        if ((rc = run_list(db, &all, LIST_CONTACT, 0, row_find, &f, e)) != K_OK)
            goto out;
        if (!f.found)
            rc = kerr_set(e, K_NOTFOUND, "no such contact in the list");
        *pos = f.i;
        goto out;
    }
    if ((rc = order_build(db, q, fts, e)) != K_OK)
        goto out;
    /* clang-format off */
    st = db_stmt(db,
        "SELECT o.pos - 1"
        " FROM temp.contact_order o"
        " WHERE o.key = (SELECT c.key FROM contact c WHERE c.id = :id)",
        e);
    /* clang-format on */
    if (!st) {
        rc = K_ERR;
        goto out;
    }
    db_bind_text(st, db_param(st, ":id"), id);
    if ((s = sqlite3_step(st)) == SQLITE_ROW)
        *pos = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = s == SQLITE_DONE ? kerr_set(e, K_NOTFOUND, "no such contact in the list")
                              : db_fail(db, e, "finding a contact in the list");
    sqlite3_reset(st);
out:
    return rc;
}

int dbcontact_position(struct db *db, const struct contact_query *q, const char *id, size_t *pos,
                       struct kerr *e)
{
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    char *fts = search_fts(q);
    char *name_key = NULL;
    int rc = K_OK, s;
    *pos = 0;
    if (q->search && !fts) {
        rc = kerr_set(e, K_NOTFOUND, "no such contact in the list");
        goto out;
    }
    if (walk_used(q)) {
        rc = position_in_walk(db, q, id, pos, e);
        goto out;
    }
    if (q->sort != CONTACT_SORT_NAME) {
        if ((rc = dbsummary_ready(db, e)) == K_OK)
            rc = position_in_order(db, q, fts, id, pos, e);
        goto out;
    }
    /* The contact's key, if it is a match at all. */
    sbuf_add(&b, "SELECT c.name_fold");
    add_where(&b, q, text_way(db, q, fts), MATCH_IN_ORDER);
    sbuf_add(&b, " AND c.id = :id");
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    db_bind_text(st, sqlite3_bind_parameter_index(st, ":id"), id);
    if ((s = sqlite3_step(st)) == SQLITE_ROW) {
        name_key = db_col_text(st, 0);
    } else {
        rc = s == SQLITE_DONE ? kerr_set(e, K_NOTFOUND, "no such contact in the list")
                              : db_fail(db, e, "finding a contact in the list");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Its row number is the count of matches before it: a walk over index
     * entries up to it, where reading the list up to it made every row's
     * goodwill and last interaction on the way. */
    sbuf_free(&b);
    sbuf_add(&b, "SELECT count(*)");
    add_where(&b, q, text_way(db, q, fts), MATCH_IN_ORDER);
    sbuf_add(&b, " AND (c.name_fold, c.id) < (:kname, :id)");
    if ((rc = prepare_query(db, b.s, q, fts, &st, e)) != K_OK)
        goto out;
    db_bind_text(st, sqlite3_bind_parameter_index(st, ":kname"), name_key);
    db_bind_text(st, sqlite3_bind_parameter_index(st, ":id"), id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *pos = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "finding a contact in the list");
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    free(fts);
    free(name_key);
    return rc;
}

int dbcontact_get_json(struct db *db, const char *id, char **json, struct kerr *e)
{
    *json = NULL;
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT json_object('id', c.id, 'name', c.name, 'company', c.company, 'title', c.title,"
        "  'tags', json((SELECT json_group_array(s) FROM (SELECT coalesce(spelling, tag) AS s"
        "   FROM contact_tag t WHERE t.contact_id = c.id ORDER BY tag))),"
        "  'emails', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
        "   WHERE d.contact_id = c.id AND d.type = 'email' ORDER BY position))),"
        "  'phones', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
        "   WHERE d.contact_id = c.id AND d.type = 'phone' ORDER BY position))),"
        "  'links', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
        "   WHERE d.contact_id = c.id AND d.type = 'link' ORDER BY position))),"
        "  'location', c.location, 'how_met', c.how_met, 'met_on', c.met_on,"
        "  'birthday', c.birthday, 'note', c.note, 'working_on', c.working_on,"
        "  'archived', json(CASE c.archived WHEN 0 THEN 'false' ELSE 'true' END),"
        "  'goodwill', coalesce(cs.goodwill, 0), 'gave', coalesce(cs.gave, 0),"
        "  'asked', coalesce(cs.asked, 0), 'mutual', coalesce(cs.mutual, 0),"
        "  'last_interaction', cs.last" DB_CONTACT_JSON_MORE ")"
        " FROM contact c" DB_JOIN_SUMMARY
        " WHERE c.id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    int s = sqlite3_step(st);
    int rc = K_OK;
    if (s == SQLITE_ROW)
        *json = db_col_text(st, 0);
    else if (s == SQLITE_DONE)
        rc = kerr_set(e, K_NOTFOUND, "no such contact");
    else
        rc = db_fail(db, e, "reading a contact");
    sqlite3_reset(st);
    return rc;
}

int dbcontact_total(struct db *db, size_t *n, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT count(*)"
        " FROM contact",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "counting contacts");
    sqlite3_reset(st);
    return rc;
}

/* One id from a query with :a bound to arg, and :b to arg2 unless NULL. */
static int find_one(struct db *db, const char *sql, const char *arg, const char *arg2,
                    char id[KID_LEN + 1], struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":a"), arg);
    if (arg2)
        db_bind_text(st, db_param(st, ":b"), arg2);
    int s = sqlite3_step(st);
    int rc = K_OK;
    if (s == SQLITE_ROW)
        db_col_id(st, 0, id);
    else if (s == SQLITE_DONE)
        rc = K_NOTFOUND;
    else
        rc = db_fail(db, e, "finding a contact");
    sqlite3_reset(st);
    return rc;
}

int dbcontact_find_detail(struct db *db, const char *type, const char *value, char id[KID_LEN + 1],
                          struct kerr *e)
{
    /* clang-format off */
    return find_one(db,
        "SELECT contact_id"
        " FROM contact_detail"
        " WHERE type = :a AND value = :b"
        " LIMIT 1",
        type, value, id, e);
    /* clang-format on */
}

int dbcontact_find_uid(struct db *db, const char *uid, char id[KID_LEN + 1], struct kerr *e)
{
    /* clang-format off */
    return find_one(db,
        "SELECT contact_id"
        " FROM contact_uid"
        " WHERE uid = :a",
        uid, NULL, id, e);
    /* clang-format on */
}

int dbcontact_exists(struct db *db, const char *id, struct kerr *e)
{
    char got[KID_LEN + 1];
    /* clang-format off */
    return find_one(db,
        "SELECT id"
        " FROM contact"
        " WHERE id = :a",
        id, NULL, got, e);
    /* clang-format on */
}

int dbcontact_search_way(struct db *db)
{
    return db->search_way;
}
