#include "kith/tui_actions.h"

#include "kith/challenge.h"
#include "kith/check.h"
#include "kith/contact.h"
#include "kith/interaction.h"
#include "kith/kdate.h"
#include "kith/kstr.h"
#include "kith/referral.h"
#include "kith/reminder.h"
#include "kith/thanks.h"
#include "kith/trash.h"
#include "kith/tui_views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATE_HINT "YYYY-MM-DD, today, yesterday or -3d"

/* After an action: re-read the screen, and when it wrote to the journal,
 * the reminders too (a cancelled form costs no evaluation). */
static void done(struct tui_app *a, int wrote)
{
    if (wrote)
        tui_remind_stale(a->rem);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}

static const char *val(const struct tui_field *f)
{
    return f->value ? f->value : "";
}

/* Parses a date field (empty: today) or explains it at the field. */
static int date_field(struct tui_app *a, const struct tui_field *f, int idx, int *out, int *bad,
                      struct kerr *e)
{
    if (!*val(f)) {
        *out = journal_today(a->j);
        return K_OK;
    }
    if (kdate_parse(val(f), journal_today(a->j), out, e) != K_OK) {
        *bad = idx;
        return K_USAGE;
    }
    return K_OK;
}

/* Splits "a, b c" into words for tags, emails and phones. */
static void words(struct kstrlist *l, const char *s, const char *seps)
{
    char *copy = kstr_dup(s);
    for (char *save = NULL, *w = strtok_r(copy, seps, &save); w; w = strtok_r(NULL, seps, &save))
        kstrlist_add(l, w);
    free(copy);
}

/* ---- add / edit ---- */

enum {
    CF_NAME,
    CF_COMPANY,
    CF_TITLE,
    CF_LOCATION,
    CF_EMAILS,
    CF_PHONES,
    CF_LINKS,
    CF_TAGS,
    CF_MET_ON,
    CF_HOW_MET,
    CF_BIRTHDAY,
    CF_WORKING_ON,
    CF_NOTE,
    CF_COUNT
};

struct contact_ud {
    struct tui_app *a;
    struct contact old; /* for edit: what the lists were */
    int editing;
    char id[KID_LEN + 1];
};

/* Adds to out what is in had and not in now. */
static void minus(struct kstrlist *out, const struct kstrlist *had, const struct kstrlist *now)
{
    for (size_t i = 0; i < had->n; i++)
        if (!kstrlist_has(now, had->v[i]))
            kstrlist_add(out, had->v[i]);
}

static int contact_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct contact_ud *u = ud;
    struct contact_patch p;
    int rc;
    (void)n;
    contact_patch_init(&p);
    if (!*val(&f[CF_NAME])) {
        *bad = CF_NAME;
        contact_patch_clear(&p);
        return kerr_set(e, K_USAGE, "a contact needs a name");
    }
    /* Each field is checked here first so that the message lands at it. */
    char bday[KDATE_BUF];
    int day;
    if (*val(&f[CF_BIRTHDAY]) && kdate_parse_birthday(val(&f[CF_BIRTHDAY]), bday, e) != K_OK) {
        *bad = CF_BIRTHDAY;
        contact_patch_clear(&p);
        return K_USAGE;
    }
    if (*val(&f[CF_MET_ON]) &&
        kdate_parse(val(&f[CF_MET_ON]), journal_today(u->a->j), &day, e) != K_OK) {
        *bad = CF_MET_ON;
        contact_patch_clear(&p);
        return K_USAGE;
    }
    p.name = val(&f[CF_NAME]);
    p.company = val(&f[CF_COMPANY]);
    p.title = val(&f[CF_TITLE]);
    p.location = val(&f[CF_LOCATION]);
    p.met_on = val(&f[CF_MET_ON]);
    p.how_met = val(&f[CF_HOW_MET]);
    p.birthday = val(&f[CF_BIRTHDAY]);
    p.working_on = val(&f[CF_WORKING_ON]);
    p.note = val(&f[CF_NOTE]);
    words(&p.add_emails, val(&f[CF_EMAILS]), ", ");
    words(&p.add_phones, val(&f[CF_PHONES]), ",");
    words(&p.add_links, val(&f[CF_LINKS]), ", ");
    words(&p.add_tags, val(&f[CF_TAGS]), ", #");
    for (size_t i = 0; i < p.add_emails.n && *bad < 0; i++)
        if (check_email(p.add_emails.v[i], e) != K_OK)
            *bad = CF_EMAILS;
    for (size_t i = 0; i < p.add_phones.n && *bad < 0; i++)
        if (check_phone(p.add_phones.v[i], e) != K_OK)
            *bad = CF_PHONES;
    for (size_t i = 0; i < p.add_tags.n && *bad < 0; i++) {
        char *t = NULL;
        if (check_tag(p.add_tags.v[i], &t, e) != K_OK)
            *bad = CF_TAGS;
        free(t);
    }
    if (*bad >= 0) {
        contact_patch_clear(&p);
        return K_USAGE;
    }
    if (u->editing) {
        /* The fields show whole lists: what was there and is no longer
         * typed goes. */
        minus(&p.rm_emails, &u->old.emails, &p.add_emails);
        minus(&p.rm_phones, &u->old.phones, &p.add_phones);
        minus(&p.rm_links, &u->old.links, &p.add_links);
        minus(&p.rm_tags, &u->old.tags, &p.add_tags);
        rc = contact_edit(u->a->j, u->id, &p, e);
    } else {
        rc = contact_add(u->a->j, &p, u->id, e);
    }
    if (rc != K_OK) {
        /* The core names the field in its message; point at it. */
        static const struct {
            const char *word;
            int field;
        } map[] = {{"birthday", CF_BIRTHDAY}, {"email", CF_EMAILS}, {"phone", CF_PHONES},
                   {"tag", CF_TAGS},          {"date", CF_MET_ON},  {"name", CF_NAME},
                   {"company", CF_COMPANY},   {"title", CF_TITLE},  {"note", CF_NOTE},
                   {"location", CF_LOCATION}, {"link", CF_LINKS}};
        for (size_t i = 0; i < sizeof map / sizeof map[0] && *bad < 0; i++)
            if (strstr(e->msg, map[i].word))
                *bad = map[i].field;
    }
    contact_patch_clear(&p);
    return rc;
}

