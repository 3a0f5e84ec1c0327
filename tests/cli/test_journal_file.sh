#!/bin/sh
# The journal file: where it is, how it is created, and that files kith
# must not touch (another program's SQLite file, a newer journal, a file
# that is not SQLite, a read-only journal) are refused and left
# byte-for-byte as they were.
. "$KITH_TESTLIB"

# A new journal is created mode 0600 in 0700 directories, whatever the umask.
umask 022
NEW="$T/newdir/sub/k.db"
run "$KITH" --db "$NEW" add Ana
expect_rc 0 "add creates the journal"
expect_file_mode "$NEW" "-rw-------" "new journal"
expect_file_mode "$T/newdir" "drwx------" "new journal's parent"
expect_file_mode "$T/newdir/sub" "drwx------" "new journal's directory"
# An existing directory keeps its mode.
mkdir -m 755 "$T/open"
run "$KITH" --db "$T/open/k.db" add Ana
expect_rc 0 "add in an existing directory"
expect_file_mode "$T/open" "drwxr-xr-x" "existing directory"
expect_file_mode "$T/open/k.db" "-rw-------" "journal in an existing directory"

# Where the journal is: --db, --db=, $KITH_DB, then $XDG_DATA_HOME.
run "$KITH" --db="$NEW" list --json
expect_rc 0 "--db=PATH"
expect_json '"name":"Ana"'
KITH_DB="$NEW" run "$KITH" list --json
expect_rc 0 "\$KITH_DB"
expect_json '"name":"Ana"'
XDG_DATA_HOME="$T/xdg" run "$KITH" add Xavi
expect_rc 0 "XDG_DATA_HOME"
CHECKS=$((CHECKS + 1))
[ -f "$T/xdg/kith/kith.db" ] || fail "no journal at \$XDG_DATA_HOME/kith/kith.db"
run "$KITH" add Homer
expect_rc 0 "default path"
CHECKS=$((CHECKS + 1))
[ -f "$HOME/.local/share/kith/kith.db" ] || fail "no journal at ~/.local/share/kith/kith.db"
# --db wins over $KITH_DB.
KITH_DB="$T/xdg/kith/kith.db" run "$KITH" --db "$NEW" list --json
expect_json '"name":"Ana"' "--db over \$KITH_DB"
expect_no_out "Xavi" "--db over \$KITH_DB"

# Commands that read or change a journal never create one.
for cmd in "list" "show Ana" "edit Ana --title T" "rm Ana --yes" "log Ana --kind call --gave" \
    "timeline" "ledger" "search Ana" "list --json" "timeline --json" "ledger --json"; do
    # shellcheck disable=SC2086
    run "$KITH" --db "$T/none/k.db" $cmd
    expect_rc 1 "$cmd without a journal"
    expect_err "no journal at $T/none/k.db" "$cmd without a journal"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/none" ] || fail "$cmd created $T/none"
done

# A directory where the journal should be.
mkdir "$T/adir.db"
run "$KITH" --db "$T/adir.db" add Ana
expect_rc 1 "a directory as the journal"
expect_err "is not a journal file"

# Writes a byte at an offset of a file, in place (for the SQLite header).
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

# check_refused FILE MESSAGE WHAT: reads and writes are refused with
# MESSAGE, exit 1, and FILE is unchanged (and grows no -wal or -shm).
check_refused() {
    DB=$1
    sum=$(journal_sum)
    for cmd in "list" "list --json" "show Ana" "add Zed" "edit Ana --title T" "rm Ana --yes" \
        "log Ana --kind call --gave" "timeline" "ledger" "search Ana"; do
        # shellcheck disable=SC2086
        run k $cmd
        expect_rc 1 "$3: $cmd"
        expect_err "$2" "$3: $cmd"
        expect_sum "$sum" "$3: $cmd"
        [ -z "$OUT" ] || fail "$3: $cmd printed: $OUT"
    done
    CHECKS=$((CHECKS + 1))
    [ ! -e "$DB-wal" ] && [ ! -e "$DB-journal" ] || fail "$3: left $(ls "$DB"-*)"
}

# An SQLite file of another program.
OTHER="$T/other.db"
if [ "$HAVE_PYTHON" = 1 ]; then
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
c.execute("INSERT INTO notes (body) VALUES (?)", ("not kith",))
c.commit()
c.close()' "$OTHER"
else
    # Without python3: a kith journal with another program's application_id
    # (header offset 68) is just as foreign.
    cp "$NEW" "$OTHER"
    poke "$OTHER" 68 '\001\002\003\004'
