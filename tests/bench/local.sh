#!/bin/sh
# make bench, local (tests/bench/README.md, measurement "local"): what a
# ping from the looking-glass host itself (transport local) costs over
# running ping directly, measured in one run.
#
#   sh tests/bench/local.sh [--quick]
#
# A real lgbrokerd with one router, driver linux-host with ping_count 1,
# answers "lgctl query here ping 127.0.0.1"; in the same rounds,
# interleaved, the same argv is run directly, and "lgctl routers" stands
# for the client's own start and round trip.  Prints one JSON object:
# medians in ms, the ratio local/direct, and the broker's share (local
# minus direct minus the client).  --quick: 15 rounds instead of 60.
# Environment: LG_BENCH_BUILD (default build/plain).

set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
BUILD=${LG_BENCH_BUILD:-build/plain}
ROUNDS=60
[ "${1:-}" = --quick ] && ROUNDS=15

say() { printf 'bench local: %s\n' "$*" >&2; }
for b in lgbrokerd lgctl; do
	[ -x "$BUILD/$b" ] || { say "$BUILD/$b is not built (make progs)"; exit 1; }
done
[ -x /usr/bin/ping ] || { say "/usr/bin/ping is missing (make deps)"; exit 1; }

RUN=$(mktemp -d /tmp/lg-bench-local.XXXXXX) || exit 1
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$RUN/drivers"
sed 's/^ping_count = 5;/ping_count = 1;/' "$TOP/drivers/linux-host.conf" \
    >"$RUN/drivers/linux-host.conf"
cat >"$RUN/lorgnette.conf" <<EOF
broker: {
  socket = "$RUN/broker.sock";
  admin_socket = "$RUN/admin.sock";
  drivers = "$RUN/drivers";
};
policy: { forbidden = [ "10.0.0.0/8" ]; };
routers = ( { name = "here"; driver = "linux-host"; transport = "local"; } );
EOF
"$BUILD/lgbrokerd" -d -f "$RUN/lorgnette.conf" >"$RUN/broker.log" 2>&1 &
PID=$!
i=0
until "$BUILD/lgctl" -s "$RUN/admin.sock" status 2>/dev/null |
    grep -q '^here  *up'; do
	i=$((i + 1))
	[ $i -lt 100 ] || { say "the broker did not come up"; cat "$RUN/broker.log" >&2; exit 1; }
	sleep 0.1
done

python3 - "$BUILD/lgctl" "$RUN/admin.sock" "$ROUNDS" <<'EOF'
import json, statistics, subprocess, sys, time
ctl, sock, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
direct = ["/usr/bin/ping", "-4", "-n", "-c", "1", "-w", "15", "127.0.0.1"]
local = [ctl, "-s", sock, "query", "here", "ping", "127.0.0.1"]
client = [ctl, "-s", sock, "routers"]
t = {"direct": [], "local": [], "client": []}
def run(name, argv):
    t0 = time.perf_counter()
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    t[name].append((time.perf_counter() - t0) * 1000)
    if out.returncode != 0 or (name != "client" and b" 0% packet loss" not in out.stdout):
        sys.exit("bench local: %s failed: %s" % (name, out.stdout.decode(errors="replace")))
for i in range(rounds):
    order = [("direct", direct), ("local", local), ("client", client)]
    if i % 2:
        order.reverse()
    for name, argv in order:
        run(name, argv)
m = {k: statistics.median(v) for k, v in t.items()}
print(json.dumps({"measurement": "local", "rounds": rounds,
    "direct_ms": round(m["direct"], 2), "local_ms": round(m["local"], 2),
    "client_ms": round(m["client"], 2),
    "ratio": round(m["local"] / m["direct"], 2),
    "broker_ms": round(m["local"] - m["direct"] - m["client"], 2)}))
EOF
rc=$?
kill "$PID" 2>/dev/null
wait "$PID"
PID=
exit $rc
