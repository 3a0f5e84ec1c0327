#include "kith/cli/cli_sync.h"

#include "kith/cli/cli.h"
#include "kith/cli/cli_conflict.h"
#include "kith/cli/cli_util.h"
#include "kith/util/kdate.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"
#include "kith/core/contact.h"
#include "kith/core/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char sync_usage[] =
    "kith sync [DIR] [--git | --no-git] [--move] [--json] | kith "
    "sync status [--all] [--json] | kith sync forget REPLICA [--git | --no-git] [--json]";
static const char sync_help[] =
    "usage: kith sync [DIR] [--git | --no-git] [--move] [--json]\n"
    "       kith sync status [--all] [--json]\n"
    "       kith sync forget REPLICA [--git | --no-git] [--json]\n"
    "\n"
    "Keeps this journal in step with kith journals on other machines through a\n"
    "folder they share: a Syncthing or Dropbox folder, a git work tree, a USB\n"
    "stick. The live journal is never in the folder. Each journal is a replica\n"
    "with an id of its own; it writes its changes as files that never change\n"
    "(DIR/REPLICA/N.changeset, SQLite session changesets) and applies the\n"
    "other replicas' files it has not applied yet, in order. Run it on each\n"
    "machine whenever you like (cron, a systemd timer, before and after work).\n"
    "Once sync is on, 'kith sync' alone uses the folder the journal syncs through,\n"
    "and git as the last --git or --no-git said; never said, that folder syncs as\n"
    "with --git when it is the top of a git work tree.\n"
    "\n"
    "The first run turns sync on: a journal that holds contacts sends all of\n"
    "them (with a snapshot of itself when they make 1 MB or more); an empty\n"
    "journal starts from the newest snapshot in the folder, if there is one.\n"
    "Sync stays off, and quiet, until then. A sync that brings contacts that may\n"
    "be people this journal already had, or one another (an address book\n"
    "imported on two machines) says how many pairs may be one person twice:\n"
    "review them with 'kith dupes' and merge them on one machine.\n"
    "\n"
    "When two replicas changed the same thing, the same rule decides on every\n"
    "machine: per field, the later change wins (a hybrid logical clock; ties go\n"
    "to the larger replica id). A contact deleted on one machine and changed\n"
    "on another, neither having seen the other's change, is kept, archived,\n"
    "everywhere, and every machine says so. Every value not taken is\n"
    "listed by 'kith sync status', with whose each value was (this journal's,\n"
    "or the replica that made it) and when, in local time; a sync lists those it\n"
    "resolved. Challenge ticks stay one per day; reminders done or snoozed on\n"
    "either machine are so on both. The full-text index and per-contact\n"
    "figures are rebuilt locally; undo history stays on its machine (a sync\n"
    "cannot be undone with 'kith undo').\n"
    "\n"
    "A replica removes its old files once every replica in the folder has\n"
    "applied them, and leaves DIR/REPLICA/snapshot.kith for journals to come\n"
    "(if the folder loses every snapshot, the next sync of a replica that has\n"
    "applied everything leaves one). A machine you no longer use holds them\n"
    "back until it is forgotten.\n"
    "\n"
    "  --git     DIR is a git work tree: commit this replica's files there not\n"
    "            yet committed, pull (rebase) when it tracks a remote, then\n"
    "            commit this replica's files and push, as git's user when set\n"
    "            (else as kith). Other files are never committed, nor lost:\n"
    "            uncommitted changes are put aside for the pull and back\n"
    "            (--autostash; staged ones may come back unstaged). Each\n"
    "            replica writes only its own folder, so merges do not conflict;\n"
    "            another's file changed here is put back as git holds it.\n"
    "            Nothing new: no commit, no push. Refused off a branch (a\n"
    "            detached HEAD, a rebase or merge not finished). Remembered:\n"
    "            'kith sync' alone does the same from now on.\n"
    "  --no-git  not git, from now on (the folder is synced some other way).\n"
    "  --move    the shared folder moved to DIR (or the machines share it\n"
    "            through another one now): this journal syncs through DIR from\n"
    "            now on. DIR must hold this replica's folder with its files, and\n"
    "            the old folder be gone or hold no replica or file DIR lacks.\n"
    "            A copy, the old folder still there: every other machine must\n"
    "            move too; until then, each misses the other's changes.\n"
    "  --json    what happened (or the status) as one JSON object\n"
    "\n"
    "status: this replica's id and folder (and whether it syncs with git),\n"
    "changes not yet in the folder, each other replica with when it last\n"
    "synced, how much of it is applied here and how much of this one it has\n"
    "applied (whether it runs a kith too old to read this one's files, and a\n"
    "damaged file it is stuck on: the replica that wrote it writes it again\n"
    "at its next sync), the 20 most recent conflicts a sync\n"
    "resolved (--all: every one; --json lists every one, a value over 80\n"
    "characters is cut in a line but whole in --json), and\n"
    "the conflicted copies a sync tool made of kith's files (Syncthing's\n"
    "NAME.sync-conflict-..., Dropbox's, Nextcloud's or ownCloud's NAME (...\n"
    "conflicted copy ...)): never applied, and safe to delete but for a copy\n"
    "of a changeset that differs from the file (two journals write as one\n"
    "replica: keep it) or whose file is not there (the only copy: rename it\n"
    "back). 'kith sync' says in one line that there are some.\n"
    "\n"
    "forget REPLICA: for a machine retired or a journal thrown away. Removes\n"
    "that replica's folder (its id, or its first 4 or more characters, as\n"
    "status lists them), so this replica's old files no longer wait for it,\n"
    "after writing this journal's snapshot: its changes live on there for\n"
    "journals to come. Refused while this journal or another replica has not\n"
    "applied all its files (sync them first), while its folder holds anything\n"
    "kith did not write (a sync tool's temporary files and conflicted copies\n"
    "of kith's files go with it), and for this journal itself. When the folder\n"
    "syncs with git (--git, or as 'kith sync' alone would), the removal is\n"
    "committed, and pushed by the next sync; refused off a branch, as a sync\n"
    "is. --no-git removes it without committing; either is remembered, as a\n"
    "sync remembers it. If that replica syncs again, it is back.\n";

struct run {
    struct cli_out o;
    struct journal *j;
    int json;
    struct sbuf notes; /* JSON strings, comma-separated */
    struct sbuf items; /* JSON objects, comma-separated */
    size_t n;
    int synced;              /* the journal is a replica now */
    int problems;            /* notes about files not applied */
    long long sent;          /* status: this replica's last file */
    const char *me;          /* status: this replica's id */
    const char *dir;         /* status: its folder */
    struct sbuf copies;      /* JSON objects, comma-separated */
    size_t ncopies, ndiffer; /* conflict copies, those that differ from their file */
    int list_copies;         /* status: a line for each */
    int list_conflicts;      /* a sync: a heading before the first */
    int quiet;               /* the error is in the JSON printed */
    int printed;             /* --json: the object is printed */
    size_t npeers;           /* status: other replicas listed */
    size_t skip;             /* status: older conflicts not shown */
    int all;                 /* status --all: every conflict */
    char *kith;              /* kith with the options that name this journal, for the
                              * commands a message suggests (cli_command) */
};

