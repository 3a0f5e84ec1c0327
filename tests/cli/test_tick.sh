#!/bin/sh
# kith tick: today, --on within the grace of challenge.past_days (2 by
# default), twice is harmless, the future / outside the challenge / too far
# back refused with the reason, --interaction by id prefix, no challenge a
# clear error; the streak counts ticked days in a row ending today, or
# yesterday while today is not ticked, going on over one empty day
# (challenge.grace_days, "never miss twice"). KITH_TODAY moves the days.
. "$KITH_TESTLIB"

# json_has TEXT WHAT: the active challenge's JSON (as of KITH_TODAY) has TEXT.
json_has() {
    run k challenge --json
    expect_json_valid "${2:-challenge --json}"
    expect_json "$1" "${2:-challenge --json}"
}

expect_help tick "usage: kith tick [--on DATE] [--note TEXT] [--interaction ID]" \
    "challenge.past_days"

expect_no_journal tick

# A journal without a challenge: a clear error, nothing written.
run k add Ana Ruiz
sum=$(journal_sum)
run k tick
expect_rc 1 "tick without a challenge"
expect_err "no challenge has been started yet"
expect_sum "$sum" "tick without a challenge"
expect_out_empty "tick without a challenge"

# The streak, day by day, in a challenge from 2026-11-10.
run kat 2026-11-10 challenge start --days 30
expect_rc 0 "start"
run kat 2026-11-10 tick
expect_out "ticked 2026-11-10 · day 1 of 30 · done 1 · streak 1"
run kat 2026-11-11 tick --note "coffee with Ana"
expect_out "ticked 2026-11-11 · day 2 of 30 · done 2 · streak 2"
# Today not ticked yet: the streak ends yesterday and still stands.
run kat 2026-11-12 challenge --json
expect_json '"done":2,"streak":2,"today_done":false,"day":3'
# A whole day empty: never miss twice, the streak stands while today is
# open (grace_days: 1 by default) ...
run kat 2026-11-13 challenge --json
expect_json '"done":2,"streak":2,"today_done":false,"day":4'
expect_json '"grace_days":1,"graced":1,'
# ... two in a row end it ...
run kat 2026-11-14 challenge --json
expect_json '"done":2,"streak":0,"today_done":false,"day":5'
expect_json '"graced":0,'
# ... as they do without grace ...
printf 'challenge: {grace_days: 0}\n' >"$T/nograce.yaml"
run env KITH_TODAY=2026-11-13 "$KITH" --db "$DB" --config "$T/nograce.yaml" challenge --json
expect_json '"done":2,"streak":0,"today_done":false,"day":4'
expect_json '"grace_days":0,"graced":0,'
# ... and the day empty is ticked later, within the days a tick may go back.
run kat 2026-11-13 tick --on yesterday
expect_out "ticked 2026-11-12 · day 3 of 30 · done 3 · streak 3"
run kat 2026-11-13 tick
expect_out "ticked 2026-11-13 · day 4 of 30 · done 4 · streak 4"
run kat 2026-11-13 challenge --json
expect_json '"done":4,"streak":4,"today_done":true,"day":4'
expect_json '"ticks":[{"date":"2026-11-10","note":null,"interaction":null,"forward":null},{"date":"2026-11-11","note":"coffee with Ana","interaction":null,"forward":null},{"date":"2026-11-12"'
# One empty day between ticked ones does not end the streak. A note may be
# long, and come from standard input, like any other note.
printf '%02000d\n' 0 >"$T/note"
runfile "$T/note" kat 2026-11-15 tick --note -
expect_out "ticked 2026-11-15 · day 6 of 30 · done 5 · streak 5"
run kat 2026-11-15 challenge --json
expect_json '{"date":"2026-11-15","note":"'"$(printf '%02000d' 0)"'","interaction":null,"forward":null}'

# Today is 2026-11-22: nothing since the 15th.
json_has '"done":5,"streak":0,"today_done":false,"day":13'
golden tick_today k tick --note "sent Ben an article"
json_has '"done":6,"streak":1,"today_done":true,"day":13'
json_has '{"date":"2026-11-22","note":"sent Ben an article","interaction":null,"forward":null}'
# Twice is harmless: the tick stays, and a second note is added to the
# day's note, not dropped; the same note again, or no note, writes nothing.
golden tick_again k tick --note "another note"
json_has '{"date":"2026-11-22","note":"sent Ben an article\nanother note","interaction":null,"forward":null}],'
sum=$(journal_sum)
run k tick --note "another note"
expect_out "2026-11-22 was already ticked ·" "the same note again"
run k tick
expect_out "2026-11-22 was already ticked ·" "no note"
expect_sum "$sum" "ticking a day twice with the same note or none"
json_has '{"date":"2026-11-22","note":"sent Ben an article\nanother note","interaction":null,"forward":null}],'
# The grace: two days back by default, in every DATE form.
golden tick_grace k tick --on -2d
run k tick --on 2026-11-21
expect_rc 0 "tick --on 2026-11-21"
expect_out "ticked 2026-11-21 · day 12 of 30 · done 8 · streak 3"
run k tick --on=yesterday
expect_rc 0 "tick --on=yesterday again"
expect_out "2026-11-21 was already ticked · day 12 of 30 · done 8 · streak 3"
run k tick --on today
expect_out "2026-11-22 was already ticked"

