/* kith's sync: other replicas, snapshots, and the news of conflicts. */
#include "kith/store/dbsync.h"

#include "dbsync_internal.h"

#include "kith/store/dbconflict.h"
#include "kith/store/dbfile.h"
#include "kith/store/dbhistory.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- other replicas ---- */

int dbsync_peers(struct db *db, dbsync_peer_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT replica, fileseq, seen, applied_at"
        " FROM sync_peer"
        " ORDER BY replica",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct dbsync_peer p;
        memset(&p, 0, sizeof p);
        snprintf(p.replica, sizeof p.replica, "%s", (const char *)sqlite3_column_text(st, 0));
        p.fileseq = sqlite3_column_int64(st, 1);
        const unsigned char *seen = sqlite3_column_text(st, 2), *ap = sqlite3_column_text(st, 3);
        snprintf(p.seen, sizeof p.seen, "%s", seen ? (const char *)seen : "");
        snprintf(p.applied_at, sizeof p.applied_at, "%s", ap ? (const char *)ap : "");
        if (cb(&p, ud)) {
            s = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}

int dbsync_peer_fileseq(struct db *db, const char *replica, long long *out, struct kerr *e)
{
    *out = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT fileseq"
        " FROM sync_peer"
        " WHERE replica = :replica",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":replica"), replica);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the sync state");
    return K_OK;
}

int dbsync_peer_seen(struct db *db, const char *replica, const char *at, struct kerr *e)
{
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO sync_peer(replica, fileseq, seen)"
        " VALUES (:replica, 0, :seen)"
        " ON CONFLICT (replica) DO UPDATE"
        "  SET seen = max(coalesce(seen, ''), excluded.seen)",
        e);
    /* clang-format on */
    if (!st) {
        db_rollback(db);
        return K_ERR;
    }
    db_bind_text(st, db_param(st, ":replica"), replica);
    db_bind_text(st, db_param(st, ":seen"), at);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK) {
        db_rollback(db);
        return K_ERR;
    }
    return K_OK;
}

/* ---- snapshots ---- */

int dbsync_empty(struct db *db, struct kerr *e)
{
    int rc = dbsync_schema(db, e);
    if (rc != K_OK)
        return -1;
    for (int i = 0; i < db->sync->nt; i++) {
        /* clang-format off */
        char *sql = sqlite3_mprintf(
            "SELECT 1"
            " FROM \"%w\""
            " LIMIT 1",
            db->sync->t[i].name);
        /* clang-format on */
        sqlite3_stmt *st = NULL;
        int any = 0;
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK)
            any = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        sqlite3_free(sql);
        if (any)
            return 0;
    }
    return 1;
}

static int backup(sqlite3 *to, sqlite3 *from)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return sqlite3_errcode(to);
    sqlite3_backup_step(b, -1);
    return sqlite3_backup_finish(b);
}

long long dbsync_snapshot_stamp(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long hlc = -1;
    /* clang-format off */
    static const char sql[] =
        "SELECT hlc"
        " FROM sync_self"
        " WHERE id = 1";
    /* clang-format on */
    if (dbfile_open_immutable(path, &h) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        hlc = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return hlc;
}

/* What a journal keeps to itself: its undo history (with the contacts it
 * deleted), its changes waiting for the folder (in the folder by now, or
 * the snapshot would not say they were applied), the conflicts it
 * resolved, its vdir. */
/* clang-format off */
#define OWN_SQL                                                                                    \
    "DELETE FROM history;"                                                                         \
    " DELETE FROM sync_log;"                                                                       \
    " DELETE FROM sync_conflict;"                                                                  \
    " DELETE FROM vdir_item"
/* clang-format on */

int dbsync_snapshot_write(struct db *db, const char *path, struct kerr *e)
{
    /* VACUUM: nothing deleted stays readable in free pages, and the copy
     * is no larger than its data (a first sync leaves the whole journal's
     * changes freed in sync_log). */
    /* The bytes of the files it sent, and their sums, are its own too (a
     * snapshot an older kith wrote has no such tables: not in OWN_SQL,
     * which adopt runs). */
    return db_backup_then(db, path,
                          OWN_SQL "; DELETE FROM sync_file; DELETE FROM sync_file_sum; VACUUM", e);
}

int dbsync_adopt(struct db *db, const char *path, const char *dir, char out[DBSYNC_ID_LEN + 1],
                 struct kerr *e)
{
    sqlite3 *h = NULL;
    char origin[DBSYNC_ID_LEN + 1] = "";
    long long fileseq = 0;
    int rc = K_OK, paused = 0;
    /* Nothing of the journal is replaced before the snapshot passed: a
     * newer kith's, another program's database or a damaged copy would
     * leave it unusable. */
    if ((rc = dbfile_check(path, e)) != K_OK)
        goto out;
    if (dbfile_open_immutable(path, &h) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "cannot read the snapshot %s", path);
        goto out;
    }
    sqlite3_stmt *st = NULL;
    /* clang-format off */
    static const char self_sql[] =
        "SELECT replica, fileseq"
        " FROM sync_self"
        " WHERE id = 1";
    /* clang-format on */
    if (sqlite3_prepare_v2(h, self_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        rc = kerr_set(e, K_ERR, "%s is not a kith snapshot of this version", path);
        goto out;
    }
    snprintf(origin, sizeof origin, "%s", (const char *)sqlite3_column_text(st, 0));
    fileseq = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (backup(db->h, h) != SQLITE_OK) {
        rc = db_fail(db, e, "starting from the snapshot");
        goto out;
    }
    dbsync_schema_free(dbsync_state(db));
    dbsync_new_replica_id(out);
    dbhistory_pause(db, 1);
    paused = 1;
    if ((rc = db_begin(db, e)) != K_OK)
        goto out;
    /* clang-format off */
    st = db_stmt(db,
        "UPDATE sync_self"
        " SET replica = :replica, dir = :dir, fileseq = 0, txseq = 0",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, db_param(st, ":replica"), out);
    db_bind_text(st, db_param(st, ":dir"), dir);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    /* The other journal's own records are all here, to its clock: what a
     * delete made here says it had seen of them (sync_knew; a snapshot an
     * older kith wrote has none: the upgrade fills it). */
    int knew = sqlite3_table_column_metadata(db->h, "main", "sync_knew", NULL, NULL, NULL, NULL,
                                             NULL, NULL) == SQLITE_OK;
    /* clang-format off */
    st = !knew ? NULL : db_stmt(db,
        "INSERT INTO sync_knew(rep, hlc)"
        " SELECT :origin, hlc"
        " FROM sync_self"
        " WHERE id = 1"
        " ON CONFLICT (rep) DO UPDATE"
        " SET hlc = excluded.hlc"
        " WHERE excluded.hlc > sync_knew.hlc",
        e);
    /* clang-format on */
    if (knew && !st)
        goto fail;
    if (st) {
        db_bind_text(st, db_param(st, ":origin"), origin);
        if (db_step_done(db, st, e) != K_OK)
            goto fail;
    }
    /* What was the other journal's own, in a snapshot an older kith wrote. */
    if (sqlite3_exec(db->h, OWN_SQL, NULL, NULL, NULL) != SQLITE_OK) {
        db_fail(db, e, "starting from the snapshot");
        goto fail;
    }
    /* clang-format off */
    st = db_stmt(db,
        "INSERT OR REPLACE INTO sync_peer(replica, fileseq)"
        " VALUES (:replica, :fileseq)",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, db_param(st, ":replica"), origin);
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK)
        goto fail;
    goto out;
fail:
    db_rollback(db);
    rc = K_ERR;
    out[0] = 0;
out:
    if (paused)
        dbhistory_pause(db, 0);
    sqlite3_close(h);
    return rc;
}

