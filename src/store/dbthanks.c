#include "kith/store/dbthanks.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int dbthanks_insert(struct db *db, const struct thanks *t, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO thanks(id, contact_id, date, form, referral_id, interaction_id, note)"
        " VALUES (:id, :contact, :date, :form, :referral, :interaction, :note)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), t->id);
    db_bind_text(st, db_param(st, ":contact"), t->contact.id);
    db_bind_date(st, db_param(st, ":date"), t->date);
    db_bind_text(st, db_param(st, ":form"), t->form);
    db_bind_text(st, db_param(st, ":referral"), t->referral[0] ? t->referral : NULL);
    db_bind_text(st, db_param(st, ":interaction"), t->interaction[0] ? t->interaction : NULL);
    db_bind_text(st, db_param(st, ":note"), t->note);
    return db_step_done(db, st, e);
}

int dbthanks_delete(struct db *db, const char *id, struct kerr *e)
{
    /* clang-format off */
    if (db_run_text(db,
            "DELETE FROM thanks"
            " WHERE id = ?1",
            id, e) != K_OK)
        return K_ERR;
    /* clang-format on */
    if (sqlite3_changes(db->h) == 0)
        return kerr_set(e, K_NOTFOUND, "no such thank-you");
    return K_OK;
}

int dbthanks_list(struct db *db, const char *contact_id, size_t offset, size_t limit,
                  struct thanks **out, size_t *n, struct kerr *e)
{
    *out = NULL;
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT t.id, t.contact_id, c.name, t.date, t.form, t.referral_id, t.interaction_id,"
        "  t.note"
        " FROM thanks t"
        " JOIN contact c ON c.id = t.contact_id"
        " WHERE :contact IS NULL OR t.contact_id = :contact"
        " ORDER BY t.date DESC, t.rowid DESC"
        " LIMIT :limit OFFSET :offset",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":contact"), contact_id);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)offset);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        *out = kgrowarray(*out, *n, sizeof **out);
        struct thanks *t = &(*out)[(*n)++];
        memset(t, 0, sizeof *t);
        db_col_id(st, 0, t->id);
        db_col_id(st, 1, t->contact.id);
        t->contact.name = db_col_text(st, 2);
        t->date = db_col_date(st, 3);
        t->form = db_col_text(st, 4);
        db_col_id(st, 5, t->referral);
        db_col_id(st, 6, t->interaction);
        t->note = db_col_text(st, 7);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        for (size_t i = 0; i < *n; i++)
            thanks_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
        return db_fail(db, e, "reading thank-yous");
    }
    return K_OK;
}

int dbthanks_count(struct db *db, const char *contact_id, size_t *n, struct kerr *e)
{
    *n = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT count(*)"
        " FROM thanks"
        " WHERE ?1 IS NULL OR contact_id = ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, contact_id);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "counting thank-yous");
    sqlite3_reset(st);
    return rc;
}

int dbthanks_interaction(struct db *db, const char *interaction_id, const char *contact_id,
                         int *exists, int *involves, struct kerr *e)
{
    *exists = *involves = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT EXISTS (SELECT 1 FROM interaction WHERE id = :interaction),"
        "  EXISTS (SELECT 1 FROM interaction_contact WHERE interaction_id = :interaction"
        "   AND contact_key = (SELECT key FROM contact WHERE id = :contact))",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":interaction"), interaction_id);
    db_bind_text(st, db_param(st, ":contact"), contact_id);
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *exists = sqlite3_column_int(st, 0);
        *involves = sqlite3_column_int(st, 1);
    } else {
        rc = db_fail(db, e, "reading an interaction");
    }
    sqlite3_reset(st);
    return rc;
}
