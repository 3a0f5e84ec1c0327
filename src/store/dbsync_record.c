/* kith's sync: applying a record (one transaction of another replica's)
 * and a file of them: contacts kept against a delete, rows a delete took
 * by cascade, changes parked until the row they name is here. */
#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbhistory.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- applying a record ---- */

/* The rows a record deletes, each with its old values (put_val each, ids
 * for keys), sorted by table and key: what the replica deleting had of a
 * row it took with a contact. */
struct dels {
    size_t n;
    struct del {
        int t;
        char *pk;
        struct sbuf vals;
    } * v;
};

static int del_cmp(const void *x, const void *y)
{
    const struct del *a = x, *b = y;
    return a->t != b->t ? (a->t < b->t ? -1 : 1) : strcmp(a->pk, b->pk);
}

static void dels_read(const struct db_sync *s, const void *buf, size_t n, struct dels *d)
{
    sqlite3_changeset_iter *it = NULL;
    if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = op == SQLITE_DELETE ? dbsync_table_index(s, name) : -1;
        if (ti < 0 || ncol != s->t[ti].ncol || dbsync_is_contact(&s->t[ti]))
            continue;
        struct val *v = dbsync_iter_row(it, ncol, op);
        d->v = kgrowarray(d->v, d->n, sizeof *d->v);
        struct del *r = &d->v[d->n++];
        memset(r, 0, sizeof *r);
        r->t = ti;
        r->pk = dbsync_pk_text(&s->t[ti], ncol, v);
        for (int i = 0; i < ncol; i++)
            dbsync_put_val(&r->vals, &v[i]);
        free(v);
    }
    sqlite3changeset_finalize(it);
    if (d->n)
        qsort(d->v, d->n, sizeof *d->v, del_cmp);
}

static void dels_free(struct dels *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].pk);
        sbuf_free(&d->v[i].vals);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

/* The old values of t's row pk as the record deletes it (ncol of them,
 * a new array pointing into d), or NULL. */
static struct val *dels_find(const struct dels *d, int t, int ncol, const char *pk)
{
    struct del key = {t, (char *)pk, {0}};
    const struct del *r = d->n ? bsearch(&key, d->v, d->n, sizeof *d->v, del_cmp) : NULL;
    struct val *v = r ? kcalloc((size_t)ncol, sizeof *v) : NULL;
    if (v && !dbsync_get_vals((const unsigned char *)r->vals.s, (int)r->vals.len, v, ncol)) {
        free(v);
        v = NULL;
    }
    return v;
}

/* 1 when column c of u names, ON DELETE CASCADE, a row of table ti by a
 * value of its own (not a local key): the row goes with it (a referral's
 * outcome with the referral). */
static int names_below(const struct db_sync *s, const struct stable *u, int c, int ti)
{
    const struct scol *l = &u->col[c];
    return l->parent == ti && !l->setnull && l->lkey < 0 && u != &s->t[ti] &&
           !dbsync_is_contact(u) && dbsync_col_index(&s->t[ti], l->pcol) >= 0;
}

/* What latest_below gathers of a contact's rows. */
struct below {
    struct stamp m;         /* the latest stamp of any of them */
    const char *knew;       /* what the replica deleting had (NULL: an older kith's) */
    const struct dels *del; /* the rows the record deletes */
    int unseen;             /* one was changed where the delete had not seen it */
};

/* The rows of t that sql (bound to by) selects, which belong to the
 * contact through column link (ON DELETE CASCADE, or SET NULL: their
 * stamps count, not as the contact's to lose), into b. */
static void rows_below(struct ap *a, const char *sql, const struct val *by, const struct stable *t,
                       int link, struct below *b)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(a->db->h, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_column_count(st) == t->ncol) {
        dbsync_val_bind(st, 1, by);
        struct val *v = kcalloc((size_t)t->ncol, sizeof *v);
        struct keys k = {0};
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < t->ncol; i++)
                v[i] = dbsync_val_col(st, i);
            if (!dbsync_to_ids(a->db, a->s, &k, t, t->ncol, v))
                continue;
            char *pk = dbsync_pk_text(t, t->ncol, v);
            struct clock cl;
            if (dbsync_clock_get(a->db, t->name, pk, &cl, NULL) == K_OK && cl.found) {
                struct stamp x = dbsync_max_stamp(&cl, t->ncol);
                if (dbsync_stamp_cmp(&x, &b->m) > 0)
                    b->m = x;
                if (b->knew && !t->col[link].setnull && !b->unseen) {
                    struct val *saw = dels_find(b->del, (int)(t - a->s->t), t->ncol, pk);
                    b->unseen = dbsync_change_unseen(&cl, t, t->ncol, link, b->knew, v, saw);
                    free(saw);
                }
            }
            dbsync_clock_clear(&cl);
            free(pk);
        }
        dbsync_keys_free(&k);
        free(v);
    }
    sqlite3_finalize(st);
}

