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
tree() { (cd "$S" && find . | sort); }

# Usage: no replica, two, --git with --no-git; no journal; sync off.
golden_t sync_forget_no_journal ka sync forget 0123
ka add "Ana Ruiz" --company Acme >/dev/null || fail "add Ana"
golden_t sync_forget_no_id ka sync forget
golden sync_forget_two_ids ka sync forget 0123 4567
golden sync_forget_git ka sync forget 0123 --git --no-git
golden sync_forget_off ka sync forget 0123

mkdir "$S"
ka sync "$S" >/dev/null || fail "sync A"
kb sync "$S" >/dev/null || fail "sync B"
kc sync "$S" >/dev/null || fail "sync C"
ra=$(sync_id "$A")
rb=$(sync_id "$B")
rc=$(sync_id "$C")
[ -n "$ra" ] && [ -n "$rb" ] && [ -n "$rc" ] || fail "three replica ids: $ra $rb $rc"

# Ids that name no replica, or this journal itself: said, nothing removed.
before=$(tree)
golden sync_forget_short ka sync forget "$(printf %.3s "$rb")"
golden_t sync_forget_not_hex ka sync forget Zb12
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

# C has not applied B's change yet: B's folder is the only place it is.
ka sync "$S" >/dev/null || fail "sync A to apply B"
before=$(tree)
run ka sync forget "$rb"
expect_rc 1 "C lags behind B"
expect_err "replica $rc has not applied every change of $rb yet"
expect_err "nothing was removed"
[ "$(tree)" = "$before" ] || fail "a refused forget removed files"
kc sync "$S" >/dev/null || fail "sync C to apply B"

# A replica folder that is a link to one elsewhere: refused, and what it
# points to stays.
mkdir -p "$T/elsewhere/0123456789abcdef"
printf 'kith-sync-state 1\n' >"$T/elsewhere/0123456789abcdef/state"
ln -s "$T/elsewhere/0123456789abcdef" "$S/0123456789abcdef"
run ka sync forget 0123456789abcdef
expect_rc 1 "a linked folder"
expect_err "is not a folder of its own (a link?); nothing was removed"
[ -f "$T/elsewhere/0123456789abcdef/state" ] || fail "forget removed a file through a link"
rm "$S/0123456789abcdef"

# A replica whose first sync never finished (a folder, no state) holds old
# files back: status names it with the way out.
mkdir "$S/fedcba9876543210"
run ka sync status
expect_out "fedcba9876543210  last seen never, applied up to its file 0; its first sync never finished"
expect_out "if that machine is gone: kith --db $A sync forget fedcba98"
# Nor can B be forgotten while it is there: that replica may hold no
# snapshot of B's changes when it finishes.
run ka sync forget "$rb"
expect_rc 1 "an unfinished replica could lack B's changes"
expect_err "fedcba9876543210"
expect_err "not applied every change of $rb"
run ka sync forget fedcba98
expect_rc 0 "forget a replica that never finished its first sync"
[ -e "$S/fedcba9876543210" ] && fail "the unfinished replica's folder is still there"

# The folder not there (a stick not plugged in): status says so rather
# than calling every replica forgotten; forget says so too, and exits as a
# sync refused so does.
mv "$S" "$T/unplugged"
run ka sync status
expect_rc 0 "status, folder not there"
expect_out "(not there: a USB stick not plugged in"
expect_no_out "forgotten"
run ka sync forget "$rb"
expect_rc 1 "forget, folder not there"
expect_err "the folder this journal syncs through, is not there"
run ka sync
expect_rc 1 "sync, folder not there"
run ka sync "$S/"
expect_err "is not there; this journal syncs through"
[ -e "$S" ] && fail "a sync made the missing folder"
mv "$T/unplugged" "$S"

