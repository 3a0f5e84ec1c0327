#include "kith/core/mail.h"

#include "kith/core/check.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

#include <dlfcn.h>
#include <errno.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* GMime, and the GLib under it, are loaded by the first message parsed:
 * linked into every kith process, their sixteen libraries and GLib's
 * constructors doubled the start of every command (2 ms more for `kith
 * --version`), and `kith query` starts on every key of a completion. */
#define GMIME_FNS(X)                                                                               \
    X(g_mime_init)                                                                                 \
    X(g_mime_object_get_header)                                                                    \
    X(g_mime_message_get_date)                                                                     \
    X(g_mime_message_get_addresses)                                                                \
    X(g_mime_message_get_message_id)                                                               \
    X(g_mime_message_get_subject)                                                                  \
    X(g_mime_stream_mem_new_with_buffer)                                                           \
    X(g_mime_parser_new_with_stream)                                                               \
    X(g_mime_parser_construct_message)                                                             \
    X(internet_address_list_length)                                                                \
    X(internet_address_list_get_address)                                                           \
    X(internet_address_group_get_members)                                                          \
    X(internet_address_group_get_type)                                                             \
    X(internet_address_mailbox_get_addr)                                                           \
    X(internet_address_mailbox_get_type)                                                           \
    X(internet_address_get_name)                                                                   \
    X(g_date_time_to_local)                                                                        \
    X(g_date_time_get_ymd)                                                                         \
    X(g_date_time_unref)                                                                           \
    X(g_object_unref)                                                                              \
    X(g_type_check_instance_is_a)

/* NOLINTNEXTLINE(bugprone-macro-parentheses): name is a declarator too */
#define GMIME_FIELD(name) __typeof__(name) *name;
static struct {
    GMIME_FNS(GMIME_FIELD)
} gm;

int mail_load(struct kerr *e)
{
    static int done;
    if (done)
        return K_OK;
    /* Never closed: GLib's type system cannot be unloaded. */
    void *h = dlopen(KITH_GMIME_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return kerr_set(e, K_ERR, "reading mail needs GMime 3 (%s): %s", KITH_GMIME_SONAME,
                        why ? why : "not found");
    }
    /* dlsym searches GMime and the libraries it needs (GObject, GLib). */
#define GMIME_LOAD(name)                                                                           \
    {                                                                                              \
        void *f = dlsym(h, #name);                                                                 \
        if (!f)                                                                                    \
            return kerr_set(e, K_ERR, "reading mail: %s lacks %s", KITH_GMIME_SONAME, #name);      \
        memcpy(&gm.name, &f, sizeof f);                                                            \
    }
    GMIME_FNS(GMIME_LOAD)
#undef GMIME_LOAD
    gm.g_mime_init();
    done = 1;
    return K_OK;
}

static int is_a(const void *obj, GType t)
{
    return obj && gm.g_type_check_instance_is_a((GTypeInstance *)obj, t);
}

static char *lower_dup(const char *s)
{
    char *r = kstr_dup(s);
    for (char *p = r; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return r;
}

/* Whitespace and control characters become single spaces, the ends are
 * trimmed and the text cut (on a character boundary) to fit a summary. */
static char *one_line(const char *s)
{
    struct sbuf b = {0};
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == ' ') {
            space = 1;
            continue;
        }
        if (space && b.len)
            sbuf_addc(&b, ' ');
        space = 0;
        sbuf_addc(&b, (char)*p);
    }
    if (!b.len)
        return NULL;
    size_t n = b.len;
    if (n > CHECK_SHORT_MAX) {
        n = CHECK_SHORT_MAX;
        while (n > 0 && ((unsigned char)b.s[n] & 0xC0) == 0x80)
            n--;
        b.s[n] = '\0';
        b.len = n;
    }
    if (!utf8_valid(b.s, b.len)) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_take(&b);
}

static int has_addr(const struct mail_addr *v, size_t n, const char *email)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].email, email))
            return 1;
    return 0;
}

