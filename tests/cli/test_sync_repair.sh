#!/bin/sh
# A replica's file damaged in the folder (cut short, changed): the replicas
# that have not applied it are stuck on it, and say so; the replica that
# wrote it writes it again from the bytes it kept, and they converge. When
# it no longer has them, a snapshot stands for it and the stuck journal is
# told to start again from it.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"

ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null ||
    fail "first syncs"
ra=$(sync_id "$A")
rb=$(sync_id "$B")
for i in 2 3 4; do
    ka add "Person $i" >/dev/null && ka sync "$S" >/dev/null || fail "A's file $i"
done

# A: file 2 cut short before B applied it: B applies nothing of A's after
# it, says which file and what to do, and status names it (--json too).
f2="$S/$ra/2.changeset"
cp "$f2" "$T/good2"
head -c 50 "$T/good2" >"$f2"
run kb sync "$S"
expect_rc 1 "A: B stuck on a damaged file"
expect_err "2.changeset: damaged"
expect_err "replica ${ra%????????} wait for it: that replica writes it again at its next sync"
run kb show "Person 3"
expect_rc 1 "A: nothing after the damaged file applied"
run kb sync status
expect_out "stuck: its file 2 is damaged in the folder, and its later files wait for it"
run kb sync status --json
expect_json "\"damaged_file\":2,\"damaged_fix\":\"its replica rewrites it\""
# The writer's status says a reader found its file damaged.
run ka sync status
expect_out "it found this replica's file 2 damaged, which the next sync here writes again: kith --db $A sync"

# A's next sync writes it again (the same bytes), and B catches up.
run ka sync "$S"
expect_rc 0 "A: rewrite"
expect_out "wrote 1 file of this replica again (found damaged by another replica"
cmp -s "$f2" "$T/good2" || fail "A: file 2 is not what A wrote at first"
[ -L "$f2" ] && fail "A: file 2 is a link"
run kb sync "$S"
expect_rc 0 "A: B after the rewrite"
expect_out "applied 3 files of other replicas"
same_journals "$A" "$B" "A: B after the rewrite"
run kb sync status
expect_no_out "stuck"
# Applied everywhere, it is written no more.
run ka sync "$S"
expect_no_out "wrote"

# B: changed rather than cut short (the checksum fails), and a link in
# its place is not written through.
ka add "Person 5" >/dev/null && ka sync "$S" >/dev/null || fail "B: A's file 5"
f5="$S/$ra/5.changeset"
cp "$f5" "$T/good5"
python3 -c 'import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[60] ^= 1
open(p, "wb").write(b)' "$f5"
run kb sync "$S"
expect_rc 1 "B: B stuck on a changed file"
expect_err "checksum does not match"
echo precious >"$T/precious"
rm "$f5" && ln -s "$T/precious" "$f5"
run ka sync "$S"
expect_rc 1 "B: a link in its place"
expect_err "5.changeset is a symbolic link, not a file kith may replace"
[ "$(cat "$T/precious")" = precious ] || fail "B: written through a link"
# Removed, the file is missing from A's own folder: A writes it again
# even when no replica says so (B's next run would only wait for it).
rm "$f5"
run kb sync "$S"
expect_rc 0 "B: B waits for file 5"
run ka sync "$S"
expect_rc 0 "B: A writes file 5 again"
cmp -s "$f5" "$T/good5" || fail "B: file 5 not written again"
run kb sync "$S"
expect_rc 0 "B: B after the rewrite"
same_journals "$A" "$B" "B: after the rewrite"

