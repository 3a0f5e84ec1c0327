/* The full-screen interface. The only module family that includes curses. */
#ifndef KITH_TUI_H
#define KITH_TUI_H

#include "kith/config/config.h"
#include "kith/core/journal.h"

struct tui_options {
    const char *theme; /* name or path; NULL: the config's */
    int no_color;
};

/* Runs the TUI on an open journal until the user quits; restores the
 * terminal on every exit path. Returns an exit status. */
int tui_run(struct journal *j, const struct config *cfg, const struct tui_options *opt,
            struct kerr *e);

#endif
