#include "kith/dbtimeline.h"

#include "db_internal.h"
#include "kith/kstr.h"

#include <stdlib.h>
#include <string.h>

/* One SELECT per source, merged by SQLite; each branch is an index range
 * scan, and LIMIT keeps the window small however long the history. The
 * thanked test is the journal's rule: a thank-you to the referrer for it, or
 * dated on or after it. Two texts, one for a contact (?1) and one for all:
 * with "?1 IS NULL OR ..." SQLite cannot plan for the contact and walks
 * every interaction by date, a few hundred milliseconds at a million for a
 * contact with a short history. */
#define TIMELINE_INTERACTION(ID_DATE, FROM)                                                        \
    "SELECT 0, " ID_DATE ", i.kind, i.direction, i.summary,"                                       \
    "  (SELECT group_concat(c.name, ', ') FROM interaction_contact x JOIN contact c"               \
    "   ON c.key = x.contact_key WHERE x.interaction_id = i.id), 0, NULL" FROM " UNION ALL "
#define TIMELINE_REFERRAL(WHERE)                                                                   \
    "SELECT 1, r.id, r.date, r.kind, NULL,"                                                        \
    "  coalesce((SELECT name FROM contact WHERE id = r.target_contact_id), r.target_text),"        \
    "  (SELECT name FROM contact WHERE id = r.referrer_id),"                                       \
    "  EXISTS (SELECT 1 FROM thanks t WHERE t.contact_id = r.referrer_id"                          \
    "   AND (t.referral_id = r.id OR t.date >= r.date)), r.outcome"                                \
    " FROM referral r" WHERE " UNION ALL "
#define TIMELINE_THANKS(WHERE)                                                                     \
    "SELECT 2, t.id, t.date, t.form, NULL, t.note,"                                                \
    "  (SELECT name FROM contact WHERE id = t.contact_id), 0, NULL"                                \
    " FROM thanks t" WHERE " UNION ALL "
/* Pay-it-forwards: who got it ("" for someone not in the journal). */
#define TIMELINE_FORWARD(WHERE)                                                                    \
    "SELECT 3, f.id, f.date, 'forward', NULL, f.text,"                                             \
    "  (SELECT name FROM contact WHERE id = f.contact_id), 0, NULL"                                \
    " FROM forward f" WHERE " ORDER BY 3 DESC, 1, 2 LIMIT ?2 OFFSET ?3"

static const char timeline_all_sql[] = TIMELINE_INTERACTION("i.id, i.date", " FROM interaction i")
    TIMELINE_REFERRAL("") TIMELINE_THANKS("") TIMELINE_FORWARD("");

/* Driven by interaction_contact_by_contact (contact, date): the date and id
 * come from it so that the ORDER BY can follow the index. */
/* clang-format off */
static const char timeline_contact_sql[] =
    TIMELINE_INTERACTION("ic.interaction_id, ic.date",
                         " FROM interaction_contact ic JOIN interaction i"
                         " ON i.id = ic.interaction_id"
                         " WHERE ic.contact_key = (SELECT key FROM contact WHERE id = ?1)")
    TIMELINE_REFERRAL(" WHERE r.referrer_id = ?1 OR r.target_contact_id = ?1")
    TIMELINE_THANKS(" WHERE t.contact_id = ?1")
    TIMELINE_FORWARD(" WHERE f.contact_id = ?1");
/* clang-format on */

/* The same four sources as the lists, counted on the same indexes. */
static const char count_all_sql[] = "SELECT (SELECT count(*) FROM interaction)"
                                    " + (SELECT count(*) FROM referral)"
                                    " + (SELECT count(*) FROM thanks)"
                                    " + (SELECT count(*) FROM forward)";
static const char count_contact_sql[] =
    "SELECT (SELECT count(*) FROM interaction_contact ic"
    "  WHERE ic.contact_key = (SELECT key FROM contact WHERE id = ?1))"
    " + (SELECT count(*) FROM referral r WHERE r.referrer_id = ?1 OR r.target_contact_id = ?1)"
    " + (SELECT count(*) FROM thanks t WHERE t.contact_id = ?1)"
    " + (SELECT count(*) FROM forward f WHERE f.contact_id = ?1)";

int dbtimeline_count(struct db *db, const char *contact_id, size_t *n, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, contact_id ? count_contact_sql : count_all_sql, e);
    if (!st)
        return K_ERR;
    if (contact_id)
        db_bind_text(st, 1, contact_id);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return s == SQLITE_ROW ? K_OK : db_fail(db, e, "counting the timeline");
}

/* Lives with the store, like model.h's clear functions, so the store can
 * free a half-read window. */
void timeline_clear(struct timeline *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].kind);
        free(l->v[i].text);
        free(l->v[i].who);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

int dbtimeline_list(struct db *db, const char *contact_id, size_t offset, size_t limit,
                    struct timeline *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, contact_id ? timeline_contact_sql : timeline_all_sql, e);
    int rc = K_OK, s;
    if (!st)
        return K_ERR;
    if (contact_id)
        db_bind_text(st, 1, contact_id);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)offset);
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = krealloc(out->v, cap * sizeof *out->v);
        }
        struct timeline_entry *t = &out->v[out->n++];
        memset(t, 0, sizeof *t);
        t->type = (enum timeline_type)sqlite3_column_int(st, 0);
        db_col_id(st, 1, t->id);
        t->date = db_col_date(st, 2);
        t->kind = db_col_text(st, 3);
        const char *d = (const char *)sqlite3_column_text(st, 4);
        if (d)
            kdir_parse(d, &t->dir);
        t->text = db_col_text(st, 5);
        t->who = db_col_text(st, 6);
        t->thanked = sqlite3_column_int(st, 7);
        const char *o = (const char *)sqlite3_column_text(st, 8);
        if (o)
            koutcome_parse(o, &t->outcome);
    }
    if (s != SQLITE_DONE)
        rc = db_fail(db, e, "reading the timeline");
    sqlite3_reset(st);
    if (rc != K_OK)
        timeline_clear(out);
    return rc;
}
