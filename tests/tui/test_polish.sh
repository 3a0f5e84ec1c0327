#!/bin/sh
# The small things: a message clears at the next key; unknown keys are
# named; the bottom line keeps the keys that matter at 80 columns; the
# list's ! has a legend; "last talked today"; a referrer's card says whom
# they referred you to; a bundled theme works without installing; the help
# scrolls; "saved" and "changed elsewhere" are both said.
. "$KITH_TESTLIB"

cat >"$T/config.yaml" <<'YAML'
rules:
  - id: touch
    on: silence
    tags: [mentor]
    days: 30
    max_days: 60
    message: "Call {contact}: {days} days {since}"
YAML
k add "Ana Ruiz" --tag mentor --met-on 2026-01-01 >/dev/null || fail "add Ana"
k add "Ben Okafor" >/dev/null || fail "add Ben"
k log ben --kind coffee --mutual >/dev/null || fail "log Ben today"
k refer --by ben --to ana --on 2026-11-01 >/dev/null || fail "refer"
# No theme installed anywhere: the bundled light theme still loads.
XDG_DATA_HOME="$T/nothemes"
XDG_DATA_DIRS="$T/nothemes"
export XDG_DATA_HOME XDG_DATA_DIRS
tui_start --config "$T/config.yaml" --theme light
wait_for "▸ Ana Ruiz" "started"
expect_screen_lacks "using the default theme" "the light theme loaded"

# The legend of the overdue mark, and the bottom line at 80 columns.
wait_for "! overdue" "the list says what ! is"
wait_for "x tick" "x tick fits at 80 columns"
wait_for "? help" "help first"

# Unknown keys by name; a message goes at the next key.
keys F5
wait_for "F5: no such key here" "F5 named"
keys Left
wait_for "Left: no such key here" "Left named"
keys j
wait_gone "no such key here" "the message cleared at the next key"

# Ben's card: talked today, and his referral says whom, not his own name.
wait_for "▸ Ben Okafor" "Ben"
wait_for "last talked today" "last talked today"
expect_screen_lacks "today ago" "no 'today ago'"
wait_for "★ referred you to Ana Ruiz" "the referral row names the one referred"

# The help scrolls to its end.
keys '?'
wait_for "generated from the key table" "help"
keys G
wait_for "a click selects" "the end of the help"
keys q
wait_gone "generated from the key table" "help closed"

# "saved" stays when the journal then changes elsewhere.
keys e
wait_for "Edit contact" "edit form"
keys Tab
text "Globex"
keys Enter
wait_for "saved Ben Okafor" "saved"
k add "Cleo Other" >/dev/null || fail "add elsewhere"
wait_for "saved Ben Okafor · journal changed elsewhere: refreshed" "both said"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