static void quote(struct run *r, struct sbuf *b, const char *s)
{
    if (r->j || !s) {
        cli_conflict_quote(r->j, b, s);
        return;
    }
    /* No journal open to quote it: by hand (an error's message). */
    sbuf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sbuf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            sbuf_printf(b, "\\u%04x", *p);
        else
            sbuf_addc(b, (char)*p);
    }
    sbuf_addc(b, '"');
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

static int on_copy(const struct sync_copy *c, void *ud)
{
    struct run *r = ud;
    struct sbuf path = {0};
    sbuf_printf(&path, "%s/%s", c->replica, c->name);
    r->ncopies++;
    r->ndiffer += c->differs != 0;
    if (r->json) {
        if (r->copies.len)
            sbuf_addc(&r->copies, ',');
        sbuf_add(&r->copies, "{\"path\":");
        quote(r, &r->copies, path.s);
        sbuf_add(&r->copies, ",\"of\":");
        quote(r, &r->copies, c->of);
        sbuf_printf(&r->copies, ",\"differs\":%s,\"file_missing\":%s}",
                    c->differs ? "true" : "false", c->differs == 2 ? "true" : "false");
    } else if (r->list_copies) {
        if (r->ncopies == 1)
            cli_putf(&r->o, CLI_BOLD,
                     "conflicted copies (made by the tool that syncs the folder, "
                     "not by kith; never applied)\n");
        cli_putf(&r->o, CLI_PLAIN, "  ");
        cli_put(&r->o, CLI_PLAIN, path.s, 0, 0);
        if (c->differs == 2) {
            cli_putf(&r->o, CLI_WARN,
                     "  the only copy: %s is not there; keep it, and rename it %s if "
                     "no other machine has that file\n",
                     c->of, c->of);
        } else if (c->differs) {
            cli_putf(&r->o, CLI_WARN,
                     "  differs from %s: two journals write as replica %.8s (a journal "
                     "file copied to another machine?); keep it until each has synced (the "
                     "one whose file this is sends its changes again, under a new id)\n",
                     c->of, c->replica);
        } else {
            if (strstr(c->of, ".changeset"))
                cli_putf(&r->o, CLI_DIM,
                         "  a copy of %s, which never changes once written: safe to delete\n",
                         c->of);
            else
                cli_putf(&r->o, CLI_DIM,
                         "  an old copy of %s (kith writes it anew): safe to delete\n", c->of);
        }
    }
    sbuf_free(&path);
    return 0;
}

/* After a sync: one line for the conflict copies in the folder. */
static void print_copies(struct run *r)
{
    if (r->json || !r->ncopies)
        return;
    int one = r->ncopies == 1;
    cli_putf(&r->o, CLI_WARN,
             "the folder holds %zu conflicted cop%s of kith's files, made by the tool that syncs "
             "it: kith never applies %s",
             r->ncopies, one ? "y" : "ies", one ? "it" : "them");
    if (r->ndiffer && one)
        cli_putf(
            &r->o, CLI_WARN,
            "; it differs from its file or is the only one: keep it; details: %s sync status\n",
            r->kith);
    else if (r->ndiffer)
        cli_putf(&r->o, CLI_WARN,
                 "; %zu differ%s from %s file or %s the only one: keep %s; details: %s sync "
                 "status\n",
                 r->ndiffer, r->ndiffer == 1 ? "s" : "", r->ndiffer == 1 ? "its" : "their",
                 r->ndiffer == 1 ? "is" : "are", r->ndiffer == 1 ? "it" : "them", r->kith);
    else
        cli_putf(&r->o, CLI_WARN, ", and %s safe to delete; to list %s: %s sync status\n",
                 one ? "it is" : "they are", one ? "it" : "them", r->kith);
}

/* The rules dbsync writes when a field changed on both sides. */
#define RULE_THEIRS     "the later change wins"
#define RULE_OURS       "this replica's later change wins"
#define RULE_TIE_THEIRS "equal clocks: the greater replica id wins"
#define RULE_TIE_OURS   "equal clocks: this replica's id wins"
/* A contact's value that a delete later than the edit took. */
#define RULE_LOST "went with the delete, later than the edit"

/* Which rule decided a field changed on both sides: RULE_OURS' or
 * RULE_TIE_OURS' 'o' (this replica's value kept), RULE_THEIRS' or
 * RULE_TIE_THEIRS' 't'; 0 for another kind of conflict. *tie: the clocks
 * were equal. */
static int field_rule(const char *rule, int *tie)
{
    *tie = !strcmp(rule, RULE_TIE_THEIRS) || !strcmp(rule, RULE_TIE_OURS);
    if (!strcmp(rule, RULE_THEIRS) || !strcmp(rule, RULE_TIE_THEIRS))
        return 't';
    if (!strcmp(rule, RULE_OURS) || !strcmp(rule, RULE_TIE_OURS))
        return 'o';
    return 0;
}

/* A field's value as a reader says it: a flag as words, a time in local
 * time, a column that names a contact as that contact's name (another row
 * as its kind and short id), an empty one as "(empty)"; else the value on
 * one line. New string; *quoted 1 for a value shown in quotes (not a
 * time, a row's kind and id, or (empty)). */
static char *value_words(struct run *r, const char *field, const char *v, int *quoted)
{
    const char *base = strrchr(field, '.');
    base = base ? base + 1 : field;
    size_t nb = strlen(base);
    struct sbuf b = {0};
    *quoted = 0;
    if (!v)
        return kstr_dup("(empty)");
    /* Words that stand for a value are quoted as one ("not archived"). */
    if (!strcmp(base, "archived") && (!strcmp(v, "0") || !strcmp(v, "1"))) {
        *quoted = 1;
        return kstr_dup(*v == '1' ? "archived" : "not archived");
    }
    if (nb > 3 && !strcmp(base + nb - 3, "_at") && strlen(v) >= 16 && v[10] == 'T') {
        char t[32];
        cli_local_time(v, t);
        return kstr_dup(t);
    }
    if (!strcmp(base, "cadence_days") && strspn(v, "0123456789") == strlen(v)) {
        *quoted = 1;
        sbuf_printf(&b, "every %s day%s", v, strcmp(v, "1") ? "s" : "");
        return sbuf_take(&b);
    }
    if (nb > 3 && !strcmp(base + nb - 3, "_id") && strlen(v) == KID_LEN &&
        strspn(v, "0123456789abcdef") == KID_LEN) {
        struct contact ct;
        struct kerr e;
        int names_contact = strstr(base, "contact_id") || !strcmp(base, "referrer_id");
        if (names_contact && contact_get(r->j, v, &ct, &e) == K_OK) {
            /* Two contacts of one name (one person imported on two
             * machines) are told apart by their ids, as kith list shows. */
            struct kref *refs = NULL;
            size_t same = 0;
            if (contact_named(r->j, ct.name, 2, &refs, &same, &e) != K_OK)
                same = 0;
            contact_refs_free(refs, same);
            if (same > 1)
                sbuf_printf(&b, "%.8s \"%s\"", v, ct.name);
            else
                sbuf_add(&b, ct.name);
            *quoted = same <= 1;
            contact_clear(&ct);
            return sbuf_take(&b);
        }
        /* One gone, or another kind of row: its kind and short id. */
        if (names_contact)
            sbuf_printf(&b, "contact %.8s", v);
        else if (!strcmp(base, "parent_id"))
            sbuf_printf(&b, "referral %.8s", v);
        else
            sbuf_printf(&b, "%.*s %.8s", (int)(nb - 3), base, v);
        return sbuf_take(&b);
    }
    *quoted = 1;
    return cli_conflict_one_line(v);
}

