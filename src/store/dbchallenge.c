#include "kith/store/dbchallenge.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <string.h>

int dbchallenge_insert(struct db *db, const char *id, int started_on, int days, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO challenge(id, seq, started_on, days)"
        " VALUES (:id, (SELECT coalesce(max(seq), 0) + 1 FROM challenge), :started_on, :days)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), id);
    db_bind_date(st, db_param(st, ":started_on"), started_on);
    sqlite3_bind_int(st, db_param(st, ":days"), days);
    return db_step_done(db, st, e);
}

static int read_ticks(struct db *db, struct challenge *c, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT date, note, interaction_id, forward_id"
        " FROM challenge_tick"
        " WHERE challenge_id = ?1"
        " ORDER BY date",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, c->id);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        c->ticks = kgrowarray(c->ticks, c->nticks, sizeof *c->ticks);
        struct challenge_tick *t = &c->ticks[c->nticks++];
        memset(t, 0, sizeof *t);
        t->date = db_col_date(st, 0);
        t->note = db_col_text(st, 1);
        db_col_id(st, 2, t->interaction);
        db_col_id(st, 3, t->forward);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return db_fail(db, e, "reading a challenge");
    return K_OK;
}

/* Reads the rows of st (id, started_on, days) into out; ticks are read
 * after the statement is done, as they need a statement of their own. */
static int collect(struct db *db, sqlite3_stmt *st, struct challenge_list *out, struct kerr *e)
{
    int s, rc = K_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        out->v = kgrowarray(out->v, out->n, sizeof *out->v);
        struct challenge *c = &out->v[out->n++];
        memset(c, 0, sizeof *c);
        db_col_id(st, 0, c->id);
        c->started_on = db_col_date(st, 1);
        c->days = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "reading challenges");
    for (size_t i = 0; rc == K_OK && i < out->n; i++)
        rc = read_ticks(db, &out->v[i], e);
    if (rc != K_OK)
        challenge_list_clear(out);
    return rc;
}

int dbchallenge_active(struct db *db, struct challenge *out, struct kerr *e)
{
    struct challenge_list l = {0};
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, started_on, days"
        " FROM challenge"
        " ORDER BY seq DESC, started_on DESC, id DESC"
        " LIMIT 1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = collect(db, st, &l, e);
    if (rc == K_OK && l.n == 0)
        rc = K_NOTFOUND;
    if (rc == K_OK) {
        *out = l.v[0];
        l.n = 0;
    }
    challenge_list_clear(&l);
    return rc;
}

int dbchallenge_list(struct db *db, size_t offset, size_t limit, struct challenge_list *out,
                     struct kerr *e)
{
    memset(out, 0, sizeof *out);
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, started_on, days"
        " FROM challenge"
        " ORDER BY seq DESC, started_on DESC, id DESC"
        " LIMIT :limit OFFSET :offset",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)offset);
    return collect(db, st, out, e);
}

int dbchallenge_count(struct db *db, size_t *n, struct kerr *e)
{
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT count(*)"
        " FROM challenge",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "counting challenges");
    sqlite3_reset(st);
    return rc;
}

int dbchallenge_tick(struct db *db, const char *challenge_id, int date, const char *note,
                     const char *interaction_id, const char *forward_id, int *already,
                     struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT 1"
        " FROM challenge_tick"
        " WHERE challenge_id = :challenge AND date = :date",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":challenge"), challenge_id);
    db_bind_date(st, db_param(st, ":date"), date);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading the challenge");
    *already = s == SQLITE_ROW;
    /* A day ticked again keeps its tick; a new note is added to the day's
     * (unless it is already one of its lines), and an interaction (or a
     * pay-it-forward) is linked when the day had none. */
    /* clang-format off */