static void contact_fields(struct tui_field *f)
{
    memset(f, 0, CF_COUNT * sizeof *f);
    static const char *const labels[CF_COUNT] = {
        "Name", "Company", "Title",   "Location", "Emails",     "Phones", "Links",
        "Tags", "Met on",  "How met", "Birthday", "Working on", "Note"};
    for (int i = 0; i < CF_COUNT; i++) {
        f[i].label = labels[i];
        tui_field_set(&f[i], "");
    }
    f[CF_NAME].hint = "required";
    f[CF_EMAILS].hint = "separated by spaces or commas";
    f[CF_PHONES].hint = "separated by commas";
    f[CF_LOCATION].hint = "a city, a region, ...";
    f[CF_LINKS].hint = "web addresses, separated by spaces";
    f[CF_TAGS].hint = "words, e.g. mentor alumni";
    f[CF_MET_ON].hint = DATE_HINT;
    f[CF_BIRTHDAY].hint = "MM-DD or YYYY-MM-DD";
    f[CF_WORKING_ON].hint = "what they work on or need: how could you help?";
}

static void join(struct sbuf *b, const struct kstrlist *l, const char *sep)
{
    for (size_t i = 0; i < l->n; i++)
        sbuf_printf(b, "%s%s", i ? sep : "", l->v[i]);
}

static void contact_form(struct tui_app *a, int editing)
{
    struct tui_field f[CF_COUNT];
    struct contact_ud u;
    struct kerr e;
    int saved = 0;
    memset(&u, 0, sizeof u);
    u.a = a;
    u.editing = editing;
    contact_fields(f);
    if (editing) {
        const char *id = tui_list_selected(a->list);
        if (!id) {
            tui_app_say(a, 1, "no contact selected");
            goto out;
        }
        if (contact_get(a->j, id, &u.old, &e) != K_OK) {
            tui_app_say(a, 1, "%s", e.msg);
            goto out;
        }
        snprintf(u.id, sizeof u.id, "%s", id);
        struct sbuf b = {0};
        char d[KDATE_BUF];
        tui_field_set(&f[CF_NAME], u.old.name);
        tui_field_set(&f[CF_COMPANY], u.old.company);
        tui_field_set(&f[CF_TITLE], u.old.title);
        tui_field_set(&f[CF_LOCATION], u.old.location);
        join(&b, &u.old.links, " ");
        tui_field_set(&f[CF_LINKS], b.s);
        sbuf_free(&b);
        join(&b, &u.old.emails, " ");
        tui_field_set(&f[CF_EMAILS], b.s);
        sbuf_free(&b);
        join(&b, &u.old.phones, ", ");
        tui_field_set(&f[CF_PHONES], b.s);
        sbuf_free(&b);
        join(&b, &u.old.tags, " ");
        tui_field_set(&f[CF_TAGS], b.s);
        sbuf_free(&b);
        tui_field_set(&f[CF_MET_ON],
                      u.old.met_on != KDATE_NONE ? kdate_format(u.old.met_on, d) : "");
        tui_field_set(&f[CF_HOW_MET], u.old.how_met);
        tui_field_set(&f[CF_BIRTHDAY], u.old.birthday);
        tui_field_set(&f[CF_WORKING_ON], u.old.working_on);
        tui_field_set(&f[CF_NOTE], u.old.note);
    }
    saved = tui_form_run(&a->host, editing ? "Edit contact" : "Add a contact", f, CF_COUNT,
                         contact_submit, &u);
    if (saved) {
        tui_app_say(a, 0, "saved %s", val(&f[CF_NAME]));
        tui_list_select_id(a->list, u.id);
    } else {
        tui_app_say(a, 0, "cancelled: nothing saved");
    }
out:
    contact_clear(&u.old);
    tui_fields_clear(f, CF_COUNT);
    done(a, saved);
}

