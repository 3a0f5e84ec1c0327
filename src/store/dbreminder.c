#include "kith/store/dbreminder.h"

#include "db_internal.h"
#include "dbreminder_internal.h"
#include "kith/store/dbsummary.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* db's reminder state, made on first use. */
struct db_reminder *dbreminder_state(struct db *db)
{
    if (!db->rem)
        db->rem = kcalloc(1, sizeof *db->rem);
    return db->rem;
}

void dbreminder_forget(struct db *db)
{
    if (db && db->rem)
        db->rem->ids = 0;
}

void dbreminder_free(struct db *db)
{
    if (!db || !db->rem)
        return;
    free(db->rem->rids);
    free(db->rem);
    db->rem = NULL;
}

/* clang-format off */

/* Each rule is one INSERT ... SELECT into temp.reminder_due with the same
 * parameters, of which each rule's statement uses some (eval_rule): :today
 * (and :day, its day number), :rule (the id), :prio, :ord (the rule's
 * position: its key in temp.reminder_filter and temp.reminder_rule),
 * :by_tag / :by_kind / :by_outcome (whether it filters by tags / kinds /
 * outcomes), :direction (or NULL), :n1 and :n2 (its numbers: after_days,
 * days, days_before or below; max_days) and :before (the day after today
 * less after_days).
 *
 * A row keeps what its message needs (the names, days, kind and date) but
 * not the message, nor the reminder's id: a rule can fire for tens of
 * thousands of contacts, and the header's count needs neither. Messages are
 * rendered for the rows read, ids made once something reads them (see
 * ensure_ids). Nor what another column says (the TUI keeps the table in
 * memory, 36k rows at 100k contacts): the due date is the day it fired,
 * a contact rule's contact is its subject (contact_id NULL; '' for the
 * challenge, about no contact), a referral's referrer is its contact
 * (R_CONTACT_ID, R_REFERRER read them back).
 *
 * The plans matter at 100k contacts (see bench/README.md): a rule reads the
 * contact table in one sequential scan ("+c.archived" keeps SQLite from
 * walking contact_live_by_name and then seeking every row), or starts from
 * the few rows its own filter selects (referrals by date, the per-contact
 * stat by balance or last date, contacts by tag) and seeks the rest. CROSS
 * JOIN pins that order. */
#define TAG_OK(col)                                                                                \
    "(:by_tag = 0 OR EXISTS (SELECT 1 FROM temp.reminder_filter f CROSS JOIN contact_tag t"            \
    " ON t.contact_id = " col " AND t.tag = f.value WHERE f.ord = :ord AND f.field = 'tag'))"
#define KIND_FILTER(col)                                                                           \
    "(:by_kind = 0 OR " col " IN (SELECT f.value FROM temp.reminder_filter f WHERE f.ord = :ord"           \
    " AND f.field = 'kind'))"
/* Date arithmetic on day numbers (:day is today's): SQLite's julianday() and
 * date() parse and print through its general date machinery, a tenth of the
 * cost of a rule that fires for ten thousand contacts. */
#define R_CONTACT_ID "nullif(coalesce(r.contact_id, r.subject), '')"
#define R_REFERRER   "(CASE WHEN r.contact_id <> '' THEN r.contact END)"
#define DAYS_SINCE(d)  "(:day - kith_day(" d "))"
#define PLUS_DAYS(d, n) "kith_date(kith_day(" d ") + " n ")"
#define DUE_INSERT                                                                                 \
    "INSERT INTO temp.reminder_due(ord, rule, prio, subject, fired_on, overdue, contact_id,"       \
    " contact, target, days, kind, date) SELECT :ord, :rule, :prio, "

/* Each live contact's last interaction up to today (d: its day; n: how
 * many that day; dir and kind: one of them, the least; bal: the balance up
 * to today), from its summary row: the rules' per-contact figures are
 * kept by every write (see db_internal.h) instead of made by a pass over
 * every interaction at each evaluation. A contact whose last interaction
 * lies after today gets them from its interactions up to today, in
 * temp.reminder_future (made by fill_future for each evaluation; x is a
 * kith_stat result, NULL when nothing lies up to today). WHERE narrows the
 * summary's rows before they are read (the silent or goodwill index). */
#define STAT_SUMMARY(WHERE)                                                                        \
    "SELECT cs.contact_key, cs.last AS d, cs.last_n AS n, cs.goodwill AS bal,"                     \
    " cs.last_direction AS dir, cs.last_kind AS kind FROM contact_summary cs"                      \
    " WHERE " WHERE " AND cs.last <= :today AND cs.archived = 0"
#define STAT_FUTURE                                                                                \
    "SELECT f.contact_key, kith_field(f.x, 0), kith_field(f.x, 1),"                                \
    " kith_field(f.x, 2), kith_field(f.x, 3), kith_field(f.x, 4) FROM temp.reminder_future f"      \
    " WHERE f.x IS NOT NULL"
#define STAT(WHERE) "(" STAT_SUMMARY(WHERE) " UNION ALL " STAT_FUTURE ")"
/* The last day up to today of contact c (with its summary row cs and its
 * temp.reminder_future row f joined). */
#define LAST_UP_TO_TODAY "CASE WHEN cs.last <= :today THEN cs.last ELSE kith_field(f.x, 0) END"

static const char sql_referral[] =
    DUE_INSERT "r.id, r.due, r.due < :today, c.id, c.name,"
    " coalesce(tc.name, r.target_text), " DAYS_SINCE("r.date") ","
    /* "@kind": the target is a contact, so {referral} says "the intro to". */
    " CASE WHEN tc.name IS NULL THEN r.kind ELSE '@' || r.kind END, r.date"
    " FROM (SELECT *, " PLUS_DAYS("date", ":n1") " AS due FROM referral"
    "  WHERE date <= date(julianday(:today) - :n1)) r"
    " CROSS JOIN contact c ON c.id = r.referrer_id"
    " LEFT JOIN contact tc ON tc.id = r.target_contact_id"
    " WHERE c.archived = 0 AND " TAG_OK("c.id") " AND " KIND_FILTER("r.kind")
    " AND (:by_outcome = 0 OR r.outcome IN (SELECT f.value FROM temp.reminder_filter f"
    "  WHERE f.ord = :ord AND f.field = 'outcome'))"
    /* Thanked: a thank-you for this referral, or any dated on or after it. */
    " AND NOT EXISTS (SELECT 1 FROM thanks th WHERE th.contact_id = r.referrer_id"
    "  AND (th.referral_id = r.id OR th.date >= r.date))";

