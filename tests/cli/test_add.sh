#!/bin/sh
# kith add: every field, what is normalized, each error with its exit code,
# and that a refused add writes nothing (not even a new journal).
. "$KITH_TESTLIB"
TAB=$(printf '\t')

run "$KITH" add --help
expect_rc 0 "add --help"
expect_out "usage: kith add NAME"
expect_out "--birthday DATE"

run "$KITH" add -h
expect_rc 0 "add -h"
expect_out "usage: kith add NAME"

# Every flag, and a name given as two words without quotes.
golden add_full k add Ana Ruiz --company Acme --title "VP Engineering" \
    --email ana@acme.example --email ana.ruiz@mail.example --phone "+1 555 0100" \
    --link https://ana.example --tag mentor --tag "#Alumni" --met-on 2024-03-10 \
    --how-met "SMG conference" --birthday 04-12 --location Madrid \
    --working-on "hiring two SREs" --note "likes green tea"

run k show "Ana Ruiz" --json
expect_rc 0 "show after add"
expect_json_valid "show after add"
expect_json '"name":"Ana Ruiz"'
expect_json '"company":"Acme"'
expect_json '"title":"VP Engineering"'
expect_json '"emails":["ana@acme.example","ana.ruiz@mail.example"]'
expect_json '"phones":["+1 555 0100"]'
expect_json '"links":["https://ana.example"]'
# Tags are stored folded to lower case, without a leading '#', sorted.
expect_json '"tags":["Alumni","mentor"]'
expect_json '"met_on":"2024-03-10"'
expect_json '"how_met":"SMG conference"'
expect_json '"birthday":"04-12"'
expect_json '"location":"Madrid"'
expect_json '"working_on":"hiring two SREs"'
expect_json '"note":"likes green tea"'
expect_json '"archived":false'
expect_json '"goodwill":0'
expect_json '"last_interaction":null'

# Names are trimmed; notes keep their white space; repeated values once.
run k add "  Ben Okafor  " --email b@globex.example --email b@globex.example --tag x --tag X
expect_rc 0 "add with duplicates"
expect_out "added Ben Okafor"
run k show ben --json
expect_json '"name":"Ben Okafor"' "trimmed name"
expect_json '"emails":["b@globex.example"]' "duplicate email once"
expect_json '"tags":["x"]' "duplicate tag once"

runin "  line one
  line two
" k add "Chen Wei" --note -
expect_rc 0 "note from stdin"
run k show chen --json
expect_json '"note":"  line one\n  line two"' "stdin note keeps indentation, drops the final newline"

# Dates: the forms DATE takes, relative to KITH_TODAY (2026-11-22).
run k add "Dana Date" --met-on yesterday --birthday 1990-02-28
expect_rc 0 "met yesterday"
run k show dana --json
expect_json '"met_on":"2026-11-21"'
expect_json '"birthday":"1990-02-28"'
run k add "Eve Earlier" --met-on -30d --birthday 02-29
expect_rc 0 "met -30d, leap-day birthday without a year"
run k show eve --json
expect_json '"met_on":"2026-10-23"'
expect_json '"birthday":"02-29"'
run k add "Fay Today" --met-on today --met-on=2025-01-31
expect_rc 0 "--met-on=VALUE, the last one wins"
run k show fay --json
expect_json '"met_on":"2025-01-31"'

# Option values may start with a dash and be given with '='.
run k add "Gil Dash" --title=-lead- --note=--
expect_rc 0 "values with dashes"
run k show gil --json
expect_json '"title":"-lead-"'
expect_json '"note":"--"'
# After --, everything is the name.
run k add -- --weird name
expect_rc 0 "-- ends the options"
expect_out "added --weird name"

# A name of exactly the limit (1000 bytes) is fine; one more byte is not.
n1000=$(printf '%01000d' 0 | tr 0 n)
run k add "$n1000"
expect_rc 0 "1000-byte name"

# Usage errors: exit 2, a message naming the problem, the journal unchanged.
sum=$(journal_sum)
check_refused() {
    what=$1
    rc=$2
    msg=$3
    shift 3
    run "$@"
    expect_rc "$rc" "$what"
    expect_err "$msg" "$what"
    expect_sum "$sum" "$what"
    [ -z "$OUT" ] || fail "$what: printed on stdout: $OUT"
}
check_refused "no name" 2 "kith add needs a NAME" k add
check_refused "no name, only flags" 2 "kith add needs a NAME" k add --company Acme
check_refused "blank name" 2 "a contact needs a name" k add "   "
check_refused "unknown flag" 2 "unknown option '--compnay'" k add Zed --compnay Acme
check_refused "unknown flag=value" 2 "unknown option '--bogus'" k add Zed --bogus=1
check_refused "missing value" 2 "--company needs a value" k add Zed --company
check_refused "missing date" 2 "--met-on needs a value" k add Zed --met-on
check_refused "bad date" 2 "'2026-02-30' is not a real calendar day" k add Zed --met-on 2026-02-30
check_refused "bad date 2" 2 "'2026-13-01' is not a real calendar day" k add Zed --met-on 2026-13-01
check_refused "not a date" 2 "'soon' is not a date" k add Zed --met-on soon
check_refused "bad -Nd" 2 "'-3w' is not a date" k add Zed --met-on -3w
check_refused "bad birthday" 2 "'13-01' is not a real calendar day" k add Zed --birthday 13-01
check_refused "bad birthday 2" 2 "'2023-02-29' is not a real calendar day" k add Zed --birthday 2023-02-29
check_refused "birthday form" 2 "is not a birthday" k add Zed --birthday "April 12"
check_refused "bad email" 2 "'zed.example' is not an email address" k add Zed --email zed.example
check_refused "bad email 2" 2 "is not an email address" k add Zed --email "a b@x.example"
check_refused "bad phone" 2 "'call me' is not a phone number" k add Zed --phone "call me"
check_refused "tag with a tab" 2 "has control characters" k add Zed --tag "two${TAB}words"
check_refused "empty tag" 2 "empty tag" k add Zed --tag "#"
check_refused "long name" 2 "name is 1001 bytes long; the limit is 1000" k add "${n1000}n"
check_refused "long company" 2 "company is 1001 bytes long; the limit is 1000" k add Zed --company "${n1000}n"
check_refused "help flag value" 2 "--note needs a value" k add Zed --note

# The same refusals on a path with no journal create nothing at all.
FRESH="$T/fresh/sub/k.db"
for args in "--email nope" "--met-on 2026-02-30" "--tag \"a${TAB}b\"" "--birthday 02-30" "--bogus"; do
    eval "set -- $args"
    run "$KITH" --db "$FRESH" add Zed "$@"
    expect_rc 2 "fresh journal, add Zed $args"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/fresh" ] || fail "add Zed $args on a fresh path created $(find "$T/fresh")"
done
run "$KITH" --db "$FRESH" add "  "
expect_rc 2 "fresh journal, blank name"
[ ! -e "$T/fresh" ] || fail "a blank name created $T/fresh"

# A bad KITH_TODAY is reported, not guessed around.
KITH_TODAY=2026-02-30 run k add Zed
expect_rc 2 "bad KITH_TODAY"
expect_err "KITH_TODAY"
expect_sum "$sum" "bad KITH_TODAY"

run k list --json
expect_json_valid "list after refusals"
case "$OUT" in *Zed*) fail "a refused add left Zed behind: $OUT" ;; esac

finish