void tui_actions_add(struct tui_app *a)
{
    contact_form(a, 0);
}

void tui_actions_edit(struct tui_app *a)
{
    contact_form(a, 1);
}

/* ---- log an interaction ---- */

enum { LF_KIND, LF_DIR, LF_DATE, LF_SUMMARY, LF_NOTE, LF_COUNT };

struct log_ud {
    struct tui_app *a;
    const char *contact;
    char id[KID_LEN + 1];
};

static int log_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct log_ud *u = ud;
    struct interaction_input in;
    enum kdir dir;
    int date, rc;
    (void)n;
    memset(&in, 0, sizeof in);
    if ((rc = date_field(u->a, &f[LF_DATE], LF_DATE, &date, bad, e)) != K_OK)
        return rc;
    if (kdir_parse(val(&f[LF_DIR]), &dir) != 0) {
        *bad = LF_DIR;
        return kerr_set(e, K_USAGE, "direction: gave, asked or mutual");
    }
    in.contact_ids = &u->contact;
    in.ncontacts = 1;
    in.kind = val(&f[LF_KIND]);
    in.dir = dir;
    in.date = date;
    in.summary = *val(&f[LF_SUMMARY]) ? val(&f[LF_SUMMARY]) : NULL;
    in.note = *val(&f[LF_NOTE]) ? val(&f[LF_NOTE]) : NULL;
    rc = interaction_log(u->a->j, &in, u->id, e);
    if (rc != K_OK && *bad < 0)
        *bad = strstr(e->msg, "kind") ? LF_KIND : strstr(e->msg, "date") ? LF_DATE : LF_SUMMARY;
    return rc;
}

void tui_actions_log(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    if (!id) {
        tui_app_say(a, 1, "select a contact to log an interaction with");
        return;
    }
    const struct config *cfg = journal_config(a->j);
    size_t nk = cfg ? cfg->nkinds : 0;
    const char **kinds = kcalloc(nk + 2, sizeof *kinds);
    for (size_t i = 0; i < nk; i++)
        kinds[i] = cfg->kinds[i].name;
    if (!nk)
        kinds[nk++] = "meeting";
    static const char *const dirs[] = {"gave", "asked", "mutual", NULL};
    struct tui_field f[LF_COUNT];
    memset(f, 0, sizeof f);
    f[LF_KIND] = (struct tui_field){"Kind", TUI_FIELD_CHOICE, kinds, NULL, NULL};
    f[LF_DIR] = (struct tui_field){"Direction", TUI_FIELD_CHOICE, dirs,
                                   "gave: a deposit · asked: a withdrawal · mutual", NULL};
    f[LF_DATE] = (struct tui_field){"Date", TUI_FIELD_TEXT, NULL, DATE_HINT, NULL};
    f[LF_SUMMARY] = (struct tui_field){"Summary", TUI_FIELD_TEXT, NULL, NULL, NULL};
    f[LF_NOTE] = (struct tui_field){"Note", TUI_FIELD_TEXT, NULL, NULL, NULL};
    char d[KDATE_BUF];
    tui_field_set(&f[LF_KIND], kinds[0]);
    /* nk counts the "meeting" fallback too: look at cfg's own kinds. */
    tui_field_set(&f[LF_DIR], cfg && cfg->nkinds && cfg->kinds[0].default_direction
                                  ? cfg->kinds[0].default_direction
                                  : "mutual");
    tui_field_set(&f[LF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[LF_SUMMARY], "");
    tui_field_set(&f[LF_NOTE], "");
    struct log_ud u = {a, id, ""};
    char cid[KID_LEN + 1];
    snprintf(cid, sizeof cid, "%s", id);
    u.contact = cid;
    int saved = tui_form_run(&a->host, "Log an interaction", f, LF_COUNT, log_submit, &u);
    if (saved)
        tui_app_say(a, 0, "logged %s (%s)", val(&f[LF_KIND]), val(&f[LF_DIR]));
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, LF_COUNT);
    free(kinds);
    done(a, saved);
}

