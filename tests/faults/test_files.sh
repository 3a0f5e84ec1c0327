#!/bin/sh
# Files kith writes: backup and export -o never write over the journal or
# its side files (by name, through a symlink, through a hard link), never
# over a directory, a named pipe or a device, and replace a file only once
# the new one is complete: a kill or a full disk during 'backup --force'
# keeps the previous backup, and no temporary file is left behind.
. "$KITH_TESTLIB"

cd "$T" || exit 1
J="$T/j.db"
# A time limit: an older kith blocked forever opening a named pipe.
k() { timeout 30 "$KITH" --db "$J" "$@"; }
content() { "$KITH" --db "$1" export json | cksum; }
# no_temp DIR WHAT: no temporary file (NAME.tmp-XXXXXX) is left in DIR.
no_temp() {
    CHECKS=$((CHECKS + 1))
    left=$(find "$1" -maxdepth 1 -name '*.tmp-*' | head -3)
    [ -z "$left" ] || fail "$2: left $left"
}

k add Ana --company Acme >/dev/null && k add Ben >/dev/null || fail "seeding the journal"
before=$(content "$J")
ln -s j.db link.db
ln j.db hard.db
mkdir adir
mkfifo fifo
# A FIFO that stays open keeps its journal's WAL, the usual state of a
# journal a TUI has open.
if [ "$HAVE_PYTHON" = 1 ]; then
    hold_journal "$J" 60
    k add Cy >/dev/null
    before=$(content "$J")
fi
dev=""
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then dev="$T/null"; fi

for target in j.db "$J" ./j.db link.db hard.db j.db-wal j.db-shm j.db-journal; do
    for cmd in "backup $target --force" "backup $target" "export json -o $target" \
        "export vcard --output $target"; do
        # shellcheck disable=SC2086
        run k $cmd
        expect_rc 1 "$cmd"
        expect_err "would destroy the journal: choose another path" "$cmd"
        CHECKS=$((CHECKS + 1))
        [ "$(content "$J")" = "$before" ] || fail "$cmd: the journal changed"
    done
done
CHECKS=$((CHECKS + 1))
[ -L link.db ] && [ "$(stat -c %i hard.db)" = "$(stat -c %i j.db)" ] || fail "a link was replaced"
# On a journal of their own, so that each refusal shows even where the
# journal above did not survive.
"$KITH" --db d.db add Dora >/dev/null || fail "seeding d.db"
for target in adir fifo $dev; do
    for cmd in "backup $target --force" "export csv -o $target"; do
        # shellcheck disable=SC2086
        run timeout 30 "$KITH" --db d.db $cmd
        expect_rc 1 "$cmd"
        expect_err "not a file kith may replace; nothing was written" "$cmd"
    done
done
CHECKS=$((CHECKS + 1))
[ -d adir ] && [ -p fifo ] || fail "a directory or a named pipe was replaced"
if [ -n "$dev" ]; then
    CHECKS=$((CHECKS + 1))
    [ -c "$dev" ] || fail "the device node $dev was replaced by $(ls -l "$dev")"
fi
[ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
no_temp "$T" "refused targets"

# A symlink to a backup: the file it points to is replaced, the link stays.
mkdir real
k backup real/b.db >/dev/null
ln -s real/b.db b-link.db
k add Dee >/dev/null
run k backup b-link.db --force
expect_rc 0 "backup through a symlink"
CHECKS=$((CHECKS + 1))
[ -L b-link.db ] && [ "$(content real/b.db)" = "$(content "$J")" ] || fail "backup through a symlink"

# A large journal, so that a backup takes a while.
awk 'BEGIN { print "name,company,note"; for (i = 0; i < 30000; i++)
    printf "Person %d,Company %d,%0500d\n", i, i % 97, i }' >big.csv
"$KITH" --db big.db import csv big.csv >/dev/null || fail "importing big.csv"
"$KITH" --db big.db backup old.db >/dev/null || fail "first backup"
"$KITH" --db big.db add "After The Backup" >/dev/null
old=$(content old.db)
new=$(content big.db)

# Killed at random moments during 'backup --force': the backup is always
# the old one or the complete new one.
n=0
kills=${KITH_FILES_KILLS:-15}
while [ $n -lt "$kills" ]; do
    "$KITH" --db big.db backup old.db --force >/dev/null 2>&1 &
    pid=$!
    # 0 to 200 ms: before, during and after the copy.
    sleep "$(printf '0.%03d' $((n * 37 % 200)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    got=$(content old.db 2>&1)
    CHECKS=$((CHECKS + 1))
    if [ "$got" != "$old" ] && [ "$got" != "$new" ]; then
        fail "kill $n during backup --force: the backup is neither the old nor the new one ($got)"
        break
    fi
    n=$((n + 1))
    rm -f old.db.tmp-*
done
run "$KITH" --db big.db backup old.db --force
expect_rc 0 "backup --force after the kills"
CHECKS=$((CHECKS + 1))
[ "$(content old.db)" = "$new" ] || fail "the final backup differs from the journal"
no_temp "$T" "backup --force"

# A full disk during 'backup --force' and 'export -o': the old file stays.
MNT="$T/mnt"
mkdir -p "$MNT"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null; cleanup' EXIT
    "$KITH" --db small.db add Eve >/dev/null || fail "a small journal"
    "$KITH" --db small.db backup "$MNT/small.db" >/dev/null || fail "backup onto the tmpfs"
    "$KITH" --db small.db export json -o "$MNT/small.json" || fail "export onto the tmpfs"
    small=$(content "$MNT/small.db")
    json=$(cksum <"$MNT/small.json")
    run "$KITH" --db big.db backup "$MNT/small.db" --force
    expect_rc 1 "backup --force on a full disk"
    expect_err "the disk is full" "backup --force on a full disk"
    CHECKS=$((CHECKS + 1))
    [ "$(content "$MNT/small.db")" = "$small" ] || fail "a full disk destroyed the old backup"
    run "$KITH" --db big.db export json -o "$MNT/small.json"
    expect_rc 1 "export -o on a full disk"
    expect_err "the disk is full" "export -o on a full disk"
    CHECKS=$((CHECKS + 1))
    [ "$(cksum <"$MNT/small.json")" = "$json" ] || fail "a full disk destroyed the old export"
    no_temp "$MNT" "full disk"
    umount "$MNT"
else
    echo "cannot mount a tmpfs here: the full-disk part is skipped"
fi

finish
