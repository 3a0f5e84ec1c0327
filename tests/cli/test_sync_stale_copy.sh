#!/bin/sh
# A journal's rows as sync is turned on go out as of when each was last
# changed, not as of the sync: a copy of a journal made before sync was
# on, or a backup of one restored, loses to the edits made after it was
# taken, whichever journal turns sync on first.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

# expect_cara JOURNAL WHAT: Cara as the later edit left her.
expect_cara() {
    run "$KITH" --db "$1" show Cara
    expect_out "Initech" "$2"
    expect_out "VP" "$2"
    expect_no_out "Globex" "$2"
}

# copy FIRST: B is a copy of A made before sync; B edits Cara; FIRST (a or
# b) turns sync on first.
copy() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Cara Lane" --company Globex >/dev/null || fail "add Cara"
    ka add "Dan Oak" >/dev/null || fail "add Dan"
    cp "$A" "$B"
    kb edit Cara --company Initech --title VP >/dev/null || fail "B: edit Cara"
    if [ "$1" = b ]; then
        kb sync "$S" >/dev/null && ka sync "$S" >/dev/null && kb sync >/dev/null ||
            fail "copy $1: syncs"
    else
        ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && ka sync >/dev/null ||
            fail "copy $1: syncs"
    fi
    expect_cara "$A" "copy $1: A"
    expect_cara "$B" "copy $1: B"
    same_journals "$A" "$B" "copy $1"
}
copy b
copy a

# The stale copy's own later edit, of another contact, is kept.
rm -rf "$S" "$A" "$B" && mkdir "$S"
ka add "Cara Lane" --company Globex >/dev/null || fail "add Cara"
ka add "Dan Oak" --company Umbrella >/dev/null || fail "add Dan"
cp "$A" "$B"
kb edit Cara --company Initech --title VP >/dev/null || fail "B: edit Cara"
ka edit Dan --company Hooli >/dev/null || fail "A: edit Dan"
kb sync "$S" >/dev/null && ka sync "$S" >/dev/null && kb sync >/dev/null || fail "both: syncs"
expect_cara "$A" "both: A"
run kb show Dan
expect_out "Hooli" "both: A's edit reached B"
same_journals "$A" "$B" "both"

# fields FIRST: A and B, copies of one journal made before sync, change
# different fields of one contact and B deletes another (with a tag, so
# rows go with it); FIRST turns sync on first. Each field keeps its later
# change (the undo history says which fields each change touched), and the
# contact deleted stays deleted (the history says it was).
fields() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Cara Lane" --company Globex --title Engineer >/dev/null || fail "fields: add Cara"
    ka add "Dan Oak" --tag mentor >/dev/null || fail "fields: add Dan"
    ka add "Eve Ash" >/dev/null || fail "fields: add Eve"
    cp "$A" "$B"
    ka edit Cara --company Initech >/dev/null || fail "fields: A edits Cara"
    kb edit Cara --title VP >/dev/null || fail "fields: B edits Cara"
    kb rm "Dan Oak" --yes >/dev/null || fail "fields: B deletes Dan"
    ka edit Eve --company Hooli >/dev/null || fail "fields: A edits Eve"
    if [ "$1" = b ]; then
        kb sync "$S" >/dev/null && ka sync "$S" >/dev/null && kb sync >/dev/null ||
            fail "fields $1: syncs"
    else
        ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && ka sync >/dev/null ||
            fail "fields $1: syncs"
    fi
    for j in "$A" "$B"; do
        run "$KITH" --db "$j" show Cara
        expect_out "Initech" "fields $1: $j, A's company"
        expect_out "VP" "fields $1: $j, B's title"
        run "$KITH" --db "$j" list
        expect_no_out "Dan Oak" "fields $1: $j, B's delete"
        expect_out "Hooli" "fields $1: $j, A's edit of Eve"
    done
    same_journals "$A" "$B" "fields $1"
}
fields a
fields b

# A backup taken before sync was on, restored on a journal that syncs, then
# synced again: B's later edit stays, on both.
rm -rf "$S" "$A" "$B" && mkdir "$S"
ka add "Cara Lane" --company Globex >/dev/null || fail "restore: add Cara"
ka backup "$T/before.kith" >/dev/null || fail "restore: backup"
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "restore: first syncs"
kb edit Cara --company Initech --title VP >/dev/null || fail "restore: B edits Cara"
kb sync >/dev/null || fail "restore: B sends"
ka restore "$T/before.kith" >/dev/null || fail "restore: restore"
run ka sync "$S"
expect_rc 0 "restore: the restored journal's sync"
expect_no_out "kept \"Globex\"" "restore: A"
kb sync >/dev/null && ka sync >/dev/null || fail "restore: syncs after"
expect_cara "$A" "restore: A"
expect_cara "$B" "restore: B"
same_journals "$A" "$B" "restore"

finish