/* Moves b->m to the latest stamp of the rows that belong to the contact
 * (id, key): something logged with it later than its delete keeps it too;
 * so does a change to one of them that the replica deleting it had not had
 * (b->knew: what it had, sent with the delete; NULL for an older kith's),
 * earlier than the delete (b->unseen set to 1). So do the rows that name
 * such a row (ON DELETE CASCADE: a referral's outcomes), which go with it. */
static void latest_below(struct ap *a, const struct val *id, sqlite3_int64 key, struct below *b)
{
    int ci = dbsync_table_index(a->s, "contact");
    struct val keyv = {SQLITE_INTEGER, key, 0, NULL, 0};
    for (int ti = 0; ti < a->s->nt; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int c = 0; c < t->ncol; c++) {
            if (t->col[c].parent != ci || ti == ci)
                continue;
            const struct val *by = t->col[c].lkey == ci ? &keyv : id;
            /* clang-format off */
            char *sql = sqlite3_mprintf(
                "SELECT *"
                " FROM \"%w\""
                " WHERE \"%w\" = ?1",
                t->name, t->col[c].name);
            /* clang-format on */
            rows_below(a, sql, by, t, c, b);
            sqlite3_free(sql);
            for (int t2 = 0; !t->col[c].setnull && t2 < a->s->nt; t2++)
                for (int c2 = 0; c2 < a->s->t[t2].ncol; c2++) {
                    const struct stable *u = &a->s->t[t2];
                    const struct scol *l = &u->col[c2];
                    if (!names_below(a->s, u, c2, ti))
                        continue;
                    /* clang-format off */
                    sql = sqlite3_mprintf(
                        "SELECT *"
                        " FROM \"%w\""
                        " WHERE \"%w\" IN (SELECT \"%w\""
                        "  FROM \"%w\""
                        "  WHERE \"%w\" = ?1)",
                        u->name, l->name, l->pcol, t->name, t->col[c].name);
                    /* clang-format on */
                    rows_below(a, sql, by, u, c2, b);
                    sqlite3_free(sql);
                }
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
    struct dels del = {0};
    int rc = K_OK, read = 0;
    for (int pass = 0; pass < 2 && rc == K_OK; pass++) {
        if (sqlite3changeset_start(&it, (int)n, (void *)buf) != SQLITE_OK) {
            rc = kerr_set(e, K_ERR, "a changeset from replica %s is damaged", a->replica);
            break;
        }
        while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
            const char *name;
            int ncol, op, ind;
            sqlite3changeset_op(it, &name, &ncol, &op, &ind);
            int ti = dbsync_table_index(a->s, name);
            if (op != SQLITE_DELETE || ti < 0 || ncol > a->s->t[ti].ncol)
                continue;
            const struct stable *t = &a->s->t[ti];
            struct val *v = dbsync_iter_row(it, ncol, op);
            if (pass == 0 && dbsync_is_contact(t) && t->id < ncol && v[t->id].type == SQLITE_TEXT) {
                char *pk = dbsync_pk_text(t, ncol, v);
                struct clock c;
                if ((rc = dbsync_clock_get(a->db, t->name, pk, &c, e)) == K_OK &&
                    (!c.found || c.alive)) {
                    const char *seen = dbsync_stamps_find(&a->stamps, t->name, pk);
                    struct below b = {c.found ? dbsync_max_stamp(&c, ncol) : (struct stamp){0, ""},
                                      dbsync_knew_any(seen) ? seen : NULL, &del, 0};
                    int found;
                    sqlite3_int64 key = dbsync_local_key(a->db, t, &v[t->id], &found);
                    if (found && b.knew && !read++)
                        dels_read(a->s, buf, n, &del);
                    if (found)
                        latest_below(a, &v[t->id], key, &b);
                    /* Or an edit of it the replica deleting it had not
                     * seen, earlier than the delete (dbsync_unseen). */
                    if (found && (dbsync_stamp_cmp(&b.m, &a->st) > 0 || b.unseen ||
                                  (c.found && dbsync_unseen(&c, t, ncol, seen)))) {
                        a->kept = krealloc(a->kept, (a->nkept + 1) * sizeof *a->kept);
                        a->kept[a->nkept++] = kstr_ndup(v[t->id].p, (size_t)v[t->id].n);
                    }
                }
                dbsync_clock_clear(&c);
                free(pk);
            } else if (pass == 1 && a->nkept && dbsync_delete_kept(a, it)) {
                int own = 0;
                for (int i = 0; i < ncol; i++) {
                    int p = t->col[i].parent;
                    own |= p >= 0 && !t->col[i].setnull && dbsync_is_contact(&a->s->t[p]) &&
                           dbsync_is_kept(a, &v[i]);
                    if (p < 0 || dbsync_is_contact(&a->s->t[p]) || v[i].type != SQLITE_TEXT)
                        continue;
                    a->skip = krealloc(a->skip, (a->nskip + 1) * sizeof *a->skip);
                    a->skip[a->nskip++] = (struct skip){p, kstr_dup(t->col[i].pcol),
                                                        kstr_ndup(v[i].p, (size_t)v[i].n)};
                }
                /* The rows that go with a row of the kept contact's (a
                 * referral's outcomes) stay with it (keep_contact sends
                 * them again). */
                for (int t2 = 0; own && t2 < a->s->nt; t2++)
                    for (int c2 = 0; c2 < a->s->t[t2].ncol; c2++) {
                        const struct scol *l = &a->s->t[t2].col[c2];
                        int by = names_below(a->s, &a->s->t[t2], c2, ti)
                                     ? dbsync_col_index(t, l->pcol)
                                     : -1;
                        if (by < 0 || by >= ncol || v[by].type != SQLITE_TEXT)
                            continue;
                        a->skip = krealloc(a->skip, (a->nskip + 1) * sizeof *a->skip);
                        a->skip[a->nskip++] = (struct skip){t2, kstr_dup(l->name),
                                                            kstr_ndup(v[by].p, (size_t)v[by].n)};
                    }
            }
            free(v);
        }
        sqlite3changeset_finalize(it);
    }
    dels_free(&del);
    return rc;
}

