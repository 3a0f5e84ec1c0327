#include "kith/store/dbconflict.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* 1 when c took the place of the row this run has for its contact. */
static int same_contact(struct db *db, const struct kconflict *c, struct kerr *e)
{
    if (!db->conflict_run || !c->field || strcmp(c->field, "contact") || !c->entity ||
        strcmp(c->entity, "contact"))
        return 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE sync_conflict"
        " SET kept = :kept, other = :other, rule = :rule, kept_place = :kept_place,"
        "  other_place = :other_place"
        " WHERE id = (SELECT max(id)"
        "  FROM sync_conflict"
        "  WHERE id >= :run AND source IS :source AND place IS :place"
        "   AND entity = 'contact' AND entity_id IS :entity_id AND field = 'contact')",
        e);
    /* clang-format on */
    if (!st)
        return -1;
    sqlite3_bind_int64(st, db_param(st, ":run"), db->conflict_run);
    db_bind_text(st, db_param(st, ":source"), c->source);
    db_bind_text(st, db_param(st, ":place"), c->place);
    db_bind_text(st, db_param(st, ":entity_id"), c->entity_id);
    db_bind_text(st, db_param(st, ":kept"), c->kept);
    db_bind_text(st, db_param(st, ":other"), c->other);
    db_bind_text(st, db_param(st, ":rule"), c->rule);
    db_bind_text(st, db_param(st, ":kept_place"), c->kept_place);
    db_bind_text(st, db_param(st, ":other_place"), c->other_place);
    if (db_step_done(db, st, e) != K_OK)
        return -1;
    return sqlite3_changes(db->h) > 0;
}

int dbconflict_told(struct db *db, const char *contact_id)
{
    if (!db->conflict_run)
        return 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT 1"
        " FROM sync_conflict"
        " WHERE id >= :run AND entity = 'contact' AND entity_id = :id AND field = 'contact'",
        NULL);
    /* clang-format on */
    if (!st)
        return 0;
    sqlite3_bind_int64(st, db_param(st, ":run"), db->conflict_run);
    db_bind_text(st, db_param(st, ":id"), contact_id);
    int told = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return told;
}

int dbconflict_run(struct db *db, int on, struct kerr *e)
{
    long long last = 0;
    db->conflict_run = 0;
    if (!on)
        return K_OK;
    int rc = dbconflict_last(db, &last, e);
    if (rc == K_OK)
        db->conflict_run = last + 1;
    return rc;
}

int dbconflict_add(struct db *db, const struct kconflict *c, struct kerr *e)
{
    int same = same_contact(db, c, e);
    if (same)
        return same < 0 ? K_ERR : K_OK;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_conflict(source, place, entity, entity_id, field, kept, other, rule,"
        "  kept_place, other_place, about)"
        " VALUES (:source, :place, :entity, :entity_id, :field, :kept, :other, :rule,"
        "  :kept_place, :other_place, :about)",
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
    db_bind_text(st, db_param(st, ":kept_place"), c->kept_place);
    db_bind_text(st, db_param(st, ":other_place"), c->other_place);
    db_bind_text(st, db_param(st, ":about"), c->about);
    return db_step_done(db, st, e);
}

int dbconflict_each(struct db *db, long long after, size_t limit, dbconflict_cb cb, void *ud,
                    struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT s.id, s.at, s.source, s.place, s.entity, s.entity_id,"
        "  coalesce(c.name, CASE WHEN s.entity = 'contact' THEN s.about END), s.field,"
        "  s.kept, s.other, s.rule, s.kept_place, s.other_place,"
        "  CASE WHEN s.entity = 'contact' THEN NULL ELSE s.about END"
        " FROM sync_conflict s"
        " LEFT JOIN contact c ON s.entity IN ('contact', 'reminder_state') AND c.id = s.entity_id"
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
        c.kept_place = (char *)sqlite3_column_text(st, 11);
        c.other_place = (char *)sqlite3_column_text(st, 12);
        c.about = (char *)sqlite3_column_text(st, 13);
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
