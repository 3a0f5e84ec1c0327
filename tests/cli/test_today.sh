#!/bin/sh
# kith today, kith remind and kith config.
. "$KITH_TESTLIB"

FIX="$KITH_SOURCE_DIR/tests/fixtures/config"
CFG="$T/config.yaml"
cat >"$CFG" <<'YAML'
rules:
  - id: touch
    on: silence
    tags: [mentor]
    days: 30
    max_days: 60
    message: "Call {contact}: {days} days"
  - id: thank
    on: referral
    after_days: 2
    priority: high
    message: "Thank {referrer} for {target}"
notify_command: [sh, NOTIFIER, --from-kith]
YAML
cat >"$T/notify.sh" <<'SH'
#!/bin/sh
# Records each call: its arguments, one per field, and the reminder's id.
printf '%s|' "$@" >>"$NOTIFY_LOG"
printf '%s\n' "$KITH_REMINDER_RULE" >>"$NOTIFY_LOG"
[ -z "${NOTIFY_FAIL:-}" ]
SH
sed -i "s|NOTIFIER|$T/notify.sh|" "$CFG"
export NOTIFY_LOG="$T/notify.log"
kc() { "$KITH" --db "$DB" --config "$CFG" "$@"; }
# idof TEXT: the id on the line of $OUT that holds TEXT.
idof() { printf '%s\n' "$OUT" | grep -F -- "$1" | sed -E 's/^. (today {5}|[0-9-]{10})  ([0-9a-f]+) .*/\2/'; }

# Before any journal exists: silent, exit 0 (it runs from prompts and
# cron), and no journal is made; --json gives an empty day.
run "$KITH" --db "$T/none/kith.db" today
expect_rc 0 "today without a journal"
CHECKS=$((CHECKS + 1))
[ -z "$OUT$ERR" ] || fail "today without a journal said: $OUT$ERR"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/none/kith.db" ] || fail "today made a journal"
run "$KITH" --db "$T/none/kith.db" today --json
expect_rc 0 "today --json without a journal"
expect_out '{"today":"2026-11-22","reminders":[],"challenge":null,"birthdays":[]}'

k add "Ben Okafor" --met-on 2026-01-01 >/dev/null

# Nothing due: no output at all, exit 0 (fits a prompt or cron).
run kc today
expect_rc 0 "today, nothing due"
CHECKS=$((CHECKS + 1))
[ -z "$OUT$ERR" ] || fail "today printed something with nothing due: $OUT$ERR"

run kc today --json
expect_rc 0 "today --json, nothing due"
expect_json '"today":"2026-11-22","reminders":[],"challenge":null,"birthdays":[]'

# A mentor not talked to for 82 days: overdue.
k add "Ana Ruiz" --tag mentor --met-on 2026-09-01 --birthday 11-25 >/dev/null
run kc today
expect_rc 0 "today"
expect_out "Call Ana Ruiz: 82 days"
expect_out "! 2026-10-01"
expect_out "birthdays: Ana Ruiz on 11-25 (in 3 days)"
ANA_ID=$(idof "Call Ana")
CHECKS=$((CHECKS + 1))
[ ${#ANA_ID} = 6 ] || fail "reminder id '$ANA_ID' is not 6 hex digits"

run kc today --json
expect_json "{\"id\":\"$ANA_ID\",\"rule\":\"touch\",\"priority\":\"normal\",\"contact\":\"Ana Ruiz\""
expect_json '"message":"Call Ana Ruiz: 82 days","due_on":"2026-10-01","fired_on":"2026-10-01","overdue":true}'

# A referral: high priority, but after the overdue one.
k add "Dana Kim" --met-on 2026-11-01 >/dev/null
k refer --by "Ana Ruiz" --to-text "a job at Globex" --on 2026-11-20 >/dev/null
run kc today
first=$(printf '%s\n' "$OUT" | head -n 1)
second=$(printf '%s\n' "$OUT" | sed -n 2p)
CHECKS=$((CHECKS + 1))
case "$first" in *"Call Ana"*) ;; *) fail "overdue reminder not first: $OUT" ;; esac
case "$second" in *"today"*"high"*"Thank Ana Ruiz for a job at Globex"*) ;; *) fail "referral line: $second" ;; esac

# Thanking clears it.
k thank "Ana Ruiz" >/dev/null
run kc today
expect_no_out "Thank Ana"

# done: gone; the same id again is not found.
run kc remind done "$ANA_ID"
expect_rc 0 "remind done"
expect_out "done: Call Ana Ruiz: 82 days"
run kc today
expect_rc 0 "today after done"
expect_no_out "Call Ana"
run kc remind done "$ANA_ID"
expect_rc 1 "remind done twice"
expect_err "no reminder $ANA_ID is due"

