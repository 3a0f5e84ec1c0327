#!/bin/sh
# A search as you type shows its first rows at once and counts its matches
# while kith waits for the next key: the title's total, once it shows, is
# the exact count, as many as `kith list --search` finds (it said "5000+"
# past 5000), and End goes to the last match.
. "$KITH_TESTLIB"

# 5100 contacts named Carla, one Zed whose interaction says "Carlisle",
# and one Ben: "carl" finds 5101.
i=0
while [ $i -lt 5100 ]; do
    printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carla %04d\r\nN:%04d;Carla;;;\r\nEND:VCARD\r\n' $i $i
    i=$((i + 1))
done >"$T/carlas.vcf"
k import vcard "$T/carlas.vcf" >/dev/null 2>&1 || fail "import"
k add "Zed Other" >/dev/null
k add "Ben Okafor" >/dev/null
k log zed --kind call --summary "trip to Carlisle" >/dev/null || fail "log"
k list --search carl | list_names >"$T/carl"
[ "$(wc -l <"$T/carl")" -eq 5101 ] || fail "kith list --search carl: $(wc -l <"$T/carl") rows, want 5101"

tui_start
wait_for "Contacts 5102 " "list"
keys /
text "carl"
wait_for "Contacts 5101 /carl " "the exact count of a search past 5000"
expect_screen_lacks "5000+" "no capped count"
keys Enter
# The first rows and the last, as kith list orders them.
keys j
expect_rows "$T/carl" 1 2 "second row"
keys End
expect_rows "$T/carl" 5085 5101 "End"
keys g
expect_rows "$T/carl" 1 1 "g"
# A search with fewer matches than the pane has rows.
keys Escape
wait_for "Contacts 5102 " "Esc clears"
keys /
text "zed"
wait_for "Contacts 1 /zed " "one match"
keys Escape
# End pressed at once after a search: the list goes to its last match.
keys / && text "carla 50" && keys Enter End
k list --search "carla 50" | list_names >"$T/c50"
expect_rows "$T/c50" 84 100 "End right after the search"
keys q
wait_for "KITH-EXIT=0" "quit"
finish
