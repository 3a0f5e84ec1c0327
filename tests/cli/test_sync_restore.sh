#!/bin/sh
# A journal restored from a backup after its replica's old files were
# removed from the folder (pruned) finds none of its folder's files past
# its own, yet the others applied files of its id past its own last: what
# it writes under that id next would carry numbers they already applied,
# and never reach them. It takes a new id, as a copy of a journal does, and
# writes nothing again under the old one.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"

# prune_after_backup BACKUP: A's backup at its file 2, then 17 more files,
# all applied by B and pruned by A (its state says "fileseq 19").
prune_after_backup() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null ||
        fail "first syncs"
    ka edit "Ana Ruiz" --company c0 >/dev/null && ka sync >/dev/null &&
        ka backup "$1" >/dev/null || fail "backup"
    for i in $(seq 17); do
        ka edit "Ana Ruiz" --company "c$i" >/dev/null && ka sync >/dev/null || fail "A's file $i"
    done
    kb sync >/dev/null && ka sync >/dev/null || fail "prune"
    [ -e "$S/$(sync_id "$A")/3.changeset" ] && fail "A's files were not pruned"
}

# A: its own state says it wrote (and pruned) files past the restored
# journal's last.
prune_after_backup "$T/bk1.kith"
ra=$(sync_id "$A")
ka restore "$T/bk1.kith" >/dev/null || fail "A: restore"
ka add "Restored Only" >/dev/null || fail "A: add"
run ka sync
expect_out "another journal writes as replica $ra"
expect_no_out "wrote 1 file of this replica again"
expect_no_out "sent file 3"
[ "$(sync_id "$A")" != "$ra" ] || fail "A: kept the old id"
[ -e "$S/$ra/2.changeset" ] && fail "A: the old id's pruned file written again"
[ -e "$S/$ra/3.changeset" ] && fail "A: a file written under the old id"
# It lacks the old id's pruned changes, and says to start again from a
# snapshot; its new change reaches B all the same.
expect_err "its changes 3 to 19 are no longer in the folder"
run kb sync
expect_rc 0 "A: B after the restored journal's sync"
run kb show "Restored Only"
expect_rc 0 "A: the restored journal's change reached B"
C="$T/c.kith"
run "$KITH" --db "$C" sync "$S"
expect_rc 0 "A: a new journal from the snapshot"
same_journals "$B" "$C" "A: the new journal and B"

# B: its state lost too (the folder's tool dropped it): B's state still
# says B applied its files up to 19.
rm -f "$C"
prune_after_backup "$T/bk2.kith"
ra=$(sync_id "$A")
rm "$S/$ra/state"
ka restore "$T/bk2.kith" >/dev/null || fail "B: restore"
ka add "Restored Only" >/dev/null || fail "B: add"
run ka sync
expect_out "another journal writes as replica $ra"
[ -e "$S/$ra/3.changeset" ] && fail "B: a file written under the old id"
run kb sync
expect_rc 0 "B: B after the restored journal's sync"
run kb show "Restored Only"
expect_rc 0 "B: the restored journal's change reached B"

# C: a journal not restored keeps its id through a sync after a prune.
run ka sync
expect_no_out "another journal writes"
ka add "Later" >/dev/null || fail "C: add"
run ka sync
expect_no_out "another journal writes"
kb sync >/dev/null
run kb show "Later"
expect_rc 0 "C: B has A's later change"

# D: restore says that a backup of a syncing journal is no way back: the
# next sync brings back every change made since it, here and elsewhere.
rm -rf "$S" "$A" "$B" && mkdir "$S"
ka add "Al One" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null ||
    fail "D: first syncs"
ka backup "$T/bk3.kith" >/dev/null || fail "D: backup"
ka add "After On A" >/dev/null && ka sync >/dev/null || fail "D: A's later change"
kb add "After On B" >/dev/null && kb sync >/dev/null || fail "D: B's later change"
run ka restore "$T/bk3.kith"
expect_rc 0 "D: restore"
expect_out "the backup is of a journal with sync on: its next 'kith sync' brings back every change made since the backup, on this machine and on the others"
expect_out "use 'kith undo' where it was made, or change it again, after that sync"
ka sync >/dev/null || fail "D: sync after the restore"
run ka list
expect_out "After On A" "D: A's own change since the backup came back"
expect_out "After On B" "D: B's change since the backup came back"
run ka restore --help
expect_out "its next 'kith sync' brings back every change made since the"
# A backup of a journal without sync says nothing of it.
ka backup "$T/bk4.kith" >/dev/null || fail "D: backup"
"$KITH" --db "$T/nosync.kith" add "Solo" >/dev/null || fail "D: a journal without sync"
run "$KITH" --db "$T/nosync.kith" restore "$T/bk4.kith"
expect_rc 0 "D: restore of a backup with sync on over a journal without"
expect_out "with sync on"
"$KITH" --db "$T/solo.kith" add "Solo" >/dev/null &&
    "$KITH" --db "$T/solo.kith" backup "$T/bk6.kith" >/dev/null || fail "D: a backup without sync"
run "$KITH" --db "$T/solo.kith" restore "$T/bk6.kith"
expect_rc 0 "D: restore without sync"
expect_no_out "with sync on" "D: restore without sync"

finish
