#!/bin/sh
# kith list: columns aligned by display width (accents, CJK, emoji), the
# sorts and filters, --json, and its usage errors.
. "$KITH_TESTLIB"
TAB=$(printf '\t')

run k add Ana Ruiz --company Acme --tag mentor --tag alumni --email ana@acme.example
run k add Ben Okafor --company Globex --tag alumni --phone "+44 20 7946 0000"
run k add José Álvarez --company Initech --title CTO
run k add 王小明 --company 腾讯科技 --tag 朋友
run k add "😀 Emoji Person" --company "Émoji Co"
run k add "Zoë Archived" --company Acme
run k edit zoë --archive
expect_rc 0 "archive"
run k add "A very long name that does not fit the column" --company "An equally long company name" \
    --tag a-very-long-tag-name
run k log ana --kind coffee --gave --on 2026-11-10 --summary "careers chat"
run k log ana --kind intro --asked --on 2026-06-01
run k log ben --kind call --gave --on 2026-11-21
run k log ben --kind referral --gave --on 2026-09-01
run k log josé --kind event --mutual --on 2025-01-15
expect_rc 0 "fixture"

run k list --help
expect_rc 0 "list --help"
expect_out "usage: kith list"

golden list_default k list
golden list_recent k list --sort recent
golden list_silent k list --sort silent
golden list_goodwill k list --sort goodwill
golden list_tag k list --tag alumni
golden list_all k list --all
golden list_search k list --search acme

# A tag matches however it is typed; a tag nobody has lists nobody.
run k list --tag "#ALUMNI"
expect_rc 0 "--tag #ALUMNI"
expect_out "Ana Ruiz"
expect_out "Ben Okafor"
expect_no_out "José"
run k list --tag 朋友
expect_out "王小明" "--tag in CJK"
# Tags keep the case and spaces they were given; matching ignores case.
run k add Zed Zhou --tag "Worker drones"
run k list --tag "worker DRONES"
expect_out "Zed Zhou" "--tag matches a tag with a space, case aside"
run k show "Zed Zhou" --json
expect_json '"tags":["Worker drones"]' "the tag as given"
run k rm "Zed Zhou" --yes
run k list --tag nobody
expect_rc 0 "--tag without matches"
expect_no_out "Ana"
# Search matches names without accents, companies, notes and interactions.
run k list --search jose
expect_out "José Álvarez" "--search without accents"
run k list --search careers
expect_out "Ana Ruiz" "--search in an interaction summary"
expect_no_out "Ben" "--search in an interaction summary"
run k list --limit 2
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || fail "--limit 2 gave: $OUT"

# Alignment: every line has the same display width, and the column after
# the name starts at the same display column on every row, whatever the
# name's script. The width uses Unicode's East Asian Width (W and F count 2).
if [ "$HAVE_PYTHON" = 1 ]; then
    run k list --all
    # Archived contacts carry a marker after the last column.
    CHECKS=$((CHECKS + 1))
    [ "$(printf '%s\n' "$OUT" | grep -c '  archived$')" = 1 ] &&
        printf '%s\n' "$OUT" | grep -q 'Zoë Archived .*  archived$' ||
        fail "list --all: not exactly Zoë marked archived: $OUT"
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | sed 's/  archived$//' >"$T/list.txt"
    python3 - "$T/list.txt" <<'PY' || fail "list columns are not aligned: $(cat "$T/list.txt")"
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
widths = {width(l) for l in lines}
bad = []
if len(widths) != 1:
    bad.append("line widths %s" % sorted(widths))
for l in lines[1:]:
    # The company column starts after id (8), two spaces, name (24), two spaces.
    for company in ("Acme", "Globex", "Initech", "腾讯科技", "Émoji Co", "An equally"):
        i = l.find(company)
        if i >= 0 and width(l[:i]) != 36:
            bad.append("%r: company at column %d" % (l, width(l[:i])))
if bad:
    sys.exit("\n".join(bad))
PY
fi

# --json: one array, the documented fields, archived contacts only with --all.
run k list --json
expect_rc 0 "list --json"
expect_json_valid "list --json"
expect_json '"name":"Ana Ruiz","company":"Acme","title":null,"tags":["alumni","mentor"],"emails":["ana@acme.example"],"phones":[],"goodwill":-2,"last_interaction":"2026-11-10","archived":false}'
expect_json '"name":"Ben Okafor","company":"Globex","title":null,"tags":["alumni"],"emails":[],"phones":["+44 20 7946 0000"],"goodwill":4,"last_interaction":"2026-11-21","archived":false}'
expect_json '"name":"José Álvarez","company":"Initech","title":"CTO"'
expect_json '"name":"王小明","company":"腾讯科技"'
expect_json '"name":"😀 Emoji Person"'
expect_no_out "Zoë" "archived contact in list --json"
run k list --json --all --tag alumni --sort goodwill
expect_json_valid "list --json with filters"
if [ "$HAVE_PYTHON" = 1 ]; then
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | python3 -c 'import json, sys
names = [c["name"] for c in json.load(sys.stdin)]
sys.exit(0 if names == ["Ben Okafor", "Ana Ruiz"] else "got %r" % names)' ||
        fail "list --json --tag alumni --sort goodwill order"
    run k list --json --all
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | python3 -c 'import json, sys
rows = json.load(sys.stdin)
keys = ["id", "name", "company", "title", "tags", "emails", "phones", "goodwill", "last_interaction",
        "archived"]
