/* Undo and redo: each front end's changes to the journal, kept in the
 * journal so that they survive quitting (the store keeps each change as an
 * SQLite session changeset, see kith/store/dbhistory.h). The TUI records under
 * "tui" and the command line under "cli"; each undoes only its own
 * changes, and refuses, changing nothing, when rows it would undo were
 * changed since by anyone. The history is local state, not exported. */
#ifndef KITH_HISTORY_H
#define KITH_HISTORY_H

#include "kith/core/journal.h"

enum history_mode {
    HISTORY_OFF = 0,
    HISTORY_RECORD,  /* changes are kept to undo */
    HISTORY_BARRIER, /* bulk work: only a mark that undo stops at */
};

/* How many changes each front end's history keeps. */
#define HISTORY_KEEP 200

/* From now on, j's changes are recorded under origin ("tui", "cli") in
 * mode. */
void history_record(struct journal *j, const char *origin, enum history_mode mode);
/* What the next change does, in words for "undid ...": "deleted Ana Ruiz".
 * Journal text in it is kept as it is (escaped when shown). Used by the
 * next transaction only; history_label_clear forgets it unused. */
void history_label(struct journal *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void history_label_clear(struct journal *j);
/* The label of every change without its own ("kith edit ana --note x"). */
void history_label_default(struct journal *j, const char *label);

/* What an undo or redo did. */
struct history_step {
    char *label;                  /* owned */
    char contact_id[KID_LEN + 1]; /* a contact the change was about, or "" */
};
void history_step_clear(struct history_step *s);

/* Undoes origin's last change that is not undone, in one transaction.
 * K_NOTFOUND "nothing to undo"; K_ERR, changing nothing, when it cannot
 * be: rows it changed were changed since, undoing it would change rows made
 * since (an interaction logged with a contact whose adding is undone), or
 * it was bulk work. The message says which. */
int history_undo(struct journal *j, const char *origin, struct history_step *out, struct kerr *e);
/* Redoes origin's most recently undone change (a new change of origin ends
 * what can be redone); as history_undo otherwise. */
int history_redo(struct journal *j, const char *origin, struct history_step *out, struct kerr *e);

struct history_entry {
    char *label;
    char at[32]; /* when, in UTC: YYYY-MM-DDTHH:MM:SS.sssZ */
    int undone;
    int kept; /* 0: bulk work, cannot be undone */
};
struct history_list {
    struct history_entry *v;
    size_t n;
};
/* origin's history, newest first (limit 0: all). Clear with
 * history_list_clear. */
int history_list(struct journal *j, const char *origin, size_t limit, struct history_list *out,
                 struct kerr *e);
void history_list_clear(struct history_list *l);

#endif
