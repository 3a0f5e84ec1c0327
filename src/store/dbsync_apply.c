/* kith's sync: applying one change of another replica's.
 *
 * The rule, the same on every replica:
 * - A stamp is (HLC, replica id); the later stamp wins, equal clocks going
 *   to the greater replica id (dbsync_stamp_cmp).
 * - Per column: a value arriving with a stamp later than the column's
 *   (sync_clock) replaces it; an earlier one is left out. Where both sides
 *   changed it, the value not taken is listed (sync_conflict).
 *   A NULL a delete left (ON DELETE SET NULL: a referral's target) is the
 *   delete's only where the value still named the row deleted: an update
 *   not later than the delete (or in its record: a merge) that had moved
 *   the value off that row replaces the NULL here (emptied_after), also
 *   where the update waited for its row and the row came with the NULL;
 *   and a NULL the record's delete gave there leaves a value here that
 *   names another row, as where the move came first and the delete found
 *   the value elsewhere. So does an update later than the value the NULL
 *   emptied (its stamp noted with the NULL: dbsync_set_nulled), though
 *   not later than the NULL: a merge's move of a referral's target, met
 *   after another replica's delete of the contact an earlier merge had
 *   moved it to, had moved it elsewhere before that delete.
 * - A row's existence is the later of its insert and its delete: a delete
 *   older than the insert that made the row here leaves it; an insert older
 *   than a delete here adds its values to what the delete kept (tomb), for
 *   an insert to come.
 * - A contact deleted against a change later than the delete (to the
 *   contact, or something logged with it, as this replica has it when the
 *   delete arrives) stays, archived, with what belongs to it, and this
 *   replica sends it again whole (dbsync_record.c, keep_contact), each
 *   value with the stamp it has here (the rows, the contact's archived and
 *   what names other rows as of the keep: stamp_again), noting the
 *   delete it was kept against, as a replica that applied the delete
 *   notes it when the contact comes back. Not sent again with it is a row
 *   that a change waiting here (parked: the contact it moves to is not
 *   here) moves off the contact, not later than the delete (a merge's own
 *   move): the row had left the contact where the move came first, and
 *   the new stamps would hide the move (moved_off_waiting). A row kept
 *   with it that the record deletes (an interaction with it alone where
 *   the delete was made) is noted as deleted too, and loses what named it
 *   from before the delete and is not sent again with the contact
 *   (cascade_older): as where the delete came first and the row came back
 *   with the contact.
 *   So does a change the replica deleting it had not seen (what it had
 *   of each replica's: dbsync_knew): to the contact, to a row naming it
 *   (each of its values as of its own change: a referral's outcome), or
 *   to a row that goes with such a row (ON DELETE CASCADE: the outcome's
 *   history); a row the delete names as it is here, value for value, it
 *   had, whatever their stamps (passed on by a contact kept against
 *   another delete, they may reach it ahead of their maker's records).
 *   What goes with a row kept with the contact stays, and is sent again
 *   with it (dbsync_record.c, put_below).
 *   A row the record deletes with the contact that a move (a merge) took
 *   to another contact here, later than the delete, is not kept: the
 *   delete takes it, as where the move came after the delete (kept_here).
 *   Nor is a row the record deletes and inserts again naming another
 *   contact (a merge's move of an interaction's link, which is part of the
 *   link's key): it goes where the record moves it (moved_by_record).
 *   So are the rows such a row names that the record deletes (a
 *   thank-you's referral): they are kept with the contact as the row is
 *   here, not as the record has it (dbsync_delete_kept); a row deleted
 *   here already (an interaction's link that went with an earlier delete
 *   the contact was kept against, before the link came) keeps nothing:
 *   the interaction it named is no one's here, and the delete takes it.
 *   A row moved to the contact (a merge) not later than the delete, which
 *   the record does not name (the replica that deleted had not seen the
 *   move), is noted as deleted too and loses what named it from before
 *   the delete, but is sent again with the contact (dbsync_kept_moved):
 *   where the delete came after the move it took the row (bury_moved), and
 *   the row came back with the contact sent again. The rows that lose it
 *   (a thank-you's referral) are sent again with the contact too: where
 *   another replica that kept the contact sent the row again first, its
 *   new stamps hide the move.
 * - Within a record, inserts and updates go before deletes; a row whose
 *   parent is not here waits (sync_parked) until it is.
 * - A row inserted with a row it names (ON DELETE CASCADE, by id or by a
 *   local key sent as the id: an interaction's link to a contact) that was
 *   deleted later than the insert goes with that delete, as it did where
 *   the delete cascaded: dropped when the row named is back (the delete
 *   undone, or the contact kept against it: it comes back with what the
 *   replica that kept it had), waiting while it is a contact still
 *   deleted here (it may be kept). A value naming such a row (ON DELETE
 *   SET NULL: a referral's target) set before the delete is NULL, as of
 *   the delete (null_deleted). So with an update that moves a row there
 *   (a merge's move of a referral to a contact deleted later, still
 *   deleted here or kept against that delete by a replica that had not
 *   seen the move): the row goes with the delete, as where the delete came
 *   after the move (bury_moved); if the contact comes back, it comes with
 *   what the replica that brought it back had.
 * - A delete older than the insert that made its row here (the row sent
 *   again by a replica that kept it) leaves the row but takes what named
 *   it from before the delete, as where the delete came first and the row
 *   came back after (cascade_older).
 * - A row that went with a row it named keeps its values, marked as gone
 *   by cascade; a change not later than that delete that had moved it to
 *   another row (a merge) brings it back: it was not the deleted row's
 *   when the delete was made (revive_moved), with a value naming a row
 *   deleted here since (ON DELETE SET NULL) empty, as that delete left it
 *   where the row stayed. So does a move later than the delete where the
 *   delete did not name the row (the replica that deleted had not seen
 *   it; the row went here by cascade, marked so: dbsync_mark_unnamed):
 *   where the move came first, that delete left the row where it was
 *   moved. A row a move buried as of a later delete (bury_moved) was
 *   elsewhere here when that delete came, so the delete did not name it
 *   (a merge's undo later than another replica's delete of the contact
 *   merged into brings back what the merge had moved there), unless it
 *   named the row as it was where it was made and left it here, moved
 *   elsewhere first (moved_before, noted: dbsync_mark_named). A delete
 *   that named the row takes it even where a later move came first.
 *   Where a row it names is not here yet, the update waits for the rest
 *   of its record, as a refused insert does (a merge's undo moves the row
 *   back to the contact the undo brings back). Within one
 *   record, a row moved away from a row the record deletes waits for the
 *   row it moved to (dbsync_record.c, moved_away); a value that the row's
 *   going there emptied on the way (ON DELETE SET NULL: a thank-you's
 *   referral) takes no stamp and comes back with the row (waits_moved),
 *   as where the move came first.
 * - A delete a record names that was a cascade where it was made (the
 *   record also deletes the row it named, ON DELETE CASCADE: the replica
 *   had not seen a move away from that row) is a cascade here too: its
 *   row, marked so (also for this replica's own deletes, stamp_change),
 *   comes back with a move not later than the delete; where that move is
 *   here first, the row stays (moved_before), also where the row was
 *   sent again later than the delete (a contact kept against another
 *   delete): a value naming a row (ON DELETE CASCADE) goes again as of
 *   the keep, but with the stamp of the change that set it too
 *   (dbsync_moved_at, stamp_again), and that is the move's stamp here.
 *   Such a row sent again to a replica where the delete took it comes
 *   back not noted as deleted (left_before), as the move would have
 *   brought it back, so what names it keeps it (null_deleted). So a
 *   merge's move and another replica's delete of the contact merged away
 *   leave the same rows in either order. An interaction the record deletes
 *   with its last link to a contact it deletes (logged with that contact
 *   alone: dbcontact_delete deletes it itself) is a cascade of that link
 *   (dbsync_origin_cascade): it stays where a link here to another
 *   contact, made not later than the delete and never deleted, names it
 *   (linked_before), and such a link met after the delete brings it back
 *   (revive_linked); kept with the contact kept against the delete, it
 *   comes back with what is sent again, without that link, on every
 *   replica (kept, or linked_back where the link kept it first).
 * - A row a delete named and left here, moved elsewhere first
 *   (moved_before), that an insert later takes back to the contact that
 *   delete deleted, back since from it (the delete undone, or the contact
 *   kept against it), is the row as the delete took it there: what named
 *   it from before the delete (ON DELETE SET NULL: a thank-you's referral)
 *   loses it, as of the delete (named_back), as where the delete met the
 *   row with that contact. Not an insert whose value there was set no
 *   later than the row's here, sent again only (a contact kept against
 *   that delete by a replica that had not seen the move: stamp_again):
 *   it takes nothing back, and that replica sends the move again.
 * - A move into a row deleted later buries its row (bury_moved), and that
 *   empties on the way what names the row (ON DELETE SET NULL: a
 *   thank-you's referral), though the record did not change it. So does
 *   a row sent again (a contact kept against a delete) that names, later
 *   than the row here, a row deleted here later than that: where the row
 *   came first, the delete took it by cascade. Where the
 *   delete came after the move, the delete emptied it, as of the delete;
 *   but a change not later than the delete that moves the row back (a
 *   merge's undo: revive_moved) brings the row back, and where it came
 *   before the delete, nothing was emptied. So such a value is noted
 *   (note_emptied): a row buried with it in the record keeps it in its
 *   tomb, a row that stays waits with it for the row it names, with no
 *   stamp of the NULL (dbsync_record.c, stamp_cascades).
 * - A row kept with a contact kept against a delete (both clocks note that
 *   delete) that an update made before the delete moves away from that
 *   contact (a merge not seen here when the contact was kept) goes where
 *   the update moves it, though the row was sent again with the contact
 *   later than the update: where the move came first, the row had left
 *   the contact before the delete and stayed where it was moved
 *   (moved_before). This replica sends the move again, as its own change,
 *   to the replicas that took the row back with the contact (send_move);
 *   where the row it moves to is deleted here, the row stays as it is.
 *   Moved, the row is no longer noted as deleted with the contact: the
 *   delete named it and left it (moved_before), and what names it from
 *   before the delete keeps it (null_deleted), as where the delete came
 *   first and the move brought the row back (revive_moved).
 * - A value a delete emptied (ON DELETE SET NULL: a thank-you's referral)
 *   as it took the row the value names with a contact (a referral with
 *   the contact that made it) is noted with the id it held, wherever the
 *   NULL is given (the delete's replica, the record applied, cascade_older
 *   where the contact is kept, null_deleted). A move of that row off the
 *   contact not later than the delete, met after it (revive_moved where
 *   the delete took the row, left_kept where the row was kept with the
 *   contact), shows the delete did not take it: the value comes back with
 *   its own stamp (dbsync_give_back). Where the move came first, the
 *   record's NULL is left out (left_before_delete); a move sent again
 *   (send_move) carries the move's own stamp for that (stamps, as a row
 *   sent again does), and gives the value back where it meets the row
 *   sent again with the contact, as the move itself would
 *   (sent_move_off_kept). So the value names the row on every replica,
 *   as where the move came first.
 * - A value a delete here emptied (ON DELETE SET NULL) that was set later
 *   than the delete (a thank-you made where the referral was back) takes
 *   no stamp of that NULL and comes back with the row it names, as of its
 *   own stamp (dbsync_record.c, stamp_cascades).
 * - A change that waits keeps its values as they came, each with its own
 *   stamp (sync_parked.stamps); a later change of the row goes into it,
 *   column by column as the later stamp wins, whether it comes after the
 *   change waiting (park_into) or waited before it (an update whose insert
 *   comes in a file applied later: fold_parked). The row waits as of the
 *   latest (what it names), and when it comes each column is judged by its
 *   own stamp and the row is there as of its insert: as where the insert
 *   and the updates were applied one by one.
 *
 * Known limits: the delete-against-change rule depends on what the
 * replica holds when the delete arrives; with three replicas a few long
 * runs still end different (see kith(1) BUGS and the figures in
 * README.md). A rule that depends only on the changes themselves (each
 * record naming the contacts it touches, and a move naming the row it
 * moves from) is the way out; it is not built yet. Undoing a losing
 * delete from the tombstones it left here, with the rule as it is, was
 * tried and made the property converge less often, not more. */
#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbhistory.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbsync_is_kept(const struct ap *a, const struct val *v)
{
    for (size_t i = 0; i < a->nkept; i++)
        if (v->type == SQLITE_TEXT && (size_t)v->n == strlen(a->kept[i]) &&
            !memcmp(v->p, a->kept[i], (size_t)v->n))
            return 1;
    return 0;
}

int dbsync_is_contact(const struct stable *t)
{
    return !strcmp(t->name, "contact") && dbsync_col_index(t, "archived") >= 0;
}

/* The contact a row belongs to (its id in out), for a conflict's entity. */
static void owner(const struct stable *t, const struct db_sync *s, int ncol, const struct val *v,
                  char out[KID_LEN + 1], char *entity, size_t n)
{
    out[0] = 0;
    snprintf(entity, n, "%s", t->name);
    for (int i = 0; i < ncol && !out[0]; i++) {
        /* A contact's own rows carry its id as their key on the wire. */
        int self = dbsync_is_contact(t) && (i == t->id || i == t->key);
        int p = self ? (int)(t - s->t) : t->col[i].parent;
        if (p < 0 || !dbsync_is_contact(&s->t[p]) || v[i].type != SQLITE_TEXT)
            continue;
        snprintf(out, KID_LEN + 1, "%.*s", v[i].n, (const char *)v[i].p);
        snprintf(entity, n, "contact");
    }
    if (!out[0] && t->id >= 0 && t->id < ncol && v[t->id].type == SQLITE_TEXT)
        snprintf(out, KID_LEN + 1, "%.*s", v[t->id].n, (const char *)v[t->id].p);
}

/* The text of column name of a change's row (ids), or "". */
static struct val col_text(const struct stable *t, int ncol, const struct val *ids,
                           const char *name)
{
    int i = dbsync_col_index(t, name);
    if (i < 0 || i >= ncol || ids[i].type != SQLITE_TEXT)
        return dbsync_val_text("");
    return ids[i];
}

/* What a row no contact owns is, for a reader (a new string, free()), and
 * the id it goes by (its challenge, a reminder's subject) in id; NULL for
 * other rows. */
static char *about(const struct stable *t, int ncol, const struct val *ids, char id[KID_LEN + 1])
{
    struct sbuf b = {0};
    if (!strcmp(t->name, "challenge_tick")) {
        struct val c = col_text(t, ncol, ids, "challenge_id"), d = col_text(t, ncol, ids, "date");
        snprintf(id, KID_LEN + 1, "%.*s", c.n, (const char *)c.p);
        sbuf_printf(&b, "challenge tick %.*s", d.n, (const char *)d.p);
    } else if (!strcmp(t->name, "reminder_state")) {
        struct val r = col_text(t, ncol, ids, "rule"), s = col_text(t, ncol, ids, "subject"),
                   f = col_text(t, ncol, ids, "fired_on");
        snprintf(id, KID_LEN + 1, "%.*s", s.n, (const char *)s.p);
        sbuf_printf(&b, "reminder %.*s of %.*s", r.n, (const char *)r.p, f.n, (const char *)f.p);
    }
    return b.len ? sbuf_take(&b) : NULL;
}

/* The name of contact id: as it is here, else from the values the change
 * carries, else from those its delete left in the clock (NULL: not
 * known), for a conflict to say whom it is about once the contact is gone
 * here. New string. */
