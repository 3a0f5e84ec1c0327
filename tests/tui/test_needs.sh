#!/bin/sh
# Needs, offers and a cadence in the TUI: the edit form has a field for
# each; saving stores them (kith show reads them back) and the card shows
# what they need; a bad cadence is refused at its field, nothing saved.
. "$KITH_TESTLIB"

k add Ana Ruiz >/dev/null
tui_start
wait_for "▸ Ana Ruiz" "started"
keys e
wait_for "Edit contact" "the edit form"
wait_for "Needs" "a Needs field"
wait_for "Offers" "an Offers field"
wait_for "Every" "an Every field"
# Name .. Working on are the 12 fields before Needs.
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
text "intro to a seed investor"
keys Tab
text "resume reviews"
keys Tab
text "3x"
keys Enter
wait_for "'3x' is not a span of time" "a bad cadence is refused"
wait_for "! Every 3x" "at its field"
run k show ana
expect_no_out "seed investor" "nothing saved while the form has a problem"
keys C-u
text "3w"
keys Enter
wait_gone "Edit contact" "saved"
wait_for "needs: intro to a seed" "the card shows the need"
run k show ana
expect_out "needs        intro to a seed investor"
expect_out "offers       resume reviews"
expect_out "every        3w (21 days)"
keys q
wait_for "KITH-EXIT=0" "quit"
finish
