#!/bin/sh
# A merge on one machine and a delete of the contact merged away on another,
# neither having seen the other's: an interaction logged with that contact
# alone had moved to the contact merged into before the delete, so it is no
# longer the deleted contact's; it stays, with the contact kept, on every
# machine and in either order.
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
    ka add "Yui Tanaka" >/dev/null && ka add "Xia Chen" >/dev/null &&
        ka log xia --kind coffee --summary "talked about the move" >/dev/null &&
        ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && kc sync "$S" >/dev/null ||
        fail "first syncs"
}

# stays WHO JOURNAL: the interaction is there, with Yui, and Xia is gone.
stays() {
    run "$KITH" --db "$2" show yui
    expect_rc 0 "$1: Yui"
    expect_out "talked about the move" "$1: the interaction stays, with Yui"
    run "$KITH" --db "$2" show xia
    expect_rc 1 "$1: Xia deleted"
}

# A merges Xia into Yui; B deletes Xia. A meets the delete after its merge,
# B the merge after its delete, C both (the merge first, then the delete).
start
ka merge yui xia --yes >/dev/null || fail "A: merge"
kb rm xia --yes >/dev/null || fail "B: rm"
ka sync >/dev/null || fail "A: sync"
kc sync >/dev/null || fail "C: sync (the merge)"
kb sync >/dev/null || fail "B: sync"
ka sync >/dev/null || fail "A: sync again"
kc sync >/dev/null || fail "C: sync (the delete)"
stays A "$A"
stays B "$B"
stays C "$C"
same_journals "$A" "$B" "merge, then delete: A and B"
same_journals "$A" "$C" "merge, then delete: A and C"

# The other order: B's delete reaches the folder first; C meets the delete,
# then the merge.
start
ka merge yui xia --yes >/dev/null || fail "A: merge"
kb rm xia --yes >/dev/null || fail "B: rm"
kb sync >/dev/null || fail "B: sync"
kc sync >/dev/null || fail "C: sync (the delete)"
ka sync >/dev/null || fail "A: sync"
kb sync >/dev/null || fail "B: sync again"
kc sync >/dev/null || fail "C: sync (the merge)"
stays A "$A"
stays B "$B"
stays C "$C"
same_journals "$A" "$B" "delete, then merge: A and B"
same_journals "$A" "$C" "delete, then merge: A and C"

# Deleted on B before the merge on A: the delete named the interaction
# (with Xia alone when it was made), and takes it even from Yui, on every
# machine.
start
kb rm xia --yes >/dev/null || fail "B: rm first"
ka merge yui xia --yes >/dev/null || fail "A: merge after"
ka sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null && kc sync >/dev/null ||
    fail "later merge: syncs"
for j in "$A" "$B" "$C"; do
    run "$KITH" --db "$j" show yui
    expect_no_out "talked about the move" "later merge: the delete takes the interaction"
done
same_journals "$A" "$B" "later merge: A and B"
same_journals "$A" "$C" "later merge: A and C"
finish
