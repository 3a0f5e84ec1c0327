#include "kith/tui_strip.h"

#include "kith/kdate.h"
#include "kith/kstr.h"

#include <stdio.h>

static int ticked(const struct challenge *ch, int day)
{
    for (size_t i = 0; i < ch->nticks; i++)
        if (ch->ticks[i].date == day)
            return 1;
    return 0;
}

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
    char title[160];
    int y, m, dd;
    kdate_to_ymd(ch->started_on, &y, &m, &dd);
    snprintf(title, sizeof title, "%d-day challenge · started %02d-%02d · streak %d · %d/%d",
             ch->days, m, dd, ch->streak, ch->done, ch->elapsed);
    tui_pane_box(p, THEME_BORDER, title, ch->finished ? "finished" : NULL);
    int inner = r.w - 4;
    const char *hint = ch->finished     ? "c: start a new one"
                       : ch->day == 0   ? "starts soon"
                       : ch->today_done ? "today ✓"
                                        : "x: tick today";
    int hint_w = kstr_width(hint) + 2;
    int cell = inner - hint_w >= ch->days * 2 ? 2 : 1;
    if (inner - hint_w < ch->days * cell)
        hint_w = 0;
    int x = 2;
    for (int i = 0; i < ch->days && x + cell <= r.w - 2; i++) {
        int day = ch->started_on + i;
        const char *g;
        enum theme_slot s;
        if (day == today) {
            g = ticked(ch, day) ? "■" : "▣";
            s = THEME_TODAY;
        } else if (day > today) {
            g = "·";
            s = THEME_FUTURE;
        } else if (ticked(ch, day)) {
            g = "■";
            s = THEME_DONE;
        } else {
            g = "□";
            s = THEME_MISSED;
        }
        tui_pane_put(p, 1, x, s, g);
        x += cell;
    }
    if (hint_w)
        tui_pane_put(p, 1, r.w - 1 - hint_w, ch->today_done ? THEME_DONE : THEME_KEY, hint);
    if (r.h >= 4)
        tui_pane_put(p, 2, 2, THEME_MUTED,
                     "■ done  □ missed  ▣ today  · to come   H: past challenges");
}
