#!/bin/sh
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# and runs each for a short while, seeded from the tests.
#   fuzz/run.sh [SECONDS [TARGET...]]   (default 20 s each, every target)
# Targets run side by side, one per processor (FUZZ_JOBS sets how many): each
# is a single process, and CI's two cores would otherwise idle half the time.
# TARGET is vcard, csv, import, config, theme, date, cli, text, mail, wal or json. A crash, leak or hang
# leaves its input as fuzz/crash-* (leak-*, timeout-*) and fails the script;
# the corpus grows in build-fuzz/corpus-TARGET from one run to the next.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-20}
[ $# -gt 0 ] && shift
targets=${*:-vcard csv import config theme date cli text mail wal json}
build=build-fuzz
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKITH_FUZZ=ON -DKITH_TESTS=OFF >/dev/null
# shellcheck disable=SC2046
cmake --build "$build" -j2 --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done) >/dev/null

# Seeds: the fixtures the unit and CLI tests read, and for the parsers of
# single words and JSON documents the lists in fuzz/seeds (one input a
# line, with octal escapes for bytes in text.txt; for cli, one command
# line a line, its words split at spaces).
seed()
{
    corpus=$1
    case $2 in
    vcard | csv | mail) find "tests/fixtures/$2" -type f -exec cp {} "$corpus/" \; ;;
    import)
        # The first byte picks the format (odd: CSV), --strict (2), dmy (4).
        for f in $(find tests/fixtures/vcard tests/fixtures/csv -type f); do
            case $f in *csv*) b='\001' ;; *) b='\000' ;; esac
            { printf "$b"; cat "$f"; } >"$corpus/$(echo "$f" | tr / _)"
        done
        ;;
    config)
        cp tests/fixtures/config/*.yaml "$corpus/"
        cp config.example.yaml "$corpus/example.yaml"
        ;;
    theme) cp themes/*.yaml "$corpus/" ;;
    date | cli | text | json)
        n=0
        while IFS= read -r line; do
            n=$((n + 1))
            if [ "$2" = cli ]; then
                printf '%s' "$line" | tr ' ' '\n' >"$corpus/seed-$n"
            elif [ "$2" = text ]; then
                # Octal escapes (\342\200\213) stand for bytes.
                # shellcheck disable=SC2059
                printf "$(printf '%s' "$line" | sed 's/%/%%/g')" >"$corpus/seed-$n"
            else
                printf '%s' "$line" >"$corpus/seed-$n"
            fi
        done <"fuzz/seeds/$2.txt"
        ;;
    esac
}

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
# one TARGET: runs it; its exit status in build-fuzz/fuzz-TARGET.rc.
one()
{
    # The command line prints usage errors: -close_fd_mask keeps them out of
    # the log while libFuzzer's own report still gets through.
    rc=0
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/fuzz/fuzz_$1" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -close_fd_mask=3 -artifact_prefix=fuzz/ -print_final_stats=1 \
        "$build/corpus-$1" >"$build/fuzz-$1.log" 2>&1 || rc=$?
    echo "$rc" >"$build/fuzz-$1.rc"
}

for target in $targets; do
    corpus="$build/corpus-$target"
    mkdir -p "$corpus"
    seed "$corpus" "$target"
    rm -f "$build/fuzz-$target.rc"
    echo "== fuzz_$target for ${secs}s"
    one "$target" &
    # jobs in a command substitution runs in a subshell that has none: the
    # list goes through a file; a plain 'jobs' first forgets finished ones.
    while jobs >/dev/null && jobs -p >"$build/fuzz-jobs" &&
        [ "$(wc -l <"$build/fuzz-jobs")" -ge "$jobs" ]; do sleep 0.2; done
done
wait
status=0
for target in $targets; do
    if [ "$(cat "$build/fuzz-$target.rc" 2>/dev/null || echo 1)" != 0 ]; then
        echo "== fuzz_$target failed:"
        tail -n 40 "$build/fuzz-$target.log"
        status=1
        continue
    fi
    printf 'fuzz_%s: ' "$target"
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/fuzz-$target.log" | tail -n 2 |
        tr '\n' ' '
    echo
done
exit "$status"
