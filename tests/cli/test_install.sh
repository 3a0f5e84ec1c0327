#!/bin/sh
# cmake --install into a temporary prefix: the binary, the man page, the
# themes (found by name after installing, and from the build tree before),
# config.example.yaml under share/doc, and completions for bash, zsh and
# fish that offer commands, options, kinds and the journal's contact names.
. "$KITH_TESTLIB"

BUILD=$(dirname "$KITH")
P="$T/prefix"
run cmake --install "$BUILD" --prefix "$P"
expect_rc 0 "cmake --install"
for f in bin/kith share/man/man1/kith.1 share/kith/themes/light.yaml \
    share/kith/themes/high-contrast.yaml share/doc/kith/config.example.yaml \
    share/bash-completion/completions/kith share/zsh/site-functions/_kith \
    share/fish/vendor_completions.d/kith.fish; do
    CHECKS=$((CHECKS + 1))
    [ -f "$P/$f" ] || fail "installed: $f is missing"
done
CHECKS=$((CHECKS + 1))
[ -x "$P/bin/kith" ] || fail "bin/kith is not executable"

run "$P/bin/kith" --version
expect_rc 0 "installed kith --version"
expect_out "kith 0."
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 run man -l "$P/share/man/man1/kith.1"
    expect_rc 0 "man -l"
    expect_out "query_command"
fi

# A journal for the completions.
export KITH_DB="$DB"
k add "Ana Ruiz" >/dev/null
k add "Anabel Ortiz" >/dev/null
k add "Ben Okafor" >/dev/null
k add "Élodie Durand" >/dev/null
export PATH="$P/bin:$PATH"

# bash: the script registers itself, and its function answers.
bc="$P/share/bash-completion/completions/kith"
run bash -c ". '$bc' && complete -p kith"
expect_rc 0 "bash: complete -p kith"
expect_out "complete -F _kith kith"
comp() { # WORD... : what bash offers for the last word
    bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kith; printf "%s\n" "${COMPREPLY[@]}"' "$bc" "$@"
}
OUT=$(comp kith sh)
expect_out "show" "bash: commands"
OUT=$(comp kith ca)
expect_out "capture" "bash: a new command"
OUT=$(comp kith log --fr)
expect_out "--from-mail" "bash: options from --help"
OUT=$(comp kith log ana --kind cof)
expect_out "coffee" "bash: kinds"
OUT=$(comp kith show An)
expect_out 'Ana\ Ruiz' "bash: contact names, quoted"
expect_out 'Anabel\ Ortiz' "bash: every name with the prefix"
expect_no_out "Ben" "bash: only names with the prefix"
OUT=$(comp kith show el)
expect_out 'Élodie\ Durand' "bash: accents aside"
OUT=$(comp kith --db "$T/other.db" show An)
expect_no_out "Ana" "bash: --db on the command line is the journal"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/other.db" ] || fail "completion created a journal"
OUT=$(comp kith export "")
expect_out "ics" "bash: subcommand words"
# sync: each form's options as 'kith sync --help' gives them (not git's
# --autostash its text names), no folder after status, and the replicas
# forget takes (the other one in the folder, not this journal).
mkdir "$T/S"
k sync "$T/S" >/dev/null && "$KITH" --db "$T/b.db" sync "$T/S" >/dev/null || fail "two replicas"
RA=$(sync_id "$DB")
RB=$(sync_id "$T/b.db")
OUT=$(comp kith sync --)
expect_out "--no-git" "bash: sync's options"
expect_out "--move" "bash: sync's options"
expect_no_out "--autostash" "bash: sync's options are its own"
expect_no_out "--all" "bash: --all goes with status"
OUT=$(comp kith sync status --)
expect_out "--all" "bash: status's options"
expect_no_out "--git" "bash: status takes no --git"
OUT=$(comp kith sync forget --)
expect_out "--json" "bash: forget's options"
expect_out "--no-git" "bash: forget takes --git and --no-git"
expect_no_out "--move" "bash: forget takes no --move"
OUT=$(cd "$T" && comp kith sync "")
expect_out "forget" "bash: sync's forms"
expect_out "S" "bash: sync's folder"
OUT=$(cd "$T" && comp kith sync status "")
expect_out_empty "bash: status takes no argument"
OUT=$(comp kith sync forget "")
expect_out "$RB" "bash: the replicas forget takes"
expect_no_out "$RA" "bash: not this journal"

# zsh and fish, where installed: the scripts parse, and fish completes.
if command -v zsh >/dev/null 2>&1; then
    run zsh -n "$P/share/zsh/site-functions/_kith"
    expect_rc 0 "zsh -n _kith"
fi
if command -v fish >/dev/null 2>&1; then
    ff="$P/share/fish/vendor_completions.d/kith.fish"
    run fish -c "source '$ff'; complete -C 'kith sh'"
    expect_out "show" "fish: commands"
    run fish -c "source '$ff'; complete -C 'kith show An'"
    expect_out "Ana Ruiz" "fish: contact names"
    run fish -c "source '$ff'; complete -C 'kith log --fr'"
    expect_out "--from-mail" "fish: options"
    run fish -c "source '$ff'; complete -C 'kith sync status --'"
    expect_out "--all" "fish: status's options"
    expect_no_out "--git" "fish: status takes no --git"
    expect_no_out "--kind" "fish: sync takes no --kind"
    run fish -c "source '$ff'; complete -C 'kith sync --'"
    expect_out "--no-git" "fish: sync's options"
    expect_no_out "--autostash" "fish: sync's options are its own"
    run fish -c "source '$ff'; complete -C 'kith sync forget 0123 --'"
    expect_out "--no-git" "fish: forget takes --git and --no-git"
    run fish -c "source '$ff'; complete -C 'kith sync forget '"
    expect_out "$RB" "fish: the replicas forget takes"
fi

# Themes by name: the installed kith finds its own themes (no XDG dirs
# point there), and build/kith finds the build tree's before any install.
if command -v tmux >/dev/null 2>&1; then
    export XDG_DATA_DIRS="$T/none" XDG_DATA_HOME="$T/none"
    n=0
    for bin in "$P/bin/kith" "$KITH"; do
        KITH=$bin
        for theme in high-contrast no-such-theme; do
            # A tmux server of its own for each run: a new one on a socket
            # whose server is still shutting down can fail to start.
            n=$((n + 1))
            TMUX_SOCK="kith-install-$$-$n"
            tui_start --theme "$theme"
            if [ "$theme" = high-contrast ]; then
                wait_for "Ana Ruiz" "$bin: opens"
                expect_screen_lacks "using the default theme" "$bin: --theme high-contrast by name"
            else
                wait_for "no theme named" "$bin: an unknown theme is reported"
            fi
            keys q
            wait_for "KITH-EXIT=0" "$bin --theme $theme: quits"
            tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
        done
    done
fi
finish
