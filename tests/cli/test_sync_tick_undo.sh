#!/bin/sh
# An untick (an undo of a synced tick) made without having seen another
# machine's tick of the same day leaves the day ticked, on every machine,
# whichever came first where they meet; the conflict is listed. An untick
# made after that tick had come still unticks, and nothing is listed.
. "$KITH_TESTLIB"

export KITH_TODAY=2026-11-22
S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
C="$T/c.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kc() { "$KITH" --db "$C" "$@"; }

start() {
    rm -rf "$S" "$A" "$B" "$C" && mkdir "$S"
    ka add "Ana Ruiz" >/dev/null && ka challenge start >/dev/null && ka sync "$S" >/dev/null &&
        kb sync "$S" >/dev/null && kc sync "$S" >/dev/null || fail "first syncs"
}

settle() {
    for k in ka kb kc ka kb; do
        $k sync >/dev/null || fail "$1: syncs"
    done
}

# ticked X NOTE WHAT: journal X has the day ticked, with NOTE.
ticked() {
    run "$KITH" --db "$1" challenge --json
    expect_json '"ticks":[{"date":"2026-11-22","note":"'"$2"'"' "$3"
}

# A's untick reaches B after B's tick (order of B), B's tick reaches A
# after A's untick (order of A); C has both ticks before the untick.
start
ka tick --note "A did" >/dev/null && ka sync >/dev/null || fail "unseen: A ticks"
kb tick --note "B did" >/dev/null && kb sync >/dev/null && kc sync >/dev/null ||
    fail "unseen: B ticks"
ka undo >/dev/null && ka sync >/dev/null || fail "unseen: A unticks"
kc sync >/dev/null && kb sync >/dev/null || fail "unseen: C, B"
for x in a b c; do
    ticked "$T/$x.kith" "B did" "unseen: $x"
done
run kb sync status
expect_out "challenge tick 2026-11-22, tick: unticked by replica $(printf %.8s "$(sync_id "$A")"); ticked here, unseen by the untick" \
    "unseen: B lists it"
expect_out "the day stays ticked" "unseen: B's rule"
run ka sync status
expect_out "challenge tick 2026-11-22, tick: unticked here; ticked there, unseen by the untick (replica $(printf %.8s "$(sync_id "$B")"))" \
    "unseen: A lists it"
settle "unseen"
same_journals "$A" "$B" "unseen: A, B"
same_journals "$A" "$C" "unseen: A, C"

# C has the untick before B's tick: the tick brings the day back there.
start
ka tick --note "A did" >/dev/null && ka sync >/dev/null && kc sync >/dev/null ||
    fail "C first: A ticks"
kb tick --note "B did" >/dev/null || fail "C first: B ticks"
ka undo >/dev/null && ka sync >/dev/null && kc sync >/dev/null || fail "C first: A unticks"
run kc challenge --json
expect_json '"ticks":[]' "C first: unticked on C"
kb sync >/dev/null && kc sync >/dev/null || fail "C first: B, C"
ticked "$C" "B did" "C first: back on C"
run kc sync status
expect_out "the day stays ticked" "C first: C lists it"
settle "C first"
for x in a b c; do
    ticked "$T/$x.kith" "B did" "C first: $x"
done
same_journals "$A" "$B" "C first: A, B"
same_journals "$A" "$C" "C first: A, C"

# B ticked first, A later without having seen it: B's tick, merged
# with A's later one where both are, still keeps the day.
start
kb tick --note "B did" >/dev/null || fail "B earlier: B ticks"
ka tick --note "A did" >/dev/null && ka sync >/dev/null && ka undo >/dev/null &&
    ka sync >/dev/null || fail "B earlier: A ticks, unticks"
settle "B earlier"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" challenge --json
    expect_json '"today_done":true' "B earlier: $x ticked"
done
same_journals "$A" "$B" "B earlier: A, B"
same_journals "$A" "$C" "B earlier: A, C"

# The guard: A had B's tick when it unticked (B's tick, unticked on B,
# then A's tick of the day, unticked). C has B's tick, then A's tick and
# untick before B's untick (B's file held back meanwhile): A's untick
# takes the day there too, and no "stays ticked" is listed.
start
kb tick --note "B did" >/dev/null && kb sync >/dev/null && kc sync >/dev/null &&
    ka sync >/dev/null || fail "seen: B ticks"
kb undo >/dev/null && kb sync >/dev/null && ka sync >/dev/null || fail "seen: B unticks"
ka tick --note "A did" >/dev/null && ka sync >/dev/null && ka undo >/dev/null &&
    ka sync >/dev/null || fail "seen: A ticks, unticks"
last=$(ls "$S/$(sync_id "$B")" | grep changeset | sort -n | tail -1)
mv "$S/$(sync_id "$B")/$last" "$T/held" && kc sync >/dev/null &&
    mv "$T/held" "$S/$(sync_id "$B")/$last" || fail "seen: C without B's untick"
settle "seen"
for x in a b c; do
    run "$KITH" --db "$T/$x.kith" challenge --json
    expect_json '"ticks":[]' "seen: unticked on $x"
    run "$KITH" --db "$T/$x.kith" sync status
    expect_no_out "stays ticked" "seen: nothing listed on $x"
done
same_journals "$A" "$C" "seen: A, C"
finish
