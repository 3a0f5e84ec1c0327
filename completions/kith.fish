# fish completion for kith: commands, their options (read from
# 'kith COMMAND --help'), subcommand words, interaction kinds and the names
# of the contacts in the journal.

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
complete -c kith -n '__fish_seen_subcommand_from sync' -a 'status forget' -F
complete -c kith -l kind -x -a '(kith (__kith_globals) complete kinds 2>/dev/null)'
