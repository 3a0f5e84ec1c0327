#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbhistory.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- the schema as sync sees it ---- */

/* This journal's own tables: bookkeeping, local state and derived data
 * (contact_summary, in main's migration 8, is kept by triggers as rows
 * arrive; goodwill_weight comes from this machine's settings). Every other
 * table is synced; the sync_* tables are sync's own (dbsync_synced). */
static const char *const local_tables[] = {
    "history", "kith_state", "vdir_item", "contact_summary", "goodwill_weight",
};

int dbsync_synced(const char *table)
{
    if (!strncmp(table, "sqlite_", 7) || !strncmp(table, "sync_", 5) || strstr(table, "_fts"))
        return 0;
    for (size_t i = 0; i < sizeof local_tables / sizeof *local_tables; i++)
        if (!strcmp(table, local_tables[i]))
            return 0;
    return 1;
}

void dbsync_schema_free(struct db_sync *s)
{
    for (int i = 0; i < s->nt; i++) {
        for (int c = 0; c < s->t[i].ncol; c++) {
            free(s->t[i].col[c].name);
            free(s->t[i].col[c].pcol);
        }
        free(s->t[i].col);
        free(s->t[i].name);
        free(s->t[i].sql_insert);
        free(s->t[i].sql_read);
    }
    free(s->t);
    s->t = NULL;
    s->nt = 0;
    s->loaded = 0;
}

void dbsync_free(struct db *db)
{
    struct db_sync *s = db->sync;
    if (!s)
        return;
    if (s->sess)
        sqlite3session_delete(s->sess);
    dbsync_schema_free(s);
    free(s);
    db->sync = NULL;
}

struct db_sync *dbsync_state(struct db *db)
{
    if (!db->sync)
        db->sync = kcalloc(1, sizeof *db->sync);
    return db->sync;
}

int dbsync_table_index(const struct db_sync *s, const char *name)
{
    for (int i = 0; i < s->nt; i++)
        if (!strcmp(s->t[i].name, name))
            return i;
    return -1;
}

int dbsync_col_index(const struct stable *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (!strcmp(t->col[i].name, name))
            return i;
    return -1;
}

static int load_columns(struct db *db, struct stable *t)
{
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT name, pk, upper(type)"
        " FROM pragma_table_info('%q')",
        t->name);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return -1;
    int npk = 0, intpk = -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        t->col = krealloc(t->col, (size_t)(t->ncol + 1) * sizeof *t->col);
        struct scol *c = &t->col[t->ncol];
        memset(c, 0, sizeof *c);
        c->name = kstr_dup((const char *)sqlite3_column_text(st, 0));
        c->pk = sqlite3_column_int(st, 1) > 0;
        c->lkey = c->parent = -1;
        /* A time of change moves with every save on either side: it is
         * synced, but two of them differing is no conflict to report. */
        c->stamped = strcmp(c->name, "updated_at") && strcmp(c->name, "created_at");
        const char *type = (const char *)sqlite3_column_text(st, 2);
        if (c->pk) {
            npk++;
            if (type && !strcmp(type, "INTEGER"))
                intpk = t->ncol;
        }
        t->ncol++;
    }
    sqlite3_finalize(st);
    t->id = dbsync_col_index(t, "id");
    t->key = npk == 1 && intpk >= 0 && t->id >= 0 ? intpk : -1;
    return 0;
}

static void load_keys(struct db *db, struct db_sync *s, struct stable *t)
{
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT \"table\", \"from\", \"to\", on_delete"
        " FROM pragma_foreign_key_list('%q')",
        t->name);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int p = dbsync_table_index(s, (const char *)sqlite3_column_text(st, 0));
        int c = dbsync_col_index(t, (const char *)sqlite3_column_text(st, 1));
        if (p < 0 || c < 0)
            continue;
        const struct stable *pt = &s->t[p];
        const char *to = (const char *)sqlite3_column_text(st, 2);
        int pc = to ? dbsync_col_index(pt, to) : pt->key;
        if (pc < 0)
            continue;
        const char *act = (const char *)sqlite3_column_text(st, 3);
        t->col[c].parent = p;
        t->col[c].pcol = kstr_dup(pt->col[pc].name);
        t->col[c].setnull = act && !strcmp(act, "SET NULL");
        if (pc == pt->key)
            t->col[c].lkey = p;
    }
    sqlite3_finalize(st);
}

/* The synced tables, their columns and how they refer to each other, read
 * from the schema once per connection. */
int dbsync_schema(struct db *db, struct kerr *e)
{
    struct db_sync *s = dbsync_state(db);
    if (s->loaded)
        return K_OK;
    sqlite3_stmt *st = NULL;
    /* clang-format off */
    static const char sql[] =
        "SELECT name"
        " FROM sqlite_schema"
        " WHERE type = 'table'"
        " ORDER BY rowid";
    /* clang-format on */
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, e, "reading the journal's tables");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || !dbsync_synced(name))
            continue;
        s->t = krealloc(s->t, (size_t)(s->nt + 1) * sizeof *s->t);
        struct stable *t = &s->t[s->nt++];
        memset(t, 0, sizeof *t);
        t->name = kstr_dup(name);
        t->key = t->id = -1;
    }
    sqlite3_finalize(st);
    for (int i = 0; i < s->nt; i++)
        if (load_columns(db, &s->t[i]) != 0) {
            dbsync_schema_free(s);
            return db_fail(db, e, "reading the journal's tables");
        }
    for (int i = 0; i < s->nt; i++)
        load_keys(db, s, &s->t[i]);
    s->loaded = 1;
    return K_OK;
}

/* ---- the replica's own state ---- */

int dbsync_replica(struct db *db, char out[DBSYNC_ID_LEN + 1], struct kerr *e)
{
    out[0] = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT replica"
        " FROM sync_self"
        " WHERE id = 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        snprintf(out, DBSYNC_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}

char *dbsync_dir(struct db *db)
{
    char *d = NULL;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT dir"
        " FROM sync_self"
        " WHERE id = 1",
        NULL);
    /* clang-format on */
    if (st && sqlite3_step(st) == SQLITE_ROW)
        d = db_col_text(st, 0);
    if (st)
        sqlite3_reset(st);
    return d;
}

static sqlite3_int64 now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next stamp of this replica's clock, and the next transaction number
 * when txseq is not NULL. */
static int tick(struct db *db, sqlite3_int64 *hlc, sqlite3_int64 *txseq, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE sync_self"
        "   SET hlc = max(hlc + 1, :now),"
        "       txseq = txseq + :tx"
        " WHERE id = 1"
        " RETURNING hlc, txseq",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":now"), now_ms() << 16);
    sqlite3_bind_int(st, db_param(st, ":tx"), txseq ? 1 : 0);
    int s = sqlite3_step(st), got = s == SQLITE_ROW;
    if (got) {
        *hlc = sqlite3_column_int64(st, 0);
        if (txseq)
            *txseq = sqlite3_column_int64(st, 1);
        s = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "keeping the sync clock");
    if (!got)
        return kerr_set(e, K_ERR, "the journal's sync state is missing; nothing was written");
    return K_OK;
}

/* ---- capture ---- */

int dbsync_table_filter(void *ud, const char *table)
{
    (void)ud;
    return dbsync_synced(table);
}

void dbsync_tx_begin(struct db *db)
{
    struct db_sync *s = dbsync_state(db);
    char rep[DBSYNC_ID_LEN + 1];
    if (s->applying || s->sess)
        return;
    if (dbsync_replica(db, rep, NULL) != K_OK || !rep[0])
        return; /* sync is off: nothing to keep */
    if (sqlite3session_create(db->h, "main", &s->sess) != SQLITE_OK) {
        s->sess = NULL;
        return;
    }
    sqlite3session_table_filter(s->sess, dbsync_table_filter, NULL);
    if (sqlite3session_attach(s->sess, NULL) != SQLITE_OK) {
        sqlite3session_delete(s->sess);
        s->sess = NULL;
    }
}

void dbsync_tx_end(struct db *db)
{
    struct db_sync *s = db->sync;
    if (s && s->sess) {
        sqlite3session_delete(s->sess);
        s->sess = NULL;
    }
}

void dbsync_keys_free(struct keys *k)
{
    for (size_t i = 0; i < k->cap; i++)
        free(k->v[i].id);
    free(k->v);
    memset(k, 0, sizeof *k);
}

static struct keymap *keys_slot(struct keymap *v, size_t cap, int table, sqlite3_int64 key)
{
    uint64_t h = ((uint64_t)key * 0x9e3779b97f4a7c15ull) ^ (uint64_t)table;
    size_t i = (size_t)(h >> 17) & (cap - 1);
    while (v[i].id && (v[i].table != table || v[i].key != key))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

const char *dbsync_keys_put(struct keys *k, int table, sqlite3_int64 key, char *id)
{
    if (2 * (k->n + 1) > k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 64;
        struct keymap *v = kcalloc(cap, sizeof *v);
        for (size_t i = 0; i < k->cap; i++)
            if (k->v[i].id)
                *keys_slot(v, cap, k->v[i].table, k->v[i].key) = k->v[i];
        free(k->v);
        k->v = v;
        k->cap = cap;
    }
    struct keymap *m = keys_slot(k->v, k->cap, table, key);
    if (m->id) {
        free(id);
        return m->id;
    }
    *m = (struct keymap){table, key, id};
    k->n++;
    return id;
}

static const char *key_id(struct db *db, const struct db_sync *s, struct keys *k, int table,
                          sqlite3_int64 key)
{
    if (k->cap) {
        const struct keymap *m = keys_slot(k->v, k->cap, table, key);
        if (m->id)
            return m->id;
    }
    const struct stable *t = &s->t[table];
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT \"%w\""
        " FROM \"%w\""
        " WHERE \"%w\" = ?1",
        t->col[t->id].name, t->name, t->col[t->key].name);
    /* clang-format on */
    sqlite3_stmt *st = db_stmt_built(db, sql, NULL);
    char *id = NULL;
    if (st) {
        sqlite3_bind_int64(st, 1, key);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = db_col_text(st, 0);
        sqlite3_reset(st);
    }
    sqlite3_free(sql);
    return id ? dbsync_keys_put(k, table, key, id) : NULL;
}

/* Replaces each local key among n values by its row's id. 0 when one has
 * no id (a row that is not there: the change is left out). */
int dbsync_to_ids(struct db *db, const struct db_sync *s, struct keys *k, const struct stable *t,
                  int ncol, struct val *v)
{
    for (int i = 0; i < ncol; i++) {
        int ref = i == t->key ? (int)(t - s->t) : t->col[i].lkey;
        if (ref < 0 || v[i].type != SQLITE_INTEGER)
            continue;
        const char *id = key_id(db, s, k, ref, v[i].i);
        if (!id)
            return 0;
        v[i] = dbsync_val_text(id);
    }
    return 1;
}