fi
check_refused "$OTHER" "is an SQLite database but not a kith journal; left untouched" "other SQLite file"

# An empty SQLite database of another program: only its application_id says so.
if [ "$HAVE_PYTHON" = 1 ]; then
    sql_poke "$T/appid.db" "PRAGMA application_id = 12345"
    check_refused "$T/appid.db" "is an SQLite database but not a kith journal" "foreign application_id"
fi

# A journal of a newer kith: user_version raised to 99.
NEWER="$T/newer.db"
cp "$NEW" "$NEWER"
if [ "$HAVE_PYTHON" = 1 ]; then
    sql_poke "$NEWER" "PRAGMA user_version = 99"
else
    poke "$NEWER" 60 '\000\000\000\143' # user_version, big-endian, at offset 60
fi
check_refused "$NEWER" "was written by a newer kith (journal version 99" "newer journal"
DB=$NEWER
run k list
expect_err "upgrade kith to open it" "newer journal"

# Files that are not SQLite at all: text, random bytes, a few bytes.
printf 'Ana Ruiz, Acme, VP Engineering\nBen Okafor, Globex\n' >"$T/text.db"
check_refused "$T/text.db" "is not a kith journal (not an SQLite database)" "text file"
dd if=/dev/urandom of="$T/random.db" bs=1024 count=64 2>/dev/null
check_refused "$T/random.db" "is not a kith journal (not an SQLite database)" "random bytes"
printf 'kith' >"$T/tiny.db"
check_refused "$T/tiny.db" "is not a kith journal (not an SQLite database)" "four bytes"
# A damaged journal: the SQLite magic string overwritten.
cp "$NEW" "$T/damaged.db"
poke "$T/damaged.db" 0 'XQLite'
check_refused "$T/damaged.db" "is not a kith journal" "damaged header"

# A read-only journal. As root, permissions do not stop writes, so the
# commands run as the unprivileged user nobody (setpriv) when possible.
RO_DIR="$T/ro"
mkdir "$RO_DIR"
cp "$NEW" "$RO_DIR/k.db"
chmod 444 "$RO_DIR/k.db"
as_user() { "$@"; }
ro_ok=1
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null 2>&1 &&
        setpriv --reuid=65534 --regid=65534 --clear-groups "$KITH" --version >/dev/null 2>&1; then
        as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
        chmod 711 "$T"
    else
        # Root writes through chmod 444 and no other user can run the
        # binary here: nothing meaningful to test.
        echo "skip: read-only journal (running as root without setpriv)"
        ro_ok=0
    fi
fi
if [ "$ro_ok" = 1 ]; then
    # The usual case: the file is read-only, its directory is the user's.
    chmod 777 "$RO_DIR"
    DB="$RO_DIR/k.db"
    sum=$(journal_sum)
    run as_user "$KITH" --db "$DB" list
    expect_rc 0 "read-only journal: list"
    expect_out "Ana"
    run as_user "$KITH" --db "$DB" show ana --json
    expect_rc 0 "read-only journal: show --json"
    expect_json '"name":"Ana"'
    for cmd in "add Zed" "edit Ana --title T" "rm Ana --yes" "log Ana --kind call --gave"; do
        # shellcheck disable=SC2086
        run as_user "$KITH" --db "$DB" $cmd
        expect_rc 1 "read-only journal: $cmd"
        expect_err "the journal $DB is read-only; nothing was written" "read-only journal: $cmd"
        expect_sum "$sum" "read-only journal: $cmd"
    done
    # A read-only file in a directory the user cannot write either: SQLite
    # cannot make the WAL index it reads through, so kith reads the journal
    # as immutable (nothing can change it while no log is pending); writes
    # are refused as before.
    rm -f "$RO_DIR/k.db-shm" "$RO_DIR/k.db-wal"
    chmod 755 "$RO_DIR"
    run as_user "$KITH" --db "$DB" list
    expect_rc 0 "read-only journal and directory: list"
    expect_out "Ana" "read-only journal and directory: list"
    expect_sum "$sum" "read-only journal and directory: list"
    for cmd in "add Zed" "log Ana --kind call --gave"; do
        # shellcheck disable=SC2086
        run as_user "$KITH" --db "$DB" $cmd
        expect_rc 1 "read-only journal and directory: $cmd"
        expect_err "is read-only" "read-only journal and directory: $cmd"
        expect_sum "$sum" "read-only journal and directory: $cmd"
    done
    chmod 700 "$T"
fi

finish
