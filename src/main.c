/* kith: a terminal journal for professional relationships. main() parses the
 * global options and picks a front end: the TUI when there is no command and
 * a terminal, the command line otherwise. */
#include "kith/cli/cli.h"
#include "kith/tui/tui.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void pick_utf8_locale(void)
{
    /* Only the character type comes from the environment: kith's words are
     * English, and numbers, dates and sort order must not change with
     * LC_NUMERIC or LC_COLLATE (a changeset written under a locale with a
     * decimal comma must read the same everywhere). Names are UTF-8 whatever
     * the environment says: width and case folding need a UTF-8 LC_CTYPE. */
    const char *ctype = setlocale(LC_CTYPE, "");
    if (!ctype || (!strstr(ctype, "UTF-8") && !strstr(ctype, "utf8")))
        setlocale(LC_CTYPE, "C.UTF-8");
}

int main(int argc, char **argv)
{
    pick_utf8_locale();
    struct cli_globals g;
    int rc = cli_parse_globals(argc, argv, &g);
    if (rc >= 0)
        return rc;
    if (g.argi < argc || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return cli_run(argc, argv, &g);

    struct config *cfg = NULL;
    struct journal *j = NULL;
    struct kerr e;
    kerr_clear(&e);
    rc = cli_open(&g, JOURNAL_CREATE, &cfg, &j, &e);
    if (rc == K_OK) {
        struct tui_options opt = {g.theme, g.no_color};
        rc = tui_run(j, cfg, &opt, &e);
    }
    if (rc != K_OK)
        cli_error(&e);
    journal_close(&j);
    config_free(&cfg);
    return kerr_exit_code(rc);
}
