-- Version 20: what each change of this replica not yet sent did to the
-- sync clock of each row it inserted or updated: the row's clock before
-- and after it (stamp_change in ../dbsync.c). An undo of the change made
-- before it is sent takes it back (undo_unsent): neither goes to the
-- folder, and the rows keep the stamps they had, so that a change another
-- replica made meanwhile stands. The index finds the change whose stamp a
-- row's clock holds. A change kept before has none: its undo is a change
-- of its own, as before.
ALTER TABLE sync_log ADD COLUMN was BLOB;
CREATE INDEX sync_log_by_hlc ON sync_log(hlc);
