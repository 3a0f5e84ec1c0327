#include "kith/core/birthday.h"

#include "kith/store/dbbirthday.h"
#include "kith/util/kdate.h"

#include <stdio.h>
#include <string.h>

int birthday_upcoming(struct journal *j, int from, int days, struct birthday_list *out,
                      struct kerr *e)
{
    int rc = K_OK;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < days && rc == K_OK; i++) {
        int y, m, d;
        char md[8];
        kdate_to_ymd(from + i, &y, &m, &d);
        snprintf(md, sizeof md, "%02d-%02d", m, d);
        rc = dbbirthday_on(journal_db(j), md, from + i, out, e);
        /* In years without a 29 February those born on it celebrate on the
         * 28th. */
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (rc == K_OK && m == 2 && d == 28 && !leap)
            rc = dbbirthday_on(journal_db(j), "02-29", from + i, out, e);
    }
    if (rc != K_OK)
        birthday_list_clear(out);
    return rc;
}
