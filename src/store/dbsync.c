#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbhistory.h"
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

static void schema_free(struct db_sync *s)
{
    for (int i = 0; i < s->nt; i++) {
        for (int c = 0; c < s->t[i].ncol; c++) {
            free(s->t[i].col[c].name);
            free(s->t[i].col[c].pcol);
        }
        free(s->t[i].col);
        free(s->t[i].name);
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
    schema_free(s);
    free(s);
    db->sync = NULL;
}

static struct db_sync *state(struct db *db)
{
    if (!db->sync)
        db->sync = kcalloc(1, sizeof *db->sync);
    return db->sync;
}

static int table_index(const struct db_sync *s, const char *name)
{
    for (int i = 0; i < s->nt; i++)
        if (!strcmp(s->t[i].name, name))
            return i;
    return -1;
}

static int col_index(const struct stable *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (!strcmp(t->col[i].name, name))
            return i;
    return -1;
}

static int load_columns(struct db *db, struct stable *t)
{
    char *sql =
        sqlite3_mprintf("SELECT name, pk, upper(type) FROM pragma_table_info('%q')", t->name);
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
    t->id = col_index(t, "id");
    t->key = npk == 1 && intpk >= 0 && t->id >= 0 ? intpk : -1;
    return 0;
}

static void load_keys(struct db *db, struct db_sync *s, struct stable *t)
{
    char *sql = sqlite3_mprintf(
        "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('%q')",
        t->name);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int p = table_index(s, (const char *)sqlite3_column_text(st, 0));
        int c = col_index(t, (const char *)sqlite3_column_text(st, 1));
        if (p < 0 || c < 0)
            continue;
        const struct stable *pt = &s->t[p];
        const char *to = (const char *)sqlite3_column_text(st, 2);
        int pc = to ? col_index(pt, to) : pt->key;
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
static int schema(struct db *db, struct kerr *e)
{
    struct db_sync *s = state(db);
    if (s->loaded)
        return K_OK;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid", -1,
                           &st, NULL) != SQLITE_OK)
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
            schema_free(s);
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
    sqlite3_stmt *st = db_stmt(db, "SELECT replica FROM sync_self WHERE id = 1", e);
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
    sqlite3_stmt *st = db_stmt(db, "SELECT dir FROM sync_self WHERE id = 1", NULL);
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
        " RETURNING hlc, txseq", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, 1, now_ms() << 16);
    sqlite3_bind_int(st, 2, txseq ? 1 : 0);
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

/* ---- the clock of each row ---- */

struct stamp {
    sqlite3_int64 hlc;
    char rep[DBSYNC_ID_LEN + 1];
};

static int stamp_cmp(const struct stamp *a, const struct stamp *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    return strcmp(a->rep, b->rep);
}

/* sync_clock's row for one row of the journal: alive or deleted, its
 * stamp (of its insert or delete) and the stamps of columns changed since,
 * as "column:hlc:replica;" entries. */
struct clock {
    int found;
    int alive;
    struct stamp row;
    char *cols;
    /* A deleted row's last values (put_val each, ids for keys): what an
     * insert of the same row made before one of its changes merges
     * with. */
    void *data;
    int ndata;
};

static int clock_get(struct db *db, const char *table, const char *pk, struct clock *c,
                     struct kerr *e)
{
    memset(c, 0, sizeof *c);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT alive, hlc, rep, cols, data FROM sync_clock"
        " WHERE tbl = :tbl AND pk = :pk", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, table);
    db_bind_text(st, 2, pk);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        c->found = 1;
        c->alive = sqlite3_column_int(st, 0);
        c->row.hlc = sqlite3_column_int64(st, 1);
        snprintf(c->row.rep, sizeof c->row.rep, "%s", (const char *)sqlite3_column_text(st, 2));
        c->cols = db_col_text(st, 3);
        c->ndata = sqlite3_column_bytes(st, 4);
        if (c->ndata) {
            c->data = kmalloc((size_t)c->ndata);
            memcpy(c->data, sqlite3_column_blob(st, 4), (size_t)c->ndata);
        }
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync clock");
    return K_OK;
}

static void clock_clear(struct clock *c)
{
    free(c->data);
    free(c->cols);
    memset(c, 0, sizeof *c);
}

/* The stamp of column i: its own, else the row's. */
static struct stamp col_stamp(const struct clock *c, int i)
{
    struct stamp s = c->row;
    for (const char *p = c->cols; p && *p;) {
        char *end;
        long col = strtol(p, &end, 10);
        if (*end != ':')
            break;
        sqlite3_int64 h = strtoll(end + 1, &end, 10);
        if (*end != ':')
            break;
        const char *rep = end + 1, *semi = strchr(rep, ';');
        if (!semi)
            break;
        if (col == i) {
            s.hlc = h;
            snprintf(s.rep, sizeof s.rep, "%.*s", (int)(semi - rep), rep);
        }
        p = semi + 1;
    }
    return s;
}

/* The latest stamp of any of the row's columns. */
static struct stamp max_stamp(const struct clock *c, int ncol)
{
    struct stamp m = c->row;
    for (int i = 0; i < ncol; i++) {
        struct stamp s = col_stamp(c, i);
        if (stamp_cmp(&s, &m) > 0)
            m = s;
    }
    return m;
}

/* When the row was last deleted before it was made again (entry -1 of
 * cols), or zero. */
static struct stamp deleted_at(const struct clock *c)
{
    struct stamp s = {0, ""};
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (!strncmp(p, "-1:", 3)) {
            char *end;
            s.hlc = strtoll(p + 3, &end, 10);
            if (*end == ':')
                snprintf(s.rep, sizeof s.rep, "%.*s", (int)(semi - end - 1), end + 1);
        }
        p = semi + 1;
    }
    return s;
}

static void set_col(struct clock *c, int i, const struct stamp *s)
{
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (strtol(p, NULL, 10) != i)
            sbuf_addn(&b, p, (size_t)(semi - p + 1));
        p = semi + 1;
    }
    sbuf_printf(&b, "%d:%lld:%s;", i, (long long)s->hlc, s->rep);
    free(c->cols);
    c->cols = sbuf_take(&b);
}

static int clock_put(struct db *db, const char *table, const char *pk, const struct clock *c,
                     struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_clock(tbl, pk, alive, hlc, rep, cols, data)"
        " VALUES (:tbl, :pk, :alive, :hlc, :rep, :cols, :data)", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, table);
    db_bind_text(st, 2, pk);
    sqlite3_bind_int(st, 3, c->alive);
    sqlite3_bind_int64(st, 4, c->row.hlc);
    db_bind_text(st, 5, c->row.rep);
    db_bind_text(st, 6, c->cols && *c->cols ? c->cols : NULL);
    if (!c->alive && c->ndata)
        sqlite3_bind_blob(st, 7, c->data, c->ndata, SQLITE_STATIC);
    return db_step_done(db, st, e);
}

/* The row deleted at stamp s with values v: every column keeps the stamp
 * of its value, the row the delete's. */
static void bury(struct clock *c, int ncol, const struct val *v, const struct stamp *s)
{
    struct sbuf b = {0};
    for (int i = 0; i < ncol; i++) {
        struct stamp cs = col_stamp(c, i);
        set_col(c, i, &cs);
        dbsync_put_val(&b, &v[i]);
    }
    free(c->data);
    c->data = b.s;
    c->ndata = (int)b.len;
    c->alive = 0;
    c->row = *s;
}

/* ---- capture ---- */

static int sync_table_filter(void *ud, const char *table)
{
    (void)ud;
    return dbsync_synced(table);
}

void dbsync_tx_begin(struct db *db)
{
    struct db_sync *s = state(db);
    char rep[DBSYNC_ID_LEN + 1];
    if (s->applying || s->sess)
        return;
    if (dbsync_replica(db, rep, NULL) != K_OK || !rep[0])
        return; /* sync is off: nothing to keep */
    if (sqlite3session_create(db->h, "main", &s->sess) != SQLITE_OK) {
        s->sess = NULL;
        return;
    }
    sqlite3session_table_filter(s->sess, sync_table_filter, NULL);
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

/* Local keys to ids: those of rows deleted in the change come from the
 * change itself, the others from the journal. */
struct keymap {
    int table;
    sqlite3_int64 key;
    char *id;
};

struct keys {
    struct keymap *v;
    size_t n;
};

static void keys_free(struct keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i].id);
    free(k->v);
    memset(k, 0, sizeof *k);
}

