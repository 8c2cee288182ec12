#!/bin/sh
# Router host names against a real resolver.  A network namespace holds
# dnsmasq serving the zone lgtest, the emulator listening on addresses of
# that zone, and lgbrokerd, which finds the resolver through
# /etc/netns/NS/resolv.conf (ip netns exec mounts it over /etc/resolv.conf;
# the host's own file is never touched).  Covered:
#   - lgbrokerd -n warns about a name that does not resolve, and passes;
#   - NXDOMAIN at start: the daemon lives, that router is down with
#     "cannot resolve NAME: ...", the others answer;
#   - a name with two addresses, one of them dead: the router comes up;
#   - a name that appears later: the router comes up without a restart;
#   - the name then changes address: the next session goes to the new one;
#   - NXDOMAIN at reload: the same, and the reload itself succeeds;
#   - a resolver that never answers: a reload adding routers behind it
#     returns at once, and other routers and ping targets still answer.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
command -v dnsmasq >/dev/null 2>&1 || skip_all "dnsmasq not installed"
for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done

bk_init resolver
NS=lgres$$
NSETC=/etc/netns/$NS
ZONE=$BK/zone.hosts
TEL=2301
BK_CLEANUP_EXTRA='res_cleanup'

res_cleanup() {
	LG_BUILD=$LG_BUILD ip netns exec "$NS" sh "$LG_TOP/tests/emulator/emu.sh" \
	    stop >/dev/null 2>&1
	for p in "$BK/dnsmasq.pid" "$BK/silent.pid"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$NSETC"
	rmdir /etc/netns 2>/dev/null
}

# in_ns COMMAND...: runs in the namespace, with its resolv.conf and hosts.
in_ns() {
	ip netns exec "$NS" "$@"
}

# --- the namespace, its resolver and its routers ------------------------------
mkdir -p "$NSETC" || exit 1
printf 'nameserver 10.77.0.53\noptions timeout:1 attempts:2\n' \
    >"$NSETC/resolv.conf"
printf '127.0.0.1 localhost\n10.77.0.9 pinghost.lgtest\n' >"$NSETC/hosts"
printf 'hosts: files dns\n' >"$NSETC/nsswitch.conf"
ip netns add "$NS" || { fail "network namespace created"; done_testing; exit 1; }
in_ns ip link set lo up
for a in 1 2 3 4 53 54; do
	in_ns ip addr add "10.77.0.$a/32" dev lo
done

# The zone: good has one address, multi a dead one (nothing listens
# there: refused) and a good one; nx, nx2 and late are not there yet.
cat >"$ZONE" <<EOF
10.77.0.1 good.lgtest
10.77.0.4 multi.lgtest
10.77.0.1 multi.lgtest
EOF
in_ns dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv \
    --no-hosts --addn-hosts="$ZONE" --local=/lgtest/ --no-negcache \
    --local-ttl=0 --listen-address=10.77.0.53 --bind-interfaces --port=53 \
    --user=root --pid-file="$BK/dnsmasq.pid" \
    --log-facility="$BK/dnsmasq.log" --log-queries &
