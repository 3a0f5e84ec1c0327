# Shared helpers for kith's shell tests (CLI golden tests and TUI tests).
# Sourced by tests/cli/test_*.sh and tests/tui/test_*.sh; ctest sets KITH
# (the binary) and KITH_SOURCE_DIR.

set -u
: "${KITH:?KITH must point at the kith binary}"
: "${KITH_SOURCE_DIR:?KITH_SOURCE_DIR must point at the source tree}"

export KITH_TODAY=2026-11-22
export NO_COLOR=1
export LC_ALL=C.UTF-8
unset KITH_DB KITH_CONFIG XDG_CONFIG_HOME
T=$(mktemp -d /tmp/kith-test-XXXXXX)
export HOME="$T/home"
mkdir -p "$HOME"
DB="$T/kith.db"
GOLDEN_DIR="$KITH_SOURCE_DIR/tests/cli/golden"
FAILS=0
CHECKS=0

cleanup() { rm -rf "$T"; }
trap cleanup EXIT

fail() {
    FAILS=$((FAILS + 1))
    printf 'FAIL: %s\n' "$*" >&2
}

# kith with the test journal.
k() { "$KITH" --db "$DB" "$@"; }

# took STATUS: what a command run with its outputs in $T/out and $T/err
# left: the status in $RC, stdout in $OUT, stderr in $ERR.
took() {
    RC=$1
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    "$@" >"$T/out" 2>"$T/err" </dev/null
    took $?
}

# runtty ARGS...: like `run k ARGS...`, with standard output a terminal (a
# pty from script(1), its LF to CRLF translation off, so that the bytes are
# kith's); standard error and the status as in run.
runtty() {
    : >"$T/tty.sh"
    printf 'stty -onlcr 2>/dev/null\n' >>"$T/tty.sh"
    printf "exec '%s' --db '%s'" "$KITH" "$DB" >>"$T/tty.sh"
    for a; do
        printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" >>"$T/tty.sh"
    done
    printf ' 2>"%s"\n' "$T/err" >>"$T/tty.sh"
    script -qec "sh $T/tty.sh" /dev/null >"$T/out" </dev/null
    took $?
}

# runin INPUT CMD...: like run, with INPUT on standard input.
runin() {
    input=$1
    shift
    printf '%s' "$input" | "$@" >"$T/out" 2>"$T/err"
    took $?
}

# has TEXT PART MSG / lacks TEXT PART MSG: one check that TEXT holds (does
# not hold) PART; a failed check saying MSG when not.
has() {
    CHECKS=$((CHECKS + 1))
    case "$1" in *"$2"*) ;; *) fail "$3" ;; esac
}
lacks() {
    CHECKS=$((CHECKS + 1))
    case "$1" in *"$2"*) fail "$3" ;; esac
}

expect_out() { has "$OUT" "$1" "${2:-command}: stdout lacks '$1': $OUT"; }
expect_err() { has "$ERR" "$1" "${2:-command}: stderr lacks '$1': $ERR"; }
expect_no_out() { lacks "$OUT" "$1" "${2:-command}: stdout has '$1': $OUT"; }
expect_no_err() { lacks "$ERR" "$1" "${2:-command}: stderr has '$1': $ERR"; }

expect_rc() {
    CHECKS=$((CHECKS + 1))
    [ "$RC" = "$1" ] || fail "${2:-command}: exit $RC, expected $1 (stderr: $ERR)"
}

# Masks ids (8 to 32 hex digits in a word) so output compares across runs.
mask_ids() { sed -E 's/\b[0-9a-f]{8,32}\b/<id>/g'; }

# golden NAME CMD...: runs CMD and compares "stdout, stderr, exit" (ids
# masked) with tests/cli/golden/NAME.txt. KITH_UPDATE_GOLDEN=1 rewrites it.
golden() {
    name=$1
    shift
    run "$@"
    golden_check "$name"
}

# Masks the test's temporary folder and times (ISO, and local as
# "2026-12-06 23:40"), which differ from run to run.
mask_tmp() {
    sed -e "s|$T|<T>|g" -e 's/[0-9]\{4\}-[0-9-]*T[0-9:.]*Z/<time>/g' \
        -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/<time>/g'
}

