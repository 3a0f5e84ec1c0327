#include "kith/store/dbreminder.h"

#include "db_internal.h"
#include "kith/store/dbsummary.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the reminder evaluation keeps per connection, beside its temporary
 * tables. */
struct db_reminder {
    int fns; /* the SQL functions are registered */
    int ids; /* rids matches the last evaluation */
    struct db_rid {
        uint64_t rid;      /* a reminder's id (kith_rid) as a number */
        sqlite3_int64 due; /* its row in temp.reminder_due */
    } * rids;              /* sorted by rid (ensure_ids) */
    size_t nrids;
    char today[10]; /* the day kith_stat counts up to, YYYY-MM-DD */
};

/* db's reminder state, made on first use. */
static struct db_reminder *state(struct db *db)
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
 * parameters: ?1 today, ?2 rule id, ?3 priority, ?5 the rule's position (its
 * key in temp.reminder_filter and temp.reminder_rule), ?6 / ?7 / ?9 whether
 * it filters by tags / kinds / outcomes, ?8 its direction or NULL, ?10 and
 * ?11 its numbers (after_days, days, days_before or below; max_days).
 *
 * A row keeps what its message needs (the names, days, kind and date) but
 * not the message, nor the reminder's id: a rule can fire for tens of
 * thousands of contacts, and the header's count needs neither. Messages are
 * rendered for the rows read, ids made once something reads them (see
 * ensure_ids).
 *
 * The plans matter at 100k contacts (see bench/README.md): a rule reads the
 * contact table in one sequential scan ("+c.archived" keeps SQLite from
 * walking contact_live_by_name and then seeking every row), or starts from
 * the few rows its own filter selects (referrals by date, the per-contact
 * stat by balance or last date, contacts by tag) and seeks the rest. CROSS
 * JOIN pins that order. */
#define TAG_OK(col)                                                                                \
    "(?6 = 0 OR EXISTS (SELECT 1 FROM temp.reminder_filter f CROSS JOIN contact_tag t"            \
    " ON t.contact_id = " col " AND t.tag = f.value WHERE f.ord = ?5 AND f.field = 'tag'))"
/* The contacts with one of the rule's tags, as g.tid, from the tag index.
 * With one tag a contact comes once; DISTINCT (a temporary b-tree of every
 * tagged contact) is only for several. */
#define TAGGED(DISTINCT)                                                                           \
    "(SELECT " DISTINCT " t.contact_id AS tid FROM temp.reminder_filter f CROSS JOIN contact_tag t" \
    " ON t.tag = f.value WHERE f.ord = ?5 AND f.field = 'tag') g CROSS JOIN contact c"             \
    " ON c.id = g.tid"
#define KIND_FILTER(col)                                                                           \
    "(?7 = 0 OR " col " IN (SELECT f.value FROM temp.reminder_filter f WHERE f.ord = ?5"           \
    " AND f.field = 'kind'))"
/* Date arithmetic on day numbers (?12 is today's): SQLite's julianday() and
 * date() parse and print through its general date machinery, a tenth of the
 * cost of a rule that fires for ten thousand contacts. */
#define DAYS_SINCE(d)  "(?12 - kith_day(" d "))"
#define PLUS_DAYS(d, n) "kith_date(kith_day(" d ") + " n ")"
#define DUE_INSERT                                                                                 \
    "INSERT INTO temp.reminder_due(ord, rule, prio, subject, fired_on, due_on, overdue,"           \
    " contact_id, contact, referrer, target, days, kind, date) SELECT ?5, ?2, ?3, "

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
    " WHERE " WHERE " AND cs.last <= ?1 AND cs.archived = 0"
#define STAT_FUTURE                                                                                \
    "SELECT f.contact_key, kith_field(f.x, 0), kith_field(f.x, 1),"                                \
    " kith_field(f.x, 2), kith_field(f.x, 3), kith_field(f.x, 4) FROM temp.reminder_future f"      \
    " WHERE f.x IS NOT NULL"
#define STAT(WHERE) "(" STAT_SUMMARY(WHERE) " UNION ALL " STAT_FUTURE ")"
/* The last day up to today of contact c (with its summary row cs and its
 * temp.reminder_future row f joined). */
#define LAST_UP_TO_TODAY "CASE WHEN cs.last <= ?1 THEN cs.last ELSE kith_field(f.x, 0) END"

static const char sql_referral[] =
    DUE_INSERT "r.id, r.due, r.due, r.due < ?1, c.id, c.name, c.name,"
    " coalesce(tc.name, r.target_text), " DAYS_SINCE("r.date") ","
    /* "@kind": the target is a contact, so {referral} says "the intro to". */
    " CASE WHEN tc.name IS NULL THEN r.kind ELSE '@' || r.kind END, r.date"
    " FROM (SELECT *, " PLUS_DAYS("date", "?10") " AS due FROM referral"
    "  WHERE date <= date(julianday(?1) - ?10)) r"
    " CROSS JOIN contact c ON c.id = r.referrer_id"
    " LEFT JOIN contact tc ON tc.id = r.target_contact_id"
    " WHERE c.archived = 0 AND " TAG_OK("c.id") " AND " KIND_FILTER("r.kind")
    " AND (?9 = 0 OR r.outcome IN (SELECT f.value FROM temp.reminder_filter f"
    "  WHERE f.ord = ?5 AND f.field = 'outcome'))"
    /* Thanked: a thank-you for this referral, or any dated on or after it. */
    " AND NOT EXISTS (SELECT 1 FROM thanks th WHERE th.contact_id = r.referrer_id"
    "  AND (th.referral_id = r.id OR th.date >= r.date))";

/* The contact's last interaction (up to today) if it is of the rule's kinds
 * and direction; interactions on the same day count as simultaneous. The
 * summary keeps the kind and direction of one interaction of the last day
 * and how many there were, so only a contact with several that day needs
 * another look at the index. ?13 is the day after today - after_days; the
 * summary is read whole, a sequential scan of its table (+cs.last). */
