/* Shared by the store modules only: the connection and statement helpers. */
#ifndef KITH_DB_INTERNAL_H
#define KITH_DB_INTERNAL_H

#include "kith/db.h"

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
    struct db_cached cache[96];
    int ncache;
    int depth; /* nesting of db_begin: 1 is the transaction, more are savepoints */
    /* Goodwill weights for the C side of SQL (kith_goodwill, kith_stat):
     * "*" in wany, the other kinds in wv. */
    int wany[3];
    struct db_wkind *wv;
    size_t wn;
    int reminder_fns; /* dbreminder's SQL functions are registered */
    int reminder_ids; /* temp.reminder_rid matches the last evaluation */
    struct db_rid {
        uint64_t rid;      /* a reminder's id (kith_rid) as a number */
        sqlite3_int64 due; /* its row in temp.reminder_due */
    } * rids;              /* sorted by rid (dbreminder.c's ensure_ids) */
    size_t nrids;
    char stat_today[10];        /* the day kith_stat counts up to, YYYY-MM-DD */
    int (*interrupt)(void *ud); /* db_set_interrupt's */
    void *interrupt_ud;
    /* The per-contact pass on two cores (dbreminder.c): a second read-only
     * connection, opened on first use; from how many interactions on it is
     * used (-1: never); how many connections the last pass ran on. */
    sqlite3 *stat_h;
    long stat_split_min;
    int stat_conns;
    const struct stat_pass *stat; /* the pass's rows, during an evaluation */
    unsigned weights;             /* counts db_set_weights calls */
    struct db_order order;
    struct db_history *hist; /* the undo history's recording (dbhistory.c) */
};


/* A prepared statement for sql, reset and with its bindings cleared. sql must
 * be a string literal: statements are cached by its address. NULL on error,
 * with the message in e. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct kerr *e);
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
 * group: kith_goodwill weighs each in C. Weighing a row in SQL took two
 * lookups in a weight table, which made goodwill most of the cost of
 * listing or exporting a large journal. */
#define DB_GOODWILL_OF_IC "coalesce(kith_goodwill(ic.kind, ic.direction), 0)"

/* Derived per-contact columns for a contact row aliased c: last interaction,
 * gave, asked, mutual, goodwill. Each is an index range scan. */
#define DB_CONTACT_LAST_I                                                                          \
    "(SELECT max(ic.date) FROM interaction_contact ic WHERE ic.contact_key = c.key) AS last_i"
#define DB_CONTACT_GOODWILL                                                                        \
    "(SELECT " DB_GOODWILL_OF_IC " FROM interaction_contact ic WHERE ic.contact_key = c.key)"      \
    " AS goodwill"
#define DB_CONTACT_STATS                                                                           \
    DB_CONTACT_LAST_I ","                                                                          \
                      " (SELECT count(*) FROM interaction_contact ic WHERE ic.contact_key = c.key" \
                      "  AND ic.direction = 'gave') AS gave,"                                      \
                      " (SELECT count(*) FROM interaction_contact ic WHERE ic.contact_key = c.key" \
                      "  AND ic.direction = 'asked') AS asked,"                                    \
                      " (SELECT count(*) FROM interaction_contact ic WHERE ic.contact_key = c.key" \
                      "  AND ic.direction = 'mutual') AS mutual, " DB_CONTACT_GOODWILL

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
#define DB_CONTACT_JSON_MORE                                                                       \
    ", 'n', json_object('family', c.n_family, 'given', c.n_given, 'additional', c.n_additional,"   \
    "  'prefix', c.n_prefix, 'suffix', c.n_suffix),"                                               \
    " 'nicknames', json((SELECT json_group_array(nickname) FROM (SELECT nickname FROM"             \
    "  contact_nickname k WHERE k.contact_id = c.id ORDER BY position))),"                         \
    " 'uids', json((SELECT json_group_array(uid) FROM (SELECT uid FROM contact_uid u"              \
    "  WHERE u.contact_id = c.id ORDER BY position))),"                                            \
    " 'details', json((SELECT json_group_array(json_object('type', type, 'value', value,"          \
    "  'label', label, 'property', prop, 'valid', json(CASE WHEN type <> 'email' OR " DB_EMAIL_OK( \
        "value") " THEN 'true' ELSE 'false' END))) FROM (SELECT * FROM contact_detail d"           \
                 "  WHERE d.contact_id = c.id ORDER BY type, position))),"                         \
                 " 'addresses', json((SELECT json_group_array(json_object('label', label, "        \
                 "'pobox', pobox,"                                                                 \
                 "  'ext', ext, 'street', street, 'locality', locality, 'region', region, "        \
                 "'code', code,"                                                                   \
                 "  'country', country)) FROM (SELECT * FROM contact_address a WHERE "             \
                 "a.contact_id = c.id"                                                             \
                 "  ORDER BY position))),"                                                         \
                 " 'events', json((SELECT json_group_array(json_object('label', label, 'date', "   \
                 "date)) FROM"                                                                     \
                 "  (SELECT * FROM contact_event v WHERE v.contact_id = c.id ORDER BY "            \
                 "position))),"                                                                    \
                 " 'vcard', json((SELECT json_group_array(line) FROM (SELECT line FROM "           \
                 "contact_vcard x"                                                                 \
                 "  WHERE x.contact_id = c.id ORDER BY position))),"                               \
                 " 'needs', json(kith_lines(c.needs)), 'offers', json(kith_lines(c.offers)),"      \
                 " 'cadence_days', c.cadence_days"

/* Turns what a user typed into an FTS5 query: each word becomes a quoted
 * prefix term, so punctuation and FTS operators are taken literally. NULL
 * when there is no word. free() the result. */
char *db_fts_query(const char *text);

#endif
