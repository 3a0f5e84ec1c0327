-- Version 17: whose each value of a sync conflict was, and what a
-- conflict is about where its row is no contact's. kept_place and
-- other_place are the replicas that made the value kept and the value
-- not taken (the replica of the stamp each had; NULL where unknown, as
-- in the rows of earlier versions): a replica that applies two other
-- replicas' changes made neither, and says so, instead of calling the
-- value it held "this journal's". about names a row that no contact
-- owns, for the reader: a challenge tick's day, a reminder's rule and
-- the day it fired.
ALTER TABLE sync_conflict ADD COLUMN kept_place TEXT;
ALTER TABLE sync_conflict ADD COLUMN other_place TEXT;
ALTER TABLE sync_conflict ADD COLUMN about TEXT;
