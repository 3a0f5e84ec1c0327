#!/bin/sh
# Conflict lines read as words: a flag as archived / not archived, a time
# in local time, a cadence as "every N days", a column naming a contact as
# that contact's name, nothing as (empty); and a contact deleted here and
# edited there several times is one line for the run, not one per edit.
# A third replica that applies two others' changes says whose each value
# was, not "this journal's"; a challenge tick and a reminder say which; a
# long value is cut in a line but whole in --json; status lists the most
# recent conflicts, --all every one.
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
expect_out 'Cleo Park, keep in touch: kept "every 30 days" from replica'
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
expect_out "Ben Okafor, referral's target contact: kept \"Cleo Park\" from replica"
expect_out "not (empty) (this journal's)"
expect_out "Ben Okafor, thank-you's interaction: kept interaction abcdef01 from replica"
expect_no_out '"1"'
expect_no_out "T10:00:00"
printf '%s\n' "$OUT" | grep -q 'Ben Okafor, updated at: kept 2026-12-06 [0-9][0-9]:[0-9][0-9] from replica' ||
    fail "C: a time in local time: $OUT"
# --json keeps the values as stored.
run ka sync status --json
expect_json '"field":"archived","kept":"1","other":"0"'

export KITH_TODAY=2026-12-08
# D: three replicas. A sets Ana's company, B later another; C edited
# nothing: each value is named by the replica that made it, on C, in
# either order of applying.
S3="$T/shared3"
C="$T/c.kith"
D3="$T/d3.kith"
A3="$T/a3.kith"
B3="$T/b3.kith"
k3() { db=$1; shift; "$KITH" --db "$db" "$@"; }
mkdir "$S3"
k3 "$A3" add "Ana Ruiz" --every 7d >/dev/null || fail "D: add"
k3 "$A3" log "Ana Ruiz" --kind call --on 2026-11-01 >/dev/null || fail "D: log"
k3 "$A3" challenge start --on 2026-12-01 >/dev/null || fail "D: challenge"
for db in "$A3" "$B3" "$C"; do k3 "$db" sync "$S3" >/dev/null || fail "D: first sync"; done
ra3=$(sync_id "$A3")
rb3=$(sync_id "$B3")
rid=$(k3 "$A3" today | grep Reconnect | sed -E 's/^. [0-9-]{10}  ([0-9a-f]+) .*/\1/')
[ -n "$rid" ] || fail "D: no reminder to mark"
k3 "$A3" edit ana --company Globex >/dev/null || fail "D: A edits"
k3 "$A3" remind done "$rid" >/dev/null || fail "D: A done"
k3 "$A3" tick --note fromA >/dev/null || fail "D: A tick"
sleep 0.01
k3 "$B3" edit ana --company Initech >/dev/null || fail "D: B edits"
k3 "$B3" remind snooze "$rid" --days 3 >/dev/null || fail "D: B snooze"
k3 "$B3" tick --note fromB >/dev/null || fail "D: B tick"
k3 "$A3" sync >/dev/null && k3 "$B3" sync >/dev/null || fail "D: A and B send"
run k3 "$C" sync
expect_rc 0 "D: C applies both"
expect_out "Ana Ruiz, company: kept \"Initech\" from replica $(printf %.8s "$rb3") (the later change), not \"Globex\" from replica $(printf %.8s "$ra3")"
expect_no_out "this journal's"
# E: a challenge tick and a reminder say which they are.
expect_out "  challenge tick 2026-12-08, note: kept \"fromB\" from replica"
expect_out "  Ana Ruiz, reminder cadence of 2026-11-08, snoozed until: kept \"2026-12-11\" from replica"
run k3 "$C" sync status --json
expect_json '"field":"company","kept":"Initech","other":"Globex","rule":"the later change wins","kept_from":"replica","kept_replica":"'"$rb3"'","other_replica":"'"$ra3"'"'
expect_no_out '"kept_from":"here"'
expect_json '"name":null,"field":"note","kept":"fromB","other":"fromA"'
expect_json '"about":"challenge tick 2026-12-08"'
expect_json '"entity":"reminder_state","id":"'"$(k3 "$C" show ana --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"'","name":"Ana Ruiz"'
expect_json '"about":"reminder cadence of 2026-11-08"'
expect_no_out '"id":""'
# A, whose value lost, says so as before.
run k3 "$A3" sync
expect_out "Ana Ruiz, company: kept \"Initech\" from replica $(printf %.8s "$rb3") (the later change), not \"Globex\" (this journal's)"

# F: a new journal's first sync: a delete it never made is another's.
ka rm cleo --yes >/dev/null || fail "F: rm Cleo"
sleep 0.01
kb edit cleo --company Umbrella >/dev/null || fail "F: B edits Cleo"
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "F: A and B send"
# A's files first (replicas are applied in the order of their ids).
mv "$S/$rb" "$T/held" && "$KITH" --db "$T/new.kith" sync "$S" >/dev/null &&
    mv "$T/held" "$S/$rb" || fail "F: the new journal applies A's files"
run "$KITH" --db "$T/new.kith" sync "$S"
expect_rc 0 "F: a new journal's first sync of B's files"
expect_out "Cleo Park, contact: deleted by replica $(printf %.8s "$ra")"
expect_no_out "deleted here"
run ka sync "$S"
expect_out "Cleo Park, contact: deleted here"

