/* The reminder evaluation's SQL functions and its table of ids: what the
 * rules' SQL (dbreminder.c) calls per row, in C. */
#include "db_internal.h"
#include "dbreminder_internal.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL functions ----------------------------------------------------- */

/* kith_rid(rule, subject, fired_on): a reminder's identity as 16 hex digits
 * (FNV-1a), so that its id is the same on every run. */
uint64_t dbremindfn_hash(const unsigned char *const *fields, int n)
{
    uint64_t h = 14695981039346656037ULL;
    for (int i = 0; i < n; i++) {
        for (const unsigned char *t = fields[i]; t && *t; t++) {
            h ^= *t;
            h *= 1099511628211ULL;
        }
        h ^= 0x1f; /* field separator: ("ab","c") differs from ("a","bc") */
        h *= 1099511628211ULL;
    }
    return h;
}

/* By hand: snprintf is a measurable part of reading tens of thousands of
 * reminders. out has KREMINDER_ID_LEN + 1 bytes. */
void dbremindfn_format(uint64_t h, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = KREMINDER_ID_LEN - 1; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[KREMINDER_ID_LEN] = '\0';
}

static void sql_rid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *f[3] = {NULL, NULL, NULL};
    char out[KREMINDER_ID_LEN + 1];
    for (int i = 0; i < argc && i < 3; i++)
        f[i] = sqlite3_value_text(argv[i]);
    dbremindfn_format(dbremindfn_hash(f, argc < 3 ? argc : 3), out);
    sqlite3_result_text(ctx, out, KREMINDER_ID_LEN, SQLITE_TRANSIENT);
}

static uint64_t rid_value(const unsigned char *t, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n && i < KREMINDER_ID_LEN; i++)
        v = v << 4 | (uint64_t)(t[i] <= '9' ? t[i] - '0' : t[i] - 'a' + 10);
    return v;
}

/* Where id v is, or would be, in the ids of the evaluation (sorted). */
size_t dbremindfn_place(struct db *db, uint64_t v)
{
    size_t lo = 0, hi = dbreminder_state(db)->nrids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dbreminder_state(db)->rids[mid].rid < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether another id than v, v at place lo, starts with v's 6 hex digits. */
int dbremindfn_shared(struct db *db, size_t lo, uint64_t v)
{
    size_t after =
        lo < dbreminder_state(db)->nrids && dbreminder_state(db)->rids[lo].rid == v ? lo + 1 : lo;
    return (lo > 0 && dbreminder_state(db)->rids[lo - 1].rid >> 40 == v >> 40) ||
           (after < dbreminder_state(db)->nrids &&
            dbreminder_state(db)->rids[after].rid >> 40 == v >> 40);
}

/* kith_sid(rid): the id shown for a reminder: its first 6 hex digits, or
 * 12 when another reminder's id starts with the same 6. A binary search in
 * the ids ensure_ids keeps sorted in dbreminder_state(db)->rids (a subquery into a table of
 * the ids per row was a sixth of reading 36k reminders). */
static void sql_sid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct db *db = sqlite3_user_data(ctx);
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    (void)argc;
    if (!t || n < 12) {
        sqlite3_result_null(ctx);
        return;
    }
    uint64_t v = rid_value(t, n);
    sqlite3_result_text(ctx, (const char *)t,
                        dbremindfn_shared(db, dbremindfn_place(db, v), v) ? 12 : 6,
                        SQLITE_TRANSIENT);
}

/* {referral} and {since}, made of the other fields: what a referral was
 * (its kind says more than "intro" when it was a job or a customer), and
 * what a silence counts from (a silence rule's kind column says). */
static void derived(const char *name, sqlite3_value **argv, struct sbuf *b)
{
    const char *target = (const char *)sqlite3_value_text(argv[3]);
    const char *kind = (const char *)sqlite3_value_text(argv[5]);
    if (!strcmp(name, "referral")) {
        if (!target)
            return;
        int person = kind && kind[0] == '@';
        if (person)
            kind++;
        if (!kind || !strcmp(kind, "intro") || !strcmp(kind, "referral"))
            sbuf_printf(b, "the intro to %s", target);
        else if (person)
            sbuf_printf(b, "the intro to %s (%s)", target, kind);
        else
            sbuf_printf(b, "the %s: %s", kind, target);
    } else if (kind && !strcmp(kind, "silence-met")) {
        sbuf_add(b, "since you met");
    } else if (kind && !strcmp(kind, "silence-added")) {
        sbuf_add(b, "since you added them");
    } else {
        sbuf_add(b, "since you last talked");
    }
}

