#!/bin/sh
# The same address book in kith, abook and khard: times importing it,
# starting, listing every contact, a search and address completion, each
# a whole process, the two programs compared taking turns (A B A B ...,
# bench/alternate.py), and prints the medians and the ratios.
#
#   sh bench/compare.sh [CONTACTS [RUNS [QUERY]]]      (default 10000, 7, Okafor)
#
# The contacts come from kith-bench-gen (no interactions), exported once as
# one vCard 3.0 file without the properties abook drops (ORG, CATEGORIES),
# so that both programs read and keep the same records; that file is
# imported into each program: kith with 'kith import vcard', abook with
# 'abook --convert' into its own format, khard as a vdir (one .vcf per
# contact). Everything lives in a temporary directory that is also HOME and
# the XDG directories, so no settings or data of the user's are read or
# written. Needs the benchmark build (build-bench, made by bench/run.sh or
# with -DKITH_BENCH=ON).
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-7}
Q=${3:-Okafor}
B=${KITH_BENCH_BUILD:-build-bench}
KITH=$PWD/$B/kith
GEN=$PWD/$B/kith-bench-gen
ALT="python3 $PWD/bench/alternate.py -n $RUNS"
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

# One vCard file of N contacts, with what both programs keep.
"$GEN" "$T/gen.kith" "$N" 0 >/dev/null 2>&1
"$KITH" --db "$T/gen.kith" export vcard -o "$T/all.vcf"
grep -v -e '^ORG:' -e '^CATEGORIES:' "$T/all.vcf" >"$T/cards.vcf"

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
lines() { "$@" 2>/dev/null | wc -l; }

K="$KITH --db $T/kith.kith"
echo
echo "== import the vCard file into a new address book (kith / abook)"
$ALT --label kith,abook --setup "rm -f $T/new.kith $T/new.kith-wal $T/new.kith-shm $T/new.abook" \
    "$KITH --db $T/new.kith import vcard $T/cards.vcf" \
    "abook --convert --informat vcard --infile $T/cards.vcf --outformat abook --outfile $T/new.abook"

echo
echo "== start: the version (kith / abook)"
$ALT --label kith,abook "$KITH --version" "abook --help"

echo
echo "== list every contact (kith / abook): $(lines $K list) and $(lines abook --convert --informat abook --infile "$T/abook.db" --outformat csv) lines"
$ALT --label kith,abook "$K list" \
    "abook --convert --informat abook --infile $T/abook.db --outformat csv"
echo "== list every contact (kith / khard): $(lines khard list) lines from khard"
$ALT --label kith,khard "$K list" "khard list"

echo
echo "== search '$Q' (kith list --search / abook --mutt-query): $(lines $K list --search "$Q") and $(lines abook --datafile "$T/abook.db" --mutt-query "$Q") lines"
$ALT --label kith,abook "$K list --search $Q" "abook --datafile $T/abook.db --mutt-query $Q"
echo "== search '$Q' (kith / khard list '$Q'): $(lines khard list "$Q") lines from khard"
$ALT --label kith,khard "$K list --search $Q" "khard list $Q"

# Address completion as mutt runs it on each query: kith query against
# abook --mutt-query (khard's equivalent, khard email, is not timed: its
# list above shows its start-up cost).
echo
echo "== address completion '$Q' (kith query / abook --mutt-query): $(lines $K query "$Q") lines from kith"
$ALT --label kith,abook "$K query $Q" "abook --datafile $T/abook.db --mutt-query $Q"
