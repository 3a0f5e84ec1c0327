#!/bin/sh
# kith sync DIR [--git] and kith sync status: two journals in step through a
# shared folder, conflicts listed, what goes wrong with the folder or a file
# said and nothing changed, and the same through a real git repository (a
# bare repository in a temporary folder as the remote).
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
sum() { if [ -f "$1" ]; then cksum <"$1"; else echo none; fi; }

golden sync_help k sync --help
golden sync_no_dir k sync
golden sync_two_dirs k sync a b

# Off, and quiet about it.
golden_t sync_status_no_journal k sync status
ka add "Ana Ruiz" --company Acme --email ana@acme.example --tag mentor >/dev/null ||
    fail "add Ana"
golden_t sync_status_off ka sync status
golden sync_again_off ka sync
run ka sync status --json
expect_rc 0 "status --json, off"
expect_out '{"replica":null}'

# The folder: missing, not a folder. Nothing changes, no journal is made.
before=$(sum "$A")
golden_t sync_missing_dir ka sync "$S"
[ "$(sum "$A")" = "$before" ] || fail "a failed sync changed the journal"
golden_t sync_missing_dir_new kb sync "$S"
[ -e "$B" ] && fail "a failed sync left a new journal behind"
: >"$T/file"
golden_t sync_not_a_folder ka sync "$T/file"
mkdir "$S"
chmod 700 "$S"

# The first sync turns sync on and sends everything; a new journal gets it.
golden_t sync_first ka sync "$S"
ra=$(ls "$S")
[ "$(echo "$ra" | wc -l)" = 1 ] || fail "one replica folder: $ra"
[ -f "$S/$ra/1.changeset" ] || fail "file 1: $(ls "$S/$ra")"
[ -f "$S/$ra/state" ] || fail "a state file"
golden_t sync_new_replica kb sync "$S"
run kb show ana
expect_rc 0 "Ana on B"
expect_out "Acme"
expect_out "ana@acme.example"
golden_t sync_up_to_date ka sync "$S"

# The same field changed on both: the later change wins on both, and each
# lists the conflict.
ka edit ana --company Initech >/dev/null || fail "edit on A"
sleep 0.01
kb edit ana --company Globex --title CTO >/dev/null || fail "edit on B"
golden_t sync_conflict_a ka sync "$S"
golden_t sync_conflict_b kb sync "$S"
ka sync "$S" >/dev/null || fail "sync A again"
for j in "$A" "$B"; do
    run "$KITH" --db "$j" show ana
    expect_out "Globex"
    expect_out "CTO"