/* The session's changeset with ids for local keys. */
int dbsync_translate(struct db *db, const void *buf, int n, struct enc *x, struct kerr *e)
{
    struct db_sync *s = db->sync;
    struct keys k = {0};
    sqlite3_changeset_iter *it = NULL;
    int rc = K_OK;
    /* Rows deleted: their ids are only in the change. */
    if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
        return db_fail(db, e, "keeping the change for sync");
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (op != SQLITE_DELETE || ti < 0 || s->t[ti].key < 0 || s->t[ti].key >= ncol ||
            s->t[ti].id >= ncol)
            continue;
        sqlite3_value *kv = NULL, *iv = NULL;
        sqlite3changeset_old(it, s->t[ti].key, &kv);
        sqlite3changeset_old(it, s->t[ti].id, &iv);
        if (kv && iv && sqlite3_value_type(iv) == SQLITE_TEXT) {
            dbsync_keys_put(&k, ti, sqlite3_value_int64(kv),
                            kstr_dup((const char *)sqlite3_value_text(iv)));
        }
    }
    sqlite3changeset_finalize(it);
    if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK) {
        rc = db_fail(db, e, "keeping the change for sync");
        goto out;
    }
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (ti < 0 || ncol != s->t[ti].ncol)
            continue;
        const struct stable *t = &s->t[ti];
        struct val *old = kcalloc((size_t)ncol, sizeof *old);
        struct val *new = kcalloc((size_t)ncol, sizeof *new);
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *v = NULL;
            if (op != SQLITE_INSERT && sqlite3changeset_old(it, i, &v) == SQLITE_OK)
                old[i] = dbsync_val_of(v);
            v = NULL;
            if (op != SQLITE_DELETE && sqlite3changeset_new(it, i, &v) == SQLITE_OK)
                new[i] = dbsync_val_of(v);
        }
        /* An update names its row by the old primary key only. */
        if (op == SQLITE_UPDATE && t->key >= 0 && old[t->key].type == SQLITE_INTEGER) {
            const char *id = key_id(db, s, &k, ti, old[t->key].i);
            if (id)
                old[t->key] = dbsync_val_text(id);
        }
        if (dbsync_to_ids(db, s, &k, t, ncol, old) && dbsync_to_ids(db, s, &k, t, ncol, new))
            dbsync_put_row(x, t, ncol, op, old, new);
        free(old);
        free(new);
    }
    sqlite3changeset_finalize(it);
out:
    dbsync_keys_free(&k);
    return rc;
}

/* The key a parent's value goes under in a struct dbsync_gone: the
 * parent's table, the column named, the text. */
static char *gone_key(int table, int col, const void *p, int n)
{
    char head[32];
    int h = snprintf(head, sizeof head, "%d:%d:", table, col);
    char *k = kmalloc((size_t)h + (size_t)n + 1);
    memcpy(k, head, (size_t)h);
    if (n)
        memcpy(k + h, p, (size_t)n);
    k[h + n] = '\0';
    return k;
}

static int cmp_key(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The column of parent table pt that c names: its local key or pcol. */
static int named_col(const struct db_sync *s, const struct scol *c)
{
    const struct stable *pt = &s->t[c->parent];
    return c->lkey == c->parent ? pt->key : dbsync_col_index(pt, c->pcol);
}

static int in_keys(char **keys, size_t n, int table, int col, const struct val *v)
{
    if (!n || col < 0 || v->type != SQLITE_TEXT)
        return 0;
    char *k = gone_key(table, col, v->p, v->n);
    int found = bsearch(&k, keys, n, sizeof *keys, cmp_key) != NULL;
    free(k);
    return found;
}

/* The column of the row c names that its value is: the parent's id for a
 * local key (sent as the id). */
static int named_wire(const struct db_sync *s, const struct scol *c)
{
    const struct stable *pt = &s->t[c->parent];
    return c->lkey == c->parent ? pt->id : dbsync_col_index(pt, c->pcol);
}

/* The old values of the change it is at (ncol of them, a new array). */
static struct val *old_vals(sqlite3_changeset_iter *it, int ncol)
{
    struct val *old = kcalloc((size_t)ncol, sizeof *old);
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *v = NULL;
        if (sqlite3changeset_old(it, i, &v) == SQLITE_OK && v)
            old[i] = dbsync_val_of(v);
    }
    return old;
}

/* Notes in g->l each row a link the record deletes names (ON DELETE
 * CASCADE, in its key: an interaction_contact's interaction) that the
 * record deletes too, where the link names a contact the record deletes:
 * the row went with its last link to that contact (dbcontact_delete
 * deletes it itself, not as a cascade). */
static void gone_links(const struct db_sync *s, const void *buf, int n, struct dbsync_gone *g)
{
    sqlite3_changeset_iter *it = NULL;
    char **del = NULL;
    size_t ndel = 0;
    /* Each value of each row the record deletes. */
    for (int pass = 0; pass < 2; pass++) {
        if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
            break;
        while (sqlite3changeset_next(it) == SQLITE_ROW) {
            const char *name;
            int ncol, op, ind;
            sqlite3changeset_op(it, &name, &ncol, &op, &ind);
            int ti = op == SQLITE_DELETE ? dbsync_table_index(s, name) : -1;
            if (ti < 0 || ncol > s->t[ti].ncol)
                continue;
            const struct stable *t = &s->t[ti];
            struct val *old = old_vals(it, ncol);
            int contact = 0;
            for (int i = 0; pass == 0 && i < ncol; i++)
                if (old[i].type == SQLITE_TEXT) {
                    del = kgrowarray(del, ndel, sizeof *del);
                    del[ndel++] = gone_key(ti, i, old[i].p, old[i].n);
                }
            for (int i = 0; pass == 1 && i < ncol; i++) {
                const struct scol *c = &t->col[i];
                contact |= c->parent >= 0 && !c->setnull && dbsync_is_contact(&s->t[c->parent]) &&
                           in_keys(del, ndel, c->parent, named_wire(s, c), &old[i]);
            }
            for (int i = 0; contact && i < ncol; i++) {
                const struct scol *c = &t->col[i];
                int by = c->parent >= 0 && !c->setnull && !dbsync_is_contact(&s->t[c->parent])
                             ? named_wire(s, c)
                             : -1;
                if (by < 0 || !in_keys(del, ndel, c->parent, by, &old[i]))
                    continue;
                g->l = kgrowarray(g->l, g->nl, sizeof *g->l);
                g->l[g->nl++] = gone_key(c->parent, by, old[i].p, old[i].n);
            }
            free(old);
        }
        sqlite3changeset_finalize(it);
        it = NULL;
        if (ndel)
            qsort(del, ndel, sizeof *del, cmp_key);
    }
    g->d = del;
    g->nd = ndel;
    if (g->nl)
        qsort(g->l, g->nl, sizeof *g->l, cmp_key);
}

void dbsync_gone_read(const struct db_sync *s, const void *buf, int n, struct dbsync_gone *g)
{
    sqlite3_changeset_iter *it = NULL;
    int deletes = 0;
    g->k = NULL;
    g->n = 0;
    g->l = g->d = NULL;
    g->nl = g->nd = 0;
    if (!buf || sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int pi = op == SQLITE_DELETE ? dbsync_table_index(s, name) : -1;
        deletes |= pi >= 0;
        /* Each column of this table a cascade column elsewhere names. */
        for (int ti = 0; pi >= 0 && ti < s->nt; ti++)
            for (int i = 0; i < s->t[ti].ncol; i++) {
                const struct scol *c = &s->t[ti].col[i];
                sqlite3_value *v = NULL;
                int by = c->parent == pi && !c->setnull && !c->pk ? named_col(s, c) : -1;
                if (by < 0 || by >= ncol || sqlite3changeset_old(it, by, &v) != SQLITE_OK || !v)
                    continue;
                struct val pv = dbsync_val_of(v);
                if (pv.type != SQLITE_TEXT)
                    continue;
                g->k = kgrowarray(g->k, g->n, sizeof *g->k);
                g->k[g->n++] = gone_key(pi, by, pv.p, pv.n);
            }
    }
    sqlite3changeset_finalize(it);
    if (g->n)
        qsort(g->k, g->n, sizeof *g->k, cmp_key);
    /* Two more passes over the change, which only its deletes feed (a
     * journal's first change, all inserts, has 900k rows at 100k
     * contacts). */
    if (deletes)
        gone_links(s, buf, n, g);
}

void dbsync_gone_free(struct dbsync_gone *g)
{
    for (size_t i = 0; g && i < g->n; i++)
        free(g->k[i]);
    for (size_t i = 0; g && i < g->nl; i++)
        free(g->l[i]);
    for (size_t i = 0; g && i < g->nd; i++)
        free(g->d[i]);
    if (g) {
        free(g->k);
        free(g->l);
        free(g->d);
        g->k = g->l = g->d = NULL;
        g->n = g->nl = g->nd = 0;
    }
}

int dbsync_gone_names(const struct db_sync *s, const struct dbsync_gone *g, const struct stable *t,
                      int i, const struct val *v)
{
    const struct scol *c = &t->col[i];
    if (!g || !g->n || c->parent < 0 || v->type != SQLITE_TEXT)
        return 0;
    int by = named_col(s, c);
    char *k = by >= 0 ? gone_key(c->parent, by, v->p, v->n) : NULL;
    int found = k && bsearch(&k, g->k, g->n, sizeof *g->k, cmp_key);
    free(k);
    return found;
}

int dbsync_gone_deletes(const struct db_sync *s, const struct dbsync_gone *g,
                        const struct stable *t, int i, const struct val *v)
{
    const struct scol *c = &t->col[i];
    return g && c->parent >= 0 && in_keys(g->d, g->nd, c->parent, named_wire(s, c), v);
}

int dbsync_origin_cascade(const struct db_sync *s, const struct dbsync_gone *g,
                          const struct stable *t, int ncol, const struct val *old)
{
    for (int i = 0; g && g->n && i < ncol && i < t->ncol; i++) {
        const struct scol *c = &t->col[i];
        if (c->parent < 0 || c->setnull || c->pk || old[i].type != SQLITE_TEXT)
            continue;
        int by = named_col(s, c);
        char *k = by >= 0 ? gone_key(c->parent, by, old[i].p, old[i].n) : NULL;
        int found = k && bsearch(&k, g->k, g->n, sizeof *g->k, cmp_key);
        free(k);
        if (found)
            return i;
    }
    /* Gone with its last link to a contact the changeset deletes. */
    int ti = g ? (int)(t - s->t) : -1;
    for (int i = 0; g && g->nl && i < ncol && i < t->ncol; i++) {
        if (old[i].type != SQLITE_TEXT)
            continue;
        char *k = gone_key(ti, i, old[i].p, old[i].n);
        int found = bsearch(&k, g->l, g->nl, sizeof *g->l, cmp_key) != NULL;
        free(k);
        if (found)
            return t->ncol;
    }
    return -1;
}

/* The most a change keeps of its clocks for its undo (stamp_change's
 * undo): some thousands of rows. */
#define UNDO_WAS_MAX ((size_t)256 * 1024)

/* The clock of a row as a change found it or left it, in was (below):
 * found, alive, the row's stamp and the column entries. */
static void was_put_clock(struct sbuf *w, const struct clock *c)
{
    sbuf_printf(w, "%d%d%lld", c->found, c->alive, (long long)c->row.hlc);
    sbuf_addn(w, "", 1);
    sbuf_addn(w, c->row.rep, strlen(c->row.rep) + 1);
    sbuf_addn(w, c->cols ? c->cols : "", (c->cols ? strlen(c->cols) : 0) + 1);
}

