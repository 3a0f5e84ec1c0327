#include "kith/cli/cli_vdir.h"

#include "kith/cli/cli_conflict.h"
#include "kith/cli/cli_util.h"
#include "kith/util/kstr.h"
#include "kith/core/vdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char vdir_usage[] =
    "kith vdir DIR [--version 3.0|4.0] [--json] | kith vdir --calendar DIR [--json]";
static const char vdir_help[] =
    "usage: kith vdir DIR [--version 3.0|4.0] [--json]\n"
    "       kith import vdir DIR [--json]\n"
    "       kith export vdir DIR [--version 3.0|4.0] [--json]\n"
    "       kith export vdir --calendar DIR [--json]   (or kith vdir --calendar DIR)\n"
    "\n"
    "Keeps a folder of one vCard per contact (UID.vcf) in step with the journal:\n"
    "the vdir that khard reads and vdirsyncer syncs with a CardDAV server, and\n"
    "so with a phone. 'kith vdir DIR' imports, then exports: run it before or\n"
    "after 'vdirsyncer sync'.\n"
    "\n"
    "The journal remembers what kith last wrote to each file, so it knows which\n"
    "side changed what. Export writes only the files whose contact changed in\n"
    "kith (each through a temporary file renamed over it), removes the files of\n"
    "contacts deleted or archived in kith, and leaves alone every file changed\n"
    "in the folder since kith wrote it, until an import has taken the change in.\n"
    "Import takes from each changed file the fields it changed since kith wrote\n"
    "it; a field kith changed too, to something else, keeps kith's value and is\n"
    "reported as a conflict (and kept in the journal's list of sync conflicts).\n"
    "A new file adds a contact, or, with the UID of one kith has, adds what it\n"
    "has and kith lacks; a removed file archives its contact, never deletes it.\n"
    "Archived contacts are not in the folder. Files that are not vCards, and\n"
    "hidden files, are left alone.\n"
    "\n"
    "  --calendar   DIR is a calendar folder (khal, todoman, vdirsyncer to\n"
    "               CalDAV): every reminder due today as a to-do with its due\n"
    "               date and priority, every birthday as a yearly event, and\n"
    "               today's challenge act as a to-do; one .ics per item, stable\n"
    "               UIDs. A reminder done in kith is completed there, one\n"
    "               completed there (STATUS:COMPLETED) is marked done in kith\n"
    "               on the next run; so is the challenge's day.\n"
    "  --version V  the vCard version written: 3.0 (the default) or 4.0\n"
    "  --json       what happened as one JSON object, conflicts included\n";

enum mode { MODE_IMPORT = 1, MODE_EXPORT = 2, MODE_BOTH = 3, MODE_CALENDAR = 4 };

struct note {
    char *file, *msg;
};

struct run {
    struct cli_out o;
    struct journal *j;
    const char *dir;
    int json;
    struct note *notes;
    size_t nnotes;
    struct kconflict *conflicts;
    size_t nconflicts;
};

static void on_note(const char *name, const char *msg, void *ud)
{
    struct run *r = ud;
    if (!r->json) {
        char *d = kstr_escape(r->dir), *f = kstr_escape(name), *m = kstr_escape(msg);
        fprintf(stderr, "%s/%s: %s\n", d, f, m);
        free(d);
        free(f);
        free(m);
        return;
    }
    r->notes = kgrowarray(r->notes, r->nnotes, sizeof *r->notes);
    r->notes[r->nnotes++] = (struct note){kstr_dup(name), kstr_dup(msg)};
}

