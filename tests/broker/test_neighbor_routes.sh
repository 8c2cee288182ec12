#!/bin/sh
# The routes of one BGP neighbor, received and advertised
# (bgp_neighbor_received, bgp_neighbor_advertised), through lgbrokerd on
# the vendor CLI emulator: every platform over SSH and over telnet runs
# the driver's command (the emulator's audit log shows what was sent) and
# the answer parses to a table of routes; a full table from a huge router
# streams up to output_cap and is truncated, its parsed form too, with
# no half-read last row; bad targets are refused before any router is
# asked.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ -f "$LG_TOP/tests/emulator/emu.sh" ] || skip_all "no emulator"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

bk_init nbr
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50
pass "emulator starts"
bk_emu_credentials

# router NAME EMU-ROUTER DRIVER TRANSPORT
ROUTERS=
router() {
	eval "port=\$LG_EMU_${2}_$(echo "$4" | tr a-z A-Z)"
	ROUTERS="$ROUTERS${ROUTERS:+,}
  { name = \"$1\"; driver = \"$3\"; transport = \"$4\"; host = \"127.0.0.1\";
    port = $port; credential = \"emu\"; sessions = 1; }"
}
ALL=
for p in ios1:cisco-ios xr1:cisco-iosxr nxos1:cisco-nxos \
    junos1:juniper-junos eos1:arista-eos; do
	for t in ssh telnet; do
		router "${p%%:*}-$t" "${p%%:*}" "${p#*:}" "$t"
		ALL="$ALL ${p%%:*}-$t"
	done
done
router huge-ssh huge1 cisco-ios ssh

cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  connect_timeout = 5;
  output_cap = 262144;
  deadlines = { bgp_neighbor_received = $(bk_secs 60);
                bgp_neighbor_advertised = $(bk_secs 60); };
};
policy: {
  queries = [ "bgp_route", "bgp_neighbor_received", "bgp_neighbor_advertised" ];
};
routers = ($ROUTERS
);
CONF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
# shellcheck disable=SC2086
ok "every router gets a warm session" bk_wait_up -t 40 $ALL huge-ssh

# check FILE ROWS: a result that parsed to at least ROWS routes, every
# one a whole row (a prefix, a path with its AS path), not truncated.
check() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
p = r.get("parsed") or {}
bad = []
if r.get("status") != "ok":
    bad.append("status %s %s" % (r.get("status"), r.get("error")))
if p.get("kind") != "bgp_routes":
    bad.append("parsed %s" % json.dumps(p)[:200])
pfx = p.get("prefixes", [])
if len(pfx) < int(sys.argv[2]):
    bad.append("%d prefixes" % len(pfx))
for x in pfx:
    if len(x["paths"]) == 0 or not x["paths"][0]["as_path"]:
        bad.append("half a row: %s" % json.dumps(x)[:200])
        break
if p.get("truncated") or r.get("truncated"):
    bad.append("truncated")
print(" ".join(bad) or "ok")
EOF
}

TAB=$(printf '\t')
for r in $ALL; do
	emu=${r%-*}
	for q in "bgp_neighbor_received 80.249.208.41" \
	    "bgp_neighbor_advertised 2001:7f8::a506:4510:1"; do
		set -- $q
		bk_ctl -j query "$r" "$1" "$2" >"$BK/q.json" 2>"$BK/q.err"
		is "$r: $1 $2 parses to a table" "$(check "$BK/q.json" 20)" ok
	done
	sent=$(grep "${TAB}line${TAB}" "$LG_EMU_AUDIT/$emu.log" |
	    grep -c 'received.routes\|receive-protocol\|advertised-routes\|advertising-protocol')
	like "$r: the emulator saw the neighbor commands" "$sent" '^[1-9]'
done
# The commands as each platform spells them.
for pat in "ios1:show bgp ipv4 unicast neighbors 80.249.208.41 received-routes" \
    "xr1:show bgp ipv4 unicast neighbor 80.249.208.41 received routes" \
    "nxos1:show bgp ipv6 unicast neighbors 2001:7f8::a506:4510:1 advertised-routes" \
    "junos1:show route receive-protocol bgp 80.249.208.41" \
    "junos1:show route advertising-protocol bgp 2001:7f8::a506:4510:1" \
    "eos1:show ip bgp neighbors 80.249.208.41 received-routes" \
    "eos1:show ipv6 bgp neighbors 2001:7f8::a506:4510:1 advertised-routes"; do
	n=$(grep -c -F "${TAB}line${TAB}${pat#*:}" "$LG_EMU_AUDIT/${pat%%:*}.log")
	like "${pat%%:*} was sent: ${pat#*:}" "$n" '^[1-9]'
done

# --- a full table: streamed up to the cap, truncated, honest parse ------
bk_ctl -j query huge-ssh bgp_neighbor_received 2001:7f8::a506:4510:1 \
    >"$BK/huge.json" 2>"$BK/huge.err"
res=$(python3 - "$BK/huge.json" <<'EOF'
import json, re, sys
r = json.load(open(sys.argv[1]))["results"][0]
p = r["parsed"]
out = r["output"]
bad = []
if not r["truncated"]:
    bad.append("result not truncated")
if not p["truncated"]:
    bad.append("parsed not truncated")
if len(out) > 262144:
    bad.append("output %d bytes, over the cap" % len(out))
# IOS prints an IPv6 row on three lines: prefix, next hop, the rest.
rows = re.findall(r"^ \*>   (\S+)\n +(\S+)\n +0 (\d+) (\d+) i$", out, re.M)
starts = re.findall(r"^ \*>   (\S+)$", out, re.M)
if len(starts) == len(rows):
    bad.append("precondition: the cap did not fall inside a row")
pfx = p["prefixes"]
if len(pfx) != len(rows) - 1 and len(pfx) != len(rows):
    bad.append("%d parsed, %d whole rows" % (len(pfx), len(rows)))
whole = {x[0]: x for x in rows}
for x in pfx:
    w = whole.get(x["prefix"])
    path = x["paths"][0]
    if w is None or path["next_hop"] != w[1] or \
            path["as_path"] != [int(w[2]), int(w[3])]:
        bad.append("not a whole row: %s" % json.dumps(x)[:200])
        break
print(" ".join(bad) or "ok %d rows" % len(pfx))
EOF
)
like "a full table is cut at output_cap, parsed up to its last whole row" \
    "$res" '^ok [0-9]+ rows$'
ok "huge: the session is usable again" bk_wait_up -t 20 huge-ssh

# --- bad targets: refused by the broker's own validation -----------------
n0=$(grep -c "${TAB}line${TAB}" "$LG_EMU_AUDIT/ios1.log")
for bad in "8.8.8.0/24@bad_query@takes an address, not a prefix" \
    "10.1.2.3@denied@forbidden network" \
    "peer.example.com@bad_query@target" \
    "80.249.208.41 | include x@bad_query@target" \
    "fe80::1%eth0@bad_query@target"; do
	t=${bad%%@*} rest=${bad#*@}
	out=$(bk_ctl query ios1-ssh bgp_neighbor_received "$t" 2>&1)
	like "'$t' is refused: ${rest%%@*}" "$out" "${rest%%@*}"
	like "and the reason is given" "$out" "${rest#*@}"
done
out=$(bk_ctl query ios1-ssh bgp_neighbor_advertised 2>&1)
like "no target is refused" "$out" 'bad_query'
n1=$(grep -c "${TAB}line${TAB}" "$LG_EMU_AUDIT/ios1.log")
is "no refused query reached the router" "$n1" "$n0"

bk_stop
done_testing