bad = [r for r in rows if list(r) != keys or len(r["id"]) != 32
       or r["archived"] != (r["name"] == "Zoë Archived")]
sys.exit("bad rows %r" % bad if bad or len(rows) != 7 else 0)' || fail "list --json --all fields"
fi
run k list --json --tag nobody
expect_rc 0 "empty --json"
expect_out "[]"

# An empty journal lists just the header.
run "$KITH" --db "$T/empty.db" add Solo
run "$KITH" --db "$T/empty.db" rm solo --yes
run "$KITH" --db "$T/empty.db" list
expect_rc 0 "empty journal"
expect_out "ID        NAME"
run "$KITH" --db "$T/empty.db" list --json
expect_out "[]" "empty journal --json"

# The rows of a whole list (its tags read in one pass) and of a window, a
# tag or a search (each row's tags looked up) are the same rows: many tags
# cut to the column in key order whatever their case, a name with
# terminal escapes and a tab, a wide name cut between characters, an
# archived contact with --all.
R="$T/rows.db"
ESC=$(printf '\033')
run "$KITH" --db "$R" add "Many Tags" --company Initech --tag zulu --tag Alpha --tag mike \
    --tag "Bravo two" --tag echo --tag delta --tag charlie --tag foxtrot --tag golf --tag hotel
run "$KITH" --db "$R" add "Esc${ESC}[31mRed${TAB}Tab" --company "Co${ESC}[2J" --tag Alpha
run "$KITH" --db "$R" add "王小明王小明王小明王小明王小明" --company "腾讯科技腾讯科技腾讯科技" --tag 朋友
run "$KITH" --db "$R" add "No Tags"
run "$KITH" --db "$R" add "Gone Away" --tag alpha --tag zulu
run "$KITH" --db "$R" edit gone --archive
run "$KITH" --db "$R" log many --kind coffee --gave --on 2026-11-01
expect_rc 0 "rows fixture"
golden list_rows "$KITH" --db "$R" list --all
expect_no_raw_esc "list of escapes"
whole=$OUT
for args in "--all --limit 10" "--all --tag alpha --sort name" "--all --search a"; do
    # shellcheck disable=SC2086
    run "$KITH" --db "$R" list $args
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | tail -n +2 | while IFS= read -r line; do
        printf '%s\n' "$whole" | grep -qxF "$line" || echo "$line"
    done >"$T/extra"
    [ ! -s "$T/extra" ] || fail "list $args: rows not in the whole list: $(cat "$T/extra")"
done
run "$KITH" --db "$R" list --sort goodwill
expect_out "Many Tags                 Initech             Alpha,Bravo two…" "goodwill order's tags"

# A balance wider than the column is rounded to thousands, not cut: the
# LAST column stays where the header puts it.
G="$T/gw.kith"
printf 'goodwill:\n  weights:\n    "*": {gave: 100, asked: -100, mutual: 0}\n' >"$T/gw.yaml"
"$KITH" --db "$G" add Big Giver >/dev/null && "$KITH" --db "$G" add Big Asker >/dev/null ||
    fail "big balances: add"
i=0
while [ $i -lt 26 ]; do
    "$KITH" --db "$G" log giver --kind call --gave --on 2026-11-20 >/dev/null || fail "log giver"
    [ $i -ge 10 ] || "$KITH" --db "$G" log asker --kind call --asked --on 2026-11-01 >/dev/null ||
        fail "log asker"
    i=$((i + 1))
done
KITH_CONFIG="$T/gw.yaml" run "$KITH" --db "$G" list --sort goodwill
expect_rc 0 "big balances"
printf '%s\n' "$OUT" | sed 's/^[0-9a-f]*  //' >"$T/gw.out"
cat >"$T/gw.want" <<'WANT'
ID        NAME                      COMPANY             TAGS                GW    LAST
Big Giver                                                        +3k      2d
Big Asker                                                        -1k     21d
WANT
diff "$T/gw.want" "$T/gw.out" >&2 || fail "big balances: rounded to thousands in 4 columns"

# Usage errors, journal unchanged; a parse error also shows the usage.
run k list --sort
expect_err "usage: kith list [--tag T]"
sum=$(journal_sum)
refused_cases "2|kith list takes no arguments|list ana" \
    "2|--sort must be name, recent, silent or goodwill|list --sort age" \
    "2|--sort needs a value|list --sort" \
    "2|--limit wants a whole number from 1 to|list --limit 0" \
    "2|--limit wants a whole number from 1 to|list --limit ten" \
    "2|--limit wants a whole number from 1 to|list --limit 99999999999999999999" \
    "2|--tag needs a value|list --tag" \
    "2|has control characters|list --tag \"two${TAB}words\"" \
    "2|unknown option '--colour'|list --colour" \
    "2|--json takes no value|list --json=yes" \
    "2|--search needs a value|list --search"

finish
