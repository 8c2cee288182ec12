#!/usr/bin/env python3
# The hostile-input suite's driver (python3 standard library only): reads
# tests/security/cases/*.txt, sends every case through every entry point
# that can carry it, in raw, percent-encoded and double-encoded forms,
# checks each answer, keeps checking that the daemons are alive, and at the
# end proves from the emulator's audit log (every line each router
# received), the broker's audit log and lgwebd's access log that nothing
# injected reached a router or a log.  Prints TAP lines ("ok N - ...");
# test_hostile.sh sets everything up.  README.md describes the case format
# and the assertions.

import argparse
import glob
import http.client
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

ROUTERS = ["ios1", "xr1", "nxos1", "junos1", "eos1"]
GOOD = {"bgp_route": "1.0.4.0/24", "route": "1.0.4.0/24",
        "bgp_community": "65000:100", "bgp_aspath": "^65000_",
        "ping": "1.1.1.1", "traceroute": "1.1.1.1", "mtr": "1.1.1.1",
        "bgp_neighbor_received": "80.249.208.41",
        "bgp_neighbor_advertised": "80.249.208.41"}
TYPES = set(GOOD) | {"bgp_summary"}
# RFC 8522 command path per query type.
RFC_PATH = {"bgp_route": "show/bgp", "route": "show/route",
            "bgp_community": "show/bgp/community",
            "bgp_aspath": "show/bgp/aspath", "ping": "ping",
            "traceroute": "traceroute", "mtr": "mtr",
            "bgp_neighbor_received": "show/bgp/neighbors/received-routes",
            "bgp_neighbor_advertised": "show/bgp/neighbors/advertised-routes"}
RFC_BASE = "/.well-known/looking-glass/v1/"
QTYPE = {"bgp_route": 0, "route": 1, "bgp_community": 2, "bgp_aspath": 3,
         "bgp_summary": 4, "ping": 5, "traceroute": 6, "bgp_neighbors": 7,
         "mtr": 8, "bgp_neighbor_received": 9, "bgp_neighbor_advertised": 10}
ERRS = ["ok", "bad_query", "denied", "unknown_router", "unknown_type",
        "rate_limited", "unsupported", "router_unreachable", "auth_failed",
        "hostkey_mismatch", "router_down", "command_failed", "busy",
        "broker_unavailable", "timeout", "cancelled", "internal"]
REFUSALS = {"bad_query", "denied", "unknown_router", "unknown_type"}
EXPECT = {
    "bad": {"bad_query"},
    "denied": {"denied"},
    "unknown": {"unknown_router", "unknown_type"},
    "reject": REFUSALS,
    # A safe result: the request may be answered, as long as nothing
    # injected reaches a router (checked per answer and in the audit log).
    "safe": REFUSALS | {"ok", "unsupported"},
    # Valid for the grammar, but no platform's CLI can be given it safely
    # (a '|' its CLI reads as a pipe, a '?' it reads as help): the
    # renderer refuses it, 501 unsupported.
    "unsupported": {"unsupported"},
}
# HTTP statuses a refusal may carry; never a 5xx.
CLIENT_ERRORS = {400, 403, 404, 405, 413, 414, 431}
MARKER_RE = re.compile(rb"LGX[0-9]{4}")
# Addresses no command sent to a router may name (the audit check).
INTERNAL_RE = re.compile(
    r"(?<![0-9.])(?:0|10|127)\.[0-9]+\.[0-9]+\.[0-9]+|"
    r"(?<![0-9.])(?:192\.168|169\.254|"
    r"100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])|"
    r"172\.(?:1[6-9]|2[0-9]|3[01]))\.[0-9]+\.[0-9]+|"
    r"(?<![0-9a-f:])(?:::1|::ffff:|64:ff9b:|2002:|fe80:|fc00:|fd00:|ff02:)",
    re.I)
MARKUP_RE = re.compile(rb"<[A-Za-z/!?]")
# Never in any answer: the routers' passwords, /etc/passwd, and (added in
# main) every line of the secret files beside the web root.
SECRETS = [b"lg-secret", b"lg-enable", b"LGXSECRET", b"root:x:0:0"]


class Tap:
    def __init__(self, start):
        self.n = start
        self.failed = 0
        self.counts = {}
        self.cases = {}

    def result(self, good, desc, diag=()):
        self.n += 1
        desc = desc.replace("\n", " ").replace("#", "%23")
        if good:
            print("ok %d - %s" % (self.n, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, desc))
            for d in diag:
                for line in str(d).splitlines()[:30]:
                    print("#   " + line)
        sys.stdout.flush()

    def count(self, cls, entry, name):
        """One request (or lgctl run, or frame) of case name."""
        self.counts[(cls, entry)] = self.counts.get((cls, entry), 0) + 1
        self.cases.setdefault((cls, entry), set()).add(name)


# --- case files --------------------------------------------------------

ESC = {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "v": b"\v",
       "f": b"\f", "e": b"\x1b", "s": b" ", "\\": b"\\"}


def unescape(text, marker="", hsuf=""):
    """Case-file escapes to bytes: \\n \\r \\t \\0 \\v \\f \\e \\s \\\\,
    \\xNN (one raw byte), \\uNNNN (UTF-8 of a code point), {M} the case's
    marker, {H} the hosts suffix, {R:N:text} text repeated N times."""
    text = re.sub(r"\{R:([0-9]+):([^}]*)\}",
                  lambda m: m.group(2) * int(m.group(1)), text)
    text = text.replace("{M}", marker).replace("{H}", hsuf)
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        k = text[i + 1]
        if k == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif k == "u":
            out += chr(int(text[i + 2:i + 6], 16)).encode("utf-8",
                                                         "surrogatepass")
            i += 6
        else:
            out += ESC[k]
            i += 2
    return bytes(out)


class Case:
    def __init__(self, cls, lineno, expect, field, text, payload, marker):
        self.cls, self.lineno, self.expect = cls, lineno, expect
        self.field, self.text, self.payload = field, text, payload
        self.marker = marker
        self.name = "%s:%d" % (cls, lineno)

    def label(self):
        t = self.text if len(self.text) <= 48 else self.text[:45] + "..."
        return "%s [%s] %s" % (self.name, self.field, t)