/* Appends one mailbox to *v unless its address is there already. */
static void add_mailbox(InternetAddress *ia, struct mail_addr **v, size_t *n)
{
    if (!is_a(ia, gm.internet_address_mailbox_get_type()))
        return;
    const char *a = gm.internet_address_mailbox_get_addr((InternetAddressMailbox *)ia);
    const char *at = a ? strchr(a, '@') : NULL;
    if (!at || at == a || !at[1] || strlen(a) > CHECK_SHORT_MAX || !utf8_valid(a, strlen(a)))
        return;
    char *email = lower_dup(a);
    if (has_addr(*v, *n, email)) {
        free(email);
        return;
    }
    *v = kgrowarray(*v, *n, sizeof **v);
    const char *name = gm.internet_address_get_name(ia);
    (*v)[*n].email = email;
    (*v)[*n].name = name && *name ? one_line(name) : NULL;
    (*n)++;
}

/* Appends the mailboxes of l to *v; a group gives its members (RFC 5322
 * groups hold mailboxes only, so one level is all there is). */
static void add_list(InternetAddressList *l, struct mail_addr **v, size_t *n)
{
    int len = l ? gm.internet_address_list_length(l) : 0;
    for (int i = 0; i < len; i++) {
        InternetAddress *ia = gm.internet_address_list_get_address(l, i);
        if (!is_a(ia, gm.internet_address_group_get_type())) {
            add_mailbox(ia, v, n);
            continue;
        }
        InternetAddressList *m = gm.internet_address_group_get_members((InternetAddressGroup *)ia);
        int mlen = m ? gm.internet_address_list_length(m) : 0;
        for (int k = 0; k < mlen; k++)
            add_mailbox(gm.internet_address_list_get_address(m, k), v, n);
    }
}

static const char *header(GMimeMessage *msg, const char *name)
{
    return gm.g_mime_object_get_header((GMimeObject *)msg, name);
}

static int is_list(GMimeMessage *msg)
{
    const char *prec = header(msg, "Precedence");
    const char *auto_sub = header(msg, "Auto-Submitted");
    while (prec && (*prec == ' ' || *prec == '\t'))
        prec++;
    while (auto_sub && (*auto_sub == ' ' || *auto_sub == '\t'))
        auto_sub++;
    return header(msg, "List-Id") || header(msg, "List-Post") ||
           (prec && (!strncasecmp(prec, "list", 4) || !strncasecmp(prec, "bulk", 4) ||
                     !strncasecmp(prec, "junk", 4))) ||
           (auto_sub && strncasecmp(auto_sub, "no", 2));
}

/* FNV-1a over the headers that make a message what it is, for the rare
 * message without a Message-ID. */
static char *digest_key(GMimeMessage *msg)
{
    static const char *const names[] = {"Date", "From", "To", "Cc", "Subject"};
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = header(msg, names[i]);
        for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
    }
    struct sbuf b = {0};
    sbuf_printf(&b, "no-message-id-%016llx@kith", (unsigned long long)h);
    return sbuf_take(&b);
}

static int local_day(GMimeMessage *msg)
{
    GDateTime *d = gm.g_mime_message_get_date(msg);
    if (!d)
        return KDATE_NONE;
    GDateTime *l = gm.g_date_time_to_local(d);
    int y, m, day, r = KDATE_NONE;
    if (l) {
        gm.g_date_time_get_ymd(l, &y, &m, &day);
        if (kdate_valid_ymd(y, m, day))
            r = kdate_from_ymd(y, m, day);
        gm.g_date_time_unref(l);
    }
    return r;
}

