#!/bin/sh
# Paging through a list longer than the screen: PgDn, PgUp, j, k, G and g
# show the rows `kith list` has at those places (three names that sort
# alike included, across a page boundary), with the right position, with
# and without a search.
. "$KITH_TESTLIB"

{
    echo "Name,Organization"
    i=1
    while [ $i -le 60 ]; do
        case $i in
        16 | 17 | 18) ;;
        *) [ $i -lt 16 ] && echo "Anna $i,Acme" || echo "Cara $i,Initech" ;;
        esac
        i=$((i + 1))
    done
} >"$T/people.csv"
import_people "$T/people.csv" "Cara 30 gone"

# The names `kith list` prints, one a line, in its order.
k list | list_names >"$T/all"
k list --search cara | list_names >"$T/cara"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/all")" = 60 ] || fail "kith list: $(wc -l <"$T/all") contacts, want 60"

tui_start
wait_for "Contacts 60" "list"
expect_rows "$T/all" 1 1 "start"
keys NPage
expect_rows "$T/all" 17 17 "PgDn"
keys NPage
expect_rows "$T/all" 33 33 "PgDn again"
keys j
expect_rows "$T/all" 33 34 "j"
keys PPage
expect_rows "$T/all" 17 18 "PgUp"
keys PPage
expect_rows "$T/all" 1 2 "PgUp to the top"
keys NPage NPage NPage NPage
expect_rows "$T/all" 44 60 "PgDn to the end"
keys k k k k k k k k k k k k k k k k k
expect_rows "$T/all" 43 43 "k past the top of the screen"
keys PPage
expect_rows "$T/all" 27 27 "PgUp from there"
keys j j j j j j j j j j j j j j j j j
expect_rows "$T/all" 28 44 "j past the bottom of the screen"
keys G
expect_rows "$T/all" 44 60 "G"
keys k k k k k k k k k k k k k k k k k k k k
expect_rows "$T/all" 40 40 "k from the end"
keys g
expect_rows "$T/all" 1 1 "g"

# Contacts another process adds above the rows on screen move them down,
# and the selected contact stays selected where it was on the screen.
keys NPage j j
expect_rows "$T/all" 17 19 "before a write elsewhere"
k add "Aaron Above" >/dev/null && k add "Abe Above" >/dev/null || fail "add elsewhere"
k list | list_names >"$T/all"
wait_for "Contacts 62" "the writes elsewhere are seen"
expect_rows "$T/all" 19 21 "after a write elsewhere"
keys g
expect_rows "$T/all" 1 1 "g after a write elsewhere"
k add "Aaa First" >/dev/null || fail "add elsewhere at the top"
k list | list_names >"$T/all"
wait_for "Contacts 63" "the write at the top is seen"
expect_rows "$T/all" 1 2 "a write elsewhere above the first row"
k rm "Aaa First" --yes >/dev/null || fail "delete elsewhere"
k list | list_names >"$T/all"
wait_for "Contacts 62" "the delete elsewhere is seen"
expect_rows "$T/all" 1 1 "a delete elsewhere above the selected row"

# The same through a search.
keys /
text "cara"
keys Enter
wait_for "Contacts 42 /cara" "search"
expect_rows "$T/cara" 1 1 "search: start"
keys NPage
expect_rows "$T/cara" 17 17 "search: PgDn"
keys NPage NPage
expect_rows "$T/cara" 26 42 "search: PgDn to the end"
keys PPage k
expect_rows "$T/cara" 10 25 "search: PgUp and k"

keys q
wait_for "KITH-EXIT=0" "quit"
finish
