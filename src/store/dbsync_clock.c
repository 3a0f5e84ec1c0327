/* kith's sync: the clock of each row. sync_clock holds, per synced row
 * that changed since sync was turned on, whether it is alive, the stamp of
 * its insert or delete and the stamps of its columns changed since. */
#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbhistory.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbsync_stamp_cmp(const struct stamp *a, const struct stamp *b)
{
    if (a->hlc != b->hlc)
        return a->hlc < b->hlc ? -1 : 1;
    return strcmp(a->rep, b->rep);
}

int dbsync_clock_get(struct db *db, const char *table, const char *pk, struct clock *c,
                     struct kerr *e)
{
    memset(c, 0, sizeof *c);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT alive, hlc, rep, cols, data"
        " FROM sync_clock"
        " WHERE tbl = :tbl AND pk = :pk",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":tbl"), table);
    db_bind_text(st, db_param(st, ":pk"), pk);
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

void dbsync_clock_clear(struct clock *c)
{
    free(c->data);
    free(c->cols);
    memset(c, 0, sizeof *c);
}

/* The stamp of column i: its own, else the row's. Entry "*" (only in the
 * stamps a change sends with a row: a journal's rows as sync was turned
 * on, each as of its last change) stands for every column it does not
 * name, the row's own (-1) too. */
struct stamp dbsync_col_stamp(const struct clock *c, int i)
{
    struct stamp s = c->row;
    int own = 0;
    for (const char *p = c->cols; p && *p;) {
        char *end;
        int any = *p == '*';
        long col = any ? 0 : strtol(p, &end, 10);
        if (any)
            end = (char *)p + 1;
        if (*end != ':')
            break;
        sqlite3_int64 h = strtoll(end + 1, &end, 10);
        if (*end != ':')
            break;
        const char *rep = end + 1, *semi = strchr(rep, ';');
        if (!semi)
            break;
        if ((any && !own) || (!any && col == i)) {
            own = !any;
            s.hlc = h;
            snprintf(s.rep, sizeof s.rep, "%.*s", (int)(semi - rep), rep);
        }
        p = semi + 1;
    }
    return s;
}

/* The latest stamp of any of the row's columns. */
struct stamp dbsync_max_stamp(const struct clock *c, int ncol)
{
    struct stamp m = c->row;
    for (int i = 0; i < ncol; i++) {
        struct stamp s = dbsync_col_stamp(c, i);
        if (dbsync_stamp_cmp(&s, &m) > 0)
            m = s;
    }
    return m;
}

/* When the row was last deleted before it was made again (entry -1 of
 * cols), or zero. */
struct stamp dbsync_deleted_at(const struct clock *c)
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

/* Entry -(MOVED + i) of cols: where column i names a row, the stamp of
 * the change that set its value, where the column's own stamp is later
 * without changing it (sent again with a contact kept against a delete:
 * stamp_again). A column stamped anew loses it. */
enum { MOVED = 100, NULLED = 200 };

/* Entry -(EMPTIED + i): "-(EMPTIED + i):0:ID;", the id of the row column
 * i named when a delete emptied it (dbsync_set_emptied). */
enum { EMPTIED = 500 };

void dbsync_set_col(struct clock *c, int i, const struct stamp *s)
{
    if (i >= 0 && i < MOVED) {
        struct stamp was = dbsync_col_stamp(c, i);
        if (dbsync_stamp_cmp(&was, s)) {
            dbsync_unset_col(c, -(MOVED + i));
            dbsync_unset_col(c, -(NULLED + i));
            dbsync_unset_col(c, -(EMPTIED + i));
        }
    }
    dbsync_unset_col(c, i);
    struct sbuf b = {0};
    sbuf_add(&b, c->cols ? c->cols : "");
    sbuf_printf(&b, "%d:%lld:%s;", i, (long long)s->hlc, s->rep);
    free(c->cols);
    c->cols = sbuf_take(&b);
}

void dbsync_set_cols(struct clock *c, int ncol, const char *entries)
{
    struct clock e;
    memset(&e, 0, sizeof e);
    e.cols = (char *)entries;
    for (int i = 0; entries && i < ncol; i++) {
        struct stamp s = dbsync_col_stamp(&e, i);
        if (s.hlc && dbsync_stamp_cmp(&s, &c->row))
            dbsync_set_col(c, i, &s);
        else if (s.hlc)
            dbsync_unset_col(c, i);
    }
    for (int i = 0; entries && i < ncol; i++)
        dbsync_copy_moved(c, i, entries);
}

