#!/bin/sh
# A journal with contacts of its own joining a folder whose replicas have
# already removed old files (or forgotten a replica): refused before sync
# is turned on or anything written, the journal and the folder as they
# were, and the way in the message gives works, copied and pasted into a
# shell, with a space, parentheses and a ' in the folder's and the
# journal's paths.
. "$KITH_TESTLIB"

S="$T/Dropbox (Personal)/My Sync"
X="$T/x.db"
Y="$T/y.db"
mkdir "$T/Ann's"
D="$T/Ann's/d (old).db"
kx() { "$KITH" --db "$X" "$@"; }
ky() { "$KITH" --db "$Y" "$@"; }
kd() { "$KITH" --db "$D" "$@"; }
folder() { (cd "$S" && find . -type f | sort | xargs cksum); }
mkdir -p "$S"

# X sends 25 files; Y applies them; X removes them (16 or more ready).
kx add "Xan Zero" >/dev/null && kx sync "$S" >/dev/null && ky sync "$S" >/dev/null ||
    fail "X and Y start"
i=1
while [ $i -le 24 ]; do
    kx add "Xan $i" >/dev/null && kx sync "$S" >/dev/null || fail "X file $i"
    i=$((i + 1))
done
ky sync "$S" >/dev/null || fail "Y applies X's files"
run kx sync "$S"
expect_out "removed 25 old files"

kd add "Dee Own" --company Initech >/dev/null || fail "add Dee"
kd log dee --kind call --gave >/dev/null || fail "log Dee"
jbefore=$(cksum <"$D")
fbefore=$(folder)
run kd sync "$S"
expect_rc 1 "a journal with contacts joins a pruned folder"
expect_err "removed its files 1 to 25"
expect_err "nothing was done, your contacts are safe in this journal"
expect_err "kith --db NEW.db sync '$S' (a new journal"
expect_err "kith --db '$T/Ann'\\''s/d (old).db' export vcard -o mine.vcf and"
expect_no_err "cannot catch up"
[ "$(cksum <"$D")" = "$jbefore" ] || fail "the journal changed"
[ "$(folder)" = "$fbefore" ] || fail "the folder changed: $(ls "$S")"
run kd sync status
expect_out "sync is off"
run kd sync "$S" --json
expect_rc 1 "the same, --json"
expect_json_valid
expect_py "--json says why" o 'assert o["replica"] is None and "nothing was done" in o["error"], o'

# The way in, as the message gives it: each command pasted as it is.
run kd sync "$S"
start=$(sed -n 's/.*with them: \(kith --db NEW\.db sync .*\) (a new journal, started.*/\1/p' "$T/err")
export=$(sed -n 's/.*snapshot), then \(kith --db .* export vcard -o mine\.vcf\) and kith .*/\1/p' "$T/err")
import=$(sed -n 's/.* and \(kith --db NEW\.db import vcard mine\.vcf\) (your .*/\1/p' "$T/err")
[ -n "$start" ] && [ -n "$export" ] && [ -n "$import" ] ||
    fail "no command to paste in: $(cat "$T/err")"
kith() { "$KITH" "$@"; }
N="$T/NEW.db"
(cd "$T" && eval "$start" >/dev/null) || fail "pasted: $start"
(cd "$T" && eval "$export" >/dev/null) || fail "pasted: $export"
(cd "$T" && eval "$import" >/dev/null) || fail "pasted: $import"
run "$KITH" --db "$N" show dee
expect_out "Initech"
run "$KITH" --db "$N" show "xan 24"
expect_rc 0 "NEW has X's contacts"
run "$KITH" --db "$N" sync
expect_rc 0 "NEW syncs"
expect_out "sent file"

# An empty journal still starts from the snapshot, and X's folder is not
# held back by D (never a replica).
run ky sync status --json
expect_py "D is no replica" o 'assert len(o["replicas"]) == 2, o'

# An empty journal, the folder's snapshots gone (removed by hand, or by the
# tool that syncs it): no "cannot catch up" after turning sync on, but
# refused before anything is written, with the way in: a sync on a machine
# that has applied everything leaves a snapshot, then the join, pasted.
ky sync >/dev/null && kx sync >/dev/null || fail "Y and X settle"
rm -f "$S"/*/snapshot.kith
E="$T/Ann's/e (new).db"
fbefore=$(folder)
run "$KITH" --db "$E" sync "$S"
expect_rc 1 "an empty journal, no snapshot in a pruned folder"
expect_err "removed its files 1 to 25"
expect_err "no snapshot to start from"
expect_err "nothing was done: sync on a machine that syncs through it"
expect_err "then here again: kith --db '$T/Ann'\\''s/e (new).db' sync '$S'"
expect_no_err "cannot catch up"
again=$(sed -n 's/.*then here again: \(kith --db .*\)$/\1/p' "$T/err")
[ -n "$again" ] || fail "no command to paste: $(cat "$T/err")"
[ ! -e "$E" ] || fail "a journal was left behind"
[ "$(folder)" = "$fbefore" ] || fail "the folder changed: $(ls "$S")"
run "$KITH" --db "$E" sync "$S" --json
expect_rc 1 "the same, --json"
expect_py "--json says why" o 'assert o["replica"] is None and "no snapshot to start from" in o["error"], o'
run ky sync
expect_rc 0 "Y leaves a snapshot"
expect_out "the folder had no snapshot left"
expect_no_out "up to date" "Y did something"
ls "$S"/*/snapshot.kith >/dev/null 2>&1 || fail "no snapshot written: $(ls -R "$S")"
run ky sync
expect_no_out "the folder had no snapshot left" "said once"
(cd "$T" && eval "$again" >/dev/null) || fail "pasted: $again"
run "$KITH" --db "$E" show "xan 24"
expect_rc 0 "E started from Y's snapshot"

finish
