#!/bin/sh
# Builds the benchmark programs, makes a journal of N contacts and M
# interactions (default 100k and 1M, cached in $KITH_BENCH_DIR), and prints
# the medians of the core's hot paths and of whole commands.
#
#   sh bench/run.sh [CONTACTS [INTERACTIONS [RUNS]]]
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
M=${2:-1000000}
RUNS=${3:-7}
DIR=${KITH_BENCH_DIR:-/tmp/kith-bench}
export KITH_TODAY=2026-11-22
mkdir -p "$DIR"
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DKITH_BENCH=ON >/dev/null
cmake --build build-bench -j2 >/dev/null
DB="$DIR/journal-$N-$M.kith"
if [ ! -f "$DB" ]; then
    echo "generating $DB ..."
    ./build-bench/kith-bench-gen "$DB" "$N" "$M"
fi
./build-bench/kith-bench "$DB" "$RUNS"

# Whole commands: median wall time of RUNS runs.
median_cmd() {
    label=$1
    shift
    i=0
    : >"$DIR/times"
    while [ "$i" -lt "$RUNS" ]; do
        s=$(date +%s%N)
        "$@" >/dev/null
        e=$(date +%s%N)
        echo $(((e - s) / 1000)) >>"$DIR/times"
        i=$((i + 1))
    done
    sort -n "$DIR/times" | awk -v l="$label" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%-44s %9.2f ms\n", l, m/1000}'
}
K="./build-bench/kith --db $DB"
median_cmd "kith list --json (all contacts)" $K list --json
median_cmd "kith ledger (all contacts)" $K ledger
median_cmd "kith list --limit 50" $K list --limit 50
median_cmd "kith search career --limit 50" $K search career --limit 50
median_cmd "kith today (target 300 ms)" $K today

# The TUI in a pty: start to first full frame, and peak memory of a session.
python3 bench/tui.py ./build-bench/kith "$DB" "$RUNS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# abook, khard and kith side by side on 10k contacts (khard takes seconds a
# run: a few minutes in all).
if command -v abook >/dev/null && command -v khard >/dev/null; then
    sh bench/compare.sh 10000 "$RUNS"
fi
