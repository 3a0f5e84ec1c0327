#!/bin/sh
# The Today view's week of birthdays (read from the index of contacts with
# a birthday): today, tomorrow and up to six days ahead, in date then name
# order; a week ahead, an archived contact and a past birthday are not
# listed; 29 February falls on the 28th in other years.
. "$KITH_TESTLIB"

k add "Tia Today" --birthday 1990-11-22 >/dev/null || fail "add Tia"
k add "Tom Tomorrow" --birthday 11-23 >/dev/null || fail "add Tom"
k add "Bea Six" --birthday 1985-11-28 >/dev/null || fail "add Bea"
k add "Abe Six" --birthday 1970-11-28 >/dev/null || fail "add Abe"
k add "Sam Seven" --birthday 1980-11-29 >/dev/null || fail "add Sam"
k add "Pat Past" --birthday 1980-11-21 >/dev/null || fail "add Pat"
k add "Ari Archived" --birthday 1980-11-24 >/dev/null || fail "add Ari"
k edit "Ari Archived" --archive >/dev/null || fail "archive Ari"

tui_start
wait_for "▸ " "started"
keys 3
wait_for "Birthdays in the next 7 days" "today view"
wait_for "11-22  Tia Today  today" "today's birthday"
wait_for "11-23  Tom Tomorrow  tomorrow" "tomorrow's"
wait_for "11-28  Abe Six  in 6 days" "six days ahead"
wait_for "11-28  Bea Six  in 6 days" "six days ahead, by name"
expect_screen_lacks "Sam Seven" "a week ahead is not listed"
expect_screen_lacks "Pat Past" "yesterday's is not listed"
expect_screen_lacks "Ari Archived" "an archived contact is not listed"
CHECKS=$((CHECKS + 1))
order=$(screen | grep -n -E '^│   11-2[0-9]  (Tia Today|Tom Tomorrow|Abe Six|Bea Six)' | cut -d: -f1 | tr '\n' ' ')
set -- $order
[ $# = 4 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] && [ "$3" -lt "$4" ] ||
    fail "order Tia, Tom, Abe, Bea: $order: $(screen)"
keys q
wait_for "KITH-EXIT=0" "q quits"

# 29 February, in a year without one: on the 28th.
k add "Leo Leap" --birthday 1996-02-29 >/dev/null || fail "add Leo"
KITH_TODAY=2027-02-25
tui_start
wait_for "▸ " "started in 2027"
keys 3
wait_for "02-28  Leo Leap  in 3 days" "a 29 February birthday on the 28th"
keys q
wait_for "KITH-EXIT=0" "q quits"
finish
