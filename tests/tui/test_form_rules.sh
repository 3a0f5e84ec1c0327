#!/bin/sh
# Forms that behave: typing into a pre-filled field edits it; an error marks
# its field; a kind sets the direction the config gives it, and any new
# kind word is taken; an interaction with several contacts; a thank-you
# dated before its referral is refused; "grew out of" is a pick list; a
# name already in the journal is said and offered.
. "$KITH_TESTLIB"

k add "Ana Ruiz" --company Acme >/dev/null || fail "add Ana"
k add "Ben Okafor" >/dev/null || fail "add Ben"
k refer --by ana --to ben --on 2026-10-01 >/dev/null || fail "refer"
tui_start
wait_for "▸ Ana Ruiz" "started"

# Pre-filled: the cursor is at the end, the first key does not erase it.
keys e
wait_for "Company Acme" "edit form"
keys Tab
text " Ltd"
keys Enter
wait_for "saved Ana Ruiz" "saved"
run k show --json ana
expect_json '"company":"Acme Ltd"' "typed after the pre-filled company"

# The thank form: a future date marks the Date field, not the form.
keys t
wait_for "Thank Ana Ruiz" "thank form"
keys Tab Tab C-u
text "2099-01-01"
keys Enter
wait_for "! Date 2099-01-01" "the date is marked"
wait_for "is in the future" "and explained"
expect_screen_lacks "! Form" "the form pick list is not marked"
# Dated before the referral it is for: refused, at the date.
keys C-u
text "2026-09-01"
keys Enter
wait_for "is before the referral it is for" "a thank-you before its referral"
wait_for "! Date 2026-09-01" "the date marked again"
keys C-u
text "2026-10-02"
keys Enter
wait_for "thanked by email" "thanked after the referral"

# The outcome form marks its date too.
keys 2
wait_for "Referrals 1" "referrals view"
keys o
wait_for "Referral outcome" "outcome form"
keys Tab C-u
text "2026-01-01"
keys Enter
wait_for "! Date 2026-01-01" "the outcome's date is marked"
wait_for "is before the referral" "and explained"
keys Escape
wait_for "Discard changes?" "asks"
keys y
keys 1
wait_for "▸ Ana Ruiz" "back to contacts"

# Log: picking advice sets asked; a second contact; any kind word.
keys l
wait_for "Log an interaction" "log form"
wait_for "With Ana Ruiz" "the selected contact"
text ", Ben Okafor"
keys Tab
wait_for "Direction mutual" "coffee is mutual"
keys Left Left Left Left Left Left
wait_for "Kind advice" "advice picked"
wait_for "Direction asked" "advice sets asked"
keys Enter
wait_for "logged advice (asked) with 2 contacts" "logged with two"
run k timeline ben
expect_out "advice" "Ben's timeline has it"
keys l
wait_for "Log an interaction" "log form again"
keys Tab C-u
text "podcast"
keys Tab Left
wait_for "Direction asked" "the direction still chosen by hand"
keys Enter
wait_for "logged podcast (asked)" "a new kind word"

# A referral grows out of one picked from a list, never an id.
keys j
wait_for "▸ Ben Okafor" "Ben selected"
keys r
wait_for "Record a referral" "referral form"
keys Tab
text "a job at Globex"
keys Tab
keys C-u
text "job"
keys Tab Tab Right
wait_for "Grew out of 1. 2026-10-01 Ana Ruiz → Ben Okafor (intro)" "the referral that introduced Ben"
keys Enter
wait_for "referral saved" "saved"
run k referrals --json
parent=$(printf '%s' "$OUT" | tr '}' '\n' | grep '"target":"Ben Okafor"' | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
expect_json "\"target\":\"a job at Globex\",\"target_id\":null,\"kind\":\"job\",\"date\":\"2026-11-22\",\"outcome\":\"pending\",\"thanked\":false,\"thanked_on\":null,\"thanked_form\":null,\"parent\":\"$parent\"" "the parent is the intro"

# A name already there: said, and offered.
keys a
wait_for "Add a contact" "add form"
text "ana ruiz"
keys Enter
wait_for "Already in the journal" "the name is known"
wait_for "Ana Ruiz · Acme Ltd" "which one"
keys o
wait_for "nothing added: showing the ana ruiz already there" "opened the existing one"
wait_for "▸ Ana Ruiz" "selected"
run k list
expect_lines "$OUT" 1 'Ana Ruiz' "a second Ana was added: $OUT"
keys a
wait_for "Add a contact" "add form again"
text "Ana Ruiz"
keys Enter
wait_for "Already in the journal" "asks again"
keys a
wait_for "saved Ana Ruiz" "a second Ana Ruiz, as asked"
run k list
expect_lines "$OUT" 2 'Ana Ruiz' "no second Ana: $OUT"

keys q
wait_for "KITH-EXIT=0" "q quits"
finish
