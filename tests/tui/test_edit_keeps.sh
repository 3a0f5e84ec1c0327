#!/bin/sh
# The edit form saves only what the user changed: opened and saved with no
# change it writes nothing; a multi-line note and "working on", a note of
# 65,536 bytes and more, links with commas and spaces, control characters
# and an email the command line accepted all survive a save of another
# field; a note edited in $VISUAL keeps its lines.
. "$KITH_TESTLIB"

# A note of 70,000 bytes on several lines.
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "line %04d of a long note, %s\n", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }' >"$T/long.txt"
[ "$(wc -c <"$T/long.txt")" -ge 65536 ] || fail "the long note is not long"
printf 'first line\nsecond line\n\tindented' >"$T/note.txt"
k add "Multi Line" --note - --working-on "$(printf 'a book\nand a course')" \
    --email 'a,b@example.org' --link 'https://example.org/a,b c' --link 'https://example.org/two' \
    --company "$(printf 'Ctl\001Co')" --tag mentor <"$T/note.txt" >/dev/null || fail "add Multi Line"
k add "Long Note" --note - <"$T/long.txt" >/dev/null || fail "add Long Note"
k show --json "Multi Line" >"$T/multi.before"
k show --json "Long Note" >"$T/long.before"

cat >"$T/editor.sh" <<'EOF'
#!/bin/sh
printf 'added in the editor\n' >>"$1"
EOF
chmod +x "$T/editor.sh"
# saved_unchanged NAME STEM WHAT: Enter saves the open form with no change
# and `kith show --json NAME` is as in $T/STEM.before.
saved_unchanged() {
    keys Enter
    wait_for "nothing changed" "saved with no change"
    k show --json "$1" >"$T/$2.after"
    CHECKS=$((CHECKS + 1))
    cmp -s "$T/$2.before" "$T/$2.after" || fail "$3 changed: $(head -c 400 "$T/$2.after")"
}

tui_start
wait_for "▸ Long Note" "first contact selected"

# Opened and saved with no change: nothing written.
keys e
wait_for "Edit contact" "edit form"
wait_for "Note [1000 lines] line 0000" "the long note shown as a preview"
saved_unchanged "Long Note" long "the long note"

keys j
wait_for "▸ Multi Line" "second contact"
keys e
wait_for "Edit contact" "edit form"
wait_for "Note [3 lines] first line" "the multi-line note as a preview"
wait_for "Links [2] https://example.org/a,b c" "the links as a preview"
saved_unchanged "Multi Line" multi "Multi Line"

# One field changed: only it is written.
keys e
wait_for "Edit contact" "edit form again"
keys Tab Tab
text "Advisor"
keys Enter
wait_for "saved Multi Line" "saved the title"
run k show --json "Multi Line"
expect_json '"title":"Advisor"' "the title saved"
expect_json '"note":"first line\nsecond line\n\tindented"' "the note intact"
expect_json '"working_on":"a book\nand a course"' "working on intact"
expect_json '"links":["https://example.org/a,b c","https://example.org/two"]' "links whole"
expect_json '"emails":["a,b@example.org"]' "the email the CLI took"
expect_json '"company":"Ctl\u0001Co"' "control characters intact"

# Ctrl-X hands the note to $VISUAL; its lines come back as lines.
keys q
wait_for "KITH-EXIT=0" "quit"
VISUAL="$T/editor.sh"
export VISUAL
tui_restart
wait_for "▸ Long Note" "restarted"
keys j
wait_for "▸ Multi Line" "Multi Line again"
keys e
wait_for "Edit contact" "edit form"
keys Up C-x
wait_for "Note [4 lines] first line" "the edited note has a fourth line"
keys Enter
wait_for "saved Multi Line" "saved the note"
run k show --json "Multi Line"
expect_json '"note":"first line\nsecond line\n\tindented\nadded in the editor"' "the note edited in the editor"
expect_json '"title":"Advisor"' "the title kept"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
