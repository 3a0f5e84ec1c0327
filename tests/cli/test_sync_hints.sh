#!/bin/sh
# The commands sync's messages suggest carry the --db the user gave (shell
# quoted), so that one pasted acts on the same journal, not the default
# one: status's way out for a replica long unseen (kith sync forget ID),
# the folder moved (kith sync NEWDIR --move), a replica not found
# (kith sync status), a replica with files not applied (kith sync). Each
# is pasted into a shell as it is, with a space and a ' in the journal's
# path. Without --db, none names one.
. "$KITH_TESTLIB"

S="$T/shared"
mkdir -p "$T/Ann's notes" "$S"
A="$T/Ann's notes/a b.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kith() { "$KITH" "$@"; }
# The default journal: a pasted command without --db would act on it.
"$KITH" add "Default Dora" >/dev/null || fail "the default journal"
dsum=$(cksum <"$HOME/.local/share/kith/kith.db")

ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null || fail "A starts"
kb sync "$S" >/dev/null || fail "B joins"
RB=$(sync_id "$B")
kb add "Bo Lind" >/dev/null && kb sync >/dev/null || fail "B sends"

# 1. A replica with changes not applied here: 'kith sync' first.
run ka sync forget "$RB"
expect_rc 1 "forget before applying B's file"
expect_err "run 'kith --db '$T/Ann'\\''s notes/a b.db' sync' first"
cmd=$(sed -n "s/.*; run '\\(kith --db .* sync\\)' first, then forget it.*/\\1/p" "$T/err")
[ -n "$cmd" ] || fail "no command to paste: $(cat "$T/err")"
(cd "$T" && eval "$cmd" >/dev/null) || fail "pasted: $cmd"
run ka show "Bo Lind"
expect_rc 0 "the pasted sync applied B's file in A"

# 2. A replica not found: status lists them.
run ka sync forget 0000
expect_rc 2 "no such replica"
cmd=$(sed -n "s/.*('\\(kith --db .* sync status\\)' lists them).*/\\1/p" "$T/err")
[ -n "$cmd" ] || fail "no command to paste: $(cat "$T/err")"
OUT=$(cd "$T" && eval "$cmd") || fail "pasted: $cmd"
expect_out "$RB  last seen" "the pasted status is A's"

# 3. B long unseen: status says how to forget it; pasted, it forgets it.
ka add "Cy Moss" >/dev/null && ka sync >/dev/null || fail "A sends 2"
run env KITH_TODAY=2099-01-01 "$KITH" --db "$A" sync status
expect_out "if that machine is gone: kith --db '$T/Ann'\\''s notes/a b.db' sync forget ${RB%????????}"
cmd=$(printf '%s\n' "$OUT" | sed -n 's/.*if that machine is gone: \(kith --db .*\)$/\1/p')
[ -n "$cmd" ] || fail "no command to paste: $OUT"
(cd "$T" && eval "$cmd" >/dev/null) || fail "pasted: $cmd"
[ ! -e "$S/$RB" ] || fail "the pasted forget did not remove B's folder"
run ka sync status --json
expect_py "A forgot B" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["in_folder"] is False, r' "$RB"

# 4. The folder moved: the message's --move, NEWDIR filled in, pasted.
mv "$S" "$T/moved"
run ka sync
expect_rc 1 "the folder is not there"
cmd=$(sed -n "s/.*(if it moved: '\\(kith --db .* sync\\) NEWDIR --move').*/\\1/p" "$T/err")
[ -n "$cmd" ] || fail "no command to paste: $(cat "$T/err")"
(cd "$T" && eval "$cmd '$T/moved' --move" >/dev/null) || fail "pasted: $cmd $T/moved --move"
run ka sync status --json
expect_py "A syncs through the folder moved" o 'assert o["dir"] == sys.argv[1], o' "$T/moved"

# The default journal was never touched; without --db, no --db is named.
[ "$(cksum <"$HOME/.local/share/kith/kith.db")" = "$dsum" ] || fail "the default journal changed"
run "$KITH" sync status
expect_out "sync is off; 'kith sync DIR' turns it on"

# 5. A journal named by a relative path: the hint names it absolutely, so
# it acts on the same journal pasted in another directory (cron's mail).
mkdir "$T/rel" "$T/elsewhere"
OUT=$(cd "$T/rel" && "$KITH" --db r.db sync status) || fail "relative status"
expect_out "sync is off; 'kith --db $T/rel/r.db sync DIR' turns it on" "the path made absolute"
cmd=$(printf '%s\n' "$OUT" | sed -n "s/.*'\(kith --db .*\) DIR' turns it on/\1/p")
[ -n "$cmd" ] || fail "no command to paste: $OUT"
(cd "$T/elsewhere" && eval "$cmd '$T/moved'" >/dev/null) || fail "pasted elsewhere: $cmd"
[ ! -e "$T/elsewhere/r.db" ] || fail "the pasted command made a journal where it was pasted"
run "$KITH" --db "$T/rel/r.db" sync status
expect_no_out "sync is off" "the pasted command turned sync on for the journal named"
finish
