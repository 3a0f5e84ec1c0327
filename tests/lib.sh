# Shared helpers for kith's shell tests (CLI golden tests and TUI tests).
# Sourced by tests/cli/test_*.sh and tests/tui/test_*.sh; ctest sets KITH
# (the binary) and KITH_SOURCE_DIR.

set -u
: "${KITH:?KITH must point at the kith binary}"
: "${KITH_SOURCE_DIR:?KITH_SOURCE_DIR must point at the source tree}"

export KITH_TODAY=2026-11-22
export NO_COLOR=1
export LC_ALL=C.UTF-8
unset KITH_DB KITH_CONFIG XDG_CONFIG_HOME
T=$(mktemp -d /tmp/kith-test-XXXXXX)
export HOME="$T/home"
mkdir -p "$HOME"
DB="$T/kith.db"
GOLDEN_DIR="$KITH_SOURCE_DIR/tests/cli/golden"
FAILS=0
CHECKS=0

cleanup() { rm -rf "$T"; }
trap cleanup EXIT

fail() {
    FAILS=$((FAILS + 1))
    echo "FAIL: $*" >&2
}

# kith with the test journal.
k() { "$KITH" --db "$DB" "$@"; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    "$@" >"$T/out" 2>"$T/err" </dev/null
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# runin INPUT CMD...: like run, with INPUT on standard input.
runin() {
    input=$1
    shift
    printf '%s' "$input" | "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

expect_rc() {
    CHECKS=$((CHECKS + 1))
    [ "$RC" = "$1" ] || fail "${2:-command}: exit $RC, expected $1 (stderr: $ERR)"
}

expect_out() {
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$1"*) ;; *) fail "${2:-command}: stdout lacks '$1': $OUT" ;; esac
}

expect_err() {
    CHECKS=$((CHECKS + 1))
    case "$ERR" in *"$1"*) ;; *) fail "${2:-command}: stderr lacks '$1': $ERR" ;; esac
}

expect_no_out() {
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$1"*) fail "${2:-command}: stdout has '$1': $OUT" ;; esac
}

# Masks ids (8 to 32 hex digits in a word) so output compares across runs.
mask_ids() { sed -E 's/\b[0-9a-f]{8,32}\b/<id>/g'; }

# golden NAME CMD...: runs CMD and compares "stdout, stderr, exit" (ids
# masked) with tests/cli/golden/NAME.txt. KITH_UPDATE_GOLDEN=1 rewrites it.
golden() {
    name=$1
    shift
    run "$@"
    actual=$( { printf '%s\n' "$OUT"; printf -- '--- stderr\n%s\n' "$ERR"; printf -- '--- exit %s\n' "$RC"; } | mask_ids)
    file="$GOLDEN_DIR/$name.txt"
    CHECKS=$((CHECKS + 1))
    if [ "${KITH_UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$GOLDEN_DIR"
        printf '%s\n' "$actual" >"$file"
    elif [ ! -f "$file" ]; then
        fail "golden $name: no file $file (run with KITH_UPDATE_GOLDEN=1)"
    elif ! printf '%s\n' "$actual" | diff -u "$file" - >"$T/diff"; then
        fail "golden $name differs:
$(cat "$T/diff")"
    fi
}

# Checksum of the journal's content, to show a failed command changed nothing.
journal_sum() {
    if [ -f "$DB" ]; then cksum <"$DB"; else echo none; fi
}

# A JSON field check without jq: the compact output contains the text.
expect_json() {
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$1"*) ;; *) fail "${2:-json}: lacks $1: $OUT" ;; esac
}

# Ends the test with the closing line ctest and CI read.
finish() {
    passed=$((CHECKS - FAILS))
    echo "$passed passed, $FAILS failed"
    [ "$FAILS" = 0 ]
    exit $?
}
