#!/bin/sh
# A damaged journal and a failing disk: kith says what happened and what to
# do, in its own words -- never SQLite's ("database disk image is
# malformed", "vtable constructor failed", "disk I/O error", "constraint
# failed") -- exits 1 and leaves the journal as it was.
. "$KITH_TESTLIB"

[ "$HAVE_PYTHON" = 1 ] || { echo "python3 is not installed: skipped"; exit 77; }
python3 -c 'import sqlite3' 2>/dev/null || { echo "python3 has no sqlite3 module: skipped"; exit 77; }

cd "$T" || exit 1
# plain WHAT: stderr has none of SQLite's words.
plain() {
    CHECKS=$((CHECKS + 1))
    case "$ERR" in
    *"malformed"* | *"vtable constructor"* | *"disk I/O error"* | *"constraint failed"* | \
        *"unable to open database"* | *"no such table"* | *"SQLITE"*)
        fail "$1: SQLite's own words: $ERR"
        ;;
    esac
}
restore_hint="restore the last good backup with 'kith restore BACKUP'"

# 1. The search index is damaged (one of its tables is gone).
"$KITH" --db fts.db demo >/dev/null
python3 -c 'import sqlite3
c = sqlite3.connect("fts.db"); c.execute("DROP TABLE contact_fts_config"); c.commit()'
sum=$(cksum <fts.db)
for cmd in "search ana" "list --search ana" "add Zed"; do
    # shellcheck disable=SC2086
    run "$KITH" --db fts.db $cmd
    expect_rc 1 "damaged search index: $cmd"
    expect_err "the journal fts.db is damaged (its search index is broken); $restore_hint" \
        "damaged search index: $cmd"
    plain "damaged search index: $cmd"
done
CHECKS=$((CHECKS + 1))
[ "$(cksum <fts.db)" = "$sum" ] || fail "damaged search index: the journal changed"
# What the message says works: the backup restores over the damaged one.
"$KITH" --db good.db demo >/dev/null
"$KITH" --db good.db backup good-backup.db >/dev/null
run "$KITH" --db fts.db restore good-backup.db
expect_rc 0 "restore over a damaged journal"
run "$KITH" --db fts.db search ana
expect_rc 0 "search after the restore"

# 2. A broken page: a leaf of the contacts' index overwritten.
"$KITH" --db page.db demo >/dev/null
page=$(python3 -c 'import sqlite3
c = sqlite3.connect("file:page.db?immutable=1", uri=True)
print(c.execute("SELECT pageno FROM dbstat WHERE name = ? LIMIT 1", ("contact_live_by_name",)).fetchone()[0])')
python3 -c 'import sys
f = open("page.db", "r+b"); f.seek((int(sys.argv[1]) - 1) * 4096); f.write(b"\x0a" + b"\xff" * 600)' "$page"
sum=$(cksum <page.db)
run "$KITH" --db page.db list
expect_rc 1 "a broken page"
expect_err "the journal page.db is damaged (SQLite found a broken page); $restore_hint" "a broken page"
plain "a broken page"
CHECKS=$((CHECKS + 1))
[ "$(cksum <page.db)" = "$sum" ] || fail "a broken page: the journal changed"

# 3. Something else where SQLite keeps the journal's log.
"$KITH" --db side.db add Ana >/dev/null
mkdir side.db-wal
run "$KITH" --db side.db list
expect_rc 1 "a directory as the log"
expect_err "side.db-wal is not a file but SQLite keeps the journal's write-ahead log there; move it away and try again" \
    "a directory as the log"
plain "a directory as the log"

# 4. A failing disk (EIO from the C library, through a preloaded shim).
if [ -n "${KITH_EIO_LIB:-}" ] && [ -f "$KITH_EIO_LIB" ]; then
    "$KITH" --db eio.db demo >/dev/null
    before=$("$KITH" --db eio.db export json | cksum)
    for op in write sync; do
        run env KITH_EIO_PATH="$T/eio.db-wal" KITH_EIO_OP=$op LD_PRELOAD="$KITH_EIO_LIB" \
            ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$KITH" --db eio.db add Zed
        expect_rc 1 "a disk that fails to $op"
        expect_err "the disk could not read or write eio.db (Input/output error); nothing was written" \
            "a disk that fails to $op"
        plain "a disk that fails to $op"
    done
    run env KITH_EIO_PATH="$T/eio.db" KITH_EIO_OP=read LD_PRELOAD="$KITH_EIO_LIB" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$KITH" --db eio.db list
    expect_rc 1 "a disk that fails to read"
    expect_err "Input/output error" "a disk that fails to read"
    plain "a disk that fails to read"
    CHECKS=$((CHECKS + 1))
    [ "$("$KITH" --db eio.db export json | cksum)" = "$before" ] || fail "a failing disk: the journal changed"
else
    echo "no EIO shim (KITH_EIO_LIB): the failing-disk part is skipped"
fi

finish