/* The contact's last interaction (up to today) if it is of the rule's kinds
 * and direction; interactions on the same day count as simultaneous. The
 * summary keeps the kind and direction of one interaction of the last day
 * and how many there were, so only a contact with several that day needs
 * another look at the index. :before is the day after today - after_days; the
 * summary is read whole, a sequential scan of its table (+cs.last). */
#define INTERACTION(STAT)                                                                          \
    DUE_INSERT "c.id, m.due, m.due < :today, NULL, c.name, NULL, " DAYS_SINCE("m.d")      \
    ", m.kind, m.d"                                                                                \
    " FROM (SELECT s.contact_key AS ckey, s.d, " PLUS_DAYS("s.d", ":n1") " AS due,"                \
    "  CASE WHEN s.n = 1 THEN"                                                                     \
    "   CASE WHEN " KIND_FILTER("s.kind") " AND (:direction IS NULL OR s.dir = :direction) THEN s.kind END"        \
    "  ELSE (SELECT x.kind FROM interaction_contact x WHERE x.contact_key = s.contact_key"         \
    "   AND x.date = s.d AND " KIND_FILTER("x.kind")                                               \
    "   AND (:direction IS NULL OR x.direction = :direction) ORDER BY x.kind LIMIT 1) END AS kind"                 \
    "  FROM " STAT " s WHERE s.d < :before) m"                                                         \
    " CROSS JOIN contact c ON c.key = m.ckey"                                                      \
    " WHERE m.kind IS NOT NULL AND c.archived = 0 AND " TAG_OK("c.id")
static const char sql_interaction[] = INTERACTION(STAT("+cs.last < :before"));
/* A rule with kinds and a direction (report-back) reads only the summary
 * rows that can match, from the partial indexes of schema 9: a last day
 * with one interaction, of the direction and one of the kinds; a last day
 * with several (any of which may match, looked at as above). */
static const char sql_interaction_seek[] = INTERACTION(
    "(" STAT_SUMMARY("cs.last_direction = :direction AND cs.last_kind IN (SELECT f.value FROM"
                     " temp.reminder_filter f WHERE f.ord = :ord AND f.field = 'kind')"
                     " AND cs.last_n = 1 AND cs.last < :before")
    " UNION ALL " STAT_SUMMARY("cs.last_n > 1 AND cs.last < :before")
    " UNION ALL " STAT_FUTURE ")");

/* A contact never talked to counts from when they were met (MET), or added
 * (ADDED); ID and NAME are its id and name. FROM is every live contact,
 * or those with the rule's tags, each with its summary row (cs) and
 * temp.reminder_future row (f). */
#define SILENCE_OF(ID, NAME, MET, ADDED, FROM)                                                     \
    DUE_INSERT "m.id, m.due, :n2 > 0 AND m.base <= date(julianday(:today) - :n2), NULL,"           \
    " m.name, NULL, " DAYS_SINCE("m.base") ", m.since, m.base"                              \
    " FROM (SELECT b.*, " PLUS_DAYS("b.base", ":n1") " AS due FROM"                                 \
    "  (SELECT " ID " AS id, " NAME " AS name, coalesce(" LAST_UP_TO_TODAY ", " MET ","              \
    "   " ADDED ") AS base,"                                                                        \
    "   CASE WHEN " LAST_UP_TO_TODAY " IS NOT NULL THEN NULL"                                       \
    "   WHEN " MET " IS NOT NULL THEN 'silence-met' ELSE 'silence-added' END AS since"              \
    "   FROM " FROM ") b) m"                                                                        \
    " WHERE m.base <= date(julianday(:today) - :n1)"
#define SILENCE(FROM) SILENCE_OF("c.id", "c.name", "c.met_on", "substr(c.created_at, 1, 10)", FROM)
#define SILENCE_JOINS                                                                              \
    " LEFT JOIN contact_summary cs ON cs.contact_key = c.key"                                      \
    " LEFT JOIN temp.reminder_future f ON f.contact_key = c.key"
static const char sql_silence[] = SILENCE("contact c" SILENCE_JOINS " WHERE +c.archived = 0");
/* The contacts with one of the rule's tags (g.tid, from the tag index:
 * with one tag a contact comes once; DISTINCT, a temporary b-tree of every
 * tagged contact, is only for several), each found by id in the contact
 * table's id index (its key) and read from its summary row (id,
 * name, last day): the contact table's own row, a page of notes and
 * addresses per contact, is read only for one never talked to (when met,
 * when added). Half the cost of the rule at 14k tagged contacts. */
#define TAGGED_SUMMARY(DISTINCT)                                                                   \
    "(SELECT " DISTINCT " t.contact_id AS tid FROM temp.reminder_filter f CROSS JOIN contact_tag t" \
    " ON t.tag = f.value WHERE f.ord = :ord AND f.field = 'tag') g"                                  \
    " CROSS JOIN contact k ON k.id = g.tid"                                                        \
    " CROSS JOIN contact_summary cs ON cs.contact_key = k.key"                                     \
    " LEFT JOIN temp.reminder_future f ON f.contact_key = cs.contact_key WHERE cs.archived = 0"
#define SILENCE_TAGGED(DISTINCT)                                                                   \
    SILENCE_OF("cs.id", "cs.name",                                                                 \
               "(SELECT x.met_on FROM contact x WHERE x.key = cs.contact_key)",                    \
               "(SELECT substr(x.created_at, 1, 10) FROM contact x WHERE x.key = cs.contact_key)", \
               TAGGED_SUMMARY(DISTINCT))
static const char sql_silence_tag[] = SILENCE_TAGGED("");
static const char sql_silence_tags[] = SILENCE_TAGGED("DISTINCT");

/* A contact's own cadence (cadence: contact): the few contacts that have
 * one, each due once silent for that many days and overdue at once (the
 * cadence is the user's own deadline); their last interaction is sought in
 * the index. */
