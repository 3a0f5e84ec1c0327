#include "kith/tui/tui_log.h"

#include "kith/core/contact.h"
#include "kith/core/forward.h"
#include "kith/core/goodwill.h"
#include "kith/core/history.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATE_HINT "YYYY-MM-DD, today, yesterday or -3d"

enum { LF_WITH, LF_KIND, LF_DIR, LF_DATE, LF_SUMMARY, LF_NOTE, LF_COUNT };

/* The direction that makes the entry a pay-it-forward, not an interaction. */
#define FORWARD "forward"

struct log_ud {
    struct tui_app *a;
    struct kref *known; /* contacts the form opened with: their names are them */
    size_t nknown;
    struct idea idea; /* acting on an idea; idea.headline NULL when not */
    int is_idea;
    char *note; /* where the relationship stands, before an ask */
    /* What happened, for the bottom line. */
    size_t n;
    int forward, ticked, thanked;
};

static const char *val(const struct tui_field *f)
{
    return f->value ? f->value : "";
}

/* s without the spaces around it, as a new string. */
static char *trimmed_copy(const char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return kstr_ndup(s, n);
}

/* The names in the With field, one a line, trimmed, blanks left out. */
static void names_of(const char *v, struct kstrlist *out)
{
    for (const char *p = v; p && *p;) {
        size_t n = strcspn(p, "\n");
        char *line = kstr_ndup(p, n), *t = trimmed_copy(line);
        if (*t)
            kstrlist_add(out, t);
        free(t);
        free(line);
        p += n + (p[n] == '\n');
    }
}

/* A name of the With field as a contact: the contacts the form opened
 * with by their exact name (another of the same name does not make it
 * ambiguous), the others as kith resolves names. */
static int resolve(struct log_ud *u, const char *name, char id[KID_LEN + 1], struct kerr *e)
{
    for (size_t i = 0; i < u->nknown; i++)
        if (u->known[i].name && !strcmp(name, u->known[i].name)) {
            memcpy(id, u->known[i].id, KID_LEN + 1);
            return K_OK;
        }
    int rc = contact_resolve(u->a->j, name, id, e);
    if (rc != K_OK)
        kerr_field(e, "with");
    return rc;
}

/* Resolves the names in the With field; the same person twice is once. */
static int log_contacts(struct log_ud *u, const char *v, char (**ids)[KID_LEN + 1], size_t *n,
                        struct kerr *e)
{
    struct kstrlist names = {0};
    int rc = K_OK;
    names_of(v, &names);
    *ids = kcalloc(names.n ? names.n : 1, sizeof **ids);
    *n = 0;
    for (size_t i = 0; rc == K_OK && i < names.n; i++) {
        if ((rc = resolve(u, names.v[i], (*ids)[*n], e)) != K_OK)
            break;
        int dup = 0;
        for (size_t k = 0; k < *n; k++)
            dup |= !strcmp((*ids)[k], (*ids)[*n]);
        if (!dup)
            (*n)++;
    }
    kstrlist_clear(&names);
    return rc;
}

/* A gift expecting nothing: to one contact, or to someone not in the
 * journal (With left empty); what was given is the summary. */
static int submit_forward(struct log_ud *u, struct tui_field *f, char (*ids)[KID_LEN + 1], int date,
                          struct kerr *e)
{
    if (u->n > 1)
        return kerr_set_field(e, K_USAGE, "with",
                              "a pay-it-forward goes to one contact, or to someone not in the "
                              "journal (leave With empty)");
    if (!*val(&f[LF_SUMMARY]))
        return kerr_set_field(e, K_USAGE, "summary",
                              "say what you gave in the summary: \"helped a student with her "
                              "resume\"");
    struct forward_input in = {val(&f[LF_SUMMARY]), u->n ? ids[0] : NULL, date,
                               *val(&f[LF_NOTE]) ? val(&f[LF_NOTE]) : NULL};
    char id[KID_LEN + 1];
    history_label(u->a->j, "paid forward: %s", in.text);
    u->forward = 1;
    return forward_add(u->a->j, &in, u->is_idea ? CHALLENGE_TICK_ALWAYS : CHALLENGE_TICK_AUTO, id,
                       &u->ticked, e);
}