#define INTERACTION(STAT)                                                                          \
    DUE_INSERT "c.id, m.due, m.due, m.due < ?1, c.id, c.name, NULL, NULL, " DAYS_SINCE("m.d")      \
    ", m.kind, m.d"                                                                                \
    " FROM (SELECT s.contact_key AS ckey, s.d, " PLUS_DAYS("s.d", "?10") " AS due,"                \
    "  CASE WHEN s.n = 1 THEN"                                                                     \
    "   CASE WHEN " KIND_FILTER("s.kind") " AND (?8 IS NULL OR s.dir = ?8) THEN s.kind END"        \
    "  ELSE (SELECT x.kind FROM interaction_contact x WHERE x.contact_key = s.contact_key"         \
    "   AND x.date = s.d AND " KIND_FILTER("x.kind")                                               \
    "   AND (?8 IS NULL OR x.direction = ?8) ORDER BY x.kind LIMIT 1) END AS kind"                 \
    "  FROM " STAT " s WHERE s.d < ?13) m"                                                         \
    " CROSS JOIN contact c ON c.key = m.ckey"                                                      \
    " WHERE m.kind IS NOT NULL AND c.archived = 0 AND " TAG_OK("c.id")
static const char sql_interaction[] = INTERACTION(STAT("+cs.last < ?13"));
/* A rule with kinds and a direction (report-back) reads only the summary
 * rows that can match, from the partial indexes of schema 9: a last day
 * with one interaction, of the direction and one of the kinds; a last day
 * with several (any of which may match, looked at as above). */
static const char sql_interaction_seek[] = INTERACTION(
    "(" STAT_SUMMARY("cs.last_direction = ?8 AND cs.last_kind IN (SELECT f.value FROM"
                     " temp.reminder_filter f WHERE f.ord = ?5 AND f.field = 'kind')"
                     " AND cs.last_n = 1 AND cs.last < ?13")
    " UNION ALL " STAT_SUMMARY("cs.last_n > 1 AND cs.last < ?13")
    " UNION ALL " STAT_FUTURE ")");

/* A contact never talked to counts from when they were met, or added. FROM
 * is every live contact, or those with the rule's tags, each with its
 * summary row (cs) and temp.reminder_future row (f). */
#define SILENCE(FROM)                                                                              \
    DUE_INSERT "m.id, m.due, m.due, ?11 > 0 AND m.base <= date(julianday(?1) - ?11), m.id,"       \
    " m.name, NULL, NULL, " DAYS_SINCE("m.base") ", m.since, m.base"                              \
    " FROM (SELECT b.*, " PLUS_DAYS("b.base", "?10") " AS due FROM"                                 \
    "  (SELECT c.id, c.name, coalesce(" LAST_UP_TO_TODAY ", c.met_on,"                              \
    "   substr(c.created_at, 1, 10)) AS base,"                                                      \
    "   CASE WHEN " LAST_UP_TO_TODAY " IS NOT NULL THEN NULL"                                       \
    "   WHEN c.met_on IS NOT NULL THEN 'silence-met' ELSE 'silence-added' END AS since"             \
    "   FROM " FROM ") b) m"                                                                        \
    " WHERE m.base <= date(julianday(?1) - ?10)"
#define SILENCE_JOINS                                                                              \
    " LEFT JOIN contact_summary cs ON cs.contact_key = c.key"                                      \
    " LEFT JOIN temp.reminder_future f ON f.contact_key = c.key"
static const char sql_silence[] = SILENCE("contact c" SILENCE_JOINS " WHERE +c.archived = 0");
static const char sql_silence_tag[] = SILENCE(TAGGED("") SILENCE_JOINS " WHERE c.archived = 0");
static const char sql_silence_tags[] =
    SILENCE(TAGGED("DISTINCT") SILENCE_JOINS " WHERE c.archived = 0");

/* A contact's own cadence (cadence: contact): the few contacts that have
 * one, each due once silent for that many days and overdue at once (the
 * cadence is the user's own deadline); their last interaction is sought in
 * the index. */
#define CADENCE_LAST                                                                               \
    "(SELECT max(ic.date) FROM interaction_contact ic WHERE ic.contact_key = c.key"                  \
    " AND ic.date <= ?1)"
static const char sql_silence_cadence[] =
    DUE_INSERT "m.id, m.due, m.due, 1, m.id, m.name, NULL, NULL, " DAYS_SINCE("m.base")
    ", m.since, m.base"
    " FROM (SELECT b.*, " PLUS_DAYS("b.base", "b.every") " AS due FROM"
    "  (SELECT x.id, x.name, x.every, coalesce(x.last, x.met_on, x.added) AS base,"
    "   CASE WHEN x.last IS NOT NULL THEN NULL WHEN x.met_on IS NOT NULL THEN 'silence-met'"
    "   ELSE 'silence-added' END AS since"
    "   FROM (SELECT c.id, c.name, c.cadence_days AS every, c.met_on,"
    "    substr(c.created_at, 1, 10) AS added, " CADENCE_LAST " AS last"
    "    FROM contact c WHERE c.cadence_days IS NOT NULL AND c.archived = 0"
    "    AND " TAG_OK("c.id") ") x) b) m"
    " WHERE kith_day(m.base) + m.every <= ?12";

static const char sql_birthday[] =
    DUE_INSERT "m.id, m.fire, m.fire, 0, m.id, m.name, NULL, NULL,"
    " kith_day(m.occ) - ?12, NULL, m.occ"
    " FROM (SELECT b.*, " PLUS_DAYS("b.occ", "-?10") " AS fire FROM"
    "  (SELECT c.id, c.name, kith_next_birthday(c.birthday, ?1) AS occ FROM contact c"
    "   WHERE c.birthday IS NOT NULL AND +c.archived = 0 AND " TAG_OK("c.id") ") b) m"
    " WHERE m.occ <= date(julianday(?1) + ?10)";

/* From the goodwill index: the contacts at or below the rule's balance. */
static const char sql_goodwill[] =
    DUE_INSERT "c.id, s.d, s.d, 0, c.id, c.name, NULL, NULL, " DAYS_SINCE("s.d") ", NULL, s.d"
    " FROM " STAT("cs.goodwill <= ?10") " s"
    " CROSS JOIN contact c ON c.key = s.contact_key"
    " WHERE s.bal <= ?10 AND c.archived = 0 AND " TAG_OK("c.id");

static const char sql_challenge[] =
    DUE_INSERT "ch.id, ?1, ?1, 0, NULL, NULL, NULL, NULL, " DAYS_SINCE("ch.started_on")
    " + 1, NULL, ?1"
    " FROM (SELECT id, started_on, days FROM challenge ORDER BY seq DESC LIMIT 1) ch"
    " WHERE ch.started_on <= ?1 AND date(julianday(ch.started_on) + ch.days - 1) >= ?1"
    " AND NOT EXISTS (SELECT 1 FROM challenge_tick t WHERE t.challenge_id = ch.id"
    "  AND t.date = ?1)";

