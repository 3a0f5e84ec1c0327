#include "kith/store/dbledger.h"

#include "db_internal.h"
#include "kith/store/dbsummary.h"
#include "kith/util/kstr.h"

#include <string.h>

/* Every contact with an interaction, from its summary row, in the order
 * of the summary's goodwill index. */
/* clang-format off */
#define LEDGER_SQL                                                                                 \
    "SELECT c.id, c.name, cs.gave, cs.asked, cs.mutual, cs.goodwill AS balance, cs.last AS last_i" \
    " FROM contact_summary cs INDEXED BY contact_summary_goodwill"                                 \
    " CROSS JOIN contact c ON c.key = cs.contact_key"                                              \
    " WHERE cs.last IS NOT NULL"                                                                   \
    " ORDER BY cs.goodwill DESC, cs.name_fold, cs.id"
/* clang-format on */

int dbledger_list(struct db *db, size_t offset, size_t limit, struct ledger *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        LEDGER_SQL
        " LIMIT :limit OFFSET :offset",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)offset);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        out->v = kgrowarray(out->v, out->n, sizeof *out->v);
        struct ledger_row *r = &out->v[out->n++];
        memset(r, 0, sizeof *r);
        db_col_id(st, 0, r->contact.id);
        r->contact.name = db_col_text(st, 1);
        r->gave = sqlite3_column_int(st, 2);
        r->asked = sqlite3_column_int(st, 3);
        r->mutual = sqlite3_column_int(st, 4);
        r->balance = sqlite3_column_int(st, 5);
        r->last_interaction = db_col_date(st, 6);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        ledger_clear(out);
        return db_fail(db, e, "reading the ledger");
    }
    return K_OK;
}

int dbledger_each(struct db *db, dbledger_cb cb, void *ud, struct kerr *e)
{
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    sqlite3_stmt *st = db_stmt(db, LEDGER_SQL, e);
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct ledger_row r;
        memset(&r, 0, sizeof r);
        db_col_id(st, 0, r.contact.id);
        r.contact.name = (char *)sqlite3_column_text(st, 1);
        r.gave = sqlite3_column_int(st, 2);
        r.asked = sqlite3_column_int(st, 3);
        r.mutual = sqlite3_column_int(st, 4);
        r.balance = sqlite3_column_int(st, 5);
        r.last_interaction = db_col_date(st, 6);
        if (cb(&r, ud))
            break;
    }
    int rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading the ledger");
    sqlite3_reset(st);
    return rc;
}

int dbledger_each_json(struct db *db, kjson_cb cb, void *ud, struct kerr *e)
{
    if (dbsummary_ready(db, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT json_object('id', id, 'name', name, 'gave', gave, 'asked', asked,"
        "  'mutual', mutual, 'balance', balance, 'last_interaction', last_i)"
        " FROM (" LEDGER_SQL ")",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    int rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading the ledger");
    sqlite3_reset(st);
    return rc;
}

int dbledger_stand(struct db *db, const char *contact_id, struct dbledger_stand *out,
                   struct kerr *e)
{
    /* Each figure is a range of the contact's index entries. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT"
        " (SELECT max(date) FROM interaction_contact WHERE contact_key = c.key"
        "   AND direction = 'gave'),"
        " (SELECT max(date) FROM interaction_contact WHERE contact_key = c.key"
        "   AND direction = 'asked'),"
        " (SELECT max(date) FROM interaction_contact WHERE contact_key = c.key),"
        " (SELECT count(*) FROM interaction_contact a WHERE a.contact_key = c.key"
        "   AND a.direction = 'asked' AND a.date > coalesce((SELECT max(date)"
        "   FROM interaction_contact WHERE contact_key = c.key AND direction = 'gave'), '')),"
        " (SELECT count(*) FROM referral WHERE referrer_id = c.id),"
        " (SELECT count(*) FROM referral WHERE referrer_id = c.id"
        "   AND outcome IN ('offer', 'hired', 'won'))"
        " FROM contact c"
        " WHERE c.id = :id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), contact_id);
    int s = sqlite3_step(st), rc = K_OK;
    if (s == SQLITE_ROW) {
        out->last_gave = db_col_date(st, 0);
        out->last_asked = db_col_date(st, 1);
        out->last_talked = db_col_date(st, 2);
        out->asks_since_gave = sqlite3_column_int(st, 3);
        out->referrals = sqlite3_column_int(st, 4);
        out->referrals_won = sqlite3_column_int(st, 5);
    } else if (s == SQLITE_DONE) {
        rc = kerr_set(e, K_NOTFOUND, "no such contact");
    } else {
        rc = db_fail(db, e, "reading where a relationship stands");
    }
    sqlite3_reset(st);
    return rc;
}