/* The kept contact and the record being applied, for moved_off_waiting. */
struct keeping {
    struct ap *a;
    const char *id;
};

/* 1 when a change that waits here (parked: the contact it moves to is not
 * here) moves the row off the kept contact, and is not later than the
 * delete it is kept against (a merge's move, or one before it): the row
 * had left the contact where the move came first, so it is not sent again
 * with it; the new stamps would hide the move from the replicas that have
 * not applied it yet (moves_off_kept). */
static int moved_off_waiting(void *ud, const struct stable *t, const struct val *v)
{
    struct keeping *kp = ud;
    struct ap *a = kp->a;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT replica, hlc, changes, stamps"
        " FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk",
        NULL);
    /* clang-format on */
    if (!st)
        return 0;
    char *pk = dbsync_pk_text(t, t->ncol, v);
    int off = 0;
    db_bind_text(st, db_param(st, ":tbl"), t->name);
    db_bind_text(st, db_param(st, ":pk"), pk);
    while (!off && sqlite3_step(st) == SQLITE_ROW) {
        /* The move's own stamp (each column's: sync_parked.stamps). */
        struct clock pc;
        memset(&pc, 0, sizeof pc);
        pc.row.hlc = sqlite3_column_int64(st, 1);
        snprintf(pc.row.rep, sizeof pc.row.rep, "%s", (const char *)sqlite3_column_text(st, 0));
        pc.cols = (char *)sqlite3_column_text(st, 3);
        sqlite3_changeset_iter *it = NULL;
        if (sqlite3changeset_start(&it, sqlite3_column_bytes(st, 2),
                                   (void *)sqlite3_column_blob(st, 2)) != SQLITE_OK)
            continue;
        const char *name;
        int nc, op, ind;
        if (sqlite3changeset_next(it) == SQLITE_ROW &&
            (sqlite3changeset_op(it, &name, &nc, &op, &ind), op == SQLITE_UPDATE) &&
            nc == t->ncol) {
            for (int i = 0; i < nc && !off; i++) {
                int par = t->col[i].parent;
                sqlite3_value *o = NULL, *n = NULL;
                struct stamp p = dbsync_col_stamp(&pc, i);
                if (dbsync_stamp_cmp(&p, &a->st) > 0 || par < 0 ||
                    !dbsync_is_contact(&a->s->t[par]) || t->col[i].setnull ||
                    sqlite3changeset_old(it, i, &o) != SQLITE_OK || !o ||
                    sqlite3changeset_new(it, i, &n) != SQLITE_OK || !n)
                    continue;
                struct val ov = dbsync_val_of(o), nv = dbsync_val_of(n),
                           idv = dbsync_val_text(kp->id);
                off = ov.type == SQLITE_TEXT && nv.type == SQLITE_TEXT &&
                      dbsync_val_same(&ov, &idv) && !dbsync_val_same(&nv, &idv);
            }
        }
        sqlite3changeset_finalize(it);
    }
    sqlite3_reset(st);
    free(pk);
    return off;
}

