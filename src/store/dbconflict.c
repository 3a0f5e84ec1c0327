#include "kith/store/dbconflict.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int dbconflict_add(struct db *db, const struct kconflict *c, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_conflict(source, place, entity, entity_id, field, kept, other, rule)"
        " VALUES (:source, :place, :entity, :entity_id, :field, :kept, :other, :rule)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":source"), c->source);
    db_bind_text(st, db_param(st, ":place"), c->place);
    db_bind_text(st, db_param(st, ":entity"), c->entity);
    db_bind_text(st, db_param(st, ":entity_id"), c->entity_id);
    db_bind_text(st, db_param(st, ":field"), c->field);
    db_bind_text(st, db_param(st, ":kept"), c->kept);
    db_bind_text(st, db_param(st, ":other"), c->other);
    db_bind_text(st, db_param(st, ":rule"), c->rule);
    return db_step_done(db, st, e);
}

int dbconflict_each(struct db *db, long long after, size_t limit, dbconflict_cb cb, void *ud,
                    struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT s.id, s.at, s.source, s.place, s.entity, s.entity_id, c.name, s.field,"
        "  s.kept, s.other, s.rule"
        " FROM sync_conflict s"
        " LEFT JOIN contact c ON s.entity = 'contact' AND c.id = s.entity_id"
        " WHERE s.id > :after"
        " ORDER BY s.id"
        " LIMIT :limit",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":after"), after);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct kconflict c;
        memset(&c, 0, sizeof c);
        c.id = sqlite3_column_int64(st, 0);
        c.at = (char *)sqlite3_column_text(st, 1);
        c.source = (char *)sqlite3_column_text(st, 2);
        c.place = (char *)sqlite3_column_text(st, 3);
        c.entity = (char *)sqlite3_column_text(st, 4);
        db_col_id(st, 5, c.entity_id);
        c.name = (char *)sqlite3_column_text(st, 6);
        c.field = (char *)sqlite3_column_text(st, 7);
        c.kept = (char *)sqlite3_column_text(st, 8);
        c.other = (char *)sqlite3_column_text(st, 9);
        c.rule = (char *)sqlite3_column_text(st, 10);
        if (cb(&c, ud)) {
            sqlite3_reset(st);
            return K_OK;
        }
    }
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync conflicts");
    return K_OK;
}

int dbconflict_last(struct db *db, long long *id, struct kerr *e)
{
    *id = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT coalesce(max(id), 0)"
        " FROM sync_conflict",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return s == SQLITE_ROW ? K_OK : db_fail(db, e, "reading the sync conflicts");
}
