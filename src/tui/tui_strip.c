#include "kith/tui/tui_strip.h"

#include "kith/core/challenge.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <string.h>

void tui_strip_draw(struct tui_pane *p, const struct challenge *ch, int today)
{
    struct tui_rect r = tui_pane_rect(p);
    tui_pane_erase(p, THEME_NORMAL);
    if (!ch) {
        tui_pane_box(p, THEME_BORDER, "Challenge", NULL);
        tui_pane_put(p, 1, 2, THEME_MUTED,
                     "No challenge yet · c starts one: a networking act a day");
        return;
    }
    char title[200], grace[48] = "";
    int y, m, dd;
    kdate_to_ymd(ch->started_on, &y, &m, &dd);
    if (ch->graced)
        snprintf(grace, sizeof grace, " (%d grace day%s)", ch->graced, ch->graced == 1 ? "" : "s");
    snprintf(title, sizeof title, "%d-day challenge · started %02d-%02d · streak %d%s · %d/%d",
             ch->days, m, dd, ch->streak, grace, ch->done, ch->elapsed);
    if (ch->finished)
        snprintf(title + strlen(title), sizeof title - strlen(title), " · habit %d%%", ch->habit);
    tui_pane_box(p, THEME_BORDER, title, ch->finished ? "finished" : NULL);
    int inner = r.w - 4;
    /* Said plainly: an open day is an invitation, never a reproach. */
    const char *hint = ch->finished     ? "c: start a new one"
                       : ch->day == 0   ? "starts soon"
                       : ch->today_done ? "today ✓"
                       : ch->pending    ? "x: tick today, the streak goes on"
                                        : "x: tick today";
    int hint_w = kstr_width(hint) + 2;
    int cell = inner - hint_w >= ch->days * 2 ? 2 : 1;
    if (inner - hint_w < ch->days * cell)
        hint_w = 0;
    int x = 2;
    for (int i = 0; i < ch->days && x + cell <= r.w - 2; i++) {
        const char *g;
        enum theme_slot s;
        switch (challenge_day_state(ch, ch->started_on + i, today)) {
        case CHALLENGE_DAY_DONE:
            g = "■";
            s = ch->started_on + i == today ? THEME_TODAY : THEME_DONE;
            break;
        case CHALLENGE_DAY_TODAY:
            g = "▣";
            s = THEME_TODAY;
            break;
        case CHALLENGE_DAY_GRACE:
            g = "▨";
            s = THEME_MISSED;
            break;
        case CHALLENGE_DAY_EMPTY:
            g = "□";
            s = THEME_MISSED;
            break;
        default:
            g = "·";
            s = THEME_FUTURE;
            break;
        }
        tui_pane_put(p, 1, x, s, g);
        x += cell;
    }
    if (hint_w)
        tui_pane_put(p, 1, r.w - 1 - hint_w, ch->today_done ? THEME_DONE : THEME_KEY, hint);
    if (r.h >= 4)
        tui_pane_put(p, 2, 2, THEME_MUTED,
                     "■ done  ▨ grace  □ empty  ▣ today  · to come   H: past challenges");
}