#define CADENCE_LAST                                                                               \
    "(SELECT max(ic.date) FROM interaction_contact ic WHERE ic.contact_key = c.key"                  \
    " AND ic.date <= :today)"
static const char sql_silence_cadence[] =
    DUE_INSERT "m.id, m.due, 1, NULL, m.name, NULL, " DAYS_SINCE("m.base")
    ", m.since, m.base"
    " FROM (SELECT b.*, " PLUS_DAYS("b.base", "b.every") " AS due FROM"
    "  (SELECT x.id, x.name, x.every, coalesce(x.last, x.met_on, x.added) AS base,"
    "   CASE WHEN x.last IS NOT NULL THEN NULL WHEN x.met_on IS NOT NULL THEN 'silence-met'"
    "   ELSE 'silence-added' END AS since"
    "   FROM (SELECT c.id, c.name, c.cadence_days AS every, c.met_on,"
    "    substr(c.created_at, 1, 10) AS added, " CADENCE_LAST " AS last"
    "    FROM contact c WHERE c.cadence_days IS NOT NULL AND c.archived = 0"
    "    AND " TAG_OK("c.id") ") x) b) m"
    " WHERE kith_day(m.base) + m.every <= :day";

static const char sql_birthday[] =
    DUE_INSERT "m.id, m.fire, 0, NULL, m.name, NULL,"
    " kith_day(m.occ) - :day, NULL, m.occ"
    " FROM (SELECT b.*, " PLUS_DAYS("b.occ", "-:n1") " AS fire FROM"
    "  (SELECT c.id, c.name, kith_next_birthday(c.birthday, :today) AS occ FROM contact c"
    "   WHERE c.birthday IS NOT NULL AND +c.archived = 0 AND " TAG_OK("c.id") ") b) m"
    " WHERE m.occ <= date(julianday(:today) + :n1)";

/* The contacts at or below the rule's balance: a range of the goodwill
 * index, which holds all the rule reads of them (schema 12: the balance,
 * the last day, id, name, archived), so 22k contacts below -3 in a 100k
 * journal are a walk of its pages and not a seek into the summary and
 * another into the contact table each (three quarters of the rule). The
 * contacts with interactions after today, from their figures up to today. */
static const char sql_goodwill[] =
    DUE_INSERT "s.id, s.d, 0, NULL, s.name, NULL, " DAYS_SINCE("s.d") ", NULL, s.d"
    " FROM (SELECT cs.id, cs.name, cs.last AS d FROM contact_summary cs"
    "  INDEXED BY contact_summary_goodwill"
    "  WHERE cs.goodwill <= :n1 AND cs.last <= :today AND cs.archived = 0"
    "  UNION ALL SELECT c.id, c.name, kith_field(f.x, 0) FROM temp.reminder_future f"
    "  CROSS JOIN contact c ON c.key = f.contact_key"
    "  WHERE f.x IS NOT NULL AND kith_field(f.x, 2) <= :n1 AND c.archived = 0) s"
    " WHERE " TAG_OK("s.id");

static const char sql_challenge[] =
    DUE_INSERT "ch.id, :today, 0, '', NULL, NULL, " DAYS_SINCE("ch.started_on")
    " + 1, NULL, :today"
    " FROM (SELECT id, started_on, days FROM challenge ORDER BY seq DESC LIMIT 1) ch"
    " WHERE ch.started_on <= :today AND date(julianday(ch.started_on) + ch.days - 1) >= :today"
    " AND NOT EXISTS (SELECT 1 FROM challenge_tick t WHERE t.challenge_id = ch.id"
    "  AND t.date = :today)";

/* The contacts whose last interaction lies after today: their figures up
 * to today (kith_stat over their interactions), for STAT. */
static const char sql_future[] =
    "INSERT INTO temp.reminder_future(contact_key, x) SELECT cs.contact_key,"
    " (SELECT kith_stat(ic.date, ic.kind, ic.direction) FROM interaction_contact ic"
    "  WHERE ic.contact_key = cs.contact_key)"
    " FROM contact_summary cs WHERE cs.last > :today AND cs.archived = 0";

/* clang-format on */

static int prepare_eval(struct db *db, struct kerr *e)
{
    int rc = K_OK;
    /* Once per connection: (re)defining a function expires every prepared
     * statement. */
    if (!dbreminder_state(db)->fns) {
        if (dbremindfn_register(db) != SQLITE_OK)
            return db_fail(db, e, "evaluating reminders");
        dbreminder_state(db)->fns = 1;
    }
    char *msg = NULL;
    if (sqlite3_exec(db->h,
                     "CREATE TEMP TABLE IF NOT EXISTS reminder_due ("
                     " ord INTEGER NOT NULL, rule TEXT NOT NULL, prio INTEGER NOT NULL,"
                     " subject TEXT NOT NULL, fired_on TEXT NOT NULL, overdue INTEGER NOT NULL,"
                     " contact_id TEXT, contact TEXT, target TEXT, days INTEGER, kind TEXT,"
                     " date TEXT);"
                     "CREATE TEMP TABLE IF NOT EXISTS reminder_future ("
                     " contact_key INTEGER PRIMARY KEY, x TEXT);"
                     "CREATE TEMP TABLE IF NOT EXISTS reminder_rule ("
                     " ord INTEGER PRIMARY KEY, message TEXT NOT NULL);"
                     "CREATE TEMP TABLE IF NOT EXISTS reminder_filter ("
                     " ord INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
                     " PRIMARY KEY (ord, field, value)) WITHOUT ROWID;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        rc = kerr_set(e, K_ERR, "evaluating reminders: %s", msg ? msg : "?");
        sqlite3_free(msg);
    }
    return rc;
}

static int run(struct db *db, const char *sql, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    return st ? db_step_done(db, st, e) : K_ERR;
}

static int add_filters(struct db *db, int ord, const char *field, char *const *v, size_t n,
                       struct kerr *e)
{
    for (size_t i = 0; i < n; i++) {
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "INSERT OR IGNORE INTO temp.reminder_filter(ord, field, value)"
            " VALUES (:ord, :field, :value)", e);
        /* clang-format on */
        if (!st)
            return K_ERR;
        sqlite3_bind_int(st, db_param(st, ":ord"), ord);
        db_bind_text(st, db_param(st, ":field"), field);
        /* contact_tag.tag is the folded key. */
        char *key = !strcmp(field, "tag") ? kstr_fold(v[i]) : NULL;
        db_bind_text(st, db_param(st, ":value"), key ? key : v[i]);
        free(key);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
}

#ifndef NDEBUG
/* Every parameter of st is one eval_rule binds (a misspelt one
 * would stay NULL). */
static int known_params(sqlite3_stmt *st)
{
    static const char *const names[] = {":today",  ":rule",    ":prio",      ":ord",
                                        ":by_tag", ":by_kind", ":direction", ":by_outcome",
                                        ":n1",     ":n2",      ":day",       ":before"};
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *p = sqlite3_bind_parameter_name(st, i);
        size_t k = 0;
        while (k < sizeof names / sizeof *names && (!p || strcmp(p, names[k])))
            k++;
        if (k == sizeof names / sizeof *names)
            return 0;
    }
    return 1;
}
#endif