# A new interaction, then silence again 30 days later: due anew.
k log "Ana Ruiz" --kind coffee --mutual --on 2026-10-01 >/dev/null
run env KITH_TODAY=2026-11-05 "$KITH" --db "$DB" --config "$CFG" today
expect_out "Call Ana Ruiz: 35 days"

# snooze: hidden until the day it ends.
k edit "Dana Kim" --tag mentor >/dev/null
run env KITH_TODAY=2026-12-05 "$KITH" --db "$DB" --config "$CFG" today
expect_out "Call Dana Kim: 34 days"
DANA_ID=$(idof "Call Dana")
run env KITH_TODAY=2026-12-05 "$KITH" --db "$DB" --config "$CFG" remind snooze "$DANA_ID" --days 3
expect_rc 0 "remind snooze"
expect_out "snoozed until 2026-12-08: Call Dana Kim: 34 days"
run env KITH_TODAY=2026-12-07 "$KITH" --db "$DB" --config "$CFG" today
expect_no_out "Call Dana"
run env KITH_TODAY=2026-12-08 "$KITH" --db "$DB" --config "$CFG" today
expect_out "Call Dana Kim: 37 days"

# Usage errors leave the journal alone.
before=$(journal_sum)
run kc remind snooze "$DANA_ID"
expect_rc 2 "snooze without --days"
expect_err "--days N"
run kc remind snooze "$DANA_ID" --days 0
expect_rc 2 "snooze 0 days"
run kc remind done xyz
expect_rc 2 "bad reminder id"
expect_err "'xyz' is not a reminder id"
run kc remind later "$DANA_ID"
expect_rc 2 "unknown remind subcommand"
run kc today --bogus
expect_rc 2 "today --bogus"
run kc today --json --notify
expect_rc 2 "--json with --notify"
CHECKS=$((CHECKS + 1))
[ "$before" = "$(journal_sum)" ] || fail "a usage error changed the journal"

# --notify: once per reminder, the message as its own argument after "--",
# no shell.
k add 'Eve $(touch pwned); rm -rf x' --tag mentor --met-on 2026-01-01 >/dev/null
run kc today --notify
expect_rc 0 "notify"
expect_out_empty "notify"
n1=$(wc -l <"$NOTIFY_LOG")
run kc today --notify
expect_rc 0 "notify again"
n2=$(wc -l <"$NOTIFY_LOG")
CHECKS=$((CHECKS + 1))
[ "$n1" = "$n2" ] && [ "$n1" -ge 2 ] || fail "notified $n1 then $n2 lines: $(cat "$NOTIFY_LOG")"
CHECKS=$((CHECKS + 1))
grep -qxF -- '--from-kith|--|Call Eve $(touch pwned); rm -rf x: 325 days|touch' "$NOTIFY_LOG" ||
    fail "notify arguments: $(cat "$NOTIFY_LOG")"
CHECKS=$((CHECKS + 1))
[ ! -e pwned ] && [ ! -e "$T/pwned" ] || fail "the message went through a shell"

# A failing notifier: exit 1, and the reminder is tried again next time.
k add "Finn" --tag mentor --met-on 2026-01-02 >/dev/null
run env NOTIFY_FAIL=1 "$KITH" --db "$DB" --config "$CFG" today --notify
expect_rc 1 "failing notifier"
expect_err "exited with status 1"
run kc today --notify
expect_rc 0 "notifier works again"
CHECKS=$((CHECKS + 1))
[ "$(grep -c 'Call Finn' "$NOTIFY_LOG")" = 2 ] || fail "Finn not retried once: $(cat "$NOTIFY_LOG")"

# A message that starts with "-" (a name can) comes after "--", where the
# notifier cannot take it for an option.
cat >"$T/dash.yaml" <<YAML
rules:
  - id: quiet
    on: silence
    tags: [dash]
    days: 30
    message: "{contact} has been quiet"
notify_command: [sh, $T/notify.sh]
YAML
"$KITH" --db "$T/dash.db" add "-n Dash" --tag dash --met-on 2026-01-01 >/dev/null ||
    fail "add -n Dash"
: >"$NOTIFY_LOG"
run "$KITH" --db "$T/dash.db" --config "$T/dash.yaml" today --notify
expect_rc 0 "notify a message starting with -"
CHECKS=$((CHECKS + 1))
grep -qxF -- '--|-n Dash has been quiet|quiet' "$NOTIFY_LOG" ||
    fail "notify arguments for -n Dash: $(cat "$NOTIFY_LOG")"

# --notify without a notify_command is a usage error.
run k today --notify
expect_rc 2 "notify without a command"
expect_err "no notify_command"

# kith config.
run "$KITH" config defaults
expect_rc 0 "config defaults"
CHECKS=$((CHECKS + 1))
"$KITH" config defaults | cmp -s - "$KITH_SOURCE_DIR/config.example.yaml" ||
    fail "config defaults differs from config.example.yaml"

