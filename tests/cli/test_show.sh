#!/bin/sh
# kith show, and how every command resolves CONTACT: an exact name in any
# case (accents and other scripts too), a unique fragment, an id prefix;
# an ambiguous fragment is a usage error listing the candidates.
. "$KITH_TESTLIB"

run k add Ana Ruiz --company Acme --title "VP Engineering" --tag mentor --tag alumni \
    --email ana@acme.example --phone "+1 555 0100" --link https://ana.example \
    --link https://social.example/ana --location Madrid --birthday 04-12 --met-on 2024-03-10 \
    --how-met "SMG conference" --working-on "hiring two SREs" --note "likes green tea"
ANA_ID=$(printf '%s' "$OUT" | sed -E 's/.*  ([0-9a-f]+)$/\1/')
run k add Ana
run k add Anabel Ortiz
run k add José Álvarez --company Initech
run k add Émilie Dupont
run k add 王小明
run k add Ümit Öz --company Ölçer
run k log "ana ruiz" --kind coffee --gave --on 2026-11-10 --summary "careers chat"
run k log "ana ruiz" --kind intro --asked --on 2026-11-01 --summary "intro to Dana"
run k log "ana ruiz" josé --kind event --mutual --on 2026-10-01
expect_rc 0 "fixture"

run k show --help
expect_rc 0 "show --help"
expect_out "usage: kith show CONTACT"

golden show_full k show "Ana Ruiz"
golden show_bare k show Ana
golden show_accented k show "josé álvarez"

run k show "Ana Ruiz" --json
expect_rc 0 "show --json"
expect_json_valid "show --json"
expect_json "\"id\":\"$ANA_ID"
expect_json '"name":"Ana Ruiz","company":"Acme","title":"VP Engineering","tags":["alumni","mentor"],"emails":["ana@acme.example"],"phones":["+1 555 0100"],"links":["https://ana.example","https://social.example/ana"],"location":"Madrid","how_met":"SMG conference","met_on":"2024-03-10","birthday":"04-12","note":"likes green tea","working_on":"hiring two SREs","archived":false,"goodwill":-2,"gave":1,"asked":1,"mutual":1,"last_interaction":"2026-11-10",'

# resolves QUERY NAME: CONTACT QUERY resolves to NAME.
resolves() {
    run k show "$1" --json
    expect_rc 0 "resolve '$1'"
    expect_json "\"name\":\"$2\"" "resolve '$1'"
}
# An exact name wins over fragments: "Ana" is also part of "Ana Ruiz" and "Anabel".
resolves "Ana" "Ana"
resolves "ANA" "Ana"
resolves "ana ruiz" "Ana Ruiz"
resolves "ANA RUIZ" "Ana Ruiz"
# Case folding beyond ASCII.
resolves "JOSÉ ÁLVAREZ" "José Álvarez"
resolves "émilie dupont" "Émilie Dupont"
resolves "ÉMILIE DUPONT" "Émilie Dupont"
resolves "ümit öz" "Ümit Öz"
resolves "王小明" "王小明"
# A unique fragment, in any case.
resolves "ruiz" "Ana Ruiz"
resolves "abel" "Anabel Ortiz"
resolves "ÁLVAR" "José Álvarez"
resolves "uiz" "Ana Ruiz"
resolves "小明" "王小明"
resolves "öz" "Ümit Öz"
# An id prefix (4 characters or more) and the whole id.
resolves "$ANA_ID" "Ana Ruiz"
ANA_FULL=$(k show "ana ruiz" --json | sed -E 's/^\{"id":"([0-9a-f]{32})".*/\1/')
resolves "$ANA_FULL" "Ana Ruiz"
resolves "$(printf '%s' "$ANA_FULL" | cut -c1-6)" "Ana Ruiz"

# Ambiguous: exit 2 and the candidates, with their ids, on stderr.
run k show an
expect_rc 2 "ambiguous 'an'"
expect_err "'an' matches several contacts; use more of the name or an id:"
expect_err "Ana Ruiz"
expect_err "Anabel Ortiz"
expect_err "$ANA_ID  Ana Ruiz"
expect_no_out "Ana" "ambiguous 'an' prints nothing on stdout"
# The start of a word beats a fragment inside one: "é" starts Émilie and
# Élodie but is only inside José, so José is no candidate.
resolves "É" "Émilie Dupont"
run k add Élodie Martin
run k show "é"
expect_rc 2 "ambiguous 'é'"
expect_err "Émilie Dupont"
expect_err "Élodie Martin"
CHECKS=$((CHECKS + 1))
case "$ERR" in *José*) fail "José is a candidate for 'é': $ERR" ;; esac
run k rm élodie --yes
# Not found: exit 1.
run k show "Nobody Here"
expect_rc 1 "not found"
expect_err "no contact matches 'Nobody Here'"
run k show ""
expect_rc 2 "empty CONTACT"
expect_err "no contact given"

# The other commands resolve the same way.
sum=$(journal_sum)
for cmd in "edit an --title X" "rm an --yes" "log an --kind call --gave" "timeline an"; do
    # shellcheck disable=SC2086
    run k $cmd
    expect_rc 2 "ambiguous: $cmd"
    expect_err "matches several contacts" "ambiguous: $cmd"
    expect_sum "$sum" "ambiguous: $cmd"
done
for cmd in "edit zzz --title X" "rm zzz --yes" "log zzz --kind call --gave" "timeline zzz"; do
    # shellcheck disable=SC2086
    run k $cmd
    expect_rc 1 "not found: $cmd"
    expect_err "no contact matches 'zzz'" "not found: $cmd"
    expect_sum "$sum" "not found: $cmd"
done

# An archived contact still shows, marked.
run k edit anabel --archive
run k show anabel
expect_rc 0 "show archived"
expect_out "(archived)"
run k show anabel --json
expect_json '"archived":true'

# Usage errors.
sum=$(journal_sum)
run k show
expect_rc 2 "show without CONTACT"
expect_err "kith show needs a CONTACT"
expect_err "usage: kith show CONTACT [--json]"
run k show Ana Ruiz
expect_rc 2 "show with two words"
expect_err "kith show takes one CONTACT (quote names with spaces)"
run k show ana --full
expect_rc 2 "show --full"
expect_err "unknown option '--full'"
expect_sum "$sum" "show usage errors"

# Talked today: "today", not "today ago".
k add "Today Talk" >/dev/null
k log "Today Talk" --kind call --mutual >/dev/null
run k show "Today Talk"
expect_out "last talked  today" "talked today"
expect_no_out "ago" "no 'today ago'"

# Ask-readiness: where the relationship stands, before an ask.
k add Rita Ready >/dev/null
k add Sam Else >/dev/null
k log rita --kind article --gave --on 2026-10-01 >/dev/null
k log rita --kind advice --asked --on 2026-10-20 >/dev/null
k log rita --kind resume-review --asked --on 2026-11-21 >/dev/null
k refer --by rita --to sam --on 2026-09-01 >/dev/null
k outcome "$(k referrals --json | sed -n 's/.*"id":"\([0-9a-f]\{32\}\)".*/\1/p' | head -1)" \
    --status hired >/dev/null
run k show rita
expect_out "ask-ready    last gave 2026-10-01 (52 days ago) · last asked yesterday · 2 asks since your last give · referred you 1 time (1 with an offer, hired or won) · talked 1 day ago"
run k show sam
expect_out "ask-ready    never gave · never asked · never talked"

finish