# A file in B's folder that kith did not write (one named like kith's
# too): refused, nothing removed.
printf 'mine\n' >"$S/$rb/notes.txt"
before=$(tree)
run ka sync forget "$rb"
expect_rc 1 "a foreign file"
expect_err "holds notes.txt, which kith did not write; nothing was removed"
[ "$(tree)" = "$before" ] || fail "forget removed files beside a foreign one"
rm "$S/$rb/notes.txt"
: >"$S/$rb/5.changeset-notes"
run ka sync forget "$rb"
expect_rc 1 "a file named like kith's"
expect_err "holds 5.changeset-notes, which kith did not write"
rm "$S/$rb/5.changeset-notes"

for name in notes.sync-conflict-20261206-101010-ABCDEFG.txt state.sync-conflict-20261206-101010 \
    snapshot.kith.tmp-abc123-wal 01.changeset "notes (conflicted copy 2026-12-06).txt" \
    "state (conflicted)" "5 (1).changeset" "state (Ana's copy 2026-12-06)" \
    "5 (conflicted copy 2026-12-06).changeset.txt" "notes_conflict-20261206-101010.txt" \
    "state_conflict-2026-101010" "state (Case Conflicts)"; do
    : >"$S/$rb/$name"
    run ka sync forget "$rb"
    expect_rc 1 "a near-miss name: $name"
    expect_err "holds $name, which kith did not write"
    rm "$S/$rb/$name"
done

# A sync tool's temporary files and conflict copies go with it:
# Syncthing's, Dropbox's, Nextcloud's and ownCloud's.
: >"$S/$rb/.syncthing.state.tmp"
: >"$S/$rb/state.sync-conflict-20261206-101010-ABCDEFG"
: >"$S/$rb/1.sync-conflict-20261206-101010-ABCDEFG.changeset"
: >"$S/$rb/state.tmp-a1B2c3"
: >"$S/$rb/1 (conflicted copy 2026-12-06).changeset"
: >"$S/$rb/state (Ana's conflicted copy 2026-12-06)"
: >"$S/$rb/snapshot (Ana’s conflicted copy 2026-12-06).kith"
: >"$S/$rb/state (Case Conflict)"
: >"$S/$rb/state (Case Conflict 1)"
: >"$S/$rb/1 (conflicted copy ana 2026-12-06 101010).changeset"
: >"$S/$rb/state_conflict-20261206-101010"

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
# 30 days after B was last seen, no word; 31, the way out.
seen=$(ka sync status --json | python3 -c 'import json, sys
print([r for r in json.load(sys.stdin)["replicas"] if r["replica"] == sys.argv[1]][0]["last_seen"][:10])' "$rb")
day() { python3 -c 'import datetime, sys
print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=int(sys.argv[2])))' "$seen" "$1"; }
run env KITH_TODAY="$(day 30)" "$KITH" --db "$A" sync status
expect_no_out "old files wait" "status, 30 days after B was seen"
run env KITH_TODAY="$(day 31)" "$KITH" --db "$A" sync status
expect_out "old files wait for it; if that machine is gone: kith --db $A sync forget $(printf %.8s "$rb")"
run env KITH_TODAY=2099-01-01 "$KITH" --db "$A" sync status
expect_rc 0 "status, B unseen for long"
expect_out "$rb  last seen "
expect_out "applied up to its file 1; has this one's up to file 1
    old files wait for it; if that machine is gone: kith --db $A sync forget $(printf %.8s "$rb")"
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
# A journal that joins now still gets what B made: from A's snapshot.
run "$KITH" --db "$T/e.db" sync "$S"
expect_rc 0 "a new journal after forgetting B"
expect_out "started from a snapshot"
run "$KITH" --db "$T/e.db" show "Bo Lind"
expect_rc 0 "B's contact reaches a journal that joins after B is forgotten"
re=$(sync_id "$T/e.db")
rm -f "$T"/e.db*
rm -rf "${S:?}/$re"
# A journal holding contacts of its own cannot start from a snapshot: it
# is told that B's changes are beyond it (A's state says B was forgotten),
# before it writes anything.
"$KITH" --db "$T/f.db" add "Fay Own" >/dev/null || fail "add on F"
nrep=$(ls "$S" | wc -l)
run "$KITH" --db "$T/f.db" sync "$S"
expect_rc 1 "a journal with data joining after B was forgotten"
expect_err "replica $(printf %.8s "$ra") forgot replica $(printf %.8s "$rb")"
expect_err "nothing was done"
[ "$(ls "$S" | wc -l)" = "$nrep" ] || fail "F left a folder"
rm -f "$T"/f.db*
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
# Told it was forgotten, not that a tool lost its files.
expect_out "replica $(printf %.8s "$ra") had forgotten this one ('sync forget' there removed"
expect_no_out "removed by hand"
run kb sync --json
expect_json '"forgotten_by":null' "B: said once"
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

