-- Version 7. Folders kith keeps in step with other programs (a vdir:
-- one vCard or iCalendar file per item, as khard, khal and vdirsyncer
-- read them), and the conflicts a sync resolved.
--
-- vdir_item is what kith last wrote to (or agreed with in) each file of
-- such a folder: the item it holds (a contact id, or a reminder's or
-- birthday's key), a hash of the text, the text itself (the base a
-- three-way merge compares both sides with) and the file's size, mtime
-- and inode as kith last saw them (a file whose stat moved was changed by
-- someone else). It lives in the journal, not in the folder, so that it
-- commits in the same transaction as the contacts an import changes, and
-- so that a folder synced elsewhere never carries one journal's state to
-- another. There is no foreign key to contact: the export must still
-- find the rows of deleted contacts, to remove their files.
--
-- sync_conflict is one row per field both sides changed differently:
-- where the other value came from (source 'vdir' with the file as place;
-- a replica for kith's own sync), what it is about, the value kept and
-- the one not taken, and the rule that decided. shown counts for a front
-- end that tells about each conflict once.
--
-- Both are this journal's bookkeeping, like kith_state: the JSON export
-- leaves them out (a folder path is this machine's; each replica lists the
-- conflicts it resolved itself).
CREATE TABLE vdir_item (
 id INTEGER PRIMARY KEY,
 dir TEXT NOT NULL,
 name TEXT NOT NULL,
 kind TEXT NOT NULL CHECK (kind IN ('contact','todo','event')),
 ref TEXT NOT NULL,
 hash INTEGER NOT NULL,
 size INTEGER NOT NULL, mtime INTEGER NOT NULL, ino INTEGER NOT NULL,
 base TEXT NOT NULL,
 UNIQUE (dir, name));
CREATE INDEX vdir_item_by_ref ON vdir_item(dir, kind, ref);
CREATE TABLE sync_conflict (
 id INTEGER PRIMARY KEY,
 at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 source TEXT NOT NULL,
 place TEXT NOT NULL,
 entity TEXT NOT NULL,
 entity_id TEXT NOT NULL,
 field TEXT NOT NULL,
 kept TEXT,
 other TEXT,
 rule TEXT NOT NULL,
 shown INTEGER NOT NULL DEFAULT 0);
CREATE INDEX sync_conflict_by_entity ON sync_conflict(entity, entity_id, id);
