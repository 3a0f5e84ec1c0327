-- Version 13: challenge numbers are no longer unique. Two machines that
-- each start a challenge before they sync both number theirs max + 1; with
-- a unique number each journal kept only its own. The running challenge is
-- the one with the highest number, then the latest start, then the
-- greatest id: the same on every machine. The table is rebuilt, as SQLite
-- documents for a constraint ALTER TABLE cannot drop (foreign keys are off
-- during a migration; challenge_tick names the table, not its rowids).
CREATE TABLE challenge_v13 (
 id TEXT PRIMARY KEY NOT NULL,
 seq INTEGER NOT NULL,
 started_on TEXT NOT NULL,
 days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
INSERT INTO challenge_v13(id, seq, started_on, days, created_at)
 SELECT id, seq, started_on, days, created_at FROM challenge;
DROP TABLE challenge;
ALTER TABLE challenge_v13 RENAME TO challenge;
CREATE INDEX challenge_by_seq ON challenge(seq, started_on, id);
