#include "kith/store/dbhistory.h"

#include "db_internal.h"

#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A change larger than this is kept as a mark only (see DBHISTORY_BARRIER):
 * a history row is one blob, and an import of a whole address book is not
 * something to undo row by row. */
#define KEEP_MAX (16 << 20)
#define STR_(x)  #x
#define STR(x)   STR_(x)

struct db_history {
    char *origin;
    enum dbhistory_mode mode;
    char *label;    /* for the next transaction */
    char *fallback; /* for any transaction without a label */
    sqlite3_session *sess;
    sqlite3_int64 changes; /* total changes when a barrier transaction began */
    int active;            /* the open transaction is being recorded */
    int applying;          /* an undo or redo: its own changes are not recorded */
};

static struct db_history *hist(struct db *db)
{
    if (!db->hist)
        db->hist = kcalloc(1, sizeof *db->hist);
    return db->hist;
}

void dbhistory_record(struct db *db, const char *origin, enum dbhistory_mode mode)
{
    struct db_history *h = hist(db);
    free(h->origin);
    h->origin = origin && mode != DBHISTORY_OFF ? kstr_dup(origin) : NULL;
    h->mode = h->origin ? mode : DBHISTORY_OFF;
}

void dbhistory_label(struct db *db, const char *label, int fallback)
{
    struct db_history *h = hist(db);
    char **slot = fallback ? &h->fallback : &h->label;
    free(*slot);
    *slot = label ? kstr_dup(label) : NULL;
}

void dbhistory_pause(struct db *db, int on)
{
    hist(db)->applying += on ? 1 : -1;
}

void dbhistory_free(struct db *db)
{
    struct db_history *h = db->hist;
    if (!h)
        return;
    if (h->sess)
        sqlite3session_delete(h->sess);
    free(h->origin);
    free(h->label);
    free(h->fallback);
    free(h);
    db->hist = NULL;
}

/* The tables whose rows are the journal: not the history itself, not the
 * full-text index nor the per-contact summary (their triggers rebuild them
 * from the rows an undo changes; a recorded summary row would conflict
 * with what the triggers already wrote), not the goodwill weights (the
 * config's, which an undo must not take back), not the row that ties the
 * write-ahead log to the journal (kith/store/dbfile.h: every commit moves it on,
 * an undo too), not sync's bookkeeping (kith/store/dbsync.h: what was sent and
 * applied stays so), not SQLite's. */
static int tracked(void *ud, const char *table)
{
    (void)ud;
    return strcmp(table, "history") && strcmp(table, "kith_state") && !strstr(table, "_fts") &&
           strcmp(table, "contact_summary") && strcmp(table, "goodwill_weight") &&
           strncmp(table, "sqlite_", 7) && strcmp(table, "sync_self") &&
           strcmp(table, "sync_log") && strcmp(table, "sync_clock") && strcmp(table, "sync_peer") &&
           strcmp(table, "sync_parked") && strcmp(table, "sync_file") &&
           strcmp(table, "sync_file_sum") && strcmp(table, "sync_knew");
}

void dbhistory_tx_begin(struct db *db)
{
    struct db_history *h = db->hist;
    if (!h || h->mode == DBHISTORY_OFF || h->applying)
        return;
    if (h->mode == DBHISTORY_BARRIER) {
        h->changes = sqlite3_total_changes64(db->h);
        h->active = 1;
        return;
    }
    if (sqlite3session_create(db->h, "main", &h->sess) != SQLITE_OK) {
        h->sess = NULL;
        return; /* out of memory: the change goes unrecorded */
    }
    sqlite3session_table_filter(h->sess, tracked, NULL);
    if (sqlite3session_attach(h->sess, NULL) != SQLITE_OK) {
        sqlite3session_delete(h->sess);
        h->sess = NULL;
        return;
    }
    h->active = 1;
}

/* Keeps one change (NULL changes: a mark) as origin's newest, ends what
 * could be redone, and forgets the oldest beyond DBHISTORY_KEEP. */
static int keep(struct db *db, const char *label, const void *changes, int n, struct kerr *e)
{
    struct db_history *h = db->hist;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO history (origin, label, changes)"
        " VALUES (:origin, :label, :changes)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":origin"), h->origin);
    db_bind_text(st, db_param(st, ":label"), label);
    if (changes)
        sqlite3_bind_blob(st, db_param(st, ":changes"), changes, n, SQLITE_STATIC);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    static const char *const tidy[] = {
        "DELETE FROM history"
        " WHERE origin = ?1 AND state = 'undone'",
        "DELETE FROM history"
        " WHERE origin = ?1"
        "   AND seq <= (SELECT seq"
        "               FROM history"
        "               WHERE origin = ?1"
        "               ORDER BY seq DESC"
        "               LIMIT 1 OFFSET " STR(DBHISTORY_KEEP) ")",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof tidy / sizeof *tidy; i++)
        if (db_run_text(db, tidy[i], h->origin, e) != K_OK)
            return K_ERR;
    return K_OK;
}