/* Notes in sync_clock what a change of this replica (stamp s) did to each
 * row. undo (NULL: not kept): for each row the change inserts (made anew,
 * no clock before) or updates, its table, key, and clock before and after
 * (was_put_clock), each string ended by a NUL: an undo of the change made
 * before it is sent takes it back (take_back_edits). */
static int stamp_change(struct db *db, const void *buf, size_t n, const struct stamp *s,
                        struct sbuf *undo, struct kerr *e)
{
    struct db_sync *ds = db->sync;
    sqlite3_changeset_iter *it = NULL;
    int rc = K_OK;
    if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
        return db_fail(db, e, "keeping the sync clock");
    struct dbsync_gone gone;
    struct dbsync_stamps sent;
    dbsync_gone_read(ds, buf, (int)n, &gone);
    dbsync_stamps_read(buf, (int)n, &sent);
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(ds, name);
        if (ti < 0)
            continue;
        const struct stable *t = &ds->t[ti];
        struct val *pkv = dbsync_iter_row(it, ncol, op);
        char *pk = dbsync_pk_text(t, ncol, pkv);
        struct clock c;
        if ((rc = dbsync_clock_get(db, name, pk, &c, e)) == K_OK) {
            struct sbuf before = {0};
            if (undo && op != SQLITE_DELETE && !(op == SQLITE_INSERT && c.found))
                was_put_clock(&before, &c);
            if (op == SQLITE_UPDATE) {
                c.alive = 1;
                for (int i = 0; i < ncol; i++) {
                    sqlite3_value *v = NULL;
                    if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v)
                        continue;
                    struct stamp was = dbsync_col_stamp(&c, i);
                    dbsync_set_col(&c, i, s);
                    /* A move sent again with its own stamp (send_move). */
                    dbsync_copy_moved(&c, i, dbsync_stamps_find(&sent, name, pk));
                    /* Emptied by this change's delete (ON DELETE SET NULL). */
                    if (t->col[i].setnull && sqlite3_value_type(v) == SQLITE_NULL &&
                        dbsync_gone_names(ds, &gone, t, i, &pkv[i])) {
                        dbsync_set_nulled(&c, i, &was);
                        dbsync_set_emptied(&c, i, &pkv[i]);
                    }
                }
            } else if (op == SQLITE_DELETE) {
                dbsync_mark_before(&c);
                dbsync_bury(&c, ncol, pkv, s);
                dbsync_note_seen(&c, ncol, dbsync_stamps_find(&sent, name, pk));
                /* Gone with its parent: a move made before this delete
                 * that this replica had not seen brings it back. */
                if (dbsync_origin_cascade(ds, &gone, t, ncol, pkv) >= 0)
                    dbsync_mark_cascade(&c);
            } else {
                struct stamp was = c.found && !c.alive ? c.row : dbsync_deleted_at(&c);
                /* Sent again with its values' own stamps (keep_contact),
                 * or as of its last change (a row as sync was turned on:
                 * its own stamp too, as the others take it). */
                struct clock own = {.cols = (char *)dbsync_stamps_find(&sent, name, pk)};
                struct stamp made = dbsync_col_stamp(&own, -1);
                free(c.cols);
                c.cols = NULL;
                c.alive = 1;
                c.row = made.hlc ? made : *s;
                if (was.hlc)
                    dbsync_set_col(&c, -1, &was);
                dbsync_set_cols(&c, ncol, own.cols);
            }
            if (before.len) {
                struct clock after = c;
                after.found = 1;
                sbuf_addn(undo, name, strlen(name) + 1);
                sbuf_addn(undo, pk, strlen(pk) + 1);
                sbuf_addn(undo, before.s, before.len);
                was_put_clock(undo, &after);
            }
            sbuf_free(&before);
            /* A change that large (an import) is not taken back whole
             * by its undo: its undo is a change of its own. */
            if (undo && undo->len > UNDO_WAS_MAX) {
                sbuf_free(undo);
                undo = NULL;
            }
            rc = dbsync_clock_put(db, name, pk, &c, e);
        }
        dbsync_clock_clear(&c);
        free(pk);
        free(pkv);
    }
    sqlite3changeset_finalize(it);
    dbsync_gone_free(&gone);
    dbsync_stamps_free(&sent);
    return rc;
}

/* Keeps a change of this replica's for the next sync; undoable: what it
 * did to the clock is kept with it (stamp_change's was), for a change made
 * on the journal (not one sync makes). */
static int keep_change(struct db *db, const void *buf, size_t n, const struct stamp *s,
                       sqlite3_int64 txseq, int undoable, struct kerr *e)
{
    struct sbuf was = {0};
    int rc = stamp_change(db, buf, n, s, undoable ? &was : NULL, e);
    /* clang-format off */
    sqlite3_stmt *st = rc == K_OK ? db_stmt(db,
        "INSERT INTO sync_log(txseq, hlc, changes, was)"
        " VALUES (:txseq, :hlc, :changes, :was)",
        e) : NULL;
    /* clang-format on */
    if (st) {
        sqlite3_bind_int64(st, db_param(st, ":txseq"), txseq);
        sqlite3_bind_int64(st, db_param(st, ":hlc"), s->hlc);
        sqlite3_bind_blob(st, db_param(st, ":changes"), buf, (int)n, SQLITE_STATIC);
        if (was.len)
            sqlite3_bind_blob(st, db_param(st, ":was"), was.s, (int)was.len, SQLITE_STATIC);
        rc = db_step_done(db, st, e);
    } else {
        rc = K_ERR;
    }
    sbuf_free(&was);
    return rc;
}

static int keep_at(struct db *db, const void *buf, size_t n, const struct stamp *s,
                   sqlite3_int64 txseq, struct kerr *e)
{
    return keep_change(db, buf, n, s, txseq, 0, e);
}

static int keep_new(struct db *db, const void *buf, size_t n, int undoable, struct kerr *e)
{
    struct stamp s = {0, ""};
    sqlite3_int64 txseq = 0;
    if (dbsync_replica(db, s.rep, e) != K_OK || tick(db, &s.hlc, &txseq, e) != K_OK)
        return K_ERR;
    return keep_change(db, buf, n, &s, txseq, undoable, e);
}

int dbsync_keep(struct db *db, const void *buf, size_t n, struct kerr *e)
{
    return keep_new(db, buf, n, 0, e);
}

/* What this replica has of each replica's changes (dbsync_knew_put): the
 * stamp of the latest record of each it applied (sync_knew, which
 * dbsync_knew_note keeps), its own clock for itself. Appended to b. */
static int put_knew(struct db *db, struct sbuf *b, struct kerr *e)
{
    int s;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT rep, max(hlc)"
        " FROM (SELECT rep, hlc"
        "       FROM sync_knew"
        "       UNION ALL"
        "       SELECT replica, hlc"
        "       FROM sync_self"
        "       WHERE id = 1)"
        " GROUP BY rep",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct stamp k = {sqlite3_column_int64(st, 1), ""};
        snprintf(k.rep, sizeof k.rep, "%s", (const char *)sqlite3_column_text(st, 0));
        dbsync_knew_put(b, &k);
    }
    sqlite3_reset(st);
    return s == SQLITE_DONE ? K_OK : db_fail(db, e, "reading the sync clock");
}

/* Each contact the change deletes goes with the stamps its columns have
 * here (dbsync_seen_cols): wherever the delete meets an edit of it, the
 * edit is told as one this replica had seen or not; and with what this
 * replica had of each replica's changes (put_knew), for a row that names
 * the contact, changed elsewhere. */
static int put_seen(struct db *db, struct enc *x, struct kerr *e)
{
    struct db_sync *ds = db->sync;
    sqlite3_changeset_iter *it = NULL;
    struct enc st = {0};
    struct sbuf knew = {0};
    int rc = K_OK;
    if (sqlite3changeset_start(&it, (int)x->b.len, x->b.s) != SQLITE_OK)
        return db_fail(db, e, "keeping the change for sync");
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(ds, name);
        /* An untick too: a tick it had not seen keeps the day. */
        int untick = ti >= 0 && !strcmp(ds->t[ti].name, "challenge_tick");
        if (op != SQLITE_DELETE || ti < 0 || !(untick || dbsync_is_contact(&ds->t[ti])))
            continue;
        struct val *v = dbsync_iter_row(it, ncol, op);
        char *pk = dbsync_pk_text(&ds->t[ti], ncol, v);
        struct clock c;
        if ((rc = dbsync_clock_get(db, name, pk, &c, e)) == K_OK) {
            struct sbuf b = {0};
            char *cols = c.found && c.alive && !untick ? dbsync_seen_cols(&c, ncol) : NULL;
            sbuf_add(&b, cols ? cols : "");
            if (!knew.s)
                rc = put_knew(db, &knew, e);
            sbuf_add(&b, knew.s ? knew.s : "");
            if (rc == K_OK && b.len)
                dbsync_put_stamps(&st, name, pk, b.s);
            sbuf_free(&b);
            free(cols);
        }
        dbsync_clock_clear(&c);
        free(pk);
        free(v);
    }
    sqlite3changeset_finalize(it);
    if (rc == K_OK && st.b.len)
        sbuf_addn(&x->b, st.b.s, st.b.len);
    sbuf_free(&st.b);
    sbuf_free(&knew);
    return rc;
}

/* ---- an undo of a delete not yet sent ---- */

/* A row a change deletes or inserts: its table, key, values (put_val each)
 * and, of an insert, whether it takes back this replica's delete. */
struct redo_row {
    int table;
    char *pk;
    struct sbuf vals;
    int back;
};

static void redo_rows_free(struct redo_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].pk);
        sbuf_free(&v[i].vals);
    }
    free(v);
}

/* The key of the row the iterator is at (of table t, op's values). */
static char *iter_pk(sqlite3_changeset_iter *it, const struct stable *t, int ncol, int op)
{
    struct val *v = dbsync_iter_row(it, ncol, op);
    char *pk = dbsync_pk_text(t, ncol, v);
    free(v);
    return pk;
}

/* The rows change buf deletes or inserts (op), journal's rows only. */
static struct redo_row *redo_rows(const struct db_sync *s, const void *buf, size_t n, int op,
                                  size_t *nv)
{
    sqlite3_changeset_iter *it = NULL;
    struct redo_row *v = NULL;
    *nv = 0;
    if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
        return NULL;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, rop, ind;
        sqlite3changeset_op(it, &name, &ncol, &rop, &ind);
        int ti = dbsync_table_index(s, name);
        if (rop != op || ti < 0 || ncol != s->t[ti].ncol)
            continue;
        v = kgrowarray(v, *nv, sizeof *v);
        struct redo_row *r = &v[(*nv)++];
        memset(r, 0, sizeof *r);
        r->table = ti;
        /* One reading of the row for its key and its values. */
        struct val *row = dbsync_iter_row(it, ncol, op);
        r->pk = dbsync_pk_text(&s->t[ti], ncol, row);
        sbuf_addn(&r->vals, "", 0);
        for (int i = 0; i < ncol; i++)
            dbsync_put_val(&r->vals, &row[i]);
        free(row);
    }
    sqlite3changeset_finalize(it);
    return v;
}

