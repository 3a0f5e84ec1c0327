#!/bin/sh
# Conflict lines read as words: a flag as archived / not archived, a time
# in local time, a cadence as "every N days", a column naming a contact as
# that contact's name, nothing as (empty); and a contact deleted here and
# edited there several times is one line for the run, not one per edit.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"
for n in "Ana Ruiz" "Ben Okafor" "Cleo Park"; do
    ka add "$n" >/dev/null || fail "add $n"
done
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "first syncs"

# A: Ana deleted on A, edited three times on B: A lists one line for her.
ka rm ana --yes >/dev/null || fail "A: rm Ana"
sleep 0.01
kb edit ana --company Globex >/dev/null && kb edit ana --company Initech >/dev/null &&
    kb edit ana --title CTO >/dev/null || fail "A: edits on B"
kb sync "$S" >/dev/null || fail "A: B sends"
run ka sync "$S"
expect_rc 0 "A: A applies the edits"
[ "$(printf '%s\n' "$OUT" | grep -c 'deleted here; edited there')" = 1 ] ||
    fail "A: not one line for Ana: $OUT"
expect_out "an edit later than the delete keeps the contact, archived"
run ka sync status
[ "$(printf '%s\n' "$OUT" | grep -c 'deleted here; edited there')" = 1 ] ||
    fail "A: status has not one line for Ana: $OUT"
run ka sync status --json
[ "$(printf '%s\n' "$OUT" | grep -o '"other":"edited there"' | wc -l)" = 1 ] ||
    fail "A: --json has not one conflict for Ana: $OUT"
kb sync "$S" >/dev/null && ka sync "$S" >/dev/null || fail "A: syncs after"
same_journals "$A" "$B" "A: after"

# B: a cadence set on both sides, a real conflict: as "every N days".
ka edit cleo --every 14d >/dev/null || fail "B: cadence on A"
sleep 0.01
kb edit cleo --every 30d >/dev/null || fail "B: cadence on B"
kb sync "$S" >/dev/null || fail "B: B sends"
run ka sync "$S"
expect_out 'Cleo Park, cadence_days: kept "every 30 days" from replica'
expect_out 'not "every 14 days" (this journal'"'"'s)'

# C: the values other conflicts hold, as a sync stores them: words.
ra=$(sync_id "$A")
rb=$(sync_id "$B")
ben=$(ka show ben --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
cleo=$(ka show cleo --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
poke() {
    sql_poke "$A" "INSERT INTO sync_conflict(source, place, entity, entity_id, field, kept, other, rule) VALUES ('sync', '$rb', 'contact', '$ben', $1, 'the later change wins')"
}
poke "'archived', '1', '0'"
poke "'updated_at', '2026-12-06T10:00:00.000Z', '2026-12-05T09:30:00.000Z'"
poke "'referral.target_contact_id', '$cleo', NULL"
poke "'thanks.interaction_id', 'abcdef0123456789abcdef0123456789', NULL"
run ka sync status
expect_out 'Ben Okafor, archived: kept "archived" from replica'
expect_out 'not "not archived" (this journal'"'"'s)'
expect_out 'Ben Okafor, referral.target_contact_id: kept "Cleo Park" from replica'
expect_out "not (empty) (this journal's)"
expect_out "Ben Okafor, thanks.interaction_id: kept interaction abcdef01 from replica"
expect_no_out '"1"'
expect_no_out "T10:00:00"
printf '%s\n' "$OUT" | grep -q 'Ben Okafor, updated_at: kept 2026-12-06 [0-9][0-9]:[0-9][0-9] from replica' ||
    fail "C: a time in local time: $OUT"
# --json keeps the values as stored.
run ka sync status --json
expect_json '"field":"archived","kept":"1","other":"0"'

finish
