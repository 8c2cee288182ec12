#!/bin/sh
# make bench, regions (tests/bench/README.md, measurement "regions"): what
# a broker link over TCP with mutual TLS costs a warm query against the
# Unix socket, and how long a front takes to notice a lost broker and to
# get it back, for a killed broker and for a silent link (a stopped one).
#
#   sh tests/bench/regions.sh [--quick]
#
# One emulator router (ios1 over SSH) behind one lgbrokerd with
# broker.listen_tls; two lgwebd in front of it, one on the Unix socket,
# one with web.brokers over TLS.  Warm: bgp_route through each front's
# JSON API, cache off, alternating query by query, the order alternating
# too (400 each, 40 quick): medians, p99, the difference.  Then the TLS
# front's view, /api/v1/routers polled every 20 ms: kill -9 of the
# broker until the router shows down (detection), restart until it shows
# up and until a query answers (recovery); SIGSTOP until down, SIGCONT
# until up; and, as root with nft, a partition: an nftables table of its
# own dropping every packet to and from the broker's port (a silent
# link, the broker running) until down, the table deleted until up.
# 3 rounds each (1 quick); goals 2 s and 5 s.  Prints one JSON object.
# Environment: LG_BENCH_BUILD (default build/plain).

set -u
cd "$(dirname "$0")/../.." || exit 1
LG_TOP=$(pwd)
LG_BUILD=${LG_BENCH_BUILD:-build/plain}
export LG_TOP LG_BUILD
ROUNDS=400 CYCLES=3 QUICK=
[ "${1:-}" = --quick ] && ROUNDS=40 CYCLES=1 QUICK=1

say() { printf 'bench regions: %s\n' "$*" >&2; }
. "$LG_TOP/tests/lib/tap.sh" >/dev/null
. "$LG_TOP/tests/broker/lib.sh"
. "$LG_TOP/tests/deploy/lib.sh"
for b in lgbrokerd lgwebd lgemu; do
	[ -x "$BK_BIN/$b" ] || { say "$BK_BIN/$b is not built"; exit 1; }
done

bk_init bench-regions
PORTS=$(bk_free_base 110) || { say "no free ports"; exit 1; }
bk_emu_up "$PORTS" 50 >/dev/null
bk_emu_credentials
P_EU=$((PORTS + 100)) DP_WEB_PORT=$((PORTS + 102)) P_UNIX=$((PORTS + 103))
dp_pki && dp_cert eu eu && dp_cert front front ||
    { say "openssl cannot make the certificates"; exit 1; }
R=$(dp_router ios-ssh ios1 ssh cisco-ios)
dp_broker eu "$P_EU" "$R"
dp_broker_start eu || { say "the broker did not start"; exit 1; }
dp_web "$BK/tls.conf" "$(dp_link eu "$P_EU")" "$R"
dp_web "$BK/unix.conf" "" "$R"
sed -i -e "s/127.0.0.1:$DP_WEB_PORT/127.0.0.1:$P_UNIX/" \
    -e '/brokers = (/,/^  );/d' "$BK/unix.conf"
printf 'broker: { socket = "%s"; };\n' "$BK/eu/broker.sock" >>"$BK/unix.conf"
"$BK_BIN/lgwebd" -d -f "$BK/tls.conf" >"$BK/tls.log" 2>&1 &
W1=$!
"$BK_BIN/lgwebd" -d -f "$BK/unix.conf" >"$BK/unix.log" 2>&1 &
W2=$!
BK_CLEANUP_EXTRA="kill $W1 $W2 2>/dev/null; ${BK_CLEANUP_EXTRA:-}"
dp_wait_state ios-ssh up 60 >/dev/null || { say "the router did not come up"; exit 1; }

echo "$DP_PID_eu" >"$BK/eu.pid"
python3 - "$DP_WEB_PORT" "$P_UNIX" "$ROUNDS" "$CYCLES" "$BK" "$BK_BIN" "$P_EU" <<'PY'
import http.client, json, os, shutil, signal, statistics, subprocess, sys, time

tls_port, unix_port, rounds, cycles = (int(x) for x in sys.argv[1:5])
bk, bindir, eu_port = sys.argv[5], sys.argv[6], int(sys.argv[7])
path = "/api/v1/query?router=ios-ssh&type=bgp_route&target=1.0.4.0/24"
conns = {"tls": http.client.HTTPConnection("127.0.0.1", tls_port, timeout=20),
         "unix": http.client.HTTPConnection("127.0.0.1", unix_port, timeout=20)}