/* The rules' statements share their parameters (see the top of the file),
 * each using some: these bind one where the statement has it. */
static void bind_int(sqlite3_stmt *st, const char *name, int v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int(st, i, v);
}

static void bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        db_bind_text(st, i, v);
}

static void bind_date(sqlite3_stmt *st, const char *name, int day)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        db_bind_date(st, i, day);
}

static int eval_rule(struct db *db, const struct dbreminder_rule *r, int ord, int today,
                     struct kerr *e)
{
    static const char *const sql[] = {
        [KTRIGGER_REFERRAL] = sql_referral, [KTRIGGER_INTERACTION] = sql_interaction,
        [KTRIGGER_SILENCE] = sql_silence,   [KTRIGGER_BIRTHDAY] = sql_birthday,
        [KTRIGGER_GOODWILL] = sql_goodwill, [KTRIGGER_CHALLENGE] = sql_challenge,
    };
    int n1 = 0, n2 = -1;
    switch (r->on) {
    case KTRIGGER_REFERRAL:
    case KTRIGGER_INTERACTION:
        n1 = r->after_days > 0 ? r->after_days : 0;
        break;
    case KTRIGGER_SILENCE:
        n1 = r->days;
        n2 = r->max_days;
        break;
    case KTRIGGER_BIRTHDAY:
        n1 = r->days_before > 0 ? r->days_before : 0;
        break;
    case KTRIGGER_GOODWILL:
        n1 = r->below;
        break;
    case KTRIGGER_CHALLENGE:
    case KTRIGGER_COUNT:
        break;
    }
    if ((unsigned)r->on >= sizeof sql / sizeof sql[0])
        return kerr_set(e, K_ERR, "rule %s: unknown trigger", r->id);
    const char *q = sql[r->on];
    if (r->on == KTRIGGER_SILENCE && r->cadence_contact)
        q = sql_silence_cadence;
    else if (r->on == KTRIGGER_SILENCE && r->ntags > 0)
        q = r->ntags > 1 ? sql_silence_tags : sql_silence_tag;
    if (r->on == KTRIGGER_INTERACTION && r->nkinds > 0 && r->direction)
        q = sql_interaction_seek;
    sqlite3_stmt *st = db_stmt(db, q, e);
    if (!st)
        return K_ERR;
#ifndef NDEBUG
    assert(known_params(st));
#endif
    bind_date(st, ":today", today);
    bind_text(st, ":rule", r->id);
    bind_int(st, ":prio", (int)r->priority);
    bind_int(st, ":ord", ord);
    bind_int(st, ":by_tag", r->ntags > 0);
    bind_int(st, ":by_kind", r->nkinds > 0);
    bind_text(st, ":direction", r->direction);
    bind_int(st, ":by_outcome", r->noutcomes > 0);
    bind_int(st, ":n1", n1);
    bind_int(st, ":n2", n2);
    bind_int(st, ":day", today);
    bind_date(st, ":before", today - n1 + 1);
    return db_step_done(db, st, e);
}

/* temp.reminder_future for today: the contacts with an interaction after
 * today, whose summary rows go beyond what the rules look at. */
static int fill_future(struct db *db, int today, struct kerr *e)
{
    char buf[KDATE_BUF];
    memcpy(dbreminder_state(db)->today, kdate_format(today, buf),
           sizeof dbreminder_state(db)->today);
    int rc = run(db, "DELETE FROM temp.reminder_future", e);
    sqlite3_stmt *st = rc == K_OK ? db_stmt(db, sql_future, e) : NULL;
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    return db_step_done(db, st, e);
}

/* Empties the evaluation and loads the rules' messages and filters (and the
 * figures up to today of contacts with interactions after it). */
static int eval_begin(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                      struct kerr *e)
{
    int rc, need_stat = 0;
    for (size_t i = 0; i < n; i++)
        /* A cadence rule seeks its few contacts' last days itself. */
        need_stat |= rules[i].on == KTRIGGER_INTERACTION || rules[i].on == KTRIGGER_GOODWILL ||
                     (rules[i].on == KTRIGGER_SILENCE && !rules[i].cadence_contact);
    dbreminder_state(db)->ids = 0;
    if ((rc = run(db, "DELETE FROM temp.reminder_due", e)) != K_OK ||
        (rc = run(db, "DELETE FROM temp.reminder_filter", e)) != K_OK ||
        (rc = run(db, "DELETE FROM temp.reminder_rule", e)) != K_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const struct dbreminder_rule *r = &rules[i];
        /* clang-format off */
        sqlite3_stmt *st = db_stmt(db,
            "INSERT INTO temp.reminder_rule(ord, message)"
            " VALUES (:ord, :message)", e);
        /* clang-format on */
        if (!st)
            return K_ERR;
        sqlite3_bind_int(st, db_param(st, ":ord"), (int)i);
        db_bind_text(st, db_param(st, ":message"), r->message ? r->message : "");
        if ((rc = db_step_done(db, st, e)) != K_OK)
            return rc;
        if ((rc = add_filters(db, (int)i, "tag", r->tags, r->ntags, e)) != K_OK ||
            (rc = add_filters(db, (int)i, "kind", r->kinds, r->nkinds, e)) != K_OK ||
            (rc = add_filters(db, (int)i, "outcome", r->outcomes, r->noutcomes, e)) != K_OK)
            return rc;
    }
    return need_stat ? fill_future(db, today, e) : K_OK;
}

