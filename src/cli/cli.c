#include "kith/cli/cli.h"

#include "kith/cli/cli_challenge.h"
#include "kith/cli/cli_contact.h"
#include "kith/cli/cli_dupes.h"
#include "kith/cli/cli_give.h"
#include "kith/cli/cli_history.h"
#include "kith/cli/cli_io.h"
#include "kith/cli/cli_log.h"
#include "kith/cli/cli_mail.h"
#include "kith/cli/cli_referral.h"
#include "kith/cli/cli_today.h"
#include "kith/core/history.h"
#include "kith/cli/cli_sync.h"
#include "kith/cli/cli_vdir.h"
#include "kith/util/kpath.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: kith [--db PATH] [--config PATH] [--theme NAME|PATH] [--no-color] [COMMAND ...]\n"
    "\n"
    "A terminal journal for professional relationships. With no command and a\n"
    "terminal, kith opens the full-screen journal.\n"
    "\n"
    "Run 'kith --help' for the commands, 'kith COMMAND --help' for one of them.\n";

void cli_error(const struct kerr *e)
{
    /* Messages may quote user data; escape all but the line breaks. */
    const char *m = e && e->msg[0] ? e->msg : "failed";
    fputs("kith: ", stderr);
    while (*m) {
        const char *nl = strchr(m, '\n');
        size_t n = nl ? (size_t)(nl - m) : strlen(m);
        char *line = kstr_ndup(m, n);
        char *esc = kstr_escape(line);
        fputs(esc, stderr);
        free(esc);
        free(line);
        if (!nl)
            break;
        fputc('\n', stderr);
        m = nl + 1;
    }
    fputc('\n', stderr);
}

int cli_parse_globals(int argc, char **argv, struct cli_globals *g)
{
    memset(g, 0, sizeof *g);
    const char *nc = getenv("NO_COLOR");
    g->no_color = nc && *nc;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char **target = NULL;
        if (!strcmp(a, "--db"))
            target = &g->db_path;
        else if (!strcmp(a, "--config"))
            target = &g->config_path;
        else if (!strcmp(a, "--theme"))
            target = &g->theme;
        if (target) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kith: %s needs a value\n", a);
                return 2;
            }
            *target = argv[++i];
            continue;
        }
        if (!strncmp(a, "--db=", 5)) {
            g->db_path = a + 5;
        } else if (!strncmp(a, "--config=", 9)) {
            g->config_path = a + 9;
        } else if (!strncmp(a, "--theme=", 8)) {
            g->theme = a + 8;
        } else if (!strcmp(a, "--no-color")) {
            g->no_color = 1;
        } else if (!strcmp(a, "--version")) {
            printf("kith %s\n", KITH_VERSION);
            return 0;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (a[0] == '-' && a[1]) {
            if (!strcmp(a, "--help") || !strcmp(a, "-h"))
                break; /* cli_run prints the full help */
            struct kerr e;
            char *esc = kstr_escape(a);
            kerr_set(&e, K_USAGE, "unknown option '%s'", esc);
            free(esc);
            cli_error(&e);
            fputs(usage_text, stderr);
            return 2;
        } else {
            break;
        }
    }
    g->argi = i;
    return -1;
}

/* Before a long upgrade: a line on stderr, so that kith does not look hung
 * and the user learns of the backup it writes beside the journal. */
static void notice(const char *msg, void *ud)
{
    (void)ud;
    char *esc = kstr_escape(msg);
    fprintf(stderr, "kith: %s\n", esc);
    fflush(stderr);
    free(esc);
}

int cli_locate(const struct cli_globals *g, struct config **cfg, char **db_path, struct kerr *e)
{
    char *cfg_path = NULL;
    /* Read once: a second getenv may, as far as the compiler knows, be NULL. */
    const char *env_db = getenv("KITH_DB");
    int rc = K_OK;
    *cfg = NULL;
    *db_path = NULL;
    if (g->config_path) {
        rc = config_load(g->config_path, cfg, e);
    } else {
        struct kerr tmp;
        cfg_path = kpath_default_config(&tmp);
        if (cfg_path && kpath_exists(cfg_path))
            rc = config_load(cfg_path, cfg, e);
        else
            *cfg = config_defaults();
    }
    if (rc != K_OK)
        goto out;
    if (g->db_path)
        *db_path = kstr_dup(g->db_path);
    else if (env_db && *env_db)
        *db_path = kstr_dup(env_db);
    else if ((*cfg)->database)
        *db_path = kstr_dup((*cfg)->database);
    else if (!(*db_path = kpath_default_db(e)))
        rc = K_ERR;
out:
    if (rc != K_OK)
        config_free(cfg);
    free(cfg_path);
    return rc;
}

