#!/bin/sh
# Two challenges started on two machines before they synced: every machine
# shows the later start, and the sync that changes the challenge a machine
# shows says so, and where the other one is.
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
finish
