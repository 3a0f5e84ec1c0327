-- Version 6. The undo history (dbhistory.c): each recorded action's
-- changes as an SQLite session changeset, per front end ("origin"). It is
-- this journal's local state, like reminder_state's notified_at, and not
-- part of the JSON export: it describes edits, not the relationships.
CREATE TABLE history (
 seq INTEGER PRIMARY KEY,
 origin TEXT NOT NULL,
 label TEXT NOT NULL,
 state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone')),
-- NULL: bulk work, kept as a mark only
 changes BLOB,
 at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX history_by_origin ON history(origin, state, seq);