static const char *key_id(struct db *db, const struct db_sync *s, struct keys *k, int table,
                          sqlite3_int64 key)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->v[i].table == table && k->v[i].key == key)
            return k->v[i].id;
    const struct stable *t = &s->t[table];
    char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" = ?1", t->col[t->id].name,
                                t->name, t->col[t->key].name);
    sqlite3_stmt *st = NULL;
    char *id = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, key);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = db_col_text(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    if (!id)
        return NULL;
    k->v = krealloc(k->v, (k->n + 1) * sizeof *k->v);
    k->v[k->n++] = (struct keymap){table, key, id};
    return id;
}

/* Replaces each local key among n values by its row's id. 0 when one has
 * no id (a row that is not there: the change is left out). */
static int to_ids(struct db *db, const struct db_sync *s, struct keys *k, const struct stable *t,
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
static int translate(struct db *db, const void *buf, int n, struct enc *x, struct kerr *e)
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
        int ti = table_index(s, name);
        if (op != SQLITE_DELETE || ti < 0 || s->t[ti].key < 0 || s->t[ti].key >= ncol ||
            s->t[ti].id >= ncol)
            continue;
        sqlite3_value *kv = NULL, *iv = NULL;
        sqlite3changeset_old(it, s->t[ti].key, &kv);
        sqlite3changeset_old(it, s->t[ti].id, &iv);
        if (kv && iv && sqlite3_value_type(iv) == SQLITE_TEXT) {
            k.v = krealloc(k.v, (k.n + 1) * sizeof *k.v);
            k.v[k.n++] = (struct keymap){ti, sqlite3_value_int64(kv),
                                         kstr_dup((const char *)sqlite3_value_text(iv))};
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
        int ti = table_index(s, name);
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
        if (to_ids(db, s, &k, t, ncol, old) && to_ids(db, s, &k, t, ncol, new))
            dbsync_put_row(x, t, ncol, op, old, new);
        free(old);
        free(new);
    }
    sqlite3changeset_finalize(it);
out:
    keys_free(&k);
    return rc;
}

/* Notes in sync_clock what a change of this replica (stamp s) did to each
 * row. */
static int stamp_change(struct db *db, const void *buf, size_t n, const struct stamp *s,
                        struct kerr *e)
{
    struct db_sync *ds = db->sync;
    sqlite3_changeset_iter *it = NULL;
    int rc = K_OK;
    if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
        return db_fail(db, e, "keeping the sync clock");
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = table_index(ds, name);
        if (ti < 0)
            continue;
        const struct stable *t = &ds->t[ti];
        struct val *pkv = kcalloc((size_t)ncol, sizeof *pkv);
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *v = NULL;
            if (op == SQLITE_INSERT)
                sqlite3changeset_new(it, i, &v);
            else
                sqlite3changeset_old(it, i, &v);
            pkv[i] = dbsync_val_of(v);
        }
        char *pk = dbsync_pk_text(t, ncol, pkv);
        struct clock c;
        if ((rc = clock_get(db, name, pk, &c, e)) == K_OK) {
            if (op == SQLITE_UPDATE) {
                c.alive = 1;
                for (int i = 0; i < ncol; i++) {
                    sqlite3_value *v = NULL;
                    if (sqlite3changeset_new(it, i, &v) == SQLITE_OK && v)
                        set_col(&c, i, s);
                }
            } else if (op == SQLITE_DELETE) {
                bury(&c, ncol, pkv, s);
            } else {
                struct stamp was = c.found && !c.alive ? c.row : deleted_at(&c);
                free(c.cols);
                c.cols = NULL;
                c.alive = 1;
                c.row = *s;
                if (was.hlc)
                    set_col(&c, -1, &was);
            }
            rc = clock_put(db, name, pk, &c, e);
        }
        clock_clear(&c);
        free(pk);
        free(pkv);
    }
    sqlite3changeset_finalize(it);
    return rc;
}

