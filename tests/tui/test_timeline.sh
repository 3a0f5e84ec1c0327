#!/bin/sh
# Scrolling a contact's timeline in the card: Tab moves the focus there, j
# and k scroll a row, PgDn a page, G (End) shows the oldest entries,
# g the newest; the card says when entries lie above or below. Then the same
# in everyone's timeline (T).
. "$KITH_TESTLIB"

k add "Tia Long" >/dev/null || fail "add"
k add "Uma Other" >/dev/null || fail "add"
# 40 interactions with Tia, one a day; "n01" is the oldest, "n40" the newest.
i=1
while [ $i -le 40 ]; do
    if [ $i -le 30 ]; then d=2026-09-$(printf '%02d' $i); else d=2026-10-$(printf '%02d' $((i - 30))); fi
    k log "Tia Long" --kind call --gave --on "$d" --summary "n$(printf '%02d' $i)" >/dev/null ||
        fail "log $i"
    i=$((i + 1))
done
k log "Uma Other" --kind coffee --mutual --on 2026-08-01 --summary "uma first" >/dev/null ||
    fail "log Uma"
CHECKS=$((CHECKS + 1))
[ "$(k timeline "Tia Long" | grep -c 'call')" = 40 ] || fail "Tia's timeline is not 40 entries"

tui_start
wait_for "▸ Tia Long" "Tia selected"
wait_for "call: n40" "the newest entry in the card"
keys Tab
keys G
wait_for "call: n01" "G shows the oldest entry"
wait_for "more above" "the card says entries lie above"
expect_screen_lacks "call: n40" "G: the newest is scrolled away"
expect_screen_lacks " more ─" "G: nothing below the oldest"
keys g
wait_for "call: n40" "g shows the newest again"
wait_gone "more above" "g: nothing above"
keys NPage
wait_for "more above" "PgDn scrolls"
expect_screen_lacks "call: n40" "PgDn: the newest is scrolled away"
keys End
wait_for "call: n01" "End shows the oldest entry"
keys k
wait_for "call: n14" "k scrolls up a row"
expect_screen_lacks "call: n01" "k: the oldest scrolled away"
wait_for " more ─" "k: the card says entries lie below"
# PgUp from the oldest page, then PgDn back to it.
keys End
wait_for "call: n01" "End again"
keys PPage
wait_gone "call: n01" "PgUp scrolls up from the end"
wait_for " more ─" "PgUp: entries lie below"
wait_for "more above" "PgUp: entries still lie above"
keys NPage
wait_for "call: n01" "PgDn comes back to the oldest entry"

# Everyone's timeline: G reaches Uma's entry, the oldest of all.
keys T
wait_for "call: n40" "everyone's timeline"
keys G
wait_for "Uma Other · coffee" "G in everyone's timeline"

keys q
wait_for "KITH-EXIT=0" "quit"
finish