# --interaction: an id prefix, any case; the tick keeps the full id.
run k log ana --kind coffee --gave --on -1d --summary "coffee"
expect_rc 0 "log"
IID=$(printf '%s\n' "$OUT" | awk '{ print $NF }')
run kat 2026-11-23 tick --interaction "$(printf '%s' "$IID" | cut -c1-4 | tr a-f A-F)"
expect_rc 0 "tick --interaction with a prefix"
expect_out "ticked 2026-11-23 · day 14 of 30 · done 9 · streak 4"
run kat 2026-11-23 challenge --json
expect_json '{"date":"2026-11-23","note":null,"interaction":"'"$IID"
run k timeline --json
FULL=$(printf '%s' "$OUT" | sed -n 's/.*"id":"\([0-9a-f]\{32\}\)","date":"2026-11-21".*/\1/p')
run kat 2026-11-23 challenge --json
expect_json '"interaction":"'"$FULL"'","forward":null}'

# Refusals: the exit code, the reason, nothing on stdout, the journal unchanged.
sum=$(journal_sum)
refused 2 "2026-11-23 is in the future (today is 2026-11-22)" k tick --on 2026-11-23
refused 2 "2027-01-01 is in the future (today is 2026-11-22)" k tick --on 2027-01-01
refused 2 "2026-11-19 is too far back: a day can be ticked up to 2 days later, so the earliest day open today is 2026-11-20" k tick --on -3d
refused 2 "2026-11-16 is too far back" k tick --on 2026-11-16
refused 2 "2026-11-09 is outside the active challenge, which runs from 2026-11-10 to 2026-12-09" kat 2026-11-10 tick --on yesterday
refused 2 "2026-12-10 is outside the active challenge, which runs from 2026-11-10 to 2026-12-09" kat 2026-12-10 tick
refused 2 "kith tick takes no arguments (a note goes in --note)" k tick "called Ana"
refused 2 "unknown option '--date'" k tick --date today
refused 2 "--on needs a value" k tick --on
refused 2 "--note needs a value" k tick --note
refused 2 "--interaction needs a value" k tick --interaction
refused 2 "'2026-11-31' is not a real calendar day" k tick --on 2026-11-31
refused 2 "'soon' is not a date" k tick --on soon
refused 2 "'xyz' is not an interaction id (4 or more hex digits)" k tick --interaction xyz
refused 2 "'abc' is not an interaction id" k tick --interaction abc
refused 1 "no interaction with id ffff0000" k tick --interaction ffff0000
head -c 1048577 /dev/zero | tr '\0' n >"$T/big"
runfile "$T/big" k tick --on -1d --note -
expect_rc 2 "a note over 1 MiB"
expect_err "note from standard input is longer than 1048576 bytes"
expect_sum "$sum" "a note over 1 MiB"
run k tick --bogus
expect_err "usage: kith tick [--on DATE] [--note TEXT] [--interaction ID]"
# A refused day leaves the challenge as it was.
json_has '"done":9,"streak":3,"today_done":true' "after refusals"

# A new challenge from today: yesterday is before it.
run k challenge start --yes --days 5
sum=$(journal_sum)
refused 2 "2026-11-21 is outside the active challenge, which runs from 2026-11-22 to 2026-11-26" k tick --on yesterday
json_has '"done":0,"streak":0,"today_done":false,"day":1,"finished":false,"ticks":[]' "the new challenge"
# After its last day, that day stays open within the grace; today is outside.
run kat 2026-11-27 tick --on 2026-11-26
expect_rc 0 "tick the last day the day after"
expect_out "ticked 2026-11-26 · day 5 of 5 · done 1 · streak 1"
run kat 2026-11-27 challenge --json
expect_json '"done":1,"streak":1,"today_done":false,"day":5,"finished":true'
sum=$(journal_sum)
refused 2 "2026-11-27 is outside the active challenge, which runs from 2026-11-22 to 2026-11-26" kat 2026-11-27 tick
# A challenge that starts later takes no tick yet.
run k challenge start --yes --on 2026-12-01
sum=$(journal_sum)
refused 2 "2026-11-22 is outside the active challenge, which runs from 2026-12-01 to 2026-12-30" k tick

finish
