#include "kith/store/dbbirthday.h"

#include "db_internal.h"
#include "kith/util/kstr.h"

#include <stdlib.h>
#include <string.h>

int dbbirthday_on(struct db *db, const char *md, int day, struct birthday_list *out, struct kerr *e)
{
    /* The partial index of contacts with a birthday: in name order the
     * planner walked every live contact, once a day of the Give view's
     * week (0.7-1 s at 100k contacts). */
    /* clang-format off */
    sqlite3_stmt *st = db_stmt(db,
        "SELECT id, name"
        " FROM contact INDEXED BY contact_with_birthday"
        " WHERE archived = 0 AND birthday IS NOT NULL AND substr(birthday, -5) = ?1"
        " ORDER BY name_fold"
        " LIMIT 100",
        e);
    /* clang-format on */
    int s;
    if (!st)
        return K_ERR;
    db_bind_text(st, 1, md);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        out->v = kgrowarray(out->v, out->n, sizeof *out->v);
        struct birthday *b = &out->v[out->n++];
        db_col_id(st, 0, b->contact.id);
        b->contact.name = db_col_text(st, 1);
        b->on = day;
    }
    sqlite3_reset(st);
    return s == SQLITE_DONE ? K_OK : db_fail(db, e, "reading birthdays");
}
