-- Version 16: the bytes of each changeset file this replica wrote, kept
-- until every other replica in the folder has applied that file. A file
-- damaged in the folder (cut short, changed) can then be written again,
-- byte for byte, instead of blocking every replica that has not applied
-- it yet (see repair in ../../core/sync.c). This journal's own: neither
-- synced (its name starts with sync_) nor in the undo history.
CREATE TABLE sync_file (
 fileseq INTEGER PRIMARY KEY,
 body BLOB NOT NULL);