/* ---- referral ---- */

enum { RF_TO, RF_TEXT, RF_KIND, RF_DATE, RF_FROM, RF_NOTE, RF_COUNT };

struct refer_ud {
    struct tui_app *a;
    char by[KID_LEN + 1];
    char id[KID_LEN + 1];
};

static int refer_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct refer_ud *u = ud;
    struct referral_input in;
    char to[KID_LEN + 1] = "", parent[KID_LEN + 1] = "";
    int date, rc;
    (void)n;
    memset(&in, 0, sizeof in);
    if (!*val(&f[RF_TO]) && !*val(&f[RF_TEXT])) {
        *bad = RF_TO;
        return kerr_set(e, K_USAGE, "to whom or to what? fill one of the two");
    }
    if (*val(&f[RF_TO]) && (rc = contact_resolve(u->a->j, val(&f[RF_TO]), to, e)) != K_OK) {
        *bad = RF_TO;
        return rc;
    }
    if ((rc = date_field(u->a, &f[RF_DATE], RF_DATE, &date, bad, e)) != K_OK)
        return rc;
    if (*val(&f[RF_FROM]) &&
        (rc = referral_resolve(u->a->j, val(&f[RF_FROM]), parent, e)) != K_OK) {
        *bad = RF_FROM;
        return rc;
    }
    in.referrer_id = u->by;
    in.target_id = *to ? to : NULL;
    in.target_text = *val(&f[RF_TEXT]) ? val(&f[RF_TEXT]) : NULL;
    in.kind = *val(&f[RF_KIND]) ? val(&f[RF_KIND]) : NULL;
    in.date = date;
    in.parent_id = *parent ? parent : NULL;
    in.note = *val(&f[RF_NOTE]) ? val(&f[RF_NOTE]) : NULL;
    rc = referral_add(u->a->j, &in, u->id, e);
    if (rc != K_OK && *bad < 0 && strstr(e->msg, "kind"))
        *bad = RF_KIND;
    return rc;
}

void tui_actions_refer(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    if (!id) {
        tui_app_say(a, 1, "select the contact who referred you");
        return;
    }
    struct tui_field f[RF_COUNT];
    memset(f, 0, sizeof f);
    f[RF_TO] = (struct tui_field){"To contact", TUI_FIELD_TEXT, NULL, "a contact's name", NULL};
    f[RF_TEXT] = (struct tui_field){"Or to", TUI_FIELD_TEXT, NULL,
                                    "a company, a job, a customer, ...", NULL};
    f[RF_KIND] =
        (struct tui_field){"Kind", TUI_FIELD_TEXT, NULL, "e.g. intro, job, customer", NULL};
    f[RF_DATE] = (struct tui_field){"Date", TUI_FIELD_TEXT, NULL, DATE_HINT, NULL};
    f[RF_FROM] = (struct tui_field){"Grew out of", TUI_FIELD_TEXT, NULL,
                                    "the id of the referral it came from (optional)", NULL};
    f[RF_NOTE] = (struct tui_field){"Note", TUI_FIELD_TEXT, NULL, NULL, NULL};
    char d[KDATE_BUF];
    for (int i = 0; i < RF_COUNT; i++)
        tui_field_set(&f[i], "");
    tui_field_set(&f[RF_KIND], "intro");
    tui_field_set(&f[RF_DATE], kdate_format(journal_today(a->j), d));
    struct refer_ud u;
    memset(&u, 0, sizeof u);
    u.a = a;
    snprintf(u.by, sizeof u.by, "%s", id);
    int saved = tui_form_run(&a->host, "Record a referral", f, RF_COUNT, refer_submit, &u);
    if (saved)
        tui_app_say(a, 0, "referral saved · t thanks them");
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, RF_COUNT);
    done(a, saved);
}

/* ---- thank-you ---- */

enum { TF_FOR, TF_FORM, TF_DATE, TF_NOTE, TF_COUNT };

