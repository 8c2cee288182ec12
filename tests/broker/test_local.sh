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
#   - BIRD and FRR on their control sockets (birdc -r, vtysh -c), FRR's
#     ping interrupted with SIGINT after its count of replies;
#   - cancel and deadline (a stand-in that hangs, as bgp_route) kill the
#     whole process group (a grandchild
#     included) and leave no process or zombie behind;
#   - the prober's Landlock domain and seccomp filter, which its children
#     inherit: no program no driver names, no file written, no namespace;
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
bk_lab_up

bk_init local
# The unprivileged broker writes its sockets here.
chmod 0777 "$BK"
mkdir "$BK/drivers"
cp "$LG_TOP/drivers/linux-host.conf" "$LG_TOP/drivers/bird.conf" \
    "$LG_TOP/drivers/frr.conf" "$BK/drivers/"
# FRR's ping bound at 6 s rather than 10: the far host answers 5 pings
# in 4 s, and a ping nobody answers costs less.
sed -i 's/^	within = 10;/	within = 6;/' "$BK/drivers/frr.conf"

# The stand-in: its mode is its first argument.  The prober's domain
# lets it write no file, so it tells what it saw on its output.
cat >"$BK/rec" <<'EOF'
#!/bin/sh
m=$1
printf 'argv:%s\n' "$0" "$@"
/usr/bin/env | sed 's/^/env:/'
echo "pgid: $$ $(cut -d' ' -f5 /proc/$$/stat)"
case $m in
ping)	echo "3 packets transmitted, 3 received, 0% packet loss, time 2ms" ;;
slow)	echo "start $(date +%s.%N)"
	sleep 3
	echo "end $(date +%s.%N)"
	echo slow done ;;
probe)	echo probed ;;
hang)	sleep 300 &
	echo "grandchild: $!"
	echo hanging
	exec sleep 301 ;;
escape)	/usr/bin/id -u 2>&1 || echo "id: refused"
	echo x 2>&1 >"${0%/*}/written" || echo "write: refused"
	/usr/bin/python3 -c 'import ctypes, os
r = ctypes.CDLL(None, use_errno=True).unshare(0x10000000)
print("unshare:", os.strerror(ctypes.get_errno()) if r else "done")' ;;
esac
EOF
chmod 0755 "$BK/rec"
# The programs the stand-in runs, which the prober must let it execute.
cat >"$BK/drivers/standin.conf" <<EOF
name = "standin";
vendor = "Test";
argv = true;
ping_count = 3;
helpers = [ "/bin/sh", "/usr/bin/env", "/usr/bin/sed", "/usr/bin/cut",
    "/usr/bin/date", "/usr/bin/sleep", "/usr/bin/python3" ];
queries = {
	ping = [ "$BK/rec", "ping", "-c", "{count}", "--", "{address}" ];
	traceroute = [ "$BK/rec", "slow", "{address}" ];
	bgp_route = [ "$BK/rec", "hang", "{target}" ];
	bgp_summary = [ "$BK/rec", "probe" ];
	bgp_community = [ "$BK/rec", "escape", "{community}" ];
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
# rec_field FIELD: the stand-in's lines "FIELD:..." of standard input.
rec_field() {
	sed -n "s/^$1://p"
}
out=$(bk_ctl query stand ping "$FAR" 2>&1)
like "stand-in ping answers" "$out" "3 packets transmitted"
is "the argv is exactly the template's" "$(printf '%s\n' "$out" |
    rec_field argv)" "$BK/rec
ping
-c
3
--
$FAR"
is "the environment is the fixed one" "$(printf '%s\n' "$out" |
    rec_field env | sort | grep -v '^PWD=')" "LC_ALL=C
PATH=/usr/sbin:/usr/bin:/sbin:/bin"
set -- $(printf '%s\n' "$out" | rec_field pgid)
is "the child leads its own process group" "$2" "$1"

# Hostile targets: refused by validation, never an argv.
for t in "$FAR;id" '$(id)' '`id`' "-c 100 $FAR" '--help' "$FAR -f" \
    "$FAR|id" "$(printf '%s\037-f' "$FAR")" "$(printf '%s\n-f' "$FAR")" \
    "../../etc/passwd" "$FAR/32"; do
	if out=$(bk_ctl query stand ping "$t" 2>&1); then
		fail "hostile target refused: $t"
	else
		pass "hostile target refused: $(printf '%s' "$t" | tr '\037\n' '??')"
	fi
	case $out in *argv:*) fail "hostile target reached a program: $t" ;; esac
done

# ---- the prober's confinement, which its children inherit ----
is "prober: a seccomp filter" "$(awk '$1 == "Seccomp:" { print $2 }' \
    "/proc/$PROBER/status")" 2
esc=$(bk_ctl query stand bgp_community 64500:1 2>&1)
like "a child cannot run a program no driver names" "$esc" "id: refused"
unlike "... so id never ran" "$esc" "^[0-9]+$"
like "a child cannot write a file" "$esc" "write: refused"
like "a child cannot make a namespace (seccomp)" "$esc" \
    "unshare: Operation not permitted"
ok "... so none was written" test ! -e "$BK/written"
# The same program, the same user, outside the prober: all three work,
# so the refusals above are the prober's doing.
out=$(ip netns exec lg-r1 setpriv --reuid=nobody --regid=nogroup \
    --clear-groups --no-new-privs "$BK/rec" escape 2>&1)
