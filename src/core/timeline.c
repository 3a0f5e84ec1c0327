#include "kith/core/timeline.h"

#include "kith/store/dbtimeline.h"

#include <string.h>

int timeline_list(struct journal *j, const char *contact_id, size_t offset, size_t limit,
                  struct timeline *out, struct kerr *e)
{
    return dbtimeline_list(journal_db(j), contact_id, offset, limit, out, e);
}

int timeline_count(struct journal *j, const char *contact_id, size_t *n, struct kerr *e)
{
    return dbtimeline_count(journal_db(j), contact_id, n, e);
}

struct timeline_key timeline_key_of(const struct timeline_entry *t)
{
    struct timeline_key k;
    k.date = t->date;
    k.type = t->type;
    memcpy(k.id, t->id, sizeof k.id);
    k.inclusive = 0;
    return k;
}

int timeline_window(struct journal *j, const char *contact_id, const struct timeline_key *after,
                    const struct timeline_key *before, size_t limit, struct timeline *out,
                    struct kerr *e)
{
    return dbtimeline_window(journal_db(j), contact_id, after, before, limit, out, e);
}
