-- Version 10. kith's own sync between journals (dbsync.c), all of it this
-- journal's bookkeeping, none of it in the JSON export:
--
-- sync_self is the journal as a replica: its id, its hybrid logical clock,
-- how many of its transactions it has numbered, its last file in the
-- folder and the folder. sync_log holds its changes (session changesets,
-- ids for local keys) until they are written to the folder. sync_clock
-- has, per synced row (table and primary key as text), whether it is there
-- or was deleted, the stamp of that, and the stamps of columns changed
-- since ("column:hlc:replica;"): what the per-column rule compares; for
-- a deleted row, its last values (data), which an insert of the same row
-- made before a later change merges with (a day ticked again).
-- sync_parked holds changes that name a row deleted here (a contact kept
-- elsewhere against its delete may come back). sync_peer is what this
-- journal applied of each other replica, and when that replica was last
-- seen.
CREATE TABLE sync_self (
 id INTEGER PRIMARY KEY CHECK (id = 1),
 replica TEXT NOT NULL,
 hlc INTEGER NOT NULL DEFAULT 0,
 txseq INTEGER NOT NULL DEFAULT 0,
 fileseq INTEGER NOT NULL DEFAULT 0,
 dir TEXT);
CREATE TABLE sync_log (
 txseq INTEGER PRIMARY KEY,
 hlc INTEGER NOT NULL,
 changes BLOB NOT NULL);
CREATE TABLE sync_clock (
 tbl TEXT NOT NULL,
 pk TEXT NOT NULL,
 alive INTEGER NOT NULL,
 hlc INTEGER NOT NULL,
 rep TEXT NOT NULL,
 cols TEXT,
 data BLOB,
 PRIMARY KEY (tbl, pk)) WITHOUT ROWID;
CREATE TABLE sync_parked (
 id INTEGER PRIMARY KEY,
 replica TEXT NOT NULL,
 hlc INTEGER NOT NULL,
 tbl TEXT NOT NULL,
 pk TEXT NOT NULL,
 changes BLOB NOT NULL);
CREATE INDEX sync_parked_by_row ON sync_parked(tbl, pk);
CREATE TABLE sync_peer (
 replica TEXT PRIMARY KEY NOT NULL,
 fileseq INTEGER NOT NULL DEFAULT 0,
 seen TEXT,
 applied_at TEXT) WITHOUT ROWID;