static struct redo_row *redo_find(struct redo_row *v, size_t n, int table, const char *pk)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].table == table && !strcmp(v[i].pk, pk))
            return &v[i];
    return NULL;
}

/* Change buf without the rows of op that drop names (and the stamps sent
 * with them), into out. */
static int redo_copy(const struct db_sync *s, const void *buf, size_t n, int op,
                     struct redo_row *drop, size_t ndrop, struct enc *out)
{
    sqlite3_changeset_iter *it = NULL;
    int step;
    if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
        return K_ERR;
    while ((step = sqlite3changeset_next(it)) == SQLITE_ROW) {
        const char *name;
        int ncol, rop, ind;
        sqlite3changeset_op(it, &name, &ncol, &rop, &ind);
        int ti = dbsync_table_index(s, name);
        if (dbsync_is_stamps(name) && rop == SQLITE_INSERT && ncol == 3) {
            sqlite3_value *tv = NULL, *pv = NULL;
            sqlite3changeset_new(it, 0, &tv);
            sqlite3changeset_new(it, 1, &pv);
            int at = tv ? dbsync_table_index(s, (const char *)sqlite3_value_text(tv)) : -1;
            if (at >= 0 && pv && redo_find(drop, ndrop, at, (const char *)sqlite3_value_text(pv)))
                continue;
            dbsync_copy_row(out, it, NULL);
            continue;
        }
        if (ti < 0)
            continue;
        if (rop == op && ncol == s->t[ti].ncol) {
            char *pk = iter_pk(it, &s->t[ti], ncol, op);
            int gone = redo_find(drop, ndrop, ti, pk) != NULL;
            free(pk);
            if (gone)
                continue;
        }
        dbsync_copy_row(out, it, &s->t[ti]);
    }
    /* A change cut short would send (or drop from the log) part of it. */
    return sqlite3changeset_finalize(it) == SQLITE_OK && step == SQLITE_DONE ? K_OK : K_ERR;
}

/* The change this replica keeps for sync at stamp at, not sent yet, whose
 * every delete ins inserts again, values and all (an undo of it): it
 * goes without them, those rows are back in the sync clock as before it
 * (dbsync_unbury), and each of those inserts is marked back. Else
 * nothing. */
static int take_back(struct db *db, const struct stamp *at, struct redo_row *ins, size_t nins,
                     struct kerr *e)
{
    struct db_sync *s = db->sync;
    struct redo_row *dels = NULL, **match = NULL;
    struct clock *cs = NULL;
    struct enc out = {0};
    size_t nd = 0, nc = 0;
    char *buf = NULL;
    int rc = K_OK, n = 0;
    sqlite3_int64 txseq = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT txseq, changes"
        " FROM sync_log"
        " WHERE hlc = :hlc",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":hlc"), at->hlc);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        txseq = sqlite3_column_int64(st, 0);
        n = sqlite3_column_bytes(st, 1);
        buf = kmalloc((size_t)n + 1);
        memcpy(buf, sqlite3_column_blob(st, 1), (size_t)n);
    }
    sqlite3_reset(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return db_fail(db, e, "reading the changes to sync");
    if (!buf)
        return K_OK; /* sent: the undo is a change of its own */
    dels = redo_rows(s, buf, (size_t)n, SQLITE_DELETE, &nd);
    cs = kcalloc(nd + 1, sizeof *cs);
    match = kcalloc(nd + 1, sizeof(struct redo_row *));
    for (size_t i = 0; i < nd; i++) {
        struct redo_row *m = redo_find(ins, nins, dels[i].table, dels[i].pk);
        if (!m || m->back || m->vals.len != dels[i].vals.len ||
            memcmp(m->vals.s, dels[i].vals.s, m->vals.len))
            goto out;
        match[i] = m;
        if ((rc = dbsync_clock_get(db, s->t[dels[i].table].name, dels[i].pk, &cs[nc++], e)) != K_OK)
            goto out;
        struct clock *c = &cs[nc - 1];
        if (!c->found || c->alive || dbsync_stamp_cmp(&c->row, at) || !dbsync_unbury(c))
            goto out;
    }
    if (!nd)
        goto out;
    if (redo_copy(s, buf, (size_t)n, SQLITE_DELETE, dels, nd, &out) != K_OK) {
        rc = kerr_set(e, K_ERR, "a change kept for sync is damaged; nothing was written");
        goto out;
    }
    /* clang-format off */
    st = db_stmt(db,
        out.rows ? "UPDATE sync_log"
                   "   SET changes = :changes"
                   " WHERE txseq = :txseq"
                 : "DELETE FROM sync_log"
                   " WHERE txseq = :txseq",
        e);
    /* clang-format on */
    if (!st) {
        rc = K_ERR;
        goto out;
    }
    sqlite3_bind_int64(st, db_param(st, ":txseq"), txseq);
    if (out.rows)
        sqlite3_bind_blob(st, db_param(st, ":changes"), out.b.s, (int)out.b.len, SQLITE_STATIC);
    rc = db_step_done(db, st, e);
    for (size_t i = 0; rc == K_OK && i < nd; i++) {
        if ((rc = dbsync_clock_put(db, s->t[dels[i].table].name, dels[i].pk, &cs[i], e)) == K_OK)
            match[i]->back = 1;
    }
out:
    for (size_t i = 0; i < nc; i++)
        dbsync_clock_clear(&cs[i]);
    free(cs);
    free(match);
    sbuf_free(&out.b);
    redo_rows_free(dels, nd);
    free(buf);
    return rc;
}

/* An undo of a delete this replica has not sent yet restores what was:
 * the delete and the rows' coming back both go unsent, the rows keep the
 * stamps they had (not the undo's: an edit another replica made meanwhile
 * is later), and no replica keeps the contact against a delete. Once the
 * delete is sent, the undo is a change of its own. x: the undo's change,
 * without those rows after. */
static int undo_unsent(struct db *db, struct enc *x, struct kerr *e)
{
    struct db_sync *s = db->sync;
    char rep[DBSYNC_ID_LEN + 1];
    size_t n = 0, back = 0;
    int rc = dbsync_replica(db, rep, e);
    struct redo_row *ins = rc == K_OK ? redo_rows(s, x->b.s, x->b.len, SQLITE_INSERT, &n) : NULL;
    for (size_t i = 0; rc == K_OK && i < n; i++) {
        struct clock c;
        if (ins[i].back)
            continue;
        rc = dbsync_clock_get(db, s->t[ins[i].table].name, ins[i].pk, &c, e);
        if (rc == K_OK && c.found && !c.alive && !strcmp(c.row.rep, rep))
            rc = take_back(db, &c.row, ins, n, e);
        dbsync_clock_clear(&c);
    }
    for (size_t i = 0; i < n; i++)
        back += ins[i].back != 0;
    if (rc == K_OK && back) {
        struct redo_row *gone = kcalloc(back, sizeof *gone);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (ins[i].back)
                gone[k++] = ins[i];
        struct enc out = {0};
        if (redo_copy(s, x->b.s, x->b.len, SQLITE_INSERT, gone, k, &out) != K_OK) {
            rc = kerr_set(e, K_ERR, "keeping the change for sync failed; nothing was written");
            sbuf_free(&out.b);
        } else {
            sbuf_free(&x->b);
            *x = out;
        }
        free(gone);
    }
    redo_rows_free(ins, n);
    return rc;
}

/* ---- an undo of an edit or insert not yet sent ---- */

/* A clock as was_put_clock wrote it. */
struct was_clock {
    int found, alive;
    struct stamp row;
    const char *cols;
};

/* The next NUL-ended string at *p before end, or NULL. */
static const char *was_str(const char **p, const char *end)
{
    const char *s = *p, *z = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;
    if (!z)
        return NULL;
    *p = z + 1;
    return s;
}

static int was_clock_get(const char **p, const char *end, struct was_clock *c)
{
    const char *head = was_str(p, end), *rep = was_str(p, end), *cols = was_str(p, end);
    if (!head || !rep || !cols || strlen(rep) > DBSYNC_ID_LEN ||
        (head[0] != '0' && head[0] != '1') || (head[1] != '0' && head[1] != '1'))
        return 0;
    c->found = head[0] == '1';
    c->alive = head[1] == '1';
    c->row.hlc = strtoll(head + 2, NULL, 10);
    snprintf(c->row.rep, sizeof c->row.rep, "%s", rep);
    c->cols = cols;
    return 1;
}

/* The clock before and after, in change u's was, of row (table, pk). */
static int was_find(const char *w, size_t n, const char *table, const char *pk,
                    struct was_clock *before, struct was_clock *after)
{
    const char *p = w, *end = w + n;
    while (p && p < end) {
        const char *t = was_str(&p, end), *k = t ? was_str(&p, end) : NULL;
        if (!k || !was_clock_get(&p, end, before) || !was_clock_get(&p, end, after))
            return 0;
        if (!strcmp(t, table) && !strcmp(k, pk))
            return 1;
    }
    return 0;
}

/* A row's values a change x of op holds, as the change that x takes back
 * (u_op) would hold them: an update's old and new values swapped (but
 * the key's), a delete's old values as an insert's new ones. */
static void reversed_vals(sqlite3_changeset_iter *it, const struct stable *t, int ncol, int op,
                          struct sbuf *out)
{
    for (int side = 0; side < 2; side++)
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *v = NULL;
            int pk = t->col[i].pk;
            if (op == SQLITE_UPDATE && !pk && side == 0)
                sqlite3changeset_new(it, i, &v);
            else if ((op == SQLITE_DELETE && side == 1) ||
                     (op == SQLITE_UPDATE && (pk ? side == 0 : side == 1)))
                sqlite3changeset_old(it, i, &v);
            struct val x = dbsync_val_of(v);
            dbsync_put_val(out, &x);
        }
}

/* A row's values as change u holds them, in reversed_vals' layout. */
static void own_vals(sqlite3_changeset_iter *it, int ncol, int op, struct sbuf *out)
{
    for (int side = 0; side < 2; side++)
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *v = NULL;
            if (side == 0 && op == SQLITE_UPDATE)
                sqlite3changeset_old(it, i, &v);
            else if (side == 1)
                sqlite3changeset_new(it, i, &v);
            struct val x = dbsync_val_of(v);
            dbsync_put_val(out, &x);
        }
}

/* A change of this replica's not yet sent that a row's clock names. */
struct unsent {
    sqlite3_int64 hlc, txseq;
    void *changes, *was;
    size_t nchanges, nwas;
    int back;
};

static int unsent_load(struct db *db, sqlite3_int64 hlc, struct unsent *u, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT txseq, changes, was"
        " FROM sync_log"
        " WHERE hlc = :hlc",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    memset(u, 0, sizeof *u);
    u->hlc = hlc;
    sqlite3_bind_int64(st, db_param(st, ":hlc"), hlc);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW && sqlite3_column_bytes(st, 2) > 0) {
        u->txseq = sqlite3_column_int64(st, 0);
        u->nchanges = (size_t)sqlite3_column_bytes(st, 1);
        u->changes = kmalloc(u->nchanges + 1);
        memcpy(u->changes, sqlite3_column_blob(st, 1), u->nchanges);
        u->nwas = (size_t)sqlite3_column_bytes(st, 2);
        u->was = kmalloc(u->nwas);
        memcpy(u->was, sqlite3_column_blob(st, 2), u->nwas);
    }
    sqlite3_reset(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? K_OK
                                               : db_fail(db, e, "reading the changes to sync");
}

