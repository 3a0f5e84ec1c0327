#!/usr/bin/env python3
"""Times the TUI in a pseudo-terminal and measures its peak memory.

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

        The reminders are evaluated after the first frame (a pass over
        the whole journal), and the header's "N due" follows when that
        ends: the time to the first byte of a header holding "N due" is
        printed too, without a target. So is the peak resident memory.

memory: one scripted session (start, PAGES x PgDn, a search typed one key
        at a time, the referrals view, the today view, back to the
        contacts, the search cleared, then each sort order with a PgDn),
        waiting for the screen to settle after each step; then VmHWM (peak
        resident set) is read from /proc/PID/status before q.

Environment: KITH_BENCH_COLS (120), KITH_BENCH_ROWS (40), KITH_BENCH_PAGES
(200), KITH_BENCH_SEARCH (career). HOME and the XDG directories point into
a temporary directory, so no settings of the user's are read; KITH_TODAY
and KITH_CONFIG are passed on (a config without rules shows what the
reminders cost).
"""
import fcntl
import os
import re
import select
import shutil
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
COLS = int(os.environ.get("KITH_BENCH_COLS", "120"))
ROWS = int(os.environ.get("KITH_BENCH_ROWS", "40"))
PAGES = int(os.environ.get("KITH_BENCH_PAGES", "200"))
SEARCH = os.environ.get("KITH_BENCH_SEARCH", "career")

PGDN = b"\x1b[6~"
ESC_RE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
# Pieces of the first frame, top to bottom: the header's tabs, the
# challenge strip's title and the key line (its last row).
FRAME_MARKS = [b"Contacts", b"Referrals", b"Today", b"challenge", b"quit"]


class Session:
    def __init__(self, kith, journal, home):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
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
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [kith, "--db", journal],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.out = bytearray()

    def settle(self, done=None):
        """Reads until the output has been quiet for QUIET seconds (and what
        was read satisfies done, if given); returns the bytes read and the
        time of the last one (relative to t0)."""
        got = bytearray()
        last = None
        self.chunks = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            r, _, _ = select.select([self.master], [], [], QUIET)
            if not r:
                if time.monotonic() > deadline or (got and (done is None or done(got))):
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            last = time.monotonic()
            got += chunk
            self.chunks.append((last - self.t0, chunk))
        self.out += got
        return bytes(got), (None if last is None else last - self.t0)

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
        return self.proc.returncode


def text(b):
    return ESC_RE.sub(b"", b)


def whole_frame(b):
    t = text(b)
    return all(m in t for m in FRAME_MARKS)


DUE_RE = re.compile(rb"[0-9]+ due")


def first_frame(chunks):
    """The time of the last byte of the first burst that completes a whole
    frame, and the time of the first byte showing "N due" (None if none)."""
    seen = bytearray()
    frame = due = None
    for i, (t, c) in enumerate(chunks):
        seen += c
        if frame is None and whole_frame(seen):
            j = i
            while j + 1 < len(chunks) and chunks[j + 1][0] - chunks[j][0] < BURST:
                j += 1
            frame = chunks[j][0]
        if due is None and DUE_RE.search(text(seen)):
            due = t
    return frame, due


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kith, journal = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    home = tempfile.mkdtemp(prefix="kith-bench-tui.")
    try:
        # One warm-up run brings the journal into the page cache.
        times, dues = [], []
        for i in range(runs + 1):
            s = Session(kith, journal, home)
            out, _ = s.settle(whole_frame)
            t, due = first_frame(s.chunks)
            rc = s.quit()
            if t is None or rc != 0:
                sys.exit(f"tui.py: run {i}: no whole first frame (exit {rc}):\n"
                         + text(out).decode("utf-8", "replace")[-2000:])
            if i:
                times.append(t * 1e3)
                if due is not None:
                    dues.append(due * 1e3)
        print("%-44s %9.2f ms  (target %6.0f ms) %s  [min %.2f, max %.2f, %d runs, %dx%d]"
              % ("TUI start to first full frame (pty)", statistics.median(times), 100,
                 "ok" if statistics.median(times) < 100 else "MISSED", min(times), max(times),
                 runs, COLS, ROWS))
        if dues:
            print("%-44s %9.2f ms  [min %.2f, max %.2f, %d runs]"
                  % ("TUI start to the reminder count shown", statistics.median(dues),
                     min(dues), max(dues), len(dues)))

        s = Session(kith, journal, home)
        steps = []
        _, t = s.settle(whole_frame)
        steps.append(("start", t))
        for _ in range(PAGES):
            s.send(PGDN)
        _, t = s.settle()
        steps.append((f"{PAGES} x PgDn", t))
        s.send(b"/")
        for c in SEARCH:
            s.send(c.encode())
        s.send(b"\r")
        _, t = s.settle()
        steps.append((f"search {SEARCH}", t))
        for key, what in ((b"2", "referrals view"), (b"3", "today view"), (b"1", "contacts"),
                          (b"\x1b", "search cleared"), (b"s", "sort recent"),
                          (PGDN, "PgDn"), (b"s", "sort silent"), (b"s", "sort goodwill"),
                          (PGDN, "PgDn"), (b"s", "sort name")):
            s.send(key)
            _, t = s.settle()
            steps.append((what, t))
        kb = s.vmhwm_kb()
        rc = s.quit()
        if rc != 0:
            sys.exit(f"tui.py: the scripted session exited {rc}")
        mb = kb / 1024
        print("%-44s %9.2f MB  (target %6.0f MB) %s  [VmHWM after: %s]"
              % ("TUI peak resident memory (session)", mb, 30, "ok" if mb < 30 else "MISSED",
                 ", ".join(w for w, _ in steps)))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
