#!/bin/sh
# kith edit: changing, clearing, adding to and removing from each field,
# renaming, archiving; each usage error leaves the journal unchanged.
. "$KITH_TESTLIB"
TAB=$(printf '\t')

run k add Ana Ruiz --company Acme --title Engineer --tag mentor --email ana@acme.example \
    --phone "+1 555 0100" --link https://ana.example --location Madrid --met-on 2024-03-10 \
    --how-met "a conference" --birthday 04-12 --note "first note" --working-on "a launch"
run k add Ben Okafor
expect_rc 0 "fixture"

run k edit --help
expect_rc 0 "edit --help"
expect_out "usage: kith edit CONTACT"
expect_out "--untag T"

golden edit_saved k edit ana --title "VP Engineering" --company Globex

run k show ana --json
expect_json '"company":"Globex","title":"VP Engineering"' "changed fields"
expect_json '"location":"Madrid"' "untouched field kept"

# Lists: --email, --phone, --link and --tag add; --remove-*/--untag remove.
run k edit ana --email ana@globex.example --phone "+1 555 0199" --link https://b.example \
    --tag Alumni --untag mentor --remove-email ana@acme.example
expect_rc 0 "list changes"
run k show ana --json
expect_json '"tags":["Alumni"]'
expect_json '"emails":["ana@globex.example"]'
expect_json '"phones":["+1 555 0100","+1 555 0199"]'
expect_json '"links":["https://ana.example","https://b.example"]'
run k edit ana --remove-phone "+1 555 0100" --remove-link https://ana.example --untag "#ALUMNI"
run k show ana --json
expect_json '"tags":[]'
expect_json '"phones":["+1 555 0199"]'
expect_json '"links":["https://b.example"]'
# Removing what is not there is harmless.
run k edit ana --untag nothere --remove-email none@x.example
expect_rc 0 "remove absent values"

# Empty values clear fields; dates and birthdays included.
run k edit ana --company "" --title= --met-on "" --birthday "" --note "" --location "" \
    --how-met "" --working-on ""
expect_rc 0 "clear fields"
run k show ana --json
expect_json '"company":null,"title":null'
expect_json '"location":null,"how_met":null,"met_on":null,"birthday":null,"note":null,"working_on":null'
# New values, dates in every form.
run k edit ana --met-on yesterday --birthday 1985-12-31
run k show ana --json
expect_json '"met_on":"2026-11-21","birthday":"1985-12-31"'
run k edit ana --met-on -7d
run k show ana --json
expect_json '"met_on":"2026-11-15"'
run k edit ana --met-on 2020-02-29
run k show ana --json
expect_json '"met_on":"2020-02-29"'
# A note from standard input replaces the old one.
runin "a new
note" k edit ana --note -
expect_rc 0 "note from stdin"
run k show ana --json
expect_json '"note":"a new\nnote"'

# Rename, then find the contact by its new name only.
run k edit ana --name "Ana María Ruiz"
expect_rc 0 "rename"
expect_out "saved Ana María Ruiz"
run k show "ANA MARÍA RUIZ" --json
expect_json '"name":"Ana María Ruiz"' "found by the new name"

# Archive hides from list (but not from list --all or show); unarchive.
run k edit "ana maría" --archive
expect_rc 0 "archive"
run k list
expect_no_out "Ana" "archived contact hidden"
run k list --all
expect_out "Ana María Ruiz" "archived contact in --all"
run k show "ana maría" --json
expect_json '"archived":true'
run k edit "ana maría" --unarchive
run k list
expect_out "Ana María Ruiz" "unarchived contact listed"

# Editing with no change is fine.
run k edit ben
expect_rc 0 "no-op edit"
expect_out "saved Ben Okafor"

# Errors: the journal unchanged, nothing on stdout.
sum=$(journal_sum)
refused_cases "2|kith edit needs a CONTACT|edit" \
    "2|kith edit needs a CONTACT|edit --title X" \
    "2|kith edit takes one CONTACT (quote names with spaces)|edit Ben Okafor --title X" \
    "2|unknown option '--nmae'|edit ben --nmae Bob" \
    "2|--name needs a value|edit ben --name" \
    "2|a contact needs a name|edit ben --name ''" \
    "2|a contact needs a name|edit ben --name '  '" \
    "2|'2026-02-30' is not a real calendar day|edit ben --met-on 2026-02-30" \
    "2|'2026-13-01' is not a real calendar day|edit ben --met-on 2026-13-01" \
    "2|'next week' is not a date|edit ben --met-on 'next week'" \
    "2|is not a birthday|edit ben --birthday 1985/12/31" \
    "2|'02-30' is not a real calendar day|edit ben --birthday 02-30" \
    "2|is not an email address|edit ben --email ben" \
    "2|is not a phone number|edit ben --phone x1" \
    "2|has control characters|edit ben --tag \"a${TAB}b\"" \
    "2|has control characters|edit ben --untag \"a${TAB}b\"" \
    "2|empty tag|edit ben --untag ''" \
    "2|--archive and --unarchive contradict each other|edit ben --archive --unarchive" \
    "2|--archive takes no value|edit ben --archive=1" \
    "1|no contact matches 'carla'|edit carla --title X"
# One bad value among good ones changes nothing at all.
run k edit ben --company Globex --email bad --tag ok
expect_rc 2 "one bad value among good ones"
expect_sum "$sum" "one bad value among good ones"
run k show ben --json
expect_json '"company":null' "no partial edit"
expect_json '"tags":[]' "no partial edit"

finish
