/* Store: SQL for importing, exporting and restoring whole journals. Called
 * by the core's transfer module only; none of these functions opens a
 * transaction, so that a whole import is one. */
#ifndef KITH_DBTRANSFER_H
#define KITH_DBTRANSFER_H

#include "kith/store/db.h"
#include "kith/util/model.h"

/* The version of the JSON document dbtransfer_export_json writes. */
#define DBTRANSFER_JSON_VERSION 4

/* The contact whose name equals name without regard to case (accents
 * count; the first by archived, then id, when several match) into id; K_NOTFOUND when none. */
int dbtransfer_find_name(struct db *db, const char *name, char id[KID_LEN + 1], struct kerr *e);

/* The contacts, among those whose key is at most max_key, whose name
 * equals name without regard to case (accents count), by archived, then
 * id: at most max ids into ids (each KID_LEN + 1 bytes), their number
 * into *n. */
int dbtransfer_find_names(struct db *db, const char *name, long long max_key, size_t max,
                          char (*ids)[KID_LEN + 1], size_t *n, struct kerr *e);
/* The largest contact key (0 for none): the contacts an import finds
 * there before it adds any. */
int dbtransfer_max_key(struct db *db, long long *out, struct kerr *e);

/* A large page cache for the duration of a bulk import (on), or the usual
 * one again (off). Random ids scatter inserts over every index; with the
 * usual cache a 100k-card import spends most of its time spilling and
 * re-reading pages. Also skips CHECK constraints, which only guard values
 * the import writes from fixed lists, and foreign keys, which its rows
 * always satisfy (see dbtransfer.c). Call outside a transaction. */
int dbtransfer_bulk(struct db *db, int on, struct kerr *e);

/* What an import put off until its end (dbtransfer_defer): mark is the
 * largest contact key before it (-1: nothing was put off); indexes holds
 * the CREATE INDEX statements of the indexes dropped meanwhile (n of them;
 * owned, freed by catch_up or dbtransfer_deferred_free). */
struct dbtransfer_deferred {
    long long mark;
    char **indexes;
    size_t n;
};

/* Inside an import's transaction: stop indexing each new contact for
 * full-text search and giving it a summary row as it is inserted (d->mark
 * remembers where the new ones start), then do both for all of them in one
 * statement each and put the triggers back (catch_up, before the commit).
 * With no_contacts (the journal has no contact), the secondary indexes of
 * the contact tables are dropped as well and built once at the end; any
 * look-up of the import's own rows needs them first (dbtransfer_indexes).
 * A rollback undoes all of it. */
int dbtransfer_defer(struct db *db, int no_contacts, struct dbtransfer_deferred *d, struct kerr *e);
/* Builds the indexes d put off, now (nothing when there are none). */
int dbtransfer_indexes(struct db *db, struct dbtransfer_deferred *d, struct kerr *e);
int dbtransfer_catch_up(struct db *db, struct dbtransfer_deferred *d, struct kerr *e);
void dbtransfer_deferred_free(struct dbtransfer_deferred *d);

/* Every contact, archived ones too, in name order, with all its details
 * (as dbcontact_get). The contact is valid only during the call; cb
 * returns nonzero to stop. */
typedef int (*dbtransfer_contact_cb)(const struct contact *c, void *ud);
int dbtransfer_each_contact(struct db *db, dbtransfer_contact_cb cb, void *ud, struct kerr *e);

/* Every contact that is not archived and has a birthday ("MM-DD" or
 * "YYYY-MM-DD"), in name order. Valid only during the call. */
typedef int (*dbtransfer_birthday_cb)(const struct kref *c, const char *birthday, void *ud);
int dbtransfer_each_birthday(struct db *db, dbtransfer_birthday_cb cb, void *ud, struct kerr *e);

/* *empty = 1 when the journal holds no contact, interaction, referral,
 * thank-you, challenge or reminder state. */
int dbtransfer_empty(struct db *db, int *empty, struct kerr *e);

/* The whole journal as one JSON document, built by SQLite's JSON functions
 * and handed to cb in pieces (a header, one piece per row, separators), so
 * that it is never one string in memory. Rows come in id order, so two
 * exports of the same journal are identical byte for byte. The document:
 *   {"format":"kith","version":3,
 *    "contacts":[{id,name,company,title,location,how_met,met_on,birthday,
 *                 note,working_on,archived,emails,phones,links,tags,
 *                 created_at,updated_at,
 *                 (version 3: what an import keeps)
 *                 n:{family,given,additional,prefix,suffix},nicknames,uids,
 *                 details:[{type,value,label,property,valid}],
 *                 addresses:[{label,pobox,ext,street,locality,region,code,country}],
 *                 events:[{label,date}],vcard:[line]}],
 *    "interactions":[{id,date,kind,direction,summary,note,contacts,created_at}],
 *    "messages":[{message_id,interaction}],   (version 2: mail logged)
 *    "referrals":[{id,referrer,target_contact,target_text,kind,date,outcome,
 *                  parent,note,created_at,events:[{id,date,outcome,note,created_at}]}],
 *    "thanks":[{id,contact,date,form,referral,interaction,note,created_at}],
 *    "challenges":[{id,seq,started_on,days,created_at,ticks:[{date,note,interaction,created_at}]}],
 *    "reminder_state":[{rule,subject,fired_on,done_on,snoozed_until,notified_at}]} */
int dbtransfer_export_json(struct db *db, kjson_cb cb, void *ud, struct kerr *e);

/* K_OK when doc (NUL-terminated UTF-8) is valid JSON with "format": "kith"
 * and a version this kith reads; K_USAGE with a message (no file name)
 * otherwise. */
int dbtransfer_json_header(struct db *db, const char *doc, struct kerr *e);
/* Every node of such a document in document order: its path as SQLite's
 * json_tree writes it ("$.contacts[0].name"), its JSON type ("object",
 * "array", "text", "integer", "real", "true", "false", "null") and, for a
 * scalar, its value as text (n bytes; strings decoded). All valid only
 * during the call. cb returns K_OK to go on; anything else stops the walk
 * and is returned. */
typedef int (*dbtransfer_node_cb)(const char *path, const char *type, const char *value, size_t n,
                                  void *ud);
int dbtransfer_json_nodes(struct db *db, const char *doc, dbtransfer_node_cb cb, void *ud,
                          struct kerr *e);
/* Inserts every row of such a document with its ids. The caller holds the
 * transaction, has checked that the journal is empty and has checked each
 * value (transfer_import_json does, with the rules of every other path).
 * What only the rows together can break is checked here: duplicates,
 * references to rows the document lacks, a referral growing out of a later
 * one or, through its parents, out of itself, a referral to its own
 * referrer, a thank-you for someone else's referral, a tick outside its
 * challenge. K_USAGE with a message (no file name) for any of them.
 * Documents of versions 1 and 2 (without the members later versions
 * added) are read too. */
int dbtransfer_import_json(struct db *db, const char *doc, struct kerr *e);

#endif
