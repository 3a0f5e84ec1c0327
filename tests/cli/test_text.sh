#!/bin/sh
# Hostile text: control characters and terminal escape sequences are stored
# as given and never reach the terminal raw; invalid UTF-8, NUL bytes and
# oversized text are refused with a clear message and nothing written.
. "$KITH_TESTLIB"

ESC=$(printf '\033')
BEL=$(printf '\007')
TAB=$(printf '\t')
CR=$(printf '\r')
# ESC [31m (red), an OSC title sequence ended by BEL, CR, a tab, a C1 CSI
# (U+009B) and a right-to-left override (U+202E).
EVIL="Evil${ESC}[31mRed${ESC}]0;pwned${BEL}${CR}${TAB}X$(printf '\302\233')Y$(printf '\342\200\256')Z"

run k add "$EVIL" --company "Acme${ESC}[2J" --note "line1
line2${ESC}[0m"
expect_rc 0 "add a name full of escapes"
expect_no_raw_esc "add echo"
expect_out 'added Evil\e[31mRed\e]0;pwned\x07\r\tX\u{009B}Y\u{202E}Z'
run k log evil --kind call --gave --on 2026-11-20 --summary "sum${ESC}[1mmary"
expect_rc 0 "log with an escape in the summary"

# Stored as given: JSON shows the exact characters, JSON-escaped.
run k show evil --json
expect_rc 0 "show --json"
expect_json_valid "show --json"
expect_json '"name":"Evil\u001b[31mRed\u001b]0;pwned\u0007\r\tX'
expect_json '"company":"Acme\u001b[2J"'
expect_json '"note":"line1\nline2\u001b[0m"'
expect_no_raw_esc "show --json"
expect_py "the stored name differs from the one given" c '
want = "Evil\x1b[31mRed\x1b]0;pwned\x07\r\tX\u009bY\u202eZ"
sys.exit(0 if c["name"] == want else "name is %r" % c["name"])'

# Human output of every command escapes them.
for cmd in "list" "list --all" "show evil" "timeline" "timeline evil" "ledger" "search evil" \
    "search sum" "edit evil --title boss"; do
    # shellcheck disable=SC2086
    run k $cmd
    expect_rc 0 "$cmd"
    expect_no_raw_esc "$cmd"
    CHECKS=$((CHECKS + 1))
    case "$OUT" in *"$BEL"* | *"$CR"*) fail "$cmd: raw BEL or CR in: $OUT" ;; esac
done
run k show evil
expect_out 'Evil\e[31mRed\e]0;pwned\x07\r\tX\u{009B}Y\u{202E}Z' "show escapes the name"
expect_out 'Acme\e[2J' "show escapes the company"
expect_out 'note         line1
               line2\e[0m' "show prints the note's lines as lines, escaped"
run k timeline
expect_out 'sum\e[1mmary' "timeline escapes the summary"
# Errors quoting user text escape it too.
run k show "nobody${ESC}[5m"
expect_rc 1 "not found with an escape"
expect_err "no contact matches 'nobody\e[5m'"
expect_no_raw_esc "not-found message"
run k list --bogus"${ESC}"
expect_rc 2 "unknown option with an escape"
expect_no_raw_esc "unknown-option message"
run "$KITH" "frob${ESC}[0m"
expect_rc 2 "unknown command with an escape"
expect_no_raw_esc "unknown-command message"
run k log evil --kind "x${ESC}y" --gave
expect_rc 2 "a kind with an escape"
expect_no_raw_esc "bad-kind message"

# Without NO_COLOR and without a terminal, still no escape sequences.
unset NO_COLOR
run k list
expect_no_raw_esc "list with colors allowed but no terminal"
run k show evil
expect_no_raw_esc "show with colors allowed but no terminal"
export NO_COLOR=1

# Invalid UTF-8 in arguments: exit 2, a clear message, nothing written.
sum=$(journal_sum)
BAD=$(printf 'Bad\377\376Name')
for args in "add BAD" "add Zed --company BAD" "add Zed --company=BAD" "add Zed --note BAD" \
    "add Zed --tag BAD" "edit evil --title BAD" "show BAD" "rm BAD --yes" \
    "log evil --kind call --gave --summary BAD" "log BAD --kind call --gave" "list --search BAD" \
    "list --tag BAD" "timeline BAD" "search BAD"; do
    # shellcheck disable=SC2086
    set -- $args
    for a; do
        shift
        case "$a" in
        BAD) set -- "$@" "$BAD" ;;
        *=BAD) set -- "$@" "${a%BAD}$BAD" ;;
        *) set -- "$@" "$a" ;;
        esac
    done
    run k "$@"
    expect_rc 2 "invalid UTF-8: $args"
    expect_err "not valid UTF-8" "invalid UTF-8: $args"
    expect_sum "$sum" "invalid UTF-8: $args"
    expect_no_raw_esc "invalid UTF-8: $args"
