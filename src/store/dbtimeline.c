#include "kith/store/dbtimeline.h"

#include "db_internal.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

/* One SELECT per source, merged by SQLite; each branch is an index range
 * scan, and LIMIT keeps the window small however long the history. The
 * thanked test is the journal's rule: a thank-you to the referrer for it, or
 * dated on or after it. Two texts, one for a contact (:contact) and one
 * for all: with ":contact IS NULL OR ..." SQLite cannot plan for the
 * contact and walks every interaction by date, a few hundred milliseconds
 * at a million for a contact with a short history. */
/* clang-format off */
#define TIMELINE_INTERACTION(ID_DATE, FROM)                                                        \
    "SELECT 0, " ID_DATE ", i.kind, i.direction, i.summary,"                                       \
    "  (SELECT group_concat(c.name, ', ')"                                                         \
    "   FROM interaction_contact x"                                                                \
    "   JOIN contact c ON c.key = x.contact_key"                                                   \
    "   WHERE x.interaction_id = i.id), 0, NULL"                                                   \
    FROM                                                                                           \
    " UNION ALL "
#define TIMELINE_REFERRAL(WHERE)                                                                   \
    "SELECT 1, r.id, r.date, r.kind, NULL,"                                                        \
    "  coalesce((SELECT name FROM contact WHERE id = r.target_contact_id), r.target_text),"        \
    "  (SELECT name FROM contact WHERE id = r.referrer_id),"                                       \
    "  EXISTS (SELECT 1 FROM thanks t WHERE t.contact_id = r.referrer_id"                          \
    "   AND (t.referral_id = r.id OR t.date >= r.date)), r.outcome"                                \
    " FROM referral r"                                                                             \
    WHERE                                                                                          \
    " UNION ALL "
#define TIMELINE_THANKS(WHERE)                                                                     \
    "SELECT 2, t.id, t.date, t.form, NULL, t.note,"                                                \
    "  (SELECT name FROM contact WHERE id = t.contact_id), 0, NULL"                                \
    " FROM thanks t"                                                                               \
    WHERE                                                                                          \
    " UNION ALL "
/* Pay-it-forwards: who got it ("" for someone not in the journal). */
#define TIMELINE_FORWARD(WHERE)                                                                    \
    "SELECT 3, f.id, f.date, 'forward', NULL, f.text,"                                             \
    "  (SELECT name FROM contact WHERE id = f.contact_id), 0, NULL"                                \
    " FROM forward f"                                                                              \
    WHERE                                                                                          \
    " ORDER BY 3 DESC, 1, 2"                                                                       \
    " LIMIT :limit OFFSET :offset"

static const char timeline_all_sql[] =
    TIMELINE_INTERACTION("i.id, i.date", " FROM interaction i")
    TIMELINE_REFERRAL("")
    TIMELINE_THANKS("")
    TIMELINE_FORWARD("");

/* Driven by interaction_contact_by_contact (contact, date): the date and id
 * come from it so that the ORDER BY can follow the index. */
static const char timeline_contact_sql[] =
    TIMELINE_INTERACTION("ic.interaction_id, ic.date",
                         " FROM interaction_contact ic"
                         " JOIN interaction i ON i.id = ic.interaction_id"
                         " WHERE ic.contact_key = (SELECT key FROM contact WHERE id = :contact)")
    TIMELINE_REFERRAL(" WHERE r.referrer_id = :contact OR r.target_contact_id = :contact")
    TIMELINE_THANKS(" WHERE t.contact_id = :contact")
    TIMELINE_FORWARD(" WHERE f.contact_id = :contact");

/* The same four sources as the lists, counted on the same indexes. */
static const char count_all_sql[] =
    "SELECT (SELECT count(*) FROM interaction)"
    " + (SELECT count(*) FROM referral)"
    " + (SELECT count(*) FROM thanks)"
    " + (SELECT count(*) FROM forward)";
