/* Shared by the store modules only: the connection and statement helpers. */
#ifndef KITH_DB_INTERNAL_H
#define KITH_DB_INTERNAL_H

#include "kith/store/db.h"

/* The session extension (undo history, dbhistory.c) is in the system's
 * SQLite; its declarations need these. */
#ifndef SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_SESSION
#endif
#ifndef SQLITE_ENABLE_PREUPDATE_HOOK
#define SQLITE_ENABLE_PREUPDATE_HOOK
#endif
#include <sqlite3.h>
#include <stdint.h>

struct db_cached {
    const char *sql;
    sqlite3_stmt *st;
};

/* A statement db_stmt_built made, by its text. */
struct db_built {
    char *sql; /* NULL: a free slot */
    uint64_t hash;
    sqlite3_stmt *st;
};

/* One kind's goodwill weights, as db_set_weights last set them. */
struct db_wkind {
    char *kind;
    size_t len;
    int w[3]; /* gave, asked, mutual */
};

/* What temp.contact_order holds (see dbcontact.c): the matches of one
 * query in one derived order, as the journal was when it was built. */
struct db_order {
    int built;
    int sort, include_archived;
    char *tag, *fts; /* NULL for none */
    size_t text_limit;
    size_t n;
    long long data_version; /* PRAGMA data_version: other connections' commits */
    long long file_version; /* db_file_version: this one's too */
    unsigned weights;       /* db->weights when built (goodwill order) */
};

struct db {
    sqlite3 *h;
    char *path; /* the journal's real name (symlinks followed): what SQLite opens */
    char *name; /* the path as the caller gave it, for messages */
    int readonly;
    char *ro_reason;        /* why a journal opened for writing can only be read, or NULL */
    sqlite3_int64 changes0; /* sqlite3_total_changes64 when the transaction began */
    int created;            /* db_open made the file */
    /* Every statement db_stmt made, never evicted: a statement may be
     * stepped under a caller while another is made. Bounded by the SQL
     * literals in the program. */
    struct db_cached *cache;
    int ncache, acache;
    /* Every statement db_stmt_built made, by its text (open addressing,
     * a power of two slots, at most half of them used). */
    struct db_built *built;
    size_t nbuilt, abuilt;
    int depth; /* nesting of db_begin: 1 is the transaction, more are savepoints */
    /* Goodwill weights for the C side of SQL (kith_goodwill, kith_stat):
     * "*" in wany, the other kinds in wv. */
    int wany[3];
    struct db_wkind *wv;
    size_t wn;
    struct db_reminder *rem;    /* the reminder evaluation's state (dbreminder.c) */
    int (*interrupt)(void *ud); /* db_set_interrupt's */
    void *interrupt_ud;
    unsigned weights;             /* counts db_set_weights calls */
    struct db_order order;
    /* How dbcontact.c found the last window of a search (enum dbcontact_way). */
    int search_way;
    struct db_history *hist; /* the undo history's recording (dbhistory.c) */
    /* dbsummary_ready's last look: the journal's weights were the
     * connection's (summary_ok) for these weights and data_version; a
     * read-only journal's balances are then in temporary tables (shadow). */
    int summary_ok, summary_shadow;
    unsigned summary_weights;
    long long summary_dv;
    struct db_sync *sync;    /* kith's own sync: capture and schema (dbsync.c) */
    /* dbconflict_run's: the first conflict id of this sync run (0: none
     * running), above which a contact's delete-against-edit is one row. */
    long long conflict_run;
};


/* db_backup with force, running then (SQL, NULL for none) on the copy
 * before it becomes dest: what the copy is not to carry. */
int db_backup_then(struct db *db, const char *dest, const char *then, struct kerr *e);

/* dbfile.c: opens path read-only as immutable: SQLite reads the file alone
 * (a log beside it ignored), creates nothing beside it (no -shm or -wal in
 * a folder another machine owns) and takes no lock. SQLite's result code;
 * *h is closed by the caller either way. */
int dbfile_open_immutable(const char *path, sqlite3 **h);

