#!/bin/sh
# A shared folder this user may read but not write at its top (a folder
# another user owns, or a share with only this replica's folder writable):
# kith writes only in this journal's own folder there, so once that exists
# the sync works; a first sync that would have to make it is refused with
# what to do, before anything is written. A folder it cannot read says so.
# As root, kith runs as nobody (access checks do not bind root).
. "$KITH_TESTLIB"

if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "setpriv (util-linux) is needed to run as another user: skipped"; exit 77; }
    as() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
    as() { "$@"; }
fi
chmod 755 "$T"
W="$T/w"
S="$W/shared"
mkdir -p "$W/home" "$S"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$W"
export HOME="$W/home"
ka() { as "$KITH" --db "$W/a.kith" "$@"; }
kb() { as "$KITH" --db "$W/b.kith" "$@"; }
ka add "Ana Ruiz" >/dev/null && kb add "Ben Okafor" >/dev/null || fail "adds"

# A: the top is read-only and this journal has no folder there yet.
chmod 555 "$S"
run ka sync "$S"
expect_rc 1 "A: refused"
expect_err "cannot write in this folder" "A: says what"
expect_err "kith makes a folder of this journal's there, the only place it writes" "A: and why"
[ -z "$(ls -A "$S")" ] || fail "A: something written in the folder: $(ls -A "$S")"
run ka sync status
expect_out "sync is off" "A: sync still off"

# B: with this journal's folder there, a read-only top is enough.
chmod 755 "$S"
ka sync "$S" >/dev/null && kb sync "$S" >/dev/null && ka sync >/dev/null || fail "B: first syncs"
chmod 555 "$S"
ka edit ana --company Globex >/dev/null || fail "B: edit"
run ka sync
expect_rc 0 "B: A syncs under a read-only top"
run kb sync
expect_rc 0 "B: B too"
run kb show ana --json
expect_json '"company":"Globex"' "B: the edit arrived"

# D: a copy of A's journal (writing as A's replica) under a read-only top:
# it must take a new id, whose folder it cannot make; refused before the
# journal takes it, and the next sync, allowed, says what happened.
cp "$W/a.kith" "$W/c.kith"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$W/c.kith"
kc() { as "$KITH" --db "$W/c.kith" "$@"; }
chmod 755 "$S"
ka edit ana --title CTO >/dev/null && ka sync >/dev/null || fail "D: A's file"
chmod 555 "$S"
kc edit ben --company Initech >/dev/null || fail "D: C's edit"
run kc sync
expect_rc 1 "D: C refused"
expect_err "cannot write in this folder" "D: says why"
[ "$(sync_id "$W/c.kith")" = "$(sync_id "$W/a.kith")" ] || fail "D: C took a new id before it was refused"
chmod 755 "$S"
run kc sync
expect_rc 0 "D: C syncs"
expect_out "writes as replica" "D: the new id is told"
[ "$(sync_id "$W/c.kith")" != "$(sync_id "$W/a.kith")" ] || fail "D: C kept A's id"

# C: a folder kith cannot list.
chmod 311 "$S"
run ka sync
expect_rc 1 "C: refused"
expect_err "cannot read this folder" "C: says what"
chmod 755 "$S"

finish
