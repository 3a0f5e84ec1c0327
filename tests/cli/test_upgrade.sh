#!/bin/sh
# Opening a journal written by an older kith: one line on stderr says it is
# being upgraded and where the old file is kept, the command then does its
# work, and the next command says nothing.
. "$KITH_TESTLIB"

python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript(open(sys.argv[2]).read())
c.close()' "$DB" "$KITH_SOURCE_DIR/tests/fixtures/journal/v1.sql" || fail "making a version 1 journal"

run k list
expect_rc 0 "list on a version 1 journal"
expect_out "Ana Ruiz"
expect_err "kith: upgrading the journal $DB from version 1 to "
expect_err "; the old one is kept as $DB.bak-v1"
expect_lines "$ERR" 1 '' "more than one line on stderr: $ERR"
CHECKS=$((CHECKS + 1))
[ -f "$DB.bak-v1" ] || fail "no backup at $DB.bak-v1"

run k check --dry-run
expect_rc 0 "the upgraded journal's summary"
expect_out "summary: exact for"
run k list
expect_rc 0 "list again"
expect_out "Ana Ruiz"
CHECKS=$((CHECKS + 1))
[ -z "$ERR" ] || fail "a second open said: $ERR"
finish