/* A prepared statement for sql, reset and with its bindings cleared. sql must
 * be a string literal: statements are cached by its address. NULL on error,
 * with the message in e. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct kerr *e);
/* A prepared statement for SQL built at run time (a table's or a column's
 * name in it), reset and with its bindings cleared: the same text gives
 * back the same statement, so a statement that applying a sync runs for
 * every row is compiled once per connection (with its triggers). Owned by
 * the connection: never finalized by the caller. Only for a set of texts
 * the schema bounds (a table's whole row; an UPDATE of one set of its
 * columns), never values, and stepped to its end or reset before anything
 * that may ask for the same text. NULL on error,
 * with the message in e (may be NULL). */
sqlite3_stmt *db_stmt_built(struct db *db, const char *sql, struct kerr *e);
/* Steps st to its end, handing each row to row() (a nonzero return stops
 * it), and resets it; K_OK, or K_ERR with "doing" in the message. */
int db_each(struct db *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *ud), void *ud,
            const char *doing, struct kerr *e);
/* Runs the cached statement sql (a string literal) with ?1 bound to arg and
 * no rows expected; K_OK or K_ERR with a message. */
int db_run_text(struct db *db, const char *sql, const char *arg, struct kerr *e);
/* Runs a statement that returns no rows; K_OK or K_ERR with a message. */
int db_step_done(struct db *db, sqlite3_stmt *st, struct kerr *e);
/* Why a connection (NULL: one that could not be made) failed at the system
 * level, in words: errno's, or a general phrase when there is none. */
const char *db_sys_reason(sqlite3 *h);
/* Sets e from the connection's last error, prefixed with what was being done. */
int db_fail(struct db *db, struct kerr *e, const char *doing);
/* The index of st's parameter name (":name"), for the binds of a statement
 * with more than one parameter: they name what they bind rather than
 * count (`db_bind_text(st, db_param(st, ":id"), id)`). A name st does not
 * have is a mistake in the code: assert()s. */
int db_param(sqlite3_stmt *st, const char *name);
/* Binds text or NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* As db_bind_text without SQLite's copy: s must stay unchanged until the
 * statement has been stepped to its end (db_step_done right after). */
void db_bind_text_static(sqlite3_stmt *st, int i, const char *s);
/* Binds a day number as YYYY-MM-DD, or NULL for KDATE_NONE. */
void db_bind_date(sqlite3_stmt *st, int i, int day);
/* Column helpers: a new string (free()) or NULL; a day number or KDATE_NONE. */
char *db_col_text(sqlite3_stmt *st, int i);
int db_col_date(sqlite3_stmt *st, int i);
/* Copies an id column into out ("" for NULL). */
void db_col_id(sqlite3_stmt *st, int i, char out[KID_LEN + 1]);

/* The weight of one interaction of kind (len bytes, not NUL-terminated) in
 * direction ("gave", "asked", anything else counts as mutual). */
int db_weight_of(const struct db *db, const char *kind, size_t len, const char *dir);

/* The goodwill balance of the interaction_contact rows (alias ic) of a
 * group, weighed in C with the connection's weights (kith_goodwill). */
#define DB_GOODWILL_OF_IC "coalesce(kith_goodwill(ic.kind, ic.direction), 0)"

/* The per-contact columns of a contact row c, from its summary row
 * (contact_summary, joined as cs by DB_JOIN_SUMMARY): last interaction,
 * gave, asked, mutual, goodwill. The store's readers call
 * dbsummary_ready first, so that the balances are weighed with the
 * connection's weights. */
#define DB_JOIN_SUMMARY    " LEFT JOIN contact_summary cs ON cs.contact_key = c.key"
#define DB_CONTACT_LAST_I  "cs.last AS last_i"
#define DB_CONTACT_GOODWILL "coalesce(cs.goodwill, 0) AS goodwill"
#define DB_CONTACT_STATS                                                                           \
    DB_CONTACT_LAST_I ", coalesce(cs.gave, 0) AS gave, coalesce(cs.asked, 0) AS asked,"            \
                      " coalesce(cs.mutual, 0) AS mutual, " DB_CONTACT_GOODWILL

/* The text of a contact row (alias P: new, or c) that full-text search
 * reads beside the name and company: schema version 1's columns, and since
 * version 7 what they need and offer. */
