#!/bin/sh
# kith log: one or more contacts, the three directions, every DATE form,
# summary and note; each error with its exit code and the journal unchanged.
. "$KITH_TESTLIB"

run k add Ana Ruiz
run k add Ben Okafor
run k add Anabel Ortiz
run k add 王小明
expect_rc 0 "fixture"

run k log --help
expect_rc 0 "log --help"
expect_out "usage: kith log CONTACT..."
expect_out "--gave"

golden log_gave k log "ana ruiz" --kind coffee --gave --on 2026-11-10 --summary "careers chat"
golden log_default_today k log ben --kind call --asked
golden log_two k log "ana ruiz" ben --kind intro --mutual --on yesterday

# Every DATE form, against KITH_TODAY=2026-11-22.
for case in "today|2026-11-22" "yesterday|2026-11-21" "-1d|2026-11-21" "-0d|2026-11-22" \
    "-30d|2026-10-23" "-365d|2025-11-22" "2024-02-29|2024-02-29" "2026-01-01|2026-01-01"; do
    d=${case%%|*}
    want=${case#*|}
    run k log 王小明 --kind email --gave --on "$d" --summary "on $d"
    expect_rc 0 "--on $d"
    expect_out "on $want" "--on $d"
done
run k log 王小明 --kind email --gave --on=-2d --summary "equals form"
expect_out "on 2026-11-20" "--on=-2d"

run k timeline 王小明 --json
expect_json_valid "timeline after date forms"
expect_json '"date":"2024-02-29","kind":"email","direction":"gave"'
expect_json '"date":"2025-11-22"'

# Summary and a note from standard input; --kind keeps its spelling.
runin "met at the venue;
talked about Rust" k log ben --kind Resume-Review_2 --gave --on 2026-11-05 --summary "reviewed CV" --note -
expect_rc 0 "note from stdin"
run k timeline ben --json
expect_json '"kind":"Resume-Review_2","direction":"gave"'
expect_json '"summary":"reviewed CV","note":"met at the venue;\ntalked about Rust"'
run k timeline "ana ruiz" --json
expect_json '"date":"2026-11-21","kind":"intro","direction":"mutual","contacts":[{"id":'
expect_json '"name":"Ana Ruiz"},{"id":'
expect_json '"name":"Ben Okafor"}]'

# The balance follows the directions (intro counts 3).
run k show "ana ruiz" --json
expect_json '"goodwill":1,"gave":1,"asked":0,"mutual":1'
run k show ben --json
expect_json '"goodwill":0,"gave":1,"asked":1,"mutual":1'

# Without a direction, the kind's in the config: advice is asked,
# article gave, call mutual.
run k log ben --kind advice --on 2026-11-02 --summary "how to negotiate"
expect_rc 0 "log advice without a direction"
expect_out "logged advice (asked) on 2026-11-02"
run k log ben --kind article --on 2026-11-02
expect_out "logged article (gave) on 2026-11-02"
run k log ben --kind call --on 2026-11-02
expect_out "logged call (mutual) on 2026-11-02"
k undo >/dev/null && k undo >/dev/null && k undo >/dev/null || fail "undo the three"

# Errors: nothing logged.
sum=$(journal_sum)
refused_cases "2|kith log needs at least one CONTACT|log --kind call --gave" \
    "2|kith log needs --kind|log ben --gave" \
    "2|the config gives 'podcast' no direction: give --gave, --asked or --mutual|log ben --kind podcast" \
    "2|give one of --gave, --asked or --mutual, not several|log ben --kind call --gave --asked" \
    "2|give one of --gave, --asked or --mutual, not several|log ben --kind call --gave --mutual" \
    "2|--kind needs a value|log ben --gave --kind" \
    "2|--on needs a value|log ben --kind call --gave --on" \
    "2|--kind is empty|log ben --kind '' --gave" \
    "2|--kind 'coffee break': use letters, digits, - and _ only|log ben --kind 'coffee break' --gave" \
    "2|--kind is longer than 40 characters|log ben --kind aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa --gave" \
    "2|--on: '2026-02-30' is not a real calendar day|log ben --kind call --gave --on 2026-02-30" \
    "2|--on: '2026-04-31' is not a real calendar day|log ben --kind call --gave --on 2026-04-31" \
    "2|--on: '2025-02-29' is not a real calendar day|log ben --kind call --gave --on 2025-02-29" \
    "2|--on: '26-11-01' is not a date|log ben --kind call --gave --on 26-11-01" \
    "2|--on: '2026/11/01' is not a date|log ben --kind call --gave --on 2026/11/01" \
    "2|--on: 'last week' is not a date|log ben --kind call --gave --on 'last week'" \
    "2|--on: '-3' is not a date|log ben --kind call --gave --on -3" \
    "2|--on: '-3x' is not a date|log ben --kind call --gave --on -3x" \
    "2|--on: '-999999999999d' is not a date|log ben --kind call --gave --on -999999999999d" \
    "2|--on: empty date|log ben --kind call --gave --on ''" \
    "2|unknown option '--given'|log ben --kind call --given" \
    "2|--gave takes no value|log ben --kind call --gave=yes" \
    "2|'an' matches several contacts|log an --kind call --gave" \
    "2|'an' matches several contacts|log ben an --kind call --gave" \
    "1|no contact matches 'carla'|log carla --kind call --gave" \
    "1|no contact matches 'carla'|log ben carla --kind call --gave" \
    "2|summary is 1001 bytes long; the limit is 1000|log ben --kind call --gave --summary $(printf '%01001d' 0)"
# A parse error also shows the usage.
run k log ben --kind call --gave --asked
expect_err "usage: kith log CONTACT... --kind KIND [--gave | --asked | --mutual]"

finish
