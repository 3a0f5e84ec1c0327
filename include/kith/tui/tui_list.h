/* The contact list pane: a window of rows over contact_list, never the
 * whole journal; search, tag filter and sort. */
#ifndef KITH_TUI_LIST_H
#define KITH_TUI_LIST_H

#include "kith/core/journal.h"
#include "kith/tui/tui_keys.h"
#include "kith/tui/tui_pane.h"

struct tui_list;

struct tui_list *tui_list_new(void);
/* Frees and sets *l to NULL. Accepts NULL. */
void tui_list_free(struct tui_list **l);
/* Re-reads the visible window (rows for a pane of `height` text rows),
 * keeping the selected contact selected when it still matches. */
int tui_list_reload(struct tui_list *l, struct journal *j, int height, struct kerr *e);
void tui_list_draw(struct tui_list *l, struct tui_pane *p, int focused, int today);
/* Moves the selection; returns 1 when it changed (reload after). */
int tui_list_move(struct tui_list *l, enum tui_action a, int page);
/* Selects the row at text row y of the pane (a click); 1 when it changed. */
int tui_list_click(struct tui_list *l, int y);
/* The selected contact's id, or NULL when the list is empty. */
const char *tui_list_selected(const struct tui_list *l);
/* Selects id after the next reload (when it matches the filters). */
void tui_list_select_id(struct tui_list *l, const char *id);
/* The search or tag filter being typed; NULL clears it. 1 when changed. */
int tui_list_set_search(struct tui_list *l, const char *text);
int tui_list_set_tag(struct tui_list *l, const char *tag);
/* Next sort, shown from its first row; the goodwill sort is skipped while
 * balances are hidden. */
void tui_list_cycle_sort(struct tui_list *l);
/* Whether the goodwill column (and sort) is shown; shown by default. */
void tui_list_show_goodwill(struct tui_list *l, int show);
/* Asks overdue(id, ud) for each row drawn: 1 marks the row's age with "!"
 * (a keep-in-touch rule says it is overdue). NULL: no marks. */
typedef int (*tui_list_overdue_fn)(const char *id, const void *ud);
void tui_list_set_overdue(struct tui_list *l, tui_list_overdue_fn overdue, const void *ud);
/* Clears search and filter; 1 when there was something to clear. */
int tui_list_clear(struct tui_list *l);
const char *tui_list_search(const struct tui_list *l);
const char *tui_list_tag(const struct tui_list *l);
/* 1 while the search is too short to look beyond names and companies. */
int tui_list_names_only(const struct tui_list *l);
/* The rows of the list; while its count is pending, the rows seen so far. */
size_t tui_list_total(const struct tui_list *l);
/* A search's count is not made by tui_list_reload, which shows the first
 * window at once ("counting…" in the title): 1 while it is still to be
 * made. tui_list_count_step makes it, stopped as soon as interrupt(ud)
 * returns nonzero (a key is waiting): K_INTERRUPTED, and it stays to be
 * made. K_OK when there was nothing to count or the count is in (draw the
 * list again); on another failure the title says "?" until the filters or
 * the journal change (or End asks for the count). */
int tui_list_counting(const struct tui_list *l);
int tui_list_count_step(struct tui_list *l, struct journal *j, int (*interrupt)(void *ud), void *ud,
                        struct kerr *e);
/* Lists archived contacts too (marked "archived"), or not; returns whether
 * it does now. */
int tui_list_toggle_archived(struct tui_list *l);
int tui_list_archived(const struct tui_list *l);

/* For the tests: the query the list shows (borrowing its filters), and
 * the rows read, from row *top; *sel is the selected row. */
void tui_list_query(const struct tui_list *l, struct contact_query *q);
const struct contact_list *tui_list_window(const struct tui_list *l, size_t *top, size_t *sel);

#endif
