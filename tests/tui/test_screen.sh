#!/bin/sh
# The TUI's screen: resizing, wide characters, hostile names, signals.
. "$KITH_TESTLIB"

k add "张伟 Zhang" --company "北京公司" >/dev/null
k add "Emoji 🎉 Party" --company Fun >/dev/null
k add "$(printf 'Evil\033[2J\033]0;pwned\007Name')" --company "$(printf 'X\033[31mred')" >/dev/null
k add "Plain Ascii" --company Acme >/dev/null
k log "Plain Ascii" --kind coffee --gave >/dev/null
tui_start

wait_for "Contacts 4" "list"
# Wide names align: the goodwill column ends at the same place on every row.
wait_for "张伟 Zhang" "CJK name"
wait_for "Emoji 🎉 Party" "emoji name"
# Every row's list border sits at the same display column (wc -L counts
# display columns: CJK and emoji count 2).
widths=$(screen | grep -E '^│.*(张伟|Emoji|Plain|Evil)' | while IFS= read -r line; do
    printf '%s\n' "$line" | sed 's/││.*/│/' | wc -L
done | sort -u)
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$widths" | wc -l)" = 1 ] || fail "list border not aligned across wide names: $widths"

# Escape sequences in names are shown escaped and change nothing.
wait_for 'Evil\e[2J\e]0;' "escaped name in the list"
keys j
wait_for 'Evil\e[2J\e]0;pwned\x07Name' "escaped name in full on the card"
wait_for "Contacts 4" "screen not cleared by the name"
title=$(tmux -L "$TMUX_SOCK" display -p '#{pane_title}')
CHECKS=$((CHECKS + 1))
case "$title" in *pwned*) fail "the name changed the terminal title: $title" ;; esac

# Resize: 200x60, 60x16, 40x10 (too small), back to 80x24; selection kept.
wait_for "▸ Evil" "second row selected"
resize 200 60
wait_for "北京公司" "200x60 has room for the company column"
wait_for "▸ Evil" "selection kept at 200x60"
resize 60 16
wait_for "Contacts 4" "60x16 still lays out"
wait_for "▸ Evil" "selection kept at 60x16"
resize 40 10
wait_for "terminal too small" "40x10 explains"
resize 80 24
wait_for "▸ Evil" "back to 80x24 with the selection"
wait_gone "terminal too small" "too-small screen gone"

# A form survives a resize with what was typed.
keys a
wait_for "Add a contact" "form"
text "Half Typed"
resize 100 30
wait_for "Half Typed" "form contents kept across a resize"
keys Escape
wait_for "Discard changes?" "asked before dropping the typed text"
keys y
wait_for "cancelled" "form cancelled"

# Help open while the terminal shrinks: every cell is drawn again, and the
# bottom line is the key hints with nothing left of the bigger box (tmux
# scrolls the rows it drops, which curses does not know).
resize 160 30
keys '?'
wait_for "Keys here" "help open at 160x30"
resize 70 20
hints=' ? help  a add  e edit  l log  Enter open  x tick  t thank  u undo'
i=0
while [ "$(screen | tail -n 1)" != "$hints" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
CHECKS=$((CHECKS + 1))
[ "$(screen | tail -n 1)" = "$hints" ] || fail "bottom line after a shrink with help open: '$(screen | tail -n 1)'"
keys q
wait_gone "Keys here" "help closed"
resize 80 24

# Ctrl-C quits cleanly and the terminal is restored.
keys C-c
wait_for "KITH-EXIT=0" "Ctrl-C quits"
i=0
while [ ! -s "$T/stty.after" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/stty.before")" = "$(cat "$T/stty.after")" ] ||
    fail "terminal modes differ: before $(cat "$T/stty.before") after $(cat "$T/stty.after")"
finish
