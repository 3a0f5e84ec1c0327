#include "kith/tui/tui_actions.h"

#include "kith/core/challenge.h"
#include "kith/core/check.h"
#include "kith/core/contact.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/core/referral.h"
#include "kith/core/reminder.h"
#include "kith/core/thanks.h"
#include "kith/core/history.h"
#include "kith/tui/tui_views.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATE_HINT "YYYY-MM-DD, today, yesterday or -3d"

/* After an action: re-read the screen, and when it wrote to the journal,
 * the reminders too (a cancelled form costs no evaluation). */
static void done(struct tui_app *a, int wrote)
{
    /* A label set for a write that did not happen must not name the next
     * one. */
    history_label_clear(a->j);
    if (wrote)
        tui_remind_stale(a->rem);
    a->reload = 1;
    a->dirty = TUI_DIRTY_ALL;
}

static const char *val(const struct tui_field *f)
{
    return f->value ? f->value : "";
}

/* Runs a form without a changed callback. */
static int run_form(struct tui_app *a, const char *title, struct tui_field *f, size_t n,
                    tui_form_submit submit, void *ud)
{
    struct tui_form fm = {title, f, n, submit, NULL, ud, NULL};
    return tui_form_run(&a->host, &fm);
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
    CF_NEEDS,
    CF_OFFERS,
    CF_EVERY,
    CF_NOTE,
    CF_COUNT
};

static int is_list(int i)
{
    return i == CF_EMAILS || i == CF_PHONES || i == CF_LINKS || i == CF_TAGS || i == CF_NEEDS ||
           i == CF_OFFERS;
}

/* A contact as the form's values: text as it is, lists one item a line,
 * the date as YYYY-MM-DD. The strings are new (free with free_values). */
static void contact_values(const struct contact *c, char *v[CF_COUNT])
{
    const char *text[CF_COUNT] = {[CF_NAME] = c->name,
                                  [CF_COMPANY] = c->company,
                                  [CF_TITLE] = c->title,
                                  [CF_LOCATION] = c->location,
                                  [CF_HOW_MET] = c->how_met,
                                  [CF_BIRTHDAY] = c->birthday,
                                  [CF_WORKING_ON] = c->working_on,
                                  [CF_NOTE] = c->note};
    const struct kstrlist *lists[CF_COUNT] = {
        [CF_EMAILS] = &c->emails, [CF_PHONES] = &c->phones, [CF_LINKS] = &c->links,
        [CF_TAGS] = &c->tags,     [CF_NEEDS] = &c->needs,   [CF_OFFERS] = &c->offers};
    for (int i = 0; i < CF_COUNT; i++) {
        struct sbuf b = {0};
        if (lists[i])
            for (size_t k = 0; k < lists[i]->n; k++)
                sbuf_printf(&b, "%s%s", k ? "\n" : "", lists[i]->v[k]);
        else if (i == CF_MET_ON && c->met_on != KDATE_NONE)
            kdate_format(c->met_on, (b.s = kcalloc(1, KDATE_BUF)));
        else if (i == CF_EVERY && c->cadence_days)
            kdate_span(c->cadence_days, (b.s = kcalloc(1, 16)));
        else
            sbuf_add(&b, text[i] ? text[i] : "");
        v[i] = b.s ? b.s : kstr_dup("");
    }
}

static void free_values(char *v[CF_COUNT])
{
    for (int i = 0; i < CF_COUNT; i++)
        kstr_free(&v[i]);
}

/* The items of a list field's value, one a line; tags folded as stored. */
static void items(struct kstrlist *l, const char *v, int tags)
{
    for (const char *p = v; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *it = kstr_ndup(p, n), *t = NULL;
        if (*it && tags && check_tag(it, &t, NULL) == K_OK)
            kstrlist_add(l, t);
        else if (*it)
            kstrlist_add(l, it);
        free(t);
        free(it);
        p = e ? e + 1 : p + n;
    }
}

/* Adds to p what turns the values `from` into `to`, for the fields where
 * they differ; the text fields point into to. Returns how many differ. */
static int contact_diff(struct contact_patch *p, char *const from[CF_COUNT],
                        char *const to[CF_COUNT])
{
    const char **text[CF_COUNT] = {
        [CF_NAME] = &p->name,         [CF_COMPANY] = &p->company,       [CF_TITLE] = &p->title,
        [CF_LOCATION] = &p->location, [CF_MET_ON] = &p->met_on,         [CF_HOW_MET] = &p->how_met,
        [CF_BIRTHDAY] = &p->birthday, [CF_WORKING_ON] = &p->working_on, [CF_EVERY] = &p->every,
        [CF_NOTE] = &p->note};
    struct kstrlist *add[CF_COUNT] = {
        [CF_EMAILS] = &p->add_emails, [CF_PHONES] = &p->add_phones, [CF_LINKS] = &p->add_links,
        [CF_TAGS] = &p->add_tags,     [CF_NEEDS] = &p->add_needs,   [CF_OFFERS] = &p->add_offers};
    struct kstrlist *rm[CF_COUNT] = {
        [CF_EMAILS] = &p->rm_emails, [CF_PHONES] = &p->rm_phones, [CF_LINKS] = &p->rm_links,
        [CF_TAGS] = &p->rm_tags,     [CF_NEEDS] = &p->rm_needs,   [CF_OFFERS] = &p->rm_offers};
    int n = 0;
    for (int i = 0; i < CF_COUNT; i++) {
        if (!strcmp(from[i], to[i]))
            continue;
        n++;
        if (!is_list(i)) {
            *text[i] = to[i];
            continue;
        }
        struct kstrlist had = {0}, now = {0};
        items(&had, from[i], i == CF_TAGS);
        items(&now, to[i], i == CF_TAGS);
        for (size_t k = 0; k < now.n; k++)
            if (!kstrlist_has(&had, now.v[k]))
                kstrlist_add(add[i], now.v[k]);
        for (size_t k = 0; k < had.n; k++)
            if (!kstrlist_has(&now, had.v[k]))
                kstrlist_add(rm[i], had.v[k]);
        kstrlist_clear(&had);
        kstrlist_clear(&now);
    }
    return n;
}