def load_cases(d, hsuf):
    cases, seq = [], 0
    for path in sorted(glob.glob(os.path.join(d, "*.txt"))):
        cls = os.path.basename(path)[:-4]
        with open(path, encoding="ascii") as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                m = re.match(r"(\S+)\s+(\S+)\s+(\S.*)$", line)
                if m is None:
                    raise SystemExit("%s:%d: want EXPECT FIELD PAYLOAD" %
                                     (path, lineno))
                parts = m.groups()
                seq += 1
                marker = "LGX%04d" % seq
                payload = unescape(parts[2], marker, hsuf)
                cases.append(Case(cls, lineno, parts[0], parts[1],
                                  parts[2], payload, marker))
    return cases


# --- HTTP over a raw socket ----------------------------------------------

class Http:
    """One keep-alive connection; requests are raw bytes (so anything can
    be sent), responses are parsed by http.client."""

    def __init__(self, host, port):
        self.host, self.port, self.sock = host, port, None
        self.requests = 0

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def send(self, method, target, headers=(), body=None):
        req = method + b" " + target + b" HTTP/1.1\r\n"
        req += b"Host: 127.0.0.1\r\n"
        for h in headers:
            req += h + b"\r\n"
        if body is not None:
            req += b"Content-Length: %d\r\n" % len(body)
        req += b"\r\n" + (body or b"")
        return self.raw(req, method)

    def raw(self, req, method=b"GET"):
        """Returns (status, headers dict lower-case, body) or (None, {},
        b"") when the server closed the connection without an answer."""
        self.requests += 1
        for attempt in (0, 1):
            if self.sock is None:
                self.sock = socket.create_connection((self.host, self.port),
                                                     timeout=20)
            try:
                self.sock.sendall(req)
                r = http.client.HTTPResponse(self.sock,
                                             method=method.decode("latin-1"))
                r.begin()
                body = r.read()
                hdrs = {k.lower(): v for k, v in r.getheaders()}
                if r.will_close:
                    self.close()
                return r.status, hdrs, body
            except socket.timeout:
                # No answer at all (libmicrohttpd drops some refused
                # requests only at connection_timeout): no status.
                self.close()
                return None, {}, b""
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError, http.client.BadStatusLine):
                self.close()
                if attempt == 1:
                    return None, {}, b""
                # A keep-alive connection the server had already closed:
                # one retry on a fresh one.
        return None, {}, b""


def pct(b):
    return urllib.parse.quote_from_bytes(b, safe="").encode()


def forms(payload):
    """The three encodings of a value in a URL."""
    p = pct(payload)
    return [("raw", payload), ("pct", p), ("dbl", pct(p))]


def url_ambiguous(b):
    """Raw bytes that change what an HTTP request means (query-string
    syntax, whitespace, controls, non-ASCII): the raw form of such a
    payload may be split, refused by the HTTP layer or answered safely."""
    return any(c in b"&#+%?" or c <= 0x20 or c >= 0x7f for c in b)


# --- checks on one answer ------------------------------------------------

def text_ok(s):
    """A decoded JSON string that lgwebd wrote itself (error message,
    command, target): no control characters, no line separators, no
    markup."""
    if s is None:
        return True
    return not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]|<[A-Za-z/!?]",
                         s)


def check_common(case, status, hdrs, body, sse=False):
    """Problems common to every HTTP answer."""
    probs = []
    if status is not None and status >= 500 and not (
            status == 501 and case is not None and
            case.expect in ("safe", "unsupported")):
        # 501 is "unsupported": a router that does not offer a query,
        # acceptable only as the answer to a query that may run.
        probs.append("server error %d" % status)
    for s in SECRETS:
        if s in body:
            probs.append("secret %r in the body" % s)
    if status is None:
        return probs
    ct = hdrs.get("content-type", "")
    lg_answer = ct.startswith("application/json") or \
        ct.startswith("text/event-stream")
    if lg_answer:
        if hdrs.get("x-content-type-options") != "nosniff":
            probs.append("no X-Content-Type-Options: nosniff")
    elif body:
        # Only libmicrohttpd's own refusals of a request it could not
        # parse come without our headers; they must not echo anything.
        if status not in (400, 413, 414, 431):
            probs.append("answer %d with content type %r" % (status, ct))
        if case is not None and case.marker.encode() in body:
            probs.append("non-JSON answer echoes the payload")
    if ct.startswith("text/html") and status != 200:
        probs.append("an error answered as text/html")
    return probs


def outcome_json(doc, rfc):
    """The outcome codes of a decoded JSON answer, plus the texts we wrote
    (messages, commands, targets) for the echo checks."""
    codes, texts, commands = [], [], []
    if rfc:
        st = doc.get("status")
        data = doc.get("data") or {}
        if st == "success":
            codes.append("ok")
            commands.append(data.get("command", ""))
        elif st == "fail":
            codes.append(data.get("code"))
            texts.append(data.get("message"))
        else:
            codes.append((data or {}).get("code"))
            texts.append(doc.get("message"))
        return codes, texts, commands
    if "error" in doc:
        codes.append(doc["error"].get("code"))
        texts.append(doc["error"].get("message"))
    for r in doc.get("results", []):
        if r.get("status") == "ok":
            codes.append("ok")
        else:
            codes.append(r.get("error", {}).get("code"))
            texts.append(r.get("error", {}).get("message"))
        commands.append(r.get("command"))
        texts.append(r.get("target"))
    return codes, texts, commands


def outcome_sse(body):
    """The outcome of an SSE stream: every data line is JSON; begin events
    carry commands and end events the status."""
    codes, texts, commands, probs = [], [], [], []
    event = None
    for line in body.split(b"\n"):
        if line.startswith(b"event: "):
            event = line[7:].decode()
        elif line.startswith(b"data: "):
            try:
                d = json.loads(line[6:])
            except ValueError:
                probs.append("SSE data is not JSON: %r" % line[:80])
                continue
            if event == "begin":
                commands.append(d.get("command"))
            elif event == "end":
                if d.get("status") == "ok":
                    codes.append("ok")
                else:
                    e = d.get("error") or {}
                    codes.append(e.get("code"))
                    texts.append(e.get("message"))
    if not codes:
        probs.append("SSE stream without an end event")
    return codes, texts, commands, probs


