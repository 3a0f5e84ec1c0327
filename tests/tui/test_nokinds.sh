#!/bin/sh
# Bad input: "kinds: []" is a valid configuration (no kinds of its own), so
# the log form must still open, offering "meeting", instead of reading the
# first kind of an empty list. Found by clang-tidy (issue 6).
. "$KITH_TESTLIB"

printf 'kinds: []\n' >"$T/nokinds.yaml"
k add "Ana Ruiz" >/dev/null
tui_start --config "$T/nokinds.yaml"

wait_for "▸ Ana Ruiz" "list"
keys l
wait_for "Log an interaction" "log form opens with no kinds configured"
wait_for "meeting" "the form offers the fallback kind"
keys Escape
wait_for "cancelled: nothing saved" "Esc cancels"
keys q
wait_for "KITH-EXIT=0" "q quits with 0"
finish
