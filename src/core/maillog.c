#include "kith/core/maillog.h"

#include "kith/core/contact.h"
#include "kith/store/dbmail.h"
#include "kith/core/interaction.h"
#include "kith/util/kdate.h"
#include "kith/util/kstr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void maillog_result_clear(struct maillog_result *r)
{
    if (!r)
        return;
    kstrlist_clear(&r->contacts);
    kstrlist_clear(&r->unknown);
    kstrlist_clear(&r->added);
}

static int is_me(const struct config *cfg, const char *email)
{
    for (size_t i = 0; cfg && i < cfg->nme; i++)
        if (!strcmp(cfg->me[i], email))
            return 1;
    return 0;
}

/* Adds a contact for an address the journal does not know. K_USAGE (a name
 * or address kith cannot store) leaves it unknown rather than fail. */
static int add_unknown(struct journal *j, const struct mail_addr *a, struct maillog_result *r,
                       char id[KID_LEN + 1], struct kerr *e)
{
    struct contact_patch p;
    contact_patch_init(&p);
    p.name = a->name ? a->name : a->email;
    kstrlist_add(&p.add_emails, a->email);
    struct kerr tmp;
    kerr_clear(&tmp);
    int rc = contact_add(j, &p, id, &tmp);
    contact_patch_clear(&p);
    if (rc == K_OK)
        kstrlist_add(&r->added, id);
    else if (rc != K_USAGE)
        *e = tmp;
    return rc;
}

/* Sorts the message's addresses into contacts and unknown ones. */
static int match_addrs(struct journal *j, const struct mail_addr *v, size_t n,
                       const struct maillog_opts *o, struct maillog_result *r, struct kerr *e)
{
    const struct config *cfg = journal_config(j);
    for (size_t i = 0; i < n; i++) {
        char id[KID_LEN + 1];
        if (is_me(cfg, v[i].email))
            continue;
        int rc = dbmail_find_email(journal_db(j), v[i].email, id, e);
        if (rc == K_NOTFOUND && o->add_unknown)
            rc = add_unknown(j, &v[i], r, id, e);
        if (rc == K_OK) {
            if (!kstrlist_has(&r->contacts, id))
                kstrlist_add(&r->contacts, id);
            continue;
        }
        if (rc != K_NOTFOUND && rc != K_USAGE)
            return rc;
        struct sbuf b = {0};
        if (v[i].name)
            sbuf_printf(&b, "%s <%s>", v[i].name, v[i].email);
        else
            sbuf_add(&b, v[i].email);
        if (!kstrlist_has(&r->unknown, b.s))
            kstrlist_add(&r->unknown, b.s);
        sbuf_free(&b);
    }
    return K_OK;
}

int maillog_message(struct journal *j, const struct mail_msg *m, const struct maillog_opts *o,
                    struct maillog_result *r, struct kerr *e)
{
    struct db *db = journal_db(j);
    int today = journal_today(j), rc, began = 0;
    memset(r, 0, sizeof *r);
    r->date = m->date != KDATE_NONE           ? m->date
              : o->missing_date != KDATE_NONE ? o->missing_date
                                              : today;
    /* A sender's clock ahead of ours must not make the message a plan. */
    if (r->date > today)
        r->date = today;
    int from_me = m->nfrom && is_me(journal_config(j), m->from[0].email);
    r->dir = o->dir >= 0 ? (enum kdir)o->dir : from_me ? KDIR_GAVE : KDIR_MUTUAL;
    if (o->since != KDATE_NONE && r->date < o->since) {
        r->outcome = MAILLOG_OLD;
        return K_OK;
    }
    if (m->list && o->skip_lists) {
        r->outcome = MAILLOG_LIST;
        return K_OK;
    }
    rc = dbmail_find_message(db, m->key, r->interaction, e);
    if (rc == K_OK) {
        r->outcome = MAILLOG_KNOWN;
        return K_OK;
    }
    if (rc != K_NOTFOUND)
        return rc;
    if ((rc = journal_begin(j, e)) != K_OK)
        return rc;
    began = 1;
    /* Mail to a list is a conversation with its author, not with the list. */
    if ((rc = match_addrs(j, m->from, m->nfrom, o, r, e)) != K_OK ||
        (!m->list && (rc = match_addrs(j, m->rcpt, m->nrcpt, o, r, e)) != K_OK))
        goto out;
    if (!r->contacts.n) {
        r->outcome = MAILLOG_NO_CONTACT;
        goto out;
    }
    struct interaction_input in = {0};
    in.contact_ids = (const char *const *)r->contacts.v;
    in.ncontacts = r->contacts.n;
    in.kind = "email";
    in.dir = r->dir;
    in.date = r->date;
    in.summary = m->subject;
    if ((rc = interaction_log(j, &in, r->interaction, e)) != K_OK ||
        (rc = dbmail_add_message(db, m->key, r->interaction, e)) != K_OK)
        goto out;
    r->outcome = MAILLOG_LOGGED;
out:
    if (began && rc == K_OK)
        rc = journal_commit(j, e);
    if (began && rc != K_OK)
        journal_rollback(j);
    return rc;
}