/* Keeps a change of this replica's for the next sync. */
static int keep(struct db *db, const void *buf, size_t n, struct kerr *e)
{
    struct stamp s = {0, ""};
    sqlite3_int64 txseq = 0;
    if (dbsync_replica(db, s.rep, e) != K_OK || tick(db, &s.hlc, &txseq, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_log(txseq, hlc, changes) VALUES (:txseq, :hlc, :changes)", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, 1, txseq);
    sqlite3_bind_int64(st, 2, s.hlc);
    sqlite3_bind_blob(st, 3, buf, (int)n, SQLITE_STATIC);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    return stamp_change(db, buf, n, &s, e);
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
    /* The session stops here: what keep() writes is not a change to sync. */
    sqlite3session_delete(s->sess);
    s->sess = NULL;
    if (n > 0 && (rc = schema(db, e)) == K_OK) {
        struct enc x = {0};
        rc = translate(db, buf, n, &x, e);
        if (rc == K_OK && x.rows)
            rc = keep(db, x.b.s, x.b.len, e);
        sbuf_free(&x.b);
    }
    sqlite3_free(buf);
    return rc;
}

/* ---- turning sync on ---- */

/* Appends every row of table t as an INSERT (only rows with col = val when
 * col is not NULL). */
static int put_rows(struct db *db, struct enc *x, struct keys *k, const struct stable *t,
                    const char *col, const struct val *val, struct kerr *e)
{
    struct db_sync *s = db->sync;
    char *sql = col ? sqlite3_mprintf("SELECT * FROM \"%w\" WHERE \"%w\" = ?1", t->name, col)
                    : sqlite3_mprintf("SELECT * FROM \"%w\"", t->name);
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
        if (to_ids(db, s, k, t, t->ncol, v))
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

static void new_replica_id(char out[DBSYNC_ID_LEN + 1])
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

int dbsync_enable(struct db *db, const char *dir, char out[DBSYNC_ID_LEN + 1], struct kerr *e)
{
    struct enc x = {0};
    struct keys k = {0};
    int rc;
    new_replica_id(out);
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_self(id, replica, dir) VALUES (1, :replica, :dir)", e);
    /* clang-format on */
    if (!st) {
        rc = K_ERR;
        goto fail;
    }
    db_bind_text(st, 1, out);
    db_bind_text(st, 2, dir);
    if ((rc = db_step_done(db, st, e)) != K_OK || (rc = schema(db, e)) != K_OK)
        goto fail;
    /* What the journal held before sync is its first change: parents
     * before children (sqlite_schema's order). */
    for (int i = 0; i < db->sync->nt && rc == K_OK; i++)
        rc = put_rows(db, &x, &k, &db->sync->t[i], NULL, NULL, e);
    if (rc == K_OK && x.rows)
        rc = keep(db, x.b.s, x.b.len, e);
    if (rc != K_OK)
        goto fail;
    rc = db_commit(db, e);
    if (rc == K_OK)
        goto out;
fail:
    db_rollback(db);
    out[0] = 0;
out:
    sbuf_free(&x.b);
    keys_free(&k);
    return rc;
}

/* ---- the log of this replica's changes ---- */

int dbsync_unsent(struct db *db, dbsync_rec_cb cb, void *ud, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT txseq, hlc, changes FROM sync_log ORDER BY txseq", e);
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

int dbsync_sent(struct db *db, long long fileseq, long long txseq, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sync_log WHERE txseq <= :txseq", e);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, txseq);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    st = db_stmt(db, "UPDATE sync_self SET fileseq = :fileseq WHERE id = 1", e);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, fileseq);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK)
        goto fail;
    return K_OK;
fail:
    db_rollback(db);
    return K_ERR;
}

int dbsync_fileseq(struct db *db, long long *out, struct kerr *e)
{
    *out = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT fileseq FROM sync_self WHERE id = 1", e);
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

/* ---- apply ---- */

struct skip {
    int table;
    char *col;
    char *val;
};

struct ap {
    struct db *db;
    struct db_sync *s;
    const char *replica;
    struct stamp st; /* of the record being applied */
    struct dbsync_applied *out;
    char **kept; /* ids of contacts kept against this record's delete */
    size_t nkept;
    struct skip *skip; /* deletes left out with them */
    size_t nskip;
    int *retry; /* indexes of changes whose parent was not there yet */
    size_t nretry;
    int unparking; /* applying parked changes again */
    int still;     /* the parked change still names a row that is not here */
};

static int is_kept(const struct ap *a, const struct val *v)
{
    for (size_t i = 0; i < a->nkept; i++)
        if (v->type == SQLITE_TEXT && (size_t)v->n == strlen(a->kept[i]) &&
            !memcmp(v->p, a->kept[i], (size_t)v->n))
            return 1;
    return 0;
}

static int is_contact(const struct stable *t)
{
    return !strcmp(t->name, "contact") && col_index(t, "archived") >= 0;
}

/* The contact a row belongs to (its id in out), for a conflict's entity. */
static void owner(const struct stable *t, const struct db_sync *s, int ncol, const struct val *v,
                  char out[KID_LEN + 1], char *entity, size_t n)
{
    out[0] = 0;
    snprintf(entity, n, "%s", t->name);
    for (int i = 0; i < ncol && !out[0]; i++) {
        /* A contact's own rows carry its id as their key on the wire. */
        int self = is_contact(t) && (i == t->id || i == t->key);
        int p = self ? (int)(t - s->t) : t->col[i].parent;
        if (p < 0 || !is_contact(&s->t[p]) || v[i].type != SQLITE_TEXT)
            continue;
        snprintf(out, KID_LEN + 1, "%.*s", v[i].n, (const char *)v[i].p);
        snprintf(entity, n, "contact");
    }
    if (!out[0] && t->id >= 0 && t->id < ncol && v[t->id].type == SQLITE_TEXT)
        snprintf(out, KID_LEN + 1, "%.*s", v[t->id].n, (const char *)v[t->id].p);
}

static int conflict(struct ap *a, const struct stable *t, int ncol, const struct val *ids,
                    const char *field, char *kept, char *other, const char *rule, struct kerr *e)
{
    struct kconflict c;
    char entity[64], f[128];
    memset(&c, 0, sizeof c);
    owner(t, a->s, ncol, ids, c.entity_id, entity, sizeof entity);
    if (!strcmp(entity, "contact") && !is_contact(t))
        snprintf(f, sizeof f, "%s.%s", t->name, field);
    else
        snprintf(f, sizeof f, "%s", field);
    c.source = (char *)"sync";
    c.place = (char *)a->replica;
    c.entity = entity;
    c.field = f;
    c.kept = kept;
    c.other = other;
    c.rule = (char *)rule;
    int rc = dbconflict_add(a->db, &c, e);
    free(kept);
    free(other);
    if (rc == K_OK)
        a->out->conflicts++;
    return rc;
}

/* Local key for an id (0 and *found = 0 when no such row). */
static sqlite3_int64 local_key(struct db *db, const struct stable *t, const struct val *id,
                               int *found)
{
    char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" = ?1", t->col[t->key].name,
                                t->name, t->col[t->id].name);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 k = 0;
    *found = 0;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK) {
        dbsync_val_bind(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            k = sqlite3_column_int64(st, 0);
            *found = 1;
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return k;
}

/* Values with ids turned back into this journal's keys. 0 when a row
 * referred to is not here. */
static int to_keys(struct ap *a, const struct stable *t, int ncol, const struct val *in,
                   struct val *out)
{
    for (int i = 0; i < ncol; i++) {
        out[i] = in[i];
        int ref = t->col[i].lkey;
        if (i == t->key || ref < 0 || in[i].type != SQLITE_TEXT)
            continue;
        int found;
        out[i].type = SQLITE_INTEGER;
        out[i].i = local_key(a->db, &a->s->t[ref], &in[i], &found);
        if (!found)
            return 0;
    }
    return 1;
}

/* The WHERE clause naming a row, its parameters from ?first on. */
static void where_pk(struct sbuf *b, const struct stable *t, int ncol, int first)
{
    int n = 0;
    sbuf_add(b, " WHERE ");
    if (t->key >= 0) {
        sbuf_printf(b, "\"%s\" = ?%d", t->col[t->id].name, first);
        return;
    }
    for (int i = 0; i < ncol; i++) {
        if (!t->col[i].pk)
            continue;
        sbuf_printf(b, "%s\"%s\" = ?%d", n ? " AND " : "", t->col[i].name, first + n);
        n++;
    }
}

static void bind_pk(sqlite3_stmt *st, const struct stable *t, int ncol, const struct val *wire,
                    const struct val *local, int first)
{
    if (t->key >= 0) {
        dbsync_val_bind(st, first, &wire[t->key]);
        return;
    }
    for (int i = 0, n = 0; i < ncol; i++)
        if (t->col[i].pk)
            dbsync_val_bind(st, first + n++, &local[i]);
}

/* The row as it is in the journal, into r (r->n = 0 when not there). */
static int read_row(struct ap *a, const struct stable *t, int ncol, const struct val *wire,
                    const struct val *local, struct row *r, struct kerr *e)
{
    struct sbuf b = {0};
    sbuf_add(&b, "SELECT ");
    for (int i = 0; i < t->ncol; i++)
        sbuf_printf(&b, "%s\"%s\"", i ? ", " : "", t->col[i].name);
    sbuf_printf(&b, " FROM \"%s\"", t->name);
    where_pk(&b, t, ncol, 1);
    sqlite3_stmt *st = NULL;
    int rc = K_OK;
    memset(r, 0, sizeof *r);
    if (sqlite3_prepare_v2(a->db->h, b.s, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(a->db, e, "applying a change");
    } else {
        bind_pk(st, t, ncol, wire, local, 1);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW)
            dbsync_row_take(r, st, t->ncol);
        else if (s != SQLITE_DONE)
            rc = db_fail(a->db, e, "applying a change");
    }
    sqlite3_finalize(st);
    sbuf_free(&b);
    return rc;
}

/* Runs built SQL; the SQLite result code. */
static int run_sql(struct ap *a, const char *sql, const struct val *bind, int nbind,
                   const struct stable *t, int ncol, const struct val *wire,
                   const struct val *local)
{
    sqlite3_stmt *st = NULL;
    int s = sqlite3_prepare_v2(a->db->h, sql, -1, &st, NULL);
    if (s == SQLITE_OK) {
        for (int i = 0; i < nbind; i++)
            dbsync_val_bind(st, i + 1, &bind[i]);
        if (t)
            bind_pk(st, t, ncol, wire, local, nbind + 1);
        s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            s = SQLITE_OK;
        else if (s != SQLITE_ROW)
            s = sqlite3_extended_errcode(a->db->h);
    }
    sqlite3_finalize(st);
    if (s == SQLITE_OK)
        a->out->changes++;
    return s;
}

static int insert_row(struct ap *a, const struct stable *t, int ncol, const struct val *local)
{
    struct sbuf b = {0}, v = {0};
    struct val *bind = kcalloc((size_t)ncol, sizeof *bind);
    int n = 0;
    sbuf_printf(&b, "INSERT INTO \"%s\" (", t->name);
    for (int i = 0; i < ncol; i++) {
        if (i == t->key)
            continue; /* this journal's own */
        sbuf_printf(&b, "%s\"%s\"", n ? ", " : "", t->col[i].name);
        sbuf_printf(&v, "%s?%d", n ? ", " : "", n + 1);
        bind[n++] = local[i];
    }
    sbuf_printf(&b, ") VALUES (%s)", v.s ? v.s : "");
    int s = run_sql(a, b.s, bind, n, NULL, 0, NULL, NULL);
    sbuf_free(&b);
    sbuf_free(&v);
    free(bind);
    return s;
}

/* Sets the columns marked in set to new values. */
static int update_row(struct ap *a, const struct stable *t, int ncol, const char *set,
                      const struct val *newv, const struct val *wire, const struct val *local)
{
    struct sbuf b = {0};
    struct val *bind = kcalloc((size_t)ncol, sizeof *bind);
    int n = 0;
    sbuf_printf(&b, "UPDATE \"%s\" SET ", t->name);
    for (int i = 0; i < ncol; i++) {
        if (!set[i])
            continue;
        sbuf_printf(&b, "%s\"%s\" = ?%d", n ? ", " : "", t->col[i].name, n + 1);
        bind[n++] = newv[i];
    }
    int s = SQLITE_OK;
    if (n) {
        where_pk(&b, t, ncol, n + 1);
        s = run_sql(a, b.s, bind, n, t, ncol, wire, local);
    }
    sbuf_free(&b);
    free(bind);
    return s;
}

/* Merges incoming values (an insert's or an update's) into the row r, per
 * column by stamp. *sq is SQLite's result of the update: a constraint
 * (a row it names is not here) leaves the row and its clock as they were
 * and lists nothing. */
static int merge(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                 const struct val *neww, const struct val *newl, const struct val *wire,
                 const struct val *local, const struct row *r, struct clock *c, int *sq,
                 struct kerr *e)
{
    char *set = kcalloc((size_t)ncol + 1, 1), *later = kcalloc((size_t)ncol + 1, 1);
    int rc = K_OK;
    for (int i = 0; i < ncol; i++) {
        if (t->col[i].pk || i == t->key || !neww[i].type)
            continue;
        struct stamp ls = c->found ? col_stamp(c, i) : (struct stamp){0, ""};
        later[i] = (char)(stamp_cmp(&a->st, &ls) > 0);
        set[i] = (char)(later[i] && !dbsync_val_same(&r->v[i], &newl[i]));
    }
    *sq = update_row(a, t, ncol, set, newl, wire, local);
    for (int i = 0; i < ncol && *sq == SQLITE_OK && rc == K_OK; i++) {
        if (t->col[i].pk || i == t->key || !neww[i].type)
            continue;
        if (later[i])
            set_col(c, i, &a->st);
        /* A conflict: both sides changed it, to different values. For an
         * update, this side changed it when it no longer holds the value
         * the other side started from; for an insert of a row this side
         * has too, whenever they differ. */
        int both = t->col[i].stamped && !dbsync_val_same(&r->v[i], &newl[i]) &&
                   (op == SQLITE_INSERT || (oldw[i].type && !dbsync_val_same(&r->v[i], &oldw[i])));
        if (both)
            rc = conflict(a, t, ncol, wire, t->col[i].name,
                          later[i] ? dbsync_val_str(&neww[i]) : dbsync_val_str(&r->v[i]),
                          later[i] ? dbsync_val_str(&r->v[i]) : dbsync_val_str(&neww[i]),
                          later[i] ? "the later change wins" : "this replica's later change wins",
                          e);
    }
    free(set);
    free(later);
    return rc;
}

/* What to do with a change SQLite refused (sq): a row it names may come
 * later in the record (retry), else it is left out and listed. */
/* Keeps a change that names a row deleted here: if that row comes back
 * (a contact kept against its delete, sent again by another replica), the
 * change is applied then; until then it is what the delete would have
 * done to it. */
/* An update of a row whose insert is parked goes into that insert, so
 * that the row comes with it (a thank-you moved to the contact another
 * was merged into, its first contact deleted here). 1 when it did. */
static int park_into(struct ap *a, const struct stable *t, int ncol, const char *pk,
                     const struct val *neww, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT id, hlc, changes FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk"
        " ORDER BY id DESC LIMIT 1", e);
    /* clang-format on */
    if (!st)
        return -1;
    db_bind_text(st, 1, t->name);
    db_bind_text(st, 2, pk);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_int64 id = sqlite3_column_int64(st, 0), hlc = sqlite3_column_int64(st, 1);
    int n = sqlite3_column_bytes(st, 2), done = 0;
    void *buf = kmalloc((size_t)n + 1);
    memcpy(buf, sqlite3_column_blob(st, 2), (size_t)n);
    sqlite3_reset(st);
    sqlite3_changeset_iter *it = NULL;
    struct enc x = {0};
    if (sqlite3changeset_start(&it, n, buf) == SQLITE_OK) {
        const char *name;
        int nc, op, ind;
        if (sqlite3changeset_next(it) == SQLITE_ROW &&
            (sqlite3changeset_op(it, &name, &nc, &op, &ind), op == SQLITE_INSERT) && nc == ncol) {
            struct val *v = kcalloc((size_t)ncol, sizeof *v);
            for (int i = 0; i < ncol; i++) {
                sqlite3_value *x0 = NULL;
                sqlite3changeset_new(it, i, &x0);
                v[i] = neww[i].type ? neww[i] : dbsync_val_of(x0);
            }
            dbsync_put_row(&x, t, ncol, SQLITE_INSERT, NULL, v);
            free(v);
            done = 1;
        }
        sqlite3changeset_finalize(it);
    }
    if (done) {
        /* clang-format off */
        st = db_stmt(a->db,
            "UPDATE sync_parked SET hlc = max(hlc, :hlc), changes = :changes WHERE id = :id", e);
        /* clang-format on */
        if (!st) {
            done = -1;
        } else {
            sqlite3_bind_int64(st, 1, a->st.hlc > hlc ? a->st.hlc : hlc);
            sqlite3_bind_blob(st, 2, x.b.s, (int)x.b.len, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, id);
            if (db_step_done(a->db, st, e) != K_OK)
                done = -1;
        }
    }
    sbuf_free(&x.b);
    free(buf);
    return done;
}

static int park(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                const struct val *neww, struct kerr *e)
{
    if (a->unparking) {
        a->still = 1;
        return K_OK;
    }
    char *pk = dbsync_pk_text(t, ncol, op == SQLITE_INSERT ? neww : oldw);
    int rc = K_ERR, into = op == SQLITE_UPDATE ? park_into(a, t, ncol, pk, neww, e) : 0;
    if (into) {
        free(pk);
        return into > 0 ? K_OK : K_ERR;
    }
    struct enc x = {0};
    dbsync_put_row(&x, t, ncol, op, oldw, neww);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "INSERT INTO sync_parked(replica, hlc, tbl, pk, changes)"
        " VALUES (:replica, :hlc, :tbl, :pk, :changes)", e);
    /* clang-format on */
    if (st) {
        db_bind_text(st, 1, a->replica);
        sqlite3_bind_int64(st, 2, a->st.hlc);
        db_bind_text(st, 3, t->name);
        db_bind_text(st, 4, pk);
        sqlite3_bind_blob(st, 5, x.b.s, (int)x.b.len, SQLITE_TRANSIENT);
        rc = db_step_done(a->db, st, e);
    }
    sbuf_free(&x.b);
    free(pk);
    return rc;
}

/* 1 when a row v names (ON DELETE CASCADE) is not here because it was
 * deleted later than this change: the delete took this row with it. */
static int cascaded(struct ap *a, const struct stable *t, int ncol, const struct val *v)
{
    for (int i = 0; i < ncol; i++) {
        const struct scol *c = &t->col[i];
        if (c->parent < 0 || c->setnull || v[i].type != SQLITE_TEXT)
            continue;
        const struct stable *p = &a->s->t[c->parent];
        /* Only a row named by its primary key has a clock (ids: contact,
         * interaction, referral). */
        if (strcmp(c->pcol, "id") || (p->key < 0 && !p->col[p->id].pk))
            continue;
        char *pk = kstr_ndup(v[i].p, (size_t)v[i].n);
        struct clock pc;
        /* Deleted later than this change, and not sent again since by a
         * replica that kept it (a contact kept against its delete): this
         * row went with it (1). A contact deleted later may still be sent
         * again: the change waits (2). */
        int gone = 0;
        if (clock_get(a->db, p->name, pk, &pc, NULL) == K_OK && pc.found) {
            struct stamp d = pc.alive ? deleted_at(&pc) : pc.row;
            if (stamp_cmp(&d, &a->st) > 0)
                gone = !pc.alive && is_contact(p) ? 2 : 1;
        }
        clock_clear(&pc);
        free(pk);
        if (gone)
            return gone;
    }
    return 0;
}

static int refused(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                   const struct val *neww, const struct val *wire, int sq, int last_try, int *retry,
                   struct kerr *e)
{
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY && !last_try) {
        *retry = 1;
        return K_OK;
    }
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY &&
        cascaded(a, t, ncol, op == SQLITE_INSERT ? neww : oldw) == 1)
        return K_OK; /* its row was deleted after it: gone with it, as there */
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY)
        return park(a, t, ncol, op, oldw, neww, e);
    if ((sq & 0xff) == SQLITE_CONSTRAINT)
        return conflict(a, t, ncol, wire, "row", NULL, kstr_dup("changed there"),
                        "it clashes with a row here: left out", e);
    return kerr_set(e, K_ERR, "cannot apply a change to %s from replica %s (%s)", t->name,
                    a->replica, sqlite3_errstr(sq));
}

