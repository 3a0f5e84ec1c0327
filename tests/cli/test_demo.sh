#!/bin/sh
# kith demo: a sample journal that shows every feature (40+ contacts with
# tags and notes, interactions in both directions, referral chains with
# thanked and unthanked links, an active challenge); the same on every run;
# --db, the global --db and KITH_DB; it refuses a journal that has contacts,
# or a file that is not a journal, and leaves it byte for byte as it was.
. "$KITH_TESTLIB"

expect_help demo "usage: kith demo [--db PATH]" "refuses to touch a journal"

# kith demo --db PATH, in a directory that does not exist yet.
D="$T/demo/sub/demo.db"
run "$KITH" demo --db "$D"
expect_rc 0 "demo --db"
expect_out "wrote a demo journal to $D"
expect_out "try: kith --db $D list"
CHECKS=$((CHECKS + 1))
[ -z "$ERR" ] || fail "demo wrote to stderr: $ERR"
expect_file_mode "$D" "-rw-------" "the demo journal"
expect_file_mode "$T/demo/sub" "drwx------" "the demo journal's directory"
d() { "$KITH" --db "$D" "$@"; }

# 40+ contacts, with tags, notes, companies; accents, CJK and emoji.
run d list --json
expect_rc 0 "list the demo"
expect_json_valid "demo list --json"
n=$(printf '%s\n' "$OUT" | grep -c '"name":')
CHECKS=$((CHECKS + 1))
[ "$n" -ge 40 ] || fail "the demo has $n contacts, expected 40 or more"
expect_json '"name":"Élodie Martin"'
expect_json '"name":"Mei Lin 林美"'
expect_json '"name":"Aiko Suzuki 🌸"'
expect_json '"tags":["alumni","mentor"]'
run d show "ana ruiz" --json
expect_json '"company":"Acme"'
expect_json '"note":"Prefers short messages.'
expect_json '"working_on":"hiring two staff engineers"'
expect_json '"last_interaction":"2026-11-10"'
run d list --tag recruiter
expect_rc 0 "list a demo tag"
expect_out "Farid Haddad"

# Interactions in every direction, over the past year.
run d timeline --json
expect_rc 0 "demo timeline"
expect_json_valid "demo timeline --json"
for dir in gave asked mutual; do
    expect_json '"direction":"'$dir'"' "demo interactions: $dir"
done
expect_json '"summary":"shared \"Gen Z at work\""'
n=$(printf '%s\n' "$OUT" | grep -c '"direction":')
CHECKS=$((CHECKS + 1))
[ "$n" -ge 100 ] || fail "the demo has $n interactions, expected 100 or more"
run d ledger
expect_rc 0 "demo ledger"

# Referrals: to contacts and to texts, thanked and not, with outcomes.
run d referrals --json
expect_rc 0 "demo referrals"
expect_json_valid "demo referrals --json"
expect_json '"thanked":true'
expect_json '"thanked":false'
expect_json '"target_id":null'
expect_json '"outcome":"offer"'
expect_json '"outcome":"won"'
expect_json '"outcome":"lost"'
expect_json '"thanked_form":"handwritten note"'
run d referrals --unthanked
expect_rc 0 "demo --unthanked"
expect_out "Dana Kim"
# A trail three long from Ana's intro: thanked, then not, then not.
last=$(d referrals --json | sed -n 's/.*{"id":"\([0-9a-f]*\)","referrer":"Uma Rao".*/\1/p')
run d trail "$last"
expect_rc 0 "demo trail"
golden demo_trail d trail "$last"
run d trail "$last" --json
expect_json_valid "demo trail --json"
expect_py "the demo trail is not a chain with thanked and unthanked links: $OUT" t '
assert len(t) == 3, t
assert [r["thanked"] for r in t] == [True, False, False], t
assert t[0]["parent"] is None and t[1]["parent"] == t[0]["id"] and t[2]["parent"] == t[1]["id"], t
'

# Giving: needs, offers and cadences on some, pay-it-forwards (to a contact
# and to people not in the journal), and ideas of every kind the journal
# can give without the user's own offers (a config's).
run d show "luis garcía" --json
expect_json '"needs":["an intro to a seed investor"]'
run d show "grace hopper-lee" --json
expect_json '"cadence_days":30'
run d show "oscar" --json
expect_json '"offers":["seed investing in developer tools"]'
run d forward --json
expect_rc 0 "demo forwards"
expect_json '"text":"helped a student with her resume"'
expect_json '"contact":null'
expect_json '"name":"Yara Haddad"'
run d ideas --limit 40
for type in thank report-back birthday reconnect give intro; do
    CHECKS=$((CHECKS + 1))
    printf '%s\n' "$OUT" | grep -qE "^ ?[0-9]+  $type " || fail "the demo has no $type idea: $OUT"