static const char count_contact_sql[] =
    "SELECT (SELECT count(*) FROM interaction_contact ic"
    "  WHERE ic.contact_key = (SELECT key FROM contact WHERE id = ?1))"
    " + (SELECT count(*) FROM referral r WHERE r.referrer_id = ?1 OR r.target_contact_id = ?1)"
    " + (SELECT count(*) FROM thanks t WHERE t.contact_id = ?1)"
    " + (SELECT count(*) FROM forward f WHERE f.contact_id = ?1)";
/* clang-format on */

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

/* Reads the rows of st (the columns of the TIMELINE_ branches) into out,
 * reversed when reverse. */
static int read_rows(struct db *db, sqlite3_stmt *st, int reverse, struct timeline *out,
                     struct kerr *e)
{
    int rc = K_OK, s;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->v = kreallocarray(out->v, cap, sizeof *out->v);
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
    for (size_t i = 0; reverse && i < out->n / 2; i++) {
        struct timeline_entry t = out->v[i];
        out->v[i] = out->v[out->n - 1 - i];
        out->v[out->n - 1 - i] = t;
    }
    if (rc != K_OK)
        timeline_clear(out);
    return rc;
}

int dbtimeline_list(struct db *db, const char *contact_id, size_t offset, size_t limit,
                    struct timeline *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = db_stmt(db, contact_id ? timeline_contact_sql : timeline_all_sql, e);
    if (!st)
        return K_ERR;
    if (contact_id)
        db_bind_text(st, db_param(st, ":contact"), contact_id);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, db_param(st, ":offset"), (sqlite3_int64)offset);
    return read_rows(db, st, 0, out, e);
}

/* ---- windows by key ----------------------------------------------------
 *
 * The order is date descending, then type (interactions, referrals,
 * thank-yous), then id. A window after a key (or before it) is each
 * source's next rows past the key, merged: every branch starts at the key
 * in its own index and stops after the window's size, so a page near the
 * end of ten thousand entries costs what the first one does, where OFFSET
 * walked (and sorted) every entry before it. Within a day the rows are
 * sorted by id, a day at a time (SQLite sorts the "right part" of an
 * ORDER BY that an index gives in part). */

/* Each branch's rows, with the condition on the key added by key_cond. */
/* clang-format off */
#define WIN_INTERACTION(ID, DATE, FROM)                                                            \
    "SELECT 0 AS t, " ID " AS id, " DATE " AS date, i.kind, i.direction, i.summary,"               \
    "  (SELECT group_concat(c.name, ', ')"                                                         \
    "   FROM interaction_contact x"                                                                \
    "   JOIN contact c ON c.key = x.contact_key"                                                   \
    "   WHERE x.interaction_id = i.id), 0, NULL"                                                   \
    FROM
#define WIN_REFERRAL                                                                               \
    "SELECT 1 AS t, r.id AS id, r.date AS date, r.kind, NULL,"                                     \
    "  coalesce((SELECT name FROM contact WHERE id = r.target_contact_id), r.target_text),"        \
    "  (SELECT name FROM contact WHERE id = r.referrer_id),"                                       \
    "  EXISTS (SELECT 1 FROM thanks t WHERE t.contact_id = r.referrer_id"                          \
    "   AND (t.referral_id = r.id OR t.date >= r.date)), r.outcome"                                \
    " FROM referral r"                                                                             \
    " WHERE "
#define WIN_THANKS                                                                                 \
    "SELECT 2 AS t, t.id AS id, t.date AS date, t.form, NULL, t.note,"                             \
    "  (SELECT name FROM contact WHERE id = t.contact_id), 0, NULL"                                \
    " FROM thanks t"                                                                               \
    " WHERE "
/* clang-format on */

/* The rows of a branch of type t that come after (dir > 0; at or after
 * when k->inclusive) or before (dir < 0) the key k, on columns date and
 * id. */
