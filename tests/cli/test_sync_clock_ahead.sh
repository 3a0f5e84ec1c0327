#!/bin/sh
# A replica whose clock runs ahead wins every conflict with a change made
# before its clock's time (the rule is the later stamp): sync status says
# so, with how many days, so that the user sets that clock right (review
# r26 #4). A clock in step says nothing.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
mkdir "$S"
"$KITH" --db "$A" add "Ana Ruiz" >/dev/null && "$KITH" --db "$A" sync "$S" >/dev/null &&
    "$KITH" --db "$B" sync "$S" >/dev/null && "$KITH" --db "$A" sync >/dev/null || fail "syncs"
rb=$(sync_id "$B")

run "$KITH" --db "$A" sync status
expect_rc 0 "in step: status"
expect_no_out "ahead of this machine's" "in step: nothing said"
run "$KITH" --db "$A" sync status --json
expect_json '"clock_ahead_days":0' "in step: 0 in JSON"

# Less than a day ahead (time zones, a clock a little fast): nothing.
ahead=$(date -u -d '+20 hours' +%Y-%m-%dT%H:%M:%SZ)
sed -i "s/^at .*/at $ahead/" "$S/$rb/state" && "$KITH" --db "$A" sync >/dev/null || fail "state"
run "$KITH" --db "$A" sync status
expect_no_out "ahead of this machine's" "hours ahead: nothing said"
# B last synced at a time three years ahead of this machine's clock, by
# its own (its state file says when, as it writes it).
ahead=$(date -u -d '+1096 days' +%Y-%m-%dT%H:%M:%SZ)
sed -i "s/^at .*/at $ahead/" "$S/$rb/state" && "$KITH" --db "$A" sync >/dev/null || fail "state"
run "$KITH" --db "$A" sync status
expect_rc 0 "ahead: status"
expect_out "its last sync is dated 109" "ahead: said, in days"
expect_out "days ahead of this machine's clock: its clock runs ahead" "ahead: said"
expect_out "set that machine's clock right" "ahead: what to do"
run "$KITH" --db "$A" sync status --json
expect_json '"clock_ahead_days":109' "ahead: in JSON"

finish
