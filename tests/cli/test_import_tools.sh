#!/bin/sh
# Other address books accept kith's vCards: khard reads them from a vdir
# (one card per file) and abook converts them. Each check is skipped when
# its tool is not installed.
. "$KITH_TESTLIB"
FX="$KITH_SOURCE_DIR/tests/fixtures/vcard"

k import vcard "$FX/v30.vcf" >/dev/null || fail "import v30"
k import vcard "$FX/v40.vcf" >/dev/null || fail "import v40"
for f in apple gmail outlook21 ios_crcrlf; do
    k import vcard "$FX/quirks/$f.vcf" >/dev/null || fail "import $f"
done
k add "Zoë Ünïcode" --email zoe@example.org --note "two
lines; with, punctuation" --tag friend --birthday 1990-05-06 >/dev/null || fail "add"

if command -v khard >/dev/null 2>&1; then
    for v in 3.0 4.0; do
        vdir="$T/vdir-$v"
        mkdir -p "$vdir"
        k export vcard --version "$v" -o "$T/all-$v.vcf" || fail "export $v"
        awk -v d="$vdir" '/^BEGIN:VCARD/ { n++; f = sprintf("%s/%03d.vcf", d, n) } { print > f }' "$T/all-$v.vcf"
        khard_conf "$T/khard-$v.conf" "$vdir"
        run khard -c "$T/khard-$v.conf" list
        expect_rc 0 "khard lists the $v export"
        expect_out "Ana Ruiz"
        expect_out "Zoë Ünïcode"
        # khard names people from N, which now travels as the card had it
        # (Chen;Wei: family name Chen).
        expect_out "Wei Chen"
        run khard -c "$T/khard-$v.conf" email
        expect_rc 0 "khard email, $v"
        expect_out "ana.ruiz@home.example"
        expect_out "zoe@example.org"
        run khard -c "$T/khard-$v.conf" birthdays
        expect_rc 0 "khard birthdays, $v"
        expect_out "05/06/90"
        expect_out "03-15"
        run khard -c "$T/khard-$v.conf" show "Zoë Ünïcode"
        expect_rc 0 "khard show, $v"
        expect_out "lines; with, punctuation"
        # What an import kept travels: nicknames, labels (a custom one
        # too), dated events, N's parts.
        run khard -c "$T/khard-$v.conf" show "Jo Lee"
        expect_rc 0 "khard show Jo Lee, $v"
        expect_out "Nickname: Jojo"
        expect_out "side project"
        expect_out "Anniversary: 09/01/12"
        run khard -c "$T/khard-$v.conf" show "Robin Q. Hale"
        expect_rc 0 "khard show Robin, $v"
        expect_out "home, fax: +1 (650) 555-0121"
    done
else
    echo "skip: khard is not installed"
fi

if command -v abook >/dev/null 2>&1; then
    for v in 3.0 4.0; do
        k export vcard --version "$v" -o "$T/ab-$v.vcf" || fail "export $v"
        run abook --convert --informat vcard --infile "$T/ab-$v.vcf" --outformat csv
        expect_rc 0 "abook converts the $v export"
        expect_out '"Ana Ruiz","ana@acme.example,ana.ruiz@home.example"'
        expect_out '"Zoë Ünïcode","zoe@example.org"'
        expect_out '"Ben Okafor","ben@globex.example"'
        expect_out '"Jo Lee","jo@lee.example"'
        expect_out '"Gil Grissom","gil@lvpd.example"'
    done
else
    echo "skip: abook is not installed"
fi

finish
