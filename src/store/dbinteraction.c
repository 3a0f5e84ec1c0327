#include "kith/store/dbinteraction.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int dbinteraction_insert(struct db *db, const struct interaction *it, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO interaction(id, date, kind, direction, summary, note)"
        " VALUES (:id, :date, :kind, :direction, :summary, :note)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), it->id);
    db_bind_date(st, db_param(st, ":date"), it->date);
    db_bind_text(st, db_param(st, ":kind"), it->kind);
    db_bind_text(st, db_param(st, ":direction"), kdir_name(it->dir));
    db_bind_text(st, db_param(st, ":summary"), it->summary);
    db_bind_text(st, db_param(st, ":note"), it->note);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    for (size_t i = 0; i < it->ncontacts; i++) {
        /* clang-format off */
        st = db_stmt(db,
            "INSERT OR IGNORE INTO interaction_contact(interaction_id, contact_key, date, kind,"
            "  direction)"
            " SELECT :id, key, :date, :kind, :direction"
            " FROM contact"
            " WHERE id = :contact",
            e);
        /* clang-format on */
        if (!st)
            return K_ERR;
        db_bind_text(st, db_param(st, ":id"), it->id);
        db_bind_text(st, db_param(st, ":contact"), it->contacts[i].id);
        db_bind_date(st, db_param(st, ":date"), it->date);
        db_bind_text(st, db_param(st, ":kind"), it->kind);
        db_bind_text(st, db_param(st, ":direction"), kdir_name(it->dir));
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
}

int dbinteraction_delete(struct db *db, const char *id, struct kerr *e)
{
    /* clang-format off */
    if (db_run_text(db,
            "DELETE FROM interaction"
            " WHERE id = ?1",
            id, e) != K_OK)
        return K_ERR;
    /* clang-format on */
    if (sqlite3_changes(db->h) == 0)
        return kerr_set(e, K_NOTFOUND, "no such interaction");
    return K_OK;
}

int dbinteraction_find(struct db *db, const char *prefix, size_t max, char (**out)[KID_LEN + 1],
                       size_t *n, struct kerr *e)
{
    *out = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id"
        " FROM interaction"
        " WHERE id >= :prefix AND id < :prefix || 'g'"
        " ORDER BY id"
        " LIMIT :max",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":prefix"), prefix);
    sqlite3_bind_int64(st, db_param(st, ":max"), (sqlite3_int64)max);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        *out = kgrowarray(*out, *n, sizeof **out);
        db_col_id(st, 0, (*out)[*n]);
        (*n)++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "finding an interaction");
    return K_OK;
}