int dbhistory_tx_commit(struct db *db, struct kerr *e)
{
    struct db_history *h = db->hist;
    int rc = K_OK;
    if (!h || !h->active)
        return K_OK;
    const char *label = h->label ? h->label : h->fallback ? h->fallback : "a change";
    if (h->mode == DBHISTORY_BARRIER) {
        if (sqlite3_total_changes64(db->h) != h->changes)
            rc = keep(db, label, NULL, 0, e);
        return rc;
    }
    int n = 0;
    void *buf = NULL;
    if (sqlite3session_changeset(h->sess, &n, &buf) != SQLITE_OK)
        return db_fail(db, e, "keeping the undo history");
    /* A transaction that changed nothing (or changed rows back) leaves
     * nothing to undo. */
    if (n > 0)
        rc = keep(db, label, n <= KEEP_MAX ? buf : NULL, n, e);
    sqlite3_free(buf);
    return rc;
}

void dbhistory_tx_end(struct db *db)
{
    struct db_history *h = db->hist;
    if (!h)
        return;
    if (h->sess)
        sqlite3session_delete(h->sess);
    h->sess = NULL;
    h->active = 0;
    kstr_free(&h->label);
}

/* ---- undo and redo ---- */

/* What a table's rows are, for a message. */
static const char *what(const char *table)
{
    static const char *const names[][2] = {
        {"contact", "a contact"},
        {"contact_detail", "a contact's email, phone or link"},
        {"contact_tag", "a contact's tag"},
        {"contact_nickname", "a contact's nickname"},
        {"contact_uid", "a contact's UID"},
        {"contact_address", "a contact's address"},
        {"contact_event", "a contact's dated event"},
        {"contact_vcard", "a contact's kept vCard line"},
        {"interaction", "an interaction"},
        {"interaction_contact", "an interaction"},
        {"interaction_message", "a logged message"},
        {"vdir_item", "a file of a vdir folder"},
        {"sync_conflict", "a recorded sync conflict"},
        {"referral", "a referral"},
        {"referral_event", "a referral's outcome"},
        {"thanks", "a thank-you"},
        {"forward", "a pay-it-forward"},
        {"challenge", "a challenge"},
        {"challenge_tick", "a challenge day"},
        {"reminder_state", "a reminder"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(names[i][0], table))
            return names[i][1];
    return "a row";
}

/* The position of column name in table, or -1. */
static int column(struct db *db, const char *table, const char *name)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    int at = -1;
    snprintf(sql, sizeof sql, "SELECT * FROM main.\"%s\" LIMIT 0", table);
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK)
        for (int i = 0; i < sqlite3_column_count(st) && at < 0; i++)
            if (!strcmp(sqlite3_column_name(st, i), name))
                at = i;
    sqlite3_finalize(st);
    return at;
}

static int same_value(sqlite3_value *a, sqlite3_value *b)
{
    if (!a || !b)
        return a == b;
    int t = sqlite3_value_type(a);
    if (t != sqlite3_value_type(b))
        return 0;
    switch (t) {
    case SQLITE_NULL:
        return 1;
    case SQLITE_INTEGER:
        return sqlite3_value_int64(a) == sqlite3_value_int64(b);
    case SQLITE_FLOAT:
        return sqlite3_value_double(a) == sqlite3_value_double(b);
    default: {
        int n = sqlite3_value_bytes(a);
        return n == sqlite3_value_bytes(b) &&
               (n == 0 || !memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), (size_t)n));
    }
    }
}

struct apply {
    struct db *db;
    char table[64]; /* of the first conflict */
    char name[200]; /* the contact it is about, when known */
    int kind;       /* SQLITE_CHANGESET_* of the first conflict, 0 for none */
};

/* 1 when, over the columns the change sets (want: its new values, or its
 * old ones), the row in the journal holds those values; updated_at does
 * not count, it moves with every save. */
static int row_holds(sqlite3_changeset_iter *it, int ncol, int skip, int want_new)
{
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *cur = NULL, *v = NULL;
        if (i == skip)
            continue;
        if (want_new)
            sqlite3changeset_new(it, i, &v);
        else
            sqlite3changeset_old(it, i, &v);
        if (!v)
            continue; /* a column the change leaves alone */
        if (sqlite3changeset_conflict(it, i, &cur) != SQLITE_OK || !same_value(cur, v))
            return 0;
    }
    return 1;
}

