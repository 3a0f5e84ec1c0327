#!/bin/sh
# `kith list` on a terminal (tmux): the columns line up whatever the names
# hold: emoji ZWJ sequences, flags, VS16, skin tones, keycaps, CJK,
# combining marks, zero-width characters. tmux draws a ZWJ sequence in one
# cell where wcwidth() counts its parts, so kith shows its parts.
. "$KITH_TESTLIB"

u() { printf "$1"; }
ZWJ=$(u '\342\200\215')
VS16=$(u '\357\270\217')
for name in "Ana Ruiz" "Dev 👩${ZWJ}💻 Kim" "Fam 👨${ZWJ}👩${ZWJ}👧 Ng" "Flag 🇺🇸 Lee" "Love ❤${VS16} Mo" \
    "Thumb 👍🏽 Ok" "Key 1${VS16}$(u '\342\203\243') Pad" "张伟 Zhang" "Zoe$(u '\314\210') Lee" \
    "An$(u '\342\200\213')a" "Long 👩${ZWJ}💻👩${ZWJ}💻👩${ZWJ}💻👩${ZWJ}💻👩${ZWJ}💻👩${ZWJ}💻 Name"; do
    k add "$name" --company Acme >/dev/null || fail "add $name"
done
# Sequences in the other columns too, on one row only.
k edit "Ana Ruiz" --company "🇫🇷 👩${ZWJ}🔬 Lab" --tag "t👩${ZWJ}💻" >/dev/null || fail "edit Ana"

tui_start list
wait_for "KITH-EXIT=0" "kith list ran"
# The rows (86 columns) wrap at the terminal's 80: where tmux wrapped each
# one shows where it put every character. A row whose characters took fewer
# cells in tmux than kith counted wraps later: its first line holds more
# columns of text (as wc -L counts them) and its rest is shorter.
# The header is in the scrollback.
tmux -L "$TMUX_SOCK" capture-pane -p -S -100 | grep -v -e '^KITH-EXIT' -e '^$' >"$T/list"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/list")" = 24 ] || fail "expected a header and 11 rows, each wrapped once:
$(cat "$T/list")"
CHECKS=$((CHECKS + 1))
firsts=$(sed -n 'p;n' "$T/list" | while IFS= read -r line; do printf '%s' "$line" | wc -L; done |
    sort -u)
[ "$(printf '%s\n' "$firsts" | wc -l)" = 1 ] || fail "rows wrapped at different places ($firsts):
$(cat "$T/list")"
CHECKS=$((CHECKS + 1))
rests=$(sed -n 'n;p' "$T/list" | tail -n +2 | sort -u | wc -l)
[ "$rests" = 1 ] || fail "the age column moves:
$(cat "$T/list")"
CHECKS=$((CHECKS + 1))
grep -q "Dev 👩💻 Kim  " "$T/list" || fail "the ZWJ sequence is not shown as its emoji"
finish
