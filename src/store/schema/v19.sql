-- Version 19: the stamp of the latest record of each replica this
-- journal applied. Each delete of a contact carries them (put_knew in
-- ../dbsync.c), so that a replica meeting the delete tells what was logged
-- with the contact unseen by it; apply_rec in ../dbsync_record.c keeps
-- them from here. A journal synced before has no such record of what it
-- applied: its rows' stamps stand in for it (a row's stamp is that of the
-- record that wrote it, its columns' may be passed on by another's).
CREATE TABLE sync_knew (
 rep TEXT PRIMARY KEY NOT NULL,
 hlc INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO sync_knew(rep, hlc)
 SELECT rep, max(hlc)
 FROM sync_clock
 WHERE hlc > 0 AND rep <> ''
 GROUP BY rep;
