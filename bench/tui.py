#!/usr/bin/env python3
"""Times the TUI in a pseudo-terminal: its start, every key of a session
that reads and writes, and its peak memory.

usage: tui.py KITH JOURNAL [RUNS]

start:  kith is started in a pty of a fixed size (COLS x ROWS, TERM
        xterm-256color) RUNS times; each run measures the time from just
        before the fork to the last byte of the first full frame, then
        sends q and waits for the exit.

        "Full frame": the TUI writes a frame in one burst. The first full
        frame is the first burst after which the text written so far,
        escapes stripped, holds the header, the challenge strip and the
        key line at the bottom; its time is that of the burst's last byte
        (a burst ends at a pause of BURST seconds). If no such burst
        comes before the output goes quiet for QUIET seconds, the run
        fails.

        The reminders are evaluated after the first frame, and the
        header's "N due" follows when that ends: the time to the first
        byte of a header holding "N due" is printed too (or that it did
        not come within DUE_WAIT seconds), without a target.

keys:   one session on a copy of the journal (it writes): the contact list (j,
        PgDn, each sort order with a PgDn in it), a search typed one key at a
        time, the busiest contact's timeline in the card (G, then PgUp and
        PgDn, G again, k and j), the referrals and today views, and writes: an
        interaction logged in the log form, a tick of the challenge, an
        interaction logged by another kith process meanwhile, then more keys
        while the reminders are evaluated again, the Give view ('4') and back
        among them. A key's time runs from its write to the pty to the last
        byte of the burst of output it causes; each group's median, 99th
        percentile and maximum are printed, and the 99th percentile of all
        keys. A key that writes nothing (a PgDn at the end of the list) is
        timed to when kith has read it and waits for the next (its input queue
        empty, the process asleep); one it read that leaves it busy without
        output (an evaluation resumed after a key that changed nothing) is
        timed by a Ctrl-L sent after it, to the end of the redraw. Then VmHWM
        (peak resident set) is read from /proc/PID/status before q.

Environment: KITH_BENCH_COLS (120), KITH_BENCH_ROWS (40), KITH_BENCH_PAGES
(200: PgDn presses before the memory is read), KITH_BENCH_SEARCH (career),
KITH_BENCH_VERBOSE (1: each key's time on stderr).
HOME and the XDG directories point into a temporary directory, so no
settings of the user's are read; KITH_TODAY and KITH_CONFIG are passed on
(a config without rules shows what the reminders cost).
"""
import fcntl
import os
import re
import select
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

QUIET = 0.5  # seconds of silence that end the startup output
BURST = 0.02  # a pause this long ends a burst of output
TIMEOUT = 30.0  # give up on a frame after this long
DUE_WAIT = 30.0  # how long the header's count is waited for
KEY_WAIT = 2.0  # a key whose output has not begun by then shows nothing
MARK_AFTER = 0.03  # read but busy without output this long: a marker follows
COLS = int(os.environ.get("KITH_BENCH_COLS", "120"))
ROWS = int(os.environ.get("KITH_BENCH_ROWS", "40"))
PAGES = int(os.environ.get("KITH_BENCH_PAGES", "200"))
SEARCH = os.environ.get("KITH_BENCH_SEARCH", "career")
KEY_TARGET_MS = 16.0
RSS_TARGET_MB = 24.0
VERBOSE = os.environ.get("KITH_BENCH_VERBOSE") == "1"

PGDN = b"\x1b[6~"
PGUP = b"\x1b[5~"
ESC = b"\x1b"
CTRL_L = b"\x0c"
ESC_RE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
# Pieces of the first frame, top to bottom: the header's tabs, the
# challenge strip's title and the key line (its last row).
FRAME_MARKS = [b"Contacts", b"Referrals", b"Today", b"challenge", b"quit"]
DUE_RE = re.compile(rb"[0-9]+ due")