static int delete_row(struct ap *a, const struct stable *t, int ncol, const struct val *wire,
                      const struct val *local, struct kerr *e)
{
    struct sbuf b = {0};
    sbuf_printf(&b, "DELETE FROM \"%s\"", t->name);
    where_pk(&b, t, ncol, 1);
    int s = run_sql(a, b.s, NULL, 0, t, ncol, wire, local);
    sbuf_free(&b);
    if (s != SQLITE_OK)
        return kerr_set(e, K_ERR, "cannot apply a delete in %s from replica %s (%s)", t->name,
                        a->replica, sqlite3_errstr(s));
    return K_OK;
}

static int skipped(const struct ap *a, const struct stable *t, int ncol, const struct val *v)
{
    int ti = (int)(t - a->s->t);
    for (size_t i = 0; i < a->nskip; i++) {
        if (a->skip[i].table != ti)
            continue;
        int c = col_index(t, a->skip[i].col);
        if (c >= 0 && c < ncol && v[c].type == SQLITE_TEXT &&
            (size_t)v[c].n == strlen(a->skip[i].val) &&
            !memcmp(v[c].p, a->skip[i].val, (size_t)v[c].n))
            return 1;
    }
    for (int i = 0; i < ncol; i++) {
        int p = t->col[i].parent;
        if (p >= 0 && is_contact(&a->s->t[p]) && is_kept(a, &v[i]))
            return 1;
    }
    return 0;
}