/* A field as a reader says it: a contact's own column in words
 * ("updated at"); another table's as what it is of the contact ("referral's
 * status") rather than the table's name. New string. */
static char *field_words(const char *field)
{
    static const char *const kinds[][2] = {
        {"contact_detail", "detail"},   {"contact_tag", "tag"},
        {"interaction", "interaction"}, {"interaction_message", "message"},
        {"referral", "referral"},       {"referral_event", "referral outcome"},
        {"thanks", "thank-you"},        {"contact_nickname", "nickname"},
        {"contact_uid", "UID"},         {"contact_address", "address"},
        {"contact_event", "date"},      {"contact_vcard", "vCard extra"},
        {"challenge_tick", "tick"},     {"reminder_state", "reminder"},
    };
    const char *dot = strchr(field, '.');
    struct sbuf b = {0};
    if (!strcmp(field, "contact_uid.contact_id"))
        return kstr_dup("the contact that has its UID");
    if (!strcmp(field, "cadence_days"))
        return kstr_dup("keep in touch");
    if (!dot) {
        for (const char *p = field; *p; p++)
            sbuf_addc(&b, *p == '_' ? ' ' : *p);
        return sbuf_take(&b);
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strlen(kinds[i][0]) == (size_t)(dot - field) &&
            !strncmp(field, kinds[i][0], (size_t)(dot - field)))
            sbuf_printf(&b, "%s's ", kinds[i][1]);
    if (!b.len)
        return kstr_dup(field);
    const char *col = dot + 1;
    size_t n = strlen(col);
    if (n > 3 && !strcmp(col + n - 3, "_id"))
        n -= 3;
    for (size_t i = 0; i < n; i++)
        sbuf_addc(&b, col[i] == '_' ? ' ' : col[i]);
    return sbuf_take(&b);
}

/* A value longer than this many characters is cut in a conflict's line:
 * a long note lost would fill the screen after every sync. */
#define SHOWN_CHARS 80
/* sync status lists the most recent conflicts, --all every one. */
#define SHOWN_CONFLICTS 20

/* v cut to its first SHOWN_CHARS characters (UTF-8), saying how many more
 * there are; *cut set when it is (takes v, returns a new string). */
static char *clip(char *v, int *cut_any)
{
    size_t chars = 0, cut = 0;
    for (size_t i = 0; v[i]; i++)
        if (((unsigned char)v[i] & 0xc0) != 0x80 && chars++ == SHOWN_CHARS)
            cut = i;
    if (!cut)
        return v;
    struct sbuf b = {0};
    sbuf_addn(&b, v, cut);
    sbuf_printf(&b, "\xe2\x80\xa6 (%zu more characters)", chars - SHOWN_CHARS);
    *cut_any = 1;
    free(v);
    return sbuf_take(&b);
}

/* The replicas that made a conflict's kept value and the one not taken;
 * for a conflict stored before kith noted them, as its rule says (the
 * value that lost or won here was this journal's). NULL: not known. */
static void conflict_reps(const struct run *r, const struct kconflict *c, const char **kept,
                          const char **other)
{
    int tie, k = field_rule(c->rule, &tie), theirs = k == 't', ours = k == 'o';
    *kept = c->kept_place;
    *other = c->other_place;
    if (!*kept)
        *kept = theirs ? c->place : ours ? r->me : NULL;
    if (!*other)
        *other = theirs ? r->me : ours ? c->place : NULL;
}

static int is_me(const struct run *r, const char *rep)
{
    return rep && r->me && !strcmp(rep, r->me);
}

/* One conflict as a line that says what was kept, whose each value was,
 * and when the sync resolved it (in local time). */
static void put_conflict(struct run *r, const struct kconflict *c)
{
    char when[32];
    int tie, k = field_rule(c->rule, &tie), theirs = k == 't', ours = k == 'o';
    int lost = !strcmp(c->rule, RULE_LOST);
    /* Equal clocks: neither was later; the replica ids decided. */
    const char *why = tie ? "equal clocks: the greater replica id" : "the later change";
    int qk = 1, qo = 1, cut = 0;
    const char *kr, *orp;
    conflict_reps(r, c, &kr, &orp);
    char *kept = clip(theirs || ours ? value_words(r, c->field, c->kept, &qk)
                                     : cli_conflict_one_line(c->kept),
                      &cut);
    char *other = clip(theirs || ours || lost ? value_words(r, c->field, c->other, &qo)
                                              : cli_conflict_one_line(c->other),
                       &cut);
    const char *ok = qk ? "\"" : "", *oo = qo ? "\"" : "";
    cli_local_time(c->at ? c->at : "", when);
    cli_putf(&r->o, CLI_PLAIN, "  ");
    /* A contact gone here has no name: its id, as 'kith list' shows it. A
     * row no contact owns (a challenge tick) says what it is. */
    if (c->name)
        cli_put(&r->o, CLI_PLAIN, c->name, 0, 0);
    if (c->name && c->about)
        cli_putf(&r->o, CLI_PLAIN, ", ");
    if (c->about)
        cli_put(&r->o, CLI_PLAIN, c->about, 0, 0);
    if (!c->name && !c->about)
        cli_putf(&r->o, CLI_PLAIN, "%s %.8s", c->entity ? c->entity : "row", c->entity_id);
    char *fw = field_words(c->field);
    cli_putf(&r->o, CLI_PLAIN, ", ");
    cli_put(&r->o, CLI_PLAIN, fw, 0, 0);
    cli_putf(&r->o, CLI_PLAIN, ": ");
    free(fw);
    if (theirs || ours) {
        cli_putf(&r->o, CLI_PLAIN, "kept %s", ok);
        cli_put(&r->o, CLI_PLAIN, kept, 0, 0);
        if (is_me(r, kr) || !kr)
            cli_putf(&r->o, CLI_PLAIN, "%s (this journal's, %s), not %s", ok, why, oo);
        else
            cli_putf(&r->o, CLI_PLAIN, "%s from replica %.8s (%s), not %s", ok, kr, why, oo);
        cli_put(&r->o, CLI_PLAIN, other, 0, 0);
        if (is_me(r, orp) || !orp)
            cli_putf(&r->o, CLI_PLAIN, "%s (this journal's)", oo);
        else
            cli_putf(&r->o, CLI_PLAIN, "%s from replica %.8s", oo, orp);
    } else if (lost) {
        cli_putf(&r->o, CLI_PLAIN, "%s", oo);
        cli_put(&r->o, CLI_PLAIN, other, 0, 0);
        if (is_me(r, orp) || !orp)
            cli_putf(&r->o, CLI_PLAIN, "%s (this journal's)", oo);
        else
            cli_putf(&r->o, CLI_PLAIN, "%s (from replica %.8s)", oo, orp);
        if (is_me(r, kr) || !kr)
            cli_putf(&r->o, CLI_PLAIN, " went with the delete made here, later than the edit");
        else
            cli_putf(&r->o, CLI_PLAIN, " went with the delete by replica %.8s, later than the edit",
                     kr);
    } else {
        /* A contact deleted on one side, a row that clashes: the values say
         * what happened on each side, the rule what came of it. */
        if (c->kept) {
            cli_put(&r->o, CLI_PLAIN, kept, 0, 0);
            cli_putf(&r->o, CLI_PLAIN, "; ");
        }
        if (c->other) {
            cli_put(&r->o, CLI_PLAIN, other, 0, 0);
            cli_putf(&r->o, CLI_PLAIN,
                     " (replica %.8s): ", c->other_place ? c->other_place : c->place);
        }
        cli_put(&r->o, CLI_PLAIN, c->rule, 0, 0);
    }
    cli_putf(&r->o, CLI_DIM, "; resolved %s\n", when);
    /* The command last on its line, to paste as it is. */
    if (cut)
        cli_putf(&r->o, CLI_DIM, "    full text: %s sync status --json\n", r->kith);
    /* One UID on two contacts: one person, added on two machines. */
    if (!strcmp(c->field, "contact_uid.contact_id"))
        cli_putf(&r->o, CLI_WARN,
                 "    two contacts had one UID: one person added on two machines? to review "
                 "and merge them: %s dupes\n",
                 r->kith);
    free(kept);
    free(other);
}

