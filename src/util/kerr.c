#include "kith/kerr.h"

#include <stdarg.h>
#include <stdio.h>

int kerr_set(struct kerr *e, int status, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->status = status;
    }
    return status;
}

void kerr_clear(struct kerr *e)
{
    if (e) {
        e->status = K_OK;
        e->msg[0] = '\0';
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
