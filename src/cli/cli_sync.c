#include "kith/cli/cli_sync.h"

#include "kith/cli/cli_conflict.h"
#include "kith/cli/cli_util.h"
#include "kith/util/kstr.h"
#include "kith/core/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sync_usage[] = "kith sync DIR [--git] [--json] | kith sync status [--json]";
static const char sync_help[] =
    "usage: kith sync DIR [--git] [--json]\n"
    "       kith sync status [--json]\n"
    "\n"
    "Keeps this journal in step with kith journals on other machines through a\n"
    "folder they share: a Syncthing or Dropbox folder, a git work tree, a USB\n"
    "stick. The live journal is never in the folder. Each journal is a replica\n"
    "with an id of its own; it writes its changes as files that never change\n"
    "(DIR/REPLICA/N.changeset, SQLite session changesets) and applies the\n"
    "other replicas' files it has not applied yet, in order. Run it on each\n"
    "machine whenever you like (cron, a systemd timer, before and after work).\n"
    "\n"
    "The first run turns sync on: a journal that holds contacts sends all of\n"
    "them (with a snapshot of itself when they make 1 MB or more); an empty\n"
    "journal starts from the newest snapshot in the folder, if there is one.\n"
    "Sync stays off, and quiet, until then.\n"
    "\n"
    "When two replicas changed the same thing, the same rule decides on every\n"
    "machine: per field, the later change wins (a hybrid logical clock; ties go\n"
    "to the larger replica id). A contact deleted on one machine and changed\n"
    "later on another is kept, archived, everywhere. Every value not taken is\n"
    "listed by 'kith sync status'. Challenge ticks stay one per day; reminders\n"
    "done or snoozed on either machine are so on both. The full-text index and\n"
    "per-contact figures are rebuilt locally; undo history stays on its machine\n"
    "(a sync cannot be undone with 'kith undo').\n"
    "\n"
    "A replica removes its old files once every replica in the folder has\n"
    "applied them, and leaves DIR/REPLICA/snapshot.kith for journals to come.\n"
    "\n"
    "  --git     DIR is a git work tree: pull (rebase) first when it tracks a\n"
    "            remote, then commit this replica's files and push. Each replica\n"
    "            writes only its own folder, so merges never conflict.\n"
    "  --json    what happened (or the status) as one JSON object\n"
    "\n"
    "status: this replica's id and folder, changes not yet in the folder, each\n"
    "other replica with when it last synced and how much of it is applied here,\n"
    "and every conflict a sync resolved.\n";

struct run {
    struct cli_out o;
    struct journal *j;
    int json;
    struct sbuf notes; /* JSON strings, comma-separated */
    struct sbuf items; /* JSON objects, comma-separated */
    size_t n;
    int synced;   /* the journal is a replica now */
    int problems; /* notes about files not applied */
};

static void quote(struct run *r, struct sbuf *b, const char *s)
{
    cli_conflict_quote(r->j, b, s);
}

static void on_note(const char *msg, void *ud)
{
    struct run *r = ud;
    r->problems++;
    if (!r->json) {
        char *m = kstr_escape(msg);
        fprintf(stderr, "kith sync: %s\n", m);
        free(m);
        return;
    }
    if (r->notes.len)
        sbuf_addc(&r->notes, ',');
    quote(r, &r->notes, msg);
}

static int on_conflict(const struct kconflict *c, void *ud)
{
    struct run *r = ud;
    r->n++;
    if (r->json) {
        struct sbuf *b = &r->items;
        if (b->len)
            sbuf_addc(b, ',');
        cli_conflict_json(r->j, b, c, CLI_CONFLICT_SYNC);
        return 0;
    }
    char *kept = cli_conflict_one_line(c->kept), *other = cli_conflict_one_line(c->other);
    cli_putf(&r->o, CLI_WARN, "conflict: ");
    cli_put(&r->o, CLI_PLAIN, c->name ? c->name : c->entity_id, 0, 0);
    cli_putf(&r->o, CLI_PLAIN, ", %s: ", c->field);
    if (c->kept && c->other) {
        cli_putf(&r->o, CLI_PLAIN, "kept \"");
        cli_put(&r->o, CLI_PLAIN, kept, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, "\", not \"");
        cli_put(&r->o, CLI_PLAIN, other, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, "\"; ");
    } else if (c->other) {
        cli_put(&r->o, CLI_PLAIN, other, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, "; ");
    }
    cli_put(&r->o, CLI_PLAIN, c->rule, 0, 0);
    cli_putf(&r->o, CLI_DIM, " (replica ");
    cli_put(&r->o, CLI_DIM, c->place, 0, 0);
    cli_putf(&r->o, CLI_DIM, ", %s)\n", c->at ? c->at : "");
    free(kept);
    free(other);
    return 0;
}

