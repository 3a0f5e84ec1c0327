#!/bin/sh
# valgrind memcheck over the CLI tests and the scripted TUI sessions: every
# kith they run goes through memcheck; no errors and no definite leaks.
#
#   sh tests/valgrind.sh [BUILD_DIR] [TEST_SCRIPT...]
#
# BUILD_DIR is a build without sanitizers (default: build). With no scripts,
# runs tests/cli/test_*.sh (two at a time) and tests/tui/test_*.sh. Prints
# each memcheck report (KITH_VALGRIND_OPTS adds options, e.g.
# --track-origins=yes), then "N passed, M failed" over the test scripts: a
# script fails if it fails under memcheck or if memcheck reported anything.
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)
BUILD=${1:-build}
[ $# -gt 0 ] && shift
BIN="$SRC/$BUILD/kith"
[ -x "$BIN" ] || BIN="$BUILD/kith"
[ -x "$BIN" ] || { echo "no kith binary in $BUILD: build it first" >&2; exit 2; }
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is not installed: skipped"; exit 77; }

W=$(mktemp -d /tmp/kith-valgrind-XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir "$W/logs" "$W/out"
cat >"$W/kith" <<EOS
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
    --show-leak-kinds=definite ${KITH_VALGRIND_OPTS:-} --log-file="$W/logs/vg.%p.log" "$BIN" "\$@"
EOS
chmod +x "$W/kith"

if [ $# -gt 0 ]; then
    CLI_TESTS=$(for t in "$@"; do case "$t" in */tui/*) ;; *) echo "$t" ;; esac; done)
    TUI_TESTS=$(for t in "$@"; do case "$t" in */tui/*) echo "$t" ;; esac; done)
else
    CLI_TESTS=$(ls tests/cli/test_*.sh)
    TUI_TESTS=$(ls tests/tui/test_*.sh)
fi

# one SCRIPT: runs it with the wrapped kith; its output in $W/out.
one() {
    name=$(basename "$1" .sh)
    KITH="$W/kith" KITH_SOURCE_DIR="$SRC" KITH_TESTLIB="$SRC/tests/lib.sh" \
        sh "$1" >"$W/out/$name.log" 2>&1
    echo "$?" >"$W/out/$name.rc"
}

start=$(date +%s)
export W SRC
# Two at a time: each script runs in the background, at most two at once.
for t in $CLI_TESTS; do
    one "$t" &
    # jobs in a command substitution runs in a subshell that has none: the
    # list goes through a file; a plain 'jobs' first forgets finished ones.
    while jobs >/dev/null && jobs -p >"$W/jobs" && [ "$(wc -l <"$W/jobs")" -ge 2 ]; do sleep 0.2; done
done
wait
# TUI sessions one at a time (their waits have time limits).
for t in $TUI_TESTS; do one "$t"; done
elapsed=$(($(date +%s) - start))

passed=0
failed=0
for t in $CLI_TESTS $TUI_TESTS; do
    name=$(basename "$t" .sh)
    rc=$(cat "$W/out/$name.rc" 2>/dev/null || echo 1)
    if [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $t under memcheck (exit $rc):"
        grep -E 'FAIL|passed' "$W/out/$name.log" | head -20
    fi
done
# Any report at all (with -q, memcheck writes only errors and leaks).
reports=0
for f in "$W"/logs/vg.*.log; do
    [ -s "$f" ] || continue
    reports=$((reports + 1))
    echo "== memcheck report $(basename "$f")"
    head -60 "$f"
done
if [ "$reports" -gt 0 ]; then
    failed=$((failed + 1))
    echo "FAIL: $reports runs of kith had memcheck reports"
fi
runs=$(ls "$W/logs" | wc -l)
echo "memcheck: $runs runs of kith in $elapsed s, $reports with reports"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