static char *contact_name(struct ap *a, const struct stable *t, int ncol, const struct val *ids,
                          const char *id)
{
    int ci = dbsync_table_index(a->s, "contact");
    if (ci < 0)
        return NULL;
    const struct stable *ct = &a->s->t[ci];
    int ni = dbsync_col_index(ct, "name");
    if (ni < 0 || ct->key < 0 || ct->id < 0)
        return NULL;
    char *name = NULL;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT name"
        " FROM contact"
        " WHERE id = :id",
        NULL);
    /* clang-format on */
    if (st) {
        db_bind_text(st, db_param(st, ":id"), id);
        if (sqlite3_step(st) == SQLITE_ROW)
            name = db_col_text(st, 0);
        sqlite3_reset(st);
    }
    if (name)
        return name;
    if (t == ct && ni < ncol && ids[ni].type == SQLITE_TEXT)
        return kstr_ndup(ids[ni].p, (size_t)ids[ni].n);
    struct val *w = kcalloc((size_t)ct->ncol, sizeof *w);
    w[ct->id] = w[ct->key] = dbsync_val_text(id);
    char *pk = dbsync_pk_text(ct, ct->ncol, w);
    struct clock cl;
    if (dbsync_clock_get(a->db, ct->name, pk, &cl, NULL) == K_OK && cl.ndata &&
        dbsync_get_vals(cl.data, cl.ndata, w, ct->ncol) && w[ni].type == SQLITE_TEXT)
        name = kstr_ndup(w[ni].p, (size_t)w[ni].n);
    dbsync_clock_clear(&cl);
    free(pk);
    free(w);
    return name;
}

int dbsync_conflict(struct ap *a, const struct stable *t, int ncol, const struct val *ids,
                    const char *field, char *kept, char *other, const char *kept_rep,
                    const char *other_rep, const char *rule, struct kerr *e)
{
    struct kconflict c;
    char entity[64], f[128];
    memset(&c, 0, sizeof c);
    owner(t, a->s, ncol, ids, c.entity_id, entity, sizeof entity);
    /* A contact's: its name, for when it is gone here (a listing takes
     * it from the contact while there is one). */
    if (!c.entity_id[0] || strcmp(entity, "contact"))
        c.about = about(t, ncol, ids, c.entity_id);
    else
        c.about = contact_name(a, t, ncol, ids, c.entity_id);
    if (!strcmp(entity, "contact") && !dbsync_is_contact(t))
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
    /* "" (a row with no clock): not known. */
    c.kept_place = kept_rep && *kept_rep ? (char *)kept_rep : NULL;
    c.other_place = other_rep && *other_rep ? (char *)other_rep : NULL;
    int rc = dbconflict_add(a->db, &c, e);
    free(kept);
    free(other);
    free(c.about);
    if (rc == K_OK)
        a->out->conflicts++;
    return rc;
}

/* Local key for an id (0 and *found = 0 when no such row). */
sqlite3_int64 dbsync_local_key(struct db *db, const struct stable *t, const struct val *id,
                               int *found)
{
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT \"%w\""
        " FROM \"%w\""
        " WHERE \"%w\" = ?1",
        t->col[t->key].name, t->name, t->col[t->id].name);
    /* clang-format on */
    sqlite3_stmt *st = db_stmt_built(db, sql, NULL);
    sqlite3_int64 k = 0;
    *found = 0;
    if (st) {
        dbsync_val_bind(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            k = sqlite3_column_int64(st, 0);
            *found = 1;
        }
        sqlite3_reset(st);
    }
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
        out[i].i = dbsync_local_key(a->db, &a->s->t[ref], &in[i], &found);
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
    struct stable *own = &a->s->t[t - a->s->t];
    struct sbuf b = {0};
    const char *sql = ncol == t->ncol ? t->sql_read : NULL;
    if (!sql) {
        sbuf_add(&b, "SELECT ");
        for (int i = 0; i < t->ncol; i++)
            sbuf_printf(&b, "%s\"%s\"", i ? ", " : "", t->col[i].name);
        sbuf_printf(&b, " FROM \"%s\"", t->name);
        where_pk(&b, t, ncol, 1);
        sql = b.s;
        if (ncol == t->ncol)
            own->sql_read = kstr_dup(b.s);
    }
    sqlite3_stmt *st = db_stmt_built(a->db, sql, NULL);
    int rc = K_OK;
    memset(r, 0, sizeof *r);
    if (!st) {
        rc = db_fail(a->db, e, "applying a change");
    } else {
        bind_pk(st, t, ncol, wire, local, 1);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW)
            dbsync_row_take(r, st, t->ncol);
        else if (s != SQLITE_DONE)
            rc = db_fail(a->db, e, "applying a change");
        sqlite3_reset(st);
    }
    sbuf_free(&b);
    return rc;
}

/* Runs built SQL; the SQLite result code. */
static int run_sql(struct ap *a, const char *sql, const struct val *bind, int nbind,
                   const struct stable *t, int ncol, const struct val *wire,
                   const struct val *local)
{
    sqlite3_stmt *st = db_stmt_built(a->db, sql, NULL);
    int s = st ? SQLITE_OK : sqlite3_extended_errcode(a->db->h);
    if (st) {
        for (int i = 0; i < nbind; i++)
            dbsync_val_bind(st, i + 1, &bind[i]);
        if (t)
            bind_pk(st, t, ncol, wire, local, nbind + 1);
        s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            s = SQLITE_OK;
        else if (s != SQLITE_ROW)
            s = sqlite3_extended_errcode(a->db->h);
        sqlite3_reset(st);
    }
    if (s == SQLITE_OK)
        a->out->changes++;
    return s;
}

static int insert_row(struct ap *a, const struct stable *t, int ncol, const struct val *local)
{
    struct stable *own = &a->s->t[t - a->s->t];
    struct sbuf b = {0}, v = {0};
    struct val *bind = kcalloc((size_t)ncol, sizeof *bind);
    int n = 0, whole = ncol == t->ncol && t->sql_insert;
    if (!whole)
        sbuf_printf(&b, "INSERT INTO \"%s\" (", t->name);
    for (int i = 0; i < ncol; i++) {
        if (i == t->key)
            continue; /* this journal's own */
        if (!whole) {
            sbuf_printf(&b, "%s\"%s\"", n ? ", " : "", t->col[i].name);
            sbuf_printf(&v, "%s?%d", n ? ", " : "", n + 1);
        }
        bind[n++] = local[i];
    }
    if (!whole) {
        sbuf_printf(&b, ") VALUES (%s)", v.s ? v.s : "");
        if (ncol == t->ncol)
            own->sql_insert = kstr_dup(b.s);
    }
    int s = run_sql(a, whole ? t->sql_insert : b.s, bind, n, NULL, 0, NULL, NULL);
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

/* 1 when column i of the row here is NULL as the delete of the row the
 * update's old value names left it (ON DELETE SET NULL: the NULL's stamp
 * is that delete's), and the update, not later than the delete, had moved
 * the value off that row: where the update came first the delete found
 * the value elsewhere and left it (a merge's move of a referral's target,
 * applied after the target's delete). Not later: the same record's too,
 * the merge that moves the value and deletes the row it left (its move
 * waited for the row, which came with the value emptied). */
static int emptied_after(struct ap *a, const struct stable *t, int i, const struct val *oldw,
                         const struct val *here, const struct stamp *ls)
{
    const struct scol *c = &t->col[i];
    struct stamp at = dbsync_change_stamp(a, i);
    if (!c->setnull || here[i].type != SQLITE_NULL || !oldw || oldw[i].type != SQLITE_TEXT ||
        dbsync_stamp_cmp(&at, ls) > 0)
        return 0;
    const struct stable *p = &a->s->t[c->parent];
    if (c->lkey >= 0 || strcmp(c->pcol, "id") || (p->key < 0 && !p->col[p->id].pk))
        return 0;
    char *pk = kstr_ndup(oldw[i].p, (size_t)oldw[i].n);
    struct clock pc;
    int emptied = 0;
    if (dbsync_clock_get(a->db, p->name, pk, &pc, NULL) == K_OK && pc.found) {
        struct stamp d = pc.alive ? dbsync_deleted_at(&pc) : pc.row;
        emptied = !dbsync_stamp_cmp(&d, ls);
    }
    dbsync_clock_clear(&pc);
    free(pk);
    return emptied;
}

static struct row *rows_by(struct ap *a, const struct stable *t, const char *col,
                           const struct val *v, size_t *n);

/* 1 when the row of p whose id is v, which the record deletes by cascade
 * (a referral with the contact that made it), is here and names another
 * row in a column that would have taken it (ON DELETE CASCADE), moved
 * there not later than the delete (a merge's move, met before the
 * delete): the delete leaves it here (moved_before), so what the record
 * emptied naming it (ON DELETE SET NULL: a thank-you's referral) stays
 * too, as where the move is met after the delete (dbsync_give_back). */
static int left_before_delete(struct ap *a, const struct stable *p, const struct val *v)
{
    sqlite3_changeset_iter *it = NULL;
    int left = 0;
    if (!a->rec || p->id < 0 || !p->col[p->id].pk ||
        sqlite3changeset_start(&it, a->nrec, (void *)a->rec) != SQLITE_OK)
        return 0;
    while (!left && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int nc, op, ind;
        sqlite3changeset_op(it, &name, &nc, &op, &ind);
        if (op != SQLITE_DELETE || nc != p->ncol || strcmp(name, p->name))
            continue;
        struct val *old = dbsync_iter_row(it, nc, op);
        size_t n = 0;
        struct row *rows =
            dbsync_val_same(&old[p->id], v) ? rows_by(a, p, p->col[p->id].name, v, &n) : NULL;
        for (size_t r = 0; r < n; r++) {
            struct val *w = kcalloc((size_t)nc, sizeof *w);
            struct keys k = {0};
            struct clock pc;
            memset(&pc, 0, sizeof pc);
            memcpy(w, rows[r].v, (size_t)nc * sizeof *w);
            char *pk = NULL;
            if (dbsync_to_ids(a->db, a->s, &k, p, nc, w)) {
                pk = dbsync_pk_text(p, nc, w);
                if (dbsync_clock_get(a->db, p->name, pk, &pc, NULL) != K_OK)
                    pc.found = 0;
            }
            for (int j = 0; pc.found && pc.alive && j < nc && !left; j++) {
                const struct scol *col = &p->col[j];
                struct stamp moved = dbsync_moved_at(&pc, j);
                left = col->parent >= 0 && !col->setnull && !col->pk && j != p->key &&
                       w[j].type == SQLITE_TEXT && old[j].type == SQLITE_TEXT &&
                       !dbsync_val_same(&w[j], &old[j]) && dbsync_stamp_cmp(&moved, &a->st) <= 0;
            }
            dbsync_clock_clear(&pc);
            free(pk);
            dbsync_keys_free(&k);
            free(w);
            dbsync_row_free(&rows[r]);
        }
        free(rows);
        free(old);
    }
    sqlite3changeset_finalize(it);
    return left;
}

/* Merges incoming values (an insert's or an update's) into the row r, per
 * column by stamp. *sq is SQLite's result of the update: a constraint
 * (a row it names is not here) leaves the row and its clock as they were
 * and lists nothing. ind: the change's indirect flag (rows sent again
 * whole with a contact kept against a delete). */
static int merge(struct ap *a, const struct stable *t, int ncol, int op, int ind,
                 const struct val *oldw, const struct val *neww, const struct val *newl,
                 const struct val *wire, const struct val *local, const struct row *r,
                 struct clock *c, int *sq, struct kerr *e)
{
    char *set = kcalloc((size_t)ncol + 1, 1), *later = kcalloc((size_t)ncol + 1, 1);
    /* Whose each value here was (its stamp's replica), for a conflict. */
    struct stamp *was = kcalloc((size_t)ncol + 1, sizeof *was);
    char self[DBSYNC_ID_LEN + 1] = "";
    int rc = K_OK;
    for (int i = 0; i < ncol; i++) {
        if (t->col[i].pk || i == t->key || !neww[i].type)
            continue;
        struct stamp ls = c->found ? dbsync_col_stamp(c, i) : (struct stamp){0, ""},
                     at = dbsync_change_stamp(a, i);
        was[i] = ls;
        later[i] = (char)(dbsync_stamp_cmp(&at, &ls) > 0);
        if (!later[i] && op == SQLITE_UPDATE && emptied_after(a, t, i, oldw, r->v, &ls))
            later[i] = 2; /* no conflict: the delete did not empty it there */
        /* The record's delete emptied it there (ON DELETE SET NULL); here
         * it names another row: that delete does not empty it. */
        if (later[i] && op == SQLITE_UPDATE && t->col[i].setnull && t->col[i].lkey < 0 &&
            neww[i].type == SQLITE_NULL && !dbsync_val_same(&r->v[i], &oldw[i]) &&
            dbsync_gone_names(a->s, &a->gone, t, i, &oldw[i]))
            later[i] = 0;
        /* Or it names the row the record deleted, which here had left
         * what the delete took before it: the delete leaves both. */
        if (later[i] && op == SQLITE_UPDATE && t->col[i].setnull && t->col[i].lkey < 0 &&
            neww[i].type == SQLITE_NULL && dbsync_val_same(&r->v[i], &oldw[i]) &&
            dbsync_gone_names(a->s, &a->gone, t, i, &oldw[i]) &&
            left_before_delete(a, &a->s->t[t->col[i].parent], &oldw[i]))
            later[i] = 0;
        /* Here the NULL a delete of the row the value named left (the
         * stamp of that value noted): a change later than that value had
         * moved it off that row where it came first, and the delete left
         * it (a merge's move of a referral's target, met after another
         * replica's delete of the contact an earlier merge had moved it
         * to). */
        if (!later[i] && op == SQLITE_UPDATE && t->col[i].setnull && c->found &&
            r->v[i].type == SQLITE_NULL && neww[i].type == SQLITE_TEXT) {
            struct stamp nb = dbsync_nulled_at(c, i);
            if (nb.hlc && dbsync_stamp_cmp(&at, &nb) > 0)
                later[i] = 2;
        }
        set[i] = (char)(later[i] && !dbsync_val_same(&r->v[i], &newl[i]));
    }
    *sq = update_row(a, t, ncol, set, newl, wire, local);
    for (int i = 0; i < ncol && *sq == SQLITE_OK && rc == K_OK; i++) {
        if (t->col[i].pk || i == t->key || !neww[i].type)
            continue;
        struct stamp at = dbsync_change_stamp(a, i);
        if (later[i]) {
            dbsync_set_col(c, i, &at);
            dbsync_copy_moved(c, i, a->pcols);
            /* The record's delete emptied it (ON DELETE SET NULL). */
            if (later[i] == 1 && op == SQLITE_UPDATE && t->col[i].setnull && t->col[i].lkey < 0 &&
                neww[i].type == SQLITE_NULL && dbsync_val_same(&r->v[i], &oldw[i]) &&
                dbsync_gone_names(a->s, &a->gone, t, i, &oldw[i])) {
                dbsync_set_nulled(c, i, &was[i]);
                dbsync_set_emptied(c, i, &oldw[i]);
            }
        }
        /* A conflict: both sides changed it, to different values. For an
         * update, this side changed it when it no longer holds the value
         * the other side started from; for an insert of a row this side
         * has too, whenever they differ. */
        int both = t->col[i].stamped && later[i] != 2 && !dbsync_val_same(&r->v[i], &newl[i]) &&
                   (op == SQLITE_INSERT || (oldw[i].type && !dbsync_val_same(&r->v[i], &oldw[i])));
        /* Both values one replica's (its changes, as another replica
         * sent them again, arriving out of order): its later one simply
         * follows its earlier one, as there. */
        if (both && !strcmp(was[i].rep, at.rep))
            both = 0;
        /* A contact kept against a delete, sent again whole: its archived
         * is the keep's (the rule's, not a change of anyone's), said by the
         * keep's own line on every replica that applies the delete; here,
         * where the delete has not arrived yet, it is not a conflict. */
        if (both && ind && op == SQLITE_INSERT && dbsync_is_contact(t) &&
            i == dbsync_col_index(t, "archived"))
            both = 0;
        if (both && !self[0] && dbsync_replica(a->db, self, e) != K_OK)
            rc = K_ERR;
        /* The value here was another replica's (applied before): not this
         * replica's change that wins. */
        int ours = !later[i] && !strcmp(was[i].rep, self);
        if (both && rc == K_OK)
            rc = dbsync_conflict(
                a, t, ncol, wire, t->col[i].name,
                later[i] ? dbsync_val_str(&neww[i]) : dbsync_val_str(&r->v[i]),
                later[i] ? dbsync_val_str(&r->v[i]) : dbsync_val_str(&neww[i]),
                later[i] ? at.rep : was[i].rep, later[i] ? was[i].rep : at.rep,
                /* Equal clocks (rows a journal sent as it turned sync on,
                 * stamped with a time both copies had): neither change was
                 * later; the replica ids decided. */
                at.hlc == was[i].hlc
                    ? (ours ? "equal clocks: this replica's id wins"
                            : "equal clocks: the greater replica id wins")
                    : (ours ? "this replica's later change wins" : "the later change wins"),
                e);
    }
    free(set);
    free(later);
    free(was);
    return rc;
}

struct stamp dbsync_change_stamp(const struct ap *a, int i)
{
    if (!a->pcols)
        return a->st;
    struct clock c;
    memset(&c, 0, sizeof c);
    c.row = a->st;
    c.cols = a->pcols;
    return dbsync_col_stamp(&c, i);
}

/* The stamps of a change that waits (sync_parked.stamps): "i:hlc:rep;"
 * for each of the ncol columns whose stamp cs[i] is not at, the stamp it
 * waits with, and "-1:hlc:rep;" for an insert's own stamp (own) where it
 * is not at. NULL when every stamp is at (a new string, free()). */
static char *stamps_text(const struct stamp *at, const struct stamp *own, const struct stamp *cs,
                         int ncol)
{
    struct clock c;
    memset(&c, 0, sizeof c);
    c.row = *at;
    if (own && dbsync_stamp_cmp(own, at))
        dbsync_set_col(&c, -1, own);
    for (int i = 0; i < ncol; i++)
        if (dbsync_stamp_cmp(&cs[i], at))
            dbsync_set_col(&c, i, &cs[i]);
    if (c.cols && !*c.cols) {
        free(c.cols);
        c.cols = NULL;
    }
    return c.cols;
}

/* A parked row's stamp (hlc, replica) and stamps as a clock: the stamp of
 * column i is dbsync_col_stamp's, the insert's own that of -1. */
static void parked_clock(struct clock *c, sqlite3_int64 hlc, const unsigned char *rep,
                         const unsigned char *stamps)
{
    memset(c, 0, sizeof *c);
    c->row.hlc = hlc;
    snprintf(c->row.rep, sizeof c->row.rep, "%s", rep ? (const char *)rep : "");
    c->cols = stamps ? kstr_dup((const char *)stamps) : NULL;
}

/* An update of a row whose insert is parked goes into that insert, so
 * that the row comes with it (a thank-you moved to the contact another
 * was merged into, its first contact deleted here): per column, the later
 * stamp wins, as where the insert was applied. 1 when it did. */
static int park_into(struct ap *a, const struct stable *t, int ncol, const char *pk,
                     const struct val *neww, const struct stamp *cs, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(a->db,
        "SELECT id, hlc, changes, replica, stamps"
        " FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk"
        " ORDER BY id DESC"
        " LIMIT 1",
        e);
    /* clang-format on */
    if (!st)
        return -1;
    db_bind_text(st, db_param(st, ":tbl"), t->name);
    db_bind_text(st, db_param(st, ":pk"), pk);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return 0;
    }
    sqlite3_int64 id = sqlite3_column_int64(st, 0), hlc = sqlite3_column_int64(st, 1);
    int n = sqlite3_column_bytes(st, 2), done = 0;
    void *buf = kmalloc((size_t)n + 1);
    memcpy(buf, sqlite3_column_blob(st, 2), (size_t)n);
    struct clock pc;
    parked_clock(&pc, hlc, sqlite3_column_text(st, 3), sqlite3_column_text(st, 4));
    sqlite3_reset(st);
    sqlite3_changeset_iter *it = NULL;
    struct enc x = {0};
    struct stamp *ps = kcalloc((size_t)ncol, sizeof *ps);
    if (sqlite3changeset_start(&it, n, buf) == SQLITE_OK) {
        const char *name;
        int nc, op, ind;
        if (sqlite3changeset_next(it) == SQLITE_ROW &&
            (sqlite3changeset_op(it, &name, &nc, &op, &ind), op == SQLITE_INSERT) && nc == ncol) {
            struct val *v = kcalloc((size_t)ncol, sizeof *v);
            for (int i = 0; i < ncol; i++) {
                sqlite3_value *x0 = NULL;
                sqlite3changeset_new(it, i, &x0);
                ps[i] = dbsync_col_stamp(&pc, i);
                v[i] = dbsync_val_of(x0);
                if (neww[i].type && dbsync_stamp_cmp(&cs[i], &ps[i]) > 0) {
                    v[i] = neww[i];
                    ps[i] = cs[i];
                }
            }
            dbsync_put_row(&x, t, ncol, SQLITE_INSERT, NULL, v);
            free(v);
            done = 1;
        }
        sqlite3changeset_finalize(it);
    }
    if (done) {
        /* It waits as of the later hlc (the row's decisions: what it
         * names); each column keeps its own stamp, the insert its own. */
        struct stamp own = dbsync_col_stamp(&pc, -1), at = pc.row;
        if (a->st.hlc > at.hlc)
            at.hlc = a->st.hlc;
        char *stamps = stamps_text(&at, &own, ps, ncol);
        /* clang-format off */
        st = db_stmt(a->db,
            "UPDATE sync_parked"
            " SET hlc = :hlc, changes = :changes, stamps = :stamps"
            " WHERE id = :id",
            e);
        /* clang-format on */
        if (!st) {
            done = -1;
        } else {
            sqlite3_bind_int64(st, db_param(st, ":hlc"), at.hlc);
            sqlite3_bind_blob(st, db_param(st, ":changes"), x.b.s, (int)x.b.len, SQLITE_TRANSIENT);
            db_bind_text(st, db_param(st, ":stamps"), stamps);
            sqlite3_bind_int64(st, db_param(st, ":id"), id);
            if (db_step_done(a->db, st, e) != K_OK)
                done = -1;
        }
        free(stamps);
    }
    dbsync_clock_clear(&pc);
    free(ps);
    sbuf_free(&x.b);
    free(buf);
    return done;
}

