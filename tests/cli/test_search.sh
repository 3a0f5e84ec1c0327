#!/bin/sh
# kith search: full text over names, companies, notes and interactions;
# words match as prefixes, case and accents ignored; FTS syntax in a query
# is plain text; --json; no match; usage errors.
. "$KITH_TESTLIB"

run k add Ana Ruiz --company Acme --title "VP Engineering" --note "loves Rust and résumé reviews"
run k add Ben Okafor --company Globex --working-on "a Kubernetes migration" --how-met "alumni dinner"
run k add José Álvarez --location Zürich
run k add 王小明 --company 腾讯
run k log ben --kind coffee --gave --on 2026-11-01 --summary "talked about hiring" \
    --note "he asked about Zürich"
run k log "ana ruiz" ben --kind intro --asked --on 2026-11-05 --summary "intro to the Acme hiring team"
expect_rc 0 "fixture"

run k search --help
expect_rc 0 "search --help"
expect_out "usage: kith search QUERY"

golden search_both k search hiring
golden search_contacts k search acme
golden search_nothing k search nothing-like-this

# searches QUERY NAME...: each NAME is among the contacts found.
finds() {
    q=$1
    shift
    run k search "$q" --json
    expect_rc 0 "search '$q'"
    expect_json_valid "search '$q'"
    for name; do
        expect_json "\"name\":\"$name\"" "search '$q'"
    done
}
finds ana "Ana Ruiz"
finds ANA "Ana Ruiz"
finds "ana ruiz" "Ana Ruiz"
finds okaf "Ben Okafor"
finds globex "Ben Okafor"
finds engineering "Ana Ruiz"
finds rust "Ana Ruiz"
finds kube "Ben Okafor"
finds alumni "Ben Okafor"
finds resume "Ana Ruiz"
finds RÉSUMÉ "Ana Ruiz"
finds jose "José Álvarez"
finds alvarez "José Álvarez"
finds zurich "José Álvarez" "Ben Okafor"
finds 王小明 "王小明"
finds 腾讯 "王小明"
# Words are ANDed.
run k search ana globex
expect_rc 1 "two words, no contact has both"
run k search hiring --json
expect_json '"query":"hiring","contacts":['
expect_json '"summary":"talked about hiring"'
expect_json '"summary":"intro to the Acme hiring team"'
expect_json '"interactions":[{"id":'
expect_py "search --json structure" d '
ok = list(d) == ["query", "contacts", "interactions"] and len(d["interactions"]) == 2
ok = ok and sorted(c["name"] for c in d["contacts"]) == ["Ana Ruiz", "Ben Okafor"]
sys.exit(0 if ok else "got %r" % d)'
run k search hiring --json --limit 1
expect_json_valid "search --limit 1"
expect_py "search --limit 1" d '
sys.exit(0 if len(d["contacts"]) == 1 and len(d["interactions"]) == 1 else "got %r" % d)'

# FTS5 syntax in a query is text: never an SQL or FTS error.
for q in '"' 'a"b' '*' 'OR' 'ana OR ben' 'NEAR(ana' 'col:ana' '-ana' '(' "'" 'ana*' '^ana' \
    'ana AND' '{ana}' '%' '\'; do
    run k search "$q"
    CHECKS=$((CHECKS + 1))
    case "$RC" in 0 | 1) ;; *) fail "search '$q': exit $RC" ;; esac
    case "$ERR" in *rror* | *syntax* | *SQL* | *fts5*) fail "search '$q': $ERR" ;; esac
    run k search "$q" --json
    expect_rc 0 "search '$q' --json"
    expect_json_valid "search '$q' --json"
done
run k search '"ana"' --json
expect_json '"query":"\"ana\""' "the query echoed JSON-escaped"

# Nothing matches: human output says so on stderr with exit 1; JSON is empty.
run k search zzzz
expect_rc 1 "no match"
expect_err "nothing matches 'zzzz'"
[ -z "$OUT" ] || fail "no match printed: $OUT"
run k search zzzz --json
expect_rc 0 "no match --json"
expect_out '{"query":"zzzz","contacts":[],"interactions":[]}'

# An archived contact is found with --all (as edit --archive's help says),
# marked, and not without.
k add "Zed Archived" --note "kayak club" >/dev/null || fail "add Zed"
k edit zed --archive >/dev/null || fail "archive Zed"
run k search kayak
expect_rc 1 "an archived contact is not found without --all"
run k search kayak --all
expect_rc 0 "search --all"
expect_out "Zed Archived" "found with --all"
expect_out "archived" "and marked"
run k search kayak --all --json
expect_json '"name":"Zed Archived"' "--all --json"
expect_json '"archived":true' "--all --json marks it"
k rm zed --yes >/dev/null || fail "rm Zed"

# Errors.
sum=$(journal_sum)
REFUSED_USAGE="usage: kith search QUERY"
refused_cases "2|kith search needs a QUERY|search" \
    "2|kith search needs a QUERY|search --json" \
    "2|--limit wants a whole number from 1 to 100000|search ana --limit 0" \
    "2|--limit needs a value|search ana --limit" \
    "2|unknown option '--archived'|search ana --archived"
REFUSED_USAGE=

finish
