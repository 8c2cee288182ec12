#!/usr/bin/env python3
"""A broker socket that never becomes a broker, for the chaos tests.

    chaos_fakebroker.py PATH close|silent SECONDS

Listens on the Unix socket PATH for SECONDS and prints the monotonic time
of every connection it accepts.  "close" hangs up at once (a broker that
dies during start-up); "silent" keeps the connection open and says nothing
(a broker that hangs before its HELLO).
"""

import os
import socket
import sys
import time


def main():
    path, mode, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(64)
    held = []
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            c, _ = s.accept()
        except socket.timeout:
            break
        print("%.3f" % time.monotonic(), flush=True)
        if mode == "close":
            c.close()
        else:
            held.append(c)
    for c in held:
        c.close()
    s.close()
    os.unlink(path)


main()
