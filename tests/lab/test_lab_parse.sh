#!/bin/sh
# Parsed answers of the lab's real routers: FRR 8 (vtysh) on r1 and r2 and
# BIRD 2 (birdc) on r3 answer the commands their drivers run, and lgctl
# parse must read them to exactly what the generated table holds for the
# well-known routes (AS path behind the upstream, communities and large
# communities where the answer prints them, next hop = the upstream) for
# bgp_route, bgp_community (standard and large) and bgp_aspath, in both
# families, and a prefix no router holds parses to not_found.  The
# summaries parse to exactly the lab's BGP sessions (FRR: the upstream's
# address and AS, established, with the whole table; BIRD: the BGP
# protocols of its configuration, established); FRR's bgp_neighbors
# answers for each of its sessions to that session, established, with
# the upstream's AS, its own and the prefixes accepted; the RIB answers to the
# routes zebra and BIRD installed; ping and traceroute toward the far
# host to the path the lab builds (hop 1 the upstream, hop 2 the far
# host, complete, nothing lost).  The
# comparison of 200 random prefixes with the generated table is
# tests/broker/test_lab_parsed.sh, through the broker as a query travels.
# Brings the lab up unless it is, and leaves it up for the suites after
# it (broker, browser, bench), as their lab tests do: tests/run.sh takes
# it down at the end of a run ("lab.sh down" alone does by hand).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
LG_BUILD=${LG_BUILD:-build/san}
B=$PWD/$LG_BUILD
LAB=tests/lab/lab.sh
T=$(mktemp -d /tmp/lg-lab-parse.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
[ "$(id -u)" = 0 ] || skip_all "the lab needs root"

if ! sh "$LAB" status >/dev/null 2>&1; then
	out=$(sh "$LAB" up 2>&1) || { fail "lab.sh up" "$(echo "$out" | tail -20)"; done_testing; exit 1; }
fi
. "$(sh "$LAB" env)"
D=$LAB_DIR

cli() {	# ROUTER COMMAND: the router's answer, as its CLI prints it
	case $1 in
	r3) birdc -s "$D/r3/bird/bird.ctl" "$2" | sed '1d' ;;
	*) vtysh --vty_socket "$D/$1/frr/vty" --config_dir "$D/$1/frr" -c "$2" ;;
	esac
}

