#!/bin/sh
# lgbrokerd against the integration lab (tests/lab): real FRR routers over
# OpenSSH (vtysh login shell; password and key) and over telnet (bgpd's
# own vty), a real BIRD 2 over OpenSSH (birdc), over IPv4 and IPv6
# management addresses, with a real table of tens of thousands of routes:
# every query type that the drivers offer, a large streamed answer under
# flow control with bounded memory, warm-session latency and traceroute.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
bk_lab_up

bk_init lab
bk_lab_config

is "lgbrokerd -n" "$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)" \
    "configuration OK"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "every lab router has a warm session" bk_wait_up -t 60 r1 r1key r1v6 r1tel r1telfrr r2 r3

for r in r1 r1key r1v6 r1tel r2 r3; do
	out=$(bk_ctl query "$r" bgp_route "$LAB_ROUTE4" 2>&1)
	like "$r: bgp_route $LAB_ROUTE4" "$out" "${LAB_ROUTE4%/*}"
	like "$r: carries the AS path" "$out" "$LAB_ROUTE4_PATH"
	unlike "$r: no echo and no prompt" "$out" 'show (bgp|route)|^(r[0-9]|bird)[>#] *$'
done
for r in r1 r3; do
	out=$(bk_ctl query "$r" bgp_route "$LAB_ROUTE6" 2>&1)
	like "$r: IPv6 bgp_route" "$out" "${LAB_ROUTE6%%::*}"
	out=$(bk_ctl query "$r" bgp_community "$LAB_COMMUNITY" 2>&1)
	like "$r: bgp_community finds the tagged route" "$out" "${LAB_ROUTE4%/*}"
	out=$(bk_ctl query "$r" route "$LAB_ROUTE4_ADDR" 2>&1)
	like "$r: route lookup" "$out" "${LAB_ROUTE4%/*}"
	out=$(bk_ctl query "$r" bgp_summary 2>&1)
	like "$r: bgp_summary" "$out" "$LAB_UPSTREAM_ASN|up|Established|[0-9]+ +[0-9]+"
done
# bgpd's vty has no RIB: route is unsupported for r1tel (frr-bgpd) without
# a command sent, and bgpd's refusal through the vtysh driver
# ("% [BGP] Unknown command: ...") is an error, not an answer.
out=$(bk_ctl query r1tel route "$LAB_ROUTE4_ADDR" 2>&1)
like "r1tel (bgpd's vty): route is unsupported" "$out" 'unsupported'
out=$(bk_ctl query r1telfrr route "$LAB_ROUTE4_ADDR" 2>&1)
like "r1telfrr: bgpd's unknown command is command_failed" "$out" \
    'command_failed'
like "... with bgpd's own words" "$out" '% \[BGP\] Unknown command'

out=$(bk_ctl query r1 bgp_route 1.2.3.0/24 2>&1)
unlike "a route not in the table is not an error of the broker" "$out" 'internal|timeout'

# A large answer streams under flow control; memory stays bounded.
# Under valgrind it comes over telnet, and is the routes behind one of
# the generator's twelve transit ASes (tests/lab/gentable.py), about
# 0.5 MB, still twice the flow-control window: memcheck makes the whole
# table take minutes, too close to the deadline on a loaded machine.
big=r2 re="^$LAB_UPSTREAM_ASN" want=$((TABLE_V4 / 2))
[ "$BK_VALGRIND" = 1 ] && big=r1tel re="^${LAB_UPSTREAM_ASN}_174_" \
    want=$((TABLE_V4 / 40))
start=$(date +%s)
bk_ctl query "$big" bgp_aspath "$re" >"$BK/big.out" 2>"$BK/big.err"
rc=$?
is "a table-sized answer completes ($big)" "$rc" 0
lines=$(wc -l <"$BK/big.out")
if [ "$lines" -gt "$want" ]; then
	pass "it holds the table ($lines lines, $(wc -c <"$BK/big.out") bytes, $(( $(date +%s) - start )) s)"
else
	fail "it holds the table" "$lines lines" "$(cat "$BK/big.err")"
fi
# Under valgrind (LG_VALGRIND=1) the broker runs inside memcheck, many
# times slower and larger: the same checks, with limits that still catch
# a runaway.
# The parsed form of the answer is held until its end, up to
# broker.parse_max_prefixes (10,000) prefixes: about 60 MiB more here,
# with sanitizers, whatever the size of the table.
rss_max=170000 ms_max=100
[ "$BK_VALGRIND" = 1 ] && rss_max=400000 ms_max=500
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$BK_PID/status")
if [ "$rss" -lt "$rss_max" ]; then
	pass "broker peak RSS stays bounded ($rss KiB, sanitizers included)"
else
	fail "broker peak RSS stays bounded" "$rss KiB"
fi

# Warm sessions: a query costs milliseconds, not a login.
bk_ctl query r1 bgp_route "$LAB_ROUTE4" >/dev/null 2>&1
t0=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do
	bk_ctl query r1 bgp_route "$LAB_ROUTE4" >/dev/null 2>&1
done
ms=$(( ($(date +%s%N) - t0) / 10000000 ))
if [ "$ms" -lt "$ms_max" ]; then
	pass "warm query round trip ${ms} ms on average"
else
	fail "warm query round trip under $ms_max ms" "${ms} ms"
fi

out=$(bk_ctl query r1 traceroute "$LAB_TRACE4" 2>&1)
like "traceroute from FRR reaches the far host" "$out" "${LAB_TRACE4}"

# The status view counts what ran.
st=$(bk_ctl status)
like "status shows sessions and queries" "$st" 'r1 +up +2/2'

bk_stop
done_testing
