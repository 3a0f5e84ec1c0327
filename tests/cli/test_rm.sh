#!/bin/sh
# kith rm: needs --yes without a terminal; deletes the contact and the
# interactions only they were part of, keeps shared ones.
. "$KITH_TESTLIB"

run k add Ana Ruiz --tag mentor --email ana@acme.example
run k add Ben Okafor
run k add Anabel Ortiz
run k log "ana ruiz" --kind coffee --gave --on 2026-11-01 --summary "alone with Ana"
run k log "ana ruiz" ben --kind meeting --mutual --on 2026-11-02 --summary "Ana and Ben"
run k log ben --kind call --asked --on 2026-11-03 --summary "Ben alone"
expect_rc 0 "fixture"

run k rm --help
expect_rc 0 "rm --help"
expect_out "usage: kith rm CONTACT [--yes]"

# Without --yes and without a terminal to ask: refused, nothing deleted.
sum=$(journal_sum)
run k rm "ana ruiz"
expect_rc 2 "rm without --yes"
expect_err "not deleting without --yes (no terminal to ask)"
expect_sum "$sum" "rm without --yes"
# Usage errors and lookups.
refused_cases "2|kith rm needs a CONTACT|rm" \
    "2|kith rm needs a CONTACT|rm --yes" \
    "2|kith rm takes one CONTACT (quote names with spaces)|rm Ana Ruiz --yes" \
    "2|unknown option '--force'|rm ben --force" \
    "2|--yes takes no value|rm ben --yes=no" \
    "2|'an' matches several contacts|rm an --yes" \
    "1|no contact matches 'carla'|rm carla --yes"

golden rm_yes k rm "ana ruiz" --yes

run k list --json
expect_no_out "Ana Ruiz" "deleted contact"
expect_out "Ben Okafor" "others kept"
expect_out "Anabel Ortiz" "others kept"
run k timeline --json
expect_json_valid "timeline after rm"
expect_no_out "alone with Ana" "interaction only Ana was part of"
expect_json '"summary":"Ana and Ben"' "shared interaction kept"
expect_json '"summary":"Ben alone"'
run k timeline ben --json
expect_json '"contacts":[{"id":' "shared interaction"
expect_no_out "Ana Ruiz" "the shared interaction no longer names Ana"
run k search alone --json
expect_no_out "alone with Ana" "search index forgets the deleted interaction"
run k show "ana ruiz"
expect_rc 1 "show deleted"

# -y is --yes.
run k rm anabel -y
expect_rc 0 "rm -y"
expect_out "deleted Anabel Ortiz"

# Deleting the last contact leaves an empty, working journal.
run k rm ben --yes
expect_rc 0 "rm the last contact"
run k list --json
expect_out "[]"
run k ledger --json
expect_out "[]"
run k timeline --json
expect_out "[]"

finish
