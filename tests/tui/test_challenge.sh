#!/bin/sh
# The challenge in the TUI: c over a running challenge asks first (Enter is
# no) and says what is lost; a finished one says so before any tick form;
# a past day within past_days can be ticked; ticking a ticked day adds the
# note; the history shows the ticks' notes.
. "$KITH_TESTLIB"

k add "Someone" >/dev/null || fail "add"
k challenge start --on 2026-10-01 --days 10 >/dev/null || fail "old challenge"
tui_start
wait_for "Contacts 1" "started"

# Finished: said before a form opens.
keys x
wait_for "the challenge ended on 2026-10-10 with 0 of 10 days done · c starts a new one" "finished"
expect_screen_lacks "Tick a day" "no tick form for a finished challenge"

# Nothing running: c opens the form at once.
keys c
wait_for "Start a challenge" "start form"
keys C-u
text "-7d"
# Days out of range: the core's message, and the cursor on Days (C-u then
# clears Days, not the date).
keys Tab C-u
text "400"
keys Enter
wait_for "a challenge lasts 1 to 366 days, not 400" "the core's check of days"
keys C-u
text "30"
keys Enter
wait_for "challenge started" "started a challenge a week ago"

# Running: c asks, Enter means no.
keys c
wait_for "Start a new challenge?" "asks first"
wait_for "day 8 of 30, 0 done" "says where the running one is"
wait_for "its remaining days can no longer be" "says what is lost"
keys Enter
wait_for "kept the running challenge" "Enter keeps it"
run k challenge --json
expect_json '"started_on":"2026-11-15","days":30' "the running challenge is still active"

# A past day within past_days (2): yesterday.
keys x
wait_for "Tick a day" "tick form"
text "wrote to Ana"
keys Tab
wait_for "Day 2026-11-22 today" "today first"
keys Right
wait_for "Day 2026-11-21 yesterday" "yesterday next"
keys Right
wait_for "Day 2026-11-20" "two days back"
keys Right
wait_for "Day 2026-11-22 today" "no further back than past_days"
keys Left
wait_for "Day 2026-11-20" "Left goes round the other way"
keys Left
wait_for "Day 2026-11-21 yesterday" "yesterday"
keys Enter
wait_for "ticked 2026-11-21 ✓" "ticked yesterday"

# Again on the same day, with another note: added to it.
keys x
wait_for "Tick a day" "tick form again"
text "and called Ben"
keys Tab Right
wait_for "2026-11-21 yesterday ✓ ticked: a note is added" "the form says it is ticked"
keys Enter
wait_for "2026-11-21 was already ticked: added to it" "the note was added"
run k challenge --json
expect_json '{"date":"2026-11-21","note":"wrote to Ana\nand called Ben","interaction":null,"forward":null}' "both notes"

# The history shows the notes.
keys H
wait_for "Challenges" "history"
wait_for "2026-11-21  wrote to Ana" "the tick's note"
wait_for "and called Ben" "its second line"
keys q
wait_gone "Challenges" "closed"

# y starts a new one.
keys c
wait_for "Start a new challenge?" "asks"
keys y
wait_for "Start a challenge" "then the form"
keys Enter
wait_for "challenge started" "a new one"
run k challenge --json
expect_json '"started_on":"2026-11-22"' "the new one is active"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
