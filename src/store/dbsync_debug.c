/* kith's sync: diagnostics for a divergence hunt (tests/README.md). With
 * KITH_SYNC_DEBUG=TABLE:PK set, each change of that row that an apply
 * meets (applied, parked, left out) and the row's clock after it go to
 * stderr; unset, nothing is written and nothing is read. The test of the
 * property runs three replicas in one process, so each line names the
 * replica applying and the one whose change it is. */
#include "dbsync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when one is "table:pk" ('|' for the key's separator). */
static int names(const char *one, size_t len, const char *table, const char *pk)
{
    size_t n = strlen(table);
    if (len <= n || strncmp(one, table, n) || one[n] != ':')
        return 0;
    /* A key of several columns is joined by a unit separator: '|' here. */
    const char *w = one + n + 1, *end = one + len;
    for (; w < end && *pk; w++, pk++)
        if (*w != *pk && !(*w == '|' && *pk == '\x1f'))
            return 0;
    return w == end && !*pk;
}

int dbsync_debug_on(const char *table, const char *pk)
{
    const char *want = getenv("KITH_SYNC_DEBUG");
    if (!want || !*want || !table || !pk)
        return 0;
    /* Several rows: comma-separated. */
    for (const char *p = want; *p;) {
        size_t len = strcspn(p, ",");
        if (names(p, len, table, pk))
            return 1;
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

static void print_vals(const char *label, const struct val *v, int ncol)
{
    fprintf(stderr, " %s=[", label);
    for (int i = 0; v && i < ncol; i++) {
        char *s = v[i].type ? dbsync_val_str(&v[i]) : NULL;
        fprintf(stderr, "%s%s", i ? "|" : "",
                !v[i].type                 ? "-"
                : v[i].type == SQLITE_NULL ? "NULL"
                                           : (s ? s : "?"));
        free(s);
    }
    fprintf(stderr, "]");
}

static void who(struct ap *a)
{
    char self[DBSYNC_ID_LEN + 1] = "";
    dbsync_replica(a->db, self, NULL);
    fprintf(stderr, "sync debug: at %.6s from %.6s stamp %lld:%.6s", self, a->replica,
            (long long)a->st.hlc, a->st.rep);
}

void dbsync_debug_change(struct ap *a, const char *what, const struct stable *t, int ncol, int op,
                         const struct val *oldw, const struct val *neww, const char *pk)
{
    if (!dbsync_debug_on(t->name, pk))
        return;
    who(a);
    fprintf(stderr, "%s %s %s", a->unparking ? " (unparking)" : "", what,
            op == SQLITE_INSERT   ? "insert"
            : op == SQLITE_UPDATE ? "update"
                                  : "delete");
    if (op != SQLITE_INSERT)
        print_vals("old", oldw, ncol);
    if (op != SQLITE_DELETE)
        print_vals("new", neww, ncol);
    fprintf(stderr, "\n");
}

void dbsync_debug_clock(struct ap *a, const char *what, const char *table, const char *pk)
{
    if (!dbsync_debug_on(table, pk))
        return;
    struct clock c;
    who(a);
    if (dbsync_clock_get(a->db, table, pk, &c, NULL) == K_OK)
        fprintf(stderr, " %s: clock %s %lld:%.6s cols %s\n", what,
                !c.found  ? "none"
                : c.alive ? "alive"
                          : "deleted",
                (long long)c.row.hlc, c.row.rep, c.cols ? c.cols : "");
    dbsync_clock_clear(&c);
}
