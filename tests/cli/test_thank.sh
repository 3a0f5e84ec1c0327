#!/bin/sh
# kith thank and the thanked rule: a referral is thanked by a thank-you to
# its referrer that is for it, or that is dated on or after it; thanked_on is
# the earliest such thank-you and thanked_form its form. --unthanked lists
# the rest. Every error with its exit code and the journal unchanged.
. "$KITH_TESTLIB"

expect_help thank "usage: kith thank CONTACT [--for REFERRAL]" "dated on or after it"

expect_no_journal thank ana

run k add Ana Ruiz
run k add Ben Okafor
run k add Dana Kim
run k add Anabel Ortiz
expect_rc 0 "fixture"
second() { printf '%s\n' "$OUT" | awk 'NR == 1 { print $2 }'; }
run k refer --by "ana ruiz" --to dana --on 2026-09-01
A1=$(second)
run k refer --by "ana ruiz" --to-text "Masterclass at Acme" --kind masterclass --on 2026-10-15
A2=$(second)
run k refer --by ben --to-text "Customer: Initech" --kind customer --on 2026-10-01
B1=$(second)
run k refer --by dana --to ben --on 2026-11-01
D1=$(second)
expect_rc 0 "referral fixture"

# thanked STATE FORM? ID: the referral's state in referrals --json.
state() {
    run k referrals --json
    printf '%s' "$OUT" | tr '\n' ' ' | sed 's/},/}\n/g' | grep "\"id\":\"$1" >"$T/row"
    CHECKS=$((CHECKS + 1))
    grep -qF "$2" "$T/row" || fail "referral $1: lacks $2: $(cat "$T/row")"
}
state "$A1" '"thanked":false,"thanked_on":null,"thanked_form":null'
golden thank_unthanked_all k referrals --unthanked

# For a referral, with a form that has spaces, dated after it.
golden thank_for k thank "ana ruiz" --for "$A1" --form "handwritten note" --on 2026-09-05
state "$A1" '"thanked":true,"thanked_on":"2026-09-05","thanked_form":"handwritten note"'
# It is dated before Ana's second referral and not for it: that one waits.
state "$A2" '"thanked":false,"thanked_on":null'

# Without --for: a thank-you dated before a referral does not count ...
golden thank_defaults k thank dana --on 2026-10-31
state "$D1" '"thanked":false'
# ... one dated on the referral's day does, with the default form.
run k thank dana --on 2026-11-01
expect_rc 0 "thank on the referral's day"
expect_out "thanked Dana Kim (email) on 2026-11-01"
state "$D1" '"thanked":true,"thanked_on":"2026-11-01","thanked_form":"email"'
# A thank-you to someone else never counts.
run k thank ben --form lunch --on 2026-10-20
expect_rc 0 "thank Ben"
state "$A2" '"thanked":false'
# Ben's lunch is dated after his referral, so it counts for it.
state "$B1" '"thanked":true,"thanked_on":"2026-10-20","thanked_form":"lunch"'
# A thank-you for a referral cannot be dated before it (as outcomes
# cannot); the earliest thank-you that counts gives thanked_on and
# thanked_form.
sum=$(journal_sum)
run k thank ben --for "$B1" --form call --on 2026-09-28 --note "called before the deal closed"
expect_rc 2 "thank for B1, dated before it"
expect_err "the thank-you's date 2026-09-28 is before the referral it is for (2026-10-01)"
expect_sum "$sum" "a refused thank-you"
run k thank ben --for "$B1" --form call --on 2026-10-01 --note "called the day it came"
expect_rc 0 "thank for B1 on its day"
expect_out "thanked Ben Okafor (call) on 2026-10-01 for referral"
state "$B1" '"thanked":true,"thanked_on":"2026-10-01","thanked_form":"call"'