/* The stamps of the rows x sends again (sync_stamp rows after them): each
 * column as this replica has it stamped, so that a value changed elsewhere
 * later than it was here still wins there (the rows come back as of the
 * change; so do the contact's archived, which the change sets, and values
 * naming other rows, which the delete may have taken). */
static void stamp_again(struct ap *a, struct enc *x)
{
    sqlite3_changeset_iter *it = NULL;
    struct enc st = {0};
    if (!x->rows || sqlite3changeset_start(&it, (int)x->b.len, x->b.s) != SQLITE_OK)
        return;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int ncol, op, ind;
        sqlite3changeset_op(it, &name, &ncol, &op, &ind);
        int ti = dbsync_table_index(a->s, name);
        if (op != SQLITE_INSERT || ti < 0 || ncol != a->s->t[ti].ncol)
            continue;
        const struct stable *t = &a->s->t[ti];
        struct val *v = kcalloc((size_t)ncol, sizeof *v);
        for (int i = 0; i < ncol; i++) {
            sqlite3_value *x0 = NULL;
            sqlite3changeset_new(it, i, &x0);
            v[i] = dbsync_val_of(x0);
        }
        char *pk = dbsync_pk_text(t, ncol, v);
        struct clock c, out;
        memset(&out, 0, sizeof out);
        if (dbsync_clock_get(a->db, t->name, pk, &c, NULL) == K_OK && c.found && c.alive) {
            int arch = dbsync_is_contact(t) ? dbsync_col_index(t, "archived") : -1;
            for (int i = 0; i < ncol; i++) {
                struct stamp cs = dbsync_col_stamp(&c, i), moved = dbsync_moved_at(&c, i);
                /* A value naming a row (ON DELETE CASCADE) goes as of the
                 * keep, with the stamp of its move: a delete of the row it
                 * named before, made later than the move, did not take it
                 * (moved_before). */
                if (!t->col[i].pk && i != t->key && t->col[i].parent >= 0 && !t->col[i].setnull &&
                    moved.hlc)
                    dbsync_set_moved(&out, i, &moved);
                if (t->col[i].pk || i == t->key || t->col[i].parent >= 0 || i == arch || !cs.hlc)
                    continue;
                dbsync_set_col(&out, i, &cs);
            }
        }
        if (out.cols && *out.cols)
            dbsync_put_stamps(&st, t->name, pk, out.cols);
        dbsync_clock_clear(&out);
        dbsync_clock_clear(&c);
        free(pk);
        free(v);
    }
    sqlite3changeset_finalize(it);
    sbuf_addn(&x->b, st.b.s, st.b.len);
    x->t = NULL;
    sbuf_free(&st.b);
}

/* The rows that go with t's rows sent again with the kept contact (those
 * whose column c holds by, as moved_off_waiting leaves them), ON DELETE
 * CASCADE (a referral's outcomes): into x too. */
static int put_below(struct ap *a, struct enc *x, struct keys *k, const struct stable *t, int c,
                     const struct val *by, struct keeping *wt, struct kerr *e)
{
    int ti = (int)(t - a->s->t), rc = K_OK, any = 0;
    for (int t2 = 0; t2 < a->s->nt && !any; t2++)
        for (int c2 = 0; c2 < a->s->t[t2].ncol && !any; c2++)
            any = names_below(a->s, &a->s->t[t2], c2, ti);
    if (!any)
        return K_OK;
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT *"
        " FROM \"%w\""
        " WHERE \"%w\" = ?1",
        t->name, t->col[c].name);
    /* clang-format on */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(a->db->h, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_column_count(st) != t->ncol) {
        rc = db_fail(a->db, e, "reading the journal for sync");
        goto out;
    }
    dbsync_val_bind(st, 1, by);
    struct row r = {0};
    int s;
    while (rc == K_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
        /* Owned: the rows put below run statements of their own. */
        dbsync_row_take(&r, st, t->ncol);
        if (dbsync_to_ids(a->db, a->s, k, t, t->ncol, r.v) && !moved_off_waiting(wt, t, r.v))
            for (int t2 = 0; t2 < a->s->nt && rc == K_OK; t2++)
                for (int c2 = 0; c2 < a->s->t[t2].ncol && rc == K_OK; c2++) {
                    const struct stable *u = &a->s->t[t2];
                    int pc =
                        names_below(a->s, u, c2, ti) ? dbsync_col_index(t, u->col[c2].pcol) : -1;
                    if (pc >= 0 && r.v[pc].type != SQLITE_NULL)
                        rc = dbsync_put_rows(a->db, x, k, u, u->col[c2].name, &r.v[pc], NULL, NULL,
                                             e);
                }
        dbsync_row_free(&r);
    }
    if (rc == K_OK && s != SQLITE_DONE)
        rc = db_fail(a->db, e, "reading the journal for sync");
out:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}

/* A contact kept against a delete: archived, and sent again whole (with
 * what belongs to it) as a change of this replica's, so that the replica
 * that deleted it gets it back; each value with its own stamp
 * (stamp_again). */
static int keep_contact(struct ap *a, const char *id, struct kerr *e)
{
    struct db_sync *s = a->s;
    int ci = dbsync_table_index(s, "contact");
    const struct stable *ct = &s->t[ci];
    struct enc x = {0};
    struct keys k = {0};
    struct val idv = dbsync_val_text(id);
    struct keeping wt = {a, id};
    int rc = K_OK;
    x.indirect = 1;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "UPDATE contact"
        " SET archived = 1"
        " WHERE id = ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    if ((rc = db_step_done(a->db, st, e)) != K_OK)
        return rc;
    /* The delete it was kept against, as where the delete was applied and
     * the contact came back: a row logged with it before that delete and
     * not sent again with it here went with the delete everywhere. */
    struct clock cc;
    if ((rc = dbsync_clock_get(a->db, ct->name, id, &cc, e)) == K_OK) {
        struct stamp was = dbsync_deleted_at(&cc);
        cc.found = cc.alive = 1; /* a row from before sync has no stamp */
        if (dbsync_stamp_cmp(&a->st, &was) > 0)
            dbsync_set_col(&cc, -1, &a->st);
        rc = dbsync_clock_put(a->db, ct->name, id, &cc, e);
    }
    dbsync_clock_clear(&cc);
    if (rc != K_OK)
        return rc;
    rc = dbsync_put_rows(a->db, &x, &k, ct, ct->col[ct->id].name, &idv, NULL, NULL, e);
    int found;
    sqlite3_int64 key = ct->key >= 0 ? dbsync_local_key(a->db, ct, &idv, &found) : 0;
    struct val keyv = {SQLITE_INTEGER, key, 0, NULL, 0};
    for (int i = 0; i < s->nt && rc == K_OK; i++) {
        const struct stable *t = &s->t[i];
        for (int c = 0; c < t->ncol && rc == K_OK; c++) {
            if (t->col[c].parent != ci)
                continue;
            const struct val *by = t->col[c].lkey == ci ? &keyv : &idv;
            rc = dbsync_put_rows(a->db, &x, &k, t, t->col[c].name, by, moved_off_waiting, &wt, e);
            if (rc == K_OK && !t->col[c].setnull)
                rc = put_below(a, &x, &k, t, c, by, &wt, e);
            /* The rows these name, one level up (an interaction). */
            for (int o = 0; o < t->ncol && rc == K_OK; o++) {
                int p = t->col[o].parent;
                if (o == c || p < 0 || p == ci)
                    continue;
                /* clang-format off */
                char *sql = sqlite3_mprintf(
                    "SELECT DISTINCT \"%w\""
                    " FROM \"%w\""
                    " WHERE \"%w\" = ?1",
                    t->col[o].name, t->name, t->col[c].name);
                /* clang-format on */
                sqlite3_stmt *q = NULL;
                if (sqlite3_prepare_v2(a->db->h, sql, -1, &q, NULL) == SQLITE_OK) {
                    dbsync_val_bind(q, 1, by);
                    while (rc == K_OK && sqlite3_step(q) == SQLITE_ROW) {
                        struct val pv = dbsync_val_col(q, 0);
                        if (pv.type != SQLITE_NULL)
                            rc = dbsync_put_rows(a->db, &x, &k, &s->t[p], t->col[o].pcol, &pv, NULL,
                                                 NULL, e);
                    }
                }
                sqlite3_finalize(q);
                sqlite3_free(sql);
            }
        }
    }
    if (rc == K_OK)
        stamp_again(a, &x);
    if (rc == K_OK && a->again.rows) {
        sbuf_addn(&x.b, a->again.b.s, a->again.b.len);
        x.rows += a->again.rows;
        sbuf_free(&a->again.b);
        memset(&a->again, 0, sizeof a->again);
    }
    if (rc == K_OK && x.rows)
        rc = dbsync_keep(a->db, x.b.s, x.b.len, e);
    if (rc == K_OK) {
        struct val *w = kcalloc((size_t)ct->ncol, sizeof *w);
        w[ct->id] = idv;
        rc = dbsync_conflict(a, ct, ct->ncol, w, "contact", kstr_dup("kept, archived"),
                             kstr_dup("deleted there"), NULL, a->st.rep,
                             "a change the delete had not seen keeps the contact, archived", e);
        free(w);
        a->out->kept++;
    }
    sbuf_free(&x.b);
    dbsync_keys_free(&k);
    return rc;
}