def judge(case, want, status, hdrs, body, rfc=False, sse=False,
          ambiguous=False):
    """Returns a list of problems with an answer (empty: pass)."""
    allowed = want | (EXPECT["safe"] if ambiguous else set())
    probs = check_common(case, status, hdrs, body, sse)
    if "unsupported" in allowed and status == 501:
        probs = [p for p in probs if not p.startswith("server error")]
    if status is None or (status in CLIENT_ERRORS and
                          not hdrs.get("content-type", "").startswith(
                              ("application/json", "text/event-stream"))):
        # The connection was closed, or libmicrohttpd refused a request it
        # could not parse: acceptable only for a raw form that is not
        # valid HTTP in the first place.
        if not ambiguous:
            probs.append("no JSON answer (status %s)" % status)
        return probs
    ct = hdrs.get("content-type", "")
    if sse and status == 200:
        if not ct.startswith("text/event-stream"):
            probs.append("stream answered as %r" % ct)
        codes, texts, commands, p = outcome_sse(body)
        probs += p
    else:
        if not ct.startswith("application/json"):
            probs.append("content type %r" % ct)
            return probs
        try:
            doc = json.loads(body)
        except ValueError:
            return probs + ["body is not JSON: %r" % body[:120]]
        codes, texts, commands = outcome_json(doc, rfc)
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", body):
        probs.append("raw control bytes in the body")
    if status != 200:
        # A refusal as a whole: the status must match the code.
        if status not in CLIENT_ERRORS and not (
                status == 501 and "unsupported" in allowed):
            probs.append("status %d is not a client error" % status)
    for t in texts:
        if not text_ok(t):
            probs.append("echoed text unsafe: %r" % t)
    marker = case.marker if case is not None else None
    for c in commands:
        if c is None:
            continue
        if not text_ok(c.replace("\n", " ")) or (marker and marker in c):
            probs.append("command run carries the payload: %r" % c)
        if INTERNAL_RE.search(c):
            probs.append("command names an internal address: %r" % c)
    bad = [c for c in codes if c not in allowed]
    if bad or not codes:
        probs.append("outcome %s, expected %s (status %s)" %
                     (codes, sorted(want), status))
    # What lgwebd can judge itself (syntax, policy on an address) it
    # refuses with an HTTP error before anything runs or streams; a
    # refusal inside a 200 (a JSON result, an SSE end event) comes only
    # from the broker: a name that resolves to an internal address, or a
    # target a platform's CLI cannot take.
    if status == 200 and case is not None and not ambiguous and \
            case.expect not in ("safe", "unsupported") and \
            case.cls != "hostnames" and \
            any(c in REFUSALS for c in codes):
        probs.append("refused inside a 200 instead of an HTTP error")
    return probs


# --- the broker socket ---------------------------------------------------

def frame(mtype, rid, payload, flags=0, length=None):
    if length is None:
        length = len(payload)
    return struct.pack(">HHII", mtype, flags, length, rid) + payload


def pstr(b):
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
    return frame(1, 0, struct.pack(">H", version) + pstr(b"hostile-test"))


def query(rid, router, qtype, target, afi=0, flags=0, vrf=b"",
          client=b"198.18.0.9", user=b""):
    p = pstr(router) + struct.pack(">BBH", qtype, afi, flags)
    p += pstr(target) + pstr(vrf) + pstr(client) + pstr(user)
    return frame(2, rid, p)


