#!/bin/sh
# Two machines that each imported the same address book, then turned sync
# on: the second one's first sync says how many pairs look like one person
# twice and how to review them; once on each machine, and not when either
# side started empty (tests/cli/test_sync_dupes_later.sh: machines that
# already sync).
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
book() {
    "$KITH" --db "$1" add "Ana Ruiz" --company Acme --email ana@acme.example >/dev/null &&
        "$KITH" --db "$1" add "Ben Okafor" --company Initech >/dev/null &&
        "$KITH" --db "$1" add "$2" >/dev/null || fail "address book in $1"
}

mkdir "$S"
book "$A" "Chen Wei"
book "$B" "Dana Li"
# B had a pair of its own before: not one the sync made.
kb add "Dana Li" >/dev/null || fail "Dana twice on B"

# A is first: the folder held nothing, nothing to say.
run ka sync "$S"
expect_rc 0 "A's first sync"
expect_no_out "one person twice"
golden_t sync_dupes kb sync "$S"
run kb dupes
expect_out "3 likely duplicates"
# Once on each machine: B's next sync says nothing of it; A's sync that
# brings B's contacts says it there (in words for a later sync: B's two
# Danas are a pair new here too), then no more.
run kb sync
expect_no_out "one person twice"
run ka sync
expect_rc 0 "A applies B's contacts"
expect_out "this sync brought contacts that may be people this journal already had, or one another: 3 pairs"
expect_no_out "both had contacts"
run ka sync
expect_no_out "one person twice"

# Merged on one machine, the others follow.
for pair in $(kb dupes --json | python3 -c 'import json, sys
for p in json.load(sys.stdin):
    print(p["keep"]["id"] + ":" + p["other"]["id"])'); do
    kb merge "${pair%%:*}" "${pair#*:}" --yes >/dev/null || fail "merge $pair"
done
kb sync >/dev/null && ka sync >/dev/null || fail "sync the merges"
run ka dupes
expect_out "no likely duplicates"

# An empty journal joining: nothing of its own to duplicate.
run "$KITH" --db "$T/c.db" sync "$S" --json
expect_rc 0 "an empty journal's first sync"
expect_json '"likely_duplicates":0'
# A journal with contacts meeting a folder whose replicas hold the same
# people: said in --json too.
book "$T/d.db" "Eve Park"
run "$KITH" --db "$T/d.db" sync "$S" --json
expect_json_valid
expect_json '"likely_duplicates":2,'
# A journal with contacts meeting an empty folder's replicas: nothing.
mkdir "$T/s2"
"$KITH" --db "$T/e.db" sync "$T/s2" >/dev/null || fail "an empty journal makes s2"
book "$T/f.db" "Fay Wong"
run "$KITH" --db "$T/f.db" sync "$T/s2"
expect_rc 0 "a journal with contacts, the folder's replica empty"
expect_no_out "one person twice"

finish