static int log_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct log_ud *u = ud;
    struct interaction_input in;
    char(*ids)[KID_LEN + 1] = NULL;
    const char **idp = NULL;
    enum kdir dir;
    int date, rc, forward = !strcmp(val(&f[LF_DIR]), FORWARD);
    (void)n;
    memset(&in, 0, sizeof in);
    if ((rc = log_contacts(u, val(&f[LF_WITH]), &ids, &u->n, e)) != K_OK ||
        (rc = tui_field_date(&f[LF_DATE], LF_DATE, journal_today(u->a->j), &date, bad, e)) != K_OK)
        goto out;
    if (forward) {
        rc = submit_forward(u, f, ids, date, e);
        goto out;
    }
    if (!u->n) {
        rc = kerr_set_field(e, K_USAGE, "with", "log it with at least one contact");
        goto out;
    }
    if (kdir_parse(val(&f[LF_DIR]), &dir) != 0) {
        rc = kerr_set_field(e, K_USAGE, "direction",
                            "direction: gave, asked, mutual, or forward for a gift expecting "
                            "nothing");
        goto out;
    }
    idp = kcalloc(u->n, sizeof *idp);
    for (size_t i = 0; i < u->n; i++)
        idp[i] = ids[i];
    in.contact_ids = idp;
    in.ncontacts = u->n;
    in.kind = val(&f[LF_KIND]);
    in.dir = dir;
    in.date = date;
    in.summary = *val(&f[LF_SUMMARY]) ? val(&f[LF_SUMMARY]) : NULL;
    in.note = *val(&f[LF_NOTE]) ? val(&f[LF_NOTE]) : NULL;
    char id[KID_LEN + 1];
    if (u->is_idea) {
        history_label(u->a->j, "acted on an idea: %s", u->idea.headline);
        rc = ideas_act(u->a->j, &u->idea, &in, id, &u->ticked, &u->thanked, e);
    } else {
        struct sbuf who = {0};
        for (size_t i = 0; i < u->n; i++) {
            struct kref *k = NULL;
            for (size_t x = 0; x < u->nknown && !k; x++)
                if (!strcmp(u->known[x].id, ids[i]))
                    k = &u->known[x];
            sbuf_printf(&who, "%s%s", i ? ", " : "", k && k->name ? k->name : "?");
        }
        history_label(u->a->j, "logged %s (%s) with %s", in.kind, kdir_name(in.dir),
                      u->n <= u->nknown ? who.s : val(&f[LF_WITH]));
        sbuf_free(&who);
        rc = interaction_log_act(u->a->j, &in, CHALLENGE_TICK_AUTO, id, &u->ticked, e);
    }
out:
    free(ids);
    free(idp);
    return rc;
}

/* Before an ask: where the relationship with the first contact of With
 * stands, as the form's note; the reason of the idea acted on otherwise. */
static void update_note(struct log_ud *u, struct tui_field *f)
{
    kstr_free(&u->note);
    /* Acting on an idea: why it is one. */
    if (strcmp(val(&f[LF_DIR]), "asked")) {
        if (u->is_idea)
            u->note = kstr_dup(u->idea.reason);
        return;
    }
    struct kstrlist names = {0};
    struct kerr e;
    char id[KID_LEN + 1];
    struct goodwill_stand s;
    names_of(val(&f[LF_WITH]), &names);
    if (names.n && resolve(u, names.v[0], id, &e) == K_OK &&
        goodwill_readiness(u->a->j, id, &s, &e) == K_OK) {
        struct sbuf b = {0};
        sbuf_printf(&b, "Before you ask %s: ", names.v[0]);
        goodwill_readiness_line(&s, journal_today(u->a->j), &b);
        u->note = sbuf_take(&b);
    }
    kstrlist_clear(&names);
}

/* Picking a kind sets the direction the config gives it (a pay-it-forward
 * stays one); the direction and who it is with say what the note shows. */
