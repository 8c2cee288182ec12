#!/usr/bin/env python3
"""
Load against the broker's public socket for test_flood.sh and the bench,
speaking the wire of include/lg_proto.h.  Modes:

  flood N ROUTER TARGET [WAIT]   one connection sends N QUERY frames
        (ids 1..N, identical) as fast as the socket takes them while a
        thread reads the replies, after WAIT seconds if given; prints "ends=E ok=O busy=B other=X bare_end=Z
        closed=C seconds=S" once every id has ended or the connection
        closed.
  probe N ROUTER TARGET [PAUSE]   N queries one after the other on a
        fresh connection; prints one line "ms=..." with each answer's
        time (HELLO not counted), "-1" for a query that got no answer.
  idle N SECONDS   opens N connections that each say HELLO, holds them
        SECONDS, then prints "held=H refused=R".
  mute SECONDS   connects, says nothing, prints "closed_after=S" when
        the broker closes it (or "open" after SECONDS).
"""

import os
import re
import resource
import socket
import struct
import sys
import threading
import time

HELLO, QUERY, END, RESULT_END = 1, 2, 7, 10
ERR_OK, ERR_BUSY = 0, 12



def proto_version():
    """LG_PROTO_VERSION, read from the header so this script follows it."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../include/lg_proto.h")) as f:
        return int(re.search(r"#define LG_PROTO_VERSION\s+(\d+)",
                             f.read()).group(1))

def frame(mtype, rid, payload=b""):
    return struct.pack(">HHII", mtype, 0, len(payload), rid) + payload


def line(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def hello():
    return frame(HELLO, 0, struct.pack(">H", proto_version()) + line("flood.py"))


def query(rid, router, target):
    # router, type, afi, flags, target, vrf, client, user (public: "")
    return frame(QUERY, rid, line(router) + struct.pack(">BBH", 0, 0, 0) +
                 line(target) + line("") + line("flood.py") + line(""))


class Reader:
    """Splits a socket's bytes into frames."""

    def __init__(self, s):
        self.s, self.buf = s, b""

    def next(self):
        while True:
            if len(self.buf) >= 12:
                t, _f, ln, rid = struct.unpack(">HHII", self.buf[:12])
                if len(self.buf) >= 12 + ln:
                    p = self.buf[12:12 + ln]
                    self.buf = self.buf[12 + ln:]
                    return t, rid, p
            try:
                d = self.s.recv(1 << 20)
            except (socket.timeout, OSError):
                return None
            if not d:
                return None
            self.buf += d


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(hello())
    r = Reader(s)
    f = r.next()
    if f is None or f[0] != HELLO:
        raise SystemExit("no HELLO from the broker")
    return s, r


def flood(path, n, router, target, wait=0.0):
    s, r = connect(path)
    stats = {"ends": 0, "ok": 0, "busy": 0, "other": 0, "bare_end": 0,
             "closed": 0}
    t0 = time.time()

    def read():
        time.sleep(wait)
        while stats["ends"] < n:
            f = r.next()
            if f is None:
                stats["closed"] = 1
                return
            if f[0] == END:
                stats["bare_end"] += 1
            elif f[0] == RESULT_END:
                stats["ends"] += 1
                err = struct.unpack(">H", f[2][:2])[0]
                key = {ERR_OK: "ok", ERR_BUSY: "busy"}.get(err, "other")
                stats[key] += 1

    th = threading.Thread(target=read, daemon=True)
    th.start()
    batch = []
    try:
        for i in range(1, n + 1):
            batch.append(query(i, router, target))
            if len(batch) == 2000:
                s.sendall(b"".join(batch))
                batch = []
        if batch:
            s.sendall(b"".join(batch))
    except OSError:
        stats["closed"] = 1
    th.join(600)
    stats["seconds"] = "%.1f" % (time.time() - t0)
    print(" ".join("%s=%s" % kv for kv in stats.items()))


def probe(path, n, router, target, pause):
    s, r = connect(path)
    s.settimeout(60)
    times = []
    for i in range(1, n + 1):
        t = time.time()
        s.sendall(query(i, router, target))
        while True:
            f = r.next()
            if f is None:
                times.append(-1)
                break
            if f[0] == RESULT_END and f[1] == i:
                times.append((time.time() - t) * 1000)
                break
        time.sleep(pause)
    print("ms=" + ",".join("%.2f" % x for x in times))


def idle(path, n, seconds):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, n + 64), hard))
    held, refused = [], 0
    for _ in range(n):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.sendall(hello())
            held.append(s)
        except OSError:
            refused += 1
    print("opened=%d" % len(held))
    sys.stdout.flush()
    time.sleep(seconds)
    # A connection the broker refused reads EOF.
    alive = 0
    for s in held:
        s.settimeout(0.2)
        try:
            d = s.recv(64)
            alive += 1 if d else 0
        except socket.timeout:
            alive += 1
        except OSError:
            pass
    print("held=%d refused=%d" % (alive, refused + len(held) - alive))


def mute(path, seconds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(seconds)
    t = time.time()
    try:
        d = s.recv(64)
    except socket.timeout:
        print("open")
        return
    except OSError:
        d = b""
    print("closed_after=%.1f%s" % (time.time() - t, "" if not d else
                                   " (with data)"))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]
    if mode == "flood":
        flood(path, int(a[0]), a[1], a[2], float(a[3]) if len(a) > 3 else 0)
    elif mode == "probe":
        probe(path, int(a[0]), a[1], a[2], float(a[3]) if len(a) > 3 else 0)
    elif mode == "idle":
        idle(path, int(a[0]), float(a[1]))
    elif mode == "mute":
        mute(path, float(a[0]))


if __name__ == "__main__":
    main()
