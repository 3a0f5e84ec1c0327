#!/bin/sh
# kith refer, outcome and trail: referrals to a contact or to a text, the
# defaults, chains with --from, outcomes and their history, the trail oldest
# first with each link's thanked state; every error with its exit code and
# the journal unchanged.
. "$KITH_TESTLIB"

expect_help refer "--to-text TEXT" "--from REFERRAL"
expect_help outcome "pending, meeting, interview"
expect_help trail

# Without a journal nothing is created.
expect_no_journal refer --by ana --to-text Acme
expect_no_journal trail abcd

run k add Ana Ruiz
run k add Ben Okafor
run k add Dana Kim
run k add Anabel Ortiz
run k add Élodie Martin
run k add 王小明
expect_rc 0 "fixture"

# The second word of "recorded: ID ..." / "saved: ID ...".
second() { printf '%s\n' "$OUT" | awk 'NR == 1 { print $2 }'; }

# To a contact, with every flag but --from.
golden refer_to_contact k refer --by "ana ruiz" --to dana --kind intro --on 2026-09-01 \
    --note "met her at the SMG dinner"
R1=$(second)
# To a text, growing out of the first; the text is trimmed.
golden refer_to_text k refer --by dana --to-text "  Platform job at Globex  " --kind job \
    --on 2026-10-01 --from "$R1"
R2=$(second)
# The defaults: kind intro, today; names with accents and CJK line up.
golden refer_defaults k refer --by 王小明 --to élodie
R3=$(second)
# A note from standard input; --on=-Nd; a chain three long.
runin "she knows the CTO
and the hiring manager" k refer --by élodie --to ben --on=-10d --from "$R2" --note -
expect_rc 0 "note from stdin"
R4=$(second)

run k referrals --json
expect_rc 0 "referrals --json"
expect_json_valid "referrals after refer"
expect_json '"referrer":"Ana Ruiz","referrer_id":"'
expect_json '"target":"Dana Kim","target_id":"'
expect_json '"kind":"intro","date":"2026-09-01","outcome":"pending","thanked":false,"thanked_on":null,"thanked_form":null,"parent":null,"note":"met her at the SMG dinner"}'
expect_json '"referrer":"Dana Kim"'
expect_json '"target":"Platform job at Globex","target_id":null,"kind":"job","date":"2026-10-01"'
expect_json '"referrer":"王小明"'
expect_json '"target":"Élodie Martin"'
expect_json '"kind":"intro","date":"2026-11-22","outcome":"pending"'
expect_json '"date":"2026-11-12"'
expect_json '"note":"she knows the CTO\nand the hiring manager"}'
case "$OUT" in *'"parent":"'"$R1"*) ;; *) fail "R2's parent is not R1: $OUT" ;; esac
case "$OUT" in *'"parent":"'"$R2"*) ;; *) fail "R4's parent is not R2: $OUT" ;; esac

# An id prefix is case-insensitive and needs 4 digits.
P1=$(printf '%s' "$R1" | cut -c1-4 | tr a-f A-F)
run k outcome "$P1" --status meeting --on 2026-09-10
expect_rc 0 "outcome with an upper-case 4-digit prefix"
expect_out "meeting"

# Outcomes: each change is kept; the current one is the latest by date, so
# a change recorded late for an earlier day does not hide a later one.
golden outcome_interview k outcome "$R2" --status interview --on 2026-10-20 --note "loop booked"
golden outcome_offer k outcome "$R2" --status offer --on 2026-11-05
golden outcome_backfilled k outcome "$R2" --status meeting --on 2026-10-10
run k referrals --json
expect_json '"target":"Platform job at Globex","target_id":null,"kind":"job","date":"2026-10-01","outcome":"offer"'
# The same day as the referral is fine; so is today (the default).
run k outcome "$R4" --status won --on 2026-11-12
expect_rc 0 "outcome on the referral's day"
for s in pending meeting interview offer hired won lost none; do
    run k outcome "$R3" --status "$s"
    expect_rc 0 "outcome --status $s"
    expect_out "$s" "outcome --status $s"
    run k referrals --json
    expect_json '"target":"Élodie Martin","target_id":"' "after --status $s"
    case "$OUT" in *'"date":"2026-11-22","outcome":"'"$s"'"'*) ;; *) fail "--status $s not current: $OUT" ;; esac
