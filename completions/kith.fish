# fish completion for kith: commands, their options (read from
# 'kith COMMAND --help'; sync's as 'kith sync --help' gives each of its
# forms), subcommand words, interaction kinds, the replicas 'kith sync
# forget' takes and the names of the contacts in the journal.

function __kith_cmd
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]
        switch $words[1]
            case --db --config --theme
                set -e words[1..2]
            case '-*'
                set -e words[1]
            case '*'
                echo $words[1]
                return 0
        end
    end
    return 1
end

# The words after the command, options left out (what sync's form is).
function __kith_args
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmd 0
    while set -q words[1]
        switch $words[1]
            case --db --config --theme
                test $cmd = 0; and set -e words[1]
            case '-*'
            case '*'
                test $cmd = 1; and echo $words[1]
                set cmd 1
        end
        set -e words[1]
    end
end

# 1 when the command is sync and its form (the first word after it) is $argv[1]
# ("" for none yet).
function __kith_sync_form
    set -l cmd (__kith_cmd)
    test "$cmd" = sync; or return 1
    set -l args (__kith_args)
    test "$args[1]" = "$argv[1]"
end

function __kith_globals
    set -l words (commandline -opc)
    for i in (seq (count $words))
        if contains -- $words[$i] --db --config
            set -l j (math $i + 1)
            set -q words[$j]; and printf '%s\n' $words[$i] $words[$j]
        end
    end
end

function __kith_options
    set -l cmd (__kith_cmd); or return
    if test $cmd = sync
        set -l args (__kith_args)
        switch "$args[1]"
            case status
                printf '%s\n' --all --json
            case forget
                printf '%s\n' --git --no-git --json
            case '*'
                printf '%s\n' --git --no-git --move --json
        end
        return
    end
    kith $cmd --help 2>/dev/null | string match -ar -- '--[a-z][a-z-]*' | sort -u
end

function __kith_contacts
    kith (__kith_globals) complete contacts (commandline -ct) 2>/dev/null
end

function __kith_wants_contact
    set -l cmd (__kith_cmd); or return 1
    contains -- $cmd show edit rm log timeline thank refer referrals ledger forward
end

complete -c kith -f
complete -c kith -n 'not __kith_cmd' -l db -r -F -d 'the journal'
complete -c kith -n 'not __kith_cmd' -l config -r -F -d 'the settings'
complete -c kith -n 'not __kith_cmd' -l theme -x -a 'default light high-contrast mono'
complete -c kith -n 'not __kith_cmd' -l no-color -d 'no colors'
complete -c kith -n 'not __kith_cmd' -l version -d 'print the version'
complete -c kith -n 'not __kith_cmd' -x -a '(kith complete commands 2>/dev/null)'
complete -c kith -n '__kith_cmd' -a '(__kith_options)'
complete -c kith -n '__kith_wants_contact' -x -a '(__kith_contacts)'
complete -c kith -n '__fish_seen_subcommand_from import' -a 'vcard csv json vdir' -F
complete -c kith -n '__fish_seen_subcommand_from export' -a 'vcard csv json ics vdir' -F
complete -c kith -n '__fish_seen_subcommand_from capture' -a 'maildir' -F
complete -c kith -n '__fish_seen_subcommand_from config' -a 'check path defaults'
complete -c kith -n '__fish_seen_subcommand_from remind' -a 'done snooze'
complete -c kith -n '__fish_seen_subcommand_from challenge' -a 'start'
complete -c kith -n '__fish_seen_subcommand_from backup' -F
complete -c kith -n '__fish_seen_subcommand_from vdir' -F
complete -c kith -n '__kith_sync_form ""' -a 'status forget (__fish_complete_directories (commandline -ct))'
complete -c kith -n '__kith_sync_form forget; and test (count (__kith_args)) = 1' -x -a '(kith (__kith_globals) complete replicas 2>/dev/null)'
complete -c kith -n 'not __fish_seen_subcommand_from sync' -l kind -x -a '(kith (__kith_globals) complete kinds 2>/dev/null)'