/* An insert about to wait takes the updates of its row that wait already
 * and are later than it (they came first: a merge's move of a referral
 * whose insert is in a file applied after the merge's), as park_into does
 * for those that come after it: the row waits with them, and comes as of
 * the latest (a move in the record that deleted the contact it named is
 * not later than that delete: it did not go with it), each column as of
 * its own stamp. v and cs (ncol values and their stamps) are updated, v
 * pointing into copies in bufs (free() each, then the array); *st the
 * stamp the insert waits with. -1 on an error. */
static int fold_parked(struct ap *a, const struct stable *t, int ncol, const char *pk,
                       struct val *v, struct stamp *cs, struct stamp *st, void ***bufs,
                       size_t *nbufs, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *q = db_stmt(a->db,
        "SELECT id, replica, hlc, changes, stamps"
        " FROM sync_parked"
        " WHERE tbl = :tbl AND pk = :pk"
        " ORDER BY id",
        e);
    /* clang-format on */
    if (!q)
        return -1;
    db_bind_text(q, db_param(q, ":tbl"), t->name);
    db_bind_text(q, db_param(q, ":pk"), pk);
    sqlite3_int64 *gone = NULL;
    size_t ngone = 0;
    struct stamp ins = *st;
    while (sqlite3_step(q) == SQLITE_ROW) {
        struct clock uc;
        parked_clock(&uc, sqlite3_column_int64(q, 2), sqlite3_column_text(q, 1),
                     sqlite3_column_text(q, 4));
        struct stamp u = uc.row;
        if (dbsync_stamp_cmp(&u, &ins) <= 0) {
            dbsync_clock_clear(&uc);
            continue;
        }
        int n = sqlite3_column_bytes(q, 3), done = 0;
        void *buf = kmalloc((size_t)n + 1);
        memcpy(buf, sqlite3_column_blob(q, 3), (size_t)n);
        sqlite3_changeset_iter *it = NULL;
        if (sqlite3changeset_start(&it, n, buf) == SQLITE_OK) {
            const char *name;
            int nc, op, ind;
            if (sqlite3changeset_next(it) == SQLITE_ROW &&
                (sqlite3changeset_op(it, &name, &nc, &op, &ind), op == SQLITE_UPDATE) &&
                nc == ncol) {
                for (int i = 0; i < ncol; i++) {
                    sqlite3_value *x = NULL;
                    struct stamp ui = dbsync_col_stamp(&uc, i);
                    if (t->col[i].pk || sqlite3changeset_new(it, i, &x) != SQLITE_OK || !x ||
                        dbsync_stamp_cmp(&ui, &cs[i]) <= 0)
                        continue;
                    /* The iterator owns the value: a copy of its bytes. */
                    v[i] = dbsync_val_of(x);
                    cs[i] = ui;
                    if (v[i].p) {
                        void *c = kmalloc((size_t)v[i].n + 1);
                        memcpy(c, v[i].p, (size_t)v[i].n);
                        v[i].p = c;
                        *bufs = krealloc(*bufs, (*nbufs + 1) * sizeof **bufs);
                        (*bufs)[(*nbufs)++] = c;
                    }
                }
                done = 1;
            }
            sqlite3changeset_finalize(it);
        }
        free(buf);
        dbsync_clock_clear(&uc);
        if (!done)
            continue;
        gone = krealloc(gone, (ngone + 1) * sizeof *gone);
        gone[ngone++] = sqlite3_column_int64(q, 0);
        if (dbsync_stamp_cmp(&u, st) > 0)
            *st = u;
    }
    sqlite3_reset(q);
    int rc = K_OK;
    for (size_t i = 0; i < ngone && rc == K_OK; i++) {
        /* clang-format off */
        sqlite3_stmt *d = db_stmt(a->db,
            "DELETE FROM sync_parked"
            " WHERE id = :id",
            e);
        /* clang-format on */
        if (!d) {
            rc = K_ERR;
            break;
        }
        sqlite3_bind_int64(d, db_param(d, ":id"), gone[i]);
        rc = db_step_done(a->db, d, e);
    }
    free(gone);
    return rc == K_OK ? 0 : -1;
}

/* Keeps a change that names a row deleted here: if that row comes back
 * (a contact kept against its delete, sent again by another replica), the
 * change is applied then; until then it is what the delete would have
 * done to it. */
int dbsync_park(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                const struct val *neww, const struct stamp *cs, struct kerr *e)
{
    if (a->unparking) {
        a->still = 1;
        if (getenv("KITH_SYNC_DEBUG")) {
            char *pk = dbsync_pk_text(t, ncol, op == SQLITE_INSERT ? neww : oldw);
            dbsync_debug_change(a, "still waiting", t, ncol, op, oldw, neww, pk);
            free(pk);
        }
        return K_OK;
    }
    char *pk = dbsync_pk_text(t, ncol, op == SQLITE_INSERT ? neww : oldw);
    dbsync_debug_change(a, "parking", t, ncol, op, oldw, neww, pk);
    struct stamp *st = kcalloc((size_t)ncol, sizeof *st);
    for (int i = 0; i < ncol; i++)
        st[i] = cs ? cs[i] : dbsync_change_stamp(a, i);
    int rc = K_ERR, into = op == SQLITE_UPDATE ? park_into(a, t, ncol, pk, neww, st, e) : 0;
    if (into) {
        free(st);
        free(pk);
        return into > 0 ? K_OK : K_ERR;
    }
    struct stamp at = a->st;
    struct val *v = NULL;
    void **bufs = NULL;
    size_t nbufs = 0;
    char *stamps = NULL;
    if (op == SQLITE_INSERT) {
        v = kcalloc((size_t)ncol, sizeof *v);
        memcpy(v, neww, (size_t)ncol * sizeof *v);
        if (fold_parked(a, t, ncol, pk, v, st, &at, &bufs, &nbufs, e) < 0)
            goto out;
        neww = v;
    }
    struct stamp own = dbsync_change_stamp(a, -1);
    stamps = stamps_text(&at, op == SQLITE_INSERT ? &own : NULL, st, ncol);
    struct enc x = {0};
    dbsync_put_row(&x, t, ncol, op, oldw, neww);
    /* clang-format off */
    sqlite3_stmt *q = db_stmt(a->db,
        "INSERT INTO sync_parked(replica, hlc, tbl, pk, changes, stamps)"
        " VALUES (:replica, :hlc, :tbl, :pk, :changes, :stamps)",
        e);
    /* clang-format on */
    if (q) {
        db_bind_text(q, db_param(q, ":replica"), at.rep);
        sqlite3_bind_int64(q, db_param(q, ":hlc"), at.hlc);
        db_bind_text(q, db_param(q, ":tbl"), t->name);
        db_bind_text(q, db_param(q, ":pk"), pk);
        sqlite3_bind_blob(q, db_param(q, ":changes"), x.b.s, (int)x.b.len, SQLITE_TRANSIENT);
        db_bind_text(q, db_param(q, ":stamps"), stamps);
        rc = db_step_done(a->db, q, e);
    }
    sbuf_free(&x.b);
out:
    for (size_t i = 0; i < nbufs; i++)
        free(bufs[i]);
    free(bufs);
    free(stamps);
    free(st);
    free(v);
    free(pk);
    return rc;
}

/* 1 when a row v names (ON DELETE CASCADE) is not here because it was
 * deleted later than this change: the delete took this row with it. */
static int cascaded(struct ap *a, const struct stable *t, int ncol, const struct val *v,
                    struct stamp *when)
{
    for (int i = 0; i < ncol; i++) {
        const struct scol *c = &t->col[i];
        if (c->parent < 0 || c->setnull || v[i].type != SQLITE_TEXT)
            continue;
        const struct stable *p = &a->s->t[c->parent];
        /* Only a row named by its primary key has a clock (ids: contact,
         * interaction, referral); a local key (interaction_contact's
         * contact_key) travels as that row's id, which its clock is
         * named by. */
        if (c->lkey < 0 && (strcmp(c->pcol, "id") || (p->key < 0 && !p->col[p->id].pk)))
            continue;
        char *pk = kstr_ndup(v[i].p, (size_t)v[i].n);
        struct clock pc;
        /* Deleted later than this change, and not sent again since by a
         * replica that kept it (a contact kept against its delete): this
         * row went with it (1). A contact deleted later may still be sent
         * again: the change waits (2). */
        int gone = 0;
        if (dbsync_clock_get(a->db, p->name, pk, &pc, NULL) == K_OK && pc.found) {
            struct stamp d = pc.alive ? dbsync_deleted_at(&pc) : pc.row,
                         at = dbsync_change_stamp(a, i);
            if (dbsync_stamp_cmp(&d, &at) > 0) {
                gone = !pc.alive && dbsync_is_contact(p) ? 2 : 1;
                if (when)
                    *when = d;
            }
        }
        dbsync_clock_clear(&pc);
        free(pk);
        if (gone)
            return gone;
    }
    return 0;
}

/* What to do with a change SQLite refused (sq): a row it names may come
 * later in the record (retry), else it is left out and listed. */
static int refused(struct ap *a, const struct stable *t, int ncol, int op, const struct val *oldw,
                   const struct val *neww, const struct val *wire, int sq, int last_try, int *retry,
                   struct kerr *e)
{
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY && !last_try) {
        *retry = 1;
        return K_OK;
    }
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY &&
        cascaded(a, t, ncol, op == SQLITE_INSERT ? neww : oldw, NULL) == 1)
        return K_OK; /* its row was deleted after it: gone with it, as there */
    if (sq == SQLITE_CONSTRAINT_FOREIGNKEY)
        return dbsync_park(a, t, ncol, op, oldw, neww, NULL, e);
    if ((sq & 0xff) == SQLITE_CONSTRAINT)
        return dbsync_conflict(a, t, ncol, wire, "row", NULL, kstr_dup("changed there"), NULL,
                               a->st.rep, "it clashes with a row here: left out", e);
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

