/* Status codes and error messages shared by every layer.
 *
 * Functions that can fail return an int status (K_OK on success) and, when a
 * struct kerr is passed, leave a one-line message there for the caller to
 * show. The core never prints: the front ends decide how to present it. */
#ifndef KITH_KERR_H
#define KITH_KERR_H

#include <stddef.h>

enum kstatus {
    K_OK = 0,
    K_ERR = 1,         /* the operation failed; nothing was written */
    K_USAGE = 2,       /* bad input from the user: a flag, a date, an ambiguity */
    K_NOTFOUND = 3,    /* no such contact, referral, ... */
    K_EXISTS = 4,      /* refusing to overwrite */
    K_INTERRUPTED = 5, /* stopped by the caller's interrupt (journal_set_interrupt) */
};

#define KERR_MSG_MAX 2048

struct kerr {
    int status;
    char msg[KERR_MSG_MAX];
    /* The input field the message is about ("date", "email", "map", ...),
     * or "": a form puts the cursor there, a command line can tell an
     * option's error from the command's without reading the message. */
    char field[24];
};

/* Records status and a printf-style message in e (which may be NULL), with
 * no field, and returns status, so callers can write
 * `return kerr_set(e, K_USAGE, ...)`. A message cut at KERR_MSG_MAX ends
 * on a whole UTF-8 character. */
int kerr_set(struct kerr *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As kerr_set, naming the field the message is about. */
int kerr_set_field(struct kerr *e, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Names the field of the message already in e; returns e's status (K_ERR
 * when e is NULL). */
int kerr_field(struct kerr *e, const char *field);
/* Resets e to K_OK with an empty message. Accepts NULL. */
void kerr_clear(struct kerr *e);
/* The exit status a command-line front end should use for a status:
 * 0 for K_OK, 2 for K_USAGE, 1 for everything else. */
int kerr_exit_code(int status);

#endif