class Broker:
    """A connection to the broker's public socket, as lgwebd makes."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.buf = b""
        self.eof = False

    def send(self, data):
        try:
            self.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            self.eof = True

    def next(self, timeout=10):
        """One frame (type, rid, payload), or None at EOF or timeout."""
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 12:
                t, f, ln, rid = struct.unpack(">HHII", self.buf[:12])
                if len(self.buf) >= 12 + ln:
                    p = self.buf[12:12 + ln]
                    self.buf = self.buf[12 + ln:]
                    return t, rid, p
            if self.eof or time.time() > end:
                return None
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return None
            except ConnectionResetError:
                d = b""
            if not d:
                self.eof = True
            self.buf += d

    def closed(self, timeout=5):
        """Reads until EOF; returns (closed, frames seen)."""
        seen = []
        end = time.time() + timeout
        while time.time() < end:
            f = self.next(end - time.time())
            if f is None:
                break
            seen.append(f)
        return self.eof, seen

    def close(self):
        self.s.close()


def result_end(p):
    """RESULT_END payload: u16 error, u8 flags, u32 runtime, u64 bytes,
    str message."""
    err, = struct.unpack(">H", p[:2])
    ml, = struct.unpack(">H", p[15:17])
    return err, p[17:17 + ml]


def end_msg(p):
    err, = struct.unpack(">H", p[:2])
    ml, = struct.unpack(">H", p[2:4])
    return err, p[4:4 + ml]


def err_name(n):
    return ERRS[n] if n < len(ERRS) else "error%d" % n


def broker_query(path, q, rid):
    """Sends HELLO and one QUERY frame; returns (outcome, problems)."""
    b = Broker(path)
    probs = []
    b.send(hello())
    h = b.next()
    if h is None or h[0] != 1:
        b.close()
        return None, ["no HELLO from the broker"]
    b.send(q)
    code, commands = None, []
    while True:
        f = b.next()
        if f is None:
            break
        t, r, p = f
        if t == 8:	# RESULT_BEGIN: str router, str command
            rl, = struct.unpack(">H", p[:2])
            cl, = struct.unpack(">H", p[2 + rl:4 + rl])
            commands.append(p[4 + rl:4 + rl + cl])
        elif t == 10:
            e, msg = result_end(p)
            code = err_name(e)
            if re.search(rb"[\x00-\x1f\x7f]", msg):
                probs.append("RESULT_END message with control bytes")
            break
    out = "closed" if code is None and b.eof else code
    b.close()
    return out, probs, commands


# --- frame cases ---------------------------------------------------------

def build_frames(spec, hsuf):
    """The frame DSL of cases/broker_frames.txt (see README.md)."""
    out = bytearray()
    cur = None
    cut = None
    for tok in spec.split():
        if tok == "hello":
            out += hello()
        elif tok.startswith("hello="):
            out += hello(int(tok[6:]))
        elif tok.startswith("q="):
            rid, router, qt, afi, flags, target = tok[2:].split(",", 5)
            out += query(int(rid, 0), unescape(router), int(qt, 0),
                         unescape(target, "", hsuf), int(afi, 0),
                         int(flags, 0))
        elif tok.startswith("list="):
            out += frame(5, int(tok[5:]), b"")
        elif tok.startswith("["):
            t, r, f = (int(x, 0) for x in tok[1:].split(","))
            cur = [t, r, f, bytearray()]
        elif tok.startswith("]"):
            ln = int(tok[2:], 0) if tok.startswith("]=") else None
            out += frame(cur[0], cur[1], bytes(cur[3]), cur[2], ln)
            cur = None
        elif tok.startswith("cut="):
            cut = int(tok[4:])
        elif tok == "eof":
            pass
        else:
            k, v = tok.split("=", 1)
            rep = 1
            if "*" in k:
                k, n = k.split("*")
                rep = int(n)
            fmt = {"u8": ">B", "u16": ">H", "u32": ">I", "u64": ">Q"}
            if k in fmt:
                val = struct.pack(fmt[k], int(v, 0))
            elif k == "s":
                val = pstr(unescape(v) * rep)
            elif k == "b":
                val = unescape(v) * rep
            else:
                raise SystemExit("frame DSL: unknown token %r" % tok)
            (cur[3] if cur is not None else out).extend(val)
    if cut is not None:
        out = out[:cut]
    return bytes(out)


def run_frame_case(args, tap, case):
    data = build_frames(case.text, args.hosts_suffix)
    b = Broker(args.broker_socket)
    b.send(data)
    if case.expect.startswith("closed") or case.expect == "hello-refused":
        # A duplicate in-flight id may let the first query begin.
        began_ok = case.expect == "closed-dup"
        if case.text.split()[-1] == "eof":
            try:
                b.s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        closed, seen = b.closed()
        probs = []
        if not closed:
            probs.append("connection still open after 5 s")
        types = [t for t, r, p in seen]
        if 8 in types and not began_ok:
            probs.append("a query began")
        if case.expect == "hello-refused":
            ends = [end_msg(p) for t, r, p in seen if t == 7]
            if not ends or err_name(ends[0][0]) != "internal" or \
                    b"not supported" not in ends[0][1]:
                probs.append("no END internal 'version not supported': %r"
                             % (seen,))
        elif any(t not in (1, 6, 7, 10) + ((8, 9) if began_ok else ())
                 for t in types):
            probs.append("unexpected frames %r" % types)
    else:
        probs = []
        want = set(case.expect.split("=", 1)[1].split(","))
        seen = []
        got = None
        while True:
            f = b.next(5)
            if f is None:
                break
            seen.append(f[0])
            if f[0] in (7, 10):
                e = end_msg(f[2]) if f[0] == 7 else result_end(f[2])
                got = err_name(e[0])
                if f[0] == 7 or got != "ok" or "ok" in want:
                    break
        if got not in want:
            probs.append("outcome %s (frames %r, eof %s), expected %s" %
                         (got, seen, b.eof, sorted(want)))
        if 8 in seen and "ok" not in want:
            probs.append("a query began")
    b.close()
    tap.count(case.cls, "broker frame", case.name)
    tap.result(not probs, "%s broker frame: %s" % (case.name, case.expect),
               probs)


# --- entry points for field cases ----------------------------------------

class Runner:
    def __init__(self, args, tap):
        self.args, self.tap = args, tap
        u = urllib.parse.urlsplit(args.url)
        self.http = Http(u.hostname, u.port)
        self.seq = 0

    def router_for(self, case):
        self.seq += 1
        return ROUTERS[self.seq % len(ROUTERS)].encode()

    def fields(self, case, value):
        """(router, type, target, afi) bytes with the case's field set."""
        router = self.router_for(case)
        qtype = case.field if case.field in TYPES else "bgp_route"
        f = {"router": router, "type": qtype.encode(),
             "target": GOOD.get(qtype, "").encode(), "afi": None}
        if case.field in TYPES:
            f["target"] = value
        else:
            f[case.field] = value
        return f

    def qs(self, f):
        parts = [b"router=" + f["router"], b"type=" + f["type"]]
        if f["target"]:
            parts.append(b"target=" + f["target"])
        if f["afi"] is not None:
            parts.append(b"afi=" + f["afi"])
        return b"&".join(parts)

    def encode_fields(self, case, value):
        """The case's value as given, the other fields percent-encoded."""
        f = self.fields(case, value)
        k = case.field if case.field not in TYPES else "target"
        for key in ("router", "type", "target"):
            if key != k and f[key]:
                f[key] = pct(f[key])
        return f

    def expect(self, case, form, value):
        want = EXPECT[case.expect]
        if form == "dbl" and pct(case.payload) != case.payload:
            # After one decoding the server sees percent signs: refused
            # whatever the case expects of the payload itself.
            want = want | REFUSALS
        return want

    def one(self, case, entry, form, want, resp, rfc=False, sse=False,
            ambiguous=False):
        status, hdrs, body = resp
        probs = judge(case, want, status, hdrs, body, rfc, sse, ambiguous)
        self.tap.count(case.cls, entry, case.name)
        return probs

    def group(self, case, entry, results):
        """One TAP line per case and entry point: forms aggregated."""
        probs = []
        for form, p in results:
            probs += ["%s: %s" % (form, x) for x in p]
        self.tap.result(not probs, "%s %s (%s)" % (
            case.label(), entry, ",".join(f for f, p in results)), probs)

    def run_get(self, case, path, entry, sse=False):
        res = []
        for form, v in forms(case.payload):
            f = self.encode_fields(case, v)
            amb = form == "raw" and url_ambiguous(case.payload)
            r = self.http.send(b"GET", path + b"?" + self.qs(f))
            res.append((form, self.one(case, entry, form,
                                       self.expect(case, form, v), r,
                                       sse=sse, ambiguous=amb)))
        self.group(case, entry, res)

    def run_post(self, case):
        res = []
        fl = forms(case.payload)
        try:
            case.payload.decode("utf-8")
            if re.search(rb"[^\x20-\x7e]", case.payload):
                # Non-ASCII and controls as JSON \u escapes as well.
                fl.insert(1, ("json", case.payload))
        except UnicodeDecodeError:
            pass
        for form, v in fl:
            f = self.fields(case, b"")
            k = case.field if case.field not in TYPES else "target"
            parts = []
            for key in ("router", "type", "target", "afi"):
                val = v if key == k else f[key]
                if val is None or (key == "target" and not val and
                                   k != "target"):
                    continue
                try:
                    sval = json.dumps(val.decode("utf-8"),
                                      ensure_ascii=(form != "raw"))
                    jb = sval.encode("utf-8")
                except UnicodeDecodeError:
                    # Not UTF-8: the bytes go into the body as they are
                    # (invalid JSON text, which must be refused).
                    jb = b'"' + val.replace(b'"', b'\\"') + b'"'
                parts.append(b'"' + key.encode() + b'":' + jb)
            body = b"{" + b",".join(parts) + b"}"
            r = self.http.send(b"POST", b"/api/v1/query",
                               [b"Content-Type: application/json"], body)
            want = EXPECT[case.expect]
            if form in ("pct", "dbl") and pct(case.payload) != case.payload:
                # JSON bodies are not percent-decoded: the server sees
                # the escapes themselves.
                want = want | (REFUSALS if case.expect != "safe"
                               else set())
            res.append((form, self.one(case, "POST json", form, want, r)))
        self.group(case, "POST json", res)

    def run_rfc(self, case):
        res = []
        for form, v in forms(case.payload):
            amb = form == "raw" and url_ambiguous(case.payload)
            want = self.expect(case, form, v)
            router = self.router_for(case)
            if case.field in RFC_PATH:
                target = RFC_BASE.encode() + \
                    RFC_PATH[case.field].encode() + b"/" + v + \
                    b"?router=" + router
                # A segment that is too long, or holds a control byte or
                # a '/', makes a path that names no command: 404
                # unknown_type is that refusal.
                if len(case.payload) > 255 or b"/" in case.payload or \
                        re.search(rb"[\x00-\x1f\x7f]", case.payload):
                    want = want | {"unknown_type"}
            elif case.field == "router":
                target = RFC_BASE.encode() + b"show/bgp/1.0.4.0/24?router=" \
                    + v
            elif case.field == "afi":
                target = RFC_BASE.encode() + \
                    b"show/bgp/1.0.4.0/24?protocol=" + v + b"&router=" + \
                    router
            elif case.field == "type":
                target = RFC_BASE.encode() + v + b"/1.0.4.0/24?router=" + \
                    router
                want = want | {"unknown_type"}
            else:
                return
            r = self.http.send(b"GET", target)
            res.append((form, self.one(case, "RFC 8522", form, want, r,
                                       rfc=True, ambiguous=amb)))
        self.group(case, "RFC 8522", res)

    def run_lgctl(self, case):
        f = self.fields(case, case.payload)
        if b"\0" in b"".join(x for x in f.values() if x):
            # argv cannot carry a NUL; the other entry points do.
            return
        argv = [self.args.lgctl, "-s", self.args.admin_socket, "-t", "20"]
        for mode in ("-j", "text"):
            cmd = argv + ([mode] if mode == "-j" else []) + ["query"]
            if f["afi"] is not None:
                cmd += ["-a", f["afi"]]
            cmd += [f["router"], f["type"]]
            if f["target"]:
                cmd.append(f["target"])
            cmd = [c if isinstance(c, bytes) else c.encode() for c in cmd]
            p = subprocess.run(cmd, capture_output=True, timeout=60)
            probs = []
            out = p.stdout + p.stderr
            if p.returncode < 0 or p.returncode > 3:
                probs.append("lgctl exited %d" % p.returncode)
            if re.search(rb"Sanitizer|runtime error", out):
                probs.append("sanitizer report: %r" % out[-300:])
            if case.expect != "safe" and p.returncode == 0:
                probs.append("the query ran (exit 0)")
            if mode == "-j" and p.returncode == 1 and p.stdout:
                try:
                    doc = json.loads(p.stdout)
                    codes, texts, commands = outcome_json(doc, False)
                    want = EXPECT[case.expect]
                    if any(c not in want for c in codes):
                        probs.append("outcome %s, expected %s" %
                                     (codes, sorted(want)))
                    for c in commands:
                        if c and case.marker in c:
                            probs.append("command carries the payload")
                except ValueError:
                    probs.append("-j output is not JSON: %r" % p.stdout[:100])
            self.tap.count(case.cls, "lgctl", case.name)
            self.tap.result(not probs, "%s lgctl %s (exit %d)" % (
                case.label(), mode, p.returncode), probs)

    def run_frame(self, case):
        if case.field not in TYPES and case.field != "router":
            return
        res = []
        for form, v in forms(case.payload)[:2]:
            f = self.fields(case, v)
            q = query(7, f["router"], QTYPE[f["type"].decode()],
                      f["target"])
            out, probs, commands = broker_query(self.args.broker_socket, q, 7)
            want = EXPECT[case.expect]
            if form == "pct" and pct(case.payload) != case.payload:
                want = want | (REFUSALS if case.expect != "safe" else set())
            ctl = any(c < 0x20 or c == 0x7f for c in v) or \
                len(v) > 256 or (case.field == "router" and len(v) >= 64)
            if out == "closed":
                if not ctl:
                    probs.append("connection closed on a well-formed frame")
            elif out not in want:
                probs.append("outcome %s, expected %s" % (out, sorted(want)))
            for c in commands:
                if case.marker.encode() in c or \
                        INTERNAL_RE.search(c.decode("latin-1")):
                    probs.append("command run: %r" % c)
            self.tap.count(case.cls, "broker frame", case.name)
            res.append((form, probs))
        self.group(case, "broker frame", res)

    def run_case(self, case):
        if case.field in TYPES or case.field in ("router", "type", "afi"):
            self.run_get(case, b"/api/v1/query", "GET json")
            self.run_post(case)
            self.run_get(case, b"/api/v1/query/stream", "GET sse", sse=True)
            self.run_rfc(case)
            self.run_lgctl(case)
            self.run_frame(case)
        elif case.field in ("path", "rfcpath"):
            self.run_path(case)
        elif case.field.startswith("method:"):
            self.run_method(case)
        elif case.field in ("query", "rfcquery", "stream"):
            self.run_query_string(case)
        elif case.field == "body":
            self.run_body(case)
        elif case.field == "header":
            self.run_header(case)
        elif case.field == "frames":
            run_frame_case(self.args, self.tap, case)
        else:
            raise SystemExit("%s: unknown field %r" % (case.name, case.field))

    def run_case_safely(self, case):
        """A bug in this script fails the case, not the whole run."""
        try:
            self.run_case(case)
        except Exception as e:	# noqa: BLE001 - reported as a failure
            self.http.close()
            self.tap.result(False, "%s: the test itself raised %s: %s" %
                            (case.name, type(e).__name__, e))

    # --- non-field cases

    def status_ok(self, case, status, hdrs, body, rfc=False):
        probs = check_common(case, status, hdrs, body)
        want = case.expect
        if want.isdigit():
            if status != int(want):
                probs.append("status %s, expected %s" % (status, want))
        elif want == "4xx":
            # A request that is not HTTP at all may be dropped unanswered.
            if status is not None and status not in CLIENT_ERRORS:
                probs.append("status %s, expected a client error" % status)
        elif want == "safe":
            if status is not None and status >= 500:
                probs.append("status %s" % status)
        if status is not None and status >= 400 and \
                hdrs.get("content-type", "").startswith("application/json"):
            try:
                doc = json.loads(body)
                codes, texts, commands = outcome_json(doc, rfc)
                for t in texts:
                    if not text_ok(t):
                        probs.append("echoed text unsafe: %r" % t)
            except ValueError:
                probs.append("body is not JSON")
        ct = hdrs.get("content-type", "")
        if MARKUP_RE.search(body) and status != 200 and \
                ct.startswith("application/json"):
            probs.append("markup in an error body")
        if status is not None and status >= 400 and \
                not ct.startswith("application/json") and len(body) > 2048:
            probs.append("a long non-JSON error body")
        if case.marker.encode() in body and \
                not hdrs.get("content-type", "").startswith(
                    "application/json"):
            probs.append("payload echoed outside JSON")
        return probs

    def run_path(self, case):
        res = []
        variants = [("raw", case.payload)]
        for form, v in variants:
            r = self.http.send(b"GET", v)
            res.append((form, self.status_ok(case, *r,
                                             rfc=case.field == "rfcpath")))
            self.tap.count(case.cls, "static/RFC 8522 path", case.name)
        self.group(case, "GET path", res)

    def run_method(self, case):
        method = unescape(case.field.split(":", 1)[1])
        hdr = [b"X-Probe: <script>" + case.marker.encode() + b"</script>"]
        r = self.http.send(method, case.payload, hdr,
                           b"{}" if method in (b"PUT", b"PATCH", b"POST")
                           else None)
        probs = self.status_ok(case, *r)
        if case.expect == "405" and r[0] == 405 and "allow" not in r[1]:
            probs.append("405 without Allow")
        if case.marker.encode() in r[2]:
            probs.append("request header echoed")
        self.tap.count(case.cls, "HTTP method", case.name)
        self.group(case, method.decode(), [("raw", probs)])

    def run_query_string(self, case):
        base = {"query": b"/api/v1/query?", "stream": b"/api/v1/query/stream?",
                "rfcquery": RFC_BASE.encode() + b"show/bgp/1.0.4.0/24?"}
        r = self.http.send(b"GET", base[case.field] + case.payload)
        probs = self.status_ok(case, *r, rfc=case.field == "rfcquery")
        entry = {"query": "GET json", "stream": "GET sse",
                 "rfcquery": "RFC 8522"}[case.field]
        self.tap.count(case.cls, entry, case.name)
        self.group(case, "GET " + case.field, [("raw", probs)])

    def run_body(self, case):
        r = self.http.send(b"POST", b"/api/v1/query",
                           [b"Content-Type: application/json"], case.payload)
        probs = self.status_ok(case, *r)
        self.tap.count(case.cls, "POST json", case.name)
        self.group(case, "POST body", [("raw", probs)])

    def run_header(self, case):
        hdrs = case.payload.split(b"\r\n")
        r = self.http.send(b"GET", b"/api/v1/query?router=ios1&type="
                           b"bgp_route&target=1.0.4.0/24", hdrs)
        probs = self.status_ok(case, *r)
        self.tap.count(case.cls, "GET json", case.name)
        self.group(case, "GET header", [("raw", probs)])
        self.http.close()

    # --- liveness

    def alive(self, what):
        probs = []
        for name, pid in (("lgwebd", self.args.web_pid),
                          ("lgbrokerd", self.args.broker_pid)):
            try:
                os.kill(pid, 0)
            except OSError:
                probs.append("%s (pid %d) is gone" % (name, pid))
        h = Http(self.http.host, self.http.port)
        try:
            s, hd, b = h.send(b"GET", b"/healthz")
            if s != 200:
                probs.append("/healthz answered %s %r" % (s, b[:100]))
            s, hd, b = h.send(b"GET", b"/api/v1/query?router=ios1&type="
                              b"bgp_route&target=1.0.4.0/24")
            if s != 200 or json.loads(b)["results"][0]["status"] != "ok":
                probs.append("a good query failed: %s %r" % (s, b[:200]))
        except (OSError, ValueError, KeyError) as e:
            probs.append("lgwebd: %s" % e)
        h.close()
        try:
            b = Broker(self.args.broker_socket)
            b.send(hello() + frame(5, 1, b""))
            seen = []
            while True:
                f = b.next()
                if f is None or f[0] == 7:
                    seen.append(f)
                    break
                seen.append(f)
            b.close()
            if seen[-1] is None or err_name(end_msg(seen[-1][2])[0]) != "ok":
                probs.append("broker LIST_ROUTERS failed: %r" % seen)
        except OSError as e:
            probs.append("broker socket: %s" % e)
        self.tap.result(not probs, "alive after %s: both daemons, /healthz, "
                        "a good query, LIST_ROUTERS" % what, probs)
        return not probs


