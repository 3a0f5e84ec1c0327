#!/bin/sh
# Full disk and read-only media: a write that cannot be made says so in
# plain words (no raw SQLite message), exits 1 and leaves the journal as it
# was. A small tmpfs stands in for a full disk and, remounted read-only, for
# read-only media; setpriv runs kith as nobody on a journal it may only
# read. Needs root (mount, setpriv); a part the machine cannot do is skipped
# with a message, and the test as a whole when none can.
. "$KITH_TESTLIB"

MNT="$T/mnt"
mounted=0
trap '[ "$mounted" = 1 ] && umount "$MNT" 2>/dev/null; cleanup' EXIT
ran=0

# expect_plain WHAT: stderr has none of SQLite's raw messages.
expect_plain() {
    CHECKS=$((CHECKS + 1))
    case "$ERR" in
    *"disk I/O error"* | *"database or disk is full"* | *"unable to open database"* | \
        *"attempt to write a readonly"* | *"SQLITE"*)
        fail "$1: a raw SQLite message: $ERR"
        ;;
    esac
}
# content DB: a checksum of everything in the journal, as export sees it.
content() { "$KITH" --db "$1" export json | cksum; }
# integrity DB: PRAGMA integrity_check is ok (needs python3).
integrity() {
    [ "$HAVE_PYTHON" = 1 ] || return 0
    CHECKS=$((CHECKS + 1))
    r=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1" 2>&1)
    [ "$r" = ok ] || fail "$2: integrity_check says $r"
}
# writes DB RC MESSAGE WHAT [RUNNER...]: add, log (with a large note), tick
# and thank on DB each exit RC with MESSAGE on stderr and change nothing.
big="$T/big.txt"
head -c 400000 /dev/zero | tr '\0' 'x' | fold -w 70 >"$big"
writes() {
    db=$1 want=$2 msg=$3 what=$4
    shift 4
    for cmd in "add Dan --note -" "log Ana --kind call --gave --note -" "tick" \
        "thank Ana --note -"; do
        # shellcheck disable=SC2086
        runfile "$big" "$@" "$KITH" --db "$db" $cmd
        expect_rc "$want" "$what: $cmd"
        expect_err "$msg" "$what: $cmd"
        expect_plain "$what: $cmd"
    done
}

# A journal with something in it.
seed() {
    "$KITH" --db "$1" add Ana --company Acme --tag mentor >/dev/null &&
        "$KITH" --db "$1" add Ben >/dev/null &&
        "$KITH" --db "$1" log Ana --kind coffee --gave --summary "coffee" >/dev/null &&
        "$KITH" --db "$1" challenge start >/dev/null
}

mkdir -p "$MNT"
if [ "$(id -u)" != 0 ]; then
    echo "not root: the tmpfs and setpriv parts are skipped"
elif ! mount -t tmpfs -o size=1m,mode=0755 tmpfs "$MNT" 2>"$T/mount.err"; then
    echo "cannot mount a tmpfs here ($(cat "$T/mount.err")): the full-disk and read-only-media parts are skipped"
else
    mounted=1
    ran=1
    J="$MNT/kith.db"
    seed "$J" || fail "seeding the journal on the tmpfs"
    before=$(content "$J")

    # 1. The disk fills while no kith has the journal open.
    dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
    writes "$J" 1 "the disk is full" "full disk"
    run "$KITH" --db "$MNT/new.db" add Eve
    expect_rc 1 "new journal on a full disk"
    expect_err "the disk is full" "new journal on a full disk"
    expect_plain "new journal on a full disk"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$MNT/new.db" ] || fail "a failed new journal was left behind: $(ls -l "$MNT")"
    rm -f "$MNT/fill"
    CHECKS=$((CHECKS + 1))
    [ "$(content "$J")" = "$before" ] || fail "full disk: the journal changed"
    integrity "$J" "after a full disk"

    # 2. The disk fills while the journal is open elsewhere (its write-ahead
    # log and shared memory stay), so the write itself runs out of room.
    if [ "$HAVE_PYTHON" = 1 ]; then
        hold_journal "$J" 120
        dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
        writes "$J" 1 "the disk is full" "full disk, journal open"
        rm -f "$MNT/fill"
        kill "$holder"
        wait "$holder" 2>/dev/null
        CHECKS=$((CHECKS + 1))
        [ "$(content "$J")" = "$before" ] || fail "full disk, journal open: the journal changed"
        integrity "$J" "after a full disk with the journal open"
    fi

    # With room again, writing works.
    run "$KITH" --db "$J" add Dan
    expect_rc 0 "add once there is room"
    before=$(content "$J")

    # 3. Read-only media: reading works, writing says so.
    mount -o remount,ro "$MNT"
    run "$KITH" --db "$J" list
    expect_rc 0 "list on read-only media"
    expect_out "Dan" "list on read-only media"
    writes "$J" 1 "is read-only; nothing was written" "read-only media"
    # The check reads what it can and says what it could not check.
    run "$KITH" --db "$J" check --dry-run
    expect_rc 0 "check --dry-run on read-only media"
    expect_out "summary: exact" "check --dry-run on read-only media"
    expect_out "search index: exact for" "check --dry-run on read-only media"
    expect_out "needs a journal kith can write" "check --dry-run on read-only media"
    run "$KITH" --db "$MNT/new.db" add Eve
    expect_rc 1 "new journal on read-only media"
    expect_err "Read-only file system" "new journal on read-only media"
    CHECKS=$((CHECKS + 1))
    [ "$(content "$J")" = "$before" ] || fail "read-only media: the journal changed"
    umount "$MNT" && mounted=0
fi

# 4. A journal this user may only read (root ignores permissions, so the
# commands run as nobody).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    ran=1
    NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 0711 "$T"
    R="$T/ro"
    mkdir -m 0755 "$R"
    seed "$R/kith.db" || fail "seeding the read-only journal"
    chmod 0644 "$R/kith.db"
    sum=$(cksum <"$R/kith.db")
    before=$(content "$R/kith.db")
    # shellcheck disable=SC2086
    run $NB "$KITH" --db "$R/kith.db" list
    expect_rc 0 "list of a read-only journal"
    expect_out "Ana" "list of a read-only journal"
    # shellcheck disable=SC2086
    writes "$R/kith.db" 1 "is read-only; nothing was written" "read-only journal" $NB
    # shellcheck disable=SC2086
    run $NB "$KITH" --db "$R/kith.db" check --dry-run
    expect_rc 0 "check --dry-run of a read-only journal"
    expect_out "needs a journal kith can write" "check --dry-run of a read-only journal"
    CHECKS=$((CHECKS + 1))
    [ "$(cksum <"$R/kith.db")" = "$sum" ] || fail "read-only journal: the file changed"
    CHECKS=$((CHECKS + 1))
    [ "$(content "$R/kith.db")" = "$before" ] || fail "read-only journal: the content changed"
    # shellcheck disable=SC2086
    run $NB "$KITH" --db "$R/new.db" add Eve
    expect_rc 1 "new journal in a read-only directory"
    expect_err "cannot create the journal $R/new.db: Permission denied" "new journal, read-only dir"
    chmod 0600 "$R/kith.db"
    # shellcheck disable=SC2086
    run $NB "$KITH" --db "$R/kith.db" list
    expect_rc 1 "list of an unreadable journal"
    expect_err "cannot open the journal $R/kith.db: Permission denied" "unreadable journal"
    expect_plain "unreadable journal"
else
    echo "cannot run commands as nobody (not root, or no setpriv): the permission part is skipped"
fi

[ "$ran" = 1 ] || { echo "nothing here could be tested: skipped"; exit 77; }
finish
