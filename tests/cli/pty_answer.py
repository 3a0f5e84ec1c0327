#!/usr/bin/env python3
"""pty_answer.py ANSWER CMD...: runs CMD with a terminal (a pty) on its
standard input, output and error, waits for a question ending in '] ', types
ANSWER and a line end, and prints everything CMD wrote, then "EXIT=N"."""
import os
import pty
import select
import subprocess
import sys
import time

answer, cmd = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
seen = b""
answered = False
end = time.time() + 20
while time.time() < end:
    r, _, _ = select.select([master], [], [], 0.1)
    if r:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    if not answered and seen.rstrip(b" ").endswith(b"]"):
        os.write(master, answer.encode() + b"\n")
        answered = True
    if p.poll() is not None and not r:
        break
p.wait(timeout=10)
sys.stdout.write(seen.decode("utf-8", "replace").replace("\r\n", "\n"))
print("EXIT=%d" % p.returncode)
