/* CLI: a resolved conflict (struct kconflict) as JSON, one writer for every
 * command that lists them (kith sync, kith vdir). */
#ifndef KITH_CLI_CONFLICT_H
#define KITH_CLI_CONFLICT_H

#include "kith/core/journal.h"
#include "kith/util/kstr.h"
#include "kith/util/model.h"

/* The keys a command names a conflict's parts by. */
enum cli_conflict_keys {
    CLI_CONFLICT_SYNC, /* at, replica, entity, id, name, field, kept, other, rule */
    CLI_CONFLICT_VDIR, /* contact_id, name, field, kept, other, file, rule */
};

/* Appends c to b as one JSON object; NULL strings are null. */
void cli_conflict_json(struct journal *j, struct sbuf *b, const struct kconflict *c,
                       enum cli_conflict_keys keys);

/* Appends s to b as a JSON string (as the journal quotes it), or null. */
void cli_conflict_quote(struct journal *j, struct sbuf *b, const char *s);

/* s on one line, its lines joined with "; " (a new string; "" for NULL),
 * for a conflict's value in a sentence. */
char *cli_conflict_one_line(const char *s);

#endif
