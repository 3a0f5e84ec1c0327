-- Schema version 1. Dates are TEXT YYYY-MM-DD; ids are 32 hex characters.
-- interaction_contact repeats each interaction's date, kind and direction so
-- that a contact's timeline, last interaction and goodwill are index range
-- scans rather than joins over the whole interaction table.
CREATE TABLE contact (
 id TEXT PRIMARY KEY NOT NULL,
 name TEXT NOT NULL,
 name_fold TEXT NOT NULL,
 company TEXT, title TEXT, location TEXT, how_met TEXT, met_on TEXT,
 birthday TEXT, note TEXT, working_on TEXT,
 archived INTEGER NOT NULL DEFAULT 0,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX contact_by_name ON contact(name_fold, id);
-- Covers the default list (live contacts by name), so a page deep in a
-- large journal skips index entries rather than table rows.
CREATE INDEX contact_live_by_name ON contact(archived, name_fold, id);
CREATE TABLE contact_detail (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 type TEXT NOT NULL CHECK (type IN ('email','phone','link')),
 value TEXT NOT NULL,
 position INTEGER NOT NULL,
 PRIMARY KEY (contact_id, type, value)) WITHOUT ROWID;
CREATE INDEX contact_detail_by_value ON contact_detail(type, value);
CREATE TABLE contact_tag (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 tag TEXT NOT NULL,
 PRIMARY KEY (contact_id, tag)) WITHOUT ROWID;
CREATE INDEX contact_tag_by_tag ON contact_tag(tag, contact_id);
CREATE TABLE interaction (
 id TEXT PRIMARY KEY NOT NULL,
 date TEXT NOT NULL,
 kind TEXT NOT NULL,
 direction TEXT NOT NULL CHECK (direction IN ('gave','asked','mutual')),
 summary TEXT, note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX interaction_by_date ON interaction(date, id);
CREATE TABLE interaction_contact (
 interaction_id TEXT NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 date TEXT NOT NULL, kind TEXT NOT NULL, direction TEXT NOT NULL,
 PRIMARY KEY (interaction_id, contact_id)) WITHOUT ROWID;
CREATE INDEX interaction_contact_by_contact
 ON interaction_contact(contact_id, date, kind, direction, interaction_id);
CREATE TABLE referral (
 id TEXT PRIMARY KEY NOT NULL,
 referrer_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 target_contact_id TEXT REFERENCES contact(id) ON DELETE SET NULL,
 target_text TEXT,
 kind TEXT NOT NULL,
 date TEXT NOT NULL,
 outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN
  ('pending','meeting','interview','offer','hired','won','lost','none')),
 parent_id TEXT REFERENCES referral(id) ON DELETE SET NULL,
 note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 CHECK (target_contact_id IS NOT NULL OR target_text IS NOT NULL));
CREATE INDEX referral_by_referrer ON referral(referrer_id, date);
CREATE INDEX referral_by_date ON referral(date, id);
CREATE INDEX referral_by_parent ON referral(parent_id);
CREATE INDEX referral_by_target ON referral(target_contact_id);
CREATE TABLE referral_event (
 id TEXT PRIMARY KEY NOT NULL,
 referral_id TEXT NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
 date TEXT NOT NULL, outcome TEXT NOT NULL, note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX referral_event_by_referral ON referral_event(referral_id, date);
CREATE TABLE thanks (
 id TEXT PRIMARY KEY NOT NULL,
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 date TEXT NOT NULL,
 form TEXT NOT NULL,
 referral_id TEXT REFERENCES referral(id) ON DELETE SET NULL,
 interaction_id TEXT REFERENCES interaction(id) ON DELETE SET NULL,
 note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX thanks_by_contact ON thanks(contact_id, date);
CREATE INDEX thanks_by_referral ON thanks(referral_id);
CREATE INDEX thanks_by_interaction ON thanks(interaction_id);
CREATE TABLE challenge (
 id TEXT PRIMARY KEY NOT NULL,
 seq INTEGER NOT NULL UNIQUE,
 started_on TEXT NOT NULL,
 days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE challenge_tick (
 challenge_id TEXT NOT NULL REFERENCES challenge(id) ON DELETE CASCADE,
 date TEXT NOT NULL,
 note TEXT,
 interaction_id TEXT REFERENCES interaction(id) ON DELETE SET NULL,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 PRIMARY KEY (challenge_id, date)) WITHOUT ROWID;
CREATE INDEX challenge_tick_by_interaction ON challenge_tick(interaction_id);
-- Reminders are derived from rules at run time; only what the user did
-- with one (done, snoozed, notified) is stored, keyed by rule, subject
-- and the date its trigger fired.
CREATE TABLE reminder_state (
 rule TEXT NOT NULL, subject TEXT NOT NULL, fired_on TEXT NOT NULL,
 done_on TEXT, snoozed_until TEXT, notified_at TEXT,
 PRIMARY KEY (rule, subject, fired_on)) WITHOUT ROWID;
-- Full-text search. Rowids follow the content tables' rowids so that
-- triggers keep the index exact with cheap deletes.
CREATE VIRTUAL TABLE contact_fts USING fts5(
 name, company, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE interaction_fts USING fts5(
 summary, note, tokenize = 'unicode61 remove_diacritics 2');
--@ contact_fts_v1
CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN
 DELETE FROM contact_fts WHERE rowid = old.rowid;
 END;
CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN
 INSERT INTO interaction_fts(rowid, summary, note) VALUES (new.rowid, new.summary,
  new.note);
 END;
CREATE TRIGGER interaction_fts_au AFTER UPDATE ON interaction BEGIN
 DELETE FROM interaction_fts WHERE rowid = old.rowid;
 INSERT INTO interaction_fts(rowid, summary, note) VALUES (new.rowid, new.summary,
  new.note);
 END;
CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN
 DELETE FROM interaction_fts WHERE rowid = old.rowid;
 END;
