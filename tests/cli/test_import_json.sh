#!/bin/sh
# kith export json / import json (lossless, ids kept, empty journal only),
# kith backup, and kith export ics.
. "$KITH_TESTLIB"

run k demo
expect_rc 0 "demo journal"
run k export json -o "$T/one.json"
expect_rc 0 "export json"
grep -q '^{"format":"kith","version":4,' "$T/one.json" || fail "format and version"
for section in contacts interactions referrals thanks forwards challenges reminder_state; do
    grep -q "\"$section\":\[" "$T/one.json" || fail "no $section in the export"
done
grep -q '"events":\[{' "$T/one.json" || fail "referral outcome events"
grep -q '"ticks":\[{' "$T/one.json" || fail "challenge ticks"

run "$KITH" --db "$T/two.db" import json "$T/one.json"
expect_rc 0 "import json"
expect_out "restored the journal from"
run "$KITH" --db "$T/two.db" export json -o "$T/two.json"
cmp -s "$T/one.json" "$T/two.json" || fail "JSON round trip differs"
"$KITH" --db "$DB" referrals --json >"$T/r1"
"$KITH" --db "$T/two.db" referrals --json >"$T/r2"
cmp -s "$T/r1" "$T/r2" || fail "referrals differ after the round trip"
cat "$T/one.json" | "$KITH" --db "$T/three.db" import json - >/dev/null || fail "import json from stdin"

# Only into an empty journal; bad documents change nothing.
before=$("$KITH" --db "$T/two.db" export json)
run "$KITH" --db "$T/two.db" import json "$T/one.json"
expect_rc 1 "import json into a full journal"
expect_err "is not empty"
printf '{"format":"kith","version":1,"contacts":[{"id":"x"}]}' >"$T/bad1.json"
printf '{"format":"other"}' >"$T/bad2.json"
printf '{"format":"kith","version":1,' >"$T/bad3.json"
printf '{"format":"kith","version":5}' >"$T/bad4.json"
sed 's/"name":"[^"]*"/"name":null/' "$T/one.json" >"$T/bad5.json"
printf '\377\376' >"$T/bad6.json"
printf '{"format":"kith","version":2,"messages":[{"message_id":"a@b"}]}' >"$T/bad7.json"
printf '{"format":"kith","version":2,"messages":[{"message_id":"a@b","interaction":"%s"}]}' \
    0123456789abcdef0123456789abcdef >"$T/bad8.json"
i=1
for msg in "contacts[0] is not an object" "not a kith journal export" "not valid JSON" \
    "written by a newer kith" "contacts[0].name: a value is required, not null" \
    "not a kith JSON export (not UTF-8" \
    "messages[0]: a message needs interaction" \
    "the file has a message that refers to an interaction it does not contain"; do
    rm -f "$T/e.db" "$T/e.db-wal" "$T/e.db-shm"
    "$KITH" --db "$T/e.db" add Someone >/dev/null
    b=$("$KITH" --db "$T/e.db" export json)
    "$KITH" --db "$T/e.db" rm Someone --yes >/dev/null
    run "$KITH" --db "$T/e.db" import json "$T/bad$i.json"
    expect_rc 1 "bad json $i"
    expect_err "bad$i.json: $msg"
    "$KITH" --db "$T/e.db" export json | grep -q '"contacts":\[\]' || fail "bad json $i wrote"
    i=$((i + 1))
done
[ "$("$KITH" --db "$T/two.db" export json)" = "$before" ] || fail "a failed import changed the journal"

# Every value is checked as the other commands check it; a refused document
# leaves no journal behind and no SQLite message reaches the user.
A='"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'
B='"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"'
ana="{\"id\":$A,\"name\":\"Ana\"}"
ref="{\"id\":$B,\"referrer\":$A,\"target_text\":\"Globex\",\"kind\":\"job\""
long=$(printf '%01001d' 0)
i=0
while IFS='|' read -r body msg; do
    i=$((i + 1))
    printf '{"format":"kith","version":1,%s}' "$body" >"$T/hostile$i.json"
    rm -f "$T/h.db" "$T/h.db-wal" "$T/h.db-shm"
    run "$KITH" --db "$T/h.db" import json "$T/hostile$i.json"
    expect_rc 1 "hostile json $i"
    expect_err "hostile$i.json$msg" "hostile json $i"
    expect_no_err "constraint" "hostile json $i"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/h.db" ] || fail "hostile json $i: a refused import left a journal behind"