/* Entry k of cols, exactly (not the row's, nor any entry that stands for
 * every column), or a zero stamp. */
static struct stamp exact_entry(const char *cols, int k)
{
    struct stamp s = {0, ""};
    char want[24];
    int n = snprintf(want, sizeof want, "%d:", k);
    for (const char *p = cols; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (!strncmp(p, want, (size_t)n)) {
            char *end;
            s.hlc = strtoll(p + n, &end, 10);
            if (*end == ':')
                snprintf(s.rep, sizeof s.rep, "%.*s", (int)(semi - end - 1), end + 1);
        }
        p = semi + 1;
    }
    return s;
}

/* Entry -(MOVED + i), exactly. */
static struct stamp moved_entry(const char *cols, int i)
{
    return exact_entry(cols, -(MOVED + i));
}

struct stamp dbsync_moved_at(const struct clock *c, int i)
{
    struct stamp s = moved_entry(c->cols, i);
    return s.hlc ? s : dbsync_col_stamp(c, i);
}

void dbsync_set_moved(struct clock *c, int i, const struct stamp *s)
{
    struct stamp cs = dbsync_col_stamp(c, i);
    dbsync_unset_col(c, -(MOVED + i));
    if (s->hlc && dbsync_stamp_cmp(s, &cs))
        dbsync_set_col(c, -(MOVED + i), s);
}

void dbsync_set_nulled(struct clock *c, int i, const struct stamp *was)
{
    dbsync_unset_col(c, -(NULLED + i));
    if (was->hlc)
        dbsync_set_col(c, -(NULLED + i), was);
}

struct stamp dbsync_nulled_at(const struct clock *c, int i)
{
    return exact_entry(c->cols, -(NULLED + i));
}

void dbsync_set_emptied(struct clock *c, int i, const struct val *v)
{
    dbsync_unset_col(c, -(EMPTIED + i));
    /* Only an id: the entry's separators cannot be in it. */
    if (i < 0 || i >= MOVED || v->type != SQLITE_TEXT || v->n <= 0 ||
        memchr(v->p, ';', (size_t)v->n) || memchr(v->p, ':', (size_t)v->n))
        return;
    struct sbuf b = {0};
    sbuf_add(&b, c->cols ? c->cols : "");
    sbuf_printf(&b, "%d:0:%.*s;", -(EMPTIED + i), v->n, (const char *)v->p);
    free(c->cols);
    c->cols = sbuf_take(&b);
}

int dbsync_emptied_of(const struct clock *c, int i, const struct val *v)
{
    char want[24];
    int n = snprintf(want, sizeof want, "%d:0:", -(EMPTIED + i));
    if (v->type != SQLITE_TEXT)
        return 0;
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (!strncmp(p, want, (size_t)n))
            return semi - (p + n) == v->n && !memcmp(p + n, v->p, (size_t)v->n);
        p = semi + 1;
    }
    return 0;
}

void dbsync_copy_moved(struct clock *c, int i, const char *entries)
{
    struct stamp s = moved_entry(entries, i);
    if (s.hlc)
        dbsync_set_moved(c, i, &s);
}

/* Entries -(SEEN + i) of a deleted row's cols: the stamp of column i as
 * the replica that deleted it had it (sent with the delete: seen, entries
 * as cols), so that an edit that replica had not seen is told from one it
 * had wherever the two meet. */
enum { SEEN = 300 };

void dbsync_note_seen(struct clock *c, int ncol, const char *seen)
{
    for (int i = 0; seen && i < ncol && i < MOVED; i++) {
        struct stamp s = exact_entry(seen, i);
        if (s.hlc)
            dbsync_set_col(c, -(SEEN + i), &s);
    }
    dbsync_note_vector(c, seen);
}

/* Entries -KNEW of a contact's delete (sent with it, and in its tomb): for
 * each replica, the stamp of the latest of its records that the replica
 * deleting had applied (sync_knew), one entry each. Each replica applies
 * another's records in the order it made them, so a change stamped (hlc,
 * rep) was there iff hlc is not later than rep's entry. Not the latest
 * stamp of rep's the deleting replica holds: a record of a third replica
 * passes rep's stamps on (a contact kept against a delete is sent again
 * with each field's), ahead of rep's records (review r25 #1). */
enum { KNEW = 400 };

static int is_knew(const char *p)
{
    char want[16];
    int n = snprintf(want, sizeof want, "%d:", -KNEW);
    return !strncmp(p, want, (size_t)n);
}

