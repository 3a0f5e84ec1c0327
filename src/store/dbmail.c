#include "kith/store/dbmail.h"

#include "db_internal.h"

#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const char find_email_sql[] =
    "SELECT d.contact_id"
    " FROM contact_detail d"
    " JOIN contact c ON c.id = d.contact_id"
    " WHERE d.type = 'email' AND lower(d.value) = lower(:addr)"
    " ORDER BY c.archived, c.id"
    " LIMIT 1";
static const char find_message_sql[] =
    "SELECT interaction_id"
    " FROM interaction_message"
    " WHERE message_id = :msgid";
static const char add_message_sql[] =
    "INSERT INTO interaction_message(message_id, interaction_id)"
    " VALUES (:msgid, :iid)";
/* What a completion types is any part of a name or an address, which no
 * index serves: the matching contacts come from a scan of the names' index
 * and of the emails' index (both small; no table rows are read), plus the
 * word prefixes of companies from the full-text index. Only then are the
 * contacts and their addresses read. A contact found by its name or company
 * gives all its addresses, one found by an address only that one.
 * (bench/README.md has the figures.) */
#define QUERY_SQL(COMPANY)                                                                         \
    "WITH hit(key, every) AS ("                                                                    \
    "  SELECT key, 1"                                                                              \
    "  FROM contact INDEXED BY contact_by_name"                                                    \
    "  WHERE instr(name_fold, :q)"                                                                 \
    "  UNION ALL"                                                                                  \
    "  SELECT c.key, 0"                                                                            \
    "  FROM contact_detail d"                                                                      \
    "  JOIN contact c ON c.id = d.contact_id"                                                      \
    "  WHERE d.type = 'email' AND instr(lower(d.value), :q)" COMPANY "),"                          \
    " m(key, every) AS (SELECT key, max(every) FROM hit GROUP BY key)"                            \
    " SELECT d.value, c.name, c.company"                                                          \
    " FROM m"                                                                                      \
    " CROSS JOIN contact c ON c.key = m.key"                                                      \
    " CROSS JOIN contact_detail d ON d.contact_id = c.id AND d.type = 'email'"                    \
    " WHERE m.every OR instr(lower(d.value), :q)"                                                 \
    " ORDER BY c.archived, c.name_fold, c.id, d.position"
static const char query_sql[] = QUERY_SQL("");
static const char query_company_sql[] =
    QUERY_SQL(" UNION ALL SELECT rowid, 1 FROM contact_fts WHERE contact_fts MATCH :fts");
/* A range of the index on (archived, name_fold, id). */
static const char names_sql[] =
    "SELECT name"
    " FROM contact"
    " WHERE archived = 0 AND name_fold >= :lo AND name_fold < :hi"
    " ORDER BY name_fold, id"
    " LIMIT :limit";
/* clang-format on */

static int find_id(struct db *db, const char *sql, const char *arg, char id[KID_LEN + 1],
                   const char *doing, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, arg);
    int s = sqlite3_step(st), rc = K_OK;
    if (s == SQLITE_ROW)
        db_col_id(st, 0, id);
    else if (s == SQLITE_DONE)
        rc = K_NOTFOUND;
    else
        rc = db_fail(db, e, doing);
    sqlite3_reset(st);
    return rc;
}

int dbmail_find_email(struct db *db, const char *addr, char id[KID_LEN + 1], struct kerr *e)
{
    return find_id(db, find_email_sql, addr, id, "finding a contact by address", e);
}

int dbmail_find_message(struct db *db, const char *msgid, char id[KID_LEN + 1], struct kerr *e)
{
    return find_id(db, find_message_sql, msgid, id, "finding a message", e);
}

int dbmail_add_message(struct db *db, const char *msgid, const char *iid, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, add_message_sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":msgid"), msgid);
    db_bind_text(st, db_param(st, ":iid"), iid);
    return db_step_done(db, st, e);
}

int dbmail_query(struct db *db, const char *fold, dbmail_addr_cb cb, void *ud, struct kerr *e)
{
    char *words = db_fts_query(fold);
    struct sbuf fts = {0};
    if (words)
        sbuf_printf(&fts, "company : (%s)", words);
    sqlite3_stmt *st = db_stmt(db, words ? query_company_sql : query_sql, e);
    int s = SQLITE_DONE, rc = K_OK;
    free(words);
    if (!st) {
        sbuf_free(&fts);
        return K_ERR;
    }
    db_bind_text(st, db_param(st, ":q"), fold);
    if (fts.s)
        db_bind_text(st, db_param(st, ":fts"), fts.s);
    sbuf_free(&fts);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (cb((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
               (const char *)sqlite3_column_text(st, 2), ud))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "searching addresses");
    sqlite3_reset(st);
    return rc;
}

int dbmail_names(struct db *db, const char *fold, size_t limit, dbmail_name_cb cb, void *ud,
                 struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, names_sql, e);
    int s, rc = K_OK;
    if (!st)
        return K_ERR;
    /* Every folded name that starts with fold sorts below fold followed by
     * the last code point. */
    struct sbuf hi = {0};
    sbuf_printf(&hi, "%s\xf4\x8f\xbf\xbf", fold);
    db_bind_text(st, db_param(st, ":lo"), fold);
    db_bind_text(st, db_param(st, ":hi"), hi.s);
    sqlite3_bind_int64(st, db_param(st, ":limit"), (sqlite3_int64)limit);
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(db, e, "completing names");
    sqlite3_reset(st);
    sbuf_free(&hi);
    return rc;
}
