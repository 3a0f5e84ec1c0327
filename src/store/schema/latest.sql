-- A new journal at the newest version (15), in one script: what v01.sql
-- and every later file make of an empty file, without making each version
-- on the way (7% of a 10k-card import into a new journal went into
-- building and rebuilding the 14 versions). The files vNN.sql stay the
-- history that upgrades an existing journal; this one must make exactly
-- what they make: test_db's test_new_journal_is_migrated compares the
-- schema (each object's text, as sqlite_schema keeps it), the version and
-- every table's rows of a journal made here with one made from v01.sql and
-- upgraded. Objects are in the order the upgraded journal has them
-- (SQLite compiles a table's triggers newest first: see
-- DB_LINK_FTS_TRIGGERS in ../db_internal.h). Lines are joined as in every
-- file here, so a statement may be broken before any space. A new version
-- changes this file too: add what it creates, and change what it alters,
-- to read as the upgraded journal's sqlite_schema does.
CREATE TABLE contact_detail ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 type TEXT NOT NULL CHECK (type IN ('email','phone','link')), value TEXT NOT NULL, position
 INTEGER NOT NULL, label TEXT, prop TEXT, PRIMARY KEY (contact_id, type, value)) WITHOUT ROWID;
CREATE INDEX contact_detail_by_value ON contact_detail(type, value);
CREATE TABLE contact_tag ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 tag TEXT NOT NULL, spelling TEXT, PRIMARY KEY (contact_id, tag)) WITHOUT ROWID;
CREATE INDEX contact_tag_by_tag ON contact_tag(tag, contact_id);
CREATE TABLE interaction ( id TEXT PRIMARY KEY NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL,
 direction TEXT NOT NULL CHECK (direction IN ('gave','asked','mutual')), summary TEXT, note
 TEXT, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX interaction_by_date ON interaction(date, id);
CREATE TABLE referral ( id TEXT PRIMARY KEY NOT NULL, referrer_id TEXT NOT NULL REFERENCES
 contact(id) ON DELETE CASCADE, target_contact_id TEXT REFERENCES contact(id) ON DELETE SET
 NULL, target_text TEXT, kind TEXT NOT NULL, date TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT
 'pending' CHECK (outcome IN
  ('pending','meeting','interview','offer','hired','won','lost','none')), parent_id TEXT
 REFERENCES referral(id) ON DELETE SET NULL, note TEXT, created_at TEXT NOT NULL DEFAULT
 (strftime('%Y-%m-%dT%H:%M:%fZ','now')), CHECK (target_contact_id IS NOT NULL OR target_text IS
 NOT NULL));
CREATE INDEX referral_by_referrer ON referral(referrer_id, date);
CREATE INDEX referral_by_date ON referral(date, id);
CREATE INDEX referral_by_parent ON referral(parent_id);
CREATE INDEX referral_by_target ON referral(target_contact_id);
CREATE TABLE referral_event ( id TEXT PRIMARY KEY NOT NULL, referral_id TEXT NOT NULL REFERENCES
 referral(id) ON DELETE CASCADE, date TEXT NOT NULL, outcome TEXT NOT NULL, note TEXT,
 created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX referral_event_by_referral ON referral_event(referral_id, date);
CREATE TABLE thanks ( id TEXT PRIMARY KEY NOT NULL, contact_id TEXT NOT NULL REFERENCES
 contact(id) ON DELETE CASCADE, date TEXT NOT NULL, form TEXT NOT NULL, referral_id TEXT
 REFERENCES referral(id) ON DELETE SET NULL, interaction_id TEXT REFERENCES interaction(id) ON
 DELETE SET NULL, note TEXT, created_at TEXT NOT NULL DEFAULT
 (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX thanks_by_contact ON thanks(contact_id, date);
CREATE INDEX thanks_by_referral ON thanks(referral_id);
CREATE INDEX thanks_by_interaction ON thanks(interaction_id);
CREATE TABLE challenge_tick ( challenge_id TEXT NOT NULL REFERENCES challenge(id) ON DELETE
 CASCADE, date TEXT NOT NULL, note TEXT, interaction_id TEXT REFERENCES interaction(id) ON
 DELETE SET NULL, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 forward_id TEXT REFERENCES forward(id) ON DELETE SET NULL, PRIMARY KEY (challenge_id, date))
 WITHOUT ROWID;
CREATE INDEX challenge_tick_by_interaction ON challenge_tick(interaction_id);
CREATE TABLE reminder_state ( rule TEXT NOT NULL, subject TEXT NOT NULL, fired_on TEXT NOT NULL,
 done_on TEXT, snoozed_until TEXT, notified_at TEXT, PRIMARY KEY (rule, subject, fired_on))
 WITHOUT ROWID;
CREATE VIRTUAL TABLE contact_fts USING fts5( name, company, body, tokenize = 'unicode61
 remove_diacritics 2');
CREATE VIRTUAL TABLE interaction_fts USING fts5( summary, note, tokenize = 'unicode61
 remove_diacritics 2');
CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN INSERT INTO
 interaction_fts(rowid, summary, note) VALUES (new.rowid, new.summary,  new.note); END;
CREATE TRIGGER interaction_fts_au AFTER UPDATE ON interaction BEGIN DELETE FROM interaction_fts
 WHERE rowid = old.rowid; INSERT INTO interaction_fts(rowid, summary, note) VALUES (new.rowid,
 new.summary,  new.note); END;
CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN DELETE FROM interaction_fts
 WHERE rowid = old.rowid; END;
CREATE TABLE "contact" ( key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
 name_fold TEXT NOT NULL, company TEXT, title TEXT, location TEXT, how_met TEXT, met_on TEXT,
 birthday TEXT, note TEXT, working_on TEXT, archived INTEGER NOT NULL DEFAULT 0, created_at TEXT
 NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), updated_at TEXT NOT NULL DEFAULT
 (strftime('%Y-%m-%dT%H:%M:%fZ','now')), n_family TEXT, n_given TEXT, n_additional TEXT,
 n_prefix TEXT, n_suffix TEXT, needs TEXT, offers TEXT, cadence_days INTEGER CHECK (cadence_days
 IS NULL OR cadence_days BETWEEN 1 AND 3650));
CREATE INDEX contact_by_name ON contact(name_fold, id);
CREATE INDEX contact_live_by_name ON contact(archived, name_fold, id);
CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN DELETE FROM contact_fts WHERE rowid
 = old.rowid; END;
CREATE TABLE "interaction_contact" ( interaction_id TEXT NOT NULL REFERENCES interaction(id) ON
 DELETE CASCADE, contact_key INTEGER NOT NULL REFERENCES contact(key) ON DELETE CASCADE, date
 TEXT NOT NULL, kind TEXT NOT NULL, direction TEXT NOT NULL, PRIMARY KEY (interaction_id,
 contact_key)) WITHOUT ROWID;
CREATE INDEX interaction_contact_by_contact ON interaction_contact(contact_key, date, kind,
 direction);
CREATE TABLE interaction_message ( message_id TEXT PRIMARY KEY NOT NULL, interaction_id TEXT NOT
 NULL REFERENCES interaction(id) ON DELETE CASCADE) WITHOUT ROWID;
CREATE INDEX interaction_message_by_interaction ON interaction_message(interaction_id);
CREATE INDEX contact_detail_by_email ON contact_detail(lower(value), contact_id) WHERE type =
 'email';
CREATE TABLE kith_state (id INTEGER PRIMARY KEY CHECK (id = 1), v BLOB NOT NULL);
INSERT INTO kith_state(id, v) VALUES (1, kith_state_next(NULL));
CREATE TABLE contact_nickname ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE
 CASCADE, position INTEGER NOT NULL, nickname TEXT NOT NULL, PRIMARY KEY (contact_id, position))
 WITHOUT ROWID;
CREATE TABLE contact_uid ( uid TEXT PRIMARY KEY NOT NULL, contact_id TEXT NOT NULL REFERENCES
 contact(id) ON DELETE CASCADE, position INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX contact_uid_by_contact ON contact_uid(contact_id, position);
CREATE TABLE contact_address ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE
 CASCADE, position INTEGER NOT NULL, label TEXT, pobox TEXT, ext TEXT, street TEXT, locality
 TEXT, region TEXT, code TEXT, country TEXT, PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
CREATE TABLE contact_event ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL, label TEXT, date TEXT NOT NULL, PRIMARY KEY (contact_id, position))
 WITHOUT ROWID;
CREATE TABLE contact_vcard ( contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL, line TEXT NOT NULL, PRIMARY KEY (contact_id, position)) WITHOUT
 ROWID;
CREATE TABLE history ( seq INTEGER PRIMARY KEY, origin TEXT NOT NULL, label TEXT NOT NULL, state
 TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone')), changes BLOB, at TEXT NOT NULL
 DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX history_by_origin ON history(origin, state, seq);
CREATE TABLE vdir_item ( id INTEGER PRIMARY KEY, dir TEXT NOT NULL, name TEXT NOT NULL, kind
 TEXT NOT NULL CHECK (kind IN ('contact','todo','event')), ref TEXT NOT NULL, hash INTEGER NOT
 NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, ino INTEGER NOT NULL, base TEXT NOT NULL,
 UNIQUE (dir, name));
CREATE INDEX vdir_item_by_ref ON vdir_item(dir, kind, ref);
CREATE TABLE sync_conflict ( id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT
 (strftime('%Y-%m-%dT%H:%M:%fZ','now')), source TEXT NOT NULL, place TEXT NOT NULL, entity TEXT
 NOT NULL, entity_id TEXT NOT NULL, field TEXT NOT NULL, kept TEXT, other TEXT, rule TEXT NOT
 NULL, shown INTEGER NOT NULL DEFAULT 0, kept_place TEXT, other_place TEXT, about TEXT);
CREATE INDEX sync_conflict_by_entity ON sync_conflict(entity, entity_id, id);
CREATE TABLE goodwill_weight ( kind TEXT NOT NULL, direction TEXT NOT NULL, w INTEGER NOT NULL,
 PRIMARY KEY (kind, direction)) WITHOUT ROWID;
INSERT INTO goodwill_weight(kind, direction, w) VALUES
 ('*', 'gave', 1), ('*', 'asked', -1), ('*', 'mutual', 0),
 ('intro', 'gave', 3), ('intro', 'asked', -3), ('intro', 'mutual', 0),
 ('referral', 'gave', 3), ('referral', 'asked', -3), ('referral', 'mutual', 0);
CREATE TABLE contact_summary ( contact_key INTEGER PRIMARY KEY, id TEXT NOT NULL, name_fold TEXT
 NOT NULL, archived INTEGER NOT NULL, last TEXT, last_n INTEGER NOT NULL DEFAULT 0, last_kind
 TEXT, last_direction TEXT, gave INTEGER NOT NULL DEFAULT 0, asked INTEGER NOT NULL DEFAULT 0,
 mutual INTEGER NOT NULL DEFAULT 0, goodwill INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL
 DEFAULT '');
CREATE INDEX contact_summary_recent ON contact_summary(last DESC, name_fold, id, archived);
CREATE INDEX contact_summary_silent ON contact_summary(last, name_fold, id, archived);
CREATE TRIGGER contact_summary_ad AFTER DELETE ON contact BEGIN DELETE FROM contact_summary
 WHERE contact_key = old.key; END;
CREATE INDEX thanks_by_date ON thanks(date, id);
CREATE INDEX contact_summary_last_one ON contact_summary(last_direction, last_kind, last) WHERE
 last_n = 1;
CREATE INDEX contact_summary_last_many ON contact_summary(last) WHERE last_n > 1;
CREATE TABLE sync_self ( id INTEGER PRIMARY KEY CHECK (id = 1), replica TEXT NOT NULL, hlc
 INTEGER NOT NULL DEFAULT 0, txseq INTEGER NOT NULL DEFAULT 0, fileseq INTEGER NOT NULL DEFAULT
 0, dir TEXT, git INTEGER CHECK (git IN (0, 1)));
CREATE TABLE sync_log ( txseq INTEGER PRIMARY KEY, hlc INTEGER NOT NULL, changes BLOB NOT NULL, was BLOB);
CREATE TABLE sync_clock ( tbl TEXT NOT NULL, pk TEXT NOT NULL, alive INTEGER NOT NULL, hlc
 INTEGER NOT NULL, rep TEXT NOT NULL, cols TEXT, data BLOB, PRIMARY KEY (tbl, pk)) WITHOUT
 ROWID;
CREATE TABLE sync_parked ( id INTEGER PRIMARY KEY, replica TEXT NOT NULL, hlc INTEGER NOT NULL,
 tbl TEXT NOT NULL, pk TEXT NOT NULL, changes BLOB NOT NULL, stamps TEXT);
CREATE INDEX sync_parked_by_row ON sync_parked(tbl, pk);
CREATE TABLE sync_peer ( replica TEXT PRIMARY KEY NOT NULL, fileseq INTEGER NOT NULL DEFAULT 0,
 seen TEXT, applied_at TEXT) WITHOUT ROWID;
CREATE INDEX contact_with_needs ON contact(archived, key) WHERE needs IS NOT NULL;
CREATE INDEX contact_with_cadence ON contact(archived, key) WHERE cadence_days IS NOT NULL;
CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN INSERT INTO contact_fts(rowid, name,
 company, body) VALUES (new.rowid, new.name,  new.company, coalesce(new.title, '') || ' ' ||
 coalesce(new.location, '') || ' ' ||  coalesce(new.how_met, '') || ' ' || coalesce(new.note,
 '') || ' ' ||  coalesce(new.working_on, '') || ' ' || coalesce(new.needs, '') || ' ' ||
 coalesce(new.offers, '')); END;
CREATE TRIGGER contact_fts_au AFTER UPDATE ON contact BEGIN DELETE FROM contact_fts WHERE rowid
 = old.rowid; INSERT INTO contact_fts(rowid, name, company, body) VALUES (new.rowid, new.name,
  new.company, coalesce(new.title, '') || ' ' || coalesce(new.location, '') || ' ' ||
  coalesce(new.how_met, '') || ' ' || coalesce(new.note, '') || ' ' ||  coalesce(new.working_on,
 '') || ' ' || coalesce(new.needs, '') || ' ' || coalesce(new.offers, '')); END;
CREATE TABLE forward ( id TEXT PRIMARY KEY NOT NULL, date TEXT NOT NULL, text TEXT NOT NULL,
 contact_id TEXT REFERENCES contact(id) ON DELETE CASCADE, note TEXT, created_at TEXT NOT NULL
 DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX forward_by_date ON forward(date, id);
CREATE INDEX forward_by_contact ON forward(contact_id, date);
CREATE INDEX challenge_tick_by_forward ON challenge_tick(forward_id);
CREATE INDEX contact_with_birthday ON contact(archived, key) WHERE birthday IS NOT NULL;
CREATE INDEX contact_summary_goodwill ON contact_summary(goodwill DESC, name_fold, id, archived,
 last, name);
CREATE TRIGGER contact_summary_ai AFTER INSERT ON contact BEGIN INSERT OR REPLACE INTO
 contact_summary(contact_key, id, name_fold, archived, gave, asked,  mutual, goodwill, name)
 SELECT new.key, new.id, new.name_fold, new.archived,  count(*) FILTER (WHERE x.direction =
 'gave'), count(*) FILTER (WHERE x.direction =  'asked'), count(*) FILTER (WHERE x.direction =
 'mutual'),  coalesce(sum(coalesce((SELECT w.w FROM goodwill_weight w WHERE w.kind = x.kind AND
 w.direction = x.direction), (SELECT w.w FROM goodwill_weight w WHERE w.kind = '*' AND
 w.direction = x.direction), 0)), 0), new.name  FROM interaction_contact x WHERE x.contact_key =
 new.key; UPDATE contact_summary SET (last, last_n, last_kind, last_direction) =  (SELECT m.d,
 (SELECT count(*) FROM interaction_contact x WHERE x.contact_key = new.key  AND x.date = m.d),
 (SELECT x.kind FROM interaction_contact x WHERE x.contact_key = new.key  AND x.date = m.d ORDER
 BY x.kind, x.direction LIMIT 1), (SELECT x.direction  FROM interaction_contact x WHERE
 x.contact_key = new.key AND x.date = m.d  ORDER BY x.kind, x.direction LIMIT 1) FROM (SELECT
 max(x.date) AS d FROM interaction_contact x WHERE x.contact_key = new.key) m) WHERE contact_key
 = new.key  AND EXISTS (SELECT 1 FROM interaction_contact x WHERE x.contact_key = new.key); END;
CREATE TRIGGER contact_summary_au AFTER UPDATE OF id, name, name_fold, archived ON contact BEGIN
 UPDATE contact_summary SET id = new.id, name_fold = new.name_fold, archived = new.archived,
 name = new.name WHERE contact_key = new.key; END;
CREATE TABLE "challenge" ( id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL, started_on TEXT
 NOT NULL, days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366), created_at TEXT NOT NULL
 DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX challenge_by_seq ON challenge(seq, started_on, id);
CREATE VIRTUAL TABLE interaction_contact_fts USING fts5(summary, note, tokenize = 'unicode61
 remove_diacritics 2', columnsize = 0);
--@ interaction_contact_fts_fill
CREATE TRIGGER interaction_contact_fts_ai AFTER INSERT ON interaction_contact BEGIN INSERT OR
 REPLACE INTO interaction_contact_fts(rowid, summary, note) SELECT ((new.contact_key) << 32) +
 (i.rowid), i.summary, i.note FROM interaction i WHERE i.id = new.interaction_id AND
 (new.contact_key) BETWEEN 0 AND 2147483647 AND (i.rowid) BETWEEN 0 AND 4294967295; END;
CREATE TRIGGER interaction_contact_fts_au AFTER UPDATE OF interaction_id, contact_key ON
 interaction_contact BEGIN DELETE FROM interaction_contact_fts WHERE rowid = (SELECT
 ((old.contact_key) << 32) + (i.rowid) FROM interaction i WHERE i.id = old.interaction_id AND
 (old.contact_key) BETWEEN 0 AND 2147483647 AND (i.rowid) BETWEEN 0 AND 4294967295); INSERT OR
 REPLACE INTO interaction_contact_fts(rowid, summary, note) SELECT ((new.contact_key) << 32) +
 (i.rowid), i.summary, i.note FROM interaction i WHERE i.id = new.interaction_id AND
 (new.contact_key) BETWEEN 0 AND 2147483647 AND (i.rowid) BETWEEN 0 AND 4294967295; END;
CREATE TRIGGER interaction_contact_fts_ad AFTER DELETE ON interaction_contact BEGIN DELETE FROM
 interaction_contact_fts WHERE rowid = (SELECT ((old.contact_key) << 32) + (i.rowid) FROM
 interaction i WHERE i.id = old.interaction_id AND (old.contact_key) BETWEEN 0 AND 2147483647
 AND (i.rowid) BETWEEN 0 AND 4294967295); END;
CREATE TRIGGER interaction_link_fts_bd BEFORE DELETE ON interaction BEGIN DELETE FROM
 interaction_contact_fts WHERE rowid IN (SELECT ((ic.contact_key) << 32) + (old.rowid) FROM
 interaction_contact ic WHERE ic.interaction_id = old.id AND (ic.contact_key) BETWEEN 0 AND
 2147483647 AND (old.rowid) BETWEEN 0 AND 4294967295); END;
CREATE TRIGGER interaction_link_fts_au AFTER UPDATE ON interaction BEGIN DELETE FROM
 interaction_contact_fts WHERE rowid IN (SELECT ((ic.contact_key) << 32) + (old.rowid) FROM
 interaction_contact ic WHERE ic.interaction_id = old.id AND (ic.contact_key) BETWEEN 0 AND
 2147483647 AND (old.rowid) BETWEEN 0 AND 4294967295); INSERT OR REPLACE INTO
 interaction_contact_fts(rowid, summary, note) SELECT ((ic.contact_key) << 32) + (new.rowid),
 new.summary, new.note FROM interaction_contact ic WHERE ic.interaction_id = new.id AND
 (ic.contact_key) BETWEEN 0 AND 2147483647 AND (new.rowid) BETWEEN 0 AND 4294967295; END;
CREATE TRIGGER interaction_contact_summary_ai AFTER INSERT ON interaction_contact BEGIN UPDATE
 contact_summary SET gave = gave + (new.direction = 'gave'), asked = asked + (new.direction =
 'asked'), mutual = mutual + (new.direction = 'mutual'), goodwill = goodwill + coalesce((SELECT
 w.w FROM goodwill_weight w WHERE w.kind = new.kind AND w.direction = new.direction), (SELECT
 w.w FROM goodwill_weight w WHERE w.kind = '*' AND w.direction = new.direction), 0), last_n =
 CASE WHEN last IS NULL OR new.date > last THEN 1  WHEN new.date = last THEN last_n + 1 ELSE
 last_n END, last_kind = CASE WHEN (last IS NULL OR new.date > last OR (new.date = last AND
 (new.kind, new.direction) < (last_kind, last_direction))) THEN new.kind ELSE last_kind END,
 last_direction = CASE WHEN (last IS NULL OR new.date > last OR (new.date = last AND (new.kind,
 new.direction) < (last_kind, last_direction))) THEN new.direction  ELSE last_direction END,
 last = CASE WHEN last IS NULL OR new.date > last THEN new.date ELSE last END WHERE contact_key
 = new.contact_key; END;
CREATE TRIGGER interaction_contact_summary_au AFTER UPDATE OF contact_key, date, kind, direction
 ON interaction_contact BEGIN UPDATE contact_summary SET gave = gave + (new.direction = 'gave'),
 asked = asked + (new.direction = 'asked'), mutual = mutual + (new.direction = 'mutual'),
 goodwill = goodwill + coalesce((SELECT w.w FROM goodwill_weight w WHERE w.kind = new.kind AND
 w.direction = new.direction), (SELECT w.w FROM goodwill_weight w WHERE w.kind = '*' AND
 w.direction = new.direction), 0), last_n = CASE WHEN last IS NULL OR new.date > last THEN 1
  WHEN new.date = last THEN last_n + 1 ELSE last_n END, last_kind = CASE WHEN (last IS NULL OR
 new.date > last OR (new.date = last AND (new.kind, new.direction) < (last_kind,
 last_direction))) THEN new.kind ELSE last_kind END, last_direction = CASE WHEN (last IS NULL OR
 new.date > last OR (new.date = last AND (new.kind, new.direction) < (last_kind,
 last_direction))) THEN new.direction  ELSE last_direction END, last = CASE WHEN last IS NULL OR
 new.date > last THEN new.date ELSE last END WHERE contact_key = new.contact_key;UPDATE
 contact_summary SET gave = gave - (old.direction = 'gave'), asked = asked - (old.direction =
 'asked'), mutual = mutual - (old.direction = 'mutual'), goodwill = goodwill - coalesce((SELECT
 w.w FROM goodwill_weight w WHERE w.kind = old.kind AND w.direction = old.direction), (SELECT
 w.w FROM goodwill_weight w WHERE w.kind = '*' AND w.direction = old.direction), 0) WHERE
 contact_key = old.contact_key;UPDATE contact_summary SET (last, last_n, last_kind,
 last_direction) = (SELECT m.d, (SELECT count(*) FROM interaction_contact x WHERE x.contact_key
 = old.contact_key  AND x.date = m.d), (SELECT x.kind FROM interaction_contact x WHERE
 x.contact_key = old.contact_key  AND x.date = m.d ORDER BY x.kind, x.direction LIMIT 1),
 (SELECT x.direction  FROM interaction_contact x WHERE x.contact_key = old.contact_key AND
 x.date = m.d  ORDER BY x.kind, x.direction LIMIT 1) FROM (SELECT max(x.date) AS d FROM
 interaction_contact x WHERE x.contact_key = old.contact_key) m) WHERE contact_key =
 old.contact_key AND last = old.date; END;
CREATE TRIGGER interaction_contact_summary_ad AFTER DELETE ON interaction_contact BEGIN UPDATE
 contact_summary SET gave = gave - (old.direction = 'gave'), asked = asked - (old.direction =
 'asked'), mutual = mutual - (old.direction = 'mutual'), goodwill = goodwill - coalesce((SELECT
 w.w FROM goodwill_weight w WHERE w.kind = old.kind AND w.direction = old.direction), (SELECT
 w.w FROM goodwill_weight w WHERE w.kind = '*' AND w.direction = old.direction), 0) WHERE
 contact_key = old.contact_key;UPDATE contact_summary SET (last, last_n, last_kind,
 last_direction) = (SELECT m.d, (SELECT count(*) FROM interaction_contact x WHERE x.contact_key
 = old.contact_key  AND x.date = m.d), (SELECT x.kind FROM interaction_contact x WHERE
 x.contact_key = old.contact_key  AND x.date = m.d ORDER BY x.kind, x.direction LIMIT 1),
 (SELECT x.direction  FROM interaction_contact x WHERE x.contact_key = old.contact_key AND
 x.date = m.d  ORDER BY x.kind, x.direction LIMIT 1) FROM (SELECT max(x.date) AS d FROM
 interaction_contact x WHERE x.contact_key = old.contact_key) m) WHERE contact_key =
 old.contact_key AND last = old.date; END;
CREATE TABLE sync_file ( fileseq INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE sync_file_sum ( fileseq INTEGER PRIMARY KEY, size INTEGER NOT NULL, tail BLOB NOT NULL);
CREATE TABLE sync_knew ( rep TEXT PRIMARY KEY NOT NULL, hlc INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX sync_log_by_hlc ON sync_log(hlc);
