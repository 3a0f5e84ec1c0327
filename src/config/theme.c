#include "kith/config/theme.h"

#include "kith/util/kpath.h"
#include "kith/util/kfile.h"
#include "kith/util/kstr.h"
#include "kith/config/kyaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* A theme is a few dozen lines; anything near this is not one. */
#define THEME_FILE_MAX ((size_t)1 << 20)

#ifndef KITH_THEME_DIR
#define KITH_THEME_DIR ""
#endif

static const char *const slot_names[THEME_SLOT_COUNT] = {
    "normal", "title",  "border",  "focus",   "selected", "header", "tab",    "gave",
    "asked",  "mutual", "overdue", "warning", "thanked",  "done",   "missed", "today",
    "future", "muted",  "status",  "key",     "error",    "input",
};

static const char *const color_names[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright-black",   "bright-red",
    "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"bold", THEME_BOLD}, {"underline", THEME_UNDERLINE}, {"reverse", THEME_REVERSE},
    {"dim", THEME_DIM},   {"italic", THEME_ITALIC},
};

const char *theme_slot_name(enum theme_slot s)
{
    return (unsigned)s < THEME_SLOT_COUNT ? slot_names[s] : NULL;
}

int theme_slot_parse(const char *name, enum theme_slot *out)
{
    for (int i = 0; name && i < THEME_SLOT_COUNT; i++)
        if (!strcmp(name, slot_names[i])) {
            *out = (enum theme_slot)i;
            return 0;
        }
    return -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int theme_color_parse(const char *s, struct theme_color *out)
{
    memset(out, 0, sizeof *out);
    if (!s || !*s)
        return -1;
    if (!strcmp(s, "default") || !strcmp(s, "none"))
        return 0;
    if (!strcmp(s, "gray") || !strcmp(s, "grey")) {
        out->kind = THEME_COLOR_INDEX;
        out->index = 8;
        return 0;
    }
    for (int i = 0; i < 16; i++)
        if (!strcmp(s, color_names[i])) {
            out->kind = THEME_COLOR_INDEX;
            out->index = i;
            return 0;
        }
    if (s[0] == '#') {
        if (strlen(s) != 7)
            return -1;
        int v[6];
        for (int i = 0; i < 6; i++)
            if ((v[i] = hexval(s[i + 1])) < 0)
                return -1;
        out->kind = THEME_COLOR_RGB;
        out->r = (unsigned char)(v[0] * 16 + v[1]);
        out->g = (unsigned char)(v[2] * 16 + v[3]);
        out->b = (unsigned char)(v[4] * 16 + v[5]);
        return 0;
    }
    int n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || p - s > 2)
            return -1;
        n = n * 10 + (*p - '0');
    }
    if (n > 255)
        return -1;
    out->kind = THEME_COLOR_INDEX;
    out->index = n;
    return 0;
}