def child_env(home):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_STATE_HOME": os.path.join(home, "state"),
        "LANG": "C.UTF-8",
    }
    for k in ("KITH_TODAY", "KITH_CONFIG"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


class Session:
    def __init__(self, kith, journal, home):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [kith, "--db", journal],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=child_env(home),
            start_new_session=True,
            close_fds=True,
        )
        # Kept open: its input queue says whether a key was read (idle).
        self.slave = slave
        self.out = bytearray()
        self.chunks = []

    def read_some(self, wait):
        """One read, waiting up to wait seconds: (time, bytes) or None."""
        r, _, _ = select.select([self.master], [], [], wait)
        if not r:
            return None
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return None
        if not chunk:
            return None
        now = time.monotonic()
        self.out += chunk
        self.chunks.append((now - self.t0, chunk))
        return now, chunk

    def settle(self, done=None):
        """Reads until the output has been quiet for QUIET seconds (and what
        was read satisfies done, if given); returns the bytes read and the
        time of the last one (relative to t0)."""
        got = bytearray()
        last = None
        self.chunks = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            r = self.read_some(QUIET)
            if r is None:
                if time.monotonic() > deadline or (got and (done is None or done(got))):
                    break
                continue
            last = r[0]
            got += r[1]
        return bytes(got), (None if last is None else last - self.t0)

    def wait_text(self, pattern, wait):
        """Reads until the text written since the call matches pattern (a
        compiled regex on escape-stripped bytes); the time of the chunk
        that completed it, relative to t0, or None after wait seconds."""
        got = bytearray()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            r = self.read_some(min(0.1, max(0.0, deadline - time.monotonic())))
            if r is None:
                continue
            got += r[1]
            if pattern.search(text(bytes(got))):
                return r[0] - self.t0
        return None

    def consumed(self):
        """Whether kith has read all the input sent."""
        n = struct.unpack("i", fcntl.ioctl(self.slave, termios.FIONREAD, b"\0\0\0\0"))[0]
        return n == 0

    def idle(self):
        """Whether kith has read all the input sent and sleeps (waits for
        the next key): a key that changes nothing on the screen is done."""
        if not self.consumed():
            return False
        with open(f"/proc/{self.proc.pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "S"

    def key(self, data):
        """Sends data and returns the time in ms to the last byte of the
        burst of output that follows; the burst's text is kept in
        self.burst. A key that writes nothing is timed to when kith has
        read it and gone back to waiting (idle, checked every millisecond
        and seen for BURST seconds): self.silent is set. If kith read the
        key but stays busy without writing for MARK_AFTER seconds (it
        went on with the reminders' evaluation after a key that changed
        nothing), a Ctrl-L (redraw) follows as a marker and the key is
        timed to the end of the output that comes next: an upper bound,
        which includes giving way to the marker and the redraw
        (self.marked). None when kith neither writes nor waits within
        KEY_WAIT."""
        self.send(data)
        sent = time.monotonic()
        self.burst = bytearray()
        self.silent = self.marked = False
        waiting = consumed = None
        while True:
            r = self.read_some(0.001)
            if r is not None:
                break
            now = time.monotonic()
            if consumed is None and self.consumed():
                consumed = now
            if not self.idle():
                waiting = None
                if consumed is not None and not self.marked and now - consumed >= MARK_AFTER:
                    self.send(CTRL_L)
                    self.marked = True
            elif waiting is None:
                waiting = now
            elif now - waiting >= BURST and not self.marked:
                self.silent = True
                return (waiting - sent) * 1e3
            if now - sent > KEY_WAIT:
                return None
        last = r[0]
        self.burst += r[1]
        while True:
            r = self.read_some(BURST)
            if r is None:
                break
            last = r[0]
            self.burst += r[1]
        if self.marked:
            # The marker's redraw, if it came after the key's own output,
            # belongs to neither this key nor the next.
            while self.read_some(0.05) is not None:
                pass
        return (last - sent) * 1e3

    def wait_idle(self, quiet=0.3, wait=DUE_WAIT):
        """Waits until kith has waited for a key for quiet seconds on end
        (an evaluation under way keeps it busy), at most wait seconds."""
        deadline = time.monotonic() + wait
        since = None
        while time.monotonic() < deadline:
            self.read_some(0.005)
            if not self.idle():
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since >= quiet:
                return True
        return False

    def shows(self, pattern):
        """Whether the last key's burst, escapes stripped, matches."""
        return re.search(pattern, text(bytes(self.burst))) is not None

    def send(self, data):
        os.write(self.master, data)

    def vmhwm_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return -1

    def quit(self):
        self.send(b"q")
        # Drain until the exit so the child never blocks on a full pty.
        while self.proc.poll() is None:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    os.read(self.master, 65536)
                except OSError:
                    break
        self.proc.wait()
        os.close(self.master)
        os.close(self.slave)
        return self.proc.returncode


def text(b):
    return ESC_RE.sub(b"", b)


def whole_frame(b):
    t = text(b)
    return all(m in t for m in FRAME_MARKS)


def first_frame(chunks):
    """The time of the last byte of the first burst that completes a whole
    frame."""
    seen = bytearray()
    for i, (t, c) in enumerate(chunks):
        seen += c
        if whole_frame(seen):
            j = i
            while j + 1 < len(chunks) and chunks[j + 1][0] - chunks[j][0] < BURST:
                j += 1
            return chunks[j][0]
    return None


def pct(v, p):
    """The p-th percentile of v (nearest rank)."""
    s = sorted(v)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def busiest(journal):
    """The name of the contact with the most interactions, and a contact's
    name to log with from outside."""
    db = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
    try:
        key = db.execute(
            "SELECT contact_key FROM interaction_contact GROUP BY contact_key"
            " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        name = db.execute("SELECT name FROM contact WHERE key = ?", (key,)).fetchone()[0]
        other = db.execute("SELECT id FROM contact WHERE key <> ? LIMIT 1", (key,)).fetchone()[0]
        return name, other
    finally:
        db.close()


def start_runs(kith, journal, home, runs):
    times, dues, missing = [], [], 0
    # One warm-up run brings the journal into the page cache.
    for i in range(runs + 1):
        s = Session(kith, journal, home)
        out, _ = s.settle(whole_frame)
        t = first_frame(s.chunks)
        due = None
        seen = text(bytes(s.out))
        if DUE_RE.search(seen):
            acc = bytearray()
            for ct, c in s.chunks:
                acc += c
                if DUE_RE.search(text(bytes(acc))):
                    due = ct
                    break
        else:
            due = s.wait_text(DUE_RE, DUE_WAIT)
        rc = s.quit()
        if t is None or rc != 0:
            sys.exit(f"tui.py: run {i}: no whole first frame (exit {rc}):\n"
                     + text(out).decode("utf-8", "replace")[-2000:])
        if i:
            times.append(t * 1e3)
            if due is None:
                missing += 1
            else:
                dues.append(due * 1e3)
    print("%-44s %9.2f ms  (target %6.0f ms) %s  [min %.2f, max %.2f, %d runs, %dx%d]"
          % ("TUI start to first full frame (pty)", statistics.median(times), 100,
             "ok" if statistics.median(times) < 100 else "MISSED", min(times), max(times),
             runs, COLS, ROWS))
    if dues:
        print("%-44s %9.2f ms  [min %.2f, max %.2f, %d runs%s]"
              % ("TUI start to the reminder count shown", statistics.median(dues),
                 min(dues), max(dues), len(dues),
                 ", %d without it within %.0f s" % (missing, DUE_WAIT) if missing else ""))
    else:
        print("%-44s none within %.0f s in %d runs"
              % ("TUI start to the reminder count shown", DUE_WAIT, runs))


def keys_session(kith, journal, home):
    """The scripted session on a copy of the journal; prints the keys'
    times and the peak memory."""
    name, other = busiest(journal)
    copy = os.path.join(home, "journal.kith")
    src, dst = sqlite3.connect(f"file:{journal}?mode=ro", uri=True), sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    s = Session(kith, copy, home)
    groups = {}
    untimed = [0]
    silent = [0]
    marked = [0]

    def press(group, data, times=1):
        for _ in range(times):
            ms = s.key(data)
            if ms is not None:
                groups.setdefault(group, []).append(ms)
                silent[0] += s.silent
                marked[0] += s.marked
            else:
                untimed[0] += 1
            if VERBOSE:
                print("  %-40s %r: %s" % (group, data, "no output" if ms is None else
                                          "%.2f ms%s" % (ms, " (nothing drawn)" if s.silent
                                                         else " (marked)" if s.marked
                                                         else "")), file=sys.stderr)

    def typed(group, word):
        for c in word:
            press(group, c.encode())

    s.settle(whole_frame)
    s.wait_text(DUE_RE, DUE_WAIT)
    press("list: j", b"j", 20)
    press("list: PgDn", PGDN, 20)
    for order in ("recent", "silent", "goodwill", "name"):
        press("list: s (first page in the next order)", b"s")
        if order != "name":
            press("list: PgDn", PGDN, 3)
    press("list: search /", b"/")
    typed("list: search, a keystroke", SEARCH)
    press("list: search, a keystroke", b"\r")
    press("list: j", b"j", 5)
    press("list: Esc", ESC)
    # The busiest contact, found by name, and its timeline in the card.
    press("list: search /", b"/")
    typed("list: search, a keystroke", name)
    press("list: search, a keystroke", b"\r")
    press("card: Tab", b"\t")
    press("card: G (the oldest entries)", b"G")
    press("card: PgUp", PGUP, 20)
    press("card: PgDn", PGDN, 20)
    press("card: G (the oldest entries)", b"G")
    press("card: k", b"k", 10)
    press("card: j", b"j", 10)
    press("card: T (everyone's timeline)", b"T")
    press("card: PgDn", PGDN, 5)
    press("card: T (everyone's timeline)", b"T")
    press("card: Tab", b"\t")
    # Writes: log an interaction in the form, tick the challenge (when
    # one runs today: the tick form opens).
    s.settle()
    press("write: open the log form", b"l")
    if not s.shows(rb"Log an interaction"):
        sys.exit("tui.py: l did not open the log form")
    s.send(b"\t\t\t\t")  # With, Kind, Direction, Date: to Summary
    s.settle()
    typed("form: a keystroke", "bench lunch")
    press("write: save", b"\r")
    s.settle()
    press("write: open the tick form", b"x")
    if s.shows(rb"Tick a day"):
        s.settle()
        press("write: save", b"\r")
    s.settle()
    # Another kith writes meanwhile; this one refreshes when idle.
    subprocess.run([kith, "--db", copy, "log", other, "--kind", "call", "--gave",
                    "--summary", "from outside"], env=child_env(home),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    s.wait_text(re.compile(rb"changed elsewhere"), 5.0)
    # Keys while the reminders are evaluated again, from the top of the
    # list (the busiest contact may be its last row).
    # Esc closes the form x opened when no challenge runs (it starts one),
    # and clears the search: the list holds every contact again.
    press("list: Esc", ESC, 2)
    press("list: g", b"g")
    press("list: j", b"j", 20)
    press("list: PgDn", PGDN, 10)
    press("list: s (first page in the next order)", b"s")
    press("list: PgDn", PGDN, 3)
    press("views: 2 / 3 / 1", b"2")
    press("views: 2 / 3 / 1", b"3")
    press("views: 2 / 3 / 1", b"1")
    # The Give view (its ideas read the journal anew each time) and back.
    press("views: 4 (Give) / 1", b"4")
    press("views: 4 (Give) / 1", b"1")
    s.wait_text(DUE_RE, DUE_WAIT)
    # The evaluation the writes started has ended (the count no longer
    # says "updating") before the last pages.
    s.wait_idle()
    press("list: PgDn", PGDN, PAGES)
    s.settle()
    kb = s.vmhwm_kb()
    rc = s.quit()
    if rc != 0:
        sys.exit(f"tui.py: the scripted session exited {rc}")
    # The session wrote what it typed, or its keys went somewhere else.
    db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        logged = db.execute("SELECT count(*) FROM interaction"
                            " WHERE summary = 'bench lunch'").fetchone()[0]
    finally:
        db.close()
    if logged != 1:
        sys.exit("tui.py: the log form did not save the interaction typed")
    every = [ms for v in groups.values() for ms in v]
    for g in sorted(groups):
        v = groups[g]
        print("  %-42s p50 %7.2f  p99 %7.2f  max %7.2f ms  (%d keys)"
              % (g, statistics.median(v), pct(v, 99), max(v), len(v)))
    p99 = pct(every, 99)
    print("%-44s %9.2f ms  (target %6.0f ms) %s  [p50 %.2f, max %.2f, %d keys, %d of them"
          " drew nothing, %d timed by a marker, %d not timed]"
          % ("TUI any key, 99th percentile", p99, KEY_TARGET_MS,
             "ok" if p99 < KEY_TARGET_MS else "MISSED", statistics.median(every), max(every),
             len(every), silent[0], marked[0], untimed[0]))
    mb = kb / 1024
    print("%-44s %9.2f MB  (target %6.0f MB) %s"
          % ("TUI peak resident memory (writing session)", mb, RSS_TARGET_MB,
             "ok" if mb < RSS_TARGET_MB else "MISSED"))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kith, journal = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    home = tempfile.mkdtemp(prefix="kith-bench-tui.")
    try:
        start_runs(kith, journal, home, runs)
        keys_session(kith, journal, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
