#!/bin/sh
# The global options, help and version, and unknown commands.
. "$KITH_TESTLIB"

run "$KITH" --version
expect_rc 0 "--version"
expect_out "kith "

run "$KITH" --help
expect_rc 0 "--help"
expect_out "kith add NAME"
expect_out "kith timeline"

run "$KITH" frobnicate
expect_rc 2 "unknown command"
expect_err "unknown command 'frobnicate'"
expect_no_err "did you mean"

# A typo, or another tool's word for a command, gets a suggestion.
run "$KITH" lsit
expect_rc 2 "a typo of a command"
expect_err "unknown command 'lsit'; did you mean 'kith list'?"
run "$KITH" delete Ana
expect_rc 2 "another tool's word"
expect_err "unknown command 'delete'; did you mean 'kith rm'?"
run "$KITH" foo
expect_rc 2 "a short word far from every command"
expect_err "unknown command 'foo'"
expect_no_err "did you mean"

run "$KITH" --bogus list
expect_rc 2 "unknown global option"
expect_err "unknown option '--bogus'"

run "$KITH" --db
expect_rc 2 "--db without a value"
expect_err "--db needs a value"

run "$KITH" --db "$DB" list
expect_rc 1 "list without a journal"
expect_err "no journal at"
[ ! -e "$DB" ] || fail "list created a journal"

# Without a terminal and without a command, kith prints help rather than
# trying to draw a screen.
run "$KITH" --db "$DB"
expect_rc 0 "no command, no terminal"
expect_out "usage: kith"

finish