struct contact_ud {
    struct tui_app *a;
    char *old[CF_COUNT]; /* the values the form opened with ("" for add) */
    int editing;
    int nothing;  /* saved with no change: nothing written */
    int theirs;   /* the user took the version saved elsewhere */
    int existing; /* add: the user chose the contact already there (id) */
    char id[KID_LEN + 1];
};

static const char *const cf_labels[CF_COUNT] = {
    "Name",   "Company", "Title",    "Location",   "Emails", "Phones", "Links", "Tags",
    "Met on", "How met", "Birthday", "Working on", "Needs",  "Offers", "Every", "Note"};

/* The fields where a and b differ, as "Note, Title", into out. */
static void differing(char *const a[CF_COUNT], char *const b[CF_COUNT], struct sbuf *out)
{
    for (int i = 0; i < CF_COUNT; i++)
        if (strcmp(a[i], b[i]))
            sbuf_printf(out, "%s%s", out->len ? ", " : "", cf_labels[i]);
}

/* At most a few lines of a value, for a question. */
static void excerpt(struct sbuf *b, const char *v)
{
    int lines = 0;
    size_t n = 0;
    if (!*v) {
        sbuf_add(b, "  (empty)\n");
        return;
    }
    while (v[n] && lines < 6 && n < 400)
        lines += v[n++] == '\n';
    sbuf_add(b, "  ");
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\n' && v[i + 1])
            sbuf_add(b, "\n  ");
        else if (v[i] != '\n')
            sbuf_addc(b, v[i]);
    }
    sbuf_add(b, v[n] ? " …\n" : "\n");
}

/* Field by field: what only one side changed is taken from it; for a
 * field both changed, the user picks. 0 when they stopped (Esc). */
static int merge(struct contact_ud *u, char *const mine[CF_COUNT], char *const theirs[CF_COUNT],
                 char *out[CF_COUNT])
{
    for (int i = 0; i < CF_COUNT; i++) {
        int m = strcmp(mine[i], u->old[i]) != 0, t = strcmp(theirs[i], u->old[i]) != 0;
        out[i] = m ? mine[i] : theirs[i];
        if (!m || !t || !strcmp(mine[i], theirs[i]))
            continue;
        struct sbuf q = {0}, title = {0};
        sbuf_printf(&q, "You and another change both changed %s.\n\nYours:\n", cf_labels[i]);
        excerpt(&q, mine[i]);
        sbuf_add(&q, "\nSaved meanwhile:\n");
        excerpt(&q, theirs[i]);
        sbuf_printf(&title, "Merge: %s", cf_labels[i]);
        int k = tui_form_ask(&u->a->host, title.s, q.s, "mt",
                             "m keep yours · t take the saved one · Esc back to the form");
        sbuf_free(&q);
        sbuf_free(&title);
        if (!k)
            return 0;
        out[i] = k == 'm' ? mine[i] : theirs[i];
    }
    return 1;
}

/* The contact changed elsewhere since the form opened: asks what to keep
 * and fills target. Returns 'k', 'm' (target filled), 't' or 0 (back to
 * the form). */
static int resolve(struct contact_ud *u, char *const mine[CF_COUNT], char *const now[CF_COUNT],
                   char *target[CF_COUNT])
{
    struct sbuf q = {0}, theirs = {0}, yours = {0};
    differing(u->old, now, &theirs);
    differing(u->old, mine, &yours);
    sbuf_printf(&q,
                "%s was changed elsewhere (another kith, the command line) while you edited "
                "it.\n\nChanged there: %s\nChanged by you: %s\n\n"
                "k  keep mine: save the contact as your form shows it\n"
                "t  take theirs: keep what was saved, drop your changes\n"
                "m  merge: keep their changes and add yours; where you both\n"
                "   changed a field, choose",
                now[CF_NAME], theirs.s, yours.len ? yours.s : "nothing");
    int k = tui_form_ask(&u->a->host, "Changed elsewhere", q.s, "ktm",
                         "k keep mine · t take theirs · m merge · Esc back to the form");
    sbuf_free(&q);
    sbuf_free(&theirs);
    sbuf_free(&yours);
    if (k == 'k')
        for (int i = 0; i < CF_COUNT; i++)
            target[i] = mine[i];
    else if (k == 'm' && !merge(u, mine, now, target))
        k = 0;
    return k;
}

/* Writes target over the contact as it is now (cur, which is checked
 * again inside the transaction). K_EXISTS when it changed once more. */
static int save_over(struct contact_ud *u, char *const cur[CF_COUNT], char *const target[CF_COUNT],
                     struct kerr *e)
{
    struct contact_patch p;
    struct contact again;
    char *v[CF_COUNT];
    int rc;
    contact_patch_init(&p);
    memset(&again, 0, sizeof again);
    if (!contact_diff(&p, cur, target)) {
        contact_patch_clear(&p);
        u->nothing = 1;
        return K_OK;
    }
    if ((rc = journal_begin(u->a->j, e)) != K_OK)
        goto out;
    if ((rc = contact_get(u->a->j, u->id, &again, e)) != K_OK)
        goto fail;
    contact_values(&again, v);
    int same = 1;
    for (int i = 0; i < CF_COUNT; i++)
        same &= !strcmp(v[i], cur[i]);
    free_values(v);
    if (!same) {
        rc = K_EXISTS;
        goto fail;
    }
    struct sbuf what = {0};
    differing(cur, target, &what);
    history_label(u->a->j, "edited %s (%s)", target[CF_NAME], what.s ? what.s : "");
    sbuf_free(&what);
    if ((rc = contact_edit(u->a->j, u->id, &p, e)) != K_OK ||
        (rc = journal_commit(u->a->j, e)) != K_OK)
        goto fail;
    goto out;
fail:
    journal_rollback(u->a->j);
out:
    contact_clear(&again);
    contact_patch_clear(&p);
    return rc;
}