# golden_t NAME CMD...: golden, with the temporary folder and times masked
# too.
golden_t() {
    name=$1
    shift
    run "$@"
    OUT=$(printf '%s' "$OUT" | mask_tmp)
    ERR=$(printf '%s' "$ERR" | mask_tmp)
    golden_check "$name"
}

# golden_check NAME: compares the last run's OUT, ERR and RC with NAME.
golden_check() {
    name=$1
    actual=$( { printf '%s\n' "$OUT"; printf -- '--- stderr\n%s\n' "$ERR"; printf -- '--- exit %s\n' "$RC"; } | mask_ids)
    file="$GOLDEN_DIR/$name.txt"
    CHECKS=$((CHECKS + 1))
    if [ "${KITH_UPDATE_GOLDEN:-0}" = 1 ]; then
        mkdir -p "$GOLDEN_DIR"
        printf '%s\n' "$actual" >"$file"
    elif [ ! -f "$file" ]; then
        fail "golden $name: no file $file (run with KITH_UPDATE_GOLDEN=1)"
    elif ! printf '%s\n' "$actual" | diff -u "$file" - >"$T/diff"; then
        fail "golden $name differs:
$(cat "$T/diff")"
    fi
}

# sync_id JOURNAL: the replica id of a journal that syncs.
sync_id() {
    "$KITH" --db "$1" sync status --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["replica"])'
}

# journal_json JOURNAL: its JSON export without when each row was made
# there (created_at), keys sorted: what two synced journals share. A grep
# cannot drop those keys: each contact is one line of the export.
journal_json() {
    "$KITH" --db "$1" export json | python3 -c 'import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k != "created_at"}
    return [strip(v) for v in o] if isinstance(o, list) else o
print(json.dumps(strip(json.load(sys.stdin)), indent=0, sort_keys=True))'
}

# same_journals A B WHAT: fails unless the two journals hold the same.
same_journals() {
    journal_json "$1" >"$T/same.1.json" || fail "$3: export of $1"
    journal_json "$2" >"$T/same.2.json" || fail "$3: export of $2"
    cmp -s "$T/same.1.json" "$T/same.2.json" ||
        fail "$3: $(diff "$T/same.1.json" "$T/same.2.json" | head -5)"
}

# Checksum of the journal's content, to show a failed command changed nothing.
journal_sum() {
    if [ -f "$DB" ]; then cksum <"$DB"; else echo none; fi
}

# A JSON field check without jq: the compact output contains the text.
expect_json() { has "$OUT" "$1" "${2:-json}: lacks $1: $OUT"; }

# Ends the test with the closing line ctest and CI read.
finish() {
    passed=$((CHECKS - FAILS))
    echo "$passed passed, $FAILS failed"
    [ "$FAILS" = 0 ]
    exit $?
}

# runfile FILE CMD...: like run, with the contents of FILE on standard input
# (for inputs too large for an argument or a shell variable).
runfile() {
    input=$1
    shift
    "$@" <"$input" >"$T/out" 2>"$T/err"
    took $?
}

# expect_sum SUM WHAT: the journal is byte-for-byte as when journal_sum
# printed SUM.
expect_sum() {
    CHECKS=$((CHECKS + 1))
    [ "$(journal_sum)" = "$1" ] || fail "${2:-command}: the journal changed"
}

# expect_out_empty WHAT: the last run printed nothing on standard output.
expect_out_empty() {
    CHECKS=$((CHECKS + 1))
    [ -z "$OUT" ] || fail "${1:-command}: printed on stdout: $OUT"
}

# refused RC MSG CMD...: CMD is refused: it exits RC with MSG (and
# $REFUSED_USAGE when set) on standard error, prints nothing on standard
# output and leaves the journal as it was when sum=$(journal_sum) ran.
REFUSED_USAGE=
refused() {
    rc=$1
    msg=$2
    shift 2
    run "$@"
    expect_rc "$rc" "$*"
    expect_err "$msg" "$*"
    [ -z "$REFUSED_USAGE" ] || expect_err "$REFUSED_USAGE" "$*"
    expect_sum "$sum" "$*"
    expect_out_empty "$*"
}