# check ROUTER DRIVER TYPE FAMILY NAME COMMAND: the route NAME (ROUTE4,
# ROUTE6...) is in the parsed answer with the facts lab.env gives.
check() {
	r=$1 drv=$2 type=$3 fam=$4 name=$5 cmd=$6
	cli "$r" "$cmd" >"$T/out" 2>&1
	"$B/lgctl" parse "drivers/$drv.conf" "$type" "$fam" <"$T/out" \
	    >"$T/parsed.json" 2>"$T/err"
	rc=$?
	eval "pfx=\$LAB_$name path=\"\$LAB_${name}_PATH\""
	eval "comms=\"\$LAB_${name}_COMMUNITIES\""
	eval "large=\"\$LAB_${name}_LARGE_COMMUNITIES\""
	R=$(echo "$r" | tr a-z A-Z)
	if [ "$fam" = ipv4 ]; then eval "nh=\$LAB_${R}_UPSTREAM4"
	else eval "nh=\$LAB_${R}_UPSTREAM6"; fi
	if [ "$rc" != 0 ]; then
		fail "$r $type $fam: lgctl parse exits 0" "$(cat "$T/err")" \
		    "$(head -20 "$T/out")"
		return
	fi
	if got=$(python3 - "$T/parsed.json" "$pfx" "$path" "$comms" "$large" \
	    "$nh" "$type" "$drv" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
pfx, path, comms, large, nh, typ, drv = sys.argv[2:9]
want_path = [int(a) for a in path.split()]
rows = [p for x in doc["prefixes"] if x["prefix"] == pfx for p in x["paths"]]
if not rows:
    sys.exit("%s not among %d parsed prefixes" % (pfx, len(doc["prefixes"])))
best = [p for p in rows if p["best"]] or rows
p = best[0]
problems = []
if p["as_path"] != want_path:
    problems.append("as_path %s, want %s" % (p["as_path"], want_path))
# Tables (FRR's community and AS-path answers) print no communities.
if p["communities"] is not None and \
        sorted(p["communities"]) != sorted(comms.split()):
    problems.append("communities %s, want %s" % (p["communities"], comms))
if p["large_communities"] is not None and \
        sorted(p["large_communities"]) != sorted(large.split()):
    problems.append("large %s, want %s" % (p["large_communities"], large))
if typ != "bgp_community" and typ != "bgp_aspath" or drv == "bird":
    if p["communities"] is None:
        problems.append("no communities parsed")
hops = [str(x["next_hop"]).lower() for x in rows]
if nh.lower() not in hops and not any(h.startswith("fe80:") for h in hops):
    problems.append("next hops %s, want %s" % ([x["next_hop"] for x in rows], nh))
if p["origin"] != "igp":
    problems.append("origin %s" % p["origin"])
if problems:
    sys.exit("; ".join(problems))
print("%d prefixes, %s: %s" % (len(doc["prefixes"]), pfx, p["as_path"]))
PY
	    ); then
		pass "$r $type $fam: $got"
	else
		fail "$r $type $fam: $pfx parses to the table's facts" "$got" \
		    "$(head -30 "$T/out")"
	fi
	ok "$r $type $fam: the answer follows the schema" \
	    python3 tests/lib/parse_schema.py schema/parsed.schema.json \
	    "$T/parsed.json"
}

for r in r1 r2; do
	for fam in ipv4 ipv6; do
		if [ $fam = ipv4 ]; then N=ROUTE4; else N=ROUTE6; fi
		eval "P=\$LAB_$N"
		check $r frr bgp_route $fam $N "show bgp $fam unicast $P"
		check $r frr bgp_community $fam $N \
		    "show bgp $fam unicast community $LAB_COMMUNITY"
		check $r frr bgp_community $fam $N \
		    "show bgp $fam unicast large-community $LAB_LARGE_COMMUNITY"
		check $r frr bgp_aspath $fam $N \
		    "show bgp $fam unicast regexp _${LAB_ASPATH_AS}_"
	done
done
c=$(echo "$LAB_COMMUNITY" | tr : ,)
l=$(echo "$LAB_LARGE_COMMUNITY" | tr : ,)
for fam in ipv4 ipv6; do
	if [ $fam = ipv4 ]; then N=ROUTE4 t=master4; else N=ROUTE6 t=master6; fi
	eval "P=\$LAB_$N"
	check r3 bird bgp_route $fam $N "show route for $P where source = RTS_BGP all"
	check r3 bird bgp_community $fam $N \
	    "show route table $t where bgp_community ~ [($c)] all"
	check r3 bird bgp_community $fam $N \
	    "show route table $t where bgp_large_community ~ [($l)] all"
	check r3 bird bgp_aspath $fam $N \
	    "show route table $t where source = RTS_BGP && bgp_path ~ [= * $LAB_ASPATH_AS * =] all"
done

# A prefix no router holds.
out=$(cli r1 "show bgp ipv4 unicast 203.0.113.0/24" |
    "$B/lgctl" parse drivers/frr.conf bgp_route ipv4 | tr -d '\n ')
like "r1: a prefix not in the table parses to not_found" "$out" '"not_found":true'
out=$(cli r3 "show route for 203.0.113.0/24 where source = RTS_BGP all" |
    "$B/lgctl" parse drivers/bird.conf bgp_route ipv4 | tr -d '\n ')
like "r3: so does BIRD's answer" "$out" '"not_found":true'

