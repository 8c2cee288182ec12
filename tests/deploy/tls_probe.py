"""A TLS client for tests/deploy: connects to a broker's broker.listen_tls
the way a front would (HELLO frame, protocol version from
include/lg_proto.h) and reports what came back.

  tls_probe.py HOST PORT CA [CERT KEY]   prints "frames N" (frames read
      before the broker closed or 3 s passed) or "refused: REASON" (a TLS
      error; with TLS 1.3 a refused client certificate may instead show
      as the broker closing: "frames 0");
  tls_probe.py --fingerprint HOST PORT CA CERT KEY   prints the SHA-256
      of the broker's certificate (DER), or "refused: REASON".
The broker's name is not checked here (CA only); lgwebd checks it."""

import hashlib
import os
import re
import socket
import ssl
import struct
import sys

HDR = struct.Struct(">HHII")


def version():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../include/lg_proto.h")) as f:
        return int(re.search(r"#define LG_PROTO_VERSION\s+(\d+)",
                             f.read()).group(1))


def hello():
    sw = b"tls_probe"
    payload = struct.pack(">H", version()) + struct.pack(">H", len(sw)) + sw
    return HDR.pack(1, 0, len(payload), 0) + payload


def connect(host, port, ca, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.load_verify_locations(ca)
    if cert:
        ctx.load_cert_chain(cert, key)
    raw = socket.create_connection((host, int(port)), timeout=3)
    return ctx.wrap_socket(raw)


def frames(s):
    buf, n = b"", 0
    try:
        s.sendall(hello())
        while True:
            data = s.recv(65536)
            if not data:
                break
            buf += data
            while len(buf) >= HDR.size:
                _, _, length, _ = HDR.unpack_from(buf)
                if len(buf) < HDR.size + length:
                    break
                buf = buf[HDR.size + length:]
                n += 1
            if n > 0:
                break
    except socket.timeout:
        pass
    except (ssl.SSLError, OSError) as e:
        if n == 0:
            return "refused: %s" % e
    return "frames %d" % n


def main():
    a = sys.argv[1:]
    fp = a and a[0] == "--fingerprint"
    if fp:
        a = a[1:]
    host, port, ca = a[0], a[1], a[2]
    cert = a[3] if len(a) > 3 else None
    key = a[4] if len(a) > 4 else None
    try:
        s = connect(host, port, ca, cert, key)
    except (ssl.SSLError, OSError) as e:
        print("refused: %s" % e)
        return
    if fp:
        print(hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest())
    else:
        print(frames(s))
    s.close()


main()
