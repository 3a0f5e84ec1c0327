#include "kith/core/jsonin.h"

#include "kith/core/check.h"
#include "kith/store/dbtransfer.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a field holds. */
enum jkind {
    JK_ID,         /* 32 lowercase hex digits */
    JK_ID_OR_NULL, /* the same, or null */
    JK_NAME,       /* short text, not blank */
    JK_LINE,       /* short text, not blank, one line without control characters */
    JK_SHORT,      /* text up to CHECK_SHORT_MAX bytes, or null */
    JK_LONG,       /* text up to CHECK_LONG_MAX bytes, or null */
    JK_DATE,       /* YYYY-MM-DD */
    JK_DATE_OR_NULL,
    JK_BIRTHDAY, /* MM-DD or YYYY-MM-DD, or null */
    JK_BOOL,
    JK_WORD, /* a kind or a rule: letters, digits, - and _ */
    JK_FORM, /* a thank-you's form: a short label */
    JK_DIR,
    JK_OUTCOME,
    JK_STAMP,   /* a time stamp YYYY-MM-DDTHH:MM:SS.sssZ, or null */
    JK_SEQ,     /* a whole number from 1 */
    JK_DAYS,    /* a whole number from 1 to 366 */
    JK_CADENCE, /* a whole number from 1 to 3650, or null */
    JK_DTYPE,   /* a detail's type: email, phone or link */
    JK_LIST,    /* an array of elem values, or null */
    JK_OBJECTS, /* an array of objects of sub, or null */
    JK_OBJECT,  /* one object of sub (no required fields), or null */
};

/* What each element of a JK_LIST holds. */
/* Emails and phones are checked as an import keeps them (as written, an
 * email that is not valid flagged, never refused); nicknames and UIDs are
 * short text; vCard lines kept verbatim are long text. */
enum jelem { JE_NONE, JE_EMAIL, JE_PHONE, JE_LINK, JE_TAG, JE_ID, JE_TEXT, JE_LINE };

struct jsection;

struct jfield {
    const char *name;
    enum jkind kind;
    int required;
    enum jelem elem;
    const struct jsection *sub;
};

struct jsection {
    const char *name; /* in the document */
    const char *what; /* one of them, in messages */
    const struct jfield *fields;
    size_t nfields;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct jfield event_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},
    {"date", JK_DATE, 1, JE_NONE, NULL},
    {"outcome", JK_OUTCOME, 1, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
};
static const struct jsection events = {"events", "an outcome event", event_fields, N(event_fields)};

