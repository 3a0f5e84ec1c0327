#!/bin/sh
# The likely duplicates in the TUI: M lists them with their reasons, s
# swaps which one is kept, Enter asks and merges, u undoes the merge.
. "$KITH_TESTLIB"

cat >"$T/people.vcf" <<'VCF'
BEGIN:VCARD
VERSION:3.0
FN:Robert Lee
TEL;TYPE=work:+1 555 010 2030
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bob Lee
TEL:(555) 010-2030
TITLE:Founder
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Carol King
END:VCARD
VCF
k import vcard "$T/people.vcf" >/dev/null || fail "import"
k log "Bob Lee" --kind coffee --gave >/dev/null || fail "log"
before=$(k export json)
tui_start

wait_for "▸ Bob Lee" "first contact selected"
keys M
wait_for "Likely duplicates" "the dialog"
wait_for "Robert Lee  ←  Bob Lee   phone +1 555 010 2030, similar name" "the pair and its reasons"
expect_screen_lacks "Carol King  ←" "Carol is nobody's duplicate"
# s keeps Bob instead; s again keeps Robert.
keys s
wait_for "Bob Lee  ←  Robert Lee" "swapped"
keys s
wait_for "Robert Lee  ←  Bob Lee" "swapped back"
# Any key but y keeps both.
keys Enter
wait_for "Merge Bob Lee into Robert Lee?" "asks first"
keys n
wait_for "Robert Lee  ←  Bob Lee" "still listed"
run k show "Bob Lee"
expect_rc 0 "n merged nothing"
keys Enter
wait_for "Merge Bob Lee into Robert Lee?" "asks again"
keys y
wait_for "No likely duplicates." "the list after the merge"
keys q
wait_for "merged Bob Lee into Robert Lee · u undoes" "said so"
wait_for "▸ Robert Lee" "the kept contact selected"
wait_for "aka Bob Lee" "the card shows the other name as a nickname"
expect_screen_lacks "│  Bob Lee" "Bob is gone from the list"
run k show "Robert Lee" --json
expect_json '"nicknames":["Bob Lee"]' "Bob's name stays with Robert"
expect_json '"title":"Founder"' "Bob's title"
expect_json '"gave":1' "Bob's coffee"
wait_for "+1 555 010 2030 (work)" "the card shows the phone's label"
# u undoes the merge: the journal is as it was.
keys u
wait_for "undid: merged Bob Lee into Robert Lee" "undone"
wait_for "Bob Lee" "Bob is back"
after=$(k export json)
CHECKS=$((CHECKS + 1))
[ "$after" = "$before" ] || fail "undo did not restore the journal exactly"
keys q
wait_for "KITH-EXIT=0" "quit"
finish
