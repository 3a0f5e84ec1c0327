#include "kith/tui/tui_layout.h"

#include <string.h>

static struct tui_rect rect(int y, int x, int h, int w)
{
    struct tui_rect r = {y, x, h, w};
    return r;
}

void tui_layout_compute(int rows, int cols, struct tui_layout *out)
{
    memset(out, 0, sizeof *out);
    out->rows = rows;
    out->cols = cols;
    out->screen = rect(0, 0, rows > 0 ? rows : 0, cols > 0 ? cols : 0);
    if (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS) {
        out->too_small = 1;
        return;
    }
    /* The strip is a single row of days between borders; on tall terminals
     * it gains a row for the challenge history. */
    int strip_h = rows >= 40 ? 4 : 3;
    out->header = rect(0, 0, 1, cols);
    out->status = rect(rows - 1, 0, 1, cols);
    out->strip = rect(rows - 1 - strip_h, 0, strip_h, cols);
    int body_h = rows - 2 - strip_h;
    out->body = rect(1, 0, body_h, cols);
    /* The list gets about two fifths: enough for a name, a company and two
     * short numbers; the card keeps the rest for the timeline's text. */
    int list_w = cols * 2 / 5;
    if (list_w < 26)
        list_w = 26;
    if (list_w > 64)
        list_w = 64;
    out->list = rect(1, 0, body_h, list_w);
    out->card = rect(1, list_w, body_h, cols - list_w);
}

struct tui_rect tui_layout_dialog(const struct tui_layout *l, int want_h, int want_w)
{
    int rows = l->screen.h, cols = l->screen.w;
    int h = want_h < rows - 2 ? want_h : rows - 2;
    int w = want_w < cols - 4 ? want_w : cols - 4;
    if (h < 1)
        h = rows < want_h ? rows : want_h;
    if (w < 1)
        w = cols < want_w ? cols : want_w;
    return rect((rows - h) / 2, (cols - w) / 2, h, w);
}

int tui_layout_strip_cell(int width, int days)
{
    return days * 2 <= width ? 2 : 1;
}

int tui_layout_scroll(int top, int sel, int n, int height)
{
    if (height < 1 || n <= 0)
        return 0;
    if (sel < 0)
        sel = 0;
    if (sel >= n)
        sel = n - 1;
    if (sel < top)
        top = sel;
    if (sel >= top + height)
        top = sel - height + 1;
    if (top > n - height)
        top = n - height;
    return top < 0 ? 0 : top;
}
