# bash completion for kith: commands, their options (read from
# 'kith COMMAND --help'; sync's as 'kith sync --help' gives each of its
# forms), subcommand words, interaction kinds, the replicas 'kith sync
# forget' takes and the names of the contacts in the journal the command
# line names (--db) or the default one.

_kith_words() {
    local IFS=$'\n'
    # shellcheck disable=SC2207
    COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_kith() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local kith=${COMP_WORDS[0]} cmd="" i
    local -a glob=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --db | --config)
            glob+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}")
            ((i++))
            ;;
        --theme) ((i++)) ;;
        -*) ;;
        *)
            cmd=${COMP_WORDS[i]}
            break
            ;;
        esac
    done

    case $prev in
    --db | --config | -o | --map)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --theme)
        _kith_words "default light high-contrast mono" "$cur"
        return
        ;;
    --kind)
        _kith_words "$("$kith" "${glob[@]}" complete kinds 2>/dev/null)" "$cur"
        return
        ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _kith_words "--db --config --theme --no-color --version --help" "$cur"
        else
            _kith_words "$("$kith" complete commands 2>/dev/null)" "$cur"
        fi
        return
    fi
    # sync's form: the first word after it that is not an option.
    local sub="" j
    for ((j = i + 1; j < COMP_CWORD; j++)); do
        [[ ${COMP_WORDS[j]} == -* ]] || {
            sub=${COMP_WORDS[j]}
            break
        }
    done
    if [[ $cmd == sync ]]; then
        case $sub in
        status) [[ $cur == -* ]] && _kith_words "--all --json" "$cur" ;;
        forget)
            if [[ $cur == -* ]]; then
                _kith_words "--git --no-git --json" "$cur"
            elif [[ $prev == forget ]]; then
                _kith_words "$("$kith" "${glob[@]}" complete replicas 2>/dev/null)" "$cur"
            fi
            ;;
        "")
            if [[ $cur == -* ]]; then
                _kith_words "--git --no-git --move --json" "$cur"
            else
                COMPREPLY=($(compgen -W "status forget" -- "$cur") $(compgen -d -- "$cur"))
            fi
            ;;
        *) [[ $cur == -* ]] && _kith_words "--git --no-git --move --json" "$cur" ;;
        esac
        return
    fi
    if [[ $cur == -* ]]; then
        _kith_words "$("$kith" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)" "$cur"
        return
    fi
    case $cmd in
    import) [[ $prev == import ]] && { _kith_words "vcard csv json vdir" "$cur"; return; } ;;
    export) [[ $prev == export ]] && { _kith_words "vcard csv json ics vdir" "$cur"; return; } ;;
    capture) [[ $prev == capture ]] && { _kith_words "maildir" "$cur"; return; } ;;
    config) [[ $prev == config ]] && { _kith_words "check path defaults" "$cur"; return; } ;;
    remind) [[ $prev == remind ]] && { _kith_words "done snooze" "$cur"; return; } ;;
    challenge) [[ $prev == challenge ]] && { _kith_words "start" "$cur"; return; } ;;
    complete) [[ $prev == complete ]] && { _kith_words "commands contacts kinds" "$cur"; return; } ;;
    esac
    case $cmd in
    import | export | capture | backup | config | vdir)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    show | edit | rm | log | timeline | thank | refer | referrals | ledger | forward) ;;
    *) return ;;
    esac
    # Contact names: what was typed, unquoted, is the prefix; each name goes
    # back quoted for the command line.
    local word=${cur//\\/} name
    word=${word#[\"\']}
    local IFS=$'\n'
    COMPREPLY=()
    for name in $("$kith" "${glob[@]}" complete contacts "$word" 2>/dev/null); do
        COMPREPLY+=("$(printf '%q' "$name")")
    done
}
complete -F _kith kith
