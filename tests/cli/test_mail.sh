#!/bin/sh
# Mail: kith log --from-mail (mutt's pipe-message), kith capture maildir,
# kith query (mutt/neomutt/aerc address completion), the me: addresses of
# the config and kith complete. Messages from tests/fixtures/mail.
. "$KITH_TESTLIB"
export TZ=Europe/Paris
M="$KITH_SOURCE_DIR/tests/fixtures/mail"
CFG="$T/config.yaml"
printf 'me: [ME@home.example, renee@work.example]\n' >"$CFG"
km() { "$KITH" --db "$DB" --config "$CFG" "$@"; }

run k add "Ana Ruiz" --company Acme --email ana@acme.example
run k add "Ben Okafor" --email ben@okafor.example --email ben.o@second.example
run k add "Chen Wei" --company "Wei & Sons" --email chen@wei.example
expect_rc 0 "fixture"

# One message on standard input: the contacts among its addresses, its day
# in local time, the decoded subject, mutual when it is not from me.
runfile "$M/encoded-names.eml" km log --from-mail
expect_rc 0 "log --from-mail"
expect_out "logged email (mutual) on 2026-11-10 with Ana Ruiz"
expect_out "not a contact: 王小明 <xiaoming@wang.example>"
expect_no_out "me@home.example" "my own address is neither contact nor unknown"
run k timeline --json
expect_json '"date":"2026-11-10","kind":"email","direction":"mutual"'
expect_json '"summary":"Café next week? ☕ and the intro"'

# The same message again: logged once.
sum=$(journal_sum)
runfile "$M/encoded-names.eml" km log --from-mail
expect_rc 0 "the same message twice"
expect_out "already logged: this message is interaction"
expect_sum "$sum" "the same message twice"

# From me (ME@ in capitals in the config, me@ in the message) to several
# people, Cc and Bcc: gave, one interaction with every contact.
golden mail_from_me_many sh -c '"$0" --db "$1" --config "$2" log --from-mail <"$3"' \
    "$KITH" "$DB" "$CFG" "$M/multi-rcpt.eml"
run k timeline ben --json
expect_json '"date":"2026-11-02","kind":"email","direction":"gave"'
expect_json '"summary":"Introductions all round"'

# A direction given wins over the one from the sender.
runfile "$M/to-me.eml" km log --from-mail --asked
expect_out "logged email (asked) on 2026-11-18 with Ana Ruiz"

# No contact among the addresses: exit 1, nothing written, the addresses
# listed with the way to add them.
sum=$(journal_sum)
runfile "$M/crlf.eml" km log --from-mail
expect_rc 1 "no contact"
expect_err "none of the message's addresses is a contact's: Dana Lee <dana@globex.example>"
expect_err "(--add-unknown adds them)"
expect_sum "$sum" "no contact"

# --dry-run says what --add-unknown would do, and does nothing.
runfile "$M/crlf.eml" km log --from-mail --add-unknown --dry-run
expect_rc 0 "--dry-run"
expect_out "would add Dana Lee (dana@globex.example)"
expect_out "would log email (mutual) on 2026-11-16 with Dana Lee"
expect_sum "$sum" "--dry-run"
runfile "$M/crlf.eml" km log --from-mail --add-unknown
expect_out "added Dana Lee (dana@globex.example)"
run k show dana --json
expect_json '"emails":["dana@globex.example"]'

# A mailing-list message: its author only, never the list.
runfile "$M/list.eml" km log --from-mail --add-unknown
expect_out "logged email (mutual) on 2026-11-12 with Ben Okafor"
expect_no_out "c-hackers"

# Missing Date: today.
runfile "$M/no-date.eml" km log --from-mail
expect_out "logged email (mutual) on 2026-11-22 with Ben Okafor"

# Without me: in the config, a hint (the message still logs, as mutual).
runfile "$M/from-me.eml" k log --from-mail --dry-run
expect_err "the config has no me: addresses"
expect_out "would log email (mutual)"

# Usage errors, each with exit 2 and the journal unchanged.
sum=$(journal_sum)
runfile "$M/to-me.eml" km log ana --from-mail
expect_rc 2 "--from-mail with a contact"
expect_err "--from-mail takes its contacts, kind, date and summary from the message"
runfile "$M/to-me.eml" km log --from-mail --gave --mutual
expect_rc 2 "two directions"
run km log ana --kind call --gave --dry-run
expect_rc 2 "--dry-run without --from-mail"
expect_err "--add-unknown and --dry-run go with --from-mail"
runin "Subject: nothing else

body" km log --from-mail
expect_rc 2 "not a message"
expect_err "not a mail message (no From, To or Cc address)"
expect_sum "$sum" "usage errors"

# me: must hold addresses.
printf 'me: [not-an-address]\n' >"$T/bad.yaml"
run "$KITH" config check "$T/bad.yaml"
expect_rc 2 "bad me:"
expect_err "bad.yaml:1:6: 'not-an-address' in me is not an email address"

# kith query: mutt's format; names, emails and companies; case and accents aside.
golden mail_query k query ben
run k query WEI
expect_out "$(printf 'chen@wei.example\tChen Wei\tWei & Sons')"
run k query acme
expect_out "$(printf 'ana@acme.example\tAna Ruiz\tAcme')"
run k query second.example
expect_out "$(printf 'ben.o@second.example\tBen Okafor\t')"
expect_no_out "ben@okafor.example" "each address matches by itself"
run k query --no-header zzz
expect_rc 0 "no match"
expect_out_empty "--no-header with no match prints nothing"
run k query nobody-here
expect_out "kith: 0 addresses matching 'nobody-here'"
run k query
expect_rc 2 "query without TEXT"

