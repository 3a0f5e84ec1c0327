#!/bin/sh
# kith sync forget REPLICA: a machine retired no longer holds back the
# removal of old files; refused, with nothing removed, for what would lose
# changes or what is not kith's; sync status says which replica is
# forgotten, how much of this one each has applied, and which replica long
# unseen holds old files back.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
C="$T/c.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kc() { "$KITH" --db "$C" "$@"; }
tidy() { sed -e "s|$T|<T>|g" -e 's/[0-9]\{4\}-[0-9-]*T[0-9:.]*Z/<time>/g'; }
golden_t() {
    name=$1
    shift
    run "$@"
    OUT=$(printf '%s' "$OUT" | tidy)
    ERR=$(printf '%s' "$ERR" | tidy)
    actual=$( { printf '%s\n' "$OUT"; printf -- '--- stderr\n%s\n' "$ERR"; printf -- '--- exit %s\n' "$RC"; } | mask_ids)
    file="$GOLDEN_DIR/$name.txt"
    CHECKS=$((CHECKS + 1))
    if [ "${KITH_UPDATE_GOLDEN:-0}" = 1 ]; then
        printf '%s\n' "$actual" >"$file"
    elif ! printf '%s\n' "$actual" | diff -u "$file" - >"$T/diff"; then
        fail "golden $name differs:
$(cat "$T/diff")"
    fi
}
id_of() { "$KITH" --db "$1" sync status --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["replica"])'; }
tree() { (cd "$S" && find . | sort); }

# Usage: no replica, two, --git; no journal; sync off.
golden_t sync_forget_no_journal ka sync forget 0123
ka add "Ana Ruiz" --company Acme >/dev/null || fail "add Ana"
golden sync_forget_no_id ka sync forget
golden sync_forget_two_ids ka sync forget 0123 4567
golden sync_forget_git ka sync forget 0123 --git
golden sync_forget_off ka sync forget 0123

mkdir "$S"
ka sync "$S" >/dev/null || fail "sync A"
kb sync "$S" >/dev/null || fail "sync B"
kc sync "$S" >/dev/null || fail "sync C"
ra=$(id_of "$A")
rb=$(id_of "$B")
rc=$(id_of "$C")
[ -n "$ra" ] && [ -n "$rb" ] && [ -n "$rc" ] || fail "three replica ids: $ra $rb $rc"

# Ids that name no replica, or this journal itself: said, nothing removed.
before=$(tree)
golden sync_forget_short ka sync forget "$(printf %.3s "$rb")"
golden sync_forget_not_hex ka sync forget Zb12
run ka sync forget ffffffff0000
expect_rc 2 "no such replica"
expect_err "no replica ffffffff0000 in"
run ka sync forget "$ra"
expect_rc 2 "this journal"
expect_err "$ra is this journal"
# Two replicas starting alike (a folder made to look so) are ambiguous.
fake="${rb%????????????}000000000000"
[ "$fake" = "$rb" ] && fake="${rb%????????????}111111111111"
mkdir "$S/$fake"
run ka sync forget "$(printf %.4s "$rb")"
expect_rc 2 "ambiguous start"
expect_err "2 replicas in"
expect_err "give more of the id"
rmdir "$S/$fake"
[ "$(tree)" = "$before" ] || fail "a refused forget changed the folder"

# B has a change A has not applied: refused, nothing removed.
kb add "Bo Lind" >/dev/null || fail "add Bo"
kb sync "$S" >/dev/null || fail "sync B"
before=$(tree)
sum=$(journal_sum "$A")
run ka sync forget "$rb"
expect_rc 1 "B not applied here"
expect_err "replica $rb has changes this journal has not applied (its file 1)"
expect_err "nothing was removed"
[ "$(tree)" = "$before" ] || fail "a refused forget removed files"
[ "$(journal_sum "$A")" = "$sum" ] || fail "a refused forget changed the journal"

# A file in B's folder that kith did not write: refused, nothing removed.
ka sync "$S" >/dev/null || fail "sync A to apply B"
printf 'mine\n' >"$S/$rb/notes.txt"
before=$(tree)
run ka sync forget "$rb"
expect_rc 1 "a foreign file"
expect_err "holds notes.txt, which kith did not write; nothing was removed"
[ "$(tree)" = "$before" ] || fail "forget removed files beside a foreign one"
rm "$S/$rb/notes.txt"

# A sync tool's temporary file and a conflict copy of the state go with it.
: >"$S/$rb/.syncthing.state.tmp"
: >"$S/$rb/state.sync-conflict-20261206-1"

# B is away: A's old files wait for it (C keeps up). Status says so, and,
# once B has been unseen for long, how to let them go.
for i in $(seq 1 17); do
    ka add "Person $i" >/dev/null || fail "add $i"
    ka sync "$S" >/dev/null || fail "sync A $i"
    kc sync "$S" >/dev/null || fail "sync C $i"
