/* Store: the undo history. While recording, every transaction's changes to
 * the journal's tables are captured with SQLite's session extension and
 * kept, as a changeset, in the journal's history table in the same
 * transaction; undo applies the inverse changeset and redo the changeset
 * again, each refusing (and saying so) when the rows changed since. The
 * changesets are the format SQLite's sessions exchange, so the same record
 * can carry changes between journals later.
 *
 * History is local state: it is not part of the journal's export. Each
 * front end ("origin": "tui", "cli") has a history of its own; the last
 * DBHISTORY_KEEP entries of each are kept. */
#ifndef KITH_DBHISTORY_H
#define KITH_DBHISTORY_H

#include "kith/store/db.h"

#define DBHISTORY_KEEP 200

enum dbhistory_mode {
    DBHISTORY_OFF = 0,
    /* Every transaction's changes are kept and can be undone. */
    DBHISTORY_RECORD,
    /* Bulk work (an import, the demo): too large to keep; a transaction
     * that changes anything leaves a mark that undo stops at, so that undo
     * never skips over it to something older. */
    DBHISTORY_BARRIER,
};

/* From now on, transactions on db are recorded under origin (copied) in
 * mode; DBHISTORY_OFF stops. */
void dbhistory_record(struct db *db, const char *origin, enum dbhistory_mode mode);
/* What the next recorded transaction does, in words ("deleted Ana Ruiz");
 * used once. Without one, the default label (set with fallback = 1, kept
 * until replaced) is used, else "a change". */
void dbhistory_label(struct db *db, const char *label, int fallback);
/* While paused (calls nest), transactions are not recorded: changes
 * applied from another journal by a sync are nobody's action here. */
void dbhistory_pause(struct db *db, int on);

/* What an undo or redo did. */
struct dbhistory_step {
    long long seq;
    char *label;                  /* owned */
    char contact_id[KID_LEN + 1]; /* a contact the change was about, or "" */
};
void dbhistory_step_clear(struct dbhistory_step *s);

/* Undoes origin's most recent change that is not undone, in one
 * transaction. K_NOTFOUND "nothing to undo"; K_ERR (nothing changed) when
 * the change cannot be undone: rows it changed were changed since, or
 * undoing it would change rows made since, or it was bulk work. The
 * message says which. */
int dbhistory_undo(struct db *db, const char *origin, struct dbhistory_step *out, struct kerr *e);
/* Redoes origin's most recently undone change (a new change of origin
 * ends what can be redone). As dbhistory_undo otherwise. */
int dbhistory_redo(struct db *db, const char *origin, struct dbhistory_step *out, struct kerr *e);

struct dbhistory_entry {
    long long seq;
    char *label;
    char at[32]; /* when, YYYY-MM-DDTHH:MM:SS.sssZ */
    int undone;
    int kept; /* 0: bulk work, cannot be undone */
};
struct dbhistory_list {
    struct dbhistory_entry *v;
    size_t n;
};
/* origin's history, newest first, at most limit entries (0: all). Clear
 * with dbhistory_list_clear. */
int dbhistory_list(struct db *db, const char *origin, size_t limit, struct dbhistory_list *out,
                   struct kerr *e);
void dbhistory_list_clear(struct dbhistory_list *l);

/* For db.c: the recording around each outermost transaction. */
void dbhistory_tx_begin(struct db *db);
/* Before COMMIT: keeps what the transaction changed. */
int dbhistory_tx_commit(struct db *db, struct kerr *e);
/* After COMMIT or ROLLBACK. */
void dbhistory_tx_end(struct db *db);
/* Frees db's history state (db_close). */
void dbhistory_free(struct db *db);

#endif
