#!/bin/sh
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# and runs each for a short while, seeded from the test fixtures.
#   fuzz/run.sh [SECONDS]      (default 20 per target)
# A crash leaves its input as fuzz/crash-* and fails the script.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-20}
build=build-fuzz
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKITH_FUZZ=ON -DKITH_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target fuzz_vcard fuzz_csv >/dev/null
for target in vcard csv; do
    corpus="$build/corpus-$target"
    mkdir -p "$corpus"
    find "tests/fixtures/$target" -type f -exec cp {} "$corpus/" \;
    echo "== fuzz_$target for ${secs}s"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/fuzz/fuzz_$target" -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix=fuzz/ -print_final_stats=1 "$corpus" \
        >"$build/fuzz-$target.log" 2>&1 || {
        tail -n 40 "$build/fuzz-$target.log"
        exit 1
    }
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/fuzz-$target.log" | tail -n 2
done