/* Rows in the journal that differ from what the change expects refuse the
 * undo (or redo): they were changed since. A row that already is as the
 * change would leave it is passed over. */
static int on_conflict(void *ud, int kind, sqlite3_changeset_iter *it)
{
    struct apply *a = ud;
    const char *table;
    int ncol, op, indirect;
    sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
    int skip = table ? column(a->db, table, "updated_at") : -1;
    if (kind == SQLITE_CHANGESET_NOTFOUND && op == SQLITE_DELETE)
        return SQLITE_CHANGESET_OMIT; /* gone already (with its parent) */
    if (kind == SQLITE_CHANGESET_DATA && op == SQLITE_UPDATE) {
        if (row_holds(it, ncol, skip, 0))
            return SQLITE_CHANGESET_REPLACE; /* only its time of change moved */
        if (row_holds(it, ncol, skip, 1))
            return SQLITE_CHANGESET_OMIT;
    }
    if (kind == SQLITE_CHANGESET_DATA && op == SQLITE_DELETE && row_holds(it, ncol, skip, 0))
        return SQLITE_CHANGESET_REPLACE;
    if (kind == SQLITE_CHANGESET_CONFLICT && op == SQLITE_INSERT && row_holds(it, ncol, skip, 1))
        return SQLITE_CHANGESET_OMIT;
    if (!a->kind) {
        a->kind = kind;
        /* A foreign key conflict is about no one table (its iterator names
         * none). */
        snprintf(a->table, sizeof a->table, "%s", table ? table : "");
        int at = table && !strcmp(table, "contact") ? column(a->db, table, "name") : -1;
        sqlite3_value *v = NULL;
        if (at >= 0 && kind != SQLITE_CHANGESET_FOREIGN_KEY &&
            sqlite3changeset_conflict(it, at, &v) == SQLITE_OK && v &&
            sqlite3_value_type(v) == SQLITE_TEXT)
            snprintf(a->name, sizeof a->name, "%s", (const char *)sqlite3_value_text(v));
    }
    return SQLITE_CHANGESET_ABORT;
}

/* Appends a row's identity (its table and primary key) to b. */
static void row_key(sqlite3_changeset_iter *it, struct sbuf *b)
{
    const char *table;
    int ncol, op, indirect, npk;
    unsigned char *pk;
    sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
    sqlite3changeset_pk(it, &pk, &npk);
    sbuf_printf(b, "%s", table);
    for (int i = 0; i < ncol; i++) {
        sqlite3_value *v = NULL;
        if (!pk[i])
            continue;
        if (op == SQLITE_INSERT)
            sqlite3changeset_new(it, i, &v);
        else
            sqlite3changeset_old(it, i, &v);
        sbuf_addc(b, '\x1f');
        if (v && sqlite3_value_type(v) == SQLITE_INTEGER)
            sbuf_printf(b, "i%lld", (long long)sqlite3_value_int64(v));
        else if (v && sqlite3_value_type(v) != SQLITE_NULL)
            sbuf_addn(b, (const char *)sqlite3_value_blob(v), (size_t)sqlite3_value_bytes(v));
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows a changeset touches, sorted, for bsearch. */
static size_t row_keys(const void *buf, int n, char ***out)
{
    sqlite3_changeset_iter *it = NULL;
    char **v = NULL;
    size_t k = 0, cap = 0;
    if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK) {
        *out = NULL;
        return 0;
    }
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        struct sbuf b = {0};
        row_key(it, &b);
        if (k == cap) {
            cap = cap ? cap * 2 : 64;
            v = krealloc(v, cap * sizeof *v);
        }
        v[k++] = sbuf_take(&b);
    }
    sqlite3changeset_finalize(it);
    if (k)
        qsort(v, k, sizeof *v, cmp_str);
    *out = v;
    return k;
}

/* The first row `done` touched that `meant` did not, or NULL: what undoing
 * would also change (cascades to rows made since). Its table into table. */
static int strays(const void *meant, int nm, const void *done, int nd, char table[64])
{
    char **keys;
    size_t nk = row_keys(meant, nm, &keys);
    sqlite3_changeset_iter *it = NULL;
    int found = 0;
    if (sqlite3changeset_start(&it, nd, (void *)done) == SQLITE_OK) {
        while (!found && sqlite3changeset_next(it) == SQLITE_ROW) {
            struct sbuf b = {0};
            row_key(it, &b);
            if (!nk || !bsearch(&b.s, keys, nk, sizeof *keys, cmp_str)) {
                const char *t;
                int ncol, op, indirect;
                sqlite3changeset_op(it, &t, &ncol, &op, &indirect);
                snprintf(table, 64, "%s", t);
                found = 1;
            }
            sbuf_free(&b);
        }
        sqlite3changeset_finalize(it);
    }
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    return found;
}