/* The contact was deleted elsewhere (a sync, another kith, the command
 * line) while its form was open: the user's edit is not thrown away
 * unasked. Adding it again makes a new contact; what was logged with the
 * old one went with the delete, and the question says so. */
static int add_again(struct contact_ud *u, char *const mine[CF_COUNT], struct kerr *e)
{
    struct sbuf q = {0};
    sbuf_printf(&q,
                "%s was deleted elsewhere (a sync, another kith, the command line) while you "
                "edited it.\n\n"
                "a  add it again as your form shows it: a new contact (what was\n"
                "   logged with it stays deleted)\n"
                "Esc  back to the form",
                u->old[CF_NAME]);
    int k = tui_form_ask(&u->a->host, "Deleted elsewhere", q.s, "a",
                         "a add it again · Esc back to the form");
    sbuf_free(&q);
    if (k != 'a')
        return kerr_set(e, K_NOTFOUND,
                        "not saved: the contact was deleted elsewhere; Enter asks again, Esc "
                        "closes");
    struct contact_patch p;
    char *none[CF_COUNT];
    for (int i = 0; i < CF_COUNT; i++)
        none[i] = (char *)"";
    contact_patch_init(&p);
    contact_diff(&p, none, mine);
    history_label(u->a->j, "added %s again", mine[CF_NAME]);
    int rc = contact_add(u->a->j, &p, u->id, e);
    contact_patch_clear(&p);
    return rc;
}

/* Saves the edit form: only what the user changed, over the contact as it
 * is now. When it changed elsewhere since the form opened, the user says
 * what to keep: nothing is ever reverted silently. */
static int edit_submit(struct contact_ud *u, char *const mine[CF_COUNT], struct kerr *e)
{
    int rc;
    for (int tries = 0; tries < 5; tries++) {
        struct contact now;
        char *cur[CF_COUNT], *target[CF_COUNT];
        memset(&now, 0, sizeof now);
        if ((rc = contact_get(u->a->j, u->id, &now, e)) != K_OK) {
            if (rc == K_NOTFOUND)
                rc = add_again(u, mine, e);
            return rc;
        }
        contact_values(&now, cur);
        contact_clear(&now);
        int k = 'k';
        for (int i = 0; i < CF_COUNT; i++)
            target[i] = mine[i];
        for (int i = 0; i < CF_COUNT && k == 'k'; i++)
            if (strcmp(cur[i], u->old[i]))
                k = resolve(u, mine, cur, target);
        if (k == 0) {
            rc = kerr_set(e, K_EXISTS,
                          "not saved: the contact changed elsewhere; Enter asks again, Esc "
                          "closes");
        } else if (k == 't') {
            u->theirs = 1;
            rc = K_OK;
        } else {
            /* Without a change elsewhere, target is the user's own
             * changes, written field by field over the contact as it is. */
            rc = save_over(u, cur, target, e);
        }
        free_values(cur);
        /* K_EXISTS from save_over: changed once more while the user
         * chose; ask again. */
        if (rc != K_EXISTS || k == 0)
            return rc;
    }
    return kerr_set(e, K_ERR, "the contact keeps changing elsewhere; not saved");
}

/* Adding a name that is already in the journal says so and offers the
 * contact that has it. K_OK to add; K_OK with u->existing to show that
 * one instead; K_EXISTS (back to the form) otherwise. */
static int same_name(struct contact_ud *u, const char *name, struct kerr *e)
{
    struct kref *refs = NULL;
    size_t n = 0;
    struct kerr tmp;
    if (contact_named(u->a->j, name, 5, &refs, &n, &tmp) != K_OK || !n)
        return K_OK;
    struct sbuf q = {0};
    sbuf_printf(&q, "%s is in the journal already%s:\n", name, n > 1 ? ", more than once" : "");
    for (size_t i = 0; i < n; i++) {
        struct contact c;
        memset(&c, 0, sizeof c);
        if (contact_get(u->a->j, refs[i].id, &c, &tmp) != K_OK)
            continue;
        char last[16] = "never";
        if (c.last_interaction != KDATE_NONE)
            kdate_format(c.last_interaction, last);
        sbuf_printf(&q, "\n  %s%s%s%s%s · last talked: %s%s", c.name, c.company ? " · " : "",
                    c.company ? c.company : "", c.title ? ", " : "", c.title ? c.title : "", last,
                    c.archived ? " · archived" : "");
        contact_clear(&c);
    }
    sbuf_add(&q, "\n\no  open the one already there (nothing is added)\n"
                 "a  add another contact with this name\n"
                 "Esc  back to the form");
    int k = tui_form_ask(&u->a->host, "Already in the journal", q.s, "oa",
                         "o open the existing one · a add another · Esc back to the form");
    sbuf_free(&q);
    int rc = K_OK;
    if (k == 'o') {
        u->existing = 1;
        memcpy(u->id, refs[0].id, sizeof u->id);
    } else if (k != 'a') {
        rc = kerr_set_field(e, K_EXISTS, "name",
                            "not added: the name is taken (Enter asks again: a adds another, o "
                            "opens it)");
    }
    contact_refs_free(refs, n);
    return rc;
}