run "$KITH" config check "$KITH_SOURCE_DIR/config.example.yaml"
expect_rc 0 "config check example"
expect_out "config.example.yaml: ok (7 rules)"

run env KITH_CONFIG="$CFG" "$KITH" config path
expect_rc 0 "config path"
expect_out "$CFG"
run env XDG_CONFIG_HOME="$T/xdg" "$KITH" config path
expect_out "$T/xdg/kith/config.yaml"
run env XDG_CONFIG_HOME="$T/xdg" "$KITH" config check
expect_rc 0 "config check without a file"
expect_out "built-in defaults"

cd "$FIX" || exit 1
for f in unknown_keys wrong_types triggers numbers duplicates templates values syntax; do
    sum=$(cksum <"$f.yaml")
    run "$KITH" config check "$f.yaml"
    expect_rc 2 "config check $f"
    CHECKS=$((CHECKS + 1))
    [ "$sum" = "$(cksum <"$f.yaml")" ] || fail "config check changed $f.yaml"
done
run "$KITH" config check values.yaml
expect_err "values.yaml:8:24: unknown outcome 'hird'; did you mean 'hired'?
values.yaml:13:13: unknown kind 'cofee'; did you mean 'coffee'?"
run "$KITH" config check templates.yaml
expect_err "templates.yaml:8:36: {referrer} is not filled in for a silence rule"
run "$KITH" config check syntax.yaml
expect_err "syntax.yaml:5:4: YAML syntax error"
run "$KITH" config check nonexistent.yaml
expect_rc 2 "config check missing file"
expect_err "cannot read the configuration nonexistent.yaml"

# A bad config stops every command before it touches the journal.
before=$(journal_sum)
run "$KITH" --db "$DB" --config numbers.yaml today
expect_rc 2 "today with a bad config"
expect_err "numbers.yaml:2:9: challenge days must be between 1 and 366 (found 0)"
run "$KITH" --db "$DB" --config numbers.yaml add "Gus"
expect_rc 2 "add with a bad config"
CHECKS=$((CHECKS + 1))
[ "$before" = "$(journal_sum)" ] || fail "a bad config let a command write"
cd "$T" || exit 1

# The default rules' messages: a referral says what it was by its kind; a
# contact never talked to counts from when you met, and says so.
D2="$T/defaults.db"
kd() { "$KITH" --db "$D2" "$@"; }
kd add "Mia Mentor" --tag mentor --met-on 2026-07-01 >/dev/null
kd add "Tom Talked" --tag mentor >/dev/null
kd log "Tom Talked" --kind coffee --mutual --on 2026-08-01 >/dev/null
kd add "Rex Referrer" >/dev/null
kd refer --by rex --to-text "Globex backend" --kind job --on 2026-11-01 >/dev/null
kd refer --by rex --to mia --on 2026-11-02 >/dev/null
run kd today
expect_out "Catch up with Mia Mentor: 144 days since you met" "never talked: since you met"
expect_out "Catch up with Tom Talked: 113 days since you last talked" "talked: since you last talked"
expect_out "Thank Rex Referrer for the job: Globex backend" "a job referral says so"
expect_out "Thank Rex Referrer for the intro to Mia Mentor" "an intro says intro"


# A day with more due than a terminal shows: the first 50 in order, then
# how many more; --all prints every one (and no such line).
D3="$T/many.db"
i=1
while [ $i -le 53 ]; do
    "$KITH" --db "$D3" add "Person $(printf %02d $i)" --tag mentor --met-on 2026-01-01 >/dev/null
    i=$((i + 1))
done
run "$KITH" --db "$D3" today
expect_rc 0 "today with 53 due"
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | grep -c 'Catch up with')" = 50 ] || fail "today showed not 50 of 53: $OUT"
expect_out "Catch up with Person 50: 325 days since you met" "the 50th in name order"
expect_out "… and 3 more ('kith today --all')" "the rest counted"
CHECKS=$((CHECKS + 1))
printf '%s\n' "$OUT" | grep -q 'Person 51' && fail "today showed the 51st"
SHOWN=$(printf '%s\n' "$OUT" | grep 'Catch up with')
run "$KITH" --db "$D3" today --all
expect_rc 0 "today --all"
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | grep -c 'Catch up with')" = 53 ] || fail "today --all showed not 53: $OUT"
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | grep 'Catch up with' | head -n 50)" = "$SHOWN" ] ||
    fail "today's 50 are not the first 50 of --all"
CHECKS=$((CHECKS + 1))
printf '%s\n' "$OUT" | grep -q 'more (' && fail "today --all counted more: $OUT"
run "$KITH" --db "$D3" today --json
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | grep -o '"rule":"keep-in-touch"' | wc -l)" = 53 ] ||
    fail "today --json gave not all 53"
run "$KITH" --db "$D3" today --all --json
expect_rc 2 "today --all --json"
expect_err "--all, --json and --notify do not go together"

finish
