#!/usr/bin/env python3
"""A small expect: runs a program on a pseudo-terminal and plays a script.

    ptyexpect.py [-t SECONDS] SCRIPT -- PROGRAM [ARG...]

SCRIPT is a file ("-" for stdin) with one step per line:

    expect REGEX      wait until the output since the last match matches
    send TEXT         write TEXT (escapes: \\r \\n \\t \\xNN)
    sendline TEXT     write TEXT and a carriage return
    eof               wait until the program closes the terminal

Lines starting with "#" and blank lines are ignored.  Everything the
program writes is copied to stdout.  Exit status: 0 when every step
completed, 1 with a message on stderr naming the step that timed out or
the program's early end, 2 on a usage error.  The lab tests use it to
drive the real ssh and telnet clients exactly as a person at a terminal
would (password prompts need a terminal).
"""

import argparse
import codecs
import os
import pty
import re
import select
import signal
import sys
import time


def parse_script(text):
    steps = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        op, _, arg = line.partition(" ")
        if op not in ("expect", "send", "sendline", "eof"):
            raise ValueError("line %d: unknown step %r" % (n, op))
        if op in ("send", "sendline"):
            arg = codecs.decode(arg, "unicode_escape")
        steps.append((n, op, arg))
    return steps


class Session:
    def __init__(self, argv, timeout):
        self.timeout = timeout
        self.buf = ""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "vt100"
            try:
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)

    def read_some(self, deadline):
        """Reads what is available; False at end of file or deadline."""
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], left)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            return False
        text = data.decode("utf-8", "replace")
        sys.stdout.write(text)
        sys.stdout.flush()
        self.buf += text
        return True

    def expect(self, pattern):
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + self.timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return True
            if not self.read_some(deadline):
                return False

    def eof(self):
        deadline = time.monotonic() + self.timeout
        while self.read_some(deadline):
            pass
        return time.monotonic() < deadline

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-t", type=float, default=20.0)
    ap.add_argument("script")
    ap.add_argument("argv", nargs="+")
    args = ap.parse_args()
    src = sys.stdin if args.script == "-" else open(args.script)
    try:
        steps = parse_script(src.read())
    except ValueError as e:
        print("ptyexpect: %s" % e, file=sys.stderr)
        return 2
    s = Session(args.argv, args.t)
    try:
        for n, op, arg in steps:
            if op == "expect" and not s.expect(arg):
                print("\nptyexpect: step %d: no /%s/ within %gs" %
                      (n, arg, args.t), file=sys.stderr)
                return 1
            if op == "send":
                s.send(arg)
            elif op == "sendline":
                s.send(arg + "\r")
            elif op == "eof" and not s.eof():
                print("\nptyexpect: step %d: no end of output within %gs" %
                      (n, args.t), file=sys.stderr)
                return 1
        return 0
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
