-- Version 18: the size and the last 8 bytes (the checksum) of each
-- changeset file this replica wrote, kept after its bytes are not (a file
-- over 1 MB, or older than the newest 8 MB: sync_file). Another journal
-- that writes as this replica (a copy of it) writes its own file under a
-- number this one wrote, and the tool that syncs the folder keeps one of
-- the two; with these, this journal tells every file of its own in the
-- folder from the other's, not only those whose bytes it kept (see
-- twin_files in ../../core/sync.c). The files whose bytes are kept give
-- theirs. This journal's own, as sync_file.
CREATE TABLE sync_file_sum (
 fileseq INTEGER PRIMARY KEY,
 size INTEGER NOT NULL,
 tail BLOB NOT NULL);
INSERT INTO sync_file_sum(fileseq, size, tail)
 SELECT fileseq, length(body), substr(body, -8)
 FROM sync_file;