void dbsync_note_vector(struct clock *c, const char *seen)
{
    if (!dbsync_knew_any(seen))
        return;
    dbsync_unset_col(c, -KNEW);
    struct sbuf b = {0};
    sbuf_add(&b, c->cols ? c->cols : "");
    for (const char *p = seen; *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (is_knew(p))
            sbuf_addn(&b, p, (size_t)(semi - p + 1));
        p = semi + 1;
    }
    free(c->cols);
    c->cols = sbuf_take(&b);
}

int dbsync_knew_any(const char *entries)
{
    for (const char *p = entries; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (is_knew(p))
            return 1;
        p = semi + 1;
    }
    return 0;
}

int dbsync_knew(const char *entries, const struct stamp *s)
{
    for (const char *p = entries; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (is_knew(p)) {
            char *end;
            sqlite3_int64 h = strtoll(strchr(p, ':') + 1, &end, 10);
            if (*end == ':' && (size_t)(semi - end - 1) == strlen(s->rep) &&
                !strncmp(end + 1, s->rep, (size_t)(semi - end - 1)))
                return s->hlc <= h;
        }
        p = semi + 1;
    }
    return 0;
}

void dbsync_knew_put(struct sbuf *b, const struct stamp *s)
{
    sbuf_printf(b, "%d:%lld:%s;", -KNEW, (long long)s->hlc, s->rep);
}

/* Column i's change (stamped s) was there: the deleting replica had
 * applied it, or its delete names the row with the value here (saw: its
 * old values; a value passed on by a contact kept against another delete
 * reaches a replica ahead of its maker's records). */
static int had(const char *knew, const struct stamp *s, const struct val *here,
               const struct val *saw, int i)
{
    return !s->hlc || dbsync_knew(knew, s) ||
           (saw && here && saw[i].type && dbsync_val_same(&saw[i], &here[i]));
}

int dbsync_change_unseen(const struct clock *c, const struct stable *t, int ncol, int link,
                         const char *knew, const struct val *here, const struct val *saw)
{
    const struct scol *lc = &t->col[link];
    /* A value naming a row, sent again with a contact kept against a
     * delete, is as of the keep; the change that set it is its move's.
     * Each of the row's own values is as of its own change, also where a
     * keep sent the row again (stamp_again): an edit of it (a referral's
     * outcome) counts as the move does. A delete that names the row had
     * its link. */
    if (!lc->pk) {
        struct stamp s = dbsync_moved_at(c, link);
        if (!saw && !had(knew, &s, NULL, NULL, link))
            return 1;
        for (int i = 0; i < ncol && i < t->ncol && i < MOVED; i++) {
            if (!dbsync_edit_col(t, i) || !t->col[i].stamped || t->col[i].parent >= 0)
                continue;
            s = dbsync_col_stamp(c, i);
            if (!had(knew, &s, here, saw, i))
                return 1;
        }
        return 0;
    }
    /* Part of the row's key: the row's values are as of its change, also
     * where a keep sent the row again (its own stamp is the keep's). */
    int any = 0;
    for (int i = 0; i < ncol && i < t->ncol && i < MOVED; i++) {
        const struct scol *col = &t->col[i];
        if (col->pk || i == t->key || col->parent >= 0)
            continue;
        struct stamp s = dbsync_col_stamp(c, i);
        any = 1;
        if (!had(knew, &s, here, saw, i))
            return 1;
    }
    return !any && !saw && c->row.hlc && !dbsync_knew(knew, &c->row);
}

int dbsync_seen_at(const struct clock *c, int i, struct stamp *out)
{
    *out = exact_entry(c->cols, -(SEEN + i));
    return out->hlc != 0;
}

int dbsync_edit_col(const struct stable *t, int i)
{
    return i >= 0 && i < t->ncol && i != t->key && i != t->id && !t->col[i].pk &&
           strcmp(t->col[i].name, "archived");
}

int dbsync_unseen(const struct clock *c, const struct stable *t, int ncol, const char *seen)
{
    for (int i = 0; seen && i < ncol && i < t->ncol && i < MOVED; i++) {
        if (!dbsync_edit_col(t, i))
            continue;
        struct stamp s = exact_entry(seen, i), here = dbsync_col_stamp(c, i);
        if (s.hlc && dbsync_stamp_cmp(&here, &s) > 0)
            return 1;
    }
    return 0;
}

char *dbsync_seen_cols(const struct clock *c, int ncol)
{
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    for (int i = 0; i < ncol && i < MOVED; i++) {
        struct stamp s = dbsync_col_stamp(c, i);
        if (s.hlc)
            sbuf_printf(&b, "%d:%lld:%s;", i, (long long)s.hlc, s.rep);
    }
    return sbuf_take(&b);
}

