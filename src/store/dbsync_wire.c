/* kith's sync: values as a changeset holds them, and the session
 * extension's changeset format, written by hand for changes with ids in
 * place of local keys (dbsync_internal.h). */
#include "dbsync_internal.h"

#include <limits.h>
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

/* The stamps of many rows at once (dbsync_pack_add): a row of a second
 * table no journal has, sync_stamp_pack (reps, data), after the rows it
 * stamps, each of them in order. reps: the replicas its stamps name, each
 * followed by ';'. data: varints (7 bits a byte, low first): the number of
 * rows, then per row 0 (no stamps), 2k and k stamps (each the column + 1
 * zigzagged, 0 for '*'; the stamp's high 48 bits, its low 16; the index of
 * its replica), or 2n + 1 and n bytes of the entries as text (any the
 * stamps cannot say exactly). So the stamps of a row a journal sends as
 * sync is turned on take about 10 bytes, not the hundred of a sync_stamp
 * row (table name, key and entries as text), and read back the same. */
static struct scol pack_cols[] = {
    {(char *)"reps", 1, -1, -1, NULL, 0, 0},
    {(char *)"data", 0, -1, -1, NULL, 0, 0},
};
static const struct stable pack_table = {
    (char *)"sync_stamp_pack", 2, pack_cols, -1, -1, NULL, NULL};

