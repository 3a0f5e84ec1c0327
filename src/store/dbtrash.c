#include "kith/dbtrash.h"

#include "db_internal.h"
#include "kith/dbdupes.h"

#include <stdio.h>
#include <string.h>

/* Temporary tables live with the connection and never touch the file. The
 * copies have the same columns as the originals, so rows go back verbatim. */
static const char create_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS trash_contact AS SELECT * FROM main.contact WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_detail AS SELECT * FROM main.contact_detail WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_tag AS SELECT * FROM main.contact_tag WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_nickname AS"
    " SELECT * FROM main.contact_nickname WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_uid AS SELECT * FROM main.contact_uid WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_address AS SELECT * FROM main.contact_address WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_cevent AS SELECT * FROM main.contact_event WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_vcard AS SELECT * FROM main.contact_vcard WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_interaction AS"
    " SELECT * FROM main.interaction WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_ic AS SELECT * FROM main.interaction_contact WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_message AS"
    " SELECT * FROM main.interaction_message WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_referral AS SELECT * FROM main.referral WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_event AS SELECT * FROM main.referral_event WHERE 0;"
    "CREATE TEMP TABLE IF NOT EXISTS trash_thanks AS SELECT * FROM main.thanks WHERE 0;"
    /* Links that ON DELETE SET NULL will cut: (table, row, column, value). */
    "CREATE TEMP TABLE IF NOT EXISTS trash_link (tbl TEXT, rid TEXT, rdate TEXT, col TEXT,"
    " val TEXT);";

static const char *const clear_sql[] = {
    "DELETE FROM temp.trash_contact",     "DELETE FROM temp.trash_detail",
    "DELETE FROM temp.trash_tag",         "DELETE FROM temp.trash_nickname",
    "DELETE FROM temp.trash_uid",         "DELETE FROM temp.trash_address",
    "DELETE FROM temp.trash_cevent",      "DELETE FROM temp.trash_vcard",
    "DELETE FROM temp.trash_interaction", "DELETE FROM temp.trash_ic",
    "DELETE FROM temp.trash_referral",    "DELETE FROM temp.trash_event",
    "DELETE FROM temp.trash_thanks",      "DELETE FROM temp.trash_link",
    "DELETE FROM temp.trash_message",
};

/* The interactions that go with the contact: those it was the only party
 * to. The referrals that go: those it made. */
#define KEY_OF_ID "(SELECT key FROM main.contact WHERE id = ?1)"
#define GONE_INTERACTIONS                                                                          \
    "(SELECT interaction_id FROM main.interaction_contact WHERE contact_key = " KEY_OF_ID          \
    " AND NOT EXISTS (SELECT 1 FROM main.interaction_contact o WHERE o.interaction_id ="           \
    " interaction_contact.interaction_id AND o.contact_key <> " KEY_OF_ID "))"
#define GONE_REFERRALS "(SELECT id FROM main.referral WHERE referrer_id = ?1)"

static const char *const save_sql[] = {
    "INSERT INTO temp.trash_contact SELECT * FROM main.contact WHERE id = ?1",
    "INSERT INTO temp.trash_detail SELECT * FROM main.contact_detail WHERE contact_id = ?1",
    "INSERT INTO temp.trash_tag SELECT * FROM main.contact_tag WHERE contact_id = ?1",
    "INSERT INTO temp.trash_nickname SELECT * FROM main.contact_nickname WHERE contact_id = ?1",
    "INSERT INTO temp.trash_uid SELECT * FROM main.contact_uid WHERE contact_id = ?1",
    "INSERT INTO temp.trash_address SELECT * FROM main.contact_address WHERE contact_id = ?1",
    "INSERT INTO temp.trash_cevent SELECT * FROM main.contact_event WHERE contact_id = ?1",
    "INSERT INTO temp.trash_vcard SELECT * FROM main.contact_vcard WHERE contact_id = ?1",
    "INSERT INTO temp.trash_interaction SELECT * FROM main.interaction WHERE id "
    "IN " GONE_INTERACTIONS,
    "INSERT INTO temp.trash_ic SELECT * FROM main.interaction_contact WHERE contact_key ="
    " " KEY_OF_ID " OR interaction_id IN " GONE_INTERACTIONS,
    "INSERT INTO temp.trash_message SELECT * FROM main.interaction_message WHERE interaction_id"
    " IN " GONE_INTERACTIONS,
    "INSERT INTO temp.trash_referral SELECT * FROM main.referral WHERE id IN " GONE_REFERRALS,
    "INSERT INTO temp.trash_event SELECT * FROM main.referral_event WHERE referral_id "
    "IN " GONE_REFERRALS,
    "INSERT INTO temp.trash_thanks SELECT * FROM main.thanks WHERE contact_id = ?1",
    "INSERT INTO temp.trash_link SELECT 'referral', id, NULL, 'target', target_contact_id"
    " FROM main.referral WHERE target_contact_id = ?1 AND referrer_id <> ?1",
    "INSERT INTO temp.trash_link SELECT 'referral', id, NULL, 'parent', parent_id"
    " FROM main.referral WHERE parent_id IN " GONE_REFERRALS " AND referrer_id <> ?1",
    "INSERT INTO temp.trash_link SELECT 'thanks', id, NULL, 'referral', referral_id"
    " FROM main.thanks WHERE referral_id IN " GONE_REFERRALS " AND contact_id <> ?1",
    "INSERT INTO temp.trash_link SELECT 'thanks', id, NULL, 'interaction', interaction_id"
    " FROM main.thanks WHERE interaction_id IN " GONE_INTERACTIONS " AND contact_id <> ?1",
    "INSERT INTO temp.trash_link SELECT 'tick', challenge_id, date, 'interaction',"
    " interaction_id FROM main.challenge_tick WHERE interaction_id IN " GONE_INTERACTIONS,
};

