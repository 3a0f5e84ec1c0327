#!/bin/sh
# A write-ahead log that does not belong to its journal -- left from before
# a backup was copied over the journal, or brought from another journal --
# is refused when kith opens the journal, and both files are left as they
# were; a log that does belong (a crash left it, a checkpoint copied part
# of it) is replayed as before. 'kith restore' replaces a journal without
# ever leaving its old log beside the new one.
. "$KITH_TESTLIB"

[ "$HAVE_PYTHON" = 1 ] || { echo "python3 is not installed: skipped"; exit 77; }
python3 -c 'import sqlite3' 2>/dev/null || { echo "python3 has no sqlite3 module: skipped"; exit 77; }

cd "$T" || exit 1
k() { timeout 60 "$KITH" --db "$@"; }

# crash_after DB [CHECKPOINT] CMD...: runs the kith command CMD... on DB while
# another process has DB open, then kills that process, so that the log of
# CMD's commits stays beside DB as after a crash. With CHECKPOINT=ckpt the
# other process first copies the whole log into DB (a checkpoint that did
# not restart the log).
crash_after() {
    db=$1
    shift
    ckpt=no
    [ "$1" = ckpt ] && ckpt=yes && shift
    rm -f "$T/go" "$T/held"
    python3 -c 'import sqlite3,sys,os,time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("SELECT count(*) FROM sqlite_schema").fetchall()
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]): time.sleep(0.02)
if sys.argv[4] == "yes": c.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
open(sys.argv[3] + ".done", "w").close()
time.sleep(60)' "$db" "$T/held" "$T/go" "$ckpt" &
    holder=$!
    i=0
    while [ ! -e "$T/held" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    "$@" >/dev/null || fail "crash_after: $*"
    touch "$T/go"
    i=0
    while [ ! -e "$T/go.done" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    rm -f "$T/go.done"
    kill -9 "$holder"
    wait "$holder" 2>/dev/null
    CHECKS=$((CHECKS + 1))
    [ -s "$db-wal" ] || fail "crash_after: no log was left beside $db"
}
files_sum() { cat "$1" "$1-wal" | cksum; }
integrity() {
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1"
}

# 1. A log left by a crash belongs to its journal: replayed, nothing lost.
k a.db demo >/dev/null
crash_after a.db k a.db add "Only In The Log" --company Crashco
run k a.db list --search crashco
expect_rc 0 "a crash's log: list"
expect_out "Only In The Log" "a crash's log is replayed"
CHECKS=$((CHECKS + 1))
[ "$(integrity a.db)" = ok ] || fail "a crash's log: integrity"

# 2. The same after a checkpoint copied the whole log into the journal
# without restarting it.
crash_after a.db ckpt k a.db add "Checkpointed Too"
run k a.db show "Checkpointed Too"
expect_rc 0 "a checkpointed log"

# 3. A backup copied over a journal whose log is still pending: the log's
# pages would land on the backup's and damage it.
k b.db demo >/dev/null
k b.db backup b-backup.db >/dev/null
k b.db add "After The Backup" >/dev/null
k b.db rm "Ana Ruiz" --yes >/dev/null
crash_after b.db sh -c 'for i in 1 2 3 4 5 6; do timeout 60 "$KITH" --db b.db add "Log $i" --note n >/dev/null; done'
cp b-backup.db b.db
sum=$(files_sum b.db)
for cmd in "list" "add Zed" "export json" "backup copy.db"; do
    # shellcheck disable=SC2086
    run k b.db $cmd
    expect_rc 1 "stale log: $cmd"
    expect_err "b.db-wal does not belong to the journal $T/b.db: it holds changes to another copy of the journal" "stale log: $cmd"
    expect_err "mv $T/b.db-wal $T/b.db-wal.old; mv $T/b.db-shm $T/b.db-shm.old" "stale log: $cmd"
    CHECKS=$((CHECKS + 1))
    [ "$(files_sum b.db)" = "$sum" ] || fail "stale log: $cmd changed the files"
done
# What the message says to do works: the journal is the backup again.
mv b.db-wal b.db-wal.old
mv b.db-shm b.db-shm.old 2>/dev/null
run k b.db list
expect_rc 0 "after moving the stale log away"
expect_out "Ana Ruiz" "the backup's content"
expect_no_out "Log 1" "the stale log's content"
CHECKS=$((CHECKS + 1))
[ "$(integrity b.db)" = ok ] || fail "after moving the stale log away: integrity"

# 4. A log brought from another journal.
k c.db demo >/dev/null
k d.db demo >/dev/null
crash_after d.db k d.db add "In D Only"
cp d.db-wal c.db-wal
sum=$(files_sum c.db)
run k c.db list
expect_rc 1 "foreign log"
expect_err "does not belong to the journal" "foreign log"
CHECKS=$((CHECKS + 1))
[ "$(files_sum c.db)" = "$sum" ] || fail "foreign log: the files changed"

# 5. restore puts a backup in place of a journal whose log does not belong
# (case 3 again), moving the journal and its log aside together.
k e.db demo >/dev/null
k e.db backup e-backup.db >/dev/null
k e.db add "After The Backup" >/dev/null
crash_after e.db k e.db add "Pending In The Log"
cp e-backup.db e.db
run k e.db restore e-backup.db
expect_rc 0 "restore over a journal with a stale log"
expect_out "restored e.db from e-backup.db: 44 contacts"
expect_out "the journal it replaced is now $T/e.db.before-restore-"
aside=$(printf '%s\n' "$OUT" | sed -n 's/^the journal it replaced is now //p')
CHECKS=$((CHECKS + 1))
[ ! -e e.db-wal ] || [ ! -s e.db-wal ] || fail "restore left a log beside the new journal"
CHECKS=$((CHECKS + 1))
[ -s "$aside-wal" ] || fail "restore did not move the old log with the old journal"
run k e.db list
expect_rc 0 "the restored journal opens"
expect_no_out "After The Backup" "the restored journal is the backup"
CHECKS=$((CHECKS + 1))
[ "$(integrity e.db)" = ok ] || fail "the restored journal: integrity"

# 6. restore of a healthy journal with a pending log: the log is folded
# into the journal moved aside, which opens on its own.
k f.db demo >/dev/null
k f.db backup f-backup.db >/dev/null
crash_after f.db k f.db add "Only In The Log"
run k f.db restore f-backup.db
expect_rc 0 "restore over a journal with its own log"
aside=$(printf '%s\n' "$OUT" | sed -n 's/^the journal it replaced is now //p')
CHECKS=$((CHECKS + 1))
[ ! -s "$aside-wal" ] || fail "the log was not folded into the journal moved aside"
run k "$aside" show "Only In The Log"
expect_rc 0 "the journal moved aside keeps its log's changes"

# 7. A backup with a log of its own is not restored until the log is folded
# in (restore reads the backup alone and creates nothing beside it).
k h.db demo >/dev/null
k h.db backup h-backup.db >/dev/null
crash_after h-backup.db k h-backup.db add "Only In The Backup's Log"
sum=$(files_sum h-backup.db)
run k h.db restore h-backup.db
expect_rc 1 "restore of a backup with a pending log"
expect_err "h-backup.db has a write-ahead log beside it (h-backup.db-wal): open it once with 'kith --db h-backup.db list' so that kith folds it in, then restore; nothing was changed" \
    "restore of a backup with a pending log"
CHECKS=$((CHECKS + 1))
[ "$(files_sum h-backup.db)" = "$sum" ] || fail "restore changed the backup's files"
k h-backup.db list >/dev/null
run k h.db restore h-backup.db
expect_rc 0 "restore once the backup's log is folded in"
run k h.db show "Only In The Backup's Log"
expect_rc 0 "the backup's log came along"

# 8. restore refuses a journal another process has open.
k g.db demo >/dev/null
k g.db backup g-backup.db >/dev/null
python3 -c 'import sqlite3,sys,time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM contact").fetchall()
open(sys.argv[2], "w").close(); time.sleep(60)' g.db "$T/g-held" &
holder=$!
i=0
while [ ! -e "$T/g-held" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
before=$(cksum <g.db)
run k g.db restore g-backup.db
expect_rc 1 "restore of a journal in use"
expect_err "is open in another kith" "restore of a journal in use"
CHECKS=$((CHECKS + 1))
[ "$(cksum <g.db)" = "$before" ] && [ -z "$(ls g.db.before-restore-* 2>/dev/null)" ] ||
    fail "restore of a journal in use changed something"
kill "$holder"
wait "$holder" 2>/dev/null

finish
