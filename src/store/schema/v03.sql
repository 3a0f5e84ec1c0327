-- Version 3: mail. Each interaction logged from a message keeps its
-- Message-ID, so that the same message read twice is logged once (and an
-- interaction deleted takes its Message-ID along, so it can be logged
-- again). Addresses in mail differ in case from what was typed: emails get
-- an index on their lower-case form.
CREATE TABLE interaction_message (
 message_id TEXT PRIMARY KEY NOT NULL,
 interaction_id TEXT NOT NULL REFERENCES interaction(id) ON DELETE CASCADE)
 WITHOUT ROWID;
CREATE INDEX interaction_message_by_interaction ON interaction_message(interaction_id);
CREATE INDEX contact_detail_by_email ON contact_detail(lower(value), contact_id)
 WHERE type = 'email';
