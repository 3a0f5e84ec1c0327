#!/bin/sh
# The real thing: kith's vdir folders synced by vdirsyncer with a Radicale
# server on 127.0.0.1 (throwaway storage), as a user syncs with a phone.
#   journal A -> book1 -> vdirsyncer -> Radicale -> vdirsyncer -> book2 ->
#   journal B; an edit in B goes the same way back to A as an update, not a
#   duplicate; a reminder goes out as a to-do and, completed on the other
#   side, comes back done.
. "$KITH_TESTLIB"

for tool in radicale vdirsyncer python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "skip: $tool is not installed (sh tools/deps.sh ci installs radicale and vdirsyncer)"
        exit 77
    fi
done

RPID=""
stop() {
    [ -z "$RPID" ] || kill "$RPID" 2>/dev/null
    [ -z "$RPID" ] || wait "$RPID" 2>/dev/null
    cleanup
}
trap stop EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
radicale --server-hosts "127.0.0.1:$PORT" --storage-filesystem-folder "$T/storage" \
    --auth-type none --logging-level warning >"$T/radicale.log" 2>&1 &
RPID=$!

# Waits (at most 20 s) for the server, then makes an address book and a
# calendar for user kith, as a phone's account would have.
python3 - "$PORT" <<'EOF' || { cat "$T/radicale.log" >&2; fail "Radicale did not start"; finish; }
import base64, socket, sys, time, urllib.request
port = sys.argv[1]
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
def req(method, path, body):
    r = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), data=body.encode(),
                               method=method, headers={"Content-Type": "application/xml"})
    r.add_header("Authorization", "Basic " + base64.b64encode(b"kith:x").decode())
    urllib.request.urlopen(r, timeout=10).close()
req("MKCOL", "/kith/contacts/",
    '<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
    '<set><prop><resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>')
req("MKCALENDAR", "/kith/calendar/",
    '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    '<D:set><D:prop><C:supported-calendar-component-set><C:comp name="VEVENT"/>'
    '<C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set>'
    '</C:mkcalendar>')
EOF

# The configuration the README documents, one pair per folder.
mkdir -p "$T/book1" "$T/book2" "$T/cal1" "$T/cal2"
{
    printf '[general]\nstatus_path = "%s/status/"\n\n' "$T"
    for n in 1 2; do
        printf '[pair book%s]\na = "book%s_local"\nb = "contacts_remote"\ncollections = null\n\n' "$n" "$n"
        printf '[storage book%s_local]\ntype = "filesystem"\npath = "%s/book%s/"\nfileext = ".vcf"\n\n' "$n" "$T" "$n"
        printf '[pair cal%s]\na = "cal%s_local"\nb = "calendar_remote"\ncollections = null\n\n' "$n" "$n"
        printf '[storage cal%s_local]\ntype = "filesystem"\npath = "%s/cal%s/"\nfileext = ".ics"\n\n' "$n" "$T" "$n"
    done
    printf '[storage contacts_remote]\ntype = "carddav"\nurl = "http://127.0.0.1:%s/kith/contacts/"\nusername = "kith"\npassword = "x"\n\n' "$PORT"
    printf '[storage calendar_remote]\ntype = "caldav"\nurl = "http://127.0.0.1:%s/kith/calendar/"\nusername = "kith"\npassword = "x"\n' "$PORT"
} >"$T/vdirsyncer.conf"
vs() { timeout 120 vdirsyncer -c "$T/vdirsyncer.conf" "$@" </dev/null >>"$T/vs.log" 2>&1 || fail "vdirsyncer $*: $(tail -n 5 "$T/vs.log")"; }
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }

ka add "Ana Ruiz" --company Acme --email ana@acme.example --note "line one
line, two; three" >/dev/null || fail "add Ana"
ka add "Ben Okafor" --phone "+1 555 0101" --tag mentor >/dev/null || fail "add Ben"
ka refer --by "Ben Okafor" --to-text "a job at Globex" --on 2026-11-01 >/dev/null || fail "refer"

vs discover
run ka vdir "$T/book1"
expect_out "export: wrote 2"
vs sync book1
vs sync book2
[ "$(ls "$T/book2" | wc -l)" = 2 ] || fail "the cards reached the second folder: $(ls "$T/book2")"
run kb import vdir "$T/book2"
expect_rc 0 "import the second folder into journal B"
expect_out "added 2"
run kb show "Ana Ruiz"
expect_out "Acme"
expect_out "ana@acme.example"
expect_out "line, two; three"
run kb list --tag mentor
expect_out "Ben Okafor"

# An edit on the other side (journal B, through its folder and the
# server) comes back to A as an update of the same contact.
kb edit "Ana Ruiz" --company Globex --tag friend >/dev/null || fail "edit in B"
run kb vdir "$T/book2"
expect_out "export: wrote 1"
vs sync book2
vs sync book1
run ka vdir "$T/book1"
expect_rc 0 "vdir in A"
expect_out "import: added 0, updated 1, archived 0"
run ka list --all
expect_out "Globex"
n=$(ka list --all --json | grep -o '"name":"Ana Ruiz"' | wc -l)
[ "$n" = 1 ] || fail "Ana came back as $n contacts, not one"
run ka show "Ana Ruiz"
expect_out "friend"
expect_out "ana@acme.example"
# Nothing goes round again.
vs sync book1
run ka vdir "$T/book1"
expect_out "import: added 0, updated 0, archived 0"
expect_out "export: wrote 0, removed 0"

# The calendar: the reminder to thank Ben goes out as a to-do; completed
# on the other side, it is done in kith on the next run.
run ka export vdir --calendar "$T/cal1"
expect_out "calendar: wrote"
vs sync cal1
vs sync cal2
todo=$(grep -l "SUMMARY:Thank Ben Okafor" "$T/cal2"/*.ics)
[ -n "$todo" ] || fail "the reminder reached the second calendar folder"
grep -q "STATUS:NEEDS-ACTION" "$todo" || fail "the to-do needs action"
sed -i 's/^STATUS:NEEDS-ACTION/STATUS:COMPLETED/' "$todo"
vs sync cal2
vs sync cal1
done_elsewhere ka "Ben Okafor" "$T/cal1" "completed on the other side, still due in kith"

finish