static void print_run(struct run *r, const struct sync_report *s, const char *dir)
{
    if (r->json) {
        struct sbuf b = {0};
        sbuf_printf(&b, "{\"replica\":\"%s\",\"dir\":", s->replica);
        quote(r, &b, dir);
        sbuf_printf(&b,
                    ",\"started\":%s,\"from_snapshot\":%s,\"sent_file\":%lld,"
                    "\"applied_files\":%zu,\"changes\":%zu,\"kept_archived\":%zu,"
                    "\"pruned\":%zu,\"snapshot\":%s,\"committed\":%s,\"conflicts\":[%s],"
                    "\"problems\":[%s]}",
                    s->started ? "true" : "false", s->adopted ? "true" : "false", s->sent, s->files,
                    s->changes, s->kept, s->pruned, s->snapshot ? "true" : "false",
                    s->committed ? "true" : "false", r->items.s ? r->items.s : "",
                    r->notes.s ? r->notes.s : "");
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        return;
    }
    if (s->adopted)
        cli_putf(&r->o, CLI_PLAIN, "started from a snapshot as replica %s\n", s->replica);
    else if (s->started)
        cli_putf(&r->o, CLI_PLAIN, "sync is on: this journal is replica %s\n", s->replica);
    if (s->sent)
        cli_putf(&r->o, CLI_PLAIN, "sent file %lld\n", s->sent);
    if (s->started && s->snapshot)
        cli_putf(&r->o, CLI_PLAIN,
                 "left a snapshot: a new machine's empty journal starts from it\n");
    if (s->files)
        cli_putf(&r->o, CLI_PLAIN, "applied %zu file%s of other replicas (%zu change%s)\n",
                 s->files, s->files == 1 ? "" : "s", s->changes, s->changes == 1 ? "" : "s");
    if (s->pruned)
        cli_putf(&r->o, CLI_PLAIN, "removed %zu old file%s every replica has applied\n", s->pruned,
                 s->pruned == 1 ? "" : "s");
    if (s->committed)
        cli_putf(&r->o, CLI_PLAIN, "committed to git\n");
    if (!s->started && !s->sent && !s->files && !r->problems)
        cli_putf(&r->o, CLI_PLAIN, "up to date\n");
}

static int on_peer(const struct sync_peer_status *p, void *ud)
{
    struct run *r = ud;
    if (r->json) {
        if (r->notes.len)
            sbuf_addc(&r->notes, ',');
        sbuf_printf(&r->notes, "{\"replica\":\"%s\",\"last_seen\":", p->replica);
        quote(r, &r->notes, p->seen[0] ? p->seen : NULL);
        sbuf_printf(&r->notes, ",\"applied_file\":%lld}", p->applied);
        return 0;
    }
    cli_putf(&r->o, CLI_PLAIN, "  %s  last seen %s, applied up to its file %lld\n", p->replica,
             p->seen[0] ? p->seen : "never", p->applied);
    return 0;
}

