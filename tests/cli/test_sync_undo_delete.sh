#!/bin/sh
# An undo of a delete restores what was. Made before the delete was sent,
# neither goes to the folder: an edit another machine made meanwhile
# wins, nothing is listed, and the contact is not archived anywhere. Made
# after the delete was sent, the undo is a change of its own: the contact
# comes back on every machine, as of the undo.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

start() {
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Kim Lee" --company Initech --title Eng --email kim@initech.example --tag vip \
        >/dev/null && ka log Kim --kind call --gave >/dev/null && ka sync "$S" >/dev/null &&
        kb sync "$S" >/dev/null || fail "first syncs"
}

settle() {
    ka sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null || fail "$1: syncs"
}

# Undone before a sync, B's edit made meanwhile: B's title wins, the
# contact is back with what belonged to it, not archived, no conflict.
start
kb edit Kim --title Boss >/dev/null || fail "B: edit"
ka rm Kim --yes >/dev/null && ka undo >/dev/null || fail "A: rm, undo"
run ka sync
expect_rc 0 "A: sync after the undo"
expect_no_out "sent file" "A: nothing to send"
run kb sync
expect_no_out "conflicts this sync" "B: nothing lost"
expect_no_out "kept 1 contact" "B: no keep"
run ka sync
expect_no_out "conflicts this sync" "A: nothing lost"
for x in a b; do
    run "$KITH" --db "$T/$x.kith" show Kim
    expect_rc 0 "$x: back"
    expect_out "Boss" "$x: B's edit"
    expect_no_out "(archived)" "$x: not archived"
    expect_out "kim@initech.example" "$x: the email"
    expect_out "vip" "$x: the tag"
    run "$KITH" --db "$T/$x.kith" sync status --json
    expect_json '"conflicts":[]' "$x: none listed"
done
same_journals "$A" "$B" "undone before a sync"

# The same, B syncing its edit first; A edits something else in between:
# that edit is sent, the delete is not.
start
kb edit Kim --title Boss >/dev/null && kb sync >/dev/null || fail "B first: edit"
ka rm Kim --yes >/dev/null && ka add "Ana Ruiz" >/dev/null && ka undo >/dev/null &&
    ka undo >/dev/null || fail "B first: rm, add, undo"
ka add "Bo Chen" >/dev/null || fail "B first: add"
settle "B first"
run kb show Kim
expect_out "Boss" "B first: B's edit"
expect_no_out "(archived)" "B first: not archived"
run kb show Bo
expect_rc 0 "B first: A's later add"
run kb sync status --json
expect_json '"conflicts":[]' "B first: none listed"
same_journals "$A" "$B" "B first"

# Undo, redo, undo, all before a sync: still nothing sent of it.
start
ka rm Kim --yes >/dev/null && ka undo >/dev/null && ka redo >/dev/null && ka undo >/dev/null ||
    fail "redo: rm, undo, redo, undo"
run ka sync
expect_no_out "sent file" "redo: nothing to send"
settle "redo"
run kb show Kim
expect_rc 0 "redo: B has it"
expect_no_out "(archived)" "redo: not archived"
same_journals "$A" "$B" "redo"

# A redo before a sync: the delete is sent and holds.
start
ka rm Kim --yes >/dev/null && ka undo >/dev/null && ka redo >/dev/null || fail "rm again"
settle "rm again"
run kb show Kim
expect_rc 1 "rm again: deleted on B"

# Undone after the delete was sent: a change of its own. The contact
# comes back on B, whether B had the delete already or not.
start
ka rm Kim --yes >/dev/null && ka sync >/dev/null && kb sync >/dev/null || fail "after: rm"
run kb show Kim
expect_rc 1 "after: deleted on B"
ka undo >/dev/null || fail "after: undo"
settle "after"
run kb show Kim
expect_rc 0 "after: back on B"
expect_out "Eng" "after: as of the undo"
expect_no_out "(archived)" "after: not archived"
same_journals "$A" "$B" "undone after a sync"
# B edited meanwhile, not having seen the delete: the undo is later, and
# B kept the contact, archived, against the delete (kith(1) BUGS).
start
kb edit Kim --title Boss >/dev/null || fail "after, edit: B"
ka rm Kim --yes >/dev/null && ka sync >/dev/null && ka undo >/dev/null || fail "after, edit: A"
settle "after, edit"
run kb show Kim
expect_rc 0 "after, edit: back on B"
expect_out "Eng" "after, edit: as of the undo"
same_journals "$A" "$B" "undone after a sync, edited meanwhile"
finish
