#!/bin/sh
# Everything the journal records can be seen in the TUI: Enter opens the
# full card (every detail, the whole note, each history entry in full);
# archived contacts can be listed (marked) and A archives and brings back;
# a referral shows its note and outcome history; Today lists done and
# snoozed reminders and restores one.
. "$KITH_TESTLIB"

printf 'First line of the note\nSecond line of the note' >"$T/note.txt"
k add "Full Card" --company Acme --title CTO --email one@example.org --email two@example.org \
    --phone "+1 555 0100" --link https://example.org/full --location Lisbon \
    --met-on 2025-03-01 --how-met "at a conference" --birthday 04-05 --tag mentor --tag alumni \
    --working-on "$(printf 'a book\nand a course')" --note - <"$T/note.txt" >/dev/null || fail "add"
k add "Ref Giver" >/dev/null || fail "add Ref Giver"
k log "Full Card" --kind coffee --mutual --on 2026-11-01 --summary "long talk" \
    --note "$(printf 'she said this\nand that')" >/dev/null || fail "log"
k refer --by "Ref Giver" --to "Full Card" --on 2026-10-01 --note "met through Ref" >/dev/null || fail "refer"
r=$(k referrals --json | tr -d '\n' | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
k outcome "$r" --status meeting --on 2026-10-05 --note "first meeting went well" >/dev/null || fail "outcome 1"
k outcome "$r" --status hired --on 2026-11-01 --note "she hired me" >/dev/null || fail "outcome 2"
tui_start
wait_for "▸ Full Card" "started"

# The full card.
keys Enter
wait_for "Email      one@example.org" "first email"
wait_for "Email      two@example.org" "second email"
wait_for "Phone      +1 555 0100" "phone"
wait_for "Link       https://example.org/full" "link"
wait_for "Location   Lisbon" "location"
wait_for "Met        2025-03-01 · at a conference" "met"
wait_for "Birthday   04-05" "birthday"
wait_for "Tags       #alumni #mentor" "tags"
wait_for "Working on" "working on"
wait_for "and a course" "working on in full"
keys G
wait_for "Second line of the note" "the whole note"
wait_for "= mutual coffee: long talk" "the interaction"
wait_for "and that" "its note in full"
wait_for "Ref Giver referred you to them (intro, hired)" "the referral that brought them"
wait_for "2026-11-01 hired: she hired me" "its outcome history"
keys q
wait_gone "Email      one@example.org" "closed"

# Archive: hidden, listed again with v, marked, brought back.
keys A
wait_for "archived Full Card: hidden from the list" "archived"
wait_for "▸ Ref Giver" "the list moved on"
wait_for "Contacts 1 " "hidden from the list"
keys v
wait_for "Full Card          0 arch." "listed and marked"
wait_for "Contacts 2 +arch" "the title says so"
keys k
wait_for "▸ Full Card          0 arch." "selected"
keys A
wait_for "brought back Full Card" "unarchived"
run k list
expect_out "Full Card" "listed again by the CLI"
keys v
wait_for "archived contacts hidden" "v again hides them"

# A referral in full: note and outcome history.
keys 2
wait_for "Referrals 1" "referrals view"
keys Enter
wait_for "Ref Giver referred you to Full Card" "the referral"
wait_for "met through Ref" "its note"
wait_for "2026-10-05 meeting: first meeting went well" "the first outcome"
wait_for "2026-11-01 hired: she hired me" "the second"
keys q

# Today: a reminder marked done is listed under done and snoozed, and r
# restores it.
keys 3
wait_for "Thank Ref Giver" "the thank-you reminder"
keys d
wait_for "done: gone until it fires anew" "marked done"
wait_for "✓ done 11-22" "listed as done"
keys G
wait_for "▸ ✓ done 11-22" "selected"
keys r
wait_for "restored: due again" "restored"
wait_for "None: d marks a reminder done" "no handled reminder left"
run k today
expect_out "Thank Ref Giver" "due again for the CLI too"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
