#!/bin/sh
# kith import vcard / export vcard: each version and quirk, merging, dry
# run, the round trip, and every error leaving the journal as it was.
. "$KITH_TESTLIB"
FX="$KITH_SOURCE_DIR/tests/fixtures/vcard"

# Everything 'kith export json' shows: the whole journal.
state() { "$KITH" --db "$1" export json 2>&1; }

# A bad file before any journal exists creates none.
run k import vcard "$FX/bad/truncated.vcf"
expect_rc 1 "truncated card"
expect_err "truncated.vcf:4: the file ends inside the card begun at line 1"
[ ! -e "$DB" ] || fail "a failed import created a journal"
# Nor does one that fails after good cards were written (the journal is
# created, the import rolled back, and the file removed), from a file or
# standard input, nor a bad CSV or --map.
cat "$FX/google.vcf" "$FX/bad/noname.vcf" >"$T/half0.vcf"
run k import vcard "$T/half0.vcf"
expect_rc 1 "half-good file into a new journal"
expect_err "half0.vcf:18: this contact has no name"
run sh -c '"$KITH" --db "$DB" import vcard - <"$1"' sh "$T/half0.vcf"
expect_rc 1 "half-good standard input into a new journal"
printf 'name,email\nAna,ana@example.com\n' >"$T/new.csv"
run k import csv "$T/new.csv" --map 'nope=name'
expect_rc 2 "bad --map into a new journal"
for f in "$DB" "$DB-wal" "$DB-shm"; do
    [ ! -e "$f" ] || fail "a failed import left $f behind"
done

run k import vcard "$FX/v21.vcf"
expect_rc 0 "import 2.1"
expect_out "imported 2 contacts: 2 added, 0 merged"
run k import vcard "$FX/v30.vcf"
expect_rc 0 "import 3.0"
run k import vcard "$FX/v40.vcf"
expect_rc 0 "import 4.0"
run k import vcard "$FX/bom_crlf.vcf"
expect_rc 0 "import BOM and CRLF"
run k show "Jürgen Müller" --json
expect_json '"title":"Geschäftsführer"' "QUOTED-PRINTABLE and CHARSET"
run k show "Ana Ruiz" --json
expect_json '"emails":["ana@acme.example","ana.ruiz@home.example"]' "grouped EMAIL"
expect_json '"birthday":"03-15"' "year-less BDAY"
expect_json '"tags":["alumni","mentor","smg-conference"]' "CATEGORIES"

# Merging: Eve is new; Ana matches by email and gains a tag; nothing of hers
# is overwritten.
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
FN:Eve Adams
EMAIL:eve@example.com
END:VCARD
VCF
run k import vcard "$T/merge.vcf" --dry-run
expect_rc 0 "dry run"
expect_out "would merge Ana R. into Ana Ruiz"
expect_out "would add Eve Adams"
expect_out "dry run: 1 would be added, 1 merged; nothing was written"
run k show "Eve" --json
expect_rc 1 "dry run wrote nothing"
"$KITH" --db "$DB" import vcard - <"$T/merge.vcf" >"$T/out" 2>&1 || fail "import from stdin"
grep -q "imported 2 contacts: 1 added, 1 merged" "$T/out" || fail "stdin import: $(cat "$T/out")"
"$KITH" --db "$DB" import vcard - <"$T/merge.vcf" >"$T/out" 2>&1 || fail "import from stdin again"
grep -q "imported 2 contacts: 0 added, 2 merged" "$T/out" || fail "again merges: $(cat "$T/out")"
run k show "Ana Ruiz" --json
expect_json '"title":"VP Engineering"' "merge keeps the title"
expect_json '"tags":["alumni","mentor","smg-conference","speaker"]' "merge adds tags"
expect_json '"phones":["+1 (555) 010-2030","+1 555 000 1111"]' "merge adds phones"

# Every bad file fails with FILE:LINE and changes nothing.
before=$(state "$DB")
for f in "$FX"/bad/*; do
    run k import vcard "$f"
    expect_rc 1 "bad file $(basename "$f")"
    expect_err "$(basename "$f"):" "message of $(basename "$f")"
    [ "$(state "$DB")" = "$before" ] || fail "$(basename "$f") changed the journal"
done
# A 1 MB line.
{ printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Big\nNOTE:'; head -c 1100000 /dev/zero | tr '\0' x; printf '\nEND:VCARD\n'; } >"$T/long.vcf"
run k import vcard "$T/long.vcf"
expect_rc 1 "1 MB line"
expect_err "long.vcf:4: a line longer than 1048576 bytes"
# A good card followed by a bad one imports neither.
cat "$FX/google.vcf" "$FX/bad/noname.vcf" >"$T/half.vcf"
run k import vcard "$T/half.vcf"
expect_rc 1 "half-good file"
expect_err "half.vcf:18: this contact has no name"
[ "$(state "$DB")" = "$before" ] || fail "a half-good file changed the journal"

# Usage errors.
run k import vcard
expect_rc 2 "no file"
run k import vcard "$T/nope.vcf"
expect_rc 1 "missing file"
expect_err "cannot read"
run k import vcard "$T/merge.vcf" --map a=name
expect_rc 2 "--map with vcard"
run k import pdf x
expect_rc 2 "unknown format"
run k export vcard --version 2.1
expect_rc 2 "export 2.1"
run k import --help
expect_rc 0 "import --help"
expect_out "usage: kith import vcard"
run k export --help
expect_rc 0 "export --help"

# Round trip: export, import into a new journal, same contacts.
for v in 3.0 4.0; do
    run k export vcard --version "$v" -o "$T/out-$v.vcf"
    expect_rc 0 "export $v"
    rm -f "$T/rt.db"
    run "$KITH" --db "$T/rt.db" import vcard "$T/out-$v.vcf"
    expect_rc 0 "re-import $v"
    "$KITH" --db "$DB" export csv >"$T/a.csv"
    "$KITH" --db "$T/rt.db" export csv >"$T/b.csv"
    cmp -s "$T/a.csv" "$T/b.csv" || fail "vCard $v round trip differs: $(diff "$T/a.csv" "$T/b.csv")"
done
head -c 2 "$T/out-4.0.vcf" | grep -q BE || fail "export starts with BEGIN"
grep -q "VERSION:4.0" "$T/out-4.0.vcf" || fail "4.0 export"
# Lines end with CRLF and are folded at 75 octets.
awk '{ sub(/\r$/, ""); if (length($0) > 75) bad = 1 } END { exit bad }' "$T/out-3.0.vcf" || fail "a line over 75 octets"
[ "$(grep -c "$(printf '\r')\$" "$T/out-3.0.vcf")" = "$(wc -l <"$T/out-3.0.vcf")" ] || fail "a line without CRLF"

finish