static void log_changed(void *ud, struct tui_field *f, size_t n, size_t i)
{
    struct log_ud *u = ud;
    (void)n;
    if (i == LF_KIND && strcmp(val(&f[LF_DIR]), FORWARD)) {
        const struct config_kind *k = config_kind_find(journal_config(u->a->j), val(&f[LF_KIND]));
        if (k && k->default_direction)
            tui_field_set(&f[LF_DIR], k->default_direction);
    }
    if (i == LF_KIND || i == LF_DIR || i == LF_WITH)
        update_note(u, f);
}

/* What the bottom line says once it is saved. */
static void say_saved(struct tui_app *a, struct log_ud *u, struct tui_field *f)
{
    struct sbuf b = {0};
    if (u->forward)
        sbuf_add(&b, "paid forward » (no goodwill)");
    else if (u->n > 1)
        sbuf_printf(&b, "logged %s (%s) with %zu contacts", val(&f[LF_KIND]), val(&f[LF_DIR]),
                    u->n);
    else
        sbuf_printf(&b, "logged %s (%s)", val(&f[LF_KIND]), val(&f[LF_DIR]));
    if (u->thanked)
        sbuf_add(&b, " · thanked for the referral ✓");
    if (u->ticked == 1)
        sbuf_add(&b, " · challenge day ticked ✓");
    tui_app_say(a, 0, "%s", b.s);
    sbuf_free(&b);
}

/* The contacts the form opens with are kept by id as well as name, so that
 * another contact of the same name does not make theirs ambiguous (resolve);
 * with gets their names, one a line, as the With field holds them. */
static void log_ud_init(struct log_ud *u, struct tui_app *a, const struct tui_log_prefill *p,
                        struct sbuf *with)
{
    memset(u, 0, sizeof *u);
    u->a = a;
    u->nknown = p->nwho;
    u->known = kcalloc(p->nwho ? p->nwho : 1, sizeof *u->known);
    for (size_t i = 0; i < p->nwho; i++) {
        memcpy(u->known[i].id, p->who[i].id, KID_LEN + 1);
        u->known[i].name = kstr_dup(p->who[i].name);
        sbuf_printf(with, "%s%s", i ? "\n" : "", p->who[i].name ? p->who[i].name : "");
    }
    if (p->idea) {
        idea_copy(&u->idea, p->idea);
        u->is_idea = 1;
    }
}

static void log_ud_clear(struct log_ud *u)
{
    for (size_t i = 0; i < u->nknown; i++)
        free(u->known[i].name);
    free(u->known);
    idea_clear(&u->idea);
    free(u->note);
}

/* The configured kinds for the Kind field, NULL-terminated; a journal without
 * any still offers "meeting". The caller frees the array, not the names. */
static const char **log_kinds(const struct config *cfg)
{
    size_t nk = cfg ? cfg->nkinds : 0;
    const char **kinds = kcalloc(nk + 2, sizeof *kinds);
    for (size_t i = 0; i < nk; i++)
        kinds[i] = cfg->kinds[i].name;
    if (!nk)
        kinds[nk++] = "meeting";
    return kinds;
}

static void log_fields_init(struct tui_field f[LF_COUNT], const char **kinds)
{
    static const char *const dirs[] = {"gave", "asked", "mutual", FORWARD, NULL};
    memset(f, 0, LF_COUNT * sizeof *f);
    f[LF_WITH] = (struct tui_field){
        .label = "With",
        .flags = TUI_FIELD_LIST,
        .sep = ",",
        .name = "with",
        .hint = "names, separated by commas (a pay-it-forward: one, or none for someone else)"};
    f[LF_KIND] = (struct tui_field){.label = "Kind",
                                    .type = TUI_FIELD_CHOICE,
                                    .flags = TUI_FIELD_OPEN,
                                    .choices = kinds,
                                    .name = "kind",
                                    .hint = "←/→ the known kinds, or type any word (^U clears)"};
    f[LF_DIR] = (struct tui_field){
        .label = "Direction",
        .type = TUI_FIELD_CHOICE,
        .choices = dirs,
        .name = "direction",
        .hint =
            "gave: a deposit · asked: a withdrawal · mutual · forward: a gift expecting nothing"};
    f[LF_DATE] = (struct tui_field){.label = "Date", .hint = DATE_HINT, .name = "date"};
    f[LF_SUMMARY] = (struct tui_field){
        .label = "Summary", .name = "summary", .hint = "one line: what happened, what you gave"};
    f[LF_NOTE] = (struct tui_field){.label = "Note",
                                    .flags = TUI_FIELD_LINES,
                                    .name = "note",
                                    .hint = "^X writes it in your editor, over several lines"};
}