static void put_uvar(struct sbuf *b, sqlite3_uint64 v)
{
    do {
        sbuf_addc(b, (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

static int get_uvar(const unsigned char *p, size_t n, size_t *at, sqlite3_uint64 *v)
{
    *v = 0;
    for (int shift = 0; *at < n && shift < 64; shift += 7) {
        unsigned char c = p[(*at)++];
        *v |= (sqlite3_uint64)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return 1;
    }
    return 0;
}

/* One entry of a stamps text ("*" or a column, ':', the stamp, ':', its
 * replica, ';') at p, into *col (INT_MIN for '*'), *hlc and the replica's
 * span; the text after it, or NULL. */
static const char *next_entry(const char *p, long *col, long long *hlc, const char **rep,
                              size_t *nrep)
{
    char *end;
    if (*p == '*') {
        *col = LONG_MIN;
        end = (char *)p + 1;
    } else {
        *col = strtol(p, &end, 10);
        if (end == p)
            return NULL;
    }
    if (*end != ':')
        return NULL;
    p = end + 1;
    *hlc = strtoll(p, &end, 10);
    if (end == p || *end != ':')
        return NULL;
    *rep = end + 1;
    const char *semi = strchr(*rep, ';');
    if (!semi || semi == *rep || memchr(*rep, ':', (size_t)(semi - *rep)))
        return NULL;
    *nrep = (size_t)(semi - *rep);
    return semi + 1;
}

/* A number as "%lld" writes it, at the end of out (n bytes there); the
 * new length. A journal's first change reads a million of them back,
 * which printf made a third of its reading. */
static size_t put_dec(char *out, size_t n, long long v)
{
    char tmp[24];
    int k = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[k++] = '-';
    while (k)
        out[n++] = tmp[--k];
    return n;
}

static void put_entry_text(struct sbuf *b, long col, long long hlc, const char *rep, size_t nrep)
{
    char s[64];
    size_t n = 0;
    if (col == LONG_MIN)
        s[n++] = '*';
    else
        n = put_dec(s, n, col);
    s[n++] = ':';
    n = put_dec(s, n, hlc);
    s[n++] = ':';
    sbuf_addn(b, s, n);
    sbuf_addn(b, rep, nrep);
    sbuf_addc(b, ';');
}

static size_t pack_rep(struct dbsync_pack *k, const char *rep, size_t n)
{
    for (size_t i = 0; i < k->nrep; i++)
        if (strlen(k->rep[i]) == n && !memcmp(k->rep[i], rep, n))
            return i;
    k->rep = kgrowarray(k->rep, k->nrep, sizeof *k->rep);
    k->rep[k->nrep] = kstr_ndup(rep, n);
    return k->nrep++;
}

void dbsync_pack_add(struct dbsync_pack *k, const char *cols)
{
    struct sbuf again = {0}, ent = {0};
    size_t nent = 0;
    const char *p = cols;
    k->n++;
    if (!cols || !*cols) {
        put_uvar(&k->data, 0);
        return;
    }
    while (p && *p) {
        long col;
        long long hlc;
        const char *rep;
        size_t nrep;
        if (!(p = next_entry(p, &col, &hlc, &rep, &nrep)))
            break;
        put_entry_text(&again, col, hlc, rep, nrep);
        sqlite3_int64 c = col;
        sqlite3_uint64 z =
            col == LONG_MIN ? 0 : ((sqlite3_uint64)c << 1 ^ (sqlite3_uint64)(c >> 63)) + 1;
        put_uvar(&ent, z);
        put_uvar(&ent, (sqlite3_uint64)hlc >> 16);
        put_uvar(&ent, (sqlite3_uint64)hlc & 0xffff);
        put_uvar(&ent, pack_rep(k, rep, nrep));
        nent++;
    }
    /* Only what reads back as it was: else the text itself. */
    if (p && again.s && !strcmp(again.s, cols)) {
        put_uvar(&k->data, (sqlite3_uint64)nent << 1);
        sbuf_addn(&k->data, ent.s, ent.len);
    } else {
        size_t n = strlen(cols);
        put_uvar(&k->data, (sqlite3_uint64)n << 1 | 1);
        sbuf_addn(&k->data, cols, n);
    }
    sbuf_free(&again);
    sbuf_free(&ent);
}

void dbsync_pack_put(struct enc *x, struct dbsync_pack *k)
{
    struct sbuf reps = {0}, data = {0};
    sbuf_addn(&reps, "", 0);
    for (size_t i = 0; i < k->nrep; i++) {
        sbuf_add(&reps, k->rep[i]);
        sbuf_addc(&reps, ';');
    }
    put_uvar(&data, k->n);
    sbuf_addn(&data, k->data.s ? k->data.s : "", k->data.len);
    struct val v[2] = {dbsync_val_text(reps.s), {SQLITE_BLOB, 0, 0, data.s, (int)data.len}};
    size_t rows = x->rows;
    if (k->n)
        dbsync_put_row(x, &pack_table, 2, SQLITE_INSERT, NULL, v);
    x->rows = rows; /* not a row of the journal */
    sbuf_free(&reps);
    sbuf_free(&data);
    dbsync_pack_free(k);
}

void dbsync_pack_free(struct dbsync_pack *k)
{
    for (size_t i = 0; i < k->nrep; i++)
        free(k->rep[i]);
    free(k->rep);
    sbuf_free(&k->data);
    memset(k, 0, sizeof *k);
}

/* A row's identity (dbsync_pk_text) from its change: the key columns the
 * change's table header flags. */
static char *iter_pk_text(sqlite3_changeset_iter *it, int op)
{
    unsigned char *flags = NULL;
    int ncol = 0;
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    if (sqlite3changeset_pk(it, &flags, &ncol) != SQLITE_OK)
        return sbuf_take(&b);
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *x = NULL;
        if (!flags[i])
            continue;
        if (b.len)
            sbuf_addc(&b, '\x1f');
        if (op == SQLITE_INSERT)
            sqlite3changeset_new(it, i, &x);
        else
            sqlite3changeset_old(it, i, &x);
        struct val v = dbsync_val_of(x);
        if (v.type == SQLITE_INTEGER)
            sbuf_printf(&b, "i%lld", (long long)v.i);
        else if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB)
            sbuf_addn(&b, v.p, (size_t)v.n);
    }
    return sbuf_take(&b);
}

static void stamps_add(struct dbsync_stamps *out, char *tbl, char *pk, char *cols)
{
    out->v = kgrowarray(out->v, out->n, sizeof *out->v);
    out->v[out->n] = (struct dbsync_stamp_row){tbl, pk, cols, out->n};
    out->n++;
}

/* The stamps of one pack (data, n bytes; reps its replicas) for the rows
 * rows (table, key), nrow of them; nothing when they do not match. */
static void pack_read(struct dbsync_stamps *out, const char *reps, const unsigned char *data,
                      size_t n, struct dbsync_stamp_row *rows, size_t nrow)
{
    const char **rep = NULL;
    size_t nrep = 0, at = 0;
    struct dbsync_stamps got = {0};
    sqlite3_uint64 count;
    for (const char *p = reps, *semi; p && (semi = strchr(p, ';')); p = semi + 1) {
        rep = kgrowarray(rep, nrep, sizeof *rep);
        rep[nrep++] = p;
    }
    if (!get_uvar(data, n, &at, &count) || count != nrow)
        goto out;
    for (size_t r = 0; r < nrow; r++) {
        sqlite3_uint64 m;
        struct sbuf b = {0};
        if (!get_uvar(data, n, &at, &m))
            goto out;
        if (m & 1) {
            if ((m >> 1) > n - at)
                goto out;
            sbuf_addn(&b, (const char *)data + at, (size_t)(m >> 1));
            at += (size_t)(m >> 1);
        }
        for (sqlite3_uint64 i = 0; !(m & 1) && i < m >> 1; i++) {
            sqlite3_uint64 z, hi, lo, ri;
            if (!get_uvar(data, n, &at, &z) || !get_uvar(data, n, &at, &hi) ||
                !get_uvar(data, n, &at, &lo) || !get_uvar(data, n, &at, &ri) || ri >= nrep) {
                sbuf_free(&b);
                goto out;
            }
            long col = z ? (long)((z - 1) >> 1 ^ -((z - 1) & 1)) : LONG_MIN;
            const char *semi = strchr(rep[ri], ';');
            put_entry_text(&b, col, (long long)(hi << 16 | lo), rep[ri], (size_t)(semi - rep[ri]));
        }
        if (b.s)
            stamps_add(&got, kstr_dup(rows[r].tbl), kstr_dup(rows[r].pk), sbuf_take(&b));
    }
    for (size_t i = 0; i < got.n; i++)
        stamps_add(out, got.v[i].tbl, got.v[i].pk, got.v[i].cols);
    free(got.v);
    got.v = NULL;
    got.n = 0;
out:
    dbsync_stamps_free(&got);
    free(rep);
}

/* A sync_stamp row's stamps into out; 0 when the iterator is not at one. */
static int stamp_row_read(sqlite3_changeset_iter *it, struct dbsync_stamps *out)
{
    const char *name;
    int ncol, op, ind;
    sqlite3changeset_op(it, &name, &ncol, &op, &ind);
    if (strcmp(name, stamp_table.name))
        return 0;
    sqlite3_value *v[3] = {NULL, NULL, NULL};
    for (int i = 0; op == SQLITE_INSERT && ncol == 3 && i < 3; i++)
        if (sqlite3changeset_new(it, i, &v[i]) != SQLITE_OK || !v[i] ||
            sqlite3_value_type(v[i]) != SQLITE_TEXT)
            v[0] = NULL;
    if (v[0] && v[1] && v[2])
        stamps_add(out, kstr_dup((const char *)sqlite3_value_text(v[0])),
                   kstr_ndup(sqlite3_value_blob(v[1]), (size_t)sqlite3_value_bytes(v[1])),
                   kstr_dup((const char *)sqlite3_value_text(v[2])));
    return 1;
}

/* The stamps of a change that holds packs: its sync_stamp rows', and its
 * packs' (pack_read), in the change's order. */
static void packs_read(const void *buf, int n, struct dbsync_stamps *out)
{
    sqlite3_changeset_iter *it = NULL;
    struct dbsync_stamps rows = {0};
    if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        if (stamp_row_read(it, out))
            continue;
        if (strcmp(name, pack_table.name)) {
            stamps_add(&rows, kstr_dup(name), iter_pk_text(it, op), NULL);
            continue;
        }
        sqlite3_value *r = NULL, *d = NULL;
        if (op == SQLITE_INSERT && ncol == 2 && sqlite3changeset_new(it, 0, &r) == SQLITE_OK &&
            sqlite3changeset_new(it, 1, &d) == SQLITE_OK && r && d &&
            sqlite3_value_type(r) == SQLITE_TEXT && sqlite3_value_type(d) == SQLITE_BLOB)
            pack_read(out, (const char *)sqlite3_value_text(r), sqlite3_value_blob(d),
                      (size_t)sqlite3_value_bytes(d), rows.v, rows.n);
        dbsync_stamps_free(&rows);
    }
    sqlite3changeset_finalize(it);
    dbsync_stamps_free(&rows);
}

void dbsync_stamps_read(const void *buf, int n, struct dbsync_stamps *out)
{
    sqlite3_changeset_iter *it = NULL;
    memset(out, 0, sizeof *out);
    if (!buf || n <= 0)
        return;
    /* Only a change with a pack (its table's header holds the name) needs
     * every row's key: not the others (a value that holds the name only
     * costs that). */
    if (memmem(buf, (size_t)n, pack_table.name, strlen(pack_table.name) + 1)) {
        packs_read(buf, n, out);
    } else if (sqlite3changeset_start(&it, n, (void *)buf) == SQLITE_OK) {
        while (sqlite3changeset_next(it) == SQLITE_ROW)
            stamp_row_read(it, out);
        sqlite3changeset_finalize(it);
    }
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
