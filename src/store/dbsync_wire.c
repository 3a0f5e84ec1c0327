/* kith's sync: values as a changeset holds them, and the session
 * extension's changeset format, written by hand for changes with ids in
 * place of local keys (dbsync_internal.h). */
#include "dbsync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct val dbsync_val_of(sqlite3_value *v)
{
    struct val r = {0};
    if (!v)
        return r;
    r.type = sqlite3_value_type(v);
    switch (r.type) {
    case SQLITE_INTEGER:
        r.i = sqlite3_value_int64(v);
        break;
    case SQLITE_FLOAT:
        r.f = sqlite3_value_double(v);
        break;
    case SQLITE_TEXT:
        r.p = sqlite3_value_text(v);
        r.n = sqlite3_value_bytes(v);
        break;
    case SQLITE_BLOB:
        r.p = sqlite3_value_blob(v);
        r.n = sqlite3_value_bytes(v);
        break;
    default:
        break;
    }
    return r;
}

struct val *dbsync_iter_row(sqlite3_changeset_iter *it, int ncol, int op)
{
    struct val *v = kcalloc((size_t)ncol, sizeof *v);
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *x = NULL;
        if (op == SQLITE_INSERT)
            sqlite3changeset_new(it, i, &x);
        else
            sqlite3changeset_old(it, i, &x);
        v[i] = dbsync_val_of(x);
    }
    return v;
}

struct val dbsync_val_col(sqlite3_stmt *st, int i)
{
    struct val r = {0};
    r.type = sqlite3_column_type(st, i);
    switch (r.type) {
    case SQLITE_INTEGER:
        r.i = sqlite3_column_int64(st, i);
        break;
    case SQLITE_FLOAT:
        r.f = sqlite3_column_double(st, i);
        break;
    case SQLITE_TEXT:
        r.p = sqlite3_column_text(st, i);
        r.n = sqlite3_column_bytes(st, i);
        break;
    case SQLITE_BLOB:
        r.p = sqlite3_column_blob(st, i);
        r.n = sqlite3_column_bytes(st, i);
        break;
    default:
        break;
    }
    return r;
}

struct val dbsync_val_text(const char *s)
{
    struct val r = {SQLITE_TEXT, 0, 0, s, (int)strlen(s)};
    return r;
}

int dbsync_val_same(const struct val *a, const struct val *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case SQLITE_INTEGER:
        return a->i == b->i;
    case SQLITE_FLOAT:
        return a->f == b->f;
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        return a->n == b->n && (a->n == 0 || !memcmp(a->p, b->p, (size_t)a->n));
    default:
        return 1;
    }
}

void dbsync_val_bind(sqlite3_stmt *st, int at, const struct val *v)
{
    switch (v->type) {
    case SQLITE_INTEGER:
        sqlite3_bind_int64(st, at, v->i);
        break;
    case SQLITE_FLOAT:
        sqlite3_bind_double(st, at, v->f);
        break;
    case SQLITE_TEXT:
        sqlite3_bind_text(st, at, v->p, v->n, SQLITE_TRANSIENT);
        break;
    case SQLITE_BLOB:
        sqlite3_bind_blob(st, at, v->p, v->n, SQLITE_TRANSIENT);
        break;
    default:
        sqlite3_bind_null(st, at);
        break;
    }
}

/* A value as text, for a conflict's message; NULL for NULL. */
char *dbsync_val_str(const struct val *v)
{
    switch (v->type) {
    case SQLITE_INTEGER: {
        char b[32];
        snprintf(b, sizeof b, "%lld", (long long)v->i);
        return kstr_dup(b);
    }
    case SQLITE_FLOAT: {
        char b[48];
        snprintf(b, sizeof b, "%g", v->f);
        return kstr_dup(b);
    }
    case SQLITE_TEXT:
        return kstr_ndup(v->p, (size_t)v->n);
    case SQLITE_BLOB:
        return kstr_dup("(binary)");
    default:
        return NULL;
    }
}

void dbsync_row_free(struct row *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->own[i]);
    free(r->own);
    free(r->v);
    memset(r, 0, sizeof *r);
}

