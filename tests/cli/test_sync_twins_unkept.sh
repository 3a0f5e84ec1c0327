#!/bin/sh
# Two journals writing as one replica (Y2, a copy of a syncing Y1), where
# the file the folder lost is one whose bytes its writer did not keep (over
# 1 MB). The writer still tells the other's file from its own (it keeps
# the size and checksum of every file it sent), takes a new id and sends
# all it holds again, deletes too: whatever the order of the files the
# folder kept, no change is lost on either side.
. "$KITH_TESTLIB"

S="$T/shared"
Y1="$T/y1.db"
Y2="$T/y2.db"
Y3="$T/y3.db"
y1() { "$KITH" --db "$Y1" "$@"; }
y2() { "$KITH" --db "$Y2" "$@"; }
y3() { "$KITH" --db "$Y3" "$@"; }

note=$(python3 -c 'import random; random.seed(7); print("".join(random.choice("abcdefgh ") for _ in range(120000)))')

# big WHO TAG: ten contacts of 120 KB notes on WHO, one file over 1 MB.
big() {
    for i in 1 2 3 4 5 6 7 8 9 10; do
        "$1" add "Big $2 $i" --note "$note$i" >/dev/null || fail "$2: $1 adds Big $i"
    done
}

# start: Y1, Y3 syncing, Y2 a copy of Y1; r its replica, the folder's state
# as Y2 found it kept aside.
start() {
    rm -rf "$S" "$Y1" "$Y2" "$Y3" "$T/h" && mkdir "$S" "$T/h"
    y1 add "Al One" >/dev/null && y1 add "Gone Soon" >/dev/null && y1 sync "$S" >/dev/null &&
        y3 sync "$S" >/dev/null && y1 sync >/dev/null || fail "$1: first syncs"
    cp "$Y1" "$Y2"
    r=$(sync_id "$Y1")
    cp "$S/$r/state" "$T/state.pre"
}

# writes: Y1's files go aside ($T/h), then Y2 writes its own under the
# same numbers.
y1_aside() {
    mv "$S/$r/"*.changeset "$S/$r/state" "$T/h/"
    mv "$T/h/1.changeset" "$S/$r/"
    cp "$T/state.pre" "$S/$r/state"
}

# keep N WHO: the folder keeps WHO's file N (y1 or y2), the other's as a
# conflict copy (Syncthing's name).
keep() {
    copy="$S/$r/$1.sync-conflict-20261207-060000-AAAAAAA.changeset"
    if [ "$2" = y1 ]; then
        mv "$S/$r/$1.changeset" "$copy"
        mv "$T/h/$1.changeset" "$S/$r/"
    else
        mv "$T/h/$1.changeset" "$copy"
    fi
}

# settle WHAT: two rounds of syncs; every journal ends the same.
settle() {
    [ -e "$T/h/state" ] && mv "$T/h/state" "$S/$r/state"
    for round in 1 2; do
        for y in y3 y2 y1; do
            run $y sync
            expect_rc 0 "$1: $y's sync, round $round"
        done
    done
    same_journals "$Y1" "$Y2" "$1: Y1 and Y2"
    same_journals "$Y1" "$Y3" "$1: Y1 and Y3"
}

# expect_all WHAT NAME...: every journal lists each name, and none lists
# Gone Soon (deleted in Y1's large file).
expect_all() {
    what=$1
    shift
    for y in y1 y2 y3; do
        run $y list
        for name in "$@"; do
            expect_out "$name" "$what: $y"
        done
        expect_no_out "Gone Soon" "$what: $y, the contact Y1 deleted"
    done
}

# A: Y1's file 2 is over 1 MB (its bytes not kept) and holds a delete; the
# folder keeps Y2's file 2. Only Y1 can tell: it must.
start A
big y1 A
y1 rm "Gone Soon" --yes >/dev/null || fail "A: Y1 deletes"
y1 sync >/dev/null || fail "A: Y1's file 2"
[ "$(wc -c <"$S/$r/2.changeset")" -gt 1100000 ] || fail "A: Y1's file 2 is not over 1 MB"
y1_aside
y2 add "From Y2" >/dev/null && y2 sync >/dev/null || fail "A: Y2's file 2"
keep 2 y2
run y1 sync
expect_rc 0 "A: Y1's sync"
expect_err "replica $r's file 2 is not kept here (over 1 MB" "A: Y1"
expect_out "another journal writes as replica $r" "A: Y1"
[ "$(sync_id "$Y1")" != "$r" ] || fail "A: Y1 kept the id"
settle A
expect_all A "Big A 10" "From Y2"
[ "$(sync_id "$Y2")" = "$r" ] || fail "A: Y2, whose file stayed, changed its id"

# B: Y1's file 2 is over 1 MB and lost, its file 3 small and kept in the
# folder in place of Y2's: the first file Y1 finds different is not the
# first one it wrote that the folder lost. Y2 finds its file 3 lost.
start B
big y1 B
y1 rm "Gone Soon" --yes >/dev/null || fail "B: Y1 deletes"
y1 sync >/dev/null && y1 add "Y1 three" >/dev/null && y1 sync >/dev/null ||
    fail "B: Y1's files 2 and 3"
