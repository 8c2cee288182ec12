#!/usr/bin/env python3
"""
A raw-frame client for tests/broker/test_protocol.sh: speaks the broker
wire (include/lg_proto.h) byte by byte, so the test can check what lgctl
never does: CANCEL, withheld WINDOW grants, duplicate ids, versions,
admin messages on the public socket, a client vanishing mid-query.
Each check prints "PASS - what" or "FAIL - what" (then "#   " lines), which
the shell test turns into TAP.
"""

import argparse
import os
import re
import socket
import struct
import sys
import time

HELLO, QUERY, CANCEL, WINDOW, LIST_ROUTERS, ROUTER, END = 1, 2, 3, 4, 5, 6, 7
RESULT_BEGIN, RESULT_DATA, RESULT_END, STATUS = 8, 9, 10, 11
Q_BGP_ROUTE = 0
ERR_CANCELLED = 15
WINDOW_INITIAL = 256 * 1024

n = 0
failed = 0


def tap(ok, desc, diag=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("PASS" if ok else "FAIL") + " - %s" % desc)
    if not ok and diag:
        for line in str(diag).splitlines()[:20]:
            print("#   " + line)
    sys.stdout.flush()


def frame(mtype, rid, payload=b""):
    return struct.pack(">HHII", mtype, 0, len(payload), rid) + payload


def line(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def proto_version():
    """LG_PROTO_VERSION, read from include/lg_proto.h."""
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(top, "include", "lg_proto.h")) as f:
        return int(re.search(r"#define LG_PROTO_VERSION\s+(\d+)",
                             f.read()).group(1))


def hello(version=None):
    if version is None:
        version = proto_version()
    return frame(HELLO, 0, struct.pack(">H", version) + line("protocol.py"))


def query(rid, router, target, qtype=Q_BGP_ROUTE):
    # router, type, afi, flags, target, vrf, client, user (public: "")
    return frame(QUERY, rid, line(router) + struct.pack(">BBH", qtype, 0, 0) +
                 line(target) + line("") + line("protocol.py") + line(""))


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def frame(self, timeout=10.0):
        """Next frame (type, id, payload), or None when closed/timeout."""
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 12:
                t, _f, ln, rid = struct.unpack(">HHII", self.buf[:12])
                if len(self.buf) >= 12 + ln:
                    p = self.buf[12:12 + ln]
                    self.buf = self.buf[12 + ln:]
                    return t, rid, p
            left = end - time.time()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return None
            except OSError:
                return None
            if not d:
                return None
            self.buf += d

    def greet(self):
        self.send(hello())
        f = self.frame()
        return f is not None and f[0] == HELLO


def result_end(p):
    err, flags, ms, nbytes = struct.unpack(">HBIQ", p[:15])
    return err, flags, nbytes


def scenario_window_cancel(a):
    c = Conn(a.socket)
    tap(c.greet(), "HELLO answered with HELLO")
    c.send(query(7, a.router, a.target))
    got, data, begin = 0, 0, None
    while True:
        f = c.frame(timeout=3.0)
        if f is None:
            break
        if f[0] == RESULT_BEGIN:
            begin = f
        elif f[0] == RESULT_DATA:
            data += len(f[2])
        elif f[0] == RESULT_END:
            tap(False, "a big answer does not end before WINDOW",
                "RESULT_END %r" % (result_end(f[2]),))
            return
    tap(begin is not None, "RESULT_BEGIN comes first")
    tap(0 < data <= WINDOW_INITIAL,
        "no more than LG_WINDOW_INITIAL bytes without a WINDOW (%d)" % data)
    c.send(frame(WINDOW, 7, struct.pack(">I", 100000)))
    more = 0
    while True:
        f = c.frame(timeout=2.0)
        if f is None or f[0] != RESULT_DATA:
            break
        more += len(f[2])
    tap(0 < more <= 100000, "a WINDOW lets that much more through (%d)" % more)
    c.send(frame(CANCEL, 7))
    ends = []
    while True:
        f = c.frame(timeout=3.0)
        if f is None:
            break
        if f[0] == RESULT_END and f[1] == 7:
            ends.append(result_end(f[2]))
    tap(len(ends) == 1 and ends[0][0] == ERR_CANCELLED,
        "CANCEL ends the request with cancelled, once", ends)
    c.send(frame(CANCEL, 7))
    c.send(frame(LIST_ROUTERS, 9))
    f = c.frame()
    tap(f is not None and f[0] in (ROUTER, END),
        "a CANCEL for a finished id is ignored (connection still serves)")


def scenario_vanish(a):
    c = Conn(a.socket)
    c.greet()
    c.send(query(1, a.router, a.target))
    c.frame()
    c.s.close()
    time.sleep(0.5)
    d = Conn(a.socket)
    d.greet()
    d.send(query(2, a.small_router, a.small_target))
    seen, end = 0, None
    while True:
        f = d.frame(timeout=20.0)
        if f is None:
            break
        if f[0] == RESULT_DATA:
            seen += len(f[2])
        if f[0] == RESULT_END:
            end = result_end(f[2])
            break
    tap(end is not None and end[0] == 0 and seen > 0,
        "after a client vanished mid-query, the broker still answers", end)


def expect_closed(c, desc):
    while True:
        f = c.frame(timeout=3.0)
        if f is None:
            break
    try:
        c.s.settimeout(1.0)
        closed = c.s.recv(1) == b""
    except OSError:
        closed = True
    tap(closed, desc)


def scenario_violations(a):
    c = Conn(a.socket)
    c.send(hello(99))
    f = c.frame()
    ok = (f is not None and f[0] == END and
          b"protocol version 99 not supported" in f[2])
    tap(ok, "a version mismatch is answered by END and a reason", f)
    expect_closed(c, "and the connection is closed")

    c = Conn(a.socket)
    c.send(frame(LIST_ROUTERS, 1))
    expect_closed(c, "anything before HELLO closes the connection")

    c = Conn(a.socket)
    c.greet()
    c.send(frame(STATUS, 1))
    expect_closed(c, "STATUS on the public socket closes the connection")

    c = Conn(a.socket)
    c.greet()
    c.send(query(0, a.small_router, a.small_target))
    expect_closed(c, "a QUERY with request id 0 closes the connection")

    c = Conn(a.socket)
    c.greet()
    c.send(query(5, a.router, a.target) + query(5, a.router, a.target))
    expect_closed(c, "a duplicate in-flight request id closes the connection")

    c = Conn(a.socket)
    c.greet()
    c.send(frame(QUERY, 3, b"\x00\x05abc"))
    expect_closed(c, "a truncated QUERY closes the connection")

    c = Conn(a.socket)
    c.greet()
    c.send(struct.pack(">HHII", 200, 0, 0, 1))
    expect_closed(c, "an unknown message type closes the connection")

    d = Conn(a.socket)
    tap(d.greet(), "the broker still accepts clients after all that")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--router", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--small-router", required=True)
    ap.add_argument("--small-target", required=True)
    a = ap.parse_args()
    scenario_window_cancel(a)
    scenario_vanish(a)
    scenario_violations(a)
    print("# protocol.py: %d run, %d failed" % (n, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
