#!/bin/sh
# A contact's own cadence in the TUI: silent past it, the list marks the
# contact overdue (!) and Today lists the reconnect; logging an
# interaction from the TUI resets it.
. "$KITH_TESTLIB"

k add Dev Patel --every 3w >/dev/null
k log dev --kind coffee --on 2026-10-01 >/dev/null
k add Eve Stone --every 2m >/dev/null
k log eve --kind call --on 2026-11-01 >/dev/null

tui_start
wait_for "▸ Dev Patel" "started"
wait_for "! overdue" "the overdue legend"
CHECKS=$((CHECKS + 1))
screen | grep -q "Dev Patel .*52d !" || fail "Dev is marked overdue: $(screen)"
CHECKS=$((CHECKS + 1))
screen | grep "Eve Stone" | grep -q "!" && fail "Eve is within her cadence: $(screen)"
keys 3
wait_for "! 2026-10-22  Reconnect with Dev Patel: 52 days since you" "Today lists it, overdue"
keys 1
wait_for "▸ Dev Patel" "back"
keys l
wait_for "Log an interaction" "the log form"
keys Enter
wait_for "logged coffee" "logged"
wait_gone "! overdue" "the mark is gone once they talked"
keys 3
wait_for "3 Today" "today view"
expect_screen_lacks "Reconnect with Dev Patel" "no longer due"
keys q
wait_for "KITH-EXIT=0" "quit"
finish
