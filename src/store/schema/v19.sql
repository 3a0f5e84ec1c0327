-- Version 19: the latest stamp this journal holds of each replica's
-- changes, among its rows' and their columns' in sync_clock (entries 0
-- and up: the others note what became of a row, some of them what another
-- replica had). Each delete of a contact carries them (put_knew in
-- ../dbsync.c), so that a replica meeting the delete tells what was logged
-- with the contact unseen by it; read from sync_clock at each delete, they
-- cost a scan of every row synced. dbsync_clock_put keeps them from here.
CREATE TABLE sync_knew (
 rep TEXT PRIMARY KEY NOT NULL,
 hlc INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO sync_knew(rep, hlc)
 WITH RECURSIVE e(rest, ent) AS (
 SELECT cols, NULL
 FROM sync_clock
 WHERE cols IS NOT NULL
 UNION ALL
 SELECT substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
 FROM e
 WHERE instr(rest, ';') > 0),
 s(rep, hlc) AS (
 SELECT rep, hlc
 FROM sync_clock
 UNION ALL
 SELECT substr(r, instr(r, ':') + 1), CAST(substr(r, 1, instr(r, ':') - 1) AS INTEGER)
 FROM (SELECT substr(ent, instr(ent, ':') + 1) AS r
 FROM e
 WHERE ent IS NOT NULL AND ent NOT LIKE '-%'))
 SELECT rep, max(hlc)
 FROM s
 WHERE hlc > 0 AND rep <> ''
 GROUP BY rep;
