#!/bin/sh
# kith import csv / export csv: Google, LinkedIn, kith's own columns, --map,
# the round trip, and every error leaving the journal as it was.
. "$KITH_TESTLIB"
FX="$KITH_SOURCE_DIR/tests/fixtures/csv"
state() { "$KITH" --db "$DB" export json 2>&1; }

run k import csv "$FX/google.csv"
expect_rc 0 "Google CSV"
expect_out "imported 2 contacts: 2 added, 0 merged"
run k import csv "$FX/google_old.csv"
expect_rc 0 "Google CSV, older columns"
run k import csv "$FX/linkedin.csv" --verbose
expect_rc 0 "LinkedIn Connections.csv"
expect_out "added Dana Scully"
run k import csv "$FX/kith.csv"
expect_rc 0 "kith's own CSV"
run k show "Ben Okafor" --json
expect_json '"emails":["ben@globex.example","b.okafor@globex.example"]' "Google ::: values"
run k show "Fox Mulder" --json
expect_json '"title":"Agent, X-Files"' "quoted LinkedIn field"
expect_json '"met_on":"2021-01-02"' "Connected On"

run k import csv "$FX/custom.csv"
expect_rc 1 "columns without --map"
expect_err "custom.csv:1: no name column in the header"
run k import csv "$FX/custom.csv" --map 'Person=name,Mail=email,Employer=company,Remarks=note'
expect_rc 0 "--map"
run k show "Gil Grissom" --json
expect_json '"company":"LVPD"' "--map company"

# A LinkedIn row for someone already known by name merges.
printf 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nGil,Grissom,https://x.example/gil,,,,01 Feb 2020\n' >"$T/li.csv"
run k import csv "$T/li.csv" --dry-run
expect_out "would merge Gil Grissom"
expect_out "dry run: 0 would be added, 1 merged; nothing was written"

before=$(state)
for f in "$FX"/bad/*; do
    run k import csv "$f"
    expect_rc 1 "bad file $(basename "$f")"
    expect_err "$(basename "$f"):" "message of $(basename "$f")"
    [ "$(state)" = "$before" ] || fail "$(basename "$f") changed the journal"
done
for m in 'Nobody=name' 'Person=nom' 'Person'; do
    run k import csv "$FX/custom.csv" --map "$m"
    expect_rc 2 "bad --map $m"
    expect_err "--map"
done
[ "$(state)" = "$before" ] || fail "a bad --map changed the journal"
run k import csv "$FX/google.csv" --version 3.0
expect_rc 2 "unknown option"

# Round trip through kith's CSV.
run k export csv -o "$T/all.csv"
expect_rc 0 "export csv"
head -n 1 "$T/all.csv" | grep -q '^name,company,title,emails,phones,links,location,birthday,tags,note,how_met,met_on,working_on,archived' || fail "csv header"
run "$KITH" --db "$T/rt.db" import csv "$T/all.csv"
expect_rc 0 "re-import csv"
"$KITH" --db "$T/rt.db" export csv >"$T/b.csv"
cmp -s "$T/all.csv" "$T/b.csv" || fail "CSV round trip differs: $(diff "$T/all.csv" "$T/b.csv")"
# Standard input.
"$KITH" --db "$T/rt2.db" import csv - <"$T/all.csv" >"$T/out" || fail "csv from stdin"
grep -q "0 merged" "$T/out" || fail "csv from stdin adds: $(cat "$T/out")"
"$KITH" --db "$T/rt2.db" import csv - <"$T/all.csv" >"$T/out" || fail "csv from stdin again"
grep -q "0 added" "$T/out" || fail "csv from stdin merges the second time: $(cat "$T/out")"

finish