static void on_conflict(const struct kconflict *c, void *ud)
{
    struct run *r = ud;
    if (r->json) {
        r->conflicts = kgrowarray(r->conflicts, r->nconflicts, sizeof *r->conflicts);
        struct kconflict *d = &r->conflicts[r->nconflicts++];
        memset(d, 0, sizeof *d);
        snprintf(d->entity_id, sizeof d->entity_id, "%s", c->entity_id);
        d->name = kstr_dup(c->name);
        d->field = kstr_dup(c->field);
        d->kept = kstr_dup(c->kept);
        d->other = kstr_dup(c->other);
        d->place = kstr_dup(c->place);
        d->rule = kstr_dup(c->rule);
        return;
    }
    char *kept = cli_conflict_one_line(c->kept), *other = cli_conflict_one_line(c->other);
    cli_putf(&r->o, CLI_WARN, "conflict: ");
    cli_put(&r->o, CLI_PLAIN, c->name ? c->name : c->entity_id, 0, 0);
    cli_putf(&r->o, CLI_PLAIN, ", %s: ", c->field);
    if (!strcmp(c->field, "contact")) {
        cli_put(&r->o, CLI_PLAIN, c->rule, 0, 0);
    } else {
        cli_putf(&r->o, CLI_PLAIN, "kept kith's \"");
        cli_put(&r->o, CLI_PLAIN, kept, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, "\", not the file's \"");
        cli_put(&r->o, CLI_PLAIN, other, 0, 0);
        cli_putf(&r->o, CLI_PLAIN, "\"");
    }
    cli_putf(&r->o, CLI_PLAIN, " (");
    cli_put(&r->o, CLI_PLAIN, c->place, 0, 0);
    cli_putf(&r->o, CLI_PLAIN, ")\n");
    free(kept);
    free(other);
}

static void quote(struct run *r, struct sbuf *b, const char *s)
{
    cli_conflict_quote(r->j, b, s);
}

static void json_counts(struct sbuf *b, int mode, const struct vdir_stats *s)
{
    if (mode & MODE_IMPORT)
        sbuf_printf(b,
                    "\"import\":{\"added\":%zu,\"updated\":%zu,\"archived\":%zu,\"unchanged\":%zu,"
                    "\"skipped\":%zu,\"conflicts\":%zu},",
                    s[0].added, s[0].updated, s[0].archived, s[0].same, s[0].skipped,
                    s[0].conflicts);
    if (mode & (MODE_EXPORT | MODE_CALENDAR))
        sbuf_printf(b,
                    "\"%s\":{\"written\":%zu,\"removed\":%zu,\"unchanged\":%zu,\"left_alone\":%zu",
                    mode & MODE_CALENDAR ? "calendar" : "export", s[1].written, s[1].removed,
                    s[1].unchanged, s[1].held);
    if (mode & MODE_CALENDAR)
        sbuf_printf(b, ",\"done_in_folder\":%zu", s[1].done);
    if (mode & (MODE_EXPORT | MODE_CALENDAR))
        sbuf_add(b, "},");
}

static void print_json(struct run *r, int mode, const struct vdir_stats *s)
{
    struct sbuf b = {0};
    sbuf_add(&b, "{\"dir\":");
    quote(r, &b, r->dir);
    sbuf_addc(&b, ',');
    json_counts(&b, mode, s);
    sbuf_add(&b, "\"conflicts\":[");
    for (size_t i = 0; i < r->nconflicts; i++) {
        sbuf_add(&b, i ? "," : "");
        cli_conflict_json(r->j, &b, &r->conflicts[i], CLI_CONFLICT_VDIR);
    }
    sbuf_add(&b, "],\"notes\":[");
    for (size_t i = 0; i < r->nnotes; i++) {
        sbuf_add(&b, i ? ",{\"file\":" : "{\"file\":");
        quote(r, &b, r->notes[i].file);
        sbuf_add(&b, ",\"message\":");
        quote(r, &b, r->notes[i].msg);
        sbuf_addc(&b, '}');
    }
    sbuf_add(&b, "]}");
    cli_json_put(r->o.f, b.s);
    sbuf_free(&b);
}

static void print_text(struct run *r, int mode, const struct vdir_stats *s)
{
    if (mode & MODE_IMPORT)
        cli_putf(&r->o, CLI_PLAIN,
                 "import: added %zu, updated %zu, archived %zu, unchanged %zu, skipped %zu, "
                 "conflicts %zu\n",
                 s[0].added, s[0].updated, s[0].archived, s[0].same, s[0].skipped, s[0].conflicts);
    if (mode & (MODE_EXPORT | MODE_CALENDAR))
        cli_putf(&r->o, CLI_PLAIN, "%s: wrote %zu, removed %zu, unchanged %zu, left alone %zu",
                 mode & MODE_CALENDAR ? "calendar" : "export", s[1].written, s[1].removed,
                 s[1].unchanged, s[1].held);
    if (mode & MODE_CALENDAR)
        cli_putf(&r->o, CLI_PLAIN, ", done in the folder %zu", s[1].done);
    if (mode & (MODE_EXPORT | MODE_CALENDAR))
        cli_putf(&r->o, CLI_PLAIN, "\n");
}

