#!/bin/sh
# Concurrency: two CLI writers and the TUI (in tmux) on one journal for
# KITH_FAULT_SECONDS (30 by default). Every writer command exits 0 (no
# "database is locked" or busy error reaches the user), the TUI's own writes
# through its forms succeed, nothing is lost, and the TUI shows a contact a
# CLI writer added while it was running.
. "$KITH_TESTLIB"

SECONDS_RUN=${KITH_FAULT_SECONDS:-30}

run k add "Base One"
expect_rc 0 "add Base One"
run k add "Base Two"
expect_rc 0 "add Base Two"
run k challenge start --days 30
expect_rc 0 "challenge start"

tui_start
wait_for "Base One" "the TUI starts"

# writer W END: adds a contact, logs an interaction with both base contacts
# and thanks one of them, until END (seconds since the epoch); writer 1 adds
# "Aaa Marker" half way. Successes go to $T/wW.*, failures to $T/wW.fail.
writer() {
    w=$1
    end=$2
    half=$(((end + $(date +%s)) / 2))
    n=0
    : >"$T/w$w.fail"
    while [ "$(date +%s)" -lt "$end" ]; do
        n=$((n + 1))
        if k add "Writer$w Contact $n" --tag "w$w" >/dev/null 2>"$T/w$w.err"; then
            echo "Writer$w Contact $n" >>"$T/w$w.added"
        else
            { echo "add $n: exit $?"; cat "$T/w$w.err"; } >>"$T/w$w.fail"
        fi
        if k log "Base One" "Base Two" --kind call --mutual --summary "w$w n$n" \
            >/dev/null 2>"$T/w$w.err"; then
            echo "w$w n$n" >>"$T/w$w.logged"
        else
            { echo "log $n: exit $?"; cat "$T/w$w.err"; } >>"$T/w$w.fail"
        fi
        if k thank "Base Two" --form call --note "t$w $n" >/dev/null 2>"$T/w$w.err"; then
            echo "t$w $n" >>"$T/w$w.thanked"
        else
            { echo "thank $n: exit $?"; cat "$T/w$w.err"; } >>"$T/w$w.fail"
        fi
        if [ "$w" = 1 ] && [ ! -e "$T/marker" ] && [ "$(date +%s)" -ge "$half" ]; then
            if k add "Aaa Marker" >/dev/null 2>"$T/w$w.err"; then
                echo "Aaa Marker" >>"$T/w$w.added"
                : >"$T/marker"
            else
                { echo "add marker: exit $?"; cat "$T/w$w.err"; } >>"$T/w$w.fail"
            fi
        fi
    done
    echo "$n" >"$T/w$w.rounds"
}

start=$(date +%s)
end=$((start + SECONDS_RUN))
writer 1 "$end" &
p1=$!
writer 2 "$end" &
p2=$!

# Meanwhile the TUI writes too: a contact through the add form and an
# interaction through the log form, again and again, and it must show no
# error; once the marker is written it must show it without a key press
# beyond going to the top of the list.
# wait_saved WHAT STATUS EVIDENCE: the status line's STATUS may already be
# replaced by "journal changed elsewhere: refreshed" when a writer commits
# right after the save; EVIDENCE on the screen (the card's title or its
# timeline) shows the save as well.
wait_saved() {
    CHECKS=$((CHECKS + 1))
    i=0
    while [ $i -lt 200 ]; do
        case "$(screen)" in *"$2"* | *"$3"*) return 0 ;; esac
        i=$((i + 1))
        sleep 0.05
    done
    fail "$1: never showed '$2' or '$3'. Screen:
$(screen)"
    return 1
}

tn=0
marker_seen=0
tui_problem=""
while [ "$(date +%s)" -lt "$end" ]; do
    tn=$((tn + 1))
    keys a
    wait_for "Add a contact" "TUI add form $tn" || break
    text "Tui Person $tn"
    keys Enter
    wait_saved "TUI add $tn" "saved Tui Person $tn" "┌ Tui Person $tn ─" || break
    keys l
    wait_for "Log an interaction" "TUI log form $tn" || break
    keys Tab Tab Tab Tab
    text "tui n$tn"
    keys Enter
    wait_saved "TUI log $tn" "logged coffee" "coffee: tui n$tn" || break
    case "$(screen)" in
    *busy* | *locked* | *rror*) tui_problem=$(screen) ;;
    esac
    if [ "$marker_seen" = 0 ] && [ -e "$T/marker" ]; then
        keys g
        wait_for "Aaa Marker" "the TUI shows a contact a CLI writer added" && marker_seen=1
    fi
done
wait $p1 $p2
elapsed=$(($(date +%s) - start))

CHECKS=$((CHECKS + 1))
[ -z "$tui_problem" ] || fail "the TUI showed an error:
$tui_problem"
CHECKS=$((CHECKS + 1))
[ "$marker_seen" = 1 ] || fail "the marker was never written or never seen"

for w in 1 2; do
    CHECKS=$((CHECKS + 1))
    [ ! -s "$T/w$w.fail" ] || fail "writer $w had failures:
$(head -20 "$T/w$w.fail")"
done

# With no key press at all, the TUI picks up a write made elsewhere.
keys g
wait_for "▸ Aaa Marker" "back at the top"
run k add "Aab Late"
expect_rc 0 "add Aab Late"
wait_for "Aab Late" "the idle TUI shows a contact added by the CLI"
echo "Aab Late" >>"$T/w1.added"

keys q
wait_for "KITH-EXIT=0" "the TUI quits cleanly"
CHECKS=$((CHECKS + 1))
[ ! -s "$T/tui.err" ] || fail "the TUI wrote to stderr: $(cat "$T/tui.err")"

# Nothing is lost: every successful write is in the journal.
cat "$T"/w1.added "$T"/w2.added >"$T/added"
for i in $(seq 1 "$tn"); do echo "Tui Person $i"; done >>"$T/added"
cat "$T"/w1.logged "$T"/w2.logged >"$T/logged"
for i in $(seq 1 "$tn"); do echo "tui n$i"; done >>"$T/logged"
cat "$T"/w1.thanked "$T"/w2.thanked >"$T/thanked"
k list --json >"$T/list.json"
k timeline --json >"$T/timeline.json"
k export json >"$T/export.json"
missing=$(python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
names = {c["name"] for c in json.load(open(t + "/list.json"))}
summaries = {i["summary"] for i in json.load(open(t + "/timeline.json"))}
thanks = {x["note"] for x in json.load(open(t + "/export.json"))["thanks"]}
for f, have in (("added", names), ("logged", summaries), ("thanked", thanks)):
    for line in open(t + "/" + f).read().splitlines():
        if line not in have:
            print(f, line)
PY
)
CHECKS=$((CHECKS + 1))
[ -z "$missing" ] || fail "lost writes:
$(printf '%s\n' "$missing" | head -20)"

r1=$(cat "$T/w1.rounds" 2>/dev/null || echo 0)
r2=$(cat "$T/w2.rounds" 2>/dev/null || echo 0)
echo "in ${elapsed} s: writer rounds $r1 and $r2 (3 writes each), TUI rounds $tn (2 writes each);"
echo "checked $(wc -l <"$T/added") contacts, $(wc -l <"$T/logged") interactions, $(wc -l <"$T/thanked") thank-yous"
finish
