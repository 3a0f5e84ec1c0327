#!/bin/sh
# kith capture maildir over a generated Maildir: N messages (default 10,000)
# among C contacts (default 1,000) of a journal made for the run, a tenth
# of them mailing-list mail, a fifth from or to nobody the journal knows,
# half sent by the user. Times the first capture (everything new) and a
# second one (everything known), each the median of RUNS runs on a fresh
# copy of the journal, and prints the summary line of one run.
#
#   sh bench/mail.sh [MESSAGES [CONTACTS [RUNS]]]     (default 10000 1000 3)
#
# Uses build-bench/kith (bench/run.sh makes it) or $KITH.
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
C=${2:-1000}
RUNS=${3:-3}
KITH=${KITH:-$PWD/build-bench/kith}
[ -x "$KITH" ] || {
    echo "mail.sh: $KITH missing: sh bench/run.sh, or KITH=path/to/kith" >&2
    exit 2
}
T=$(mktemp -d "${TMPDIR:-/tmp}/kith-mail.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
export HOME="$T" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" KITH_TODAY=2026-11-22
unset KITH_DB KITH_CONFIG
printf 'me: [me@home.example]\n' >"$T/config.yaml"

# The contacts, as kith's own CSV.
awk -v c="$C" 'BEGIN {
    print "name,company,title,emails"
    for (i = 1; i <= c; i++) printf "Person %d,Company %d,,person%d@company%d.example\n", i, i % 97, i, i % 97
}' >"$T/contacts.csv"
"$KITH" --db "$T/base.kith" import csv "$T/contacts.csv" >/dev/null

# The messages: one file each under cur/, named as Maildir names them.
mkdir -p "$T/Mail/cur" "$T/Mail/new" "$T/Mail/tmp"
awk -v n="$N" -v c="$C" -v dir="$T/Mail/cur" 'BEGIN {
    srand(42)
    split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
    for (i = 1; i <= n; i++) {
        f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i * 3000, i)
        p = int(rand() * c) + 1; q = int(rand() * c) + 1
        them = sprintf("Person %d <person%d@company%d.example>", p, p, p % 97)
        other = sprintf("Person %d <person%d@company%d.example>", q, q, q % 97)
        if (rand() < 0.2) them = sprintf("Stranger %d <s%d@elsewhere.example>", i, i)
        r = rand()
        if (r < 0.5) { from = "Me <me@home.example>"; to = them ", " other }
        else { from = them; to = "Me <me@home.example>" }
        printf "From: %s\nTo: %s\n", from, to > f
        if (rand() < 0.3) printf "Cc: %s\n", other > f
        if (rand() < 0.1) printf "List-Id: <list%d.lists.example>\n", i % 7 > f
        printf "Subject: =?UTF-8?Q?Re:_caf=C3=A9_n=C2=B0%d?=\n", i > f
        printf "Date: %s, %02d %s 2026 %02d:%02d:00 +0100\n", "Mon", (i % 28) + 1, mon[(i % 11) + 1], i % 24, i % 60 > f
        printf "Message-ID: <%d.bench@mail.example>\nMIME-Version: 1.0\n", i > f
        printf "Content-Type: text/plain; charset=UTF-8\n\nHello %d,\n\nSee you soon.\n", i > f
        close(f)
    }
}'

median() { sort -n | awk '{a[NR]=$1} END {printf "%.0f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
run_ms() { # JOURNAL: ms of one capture
    s=$(date +%s%N)
    "$KITH" --db "$1" --config "$T/config.yaml" capture maildir "$T/Mail" >"$T/summary" 2>/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
}
: >"$T/first"
: >"$T/again"
i=0
while [ "$i" -lt "$RUNS" ]; do
    cp "$T/base.kith" "$T/run.kith"
    run_ms "$T/run.kith" >>"$T/first"
    run_ms "$T/run.kith" >>"$T/again"
    rm -f "$T/run.kith" "$T/run.kith-wal" "$T/run.kith-shm"
    i=$((i + 1))
done
cp "$T/base.kith" "$T/run.kith"
"$KITH" --db "$T/run.kith" --config "$T/config.yaml" capture maildir "$T/Mail"
echo "messages $N, contacts $C, medians of $RUNS runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "capture, all new:   $(median <"$T/first") ms"
echo "capture, all known: $(median <"$T/again") ms"