/* 1 when the row's clock c holds the stamps w does: its own and each of
 * its ncol columns'. Not the text: an undo of a delete taken back
 * (dbsync_unbury) gives each column its stamp as an entry of its own, and
 * may leave what the delete noted beside them (review r27 #1). */
static int same_clock(const struct clock *c, const struct was_clock *w, int ncol)
{
    struct clock wc;
    memset(&wc, 0, sizeof wc);
    wc.row = w->row;
    wc.cols = (char *)w->cols;
    if (c->found != w->found || c->alive != w->alive || dbsync_stamp_cmp(&c->row, &w->row))
        return 0;
    for (int i = 0; i < ncol; i++) {
        struct stamp x = dbsync_col_stamp(c, i), y = dbsync_col_stamp(&wc, i);
        if (dbsync_stamp_cmp(&x, &y))
            return 0;
    }
    return 1;
}

/* 1 when every row of change u (no delete, nothing but the journal's rows)
 * is one that x reverses exactly (xr: x's rows, their reversed values in
 * vals, the change each names by its clock in back - 1), whose clock is as
 * u left it. */
static int reversed_whole(struct db *db, const struct unsent *u, int ui, struct redo_row *xr,
                          size_t nx)
{
    const struct db_sync *s = db->sync;
    sqlite3_changeset_iter *it = NULL;
    int ok = 1, any = 0;
    if (sqlite3changeset_start(&it, (int)u->nchanges, u->changes) != SQLITE_OK)
        return 0;
    while (ok && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (ti < 0 || op == SQLITE_DELETE || ncol != s->t[ti].ncol) {
            ok = 0;
            break;
        }
        char *pk = iter_pk(it, &s->t[ti], ncol, op);
        struct redo_row *m = NULL;
        for (size_t i = 0; i < nx && !m; i++)
            if (xr[i].table == ti && xr[i].back == ui + 1 && !strcmp(xr[i].pk, pk))
                m = &xr[i];
        struct sbuf got = {0};
        own_vals(it, ncol, op, &got);
        struct was_clock before, after;
        struct clock c;
        memset(&c, 0, sizeof c);
        ok = m && got.s && m->vals.len == got.len && !memcmp(m->vals.s, got.s, got.len) &&
             was_find(u->was, u->nwas, name, pk, &before, &after) &&
             (op == SQLITE_UPDATE || !before.found) &&
             dbsync_clock_get(db, name, pk, &c, NULL) == K_OK && same_clock(&c, &after, ncol);
        dbsync_clock_clear(&c);
        any = 1;
        sbuf_free(&got);
        free(pk);
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK)
        ok = 0;
    return ok && any;
}

/* Change u goes unsent, and each row it changed has the clock it had
 * before it. */
static int unsend(struct db *db, const struct unsent *u, struct kerr *e)
{
    const struct db_sync *s = db->sync;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "DELETE FROM sync_log"
        " WHERE txseq = :txseq",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":txseq"), u->txseq);
    int rc = db_step_done(db, st, e);
    sqlite3_changeset_iter *it = NULL;
    if (rc == K_OK && sqlite3changeset_start(&it, (int)u->nchanges, u->changes) != SQLITE_OK)
        return kerr_set(e, K_ERR, "a change kept for sync is damaged; nothing was written");
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (ti < 0)
            continue;
        char *pk = iter_pk(it, &s->t[ti], ncol, op);
        struct was_clock before, after;
        if (!was_find(u->was, u->nwas, name, pk, &before, &after)) {
            rc = kerr_set(e, K_ERR, "a change kept for sync is damaged; nothing was written");
        } else if (before.found) {
            struct clock c = {1, before.alive, before.row, (char *)before.cols, NULL, 0};
            rc = dbsync_clock_put(db, name, pk, &c, e);
        } else {
            /* clang-format off */
            st = db_stmt(db,
                "DELETE FROM sync_clock"
                " WHERE tbl = :tbl AND pk = :pk",
                e);
            /* clang-format on */
            if (!st) {
                rc = K_ERR;
            } else {
                db_bind_text(st, db_param(st, ":tbl"), name);
                db_bind_text(st, db_param(st, ":pk"), pk);
                rc = db_step_done(db, st, e);
            }
        }
        free(pk);
    }
    sqlite3changeset_finalize(it);
    return rc;
}

/* A change that undoes, exactly, a change of this replica's not yet sent
 * (an edit or insert: undo_unsent takes back a delete), both add up to
 * nothing (review r26 #1): neither is sent, and the rows keep the clock
 * they had before, so that a change another replica made meanwhile to the
 * same field, tag, tick or reminder stands, and no replica lists a value
 * that is nowhere. Only a change every row of which is undone, with
 * nothing changed since (its rows' clocks as it left them). A change made
 * by hand would count too if it put back every value exactly, but an edit
 * of a contact also moves its updated_at, so it does not. x: without those
 * rows after. */
static int take_back_edits(struct db *db, struct enc *x, struct kerr *e)
{
    struct db_sync *s = db->sync;
    char rep[DBSYNC_ID_LEN + 1];
    struct redo_row *xr = NULL;
    struct unsent *us = NULL;
    size_t nx = 0, nu = 0, back = 0;
    sqlite3_changeset_iter *it = NULL;
    int rc = dbsync_replica(db, rep, e);
    if (rc != K_OK)
        return rc;
    if (sqlite3changeset_start(&it, (int)x->b.len, x->b.s) != SQLITE_OK)
        return K_OK;
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (ti < 0 || op == SQLITE_INSERT || ncol != s->t[ti].ncol)
            continue;
        const struct stable *t = &s->t[ti];
        char *pk = iter_pk(it, t, ncol, op);
        struct clock c;
        if ((rc = dbsync_clock_get(db, name, pk, &c, e)) != K_OK || !c.found || !c.alive) {
            dbsync_clock_clear(&c);
            free(pk);
            continue;
        }
        /* The change that set what x changes: its stamp, in the row's clock. */
        struct stamp at = c.row;
        for (int i = 0; op == SQLITE_UPDATE && i < ncol; i++) {
            sqlite3_value *v = NULL;
            if (!t->col[i].pk && sqlite3changeset_new(it, i, &v) == SQLITE_OK && v) {
                at = dbsync_col_stamp(&c, i);
                break;
            }
        }
        dbsync_clock_clear(&c);
        if (strcmp(at.rep, rep)) {
            free(pk);
            continue;
        }
        size_t ui = 0;
        while (ui < nu && us[ui].hlc != at.hlc)
            ui++;
        if (ui == nu) {
            us = kgrowarray(us, nu, sizeof *us);
            if ((rc = unsent_load(db, at.hlc, &us[nu], e)) != K_OK) {
                free(pk);
                break;
            }
            nu++;
        }
        xr = kgrowarray(xr, nx, sizeof *xr);
        struct redo_row *r = &xr[nx++];
        memset(r, 0, sizeof *r);
        r->table = ti;
        r->pk = pk;
        r->back = (int)ui + 1;
        sbuf_addn(&r->vals, "", 0);
        reversed_vals(it, t, ncol, op, &r->vals);
    }
    sqlite3changeset_finalize(it);
    for (size_t i = 0; rc == K_OK && i < nu; i++) {
        if (!us[i].was || !reversed_whole(db, &us[i], (int)i, xr, nx))
            continue;
        us[i].back = 1;
        rc = unsend(db, &us[i], e);
    }
    /* The rows of x that took a change back go from it. */
    struct redo_row *drop = kcalloc(nx + 1, sizeof *drop);
    for (size_t i = 0; i < nx; i++)
        if (us[xr[i].back - 1].back)
            drop[back++] = xr[i];
    if (rc == K_OK && back) {
        struct enc mid = {0}, out = {0};
        if (redo_copy(s, x->b.s, x->b.len, SQLITE_UPDATE, drop, back, &mid) != K_OK ||
            redo_copy(s, mid.b.s, mid.b.len, SQLITE_DELETE, drop, back, &out) != K_OK) {
            rc = kerr_set(e, K_ERR, "keeping the change for sync failed; nothing was written");
            sbuf_free(&out.b);
        } else {
            sbuf_free(&x->b);
            *x = out;
        }
        sbuf_free(&mid.b);
    }
    free(drop);
    for (size_t i = 0; i < nu; i++) {
        free(us[i].changes);
        free(us[i].was);
    }
    free(us);
    redo_rows_free(xr, nx);
    return rc;
}

int dbsync_tx_commit(struct db *db, struct kerr *e)
{
    struct db_sync *s = db->sync;
    int n = 0, rc = K_OK;
    void *buf = NULL;
    if (!s || !s->sess || s->applying)
        return K_OK;
    if (sqlite3session_changeset(s->sess, &n, &buf) != SQLITE_OK)
        return db_fail(db, e, "keeping the change for sync");
    /* The session stops here: what dbsync_keep() writes is not a change to sync. */
    sqlite3session_delete(s->sess);
    s->sess = NULL;
    if (n > 0 && (rc = dbsync_schema(db, e)) == K_OK) {
        struct enc x = {0};
        rc = dbsync_translate(db, buf, n, &x, e);
        if (rc == K_OK && x.rows)
            rc = undo_unsent(db, &x, e);
        if (rc == K_OK && x.rows)
            rc = take_back_edits(db, &x, e);
        if (rc == K_OK && x.rows)
            rc = put_seen(db, &x, e);
        if (rc == K_OK && x.rows)
            rc = keep_new(db, x.b.s, x.b.len, 1, e);
        sbuf_free(&x.b);
    }
    sqlite3_free(buf);
    return rc;
}

/* ---- turning sync on ---- */

/* Appends every row of table t as an INSERT (only rows with col = val when
 * col is not NULL). */
int dbsync_put_rows(struct db *db, struct enc *x, struct keys *k, const struct stable *t,
                    const char *col, const struct val *val, dbsync_row_skip skip, void *ud,
                    struct kerr *e)
{
    struct db_sync *s = db->sync;
    /* clang-format off */
    char *sql = col ? sqlite3_mprintf(
                          "SELECT *"
                          " FROM \"%w\""
                          " WHERE \"%w\" = ?1",
                          t->name, col)
                    : sqlite3_mprintf(
                          "SELECT *"
                          " FROM \"%w\"",
                          t->name);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    int rc = K_OK, r;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_column_count(st) != t->ncol) {
        rc = db_fail(db, e, "reading the journal for sync");
        goto out;
    }
    if (val)
        dbsync_val_bind(st, 1, val);
    struct val *v = kcalloc((size_t)t->ncol, sizeof *v);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < t->ncol; i++)
            v[i] = dbsync_val_col(st, i);
        if (dbsync_to_ids(db, s, k, t, t->ncol, v) && (!skip || !skip(ud, t, v)))
            dbsync_put_row(x, t, t->ncol, SQLITE_INSERT, NULL, v);
    }
    free(v);
    if (r != SQLITE_DONE)
        rc = db_fail(db, e, "reading the journal for sync");
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}