/* Runs f inside a savepoint: all of it or nothing, one snapshot, in or out
 * of the caller's transaction. */
static int in_savepoint(struct db *db, int (*f)(struct db *, const void *, struct kerr *),
                        const void *ud, struct kerr *e)
{
    int rc = run(db, "SAVEPOINT reminder_eval", e);
    if (rc != K_OK)
        return rc;
    rc = f(db, ud, e);
    if (rc != K_OK) {
        run(db, "ROLLBACK TO reminder_eval", NULL);
        dbreminder_state(db)->ids = 0;
    }
    int rc2 = run(db, "RELEASE reminder_eval", rc == K_OK ? e : NULL);
    return rc == K_OK ? rc2 : rc;
}

struct eval_args {
    const struct dbreminder_rule *rules;
    size_t n, from, to;
    int today, begin;
};

static int eval_some(struct db *db, const void *ud, struct kerr *e)
{
    const struct eval_args *a = ud;
    int rc = K_OK;
    if (a->begin && (rc = eval_begin(db, a->rules, a->n, a->today, e)) != K_OK)
        return rc;
    for (size_t i = a->from; i < a->to && rc == K_OK; i++)
        rc = eval_rule(db, &a->rules[i], (int)i, a->today, e);
    return rc;
}

static int eval_ready(struct db *db, struct kerr *e)
{
    int rc = prepare_eval(db, e);
    return rc == K_OK ? dbsummary_ready(db, e) : rc;
}

int dbreminder_eval(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                    struct kerr *e)
{
    int rc;
    if ((rc = eval_ready(db, e)) != K_OK)
        return rc;
    struct eval_args a = {rules, n, 0, n, today, 1};
    return in_savepoint(db, eval_some, &a, e);
}

int dbreminder_eval_begin(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                          struct kerr *e)
{
    int rc;
    if ((rc = eval_ready(db, e)) != K_OK)
        return rc;
    struct eval_args a = {rules, n, 0, 0, today, 1};
    return in_savepoint(db, eval_some, &a, e);
}

int dbreminder_eval_rule(struct db *db, const struct dbreminder_rule *rules, size_t n, size_t i,
                         int today, struct kerr *e)
{
    int rc;
    if (i >= n)
        return kerr_set(e, K_ERR, "evaluating reminders: no rule %zu", i);
    if ((rc = eval_ready(db, e)) != K_OK)
        return rc;
    dbreminder_state(db)->ids = 0;
    struct eval_args a = {rules, n, i, i + 1, today, 0};
    return in_savepoint(db, eval_some, &a, e);
}

/* ---- reading ----------------------------------------------------------- */

static int rid_cmp(const void *x, const void *y)
{
    const struct db_rid *a = x, *b = y;
    if (a->rid != b->rid)
        return a->rid < b->rid ? -1 : 1;
    return a->due < b->due ? -1 : a->due > b->due;
}

/* The reminders' ids (kith_rid of rule, subject and fired_on) with their
 * temp.reminder_due rows, sorted by id, in dbreminder_state(db)->rids, which kith_sid and the
 * table kith_reminder_rid read; made once per evaluation by the first
 * reading that shows or finds ids. (Inserting 36k ids into a temporary
 * table cost a sixth of reading them; ordering them with window functions
 * to find which share a shown prefix, five times as much.) */
static int ensure_ids(struct db *db, struct kerr *e)
{
    if (dbreminder_state(db)->ids)
        return K_OK;
    dbreminder_state(db)->nrids = 0;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT rowid, rule, subject, fired_on"
        " FROM temp.reminder_due", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (dbreminder_state(db)->nrids == cap) {
            cap = cap ? 2 * cap : 1024;
            dbreminder_state(db)->rids =
                krealloc(dbreminder_state(db)->rids, cap * sizeof *dbreminder_state(db)->rids);
        }
        const unsigned char *f[3] = {sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                                     sqlite3_column_text(st, 3)};
        dbreminder_state(db)->rids[dbreminder_state(db)->nrids].rid = dbremindfn_hash(f, 3);
        dbreminder_state(db)->rids[dbreminder_state(db)->nrids++].due = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        dbreminder_state(db)->nrids = 0;
        return db_fail(db, e, "reading reminders");
    }
    if (dbreminder_state(db)->nrids)
        qsort(dbreminder_state(db)->rids, dbreminder_state(db)->nrids,
              sizeof *dbreminder_state(db)->rids, rid_cmp);
    /* One row per id, the first evaluated (as INSERT OR IGNORE kept). */
    size_t k = 0;
    for (size_t i = 0; i < dbreminder_state(db)->nrids; i++)
        if (!k || dbreminder_state(db)->rids[i].rid != dbreminder_state(db)->rids[k - 1].rid)
            dbreminder_state(db)->rids[k++] = dbreminder_state(db)->rids[i];
    dbreminder_state(db)->nrids = k;
    dbreminder_state(db)->ids = 1;
    return K_OK;
}

/* The columns read_row takes, from kith_reminder_rid d, temp.reminder_due r,
 * temp.reminder_rule u and reminder_state s. The shown id is 6 hex digits,
 * 12 when another reminder shares those 6. */
#define COLS                                                                                       \
    "kith_sid(d.rid) AS sid, r.rule, r.prio, r.subject, r.fired_on, r.fired_on AS due_on,"         \
    " r.overdue, " R_CONTACT_ID " AS contact_id, r.contact,"                                       \
    " kith_render(u.message, r.contact, " R_REFERRER ", r.target, r.days, r.kind, r.date)"         \
    " AS message,"                                                                                 \
    " s.notified_at IS NOT NULL AS notified"
#define STATE                                                                                      \
    " LEFT JOIN reminder_state s ON s.rule = r.rule AND s.subject = r.subject"                     \
    " AND s.fired_on = r.fired_on"
