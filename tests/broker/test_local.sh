#!/bin/sh
# Transport local (DESIGN.md section 15): the looking-glass host as a
# vantage point.  lgbrokerd runs as the shipped unit runs it (an
# unprivileged user, no_new_privs, CAP_NET_RAW as its only capability,
# given for the prober), inside the lab router r1's namespace so that the
# lab's far host is a real destination:
#   - a stand-in program that records its argv, environment, descriptors
#     and process group: the argv is exactly the template's, nothing else
#     of the broker reaches it, and hostile targets never reach it;
#   - real ping, traceroute and mtr (mtr-packet needs CAP_NET_RAW: only
#     the prober's ambient capability gives it), parsed;
#   - BIRD and FRR on their control sockets (birdc -r, vtysh -c);
#   - cancel and deadline (a stand-in that hangs, as bgp_route) kill the
#     whole process group (a grandchild
#     included) and leave no process or zombie behind;
#   - broker.local_max holds a type to its count while another type runs,
#     broker.local_probes holds commands to the packets they may send;
#   - the broker keeps no capability, the prober only CAP_NET_RAW.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ "$(id -u)" = 0 ] || skip_all "needs root (namespaces, setpriv)"
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) missing"
for p in /usr/bin/ping /usr/sbin/traceroute /usr/bin/mtr; do
	[ -x "$p" ] || skip_all "$p missing (tests/deps.sh)"
done
if ! up=$(sh "$LG_TOP/tests/lab/lab.sh" up 2>&1); then
	printf '%s\n' "$up" | tail -20 | sed 's/^/# /'
	skip_all "the lab did not come up (its last words above)"
fi
. "$(sh "$LG_TOP/tests/lab/lab.sh" env)"

bk_init local
# The unprivileged broker writes its sockets and the stand-in its records
# here.
chmod 0777 "$BK"
mkdir "$BK/drivers"
cp "$LG_TOP/drivers/linux-host.conf" "$LG_TOP/drivers/bird.conf" \
    "$LG_TOP/drivers/frr.conf" "$BK/drivers/"

# The stand-in: its mode is its first argument.
cat >"$BK/rec" <<'EOF'
#!/bin/sh
d=$(dirname "$0")
m=$1
for a in "$0" "$@"; do printf '%s\n' "$a"; done >"$d/argv.$m.tmp"
mv "$d/argv.$m.tmp" "$d/argv.$m"
/usr/bin/env >"$d/env.$m"
echo "$$ $(cut -d' ' -f5 /proc/$$/stat)" >"$d/pgid.$m"
case $m in
ping)	echo "3 packets transmitted, 3 received, 0% packet loss, time 2ms" ;;
slow)	echo "start $(date +%s.%N)" >>"$d/slow.log"
	sleep 3
	echo "end $(date +%s.%N)" >>"$d/slow.log"
	echo slow done ;;
probe)	echo "start $(date +%s.%N)" >>"$d/probe.log"
	echo probed ;;
hang)	sleep 300 &
	echo $! >"$d/grandchild"
	echo hanging
	exec sleep 301 ;;
esac
EOF
chmod 0755 "$BK/rec"
cat >"$BK/drivers/standin.conf" <<EOF
name = "standin";
vendor = "Test";
argv = true;
ping_count = 3;
queries = {
	ping = [ "$BK/rec", "ping", "-c", "{count}", "--", "{address}" ];
	traceroute = [ "$BK/rec", "slow", "{address}" ];
	bgp_route = [ "$BK/rec", "hang", "{target}" ];
	bgp_summary = [ "$BK/rec", "probe" ];
};
probes = { bgp_summary = 30; };
EOF

FAR=$LAB_TRACE4
cat >"$BK/lorgnette.conf" <<EOF
broker: {
  socket = "$BK/broker.sock";
  admin_socket = "$BK/admin.sock";
  drivers = "$BK/drivers";
  deadlines = { bgp_route = 6; };
  local_max = { traceroute = 1; };
  local_probes = 10;
};
policy: { forbidden = [ "10.0.0.0/8" ]; };
routers = (
  { name = "here"; driver = "linux-host"; transport = "local"; },
  { name = "stand"; driver = "standin"; transport = "local"; sessions = 4; },
  { name = "bird3"; driver = "bird"; transport = "local";
    socket = "$LAB_DIR/r3/bird/bird.ctl"; },
  { name = "frr1"; driver = "frr"; transport = "local";
    socket = "$LAB_DIR/r1/frr/vty"; }
);
EOF

is "an all-local configuration needs no credentials file" \
    "$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)" \
    "configuration OK"