/* A contact the change is about: the first row of a contact, or of
 * something that belongs to one. */
static void about(struct db *db, const void *buf, int n, char out[KID_LEN + 1])
{
    static const char *const cols[][2] = {
        {"contact", "id"},
        {"contact_detail", "contact_id"},
        {"contact_tag", "contact_id"},
        {"thanks", "contact_id"},
        {"forward", "contact_id"},
        {"referral", "referrer_id"},
        {"interaction_contact", "contact_key"},
    };
    sqlite3_changeset_iter *it = NULL;
    out[0] = 0;
    if (sqlite3changeset_start(&it, n, (void *)buf) != SQLITE_OK)
        return;
    while (!out[0] && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *table;
        int ncol, op, indirect;
        sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
        for (size_t i = 0; i < sizeof cols / sizeof *cols && !out[0]; i++) {
            if (strcmp(cols[i][0], table))
                continue;
            int at = column(db, table, cols[i][1]);
            sqlite3_value *v = NULL;
            if (at < 0)
                continue;
            if (op == SQLITE_INSERT)
                sqlite3changeset_new(it, at, &v);
            else
                sqlite3changeset_old(it, at, &v);
            if (v && sqlite3_value_type(v) == SQLITE_TEXT) {
                snprintf(out, KID_LEN + 1, "%s", (const char *)sqlite3_value_text(v));
            } else if (v && sqlite3_value_type(v) == SQLITE_INTEGER) {
                /* clang-format off */
                sqlite3_stmt *st = db_stmt(db,
                    "SELECT id"
                    " FROM contact"
                    " WHERE key = ?1",
                    NULL);
                /* clang-format on */
                if (st) {
                    sqlite3_bind_int64(st, 1, sqlite3_value_int64(v));
                    if (sqlite3_step(st) == SQLITE_ROW)
                        db_col_id(st, 0, out);
                    sqlite3_reset(st);
                }
            }
        }
    }
    sqlite3changeset_finalize(it);
}

/* Applies a changeset inside the open transaction, refusing conflicts and
 * side effects on rows it does not name. */
static int apply_checked(struct db *db, const void *buf, int n, const char *doing,
                         const char *label, struct kerr *e)
{
    struct apply a;
    sqlite3_session *rec = NULL;
    int rc = K_OK;
    memset(&a, 0, sizeof a);
    a.db = db;
    /* What the apply does, cascades included. */
    if (sqlite3session_create(db->h, "main", &rec) != SQLITE_OK ||
        (sqlite3session_table_filter(rec, tracked, NULL),
         sqlite3session_attach(rec, NULL) != SQLITE_OK)) {
        rc = db_fail(db, e, doing);
        goto out;
    }
    int s = sqlite3changeset_apply(db->h, n, (void *)buf, NULL, on_conflict, &a);
    if (a.kind) {
        char *esc = kstr_escape(a.name);
        if (a.kind == SQLITE_CHANGESET_FOREIGN_KEY)
            rc = kerr_set(e, K_ERR,
                          "cannot %s \"%s\": it refers to something deleted since; nothing "
                          "changed",
                          doing, label);
        else if (a.name[0])
            rc = kerr_set(e, K_ERR,
                          "cannot %s \"%s\": %s has changed since (a later change, maybe from "
                          "another kith or the command line); nothing changed",
                          doing, label, esc);
        else
            rc = kerr_set(e, K_ERR,
                          "cannot %s \"%s\": %s it changed was changed since (a later change, "
                          "maybe from another kith or the command line); nothing changed",
                          doing, label, what(a.table));
        free(esc);
        goto out;
    }
    if (s != SQLITE_OK) {
        rc = db_fail(db, e, doing);
        goto out;
    }
    int nd = 0;
    void *done = NULL;
    char table[64];
    if (sqlite3session_changeset(rec, &nd, &done) != SQLITE_OK) {
        rc = db_fail(db, e, doing);
        goto out;
    }
    if (strays(buf, n, done, nd, table))
        rc = kerr_set(e, K_ERR,
                      "cannot %s \"%s\": it would also change %s made since; nothing changed",
                      doing, label, what(table));
    sqlite3_free(done);
out:
    if (rec)
        sqlite3session_delete(rec);
    return rc;
}

/* What an undo takes (origin's newest change still done), what a redo
 * takes (its oldest undone), and the mark either leaves. */
