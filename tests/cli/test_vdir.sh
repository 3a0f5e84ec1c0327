#!/bin/sh
# kith vdir, kith import vdir, kith export vdir [--calendar]: a folder of one
# vCard per contact kept in step both ways, khard reading and editing it,
# and a calendar folder of reminders, birthdays and the challenge.
. "$KITH_TESTLIB"

D="$T/book"
# The files of a folder with inode and mtime: equal listings mean no file
# was written.
snap() { find "$1" -type f -printf '%f %i %T@\n' | sort; }
file_of() { grep -l "^FN:$2" "$1"/*.vcf | head -n 1; }

k add "Ana Ruiz" --company Acme --title VP --email ana@acme.example --birthday 1980-03-15 \
    --tag mentor >/dev/null || fail "add Ana"
k add "Ben Okafor" --company Globex --phone "+1 555 0101" >/dev/null || fail "add Ben"
k add "Chen Wei" --email chen@wei.example --note "two
lines" >/dev/null || fail "add Chen"
k add "Old Friend" >/dev/null && k edit "Old Friend" --archive >/dev/null || fail "archive"

# Export: one UID.vcf per live contact, vCard 3.0.
run k export vdir "$D"
expect_rc 0 "export vdir"
expect_out "export: wrote 3, removed 0, unchanged 0, left alone 0"
[ "$(ls "$D" | wc -l)" = 3 ] || fail "three files: $(ls "$D")"
A=$(file_of "$D" "Ana Ruiz")
uid=$(sed -n 's/^UID:urn:uuid:\(.*\)\r$/\1/p' "$A")
[ "$A" = "$D/$uid.vcf" ] || fail "the file is named by the UID: $A, $uid"
grep -q "^VERSION:3.0" "$A" || fail "3.0 by default"
[ "$(stat -c %a "$A")" = 600 ] || fail "a new file is private"
ls -a "$D" | grep -q tmp && fail "a temporary file was left"

run k export vdir --version 4.0 "$T/book4"
expect_rc 0 "export vdir 4.0"
grep -q "^VERSION:4.0" "$T/book4"/*.vcf || fail "4.0 on request"

# Again, nothing changed: no file is written.
before=$(snap "$D")
run k export vdir "$D"
expect_out "export: wrote 0, removed 0, unchanged 3, left alone 0"
[ "$(snap "$D")" = "$before" ] || fail "a second export wrote files"

# One contact changed in kith: only its file is written.
k edit "Ben Okafor" --company Hooli >/dev/null || fail "edit Ben"
B=$(file_of "$D" "Ben Okafor")
run k export vdir "$D"
expect_out "export: wrote 1, removed 0, unchanged 2, left alone 0"
grep -q "^ORG:Hooli" "$B" || fail "Ben's file has the new company"
[ "$(snap "$D" | grep -v "$(basename "$B")")" = "$(echo "$before" | grep -v "$(basename "$B")")" ] ||
    fail "files of unchanged contacts were written"

# The folder changes Ana's company and adds a phone; kith changes her title
# and Chen's note. The export alone leaves the changed file alone.
sed -i 's/^ORG:Acme/ORG:Initech/; s/^END:VCARD/TEL;TYPE=cell:+1 555 0100\r\nEND:VCARD/' "$A"
k edit "Ana Ruiz" --title "VP Engineering" >/dev/null || fail "edit Ana"
run k export vdir "$D"
expect_out "left alone 1"
expect_err "changed in the folder since kith wrote it"
grep -q "^ORG:Initech" "$A" || fail "the export overwrote a file the folder changed"
run k vdir "$D"
expect_rc 0 "vdir"
expect_out "import: added 0, updated 1, archived 0, unchanged 2, skipped 0, conflicts 0"
expect_out "export: wrote 1"
run k show "Ana Ruiz"
expect_out "Initech"
expect_out "VP Engineering"
expect_out "+1 555 0100"
grep -q "^TITLE:VP Engineering" "$A" || fail "kith's title went to the file"
grep -q "^ORG:Initech" "$A" || fail "the file keeps its company"

# Both sides change the same field: kith's value stays, the conflict is
# reported and listed by --json.
sed -i 's/^TITLE:VP Engineering/TITLE:CTO/' "$A"
k edit "Ana Ruiz" --title "Head of Platform" >/dev/null || fail "edit Ana again"
run k vdir "$D"
expect_out "conflicts 1"
expect_out 'conflict: Ana Ruiz, title: kept kith'"'"'s "Head of Platform", not the file'"'"'s "CTO"'
run k show "Ana Ruiz"
expect_out "Head of Platform"
grep -q "^TITLE:Head of Platform" "$A" || fail "the file gets kith's value after a conflict"
sed -i 's/^ORG:Initech/ORG:Umbrella/' "$A"
k edit "Ana Ruiz" --company Stark >/dev/null || fail "edit Ana's company"
run k import vdir "$D" --json
expect_rc 0 "import vdir --json"
expect_out '"import":{"added":0,"updated":0,"archived":0,"unchanged":2,"skipped":0,"conflicts":1}'
expect_out '"field":"company","kept":"Stark","other":"Umbrella","file":"'"$A"'","rule":"kith'"'"'s value kept"'
run k export vdir "$D"
expect_out "export: wrote 1, removed 0, unchanged 2, left alone 0"
grep -q "^ORG:Stark" "$A" || fail "kith's company after the conflict"

# A new file adds a contact; kith keeps its UID and does not rewrite it.
cat >"$D/phone-1.vcf" <<'EOF'
BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.0//EN
N:Kim;Dana;;;
FN:Dana Kim
ORG:Hooli;
item1.EMAIL;type=INTERNET;type=pref:dana@hooli.example
item1.X-ABLabel:_$!<Other>!$_
TEL;type=CELL;type=VOICE;type=pref:+1 555 0199
UID:7C1D6E2A-1111-4A4A-9B9B-ABCDEF012345
END:VCARD
EOF
printf 'not a card\n' >"$D/junk.vcf"
printf 'ignored\n' >"$D/notes.txt"
before=$(snap "$D")
run k vdir "$D"
expect_out "import: added 1, updated 0, archived 0, unchanged 3, skipped 1"
expect_out "export: wrote 0, removed 0, unchanged 4, left alone 0"
expect_err "junk.vcf: "
[ "$(snap "$D")" = "$before" ] || fail "a new file kith read was rewritten"
run k show "Dana Kim"
expect_out "dana@hooli.example"
run k vdir "$D"
expect_out "import: added 0, updated 0, archived 0, unchanged 4"

# khard reads the folder, and what khard changes comes back.
if command -v khard >/dev/null 2>&1; then
    khard_conf "$T/khard.conf" "$D"
    rm -f "$D/junk.vcf"
    run khard -c "$T/khard.conf" list
    expect_rc 0 "khard list"
    expect_out "Ana Ruiz"
    expect_out "Dana Kim"
    run khard -c "$T/khard.conf" email
    expect_out "chen@wei.example"
    khard -c "$T/khard.conf" show --format yaml "Chen Wei" </dev/null >"$T/chen.yaml" ||
        fail "khard show yaml"
    sed -i 's/^Organisation *:.*$/Organisation : Initech/' "$T/chen.yaml"
    printf 'y\n' | khard -c "$T/khard.conf" edit -i "$T/chen.yaml" "Chen Wei" >/dev/null 2>&1 ||
        fail "khard edit"
    printf 'First name : Eve\nLast name : Stone\nEmail :\n    work : eve@stone.example\n' |
        khard -c "$T/khard.conf" new -a kith >/dev/null 2>&1 || fail "khard new"
    run k vdir "$D"
    expect_rc 0 "vdir after khard"
    expect_out "import: added 1, updated 1, archived 0"
    run k show "Chen Wei"
    expect_out "Initech"
    expect_out "lines"
    run k show "Eve Stone"
    expect_out "eve@stone.example"
else
    echo "skip: khard is not installed"
fi

# A removed file archives its contact (never deletes it), and the export
# does not bring the file back.
rm "$B"
run k vdir "$D"
expect_out "archived 1"
[ -e "$B" ] && fail "the export wrote the removed file again"
run k list --all
expect_out "Ben Okafor"
run k show "Ben Okafor"
expect_rc 0 "Ben is still there"

# A contact deleted in kith: its file goes.
C=$(file_of "$D" "Chen Wei")
k rm "Chen Wei" --yes >/dev/null || fail "rm Chen"
run k export vdir "$D"
expect_out "removed 1"
[ -e "$C" ] && fail "the deleted contact's file is still there"

# Errors: no folder to import creates no journal; a file is not a folder.
run "$KITH" --db "$T/none.db" import vdir "$T/missing"
expect_rc 1 "import a missing folder"
expect_err "does not exist"
[ -e "$T/none.db" ] && fail "a failed import created a journal"
: >"$T/afile"
run k export vdir "$T/afile"
expect_rc 1 "export to a file"
expect_err "is not a folder"
run k vdir
expect_rc 2 "vdir without a folder"
run k import vdir "$D" --version 4.0
expect_rc 2 "import --version"

# The calendar folder.
CAL="$T/cal"
k add "Dana Referrer" --birthday 11-30 >/dev/null || fail "add Dana"
k refer --by "Dana Referrer" --to-text "a job at Globex" --on 2026-11-01 >/dev/null || fail "refer"
k challenge start --on 2026-11-20 >/dev/null || fail "challenge"
run k export vdir --calendar "$CAL"
expect_rc 0 "export calendar"
expect_out "calendar: wrote"
rid=$(k today --json | sed -n 's/.*"id":"\([0-9a-f]*\)","rule":"thank-referrer".*/\1/p' | head -n 1)
[ -n "$rid" ] || fail "a thank-the-referrer reminder is due"
todo=$(grep -l "^SUMMARY:Thank Dana Referrer" "$CAL"/reminder-*.ics)
[ -n "$todo" ] || fail "the reminder is a VTODO file"
grep -q "^BEGIN:VTODO" "$todo" || fail "VTODO"
grep -q "^DUE;VALUE=DATE:" "$todo" || fail "due date"
grep -q "^PRIORITY:1" "$todo" || fail "high priority"
grep -q "^STATUS:NEEDS-ACTION" "$todo" || fail "needs action"
grep -q METHOD "$todo" && fail "no METHOD in a calendar object"
bd=$(grep -l "^SUMMARY:Birthday: Ana Ruiz" "$CAL"/birthday-*.ics)
grep -q "^RRULE:FREQ=YEARLY" "$bd" || fail "birthdays repeat yearly"
grep -q "^DTSTART;VALUE=DATE:19800315" "$bd" || fail "from the year of birth"
ch=$(ls "$CAL"/challenge-*-20261122.ics)
grep -q "^SUMMARY:Networking challenge.*day 3 of 30" "$ch" || fail "today's challenge act"
grep -l "daily" "$CAL"/reminder-*.ics && fail "the challenge's reminder is today's act, once"
before=$(snap "$CAL")
run k export vdir --calendar "$CAL"
expect_out "calendar: wrote 0, removed 0"
[ "$(snap "$CAL")" = "$before" ] || fail "a second calendar export wrote files"
# Done in kith: completed there.
k remind done "$rid" >/dev/null || fail "remind done"
k tick >/dev/null || fail "tick"
run k export vdir --calendar "$CAL"
expect_out "calendar: wrote 2"
grep -q "^STATUS:COMPLETED" "$todo" || fail "a reminder done in kith is completed"
grep -q "^STATUS:COMPLETED" "$ch" || fail "a ticked day is completed"
# Completed on the phone: done in kith on the next run.
k refer --by "Ana Ruiz" --to-text "a customer" --on 2026-11-02 >/dev/null || fail "refer 2"
run k export vdir --calendar "$CAL"
todo2=$(grep -l "^SUMMARY:Thank Ana Ruiz" "$CAL"/reminder-*.ics)
[ -n "$todo2" ] || fail "the second reminder is there"
sed -i 's/^STATUS:NEEDS-ACTION\r$/STATUS:COMPLETED\r/' "$todo2"
done_elsewhere k "Ana Ruiz" "$CAL" "completed on the phone but still due in kith"
# export ics has the reminders too, with the same UIDs.
k refer --by "Dana Referrer" --to-text "a board seat" --on 2026-11-03 >/dev/null || fail "refer 3"
run k export ics
expect_out "SUMMARY:Thank Dana Referrer for the intro to a board seat"
u=$(printf '%s\n' "$OUT" | tr -d '\r' | grep -B1 -A5 "^UID:reminder-" | sed -n 's/^UID://p' | head -n 1)
[ -n "$u" ] || fail "export ics has a reminder UID"
run k export vdir --calendar "$CAL"
grep -q "^UID:$u" "$CAL"/reminder-*.ics || fail "export ics and the calendar folder share the UID $u"

finish
