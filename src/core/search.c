#include "kith/core/search.h"

#include "kith/core/check.h"
#include "kith/core/contact.h"
#include "kith/store/db.h"
#include "kith/store/dbinteraction.h"
#include "kith/store/dbsearch.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int search_interactions(struct journal *j, const char *query, size_t offset, size_t limit,
                        struct interaction_list *out, struct kerr *e)
{
    memset(out, 0, sizeof *out);
    if (check_text("search", query, CHECK_SHORT_MAX, e) != K_OK)
        return K_USAGE;
    char *fts = dbsearch_fts_query(query);
    if (!fts)
        return K_OK;
    struct dbinteraction_query d = {0};
    d.since = d.until = KDATE_NONE;
    d.fts = fts;
    d.offset = offset;
    d.limit = limit;
    int rc = dbinteraction_list(journal_db(j), &d, out, e);
    free(fts);
    return rc;
}

struct collect {
    struct sbuf *b;
    int first;
};

static int add_json(const char *json, void *ud)
{
    struct collect *c = ud;
    if (!c->first)
        sbuf_addc(c->b, ',');
    c->first = 0;
    sbuf_add(c->b, json);
    return 0;
}

int search_json(struct journal *j, const char *query, size_t limit, char **json, struct kerr *e)
{
    return search_json_all(j, query, limit, 0, json, e);
}

int search_json_all(struct journal *j, const char *query, size_t limit, int include_archived,
                    char **json, struct kerr *e)
{
    struct sbuf b = {0};
    char *fts = NULL, *quoted = NULL;
    int rc;
    *json = NULL;
    if ((rc = check_text("search", query, CHECK_SHORT_MAX, e)) != K_OK)
        goto out;
    if ((rc = dbsearch_json_string(journal_db(j), query, &quoted, e)) != K_OK)
        goto out;
    sbuf_printf(&b, "{\"query\":%s,\"contacts\":[", quoted);
    struct contact_query q = {0};
    q.search = query;
    q.limit = limit;
    q.include_archived = include_archived;
    struct collect c = {&b, 1};
    if ((rc = contact_each_json(j, &q, add_json, &c, e)) != K_OK)
        goto out;
    sbuf_add(&b, "],\"interactions\":[");
    fts = dbsearch_fts_query(query);
    if (fts) {
        struct dbinteraction_query d = {0};
        d.since = d.until = KDATE_NONE;
        d.fts = fts;
        d.limit = limit;
        c.first = 1;
        if ((rc = dbinteraction_each_json(journal_db(j), &d, add_json, &c, e)) != K_OK)
            goto out;
    }
    sbuf_add(&b, "]}");
    *json = sbuf_take(&b);
out:
    sbuf_free(&b);
    free(fts);
    free(quoted);
    return rc;
}
