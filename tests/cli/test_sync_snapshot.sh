#!/bin/sh
# A large journal turning sync on leaves a snapshot beside its first file,
# and a new machine's empty journal starts from it rather than applying
# every row; a small journal leaves none (its file applies in well under a
# second), and its new machine applies the file.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

# 1,500 cards with a paragraph of notes each: a first file over 1 MB.
python3 - "$T/big.vcf" <<'PY'
import sys
with open(sys.argv[1], "w", newline="") as f:
    for i in range(1500):
        f.write("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        f.write(f"FN:Person {i:04d}\r\nN:{i:04d};Person;;;\r\n")
        f.write(f"EMAIL;TYPE=work:p{i}@example.org\r\nTEL;TYPE=cell:+1 555 {i:04d}\r\n")
        f.write("ORG:Acme " + str(i % 37) + "\r\n")
        f.write("NOTE:" + ("Met at the spring meetup; follows up on hiring. " * 8) + "\r\n")
        f.write("END:VCARD\r\n")
PY
ka import vcard "$T/big.vcf" >/dev/null || fail "import 1,500 cards"
# What A keeps to itself (its undo history, with a contact it deleted)
# does not go into the shared folder.
ka add "Secret Person" --note "private medical thing" >/dev/null || fail "add the secret"
ka rm "Secret Person" --yes >/dev/null || fail "rm the secret"
mkdir "$S"
run ka sync "$S"
expect_rc 0 "first sync of the large journal"
expect_out "sent file 1"
expect_out "left a snapshot: a new machine's empty journal starts from it"
ra=$(ls "$S")
[ -f "$S/$ra/snapshot.kith" ] || fail "no snapshot beside file 1: $(ls "$S/$ra")"
grep -c "private medical" "$S/$ra/snapshot.kith" >/dev/null &&
    fail "the snapshot carries A's undo history"
# The delete goes out (so a copy of A made before does not bring the
# contact back), but not what the contact said.
grep -rc "private medical" "$S/$ra/1.changeset" >/dev/null &&
    fail "file 1 carries what the deleted contact said"
python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?immutable=1", uri=True)
n = c.execute("SELECT (SELECT count(*) FROM history) + (SELECT count(*) FROM sync_log)").fetchone()[0]
free = c.execute("PRAGMA freelist_count").fetchone()[0]
sys.exit(0 if n == 0 and free == 0 else 1)' "$S/$ra/snapshot.kith" ||
    fail "the snapshot holds history, unsent changes or free pages"
size=$(wc -c <"$S/$ra/1.changeset")
[ "$size" -ge 1048576 ] || fail "file 1 is only $size bytes: the test's journal is too small"

before=$(ls -a "$S/$ra")
run kb sync "$S"
expect_rc 0 "the new machine's first sync"
# B read A's snapshot without writing in A's folder (no -shm or -wal there
# for a sync tool to carry back and forth).
[ "$(ls -a "$S/$ra")" = "$before" ] || fail "B wrote in A's folder: $(ls -a "$S/$ra")"
expect_out "started from a snapshot as replica"
expect_no_out "applied"
same_journals "$A" "$B" "B from the snapshot"
# Later changes come as files, and only those after the snapshot.
ka edit "Person 0007" --title Chair >/dev/null || fail "edit on A"
ka sync "$S" >/dev/null || fail "sync A"
run kb sync "$S"
expect_rc 0 "B applies A's next file"
expect_out "applied 1 file of other replicas (1 change)"
kb edit "Person 0008" --title Host >/dev/null || fail "edit on B"
kb sync "$S" >/dev/null && ka sync "$S" >/dev/null || fail "sync B then A"
same_journals "$A" "$B" "A and B after changes both ways"
run ka sync status --json
expect_json "\"unsent\":0"

# A small journal: no snapshot; its new machine applies the file.
S2="$T/shared2"
mkdir "$S2"
"$KITH" --db "$T/c.db" add "Ana Ruiz" --company Acme >/dev/null || fail "add on C"
run "$KITH" --db "$T/c.db" sync "$S2"
expect_rc 0 "first sync of a small journal"
expect_no_out "snapshot"
[ -z "$(find "$S2" -name snapshot.kith)" ] || fail "a small journal left a snapshot"
run "$KITH" --db "$T/d.db" sync "$S2"
expect_rc 0 "the small journal's new machine"
expect_out "applied 1 file of other replicas"
same_journals "$T/c.db" "$T/d.db" "D from C's file"

# A large journal joining a folder whose other replica removed old files
# cannot catch up: it is refused before it writes anything, so it leaves no
# snapshot (one made without those changes would strand every journal that
# starts from it), nor a file (test_sync_join.sh has the rest).
S3="$T/shared3"
mkdir "$S3"
"$KITH" --db "$T/p.db" add "Pat Old" >/dev/null || fail "add on P"
"$KITH" --db "$T/p.db" sync "$S3" >/dev/null || fail "first sync of P"
rp=$(sync_id "$T/p.db")
"$KITH" --db "$T/q.db" sync "$S3" >/dev/null || fail "first sync of Q"
for i in $(seq 1 17); do
    "$KITH" --db "$T/p.db" add "Pat $i" >/dev/null || fail "add $i on P"
    "$KITH" --db "$T/p.db" sync "$S3" >/dev/null || fail "sync P $i"
    "$KITH" --db "$T/q.db" sync "$S3" >/dev/null || fail "sync Q $i"
done
"$KITH" --db "$T/p.db" sync "$S3" >/dev/null || fail "sync P, pruning"
[ -f "$S3/$rp/1.changeset" ] && fail "P removed no old file: the case is not set up"
"$KITH" --db "$T/r.db" import vcard "$T/big.vcf" >/dev/null || fail "import on R"
run "$KITH" --db "$T/r.db" sync "$S3"
expect_rc 1 "R cannot catch up with P"
expect_err "the folder no longer holds every change"
expect_no_out "left a snapshot"
[ "$(ls "$S3" | wc -l)" = 2 ] || fail "R left a folder: $(ls "$S3")"

finish
