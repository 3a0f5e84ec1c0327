#include "kith/timeline.h"

#include "kith/dbtimeline.h"

int timeline_list(struct journal *j, const char *contact_id, size_t offset, size_t limit,
                  struct timeline *out, struct kerr *e)
{
    return dbtimeline_list(journal_db(j), contact_id, offset, limit, out, e);
}

int timeline_count(struct journal *j, const char *contact_id, size_t *n, struct kerr *e)
{
    return dbtimeline_count(journal_db(j), contact_id, n, e);
}
