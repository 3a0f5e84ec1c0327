#!/bin/sh
# Needs, offers and a cadence of one's own on a contact: --need, --offer and
# --every on add and edit (added, removed, cleared, checked), shown by
# show and show --json, found by search, kept by the vCard, CSV and JSON
# exports and their imports.
. "$KITH_TESTLIB"

run k add --help
expect_out "--need TEXT"
expect_out "--offer TEXT"
expect_out "--every SPAN"
run k edit --help
expect_out "--remove-need TEXT"
expect_out "--remove-offer TEXT"

run k add Ana Ruiz --company Acme --need "intro to a seed investor" \
    --need "hiring two staff engineers" --offer "resume reviews" --every 3w
expect_rc 0 "add with needs"
run k add Ben Okafor --offer "seed investing" --working-on "angel fund for climate startups"
golden needs_show k show ana
run k show ana --json
expect_json_valid "show --json"
expect_json '"needs":["intro to a seed investor","hiring two staff engineers"],"offers":["resume reviews"],"cadence_days":21'
run k show ben --json
expect_json '"needs":[],"offers":["seed investing"],"cadence_days":null'

# Adding what is there (case aside) adds nothing; removing ignores case;
# blanks around an item go.
run k edit ana --need "  Hiring two staff engineers " --remove-need "INTRO TO A SEED INVESTOR" \
    --offer "mock interviews" --remove-offer nothing-there --every 2m
expect_rc 0 "edit needs"
run k show ana --json
expect_json '"needs":["hiring two staff engineers"],"offers":["resume reviews","mock interviews"],"cadence_days":60'
sum=$(journal_sum)
run k edit ana --need "hiring two staff engineers"
expect_rc 0 "the same need again"
expect_sum "$sum" "a need already there"
run k edit ana --every ""
run k show ana --json
expect_json '"cadence_days":null'

# Bad values: the reason, exit 2, nothing written.
sum=$(journal_sum)
for args in "--every=3x|'3x' is not a span of time" "--every=0w|'0w' is not a span of time" \
    "--every=11y|at most 3650 days" "--need= |an empty need" \
    "--offer=$(printf 'two\tlines')|an offer is one line"; do
    opt=${args%%|*}
    msg=${args#*|}
    run k edit ana "$opt"
    expect_rc 2 "edit ana $opt"
    expect_err "$msg"
    expect_sum "$sum" "edit ana $opt"
done
run k add Cy --every soon
expect_rc 2 "add --every soon"
expect_err "'soon' is not a span of time"

# Search finds what they need and offer.
run k search investing
expect_out "Ben Okafor"
run k search mock
expect_out "Ana Ruiz"
expect_no_out "Ben Okafor"

# The exports keep them; the imports read them back.
# back_in FORMAT FILE DB: FORMAT exported to FILE and imported into DB
# brings Ana's needs, offers and cadence.
back_in() {
    k export "$1" -o "$2"
    run "$KITH" --db "$3" import "$1" "$2"
    expect_rc 0 "import $1"
    run "$KITH" --db "$3" show ana --json
    expect_json '"needs":["hiring two staff engineers"],"offers":["resume reviews","mock interviews"],"cadence_days":10'
}
run k edit ana --every 10d
run k export vcard
expect_out "X-KITH-NEED:hiring two staff engineers"
expect_out "X-KITH-OFFER:resume reviews"
expect_out "X-KITH-OFFER:mock interviews"
expect_out "X-KITH-EVERY:10d"
back_in vcard "$T/all.vcf" "$T/v.db"
run k export csv
expect_out "working_on,archived,uid,needs,offers,every"
expect_out ",hiring two staff engineers,resume reviews ::: mock interviews,10d"
back_in csv "$T/all.csv" "$T/c.db"
k export json -o "$T/all.json"
run "$KITH" --db "$T/j.db" import json "$T/all.json"
expect_rc 0 "import json"
"$KITH" --db "$T/j.db" export json -o "$T/again.json"
cmp -s "$T/all.json" "$T/again.json" || fail "JSON round trip of needs and offers"
# A card from elsewhere with the same properties, one of them unreadable.
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dee\r\nX-KITH-NEED:a mentor\\, ideally in design\r\nX-KITH-EVERY:often\r\nEND:VCARD\r\n' >"$T/dee.vcf"
run k import vcard "$T/dee.vcf"
expect_rc 0 "import a card with a bad cadence"
run k show dee --json
expect_json '"needs":["a mentor, ideally in design"],"offers":[],"cadence_days":null'
expect_json '"vcard":["X-KITH-EVERY:often"]'

# Undo takes an edit of them back.
run k edit ben --need "a designer"
run k undo
expect_rc 0 "undo"
run k show ben --json
expect_json '"needs":[],'
finish
