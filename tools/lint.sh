#!/bin/sh
# Static analysis: cppcheck and clang-tidy over src/, with the compile
# commands of a Debug build in build-lint/. Configuration: .clang-tidy and
# tools/cppcheck.supp. Exits non-zero on any finding.
#   tools/lint.sh [JOBS]      (default: the number of processors)
set -eu
cd "$(dirname "$0")/.."
jobs=${1:-$(nproc 2>/dev/null || echo 2)}
build=build-lint
status=0

# The generated sources (the embedded config.example.yaml) must exist for
# clang-tidy to parse src/config, so the build runs, not only the configure.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKITH_TESTS=OFF >/dev/null
cmake --build "$build" -j"$jobs" >/dev/null

echo "== cppcheck"
mkdir -p "$build/cppcheck"
# --file-filter keeps cppcheck to src/ (not the generated files); findings
# come out one a line as file:line: severity(id): message.
cppcheck --project="$build/compile_commands.json" --file-filter="src/*" \
    --cppcheck-build-dir="$build/cppcheck" --std=c11 \
    --enable=warning,style,performance,portability --inline-suppr \
    --suppressions-list=tools/cppcheck.supp --error-exitcode=1 -j"$jobs" --quiet \
    --template='{file}:{line}: {severity}({id}): {message}' >"$build/cppcheck.log" 2>&1 ||
    status=1
# Some findings (the cross-file ones) do not set the exit code: any line is one.
if [ -s "$build/cppcheck.log" ]; then
    cat "$build/cppcheck.log"
    status=1
fi

echo "== clang-tidy"
# One process per file: run-clang-tidy exits non-zero when any file has a
# finding (.clang-tidy makes every warning an error).
files=$(find "$PWD/src" -name '*.c' | sort)
# shellcheck disable=SC2086
run-clang-tidy -p "$build" -j "$jobs" -quiet $files >"$build/clang-tidy.log" 2>&1 || {
    grep -E 'error:|warning:' "$build/clang-tidy.log" | sed "s|$PWD/||" | sort -u
    status=1
}

echo "== include floors"
# A layer includes the headers of its own floor and those below it, never
# above: the link check catches calls, this catches types.
floor() {
    case "$1" in
    util) echo "util" ;;
    config) echo "util config" ;;
    store) echo "util store" ;;
    core) echo "util config store core" ;;
    cli) echo "util config store core cli" ;;
    tui) echo "util config store core tui" ;;
    esac
}
for layer in util config store core cli tui; do
    allowed=$(floor "$layer")
    grep -HnoE '#include "kith/[a-z]+/' src/"$layer"/*.c src/"$layer"/*.h include/kith/"$layer"/*.h \
        2>/dev/null | while IFS= read -r hit; do
        to=$(echo "$hit" | sed -E 's|.*"kith/([a-z]+)/$|\1|')
        case " $allowed " in *" $to "*) continue ;; esac
        echo "${hit%%#include*} $layer includes a header of $to, above its floor"
    done
done >"$build/floors.log"
if [ -s "$build/floors.log" ]; then
    cat "$build/floors.log"
    status=1
fi

[ "$status" = 0 ] && echo "lint: clean"
exit "$status"