int dbsync_skipped(const struct ap *a, const struct stable *t, int ncol, const struct val *v)
{
    int ti = (int)(t - a->s->t);
    for (size_t i = 0; i < a->nskip; i++) {
        if (a->skip[i].table != ti)
            continue;
        int c = dbsync_col_index(t, a->skip[i].col);
        if (c >= 0 && c < ncol && v[c].type == SQLITE_TEXT &&
            (size_t)v[c].n == strlen(a->skip[i].val) &&
            !memcmp(v[c].p, a->skip[i].val, (size_t)v[c].n))
            return 1;
    }
    for (int i = 0; i < ncol; i++) {
        int p = t->col[i].parent;
        if (p >= 0 && dbsync_is_contact(&a->s->t[p]) && dbsync_is_kept(a, &v[i]))
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
        /* clang-format off */
        char *sql = sqlite3_mprintf(
            "SELECT 1"
            " FROM \"%w\""
            " WHERE \"%w\" = ?1",
            p->name, by);
        /* clang-format on */
        sqlite3_stmt *st = db_stmt_built(a->db, sql, NULL);
        int there = 1;
        if (st) {
            dbsync_val_bind(st, 1, &v[i]);
            there = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_reset(st);
        }
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
        struct stamp now = dbsync_col_stamp(c, i), at = dbsync_change_stamp(a, i);
        /* Only where the NULL was taken (a later value stays). */
        if (nulled[i] && !dbsync_stamp_cmp(&now, &at))
            dbsync_set_col(c, i, &none);
    }
    if (nnulled)
        rc = dbsync_park(a, t, ncol, op, oldw, orig, NULL, e);
    if (rc == K_OK)
        rc = dbsync_clock_put(a->db, t->name, pk, c, e);
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
            struct stamp cs = dbsync_col_stamp(c, i), at = dbsync_change_stamp(a, i);
            if (neww[i].type && dbsync_stamp_cmp(&at, &cs) > 0) {
                v[i] = neww[i];
                dbsync_set_col(c, i, &at);
                dbsync_copy_moved(c, i, a->pcols);
            }
        }
        void *old = c->data;
        c->data = NULL;
        dbsync_bury(c, ncol, v, &row);
        free(old);
    }
    free(v);
}

/* One change being applied: its values as they came (wire: ids for local
 * keys) and as this journal keys them, what is here of its row, and its
 * row's clock. */
struct chg {
    const struct stable *t;
    int ncol, op, ind, last_try, newok;
    struct val *oldw, *neww, *wire, *local, *newl;
    struct val *orig;    /* neww before null_orphans (last try) */
    struct val *tv;      /* a deleted row's last values */
    struct stamp *won;   /* their stamps, where later than an insert */
    struct stamp *setat; /* stamps of values null_deleted set to NULL */
    struct val *setwas;  /* and the values they were */
    char *nulled;        /* columns null_orphans set to NULL */
    int nnulled;
    char *pk;
    struct row r;
    struct clock c;
};

static void chg_free(struct chg *x)
{
    free(x->setat);
    free(x->setwas);
    free(x->tv);
    free(x->won);
    free(x->orig);
    free(x->nulled);
    dbsync_clock_clear(&x->c);
    dbsync_row_free(&x->r);
    free(x->pk);
    free(x->oldw);
    free(x->neww);
    free(x->wire);
    free(x->local);
    free(x->newl);
}

/* Reads the change at it and what is here of its row. */
static int chg_read(struct ap *a, sqlite3_changeset_iter *it, struct chg *x, struct kerr *e)
{
    int n = x->ncol, op = x->op;
    x->oldw = kcalloc((size_t)n, sizeof *x->oldw);
    x->neww = kcalloc((size_t)n, sizeof *x->neww);
    x->wire = kcalloc((size_t)n, sizeof *x->wire);
    x->local = kcalloc((size_t)n, sizeof *x->local);
    x->newl = kcalloc((size_t)n, sizeof *x->newl);
    for (int i = 0; i < n; i++) {
        sqlite3_value *v = NULL;
        if (op != SQLITE_INSERT && sqlite3changeset_old(it, i, &v) == SQLITE_OK)
            x->oldw[i] = dbsync_val_of(v);
        v = NULL;
        if (op != SQLITE_DELETE && sqlite3changeset_new(it, i, &v) == SQLITE_OK)
            x->neww[i] = dbsync_val_of(v);
        x->wire[i] = op == SQLITE_INSERT ? x->neww[i] : x->oldw[i];
    }
    x->pk = dbsync_pk_text(x->t, n, x->wire);
    int have = to_keys(a, x->t, n, x->wire, x->local), rc;
    if ((rc = dbsync_clock_get(a->db, x->t->name, x->pk, &x->c, e)) != K_OK)
        return rc;
    if (have)
        rc = read_row(a, x->t, n, x->wire, x->local, &x->r, e);
    return rc;
}

/* The rows of t whose column col holds v, read whole into an array (*n of
 * them; each freed with dbsync_row_free, the array with free): read before
 * any is changed, so the statement is done with when they are. */
static struct row *rows_by(struct ap *a, const struct stable *t, const char *col,
                           const struct val *v, size_t *n)
{
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "SELECT *"
        " FROM \"%w\""
        " WHERE \"%w\" = ?1",
        t->name, col);
    /* clang-format on */
    sqlite3_stmt *st = db_stmt_built(a->db, sql, NULL);
    struct row *rows = NULL;
    *n = 0;
    if (st && sqlite3_column_count(st) == t->ncol) {
        dbsync_val_bind(st, 1, v);
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows = krealloc(rows, (*n + 1) * sizeof *rows);
            dbsync_row_take(&rows[(*n)++], st, t->ncol);
        }
    }
    if (st)
        sqlite3_reset(st);
    sqlite3_free(sql);
    return rows;
}

/* A delete older than the insert that made its row here (the row sent
 * again by a replica that kept it, or made again) leaves the row, but not
 * what named the row from before the delete: where the delete was applied
 * first it took those rows (ON DELETE CASCADE) and emptied those values
 * (ON DELETE SET NULL), and the row came back with what the insert sent
 * again. So here too, as of the delete; the record's session sees these
 * deletes as cascades (stamp_cascades). */
static int cascade_older(struct ap *a, struct chg *x, struct enc *again, int note, struct kerr *e)
{
    const struct stable *pt = x->t;
    int pi = (int)(pt - a->s->t), rc = K_OK;
    for (int ti = 0; ti < a->s->nt && rc == K_OK; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int ci = 0; ci < t->ncol && rc == K_OK; ci++) {
            const struct scol *col = &t->col[ci];
            if (col->parent != pi || (ti == pi && ci == pt->key))
                continue;
            int by = col->lkey == pi ? pt->key : dbsync_col_index(pt, col->pcol);
            if (by < 0 || by >= x->ncol || x->r.v[by].type == SQLITE_NULL)
                continue;
            size_t n;
            struct row *rows = rows_by(a, t, col->name, &x->r.v[by], &n);
            for (size_t i = 0; i < n; i++) {
                struct val *w = kcalloc((size_t)t->ncol, sizeof *w);
                struct keys k = {0};
                memcpy(w, rows[i].v, (size_t)t->ncol * sizeof *w);
                /* Rows sent again with a contact kept against the delete
                 * stay (keep_contact). */
                if (rc == K_OK && dbsync_to_ids(a->db, a->s, &k, t, t->ncol, w) &&
                    !dbsync_skipped(a, t, t->ncol, w)) {
                    char *pk = dbsync_pk_text(t, t->ncol, w);
                    struct clock cl;
                    if ((rc = dbsync_clock_get(a->db, t->name, pk, &cl, e)) == K_OK) {
                        struct stamp made = cl.row, set = dbsync_col_stamp(&cl, ci);
                        if (!col->setnull && (!cl.found || dbsync_stamp_cmp(&made, &a->st) < 0)) {
                            rc = delete_row(a, t, t->ncol, w, rows[i].v, e);
                        } else if (col->setnull &&
                                   (!cl.found || dbsync_stamp_cmp(&set, &a->st) < 0)) {
                            char *mark = kcalloc((size_t)t->ncol + 1, 1);
                            struct val *nv = kcalloc((size_t)t->ncol, sizeof *nv);
                            mark[ci] = 1;
                            nv[ci].type = SQLITE_NULL;
                            if (update_row(a, t, t->ncol, mark, nv, w, rows[i].v) != SQLITE_OK) {
                                rc = kerr_set(e, K_ERR,
                                              "cannot apply a delete in %s from replica %s",
                                              pt->name, a->replica);
                            } else if (again) {
                                w[ci] = nv[ci];
                                dbsync_put_row(again, t, t->ncol, SQLITE_INSERT, NULL, w);
                            } else if (note && cl.found) {
                                /* The delete's NULL, as where it was the
                                 * record (stamp_cascades leaves it). */
                                dbsync_set_col(&cl, ci, &a->st);
                                dbsync_set_nulled(&cl, ci, &set);
                                dbsync_set_emptied(&cl, ci, &w[ci]);
                                rc = dbsync_clock_put(a->db, t->name, pk, &cl, e);
                            }
                            free(mark);
                            free(nv);
                        }
                    }
                    dbsync_clock_clear(&cl);
                    free(pk);
                }
                dbsync_keys_free(&k);
                free(w);
                dbsync_row_free(&rows[i]);
            }
            free(rows);
        }
    }
    return rc;
}

/* A contact kept against the record's delete: a row of its that a change
 * not later than the delete moved to it (a merge the replica that deleted
 * it had not seen: the record does not name the row) went with the delete
 * where the delete came after the move (bury_moved, or by cascade), and
 * came back with the contact sent again. So here too it is noted as
 * deleted, and loses what named it from before the delete
 * (cascade_older); the rows that lose it are sent again with the contact
 * (a->again, keep_contact), for a replica that had the row sent again by
 * another that kept the contact (new stamps: the move is not seen there). */
int dbsync_kept_moved(struct ap *a, const char *id, struct kerr *e)
{
    int ci = dbsync_table_index(a->s, "contact"), rc = K_OK, found;
    const struct stable *ct = &a->s->t[ci];
    struct val idv = dbsync_val_text(id);
    sqlite3_int64 key = ct->key >= 0 ? dbsync_local_key(a->db, ct, &idv, &found) : 0;
    struct val keyv = {SQLITE_INTEGER, key, 0, NULL, 0};
    for (int ti = 0; ti < a->s->nt && rc == K_OK; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int c = 0; ti != ci && c < t->ncol && rc == K_OK; c++) {
            if (t->col[c].parent != ci || t->col[c].setnull)
                continue;
            size_t n;
            struct row *rows =
                rows_by(a, t, t->col[c].name, t->col[c].lkey == ci ? &keyv : &idv, &n);
            for (size_t i = 0; i < n; i++) {
                struct val *w = kcalloc((size_t)t->ncol, sizeof *w);
                struct keys k = {0};
                struct clock cl = {0};
                char *pk = NULL;
                memcpy(w, rows[i].v, (size_t)t->ncol * sizeof *w);
                if (rc == K_OK && dbsync_to_ids(a->db, a->s, &k, t, t->ncol, w)) {
                    pk = dbsync_pk_text(t, t->ncol, w);
                    rc = dbsync_clock_get(a->db, t->name, pk, &cl, e);
                }
                struct stamp moved = dbsync_col_stamp(&cl, c), was = dbsync_deleted_at(&cl);
                if (rc == K_OK && cl.found && cl.alive && dbsync_stamp_cmp(&moved, &cl.row) > 0 &&
                    dbsync_stamp_cmp(&moved, &a->st) <= 0 && dbsync_stamp_cmp(&was, &a->st) < 0) {
                    struct chg x;
                    memset(&x, 0, sizeof x);
                    x.t = t;
                    x.ncol = t->ncol;
                    x.r = rows[i];
                    dbsync_set_col(&cl, -1, &a->st);
                    a->again.indirect = 1;
                    if ((rc = dbsync_clock_put(a->db, t->name, pk, &cl, e)) == K_OK)
                        rc = cascade_older(a, &x, &a->again, 0, e);
                }
                dbsync_clock_clear(&cl);
                free(pk);
                dbsync_keys_free(&k);
                free(w);
                dbsync_row_free(&rows[i]);
            }
            free(rows);
        }
    }
    return rc;
}

/* 1 when a link here (interaction_contact) names row x and a contact the
 * record does not delete, made not later than the delete and never
 * deleted (moved_before): the replica that deleted had not seen it. One a
 * delete took, back with a contact kept against that delete, may be one
 * it had seen go: the row goes, and comes back with what is sent again
 * with a contact kept. A link from before sync (no clock) was there
 * before the delete too. */
static int linked_before(struct ap *a, const struct chg *x)
{
    const struct stable *t = x->t;
    int ti = (int)(t - a->s->t), moved = 0;
    for (int li = 0; li < a->s->nt && !moved; li++) {
        const struct stable *lt = &a->s->t[li];
        for (int j = 0; j < lt->ncol && !moved; j++) {
            const struct scol *cj = &lt->col[j];
            int by = cj->parent == ti && !cj->setnull && cj->lkey < 0
                         ? dbsync_col_index(t, cj->pcol)
                         : -1;
            if (by < 0 || by >= x->ncol)
                continue;
            size_t n;
            struct row *rows = rows_by(a, lt, cj->name, &x->wire[by], &n);
            for (size_t r = 0; r < n; r++) {
                struct val *w = kcalloc((size_t)lt->ncol, sizeof *w);
                struct keys k = {0};
                memcpy(w, rows[r].v, (size_t)lt->ncol * sizeof *w);
                if (!moved && dbsync_to_ids(a->db, a->s, &k, lt, lt->ncol, w))
                    for (int i = 0; i < lt->ncol && !moved; i++) {
                        const struct scol *ci = &lt->col[i];
                        if (ci->parent < 0 || ci->setnull ||
                            !dbsync_is_contact(&a->s->t[ci->parent]) ||
                            dbsync_gone_deletes(a->s, &a->gone, lt, i, &w[i]))
                            continue;
                        char *pk = dbsync_pk_text(lt, lt->ncol, w);
                        struct clock cl;
                        memset(&cl, 0, sizeof cl);
                        if (dbsync_clock_get(a->db, lt->name, pk, &cl, NULL) == K_OK) {
                            struct stamp was = dbsync_deleted_at(&cl);
                            moved =
                                !cl.found || (dbsync_stamp_cmp(&cl.row, &a->st) <= 0 && !was.hlc);
                        }
                        dbsync_clock_clear(&cl);
                        free(pk);
                    }
                dbsync_keys_free(&k);
                free(w);
                dbsync_row_free(&rows[r]);
            }
            free(rows);
        }
    }
    return moved;
}

/* 1 when the row, which the record's delete took by cascade where it was
 * made (column col named a row the record deletes), names another row in
 * col here, moved there not later than the delete: where the move came
 * after the delete it brings the row back (revive_moved), so here it
 * stays. col past the row's columns: the row went with its last link to
 * a contact the record deletes (an interaction with that contact alone),
 * and here a link to another contact, made not later than the delete (a
 * merge's move of the link), names it (linked_before): where the link
 * came after the delete it brings the row back (revive_linked). */
static int moved_before(struct ap *a, const struct chg *x, int col)
{
    if (col >= x->ncol)
        return linked_before(a, x);
    struct val *v = kcalloc((size_t)x->ncol, sizeof *v);
    struct keys k = {0};
    int moved = 0;
    memcpy(v, x->r.v, (size_t)x->ncol * sizeof *v);
    if (dbsync_to_ids(a->db, a->s, &k, x->t, x->ncol, v)) {
        struct stamp cs = dbsync_moved_at(&x->c, col);
        moved = v[col].type == SQLITE_TEXT && !dbsync_val_same(&v[col], &x->oldw[col]) &&
                dbsync_stamp_cmp(&cs, &a->st) <= 0;
    }
    dbsync_keys_free(&k);
    free(v);
    return moved;
}

/* 1 when the row, as it is here, is kept with a contact kept against the
 * record's delete. As it is here: a row the record's replica had with that
 * contact that a move (a merge) took to another contact since, later than
 * the delete, is not the kept contact's to keep; the delete takes it, as
 * where the delete came first and the move came after. */
