#!/bin/sh
# A file in a replica's own folder that kith did not write there (bytes of
# something else, another replica's file, a FIFO), numbered past the
# journal's last, is no copy's: the journal keeps its id, sends nothing,
# and says to remove it; another replica says the same, not that the file
# comes again by itself. Once it is gone, both go on (review r26 #6).
. "$KITH_TESTLIB"

S="$T/shared"
A="$T/a.kith"
B="$T/b.kith"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

try() { # WHAT MAKE: MAKE puts the foreign file at $1
    what=$1
    rm -rf "$S" "$A" "$B" && mkdir "$S"
    ka add "Ana Ruiz" >/dev/null && ka sync "$S" >/dev/null && kb sync "$S" >/dev/null ||
        fail "$what: first syncs"
    ra=$(sync_id "$A")
    f="$S/$ra/2.changeset"
    $2 "$f" "$S" || fail "$what: making the file"
    ka edit Ana --company Initech >/dev/null || fail "$what: edit"
    kb edit Ana --title FromB >/dev/null || fail "$what: B edits"
    kb sync >/dev/null 2>&1 # exits 1: it says what A's sync says, checked below
    run ka sync
    expect_rc 1 "$what: A refuses"
    expect_err "the other replicas' changes were applied" "$what: A says it received"
    expect_err "2.changeset is not a file kith wrote as this replica" "$what: A names the file"
    expect_err "remove it from the folder, then sync again" "$what: and says what to do"
    expect_no_out "another journal writes as replica" "$what: not taken for a copy"
    [ "$(sync_id "$A")" = "$ra" ] || fail "$what: A kept its id"
    run ka show Ana
    expect_out "FromB" "$what: A still receives B's changes (review r27 #2)"
    run kb sync
    expect_err "kith did not write it there" "$what: B says it is not kith's"
    expect_err "remove it from the folder" "$what: B says what to do"
    expect_no_err "writes it again at its next sync; sync on that machine" "$what: no false promise"
    if [ "$what" != fifo ]; then
        run kb sync status
        expect_out "is not one kith wrote there" "$what: B's status says so too (review r27 #3)"
        expect_no_out "that replica writes it again at its next sync: sync on" "$what: status, no false promise"
    fi
    rm -f "$f"
    run ka sync
    expect_rc 0 "$what: A syncs once it is gone"
    expect_out "sent file 2" "$what: A's own file 2"
    run kb sync
    expect_rc 0 "$what: B applies it"
    run kb show Ana
    expect_out "Initech" "$what: A's edit reached B"
    same_journals "$A" "$B" "$what"
}

junk() { head -c 5000 /dev/urandom >"$1"; }
fifo() { mkfifo "$1"; }
others() { # another replica's file 1, copied in under this replica's number
    for d in "$2"/*/; do
        [ "$d" = "$(dirname "$1")/" ] && continue
        [ -f "$d/1.changeset" ] && cp "$d/1.changeset" "$1" && return 0
    done
    # B sent nothing yet: a file of A's own, under the wrong number
    cp "$(dirname "$1")/1.changeset" "$1"
}
try junk junk
try fifo fifo
try "a file numbered otherwise" others
finish