static void run_free(struct run *r)
{
    for (size_t i = 0; i < r->nnotes; i++) {
        free(r->notes[i].file);
        free(r->notes[i].msg);
    }
    free(r->notes);
    for (size_t i = 0; i < r->nconflicts; i++)
        kconflict_clear(&r->conflicts[i]);
    free(r->conflicts);
}

/* argv[0] is the command; for import and export argv[1] is "vdir". */
static int run_vdir(int mode, int argc, char **argv, const struct cli_globals *g)
{
    static const struct cli_optspec spec[] = {
        {"--version", 1}, {"--json", 0}, {"--calendar", 0}, {NULL, 0}};
    struct cli_cmd cmd;
    struct run r;
    struct vdir_stats s[2];
    int skip = mode == MODE_BOTH ? 0 : 1;
    int rc;
    memset(&r, 0, sizeof r);
    memset(s, 0, sizeof s);
    if ((rc = cli_cmd_parse(&cmd, argc - skip, argv + skip, spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, vdir_help);
    if (cmd.a.npos != 1) {
        rc = cli_cmd_usage(&cmd, cmd.a.npos ? "one folder at a time" : "which folder? give DIR");
        goto out;
    }
    const char *ver = cli_args_get(&cmd.a, "--version");
    int calendar = cli_args_has(&cmd.a, "--calendar");
    if (calendar && mode == MODE_IMPORT) {
        rc = cli_cmd_usage(&cmd, "a calendar folder is read back by 'kith export vdir "
                                 "--calendar DIR' itself");
        goto out;
    }
    if (calendar)
        mode = MODE_CALENDAR;
    if (ver && (mode == MODE_IMPORT || calendar)) {
        rc = cli_cmd_usage(&cmd, "--version goes with the vCards an export writes");
        goto out;
    }
    if (ver && strcmp(ver, "3.0") && strcmp(ver, "4.0")) {
        rc = cli_cmd_usage(&cmd, "--version is 3.0 or 4.0");
        goto out;
    }
    if (!*cmd.a.pos[0]) {
        rc = cli_cmd_usage(&cmd, "the folder's name is empty");
        goto out;
    }
    r.dir = cmd.a.pos[0];
    struct stat ds;
    if ((mode & MODE_IMPORT) && stat(r.dir, &ds) != 0) {
        /* Before the journal is opened: a wrong name creates no journal. */
        rc = kerr_set(&cmd.e, K_ERR, "cannot open the folder %s: it does not exist", r.dir);
        goto out;
    }
    r.json = cli_args_has(&cmd.a, "--json");
    struct vdir_opts o = {ver && !strcmp(ver, "4.0") ? VCARD_V40 : VCARD_V30, on_note, on_conflict,
                          &r};
    if ((rc = cli_open(g, mode & MODE_IMPORT ? JOURNAL_CREATE : 0, &cmd.cfg, &cmd.j, &cmd.e)) !=
        K_OK)
        goto out;
    r.j = cmd.j;
    cli_out_init(&r.o, g);
    if (mode & MODE_IMPORT)
        rc = vdir_import(cmd.j, r.dir, &o, &s[0], &cmd.e);
    if (rc == K_OK && (mode & MODE_EXPORT))
        rc = vdir_export(cmd.j, r.dir, &o, &s[1], &cmd.e);
    if (rc == K_OK && mode == MODE_CALENDAR)
        rc = vdir_calendar(cmd.j, r.dir, &o, &s[1], &cmd.e);
    if (rc == K_NOTFOUND || rc == K_USAGE)
        rc = K_ERR;
    if (rc == K_OK && r.json)
        print_json(&r, mode, s);
    else if (rc == K_OK)
        print_text(&r, mode, s);
out:
    run_free(&r);
    if (rc != K_OK)
        journal_discard(&cmd.j);
    return cli_cmd_end(&cmd, rc, mode == MODE_BOTH ? "vdir" : argv[0], vdir_usage);
}

int cli_vdir(int argc, char **argv, const struct cli_globals *g)
{
    return run_vdir(MODE_BOTH, argc, argv, g);
}

int cli_import_vdir(int argc, char **argv, const struct cli_globals *g)
{
    return run_vdir(MODE_IMPORT, argc, argv, g);
}

int cli_export_vdir(int argc, char **argv, const struct cli_globals *g)
{
    return run_vdir(MODE_EXPORT, argc, argv, g);
}