/* The RGB value of a palette index as xterm draws it. */
static void index_rgb(int i, int rgb[3])
{
    static const int base[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    static const int cube[6] = {0, 95, 135, 175, 215, 255};
    if (i < 16) {
        memcpy(rgb, base[i], sizeof base[i]);
    } else if (i < 232) {
        i -= 16;
        rgb[0] = cube[i / 36];
        rgb[1] = cube[(i / 6) % 6];
        rgb[2] = cube[i % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + (i - 232) * 10;
    }
}

int theme_color_nearest(const struct theme_color *c, int ncolors)
{
    if (c->kind == THEME_COLOR_DEFAULT)
        return -1;
    if (ncolors > 256)
        ncolors = 256;
    if (ncolors < 8)
        ncolors = 8;
    int want[3];
    if (c->kind == THEME_COLOR_INDEX) {
        if (c->index < ncolors)
            return c->index;
        index_rgb(c->index, want);
    } else {
        want[0] = c->r;
        want[1] = c->g;
        want[2] = c->b;
    }
    int best = 0;
    long best_d = -1;
    for (int i = 0; i < ncolors; i++) {
        int rgb[3];
        index_rgb(i, rgb);
        long d = 0;
        for (int k = 0; k < 3; k++)
            d += (long)(rgb[k] - want[k]) * (rgb[k] - want[k]);
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

static void set(struct theme *t, enum theme_slot s, int fg, int bg, unsigned attrs)
{
    struct theme_style *st = &t->slot[s];
    memset(st, 0, sizeof *st);
    if (fg >= 0) {
        st->fg.kind = THEME_COLOR_INDEX;
        st->fg.index = fg;
    }
    if (bg >= 0) {
        st->bg.kind = THEME_COLOR_INDEX;
        st->bg.index = bg;
    }
    st->attrs = attrs;
}

void theme_default(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    set(t, THEME_NORMAL, -1, -1, 0);
    set(t, THEME_TITLE, 81, -1, THEME_BOLD);
    set(t, THEME_BORDER, 240, -1, 0);
    set(t, THEME_FOCUS, 81, -1, THEME_BOLD);
    set(t, THEME_SELECTED, 16, 117, THEME_BOLD);
    set(t, THEME_HEADER, 252, 236, 0);
    set(t, THEME_TAB, 16, 81, THEME_BOLD);
    set(t, THEME_GAVE, 114, -1, 0);
    set(t, THEME_ASKED, 215, -1, 0);
    set(t, THEME_MUTUAL, 111, -1, 0);
    set(t, THEME_OVERDUE, 203, -1, THEME_BOLD);
    set(t, THEME_WARNING, 221, -1, THEME_BOLD);
    set(t, THEME_THANKED, 114, -1, 0);
    set(t, THEME_DONE, 114, -1, THEME_BOLD);
    set(t, THEME_MISSED, 203, -1, 0);
    set(t, THEME_TODAY, 16, 221, THEME_BOLD);
    set(t, THEME_FUTURE, 242, -1, 0);
    set(t, THEME_MUTED, 245, -1, 0);
    set(t, THEME_STATUS, 252, 236, 0);
    set(t, THEME_KEY, 81, 236, THEME_BOLD);
    set(t, THEME_ERROR, 231, 160, THEME_BOLD);
    set(t, THEME_INPUT, 255, 238, 0);
}

void theme_mono(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "mono");
    t->mono = 1;
    t->slot[THEME_TITLE].attrs = THEME_BOLD;
    t->slot[THEME_FOCUS].attrs = THEME_BOLD;
    t->slot[THEME_SELECTED].attrs = THEME_REVERSE;
    t->slot[THEME_HEADER].attrs = 0;
    t->slot[THEME_TAB].attrs = THEME_REVERSE | THEME_BOLD;
    t->slot[THEME_GAVE].attrs = THEME_BOLD;
    t->slot[THEME_ASKED].attrs = THEME_UNDERLINE;
    t->slot[THEME_OVERDUE].attrs = THEME_BOLD | THEME_UNDERLINE;
    t->slot[THEME_WARNING].attrs = THEME_BOLD;
    t->slot[THEME_DONE].attrs = THEME_BOLD;
    t->slot[THEME_MISSED].attrs = THEME_UNDERLINE;
    t->slot[THEME_TODAY].attrs = THEME_REVERSE | THEME_BOLD;
    t->slot[THEME_FUTURE].attrs = THEME_DIM;
    t->slot[THEME_MUTED].attrs = THEME_DIM;
    t->slot[THEME_STATUS].attrs = THEME_REVERSE;
    t->slot[THEME_KEY].attrs = THEME_REVERSE | THEME_BOLD;
    t->slot[THEME_ERROR].attrs = THEME_BOLD | THEME_UNDERLINE;
    t->slot[THEME_INPUT].attrs = THEME_UNDERLINE;
}

/* Collects messages as "label:line:column: message", one per line. */
struct perr {
    const char *label;
    struct sbuf msg;
    int count;
};

static void perr_at(struct perr *p, yaml_mark_t m, const char *fmt, const char *arg)
{
    if (p->count++ > 20)
        return;
    if (p->msg.len)
        sbuf_addc(&p->msg, '\n');
    sbuf_printf(&p->msg, "%s:%zu:%zu: ", p->label, m.line + 1, m.column + 1);
    char *esc = kstr_escape(arg);
    sbuf_printf(&p->msg, fmt, esc);
    free(esc);
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void parse_attrs(yaml_document_t *doc, yaml_node_t *n, unsigned *attrs, struct perr *p)
{
    *attrs = 0;
    char *words = NULL;
    if (n->type == YAML_SCALAR_NODE) {
        words = kstr_dup(scalar(n));
    } else if (n->type == YAML_SEQUENCE_NODE) {
        struct sbuf b = {0};
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            const char *s = scalar(yaml_document_get_node(doc, *it));
            if (!s) {
                perr_at(p, yaml_document_get_node(doc, *it)->start_mark,
                        "an attribute must be a word%s", "");
                continue;
            }
            sbuf_printf(&b, "%s ", s);
        }
        words = sbuf_take(&b);
    } else {
        perr_at(p, n->start_mark, "attrs: expected a list such as [bold, underline]%s", "");
        return;
    }
    for (char *save = NULL, *w = strtok_r(words, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
        size_t i = 0;
        for (; i < sizeof attr_names / sizeof attr_names[0]; i++)
            if (!strcmp(w, attr_names[i].name))
                break;
        if (i == sizeof attr_names / sizeof attr_names[0])
            perr_at(p, n->start_mark,
                    "unknown attribute '%s' (bold, underline, reverse, dim, italic)", w);
        else
            *attrs |= attr_names[i].bit;
    }
    free(words);
}

static void parse_style(yaml_document_t *doc, yaml_node_t *n, struct theme_style *st,
                        struct perr *p)
{
    if (n->type != YAML_MAPPING_NODE) {
        perr_at(p, n->start_mark, "expected a mapping such as {fg: cyan, attrs: [bold]}%s", "");
        return;
    }
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        const char *key = scalar(k);
        if (key && (!strcmp(key, "fg") || !strcmp(key, "bg"))) {
            struct theme_color *c = key[0] == 'f' ? &st->fg : &st->bg;
            const char *s = scalar(v);
            if (!s || theme_color_parse(s, c) != 0)
                perr_at(p, v->start_mark,
                        "bad color '%s': use a name (red, bright-blue, ...), 0-255 or #rrggbb",
                        s ? s : "");
        } else if (key && !strcmp(key, "attrs")) {
            parse_attrs(doc, v, &st->attrs, p);
        } else {
            perr_at(p, k->start_mark, "unknown key '%s' (fg, bg, attrs)", key ? key : "");
        }
    }
}

static void parse_root(yaml_document_t *doc, struct theme *t, struct perr *p)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root) {
        yaml_mark_t m = {0, 0, 0};
        perr_at(p, m, "the theme is empty%s", "");
        return;
    }
    if (root->type != YAML_MAPPING_NODE) {
        perr_at(p, root->start_mark, "a theme is a mapping with name and styles%s", "");
        return;
    }
    yaml_node_t *styles = NULL;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        const char *key = scalar(k);
        if (key && !strcmp(key, "name")) {
            if (scalar(v))
                snprintf(t->name, sizeof t->name, "%s", scalar(v));
            else
                perr_at(p, v->start_mark, "name: expected text%s", "");
        } else if (key && !strcmp(key, "mono")) {
            const char *s = scalar(v);
            if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
                char name[sizeof t->name];
                memcpy(name, t->name, sizeof name);
                theme_mono(t);
                memcpy(t->name, name, sizeof name);
            } else if (!s || (strcmp(s, "false") && strcmp(s, "no"))) {
                perr_at(p, v->start_mark, "mono: expected true or false, not '%s'", s ? s : "");
            }
        } else if (key && !strcmp(key, "styles")) {
            styles = v;
        } else {
            perr_at(p, k->start_mark, "unknown key '%s' (name, mono, styles)", key ? key : "");
        }
    }
    if (!styles)
        return;
    if (styles->type != YAML_MAPPING_NODE) {
        perr_at(p, styles->start_mark, "styles: expected a mapping of slot names%s", "");
        return;
    }
    for (yaml_node_pair_t *pr = styles->data.mapping.pairs.start;
         pr < styles->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        enum theme_slot s;
        if (theme_slot_parse(scalar(k), &s) != 0) {
            perr_at(p, k->start_mark, "unknown slot '%s'", scalar(k) ? scalar(k) : "");
            continue;
        }
        struct theme_style st = {0};
        parse_style(doc, yaml_document_get_node(doc, pr->value), &st, p);
        t->slot[s] = st;
    }
}