# A resolver that never answers: a socket that never reads.
in_ns python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.54", 53))
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(600)' "$BK/silent.pid" &
i=0
until in_ns getent hosts good.lgtest >/dev/null 2>&1 || [ $i -ge 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
like "dnsmasq serves the test zone in the namespace" \
    "$(in_ns getent hosts good.lgtest)" '^10\.77\.0\.1 '

# The emulator: emuA on 10.77.0.1, emuB on .2, emuC on .3, the same port.
export LG_EMU_DIR=$BK/emu
mkdir -p "$LG_EMU_DIR"
cat >"$BK/fleet.conf" <<EOF
emulator: {
  fixtures = "$LG_TOP/tests/emulator/fixtures";
  audit = "$LG_EMU_DIR/audit";
  control = "$LG_EMU_DIR/lgemu.ctl";
  host_keys = [ "$LG_EMU_DIR/ssh_host_ed25519_key", "$LG_EMU_DIR/ssh_host_rsa_key" ];
};
routers = (
  { name = "emuA"; platform = "ios"; hostname = "emuA"; listen = "10.77.0.1";
    ssh_port = 2201; telnet_port = $TEL; username = "lg"; password = "lg-secret";
    enable_password = "lg-enable"; faults = { }; },
  { name = "emuB"; platform = "ios"; hostname = "emuB"; listen = "10.77.0.2";
    ssh_port = 2201; telnet_port = $TEL; username = "lg"; password = "lg-secret";
    enable_password = "lg-enable"; faults = { }; },
  { name = "emuC"; platform = "ios"; hostname = "emuC"; listen = "10.77.0.3";
    ssh_port = 2201; telnet_port = $TEL; username = "lg"; password = "lg-secret";
    enable_password = "lg-enable"; faults = { }; }
);
EOF
if ! LG_BUILD=$LG_BUILD in_ns sh "$LG_TOP/tests/emulator/emu.sh" start \
    "$BK/fleet.conf" >"$BK/emu-start.log" 2>&1; then
	fail "emulator starts in the namespace" "$(cat "$BK/emu-start.log")"
	done_testing
	exit 1
fi
pass "emulator starts in the namespace"

# bk_wait_state SECONDS STATE ROUTER...: until each router is in STATE.
bk_wait_state() {
	end=$(( $(date +%s) + $1 ))
	want=$2
	shift 2
	for r in "$@"; do
		until [ "$(bk_state "$r")" = "$want" ]; do
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.2
		done
	done
	return 0
}

# qstatus ROUTER JSON: "ok", or "error:CODE", of ROUTER in lgctl -j output.
qstatus() {
	printf '%s' "$2" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["results"]:
    if r["router"] == sys.argv[1]:
        print(r["status"] + ("" if r["status"] == "ok" else
            ":" + r.get("error", {}).get("code", "")))' "$1" 2>/dev/null
}

emu_sessions() {
	"$BK_BIN/lgemu" -C "$LG_EMU_DIR/lgemu.ctl" show "$1" |
	    sed -n 's/.*sessions=\([0-9]*\).*/\1/p'
}

cat >"$BK/credentials.conf" <<CRED
credentials = { emu = { username = "lg"; password = "lg-secret"; }; };
CRED
chmod 600 "$BK/credentials.conf"
: >"$BK/known_hosts"

ROUTERS='
  { name = "lit"; driver = "cisco-ios"; transport = "telnet";
    host = "10.77.0.1"; port = 2301; credential = "emu"; sessions = 1; },
  { name = "good"; driver = "cisco-ios"; transport = "telnet";
    host = "good.lgtest"; port = 2301; credential = "emu"; sessions = 1; },
  { name = "multi"; driver = "cisco-ios"; transport = "telnet";
    host = "multi.lgtest"; port = 2301; credential = "emu"; sessions = 1; },
  { name = "nx"; driver = "cisco-ios"; transport = "telnet";
    host = "nx.lgtest"; port = 2301; credential = "emu"; sessions = 2; },
  { name = "late"; driver = "cisco-ios"; transport = "telnet";
    host = "late.lgtest"; port = 2301; credential = "emu"; sessions = 1; }'

write_conf() {
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  connect_timeout = 3;
  breaker_failures = 3;
  breaker_probe = 2;
};
policy: {
  forbidden = [ "127.0.0.0/8" ];
};
routers = ($ROUTERS$1
);
CONF
}
write_conf ""