/* The message files of a Maildir tree, and the folders still to read. */
struct walk {
    char **v;
    size_t n, cap;
    int maildirs; /* cur/ or new/ folders seen */
    struct pending {
        char *path;
        int depth, leaf; /* leaf: a cur/ or new/ folder, whose files are messages */
    } * todo;
    size_t ntodo, captodo;
};

static void walk_add(struct walk *w, char *path)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->v = kreallocarray(w->v, w->cap, sizeof *w->v);
    }
    w->v[w->n++] = path;
}

static void walk_push(struct walk *w, char *path, int depth, int leaf)
{
    if (w->ntodo == w->captodo) {
        w->captodo = w->captodo ? w->captodo * 2 : 16;
        w->todo = kreallocarray(w->todo, w->captodo, sizeof *w->todo);
    }
    w->todo[w->ntodo].path = path;
    w->todo[w->ntodo].depth = depth;
    w->todo[w->ntodo++].leaf = leaf;
}

/* Reads one folder: files of a leaf are messages, subfolders of any other
 * are queued. */
static void walk_one(struct walk *w, DIR *d, const char *dir, int depth, int leaf)
{
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        /* Dot-files are not messages (Maildir), .notmuch is notmuch's index;
         * Maildir++ subfolders (".Sent") are folders like any other. */
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".notmuch") || (leaf && n[0] == '.'))
            continue;
        struct sbuf p = {0};
        sbuf_printf(&p, "%s/%s", dir, n);
        struct stat st;
        /* lstat: a link to a folder above would be a loop. */
        if (lstat(p.s, &st) != 0) {
            sbuf_free(&p);
            continue;
        }
        if (leaf && S_ISREG(st.st_mode)) {
            walk_add(w, sbuf_take(&p));
        } else if (!leaf && S_ISDIR(st.st_mode) && depth < 32 && strcmp(n, "tmp")) {
            int sub = !strcmp(n, "cur") || !strcmp(n, "new");
            w->maildirs += sub;
            walk_push(w, sbuf_take(&p), depth + 1, sub);
        }
        sbuf_free(&p);
    }
}

static int walk_tree(struct walk *w, const char *top, struct kerr *e)
{
    int rc = K_OK;
    /* DIR may be a cur/ or new/ folder itself. */
    const char *slash = strrchr(top, '/');
    const char *name = slash ? slash + 1 : top;
    int leaf = !strcmp(name, "cur") || !strcmp(name, "new");
    w->maildirs += leaf;
    walk_push(w, kstr_dup(top), 0, leaf);
    while (w->ntodo) {
        struct pending p = w->todo[--w->ntodo];
        DIR *d = opendir(p.path);
        /* The top folder must be readable; a subfolder that is not is skipped. */
        if (!d && !p.depth && rc == K_OK)
            rc = kerr_set(e, K_USAGE, "cannot read %s: %s", p.path, strerror(errno));
        if (d) {
            walk_one(w, d, p.path, p.depth, p.leaf);
            closedir(d);
        }
        free(p.path);
    }
    free(w->todo);
    w->todo = NULL;
    return rc;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Maildir file names start with the delivery time: name order is time
 * order across folders. */
static int by_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = strcmp(base(x), base(y));
    return c ? c : strcmp(x, y);
}

