-- Version 4. The row that ties a write-ahead log to its journal (see
-- kith/store/dbfile.h): one row, moved on by every commit that changes the
-- journal (db_commit). It is the journal's bookkeeping, not the user's
-- data: the JSON export leaves it out, and a journal restored from JSON
-- starts a lineage of its own.
CREATE TABLE kith_state (id INTEGER PRIMARY KEY CHECK (id = 1), v BLOB NOT NULL);
INSERT INTO kith_state(id, v) VALUES (1, kith_state_next(NULL));
