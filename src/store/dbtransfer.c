#include "kith/store/dbtransfer.h"

#include "db_internal.h"
#include "kith/store/dbcontact.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbtransfer_find_name(struct db *db, const char *name, char id[KID_LEN + 1], struct kerr *e)
{
    /* name_fold also drops accents, so it only narrows the search: "Renee"
     * is not the same name as "Renée". */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, name"
        " FROM contact"
        " WHERE name_fold = ?1"
        " ORDER BY archived, id",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    char *key = kstr_fold_key(name), *fold = kstr_fold(name);
    int s, rc = K_NOTFOUND;
    db_bind_text(st, 1, key);
    while (rc == K_NOTFOUND && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char *other = kstr_fold((const char *)sqlite3_column_text(st, 1));
        if (!strcmp(other, fold)) {
            db_col_id(st, 0, id);
            rc = K_OK;
        }
        free(other);
    }
    if (rc == K_NOTFOUND && s != SQLITE_DONE)
        rc = db_fail(db, e, "finding a contact");
    sqlite3_reset(st);
    free(key);
    free(fold);
    return rc;
}

int dbtransfer_find_names(struct db *db, const char *name, long long max_key, size_t max,
                          char (*ids)[KID_LEN + 1], size_t *n, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, name"
        " FROM contact"
        " WHERE name_fold = :fold AND key <= :max_key"
        " ORDER BY archived, id",
        e);
    /* clang-format on */
    *n = 0;
    if (!st)
        return K_ERR;
    char *key = kstr_fold_key(name), *fold = kstr_fold(name);
    int s = SQLITE_DONE, rc = K_OK;
    db_bind_text(st, db_param(st, ":fold"), key);
    sqlite3_bind_int64(st, db_param(st, ":max_key"), max_key);
    while (*n < max && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char *other = kstr_fold((const char *)sqlite3_column_text(st, 1));
        if (!strcmp(other, fold))
            db_col_id(st, 0, ids[(*n)++]);
        free(other);
    }
    if (*n < max && s != SQLITE_DONE)
        rc = db_fail(db, e, "finding a contact");
    sqlite3_reset(st);
    free(key);
    free(fold);
    return rc;
}

int dbtransfer_max_key(struct db *db, long long *out, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT coalesce(max(key), 0)"
        " FROM contact",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, e, "reading the journal");
    sqlite3_reset(st);
    return rc;
}

int dbtransfer_bulk(struct db *db, int on, struct kerr *e)
{
    /* contact_detail's CHECK (type IN ('email', 'phone', 'link')) makes
     * SQLite 3.40 build a temporary b-tree of the three names for every
     * row inserted, a seventh of an import's instructions. The import
     * writes details only through dbcontact, whose types come from a fixed
     * list, so the check cannot fail while it is off. Likewise the
     * foreign keys: each detail and tag row would look its contact up in
     * contact's id index, but the import writes them only for the contact
     * it has just inserted or read, and deletes no contact, so no check or
     * cascade can be missed. (The pragma does nothing inside a
     * transaction: this runs before the import's begins and after it
     * ends.) */
    const char *sql = on ? "PRAGMA cache_size = -262144; PRAGMA ignore_check_constraints = ON;"
                           " PRAGMA foreign_keys = OFF"
                         : "PRAGMA cache_size = -2000; PRAGMA ignore_check_constraints = OFF;"
                           " PRAGMA foreign_keys = ON";
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "setting up the import");
    return K_OK;
}

/* The full-text triggers cost a bulk import half its time with the FTS5 of
 * SQLite 3.40: every statement that writes to contact_fts ends with a
 * statement savepoint, and FTS5 flushes its pending terms into a new
 * segment at each one, so 100k single-row inserts write 100k tiny segments
 * and merge them. Instead the import drops the insert trigger inside its
 * transaction, narrows the update trigger to the contacts that were there
 * before, and indexes the new rows in one statement at the end
 * (dbtransfer_catch_up). A rollback (an error, --dry-run, a crash)
 * restores the triggers with everything else; other connections only ever
 * see the schema with them. New rows are those with a rowid above the
 * largest before the import: SQLite gives a new row the largest rowid plus
 * one unless that is the largest possible, when this stays out of the way.
 *
 * The summary's insert trigger likewise cost an import a third of its
 * instructions (a statement with an aggregate and a lookup of the last day
 * per contact, and a savepoint around each): it is dropped the same way,
 * and the new contacts' rows are made at the end from what the
 * interactions say then (none, usually), so the summary is as exact as the
 * trigger would have left it. The other summary triggers stay: they only
 * touch rows that exist, and the rows of the new contacts are made after
 * every write to them. */
