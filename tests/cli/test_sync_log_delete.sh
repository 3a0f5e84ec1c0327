#!/bin/sh
# Something logged with a contact on one machine (an interaction, a
# referral, a thank-you) and a later delete of the contact on another that
# had not seen it: like an edit, it keeps the contact, archived, with what
# was logged, on every machine and in either order, and every machine is
# told; a delete made after the log reached it takes the contact, and
# says nothing, and so does a second delete made after the keep.
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
    ka add "Kim Lee" --company Initech >/dev/null && ka add "Ann Ray" >/dev/null &&
        ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && kc sync "$S" >/dev/null ||
        fail "first syncs"
}

# log WHAT: logs WHAT with Kim on A (an interaction with Kim and Ann, a
# referral by Kim, a thank-you to Kim).
log() {
    case $1 in
    interaction) ka log Kim Ann --kind coffee --gave --summary "the unseen coffee" ;;
    referral) ka refer --by Kim --to-text "the unseen intro" ;;
    thanks) ka thank Kim --form lunch --note "the unseen lunch" ;;
    esac >/dev/null || fail "A: log $1"
}

# shows WHAT MSG: Kim is on every machine, archived, with what A logged.
shows() {
    for x in a b c; do
        run "$KITH" --db "$T/$x.kith" show Kim
        expect_rc 0 "$2: $x: kept"
        expect_out "(archived)" "$2: $x: archived"
        case $1 in
        interaction) expect_out "the unseen coffee" "$2: $x: the interaction with Kim" ;;
        referral) expect_out "the unseen intro" "$2: $x: the referral" ;;
        thanks)
            run "$KITH" --db "$T/$x.kith" export json
            expect_out "the unseen lunch" "$2: $x: the thank-you"
            ;;
        esac
    done
    same_journals "$A" "$B" "$2: A and B"
    same_journals "$A" "$C" "$2: A and C"
}

for what in interaction referral thanks; do
    # A's log reaches B after B's delete, and A meets the delete after.
    start
    log $what
    kb rm Kim --yes >/dev/null || fail "$what: B: rm"
    rb=$(sync_id "$B")
    ka sync >/dev/null || fail "$what: A: sync"
    run kb sync
    expect_out "Kim Lee, contact: deleted here; logged with it there (replica $(printf %.8s "$(sync_id "$A")")): a change the delete had not seen keeps the contact" \
        "$what: B: told as the log comes"
    run ka sync
    expect_out "kept 1 contact, archived, against a delete made there" "$what: A: the keep"
    expect_out "Kim Lee, contact: kept, archived; deleted there (replica $(printf %.8s "$rb"))" \
        "$what: A: the conflict"
    run kb sync
    expect_out "Kim Lee, contact: deleted here; " "$what: B: told"
    expect_out "kept, archived there" "$what: B: told"
    run kb sync status
    expect_out "Kim Lee" "$what: B: sync status lists it"
    run kc sync
    expect_out "Kim Lee, contact: " "$what: C: told"
    shows $what "$what, log first"
done

# B's delete reaches A first; C meets the log first, then the delete: it
# keeps the contact itself.
start
log interaction
kb rm Kim --yes >/dev/null && kb sync >/dev/null || fail "delete first: B"
run ka sync
expect_out "kept 1 contact, archived, against a delete made there" "delete first: A: the keep"
run kc sync
expect_out "Kim Lee, contact: " "delete first: C: told"
run kb sync
expect_out "Kim Lee, contact: deleted here; " "delete first: B: told"
ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null || fail "delete first: settle"
run ka sync status
expect_out "Kim Lee" "delete first: A: sync status lists it"
shows interaction "delete first"

# A third machine logs: B, which deleted, had seen A's changes but not C's.
start
kc log Kim --kind call --gave --summary "the third's call" >/dev/null || fail "third: C: log"
ka edit Ann --title Boss >/dev/null && ka sync >/dev/null && kb sync >/dev/null ||
    fail "third: A's edit"
kb rm Kim --yes >/dev/null || fail "third: B: rm"
kb sync >/dev/null && kc sync >/dev/null && ka sync >/dev/null && kb sync >/dev/null &&
    kc sync >/dev/null && ka sync >/dev/null || fail "third: settle"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" show Kim
    expect_rc 0 "third: $x: kept"
    expect_out "the third's call" "third: $x: the call kept"
done
same_journals "$A" "$B" "third: A and B"
same_journals "$A" "$C" "third: A and C"

# A delete made after the log reached it: the contact goes, with what was
# logged, and nothing is listed.
start
log interaction
ka sync >/dev/null && kb sync >/dev/null || fail "seen: syncs"
kb rm Kim --yes >/dev/null && kb sync >/dev/null || fail "seen: rm"
run ka sync
expect_no_out "kept" "seen: A keeps nothing"
expect_no_out "conflicts this sync" "seen: nothing listed"
kc sync >/dev/null || fail "seen: C"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" show Kim
    expect_rc 1 "seen: $x: the delete holds"
done
run ka show Ann
expect_out "the unseen coffee" "seen: the interaction stays with Ann"

# A second delete, made after the contact came back kept: it holds, though
# a third machine that kept the contact too (it met the log first, as the
# replicas' ids order the files) sends its keep only now.
for round in 1 2 3 4; do
    start
    log interaction
    kb rm Kim --yes >/dev/null || fail "again: first rm"
    kb sync >/dev/null && ka sync >/dev/null && kb sync >/dev/null && kc sync >/dev/null ||
        fail "again: syncs"
    kb show Kim >/dev/null 2>&1 || fail "again $round: not kept first"
    kb rm Kim --yes >/dev/null || fail "again: second rm"
    kb sync >/dev/null && ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null &&
        ka sync >/dev/null && kc sync >/dev/null && kb sync >/dev/null || fail "again: settle"
    for x in a b c; do
        run "$KITH" --db "$T/$x.kith" show Kim
        expect_rc 1 "again $round: $x: the second delete holds"
    done
    same_journals "$A" "$B" "again $round: A and B"
    same_journals "$A" "$C" "again $round: A and C"
done
finish
