#!/bin/sh
# make bench, RPKI (tests/bench/README.md, measurement "rpki"): what
# origin validation costs the broker, measured in one run.
#
#   sh tests/bench/rpki.sh [--quick]
#
#   1. bench_rpki: CPU time of parsing a 100,000-route FRR table answer
#      with and without the route facts and validation against 800,000
#      generated VRPs in RTRlib's table (ratio, medians of interleaved
#      runs, pinned to one core), and the table's memory; beside it
#      RTRlib's lookups alone, our part, and the wall time of the
#      validation pass on one thread; then, on every core, the wall time
#      of the answer streamed as the broker does with the facts on the
#      facts thread against the parse alone, and the event loop's own
#      work at the answer's end, before (facts, dump and free on the
#      loop) and now (hand-off and callback);
#   2. a real broker and a real RTR server: stayrtr serving a file of
#      800,000 generated VRPs; from lgbrokerd's start until lgctl status
#      shows the whole set (time to the first complete VRP set), and the
#      broker's RSS then, against the same broker without rpki.
#
# Prints one JSON object per step.  --quick: 10,000 routes and VRPs.
# Environment: LG_BENCH_BUILD (default build/plain).

set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
BUILD=${LG_BENCH_BUILD:-build/plain}
ROUTES=100000
VRPS=800000
[ "${1:-}" = --quick ] && ROUTES=10000 VRPS=10000

say() { printf 'bench rpki: %s\n' "$*" >&2; }
for b in lgbrokerd lgctl bench_rpki; do
	[ -x "$BUILD/$b" ] || { say "$BUILD/$b is not built (make bench-rpki progs)"; exit 1; }
done
command -v stayrtr >/dev/null 2>&1 || { say "stayrtr is missing (make deps)"; exit 1; }

RUN=$(mktemp -d /tmp/lg-bench-rpki.XXXXXX) || exit 1
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

taskset -c 1 "$BUILD/bench_rpki" drivers "$ROUTES" "$VRPS" 5 ||
    { say "bench_rpki failed"; exit 1; }

PORT=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$RUN/vrps.json" "$VRPS" <<'PY'
import json, random, sys
rng = random.Random(17)
n = int(sys.argv[2])
seen = set()
roas = []
while len(roas) < n:
    if len(roas) % 5 == 0:
        p = "2a%02x:%x:%x::/48" % (rng.randrange(256), rng.randrange(65536),
                                   rng.randrange(65536))
    else:
        p = "%d.%d.%d.0/24" % (rng.randrange(1, 224), rng.randrange(256),
                               rng.randrange(256))
    if p in seen:
        continue
    seen.add(p)
    roas.append({"prefix": p, "maxLength": int(p.split("/")[1]),
                 "asn": "AS%d" % rng.randrange(1, 400000), "ta": "bench"})
json.dump({"metadata": {"buildtime": "2026-01-01T00:00:00Z"},
           "roas": roas}, open(sys.argv[1], "w"))
PY
stayrtr -bind "127.0.0.1:$PORT" -metrics.addr "127.0.0.1:$((PORT + 1))" \
    -cache "$RUN/vrps.json" -checktime=false >"$RUN/stayrtr.log" 2>&1 &
PIDS="$PIDS $!"
# stayrtr reads the file before it listens.
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" \
    2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 600 ] || { say "stayrtr did not start"; exit 1; }
	sleep 0.1
done

printf 'credentials = { c = { username = "u"; password = "p"; }; };\n' \
    >"$RUN/credentials.conf"
chmod 600 "$RUN/credentials.conf"
# One router that is never reached: the broker's own RSS.
conf() {
	cat <<CONF
broker: { socket = "$RUN/b.sock"; admin_socket = "$RUN/a.sock";
  drivers = "$TOP/drivers"; credentials = "credentials.conf"; };
routers = ( { name = "r"; driver = "frr"; transport = "telnet";
  host = "127.0.0.1"; port = 9; credential = "c"; } );
CONF
	[ "$1" = rpki ] && echo "rpki = { caches = [ \"127.0.0.1:$PORT\" ]; };"
}

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# broker MODE: starts it, waits for the VRPs (MODE rpki), prints
# "SECONDS RSS_KIB".
broker() {
	conf "$1" >"$RUN/lorgnette.conf"
	rm -f "$RUN/a.sock"
	t0=$(date +%s.%N)
	"$BUILD/lgbrokerd" -d -f "$RUN/lorgnette.conf" >"$RUN/broker-$1.log" 2>&1 &
	bpid=$!
	PIDS="$PIDS $bpid"
	until [ -S "$RUN/a.sock" ]; do sleep 0.01; done
	if [ "$1" = rpki ]; then
		until [ "$("$BUILD/lgctl" -s "$RUN/a.sock" -j status 2>/dev/null |
		    python3 -c 'import json, sys
c = json.load(sys.stdin).get("rpki") or [{}]
print(c[0].get("vrps_ipv4", 0) + c[0].get("vrps_ipv6", 0))')" = "$VRPS" ]; do
			sleep 0.05
		done
	else
		sleep 1
	fi
	t1=$(date +%s.%N)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $(rss $bpid)"
	kill "$bpid"
	wait "$bpid" 2>/dev/null
}

set -- $(broker plain)
plain_rss=$2
set -- $(broker rpki)
printf '{"vrps": %s, "first_complete_set_s": %s, "broker_rss_kib": %s, "broker_rss_without_rpki_kib": %s, "vrps_rss_kib": %s}\n' \
    "$VRPS" "$1" "$2" "$plain_rss" "$(($2 - plain_rss))"