/* kith_render(template, contact, referrer, target, days, kind, date): one
 * pass, so that a name containing "{date}" is not expanded again. */
static void sql_render(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    static const char *const names[] = {"contact", "referrer", "target", "days",
                                        "kind",    "date",     "since",  "referral"};
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    struct sbuf b = {0};
    (void)argc;
    for (const char *p = t ? t : ""; *p; p++) {
        if (*p != '{') {
            size_t n = strcspn(p, "{");
            sbuf_addn(&b, p, n);
            p += n - 1;
            continue;
        }
        const char *end = strchr(p, '}');
        size_t i = 0;
        while (end && i < 8 &&
               (strlen(names[i]) != (size_t)(end - p - 1) ||
                strncmp(p + 1, names[i], (size_t)(end - p - 1))))
            i++;
        if (!end || i == 8) {
            sbuf_addc(&b, *p);
            continue;
        }
        if (i >= 6) {
            derived(names[i], argv, &b);
        } else {
            const char *v = (const char *)sqlite3_value_text(argv[i + 1]);
            /* A silence's kind column carries what it counts from; a
             * referral's, whether its target is a contact. */
            if (i == 4 && v && !strncmp(v, "silence-", 8))
                v = NULL;
            else if (i == 4 && v && v[0] == '@')
                v++;
            sbuf_add(&b, v ? v : "");
        }
        p = end;
    }
    if (b.s)
        sqlite3_result_text(ctx, sbuf_take(&b), -1, free); /* SQLite frees it */
    else
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
}

/* kith_day(date): the day number of a YYYY-MM-DD text, NULL for anything
 * else; kith_date(day): the other way. */
static void sql_day(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *t = sqlite3_value_blob(argv[0]);
    int day;
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
        !kdate_parse_n(t, (size_t)sqlite3_value_bytes(argv[0]), &day))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int(ctx, day);
}

static void sql_date(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char buf[KDATE_BUF];
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, kdate_format(sqlite3_value_int(argv[0]), buf), 10,
                            SQLITE_TRANSIENT);
}

/* kith_next_birthday(birthday, today): the first birthday on or after today
 * as YYYY-MM-DD; 29 February falls on the 28th in other years. NULL when
 * the birthday is not MM-DD or YYYY-MM-DD. */
static void sql_next_birthday(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *b = (const char *)sqlite3_value_text(argv[0]);
    const char *t = (const char *)sqlite3_value_text(argv[1]);
    int today, m, d, y, tm, td;
    size_t n = b ? strlen(b) : 0;
    (void)argc;
    if (n < 5 || !t || kdate_parse_iso(t, &today, NULL) != K_OK ||
        sscanf(b + n - 5, "%2d-%2d", &m, &d) != 2 || m < 1 || m > 12 || d < 1 || d > 31) {
        sqlite3_result_null(ctx);
        return;
    }
    kdate_to_ymd(today, &y, &tm, &td);
    for (int k = 0; k < 2; k++, y++) {
        int dd = d;
        if (!kdate_valid_ymd(y, m, dd) && m == 2 && d == 29)
            dd = 28;
        if (!kdate_valid_ymd(y, m, dd))
            break;
        int day = kdate_from_ymd(y, m, dd);
        if (day >= today) {
            char buf[KDATE_BUF];
            sqlite3_result_text(ctx, kdate_format(day, buf), -1, SQLITE_TRANSIENT);
            return;
        }
    }
    sqlite3_result_null(ctx);
}

/* memcmp of two 10-byte dates, without a library call per row: the
 * first 8 bytes as one big-endian number, then the last 2. */
static int date_cmp(const char *a, const char *b)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    if (x != y) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        x = __builtin_bswap64(x);
        y = __builtin_bswap64(y);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
        return memcmp(a, b, 10);
