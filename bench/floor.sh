#!/bin/sh
# Whole commands against a floor measured in the same run: each kith
# command and the floor take turns (bench/alternate.py, A B A B ...), so
# that both see the same machine when its speed drifts, and the ratio is
# the median of the pairs' ratios. The floor is the least a command on
# this journal can cost: sqlite3 starting, opening it and counting the
# interactions. `kith list --json` is compared with sqlite3 writing the
# contact table as JSON.
#
#   sh bench/floor.sh [JOURNAL [RUNS]]
#       (default: the journal bench/run.sh made, 9 runs)
#
# Needs the benchmark build (bench/run.sh or -DKITH_BENCH=ON) and the
# sqlite3 shell. With CALLGRIND=1, also prints the instructions of each
# kith command under valgrind (one run each: they do not move with the
# load).
set -eu
cd "$(dirname "$0")/.."
J=${1:-${KITH_BENCH_DIR:-/tmp/kith-bench}/journal-100000-1000000.kith}
RUNS=${2:-9}
KITH=$PWD/${KITH_BENCH_BUILD:-build-bench}/kith
export KITH_TODAY="${KITH_TODAY:-2026-11-22}"
[ -x "$KITH" ] || { echo "floor.sh: $KITH missing: build with -DKITH_BENCH=ON" >&2; exit 2; }
[ -f "$J" ] || { echo "floor.sh: no journal $J" >&2; exit 2; }
ALT="python3 $PWD/bench/alternate.py -n $RUNS"
FLOOR="sqlite3 -readonly $J 'SELECT count(*) FROM interaction'"
K="$KITH --db $J"
# A first command upgrades an older journal and warms the page cache.
$K list --limit 1 >/dev/null
echo "journal: $J ($(sqlite3 -readonly "$J" 'SELECT count(*) FROM contact') contacts," \
    "$(sqlite3 -readonly "$J" 'SELECT count(*) FROM interaction') interactions)"
# Interactions after KITH_TODAY make the reminder rules work out those
# contacts' figures interaction by interaction: a journal read on its real
# date rarely has any (kith-bench-gen dates its own up to KITH_TODAY).
echo "contacts with interactions after $KITH_TODAY: $(sqlite3 -readonly "$J" \
    "SELECT count(DISTINCT contact_key) FROM interaction_contact WHERE date > '$KITH_TODAY'")"
for c in "list --sort silent --limit 40" "list --sort recent --limit 40" \
    "list --sort goodwill --limit 40" "today" "today --all" "list --search career --limit 40" \
    "ledger"; do
    echo
    echo "== kith $c / floor"
    $ALT --label kith,floor "$K $c" "$FLOOR"
done
echo
echo "== kith list --json / sqlite3 -json SELECT * FROM contact"
$ALT --label kith,sql "$K list --json" "sqlite3 -readonly -json $J 'SELECT * FROM contact'"
# The same columns as kith prints, from the same tables, in the same order
# (tags, emails and phones as lines where kith makes arrays).
SAME="SELECT c.id, c.name, c.company, c.title, (SELECT group_concat(s, char(10)) FROM"
SAME="$SAME (SELECT coalesce(spelling, tag) AS s FROM contact_tag t WHERE t.contact_id = c.id"
SAME="$SAME ORDER BY tag)) AS tags, (SELECT group_concat(value, char(10)) FROM (SELECT value"
SAME="$SAME FROM contact_detail d WHERE d.contact_id = c.id AND d.type = 'email'"
SAME="$SAME ORDER BY position)) AS emails, (SELECT group_concat(value, char(10)) FROM"
SAME="$SAME (SELECT value FROM contact_detail d WHERE d.contact_id = c.id AND d.type = 'phone'"
SAME="$SAME ORDER BY position)) AS phones, coalesce(cs.goodwill, 0) AS goodwill,"
SAME="$SAME cs.last AS last_interaction, c.archived FROM contact c LEFT JOIN contact_summary cs"
SAME="$SAME ON cs.contact_key = c.key WHERE c.archived = 0 ORDER BY c.name_fold, c.id"
echo
echo "== kith list --json / sqlite3 -json, the same columns"
$ALT --label kith,sql "$K list --json" "sqlite3 -readonly -json $J \"$SAME\""

if [ "${CALLGRIND:-0}" = 1 ]; then
    echo
    echo "== instructions (callgrind, one run each)"
    for c in "list --sort silent --limit 40" "today" "today --all" \
        "list --search career --limit 40" "list --json"; do
        out=$(mktemp)
        # shellcheck disable=SC2086
        valgrind --tool=callgrind --callgrind-out-file="$out" $K $c >/dev/null 2>&1
        printf '%-40s %s\n' "kith $c" "$(callgrind_annotate "$out" | awk '/PROGRAM TOTALS/ { print $1; exit }')"
        rm -f "$out"
    done
fi
