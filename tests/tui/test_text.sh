#!/bin/sh
# Hostile and complex text on the TUI's screen: emoji sequences (ZWJ,
# flags, VS16, skin tones, keycaps, tag flags), zero-width and bidi
# characters, stacks of marks and line breaks in names. The screen must stay
# what curses thinks it is (every row 80 columns, the same after Ctrl-L),
# invisible characters must show, and dialogs and form titles must escape
# and fit journal text.
. "$KITH_TESTLIB"

u() { printf "$1"; }
ZWJ=$(u '\342\200\215')
ZWSP=$(u '\342\200\213')
VS16=$(u '\357\270\217')
for name in "Ana Ruiz" "An${ZWSP}a" "Dev 👩${ZWJ}💻 Kim" "Fam 👨${ZWJ}👩${ZWJ}👧 Ng" "Flag 🇺🇸 Lee" \
    "Love ❤${VS16} Mo" "Thumb 👍🏽 Ok" "Key 1${VS16}$(u '\342\203\243') Pad" \
    "Scot 🏴$(u '\363\240\201\247\363\240\201\242\363\240\201\263\363\240\201\243\363\240\201\264\363\240\201\277') Ross" \
    "Zalgo e$(u '\314\201\314\202\314\203\314\204\314\205\314\206\314\207')" \
    "$(u '\331\205\333\214\342\200\214\330\256\331\210\330\247\331\207\331\205') Persian" \
    "Rlo $(u '\342\200\256')olleh"; do
    k add "$name" --company "Co ${name#* }" >/dev/null || fail "add $name"
done
k add "$(u 'Evil\r\nName')" --company Acme >/dev/null || fail "add Evil"
k refer --by evil --to-text "$(u 'Glo\nbex \342\200\256evil')" --on 2026-10-01 >/dev/null ||
    fail "refer"
k challenge start --on 2026-11-20 >/dev/null || fail "challenge"
k log evil --kind call --gave --summary "$(u 'sum\rmary')" >/dev/null || fail "log"
# 148 bytes, then a 4-byte emoji that "%.150s" used to cut in half.
long=$(printf 'x%.0s' $(seq 1 148))
k add "${long}😀z" >/dev/null || fail "add long"

# rows_ok WHAT: rows 2 to 23 (the panes) are exactly 80 columns each, as
# wc -L counts them with the C library's widths. A character that curses
# and tmux count differently leaves a row short or long.
rows_ok() {
    CHECKS=$((CHECKS + 1))
    bad=$(screen | sed -n '2,23p' | while IFS= read -r line; do
        w=$(printf '%s' "$line" | wc -L)
        [ "$w" = 80 ] || printf '%s columns: %s\n' "$w" "$line"
    done)
    [ -z "$bad" ] || fail "$1: rows off the grid:
$bad
Screen:
$(screen)"
}

tui_start
wait_for "Contacts 14" "list"
wait_for "│▸ Ana Ruiz" "first row"
rows_ok "first frame"
# Every name once selected (the card's title and timeline redrawn). The
# order: Ana, An<ZWSP>a, Dev, Evil, Fam, Flag, Key, Love, Rlo, Scot, Thumb,
# xxx..., Zalgo, then the Persian name.
for i in $(seq 1 13); do
    keys j
done
wait_for "Persian · Co Persian" "last row selected"
rows_ok "after selecting every row"
screen >"$T/before"
keys C-l
sleep 0.3
wait_for "Contacts 14" "redrawn"
screen >"$T/after"
CHECKS=$((CHECKS + 1))
diff "$T/before" "$T/after" >"$T/diff" || fail "Ctrl-L changed the screen: the incremental
frames had drifted:
$(cat "$T/diff")"

# The display form: emoji sequences as their emoji side by side, flags
# whole, VS16 and skin tones left out, invisible characters shown.
wait_for "│  Dev 👩💻 Kim " "ZWJ sequence shown side by side"
wait_for "│  Fam 👨👩👧 Ng " "family sequence"
wait_for "│  Flag 🇺🇸 Lee " "flag whole"
wait_for "│  Love ❤ Mo " "VS16 left out"
wait_for "│  Thumb 👍 Ok " "skin tone left out"
wait_for 'An\u{200B}a' "zero-width space shown in the list"
wait_for "Zalgo e$(u '\314\201\314\202\314\203\314\204')\\u{0305" "four marks kept, the rest shown"
keys g
wait_for "│▸ Ana Ruiz" "back to the top"
keys j
wait_for '┌ An\u{200B}a · Co An\u{200B}a ' "zero-width space shown in the card title"
keys j j j j j j j
wait_for '┌ Rlo \u{202E}olleh · Co \u{202E}olleh ' "right-to-left override shown"
# The edit form shows the name escaped (not typed raw into the field, where
# it would reverse the row), and saving it unchanged changes nothing.
keys e
wait_for "Edit contact" "edit form"
wait_for 'Name Rlo \u{202E}olleh' "the name escaped in its field"
rows_ok "edit form with a right-to-left override"
keys Enter
wait_for "nothing changed" "unchanged save"
CHECKS=$((CHECKS + 1))
k show rlo | head -1 | grep -q 'Rlo \\u{202E}olleh' || fail "the name changed: $(k show rlo | head -1)"

# The thank form's title: the name escaped and the box whole.
keys j j j
wait_for "│▸ ${long%"${long#??????????????}"}" "long name selected"
keys t
wait_for "Thank xxxx" "thank form for the long name"
CHECKS=$((CHECKS + 1))
screen | grep -q '^│ ┌─ Thank x*… ─┐.│$' || fail "the long title is not fitted into its box:
$(screen)"
rows_ok "thank form with a long name"
keys Escape
wait_for "cancelled: nothing saved" "thank cancelled"
keys g
wait_for "│▸ Ana Ruiz" "top"
# "Evil\r\nName" sorts after "Dev" and before "Fam".
keys j j j
wait_for '│▸ Evil\r\nName' "Evil selected"
keys t
wait_for 'Thank Evil\r\nName' "thank form for Evil"
CHECKS=$((CHECKS + 1))
screen | grep -q '^│ ┌─ Thank Evil\\r\\nName ─*┐.│$' || fail "the title broke the box:
$(screen)"
wait_for '1. 2026-10-01 Glo\nbex \u{202E}evil (intro)' "the referral escaped in the choice"
rows_ok "thank form"
keys Escape
wait_for "cancelled: nothing saved" "thank cancelled"

# The delete dialog asks about the escaped name on one line.
keys D
wait_for "Delete contact" "delete dialog"
wait_for 'Delete Evil\r\nName with their details' "the name on one line"
rows_ok "delete dialog"
keys n
wait_for 'kept Evil\r\nName' "kept"

# The tick form's choice names the contact escaped.
keys x
wait_for "Tick a day" "tick form"
wait_for '1. 11-22 call Evil\r\nName sum\rmary' "the logged interaction escaped"
rows_ok "tick form"
keys Escape
wait_for "cancelled: nothing saved" "tick cancelled"

# The referral's view: names and targets escaped, each on one line.
keys 2
wait_for "Referrals 1" "referrals view"
keys Enter
wait_for "Outcome history" "referral view"
wait_for 'Evil\r\nName referred you to Glo\nbex \u{202E}evil' "the referral escaped"
rows_ok "referral view"
keys q
wait_gone "Outcome history" "referral view closed"
keys q
wait_for "KITH-EXIT=0" "quit"
finish