/* The contacts whose last interaction lies after today: their figures up
 * to today (kith_stat over their interactions), for STAT. */
static const char sql_future[] =
    "INSERT INTO temp.reminder_future(contact_key, x) SELECT cs.contact_key,"
    " (SELECT kith_stat(ic.date, ic.kind, ic.direction) FROM interaction_contact ic"
    "  WHERE ic.contact_key = cs.contact_key)"
    " FROM contact_summary cs WHERE cs.last > ?1 AND cs.archived = 0";

/* clang-format on */

/* ---- SQL functions ----------------------------------------------------- */

/* kith_rid(rule, subject, fired_on): a reminder's identity as 16 hex digits
 * (FNV-1a), so that its id is the same on every run. */
static uint64_t rid_hash(const unsigned char *const *fields, int n)
{
    uint64_t h = 14695981039346656037ULL;
    for (int i = 0; i < n; i++) {
        for (const unsigned char *t = fields[i]; t && *t; t++) {
            h ^= *t;
            h *= 1099511628211ULL;
        }
        h ^= 0x1f; /* field separator: ("ab","c") differs from ("a","bc") */
        h *= 1099511628211ULL;
    }
    return h;
}

/* By hand: snprintf is a measurable part of reading tens of thousands of
 * reminders. out has KREMINDER_ID_LEN + 1 bytes. */
static void rid_format(uint64_t h, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = KREMINDER_ID_LEN - 1; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[KREMINDER_ID_LEN] = '\0';
}

static void sql_rid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *f[3] = {NULL, NULL, NULL};
    char out[KREMINDER_ID_LEN + 1];
    for (int i = 0; i < argc && i < 3; i++)
        f[i] = sqlite3_value_text(argv[i]);
    rid_format(rid_hash(f, argc < 3 ? argc : 3), out);
    sqlite3_result_text(ctx, out, KREMINDER_ID_LEN, SQLITE_TRANSIENT);
}

static uint64_t rid_value(const unsigned char *t, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n && i < KREMINDER_ID_LEN; i++)
        v = v << 4 | (uint64_t)(t[i] <= '9' ? t[i] - '0' : t[i] - 'a' + 10);
    return v;
}

/* Where id v is, or would be, in the ids of the evaluation (sorted). */
static size_t rid_place(struct db *db, uint64_t v)
{
    size_t lo = 0, hi = state(db)->nrids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (state(db)->rids[mid].rid < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether another id than v, v at place lo, starts with v's 6 hex digits. */
static int rid_shared(struct db *db, size_t lo, uint64_t v)
{
    size_t after = lo < state(db)->nrids && state(db)->rids[lo].rid == v ? lo + 1 : lo;
    return (lo > 0 && state(db)->rids[lo - 1].rid >> 40 == v >> 40) ||
           (after < state(db)->nrids && state(db)->rids[after].rid >> 40 == v >> 40);
}

/* kith_sid(rid): the id shown for a reminder: its first 6 hex digits, or
 * 12 when another reminder's id starts with the same 6. A binary search in
 * the ids ensure_ids keeps sorted in state(db)->rids (a subquery into a table of
 * the ids per row was a sixth of reading 36k reminders). */
static void sql_sid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct db *db = sqlite3_user_data(ctx);
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    (void)argc;
    if (!t || n < 12) {
        sqlite3_result_null(ctx);
        return;
    }
    uint64_t v = rid_value(t, n);
    sqlite3_result_text(ctx, (const char *)t, rid_shared(db, rid_place(db, v), v) ? 12 : 6,
                        SQLITE_TRANSIENT);
}

/* {referral} and {since}, made of the other fields: what a referral was
 * (its kind says more than "intro" when it was a job or a customer), and
 * what a silence counts from (a silence rule's kind column says). */
static void derived(const char *name, sqlite3_value **argv, struct sbuf *b)
{
    const char *target = (const char *)sqlite3_value_text(argv[3]);
    const char *kind = (const char *)sqlite3_value_text(argv[5]);
    if (!strcmp(name, "referral")) {
        if (!target)
            return;
        int person = kind && kind[0] == '@';
        if (person)
            kind++;
        if (!kind || !strcmp(kind, "intro") || !strcmp(kind, "referral"))
            sbuf_printf(b, "the intro to %s", target);
        else if (person)
            sbuf_printf(b, "the intro to %s (%s)", target, kind);
        else
            sbuf_printf(b, "the %s: %s", kind, target);
    } else if (kind && !strcmp(kind, "silence-met")) {
        sbuf_add(b, "since you met");
    } else if (kind && !strcmp(kind, "silence-added")) {
        sbuf_add(b, "since you added them");
    } else {
        sbuf_add(b, "since you last talked");
    }
}

/* kith_render(template, contact, referrer, target, days, kind, date): one
 * pass, so that a name containing "{date}" is not expanded again. */
static void sql_render(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    static const char *const names[] = {"contact", "referrer", "target", "days",
                                        "kind",    "date",     "since",  "referral"};
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    struct sbuf b = {0};
    (void)argc;
    for (const char *p = t ? t : ""; *p; p++) {
        if (*p != '{') {
            size_t n = strcspn(p, "{");
            sbuf_addn(&b, p, n);
            p += n - 1;
            continue;
        }
        const char *end = strchr(p, '}');
        size_t i = 0;
        while (end && i < 8 &&
               (strlen(names[i]) != (size_t)(end - p - 1) ||
                strncmp(p + 1, names[i], (size_t)(end - p - 1))))
            i++;
        if (!end || i == 8) {
            sbuf_addc(&b, *p);
            continue;
        }
        if (i >= 6) {
            derived(names[i], argv, &b);
        } else {
            const char *v = (const char *)sqlite3_value_text(argv[i + 1]);
            /* A silence's kind column carries what it counts from; a
             * referral's, whether its target is a contact. */
            if (i == 4 && v && !strncmp(v, "silence-", 8))
                v = NULL;
            else if (i == 4 && v && v[0] == '@')
                v++;
            sbuf_add(&b, v ? v : "");
        }
        p = end;
    }
    if (b.s)
        sqlite3_result_text(ctx, sbuf_take(&b), -1, free); /* SQLite frees it */
    else
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
}

/* kith_day(date): the day number of a YYYY-MM-DD text, NULL for anything
 * else; kith_date(day): the other way. */
static void sql_day(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *t = sqlite3_value_blob(argv[0]);
    int day;
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
        !kdate_parse_n(t, (size_t)sqlite3_value_bytes(argv[0]), &day))
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int(ctx, day);
}