static int kept_here(struct ap *a, const struct chg *x)
{
    struct val *v = kcalloc((size_t)x->ncol, sizeof *v);
    struct keys k = {0};
    memcpy(v, x->r.v, (size_t)x->ncol * sizeof *v);
    int kept = dbsync_to_ids(a->db, a->s, &k, x->t, x->ncol, v)
                   ? dbsync_skipped(a, x->t, x->ncol, v)
                   : dbsync_skipped(a, x->t, x->ncol, x->wire);
    dbsync_keys_free(&k);
    free(v);
    return kept;
}

/* 1 when the record inserts a row of t that old (a row it deletes) was
 * in every column of the primary key but one naming a contact: the row
 * moved to another contact (a merge moves an interaction's link, which is
 * part of its key: the change holds a delete and an insert). A row so
 * moved off a contact kept against the record's delete is not the kept
 * contact's: it goes where the record moves it. */
static int moved_by_record(const struct ap *a, const struct stable *t, int ncol,
                           const struct val *old)
{
    sqlite3_changeset_iter *it = NULL;
    int moved = 0, keyed = 0;
    for (int i = 0; i < ncol; i++)
        keyed |=
            t->col[i].pk && t->col[i].parent >= 0 && dbsync_is_contact(&a->s->t[t->col[i].parent]);
    if (!keyed || !a->rec || sqlite3changeset_start(&it, a->nrec, (void *)a->rec) != SQLITE_OK)
        return 0;
    while (!moved && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *name;
        int nc, op, ind;
        sqlite3changeset_op(it, &name, &nc, &op, &ind);
        if (op != SQLITE_INSERT || nc != ncol || strcmp(name, t->name))
            continue;
        int same = 1, other = 0;
        for (int i = 0; i < ncol && same; i++) {
            sqlite3_value *v = NULL;
            if (!t->col[i].pk)
                continue;
            sqlite3changeset_new(it, i, &v);
            struct val nv = dbsync_val_of(v);
            int eq = dbsync_val_same(&nv, &old[i]);
            if (t->col[i].parent >= 0 && dbsync_is_contact(&a->s->t[t->col[i].parent]))
                other |= !eq;
            else
                same = eq;
        }
        moved = same && other;
    }
    sqlite3changeset_finalize(it);
    return moved;
}

int dbsync_delete_kept(struct ap *a, sqlite3_changeset_iter *it)
{
    const char *name;
    struct chg x;
    struct kerr e;
    int kept = 0;
    memset(&x, 0, sizeof x);
    sqlite3changeset_op(it, &name, &x.ncol, &x.op, &x.ind);
    int ti = dbsync_table_index(a->s, name);
    if (ti < 0 || x.ncol > a->s->t[ti].ncol || x.op != SQLITE_DELETE)
        return 0;
    x.t = &a->s->t[ti];
    if (chg_read(a, it, &x, &e) == K_OK && !moved_by_record(a, x.t, x.ncol, x.wire))
        kept = x.r.n                     ? kept_here(a, &x)
               : x.c.found && !x.c.alive ? 0
                                         : dbsync_skipped(a, x.t, x.ncol, x.wire);
    chg_free(&x);
    return kept;
}

/* A delete: whether a row is there is the later of its insert and its
 * delete, so a delete older than the insert that made the row here (the
 * same day ticked again) leaves it; so does a delete of what belongs to a
 * contact kept against it, and an untick of a day ticked where it had not
 * been (tick_stays, tick_back). */
/* Who deleted a contact (the delete's stamp d), as a conflict's value:
 * "deleted here" only where this replica did (a new string, free()). */
static char *deleted_by(struct ap *a, const struct stamp *d)
{
    char self[DBSYNC_ID_LEN + 1] = "";
    struct sbuf b = {0};
    if (dbsync_replica(a->db, self, NULL) != K_OK || !d->rep[0] || !strcmp(d->rep, self))
        return kstr_dup("deleted here");
    sbuf_printf(&b, "deleted by replica %.8s", d->rep);
    return sbuf_take(&b);
}

/* Where it was edited (the replica of the edit's stamp): "edited here"
 * or "edited there" (a listing names the replica). */
static char *edited_by(struct ap *a, const char *rep)
{
    char self[DBSYNC_ID_LEN + 1] = "";
    int here = dbsync_replica(a->db, self, NULL) == K_OK && !strcmp(rep, self);
    return kstr_dup(here ? "edited here" : "edited there");
}

/* Each value of a contact's own column that a delete later than the edit
 * that set it took (the edit's new values, or the row here where they
 * differ from what the delete saw), listed as a conflict of its own, so
 * the value lost can be read on every replica: del made the delete,
 * from has the stamps of vals (NULL: this change's). Times kith keeps are not a user's values. */
#define RULE_LOST "went with the delete, later than the edit"
static int lost_col(const struct stable *t, int i, const struct val *vals, const struct val *saw)
{
    const struct scol *col = &t->col[i];
    return dbsync_edit_col(t, i) && col->stamped && col->parent < 0 && vals[i].type &&
           vals[i].type != SQLITE_NULL && !(saw && dbsync_val_same(&vals[i], &saw[i]));
}

/* With head (the delete arriving after the edit), first a line for the
 * contact that says an edit went with the delete, as a replica applying
 * the edit after the delete says (apply_update). */
static int list_lost(struct ap *a, struct chg *x, const struct val *vals, const struct val *saw,
                     const char *del, const struct clock *from, int head, struct kerr *e)
{
    const struct stable *t = x->t;
    int rc = K_OK, n = 0;
    for (int i = 0; i < x->ncol; i++)
        n += lost_col(t, i, vals, saw);
    if (n && head) {
        struct stamp by = from ? dbsync_max_stamp(from, x->ncol) : a->st;
        rc = dbsync_conflict(a, t, x->ncol, x->wire, "contact", deleted_by(a, &a->st),
                             edited_by(a, by.rep), a->st.rep, by.rep,
                             "the delete is later than the edit", e);
    }
    for (int i = 0; i < x->ncol && rc == K_OK; i++) {
        if (!lost_col(t, i, vals, saw))
            continue;
        struct stamp by = from ? dbsync_col_stamp(from, i) : a->st;
        rc = dbsync_conflict(a, t, x->ncol, x->wire, t->col[i].name, NULL, dbsync_val_str(&vals[i]),
                             del, by.rep, RULE_LOST, e);
    }
    return rc;
}

/* ---- a challenge day ticked where its untick had not been ----
 *
 * A tick's delete (an untick) carries what the replica unticking had of
 * each replica's changes (dbsync_knew). A tick it had not seen keeps the
 * day, whichever came first here: the same decision on every replica. A
 * row keeps, for each replica, the latest of its ticks of the day merged
 * into it (entries -TICKED; its own stamp is the latest of all), since an
 * earlier tick merged with a later one leaves no stamp of its own. Not
 * 500 to 599: dbsync_clock.c's entries of what a delete emptied. */
enum { TICKED = 600 };

static int is_tick(const struct stable *t)
{
    return !strcmp(t->name, "challenge_tick");
}

/* Entry p (up to its ';') as a stamp when it is a -TICKED one. */
static int ticked_entry(const char *p, const char *semi, struct stamp *s)
{
    char want[16], *end;
    int n = snprintf(want, sizeof want, "%d:", -TICKED);
    if (strncmp(p, want, (size_t)n))
        return 0;
    s->hlc = strtoll(p + n, &end, 10);
    if (*end != ':' || end >= semi)
        return 0;
    snprintf(s->rep, sizeof s->rep, "%.*s", (int)(semi - end - 1), end + 1);
    return 1;
}

/* Notes tick s in c (one entry a replica, its latest). */
static void ticked_note(struct clock *c, const struct stamp *s)
{
    struct sbuf b = {0};
    int had = 0;
    sbuf_addn(&b, "", 0);
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        struct stamp e;
        if (!semi)
            break;
        if (ticked_entry(p, semi, &e) && !strcmp(e.rep, s->rep) && e.hlc < s->hlc) {
            p = semi + 1;
            continue;
        }
        if (ticked_entry(p, semi, &e) && !strcmp(e.rep, s->rep))
            had = 1;
        sbuf_addn(&b, p, (size_t)(semi - p + 1));
        p = semi + 1;
    }
    if (!had)
        sbuf_printf(&b, "%d:%lld:%s;", -TICKED, (long long)s->hlc, s->rep);
    free(c->cols);
    c->cols = sbuf_take(&b);
}

/* 1 when a tick merged into row c (its stamp in *out) was not there
 * where the untick with what-it-had knew was made. */
static int ticked_unseen(const struct clock *c, const char *knew, struct stamp *out)
{
    *out = c->row;
    if (c->row.hlc && !dbsync_knew(knew, &c->row))
        return 1;
    for (const char *p = c->cols; p && *p;) {
        const char *semi = strchr(p, ';');
        struct stamp e;
        if (!semi)
            break;
        if (ticked_entry(p, semi, &e) && e.hlc && !dbsync_knew(knew, &e)) {
            *out = e;
            return 1;
        }
        p = semi + 1;
    }
    return 0;
}

/* 1 when insert x of a tick brings the day back from a tomb later than
 * it: the untick had not seen it. */
static int tick_back(struct ap *a, const struct chg *x)
{
    struct stamp own = dbsync_change_stamp(a, -1);
    return is_tick(x->t) && !x->r.n && x->c.found && !x->c.alive && !a->pcols &&
           dbsync_knew_any(x->c.cols) && dbsync_stamp_cmp(&x->c.row, &own) > 0 &&
           !dbsync_knew(x->c.cols, &own);
}

/* The untick said as a conflict: by (the untick's stamp) on one side,
 * the tick (stamp at) on the other. */
static int tell_tick_kept(struct ap *a, const struct chg *x, const struct stamp *by,
                          const struct stamp *at, struct kerr *e)
{
    char self[DBSYNC_ID_LEN + 1] = "";
    struct sbuf k = {0}, o = {0};
    if (dbsync_replica(a->db, self, NULL) != K_OK)
        self[0] = 0;
    if (!strcmp(by->rep, self))
        sbuf_add(&k, "unticked here");
    else
        sbuf_printf(&k, "unticked by replica %.8s", by->rep);
    sbuf_add(&o, strcmp(at->rep, self) ? "ticked there, unseen by the untick"
                                       : "ticked here, unseen by the untick");
    return dbsync_conflict(a, x->t, x->ncol, x->wire, "tick", sbuf_take(&k), sbuf_take(&o),
                           by->rep, at->rep, "the day stays ticked", e);
}

/* An untick arriving where the row has a tick it had not seen: the row
 * stays, the untick noted as its delete (1 when it did). */
static int tick_stays(struct ap *a, struct chg *x, int *rc, struct kerr *e)
{
    struct clock *c = &x->c;
    const char *knew = dbsync_stamps_find(&a->stamps, x->t->name, x->pk);
    struct stamp at;
    if (!is_tick(x->t) || !x->r.n || !c->found || !c->alive || !dbsync_knew_any(knew) ||
        !ticked_unseen(c, knew, &at))
        return 0;
    struct stamp was = dbsync_deleted_at(c);
    if (dbsync_stamp_cmp(&a->st, &was) > 0)
        dbsync_set_col(c, -1, &a->st);
    *rc = dbsync_clock_put(a->db, x->t->name, x->pk, c, e);
    if (*rc == K_OK)
        *rc = tell_tick_kept(a, x, &a->st, &at, e);
    return 1;
}

static int apply_delete(struct ap *a, struct chg *x, struct kerr *e)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    int rc = K_OK;
    int older = c->found && dbsync_stamp_cmp(&a->st, &c->row) < 0;
    int kept = x->r.n &&
               (dbsync_is_contact(t)
                    ? dbsync_is_kept(a, &x->wire[t->id]) || dbsync_skipped(a, t, x->ncol, x->wire)
                    : kept_here(a, x) && !moved_by_record(a, t, x->ncol, x->wire));
    int stays = older || kept;
    int oc = dbsync_origin_cascade(a->s, &a->gone, t, x->ncol, x->oldw);
    /* Also where the record's old values make the row kept with a contact
     * kept against the delete: moved off that contact before the delete,
     * the row is no longer its to keep or to lose. */
    if (oc >= 0 && x->r.n && !(oc >= x->ncol && kept) && moved_before(a, x, oc)) {
        /* Named by the delete all the same: a move into the row it
         * deleted, made before it and met here after it, buries the row
         * as this delete's, as where the move came first (bury_moved). */
        if (!c->found)
            c->found = c->alive = 1; /* a row from before sync has no stamp */
        dbsync_mark_named(c, &a->st);
        return dbsync_clock_put(a->db, t->name, x->pk, c, e);
    }
    if (!older && !kept && oc < 0 && tick_stays(a, x, &rc, e))
        return rc;
    if (older && x->r.n && !kept) {
        /* The row stays; the delete is noted (null_deleted, cascaded), and
         * takes what named the row before it. */
        struct stamp was = dbsync_deleted_at(c);
        if (dbsync_stamp_cmp(&a->st, &was) > 0) {
            dbsync_set_col(c, -1, &a->st);
            if ((rc = dbsync_clock_put(a->db, t->name, x->pk, c, e)) != K_OK)
                return rc;
        }
        return cascade_older(a, x, NULL, 0, e);
    }
    if (kept && !dbsync_is_contact(t)) {
        /* Kept with a contact kept against the record's delete (an
         * interaction with it alone where the delete was made): where the
         * delete came first, the row comes back with what is sent again
         * with that contact, so what named it from before the delete and
         * is not sent again goes, as there (cascade_older). */
        struct stamp was = dbsync_deleted_at(c);
        if (!c->found)
            c->found = c->alive = 1; /* a row from before sync has no stamp */
        if (dbsync_stamp_cmp(&a->st, &was) > 0) {
            dbsync_set_col(c, -1, &a->st);
            if ((rc = dbsync_clock_put(a->db, t->name, x->pk, c, e)) != K_OK)
                return rc;
        }
        return cascade_older(a, x, NULL, 0, e);
    }
    if (stays)
        return K_OK;
    /* A contact edited here (or by a replica whose edit came here first)
     * as the replica deleting it had not seen it. */
    if (x->r.n && dbsync_is_contact(t) && x->r.n >= x->ncol &&
        (rc = list_lost(a, x, x->r.v, x->oldw, a->st.rep, c, 1, e)) != K_OK)
        return rc;
    /* The values as this replica last had them, with their stamps: what a
     * later insert of the row merges with. */
    struct keys k = {0};
    if (x->r.n && dbsync_to_ids(a->db, a->s, &k, t, x->ncol, x->r.v))
        dbsync_bury(c, x->ncol, x->r.v, &a->st);
    else if (x->r.n || !c->found || !c->ndata)
        dbsync_bury(c, x->ncol, x->oldw, &a->st);
    c->alive = 0;
    c->row = a->st;
    dbsync_note_seen(c, x->ncol, dbsync_stamps_find(&a->stamps, t->name, x->pk));
    dbsync_unset_col(c, -3); /* named by this delete: a later move leaves it */
    if (oc >= 0)
        dbsync_mark_cascade(c);
    dbsync_keys_free(&k);
    if (rc == K_OK && x->r.n)
        rc = delete_row(a, t, x->ncol, x->wire, x->local, e);
    if (rc == K_OK)
        rc = dbsync_clock_put(a->db, t->name, x->pk, c, e);
    return rc;
}

/* Before an insert or update: an insert of a row deleted here, later than
 * that delete (the same day ticked again), keeps a column changed later
 * than the insert; on the last try, a row named here that was deleted here
 * meanwhile is NULL (as that delete made it) with no stamp of its own, and
 * the change waits (parked) for the row to come back. */
/* A value naming a row (ON DELETE SET NULL) that was deleted later than
 * this change and is back since (the delete undone, or a contact kept
 * against it, which comes back with what the replica that kept it had):
 * where the delete was applied it set the value to NULL, so it is NULL
 * here too, as of that delete. */
