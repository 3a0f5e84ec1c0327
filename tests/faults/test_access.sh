#!/bin/sh
# Reaching the journal: symbolic links anywhere in its path work; a side
# file left read-only by SQLite after `chmod 400` does not make the journal
# read-only for good; and a journal that cannot be written just now (its
# directory is not writable, the disk is full) can still be read, and a
# write says why it cannot be made.
. "$KITH_TESTLIB"

cd "$T" || exit 1

# 1. Symbolic links: $HOME itself, the journal, a directory on the way.
mkdir -p real/home
ln -s real/home linked-home
HOME="$T/linked-home" run "$KITH" add Ana
expect_rc 0 "add with \$HOME a symlink"
HOME="$T/linked-home" run "$KITH" list
expect_rc 0 "list with \$HOME a symlink"
expect_out "Ana" "list with \$HOME a symlink"
CHECKS=$((CHECKS + 1))
[ -f real/home/.local/share/kith/kith.db ] || fail "the journal is not under the real home"
mkdir data
"$KITH" --db data/j.db add Ben >/dev/null
ln -s data/j.db link.db
ln -s data linked-data
for db in link.db linked-data/j.db "$T/linked-data/../data/j.db"; do
    run "$KITH" --db "$db" add "Via $(basename "$db")"
    expect_rc 0 "add through $db"
    run "$KITH" --db "$db" list
    expect_rc 0 "list through $db"
    expect_out "Ben" "list through $db"
done
# One journal, one log: no log grows beside the links.
CHECKS=$((CHECKS + 1))
[ ! -e link.db-wal ] && [ ! -e link.db-shm ] || fail "a log beside the symlink"
ln -s nowhere.db dangling.db
run "$KITH" --db dangling.db add Eve
expect_rc 1 "a symlink to nothing"
expect_err "dangling.db is a symbolic link to a file that does not exist" "a symlink to nothing"

# The rest needs another user than root (root writes through every mode).
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1 ||
    ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    echo "cannot run commands as nobody: the permission parts are skipped"
    finish
fi
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 0711 "$T"
W="$T/w"
mkdir -m 0777 "$W"

# 2. chmod 400, a read, chmod 600: SQLite left J-shm (and J-wal) 0400.
# shellcheck disable=SC2086
$NB "$KITH" --db "$W/j.db" add Ana >/dev/null || fail "seeding $W/j.db"
$NB chmod 400 "$W/j.db"
# shellcheck disable=SC2086
run $NB "$KITH" --db "$W/j.db" list
expect_rc 0 "list of a 0400 journal"
$NB chmod 600 "$W/j.db"
# shellcheck disable=SC2086
run $NB "$KITH" --db "$W/j.db" add Ben
expect_rc 0 "add after chmod 600"
expect_out "added Ben" "add after chmod 600"
# shellcheck disable=SC2086
run $NB "$KITH" --db "$W/j.db" list
expect_out "Ben" "Ben was saved"

# 3. A journal the user may write, in a directory they may not: read it,
# and say why a write cannot be made.
chown 65534 "$W"
chmod 0555 "$W"
sum=$(cksum <"$W/j.db")
# shellcheck disable=SC2086
run $NB "$KITH" --db "$W/j.db" list
expect_rc 0 "list in a directory that is not writable"
expect_out "Ben" "list in a directory that is not writable"
# shellcheck disable=SC2086
run $NB "$KITH" --db "$W/j.db" add Cy
expect_rc 1 "add in a directory that is not writable"
expect_err "the journal $W/j.db cannot be written now (its directory is not writable, and SQLite keeps its log and index beside it); nothing was written" \
    "add in a directory that is not writable"
CHECKS=$((CHECKS + 1))
[ "$(cksum <"$W/j.db")" = "$sum" ] || fail "the journal changed"
chmod 0777 "$W"

# 4. A full disk: read, and say the disk is full.
MNT="$T/mnt"
mkdir -p "$MNT"
if mount -t tmpfs -o size=1m,mode=0755 tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null; cleanup' EXIT
    "$KITH" --db "$MNT/j.db" add Ana >/dev/null && "$KITH" --db "$MNT/j.db" add Ben >/dev/null ||
        fail "seeding the tmpfs journal"
    dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
    run "$KITH" --db "$MNT/j.db" list
    expect_rc 0 "list on a full disk"
    expect_out "Ben" "list on a full disk"
    run "$KITH" --db "$MNT/j.db" show ana --json
    expect_rc 0 "show --json on a full disk"
    run "$KITH" --db "$MNT/j.db" add Cy
    expect_rc 1 "add on a full disk"
    expect_err "the disk is full" "add on a full disk"
    expect_no_err "cannot read" "add on a full disk"
    rm -f "$MNT/fill"
    run "$KITH" --db "$MNT/j.db" add Cy
    expect_rc 0 "add once there is room"
    umount "$MNT"
else
    echo "cannot mount a tmpfs here: the full-disk part is skipped"
fi

finish