#define DB_CONTACT_FTS_BODY_V1(P)                                                                  \
    "coalesce(" P ".title, '') || ' ' || coalesce(" P ".location, '') || ' ' ||"                   \
    "  coalesce(" P ".how_met, '') || ' ' || coalesce(" P ".note, '') || ' ' ||"                   \
    "  coalesce(" P ".working_on, '')"
#define DB_CONTACT_FTS_BODY(P)                                                                     \
    DB_CONTACT_FTS_BODY_V1(P)                                                                      \
    " || ' ' || coalesce(" P ".needs, '') || ' ' ||"                                               \
    " coalesce(" P ".offers, '')"
/* The contact_fts triggers of the schema, shared with the bulk import that
 * drops them for its transaction (dbtransfer_fts_defer). The text is that
 * of the schema version that made them (1 and 2: _V1, 7: the current), so
 * that the schema reads the same afterwards; WHEN is empty or " WHEN
 * condition". */
#define DB_CONTACT_FTS_INSERT_OF(BODY)                                                             \
    " INSERT INTO contact_fts(rowid, name, company, body) VALUES (new.rowid, new.name,"            \
    "  new.company, " BODY ");"
/* clang-format off */
#define DB_CONTACT_FTS_AI_OF(BODY)                                                                 \
    "CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN"                                  \
    DB_CONTACT_FTS_INSERT_OF(BODY) " END;"
/* clang-format on */
#define DB_CONTACT_FTS_AU_OF(BODY, WHEN)                                                           \
    "CREATE TRIGGER contact_fts_au AFTER UPDATE ON contact" WHEN " BEGIN"                          \
    " DELETE FROM contact_fts WHERE rowid = old.rowid;" DB_CONTACT_FTS_INSERT_OF(BODY) " END;"
#define DB_CONTACT_FTS_AI_V1       DB_CONTACT_FTS_AI_OF(DB_CONTACT_FTS_BODY_V1("new"))
#define DB_CONTACT_FTS_AU_V1(WHEN) DB_CONTACT_FTS_AU_OF(DB_CONTACT_FTS_BODY_V1("new"), WHEN)
#define DB_CONTACT_FTS_AI          DB_CONTACT_FTS_AI_OF(DB_CONTACT_FTS_BODY("new"))
#define DB_CONTACT_FTS_AU(WHEN)    DB_CONTACT_FTS_AU_OF(DB_CONTACT_FTS_BODY("new"), WHEN)

/* SQL: 1 when the email column v looks like an address (as check_email
 * has it: one '@' with text on both sides, no blank or control character).
 * Import keeps what is not, as written; show flags it. */
#define DB_EMAIL_OK(v)                                                                             \
    "(" v " GLOB '?*@?*' AND " v " NOT GLOB '*@*@*' AND " v                                        \
    " NOT GLOB ('*[' || char(1) || '- ]*')"                                                        \
    " AND instr(" v ", char(127)) = 0)"

/* The members of a contact's JSON object (alias c) beyond kith's own
 * fields: what an import keeps (schema version 4). A leading comma. */
/* clang-format off */
#define DB_CONTACT_JSON_MORE                                                                       \
    ", 'n', json_object('family', c.n_family, 'given', c.n_given, 'additional', c.n_additional,"   \
    "  'prefix', c.n_prefix, 'suffix', c.n_suffix),"                                               \
    " 'nicknames', json((SELECT json_group_array(nickname) FROM (SELECT nickname FROM"             \
    "  contact_nickname k WHERE k.contact_id = c.id ORDER BY position))),"                         \
    " 'uids', json((SELECT json_group_array(uid) FROM (SELECT uid FROM contact_uid u"              \
    "  WHERE u.contact_id = c.id ORDER BY position))),"                                            \
    " 'details', json((SELECT json_group_array(json_object('type', type, 'value', value,"          \
    "  'label', label, 'property', prop,"                                                          \
    "  'valid', json(CASE WHEN type <> 'email' OR " DB_EMAIL_OK("value")                           \
    "   THEN 'true' ELSE 'false' END)))"                                                           \
    "  FROM (SELECT * FROM contact_detail d WHERE d.contact_id = c.id ORDER BY type, position))),"  \
    " 'addresses', json((SELECT json_group_array(json_object('label', label, 'pobox', pobox,"      \
    "  'ext', ext, 'street', street, 'locality', locality, 'region', region, 'code', code,"        \
    "  'country', country))"                                                                       \
    "  FROM (SELECT * FROM contact_address a WHERE a.contact_id = c.id ORDER BY position))),"       \
    " 'events', json((SELECT json_group_array(json_object('label', label, 'date', date))"          \
    "  FROM (SELECT * FROM contact_event v WHERE v.contact_id = c.id ORDER BY position))),"        \
    " 'vcard', json((SELECT json_group_array(line) FROM (SELECT line FROM contact_vcard x"         \
    "  WHERE x.contact_id = c.id ORDER BY position))),"                                            \
    " 'needs', json(kith_lines(c.needs)), 'offers', json(kith_lines(c.offers)),"                   \
    " 'cadence_days', c.cadence_days"
