#!/bin/sh
# kith export vdir over a generated journal of N contacts (default 10,000,
# with ten interactions each): the first export (every file new), then
# RUNS exports with nothing changed (no file written), then kith vdir
# (import, then export) with nothing changed, then one export after one
# contact changed. Prints each run's wall and user time.
#
#   sh bench/vdir.sh [CONTACTS [RUNS]]      (default 10000 5)
#
# Uses build-bench/kith and build-bench/kith-bench-gen (bench/run.sh makes
# them) or $KITH and $KITH_GEN.
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
KITH=${KITH:-$PWD/build-bench/kith}
GEN=${KITH_GEN:-$PWD/build-bench/kith-bench-gen}
for p in "$KITH" "$GEN"; do
    [ -x "$p" ] || {
        echo "vdir.sh: $p missing: sh bench/run.sh, or KITH= and KITH_GEN=" >&2
        exit 2
    }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-vdir.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T" KITH_TODAY=2026-11-22
unset KITH_DB KITH_CONFIG
"$GEN" "$T/j.db" "$N" $((N * 10)) >/dev/null
t() { /usr/bin/time -f "  %e s wall, %U s user" "$@" 2>&1 >"$T/out" | tail -n 1; tail -n 1 "$T/out"; }
echo "first export ($N files):"
t "$KITH" --db "$T/j.db" export vdir "$T/book"
echo "export again, nothing changed:"
i=0
while [ $i -lt "$RUNS" ]; do
    t "$KITH" --db "$T/j.db" export vdir "$T/book"
    i=$((i + 1))
done
echo "kith vdir (import, then export), nothing changed:"
t "$KITH" --db "$T/j.db" vdir "$T/book"
id=$("$KITH" --db "$T/j.db" list --json | sed -n 's/^\[*{"id":"\([0-9a-f]*\)".*/\1/p' | head -n 1)
"$KITH" --db "$T/j.db" edit "$id" --company Zeta >/dev/null
echo "export after one contact changed:"
t "$KITH" --db "$T/j.db" export vdir "$T/book"
