#!/bin/sh
# An edit and a delete of one contact on two machines, told on every
# machine: a delete later than the edit takes the contact, and each value
# the edit set is listed (with the contact's name, though it is gone) on
# the machine that edited, the one that deleted, and a third that meets
# them in either order; a change later than the delete keeps the contact,
# archived, and the machine that deleted it is told when it comes back.
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

# Edited on B, deleted later on A (which had not seen the edit).
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
kb sync >/dev/null || fail "B: sync"
run kb sync status
expect_out "Kim Lee, contact: deleted by replica $(printf %.8s "$ra"); edited here" \
    "B: the delete of its edit"
expect_out "Kim Lee, title: \"Boss\" (this journal's) went with the delete by replica $(printf %.8s "$ra"), later than the edit" \
    "B: the title lost"
expect_out "Kim Lee, note: \"met at the fair; call in spring\" (this journal's) went with" \
    "B: the note lost, on one line"
expect_no_out "  contact " "B: a line without the contact's name"
run kb sync status --json
expect_json '"name":"Kim Lee","field":"title","kept":null,"other":"Boss"' "B: --json"
expect_json '"other":"met at the fair\ncall in spring"' "B: --json keeps the note whole"
run ka sync
expect_out "Kim Lee, contact: deleted here; edited there (replica $(printf %.8s "$rb"))" \
    "A: the edit it deleted"
expect_out "Kim Lee, title: \"Boss\" (from replica $(printf %.8s "$rb")) went with the delete made here" \
    "A: the title lost"
run kc sync
expect_out "Kim Lee, title: \"Boss\" (from replica $(printf %.8s "$rb")) went with the delete by replica" \
    "C (delete, then edit): the title lost"
# D meets the edit first, the delete after: it says so too.
D="$T/d.kith"
rm -rf "$S" "$A" "$B" "$C" && mkdir "$S"
ka add "Kim Lee" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null &&
    "$KITH" --db "$D" sync "$S" >/dev/null || fail "D: first syncs"
kb edit Kim --title Boss >/dev/null && kb sync >/dev/null || fail "D: B's edit"
run "$KITH" --db "$D" sync
expect_rc 0 "D: the edit"
ka rm Kim --yes >/dev/null && ka sync >/dev/null || fail "D: A's delete"
run "$KITH" --db "$D" sync
expect_out "Kim Lee, contact: deleted by replica" "D (edit, then delete): the contact"
expect_out "Kim Lee, title: \"Boss\" (from replica $(printf %.8s "$(sync_id "$B")")) went with the delete by replica" \
    "D (edit, then delete): the title lost"
run "$KITH" --db "$D" show Kim
expect_rc 1 "D: the delete won"
rm -f "$D"

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