static int file_day(int fd)
{
    struct stat st;
    struct tm tm;
    time_t t;
    if (fstat(fd, &st) != 0)
        return KDATE_NONE;
    t = st.st_mtime;
    if (!localtime_r(&t, &tm))
        return KDATE_NONE;
    return kdate_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Reads and parses one file; K_USAGE for a file that is not a message. */
static int read_message(const char *path, struct mail_msg *m, int *mday, struct kerr *e)
{
    char *buf = NULL;
    size_t n = 0;
    int rc;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return kerr_set(e, K_USAGE, "%s: %s", path, strerror(errno));
    *mday = file_day(fd);
    if ((rc = mail_read_head(fd, path, &buf, &n, e)) == K_OK &&
        (rc = mail_parse(buf, n, m, e)) != K_OK) {
        struct kerr why = *e;
        rc = kerr_set(e, K_USAGE, "%s: %s", path, why.msg);
    }
    close(fd);
    free(buf);
    return rc == K_OK ? K_OK : K_USAGE;
}

static void count(struct maillog_stats *st, const struct maillog_result *r, struct kstrlist *seen)
{
    switch (r->outcome) {
    case MAILLOG_LOGGED:
        st->logged++;
        for (size_t i = 0; i < r->contacts.n; i++)
            if (!kstrlist_has(seen, r->contacts.v[i]))
                kstrlist_add(seen, r->contacts.v[i]);
        st->contacts = seen->n;
        break;
    case MAILLOG_KNOWN:
        st->known++;
        break;
    case MAILLOG_NO_CONTACT:
        st->no_contact++;
        break;
    case MAILLOG_LIST:
        st->lists++;
        break;
    case MAILLOG_OLD:
        st->old++;
        break;
    }
}

int maillog_capture_maildir(struct journal *j, const char *dir, const struct maillog_opts *o,
                            int dry_run, maillog_progress_cb progress, void *ud,
                            struct maillog_stats *st, struct kerr *e)
{
    struct walk w = {0};
    struct kstrlist seen = {0};
    int rc, began = 0;
    memset(st, 0, sizeof *st);
    /* Without GMime every message would be skipped as unreadable. */
    if ((rc = mail_load(e)) != K_OK || (rc = walk_tree(&w, dir, e)) != K_OK)
        goto out;
    if (!w.maildirs) {
        rc = kerr_set(e, K_USAGE, "%s is not a Maildir: it has no cur/ or new/ folder", dir);
        goto out;
    }
    if (w.n)
        qsort(w.v, w.n, sizeof *w.v, by_name);
    st->files = w.n;
    if ((rc = journal_begin(j, e)) != K_OK)
        goto out;
    began = 1;
    for (size_t i = 0; i < w.n; i++) {
        if (progress && (i % 128 == 0))
            progress(i, w.n, ud);
        struct mail_msg m = {0};
        struct maillog_result r = {0};
        struct maillog_opts mo = *o;
        struct kerr why;
        kerr_clear(&why);
        if (read_message(w.v[i], &m, &mo.missing_date, &why) != K_OK) {
            if (!st->unreadable++)
                snprintf(st->first_bad, sizeof st->first_bad, "%.500s", why.msg);
            mail_msg_clear(&m);
            continue;
        }
        rc = maillog_message(j, &m, &mo, &r, e);
        if (rc == K_OK)
            count(st, &r, &seen);
        mail_msg_clear(&m);
        maillog_result_clear(&r);
        if (rc != K_OK)
            goto out;
    }
    if (progress)
        progress(w.n, w.n, ud);
    if (!dry_run) {
        rc = journal_commit(j, e);
        began = rc != K_OK;
    }
out:
    if (began)
        journal_rollback(j);
    for (size_t i = 0; i < w.n; i++)
        free(w.v[i]);
    free(w.v);
    kstrlist_clear(&seen);
    return rc;
}
