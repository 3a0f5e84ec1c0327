#!/bin/sh
# kith forward: a gift expecting nothing, to a contact or to someone not in
# the journal; listed, in the timeline marked », never in goodwill;
# checked; challenge.auto_tick ticks its day (and a gave or mutual
# interaction's), undo takes both back together.
. "$KITH_TESTLIB"

# kat DAY ARGS...: kith with the test journal as on DAY.
kat() {
    day=$1
    shift
    KITH_TODAY=$day "$KITH" --db "$DB" "$@"
}

run k forward --help
expect_rc 0 "forward --help"
expect_out "usage: kith forward TEXT [--to CONTACT] [--on DATE] [--note TEXT|-]"
expect_out "never"
run k forward "helped someone"
expect_rc 1 "forward without a journal"
expect_err "no journal at"

run k add Ana Ruiz
golden forward_someone k forward "helped a student with her resume"
runin "she asked about design roles" k forward sent Ana the job list --to ana --on yesterday --note -
expect_rc 0 "forward to a contact, words joined, note from stdin"
run k forward --to ana --on -3d "introduced Ana's nephew to a teacher"
golden forward_list k forward
run k forward --json
expect_rc 0 "forward --json"
expect_json_valid "forward --json"
expect_json '{"id":"'
expect_json '"date":"2026-11-21","text":"sent Ana the job list","contact":{"id":"'
expect_json '"name":"Ana Ruiz"},"note":"she asked about design roles"}'
expect_json '"text":"helped a student with her resume","contact":null,"note":null}'
run k forward --to ana --limit 1
expect_out "sent Ana the job list"
expect_no_out "nephew"
expect_no_out "student"
run k forward --since 2026-11-22
expect_out "student"
expect_no_out "Ana"

# Bad input: the reason, nothing written.
sum=$(journal_sum)
run k forward "  "
expect_rc 2 "blank text"
expect_err "say what you gave"
run k forward "$(printf 'two\nlines')"
expect_rc 2 "two lines"
expect_err "is one line"
run k forward "later" --on tomorrow
expect_rc 2 "in the future"
expect_err "is in the future"
run k forward "x" --to nobody
expect_rc 1 "unknown contact"
expect_err "no contact matches 'nobody'"
run k forward "x" --since 2026-01-01
expect_rc 2 "--since with TEXT"
run k forward --note "n"
expect_rc 2 "--note without TEXT"
expect_sum "$sum" "refused pay-it-forwards"

# The timeline marks them; goodwill never sees them.
run k log ana --kind coffee --mutual --on -2d --summary "catch-up"
golden forward_timeline k timeline
run k timeline ana
expect_out "»       forward        Ana Ruiz"
expect_no_out "student"
run k timeline --kind coffee
expect_no_out "»"
run k timeline --kind forward
expect_no_out "coffee"
expect_out "student"
run k show ana
expect_out "goodwill     0 (gave 0, asked 0, mutual 1)"
expect_out "Paid forward to them (no goodwill)"
expect_out "»  sent Ana the job list"
run k ledger --json
expect_json '"gave":0,"asked":0,"mutual":1,"balance":0'

# auto_tick: a pay-it-forward, a gave or mutual interaction tick their day;
# an ask does not; without it nothing is ticked.
printf 'challenge:\n  auto_tick: true\n' >"$T/auto.yaml"
run k challenge start --on 2026-11-20 --days 10
run k forward "answered a stranger's question"
expect_no_out "ticked"
golden forward_auto_tick k --config "$T/auto.yaml" forward "gave a talk at the meetup"
run k challenge --json
expect_json '"date":"2026-11-22","note":null,"interaction":null,"forward":"'
run k --config "$T/auto.yaml" log ana --kind advice --asked --on yesterday
expect_no_out "ticked"
golden log_auto_tick k --config "$T/auto.yaml" log ana --kind article --gave --on yesterday
run k challenge --json
expect_json '"done":2,'
expect_json '{"date":"2026-11-21","note":null,"interaction":"'
run k --config "$T/auto.yaml" log ana --kind call --mutual
expect_out "2026-11-22 was ticked in the challenge already"
# Before the challenge: logged, nothing ticked.
run k --config "$T/auto.yaml" forward "old gift" --on 2026-11-19
expect_rc 0 "a gift before the challenge"
expect_no_out "ticked"
# Undo takes the act and its tick back together.
run kat 2026-11-23 --config "$T/auto.yaml" forward "wrote a recommendation"
expect_out "ticked 2026-11-23 in the challenge ✓"
run kat 2026-11-23 undo
expect_rc 0 "undo a ticking forward"
run kat 2026-11-23 challenge --json
expect_json '"done":2,'
run kat 2026-11-23 forward
expect_no_out "recommendation"
run kat 2026-11-23 redo
expect_rc 0 "redo it"
run kat 2026-11-23 challenge --json
expect_json '"done":3,'
expect_json '{"date":"2026-11-23","note":null,"interaction":null,"forward":"'
run kat 2026-11-23 undo
expect_rc 0 "undo it again"

# Deleting a contact takes what was paid forward to them along.
run k rm ana --yes
run k forward
expect_no_out "job list"
expect_out "student"
finish
