#!/bin/sh
# The list in recent, silent and goodwill order (`s`): the rows are those
# `kith list --sort ...` prints at the same places, ties (same date, names
# that sort alike) and contacts never met included, through PgDn, PgUp, j
# and k, and a contact another process logs an interaction with moves to
# the top of the recent order.
. "$KITH_TESTLIB"

{
    echo "Name,Organization"
    i=1
    while [ $i -le 57 ]; do
        echo "Anna $i,Acme"
        i=$((i + 1))
    done
} >"$T/people.csv"
import_people "$T/people.csv" "Anna 58 gone"
# Seven dates shared round the contacts; every fifth one never met.
i=1
while [ $i -le 57 ]; do
    if [ $((i % 5)) != 0 ]; then
        dir=--gave
        [ $((i % 3)) = 0 ] && dir=--asked
        k log "Anna $i" --kind coffee $dir --on "2026-10-0$((i % 7 + 1))" >/dev/null ||
            fail "log Anna $i"
    fi
    i=$((i + 1))
done
# The three that fold alike are named by their ids.
ties=$(k list | awk '$2 == "Bo" || $2 == "bo" || $2 == "BÖ" { print $1 }')
# shellcheck disable=SC2086
k log $ties "Anna 58 gone" --kind intro --gave --on 2026-10-03 >/dev/null || fail "log ties"

k list --sort recent | list_names >"$T/recent"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/recent")" = 60 ] || fail "kith list: $(wc -l <"$T/recent") contacts, want 60"

tui_start
wait_for "Contacts 60" "list"
wait_for "│▸ Anna 1 " "start"
# `s` shows the new order from its top, whoever was selected before.
keys j j j
wait_for "│▸ Anna 12 " "moved down"
keys s
wait_for "recent" "s: the order's name"
expect_rows "$T/recent" 1 1 "s: the top of the recent order"
keys j j
expect_rows "$T/recent" 1 3 "s then j j"

keys g
expect_rows "$T/recent" 1 1 "recent: g"
keys NPage
expect_rows "$T/recent" 17 17 "recent: PgDn"
keys NPage
expect_rows "$T/recent" 33 33 "recent: PgDn again"
keys j
expect_rows "$T/recent" 33 34 "recent: j"
keys PPage
expect_rows "$T/recent" 17 18 "recent: PgUp"
keys NPage NPage NPage NPage
expect_rows "$T/recent" 44 60 "recent: PgDn to the end"
keys k k k k k k k k k k k k k k k k k
expect_rows "$T/recent" 43 43 "recent: k past the top of the screen"
keys j j j j j j j j j j j j j j j j j
expect_rows "$T/recent" 44 60 "recent: j to the end"

# Another process logs an interaction with the last contact of the order
# (never met): it is first now, here too.
last=$(tail -n 1 "$T/recent")
last_id=$(k list --sort recent | tail -n 1 | cut -c1-8)
k log "$last_id" --kind call --mutual --on 2026-11-21 >/dev/null || fail "log elsewhere"
k list --sort recent | list_names >"$T/recent"
CHECKS=$((CHECKS + 1))
[ "$(head -n 1 "$T/recent")" = "$last" ] || fail "kith list: $last is not first"
keys g
wait_for "│▸ $last " "the write elsewhere is seen"
expect_rows "$T/recent" 1 1 "recent: after a write elsewhere"
keys NPage
expect_rows "$T/recent" 17 17 "recent: PgDn after a write elsewhere"

k list --sort silent | list_names >"$T/silent"
keys s g
expect_rows "$T/silent" 1 1 "silent: g"
keys NPage j
expect_rows "$T/silent" 17 18 "silent: PgDn and j"

keys s g
wait_for "goodwill" "goodwill order"
k list --sort goodwill | list_names >"$T/goodwill"
expect_rows "$T/goodwill" 1 1 "goodwill: g"
keys NPage NPage k
expect_rows "$T/goodwill" 32 32 "goodwill: PgDn twice and k"

keys q
wait_for "KITH-EXIT=0" "quit"
finish