def query(name):
    c = conns[name]
    t0 = time.perf_counter_ns()
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    dt = (time.perf_counter_ns() - t0) / 1e6
    if r.status != 200 or b'"status":"ok"' not in body:
        sys.exit("bench regions: %s query failed: %d" % (name, r.status))
    return dt


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))]


for name in conns:      # warm the paths
    for _ in range(5):
        query(name)
t = {"tls": [], "unix": []}
for i in range(rounds):
    order = ["unix", "tls"] if i % 2 == 0 else ["tls", "unix"]
    for name in order:
        t[name].append(query(name))


def state():
    c = http.client.HTTPConnection("127.0.0.1", tls_port, timeout=5)
    try:
        c.request("GET", "/api/v1/routers")
        d = json.loads(c.getresponse().read())
        return d["routers"][0]["state"]
    except Exception:
        return None
    finally:
        c.close()


def wait(want, limit=60):
    t0 = time.monotonic()
    while state() != want:
        if time.monotonic() - t0 > limit:
            sys.exit("bench regions: the router never showed %s" % want)
        time.sleep(0.02)
    return (time.monotonic() - t0) * 1000


def answers(limit=60):
    t0 = time.monotonic()
    while True:
        c = http.client.HTTPConnection("127.0.0.1", tls_port, timeout=20)
        c.request("GET", path)
        r = c.getresponse()
        ok = r.status == 200 and b'"status":"ok"' in r.read()
        c.close()
        if ok:
            return (time.monotonic() - t0) * 1000
        if time.monotonic() - t0 > limit:
            sys.exit("bench regions: no answer after the restart")
        time.sleep(0.02)


conf = os.path.join(bk, "eu", "lorgnette.conf")
log = open(os.path.join(bk, "eu", "broker.log"), "ab")
kill_det, kill_up, kill_ans, stop_det, stop_up = [], [], [], [], []
part_det, part_up = [], []
broker = None
# A partition needs root and nftables: a table of this run's own, whose
# input hook drops the broker port's packets both ways (on loopback every
# packet passes input), deleted again whatever happens.
nft = shutil.which("nft") if os.geteuid() == 0 else None
table = "lgbench_regions_%d" % os.getpid()


def partition(on):
    if on:
        subprocess.run(["nft", "-f", "-"], check=True, input=(
            "table inet %s { chain in { type filter hook input priority 0; "
            "tcp dport %d drop; tcp sport %d drop; }; }"
            % (table, eu_port, eu_port)).encode())
    else:
        subprocess.run(["nft", "delete", "table", "inet", table],
                       stderr=subprocess.DEVNULL)


def cycle():
    global broker
    if broker is None:
        os.kill(int(open(os.path.join(bk, "eu.pid")).read()), signal.SIGKILL)
    else:
        broker.kill()
        broker.wait()
    kill_det.append(wait("down"))
    broker = subprocess.Popen([os.path.join(bindir, "lgbrokerd"), "-d", "-f",
                               conf], stdout=log, stderr=log)
    up = wait("up")
    kill_up.append(up)
    kill_ans.append(up + answers())
    os.kill(broker.pid, signal.SIGSTOP)
    stop_det.append(wait("down"))
    os.kill(broker.pid, signal.SIGCONT)
    stop_up.append(wait("up"))
    if nft:
        partition(True)
        part_det.append(wait("down"))
        partition(False)
        part_up.append(wait("up", 120))


try:
    for _ in range(cycles):
        cycle()
finally:
    if nft:
        partition(False)
    if broker is not None:
        os.kill(broker.pid, signal.SIGCONT)
        broker.terminate()
        broker.wait()
m = lambda v: round(statistics.median(v), 1) if v else None
print(json.dumps({
    "measurement": "regions", "rounds": rounds, "cycles": cycles,
    "warm_unix_ms": {"p50": round(statistics.median(t["unix"]), 3),
                     "p99": round(pct(t["unix"], .99), 3)},
    "warm_tls_ms": {"p50": round(statistics.median(t["tls"]), 3),
                    "p99": round(pct(t["tls"], .99), 3)},
    "tls_adds_ms": {"p50": round(statistics.median(t["tls"]) - statistics.median(t["unix"]), 3),
                    "p99": round(pct(t["tls"], .99) - pct(t["unix"], .99), 3)},
    "killed_detect_ms": m(kill_det), "killed_relisted_ms": m(kill_up),
    "killed_answers_ms": m(kill_ans),
    "silent_detect_ms": m(stop_det), "silent_recover_ms": m(stop_up),
    "partition_detect_ms": m(part_det), "partition_recover_ms": m(part_up),
    "goals_ms": {"detect": 2000, "recover": 5000}}))
PY
rc=$?
exit $rc