# --- the end: logs ---------------------------------------------------------

def audit_escape(b):
    """The emulator's audit escaping: bytes outside printable ASCII and the
    backslash as \\xNN."""
    return "".join(chr(c) if 0x20 <= c < 0x7f and c != 0x5c else
                   "\\x%02x" % c for c in b)


def check_logs(args, tap, cases):
    markers = {c.marker: c for c in cases}
    files = sorted(glob.glob(os.path.join(args.emu_audit, "*.log")))
    tap.result(len(files) >= len(ROUTERS), "emulator audit logs for every "
               "router (%d files)" % len(files))
    lines = 0
    hits, internal, sent = [], [], 0
    for path in files:
        with open(path, "rb") as f:
            for rec in f:
                lines += 1
                for m in MARKER_RE.findall(rec):
                    hits.append("%s: %s (%s)" % (os.path.basename(path),
                                                 rec.strip()[:160],
                                                 getattr(markers.get(
                                                     m.decode()), "name",
                                                     "?")))
                parts = rec.rstrip(b"\n").split(b"\t")
                if len(parts) >= 6 and parts[4] == b"line":
                    sent += 1
                    cmd = b"\t".join(parts[5:]).decode("latin-1")
                    if INTERNAL_RE.search(cmd):
                        internal.append("%s: %s" % (os.path.basename(path),
                                                    cmd))
    tap.result(sent > 20, "the routers received commands (%d lines in %d "
               "audit records): the audit log is live" % (sent, lines))
    tap.result(not hits, "no marker of the %d cases in any router's audit "
               "log" % len(cases), hits[:20])
    tap.result(not internal, "no command line sent to a router names an "
               "internal address", internal[:20])
    # Raw payloads without a marker (forbidden targets): none was sent.
    leaked = []
    recs = b""
    for path in files:
        with open(path, "rb") as f:
            recs += b"\n".join(l for l in f.read().split(b"\n")
                               if b"\tline\t" in l) + b"\n"
    for c in cases:
        if c.field in TYPES and c.marker not in c.text and \
                len(c.payload) >= 6 and c.expect != "safe":
            # As a whole word of a command line (the audit log writes
            # CR, LF and the backslash as \xNN).
            needle = re.escape(audit_escape(c.payload).encode())
            if re.search(rb"(?:^|[\s\"'])" + needle + rb"(?:$|[\s\"'\\])",
                         recs, re.M):
                leaked.append("%s %r" % (c.name, c.payload))
    tap.result(not leaked, "no refused target reached a router in any "
               "spelling", leaked[:20])
    # The broker's audit log: JSON per line; whatever ran had a clean
    # target.
    bad = []
    n = 0
    try:
        with open(args.broker_audit, "rb") as f:
            for rec in f:
                n += 1
                try:
                    d = json.loads(rec)
                except ValueError:
                    bad.append("not JSON: %r" % rec[:120])
                    continue
                t = d.get("target", "")
                # Refusals are logged with the target as received (JSON
                # escaped); anything else ran, and must be clean.
                if d.get("status") not in REFUSALS and (
                        MARKER_RE.search(t.encode()) or
                        INTERNAL_RE.search(t)):
                    bad.append(rec.strip()[:200])
    except OSError as e:
        bad.append(str(e))
    tap.result(n > 0 and not bad, "broker audit log: %d JSON lines, no run "
               "query with a marker or an internal target" % n, bad[:20])
    # The daemons' own logs (stderr here, syslog in production): no raw
    # control or non-ASCII byte, and every query line of the broker has
    # exactly its fields, whatever the target was (no forged
    # "status=ok").
    qline = re.compile(rb"lgbrokerd: query client=\S+ "
                       rb"audience=(public|staff) user=\S+ router=\S* type=\S+ "
                       rb"target=\S+ status=[a-z_]+ runtime_ms=[0-9]+ "
                       rb"bytes=[0-9]+")
    for path in (args.broker_log, args.web_log):
        bad, n = [], 0
        with open(path, "rb") as f:
            for rec in f:
                n += 1
                rec = rec.rstrip(b"\n")
                if re.search(rb"[\x00-\x08\x0a-\x1f\x7f-\xff]", rec):
                    bad.append(rec[:160])
                elif b" query client=" in rec and not qline.fullmatch(rec):
                    bad.append(rec[:160])
        tap.result(not bad, "%s: %d lines, printable ASCII only, query "
                   "lines with exactly their fields" %
                   (os.path.basename(path), n), bad[:10])
    # lgwebd's access log: one JSON object a line whatever was asked
    # (no log injection by CR, LF or separators).
    bad, n = [], 0
    try:
        with open(args.access_log, "rb") as f:
            for rec in f:
                n += 1
                try:
                    json.loads(rec)
                except ValueError:
                    bad.append(rec[:160])
                if re.search(rb"[\x00-\x1f\x7f]", rec.rstrip(b"\n")) or \
                        b"\xe2\x80\xa8" in rec or b"\xe2\x80\xa9" in rec:
                    bad.append(rec[:160])
    except OSError as e:
        bad.append(str(e))
    tap.result(n > 0 and not bad, "access log: %d lines, each one JSON "
               "object without raw control bytes or line separators" % n,
               bad[:20])


