#!/bin/sh
# The sync property (tests/unit/test_sync.c) at fixed seeds, replayable:
# each run preloads the seeded clock (tests/tools/fakeclock.c), so a
# property seed and a clock seed give the same run every time.
#
#   sync_property.sh [-n OPS] [-j JOBS] SEED_FROM SEED_TO [CLOCK_FROM CLOCK_TO]
#       runs every pair (OPS operations, 1000 unless told; clock seeds 1 to
#       3 unless told; JOBS runs at once, 1 unless told), prints each
#       pair's outcome and a count; exits 1 when one diverged.
#   sync_property.sh --replay OPS SEED CLOCK
#       runs one pair twice, compares the traces and every replica's
#       export; exits 1 when they differ.
#   sync_property.sh --trace OPS SEED CLOCK
#       runs one pair with the trace and KITH_SYNC_KEEP, output to stdout.
#
# KITH_TEST_SYNC is the test_sync program, KITH_FAKECLOCK_LIB the clock's
# library (build/tests/... unless set). Not for sanitizer builds: their
# runtime must be loaded before anything preloaded.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${KITH_TEST_SYNC:-$here/build/tests/test_sync}
lib=${KITH_FAKECLOCK_LIB:-$here/build/tests/libkith_fakeclock.so}
for f in "$bin" "$lib"; do
    [ -e "$f" ] || { echo "sync_property.sh: $f is not built" >&2; exit 2; }
done

# run OPS SEED CLOCK OUT [ENV...]: one pair, its output in OUT.log, its
# exports in OUT.N.json; the status is the test's.
run() {
    ops=$1 seed=$2 clock=$3 out=$4
    shift 4
    env KITH_TODAY=2026-11-22 NO_COLOR=1 KITH_TEST_FILTER=test_sync_property \
        KITH_SYNC_OPS="$ops" KITH_SYNC_SEED="$seed" KITH_FAKECLOCK_SEED="$clock" \
        KITH_SYNC_EXPORT="$out" LD_PRELOAD="$lib" "$@" "$bin" >"$out.log" 2>&1
}

case ${1:-} in
--replay | --trace)
    [ $# -eq 4 ] || { echo "usage: $0 $1 OPS SEED CLOCK" >&2; exit 2; }
    tmp=$(mktemp -d) || exit 2
    trap 'rm -rf "$tmp"' EXIT
    if [ "$1" = --trace ]; then
        run "$2" "$3" "$4" "$tmp/a" KITH_SYNC_TRACE=1 KITH_SYNC_KEEP=1
        st=$?
        cat "$tmp/a.log"
        exit $st
    fi
    run "$2" "$3" "$4" "$tmp/a" KITH_SYNC_TRACE=1
    run "$2" "$3" "$4" "$tmp/b" KITH_SYNC_TRACE=1
    # The failure message names the temporary journal's path.
    for x in a b; do
        sed 's|/tmp/[^ /]*|TMP|g' "$tmp/$x.log" >"$tmp/$x.txt"
    done
    if ! cmp -s "$tmp/a.txt" "$tmp/b.txt"; then
        echo "seed $3 clock $4: the two runs' traces differ" >&2
        diff "$tmp/a.txt" "$tmp/b.txt" | head -20 >&2
        exit 1
    fi
    grep -q '^op ' "$tmp/a.log" || { echo "no trace: did the test run?" >&2; exit 1; }
    for i in 0 1 2; do
        [ -s "$tmp/a.$i.json" ] || { echo "no export of replica $i" >&2; exit 1; }
        cmp -s "$tmp/a.$i.json" "$tmp/b.$i.json" ||
            { echo "seed $3 clock $4: replica $i's exports differ" >&2; exit 1; }
    done
    echo "seed $3 clock $4 at $2 operations: the same run twice"
    exit 0
    ;;
esac

ops=1000 jobs=1
while getopts n:j: o; do
    case $o in
    n) ops=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || [ $# -eq 4 ] || {
    echo "usage: $0 [-n OPS] [-j JOBS] SEED_FROM SEED_TO [CLOCK_FROM CLOCK_TO]" >&2
    exit 2
}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# One pair: a line "SEED CLOCK ok" or "SEED CLOCK DIVERGED: why".
pair() {
    if run "$ops" "$1" "$2" "$tmp/$1-$2"; then
        echo "$1 $2 ok"
    else
        why=$(grep -m1 -o 'differs from replica 0 at byte [0-9]*\|\[  ERROR   \].*\|the conflict on.*\|did not settle.*\|sync of replica.*' "$tmp/$1-$2.log")
        echo "$1 $2 DIVERGED: ${why:-see the log}"
    fi
    rm -f "$tmp/$1-$2".*
}
n=0
for s in $(seq "$1" "$2"); do
    for c in $(seq "${3:-1}" "${4:-3}"); do
        pair "$s" "$c" >"$tmp/out.$s.$c" &
        n=$((n + 1))
        [ $((n % jobs)) -eq 0 ] && wait
    done
done
wait
cat "$tmp"/out.* | sort -n -k1,1 -k2,2 >"$tmp/all"
cat "$tmp/all"
ok=$(grep -c ' ok$' "$tmp/all")
total=$(wc -l <"$tmp/all")
echo "$ok of $total pairs converged at $ops operations"
[ "$ok" -eq "$total" ]