static void key_cond(struct sbuf *b, int t, const struct timeline_key *k, int dir,
                     const char *date, const char *id)
{
    int kt = (int)k->type;
    if (dir > 0) {
        if (t > kt)
            sbuf_printf(b, " AND %s <= :d", date);
        else if (t < kt)
            sbuf_printf(b, " AND %s < :d", date);
        else
            sbuf_printf(b, " AND %s <= :d AND (%s < :d OR %s %s :id)", date, date, id,
                        k->inclusive ? ">=" : ">");
    } else {
        if (t < kt)
            sbuf_printf(b, " AND %s >= :d", date);
        else if (t > kt)
            sbuf_printf(b, " AND %s > :d", date);
        else
            sbuf_printf(b, " AND %s >= :d AND (%s > :d OR %s < :id)", date, date, id);
    }
}

int dbtimeline_window(struct db *db, const char *contact_id, const struct timeline_key *after,
                      const struct timeline_key *before, size_t limit, struct timeline *out,
                      struct kerr *e)
{
    struct sbuf b = {0};
    sqlite3_stmt *st = NULL;
    const struct timeline_key *k = after ? after : before;
    /* Backwards from before (or from the end): read in the reverse order,
     * then turned round. */
    int reverse = before != NULL, keyed = k && k->date != KDATE_NONE;
    int dir = after ? 1 : -1, rc;
    memset(out, 0, sizeof *out);
    if (after && before)
        return kerr_set(e, K_USAGE, "a timeline window starts after a key or ends before one");
    const char *order =
        reverse ? " ORDER BY date, id DESC LIMIT :n)" : " ORDER BY date DESC, id LIMIT :n)";
    /* The date is the interaction's copy in interaction_contact, so that a
     * contact's rows come from its slice of interaction_contact_by_contact. */
    const char *idate = contact_id ? "ic.date" : "i.date";
    const char *iid = contact_id ? "ic.interaction_id" : "i.id";
    sbuf_add(&b, "SELECT * FROM (");
    /* clang-format off */
    if (contact_id)
        sbuf_add(&b, WIN_INTERACTION("ic.interaction_id", "ic.date",
                                     " FROM interaction_contact ic"
                                     " JOIN interaction i ON i.id = ic.interaction_id"
                                     " WHERE ic.contact_key = (SELECT key FROM contact"
                                     " WHERE id = :cid)"));
    else
        sbuf_add(&b, WIN_INTERACTION("i.id", "i.date",
                                     " FROM interaction i"
                                     " WHERE 1"));
    /* clang-format on */
    if (keyed)
        key_cond(&b, 0, k, dir, idate, iid);
    sbuf_add(&b, order);
    sbuf_add(&b, " UNION ALL SELECT * FROM (" WIN_REFERRAL);
    sbuf_add(&b, contact_id ? "(r.referrer_id = :cid OR r.target_contact_id = :cid)" : "1");
    if (keyed)
        key_cond(&b, 1, k, dir, "r.date", "r.id");
    sbuf_add(&b, order);
    sbuf_add(&b, " UNION ALL SELECT * FROM (" WIN_THANKS);
    sbuf_add(&b, contact_id ? "t.contact_id = :cid" : "1");
    if (keyed)
        key_cond(&b, 2, k, dir, "t.date", "t.id");
    sbuf_add(&b, order);
    sbuf_add(&b,
             reverse ? " ORDER BY 3, 1 DESC, 2 DESC LIMIT :n" : " ORDER BY 3 DESC, 1, 2 LIMIT :n");
    if (sqlite3_prepare_v2(db->h, b.s, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, e, "reading the timeline");
        goto out;
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":cid")))
        db_bind_text(st, i, contact_id);
    if (keyed && (i = sqlite3_bind_parameter_index(st, ":d")))
        db_bind_date(st, i, k->date);
    if (keyed && (i = sqlite3_bind_parameter_index(st, ":id")))
        db_bind_text(st, i, k->id);
    sqlite3_bind_int64(st, db_param(st, ":n"), limit ? (sqlite3_int64)limit : -1);
    rc = read_rows(db, st, reverse, out, e);
out:
    sqlite3_finalize(st);
    sbuf_free(&b);
    return rc;
}