/* Entry -2 of cols: the row went because a row it named was deleted (ON
 * DELETE CASCADE), not by a delete of its own. */
void dbsync_mark_cascade(struct clock *c)
{
    dbsync_set_col(c, -2, &c->row);
}

static int has_entry(const struct clock *c, const char *entry)
{
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        if (!semi)
            break;
        if (!strncmp(p, entry, strlen(entry)))
            return 1;
        p = semi + 1;
    }
    return 0;
}

int dbsync_is_cascade(const struct clock *c)
{
    return has_entry(c, "-2:");
}

/* Entry -3 of cols: the delete that took the row by cascade did not name
 * it (the replica that deleted had not seen the row). */
void dbsync_mark_unnamed(struct clock *c)
{
    dbsync_set_col(c, -3, &c->row);
}

int dbsync_is_unnamed(const struct clock *c)
{
    return has_entry(c, "-3:");
}

/* Entry -4 of cols: the stamp of that delete. */
void dbsync_mark_named(struct clock *c, const struct stamp *d)
{
    dbsync_set_col(c, -4, d);
}

int dbsync_named_by(const struct clock *c, const struct stamp *d)
{
    if (!has_entry(c, "-4:"))
        return 0;
    struct stamp s = dbsync_col_stamp(c, -4);
    return !dbsync_stamp_cmp(&s, d);
}

/* Entry -5 of cols: the stamp a row deleted here had before (stamp_change):
 * an undo of the delete made before it was sent takes it back with that
 * stamp (dbsync_unbury). None for a delete sent again (the row was dead
 * here already): its undo is a change of its own. */
void dbsync_mark_before(struct clock *c)
{
    dbsync_unset_col(c, -5);
    if (c->found && c->alive)
        dbsync_set_col(c, -5, &c->row);
}

int dbsync_unbury(struct clock *c)
{
    struct stamp was = exact_entry(c->cols, -5);
    if (!was.hlc)
        return 0;
    /* What the delete noted of the row (the columns kept their stamps). */
    dbsync_unset_col(c, -5);
    dbsync_unset_col(c, -2);
    for (int i = 0; i < MOVED; i++)
        if (exact_entry(c->cols, -(SEEN + i)).hlc)
            dbsync_unset_col(c, -(SEEN + i));
    free(c->data);
    c->data = NULL;
    c->ndata = 0;
    c->alive = 1;
    c->row = was;
    return 1;
}

void dbsync_unset_col(struct clock *c, int i)
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
    free(c->cols);
    c->cols = sbuf_take(&b);
}

int dbsync_knew_note(struct db *db, const struct stamp *s, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_knew(rep, hlc)"
        " VALUES (:rep, :hlc)"
        " ON CONFLICT (rep) DO UPDATE"
        " SET hlc = excluded.hlc"
        " WHERE excluded.hlc > sync_knew.hlc",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":rep"), s->rep);
    sqlite3_bind_int64(st, db_param(st, ":hlc"), s->hlc);
    return db_step_done(db, st, e);
}

int dbsync_clock_put(struct db *db, const char *table, const char *pk, const struct clock *c,
                     struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_clock(tbl, pk, alive, hlc, rep, cols, data)"
        " VALUES (:tbl, :pk, :alive, :hlc, :rep, :cols, :data)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":tbl"), table);
    db_bind_text(st, db_param(st, ":pk"), pk);
    sqlite3_bind_int(st, db_param(st, ":alive"), c->alive);
    sqlite3_bind_int64(st, db_param(st, ":hlc"), c->row.hlc);
    db_bind_text(st, db_param(st, ":rep"), c->row.rep);
    db_bind_text(st, db_param(st, ":cols"), c->cols && *c->cols ? c->cols : NULL);
    if (!c->alive && c->ndata)
        sqlite3_bind_blob(st, db_param(st, ":data"), c->data, c->ndata, SQLITE_STATIC);
    return db_step_done(db, st, e);
}

/* The row deleted at stamp s with values v: every column keeps the stamp
 * of its value, the row the delete's. */
void dbsync_bury(struct clock *c, int ncol, const struct val *v, const struct stamp *s)
{
    struct sbuf b = {0};
    for (int i = 0; i < ncol; i++) {
        struct stamp cs = dbsync_col_stamp(c, i);
        dbsync_set_col(c, i, &cs);
        dbsync_put_val(&b, &v[i]);
    }
    free(c->data);
    c->data = b.s;
    c->ndata = (int)b.len;
    c->alive = 0;
    c->row = *s;
}
