-- Version 8: the per-contact summary (see db_internal.h), built here from
-- the journal's interactions, and the goodwill weights its balances use:
-- db_open's defaults (those of config.example.yaml) until a config with
-- others reads a balance (dbsummary_ready). Thank-yous get an index by
-- date for everyone's timeline, read a window at a time. Nothing of this
-- is exported: it is derived from what is.
CREATE TABLE goodwill_weight (
 kind TEXT NOT NULL, direction TEXT NOT NULL, w INTEGER NOT NULL,
 PRIMARY KEY (kind, direction)) WITHOUT ROWID;
INSERT INTO goodwill_weight(kind, direction, w) VALUES
 ('*', 'gave', 1), ('*', 'asked', -1), ('*', 'mutual', 0),
 ('intro', 'gave', 3), ('intro', 'asked', -3), ('intro', 'mutual', 0),
 ('referral', 'gave', 3), ('referral', 'asked', -3), ('referral', 'mutual', 0);
--@ contact_summary
CREATE INDEX thanks_by_date ON thanks(date, id);