/* clang-format on */

/* ---- the per-contact summary (dbsummary.c) ------------------------------
 *
 * contact_summary holds, per contact, what lists, cards and reminder rules
 * read for it: the last interaction's day (last), how many interactions
 * fell on it (last_n) and the least (kind, direction) of them, the counts
 * per direction and the goodwill balance. It copies the contact's id,
 * name (since schema 12), folded name and archived flag, so that the
 * orders by last interaction and by balance are walks of its indexes, ties
 * in name order, and a reminder rule needs no seek into the contact
 * table for a contact it names. Triggers on contact and
 * interaction_contact keep it exact in the transaction of every write,
 * whatever program makes it: their SQL uses nothing of kith's, and the
 * balance weighs each interaction with the journal's goodwill_weight
 * table. */

/* The weight of the interaction_contact row R (an alias, new or old): its
 * kind's in the weights table W, else the "*" row's, else 0. */
#define DB_WEIGHT_OF(R, W)                                                                         \
    "coalesce((SELECT w.w FROM " W " w WHERE w.kind = " R ".kind"                                  \
    " AND w.direction = " R ".direction), (SELECT w.w FROM " W " w"                                \
    " WHERE w.kind = '*' AND w.direction = " R ".direction), 0)"

/* The last day of contact key K and what fell on it, as a row (last,
 * last_n, last_kind, last_direction); (NULL, 0, NULL, NULL) without
 * interactions. */
#define DB_SUMMARY_LAST(K)                                                                         \
    "(SELECT m.d, (SELECT count(*) FROM interaction_contact x WHERE x.contact_key = " K           \
    "  AND x.date = m.d), (SELECT x.kind FROM interaction_contact x WHERE x.contact_key = " K      \
    "  AND x.date = m.d ORDER BY x.kind, x.direction LIMIT 1), (SELECT x.direction"                \
    "  FROM interaction_contact x WHERE x.contact_key = " K " AND x.date = m.d"                    \
    "  ORDER BY x.kind, x.direction LIMIT 1)"                                                      \
    " FROM (SELECT max(x.date) AS d FROM interaction_contact x WHERE x.contact_key = " K ") m)"

/* The table T of the summary's shape. */
#define DB_SUMMARY_TABLE(T)                                                                        \
    "CREATE TABLE " T " ("                                                                         \
    " contact_key INTEGER PRIMARY KEY,"                                                            \
    " id TEXT NOT NULL, name_fold TEXT NOT NULL, archived INTEGER NOT NULL,"                       \
    " last TEXT, last_n INTEGER NOT NULL DEFAULT 0, last_kind TEXT, last_direction TEXT,"          \
    " gave INTEGER NOT NULL DEFAULT 0, asked INTEGER NOT NULL DEFAULT 0,"                          \
    " mutual INTEGER NOT NULL DEFAULT 0, goodwill INTEGER NOT NULL DEFAULT 0);"

/* Every contact's row, from scratch, into the empty table T of the
 * summary's shape, weighed with the weights table W. */
