/* The journal: the core's handle on one kith file and its settings.
 *
 * Every core function takes a struct journal. It fixes "today" when opened
 * ($KITH_TODAY or the local date) so that one command sees one date. */
#ifndef KITH_JOURNAL_H
#define KITH_JOURNAL_H

#include "kith/config/config.h"
#include "kith/util/kerr.h"
#include "kith/util/model.h"

struct journal;
struct db;
struct sbuf;

enum journal_flags {
    JOURNAL_CREATE = 1,   /* create the file when missing */
    JOURNAL_READONLY = 2, /* never write */
};

/* Opens the journal at path with the settings in cfg, which the journal
 * borrows: keep cfg alive until journal_close. On success *out owns the
 * journal. Errors as for db_open, plus a bad $KITH_TODAY (K_USAGE). */
typedef void (*journal_notice_fn)(const char *msg, void *ud);
/* As journal_open; notice (may be NULL) receives a line for the user before
 * a step that can take long (an upgrade of an older journal). */
int journal_open_notice(const char *path, const struct config *cfg, int flags,
                        journal_notice_fn notice, void *ud, struct journal **out, struct kerr *e);
int journal_open(const char *path, const struct config *cfg, int flags, struct journal **out,
                 struct kerr *e);
/* Closes and sets *j to NULL. Accepts NULL. */
void journal_close(struct journal **j);
/* 1 when opening made the journal's file (see db_created). */
int journal_created(const struct journal *j);
/* Closes, and removes the journal if opening made it (see db_discard). */
void journal_discard(struct journal **j);
/* The day number of "today" for this journal. */
int journal_today(const struct journal *j);
/* Overrides "today" (the TUI moves it at midnight; tests pin it). */
void journal_set_today(struct journal *j, int today);
const struct config *journal_config(const struct journal *j);
const char *journal_path(const struct journal *j);
/* kith's command line up to the command, as a message suggests a command
 * on this journal ("kith sync forget ..."): "kith", or what the front end
 * set (with --db PATH when the journal was named so: a command pasted
 * from the message acts on this journal, not the default one). */
void journal_set_command(struct journal *j, const char *command);
const char *journal_command(const struct journal *j);
/* The store connection, for core modules only. */
struct db *journal_db(struct journal *j);
/* 1 when another connection committed a change since the last call (the
 * first call returns 0). Cheap enough to poll several times a second. */
int journal_changed(struct journal *j);
/* A number that moves whenever the journal may have changed since the last
 * call, by this process or another (journal_changed sees only others):
 * what was read at one number may be reused while it stays the same.
 * Independent of journal_changed. */
long long journal_generation(struct journal *j);
/* While fn is set, work on the journal stops early with K_INTERRUPTED when
 * fn(ud) returns nonzero (it is asked often: keep it quick, and do not use
 * the journal in it). Set it only around a call that says it may be
 * interrupted (reminder_evaluate), and remove it after. NULL removes it. */
void journal_set_interrupt(struct journal *j, int (*fn)(void *ud), void *ud);
/* One transaction around several core actions (an import, the demo, an
 * undo): the core's own functions nest inside it as savepoints. Every
 * journal_begin is matched by journal_commit or journal_rollback; after a
 * failed journal_commit, call journal_rollback. */
int journal_begin(struct journal *j, struct kerr *e);
int journal_commit(struct journal *j, struct kerr *e);
void journal_rollback(struct journal *j);
/* A consistent copy at dest, written as db_backup says: never over the
 * journal or a non-regular file; an existing dest only with force. */
int journal_backup(struct journal *j, const char *dest, int force, struct kerr *e);
/* Replaces the journal at path (not open) with a copy of backup, after
 * checking that backup is an intact kith journal; the journal it replaces
 * is moved aside, and *aside (free()) says where, NULL when there was none.
 * See dbfile_restore. */
int journal_restore(const char *path, const char *backup, char **aside, struct kerr *e);
/* What journal_check found. */
struct journal_check {
    char *damage;       /* SQLite's quick check: NULL when the file is sound */
    size_t contacts;    /* contacts in the journal */
    size_t off;         /* contacts whose summary row was not what their
                           interactions give (missing or wrong) */
    size_t extra;       /* summary rows without a contact */
    int weights;        /* the journal's goodwill weights were not the config's */
    int repaired;       /* the summary was rebuilt */
    size_t links;       /* links between interactions and contacts */
    size_t links_off;   /* search index documents missing, wrong or of no link */
    int index_damaged;  /* the search index differs from its own documents */
    int index_repaired; /* the search index was made anew */
    int index_unchecked; /* FTS5's own check of the index not made (read-only) */
};
/* Checks the journal: SQLite's quick check of the file, then the
 * per-contact summary (last interaction, counts, goodwill) and the search
 * index of contacts' interactions against the interactions. With repair,
 * either found off is rebuilt (one transaction each); a damaged file is
 * never touched. Clear out with journal_check_clear. */
int journal_check(struct journal *j, int repair, struct journal_check *out, struct kerr *e);
void journal_check_clear(struct journal_check *c);
/* Shortest unique prefix of an id in a table ("contact", "referral",
 * "interaction", "thanks"), for display. out has KID_LEN + 1 bytes. */
void journal_short_id(struct journal *j, const char *table, const char *id, char out[KID_LEN + 1]);

/* A query that matches several rows: sets e (K_USAGE) to "SHOWN matches
 * several WHAT; use more of HINT:", the rows (each "\n  ID  ...", see
 * journal_ambiguous_row), then "\n  ..." when more matched than are listed.
 * SHOWN is the query as the message shows it (escaped by the caller).
 * Returns K_USAGE. */
int journal_ambiguous(const char *shown, const char *what, const char *hint,
                      const struct sbuf *rows, int more, struct kerr *e);
/* Appends the row "\n  ID  TEXT" to rows, TEXT escaped for a terminal. */
void journal_ambiguous_row(struct sbuf *rows, const char *id, const char *text);

/* text as a JSON string with its quotes, made by SQLite's json_quote; *out
 * is a new string: free(). */
int journal_json_quote(struct journal *j, const char *text, char **out, struct kerr *e);

/* Receives one JSON object per call from the core's *_json functions. */
typedef kjson_cb journal_json_cb;

#endif