/* A row the record took here by cascade but moved away first (an update
 * parked because the row it moves to is not here yet: a referral moved by
 * a merge to a contact whose insert comes in a file not applied yet): where
 * the record was made the row stayed. It waits, whole with the update's
 * values, for that row. 1 when it was such a row, -1 on an error. */
static int moved_away(struct ap *a, const struct stable *t, int ncol, const char *pk,
                      const struct val *old, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT id, changes"
        " FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk AND replica = :replica AND hlc = :hlc"
        " ORDER BY id DESC"
        " LIMIT 1",
        e);
    /* clang-format on */
    if (!st)
        return -1;
    db_bind_text(st, db_param(st, ":tbl"), t->name);
    db_bind_text(st, db_param(st, ":pk"), pk);
    db_bind_text(st, db_param(st, ":replica"), a->replica);
    sqlite3_bind_int64(st, db_param(st, ":hlc"), a->st.hlc);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    int n = sqlite3_column_bytes(st, 1), done = 0;
    void *buf = kmalloc((size_t)n + 1);
    memcpy(buf, sqlite3_column_blob(st, 1), (size_t)n);
    sqlite3_reset(st);
    sqlite3_changeset_iter *it = NULL;
    struct val *v = kcalloc((size_t)ncol, sizeof *v);
    if (sqlite3changeset_start(&it, n, buf) == SQLITE_OK) {
        const char *name;
        int nc, op, ind;
        if (sqlite3changeset_next(it) == SQLITE_ROW &&
            (sqlite3changeset_op(it, &name, &nc, &op, &ind), op == SQLITE_UPDATE) && nc == ncol) {
            for (int i = 0; i < ncol; i++) {
                sqlite3_value *x = NULL;
                v[i] = old[i];
                if (sqlite3changeset_new(it, i, &x) == SQLITE_OK && x)
                    v[i] = dbsync_val_of(x);
            }
            done = 1;
        }
    }
    int rc = K_OK;
    if (done) {
        /* clang-format off */
        st = db_stmt(a->db,
            "DELETE FROM sync_parked"
            " WHERE id = :id",
            e);
        /* clang-format on */
        if (!st) {
            rc = K_ERR;
        } else {
            sqlite3_bind_int64(st, db_param(st, ":id"), id);
            rc = db_step_done(a->db, st, e);
        }
        if (rc == K_OK)
            rc = dbsync_park(a, t, ncol, SQLITE_INSERT, NULL, v, NULL, e);
    }
    sqlite3changeset_finalize(it);
    free(v);
    free(buf);
    return rc != K_OK ? -1 : done;
}

/* 1 when the row of table p that v names waits with a change of the
 * record being applied: moved away from a row the record deletes, to a
 * row not here yet (moved_away). */