done
# Overlong encodings and surrogates are invalid too.
for b in '\300\257' '\355\240\200' '\364\220\200\200' '\342\202'; do
    run k add "x$(printf "$b")y"
    expect_rc 2 "invalid UTF-8 bytes $b"
    expect_err "not valid UTF-8" "invalid UTF-8 bytes $b"
    expect_sum "$sum" "invalid UTF-8 bytes $b"
done
printf 'bad\377note' >"$T/badnote"
refused_stdin "$T/badnote" 2 "note is not valid UTF-8" "invalid UTF-8 note on stdin" k add Zed --note -

# A NUL byte on stdin would cut the text short: refused.
printf 'one\000two' >"$T/nul"
refused_stdin "$T/nul" 2 "contains a NUL byte" "NUL in a note" k add Zed --note -
refused_stdin "$T/nul" 2 "contains a NUL byte" "NUL in an interaction note" \
    k log evil --kind call --gave --note -

# A 10 MB note (through stdin: argv cannot hold it) is refused: the limit is
# 1 MiB. Likewise for edit and log.
dd if=/dev/zero bs=1048576 count=10 2>/dev/null | tr '\000' 'a' >"$T/10mb"
long="note from standard input is longer than 1048576 bytes"
refused_stdin "$T/10mb" 2 "$long" "10 MB note" k add Zed --note -
refused_stdin "$T/10mb" 2 "$long" "10 MB note on edit" k edit evil --note -
refused_stdin "$T/10mb" 2 "$long" "10 MB note on log" k log evil --kind call --gave --note -
refused_stdin "$T/10mb" 2 "longer than 1048576 bytes" "10 MB working-on" k add Zed --working-on -
# A 10 MB note to a journal that does not exist yet creates nothing.
runfile "$T/10mb" "$KITH" --db "$T/fresh/k.db" add Zed --note -
expect_rc 2 "10 MB note, fresh journal"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/fresh" ] || fail "a refused 10 MB note created $T/fresh"
# Exactly 1 MiB is accepted and comes back whole.
dd if="$T/10mb" of="$T/1mib" bs=1048576 count=1 2>/dev/null
runfile "$T/1mib" k add "Max Note" --note -
expect_rc 0 "1 MiB note"
run k show "max note" --json
CHECKS=$((CHECKS + 1))
n=$(printf '%s' "$OUT" | tr -cd a | wc -c)
[ "$n" -ge 1048576 ] || fail "1 MiB note came back with $n a's"
# One byte over through an argument is refused the same way.
dd if="$T/10mb" of="$T/over" bs=1048577 count=1 2>/dev/null
runfile "$T/over" k add Zed --note -
expect_rc 2 "1 MiB + 1 note"
expect_err "longer than 1048576 bytes"

run k list --json
expect_json_valid "list after refusals"
expect_no_out '"name":"Zed"' "no refused contact stored"