done

# The trail: oldest first, each link with its thanked state.
run k thank "ana ruiz" --for "$R1" --form "handwritten note" --on 2026-09-03
expect_rc 0 "thank for R1"
golden trail_chain k trail "$R4"
golden trail_root k trail "$R1"
run k trail "$R4" --json
expect_rc 0 "trail --json"
expect_json_valid "trail --json"
expect_json '[
{"id":"'"$R1"
expect_json '"thanked":true,"thanked_on":"2026-09-03","thanked_form":"handwritten note","parent":null'
expect_json '"referrer":"Dana Kim"'
expect_json '"outcome":"offer","thanked":false,"thanked_on":null,"thanked_form":null,"parent":"'"$R1"
expect_json '"referrer":"Élodie Martin"'
expect_json '"outcome":"won","thanked":false'
expect_no_out "王小明" "trail holds only the chain"
expect_py "trail --json is not the chain oldest first" t '
assert [r["referrer"] for r in t] == ["Ana Ruiz", "Dana Kim", "Élodie Martin"], t
assert t[0]["parent"] is None and t[1]["parent"] == t[0]["id"] and t[2]["parent"] == t[1]["id"], t
keys = {"id", "referrer", "referrer_id", "target", "target_id", "kind", "date", "outcome",
        "thanked", "thanked_on", "thanked_form", "parent", "note"}
assert all(set(r) == keys for r in t), t
'
run k trail "$R3" --json
expect_json_valid "a trail of one"
expect_json '"referrer":"王小明"'
expect_no_out "Ana Ruiz" "a trail of one"

# Control characters in the text are stored as given and printed escaped.
esc=$(printf 'Acme\033[31m red\007')
run k refer --by ben --to-text "$esc"
expect_rc 0 "refer to a text with escapes"
expect_no_raw_esc "refer to a text with escapes"
RE=$(second)
run k trail "$RE"
expect_no_raw_esc "trail with escapes"
run k referrals --json
expect_no_raw_esc "referrals --json with escapes"
expect_json_valid "referrals --json with escapes"
expect_json '"target":"Acme\u001b[31m red\u0007"'

# Errors: the exit code, the message, nothing on stdout, the journal unchanged.
sum=$(journal_sum)
long=$(printf '%01001d' 0)
refused 2 "kith refer needs --by CONTACT" k refer
refused 2 "kith refer needs --by CONTACT" k refer --to dana
refused 2 "give exactly one of --to CONTACT or --to-text TEXT" k refer --by ben
refused 2 "give exactly one of --to CONTACT or --to-text TEXT" k refer --by ben --to dana --to-text Acme
refused 2 "takes no positional arguments" k refer ben --to dana
refused 2 "unknown option '--too'" k refer --by ben --too dana
refused 2 "--by needs a value" k refer --to dana --by
refused 2 "--to needs a value" k refer --by ben --to
refused 2 "--to-text needs a value" k refer --by ben --to-text
refused 2 "--from needs a value" k refer --by ben --to dana --from
refused 2 "--on needs a value" k refer --by ben --to dana --on
refused 2 "--note needs a value" k refer --by ben --to dana --note
refused 2 "'an' matches several contacts" k refer --by an --to dana
refused 2 "'an' matches several contacts" k refer --by ben --to an
refused 1 "no contact matches 'carla'" k refer --by carla --to dana
refused 1 "no contact matches 'carla'" k refer --by ben --to carla
refused 2 "a referral's target cannot be its referrer" k refer --by ben --to "ben okafor"
refused 2 "a referral needs a target" k refer --by ben --to-text "   "
refused 2 "a referral needs a target" k refer --by ben --to-text ""
refused 2 "is 1001 bytes long; the limit is 1000" k refer --by ben --to-text "$long"
refused 2 "--kind 'two words': use letters, digits, - and _ only" k refer --by ben --to dana --kind "two words"
refused 2 "--kind is empty" k refer --by ben --to dana --kind ""
refused 2 "'2026-02-30' is not a real calendar day" k refer --by ben --to dana --on 2026-02-30
refused 2 "'soon' is not a date" k refer --by ben --to dana --on soon
refused 2 "the referral's date 2026-11-23 is in the future (today is 2026-11-22)" k refer --by ben --to dana --on 2026-11-23
refused 2 "cannot grow out of a later one (dated 2026-10-01)" k refer --by ben --to dana --on 2026-09-30 --from "$R2"
refused 2 "'zzzz' is not a referral id" k refer --by ben --to dana --from zzzz
refused 2 "'abc' is too short" k refer --by ben --to dana --from abc
refused 1 "no referral has an id starting with" k refer --by ben --to dana --from ffff0000ffff
refused 2 "kith outcome needs one REFERRAL" k outcome --status won
refused 2 "kith outcome needs one REFERRAL" k outcome "$R1" "$R2" --status won
refused 2 "kith outcome needs --status" k outcome "$R1"
refused 2 "--status needs a value" k outcome "$R1" --status
refused 2 "--status must be pending, meeting, interview, offer, hired, won, lost or none" k outcome "$R1" --status maybe
refused 2 "--status must be pending" k outcome "$R1" --status ""
refused 2 "unknown option '--state'" k outcome "$R1" --state won
refused 2 "'2026-11-31' is not a real calendar day" k outcome "$R1" --status won --on 2026-11-31
refused 2 "the outcome's date 2026-11-23 is in the future" k outcome "$R1" --status won --on 2026-11-23
refused 2 "the outcome's date 2026-08-31 is before the referral (2026-09-01)" k outcome "$R1" --status won --on 2026-08-31
refused 2 "'r1' is not a referral id" k outcome r1 --status won
refused 2 "'12' is too short" k outcome 12 --status won
refused 1 "no referral has an id starting with 'ffff0000ffff'" k outcome ffff0000ffff --status won
refused 2 "kith trail needs one REFERRAL" k trail
refused 2 "kith trail needs one REFERRAL" k trail "$R1" "$R2"
refused 2 "unknown option '--all'" k trail "$R1" --all
refused 2 "'nope' is not a referral id" k trail nope
refused 1 "no referral has an id starting with 'ffff0000ffff'" k trail ffff0000ffff
# A parse error shows the usage; a refusal of the data does not.
run k refer --by ben --bogus
expect_err "usage: kith refer --by CONTACT (--to CONTACT | --to-text TEXT)"
run k outcome "$R1" --status maybe
expect_err "usage: kith outcome REFERRAL --status pending|meeting"

# An id prefix that matches two referrals lists them, exit 2. Random ids
# rarely share 4 digits, so two are given such ids directly.
if [ "$HAVE_PYTHON" = 1 ]; then
    run k refer --by ben --to-text "Twin one" --on 2026-11-01
    A=$(second)
    run k refer --by ben --to-text "Twin two" --on 2026-11-02
    B=$(second)
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for old, new in ((sys.argv[2], "abcd1111"), (sys.argv[3], "abcd2222")):
    c.execute("UPDATE referral SET id = ?2 || substr(id, 9) WHERE id LIKE ?1 || ?3",
              (old, new, "%"))
c.commit()' "$DB" "$A" "$B" || fail "could not give two referrals one prefix"
    sum=$(journal_sum)
    refused 2 "'abcd' matches several referrals; use more of the id:" k outcome abcd --status won
    expect_err "2026-11-01  Ben Okafor -> Twin one"
    expect_err "2026-11-02  Ben Okafor -> Twin two"
    refused 2 "'abcd' matches several referrals" k trail ABCD
    refused 2 "'abcd' matches several referrals" k refer --by ben --to dana --from abcd
    refused 2 "'abcd' matches several referrals" k thank ben --for abcd
    run k trail abcd2
    expect_rc 0 "a longer prefix picks one"
    expect_out "Twin two"
fi

finish
