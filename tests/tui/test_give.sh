#!/bin/sh
# The Give view (4): today's ideas with their reasons; Enter opens the log
# form pre-filled with the idea's act (kind, direction gave, contacts,
# summary, the reason as a note); saving logs it, records the thank-you of
# a thank idea and ticks today in the running challenge; Esc saves nothing.
# f pays it forward from the log form (to no one in the journal, or to the
# selected contact). The log form with direction asked says where the
# relationship stands.
. "$KITH_TESTLIB"

# No ideas yet: the view says where they come from.
k add Zed Empty >/dev/null
tui_start
wait_for "Contacts 1" "started"
keys 4
wait_for "Give · 0 ideas for today" "the Give view"
wait_for "No ideas today." "the empty view says so"
wait_for "me: offers" "and where ideas come from"
keys q
wait_for "KITH-EXIT=0" "quit"

k add Ana Ruiz >/dev/null
k add Ben Okafor --need "intro to a seed investor" >/dev/null
k add Cy Dunn --offer "seed investing" >/dev/null
k refer --by ana --to-text "Globex platform team" --kind job --on 2026-10-01 >/dev/null
k log ana --kind advice --asked --on 2026-11-01 >/dev/null
k log ana --kind article --gave --on 2026-10-20 >/dev/null
k challenge start --on 2026-11-20 >/dev/null

tui_restart
wait_for "Contacts 4" "started again"
keys 4
wait_for "Challenge day 3 of 30: acting on an idea ticks today" "the challenge line"
wait_for "Thank Ana Ruiz for the job: Globex platform team" "the thank idea"
wait_for "referred you to Globex platform team on 2026-10-01" "with its reason"
wait_for "Introduce Ben Okafor to Cy Dunn" "the intro idea"

# Esc: nothing saved, nothing ticked.
keys Enter
wait_for "Act on the idea" "Enter opens the log form"
keys Escape
wait_for "cancelled: nothing saved" "Esc cancels"
run k challenge --json
expect_json '"today_done":false' "no tick on a cancelled form"

# Enter on the thank idea (the first): the form is pre-filled.
keys Enter
wait_for "Act on the idea" "the log form again"
wait_for "With Ana Ruiz" "the contact"
wait_for "Kind thank-you" "the kind"
wait_for "Direction gave" "direction gave"
wait_for "Summary thanks for the job: Globex platform team" "the summary"
wait_for "and has not been thanked" "the reason under the fields"
keys Enter
wait_for "logged thank-you (gave) · thanked for the referral ✓ · challenge day ticked ✓" \
    "saved, thanked and ticked"
wait_for "today's act is done ✓" "the view says today is done"
wait_gone "Thank Ana Ruiz for the job" "the idea is gone once acted on"
run k challenge --json
expect_json '"today_done":true' "today ticked"
# The day is ticked with the interaction that was the act.
iid=$(k timeline ana --json | sed -n 's/.*"id":"\([0-9a-f]\{32\}\)","date":"2026-11-22".*/\1/p' | head -1)
CHECKS=$((CHECKS + 1))
[ -n "$iid" ] || fail "no interaction of today in: $(k timeline ana --json)"
expect_json '"ticks":[{"date":"2026-11-22","note":null,"interaction":"'"$iid"'"' "the tick names the act"
run k timeline ana
expect_out "thank-you" "the thank-you is in the timeline"
run k referrals --unthanked
expect_no_out "Globex" "the referral is thanked"

# The intro idea: both contacts, direction gave.
keys Enter
wait_for "Act on the idea" "the intro form"
wait_for "Kind intro" "kind intro"
wait_for "With Ben Okafor" "the first contact"
wait_for "Cy Dunn" "the second"
keys Enter
wait_for "logged intro (gave) with 2 contacts" "the intro logged"
run k timeline ben
expect_out "intro" "Ben's timeline has the intro"
run k timeline cy
expect_out "intro" "Cy's too"

# f: a pay-it-forward to someone not in the journal.
keys f
wait_for "Pay it forward" "f opens the form for a pay-it-forward"
wait_for "Direction forward" "set to forward"
keys Tab Tab Tab Tab
text "helped a student with her resume"
keys Enter
wait_for "paid forward » (no goodwill)" "paid forward"
run k forward
expect_out "helped a student with her resume" "the pay-it-forward is stored"

# Ask-readiness in the log form: direction asked shows where Ana stands.
keys 1
wait_for "Contacts 4" "back to the contacts"
keys g
wait_for "▸ Ana Ruiz" "Ana selected"
keys l
wait_for "Log an interaction" "the log form"
keys Tab Tab
keys Left
wait_for "Direction asked" "direction asked"
wait_for "Before you ask Ana Ruiz: last gave today" "the ask-readiness note"
wait_for "talked today" "days since you talked"
keys Escape
wait_for "Discard changes?" "a changed form asks before it closes"
keys y
wait_for "cancelled: nothing saved" "cancelled"

# The Contacts view's f: a pay-it-forward to the selected contact.
keys f
wait_for "Pay it forward" "f in the contacts view"
wait_for "With Ana Ruiz" "to the selected contact"
keys Tab Tab Tab Tab
text "sent Ana the job list"
keys Enter
wait_for "paid forward »" "paid forward to Ana"
run k timeline ana
expect_out "»" "the mark in her timeline"
expect_out "sent Ana the job list" "what was given"

keys q
wait_for "KITH-EXIT=0" "quit"
finish
