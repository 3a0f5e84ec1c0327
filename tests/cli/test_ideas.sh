#!/bin/sh
# kith ideas: one golden per kind of idea (each from a journal of its own,
# KITH_TODAY pinned), all of them ranked together, --json, --limit, and
# --done N acting on an idea (a thank-you recorded with it, today ticked);
# what makes an idea go away once acted on.
. "$KITH_TESTLIB"

printf 'me:\n  offers: [resume reviews, intros to engineering managers]\n' >"$T/me.yaml"

run k ideas --help
expect_rc 0 "ideas --help"
expect_out "usage: kith ideas [--limit N] [--json]"
expect_out "--done N"

# setup TYPE: adds to the journal $DB what makes one idea of TYPE.
setup() {
    case $1 in
    thank)
        k add Ana Ruiz >/dev/null
        k refer --by ana --to-text "Globex platform team" --kind job --on 2026-10-01 >/dev/null ;;
    report)
        k add Ben Okafor >/dev/null
        k log ben --kind advice --asked --on 2026-09-01 --summary "how to negotiate" >/dev/null ;;
    birthday)
        k add Cleo Park --birthday 11-23 >/dev/null ;;
    reconnect)
        k add Dev Patel --every 3w >/dev/null
        k log dev --kind coffee --on 2026-10-01 >/dev/null
        k add Eve Stone --tag mentor >/dev/null
        k log eve --kind call --on 2026-08-01 >/dev/null ;;
    give)
        k add Finn Berg >/dev/null
        k log finn --kind favor --asked --on 2026-11-01 >/dev/null
        k log finn --kind favor --asked --on 2026-11-15 >/dev/null ;;
    intro)
        k add Gia Rossi --need "intro to a seed investor" >/dev/null
        k add Hal Moore --offer "seed investing" >/dev/null
        k add Ida Lund --working-on "investing in climate" >/dev/null ;;
    share)
        k add Ivy Chen --need "feedback on my resume" >/dev/null ;;
    esac
}

for type in thank report birthday reconnect give intro share; do
    DB="$T/$type.db"
    setup $type
    golden "ideas_$type" k --config "$T/me.yaml" ideas
done

# Each acted on: the act is logged, today ticked in a running challenge,
# and the idea gone.
DB="$T/thank.db"
k challenge start --on 2026-11-20 >/dev/null
golden ideas_done_thank k ideas --done 1
run k referrals --json
expect_json '"thanked":true'
run k timeline ana
expect_out "gave    thank-you"
run k ideas
expect_out "No ideas today"
run k challenge --json
expect_json '"today_done":true'
# Undo
# The day is ticked with the interaction that was the act.
iid=$(k timeline ana --json | sed -n 's/.*"id":"\([0-9a-f]\{32\}\)","date":"2026-11-22".*/\1/p' | head -1)
CHECKS=$((CHECKS + 1))
[ -n "$iid" ] || fail "no interaction of today in: $(k timeline ana --json)"
expect_json '"ticks":[{"date":"2026-11-22","note":null,"interaction":"'"$iid"'"' "the tick names the act" takes the act, the thank-you and the tick back together.
run k undo
expect_out "undid: acted on an idea: Thank Ana Ruiz for the job: Globex platform team"
run k ideas
expect_out "Thank Ana Ruiz"
run k challenge --json
expect_json '"today_done":false'
# --summary and --note say what was done.
run k ideas --done 1 --summary "took her to lunch" --note "she liked it"
run k timeline ana --json
expect_json '"summary":"took her to lunch","note":"she liked it"'

DB="$T/report.db"
run k ideas --done 1
expect_out "logged update (gave) with Ben Okafor"
expect_no_out "ticked" # no challenge running
run k ideas
expect_out "No ideas today"

DB="$T/birthday.db"
run k ideas --done 1
expect_out "logged birthday (gave) with Cleo Park"
run k ideas
expect_out "No ideas today"

DB="$T/intro.db"
golden ideas_done_intro k ideas --done 1
run k timeline gia --json
expect_json '"kind":"intro","direction":"gave"'
expect_json '"name":"Hal Moore"'
run k ideas
expect_no_out "Introduce Gia Rossi to Hal Moore"

DB="$T/share.db"
run k --config "$T/me.yaml" ideas --done 1
expect_out "logged help (gave) with Ivy Chen"
run k --config "$T/me.yaml" ideas
expect_out "No ideas today"

# All of them together, ranked, each kind once before any comes twice.
DB="$T/all.db"
for type in thank report birthday reconnect give intro share; do
    setup $type
done
golden ideas_all k --config "$T/me.yaml" ideas
run k --config "$T/me.yaml" ideas --json
expect_rc 0 "ideas --json"
expect_json_valid "ideas --json"
expect_json '{"n":1,"type":"thank","score":126,"headline":"Thank Ana Ruiz for the job: Globex platform team"'
expect_json '{"n":2,"type":"birthday","score":105,"headline":"Wish Cleo Park a happy birthday"'
expect_json '"type":"intro","score":56,"headline":"Introduce Gia Rossi to Hal Moore","reason":"Gia Rossi needs '"'"'intro to a seed investor'"'"'; Hal Moore offers '"'"'seed investing'"'"' (seed, invest)","contacts":[{"id":"'
expect_json '"act":{"kind":"intro","direction":"gave","summary":"introduced Gia Rossi to Hal Moore: intro to a seed investor"}}'
expect_json '"referral":"'
if [ "$HAVE_PYTHON" = 1 ]; then
    printf '%s' "$OUT" | python3 -c '
import json, sys
ideas = json.load(sys.stdin)
types = [i["type"] for i in ideas]
assert sorted(set(types)) == sorted(["thank", "report-back", "birthday", "reconnect", "give", "intro", "share"]), types
assert [i["n"] for i in ideas] == list(range(1, len(ideas) + 1)), ideas
for i in ideas:
    assert set(i) == {"n", "type", "score", "headline", "reason", "contacts", "referral", "act"}, i
' || fail "ideas --json: not every kind, or fields missing: $OUT"
fi
run k --config "$T/me.yaml" ideas --limit 2
expect_out " 1  thank"
expect_out " 2  birthday"
expect_no_out " 3  "
# The same day, the same numbers.
run k --config "$T/me.yaml" ideas
first=$OUT
run k --config "$T/me.yaml" ideas
CHECKS=$((CHECKS + 1))
[ "$first" = "$OUT" ] || fail "two runs numbered differently"

# What keeps an idea away: an intro logged with both, a gift lately.
k log gia hal --kind intro --gave --on 2026-11-01 >/dev/null
k log ivy --kind article --gave --on 2026-11-20 >/dev/null
run k --config "$T/me.yaml" ideas
expect_no_out "Introduce Gia Rossi"
expect_no_out "Offer Ivy Chen"
# Archived contacts give no ideas.
k edit cleo --archive >/dev/null
run k --config "$T/me.yaml" ideas
expect_no_out "Cleo"

# Usage errors change nothing.
sum=$(journal_sum)
for args in "--done 0" "--done x" "--done 1 --json" "--summary x" "--limit 0" "extra"; do
    run k ideas $args
    expect_rc 2 "ideas $args"
done
run k ideas --done 99
expect_rc 1 "no such idea"
expect_err "there is no idea 99 today"
expect_sum "$sum" "refused ideas"
finish
