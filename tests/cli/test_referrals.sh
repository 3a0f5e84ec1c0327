#!/bin/sh
# kith referrals: unthanked first, oldest first (then the thanked ones, oldest
# first); --unthanked; --by; --json with every field; columns aligned by
# display width; errors with their exit codes.
. "$KITH_TESTLIB"

expect_help referrals "usage: kith referrals [--unthanked] [--by CONTACT] [--json]" \
    "Unthanked first, oldest first."

expect_no_journal referrals

run k add Ana Ruiz
run k add Ben Okafor
run k add Dana Kim
run k add Anabel Ortiz
run k add José Núñez
run k add 王小明
expect_rc 0 "fixture"

# An empty journal lists nothing.
run k referrals
expect_rc 0 "no referrals"
expect_out_empty "no referrals"
run k referrals --json
expect_rc 0 "no referrals --json"
expect_json_valid "no referrals --json"
expect_json '[]'

# Made out of date order, so that the order shown is the query's.
second() { printf '%s\n' "$OUT" | awk 'NR == 1 { print $2 }'; }
run k refer --by josé --to 王小明 --on 2026-10-05 --kind mentor
J1=$(second)
run k refer --by "ana ruiz" --to dana --on 2026-06-01 --note "at the SMG dinner"
A1=$(second)
run k refer --by ben --to-text "Customer: Initech" --kind customer --on 2026-08-10
B1=$(second)
run k refer --by 王小明 --to-text "Café Ñandú, a very long customer name that gets cut" --on 2026-11-20 --from "$J1"
W1=$(second)
run k refer --by "ana ruiz" --to ben --on 2026-09-01
A2=$(second)
run k refer --by ben --to josé --on 2026-07-01 --kind job
B2=$(second)
expect_rc 0 "referral fixture"
run k outcome "$B2" --status hired --on 2026-08-01
run k outcome "$B1" --status lost --on 2026-09-01
# Ben is thanked for both of his (dated after them), Ana for the first one.
run k thank ben --form lunch --on 2026-08-20
run k thank "ana ruiz" --for "$A1" --form "handwritten note" --on 2026-06-02
expect_rc 0 "thanks fixture"

golden referrals_all k referrals
golden referrals_unthanked k referrals --unthanked
golden referrals_by k referrals --by "ana ruiz"
golden referrals_by_unthanked k referrals --by "ana ruiz" --unthanked

# The human order, by id.
run k referrals
got=$(printf '%s\n' "$OUT" | awk '{ print $1 }' | tr '\n' ' ')
want="$A2 $J1 $W1 $A1 $B2 $B1 "
CHECKS=$((CHECKS + 1))
[ "$got" = "$want" ] || fail "referrals order: $got, expected $want"

# Columns line up by display width (accents, CJK): the arrow and the date
# of every line start in the same column.
if [ "$HAVE_PYTHON" = 1 ]; then
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
cols = {width(l[:l.index("→")]) for l in sys.stdin.read().splitlines()}
assert len(cols) == 1, cols
' || fail "referrals columns are not aligned: $OUT"
fi

# --json: one array, the same order, every field.
run k referrals --json
expect_rc 0 "referrals --json"
expect_json_valid "referrals --json"
expect_json '{"id":"'"$A2"
expect_json '"referrer":"Ana Ruiz","referrer_id":"'
expect_json '"target":"Ben Okafor","target_id":"'
expect_json '"kind":"intro","date":"2026-09-01","outcome":"pending","thanked":false,"thanked_on":null,"thanked_form":null,"parent":null,"note":null}'
expect_json '"target":"Café Ñandú, a very long customer name that gets cut","target_id":null'
expect_json '"parent":"'"$J1"
expect_json '"kind":"job","date":"2026-07-01","outcome":"hired","thanked":true,"thanked_on":"2026-08-20","thanked_form":"lunch"'
expect_json '"kind":"customer","date":"2026-08-10","outcome":"lost","thanked":true,"thanked_on":"2026-08-20","thanked_form":"lunch"'
expect_json '"date":"2026-06-01","outcome":"pending","thanked":true,"thanked_on":"2026-06-02","thanked_form":"handwritten note","parent":null,"note":"at the SMG dinner"}'
expect_py "referrals --json: fields or order: $OUT" rs '
keys = {"id", "referrer", "referrer_id", "target", "target_id", "kind", "date", "outcome",
        "thanked", "thanked_on", "thanked_form", "parent", "note"}
assert all(set(r) == keys for r in rs), rs
assert [r["id"][:8] for r in rs] == sys.argv[1].split(), [r["id"] for r in rs]
assert all(len(r["id"]) == 32 and len(r["referrer_id"]) == 32 for r in rs), rs
assert [(r["thanked"], r["date"]) for r in rs] == sorted((r["thanked"], r["date"]) for r in rs)
assert all((r["thanked_on"] is None) != r["thanked"] for r in rs), rs
assert all((r["target_id"] is None) == (r["kind"] == "customer" or r["referrer"] == "王小明") for r in rs), rs
' "$want"

run k referrals --by ben --json
expect_json_valid "--by --json"
expect_json '"referrer":"Ben Okafor"'
expect_no_out '"referrer":"Ana Ruiz"' "--by ben --json"
expect_no_out '"referrer":"José Núñez"' "--by ben --json"
run k referrals --unthanked --json
expect_json_valid "--unthanked --json"
expect_no_out '"thanked":true' "--unthanked --json"
expect_json '"referrer":"José Núñez"'
run k referrals --by "ben okafor" --unthanked --json
expect_json_valid "--by --unthanked --json, none"
expect_json '[]'
# A contact who made no referral: an empty list.
run k referrals --by dana
expect_rc 0 "--by a contact with none"
expect_out_empty "--by dana"
# --by takes an id prefix and the folded name too.
JID=$(k list --json | sed -n 's/.*"id":"\([0-9a-f]*\)","name":"José Núñez".*/\1/p' | cut -c1-6)
run k referrals --by "$JID"
expect_rc 0 "--by an id prefix"
expect_out "José Núñez"
run k referrals --by "JOSÉ"
expect_rc 0 "--by in upper case"
expect_out "José Núñez"

# Errors: exit code, message, nothing on stdout, the journal unchanged.
sum=$(journal_sum)
refused 2 "kith referrals takes no arguments (did you mean --by?)" k referrals ben
refused 2 "unknown option '--thanked'" k referrals --thanked
refused 2 "--by needs a value" k referrals --by
refused 2 "--json takes no value" k referrals --json=yes
refused 2 "'an' matches several contacts" k referrals --by an
refused 1 "no contact matches 'carla'" k referrals --by carla
refused 1 "no contact matches 'carla'" k referrals --by carla --json
run k referrals --bogus
expect_err "usage: kith referrals [--unthanked] [--by CONTACT] [--json]"

finish
