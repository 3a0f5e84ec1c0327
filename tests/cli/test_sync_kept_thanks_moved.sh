#!/bin/sh
# A thank-you's referral that a delete emptied, given back by a merge's
# move made before the delete (issue #17). Lee's referral to Tom, thanked
# on A; C merges Lee into Kim (the referral goes to Kim, the thank-you,
# which C has not seen, stays with Lee, whom A keeps). Then C merges Kim
# into Max, B (not having seen that) deletes Kim, and A edits Kim: A meets
# the delete first and keeps Kim, the thank-you's link emptied with the
# delete, then the merge, made before the delete: the referral had left
# Kim, so the delete did not take it, and the thank-you names it again,
# on every machine, as where the merge came first.
. "$KITH_TESTLIB"
export KITH_TODAY=2026-12-07

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
C="$T/c.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
kc() { "$KITH" --db "$C" "$@"; }
mkdir "$S"

for who in "Kim Lee" "Lee Ann" "Max Roe" "Tom Wu"; do
    ka add "$who" >/dev/null || fail "add $who"
done
ka refer --by "Lee Ann" --to "Tom Wu" >/dev/null || fail "refer"
rf=$(ka referrals --json | sed -n 's/.*{"id":"\([0-9a-f]*\)","referrer".*/\1/p')
[ -n "$rf" ] || fail "the referral's id"
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && kc sync "$S" >/dev/null ||
    fail "first syncs"
ka thank "Lee Ann" --for "$rf" >/dev/null || fail "A: thank"
kc merge "Kim Lee" "Lee Ann" --yes >/dev/null || fail "C: merge Lee into Kim"
kc sync >/dev/null && ka sync >/dev/null || fail "A: Lee kept"
for i in 1 2; do
    kb sync >/dev/null && kc sync >/dev/null && ka sync >/dev/null || fail "syncs $i"
done

# thanked JOURNAL WHO: the thank-you still names the referral.
thanked() {
    journal_json "$1" | tr -d '\n' | grep -q "\"referral\": \"$rf\"" ||
        fail "$2: the thank-you lost its referral"
}
thanked "$A" "A, before"

kc merge "Max Roe" "Kim Lee" --yes >/dev/null || fail "C: merge Kim into Max"
kb rm "Kim Lee" --yes >/dev/null || fail "B: rm Kim"
ka edit "Kim Lee" --title CTO >/dev/null || fail "A: edit Kim"
kb sync >/dev/null || fail "B: sync (the delete)"
ka sync >/dev/null || fail "A: sync (Kim kept)"
kc sync >/dev/null || fail "C: sync (the merge)"
ka sync >/dev/null || fail "A: sync (the merge, after the delete)"
for i in 1 2 3; do
    kb sync >/dev/null && kc sync >/dev/null && ka sync >/dev/null || fail "settling $i"
done
thanked "$A" "A"
thanked "$B" "B"
thanked "$C" "C"
same_journals "$A" "$B" "A and B"
same_journals "$A" "$C" "A and C"
finish
