#!/bin/sh
# Two journals writing as one replica (Y2, a copy of a syncing Y1) each
# write their next file under the same number; Syncthing keeps one of the
# two in the folder and renames the other to a conflict copy. The journal
# whose file is not there finds the other's in its place (not the bytes it
# wrote, which it keeps): it applies that file as another replica's, takes
# a new id and sends its own changes of it again. Whichever file Syncthing
# kept, every journal ends with every change.
. "$KITH_TESTLIB"

S="$T/shared"
Y1="$T/y1.db"
Y2="$T/y2.db"
Y3="$T/y3.db"
y1() { "$KITH" --db "$Y1" "$@"; }
y2() { "$KITH" --db "$Y2" "$@"; }
y3() { "$KITH" --db "$Y3" "$@"; }

# twins KEPT: Y1 and Y2 both write file 2 of replica R; Syncthing keeps
# KEPT's (y1 or y2) and the other's as a conflict copy.
twins() {
    rm -rf "$S" "$Y1" "$Y2" "$Y3" "$T/h" && mkdir "$S" "$T/h"
    y1 add "Al One" >/dev/null && y1 sync "$S" >/dev/null && y3 sync "$S" >/dev/null &&
        y1 sync >/dev/null || fail "$1: first syncs"
    cp "$Y1" "$Y2"
    r=$(sync_id "$Y1")
    cp "$S/$r/state" "$T/state.pre"
    y1 add "From Y1" >/dev/null && y1 sync >/dev/null || fail "$1: Y1's file 2"
    mv "$S/$r/2.changeset" "$S/$r/state" "$T/h/"
    cp "$T/state.pre" "$S/$r/state"
    y2 add "From Y2" >/dev/null && y2 sync >/dev/null || fail "$1: Y2's file 2"
    [ -e "$S/$r/2.changeset" ] || fail "$1: Y2 wrote no file 2"
    cmp -s "$S/$r/2.changeset" "$T/h/2.changeset" && fail "$1: the two files 2 are the same"
    copy="$S/$r/2.sync-conflict-20261207-060000-AAAAAAA.changeset"
    if [ "$1" = y1 ]; then
        mv "$S/$r/2.changeset" "$copy"
        mv "$T/h/2.changeset" "$T/h/state" "$S/$r/"
    else
        mv "$T/h/2.changeset" "$copy"
    fi
    for round in 1 2; do
        for y in y3 y2 y1; do
            run $y sync
            expect_rc 0 "$1: $y's sync, round $round"
            if [ "$y$round" = "${1}1" ]; then
                expect_no_out "another journal writes" "$1: $y, whose file the folder kept"
            fi
        done
    done
    for y in y1 y2 y3; do
        run $y list
        expect_out "From Y1" "$1: $y"
        expect_out "From Y2" "$1: $y"
    done
    same_journals "$Y1" "$Y2" "$1: Y1 and Y2"
    same_journals "$Y1" "$Y3" "$1: Y1 and Y3"
    # The one whose file the folder lost took a new id; the other kept R.
    lost=$([ "$1" = y1 ] && echo "$Y2" || echo "$Y1")
    kept=$([ "$1" = y1 ] && echo "$Y1" || echo "$Y2")
    [ "$(sync_id "$kept")" = "$r" ] || fail "$1: the journal whose file stayed changed its id"
    [ "$(sync_id "$lost")" != "$r" ] || fail "$1: the journal whose file went kept its id"
}

twins y1
twins y2

# What the one whose file went says, once.
twins_said() {
    rm -rf "$S" "$Y1" "$Y2" "$Y3" "$T/h" && mkdir "$S" "$T/h"
    y1 add "Al One" >/dev/null && y1 sync "$S" >/dev/null && y1 sync >/dev/null ||
        fail "said: first syncs"
    cp "$Y1" "$Y2"
    r=$(sync_id "$Y1")
    cp "$S/$r/state" "$T/state.pre"
    y1 add "From Y1" >/dev/null && y1 sync >/dev/null || fail "said: Y1's file 2"
    mv "$S/$r/2.changeset" "$S/$r/state" "$T/h/"
    cp "$T/state.pre" "$S/$r/state"
    y2 add "From Y2" >/dev/null && y2 sync >/dev/null || fail "said: Y2's file 2"
    mv "$S/$r/2.changeset" "$S/$r/2.sync-conflict-20261207-060000-AAAAAAA.changeset"
    mv "$T/h/2.changeset" "$T/h/state" "$S/$r/"
}
twins_said
run y2 sync
expect_rc 0 "said: Y2's sync"
expect_err "replica $r's file 2 in the folder is another journal's"
expect_out "another journal writes as replica $r"
expect_out "sent file 1"
run y2 sync
expect_no_err "another journal's" "said: a second sync"
expect_no_out "another journal writes" "said: a second sync"

# The lost file after the first is over 1 MB, its bytes not kept: it
# cannot be told from the other's, nor sent again as it was; the journal
# sends all it holds again, each value as of its own change.
rm -rf "$S" "$Y1" "$Y2" "$Y3" "$T/h" && mkdir "$S" "$T/h"
y1 add "Al One" >/dev/null && y1 sync "$S" >/dev/null && y3 sync "$S" >/dev/null &&
    y1 sync >/dev/null || fail "whole: first syncs"
cp "$Y1" "$Y2"
r=$(sync_id "$Y1")
cp "$S/$r/state" "$T/state.pre"
y1 add "From Y1" >/dev/null && y1 sync >/dev/null && y1 add "From Y1 again" >/dev/null &&
    y1 sync >/dev/null || fail "whole: Y1's files 2 and 3"
mv "$S/$r/2.changeset" "$S/$r/3.changeset" "$S/$r/state" "$T/h/"
cp "$T/state.pre" "$S/$r/state"
y2 add "From Y2" >/dev/null && y2 sync >/dev/null || fail "whole: Y2's file 2"
note=$(python3 -c 'import random; random.seed(7); print("".join(random.choice("abcdefgh ") for _ in range(120000)))')
for i in 1 2 3 4 5 6 7 8 9 10; do
    y2 add "Big $i" --note "$note$i" >/dev/null || fail "whole: Big $i"
done
y2 edit "Al One" --company Later >/dev/null || fail "whole: Y2 edits Al"
y2 sync >/dev/null || fail "whole: Y2's file 3"
[ "$(wc -c <"$S/$r/3.changeset")" -gt 1100000 ] || fail "whole: Y2's file 3 is not over 1 MB"
mv "$S/$r/2.changeset" "$S/$r/2.sync-conflict-20261207-060000-AAAAAAA.changeset"
mv "$S/$r/3.changeset" "$S/$r/3.sync-conflict-20261207-060000-AAAAAAA.changeset"
mv "$T/h/2.changeset" "$T/h/3.changeset" "$T/h/state" "$S/$r/"
for round in 1 2; do
    for y in y3 y2 y1; do
        run $y sync
        expect_rc 0 "whole: $y's sync, round $round"
        if [ "$y$round" = y21 ]; then
            expect_err "replica $r's file 3 is not kept here (over 1 MB" "whole: Y2"
            expect_out "another journal writes as replica $r" "whole: Y2"
        fi
    done
done
for y in y1 y2 y3; do
    run $y list
    expect_out "From Y1 again" "whole: $y"
    expect_out "From Y2" "whole: $y"
    expect_out "Big 10" "whole: $y"
    expect_out "Later" "whole: $y"
done
same_journals "$Y1" "$Y2" "whole: Y1 and Y2"
same_journals "$Y1" "$Y3" "whole: Y1 and Y3"

finish