#define DB_SUMMARY_FILL(T, W)                                                                      \
    "INSERT INTO " T "(contact_key, id, name_fold, archived, gave, asked, mutual, goodwill)"      \
    " SELECT c.key, c.id, c.name_fold, c.archived, coalesce(a.gave, 0), coalesce(a.asked, 0),"     \
    " coalesce(a.mutual, 0), coalesce(a.goodwill, 0) FROM contact c"                               \
    " LEFT JOIN (SELECT x.contact_key, count(*) FILTER (WHERE x.direction = 'gave') AS gave,"      \
    "  count(*) FILTER (WHERE x.direction = 'asked') AS asked,"                                    \
    "  count(*) FILTER (WHERE x.direction = 'mutual') AS mutual,"                                  \
    "  sum(" DB_WEIGHT_OF("x", W) ") AS goodwill"                                                  \
    "  FROM interaction_contact x GROUP BY x.contact_key) a ON a.contact_key = c.key"              \
    " ORDER BY c.key;"                                                                             \
    "UPDATE " T " AS s SET (last, last_n, last_kind, last_direction) ="                            \
    " " DB_SUMMARY_LAST("s.contact_key") " WHERE s.gave + s.asked + s.mutual > 0"                 \
    " OR EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = s.contact_key);"

/* The indexes of the summary (table T, index names prefixed with P): one
 * per derived order (recent, silent, goodwill), each covering the walk of
 * its order and the archived filter. */
#define DB_SUMMARY_INDEXES(P, T)                                                                   \
    "CREATE INDEX " P "contact_summary_recent ON " T "(last DESC, name_fold, id, archived);"       \
    "CREATE INDEX " P "contact_summary_silent ON " T "(last, name_fold, id, archived);"            \
    "CREATE INDEX " P "contact_summary_goodwill ON " T "(goodwill DESC, name_fold, id, archived);"

/* The indexes of the summary's last day for the interaction rules (table
 * T, names prefixed with P), partial so that a contact without
 * interactions (a new one, an import's) costs them nothing: the rows whose
 * last day had one interaction, by its direction and kind (a rule with
 * kinds and a direction seeks the few that match), and the rows whose last
 * day had several (a few hundred in 100k), which such a rule looks at one
 * by one. */
#define DB_SUMMARY_LAST_INDEXES(P, T)                                                              \
    "CREATE INDEX " P "contact_summary_last_one ON " T "(last_direction, last_kind, last)"        \
    " WHERE last_n = 1;"                                                                           \
    "CREATE INDEX " P "contact_summary_last_many ON " T "(last) WHERE last_n > 1;"

/* One interaction_contact row R (new) added to its contact's row. */
#define DB_SUMMARY_LATER(R)                                                                        \
    "(last IS NULL OR " R ".date > last OR (" R ".date = last"                                     \
    " AND (" R ".kind, " R ".direction) < (last_kind, last_direction)))"
#define DB_SUMMARY_ADD(R)                                                                          \
    "UPDATE contact_summary SET"                                                                   \
    " gave = gave + (" R ".direction = 'gave'), asked = asked + (" R ".direction = 'asked'),"      \
    " mutual = mutual + (" R ".direction = 'mutual'),"                                             \
    " goodwill = goodwill + " DB_WEIGHT_OF(R, "goodwill_weight") ","                               \
    " last_n = CASE WHEN last IS NULL OR " R ".date > last THEN 1"                                 \
    "  WHEN " R ".date = last THEN last_n + 1 ELSE last_n END,"                                    \
    " last_kind = CASE WHEN " DB_SUMMARY_LATER(R) " THEN " R ".kind ELSE last_kind END,"           \
    " last_direction = CASE WHEN " DB_SUMMARY_LATER(R) " THEN " R ".direction"                     \
    "  ELSE last_direction END,"                                                                   \
    " last = CASE WHEN last IS NULL OR " R ".date > last THEN " R ".date ELSE last END"            \
    " WHERE contact_key = " R ".contact_key;"
/* One interaction_contact row R (old) taken from its contact's row: the
 * last day is looked up again when R was on it. */