/* What a delete here would have done to values naming rows that are not
 * here: a foreign key ON DELETE SET NULL is set to NULL. 1 when one was. */
static int null_orphans(struct ap *a, const struct stable *t, int ncol, struct val *v, char *nulled)
{
    int n = 0;
    for (int i = 0; i < ncol; i++) {
        const struct scol *c = &t->col[i];
        if (!c->setnull || v[i].type == SQLITE_NULL || !v[i].type)
            continue;
        const struct stable *p = &a->s->t[c->parent];
        const char *by = c->lkey >= 0 ? p->col[p->id].name : c->pcol;
        char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" WHERE \"%w\" = ?1", p->name, by);
        sqlite3_stmt *st = NULL;
        int there = 1;
        if (sqlite3_prepare_v2(a->db->h, sql, -1, &st, NULL) == SQLITE_OK) {
            dbsync_val_bind(st, 1, &v[i]);
            there = sqlite3_step(st) == SQLITE_ROW;
        }
        sqlite3_finalize(st);
        sqlite3_free(sql);
        if (!there) {
            v[i].type = SQLITE_NULL;
            nulled[i] = 1;
            n++;
        }
    }
    return n;
}

/* Stores the row's clock after a change applied with values nulled (see
 * null_orphans): those columns get no stamp, and the change as it came is
 * parked until the rows it names are here again. */
static int settle_nulled(struct ap *a, const struct stable *t, int ncol, int op,
                         const struct val *oldw, const struct val *orig, const char *nulled,
                         int nnulled, const char *pk, struct clock *c, struct kerr *e)
{
    static const struct stamp none = {0, ""};
    int rc = K_OK;
    for (int i = 0; i < ncol && nnulled; i++) {
        struct stamp now = col_stamp(c, i);
        /* Only where the NULL was taken (a later value stays). */
        if (nulled[i] && !stamp_cmp(&now, &a->st))
            set_col(c, i, &none);
    }
    if (nnulled)
        rc = park(a, t, ncol, op, oldw, orig, e);
    if (rc == K_OK)
        rc = clock_put(a->db, t->name, pk, c, e);
    return rc;
}

/* An update of a row deleted here: its values go into what the delete
 * kept (for an insert of the row to come), by stamp as always. */
static void tomb_update(struct ap *a, int ncol, const struct val *neww, struct clock *c)
{
    struct val *v = kcalloc((size_t)ncol, sizeof *v);
    if (dbsync_get_vals(c->data, c->ndata, v, ncol)) {
        struct stamp row = c->row;
        for (int i = 0; i < ncol; i++) {
            struct stamp cs = col_stamp(c, i);
            if (neww[i].type && stamp_cmp(&a->st, &cs) > 0) {
                v[i] = neww[i];
                set_col(c, i, &a->st);
            }
        }
        void *old = c->data;
        c->data = NULL;
        bury(c, ncol, v, &row);
        free(old);
    }
    free(v);
}

/* One change of the record. *retry is set for an insert whose parent row is
 * not there (yet). */
static int apply_one(struct ap *a, sqlite3_changeset_iter *it, int last_try, int *retry,
                     struct kerr *e)
{
    const char *name;
    int ncol, op, ind, rc = K_OK;
    sqlite3changeset_op(it, &name, &ncol, &op, &ind);
    int ti = table_index(a->s, name);
    *retry = 0;
    if (ti < 0 || ncol > a->s->t[ti].ncol)
        return K_OK; /* not synced here */
    const struct stable *t = &a->s->t[ti];
    struct val *oldw = kcalloc((size_t)ncol, sizeof *oldw),
               *neww = kcalloc((size_t)ncol, sizeof *neww);
    struct val *wire = kcalloc((size_t)ncol, sizeof *wire),
               *local = kcalloc((size_t)ncol, sizeof *local);
    struct val *newl = kcalloc((size_t)ncol, sizeof *newl);
    struct val *orig = NULL, *tv = NULL;
    struct stamp *won = NULL;
    struct row r = {0};
    struct clock c = {0};
    char *pk = NULL, *nulled = NULL;
    int nnulled = 0;
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *v = NULL;
        if (op != SQLITE_INSERT && sqlite3changeset_old(it, i, &v) == SQLITE_OK)
            oldw[i] = dbsync_val_of(v);
        v = NULL;
        if (op != SQLITE_DELETE && sqlite3changeset_new(it, i, &v) == SQLITE_OK)
            neww[i] = dbsync_val_of(v);
        wire[i] = op == SQLITE_INSERT ? neww[i] : oldw[i];
    }
    pk = dbsync_pk_text(t, ncol, wire);
    int have = to_keys(a, t, ncol, wire, local);
    if ((rc = clock_get(a->db, t->name, pk, &c, e)) != K_OK)
        goto out;
    if (have && (rc = read_row(a, t, ncol, wire, local, &r, e)) != K_OK)
        goto out;
    if (op == SQLITE_DELETE) {
        /* Whether a row is there is the later of its insert and its
         * delete: a delete older than the insert that made the row here
         * (the same day ticked again) leaves it. */
        int older = c.found && stamp_cmp(&a->st, &c.row) < 0;
        int stays =
            older ||
            (r.n && (skipped(a, t, ncol, wire) || (is_contact(t) && is_kept(a, &wire[t->id]))));
        if (!stays) {
            /* The values as this replica last had them, with their
             * stamps: what a later insert of the row merges with. */
            struct keys k = {0};
            if (r.n && to_ids(a->db, a->s, &k, t, ncol, r.v))
                bury(&c, ncol, r.v, &a->st);
            else if (r.n || !c.found || !c.ndata)
                bury(&c, ncol, oldw, &a->st);
            c.alive = 0;
            c.row = a->st;
            keys_free(&k);
            if (r.n)
                rc = delete_row(a, t, ncol, wire, local, e);
            if (rc == K_OK)
                rc = clock_put(a->db, t->name, pk, &c, e);
        }
        goto out;
    }
    /* A contact kept against this record's delete keeps what named it. */
    for (int i = 0; op == SQLITE_UPDATE && a->nkept && i < ncol; i++) {
        int p = t->col[i].parent;
        if (p >= 0 && is_contact(&a->s->t[p]) && is_kept(a, &oldw[i]) &&
            neww[i].type == SQLITE_NULL)
            goto out;
    }
    /* An insert of a row deleted here, later than that delete (the same
     * day ticked again): a column changed later than the insert keeps
     * that change. */
    if (op == SQLITE_INSERT && !r.n && c.found && !c.alive && c.ndata &&
        stamp_cmp(&a->st, &c.row) > 0) {
        tv = kcalloc((size_t)ncol, sizeof *tv);
        won = kcalloc((size_t)ncol, sizeof *won);
        if (dbsync_get_vals(c.data, c.ndata, tv, ncol))
            for (int i = 0; i < ncol; i++) {
                struct stamp cs = col_stamp(&c, i);
                if (!t->col[i].pk && i != t->key && tv[i].type && stamp_cmp(&cs, &a->st) > 0) {
                    neww[i] = tv[i];
                    won[i] = cs;
                }
            }
    }
    /* Last try: a row named here was deleted here meanwhile. The value
     * is NULL (as that delete made it) with no stamp of its own, and the
     * change waits (parked) for the row to come back. */
    if (last_try) {
        orig = kcalloc((size_t)ncol, sizeof *orig);
        memcpy(orig, neww, (size_t)ncol * sizeof *orig);
        nulled = kcalloc((size_t)ncol + 1, 1);
        nnulled = null_orphans(a, t, ncol, neww, nulled);
    }
    int newok = to_keys(a, t, ncol, neww, newl);
    int sq = SQLITE_OK;
    if (op == SQLITE_UPDATE) {
        if (r.n && !newok)
            sq = SQLITE_CONSTRAINT_FOREIGNKEY;
        if (r.n && newok)
            rc = merge(a, t, ncol, op, oldw, neww, newl, wire, local, &r, &c, &sq, e);
        else if (!r.n && is_contact(t) && c.found && !c.alive)
            rc = conflict(a, t, ncol, wire, "contact", kstr_dup("deleted here"),
                          kstr_dup("edited there"),
                          stamp_cmp(&a->st, &c.row) > 0
                              ? "an edit later than the delete keeps the contact, archived: "
                                "the replica that kept it sends it again"
                              : "the delete is later than the edit",
                          e);
        if (rc == K_OK && !r.n && c.found && !c.alive && c.ndata) {
            tomb_update(a, ncol, neww, &c);
            rc = clock_put(a->db, t->name, pk, &c, e);
        } else if (rc == K_OK && !r.n && !c.found)
            /* A row not here yet: its insert is in a file of another
             * replica not applied yet. */
            rc = park(a, t, ncol, op, oldw, neww, e);
        if (rc == K_OK && sq != SQLITE_OK)
            rc = refused(a, t, ncol, op, oldw, neww, wire, sq, last_try, retry, e);
        else if (rc == K_OK && r.n)
            rc = settle_nulled(a, t, ncol, op, oldw, orig, nulled, nnulled, pk, &c, e);
        goto out;
    }
    /* An insert. */
    if (r.n) {
        if (!newok)
            sq = SQLITE_CONSTRAINT_FOREIGNKEY;
        else
            rc = merge(a, t, ncol, op, oldw, neww, newl, wire, local, &r, &c, &sq, e);
        /* The row is there as of this insert at least: a delete older
         * than it leaves it (each column keeps its own stamp). */
        if (rc == K_OK && sq == SQLITE_OK && stamp_cmp(&a->st, &c.row) > 0) {
            for (int i = 0; i < ncol; i++) {
                struct stamp cs = col_stamp(&c, i);
                set_col(&c, i, &cs);
            }
            c.row = a->st;
            c.alive = 1;
        }
        if (rc == K_OK && sq != SQLITE_OK)
            rc = refused(a, t, ncol, op, oldw, neww, wire, sq, last_try, retry, e);
        else if (rc == K_OK)
            rc = settle_nulled(a, t, ncol, op, oldw, orig, nulled, nnulled, pk, &c, e);
        goto out;
    }
    if (c.found && !c.alive && stamp_cmp(&c.row, &a->st) > 0) {
        /* Deleted later: its values still count for an insert to come. */
        if (c.ndata) {
            tomb_update(a, ncol, neww, &c);
            rc = clock_put(a->db, t->name, pk, &c, e);
        }
        goto out;
    }
    int cz = cascaded(a, t, ncol, neww);
    if (cz == 2)
        rc = park(a, t, ncol, op, oldw, neww, e);
    if (cz)
        goto out;
    sq = newok ? insert_row(a, t, ncol, newl) : SQLITE_CONSTRAINT_FOREIGNKEY;
    if (sq != SQLITE_OK) {
        rc = refused(a, t, ncol, op, oldw, neww, wire, sq, last_try, retry, e);
    } else {
        /* Sent again by a replica that kept it: as if never deleted. */
        struct stamp was = ind                   ? (struct stamp){0, ""}
                           : c.found && !c.alive ? c.row
                                                 : deleted_at(&c);
        free(c.cols);
        c.cols = NULL;
        c.alive = 1;
        c.row = a->st;
        if (was.hlc)
            set_col(&c, -1, &was);
        for (int i = 0; won && i < ncol; i++)
            if (won[i].hlc)
                set_col(&c, i, &won[i]);
        rc = settle_nulled(a, t, ncol, op, oldw, orig, nulled, nnulled, pk, &c, e);
    }
