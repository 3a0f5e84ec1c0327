#!/bin/sh
# How fast can any program on SQLite import the address book compare.sh
# imports? The sqlite3 shell loads the same cards, already reduced to CSV
# (no vCard parsing, no binding of our own: its '.import' steps one
# prepared statement), into the least a journal that lists and searches
# them needs, each floor taking turns with abook (A B A B ...,
# bench/alternate.py), then kith itself:
#
#   rows       one plain table (UID, name, email, phone, note), no index
#   full text  one FTS5 table (name, company, body) as contact_fts is made,
#              the body the email and the note
#   both       the table with its UID, name and email indexes, and the FTS5
#              table, in one process and one transaction each
#   kith       'kith import vcard' of the vCard file into a new journal
#
#   sh bench/import_floor.sh [CONTACTS [RUNS]]        (default 10000, 11)
#
# With CALLGRIND=1, also prints each one's instructions under valgrind (one
# run each: they do not move with the load).
#
# Needs the benchmark build (-DKITH_BENCH=ON), abook, sqlite3 and python3.
# Everything lives in a temporary directory that is also HOME.
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-11}
B=${KITH_BENCH_BUILD:-build-bench}
KITH=$PWD/$B/kith
GEN=$PWD/$B/kith-bench-gen
for p in "$KITH" "$GEN"; do
    [ -x "$p" ] || { echo "import_floor.sh: $p missing: build with -DKITH_BENCH=ON" >&2; exit 2; }
done
for p in abook sqlite3 python3; do
    command -v "$p" >/dev/null || { echo "import_floor.sh: $p is not installed" >&2; exit 2; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-floor.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.local/share"
export XDG_CACHE_HOME="$T/.cache" XDG_STATE_HOME="$T/.local/state"
export KITH_TODAY="${KITH_TODAY:-2026-11-22}"
unset KITH_DB KITH_CONFIG
mkdir -p "$HOME/.abook"

# The cards as compare.sh makes them, then as CSV: the shell's .import
# reads one record a line and binds each field as text.
"$GEN" "$T/gen.kith" "$N" 0 >/dev/null 2>&1
"$KITH" --db "$T/gen.kith" export vcard -o "$T/all.vcf"
grep -v -e '^ORG:' -e '^CATEGORIES:' "$T/all.vcf" >"$T/cards.vcf"
python3 - "$T" <<'PY'
import csv, sys
t = sys.argv[1]
rows = []
for card in open(t + "/cards.vcf", encoding="utf-8").read().split("BEGIN:VCARD")[1:]:
    f = {}
    for line in card.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            f.setdefault(k.split(";")[0], v)
    rows.append([f.get(k, "") for k in ("UID", "FN", "EMAIL", "TEL", "NOTE")])
with open(t + "/rows.csv", "w", newline="", encoding="utf-8") as out:
    csv.writer(out).writerows(rows)
with open(t + "/fts.csv", "w", newline="", encoding="utf-8") as out:
    csv.writer(out).writerows([r[1], "", r[2] + " " + r[4]] for r in rows)
PY
FTS="CREATE VIRTUAL TABLE f USING fts5(name, company, body, tokenize = 'unicode61 remove_diacritics 2')"
cat >"$T/rows.sh" <<SH
sqlite3 "$T/r.db" 'CREATE TABLE c(uid TEXT, name TEXT, email TEXT, phone TEXT, note TEXT)' '.mode csv' '.import "$T/rows.csv" c'
SH
cat >"$T/fts.sh" <<SH
sqlite3 "$T/f.db" "$FTS" '.mode csv' '.import "$T/fts.csv" f'
SH
cat >"$T/both.sh" <<SH
sqlite3 "$T/b.db" 'CREATE TABLE c(uid TEXT, name TEXT, email TEXT, phone TEXT, note TEXT)' "$FTS" \
    '.mode csv' '.import "$T/rows.csv" c' '.import "$T/fts.csv" f' \
    'CREATE UNIQUE INDEX c_uid ON c(uid)' 'CREATE INDEX c_name ON c(name)' 'CREATE INDEX c_email ON c(email)'
SH
sh "$T/both.sh"
echo "rows: $(sqlite3 "$T/b.db" 'SELECT count(*) FROM c'), full text: $(sqlite3 "$T/b.db" 'SELECT count(*) FROM f')" \
    "(from $(grep -c '^BEGIN:VCARD' "$T/cards.vcf") vCards)"
rm -f "$T/b.db"

ALT="python3 $PWD/bench/alternate.py -n $RUNS"
ABOOK="abook --convert --informat vcard --infile $T/cards.vcf --outformat abook --outfile $T/n.abook"
CLEAN="rm -f $T/r.db $T/f.db $T/b.db $T/n.kith $T/n.kith-wal $T/n.kith-shm $T/n.abook"
for w in rows fts both; do
    echo
    echo "== sqlite3: $w / abook"
    $ALT --label "$w,abook" --setup "$CLEAN" "sh $T/$w.sh" "$ABOOK"
done
echo
echo "== kith import / abook"
$ALT --label kith,abook --setup "$CLEAN" "$KITH --db $T/n.kith import vcard $T/cards.vcf" "$ABOOK"
echo
echo "== kith import / sqlite3: both"
$ALT --label kith,both --setup "$CLEAN" "$KITH --db $T/n.kith import vcard $T/cards.vcf" "sh $T/both.sh"
if [ "${CALLGRIND:-}" = 1 ]; then
    echo
    echo "== instructions (callgrind, one run each)"
    ir() {
        label=$1
        shift
        eval "$CLEAN"
        n=$(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
            sed -n 's/.*Collected : //p' | sort -n | tail -n 1)
        printf '%-6s %s\n' "$label" "$n"
    }
    for w in rows fts both; do ir "$w" sh "$T/$w.sh"; done
    ir abook abook --convert --informat vcard --infile "$T/cards.vcf" --outformat abook --outfile "$T/n.abook"
    ir kith "$KITH" --db "$T/n.kith" import vcard "$T/cards.vcf"
fi