#define DB_SUMMARY_SUB(R)                                                                          \
    "UPDATE contact_summary SET"                                                                   \
    " gave = gave - (" R ".direction = 'gave'), asked = asked - (" R ".direction = 'asked'),"      \
    " mutual = mutual - (" R ".direction = 'mutual'),"                                             \
    " goodwill = goodwill - " DB_WEIGHT_OF(R, "goodwill_weight") " WHERE contact_key = "         \
    R ".contact_key;"                                                                              \
    "UPDATE contact_summary SET (last, last_n, last_kind, last_direction) ="                       \
    " " DB_SUMMARY_LAST(R ".contact_key") " WHERE contact_key = " R ".contact_key"                \
    " AND last = " R ".date;"

/* The insert trigger as schema 8 made it (before the summary had names). */
#define DB_SUMMARY_CONTACT_AI_V8                                                                   \
    "CREATE TRIGGER contact_summary_ai AFTER INSERT ON contact BEGIN"                              \
    " INSERT OR REPLACE INTO contact_summary(contact_key, id, name_fold, archived, gave, asked,"   \
    "  mutual, goodwill) SELECT new.key, new.id, new.name_fold, new.archived,"                     \
    "  count(*) FILTER (WHERE x.direction = 'gave'), count(*) FILTER (WHERE x.direction ="         \
    "  'asked'), count(*) FILTER (WHERE x.direction = 'mutual'),"                                  \
    "  coalesce(sum(" DB_WEIGHT_OF("x", "goodwill_weight") "), 0)"                                 \
    "  FROM interaction_contact x WHERE x.contact_key = new.key;"                                  \
    " UPDATE contact_summary SET (last, last_n, last_kind, last_direction) ="                      \
    "  " DB_SUMMARY_LAST("new.key") " WHERE contact_key = new.key"                                \
    "  AND EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = new.key);"            \
    " END;"

/* The trigger that gives a new contact its row, from the interactions
 * already there (an undo may put them back before the contact). An import
 * drops it for its transaction and fills the rows of the contacts it added
 * in one statement (dbtransfer.c). */
#define DB_SUMMARY_CONTACT_AI                                                                      \
    "CREATE TRIGGER contact_summary_ai AFTER INSERT ON contact BEGIN"                              \
    " INSERT OR REPLACE INTO contact_summary(contact_key, id, name_fold, archived, gave, asked,"   \
    "  mutual, goodwill, name) SELECT new.key, new.id, new.name_fold, new.archived,"               \
    "  count(*) FILTER (WHERE x.direction = 'gave'), count(*) FILTER (WHERE x.direction ="         \
    "  'asked'), count(*) FILTER (WHERE x.direction = 'mutual'),"                                  \
    "  coalesce(sum(" DB_WEIGHT_OF("x", "goodwill_weight") "), 0), new.name"                       \
    "  FROM interaction_contact x WHERE x.contact_key = new.key;"                                  \
    " UPDATE contact_summary SET (last, last_n, last_kind, last_direction) ="                      \
    "  " DB_SUMMARY_LAST("new.key") " WHERE contact_key = new.key"                                \
    "  AND EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = new.key);"            \
    " END;"
/* The trigger that follows a contact's id, name and archived flag (a new
 * name with the same folded form too). */
#define DB_SUMMARY_CONTACT_AU                                                                      \
    "CREATE TRIGGER contact_summary_au AFTER UPDATE OF id, name, name_fold, archived ON contact"   \
    " BEGIN UPDATE contact_summary SET id = new.id, name_fold = new.name_fold,"                    \
    " archived = new.archived, name = new.name WHERE contact_key = new.key;"                       \
    " END;"

/* Schema 12: the summary copies the contact's name too, and the goodwill
 * index covers the goodwill rule (the balance, the last day, id and name),
 * so that the 22k contacts of a 100k journal below a balance are one range
 * of the index, not a seek into the contact table each. Applied to a table
 * T in schema 8's shape (the migration, and the temporary copies
 * dbsummary.c makes with DB_SUMMARY_TABLE and DB_SUMMARY_FILL), index
 * names prefixed with P. */
#define DB_SUMMARY_NAME(P, T)                                                                      \
    "ALTER TABLE " P T " ADD COLUMN name TEXT NOT NULL DEFAULT '';"                                \
    "UPDATE " P T " AS s SET name = c.name FROM main.contact c WHERE c.key = s.contact_key;"
