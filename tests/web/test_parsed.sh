#!/bin/sh
# Parsed answers on every surface, against a real lgbrokerd, lgwebd and
# the vendor CLI emulator: every emulated platform over SSH and telnet
# parses its route answers cleanly (lgctl -j query), and the same parsed
# object reaches the JSON API (results[].parsed), the SSE stream (a
# parsed event after the router's last output and before its end), RFC
# 8522 with format=application/json (and cmd lists the formats), and the
# cache (a hit carries it).  A ping parses to its counts on the JSON API
# and through lgctl -j, a neighbor (bgp_neighbors) to its session; a
# driver without parse rules (a copy of cisco-ios.conf with no parse
# section) gives parsed null everywhere.  Each parsed answer is checked against
# schema/parsed.schema.json when python3-jsonschema is there.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v curl >/dev/null || skip_all "curl not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

bk_init parsed
PORTS=$(bk_free_base 40) || skip_all "no free ports"
bk_emu_up "$PORTS"
pass "emulator starts"
WPORT=$(bk_free_base 1) || skip_all "no free port"
URL=http://127.0.0.1:$WPORT

bk_emu_credentials

# The shipped drivers, and IOS's without its parse rules.
mkdir "$BK/drivers"
cp "$LG_TOP"/drivers/*.conf "$BK/drivers/"
sed -e '/^parse = {/,/^};/d' -e 's/^name = "cisco-ios";/name = "cisco-ios-text";/' \
    "$LG_TOP/drivers/cisco-ios.conf" >"$BK/drivers/cisco-ios-text.conf"

# Every platform of the emulator, over both transports.
PLATFORMS="ios1:cisco-ios xr1:cisco-iosxr nxos1:cisco-nxos junos1:juniper-junos eos1:arista-eos"
ROUTERS=
NAMES=
for pd in $PLATFORMS; do
	emu=${pd%%:*} drv=${pd#*:}
	for tr in ssh telnet; do
		eval "port=\$LG_EMU_${emu}_$(echo "$tr" | tr a-z A-Z)"
		name=$emu-$tr
		NAMES="$NAMES $name"
		ROUTERS="$ROUTERS${ROUTERS:+,}
  { name = \"$name\"; driver = \"$drv\"; transport = \"$tr\";
    host = \"127.0.0.1\"; port = $port; credential = \"emu\"; sessions = 1; }"
	done
done
ROUTERS="$ROUTERS,
  { name = \"ios1-text\"; driver = \"cisco-ios-text\"; transport = \"ssh\";
    host = \"127.0.0.1\"; port = $LG_EMU_ios1_SSH; credential = \"emu\"; sessions = 1; }"
cat >"$BK/lorgnette.conf" <<CONF
broker: {
  socket = "$BK/broker.sock"; admin_socket = "$BK/admin.sock";
  drivers = "$BK/drivers"; credentials = "credentials.conf";
  known_hosts = "$LG_EMU_KNOWN_HOSTS"; connect_timeout = 5;
};
web: {
  listen = [ "127.0.0.1:$WPORT" ];
  www = "$LG_TOP/www";
  rfc8522 = true;
  rate = { bgp_route = "1000/min"; bgp_community = "1000/min";
           bgp_aspath = "1000/min"; ping = "1000/min";
           bgp_neighbor_received = "1000/min";
           bgp_neighbor_advertised = "1000/min"; };
  cache = { bgp_route = 60; bgp_community = 0; bgp_aspath = 0; };
  staff_queries = [ ];	# bgp_neighbors is the public's here
};
policy: {
  forbidden = [ "10.0.0.0/8", "fc00::/7" ];
  queries = [ "bgp_route", "route", "bgp_community", "bgp_aspath",
              "bgp_summary", "ping", "traceroute", "bgp_neighbors",
              "bgp_neighbor_received", "bgp_neighbor_advertised" ];
};
routers = ($ROUTERS
);
CONF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
# shellcheck disable=SC2086
ok "every router has a warm session" bk_wait_up -t 60 $NAMES ios1-text

# check.py KIND FILE: checks a JSON document read from FILE (a lgctl -j
# answer, an API answer, an SSE stream or an RFC 8522 document) and
# prints "ok" or what is wrong.
cat >"$BK/check.py" <<'PY'
import json, os, sys

kind, path = sys.argv[1], sys.argv[2]
schema_path = os.path.join(os.environ["LG_TOP"], "schema",
                           "parsed.schema.json")
validate = None
try:
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    validate = lambda p: jsonschema.validate(p, schema)
except (ImportError, OSError):
    pass

def clean(p):
    """A parsed route answer that parsed: problems, or []."""
    if not isinstance(p, dict):
        return ["parsed is %r, not an object" % (p,)]
    if "error" in p:
        return ["parse error: %s (line %s)" % (p.get("error"), p.get("line"))]
    if p.get("kind") != "bgp_routes":
        return ["kind is %r" % p.get("kind")]
    if not p.get("not_found") and not p.get("prefixes"):
        return ["no prefixes and not not_found"]
    for pfx in p.get("prefixes", []):
        if not pfx.get("paths"):
            return ["prefix %s has no path" % pfx.get("prefix")]
    if validate is not None:
        try:
            validate(p)
        except Exception as e:
            return ["schema: %s" % str(e).splitlines()[0]]
    return []

def valid(p):
    """Schema problems of a parsed answer, or []."""
    if validate is None:
        return []
    try:
        validate(p)
    except Exception as e:
        return ["schema: %s" % str(e).splitlines()[0]]
    return []

def sse(text):
    events = []
    for block in text.split("\n\n"):
        ev, data = None, None
        for line in block.splitlines():
            if line.startswith("event: "):
                ev = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        if ev:
            events.append((ev, data))
    return events

text = open(path).read()
problems = []
if kind == "lgctl":
    for r in json.loads(text)["results"]:
        problems += ["%s: %s" % (r["router"], x) for x in clean(r.get("parsed"))]
elif kind in ("lgctl-ping", "api-ping"):
    for r in json.loads(text)["results"]:
        p = r.get("parsed")
        if not isinstance(p, dict) or p.get("kind") != "ping" or \
                p.get("sent") != 5 or p.get("received") != 5:
            problems.append("%s: parsed is %r" % (r["router"], p))
        else:
            problems += valid(p)
elif kind == "nbr":
    for r in json.loads(text)["results"]:
        p = r.get("parsed")
        n = [(x.get("address"), x.get("remote_as"), x.get("state"))
             for x in (p or {}).get("neighbors", [])]
        if not isinstance(p, dict) or p.get("kind") != "bgp_neighbors" or \
                n != [("80.249.208.41", 64510, "established")]:
            problems.append("%s: parsed is %r" % (r["router"], p))
        else:
            problems += valid(p)
elif kind == "lgctl-null":
    for r in json.loads(text)["results"]:
        if r.get("parsed") is not None:
            problems.append("%s: parsed is %r" % (r["router"], r["parsed"]))
elif kind == "api":
    for r in json.loads(text)["results"]:
        problems += ["%s: %s" % (r["router"], x) for x in clean(r.get("parsed"))]
elif kind == "api-null":
    for r in json.loads(text)["results"]:
        if "parsed" not in r or r["parsed"] is not None:
            problems.append("%s: parsed is %r" % (r["router"], r.get("parsed")))
elif kind == "sse":
    evs = sse(text)
    routers = {d["router"] for e, d in evs if e == "begin"}
    if not routers:
        problems.append("no begin event")
    for r in sorted(routers):
        mine = [e for e, d in evs if isinstance(d, dict) and d.get("router") == r]
        if mine.count("parsed") != 1:
            problems.append("%s: %d parsed events" % (r, mine.count("parsed")))
            continue
        i = mine.index("parsed")
        if mine[i + 1:] != ["end"] or "output" in mine[i + 1:]:
            problems.append("%s: events %s" % (r, mine))
        if "output" not in mine[:i]:
            problems.append("%s: no output before parsed" % r)
        d = [d for e, d in evs if e == "parsed" and d["router"] == r][0]
        if set(d) != {"router", "parsed"}:
            problems.append("%s: parsed event holds %s" % (r, sorted(d)))
        problems += ["%s: %s" % (r, x) for x in clean(d["parsed"])]
elif kind == "rfc-json":
    d = json.loads(text)["data"]
    if d.get("format") != "application/json":
        problems.append("format is %r" % d.get("format"))
    problems += clean(d.get("output"))
elif kind == "rfc-ping":
    d = json.loads(text)["data"]
    o = d.get("output")
    if d.get("format") != "application/json" or not isinstance(o, dict) or \
            o.get("kind") != "ping" or o.get("sent") != 5:
        problems.append("format %r, output %r" % (d.get("format"), o))
elif kind == "rfc-text":
    d = json.loads(text)["data"]
    if d.get("format") != "text/plain" or not isinstance(d.get("output"), list):
        problems.append("format %r, output %s" % (d.get("format"),
                                                  type(d.get("output"))))
elif kind == "rfc-cmd":
    for c in json.loads(text)["data"]["commands"]:
        if c.get("formats") != ["text/plain", "application/json"]:
            problems.append("%s: formats %r" % (c["href"], c.get("formats")))
print("ok" if not problems else "\n".join(problems))
PY
check() {
	LG_TOP=$LG_TOP python3 "$BK/check.py" "$1" "$2" 2>&1
}

# lgctl -j query: every platform over both transports parses cleanly.
# The tables (community, AS path) one family at a time.
for n in $NAMES; do
	for q in "bgp_route 1.0.4.0/24" "bgp_route 2a00:1450::/32" \
	    "-a ipv4 bgp_aspath _65010_" "-a ipv6 bgp_aspath _65010_" \
	    "-a ipv4 bgp_community 65000:100" "-a ipv6 bgp_community 65000:100"; do
		set -- $q
		if [ "$1" = -a ]; then a="$1 $2"; shift 2; else a=; fi
		# shellcheck disable=SC2086
		bk_ctl -j query $a "$n" "$@" >"$BK/q.json" 2>"$BK/q.err"
		is "$n: $q parses cleanly (lgctl -j)" \
		    "$(check lgctl "$BK/q.json")" ok
	done
done
bk_ctl -j query ios1-ssh ping 198.18.2.2 >"$BK/q.json" 2>"$BK/q.err"
is "a ping parses to its counts (lgctl -j)" \
    "$(check lgctl-ping "$BK/q.json")" ok
bk_ctl -j query ios1-ssh bgp_neighbors 80.249.208.41 >"$BK/q.json" \
    2>"$BK/q.err"
is "a neighbor parses to its session (lgctl -j)" \
    "$(check nbr "$BK/q.json")" ok
bk_ctl -j query ios1-text bgp_neighbors 80.249.208.41 >"$BK/q.json" \
    2>"$BK/q.err"
is "a driver without parse rules: parsed is null (lgctl -j)" \
    "$(check lgctl-null "$BK/q.json")" ok

# lgwebd on the same broker.
bk_web_start
ok "lgwebd answers" dm_wait 10 curl -sf "$URL/healthz"

Q="router=ios1-telnet,junos1-ssh&type=bgp_route&target=1.0.4.0/24"
curl -s "$URL/api/v1/query?$Q" >"$BK/api.json"
is "JSON API: results[].parsed on each router" "$(check api "$BK/api.json")" ok
cached=$(curl -s "$URL/api/v1/query?$Q" | tee "$BK/api2.json" |
    python3 -c 'import json,sys; print([r["cached"] for r in json.load(sys.stdin)["results"]])')
is "JSON API: the second answer comes from the cache" "$cached" "[True, True]"
is "JSON API: a cache hit carries parsed" "$(check api "$BK/api2.json")" ok
same=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["results"]
b = json.load(open(sys.argv[2]))["results"]
print(all(x["parsed"] == y["parsed"] for x, y in zip(a, b)))' \
    "$BK/api.json" "$BK/api2.json")
is "JSON API: the cached parsed answer is the one first parsed" "$same" True
bk_ctl -j query ios1-telnet bgp_route 1.0.4.0/24 >"$BK/ctl.json" 2>&1
same=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["results"][0]["parsed"]
b = json.load(open(sys.argv[2]))["results"][0]["parsed"]
print(a == b)' "$BK/api.json" "$BK/ctl.json")
is "JSON API and lgctl -j carry the same parsed answer" "$same" True
curl -s "$URL/api/v1/query?router=ios1-ssh&type=ping&target=198.18.2.2" \
    >"$BK/api-ping.json"
is "JSON API: a ping parses to its counts" \
    "$(check api-ping "$BK/api-ping.json")" ok
curl -s "$URL/api/v1/query?router=ios1-ssh&type=bgp_neighbors&target=80.249.208.41" \
    >"$BK/api-nb.json"
is "JSON API: a neighbor parses to its session" \
    "$(check nbr "$BK/api-nb.json")" ok
curl -s "$URL/api/v1/query?router=ios1-text&type=bgp_neighbors&target=80.249.208.41" \
    >"$BK/api-nb.json"
is "JSON API: parsed is null without parse rules" \
    "$(check api-null "$BK/api-nb.json")" ok
curl -s -X POST -H 'Content-Type: application/json' -d \
    '{"router":"junos1-ssh","type":"bgp_aspath","target":"_65010_"}' \
    "$URL/api/v1/query" >"$BK/api-post.json"
is "JSON API: POST bgp_aspath parses" "$(check api "$BK/api-post.json")" ok

# SSE: parsed after the router's last output, before its end.
curl -sN "$URL/api/v1/query/stream?router=eos1-telnet,nxos1-ssh,junos1-telnet&type=bgp_community&target=65000:100" \
    >"$BK/sse.txt"
is "SSE: one parsed event per router, after its output, before its end" \
    "$(check sse "$BK/sse.txt")" ok

# RFC 8522.
RFC=$URL/.well-known/looking-glass/v1
curl -s "$RFC/show/bgp/1.0.4.0/24?router=junos1-telnet&format=application/json" \
    >"$BK/rfc.json"
is "RFC 8522: format=application/json puts the parsed answer in output" \
    "$(check rfc-json "$BK/rfc.json")" ok
curl -s "$RFC/show/bgp/1.0.4.0/24?router=junos1-telnet" >"$BK/rfc2.json"
is "RFC 8522: text/plain by default" "$(check rfc-text "$BK/rfc2.json")" ok
curl -s "$RFC/ping/198.18.2.2?router=ios1-ssh&format=application/json" \
    >"$BK/rfc-ping.json"
is "RFC 8522: a parsed ping in output" "$(check rfc-ping "$BK/rfc-ping.json")" ok
curl -s "$RFC/show/bgp/neighbors/80.249.208.41?router=ios1-text&format=application/json" \
    >"$BK/rfc3.json"
is "RFC 8522: without a parsed answer the text stays, format says so" \
    "$(check rfc-text "$BK/rfc3.json")" ok
code=$(curl -s -o "$BK/rfc4.json" -w '%{http_code}' \
    "$RFC/show/bgp/1.0.4.0/24?router=junos1-telnet&format=text/html")
is "RFC 8522: another format is refused" "$code" 400
like "and the message names the formats" "$(cat "$BK/rfc4.json")" \
    'format: only text/plain and application/json are offered'
curl -s "$RFC/cmd" >"$BK/cmd.json"
is "RFC 8522: cmd lists the formats of each command" \
    "$(check rfc-cmd "$BK/cmd.json")" ok

# A neighbor's routes: the JSON API on every platform, SSE, RFC 8522 by
# its extension paths, listed in cmd.
curl -s "$URL/api/v1/query?router=$(echo $NAMES | tr ' ' ',')&type=bgp_neighbor_received&target=80.249.208.41" \
    >"$BK/api-rcv.json"
is "JSON API: bgp_neighbor_received parses on every platform and transport" \
    "$(check api "$BK/api-rcv.json")" ok
curl -sN "$URL/api/v1/query/stream?router=ios1-telnet,junos1-ssh&type=bgp_neighbor_advertised&target=2001:7f8::a506:4510:1" \
    >"$BK/sse-adv.txt"
is "SSE: bgp_neighbor_advertised streams and parses" \
    "$(check sse "$BK/sse-adv.txt")" ok
for w in received advertised; do
	curl -s "$RFC/show/bgp/neighbors/$w-routes/80.249.208.41?router=eos1-ssh&format=application/json" \
	    >"$BK/rfc-$w.json"
	is "RFC 8522: show/bgp/neighbors/$w-routes/{addr} answers, parsed" \
	    "$(check rfc-json "$BK/rfc-$w.json")" ok
	args=$(python3 -c 'import json, sys; print([c["arguments"] for c in json.load(open(sys.argv[1]))["data"]["commands"] if c["href"].endswith("/" + sys.argv[2])])' \
	    "$BK/cmd.json" "show/bgp/neighbors/$w-routes")
	is "RFC 8522: cmd lists show/bgp/neighbors/$w-routes/{addr}" "$args" "['{addr}']"
done
code=$(curl -s -o "$BK/rfc-bad.json" -w '%{http_code}' \
    "$RFC/show/bgp/neighbors/received-routes/80.249.208.0/24?router=eos1-ssh")
is "RFC 8522: a prefix as the neighbor is refused" "$code" 400
like "and the message says why" "$(cat "$BK/rfc-bad.json")" \
    'bgp_neighbor_received takes an address, not a prefix'

bk_web_stop
bk_stop
done_testing