/* At most this many of the contact's referrals are offered, unthanked and
 * oldest first (the one asked for is added when it is not among them). */
#define THANK_CHOICES 30

struct thank_ud {
    struct tui_app *a;
    char contact[KID_LEN + 1];
    char id[KID_LEN + 1];
    struct referral_list refs; /* what the choices "N. ..." number from 1 */
};

static int thank_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct thank_ud *u = ud;
    struct thanks_input in;
    int date, rc;
    (void)n;
    memset(&in, 0, sizeof in);
    /* The choice reads "N. date target"; N picks the referral, "none" none. */
    int k = atoi(val(&f[TF_FOR]));
    if ((rc = date_field(u->a, &f[TF_DATE], TF_DATE, &date, bad, e)) != K_OK)
        return rc;
    in.contact_id = u->contact;
    in.date = date;
    in.form = *val(&f[TF_FORM]) ? val(&f[TF_FORM]) : NULL;
    in.referral_id = k > 0 && (size_t)k <= u->refs.n ? u->refs.v[k - 1].id : NULL;
    in.note = *val(&f[TF_NOTE]) ? val(&f[TF_NOTE]) : NULL;
    rc = thanks_add(u->a->j, &in, u->id, e);
    if (rc != K_OK && *bad < 0)
        *bad = strstr(e->msg, "referral") ? TF_FOR : TF_FORM;
    return rc;
}

/* Reads the contact's referrals into u->refs, making sure want (when given)
 * is among them, and returns the choice labels ("none" first); *pick is the
 * label to preselect. Free the labels with free_labels. */
static char **thank_choices(struct thank_ud *u, const char *want, size_t *pick)
{
    struct referral_query q;
    struct kerr e;
    memset(&q, 0, sizeof q);
    q.referrer_id = u->contact;
    q.limit = THANK_CHOICES;
    *pick = 0;
    if (referral_list(u->a->j, &q, &u->refs, &e) != K_OK)
        memset(&u->refs, 0, sizeof u->refs);
    int found = 0;
    for (size_t i = 0; want && i < u->refs.n; i++)
        found |= !strcmp(u->refs.v[i].id, want);
    if (want && !found) {
        struct referral r;
        memset(&r, 0, sizeof r);
        if (referral_get(u->a->j, want, &r, &e) == K_OK) {
            u->refs.v = krealloc(u->refs.v, (u->refs.n + 1) * sizeof *u->refs.v);
            u->refs.v[u->refs.n++] = r;
        }
    }
    char **labels = kcalloc(u->refs.n + 2, sizeof *labels);
    labels[0] = kstr_dup("none");
    for (size_t i = 0; i < u->refs.n; i++) {
        const struct referral *r = &u->refs.v[i];
        struct sbuf b = {0};
        char d[KDATE_BUF];
        char *esc = kstr_escape(r->target_text ? r->target_text : "?");
        char *kind = kstr_escape(r->kind);
        sbuf_printf(&b, "%zu. %s %s (%s)%s", i + 1, kdate_format(r->date, d), esc, kind,
                    r->thanked ? " thanked" : "");
        free(kind);
        free(esc);
        labels[i + 1] = sbuf_take(&b);
        /* The one asked for, else the oldest unthanked (listed first). */
        if (want ? !strcmp(r->id, want) : (!*pick && !r->thanked))
            *pick = i + 1;
    }
    return labels;
}

static void free_labels(char **labels)
{
    for (size_t i = 0; labels && labels[i]; i++)
        free(labels[i]);
    free(labels);
}