golden thank_unthanked_one k referrals --unthanked
run k referrals --unthanked --json
expect_json_valid "--unthanked --json"
expect_json '"target":"Masterclass at Acme"'
expect_no_out "Dana Kim\",\"target_id\"" "--unthanked --json holds only unthanked"
expect_no_out '"thanked":true' "--unthanked --json"

# Today by default; a thank-you to Ana today thanks the rest.
run k thank "ana ruiz" --note -
expect_rc 0 "thank today, note from stdin"
expect_out "thanked Ana Ruiz (email) on 2026-11-22"
state "$A2" '"thanked":true,"thanked_on":"2026-11-22","thanked_form":"email"'
# A1 keeps its earlier thank-you.
state "$A1" '"thanked_on":"2026-09-05","thanked_form":"handwritten note"'
run k referrals --unthanked
expect_rc 0 "--unthanked with all thanked"
expect_out_empty "--unthanked with all thanked"
run k referrals --unthanked --json
expect_json_valid "--unthanked --json, none"
expect_json '[]'
golden thank_all_thanked k referrals

# Forms: trimmed, kept as written; a name, a fragment or an id prefix.
run k thank "Ben Okafor" --form "  gift card  " --on -1d
expect_rc 0 "trimmed form"
expect_out "thanked Ben Okafor (gift card) on 2026-11-21"
BID=$(k list --json | sed -n 's/.*"id":"\([0-9a-f]*\)","name":"Ben Okafor".*/\1/p' | cut -c1-6)
run k thank "$BID" --form note
expect_rc 0 "thank by id prefix"
expect_out "thanked Ben Okafor (note) on 2026-11-22"

# Errors: the exit code, the message, nothing on stdout, the journal unchanged.
sum=$(journal_sum)
refused 2 "kith thank needs a CONTACT" k thank
refused 2 "kith thank needs a CONTACT" k thank --form email
refused 2 "kith thank takes one CONTACT (quote names with spaces)" k thank Ana Ruiz
refused 2 "unknown option '--fro'" k thank ben --fro "$B1"
refused 2 "--for needs a value" k thank ben --for
refused 2 "--form needs a value" k thank ben --form
refused 2 "--on needs a value" k thank ben --on
refused 2 "--note needs a value" k thank ben --note
refused 2 "'an' matches several contacts" k thank an
refused 1 "no contact matches 'carla'" k thank carla
refused 1 "no contact matches 'carla'" k thank carla --for "$B1"
# --for a referral someone else made is refused, naming who made it.
refused 2 "that referral was made by Ana Ruiz, not Ben Okafor; thank Ana Ruiz for it" k thank ben --for "$A1"
refused 2 "that referral was made by Dana Kim, not Anabel Ortiz" k thank anabel --for "$D1"
refused 2 "'xyz1' is not a referral id" k thank ben --for xyz1
refused 2 "'b1' is too short" k thank ben --for b1
refused 1 "no referral has an id starting with 'ffff0000ffff'" k thank ben --for ffff0000ffff
refused 2 "form is empty" k thank ben --form ""
refused 2 "form is empty" k thank ben --form "   "
refused 2 "form is longer than 40 bytes" k thank ben --form "$(printf '%041d' 0)"
refused 2 "form" k thank ben --form "$(printf 'gift\tcard')"
refused 2 "'2026-02-29' is not a real calendar day" k thank ben --on 2026-02-29
refused 2 "'next week' is not a date" k thank ben --on "next week"
refused 2 "the thank-you's date 2026-11-23 is in the future (today is 2026-11-22)" k thank ben --on 2026-11-23
head -c 1048577 /dev/zero | tr '\0' n >"$T/big"
runfile "$T/big" k thank ben --note -
expect_rc 2 "a note over 1 MiB"
expect_err "note from standard input is longer than 1048576 bytes"
expect_sum "$sum" "a note over 1 MiB"
run k thank ben --bogus
expect_err "usage: kith thank CONTACT [--for REFERRAL] [--form FORM] [--on DATE] [--note TEXT]"

finish
