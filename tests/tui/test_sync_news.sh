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
# A challenge running, its day due: at 80 columns the header has room for
# the tabs and one more thing, and the conflicts, told only until the next
# key, are that thing.
k challenge start --yes >/dev/null || fail "start a challenge"

tui_start
wait_for "1 sync conflict resolved" "told in the header"
case "$(screen | head -n 1)" in
*"5 Stats"*"1 sync conflict resolved") ;;
*) fail "the tabs, then the conflicts, at 80 columns: $(screen | head -n 1)" ;;
esac
keys j
wait_gone "sync conflict" "gone after a key"
wait_for "1 due" "what is due comes back"
tui_restart
wait_for "▸ Ana Ruiz" "started again"
case "$(screen)" in *"sync conflict"*) fail "told twice: $(screen)" ;; esac
run k sync status
expect_out 'kept "Globex" from replica '
expect_out '(the later change), not "Initech" (this journal'"'"'s); resolved '

finish