y1_aside
y2 add "Y2 two" >/dev/null && y2 sync >/dev/null && y2 add "Y2 three" >/dev/null &&
    y2 sync >/dev/null || fail "B: Y2's files 2 and 3"
keep 2 y2
keep 3 y1
settle B
expect_all B "Big B 10" "Y1 three" "Y2 two" "Y2 three"

# C: both files 2 and 3 of Y1's lost, file 2 over 1 MB: Y1 alone tells.
start C
big y1 C
y1 rm "Gone Soon" --yes >/dev/null || fail "C: Y1 deletes"
y1 sync >/dev/null && y1 edit "Al One" --company Y1Co >/dev/null && y1 sync >/dev/null ||
    fail "C: Y1's files 2 and 3"
y1_aside
y2 add "Y2 two" >/dev/null && y2 sync >/dev/null && y2 edit "Al One" --title Boss >/dev/null &&
    y2 sync >/dev/null || fail "C: Y2's files 2 and 3"
keep 2 y2
keep 3 y2
settle C
expect_all C "Big C 10" "Y2 two"
for y in y1 y2 y3; do
    run $y show "Al One"
    expect_out "Y1Co" "C: $y, Y1's edit"
    expect_out "Boss" "C: $y, Y2's edit"
done

# D: journals that synced before kith kept the sums of the files it sent
# (an upgrade: no size nor checksum of any file, its bytes dropped once
# applied everywhere), two machines editing in turn: each takes its files
# as the folder holds them, keeps its id, lists no conflict, and finds a
# copy's file among those it sends from then on.
rm -rf "$S" "$Y1" "$Y2" "$Y3" && mkdir "$S"
y1 add "Kim Lee" >/dev/null && y1 sync "$S" >/dev/null && y3 sync "$S" >/dev/null ||
    fail "D: first syncs"
for i in 1 2 3; do
    y1 edit Kim --title "T$i" >/dev/null && y1 sync >/dev/null && y3 sync >/dev/null &&
        y3 edit Kim --note "N$i" >/dev/null && y3 sync >/dev/null && y1 sync >/dev/null ||
        fail "D: round $i"
done
r1=$(sync_id "$Y1")
r3=$(sync_id "$Y3")
for db in "$Y1" "$Y3"; do
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM sync_file_sum")
c.execute("DELETE FROM sync_file"); c.commit()' "$db"
done
for who in y1 y3 y1 y3; do
    run $who sync
    expect_rc 0 "D: $who after the upgrade"
    expect_no_out "another journal" "D: $who"
    expect_no_out "cannot tell" "D: $who"
    expect_no_err "older kith" "D: $who"
    expect_no_out "conflicts this sync" "D: $who"
done
[ "$(sync_id "$Y1")" = "$r1" ] && [ "$(sync_id "$Y3")" = "$r3" ] || fail "D: an id changed"
run y1 sync status
expect_no_out "older kith" "D: status"
same_journals "$Y1" "$Y3" "D: Y1 and Y3"
# A copy made now is found: the files it shares a number with have sums.
cp "$Y1" "$Y2"
cp "$S/$r1/state" "$T/state.pre"
r=$r1
mkdir -p "$T/h" && rm -f "$T/h/"*
y1 add "Y1 more" >/dev/null && y1 sync >/dev/null || fail "D: Y1's file"
n=$(ls "$S/$r1" | grep -c '^[0-9]*\.changeset$')
last=$(ls "$S/$r1" | sed -n 's/^\([0-9]*\)\.changeset$/\1/p' | sort -n | tail -1)
mv "$S/$r1/$last.changeset" "$T/h/"
cp "$T/state.pre" "$S/$r1/state"
y2 add "Y2 more" >/dev/null && y2 sync >/dev/null || fail "D: Y2's file"
mv "$T/h/$last.changeset" "$S/$r1/$last.sync-conflict-20261207-060000-AAAAAAA.changeset"
run y1 sync
expect_out "another journal writes as replica $r1" "D: the copy found after the upgrade"
[ "$n" -gt 0 ] || fail "D: no files"

# E: a journal alone that sends files over 1 MB, and files of an older
# kith before one found as written, are nobody else's: no new id.
rm -rf "$S" "$Y1" && mkdir "$S"
big y1 E
y1 sync "$S" >/dev/null || fail "E: first sync"
r=$(sync_id "$Y1")
big y1 E2
for i in 1 2 3; do
    run y1 sync
    expect_rc 0 "E: sync $i"
    expect_no_out "another journal" "E: sync $i"
    expect_no_err "another journal" "E: sync $i"
done
y1 add "After" >/dev/null && y1 sync >/dev/null || fail "E: file 3"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM sync_file_sum WHERE fileseq < 3")
c.commit()' "$Y1"
run y1 sync
expect_no_out "another journal" "E: files of an older kith"
[ "$(sync_id "$Y1")" = "$r" ] || fail "E: the journal changed its id"

finish
