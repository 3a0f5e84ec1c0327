/* The TUI's state, shared by its modules: the journal, the layout, the
 * panes and what each view shows. Owned by tui_run. */
#ifndef KITH_TUI_APP_H
#define KITH_TUI_APP_H

#include "kith/core/ideas.h"
#include "kith/core/stats.h"
#include "kith/core/journal.h"
#include "kith/util/model.h"
#include "kith/tui/tui_card.h"
#include "kith/tui/tui_form.h"
#include "kith/tui/tui_keys.h"
#include "kith/tui/tui_layout.h"
#include "kith/tui/tui_list.h"
#include "kith/tui/tui_pane.h"
#include "kith/tui/tui_remind.h"

/* What must be redrawn at the next flush. */
enum tui_dirty {
    TUI_DIRTY_HEADER = 1,
    TUI_DIRTY_LIST = 2,
    TUI_DIRTY_CARD = 4,
    TUI_DIRTY_STRIP = 8,
    TUI_DIRTY_STATUS = 16,
    TUI_DIRTY_VIEW = 32, /* referrals, today, give or stats */
    TUI_DIRTY_ALL = 63,
};

/* A row of the Today view. */
enum tui_today_kind {
    TUI_TODAY_HEAD,
    TUI_TODAY_TEXT,
    TUI_TODAY_REMINDER,
    TUI_TODAY_BIRTHDAY,
    TUI_TODAY_HANDLED, /* a reminder done or snoozed: rem indexes handled */
};
struct tui_today_row {
    enum tui_today_kind kind;
    char *text;                   /* owned; headings and text rows */
    size_t rem;                   /* reminders: index in tui_remind_list */
    char contact_id[KID_LEN + 1]; /* "" when the row is not about a contact */
};

struct tui_app {
    struct journal *j;
    const struct config *cfg;
    struct tui_layout lay;
    struct tui_host host;
    enum tui_view view;
    int focus_card; /* Tab: the timeline scrolls instead of the list */
    unsigned dirty;
    int reload;      /* data must be re-read before drawing */
    int reload_card; /* the card's timeline moved: only it is re-read */
    struct tui_pane *header, *list_p, *card_p, *strip_p, *status_p, *view_p, *small_p;
    struct tui_list *list;
    struct tui_card *card;
    struct challenge ch;
    int have_ch;
    long long sync_news; /* conflicts a sync resolved, told in the header once */
    /* Referrals view: a window of rows. */
    struct referral_list refs;
    size_t ref_total, ref_sel, ref_top;
    /* Reminders, evaluated once per data change. */
    struct tui_remind *rem;
    /* Today view: reminders, the challenge, birthdays. */
    struct tui_today_row *today;
    size_t ntoday, today_sel, today_top;
    struct reminder_list handled; /* done and snoozed, for the Today view */
    /* Give view: today's ideas, in memory (a few dozen). */
    struct idea_list ideas;
    size_t idea_sel, idea_top;
    /* Stats view: the figures, read when the view is, and the first row
     * shown. */
    struct stats *stats;
    size_t stats_top;
    /* The line being typed in the bottom line for / and #, or 0. */
    int typing;
    struct sbuf typed;
    char status[512];
    int status_error;
};

/* Sets the bottom line's outcome message (printf-style). */
void tui_app_say(struct tui_app *a, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
