#!/bin/sh
# The Stats view (5): the figures of kith stats as bars and sparklines of
# Unicode blocks, scrolled with j/k; the card's 12-month sparkline of
# interactions with the contact.
. "$KITH_TESTLIB"

k add Ana Ruiz >/dev/null
k add Ben Okafor >/dev/null
k log ana --kind coffee --mutual --on 2026-09-07 >/dev/null
k log ana --kind article --gave --on 2026-10-08 >/dev/null
k log ana --kind article --gave --on 2026-11-09 >/dev/null
k log ana --kind call --gave --on 2026-11-10 >/dev/null
k log ben --kind advice --asked --on 2026-11-17 >/dev/null
k forward "helped a student" --on 2026-11-18 >/dev/null
k refer --by ana --to ben --on 2026-09-01 >/dev/null
k thank ana --on 2026-09-05 >/dev/null

tui_start
wait_for "▸ Ana Ruiz" "started"
# Ana: one in September, one in October, two in November, none before.
wait_for "12 mo ·········▁▁█" "the card's 12-month sparkline"

keys 5
wait_for "Stats · 2025-12-01 to 2026-11-22" "the Stats view"
wait_for "Acts per week  7 in 51 weeks" "acts per week, counted"
wait_for "» forward" "the per-month header"
wait_for "2026-11   2 ███████████   1 █████▌        0               1 █████▌" \
    "November's bars, the pay-it-forward's too"
expect_screen_lacks "Thank-yous" "the thank-yous are below the screen"
keys j j j j j j
wait_for "Thank-yous  4 days from a referral to its thank-you (median)" "the thank-you latency"
expect_screen_lacks "Who opened doors" "the last section is below the screen"
keys G
wait_for "Who opened doors for you" "G scrolls to the end"
wait_for "Ana Ruiz" "who opened doors"
keys g
wait_for "Acts per week" "g back to the top"

# A narrow screen still draws it.
resize 60 20
wait_for "Acts per week" "at 60 columns"
wait_for "┌ Stats · 2025-12-01 to 2026-11-22 ───" "the title whole, the hint left out"
keys 4
wait_for "┌ Give · " "the Give view at 60 columns"
CHECKS=$((CHECKS + 1))
screen | grep "┌ Give · " | grep -q "…" && fail "the Give view's title is cut: $(screen)"
keys 5
resize 80 24
keys q
wait_for "KITH-EXIT=0" "quit"
finish
