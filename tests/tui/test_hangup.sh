#!/bin/sh
# The terminal going away without a SIGHUP (kith in a session of its own,
# the other side of its pty closed) ends the session: kith exits promptly
# instead of spinning, and a form left half typed saves nothing.
. "$KITH_TESTLIB"

command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed: skipped"; exit 77; }
k add "Hang Up" --company "Before" >/dev/null || fail "add"
k show --json "Hang Up" >"$T/before"

run python3 "$KITH_SOURCE_DIR/tests/tui/pty_hangup.py" "$KITH" "$DB" idle
expect_rc 0 "idle: $OUT"
expect_out "ended in" "idle: kith ended"

run python3 "$KITH_SOURCE_DIR/tests/tui/pty_hangup.py" "$KITH" "$DB" form
expect_rc 0 "form open: $OUT"
expect_out "ended in" "form open: kith ended"
k show --json "Hang Up" >"$T/after"
CHECKS=$((CHECKS + 1))
cmp -s "$T/before" "$T/after" || fail "the half-typed form was saved: $(cat "$T/after")"
finish