/* The kind's default direction is applied before the prefill's direction, so
 * that an explicit one (a pay-it-forward, an idea's) wins over the config. */
static void log_fields_fill(struct log_ud *u, struct tui_field *f, const struct tui_log_prefill *p,
                            const char *with, const char *first_kind)
{
    char d[KDATE_BUF];
    tui_field_set(&f[LF_WITH], with);
    tui_field_set(&f[LF_KIND], p->kind ? p->kind : first_kind);
    tui_field_set(&f[LF_DIR], "mutual");
    log_changed(u, f, LF_COUNT, LF_KIND);
    if (p->direction)
        tui_field_set(&f[LF_DIR], p->direction);
    tui_field_set(&f[LF_DATE], kdate_format(journal_today(u->a->j), d));
    tui_field_set(&f[LF_SUMMARY], p->summary ? p->summary : "");
    tui_field_set(&f[LF_NOTE], "");
    update_note(u, f);
}

static const char *log_title(const struct log_ud *u, const struct tui_log_prefill *p)
{
    if (u->is_idea)
        return "Act on the idea";
    if (p->direction && !strcmp(p->direction, FORWARD))
        return "Pay it forward";
    return "Log an interaction";
}

void tui_log_open(struct tui_app *a, const struct tui_log_prefill *p)
{
    struct log_ud u;
    struct sbuf with = {0};
    log_ud_init(&u, a, p, &with);
    const char **kinds = log_kinds(journal_config(a->j));
    struct tui_field f[LF_COUNT];
    log_fields_init(f, kinds);
    log_fields_fill(&u, f, p, with.s ? with.s : "", kinds[0]);
    const char *const *note = (const char *const *)&u.note;
    struct tui_form fm = {log_title(&u, p), f, LF_COUNT, log_submit, log_changed, &u, note};
    int saved = tui_form_run(&a->host, &fm);
    if (saved)
        say_saved(a, &u, f);
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, LF_COUNT);
    free(kinds);
    sbuf_free(&with);
    log_ud_clear(&u);
    /* A label set for a write that did not happen must not name the next
     * one. */
    history_label_clear(a->j);
    if (saved)
        tui_remind_stale(a->rem);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}

void tui_actions_log(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    struct contact c;
    struct kerr e;
    memset(&c, 0, sizeof c);
    if (!id) {
        tui_app_say(a, 1, "select a contact to log an interaction with");
        return;
    }
    if (contact_get(a->j, id, &c, &e) != K_OK) {
        tui_app_say(a, 1, "%s", e.msg);
        return;
    }
    struct kref who = {{0}, c.name};
    memcpy(who.id, c.id, KID_LEN + 1);
    struct tui_log_prefill p = {&who, 1, NULL, NULL, NULL, NULL};
    tui_log_open(a, &p);
    contact_clear(&c);
}

void tui_actions_forward(struct tui_app *a)
{
    struct tui_log_prefill p = {NULL, 0, NULL, FORWARD, NULL, NULL};
    struct contact c;
    struct kerr e;
    struct kref who;
    memset(&c, 0, sizeof c);
    const char *id = a->view == TUI_VIEW_CONTACTS ? tui_list_selected(a->list) : NULL;
    if (id && contact_get(a->j, id, &c, &e) == K_OK) {
        memcpy(who.id, c.id, KID_LEN + 1);
        who.name = c.name;
        p.who = &who;
        p.nwho = 1;
    }
    tui_log_open(a, &p);
    contact_clear(&c);
}
