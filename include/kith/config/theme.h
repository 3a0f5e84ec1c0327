/* Themes: YAML files that map the screen's semantic slots (title, border,
 * selected, gave, asked, ...) to colors and attributes.
 *
 * This module only reads and checks themes; it knows nothing of terminals.
 * The TUI turns a struct theme into curses attributes (tui_theme.h). A
 * struct theme is a plain value: copy it freely, nothing to free. */
#ifndef KITH_THEME_H
#define KITH_THEME_H

#include "kith/util/kerr.h"

#include <stddef.h>

enum theme_slot {
    THEME_NORMAL = 0, /* ordinary text */
    THEME_TITLE,      /* pane titles and the header's name */
    THEME_BORDER,     /* pane borders */
    THEME_FOCUS,      /* the border of the focused pane */
    THEME_SELECTED,   /* the selected row */
    THEME_HEADER,     /* the header line */
    THEME_TAB,        /* the current view's name in the header */
    THEME_GAVE,       /* a deposit */
    THEME_ASKED,      /* a withdrawal */
    THEME_MUTUAL,
    THEME_OVERDUE, /* silence past a keep-in-touch rule */
    THEME_WARNING, /* unthanked referrals */
    THEME_THANKED,
    THEME_DONE,   /* challenge: ticked day */
    THEME_MISSED, /* challenge: past day not ticked */
    THEME_TODAY,  /* challenge: today */
    THEME_FUTURE, /* challenge: days to come */
    THEME_MUTED,  /* secondary text */
    THEME_STATUS, /* the bottom line */
    THEME_KEY,    /* key names in the bottom line and help */
    THEME_ERROR,
    THEME_INPUT, /* form fields */
    THEME_SLOT_COUNT
};

enum theme_color_kind {
    THEME_COLOR_DEFAULT = 0, /* the terminal's own foreground/background */
    THEME_COLOR_INDEX,       /* 0-255: 0-7 the basic colors, 8-15 bright */
    THEME_COLOR_RGB,         /* #rrggbb */
};

struct theme_color {
    enum theme_color_kind kind;
    int index; /* THEME_COLOR_INDEX */
    unsigned char r, g, b;
};

enum theme_attr {
    THEME_BOLD = 1,
    THEME_UNDERLINE = 2,
    THEME_REVERSE = 4,
    THEME_DIM = 8,
    THEME_ITALIC = 16,
};

struct theme_style {
    struct theme_color fg, bg;
    unsigned attrs; /* enum theme_attr bits */
};

struct theme {
    char name[64];
    int mono; /* attributes only: the look for NO_COLOR and colorless terminals */
    struct theme_style slot[THEME_SLOT_COUNT];
};

/* "title", "border", ...; NULL for an unknown slot. */
const char *theme_slot_name(enum theme_slot s);
/* 0 and *out set when name names a slot, -1 otherwise. */
int theme_slot_parse(const char *name, enum theme_slot *out);
/* Parses a color: "default", a name ("red", "bright-blue", "gray"), a
 * number 0-255 or "#rrggbb". 0 on success, -1 otherwise. */
int theme_color_parse(const char *s, struct theme_color *out);
/* The palette index closest to c on a terminal of ncolors colors (8, 16 or
 * 256); -1 for THEME_COLOR_DEFAULT. */
int theme_color_nearest(const struct theme_color *c, int ncolors);

/* The built-in dark theme (themes/default.yaml says the same). */
void theme_default(struct theme *t);
/* The built-in colorless theme (themes/mono.yaml says the same). */
void theme_mono(struct theme *t);

/* Reads a theme from YAML text; label names it in messages. Slots the text
 * does not mention keep the default theme's style (or the mono one's with
 * "mono: true"). Every problem is reported as "label:line:column: message",
 * one per line, with K_USAGE; *out is then the default theme. */
int theme_parse(const char *text, size_t len, const char *label, struct theme *out, struct kerr *e);
/* As theme_parse, from a file. */
int theme_load_file(const char *path, struct theme *out, struct kerr *e);
/* Loads a theme by name or path. A value holding '/' or ending in ".yaml"
 * is a path; a name is looked up as NAME.yaml in $XDG_DATA_HOME/kith/themes,
 * each $XDG_DATA_DIRS entry's kith/themes, beside the binary (its
 * ../share/kith/themes, then a build tree's themes/ or ../themes/) and the
 * configured install directory;
 * "default" and "mono" fall back to the built-in ones. On any error *out is
 * the default theme and e says why (the caller shows it and carries on). */
int theme_load(const char *name_or_path, struct theme *out, struct kerr *e);

#endif
