"""Kills kith writers with SIGKILL at random moments, then checks the journal.

Run by test_crash.sh: argv is KITH DB WORKDIR. Prints one line per check
("ok ..." or "FAIL ...") and a summary line "checks N failed M".
Environment: KITH_CRASH_KILLS (default 200), KITH_CRASH_SEED.
"""
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

KITH, DB, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
KILLS = int(os.environ.get("KITH_CRASH_KILLS", "200"))
SEED = int(os.environ.get("KITH_CRASH_SEED", str(int(time.time()))))
WORKERS = 2
BASE_DAY = 738000  # any fixed ordinal; dates below are 2026 onwards

checks = 0
fails = 0
lock = threading.Lock()


def check(ok, what):
    global checks, fails
    with lock:
        checks += 1
        if not ok:
            fails += 1
            print("FAIL " + what, flush=True)


def env_for(today):
    env = dict(os.environ)
    env["KITH_TODAY"] = today
    return env


def run(args, db=DB, today="2026-11-22"):
    p = subprocess.run([KITH, "--db", db] + args, capture_output=True, text=True,
                       env=env_for(today), timeout=120)
    return p.returncode, p.stdout, p.stderr


def day(n):
    import datetime
    return (datetime.date(2026, 1, 1) + datetime.timedelta(days=n)).isoformat()


class State:
    def __init__(self):
        self.next_id = 0
        self.next_tick = 0
        self.kills = 0
        self.done = 0
        self.added = []      # contact names whose add exited 0
        self.logged = []     # interaction summaries whose log exited 0
        self.ticked = {}     # date -> note, ticks that exited 0
        self.thanked = []    # thank-you notes whose thank exited 0
        self.tried_add = []  # every name an add was started for (killed or not)
        self.tried_log = []

    def take(self):
        with lock:
            self.next_id += 1
            return self.next_id

    def take_day(self):
        with lock:
            self.next_tick += 1
            return self.next_tick - 1


S = State()
rng_lock = threading.Lock()


def command(w, rng):
    """One writer command: (argv, today, record) where record(S) notes its write."""
    n = S.take()
    op = rng.choice(["add", "add", "log", "tick", "thank"])
    if op == "add":
        name = "Crash W%d N%d" % (w, n)
        S.tried_add.append(name)
        return (["add", name, "--company", "Co%d" % n, "--tag", "crash", "--tag", "w%d" % w,
                 "--email", "n%dw%d@example.org" % (n, w), "--note", "note %d" % n],
                "2026-11-22", lambda: S.added.append(name))
    if op == "log":
        summary = "log W%d N%d" % (w, n)
        S.tried_log.append(summary)
        return (["log", "Base One", "Base Two", "--kind", "call", "--gave", "--summary", summary],
                "2026-11-22", lambda: S.logged.append(summary))
    if op == "tick":
        d = S.take_day()
        if d >= 365:
            return command(w, rng)
        note = "tick W%d N%d" % (w, n)
        return (["tick", "--note", note], day(d), lambda: S.ticked.__setitem__(day(d), note))
    note = "thank W%d N%d" % (w, n)
    return (["thank", "Base One", "--form", "note", "--note", note], "2026-11-22",
            lambda: S.thanked.append(note))