# C: the bytes no longer kept (a journal that sent the file before kith
# kept them): A says so and leaves a snapshot that holds its changes; B is
# told to start again from it, and a new journal that does converges.
ka add "Person 6" >/dev/null && ka sync "$S" >/dev/null || fail "C: A's file 6"
f6="$S/$ra/6.changeset"
head -c 50 "$f6" >"$T/cut" && cp "$T/cut" "$f6"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DELETE FROM sync_file")
c.commit()' "$A"
run kb sync "$S"
expect_rc 1 "C: B stuck"
run ka sync "$S"
expect_rc 0 "C: A cannot write it again"
expect_out "file 6 of this replica is damaged in the folder and no longer kept here"
expect_out "a snapshot of this journal stands for it"
[ -f "$S/$ra/snapshot.kith" ] || fail "C: no snapshot"
# Its next sync says the snapshot stands (not that one will), and status
# that the file is lost, not that the next sync writes it again.
run ka sync "$S"
expect_out "file 6 of this replica is damaged in the folder and no longer kept here"
expect_out "a snapshot of this journal stands for it"
expect_no_out "will stand for it"
run ka sync status
expect_out "it found this replica's file 6 damaged, which this replica no longer has to write again"
expect_no_out "file 6 damaged, which the next sync here writes again"
run ka sync status --json
expect_json "\"reports_damaged\":6,\"reports_damaged_files\":[{\"file\":6,\"lost\":true}]"
run kb sync "$S"
expect_rc 1 "C: B still stuck"
expect_err "no longer has it to write again"
expect_err "start this journal again from its snapshot"
run kb sync status
expect_out "stuck: its file 6 is damaged in the folder, and that replica no longer has it"
run kb sync status --json
expect_json "\"damaged_file\":6,\"damaged_fix\":\"start again from a snapshot\""
C="$T/c.kith"
run "$KITH" --db "$C" sync "$S"
expect_rc 0 "C: a new journal from the snapshot"
expect_out "started from a snapshot"
same_journals "$A" "$C" "C: the new journal"
run "$KITH" --db "$C" sync forget "$rb"
expect_rc 0 "C: the stuck journal forgotten"

# D: a file of over a megabyte (a journal of thousands of contacts turning
# sync on, a large import) is not kept: the journal would hold it twice
# until every replica applied it. Its repair is a snapshot, as in C; a
# small file after it is kept.
D="$T/d.kith"
E="$T/e"
pad=$(printf '%0400d' 0)
i=0
while [ $i -lt 3000 ]; do
    printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many %d\r\nNOTE:%s\r\nEND:VCARD\r\n' $i "$pad"
    i=$((i + 1))
