#!/bin/sh
# kith sync: one sync that applies CHANGES changes (default 1,000 contact
# edits, each its own transaction as 'kith edit' makes them) made on another
# machine, into a generated journal of N contacts (default 100,000, with
# three interactions each). Replica A is the generated journal with sync
# turned on; replica B starts from A's snapshot (as a new machine does).
# A edits CHANGES contacts and syncs (writes one file); B's sync applying
# that file is the figure. Prints each step's wall and user time, and the
# file's size. With "new", A imports CHANGES new contacts instead (one
# vCard file, each card with the name of one of A's contacts, so that B's
# sync brings as many likely duplicates and says so).
#
#   sh bench/sync.sh [CONTACTS [CHANGES [new]]]      (default 100000 1000)
#
# Uses build-bench/kith and build-bench/kith-bench-gen (bench/run.sh makes
# them) or $KITH and $KITH_GEN.
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
C=${2:-1000}
MODE=${3:-edit}
KITH=${KITH:-$PWD/build-bench/kith}
GEN=${KITH_GEN:-$PWD/build-bench/kith-bench-gen}
for p in "$KITH" "$GEN"; do
    [ -x "$p" ] || {
        echo "sync.sh: $p missing: sh bench/run.sh, or KITH= and KITH_GEN=" >&2
        exit 2
    }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-sync.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T" KITH_TODAY=2026-11-22
unset KITH_DB KITH_CONFIG
"$GEN" "$T/a.db" "$N" $((N * 3)) >/dev/null
mkdir "$T/dir"
t() { /usr/bin/time -f "  %e s wall, %U s user" "$@" 2>&1 >"$T/out" | tail -n 1; tail -n 2 "$T/out"; }
echo "A: first sync of $N contacts (turns sync on, sends everything):"
t "$KITH" --db "$T/a.db" sync "$T/dir"
ra=$(ls "$T/dir")
stat -c %s "$T/dir/$ra/1.changeset" | awk '{ printf "  file 1: %.1f MB\n", $1 / 1048576 }'
# B starts from a snapshot of A, as an empty journal does (a journal this
# large leaves one when it turns sync on; an older kith did not).
[ -f "$T/dir/$ra/snapshot.kith" ] || "$KITH" --db "$T/a.db" backup "$T/dir/$ra/snapshot.kith" >/dev/null
echo "B: first sync (an empty journal: from the snapshot):"
t "$KITH" --db "$T/b.db" sync "$T/dir"
"$KITH" --db "$T/a.db" list --json --limit "$C" | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' |
    head -n "$C" >"$T/ids"
if [ "$MODE" = new ]; then
    "$KITH" --db "$T/a.db" list --json --limit "$C" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p' |
        head -n "$C" | awk '{ printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nEMAIL:new%d@bench.example\r\nEND:VCARD\r\n", $0, NR }' >"$T/new.vcf"
    echo "A: imports $(grep -c BEGIN "$T/new.vcf") new contacts (one vCard file):"
    t "$KITH" --db "$T/a.db" import vcard "$T/new.vcf"
else
    echo "A: $(wc -l <"$T/ids") edits, one 'kith edit' each:"
    t sh -c "while read -r id; do '$KITH' --db '$T/a.db' edit \"\$id\" --title \"Bench \$id\" >/dev/null; done <'$T/ids'"
fi
echo "A: sync (writes one file):"
t "$KITH" --db "$T/a.db" sync "$T/dir"
stat -c %s "$T/dir/$ra/2.changeset" | awk '{ printf "  file 2: %.1f KB\n", $1 / 1024 }'
echo "B: sync applying them (the figure):"
t "$KITH" --db "$T/b.db" sync "$T/dir"
echo "B: sync again, nothing new:"
t "$KITH" --db "$T/b.db" sync "$T/dir"
"$KITH" --db "$T/a.db" export json >"$T/a.json"
"$KITH" --db "$T/b.db" export json >"$T/b.json"
if cmp -s "$T/a.json" "$T/b.json"; then echo "A and B export the same JSON"; else
    echo "A and B differ"; fi
