#include "kith/store/dbforward.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int dbforward_insert(struct db *db, const struct forward *f, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "INSERT INTO forward(id, date, text, contact_id, note)"
        " VALUES (:id, :date, :text, :contact, :note)",
        e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":id"), f->id);
    db_bind_date(st, db_param(st, ":date"), f->date);
    db_bind_text(st, db_param(st, ":text"), f->text);
    db_bind_text(st, db_param(st, ":contact"), f->contact.id[0] ? f->contact.id : NULL);
    db_bind_text(st, db_param(st, ":note"), f->note);
    return db_step_done(db, st, e);
}

/* The rows of q, as columns or as JSON objects: one text per branch, so
 * that each is an index range scan (by contact, or by date). */
/* clang-format off */
#define FORWARD_COLS                                                                               \
    "f.id, f.date, f.text, f.contact_id, (SELECT name FROM contact c WHERE c.id = f.contact_id),"  \
    "  f.note"
#define FORWARD_JSON                                                                               \
    "json_object('id', f.id, 'date', f.date, 'text', f.text,"                                      \
    "  'contact', CASE WHEN f.contact_id IS NULL THEN NULL"                                        \
    "   ELSE json_object('id', f.contact_id,"                                                      \
    "    'name', (SELECT name FROM contact c WHERE c.id = f.contact_id)) END,"                      \
    "  'note', f.note)"
#define FORWARD_WHERE(WHO)                                                                         \
    " FROM forward f"                                                                              \
    " WHERE " WHO                                                                                  \
    "  AND (:since IS NULL OR f.date >= :since)"                                                   \
    "  AND (:until IS NULL OR f.date <= :until)"                                                   \
    " ORDER BY f.date DESC, f.id DESC"                                                             \
    " LIMIT :limit OFFSET :offset"
/* clang-format on */
static const char *const queries[2][2] = {
    {"SELECT " FORWARD_COLS FORWARD_WHERE("1"),
     "SELECT " FORWARD_COLS FORWARD_WHERE("f.contact_id = :contact")},
    {"SELECT " FORWARD_JSON FORWARD_WHERE("1"),
     "SELECT " FORWARD_JSON FORWARD_WHERE("f.contact_id = :contact")},
};

static sqlite3_stmt *query(struct db *db, const struct dbforward_query *q, int json, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, queries[json][q->contact_id != NULL], e);
    if (!st)
        return NULL;
    db_bind_date(st, db_param(st, ":since"), q->since);
    db_bind_date(st, db_param(st, ":until"), q->until);
    sqlite3_bind_int64(st, db_param(st, ":limit"), q->limit ? (sqlite3_int64)q->limit : -1);
    sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)q->offset);
    if (q->contact_id)
        db_bind_text(st, db_param(st, ":contact"), q->contact_id);
    return st;
}

int dbforward_list(struct db *db, const struct dbforward_query *q, struct forward_list *out,
                   struct kerr *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = query(db, q, 0, e);
    int s;
    size_t cap = 0;
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->v = krealloc(out->v, cap * sizeof *out->v);
        }
        struct forward *f = &out->v[out->n++];
        memset(f, 0, sizeof *f);
        db_col_id(st, 0, f->id);
        f->date = db_col_date(st, 1);
        f->text = db_col_text(st, 2);
        db_col_id(st, 3, f->contact.id);
        f->contact.name = db_col_text(st, 4);
        f->note = db_col_text(st, 5);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        forward_list_clear(out);
        return db_fail(db, e, "reading pay-it-forwards");
    }
    return K_OK;
}

int dbforward_each_json(struct db *db, const struct dbforward_query *q, kjson_cb cb, void *ud,
                        struct kerr *e)
{
    sqlite3_stmt *st = query(db, q, 1, e);
    int s;
    if (!st)
        return K_ERR;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb((const char *)sqlite3_column_text(st, 0), ud))
            break;
    sqlite3_reset(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(db, e, "reading pay-it-forwards");
    return K_OK;
}
