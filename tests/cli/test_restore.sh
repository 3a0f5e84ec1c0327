#!/bin/sh
# kith backup, export -o and restore: what they say when they refuse, and
# that a refusal changes nothing. Paths are relative to the test directory
# so that the messages compare as they are.
. "$KITH_TESTLIB"

cd "$T" || exit 1
DB=j.db
k demo >/dev/null || fail "demo"
k backup good.db >/dev/null || fail "backup"
k add "After The Backup" >/dev/null
before=$(k export json | cksum)

# Files that must not be written over.
ln -s j.db link.db
golden backup_journal k backup j.db --force
golden backup_journal_link k backup link.db --force
golden backup_wal k backup j.db-wal --force
golden backup_exists k backup good.db
mkdir adir
golden backup_directory k backup adir --force
golden export_journal k export vcard -o j.db
[ "$(k export json | cksum)" = "$before" ] || fail "a refused backup or export changed the journal"

# restore: usage and help.
golden restore_no_backup k restore
golden restore_two k restore good.db good.db
run k restore --help
expect_rc 0 "restore --help"
expect_out "usage: kith restore BACKUP"
expect_out "JOURNAL.before-restore-YYYYMMDD-HHMMSS"

# Backups restore refuses, each leaving the journal as it was.
printf 'not a journal\n' >text.db
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE notes (body TEXT)"); c.commit()' other.db
cp good.db newer.db
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 99"); c.commit()' newer.db
cp good.db damaged.db
# A b-tree page overwritten with garbage, as a failing disk leaves it.
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(3 * 4096); f.write(b"\x05" + b"\xff" * 300)' damaged.db
golden restore_missing k restore none.db
golden restore_text k restore text.db
golden restore_other k restore other.db
golden restore_newer k restore newer.db
golden restore_damaged k restore damaged.db
golden restore_itself k restore j.db
golden restore_link_to_itself k restore link.db
golden restore_directory k restore adir
CHECKS=$((CHECKS + 1))
[ "$(k export json | cksum)" = "$before" ] || fail "a refused restore changed the journal"
CHECKS=$((CHECKS + 1))
[ -z "$(ls ./*before-restore* 2>/dev/null)" ] || fail "a refused restore moved the journal"

# A restore: the message says where the replaced journal went.
run k restore good.db
expect_rc 0 "restore"
expect_out "restored j.db from good.db: 44 contacts"
aside=$(printf '%s\n' "$OUT" | sed -n 's/^the journal it replaced is now //p')
case "$aside" in
"$T"/j.db.before-restore-2[0-9][0-9][0-9][0-1][0-9][0-3][0-9]-[0-2][0-9][0-5][0-9][0-9][0-9]) ;;
*) fail "restore: where the old journal went: '$aside'" ;;
esac
CHECKS=$((CHECKS + 1))
[ "$("$KITH" --db "$aside" export json | cksum)" = "$before" ] || fail "the journal moved aside differs"
run k show "After The Backup"
expect_rc 1 "the restored journal is the backup"
# Through a symlinked journal: the file it points to is replaced (with the
# old one beside it), the link stays.
mkdir real
"$KITH" --db real/r.db add "Before" >/dev/null
ln -s real/r.db linked.db
run "$KITH" --db linked.db restore good.db
expect_rc 0 "restore through a symlink"
CHECKS=$((CHECKS + 1))
[ -L linked.db ] && [ -n "$(ls real/r.db.before-restore-* 2>/dev/null)" ] ||
    fail "restore through a symlink: $(ls -l . real)"
run "$KITH" --db linked.db show Before
expect_rc 1 "restore through a symlink: the journal is the backup"
# Into a place with no journal yet: nothing to move aside.
run "$KITH" --db new.db restore good.db
expect_rc 0 "restore into a new place"
expect_out "restored new.db from good.db: 44 contacts"
expect_no_out "replaced"

finish
