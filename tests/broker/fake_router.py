#!/usr/bin/env python3
"""
Small hostile routers for the broker tests, each on its own port:

  --telnet NAME=PORT[:DELAY_MS]   a Cisco-like CLI over plain TCP (what the
        broker's telnet transport speaks when the peer negotiates
        nothing): Username/Password, prompt NAME#, and for every "show"
        command an answer holding a line to redact ("secret ...") and
        terminal controls: a lone 0x9B (CSI in 8 bits), U+009B written in
        UTF-8, and an ESC sequence.  DELAY_MS holds every answer back.
  --ssh-disconnect PORT   an "SSH server" that sends its banner and then
        SSH_MSG_DISCONNECT, before any key exchange, whose description
        forges a second status row and carries C1 bytes.

Runs until killed; prints "ready" once every port listens.
"""

import argparse
import socket
import socketserver
import struct
import sys
import threading
import time

ANSWER = (b"header for %s\r\n"
          b"secret 192.0.2.77 password hunter2\r\n"
          b"c1 [\x9b2J] [\xc2\x9b31m] [\x1b[31m] end\r\n"
          b"last line\r\n")
FORGED = (b"bye\r\nforged      up           1/1      1    0     0        0"
          b"        0      0  \x9b2J\xc2\x9b31m\nsecond line")


class Telnet(socketserver.BaseRequestHandler):
    def readline(self):
        buf = b""
        while not buf.endswith(b"\n") and not buf.endswith(b"\r"):
            ch = self.request.recv(1)
            if not ch:
                raise EOFError
            buf += ch
        return buf.strip(b"\r\n\x00")

    def handle(self):
        name, delay = self.server.name, self.server.delay
        prompt = b"\r\n" + name + b"#"
        s = self.request
        try:
            s.sendall(b"\r\nUser Access Verification\r\n\r\nUsername: ")
            self.readline()
            s.sendall(b"\r\nPassword: ")
            self.readline()
            s.sendall(prompt)
            while True:
                cmd = self.readline()
                if not cmd:
                    s.sendall(prompt)
                    continue
                out = cmd + b"\r\n"
                if cmd.startswith(b"show") and b"clock" not in cmd:
                    if delay:
                        time.sleep(delay / 1000.0)
                    out += ANSWER % cmd
                s.sendall(out + name + b"#")
        except (EOFError, OSError):
            pass


class SshDisconnect(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        try:
            s.sendall(b"SSH-2.0-fake\r\n")
            s.settimeout(5)
            try:
                s.recv(4096)
            except OSError:
                pass
            desc = FORGED
            payload = (bytes([1]) + struct.pack(">I", 2) +
                       struct.pack(">I", len(desc)) + desc +
                       struct.pack(">I", 0))
            pad = 8 - (len(payload) + 5) % 8
            if pad < 4:
                pad += 8
            pkt = (struct.pack(">IB", len(payload) + pad + 1, pad) +
                   payload + b"\0" * pad)
            s.sendall(pkt)
            time.sleep(0.5)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def serve(handler, port, **attrs):
    srv = Server(("127.0.0.1", port), handler)
    for k, v in attrs.items():
        setattr(srv, k, v)
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--telnet", action="append", default=[])
    ap.add_argument("--ssh-disconnect", type=int, action="append", default=[])
    a = ap.parse_args()
    for spec in a.telnet:
        name, rest = spec.split("=", 1)
        port, _, delay = rest.partition(":")
        serve(Telnet, int(port), name=name.encode(),
              delay=int(delay or 0))
    for port in a.ssh_disconnect:
        serve(SshDisconnect, port)
    print("ready")
    sys.stdout.flush()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
