/* Interactions: dated events with one or more contacts, each a deposit
 * (gave), a withdrawal (asked) or mutual. */
#ifndef KITH_INTERACTION_H
#define KITH_INTERACTION_H

#include "kith/core/challenge.h"
#include "kith/core/journal.h"
#include "kith/util/model.h"

struct interaction_input {
    const char *const *contact_ids; /* at least one */
    size_t ncontacts;
    const char *kind; /* any non-empty word; config names the known ones */
    enum kdir dir;
    int date;            /* KDATE_NONE: today */
    const char *summary; /* may be NULL */
    const char *note;    /* may be NULL */
};

/* Logs an interaction; writes its id into id. */
int interaction_log(struct journal *j, const struct interaction_input *in, char id[KID_LEN + 1],
                    struct kerr *e);
/* As interaction_log, and in the same transaction ticks its day of the
 * running challenge as tick says (challenge_tick_act): with
 * CHALLENGE_TICK_AUTO only a gave or mutual interaction does. *ticked (may
 * be NULL) as challenge_tick_act sets it. */
int interaction_log_act(struct journal *j, const struct interaction_input *in,
                        enum challenge_tick_mode tick, char id[KID_LEN + 1], int *ticked,
                        struct kerr *e);
/* Deletes one interaction. */
int interaction_delete(struct journal *j, const char *id, struct kerr *e);
/* Finds an interaction by id prefix. */
int interaction_resolve(struct journal *j, const char *prefix, char id[KID_LEN + 1],
                        struct kerr *e);

struct interaction_query {
    const char *contact_id; /* NULL: every contact */
    int since, until;       /* inclusive; KDATE_NONE for open ends */
    const char *kind;       /* NULL: every kind */
    int oldest_first;       /* default: newest first */
    size_t offset;
    size_t limit; /* 0: no limit */
};
/* A window of interactions, with their contacts. Clear with
 * interaction_list_clear. */
int interaction_list(struct journal *j, const struct interaction_query *q,
                     struct interaction_list *out, struct kerr *e);
/* One JSON object per interaction: id, date, kind, direction, contacts
 * (array of {id, name}), summary, note. */
int interaction_each_json(struct journal *j, const struct interaction_query *q, journal_json_cb cb,
                          void *ud, struct kerr *e);

#endif