static int contact_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct contact_ud *u = ud;
    struct contact_patch p;
    char *to[CF_COUNT];
    int rc;
    (void)n;
    (void)bad;
    for (int i = 0; i < CF_COUNT; i++)
        to[i] = f[i].value ? f[i].value : (char *)"";
    if (u->editing)
        return edit_submit(u, to, e);
    if ((rc = same_name(u, to[CF_NAME], e)) != K_OK || u->existing)
        return rc;
    contact_patch_init(&p);
    contact_diff(&p, u->old, to);
    history_label(u->a->j, "added %s", to[CF_NAME]);
    rc = contact_add(u->a->j, &p, u->id, e);
    contact_patch_clear(&p);
    return rc;
}

static void contact_fields(struct tui_field *f)
{
    memset(f, 0, CF_COUNT * sizeof *f);
    static const char *const names[CF_COUNT] = {
        "name",   "company", "title",    "location",   "email", "phone", "link",  "tag",
        "met-on", "how-met", "birthday", "working-on", "need",  "offer", "every", "note"};
    for (int i = 0; i < CF_COUNT; i++) {
        f[i].label = cf_labels[i];
        f[i].name = names[i];
        tui_field_set(&f[i], "");
    }
    f[CF_NAME].hint = "required";
    f[CF_EMAILS].hint = "separated by spaces or commas";
    f[CF_EMAILS].sep = " ,";
    f[CF_PHONES].hint = "separated by commas";
    f[CF_PHONES].sep = ",";
    f[CF_LOCATION].hint = "a city, a region, ...";
    f[CF_LINKS].hint = "web addresses, separated by spaces";
    f[CF_LINKS].sep = " ";
    f[CF_TAGS].hint = "words, e.g. mentor alumni";
    f[CF_TAGS].sep = " ,";
    for (int i = 0; i < CF_COUNT; i++)
        if (is_list(i))
            f[i].flags = TUI_FIELD_LIST;
    f[CF_MET_ON].hint = DATE_HINT;
    f[CF_BIRTHDAY].hint = "MM-DD or YYYY-MM-DD";
    f[CF_HOW_MET].flags = TUI_FIELD_LINES;
    f[CF_WORKING_ON].hint = "what they work on: how could you help? (^X: several lines)";
    f[CF_WORKING_ON].flags = TUI_FIELD_LINES;
    f[CF_NEEDS].hint = "what they look for, separated by ; e.g. a seed investor; hiring";
    f[CF_NEEDS].sep = ";";
    f[CF_OFFERS].hint = "what they can help others with, separated by ;";
    f[CF_OFFERS].sep = ";";
    f[CF_EVERY].hint = "keep in touch at least this often: 10d, 3w, 2m, 1y (empty: no cadence)";
    f[CF_NOTE].hint = "^X writes it in your editor ($VISUAL), over several lines";
    f[CF_NOTE].flags = TUI_FIELD_LINES;
}

static void contact_form(struct tui_app *a, int editing)
{
    struct tui_field f[CF_COUNT];
    struct contact_ud u;
    struct contact c;
    struct kerr e;
    int saved = 0;
    memset(&u, 0, sizeof u);
    memset(&c, 0, sizeof c);
    c.met_on = KDATE_NONE;
    u.a = a;
    u.editing = editing;
    contact_fields(f);
    if (editing) {
        const char *id = tui_list_selected(a->list);
        if (!id) {
            tui_app_say(a, 1, "no contact selected");
            goto out;
        }
        if (contact_get(a->j, id, &c, &e) != K_OK) {
            tui_app_say(a, 1, "%s", e.msg);
            goto out;
        }
        snprintf(u.id, sizeof u.id, "%s", id);
    }
    contact_values(&c, u.old);
    for (int i = 0; i < CF_COUNT; i++)
        tui_field_set(&f[i], u.old[i]);
    saved =
        run_form(a, editing ? "Edit contact" : "Add a contact", f, CF_COUNT, contact_submit, &u);
    if (saved && u.existing) {
        struct contact x;
        memset(&x, 0, sizeof x);
        /* An archived one is shown among the archived. */
        if (contact_get(a->j, u.id, &x, &e) == K_OK && x.archived && !tui_list_archived(a->list))
            tui_list_toggle_archived(a->list);
        contact_clear(&x);
        tui_app_say(a, 0, "nothing added: showing the %s already there (e edits)",
                    val(&f[CF_NAME]));
        tui_list_clear(a->list);
        tui_list_select_id(a->list, u.id);
    } else if (saved && u.theirs) {
        tui_app_say(a, 0, "kept the version saved elsewhere; your changes were dropped");
    } else if (saved && u.nothing) {
        tui_app_say(a, 0, "nothing changed");
    } else if (saved) {
        tui_app_say(a, 0, "saved %s", val(&f[CF_NAME]));
        tui_list_select_id(a->list, u.id);
    } else {
        tui_app_say(a, 0, "cancelled: nothing saved");
    }
out:
    contact_clear(&c);
    free_values(u.old);
    tui_fields_clear(f, CF_COUNT);
    done(a, saved && !u.nothing && !u.theirs && !u.existing);
}

void tui_actions_add(struct tui_app *a)
{
    contact_form(a, 0);
}

void tui_actions_edit(struct tui_app *a)
{
    contact_form(a, 1);
}

/* ---- referral ---- */

enum { RF_TO, RF_TEXT, RF_KIND, RF_DATE, RF_FROM, RF_NOTE, RF_COUNT };

/* At most this many referrals are offered as what a new one grew out of. */
#define PARENT_CHOICES 30

struct refer_ud {
    struct tui_app *a;
    char by[KID_LEN + 1];
    char id[KID_LEN + 1];
    struct referral_list parents; /* what the choices "N. ..." number from 1 */
};

