#!/bin/sh
# Writes N vCards (default 100000) to standard output, vCard 3.0, one card
# in twenty a duplicate (by email) of an earlier one so that merging is part
# of the measure. STYLE=rich (the default) gives every card an organisation,
# title, address, note (folded), categories and often a birthday; STYLE=phone
# only a name, an email and a phone, as a phone's address book exports them.
#   [STYLE=phone] bench/import_vcard/gen.sh [N] >cards.vcf
set -eu
awk -v n="${1:-100000}" -v style="${STYLE:-rich}" 'BEGIN {
    split("Ana Ben Chen Dana Eve Fox Gil Hana Ivan Jo Kai Lea Max Nia Omar Pia", first, " ")
    split("Ruiz Okafor Wei Scully Adams Mulder Grissom Sato Petrov Lee Müller Dubois", last, " ")
    split("Acme Globex Initech Umbrella Hooli Soylent Wonka Stark", org, " ")
    split("mentor alumni investor friend speaker recruiter", tag, " ")
    for (i = 1; i <= n; i++) {
        k = (i % 20 == 0) ? int(i / 2) : i
        f = first[k % 16 + 1]; l = last[int(k / 16) % 12 + 1]
        printf "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        printf "FN:%s %s %d\r\nN:%s %d;%s;;;\r\n", f, l, k, l, k, f
        if (style == "rich")
            printf "ORG:%s\\, Inc.;Engineering\r\nTITLE:Engineer %d\r\n", org[k % 8 + 1], k % 7
        printf "EMAIL;TYPE=INTERNET:%s.%d@example.com\r\n", tolower(f), k
        if (i % 20 != 0)
            printf "TEL;TYPE=CELL:+1 555 %03d %04d\r\n", int(k / 10000) % 1000, k % 10000
        if (style != "rich") {
            printf "END:VCARD\r\n"
            continue
        }
        printf "ADR;TYPE=WORK:;;%d Main St;Springfield;;%05d;USA\r\n", k % 900 + 1, k % 99999
        if (k % 3 == 0)
            printf "BDAY:--%02d-%02d\r\n", k % 12 + 1, k % 28 + 1
        printf "NOTE:Met at conference %d. Talked about hiring\\, mentoring and a long\r\n", k % 50
        printf "  list of things that makes this line fold at seventy-five octets.\r\n"
        printf "CATEGORIES:%s,%s\r\nEND:VCARD\r\n", tag[k % 6 + 1], tag[(k + 1) % 6 + 1]
    }
}'
