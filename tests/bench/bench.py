#!/usr/bin/env python3
"""Lorgnette benchmarks: measures the figures of DESIGN.md section 9.

    bench.py [--quick] [--build DIR] [--out FILE] [--only NAME,...]

Run by bench.sh, which builds the programs and brings up the lab.  This
driver starts everything else it needs in a private run directory (two
lgemu instances, lgbrokerd and lgwebd with generated configurations),
measures, prints a table and writes the results as JSON.  Every figure
whose target is a ratio is measured side by side in the same run, the two
sides interleaved, because the machine is shared and noisy.

Measurements (names for --only):
  warm     bgp_route through lgwebd's JSON API on a warm session to lab
           router r1, vs the same command typed into an open interactive
           session (ssh -tt into vtysh; telnet into bgpd's vty)
  login    the same lookup with a fresh login each time (ssh host 'cmd',
           a telnet login) vs Lorgnette
  fanout   one query to 20 emulated routers with response delays vs the
           slowest of them alone
  scale    1,000 emulated routers in one lgbrokerd (telnet, then SSH):
           time until all are up, memory per session, latency under load
  front    wrk against a cached /api/v1/query and the static page
  big      a full-table answer streamed through both daemons: peak RSS of
           each for two output sizes, time to first byte vs total
  hang     queries to healthy routers with and without a hanging router
  flood    queries to a healthy router on the broker's socket with and
           without another connection sending 300,000 QUERY frames
  parse    the parse engine's CPU throughput per driver on one core, JIT
           off as deployed: real route answers (shared fixtures) repeated
           to 16 MiB, with the default prefix cap and with every line
           parsed (bench_parse)
  parse_lab  the lab's whole table as one answer from r1 over telnet,
           with and without the driver's parse rules: wall time ratio,
           and the broker's peak RSS unparsed and parsed
  chaos    lgbrokerd killed and started again: until lgwebd reconnects,
           lists the routers and answers
  store    a query with and without store=1 (its answer written to
           SQLite), and reading a stored result back
  redis    a cached query with the in-process cache and with web.store
           (a redis-server), and cached requests per second on one front
           and on three fronts sharing the store
"""

import argparse
import datetime
import http.client
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

# Ports of this bench (other suites use 2201.., 2801.., 10000..).
FLEET_SSH_BASE = 4201
FLEET_TEL_BASE = 4301
SCALE_BASE = 30000
EMU_USER, EMU_PASS, EMU_ENABLE = "lg", "lg-secret", "lg-enable"
PROMPT_RX = re.compile(rb"(?:^|\n)[\w.\-@/:]{1,63}[>#] ?$")
LOOKUP = "show bgp ipv4 unicast %s"


def now_ns():
    return time.perf_counter_ns()


def ms(ns):
    return ns / 1e6


