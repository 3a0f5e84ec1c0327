#!/bin/sh
# Forms end to end: the edit form changes location and links (and removes a
# link taken out of the field); the thank form from the Referrals view is
# for the selected referral, not the oldest.
. "$KITH_TESTLIB"

k add "Edit Me" --company Acme --link https://old.example.org >/dev/null || fail "add"
k add "Two Doors" >/dev/null || fail "add Two Doors"
k refer --by "Two Doors" --to-text "Old door" --on 2026-10-01 >/dev/null || fail "refer old"
k refer --by "Two Doors" --to-text "New door" --on 2026-11-01 >/dev/null || fail "refer new"
tui_start

wait_for "▸ Edit Me" "first contact selected"
keys e
wait_for "Edit contact" "edit form"
wait_for "Location" "a location field"
wait_for "https://old.example.org" "the links field holds the link"
# Name, Company, Title, Location.
keys Tab Tab Tab
text "Lisbon, Portugal"
# Location, Emails, Phones, Links: replace the old link with two new ones.
keys Tab Tab Tab C-u
text "https://new.example.org https://blog.example.org"
keys Enter
wait_for "saved Edit Me" "saved"
run k show --json "Edit Me"
expect_json '"location":"Lisbon, Portugal"' "location saved"
expect_json '"links":["https://new.example.org","https://blog.example.org"]' "links replaced"
expect_no_out "old.example.org" "the removed link is gone"

# Clearing the location through the form clears it. (Esc first clears the
# bottom line, so that the next "saved" is the new one.)
keys Escape
wait_gone "saved Edit Me" "the bottom line cleared"
keys e
wait_for "Lisbon, Portugal" "the form shows the location"
keys Tab Tab Tab C-u Enter
wait_for "saved Edit Me" "saved again"
run k show --json "Edit Me"
expect_json '"location":null' "location cleared"

# From the Contacts view the oldest unthanked one is preselected, and the
# choice can be changed to none.
keys j
wait_for "▸ Two Doors" "Two Doors selected"
keys t
wait_for "1. 2026-10-01 Old door (intro)" "the oldest unthanked preselected"
keys Escape
wait_for "cancelled: nothing saved" "cancelled"

# Referrals view: the second row (the newer door) selected, t thanks for it.
keys 2
wait_for "Referrals 2" "referrals view"
wait_for "Old door" "oldest unthanked first"
keys j
keys t
wait_for "Thank Two Doors" "thank form"
wait_for "2. 2026-11-01 New door (intro)" "the selected referral preselected"
keys Enter
wait_for "thanked by email" "thanked"
run k referrals --json
expect_json '"target":"New door","target_id":null,"kind":"intro","date":"2026-11-01","outcome":"pending","thanked":true' "the new door is thanked"
# A thank-you dated today covers the older referral too (the core's rule),
# so the export shows which referral the thank-you was for.
new_id=$(printf '%s' "$OUT" | tr '}' '\n' | grep '"New door"' | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
run k export json
expect_json "\"form\":\"email\",\"referral\":\"$new_id\"" "the thank-you is for the selected referral"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