static void sql_date(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char buf[KDATE_BUF];
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, kdate_format(sqlite3_value_int(argv[0]), buf), 10,
                            SQLITE_TRANSIENT);
}

/* kith_next_birthday(birthday, today): the first birthday on or after today
 * as YYYY-MM-DD; 29 February falls on the 28th in other years. NULL when
 * the birthday is not MM-DD or YYYY-MM-DD. */
static void sql_next_birthday(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *b = (const char *)sqlite3_value_text(argv[0]);
    const char *t = (const char *)sqlite3_value_text(argv[1]);
    int today, m, d, y, tm, td;
    size_t n = b ? strlen(b) : 0;
    (void)argc;
    if (n < 5 || !t || kdate_parse_iso(t, &today, NULL) != K_OK ||
        sscanf(b + n - 5, "%2d-%2d", &m, &d) != 2 || m < 1 || m > 12 || d < 1 || d > 31) {
        sqlite3_result_null(ctx);
        return;
    }
    kdate_to_ymd(today, &y, &tm, &td);
    for (int k = 0; k < 2; k++, y++) {
        int dd = d;
        if (!kdate_valid_ymd(y, m, dd) && m == 2 && d == 29)
            dd = 28;
        if (!kdate_valid_ymd(y, m, dd))
            break;
        int day = kdate_from_ymd(y, m, dd);
        if (day >= today) {
            char buf[KDATE_BUF];
            sqlite3_result_text(ctx, kdate_format(day, buf), -1, SQLITE_TRANSIENT);
            return;
        }
    }
    sqlite3_result_null(ctx);
}

/* memcmp of two 10-byte dates, without a library call per row: the
 * first 8 bytes as one big-endian number, then the last 2. */
static int date_cmp(const char *a, const char *b)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    if (x != y) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        x = __builtin_bswap64(x);
        y = __builtin_bswap64(y);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
        return memcmp(a, b, 10);
#endif
        return x < y ? -1 : 1;
    }
    int d = (unsigned char)a[8] - (unsigned char)b[8];
    return d ? d : (unsigned char)a[9] - (unsigned char)b[9];
}

struct stat_acc {
    char last[10];
    int n;
    int inexact; /* the kind kept was cut short: the rules look again */
    size_t kind_len;
    char kind[64];
    char dir[8];
    sqlite3_int64 balance;
};

/* kith_stat(date, kind, direction) over one contact's interactions up to
 * the day in state(db)->today (one argument fewer to pass a million times):
 * "DATE|N|BALANCE|DIRECTION|KIND" with N (8 digits) the
 * interactions on the last DATE (0 when KIND had to be cut short), DIRECTION
 * and KIND one of them, and BALANCE (a sign and 11 digits) the goodwill as
 * db_weight_of weighs it; NULL when there is none. It runs once per
 * interaction: values are read as blobs (text needs a copy to add its NUL)
 * and compared by length. */
static void sql_stat_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct stat_acc *a = sqlite3_aggregate_context(ctx, sizeof *a);
    struct db *db = sqlite3_user_data(ctx);
    const char *date = sqlite3_value_blob(argv[0]);
    const char *kind = sqlite3_value_blob(argv[1]);
    const unsigned char *dir = sqlite3_value_blob(argv[2]);
    size_t kind_len = (size_t)sqlite3_value_bytes(argv[1]);
    size_t dir_len = (size_t)sqlite3_value_bytes(argv[2]);
    (void)argc;
    if (!a || !date || !kind || !dir || sqlite3_value_bytes(argv[0]) != 10 ||
        date_cmp(date, state(db)->today) > 0)
        return;
    int v = db_weight_of(db, kind, kind_len, (const char *)dir);
    a->balance += v;
    int c = a->n ? date_cmp(date, a->last) : 1;
    if (c > 0) {
        /* Most rows move the date on (the index is in date order): keep
         * this cheap. */
        memcpy(a->last, date, 10);
        a->inexact = kind_len >= sizeof a->kind;
        a->kind_len = a->inexact ? sizeof a->kind - 1 : kind_len;
        memcpy(a->kind, kind, a->kind_len);
        if (dir_len >= sizeof a->dir)
            dir_len = sizeof a->dir - 1;
        memcpy(a->dir, dir, dir_len);
        a->dir[dir_len] = '\0';
        a->n = 1;
    } else if (c == 0) {
        a->n++;
    }
}

/* Writes v as exactly width digits (the low ones; zero-padded). */
static char *put_digits(char *p, unsigned long long v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + width;
}

/* Built by hand: snprintf was most of the cost of 100k results. */
static void sql_stat_final(sqlite3_context *ctx)
{
    struct stat_acc *a = sqlite3_aggregate_context(ctx, 0);
    char out[10 + 1 + 8 + 1 + 12 + 1 + sizeof a->dir + 1 + sizeof a->kind];
    if (!a || !a->n) {
        sqlite3_result_null(ctx);
        return;
    }
    char *p = out;
    memcpy(p, a->last, 10);
    p += 10;
    *p++ = '|';
    p = put_digits(p, (unsigned long long)(a->inexact ? 0 : a->n), 8);
    *p++ = '|';
    *p++ = a->balance < 0 ? '-' : '+';
    p = put_digits(p, (unsigned long long)(a->balance < 0 ? -a->balance : a->balance), 11);
    *p++ = '|';
    size_t dl = strlen(a->dir);
    memcpy(p, a->dir, dl);
    p += dl;
    *p++ = '|';
    memcpy(p, a->kind, a->kind_len);
    p += a->kind_len;
    sqlite3_result_text(ctx, out, (int)(p - out), SQLITE_TRANSIENT);
}

/* kith_field(x, i): field i of a kith_stat result: 0 the last day, 1 how
 * many that day, 2 the balance (integers), 3 a direction and 4 a kind of
 * that day. The rules read 100k of these; substr and instr made most of
 * the cost of the interaction rule. */