out:
    free(tv);
    free(won);
    free(orig);
    free(nulled);
    clock_clear(&c);
    dbsync_row_free(&r);
    free(pk);
    free(oldw);
    free(neww);
    free(wire);
    free(local);
    free(newl);
    return rc;
}

/* Moves m to the latest stamp of the rows that belong to the contact (id,
 * key): something logged with it later than its delete keeps it too. */
static void latest_below(struct ap *a, const struct val *id, sqlite3_int64 key, struct stamp *m)
{
    int ci = table_index(a->s, "contact");
    struct val keyv = {SQLITE_INTEGER, key, 0, NULL, 0};
    for (int ti = 0; ti < a->s->nt; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int c = 0; c < t->ncol; c++) {
            if (t->col[c].parent != ci || ti == ci)
                continue;
            char *sql =
                sqlite3_mprintf("SELECT * FROM \"%w\" WHERE \"%w\" = ?1", t->name, t->col[c].name);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(a->db->h, sql, -1, &st, NULL) == SQLITE_OK &&
                sqlite3_column_count(st) == t->ncol) {
                dbsync_val_bind(st, 1, t->col[c].lkey == ci ? &keyv : id);
                struct val *v = kcalloc((size_t)t->ncol, sizeof *v);
                struct keys k = {0};
                while (sqlite3_step(st) == SQLITE_ROW) {
                    for (int i = 0; i < t->ncol; i++)
                        v[i] = dbsync_val_col(st, i);
                    if (!to_ids(a->db, a->s, &k, t, t->ncol, v))
                        continue;
                    char *pk = dbsync_pk_text(t, t->ncol, v);
                    struct clock cl;
                    if (clock_get(a->db, t->name, pk, &cl, NULL) == K_OK && cl.found) {
                        struct stamp x = max_stamp(&cl, t->ncol);
                        if (stamp_cmp(&x, m) > 0)
                            *m = x;
                    }
                    clock_clear(&cl);
                    free(pk);
                }
                keys_free(&k);
                free(v);
            }
            sqlite3_finalize(st);
            sqlite3_free(sql);
        }
    }
}

/* The contacts this record deletes that were changed here later than the
 * delete: they stay. So do the rows that belong to them, and the rows those
 * name that the record deletes with them (an interaction with the contact
 * alone). */
static int plan_kept(struct ap *a, const void *buf, size_t n, struct kerr *e)
{
    sqlite3_changeset_iter *it = NULL;
    int rc = K_OK;
    for (int pass = 0; pass < 2 && rc == K_OK; pass++) {
        if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
            return kerr_set(e, K_ERR, "a changeset from replica %s is damaged", a->replica);
        while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
            const char *name;
            int ncol, op, ind;
            sqlite3changeset_op(it, &name, &ncol, &op, &ind);
            int ti = table_index(a->s, name);
            if (op != SQLITE_DELETE || ti < 0 || ncol > a->s->t[ti].ncol)
                continue;
            const struct stable *t = &a->s->t[ti];
            struct val *v = kcalloc((size_t)ncol, sizeof *v);
            for (int i = 0; i < ncol; i++) {
                sqlite3_value *x = NULL;
                sqlite3changeset_old(it, i, &x);
                v[i] = dbsync_val_of(x);
            }
            if (pass == 0 && is_contact(t) && t->id < ncol && v[t->id].type == SQLITE_TEXT) {
                char *pk = dbsync_pk_text(t, ncol, v);
                struct clock c;
                if ((rc = clock_get(a->db, t->name, pk, &c, e)) == K_OK && (!c.found || c.alive)) {
                    struct stamp m = c.found ? max_stamp(&c, ncol) : (struct stamp){0, ""};
                    int found;
                    sqlite3_int64 key = local_key(a->db, t, &v[t->id], &found);
                    if (found)
                        latest_below(a, &v[t->id], key, &m);
                    if (found && stamp_cmp(&m, &a->st) > 0) {
                        a->kept = krealloc(a->kept, (a->nkept + 1) * sizeof *a->kept);
                        a->kept[a->nkept++] = kstr_ndup(v[t->id].p, (size_t)v[t->id].n);
                    }
                }
                clock_clear(&c);
                free(pk);
            } else if (pass == 1 && skipped(a, t, ncol, v)) {
                for (int i = 0; i < ncol; i++) {
                    int p = t->col[i].parent;
                    if (p < 0 || is_contact(&a->s->t[p]) || v[i].type != SQLITE_TEXT)
                        continue;
                    a->skip = krealloc(a->skip, (a->nskip + 1) * sizeof *a->skip);
                    a->skip[a->nskip++] = (struct skip){p, kstr_dup(t->col[i].pcol),
                                                        kstr_ndup(v[i].p, (size_t)v[i].n)};
                }
            }
            free(v);
        }
        sqlite3changeset_finalize(it);
    }
    return rc;
}

/* A contact kept against a delete: archived, and sent again whole (with
 * what belongs to it) as a change of this replica's, so that the replica
 * that deleted it gets it back. */
