#!/bin/sh
# Installs the Debian packages kith needs and the machine lacks, and nothing
# else: each package is checked with dpkg first, and apt-get runs only when
# one is missing (through sudo when not root, never asking questions).
#
#   sh tools/deps.sh [build|test|ci]
#
#   build  what building kith needs (the default): a C compiler, CMake,
#          pkg-config, ncurses, SQLite, libyaml, libunistring and GMime
#   test   build, plus what the tests need: cmocka, tmux, python3, khard
#          and abook
#   ci     test, plus what .ci/run needs: clang and its fuzzer runtime,
#          clang-tidy, cppcheck, valgrind, man and dpkg tools for the
#          install checks, zsh and fish (their completions are tested),
#          radicale and vdirsyncer
#
# On a system without dpkg it lists the packages and leaves the rest to you.
set -eu

build="build-essential cmake pkg-config libncurses-dev libsqlite3-dev libyaml-dev libunistring-dev libgmime-3.0-dev"
test="$build libcmocka-dev tmux python3 util-linux khard abook"
ci="$test clang libclang-rt-14-dev clang-tidy cppcheck valgrind man-db dpkg-dev file radicale vdirsyncer zsh fish"

case ${1:-build} in
build) want=$build ;;
test) want=$test ;;
ci) want=$ci ;;
*)
    echo "usage: sh tools/deps.sh [build|test|ci]" >&2
    exit 2
    ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: no dpkg here; install the equivalents of: $want" >&2
    exit 0
fi

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -n "$missing" ] || exit 0

echo "deps.sh: installing$missing" >&2
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "deps.sh: not root and no sudo: install$missing yourself" >&2
    exit 1
fi
# sudo resets the environment, so the setting goes on apt-get's command line.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
