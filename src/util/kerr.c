#include "kith/util/kerr.h"

#include "kith/util/kstr.h"

#include <stdarg.h>
#include <stdio.h>

static void vset(struct kerr *e, int status, const char *field, const char *fmt, va_list ap)
{
    int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    /* A message quoting a long name must not end in half a character. */
    if (n >= (int)sizeof e->msg)
        e->msg[utf8_cut(e->msg, sizeof e->msg - 1)] = '\0';
    e->status = status;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
}

int kerr_set(struct kerr *e, int status, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vset(e, status, NULL, fmt, ap);
        va_end(ap);
    }
    return status;
}

int kerr_set_field(struct kerr *e, int status, const char *field, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vset(e, status, field, fmt, ap);
        va_end(ap);
    }
    return status;
}

int kerr_field(struct kerr *e, const char *field)
{
    if (!e)
        return K_ERR;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    return e->status;
}

void kerr_clear(struct kerr *e)
{
    if (e) {
        e->status = K_OK;
        e->msg[0] = '\0';
        e->field[0] = '\0';
    }
}

int kerr_exit_code(int status)
{
    if (status == K_OK)
        return 0;
    if (status == K_USAGE)
        return 2;
    return 1;
}
