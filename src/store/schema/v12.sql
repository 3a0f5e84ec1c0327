-- Version 12: the summary copies each contact's name, and its goodwill
-- index covers the goodwill rule (the balance, the last day, id and name),
-- so that a rule naming a contact needs no seek into the contact table;
-- its two contact triggers are made anew to copy the name (see
-- DB_SUMMARY_NAME in db_internal.h). The few contacts with a birthday get
-- an index, so the birthday rule and kith today's week of birthdays read
-- those rather than every contact's row. Nothing new to export: all of it
-- is derived.
CREATE INDEX contact_with_birthday ON contact(archived, key) WHERE birthday IS NOT NULL;
--@ contact_summary_name
DROP TRIGGER contact_summary_ai;
DROP TRIGGER contact_summary_au;
--@ contact_summary_contact_triggers