static const struct jfield tick_fields[] = {
    {"date", JK_DATE, 1, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL},
    {"interaction", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"forward", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
};
static const struct jsection ticks = {"ticks", "a tick", tick_fields, N(tick_fields)};

static const struct jfield name_fields[] = {
    {"family", JK_SHORT, 0, JE_NONE, NULL},     {"given", JK_SHORT, 0, JE_NONE, NULL},
    {"additional", JK_SHORT, 0, JE_NONE, NULL}, {"prefix", JK_SHORT, 0, JE_NONE, NULL},
    {"suffix", JK_SHORT, 0, JE_NONE, NULL},
};
static const struct jsection name_parts = {"n", "a name", name_fields, N(name_fields)};

static const struct jfield detail_fields[] = {
    {"type", JK_DTYPE, 1, JE_NONE, NULL},  {"value", JK_NAME, 1, JE_NONE, NULL},
    {"label", JK_SHORT, 0, JE_NONE, NULL}, {"property", JK_SHORT, 0, JE_NONE, NULL},
    {"valid", JK_BOOL, 0, JE_NONE, NULL},
};
static const struct jsection details = {"details", "a detail", detail_fields, N(detail_fields)};

static const struct jfield address_fields[] = {
    {"label", JK_SHORT, 0, JE_NONE, NULL},    {"pobox", JK_SHORT, 0, JE_NONE, NULL},
    {"ext", JK_SHORT, 0, JE_NONE, NULL},      {"street", JK_SHORT, 0, JE_NONE, NULL},
    {"locality", JK_SHORT, 0, JE_NONE, NULL}, {"region", JK_SHORT, 0, JE_NONE, NULL},
    {"code", JK_SHORT, 0, JE_NONE, NULL},     {"country", JK_SHORT, 0, JE_NONE, NULL},
};
static const struct jsection addresses = {"addresses", "an address", address_fields,
                                          N(address_fields)};

static const struct jfield cevent_fields[] = {
    {"label", JK_SHORT, 0, JE_NONE, NULL},
    {"date", JK_BIRTHDAY, 1, JE_NONE, NULL},
};
static const struct jsection cevents = {"events", "a dated event", cevent_fields, N(cevent_fields)};

static const struct jfield contact_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},
    {"name", JK_NAME, 1, JE_NONE, NULL},
    {"company", JK_SHORT, 0, JE_NONE, NULL},
    {"title", JK_SHORT, 0, JE_NONE, NULL},
    {"location", JK_SHORT, 0, JE_NONE, NULL},
    {"how_met", JK_SHORT, 0, JE_NONE, NULL},
    {"met_on", JK_DATE_OR_NULL, 0, JE_NONE, NULL},
    {"birthday", JK_BIRTHDAY, 0, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL},
    {"working_on", JK_LONG, 0, JE_NONE, NULL},
    {"archived", JK_BOOL, 0, JE_NONE, NULL},
    {"emails", JK_LIST, 0, JE_EMAIL, NULL},
    {"phones", JK_LIST, 0, JE_PHONE, NULL},
    {"links", JK_LIST, 0, JE_LINK, NULL},
    {"tags", JK_LIST, 0, JE_TAG, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
    {"updated_at", JK_STAMP, 0, JE_NONE, NULL},
    {"n", JK_OBJECT, 0, JE_NONE, &name_parts},
    {"nicknames", JK_LIST, 0, JE_TEXT, NULL},
    {"uids", JK_LIST, 0, JE_TEXT, NULL},
    {"details", JK_OBJECTS, 0, JE_NONE, &details},
    {"addresses", JK_OBJECTS, 0, JE_NONE, &addresses},
    {"events", JK_OBJECTS, 0, JE_NONE, &cevents},
    {"vcard", JK_LIST, 0, JE_LINE, NULL},
    {"needs", JK_LIST, 0, JE_TEXT, NULL},
    {"offers", JK_LIST, 0, JE_TEXT, NULL},
    {"cadence_days", JK_CADENCE, 0, JE_NONE, NULL},
};
static const struct jfield interaction_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},         {"date", JK_DATE, 1, JE_NONE, NULL},
    {"kind", JK_WORD, 1, JE_NONE, NULL},     {"direction", JK_DIR, 1, JE_NONE, NULL},
    {"summary", JK_SHORT, 0, JE_NONE, NULL}, {"note", JK_LONG, 0, JE_NONE, NULL},
    {"contacts", JK_LIST, 1, JE_ID, NULL},   {"created_at", JK_STAMP, 0, JE_NONE, NULL},
};
static const struct jfield referral_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},
    {"referrer", JK_ID, 1, JE_NONE, NULL},
    {"target_contact", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"target_text", JK_SHORT, 0, JE_NONE, NULL},
    {"kind", JK_WORD, 1, JE_NONE, NULL},
    {"date", JK_DATE, 1, JE_NONE, NULL},
    {"outcome", JK_OUTCOME, 0, JE_NONE, NULL},
    {"parent", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
    {"events", JK_OBJECTS, 0, JE_NONE, &events},
};
static const struct jfield thanks_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},
    {"contact", JK_ID, 1, JE_NONE, NULL},
    {"date", JK_DATE, 1, JE_NONE, NULL},
    {"form", JK_FORM, 1, JE_NONE, NULL},
    {"referral", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"interaction", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
};
static const struct jfield challenge_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},
    {"seq", JK_SEQ, 1, JE_NONE, NULL},
    {"started_on", JK_DATE, 1, JE_NONE, NULL},
    {"days", JK_DAYS, 1, JE_NONE, NULL},
    {"created_at", JK_STAMP, 0, JE_NONE, NULL},
    {"ticks", JK_OBJECTS, 0, JE_NONE, &ticks},
};
static const struct jfield reminder_fields[] = {
    {"rule", JK_WORD, 1, JE_NONE, NULL},
    {"subject", JK_ID, 1, JE_NONE, NULL},
    {"fired_on", JK_DATE, 1, JE_NONE, NULL},
    {"done_on", JK_DATE_OR_NULL, 0, JE_NONE, NULL},
    {"snoozed_until", JK_DATE_OR_NULL, 0, JE_NONE, NULL},
    {"notified_at", JK_STAMP, 0, JE_NONE, NULL},
};