static int keep_contact(struct ap *a, const char *id, struct kerr *e)
{
    struct db_sync *s = a->s;
    int ci = table_index(s, "contact");
    const struct stable *ct = &s->t[ci];
    struct enc x = {0};
    struct keys k = {0};
    struct val idv = dbsync_val_text(id);
    int rc = K_OK;
    x.indirect = 1;
    sqlite3_stmt *st = db_stmt(a->db, "UPDATE contact SET archived = 1 WHERE id = ?1", e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    if ((rc = db_step_done(a->db, st, e)) != K_OK)
        return rc;
    rc = put_rows(a->db, &x, &k, ct, ct->col[ct->id].name, &idv, e);
    int found;
    sqlite3_int64 key = ct->key >= 0 ? local_key(a->db, ct, &idv, &found) : 0;
    struct val keyv = {SQLITE_INTEGER, key, 0, NULL, 0};
    for (int i = 0; i < s->nt && rc == K_OK; i++) {
        const struct stable *t = &s->t[i];
        for (int c = 0; c < t->ncol && rc == K_OK; c++) {
            if (t->col[c].parent != ci)
                continue;
            const struct val *by = t->col[c].lkey == ci ? &keyv : &idv;
            rc = put_rows(a->db, &x, &k, t, t->col[c].name, by, e);
            /* The rows these name, one level up (an interaction). */
            for (int o = 0; o < t->ncol && rc == K_OK; o++) {
                int p = t->col[o].parent;
                if (o == c || p < 0 || p == ci)
                    continue;
                char *sql = sqlite3_mprintf("SELECT DISTINCT \"%w\" FROM \"%w\" WHERE \"%w\" = ?1",
                                            t->col[o].name, t->name, t->col[c].name);
                sqlite3_stmt *q = NULL;
                if (sqlite3_prepare_v2(a->db->h, sql, -1, &q, NULL) == SQLITE_OK) {
                    dbsync_val_bind(q, 1, by);
                    while (rc == K_OK && sqlite3_step(q) == SQLITE_ROW) {
                        struct val pv = dbsync_val_col(q, 0);
                        if (pv.type != SQLITE_NULL)
                            rc = put_rows(a->db, &x, &k, &s->t[p], t->col[o].pcol, &pv, e);
                    }
                }
                sqlite3_finalize(q);
                sqlite3_free(sql);
            }
        }
    }
    if (rc == K_OK && x.rows)
        rc = keep(a->db, x.b.s, x.b.len, e);
    if (rc == K_OK) {
        struct val *w = kcalloc((size_t)ct->ncol, sizeof *w);
        w[ct->id] = idv;
        rc = conflict(a, ct, ct->ncol, w, "contact", kstr_dup("kept, archived"),
                      kstr_dup("deleted there"),
                      "a change later than the delete keeps the contact, archived", e);
        free(w);
        a->out->kept++;
    }
    sbuf_free(&x.b);
    keys_free(&k);
    return rc;
}

/* Rows the record deleted or changed here by cascade (rows it does not
 * name: this replica's own, or ones it applied from a third) get the
 * record's stamp, as if the record had named them. */
static int stamp_cascades(struct ap *a, sqlite3_session *rec, struct kerr *e)
{
    int n = 0, rc = K_OK;
    void *buf = NULL;
    if (sqlite3session_changeset(rec, &n, &buf) != SQLITE_OK)
        return db_fail(a->db, e, "applying a change");
    struct enc x = {0};
    if (n > 0)
        rc = translate(a->db, buf, n, &x, e);
    sqlite3_free(buf);
    sqlite3_changeset_iter *it = NULL;
    if (rc != K_OK || !x.rows || sqlite3changeset_start(&it, (int)x.b.len, x.b.s) != SQLITE_OK) {
        sbuf_free(&x.b);
        return rc;
    }
    while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = table_index(a->s, name);
        if (ti < 0 || op == SQLITE_INSERT)
            continue;
        const struct stable *t = &a->s->t[ti];
        struct val *v = kcalloc((size_t)ncol, sizeof *v);
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *x0 = NULL;
            sqlite3changeset_old(it, i, &x0);
            v[i] = dbsync_val_of(x0);
        }
        char *pk = dbsync_pk_text(t, ncol, v);
        struct clock c;
        if ((rc = clock_get(a->db, name, pk, &c, e)) == K_OK) {
            int put = 0;
            if (op == SQLITE_DELETE && c.found && c.alive && stamp_cmp(&c.row, &a->st) > 0) {
                /* A row made later than the delete that took it with its
                 * parent (another replica logged it meanwhile): it waits,
                 * as there, for the parent to come back. */
                struct stamp was = a->st;
                const char *rep = a->replica;
                a->st = c.row;
                a->replica = c.row.rep;
                rc = park(a, t, ncol, SQLITE_INSERT, NULL, v, e);
                a->st = was;
                a->replica = rep;
            } else if (op == SQLITE_DELETE) {
                bury(&c, ncol, v, &a->st);
                put = 1;
            } else if (op == SQLITE_UPDATE) {
                for (int i = 0; i < ncol; i++) {
                    sqlite3_value *nv = NULL;
                    struct stamp cs = col_stamp(&c, i);
                    if (sqlite3changeset_new(it, i, &nv) == SQLITE_OK && nv &&
                        stamp_cmp(&a->st, &cs) > 0) {
                        set_col(&c, i, &a->st);
                        put = 1;
                    }
                }
            }
            if (put)
                rc = clock_put(a->db, name, pk, &c, e);
        }
        clock_clear(&c);
        free(pk);
        free(v);
    }
    sqlite3changeset_finalize(it);
    sbuf_free(&x.b);
    return rc;
}

static int apply_rec(struct ap *a, const struct dbsync_rec *r, struct kerr *e)
{
    sqlite3_changeset_iter *it = NULL;
    int rc;
    a->st.hlc = r->hlc;
    snprintf(a->st.rep, sizeof a->st.rep, "%s", a->replica);
    /* The clock moves past every stamp it has seen. */
    sqlite3_stmt *st = db_stmt(a->db, "UPDATE sync_self SET hlc = max(hlc, :hlc) WHERE id = 1", e);
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, 1, r->hlc);
    if ((rc = db_step_done(a->db, st, e)) != K_OK || (rc = plan_kept(a, r->buf, r->n, e)) != K_OK)
        return rc;
    /* What the record does here, deletes it cascades to included. */
    sqlite3_session *rec = NULL;
    if (sqlite3session_create(a->db->h, "main", &rec) != SQLITE_OK)
        rec = NULL;
    else if (sqlite3session_table_filter(rec, sync_table_filter, NULL),
             sqlite3session_attach(rec, NULL) != SQLITE_OK) {
        sqlite3session_delete(rec);
        rec = NULL;
    }
    /* Inserts and updates first, deletes last: a row the record moved
     * away from a row it deletes (a referral moved to the contact another
     * was merged into) must not go here, by cascade, with the row it left. */
    for (int pass = 0; pass < 3 && rc == K_OK; pass++) {
        size_t at = 0, ri = 0, nretry = a->nretry;
        if (pass == 1 && !nretry)
            continue;
        if (sqlite3changeset_start(&it, (int)r->n, (void *)r->buf) != SQLITE_OK) {
            rc = kerr_set(e, K_ERR, "a changeset from replica %s is damaged", a->replica);
            break;
        }
        while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
            int retry = 0;
            const char *tn;
            int tc, op, ind;
            sqlite3changeset_op(it, &tn, &tc, &op, &ind);
            if ((pass == 2) != (op == SQLITE_DELETE) ||
                (pass == 1 && (ri >= nretry || a->retry[ri] != (int)at))) {
                at++;
                continue;
            }
            if (pass == 1)
                ri++;
            rc = apply_one(a, it, pass == 1, &retry, e);
            if (retry) {
                a->retry = krealloc(a->retry, (a->nretry + 1) * sizeof *a->retry);
                a->retry[a->nretry++] = (int)at;
            }
            at++;
        }
        int fin = sqlite3changeset_finalize(it);
        if (rc == K_OK && fin != SQLITE_OK)
            rc = kerr_set(e, K_ERR, "a changeset from replica %s is damaged", a->replica);
    }
    if (rc == K_OK && rec)
        rc = stamp_cascades(a, rec, e);
    if (rec)
        sqlite3session_delete(rec);
    for (size_t i = 0; i < a->nkept && rc == K_OK; i++)
        rc = keep_contact(a, a->kept[i], e);
    for (size_t i = 0; i < a->nkept; i++)
        free(a->kept[i]);
    for (size_t i = 0; i < a->nskip; i++) {
        free(a->skip[i].col);
        free(a->skip[i].val);
    }
    free(a->kept);
    free(a->skip);
    free(a->retry);
    a->kept = NULL;
    a->skip = NULL;
    a->retry = NULL;
    a->nkept = a->nskip = a->nretry = 0;
    return rc;
}

