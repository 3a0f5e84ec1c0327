#!/bin/sh
# The commands sync's messages suggest carry the --db the user gave (shell
# quoted), so that one pasted acts on the same journal, not the default
# one; each is written last on its line, after a colon, never inside
# quotes of its own (a quoted --db inside '...' cannot be pasted). Each
# is taken from the message exactly as printed and pasted into a shell,
# with a space and a ' in the journal's path: status's way out for a
# replica long unseen (kith sync forget ID), the folder moved (kith sync
# NEWDIR --move), a replica not found or not given (kith sync status), a
# replica with files not applied (kith sync), sync off (kith sync DIR),
# git said off (kith sync --git), likely duplicates brought (kith dupes,
# then its kith merge),
# conflicted copies in the folder (kith sync status), a value cut in a
# conflict's line (kith sync status --json). Without --db, none names one.
. "$KITH_TESTLIB"

S="$T/shared"
mkdir -p "$T/Ann's notes" "$S"
A="$T/Ann's notes/a b.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
# What a pasted "kith" runs: the kith under test.
kith() { "$KITH" "$@"; }
# The command a message suggests, exactly as printed: what follows its
# last ": kith " to the end of the line (a command quoted as a whole is
# not found); the user's word for a placeholder (DIR, NEWDIR) put in,
# quoted (a path with no ' in it).
hint() { # TEXT [PLACEHOLDER VALUE]
    c=$(printf '%s\n' "$1" | sed -n 's/.*: \(kith .*\)$/\1/p' | tail -1)
    [ -n "$c" ] || return 1
    [ $# -lt 2 ] || c=$(printf '%s' "$c" | sed "s|\\b$2\\b|'$3'|")
    printf '%s\n' "$c"
}
# paste TEXT [PLACEHOLDER VALUE]: the suggested command run in a shell, in
# another directory; its output in $OUT, its status in $RC.
paste() {
    cmd=$(hint "$@") || {
        fail "no command to paste, last on a line after a colon: $1"
        return 1
    }
    RC=0
    OUT=$(cd "$T" && eval "$cmd" 2>&1) || RC=$?
}
# The default journal: a pasted command without --db would act on it.
"$KITH" add "Default Dora" >/dev/null || fail "the default journal"
dsum=$(cksum <"$HOME/.local/share/kith/kith.db")

ka add "Ana Ruiz" --email ana@ruiz.example >/dev/null && ka sync "$S" >/dev/null || fail "A starts"
kb sync "$S" >/dev/null || fail "B joins"
RB=$(sync_id "$B")
kb add "Bo Lind" >/dev/null && kb sync >/dev/null || fail "B sends"

# 1. A replica with changes not applied here: sync first.
run ka sync forget "$RB"
expect_rc 1 "forget before applying B's file"
expect_err "(then forget it): kith --db '$T/Ann'\\''s notes/a b.db' sync"
paste "$ERR" && [ "$RC" = 0 ] || fail "pasted sync: $OUT"
run ka show "Bo Lind"
expect_rc 0 "the pasted sync applied B's file in A"

# 2. A replica not found, not given, not an id: status lists them.
for id in 0000 "" Zb12; do
    if [ -n "$id" ]; then run ka sync forget "$id"; else run ka sync forget; fi
    expect_rc 2 "forget '$id'"
    paste "$(printf '%s\n' "$ERR" | head -1)" && [ "$RC" = 0 ] || fail "pasted status: $OUT"
    expect_out "$RB  last seen" "forget '$id': the pasted status is A's"
done

# 3. Contacts B brings that A may have: the pasted dupes lists them.
kb add "Ana Ruiz" --email ana@ruiz.example >/dev/null && kb sync >/dev/null || fail "B's Ana"
run ka sync
expect_out "1 pair may be one person twice"
paste "$(printf '%s\n' "$OUT" | grep "one person twice")" && [ "$RC" = 0 ] ||
    fail "pasted dupes: $OUT"
expect_out "same email ana@ruiz.example" "the pasted dupes is A's"
# A journal named by $KITH_DB alone: its hint names it too, for a shell
# (cron's mail) without the variable.
hint=$(cd "$T" && KITH_DB="$A" "$KITH" dupes 2>&1 | grep "to make them one")
case $hint in *"kith --db "*" merge "*) ;; *) fail "a hint under KITH_DB names the journal: $hint" ;; esac
# Its merge, pasted (--yes: no terminal here to ask), merges them in A.
paste "$(printf '%s\n' "$OUT" | grep "to make them one")" &&
    OUT=$(cd "$T" && eval "$cmd --yes" 2>&1) || fail "pasted merge: $OUT"