static void null_deleted(struct ap *a, struct chg *x)
{
    const struct stable *t = x->t;
    for (int i = 0; i < x->ncol; i++) {
        const struct scol *c = &t->col[i];
        if (!c->setnull || x->neww[i].type != SQLITE_TEXT)
            continue;
        const struct stable *p = &a->s->t[c->parent];
        if (c->lkey < 0 && (strcmp(c->pcol, "id") || (p->key < 0 && !p->col[p->id].pk)))
            continue;
        char *pk = kstr_ndup(x->neww[i].p, (size_t)x->neww[i].n);
        struct clock pc;
        if (dbsync_clock_get(a->db, p->name, pk, &pc, NULL) == K_OK && pc.found && pc.alive) {
            struct stamp d = dbsync_deleted_at(&pc), at = dbsync_change_stamp(a, i);
            if (dbsync_stamp_cmp(&d, &at) > 0) {
                if (!x->setat) {
                    x->setat = kcalloc((size_t)x->ncol, sizeof *x->setat);
                    x->setwas = kcalloc((size_t)x->ncol, sizeof *x->setwas);
                }
                x->setwas[i] = x->neww[i];
                x->neww[i].type = SQLITE_NULL;
                x->setat[i] = d;
            }
        }
        dbsync_clock_clear(&pc);
        free(pk);
    }
}

static void chg_prepare(struct ap *a, struct chg *x)
{
    const struct stable *t = x->t;
    int n = x->ncol;
    struct stamp own = dbsync_change_stamp(a, -1);
    if (x->op == SQLITE_INSERT && !x->r.n && x->c.found && !x->c.alive && x->c.ndata &&
        (dbsync_stamp_cmp(&own, &x->c.row) > 0 || tick_back(a, x))) {
        x->tv = kcalloc((size_t)n, sizeof *x->tv);
        x->won = kcalloc((size_t)n, sizeof *x->won);
        int got = dbsync_get_vals(x->c.data, x->c.ndata, x->tv, n);
        for (int i = 0; got && i < n; i++) {
            struct stamp cs = dbsync_col_stamp(&x->c, i), at = dbsync_change_stamp(a, i);
            if (!t->col[i].pk && i != t->key && x->tv[i].type && dbsync_stamp_cmp(&cs, &at) > 0) {
                x->neww[i] = x->tv[i];
                x->won[i] = cs;
            }
        }
    }
    null_deleted(a, x);
    if (x->last_try) {
        x->orig = kcalloc((size_t)n, sizeof *x->orig);
        memcpy(x->orig, x->neww, (size_t)n * sizeof *x->orig);
        x->nulled = kcalloc((size_t)n + 1, 1);
        x->nnulled = null_orphans(a, t, n, x->neww, x->nulled);
    }
    x->newok = to_keys(a, t, n, x->neww, x->newl);
}

static int chg_refused(struct ap *a, struct chg *x, int sq, int *retry, struct kerr *e)
{
    /* It waits as it came: values null_orphans emptied name rows that may
     * come with the one it waits for. */
    const struct val *v = x->orig ? x->orig : x->neww;
    return refused(a, x->t, x->ncol, x->op, x->oldw, v, x->wire, sq, x->last_try, retry, e);
}

static int chg_settle(struct ap *a, struct chg *x, struct kerr *e)
{
    /* A NULL null_deleted gave is the delete's, with its stamp, and the
     * value it emptied is noted, as where the delete met the value: a
     * move that shows the row named did not go with the delete gives it
     * back (dbsync_give_back). */
    for (int i = 0; x->setat && i < x->ncol; i++) {
        struct stamp now = dbsync_col_stamp(&x->c, i), at = dbsync_change_stamp(a, i);
        if (x->setat[i].hlc && !dbsync_stamp_cmp(&now, &at)) {
            dbsync_set_col(&x->c, i, &x->setat[i]);
            dbsync_set_nulled(&x->c, i, &at);
            dbsync_set_emptied(&x->c, i, &x->setwas[i]);
        }
    }
    return settle_nulled(a, x->t, x->ncol, x->op, x->oldw, x->orig, x->nulled, x->nnulled, x->pk,
                         &x->c, e);
}

/* 1 when the update, not later than the delete that took its row by
 * cascade (or later, where that delete did not name the row), names
 * another row in a column that took it (ON DELETE CASCADE): the row was
 * no longer the deleted row's when it went, or was not the delete's. */
static int moves_away(struct ap *a, struct chg *x)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    if (!dbsync_is_cascade(c) || (dbsync_stamp_cmp(&a->st, &c->row) > 0 && !dbsync_is_unnamed(c)))
        return 0;
    struct val *v = kcalloc((size_t)x->ncol, sizeof *v);
    int moved = 0;
    if (dbsync_get_vals(c->data, c->ndata, v, x->ncol))
        for (int i = 0; i < x->ncol && !moved; i++) {
            const struct scol *col = &t->col[i];
            struct stamp cs = dbsync_col_stamp(c, i), at = dbsync_change_stamp(a, i);
            moved = col->parent >= 0 && !col->setnull && x->neww[i].type == SQLITE_TEXT &&
                    !dbsync_val_same(&x->neww[i], &v[i]) && dbsync_stamp_cmp(&at, &cs) >= 0;
        }
    free(v);
    return moved;
}

/* The row of a cascade's tomb that an update moved away (moves_away)
 * comes back with the tomb's values, if every row it names (ON DELETE
 * CASCADE) is here; a value naming a row deleted here meanwhile (ON
 * DELETE SET NULL: a referral's target) is NULL, as that delete left it
 * where the row stayed. Else it stays as it is, and the result is
 * SQLITE_CONSTRAINT_FOREIGNKEY: the row it names may come later in the
 * record (an undone merge brings back the contact it moves the row to). */
static int revive_moved(struct ap *a, struct chg *x)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    int n = x->ncol, sq = SQLITE_CONSTRAINT_FOREIGNKEY;
    struct val *v = kcalloc((size_t)n, sizeof *v), *l = kcalloc((size_t)n, sizeof *l);
    char *nulled = kcalloc((size_t)n + 1, 1);
    int got = dbsync_get_vals(c->data, c->ndata, v, n);
    if (got)
        null_orphans(a, t, n, v, nulled);
    if (got && to_keys(a, t, n, v, l))
        sq = insert_row(a, t, n, l);
    if (sq == SQLITE_OK) {
        struct stamp first = dbsync_col_stamp(c, 0);
        for (int i = 1; i < n; i++) {
            struct stamp cs = dbsync_col_stamp(c, i);
            if (dbsync_stamp_cmp(&cs, &first) < 0)
                first = cs;
        }
        for (int i = 0; i < n; i++) {
            struct stamp cs = dbsync_col_stamp(c, i);
            dbsync_set_col(c, i, &cs);
        }
        dbsync_unset_col(c, -2);
        dbsync_unset_col(c, -3);
        c->row = first;
        c->alive = 1;
    }
    free(nulled);
    free(v);
    free(l);
    return sq;
}

/* 1 when the update moves its row here (a column ON DELETE CASCADE that
 * it wins) to a row deleted later than the update, still deleted or back
 * since (a contact kept against that delete, sent again by a replica that
 * had not seen the move): where the delete came after the move it took
 * the row, made before the delete. *d is the delete's stamp. */
static int moves_into_gone(struct ap *a, struct chg *x, struct stamp *d)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    int gone = 0;
    for (int i = 0; i < x->ncol && !gone; i++) {
        const struct scol *col = &t->col[i];
        if (col->parent < 0 || col->setnull || x->neww[i].type != SQLITE_TEXT ||
            dbsync_val_same(&x->newl[i], &x->r.v[i]))
            continue;
        const struct stable *p = &a->s->t[col->parent];
        if (col->lkey < 0 && (strcmp(col->pcol, "id") || (p->key < 0 && !p->col[p->id].pk)))
            continue;
        struct stamp cs = c->found ? dbsync_col_stamp(c, i) : (struct stamp){0, ""},
                     at = dbsync_change_stamp(a, i);
        if (dbsync_stamp_cmp(&at, &cs) <= 0)
            continue;
        char *pk = kstr_ndup(x->neww[i].p, (size_t)x->neww[i].n);
        struct clock pc;
        if (dbsync_clock_get(a->db, p->name, pk, &pc, NULL) == K_OK && pc.found) {
            struct stamp was = pc.alive ? dbsync_deleted_at(&pc) : pc.row;
            struct stamp made = c->found ? c->row : (struct stamp){0, ""};
            if (dbsync_stamp_cmp(&was, &at) > 0 && dbsync_stamp_cmp(&made, &was) < 0) {
                *d = was;
                gone = 1;
            }
        }
        dbsync_clock_clear(&pc);
        free(pk);
    }
    return gone;
}

const char *dbsync_emptied(const struct ap *a, const struct stable *t, const char *pk, int col)
{
    int ti = (int)(t - a->s->t);
    for (size_t i = 0; i < a->nemptied; i++)
        if (a->emptied[i].table == ti && a->emptied[i].col == col && !strcmp(a->emptied[i].pk, pk))
            return a->emptied[i].val;
    return NULL;
}

void dbsync_emptied_free(struct ap *a)
{
    for (size_t i = 0; i < a->nemptied; i++) {
        free(a->emptied[i].pk);
        free(a->emptied[i].val);
    }
    free(a->emptied);
    a->emptied = NULL;
    a->nemptied = 0;
}

/* Notes the rows whose values naming x's row (ON DELETE SET NULL by id: a
 * thank-you's referral) its burial is about to empty. Where the delete
 * came after the move, the row went with the delete and emptied them as
 * of it; but a change not later than the delete that moves the row away
 * brings it back (revive_moved), and then it was never gone there: what
 * its burial emptied here comes back with it (bury_moved keeps it in a
 * tomb, stamp_cascades has it wait for the row). */
static void note_emptied(struct ap *a, struct chg *x)
{
    const struct stable *pt = x->t;
    int pi = (int)(pt - a->s->t);
    if (pt->id < 0 || pt->id >= x->ncol || !pt->col[pt->id].pk || pt->key >= 0 ||
        x->wire[pt->id].type != SQLITE_TEXT)
        return;
    for (int ti = 0; ti < a->s->nt; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int ci = 0; ci < t->ncol; ci++) {
            const struct scol *col = &t->col[ci];
            if (col->parent != pi || !col->setnull || col->lkey >= 0 || strcmp(col->pcol, "id"))
                continue;
            size_t n;
            struct row *rows = rows_by(a, t, col->name, &x->wire[pt->id], &n);
            for (size_t i = 0; i < n; i++) {
                struct val *w = kcalloc((size_t)t->ncol, sizeof *w);
                struct keys k = {0};
                memcpy(w, rows[i].v, (size_t)t->ncol * sizeof *w);
                if (dbsync_to_ids(a->db, a->s, &k, t, t->ncol, w)) {
                    a->emptied = krealloc(a->emptied, (a->nemptied + 1) * sizeof *a->emptied);
                    a->emptied[a->nemptied++] =
                        (struct emptied){ti, ci, dbsync_pk_text(t, t->ncol, w),
                                         kstr_ndup(x->wire[pt->id].p, (size_t)x->wire[pt->id].n)};
                }
                dbsync_keys_free(&k);
                free(w);
                dbsync_row_free(&rows[i]);
            }
            free(rows);
        }
    }
}

/* The row moves_into_gone found goes, as of that delete, by cascade: its
 * values, with the update's, stay for a change that moves it away before
 * the delete (revive_moved); a value another such burial emptied on the
 * way is kept as it was (note_emptied). */
static int bury_moved(struct ap *a, struct chg *x, const struct stamp *d, struct kerr *e)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    struct keys k = {0};
    struct val *v = kcalloc((size_t)x->ncol, sizeof *v);
    int rc = K_OK;
    memcpy(v, x->r.v, (size_t)x->ncol * sizeof *v);
    if (dbsync_to_ids(a->db, a->s, &k, t, x->ncol, v)) {
        for (int i = 0; i < x->ncol; i++) {
            const char *was = v[i].type == SQLITE_NULL ? dbsync_emptied(a, t, x->pk, i) : NULL;
            if (was)
                v[i] = dbsync_val_text(was);
        }
        for (int i = 0; i < x->ncol; i++) {
            struct stamp cs = c->found ? dbsync_col_stamp(c, i) : (struct stamp){0, ""},
                         at = dbsync_change_stamp(a, i);
            if (!t->col[i].pk && i != t->key && x->neww[i].type && dbsync_stamp_cmp(&at, &cs) > 0) {
                v[i] = x->neww[i];
                dbsync_set_col(c, i, &at);
            }
        }
        c->found = 1;
        dbsync_bury(c, x->ncol, v, d);
        dbsync_mark_cascade(c);
        /* The row was here, elsewhere, when the delete came: it did not
         * name the row, unless it named it as it was where it was made
         * (moved_before), so a later move away brings it back (moves_away),
         * as where the move came first and the delete left it. */
        if (!dbsync_named_by(c, d))
            dbsync_mark_unnamed(c);
        note_emptied(a, x);
        rc = delete_row(a, t, x->ncol, x->wire, x->local, e);
        if (rc == K_OK)
            rc = dbsync_clock_put(a->db, t->name, x->pk, c, e);
    }
    dbsync_keys_free(&k);
    free(v);
    return rc;
}

/* Marks (in mark) the columns in which the update, made before the delete
 * its row was kept against with a contact (both clocks note that delete),
 * moves the row away from that contact, where the row was sent again with
 * it later than the move: a merge this replica had not seen when it kept
 * the contact. Where the move came first, the row had left the contact
 * before the delete and was not kept with it (moved_before). 1 when one
 * is. *left is set where the row is where the update moves it already
 * (the move sent again, send_move, came first): it had left the contact
 * all the same. */
static int moves_off_kept(struct ap *a, struct chg *x, char *mark, int *left)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    struct stamp d = dbsync_deleted_at(c);
    if (!c->found || !c->alive || !d.hlc || dbsync_stamp_cmp(&a->st, &d) >= 0)
        return 0;
    struct val *w = kcalloc((size_t)x->ncol, sizeof *w);
    struct keys k = {0};
    int n = 0;
    memcpy(w, x->r.v, (size_t)x->ncol * sizeof *w);
    for (int i = 0; dbsync_to_ids(a->db, a->s, &k, t, x->ncol, w) && i < x->ncol; i++) {
        const struct scol *col = &t->col[i];
        struct stamp cs = dbsync_col_stamp(c, i), at = dbsync_change_stamp(a, i);
        if (col->parent < 0 || col->setnull || col->pk || i == t->key ||
            !dbsync_is_contact(&a->s->t[col->parent]) || x->neww[i].type != SQLITE_TEXT ||
            x->oldw[i].type != SQLITE_TEXT ||
            (!dbsync_val_same(&w[i], &x->oldw[i]) && !dbsync_val_same(&w[i], &x->neww[i])) ||
            dbsync_val_same(&x->neww[i], &x->oldw[i]) || dbsync_stamp_cmp(&cs, &at) <= 0)
            continue;
        char *pk = kstr_ndup(x->oldw[i].p, (size_t)x->oldw[i].n);
        struct clock pc;
        if (dbsync_clock_get(a->db, a->s->t[col->parent].name, pk, &pc, NULL) == K_OK && pc.found &&
            pc.alive) {
            struct stamp pd = dbsync_deleted_at(&pc);
            if (dbsync_stamp_cmp(&pd, &d)) {
                /* Not the delete the row was kept against. */
            } else if (dbsync_val_same(&w[i], &x->oldw[i])) {
                mark[i] = 1;
                n++;
            } else {
                *left = 1;
            }
        }
        dbsync_clock_clear(&pc);
        free(pk);
    }
    dbsync_keys_free(&k);
    free(w);
    return n > 0;
}