# G: a long value lost: cut in the line, whole in --json.
long=$(python3 -c 'print("x" * 10000)')
kb edit ben --note "short" >/dev/null || fail "G: note on B"
sleep 0.01
ka edit ben --note "$long" >/dev/null || fail "G: long note on A"
ka sync "$S" >/dev/null || fail "G: A sends"
run kb sync "$S"
expect_out "(9920 more characters)"
expect_out "    full text: kith --db $B sync status --json"
[ "$(printf '%s\n' "$OUT" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -lt 400 ] ||
    fail "G: a conflict line is not short: $OUT"
run kb sync status --json
expect_json "\"kept\":\"$long\""

# H: status lists the 20 most recent conflicts, --all every one.
for i in $(seq 1 25); do
    sql_poke "$A" "INSERT INTO sync_conflict(source, place, entity, entity_id, field, kept, other, rule) VALUES ('sync', '$rb', 'contact', '$ben', 'title', 'v$i', 'w$i', 'the later change wins')"
done
run ka sync status
n=$(printf '%s\n' "$OUT" | grep -c 'resolved [0-9]')
[ "$n" = 20 ] || fail "H: status lists $n conflicts, not 20: $OUT"
expect_out 'kept "v25"'
expect_no_out 'kept "v5" '
expect_out "older conflicts: kith --db $A sync status --all"
run ka sync status --all
expect_rc 0 "H: --all"
expect_out 'kept "v1" '
expect_no_out "older conflicts"
run ka sync status --json
[ "$(printf '%s\n' "$OUT" | grep -o '"kept":"v[0-9]*"' | wc -l)" = 25 ] || fail "H: --json has not every conflict"
run ka sync --all
expect_rc 2 "H: --all without status"

# I: one address book imported on both machines: a UID on two contacts of
# one name. The line names the field in words and tells the contacts apart
# by id, with what to do; a referral's field is "referral's ...", not the
# table's name.
I="$T/i"
mkdir "$I" "$I/F"
ki1() { "$KITH" --db "$I/1.kith" "$@"; }
ki2() { "$KITH" --db "$I/2.kith" "$@"; }
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gina Hart\r\nUID:urn:uuid:1111-2222\r\nEND:VCARD\r\n' >"$I/c.vcf"
ki1 add Seed >/dev/null && ki1 sync "$I/F" >/dev/null && ki2 sync "$I/F" >/dev/null || fail "I: start"
ki1 import vcard "$I/c.vcf" >/dev/null && ki2 import vcard "$I/c.vcf" >/dev/null || fail "I: imports"
ki1 sync >/dev/null || fail "I: 1 sends"
run ki2 sync
expect_rc 0 "I: 2 applies"
expect_out "Gina Hart, the contact that has its UID: kept " "I: the field in words"
expect_no_out "contact_uid" "I: no table name"
i1=$(ki1 list --json | grep -o '"id":"[0-9a-f]*","name":"Gina Hart"' | cut -c7-14)
i2=$(ki2 list --json | grep -o '"id":"[0-9a-f]*","name":"Gina Hart"' | grep -v "$i1" | cut -c7-14)
[ -n "$i1" ] && [ -n "$i2" ] || fail "I: ids: $i1 $i2"
expect_out "$i1 \"Gina Hart\"" "I: one by its id"
expect_out "$i2 \"Gina Hart\"" "I: the other by its id"
expect_out "two contacts had one UID: one person added on two machines? to review and merge them: kith --db" "I: what to do"

# J: a file whose every change lost its conflict changed nothing here: the
# run says so, not "(0 changes)" above the conflict.
ki1 edit Seed --company "One Co" >/dev/null && sleep 0.01 && ki2 edit Seed --company "Two Co" >/dev/null ||
    fail "J: edits"
ki1 sync >/dev/null || fail "J: 1 sends"
run ki2 sync
expect_out "applied 1 file of other replicas: nothing changed here (this journal's values were kept" "J: said"
expect_no_out "(0 changes)" "J: no zero count"
expect_out 'Seed, company: kept "Two Co"' "J: the conflict"

# K: equal clocks. A journal copied before sync was on, one copy's value
# changed without a new time (as a tool editing the file would): both send
# the row with one stamp, and the replica ids decide. The line says so,
# not "the later change".
K="$T/k"
mkdir "$K" "$K/F"
"$KITH" --db "$K/1.kith" add "Tia Moss" --company "Same Co" >/dev/null || fail "K: add"
cp "$K/1.kith" "$K/2.kith"
sql_poke "$K/2.kith" "UPDATE contact SET company = 'Other Co'"
"$KITH" --db "$K/1.kith" sync "$K/F" >/dev/null || fail "K: 1 starts"
run "$KITH" --db "$K/2.kith" sync "$K/F"
expect_rc 0 "K: 2 joins"
expect_out "Tia Moss, company: kept " "K: a conflict listed"
expect_out "equal clocks: the greater replica id)" "K: the ids decided, said so"
expect_no_out "later change" "K: not called later"
run "$KITH" --db "$K/2.kith" sync status --json
expect_out '"rule":"equal clocks: ' "K: --json names the rule"
expect_out '"kept_from":"' "K: and whose value was kept"

finish