#define DB_SUMMARY_GOODWILL_INDEX(P, T)                                                            \
    "DROP INDEX " P "contact_summary_goodwill;"                                                    \
    "CREATE INDEX " P "contact_summary_goodwill ON " T                                             \
    "(goodwill DESC, name_fold, id, archived, last, name);"

/* The triggers that keep contact_summary exact, as schema 8 made them
 * (schema 12 makes the contact table's two anew). A new contact's row is
 * made from the interactions already there (an undo may put them back
 * before the contact); a contact's row goes with it. An updated link is
 * added before the old one is taken away, so that the last day is looked
 * up at most once, and from the rows as they are now. */
#define DB_SUMMARY_TRIGGERS                                                                        \
    DB_SUMMARY_CONTACT_AI_V8                                                                       \
    "CREATE TRIGGER contact_summary_au AFTER UPDATE OF id, name_fold, archived ON contact BEGIN"    \
    " UPDATE contact_summary SET id = new.id, name_fold = new.name_fold, archived = new.archived"   \
    "  WHERE contact_key = new.key;"                                                               \
    " END;"                                                                                        \
    "CREATE TRIGGER contact_summary_ad AFTER DELETE ON contact BEGIN"                              \
    " DELETE FROM contact_summary WHERE contact_key = old.key;"                                    \
    " END;" DB_SUMMARY_LINK_TRIGGERS
#define DB_SUMMARY_LINK_TRIGGERS                                                                   \
    "CREATE TRIGGER interaction_contact_summary_ai AFTER INSERT ON interaction_contact BEGIN "      \
    DB_SUMMARY_ADD("new") " END;"                                                                  \
    "CREATE TRIGGER interaction_contact_summary_au AFTER UPDATE OF contact_key, date, kind,"       \
    " direction ON interaction_contact BEGIN " DB_SUMMARY_ADD("new") DB_SUMMARY_SUB("old")         \
    " END;"                                                                                        \
    "CREATE TRIGGER interaction_contact_summary_ad AFTER DELETE ON interaction_contact BEGIN "      \
    DB_SUMMARY_SUB("old") " END;"

/* The words of each contact's interactions (schema 14): one full-text
 * document per row of interaction_contact, holding the interaction's
 * summary and note under the rowid DB_LINK_FTS_ROWID(contact key,
 * interaction rowid). A search reads each hit's contact from its rowid
 * (rowid >> 32), where going from interaction_fts's hits through the
 * interaction's id to interaction_contact cost a seek into two large
 * b-trees per hit. Derived data, kept by triggers in the same transaction
 * as every write to interactions and their links (an interaction's
 * documents go before the interaction does: by the time its links are
 * deleted in cascade, its rowid can no longer be found); a contact key
 * outside 0..2^31-1 or an interaction rowid outside 0..2^32-1 (neither
 * happens unless a program writes them on purpose) has no document, and
 * dbsearch_links_usable then sends searches the old way. The rowids of one
 * contact are consecutive, so FTS5 writes them in order. */
/* clang-format off */
#define DB_LINK_FTS_ROWID(K, R) "((" K ") << 32) + (" R ")"
#define DB_LINK_FTS_IN_RANGE(K, R)                                                                 \
    "(" K ") BETWEEN 0 AND 2147483647 AND (" R ") BETWEEN 0 AND 4294967295"
#define DB_LINK_FTS_TABLE                                                                          \
    "CREATE VIRTUAL TABLE interaction_contact_fts USING fts5(summary, note,"                       \
    " tokenize = 'unicode61 remove_diacritics 2', columnsize = 0);"
/* Every link's document, in rowid order (FTS5 flushes its buffer whenever a
 * rowid is not above the last one), with a large buffer. */
#define DB_LINK_FTS_FILL                                                                           \
    "INSERT INTO interaction_contact_fts(interaction_contact_fts, rank)"                           \
    " VALUES ('hashsize', 33554432);"                                                              \
    "INSERT INTO interaction_contact_fts(rowid, summary, note)"                                    \
    " SELECT " DB_LINK_FTS_ROWID("ic.contact_key", "i.rowid") ", i.summary, i.note"                \
    " FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id"                  \
    " WHERE " DB_LINK_FTS_IN_RANGE("ic.contact_key", "i.rowid") " ORDER BY 1;"                     \
    "INSERT INTO interaction_contact_fts(interaction_contact_fts, rank)"                           \
    " VALUES ('hashsize', 1048576);"