def pct(values, p):
    """Nearest-rank percentile of a list of numbers."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def summary(values):
    return {"n": len(values), "median": statistics.median(values),
            "p99": pct(values, 99), "min": min(values), "max": max(values)}


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


class BenchError(Exception):
    pass


# ---- processes -------------------------------------------------------

def rss_kib(pid):
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * PAGE_KIB


def hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Procs:
    """The processes this run started, ended by pid at exit."""

    def __init__(self):
        self.list = []

    def start(self, argv, logfile, env=None):
        out = open(logfile, "ab")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env)
        out.close()
        self.list.append(p)
        return p

    def stop(self, p, timeout=10):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if p in self.list:
            self.list.remove(p)

    def stop_all(self):
        for p in reversed(list(self.list)):
            self.stop(p)


def wait_until(what, seconds, fn, interval=0.1):
    end = time.monotonic() + seconds
    while True:
        try:
            if fn():
                return
        except (OSError, ValueError, http.client.HTTPException):
            pass
        if time.monotonic() > end:
            raise BenchError("timed out after %ds waiting for %s"
                             % (seconds, what))
        time.sleep(interval)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- the emulator ----------------------------------------------------

class Emulator:
    def __init__(self, env, name):
        self.env = env
        self.dir = os.path.join(env.run, name)
        os.makedirs(os.path.join(self.dir, "audit"), exist_ok=True)
        self.key = os.path.join(self.dir, "ssh_host_ed25519_key")
        if not os.path.exists(self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                            "-f", self.key], check=True)
        with open(self.key + ".pub") as f:
            self.pub = " ".join(f.read().split()[:2])
        self.ctl = os.path.join(self.dir, "lgemu.ctl")
        self.proc = None

    def start_fleet(self, routers):
        """routers: list of (name, ssh_port, telnet_port, faults text)."""
        conf = os.path.join(self.dir, "fleet.conf")
        rows = []
        for name, sp, tp, faults in routers:
            rows.append(
                '  { name = "%s"; platform = "ios"; hostname = "%s";\n'
                '    listen = "127.0.0.1"; ssh_port = %d; telnet_port = %d;\n'
                '    username = "%s"; password = "%s";\n'
                '    enable_password = "%s"; faults = { %s }; }'
                % (name, name, sp, tp, EMU_USER, EMU_PASS, EMU_ENABLE, faults))
        with open(conf, "w") as f:
            f.write('emulator: {\n  fixtures = "%s";\n  audit = "%s";\n'
                    '  control = "%s";\n  host_keys = [ "%s" ];\n};\n'
                    'routers = (\n%s\n);\n'
                    % (os.path.join(TOP, "tests/emulator/fixtures"),
                       os.path.join(self.dir, "audit"), self.ctl, self.key,
                       ",\n".join(rows)))
        self._start(["-f", conf, "-a", os.path.join(self.dir, "audit")])

    def start_scale(self, n, base):
        self._start(["--scale", str(n), "--platform", "ios",
                     "--base-port", str(base), "--telnet",
                     "-F", os.path.join(TOP, "tests/emulator/fixtures"),
                     "-k", self.key])

    def _start(self, args):
        argv = [os.path.join(self.env.build, "lgemu"), "-d",
                "-c", self.ctl] + args
        self.proc = self.env.procs.start(argv,
                                         os.path.join(self.dir, "lgemu.log"))
        wait_until("lgemu control socket", 60, lambda: self.command(
            "stats").startswith("ok"))

    def command(self, *words):
        r = subprocess.run([os.path.join(self.env.build, "lgemu"), "-C",
                            self.ctl] + list(words), capture_output=True,
                           text=True, timeout=10)
        return r.stdout.strip()

    def known_hosts(self, ports):
        return "".join("[127.0.0.1]:%d %s\n" % (p, self.pub) for p in ports)

    def stop(self):
        if self.proc is not None:
            self.env.procs.stop(self.proc)
            self.proc = None


# ---- lgbrokerd and lgwebd --------------------------------------------

def router_row(name, driver, transport, host, port, cred, sessions):
    return ('  { name = "%s"; location = "Bench"; group = "Bench";\n'
            '    driver = "%s"; transport = "%s"; host = "%s"; port = %d;\n'
            '    credential = "%s"; sessions = %d; }'
            % (name, driver, transport, host, port, cred, sessions))


class Daemons:
    """One lgbrokerd and, optionally, one lgwebd on a generated config."""

    def __init__(self, env, name, routers, known_hosts, web=True,
                 cache=None, web_extra=""):
        self.env = env
        self.dir = os.path.join(env.run, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "lorgnette.conf")
        self.admin = os.path.join(self.dir, "admin.sock")
        with open(os.path.join(self.dir, "known_hosts"), "w") as f:
            f.write(known_hosts)
        cred = os.path.join(self.dir, "credentials.conf")
        fd = os.open(cred, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write('credentials = {\n'
                    '  emu = { username = "%s"; password = "%s"; '
                    'enable = "%s"; };\n'
                    '  scale = { username = "lg"; password = "lg"; };\n'
                    % (EMU_USER, EMU_PASS, EMU_ENABLE))
            lab = env.lab
            if lab:
                f.write('  lab = { username = "%s"; key = "%s"; };\n'
                        '  labvty = { username = "lg"; password = "%s"; };\n'
                        % (lab["LAB_USER"], lab["LAB_KEY"],
                           lab["LAB_VTY_PASSWORD"]))
            f.write('};\n')
        ttl = {"bgp_route": 0, "route": 0, "bgp_community": 0,
               "bgp_aspath": 0, "bgp_summary": 3600,
               "bgp_neighbors": 0}
        ttl.update(cache or {})
        with open(self.conf, "w") as f:
            f.write('broker: {\n  socket = "%s/broker.sock";\n'
                    '  admin_socket = "%s";\n  drivers = "%s";\n'
                    '  credentials = "credentials.conf";\n'
                    '  known_hosts = "known_hosts";\n'
                    '  output_cap = 536870912;\n  queue = 1000;\n'
                    '  connect_timeout = 60;\n};\n'
                    % (self.dir, self.admin, os.path.join(TOP, "drivers")))
            f.write('web: {\n  listen = [ "127.0.0.1:%d" ];\n  www = "%s";\n'
                    '  cache = { %s };\n  max_inflight = 4096;\n'
                    '  max_inflight_client = 4096;\n  rate = { %s };\n'
                    '  max_connections = 4096;\n%s};\n'
                    % (self.port, os.path.join(TOP, "www"),
                       " ".join("%s = %d;" % kv for kv in ttl.items()),
                       " ".join("%s = \"0\";" % t for t in ttl),
                       web_extra))
            f.write('policy: { resolve = false; };\n')
            f.write('routers = (\n%s\n);\n' % ",\n".join(routers))
        self.broker = None
        self.web = None
        self.want_web = web

    def start_broker(self):
        self.t_start = time.monotonic()
        self.broker = self.env.procs.start(
            [os.path.join(self.env.build, "lgbrokerd"), "-d", "-f",
             self.conf], os.path.join(self.dir, "lgbrokerd.log"))
        wait_until("lgbrokerd admin socket", 30,
                   lambda: self.alive(self.broker, "lgbrokerd") and
                   os.path.exists(self.admin))

    def start_web(self):
        self.web = self.env.procs.start(
            [os.path.join(self.env.build, "lgwebd"), "-d", "-f", self.conf],
            os.path.join(self.dir, "lgwebd.log"))
        wait_until("lgwebd /healthz", 30, lambda: self.alive(
            self.web, "lgwebd") and b"connected" in
            http_get("127.0.0.1", self.port, "/healthz")[1])

    def alive(self, p, name):
        if p.poll() is not None:
            with open(os.path.join(self.dir, name + ".log")) as f:
                tail = f.read()[-500:]
            raise BenchError("%s exited %d: %s" % (name, p.returncode, tail))
        return True

    def start(self, up_timeout=60):
        self.start_broker()
        if self.want_web:
            self.start_web()
        wait_until("every router up", up_timeout, self.all_up, 0.25)

    def status(self):
        r = subprocess.run([os.path.join(self.env.build, "lgctl"), "-s",
                            self.admin, "-t", "30", "status"],
                           capture_output=True, text=True, timeout=60)
        rows = {}
        for line in r.stdout.splitlines()[1:]:
            w = line.split()
            # name state up/max idle busy queue ...
            if len(w) >= 6 and "/" in w[2]:
                rows[w[0]] = (w[1], int(w[2].split("/")[0]), int(w[4]),
                              int(w[5]))
        return rows

    def count_up(self):
        return sum(1 for r in self.status().values()
                   if r[0] == "up" and r[1] >= 1)

    def all_up(self):
        rows = self.status()
        return rows and all(r[0] == "up" and r[1] >= 1
                            for r in rows.values())

    def lgctl_argv(self, routers, qtype, target):
        # As an operator runs it: the admin socket from the config file.
        return [os.path.join(self.env.build, "lgctl"), "-f", self.conf,
                "-t", "60", "query", routers, qtype, target]

    def lgctl_query(self, routers, qtype, target):
        r = subprocess.run(self.lgctl_argv(routers, qtype, target),
                           capture_output=True, timeout=120)
        if r.returncode != 0:
            raise BenchError("lgctl query %s: %s" % (routers, r.stderr[-300:]))
        return r.stdout

    def stop(self):
        for p in (self.web, self.broker):
            if p is not None:
                self.env.procs.stop(p)
        self.web = self.broker = None


# ---- clients -------------------------------------------------------------


def proto_version():
    """LG_PROTO_VERSION, read from include/lg_proto.h."""
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(top, "include", "lg_proto.h")) as f:
        return int(re.search(r"#define LG_PROTO_VERSION\s+(\d+)",
                             f.read()).group(1))

class BrokerClient:
    """A persistent connection to lgbrokerd's admin socket speaking the
    framed protocol of include/lg_proto.h: what lgwebd does for a query,
    without HTTP, so the two can be compared."""

    HDR = struct.Struct(">HHII")

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        self.next_id = 1
        self._send(1, 0, struct.pack(">H", proto_version()) +
                   self._str("bench"))
        kind, _, _ = self._frame()
        if kind != 1:
            raise BenchError("broker answered HELLO with type %d" % kind)

    @staticmethod
    def _str(text):
        data = text.encode()
        return struct.pack(">H", len(data)) + data

    def _send(self, kind, rid, payload):
        self.sock.sendall(self.HDR.pack(kind, 0, len(payload), rid) +
                          payload)

    def _frame(self):
        while True:
            if len(self.buf) >= self.HDR.size:
                kind, _, length, rid = self.HDR.unpack_from(self.buf)
                end = self.HDR.size + length
                if len(self.buf) >= end:
                    payload = self.buf[self.HDR.size:end]
                    self.buf = self.buf[end:]
                    return kind, rid, payload
            data = self.sock.recv(65536)
            if not data:
                raise BenchError("broker closed the connection")
            self.buf += data

    def query(self, router, qtype, target, afi=0, parsed=None):
        """Returns (ns, output bytes, error code); the parsed answer's
        JSON text (RESULT_PARSED) goes to the list parsed, if given."""
        rid = self.next_id
        self.next_id += 1
        payload = (self._str(router) + struct.pack(">BBH", qtype, afi, 0) +
                   self._str(target) + self._str("") + self._str("bench") +
                   self._str(""))     # vrf, client, user (public)
        t0 = now_ns()
        self._send(2, rid, payload)
        out = b""
        while True:
            kind, frid, data = self._frame()
            if frid != rid:
                continue
            if kind in (9, 16):
                if kind == 9:
                    out += data
                elif parsed is not None:
                    parsed.append(data)
                self._send(4, rid, struct.pack(">I", len(data)))
            elif kind == 10:
                return now_ns() - t0, out, struct.unpack(">H", data[:2])[0]

    def close(self):
        self.sock.close()


def http_get(host, port, path, timeout=30):
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


class Api:
    """A keep-alive HTTP client of lgwebd's JSON API."""

    def __init__(self, port, timeout=60):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def path(self, routers, qtype, target, afi=None):
        q = {"router": routers, "type": qtype, "target": target}
        if afi:
            q["afi"] = afi
        return "/api/v1/query?" + urllib.parse.urlencode(q)

    def get(self, path):
        """Returns (elapsed ns, status, body)."""
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout)
                self.conn.connect()
                self.conn.sock.setsockopt(socket.IPPROTO_TCP,
                                          socket.TCP_NODELAY, 1)
            t0 = now_ns()
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
                continue
            t1 = now_ns()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return t1 - t0, r.status, body
        raise BenchError("unreachable")

    def query(self, routers, qtype, target, afi=None):
        dt, status, body = self.get(self.path(routers, qtype, target, afi))
        if status != 200:
            raise BenchError("HTTP %d for %s %s: %s"
                             % (status, routers, target, body[:300]))
        res = json.loads(body)["results"]
        bad = [r for r in res if r["status"] != "ok"]
        if bad:
            raise BenchError("query failed: %s" % bad[0].get("error"))
        return dt, res

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class PtySession:
    """An interactive program on a pseudo-terminal, read until a prompt."""

    def __init__(self, argv, env=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            if env:
                os.environ.update(env)
            os.environ["TERM"] = "dumb"
            try:
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        self.buf = b""

    def read_until(self, rx, timeout):
        end = time.monotonic() + timeout
        while not rx.search(self.buf):
            left = end - time.monotonic()
            if left <= 0:
                raise BenchError("no prompt; got %r" % self.buf[-200:])
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise BenchError("session ended: %r" % self.buf[-200:])
                self.buf += data
        out, self.buf = self.buf, b""
        return out

    def command(self, line, timeout=10):
        """Types a line and waits for the next prompt; returns ns, text."""
        self.buf = b""
        t0 = now_ns()
        os.write(self.fd, line.encode() + b"\r")
        out = self._until_prompt_after_echo(timeout)
        return now_ns() - t0, out

    def _until_prompt_after_echo(self, timeout):
        end = time.monotonic() + timeout
        while True:
            if b"\n" in self.buf and PROMPT_RX.search(self.buf):
                out, self.buf = self.buf, b""
                return out
            left = end - time.monotonic()
            if left <= 0:
                raise BenchError("no prompt; got %r" % self.buf[-200:])
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                data = os.read(self.fd, 65536)
                if not data:
                    raise BenchError("session ended")
                self.buf += data

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


IAC = 255


def telnet_strip(data, sock):
    """Removes telnet commands from data, refusing every option."""
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
        if cmd in (251, 252, 253, 254) and i + 2 < len(data):
            opt = data[i + 2]
            # WILL -> DONT, DO -> WONT, except the echo and SGA the
            # server offers (it echoes, as a router CLI does).
            if cmd == 251:
                sock.sendall(bytes([IAC, 253 if opt in (1, 3) else 254, opt]))
            elif cmd == 253:
                sock.sendall(bytes([IAC, 252, opt]))
            i += 3
        elif cmd == 250:
            j = data.find(bytes([IAC, 240]), i)
            i = len(data) if j < 0 else j + 2
        elif cmd == IAC:
            out.append(IAC)
            i += 2
        else:
            i += 2
    return bytes(out)


class TelnetSession:
    """A plain telnet client for FRR's vty: password, then commands."""

    def __init__(self, host, port, password, timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self._until(re.compile(rb"[Pp]assword: ?$"), timeout)
        self.sock.sendall(password.encode() + b"\r\n")
        self._until(PROMPT_RX, timeout)

    def _until(self, rx, timeout, need_nl=False):
        end = time.monotonic() + timeout
        while not (rx.search(self.buf) and (not need_nl or b"\n" in self.buf)):
            left = end - time.monotonic()
            if left <= 0:
                raise BenchError("telnet: no prompt; got %r" % self.buf[-200:])
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                raise BenchError("telnet: connection closed")
            self.buf += telnet_strip(data, self.sock)
        out, self.buf = self.buf, b""
        return out

    def command(self, line, timeout=10):
        self.buf = b""
        t0 = now_ns()
        self.sock.sendall(line.encode() + b"\r\n")
        out = self._until(PROMPT_RX, timeout, need_nl=True)
        return now_ns() - t0, out

    def close(self):
        self.sock.close()


# ---- the environment ------------------------------------------------------

class Env:
    def __init__(self, args):
        self.quick = args.quick
        self.build = os.path.abspath(args.build)
        self.run = args.run
        self.procs = Procs()
        self.lab = read_env(args.lab_env) if args.lab_env else None
        self.results = {}
        self.fleet = None
        self.fleet_daemons = None

    def n(self, full, quick):
        return quick if self.quick else full


def read_env(path):
    facts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^([A-Z0-9_]+)=(.*)$", line.strip())
            if m:
                v = m.group(2)
                if len(v) >= 2 and v[0] == v[-1] == "'":
                    v = v[1:-1]
                facts[m.group(1)] = v
    return facts


def ssh_base(env):
    lab = env.lab
    return ["ssh", "-i", lab["LAB_KEY"], "-o", "IdentitiesOnly=yes",
            "-o", "UserKnownHostsFile=" + lab["LAB_KNOWN_HOSTS"],
            "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR", "-o", "ControlMaster=no",
            "-o", "ControlPath=none"]


# ---- 1 and 2: warm overhead, fresh logins ---------------------------------

def lab_daemons(env):
    lab = env.lab
    host = lab["LAB_R1_MGMT4"]
    rows = [router_row("r1ssh", "frr", "ssh", host, 22, "lab", 1),
            router_row("r1tel", "frr-bgpd", "telnet", host,
                       int(lab["LAB_R1_TELNET_PORT"]), "labvty", 1)]
    with open(lab["LAB_KNOWN_HOSTS"]) as f:
        kh = f.read()
    return Daemons(env, "lab", rows, kh)


def bench_warm(env):
    lab = env.lab
    target = lab["LAB_ROUTE4"]
    cmd = LOOKUP % target
    d = lab_daemons(env)
    d.start()
    api = Api(d.port)
    floor_ssh = PtySession(ssh_base(env) + ["-tt", "%s@%s" % (
        lab["LAB_USER"], lab["LAB_R1_MGMT4"])])
    floor_ssh.read_until(PROMPT_RX, 15)
    floor_tel = TelnetSession(lab["LAB_R1_MGMT4"],
                              int(lab["LAB_R1_TELNET_PORT"]),
                              lab["LAB_VTY_PASSWORD"])
    # Check both sides answer the same thing, then warm up.
    _, out = floor_ssh.command(cmd)
    _, res = api.query("r1ssh", "bgp_route", target)
    if target.encode() not in out or target not in res[0]["output"]:
        raise BenchError("floor and Lorgnette disagree: %r / %r"
                         % (out[:200], res[0]["output"][:200]))
    for _ in range(20):
        floor_ssh.command(cmd)
        floor_tel.command(cmd)
        api.query("r1ssh", "bgp_route", target)
        api.query("r1tel", "bgp_route", target)
    broker = BrokerClient(d.admin)
    n = env.n(1000, 60)
    s = {"floor_ssh": [], "floor_telnet": [], "lg_ssh": [], "lg_telnet": [],
         "broker_ssh": [], "lgctl_ssh": [], "spawn": [], "lgctl_ssh_py": [],
         "client_ssh": [],
         "spawn_py": []}
    lgctl = d.lgctl_argv("r1ssh", "bgp_route", target)
    least = [os.path.join(env.build, "bench_client"), d.admin, "r1ssh",
             "bgp_route", target]
    for i in range(n):
        s["floor_ssh"].append(floor_ssh.command(cmd)[0])
        s["lg_ssh"].append(api.query("r1ssh", "bgp_route", target)[0])
        dt, out_b, err = broker.query("r1ssh", 0, target)
        if err != 0 or target.encode() not in out_b:
            raise BenchError("broker socket query: error %d" % err)
        s["broker_ssh"].append(dt)
        s["floor_telnet"].append(floor_tel.command(cmd)[0])
        s["lg_telnet"].append(api.query("r1tel", "bgp_route", target)[0])
        # lgctl is a process per query: a tenth of the iterations suffice.
        # Timed by bench_spawn (posix_spawn, a pipe drained, waitpid), as
        # a shell or a C program pays for a process, and beside it from
        # Python's subprocess, whose pipes, selector and fork add their
        # own cost to every start; /bin/true both ways is the floor of
        # any process per query.
        if i % 10 == 0:
            s["lgctl_ssh"].append(spawn_ns(env, lgctl))
            s["spawn"].append(spawn_ns(env, ["/bin/true"]))
            # The least client process (tests/bench/bench_client.c):
            # what any process per query pays, lgctl's own cost aside.
            s["client_ssh"].append(spawn_ns(env, least))
            t0 = now_ns()
            d.lgctl_query("r1ssh", "bgp_route", target)
            s["lgctl_ssh_py"].append(now_ns() - t0)
            t0 = now_ns()
            subprocess.run(["/bin/true"], capture_output=True, timeout=60)
            s["spawn_py"].append(now_ns() - t0)
    broker.close()
    floor_ssh.close()
    floor_tel.close()
    out = {"iterations": n, "command": cmd}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    out["web_over_broker_ssh"] = {
        "median": out["lg_ssh"]["median"] - out["broker_ssh"]["median"],
        "p99": out["lg_ssh"]["p99"] - out["broker_ssh"]["p99"]}
    for t in ("ssh", "telnet"):
        out["overhead_" + t] = {
            "median": out["lg_" + t]["median"] - out["floor_" + t]["median"],
            "p99": out["lg_" + t]["p99"] - out["floor_" + t]["p99"]}
    # lgctl, process start included, against the router's own time (the
    # command typed into an open session: DESIGN.md section 9's floor).
    out["lgctl_over_floor_ssh"] = {
        "median": out["lgctl_ssh"]["median"] - out["floor_ssh"]["median"]}
    # What the process per query costs over a client that stays connected
    # (the broker's own work is in both), beside /bin/true's start.
    out["lgctl_over_broker_ssh"] = {
        "median": out["lgctl_ssh"]["median"] - out["broker_ssh"]["median"]}
    out["client_over_floor_ssh"] = {
        "median": out["client_ssh"]["median"] - out["floor_ssh"]["median"]}
    env.results["warm"] = out
    env.lab_daemons = d
    env.lab_api = api


def spawn_ns(env, argv):
    """One run of argv timed by bench_spawn (tests/bench/bench_spawn.c):
    nanoseconds from posix_spawn to waitpid, its output drained."""
    r = subprocess.run([os.path.join(env.build, "bench_spawn"), "-n", "1"] +
                       argv, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise BenchError("bench_spawn %s: %s" % (argv[0], r.stderr[-300:]))
    return int(r.stdout.split()[0])


def fresh_ssh(env, cmd):
    lab = env.lab
    t0 = now_ns()
    r = subprocess.run(ssh_base(env) + ["%s@%s" % (lab["LAB_USER"],
                       lab["LAB_R1_MGMT4"]), cmd], capture_output=True,
                       timeout=30)
    dt = now_ns() - t0
    if r.returncode != 0 or lab["LAB_ROUTE4"].encode() not in r.stdout:
        raise BenchError("ssh host 'cmd' failed: %r" % r.stderr[-200:])
    return dt


def fresh_telnet(env, cmd):
    lab = env.lab
    t0 = now_ns()
    s = TelnetSession(lab["LAB_R1_MGMT4"], int(lab["LAB_R1_TELNET_PORT"]),
                      lab["LAB_VTY_PASSWORD"])
    _, out = s.command(cmd)
    s.sock.sendall(b"exit\r\n")
    s.close()
    dt = now_ns() - t0
    if lab["LAB_ROUTE4"].encode() not in out:
        raise BenchError("telnet login answer: %r" % out[:200])
    return dt


def bench_login(env):
    lab = env.lab
    target = lab["LAB_ROUTE4"]
    cmd = LOOKUP % target
    if getattr(env, "lab_daemons", None) is None:
        bench_warm_setup_only(env)
    api = env.lab_api
    n = env.n(30, 5)
    s = {"fresh_ssh": [], "fresh_telnet": [], "lg_ssh": [], "lg_telnet": []}
    errors = []

    def fresh(fn):
        # The lab is shared: a login refused while another suite
        # restarts a daemon is retried (and counted), not fatal.
        for attempt in range(3):
            try:
                return fn(env, cmd)
            except (BenchError, OSError, subprocess.SubprocessError) as e:
                errors.append(str(e)[:200])
                time.sleep(1)
        raise BenchError("fresh login failed 3 times: %s" % errors[-1])

    for _ in range(n):
        s["fresh_ssh"].append(fresh(fresh_ssh))
        s["lg_ssh"].append(api.query("r1ssh", "bgp_route", target)[0])
        s["fresh_telnet"].append(fresh(fresh_telnet))
        s["lg_telnet"].append(api.query("r1tel", "bgp_route", target)[0])
    out = {"iterations": n, "retried_logins": errors}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    for t in ("ssh", "telnet"):
        out["speedup_" + t] = (out["fresh_" + t]["median"] /
                               out["lg_" + t]["median"])
    env.results["login"] = out


def bench_warm_setup_only(env):
    d = lab_daemons(env)
    d.start()
    env.lab_daemons = d
    env.lab_api = Api(d.port)


# ---- the emulated fleet (3, 5, 6, 7) -----------------------------------------

FANOUT = 20


def fanout_delay(i):
    """Response delays of the fan-out routers: 60 to 250 ms."""
    return 60 + 10 * i


def fleet(env):
    """An emulator and daemons for fan-out, front, big output and hang."""
    if env.fleet_daemons is not None:
        return env.fleet_daemons
    emu = Emulator(env, "fleet-emu")
    routers, rows, ports = [], [], []
    for i in range(FANOUT):
        name = "fan%02d" % (i + 1)
        sp, tp = FLEET_SSH_BASE + i, FLEET_TEL_BASE + i
        routers.append((name, sp, tp,
                        "response_delay_ms = %d;" % fanout_delay(i)))
        # Half over SSH, half over telnet.
        if i % 2:
            rows.append(router_row(name, "cisco-ios", "ssh", "127.0.0.1",
                                   sp, "emu", 1))
            ports.append(sp)
        else:
            rows.append(router_row(name, "cisco-ios", "telnet", "127.0.0.1",
                                   tp, "emu", 1))
    extra = [("quick1", ""), ("quick2", ""), ("quick3", ""), ("quick4", ""),
             ("hang1", 'hang_on = "show bgp ipv4 unicast";'),
             ("huge1", 'huge_output_mb = %d; huge_on = "show bgp ipv4 '
              'unicast community 65000:1";' % env.n(16, 4)),
             ("huge2", 'huge_output_mb = %d; huge_on = "show bgp ipv4 '
              'unicast community 65000:1";' % env.n(64, 16))]
    for j, (name, faults) in enumerate(extra):
        sp, tp = FLEET_SSH_BASE + FANOUT + j, FLEET_TEL_BASE + FANOUT + j
        routers.append((name, sp, tp, faults))
        rows.append(router_row(name, "cisco-ios", "telnet", "127.0.0.1", tp,
                               "emu", 2))
    emu.start_fleet(routers)
    # Stored results on, for measurement 12 (store=1 only).
    store = os.path.join(env.run, "fleet", "results.db")
    d = Daemons(env, "fleet", rows, emu.known_hosts(ports),
                web_extra='  results = { path = "%s"; max_mb = 64; };\n'
                % store)
    d.start()
    env.fleet = emu
    env.fleet_daemons = d
    return d


def bench_fanout(env):
    d = fleet(env)
    names = ["fan%02d" % (i + 1) for i in range(FANOUT)]
    slowest = names[-1]
    target = "1.0.4.0/24"
    api = Api(d.port)
    for _ in range(2):
        d.lgctl_query(",".join(names), "bgp_route", target)
        api.query(",".join(names), "bgp_route", target)
    n = env.n(30, 4)
    s = {"all20": [], "slowest": [], "web20": [], "web_slowest": []}
    for _ in range(n):
        t0 = now_ns()
        out = d.lgctl_query(",".join(names), "bgp_route", target)
        s["all20"].append(now_ns() - t0)
        if out.count(b"1.0.4.0/24") < FANOUT:
            raise BenchError("fan-out: not every router answered")
        t0 = now_ns()
        d.lgctl_query(slowest, "bgp_route", target)
        s["slowest"].append(now_ns() - t0)
        s["web20"].append(api.query(",".join(names), "bgp_route", target)[0])
        s["web_slowest"].append(api.query(slowest, "bgp_route", target)[0])
    api.close()
    out = {"iterations": n, "routers": FANOUT,
           "delays_ms": [fanout_delay(i) for i in range(FANOUT)],
           "via": "lgctl and lgwebd"}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    out["ratio"] = out["all20"]["median"] / out["slowest"]["median"]
    out["ratio_web"] = out["web20"]["median"] / out["web_slowest"]["median"]
    env.results["fanout"] = out


def parse_wrk(text):
    def dur(v):
        m = re.match(r"([\d.]+)(us|ms|s)", v)
        f = {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
        return float(m.group(1)) * f
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", text)
    r["requests"] = int(m.group(1)) if m else 0
    for p in ("50", "99"):
        m = re.search(r"^\s+%s(?:\.0+)?%%\s+(\S+)" % p, text, re.M)
        r["p" + p + "_ms"] = dur(m.group(1)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    r["socket_errors"] = m.group(1) if m else ""
    return r


def sched_wait_s(pid):
    """Run-queue wait of every thread of pid so far (schedstat)."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def machine_busy_s():
    """CPU seconds spent by the whole machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return (sum(v[:8]) - v[3] - v[4]) / CLK_TCK


def children_cpu_s():
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_wrk(env, pid, url, seconds, conns=100, script=None):
    cpu0, wait0 = cpu_seconds(pid), sched_wait_s(pid)
    busy0, kids0 = machine_busy_s(), children_cpu_s()
    argv = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "--latency"]
    if script:
        argv += ["-s", script]
    r = subprocess.run(argv + [url], capture_output=True, text=True,
                       timeout=seconds + 60)
    cpu1, wait1 = cpu_seconds(pid), sched_wait_s(pid)
    busy1, kids1 = machine_busy_s(), children_cpu_s()
    w = parse_wrk(r.stdout)
    w["cpu_s"] = cpu1 - cpu0
    # Where the two cores went: lgwebd, wrk, and everything else.
    w["wrk_cpu_s"] = kids1 - kids0
    w["machine_busy_s"] = busy1 - busy0
    w["others_cpu_s"] = w["machine_busy_s"] - w["cpu_s"] - w["wrk_cpu_s"]
    # Time lgwebd's threads were ready to run but waited for a CPU: on
    # 2 cores shared with wrk (and whatever else runs), this is where
    # the latency tail comes from.
    w["runqueue_wait_s"] = wait1 - wait0
    w["cpu_us_per_request"] = (1e6 * w["cpu_s"] / w["requests"]
                               if w["requests"] else float("nan"))
    w["seconds"] = seconds
    return w


def start_nginx(env):
    """nginx serving the same www/ with two workers: a reference server
    measured beside lgwebd, so the machine's share of the tail shows."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        return None, None
    d = os.path.join(env.run, "nginx")
    os.makedirs(d, exist_ok=True)
    port = free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("worker_processes 2;\ndaemon off;\nmaster_process on;\n"
                "pid %s/nginx.pid;\nerror_log %s/error.log;\n"
                "events { worker_connections 1024; }\n"
                "http { access_log off; client_body_temp_path %s;\n"
                "  proxy_temp_path %s; fastcgi_temp_path %s;\n"
                "  uwsgi_temp_path %s; scgi_temp_path %s;\n"
                "  server { listen 127.0.0.1:%d; root %s; } }\n"
                % (d, d, d, d, d, d, d, port, os.path.join(TOP, "www")))
    p = env.procs.start([nginx, "-c", conf, "-p", d], os.path.join(d, "out"))
    try:
        wait_until("nginx", 10, lambda: http_get("127.0.0.1", port,
                                                   "/")[0] == 200)
    except BenchError:
        env.procs.stop(p)
        return None, None
    return p, port


def nginx_cpu(p):
    """CPU seconds of nginx's workers (children of its master)."""
    total = 0.0
    for pid in [p.pid] + [int(x) for x in open(
            "/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split()]:
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass
    return total


def bench_front(env):
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (make deps)")
    d = fleet(env)
    api = Api(d.port)
    path = "/api/v1/query?router=quick1&type=bgp_summary"
    _, status, body = api.get(path)
    _, status, body = api.get(path)
    if status != 200 or not json.loads(body)["results"][0]["cached"]:
        raise BenchError("the summary is not served from the cache: %r"
                         % body[:200])
    api.close()
    secs, runs = env.n(10, 2), env.n(3, 1)
    url = "http://127.0.0.1:%d" % d.port
    out = {"connections": 100, "threads": 2, "seconds": secs, "runs": runs}
    samples = {"cached_query": [], "static": [], "nginx_static": []}
    ngx, ngx_port = start_nginx(env)
    for _ in range(runs):
        samples["cached_query"].append(run_wrk(env, d.web.pid, url + path,
                                               secs))
        samples["static"].append(run_wrk(env, d.web.pid, url + "/", secs))
        if ngx is not None:
            c0 = nginx_cpu(ngx)
            w = run_wrk(env, ngx.pid, "http://127.0.0.1:%d/" % ngx_port,
                        secs)
            # run_wrk counted the master only; the workers do the work.
            w["cpu_s"] = nginx_cpu(ngx) - c0
            w["cpu_us_per_request"] = (1e6 * w["cpu_s"] / w["requests"]
                                       if w["requests"] else float("nan"))
            w["others_cpu_s"] = (w["machine_busy_s"] - w["cpu_s"] -
                                 w["wrk_cpu_s"])
            w.pop("runqueue_wait_s", None)
            samples["nginx_static"].append(w)
    if ngx is not None:
        env.procs.stop(ngx)
    else:
        del samples["nginx_static"]
    # The run with the median p99 stands for the measurement; every run
    # is kept (the machine's other work moves the tail from run to run).
    for k, v in samples.items():
        v.sort(key=lambda w: w["p99_ms"])
        out[k] = dict(v[len(v) // 2])
        out[k]["all_runs"] = v
    with open("/proc/loadavg") as f:
        out["loadavg_after"] = f.read().split()[:3]
    env.results["front"] = out


class RssSampler(threading.Thread):
    def __init__(self, pids, interval=0.01):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = {p: 0 for p in pids}
        self.interval = interval
        self.stop_ev = threading.Event()

    def run(self):
        while not self.stop_ev.is_set():
            for p in self.pids:
                try:
                    self.peak[p] = max(self.peak[p], rss_kib(p))
                except OSError:
                    pass
            time.sleep(self.interval)

    def stop(self):
        self.stop_ev.set()
        self.join(5)
        return self.peak


def big_once(env, d, router):
    api = Api(d.port, timeout=300)
    path = api.path(router, "bgp_community", "65000:1", "ipv4")
    base = {"broker": rss_kib(d.broker.pid), "web": rss_kib(d.web.pid)}
    sampler = RssSampler([d.broker.pid, d.web.pid])
    sampler.start()
    c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=300)
    t0 = now_ns()
    c.request("GET", path)
    r = c.getresponse()
    first = r.read(1)
    t_first = now_ns()
    total = len(first)
    lines = first.count(b"\\n")
    while True:
        chunk = r.read(1 << 16)
        if not chunk:
            break
        total += len(chunk)
        lines += chunk.count(b"\\n")
    t_end = now_ns()
    c.close()
    peak = sampler.stop()
    if r.status != 200:
        raise BenchError("big output: HTTP %d" % r.status)
    return {"bytes": total, "lines": lines, "ttfb_ms": ms(t_first - t0),
            "total_ms": ms(t_end - t0),
            "rss_before_kib": base,
            "peak_rss_kib": {"broker": peak[d.broker.pid],
                             "web": peak[d.web.pid]}}


def bench_big(env):
    d = fleet(env)
    out = {"small": big_once(env, d, "huge1"),
           "large": big_once(env, d, "huge2")}
    out["small"]["mib"] = env.n(16, 4)
    out["large"]["mib"] = env.n(64, 16)
    env.results["big"] = out


# ---- 9: parsing a table-sized answer from the lab -------------------------

def noparse_drivers(env):
    """A drivers directory where frr-noparse is frr without its parse
    rules: the same router, the same commands, no parse."""
    d = os.path.join(env.run, "drivers")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(TOP, "drivers")
    for name in os.listdir(src):
        if name.endswith(".conf"):
            with open(os.path.join(src, name)) as f, \
                    open(os.path.join(d, name), "w") as g:
                g.write(f.read())
    with open(os.path.join(src, "frr.conf")) as f:
        text = f.read()
    text = text.replace('name = "frr";', 'name = "frr-noparse";', 1)
    # The parse section is the top-level "parse" group: cut it out by
    # counting braces from its opening one.
    m = re.search(r"(?m)^parse\s*[:=]\s*\{", text)
    if m is None:
        raise BenchError("drivers/frr.conf has no parse section")
    depth, i, quoted = 0, m.end() - 1, False
    while True:
        c = text[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "#":
            i = text.index("\n", i) - 1
        else:
            depth += {"{": 1, "}": -1}.get(c, 0)
        i += 1
        if depth == 0:
            break
    end = i + 1 if text[i:i + 1] == ";" else i
    with open(os.path.join(d, "frr-noparse.conf"), "w") as g:
        g.write(text[:m.start()] + text[end:])
    return d


def parse_round(env, broker, router, afi, pid, retry=True):
    """One whole-table answer; a session lost on the way (the vty on a
    loaded machine) is retried once, and counted."""
    try:
        return parse_round_once(env, broker, router, afi, pid)
    except BenchError:
        if not retry:
            raise
        env.results.setdefault("parse_lab_retries", 0)
        env.results["parse_lab_retries"] += 1
        return parse_round_once(env, broker, router, afi, pid)


def parse_lab_regex(env):
    """The whole table behind the upstream; the quick run (make check)
    takes one transit's routes, about a twelfth, so that it measures the
    same path in seconds rather than minutes (the prefix cap is not
    reached there)."""
    upstream = env.lab["LAB_UPSTREAM_ASN"]
    return "^%s_174_" % upstream if env.quick else "^%s" % upstream


def parse_round_once(env, broker, router, afi, pid):
    sampler = RssSampler([pid])
    base = rss_kib(pid)
    sampler.start()
    parsed = []
    dt, out, err = broker.query(router, 3, parse_lab_regex(env), afi, parsed)
    peak = sampler.stop()[pid]
    if err != 0:
        raise BenchError("%s: bgp_aspath error %d" % (router, err))
    doc = json.loads(b"".join(parsed)) if parsed else None
    return dt, out.count(b"\n"), doc, peak - base


def bench_parse_lab(env):
    lab = env.lab
    host = lab["LAB_R1_MGMT4"]
    port = int(lab["LAB_R1_TELNET_PORT"])
    rows = [router_row("r1p", "frr", "telnet", host, port, "labvty", 1),
            router_row("r1np", "frr-noparse", "telnet", host, port,
                       "labvty", 1)]
    with open(lab["LAB_KNOWN_HOSTS"]) as f:
        kh = f.read()
    d = Daemons(env, "parse", rows, kh, web=False)
    with open(d.conf) as f:
        conf = f.read()
    conf = conf.replace('drivers = "%s"' % os.path.join(TOP, "drivers"),
                        'drivers = "%s"' % noparse_drivers(env))
    # The whole table over a vty takes longer than bgp_aspath's default.
    conf = conf.replace("connect_timeout = 60;",
                        "connect_timeout = 60;\n  deadlines = { bgp_aspath = 900; };")
    with open(d.conf, "w") as f:
        f.write(conf)
    d.start()
    broker = BrokerClient(d.admin)
    pid = d.broker.pid
    # Memory first, on a fresh broker: the IPv4 table (50,000 routes)
    # unparsed, which sets the text path's peak, then parsed: what the
    # parse adds on top, with the prefix cap (10,000) passed.
    hwm0 = hwm_kib(pid)
    _, l_u, _, _ = parse_round(env, broker, "r1np", 1, pid)
    hwm_u = hwm_kib(pid)
    _, l_p, doc_p, _ = parse_round(env, broker, "r1p", 1, pid)
    hwm_p = hwm_kib(pid)
    mem = {"lines": l_p, "prefixes": len(doc_p.get("prefixes") or []),
           "truncated": doc_p.get("truncated"), "hwm_start_kib": hwm0,
           "hwm_unparsed_kib": hwm_u, "hwm_parsed_kib": hwm_p}
    # Time: both families in one answer, the whole table; the order
    # alternates round by round so neither side always goes first.
    _, lines, doc, _ = parse_round(env, broker, "r1p", 0, pid)
    if doc is None or "error" in doc:
        raise BenchError("the table did not parse: %r" % (
            doc if doc is None else doc.get("error")))
    n = env.n(6, 2)
    s = {"parsed": [], "unparsed": []}
    for i in range(n):
        pair = [("r1p", "parsed"), ("r1np", "unparsed")]
        for router, k in (pair if i % 2 == 0 else pair[::-1]):
            dt, _, doc_k, _ = parse_round(env, broker, router, 0, pid)
            if (doc_k is None) != (k == "unparsed"):
                raise BenchError("%s: parsed answer %s" % (
                    router, "missing" if doc_k is None else "unexpected"))
            s[k].append(dt)
    broker.close()
    d.stop()
    out = {"rounds": n, "lines": lines,
           "table": "one transit's routes" if env.quick else "whole lab table",
           "prefixes": len(doc.get("prefixes") or []),
           "truncated": doc.get("truncated"), "memory": mem}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    out["ratio"] = out["parsed"]["median"] / out["unparsed"]["median"]
    env.results["parse_lab"] = out


# Queries kept in flight on the hanging router: its two sessions hang
# and the rest wait in its queue.
HANGERS = int(os.environ.get("LG_BENCH_HANGERS", "8"))


class Hanger(threading.Thread):
    """Keeps queries to the hanging router in flight until stopped."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.conn = None
        self.stopped = False

    def run(self):
        while not self.stopped:
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1",
                                                       self.port, timeout=120)
                self.conn.request("GET", self.path)
                self.conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                pass
            finally:
                if self.conn is not None:
                    self.conn.close()

    def stop(self):
        self.stopped = True
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):
            pass
        self.join(10)


def hang_round(api, n):
    lat = []
    for i in range(n):
        lat.append(api.query("quick%d" % (i % 4 + 1), "bgp_route",
                             "1.0.4.0/24")[0])
    return [ms(x) for x in lat]

# Real answers per driver and query type (../shared/fixtures/parse/).
PARSE_SAMPLES = [
    ("frr", "bgp_route", "frr/route_detail__batfish_cumulus_3communities.raw"),
    ("frr", "bgp_community", "frr/route_table__batfish_cumulus_vrf_all.raw"),
    ("bird", "bgp_route",
     "bird/route_detail__birdlggo_dn42_15paths_large_comm.raw"),
    ("cisco-ios", "bgp_route",
     "cisco_ios/route_detail__napalm_vpnv4_vrf_3paths.raw"),
    ("cisco-ios", "bgp_community",
     "cisco_ios/route_table__ntc_show_ip_bgp_ibgp_2paths.raw"),
    ("cisco-iosxr", "bgp_route",
     "cisco_xr/route_detail__genie_vpnv4_local_rr_backup.raw"),
    ("cisco-iosxr", "bgp_community",
     "cisco_xr/route_table__genie_show_bgp_ipv4_unicast.raw"),
    ("cisco-nxos", "bgp_route",
     "cisco_nxos/route_detail__ntc_vrf_all_detail_multi_asdot.raw"),
    ("cisco-nxos", "bgp_community",
     "cisco_nxos/route_table__ntc_show_ip_bgp_as_set.raw"),
    ("arista-eos", "bgp_route",
     "arista_eos/route_detail__eantc_vpn_ipv4_detail_rr_policyreject.raw"),
    ("arista-eos", "bgp_community",
     "arista_eos/route_table__ntc_show_ip_bgp_4paths_per_prefix.raw"),
    ("juniper-junos", "bgp_route",
     "juniper_junos/route_detail__genie_extensive_single_ebgp.raw"),
]


def fixtures_dir():
    for d in (os.path.join(TOP, "..", "shared", "fixtures"),
              "/work/shared/fixtures"):
        if os.path.isdir(os.path.join(d, "parse")):
            return d
    raise BenchError("parse: no shared fixtures beside the checkout")


def parse_run(env, drv, qtype, path, runs, cap):
    cmd = [os.path.join(env.build, "bench_parse"),
           os.path.join(TOP, "drivers", drv + ".conf"), qtype, path,
           str(runs)]
    if cap:
        cmd.append(str(cap))
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise BenchError("bench_parse %s %s: %s" % (drv, qtype,
                                                   out.stderr.strip()))
    r = json.loads(out.stdout)
    cpu = statistics.median(r["cpu_s"])
    return {"mb_s": r["bytes"] / 1e6 / max(cpu, 1e-9), "cpu_s": cpu,
            "prefixes": r["prefixes"], "truncated": r["truncated"]}


def bench_parse(env):
    fx = fixtures_dir()
    size = env.n(16, 2) * 1024 * 1024
    runs = env.n(3, 1)
    res = {"mib": size // (1024 * 1024), "drivers": []}
    for drv, qtype, sample in PARSE_SAMPLES:
        with open(os.path.join(fx, "parse", sample), "rb") as f:
            text = f.read()
        path = os.path.join(env.run, "parse-%s-%s.txt" % (drv, qtype))
        with open(path, "wb") as f:
            f.write(text * (size // len(text) + 1))
        row = {"driver": drv, "type": qtype,
               "deployed": parse_run(env, drv, qtype, path, runs, 0),
               "every_line": parse_run(env, drv, qtype, path, runs,
                                       10 ** 7)}
        res["drivers"].append(row)
        os.unlink(path)
    env.results["parse"] = res


def bench_hang(env):
    """Rounds alternate without and with the hanging router, so that a
    change in the machine's load falls on both sides alike."""
    d = fleet(env)
    api = Api(d.port)
    rounds, n = env.n(4, 2), env.n(250, 20)
    hang_round(api, 20)
    # Distinct targets: identical queries would be coalesced into one.
    paths = [api.path("hang1", "bgp_route", "1.0.4.%d" % (i + 1))
             for i in range(HANGERS)]
    without, with_hang, states = [], [], []
    for i in range(rounds):
        # The order alternates too: a round's second half runs warmer.
        if i % 2 == 0:
            without += hang_round(api, n)
        hangers = [Hanger(d.port, p) for p in paths]
        for h in hangers:
            h.start()
        time.sleep(0.5)
        st = d.status().get("hang1")
        states.append(st)
        if st is None or st[2] < 1:
            raise BenchError("hang1 is not busy with the hanging queries: "
                             "%r" % (st,))
        with_hang += hang_round(api, n)
        for h in hangers:
            h.stop()
        time.sleep(0.2)
        if i % 2 == 1:
            without += hang_round(api, n)
    api.close()
    out = {"iterations": n * rounds, "rounds": rounds,
           "hanging_queries": HANGERS,
           "hang1_state_up_busy_queued": states,
           "without": summary(without), "with": summary(with_hang)}
    out["ratio"] = out["with"]["median"] / out["without"]["median"]
    out["ratio_p99"] = out["with"]["p99"] / out["without"]["p99"]
    env.results["hang"] = out


FLOOD_PY = os.path.join(TOP, "tests", "broker", "flood.py")


def flood_probe(sock, n):
    """n queries to quick1 one after the other (tests/broker/flood.py)."""
    out = subprocess.run([sys.executable, FLOOD_PY, "probe", sock, str(n),
                          "quick1", "1.0.4.0/24", "0.02"],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0 or not out.stdout.startswith("ms="):
        raise BenchError("flood.py probe: %s" % out.stderr[-300:])
    times = [float(x) for x in out.stdout.strip()[3:].split(",")]
    if min(times) < 0:
        raise BenchError("a probe query got no answer: %s" % out.stdout)
    return times


def bench_flood(env):
    """Rounds alternate probes alone and probes beside one connection that
    floods the broker with identical QUERY frames for a slow router, the
    front's way in (issue 24.1).  The broker is the fleet's, without its
    front: the probe and the flood speak the broker's protocol."""
    d = fleet(env)
    sock = os.path.join(d.dir, "broker.sock")
    rounds, n = env.n(3, 1), env.n(40, 20)
    frames = 300000  # fewer end before the probe does
    flood_probe(sock, 10)
    alone, beside, floods, rss = [], [], [], []
    for _ in range(rounds):
        alone += flood_probe(sock, n)
        rss0 = rss_kib(d.broker.pid)
        f = subprocess.Popen([sys.executable, FLOOD_PY, "flood", sock,
                              str(frames), "fan20", "1.0.4.0/24"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        time.sleep(0.5)
        beside += flood_probe(sock, n)
        rss.append(rss_kib(d.broker.pid) - rss0)
        still = f.poll() is None
        res, err = f.communicate(timeout=900)
        if f.returncode != 0 or not still:
            raise BenchError("the flood ended before the probe did: %s %s"
                             % (res, err[-300:]))
        floods.append(res.strip())
        alone += flood_probe(sock, n)
    out = {"frames": frames, "rounds": rounds, "flood": floods,
           "alone": summary(alone), "beside": summary(beside),
           "rss_growth_kib": max(rss)}
    out["ratio"] = out["beside"]["median"] / out["alone"]["median"]
    env.results["flood"] = out


# ---- 13: stored results ----------------------------------------------------

def bench_store(env):
    """A plain bgp_route query and the same with store=1 (its answer
    written to SQLite before the result's tail), alternating query by
    query on one emulated router; then reading a stored result back."""
    d = fleet(env)
    api = Api(d.port)
    plain = api.path("quick1", "bgp_route", "1.0.4.0/24")
    stored = plain + "&store=1"
    for _ in range(20):
        api.query("quick1", "bgp_route", "1.0.4.0/24")
        api.get(stored)
    n = env.n(500, 40)
    s = {"plain": [], "store": [], "get": []}
    share = None
    for i in range(n):
        first, second = (plain, stored) if i % 2 == 0 else (stored, plain)
        for path in (first, second):
            dt, status, body = api.get(path)
            if status != 200:
                raise BenchError("HTTP %d: %s" % (status, body[:300]))
            r = json.loads(body)["results"][0]
            if r["status"] != "ok":
                raise BenchError("query failed: %s" % r.get("error"))
            if path == stored:
                if "share" not in r:
                    raise BenchError("store=1 stored nothing: %s"
                                     % r.get("share_error"))
                share = r["share"]
                s["store"].append(dt)
            else:
                s["plain"].append(dt)
        dt, status, body = api.get("/api/v1/results/" + share[3:])
        if status != 200:
            raise BenchError("GET %s: HTTP %d" % (share, status))
        s["get"].append(dt)
    api.close()
    out = {"iterations": n}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    out["ratio"] = out["store"]["median"] / out["plain"]["median"]
    out["added_median"] = out["store"]["median"] - out["plain"]["median"]
    env.results["store"] = out


# ---- 15: shared store (web.store) -------------------------------------------

def store_fronts(env, d, rport, count):
    """count more lgwebd on the fleet's broker, sharing one redis-server
    through web.store; each with its own port and SQLite fallback."""
    with open(d.conf) as f:
        base = f.read()
    fronts = []
    for i in range(count):
        port = free_port()
        conf = os.path.join(d.dir, "store%d.conf" % i)
        text = base.replace('listen = [ "127.0.0.1:%d" ];' % d.port,
                            'listen = [ "127.0.0.1:%d" ];\n'
                            '  store = "redis://127.0.0.1:%d";'
                            % (port, rport))
        text = text.replace("results.db", "results-store%d.db" % i)
        with open(conf, "w") as f:
            f.write(text)
        p = env.procs.start([os.path.join(env.build, "lgwebd"), "-d", "-f",
                             conf], os.path.join(d.dir, "store%d.log" % i))
        wait_until("lgwebd (store) /healthz", 30, lambda: p.poll() is None
                   and b"connected" in
                   http_get("127.0.0.1", port, "/healthz")[1])
        fronts.append((p, port))
    return fronts


def wrk_many(targets, seconds, conns):
    """wrk on several fronts at once (one thread each): total rps."""
    procs = [subprocess.Popen(["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds,
                               "--latency", url], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
             for url in targets]
    out = [parse_wrk(p.communicate(timeout=seconds + 60)[0]) for p in procs]
    return {"rps": sum(w["rps"] for w in out),
            "p99_ms": max(w["p99_ms"] for w in out),
            "requests": sum(w["requests"] for w in out)}


def bench_redis(env):
    """A cached query through a front with its in-process cache and
    through fronts sharing a redis-server (web.store), alternating query
    by query; then cached requests per second on one front and on three
    sharing the store."""
    server = shutil.which("redis-server")
    if server is None:
        raise BenchError("redis-server is not installed (make deps)")
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (make deps)")
    d = fleet(env)
    rdir = os.path.join(env.run, "redis")
    os.makedirs(rdir, exist_ok=True)
    rport = free_port()
    env.procs.start([server, "--port", str(rport), "--bind", "127.0.0.1",
                     "--dir", rdir, "--save", "", "--appendonly", "no"],
                    os.path.join(rdir, "redis.log"))
    wait_until("redis-server", 20, lambda: subprocess.run(
        ["redis-cli", "-p", str(rport), "ping"], capture_output=True,
        text=True).stdout.strip() == "PONG")
    fronts = store_fronts(env, d, rport, 3)
    local, shared = Api(d.port), Api(fronts[0][1])
    path = "/api/v1/query?router=quick1&type=bgp_summary"
    for api in (local, shared):
        for _ in range(50):
            api.get(path)
    n = env.n(2000, 100)
    s = {"local": [], "redis": []}
    for i in range(n):
        order = (("local", local), ("redis", shared))
        for name, api in (order if i % 2 == 0 else order[::-1]):
            dt, status, body = api.get(path)
            if status != 200 or \
                    not json.loads(body)["results"][0]["cached"]:
                raise BenchError("%s: HTTP %d, not a cache hit: %s"
                                 % (name, status, body[:200]))
            s[name].append(dt)
    local.close()
    shared.close()
    out = {"iterations": n}
    for k, v in s.items():
        out[k] = summary([ms(x) for x in v])
    out["added_median"] = out["redis"]["median"] - out["local"]["median"]
    out["added_p99"] = out["redis"]["p99"] - out["local"]["p99"]
    secs = env.n(10, 3)
    url = "http://127.0.0.1:%d" + path
    one_local = run_wrk(env, d.web.pid, url % d.port, secs)
    one = run_wrk(env, fronts[0][0].pid, url % fronts[0][1], secs)
    three = wrk_many([url % port for _, port in fronts], secs, 34)
    out["rps_local_one"] = one_local["rps"]
    out["rps_redis_one"] = one["rps"]
    out["rps_redis_three"] = three["rps"]
    out["p99_redis_three_ms"] = three["p99_ms"]
    out["cpu_us_local"] = one_local["cpu_us_per_request"]
    out["cpu_us_redis"] = one["cpu_us_per_request"]
    for p, _ in fronts:
        env.procs.stop(p)
    env.results["redis"] = out


# ---- 4: scale -------------------------------------------------------------

def scale_rows(n, transport, base, count=None):
    rows = []
    for i in range(count or n):
        port = base + i if transport == "ssh" else base + n + i
        rows.append(router_row("s%04d" % (i + 1), "cisco-ios", transport,
                               "127.0.0.1", port, "scale", 1))
    return rows


def scale_transport(env, emu, n, transport):
    kh = emu.known_hosts(range(SCALE_BASE, SCALE_BASE + n)) \
        if transport == "ssh" else ""
    # The same broker with one router: its memory is the base line.
    one = Daemons(env, "scale-one-" + transport,
                  scale_rows(n, transport, SCALE_BASE, 1), kh, web=False)
    one.start()
    time.sleep(1)
    rss_one = rss_kib(one.broker.pid)
    one.stop()
    d = Daemons(env, "scale-" + transport,
                scale_rows(n, transport, SCALE_BASE), kh, web=False)
    d.start_broker()
    t0 = d.t_start
    limit = 120
    up, series = 0, []
    while time.monotonic() - t0 < limit:
        up = d.count_up()
        series.append((round(time.monotonic() - t0, 2), up))
        if up == n:
            break
        time.sleep(0.25)
    t_up = time.monotonic() - t0
    if up < n:
        d.stop()
        raise BenchError("scale %s: only %d of %d routers up after %ds"
                         % (transport, up, n, limit))
    time.sleep(2)
    rss_all = rss_kib(d.broker.pid)
    d.start_web()
    secs = env.n(10, 2)
    # wrk picks a random router for every request (32 connections).
    lua = os.path.join(d.dir, "random.lua")
    with open(lua, "w") as f:
        f.write("local n = %d\nlocal k = 0\n"
                "function setup(thread) k = k + 1; thread:set('id', k) end\n"
                "function init(args) math.randomseed(os.time() * 7 + id) end\n"
                "function request()\n"
                "  return wrk.format('GET', string.format("
                "'/api/v1/query?router=s%%04d&type=bgp_route"
                "&target=1.0.4.0%%%%2F24', math.random(1, n)))\nend\n" % n)
    check = Api(d.port)
    check.query("s%04d" % n, "bgp_route", "1.0.4.0/24")
    check.close()
    w = run_wrk(env, d.web.pid, "http://127.0.0.1:%d" % d.port, secs,
                conns=32, script=lua)
    rss_load = rss_kib(d.broker.pid)
    d.stop()
    return {"routers": n, "all_up_s": t_up, "up_series": series[-5:],
            "rss_one_router_kib": rss_one, "rss_all_up_kib": rss_all,
            "rss_after_load_kib": rss_load,
            "per_session_kib": (rss_all - rss_one) / (n - 1),
            "load": {"tool": "wrk, random router per request",
                     "connections": 32, "seconds": secs,
                     "queries": w["requests"], "qps": w["rps"],
                     "errors": w["non_2xx"], "socket_errors":
                     w["socket_errors"], "median": w["p50_ms"],
                     "p99": w["p99_ms"], "web_cpu_s": w["cpu_s"]}}


def bench_scale(env):
    n = env.n(1000, 100)
    emu = Emulator(env, "scale-emu")
    emu.start_scale(n, SCALE_BASE)
    out = {}
    try:
        for transport in ("telnet", "ssh"):
            out[transport] = scale_transport(env, emu, n, transport)
            out[transport]["emulator_stats"] = emu.command("stats")
    finally:
        emu.stop()
    env.results["scale"] = out


# ---- table ---------------------------------------------------------------

def fmt(v, unit="", digits=2):
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    return ("%.*f" % (digits, v)) + unit


CHAOS_SSH_BASE = 4251
CHAOS_TEL_BASE = 4351


def chaos_poll(what, fn, t0, limit=60):
    """Seconds from t0 until fn() holds, polled every 20 ms."""
    wait_until(what, limit, fn, 0.02)
    return time.monotonic() - t0


def bench_chaos(env):
    """lgbrokerd killed with SIGKILL and started again, after a short and
    after a long outage: how long lgwebd takes to reconnect to the new
    broker, to list its routers up once the broker has them up, and to
    answer a query again."""
    emu = Emulator(env, "chaos-emu")
    emu.start_fleet([("chaos1", CHAOS_SSH_BASE, CHAOS_TEL_BASE, ""),
                     ("chaos2", CHAOS_SSH_BASE + 1, CHAOS_TEL_BASE + 1, "")])
    rows = [router_row("chaos1", "cisco-ios", "ssh", "127.0.0.1",
                       CHAOS_SSH_BASE, "emu", 1),
            router_row("chaos2", "cisco-ios", "telnet", "127.0.0.1",
                       CHAOS_TEL_BASE + 1, "emu", 1)]
    d = Daemons(env, "chaos", rows, emu.known_hosts([CHAOS_SSH_BASE]))
    d.start()

    def healthy():
        return b"connected" in http_get("127.0.0.1", d.port, "/healthz")[1]

    def listed_up():
        doc = json.loads(http_get("127.0.0.1", d.port, "/api/v1/routers")[1])
        rs = doc.get("routers")	# absent while lgwebd has no list
        return bool(rs) and all(r["state"] == "up" for r in rs)

    def answers():
        st, body = http_get("127.0.0.1", d.port, "/api/v1/query?router="
                            "chaos1&type=bgp_route&target=1.0.4.0/24")
        return st == 200 and json.loads(body)["results"][0]["status"] == "ok"

    out = {}
    for label, down in (("short", 0.5), ("long", env.n(10, 6))):
        s = {"reconnect": [], "relist": [], "answer": []}
        for _ in range(env.n(5, 1)):
            d.broker.kill()
            d.broker.wait()
            env.procs.stop(d.broker)
            # Its sockets stay behind: start_broker waits for a new one.
            for sock in (d.admin, os.path.join(d.dir, "broker.sock")):
                os.unlink(sock)
            time.sleep(down)
            st, _ = http_get("127.0.0.1", d.port, "/healthz")
            if st != 503:
                raise BenchError("/healthz says %d with the broker away" % st)
            d.start_broker()
            t0 = time.monotonic()
            s["reconnect"].append(1000 * chaos_poll("reconnect", healthy, t0))
            wait_until("the new broker's routers", 60, d.all_up, 0.02)
            t1 = time.monotonic()
            s["relist"].append(1000 * chaos_poll("router list", listed_up, t1))
            s["answer"].append(1000 * chaos_poll("an answer", answers, t0))
        out[label] = {k: summary(v) for k, v in s.items()}
        out[label]["down_s"] = down
    d.stop()
    emu.stop()
    env.results["chaos"] = out


def rows_of(res):
    """(measurement, figure, value, target, met) rows for the table."""
    rows = []

    def row(m, fig, val, target, met):
        rows.append((m, fig, val, target,
                     "-" if met is None else ("yes" if met else "NO")))

    w = res.get("warm")
    if w:
        for t, floor in (("ssh", "ssh -tt into vtysh"),
                         ("telnet", "telnet into the bgpd vty")):
            f, l, o = w["floor_" + t], w["lg_" + t], w["overhead_" + t]
            row("1 warm (" + t + ")", "floor: " + floor,
                "%s / %s" % (fmt(f["median"], " ms", 3), fmt(f["p99"], " ms", 3)),
                "median / p99", None)
            row("", "Lorgnette (lgwebd JSON API)",
                "%s / %s" % (fmt(l["median"], " ms", 3), fmt(l["p99"], " ms", 3)),
                "median / p99", None)
            row("", "overhead median", fmt(o["median"], " ms", 3), "<= 1 ms",
                o["median"] <= 1.0)
            row("", "overhead p99", fmt(o["p99"], " ms", 3), "<= 3 ms",
                o["p99"] <= 3.0)
            if t == "ssh" and "broker_ssh" in w:
                b, c = w["broker_ssh"], w["lgctl_ssh"]
                x = w["web_over_broker_ssh"]
                row("", "broker socket, persistent client",
                    "%s / %s" % (fmt(b["median"], " ms", 3),
                                 fmt(b["p99"], " ms", 3)),
                    "median / p99", None)
                row("", "latency lgwebd adds to it",
                    "%s / %s" % (fmt(x["median"], " ms", 3),
                                 fmt(x["p99"], " ms", 3)),
                    "(reported)", None)
                row("", "lgctl, a process per query",
                    "%s / %s" % (fmt(c["median"], " ms", 3),
                                 fmt(c["p99"], " ms", 3)),
                    "median / p99", None)
                if "lgctl_over_floor_ssh" in w:
                    o = w["lgctl_over_floor_ssh"]["median"]
                    row("", "lgctl over the router's own time (median)",
                        fmt(o, " ms", 3), "<= 1.5 ms", o <= 1.5)
                    if "lgctl_over_broker_ssh" in w:
                        row("", "lgctl over the socket client (median)",
                            fmt(w["lgctl_over_broker_ssh"]["median"], " ms",
                                3), "(reported)", None)
                    row("", "process start alone (/bin/true)",
                        fmt(w["spawn"]["median"], " ms", 3), "(reported)",
                        None)
                    if "client_over_floor_ssh" in w:
                        row("", "least client process over the router's "
                            "time", fmt(w["client_over_floor_ssh"]["median"],
                                        " ms", 3), "(reported)", None)
                if "lgctl_ssh_py" in w:
                    row("", "lgctl / /bin/true from Python's subprocess",
                        "%s / %s" % (fmt(w["lgctl_ssh_py"]["median"], " ms",
                                         3),
                                     fmt(w["spawn_py"]["median"], " ms", 3)),
                        "(reported)", None)
    g = res.get("login")
    if g:
        for t in ("ssh", "telnet"):
            f = g["fresh_" + t]
            row("2 login (" + t + ")", "fresh login + command",
                "%s / %s" % (fmt(f["median"], " ms", 1), fmt(f["p99"], " ms", 1)),
                "median / p99", None)
            row("", "Lorgnette vs fresh login (median)",
                fmt(g["speedup_" + t], "x", 0 if g["speedup_" + t] >= 10
                    else 1), ">= 100x",
                g["speedup_" + t] >= 100)
    f = res.get("fanout")
    if f:
        row("3 fan-out", "20 routers (lgctl) / slowest alone",
            "%s / %s" % (fmt(f["all20"]["median"], " ms", 1),
                         fmt(f["slowest"]["median"], " ms", 1)),
            "median", None)
        row("", "ratio", fmt(f["ratio"], "x"), "<= 1.2x", f["ratio"] <= 1.2)
        row("", "20 routers (lgwebd) / slowest", fmt(f["ratio_web"], "x"),
            "<= 1.2x", f["ratio_web"] <= 1.2)
    s = res.get("scale")
    if s:
        for t, cap in (("telnet", 64), ("ssh", 256)):
            x = s.get(t)
            if not x:
                continue
            row("4 scale (" + t + ")", "%d routers all up" % x["routers"],
                fmt(x["all_up_s"], " s", 1), "< 30 s", x["all_up_s"] < 30)
            row("", "memory per warm session",
                fmt(x["per_session_kib"], " KiB", 1), "<= %d KiB" % cap,
                x["per_session_kib"] <= cap)
            ld = x["load"]
            row("", "latency, random routers, 32 clients (%.0f q/s)"
                % ld["qps"],
                "%s / %s" % (fmt(ld.get("median"), " ms"),
                             fmt(ld.get("p99"), " ms")),
                "(reported; %d errors)" % ld["errors"], None)
    fr = res.get("front")
    if fr:
        for k, name in (("cached_query", "cached /api/v1/query"),
                        ("static", "static page /")):
            x = fr[k]
            row("5 front", name + " req/s (median p99 of %d runs)"
                % fr.get("runs", 1), fmt(x["rps"], "", 0),
                ">= 20000", x["rps"] >= 20000)
            row("", "  p99 latency", fmt(x["p99_ms"], " ms"), "< 20 ms",
                x["p99_ms"] < 20)
            row("", "  lgwebd CPU per request",
                fmt(x["cpu_us_per_request"], " us", 1), "(reported)", None)
            if "runqueue_wait_s" in x:
                row("", "  lgwebd run-queue wait / CPU time",
                    "%s / %s" % (fmt(x["runqueue_wait_s"], " s"),
                                 fmt(x["cpu_s"], " s")),
                    "(reported)", None)
            if "others_cpu_s" in x:
                row("", "  CPU s: lgwebd / wrk / other work (%.0f s x 2)"
                    % x["seconds"],
                    "%s / %s / %s" % (fmt(x["cpu_s"], "", 1),
                                      fmt(x["wrk_cpu_s"], "", 1),
                                      fmt(x["others_cpu_s"], "", 1)),
                    "(reported)", None)
        x = fr.get("nginx_static")
        if x:
            row("5 reference", "nginx (2 workers), same page: req/s / p99",
                "%s / %s" % (fmt(x["rps"], "", 0), fmt(x["p99_ms"], " ms")),
                "(same wrk, same run)", None)
            row("", "  nginx CPU per request / other work",
                "%s / %s" % (fmt(x["cpu_us_per_request"], " us", 1),
                             fmt(x["others_cpu_s"], " s", 1)),
                "(reported)", None)
    b = res.get("big")
    if b:
        for k in ("small", "large"):
            x = b[k]
            row("6 big output" if k == "small" else "",
                "%d MiB (%d routes): ttfb / total" % (x["mib"], x["lines"]),
                "%s / %s" % (fmt(x["ttfb_ms"], " ms", 1),
                             fmt(x["total_ms"], " ms", 0)),
                "ttfb << total", x["ttfb_ms"] < x["total_ms"] / 10)
            row("", "  peak RSS broker / web",
                "%d / %d KiB" % (x["peak_rss_kib"]["broker"],
                                 x["peak_rss_kib"]["web"]),
                "bounded", None)
        grow = {p: b["large"]["peak_rss_kib"][p] - b["small"]["peak_rss_kib"][p]
                for p in ("broker", "web")}
        ratio = b["large"]["bytes"] / max(1, b["small"]["bytes"])
        row("", "  peak RSS growth for %.0fx the output" % ratio,
            "%+d / %+d KiB" % (grow["broker"], grow["web"]),
            "independent of size",
            max(grow.values()) < 0.1 * (b["large"]["bytes"] -
                                        b["small"]["bytes"]) / 1024)
    pr = res.get("parse")
    if pr:
        first = True
        for x in pr["drivers"]:
            d, e = x["deployed"], x["every_line"]
            row("8 parse" if first else "",
                "%s %s (%d MiB, cap 10000)" % (x["driver"], x["type"],
                                               pr["mib"]),
                "%s / %s" % (fmt(d["mb_s"], " MB/s", 0),
                             fmt(e["mb_s"], " MB/s", 0)),
                ">= 100 MB/s (as deployed)", d["mb_s"] >= 100)
            first = False
        rows.append(("", "(value: as deployed / every line parsed)", "",
                     "", "-"))
    p = res.get("parse_lab")
    if p:
        row("9 parse (lab)", "%s (%d lines), parsed / unparsed"
            % (p.get("table", "whole lab table"), p["lines"]),
            "%s / %s" % (fmt(p["parsed"]["median"], " ms", 0),
                         fmt(p["unparsed"]["median"], " ms", 0)),
            "median of %d" % p["rounds"], None)
        row("", "wall time ratio", fmt(p["ratio"], "x", 3), "<= 1.10x",
            p["ratio"] <= 1.10)
        m = p["memory"]
        row("", "  broker peak RSS: start / IPv4 table (%d lines) "
            "unparsed / parsed" % m["lines"],
            "%d / %d / %d KiB" % (m["hwm_start_kib"], m["hwm_unparsed_kib"],
                                  m["hwm_parsed_kib"]),
            "bounded (%d prefixes kept%s)" % (
                m["prefixes"], ", cap hit" if m["truncated"] else ""),
            None)
    c = res.get("chaos")
    if c:
        for label in ("short", "long"):
            x = c[label]
            row("10 broker killed" if label == "short" else "",
                "down %.1f s: reconnect / routers listed (max)"
                % x["down_s"],
                "%s / %s" % (fmt(x["reconnect"]["max"], " ms", 0),
                             fmt(x["relist"]["max"], " ms", 0)),
                "< 2 s", max(x["reconnect"]["max"],
                             x["relist"]["max"]) < 2000)
            row("", "  first answer after the restart (median)",
                fmt(x["answer"]["median"], " ms", 0), "(reported)", None)
    h = res.get("hang")
    if h:
        row("7 hung router", "others without / with (median)",
            "%s / %s" % (fmt(h["without"]["median"], " ms", 3),
                         fmt(h["with"]["median"], " ms", 3)),
            "", None)
        row("", "ratio median (p99)",
            "%s (%s)" % (fmt(h["ratio"], "x"), fmt(h["ratio_p99"], "x")),
            "<= 1.2x", h["ratio"] <= 1.2)
    f = res.get("flood")
    if f:
        row("12 flooded broker", "probe alone / beside %d frames (median)"
            % f["frames"], "%s / %s" % (fmt(f["alone"]["median"], " ms", 3),
                                        fmt(f["beside"]["median"], " ms", 3)),
            "", None)
        row("", "ratio median", fmt(f["ratio"], "x"), "<= 2x",
            f["ratio"] <= 2)
        row("", "broker RSS growth during the flood",
            fmt(f["rss_growth_kib"] / 1024, " MiB", 1), "(reported)", None)

    st = res.get("store")
    if st:
        row("13 stored results", "plain / store=1 (median)",
            "%s / %s" % (fmt(st["plain"]["median"], " ms", 3),
                         fmt(st["store"]["median"], " ms", 3)),
            "", None)
        row("", "store=1 / plain (median), added",
            "%s, %s" % (fmt(st["ratio"], "x"),
                        fmt(st["added_median"], " ms", 3)),
            "(reported)", None)
        row("", "GET /api/v1/results/<id> (median / p99)",
            "%s / %s" % (fmt(st["get"]["median"], " ms", 3),
                         fmt(st["get"]["p99"], " ms", 3)),
            "(reported)", None)
    rd = res.get("redis")
    if rd:
        row("15 shared store", "cached query, in-process (median / p99)",
            "%s / %s" % (fmt(rd["local"]["median"], " ms", 3),
                         fmt(rd["local"]["p99"], " ms", 3)), "", None)
        row("", "cached query, web.store (median / p99)",
            "%s / %s" % (fmt(rd["redis"]["median"], " ms", 3),
                         fmt(rd["redis"]["p99"], " ms", 3)), "", None)
        row("", "added by the store (median / p99)",
            "%s / %s" % (fmt(rd["added_median"], " ms", 3),
                         fmt(rd["added_p99"], " ms", 3)), "(reported)", None)
        row("", "cached req/s: 1 front in-process / 1 front store",
            "%.0f / %.0f" % (rd["rps_local_one"], rd["rps_redis_one"]),
            "(reported)", None)
        row("", "cached req/s: 3 fronts sharing the store",
            "%.0f (p99 %s)" % (rd["rps_redis_three"],
                               fmt(rd["p99_redis_three_ms"], " ms", 1)),
            "(reported)", None)
        row("", "lgwebd CPU per request: in-process / store",
            "%s / %s" % (fmt(rd["cpu_us_local"], " us", 1),
                         fmt(rd["cpu_us_redis"], " us", 1)),
            "(reported)", None)
    return rows


def table(res):
    rows = rows_of(res)
    head = ("measurement", "figure", "value", "target", "met")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(5)]
    lines = ["| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(head))
             + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(c).ljust(widths[i])
                                       for i, c in enumerate(r)) + " |")
    return "\n".join(lines)


# ---- main -----------------------------------------------------------------

MEASUREMENTS = [("warm", bench_warm, True), ("login", bench_login, True),
                ("fanout", bench_fanout, False), ("front", bench_front, False),
                ("big", bench_big, False), ("hang", bench_hang, False),
                ("flood", bench_flood, False),
                ("scale", bench_scale, False), ("parse", bench_parse, False),
                ("parse_lab", bench_parse_lab, True),
                ("chaos", bench_chaos, False), ("store", bench_store, False),
                ("redis", bench_redis, False)]


def machine():
    info = {"nproc": os.cpu_count()}
    try:
        with open("/proc/loadavg") as f:
            info["loadavg"] = f.read().split()[:3]
    except OSError:
        pass
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--build", default=os.path.join(TOP, "build/plain"))
    ap.add_argument("--run", required=True)
    ap.add_argument("--lab-env")
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    env = Env(args)
    only = set(filter(None, args.only.split(",")))
    failed = {}
    started = datetime.datetime.now(datetime.timezone.utc)
    try:
        for name, fn, needs_lab in MEASUREMENTS:
            if only and name not in only:
                continue
            if needs_lab and not env.lab:
                failed[name] = "no lab"
                continue
            log("%s ..." % name)
            t0 = time.monotonic()
            try:
                fn(env)
            except (BenchError, OSError, subprocess.SubprocessError,
                    http.client.HTTPException, ValueError, KeyError) as e:
                failed[name] = "%s: %s" % (type(e).__name__, e)
                log("%s FAILED: %s" % (name, failed[name]))
            log("%s done in %.1fs" % (name, time.monotonic() - t0))
    finally:
        env.procs.stop_all()
    doc = {"date": started.isoformat(timespec="seconds"),
           "quick": args.quick, "build": env.build, "machine": machine(),
           "results": env.results, "failed": failed}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    print(table(env.results))
    for k, v in failed.items():
        print("FAILED %s: %s" % (k, v))
    print("results: %s" % args.out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