done
same_journals "$A" "$B" "A and B"
golden_t sync_status ka sync status
run ka sync status --json
expect_rc 0 "status --json"
expect_json_valid
expect_json '"field":"company","kept":"Globex","other":"Initech","rule":"the later change wins","kept_from":"replica",'
# Each line says when, in local time ("resolved" and the JSON's "at" are
# the same moment).
at=$(printf '%s' "$OUT" | python3 -c 'import json, sys
print(json.load(sys.stdin)["conflicts"][0]["at"])')
want=$(python3 -c 'import datetime, sys
t = datetime.datetime.strptime(sys.argv[1][:16], "%Y-%m-%dT%H:%M") + datetime.timedelta(hours=9)
print(t.strftime("%Y-%m-%d %H:%M"))' "$at")
run env TZ=JST-9 "$KITH" --db "$A" sync status
expect_out "(this journal's); resolved $want"
run kb sync status --json
expect_json '"rule":"this replica'"'"'s later change wins","kept_from":"here",'
expect_json '"unsent":0'
run ka sync "$S" --json
expect_rc 0 "sync --json"
expect_json_valid
expect_json '"applied_files":0'

# A sync is nobody's action: undo takes back B's own edit (to what B had
# before it), and that reaches A.
run kb undo
expect_rc 0 "undo on B"
expect_out "kith edit ana --company Globex --title CTO"
kb sync "$S" >/dev/null || fail "sync B after undo"
ka sync "$S" >/dev/null || fail "sync A after undo"
run ka show ana
expect_out "Acme"
expect_no_out "CTO"
run ka undo
expect_rc 0 "undo on A"
expect_out "kith edit ana --company Initech"

# A journal syncs through one folder.
mkdir "$T/other"
golden_t sync_other_folder ka sync "$T/other"

# A damaged file, one from a newer kith, one that is not kith's: said, and
# nothing of it applied; the rest is synced.
kb add "Ben Okafor" >/dev/null || fail "add Ben"
kb sync "$S" >/dev/null || fail "sync B"
for d in "$S"/*; do [ "${d##*/}" = "$ra" ] || rb=${d##*/}; done
last=$(cd "$S/$rb" && printf '%s\n' *.changeset | sort -n | tail -n 1)
cp "$S/$rb/$last" "$T/good"
head -c 60 "$T/good" >"$S/$rb/$last"
before=$(sum "$A")
golden_t sync_damaged ka sync "$S"
run ka show ben
expect_rc 1 "Ben not applied from a damaged file"
# The format version is bytes 9 to 12.
{ head -c 8 "$T/good"; printf '\000\000\000\011'; tail -c +13 "$T/good"; } >"$S/$rb/$last"
golden_t sync_newer ka sync "$S"
# Status says it too, and what to do (review r26 #8c).
run ka sync status
expect_out "stuck: its file ${last%.changeset} is from a newer kith" "status: the newer kith's file"
expect_out "is from a newer kith" "status: why"
expect_out "upgrade kith on this machine" "status: what to do"
run ka sync status --json
expect_json '"newer_kith_file":'"${last%.changeset}" "status --json: the newer kith's file"
printf 'not a changeset\n' >"$S/$rb/$last"
golden_t sync_foreign ka sync "$S"
cp "$T/good" "$S/$rb/$last"
run ka sync "$S"
expect_rc 0 "the whole file again"
run ka show ben
expect_rc 0 "Ben applied"

# Through git: a bare repository as the remote, a clone on each machine.
git init -q --bare "$T/remote.git" || fail "git init"
git clone -q "$T/remote.git" "$T/ga" 2>/dev/null || fail "clone a"
git clone -q "$T/remote.git" "$T/gb" 2>/dev/null || fail "clone b"
GA="$T/ga.db"
GB="$T/gb.db"
"$KITH" --db "$GA" add "Chen Wei" --company Hooli >/dev/null || fail "add Chen"
golden_t sync_git_not_a_repo "$KITH" --db "$GA" sync "$T/other" --git
run "$KITH" --db "$GA" sync "$T/ga" --git
expect_rc 0 "git sync A"
expect_out "committed to git"
[ "$(git -C "$T/remote.git" log --oneline | wc -l)" = 1 ] || fail "one commit pushed"
run "$KITH" --db "$GB" sync "$T/gb" --git
expect_rc 0 "git sync B"
run "$KITH" --db "$GB" show chen
expect_out "Hooli"
# Both change, then both sync: the second push is behind and rebases.
"$KITH" --db "$GA" edit chen --title CTO >/dev/null || fail "edit Chen on A"
"$KITH" --db "$GB" add "Dana Li" >/dev/null || fail "add Dana on B"
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "git sync B 2"
run "$KITH" --db "$GA" sync "$T/ga" --git
expect_rc 0 "git sync A after B pushed"
"$KITH" --db "$GB" sync "$T/gb" --git >/dev/null || fail "git sync B 3"
run "$KITH" --db "$GA" show dana
expect_rc 0 "Dana on A through git"
run "$KITH" --db "$GB" show chen
expect_out "CTO"
git -C "$T/ga" status --porcelain | grep -q . && fail "A's work tree is not clean"
[ "$(git -C "$T/remote.git" log --oneline | wc -l)" -ge 4 ] || fail "commits pushed"

# Every conflict a sync resolved is in sync status --json, whatever its
# kind: a field both changed, and a contact deleted on one machine and
# edited later on the other (kept, archived). Two new journals, a new
# folder.
S2="$T/shared2"
C="$T/c.db"
D="$T/d.db"
kc() { "$KITH" --db "$C" "$@"; }
kd() { "$KITH" --db "$D" "$@"; }
mkdir "$S2"
kc add "Bo Lind" --company Initech >/dev/null || fail "add Bo"
kc add "Cy Park" --company Hooli >/dev/null || fail "add Cy"
kc sync "$S2" >/dev/null && kd sync "$S2" >/dev/null || fail "first sync of C and D"
kc rm bo --yes >/dev/null || fail "rm Bo on C"
kc edit cy --title Lead >/dev/null || fail "title on C"
sleep 0.01
kd edit bo --title CFO >/dev/null || fail "edit Bo on D"
kd edit cy --title Chief >/dev/null || fail "title on D"
for r in 1 2; do
    kc sync "$S2" >/dev/null && kd sync "$S2" >/dev/null || fail "sync round $r"
done
# conflicts DB: the rows of sync_conflict, as SQLite reads them.
conflicts() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sync_conflict").fetchone()[0])' "$1"
}
for j in "$C" "$D"; do
    n=$(conflicts "$j")
    [ "$n" -ge 2 ] || fail "conflicts in $j: $n"
    run "$KITH" --db "$j" sync status --json
    expect_rc 0 "status --json with conflicts"
    expect_json_valid
    listed=$(printf '%s' "$OUT" | python3 -c 'import json, sys
print(len(json.load(sys.stdin)["conflicts"]))')
    [ "$listed" = "$n" ] || fail "status --json lists $listed of $n conflicts ($j)"
    expect_json '"field":"title","kept":"Chief","other":"Lead"'
done
run kd sync status --json
expect_json '"name":"Bo Lind","field":"contact","kept":"kept, archived","other":"deleted there"'
expect_json '"kept_from":null,'
run kd sync status
expect_out "  Bo Lind, contact: kept, archived; deleted there (replica "
expect_out "): a change the delete had not seen keeps the contact, archived; resolved "
run kc show bo
expect_rc 0 "Bo kept on C"
expect_out "CFO"

# Once on, 'kith sync' alone goes through the journal's folder.
kd edit cy --company Lead >/dev/null || fail "company on D"
kd sync >/dev/null || fail "sync D with no DIR"
golden_t sync_again kc sync
run kc show cy
expect_out "Lead" "D's change through the journal's folder"
# The journal's folder gone (a USB stick not plugged in): said so, nothing
# made, nothing changed.
mv "$S2" "$T/unplugged"
before=$(sum "$C")
golden_t sync_again_gone kc sync
[ -e "$S2" ] && fail "a sync made the journal's missing folder"
[ "$(sum "$C")" = "$before" ] || fail "a sync without its folder changed the journal"
# --json: the error in the object, with the journal's id (review r26 #8b).
run kc sync --json
expect_rc 1 "the folder gone, --json"
expect_json '"replica":"'"$(sync_id "$C")"'","error":"' "the folder gone, --json: the id"
# An empty mount point where the stick was: nothing written into it.
mkdir "$S2"
run kc sync
expect_rc 1 "an empty folder where the stick was"
expect_err "holds no replica's folder, not even this journal's"
[ -z "$(ls -A "$S2")" ] || fail "a sync wrote into the empty mount point"
rmdir "$S2"
mv "$T/unplugged" "$S2"

finish