void dbsync_row_take(struct row *r, sqlite3_stmt *st, int n)
{
    r->n = n;
    r->v = kcalloc((size_t)n, sizeof *r->v);
    r->own = kcalloc((size_t)n, sizeof *r->own);
    for (int i = 0; i < n; i++) {
        r->v[i] = dbsync_val_col(st, i);
        if (r->v[i].type == SQLITE_TEXT || r->v[i].type == SQLITE_BLOB) {
            r->own[i] = kmalloc((size_t)r->v[i].n + 1);
            if (r->v[i].n)
                memcpy(r->own[i], r->v[i].p, (size_t)r->v[i].n);
            r->own[i][r->v[i].n] = 0;
            r->v[i].p = r->own[i];
        }
    }
}

/* The session extension's changeset format (sqlite3session.c): per table
 * 'T', the column count, one primary-key flag per column and the name;
 * then per row the operation, the indirect flag and its values. */
static void put_varint(struct sbuf *b, sqlite3_uint64 v)
{
    unsigned char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (unsigned char)(v & 0x7f);
        v >>= 7;
    } while (v && n < 9);
    for (int i = n - 1; i >= 0; i--)
        sbuf_addc(b, (char)(tmp[i] | (i ? 0x80 : 0)));
}

static void put_u64(struct sbuf *b, sqlite3_uint64 v)
{
    for (int s = 56; s >= 0; s -= 8)
        sbuf_addc(b, (char)((v >> s) & 0xff));
}

