#!/bin/sh
# Every command that 'kith --help' lists answers 'kith COMMAND --help' and
# -h with its usage on stdout and exit 0, without touching any journal.
. "$KITH_TESTLIB"

run "$KITH" --help
expect_rc 0 "--help"
cmds=$(printf '%s\n' "$OUT" | sed -n 's/^  kith \([a-z]*\).*/\1/p' | sort -u)
CHECKS=$((CHECKS + 1))
[ -n "$cmds" ] || fail "no commands in kith --help"
for c in add edit rm list show log timeline ledger search; do
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$cmds" | grep -qx "$c" || fail "kith --help does not list $c"
done
for c in $cmds; do
    expect_help "$c"
done
run "$KITH" help
expect_rc 0 "kith help"
expect_out "Commands:"

finish
