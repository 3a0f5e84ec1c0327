#!/usr/bin/env python3
"""Runs kith on a pty without a controlling terminal (its own session, as
setsid and some launchers start it), optionally opens a form and types into
it, then closes the pty's other side: kith must end on its own, promptly,
without spinning. Prints what it saw; exits 1 on a failure."""
import os
import pty
import select
import struct
import subprocess
import sys
import time
import fcntl
import re
import termios

kith, db, mode = sys.argv[1], sys.argv[2], sys.argv[3]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = dict(os.environ, TERM="xterm-256color")
p = subprocess.Popen([kith, "--db", db], stdin=slave, stdout=slave, stderr=slave, env=env,
                     start_new_session=True, close_fds=True)
os.close(slave)
seen = b""


def plain():
    """What was written, without the terminal's control sequences."""
    return re.sub(rb"\x1b(\[[0-9;?]*[A-Za-z]|\([A-Z0-9])", b"", seen)


def wait_for(text, secs=15):
    global seen
    end = time.time() + secs
    while text not in plain() and time.time() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    if text not in plain():
        print("never saw %r in %r" % (text, plain()[-300:]))
        p.kill()
        sys.exit(1)


wait_for(b"Contacts")
if mode == "form":
    os.write(master, b"e")
    wait_for(b"Edit contact")
    os.write(master, b"\tHalftyped")
    wait_for(b"Halftyped")
os.close(master)
start = time.time()
while p.poll() is None and time.time() - start < 10:
    time.sleep(0.05)
if p.poll() is None:
    with open("/proc/%d/stat" % p.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    p.kill()
    print("still running 10 s after the terminal closed (%d CPU ticks)" % ticks)
    sys.exit(1)
print("ended in %.1f s with status %d" % (time.time() - start, p.returncode))
