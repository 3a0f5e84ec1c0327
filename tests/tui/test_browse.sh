#!/bin/sh
# The TUI end to end: browse, search, add through the form, log an
# interaction, tick today, thank a referrer, resize, quit.
. "$KITH_TESTLIB"

k demo >/dev/null || { fail "kith demo"; finish; }
tui_start

wait_for "1 Contacts" "header"
wait_for "Contacts 4" "list title with the count"
wait_for "day 12/30" "challenge day in the header"
wait_for "▸ Aiko Suzuki" "first contact selected"
wait_for "Aiko Suzuki 🌸" "card title"

# Browse: j moves, G goes to the end, g back.
keys j
wait_for "▸ Ana Ruiz" "j moves down"
wait_for "Ana Ruiz · Acme" "the card follows the selection"
keys G
wait_for "44/44" "G goes to the last row"
keys g
wait_for "▸ Aiko Suzuki" "g back to the top"

# Search as you type, then Esc clears.
keys /
text "ana"
wait_for "Contacts 4 /ana" "search narrows the list"
keys Escape
wait_for "Contacts 44 " "Esc clears the search"

# Tag filter.
keys '#'
text "mentor"
keys Enter
wait_for "#mentor" "tag filter in the title"
keys Escape
wait_for "Contacts 44 " "Esc clears the filter"

# Sort cycles.
keys s
wait_for "recent┐" "s cycles the sort"
keys s s s
wait_for "name┐" "back to name"

# Help comes from the key table.
keys '?'
wait_for "generated from the key table" "help"
keys NPage
wait_for "cycle the sort" "help lists the actions"
keys q
wait_gone "generated from the key table" "help closes"

# Add a contact through the form; Esc first to show it writes nothing.
keys a
wait_for "Add a contact" "add form"
text "Nobody"
keys Escape
# Something was typed: Esc asks before dropping it; n goes back.
wait_for "Discard changes?" "Esc asks first"
keys n
wait_gone "Discard changes?" "n keeps the form"
wait_for "Name Nobody" "the typed name kept"
keys Escape
wait_for "Discard changes?" "Esc asks again"
keys y
wait_for "cancelled: nothing saved" "Esc cancels"
run k list
expect_no_out "Nobody" "cancelled form wrote nothing"
keys a
wait_for "Add a contact" "add form again"
text "Zoë Quinn"
keys Tab
text "Initech"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab
text "13-45"
keys Enter
wait_for "! Birthday" "invalid birthday marked at the field"
keys C-u
text "03-14"
keys Enter
wait_for "saved Zoë Quinn" "saved"
wait_for "Zoë Quinn · Initech" "the new contact is selected"
run k show "Zoë Quinn"
expect_out "Initech" "kith show sees the new contact"

# Log an interaction with the new contact.
keys l
wait_for "Log an interaction" "log form"
keys Tab Tab Tab Tab
text "lunch and advice"
keys Enter
wait_for "logged coffee" "logged"
wait_for "coffee: lunch and advice" "in the timeline"
run k timeline "Zoë Quinn"
expect_out "lunch and advice" "kith timeline sees it"

# Tick today, linking the interaction just logged.
keys x
wait_for "Tick a day" "tick form"
wait_for "1. 11-22 coffee" "today's interaction offered"
text "coffee with Zoë"
keys Enter
wait_for "ticked 2026-11-22 ✓" "ticked"
wait_for "day 12/30 ✓" "header shows it"
run k challenge --json
expect_json '"today_done":true' "challenge --json"
# Ticking the day again adds a note to it, and keeps the tick.
keys x
wait_for "today ✓ ticked: a note is added" "the form says the day is ticked"
text "and a call"
keys Enter
wait_for "2026-11-22 was already ticked: added to it" "a second tick adds its note"
run k challenge --json
expect_json '{"date":"2026-11-22","note":"coffee with Zoë\nand a call"' "both notes kept"

# Referrals view: thank the oldest unthanked referrer.
keys 2
wait_for "Referrals 7" "referrals view"
wait_for "150d waiting" "unthanked first, with days waiting"
keys Enter
wait_for "Referral" "Enter shows the referral"
wait_for "Outcome history" "with its outcome history"
keys q
keys t
wait_for "Thank Luis García" "thank form for the referrer"
keys Enter
wait_for "thanked by email" "thanked"
wait_for "✓ 11-22 email" "thanked shows check, date and form"
run k referrals --json
expect_json '"thanked_on":"2026-11-22"' "referrals --json sees the thank-you"

# Today view.
keys 3
wait_for "Reminders due" "today view: reminders first"
# The birthdays come after the reminders: G goes to the last one.
keys G
wait_for "Birthdays in the next 7 days" "today view: birthdays"
wait_for "▸  11-27  Dana Kim" "G selects the last birthday"
keys k
wait_for "▸  11-25  Rosa Álvarez" "upcoming birthday"
keys Enter
wait_for "▸ Rosa Álvarez" "Enter jumps to the contact"

# Another process writes: the screen refreshes.
k add "Written Elsewhere" >/dev/null
wait_for "Contacts 46" "external change noticed"

keys q
wait_for "KITH-EXIT=0" "q quits with 0"
finish
