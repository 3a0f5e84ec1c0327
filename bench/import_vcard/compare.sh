#!/bin/sh
# The same generated vCard file imported by kith (and by an older kith
# binary given as KITH_BEFORE, for a side-by-side "before") and converted
# by abook, RUNS times each, alternating, into fresh files every time.
# Prints each run and the medians, per file and per card.
#   [STYLE=phone] [KITH_BEFORE=path/to/kith] bench/import_vcard/compare.sh [N] [RUNS]
# Builds build-bench first, as run.sh does.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-100000}
runs=${2:-5}
command -v abook >/dev/null || { echo "compare.sh: abook is not installed" >&2; exit 2; }
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DKITH_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target kith >/dev/null
tmp=$(mktemp -d /tmp/kith-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" KITH_TODAY=2026-11-22
mkdir -p "$HOME/.abook"
sh bench/import_vcard/gen.sh "$n" >"$tmp/cards.vcf"
echo "$n cards (${STYLE:-rich}), $(wc -c <"$tmp/cards.vcf") bytes; load $(cut -d' ' -f1-3 /proc/loadavg)"

# time_one NAME CMD...: one run, its wall time appended to $tmp/NAME.
time_one() {
    name=$1
    shift
    rm -f "$tmp/j.db" "$tmp/j.db-wal" "$tmp/j.db-shm" "$tmp/abook.db"
    start=$(date +%s.%N)
    "$@" >"$tmp/out" 2>&1 || { echo "$name failed: $(cat "$tmp/out")" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.3f\n", $2 - $1 }' >>"$tmp/$name"
}

i=0
while [ "$i" -lt "$runs" ]; do
    if [ -n "${KITH_BEFORE:-}" ]; then
        time_one before "$KITH_BEFORE" --db "$tmp/j.db" import vcard "$tmp/cards.vcf"
    fi
    time_one kith build-bench/kith --db "$tmp/j.db" import vcard "$tmp/cards.vcf"
    time_one abook abook --convert --informat vcard --infile "$tmp/cards.vcf" \
        --outformat abook --outfile "$tmp/abook.db"
    i=$((i + 1))
done
for name in before kith abook; do
    [ -f "$tmp/$name" ] || continue
    sort -n "$tmp/$name" | awk -v name="$name" -v n="$n" '{ t[NR] = $1 }
        END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
              printf "%-7s median %.3f s  (%.1f us a card; min %.3f, max %.3f)\n",
                     name, m, m * 1e6 / n, t[1], t[NR] }'
done