#define VISIBLE " s.done_on IS NULL AND (s.snoozed_until IS NULL OR s.snoozed_until <= :today)"
#define ORDER   " ORDER BY r.overdue DESC, r.prio, r.fired_on, r.ord, r.contact, d.rid"
/* Every evaluated reminder with its id and rule, for COLS and VISIBLE. */
#define FROM_ALL                                                                                   \
    " FROM kith_reminder_rid d CROSS JOIN temp.reminder_due r ON r.rowid = d.due"                  \
    " JOIN temp.reminder_rule u ON u.ord = r.ord" STATE
static void read_row(sqlite3_stmt *st, struct reminder *r)
{
    memset(r, 0, sizeof *r);
    const unsigned char *sid = sqlite3_column_text(st, 0);
    size_t n = sid ? (size_t)sqlite3_column_bytes(st, 0) : 0;
    if (n >= sizeof r->id)
        n = sizeof r->id - 1;
    if (n)
        memcpy(r->id, sid, n);
    r->id[n] = '\0';
    r->rule = db_col_text(st, 1);
    r->priority = sqlite3_column_int(st, 2);
    db_col_id(st, 3, r->subject);
    r->fired_on = db_col_date(st, 4);
    r->due_on = db_col_date(st, 5);
    r->overdue = sqlite3_column_int(st, 6);
    db_col_id(st, 7, r->contact_id);
    r->contact = db_col_text(st, 8);
    r->message = db_col_text(st, 9);
    r->notified = sqlite3_column_int(st, 10);
    r->done_on = r->snoozed_until = KDATE_NONE;
}

void reminder_clear(struct reminder *r)
{
    if (!r)
        return;
    free(r->rule);
    free(r->contact);
    free(r->message);
    memset(r, 0, sizeof *r);
}

void reminder_list_clear(struct reminder_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        reminder_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Every visible reminder (with contact_id :contact_id, if not NULL) for each_sorted,
 * in read_row's columns and the ord and rowid: with messages, or without
 * (a window's are rendered once it is picked, and its rows need no seek
 * into temp.reminder_rule). */
#define SORTED_COLS(MESSAGE)                                                                       \
    "SELECT NULL AS sid, r.rule, r.prio, r.subject, r.fired_on, r.fired_on, r.overdue,"            \
    " " R_CONTACT_ID ", r.contact, " MESSAGE " AS message, s.notified_at IS NOT NULL AS notified," \
    " r.ord, r.rowid FROM temp.reminder_due r"
#define SORTED_WHERE                                                                               \
    STATE " WHERE" VISIBLE " AND (:contact_id IS NULL OR " R_CONTACT_ID " = :contact_id)"
static const char sql_sorted_rows[] = SORTED_COLS("NULL") SORTED_WHERE;
static const char sql_sorted_all[] =
    SORTED_COLS("kith_render(u.message, r.contact, " R_REFERRER ", r.target, r.days, r.kind, "
                "r.date)") " JOIN temp.reminder_rule u ON u.ord = r.ord" SORTED_WHERE;

/* A reminder read unsorted, with the rest of ORDER's keys. */
struct sorted_row {
    struct reminder r;
    int ord;
    uint64_t rid;
    sqlite3_int64 rowid; /* in temp.reminder_due */
};

/* ORDER in C: overdue first, then priority, due date, rule order, contact
 * name (NULL first, bytes compared as SQLite's BINARY does) and id. */
static int row_cmp(const void *x, const void *y)
{
    const struct sorted_row *a = x, *b = y;
    if (a->r.overdue != b->r.overdue)
        return a->r.overdue > b->r.overdue ? -1 : 1;
    if (a->r.priority != b->r.priority)
        return a->r.priority < b->r.priority ? -1 : 1;
    if (a->r.due_on != b->r.due_on)
        return a->r.due_on < b->r.due_on ? -1 : 1;
    if (a->ord != b->ord)
        return a->ord < b->ord ? -1 : 1;
    if (!a->r.contact != !b->r.contact)
        return a->r.contact ? 1 : -1;
    int c = a->r.contact ? strcmp(a->r.contact, b->r.contact) : 0;
    if (c)
        return c;
    return a->rid < b->rid ? -1 : a->rid > b->rid;
}

/* The message of temp.reminder_due's row rowid, rendered (NULL when the
 * row is gone). */
static char *render_one(struct db *db, sqlite3_int64 rowid, struct kerr *e, int *rc)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT kith_render(u.message, r.contact, " R_REFERRER ", r.target, r.days, r.kind,"
        "  r.date)"
        " FROM temp.reminder_due r"
        " JOIN temp.reminder_rule u ON u.ord = r.ord"
        " WHERE r.rowid = :rowid", e);
    /* clang-format on */
    char *msg = NULL;
    if (!st) {
        *rc = K_ERR;
        return NULL;
    }
    sqlite3_bind_int64(st, db_param(st, ":rowid"), rowid);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        msg = db_col_text(st, 0);
    else if (s != SQLITE_DONE)
        *rc = db_fail(db, e, "reading reminders");
    sqlite3_reset(st);
    return msg;
}

/* The reminders in ORDER, a window of them (limit 0: all from offset): read
 * unsorted and sorted in C. SQLite's sorter carried every column of 36k
 * rows through its merge, a quarter of reading them; qsort moves
 * pointers' worth of structs. The rows are read in the order they were
 * evaluated and their ids made here, from the same fields as ensure_ids:
 * reading them through kith_reminder_rid, in id order, cost a seek into
 * temp.reminder_due per row and the ids' text made and parsed again, a
 * third of reading them. A row is one of the reminders when ensure_ids
 * kept it for its id (the first evaluated). A window's messages are
 * rendered for its rows only, once they are picked (the first screenful
 * of 36k reminders renders 50, not 36k). */
/* Sifts v[i] down the heap v of n rows whose first is the last in ORDER. */
static void heap_down(struct sorted_row *v, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && row_cmp(&v[l], &v[m]) > 0)
            m = l;
        if (r < n && row_cmp(&v[r], &v[m]) > 0)
            m = r;
        if (m == i)
            return;
        struct sorted_row t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

