#!/bin/sh
# Parsed answers of the lab's real routers: FRR 8 (vtysh) on r1 and r2 and
# BIRD 2 (birdc) on r3 answer the commands their drivers run, and lgctl
# parse must read them to exactly what the generated table holds for the
# well-known routes (AS path behind the upstream, communities and large
# communities where the answer prints them, next hop = the upstream) for
# bgp_route, bgp_community (standard and large) and bgp_aspath, in both
# families.  Brings the lab up unless it is
# (and takes it down again unless LG_KEEP=1 or it was up already).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
LG_BUILD=${LG_BUILD:-build/san}
B=$PWD/$LG_BUILD
LAB=tests/lab/lab.sh
T=$(mktemp -d /tmp/lg-lab-parse.XXXXXX) || exit 1
MINE=0
cleanup() {
	rm -rf "$T"
	[ "$MINE" = 1 ] && [ "${LG_KEEP:-0}" != 1 ] && sh "$LAB" down >/dev/null 2>&1
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || skip_all "the lab needs root"

if ! sh "$LAB" status >/dev/null 2>&1; then
	MINE=1
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

# 200 random prefixes of the generated table (100 per family, a fixed
# seed), each asked of r1 (FRR) and r3 (BIRD) as its driver asks: the
# parsed best path carries the generator's AS path behind the upstream,
# its communities and its large communities, and the upstream as next hop.
if out=$(python3 - "$D/up/table.conf" "$B/lgctl" "$D" \
    "$LAB_R1_UPSTREAM4" "$LAB_R1_UPSTREAM6" "$LAB_R3_UPSTREAM4" \
    "$LAB_R3_UPSTREAM6" "$LAB_UPSTREAM_ASN" <<'PY'
import json, random, re, subprocess, sys
conf, lgctl, d, r1u4, r1u6, r3u4, r3u6, up = sys.argv[1:9]
funcs, routes, cur = {}, [], None
for line in open(conf):
    m = re.match(r"function (\w+)\(\)", line)
    if m:
        cur = funcs[m.group(1)] = {"path": [], "comms": [], "large": []}
        continue
    m = re.match(r"\tbgp_path\.prepend\((\d+)\);", line)
    if m and cur is not None:
        cur["path"].insert(0, int(m.group(1)))
    m = re.match(r"\tbgp_community\.add\(\((\d+),(\d+)\)\);", line)
    if m and cur is not None:
        cur["comms"].append("%s:%s" % m.groups())
    m = re.match(r"\tbgp_large_community\.add\(\((\d+),(\d+),(\d+)\)\);",
                 line)
    if m and cur is not None:
        cur["large"].append("%s:%s:%s" % m.groups())
    m = re.match(r"\troute (\S+) blackhole \{ (\w+)\(\); \};", line)
    if m:
        routes.append((m.group(1), m.group(2)))
rng = random.Random(15)
v4 = [r for r in routes if ":" not in r[0]]
v6 = [r for r in routes if ":" in r[0]]
sample = rng.sample(v4, 100) + rng.sample(v6, 100)
bad, n = [], 0
for router, drv in (("r1", "frr"), ("r3", "bird")):
    for pfx, fn in sample:
        fam = "ipv6" if ":" in pfx else "ipv4"
        if router == "r1":
            cli = ["vtysh", "--vty_socket", "%s/r1/frr/vty" % d,
                   "--config_dir", "%s/r1/frr" % d, "-c",
                   "show bgp %s unicast %s" % (fam, pfx)]
            nh = r1u6 if fam == "ipv6" else r1u4
        else:
            cli = ["birdc", "-s", "%s/r3/bird/bird.ctl" % d,
                   "show route for %s where source = RTS_BGP all" % pfx]
            nh = r3u6 if fam == "ipv6" else r3u4
        text = subprocess.run(cli, capture_output=True, text=True).stdout
        if router == "r3":
            text = text.split("\n", 1)[1] if "\n" in text else ""
        res = subprocess.run([lgctl, "parse", "drivers/%s.conf" % drv,
                              "bgp_route", fam], input=text,
                             capture_output=True, text=True)
        n += 1
        try:
            doc = json.loads(res.stdout)
            p = [x for x in doc["prefixes"] if x["prefix"] == pfx][0]
            best = [q for q in p["paths"] if q["best"]][0]
        except (ValueError, KeyError, IndexError):
            bad.append("%s %s: %s" % (router, pfx, res.stdout[:200]))
            continue
        want = funcs[fn]
        got_nh = str(best["next_hop"]).lower()
        # BIRD may name an IPv6 upstream by its link-local address.
        if router == "r3" and fam == "ipv6" and got_nh.startswith("fe80:"):
            got_nh = nh.lower()
        got = (best["as_path"], sorted(best["communities"] or []),
               sorted(best["large_communities"] or []), got_nh)
        exp = ([int(up)] + want["path"], sorted(want["comms"]),
               sorted(want["large"]), nh.lower())
        if got != exp:
            bad.append("%s %s: parsed %s, table %s" % (router, pfx, got, exp))
print("%d answers checked, %d differ" % (n, len(bad)))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad else 0)
PY
); then
	pass "200 random prefixes on r1 and r3 parse to the generated table ($out)"
else
	fail "200 random prefixes on r1 and r3 parse to the generated table" "$out"
fi

# A prefix no router holds.
out=$(cli r1 "show bgp ipv4 unicast 203.0.113.0/24" |
    "$B/lgctl" parse drivers/frr.conf bgp_route ipv4 | tr -d '\n ')
like "r1: a prefix not in the table parses to not_found" "$out" '"not_found":true'
out=$(cli r3 "show route for 203.0.113.0/24 where source = RTS_BGP all" |
    "$B/lgctl" parse drivers/bird.conf bgp_route ipv4 | tr -d '\n ')
like "r3: so does BIRD's answer" "$out" '"not_found":true'

done_testing
