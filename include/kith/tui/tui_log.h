/* The log form: an interaction, a pay-it-forward (direction "forward"),
 * or the act of an idea from the Give view, pre-filled. With direction
 * asked it shows where the relationship stands (goodwill_readiness). */
#ifndef KITH_TUI_LOG_H
#define KITH_TUI_LOG_H

#include "kith/core/ideas.h"
#include "kith/tui/tui_app.h"

/* What the form opens with; NULL members take the defaults. */
struct tui_log_prefill {
    const struct kref *who; /* contacts the With field names */
    size_t nwho;
    const char *kind;
    const char *direction; /* "gave", "asked", "mutual", "forward" */
    const char *summary;
    const struct idea *idea; /* acting on it: logged with ideas_act (copied) */
};

/* Runs the form; saving logs it (and ticks the challenge as the config
 * says, always for an idea) and says so on the bottom line. */
void tui_log_open(struct tui_app *a, const struct tui_log_prefill *p);
/* l: the log form with the selected contact. */
void tui_actions_log(struct tui_app *a);
/* f: the log form set to pay it forward, to the selected contact in the
 * Contacts view, to someone not in the journal elsewhere. */
void tui_actions_forward(struct tui_app *a);

#endif
