#include "kith/config.h"

#include "kith/kstr.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void add_kind(struct config *c, const char *name, const char *label, const char *dir)
{
    c->kinds = krealloc(c->kinds, (c->nkinds + 1) * sizeof *c->kinds);
    c->kinds[c->nkinds].name = kstr_dup(name);
    c->kinds[c->nkinds].label = kstr_dup(label);
    c->kinds[c->nkinds].default_direction = kstr_dup(dir);
    c->nkinds++;
}

static void add_weight(struct config *c, const char *kind, int gave, int asked, int mutual)
{
    c->weights = krealloc(c->weights, (c->nweights + 1) * sizeof *c->weights);
    c->weights[c->nweights].kind = kstr_dup(kind);
    c->weights[c->nweights].gave = gave;
    c->weights[c->nweights].asked = asked;
    c->weights[c->nweights].mutual = mutual;
    c->nweights++;
}

struct config *config_defaults(void)
{
    struct config *c = kcalloc(1, sizeof *c);
    c->theme = kstr_dup("default");
    c->challenge_days = 30;
    c->challenge_past_days = 2;
    c->goodwill_show = 1;
    add_kind(c, "coffee", "Coffee", "mutual");
    add_kind(c, "call", "Call", "mutual");
    add_kind(c, "email", "Email", "mutual");
    add_kind(c, "meeting", "Meeting", "mutual");
    add_kind(c, "event", "Event", "mutual");
    add_kind(c, "article", "Shared an article", "gave");
    add_kind(c, "intro", "Introduction", "gave");
    add_kind(c, "referral", "Referral", "gave");
    add_kind(c, "advice", "Advice", "asked");
    add_kind(c, "resume-review", "Resume review", "asked");
    add_kind(c, "birthday", "Birthday wishes", "gave");
    add_kind(c, "update", "Update on how I used their help", "gave");
    add_kind(c, "gift", "Gift", "gave");
    add_kind(c, "thank-you", "Thank-you", "gave");
    add_weight(c, "*", 1, -1, 0);
    add_weight(c, "intro", 3, -3, 0);
    add_weight(c, "referral", 3, -3, 0);
    return c;
}

int config_load(const char *path, struct config **out, struct kerr *e)
{
    /* The YAML loader arrives with the rules issue; until then a file is
     * not silently ignored. */
    *out = NULL;
    return kerr_set(e, K_USAGE, "%s: configuration files are not supported yet", path);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void config_free(struct config **pc)
{
    if (!pc || !*pc)
        return;
    struct config *c = *pc;
    free(c->path);
    free(c->database);
    free(c->theme);
    for (size_t i = 0; i < c->nkinds; i++) {
        free(c->kinds[i].name);
        free(c->kinds[i].label);
        free(c->kinds[i].default_direction);
    }
    free(c->kinds);
    for (size_t i = 0; i < c->nweights; i++)
        free(c->weights[i].kind);
    free(c->weights);
    for (size_t i = 0; i < c->nrules; i++) {
        struct config_rule *r = &c->rules[i];
        free(r->id);
        free(r->message);
        free_strv(r->tags, r->ntags);
        free_strv(r->kinds, r->nkinds);
        free(r->direction);
        free_strv(r->outcomes, r->noutcomes);
    }
    free(c->rules);
    if (c->notify_command) {
        for (char **p = c->notify_command; *p; p++)
            free(*p);
        free(c->notify_command);
    }
    free(c);
    *pc = NULL;
}

const struct config_kind *config_kind_find(const struct config *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->nkinds; i++)
        if (!strcmp(c->kinds[i].name, name))
            return &c->kinds[i];
    return NULL;
}