char *cli_command(const struct cli_globals *g)
{
    struct sbuf b = {0};
    /* The journal as cli_locate finds it: $KITH_DB before a --config's
     * database; a command pasted in a shell without it acts on the same. */
    const char *env_db = getenv("KITH_DB");
    const char *db = g->db_path ? g->db_path : env_db && *env_db ? env_db : NULL;
    const char *opt = db ? "--db" : g->config_path ? "--config" : NULL;
    sbuf_add(&b, "kith");
    if (opt) {
        /* Absolute: a command pasted in another directory (from cron's
         * mail, another terminal) acts on the same journal. */
        const char *p = db ? db : g->config_path;
        char *abs = kpath_real(p);
        char *q = kstr_shell(abs ? abs : p);
        sbuf_printf(&b, " %s %s", opt, q);
        free(q);
        free(abs);
    }
    return sbuf_take(&b);
}

int cli_open(const struct cli_globals *g, int journal_flags, struct config **cfg,
             struct journal **j, struct kerr *e)
{
    char *db_path = NULL;
    *j = NULL;
    int rc = cli_locate(g, cfg, &db_path, e);
    if (rc != K_OK)
        return rc;
    rc = journal_open_notice(db_path, *cfg, journal_flags, notice, NULL, j, e);
    if (rc == K_OK) {
        char *cmd = cli_command(g);
        journal_set_command(*j, cmd);
        free(cmd);
    }
    if (rc == K_OK && g->history) {
        history_record(*j, "cli", (enum history_mode)g->history);
        history_label_default(*j, g->history_label);
    }
    /* Still K_NOTFOUND (exit 1 as any failure): kith today is silent then. */
    if (rc == K_NOTFOUND)
        rc = kerr_set(e, K_NOTFOUND,
                      "no journal at %s yet: add a contact ('kith add NAME') or try "
                      "'kith demo'",
                      db_path);
    if (rc != K_OK)
        config_free(cfg);
    free(db_path);
    return rc;
}

struct command {
    const char *name;
    int (*run)(int argc, char **argv, const struct cli_globals *g);
    const char *synopsis;
    /* What `kith undo` can take back: the changes of commands that edit
     * (RECORD); bulk work leaves a mark undo stops at (BARRIER). */
    enum history_mode history;
};

#define R HISTORY_RECORD
#define B HISTORY_BARRIER
#define O HISTORY_OFF

static const struct command commands[] = {
    {"add", cli_add, "add NAME [--company C] [--tag T]... [...]   add a contact", R},
    {"edit", cli_edit, "edit CONTACT [...]                          change a contact", R},
    {"rm", cli_rm, "rm CONTACT [--yes]                          delete a contact", R},
    {"list", cli_list, "list [--tag T] [--search Q] [--sort S]      list contacts", O},
    {"show", cli_show, "show CONTACT                                one contact in full", O},
    {"log", cli_log, "log CONTACT... --kind K --gave|--asked|--mutual   log an interaction", R},
    {"timeline", cli_timeline,
     "timeline [CONTACT] [--since D] [--until D]  interactions, newest first", O},
    {"ledger", cli_ledger, "ledger                                      goodwill per contact", O},
    {"search", cli_search, "search QUERY                                full-text search", O},
    {"refer", cli_refer, "refer --by CONTACT (--to CONTACT | --to-text TEXT)   record a referral",
     R},
    {"outcome", cli_outcome, "outcome REFERRAL --status S                 what came of a referral",
     R},
    {"thank", cli_thank, "thank CONTACT [--for REFERRAL] [--form F]   record a thank-you", R},
    {"referrals", cli_referrals,
     "referrals [--unthanked] [--by CONTACT]      who referred you, thanked?", O},
    {"trail", cli_trail, "trail REFERRAL                              the chain that led to it", O},
    {"forward", cli_forward,
     "forward TEXT [--to CONTACT] [--on D]        pay it forward: a gift expecting nothing", R},
    {"ideas", cli_ideas, "ideas [--json] [--limit N] [--done N]       acts to do today, ranked", R},
    {"stats", cli_stats,
     "stats [--since DATE] [--json]               trends, as bars and sparklines", O},
    {"challenge", cli_challenge, "challenge [start [--on D] [--days N]]       the 30-day challenge",
     R},
    {"tick", cli_tick, "tick [--on DATE] [--note TEXT]              tick off today's act", R},
    {"today", cli_today, "today [--json | --notify]                   what is due today", O},
    {"remind", cli_remind, "remind done ID | remind snooze ID --days N  handle a reminder", R},
    {"config", cli_config, "config check [PATH] | path | defaults      the settings file", O},
    {"demo", cli_demo, "demo                                        write a sample journal", B},
    {"import", cli_import, "import vcard|csv|json FILE|- [--dry-run]    add contacts from a file",
     B},
    {"export", cli_export, "export vcard|csv|json|ics [-o FILE]         write the journal out", O},
    {"vdir", cli_vdir, "vdir DIR [--calendar]                       sync a khard/vdirsyncer folder",
     R},
    {"sync", cli_sync,
     "sync DIR [--git] | sync status              one journal on several machines", O},
    {"backup", cli_backup, "backup PATH [--force]                       a consistent copy", O},
    {"restore", cli_restore, "restore BACKUP                              replace the journal", O},
    {"check", cli_check, "check [--dry-run]                           check the journal", O},
    {"dupes", cli_dupes, "dupes [--json]                              likely duplicate contacts",
     O},
    {"merge", cli_merge, "merge KEEP OTHER                            make two contacts one", R},
    {"query", cli_query, "query TEXT [--no-header]                    addresses for mutt, aerc", O},
    {"capture", cli_capture, "capture maildir DIR [--since D] [--dry-run] log mail", R},
    {"complete", cli_complete, "complete commands | contacts [P] | kinds    shell words", O},
    {"undo", cli_undo, "undo [--list]                               take back the last change", O},
    {"redo", cli_redo, "redo                                        do again what undo took back",
     O},
};