like "outside the prober the stand-in runs id" "$out" "^[0-9]+$"
like "... and makes a namespace" "$out" "unshare: done"
ok "... and writes its file" test -e "$BK/written"
rm -f "$BK/written"

# ---- broker.local_max: traceroute = 1 ----
bk_ctl query stand traceroute 198.18.2.1 >"$BK/slow1.out" 2>&1 &
s1=$!
bk_ctl query stand traceroute 198.18.2.5 >"$BK/slow2.out" 2>&1 &
s2=$!
sleep 1
# A ping is not held up by the queued traceroute.
out=$(bk_ctl query stand ping "$FAR" 2>&1)
pinged=$(date +%s.%N)
like "a ping runs while traceroutes wait" "$out" "3 packets transmitted"
wait "$s1" "$s2"
like "traceroute 1 answers" "$(cat "$BK/slow1.out")" "slow done"
like "traceroute 2 answers" "$(cat "$BK/slow2.out")" "slow done"
# Each answer says when its program started and ended.
spans=$(cat "$BK/slow1.out" "$BK/slow2.out" |
    awk '$1 == "start" || $1 == "end" { print $2 }' | tr '\n' ' ')
set -- $spans
ok "the ping ended before both traceroutes ($pinged; $spans)" awk \
    -v p="$pinged" -v e1="$2" -v e2="$4" 'BEGIN { exit !(p < e1 || p < e2) }'
ok "two traceroutes ran one after the other ($spans)" awk -v s1="$1" \
    -v e1="$2" -v s2="$3" -v e2="$4" 'BEGIN { exit !(s2 >= e1 || s1 >= e2) }'

# ---- broker.local_probes: 10 a second, 100 at most; 30 a query ----
t0=$(date +%s)
n=0
for i in 1 2 3 4 5 6; do
	case $(bk_ctl query stand bgp_summary 2>&1) in
	*probed*) n=$((n + 1)) ;;
	esac
done
t1=$(date +%s)
is "six probing queries all ran" "$n" 6
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
timeout 4 "$BK_BIN/lgctl" -s "$BK/admin.sock" query stand bgp_route 198.18.2.0/24 \
    >"$BK/hang.out" 2>&1 &
q=$!
i=0
until grep -q '^grandchild:' "$BK/hang.out" || [ $i -ge 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
set -- $(rec_field pgid <"$BK/hang.out")
# The hanging program (the stand-in's shell became sleep, same pid): its
# descriptors are the pipe on 1 and 2, /dev/null on 0, nothing else.
fds=$(ls -l "/proc/${1:-0}/fd" 2>/dev/null | awk 'NF >= 11 { print $9, $11 }')
is "the child holds /dev/null and the output pipe, nothing else" \
    "$(printf '%s\n' "$fds" | sed 's/pipe:\[[0-9]*\]/pipe/')" "0 /dev/null
1 pipe
2 pipe"
wait "$q"
ok "cancel: the program is gone" gone "${1:-0}"
ok "cancel: its grandchild is gone" gone "$(rec_field grandchild \
    <"$BK/hang.out" | tr -d ' ')"
ok "cancel: the prober has no child left (no zombie)" no_children

t0=$(date +%s)
dl=$(bk_ctl query stand bgp_route 198.18.3.0/24 2>&1)
t1=$(date +%s)
like "deadline: the query times out" "$dl" "timeout|took too long"
ok "deadline: within 30 s of the 6 s deadline" test $((t1 - t0)) -lt 36
set -- $(printf '%s\n' "$dl" | rec_field pgid)
ok "deadline: the program is gone" gone "${1:-0}"
ok "deadline: its grandchild is gone" gone "$(printf '%s\n' "$dl" |
    rec_field grandchild | tr -d ' ')"
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
# vtysh -c "ping X" runs /usr/bin/ping without a count (the prober's
# environment has no lab wrapper before it): the driver's interrupt, a
# SIGINT to the group after ping_count replies, ends it.
out=$(bk_ctl -j query frr1 ping "$FAR" 2>&1)
is "FRR over its vty socket: ping, interrupted after 5 replies" \
    "$(printf '%s\n' "$out" | python3 -c 'import json, sys
p = json.load(sys.stdin)["results"][0].get("parsed") or {}
print(p.get("sent"), p.get("received"))' 2>&1)" "5 5"
like "FRR: ping's statistics" "$out" "5 packets transmitted, 5 received"
like "FRR: the answer is ok" "$out" '"status": "ok"'
# No reply (the upstream has no route): /usr/bin/ping would go on for
# ever; the bound interrupts it, and the answer says all was lost.
out=$(bk_ctl -j query frr1 ping "$LAB_ROUTE4_ADDR" 2>&1)
is "FRR: ping with no reply ends at the bound, ok, all lost" \
    "$(printf '%s\n' "$out" | python3 -c 'import json, sys
r = json.load(sys.stdin)["results"][0]
p = r.get("parsed") or {}
print(r.get("status"), p.get("sent", 0) >= 3, p.get("received"),
      "%g" % p.get("loss_pct", -1))' 2>&1)" "ok True 0 100"

ok "reload keeps the local routers" bk_ctl reload
out=$(bk_ctl query stand ping "$FAR" 2>&1)
like "after reload: still runs" "$out" "3 packets transmitted"

bk_stop
ok "the prober ends with the broker" gone "$PROBER"
done_testing