void tui_actions_thank(struct tui_app *a, const char *contact_id, const char *referral_id)
{
    struct thank_ud u;
    struct kerr e;
    size_t pick;
    memset(&u, 0, sizeof u);
    u.a = a;
    snprintf(u.contact, sizeof u.contact, "%s", contact_id);
    char **labels = thank_choices(&u, referral_id, &pick);
    struct contact c;
    memset(&c, 0, sizeof c);
    struct sbuf title = {0};
    if (contact_get(a->j, contact_id, &c, &e) == K_OK)
        sbuf_printf(&title, "Thank %s", c.name);
    else
        sbuf_add(&title, "Thank-you");
    contact_clear(&c);
    static const char *const forms[] = {"email",  "handwritten-note", "call",    "lunch",
                                        "coffee", "gift-card",        "message", NULL};
    struct tui_field f[TF_COUNT];
    memset(f, 0, sizeof f);
    f[TF_FOR] = (struct tui_field){"For referral", TUI_FIELD_CHOICE, (const char **)labels,
                                   u.refs.n ? "←/→ picks the referral; none for a plain thank-you"
                                            : "they have made no referral: a plain thank-you",
                                   NULL};
    f[TF_FORM] = (struct tui_field){"Form", TUI_FIELD_CHOICE, forms, NULL, NULL};
    f[TF_DATE] = (struct tui_field){"Date", TUI_FIELD_TEXT, NULL, DATE_HINT, NULL};
    f[TF_NOTE] = (struct tui_field){"Note", TUI_FIELD_TEXT, NULL, NULL, NULL};
    char d[KDATE_BUF];
    tui_field_set(&f[TF_FOR], labels[pick]);
    tui_field_set(&f[TF_FORM], "email");
    tui_field_set(&f[TF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[TF_NOTE], "");
    int saved = tui_form_run(&a->host, title.s, f, TF_COUNT, thank_submit, &u);
    sbuf_free(&title);
    if (saved)
        tui_app_say(a, 0, "thanked by %s ✓", val(&f[TF_FORM]));
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, TF_COUNT);
    free_labels(labels);
    referral_list_clear(&u.refs);
    done(a, saved);
}

/* ---- outcome ---- */

enum { OF_STATUS, OF_DATE, OF_NOTE, OF_COUNT };

static int outcome_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    void **pair = ud;
    struct tui_app *a = pair[0];
    const char *id = pair[1];
    enum koutcome o;
    int date, rc;
    (void)n;
    if (koutcome_parse(val(&f[OF_STATUS]), &o) != 0) {
        *bad = OF_STATUS;
        return kerr_set(e, K_USAGE, "pick an outcome");
    }
    if ((rc = date_field(a, &f[OF_DATE], OF_DATE, &date, bad, e)) != K_OK)
        return rc;
    return referral_set_outcome(a->j, id, o, date, *val(&f[OF_NOTE]) ? val(&f[OF_NOTE]) : NULL, e);
}

void tui_actions_outcome(struct tui_app *a, const char *referral_id)
{
    static const char *outcomes[KOUT_COUNT + 1];
    for (int i = 0; i < KOUT_COUNT; i++)
        outcomes[i] = koutcome_name((enum koutcome)i);
    char id[KID_LEN + 1], d[KDATE_BUF];
    snprintf(id, sizeof id, "%s", referral_id);
    struct tui_field f[OF_COUNT];
    memset(f, 0, sizeof f);
    f[OF_STATUS] = (struct tui_field){"Outcome", TUI_FIELD_CHOICE, outcomes, NULL, NULL};
    f[OF_DATE] = (struct tui_field){"Date", TUI_FIELD_TEXT, NULL, DATE_HINT, NULL};
    f[OF_NOTE] = (struct tui_field){"Note", TUI_FIELD_TEXT, NULL, NULL, NULL};
    const struct referral *cur = tui_views_referral(a);
    tui_field_set(&f[OF_STATUS], koutcome_name(cur ? cur->outcome : KOUT_PENDING));
    tui_field_set(&f[OF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[OF_NOTE], "");
    void *pair[2] = {a, id};
    int saved = tui_form_run(&a->host, "Referral outcome", f, OF_COUNT, outcome_submit, pair);
    if (saved)
        tui_app_say(a, 0, "outcome: %s", val(&f[OF_STATUS]));
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, OF_COUNT);
    done(a, saved);
}

/* ---- delete / undo ---- */

void tui_actions_delete(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    struct contact c;
    struct kerr e;
    if (!id) {
        tui_app_say(a, 1, "no contact selected");
        return;
    }
    memset(&c, 0, sizeof c);
    if (contact_get(a->j, id, &c, &e) != K_OK) {
        tui_app_say(a, 1, "%s", e.msg);
        return;
    }
    struct sbuf q = {0};
    /* Escaped here: a line break in the name would split the question. */
    char *name = kstr_escape(c.name);
    sbuf_printf(&q,
                "Delete %s with their details, the referrals they made, the thank-yous\n"
                "to them and the interactions only they were part of?\n\nu undoes it.",
                name);
    free(name);
    int wrote = 0;
    if (tui_form_confirm(&a->host, "Delete contact", q.s)) {
        if ((wrote = (trash_delete_contact(a->j, c.id, &e) == K_OK)))
            tui_app_say(a, 0, "deleted %s · u undoes", c.name);
        else
            tui_app_say(a, 1, "%s", e.msg);
    } else {
        tui_app_say(a, 0, "kept %s", c.name);
    }
    sbuf_free(&q);
    contact_clear(&c);
    done(a, wrote);
}

