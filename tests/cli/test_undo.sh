#!/bin/sh
# kith undo and kith redo take back and do again the command line's own
# changes, in order, and say what they did; a change made since to the same
# rows stops an undo that would lose it; an import is a mark undo stops at.
. "$KITH_TESTLIB"

run k undo
expect_rc 1 "undo before any journal"
expect_err "no journal at"

k add "Ana Ruiz" --title Engineer --note "likes kayaks" >/dev/null || fail "add"
k edit ana --title "VP Engineering" >/dev/null || fail "edit"
k log ana --kind coffee --gave --summary "talked about kayaks" >/dev/null || fail "log"
k tick >/dev/null 2>&1 # no challenge: fails, records nothing

run k undo --list
expect_rc 0 "list"
expect_out "done    kith log ana --kind coffee --gave --summary \"talked about kayaks\""
expect_out "done    kith edit ana --title \"VP Engineering\""
expect_out "done    kith add \"Ana Ruiz\" --title Engineer --note \"likes kayaks\""
expect_lines "$OUT" 3 '' "three changes listed: $OUT"

run k undo
expect_rc 0 "undo the log"
expect_out "undid: kith log ana --kind coffee --gave"
run k timeline ana
expect_no_out "kayaks" "the interaction is gone"
run k search kayaks
expect_out "Ana Ruiz" "the note is still found"

run k undo
expect_rc 0 "undo the edit"
expect_out "undid: kith edit ana --title \"VP Engineering\""
run k show --json ana
expect_json '"title":"Engineer"' "the title is back"

run k redo
expect_rc 0 "redo the edit"
expect_out "redid: kith edit ana --title \"VP Engineering\""
run k show --json ana
expect_json '"title":"VP Engineering"' "the title redone"

# A new change ends what can be redone.
k edit ana --company Acme >/dev/null || fail "edit company"
run k redo
expect_rc 1 "nothing to redo after a new change"
expect_err "nothing to redo"

# Deleting and undoing brings everything back.
k log ana --kind call --asked --summary "asked for advice" >/dev/null || fail "log call"
k rm ana --yes >/dev/null || fail "rm"
run k undo
expect_rc 0 "undo rm"
expect_out "undid: kith rm ana --yes"
run k timeline ana
expect_out "asked for advice" "the interaction came back with her"
run k search kayaks
expect_out "Ana Ruiz" "the full-text index has her again"

# The TUI's changes are its own: simulated here by a change the command
# line did not make (a second journal user). An undo whose rows were
# changed since refuses and changes nothing.
k edit ana --note "first" >/dev/null || fail "edit note"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE contact SET note = ? WHERE name = ?", ("changed elsewhere", "Ana Ruiz"))
c.commit()' "$DB" || fail "change elsewhere"
sum=$(k show --json ana)
run k undo
expect_rc 1 "undo refused"
expect_err "cannot undo \"kith edit ana --note first\": Ana Ruiz has changed since"
CHECKS=$((CHECKS + 1))
[ "$(k show --json ana)" = "$sum" ] || fail "a refused undo changed the contact"

# An import cannot be undone; undo stops there.
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported Person\r\nEND:VCARD\r\n' >"$T/one.vcf"
k import vcard "$T/one.vcf" >/dev/null || fail "import"
run k undo
expect_rc 1 "undo an import"
expect_err "was bulk work and cannot be undone"
run k undo --list
expect_out "bulk    kith import vcard"
run k list
expect_out "Imported Person" "the import stays"
finish