# kith capture maildir: a tree with a Maildir++ subfolder, a notmuch index,
# a message twice, tmp/ and dot-files; one transaction, then a summary.
MD="$T/Mail"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp" "$MD/.Sent/cur" "$MD/.Sent/new" "$MD/.Lists/cur" \
    "$MD/.notmuch/xapian"
cp "$M/from-me.eml" "$MD/.Sent/cur/1700000001.1.host:2,S"
cp "$M/group.eml" "$MD/.Sent/cur/1700000004.4.host:2,S"
cp "$M/to-me.eml" "$MD/cur/1700000002.2.host:2,S"
cp "$M/to-me.eml" "$MD/new/1700000005.5.host"
cp "$M/no-message-id.eml" "$MD/cur/1600000000.0.host:2,S"
cp "$M/list.eml" "$MD/.Lists/cur/1700000006.6.host:2,S"
cp "$M/auto.eml" "$MD/cur/1700000007.7.host:2,S"
cp "$M/group.eml" "$MD/tmp/1700000009.9.host"
cp "$M/group.eml" "$MD/cur/.uidvalidity"
cp "$M/group.eml" "$MD/.notmuch/xapian/record.DB"
printf '\001\002 not mail' >"$MD/new/1700000008.8.host"

D2="$T/capture.db"
"$KITH" --db "$D2" add "Ana Ruiz" --email ana@acme.example >/dev/null
"$KITH" --db "$D2" add "Chen Wei" --email chen@wei.example >/dev/null
"$KITH" --db "$D2" add "Ben Okafor" --email ben@okafor.example >/dev/null
DB=$D2
sum=$(journal_sum)
bad="kith: the first unreadable one: $MD/new/1700000008.8.host: not a mail message (no header)"
run km capture maildir "$MD" --dry-run
expect_rc 0 "capture --dry-run"
CHECKS=$((CHECKS + 1))
[ "$OUT" = "would log 4 interactions with 2 contacts, skip 1 known, 2 from mailing lists, 1 unreadable (8 messages); nothing was written" ] ||
    fail "capture --dry-run summary: $OUT"
expect_err "$bad"
expect_sum "$sum" "capture --dry-run"
run km capture maildir "$MD"
expect_rc 0 "capture"
CHECKS=$((CHECKS + 1))
[ "$OUT" = "logged 4 interactions with 2 contacts, skipped 1 known, 2 from mailing lists, 1 unreadable (8 messages)" ] ||
    fail "capture summary: $OUT"
expect_err "$bad"
run k timeline
expect_out "Thank you all"
expect_no_out "Release 2.0" "a mailing-list message is skipped"
expect_no_out "Reminder: coffee" "automatic mail is skipped"
run km capture maildir "$MD"
expect_out "logged 0 interactions with 0 contacts, skipped 5 known"
run km capture maildir "$MD/.Sent" --since 2026-11-15
expect_out "skipped 1 known, 1 before 2026-11-15 (2 messages)"
run km capture maildir "$MD/.Sent/cur" --dry-run
expect_out "skip 2 known (2 messages)" "a cur/ folder by itself"
run km capture maildir "$T/home"
expect_rc 2 "not a Maildir"
expect_err "is not a Maildir: it has no cur/ or new/ folder"
run km capture maildir "$T/nowhere"
expect_rc 2 "no such folder"
expect_err "cannot read $T/nowhere"
run km capture mbox "$MD"
expect_rc 2 "capture mbox"

# kith complete: words for the shell completions.
run k complete commands
expect_out "capture"
expect_out "query"
run k complete contacts "ana r"
expect_out "Ana Ruiz"
run k complete contacts b
expect_out "Ben Okafor"
expect_no_out "Ana"
run k complete kinds
expect_out "coffee"
run k complete replicas
expect_rc 0 "complete replicas, sync off"
expect_out_empty
run "$KITH" --db "$T/none.db" complete contacts a
CHECKS=$((CHECKS + 1))
[ ! -e "$T/none.db" ] || fail "complete created a journal"
# GMime (and GLib) are loaded by the commands that read mail and by no
# other: kith query starts on every key of a completion. glibc's loader
# names each library it loads under LD_DEBUG=libs.
for cmd in "--version" "query ana" "list" "complete contacts a"; do
    # shellcheck disable=SC2086 # the words of cmd are the arguments
    LD_DEBUG=libs "$KITH" --db "$DB" $cmd >/dev/null 2>"$T/libs" </dev/null
    CHECKS=$((CHECKS + 1))
    ! grep -q "libgmime" "$T/libs" || fail "kith $cmd loads GMime"
done
LD_DEBUG=libs km log --from-mail --dry-run <"$M/encoded-names.eml" >/dev/null 2>"$T/libs"
CHECKS=$((CHECKS + 1))
grep -q "libgmime" "$T/libs" || fail "log --from-mail does not load GMime"
LD_DEBUG=libs km capture maildir "$MD" --dry-run >/dev/null 2>"$T/libs"
CHECKS=$((CHECKS + 1))
grep -q "libgmime" "$T/libs" || fail "capture maildir does not load GMime"
finish