/* The secondary indexes of the contact tables an import writes a row per
 * card into. Into a journal without contacts, CREATE INDEX (a sort, then
 * each page written once, in order) is cheaper than keeping them up to
 * date card by card (a seek each, and page splits): 64 M of 1,364 M
 * instructions for 10k cards, 88 M with tags. Not those in the contacts'
 * order (led by key or contact_id, or by archived then key): the new
 * contacts' keys ascend and so do their ids (one sorted batch,
 * db_ids_expect), so their entries are appended, which cost 20 M less
 * than building contact_uid_by_contact at the end, and 21 M less than
 * the table scans that build the three partial ones. Not the
 * summary's: made from its rows in one statement at the end already, its
 * five indexes cost 60 M more to build afterwards than to fill as the
 * rows go in. Only indexes that enforce nothing are dropped (a UNIQUE one
 * decides which rows go in), and they are made again from their own text
 * in sqlite_schema, so the schema reads the same afterwards. */
/* clang-format off */
static const char deferrable_sql[] =
    "SELECT s.name, s.sql"
    " FROM sqlite_schema s"
    " JOIN pragma_index_list(s.tbl_name) l ON l.name = s.name"
    " WHERE s.type = 'index' AND s.sql IS NOT NULL AND l.\"unique\" = 0"
    "  AND s.tbl_name IN ('contact', 'contact_detail', 'contact_tag', 'contact_uid')"
    "  AND NOT EXISTS (SELECT 1 FROM pragma_index_info(s.name) i"
    "   WHERE i.seqno = 0 AND (i.name IN ('key', 'contact_id')"
    "    OR (i.name = 'archived' AND EXISTS (SELECT 1 FROM pragma_index_info(s.name) k"
    "     WHERE k.seqno = 1 AND k.name = 'key'))))"
    " ORDER BY s.rowid";
/* clang-format on */

static int drop_indexes(struct db *db, struct dbtransfer_deferred *d, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, deferrable_sql, e);
    if (!st)
        return K_ERR;
    struct sbuf drop = {0};
    int s, rc = K_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        sbuf_add(&drop, "DROP INDEX \"");
        for (const char *p = (const char *)sqlite3_column_text(st, 0); p && *p; p++) {
            if (*p == '"')
                sbuf_addc(&drop, '"');
            sbuf_addc(&drop, *p);
        }
        sbuf_add(&drop, "\";");
        d->indexes = krealloc(d->indexes, (d->n + 1) * sizeof *d->indexes);
        d->indexes[d->n++] = db_col_text(st, 1);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE ||
        (drop.len && sqlite3_exec(db->h, drop.s, NULL, NULL, NULL) != SQLITE_OK))
        rc = db_fail(db, e, "setting up the import");
    sbuf_free(&drop);
    return rc;
}

int dbtransfer_defer(struct db *db, int no_contacts, struct dbtransfer_deferred *d, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT coalesce(max(rowid), 0)"
        " FROM contact",
        e);
    /* clang-format on */
    memset(d, 0, sizeof *d);
    d->mark = -1;
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    long long max = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (s != SQLITE_ROW)
        return db_fail(db, e, "setting up the import");
    if (max < 0 || max > (1LL << 62))
        return K_OK;
    /* A trigger takes no parameters: the mark, an integer, is printed. */
    /* clang-format off */
    char *sql = sqlite3_mprintf(
        "DROP TRIGGER contact_fts_ai;"
        " DROP TRIGGER contact_fts_au;"
        " DROP TRIGGER contact_summary_ai;"
        DB_CONTACT_FTS_AU(" WHEN old.rowid <= %lld"),
        (long long)max);
    /* clang-format on */
    char *msg = NULL;
    int rc = K_OK;
    if (!sql || sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK)
        rc = db_fail(db, e, "setting up the import");
    sqlite3_free(msg);
    sqlite3_free(sql);
    if (rc == K_OK)
        d->mark = max;
    if (rc == K_OK && no_contacts)
        rc = drop_indexes(db, d, e);
    return rc;
}

int dbtransfer_indexes(struct db *db, struct dbtransfer_deferred *d, struct kerr *e)
{
    int rc = K_OK;
    for (size_t i = 0; rc == K_OK && i < d->n; i++)
        if (sqlite3_exec(db->h, d->indexes[i], NULL, NULL, NULL) != SQLITE_OK)
            rc = db_fail(db, e, "indexing the imported contacts");
    /* Made (or failed, which ends the import): not to be made again. */
    for (size_t i = 0; i < d->n; i++)
        free(d->indexes[i]);
    free(d->indexes);
    d->indexes = NULL;
    d->n = 0;
    return rc;
}

void dbtransfer_deferred_free(struct dbtransfer_deferred *d)
{
    for (size_t i = 0; d && i < d->n; i++)
        free(d->indexes[i]);
    if (d) {
        free(d->indexes);
        d->indexes = NULL;
        d->n = 0;
    }
}

/* The summary rows of the contacts above the mark, as the insert trigger
 * makes them (DB_SUMMARY_CONTACT_AI), in one statement each, and the
 * trigger again. */