done >"$T/many.vcf"
mkdir "$E"
"$KITH" --db "$D" import vcard "$T/many.vcf" >/dev/null || fail "D: import"
"$KITH" --db "$D" sync "$E" >/dev/null || fail "D: first sync"
"$KITH" --db "$D" add "One More" >/dev/null && "$KITH" --db "$D" sync >/dev/null || fail "D: second sync"
rd=$(sync_id "$D")
[ "$(wc -c <"$E/$rd/1.changeset")" -gt 1048576 ] || fail "D: the first file is not over a megabyte"
kept=$(python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(" ".join(str(r[0]) for r in c.execute("SELECT fileseq FROM sync_file ORDER BY 1")))' "$D")
[ "$kept" = "2" ] || fail "D: kept the bytes of files '$kept', not only file 2"

# E: a report from before the rewrite (its reporter not synced since) does
# not make the writer write the file again on every sync; claims that
# cannot be true (a file the reporter applied, one never written) are not
# believed: no snapshot, nothing called lost.
S="$T/shared2"
A="$T/a2.kith"
B="$T/b2.kith"
mkdir "$S"
ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null ||
    fail "E: first syncs"
ra=$(sync_id "$A")
rb=$(sync_id "$B")
ka add "Person 2" >/dev/null && ka sync >/dev/null || fail "E: A's file 2"
f2="$S/$ra/2.changeset"
cp "$f2" "$T/good2" && head -c 50 "$T/good2" >"$f2"
run kb sync
expect_rc 1 "E: B stuck"
run ka sync
expect_out "wrote 1 file of this replica again"
ino=$(ls -i "$f2")
run ka sync
expect_rc 0 "E: A again before B synced"
expect_no_out "wrote"
expect_out "up to date"
[ "$(ls -i "$f2")" = "$ino" ] || fail "E: file 2 replaced though whole"
run kb sync
expect_rc 0 "E: B after the rewrite"
same_journals "$A" "$B" "E: after the rewrite"
printf 'damaged %s 999\ndamaged %s 1\n' "$ra" "$ra" >>"$S/$rb/state"
run ka sync
expect_rc 0 "E: claims that cannot be true"
expect_no_out "wrote"
expect_no_out "no longer kept"
[ -e "$S/$ra/snapshot.kith" ] && fail "E: a snapshot for a claim that cannot be true"
grep -q lost "$S/$ra/state" && fail "E: the state calls a file lost: $(grep lost "$S/$ra/state")"
run ka sync status
expect_no_out "damaged"
run ka sync status --json
expect_json "\"reports_damaged\":null,\"reports_damaged_files\":[]"

# F: several files of one replica damaged: the reader reports them all in
# one run, and one round trip has them all written again.
for i in 3 4 5; do
    ka add "Person $i" >/dev/null && ka sync >/dev/null || fail "F: A's file $i"
done
head -c 50 "$S/$ra/3.changeset" >"$T/cut" && cp "$T/cut" "$S/$ra/3.changeset"
head -c 60 "$S/$ra/5.changeset" >"$T/cut" && cp "$T/cut" "$S/$ra/5.changeset"
run kb sync
expect_rc 1 "F: B stuck"
expect_err "3.changeset: damaged"
expect_err "5.changeset: damaged"
run ka sync
expect_out "wrote 2 files of this replica again"
run kb sync
expect_rc 0 "F: B after one round trip"
expect_out "applied 3 files of other replicas"
same_journals "$A" "$B" "F: after one round trip"

# G: the writer's files say it runs a kith older than repair (journal
# version 15): waiting for it to write the file again is in vain.
for i in 6 7; do
    ka add "Person $i" >/dev/null && ka sync >/dev/null || fail "G: A's file $i"
done
cp "$S/$ra/7.changeset" "$T/good7"
python3 -c 'import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read()[:-8])
b[12:16] = struct.pack(">I", 15)
h = 0xcbf29ce484222325
for c in b:
    h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
open(p, "wb").write(bytes(b) + struct.pack(">Q", h))' "$S/$ra/7.changeset"
head -c 50 "$S/$ra/6.changeset" >"$T/cut" && cp "$T/cut" "$S/$ra/6.changeset"
run kb sync
expect_rc 1 "G: B stuck"
expect_err "replica ${ra%????????} runs an older kith, which does not write a damaged file again: upgrade kith on that machine and sync there, then here: kith --db"
expect_no_err "writes it again at its next sync"
run kb sync --json
expect_json "\"file\":6,\"lost\":false,\"old_kith\":true"
run kb sync status
expect_out "that replica runs an older kith, which does not write it again: upgrade kith on that machine and sync there, then here: kith --db"
run kb sync status --json
expect_json "\"damaged_file\":6,\"damaged_fix\":\"upgrade kith on its machine\""
cp "$T/good7" "$S/$ra/7.changeset"
ka sync >/dev/null || fail "G: A's rewrite"
run kb sync
expect_rc 0 "G: B after the rewrite"
same_journals "$A" "$B" "G: after the rewrite"

# H: a temporary file a stopped run left in A's own folder (a crash while
# writing) is removed by A's next sync once it is an hour old, not carried
# to every machine for ever; a fresh one (a run writing now) and another
# replica's are left alone, and so is a file that is not kith's.
printf 'half' >"$S/$ra/9.changeset.tmp-AbC123"
printf 'half' >"$S/$ra/state.tmp-XyZ789"
printf 'now' >"$S/$ra/10.changeset.tmp-Fresh1"
printf 'mine' >"$S/$ra/notes.txt.tmp-Keep12"
printf 'half' >"$S/$rb/7.changeset.tmp-Other1"
touch -d '2 hours ago' "$S/$ra/9.changeset.tmp-AbC123" "$S/$ra/state.tmp-XyZ789" \
    "$S/$ra/notes.txt.tmp-Keep12" "$S/$rb/7.changeset.tmp-Other1"
run ka sync
expect_rc 0 "H: A syncs"
[ ! -e "$S/$ra/9.changeset.tmp-AbC123" ] || fail "H: an old temporary changeset left"
[ ! -e "$S/$ra/state.tmp-XyZ789" ] || fail "H: an old temporary state left"
[ -e "$S/$ra/10.changeset.tmp-Fresh1" ] || fail "H: a fresh temporary file removed"
[ -e "$S/$ra/notes.txt.tmp-Keep12" ] || fail "H: a file not kith's removed"
[ -e "$S/$rb/7.changeset.tmp-Other1" ] || fail "H: another replica's file removed"
rm -f "$S/$ra/10.changeset.tmp-Fresh1" "$S/$ra/notes.txt.tmp-Keep12" "$S/$rb/7.changeset.tmp-Other1"

finish
