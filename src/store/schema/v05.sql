-- Version 5. What people's address books hold beyond kith's own fields,
-- kept so that an import loses nothing and an export writes it back: the
-- name in parts (vCard N), nicknames, the UIDs that identify a contact
-- across imports, every postal address in parts, dated events, the TYPE
-- label of each email, phone and link (and the vCard property a link came
-- from: IMPP, X-SOCIALPROFILE), and the vCard lines kith has no field for,
-- verbatim. contact_tag.tag stays the folded key that matching uses;
-- spelling is the tag as the user wrote it ("Worker drones"). Columns are
-- added (ALTER TABLE), so nothing is rebuilt.
ALTER TABLE contact ADD COLUMN n_family TEXT;
ALTER TABLE contact ADD COLUMN n_given TEXT;
ALTER TABLE contact ADD COLUMN n_additional TEXT;
ALTER TABLE contact ADD COLUMN n_prefix TEXT;
ALTER TABLE contact ADD COLUMN n_suffix TEXT;
ALTER TABLE contact_detail ADD COLUMN label TEXT;
ALTER TABLE contact_detail ADD COLUMN prop TEXT;
ALTER TABLE contact_tag ADD COLUMN spelling TEXT;
CREATE TABLE contact_nickname (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL,
 nickname TEXT NOT NULL,
 PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
-- A UID belongs to one contact: importing a card again finds it.
CREATE TABLE contact_uid (
 uid TEXT PRIMARY KEY NOT NULL,
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX contact_uid_by_contact ON contact_uid(contact_id, position);
CREATE TABLE contact_address (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL,
 label TEXT, pobox TEXT, ext TEXT, street TEXT, locality TEXT, region TEXT, code TEXT,
 country TEXT,
 PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
CREATE TABLE contact_event (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL,
 label TEXT,
 date TEXT NOT NULL,
 PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
CREATE TABLE contact_vcard (
 contact_id TEXT NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
 position INTEGER NOT NULL,
 line TEXT NOT NULL,
 PRIMARY KEY (contact_id, position)) WITHOUT ROWID;
