#!/bin/sh
# Search as you type: until every word has three letters the list matches
# names and companies only, and the search line says so; from three
# letters on, notes and interaction text too. The CLI always searches
# everything.
. "$KITH_TESTLIB"

k add "Carla Diaz" >/dev/null
k add "Ben Okafor" --company Cyberdyne >/dev/null
k add "Dana Smith" --note "cares about climate" >/dev/null
k add "Eve Adams" >/dev/null
k add "Olga Ng" >/dev/null
k log eve --kind advice --asked --summary "career advice over coffee" >/dev/null

# rows: the names in the list pane, comma-separated.
rows() { screen | sed -n '3,19p' | sed 's/││.*//; s/^│..//; s/  .*//; /^ *$/d' | paste -sd, -; }
expect_rows() {
    wait_for "Contacts $1 /$2 " "/$2: count" || return
    CHECKS=$((CHECKS + 1))
    [ "$(rows)" = "$3" ] || fail "/$2: rows '$(rows)', want '$3'. Screen:
$(screen)"
}

tui_start
wait_for "Contacts 5" "list"
keys /
text "c"
expect_rows 2 c "Ben Okafor,Carla Diaz"
wait_for "names and companies · Enter keep" "one letter: the search line says names and companies"
text "a"
expect_rows 1 ca "Carla Diaz"
wait_for "names and companies · Enter keep" "two letters: still names and companies"
text "r"
expect_rows 3 car "Carla Diaz,Dana Smith,Eve Adams"
wait_gone "names and companies" "three letters: everything"
keys BSpace
expect_rows 1 ca "Carla Diaz"
keys Escape
wait_for "Contacts 5 " "Esc clears"
keys /
text "ng"
expect_rows 1 ng "Olga Ng"
keys Enter
expect_rows 1 ng "Olga Ng"
keys q
wait_for "KITH-EXIT=0" "quit"

# The CLI is not bounded: one letter finds notes and interaction text.
run k list --search c
expect_out "Dana Smith" "list --search c finds a note"
expect_out "Eve Adams" "list --search c finds interaction text"
run k search c --json
expect_json '"name":"Dana Smith"' "search c finds a note"
expect_json '"name":"Eve Adams"' "search c finds interaction text"
finish