static int on_conflict(const struct kconflict *c, void *ud)
{
    struct run *r = ud;
    r->n++;
    if (r->json) {
        struct sbuf *b = &r->items;
        const char *kr, *orp;
        conflict_reps(r, c, &kr, &orp);
        if (b->len)
            sbuf_addc(b, ',');
        cli_conflict_json(r->j, b, c, CLI_CONFLICT_SYNC);
        /* Which side's value was kept, for a field changed on both: this
         * journal's ("here") only where this journal made it. */
        b->len--;
        b->s[b->len] = 0;
        int tie, field = field_rule(c->rule, &tie) != 0;
        sbuf_printf(b, ",\"kept_from\":%s,\"kept_replica\":",
                    !field         ? "null"
                    : is_me(r, kr) ? "\"here\""
                                   : "\"replica\"");
        quote(r, b, kr);
        sbuf_add(b, ",\"other_replica\":");
        quote(r, b, orp);
        sbuf_add(b, ",\"about\":");
        quote(r, b, c->about);
        sbuf_addc(b, '}');
        return 0;
    }
    /* sync status: the most recent only, unless --all. */
    if (r->n <= r->skip)
        return 0;
    if (r->list_conflicts && r->n == 1)
        cli_putf(&r->o, CLI_BOLD, "conflicts this sync resolved\n");
    put_conflict(r, c);
    return 0;
}

/* Counts the conflicts sync_conflicts lists. */
static int count_conflict(const struct kconflict *c, void *ud)
{
    (void)c;
    ++*(size_t *)ud;
    return 0;
}