def router_output_xss(runner):
    """Markup and terminal escapes in router output (fixtures edited by
    test_hostile.sh) come out as JSON string data, never as HTML."""
    tap, h = runner.tap, runner.http
    checks = [
        (b"/api/v1/query?router=ios1&type=traceroute&target=1.1.1.1",
         "json", '<script>alert("LGXOUT1")</script>'),
        (b"/api/v1/query/stream?router=ios1&type=traceroute&target=1.1.1.1",
         "sse", '<script>alert("LGXOUT1")</script>'),
        (RFC_BASE.encode() + b"traceroute/1.1.1.1?router=ios1", "rfc",
         '<script>alert("LGXOUT1")</script>'),
        (b"/api/v1/query?router=ios1&type=bgp_summary&afi=ipv4", "json",
         'onerror=alert("LGXOUT2")'),
    ]
    for path, kind, needle in checks:
        s, hd, body = h.send(b"GET", path)
        probs = []
        ct = hd.get("content-type", "")
        if s != 200:
            probs.append("status %s %r" % (s, body[:200]))
        if hd.get("x-content-type-options") != "nosniff":
            probs.append("no nosniff")
        if kind == "sse":
            if not ct.startswith("text/event-stream"):
                probs.append("content type %r" % ct)
            text = ""
            for line in body.split(b"\n"):
                if line.startswith(b"data: "):
                    d = json.loads(line[6:])
                    text += d.get("text", "") or ""
        else:
            if not ct.startswith("application/json"):
                probs.append("content type %r" % ct)
            try:
                d = json.loads(body)
                if kind == "rfc":
                    text = "\n".join(d["data"]["output"])
                else:
                    text = d["results"][0]["output"]
            except (ValueError, KeyError, IndexError) as e:
                text = ""
                probs.append("answer: %s %r" % (e, body[:200]))
        if needle not in text:
            probs.append("router output not carried as data: %r" %
                         text[:300])
        if re.search("[\x00-\x08\x0b-\x1f\x7f]", text):
            probs.append("terminal escapes reach the client: %r" % text)
        entry = {"json": "GET json", "sse": "GET sse", "rfc": "RFC 8522"}
        tap.count("router_output", entry[kind], needle)
        tap.result(not probs, "router output with markup (%s) is JSON "
                   "string data with nosniff, %s" % (needle, kind), probs)
    # The escape sequences in the BGP summary fixture are cleaned.
    s, hd, body = h.send(b"GET", b"/api/v1/query?router=ios1&"
                         b"type=bgp_summary&afi=ipv4")
    try:
        out = json.loads(body)["results"][0]["output"]
    except (ValueError, KeyError, IndexError):
        out = ""
    tap.count("router_output", "GET json", "escapes")
    tap.result("LGXOUT3" not in out and "\x1b" not in out and
               "Terminal:" in out,
               "terminal escapes in router output (OSC title, clear screen) "
               "are removed", [repr(out[-300:])])