static int refer_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct refer_ud *u = ud;
    struct referral_input in;
    char to[KID_LEN + 1] = "";
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
    if ((rc = tui_field_date(&f[RF_DATE], RF_DATE, journal_today(u->a->j), &date, bad, e)) != K_OK)
        return rc;
    /* The choice reads "N. ..."; N picks the referral, "none" none. */
    int k = atoi(val(&f[RF_FROM]));
    in.referrer_id = u->by;
    in.target_id = *to ? to : NULL;
    in.target_text = *val(&f[RF_TEXT]) ? val(&f[RF_TEXT]) : NULL;
    in.kind = *val(&f[RF_KIND]) ? val(&f[RF_KIND]) : NULL;
    in.date = date;
    in.parent_id = k > 0 && (size_t)k <= u->parents.n ? u->parents.v[k - 1].id : NULL;
    in.note = *val(&f[RF_NOTE]) ? val(&f[RF_NOTE]) : NULL;
    history_label(u->a->j, "recorded a referral to %s",
                  in.target_text ? in.target_text : val(&f[RF_TO]));
    return referral_add(u->a->j, &in, u->id, e);
}

static int newest_first(const void *a, const void *b)
{
    const struct referral *x = a, *y = b;
    return x->date != y->date ? (x->date < y->date ? 1 : -1) : strcmp(x->id, y->id);
}

/* What a new referral by contact `by` may have grown out of: the referrals
 * that involve them (who introduced you to them, what they referred
 * before) first, then the most recent others. Labels "none" first; free
 * with free_labels. */
static char **parent_choices(struct refer_ud *u)
{
    struct referral_query q;
    struct referral_list mine = {0}, all = {0};
    struct kerr e;
    memset(&q, 0, sizeof q);
    q.involving_id = u->by;
    q.limit = PARENT_CHOICES;
    if (referral_list(u->a->j, &q, &mine, &e) != K_OK)
        memset(&mine, 0, sizeof mine);
    memset(&q, 0, sizeof q);
    size_t total = 0;
    if (referral_count(u->a->j, &q, &total, &e) == K_OK && total > 0) {
        /* The list is unthanked first, then oldest first: the newest are
         * in the last window of each part; read the last ones. */
        q.limit = 200;
        q.offset = total > q.limit ? total - q.limit : 0;
        if (referral_list(u->a->j, &q, &all, &e) != K_OK)
            memset(&all, 0, sizeof all);
        if (all.n)
            qsort(all.v, all.n, sizeof *all.v, newest_first);
    }
    if (mine.n)
        qsort(mine.v, mine.n, sizeof *mine.v, newest_first);
    u->parents.v = kcalloc(PARENT_CHOICES, sizeof *u->parents.v);
    struct referral_list *from[] = {&mine, &all};
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < from[l]->n; i++) {
            int seen = u->parents.n >= PARENT_CHOICES;
            for (size_t k = 0; !seen && k < u->parents.n; k++)
                seen = !strcmp(u->parents.v[k].id, from[l]->v[i].id);
            if (seen)
                continue;
            u->parents.v[u->parents.n++] = from[l]->v[i];
            memset(&from[l]->v[i], 0, sizeof from[l]->v[i]);
        }
    }
    referral_list_clear(&mine);
    referral_list_clear(&all);
    char **labels = kcalloc(u->parents.n + 2, sizeof *labels);
    labels[0] = kstr_dup("none");
    for (size_t i = 0; i < u->parents.n; i++) {
        const struct referral *r = &u->parents.v[i];
        struct sbuf b = {0};
        char d[KDATE_BUF];
        char *by = kstr_escape(r->referrer.name ? r->referrer.name : "?");
        char *to = kstr_escape(r->target_text ? r->target_text : "?");
        sbuf_printf(&b, "%zu. %s %s → %s (%s)", i + 1, kdate_format(r->date, d), by, to,
                    r->kind ? r->kind : "");
        free(by);
        free(to);
        labels[i + 1] = sbuf_take(&b);
    }
    return labels;
}

static void free_labels(char **labels)
{
    for (size_t i = 0; labels && labels[i]; i++)
        free(labels[i]);
    free(labels);
}

