#!/bin/sh
# A backup of a synced journal, restored after the other replicas' files
# it had not applied were pruned from the folder, cannot catch up: restore
# says so at once, with what to do (start again from the snapshot in a new
# journal), not that the folder holds every change; sync status says so
# too; and the new journal made that way has everything (review r26 #7).
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
C="$T/c.kith"
k() { db=$1; shift; "$KITH" --db "$db" "$@"; }
mkdir "$S"
k "$A" add "Ana Ruiz" >/dev/null && k "$A" sync "$S" >/dev/null && k "$B" sync "$S" >/dev/null &&
    k "$C" add "Cid Moss" >/dev/null && k "$C" sync "$S" >/dev/null || fail "first syncs"
k "$C" backup "$T/c.bak" >/dev/null || fail "backup"

# A backup restored before anything was pruned catches up, as said.
run k "$C" restore "$T/c.bak"
expect_out "the folder holds them all" "nothing pruned: the promise"
expect_no_out "cannot catch up" "nothing pruned: no warning"

i=0
while [ $i -lt 20 ]; do
    i=$((i + 1))
    k "$A" edit Ana --title "a$i" >/dev/null && k "$A" sync >/dev/null &&
        k "$B" add "B$i" >/dev/null && k "$B" sync >/dev/null && k "$C" sync >/dev/null ||
        fail "round $i"
done
[ -e "$S/$(sync_id "$A")/1.changeset" ] && fail "no file of A's was pruned: the test proves nothing"

run k "$C" restore "$T/c.bak"
expect_rc 0 "restore"
expect_out "cannot catch up" "restore says at once"
expect_out "no longer in the folder" "and why"
expect_out "kith --db NEW.db sync" "and what to do"
expect_no_out "the folder holds them all" "no false promise"
run k "$C" sync status
expect_out "stuck: its files" "status says it too"
run k "$C" sync status --json
expect_json '"cannot_catch_up":true' "status --json too"

# What it says works: a new journal from the snapshot has everything.
run k "$T/new.kith" sync "$S"
expect_rc 0 "new journal from the snapshot"
run k "$T/new.kith" list
expect_out "B20" "B's last contact"
expect_out "Cid Moss" "C's contact"
run k "$T/new.kith" show Ana
expect_out "a20" "A's last edit"
finish