/* Sets one column of this replica's row (sql, whose value is :value), in
 * a transaction of its own: to text when not NULL, else to num when not
 * negative, else to NULL. */
static int set_self(struct db *db, const char *sql, const char *text, int num, struct kerr *e)
{
    if (db_begin(db, e) != K_OK)
        return K_ERR;
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        goto fail;
    int v = db_param(st, ":value");
    if (text)
        db_bind_text(st, v, text);
    else if (num >= 0)
        sqlite3_bind_int(st, v, num);
    else
        sqlite3_bind_null(st, v);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK)
        goto fail;
    return K_OK;
fail:
    db_rollback(db);
    return K_ERR;
}

int dbsync_set_dir(struct db *db, const char *dir, struct kerr *e)
{
    /* clang-format off */
    return set_self(db,
        "UPDATE sync_self"
        " SET dir = :value"
        " WHERE id = 1",
        dir, -1, e);
    /* clang-format on */
}

int dbsync_git(struct db *db)
{
    int git = -1;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT git"
        " FROM sync_self"
        " WHERE id = 1",
        NULL);
    /* clang-format on */
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        git = sqlite3_column_int(st, 0) != 0;
    if (st)
        sqlite3_reset(st);
    return git;
}

int dbsync_set_git(struct db *db, int git, struct kerr *e)
{
    /* clang-format off */
    return set_self(db,
        "UPDATE sync_self"
        " SET git = :value"
        " WHERE id = 1",
        NULL, git < 0 ? -1 : git != 0, e);
    /* clang-format on */
}

int dbsync_rekey(struct db *db, const char *old, long long fileseq, char out[DBSYNC_ID_LEN + 1],
                 struct kerr *e)
{
    char id[DBSYNC_ID_LEN + 1];
    dbsync_new_replica_id(id);
    if (db_begin(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE sync_self"
        " SET replica = :replica, fileseq = 0"
        " WHERE id = 1",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, db_param(st, ":replica"), id);
    if (db_step_done(db, st, e) != K_OK)
        goto fail;
    /* The files kept are the old id's, numbered as the new id's will be. */
    if (dbsync_file_trim(db, LLONG_MAX, 1, e) != K_OK)
        goto fail;
    /* clang-format off */
    st = db_stmt(db,
        "INSERT INTO sync_peer(replica, fileseq)"
        " VALUES (:replica, :fileseq)"
        " ON CONFLICT (replica) DO UPDATE"
        "  SET fileseq = excluded.fileseq",
        e);
    /* clang-format on */
    if (!st)
        goto fail;
    db_bind_text(st, db_param(st, ":replica"), old);
    sqlite3_bind_int64(st, db_param(st, ":fileseq"), fileseq);
    if (db_step_done(db, st, e) != K_OK || db_commit(db, e) != K_OK)
        goto fail;
    snprintf(out, DBSYNC_ID_LEN + 1, "%s", id);
    return K_OK;
fail:
    db_rollback(db);
    return K_ERR;
}

int dbsync_conflicts_news(struct db *db, long long *n, struct kerr *e)
{
    *n = 0;
    int rc = db_begin(db, e);
    if (rc != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "UPDATE sync_conflict"
        " SET shown = shown + 1"
        " WHERE source = 'sync' AND shown = 0",
        e);
    /* clang-format on */
    if (!st || db_step_done(db, st, e) != K_OK) {
        db_rollback(db);
        return K_ERR;
    }
    *n = sqlite3_changes(db->h);
    return db_commit(db, e);
}