void tui_actions_refer(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    if (!id) {
        tui_app_say(a, 1, "select the contact who referred you");
        return;
    }
    static const char *const kinds[] = {"intro", "job", "customer", "course", "event", NULL};
    struct refer_ud u;
    memset(&u, 0, sizeof u);
    u.a = a;
    snprintf(u.by, sizeof u.by, "%s", id);
    char **parents = parent_choices(&u);
    struct tui_field f[RF_COUNT];
    memset(f, 0, sizeof f);
    f[RF_TO] =
        (struct tui_field){.label = "To contact", .hint = "a contact's name", .name = "target"};
    f[RF_TEXT] = (struct tui_field){
        .label = "Or to", .hint = "a company, a job, a customer, ...", .name = "target"};
    f[RF_KIND] = (struct tui_field){.label = "Kind",
                                    .type = TUI_FIELD_CHOICE,
                                    .flags = TUI_FIELD_OPEN,
                                    .choices = kinds,
                                    .name = "kind",
                                    .hint = "←/→ intro, job, customer, ... or type any word"};
    f[RF_DATE] = (struct tui_field){.label = "Date", .hint = DATE_HINT, .name = "date"};
    f[RF_FROM] =
        (struct tui_field){.label = "Grew out of",
                           .type = TUI_FIELD_CHOICE,
                           .choices = (const char **)parents,
                           .name = "parent",
                           .hint = u.parents.n ? "←/→ the referral that led to this one, if any"
                                               : "no referral to grow out of yet"};
    f[RF_NOTE] = (struct tui_field){
        .label = "Note", .flags = TUI_FIELD_LINES, .name = "note", .hint = "^X: several lines"};
    char d[KDATE_BUF];
    for (int i = 0; i < RF_COUNT; i++)
        tui_field_set(&f[i], "");
    tui_field_set(&f[RF_KIND], "intro");
    tui_field_set(&f[RF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[RF_FROM], "none");
    int saved = run_form(a, "Record a referral", f, RF_COUNT, refer_submit, &u);
    if (saved)
        tui_app_say(a, 0, "referral saved · t thanks them");
    else
        tui_app_say(a, 0, "cancelled: nothing saved");
    tui_fields_clear(f, RF_COUNT);
    free_labels(parents);
    referral_list_clear(&u.parents);
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
    if ((rc = tui_field_date(&f[TF_DATE], TF_DATE, journal_today(u->a->j), &date, bad, e)) != K_OK)
        return rc;
    in.contact_id = u->contact;
    in.date = date;
    in.form = *val(&f[TF_FORM]) ? val(&f[TF_FORM]) : NULL;
    in.referral_id = k > 0 && (size_t)k <= u->refs.n ? u->refs.v[k - 1].id : NULL;
    in.note = *val(&f[TF_NOTE]) ? val(&f[TF_NOTE]) : NULL;
    history_label(u->a->j, "thank-you by %s", in.form ? in.form : "email");
    return thanks_add(u->a->j, &in, u->id, e);
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
            u->refs.v = kgrowarray(u->refs.v, u->refs.n, sizeof *u->refs.v);
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
    f[TF_FOR] =
        (struct tui_field){.label = "For referral",
                           .type = TUI_FIELD_CHOICE,
                           .choices = (const char **)labels,
                           .name = "referral",
                           .hint = u.refs.n ? "←/→ picks the referral; none for a plain thank-you"
                                            : "they have made no referral: a plain thank-you"};
    f[TF_FORM] = (struct tui_field){.label = "Form",
                                    .type = TUI_FIELD_CHOICE,
                                    .flags = TUI_FIELD_OPEN,
                                    .choices = forms,
                                    .name = "form",
                                    .hint = "←/→ email, call, lunch, ... or type how"};
    f[TF_DATE] = (struct tui_field){.label = "Date", .hint = DATE_HINT, .name = "date"};
    f[TF_NOTE] = (struct tui_field){
        .label = "Note", .flags = TUI_FIELD_LINES, .name = "note", .hint = "^X: several lines"};
    char d[KDATE_BUF];
    tui_field_set(&f[TF_FOR], labels[pick]);
    tui_field_set(&f[TF_FORM], "email");
    tui_field_set(&f[TF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[TF_NOTE], "");
    int saved = run_form(a, title.s, f, TF_COUNT, thank_submit, &u);
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
    if ((rc = tui_field_date(&f[OF_DATE], OF_DATE, journal_today(a->j), &date, bad, e)) != K_OK)
        return rc;
    history_label(a->j, "outcome %s", koutcome_name(o));
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
    f[OF_STATUS] = (struct tui_field){
        .label = "Outcome", .type = TUI_FIELD_CHOICE, .choices = outcomes, .name = "outcome"};
    f[OF_DATE] = (struct tui_field){.label = "Date", .hint = DATE_HINT, .name = "date"};
    f[OF_NOTE] = (struct tui_field){
        .label = "Note", .flags = TUI_FIELD_LINES, .name = "note", .hint = "^X: several lines"};
    const struct referral *cur = tui_views_referral(a);
    tui_field_set(&f[OF_STATUS], koutcome_name(cur ? cur->outcome : KOUT_PENDING));
    tui_field_set(&f[OF_DATE], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[OF_NOTE], "");
    void *pair[2] = {a, id};
    int saved = run_form(a, "Referral outcome", f, OF_COUNT, outcome_submit, pair);
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
        history_label(a->j, "deleted %s", c.name);
        if ((wrote = (contact_delete(a->j, c.id, &e) == K_OK)))
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

void tui_actions_archive(struct tui_app *a)
{
    const char *id = tui_list_selected(a->list);
    struct contact c;
    struct contact_patch p;
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
    contact_patch_init(&p);
    p.archived = !c.archived;
    history_label(a->j, "%s %s", p.archived ? "archived" : "brought back", c.name);
    int rc = contact_edit(a->j, c.id, &p, &e);
    if (rc != K_OK)
        tui_app_say(a, 1, "%s", e.msg);
    else if (p.archived && !tui_list_archived(a->list))
        tui_app_say(a, 0, "archived %s: hidden from the list · v lists archived · u undoes",
                    c.name);
    else
        tui_app_say(a, 0, "%s %s · u undoes", p.archived ? "archived" : "brought back", c.name);
    if (rc == K_OK)
        tui_list_select_id(a->list, c.id);
    contact_clear(&c);
    done(a, rc == K_OK);
}

/* u and U: the TUI's own history, kept in the journal. */
static void undo_redo(struct tui_app *a, int redo)
{
    struct history_step s;
    struct kerr e;
    kerr_clear(&e);
    int rc = redo ? history_redo(a->j, "tui", &s, &e) : history_undo(a->j, "tui", &s, &e);
    if (rc == K_OK) {
        tui_app_say(a, 0, "%s: %s · %s", redo ? "redid" : "undid", s.label,
                    redo ? "u undoes it again" : "U redoes it");
        if (s.contact_id[0] && a->view == TUI_VIEW_CONTACTS)
            tui_list_select_id(a->list, s.contact_id);
    } else {
        tui_app_say(a, rc != K_NOTFOUND, "%s", e.msg);
    }
    history_step_clear(&s);
    done(a, rc == K_OK);
}

void tui_actions_undo(struct tui_app *a)
{
    undo_redo(a, 0);
}

void tui_actions_redo(struct tui_app *a)
{
    undo_redo(a, 1);
}

/* ---- challenge ---- */

enum { XF_NOTE, XF_DAY, XF_LINK, XF_COUNT };

struct tick_ud {
    struct tui_app *a;
    int first;                    /* the earliest day the form offers */
    struct interaction_list acts; /* what the choices "N. ..." number from 1 */
    int already, day;
};

static int tick_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct tick_ud *u = ud;
    const char *link = NULL;
    char d[KDATE_BUF];
    (void)n;
    /* The day reads "YYYY-MM-DD ..."; the link "N. ...", N the interaction. */
    char iso[KDATE_BUF];
    snprintf(iso, sizeof iso, "%.10s", val(&f[XF_DAY]));
    if (kdate_parse_iso(iso, &u->day, NULL) != K_OK) {
        *bad = XF_DAY;
        return kerr_set(e, K_USAGE, "pick a day");
    }
    int k = atoi(val(&f[XF_LINK]));
    if (k > 0 && (size_t)k <= u->acts.n)
        link = u->acts.v[k - 1].id;
    history_label(u->a->j, "ticked %s", kdate_format(u->day, d));
    int rc = challenge_tick(u->a->j, u->day, *val(&f[XF_NOTE]) ? val(&f[XF_NOTE]) : NULL, link,
                            &u->already, e);
    if (rc != K_OK && *bad < 0 && !e->field[0])
        *bad = XF_DAY;
    return rc;
}

/* The days a tick may still be made, newest first, as choices:
 * "2026-11-22 today ✓". Free with free_labels. */
static char **tick_days(struct tui_app *a, int *first)
{
    const struct config *cfg = journal_config(a->j);
    int today = journal_today(a->j), past = cfg ? cfg->challenge_past_days : 2;
    int last = a->ch.started_on + a->ch.days - 1;
    *first = today - past > a->ch.started_on ? today - past : a->ch.started_on;
    int top = today < last ? today : last;
    size_t n = top >= *first ? (size_t)(top - *first + 1) : 0;
    char **labels = kcalloc(n + 1, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
        int day = top - (int)i, ticked = 0;
        char d[KDATE_BUF];
        for (size_t t = 0; t < a->ch.nticks; t++)
            ticked |= a->ch.ticks[t].date == day;
        struct sbuf b = {0};
        sbuf_printf(&b, "%s %s%s", kdate_format(day, d),
                    day == today       ? "today"
                    : day == today - 1 ? "yesterday"
                                       : "",
                    ticked ? " ✓ ticked: a note is added" : "");
        labels[i] = sbuf_take(&b);
    }
    return labels;
}

void tui_actions_tick(struct tui_app *a)
{
    struct tick_ud u;
    struct kerr e;
    char d[KDATE_BUF];
    memset(&u, 0, sizeof u);
    u.a = a;
    if (!a->have_ch) {
        tui_app_say(a, 1, "no challenge yet: c starts one");
        return;
    }
    if (a->ch.finished) {
        tui_app_say(a, 0, "the challenge ended on %s with %d of %d days done · c starts a new one",
                    kdate_format(a->ch.started_on + a->ch.days - 1, d), a->ch.done, a->ch.days);
        return;
    }
    if (a->ch.day == 0) {
        tui_app_say(a, 0, "the challenge starts on %s: nothing to tick yet",
                    kdate_format(a->ch.started_on, d));
        return;
    }
    char **days = tick_days(a, &u.first);
    /* Offer what was logged on those days as the day's act. */
    struct interaction_query q;
    memset(&q, 0, sizeof q);
    q.since = u.first;
    q.until = journal_today(a->j);
    q.limit = 9;
    if (interaction_list(a->j, &q, &u.acts, &e) != K_OK)
        memset(&u.acts, 0, sizeof u.acts);
    char **labels = kcalloc(u.acts.n + 2, sizeof *labels);
    labels[0] = kstr_dup("none");
    for (size_t i = 0; i < u.acts.n; i++) {
        struct sbuf b = {0};
        const struct interaction *it = &u.acts.v[i];
        char *esc = kstr_escape(it->summary ? it->summary : "");
        char *who = kstr_escape(it->ncontacts ? it->contacts[0].name : "");
        char *kind = kstr_escape(it->kind);
        sbuf_printf(&b, "%zu. %s %s %s %s", i + 1, kdate_format(it->date, d) + 5, kind, who, esc);
        free(kind);
        free(esc);
        free(who);
        labels[i + 1] = sbuf_take(&b);
    }
    struct tui_field f[XF_COUNT];
    memset(f, 0, sizeof f);
    f[XF_DAY] = (struct tui_field){.label = "Day",
                                   .type = TUI_FIELD_CHOICE,
                                   .choices = (const char **)days,
                                   .name = "date",
                                   .hint = "←/→ a day still open: today, or a few days back"};
    f[XF_NOTE] = (struct tui_field){.label = "Note",
                                    .type = TUI_FIELD_TEXT,
                                    .flags = TUI_FIELD_LINES,
                                    .name = "note",
                                    .hint = "what you did (optional)"};
    f[XF_LINK] = (struct tui_field){.label = "Logged",
                                    .type = TUI_FIELD_CHOICE,
                                    .choices = (const char **)labels,
                                    .hint = u.acts.n ? "link the day to an interaction you logged"
                                                     : "nothing logged these days (l logs one)"};
    tui_field_set(&f[XF_DAY], days[0] ? days[0] : "");
    tui_field_set(&f[XF_NOTE], "");
    /* What was logged today is likely the day's act. */
    tui_field_set(&f[XF_LINK],
                  u.acts.n && u.acts.v[0].date == journal_today(a->j) ? labels[1] : "none");
    int saved = run_form(a, "Tick a day", f, XF_COUNT, tick_submit, &u);
    if (!saved)
        tui_app_say(a, 0, "cancelled: nothing saved");
    else if (u.already == 0)
        tui_app_say(a, 0, "ticked %s ✓", kdate_format(u.day, d));
    else
        tui_app_say(a, 0, "%s was already ticked%s", kdate_format(u.day, d),
                    u.already == 2 ? ": added to it" : "");
    tui_fields_clear(f, XF_COUNT);
    free_labels(labels);
    free_labels(days);
    interaction_list_clear(&u.acts);
    done(a, saved && u.already != 1);
}

enum { SF_START, SF_DAYS, SF_COUNT };

static int start_submit(void *ud, struct tui_field *f, size_t n, int *bad, struct kerr *e)
{
    struct tui_app *a = ud;
    int start, rc;
    char id[KID_LEN + 1], *end = NULL;
    (void)n;
    if ((rc = tui_field_date(&f[SF_START], SF_START, journal_today(a->j), &start, bad, e)) != K_OK)
        return rc;
    /* The form reads the number; the core says which numbers a challenge
     * takes, and names the field (kerr's field marks it). */
    long days = strtol(val(&f[SF_DAYS]), &end, 10);
    if (!*val(&f[SF_DAYS]) || *end || days < INT_MIN || days > INT_MAX) {
        *bad = SF_DAYS;
        return kerr_set(e, K_USAGE, "days: a whole number");
    }
    char d[KDATE_BUF];
    history_label(a->j, "started a %ld-day challenge on %s", days, kdate_format(start, d));
    return challenge_start(a->j, start, (int)days, id, e);
}

void tui_actions_challenge(struct tui_app *a)
{
    struct tui_field f[SF_COUNT];
    char d[KDATE_BUF], n[16];
    /* A new challenge ends the running one: ask first, saying what goes. */
    if (a->have_ch && !a->ch.finished) {
        struct sbuf q = {0};
        if (a->ch.day > 0)
            sbuf_printf(&q, "A %d-day challenge is running: day %d of %d, %d done, streak %d.\n",
                        a->ch.days, a->ch.day, a->ch.days, a->ch.done, a->ch.streak);
        else
            sbuf_printf(&q, "A %d-day challenge starts on %s.\n", a->ch.days,
                        kdate_format(a->ch.started_on, d));
        sbuf_add(&q, "Starting a new one ends it: its remaining days can no longer be\n"
                     "ticked. It stays in the history (H).\n\nStart a new challenge?");
        int yes = tui_form_confirm(&a->host, "Start a new challenge?", q.s);
        sbuf_free(&q);
        a->dirty = TUI_DIRTY_ALL;
        if (!yes) {
            tui_app_say(a, 0, "kept the running challenge");
            return;
        }
    }
    memset(f, 0, sizeof f);
    f[SF_START] = (struct tui_field){
        .label = "Starts on", .type = TUI_FIELD_TEXT, .hint = DATE_HINT, .name = "date"};
    f[SF_DAYS] = (struct tui_field){
        .label = "Days", .type = TUI_FIELD_TEXT, .hint = "1 to 366", .name = "days"};
    const struct config *cfg = journal_config(a->j);
    snprintf(n, sizeof n, "%d", cfg && cfg->challenge_days > 0 ? cfg->challenge_days : 30);
    tui_field_set(&f[SF_START], kdate_format(journal_today(a->j), d));
    tui_field_set(&f[SF_DAYS], n);
    int saved = run_form(a, "Start a challenge", f, SF_COUNT, start_submit, a);
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
        sbuf_printf(&b, "%s%s  %3d days  %3d done (%d%%)  %s", i ? "\n\n" : "",
                    kdate_format(c->started_on, d), c->days, c->done, pct,
                    c->finished ? "finished"
                    : i == 0    ? "active"
                                : "ended");
        /* What each day was: the notes of the ticks, newest first. */
        for (size_t t = c->nticks; t-- > 0;) {
            const struct challenge_tick *k = &c->ticks[t];
            if (!k->note || !*k->note)
                continue;
            sbuf_printf(&b, "\n  %s  ", kdate_format(k->date, d));
            for (const char *p = k->note; *p; p++) {
                if (*p == '\n')
                    sbuf_add(&b, "\n              ");
                else
                    sbuf_addc(&b, *p);
            }
        }
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
    history_label(a->j, "marked a reminder done: %s", r->message ? r->message : "");
    int rc = reminder_done_known(a->j, r, &e);
    if (rc == K_OK) {
        tui_app_say(a, 0, "done: gone until it fires anew");
        tui_remind_drop(a->rem, r);
    } else
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
    history_label(u->a->j, "snoozed a reminder for %d days", u->days);
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
    f[ZF_DAYS] = (struct tui_field){
        .label = "Days", .hint = "hide it for this many days (1 to 3650)", .name = "days"};
    tui_field_set(&f[ZF_DAYS], "7");
    int saved = run_form(a, "Snooze the reminder", f, ZF_COUNT, snooze_submit, &u);
    if (saved) {
        char d[KDATE_BUF];
        tui_app_say(a, 0, "snoozed until %s", kdate_format(journal_today(a->j) + u.days, d));
        tui_remind_drop(a->rem, &u.r);
    } else {
        tui_app_say(a, 0, "cancelled: nothing saved");
    }
    tui_fields_clear(f, ZF_COUNT);
    reminder_clear(&u.r);
    done(a, saved);
}

void tui_actions_remind_restore(struct tui_app *a)
{
    const struct reminder *r = tui_views_today_handled(a);
    struct kerr e;
    if (!r) {
        tui_app_say(a, 1, "select a done or snoozed reminder to restore");
        return;
    }
    history_label(a->j, "restored a reminder: %s", r->message ? r->message : "");
    int rc = reminder_restore_known(a->j, r, &e);
    if (rc == K_OK)
        tui_app_say(a, 0, "restored: due again · u undoes");
    else
        tui_app_say(a, 1, "%s", e.msg);
    done(a, rc == K_OK);
}