/* err: why the sync stopped (NULL when it did not). */
static void print_run(struct run *r, const struct sync_report *s, const char *dir, const char *err)
{
    int ok = !err;
    if (r->json) {
        struct sbuf b = {0};
        sbuf_printf(&b, "{\"replica\":\"%s\",\"was_replica\":", s->replica);
        quote(r, &b, s->was[0] ? s->was : NULL);
        sbuf_printf(&b, ",\"dir\":");
        quote(r, &b, dir);
        sbuf_printf(&b,
                    ",\"started\":%s,\"from_snapshot\":%s,\"sent_file\":%lld,"
                    "\"applied_files\":%zu,\"changes\":%zu,\"kept_archived\":%zu,"
                    "\"pruned\":%zu,\"snapshot\":%s,\"committed\":%s,\"conflicts\":[%s],"
                    "\"problems\":[%s],\"conflicted_copies\":[%s],\"likely_duplicates\":%zu,"
                    "\"folder_lost\":%s,\"rewrote_files\":%zu,\"lost_files\":[",
                    s->started ? "true" : "false", s->adopted ? "true" : "false", s->sent, s->files,
                    s->changes, s->kept, s->pruned, s->snapshot ? "true" : "false",
                    s->committed ? "true" : "false", r->items.s ? r->items.s : "",
                    r->notes.s ? r->notes.s : "", r->copies.s ? r->copies.s : "", s->dupes,
                    s->refill ? "true" : "false", s->rewrote);
        for (size_t i = 0; i < s->nlost && i < SYNC_WAIT_MAX; i++)
            sbuf_printf(&b, "%s%lld", i ? "," : "", s->lost[i]);
        sbuf_printf(&b, "],\"damaged\":[");
        for (size_t i = 0; i < s->ndamaged && i < SYNC_WAIT_MAX; i++)
            sbuf_printf(&b, "%s{\"replica\":\"%s\",\"file\":%lld,\"lost\":%s,\"old_kith\":%s}",
                        i ? "," : "", s->damaged[i].replica, s->damaged[i].file,
                        s->damaged[i].lost ? "true" : "false",
                        s->damaged[i].old_kith ? "true" : "false");
        sbuf_printf(&b, "],\"waiting\":[");
        for (size_t i = 0; i < s->nwait && i < SYNC_WAIT_MAX; i++)
            sbuf_printf(&b, "%s{\"replica\":\"%s\",\"file\":%lld}", i ? "," : "",
                        s->wait[i].replica, s->wait[i].file);
        sbuf_printf(&b, "],\"forgotten_by\":");
        quote(r, &b, s->forgot_by[0] ? s->forgot_by : NULL);
        sbuf_printf(&b, ",\"challenge_now_started\":");
        if (s->challenge_now) {
            char now[KDATE_BUF];
            sbuf_printf(&b, "\"%s\"", kdate_format(s->challenge_now, now));
        } else {
            sbuf_add(&b, "null");
        }
        sbuf_printf(&b, ",\"challenge_tick_stayed\":");
        if (s->challenge_tick_stayed) {
            char day[KDATE_BUF];
            sbuf_printf(&b, "\"%s\"", kdate_format(s->challenge_tick_stayed, day));
        } else {
            sbuf_add(&b, "null");
        }
        sbuf_printf(&b, ",\"error\":");
        quote(r, &b, err);
        sbuf_addc(&b, '}');
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        return;
    }
    if (s->moved_from[0]) {
        cli_putf(&r->o, CLI_PLAIN, "this journal syncs through ");
        cli_put(&r->o, CLI_PLAIN, dir, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, " from now on (not ");
        cli_put(&r->o, CLI_PLAIN, s->moved_from, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, ")\n");
        /* Two folders in use: each side misses the other's changes. */
        if (s->moved_left) {
            char *q = kstr_shell(dir);
            cli_putf(&r->o, CLI_WARN,
                     "the old folder is still there: run '%s sync %s --move' on every other "
                     "machine, then remove it (a machine still syncing through it and this one do "
                     "not see each other's changes)\n",
                     "kith", q);
            free(q);
        }
    }
    if (s->was[0])
        cli_putf(&r->o, CLI_WARN,
                 "another journal writes as replica %s (a copy of this journal, or this one "
                 "restored from a backup): this journal is replica %s from now on, and applies "
                 "%s's files as another replica's; if no journal writes as %s any more, this "
                 "lets its folder go once every replica has applied it: %s sync forget %.8s\n",
                 s->was, s->replica, s->was, s->was, r->kith, s->was);
    if (s->adopted)
        cli_putf(&r->o, CLI_PLAIN, "started from a snapshot as replica %s\n", s->replica);
    else if (s->started)
        cli_putf(&r->o, CLI_PLAIN, "sync is on: this journal is replica %s\n", s->replica);
    if (s->sent)
        cli_putf(&r->o, CLI_PLAIN, "sent file %lld\n", s->sent);
    if (s->started && s->snapshot)
        cli_putf(&r->o, CLI_PLAIN,
                 "left a snapshot: a new machine's empty journal starts from it\n");
    if (s->snap_again)
        cli_putf(&r->o, CLI_PLAIN,
                 "the folder had no snapshot left (removed by hand, or by the tool that syncs "
                 "it) and no longer holds every change: left a snapshot of this journal, which "
                 "a new machine's empty journal starts from\n");
    /* The files it writes again because the forget removed them are told
     * with it, not as found damaged or missing. */
    size_t rewrote = s->rewrote;
    if (s->refill && s->forgot_by[0]) {
        char again[96] = "";
        if (s->rewrote_gone)
            snprintf(again, sizeof again, " (wrote %zu of those files again)", s->rewrote_gone);
        rewrote -= s->rewrote_gone;
        cli_putf(&r->o, CLI_WARN,
                 "replica %.8s had forgotten this one ('sync forget' there removed the files it "
                 "had sent); it syncs again from now on%s, and its changes since its last sync "
                 "reach the others: %s\n",
                 s->forgot_by, again,
                 s->snapshot ? "a snapshot of this journal stands for the files removed"
                             : "a snapshot of this journal will stand for the files removed once "
                               "the other replicas' files are applied here");
    } else if (s->refill && s->snapshot)
        cli_putf(&r->o, CLI_WARN,
                 "this replica's folder had lost the files it sent (removed by hand or by the "
                 "tool that syncs the folder): a snapshot of this journal stands for them; a "
                 "journal that had not applied them all starts again from it\n");
    else if (s->refill)
        cli_putf(&r->o, CLI_WARN,
                 "this replica's folder had lost the files it sent (removed by hand or by the "
                 "tool that syncs the folder); a snapshot of this journal will stand for them "
                 "once the other replicas' files are applied here\n");
    if (rewrote)
        cli_putf(&r->o, CLI_PLAIN,
                 "wrote %zu file%s of this replica again (found damaged by another replica, "
                 "or missing from its folder)\n",
                 rewrote, rewrote == 1 ? "" : "s");
    for (size_t i = 0; i < s->nlost && i < SYNC_WAIT_MAX; i++)
        cli_putf(&r->o, CLI_WARN,
                 "file %lld of this replica is damaged in the folder and no longer kept here to "
                 "write again: %s\n",
                 s->lost[i],
                 s->snapshot || s->lost_said[i]
                     ? "a snapshot of this journal stands for it; the replica stuck on it "
                       "starts again from that snapshot"
                     : "a snapshot of this journal will stand for it once the other "
                       "replicas' files are applied here");
    /* Changes that all lost their conflicts changed nothing here: said so,
     * not "0 changes" above a list of conflicts. */
    if (s->files && !s->changes && s->kept)
        cli_putf(&r->o, CLI_PLAIN,
                 "applied %zu file%s of other replicas: kept %zu contact%s, archived, against "
                 "a delete made there (the conflicts below)\n",
                 s->files, s->files == 1 ? "" : "s", s->kept, s->kept == 1 ? "" : "s");
    else if (s->files && !s->changes && s->conflicts)
        cli_putf(&r->o, CLI_PLAIN,
                 "applied %zu file%s of other replicas: nothing changed here (this journal's "
                 "values were kept; the conflicts below)\n",
                 s->files, s->files == 1 ? "" : "s");
    else if (s->files)
        cli_putf(&r->o, CLI_PLAIN, "applied %zu file%s of other replicas (%zu change%s)\n",
                 s->files, s->files == 1 ? "" : "s", s->changes, s->changes == 1 ? "" : "s");
    /* Archived is hidden from lists: where to find it, and how back. */
    if (s->kept)
        cli_putf(&r->o, CLI_PLAIN,
                 "a contact kept against a delete stays archived: '%s list --all' shows it; "
                 "'%s edit NAME --unarchive' lists it again\n",
                 r->kith, r->kith);
    if (s->challenge_now) {
        char was[KDATE_BUF], now[KDATE_BUF];
        kdate_format(s->challenge_was, was);
        kdate_format(s->challenge_now, now);
        cli_putf(&r->o, CLI_WARN,
                 "the challenge is now the one started %s on another machine (the later "
                 "start, on every machine); the one started %s is listed by: %s challenge "
                 "history\n",
                 now, was, r->kith);
        /* The day is not done in the one shown: a tick would count it. */
        if (s->challenge_tick_stayed) {
            char day[KDATE_BUF];
            cli_putf(&r->o, CLI_WARN,
                     "today's tick (%s) stays with the one started %s; to tick that day in the "
                     "one shown now: %s tick --on %s\n",
                     kdate_format(s->challenge_tick_stayed, day), was, r->kith, day);
        }
    }
    if (s->pruned)
        cli_putf(&r->o, CLI_PLAIN, "removed %zu old file%s every replica has applied\n", s->pruned,
                 s->pruned == 1 ? "" : "s");
    if (s->committed)
        cli_putf(&r->o, CLI_PLAIN, "committed to git\n");
    if (s->restored)
        cli_putf(&r->o, CLI_WARN,
                 "put back %zu file%s of other replicas changed in this folder (only their "
                 "replica writes them): git had them as written; not committed\n",
                 s->restored, s->restored == 1 ? "" : "s");
    /* The transport still carrying a file: the next sync applies it. */
    for (size_t i = 0; i < s->nwait && i < SYNC_WAIT_MAX; i++)
        cli_putf(&r->o, CLI_PLAIN,
                 "file %lld of replica %s has not arrived yet; its later files wait\n",
                 s->wait[i].file, s->wait[i].replica);
    if (s->nwait > SYNC_WAIT_MAX)
        cli_putf(&r->o, CLI_PLAIN, "and %zu more replicas wait for a file\n",
                 s->nwait - SYNC_WAIT_MAX);
    if (ok && !s->started && !s->sent && !s->files && !s->committed && !s->restored &&
        !r->problems && !s->nwait && !s->rewrote && !s->nlost && !s->snap_again)
        cli_putf(&r->o, CLI_PLAIN, "up to date\n");
    /* Said by the sync that brings them: a pair of two contacts that were
     * here before is not news. */
    if (s->dupes && s->started)
        cli_putf(&r->o, CLI_WARN,
                 "this journal and the folder both had contacts: %zu pair%s may be one person "
                 "twice (an address book imported on two machines?); review and merge them "
                 "on one machine (the merges reach the others with their next sync): %s "
                 "dupes\n",
                 s->dupes, s->dupes == 1 ? "" : "s", r->kith);
    else if (s->dupes)
        cli_putf(&r->o, CLI_WARN,
                 "this sync brought contacts that may be people this journal already had, or "
                 "one another: %zu "
                 "pair%s may be one person twice (an address book imported on two machines?); "
                 "review and merge them on one machine (the merges reach the others with "
                 "their next sync): %s dupes\n",
                 s->dupes, s->dupes == 1 ? "" : "s", r->kith);
}

#define STALE_DAYS 30

static int stale(const char *seen);
static long ahead_days(const char *seen);