# parsed ROUTER DRIVER TYPE FAMILY COMMAND WHAT CHECK [ARG...]: the parsed
# answer of COMMAND (run in the router's namespace, where ping and
# traceroute go out) passes the python CHECK, which sees doc and args.
parsed() {
	r=$1 drv=$2 type=$3 fam=$4 cmd=$5 what=$6 code=$7
	shift 7
	eval "ns=\$LAB_$(echo "$r" | tr a-z A-Z)_NS"
	case $cmd in
	ping*)	# shellcheck disable=SC2086
		ip netns exec "$ns" $cmd >"$T/out" 2>&1 ;;
	*)	if [ "$r" = r3 ]; then
			cli r3 "$cmd" >"$T/out" 2>&1
		else
			ip netns exec "$ns" vtysh --vty_socket "$D/$r/frr/vty" \
			    --config_dir "$D/$r/frr" -c "$cmd" >"$T/out" 2>&1
		fi ;;
	esac
	if ! "$B/lgctl" parse "drivers/$drv.conf" "$type" "$fam" <"$T/out" \
	    >"$T/parsed.json" 2>"$T/err"; then
		fail "$r $type $fam: lgctl parse exits 0" "$(cat "$T/err")" \
		    "$(head -20 "$T/out")"
		return
	fi
	if got=$(python3 -c "import json, sys
doc = json.load(open(sys.argv[1]))
args = sys.argv[2:]
$code" "$T/parsed.json" "$@" 2>&1); then
		pass "$r $type $fam: $what"
	else
		fail "$r $type $fam: $what" "$got" "$(head -30 "$T/out")"
	fi
	ok "$r $type $fam: the answer follows the schema" \
	    python3 tests/lib/parse_schema.py schema/parsed.schema.json \
	    "$T/parsed.json"
}

SUMMARY='n = [(x["address"], x["remote_as"], x["state"], x["prefixes_received"]) for x in doc["neighbors"]]
want = [(a, int(b), "established", int(c)) for a, b, c in zip(args[0::4], args[1::4], args[2::4])]
assert n == want, "neighbors %s, want %s" % (n, want)
assert doc["local_as"] == int(args[3]), "local AS %s" % doc["local_as"]'
RIB='e = [x for x in doc["entries"] if x["prefix"] == args[0]]
assert len(e) == 1, "entries %s" % doc["entries"]
e = e[0]
assert e["protocol"] == args[1] and e["best"] is True, e
hops = [h["address"] for h in e["next_hops"]]
assert args[2] in hops or any(h.startswith("fe80:") for h in hops), hops
assert [h["interface"] for h in e["next_hops"]] == ["up0"], e'
TRACE='hops = [sorted({p["address"] for p in h["probes"]}) for h in doc["hops"]]
assert hops == [[args[0]], [args[1]]], "hops %s, want %s" % (hops, args)
assert [h["hop"] for h in doc["hops"]] == [1, 2], doc["hops"]
assert doc["complete"] is True, "not complete"
assert all(isinstance(p["rtt_ms"], float) for h in doc["hops"] for p in h["probes"])'
NEIGHBOR='n = [(x["address"], x["remote_as"], x["local_as"], x["state"], x["prefixes_accepted"]) for x in doc["neighbors"]]
want = [(args[0], int(args[1]), int(args[2]), "established", int(args[3]))]
assert n == want, "neighbors %s, want %s" % (n, want)
assert isinstance(doc["neighbors"][0]["uptime_s"], int), "no uptime"'
PING='assert (doc["sent"], doc["received"], doc["loss_pct"]) == (3, 3, 0.0), doc
r = doc["rtt_ms"]
assert 0 <= r["min"] <= r["avg"] <= r["max"] and r["stddev"] is not None, r'

