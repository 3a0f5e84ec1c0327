#!/bin/sh
# Crash safety: kith writers (add, log, tick, thank) in two parallel loops,
# killed with SIGKILL at random moments (KITH_CRASH_KILLS, 200 by default),
# plus first writes to a new journal killed while it is created. Afterwards
# PRAGMA integrity_check is ok, every write whose command exited 0 is there,
# and every write that is there is whole (one transaction each).
. "$KITH_TESTLIB"

[ "$HAVE_PYTHON" = 1 ] || { echo "python3 is not installed: skipped"; exit 77; }
python3 -c 'import sqlite3' 2>/dev/null || { echo "python3 has no sqlite3 module: skipped"; exit 77; }

python3 "$KITH_SOURCE_DIR/tests/faults/crash.py" "$KITH" "$DB" "$T" >"$T/crash.log" 2>&1
cat "$T/crash.log"
summary=$(sed -n 's/^checks \([0-9]*\) failed \([0-9]*\)$/\1 \2/p' "$T/crash.log")
if [ -z "$summary" ]; then
    fail "the crash driver did not finish"
else
    set -- $summary
    CHECKS=$((CHECKS + $1))
    FAILS=$((FAILS + $2))
fi
finish