static int on_peer(const struct sync_peer_status *p, void *ud)
{
    struct run *r = ud;
    /* A replica holding old files back: long unseen, or never finished. */
    int is_stale = p->seen[0] && stale(p->seen);
    long ahead = ahead_days(p->seen);
    int holds =
        p->in_folder > 0 && r->sent > 0 && p->has_ours < r->sent && (p->has_ours < 0 || is_stale);
    if (r->json) {
        if (r->notes.len)
            sbuf_addc(&r->notes, ',');
        sbuf_printf(&r->notes, "{\"replica\":\"%s\",\"last_seen\":", p->replica);
        quote(r, &r->notes, p->seen[0] ? p->seen : NULL);
        sbuf_printf(&r->notes, ",\"stale\":%s,\"holds_back\":%s", is_stale ? "true" : "false",
                    holds ? "true" : "false");
        sbuf_printf(&r->notes, ",\"applied_file\":%lld,\"old_kith\":%s", p->applied,
                    p->old_kith ? "true" : "false");
        if (p->newer)
            sbuf_printf(&r->notes, ",\"newer_kith_file\":%lld", p->newer);
        else
            sbuf_printf(&r->notes, ",\"newer_kith_file\":null");
        sbuf_printf(&r->notes, ",\"clock_ahead_days\":%ld,\"cannot_catch_up\":%s", ahead,
                    p->in_folder > 0 && p->pruned > p->applied ? "true" : "false");
        if (p->damaged)
            sbuf_printf(&r->notes, ",\"damaged_file\":%lld,\"damaged_fix\":\"%s\"", p->damaged,
                        p->damaged_foreign ? "remove it from the folder"
                        : p->damaged_lost  ? "start again from a snapshot"
                        : p->damaged_old   ? "upgrade kith on its machine"
                                           : "its replica rewrites it");
        else
            sbuf_printf(&r->notes, ",\"damaged_file\":null,\"damaged_fix\":null");
        if (p->reports)
            sbuf_printf(&r->notes, ",\"reports_damaged\":%lld", p->reports);
        else
            sbuf_printf(&r->notes, ",\"reports_damaged\":null");
        /* Every file of this replica it found damaged, and whether a
         * snapshot stands for it (reports_damaged: the first). */
        sbuf_printf(&r->notes, ",\"reports_damaged_files\":[");
        for (size_t i = 0; i < p->nreports && i < SYNC_WAIT_MAX; i++)
            sbuf_printf(&r->notes, "%s{\"file\":%lld,\"lost\":%s}", i ? "," : "",
                        p->reported[i].file, p->reported[i].lost ? "true" : "false");
        sbuf_addc(&r->notes, ']');
        sbuf_printf(&r->notes, ",\"in_folder\":%s",
                    p->in_folder < 0 ? "null"
                    : p->in_folder   ? "true"
                                     : "false");
        if (p->has_ours >= 0)
            sbuf_printf(&r->notes, ",\"has_file\":%lld", p->has_ours);
        else
            sbuf_printf(&r->notes, ",\"has_file\":null");
        sbuf_addc(&r->notes, '}');
        return 0;
    }
    if (!r->npeers++)
        cli_putf(&r->o, CLI_BOLD, "other replicas\n");
    char seen[32];
    cli_local_time(p->seen, seen);
    cli_putf(&r->o, CLI_PLAIN, "  %s  last seen %s, applied up to its file %lld", p->replica,
             p->seen[0] ? seen : "never", p->applied);
    if (!p->in_folder)
        cli_putf(&r->o, CLI_DIM, "; forgotten (not in the folder)\n");
    else if (p->has_ours >= 0)
        cli_putf(&r->o, CLI_PLAIN, "; has this one's up to file %lld\n", p->has_ours);
    else if (p->in_folder > 0)
        cli_putf(&r->o, CLI_PLAIN, "; its first sync never finished\n");
    else
        cli_putf(&r->o, CLI_PLAIN, "\n");
    if (p->newer)
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its file %lld is from a newer kith (a changeset format or journal "
                 "version this one does not read); it and its later files wait: upgrade kith "
                 "on this machine, then: %s sync\n",
                 p->newer, r->kith);
    if (p->in_folder > 0 && p->pruned > p->applied) {
        char *q = r->dir ? kstr_shell(r->dir) : kstr_dup("DIR");
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its files %lld to %lld are no longer in the folder (removed once "
                 "every replica then known had them): this journal cannot catch up with it; "
                 "start it again from a snapshot, in a new journal: kith --db NEW.db sync %s\n",
                 p->applied + 1, p->pruned, q);
        free(q);
    }
    /* Its stamps win every conflict with a change made here before its
     * clock's time, and every replica's clock follows it. */
    if (ahead > 0)
        cli_putf(&r->o, CLI_WARN,
                 "    its last sync is dated %ld day%s ahead of this machine's clock: its "
                 "clock runs ahead, and its changes win every conflict with a change made here "
                 "until then; set that machine's clock right\n",
                 ahead, ahead == 1 ? "" : "s");
    if (p->old_kith)
        cli_putf(&r->o, CLI_WARN,
                 "    runs an older kith, which cannot read this one's file %lld (a newer "
                 "changeset format or journal version) nor any after it: upgrade kith on that "
                 "machine and sync there\n",
                 p->has_ours + 1);
    /* A damaged file holds back its replica's later files (and every
     * prune) until it is written again. */
    if (p->damaged && p->damaged_foreign)
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its file %lld in the folder is not one kith wrote there (not a "
                 "changeset, another file copied in): remove it from the folder; that replica "
                 "then writes its own file %lld at its next sync\n",
                 p->damaged, p->damaged);
    else if (p->damaged && p->damaged_lost) {
        char *q = r->dir ? kstr_shell(r->dir) : kstr_dup("DIR");
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its file %lld is damaged in the folder, and that replica no longer "
                 "has it to write again: start this journal again from a snapshot, in a new "
                 "journal: kith --db NEW.db sync %s; then forget this one from there: kith --db "
                 "NEW.db sync forget %.8s\n",
                 p->damaged, q, r->me);
        free(q);
    } else if (p->damaged && p->damaged_old)
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its file %lld is damaged in the folder, and its later files wait "
                 "for it; that replica runs an older kith, which does not write it again: "
                 "upgrade kith on that machine and sync there, then here: %s sync\n",
                 p->damaged, r->kith);
    else if (p->damaged)
        cli_putf(&r->o, CLI_WARN,
                 "    stuck: its file %lld is damaged in the folder, and its later files wait "
                 "for it; that replica writes it again at its next sync: sync on that "
                 "machine, then here: %s sync\n",
                 p->damaged, r->kith);
    for (size_t i = 0; i < p->nreports && i < SYNC_WAIT_MAX; i++)
        if (p->reported[i].lost)
            cli_putf(&r->o, CLI_WARN,
                     "    it found this replica's file %lld damaged, which this replica no longer "
                     "has to write again: a snapshot of this journal stands for it; that replica "
                     "starts again from it\n",
                     p->reported[i].file);
        else
            cli_putf(&r->o, CLI_WARN,
                     "    it found this replica's file %lld damaged, which the next sync here "
                     "writes again: %s sync\n",
                     p->reported[i].file, r->kith);
    if (p->nreports > SYNC_WAIT_MAX)
        cli_putf(&r->o, CLI_WARN, "    and %zu more of this replica's files it found damaged\n",
                 p->nreports - SYNC_WAIT_MAX);
    if (holds)
        cli_putf(&r->o, CLI_DIM,
                 "    old files wait for it; if that machine is gone: %s sync forget %.8s\n",
                 r->kith, p->replica);
    return 0;
}