static void sql_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *x = sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]), i = sqlite3_value_int(argv[1]);
    (void)argc;
    /* DATE|NNNNNNNN|SBBBBBBBBBBB|DIR|KIND */
    if (!x || n < 34 || x[10] != '|' || x[19] != '|' || x[32] != '|') {
        sqlite3_result_null(ctx);
        return;
    }
    if (i == 0) {
        sqlite3_result_text(ctx, x, 10, SQLITE_TRANSIENT);
    } else if (i == 1 || i == 2) {
        const char *d = i == 1 ? x + 11 : x + 21;
        sqlite3_int64 v = 0;
        for (int k = 0; k < (i == 1 ? 8 : 11); k++)
            v = v * 10 + (d[k] - '0');
        sqlite3_result_int64(ctx, i == 2 && x[20] == '-' ? -v : v);
    } else {
        const char *dir = x + 33, *bar = memchr(dir, '|', (size_t)(n - 33));
        if (!bar)
            sqlite3_result_null(ctx);
        else if (i == 3)
            sqlite3_result_text(ctx, dir, (int)(bar - dir), SQLITE_TRANSIENT);
        else
            sqlite3_result_text(ctx, bar + 1, (int)(x + n - bar - 1), SQLITE_TRANSIENT);
    }
}

/* ---- the ids' table ----------------------------------------------------- */

/* kith_reminder_rid reads rows kept in db. */
struct reminder_vtab {
    sqlite3_vtab base;
    struct db *db;
};

/* The table's xConnect: its columns, and the db its rows live in. */
static int vtab_connect(sqlite3 *h, void *aux, const char *schema, sqlite3_vtab **out)
{
    int rc = sqlite3_declare_vtab(h, schema);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(h, SQLITE_VTAB_DIRECTONLY);
    struct reminder_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->db = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int vtab_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int vtab_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

/* kith_reminder_rid(rid, due): state(db)->rids as a table, in rid order: all of
 * it, the row of one rid (rid = ?), or a range (rid >= ? AND rid < ?, as
 * dbreminder_find asks for a prefix). The bounds only narrow the rows
 * read; SQLite checks each constraint again. */
struct rid_cursor {
    sqlite3_vtab_cursor base;
    struct db *db;
    size_t i, end;
};

enum { RID_EQ = 1, RID_LOW = 2, RID_HIGH = 4 };

static int rid_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                       char **err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return vtab_connect(h, aux, "CREATE TABLE x(rid TEXT, due INTEGER)", out);
}

static int rid_best_index(sqlite3_vtab *t, sqlite3_index_info *ii)
{
    (void)t;
    int n = 0, eq = -1, low = -1, high = -1;
    for (int i = 0; i < ii->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &ii->aConstraint[i];
        if (!k->usable || k->iColumn != 0)
            continue;
        if (k->op == SQLITE_INDEX_CONSTRAINT_EQ && eq < 0)
            eq = i;
        else if ((k->op == SQLITE_INDEX_CONSTRAINT_GE || k->op == SQLITE_INDEX_CONSTRAINT_GT) &&
                 low < 0)
            low = i;
        else if ((k->op == SQLITE_INDEX_CONSTRAINT_LT || k->op == SQLITE_INDEX_CONSTRAINT_LE) &&
                 high < 0)
            high = i;
    }
    ii->idxNum = 0;
    ii->estimatedCost = 40000;
    ii->estimatedRows = 40000;
    if (eq >= 0) {
        ii->aConstraintUsage[eq].argvIndex = ++n;
        ii->idxNum = RID_EQ;
        ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
        ii->estimatedCost = 10;
        ii->estimatedRows = 1;
    } else {
        if (low >= 0) {
            ii->aConstraintUsage[low].argvIndex = ++n;
            ii->idxNum |= RID_LOW;
        }
        if (high >= 0) {
            ii->aConstraintUsage[high].argvIndex = ++n;
            ii->idxNum |= RID_HIGH;
        }
        if (n) {
            ii->estimatedCost = 100;
            ii->estimatedRows = 10;
        }
    }
    if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == 0 && !ii->aOrderBy[0].desc)
        ii->orderByConsumed = 1;
    return SQLITE_OK;
}

static int rid_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    struct rid_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->db = ((const struct reminder_vtab *)t)->db;
    *out = &c->base;
    return SQLITE_OK;
}