/* Parents before children; the foreign keys are checked at commit. */
static const char *const restore_sql[] = {
    "PRAGMA defer_foreign_keys = ON",
    "INSERT INTO main.contact SELECT * FROM temp.trash_contact",
    "INSERT INTO main.contact_detail SELECT * FROM temp.trash_detail",
    "INSERT INTO main.contact_tag SELECT * FROM temp.trash_tag",
    "INSERT INTO main.contact_nickname SELECT * FROM temp.trash_nickname",
    "INSERT INTO main.contact_uid SELECT * FROM temp.trash_uid",
    "INSERT INTO main.contact_address SELECT * FROM temp.trash_address",
    "INSERT INTO main.contact_event SELECT * FROM temp.trash_cevent",
    "INSERT INTO main.contact_vcard SELECT * FROM temp.trash_vcard",
    "INSERT INTO main.interaction SELECT * FROM temp.trash_interaction",
    "INSERT INTO main.interaction_contact SELECT * FROM temp.trash_ic",
    "INSERT INTO main.interaction_message SELECT * FROM temp.trash_message",
    "INSERT INTO main.referral SELECT * FROM temp.trash_referral",
    "INSERT INTO main.referral_event SELECT * FROM temp.trash_event",
    "INSERT INTO main.thanks SELECT * FROM temp.trash_thanks",
    "UPDATE main.referral SET target_contact_id = (SELECT val FROM temp.trash_link WHERE"
    " tbl = 'referral' AND col = 'target' AND rid = referral.id) WHERE id IN"
    " (SELECT rid FROM temp.trash_link WHERE tbl = 'referral' AND col = 'target')",
    "UPDATE main.referral SET parent_id = (SELECT val FROM temp.trash_link WHERE"
    " tbl = 'referral' AND col = 'parent' AND rid = referral.id) WHERE id IN"
    " (SELECT rid FROM temp.trash_link WHERE tbl = 'referral' AND col = 'parent')",
    "UPDATE main.thanks SET referral_id = (SELECT val FROM temp.trash_link WHERE"
    " tbl = 'thanks' AND col = 'referral' AND rid = thanks.id) WHERE id IN"
    " (SELECT rid FROM temp.trash_link WHERE tbl = 'thanks' AND col = 'referral')",
    "UPDATE main.thanks SET interaction_id = (SELECT val FROM temp.trash_link WHERE"
    " tbl = 'thanks' AND col = 'interaction' AND rid = thanks.id) WHERE id IN"
    " (SELECT rid FROM temp.trash_link WHERE tbl = 'thanks' AND col = 'interaction')",
    "UPDATE main.challenge_tick SET interaction_id = (SELECT val FROM temp.trash_link l WHERE"
    " l.tbl = 'tick' AND l.rid = challenge_tick.challenge_id AND l.rdate ="
    " challenge_tick.date) WHERE EXISTS (SELECT 1 FROM temp.trash_link l WHERE l.tbl = 'tick'"
    " AND l.rid = challenge_tick.challenge_id AND l.rdate = challenge_tick.date)",
};

/* Deleting is rare: the statements are prepared each time rather than
 * taking slots in the connection's statement cache. */
static int run_all(struct db *db, const char *const *sql, size_t n, const char *id, struct kerr *e)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->h, sql[i], -1, &st, NULL) != SQLITE_OK)
            return db_fail(db, e, "preparing undo");
        if (id && sqlite3_bind_parameter_count(st) > 0)
            db_bind_text(st, 1, id);
        int s = sqlite3_step(st);
        sqlite3_finalize(st);
        if (s != SQLITE_DONE && s != SQLITE_ROW)
            return db_fail(db, e, "keeping the undo");
    }
    return K_OK;
}

static int ensure_tables(struct db *db, struct kerr *e)
{
    if (sqlite3_exec(db->h, create_sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "preparing undo");
    return K_OK;
}

int dbtrash_save_contact(struct db *db, const char *id, struct kerr *e)
{
    int rc;
    /* u now undoes this deletion, not an earlier merge. */
    dbdupes_forget(db);
    db->last_undo = DB_UNDO_TRASH;
    if ((rc = ensure_tables(db, e)) != K_OK)
        goto out;
    if ((rc = run_all(db, clear_sql, sizeof clear_sql / sizeof *clear_sql, NULL, e)) != K_OK)
        goto out;
    rc = run_all(db, save_sql, sizeof save_sql / sizeof *save_sql, id, e);
out:
    return rc;
}

int dbtrash_restore(struct db *db, char id[KID_LEN + 1], struct kerr *e)
{
    int rc;
    sqlite3_stmt *st;
    if ((rc = ensure_tables(db, e)) != K_OK)
        goto out;
    if (!(st = db_stmt(db,
                       "SELECT id, EXISTS (SELECT 1 FROM main.contact m WHERE m.id ="
                       " t.id) FROM temp.trash_contact t",
                       e))) {
        rc = K_ERR;
        goto out;
    }
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        rc = s == SQLITE_DONE ? kerr_set(e, K_NOTFOUND, "nothing to undo")
                              : db_fail(db, e, "reading the undo");
        sqlite3_reset(st);
        goto out;
    }
    db_col_id(st, 0, id);
    int exists = sqlite3_column_int(st, 1);
    sqlite3_reset(st);
    if (exists) {
        rc = kerr_set(e, K_EXISTS, "the deleted contact is back already");
        goto out;
    }
    if ((rc = run_all(db, restore_sql, sizeof restore_sql / sizeof *restore_sql, NULL, e)) != K_OK)
        goto out;
    rc = run_all(db, clear_sql, sizeof clear_sql / sizeof *clear_sql, NULL, e);
out:
    return rc;
}
