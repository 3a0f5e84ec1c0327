#include "kith/trash.h"

#include "kith/dbcontact.h"
#include "kith/dbdupes.h"
#include "kith/dupes.h"
#include "kith/dbtrash.h"

int trash_delete_contact(struct journal *j, const char *id, struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbtrash_save_contact(db, id, e)) != K_OK ||
        (rc = dbcontact_delete(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}

int trash_undo(struct journal *j, char id[KID_LEN + 1], struct kerr *e)
{
    struct db *db = journal_db(j);
    int rc;
    if (dbdupes_can_undo(db))
        return dupes_undo(j, id, e);
    if ((rc = db_begin(db, e)) != K_OK)
        return rc;
    if ((rc = dbtrash_restore(db, id, e)) != K_OK || (rc = db_commit(db, e)) != K_OK)
        db_rollback(db);
    return rc;
}