void dbsync_put_val(struct sbuf *b, const struct val *v)
{
    sbuf_addc(b, (char)v->type);
    switch (v->type) {
    case SQLITE_INTEGER:
        put_u64(b, (sqlite3_uint64)v->i);
        break;
    case SQLITE_FLOAT: {
        sqlite3_uint64 u;
        memcpy(&u, &v->f, sizeof u);
        put_u64(b, u);
        break;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        put_varint(b, (sqlite3_uint64)v->n);
        sbuf_addn(b, v->p, (size_t)v->n);
        break;
    default:
        break;
    }
}

static void put_table(struct enc *x, const struct stable *t, int ncol)
{
    if (x->t == t)
        return;
    x->t = t;
    sbuf_addc(&x->b, 'T');
    put_varint(&x->b, (sqlite3_uint64)ncol);
    for (int i = 0; i < ncol; i++)
        sbuf_addc(&x->b, (char)(t->col[i].pk ? 1 : 0));
    sbuf_addn(&x->b, t->name, strlen(t->name) + 1);
}

/* One row: old values for DELETE and UPDATE, then new ones for INSERT and
 * UPDATE. */
void dbsync_put_row(struct enc *x, const struct stable *t, int ncol, int op, const struct val *old,
                    const struct val *new)
{
    put_table(x, t, ncol);
    sbuf_addc(&x->b, (char)op);
    sbuf_addc(&x->b, (char)x->indirect);
    if (op != SQLITE_INSERT)
        for (int i = 0; i < ncol; i++)
            dbsync_put_val(&x->b, &old[i]);
    if (op != SQLITE_DELETE)
        for (int i = 0; i < ncol; i++)
            dbsync_put_val(&x->b, &new[i]);
    x->rows++;
}

/* A row's identity across replicas: its table's primary key values (ids,
 * not local keys), each typed, joined by unit separators. */
char *dbsync_pk_text(const struct stable *t, int ncol, const struct val *v)
{
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    for (int i = 0; i < ncol; i++) {
        if (!t->col[i].pk)
            continue;
        if (b.len)
            sbuf_addc(&b, '\x1f');
        if (v[i].type == SQLITE_INTEGER)
            sbuf_printf(&b, "i%lld", (long long)v[i].i);
        else if (v[i].type == SQLITE_TEXT || v[i].type == SQLITE_BLOB)
            sbuf_addn(&b, v[i].p, (size_t)v[i].n);
    }
    return sbuf_take(&b);
}

/* Decodes n values put_val wrote; 0 when the data is not that. */
int dbsync_get_vals(const unsigned char *p, int len, struct val *v, int n)
{
    int at = 0;
    for (int i = 0; i < n; i++) {
        if (at >= len)
            return 0;
        memset(&v[i], 0, sizeof v[i]);
        v[i].type = p[at++];
        if (v[i].type == SQLITE_INTEGER || v[i].type == SQLITE_FLOAT) {
            if (len - at < 8)
                return 0;
            sqlite3_uint64 u = 0;
            for (int k = 0; k < 8; k++)
                u = u << 8 | p[at + k];
            at += 8;
            if (v[i].type == SQLITE_INTEGER)
                v[i].i = (sqlite3_int64)u;
            else
                memcpy(&v[i].f, &u, sizeof u);
        } else if (v[i].type == SQLITE_TEXT || v[i].type == SQLITE_BLOB) {
            sqlite3_uint64 m = 0;
            int k = 0;
            do {
                if (at >= len || k == 9)
                    return 0;
                m = m << 7 | (p[at] & 0x7f);
                k++;
            } while (p[at++] & 0x80);
            if (m > (sqlite3_uint64)(len - at))
                return 0;
            v[i].p = p + at;
            v[i].n = (int)m;
            at += (int)m;
        } else if (v[i].type != SQLITE_NULL && v[i].type != 0) {
            return 0;
        }
    }
    return 1;
}

/* sync_stamp, a table no journal has: an older kith leaves its rows out,
 * as it does any table it does not sync. */
static struct scol stamp_cols[] = {
    {(char *)"tbl", 1, -1, -1, NULL, 0, 0},
    {(char *)"pk", 1, -1, -1, NULL, 0, 0},
    {(char *)"cols", 0, -1, -1, NULL, 0, 0},
};
static const struct stable stamp_table = {(char *)"sync_stamp", 3, stamp_cols, -1, -1, NULL, NULL};

void dbsync_put_stamps(struct enc *x, const char *table, const char *pk, const char *cols)
{
    struct val v[3] = {dbsync_val_text(table), dbsync_val_text(pk), dbsync_val_text(cols)};
    size_t rows = x->rows;
    dbsync_put_row(x, &stamp_table, 3, SQLITE_INSERT, NULL, v);
    x->rows = rows; /* not a row of the journal */
}

int dbsync_is_stamps(const char *table)
{
    return !strcmp(table, stamp_table.name);
}

void dbsync_copy_row(struct enc *x, sqlite3_changeset_iter *it, const struct stable *t)
{
    const char *name;
    int ncol, op, ind, was = x->indirect;
    size_t rows = x->rows;
    sqlite3changeset_op(it, &name, &ncol, &op, &ind);
    if (!t)
        t = &stamp_table;
    if (ncol > t->ncol)
        return;
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
    x->indirect = ind;
    dbsync_put_row(x, t, ncol, op, old, new);
    x->indirect = was;
    if (t == &stamp_table)
        x->rows = rows; /* not a row of the journal */
    free(old);
    free(new);
}

static int cmp_stamp_row(const void *x, const void *y)
{
    const struct dbsync_stamp_row *a = x, *b = y;
    int c = strcmp(a->tbl, b->tbl);
    if (!c)
        c = strcmp(a->pk, b->pk);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

void dbsync_stamps_read(const void *buf, int n, struct dbsync_stamps *out)
{
    sqlite3_changeset_iter *it = NULL;
    memset(out, 0, sizeof *out);
    if (!buf || n <= 0 || sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        if (op != SQLITE_INSERT || ncol != 3 || strcmp(name, stamp_table.name))
            continue;
        sqlite3_value *v[3] = {NULL, NULL, NULL};
        for (int i = 0; i < 3; i++)
            if (sqlite3changeset_new(it, i, &v[i]) != SQLITE_OK || !v[i] ||
                sqlite3_value_type(v[i]) != SQLITE_TEXT)
                v[0] = NULL;
        if (!v[0])
            continue;
        out->v = krealloc(out->v, (out->n + 1) * sizeof *out->v);
        out->v[out->n].tbl = kstr_dup((const char *)sqlite3_value_text(v[0]));
        out->v[out->n].pk = kstr_ndup(sqlite3_value_blob(v[1]), (size_t)sqlite3_value_bytes(v[1]));
        out->v[out->n].cols = kstr_dup((const char *)sqlite3_value_text(v[2]));
        out->v[out->n].at = out->n;
        out->n++;
    }
    sqlite3changeset_finalize(it);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_stamp_row);
}

const char *dbsync_stamps_find(const struct dbsync_stamps *s, const char *table, const char *pk)
{
    size_t lo = 0, hi = s->n;
    /* The first entry not before (table, pk). */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->v[mid].tbl, table);
        if (!c)
            c = strcmp(s->v[mid].pk, pk);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && !strcmp(s->v[lo].tbl, table) && !strcmp(s->v[lo].pk, pk))
        return s->v[lo].cols;
    return NULL;
}

void dbsync_stamps_free(struct dbsync_stamps *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].tbl);
        free(s->v[i].pk);
        free(s->v[i].cols);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}
