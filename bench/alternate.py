#!/usr/bin/env python3
"""Times two commands side by side, each as a whole process, in turn.

usage: alternate.py [-n RUNS] [--warmup N] [--setup CMD] [--label A,B] A_CMD [B_CMD]

A_CMD and B_CMD are each one string, split as a shell splits words (no
shell runs them: write sh -c '...' for a pipe or a redirection). With two
commands they run A B A B ..., RUNS times each after N warm-up runs of
each (default 7 and 1), so that both see the same machine when its speed
drifts; the ratio A/B is taken pair by pair and its median printed. With
--setup, CMD runs before every run of either command, untimed (to remove
what an import made, say). Output is thrown away; stdin is empty.

A run's wall time is a monotonic clock read just before the spawn and
just after the child is reaped; its CPU time (user + system) is the
kernel's count for that child alone (wait4), so the start-up cost of this
script is in neither. Each figure is printed as the median, with the
minimum and maximum; the load average is printed before and after.

Prints one line per command, then the ratio:
  A  wall    12.31 ms  [min 11.90, max 14.02]  cpu    12.05 ms
  A/B wall  1.83x  cpu  1.80x  (median of 7 pairs)
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def one(argv, setup):
    if setup:
        subprocess.run(setup, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        t0 = time.monotonic()
        pid = os.posix_spawnp(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
                                            (os.POSIX_SPAWN_DUP2, devnull, 1),
                                            (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.monotonic()
    finally:
        os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("alternate.py: %s exited %d" % (shlex.join(argv), code))
    return (t1 - t0) * 1e3, (ru.ru_utime + ru.ru_stime) * 1e3


def line(label, runs):
    wall = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    return "%-4s wall %9.2f ms  [min %.2f, max %.2f]  cpu %8.2f ms" % (
        label, statistics.median(wall), min(wall), max(wall), statistics.median(cpu))


def main():
    args = sys.argv[1:]
    runs, warmup, setup, labels = 7, 1, None, ["A", "B"]
    cmds = []
    while args:
        a = args.pop(0)
        if a == "-n":
            runs = int(args.pop(0))
        elif a == "--warmup":
            warmup = int(args.pop(0))
        elif a == "--setup":
            setup = shlex.split(args.pop(0))
        elif a == "--label":
            labels = args.pop(0).split(",")
        elif a in ("-h", "--help"):
            print(__doc__)
            return
        else:
            cmds.append(shlex.split(a))
    if not 1 <= len(cmds) <= 2 or runs < 1:
        sys.exit(__doc__)
    print("load average before: %s" % load())
    got = [[] for _ in cmds]
    for r in range(warmup + runs):
        for i, c in enumerate(cmds):
            t = one(c, setup)
            if r >= warmup:
                got[i].append(t)
    for i in range(len(cmds)):
        print(line(labels[i], got[i]))
    if len(cmds) == 2:
        rw = statistics.median(a[0] / b[0] for a, b in zip(got[0], got[1]))
        rc = statistics.median(a[1] / b[1] if b[1] > 0 else float("nan")
                               for a, b in zip(got[0], got[1]))
        print("%s/%s wall %6.2fx  cpu %6.2fx  (median of %d pairs)"
              % (labels[0], labels[1], rw, rc, runs))
    print("load average after: %s" % load())


if __name__ == "__main__":
    main()
