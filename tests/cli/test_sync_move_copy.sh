#!/bin/sh
# --move to a copy of the shared folder while the old one is still there
# (review r26 #5): the move says that every other machine must move too;
# a machine that synced through the old folder since the copy is found
# before a move, not left to two folders that each miss the other's
# changes; the machine left behind is told how to catch up.
. "$KITH_TESTLIB"

S="$T/S"
S3="$T/S3"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"
ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "syncs"
ra=$(sync_id "$A")
rb=$(sync_id "$B")

# A copy, with the old folder still there: the move says what comes next.
mkdir "$S3" && cp -r "$S"/* "$S3"/ || fail "copy"
run ka sync "$S3" --move
expect_rc 0 "A moves to the copy"
expect_out "the old folder is still there: run 'kith sync" "A: every other machine must move"
ka edit Ana --company viaS3 >/dev/null && ka sync >/dev/null || fail "A syncs through S3"

# B, still on the old folder, syncs there; its move to the copy, which
# lacks that file, says how to catch up; doing so, the two converge.
kb edit Ana --location viaS >/dev/null && kb sync >/dev/null || fail "B syncs through S"
run kb sync "$S3" --move
expect_rc 1 "B's move to a copy that lacks its last file"
expect_err "copy $S/$rb into it, then run this again" "B: what to do"
rm -rf "${S3:?}/$rb" && cp -r "$S/$rb" "$S3/" || fail "copy B's folder"
run kb sync "$S3" --move
expect_rc 0 "B moves once its folder is there"
ka sync >/dev/null && kb sync >/dev/null || fail "settle"
for x in a b; do
    run "$KITH" --db "$T/$x.kith" show Ana
    expect_out "viaS3" "$x: A's edit"
    expect_out "viaS" "$x: B's edit"
done
same_journals "$A" "$B" "after both moved"

# Another machine synced through the old folder after the copy was made:
# a move to the copy is refused until its files are copied over.
rm -rf "$S" "$S3" "$A" "$B" && mkdir "$S"
ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "syncs 2"
rb=$(sync_id "$B")
mkdir "$S3" && cp -r "$S"/* "$S3"/ || fail "copy 2"
kb edit Ana --title Late >/dev/null && kb sync >/dev/null || fail "B after the copy"
run ka sync "$S3" --move
expect_rc 1 "A's move while the old folder has newer files"
expect_err "with files $S3 lacks (replica $(printf %.8s "$rb")'s file" "A: which"
expect_err "copy them over first" "A: what to do"
finish
