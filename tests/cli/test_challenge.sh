#!/bin/sh
# kith challenge: start on any date (past, today, future), --days with its
# default of 30 and its bounds, a new start becomes the active one, history,
# the strip (■ done, □ missed, ▣ today, · to come), --json with every field;
# errors with their exit codes. KITH_TODAY moves the days.
. "$KITH_TESTLIB"

expect_help challenge "usage: kith challenge [--json]" \
    "kith challenge start [--on DATE] [--days N]" "kith challenge history" \
    "started_on, days, done, streak"

# Reading needs a journal; starting one creates it.
for args in "" "--json" "history"; do
    run k challenge $args
    expect_rc 1 "challenge $args without a journal"
    expect_err "no journal at"
done
CHECKS=$((CHECKS + 1))
[ ! -e "$DB" ] || fail "reading a challenge created a journal"

# A journal without a challenge.
run k add Ana Ruiz
run k challenge
expect_rc 1 "no challenge yet"
expect_err "no challenge yet: start one with 'kith challenge start'"
run k challenge --json
expect_rc 1 "no challenge yet, --json"
expect_err "no challenge has been started yet"
expect_out_empty "challenge --json without one"
golden challenge_history_none k challenge history
run k challenge history --json
expect_rc 0 "history --json with none"
CHECKS=$((CHECKS + 1))
[ "$OUT" = "[]" ] || fail "history --json with none: $OUT"

# Today, 30 days by default.
golden challenge_start_default k challenge start
# Starting another ends it: without a terminal to ask, only with --yes.
sum=$(journal_sum)
run k challenge start --days 7
expect_rc 2 "start over a running challenge"
expect_err "a 30-day challenge is running (day 1 of 30, 0 done); starting another ends it (--yes starts one anyway)"
expect_sum "$sum" "a refused start"
# On a terminal it asks; Enter means no, y starts the new one.
if [ "$HAVE_PYTHON" = 1 ]; then
    run python3 "$KITH_SOURCE_DIR/tests/cli/pty_answer.py" "" "$KITH" --db "$DB" challenge start --days 7
    expect_out "A 30-day challenge is running (day 1 of 30, 0 done). A new one ends it" "asks"
    expect_out "Start a new challenge? [y/N]" "the question"
    expect_out "kept the running challenge; nothing started" "Enter means no"
    expect_out "EXIT=1" "kept: exit 1"
    expect_sum "$sum" "Enter changed nothing"
    run python3 "$KITH_SOURCE_DIR/tests/cli/pty_answer.py" "y" "$KITH" --db "$DB" challenge start --days 7
    expect_out "started: 7-day challenge" "y starts it"
    expect_out "EXIT=0" "started: exit 0"
    k undo >/dev/null || fail "undo the 7-day challenge"
fi
run k challenge --yes
expect_rc 2 "--yes without start"
expect_err "--yes goes with 'kith challenge start'"
run k challenge --json
expect_rc 0 "--json"
expect_json_valid "--json"
expect_json '"started_on":"2026-11-22","days":30,"done":0,"streak":0,"today_done":false,"day":1,"finished":false,"ticks":[],"grace_days":1,"graced":0,"habit_strength":0}'
expect_py "challenge --json fields: $OUT" c '
assert set(c) == {"id", "started_on", "days", "done", "streak", "today_done", "day",
                  "finished", "ticks", "grace_days", "graced", "habit_strength"}, c
assert len(c["id"]) == 32 and isinstance(c["today_done"], bool) and isinstance(c["finished"], bool), c
'

# In the past, with --days: it becomes the active one; the strip shows the
# days missed, today, and the days to come.
golden challenge_start_past k challenge start --yes --on 2026-11-15 --days 10
run k tick --on yesterday --note "coffee with Ana"
run k tick --on -2d
expect_rc 0 "ticks"
golden challenge_show_past k challenge
run k challenge --json
expect_json_valid "past challenge --json"
expect_json '"started_on":"2026-11-15","days":10,"done":2,"streak":2,"today_done":false,"day":8,"finished":false'
expect_json '"ticks":[{"date":"2026-11-20","note":null,"interaction":null,"forward":null},{"date":"2026-11-21","note":"coffee with Ana","interaction":null,"forward":null}],'
# Ticking today fills today's square.
run k tick
golden challenge_show_today_done k challenge
run k challenge --json
expect_json '"done":3,"streak":3,"today_done":true,"day":8,"finished":false'
# Two days on, nothing ticked: yesterday is a grace day (▨), the streak
# stands on today ...
golden challenge_show_missed kat 2026-11-24 challenge
run kat 2026-11-24 challenge --json
expect_json '"done":3,"streak":3,"today_done":false,"day":10,"finished":false'
expect_json '"grace_days":1,"graced":1,'
# ... and without grace it is over.
printf 'challenge: {grace_days: 0}\n' >"$T/nograce.yaml"
run env KITH_TODAY=2026-11-24 "$KITH" --db "$DB" --config "$T/nograce.yaml" challenge
expect_out "done 3/10 · streak 0"
expect_out "□ □ □ □ □ ■ ■ ■ □ ▣"
# The day after its last day it is finished.
golden challenge_show_finished kat 2026-11-25 challenge
run kat 2026-11-25 challenge --json
expect_json '"days":10,"done":3,"streak":0,"today_done":false,"day":10,"finished":true'

