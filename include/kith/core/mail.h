/* Mail messages as kith reads them: the headers of one RFC 5322 message,
 * parsed by GMime (encoded words, address lists, dates and charsets are its
 * job). Nothing of GMime shows above this header. */
#ifndef KITH_MAIL_H
#define KITH_MAIL_H

#include "kith/util/kerr.h"
#include "kith/util/model.h"

#include <stddef.h>

/* The most of a message's header kith reads; the body is never needed. */
#define MAIL_HEAD_MAX ((size_t)256 * 1024)

struct mail_addr {
    char *name;  /* the decoded display name, or NULL */
    char *email; /* lower case */
};

struct mail_msg {
    char *message_id; /* without the angle brackets; NULL when the message has none */
    char *key;        /* message_id, or for a message without one a digest of its
                         Date, From, To, Cc and Subject: what makes it the same message */
    char *subject;    /* decoded, one line, at most CHECK_SHORT_MAX bytes; NULL when none */
    int date;         /* the Date header's day in local time; KDATE_NONE without one */
    int list;         /* mailing-list or automatic mail (List-Id, List-Post,
                         Precedence: list/bulk/junk, Auto-Submitted) */
    struct mail_addr *from;
    size_t nfrom;
    struct mail_addr *rcpt; /* To, Cc and Bcc, in that order, each address once */
    size_t nrcpt;
};

/* Loads GMime, which only the commands that read mail need (mail_parse
 * loads it too): K_ERR with a message naming the library when it cannot. */
int mail_load(struct kerr *e);

/* Parses the message (its header is enough) in the n bytes at buf; a
 * leading mbox "From " line is skipped. K_USAGE when it has no header or
 * no address at all. The caller clears out with mail_msg_clear, also on
 * failure. */
int mail_parse(const char *buf, size_t n, struct mail_msg *out, struct kerr *e);
void mail_msg_clear(struct mail_msg *m);

/* Reads the header of a message from fd: up to and including the blank
 * line that ends it, or to the end of the input. K_USAGE when it is longer
 * than MAIL_HEAD_MAX. *buf is a new NUL-terminated string (free()); bytes
 * read past the header are dropped. what names the input in messages. */
int mail_read_head(int fd, const char *what, char **buf, size_t *n, struct kerr *e);

#endif
