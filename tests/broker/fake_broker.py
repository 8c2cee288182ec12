"""A stand-in for lgbrokerd's admin socket that answers one lgctl query,
for tests/broker/test_lgctl.sh.  It writes to the socket only once the
client's QUERY has arrived (or after --wait seconds), and records in
--record the frame types it had received by then: "1 2" when the client
sent its query right behind HELLO without waiting for HELLO's answer.
Frames: include/lg_proto.h (u16 type, u16 flags, u32 length, u32 id)."""

import re
import argparse
import os
import socket
import struct
import time

HDR = struct.Struct(">HHII")



def proto_version():
    """LG_PROTO_VERSION, read from the header so this script follows it."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../include/lg_proto.h")) as f:
        return int(re.search(r"#define LG_PROTO_VERSION\s+(\d+)",
                             f.read()).group(1))

def lgstr(text):
    data = text.encode()
    return struct.pack(">H", len(data)) + data


def frame(kind, rid, payload):
    return HDR.pack(kind, 0, len(payload), rid) + payload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--wait", type=float, default=10)
    a = ap.parse_args()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(a.socket)
    srv.listen(1)
    srv.settimeout(60)
    conn, _ = srv.accept()
    buf, seen, qid = b"", [], None
    end = time.monotonic() + a.wait
    while qid is None and time.monotonic() < end:
        conn.settimeout(max(0.01, end - time.monotonic()))
        try:
            data = conn.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
        while len(buf) >= HDR.size:
            kind, _, length, rid = HDR.unpack_from(buf)
            if len(buf) < HDR.size + length:
                break
            buf = buf[HDR.size + length:]
            seen.append(str(kind))
            if kind == 2:
                qid = rid
    with open(a.record, "w") as f:
        f.write(" ".join(seen) + "\n")
    out = frame(1, 0, struct.pack(">H", proto_version()) + lgstr("fake_broker"))
    if qid is not None:
        out += frame(8, qid, lgstr("r1") + lgstr("show bgp ipv4 unicast x"))
        out += frame(9, qid, b"the answer\n")
        out += frame(10, qid, struct.pack(">HBIQ", 0, 0, 1, 11) + lgstr(""))
    try:
        conn.sendall(out)
        conn.settimeout(30)
        while conn.recv(65536):
            pass
    except OSError:
        pass
    conn.close()
    os.unlink(a.socket)


if __name__ == "__main__":
    main()