# In the future: it has not begun.
golden challenge_start_future k challenge start --yes --on 2026-12-01 --days 7
run k challenge --json
expect_json '"started_on":"2026-12-01","days":7,"done":0,"streak":0,"today_done":false,"day":0,"finished":false,"ticks":[],'

run kat 2026-12-01 challenge --json
expect_json '"day":1,"finished":false'

# History: newest start first, the active one marked; percentages of the
# whole challenge.
golden challenge_history k challenge history
# The same as JSON: the objects 'kith challenge --json' prints, newest first.
run k challenge history --json
expect_rc 0 "history --json"
expect_json_valid "history --json"
active=$(k challenge --json)
case "$OUT" in "[$active,{"*) ;; *) fail "history --json does not start with the active one: $OUT" ;; esac
expect_json '"started_on":"2026-11-15","days":10,"done":3,"streak":3,"today_done":true,"day":8,"finished":false,"ticks":[{"date":"2026-11-20"'
expect_json '"started_on":"2026-11-22","days":30,'
CHECKS=$((CHECKS + 1))
[ "$(printf '%s' "$OUT" | grep -o '"started_on"' | wc -l)" = 3 ] || fail "history --json: not 3 challenges: $OUT"
# Starting again makes the newest start active, whatever its date.
run k challenge start --yes --on 2026-01-01 --days 1
expect_rc 0 "a one-day challenge in the past"
expect_out "1-day challenge · 2026-01-01 to 2026-01-01"
run k challenge --json
expect_json '"started_on":"2026-01-01","days":1'
run k challenge history
first=$(printf '%s\n' "$OUT" | head -1)
case "$first" in "2026-01-01    1 days  done   0  (  0%)  habit   0%  active") ;; *) fail "history: newest start is not first and active: $OUT" ;; esac

# The longest challenge wraps its strip every ten days, rows flush left.
golden challenge_start_long k challenge start --yes --on 2026-11-01 --days 45
golden challenge_start_max k challenge start --yes --on 2025-11-23 --days 366
run k challenge --json
expect_json '"started_on":"2025-11-23","days":366'
expect_json '"day":365,"finished":false'

# Dates take every DATE form; --days a whole number.
run k challenge start --yes --on=-3d --days=5
expect_rc 0 "--on=-3d --days=5"
expect_out "5-day challenge · 2026-11-19 to 2026-11-23 · day 4/5"
run k challenge start --yes --on yesterday
expect_out "30-day challenge · 2026-11-21 to 2026-12-20 · day 2/30"

# Errors: exit code, message, nothing on stdout, the journal unchanged.
sum=$(journal_sum)
for d in 0 367 -3 x 1.5 "" 99999999999999999999; do
    refused 2 "--days wants a whole number from 1 to 366" k challenge start --days "$d"
done
refused 2 "--days needs a value" k challenge start --days
refused 2 "--on needs a value" k challenge start --on
refused 2 "'2026-13-01' is not a real calendar day" k challenge start --on 2026-13-01
refused 2 "'monday' is not a date" k challenge start --on monday
refused 2 "--on and --days go with 'kith challenge start'" k challenge --on 2026-11-01
refused 2 "--on and --days go with 'kith challenge start'" k challenge history --days 5
refused 2 "unknown challenge subcommand; use start or history" k challenge begin
refused 2 "unknown challenge subcommand; use start or history" k challenge start now
refused 2 "unknown challenge subcommand; use start or history" k challenge history all
refused 2 "'kith challenge start' has no --json; then use 'kith challenge --json'" k challenge start --json
refused 2 "unknown option '--day'" k challenge start --day 5
refused 2 "--json takes no value" k challenge --json=1
run k challenge start --bogus
expect_err "usage: kith challenge [--json] | start [--on DATE] [--days N] [--yes] | history [--json]"
# start --json is a usage error even where there is no journal.
run "$KITH" --db "$T/none.db" challenge start --json
expect_rc 2 "start --json without a journal"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/none.db" ] || fail "a refused challenge created a journal"

# Starting on a fresh path creates the journal.
run "$KITH" --db "$T/fresh/k.db" challenge start --days 3
expect_rc 0 "start on a fresh path"
expect_out "3-day challenge · 2026-11-22 to 2026-11-24 · day 1/3"
run "$KITH" --db "$T/fresh/k.db" challenge --json
expect_json '"days":3'

finish
