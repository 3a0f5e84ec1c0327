#!/bin/sh
# Two challenges started on two machines before they synced: every machine
# shows the later start, and the sync that changes the challenge a machine
# shows says so, and where the other one is, and whether today's tick
# stayed with the other.
. "$KITH_TESTLIB"
export KITH_TODAY=2026-12-07

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"

ka challenge start --on 2026-12-04 >/dev/null && ka tick --on 2026-12-05 >/dev/null &&
    ka tick >/dev/null || fail "A: challenge"
kb challenge start >/dev/null && kb tick >/dev/null || fail "B: challenge"
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "first syncs"
run kb sync
expect_no_out "the challenge is now" "B: its own challenge stays the one shown"
run ka sync
expect_rc 0 "A: sync"
expect_out "the challenge is now the one started 2026-12-07 on another machine" "A: told"
expect_out "the one started 2026-12-04 is listed by: kith --db $A challenge history" "A: where"
run ka challenge history
expect_out "2026-12-04" "A: its challenge kept in the history"
# Said once: the next sync changes nothing.
run ka sync
expect_no_out "the challenge is now" "A: said once"
# Nothing said where the challenge shown does not change.
ka add "Ana Ruiz" >/dev/null && ka sync >/dev/null || fail "A: add"
run kb sync --json
expect_json '"challenge_now_started":null' "B: --json, no change"
same_journals "$A" "$B" "A and B"

# A ticked today, B's challenge (the later start) has no tick today: A is
# told today's tick stayed with its own, and how to tick the one shown.
tick_start() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka challenge start --on 2026-12-04 >/dev/null && ka tick >/dev/null || fail "tick: A"
    kb challenge start >/dev/null || fail "tick: B"
    ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "tick: first syncs"
}
tick_start
run ka sync --json
expect_json '"challenge_now_started":"2026-12-07","challenge_tick_stayed":"2026-12-07"' \
    "tick: --json"
tick_start
run ka sync
expect_out "the challenge is now the one started 2026-12-07 on another machine" "tick: told"
expect_out "today's tick (2026-12-07) stays with the one started 2026-12-04; to tick that day in the one shown now: kith --db $A tick --on 2026-12-07" \
    "tick: the tick stayed"
# Pasted (on that day or later: it names the day), the tick counts that
# day in the one shown.
cmd=$(printf '%s\n' "$OUT" | sed -n 's/.*: \(kith .* tick --on [0-9-]*\)$/\1/p')
kith() { "$KITH" "$@"; }
(export KITH_TODAY=2026-12-08 && eval "$cmd") >/dev/null || fail "tick: pasted a day later: $cmd"
run ka challenge --json
expect_json '"started_on":"2026-12-07"' "tick: the one shown"
expect_json '"today_done":true' "tick: today counted in it"
# B ticked its own today too: nothing to say of the tick.
tick_start
kb tick >/dev/null && kb sync >/dev/null || fail "tick: B ticks"
run ka sync
expect_out "the challenge is now the one started 2026-12-07" "both ticked: told"
expect_no_out "today's tick" "both ticked: no tick stayed"
finish