/* The first row whose id, as text, is not below s (>= when ge, else >). */
static size_t rid_seek(struct db *db, sqlite3_value *v, int ge)
{
    const char *s = (const char *)sqlite3_value_text(v);
    size_t lo = 0, hi = state(db)->nrids;
    char buf[KREMINDER_ID_LEN + 1];
    if (!s)
        return state(db)->nrids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        rid_format(state(db)->rids[mid].rid, buf);
        int c = strcmp(buf, s);
        if (c < 0 || (!ge && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int rid_filter(sqlite3_vtab_cursor *vc, int idx, const char *idxs, int argc,
                      sqlite3_value **argv)
{
    struct rid_cursor *c = (struct rid_cursor *)vc;
    struct db *db = c->db;
    (void)idxs;
    c->i = 0;
    c->end = state(db)->ids ? state(db)->nrids : 0;
    int a = 0;
    if (idx & RID_EQ && a < argc) {
        c->i = rid_seek(db, argv[a], 1);
        c->end = c->i < c->end ? c->i + 1 : c->end;
        return SQLITE_OK;
    }
    /* GT and LE are taken as GE and LT (one row more at most); SQLite
     * checks the constraint on every row anyway. */
    if (idx & RID_LOW && a < argc)
        c->i = rid_seek(db, argv[a++], 1);
    if (idx & RID_HIGH && a < argc) {
        size_t end = rid_seek(db, argv[a], 0);
        c->end = end < c->end ? end : c->end;
    }
    return SQLITE_OK;
}

static int rid_next(sqlite3_vtab_cursor *vc)
{
    ((struct rid_cursor *)vc)->i++;
    return SQLITE_OK;
}

static int rid_eof(sqlite3_vtab_cursor *vc)
{
    const struct rid_cursor *c = (const struct rid_cursor *)vc;
    return c->i >= c->end;
}

static int rid_column(sqlite3_vtab_cursor *vc, sqlite3_context *ctx, int col)
{
    const struct rid_cursor *c = (const struct rid_cursor *)vc;
    const struct db_rid *r = &state(c->db)->rids[c->i];
    if (col == 0) {
        char buf[KREMINDER_ID_LEN + 1];
        rid_format(r->rid, buf);
        sqlite3_result_text(ctx, buf, KREMINDER_ID_LEN, SQLITE_TRANSIENT);
    } else {
        sqlite3_result_int64(ctx, r->due);
    }
    return SQLITE_OK;
}

static int rid_rowid(sqlite3_vtab_cursor *vc, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((const struct rid_cursor *)vc)->i;
    return SQLITE_OK;
}

static const sqlite3_module rid_module = {
    .xConnect = rid_connect,
    .xBestIndex = rid_best_index,
    .xDisconnect = vtab_disconnect,
    .xOpen = rid_open,
    .xClose = vtab_close,
    .xFilter = rid_filter,
    .xNext = rid_next,
    .xEof = rid_eof,
    .xColumn = rid_column,
    .xRowid = rid_rowid,
};

static int prepare_eval(struct db *db, struct kerr *e)
{
    const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = K_OK;
    /* Once per connection: (re)defining a function expires every prepared
     * statement. kith_stat reads the weights db_set_weights keeps in db. */
    if (!state(db)->fns) {
        if (sqlite3_create_function(db->h, "kith_stat", 3, SQLITE_UTF8 | SQLITE_INNOCUOUS, db, NULL,
                                    sql_stat_step, sql_stat_final) ||
            sqlite3_create_function(db->h, "kith_rid", 3, f, NULL, sql_rid, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_sid", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, db,
                                    sql_sid, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_day", 1, f, NULL, sql_day, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_date", 1, f, NULL, sql_date, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_field", 2, f, NULL, sql_field, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_render", 7, f, NULL, sql_render, NULL, NULL) ||
            sqlite3_create_function(db->h, "kith_next_birthday", 2, f, NULL, sql_next_birthday,
                                    NULL, NULL) ||
            sqlite3_create_module(db->h, "kith_reminder_rid", &rid_module, db))
            return db_fail(db, e, "evaluating reminders");
        state(db)->fns = 1;
    }
    char *msg = NULL;
    if (sqlite3_exec(db->h,
                     "CREATE TEMP TABLE IF NOT EXISTS reminder_due ("
                     " ord INTEGER NOT NULL, rule TEXT NOT NULL, prio INTEGER NOT NULL,"
                     " subject TEXT NOT NULL, fired_on TEXT NOT NULL, due_on TEXT NOT NULL,"
                     " overdue INTEGER NOT NULL, contact_id TEXT, contact TEXT, referrer TEXT,"
                     " target TEXT, days INTEGER, kind TEXT, date TEXT);"
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
        sqlite3_stmt *st = db_stmt(db,
                                   "INSERT OR IGNORE INTO temp.reminder_filter(ord, field, value)"
                                   " VALUES (?1, ?2, ?3)",
                                   e);
        if (!st)
            return K_ERR;
        sqlite3_bind_int(st, 1, ord);
        db_bind_text(st, 2, field);
        /* contact_tag.tag is the folded key. */
        char *key = !strcmp(field, "tag") ? kstr_fold(v[i]) : NULL;
        db_bind_text(st, 3, key ? key : v[i]);
        free(key);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
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
    db_bind_date(st, 1, today);
    db_bind_text(st, 2, r->id);
    sqlite3_bind_int(st, 3, (int)r->priority);
    sqlite3_bind_int(st, 5, ord);
    sqlite3_bind_int(st, 6, r->ntags > 0);
    sqlite3_bind_int(st, 7, r->nkinds > 0);
    db_bind_text(st, 8, r->direction);
    sqlite3_bind_int(st, 9, r->noutcomes > 0);
    sqlite3_bind_int(st, 10, n1);
    sqlite3_bind_int(st, 11, n2);
    sqlite3_bind_int(st, 12, today);
    db_bind_date(st, 13, today - n1 + 1);
    return db_step_done(db, st, e);
}

/* temp.reminder_future for today: the contacts with an interaction after
 * today, whose summary rows go beyond what the rules look at. */
static int fill_future(struct db *db, int today, struct kerr *e)
{
    char buf[KDATE_BUF];
    memcpy(state(db)->today, kdate_format(today, buf), sizeof state(db)->today);
    int rc = run(db, "DELETE FROM temp.reminder_future", e);
    sqlite3_stmt *st = rc == K_OK ? db_stmt(db, sql_future, e) : NULL;
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    return db_step_done(db, st, e);
}

int dbreminder_eval(struct db *db, const struct dbreminder_rule *rules, size_t n, int today,
                    struct kerr *e)
{
    int rc, need_stat = 0, sp = 0;
    if ((rc = prepare_eval(db, e)) != K_OK || (rc = dbsummary_ready(db, e)) != K_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        /* A cadence rule seeks its few contacts' last days itself. */
        need_stat |= rules[i].on == KTRIGGER_INTERACTION || rules[i].on == KTRIGGER_GOODWILL ||
                     (rules[i].on == KTRIGGER_SILENCE && !rules[i].cadence_contact);
    /* A savepoint makes the evaluation one snapshot, in or out of the
     * caller's transaction. */
    if ((rc = run(db, "SAVEPOINT reminder_eval", e)) != K_OK)
        goto out;
    sp = 1;
    state(db)->ids = 0;
    if ((rc = run(db, "DELETE FROM temp.reminder_due", e)) != K_OK ||
        (rc = run(db, "DELETE FROM temp.reminder_filter", e)) != K_OK ||
        (rc = run(db, "DELETE FROM temp.reminder_rule", e)) != K_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct dbreminder_rule *r = &rules[i];
        sqlite3_stmt *st =
            db_stmt(db, "INSERT INTO temp.reminder_rule(ord, message) VALUES (?1, ?2)", e);
        if (!st) {
            rc = K_ERR;
            goto out;
        }
        sqlite3_bind_int(st, 1, (int)i);
        db_bind_text(st, 2, r->message ? r->message : "");
        if ((rc = db_step_done(db, st, e)) != K_OK)
            goto out;
        if ((rc = add_filters(db, (int)i, "tag", r->tags, r->ntags, e)) != K_OK ||
            (rc = add_filters(db, (int)i, "kind", r->kinds, r->nkinds, e)) != K_OK ||
            (rc = add_filters(db, (int)i, "outcome", r->outcomes, r->noutcomes, e)) != K_OK)
            goto out;
    }
    if (need_stat && (rc = fill_future(db, today, e)) != K_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        if ((rc = eval_rule(db, &rules[i], (int)i, today, e)) != K_OK)
            goto out;
out:
    if (sp) {
        if (rc != K_OK)
            run(db, "ROLLBACK TO reminder_eval", NULL);
        int rc2 = run(db, "RELEASE reminder_eval", rc == K_OK ? e : NULL);
        if (rc == K_OK)
            rc = rc2;
    }
    return rc;
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
 * temp.reminder_due rows, sorted by id, in state(db)->rids, which kith_sid and the
 * table kith_reminder_rid read; made once per evaluation by the first
 * reading that shows or finds ids. (Inserting 36k ids into a temporary
 * table cost a sixth of reading them; ordering them with window functions
 * to find which share a shown prefix, five times as much.) */
static int ensure_ids(struct db *db, struct kerr *e)
{
    if (state(db)->ids)
        return K_OK;
    state(db)->nrids = 0;
    sqlite3_stmt *st =
        db_stmt(db, "SELECT rowid, rule, subject, fired_on FROM temp.reminder_due", e);
    if (!st)
        return K_ERR;
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (state(db)->nrids == cap) {
            cap = cap ? 2 * cap : 1024;
            state(db)->rids = krealloc(state(db)->rids, cap * sizeof *state(db)->rids);
        }
        const unsigned char *f[3] = {sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                                     sqlite3_column_text(st, 3)};
        state(db)->rids[state(db)->nrids].rid = rid_hash(f, 3);
        state(db)->rids[state(db)->nrids++].due = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        state(db)->nrids = 0;
        return db_fail(db, e, "reading reminders");
    }
    if (state(db)->nrids)
        qsort(state(db)->rids, state(db)->nrids, sizeof *state(db)->rids, rid_cmp);
    /* One row per id, the first evaluated (as INSERT OR IGNORE kept). */
    size_t k = 0;
    for (size_t i = 0; i < state(db)->nrids; i++)
        if (!k || state(db)->rids[i].rid != state(db)->rids[k - 1].rid)
            state(db)->rids[k++] = state(db)->rids[i];
    state(db)->nrids = k;
    state(db)->ids = 1;
    return K_OK;
}

/* The columns read_row takes, from kith_reminder_rid d, temp.reminder_due r,
 * temp.reminder_rule u and reminder_state s. The shown id is 6 hex digits,
 * 12 when another reminder shares those 6. */
#define COLS                                                                                       \
    "kith_sid(d.rid) AS sid, r.rule, r.prio, r.subject, r.fired_on, r.due_on,"                     \
    " r.overdue, r.contact_id, r.contact,"                                                         \
    " kith_render(u.message, r.contact, r.referrer, r.target, r.days, r.kind, r.date) AS message," \
    " s.notified_at IS NOT NULL AS notified"
#define STATE                                                                                      \
    " LEFT JOIN reminder_state s ON s.rule = r.rule AND s.subject = r.subject"                     \
    " AND s.fired_on = r.fired_on"
#define VISIBLE " s.done_on IS NULL AND (s.snoozed_until IS NULL OR s.snoozed_until <= ?1)"
#define ORDER   " ORDER BY r.overdue DESC, r.prio, r.due_on, r.ord, r.contact, d.rid"
/* Every evaluated reminder with its id and rule, for COLS and VISIBLE. */
#define FROM_ALL                                                                                   \
    " FROM kith_reminder_rid d CROSS JOIN temp.reminder_due r ON r.rowid = d.due"                  \
    " JOIN temp.reminder_rule u ON u.ord = r.ord" STATE
/* From a window of (rid, due) rows w, in ORDER. The window is chosen
 * first so that only its rows are rendered. */
#define FROM_WINDOW                                                                                \
    " CROSS JOIN temp.reminder_due r ON r.rowid = w.due CROSS JOIN kith_reminder_rid d"            \
    " ON d.rid = w.rid JOIN temp.reminder_rule u ON u.ord = r.ord" STATE ORDER

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

/* A reminder read unsorted, with the rest of ORDER's keys. */
struct sorted_row {
    struct reminder r;
    int ord;
    uint64_t rid;
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

/* Every reminder (kith today): read unsorted and sorted in C. SQLite's
 * sorter carried every column of 36k rows through its merge, a quarter of
 * reading them; qsort moves pointers' worth of structs. The rows are read
 * in the order they were evaluated and their ids made here, from the same
 * fields as ensure_ids: reading them through kith_reminder_rid, in id
 * order, cost a seek into temp.reminder_due per row and the ids' text
 * made and parsed again, a third of reading them. A row is one of the
 * reminders when ensure_ids kept it for its id (the first evaluated). */
static int each_all(struct db *db, int today, const char *contact_id, dbreminder_cb cb, void *ud,
                    struct kerr *e)
{
    struct sorted_row *v = NULL;
    size_t n = 0, cap = 0, i;
    int rc = K_OK, s;
    sqlite3_stmt *st = db_stmt(
        db,
        "SELECT NULL AS sid, r.rule, r.prio, r.subject, r.fired_on, r.due_on, r.overdue,"
        " r.contact_id, r.contact, kith_render(u.message, r.contact, r.referrer, r.target, r.days,"
        " r.kind, r.date) AS message, s.notified_at IS NOT NULL AS notified, r.ord, r.rowid"
        " FROM temp.reminder_due r JOIN temp.reminder_rule u ON u.ord = r.ord" STATE
        " WHERE" VISIBLE " AND (?2 IS NULL OR r.contact_id = ?2)",
        e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    db_bind_text(st, 2, contact_id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *f[3] = {sqlite3_column_text(st, 1), sqlite3_column_text(st, 3),
                                     sqlite3_column_text(st, 4)};
        uint64_t rid = rid_hash(f, 3);
        size_t at = rid_place(db, rid);
        if (at >= state(db)->nrids || state(db)->rids[at].rid != rid ||
            state(db)->rids[at].due != sqlite3_column_int64(st, 12))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            v = krealloc(v, cap * sizeof *v);
        }
        read_row(st, &v[n].r);
        char hex[KREMINDER_ID_LEN + 1];
        rid_format(rid, hex);
        hex[rid_shared(db, at, rid) ? 12 : 6] = '\0';
        snprintf(v[n].r.id, sizeof v[n].r.id, "%s", hex);
        v[n].ord = sqlite3_column_int(st, 11);
        v[n].rid = rid;
        n++;
    }
    sqlite3_reset(st);
    if (s != SQLITE_DONE) {
        rc = db_fail(db, e, "reading reminders");
        goto out;
    }
    if (n)
        qsort(v, n, sizeof *v, row_cmp);
    for (i = 0; i < n; i++)
        if (cb(&v[i].r, ud))
            break;
out:
    for (i = 0; i < n; i++)
        reminder_clear(&v[i].r);
    free(v);
    return rc;
}

int dbreminder_each(struct db *db, int today, const char *contact_id, size_t offset, size_t limit,
                    dbreminder_cb cb, void *ud, struct kerr *e)
{
    int rc;
    if ((rc = ensure_ids(db, e)) != K_OK)
        return rc;
    if (!limit && !offset)
        return each_all(db, today, contact_id, cb, ud, e);
    /* A window is picked first so that only its rows are rendered. */
    sqlite3_stmt *st =
        db_stmt(db,
                "SELECT " COLS " FROM (SELECT d.rid, d.due FROM kith_reminder_rid d"
                " CROSS JOIN temp.reminder_due r ON r.rowid = d.due" STATE " WHERE" VISIBLE
                " AND (?2 IS NULL OR r.contact_id = ?2)" ORDER " LIMIT ?3 OFFSET ?4) w" FROM_WINDOW,
                e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    db_bind_text(st, 2, contact_id);
    sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)offset);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct reminder r;
        read_row(st, &r);
        int stop = cb(&r, ud);
        reminder_clear(&r);
        if (stop)
            break;
    }
    rc = (s == SQLITE_ROW || s == SQLITE_DONE) ? K_OK : db_fail(db, e, "reading reminders");
    sqlite3_reset(st);
    return rc;
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
        " ORDER BY coalesce(s.done_on, s.snoozed_until) DESC, r.due_on DESC, d.rid"
        " LIMIT ?2", e);
    /* clang-format on */
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
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
        " WHERE rule = ?1 AND subject = ?2 AND fired_on = ?3",
        /* Nothing left to remember: no row. */
        "DELETE FROM reminder_state"
        " WHERE rule = ?1 AND subject = ?2 AND fired_on = ?3"
        "   AND done_on IS NULL AND snoozed_until IS NULL AND notified_at IS NULL",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i], e);
        if (!st)
            return K_ERR;
        db_bind_text(st, 1, r->rule);
        db_bind_text(st, 2, r->subject);
        db_bind_date(st, 3, r->fired_on);
        if (db_step_done(db, st, e) != K_OK)
            return K_ERR;
    }
    return K_OK;
}

int dbreminder_count(struct db *db, int today, size_t *n, struct kerr *e)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT count(*) FROM temp.reminder_due r" STATE " WHERE" VISIBLE, e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return s == SQLITE_ROW ? K_OK : db_fail(db, e, "counting reminders");
}

int dbreminder_overdue_contacts(struct db *db, int today, const char *ords_json,
                                dbreminder_contact_cb cb, void *ud, struct kerr *e)
{
    sqlite3_stmt *st = db_stmt(db,
                               "SELECT DISTINCT r.contact_id FROM temp.reminder_due r" STATE
                               " WHERE r.overdue AND r.contact_id IS NOT NULL"
                               " AND r.ord IN (SELECT value FROM json_each(?2)) AND" VISIBLE,
                               e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    db_bind_text(st, 2, ords_json);
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
    sqlite3_stmt *st = db_stmt(db,
                               "SELECT " COLS FROM_ALL
                               " WHERE s.done_on IS NULL AND d.rid >= ?1 AND d.rid < ?1 || 'g'"
                               " ORDER BY d.rid LIMIT ?2",
                               e);
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, prefix);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max + 1);
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
    db_bind_text(st, 1, r->rule);
    db_bind_text(st, 2, r->subject);
    db_bind_date(st, 3, r->fired_on);
    db_bind_date(st, 4, day);
    return db_step_done(db, st, e);
}

