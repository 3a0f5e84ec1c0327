#!/bin/sh
# Input without end: every import stops at its size limit with a message
# (not an abort, not a machine out of memory), devices and directories are
# refused at once, a named pipe nobody writes to is given up, and no
# journal is left behind; settings and themes that are named pipes or nest
# without end fail at once with FILE:LINE:COLUMN.
. "$KITH_TESTLIB"

cd "$T" || exit 1
# A time limit, so that a reader that blocks or runs on fails the test.
kt() {
    secs=$1
    shift
    timeout "$secs" "$KITH" --db "$T/in.db" "$@"
}
# gone WHAT: the failed import left no journal behind.
gone() {
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/in.db" ] || fail "$1: a journal was left behind"
    rm -f "$T/in.db" "$T/in.db-wal" "$T/in.db-shm"
}

for fmt in vcard csv json; do
    # A device by name: refused before reading a byte.
    run kt 10 import "$fmt" /dev/zero
    expect_rc 1 "import $fmt /dev/zero"
    expect_err "/dev/zero is a device, not a file kith can read" "import $fmt /dev/zero"
    gone "import $fmt /dev/zero"
    run kt 10 import "$fmt" "$T"
    expect_rc 1 "import $fmt DIRECTORY"
    expect_err "is a directory, not a file kith can read" "import $fmt DIRECTORY"
    gone "import $fmt DIRECTORY"
done

# Endless standard input: /dev/zero and a pipe that never ends.
timeout 120 "$KITH" --db "$T/in.db" import vcard - </dev/zero >"$T/out" 2>"$T/err"
RC=$?
ERR=$(cat "$T/err")
expect_rc 1 "import vcard - </dev/zero"
expect_err "standard input is larger than 512 MiB, the most kith reads from one file" \
    "import vcard - </dev/zero"
gone "import vcard - </dev/zero"
yes "BEGIN:VCARD" | timeout 120 "$KITH" --db "$T/in.db" import csv - >"$T/out" 2>"$T/err"
RC=$?
ERR=$(cat "$T/err")
expect_rc 1 "an endless pipe"
expect_err "standard input is larger than 512 MiB" "an endless pipe"
gone "an endless pipe"

# A named pipe: with an endless writer, the size limit; with none, given up.
mkfifo "$T/pipe"
yes "Ana,Acme" >"$T/pipe" 2>/dev/null &
writer=$!
run kt 120 import csv "$T/pipe"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
expect_rc 1 "a named pipe with an endless writer"
expect_err "$T/pipe is larger than 512 MiB" "a named pipe with an endless writer"
gone "a named pipe with an endless writer"
run kt 60 import vcard "$T/pipe"
expect_rc 1 "a named pipe nobody writes to"
expect_err "nothing arrived from $T/pipe (a named pipe) in 10 seconds" "a named pipe nobody writes to"
gone "a named pipe nobody writes to"
# A named pipe that does deliver a file imports it.
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Pia Pipe\nEND:VCARD\n' >"$T/pipe" &
run kt 60 import vcard "$T/pipe"
expect_rc 0 "a named pipe with a vCard"
expect_out "added 1, merged 0, skipped 0, empty 0" "a named pipe with a vCard"
rm -f "$T/in.db" "$T/in.db-wal" "$T/in.db-shm"

# Settings and themes.
awk 'BEGIN { for (i = 0; i < 1048575; i++) printf "[" }' >"$T/deep.yaml"
run timeout 10 "$KITH" --config "$T/deep.yaml" --db "$T/in.db" list
expect_rc 2 "1 MB of [ as the settings"
expect_err "$T/deep.yaml:1:33: nested deeper than 32 levels" "1 MB of [ as the settings"
run timeout 10 "$KITH" --config "$T/pipe" --db "$T/in.db" list
expect_rc 2 "a named pipe as the settings"
expect_err "the configuration $T/pipe is a named pipe, not a file kith can read" \
    "a named pipe as the settings"
KITH_CONFIG="$T/pipe" run timeout 10 "$KITH" --db "$T/in.db" list
expect_rc 2 "a named pipe as \$KITH_CONFIG"
run timeout 10 "$KITH" config check "$T/pipe"
expect_rc 2 "config check of a named pipe"
expect_err "is a named pipe" "config check of a named pipe"

finish
