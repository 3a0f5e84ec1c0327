#include "kith/store/dbvdir.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

void dbvdir_item_clear(struct dbvdir_item *it)
{
    if (!it)
        return;
    free(it->name);
    free(it->kind);
    free(it->ref);
    memset(it, 0, sizeof *it);
}

int dbvdir_each(struct db *db, const char *dir, const char *kind, dbvdir_item_cb cb, void *ud,
                struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT name, kind, ref, hash, size, mtime, ino"
        " FROM vdir_item"
        " WHERE dir = :dir"
        "  AND (:kind IS NULL OR kind = :kind)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":dir"), dir);
    db_bind_text(st, db_param(st, ":kind"), kind);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct dbvdir_item it = {
            (char *)sqlite3_column_text(st, 0), (char *)sqlite3_column_text(st, 1),
            (char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3),
            sqlite3_column_int64(st, 4),        sqlite3_column_int64(st, 5),
            sqlite3_column_int64(st, 6)};
        if (cb(&it, ud)) {
            sqlite3_reset(st);
            return K_OK;
        }
    }
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the folder's state");
    return K_OK;
}

int dbvdir_base(struct db *db, const char *dir, const char *name, char **base, struct kerr *e)
{
    *base = NULL;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT base"
        " FROM vdir_item"
        " WHERE dir = :dir AND name = :name",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":dir"), dir);
    db_bind_text(st, db_param(st, ":name"), name);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *base = db_col_text(st, 0);
    sqlite3_reset(st);
    if (s == SQLITE_ROW)
        return K_OK;
    if (s == SQLITE_DONE)
        return K_NOTFOUND;
    return db_fail(db, e, "reading the folder's state");
}

int dbvdir_put(struct db *db, const char *dir, const struct dbvdir_item *it, const char *base,
               struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO vdir_item(dir, name, kind, ref, hash, size, mtime, ino, base)"
        " VALUES (:dir, :name, :kind, :ref, :hash, :size, :mtime, :ino, :base)"
        " ON CONFLICT (dir, name) DO UPDATE SET"
        "  kind = excluded.kind, ref = excluded.ref, hash = excluded.hash,"
        "  size = excluded.size, mtime = excluded.mtime, ino = excluded.ino,"
        "  base = excluded.base",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":dir"), dir);
    db_bind_text(st, db_param(st, ":name"), it->name);
    db_bind_text(st, db_param(st, ":kind"), it->kind);
    db_bind_text(st, db_param(st, ":ref"), it->ref);
    sqlite3_bind_int64(st, db_param(st, ":hash"), it->hash);
    sqlite3_bind_int64(st, db_param(st, ":size"), it->size);
    sqlite3_bind_int64(st, db_param(st, ":mtime"), it->mtime);
    sqlite3_bind_int64(st, db_param(st, ":ino"), it->ino);
    db_bind_text(st, db_param(st, ":base"), base);
    return db_step_done(db, st, e);
}

int dbvdir_remove(struct db *db, const char *dir, const char *name, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "DELETE FROM vdir_item"
        " WHERE dir = :dir AND name = :name",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":dir"), dir);
    db_bind_text(st, db_param(st, ":name"), name);
    return db_step_done(db, st, e);
}

int dbvdir_live_contacts(struct db *db, dbvdir_id_cb cb, void *ud, struct kerr *e)
{
    /* Its own statement: the caller reads each contact while this one
     * steps. */
    sqlite3_stmt *st = NULL;
    /* clang-format off */
    static const char sql[] =
        "SELECT id"
        " FROM contact"
        " WHERE archived = 0"
        " ORDER BY key";
    /* clang-format on */
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, e, "listing contacts");
    int s, rc = K_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "listing contacts");
    sqlite3_finalize(st);
    return rc;
}

int dbvdir_reminder_state(struct db *db, const char *rule, const char *subject, int fired_on,
                          int *done, int *snoozed_until, struct kerr *e)
{
    *done = 0;
    *snoozed_until = KDATE_NONE;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT done_on IS NOT NULL, snoozed_until"
        " FROM reminder_state"
        " WHERE rule = :rule AND subject = :subject AND fired_on = :fired_on",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":rule"), rule);
    db_bind_text(st, db_param(st, ":subject"), subject);
    db_bind_date(st, db_param(st, ":fired_on"), fired_on);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *done = sqlite3_column_int(st, 0);
        *snoozed_until = db_col_date(st, 1);
    }
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading a reminder's state");
    return K_OK;
}
