#!/bin/sh
# kith dupes and kith merge: likely duplicates with their reasons, and
# making two contacts one in one transaction, every error path refused
# without a change.
. "$KITH_TESTLIB"

cat >"$T/people.vcf" <<'VCF'
BEGIN:VCARD
VERSION:3.0
FN:Ana Ruiz
EMAIL:ana@acme.example
TEL:+1 555 010 2030
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:phone-1
FN:Ana R.
EMAIL:Ana@Acme.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Robert Lee
TEL:(555) 010-2030
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bob Lee
NICKNAME:Bobby
TITLE:Founder
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Park
URL:https://www.linkedin.com/in/sampark1
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Park
URL:https://www.linkedin.com/in/sampark2
END:VCARD
VCF

run k dupes
expect_rc 1 "dupes without a journal"
expect_err "no journal at"
run k import vcard "$T/people.vcf"
expect_out "added 6, merged 0, skipped 0, empty 0" "a shared phone, an email in another case: no merge"

golden_t dupes_list k dupes
run k dupes --json
expect_rc 0 "dupes --json"
expect_json_valid "dupes --json"
expect_json '"reasons":["email","similar name"],"detail":"ana@acme.example"'
expect_json '"reasons":["phone"],"detail":"+1 555 010 2030"'
expect_no_out "Sam Park" "two LinkedIn profiles are two people"
run k dupes --limit 1
expect_out "1+ likely duplicate"
# On a terminal, names that would act on it are escaped, in JSON too.
printf 'BEGIN:VCARD\nFN:Rlo\342\200\256Mark\nEMAIL:rlo@x.example\nEND:VCARD\nBEGIN:VCARD\nFN:Rlo Two\nEMAIL:RLO@x.example\nEND:VCARD\n' >"$T/rlo.vcf"
k import vcard "$T/rlo.vcf" >/dev/null || fail "import rlo"
if command -v script >/dev/null 2>&1; then
    runtty dupes --json
    expect_rc 0 "dupes --json on a terminal"
    expect_out 'Rlo\u202eMark' "escaped in JSON on a terminal"
    runtty dupes
    expect_out 'Rlo\u{202E}Mark' "escaped in text on a terminal"
fi
run k dupes --json
expect_out "$(printf 'Rlo\342\200\256Mark')" "raw into a pipe"

# Merge: Bob's interactions, referrals and thank-yous move to Robert; Bob's
# name stays as a nickname.
k log "Bob Lee" --kind coffee --gave --summary "before the merge" >/dev/null || fail "log"
k log "Bob Lee" "Robert Lee" --kind call --mutual >/dev/null || fail "log both"
k refer --by "Bob Lee" --to-text "Globex" >/dev/null || fail "refer"
k thank "Bob Lee" --form lunch >/dev/null || fail "thank"
run k merge "Robert Lee" "Bob Lee"
expect_rc 2 "merge without a terminal"
expect_err "not merging without --yes (no terminal to ask)"
golden merge_yes k merge "Robert Lee" "Bob Lee" --yes
run k show "Robert Lee" --json
expect_json '"nicknames":["Bobby","Bob Lee"]' "a merge never drops a name"
expect_json '"title":"Founder"' "an empty field filled"
expect_json '"gave":1,"asked":0,"mutual":1' "interactions moved, the shared one once"
run k referrals --by "Robert Lee"
expect_out "Globex"
run k show "Bob Lee"
expect_rc 1 "Bob is gone"
run k dupes --json
expect_no_out "Bob Lee"

# Refusals, each changing nothing.
sum=$(journal_sum)
refused_cases \
    "2|kith merge takes two contacts: KEEP OTHER|merge 'Robert Lee'" \
    "2|kith merge takes two contacts: KEEP OTHER|merge a b c --yes" \
    "2|KEEP and OTHER are the same contact|merge 'Robert Lee' 'robert lee' --yes" \
    "1|no contact matches 'nobody'|merge 'Robert Lee' nobody --yes" \
    "2|matches several contacts|merge 'Sam Park' 'Ana Ruiz' --yes" \
    "2|unknown option '--keep'|merge a b --keep" \
    "2|kith dupes takes no arguments|dupes Ana" \
    "2|--limit wants a whole number|dupes --limit 0"
# The two Sams by id (the first column of the list).
sams=$(k list --search "sam park" | tail -n +2 | cut -c1-8)
sam1=$(echo "$sams" | sed -n 1p)
sam2=$(echo "$sams" | sed -n 2p)
run k merge "$sam1" "$sam2" --yes
expect_rc 2 "two LinkedIn profiles"
expect_err "different LinkedIn profiles"
expect_sum "$sum" "two LinkedIn profiles"
run k merge "$sam1" "$sam2" --yes --force
expect_rc 0 "--force"
run k merge --help
expect_rc 0 "merge --help"
expect_out "usage: kith merge KEEP OTHER"
run k dupes --help
expect_out "usage: kith dupes"

finish