int mail_parse(const char *buf, size_t n, struct mail_msg *out, struct kerr *e)
{
    GMimeStream *stream = NULL;
    GMimeParser *parser = NULL;
    GMimeMessage *msg = NULL;
    int rc = K_OK;
    memset(out, 0, sizeof *out);
    out->date = KDATE_NONE;
    if ((rc = mail_load(e)) != K_OK)
        return rc;
    /* mutt and mbox files may put the envelope's "From " line first. */
    if (n > 5 && !memcmp(buf, "From ", 5)) {
        const char *nl = memchr(buf, '\n', n);
        size_t skip = nl ? (size_t)(nl - buf) + 1 : n;
        buf += skip;
        n -= skip;
    }
    stream = gm.g_mime_stream_mem_new_with_buffer(buf, n);
    parser = gm.g_mime_parser_new_with_stream(stream);
    msg = gm.g_mime_parser_construct_message(parser, NULL);
    if (!msg) {
        rc = kerr_set(e, K_USAGE, "not a mail message (no header)");
        goto out;
    }
    static const GMimeAddressType rcpt[] = {GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC,
                                            GMIME_ADDRESS_TYPE_BCC};
    add_list(gm.g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_FROM), &out->from,
             &out->nfrom);
    for (size_t i = 0; i < sizeof rcpt / sizeof rcpt[0]; i++)
        add_list(gm.g_mime_message_get_addresses(msg, rcpt[i]), &out->rcpt, &out->nrcpt);
    if (!out->nfrom && !out->nrcpt) {
        rc = kerr_set(e, K_USAGE, "not a mail message (no From, To or Cc address)");
        goto out;
    }
    const char *id = gm.g_mime_message_get_message_id(msg);
    if (id && *id && strlen(id) <= CHECK_SHORT_MAX && utf8_valid(id, strlen(id)))
        out->message_id = kstr_dup(id);
    out->key = out->message_id ? kstr_dup(out->message_id) : digest_key(msg);
    const char *subject = gm.g_mime_message_get_subject(msg);
    if (subject)
        out->subject = one_line(subject);
    out->date = local_day(msg);
    out->list = is_list(msg);
out:
    if (msg)
        gm.g_object_unref(msg);
    if (parser)
        gm.g_object_unref(parser);
    if (stream)
        gm.g_object_unref(stream);
    return rc;
}

static void addrs_free(struct mail_addr *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].email);
    }
    free(v);
}

void mail_msg_clear(struct mail_msg *m)
{
    if (!m)
        return;
    free(m->message_id);
    free(m->key);
    free(m->subject);
    addrs_free(m->from, m->nfrom);
    addrs_free(m->rcpt, m->nrcpt);
    memset(m, 0, sizeof *m);
    m->date = KDATE_NONE;
}

/* The offset just past the blank line that ends the header in b, or 0. */
static size_t head_end(const char *s, size_t n, size_t from)
{
    for (size_t i = from >= 2 ? from - 2 : 0; i + 1 < n; i++) {
        if (s[i] != '\n')
            continue;
        if (s[i + 1] == '\n')
            return i + 2;
        if (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

int mail_read_head(int fd, const char *what, char **buf, size_t *n, struct kerr *e)
{
    struct sbuf b = {0};
    char chunk[8192];
    size_t end = 0;
    int rc = K_OK;
    *buf = NULL;
    *n = 0;
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = kerr_set(e, K_ERR, "%s: %s", what, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        size_t was = b.len;
        sbuf_addn(&b, chunk, (size_t)r);
        if ((end = head_end(b.s, b.len, was)) != 0)
            break;
        if (b.len > MAIL_HEAD_MAX) {
            rc = kerr_set(e, K_USAGE, "%s: the message's header is longer than %zu KiB", what,
                          MAIL_HEAD_MAX / 1024);
            goto out;
        }
    }
    if (end) {
        b.s[end] = '\0';
        b.len = end;
    }
    if (end > MAIL_HEAD_MAX) {
        rc = kerr_set(e, K_USAGE, "%s: the message's header is longer than %zu KiB", what,
                      MAIL_HEAD_MAX / 1024);
        goto out;
    }
    *n = b.len;
    *buf = b.s ? sbuf_take(&b) : kstr_dup("");
out:
    sbuf_free(&b);
    return rc;
}