int dbsync_give_back(struct ap *a, const struct stable *pt, const struct val *id,
                     const struct stamp *d, struct kerr *e)
{
    int pi = (int)(pt - a->s->t), rc = K_OK;
    if (id->type != SQLITE_TEXT)
        return K_OK;
    for (int ti = 0; ti < a->s->nt && rc == K_OK; ti++) {
        const struct stable *t = &a->s->t[ti];
        for (int ci = 0; ci < t->ncol && rc == K_OK; ci++) {
            const struct scol *col = &t->col[ci];
            if (col->parent != pi || !col->setnull || col->lkey >= 0 || strcmp(col->pcol, "id"))
                continue;
            /* clang-format off */
            char *sql = sqlite3_mprintf(
                "SELECT *"
                " FROM \"%w\""
                " WHERE \"%w\" IS NULL",
                t->name, col->name);
            /* clang-format on */
            sqlite3_stmt *st = db_stmt_built(a->db, sql, NULL);
            struct row *rows = NULL;
            size_t n = 0;
            if (st && sqlite3_column_count(st) == t->ncol)
                while (sqlite3_step(st) == SQLITE_ROW) {
                    rows = krealloc(rows, (n + 1) * sizeof *rows);
                    dbsync_row_take(&rows[n++], st, t->ncol);
                }
            if (st)
                sqlite3_reset(st);
            sqlite3_free(sql);
            for (size_t i = 0; i < n; i++) {
                struct val *w = kcalloc((size_t)t->ncol, sizeof *w);
                struct keys k = {0};
                struct clock cl;
                memset(&cl, 0, sizeof cl);
                char *pk = NULL;
                memcpy(w, rows[i].v, (size_t)t->ncol * sizeof *w);
                if (rc == K_OK && dbsync_to_ids(a->db, a->s, &k, t, t->ncol, w)) {
                    pk = dbsync_pk_text(t, t->ncol, w);
                    rc = dbsync_clock_get(a->db, t->name, pk, &cl, e);
                }
                struct stamp now = dbsync_col_stamp(&cl, ci), was = dbsync_nulled_at(&cl, ci);
                if (rc == K_OK && cl.found && cl.alive && !dbsync_stamp_cmp(&now, d) &&
                    dbsync_emptied_of(&cl, ci, id)) {
                    char *mark = kcalloc((size_t)t->ncol + 1, 1);
                    struct val *nv = kcalloc((size_t)t->ncol, sizeof *nv);
                    static const struct val none = {SQLITE_NULL, 0, 0, NULL, 0};
                    mark[ci] = 1;
                    nv[ci] = *id;
                    if (update_row(a, t, t->ncol, mark, nv, w, rows[i].v) != SQLITE_OK) {
                        rc = kerr_set(e, K_ERR, "cannot apply a change to %s from replica %s",
                                      t->name, a->replica);
                    } else {
                        /* Its own stamp again, as where the delete left it. */
                        if (was.hlc)
                            dbsync_set_col(&cl, ci, &was);
                        else
                            dbsync_unset_col(&cl, ci);
                        dbsync_set_nulled(&cl, ci, &(struct stamp){0, ""});
                        dbsync_set_emptied(&cl, ci, &none);
                        rc = dbsync_clock_put(a->db, t->name, pk, &cl, e);
                    }
                    free(mark);
                    free(nv);
                }
                dbsync_clock_clear(&cl);
                free(pk);
                dbsync_keys_free(&k);
                free(w);
                dbsync_row_free(&rows[i]);
            }
            free(rows);
        }
    }
    return rc;
}

/* A row moves_off_kept found moved off the contact kept (or already where
 * the move takes it) is no longer noted as deleted with that delete: it
 * had left the contact when the delete was made, which named it and left
 * it (dbsync_mark_named), as where the move came first (moved_before);
 * what names it from before the delete keeps it (null_deleted), as on
 * the replica that deleted, where the move brought it back
 * (revive_moved). */
static int left_kept(struct ap *a, struct chg *x, struct kerr *e)
{
    struct stamp d = dbsync_deleted_at(&x->c);
    dbsync_unset_col(&x->c, -1);
    dbsync_mark_named(&x->c, &d);
    int rc = dbsync_clock_put(a->db, x->t->name, x->pk, &x->c, e);
    if (rc == K_OK && x->t->id >= 0 && x->t->id < x->ncol)
        rc = dbsync_give_back(a, x->t, &x->wire[x->t->id], &d, e);
    return rc;
}

/* 1 when the update, a move sent again by a replica that kept the row
 * with a contact (send_move: later than the delete it was kept against,
 * with the stamp of the move, not later than that delete), takes the row
 * off that contact, kept against the same delete here, where the row is
 * that contact's as of a change not later than the delete (sent again
 * with it: stamp_again): the row had left the contact before the delete,
 * as where moves_off_kept finds the move itself (left_kept). Not where a
 * change later than the delete took it back to the contact (an undo of
 * the delete: named_back). */
static int sent_move_off_kept(struct ap *a, const struct chg *x)
{
    const struct stable *t = x->t;
    const struct clock *c = &x->c;
    struct stamp d = dbsync_deleted_at(c);
    struct clock in;
    if (!a->pcols || !c->found || !c->alive || !d.hlc || !x->r.n)
        return 0;
    memset(&in, 0, sizeof in);
    in.row = a->st;
    in.cols = a->pcols;
    struct val *w = kcalloc((size_t)x->ncol, sizeof *w);
    struct keys k = {0};
    memcpy(w, x->r.v, (size_t)x->ncol * sizeof *w);
    int off = 0, ids = dbsync_to_ids(a->db, a->s, &k, t, x->ncol, w);
    for (int i = 0; ids && i < x->ncol && !off; i++) {
        const struct scol *col = &t->col[i];
        struct stamp mv = dbsync_moved_at(&in, i), here = dbsync_moved_at(c, i);
        if (col->parent < 0 || col->setnull || col->pk || i == t->key ||
            !dbsync_is_contact(&a->s->t[col->parent]) || x->neww[i].type != SQLITE_TEXT ||
            x->oldw[i].type != SQLITE_TEXT || dbsync_val_same(&x->neww[i], &x->oldw[i]) ||
            !dbsync_val_same(&w[i], &x->oldw[i]) || dbsync_stamp_cmp(&mv, &d) > 0 ||
            dbsync_stamp_cmp(&here, &d) > 0)
            continue;
        char *pk = kstr_ndup(x->oldw[i].p, (size_t)x->oldw[i].n);
        struct clock pc;
        if (dbsync_clock_get(a->db, a->s->t[col->parent].name, pk, &pc, NULL) == K_OK && pc.found &&
            pc.alive) {
            struct stamp pd = dbsync_deleted_at(&pc);
            off = !dbsync_stamp_cmp(&pd, &d);
        }
        dbsync_clock_clear(&pc);
        free(pk);
    }
    dbsync_keys_free(&k);
    free(w);
    return off;
}

/* The move moves_off_kept found takes the row here, and this replica
 * sends it again as its own change: the replicas that took the row with
 * the contact sent again get the move back. Where the row it moves to is
 * not here (deleted here: a contact that comes back, kept against that
 * delete, comes with its rows), the row stays with the contact kept. */
static int send_move(struct ap *a, struct chg *x, const char *mark, struct kerr *e)
{
    const struct stable *t = x->t;
    int n = x->ncol, s = update_row(a, t, n, mark, x->newl, x->wire, x->local);
    if ((s & 0xff) == SQLITE_CONSTRAINT)
        return K_OK;
    if (s != SQLITE_OK)
        return kerr_set(e, K_ERR, "cannot apply a change to %s from replica %s (%s)", t->name,
                        a->replica, sqlite3_errstr(s));
    int rc = left_kept(a, x, e);
    if (rc != K_OK)
        return rc;
    struct val *o = kcalloc((size_t)n, sizeof *o), *v = kcalloc((size_t)n, sizeof *v);
    struct enc enc = {0};
    struct clock in, out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    in.row = a->st;
    in.cols = a->pcols;
    for (int i = 0; i < n; i++) {
        if (t->col[i].pk || i == t->key || mark[i])
            o[i] = x->oldw[i];
        if (mark[i]) {
            /* With the move's own stamp: a replica that meets the delete
             * after it sees the row left the contact before the delete
             * (moved_before, left_before_delete), as here. */
            struct stamp mv = dbsync_moved_at(&in, i);
            v[i] = x->neww[i];
            dbsync_set_moved(&out, i, &mv);
        }
    }
    enc.indirect = 1;
    dbsync_put_row(&enc, t, n, SQLITE_UPDATE, o, v);
    if (out.cols && *out.cols)
        dbsync_put_stamps(&enc, t->name, x->pk, out.cols);
    dbsync_clock_clear(&out);
    rc = dbsync_keep(a->db, enc.b.s, enc.b.len, e);
    sbuf_free(&enc.b);
    free(o);
    free(v);
    return rc;
}

/* 1 when the update (to a row deleted here) changes a column later than
 * the replica that deleted it had it (dbsync_note_seen): an edit it had
 * not seen, which keeps a contact where it meets the delete. */
static int not_seen(struct ap *a, const struct chg *x)
{
    for (int i = 0; i < x->ncol; i++) {
        struct stamp seen, at = dbsync_change_stamp(a, i);
        if (dbsync_edit_col(x->t, i) && x->neww[i].type && dbsync_seen_at(&x->c, i, &seen) &&
            dbsync_stamp_cmp(&at, &seen) > 0)
            return 1;
    }
    return 0;
}

static int apply_update(struct ap *a, struct chg *x, int *retry, struct kerr *e)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    int sq = SQLITE_OK, rc = K_OK, n = x->ncol;
    struct stamp d;
    if (x->r.n && x->newok && moves_into_gone(a, x, &d))
        return bury_moved(a, x, &d, e);
    char *off = kcalloc((size_t)n + 1, 1);
    int left = 0, moved_off = x->r.n && x->newok && moves_off_kept(a, x, off, &left);
    if (!moved_off && !left && x->newok)
        left = sent_move_off_kept(a, x);
    if (x->r.n && !x->newok)
        sq = SQLITE_CONSTRAINT_FOREIGNKEY;
    if (x->r.n && x->newok)
        rc = merge(a, t, n, x->op, x->ind, x->oldw, x->neww, x->newl, x->wire, x->local, &x->r, c,
                   &sq, e);
    else if (!x->r.n && dbsync_is_contact(t) && c->found && !c->alive)
        rc =
            dbsync_conflict(a, t, n, x->wire, "contact", deleted_by(a, &c->row),
                            kstr_dup("edited there"), c->row.rep, a->st.rep,
                            dbsync_stamp_cmp(&a->st, &c->row) > 0
                                ? "an edit later than the delete keeps the contact, archived: "
                                  "the replica that kept it sends it again"
                            : not_seen(a, x) ? "an edit the delete had not seen keeps the contact, "
                                               "archived: the replica that kept it sends it again"
                                             : "the delete is later than the edit",
                            e);
    if (rc == K_OK && !x->r.n && dbsync_is_contact(t) && c->found && !c->alive &&
        dbsync_stamp_cmp(&a->st, &c->row) <= 0 && !not_seen(a, x))
        rc = list_lost(a, x, x->neww, x->oldw, c->row.rep, NULL, 0, e);
    if (rc == K_OK && !x->r.n && c->found && !c->alive && c->ndata) {
        int moved = moves_away(a, x), back = 0;
        struct stamp gone = c->row;
        tomb_update(a, n, x->neww, c);
        if (moved && (back = revive_moved(a, x)) == SQLITE_CONSTRAINT_FOREIGNKEY && !x->last_try) {
            /* Nothing written: on the last try the row it names is here. */
            *retry = 1;
            free(off);
            return K_OK;
        }
        rc = dbsync_clock_put(a->db, t->name, x->pk, c, e);
        /* Back: what its delete emptied naming it comes back too. */
        if (rc == K_OK && moved && back == SQLITE_OK && t->id >= 0 && t->id < n)
            rc = dbsync_give_back(a, t, &x->wire[t->id], &gone, e);
    } else if (rc == K_OK && !x->r.n && (!c->found || c->alive)) {
        /* A row not here yet: its insert is in a file of another replica
         * not applied yet, or waits here (parked) for a row it names; the
         * update goes with it (park_into). */
        rc = dbsync_park(a, t, n, x->op, x->oldw, x->neww, NULL, e);
    }
    if (rc == K_OK && sq != SQLITE_OK)
        rc = chg_refused(a, x, sq, retry, e);
    else if (rc == K_OK && x->r.n)
        rc = chg_settle(a, x, e);
    if (rc == K_OK && sq == SQLITE_OK && moved_off)
        rc = send_move(a, x, off, e);
    else if (rc == K_OK && sq == SQLITE_OK && left)
        rc = left_kept(a, x, e);
    free(off);
    return rc;
}

/* An insert of a row that is here. */
/* 1 when the row here is one a delete named and left, moved elsewhere
 * first (moved_before: dbsync_mark_named, its stamp in *d), that the
 * insert just merged takes back to the contact that delete deleted, back
 * since from it (the delete undone, or the contact kept against it): the
 * row comes back as the delete took it there, and that delete took what
 * named the row from before it (ON DELETE SET NULL: null_deleted where
 * the delete was applied, cascade_older where the row was kept); so here
 * too, as of the delete. Not a value set no later than the one the
 * column had here (had: dbsync_moved_at before the merge), sent again
 * only (stamp_again: a contact kept against the delete by a replica that
 * had not seen the move here): it takes nothing back, and that replica
 * sends the move again when it meets it (send_move), the row not taken
 * by the delete there either. */
static int named_back(struct ap *a, const struct chg *x, const struct stamp *had, struct stamp *d)
{
    const struct stable *t = x->t;
    const struct clock *c = &x->c;
    struct stamp named = dbsync_col_stamp(c, -4);
    if (dbsync_is_contact(t) || !dbsync_named_by(c, &named))
        return 0;
    struct clock in;
    memset(&in, 0, sizeof in);
    in.row = dbsync_change_stamp(a, -1);
    in.cols = a->pcols;
    int back = 0;
    for (int i = 0; i < x->ncol && !back; i++) {
        const struct scol *col = &t->col[i];
        struct stamp cs = dbsync_col_stamp(c, i), at = dbsync_change_stamp(a, i),
                     set = dbsync_moved_at(&in, i);
        if (col->parent < 0 || col->setnull || col->pk || col->lkey >= 0 ||
            !dbsync_is_contact(&a->s->t[col->parent]) || x->neww[i].type != SQLITE_TEXT ||
            dbsync_stamp_cmp(&cs, &at) || dbsync_stamp_cmp(&set, &had[i]) <= 0)
            continue;
        char *pk = kstr_ndup(x->neww[i].p, (size_t)x->neww[i].n);
        struct clock pc;
        if (dbsync_clock_get(a->db, a->s->t[col->parent].name, pk, &pc, NULL) == K_OK && pc.found &&
            pc.alive) {
            struct stamp pd = dbsync_deleted_at(&pc);
            back = !dbsync_stamp_cmp(&pd, &named);
        }
        dbsync_clock_clear(&pc);
        free(pk);
    }
    if (back)
        *d = named;
    return back;
}

/* 1 when the row here is one a delete that took it with its last link
 * to a contact left here, a link to another contact made before the
 * delete naming it (moved_before, revive_linked: dbsync_mark_named, its
 * stamp in *d), and the insert sends it again later than the delete (the
 * contact kept against it): the row comes back with what is sent again
 * with the contact kept, and what named it from before the delete goes,
 * as where the contact was kept before the link came (cascade_older). */
static int linked_back(struct ap *a, const struct chg *x, struct stamp *d)
{
    struct stamp named = dbsync_col_stamp(&x->c, -4);
    if (dbsync_is_contact(x->t) || !a->pcols || !named.hlc || !dbsync_named_by(&x->c, &named) ||
        dbsync_stamp_cmp(&a->st, &named) <= 0)
        return 0;
    for (int i = 0; i < x->t->ncol; i++)
        if (x->t->col[i].parent >= 0)
            return 0; /* named_back's */
    *d = named;
    return 1;
}

