#!/usr/bin/env python3
"""Opens and logs in N telnet sessions to lgemu's scale fleet and holds them.

   hold_telnet.py HOST FIRST_PORT COUNT USER PASSWORD SECONDS

One session per port FIRST_PORT .. FIRST_PORT+COUNT-1.  Telnet options are
refused (IAC DO/WILL answered with WONT/DONT), which every server must
accept; the server's echo is then our only echo.  Prints "ready N" once all
are at their prompt, then sleeps, then closes them."""
import socket
import sys
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240


def strip_iac(sock, data):
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b != IAC:
            out.append(b)
            i += 1
            continue
        if i + 1 >= len(data):
            break
        cmd = data[i + 1]
        if cmd in (DO, DONT, WILL, WONT) and i + 2 < len(data):
            opt = data[i + 2]
            if cmd == DO:
                sock.sendall(bytes([IAC, WONT, opt]))
            elif cmd == WILL:
                sock.sendall(bytes([IAC, DONT, opt]))
            i += 3
        elif cmd == SB:
            end = data.find(bytes([IAC, SE]), i)
            i = len(data) if end < 0 else end + 2
        else:
            i += 2
    return bytes(out)


def wait_for(sock, token, buf):
    deadline = time.time() + 20
    while token not in buf:
        if time.time() > deadline:
            raise TimeoutError(token)
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed")
        buf += strip_iac(sock, chunk)
    return buf[buf.index(token) + len(token):]


def main():
    host, port, count, user, pw, secs = sys.argv[1:7]
    socks = []
    for i in range(int(count)):
        s = socket.create_connection((host, int(port) + i), timeout=20)
        rest = wait_for(s, b"Username: ", b"")
        s.sendall(user.encode() + b"\r\n")
        rest = wait_for(s, b"Password: ", rest)
        s.sendall(pw.encode() + b"\r\n")
        wait_for(s, b"#", rest)
        socks.append(s)
    print("ready", len(socks), flush=True)
    time.sleep(float(secs))
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
