#!/bin/sh
# Two machines that already sync, each importing the same address book:
# the sync that brings the other's contacts says how many pairs may be one
# person twice and what to do, once on each machine; not again for pairs
# already here, nor for a contact that duplicates nobody; in --json too.
. "$KITH_TESTLIB"

F="$T/folder"
j1() { "$KITH" --db "$T/j1.db" "$@"; }
j2() { "$KITH" --db "$T/j2.db" "$@"; }
said="this sync brought contacts that may be people this journal already had, or one another"

mkdir "$F"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gina Hart\r\nEMAIL:gina@hart.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hal Ortiz\r\nEND:VCARD\r\n' >"$T/cards.vcf"
j1 add Seed >/dev/null && j1 sync "$F" >/dev/null && j2 sync "$F" >/dev/null ||
    fail "two journals that sync"
j1 import vcard "$T/cards.vcf" >/dev/null && j2 import vcard "$T/cards.vcf" >/dev/null ||
    fail "the address book on both"

# J1 only sends: nothing arrived there.
run j1 sync
expect_rc 0 "J1 sends its cards"
expect_no_out "one person twice"
# J2 gets J1's Gina and Hal: two pairs, with what to do.
run j2 sync
expect_rc 0 "J2 gets J1's cards"
expect_out "$said: 2 pairs may be one person twice"
expect_out "review and merge them on one machine (the merges reach the others with their next sync): kith --db $T/j2.db dupes"
expect_no_out "both had contacts"
# J1 gets J2's: the pairs form there too, and it says so once.
run j1 sync
expect_out "$said: 2 pairs may be one person twice"
run j1 list
expect_lines "$OUT" 2 "Gina Hart" "Gina twice on J1"
expect_lines "$OUT" 2 "Hal Ortiz" "Hal twice on J1"
run j1 dupes
expect_out "2 likely duplicates"
# Nothing new: nothing said, on either machine.
run j2 sync
expect_out "up to date"
expect_no_out "one person twice"
run j1 sync
expect_no_out "one person twice"

# A contact that duplicates nobody: the pairs already here are not news.
j2 add "Ivy Quist" --email ivy@quist.example >/dev/null && j2 sync >/dev/null ||
    fail "J2 adds Ivy"
run j1 sync --json
expect_rc 0 "J1 gets Ivy"
expect_json_valid
expect_json '"applied_files":1,'
expect_json '"likely_duplicates":0,'
run j1 sync
expect_no_out "one person twice"

# A name alike and a phone: two pairs, in --json (the first sync's field).
j1 add "Jon Moss" >/dev/null && j1 add "Mia Chen" --phone "+1 555 010 2030" >/dev/null &&
    j1 sync >/dev/null || fail "J1 adds Jon and Mia"
j2 add "John Moss" >/dev/null && j2 add "Front Desk" --phone "(555) 010-2030" >/dev/null ||
    fail "J2 adds John and the desk"
run j2 sync --json
expect_rc 0 "J2 gets Jon and Mia"
expect_json_valid
expect_json '"likely_duplicates":2,'
run j1 sync --json
expect_json '"likely_duplicates":2,'
run j1 sync --json
expect_json '"likely_duplicates":0,'
run j2 sync
expect_no_out "one person twice"

# One person added on two machines, both arriving on a third in one sync:
# a pair too, counted once (an email and a name alike are one pair). Each
# of the two machines counts it when the other's arrives.
j3() { "$KITH" --db "$T/j3.db" "$@"; }
j3 add Other >/dev/null && j3 sync "$F" >/dev/null && j3 sync >/dev/null || fail "J3 joins"
j1 add "Kay Ross" --email kay@ross.example >/dev/null && j1 sync >/dev/null || fail "J1 adds Kay"
j2 add "Kay Ross" --email kay@ross.example >/dev/null && j2 sync >/dev/null || fail "J2 adds Kay"
run j3 sync
expect_rc 0 "J3 gets both Kays"
expect_out "$said: 1 pair may be one person twice"
run j3 dupes
expect_out "same email kay@ross.example"
run j1 sync --json
expect_json '"likely_duplicates":1,'
run j3 sync
expect_no_out "one person twice"

# A merge that a change on another machine undoes in part: the contact
# merged away is kept there against the merge's delete, and comes back,
# archived, to the machine that merged. That pair was here before (this
# journal merged it): not news, nothing said (review r25 #7).
G="$T/folder2"
mkdir "$G"
m1() { "$KITH" --db "$T/m1.db" "$@"; }
m2() { "$KITH" --db "$T/m2.db" "$@"; }
m1 add "Lu Park" --email lu@park.example >/dev/null && m1 add "Lu Park" --company Acme >/dev/null &&
    m1 sync "$G" >/dev/null && m2 sync "$G" >/dev/null || fail "M1 and M2 with Lu twice"
set -- $(m1 list --json | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
m1 merge "$1" "$2" --yes >/dev/null || fail "M1 merges the Lus"
m2 edit "$2" --title Director >/dev/null || fail "M2 edits the Lu merged away"
m2 sync >/dev/null && m1 sync >/dev/null && m2 sync >/dev/null || fail "the keep"
run m1 sync
expect_rc 0 "M1 gets the Lu kept back"
expect_out "kept, archived there"
expect_no_out "one person twice"
run m1 list --all
expect_lines "$OUT" 2 "Lu Park" "both Lus on M1, one archived"

finish