void dbsync_new_replica_id(char out[DBSYNC_ID_LEN + 1])
{
    unsigned char r[DBSYNC_ID_LEN / 2];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        sqlite3_int64 t = now_ms();
        for (size_t i = 0; i < sizeof r; i++)
            r[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)(i * 37);
    }
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* When each row was last changed, as the journal knows it: a row's
 * updated_at or created_at, and the undo history's changes to it. Keys
 * "table:pk" (ids for local keys), ms since the epoch; sorted, then one
 * entry a key with the latest. */
struct when {
    char *k;
    sqlite3_int64 ms;
};

struct whens {
    struct when *v;
    size_t n;
};

static void whens_add(struct whens *w, int table, const char *pk, sqlite3_int64 ms)
{
    if (ms <= 0 || !pk)
        return;
    char head[16];
    int h = snprintf(head, sizeof head, "%d:", table);
    size_t n = strlen(pk);
    char *k = kmalloc((size_t)h + n + 1);
    memcpy(k, head, (size_t)h);
    memcpy(k + h, pk, n + 1);
    w->v = kgrowarray(w->v, w->n, sizeof *w->v);
    w->v[w->n++] = (struct when){k, ms};
}

static int cmp_when(const void *x, const void *y)
{
    const struct when *a = x, *b = y;
    return strcmp(a->k, b->k);
}

static void whens_sort(struct whens *w)
{
    size_t o = 0;
    if (w->n > 1)
        qsort(w->v, w->n, sizeof *w->v, cmp_when);
    for (size_t i = 0; i < w->n; i++) {
        if (o && !strcmp(w->v[o - 1].k, w->v[i].k)) {
            if (w->v[i].ms > w->v[o - 1].ms)
                w->v[o - 1].ms = w->v[i].ms;
            free(w->v[i].k);
            continue;
        }
        w->v[o++] = w->v[i];
    }
    w->n = o;
}

static sqlite3_int64 whens_find(const struct whens *w, int table, const char *pk)
{
    char head[16];
    int h = snprintf(head, sizeof head, "%d:", table);
    struct sbuf b = {0};
    sbuf_addn(&b, head, (size_t)h);
    sbuf_add(&b, pk);
    struct when key = {b.s, 0};
    const struct when *f = w->n ? bsearch(&key, w->v, w->n, sizeof *w->v, cmp_when) : NULL;
    sbuf_free(&b);
    return f ? f->ms : 0;
}

static void whens_free(struct whens *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].k);
    free(w->v);
    memset(w, 0, sizeof *w);
}

/* What the undo history tells of one row ("table:pk", ids for keys), its
 * changes kept as done folded in order: the latest insert, change and
 * change undone (ms since the epoch), the latest change of each column,
 * and whether the latest change deleted the row (with its values then:
 * put_val each, ids for keys). seen: the row is in the journal. */
struct hrow {
    char *k;
    int table, ord, op, done, ncol, seen, ndata;
    sqlite3_int64 at, ins, last, undone;
    sqlite3_int64 *col;
    unsigned char *set; /* an event's: the columns it sets */
    void *data;
};

struct hist {
    struct hrow *v;
    size_t n;
};

static int cmp_hrow(const void *x, const void *y)
{
    const struct hrow *a = x, *b = y;
    int c = strcmp(a->k, b->k);
    return c ? c : (a->ord > b->ord) - (a->ord < b->ord);
}

static void hist_free(struct hist *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].k);
        free(h->v[i].col);
        free(h->v[i].set);
        free(h->v[i].data);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

/* Folds the events of each row (sorted by row, then order) into one. */
static void hist_fold(struct hist *h)
{
    size_t o = 0;
    if (h->n > 1)
        qsort(h->v, h->n, sizeof *h->v, cmp_hrow);
    for (size_t i = 0; i < h->n; i++) {
        struct hrow ev = h->v[i]; /* o <= i: the slot written is read already */
        struct hrow *r = o ? &h->v[o - 1] : NULL;
        if (!r || strcmp(r->k, ev.k)) {
            r = &h->v[o++];
            memset(r, 0, sizeof *r);
            r->k = ev.k;
            r->table = ev.table;
        } else {
            free(ev.k);
        }
        if (ev.ncol > r->ncol) {
            r->col = kreallocarray(r->col, (size_t)ev.ncol, sizeof *r->col);
            memset(r->col + r->ncol, 0, (size_t)(ev.ncol - r->ncol) * sizeof *r->col);
            r->ncol = ev.ncol;
        }
        if (!ev.done) {
            if (ev.at > r->undone)
                r->undone = ev.at;
        } else {
            if (ev.at > r->last)
                r->last = ev.at;
            r->op = ev.op;
            if (ev.op == SQLITE_INSERT && ev.at > r->ins)
                r->ins = ev.at;
            for (int c = 0; c < ev.ncol; c++)
                if ((ev.op == SQLITE_INSERT || ev.set[c]) && ev.at > r->col[c])
                    r->col[c] = ev.at;
            free(r->data);
            r->data = NULL;
            r->ndata = 0;
            if (ev.op == SQLITE_DELETE) {
                r->data = ev.data;
                r->ndata = ev.ndata;
                ev.data = NULL;
            }
        }
        free(ev.set);
        free(ev.data);
    }
    h->n = o;
}

static struct hrow *hist_find(const struct hist *h, int table, const char *pk)
{
    char head[16];
    int n = snprintf(head, sizeof head, "%d:", table);
    struct sbuf b = {0};
    sbuf_addn(&b, head, (size_t)n);
    sbuf_add(&b, pk);
    struct hrow *f = NULL;
    for (size_t lo = 0, hi = h->n; !f && lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b.s, h->v[mid].k);
        if (!c)
            f = &h->v[mid];
        else if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    sbuf_free(&b);
    return f;
}

/* One change of the history, in changes, made at ms: each row it names
 * (ids for keys: those of rows it deleted from the change itself) as an
 * event of its row into h, and its time into w. */
static void history_change(struct db *db, struct keys *k, const void *changes, int n,
                           sqlite3_int64 ms, int done, struct whens *w, struct hist *h)
{
    struct db_sync *s = db->sync;
    sqlite3_changeset_iter *it = NULL;
    struct keys own = {0};
    if (sqlite3changeset_start(&it, n, (void *)changes) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        sqlite3_value *kv = NULL, *iv = NULL;
        if (op != SQLITE_DELETE || ti < 0 || s->t[ti].key < 0 || s->t[ti].key >= ncol ||
            s->t[ti].id >= ncol || sqlite3changeset_old(it, s->t[ti].key, &kv) != SQLITE_OK ||
            sqlite3changeset_old(it, s->t[ti].id, &iv) != SQLITE_OK || !kv || !iv ||
            sqlite3_value_type(iv) != SQLITE_TEXT)
            continue;
        dbsync_keys_put(&own, ti, sqlite3_value_int64(kv),
                        kstr_dup((const char *)sqlite3_value_text(iv)));
    }
    sqlite3changeset_finalize(it);
    if (sqlite3changeset_start(&it, n, (void *)changes) != SQLITE_OK) {
        dbsync_keys_free(&own);
        return;
    }
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(s, name);
        if (ti < 0 || ncol > s->t[ti].ncol)
            continue;
        const struct stable *t = &s->t[ti];
        struct val *v = kcalloc((size_t)t->ncol, sizeof *v);
        unsigned char *set = kcalloc((size_t)ncol, 1);
        /* An insert or update is named by its primary key; a delete
         * keeps the values that name rows, to be sent as one (below). */
        for (int i = 0; i < t->ncol; i++) {
            sqlite3_value *x = NULL;
            v[i].type = SQLITE_NULL;
            if (i >= ncol)
                continue;
            if (op == SQLITE_UPDATE)
                set[i] = sqlite3changeset_new(it, i, &x) == SQLITE_OK && x;
            x = NULL;
            if (op != SQLITE_DELETE && !t->col[i].pk)
                continue;
            if (op == SQLITE_INSERT)
                sqlite3changeset_new(it, i, &x);
            else
                sqlite3changeset_old(it, i, &x);
            if (x)
                v[i] = dbsync_val_of(x);
        }
        int ok = op != SQLITE_DELETE ? dbsync_to_ids(db, s, k, t, ncol, v) : 1;
        /* A row it deleted: its keys are the change's (a key the journal
         * gave a row since names another), else the journal's. One that
         * names a row gone before goes as NULL, unless it is the key. */
        for (int i = 0; op == SQLITE_DELETE && ok && i < ncol; i++) {
            int ref = i == t->key ? ti : t->col[i].lkey;
            if (ref < 0 || v[i].type != SQLITE_INTEGER)
                continue;
            const struct keymap *m = own.cap ? keys_slot(own.v, own.cap, ref, v[i].i) : NULL;
            const char *id = m && m->id ? m->id : key_id(db, s, k, ref, v[i].i);
            if (id)
                v[i] = dbsync_val_text(id);
            else if (t->col[i].pk)
                ok = 0;
            else
                v[i].type = SQLITE_NULL;
        }
        if (ok) {
            char *pk = dbsync_pk_text(t, t->ncol, v);
            whens_add(w, ti, pk, ms);
            char head[16];
            int hn = snprintf(head, sizeof head, "%d:", ti);
            struct sbuf key = {0};
            sbuf_addn(&key, head, (size_t)hn);
            sbuf_add(&key, pk);
            h->v = kgrowarray(h->v, h->n, sizeof *h->v);
            struct hrow *ev = &h->v[h->n];
            memset(ev, 0, sizeof *ev);
            ev->k = sbuf_take(&key);
            ev->table = ti;
            ev->ord = (int)h->n++;
            ev->op = op;
            ev->done = done;
            ev->ncol = ncol;
            ev->at = ms;
            ev->set = set;
            set = NULL;
            if (op == SQLITE_DELETE) {
                /* What names the row and the rows it belongs to, not what
                 * it said: a contact deleted before sync was on does not
                 * go into the shared folder (nor a snapshot) with its
                 * notes. */
                struct sbuf d = {0};
                for (int i = 0; i < t->ncol; i++) {
                    const struct scol *c = &t->col[i];
                    struct val null = {.type = SQLITE_NULL};
                    int names =
                        c->pk || i == t->key || i == t->id || c->parent >= 0 || c->lkey >= 0;
                    dbsync_put_val(&d, names ? &v[i] : &null);
                }
                ev->ndata = (int)d.len;
                ev->data = d.s;
            }
            free(pk);
        }
        free(set);
        free(v);
    }
    sqlite3changeset_finalize(it);
    dbsync_keys_free(&own);
}

/* The undo history: when each row it names was changed (into w), and what
 * it knows of each row (into h, folded: hist_fold). */
