#include "kith/cli/cli_history.h"

#include "kith/cli/cli_util.h"
#include "kith/core/history.h"

#include <stdio.h>
#include <string.h>

static const char undo_usage[] = "kith undo [--list]";
static const char undo_help[] =
    "usage: kith undo [--list]\n"
    "\n"
    "Takes back the last change made with the command line (add, edit, rm, log,\n"
    "refer, outcome, thank, challenge start, tick, remind); run it again for the\n"
    "one before. The full-screen journal keeps its own history (u there). A\n"
    "change is not undone when what it changed was changed since: kith says so\n"
    "and changes nothing. An import or the demo cannot be undone (restore a\n"
    "backup); undo stops there. The history is kept in the journal, 200\n"
    "changes deep.\n"
    "\n"
    "  --list   the history, newest first, and what undo and redo would do\n";

static const char redo_usage[] = "kith redo";
static const char redo_help[] = "usage: kith redo\n"
                                "\n"
                                "Does again what kith undo took back, most recent first, until a "
                                "new\n"
                                "change is made with the command line.\n";

static int list(struct cli_cmd *cmd, const struct cli_globals *g)
{
    struct history_list l;
    struct cli_out o;
    int rc = history_list(cmd->j, "cli", 0, &l, &cmd->e);
    if (rc != K_OK)
        return rc;
    cli_out_init(&o, g);
    if (!l.n)
        cli_putf(&o, CLI_DIM, "no changes made with the command line yet\n");
    for (size_t i = 0; i < l.n; i++) {
        char when[32];
        cli_local_time(l.v[i].at, when);
        cli_putf(&o, CLI_DIM, "%s  ", when);
        cli_putf(&o, l.v[i].undone ? CLI_DIM : CLI_PLAIN, "%-7s ",
                 l.v[i].undone  ? "undone"
                 : !l.v[i].kept ? "bulk"
                                : "done");
        cli_put(&o, l.v[i].undone ? CLI_DIM : CLI_PLAIN, l.v[i].label, 0, 0);
        fputc('\n', o.f);
    }
    history_list_clear(&l);
    return K_OK;
}

static int run(int argc, char **argv, const struct cli_globals *g, int redo)
{
    static const struct cli_optspec undo_spec[] = {{"--list", 0}, {NULL, 0}};
    static const struct cli_optspec redo_spec[] = {{NULL, 0}};
    const char *name = redo ? "redo" : "undo";
    const char *usage = redo ? redo_usage : undo_usage;
    struct cli_cmd cmd;
    struct history_step s;
    int rc;
    memset(&s, 0, sizeof s);
    if ((rc = cli_cmd_parse(&cmd, argc, argv, redo ? redo_spec : undo_spec)) != K_OK)
        goto out;
    if (cmd.a.help)
        return cli_cmd_help(&cmd, redo ? redo_help : undo_help);
    if (cmd.a.npos) {
        rc = cli_cmd_usage(&cmd, "kith %s takes no arguments", name);
        goto out;
    }
    if ((rc = cli_open(g, 0, &cmd.cfg, &cmd.j, &cmd.e)) != K_OK)
        goto out;
    if (cli_args_has(&cmd.a, "--list")) {
        rc = list(&cmd, g);
        goto out;
    }
    rc = redo ? history_redo(cmd.j, "cli", &s, &cmd.e) : history_undo(cmd.j, "cli", &s, &cmd.e);
    if (rc != K_OK)
        goto out;
    struct cli_out o;
    cli_out_init(&o, g);
    cli_putf(&o, CLI_PLAIN, "%s: ", redo ? "redid" : "undid");
    cli_put(&o, CLI_BOLD, s.label, 0, 0);
    fputc('\n', o.f);
out:
    history_step_clear(&s);
    return cli_cmd_end(&cmd, rc, name, usage);
}

int cli_undo(int argc, char **argv, const struct cli_globals *g)
{
    return run(argc, argv, g, 0);
}

int cli_redo(int argc, char **argv, const struct cli_globals *g)
{
    return run(argc, argv, g, 1);
}