# refused_cases "RC|MSG|ARGS"...: refused RC MSG k ARGS for each case, ARGS
# split into words as the shell would (quotes group, $VARS expand).
refused_cases() {
    for case; do
        rc=${case%%|*}
        rest=${case#*|}
        msg=${rest%%|*}
        args=${rest#*|}
        eval "set -- $args"
        refused "$rc" "$msg" k "$@"
    done
}

# refused_stdin FILE RC MSG WHAT CMD...: CMD with FILE on standard input
# exits RC with MSG on standard error and leaves the journal as it was when
# sum=$(journal_sum) ran.
refused_stdin() {
    input=$1
    rc=$2
    msg=$3
    what=$4
    shift 4
    runfile "$input" "$@"
    expect_rc "$rc" "$what"
    expect_err "$msg"
    expect_sum "$sum" "$what"
}

# expect_lines TEXT N PATTERN MSG: TEXT has N lines matching the grep
# PATTERN ('' counts every line); a failed check saying MSG when not.
expect_lines() {
    CHECKS=$((CHECKS + 1))
    [ "$(printf '%s\n' "$1" | grep -c -- "$3")" = "$2" ] || fail "$4"
}

# sql_poke DB SQL (needs python3): runs SQL on DB with SQLite, outside kith.
sql_poke() {
    python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(sys.argv[2])
c.commit()
c.close()' "$1" "$2"
}

# import_people CSV GONE: imports CSV, adds three names that sort alike (Bo,
# bo, BÖ) and the archived contact GONE; a failed check when any step fails.
import_people() {
    k import csv "$1" >/dev/null || fail "import"
    k add "Bo" >/dev/null && k add "bo" >/dev/null && k add "BÖ" >/dev/null || fail "add ties"
    k add "$2" >/dev/null && k edit "$2" --archive >/dev/null || fail "archive"
}

# done_elsewhere K WHO CAL WHAT: the reminder to thank WHO is due (`K
# today`, K being k or another such function) until `K export vdir
# --calendar CAL` finds its to-do completed in the folder; then it is not
# (a failed check saying WHAT when it still is).
done_elsewhere() {
    run "$1" today
    expect_out "Thank $2"
    run "$1" export vdir --calendar "$3"
    expect_out "done in the folder 1"
    run "$1" today
    case "$OUT" in *"Thank $2"*) fail "$4" ;; esac
}

# rules_config FILE [LINE...]: a configuration with the two rules the
# reminder tests share (thank a referrer two days after the referral;
# catch up with a mentor silent for 30 to 60 days), then each LINE (more
# rules, or other keys).
rules_config() {
    f=$1
    shift
    cat >"$f" <<'YAML'
rules:
  - id: thank-referrer
    on: referral
    after_days: 2
    priority: high
    message: "Thank {referrer} for the intro to {target}"
  - id: mentors
    on: silence
    tags: [mentor]
    days: 30
    max_days: 60
    priority: low
    message: "Catch up with {contact}"
YAML
    for line in "$@"; do
        printf '%s\n' "$line" >>"$f"
    done
}

# kat DAY ARGS...: kith with the test journal as on DAY.
kat() {
    day=$1
    shift
    KITH_TODAY=$day "$KITH" --db "$DB" "$@"
}

# expect_help CMD [TEXT...]: `kith CMD --help` and `kith CMD -h` exit 0 with
# "usage: kith CMD" and each TEXT on standard output, nothing on standard
# error, and create no journal.
expect_help() {
    cmd=$1
    shift
    for h in --help -h; do
        run "$KITH" --db "$T/none/k.db" "$cmd" "$h"
        expect_rc 0 "$cmd $h"
        expect_out "usage: kith $cmd" "$cmd $h"
        for want; do
            expect_out "$want" "$cmd $h"
        done
        CHECKS=$((CHECKS + 1))
        [ -z "$ERR" ] || fail "$cmd $h wrote to stderr: $ERR"
    done
    CHECKS=$((CHECKS + 1))
    [ ! -e "$T/none" ] || fail "$cmd --help created a journal"
}

# expect_no_journal ARGS...: `k ARGS` without a journal exits 1 with "no
# journal at" and does not create one.
expect_no_journal() {
    run k "$@"
    expect_rc 1 "$* without a journal"
    expect_err "no journal at" "$*"
    CHECKS=$((CHECKS + 1))
    [ ! -e "$DB" ] || fail "$* without a journal created one"
}

# khard_conf FILE DIR: a khard configuration in FILE with one address book,
# the vdir DIR, and no editor.
khard_conf() {
    cat >"$1" <<CONF
[addressbooks]
[[kith]]
path = $2

[general]
debug = no
default_action = list
editor = /bin/true
merge_editor = /bin/true
CONF
}

# expect_json_valid WHAT: $OUT is one JSON document. Needs python3; the
# check is skipped (not failed) without it.
HAVE_PYTHON=0
command -v python3 >/dev/null 2>&1 && HAVE_PYTHON=1
expect_json_valid() {
    [ "$HAVE_PYTHON" = 1 ] || return 0
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>"$T/jsonerr" ||
        fail "${1:-json}: not valid JSON ($(cat "$T/jsonerr")): $OUT"
}

# expect_py WHAT NAME CODE [ARG...]: python3 reads $OUT as JSON into NAME
# and runs CODE, whose asserts check it (ARGs in sys.argv[1:]); a failed
# check when it fails. Skipped (not failed) without python3.
expect_py() {
    [ "$HAVE_PYTHON" = 1 ] || return 0
    what=$1
    name=$2
    code=$3
    shift 3
    CHECKS=$((CHECKS + 1))
    printf '%s' "$OUT" | python3 -c "import json, sys
$name = json.load(sys.stdin)
$code" "$@" || fail "$what"
}

# hold_journal DB SECONDS (needs python3): another process opens DB with
# SQLite and keeps it open (its WAL and shared memory stay) for SECONDS or
# until killed; its pid in $holder. Returns once it holds the journal.
hold_journal() {
    rm -f "$T/holding"
    python3 -c 'import sqlite3,sys,time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM contact").fetchall()
open(sys.argv[2], "w").close(); time.sleep(float(sys.argv[3]))' "$1" "$T/holding" "$2" &
    holder=$!
    i=0
    while [ ! -e "$T/holding" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

# expect_no_raw_esc WHAT: neither stdout nor stderr of the last run holds a
# raw ESC byte (od -c shows it as 033).
expect_no_raw_esc() {
    CHECKS=$((CHECKS + 1))
    if od -An -c "$T/out" "$T/err" | grep -q '033'; then
        fail "${1:-command}: raw ESC byte in the output: $(od -An -c "$T/out" "$T/err" | grep 033 | head -3)"
    fi
}

# expect_file_mode PATH MODE WHAT: ls -ld's mode string, e.g. -rw-------.
expect_file_mode() {
    CHECKS=$((CHECKS + 1))
    m=$(ls -ld "$1" | cut -c1-10)
    [ "$m" = "$2" ] || fail "${3:-mode}: $1 is $m, expected $2"
}

# ---- TUI tests: the real binary in tmux on a private socket ----

# tui_start [ARGS...]: starts kith (with the test journal) in a new tmux
# server of its own, 80x24, TERM=xterm-256color. After kith exits, the pane
# shows "KITH-EXIT=N" and a probe of the terminal modes.
TMUX_SOCK="kith-test-$$"
tui_start() {
    command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed: skipped"; exit 77; }
    trap 'tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; cleanup' EXIT
    printf '%s\n' "$KITH" "$@" >"$T/argv"
    cat >"$T/run.sh" <<EOS
#!/bin/sh
stty -a | tr ' ;' '\n\n' | grep -E '^-?(echo|icanon|isig)\$' | tr '\n' ' ' >"$T/stty.before"
"$KITH" --db "$DB" $* 2>"$T/tui.err"
echo "KITH-EXIT=\$?"
stty -a | tr ' ;' '\n\n' | grep -E '^-?(echo|icanon|isig)\$' | tr '\n' ' ' >"$T/stty.after"
exec sleep 600
EOS
    chmod +x "$T/run.sh"
    tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 80 -y 24 \
        -e TERM=xterm-256color -e KITH_TODAY="$KITH_TODAY" -e LC_ALL=C.UTF-8 \
        -e HOME="$HOME" -e NO_COLOR= "$T/run.sh"
    tmux -L "$TMUX_SOCK" set-option -g status off >/dev/null
}

# The screen as text.
screen() { tmux -L "$TMUX_SOCK" capture-pane -p; }

# keys KEY...: sends tmux key names (Enter, Escape, Tab, C-c, j, ...).
keys() { tmux -L "$TMUX_SOCK" send-keys "$@"; }
# text STRING: types STRING literally.
text() { tmux -L "$TMUX_SOCK" send-keys -l -- "$1"; }

# screen_wait shows|gone TEXT WHAT SAID: one check that polls the screen
# until it shows TEXT (no longer shows it), up to about 20 s (slow under
# sanitizers, and on a loaded machine: 10 s was once too short for a full
# run beside other builds); a failed check "WHAT: SAID 'TEXT'" and 1 when
# it never does.
screen_wait() {
    CHECKS=$((CHECKS + 1))
    i=0
    while [ $i -lt 400 ]; do
        case "$(screen)" in *"$2"*) [ "$1" = shows ] && return 0 ;; *) [ "$1" = gone ] && return 0 ;; esac
        i=$((i + 1))
        sleep 0.05
    done
    fail "$3: $4 '$2'. Screen:
$(screen)"
    return 1
}

# wait_for TEXT [WHAT]: polls the screen until it shows TEXT; a failed
# check when it never does.
wait_for() { screen_wait shows "$1" "${2:-screen}" "never showed"; }

# wait_gone TEXT [WHAT]: polls until the screen no longer shows TEXT.
wait_gone() { screen_wait gone "$1" "${2:-screen}" "still shows"; }

# expect_screen_lacks TEXT [WHAT]: the current screen does not show TEXT.
expect_screen_lacks() {
    CHECKS=$((CHECKS + 1))
    case "$(screen)" in *"$1"*) fail "${2:-screen}: shows '$1'. Screen:
$(screen)" ;; esac
}