#define NEW_NOTE                                                                                   \
    "(excluded.note IS NOT NULL"                                                                   \
    " AND instr(char(10) || coalesce(note, '') || char(10), char(10) || excluded.note || char(10))" \
    "  = 0)"
    st = db_stmt(db,
        "INSERT INTO challenge_tick (challenge_id, date, note, interaction_id, forward_id)"
        " VALUES (:challenge, :date, :note, :interaction, :forward)"
        " ON CONFLICT (challenge_id, date) DO UPDATE SET"
        "  note = CASE WHEN NOT " NEW_NOTE " THEN note"
        "              WHEN coalesce(note, '') = '' THEN excluded.note"
        "              ELSE note || char(10) || excluded.note END,"
        "  interaction_id = coalesce(interaction_id, excluded.interaction_id),"
        "  forward_id = coalesce(forward_id, excluded.forward_id)"
        " WHERE " NEW_NOTE
        "    OR (interaction_id IS NULL AND excluded.interaction_id IS NOT NULL)"
        "    OR (forward_id IS NULL AND excluded.forward_id IS NOT NULL)",
        e);
    /* clang-format on */
#undef NEW_NOTE
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":challenge"), challenge_id);
    db_bind_date(st, db_param(st, ":date"), date);
    db_bind_text(st, db_param(st, ":note"), note);
    db_bind_text(st, db_param(st, ":interaction"), interaction_id);
    db_bind_text(st, db_param(st, ":forward"), forward_id);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    if (*already && sqlite3_changes(db->h) > 0)
        *already = 2;
    return K_OK;
}

int dbchallenge_untick(struct db *db, const char *challenge_id, int date, int *removed,
                       struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "DELETE FROM challenge_tick"
        " WHERE challenge_id = :challenge AND date = :date",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":challenge"), challenge_id);
    db_bind_date(st, db_param(st, ":date"), date);
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    *removed = sqlite3_changes(db->h) > 0;
    return K_OK;
}

int dbchallenge_interaction_exists(struct db *db, const char *id, int *exists, struct kerr *e)
{
    *exists = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM interaction WHERE id = ?1)", e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, id);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *exists = sqlite3_column_int(st, 0);
    else
        rc = db_fail(db, e, "reading an interaction");
    sqlite3_reset(st);
    return rc;
}

int dbchallenge_json(struct db *db, const struct challenge *c, char **json, struct kerr *e)
{
    *json = NULL;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT json_object('id', c.id, 'started_on', c.started_on, 'days', c.days,"
        "  'done', :done, 'streak', :streak,"
        "  'today_done', json(CASE WHEN :today_done THEN 'true' ELSE 'false' END), 'day', :day,"
        "  'finished', json(CASE WHEN :finished THEN 'true' ELSE 'false' END),"
        "  'ticks', json((SELECT json_group_array(json_object('date', t.date, 'note', t.note,"
        "    'interaction', t.interaction_id, 'forward', t.forward_id))"
        "   FROM (SELECT date, note, interaction_id, forward_id"
        "    FROM challenge_tick"
        "    WHERE challenge_id = c.id"
        "    ORDER BY date) AS t)),"
        "  'grace_days', :grace_days, 'graced', :graced, 'habit_strength', :habit)"
        " FROM challenge c"
        " WHERE c.id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), c->id);
    sqlite3_bind_int(st, db_param(st, ":done"), c->done);
    sqlite3_bind_int(st, db_param(st, ":streak"), c->streak);
    sqlite3_bind_int(st, db_param(st, ":today_done"), c->today_done ? 1 : 0);
    sqlite3_bind_int(st, db_param(st, ":day"), c->day);
    sqlite3_bind_int(st, db_param(st, ":finished"), c->finished ? 1 : 0);
    sqlite3_bind_int(st, db_param(st, ":grace_days"), c->grace_days);
    sqlite3_bind_int(st, db_param(st, ":graced"), c->graced);
    sqlite3_bind_int(st, db_param(st, ":habit"), c->habit);
    int s = sqlite3_step(st);
    int rc = K_OK;
    if (s == SQLITE_ROW)
        *json = db_col_text(st, 0);
    else if (s == SQLITE_DONE)
        rc = kerr_set(e, K_NOTFOUND, "no such challenge");
    else
        rc = db_fail(db, e, "reading a challenge");
    sqlite3_reset(st);
    return rc;
}

int dbchallenge_defer_links(struct db *db, struct kerr *e)
{
    if (sqlite3_exec(db->h, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "ticking the challenge");
    return K_OK;
}
