/* Pay it forward: a gift expecting nothing ("helped a student with her
 * resume"), to a contact or to someone not in the journal. It counts as a
 * networking act (for the challenge and in the stats) and never moves
 * goodwill: it is not an interaction. */
#ifndef KITH_FORWARD_H
#define KITH_FORWARD_H

#include "kith/core/challenge.h"
#include "kith/core/journal.h"
#include "kith/util/model.h"

struct forward_input {
    const char *text;       /* what was given; one line, required */
    const char *contact_id; /* to this contact; NULL or "": someone not in the journal */
    int date;               /* KDATE_NONE: today; not in the future */
    const char *note;       /* may be NULL */
};

/* Records a pay-it-forward, and with it (as tick says, see
 * challenge_tick_act) ticks its day of the running challenge, in one
 * transaction. Writes its id into id and into *ticked (may be NULL) what
 * challenge_tick_act said. */
int forward_add(struct journal *j, const struct forward_input *in, enum challenge_tick_mode tick,
                char id[KID_LEN + 1], int *ticked, struct kerr *e);

struct forward_query {
    const char *contact_id; /* NULL: everyone */
    int since, until;       /* inclusive; KDATE_NONE for open ends */
    size_t offset, limit;   /* limit 0: no limit */
};
/* A window of pay-it-forwards, newest first. Clear with
 * forward_list_clear. */
int forward_list(struct journal *j, const struct forward_query *q, struct forward_list *out,
                 struct kerr *e);
/* The same, one JSON object each: id, date, text, contact ({id, name} or
 * null), note. */
int forward_each_json(struct journal *j, const struct forward_query *q, journal_json_cb cb,
                      void *ud, struct kerr *e);

#endif
