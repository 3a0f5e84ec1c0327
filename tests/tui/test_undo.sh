#!/bin/sh
# u undoes the TUI's last change of any kind, again and again, also after
# quitting and opening kith again; U (and Ctrl-R) redo; each says what it
# did. The command line's changes are not the TUI's to undo.
. "$KITH_TESTLIB"

k add "Ana Ruiz" --title Engineer >/dev/null || fail "add Ana"
tui_start
wait_for "▸ Ana Ruiz" "started"

keys a
wait_for "Add a contact" "add form"
text "Ben Undo"
keys Enter
wait_for "saved Ben Undo" "added Ben"
keys k
wait_for "▸ Ana Ruiz" "Ana selected"
keys e
wait_for "Edit contact" "edit form"
keys Tab Tab C-u
text "CTO"
keys Enter
wait_for "saved Ana Ruiz" "edited Ana"
keys l
wait_for "Log an interaction" "log form"
keys Enter
wait_for "logged" "logged"
keys c
wait_for "Start a challenge" "challenge form"
keys Enter
wait_for "challenge started" "started a challenge"
keys x
wait_for "Tick a day" "tick form"
keys Enter
wait_for "ticked 2026-11-22 ✓" "ticked"
keys j
wait_for "▸ Ben Undo" "Ben selected"
keys D
wait_for "Delete contact" "asks"
keys y
wait_for "deleted Ben Undo" "deleted Ben"
keys q
wait_for "KITH-EXIT=0" "quit"

# Open again: the history is still there.
tui_restart
wait_for "▸ Ana Ruiz" "reopened"
keys u
wait_for "undid: deleted Ben Undo" "undo the delete after reopening"
run k list
expect_out "Ben Undo" "Ben is back"
keys u
wait_for "undid: ticked 2026-11-22" "undo the tick"
run k challenge --json
expect_json '"done":0' "no day ticked"
keys u
wait_for "undid: started a 30-day challenge" "undo the challenge"
keys u
wait_for "undid: logged" "undo the log"
run k timeline ana
expect_no_out "2026-11-22" "the interaction is gone"
keys u
wait_for "undid: edited Ana Ruiz (Title)" "undo the edit"
run k show --json ana
expect_json '"title":"Engineer"' "the old title"
keys U
wait_for "redid: edited Ana Ruiz (Title)" "U redoes"
run k show --json ana
expect_json '"title":"CTO"' "the title redone"
keys C-r
wait_for "redid: logged" "Ctrl-R redoes too"
keys u u
wait_for "undid: edited Ana Ruiz (Title)" "undo twice"
keys u
wait_for "undid: added Ben Undo" "undo the add"
run k list
expect_no_out "Ben Undo" "Ben is gone"
keys u
wait_for "nothing to undo" "the end of the history"
# The command line's add of Ana is not the TUI's to undo.
run k list
expect_out "Ana Ruiz" "Ana stays"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
