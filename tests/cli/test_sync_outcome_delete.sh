#!/bin/sh
# A referral's outcome recorded on one machine (kith outcome) and a later
# delete, on another that had not seen it, of the contact who made the
# referral: like something logged with the contact, it keeps the contact,
# archived, with the referral, its outcome and its history, on every
# machine, whichever syncs first and with a third machine syncing in
# between, and every machine lists the conflict. A delete made after the
# outcome reached its machine takes the contact, and says nothing.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
C="$T/c.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kc() { "$KITH" --db "$C" "$@"; }

# start: Kim's referral on every machine, then its outcome on A, and B
# deletes Kim before it has seen the outcome.
start() {
    rm -rf "$S" "$A" "$B" "$C" && mkdir "$S"
    ka add "Kim Lee" --company Initech >/dev/null && ka add "Ann Ray" >/dev/null &&
        ka refer --by Kim --to-text "the job at Initech" --kind job >/dev/null &&
        ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && kc sync "$S" >/dev/null ||
        fail "first syncs"
    ref=$(ka referrals | awk 'NR == 1 { print $1 }')
    ka outcome "$ref" --status hired --note "started in March" >/dev/null || fail "A: outcome"
}

# kept WHAT: Kim is on every machine, archived, with the referral's outcome
# and its history, the conflict listed, and the journals the same.
kept() {
    for x in a b c; do
        run "$KITH" --db "$T/$x.kith" show Kim
        expect_rc 0 "$1: $x: kept"
        expect_out "(archived)" "$1: $x: archived"
        expect_out "the job at Initech  job · hired" "$1: $x: the referral's outcome"
        run "$KITH" --db "$T/$x.kith" export json
        expect_out "started in March" "$1: $x: the outcome's history"
        run "$KITH" --db "$T/$x.kith" sync status
        expect_out "Kim Lee, contact: " "$1: $x: sync status lists it"
    done
    same_journals "$A" "$B" "$1: A and B"
    same_journals "$A" "$C" "$1: A and C"
}

# A's outcome reaches B after B's delete, and A meets the delete after.
start
kb rm Kim --yes >/dev/null || fail "outcome first: B: rm"
rb=$(sync_id "$B")
ka sync >/dev/null || fail "outcome first: A: sync"
run kb sync
expect_out "Kim Lee, contact: deleted here; logged with it there (replica $(printf %.8s "$(sync_id "$A")")): a change the delete had not seen keeps the contact" \
    "outcome first: B: told as the outcome comes"
run ka sync
expect_out "kept 1 contact, archived, against a delete made there" "outcome first: A: the keep"
expect_out "Kim Lee, contact: kept, archived; deleted there (replica $(printf %.8s "$rb"))" \
    "outcome first: A: the conflict"
run kb sync
expect_out "Kim Lee, contact: deleted here; kept, archived there" "outcome first: B: told"
run kc sync
expect_out "Kim Lee, contact: " "outcome first: C: told"
kept "outcome first"

# B's delete reaches A first.
start
kb rm Kim --yes >/dev/null && kb sync >/dev/null || fail "delete first: B"
run ka sync
expect_out "kept 1 contact, archived, against a delete made there" "delete first: A: the keep"
run kb sync
expect_out "Kim Lee, contact: deleted here; " "delete first: B: told"
run kc sync
expect_out "Kim Lee, contact: " "delete first: C: told"
ka sync >/dev/null && kb sync >/dev/null && kc sync >/dev/null || fail "delete first: settle"
kept "delete first"

# C meets the outcome first, then the delete: it keeps the contact itself,
# before A does.
start
ka sync >/dev/null && kc sync >/dev/null || fail "third keeps: the outcome to C"
kb rm Kim --yes >/dev/null && kb sync >/dev/null || fail "third keeps: B"
run kc sync
expect_out "kept 1 contact, archived, against a delete made there" "third keeps: C: the keep"
run kb sync
expect_out "Kim Lee, contact: deleted here; " "third keeps: B: told"
ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null ||
    fail "third keeps: settle"
kept "third keeps"

# C meets the delete first, then the outcome, and is told as it comes.
start
kb rm Kim --yes >/dev/null && kb sync >/dev/null && kc sync >/dev/null ||
    fail "third in between: B, C"
ka sync >/dev/null || fail "third in between: A"
run kc sync
expect_out "Kim Lee, contact: deleted by replica" "third in between: C: told"
expect_out "logged with it there" "third in between: C: told"
ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null ||
    fail "third in between: settle"
kept "third in between"

# A delete made after the outcome reached its machine: Kim goes with the
# referral and its history, and nothing is listed.
start
ka sync >/dev/null && kb sync >/dev/null || fail "seen: syncs"
kb rm Kim --yes >/dev/null && kb sync >/dev/null || fail "seen: rm"
run ka sync
expect_no_out "kept" "seen: A keeps nothing"
expect_no_out "conflicts this sync" "seen: nothing listed"
kc sync >/dev/null && kb sync >/dev/null || fail "seen: settle"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" show Kim
    expect_rc 1 "seen: $x: the delete holds"
    run "$KITH" --db "$T/$x.kith" export json
    expect_no_out "started in March" "seen: $x: the history went with the referral"
    run "$KITH" --db "$T/$x.kith" sync status
    expect_no_out "Kim Lee" "seen: $x: nothing listed"
done
same_journals "$A" "$B" "seen: A and B"
same_journals "$A" "$C" "seen: A and C"

# A second delete, made after the contact came back kept, holds.
start
kb rm Kim --yes >/dev/null || fail "again: first rm"
ka sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null && kb sync >/dev/null &&
    kc sync >/dev/null || fail "again: syncs"
kb show Kim >/dev/null 2>&1 || fail "again: not kept first"
kb rm Kim --yes >/dev/null || fail "again: second rm"
kb sync >/dev/null && ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null &&
    ka sync >/dev/null || fail "again: settle"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" show Kim
    expect_rc 1 "again: $x: the second delete holds"
done
same_journals "$A" "$B" "again: A and B"
same_journals "$A" "$C" "again: A and C"
finish