/* Applies the parked changes again; those whose row is here now go. */
static int unpark(struct ap *a, struct kerr *e)
{
    struct parked {
        sqlite3_int64 id, hlc;
        char replica[DBSYNC_ID_LEN + 1];
        void *buf;
        int n;
    } *v = NULL;
    size_t n = 0;
    int rc = K_OK, s;
    sqlite3_stmt *st =
        db_stmt(a->db, "SELECT id, replica, hlc, changes FROM sync_parked ORDER BY id", e);
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        v = krealloc(v, (n + 1) * sizeof *v);
        v[n].id = sqlite3_column_int64(st, 0);
        snprintf(v[n].replica, sizeof v[n].replica, "%s", (const char *)sqlite3_column_text(st, 1));
        v[n].hlc = sqlite3_column_int64(st, 2);
        v[n].n = sqlite3_column_bytes(st, 3);
        v[n].buf = kmalloc((size_t)v[n].n + 1);
        memcpy(v[n].buf, sqlite3_column_blob(st, 3), (size_t)v[n].n);
        n++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        rc = db_fail(a->db, e, "reading the sync state");
    const char *was = a->replica;
    a->unparking = 1;
    for (size_t i = 0; i < n && rc == K_OK; i++) {
        sqlite3_changeset_iter *it = NULL;
        a->replica = v[i].replica;
        a->st.hlc = v[i].hlc;
        snprintf(a->st.rep, sizeof a->st.rep, "%s", v[i].replica);
        a->still = 0;
        if (sqlite3changeset_start(&it, v[i].n, v[i].buf) != SQLITE_OK)
            continue;
        while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
            int retry = 0;
            rc = apply_one(a, it, 1, &retry, e);
        }
        sqlite3changeset_finalize(it);
        if (rc == K_OK && !a->still) {
            st = db_stmt(a->db, "DELETE FROM sync_parked WHERE id = :id", e);
            if (!st) {
                rc = K_ERR;
                break;
            }
            sqlite3_bind_int64(st, 1, v[i].id);
            rc = db_step_done(a->db, st, e);
        }
    }
    a->unparking = 0;
    a->replica = was;
    for (size_t i = 0; i < n; i++)
        free(v[i].buf);
    free(v);
    return rc;
}

int dbsync_apply(struct db *db, const char *replica, long long fileseq, const char *at,
                 const struct dbsync_rec *recs, size_t n, struct dbsync_applied *out,
                 struct kerr *e)
{
    struct db_sync *s = state(db);
    struct ap a;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = schema(db, e)) != K_OK)
        return rc;
    memset(&a, 0, sizeof a);
    a.db = db;
    a.s = s;
    a.replica = replica;
    a.out = out;
    s->applying++;
    dbhistory_pause(db, 1);
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    for (size_t i = 0; i < n && rc == K_OK; i++)
        rc = apply_rec(&a, &recs[i], e);
    if (rc == K_OK)
        rc = unpark(&a, e);
    if (rc == K_OK) {
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "INSERT INTO sync_peer(replica, fileseq, seen, applied_at)"
            " VALUES (:replica, :fileseq, :seen, strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
            " ON CONFLICT (replica) DO UPDATE SET fileseq = excluded.fileseq,"
            "  seen = max(coalesce(seen, ''), coalesce(excluded.seen, '')),"
            "  applied_at = excluded.applied_at", e);
        /* clang-format on */
        if (!st) {
            rc = K_ERR;
        } else {
            db_bind_text(st, 1, replica);
            sqlite3_bind_int64(st, 2, fileseq);
            db_bind_text(st, 3, at);
            rc = db_step_done(db, st, e);
        }
    }
    if (rc == K_OK)
        rc = db_commit(db, e);
    if (rc != K_OK)
        db_rollback(db);
out:
    dbhistory_pause(db, 0);
    s->applying--;
    return rc;
}

/* ---- other replicas ---- */

int dbsync_peers(struct db *db, dbsync_peer_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT replica, fileseq, seen, applied_at FROM sync_peer ORDER BY replica", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct dbsync_peer p;
        memset(&p, 0, sizeof p);
        snprintf(p.replica, sizeof p.replica, "%s", (const char *)sqlite3_column_text(st, 0));
        p.fileseq = sqlite3_column_int64(st, 1);
        const unsigned char *seen = sqlite3_column_text(st, 2), *ap = sqlite3_column_text(st, 3);
        snprintf(p.seen, sizeof p.seen, "%s", seen ? (const char *)seen : "");
        snprintf(p.applied_at, sizeof p.applied_at, "%s", ap ? (const char *)ap : "");
        if (cb(&p, ud)) {
            s = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}

int dbsync_peer_fileseq(struct db *db, const char *replica, long long *out, struct kerr *e)
{
    *out = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT fileseq FROM sync_peer WHERE replica = :replica", e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, replica);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}

int dbsync_peer_seen(struct db *db, const char *replica, const char *at, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_peer(replica, fileseq, seen) VALUES (:replica, 0, :seen)"
        " ON CONFLICT (replica) DO UPDATE"
        "  SET seen = max(coalesce(seen, ''), excluded.seen)", e);
    /* clang-format on */
    if (!st) {
        db_rollback(db);
        return K_ERR;
    }
    db_bind_text(st, 1, replica);
    db_bind_text(st, 2, at);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK) {
        db_rollback(db);
        return K_ERR;
    }
    return K_OK;
}

/* ---- snapshots ---- */

int dbsync_empty(struct db *db, struct kerr *e)
{
    int rc = schema(db, e);
    if (rc != K_OK)
        return -1;
    for (int i = 0; i < db->sync->nt; i++) {
        char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" LIMIT 1", db->sync->t[i].name);
        sqlite3_stmt *st = NULL;
        int any = 0;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK)
            any = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        sqlite3_free(sql);
        if (any)
            return 0;
    }
    return 1;
}

static int backup(sqlite3 *to, sqlite3 *from)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return sqlite3_errcode(to);
    sqlite3_backup_step(b, -1);
    return sqlite3_backup_finish(b);
}

long long dbsync_snapshot_stamp(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long hlc = -1;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT hlc FROM sync_self WHERE id = 1", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        hlc = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return hlc;
}

int dbsync_adopt(struct db *db, const char *path, const char *dir, char out[DBSYNC_ID_LEN + 1],
                 struct kerr *e)
{
    sqlite3 *h = NULL;
    char origin[DBSYNC_ID_LEN + 1] = "";
    long long fileseq = 0;
    int rc = K_OK, paused = 0;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "cannot read the snapshot %s", path);
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT replica, fileseq FROM sync_self WHERE id = 1", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        rc = kerr_set(e, K_ERR, "%s is not a kith snapshot of this version", path);
        goto out;
    }
    snprintf(origin, sizeof origin, "%s", (const char *)sqlite3_column_text(st, 0));
    fileseq = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (backup(db->h, h) != SQLITE_OK) {
        rc = db_fail(db, e, "starting from the snapshot");
        goto out;
    }
    schema_free(state(db));
    new_replica_id(out);
    dbhistory_pause(db, 1);
    paused = 1;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    /* clang-format off */
    st = db_stmt(db,
        "UPDATE sync_self SET replica = :replica, dir = :dir, fileseq = 0, txseq = 0", e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, 1, out);
    db_bind_text(st, 2, dir);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    /* What was the other journal's own: its undo history, its changes
     * waiting for the folder (in the folder by now, or the snapshot would
     * not say they were applied), the conflicts it resolved, its vdir. */
    if (sqlite3_exec(db->h,
                     "DELETE FROM history; DELETE FROM sync_log; DELETE FROM sync_conflict;"
                     " DELETE FROM vdir_item",
                     NULL, NULL, NULL) != SQLITE_OK) {
        db_fail(db, e, "starting from the snapshot");
        goto fail;
    }
    /* clang-format off */
    st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_peer(replica, fileseq) VALUES (:replica, :fileseq)", e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, 1, origin);
    sqlite3_bind_int64(st, 2, fileseq);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK)
        goto fail;
    goto out;
fail:
    db_rollback(db);
    rc = K_ERR;
    out[0] = 0;
out:
    if (paused)
        dbhistory_pause(db, 0);
    sqlite3_close(h);
    return rc;
}

int dbsync_conflicts_news(struct db *db, long long *n, struct kerr *e)
{
    *n = 0;
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE sync_conflict SET shown = shown + 1"
        " WHERE source = 'sync' AND shown = 0", e);
    /* clang-format on */
    if (!st || db_step_done(db, st, e) != K_OK) {
        db_rollback(db);
        return K_ERR;
    }
    *n = sqlite3_changes(db->h);
    return db_commit(db, e);
}