int dbinteraction_contact_exists(struct db *db, const char *contact_id)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT 1"
        " FROM contact"
        " WHERE id = ?1",
        NULL);
    /* clang-format on */
    if (!st)
        return 0;
    db_bind_text(st, 1, contact_id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* A contact's timeline walks its slice of interaction_contact's index in
 * date order; the journal-wide timeline walks interaction's date index. */
static void build_sql(struct sbuf *b, const struct dbinteraction_query *q, int json)
{
    /* clang-format off */
    if (json)
        sbuf_add(b,
            "SELECT json_object('id', i.id, 'date', i.date, 'kind', i.kind,"
            "  'direction', i.direction,"
            "  'contacts', json((SELECT json_group_array(json_object('id', p.id, 'name', p.name))"
            "   FROM (SELECT c.id, c.name"
            "    FROM interaction_contact x"
            "    JOIN contact c ON c.key = x.contact_key"
            "    WHERE x.interaction_id = i.id"
            "    ORDER BY c.name_fold, c.id) p)),"
            "  'summary', i.summary, 'note', i.note)");
    else
        sbuf_add(b, "SELECT i.id, i.date, i.kind, i.direction, i.summary, i.note");
    if (q->contact_id)
        sbuf_add(b,
            " FROM interaction_contact ic"
            " JOIN interaction i ON i.id = ic.interaction_id"
            " WHERE ic.contact_key = (SELECT key FROM contact WHERE id = :cid)");
    else
        sbuf_add(b,
            " FROM interaction i"
            " WHERE 1");
    /* clang-format on */
    const char *d = q->contact_id ? "ic.date" : "i.date";
    if (q->since != KDATE_NONE)
        sbuf_printf(b, " AND %s >= :since", d);
    if (q->until != KDATE_NONE)
        sbuf_printf(b, " AND %s <= :until", d);
    if (q->kind)
        sbuf_add(b, " AND i.kind = :kind");
    if (q->fts)
        sbuf_add(b, " AND i.rowid IN (SELECT rowid FROM interaction_fts WHERE interaction_fts"
                    " MATCH :q)");
    /* Within a day, the order they were logged in: created_at ties within a
     * millisecond, so rowid (not the random id) breaks the tie. */
    const char *dir = q->oldest_first ? "" : " DESC";
    sbuf_printf(b, " ORDER BY %s%s, i.created_at%s, i.rowid%s", d, dir, dir, dir);
    if (q->limit || q->offset)
        sbuf_add(b, " LIMIT :limit OFFSET :offset");
}

static int prepare(struct db *db, const struct dbinteraction_query *q, int json, sqlite3_stmt **st,
                   struct kerr *e)
{
    struct sbuf b = {0};
    build_sql(&b, q, json);
    int rc = K_OK;
    if (sqlite3_prepare_v2(db->h, b.s, -1, st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "reading interactions");
        goto out;
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(*st, ":cid")))
        db_bind_text(*st, i, q->contact_id);
    if ((i = sqlite3_bind_parameter_index(*st, ":since")))
        db_bind_date(*st, i, q->since);
    if ((i = sqlite3_bind_parameter_index(*st, ":until")))
        db_bind_date(*st, i, q->until);
    if ((i = sqlite3_bind_parameter_index(*st, ":kind")))
        db_bind_text(*st, i, q->kind);
    if ((i = sqlite3_bind_parameter_index(*st, ":q")))
        db_bind_text(*st, i, q->fts);
    if ((i = sqlite3_bind_parameter_index(*st, ":limit")))
        sqlite3_bind_int64(*st, i, q->limit ? (sqlite3_int64)q->limit : -1);
    if ((i = sqlite3_bind_parameter_index(*st, ":offset")))
        sqlite3_bind_int64(*st, i, (sqlite3_int64)q->offset);
out:
    sbuf_free(&b);
    return rc;
}

static int load_contacts(struct db *db, struct interaction *it, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT c.id, c.name"
        " FROM interaction_contact x"
        " JOIN contact c ON c.key = x.contact_key"
        " WHERE x.interaction_id = ?1"
        " ORDER BY c.name_fold",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, it->id);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        it->contacts = kgrowarray(it->contacts, it->ncontacts, sizeof *it->contacts);
        db_col_id(st, 0, it->contacts[it->ncontacts].id);
        it->contacts[it->ncontacts].name = db_col_text(st, 1);
        it->ncontacts++;
    }
    sqlite3_reset(st);
    return s == SQLITE_DONE ? K_OK : db_fail(db, e, "reading interactions");
}

int dbinteraction_list(struct db *db, const struct dbinteraction_query *q,
                       struct interaction_list *out, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int rc = prepare(db, q, 0, &st, e);
    if (rc != K_OK)
        goto out;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        out->v = kgrowarray(out->v, out->n, sizeof *out->v);
        struct interaction *it = &out->v[out->n++];
        memset(it, 0, sizeof *it);
        db_col_id(st, 0, it->id);
        it->date = db_col_date(st, 1);
        it->kind = db_col_text(st, 2);
        kdir_parse((const char *)sqlite3_column_text(st, 3), &it->dir);
        it->summary = db_col_text(st, 4);
        it->note = db_col_text(st, 5);
    }
    if (s != SQLITE_DONE) {
        rc = db_fail(db, e, "reading interactions");
        goto out;
    }
    for (size_t i = 0; rc == K_OK && i < out->n; i++)
        rc = load_contacts(db, &out->v[i], e);
out:
    sqlite3_finalize(st);
    if (rc != K_OK)
        interaction_list_clear(out);
    return rc;
}

int dbinteraction_each_json(struct db *db, const struct dbinteraction_query *q, kjson_cb cb,
                            void *ud, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, q, 1, &st, e);
    if (rc != K_OK)
        goto out;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "reading interactions");
out:
    sqlite3_finalize(st);
    return rc;
}