# list_names: the names in `kith list` output on stdin, one a line, in its
# order (the header, ids and other columns dropped).
list_names() { tail -n +2 | sed -E 's/^[0-9a-f]{8}  //; s/  .*//'; }

# expect_rows FILE FIRST SELECTED WHAT: after the position SELECTED/TOTAL
# shows, the 17 rows of the list pane are lines FIRST.. of FILE, and the
# row marked ▸ is line SELECTED.
expect_rows() {
    total=$(wc -l <"$1")
    wait_for " $3/$total " "$4: position" || return
    CHECKS=$((CHECKS + 1))
    screen | sed -n '3,19p' | sed 's/││.*//; s/^│..//; s/  .*//' >"$T/shown"
    sed -n "$2,$(($2 + 16))p" "$1" >"$T/want"
    diff "$T/want" "$T/shown" >"$T/diff" || fail "$4: rows differ from kith list:
$(cat "$T/diff")
Screen:
$(screen)"
    want=$(sed -n "$3p" "$1")
    CHECKS=$((CHECKS + 1))
    screen | grep -q "│▸ $want " || fail "$4: '$want' is not the selected row. Screen:
$(screen)"
}

# resize COLS ROWS: resizes the tmux window (kith gets SIGWINCH).
resize() { tmux -L "$TMUX_SOCK" resize-window -t 0 -x "$1" -y "$2"; }

# tui_restart [ARGS...]: after kith quit, ends its tmux server and starts
# kith again on a server of its own (a new socket: a server still exiting
# would refuse the next one).
TUI_STARTS=0
tui_restart() {
    tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
    TUI_STARTS=$((TUI_STARTS + 1))
    TMUX_SOCK="kith-test-$$-$TUI_STARTS"
    tui_start "$@"
}
