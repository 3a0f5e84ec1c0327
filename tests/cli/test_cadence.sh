#!/bin/sh
# A keep-in-touch cadence on one contact (kith add/edit --every): the
# default config's silence rule with cadence: contact reminds once a
# contact is silent past it (counting from the last interaction, else when
# met, else when added), marks it overdue, and any interaction resets it;
# tag-based silence rules keep working beside it; a config's cadence rule
# can be narrowed by tags; a bad cadence key is refused with its place.
. "$KITH_TESTLIB"

k add Dev Patel --every 3w >/dev/null
k log dev --kind coffee --on 2026-10-01 >/dev/null
k add Eve Stone --every 2m >/dev/null
k log eve --kind call --on 2026-11-01 >/dev/null
k add Fay Lin --every 1w --met-on 2026-11-10 >/dev/null
k add Gus Ward --tag mentor >/dev/null
k log gus --kind call --on 2026-09-01 >/dev/null
k add Hana Mori >/dev/null
k log hana --kind call --on 2025-01-01 >/dev/null

# Dev (52 days, cadence 21) and Fay (12 days since met, cadence 7) are due;
# Eve (21 days of 60) is not; Gus comes from the tag rule; Hana has no
# cadence and no tag: no rule speaks of her.
# today_masked: kith today with the reminders' short ids (from random
# contact ids) masked.
today_masked() { k today | sed -E 's/  [0-9a-f]{6}  /  <rid>  /'; }
golden cadence_today today_masked
run k today --json
expect_json '"rule":"cadence"'
expect_json '"contact":"Dev Patel"'
expect_json '"overdue":true'
run k today
expect_no_out "Eve Stone" "within her cadence"
expect_no_out "Hana Mori" "no cadence, no tag"
expect_out "Catch up with Gus Ward" "the tag rule still works"

# Any interaction resets it.
k log dev --kind email --gave --on 2026-11-20 >/dev/null
run k today
expect_no_out "Dev Patel" "logging an interaction resets the cadence"
# A shorter cadence brings it back.
k edit fay --every 60d >/dev/null
run k today
expect_no_out "Fay Lin" "a longer cadence: not yet"
k edit dev --every 1d >/dev/null
run k today
expect_out "Reconnect with Dev Patel: 2 days since you last talked, past the cadence you set"

# A config's cadence rule, narrowed by a tag; days beside it is refused.
cat >"$T/c.yaml" <<'YAML'
rules:
  - id: clients
    on: silence
    cadence: contact
    tags: [client]
    message: "Check in with {contact} ({days} days)"
YAML
k edit fay --every 1w --tag client >/dev/null
run k --config "$T/c.yaml" today
expect_rc 0 "a tagged cadence rule"
expect_out "Check in with Fay Lin (12 days)"
expect_no_out "Dev Patel" "not tagged client"

cat >"$T/bad.yaml" <<'YAML'
rules:
  - id: clients
    on: silence
    cadence: contact
    days: 30
    message: "Check in"
  - id: weekly
    on: silence
    cadence: weekly
    message: "Check in"
YAML
run k --config "$T/bad.yaml" today
expect_rc 2 "a bad cadence rule"
expect_err "bad.yaml:5:5: a rule with cadence: contact takes each contact's cadence: leave out days and max_days"
expect_err "bad.yaml:9:14: unknown cadence 'weekly' (expected one of: contact)"
finish
