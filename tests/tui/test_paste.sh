#!/bin/sh
# A paste is text: in every form a newline inside pasted text never saves
# the form and nothing pasted is read as a command (a paste of "D y" once
# deleted the selected contact); a multi-line paste into a note keeps its
# lines; outside a form a paste does nothing.
. "$KITH_TESTLIB"

k add "Ana Ruiz" >/dev/null || fail "add Ana"
k add "Ben Okafor" >/dev/null || fail "add Ben"
k refer --by ben --to-text "Globex" --on 2026-11-01 >/dev/null || fail "refer"
k refer --by ana --to-text "Initech" --on 2026-11-01 >/dev/null || fail "refer 2"
k challenge start --on 2026-11-20 >/dev/null || fail "challenge"
tui_start
wait_for "▸ Ana Ruiz" "started"

# paste TEXT: a bracketed paste, as a terminal sends one.
paste() {
    tmux -L "$TMUX_SOCK" set-buffer -- "$1"
    tmux -L "$TMUX_SOCK" paste-buffer -p
}
NL='
'
EVIL="D${NL}y${NL}a${NL}q${NL}"

# Outside a form: no command runs.
paste "$EVIL"
wait_for "a paste is not a command" "a paste outside a form"
run k list
expect_out "Ana Ruiz" "nothing deleted"

# Add: into the name, then a note of two lines.
keys a
wait_for "Add a contact" "add form"
paste "Pasted Person${NL}${EVIL}"
wait_for "Name Pasted Person D y a q" "line ends became spaces in the name"
keys Up
paste "first line${NL}second line"
wait_for "Note [2 lines] first line" "the note kept its lines"
wait_for "Add a contact" "the form is still open"
keys Enter
wait_for "saved Pasted Person D y a q" "saved by Enter, not by the paste"
run k show --json "Pasted Person"
expect_json '"note":"first line\nsecond line"' "the pasted note"

# Edit: into the company; the form stays open.
keys e
wait_for "Edit contact" "edit form"
keys Tab
paste "Acme${NL}${EVIL}"
wait_for "Company Acme D y a q" "pasted into the company"
wait_for "Edit contact" "still editing"
keys Escape
wait_for "Discard changes?" "asks"
keys y
wait_for "cancelled: nothing saved" "cancelled"

# Log: a summary on one line, a note on two.
keys l
wait_for "Log an interaction" "log form"
keys Tab Tab Tab Tab
paste "quick chat${NL}${EVIL}"
wait_for "Summary quick chat D y a q" "pasted summary"
keys Tab
paste "she said${NL}call back"
wait_for "Note [2 lines] she said" "pasted note"
keys Enter
wait_for "logged coffee" "logged"
run k timeline --json
expect_json '"note":"she said\ncall back"' "the interaction's note"

# A pick list takes no paste.
keys l
wait_for "Log an interaction" "log form again"
keys Tab Tab
paste "asked${NL}"
wait_for "a pick list takes no paste" "said so"
keys Escape
keys y

# Referral: a text target.
keys r
wait_for "Record a referral" "referral form"
keys Tab
paste "Initech${NL}${EVIL}"
wait_for "Or to Initech D y a q" "pasted target"
keys Escape
wait_for "Discard changes?" "asks"
keys y

# Thank-you: a note.
keys k
wait_for "▸ Ben Okafor" "Ben"
keys t
wait_for "Thank Ben Okafor" "thank form"
keys Up
paste "thanks for${NL}Globex"
wait_for "Note [2 lines] thanks for" "pasted thank-you note"
keys Enter
wait_for "thanked by email" "thanked"

# Outcome: a note.
keys 2
wait_for "Referrals 2" "referrals view"
keys o
wait_for "Referral outcome" "outcome form"
keys Up
paste "first call${NL}went well${NL}"
wait_for "Note [2 lines] first call" "pasted outcome note"
keys Enter
wait_for "outcome: pending" "outcome saved"
keys 1

# Tick: a note.
keys x
wait_for "Tick a day" "tick form"
paste "wrote to Ana${NL}${EVIL}"
wait_for "Note [5 lines] wrote to Ana" "a multi-line tick note"
keys Enter
wait_for "ticked 2026-11-22" "ticked"
run k challenge --json
expect_json '"note":"wrote to Ana\nD\ny\na\nq","interaction"' "the tick note as pasted, without the last line end"

# Challenge start: a date with a line end.
keys c
wait_for "Start a new challenge?" "asks first"
keys y
wait_for "Start a challenge" "start form"
keys C-u
paste "2026-11-22${NL}"
wait_for "Starts on 2026-11-22 " "the line end dropped"
wait_for "Start a challenge" "still open"
# The date is what it was: nothing to discard.
keys Escape
wait_for "cancelled: nothing saved" "closed"

# Snooze: a number of days.
keys 3
wait_for "Today" "today view"
wait_for "Thank Ana" "a reminder"
keys z
wait_for "Snooze the reminder" "snooze form"
keys C-u
paste "10${NL}${EVIL}"
wait_for "Days 10 D y a q" "pasted days"
wait_for "Snooze the reminder" "still open"
keys Escape
keys y

# The search takes a paste as text.
keys 1 /
paste "Ana${NL}"
wait_for "Contacts 1 /Ana" "pasted search"
keys Escape

run k list
expect_out "Ana Ruiz" "Ana survived every paste"
expect_out "Ben Okafor" "Ben too"
keys q
wait_for "KITH-EXIT=0" "q quits"
finish
