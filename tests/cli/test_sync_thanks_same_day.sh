#!/bin/sh
# One referral thanked on two machines the same day, in two forms: after
# they sync, both journals hold both thank-yous and show the same one as
# the referral's (the earlier by id on a day, not each journal's own
# order of arrival).
. "$KITH_TESTLIB"
export KITH_TODAY=2026-12-07

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
mkdir "$S"

# Six referrals, each thanked on both: the journals' own orders agree on
# all six by chance once in 64 runs.
ka add "Ana Ruiz" >/dev/null || fail "add"
for i in 1 2 3 4 5 6; do
    ka add "Ben $i" >/dev/null && ka refer --by Ana --to "Ben $i" >/dev/null || fail "referral $i"
done
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null || fail "first syncs"
for rf in $(ka referrals --json | sed -n 's/.*{"id":"\([0-9a-f]*\)","referrer".*/\1/p'); do
    ka thank Ana --for "$rf" --form note >/dev/null || fail "A: thank"
    kb thank Ana --for "$rf" --form email >/dev/null || fail "B: thank"
done
ka sync >/dev/null && kb sync >/dev/null && ka sync >/dev/null || fail "syncs"
same_journals "$A" "$B" "A and B"
run ka referrals
expect_out "✓ 2026-12-07"
a_out=$(ka referrals) && b_out=$(kb referrals) || fail "referrals"
[ "$a_out" = "$b_out" ] || fail "kith referrals differs:
$a_out
---
$b_out"
[ "$(ka referrals --json)" = "$(kb referrals --json)" ] || fail "referrals --json differs"
finish
