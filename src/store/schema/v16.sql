-- Version 16: whether the sync folder is a git work tree to pull from and
-- push to (sync_self.git: 1 for 'kith sync DIR --git', 0 for --no-git,
-- NULL when never said: then the folder's being the top of a work tree
-- decides), so that 'kith sync' alone syncs as the last one said.
-- And the bytes of each changeset file this replica wrote, kept
-- until every other replica in the folder has applied that file. A file
-- damaged in the folder (cut short, changed) can then be written again,
-- byte for byte, instead of blocking every replica that has not applied
-- it yet (see repair in ../../core/sync.c). This journal's own: neither
-- synced (its name starts with sync_) nor in the undo history.
CREATE TABLE sync_file (
 fileseq INTEGER PRIMARY KEY,
 body BLOB NOT NULL);
ALTER TABLE sync_self ADD COLUMN git INTEGER CHECK (git IN (0, 1));
