#!/bin/sh
# After each kind of write the TUI's reminders are those of a whole
# evaluation: the header's "N due" and the Today view agree with kith
# today once the count no longer says "(updating)" -- after a log from
# the form, a tick of the challenge, another process's write, d in the
# Today view (at once) and a new contact from the form.
. "$KITH_TESTLIB"

CFG="$T/config.yaml"
rules_config "$CFG" "  - id: daily-act" "    on: challenge" "    priority: normal" \
    "    message: \"Challenge day {days}: one networking act today\""
kc() { k --config "$CFG" "$@"; }

for who in "Ann Mentor" "Bob Mentor" "Cid Mentor"; do
    kc add "$who" --tag mentor >/dev/null || fail "add $who"
    kc log "$who" --kind coffee --mutual --on 2026-08-01 >/dev/null || fail "log $who"
done
kc add "Rex Referrer" >/dev/null || fail "add Rex"
kc refer --by "Rex Referrer" --to-text "Acme job" --on 2026-11-01 >/dev/null || fail "refer"
kc challenge start --days 10 >/dev/null || fail "challenge"

# due_now N WHAT: the header says N due, no longer updating, and kith today
# says so too.
due_now() {
    wait_for " $1 due " "$2: header"
    wait_gone "(updating)" "$2: the evaluation ends"
    wait_for " $1 due " "$2: header once evaluated"
    run kc today --json
    CHECKS=$((CHECKS + 1))
    n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reminders"]))')
    [ "$n" = "$1" ] || fail "$2: kith today has $n reminders, the TUI $1"
}

# today_lists WHAT TEXT...: the Today view lists exactly these reminders.
today_lists() {
    what=$1
    shift
    keys 3
    wait_for "Reminders due: $# " "$what: Today's count"
    for r in "$@"; do
        wait_for "$r" "$what: Today lists '$r'"
    done
    CHECKS=$((CHECKS + 1))
    got=$(screen | grep -v -E '✓ done|z until' | grep -c -E 'Thank Rex|Catch up with|Challenge day')
    [ "$got" = "$#" ] || fail "$what: Today lists $got reminders, not $#: $(screen)"
    keys 1
    wait_for "▸ " "$what: back to the list"
}

tui_start --config "$CFG"
due_now 5 "start"
today_lists "start" "Thank Rex Referrer" "Catch up with Ann Mentor" "Catch up with Bob Mentor" \
    "Catch up with Cid Mentor" "Challenge day 1"

# A log from the form, with Ann (the first row).
wait_for "▸ Ann Mentor" "Ann selected"
keys l
wait_for "Log an interaction" "the log form"
keys Enter
wait_for "logged coffee" "logged"
due_now 4 "after the log"
today_lists "after the log" "Thank Rex Referrer" "Catch up with Bob Mentor" \
    "Catch up with Cid Mentor" "Challenge day 1"

# A tick of the challenge.
keys x
wait_for "Tick a day" "tick form"
keys Enter
wait_for "ticked" "ticked"
due_now 3 "after the tick"
today_lists "after the tick" "Thank Rex Referrer" "Catch up with Bob Mentor" \
    "Catch up with Cid Mentor"

# Another process logs with Bob.
kc log "Bob Mentor" --kind call --mutual >/dev/null || fail "log Bob outside"
wait_for "journal changed elsewhere" "the outside write noticed"
due_now 2 "after the outside write"
today_lists "after the outside write" "Thank Rex Referrer" "Catch up with Cid Mentor"

# d in the Today view: the count drops at once.
keys 3
wait_for "▸! 2026-11-03" "Rex's reminder selected"
keys d
wait_for "done: gone until it fires anew" "done"
due_now 1 "after d"
wait_for "Reminders due: 1 " "Today after d"
wait_for "✓ done 11-22    Thank Rex Referrer" "Rex's reminder among the done"
expect_screen_lacks "2026-11-03  Thank Rex" "Rex's reminder left the due list"
keys 1

# A new mentor from the form, never talked to: not due (added today).
keys a
wait_for "Add a contact" "add form"
text "Dee Mentor"
keys Enter
wait_for "Dee Mentor" "added"
due_now 1 "after the add"
today_lists "after the add" "Catch up with Cid Mentor"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
