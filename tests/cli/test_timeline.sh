#!/bin/sh
# kith timeline: everyone's or one contact's interactions, newest first,
# the --since/--until/--kind/--limit filters, --json, and usage errors.
. "$KITH_TESTLIB"

run k add Ana Ruiz
run k add Ben Okafor
run k add 王小明
run k add "A contact with a name far too long for its column"
run k log "ana ruiz" --kind coffee --gave --on 2026-11-10 --summary "careers chat"
run k log "ana ruiz" ben --kind intro --asked --on 2026-11-01 --summary "intro to Dana at Globex"
run k log ben --kind call --mutual --on 2026-10-15
run k log 王小明 --kind email --gave --on 2026-09-30 --summary "sent the article 文章"
run k log "far too long" ben "ana ruiz" --kind event --mutual --on 2025-12-31 --summary "year-end party"
run k log ben --kind coffee --asked --on 2026-11-22 --summary "today"
expect_rc 0 "fixture"

run k timeline --help
expect_rc 0 "timeline --help"
expect_out "usage: kith timeline [CONTACT]"

golden timeline_all k timeline
golden timeline_contact k timeline ben
golden timeline_range k timeline --since 2026-10-01 --until 2026-11-10
golden timeline_kind k timeline --kind coffee

# Each filter, checked in JSON.
run k timeline --json
expect_rc 0 "timeline --json"
expect_json_valid "timeline --json"
expect_json '"date":"2026-11-22","kind":"coffee","direction":"asked","contacts":[{"id":'
expect_json '"summary":"sent the article 文章","note":null'
expect_py "timeline --json order, fields, contacts" rows '
dates = [r["date"] for r in rows]
keys = ["id", "date", "kind", "direction", "contacts", "summary", "note"]
ok = len(rows) == 6 and dates == sorted(dates, reverse=True) and all(list(r) == keys for r in rows)
party = [r for r in rows if r["summary"] == "year-end party"][0]
names = [c["name"] for c in party["contacts"]]
ok = ok and names == ["A contact with a name far too long for its column", "Ana Ruiz", "Ben Okafor"]
sys.exit(0 if ok else "bad timeline: %r" % rows)'
# since/until are inclusive; relative dates count from KITH_TODAY.
run k timeline --since 2026-11-10 --until 2026-11-10 --json
expect_json '"summary":"careers chat"' "inclusive range"
expect_no_out "intro to Dana" "inclusive range"
run k timeline --since -12d --json
expect_json '"date":"2026-11-10"' "--since -12d"
expect_no_out '"date":"2026-11-01"' "--since -12d"
run k timeline --since today --json
expect_json '"summary":"today"' "--since today"
expect_no_out "careers chat" "--since today"
run k timeline --until yesterday --json
expect_no_out '"summary":"today"' "--until yesterday"
expect_json '"summary":"careers chat"' "--until yesterday"
run k timeline ben --kind coffee --json
expect_json '"summary":"today"' "contact and kind"
expect_no_out "careers chat" "contact and kind"
run k timeline --limit 2 --json
expect_json '"summary":"today"' "--limit 2"
expect_json '"summary":"careers chat"' "--limit 2"
expect_no_out "intro to Dana" "--limit 2"
run k timeline --limit 2
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] || fail "timeline --limit 2: $OUT"
# Nothing matches: empty output, success.
run k timeline --kind gift
expect_rc 0 "no match"
[ -z "$OUT" ] || fail "timeline --kind gift printed: $OUT"
run k timeline --kind gift --json
expect_out "[]"
run k timeline --since 2030-01-01 --json
expect_out "[]"

# Errors.
sum=$(journal_sum)
refused_cases "2|kith timeline takes at most one CONTACT|timeline ana ben" \
    "2|--since: '2026-02-30' is not a real calendar day|timeline --since 2026-02-30" \
    "2|--until: 'soon' is not a date|timeline --until soon" \
    "2|--since needs a value|timeline --since" \
    "2|--since is after --until|timeline --since 2026-11-10 --until 2026-11-01" \
    "2|--since is after --until|timeline --since today --until yesterday" \
    "2|--kind 'a b': use letters, digits, - and _ only|timeline --kind 'a b'" \
    "2|--limit wants a whole number from 1 to|timeline --limit 0" \
    "2|--limit wants a whole number from 1 to|timeline --limit x" \
    "2|unknown option '--from'|timeline --from 2026-01-01" \
    "2|'a' matches several contacts|timeline a" \
    "1|no contact matches 'carla'|timeline carla"

finish