void tui_actions_undo(struct tui_app *a)
{
    char id[KID_LEN + 1];
    struct kerr e;
    int rc = trash_undo(a->j, id, &e);
    if (rc == K_OK) {
        tui_app_say(a, 0, "restored");
        tui_list_select_id(a->list, id);
    } else {
        tui_app_say(a, rc != K_NOTFOUND, "%s", e.msg);
    }
    done(a, rc == K_OK);
}

/* ---- challenge ---- */

enum { XF_NOTE, XF_LINK, XF_COUNT };

struct tick_ud {
    struct tui_app *a;
    struct interaction_list today;
    int already;
};

static int tick_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct tick_ud *u = ud;
    const char *link = NULL;
    (void)n;
    /* The choice reads "N. summary"; N picks the interaction. */
    int k = atoi(val(&f[XF_LINK]));
    if (k > 0 && (size_t)k <= u->today.n)
        link = u->today.v[k - 1].id;
    int rc = challenge_tick(u->a->j, KDATE_NONE, *val(&f[XF_NOTE]) ? val(&f[XF_NOTE]) : NULL, link,
                            &u->already, e);
    if (rc != K_OK)
        *bad = XF_NOTE;
    return rc;
}

void tui_actions_tick(struct tui_app *a)
{
    struct tick_ud u;
    struct kerr e;
    memset(&u, 0, sizeof u);
    u.a = a;
    if (!a->have_ch) {
        tui_app_say(a, 1, "no challenge yet: c starts one");
        return;
    }
    if (a->ch.today_done) {
        tui_app_say(a, 0, "today is already ticked ✓");
        return;
    }
    /* Offer what was logged today as the day's act. */
    struct interaction_query q;
    memset(&q, 0, sizeof q);
    q.since = q.until = journal_today(a->j);
    q.limit = 9;
    if (interaction_list(a->j, &q, &u.today, &e) != K_OK)
        memset(&u.today, 0, sizeof u.today);
    char **labels = kcalloc(u.today.n + 2, sizeof *labels);
    labels[0] = kstr_dup("none");
    for (size_t i = 0; i < u.today.n; i++) {
        struct sbuf b = {0};
        const struct interaction *it = &u.today.v[i];
        char *esc = kstr_escape(it->summary ? it->summary : "");
        char *who = kstr_escape(it->ncontacts ? it->contacts[0].name : "");
        char *kind = kstr_escape(it->kind);
        sbuf_printf(&b, "%zu. %s %s %s", i + 1, kind, who, esc);
        free(kind);
        free(who);
        free(esc);
        labels[i + 1] = sbuf_take(&b);
    }
    struct tui_field f[XF_COUNT];
    memset(f, 0, sizeof f);
    f[XF_NOTE] =
        (struct tui_field){"Note", TUI_FIELD_TEXT, NULL, "what you did today (optional)", NULL};
    f[XF_LINK] = (struct tui_field){"Logged today", TUI_FIELD_CHOICE, (const char **)labels,
                                    u.today.n ? "link the day to an interaction logged today"
                                              : "nothing logged today (l logs one)",
                                    NULL};
    tui_field_set(&f[XF_NOTE], "");
    tui_field_set(&f[XF_LINK], u.today.n ? labels[1] : "none");
    int saved = tui_form_run(&a->host, "Tick today", f, XF_COUNT, tick_submit, &u);
    if (saved)
        tui_app_say(a, 0, u.already ? "today was already ticked ✓" : "ticked today ✓");
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, XF_COUNT);
    for (size_t i = 0; i < u.today.n + 1; i++)
        free(labels[i]);
    free(labels);
    interaction_list_clear(&u.today);
    done(a, saved);
}

enum { SF_START, SF_DAYS, SF_COUNT };

static int start_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct tui_app *a = ud;
    int start, rc;
    char id[KID_LEN + 1], *end = NULL;
    (void)n;
    if ((rc = date_field(a, &f[SF_START], SF_START, &start, bad, e)) != K_OK)
        return rc;
    long days = strtol(val(&f[SF_DAYS]), &end, 10);
    if (!*val(&f[SF_DAYS]) || *end || days < 1 || days > 366) {
        *bad = SF_DAYS;
        return kerr_set(e, K_USAGE, "days: a number from 1 to 366");
    }
    return challenge_start(a->j, start, (int)days, id, e);
}