static int history_read(struct db *db, struct keys *k, struct whens *w, struct hist *h,
                        struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    /* clang-format off */
    static const char sql[] =
        "SELECT changes, at, state = 'done'"
        " FROM history"
        " WHERE changes IS NOT NULL"
        " ORDER BY seq";
    /* clang-format on */
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, e, "reading the undo history");
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 ms = kdate_time_ms((const char *)sqlite3_column_text(st, 1));
        if (ms)
            history_change(db, k, sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), ms,
                           sqlite3_column_int(st, 2), w, h);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE)
        return db_fail(db, e, "reading the undo history");
    hist_fold(h);
    return K_OK;
}

/* The times the rows keep themselves (updated_at, created_at). */
static int row_whens(struct db *db, struct keys *k, int ti, struct whens *w, struct kerr *e)
{
    struct db_sync *s = db->sync;
    const struct stable *t = &s->t[ti];
    int up = dbsync_col_index(t, "updated_at"), cr = dbsync_col_index(t, "created_at");
    if (up < 0 && cr < 0)
        return K_OK;
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT *"
        " FROM \"%w\"",
        t->name);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    int rc = K_OK, r;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_column_count(st) != t->ncol) {
        rc = db_fail(db, e, "reading the journal for sync");
        goto out;
    }
    struct val *v = kcalloc((size_t)t->ncol, sizeof *v);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 ms = 0;
        for (int c = 0; c < 2; c++) {
            int i = c ? cr : up;
            sqlite3_int64 m = i >= 0 ? kdate_time_ms((const char *)sqlite3_column_text(st, i)) : 0;
            if (m > ms)
                ms = m;
        }
        for (int i = 0; i < t->ncol; i++)
            v[i] = dbsync_val_col(st, i);
        if (ms && dbsync_to_ids(db, s, k, t, t->ncol, v)) {
            char *pk = dbsync_pk_text(t, t->ncol, v);
            whens_add(w, ti, pk, ms);
            free(pk);
        }
    }
    free(v);
    if (r != SQLITE_DONE)
        rc = db_fail(db, e, "reading the journal for sync");
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}

/* A row deleted here, as sync_clock keeps it: its table, the delete's
 * stamp and the row's last values (ids for keys). */
struct tomb {
    int table;
    sqlite3_int64 hlc;
    void *data;
    int ndata;
};

static int cmp_tomb(const void *x, const void *y)
{
    const struct tomb *a = x, *b = y;
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    /* Children before the rows they name, as a delete that cascades. */
    return b->table - a->table;
}

static int read_tombs(struct db *db, struct tomb **out, size_t *n, struct kerr *e)
{
    *out = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT tbl, hlc, data"
        " FROM sync_clock"
        " WHERE alive = 0 AND data IS NOT NULL",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int ti = dbsync_table_index(db->sync, (const char *)sqlite3_column_text(st, 0));
        int nd = sqlite3_column_bytes(st, 2);
        if (ti < 0 || nd <= 0)
            continue;
        *out = kgrowarray(*out, *n, sizeof **out);
        struct tomb *t = &(*out)[(*n)++];
        t->table = ti;
        t->hlc = sqlite3_column_int64(st, 1);
        t->ndata = nd;
        t->data = kmalloc((size_t)nd);
        memcpy(t->data, sqlite3_column_blob(st, 2), (size_t)nd);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync clock");
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_tomb);
    return K_OK;
}

/* Sends each of the n deletes v (sorted by stamp) in a change of its
 * stamp's time (rep: this replica), one a time: an apply stamps a delete
 * with its change's. */
static int put_tomb_list(struct db *db, const struct tomb *v, size_t n, const char *rep,
                         struct kerr *e)
{
    int rc = K_OK;
    for (size_t i = 0; v && rc == K_OK && i < n;) {
        struct enc x = {0};
        size_t j = i;
        for (; j < n && v[j].hlc == v[i].hlc; j++) {
            const struct stable *t = &db->sync->t[v[j].table];
            struct val *old = kcalloc((size_t)t->ncol, sizeof *old);
            if (dbsync_get_vals(v[j].data, v[j].ndata, old, t->ncol))
                dbsync_put_row(&x, t, t->ncol, SQLITE_DELETE, old, NULL);
            free(old);
        }
        struct stamp at = {v[i].hlc, ""};
        sqlite3_int64 hlc = 0, txseq = 0;
        snprintf(at.rep, sizeof at.rep, "%s", rep);
        if (x.rows && (rc = tick(db, &hlc, &txseq, e)) == K_OK)
            rc = keep_at(db, x.b.s, x.b.len, &at, txseq, e);
        sbuf_free(&x.b);
        i = j;
    }
    return rc;
}

/* The rows deleted here, sent again as deletes, each as of its delete. */
static int put_tombs(struct db *db, const char *rep, struct kerr *e)
{
    struct tomb *v;
    size_t n;
    int rc = read_tombs(db, &v, &n, e);
    if (rc == K_OK)
        rc = put_tomb_list(db, v, n, rep, e);
    for (size_t i = 0; i < n; i++)
        free(v[i].data);
    free(v);
    return rc;
}

/* Stamping each row sync_enable sends: the rows' stamps, kept until the
 * change's own is known (none is taken for an empty journal). */
struct stamping {
    struct db *db;
    const struct db_sync *s;
    const struct whens *w;
    struct hist *h;           /* what the undo history tells of each row */
    struct dbsync_pack again; /* dbsync_send_whole's: each row's stamps */
    struct {
        int table;
        char *pk;
        sqlite3_int64 hlc;
        struct sbuf cols; /* "column:ms;" of those changed later than hlc */
    } * v;
    size_t n;
};

/* A time a row keeps of itself (column name of t, v its values), in ms. */
static sqlite3_int64 own_time(const struct stable *t, const struct val *v, const char *name)
{
    int i = dbsync_col_index(t, name);
    if (i < 0 || v[i].type != SQLITE_TEXT)
        return 0;
    char *s = kstr_ndup(v[i].p, (size_t)v[i].n);
    sqlite3_int64 ms = kdate_time_ms(s);
    free(s);
    return ms;
}

/* A row's updated_at no later than this after the last change the undo
 * history kept of it is that change's (both are read as it commits). */
#define SAME_CHANGE_MS 2000

/* The stamps of a row the undo history knows changes of, each column as
 * of its own last change (so two copies of one journal that changed
 * different fields of a row both keep theirs): into *star the stamp of
 * the columns it names no later change of, and the others into cols.
 * Where the history does not tell (no change of it kept; a time the row
 * keeps that no change kept explains: one made where nothing is
 * recorded, the insert before the history's oldest change; one undone),
 * *star is that time. 0 when it tells nothing of the row. */
static int stamp_cols(struct hrow *r, const struct stable *t, const struct val *v,
                      sqlite3_int64 *star, struct sbuf *cols)
{
    r->seen = 1;
    sqlite3_int64 up = own_time(t, v, "updated_at"), cr = own_time(t, v, "created_at");
    if (!r->last || (up <= 0 && cr <= 0))
        return 0;
    sqlite3_int64 s = r->ins > r->undone ? r->ins : r->undone;
    if (up > r->last + SAME_CHANGE_MS && up > s)
        s = up;
    if (!r->ins && cr > s)
        s = cr;
    if (!s)
        return 0;
    *star = s;
    for (int i = 0; i < r->ncol && i < t->ncol; i++)
        if (r->col[i] > s)
            sbuf_printf(cols, "%d:%lld;", i, (long long)r->col[i]);
    return 1;
}

/* Notes the row's stamp: as of its last change the journal knows (its own
 * time, else the latest of the rows it belongs to), column by column
 * where the undo history tells (stamp_cols); where none is known, the
 * earliest. So a copy of a journal made before sync was on, or a backup
 * of one, loses to what was changed after it was made, and an untouched
 * row of it ties with the other's, equal. */
static int stamp_row(void *ud, const struct stable *t, const struct val *v)
{
    struct stamping *g = ud;
    int ti = (int)(t - g->s->t);
    char *pk = dbsync_pk_text(t, t->ncol, v);
    sqlite3_int64 ms = whens_find(g->w, ti, pk);
    int own = dbsync_col_index(t, "updated_at") >= 0 || dbsync_col_index(t, "created_at") >= 0;
    for (int i = 0; !own && i < t->ncol; i++) {
        const struct scol *c = &t->col[i];
        if (c->parent < 0 || c->setnull || v[i].type != SQLITE_TEXT)
            continue;
        char *id = kstr_ndup(v[i].p, (size_t)v[i].n);
        sqlite3_int64 m = whens_find(g->w, c->parent, id);
        free(id);
        if (m > ms)
            ms = m;
    }
    g->v = kgrowarray(g->v, g->n, sizeof *g->v);
    memset(&g->v[g->n], 0, sizeof g->v[g->n]);
    struct hrow *r = hist_find(g->h, ti, pk);
    sqlite3_int64 star = 0;
    if (r && stamp_cols(r, t, v, &star, &g->v[g->n].cols))
        ms = star;
    g->v[g->n].table = ti;
    g->v[g->n].pk = pk;
    g->v[g->n++].hlc = ms > 0 ? ms << 16 : 1;
    return 0;
}

/* The rows the undo history saw deleted and that are not back: each sent
 * as a delete of its last values, in a change of the delete's time (an
 * apply stamps a delete with its change's), oldest first, never later
 * than now. So a row deleted on one copy of a journal before its first
 * sync stays deleted when the other copy sends it. */
static int put_history_deletes(struct db *db, const struct hist *h, const char *rep, struct kerr *e)
{
    struct tomb *v = NULL;
    size_t n = 0;
    int rc = K_OK;
    /* Read once, and only for a delete: every reading of the clock moves
     * the stamps after it. */
    sqlite3_int64 now = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct hrow *r = &h->v[i];
        if (r->seen || r->op != SQLITE_DELETE || !r->data)
            continue;
        if (!now)
            now = now_ms() << 16;
        v = kgrowarray(v, n, sizeof *v);
        sqlite3_int64 hlc = r->last << 16;
        v[n++] = (struct tomb){r->table, hlc < now ? hlc : now, r->data, r->ndata};
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_tomb);
    rc = put_tomb_list(db, v, n, rep, e);
    free(v);
    return rc;
}

/* What the journal held before sync is its first change: parents before
 * children (sqlite_schema's order), each row with its own stamps
 * (stamp_row), never later than the change's, after the rows; the rows
 * deleted that the undo history knows of before it (put_history_deletes). */