static int waits_moved(struct ap *a, const struct stable *p, const struct val *v)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT 1"
        " FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk AND replica = :replica AND hlc = :hlc",
        NULL);
    /* clang-format on */
    if (!st)
        return 0;
    db_bind_text(st, db_param(st, ":tbl"), p->name);
    sqlite3_bind_text(st, db_param(st, ":pk"), v->p, v->n, SQLITE_TRANSIENT);
    db_bind_text(st, db_param(st, ":replica"), a->replica);
    sqlite3_bind_int64(st, db_param(st, ":hlc"), a->st.hlc);
    int r = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return r;
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
        rc = dbsync_translate(a->db, buf, n, &x, e);
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
        int ti = dbsync_table_index(a->s, name);
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
        if ((rc = dbsync_clock_get(a->db, name, pk, &c, e)) == K_OK) {
            int put = 0, moved = op == SQLITE_DELETE ? moved_away(a, t, ncol, pk, v, e) : 0;
            if (moved < 0) {
                rc = K_ERR;
            } else if (moved || (op == SQLITE_DELETE && c.found && !c.alive &&
                                 dbsync_stamp_cmp(&c.row, &a->st) > 0)) {
                /* Waits, as it is (moved_away), or buried as of a later
                 * delete (an update that moved it to a row that delete
                 * took: bury_moved). */
            } else if (op == SQLITE_DELETE && c.found && c.alive &&
                       dbsync_stamp_cmp(&c.row, &a->st) > 0) {
                /* A row made later than the delete that took it with its
                 * parent (another replica logged it meanwhile): it waits,
                 * as there, for the parent to come back. */
                struct stamp was = a->st, *cs = kcalloc((size_t)ncol, sizeof *cs);
                const char *rep = a->replica;
                for (int i = 0; i < ncol; i++)
                    cs[i] = dbsync_col_stamp(&c, i);
                a->st = c.row;
                a->replica = c.row.rep;
                rc = dbsync_park(a, t, ncol, SQLITE_INSERT, NULL, v, cs, e);
                a->st = was;
                a->replica = rep;
                free(cs);
            } else if (op == SQLITE_DELETE) {
                /* Not one the record names (apply_delete buried those). */
                int named = c.found && !c.alive && !dbsync_stamp_cmp(&c.row, &a->st);
                dbsync_bury(&c, ncol, v, &a->st);
                if (!named) {
                    dbsync_mark_cascade(&c);
                    dbsync_mark_unnamed(&c);
                }
                put = 1;
            } else if (op == SQLITE_UPDATE) {
                struct val *back = kcalloc((size_t)ncol, sizeof *back), *was = NULL;
                struct stamp at = a->st, *bs = kcalloc((size_t)ncol, sizeof *bs);
                for (int i = 0; i < ncol; i++) {
                    sqlite3_value *nv = NULL;
                    struct stamp cs = dbsync_col_stamp(&c, i);
                    if (sqlite3changeset_new(it, i, &nv) != SQLITE_OK || !nv)
                        continue;
                    /* Given back with its own stamp (dbsync_give_back):
                     * no cascade of the record's. */
                    if (t->col[i].setnull && sqlite3_value_type(nv) != SQLITE_NULL)
                        continue;
                    /* Equal: the record's own change (it named the row). */
                    int cmp = dbsync_stamp_cmp(&a->st, &cs), later = cmp > 0;
                    if (!cmp)
                        continue;
                    /* A NULL the apply noted as a delete's, with its
                     * stamp (named_back): not the record's doing. */
                    struct stamp nb = dbsync_nulled_at(&c, i);
                    if (nb.hlc && t->col[i].setnull && sqlite3_value_type(nv) == SQLITE_NULL)
                        continue;
                    /* Emptied (ON DELETE SET NULL) as the row it named went
                     * here: a value set later than that (a thank-you made
                     * after the delete, where the row was back), or while
                     * the row's move waits (where the move came first the
                     * row stayed, and so did this value), comes back with
                     * the row (parked), with no stamp of the NULL's. */
                    const struct scol *col = &t->col[i];
                    const struct stable *p = col->parent >= 0 ? &a->s->t[col->parent] : NULL;
                    if (p && col->setnull && sqlite3_value_type(nv) == SQLITE_NULL &&
                        v[i].type == SQLITE_TEXT && !strcmp(col->pcol, "id") && p->id >= 0 &&
                        p->col[p->id].pk &&
                        (!later || waits_moved(a, p, &v[i]) || dbsync_emptied(a, t, pk, i))) {
                        if (!was) {
                            was = kcalloc((size_t)ncol, sizeof *was);
                            memcpy(was, v, (size_t)ncol * sizeof *was);
                        }
                        back[i] = v[i];
                        was[i].type = SQLITE_NULL;
                        /* Each as of its stamp: the record's, or its own. */
                        bs[i] = later ? a->st : cs;
                        if (!later) {
                            /* It comes back as of its own stamp. */
                            static const struct stamp none = {0, ""};
                            if (dbsync_stamp_cmp(&cs, &at) > 0)
                                at = cs;
                            dbsync_set_col(&c, i, &none);
                            put = 1;
                        }
                        continue;
                    }
                    if (!later)
                        continue;
                    dbsync_set_col(&c, i, &a->st);
                    if (col->setnull && sqlite3_value_type(nv) == SQLITE_NULL &&
                        v[i].type == SQLITE_TEXT) {
                        dbsync_set_nulled(&c, i, &cs);
                        dbsync_set_emptied(&c, i, &v[i]);
                    }
                    put = 1;
                }
                if (was) {
                    struct stamp keep = a->st;
                    const char *rep = a->replica;
                    a->st = at;
                    a->replica = at.rep;
                    for (int i = 0; i < ncol; i++)
                        if (!bs[i].hlc)
                            bs[i] = at;
                    rc = dbsync_park(a, t, ncol, SQLITE_UPDATE, was, back, bs, e);
                    a->st = keep;
                    a->replica = rep;
                }
                free(bs);
                free(was);
                free(back);
            }
            if (put)
                rc = dbsync_clock_put(a->db, name, pk, &c, e);
        }
        dbsync_clock_clear(&c);
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
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "UPDATE sync_self"
        " SET hlc = max(hlc, :hlc)"
        " WHERE id = 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":hlc"), r->hlc);
    dbsync_stamps_read(r->buf, (int)r->n, &a->stamps);
    if ((rc = db_step_done(a->db, st, e)) != K_OK ||
        (rc = dbsync_knew_note(a->db, &a->st, e)) != K_OK ||
        (rc = plan_kept(a, r->buf, r->n, e)) != K_OK) {
        dbsync_stamps_free(&a->stamps);
        return rc;
    }
    /* What the record does here, deletes it cascades to included. */
    sqlite3_session *rec = NULL;
    if (sqlite3session_create(a->db->h, "main", &rec) != SQLITE_OK)
        rec = NULL;
    else if (sqlite3session_table_filter(rec, dbsync_table_filter, NULL),
             sqlite3session_attach(rec, NULL) != SQLITE_OK) {
        sqlite3session_delete(rec);
        rec = NULL;
    }
    /* Inserts and updates first, deletes last: a row the record moved
     * away from a row it deletes (a referral moved to the contact another
     * was merged into) must not go here, by cascade, with the row it left. */
    dbsync_gone_read(a->s, r->buf, (int)r->n, &a->gone);
    a->rec = r->buf;
    a->nrec = (int)r->n;
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
            rc = dbsync_apply_one(a, it, pass == 1, &retry, e);
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
    for (size_t i = 0; i < a->nkept && rc == K_OK; i++)
        rc = dbsync_kept_moved(a, a->kept[i], e);
    dbsync_gone_free(&a->gone);
    dbsync_stamps_free(&a->stamps);
    a->rec = NULL;
    a->nrec = 0;
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
    dbsync_emptied_free(a);
    free(a->kept);
    free(a->skip);
    free(a->retry);
    sbuf_free(&a->again.b);
    memset(&a->again, 0, sizeof a->again);
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
        char *stamps;
        void *buf;
        int n;
    } *v = NULL;
    size_t n = 0;
    int rc = K_OK, s;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT id, replica, hlc, changes, stamps"
        " FROM sync_parked"
        " ORDER BY id",
        e);
    /* clang-format on */
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
        v[n].stamps = db_col_text(st, 4);
        n++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        rc = db_fail(a->db, e, "reading the sync state");
    const char *was = a->replica;
    a->unparking = 1;
    /* Again while one goes: a change may wait for a row another brings. */
    for (size_t gone = 1; gone && rc == K_OK;) {
        gone = 0;
        for (size_t i = 0; i < n && rc == K_OK; i++) {
            sqlite3_changeset_iter *it = NULL;
            if (!v[i].buf)
                continue;
            a->replica = v[i].replica;
            a->st.hlc = v[i].hlc;
            snprintf(a->st.rep, sizeof a->st.rep, "%s", v[i].replica);
            a->still = 0;
            if (sqlite3changeset_start(&it, v[i].n, v[i].buf) != SQLITE_OK)
                continue;
            a->pcols = v[i].stamps;
            while (rc == K_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
                int retry = 0;
                rc = dbsync_apply_one(a, it, 1, &retry, e);
            }
            a->pcols = NULL;
            sqlite3changeset_finalize(it);
            if (rc == K_OK && !a->still) {
                /* clang-format off */
            st = db_stmt(a->db,
                "DELETE FROM sync_parked"
                " WHERE id = :id",
                e);
                /* clang-format on */
                if (!st) {
                    rc = K_ERR;
                    break;
                }
                sqlite3_bind_int64(st, db_param(st, ":id"), v[i].id);
                rc = db_step_done(a->db, st, e);
                free(v[i].buf);
                v[i].buf = NULL;
                gone++;
            }
        }
    }
    a->unparking = 0;
    a->replica = was;
    for (size_t i = 0; i < n; i++) {
        free(v[i].buf);
        free(v[i].stamps);
    }
    free(v);
    return rc;
}

int dbsync_apply(struct db *db, const char *replica, long long fileseq, const char *at,
                 const struct dbsync_rec *recs, size_t n, struct dbsync_applied *out,
                 struct kerr *e)
{
    struct db_sync *s = dbsync_state(db);
    struct ap a;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = dbsync_schema(db, e)) != K_OK)
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
            " ON CONFLICT (replica) DO UPDATE"
            "  SET fileseq = excluded.fileseq,"
            "  seen = max(coalesce(seen, ''), coalesce(excluded.seen, '')),"
            "  applied_at = excluded.applied_at",
            e);
        /* clang-format on */
        if (!st) {
            rc = K_ERR;
        } else {
            db_bind_text(st, db_param(st, ":replica"), replica);
            sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
            db_bind_text(st, db_param(st, ":seen"), at);
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