#endif
        return x < y ? -1 : 1;
    }
    int d = (unsigned char)a[8] - (unsigned char)b[8];
    return d ? d : (unsigned char)a[9] - (unsigned char)b[9];
}

struct stat_acc {
    char last[10];
    int n;
    int inexact; /* the kind kept was cut short: the rules look again */
    size_t kind_len;
    char kind[64];
    char dir[8];
    sqlite3_int64 balance;
};

/* kith_stat(date, kind, direction) over one contact's interactions up to
 * the day in dbreminder_state(db)->today (one argument fewer to pass a million times):
 * "DATE|N|BALANCE|DIRECTION|KIND" with N (8 digits) the
 * interactions on the last DATE (0 when KIND had to be cut short), DIRECTION
 * and KIND one of them, and BALANCE (a sign and 11 digits) the goodwill as
 * db_weight_of weighs it; NULL when there is none. It runs once per
 * interaction: values are read as blobs (text needs a copy to add its NUL)
 * and compared by length. */
static void sql_stat_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct stat_acc *a = sqlite3_aggregate_context(ctx, sizeof *a);
    struct db *db = sqlite3_user_data(ctx);
    const char *date = sqlite3_value_blob(argv[0]);
    const char *kind = sqlite3_value_blob(argv[1]);
    const unsigned char *dir = sqlite3_value_blob(argv[2]);
    size_t kind_len = (size_t)sqlite3_value_bytes(argv[1]);
    size_t dir_len = (size_t)sqlite3_value_bytes(argv[2]);
    (void)argc;
    if (!a || !date || !kind || !dir || sqlite3_value_bytes(argv[0]) != 10 ||
        date_cmp(date, dbreminder_state(db)->today) > 0)
        return;
    int v = db_weight_of(db, kind, kind_len, (const char *)dir);
    a->balance += v;
    int c = a->n ? date_cmp(date, a->last) : 1;
    if (c > 0) {
        /* Most rows move the date on (the index is in date order): keep
         * this cheap. */
        memcpy(a->last, date, 10);
        a->inexact = kind_len >= sizeof a->kind;
        a->kind_len = a->inexact ? sizeof a->kind - 1 : kind_len;
        memcpy(a->kind, kind, a->kind_len);
        if (dir_len >= sizeof a->dir)
            dir_len = sizeof a->dir - 1;
        memcpy(a->dir, dir, dir_len);
        a->dir[dir_len] = '\0';
        a->n = 1;
    } else if (c == 0) {
        a->n++;
    }
}

/* Writes v as exactly width digits (the low ones; zero-padded). */
static char *put_digits(char *p, unsigned long long v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + width;
}

/* Built by hand: snprintf was most of the cost of 100k results. */
static void sql_stat_final(sqlite3_context *ctx)
{
    struct stat_acc *a = sqlite3_aggregate_context(ctx, 0);
    char out[10 + 1 + 8 + 1 + 12 + 1 + sizeof a->dir + 1 + sizeof a->kind];
    if (!a || !a->n) {
        sqlite3_result_null(ctx);
        return;
    }
    char *p = out;
    memcpy(p, a->last, 10);
    p += 10;
    *p++ = '|';
    p = put_digits(p, (unsigned long long)(a->inexact ? 0 : a->n), 8);
    *p++ = '|';
    *p++ = a->balance < 0 ? '-' : '+';
    p = put_digits(p, (unsigned long long)(a->balance < 0 ? -a->balance : a->balance), 11);
    *p++ = '|';
    size_t dl = strlen(a->dir);
    memcpy(p, a->dir, dl);
    p += dl;
    *p++ = '|';
    memcpy(p, a->kind, a->kind_len);
    p += a->kind_len;
    sqlite3_result_text(ctx, out, (int)(p - out), SQLITE_TRANSIENT);
}

/* kith_field(x, i): field i of a kith_stat result: 0 the last day, 1 how
 * many that day, 2 the balance (integers), 3 a direction and 4 a kind of
 * that day. The rules read 100k of these; substr and instr made most of
 * the cost of the interaction rule. */