# --- lgbrokerd -n ----------------------------------------------------------------
out=$(in_ns "$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)
rc=$?
is "lgbrokerd -n passes with a name that does not resolve" "$rc" 0
like "and warns about it, naming the router, its line and the reason" "$out" \
    'lorgnette\.conf:[0-9]+: warning: router nx: cannot resolve nx\.lgtest: '
unlike "the names that resolve are not mentioned" "$out" 'good\.lgtest|multi\.lgtest'

# --- NXDOMAIN at start -------------------------------------------------------------
ip netns exec "$NS" sh -c 'ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
    exec "$1" -d -v -f "$2"' sh "$BK_BIN/lgbrokerd" "$BK/lorgnette.conf" \
    >"$BK/broker.log" 2>&1 &
BK_PID=$!
i=0
while [ ! -S "$BK/admin.sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
ok "lgbrokerd starts" test -S "$BK/admin.sock"
like "in its sandbox, seccomp filter included" "$(bk_log)" 'seccomp broker'
ok "routers with a literal address and a good name come up" \
    bk_wait_up -t 30 lit good
ok "a name with a dead address and a good one: the router comes up" \
    bk_wait_up -t 30 multi
if kill -0 "$BK_PID" 2>/dev/null; then
	pass "lgbrokerd is alive with an NXDOMAIN router"
else
	wait "$BK_PID"
	fail "lgbrokerd is alive with an NXDOMAIN router" "exit status $?" \
	    "$(tail -5 "$BK/broker.log")"
	BK_PID=
	done_testing
	exit 1
fi
ok "the NXDOMAIN router is down" bk_wait_state 10 down nx
like "with the reason as its last error" "$(bk_ctl status)" \
    'nx .*cannot resolve nx\.lgtest: (Name or service not known|No address associated with hostname)'
out=$(bk_ctl -j query nx,lit bgp_summary 2>&1)
is "a query to it fails fast as router down" "$(qstatus nx "$out")" \
    error:router_down
is "the same query to the other router answers" "$(qstatus lit "$out")" ok

# --- a name that appears later, then changes address -------------------------------
ok "late is down while its name does not exist" bk_wait_state 10 down late
echo "10.77.0.3 late.lgtest" >>"$ZONE"
kill -HUP "$(cat "$BK/dnsmasq.pid")"
ok "late comes up once its name appears, without a restart" \
    bk_wait_up -t 30 late
is "its session is on the address the name gave (emuC)" "$(emu_sessions emuC)" 1
sed -i 's/^10\.77\.0\.3 late\.lgtest$/10.77.0.2 late.lgtest/' "$ZONE"
kill -HUP "$(cat "$BK/dnsmasq.pid")"
# The session lasts until it breaks; its replacement looks the name up.
"$BK_BIN/lgemu" -C "$LG_EMU_DIR/lgemu.ctl" kill emuC >/dev/null
i=0
until [ "$(emu_sessions emuB)" = 1 ] || [ $i -ge 150 ]; do sleep 0.2; i=$((i + 1)); done
is "after the name changed, the next session goes to the new address (emuB)" \
    "$(emu_sessions emuB)" 1
ok "late is up again" bk_wait_up -t 30 late
out=$(bk_ctl -j query late bgp_summary 2>&1)
is "a query on late answers" "$(qstatus late "$out")" ok
like "and was run by the router at the new address" \
    "$(cat "$LG_EMU_DIR/audit/emuB.log" 2>/dev/null)" 'show (ip )?bgp'

# --- NXDOMAIN at reload ----------------------------------------------------------------
write_conf ',
  { name = "nx2"; driver = "cisco-ios"; transport = "telnet";
    host = "nx2.lgtest"; port = 2301; credential = "emu"; sessions = 1; }'
out=$(bk_ctl reload 2>&1)
like "a reload adding an NXDOMAIN router succeeds" "$out" '1 added'
sleep 1
ok "lgbrokerd is alive after the reload" kill -0 "$BK_PID"
ok "the new router is down" bk_wait_state 10 down nx2
like "with the reason as its last error" "$(bk_ctl status)" \
    'nx2 .*cannot resolve nx2\.lgtest'
out=$(bk_ctl -j query lit,good bgp_summary 2>&1)
is "the other routers still answer" "$(qstatus lit "$out") $(qstatus good "$out")" \
    "ok ok"

# --- a resolver that never answers -----------------------------------------------------
# The file is rewritten in place: it is the one mounted in the namespace.
printf 'nameserver 10.77.0.54\noptions timeout:5 attempts:1\n' \
    >"$NSETC/resolv.conf"
extra=',
  { name = "nx2"; driver = "cisco-ios"; transport = "telnet";
    host = "nx2.lgtest"; port = 2301; credential = "emu"; sessions = 1; }'
for n in 1 2 3 4 5 6; do
	extra="$extra,
  { name = \"s$n\"; driver = \"cisco-ios\"; transport = \"telnet\";
    host = \"s$n.lgtest\"; port = 2301; credential = \"emu\"; sessions = 1; }"
done
write_conf "$extra"
t0=$(date +%s)
out=$(bk_ctl reload 2>&1)
t1=$(date +%s)
like "a reload adding six routers behind a silent resolver succeeds" "$out" \
    '6 added'
# Looked up on the loop, one after the other, they would take 30 s.
if [ $((t1 - t0)) -le 10 ]; then
	pass "and returns without waiting for their names ($((t1 - t0)) s)"
else
	fail "and returns without waiting for their names" "$((t1 - t0)) s"
fi
t0=$(date +%s)
out=$(bk_ctl -j query lit ping 10.77.0.9 2>&1)
is "a ping to an address answers" "$(qstatus lit "$out")" ok
out=$(bk_ctl -j query lit ping pinghost.lgtest 2>&1)
t1=$(date +%s)
is "a ping to a name from the hosts file answers" "$(qstatus lit "$out")" ok
# Behind six router lookups of 5 s each on one thread it would take 30 s.
if [ $((t1 - t0)) -le 20 ]; then
	pass "without waiting behind the router names ($((t1 - t0)) s)"
else
	fail "without waiting behind the router names" "$((t1 - t0)) s"
fi
out=$(bk_ctl -j query lit,good bgp_summary 2>&1)
is "routers with sessions still answer" "$(qstatus lit "$out") $(qstatus good "$out")" \
    "ok ok"
ok "the routers behind the silent resolver go down" bk_wait_state 30 down s1 s6
like "with a resolver error as their last error" "$(bk_ctl status)" \
    's1 .*cannot resolve s1\.lgtest: Temporary failure in name resolution'

t0=$(date +%s)
bk_stop
t1=$(date +%s)
if [ $((t1 - t0)) -le 10 ]; then
	pass "lgbrokerd stops promptly with lookups still hanging ($((t1 - t0)) s)"
else
	fail "lgbrokerd stops promptly with lookups still hanging" "$((t1 - t0)) s"
fi
unlike "no forbidden system call" "$(bk_log)" 'forbidden system call|SIGSYS'
done_testing
