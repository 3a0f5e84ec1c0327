#include "kith/cli/cli_conflict.h"

#include <stdlib.h>

void cli_conflict_quote(struct journal *j, struct sbuf *b, const char *s)
{
    char *q = NULL;
    struct kerr e;
    if (s && journal_json_quote(j, s, &q, &e) == K_OK)
        sbuf_add(b, q);
    else
        sbuf_add(b, "null");
    free(q);
}

void cli_conflict_json(struct journal *j, struct sbuf *b, const struct kconflict *c,
                       enum cli_conflict_keys keys)
{
    static const char *const sync_keys[] = {"at",    "replica", "entity", "id",  "name",
                                            "field", "kept",    "other",  "rule"};
    static const char *const vdir_keys[] = {"contact_id", "name", "field", "kept",
                                            "other",      "file", "rule"};
    const char *sync_vals[] = {c->at,    c->place, c->entity, c->entity_id, c->name,
                               c->field, c->kept,  c->other,  c->rule};
    const char *vdir_vals[] = {c->entity_id, c->name,  c->field, c->kept,
                               c->other,     c->place, c->rule};
    int sync = keys == CLI_CONFLICT_SYNC;
    const char *const *k = sync ? sync_keys : vdir_keys;
    const char *const *v = sync ? sync_vals : vdir_vals;
    size_t n = sync ? sizeof sync_keys / sizeof *sync_keys : sizeof vdir_keys / sizeof *vdir_keys;
    sbuf_addc(b, '{');
    for (size_t i = 0; i < n; i++) {
        sbuf_printf(b, "%s\"%s\":", i ? "," : "", k[i]);
        cli_conflict_quote(j, b, v[i]);
    }
    sbuf_addc(b, '}');
}

/* A value on one line: its lines joined with "; ". */
char *cli_conflict_one_line(const char *s)
{
    struct sbuf b = {0};
    sbuf_addn(&b, "", 0);
    for (; s && *s; s++) {
        if (*s == '\n')
            sbuf_add(&b, "; ");
        else
            sbuf_addc(&b, *s);
    }
    return sbuf_take(&b);
}