# Through git: forgetting removes the folder from the work tree and
# commits that; the next sync pushes it; the other clone loses the folder.
git init -q --bare "$T/remote.git" || fail "git init"
git clone -q "$T/remote.git" "$T/ga" 2>/dev/null || fail "clone a"
git clone -q "$T/remote.git" "$T/gb" 2>/dev/null || fail "clone b"
GA="$T/ga.db"
GB="$T/gb.db"
"$KITH" --db "$GA" add "Chen Wei" >/dev/null || fail "add Chen"
"$KITH" --db "$GA" sync "$T/ga" --git >/dev/null || fail "git sync A"
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "git sync B"
"$KITH" --db "$GA" sync "$T/ga" --git >/dev/null || fail "git sync A again"
gb_id=$(sync_id "$GB")
run "$KITH" --db "$GA" sync forget "$gb_id"
expect_rc 0 "forget B in a git work tree"
expect_out "committed the removal to git"
[ -z "$(git -C "$T/ga" status --porcelain)" ] || fail "A's work tree is not clean"
# 'kith sync' alone, in the top of a git work tree, pulls and pushes.
run "$KITH" --db "$GA" sync
expect_rc 0 "git sync after forgetting"
git -C "$T/gb" pull -q 2>/dev/null || fail "pull on B's clone"
[ -e "$T/gb/$gb_id" ] && fail "B's folder is still in the repository"
# Naming the journal's own folder without --git syncs it as git too.
"$KITH" --db "$GA" add "Eli Ng" >/dev/null || fail "add Eli"
run "$KITH" --db "$GA" sync "$T/ga"
expect_rc 0 "sync A naming its folder"
expect_out "committed to git"
# Files left uncommitted (here a commit undone by hand): the next git sync
# commits them before it pulls, and the pull takes the duplicate away.
git -C "$T/ga" reset -q --soft HEAD~1
[ -n "$(git -C "$T/ga" status --porcelain)" ] || fail "the case is not set up: nothing uncommitted"
"$KITH" --db "$GA" add "Dana Li" >/dev/null || fail "add Dana"
run "$KITH" --db "$GA" sync
expect_rc 0 "git sync with no DIR"
expect_out "committed to git"
[ -z "$(git -C "$T/ga" status --porcelain)" ] || fail "A's work tree is not clean after a sync"
[ "$(git -C "$T/ga" rev-parse HEAD)" = "$(git -C "$T/remote.git" rev-parse HEAD)" ] ||
    fail "'kith sync' in a git work tree did not push"

# B was not gone after all: it syncs again (its folder returns) while A
# forgets it once more without having pulled. A's pull meets B's new files
# where its own commit removed the folder: the pull is undone, said so, and
# the work tree is not left in a rebase.
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "B syncs again"
"$KITH" --db "$GA" sync >/dev/null || fail "A applies the returning B"
run "$KITH" --db "$GA" sync forget "$gb_id"
expect_rc 0 "forget B again"
"$KITH" --db "$GB" add "Bo Back" >/dev/null || fail "add on B"
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "B pushes"
run "$KITH" --db "$GA" sync
expect_rc 1 "A's pull meets B's return"
expect_err "the pull was undone"
[ -d "$T/ga/.git/rebase-merge" ] || [ -d "$T/ga/.git/rebase-apply" ] &&
    fail "A's work tree is left in a rebase"
