#include "kith/cli/cli_util.h"

#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 1 when name is exactly one of spec's options (for short ones like -y). */
static int spec_has(const struct cli_optspec *spec, const char *name)
{
    for (const struct cli_optspec *s = spec; s && s->name; s++)
        if (!strcmp(s->name, name))
            return 1;
    return 0;
}

int cli_args_parse(int argc, char **argv, const struct cli_optspec *spec, struct cli_args *out,
                   struct kerr *e)
{
    int rc = K_OK, opts_done = 0;
    memset(out, 0, sizeof *out);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!utf8_valid(a, strlen(a))) {
            rc = kerr_set(e, K_USAGE, "argument %d is not valid UTF-8", i);
            goto out;
        }
        /* A single-dash word is an argument (a name, "-3d") unless the
         * spec names it. */
        if (opts_done || a[0] != '-' || !a[1] ||
            (a[1] != '-' && strcmp(a, "-h") && !spec_has(spec, a))) {
            out->pos = kgrowarray(out->pos, out->npos, sizeof *out->pos);
            out->pos[out->npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts_done = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            out->help = 1;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        const struct cli_optspec *s = spec;
        while (s && s->name && (strlen(s->name) != len || strncmp(s->name, a, len)))
            s++;
        if (!s || !s->name) {
            char *name = kstr_ndup(a, len);
            char *esc = kstr_escape(name);
            rc = kerr_set(e, K_USAGE, "unknown option '%s'", esc);
            free(esc);
            free(name);
            goto out;
        }
        const char *val = NULL;
        if (s->arg) {
            if (eq) {
                val = eq + 1;
            } else if (i + 1 < argc) {
                val = argv[++i];
                if (!utf8_valid(val, strlen(val))) {
                    rc = kerr_set(e, K_USAGE, "the value of %s is not valid UTF-8", s->name);
                    goto out;
                }
            } else {
                rc = kerr_set(e, K_USAGE, "%s needs a value", s->name);
                goto out;
            }
        } else if (eq) {
            rc = kerr_set(e, K_USAGE, "%s takes no value", s->name);
            goto out;
        }
        out->opts = kgrowarray(out->opts, out->nopts, sizeof *out->opts);
        out->opts[out->nopts].name = s->name;
        out->opts[out->nopts].value = val;
        out->nopts++;
    }
out:
    if (rc != K_OK)
        cli_args_free(out);
    return rc;
}

void cli_args_free(struct cli_args *a)
{
    if (!a)
        return;
    free(a->pos);
    free(a->opts);
    memset(a, 0, sizeof *a);
}

const char *cli_args_get(const struct cli_args *a, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].name, name))
            v = a->opts[i].value;
    return v;
}

int cli_args_has(const struct cli_args *a, const char *name)
{
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].name, name))
            return 1;
    return 0;
}

void cli_args_all(const struct cli_args *a, const char *name, struct kstrlist *l)
{
    for (size_t i = 0; i < a->nopts; i++)
        if (!strcmp(a->opts[i].name, name))
            kstrlist_add(l, a->opts[i].value);
}

int cli_read_value(const char *name, const char *value, size_t max, char **out, struct kerr *e)
{
    *out = NULL;
    if (!value)
        return K_OK;
    if (strcmp(value, "-")) {
        *out = kstr_dup(value);
        return K_OK;
    }
    struct sbuf b = {0};
    char buf[65536];
    size_t n;
    int rc = K_OK;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        sbuf_addn(&b, buf, n);
        if (b.len > max) {
            rc = kerr_set(e, K_USAGE, "%s from standard input is longer than %zu bytes", name, max);
            goto out;
        }
    }
    if (ferror(stdin)) {
        rc = kerr_set(e, K_ERR, "reading %s from standard input: %s", name, strerror(errno));
        goto out;
    }
    /* Text stops at a NUL, so storing the rest would silently cut it. */
    if (b.len && memchr(b.s, '\0', b.len)) {
        rc = kerr_set(e, K_USAGE, "%s from standard input contains a NUL byte; text only", name);
        goto out;
    }
    /* A trailing newline from `echo` or a heredoc is not part of the text. */
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    *out = sbuf_take(&b);
out:
    sbuf_free(&b);
    return rc;
}

