#!/bin/sh
# Times 'kith import vcard' of N generated cards (default 100000) into a new
# journal, RUNS times (default 5), and prints each time and the median.
# Builds an optimised kith in build-bench first. STYLE is passed to gen.sh.
#   [STYLE=phone] bench/import_vcard/run.sh [N] [RUNS]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-100000}
runs=${2:-5}
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DKITH_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target kith >/dev/null
tmp=$(mktemp -d /tmp/kith-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sh bench/import_vcard/gen.sh "$n" >"$tmp/cards.vcf"
echo "$n cards (${STYLE:-rich}), $(wc -c <"$tmp/cards.vcf") bytes"
i=0
while [ "$i" -lt "$runs" ]; do
    rm -f "$tmp/j.db" "$tmp/j.db-wal" "$tmp/j.db-shm"
    start=$(date +%s.%N)
    build-bench/kith --db "$tmp/j.db" import vcard "$tmp/cards.vcf" >"$tmp/out"
    end=$(date +%s.%N)
    t=$(echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }')
    echo "run $((i + 1)): ${t}s  $(cat "$tmp/out")"
    echo "$t" >>"$tmp/times"
    i=$((i + 1))
done
sort -n "$tmp/times" | awk '{ t[NR] = $1 } END { printf "median: %.3fs\n", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
