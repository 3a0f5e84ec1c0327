#!/bin/sh
# kith check: the file's quick check and the per-contact summary against
# the interactions; a summary found off is rebuilt (or, with --dry-run,
# reported and left); writes by any SQLite program keep the summary exact;
# a restore leaves an exact summary; a damaged file is reported, untouched.
. "$KITH_TESTLIB"

# off_then_mended WHAT SAID MENDED: `check --dry-run` finds what is off
# (exit 1, SAID on stderr) and changes nothing; `check` mends it (exit 0,
# MENDED on stdout).
off_then_mended() {
    sum=$(journal_sum)
    run k check --dry-run
    expect_rc 1 "check --dry-run on $1"
    expect_err "$2"
    expect_sum "$sum" "check --dry-run on $1"
    run k check
    expect_rc 0 "check mends $1"
    expect_out "$3"
}

sql() {
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.close()' "$DB" "$1" ||
        fail "sql: $1"
}

k demo >/dev/null || fail "demo"
n=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM contact").fetchone()[0])' "$DB")
run k check
expect_rc 0 "check on a fresh journal"
expect_out "file: sound (SQLite's quick check)"
expect_out "summary: exact for $n contacts"
run k check --help
expect_rc 0 "check --help"
expect_out "usage: kith check [--dry-run]"
run k check extra
expect_rc 2 "check with an argument"

# A row changed behind kith's back, one removed, one of nobody.
ana=$(k show Ana --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
good=$(k ledger --json | cksum)
shown=$(k show Ana)
sql "UPDATE contact_summary SET goodwill = goodwill + 7, last = '1999-01-01' WHERE id = '$ana';
     DELETE FROM contact_summary WHERE contact_key = (SELECT max(contact_key) FROM contact_summary);
     INSERT INTO contact_summary(contact_key, id, name_fold, archived) VALUES (99999, 'x', 'x', 0);"
off_then_mended "a summary that is off" \
    "the summary is off for 2 of $n contacts (1 rows of none); 'kith check' without --dry-run rebuilds it" \
    "summary: off for 2 of $n contacts, 1 row of none; rebuilt from the interactions"
run k check --dry-run
expect_rc 0 "exact after the rebuild"
expect_out "summary: exact for $n contacts"
CHECKS=$((CHECKS + 1))
[ "$(k ledger --json | cksum)" = "$good" ] || fail "the ledger differs after the rebuild"
CHECKS=$((CHECKS + 1))
[ "$(k show Ana)" = "$shown" ] || fail "Ana's card differs after the rebuild"

# Writes by another SQLite program go through the triggers: a new contact,
# an interaction with two contacts (one dated after today), a date moved,
# one deleted, a contact deleted with its interactions.
sql "INSERT INTO contact(id, name, name_fold) VALUES ('ffffffffffffffffffffffffffffff01', 'Raw Row', 'raw row');
     INSERT INTO interaction(id, date, kind, direction) VALUES
      ('eeeeeeeeeeeeeeeeeeeeeeeeeeeeee01', '2026-11-30', 'intro', 'gave'),
      ('eeeeeeeeeeeeeeeeeeeeeeeeeeeeee02', '2026-10-01', 'coffee', 'asked');
     INSERT INTO interaction_contact(interaction_id, contact_key, date, kind, direction)
      SELECT i.id, c.key, i.date, i.kind, i.direction FROM interaction i, contact c
      WHERE i.id LIKE 'eeee%' AND c.id IN ('ffffffffffffffffffffffffffffff01', '$ana');
     UPDATE interaction_contact SET date = '2026-09-01' WHERE interaction_id = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeee02';
     DELETE FROM interaction WHERE id = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeee01';"
run k check --dry-run
expect_rc 0 "writes by another program"
expect_out "summary: exact for $((n + 1)) contacts"
run k rm "Raw Row" --yes
run k check --dry-run
expect_out "summary: exact for $n contacts"

# Other goodwill weights: the next read weighs every balance with them.
good=$(k ledger --json | cksum)
printf 'goodwill:\n  weights:\n    "*": {gave: 2, asked: -5, mutual: 1}\n' >"$T/w.yaml"
run "$KITH" --db "$DB" --config "$T/w.yaml" ledger --json
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | cksum)" != "$good" ] || fail "other weights, the same ledger"
run "$KITH" --db "$DB" --config "$T/w.yaml" check --dry-run
expect_out "summary: exact for $n contacts"
run k check --dry-run
expect_out "goodwill: the balances are weighed with other weights than the config's"
run k check
expect_out "goodwill: weighed again with the config's weights"
CHECKS=$((CHECKS + 1))
[ "$(k ledger --json | cksum)" = "$good" ] || fail "the default weights again, another ledger"

# A restore makes the backup's summary exact.
k backup "$T/b.db" >/dev/null || fail "backup"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE contact_summary SET gave = gave + 1"); c.commit()' "$T/b.db"
run k restore "$T/b.db"
expect_rc 0 "restore"
expect_out "its summary was off for $n contacts: rebuilt"
run k check --dry-run
expect_out "summary: exact for $n contacts"

# The search index of interactions' words (a document for each link whose
# interaction is there; another program's delete above left one that is
# not): exact, off
# after a document is taken out behind kith's back (reported, then made
# anew), and a search finds the contact again.
links=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM interaction_contact ic"
    " JOIN interaction i ON i.id = ic.interaction_id").fetchone()[0])' "$DB")
run k check --dry-run
expect_out "search index: exact for $links links of interactions to contacts"
k log Ana --kind call --summary "zanzibar plans" >/dev/null || fail "log"
links=$((links + 1))
run k list --search zanzib
expect_out "Ana"
sql "DELETE FROM interaction_contact_fts WHERE rowid IN (SELECT rowid FROM interaction_contact_fts
      WHERE interaction_contact_fts MATCH 'zanzibar')"
run k list --search zanzib
expect_no_out "Ana"
off_then_mended "an index that is off" \
    "the search index is off for 1 of $links links; 'kith check' without --dry-run makes it anew" \
    "search index: off for 1 of $links links; made anew"
run k list --search zanzib
expect_out "Ana"
# A document with other words is one link off, not two (it is no document
# of no link as well).
sql "UPDATE interaction_contact_fts SET summary = 'zzz'
      WHERE rowid = (SELECT max(rowid) FROM interaction_contact_fts)"
off_then_mended "a document with other words" \
    "the search index is off for 1 of $links links; 'kith check' without --dry-run makes it anew" \
    "search index: off for 1 of $links links; made anew"

# A damaged file: reported, never rebuilt.
cp "$DB" "$T/damaged.db"
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(3 * 4096); f.write(b"\x05" + b"\xff" * 300)' "$T/damaged.db"
sum=$(cksum <"$T/damaged.db")
run "$KITH" --db "$T/damaged.db" check
expect_rc 1 "a damaged file"
expect_err "is damaged"
CHECKS=$((CHECKS + 1))
[ "$(cksum <"$T/damaged.db")" = "$sum" ] || fail "check changed a damaged file"
finish