int cli_parse_date(const char *name, const char *value, int *out, struct kerr *e)
{
    int today;
    *out = KDATE_NONE;
    if (!value)
        return K_OK;
    if (kdate_today(&today, e) != K_OK)
        return K_USAGE;
    struct kerr tmp;
    if (kdate_parse(value, today, out, &tmp) != K_OK)
        return kerr_set(e, K_USAGE, "%s: %s", name, tmp.msg);
    return K_OK;
}

int cli_parse_int(const char *name, const char *value, int min, int max, int *out, struct kerr *e)
{
    char *end;
    errno = 0;
    long v = value ? strtol(value, &end, 10) : 0;
    if (!value || !*value || *end || errno || v < min || v > max)
        return kerr_set(e, K_USAGE, "%s wants a whole number from %d to %d", name, min, max);
    *out = (int)v;
    return K_OK;
}

void cli_out_init(struct cli_out *o, const struct cli_globals *g)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    o->f = stdout;
    o->color = isatty(STDOUT_FILENO) && !(g && g->no_color) && !(nc && *nc) &&
               !(term && !strcmp(term, "dumb"));
}

static const char *const sgr[] = {
    [CLI_PLAIN] = "",        [CLI_BOLD] = "\033[1m",   [CLI_DIM] = "\033[2m",
    [CLI_GAVE] = "\033[32m", [CLI_ASKED] = "\033[33m", [CLI_WARN] = "\033[1;31m",
    [CLI_OK] = "\033[32m"};

void cli_put_names(struct cli_out *o, const struct interaction *it, int width)
{
    struct sbuf names = {0};
    for (size_t i = 0; i < it->ncontacts; i++) {
        if (i)
            sbuf_add(&names, ", ");
        sbuf_add(&names, it->contacts[i].name);
    }
    cli_put(o, CLI_BOLD, names.s ? names.s : "", width, 0);
    sbuf_free(&names);
}

void cli_put_route(struct cli_out *o, const struct referral *r, int by_width, int to_width)
{
    cli_put(o, CLI_BOLD, r->referrer.name, by_width, 0);
    fputs(" → ", o->f);
    cli_put(o, CLI_PLAIN, r->target_text, to_width, 0);
}

void cli_put_to(struct sbuf *line, const struct cli_out *o, enum cli_style s, const char *text,
                int width, int right)
{
    int styled = o->color && s != CLI_PLAIN;
    if (styled)
        sbuf_add(line, sgr[s]);
    if (width > 0) {
        kstr_fit(line, text, width, right); /* escapes */
    } else {
        char *esc = kstr_escape(text);
        sbuf_add(line, esc);
        free(esc);
    }
    if (styled)
        sbuf_add(line, "\033[0m");
}

void cli_put(struct cli_out *o, enum cli_style s, const char *text, int width, int right)
{
    struct sbuf b = {0};
    cli_put_to(&b, o, s, text, width, right);
    fputs(b.s ? b.s : "", o->f);
    sbuf_free(&b);
}

void cli_putf(struct cli_out *o, enum cli_style s, const char *fmt, ...)
{
    va_list ap;
    if (o->color && s != CLI_PLAIN)
        fputs(sgr[s], o->f);
    va_start(ap, fmt);
    vfprintf(o->f, fmt, ap);
    va_end(ap);
    if (o->color && s != CLI_PLAIN)
        fputs("\033[0m", o->f);
}

/* JSON to f, made safe when tty. */
static void json_out(FILE *f, int tty, const char *json)
{
    if (!tty) {
        fputs(json, f);
        return;
    }
    struct sbuf b = {0};
    kstr_json_tty(&b, json, strlen(json));
    fputs(b.s ? b.s : "", f);
    sbuf_free(&b);
}