#undef R
#undef B
#undef O

/* The command as the undo history shows it: its words, quoted when they
 * hold spaces, cut to fit. */
static void command_label(int argc, char **argv, int from, char *out, size_t n)
{
    struct sbuf b = {0};
    sbuf_add(&b, "kith");
    for (int i = from; i < argc; i++) {
        int quote = strpbrk(argv[i], " \t\n") != NULL || !argv[i][0];
        sbuf_printf(&b, quote ? " \"%s\"" : " %s", argv[i]);
    }
    if (b.len >= n) {
        /* Cut at a character's start and mark the cut. */
        size_t cut = n - 4;
        while (cut && (b.s[cut] & 0xC0) == 0x80)
            cut--;
        b.s[cut] = 0;
        snprintf(out, n, "%s…", b.s);
    } else {
        snprintf(out, n, "%s", b.s);
    }
    sbuf_free(&b);
}

const char *cli_command_name(size_t i)
{
    return i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

static void print_help(void)
{
    fputs("usage: kith [--db PATH] [--config PATH] [--theme NAME|PATH] [--no-color] [COMMAND ...]\n"
          "\n"
          "A terminal journal for professional relationships. With no command and a\n"
          "terminal, kith opens the full-screen journal.\n"
          "\n"
          "Commands:\n",
          stdout);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  kith %s\n", commands[i].synopsis);
    fputs("\n"
          "CONTACT is a name (any case), a unique part of one, or an id prefix.\n"
          "DATE is YYYY-MM-DD, today, yesterday or -Nd. Most listings take --json.\n"
          "\n"
          "  --db PATH        the journal (default: $KITH_DB, else\n"
          "                   $XDG_DATA_HOME/kith/kith.db)\n"
          "  --config PATH    the settings (default: $KITH_CONFIG, else\n"
          "                   $XDG_CONFIG_HOME/kith/config.yaml)\n"
          "  --theme NAME     the TUI's colors: default, light, high-contrast, mono, or a path\n"
          "  --no-color       no colors (as does NO_COLOR)\n"
          "  --version        print the version\n"
          "\n"
          "'kith COMMAND --help' explains a command; 'man kith' explains everything.\n",
          stdout);
}

int cli_run(int argc, char **argv, const struct cli_globals *g)
{
    if (g->argi >= argc) {
        print_help();
        return 0;
    }
    const char *cmd = argv[g->argi];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help();
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name))
            continue;
        struct cli_globals cg = *g;
        cg.history = (int)commands[i].history;
        command_label(argc, argv, g->argi, cg.history_label, sizeof cg.history_label);
        return commands[i].run(argc - g->argi, argv + g->argi, &cg);
    }
    /* Words other tools use for the same commands, then the names. */
    static const char *const other[][2] = {
        {"delete", "rm"},        {"remove", "rm"},      {"del", "rm"},       {"new", "add"},
        {"ls", "list"},          {"find", "search"},    {"note", "log"},     {"reminders", "today"},
        {"tags", "list"},        {"referral", "refer"}, {"thanks", "thank"}, {"ics", "export"},
        {"duplicates", "dupes"},
    };
    const char *near = NULL, *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof other / sizeof other[0] && !near; i++)
        if (!strcmp(cmd, other[i][0]))
            near = other[i][1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        names[i] = commands[i].name;
    if (!near)
        near = kstr_nearest(cmd, names, sizeof names / sizeof names[0]);
    struct kerr e;
    char *esc = kstr_escape(cmd);
    if (near)
        kerr_set(&e, K_USAGE, "unknown command '%s'; did you mean 'kith %s'?", esc, near);
    else
        kerr_set(&e, K_USAGE, "unknown command '%s'", esc);
    free(esc);
    cli_error(&e);
    fputs("Run 'kith --help' for the list of commands.\n", stderr);
    return 2;
}