/* The document of link row R (new or old), with the interaction's text. */
#define DB_LINK_FTS_ADD(R)                                                                         \
    " INSERT OR REPLACE INTO interaction_contact_fts(rowid, summary, note)"                        \
    " SELECT " DB_LINK_FTS_ROWID(R ".contact_key", "i.rowid") ", i.summary, i.note"                \
    " FROM interaction i WHERE i.id = " R ".interaction_id"                                        \
    " AND " DB_LINK_FTS_IN_RANGE(R ".contact_key", "i.rowid") ";"
#define DB_LINK_FTS_SUB(R)                                                                         \
    " DELETE FROM interaction_contact_fts WHERE rowid ="                                           \
    " (SELECT " DB_LINK_FTS_ROWID(R ".contact_key", "i.rowid") " FROM interaction i"               \
    " WHERE i.id = " R ".interaction_id"                                                           \
    " AND " DB_LINK_FTS_IN_RANGE(R ".contact_key", "i.rowid") ");"
/* The documents of every link of interaction I (new or old). */
#define DB_LINK_FTS_OF(I) " FROM interaction_contact ic WHERE ic.interaction_id = " I ".id"         \
    " AND " DB_LINK_FTS_IN_RANGE("ic.contact_key", I ".rowid")
/* SQLite 3.40 compiles a table's triggers newest first, and an FTS5
 * table's first use on a connection runs statements of its own, which
 * find the schema changed if another connection changed it since this
 * one last read it: the schema is then cleared in the middle of the
 * statement being compiled, and the triggers compiled after that one find
 * no tables ("no such table: interaction_contact", for another program's
 * write to the links). Schema 14 therefore makes the summary's link
 * triggers again after these, so that these are compiled last; kith's own
 * writes read the schema first (db_begin). */
#define DB_LINK_FTS_TRIGGERS                                                                       \
    "CREATE TRIGGER interaction_contact_fts_ai AFTER INSERT ON interaction_contact BEGIN"          \
    DB_LINK_FTS_ADD("new") " END;"                                                                 \
    "CREATE TRIGGER interaction_contact_fts_au AFTER UPDATE OF interaction_id, contact_key"        \
    " ON interaction_contact BEGIN" DB_LINK_FTS_SUB("old") DB_LINK_FTS_ADD("new") " END;"          \
    "CREATE TRIGGER interaction_contact_fts_ad AFTER DELETE ON interaction_contact BEGIN"          \
    DB_LINK_FTS_SUB("old") " END;"                                                                 \
    "CREATE TRIGGER interaction_link_fts_bd BEFORE DELETE ON interaction BEGIN"                   \
    " DELETE FROM interaction_contact_fts WHERE rowid IN"                                          \
    " (SELECT " DB_LINK_FTS_ROWID("ic.contact_key", "old.rowid") DB_LINK_FTS_OF("old") ");"        \
    " END;"                                                                                        \
    "CREATE TRIGGER interaction_link_fts_au AFTER UPDATE ON interaction BEGIN"                    \
    " DELETE FROM interaction_contact_fts WHERE rowid IN"                                          \
    " (SELECT " DB_LINK_FTS_ROWID("ic.contact_key", "old.rowid") DB_LINK_FTS_OF("old") ");"        \
    " INSERT OR REPLACE INTO interaction_contact_fts(rowid, summary, note)"                        \
    " SELECT " DB_LINK_FTS_ROWID("ic.contact_key", "new.rowid") ", new.summary, new.note"          \
    DB_LINK_FTS_OF("new") ";"                                                                      \
    " END;"
/* clang-format on */

/* Turns what a user typed into an FTS5 query: each word becomes a quoted
 * prefix term, so punctuation and FTS operators are taken literally. NULL
 * when there is no word. free() the result. */
char *db_fts_query(const char *text);

#endif