/* Last seen more than STALE_DAYS before today (by its clock's date). */
static int stale(const char *seen)
{
    int today, day;
    if (strlen(seen) < 10 || !kdate_parse_n(seen, 10, &day) || kdate_today(&today, NULL) != K_OK)
        return 0;
    return today - day > STALE_DAYS;
}

/* How many whole days (at least 1) the time a replica last synced at, by
 * its clock (UTC), is ahead of this machine's clock by more than a day;
 * else 0. The real clock, not KITH_TODAY's date. */
static long ahead_days(const char *seen)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strlen(seen) < 19 || sscanf(seen, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
                                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const time_t day = (time_t)24 * 3600;
    time_t at = timegm(&tm), now = time(NULL);
    if (at == (time_t)-1 || at - now <= day)
        return 0;
    return (long)((at - now) / day);
}

/* git: --git (1), --no-git (0), unsaid (-1); said, it is remembered as
 * a sync remembers it. */
static int forget(struct run *r, const char *replica, int git, struct kerr *e)
{
    struct sync_forgot f;
    int rc = sync_forget(r->j, replica, git, &f, e);
    if (rc == K_OK && git >= 0)
        rc = sync_set_git(r->j, git, e);
    if (rc != K_OK)
        return rc;
    if (r->json) {
        struct sbuf b = {0};
        sbuf_printf(&b, "{\"forgot\":\"%s\",\"last_seen\":", f.replica);
        quote(r, &b, f.seen[0] ? f.seen : NULL);
        sbuf_printf(&b, ",\"removed_files\":%zu,\"committed\":%s}", f.removed,
                    f.committed ? "true" : "false");
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        return K_OK;
    }
    char seen[32];
    cli_local_time(f.seen, seen);
    cli_putf(&r->o, CLI_PLAIN, "forgot replica %s (last seen %s): removed its folder, %zu file%s\n",
             f.replica, f.seen[0] ? seen : "never", f.removed, f.removed == 1 ? "" : "s");
    cli_putf(&r->o, CLI_PLAIN, "this journal's old files no longer wait for it\n");
    if (f.committed)
        cli_putf(&r->o, CLI_PLAIN,
                 "committed the removal to git, which the next sync pushes: %s sync --git\n",
                 r->kith);
    return K_OK;
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
            cli_putf(&r->o, CLI_PLAIN, "sync is off; to turn it on: %s sync DIR\n", r->kith);
        return K_OK;
    }
    r->sent = s.sent;
    r->me = s.replica;
    r->dir = s.dir;
    if (r->json) {
        if ((rc = sync_peers(r->j, on_peer, r, e)) != K_OK ||
            (rc = sync_conflicts(r->j, 0, on_conflict, r, e)) != K_OK ||
            (rc = sync_copies(r->j, on_copy, r, e)) != K_OK)
            goto out;
        struct sbuf b = {0};
        sbuf_printf(&b, "{\"replica\":\"%s\",\"dir\":", s.replica);
        quote(r, &b, s.dir);
        sbuf_printf(&b,
                    ",\"dir_missing\":%s,\"git\":%s,\"git_said\":%s,\"sent_file\":%lld,"
                    "\"unsent\":%zu,\"replicas\":[%s],\"conflicts\":[%s],"
                    "\"conflicted_copies\":[%s]}",
                    s.dir_missing ? "true" : "false", s.git ? "true" : "false",
                    s.git_said < 0 ? "null"
                    : s.git_said   ? "true"
                                   : "false",
                    s.sent, s.unsent, r->notes.s ? r->notes.s : "", r->items.s ? r->items.s : "",
                    r->copies.s ? r->copies.s : "");
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        goto out;
    }
    cli_putf(&r->o, CLI_BOLD, "replica ");
    cli_putf(&r->o, CLI_PLAIN, "%s (this journal)\n", s.replica);
    cli_putf(&r->o, CLI_BOLD, "folder  ");
    cli_put(&r->o, CLI_PLAIN, s.dir ? s.dir : "", 0, 0);
    if (s.dir_missing)
        cli_putf(&r->o, CLI_WARN, " (not there: a USB stick not plugged in, a share not mounted?)");
    cli_putf(&r->o, CLI_PLAIN, "\n");
    if (s.git_said >= 0 || s.git) {
        cli_putf(&r->o, CLI_BOLD, "git     ");
        if (s.git_said == 0)
            cli_putf(&r->o, CLI_PLAIN, "no: said with --no-git; to turn it on: %s sync --git\n",
                     r->kith);
        else
            cli_putf(&r->o, CLI_PLAIN,
                     "'kith sync' pulls, commits and pushes (%s; --no-git turns it off)\n",
                     s.git_said > 0 ? "said with --git"
                                    : "the folder is the top of a git work tree");
    }
    if (s.unsent)
        cli_putf(&r->o, CLI_PLAIN, "%zu change%s not yet in the folder\n", s.unsent,
                 s.unsent == 1 ? "" : "s");
    else if (!s.sent)
        cli_putf(&r->o, CLI_PLAIN, "no change of this journal's to send yet\n");
    else if (s.dir_missing)
        /* The folder cannot say what it holds: what was written there. */
        cli_putf(&r->o, CLI_PLAIN, "every change was written to the folder (last file %lld)\n",
                 s.sent);
    else
        cli_putf(&r->o, CLI_PLAIN, "every change is in the folder (last file %lld)\n", s.sent);
    if ((rc = sync_peers(r->j, on_peer, r, e)) != K_OK)
        goto out;
    if (!r->npeers)
        cli_putf(&r->o, CLI_BOLD, "other replicas\n");
    if (!r->npeers)
        cli_putf(&r->o, CLI_PLAIN, "  none yet\n");
    cli_putf(&r->o, CLI_BOLD, "conflicts resolved\n");
    /* The list grows with every sync: the most recent, the rest on asking. */
    size_t all = 0;
    if ((rc = sync_conflicts(r->j, 0, count_conflict, &all, e)) != K_OK)
        goto out;
    r->skip = !r->all && all > SHOWN_CONFLICTS ? all - SHOWN_CONFLICTS : 0;
    if (r->skip)
        cli_putf(&r->o, CLI_PLAIN, "  %zu older conflict%s: %s sync status --all\n", r->skip,
                 r->skip == 1 ? "" : "s", r->kith);
    if ((rc = sync_conflicts(r->j, 0, on_conflict, r, e)) != K_OK)
        goto out;
    if (!r->n)
        cli_putf(&r->o, CLI_PLAIN, "  none\n");
    r->list_copies = 1;
    rc = sync_copies(r->j, on_copy, r, e);
out:
    sync_status_clear(&s);
    return rc;
}

