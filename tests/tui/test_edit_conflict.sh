#!/bin/sh
# A contact changed elsewhere (here by the command line) while the edit
# form was open is never reverted silently: the form asks, and keep mine,
# take theirs and merge field by field each do what they say.
. "$KITH_TESTLIB"

k add "Con Flict" --company "Old Co" --title "Old Title" --note "the note" >/dev/null || fail "add"
tui_start
wait_for "▸ Con Flict" "selected"

# Merge, different fields: both changes are kept.
keys e
wait_for "Edit contact" "edit form"
keys Tab C-u
text "Mine Co"
k edit "Con Flict" --title "Their Title" >/dev/null || fail "edit elsewhere"
keys Enter
wait_for "Changed elsewhere" "the form asks"
wait_for "Changed there: Title" "what changed there"
wait_for "Changed by you: Company" "what the user changed"
keys m
wait_for "saved Con Flict" "merged"
run k show --json "Con Flict"
expect_json '"company":"Mine Co","title":"Their Title"' "both changes kept"
expect_json '"note":"the note"' "the note untouched"

# Merge, the same field: the user picks per field.
keys Escape
keys e
wait_for "Edit contact" "edit form again"
keys Tab Tab C-u
text "My Title"
k edit "Con Flict" --title "Their Title 2" >/dev/null || fail "edit elsewhere 2"
keys Enter
wait_for "Changed elsewhere" "asks again"
keys m
wait_for "Merge: Title" "the title needs a choice"
wait_for "My Title" "mine shown"
wait_for "Their Title 2" "theirs shown"
keys m
wait_for "saved Con Flict" "merged with mine"
run k show --json "Con Flict"
expect_json '"title":"My Title"' "my title kept"

# Take theirs: nothing of the form is written.
keys Escape
keys e
wait_for "Edit contact" "edit form 3"
keys Tab C-u
text "Form Co"
k edit "Con Flict" --company "Their Co" >/dev/null || fail "edit elsewhere 3"
keys Enter
wait_for "Changed elsewhere" "asks a third time"
keys t
wait_for "kept the version saved elsewhere" "took theirs"
run k show --json "Con Flict"
expect_json '"company":"Their Co"' "their company kept"

# Keep mine: the contact becomes what the form shows.
keys Escape
keys e
wait_for "Edit contact" "edit form 4"
keys Tab C-u
text "Keep Co"
k edit "Con Flict" --location "Paris" >/dev/null || fail "edit elsewhere 4"
keys Enter
wait_for "Changed elsewhere" "asks a fourth time"
keys k
wait_for "saved Con Flict" "kept mine"
run k show --json "Con Flict"
expect_json '"company":"Keep Co"' "my company"
expect_json '"location":null' "their location overwritten, as asked"

# Esc goes back to the form; nothing is written until the user decides.
keys Escape
keys e
wait_for "Edit contact" "edit form 5"
keys Tab C-u
text "Esc Co"
k edit "Con Flict" --title "Late Title" >/dev/null || fail "edit elsewhere 5"
keys Enter
wait_for "Changed elsewhere" "asks a fifth time"
keys Escape
wait_for "not saved: the contact changed elsewhere" "back to the form"
run k show --json "Con Flict"
expect_json '"company":"Keep Co","title":"Late Title"' "nothing written on Esc"
keys Escape
wait_for "Discard changes?" "closing asks"
keys y
wait_for "cancelled: nothing saved" "closed"

# Deleted elsewhere (a sync, the command line) while the form was open:
# the edit is not thrown away unasked. Esc goes back to the form; a adds
# the contact again as the form shows it.
keys e
wait_for "Edit contact" "edit form 6"
keys Tab C-u
text "Gone Co"
k rm "Con Flict" --yes >/dev/null || fail "rm elsewhere"
keys Enter
wait_for "Deleted elsewhere" "the form asks about the delete"
wait_for "Con Flict was deleted elsewhere" "names the contact"
keys Escape
wait_for "not saved: the contact was deleted elsewhere" "back to the form"
run k list --json
expect_no_out "Con Flict" "nothing written on Esc"
keys Enter
wait_for "Deleted elsewhere" "asks again"
keys a
wait_for "saved Con Flict" "added again"
run k show --json "Con Flict"
expect_json '"company":"Gone Co","title":"Late Title"' "the form's values, the edit with them"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