int dbreminder_set_done(struct db *db, const struct reminder *r, int today, struct kerr *e)
{
    return set_state(db,
                     "INSERT INTO reminder_state(rule, subject, fired_on, done_on)"
                     " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (rule, subject, fired_on)"
                     " DO UPDATE SET done_on = excluded.done_on",
                     r, today, e);
}

int dbreminder_set_snoozed(struct db *db, const struct reminder *r, int until, struct kerr *e)
{
    return set_state(db,
                     "INSERT INTO reminder_state(rule, subject, fired_on, snoozed_until)"
                     " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (rule, subject, fired_on)"
                     " DO UPDATE SET snoozed_until = excluded.snoozed_until",
                     r, until, e);
}

int dbreminder_set_notified(struct db *db, const struct reminder *r, struct kerr *e)
{
    return set_state(db,
                     "INSERT INTO reminder_state(rule, subject, fired_on, notified_at)"
                     " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
                     " ON CONFLICT (rule, subject, fired_on)"
                     " DO UPDATE SET notified_at = excluded.notified_at",
                     r, KDATE_NONE, e);
}

/* ---- the day's summary ------------------------------------------------- */

#define BIRTHDAYS_SQL                                                                              \
    "SELECT b.id, b.name, b.occ, CAST(julianday(b.occ) - julianday(?1) AS INTEGER) AS in_days"     \
    " FROM (SELECT c.id, c.name, c.name_fold, kith_next_birthday(c.birthday, ?1) AS occ"           \
    "  FROM contact c WHERE c.birthday IS NOT NULL AND +c.archived = 0) b"                         \
    " WHERE b.occ <= date(julianday(?1) + ?2) ORDER BY b.occ, b.name_fold, b.id"