# The unit: User=, NoNewPrivileges=yes, CapabilityBoundingSet= and
# AmbientCapabilities=CAP_NET_RAW; the groups of the daemons' sockets.
BK_WRAP="ip netns exec lg-r1 setpriv --reuid=nobody --regid=nogroup \
    --groups=frrvty,frr,lglab --inh-caps=-all,+net_raw \
    --ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw --no-new-privs"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "every local router is up" bk_wait_up -t 30 here stand bird3 frr1

PROBER=$(pgrep -P "$BK_PID" | head -1)
status_of() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}
is "broker: no capability" "$(status_of "$BK_PID" CapEff)$(status_of \
    "$BK_PID" CapPrm)$(status_of "$BK_PID" CapAmb)" \
    "000000000000000000000000000000000000000000000000"
is "prober: CAP_NET_RAW alone, ambient" "$(status_of "$PROBER" CapEff) \
$(status_of "$PROBER" CapAmb)" "0000000000002000 0000000000002000"
is "prober: no_new_privs" "$(status_of "$PROBER" NoNewPrivs)" 1
is "prober: the broker's user" "$(status_of "$PROBER" Uid | cut -f1)" \
    "$(id -u nobody)"

# ---- the stand-in ----
out=$(bk_ctl query stand ping "$FAR" 2>&1)
like "stand-in ping answers" "$out" "3 packets transmitted"
is "the argv is exactly the template's" "$(cat "$BK/argv.ping")" \
"$BK/rec
ping
-c
3
--
$FAR"
is "the environment is the fixed one" "$(sort "$BK/env.ping" |
    grep -v '^PWD=')" "LC_ALL=C
PATH=/usr/sbin:/usr/bin:/sbin:/bin"
set -- $(cat "$BK/pgid.ping")
is "the child leads its own process group" "$2" "$1"

# Hostile targets: refused by validation, never an argv.
rm -f "$BK/argv.ping"
for t in "$FAR;id" '$(id)' '`id`' "-c 100 $FAR" '--help' "$FAR -f" \
    "$FAR|id" "$(printf '%s\037-f' "$FAR")" "$(printf '%s\n-f' "$FAR")" \
    "../../etc/passwd" "$FAR/32"; do
	if bk_ctl query stand ping "$t" >/dev/null 2>&1; then
		fail "hostile target refused: $t"
	else
		pass "hostile target refused: $(printf '%s' "$t" | tr '\037\n' '??')"
	fi
done
ok "no hostile target reached a program" test ! -e "$BK/argv.ping"

# ---- broker.local_max: traceroute = 1 ----
rm -f "$BK/slow.log"
bk_ctl query stand traceroute 198.18.2.1 >"$BK/slow1.out" 2>&1 &
s1=$!
bk_ctl query stand traceroute 198.18.2.5 >"$BK/slow2.out" 2>&1 &
s2=$!
sleep 1
# A ping is not held up by the queued traceroute.
out=$(bk_ctl query stand ping "$FAR" 2>&1)
ends=$(grep -c '^end' "$BK/slow.log" 2>/dev/null)
like "a ping runs while traceroutes wait" "$out" "3 packets transmitted"
ok "the ping ended before both traceroutes" test "${ends:-0}" -lt 2
wait "$s1" "$s2"
like "traceroute 1 answers" "$(cat "$BK/slow1.out")" "slow done"
like "traceroute 2 answers" "$(cat "$BK/slow2.out")" "slow done"
order=$(awk '{ print $1 }' "$BK/slow.log" | tr '\n' ' ')
is "two traceroutes ran one after the other" "$order" "start end start end "

# ---- broker.local_probes: 10 a second, 100 at most; 30 a query ----
rm -f "$BK/probe.log"
t0=$(date +%s)
for i in 1 2 3 4 5 6; do
	bk_ctl query stand bgp_summary >/dev/null 2>&1
done
t1=$(date +%s)
is "six probing queries all ran" "$(grep -c start "$BK/probe.log")" 6
# 100 in the bucket pays for three; the other three wait 2 + 3 + 3 s.
ok "they were held to the packet budget (>= 5 s, took $((t1 - t0)) s)" \
    test $((t1 - t0)) -ge 5
out=$(bk_ctl query stand ping "$FAR" 2>&1)
like "a query that sends nothing is not held" "$out" "3 packets transmitted"