static void sql_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *x = sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]), i = sqlite3_value_int(argv[1]);
    (void)argc;
    /* DATE|NNNNNNNN|SBBBBBBBBBBB|DIR|KIND */
    if (!x || n < 34 || x[10] != '|' || x[19] != '|' || x[32] != '|') {
        sqlite3_result_null(ctx);
        return;
    }
    if (i == 0) {
        sqlite3_result_text(ctx, x, 10, SQLITE_TRANSIENT);
    } else if (i == 1 || i == 2) {
        const char *d = i == 1 ? x + 11 : x + 21;
        sqlite3_int64 v = 0;
        for (int k = 0; k < (i == 1 ? 8 : 11); k++)
            v = v * 10 + (d[k] - '0');
        sqlite3_result_int64(ctx, i == 2 && x[20] == '-' ? -v : v);
    } else {
        const char *dir = x + 33, *bar = memchr(dir, '|', (size_t)(n - 33));
        if (!bar)
            sqlite3_result_null(ctx);
        else if (i == 3)
            sqlite3_result_text(ctx, dir, (int)(bar - dir), SQLITE_TRANSIENT);
        else
            sqlite3_result_text(ctx, bar + 1, (int)(x + n - bar - 1), SQLITE_TRANSIENT);
    }
}

/* ---- the ids' table ----------------------------------------------------- */

/* kith_reminder_rid reads rows kept in db. */
struct reminder_vtab {
    sqlite3_vtab base;
    struct db *db;
};

/* The table's xConnect: its columns, and the db its rows live in. */
static int vtab_connect(sqlite3 *h, void *aux, const char *schema, sqlite3_vtab **out)
{
    int rc = sqlite3_declare_vtab(h, schema);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(h, SQLITE_VTAB_DIRECTONLY);
    struct reminder_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->db = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int vtab_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int vtab_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

/* kith_reminder_rid(rid, due): dbreminder_state(db)->rids as a table, in rid order: all of
 * it, the row of one rid (rid = ?), or a range (rid >= ? AND rid < ?, as
 * dbreminder_find asks for a prefix). The bounds only narrow the rows
 * read; SQLite checks each constraint again. */
struct rid_cursor {
    sqlite3_vtab_cursor base;
    struct db *db;
    size_t i, end;
};

enum { RID_EQ = 1, RID_LOW = 2, RID_HIGH = 4 };

static int rid_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                       char **err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return vtab_connect(h, aux, "CREATE TABLE x(rid TEXT, due INTEGER)", out);
}

static int rid_best_index(sqlite3_vtab *t, sqlite3_index_info *ii)
{
    (void)t;
    int n = 0, eq = -1, low = -1, high = -1;
    for (int i = 0; i < ii->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &ii->aConstraint[i];
        if (!k->usable || k->iColumn != 0)
            continue;
        if (k->op == SQLITE_INDEX_CONSTRAINT_EQ && eq < 0)
            eq = i;
        else if ((k->op == SQLITE_INDEX_CONSTRAINT_GE || k->op == SQLITE_INDEX_CONSTRAINT_GT) &&
                 low < 0)
            low = i;
        else if ((k->op == SQLITE_INDEX_CONSTRAINT_LT || k->op == SQLITE_INDEX_CONSTRAINT_LE) &&
                 high < 0)
            high = i;
    }
    ii->idxNum = 0;
    ii->estimatedCost = 40000;
    ii->estimatedRows = 40000;
    if (eq >= 0) {
        ii->aConstraintUsage[eq].argvIndex = ++n;
        ii->idxNum = RID_EQ;
        ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
        ii->estimatedCost = 10;
        ii->estimatedRows = 1;
    } else {
        if (low >= 0) {
            ii->aConstraintUsage[low].argvIndex = ++n;
            ii->idxNum |= RID_LOW;
        }
        if (high >= 0) {
            ii->aConstraintUsage[high].argvIndex = ++n;
            ii->idxNum |= RID_HIGH;
        }
        if (n) {
            ii->estimatedCost = 100;
            ii->estimatedRows = 10;
        }
    }
    if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == 0 && !ii->aOrderBy[0].desc)
        ii->orderByConsumed = 1;
    return SQLITE_OK;
}

static int rid_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    struct rid_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->db = ((const struct reminder_vtab *)t)->db;
    *out = &c->base;
    return SQLITE_OK;
}