done
expect_out "Introduce Luis García to Oscar Lindqvist"
expect_out "you keep in touch every 1m"
run d timeline --since 2026-11-14
expect_out "»" "pay-it-forwards in the timeline"
run d today
expect_out "past the cadence you set" "a cadence reminder"
run d stats --json
expect_json '"month":"2026-11","gave":6,"asked":3,"mutual":4,"forward":3}'

# A challenge in progress: day 12 of 30, two single days empty (grace
# days: the streak goes on over them), today open.
golden demo_challenge d challenge
run d challenge --json
expect_json '"started_on":"2026-11-11","days":30,"done":9,"streak":9,"today_done":false,"day":12,"finished":false'
expect_json '"grace_days":1,"graced":2,'
run d tick --note "tried the demo"
expect_rc 0 "tick in the demo"
expect_out "ticked 2026-11-22 · day 12 of 30 · done 10 · streak 10"

# The same journal on every run (ids aside; interactions of one day come in
# id order, so they are compared sorted): the global --db and KITH_DB.
run "$KITH" --db "$T/two.db" demo
expect_rc 0 "kith --db PATH demo"
expect_out "wrote a demo journal to $T/two.db"
KITH_DB="$T/three.db" run "$KITH" demo
expect_rc 0 "KITH_DB=PATH kith demo"
expect_out "wrote a demo journal to $T/three.db"
for f in two three; do
    for c in list referrals timeline ledger; do
        "$KITH" --db "$T/$f.db" $c | mask_ids | sort >"$T/$f.$c"
        "$KITH" --db "$T/two.db" $c | mask_ids | sort >"$T/ref.$c"
        CHECKS=$((CHECKS + 1))
        cmp -s "$T/ref.$c" "$T/$f.$c" || fail "demo $f: $c differs from another run"
    done
done
"$KITH" --db "$T/three.db" list | mask_ids >"$T/three.list"
d list | mask_ids >"$T/one.list"
CHECKS=$((CHECKS + 1))
cmp -s "$T/one.list" "$T/three.list" || fail "two demos list different contacts"

# Refusals: a journal with contacts (the demo's or the user's), a file that
# is not a journal; each left byte for byte as it was.
sum=$(cksum <"$D")
run "$KITH" demo --db "$D"
expect_rc 1 "demo over the demo"
expect_err "already holds 44 contacts; the demo needs an empty journal"
CHECKS=$((CHECKS + 1))
[ "$(cksum <"$D")" = "$sum" ] || fail "a refused demo changed the journal"
[ -z "$OUT" ] || fail "a refused demo printed: $OUT"

run k add Ana Ruiz
sum=$(journal_sum)
run k demo
expect_rc 1 "demo over a user's journal"
expect_err "already holds 1 contact; the demo needs an empty journal"
expect_sum "$sum" "demo over a user's journal"
run k list
expect_out "Ana Ruiz"
expect_no_out "Ben Okafor" "a refused demo added contacts"

printf 'my notes\n' >"$T/notes.txt"
run "$KITH" demo --db "$T/notes.txt"
expect_rc 1 "demo over a text file"
expect_err "is not a kith journal"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/notes.txt")" = "my notes" ] || fail "a refused demo changed a text file"

# The demo tells a believable story: nobody is met after the first
# interaction with them, and nobody refers you before you met them.
if [ "$HAVE_PYTHON" = 1 ]; then
    "$KITH" --db "$T/story.db" demo >/dev/null || fail "demo for the story"
    run python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
early = c.execute("SELECT c.name, c.met_on, min(ic.date) FROM contact c"
                  " JOIN interaction_contact ic ON ic.contact_key = c.key"
                  " GROUP BY c.key HAVING min(ic.date) < c.met_on").fetchall()
refs = c.execute("SELECT c.name, c.met_on, r.date FROM referral r"
                 " JOIN contact c ON c.id = r.referrer_id WHERE r.date < c.met_on").fetchall()
met = c.execute("SELECT t.name, t.met_on, r.date FROM referral r"
                " JOIN contact t ON t.id = r.target_contact_id WHERE t.met_on < r.date").fetchall()
for row in early: print("talked before met:", row)
for row in refs: print("referred before met:", row)
for row in met: print("met before the intro:", row)' "$T/story.db"
    expect_rc 0 "the story check ran"
    CHECKS=$((CHECKS + 1))
    [ -z "$OUT" ] || fail "the demo's story does not hold: $OUT"
fi

# Usage errors, nothing created.
for args in "x" "--db" "--bogus" "--db=$T/u.db extra" "--json"; do
    run "$KITH" --db "$T/u.db" demo $args
    expect_rc 2 "demo $args"
    expect_err "usage: kith demo [--db PATH]" "demo $args"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/u.db" ] || fail "demo $args created a journal"
done

finish
