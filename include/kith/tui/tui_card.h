/* The card pane: who the selected contact is, the balance, and the
 * timeline of interactions, referrals and thank-yous (or everyone's). */
#ifndef KITH_TUI_CARD_H
#define KITH_TUI_CARD_H

#include "kith/core/journal.h"
#include "kith/tui/tui_keys.h"
#include "kith/tui/tui_pane.h"

struct tui_card;

struct tui_card *tui_card_new(void);
void tui_card_free(struct tui_card **c);
/* Re-reads only the timeline's window after tui_card_scroll moved it (the
 * contact, its head and its months stay as the last reload read them). */
int tui_card_rescroll(struct tui_card *c, struct journal *j, struct kerr *e);
/* Shows contact id (NULL: none); a different contact scrolls back to the
 * top. Re-reads the window of the timeline that fits `height` rows. */
int tui_card_reload(struct tui_card *c, struct journal *j, const char *id, int height,
                    struct kerr *e);
void tui_card_draw(struct tui_card *c, struct tui_pane *p, int focused, int today);
/* Scrolls the timeline; 1 when it moved (reload after). */
int tui_card_scroll(struct tui_card *c, enum tui_action a, int page);
/* Whether the balance is shown in the head; shown by default. */
void tui_card_show_goodwill(struct tui_card *c, int show);
/* Toggles between the contact's timeline and everyone's. */
void tui_card_toggle_all(struct tui_card *c);
int tui_card_all(const struct tui_card *c);

#endif