def rate_limit(runner):
    """The one low limit of the test config: bgp_summary 3/min."""
    h = runner.http
    last = None
    for i in range(6):
        last = h.send(b"GET", b"/api/v1/query?router=eos1&type=bgp_summary")
        if last[0] == 429:
            break
    s, hd, body = last
    probs = []
    if s != 429:
        probs.append("no 429 after 6 queries: %s" % s)
    if not re.fullmatch(r"[0-9]+", hd.get("retry-after", "")):
        probs.append("Retry-After: %r" % hd.get("retry-after"))
    try:
        if json.loads(body)["error"]["code"] != "rate_limited":
            probs.append("code is not rate_limited")
    except (ValueError, KeyError):
        probs.append("body %r" % body[:100])
    runner.tap.result(not probs, "a low rate limit answers 429 "
                      "rate_limited with Retry-After", probs)


def main():
    ap = argparse.ArgumentParser()
    for a in ("url", "cases", "broker-socket", "admin-socket", "lgctl",
              "emu-audit", "broker-audit", "access-log", "hosts-suffix",
              "broker-log", "web-log",
              "secret-dir", "tap-state"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--web-pid", type=int, required=True)
    ap.add_argument("--broker-pid", type=int, required=True)
    ap.add_argument("--tap-start", type=int, default=0)
    ap.add_argument("--only", default=None, help="run one class")
    args = ap.parse_args()

    for name in ("secret.txt", "credentials.conf"):
        with open(os.path.join(args.secret_dir, name), "rb") as f:
            SECRETS.extend(l.strip() for l in f if len(l.strip()) >= 8)
    tap = Tap(args.tap_start)
    cases = load_cases(args.cases, args.hosts_suffix)
    if args.only:
        cases = [c for c in cases if c.cls == args.only]
    runner = Runner(args, tap)
    t0 = time.time()
    classes = []
    for c in cases:
        if c.cls not in classes:
            classes.append(c.cls)
    for cls in classes:
        t1 = time.time()
        for c in cases:
            if c.cls == cls:
                runner.run_case_safely(c)
        runner.http.close()
        runner.alive("class %s" % cls)
        print("# class %s: %.1f s" % (cls, time.time() - t1))
    router_output_xss(runner)
    rate_limit(runner)
    check_logs(args, tap, cases)
    runner.alive("everything")

    # The closing note: cases and requests per class and entry point.
    entries = sorted({e for (c, e) in tap.counts})
    print("# hostile cases per class: " + ", ".join(
        "%s %d" % (cls, sum(1 for c in cases if c.cls == cls))
        for cls in classes) + " (total %d)" % len(cases))
    print("# cases per class and entry point:")
    for cls in classes + ["router_output"]:
        row = ["%s %d" % (e, len(tap.cases[(cls, e)])) for e in entries
               if (cls, e) in tap.cases]
        print("#   %-16s %s" % (cls, ", ".join(row)))
    print("# checks per class and entry point (case x form):")
    for cls in classes + ["router_output"]:
        row = ["%s %d" % (e, tap.counts[(cls, e)]) for e in entries
               if (cls, e) in tap.counts]
        print("#   %-16s %s" % (cls, ", ".join(row)))
    print("# %d HTTP requests, %.1f s" % (runner.http.requests,
                                          time.time() - t0))
    with open(args.tap_state, "w") as f:
        f.write("%d %d\n" % (tap.n, tap.failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