int cli_sync(int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {{"--git", 0},  {"--no-git", 0}, {"--move", 0},
                                              {"--json", 0}, {"--all", 0},    {NULL, 0}};
    struct cli_cmd cmd;
    struct run r;
    struct sync_status was; /* with no DIR: the journal's folder */
    int rc;
    memset(&r, 0, sizeof r);
    memset(&was, 0, sizeof was);
    r.kith = cli_command(g);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, spec)) != K_OK)
        goto out;
    if (cmd.a.help) {
        free(r.kith);
        return cli_cmd_help(&cmd, sync_help);
    }
    int is_forget = cmd.a.npos && !strcmp(cmd.a.pos[0], "forget");
    if (is_forget && cmd.a.npos != 2) {
        rc = cmd.a.npos < 2
                 ? cli_cmd_usage(&cmd, "which replica? give its id; to list them: %s sync status",
                                 r.kith)
                 : cli_cmd_usage(&cmd, "one replica at a time");
        goto out;
    }
    if (cmd.a.npos > 1 && !strcmp(cmd.a.pos[0], "status")) {
        char *x = kstr_escape(cmd.a.pos[1]);
        rc = cli_cmd_usage(&cmd, "status takes no argument, not '%.100s'", x);
        free(x);
        goto out;
    }
    if (!is_forget && cmd.a.npos > 1) {
        rc = cli_cmd_usage(&cmd, "one folder at a time");
        goto out;
    }
    /* No DIR: the folder this journal syncs through, once sync is on. */
    int is_again = !cmd.a.npos;
    int is_status = !is_again && !strcmp(cmd.a.pos[0], "status");
    int git_said = cli_args_has(&cmd.a, "--git") ? 1 : cli_args_has(&cmd.a, "--no-git") ? 0 : -1;
    if (is_status && git_said >= 0) {
        rc = cli_cmd_usage(&cmd,
                           git_said ? "--git goes with 'kith sync [DIR]' or 'kith sync forget'"
                                    : "--no-git goes with 'kith sync [DIR]' or 'kith sync forget'");
        goto out;
    }
    if (cli_args_has(&cmd.a, "--git") && cli_args_has(&cmd.a, "--no-git")) {
        rc = cli_cmd_usage(&cmd, "--git or --no-git, not both");
        goto out;
    }
    if (!is_status && cli_args_has(&cmd.a, "--all")) {
        rc = cli_cmd_usage(&cmd, "--all goes with 'kith sync status' (every conflict)");
        goto out;
    }
    if ((is_status || is_forget || is_again) && cli_args_has(&cmd.a, "--move")) {
        rc = cli_cmd_usage(&cmd, "--move goes with 'kith sync DIR' (the folder moved to)");
        goto out;
    }
    if (!is_again && !*cmd.a.pos[0]) {
        rc = cli_cmd_usage(&cmd, "the folder's name is empty");
        goto out;
    }
    r.json = cli_args_has(&cmd.a, "--json");
    r.all = cli_args_has(&cmd.a, "--all");
    cli_out_init(&r.o, g);
    if ((rc = cli_open(g, is_status || is_forget || is_again ? 0 : JOURNAL_CREATE, &cmd.cfg, &cmd.j,
                       &cmd.e)) != K_OK) {
        if (is_again && rc == K_NOTFOUND) {
            kerr_clear(&cmd.e);
            rc = cli_cmd_usage(&cmd, "which folder? give DIR");
            goto out;
        }
        /* No journal: nothing syncs yet, and status has nothing to say. */
        if (is_status && rc == K_NOTFOUND) {
            kerr_clear(&cmd.e);
            rc = K_OK;
            if (r.json)
                cli_json_put(stdout, "{\"replica\":null}");
            else
                cli_putf(&r.o, CLI_PLAIN, "sync is off; to turn it on: %s sync DIR\n", r.kith);
        }
        goto out;
    }
    r.j = cmd.j;
    if (is_status) {
        rc = status(&r, &cmd.e);
        goto out;
    }
    if (is_forget) {
        rc = forget(&r, cmd.a.pos[1], git_said, &cmd.e);
        r.synced = 1; /* the journal was there before */
        goto out;
    }
    struct sync_report s;
    long long last = 0;
    if ((rc = sync_status(cmd.j, &was, &cmd.e)) != K_OK)
        goto out;
    if (is_again) {
        r.synced = 1; /* the journal was there before */
        if (!was.dir) {
            rc = cli_cmd_usage(&cmd, "which folder? give DIR (the first 'kith sync DIR' turns "
                                     "sync on; after that, 'kith sync' alone uses that folder)");
            goto out;
        }
    }
    const char *dir = is_again ? was.dir : cmd.a.pos[0];
    unsigned flags = git_said == 1 ? SYNC_GIT : 0;
    if (cli_args_has(&cmd.a, "--move"))
        flags |= SYNC_MOVE;
    /* The journal's own folder (named or not) syncs as the last --git or
     * --no-git said; never said, as a git work tree when it is the top of
     * one. */
    char *real = was.dir ? kpath_real(dir) : NULL;
    if (git_said < 0 && real && !strcmp(real, was.dir) && was.git)
        flags |= SYNC_GIT;
    free(real);
    if ((rc = sync_conflict_last(cmd.j, &last, &cmd.e)) != K_OK)
        goto out;
    int run = sync_run(cmd.j, dir, flags, on_note, &r, &s, &cmd.e);
    if (run == K_USAGE) {
        rc = K_ERR; /* the folder: not a usage line's business */
        goto out;
    }
    /* What did happen is reported even when a replica's file failed. */
    if (s.replica[0]) {
        struct kerr e2;
        r.synced = 1;
        /* Said once, kept: 'kith sync' alone does the same from now on. */
        if (git_said >= 0 && (s.started || was.git_said != git_said) &&
            sync_set_git(cmd.j, git_said, &e2) != K_OK && run == K_OK) {
            run = K_ERR;
            cmd.e = e2;
        }
        /* JSON wants them inside the object; a reader, after what the run did. */
        r.list_conflicts = 1;
        r.me = s.replica;
        if (r.json)
            sync_conflicts(cmd.j, last, on_conflict, &r, &e2);
        sync_copies(cmd.j, on_copy, &r, &e2);
        /* The folder as status names it, not as typed. */
        char *shown = kpath_real(dir);
        print_run(&r, &s, shown ? shown : dir, run == K_OK ? NULL : cmd.e.msg);
        free(shown);
        if (!r.json)
            sync_conflicts(cmd.j, last, on_conflict, &r, &e2);
        print_copies(&r);
        /* --json: the error is in the object, not said again. */
        r.quiet = r.json;
        r.printed = r.json;
    }
    rc = run;
out:
    /* --json: an object, whatever went wrong once the journal was open
     * (a usage error keeps its usage line). */
    if (r.json && rc != K_OK && rc != K_USAGE && !r.printed) {
        struct sbuf b = {0};
        /* The journal's id, where it had one before this run. */
        sbuf_add(&b, "{\"replica\":");
        quote(&r, &b, was.replica[0] ? was.replica : NULL);
        sbuf_add(&b, ",\"error\":");
        quote(&r, &b, cmd.e.msg);
        sbuf_addc(&b, '}');
        cli_json_put(stdout, b.s);
        sbuf_free(&b);
        r.quiet = 1;
    }
    sync_status_clear(&was);
    /* A journal this command made and could not sync is not left behind. */
    if (rc != K_OK && !r.synced)
        journal_discard(&cmd.j);
    sbuf_free(&r.notes);
    sbuf_free(&r.items);
    sbuf_free(&r.copies);
    free(r.kith);
    if (r.quiet && rc != K_OK) {
        cli_cmd_free(&cmd);
        return kerr_exit_code(rc);
    }
    return cli_cmd_end(&cmd, rc, "sync", sync_usage);
}
