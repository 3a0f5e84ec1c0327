#!/bin/sh
# What the shared folder may hold that kith did not expect: a file the
# transport has not brought yet, folders and files it cannot read, links,
# bad snapshots, numbers too large, copies of a journal; and what kith
# sync says of each.
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
same() {
    "$KITH" --db "$1" export json | grep -v '"created_at"' >"$T/1.json"
    "$KITH" --db "$2" export json | grep -v '"created_at"' >"$T/2.json"
    cmp -s "$T/1.json" "$T/2.json" || fail "$3: $(diff "$T/1.json" "$T/2.json" | head -5)"
}
mkdir "$S"

# A: A sent files 1 to 5; the transport has not brought file 3 to B yet.
# B applies 1 and 2, says it waits for 3 (not an error: a cron job stays
# quiet about it), and applies the rest once 3 is there.
for i in 1 2 3 4 5; do
    ka add "Person $i" >/dev/null && ka sync "$S" >/dev/null || fail "A's file $i"
done
ra=$(sync_id "$A")
mv "$S/$ra/3.changeset" "$T/3.changeset"
golden_t sync_folder_wait kb sync "$S"
run kb sync "$S" --json
expect_rc 0 "waiting, --json"
expect_json "\"waiting\":[{\"replica\":\"$ra\",\"file\":3}]"
mv "$T/3.changeset" "$S/$ra/3.changeset"
golden_t sync_folder_arrived kb sync "$S"
same "$A" "$B" "B after file 3 arrived"

finish
