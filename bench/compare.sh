#!/bin/sh
# The same address book in abook, khard and kith: times listing every
# contact and a search, non-interactively, and prints the medians and the
# ratios to kith's.
#
#   sh bench/compare.sh [CONTACTS [RUNS [QUERY]]]      (default 10000, 7, Okafor)
#
# The contacts come from kith-bench-gen (no interactions), are exported once
# as one vCard 3.0 file, and that file is imported into each program: kith
# with 'kith import vcard', khard as a vdir (one .vcf per contact), abook
# with 'abook --convert' into its own format. Everything lives in a
# temporary directory that is also HOME and the XDG directories, so no
# settings or data of the user's are read or written. Needs the benchmark
# build (build-bench, made by bench/run.sh or with -DKITH_BENCH=ON).
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-7}
Q=${3:-Okafor}
B=${KITH_BENCH_BUILD:-build-bench}
KITH=$PWD/$B/kith
GEN=$PWD/$B/kith-bench-gen
for p in "$KITH" "$GEN"; do
    [ -x "$p" ] || { echo "compare.sh: $p missing: build with -DKITH_BENCH=ON" >&2; exit 2; }
done
for p in abook khard; do
    command -v "$p" >/dev/null || { echo "compare.sh: $p is not installed" >&2; exit 2; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/kith-compare.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
export XDG_CACHE_HOME="$T/home/.cache" XDG_STATE_HOME="$T/home/.local/state"
unset KITH_DB KITH_CONFIG
mkdir -p "$XDG_CONFIG_HOME/khard" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$HOME/.abook" "$T/vdir"

# One vCard file of N contacts.
"$GEN" "$T/gen.kith" "$N" 0 >/dev/null 2>&1
"$KITH" --db "$T/gen.kith" export vcard -o "$T/cards.vcf"

# kith
"$KITH" --db "$T/kith.kith" import vcard "$T/cards.vcf" >/dev/null
# khard: a vdir of one file per card, and a config naming it.
awk -v d="$T/vdir" '/^BEGIN:VCARD/ { n++; f = sprintf("%s/%06d.vcf", d, n) } { print > f }
    /^END:VCARD/ { close(f) }' "$T/cards.vcf"
cat >"$XDG_CONFIG_HOME/khard/khard.conf" <<EOF
[addressbooks]
[[bench]]
path = $T/vdir

[general]
default_action = list
EOF
# abook: its native format.
abook --convert --informat vcard --infile "$T/cards.vcf" --outformat abook \
    --outfile "$T/abook.db" >/dev/null 2>&1

# The same number of contacts in each, or the comparison is void.
nk=$("$KITH" --db "$T/kith.kith" list | tail -n +2 | wc -l)
nh=$(khard list --parsable | wc -l)
na=$(grep -c '^\[[0-9]*\]' "$T/abook.db")
echo "contacts: kith $nk, khard $nh, abook $na (from $(grep -c '^BEGIN:VCARD' "$T/cards.vcf") vCards)"

# median_ms CMD...: median wall time of RUNS runs (after one warm-up),
# in ms; the output goes to $T/out for counting.
median_ms() {
    "$@" >"$T/out" 2>/dev/null
    i=0
    : >"$T/times"
    while [ "$i" -lt "$RUNS" ]; do
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s%N)
        echo $(((e - s) / 1000)) >>"$T/times"
        i=$((i + 1))
    done
    sort -n "$T/times" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'
}

row() { # WHAT TOOL MS LINES KITH_MS
    awk -v w="$1" -v t="$2" -v ms="$3" -v n="$4" -v k="$5" \
        'BEGIN { printf "%-8s %-6s %10.2f ms  %6d lines  %7.2fx kith\n", w, t, ms, n, ms / k }'
}

echo "medians of $RUNS runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
k=$(median_ms "$KITH" --db "$T/kith.kith" list)
kl=$(wc -l <"$T/out")
h=$(median_ms khard list)
hl=$(wc -l <"$T/out")
a=$(median_ms abook --convert --informat abook --infile "$T/abook.db" --outformat csv)
al=$(wc -l <"$T/out")
row list kith "$k" "$kl" "$k"
row list khard "$h" "$hl" "$k"
row list abook "$a" "$al" "$k"

k=$(median_ms "$KITH" --db "$T/kith.kith" list --search "$Q")
kl=$(wc -l <"$T/out")
h=$(median_ms khard list "$Q")
hl=$(wc -l <"$T/out")
a=$(median_ms abook --datafile "$T/abook.db" --mutt-query "$Q")
al=$(wc -l <"$T/out")
row "'$Q'" kith "$k" "$kl" "$k"
row "'$Q'" khard "$h" "$hl" "$k"
row "'$Q'" abook "$a" "$al" "$k"

# Address completion as mutt runs it on each query: kith query against
# abook --mutt-query (khard's equivalent, khard email, is not timed: its
# list above shows its start-up cost).
k=$(median_ms "$KITH" --db "$T/kith.kith" query "$Q")
kl=$(wc -l <"$T/out")
a=$(median_ms abook --datafile "$T/abook.db" --mutt-query "$Q")
al=$(wc -l <"$T/out")
row query kith "$k" "$kl" "$k"
row query abook "$a" "$al" "$k"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
