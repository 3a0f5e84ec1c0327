#include "kith/core/history.h"

#include "kith/store/dbhistory.h"
#include "kith/util/kstr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(HISTORY_KEEP == DBHISTORY_KEEP, "one length of history");

void history_record(struct journal *j, const char *origin, enum history_mode mode)
{
    static const enum dbhistory_mode modes[] = {DBHISTORY_OFF, DBHISTORY_RECORD, DBHISTORY_BARRIER};
    dbhistory_record(journal_db(j), origin, modes[mode]);
}

void history_label(struct journal *j, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dbhistory_label(journal_db(j), buf, 0);
}

void history_label_clear(struct journal *j)
{
    dbhistory_label(journal_db(j), NULL, 0);
}

void history_label_default(struct journal *j, const char *label)
{
    dbhistory_label(journal_db(j), label, 1);
}

void history_step_clear(struct history_step *s)
{
    if (!s)
        return;
    kstr_free(&s->label);
    s->contact_id[0] = 0;
}

static int step(struct journal *j, const char *origin, int redo, struct history_step *out,
                struct kerr *e)
{
    struct dbhistory_step s;
    memset(out, 0, sizeof *out);
    int rc = redo ? dbhistory_redo(journal_db(j), origin, &s, e)
                  : dbhistory_undo(journal_db(j), origin, &s, e);
    if (rc == K_OK) {
        out->label = s.label;
        memcpy(out->contact_id, s.contact_id, sizeof out->contact_id);
    }
    return rc;
}

int history_undo(struct journal *j, const char *origin, struct history_step *out, struct kerr *e)
{
    return step(j, origin, 0, out, e);
}

int history_redo(struct journal *j, const char *origin, struct history_step *out, struct kerr *e)
{
    return step(j, origin, 1, out, e);
}

int history_list(struct journal *j, const char *origin, size_t limit, struct history_list *out,
                 struct kerr *e)
{
    struct dbhistory_list l;
    memset(out, 0, sizeof *out);
    int rc = dbhistory_list(journal_db(j), origin, limit, &l, e);
    if (rc != K_OK)
        return rc;
    out->v = kcalloc(l.n ? l.n : 1, sizeof *out->v);
    for (size_t i = 0; i < l.n; i++) {
        out->v[i].label = l.v[i].label;
        l.v[i].label = NULL;
        memcpy(out->v[i].at, l.v[i].at, sizeof out->v[i].at);
        out->v[i].undone = l.v[i].undone;
        out->v[i].kept = l.v[i].kept;
    }
    out->n = l.n;
    dbhistory_list_clear(&l);
    return K_OK;
}

void history_list_clear(struct history_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].label);
    free(l->v);
    memset(l, 0, sizeof *l);
}