git -C "$T/ga" reset -q --hard origin/HEAD 2>/dev/null || git -C "$T/ga" reset -q --hard '@{u}'

# --git and --no-git, as a sync takes them and remembered as a sync
# remembers them. A folder inside a git work tree but not its top is not
# git unless said: forget --git commits the removal there; --no-git
# removes without committing, and 'kith sync' alone no longer uses git.
git init -q "$T/repo" && mkdir "$T/repo/kith" || fail "a work tree"
HA="$T/ha.db"
kh() { "$KITH" --db "$HA" "$@"; }
kh add "Hal Po" >/dev/null && kh sync "$T/repo/kith" >/dev/null || fail "sync HA"
"$KITH" --db "$T/hb.db" sync "$T/repo/kith" >/dev/null || fail "sync HB"
"$KITH" --db "$T/hc.db" sync "$T/repo/kith" >/dev/null || fail "sync HC"
kh sync >/dev/null || fail "HA applies HB and HC"
git -C "$T/repo" add -A && git -C "$T/repo" -c user.name=U -c user.email=u@x commit -qm start ||
    fail "commit the folder"
hb=$(sync_id "$T/hb.db")
hc=$(sync_id "$T/hc.db")
run kh sync forget "$hb" --git
expect_rc 0 "forget --git inside a work tree"
expect_out "committed the removal to git"
git -C "$T/repo" log --format=%s | grep -qx "kith sync: forget replica $hb" ||
    fail "the removal is not committed: $(git -C "$T/repo" log --format=%s)"
run kh sync status --json
expect_json '"git":true,"git_said":true' "forget --git is remembered"
run kh sync forget "$hc" --no-git
expect_rc 0 "forget --no-git"
expect_no_out "committed"
[ ! -e "$T/repo/kith/$hc" ] || fail "--no-git kept HC's folder"
git -C "$T/repo" log --format=%s | grep -q "forget replica $hc" && fail "--no-git committed"
git -C "$T/repo" status --porcelain | grep -q "$hc" || fail "HC's removal is not left to the user"
run kh sync status --json
expect_json '"git":false,"git_said":false' "forget --no-git is remembered"
run kh sync forget "$hc" --git --no-git
expect_rc 2 "both"
expect_err "--git or --no-git, not both"

# A replica forgotten that syncs again writes again the files it keeps that
# the forget removed: the notice that it was forgotten says so, in one line
# (not also as files found damaged or missing).
F="$T/forget2"
mkdir -p "$F/s"
"$KITH" --db "$F/a.db" add "Ann Ash" >/dev/null && "$KITH" --db "$F/a.db" sync "$F/s" >/dev/null &&
    "$KITH" --db "$F/b.db" sync "$F/s" >/dev/null && "$KITH" --db "$F/b.db" add "Bo Birch" >/dev/null &&
    "$KITH" --db "$F/b.db" sync >/dev/null && "$KITH" --db "$F/a.db" sync >/dev/null ||
    fail "forget2: syncs"
"$KITH" --db "$F/a.db" sync forget "$(sync_id "$F/b.db")" >/dev/null || fail "forget2: forget"
"$KITH" --db "$F/b.db" add "Cy Cole" >/dev/null || fail "forget2: add"
run "$KITH" --db "$F/b.db" sync
expect_rc 0 "forget2: B syncs again"
expect_out "it syncs again from now on (wrote 1 of those files again), and its changes" \
    "forget2: the rewrite told with the forget"
expect_no_out "wrote 1 file of this replica again" "forget2: not told twice"
expect_lines "$OUT" 1 "wrote" "forget2: one line says it: $OUT"

# A run that fails (its remote gone) does not say "up to date".
git -C "$T/ga" remote set-url origin "$T/gone.git"
run "$KITH" --db "$GA" sync --git
expect_rc 1 "git sync with the remote gone"
expect_err "git pull failed"
expect_no_out "up to date"

finish
