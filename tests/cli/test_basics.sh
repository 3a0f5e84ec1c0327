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