static const struct jfield forward_fields[] = {
    {"id", JK_ID, 1, JE_NONE, NULL},     {"date", JK_DATE, 1, JE_NONE, NULL},
    {"text", JK_LINE, 1, JE_NONE, NULL}, {"contact", JK_ID_OR_NULL, 0, JE_NONE, NULL},
    {"note", JK_LONG, 0, JE_NONE, NULL}, {"created_at", JK_STAMP, 0, JE_NONE, NULL},
};

static const struct jfield message_fields[] = {
    {"message_id", JK_NAME, 1, JE_NONE, NULL},
    {"interaction", JK_ID, 1, JE_NONE, NULL},
};

static const struct jsection sections[] = {
    {"contacts", "a contact", contact_fields, N(contact_fields)},
    {"interactions", "an interaction", interaction_fields, N(interaction_fields)},
    {"referrals", "a referral", referral_fields, N(referral_fields)},
    {"thanks", "a thank-you", thanks_fields, N(thanks_fields)},
    {"challenges", "a challenge", challenge_fields, N(challenge_fields)},
    {"reminder_state", "a reminder's state", reminder_fields, N(reminder_fields)},
    {"messages", "a message", message_fields, N(message_fields)},
    {"forwards", "a pay-it-forward", forward_fields, N(forward_fields)},
};

/* One object being read: a row of a section, or an event or tick in it. */
struct jobj {
    const struct jsection *sec;
    long index;
    unsigned seen; /* bit i: fields[i] was there (and not null when required) */
    int open;
    char id[KID_LEN + 1], parent[KID_LEN + 1];
    int has_target;
    long list_len; /* elements of the last JK_LIST read */
};

struct walk {
    const char *file;
    struct kerr *e;
    struct jobj top, sub;
};

/* A path of json_tree's: "$", then .key, ."quoted key" or [index]. */
struct jseg {
    const char *key;
    size_t len;
    long index; /* -1 for a key */
};

static int split(const char *path, struct jseg *seg, int max)
{
    int n = 0;
    if (!path || *path != '$')
        return -1;
    const char *p = path + 1;
    while (*p) {
        if (n == max)
            return max + 1;
        if (*p == '.') {
            p++;
            if (*p == '"') {
                const char *end = strchr(p + 1, '"');
                if (!end)
                    return -1;
                seg[n] = (struct jseg){p + 1, (size_t)(end - p - 1), -1};
                p = end + 1;
            } else {
                size_t len = strcspn(p, ".[");
                seg[n] = (struct jseg){p, len, -1};
                p += len;
            }
        } else if (*p == '[') {
            char *end;
            errno = 0;
            long i = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || errno)
                return -1;
            seg[n] = (struct jseg){NULL, 0, i};
            p = end + 1;
        } else {
            return -1;
        }
        n++;
    }
    return n;
}

static int seg_is(const struct jseg *s, const char *name)
{
    return s->index < 0 && s->key && strlen(name) == s->len && !memcmp(s->key, name, s->len);
}

/* The path for messages: "contacts[3].name", without "$." and quotes. */
static void shown(const char *path, char *out, size_t n)
{
    size_t k = 0;
    const char *p = path[0] == '$' && path[1] == '.' ? path + 2 : path;
    for (; *p && k + 1 < n; p++)
        if (*p != '"')
            out[k++] = *p;
    out[k] = '\0';
}

static int fail_at(struct walk *w, const char *path, const char *fmt, const char *arg)
{
    char msg[KERR_MSG_MAX], where[256];
    snprintf(msg, sizeof msg, fmt, arg);
    shown(path, where, sizeof where);
    return kerr_set(w->e, K_USAGE, "%s: %s: %s", w->file, where, msg);
}

