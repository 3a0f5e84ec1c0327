#!/bin/sh
# kith import vcard / export vcard: tolerant by default (every readable card
# in, every other one reported and skipped), --strict, --json, --rejects,
# --dry-run, identity by UID, the round trip, and every error path.
. "$KITH_TESTLIB"
FX="$KITH_SOURCE_DIR/tests/fixtures/vcard"
Q="$FX/quirks"

# Everything 'kith export json' shows: the whole journal.
state() { "$KITH" --db "$1" export json 2>&1; }

# Files that hold no vCard are refused whole and create no journal.
for f in "$FX"/bad/*; do
    run k import vcard "$f"
    expect_rc 1 "not a vCard: $(basename "$f")"
    expect_err "$(basename "$f"):" "message of $(basename "$f")"
    expect_err "no vCard in the file" "message of $(basename "$f")"
done
# A file whose only card is skipped writes nothing, so it creates nothing
# either, from a file or from standard input.
run k import vcard "$Q/version5.vcf" --dry-run
expect_rc 0 "dry run into no journal"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Cut\n' >"$T/cut.vcf"
run k import vcard "$T/cut.vcf"
expect_rc 0 "a file of one broken card was read"
expect_err "cut.vcf:1: this card has no END:VCARD: the file ends at line 3 (truncated?)"
expect_out "added 0, merged 0, skipped 1, empty 0"
run sh -c '"$KITH" --db "$2" import vcard - <"$1"' sh "$T/cut.vcf" "$DB"
expect_rc 0 "the same from standard input"
expect_err "stdin:1: this card has no END:VCARD"
for f in "$DB" "$DB-wal" "$DB-shm"; do
    [ ! -e "$f" ] || fail "an import that wrote nothing left $f behind"
done

# The versions and the old fixtures.
for f in v21 v30 v40 bom_crlf google; do
    run k import vcard "$FX/$f.vcf"
    expect_rc 0 "import $f"
done
# The first import went into a new journal (its indexes built after the
# cards): the file, the summary and the search index are sound, and every
# index holds what its table does.
run k check
expect_rc 0 "check after importing into a new journal"
expect_out "file: sound"
expect_out "summary: exact for"
[ "$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$DB")" = ok ] ||
    fail "an index differs from its table after the import"
run k list --search Geschäftsführer
expect_out "Jürgen Müller" "search after importing into a new journal"
run k show "Jürgen Müller" --json
expect_json '"title":"Geschäftsführer"' "QUOTED-PRINTABLE and CHARSET"
expect_json '"n":{"family":"Müller","given":"Jürgen","additional":null,"prefix":"Dr.","suffix":null}' "N in parts"
run k show "Ana Ruiz" --json
expect_json '"emails":["ana@acme.example","ana.ruiz@home.example"]' "grouped EMAIL"
expect_json '"birthday":"03-15"' "year-less BDAY"
expect_json '"tags":["Alumni","mentor","SMG Conference"]' "CATEGORIES keep their case"
expect_json '{"type":"email","value":"ana@acme.example","label":"work","property":null,"valid":true}' "X-ABLabel"
expect_json '"vcard":["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ' "PHOTO kept"

# Tolerant: a file with good and bad cards, each problem on stderr as
# FILE:LINE, all of them, then one summary line (goldens, run from the
# test's directory into a journal of their own so that names are short).
cat "$Q/broken_line.vcf" "$Q/no_name.vcf" "$Q/kept_values.vcf" "$Q/truncated.vcf" >"$T/mixed.vcf"
cp "$Q/cp1252.vcf" "$Q/agent21.vcf" "$T/"
cd "$T" || exit 1
golden import_vcard_mixed "$KITH" --db g.db import vcard mixed.vcf
golden import_vcard_notes "$KITH" --db g.db import vcard cp1252.vcf
golden import_vcard_agent "$KITH" --db g.db import vcard agent21.vcf
cd - >/dev/null || exit 1
run "$KITH" --db "$T/g.db" show "Jürgen Müller" --json
expect_json '"note":"Café € 5 – Straße"' "windows-1252 without CHARSET"

# --strict: all or nothing, every problem still reported.
sum=$(journal_sum)
run k import vcard "$T/mixed.vcf" --strict
expect_rc 1 "--strict with bad cards"
expect_err "mixed.vcf:4: not a vCard line (want NAME:value)"
expect_err "mixed.vcf:37: this card has no END:VCARD"
expect_err "kith: $T/mixed.vcf:4: not a vCard line (want NAME:value) (--strict: 4 problems; nothing was imported)"
expect_sum "$sum" "--strict imported nothing"
# Notes (a character set read as windows-1252) do not fail --strict.
run k import vcard "$Q/cp1252.vcf" --strict --dry-run
expect_rc 0 "--strict with a note only"

# --json: the summary and every problem as one object.
run k import vcard "$T/mixed.vcf" --json --dry-run
expect_rc 0 "--json"
expect_json_valid "--json"
expect_json '"dry_run":true,"added":6,"merged":0,"unchanged":0,"skipped":3,"empty":0,"warnings":1,"notes":2'
expect_json '{"line":4,"level":"skipped","message":"not a vCard line (want NAME:value)"}'
expect_json '{"line":31,"level":"warning","message":"tag '"'"'bad\\x01tag'"'"' has control characters; left out"}'
expect_json '"rejects":null'
[ -z "$ERR" ] || fail "--json wrote to stderr: $ERR"
expect_sum "$sum" "--json --dry-run wrote nothing"

# --rejects: the skipped cards as they were, to fix and import again.
run k import vcard "$T/mixed.vcf" --rejects "$T/rejects.vcf"
expect_rc 0 "--rejects"
expect_out "added 6, merged 0, skipped 3, empty 0"
expect_out "the 3 skipped cards are in $T/rejects.vcf"
# Exactly the three cards, byte for byte.
{ sed -n 1,5p "$Q/broken_line.vcf"; sed -n 14,16p "$Q/no_name.vcf"; sed -n 5,8p "$Q/truncated.vcf"; } >"$T/want.vcf"
CHECKS=$((CHECKS + 1))
cmp -s "$T/rejects.vcf" "$T/want.vcf" || fail "rejects differ: $(diff "$T/want.vcf" "$T/rejects.vcf")"
# Fixed by hand: the broken line gone, the empty card named, the cut one
# ended. Imported again, all three go in.
{ sed -n 1,3p "$Q/broken_line.vcf"; sed -n 5p "$Q/broken_line.vcf"; sed -n 14,15p "$Q/no_name.vcf"
  printf 'FN:Was Empty\r\n'; sed -n 16p "$Q/no_name.vcf"; sed -n 5,8p "$Q/truncated.vcf"
  printf 'END:VCARD\r\n'; } >"$T/fixed.vcf"
run k import vcard "$T/fixed.vcf"
expect_rc 0 "the fixed rejects"
expect_out "added 3, merged 0, skipped 0, empty 0"
# Nothing skipped: no rejects file is written.
run k import vcard "$FX/v30.vcf" --rejects "$T/none.vcf"
expect_rc 0 "--rejects without rejects"
[ ! -e "$T/none.vcf" ] || fail "a rejects file without rejects"
# A dry run writes no rejects either.
run k import vcard "$T/mixed.vcf" --rejects "$T/dry.vcf" --dry-run
expect_rc 0 "--rejects --dry-run"
[ ! -e "$T/dry.vcf" ] || fail "--dry-run wrote the rejects"
# Never over the journal, its side files, the input, or what is not a
# regular file.
mkfifo "$T/fifo" 2>/dev/null || :
mkdir -p "$T/adir"
ln "$DB" "$T/hardlink.db"
cp "$T/mixed.vcf" "$T/mixed.orig"
sum=$(journal_sum)
for target in "$DB" "$DB-wal" "$DB-shm" "$T/hardlink.db" "$T/mixed.vcf" "$T/adir" "$T/fifo" /dev/null "$T/nodir/x.vcf"; do
    run k import vcard "$T/mixed.vcf" --rejects "$target"
    expect_rc 2 "--rejects $target"
    expect_err "--rejects" "--rejects $target"
    expect_sum "$sum" "--rejects $target"
done
cmp -s "$T/mixed.vcf" "$T/mixed.orig" || fail "the imported file changed"

# Identity: a file imported again adds nothing and changes nothing.
run k import vcard "$Q/same_uid.vcf"
expect_out "added 1, merged 1, skipped 0, empty 0"
before=$(state "$DB")
run k import vcard "$Q/same_uid.vcf" --verbose
expect_out "merged Uma Twice (nothing new)"
expect_out "added 0, merged 2, skipped 0, empty 0"
[ "$(state "$DB")" = "$before" ] || fail "importing the same file again changed the journal"
# Three people who share an office phone are three contacts, and stay
# three through an export and an import.
run k import vcard "$Q/shared_phone.vcf"
expect_out "added 3, merged 0"
run k list --search desk
expect_out "Desk One"
expect_out "Desk Three"

# Merging by email: a different name becomes a nickname; nothing is
# overwritten.
cat >"$T/merge.vcf" <<'VCF'
BEGIN:VCARD
VERSION:3.0
FN:Ana R.
TITLE:Intern
EMAIL:ana@acme.example
TEL:+1 555 000 1111
CATEGORIES:speaker
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Zed Adams
EMAIL:zed@example.com
END:VCARD
VCF
sum=$(journal_sum)
run k import vcard "$T/merge.vcf" --dry-run
expect_rc 0 "dry run"
expect_out "would merge Ana R. into Ana Ruiz"
expect_out "would add Zed Adams"
expect_out "dry run: added 1, merged 1, skipped 0, empty 0; nothing was written"
expect_sum "$sum" "--dry-run wrote nothing"
"$KITH" --db "$DB" import vcard - <"$T/merge.vcf" >"$T/out" 2>&1 || fail "import from stdin"
grep -q "added 1, merged 1, skipped 0, empty 0" "$T/out" || fail "stdin import: $(cat "$T/out")"
run k show "Ana Ruiz" --json
expect_json '"title":"VP Engineering"' "merge keeps the title"
expect_json '"tags":["Alumni","mentor","SMG Conference","speaker"]' "merge adds tags"
expect_json '"phones":["+1 (555) 010-2030","+1 555 000 1111"]' "merge adds phones"
expect_json '"nicknames":["Ana R."]' "a merge never drops a name"

# What show prints of it all (a golden).
for f in apple gmail outlook21 phones emails; do
    k import vcard "$Q/$f.vcf" >/dev/null 2>&1 || fail "import $f"
done
golden show_imported_apple k show "Jo Lee"
golden show_imported_outlook k show "Dr. Robin Q. Hale PhD"
golden show_imported_gmail k show "Gil Grissom"
golden show_imported_phones k show "Dial Tester"
golden show_imported_emails k show "Mail Person"

# Text from the file never reaches the terminal raw, in a problem either.
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Esc\nCATEGORIES:ok,bad\033[31mred\nEMAIL:\033[2Jx@y\nEND:VCARD\n' >"$T/esc.vcf"
run k import vcard "$T/esc.vcf"
expect_rc 0 "control characters in a card"
expect_no_raw_esc "problems are escaped"
expect_err 'bad\e[31mred'

# Usage errors, each changing nothing.
sum=$(journal_sum)
refused_cases \
    "2|which file?|import vcard" \
    "2|one file at a time|import vcard a.vcf b.vcf" \
    "1|cannot read|import vcard $T/nope.vcf" \
    "2|--map goes with 'kith import csv'|import vcard $T/merge.vcf --map a=name" \
    "2|--date-order goes with 'kith import csv'|import vcard $T/merge.vcf --date-order dmy" \
    "2|--rejects needs a value|import vcard $T/merge.vcf --rejects" \
    "2|--rejects needs a file name|import vcard $T/merge.vcf --rejects ''" \
    "2|unknown format 'pdf'|import pdf x" \
    "2|import json takes no options|import json x.json --strict" \
    "2|--version is 3.0 or 4.0|export vcard --version 2.1"
run k import --help
expect_rc 0 "import --help"
expect_out "usage: kith import vcard"
expect_out "--rejects F"

# Round trip: export, import into a new journal, as many contacts and the
# same of each.
total=$(k list --all | tail -n +2 | wc -l)
for v in 3.0 4.0; do
    run k export vcard --version "$v" -o "$T/out-$v.vcf"
    expect_rc 0 "export $v"
    rm -f "$T/rt.db"
    run "$KITH" --db "$T/rt.db" import vcard "$T/out-$v.vcf" --strict
    expect_rc 0 "re-import $v"
    expect_out "added $total, merged 0, skipped 0, empty 0"
    "$KITH" --db "$DB" export csv >"$T/a.csv"
    "$KITH" --db "$T/rt.db" export csv >"$T/b.csv"
    cmp -s "$T/a.csv" "$T/b.csv" || fail "vCard $v round trip differs: $(diff "$T/a.csv" "$T/b.csv")"
    "$KITH" --db "$T/rt.db" export vcard --version "$v" -o "$T/again-$v.vcf"
    cmp -s "$T/out-$v.vcf" "$T/again-$v.vcf" || fail "vCard $v export, import, export differs"
done
head -c 2 "$T/out-4.0.vcf" | grep -q BE || fail "export starts with BEGIN"
grep -q "VERSION:4.0" "$T/out-4.0.vcf" || fail "4.0 export"
grep -q "^PHOTO;ENCODING=b;TYPE=JPEG:" "$T/out-3.0.vcf" || fail "PHOTO written back"
# Lines end with CRLF and are folded at 75 octets.
awk '{ sub(/\r$/, ""); if (length($0) > 75) bad = 1 } END { exit bad }' "$T/out-3.0.vcf" || fail "a line over 75 octets"
[ "$(grep -c "$(printf '\r')\$" "$T/out-3.0.vcf")" = "$(wc -l <"$T/out-3.0.vcf")" ] || fail "a line without CRLF"

finish