static int status(struct run *r, struct kerr *e)
{
    struct sync_status s;
    int rc = sync_status(r->j, &s, e);
    if (rc != K_OK)
        return rc;
    if (!s.replica[0]) {
        if (r->json)
            cli_json_put(stdout, "{\"replica\":null}");
        else
            cli_putf(&r->o, CLI_PLAIN, "sync is off; 'kith sync DIR' turns it on\n");
        return K_OK;
    }
    if (r->json) {
        if ((rc = sync_peers(r->j, on_peer, r, e)) != K_OK ||
            (rc = sync_conflicts(r->j, 0, on_conflict, r, e)) != K_OK)
            goto out;
        struct sbuf b = {0};
        sbuf_printf(&b, "{\"replica\":\"%s\",\"dir\":", s.replica);
        quote(r, &b, s.dir);
        sbuf_printf(&b, ",\"sent_file\":%lld,\"unsent\":%zu,\"replicas\":[%s],\"conflicts\":[%s]}",
                    s.sent, s.unsent, r->notes.s ? r->notes.s : "", r->items.s ? r->items.s : "");
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        goto out;
    }
    cli_putf(&r->o, CLI_BOLD, "replica ");
    cli_putf(&r->o, CLI_PLAIN, "%s (this journal)\n", s.replica);
    cli_putf(&r->o, CLI_BOLD, "folder  ");
    cli_put(&r->o, CLI_PLAIN, s.dir ? s.dir : "", 0, 0);
    cli_putf(&r->o, CLI_PLAIN, "\n");
    if (s.unsent)
        cli_putf(&r->o, CLI_PLAIN, "%zu change%s not yet in the folder\n", s.unsent,
                 s.unsent == 1 ? "" : "s");
    else
        cli_putf(&r->o, CLI_PLAIN, "every change is in the folder (last file %lld)\n", s.sent);
    cli_putf(&r->o, CLI_BOLD, "other replicas\n");
    if ((rc = sync_peers(r->j, on_peer, r, e)) != K_OK)
        goto out;
    cli_putf(&r->o, CLI_BOLD, "conflicts resolved\n");
    if ((rc = sync_conflicts(r->j, 0, on_conflict, r, e)) != K_OK)
        goto out;
    if (!r->n)
        cli_putf(&r->o, CLI_PLAIN, "  none\n");
out:
    sync_status_clear(&s);
    return rc;
}

int cli_sync(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--git", 0}, {"--json", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct run r;
    int rc;
    memset(&r, 0, sizeof r);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, sync_help);
    if (cmd.a.npos != 1) {
        rc = cli_cmd_usage(&cmd, cmd.a.npos ? "one folder at a time" : "which folder? give DIR");
        goto out;
    }
    int is_status = !strcmp(cmd.a.pos[0], "status");
    if (is_status && cli_args_has(&cmd.a, "--git")) {
        rc = cli_cmd_usage(&cmd, "--git goes with 'kith sync DIR'");
        goto out;
    }
    if (!*cmd.a.pos[0]) {
        rc = cli_cmd_usage(&cmd, "the folder's name is empty");
        goto out;
    }
    r.json = cli_args_has(&cmd.a, "--json");
    cli_out_init(&r.o, g);
    if ((rc = cli_open(g, is_status ? 0 : JOURNAL_CREATE, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK) {
        /* No journal: nothing syncs yet, and status has nothing to say. */
        if (is_status && rc == K_NOTFOUND) {
            kerr_clear(&cmd.e);
            rc = K_OK;
            if (r.json)
                cli_json_put(stdout, "{\"replica\":null}");
            else
                cli_putf(&r.o, CLI_PLAIN, "sync is off; 'kith sync DIR' turns it on\n");
        }
        goto out;
    }
    r.j = cmd.j;
    if (is_status) {
        rc = status(&r, &cmd.e);
        goto out;
    }
    struct sync_report s;
    long long last = 0;
    unsigned flags = cli_args_has(&cmd.a, "--git") ? SYNC_GIT : 0;
    if ((rc = sync_conflict_last(cmd.j, &last, &cmd.e)) != K_OK)
        goto out;
    int run = sync_run(cmd.j, cmd.a.pos[0], flags, on_note, &r, &s, &cmd.e);
    if (run == K_USAGE) {
        rc = K_ERR; /* the folder: not a usage line's business */
        goto out;
    }
    /* What did happen is reported even when a replica's file failed. */
    if (s.replica[0]) {
        struct kerr e2;
        r.synced = 1;
        sync_conflicts(cmd.j, last, on_conflict, &r, &e2);
        print_run(&r, &s, cmd.a.pos[0]);
    }
    rc = run;
out:
    /* A journal this command made and could not sync is not left behind. */
    if (rc != K_OK && !r.synced)
        journal_discard(&cmd.j);
    sbuf_free(&r.notes);
    sbuf_free(&r.items);
    return cli_cmd_end(&cmd, rc, "sync", sync_usage);
}