static void heap_up(struct sorted_row *v, size_t i)
{
    while (i && row_cmp(&v[i], &v[(i - 1) / 2]) > 0) {
        struct sorted_row t = v[i];
        v[i] = v[(i - 1) / 2];
        v[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static int each_sorted(struct db *db, int today, const char *contact_id, size_t offset,
                       size_t limit, size_t *total, dbreminder_cb cb, void *ud, struct kerr *e)
{
    struct sorted_row *v = NULL, row;
    size_t n = 0, cap = 0, seen = 0, i;
    int rc = K_OK, s, windowed = limit || offset;
    /* A window of offset + limit rows keeps only the first that many in a
     * heap (the TUI's 500 of 36k: a few hundred kilobytes, not the whole
     * evaluation's rows in memory at once). */
    size_t keep = limit ? offset + limit : 0;
    sqlite3_stmt *st = db_stmt(db, windowed ? sql_sorted_rows : sql_sorted_all, e);
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    db_bind_text(st, db_param(st, ":contact_id"), contact_id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *f[3] = {sqlite3_column_text(st, 1), sqlite3_column_text(st, 3),
                                     sqlite3_column_text(st, 4)};
        uint64_t rid = dbremindfn_hash(f, 3);
        size_t at = dbremindfn_place(db, rid);
        if (at >= dbreminder_state(db)->nrids || dbreminder_state(db)->rids[at].rid != rid ||
            dbreminder_state(db)->rids[at].due != sqlite3_column_int64(st, 12))
            continue;
        seen++;
        row.ord = sqlite3_column_int(st, 11);
        row.rid = rid;
        row.rowid = sqlite3_column_int64(st, 12);
        if (keep && n == keep) {
            /* Compared on ORDER's keys as they are in the row: most rows
             * of a large evaluation are not kept, and are never copied. */
            row.r.overdue = sqlite3_column_int(st, 6);
            row.r.priority = sqlite3_column_int(st, 2);
            row.r.due_on = db_col_date(st, 5);
            row.r.contact = (char *)sqlite3_column_text(st, 8);
            if (row_cmp(&row, &v[0]) >= 0)
                continue;
            reminder_clear(&v[0].r);
        }
        read_row(st, &row.r);
        char hex[KREMINDER_ID_LEN + 1];
        dbremindfn_format(rid, hex);
        hex[dbremindfn_shared(db, at, rid) ? 12 : 6] = '\0';
        snprintf(row.r.id, sizeof row.r.id, "%s", hex);
        if (keep && n == keep) {
            v[0] = row;
            heap_down(v, n, 0);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            v = krealloc(v, cap * sizeof *v);
        }
        v[n++] = row;
        if (keep)
            heap_up(v, n - 1);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rc = db_fail(db, e, "reading reminders");
        goto out;
    }
    if (total)
        *total = seen;
    if (n)
        qsort(v, n, sizeof *v, row_cmp);
    for (i = offset; i < n; i++) {
        if (windowed && !v[i].r.message && !(v[i].r.message = render_one(db, v[i].rowid, e, &rc)) &&
            rc != K_OK)
            goto out;
        if (cb(&v[i].r, ud))
            break;
    }
out:
    for (i = 0; i < n; i++)
        reminder_clear(&v[i].r);
    free(v);
    return rc;
}

int dbreminder_window(struct db *db, int today, const char *contact_id, size_t offset, size_t limit,
                      size_t *total, dbreminder_cb cb, void *ud, struct kerr *e)
{
    int rc;
    if (total)
        *total = 0;
    if ((rc = ensure_ids(db, e)) != K_OK)
        return rc;
    return each_sorted(db, today, contact_id, offset, limit, total, cb, ud, e);
}

int dbreminder_each(struct db *db, int today, const char *contact_id, size_t offset, size_t limit,
                    dbreminder_cb cb, void *ud, struct kerr *e)
{
    return dbreminder_window(db, today, contact_id, offset, limit, NULL, cb, ud, e);
}

int dbreminder_each_handled(struct db *db, int today, size_t limit, dbreminder_cb cb, void *ud,
                            struct kerr *e)
{
    int rc;
    if ((rc = ensure_ids(db, e)) != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " COLS ", s.done_on, s.snoozed_until" FROM_ALL
        " WHERE NOT (" VISIBLE ")"
        " ORDER BY coalesce(s.done_on, s.snoozed_until) DESC, r.fired_on DESC, d.rid"
        " LIMIT :limit", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    sqlite3_bind_int64(st, db_param(st, ":limit"), limit ? (sqlite3_int64)limit : -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct reminder r;
        read_row(st, &r);
        r.done_on = db_col_date(st, 11);
        r.snoozed_until = db_col_date(st, 12);
        int stop = cb(&r, ud);
        reminder_clear(&r);
        if (stop)
            break;
    }
    rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading reminders");
    sqlite3_reset(st);
    return rc;
}

int dbreminder_restore(struct db *db, const struct reminder *r, struct kerr *e)
{
    /* clang-format off */
    static const char *const sql[] = {
        "UPDATE reminder_state SET done_on = NULL, snoozed_until = NULL"
        " WHERE rule = :rule AND subject = :subject AND fired_on = :fired_on",
        /* Nothing left to remember: no row. */
        "DELETE FROM reminder_state"
        " WHERE rule = :rule AND subject = :subject AND fired_on = :fired_on"
        "   AND done_on IS NULL AND snoozed_until IS NULL AND notified_at IS NULL",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i], e);
        if (!st)
            return K_ERR;
        db_bind_text(st, db_param(st, ":rule"), r->rule);
        db_bind_text(st, db_param(st, ":subject"), r->subject);
        db_bind_date(st, db_param(st, ":fired_on"), r->fired_on);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
}

static int stop_at_first(const struct reminder *r, void *ud)
{
    (void)r;
    (void)ud;
    return 1;
}

/* The count of the same pass as a window's: one reminder per id, as the
 * lists show (rows the rules gave twice count once). */
int dbreminder_count(struct db *db, int today, size_t *n, struct kerr *e)
{
    *n = 0;
    return dbreminder_window(db, today, NULL, 0, 1, n, stop_at_first, NULL, e);
}

int dbreminder_overdue_contacts(struct db *db, int today, const char *ords_json,
                                dbreminder_contact_cb cb, void *ud, struct kerr *e)
{
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT DISTINCT " R_CONTACT_ID
        " FROM temp.reminder_due r" STATE
        " WHERE r.overdue"
        "  AND r.contact_id IS NOT ''"
        "  AND r.ord IN (SELECT value FROM json_each(:ords))"
        "  AND" VISIBLE, e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    db_bind_text(st, db_param(st, ":ords"), ords_json);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char id[KID_LEN + 1];
        db_col_id(st, 0, id);
        if (cb(id, ud))
            break;
    }
    int rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading reminders");
    sqlite3_reset(st);
    return rc;
}

int dbreminder_find(struct db *db, const char *prefix, size_t max, struct reminder_list *out,
                    int *more, struct kerr *e)
{
    int rc;
    memset(out, 0, sizeof *out);
    *more = 0;
    if ((rc = ensure_ids(db, e)) != K_OK)
        return rc;
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT " COLS FROM_ALL
        " WHERE s.done_on IS NULL"
        "  AND d.rid >= :prefix AND d.rid < :prefix || 'g'"
        " ORDER BY d.rid"
        " LIMIT :limit", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":prefix"), prefix);
    sqlite3_bind_int64(st, db_param(st, ":limit"), (sqlite3_int64)max + 1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == max) {
            *more = 1;
            continue;
        }
        out->v = krealloc(out->v, (out->n + 1) * sizeof *out->v);
        read_row(st, &out->v[out->n++]);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        reminder_list_clear(out);
        return db_fail(db, e, "finding a reminder");
    }
    return K_OK;
}