# ---- cancel and deadline: the whole group goes ----
no_children() {
	i=0
	while [ $i -lt 100 ]; do
		[ -z "$(cat /proc/"$PROBER"/task/*/children 2>/dev/null |
		    tr -d ' ')" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
gone() {
	case $1 in ''|0) return 1 ;; esac
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$1" 2>/dev/null
}
rm -f "$BK/grandchild" "$BK/pgid.hang"
timeout 4 "$BK_BIN/lgctl" -s "$BK/admin.sock" query stand bgp_route 198.18.2.0/24 \
    >/dev/null 2>&1 &
q=$!
i=0
until [ -s "$BK/grandchild" ] || [ $i -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
set -- $(cat "$BK/pgid.hang" 2>/dev/null)
# The hanging program (the stand-in's shell became sleep, same pid): its
# descriptors are the pipe on 1 and 2, /dev/null on 0, nothing else.
fds=$(ls -l "/proc/${1:-0}/fd" 2>/dev/null | awk 'NF >= 11 { print $9, $11 }')
is "the child holds /dev/null and the output pipe, nothing else" \
    "$(printf '%s\n' "$fds" | sed 's/pipe:\[[0-9]*\]/pipe/')" "0 /dev/null
1 pipe
2 pipe"
wait "$q"
set -- $(cat "$BK/pgid.hang" 2>/dev/null)
ok "cancel: the program is gone" gone "${1:-0}"
ok "cancel: its grandchild is gone" gone "$(cat "$BK/grandchild" 2>/dev/null || echo 0)"
ok "cancel: the prober has no child left (no zombie)" no_children

rm -f "$BK/grandchild" "$BK/pgid.hang"
t0=$(date +%s)
out=$(bk_ctl query stand bgp_route 198.18.3.0/24 2>&1)
t1=$(date +%s)
like "deadline: the query times out" "$out" "timeout|took too long"
ok "deadline: within 30 s of the 6 s deadline" test $((t1 - t0)) -lt 36
set -- $(cat "$BK/pgid.hang" 2>/dev/null)
ok "deadline: the program is gone" gone "${1:-0}"
ok "deadline: its grandchild is gone" gone "$(cat "$BK/grandchild" 2>/dev/null || echo 0)"
ok "deadline: the prober has no child left" no_children

# ---- the real programs, toward the lab's far host ----
out=$(bk_ctl query here ping "$FAR" 2>&1)
like "ping reaches the far host" "$out" " 0% packet loss"
like "ping runs as the template says" "$out" "bytes from $FAR"
out=$(bk_ctl query here traceroute "$FAR" 2>&1)
like "traceroute reaches the far host" "$out" " 2  $FAR "
out=$(bk_ctl -j query here mtr "$FAR" 2>&1)
like "mtr (mtr-packet, CAP_NET_RAW) reaches the far host" "$out" "\\|-- $FAR "
like "mtr parsed: kind mtr" "$out" '"kind": "mtr"'
like "mtr parsed: complete" "$out" '"complete": true'
unlike "mtr never asks for AS numbers" "$out" '"command": "[^"]* -[zy]'
out=$(bk_ctl -j query here ping "$LAB_TRACE6" 2>&1)
like "IPv6 ping reaches the far host" "$out" '"received": 5'

rm -f "$BK/pgid.hang"
timeout 3 "$BK_BIN/lgctl" -s "$BK/admin.sock" query here mtr "$FAR" \
    >/dev/null 2>&1
ok "cancel mid-mtr: mtr and mtr-packet are gone" no_children

# ---- BIRD and FRR on their sockets ----
out=$(bk_ctl query bird3 bgp_route "$LAB_ROUTE4" 2>&1)
like "BIRD over its socket: bgp_route" "$out" "${LAB_ROUTE4%/*}"
unlike "BIRD: birdc's greeting is dropped" "$out" 'ready\.|Access restricted'
out=$(bk_ctl -j query bird3 bgp_route "$LAB_ROUTE4" 2>&1)
like "BIRD: parsed as with SSH" "$out" '"kind": "bgp_routes"'
like "BIRD: with its AS path" "$(printf '%s\n' "$out" |
    grep -A1 '"as_path": \[')" '^ *64500,$'
out=$(bk_ctl query frr1 bgp_route "$LAB_ROUTE4" 2>&1)
like "FRR over its vty socket: bgp_route" "$out" "BGP routing table entry for ${LAB_ROUTE4}"
like "FRR: the AS path" "$out" "$LAB_ROUTE4_PATH"

ok "reload keeps the local routers" bk_ctl reload
out=$(bk_ctl query stand ping "$FAR" 2>&1)
like "after reload: still runs" "$out" "3 packets transmitted"

bk_stop
ok "the prober ends with the broker" gone "$PROBER"
done_testing
