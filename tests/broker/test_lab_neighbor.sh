#!/bin/sh
# A neighbor's routes on the integration lab's real routers, through
# lgbrokerd: FRR (vtysh over SSH, bgpd's vty over telnet) answers
# bgp_neighbor_received from its upstream's Adj-RIB-In (the lab keeps it
# for the upstream's sessions, IPv4 and IPv6) and bgp_neighbor_advertised
# (nothing: the lab sends nothing back); bgpd's refusal for the second
# upstream, whose Adj-RIB-In is not kept, is command_failed in bgpd's
# words.  BIRD answers bgp_neighbor_received with the routes that came
# from the address, and bgp_neighbor_advertised is unsupported without a
# command sent.  bgp_neighbors of FRR, over SSH and over bgpd's vty,
# parses to the session asked about: established, the upstream's AS.
# The upstream's whole table is longer than output_cap
# here: the answer is truncated, and so is its parsed form, every route
# in it whole.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
bk_lab_up

bk_init labnbr
bk_lab_config '  forbidden = [ "10.0.0.0/8", "127.0.0.0/8", "fc00::/7", "::1/128" ];
  queries = [ "bgp_route", "bgp_neighbors", "bgp_neighbor_received", "bgp_neighbor_advertised" ];'
sed -i -e 's/^  deadlines = {/  output_cap = 1048576;\n  deadlines = { bgp_neighbor_received = '"$(bk_secs 120)"'; bgp_neighbor_advertised = '"$(bk_secs 60)"';/' \
    "$BK/lorgnette.conf"
is "lgbrokerd -n" "$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)" \
    "configuration OK"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the lab routers have warm sessions" bk_wait_up -t 60 r1 r1tel r2 r3

# table FILE NEXTHOP ASN [MIN]: an answer that parsed to at least MIN
# (default 100) routes, each with its next hop (NEXTHOP, or any when
# "-") and an AS path starting at ASN; prints "ok N" or what is wrong.
table() {
	python3 - "$@" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]
except ValueError:
    print("no JSON answer: %s" % open(sys.argv[1] + ".err").read()[:300])
    sys.exit(0)
nh, asn = sys.argv[2], int(sys.argv[3])
least = int(sys.argv[4]) if len(sys.argv) > 4 else 100
p = r.get("parsed") or {}
bad = []
if r.get("status") != "ok":
    bad.append("status %s %s" % (r.get("status"), r.get("error")))
pfx = p.get("prefixes", [])
if len(pfx) < least:
    bad.append("%d prefixes (%s)" % (len(pfx), json.dumps(p)[:300]))
for x in pfx:
    path = x["paths"][0] if x["paths"] else {}
    if (nh != "-" and path.get("next_hop") != nh) or \
            (path.get("as_path") or [None])[0] != asn:
        bad.append("not a whole route: %s" % json.dumps(x)[:300])
        break
if r.get("truncated") and not p.get("truncated"):
    bad.append("the answer is truncated, its parsed form not")
print(" ".join(bad) or "ok %d%s" % (len(pfx),
    " truncated" if r.get("truncated") else ""))
EOF
}

for r in r1 r1tel r2; do
	R=$(echo "${r%tel}" | tr a-z A-Z)
	eval "up4=\$LAB_${R}_UPSTREAM4 up6=\$LAB_${R}_UPSTREAM6"
	bk_ctl -j query "$r" bgp_neighbor_received "$up4" >"$BK/q.json" 2>"$BK/q.json.err"
	like "$r: the routes its upstream sent (IPv4)" \
	    "$(table "$BK/q.json" "$up4" "$LAB_UPSTREAM_ASN")" '^ok [0-9]+'
done
bk_ctl -j query r1 bgp_neighbor_received "$LAB_R1_UPSTREAM6" >"$BK/q6.json" 2>"$BK/q6.json.err"
like "r1: the routes its upstream sent (IPv6)" \
    "$(table "$BK/q6.json" - "$LAB_UPSTREAM_ASN")" '^ok [0-9]+'
