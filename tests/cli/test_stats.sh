#!/bin/sh
# kith stats: acts per week, gave/asked/mutual/forward per month, the
# thank-you latency, referrals by outcome, challenge completion and habit,
# who opened doors; --since, --json; plain output that reads in a pipe
# (no escape codes, no trailing blanks). KITH_TODAY is 2026-11-22.
. "$KITH_TESTLIB"

run k stats --help
expect_rc 0 "stats --help"
expect_out "usage: kith stats [--since DATE] [--json]"

k add Ana Ruiz >/dev/null
golden stats_empty k stats --since 2026-11-01

k add Ben Okafor >/dev/null
k add Cy Dunn >/dev/null
k add Dee Park >/dev/null
# Interactions in three months, every direction; pay-it-forwards; thank-yous.
k log ana --kind coffee --mutual --on 2026-09-07 >/dev/null
k log ana --kind article --gave --on 2026-09-08 >/dev/null
k log ben --kind advice --asked --on 2026-10-05 >/dev/null
k log ben cy --kind intro --gave --on 2026-10-06 >/dev/null
k log cy --kind call --mutual --on 2026-11-16 >/dev/null
k log dee --kind advice --asked --on 2026-11-17 >/dev/null
k log dee --kind article --gave --on 2026-11-18 >/dev/null
k forward "helped a student" --on 2026-11-18 >/dev/null
k forward "spoke at a meetup" --to cy --on 2026-10-20 >/dev/null
# Referrals: thanked after 2, 4 and 10 days, one waiting; outcomes.
# refer ARGS...: records a referral; its short id into R.
refer() { R=$(k refer "$@" | awk '{ print $2 }'); }
refer --by ana --to ben --on 2026-09-01
r1=$R
refer --by ana --to-text "Globex job" --kind job --on 2026-10-01
r2=$R
refer --by ben --to dee --on 2026-10-10
r3=$R
refer --by cy --to-text "Initech" --kind customer --on 2026-11-01
set -- "$r1" "$r2" "$r3"
k outcome "$1" --status hired >/dev/null
k outcome "$2" --status interview >/dev/null
k outcome "$3" --status won >/dev/null
k thank ana --for "$1" --on 2026-09-03 >/dev/null
k thank ana --for "$2" --on 2026-10-05 >/dev/null
k thank ben --for "$3" --on 2026-10-20 >/dev/null
# A challenge: 5 of its 12 days so far.
k challenge start --on 2026-11-11 --days 30 >/dev/null
for d in 2026-11-20 2026-11-21 2026-11-22; do k tick --on "$d" >/dev/null; done
KITH_TODAY=2026-11-12 k tick >/dev/null
KITH_TODAY=2026-11-14 k tick >/dev/null

golden stats_year k stats
golden stats_since k stats --since 2026-10-01

run k stats
CHECKS=$((CHECKS + 1))
printf '%s\n' "$OUT" | grep -q ' $' && fail "stats: trailing blanks"
expect_no_raw_esc "stats in a pipe"

run k stats --json
expect_rc 0 "stats --json"
expect_json_valid "stats --json"
expect_json '{"since":"2025-12-01","until":"2026-11-22","acts_per_week":[{"week":"2025-12-01","acts":0},'
expect_json '{"week":"2026-11-16","acts":4}]'
expect_json '{"month":"2026-10","gave":1,"asked":1,"mutual":0,"forward":1}'
expect_json '{"month":"2026-11","gave":1,"asked":1,"mutual":1,"forward":1}]'
expect_json '"thanks":{"referrals":4,"thanked":3,"median_days":4}'
expect_json '"outcomes":{"pending":1,"meeting":0,"interview":1,"offer":0,"hired":1,"won":1,"lost":0,"none":0}'
expect_json '"challenges":[{"started_on":"2026-11-11","days":30,"done":5,"completion":16,"habit_strength":'
expect_json '"active":true}]'
expect_json '"opened_doors":[{"id":"'
expect_json '"name":"Ana Ruiz","referrals":2,"won":1},{"id":"'
if [ "$HAVE_PYTHON" = 1 ]; then
    printf '%s' "$OUT" | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert set(s) == {"since", "until", "acts_per_week", "per_month", "thanks", "outcomes", "challenges", "opened_doors"}, s
assert len(s["acts_per_week"]) == 51 and len(s["per_month"]) == 12, s
assert sum(w["acts"] for w in s["acts_per_week"]) == 7 + 2 + 3, s
' || fail "stats --json: shape: $OUT"
fi

# Errors: the reason, exit 2.
run k stats --since tomorrow
expect_rc 2 "--since in the future"
expect_err "is after today"
run k stats --since 2026-13-01
expect_rc 2 "a bad date"
run k stats extra
expect_rc 2 "an argument"
finish
