#!/bin/sh
# kith import csv / export csv: Google, LinkedIn, Outlook, Thunderbird,
# Excel's separators and windows-1252, kith's own columns, --map,
# --date-order, empty rows, skipped rows and --rejects, the round trip, and
# every error path.
. "$KITH_TESTLIB"
FX="$KITH_SOURCE_DIR/tests/fixtures/csv"
Q="$FX/quirks"
state() { "$KITH" --db "$DB" export json 2>&1; }

run k import csv "$FX/google.csv"
expect_rc 0 "Google CSV"
expect_out "added 2, merged 0, skipped 0, empty 0"
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

# LinkedIn as exported today: the Notes: paragraph, and hidden
# connections (a date and nothing else) counted as empty, not errors.
run k import csv "$Q/linkedin.csv"
expect_rc 0 "LinkedIn with hidden connections"
expect_out "added 2, merged 0, skipped 0, empty 2"
[ -z "$ERR" ] || fail "empty rows reported: $ERR"
# The same file again: the profiles are the people; nothing added.
run k import csv "$Q/linkedin.csv"
expect_out "added 0, merged 2, skipped 0, empty 2"

# Outlook, Thunderbird and today's Google layout.
for f in outlook thunderbird google; do
    run k import csv "$Q/$f.csv"
    expect_rc 0 "$f.csv"
    expect_no_err "warning" "$f.csv"
done
golden show_csv_outlook k show "Robin Q. Hale"
golden show_csv_thunderbird k show "Tessa Vogel"
golden show_csv_google k show "Hana Sato"

# Separators and encodings as spreadsheets save them.
run k import csv "$Q/excel_de.csv"
expect_rc 0 "semicolons, windows-1252"
expect_err "excel_de.csv:1: note: the file is not UTF-8; read as windows-1252"
run k show "Renée Dubois" --json
expect_json '"company":"Café Noir"'
run k import csv "$Q/excel_sep.csv"
expect_out "added 1"
run k import csv "$Q/tabs.csv"
expect_out "added 1"

# Dates as services write them; an ambiguous one follows --date-order and
# is reported; one that is no date is left out with a warning.
cd "$Q" || exit 1
golden import_csv_dates "$KITH" --db "$T/dates.db" import csv dates.csv --dry-run --verbose
cd - >/dev/null || exit 1
run k import csv "$Q/dates.csv" --date-order dmy
expect_err "birthday 03/04/1990 could be day-month or month-day; read as 1990-04-03"
run k show "Date Ambiguous" --json
expect_json '"birthday":"1990-04-03"'

# Rows kith cannot read are skipped and reported, all of them; the rest
# go in; --rejects gets the skipped rows under the header.
run k import csv "$Q/bad_rows.csv" --rejects "$T/rejects.csv"
expect_rc 0 "bad rows"
expect_err "bad_rows.csv:3: 3 fields where the header has 2"
expect_err "bad_rows.csv:5: a quoted field begins here and never ends"
expect_out "added 2, merged 1, skipped 2, empty 0" "Eve is Eve Adams by her email"
expect_out "the 2 skipped rows are in $T/rejects.csv"
printf 'name,email\r\nBob,bob@example.com,extra\r\nDee,"dee@example.com\r\n' >"$T/want.csv"
cmp -s "$T/rejects.csv" "$T/want.csv" || fail "rejects: $(cat "$T/rejects.csv")"
printf 'name,email\r\nBob,bob@example.com\r\nDee,dee@example.com\r\n' >"$T/fixed.csv"
run k import csv "$T/fixed.csv"
expect_out "added 2, merged 0, skipped 0, empty 0"
run k import csv "$Q/nul_row.csv" --json
expect_rc 0 "a NUL in a row"
expect_json_valid
expect_json '{"line":3,"level":"skipped","message":"binary data (a NUL byte) in this row"}'
run k import csv "$Q/after_quote.csv"
expect_rc 0 "text after a closing quote"

# --map names columns kith does not know.
run k import csv "$FX/custom.csv"
expect_rc 1 "columns without --map"
expect_err "custom.csv:1: no name column in the header"
run k import csv "$FX/custom.csv" --map 'Person=name,Mail=email,Employer=company,Remarks=note'
expect_rc 0 "--map"
run k show "Gil Grissom" --json
expect_json '"company":"LVPD"' "--map company"

# A LinkedIn row for someone known by name alone: a possible duplicate
# ('kith dupes'), not a merge.
printf 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nGil,Grissom,https://x.example/gil,,,,01 Feb 2020\n' >"$T/li.csv"
run k import csv "$T/li.csv" --dry-run
expect_out "would add Gil Grissom"
expect_out "dry run: added 1, merged 0, skipped 0, empty 0; nothing was written"

# Files that are not tables, bad maps and options: refused, nothing changed.
before=$(state)
for f in "$FX"/bad/*; do
    run k import csv "$f"
    expect_rc 1 "bad file $(basename "$f")"
    expect_err "$(basename "$f"):" "message of $(basename "$f")"
    [ "$(state)" = "$before" ] || fail "$(basename "$f") changed the journal"
done
sum=$(journal_sum)
refused_cases \
    "2|custom.csv has no column 'Nobody'|import csv $FX/custom.csv --map Nobody=name" \
    "2|--map: unknown field 'nom'|import csv $FX/custom.csv --map Person=nom" \
    "2|--map: 'Person' is not Column=field|import csv $FX/custom.csv --map Person" \
    "2|--date-order is mdy or dmy|import csv $FX/google.csv --date-order ymd" \
    "2|unknown option '--version'|import csv $FX/google.csv --version 3.0" \
    "2|--rejects|import csv $FX/google.csv --rejects $DB"
# --strict: a file with a bad row imports nothing.
run k import csv "$Q/bad_rows.csv" --strict
expect_rc 1 "--strict"
expect_err "(--strict: 2 problems; nothing was imported)"
expect_sum "$sum" "--strict"

# Round trip through kith's CSV: as many contacts, the same cells.
total=$(k list --all | tail -n +2 | wc -l)
run k export csv -o "$T/all.csv"
expect_rc 0 "export csv"
head -n 1 "$T/all.csv" | grep -q '^name,company,title,emails,phones,links,location,birthday,tags,note,how_met,met_on,working_on,archived,uid' || fail "csv header"
run "$KITH" --db "$T/rt.db" import csv "$T/all.csv" --strict
expect_rc 0 "re-import csv"
expect_out "added $total, merged 0, skipped 0, empty 0"
"$KITH" --db "$T/rt.db" export csv >"$T/b.csv"
cmp -s "$T/all.csv" "$T/b.csv" || fail "CSV round trip differs: $(diff "$T/all.csv" "$T/b.csv")"
# Standard input; the second time every row is its contact already.
"$KITH" --db "$T/rt2.db" import csv - <"$T/all.csv" >"$T/out" || fail "csv from stdin"
grep -q "added $total, merged 0" "$T/out" || fail "csv from stdin adds: $(cat "$T/out")"
"$KITH" --db "$T/rt2.db" import csv - <"$T/all.csv" >"$T/out" || fail "csv from stdin again"
grep -q "added 0, merged $total" "$T/out" || fail "csv from stdin merges the second time: $(cat "$T/out")"

finish
