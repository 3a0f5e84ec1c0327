#include "kith/tui.h"

#include <curses.h>

int tui_run(struct journal *j, const struct config *cfg, const struct tui_options *opt,
            struct kerr *e)
{
    (void)j;
    (void)cfg;
    (void)opt;
    return kerr_set(e, K_ERR, "the full-screen interface is not built yet; see kith --help");
}