done <<EOF
"contacts":[$ana],"referrals":[$ref,"date":"garbage"}]|: referrals[0].date: 'garbage' is not a date (YYYY-MM-DD)
"contacts":[{"id":$A,"name":"Ana\\ud800"}]|:1:94: a lone high surrogate (\\uD800-\\uDBFF) is not a character
"contacts":[{"id":$A,"name":"Ana\\u0000Ruiz"}]|:1:94: \\u0000, a NUL character, cannot be in kith's text
"contacts":[{"id":$A,"name":"$long"}]|: contacts[0].name: name is 1001 bytes long; the limit is 1000
"contacts":[$ana,$ana]|: two contacts have the same id
"contacts":[$ana],"referrals":[$ref,"date":"2026-01-01","parent":$B}]|: referrals[0]: a referral cannot grow out of itself
"contacts":[$ana],"interactions":[{"id":$B,"date":"2026-01-01","kind":"call","direction":"both","contacts":[$A]}]|: interactions[0].direction: 'both' is not a direction (gave, asked or mutual)
"contacts":[{"id":$A,"name":"Ana","archived":"no"}]|: contacts[0].archived: expected true or false, found text
EOF


# Backup.
run k backup "$T/copy.db"
expect_rc 0 "backup"
expect_out "backed up to"
"$KITH" --db "$T/copy.db" export json >"$T/copy.json"
cmp -s "$T/one.json" "$T/copy.json" || fail "the backup differs"
echo keep >"$T/exists"
run k backup "$T/exists"
expect_rc 1 "backup over a file"
expect_err "use --force"
[ "$(cat "$T/exists")" = keep ] || fail "backup overwrote a file"
run k backup "$T/exists" --force
expect_rc 0 "backup --force"
run k backup
expect_rc 2 "backup without a path"

# iCalendar.
run k add "Ivy Ics" --birthday 1990-12-01
run k add "Leap Day" --birthday 02-29
run k export ics --days 10
expect_rc 0 "export ics"
expect_out "BEGIN:VCALENDAR"
expect_out "SUMMARY:Birthday: Ivy Ics (36)"
expect_out "UID:birthday-"
expect_no_out "Leap Day"
run k export ics --days 100
expect_out "DTSTART;VALUE=DATE:20270228"
k export ics -o "$T/a.ics"
k export ics -o "$T/b.ics"
cmp -s "$T/a.ics" "$T/b.ics" || fail "ics exports are not stable"
[ "$(grep -c "$(printf '\r')\$" "$T/a.ics")" = "$(wc -l <"$T/a.ics")" ] || fail "ics line without CRLF"
awk '{ sub(/\r$/, ""); if (length($0) > 75) bad = 1 } END { exit bad }' "$T/a.ics" || fail "ics line over 75 octets"
run k export ics --days -3
expect_rc 2 "negative --days"
run k export ics --version 4.0
expect_rc 2 "--version with ics"
# An export that cannot be written fails and leaves nothing behind.
run k export json -o "$T/no/such/dir/x.json"
expect_rc 1 "unwritable output"
expect_err "cannot write"

# A journal that already holds a date kith cannot read (an older kith's
# import json stored one): referrals and trail show it as '?'.
G="$T/garbage.db"
"$KITH" --db "$G" demo >/dev/null
rid=$(python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rid = c.execute("SELECT id FROM referral WHERE parent_id IS NOT NULL LIMIT 1").fetchone()[0]
c.execute("UPDATE referral SET date = ? WHERE id = ?", ("garbage", rid)); c.commit(); print(rid)' "$G")
run "$KITH" --db "$G" referrals
expect_rc 0 "referrals with an unreadable date"
expect_out "  ?   " "referrals with an unreadable date"
expect_no_err "runtime error"
run "$KITH" --db "$G" trail "$rid"
expect_rc 0 "trail with an unreadable date"
expect_out "  ?   " "trail with an unreadable date"
expect_no_err "runtime error"

finish