static int set_state(struct db *db, const char *sql, const struct reminder *r, int day,
                     struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db, sql, e);
    if (!st)
        return K_ERR;
    db_bind_text(st, db_param(st, ":rule"), r->rule);
    db_bind_text(st, db_param(st, ":subject"), r->subject);
    db_bind_date(st, db_param(st, ":fired_on"), r->fired_on);
    if (day != KDATE_NONE)
        db_bind_date(st, db_param(st, ":day"), day);
    return db_step_done(db, st, e);
}

/* clang-format off */
int dbreminder_set_done(struct db *db, const struct reminder *r, int today, struct kerr *e)
{
    return set_state(db,
        "INSERT INTO reminder_state(rule, subject, fired_on, done_on)"
        " VALUES (:rule, :subject, :fired_on, :day)"
        " ON CONFLICT (rule, subject, fired_on)"
        " DO UPDATE SET done_on = excluded.done_on",
        r, today, e);
}

int dbreminder_set_snoozed(struct db *db, const struct reminder *r, int until, struct kerr *e)
{
    return set_state(db,
        "INSERT INTO reminder_state(rule, subject, fired_on, snoozed_until)"
        " VALUES (:rule, :subject, :fired_on, :day)"
        " ON CONFLICT (rule, subject, fired_on)"
        " DO UPDATE SET snoozed_until = excluded.snoozed_until",
        r, until, e);
}

int dbreminder_set_notified(struct db *db, const struct reminder *r, struct kerr *e)
{
    return set_state(db,
        "INSERT INTO reminder_state(rule, subject, fired_on, notified_at)"
        " VALUES (:rule, :subject, :fired_on, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
        " ON CONFLICT (rule, subject, fired_on)"
        " DO UPDATE SET notified_at = excluded.notified_at",
        r, KDATE_NONE, e);
}
/* clang-format on */

/* ---- the day's summary ------------------------------------------------- */

/* clang-format off */
#define BIRTHDAYS_SQL \
    "SELECT b.id, b.name, b.occ, CAST(julianday(b.occ) - julianday(:today) AS INTEGER) AS in_days" \
    " FROM (SELECT c.id, c.name, c.name_fold, kith_next_birthday(c.birthday, :today) AS occ" \
    "  FROM contact c" \
    "  WHERE c.birthday IS NOT NULL AND +c.archived = 0) b" \
    " WHERE b.occ <= date(julianday(:today) + :within)" \
    " ORDER BY b.occ, b.name_fold, b.id"
/* clang-format on */

int dbreminder_birthdays(struct db *db, int today, int within, dbreminder_birthday_cb cb, void *ud,
                         struct kerr *e)
{
    int rc;
    if ((rc = prepare_eval(db, e)) != K_OK)
        return rc;
    sqlite3_stmt *st = db_stmt(db, BIRTHDAYS_SQL, e);
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    sqlite3_bind_int(st, db_param(st, ":within"), within);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct dbreminder_birthday b;
        db_col_id(st, 0, b.contact_id);
        b.name = db_col_text(st, 1);
        b.date = db_col_date(st, 2);
        b.in_days = sqlite3_column_int(st, 3);
        int stop = cb(&b, ud);
        free(b.name);
        if (stop)
            break;
    }
    rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading birthdays");
    sqlite3_reset(st);
    return rc;
}

int dbreminder_today_json(struct db *db, int today, int within, const char *challenge, char **json,
                          struct kerr *e)
{
    *json = NULL;
    int rc;
    if ((rc = ensure_ids(db, e)) != K_OK)
        return rc;
    /* Subquery results lose their JSON subtype, hence the json() wrappers. */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT json_object('today', :today,"
        " 'reminders', json((SELECT json_group_array(json_object('id', v.sid, 'rule', v.rule,"
        "  'priority', CASE v.prio WHEN 0 THEN 'high' WHEN 1 THEN 'normal' ELSE 'low' END,"
        "  'contact', v.contact, 'contact_id', v.contact_id, 'message', v.message,"
        "  'due_on', v.due_on, 'fired_on', v.fired_on,"
        "  'overdue', json(CASE WHEN v.overdue THEN 'true' ELSE 'false' END)))"
        "  FROM (SELECT " COLS FROM_ALL " WHERE" VISIBLE ORDER ") v)),"
        " 'challenge', json(:challenge),"
        " 'birthdays', json((SELECT json_group_array(json_object('id', y.id, 'name', y.name,"
        "  'date', y.occ, 'in_days', y.in_days)) FROM (" BIRTHDAYS_SQL ") y)))", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, db_param(st, ":today"), today);
    sqlite3_bind_int(st, db_param(st, ":within"), within);
    db_bind_text(st, db_param(st, ":challenge"), challenge);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *json = db_col_text(st, 0);
    sqlite3_reset(st);
    return s == SQLITE_ROW && *json ? K_OK : db_fail(db, e, "reading reminders");
}
