#!/bin/sh
# The Today view's reminders end to end: the list and its order, d marks
# one done, z snoozes one, Enter jumps to the contact; the header's due
# count; the contact list's mark for a contact silent past a silence rule's
# max_days; goodwill hidden by the config.
. "$KITH_TESTLIB"

CFG="$T/config.yaml"
rules_config "$CFG" "goodwill:" "  show: false"
kc() { k --config "$CFG" "$@"; }

# Mia is a mentor silent since 08-01 (past max_days 60); Fay is a mentor
# talked to today; Rex and Hal referred the user and were never thanked.
kc add "Mentor Mia" --tag mentor >/dev/null || fail "add Mia"
kc log "Mentor Mia" --kind intro --gave --on 2026-08-01 >/dev/null || fail "log Mia"
kc add "Fresh Fay" --tag mentor >/dev/null || fail "add Fay"
kc log "Fresh Fay" --kind intro --gave >/dev/null || fail "log Fay"
kc add "Referrer Rex" >/dev/null || fail "add Rex"
kc add "Helper Hal" >/dev/null || fail "add Hal"
kc refer --by "Referrer Rex" --to-text "Acme job" --on 2026-11-01 >/dev/null || fail "refer Rex"
kc refer --by "Helper Hal" --to-text "Globex team" --on 2026-11-10 >/dev/null || fail "refer Hal"

tui_start --config "$CFG"

# The header counts what is due.
wait_for "3 due" "header due count"

# The contact list marks Mia (overdue by the silence rule), not Fay.
wait_for "Mentor Mia" "list"
CHECKS=$((CHECKS + 1))
screen | grep 'Mentor Mia' | grep -q '!' || fail "Mia's row lacks the overdue mark: $(screen)"
CHECKS=$((CHECKS + 1))
screen | grep 'Fresh Fay' | grep -q '!' && fail "Fay's row is marked: $(screen)"

# Goodwill is hidden: no balance in the list nor on the card. Fay's intro
# would show as +3 (Fay is selected first, by name).
wait_for "Fresh Fay" "card"
expect_screen_lacks "goodwill" "no goodwill on the card"
expect_screen_lacks "+3" "no balance in the list"
keys s s s
wait_for "name┐" "the sort cycle skips goodwill"

# The Today view: overdue first, then by priority, with the overdue mark.
keys 3
wait_for "Reminders due: 3" "today view"
wait_for "Thank Referrer Rex for the intro to Acme job" "referral reminder"
wait_for "Catch up with Mentor Mia" "silence reminder"
CHECKS=$((CHECKS + 1))
screen | grep 'Thank Referrer Rex' | grep -q '! 2026-11-03' || fail "overdue mark and due date: $(screen)"
CHECKS=$((CHECKS + 1))
order=$(screen | grep -n -E 'Thank Referrer Rex|Thank Helper Hal|Catch up with Mentor Mia' | cut -d: -f1 | tr '\n' ' ')
set -- $order
[ $# = 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] || fail "order Rex, Hal, Mia: $order"
CHECKS=$((CHECKS + 1))
screen | grep 'Thank Referrer Rex' | grep -q '▸' || fail "first reminder selected: $(screen)"

# no_longer_due NAME KEY OTHER WHAT: the reminder to thank NAME is not due
# on the screen nor in kith today after KEY; OTHER stays there (WHAT).
no_longer_due() {
    CHECKS=$((CHECKS + 1))
    screen | grep "Thank $1" | grep -q '! 2026' && fail "${1#* } still due: $(screen)"
    run kc today --json
    expect_no_out "$1" "kith today agrees after $2"
    expect_out "$3" "$4"
}

# d marks the selected one done: gone from the view, the header and kith today.
keys d
wait_for "done: gone until it fires anew" "done said"
wait_for "2 due" "header counts one fewer"
wait_for "✓ done 11-22    Thank Referrer Rex" "done reminder moved to done and snoozed"
no_longer_due "Referrer Rex" d "Helper Hal" "the others stay"

# z snoozes the next one, for 7 days unless changed; a bad number is
# explained at the field and saves nothing.
wait_for "▸! 2026-11-12" "Hal's reminder selected"
keys z
wait_for "Snooze the reminder" "snooze form"
wait_for "Days 7" "7 days by default"
keys C-u
text "zero"
keys Enter
wait_for "whole number from 1 to 3650" "bad days explained"
keys C-u
text "7"
keys Enter
wait_for "snoozed until 2026-11-29" "snoozed"
wait_for "1 due" "header counts the snooze"
wait_for "z until 11-29   Thank Helper Hal" "snoozed reminder moved to done and snoozed"
no_longer_due "Helper Hal" z "Mentor Mia" "the silence reminder stays"

# Enter jumps to the contact of the selected reminder.
keys Enter
wait_for "▸ Mentor Mia" "Enter jumps to the contact"

# Another process's write is noticed: logging with Mia clears her reminder
# and her mark.
kc log "Mentor Mia" --kind coffee --mutual >/dev/null
wait_for "journal changed elsewhere" "external change noticed"
wait_gone "1 due" "Mia's reminder cleared by the new interaction"
CHECKS=$((CHECKS + 1))
screen | grep 'Mentor Mia' | grep -q '!' && fail "Mia still marked: $(screen)"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