static int is_id(const char *v, size_t n)
{
    if (!v || n != KID_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
            return 0;
    return 1;
}

static long long whole(const char *type, const char *v, int *ok)
{
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    *ok = !strcmp(type, "integer") && v && *v && !*end && !errno;
    return x;
}

/* A thank-you's form as thanks.c takes it: a short label without controls,
 * already trimmed. */
static int check_form_stored(const char *v, struct kerr *e)
{
    size_t n = strlen(v);
    if (check_text("form", v, 40, e) != K_OK)
        return K_USAGE;
    if (!n || v[0] == ' ' || v[n - 1] == ' ')
        return kerr_set(e, K_USAGE, "a form is a label without spaces around it, not '%s'", v);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
            return kerr_set(e, K_USAGE, "form has control characters");
    return K_OK;
}

/* A time stamp as kith writes them; only its shape is checked. */
static int is_stamp(const char *v, size_t n)
{
    int d;
    return n >= 11 && n <= 40 && kdate_parse_n(v, 10, &d) && v[10] == 'T' && utf8_valid(v, n);
}

/* An email, phone, nickname or UID as an import keeps it: text that is not
 * empty, within max bytes, without control characters. */
static int check_item(const char *what, const char *v, size_t n, size_t max, struct kerr *e)
{
    if (!n)
        return kerr_set(e, K_USAGE, "%s cannot be empty", what);
    if (check_text(what, v, max, e) != K_OK)
        return K_USAGE;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
            return kerr_set(e, K_USAGE, "%s with a control character in it", what);
    return K_OK;
}

static int check_elem(struct walk *w, const char *path, const struct jfield *f, const char *type,
                      const char *v, size_t n)
{
    struct kerr e;
    char *t = NULL;
    if (strcmp(type, "text"))
        return fail_at(w, path, "expected text, found %s", type);
    int rc = K_OK;
    switch (f->elem) {
    case JE_EMAIL:
        rc = check_item("an email", v, n, CHECK_SHORT_MAX, &e);
        break;
    case JE_PHONE:
        rc = check_item("a phone", v, n, CHECK_SHORT_MAX, &e);
        break;
    case JE_TEXT:
        rc = check_item("a value", v, n, CHECK_SHORT_MAX, &e);
        break;
    case JE_LINE:
        rc = check_item("a kept vCard line", v, n, CHECK_LONG_MAX, &e);
        break;
    case JE_LINK:
        rc = n ? check_text("link", v, CHECK_SHORT_MAX, &e) : kerr_set(&e, K_USAGE, "empty link");
        break;
    case JE_TAG:
        if ((rc = check_tag(v, &t, &e)) == K_OK && strcmp(t, v))
            rc = kerr_set(&e, K_USAGE, "tag '%s' is not as kith stores it ('%s')", v, t);
        free(t);
        break;
    case JE_ID:
        if (!is_id(v, n))
            return fail_at(w, path, "'%s' is not an id (32 lowercase hex digits)",
                           check_text("id", v, 64, NULL) == K_OK ? v : "?");
        break;
    case JE_NONE:
        break;
    }
    return rc == K_OK ? K_OK : fail_at(w, path, "%s", e.msg);
}

static int check_text_field(struct walk *w, const char *path, const struct jfield *f, const char *v,
                            size_t n)
{
    struct kerr e;
    char bday[KDATE_BUF];
    int d;
    switch (f->kind) {
    case JK_NAME:
    case JK_SHORT:
        if (check_text(f->name, v, CHECK_SHORT_MAX, &e) != K_OK)
            return fail_at(w, path, "%s", e.msg);
        if (f->kind == JK_NAME && strspn(v, " \t") == n)
            return fail_at(w, path, "%s", "a contact needs a name");
        return K_OK;
    case JK_LINE:
        if (strspn(v, " \t") == n)
            return fail_at(w, path, "%s", "empty text");
        return check_item("the text", v, n, CHECK_SHORT_MAX, &e) == K_OK
                   ? K_OK
                   : fail_at(w, path, "%s", e.msg);
    case JK_LONG:
        return check_text(f->name, v, CHECK_LONG_MAX, &e) == K_OK ? K_OK
                                                                  : fail_at(w, path, "%s", e.msg);
    case JK_DATE:
    case JK_DATE_OR_NULL:
        if (n != 10 || !kdate_parse_n(v, n, &d))
            return fail_at(w, path, "'%s' is not a date (YYYY-MM-DD)",
                           check_text("date", v, 40, NULL) == K_OK ? v : "?");
        return K_OK;
    case JK_BIRTHDAY:
        if (kdate_parse_birthday(v, bday, &e) != K_OK || strcmp(bday, v))
            return fail_at(w, path, "'%s' is not a birthday (MM-DD or YYYY-MM-DD)",
                           check_text("birthday", v, 40, NULL) == K_OK ? v : "?");
        return K_OK;
    case JK_WORD:
        return check_word(f->name, v, &e) == K_OK ? K_OK : fail_at(w, path, "%s", e.msg);
    case JK_FORM:
        return check_form_stored(v, &e) == K_OK ? K_OK : fail_at(w, path, "%s", e.msg);
    case JK_DIR: {
        enum kdir dir;
        return kdir_parse(v, &dir) == 0
                   ? K_OK
                   : fail_at(w, path, "'%s' is not a direction (gave, asked or mutual)",
                             check_text("direction", v, 40, NULL) == K_OK ? v : "?");
    }
    case JK_OUTCOME: {
        enum koutcome o;
        return koutcome_parse(v, &o) == 0
                   ? K_OK
                   : fail_at(w, path,
                             "'%s' is not an outcome (pending, meeting, interview, offer, "
                             "hired, won, lost or none)",
                             check_text("outcome", v, 40, NULL) == K_OK ? v : "?");
    }
    case JK_DTYPE:
        return !strcmp(v, "email") || !strcmp(v, "phone") || !strcmp(v, "link")
                   ? K_OK
                   : fail_at(w, path, "'%s' is not a detail type (email, phone or link)",
                             check_text("type", v, 40, NULL) == K_OK ? v : "?");
    case JK_STAMP:
        return is_stamp(v, n) ? K_OK
                              : fail_at(w, path, "'%s' is not a time (YYYY-MM-DDTHH:MM:SS.sssZ)",
                                        check_text("time", v, 40, NULL) == K_OK ? v : "?");
    default:
        return K_OK;
    }
}

/* Checks a field's value; the field's own bookkeeping in o. */
static int check_field(struct walk *w, struct jobj *o, const char *path, size_t fi,
                       const char *type, const char *v, size_t n)
{
    const struct jfield *f = &o->sec->fields[fi];
    int null = !strcmp(type, "null"), ok;
    if (!null || !f->required)
        o->seen |= 1u << fi;
    if (null) {
        if (f->kind == JK_ID || f->kind == JK_NAME || f->kind == JK_LINE || f->kind == JK_DATE ||
            f->kind == JK_WORD || f->kind == JK_FORM || f->kind == JK_DIR || f->kind == JK_SEQ ||
            f->kind == JK_DAYS || f->kind == JK_DTYPE || (f->kind == JK_OUTCOME && f->required))
            return fail_at(w, path, "%s", "a value is required, not null");
        return K_OK;
    }
    switch (f->kind) {
    case JK_BOOL:
        return !strcmp(type, "true") || !strcmp(type, "false")
                   ? K_OK
                   : fail_at(w, path, "expected true or false, found %s", type);
    case JK_SEQ:
    case JK_DAYS:
    case JK_CADENCE: {
        long long x = whole(type, v, &ok);
        long long max = f->kind == JK_DAYS ? 366 : f->kind == JK_CADENCE ? 3650 : 1000000000;
        if (!ok || x < 1 || x > max)
            return fail_at(w, path, "%s",
                           f->kind == JK_DAYS      ? "a challenge lasts 1 to 366 days"
                           : f->kind == JK_CADENCE ? "a cadence is 1 to 3650 days"
                                                   : "expected a whole number from 1");
        return K_OK;
    }
    case JK_LIST:
    case JK_OBJECTS:
        o->list_len = 0;
        return !strcmp(type, "array") ? K_OK
                                      : fail_at(w, path, "expected an array, found %s", type);
    case JK_OBJECT:
        return !strcmp(type, "object") ? K_OK
                                       : fail_at(w, path, "expected an object, found %s", type);
    case JK_ID:
    case JK_ID_OR_NULL:
        if (strcmp(type, "text") || !is_id(v, n)) {
            if (!strcmp(f->name, "id"))
                return kerr_set(w->e, K_USAGE,
                                "%s: %s[%ld] is not an object with a 32-hex-digit id", w->file,
                                o->sec->name, o->index);
            return fail_at(w, path, "%s", "not an id (32 lowercase hex digits)");
        }
        if (!strcmp(f->name, "id"))
            memcpy(o->id, v, KID_LEN + 1);
        else if (!strcmp(f->name, "parent"))
            memcpy(o->parent, v, KID_LEN + 1);
        else if (!strcmp(f->name, "target_contact"))
            o->has_target = 1;
        return K_OK;
    default:
        if (strcmp(type, "text"))
            return fail_at(w, path, "expected text, found %s", type);
        if (!strcmp(f->name, "target_text"))
            o->has_target = 1;
        return check_text_field(w, path, f, v, n);
    }
}

/* The object is complete: every required field was there. */
static int close_obj(struct walk *w, struct jobj *o, const char *where)
{
    if (!o->open)
        return K_OK;
    o->open = 0;
    for (size_t i = 0; i < o->sec->nfields; i++) {
        if (o->seen & (1u << i) || !o->sec->fields[i].required)
            continue;
        if (!strcmp(o->sec->fields[i].name, "id"))
            return kerr_set(w->e, K_USAGE, "%s: %s[%ld] is not an object with a 32-hex-digit id",
                            w->file, o->sec->name, o->index);
        return kerr_set(w->e, K_USAGE, "%s: %s: %s needs %s", w->file, where, o->sec->what,
                        o->sec->fields[i].name);
    }
    if (o->sec == &sections[2] && o->parent[0] && !strcmp(o->parent, o->id))
        return kerr_set(w->e, K_USAGE, "%s: %s: a referral cannot grow out of itself", w->file,
                        where);
    if (o->sec == &sections[2] && !o->has_target)
        return kerr_set(w->e, K_USAGE, "%s: %s: a referral needs a target: a contact or a text",
                        w->file, where);
    if (o->sec == &sections[1] && o->list_len == 0)
        return kerr_set(w->e, K_USAGE, "%s: %s: an interaction needs at least one contact", w->file,
                        where);
    return K_OK;
}

static void open_obj(struct jobj *o, const struct jsection *sec, long index)
{
    memset(o, 0, sizeof *o);
    o->sec = sec;
    o->index = index;
    o->open = 1;
}

static int field_index(const struct jsection *sec, const struct jseg *s)
{
    for (size_t i = 0; i < sec->nfields; i++)
        if (seg_is(s, sec->fields[i].name))
            return (int)i;
    return -1;
}

static int unknown(struct walk *w, const char *path, const struct jseg *s)
{
    char *key = kstr_ndup(s->key ? s->key : "", s->len);
    int rc = fail_at(w, path, "kith has no field '%s' here", key);
    free(key);
    return rc;
}

/* Closes the open event or tick, then (with top) the open row. */
static int close_open(struct walk *w, int top)
{
    char where[160];
    int rc = K_OK;
    if (w->sub.open) {
        snprintf(where, sizeof where, "%s[%ld].%s[%ld]", w->top.sec->name, w->top.index,
                 w->sub.sec->name, w->sub.index);
        rc = close_obj(w, &w->sub, where);
    }
    if (rc == K_OK && top && w->top.open) {
        snprintf(where, sizeof where, "%s[%ld]", w->top.sec->name, w->top.index);
        rc = close_obj(w, &w->top, where);
    }
    return rc;
}

static int on_node(const char *path, const char *type, const char *v, size_t n, void *ud)
{
    struct walk *w = ud;
    struct jseg s[6];
    int depth = split(path, s, 5), rc;
    if (depth < 0 || depth > 5)
        return fail_at(w, path, "%s", "nested deeper than a kith export is");
    if (depth == 0)
        return !strcmp(type, "object") ? K_OK : fail_at(w, path, "%s", "not an object");
    if (depth == 1) {
        if ((rc = close_open(w, 1)) != K_OK)
            return rc;
        if (seg_is(&s[0], "format") || seg_is(&s[0], "version"))
            return K_OK;
        for (size_t i = 0; i < N(sections); i++)
            if (seg_is(&s[0], sections[i].name))
                return !strcmp(type, "array")
                           ? K_OK
                           : fail_at(w, path, "expected an array, found %s", type);
        return unknown(w, path, &s[0]);
    }
    const struct jsection *sec = NULL;
    for (size_t i = 0; i < N(sections); i++)
        if (seg_is(&s[0], sections[i].name))
            sec = &sections[i];
    if (!sec || s[1].index < 0)
        return fail_at(w, path, "%s", "not where a kith export has anything");
    if (depth == 2) {
        if ((rc = close_open(w, 1)) != K_OK)
            return rc;
        if (strcmp(type, "object"))
            return kerr_set(w->e, K_USAGE, "%s: %s[%ld] is not an object with a 32-hex-digit id",
                            w->file, sec->name, s[1].index);
        open_obj(&w->top, sec, s[1].index);
        return K_OK;
    }
    int fi = field_index(sec, &s[2]);
    if (fi < 0)
        return unknown(w, path, &s[2]);
    const struct jfield *f = &sec->fields[fi];
    if (depth == 3) {
        if ((rc = close_open(w, 0)) != K_OK)
            return rc;
        return check_field(w, &w->top, path, (size_t)fi, type, v, n);
    }
    if (f->kind == JK_OBJECT) {
        if (depth > 4 || s[3].index >= 0)
            return fail_at(w, path, "%s", "not where a kith export has anything");
        int pi = field_index(f->sub, &s[3]);
        if (pi < 0)
            return unknown(w, path, &s[3]);
        struct jobj part;
        open_obj(&part, f->sub, 0);
        return check_field(w, &part, path, (size_t)pi, type, v, n);
    }
    if (s[3].index < 0 || (f->kind != JK_LIST && f->kind != JK_OBJECTS))
        return fail_at(w, path, "%s", "not where a kith export has anything");
    if (f->kind == JK_LIST) {
        if (depth > 4)
            return fail_at(w, path, "%s", "expected text, found a nested value");
        w->top.list_len++;
        return check_elem(w, path, f, type, v, n);
    }
    if (depth == 4) {
        if ((rc = close_open(w, 0)) != K_OK)
            return rc;
        if (strcmp(type, "object"))
            return fail_at(w, path, "expected an object, found %s", type);
        open_obj(&w->sub, f->sub, s[3].index);
        return K_OK;
    }
    int si = field_index(f->sub, &s[4]);
    if (si < 0)
        return unknown(w, path, &s[4]);
    return check_field(w, &w->sub, path, (size_t)si, type, v, n);
}

static int hex4(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (n < 4)
        return 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return 0;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 1;
}

/* \u0000 and surrogates that do not pair up decode to bytes that are not
 * text (SQLite cuts a string at the first, and turns the second into
 * invalid UTF-8): refused where they are written, with line and column. */
static int check_escapes(const char *s, size_t n, const char *file, struct kerr *e)
{
    int in_str = 0;
    long line = 1, col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            col++;
        if (c == '\n') {
            line++;
            col = 0;
            continue;
        }
        if (c == '"') {
            in_str = !in_str;
            continue;
        }
        if (!in_str || c != '\\' || i + 1 >= n)
            continue;
        long at = col;
        i++;
        col++;
        unsigned cp, lo;
        if (s[i] != 'u' || !hex4(s + i + 1, n - i - 1, &cp))
            continue;
        i += 4;
        col += 4;
        const char *why = NULL;
        if (cp == 0)
            why = "\\u0000, a NUL character, cannot be in kith's text";
        else if (cp >= 0xDC00 && cp <= 0xDFFF)
            why = "a lone low surrogate (\\uDC00-\\uDFFF) is not a character";
        else if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u' &&
                hex4(s + i + 3, n - i - 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 6;
                col += 6;
            } else {
                why = "a lone high surrogate (\\uD800-\\uDBFF) is not a character";
            }
        }
        if (why)
            return kerr_set(e, K_USAGE, "%s:%ld:%ld: %s", file, line, at, why);
    }
    return K_OK;
}

int jsonin_check(struct journal *j, const char *doc, size_t n, const char *file, struct kerr *e)
{
    struct db *db = journal_db(j);
    struct kerr te;
    int rc;
    if (!utf8_valid(doc, n) || strlen(doc) != n)
        return kerr_set(e, K_USAGE, "%s: not a kith JSON export (not UTF-8 text)", file);
    if ((rc = check_escapes(doc, n, file, e)) != K_OK)
        return rc;
    if ((rc = dbtransfer_json_header(db, doc, &te)) != K_OK)
        return kerr_set(e, rc, "%s: %s", file, te.msg);
    struct walk w = {file, e, {0}, {0}};
    if ((rc = dbtransfer_json_nodes(db, doc, on_node, &w, e)) != K_OK)
        return rc;
    return close_open(&w, 1);
}
