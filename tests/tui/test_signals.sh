#!/bin/sh
# SIGTERM ends the TUI cleanly; a bad theme falls back to the default.
. "$KITH_TESTLIB"

k add "Someone" >/dev/null
printf 'styles:\n  title: {fg: purple}\n' >"$T/bad.yaml"
tui_start --theme "$T/bad.yaml"
wait_for "Contacts 1" "started with a bad theme"
wait_for "bad.yaml:2:15: bad color" "theme error as file:line:column"
wait_for "using the default theme:" "fallback said"
pid=$(pgrep -f -n -- "--db $DB --theme" || true)
CHECKS=$((CHECKS + 1))
if [ -n "$pid" ]; then
    kill -TERM "$pid"
    wait_for "KITH-EXIT=0" "SIGTERM quits"
    i=0
    while [ ! -s "$T/stty.after" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    CHECKS=$((CHECKS + 1))
    [ "$(cat "$T/stty.before")" = "$(cat "$T/stty.after")" ] || fail "terminal modes differ after SIGTERM"
else
    fail "kith process not found"
fi
finish