void cli_json_put(FILE *f, const char *json)
{
    json_out(f, isatty(fileno(f)), json ? json : "null");
    fputc('\n', f);
}

void cli_json_begin(struct cli_json_array *a, FILE *f)
{
    a->f = f;
    a->n = 0;
    a->tty = isatty(fileno(f));
    fputc('[', f);
}

int cli_json_item(const char *json, void *ud)
{
    struct cli_json_array *a = ud;
    fputs(a->n++ ? ",\n" : "\n", a->f);
    json_out(a->f, a->tty, json);
    return 0;
}

void cli_json_end(struct cli_json_array *a)
{
    fputs(a->n ? "\n]\n" : "]\n", a->f);
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return 0;
}

int cli_usage(const char *cmd, const char *usage, const struct kerr *e)
{
    cli_error(e);
    fprintf(stderr, "usage: %s\nRun 'kith %s --help' for more.\n", usage, cmd);
    return 2;
}

int cli_finish(int rc, int parse_error, const char *cmd, const char *usage, const struct kerr *e)
{
    if (rc == K_OK)
        return 0;
    if (parse_error)
        return cli_usage(cmd, usage, e);
    cli_error(e);
    return kerr_exit_code(rc);
}

const char *cli_signed(int v, char *buf)
{
    /* By hand: a listing calls it for every row, and snprintf was a
     * twentieth of `kith list`. */
    char digits[12];
    int n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    char *p = buf;
    if (v != 0)
        *p++ = v > 0 ? '+' : '-';
    while (n)
        *p++ = digits[--n];
    *p = '\0';
    return buf;
}

enum cli_style cli_dir_style(enum kdir d)
{
    return d == KDIR_GAVE ? CLI_GAVE : d == KDIR_ASKED ? CLI_ASKED : CLI_PLAIN;
}

enum cli_style cli_balance_style(int balance)
{
    return balance > 0 ? CLI_GAVE : balance < 0 ? CLI_ASKED : CLI_PLAIN;
}

int cli_cmd_parse(struct cli_cmd *c, int argc, char **argv, const struct cli_optspec *spec)
{
    memset(c, 0, sizeof *c);
    kerr_clear(&c->e);
    int rc = cli_args_parse(argc, argv, spec, &c->a, &c->e);
    if (rc != K_OK)
        c->perr = 1;
    return rc;
}

int cli_cmd_usage(struct cli_cmd *c, const char *fmt, ...)
{
    char msg[KERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->perr = 1;
    return kerr_set(&c->e, K_USAGE, "%s", msg);
}

void cli_cmd_free(struct cli_cmd *c)
{
    if (!c)
        return;
    cli_args_free(&c->a);
    journal_close(&c->j);
    config_free(&c->cfg);
}

int cli_cmd_help(struct cli_cmd *c, const char *text)
{
    cli_cmd_free(c);
    return cli_help(text);
}

int cli_cmd_end(struct cli_cmd *c, int rc, const char *cmd, const char *usage)
{
    cli_cmd_free(c);
    return cli_finish(rc, c->perr, cmd, usage, &c->e);
}

void cli_said_tick(struct cli_out *o, int ticked, int day)
{
    char buf[KDATE_BUF];
    if (ticked == 1)
        cli_putf(o, CLI_OK, "ticked %s in the challenge ✓\n", kdate_format(day, buf));
    else if (ticked == 2)
        cli_putf(o, CLI_PLAIN, "%s was ticked in the challenge already\n", kdate_format(day, buf));
}

void cli_local_time(const char *at, char out[32])
{
    snprintf(out, 32, "%.16s", at);
    long long ms = kdate_time_ms(at);
    if (!ms)
        return;
    time_t t = (time_t)(ms / 1000);
    struct tm lt;
    if (localtime_r(&t, &lt))
        strftime(out, 32, "%Y-%m-%d %H:%M", &lt);
}