int theme_parse(const char *text, size_t len, const char *label, struct theme *out, struct kerr *e)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    struct perr p = {label, {0}, 0};
    int have_doc = 0, rc = K_OK;
    theme_default(out);
    if (!yaml_parser_initialize(&parser)) {
        rc = kerr_set(e, K_ERR, "%s: out of memory", label);
        goto out;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        perr_at(&p, parser.problem_mark, "%s", parser.problem ? parser.problem : "bad YAML");
    } else {
        have_doc = 1;
        parse_root(&doc, out, &p);
    }
    if (p.count) {
        rc = kerr_set(e, K_USAGE, "%s", p.msg.s);
        theme_default(out);
    }
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
out:
    sbuf_free(&p.msg);
    return rc;
}

int theme_load_file(const char *path, struct theme *out, struct kerr *e)
{
    char *text = NULL;
    size_t n = 0;
    theme_default(out);
    /* A named pipe or a device as a theme is refused, not waited on. */
    int rc = kfile_read_as(path, "the theme", THEME_FILE_MAX, KFILE_REGULAR, &text, &n, e);
    if (rc == K_NOTFOUND)
        rc = K_ERR; /* a missing file named as a path; K_NOTFOUND is an unknown name */
    if (rc == K_OK && (rc = kyaml_check_depth(text, n, path, e)) == K_OK)
        rc = theme_parse(text, n, path, out, e);
    free(text);
    return rc;
}