static int put_all(struct db *db, const char *rep, struct kerr *e)
{
    struct db_sync *s = db->sync;
    struct whens w = {0};
    struct hist h = {0};
    struct stamping g = {.s = s, .w = &w, .h = &h};
    struct enc x = {0};
    struct keys k = {0};
    int rc = history_read(db, &k, &w, &h, e);
    for (int i = 0; i < s->nt && rc == K_OK; i++)
        rc = row_whens(db, &k, i, &w, e);
    whens_sort(&w);
    for (int i = 0; i < s->nt && rc == K_OK; i++)
        rc = dbsync_put_rows(db, &x, &k, &s->t[i], NULL, NULL, stamp_row, &g, e);
    struct stamp at = {0, ""};
    sqlite3_int64 txseq = 0;
    snprintf(at.rep, sizeof at.rep, "%s", rep);
    if (rc == K_OK)
        rc = put_history_deletes(db, &h, rep, e);
    if (rc == K_OK && x.rows && (rc = tick(db, &at.hlc, &txseq, e)) == K_OK) {
        struct dbsync_pack st = {0};
        struct sbuf cols = {0};
        for (size_t i = 0; i < g.n; i++) {
            sbuf_free(&cols);
            sbuf_printf(&cols, "*:%lld:%s;", (long long)(g.v[i].hlc < at.hlc ? g.v[i].hlc : at.hlc),
                        rep);
            for (const char *p = g.v[i].cols.s; p && *p;) {
                int c;
                long long ms;
                int used = 0;
                if (sscanf(p, "%d:%lld;%n", &c, &ms, &used) != 2 || !used)
                    break;
                sbuf_printf(&cols, "%d:%lld:%s;", c,
                            (long long)((ms << 16) < at.hlc ? ms << 16 : at.hlc), rep);
                p += used;
            }
            dbsync_pack_add(&st, cols.s);
        }
        sbuf_free(&cols);
        dbsync_pack_put(&x, &st);
        rc = keep_at(db, x.b.s, x.b.len, &at, txseq, e);
    }
    for (size_t i = 0; i < g.n; i++) {
        free(g.v[i].pk);
        sbuf_free(&g.v[i].cols);
    }
    free(g.v);
    sbuf_free(&x.b);
    dbsync_keys_free(&k);
    whens_free(&w);
    hist_free(&h);
    return rc;
}

/* Notes the row's stamps as sync_clock has them here: the row's own for
 * every column it does not name ("*"), the columns' own after it. */
static int stamp_as_here(void *ud, const struct stable *t, const struct val *v)
{
    struct stamping *g = ud;
    char *pk = dbsync_pk_text(t, t->ncol, v);
    struct clock c;
    struct sbuf b = {0};
    if (dbsync_clock_get(g->db, t->name, pk, &c, NULL) == K_OK && c.found) {
        sbuf_printf(&b, "*:%lld:%s;", (long long)c.row.hlc, c.row.rep);
        /* Not the entries below 0: they say what became of the row. */
        for (const char *p = c.cols; p && *p;) {
            const char *semi = strchr(p, ';');
            if (!semi)
                break;
            if (*p != '-')
                sbuf_addn(&b, p, (size_t)(semi - p + 1));
            p = semi + 1;
        }
    } else {
        /* Not known here: no value of it is later than another's. */
        char rep[DBSYNC_ID_LEN + 1];
        if (dbsync_replica(g->db, rep, NULL) == K_OK)
            sbuf_printf(&b, "*:1:%s;", rep);
    }
    dbsync_pack_add(&g->again, b.s);
    dbsync_clock_clear(&c);
    sbuf_free(&b);
    free(pk);
    return 0;
}

int dbsync_send_whole(struct db *db, struct kerr *e)
{
    struct enc x = {0};
    struct keys k = {0};
    struct stamping g = {.db = db};
    struct stamp at = {0, ""};
    sqlite3_int64 txseq = 0;
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    if ((rc = dbsync_schema(db, e)) == K_OK)
        rc = dbsync_replica(db, at.rep, e);
    g.s = db->sync;
    if (rc == K_OK)
        rc = put_tombs(db, at.rep, e);
    for (int i = 0; rc == K_OK && i < db->sync->nt; i++)
        rc = dbsync_put_rows(db, &x, &k, &db->sync->t[i], NULL, NULL, stamp_as_here, &g, e);
    if (rc == K_OK && x.rows && (rc = tick(db, &at.hlc, &txseq, e)) == K_OK) {
        dbsync_pack_put(&x, &g.again);
        rc = keep_at(db, x.b.s, x.b.len, &at, txseq, e);
    }
    if (rc == K_OK)
        rc = db_commit(db, e);
    else
        db_rollback(db);
    dbsync_pack_free(&g.again);
    sbuf_free(&x.b);
    dbsync_keys_free(&k);
    return rc;
}

int dbsync_enable(struct db *db, const char *dir, char out[DBSYNC_ID_LEN + 1], struct kerr *e)
{
    int rc;
    dbsync_new_replica_id(out);
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_self(id, replica, dir)"
        " VALUES (1, :replica, :dir)",
        e);
    /* clang-format on */
    if (!st) {
        rc = K_ERR;
        goto fail;
    }
    db_bind_text(st, db_param(st, ":replica"), out);
    db_bind_text(st, db_param(st, ":dir"), dir);
    if ((rc = db_step_done(db, st, e)) != K_OK || (rc = dbsync_schema(db, e)) != K_OK)
        goto fail;
    if ((rc = put_all(db, out, e)) == K_OK && (rc = db_commit(db, e)) == K_OK)
        return K_OK;
fail:
    db_rollback(db);
    out[0] = 0;
    return rc;
}

/* ---- the log of this replica's changes ---- */

int dbsync_unsent(struct db *db, dbsync_rec_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT txseq, hlc, changes"
        " FROM sync_log"
        " ORDER BY txseq",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct dbsync_rec r = {sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 0),
                               sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2)};
        if (cb(&r, ud)) {
            s = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the changes to sync");
    return K_OK;
}

int dbsync_sent(struct db *db, long long fileseq, long long txseq, const void *body, size_t n,
                int keep, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "DELETE FROM sync_log"
        " WHERE txseq <= :txseq",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, db_param(st, ":txseq"), txseq);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    /* clang-format off */
    st = db_stmt(db,
        "UPDATE sync_self"
        " SET fileseq = :fileseq"
        " WHERE id = 1",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    if (!body)
        goto done;
    /* clang-format off */
    st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_file_sum(fileseq, size, tail)"
        " VALUES (:fileseq, :size, :tail)",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    sqlite3_bind_int64(st, db_param(st, ":size"), (sqlite3_int64)n);
    sqlite3_bind_blob(st, db_param(st, ":tail"), (const char *)body + (n < 8 ? 0 : n - 8),
                      n < 8 ? (int)n : 8, SQLITE_STATIC);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    if (!keep)
        goto done;
    /* clang-format off */
    st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_file(fileseq, body)"
        " VALUES (:fileseq, :body)",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    sqlite3_bind_blob64(st, db_param(st, ":body"), body, n, SQLITE_STATIC);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
done:
    if (db_commit(db, e) != K_OK)
        goto fail;
    return K_OK;
fail:
    db_rollback(db);
    return K_ERR;
}

int dbsync_file_body(struct db *db, long long fileseq, char **body, size_t *n, struct kerr *e)
{
    *body = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT body"
        " FROM sync_file"
        " WHERE fileseq = :fileseq",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    int s = sqlite3_step(st), rc = K_NOTFOUND;
    if (s == SQLITE_ROW) {
        *n = (size_t)sqlite3_column_bytes(st, 0);
        *body = kmalloc(*n ? *n : 1);
        if (*n)
            memcpy(*body, sqlite3_column_blob(st, 0), *n);
        rc = K_OK;
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading a file this replica sent");
    return rc;
}

int dbsync_file_sums(struct db *db, struct dbsync_file_sum **out, size_t *n, struct kerr *e)
{
    *out = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT s.fileseq, s.size, s.tail, f.fileseq IS NOT NULL"
        " FROM sync_file_sum AS s"
        " LEFT JOIN sync_file AS f USING (fileseq)"
        " ORDER BY s.fileseq",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap)
            *out = kreallocarray(*out, cap = cap ? cap * 2 : 16, sizeof **out);
        struct dbsync_file_sum *f = &(*out)[(*n)++];
        memset(f, 0, sizeof *f);
        f->fileseq = sqlite3_column_int64(st, 0);
        f->n = (size_t)sqlite3_column_int64(st, 1);
        if (sqlite3_column_bytes(st, 2) == 8)
            memcpy(f->tail, sqlite3_column_blob(st, 2), 8);
        f->kept = sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return db_fail(db, e, "reading the files this replica sent");
    }
    return K_OK;
}

int dbsync_file_sum_adopt(struct db *db, long long fileseq, size_t size,
                          const unsigned char tail[8], struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT OR IGNORE INTO sync_file_sum(fileseq, size, tail)"
        " VALUES (:fileseq, :size, :tail)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    sqlite3_bind_int64(st, db_param(st, ":size"), (sqlite3_int64)size);
    sqlite3_bind_blob(st, db_param(st, ":tail"), tail, size < 8 ? (int)size : 8, SQLITE_STATIC);
    return db_step_done(db, st, e);
}

int dbsync_file_list(struct db *db, long long **out, size_t *n, struct kerr *e)
{
    struct dbsync_file_sum *f;
    size_t nf;
    *out = NULL;
    *n = 0;
    if (dbsync_file_sums(db, &f, &nf, e) != K_OK)
        return K_ERR;
    for (size_t i = 0; i < nf; i++)
        if (f[i].kept) {
            *out = kgrowarray(*out, *n, sizeof **out);
            (*out)[(*n)++] = f[i].fileseq;
        }
    free(f);
    return K_OK;
}

int dbsync_requeue(struct db *db, const struct dbsync_rec *recs, size_t n, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    for (size_t i = 0; i < n && rc == K_OK; i++) {
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "INSERT OR IGNORE INTO sync_log(txseq, hlc, changes)"
            " VALUES (:txseq, :hlc, :changes)",
            e);
        /* clang-format on */
        if (!st) {
            rc = K_ERR;
            break;
        }
        sqlite3_bind_int64(st, db_param(st, ":txseq"), recs[i].txseq);
        sqlite3_bind_int64(st, db_param(st, ":hlc"), recs[i].hlc);
        sqlite3_bind_blob64(st, db_param(st, ":changes"), recs[i].buf, recs[i].n, SQLITE_STATIC);
        rc = db_step_done(db, st, e);
    }
    if (rc == K_OK && (rc = db_commit(db, e)) == K_OK)
        return K_OK;
    db_rollback(db);
    return rc;
}

int dbsync_file_trim(struct db *db, long long upto, int sums, struct kerr *e)
{
    /* clang-format off */
    static const char *const sql[] = {
        "DELETE FROM sync_file"
        " WHERE fileseq <= :upto",
        "DELETE FROM sync_file_sum"
        " WHERE fileseq <= :upto",
    };
    /* clang-format on */
    for (size_t i = 0; i < (sums ? 2u : 1u); i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i], e);
        if (!st)
            return K_ERR;
        sqlite3_bind_int64(st, db_param(st, ":upto"), upto);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
}

int dbsync_file_cap(struct db *db, size_t total, struct kerr *e)
{
    /* The newest files first, each with the bytes kept up to it. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "DELETE FROM sync_file"
        " WHERE fileseq IN ("
        "   SELECT fileseq"
        "   FROM (SELECT fileseq,"
        "                sum(length(body)) OVER (ORDER BY fileseq DESC) AS upto"
        "         FROM sync_file)"
        "   WHERE upto > :total)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":total"), (sqlite3_int64)total);
    return db_step_done(db, st, e);
}

int dbsync_fileseq(struct db *db, long long *out, struct kerr *e)
{
    *out = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT fileseq"
        " FROM sync_self"
        " WHERE id = 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}
