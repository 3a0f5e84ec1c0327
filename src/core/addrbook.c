#include "kith/core/addrbook.h"

#include "kith/store/dbmail.h"
#include "kith/util/kstr.h"

#include <stdlib.h>

int addrbook_query(struct journal *j, const char *text, addrbook_addr_cb cb, void *ud,
                   struct kerr *e)
{
    char *fold = kstr_fold_key(text ? text : "");
    int rc = dbmail_query(journal_db(j), fold, cb, ud, e);
    free(fold);
    return rc;
}

int addrbook_names(struct journal *j, const char *prefix, size_t limit, addrbook_name_cb cb,
                   void *ud, struct kerr *e)
{
    char *fold = kstr_fold_key(prefix ? prefix : "");
    int rc = dbmail_names(journal_db(j), fold, limit, cb, ud, e);
    free(fold);
    return rc;
}
