#!/bin/sh
# kith sync DIR --git is remembered: 'kith sync' alone pulls, commits and
# pushes from then on, also where DIR is a folder inside a git work tree
# (not its top, which syncs as git anyway); --no-git turns it off, and
# sync status says which.
. "$KITH_TESTLIB"

A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
commits() { git -C "$T/remote.git" rev-list --count HEAD 2>/dev/null || echo 0; }

# A bare repository as the remote, a clone on each machine; the sync
# folder is kith/ inside each clone (the clones hold other things too).
git init -q --bare "$T/remote.git" || fail "git init"
git clone -q "$T/remote.git" "$T/ga" 2>/dev/null || fail "clone a"
mkdir "$T/ga/kith" && echo notes >"$T/ga/notes.txt"

ka add "Ana Ruiz" >/dev/null || fail "add Ana"
run ka sync "$T/ga/kith" --git
expect_rc 0 "A: first sync with --git"
expect_out "committed to git"
[ "$(commits)" = 1 ] || fail "A: the first commit is not pushed"
git clone -q "$T/remote.git" "$T/gb" 2>/dev/null || fail "clone b"
run kb sync "$T/gb/kith" --git
expect_rc 0 "B: first sync with --git"

# Remembered: a plain 'kith sync' commits and pushes A's change.
ka add "Ben Okafor" >/dev/null || fail "add Ben"
before=$(commits)
run ka sync
expect_rc 0 "A: kith sync alone"
expect_out "committed to git"
[ "$(commits)" -gt "$before" ] || fail "A: kith sync alone pushed nothing"
[ -z "$(git -C "$T/ga" status --porcelain kith)" ] || fail "A: the sync folder is not all committed"
# ... and B's plain sync pulls it.
run kb sync
expect_rc 0 "B: kith sync alone"
run kb show ben
expect_rc 0 "B: Ben came through git"
same_journals "$A" "$B" "after plain syncs"

run ka sync status
expect_out "'kith sync' pulls, commits and pushes (said with --git; --no-git turns it off)"
run ka sync status --json
expect_json '"git":true,"git_said":true'

# --no-git: this sync and the next plain ones commit nothing.
ka add "Cleo Park" >/dev/null || fail "add Cleo"
before=$(commits)
run ka sync --no-git
expect_rc 0 "A: --no-git"
expect_no_out "committed to git"
ka add "Dana Lee" >/dev/null || fail "add Dana"
run ka sync
expect_rc 0 "A: plain after --no-git"
expect_no_out "committed to git"
[ "$(commits)" = "$before" ] || fail "A: pushed after --no-git"
run ka sync status
expect_out "no: said with --no-git; to turn it on: kith --db $A sync --git"
run ka sync status --json
expect_json '"git":false,"git_said":false'

# --git again: on again, and what waited uncommitted goes with it.
run ka sync --git
expect_rc 0 "A: --git again"
expect_out "committed to git"
run kb sync
expect_rc 0 "B: after --git again"
same_journals "$A" "$B" "after --git again"

# The top of a work tree, never said: git (as before); --no-git wins.
C="$T/c.kith"
git clone -q "$T/remote.git" "$T/gc" 2>/dev/null || fail "clone c"
run "$KITH" --db "$C" sync "$T/gc"
expect_rc 0 "C: first sync, the top of a work tree"
run "$KITH" --db "$C" sync status --json
expect_json '"git":true,"git_said":null'
run "$KITH" --db "$C" sync status
expect_out "(the folder is the top of a git work tree; --no-git turns it off)"
"$KITH" --db "$C" add "Eve Stone" >/dev/null || fail "add Eve"
run "$KITH" --db "$C" sync --no-git
expect_no_out "committed to git"
"$KITH" --db "$C" add "Fay Wong" >/dev/null || fail "add Fay"
run "$KITH" --db "$C" sync
expect_rc 0 "C: plain after --no-git"
expect_no_out "committed to git"

# Usage: both, or with status.
run ka sync --git --no-git
expect_rc 2 "both"
expect_err "--git or --no-git, not both"
run ka sync status --no-git
expect_rc 2 "status --no-git"

finish