/* clang-format off */
static const char summary_rows_sql[] =
    "INSERT OR REPLACE INTO contact_summary(contact_key, id, name_fold, archived, gave, asked,"
    "  mutual, goodwill, name)"
    " SELECT c.key, c.id, c.name_fold, c.archived, coalesce(a.gave, 0), coalesce(a.asked, 0),"
    "  coalesce(a.mutual, 0), coalesce(a.goodwill, 0), c.name"
    " FROM contact c"
    " LEFT JOIN (SELECT x.contact_key, count(*) FILTER (WHERE x.direction = 'gave') AS gave,"
    "   count(*) FILTER (WHERE x.direction = 'asked') AS asked,"
    "   count(*) FILTER (WHERE x.direction = 'mutual') AS mutual,"
    "   sum(" DB_WEIGHT_OF("x", "goodwill_weight") ") AS goodwill"
    "  FROM interaction_contact x"
    "  WHERE x.contact_key > :mark"
    "  GROUP BY x.contact_key) a ON a.contact_key = c.key"
    " WHERE c.key > :mark"
    " ORDER BY c.key";
static const char summary_last_sql[] =
    "UPDATE contact_summary AS s"
    " SET (last, last_n, last_kind, last_direction) = " DB_SUMMARY_LAST("s.contact_key")
    " WHERE s.contact_key > :mark"
    "  AND EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = s.contact_key)";
/* clang-format on */

/* The same when no interaction names a contact above the mark, as after
 * any import (it writes none): the rows as the statements above leave
 * them, without their join and look-ups (15 M of 140 M for 10k cards).
 * Into a journal that had no contacts, in name order, which is the order
 * of the summary's three indexes for rows without a last day or goodwill,
 * so that their entries are appended, read through contact_by_name (made
 * again before this): for 10k cards in random order 56 M less than in
 * key order, 8 M more for cards already in name order, as a kith export
 * writes them. Not into one with contacts: the walk of contact_by_name
 * would pass every one of them. */
/* clang-format off */
#define SUMMARY_BARE_SQL(ORDER)                                                            \
    "INSERT OR REPLACE INTO contact_summary(contact_key, id, name_fold, archived, name)"   \
    " SELECT c.key, c.id, c.name_fold, c.archived, c.name"                                 \
    " FROM contact c"                                                                      \
    " WHERE c.key > :mark"                                                                 \
    " ORDER BY " ORDER
static const char summary_bare_sql[] = SUMMARY_BARE_SQL("c.key");
static const char summary_bare_by_name_sql[] = SUMMARY_BARE_SQL("c.name_fold, c.id");
/* clang-format on */

