#!/bin/sh
# Conflict copies a sync tool made of kith's files in the folder (Dropbox,
# Nextcloud and ownCloud name them "BASE (... conflicted copy ...).EXT",
# Syncthing "BASE.sync-conflict-...EXT"): never applied; kith sync says
# once that the folder holds some, sync status lists each with what to do.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

mkdir "$S"
ka add "Ana Ruiz" --company Acme >/dev/null || fail "add Ana"
ka sync "$S" >/dev/null || fail "sync A"
kb sync "$S" >/dev/null || fail "sync B"
ra=$(sync_id "$A")

# None yet: nothing said.
run kb sync
expect_out "up to date"
expect_no_out "conflicted"
run kb sync status
expect_no_out "conflicted"

# A's second file exists only as Dropbox's conflicted copy: not applied.
ka add "Bo Lind" >/dev/null || fail "add Bo"
ka sync >/dev/null || fail "sync A again"
mv "$S/$ra/2.changeset" "$S/$ra/2 (conflicted copy 2026-12-06).changeset"
cp "$S/$ra/1.changeset" "$S/$ra/1 (Ana's conflicted copy 2026-12-06).changeset"
cp "$S/$ra/state" "$S/$ra/state (Ana's conflicted copy 2026-12-06)"
cp "$S/$ra/state" "$S/$ra/state (conflicted copy ana 2026-12-06 101010)"
cp "$S/$ra/state" "$S/$ra/state (Case Conflict)"
# Not kith's: someone's notes, never mentioned.
: >"$S/$ra/notes (conflicted copy 2026-12-06).txt"
golden_t sync_copies kb sync
run kb show bo
expect_rc 1 "a conflicted copy is never applied"
golden_t sync_copies_status kb sync status
run kb sync status --json
expect_rc 0 "status --json with conflicted copies"
expect_json_valid
expect_json "{\"path\":\"$ra/2 (conflicted copy 2026-12-06).changeset\",\"of\":\"2.changeset\",\"differs\":true,\"file_missing\":true}"
expect_json "{\"path\":\"$ra/state (Case Conflict)\",\"of\":\"state\",\"differs\":false,\"file_missing\":false}"
expect_no_out "notes (conflicted"
run kb sync --json
expect_json_valid
expect_json '"conflicted_copies":[{"path":'

# A copy of a changeset whose bytes differ from the file: two journals
# wrote as one replica. Said, with "keep it".
mv "$S/$ra/2 (conflicted copy 2026-12-06).changeset" "$S/$ra/2.changeset"
rm "$S/$ra/"*"conflicted copy"* "$S/$ra/state (Case Conflict)"
cp "$S/$ra/2.changeset" "$S/$ra/1.sync-conflict-20261206-101010-ABCDEFG.changeset"
golden_t sync_copies_differ kb sync
run kb show bo
expect_rc 0 "Bo, from the file itself"
run kb sync status
expect_out "$ra/1.sync-conflict-20261206-101010-ABCDEFG.changeset  differs from 1.changeset: two journals write as replica"
run kb sync status --json
expect_json "\"of\":\"1.changeset\",\"differs\":true,\"file_missing\":false}"

# Deleted: nothing said any more.
rm "$S/$ra/1.sync-conflict-20261206-101010-ABCDEFG.changeset"
run kb sync
expect_rc 0 "sync after the copies are deleted"
expect_no_out "conflicted"
expect_no_err "conflicted"

finish
