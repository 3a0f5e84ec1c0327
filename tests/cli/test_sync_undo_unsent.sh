#!/bin/sh
# A change and its undo, both made before a sync, add up to nothing: they
# do not go to the folder, so a change another machine made meanwhile to
# the same thing stands, and no machine lists a conflict with a value that
# is nowhere (review r26 #1). The same for an edit of a field, a tag and
# an email added, a challenge tick and a reminder snoozed. An undo of a
# change already sent is a change of its own, later than the other
# machine's, as before.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

start() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Ana Ruiz" --company Orig --every 7d >/dev/null &&
        ka log Ana --kind call --on 2026-11-01 >/dev/null &&
        ka challenge start --on 2026-11-20 >/dev/null && ka sync "$S" >/dev/null &&
        kb sync "$S" >/dev/null || fail "first syncs"
}

settle() {
    kb sync >/dev/null && ka sync >/dev/null && kb sync >/dev/null || fail "$1: syncs"
}

# Fields, a tag, an email and a tick: B's stand, A's undone ones are nowhere.
start
kb edit Ana --company B-real --tag vip --email ana@corp.example >/dev/null &&
    kb tick --note "B did it" >/dev/null || fail "B: edits"
sleep 0.01
ka edit Ana --company typo --tag vip --email ana@corp.example >/dev/null && ka undo >/dev/null ||
    fail "A: edit, undo"
ka tick --note oops >/dev/null && ka undo >/dev/null || fail "A: tick, undo"
run ka sync
expect_rc 0 "A: sync after the undos"
expect_no_out "sent file" "A: nothing to send"
settle "fields"
for x in a b; do
    run "$KITH" --db "$T/$x.kith" show Ana
    expect_out "B-real" "$x: B's company"
    expect_out "vip" "$x: B's tag"
    expect_out "ana@corp.example" "$x: B's email"
    run "$KITH" --db "$T/$x.kith" challenge --json
    expect_json '"date":"2026-11-22","note":"B did it"' "$x: B's tick"
    run "$KITH" --db "$T/$x.kith" sync status --json
    expect_json '"conflicts":[]' "$x: none listed"
    expect_no_out "typo" "$x: A's undone company nowhere"
    expect_no_out "oops" "$x: A's undone tick nowhere"
done
same_journals "$A" "$B" "fields"

# A reminder: B marks it done, A snoozes it and undoes that.
start
rid=$(ka today | grep Reconnect | sed -E 's/^. [0-9-]{10}  ([0-9a-f]+) .*/\1/')
[ -n "$rid" ] || fail "no reminder to mark"
kb remind done "$rid" >/dev/null || fail "B: done"
sleep 0.01
ka remind snooze "$rid" --days 3 >/dev/null && ka undo >/dev/null || fail "A: snooze, undo"
settle "reminder"
for x in a b; do
    run "$KITH" --db "$T/$x.kith" today
    expect_no_out "Reconnect" "$x: B's done stands"
    run "$KITH" --db "$T/$x.kith" sync status --json
    expect_json '"conflicts":[]' "$x: none listed"
done
same_journals "$A" "$B" "reminder"

# Two edits, both undone, before a sync: nothing goes. Undoing only the
# second sends the first.
start
ka edit Ana --title One >/dev/null && ka edit Ana --title Two >/dev/null && ka undo >/dev/null ||
    fail "A: two edits, one undo"
run ka sync
expect_out "sent file" "A: the first edit goes"
kb sync >/dev/null || fail "B: sync"
run kb show Ana
expect_out "One" "B: the first edit"
expect_no_out "Two" "B: not the undone one"
ka edit Ana --title Three >/dev/null && ka edit Ana --company Four >/dev/null &&
    ka undo >/dev/null && ka undo >/dev/null || fail "A: two edits, two undos"
run ka sync
expect_no_out "sent file" "A: two undone edits: nothing to send"

# An edit, then a delete or a merge of the contact, both undone before a
# sync: the delete's undo gives the row back its clock (undo_unsent), and
# the edit's undo then takes the edit back too: B's edit stands (review
# r27 #1).
for how in rm merge; do
    start
    ka add "Bo Li" --company Bo0 >/dev/null && ka sync >/dev/null && kb sync >/dev/null ||
        fail "$how: add Bo"
    kb edit Bo --company Bco >/dev/null || fail "$how: B edits"
    sleep 0.01
    ka edit Bo --company Aco >/dev/null || fail "$how: A edits"
    if [ $how = rm ]; then
        ka rm Bo --yes >/dev/null || fail "rm"
    else
        ka merge Ana Bo --yes >/dev/null || fail "merge"
    fi
    ka undo >/dev/null && ka undo >/dev/null || fail "$how: two undos"
    run ka sync
    expect_no_out "sent file" "$how: nothing to send"
    settle "$how"
    for x in a b; do
        run "$KITH" --db "$T/$x.kith" show Bo
        expect_out "Bco" "$how, $x: B's edit stands"
        run "$KITH" --db "$T/$x.kith" sync status --json
        expect_json '"conflicts":[]' "$how, $x: none listed"
    done
    same_journals "$A" "$B" "$how, undone"
done

# An edit sent before its undo: the undo is a change of its own, later
# than B's edit made meanwhile, on both.
start
ka edit Ana --company typo >/dev/null && ka sync >/dev/null || fail "A: edit, sync"
kb edit Ana --company B-real >/dev/null || fail "B: edit"
sleep 0.01
ka undo >/dev/null || fail "A: undo"
settle "sent"
for x in a b; do
    run "$KITH" --db "$T/$x.kith" show Ana
    expect_out "Orig" "$x: the undo, later, wins"
done
same_journals "$A" "$B" "sent"

# A change too large to keep its clocks for an undo (an import of
# thousands, which no undo takes back anyway) keeps none; a small one
# keeps them until it is sent.
start
{ echo "Name,Company"; i=0; while [ $i -lt 4000 ]; do i=$((i + 1)); echo "Person $i,Co $i"; done; } \
    >"$T/many.csv"
ka add "Bo Chen" >/dev/null && ka import csv "$T/many.csv" >/dev/null || fail "A: add, import"
kept=$(python3 -c 'import sqlite3, sys
print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT was IS NOT NULL FROM sync_log ORDER BY txseq")))' "$A")
[ "$kept" = "1 0" ] || fail "clocks kept for undo: '$kept', not '1 0' (the add's, not the import's)"

# A contact added and undone before a sync: never sent.
start
ka add "Nobody Here" >/dev/null && ka undo >/dev/null || fail "A: add, undo"
run ka sync
expect_no_out "sent file" "A: an undone add: nothing to send"
finish