/* clang-format off */
static const char undo_sql[] =
    "SELECT seq, label, changes"
    " FROM history"
    " WHERE origin = :origin AND state = 'done'"
    " ORDER BY seq DESC"
    " LIMIT 1";
static const char redo_sql[] =
    "SELECT seq, label, changes"
    " FROM history"
    " WHERE origin = :origin AND state = 'undone'"
    " ORDER BY seq"
    " LIMIT 1";
static const char mark_sql[] =
    "UPDATE history"
    " SET state = :state"
    " WHERE seq = :seq";
/* clang-format on */

static int step(struct db *db, const char *origin, int redo, struct dbhistory_step *out,
                struct kerr *e)
{
    struct db_history *h = hist(db);
    const char *doing = redo ? "redo" : "undo";
    void *inv = NULL;
    int rc, ninv = 0;
    memset(out, 0, sizeof *out);
    h->applying++;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    sqlite3_stmt *st = db_stmt(db, redo ? redo_sql : undo_sql, e);
    if (!st) {
        rc = K_ERR;
        goto fail;
    }
    db_bind_text(st, db_param(st, ":origin"), origin);
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        rc = s == SQLITE_DONE ? kerr_set(e, K_NOTFOUND, "nothing to %s", doing)
                              : db_fail(db, e, "reading the undo history");
        sqlite3_reset(st);
        goto fail;
    }
    out->seq = sqlite3_column_int64(st, 0);
    out->label = db_col_text(st, 1);
    int n = sqlite3_column_bytes(st, 2);
    void *buf = n ? kmalloc((size_t)n) : NULL;
    if (n)
        memcpy(buf, sqlite3_column_blob(st, 2), (size_t)n);
    sqlite3_reset(st);
    char *label = kstr_escape(out->label);
    if (!buf) {
        rc = kerr_set(e, K_ERR,
                      "\"%s\" was bulk work and cannot be undone (a backup can restore the "
                      "journal from before it); nothing older can be undone either",
                      label);
    } else if (!redo && sqlite3changeset_invert(n, buf, &ninv, &inv) != SQLITE_OK) {
        rc = db_fail(db, e, "reading the undo history");
    } else {
        rc = apply_checked(db, redo ? buf : inv, redo ? n : ninv, doing, label, e);
    }
    if (rc == K_OK)
        about(db, redo ? buf : inv, redo ? n : ninv, out->contact_id);
    free(label);
    free(buf);
    sqlite3_free(inv);
    if (rc != K_OK)
        goto fail;
    st = db_stmt(db, mark_sql, e);
    if (!st) {
        rc = K_ERR;
        goto fail;
    }
    db_bind_text(st, db_param(st, ":state"), redo ? "done" : "undone");
    sqlite3_bind_int64(st, db_param(st, ":seq"), out->seq);
    if ((rc = db_step_done(db, st, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        goto fail;
    goto out;
fail:
    db_rollback(db);
out:
    h->applying--;
    if (rc != K_OK)
        dbhistory_step_clear(out);
    return rc;
}

int dbhistory_undo(struct db *db, const char *origin, struct dbhistory_step *out, struct kerr *e)
{
    return step(db, origin, 0, out, e);
}

int dbhistory_redo(struct db *db, const char *origin, struct dbhistory_step *out, struct kerr *e)
{
    return step(db, origin, 1, out, e);
}

void dbhistory_step_clear(struct dbhistory_step *s)
{
    if (!s)
        return;
    kstr_free(&s->label);
    s->contact_id[0] = 0;
}

int dbhistory_list(struct db *db, const char *origin, size_t limit, struct dbhistory_list *out,
                   struct kerr *e)
{
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT seq, label, at, state = 'undone', changes IS NOT NULL"
        " FROM history"
        " WHERE origin = :origin"
        " ORDER BY seq DESC"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":origin"), origin);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    int s;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = krealloc(out->v, cap * sizeof *out->v);
        }
        struct dbhistory_entry *en = &out->v[out->n++];
        memset(en, 0, sizeof *en);
        en->seq = sqlite3_column_int64(st, 0);
        en->label = db_col_text(st, 1);
        const unsigned char *at = sqlite3_column_text(st, 2);
        snprintf(en->at, sizeof en->at, "%s", at ? (const char *)at : "");
        en->undone = sqlite3_column_int(st, 3);
        en->kept = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        dbhistory_list_clear(out);
        return db_fail(db, e, "reading the undo history");
    }
    return K_OK;
}

void dbhistory_list_clear(struct dbhistory_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].label);
    free(l->v);
    memset(l, 0, sizeof *l);
}