static int apply_insert_here(struct ap *a, struct chg *x, int *retry, struct kerr *e)
{
    struct clock *c = &x->c;
    int sq = SQLITE_OK, rc = K_OK;
    struct stamp d;
    /* Sent again (a contact kept against a delete) naming a row deleted
     * here later: the delete takes it, as a move there would be taken. */
    if (x->newok && moves_into_gone(a, x, &d))
        return bury_moved(a, x, &d, e);
    struct stamp *had = kcalloc((size_t)x->ncol, sizeof *had);
    for (int i = 0; c->found && i < x->ncol; i++)
        had[i] = dbsync_moved_at(c, i);
    if (!x->newok)
        sq = SQLITE_CONSTRAINT_FOREIGNKEY;
    else
        rc = merge(a, x->t, x->ncol, x->op, x->ind, x->oldw, x->neww, x->newl, x->wire, x->local,
                   &x->r, c, &sq, e);
    /* The row is there as of this insert at least: a delete older than it
     * leaves it (each column keeps its own stamp). */
    struct stamp own = dbsync_change_stamp(a, -1);
    if (rc == K_OK && sq == SQLITE_OK && is_tick(x->t) && c->found && c->alive) {
        ticked_note(c, &c->row);
        ticked_note(c, &own);
    }
    if (rc == K_OK && sq == SQLITE_OK && dbsync_stamp_cmp(&own, &c->row) > 0) {
        for (int i = 0; i < x->ncol; i++) {
            struct stamp cs = dbsync_col_stamp(c, i);
            dbsync_set_col(c, i, &cs);
        }
        c->row = own;
        c->alive = 1;
    }
    if (rc == K_OK && sq == SQLITE_OK && (named_back(a, x, had, &d) || linked_back(a, x, &d))) {
        struct stamp was = dbsync_deleted_at(c), st = a->st;
        dbsync_unset_col(c, -4);
        if (dbsync_stamp_cmp(&d, &was) > 0)
            dbsync_set_col(c, -1, &d);
        a->st = d;
        rc = cascade_older(a, x, NULL, 1, e);
        a->st = st;
    }
    free(had);
    if (rc == K_OK && sq != SQLITE_OK)
        rc = chg_refused(a, x, sq, retry, e);
    else if (rc == K_OK)
        rc = chg_settle(a, x, e);
    return rc;
}

/* The clock of a row the change inserts: the row as of the insert, each
 * column as of its own stamp (a parked insert's may be later: an update
 * that went into it). */
static void stamp_inserted(struct ap *a, struct clock *c, int ncol)
{
    c->row = dbsync_change_stamp(a, -1);
    for (int i = 0; a->pcols && i < ncol; i++) {
        struct stamp cs = dbsync_change_stamp(a, i);
        if (dbsync_stamp_cmp(&cs, &c->row))
            dbsync_set_col(c, i, &cs);
        dbsync_copy_moved(c, i, a->pcols);
    }
}

/* 1 when the insert brings back a row that went here by cascade (a row
 * it named, ON DELETE CASCADE, was deleted) naming another row in that
 * column, moved there not later than the delete (sent again with a
 * contact kept against another delete, with the stamp of the move:
 * stamp_again): the delete did not take it where the move came first, so
 * it is not noted as deleted (null_deleted), as where the move brought it
 * back (revive_moved). */
static int left_before(struct ap *a, struct chg *x)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c, in;
    if (!dbsync_is_cascade(c) || !c->ndata)
        return 0;
    memset(&in, 0, sizeof in);
    in.row = a->st;
    in.cols = a->pcols;
    struct val *v = kcalloc((size_t)x->ncol, sizeof *v);
    int left = 0;
    if (dbsync_get_vals(c->data, c->ndata, v, x->ncol))
        for (int i = 0; i < x->ncol && !left; i++) {
            const struct scol *col = &t->col[i];
            struct stamp moved = dbsync_moved_at(&in, i);
            left = col->parent >= 0 && !col->setnull && !col->pk && i != t->key &&
                   x->neww[i].type == SQLITE_TEXT && v[i].type == SQLITE_TEXT &&
                   !dbsync_val_same(&x->neww[i], &v[i]) && dbsync_stamp_cmp(&moved, &c->row) <= 0;
        }
    free(v);
    return left;
}

/* 1 when this sync already said that contact x was deleted on one side
 * and changed on the other: one line for it a sync. */
static int told(struct ap *a, const struct stable *t, const struct chg *x)
{
    if (t->id < 0 || t->id >= x->ncol || x->wire[t->id].type != SQLITE_TEXT)
        return 0;
    char *id = kstr_ndup(x->wire[t->id].p, (size_t)x->wire[t->id].n);
    int yes = dbconflict_told(a->db, id);
    free(id);
    return yes;
}

/* Says that contact id, deleted here, is kept where x's insert (in, its
 * stamps) was made, when the delete had not seen it (what the replica
 * deleting had: dbsync_knew): its column link names the contact, or a row
 * of the contact's. Once a sync. */
static int tell_kept_there(struct ap *a, const char *id, const struct clock *in, struct chg *x,
                           int link, struct kerr *e)
{
    int ci = dbsync_table_index(a->s, "contact"), rc = K_OK;
    const struct stable *ct = &a->s->t[ci];
    struct clock pc;
    if (dbsync_clock_get(a->db, ct->name, id, &pc, NULL) == K_OK && pc.found && !pc.alive &&
        dbsync_knew_any(pc.cols) &&
        dbsync_change_unseen(in, x->t, x->ncol, link, pc.cols, NULL, NULL) &&
        !dbconflict_told(a->db, id)) {
        struct val *w = kcalloc((size_t)ct->ncol, sizeof *w);
        w[ct->id] = dbsync_val_text(id);
        rc = dbsync_conflict(a, ct, ct->ncol, w, "contact", deleted_by(a, &pc.row),
                             kstr_dup("logged with it there"), pc.row.rep, a->st.rep,
                             "a change the delete had not seen keeps the contact, archived: "
                             "the replica that kept it sends it again",
                             e);
        free(w);
    }
    dbsync_clock_clear(&pc);
    return rc;
}

/* An insert naming a contact deleted here, made where the delete had not
 * been (what the replica deleting had: dbsync_knew): the replica that made
 * it keeps the contact against the delete when the delete reaches it, as
 * for an edit, and sends it again; said here as it comes (the insert waits
 * for the contact). Once: not again as it waits. So with below set for an
 * insert naming a row of such a contact's that went with it here (ON
 * DELETE CASCADE: a referral's outcome), which waits for that row or went
 * with it. */
static int tell_unseen(struct ap *a, struct chg *x, int below, struct kerr *e)
{
    const struct stable *t = x->t;
    int ci = dbsync_table_index(a->s, "contact"), rc = K_OK;
    struct clock in;
    if (a->unparking || ci < 0)
        return K_OK;
    memset(&in, 0, sizeof in);
    in.row = dbsync_change_stamp(a, -1);
    in.cols = a->pcols;
    for (int i = 0; i < x->ncol && rc == K_OK; i++) {
        const struct scol *col = &t->col[i];
        if (col->parent < 0 || col->setnull || x->neww[i].type != SQLITE_TEXT ||
            (col->lkey < 0 && strcmp(col->pcol, "id")))
            continue;
        const struct stable *p = &a->s->t[col->parent];
        char *id = kstr_ndup(x->neww[i].p, (size_t)x->neww[i].n);
        struct clock up;
        memset(&up, 0, sizeof up);
        if (!below && col->parent == ci) {
            rc = tell_kept_there(a, id, &in, x, i, e);
        } else if (below && col->parent != ci && col->lkey < 0 && p->id >= 0 &&
                   dbsync_clock_get(a->db, p->name, id, &up, NULL) == K_OK && up.found &&
                   !up.alive && up.ndata) {
            /* The row it names, as it went here: its contact. */
            struct val *pv = kcalloc((size_t)p->ncol, sizeof *pv);
            if (dbsync_get_vals(up.data, up.ndata, pv, p->ncol))
                for (int j = 0; j < p->ncol && rc == K_OK; j++) {
                    const struct scol *pj = &p->col[j];
                    if (pj->parent != ci || pj->setnull || pj->lkey >= 0 ||
                        pv[j].type != SQLITE_TEXT)
                        continue;
                    char *cid = kstr_ndup(pv[j].p, (size_t)pv[j].n);
                    rc = tell_kept_there(a, cid, &in, x, i, e);
                    free(cid);
                }
            free(pv);
        }
        dbsync_clock_clear(&up);
        free(id);
    }
    return rc;
}

/* The link x inserts (interaction_contact), not later than the delete
 * that took the row it names (an interaction) with its last link to a
 * contact deleted there (marked as a cascade: dbsync_origin_cascade), to
 * a contact here: the delete had not seen the link (a merge's move of it
 * to the contact merged into), and where the link came first the delete
 * left the row (moved_before). So the row comes back from its tomb, with
 * its values (revive_moved); 1 when it did. */
static int revive_linked(struct ap *a, struct chg *x, struct kerr *e)
{
    const struct stable *t = x->t;
    int back = 0;
    /* Sent again, or deleted here before: not a link the delete had not
     * seen (linked_before). */
    if (a->pcols || x->c.found)
        return 0;
    for (int i = 0; x->newok && i < x->ncol && !back; i++) {
        const struct scol *col = &t->col[i];
        if (col->parent < 0 || col->setnull || col->lkey >= 0 || x->neww[i].type != SQLITE_TEXT ||
            dbsync_is_contact(&a->s->t[col->parent]) || strcmp(col->pcol, "id"))
            continue;
        const struct stable *p = &a->s->t[col->parent];
        struct chg px;
        struct stamp at = dbsync_change_stamp(a, -1);
        memset(&px, 0, sizeof px);
        px.t = p;
        px.ncol = p->ncol;
        px.pk = kstr_ndup(x->neww[i].p, (size_t)x->neww[i].n);
        if (dbsync_clock_get(a->db, p->name, px.pk, &px.c, e) == K_OK && px.c.found &&
            !px.c.alive && px.c.ndata && dbsync_is_cascade(&px.c) &&
            dbsync_stamp_cmp(&at, &px.c.row) <= 0) {
            struct stamp d = px.c.row;
            if (revive_moved(a, &px) == SQLITE_OK) {
                /* Left by that delete, as where the link came first. */
                dbsync_mark_named(&px.c, &d);
                back = dbsync_clock_put(a->db, p->name, px.pk, &px.c, e) == K_OK;
            }
        }
        dbsync_clock_clear(&px.c);
        free(px.pk);
    }
    return back;
}

/* An insert of a row that is not here. */
static int apply_insert_new(struct ap *a, struct chg *x, int *retry, struct kerr *e)
{
    const struct stable *t = x->t;
    struct clock *c = &x->c;
    int rc = K_OK;
    struct stamp own = dbsync_change_stamp(a, -1);
    int back = tick_back(a, x);
    if (c->found && !c->alive && dbsync_stamp_cmp(&c->row, &own) > 0 && !back) {
        /* Deleted later: its values still count for an insert to come. */
        if (c->ndata) {
            tomb_update(a, x->ncol, x->neww, c);
            rc = dbsync_clock_put(a->db, t->name, x->pk, c, e);
        }
        return rc;
    }
    struct stamp d = {0, ""};
    int cz = cascaded(a, t, x->ncol, x->neww, &d);
    if (cz == 1 && revive_linked(a, x, e)) {
        cz = cascaded(a, t, x->ncol, x->neww, &d);
        x->newok = to_keys(a, t, x->ncol, x->neww, x->newl);
    }
    if ((rc = tell_unseen(a, x, cz != 2, e)) != K_OK)
        return rc;
    if (cz == 2)
        return dbsync_park(a, t, x->ncol, x->op, x->oldw, x->neww, NULL, e);
    if (cz && !c->found) {
        /* Gone with the delete, as where the delete took it; its values
         * stay, with their stamps, for a change that moved it away
         * (revive_moved): the delete did not name it. */
        c->found = 1;
        stamp_inserted(a, c, x->ncol);
        dbsync_bury(c, x->ncol, x->neww, &d);
        dbsync_mark_cascade(c);
        dbsync_mark_unnamed(c);
        return dbsync_clock_put(a->db, t->name, x->pk, c, e);
    }
    if (cz)
        return K_OK;
    int sq = x->newok ? insert_row(a, t, x->ncol, x->newl) : SQLITE_CONSTRAINT_FOREIGNKEY;
    if (sq != SQLITE_OK)
        return chg_refused(a, x, sq, retry, e);
    /* Back after a delete (undone, or sent again by a replica that kept
     * it against the delete, which notes the delete too: keep_contact):
     * a row inserted with it before that delete went with the delete
     * (cascaded), unless the row came back with it. */
    struct stamp was = c->found && !c->alive ? c->row : dbsync_deleted_at(c);
    /* A contact deleted here (or a delete that came here first) that
     * another replica kept against the delete: said here too. */
    if (dbsync_is_contact(t) && c->found && !c->alive && a->pcols &&
        strcmp(c->row.rep, a->replica) && !told(a, t, x) &&
        (rc = dbsync_conflict(a, t, x->ncol, x->wire, "contact", deleted_by(a, &c->row),
                              kstr_dup("kept, archived there"), c->row.rep, a->replica,
                              "a change the delete had not seen keeps the contact, archived", e)) !=
            K_OK)
        return rc;
    if (back && (rc = tell_tick_kept(a, x, &c->row, &own, e)) != K_OK)
        return rc;
    if (c->found && !c->alive && left_before(a, x))
        was.hlc = 0;
    free(c->cols);
    c->cols = NULL;
    c->alive = 1;
    stamp_inserted(a, c, x->ncol);
    if (was.hlc)
        dbsync_set_col(c, -1, &was);
    for (int i = 0; x->won && i < x->ncol; i++)
        if (x->won[i].hlc)
            dbsync_set_col(c, i, &x->won[i]);
    return chg_settle(a, x, e);
}

/* One change of the record. *retry is set for an insert whose parent row is
 * not there (yet). */
int dbsync_apply_one(struct ap *a, sqlite3_changeset_iter *it, int last_try, int *retry,
                     struct kerr *e)
{
    const char *name;
    struct chg x;
    memset(&x, 0, sizeof x);
    sqlite3changeset_op(it, &name, &x.ncol, &x.op, &x.ind);
    int ti = dbsync_table_index(a->s, name), rc;
    *retry = 0;
    if (ti < 0 || x.ncol > a->s->t[ti].ncol)
        return K_OK; /* not synced here */
    x.t = &a->s->t[ti];
    x.last_try = last_try;
    rc = chg_read(a, it, &x, e);
    /* A row sent again with its stamps (a contact kept against a delete),
     * or a move sent again with the stamp of the move (send_move). */
    const char *sent = rc == K_OK && x.op != SQLITE_DELETE && !a->unparking
                           ? dbsync_stamps_find(&a->stamps, x.t->name, x.pk)
                           : NULL;
    if (sent)
        a->pcols = (char *)sent;
    if (rc == K_OK)
        dbsync_debug_change(a, "applying", x.t, x.ncol, x.op, x.oldw, x.neww, x.pk);
    if (rc != K_OK || x.op == SQLITE_DELETE) {
        if (rc == K_OK)
            rc = apply_delete(a, &x, e);
        if (rc == K_OK)
            dbsync_debug_clock(a, "applied", x.t->name, x.pk);
        chg_free(&x);
        return rc;
    }
    /* A contact kept against this record's delete keeps what named it. */
    for (int i = 0; x.op == SQLITE_UPDATE && a->nkept && i < x.ncol; i++) {
        int p = x.t->col[i].parent;
        if (p >= 0 && dbsync_is_contact(&a->s->t[p]) && dbsync_is_kept(a, &x.oldw[i]) &&
            x.neww[i].type == SQLITE_NULL) {
            dbsync_debug_clock(a, "left out (its contact is kept)", x.t->name, x.pk);
            chg_free(&x);
            return K_OK;
        }
    }
    chg_prepare(a, &x);
    if (x.op == SQLITE_UPDATE)
        rc = apply_update(a, &x, retry, e);
    else if (x.r.n)
        rc = apply_insert_here(a, &x, retry, e);
    else
        rc = apply_insert_new(a, &x, retry, e);
    if (rc == K_OK)
        dbsync_debug_clock(a, *retry ? "to retry" : "applied", x.t->name, x.pk);
    if (sent)
        a->pcols = NULL;
    chg_free(&x);
    return rc;
}