int dbreminder_birthdays(struct db *db, int today, int within, dbreminder_birthday_cb cb, void *ud,
                         struct kerr *e)
{
    int rc;
    if ((rc = prepare_eval(db, e)) != K_OK)
        return rc;
    sqlite3_stmt *st = db_stmt(db, BIRTHDAYS_SQL, e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    sqlite3_bind_int(st, 2, within);
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
    sqlite3_stmt *st = db_stmt(
        db,
        "SELECT json_object('today', ?1,"
        " 'reminders', json((SELECT json_group_array(json_object('id', v.sid, 'rule', v.rule,"
        "  'priority', CASE v.prio WHEN 0 THEN 'high' WHEN 1 THEN 'normal' ELSE 'low' END,"
        "  'contact', v.contact, 'contact_id', v.contact_id, 'message', v.message,"
        "  'due_on', v.due_on, 'fired_on', v.fired_on,"
        "  'overdue', json(CASE WHEN v.overdue THEN 'true' ELSE 'false' END)))"
        "  FROM (SELECT " COLS FROM_ALL " WHERE" VISIBLE ORDER ") v)),"
        " 'challenge', json(?3),"
        " 'birthdays', json((SELECT json_group_array(json_object('id', y.id, 'name', y.name,"
        "  'date', y.occ, 'in_days', y.in_days)) FROM (" BIRTHDAYS_SQL ") y)))",
        e);
    if (!st)
        return K_ERR;
    db_bind_date(st, 1, today);
    sqlite3_bind_int(st, 2, within);
    db_bind_text(st, 3, challenge);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *json = db_col_text(st, 0);
    sqlite3_reset(st);
    return s == SQLITE_ROW && *json ? K_OK : db_fail(db, e, "reading reminders");
}
