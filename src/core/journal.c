#include "kith/core/journal.h"

#include "kith/store/db.h"
#include "kith/store/dbsearch.h"
#include "kith/store/dbsummary.h"
#include "kith/store/dbfile.h"
#include "kith/core/goodwill.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

struct journal {
    struct db *db;
    const struct config *cfg;
    int today;
    long long data_version;
    /* journal_generation's last look at both counters, and its number */
    long long gen_version, gen_changes, gen;
    char *command; /* journal_set_command's, or NULL: "kith" */
};

int journal_open(const char *path, const struct config *cfg, int flags, struct journal **out,
                 struct kerr *e)
{
    return journal_open_notice(path, cfg, flags, NULL, NULL, out, e);
}

int journal_open_notice(const char *path, const struct config *cfg, int flags,
                        journal_notice_fn notice, void *ud, struct journal **out, struct kerr *e)
{
    struct journal *j = kcalloc(1, sizeof *j);
    int rc;
    *out = NULL;
    j->cfg = cfg;
    if ((rc = kdate_today(&j->today, e)) != K_OK)
        goto out;
    int dbflags =
        ((flags & JOURNAL_CREATE) ? DB_CREATE : 0) | ((flags & JOURNAL_READONLY) ? DB_READONLY : 0);
    if ((rc = db_open_notice(path, dbflags, notice, ud, &j->db, e)) != K_OK)
        goto out;
    if (cfg && (rc = goodwill_apply_weights(j, cfg, e)) != K_OK)
        goto out;
    j->data_version = db_data_version(j->db);
out:
    if (rc != K_OK) {
        journal_close(&j);
        return rc;
    }
    *out = j;
    return K_OK;
}

void journal_close(struct journal **pj)
{
    if (!pj || !*pj)
        return;
    db_close(&(*pj)->db);
    free((*pj)->command);
    free(*pj);
    *pj = NULL;
}

int journal_created(const struct journal *j)
{
    return db_created(j->db);
}

void journal_discard(struct journal **pj)
{
    if (!pj || !*pj)
        return;
    db_discard(&(*pj)->db);
    free((*pj)->command);
    free(*pj);
    *pj = NULL;
}

int journal_today(const struct journal *j)
{
    return j->today;
}

void journal_set_today(struct journal *j, int today)
{
    j->today = today;
}

const struct config *journal_config(const struct journal *j)
{
    return j->cfg;
}

const char *journal_path(const struct journal *j)
{
    return db_path(j->db);
}

void journal_set_command(struct journal *j, const char *command)
{
    free(j->command);
    j->command = command ? kstr_dup(command) : NULL;
}

const char *journal_command(const struct journal *j)
{
    return j->command ? j->command : "kith";
}

struct db *journal_db(struct journal *j)
{
    return j->db;
}

int journal_changed(struct journal *j)
{
    long long v = db_data_version(j->db);
    int changed = v != j->data_version;
    j->data_version = v;
    return changed;
}

long long journal_generation(struct journal *j)
{
    long long v = db_data_version(j->db), c = db_file_version(j->db);
    if (v != j->gen_version || c != j->gen_changes) {
        j->gen_version = v;
        j->gen_changes = c;
        j->gen++;
    }
    return j->gen;
}

void journal_set_interrupt(struct journal *j, int (*fn)(void *ud), void *ud)
{
    db_set_interrupt(j->db, fn, ud);
}

int journal_begin(struct journal *j, struct kerr *e)
{
    return db_begin(j->db, e);
}

int journal_commit(struct journal *j, struct kerr *e)
{
    return db_commit(j->db, e);
}

void journal_rollback(struct journal *j)
{
    db_rollback(j->db);
}

int journal_backup(struct journal *j, const char *dest, int force, struct kerr *e)
{
    return db_backup(j->db, dest, force, e);
}

int journal_restore(const char *path, const char *backup, char **aside, struct kerr *e)
{
    return dbfile_restore(path, backup, aside, e);
}

int journal_check(struct journal *j, int repair, struct journal_check *out, struct kerr *e)
{
    struct dbsummary_report r;
    memset(out, 0, sizeof *out);
    int rc = dbsummary_quick_check(j->db, &out->damage, e);
    if (rc != K_OK || out->damage)
        return rc;
    if ((rc = dbsummary_check(j->db, repair, &r, e)) != K_OK)
        return rc;
    out->contacts = r.contacts;
    out->off = r.wrong + r.missing;
    out->extra = r.extra;
    out->weights = r.weights;
    out->repaired = repair && (out->off || out->extra);
    struct dbsearch_report s;
    if ((rc = dbsearch_check(j->db, repair, &s, e)) != K_OK)
        return rc;
    out->links = s.links;
    out->links_off = s.off + s.extra;
    out->index_damaged = s.damaged;
    out->index_repaired = s.repaired;
    out->index_unchecked = s.unchecked;
    return K_OK;
}

void journal_check_clear(struct journal_check *c)
{
    if (!c)
        return;
    free(c->damage);
    memset(c, 0, sizeof *c);
}

void journal_short_id(struct journal *j, const char *table, const char *id, char out[KID_LEN + 1])
{
    db_short_id(j->db, table, id, out);
}

int journal_ambiguous(const char *shown, const char *what, const char *hint,
                      const struct sbuf *rows, int more, struct kerr *e)
{
    kerr_set(e, K_USAGE, "%s matches several %s; use more of %s:%s%s", shown, what, hint,
             rows->s ? rows->s : "", more ? "\n  ..." : "");
    return K_USAGE;
}

void journal_ambiguous_row(struct sbuf *rows, const char *id, const char *text)
{
    char *t = kstr_escape(text);
    sbuf_printf(rows, "\n  %s  %s", id, t);
    free(t);
}

int journal_json_quote(struct journal *j, const char *text, char **out, struct kerr *e)
{
    return dbsearch_json_string(journal_db(j), text, out, e);
}