/* The first row whose id, as text, is not below s (>= when ge, else >). */
static size_t rid_seek(struct db *db, sqlite3_value *v, int ge)
{
    const char *s = (const char *)sqlite3_value_text(v);
    size_t lo = 0, hi = dbreminder_state(db)->nrids;
    char buf[KREMINDER_ID_LEN + 1];
    if (!s)
        return dbreminder_state(db)->nrids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        dbremindfn_format(dbreminder_state(db)->rids[mid].rid, buf);
        int c = strcmp(buf, s);
        if (c < 0 || (!ge && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int rid_filter(sqlite3_vtab_cursor *vc, int idx, const char *idxs, int argc,
                      sqlite3_value **argv)
{
    struct rid_cursor *c = (struct rid_cursor *)vc;
    struct db *db = c->db;
    (void)idxs;
    c->i = 0;
    c->end = dbreminder_state(db)->ids ? dbreminder_state(db)->nrids : 0;
    int a = 0;
    if (idx & RID_EQ && a < argc) {
        c->i = rid_seek(db, argv[a], 1);
        c->end = c->i < c->end ? c->i + 1 : c->end;
        return SQLITE_OK;
    }
    /* GT and LE are taken as GE and LT (one row more at most); SQLite
     * checks the constraint on every row anyway. */
    if (idx & RID_LOW && a < argc)
        c->i = rid_seek(db, argv[a++], 1);
    if (idx & RID_HIGH && a < argc) {
        size_t end = rid_seek(db, argv[a], 0);
        c->end = end < c->end ? end : c->end;
    }
    return SQLITE_OK;
}

static int rid_next(sqlite3_vtab_cursor *vc)
{
    ((struct rid_cursor *)vc)->i++;
    return SQLITE_OK;
}

static int rid_eof(sqlite3_vtab_cursor *vc)
{
    const struct rid_cursor *c = (const struct rid_cursor *)vc;
    return c->i >= c->end;
}

static int rid_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col)
{
    const struct rid_cursor *c = (const struct rid_cursor *)vc;
    const struct db_rid *r = &dbreminder_state(c->db)->rids[c->i];
    if (col == 0) {
        char buf[KREMINDER_ID_LEN + 1];
        dbremindfn_format(r->rid, buf);
        sqlite3_result_text(ctx, buf, KREMINDER_ID_LEN, SQLITE_TRANSIENT);
    } else {
        sqlite3_result_int64(ctx, r->due);
    }
    return SQLITE_OK;
}

static int rid_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((const struct rid_cursor *)vc)->i;
    return SQLITE_OK;
}

static const sqlite3_module rid_module = {
    .xConnect = rid_connect,
    .xBestIndex = rid_best_index,
    .xDisconnect = vtab_disconnect,
    .xOpen = rid_open,
    .xClose = vtab_close,
    .xFilter = rid_filter,
    .xNext = rid_next,
    .xEof = rid_eof,
    .xColumn = rid_column,
    .xRowid = rid_rowid,
};

int dbremindfn_register(struct db *db)
{
    const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    /* kith_stat reads the weights db_set_weights keeps in db. */
    return sqlite3_create_function(db->h, "kith_stat", 3, SQLITE_UTF8 | SQLITE_INNOCUOUS, db, NULL,
                                   sql_stat_step, sql_stat_final) ||
                   sqlite3_create_function(db->h, "kith_rid", 3, f, NULL, sql_rid, NULL, NULL) ||
                   sqlite3_create_function(db->h, "kith_sid", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, db,
                                           sql_sid, NULL, NULL) ||
                   sqlite3_create_function(db->h, "kith_day", 1, f, NULL, sql_day, NULL, NULL) ||
                   sqlite3_create_function(db->h, "kith_date", 1, f, NULL, sql_date, NULL, NULL) ||
                   sqlite3_create_function(db->h, "kith_field", 2, f, NULL, sql_field, NULL,
                                           NULL) ||
                   sqlite3_create_function(db->h, "kith_render", 7, f, NULL, sql_render, NULL,
                                           NULL) ||
                   sqlite3_create_function(db->h, "kith_next_birthday", 2, f, NULL,
                                           sql_next_birthday, NULL, NULL) ||
                   sqlite3_create_module(db->h, "kith_reminder_rid", &rid_module, db)
               ? SQLITE_ERROR
               : SQLITE_OK;
}