static int summary_catch_up(struct db *db, long long mark, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *ask = db_stmt(db,
        "SELECT EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key > ?1)",
        e);
    /* clang-format on */
    if (!ask)
        return K_ERR;
    sqlite3_bind_int64(ask, 1, mark);
    int s = sqlite3_step(ask), named = s == SQLITE_ROW && sqlite3_column_int(ask, 0);
    sqlite3_reset(ask);
    if (s != SQLITE_ROW)
        return db_fail(db, e, "finishing the import");
    const char *bare[] = {mark ? summary_bare_sql : summary_bare_by_name_sql},
               *full[] = {summary_rows_sql, summary_last_sql};
    const char **steps = named ? full : bare;
    size_t nsteps = named ? 2 : 1;
    for (size_t i = 0; i < nsteps; i++) {
        sqlite3_stmt *st = db_stmt(db, steps[i], e);
        if (!st)
            return K_ERR;
        sqlite3_bind_int64(st, db_param(st, ":mark"), mark);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    if (sqlite3_exec(db->h, DB_SUMMARY_CONTACT_AI, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "finishing the import");
    return K_OK;
}

int dbtransfer_catch_up(struct db *db, struct dbtransfer_deferred *d, struct kerr *e)
{
    long long mark = d->mark;
    if (mark < 0)
        return K_OK;
    /* The indexes first: the summary's rows are read in name order. */
    if (dbtransfer_indexes(db, d, e) != K_OK || summary_catch_up(db, mark, e) != K_OK)
        return K_ERR;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO contact_fts(rowid, name, company, body)"
        " SELECT c.rowid, c.name, c.company, kith_fts_body(c.title, c.location, c.how_met,"
        "  c.note, c.working_on, c.needs, c.offers)"
        " FROM contact c"
        " WHERE c.rowid > ?1",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    sqlite3_bind_int64(st, 1, mark);
    /* FTS5 flushes its pending terms to a new segment whenever they pass
     * hashsize (1 MB by default); one large buffer for the one bulk
     * statement writes fewer, larger segments. Set back to the default in
     * the same transaction, so later writes use the usual buffer. */
    if (sqlite3_exec(db->h,
                     "INSERT INTO contact_fts(contact_fts, rank) VALUES ('hashsize', 33554432)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "finishing the import");
    if (db_step_done(db, st, e) != K_OK)
        return K_ERR;
    if (sqlite3_exec(db->h,
                     "INSERT INTO contact_fts(contact_fts, rank) VALUES ('hashsize', 1048576)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "finishing the import");
    if (sqlite3_exec(db->h, "DROP TRIGGER contact_fts_au;" DB_CONTACT_FTS_AI DB_CONTACT_FTS_AU(""),
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, e, "finishing the import");
    return K_OK;
}

/* A one-off statement, finalized by the caller: an export or a restore
 * runs each of these once, not worth keeping in db_stmt's cache. */
static sqlite3_stmt *prepare(struct db *db, const char *sql, const char *doing, struct kerr *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(db, e, doing);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int dbtransfer_each_contact(struct db *db, dbtransfer_contact_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = prepare(db,
        "SELECT id"
        " FROM contact"
        " ORDER BY name_fold, id",
        "exporting contacts", e);
    /* clang-format on */
    int rc = K_OK, s;
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct contact c;
        char id[KID_LEN + 1];
        db_col_id(st, 0, id);
        if ((rc = dbcontact_get(db, id, &c, e)) != K_OK)
            goto out;
        int stop = cb(&c, ud);
        contact_clear(&c);
        if (stop)
            goto out;
    }
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "exporting contacts");
out:
    sqlite3_finalize(st);
    return rc;
}

int dbtransfer_each_birthday(struct db *db, dbtransfer_birthday_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = prepare(db,
        "SELECT id, name, birthday"
        " FROM contact"
        " WHERE birthday IS NOT NULL AND archived = 0"
        " ORDER BY name_fold, id",
        "reading birthdays", e);
    /* clang-format on */
    int rc = K_OK, s;
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct kref r;
        db_col_id(st, 0, r.id);
        r.name = (char *)sqlite3_column_text(st, 1);
        if (cb(&r, (const char *)sqlite3_column_text(st, 2), ud))
            break;
    }
    if (s != SQLITE_DONE && s != SQLITE_ROW)
        rc = db_fail(db, e, "reading birthdays");
    sqlite3_finalize(st);
    return rc;
}

int dbtransfer_empty(struct db *db, int *empty, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT EXISTS (SELECT 1 FROM contact)"
        "  OR EXISTS (SELECT 1 FROM interaction)"
        "  OR EXISTS (SELECT 1 FROM referral)"
        "  OR EXISTS (SELECT 1 FROM thanks)"
        "  OR EXISTS (SELECT 1 FROM challenge)"
        "  OR EXISTS (SELECT 1 FROM reminder_state)"
        "  OR EXISTS (SELECT 1 FROM forward)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    int rc = K_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *empty = !sqlite3_column_int(st, 0);
    else
        rc = db_fail(db, e, "reading the journal");
    sqlite3_reset(st);
    return rc;
}

/* The sections of the document, in order, each with the query that gives
 * one JSON object per row. */
static const struct {
    const char *name;
    const char *sql;
} sections[] = {
    /* clang-format off */
    {"contacts",
     "SELECT json_object('id', c.id, 'name', c.name, 'company', c.company, 'title', c.title,"
     "  'location', c.location, 'how_met', c.how_met, 'met_on', c.met_on,"
     "  'birthday', c.birthday, 'note', c.note, 'working_on', c.working_on,"
     "  'archived', json(CASE c.archived WHEN 0 THEN 'false' ELSE 'true' END),"
     "  'emails', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
     "   WHERE d.contact_id = c.id AND d.type = 'email' ORDER BY position))),"
     "  'phones', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
     "   WHERE d.contact_id = c.id AND d.type = 'phone' ORDER BY position))),"
     "  'links', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_detail d"
     "   WHERE d.contact_id = c.id AND d.type = 'link' ORDER BY position))),"
     "  'tags', json((SELECT json_group_array(s) FROM (SELECT coalesce(spelling, tag) AS s"
     "   FROM contact_tag t WHERE t.contact_id = c.id ORDER BY tag))),"
     "  'created_at', c.created_at, 'updated_at', c.updated_at" DB_CONTACT_JSON_MORE ")"
     " FROM contact c"
     " ORDER BY c.id"},
    {"interactions",
     "SELECT json_object('id', i.id, 'date', i.date, 'kind', i.kind, 'direction', i.direction,"
     "  'summary', i.summary, 'note', i.note,"
     "  'contacts', json((SELECT json_group_array(id) FROM (SELECT c.id"
     "   FROM interaction_contact ic JOIN contact c ON c.key = ic.contact_key"
     "   WHERE ic.interaction_id = i.id ORDER BY c.id))),"
     "  'created_at', i.created_at)"
     " FROM interaction i"
     " ORDER BY i.id"},
    {"messages",
     "SELECT json_object('message_id', message_id, 'interaction', interaction_id)"
     " FROM interaction_message"
     " ORDER BY message_id"},
    {"referrals",
     "SELECT json_object('id', r.id, 'referrer', r.referrer_id,"
     "  'target_contact', r.target_contact_id, 'target_text', r.target_text, 'kind', r.kind,"
     "  'date', r.date, 'outcome', r.outcome, 'parent', r.parent_id, 'note', r.note,"
     "  'created_at', r.created_at,"
     "  'events', json((SELECT json_group_array(json_object('id', v.id, 'date', v.date,"
     "   'outcome', v.outcome, 'note', v.note, 'created_at', v.created_at))"
     "   FROM (SELECT * FROM referral_event v WHERE v.referral_id = r.id ORDER BY v.date, v.id)"
     "   v)))"
     " FROM referral r"
     " ORDER BY r.id"},
    {"thanks",
     "SELECT json_object('id', id, 'contact', contact_id, 'date', date, 'form', form,"
     "  'referral', referral_id, 'interaction', interaction_id, 'note', note,"
     "  'created_at', created_at)"
     " FROM thanks"
     " ORDER BY id"},
    {"forwards",
     "SELECT json_object('id', id, 'date', date, 'text', text, 'contact', contact_id,"
     "  'note', note, 'created_at', created_at)"
     " FROM forward"
     " ORDER BY id"},
    {"challenges",
     "SELECT json_object('id', c.id, 'seq', c.seq, 'started_on', c.started_on, 'days', c.days,"
     "  'created_at', c.created_at,"
     "  'ticks', json((SELECT json_group_array(json_object('date', t.date, 'note', t.note,"
     "   'interaction', t.interaction_id, 'forward', t.forward_id, 'created_at', t.created_at))"
     "   FROM (SELECT * FROM challenge_tick t WHERE t.challenge_id = c.id ORDER BY t.date) t)))"
     " FROM challenge c"
     " ORDER BY c.seq, c.started_on, c.id"},
    {"reminder_state",
     "SELECT json_object('rule', rule, 'subject', subject, 'fired_on', fired_on,"
     "  'done_on', done_on, 'snoozed_until', snoozed_until, 'notified_at', notified_at)"
     " FROM reminder_state"
     " ORDER BY rule, subject, fired_on"},
    /* clang-format on */
};

int dbtransfer_export_json(struct db *db, kjson_cb cb, void *ud, struct kerr *e)
{
    char head[64];
    int rc = K_OK, s = SQLITE_DONE;
    sqlite3_stmt *st = NULL;
    snprintf(head, sizeof head, "{\"format\":\"kith\",\"version\":%d", DBTRANSFER_JSON_VERSION);
    if (cb(head, ud))
        goto stopped;
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        char open[64];
        snprintf(open, sizeof open, ",\n\"%s\":[", sections[k].name);
        if (cb(open, ud))
            goto stopped;
        if (!(st = prepare(db, sections[k].sql, "exporting the journal", e))) {
            rc = K_ERR;
            goto out;
        }
        int first = 1;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (cb(first ? "\n" : ",\n", ud) || cb((const char *)sqlite3_column_text(st, 0), ud))
                goto stopped;
            first = 0;
        }
        if (s != SQLITE_DONE) {
            rc = db_fail(db, e, "exporting the journal");
            goto out;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (cb(first ? "]" : "\n]", ud))
            goto stopped;
    }
    if (cb("}\n", ud))
        goto stopped;
    goto out;
stopped:
    rc = kerr_set(e, K_ERR, "exporting the journal: the output could not be written");
out:
    sqlite3_finalize(st);
    return rc;
}

/* Runs sql with the document bound to ?1; for queries, *row gets the first
 * column of the first row as text (free()) or NULL when there is none. */
static int run(struct db *db, const char *sql, const char *doc, char **row, struct kerr *e)
{
    sqlite3_stmt *st = prepare(db, sql, "restoring the journal", e);
    int rc = K_OK;
    if (!st)
        return K_ERR;
    sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (row)
        *row = s == SQLITE_ROW ? db_col_text(st, 0) : NULL;
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        int code = sqlite3_extended_errcode(db->h) & 0xFF;
        if (code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH)
            rc = kerr_set(e, K_USAGE, "the file breaks the journal's rules (%s)",
                          code == SQLITE_MISMATCH ? "a value of the wrong type"
                          : sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_NOTNULL
                              ? "a required value is missing"
                          : sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_CHECK
                              ? "a value out of its range"
                              : "a duplicate or a dangling reference");
        else
            rc = db_fail(db, e, "restoring the journal");
    }
    sqlite3_finalize(st);
    return rc;
}

#define STRINGIFY(x)     #x
#define VERSION_TEXT2(x) STRINGIFY(x)
#define VERSION_TEXT     VERSION_TEXT2(DBTRANSFER_JSON_VERSION)
#define NOW              "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

static const char *const inserts[] = {
    /* clang-format off */
    "INSERT INTO contact(id, name, name_fold, company, title, location, how_met, met_on,"
    "  birthday, note, working_on, archived, created_at, updated_at,"
    "  n_family, n_given, n_additional, n_prefix, n_suffix, needs, offers, cadence_days)"
    " SELECT c.value->>'id', c.value->>'name', kith_fold(c.value->>'name'), c.value->>'company',"
    "  c.value->>'title', c.value->>'location', c.value->>'how_met', c.value->>'met_on',"
    "  c.value->>'birthday', c.value->>'note', c.value->>'working_on',"
    "  coalesce(c.value->>'archived', 0), coalesce(c.value->>'created_at', " NOW "),"
    "  coalesce(c.value->>'updated_at', " NOW "), c.value->>'$.n.family',"
    "  c.value->>'$.n.given', c.value->>'$.n.additional', c.value->>'$.n.prefix',"
    "  c.value->>'$.n.suffix',"
    /* Version 4: needs and offers, one item a line, and the cadence. */
    "  (SELECT group_concat(value, char(10)) FROM (SELECT n.value FROM"
    "   json_each(c.value, '$.needs') n ORDER BY n.key)),"
    "  (SELECT group_concat(value, char(10)) FROM (SELECT o.value FROM"
    "   json_each(c.value, '$.offers') o ORDER BY o.key)),"
    "  c.value->>'cadence_days'"
    " FROM json_each(?1, '$.contacts') c",
    "INSERT INTO contact_detail(contact_id, type, value, position)"
    " SELECT c.value->>'id', t.type, d.value, d.key"
    " FROM json_each(?1, '$.contacts') c,"
    "  (SELECT 'email' AS type, '$.emails' AS path UNION ALL SELECT 'phone', '$.phones'"
    "   UNION ALL SELECT 'link', '$.links') t, json_each(c.value, t.path) d",
    /* Version 2: each detail's label and property. */
    "UPDATE contact_detail"
    " SET label = x.d->>'label', prop = x.d->>'property'"
    " FROM (SELECT c.value->>'id' AS cid, d.value AS d FROM json_each(?1, '$.contacts') c,"
    "  json_each(c.value, '$.details') d) AS x"
    " WHERE contact_detail.contact_id = x.cid AND contact_detail.type = x.d->>'type'"
    "  AND contact_detail.value = x.d->>'value'",
    /* Tags as their spelling; the key folds them, so "A" and "a" are one. */
    "INSERT OR IGNORE INTO contact_tag(contact_id, tag, spelling)"
    " SELECT c.value->>'id', kith_casefold(t.value),"
    "  CASE WHEN kith_casefold(t.value) <> t.value THEN t.value END"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.tags') t",
    "INSERT INTO contact_nickname(contact_id, position, nickname)"
    " SELECT c.value->>'id', k.key, k.value"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.nicknames') k",
    "INSERT INTO contact_uid(uid, contact_id, position)"
    " SELECT u.value, c.value->>'id', u.key"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.uids') u",
    "INSERT INTO contact_address(contact_id, position, label, pobox, ext, street, locality,"
    "  region, code, country)"
    " SELECT c.value->>'id', a.key, a.value->>'label', a.value->>'pobox', a.value->>'ext',"
    "  a.value->>'street', a.value->>'locality', a.value->>'region', a.value->>'code',"
    "  a.value->>'country'"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.addresses') a",
    "INSERT INTO contact_event(contact_id, position, label, date)"
    " SELECT c.value->>'id', v.key, v.value->>'label', v.value->>'date'"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.events') v",
    "INSERT INTO contact_vcard(contact_id, position, line)"
    " SELECT c.value->>'id', x.key, x.value"
    " FROM json_each(?1, '$.contacts') c, json_each(c.value, '$.vcard') x",
    "INSERT INTO interaction(id, date, kind, direction, summary, note, created_at)"
    " SELECT value->>'id', value->>'date', value->>'kind', value->>'direction',"
    "  value->>'summary', value->>'note', coalesce(value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.interactions')",
    /* A contact the file does not have gets key 0, which no contact has, so
     * that check_references names it like any other reference. */
    "INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)"
    " SELECT i.value->>'id', coalesce((SELECT key FROM contact WHERE id = c.value), 0),"
    "  i.value->>'date', i.value->>'kind', i.value->>'direction'"
    " FROM json_each(?1, '$.interactions') i, json_each(i.value, '$.contacts') c"
    /* In the order of the links' search index (contact, then interaction):
     * FTS5 writes its buffer out whenever a rowid is not above the last. */
    " ORDER BY 2, (SELECT rowid FROM interaction WHERE id = i.value->>'id')",
    "INSERT INTO interaction_message(message_id, interaction_id)"
    " SELECT value->>'message_id', value->>'interaction'"
    " FROM json_each(?1, '$.messages')",
    "INSERT INTO referral(id, referrer_id, target_contact_id, target_text, kind, date, outcome,"
    "  parent_id, note, created_at)"
    " SELECT value->>'id', value->>'referrer', value->>'target_contact', value->>'target_text',"
    "  value->>'kind', value->>'date', coalesce(value->>'outcome', 'pending'), value->>'parent',"
    "  value->>'note', coalesce(value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.referrals')",
    "INSERT INTO referral_event(id, referral_id, date, outcome, note, created_at)"
    " SELECT v.value->>'id', r.value->>'id', v.value->>'date', v.value->>'outcome',"
    "  v.value->>'note', coalesce(v.value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.referrals') r, json_each(r.value, '$.events') v",
    "INSERT INTO thanks(id, contact_id, date, form, referral_id, interaction_id, note,"
    "  created_at)"
    " SELECT value->>'id', value->>'contact', value->>'date', value->>'form',"
    "  value->>'referral', value->>'interaction', value->>'note',"
    "  coalesce(value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.thanks')",
    "INSERT INTO forward(id, date, text, contact_id, note, created_at)"
    " SELECT value->>'id', value->>'date', value->>'text', value->>'contact', value->>'note',"
    "  coalesce(value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.forwards')",
    "INSERT INTO challenge(id, seq, started_on, days, created_at)"
    " SELECT value->>'id', value->>'seq', value->>'started_on', value->>'days',"
    "  coalesce(value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.challenges')",
    "INSERT INTO challenge_tick(challenge_id, date, note, interaction_id, forward_id,"
    "  created_at)"
    " SELECT c.value->>'id', t.value->>'date', t.value->>'note', t.value->>'interaction',"
    "  t.value->>'forward', coalesce(t.value->>'created_at', " NOW ")"
    " FROM json_each(?1, '$.challenges') c,"
    "  json_each(c.value, '$.ticks') t",
    "INSERT INTO reminder_state(rule, subject, fired_on, done_on, snoozed_until, notified_at)"
    " SELECT value->>'rule', value->>'subject', value->>'fired_on', value->>'done_on',"
    "  value->>'snoozed_until', value->>'notified_at'"
    " FROM json_each(?1, '$.reminder_state')",
    /* clang-format on */
};

/* A table's rows as the export's sections call them, for messages. */
static const char *row_word(const unsigned char *table)
{
    static const char *const words[][2] = {
        {"contact", "a contact"},
        {"contact_detail", "an email, phone or link"},
        {"contact_tag", "a tag"},
        {"interaction", "an interaction"},
        {"interaction_contact", "an interaction"},
        {"interaction_message", "a message"},
        {"referral", "a referral"},
        {"referral_event", "an outcome event"},
        {"thanks", "a thank-you"},
        {"forward", "a pay-it-forward"},
        {"challenge", "a challenge"},
        {"challenge_tick", "a tick"},
    };
    for (size_t i = 0; table && i < sizeof words / sizeof words[0]; i++)
        if (!strcmp((const char *)table, words[i][0]))
            return words[i][1];
    return "a row";
}

/* Names the first row whose reference points nowhere. */
static int check_references(struct db *db, struct kerr *e)
{
    sqlite3_stmt *st = prepare(db, "PRAGMA foreign_key_check", "restoring the journal", e);
    int rc = K_OK;
    if (!st)
        return K_ERR;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = kerr_set(e, K_USAGE, "the file has %s that refers to %s it does not contain",
                      row_word(sqlite3_column_text(st, 0)), row_word(sqlite3_column_text(st, 2)));
    else if (s != SQLITE_DONE)
        rc = db_fail(db, e, "restoring the journal");
    sqlite3_finalize(st);
    return rc;
}

int dbtransfer_json_header(struct db *db, const char *doc, struct kerr *e)
{
    char *row = NULL;
    /* clang-format off */
    int rc = run(db,
        "SELECT CASE WHEN NOT json_valid(?1) THEN 'not valid JSON'"
        "  WHEN json_type(?1) <> 'object' OR ?1->>'format' IS NOT 'kith'"
        "   THEN 'not a kith journal export (no \"format\": \"kith\")'"
        "  WHEN json_type(?1, '$.version') IS NOT 'integer' THEN 'no format version'"
        "  WHEN ?1->>'version' > " VERSION_TEXT
        "   THEN 'written by a newer kith (format version '"
        "    || (?1->>'version') || '); upgrade kith to read it'"
        "  WHEN ?1->>'version' < 1 THEN 'no format version' END",
        doc, &row, e);
    /* clang-format on */
    if (rc == K_OK && row)
        rc = kerr_set(e, K_USAGE, "%s", row);
    free(row);
    return rc;
}

int dbtransfer_json_nodes(struct db *db, const char *doc, dbtransfer_node_cb cb, void *ud,
                          struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = prepare(db,
        "SELECT fullkey, type, atom"
        " FROM json_tree(?1)",
        "reading the document", e);
    /* clang-format on */
    int rc = K_OK, s;
    if (!st)
        return K_ERR;
    sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *atom = (const char *)sqlite3_column_text(st, 2);
        if ((rc = cb((const char *)sqlite3_column_text(st, 0),
                     (const char *)sqlite3_column_text(st, 1), atom,
                     atom ? (size_t)sqlite3_column_bytes(st, 2) : 0, ud)) != K_OK)
            goto out;
    }
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "reading the document");
out:
    sqlite3_finalize(st);
    return rc;
}

/* Rules that span rows, each query naming the first row that breaks its
 * rule (checked once every row is in). */
static const struct {
    const char *sql;
    const char *msg;
} relations[] = {
    /* clang-format off */
    {"SELECT id"
     " FROM referral r"
     " WHERE parent_id IS NOT NULL"
     "  AND (SELECT date FROM referral p WHERE p.id = r.parent_id) > r.date"
     " LIMIT 1",
     "referral %s grows out of a later referral"},
    {"WITH RECURSIVE up(start, id, n) AS ("
     "  SELECT id, parent_id, 1"
     "  FROM referral"
     "  WHERE parent_id IS NOT NULL"
     "  UNION ALL"
     "  SELECT up.start, r.parent_id, up.n + 1"
     "  FROM up"
     "  JOIN referral r ON r.id = up.id"
     "  WHERE r.parent_id IS NOT NULL AND up.id <> up.start AND up.n < 100000)"
     " SELECT start"
     " FROM up"
     " WHERE id = start"
     " LIMIT 1",
     "referral %s grows, through its parents, out of itself"},
    {"SELECT id"
     " FROM referral"
     " WHERE target_contact_id = referrer_id"
     " LIMIT 1",
     "referral %s goes to the contact who made it"},
    {"SELECT t.id"
     " FROM thanks t"
     " JOIN referral r ON r.id = t.referral_id"
     " WHERE r.referrer_id <> t.contact_id"
     " LIMIT 1",
     "thank-you %s is for a referral someone else made"},
    {"SELECT seq"
     " FROM challenge c"
     " WHERE EXISTS (SELECT 1 FROM challenge_tick t"
     "  WHERE t.challenge_id = c.id AND (t.date < c.started_on"
     "   OR julianday(t.date) - julianday(c.started_on) >= c.days))"
     " LIMIT 1",
     "challenge %s has a tick outside its days"},
    /* clang-format on */
};

/* What a UNIQUE or PRIMARY KEY failure on a table means in the document. */
static const char *duplicate(const char *msg)
{
    static const struct {
        const char *table, *what;
    } dup[] = {
        {"contact_detail.", "a contact lists the same email, phone or link twice"},
        {"contact_tag.", "a contact lists the same tag twice"},
        {"contact_uid.", "two contacts have the same UID"},
        {"contact_nickname.", "a contact lists a nickname twice at one position"},
        {"contact_address.", "a contact lists two addresses at one position"},
        {"contact_event.", "a contact lists two events at one position"},
        {"contact_vcard.", "a contact lists two kept vCard lines at one position"},
        {"interaction_message.", "two messages have the same Message-ID"},
        {"contact.", "two contacts have the same id"},
        {"interaction_contact.", "an interaction lists the same contact twice"},
        {"interaction.", "two interactions have the same id"},
        {"referral_event.", "two referral events have the same id"},
        {"referral.", "two referrals have the same id"},
        {"thanks.", "two thank-yous have the same id"},
        {"forward.", "two pay-it-forwards have the same id"},
        {"challenge_tick.", "a challenge has two ticks on the same day"},
        {"challenge.", "two challenges have the same id"},
        {"reminder_state.", "reminder_state has the same rule, subject and fired_on twice"},
    };
    const char *colon = msg ? strstr(msg, ": ") : NULL;
    for (size_t i = 0; colon && i < sizeof dup / sizeof dup[0]; i++)
        if (!strncmp(colon + 2, dup[i].table, strlen(dup[i].table)))
            return dup[i].what;
    return "two rows that must differ are the same";
}

int dbtransfer_import_json(struct db *db, const char *doc, struct kerr *e)
{
    char *row = NULL;
    int rc;
    if ((rc = dbtransfer_json_header(db, doc, e)) != K_OK)
        goto out;
    /* Referrals point at their parents and ticks at interactions in any
     * order: check references once everything is in. */
    if ((rc = run(db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, e)) != K_OK)
        goto out;
    for (size_t i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
        if ((rc = run(db, inserts[i], doc, NULL, e)) == K_USAGE &&
            (sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_UNIQUE ||
             sqlite3_extended_errcode(db->h) == SQLITE_CONSTRAINT_PRIMARYKEY))
            rc = kerr_set(e, K_USAGE, "%s", duplicate(sqlite3_errmsg(db->h)));
        if (rc != K_OK)
            goto out;
    }
    if ((rc = check_references(db, e)) != K_OK)
        goto out;
    for (size_t i = 0; i < sizeof relations / sizeof relations[0]; i++) {
        if ((rc = run(db, relations[i].sql, NULL, &row, e)) != K_OK)
            goto out;
        if (row) {
            rc = kerr_set(e, K_USAGE, relations[i].msg, row);
            goto out;
        }
    }
out:
    free(row);
    return rc;
}