def calibrate():
    """The median wall time of a writer, so kills land inside its life."""
    times = []
    for i in range(7):
        t = time.monotonic()
        rc, _, err = run(["add", "Calibrate %d" % i])
        times.append(time.monotonic() - t)
        check(rc == 0, "calibration add exited %d: %s" % (rc, err))
    times.sort()
    return times[len(times) // 2]


def worker(w, span, stop):
    rng = random.Random(SEED * 10 + w)
    while True:
        with lock:
            if S.kills >= KILLS:
                return
        argv, today, record = command(w, rng)
        p = subprocess.Popen([KITH, "--db", DB] + argv, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env=env_for(today))
        time.sleep(rng.uniform(0, span))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if p.returncode == -signal.SIGKILL:
            with lock:
                S.kills += 1
        else:
            check(p.returncode == 0, "kith %s exited %d: %s" % (" ".join(argv), p.returncode, err))
            if p.returncode == 0:
                with lock:
                    record()
                    S.done += 1


def integrity(db, what):
    c = sqlite3.connect(db)
    try:
        r = [row[0] for row in c.execute("PRAGMA integrity_check")]
        check(r == ["ok"], "%s: integrity_check says %s" % (what, r[:5]))
        fk = list(c.execute("PRAGMA foreign_key_check"))
        check(fk == [], "%s: foreign_key_check says %s" % (what, fk[:5]))
        for t in ("contact_fts", "interaction_fts"):
            try:
                c.execute("INSERT INTO %s(%s) VALUES('integrity-check')" % (t, t))
                c.rollback()
                check(True, "")
            except sqlite3.DatabaseError as ex:
                # A build without FTS5 cannot check it; a corrupt index can.
                check("no such" in str(ex), "%s: %s integrity-check: %s" % (what, t, ex))
    finally:
        c.close()


def fresh_journals(count, span):
    """Kills the very first write, which creates the journal, then writes again."""
    killed = 0
    rng = random.Random(SEED)
    for i in range(count):
        db = os.path.join(WORK, "fresh%d.db" % i)
        p = subprocess.Popen([KITH, "--db", db, "add", "First"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env_for("2026-11-22"))
        time.sleep(rng.uniform(0, span))
        if p.poll() is None:
            p.kill()
            killed += 1
        p.wait()
        rc, _, err = run(["add", "Second"], db=db)
        check(rc == 0, "fresh journal %d: add after a kill exited %d: %s" % (i, rc, err))
        rc, out, err = run(["list", "--json"], db=db)
        names = [c["name"] for c in json.loads(out)] if rc == 0 else []
        check("Second" in names, "fresh journal %d: Second missing: %s %s" % (i, names, err))
        integrity(db, "fresh journal %d" % i)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
    return killed


def main():
    rc, _, err = run(["add", "Base One"])
    check(rc == 0, "add Base One: %s" % err)
    rc, _, err = run(["add", "Base Two"])
    check(rc == 0, "add Base Two: %s" % err)
    rc, _, err = run(["challenge", "start", "--days", "366"], today=day(0))
    check(rc == 0, "challenge start: %s" % err)
    span = calibrate() * 1.3
    print("seed %d, median writer %.1f ms, kills within %.1f ms" % (SEED, span / 1.3 * 1000,
                                                                    span * 1000), flush=True)
    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(w, span, None)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d writers killed, %d exited 0, in %.1f s" % (S.kills, S.done,
                                                        time.monotonic() - t0), flush=True)

    integrity(DB, "journal")

    rc, out, err = run(["list", "--json"])
    check(rc == 0, "list --json: %s" % err)
    contacts = {c["name"]: c for c in json.loads(out)} if rc == 0 else {}
    for name in S.added:
        check(name in contacts, "added but missing: %s" % name)
    # Atomicity: a contact that is there (its add killed or not) has all it was given.
    present = 0
    for name in S.tried_add:
        c = contacts.get(name)
        if not c:
            continue
        present += 1
        w = name.split()[1].lower()
        n = name.split()[2][1:]
        check(sorted(c["tags"]) == sorted(["crash", w]), "%s: tags %s" % (name, c["tags"]))
        check(c["emails"] == ["n%s%s@example.org" % (n, w)], "%s: emails %s" % (name, c["emails"]))

    rc, out, err = run(["timeline", "--json"])
    check(rc == 0, "timeline --json: %s" % err)
    logs = {i["summary"]: i for i in json.loads(out)} if rc == 0 else {}
    for s in S.logged:
        check(s in logs, "logged but missing: %s" % s)
    for s in S.tried_log:
        if s in logs:
            names = sorted(c["name"] for c in logs[s]["contacts"])
            check(names == ["Base One", "Base Two"], "%s: contacts %s" % (s, names))

    rc, out, err = run(["challenge", "--json"], today=day(0))
    check(rc == 0, "challenge --json: %s" % err)
    ticks = {t["date"]: t["note"] for t in json.loads(out)["ticks"]} if rc == 0 else {}
    for d, note in S.ticked.items():
        check(ticks.get(d) == note, "ticked %s (%s) but the journal has %s" % (d, note, ticks.get(d)))

    rc, out, err = run(["export", "json"])
    check(rc == 0, "export json: %s" % err)
    thanks = {t["note"] for t in json.loads(out)["thanks"]} if rc == 0 else set()
    for note in S.thanked:
        check(note in thanks, "thanked but missing: %s" % note)

    print("checked %d adds (%d present after kills), %d logs, %d ticks, %d thank-yous"
          % (len(S.added), present, len(S.logged), len(S.ticked), len(S.thanked)), flush=True)

    fresh = int(os.environ.get("KITH_CRASH_FRESH", "30"))
    killed = fresh_journals(fresh, span)
    print("fresh journals: %d of %d first writes killed" % (killed, fresh), flush=True)
    print("checks %d failed %d" % (checks, fails), flush=True)


main()