# ---- On a terminal: JSON and exports escape what would act on it or hide
# (JSON as \u escapes that mean the same), a file or a pipe gets the bytes.
NEL=$(printf '\302\205')
CSI=$(printf '\302\233')
DEL=$(printf '\177')
RLO=$(printf '\342\200\256')
ZWSP=$(printf '\342\200\213')
LRI=$(printf '\342\201\246')
SHY=$(printf '\302\255')
TTYNAME="Tty${NEL}nel${CSI}csi${DEL}del${RLO}rlo${ZWSP}zw${LRI}lri${SHY}shy"
run k add "$TTYNAME" --company "Co${RLO}rp" --note "one${CR}two
three" --tag tty
expect_rc 0 "add a name for the terminal"
run k log "tty" --kind call --gave --on 2026-11-21 --summary "s${RLO}um"
expect_rc 0 "log for the terminal"
run k refer --by tty --to-text "Glo${RLO}bex${NEL}" --on 2026-11-01
expect_rc 0 "refer for the terminal"
# no_raw WHAT: stdout holds none of the characters above raw, and no CR
# that does not end a line.
no_raw() {
    for c in "$NEL" "$CSI" "$DEL" "$RLO" "$ZWSP" "$LRI" "$SHY" "$ESC" "$BEL"; do
        CHECKS=$((CHECKS + 1))
        case "$OUT" in *"$c"*) fail "$1: a raw $(printf '%s' "$c" | od -An -tx1) on the terminal" ;; esac
    done
    CHECKS=$((CHECKS + 1))
    if [ "$HAVE_PYTHON" = 1 ]; then
        python3 -c 'import sys; d = open(sys.argv[1], "rb").read()
sys.exit(d.count(b"\r") != d.count(b"\r\n"))' "$T/out" || fail "$1: a lone CR on the terminal"
    fi
}
# same_json WHAT FILE: $OUT is JSON that reads as the same value as FILE.
same_json() {
    [ "$HAVE_PYTHON" = 1 ] || return 0
    CHECKS=$((CHECKS + 1))
    python3 -c 'import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
sys.exit(0 if a == b else "differ")' "$T/out" "$2" || fail "$1: the terminal's JSON means something else"
}
for cmd in "show tty --json" "list --json" "search tty --json" "timeline --json" \
    "timeline tty --json" "ledger --json" "referrals --json" "today --json" "export json"; do
    # shellcheck disable=SC2086
    run k $cmd
    expect_rc 0 "$cmd to a pipe"
    cp "$T/out" "$T/piped.json"
    # shellcheck disable=SC2086
    runtty $cmd
    expect_rc 0 "$cmd on a terminal"
    expect_json_valid "$cmd on a terminal"
    no_raw "$cmd on a terminal"
    same_json "$cmd on a terminal" "$T/piped.json"
done
runtty show tty --json
expect_json '"name":"Tty\u0085nel\u009bcsi\u007fdel\u202erlo\u200bzw\u2066lri\u00adshy"' \
    "show --json on a terminal"
# To a pipe, byte for byte.
run k show tty --json
expect_json "\"name\":\"$TTYNAME\"" "show --json to a pipe keeps the bytes"
expect_json "\"note\":\"one\\rtwo\\nthree\"" "show --json to a pipe"
# The plain output shows them all.
run k show tty
expect_out 'Tty\u{0085}nel\u{009B}csi\x7Fdel\u{202E}rlo\u{200B}zw\u{2066}lri\u{00AD}shy' \
    "show escapes zero-width and bidi characters"

for fmt in vcard csv ics; do
    run k export $fmt
    expect_rc 0 "export $fmt to a pipe"
    cp "$T/out" "$T/piped.$fmt"
    runtty export $fmt
    expect_rc 0 "export $fmt on a terminal"
    no_raw "export $fmt on a terminal"
done
runtty export csv
expect_out 'Tty\u{0085}nel\u{009B}csi\x7Fdel\u{202E}rlo\u{200B}zw\u{2066}lri\u{00AD}shy' \
    "export csv on a terminal"
expect_out 'one\rtwo' "export csv on a terminal: the lone CR shown"
runtty export vcard
expect_out 'FN:Tty\u{0085}nel' "export vcard on a terminal"
# To a pipe or a file, byte for byte.
CHECKS=$((CHECKS + 1))
grep -q "Co${RLO}rp" "$T/piped.csv" || fail "export csv to a pipe lost the raw characters"
CHECKS=$((CHECKS + 1))
grep -q "one${CR}two" "$T/piped.csv" || fail "export csv to a pipe lost the CR"
run k export csv -o "$T/file.csv"
expect_rc 0 "export csv to a file"
CHECKS=$((CHECKS + 1))
cmp -s "$T/file.csv" "$T/piped.csv" || fail "export csv to a file differs from the pipe"

finish
