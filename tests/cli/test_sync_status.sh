#!/bin/sh
# kith sync status, its small print: no other replica yet, nothing sent
# yet, the folder not there, a replica long unseen (text and JSON), and an
# argument it does not take.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"

# An empty journal, alone in the folder.
ka sync "$S" >/dev/null || fail "A starts"
run ka sync status
expect_rc 0 "status alone"
expect_out "no change of this journal's to send yet"
expect_no_out "last file 0"
printf '%s\n' "$OUT" | grep -A1 '^other replicas$' | grep -q '^  none yet$' ||
    fail "no other replica: the heading says none: $OUT"

run ka sync status extra
expect_rc 2 "status with an argument"
expect_err "status takes no argument, not 'extra'"
expect_no_err "one folder at a time"

# B long unseen (its state's time a year old) with a file of A's to apply.
ka add "Ana Ruiz" >/dev/null && ka sync >/dev/null || fail "A sends 1"
kb sync "$S" >/dev/null || fail "B joins"
bid=$("$KITH" --db "$B" sync status --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["replica"])')
sed -i 's/^at .*/at 2025-10-01T00:00:00Z/' "$S/$bid/state"
ka add "Bo Lind" >/dev/null && ka sync >/dev/null || fail "A sends 2"
run ka sync status
expect_out "old files wait for it"
run ka sync status --json
expect_py "status --json: B stale, holding back" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["stale"] is True and r["holds_back"] is True, r' "$bid"
kb sync >/dev/null || fail "B applies 2"
ka sync >/dev/null || fail "A reads B"
run ka sync status --json
expect_py "status --json: B back" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["stale"] is False and r["holds_back"] is False, r' "$bid"

# B on an older kith, which cannot read A's newer files: A's status names
# it, as B's state says (the newest format and journal version its kith
# reads), or, from a kith older than that line, as the head of B's newest
# file says (what a kith writes, it reads). B merely behind is not.
kb add "Cy Moss" >/dev/null && kb sync >/dev/null || fail "B sends"
ka sync >/dev/null || fail "A applies B"
grep -q '^reads 3 [0-9][0-9]*$' "$S/$bid/state" || fail "B's state says not what it reads: $(cat "$S/$bid/state")"
ka add "Di Park" >/dev/null && ka sync >/dev/null || fail "A sends 3"
run ka sync status
expect_out "has this one's up to file 2
"
expect_no_out "older kith" "B behind, on this kith"
run ka sync status --json
expect_py "status --json: B not old" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["old_kith"] is False, r' "$bid"
sed -i 's/^reads \([0-9]*\) .*/reads \1 1/' "$S/$bid/state"
run ka sync status
expect_out "has this one's up to file 2
    runs an older kith, which cannot read this one's file 3 (a newer changeset format or journal version) nor any after it: upgrade kith on that machine and sync there"
run ka sync status --json
expect_py "status --json: B old, by its state" o '
r = [p for p in o["replicas"] if p["replica"] == sys.argv[1]][0]
assert r["old_kith"] is True and r["has_file"] == 2, r' "$bid"
# A state without the line; B's newest file says changeset format 1.
sed -i '/^reads /d' "$S/$bid/state"
run ka sync status
expect_no_out "older kith" "B's newest file of this kith"
newest=$(cd "$S/$bid" && ls -- *.changeset | sort -n | tail -1)
python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(8); f.write((1).to_bytes(4, "big"))' "$S/$bid/$newest"
run ka sync status
expect_out "runs an older kith, which cannot read this one's file 3"
kb sync >/dev/null || fail "B applies A's file 3"
ka sync >/dev/null || fail "A reads B's state"
run ka sync status
expect_no_out "older kith" "B caught up"

# The folder gone: what was written there, not what it holds.
mv "$S" "$T/elsewhere"
run ka sync status
expect_out "not there"
expect_out "every change was written to the folder (last file 3)"
expect_no_out "every change is in the folder"

finish
