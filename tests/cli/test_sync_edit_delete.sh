#!/bin/sh
# An edit and a delete of one contact on two machines, neither having seen
# the other's: the edit keeps the contact, archived, whichever was later,
# on every machine and in either order, and every machine is told (the
# contact named though it is gone there); a delete made after the edit
# reached it takes the contact, and says nothing.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
C="$T/c.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kc() { "$KITH" --db "$C" "$@"; }

start() {
    rm -rf "$S" "$A" "$B" "$C" && mkdir "$S"
    ka add "Kim Lee" --company Initech >/dev/null && ka sync "$S" >/dev/null &&
        kb sync "$S" >/dev/null && kc sync "$S" >/dev/null || fail "first syncs"
}

# Edited on B, deleted later on A, which had not seen the edit: the edit
# keeps the contact, archived, with the edit, on every machine, whichever
# order they meet the two in; each is told.
start
kb edit Kim --title Boss --note "met at the fair
call in spring" >/dev/null || fail "B: edit"
ka rm Kim --yes >/dev/null || fail "A: rm"
ra=$(sync_id "$A")
rb=$(sync_id "$B")
# C meets the delete first, the edit after.
ka sync >/dev/null || fail "A: sync"
run kc sync
expect_rc 0 "C: the delete"
run kc show Kim
expect_rc 1 "C: deleted, until the edit comes"
run kb sync
expect_out "kept 1 contact, archived, against a delete made there" "B: the keep"
expect_out "Kim Lee, contact: kept, archived; deleted there (replica $(printf %.8s "$ra")): a change the delete had not seen keeps the contact, archived" \
    "B: the keep"
expect_no_out "went with the delete" "B: nothing lost"
run ka sync
expect_out "Kim Lee, contact: deleted here; edited there (replica $(printf %.8s "$rb")): an edit the delete had not seen keeps the contact, archived" \
    "A: told its delete did not hold"
run ka sync status --json
expect_json '"name":"Kim Lee","field":"contact"' "A: --json names the contact"
run kc sync
expect_out "Kim Lee, contact: deleted by replica $(printf %.8s "$ra"); edited there (replica $(printf %.8s "$rb")): an edit the delete had not seen keeps" \
    "C (delete, then edit): told"
for x in A B C; do
    run "$KITH" --db "$T/$(echo $x | tr ABC abc).kith" show Kim
    expect_rc 0 "$x: kept"
    expect_out "(archived)" "$x: archived"
    expect_out "Boss" "$x: the edit kept"
done
same_journals "$A" "$B" "edit, later delete: A and B"
same_journals "$A" "$C" "edit, later delete: A and C"
# D meets the edit first, the delete after: it keeps the contact itself.
D="$T/d.kith"
rm -rf "$S" "$A" "$B" "$C" && mkdir "$S"
ka add "Kim Lee" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null &&
    "$KITH" --db "$D" sync "$S" >/dev/null || fail "D: first syncs"
kb edit Kim --title Boss >/dev/null && kb sync >/dev/null || fail "D: B's edit"
run "$KITH" --db "$D" sync
expect_rc 0 "D: the edit"
ka rm Kim --yes >/dev/null && ka sync >/dev/null || fail "D: A's delete"
run "$KITH" --db "$D" sync
expect_out "Kim Lee, contact: kept, archived; deleted there" "D (edit, then delete): keeps"
run "$KITH" --db "$D" show Kim
expect_rc 0 "D: kept"
kb sync >/dev/null && ka sync >/dev/null && "$KITH" --db "$D" sync >/dev/null || fail "D: settle"
same_journals "$A" "$D" "A and D"
same_journals "$B" "$D" "B and D"
rm -f "$D"

# A second delete, made after the contact came back kept: it holds, though
# a third machine that kept the contact too sends its keep only now (the
# keep's archived flag and coming back are not edits the delete missed).
for round in 1 2 3 4; do
    start
    kb edit Kim --title T >/dev/null && ka rm Kim --yes >/dev/null || fail "again: first"
    ka sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null && kc sync >/dev/null ||
        fail "again: syncs"
    ka show Kim >/dev/null 2>&1 || fail "again $round: not kept first"
    ka rm Kim --yes >/dev/null || fail "again: second rm"
    ka sync >/dev/null && kb sync >/dev/null && kc sync >/dev/null && ka sync >/dev/null &&
        kb sync >/dev/null && kc sync >/dev/null && ka sync >/dev/null || fail "again: settle"
    for x in a b c; do
        run "$KITH" --db "$T/$x.kith" show Kim
        expect_rc 1 "again $round: $x: the second delete holds"
    done
done

# An edit the machine deleting had seen: no conflict, nothing listed.
start
kb edit Kim --title Boss >/dev/null && kb sync >/dev/null && ka sync >/dev/null || fail "seen"
ka rm Kim --yes >/dev/null && ka sync >/dev/null || fail "seen: rm"
run kb sync
expect_no_out "went with the delete" "a delete of what it had seen"
expect_no_out "conflicts this sync" "a delete of what it had seen"

# Deleted on B, something logged later with the contact on A: kept,
# archived, and B is told when it comes back; A's sync says what changed.
start
kb rm Kim --yes >/dev/null || fail "B: rm"
ka log Kim --kind call --gave >/dev/null || fail "A: log"
kb sync >/dev/null || fail "B: sync"
run ka sync
expect_out "kept 1 contact, archived, against a delete made there" "A: the keep"
expect_no_out "nothing changed here" "A: the contact was archived"
expect_out "Kim Lee, contact: kept, archived; deleted there" "A: the conflict"
run kb sync
expect_out "Kim Lee, contact: deleted here; kept, archived there (replica $(printf %.8s "$(sync_id "$A")"))" \
    "B: told its delete was undone"
run kb show Kim
expect_rc 0 "B: the contact is back"
# C meets the delete and the keep in the order of the replicas' ids: it
# keeps the contact itself, or is told another kept it.
run kc sync
expect_out "Kim Lee, contact: " "C: told too"
expect_out "kept, archived" "C: told too"
same_journals "$A" "$B" "kept: A and B"
same_journals "$A" "$C" "kept: A and C"
finish