like "the whole table is cut at output_cap, parsed as far, each route whole" \
    "$(table "$BK/q.json" "$LAB_R2_UPSTREAM4" "$LAB_UPSTREAM_ASN")" \
    '^ok [0-9]+ truncated$'

out=$(bk_ctl query r1 bgp_neighbor_received "$LAB_R1_SECOND_UPSTREAM4" 2>&1)
like "r1: no Adj-RIB-In kept for the second upstream: command_failed" \
    "$out" 'command_failed'
like "... in bgpd's words" "$out" '% Inbound soft reconfiguration not enabled'

bk_ctl -j query r1 bgp_neighbor_advertised "$LAB_R1_UPSTREAM4" \
    >"$BK/adv.json" 2>"$BK/adv.json.err"
adv=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
p = r.get("parsed") or {}
print(r.get("status"), p.get("kind"), p.get("not_found"), len(p.get("prefixes", [])))
' "$BK/adv.json")
is "r1: nothing is advertised to the upstream (the lab sends nothing)" \
    "$adv" "ok bgp_routes True 0"

# session FILE ADDRESS ASN: the parsed bgp_neighbors answer is that one
# session, established, with the remote AS; prints "ok" or what is wrong.
session() {
	python3 - "$@" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]
except ValueError:
    print("no JSON answer: %s" % open(sys.argv[1] + ".err").read()[:300])
    sys.exit(0)
p = r.get("parsed") or {}
n = [(x.get("address"), x.get("remote_as"), x.get("state"))
     for x in p.get("neighbors", [])]
want = [(sys.argv[2], int(sys.argv[3]), "established")]
print("ok" if r.get("status") == "ok" and n == want else
      "status %s, parsed %s" % (r.get("status"), json.dumps(p)[:300]))
EOF
}

for r in r1 r1tel; do
	bk_ctl -j query "$r" bgp_neighbors "$LAB_R1_UPSTREAM4" >"$BK/n.json" 2>"$BK/n.json.err"
	is "$r: bgp_neighbors parses to the upstream's session, established" \
	    "$(session "$BK/n.json" "$LAB_R1_UPSTREAM4" "$LAB_UPSTREAM_ASN")" ok
done
bk_ctl -j query r1 bgp_neighbors "$LAB_R1_SECOND_UPSTREAM4" >"$BK/n.json" 2>"$BK/n.json.err"
is "r1: and to the second upstream's, with its AS" \
    "$(session "$BK/n.json" "$LAB_R1_SECOND_UPSTREAM4" "$LAB_SECOND_ASN")" ok

bk_ctl -j query r3 bgp_neighbor_received "$LAB_R3_UPSTREAM4" >"$BK/b.json" 2>"$BK/b.json.err"
like "r3 (BIRD): the routes that came from its upstream" \
    "$(table "$BK/b.json" "$LAB_R3_UPSTREAM4" "$LAB_UPSTREAM_ASN")" '^ok [0-9]+'
before=$(wc -l <"$BK/audit.json")
out=$(bk_ctl query r3 bgp_neighbor_advertised "$LAB_R3_UPSTREAM4" 2>&1)
like "r3 (BIRD): advertised routes are unsupported" "$out" 'unsupported'
like "... and the answer says why" "$out" \
    'bgp_neighbor_advertised is not offered on this router: its driver, bird, has no command for it'
like "r3: the BIRD command was the route attribute from" \
    "$(grep -h 'from = ' "$LAB_DIR/r3/bird/commands.log" 2>/dev/null | tail -n 1)" \
    "from = $LAB_R3_UPSTREAM4 all"
is "no command ran for the unsupported query" \
    "$(tail -n "+$((before + 1))" "$BK/audit.json" | grep -c '"status":"ok"')" 0

bk_stop
done_testing