void tui_actions_challenge(struct tui_app *a)
{
    struct tui_field f[SF_COUNT];
    char d[KDATE_BUF], n[16];
    memset(f, 0, sizeof f);
    f[SF_START] = (struct tui_field){"Starts on", TUI_FIELD_TEXT, NULL, DATE_HINT, NULL};
    f[SF_DAYS] = (struct tui_field){"Days", TUI_FIELD_TEXT, NULL, "1 to 366", NULL};
    const struct config *cfg = journal_config(a->j);
    snprintf(n, sizeof n, "%d", cfg && cfg->challenge_days > 0 ? cfg->challenge_days : 30);
    tui_field_set(&f[SF_START], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[SF_DAYS], n);
    int saved = tui_form_run(&a->host, "Start a challenge", f, SF_COUNT, start_submit, a);
    if (saved)
        tui_app_say(a, 0, "challenge started: one networking act a day");
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, SF_COUNT);
    done(a, saved);
}

void tui_actions_history(struct tui_app *a)
{
    struct challenge_list l;
    struct kerr e;
    struct sbuf b = {0};
    if (challenge_history(a->j, 0, 100, &l, &e) != K_OK) {
        tui_app_say(a, 1, "%s", e.msg);
        return;
    }
    if (!l.n)
        sbuf_add(&b, "No challenges yet. c starts one on any date.");
    for (size_t i = 0; i < l.n; i++) {
        const struct challenge *c = &l.v[i];
        char d[KDATE_BUF];
        int pct = c->days ? c->done * 100 / c->days : 0;
        sbuf_printf(&b, "%s%s  %3d days  %3d done (%d%%)  %s", i ? "\n" : "",
                    kdate_format(c->started_on, d), c->days, c->done, pct,
                    c->finished ? "finished"
                    : i == 0    ? "active"
                                : "");
    }
    tui_form_text(&a->host, "Challenges", b.s);
    sbuf_free(&b);
    challenge_list_clear(&l);
    a->dirty = TUI_DIRTY_ALL;
}

/* ---- reminders ---- */

void tui_actions_remind_done(struct tui_app *a)
{
    const struct reminder *r = tui_views_today_reminder(a);
    struct kerr e;
    if (!r) {
        tui_app_say(a, 1, "select a reminder to mark done");
        return;
    }
    /* The cache already evaluated the rules: mark what it holds. */
    int rc = reminder_done_known(a->j, r, &e);
    if (rc == K_OK)
        tui_app_say(a, 0, "done: gone until it fires anew");
    else
        tui_app_say(a, 1, "%s", e.msg);
    /* Even a failure may mean the reminder cleared meanwhile: re-read. */
    done(a, 1);
}

enum { ZF_DAYS, ZF_COUNT };

/* The reminder's identity (rule, subject, fired_on), copied: the cache it
 * came from may be refreshed while the form is open. */
struct snooze_ud {
    struct tui_app *a;
    struct reminder r;
    int days;
};

static int snooze_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct snooze_ud *u = ud;
    int rc;
    (void)n;
    if ((rc = tui_remind_snooze_days(val(&f[ZF_DAYS]), &u->days, e)) != K_OK) {
        *bad = ZF_DAYS;
        return rc;
    }
    return reminder_snooze_known(u->a->j, &u->r, u->days, e);
}

void tui_actions_remind_snooze(struct tui_app *a)
{
    const struct reminder *r = tui_views_today_reminder(a);
    if (!r) {
        tui_app_say(a, 1, "select a reminder to snooze");
        return;
    }
    struct snooze_ud u;
    memset(&u, 0, sizeof u);
    u.a = a;
    u.r.rule = kstr_dup(r->rule);
    memcpy(u.r.subject, r->subject, sizeof u.r.subject);
    u.r.fired_on = r->fired_on;
    struct tui_field f[ZF_COUNT];
    memset(f, 0, sizeof f);
    f[ZF_DAYS] = (struct tui_field){"Days", TUI_FIELD_TEXT, NULL,
                                    "hide it for this many days (1 to 3650)", NULL};
    tui_field_set(&f[ZF_DAYS], "7");
    int saved = tui_form_run(&a->host, "Snooze the reminder", f, ZF_COUNT, snooze_submit, &u);
    if (saved) {
        char d[KDATE_BUF];
        tui_app_say(a, 0, "snoozed until %s", kdate_format(journal_today(a->j) + u.days, d));
    } else {
        tui_app_say(a, 0, "cancelled: nothing saved");
    }
    tui_fields_clear(f, ZF_COUNT);
    reminder_clear(&u.r);
    done(a, saved);
}
