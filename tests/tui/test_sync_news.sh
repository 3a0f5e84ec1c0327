#!/bin/sh
# The conflicts a kith sync resolved are told once in the header: there
# until the next key, not again when kith opens the journal next time
# ('kith sync status' still lists them all).
. "$KITH_TESTLIB"

S="$T/shared"
B="$T/b.db"
mkdir "$S"
k add "Ana Ruiz" --company Acme >/dev/null || fail "add Ana"
k sync "$S" >/dev/null || fail "sync A"
"$KITH" --db "$B" sync "$S" >/dev/null || fail "sync B"
k edit ana --company Initech >/dev/null || fail "edit on A"
sleep 0.01
"$KITH" --db "$B" edit ana --company Globex >/dev/null || fail "edit on B"
"$KITH" --db "$B" sync "$S" >/dev/null || fail "sync B again"
k sync "$S" >/dev/null || fail "sync A again"

tui_start
wait_for "1 sync conflict resolved" "told in the header"
keys j
wait_gone "sync conflict" "gone after a key"
tui_restart
wait_for "▸ Ana Ruiz" "started again"
case "$(screen)" in *"sync conflict"*) fail "told twice: $(screen)" ;; esac
run k sync status
expect_out 'kept "Globex", not "Initech"'

finish