run ka dupes
expect_out "no likely duplicates" "the pasted merge merged in A"

# 4. A long value lost: cut in the conflict's line, whole in the pasted
# status --json.
long=$(python3 -c 'print("y" * 300)')
kb edit "Bo Lind" --note "short" >/dev/null && kb sync >/dev/null || fail "B's note"
sleep 0.01
ka edit "Bo Lind" --note "$long" >/dev/null && ka sync >/dev/null || fail "A's long note"
run kb sync
run ka sync
run ka sync status
expect_out "(220 more characters)"
paste "$(printf '%s\n' "$OUT" | grep "full text")" && [ "$RC" = 0 ] ||
    fail "pasted status --json: $OUT"
expect_json "\"kept\":\"$long\""

# 5. A conflicted copy in the folder: the pasted status lists it.
RA=$(sync_id "$A")
cp "$S/$RA/1.changeset" "$S/$RA/1.sync-conflict-20261206-101010-ABCDEFG.changeset"
run ka sync
expect_out "conflicted copy"
paste "$(printf '%s\n' "$OUT" | grep "conflicted copy")" && [ "$RC" = 0 ] ||
    fail "pasted status: $OUT"
expect_out "1.sync-conflict-20261206-101010-ABCDEFG.changeset" "the pasted status lists the copy"
rm "$S/$RA/1.sync-conflict-20261206-101010-ABCDEFG.changeset"

# 6. B long unseen: status says how to forget it; pasted, it forgets it.
kb sync >/dev/null && ka sync >/dev/null || fail "A and B settle"
ka add "Cy Moss" >/dev/null && ka sync >/dev/null || fail "A sends 2"
run env KITH_TODAY=2099-01-01 "$KITH" --db "$A" sync status
expect_out "if that machine is gone: kith --db '$T/Ann'\\''s notes/a b.db' sync forget ${RB%????????}"
paste "$(printf '%s\n' "$OUT" | grep "machine is gone")" && [ "$RC" = 0 ] ||
    fail "pasted forget: $OUT"
[ ! -e "$S/$RB" ] || fail "the pasted forget did not remove B's folder"
run ka sync status --json
expect_py "A forgot B" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["in_folder"] is False, r' "$RB"

# 7. The folder moved: the message's --move, NEWDIR filled in, pasted.
mv "$S" "$T/moved dir"
run ka sync
expect_rc 1 "the folder is not there"
paste "$ERR" NEWDIR "$T/moved dir" && [ "$RC" = 0 ] || fail "pasted --move: $OUT"
run ka sync status --json
expect_py "A syncs through the folder moved" o 'assert o["dir"] == sys.argv[1], o' "$T/moved dir"

# 8. Git said off: the pasted sync --git turns it on.
if command -v git >/dev/null 2>&1; then
    git init -q "$T/moved dir" || fail "git init"
    ka sync --no-git >/dev/null || fail "sync --no-git"
    run ka sync status
    expect_out "no: said with --no-git; to turn it on: kith --db"
    paste "$(printf '%s\n' "$OUT" | grep "said with --no-git")" && [ "$RC" = 0 ] ||
        fail "pasted sync --git: $OUT"
    run ka sync status --json
    expect_json '"git_said":true' "the pasted sync --git turned git on for A"
fi

# The default journal was never touched; without --db, no --db is named.
[ "$(cksum <"$HOME/.local/share/kith/kith.db")" = "$dsum" ] || fail "the default journal changed"
run "$KITH" sync status
expect_out "sync is off; to turn it on: kith sync DIR"

# 9. A journal named by a relative path: the hint names it absolutely, so
# it acts on the same journal pasted in another directory (cron's mail).
mkdir "$T/rel" "$T/elsewhere" "$T/S2"
OUT=$(cd "$T/rel" && "$KITH" --db r.db sync status) || fail "relative status"
expect_out "sync is off; to turn it on: kith --db $T/rel/r.db sync DIR" "the path made absolute"
cmd=$(hint "$OUT" DIR "$T/S2") || fail "no command to paste: $OUT"
(cd "$T/elsewhere" && eval "$cmd" >/dev/null) || fail "pasted elsewhere: $cmd"
[ ! -e "$T/elsewhere/r.db" ] || fail "the pasted command made a journal where it was pasted"
run "$KITH" --db "$T/rel/r.db" sync status
expect_no_out "sync is off" "the pasted command turned sync on for the journal named"
finish