done
n_before=$(ls "$S/$ra" | grep -c changeset)
[ "$n_before" -ge 17 ] || fail "A's files went while B had not applied them: $n_before"
run ka sync status
expect_no_out "old files wait" "status, B seen recently"
run env KITH_TODAY=2099-01-01 "$KITH" --db "$A" sync status
expect_rc 0 "status, B unseen for long"
expect_out "$rb  last seen "
expect_out "applied up to its file 1; has this one's up to file 1
    old files wait for it; if that machine is gone: kith sync forget $(printf %.8s "$rb")"
expect_out "$rc  last seen "
expect_out "applied up to its file 0; has this one's up to file 18
"
expect_no_out "kith sync forget $(printf %.8s "$rc")"
run ka sync status --json
expect_json_valid
expect_json "{\"replica\":\"$rb\","
expect_json '"in_folder":true,"has_file":1}'

# Forgotten: B's folder goes; A's journal is unchanged; A's next sync
# removes the old files C has applied.
sum=$(journal_sum "$A")
golden_t sync_forget_b ka sync forget "$(printf %.6s "$rb" | tr a-f A-F)"
[ -e "$S/$rb" ] && fail "B's folder is still there: $(ls -a "$S/$rb")"
[ -d "$S/$ra" ] && [ -d "$S/$rc" ] || fail "other folders removed"
[ "$(journal_sum "$A")" = "$sum" ] || fail "forget changed the journal"
run ka sync status --json
expect_json "{\"replica\":\"$rb\","
expect_json '"in_folder":false,"has_file":null}'
run ka sync status
expect_out "forgotten (not in the folder)"
run ka sync "$S"
expect_rc 0 "A syncs after forgetting B"
expect_out "old files every replica has applied"
n_after=$(ls "$S/$ra" | grep -c changeset)
[ "$n_after" -lt "$n_before" ] || fail "A's old files stay with B forgotten: $n_before then $n_after"
[ -f "$S/$ra/snapshot.kith" ] || fail "no snapshot left for journals to come"

# B comes back: it syncs again and its folder returns; A applies its new
# change (A kept what it had applied of B). B cannot catch up with A's
# removed files and is told how to start again.
kb add "Cy Back" >/dev/null || fail "add on B"
run kb sync "$S"
expect_rc 1 "B cannot catch up"
expect_err "no longer in the folder"
expect_err "start it again from a snapshot"
[ -d "$S/$rb" ] || fail "B's folder is not back"
run ka sync "$S"
expect_rc 0 "A applies the returning B"
run ka show "Cy Back"
expect_rc 0 "B's new change reached A"
run ka sync status
expect_no_out "forgotten"

# --json.
kc sync "$S" >/dev/null || fail "sync C"
run ka sync forget "$rc" --json
expect_rc 0 "forget C --json"
expect_json_valid
expect_json "{\"forgot\":\"$rc\",\"last_seen\":\""
expect_json '"removed_files":'

# Through git: forgetting removes the folder from the work tree, and the
# next 'kith sync --git' (its pull with that removal not yet committed)
# commits and pushes it; the other clone loses the folder too.
git init -q --bare "$T/remote.git" || fail "git init"
git clone -q "$T/remote.git" "$T/ga" 2>/dev/null || fail "clone a"
git clone -q "$T/remote.git" "$T/gb" 2>/dev/null || fail "clone b"
GA="$T/ga.db"
GB="$T/gb.db"
"$KITH" --db "$GA" add "Chen Wei" >/dev/null || fail "add Chen"
"$KITH" --db "$GA" sync "$T/ga" --git >/dev/null || fail "git sync A"
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "git sync B"
"$KITH" --db "$GA" sync "$T/ga" --git >/dev/null || fail "git sync A again"
gb_id=$(id_of "$GB")
run "$KITH" --db "$GA" sync forget "$gb_id"
expect_rc 0 "forget B in a git work tree"
run "$KITH" --db "$GA" sync --git
expect_rc 0 "git sync after forgetting"
expect_out "committed to git"
expect_no_out "up to date"
[ -z "$(git -C "$T/ga" status --porcelain)" ] || fail "A's work tree is not clean"
git -C "$T/gb" pull -q 2>/dev/null || fail "pull on B's clone"
[ -e "$T/gb/$gb_id" ] && fail "B's folder is still in the repository"

# A run that fails (its remote gone) does not say "up to date".
git -C "$T/ga" remote set-url origin "$T/gone.git"
run "$KITH" --db "$GA" sync --git
expect_rc 1 "git sync with the remote gone"
expect_err "git pull failed"
expect_no_out "up to date"

finish