for r in r1 r2; do
	R=$(echo "$r" | tr a-z A-Z)
	eval "up4=\$LAB_${R}_UPSTREAM4 up6=\$LAB_${R}_UPSTREAM6 asn=\$LAB_${R}_ASN"
	eval "alt4=\$LAB_${R}_SECOND_UPSTREAM4 altn=\$LAB_${R}_SECOND_PREFIXES4"
	# IPv4 has the second upstream's session too (tests/lab/README.md).
	parsed $r frr bgp_summary ipv4 "show bgp ipv4 unicast summary" \
	    "exactly the lab's sessions, established, the whole table" \
	    "$SUMMARY" "$up4" "$LAB_UPSTREAM_ASN" "$LAB_PREFIXES4" "$asn" \
	    "$alt4" "$LAB_SECOND_ASN" "$altn" "$asn"
	parsed $r frr bgp_summary ipv6 "show bgp ipv6 unicast summary" \
	    "exactly the lab's session, established, the whole table" \
	    "$SUMMARY" "$up6" "$LAB_UPSTREAM_ASN" "$LAB_PREFIXES6" "$asn"
	parsed $r frr bgp_neighbors ipv4 "show bgp neighbors $up4" \
	    "the upstream's session, established, the whole table" \
	    "$NEIGHBOR" "$up4" "$LAB_UPSTREAM_ASN" "$asn" "$LAB_PREFIXES4"
	parsed $r frr bgp_neighbors ipv6 "show bgp neighbors $up6" \
	    "the upstream's session, established, the whole table" \
	    "$NEIGHBOR" "$up6" "$LAB_UPSTREAM_ASN" "$asn" "$LAB_PREFIXES6"
	parsed $r frr bgp_neighbors ipv4 "show bgp neighbors $alt4" \
	    "the second upstream's session, established, its prefixes" \
	    "$NEIGHBOR" "$alt4" "$LAB_SECOND_ASN" "$asn" "$altn"
	parsed $r frr route ipv4 "show ip route $LAB_ROUTE4" \
	    "the BGP route zebra installed, via the upstream" \
	    "$RIB" "$LAB_ROUTE4" bgp "$up4"
	parsed $r frr route ipv6 "show ipv6 route $LAB_ROUTE6" \
	    "the BGP route zebra installed, via the upstream" \
	    "$RIB" "$LAB_ROUTE6" bgp "$up6"
	parsed $r frr traceroute ipv4 "traceroute ip $LAB_TRACE4" \
	    "the upstream, then the far host" "$TRACE" "$up4" "$LAB_TRACE4"
	parsed $r frr traceroute ipv6 "traceroute ipv6 $LAB_TRACE6" \
	    "the upstream, then the far host" "$TRACE" "$up6" "$LAB_TRACE6"
	# vtysh's ping runs this without a count (the driver offers none):
	# the same system ping, counted, read by the same rules.
	parsed $r frr ping ipv4 "ping -c 3 -i 0.2 -W 2 $LAB_TRACE4" \
	    "3 sent to the far host, 3 answered" "$PING"
done
# BIRD's sessions are the BGP protocols its configuration names.
protos=$(sed -n 's/^protocol bgp \([^ ]*\) .*/\1/p' tests/lab/templates/bird-router.conf)
# shellcheck disable=SC2086
parsed r3 bird bgp_summary ipv4 "show protocols" \
    "exactly the BGP protocols of its configuration, established" \
    'n = [(x["description"], x["state"]) for x in doc["neighbors"]]
want = [(p, "established") for p in args]
assert n == want, "protocols %s, want %s" % (n, want)' $protos
parsed r3 bird route ipv4 "show route for $LAB_ROUTE4" \
    "the route BIRD selected, via the upstream" \
    "$RIB" "$LAB_ROUTE4" up4 "$LAB_R3_UPSTREAM4"
parsed r3 bird route ipv6 "show route for $LAB_ROUTE6" \
    "the route BIRD selected, via the upstream" \
    "$RIB" "$LAB_ROUTE6" up6 "$LAB_R3_UPSTREAM6"

done_testing
