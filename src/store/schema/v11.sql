-- Version 11: giving first. A contact's needs (what they are looking for)
-- and offers (what they can help others with), one short item a line, which
-- full-text search reads too; a keep-in-touch cadence of its own in days.
-- A pay-it-forward is a gift expecting nothing, to a contact or to someone
-- not in the journal: a row of its own, so that goodwill (which weighs
-- interactions) never sees it, which a challenge day can name as its act.
ALTER TABLE contact ADD COLUMN needs TEXT;
ALTER TABLE contact ADD COLUMN offers TEXT;
ALTER TABLE contact ADD COLUMN cadence_days INTEGER
 CHECK (cadence_days IS NULL OR cadence_days BETWEEN 1 AND 3650);
-- For kith ideas: the few contacts with needs or a cadence, without a
-- pass over all.
CREATE INDEX contact_with_needs ON contact(archived, key) WHERE needs IS NOT NULL;
CREATE INDEX contact_with_cadence ON contact(archived, key) WHERE cadence_days IS NOT NULL;
DROP TRIGGER contact_fts_ai;
DROP TRIGGER contact_fts_au;
--@ contact_fts
CREATE TABLE forward (
 id TEXT PRIMARY KEY NOT NULL,
 date TEXT NOT NULL,
 text TEXT NOT NULL,
 contact_id TEXT REFERENCES contact(id) ON DELETE CASCADE,
 note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX forward_by_date ON forward(date, id);
CREATE INDEX forward_by_contact ON forward(contact_id, date);
ALTER TABLE challenge_tick ADD COLUMN forward_id TEXT
 REFERENCES forward(id) ON DELETE SET NULL;
CREATE INDEX challenge_tick_by_forward ON challenge_tick(forward_id);