static int try_dir(const char *dir, const char *sub, const char *name, struct theme *out,
                   int *found, struct kerr *e)
{
    if (!dir || !*dir)
        return K_OK;
    struct sbuf p = {0};
    struct stat st;
    sbuf_printf(&p, "%s%s/%s.yaml", dir, sub, name);
    int rc = K_OK;
    /* Found when it is there at all: a theme that is not a regular file is
     * reported, not skipped in favour of one further down the path. */
    if (stat(p.s, &st) == 0) {
        *found = 1;
        rc = theme_load_file(p.s, out, e);
    }
    sbuf_free(&p);
    return rc;
}

/* The themes in themes/, compiled in (config.cmake). */
extern const char kith_theme_default[], kith_theme_light[], kith_theme_high_contrast[],
    kith_theme_mono[];

static const char *bundled(const char *name)
{
    static const struct {
        const char *name;
        const char *text;
    } themes[] = {{"default", kith_theme_default},
                  {"light", kith_theme_light},
                  {"high-contrast", kith_theme_high_contrast},
                  {"mono", kith_theme_mono}};
    for (size_t i = 0; i < sizeof themes / sizeof *themes; i++)
        if (!strcmp(themes[i].name, name))
            return themes[i].text;
    return NULL;
}

int theme_load(const char *name_or_path, struct theme *out, struct kerr *e)
{
    const char *v = name_or_path && *name_or_path ? name_or_path : "default";
    size_t n = strlen(v);
    int found = 0, rc = K_OK;
    theme_default(out);
    if (strchr(v, '/') || (n > 5 && !strcmp(v + n - 5, ".yaml")))
        return theme_load_file(v, out, e);
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return kerr_set(e, K_USAGE, "bad theme name '%s'", v);

    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    struct sbuf user = {0};
    if (xdg && *xdg)
        sbuf_add(&user, xdg);
    else if (home && *home)
        sbuf_printf(&user, "%s/.local/share", home);
    rc = try_dir(user.s, "/kith/themes", v, out, &found, e);
    sbuf_free(&user);
    if (found)
        return rc;
    const char *dirs = getenv("XDG_DATA_DIRS");
    char *copy = kstr_dup(dirs && *dirs ? dirs : "/usr/local/share:/usr/share");
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save))
        rc = try_dir(d, "/kith/themes", v, out, &found, e);
    free(copy);
    /* Beside the binary: <prefix>/bin/kith finds <prefix>/share/kith/themes
     * whatever prefix it was installed to, and a build tree's kith finds the
     * copies the build puts beside it (or the source tree's above it). */
    char *exe = kpath_exe_dir();
    static const char *const near_exe[] = {"/../share/kith/themes", "/themes", "/../themes"};
    for (size_t i = 0; exe && !found && i < sizeof near_exe / sizeof near_exe[0]; i++)
        rc = try_dir(exe, near_exe[i], v, out, &found, e);
    free(exe);
    if (!found)
        rc = try_dir(KITH_THEME_DIR, "", v, out, &found, e);
    if (found)
        return rc;
    /* Not installed (a build tree, a copied binary): the bundled copy. */
    const char *text = bundled(v);
    if (text)
        return theme_parse(text, strlen(text), v, out, e);
    return kerr_set(e, K_NOTFOUND,
                    "no theme named '%s' (bundled: default, light, high-contrast, mono)", v);
}
