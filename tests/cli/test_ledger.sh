#!/bin/sh
# kith ledger: goodwill per contact (gave +1, asked -1, mutual 0; intro and
# referral count 3), highest balance first, aligned; --json; errors.
. "$KITH_TESTLIB"

run k add Ana Ruiz
run k add Ben Okafor
run k add José Álvarez
run k add 王小明
run k add "Never Talked"
run k log "ana ruiz" --kind coffee --gave --on 2026-11-10
run k log "ana ruiz" --kind article --gave --on 2026-11-12
run k log "ana ruiz" --kind advice --asked --on 2026-11-15
run k log ben --kind intro --asked --on 2026-10-01
run k log ben --kind call --gave --on 2026-10-02
run k log josé --kind referral --gave --on 2026-09-01
run k log josé 王小明 --kind event --mutual --on 2026-11-20
run k log 王小明 --kind coffee --asked --on 2026-11-21
expect_rc 0 "fixture"

run k ledger --help
expect_rc 0 "ledger --help"
expect_out "usage: kith ledger [--json]"

golden ledger k ledger

run k ledger --json
expect_rc 0 "ledger --json"
expect_json_valid "ledger --json"
expect_json '"name":"José Álvarez","gave":1,"asked":0,"mutual":1,"balance":3,"last_interaction":"2026-11-20"}'
expect_json '"name":"Ana Ruiz","gave":2,"asked":1,"mutual":0,"balance":1,"last_interaction":"2026-11-15"}'
expect_json '"name":"王小明","gave":0,"asked":1,"mutual":1,"balance":-1,"last_interaction":"2026-11-21"}'
expect_json '"name":"Ben Okafor","gave":1,"asked":1,"mutual":0,"balance":-2,"last_interaction":"2026-10-02"}'
expect_no_out "Never Talked" "contacts without interactions are left out"
if [ "$HAVE_PYTHON" = 1 ]; then
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | python3 -c 'import json, sys
rows = json.load(sys.stdin)
b = [r["balance"] for r in rows]
sys.exit(0 if b == sorted(b, reverse=True) and len(rows) == 4 else "order %r" % rows)' ||
        fail "ledger --json is highest balance first"
    # Rows line up whatever the script of the name.
    run k ledger
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | python3 -c 'import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().splitlines()[1:]
sys.exit(0 if len({w(l) for l in lines}) == 1 else "widths %r" % [w(l) for l in lines])' ||
        fail "ledger columns are not aligned: $OUT"
fi

# The ledger agrees with show's goodwill.
run k show ben --json
expect_json '"goodwill":-2,"gave":1,"asked":1'

# An empty journal: a header, and [].
run "$KITH" --db "$T/empty.db" add Solo
run "$KITH" --db "$T/empty.db" ledger
expect_rc 0 "empty ledger"
expect_out "NAME"
expect_no_out "Solo"
run "$KITH" --db "$T/empty.db" ledger --json
expect_out "[]"

# Errors.
sum=$(journal_sum)
run k ledger ana
expect_rc 2 "ledger ana"
expect_err "kith ledger takes no arguments"
expect_err "usage: kith ledger [--json]"
run k ledger --sort name
expect_rc 2 "ledger --sort"
expect_err "unknown option '--sort'"
run k ledger --json=1
expect_rc 2 "ledger --json=1"
expect_err "--json takes no value"
expect_sum "$sum" "ledger errors"

finish
