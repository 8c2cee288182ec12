#!/bin/sh
# lgwebd against a real lgbrokerd and the vendor CLI emulator: the JSON
# API (GET, POST, several routers, cache, errors), the SSE stream, RFC
# 8522, static files and security headers, rate limiting, a 20 MB answer
# streamed with bounded memory and paced by a slow client, cancellation
# when the client goes away, broker loss and reconnection, /metrics,
# /healthz, the access log, and a clean (ASan leak-free) shutdown.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LG_BUILD:=build/san}"
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac

for b in lgwebd lgbrokerd lgemu; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built"
done
command -v curl >/dev/null || skip_all "curl not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

W=$(mktemp -d /tmp/lg-web.XXXXXX)
EMU_DIR=$W/emu
# Two blocks of five free ports for the emulator, so that several runs
# (and other suites) can share the machine.
BASES=$(python3 -c '
import random, socket
def free(b):
    for p in range(b, b + 5):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
        finally:
            s.close()
    return True
while True:
    b = random.randrange(20000, 30000, 10)
    if free(b) and free(b + 5000):
        print(b, b + 5000)
        break')
set -- $BASES
SSHB=$1 TELB=$2
export LG_EMU_DIR=$EMU_DIR LG_EMU_SSH_BASE=$SSHB LG_EMU_TELNET_BASE=$TELB
WEB_PID= BROKER_PID=

cleanup() {
	[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null
	[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null
	LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" stop \
	    >/dev/null 2>&1
	sleep 0.3
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

# The fleet: a plain IOS, a Junos, a slow talker and a 20 MB table.
emu_router() {
	echo "  { name = \"$1\"; platform = \"$2\"; hostname = \"$1\";"
	echo "    listen = \"127.0.0.1\"; ssh_port = $3; telnet_port = $4;"
	echo "    username = \"lg\"; password = \"lg-secret\";"
	echo "    enable_password = \"lg-enable\"; faults = { $5 }; }$6"
}
mkdir -p "$EMU_DIR/audit"
{
	echo "emulator: {"
	echo "  fixtures = \"$LG_TOP/tests/emulator/fixtures\";"
	echo "  audit = \"$EMU_DIR/audit\"; control = \"$EMU_DIR/lgemu.ctl\";"
	echo "  host_keys = [ \"$EMU_DIR/ssh_host_ed25519_key\","
	echo "      \"$EMU_DIR/ssh_host_rsa_key\" ];"
	echo "};"
	echo "routers = ("
	emu_router ios1 ios $SSHB $TELB "" ","
	emu_router junos1 junos $((SSHB + 1)) $((TELB + 1)) "" ","
	emu_router slow1 ios $((SSHB + 2)) $((TELB + 2)) 'slow_output = "48/20";' ","
	emu_router huge1 ios $((SSHB + 3)) $((TELB + 3)) 'huge_output_mb = 20; huge_on = "show bgp ipv4 unicast";' ","
	emu_router hang1 ios $((SSHB + 4)) $((TELB + 4)) 'hang_on = "show bgp ipv4 unicast 1.0.4";' ""
	echo ");"
} >"$W/fleet.conf"
if ! LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" start \
    "$W/fleet.conf" >"$W/emu-start.log" 2>&1; then
	fail "emulator starts" "$(cat "$W/emu-start.log")"
	done_testing
	exit 1
fi
pass "emulator starts"

PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT
mkdir -p "$W/www/api" "$W/www/sub"
echo '<!doctype html><title>lg</title>' >"$W/www/index.html"
echo 'console.log(1);' >"$W/www/app.js"
echo 'body{}' >"$W/www/sub/style.css"
echo '{"openapi":"3.0.3"}' >"$W/www/api/openapi.json"
echo 'secret' >"$W/secret.txt"
ln -s "$W/secret.txt" "$W/www/link.txt"
ln -s "$W" "$W/www/up"

cat >"$W/credentials.conf" <<CRED
credentials = { emu = { username = "lg"; password = "lg-secret";
    enable = "lg-enable"; }; };
CRED
chmod 600 "$W/credentials.conf"

router() {
	echo "  { name = \"$1\"; location = \"$2\"; group = \"$3\";"
	echo "    driver = \"$4\"; transport = \"telnet\"; host = \"127.0.0.1\";"
	echo "    port = $5; credential = \"emu\"; $6 }$7"
}
{
	cat <<CONF
broker: {
  socket = "$W/broker.sock"; admin_socket = "$W/admin.sock";
  drivers = "$LG_TOP/drivers"; credentials = "$W/credentials.conf";
  known_hosts = "$EMU_DIR/known_hosts"; audit_log = "$W/audit.log";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$W/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { ping = "2/min"; };
  # Long enough to outlive the whole file on a slow machine: the broker-
  # loss checks at its end read answers cached at its start.
  cache = { bgp_route = 900; bgp_summary = 900; };
  cache_bytes = 1048576;
  access_log = "$W/access.log";
  vrfs = [ "blue" ];
  title = "Test <Networks>";
  footer = "Operated by \\"us\\".";
};
routers = (
CONF
	router ios1 Frankfurt Europe cisco-ios $TELB "" ","
	router junos1 Amsterdam Europe juniper-junos $((TELB + 1)) "" ","
	router slow1 Paris Europe cisco-ios $((TELB + 2)) "" ","
	router huge1 London Europe cisco-ios $((TELB + 3)) "" ","
	router nosum1 Madrid Europe cisco-ios $TELB \
	    'disable = [ "bgp_summary" ];' ","
	router hang1 Rome Europe cisco-ios $((TELB + 4)) "" ""
	echo ");"
} >"$W/lorgnette.conf"

ok "lgwebd -n accepts the configuration" "$BIN/lgwebd" -n -f "$W/lorgnette.conf"
echo 'web: { listen = 5; };' >"$W/bad.conf"
nok "lgwebd -n refuses a bad one" "$BIN/lgwebd" -n -f "$W/bad.conf"
like "and says where" "$("$BIN/lgwebd" -n -f "$W/bad.conf" 2>&1)" 'bad.conf:1'

start_broker() {
	"$BIN/lgbrokerd" -d -f "$W/lorgnette.conf" >>"$W/broker.log" 2>&1 &
	BROKER_PID=$!
}
start_broker
# A small quarantine so that lgwebd's peak memory means something under
# ASan; leak checking stays on.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
    "$BIN/lgwebd" -d -f "$W/lorgnette.conf" >"$W/web.log" 2>&1 &
WEB_PID=$!

healthy() { curl -sf "$URL/healthz" | grep -q '"connected"'; }
routers_up() {
	curl -sf "$URL/api/v1/routers" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if all(r["state"] == "up" for r in d["routers"]) else 1)'
}
if dm_wait 20 healthy; then pass "lgwebd connects to the broker"; else
	fail "lgwebd connects to the broker" "$(cat "$W/web.log")"
	done_testing; exit 1
fi
dm_wait 30 routers_up && pass "every router is up" ||
    fail "every router is up" "$(curl -s "$URL/api/v1/routers")"

# get PATH: body in $BODY, status in $CODE, headers in $W/h
get() {
	BODY=$(curl -s -D "$W/h" -o - -w '\n%{http_code}' "$@")
	CODE=$(printf '%s' "$BODY" | tail -n 1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
}
# jq-like: json EXPR, with d the decoded $BODY
json() {
	printf '%s' "$BODY" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# --- /api/v1/routers and /healthz
get "$URL/api/v1/routers"
is "routers: 200" "$CODE" 200
is "routers: names in configuration order" \
    "$(json '",".join(r["name"] for r in d["routers"])')" \
    "ios1,junos1,slow1,huge1,nosum1,hang1"
is "routers: fields" "$(json 'sorted(d["routers"][0].keys())')" \
    "['group', 'location', 'name', 'queries', 'state', 'vendor']"
like "routers: vendor from the driver" "$(json 'd["routers"][1]["vendor"]')" Juniper
unlike "routers: nosum1 does not offer bgp_summary" \
    "$(json 'd["routers"][4]["queries"]')" bgp_summary
unlike "routers: no host or port" "$BODY" "127\\.0\\.0\\.1|$TELB"
# bgp_neighbors is staff's by default (web.staff_queries): not the public's.
is "routers: the query types of the table, in order" \
    "$(json '",".join(t["name"] for t in d["query_types"])')" \
    "bgp_route,route,bgp_community,bgp_aspath,bgp_summary,ping,traceroute,mtr"
is "routers: what a query type takes" \
    "$(json '[(t["label"], t["targets"], t["afi"]) for t in d["query_types"] if t["name"] in ("ping", "bgp_summary")]')" \
    "[('BGP summary', ['none'], True), ('Ping', ['address', 'hostname'], False)]"
get "$URL/healthz"
is "healthz: 200 when connected" "$CODE" 200
is "healthz body" "$BODY" '{"status":"ok","broker":"connected"}'

get "$URL/api/v1/site"
is "site: branding from the configuration" \
    "$(json 'd["title"], d["footer"], repr(d["logo"]), d["rfc8522"]')" \
    "Test <Networks> Operated by \"us\". '' True"

# --- the JSON API
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.0/24"
is "query: 200" "$CODE" 200
like "query: content type" "$(cat "$W/h")" 'Content-Type: application/json'
is "query: one result, ok" "$(json 'd["results"][0]["status"]')" ok
is "query: canonical target" "$(json 'd["results"][0]["target"]')" 1.0.4.0/24
like "query: command as run" "$(json 'd["results"][0]["command"]')" \
    'show (ip )?bgp.*1\.0\.4\.0/24'
like "query: router output" "$(json 'd["results"][0]["output"]')" '1\.0\.4\.0'
is "query: not cached the first time" "$(json 'd["results"][0]["cached"]')" False
like "query: performed_at in RFC 3339 UTC" \
    "$(json 'd["results"][0]["performed_at"]')" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
is "query: no error member when ok" "$(json '"error" in d["results"][0]')" False
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.0/24"
is "query again: cached" "$(json 'd["results"][0]["cached"]')" True
like "query again: age" "$(json 'd["results"][0]["age"]')" '^[0-9]+$'
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.1%2F24"
like "host bits: normalised into the same cache entry, or refused" \
    "$BODY" '"target":"1\.0\.4\.0/24".*"cached":true|"code":"bad_query"'

# A prompt-like line inside an answer: the answer comes whole, and is not
# cached (the session misbehaved).
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault ios1 \
    prompt_in_output 400 >/dev/null
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.7"
like "prompt-like line in the output: kept, and the answer goes on" \
    "$(json 'd["results"][0]["output"]')" '^ios1#$'
like "prompt-like line: the rest of the answer follows" \
    "$(json 'd["results"][0]["output"].split("ios1#")[1]')" 'Paths:'
is "prompt-like line: complete" "$(json 'd["results"][0]["truncated"]')" False
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault ios1 \
    prompt_in_output 0 >/dev/null
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.7"
is "prompt-like line: that answer was not cached" \
    "$(json 'd["results"][0]["cached"]')" False
unlike "the next answer, without it, is clean" \
    "$(json 'd["results"][0]["output"]')" '^ios1#$'
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.7"
is "and that one is cached" "$(json 'd["results"][0]["cached"]')" True

get -X POST -H 'Content-Type: application/json' \
    -d '{"router":["ios1","junos1"],"type":"bgp_summary"}' "$URL/api/v1/query"
is "POST: two routers" "$CODE:$(json 'len(d["results"])')" "200:2"
is "POST: in the order asked" \
    "$(json '",".join(r["router"] for r in d["results"])')" ios1,junos1
like "POST: each answered" "$(json '[r["status"] for r in d["results"]]')" \
    "\['ok', 'ok'\]"

get "$URL/api/v1/query?router=ios1,nosum1&type=bgp_summary"
is "per-router refusal inside a 200" "$CODE" 200
is "nosum1: unsupported" "$(json 'd["results"][1]["error"]["code"]')" unsupported
is "ios1 still answered" "$(json 'd["results"][0]["status"]')" ok
get "$URL/api/v1/query?router=nosum1&type=bgp_summary"
is "one router, unsupported there: 200 with its error (not 501)" \
    "$CODE $(json 'd["results"][0]["status"], d["results"][0]["error"]["code"]')" \
    "200 error unsupported"

# Several routers run concurrently: slow1 streams for about a second,
# the others must not wait for it.
t0=$(date +%s%N)
get "$URL/api/v1/query?router=slow1,junos1,ios1&type=bgp_route&target=1.0.4.0/24&afi=ipv4"
t1=$(date +%s%N)
is "fan-out: all ok" "$(json '[r["status"] for r in d["results"]]')" \
    "['ok', 'ok', 'ok']"
slow=$(json 'd["results"][0]["runtime_ms"]')
fast=$(json 'max(d["results"][1]["runtime_ms"], d["results"][2]["runtime_ms"])')
like "fan-out: the slow router took its time ($slow ms)" "$slow" '^[0-9]{3,}$'
total=$(( (t1 - t0) / 1000000 ))
ok "fan-out: total ${total} ms within 1.5x the slowest" \
    test "$total" -le $((slow * 3 / 2 + 300))

# --- errors: status, code, and never the raw input
err() {	# err DESC STATUS CODE curl-args...
	d=$1 s=$2 c=$3; shift 3
	get "$@"
	is "$d: $s $c" "$CODE $(json 'd["error"]["code"]' 2>/dev/null)" "$s $c"
}
err "unknown router" 404 unknown_router "$URL/api/v1/query?router=nope&type=ping&target=1.1.1.1"
err "unknown type" 404 unknown_type "$URL/api/v1/query?router=ios1&type=shell&target=x"
err "missing target" 400 bad_query "$URL/api/v1/query?router=ios1&type=bgp_route"
err "missing router" 400 bad_query "$URL/api/v1/query?type=bgp_summary"
err "repeated type" 400 bad_query "$URL/api/v1/query?router=ios1&type=ping&type=ping&target=1.1.1.1"
err "bad percent-encoding" 400 bad_query "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1%zz"
err "encoded NUL" 400 bad_query "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1%00x"
err "forbidden network" 403 denied "$URL/api/v1/query?router=ios1&type=bgp_route&target=10.1.0.0/16"
err "too many routers" 400 bad_query "$URL/api/v1/query?router=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u&type=bgp_summary"
is "too many routers: the message names the cap (web.max_routers, default 20)" \
    "$(json 'd["error"]["message"]')" \
    "router: too many routers in one query (at most 20, web.max_routers)"
err "JSON of the wrong type" 400 bad_query -X POST -d '{"router":1,"type":"ping"}' "$URL/api/v1/query"
err "not JSON" 400 bad_query -X POST -d 'router=ios1' "$URL/api/v1/query"
err "no such resource" 404 unknown_type "$URL/api/v2/nothing"
get -X DELETE "$URL/api/v1/query"
is "DELETE: 405" "$CODE" 405
like "DELETE: Allow" "$(cat "$W/h")" 'Allow: GET, HEAD, POST'
head -c 20000 /dev/zero | tr '\0' x >"$W/big"
get -X POST --data-binary "@$W/big" "$URL/api/v1/query"
is "a body over 16 KiB: 413" "$CODE" 413
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=%3Cscript%3Ealert(1)%3C/script%3E"
is "markup in a target: 400" "$CODE" 400
unlike "markup is not echoed raw" "$BODY" '<script>'

# --- rate limiting: ping is 2/min per client
get "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
get "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
get "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
is "third ping in a minute: 429 rate_limited" \
    "$CODE $(json 'd["error"]["code"]')" "429 rate_limited"
like "429 carries Retry-After" "$(cat "$W/h")" 'Retry-After: [0-9]+'
get -H 'X-Forwarded-For: 198.18.7.7' "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
is "another client behind the trusted proxy has its own bucket" "$CODE" 200
get -H 'X-Forwarded-For: 198.18.7.8' -H 'X-Forwarded-For: 198.18.7.7' \
    "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
get -H 'X-Forwarded-For: 198.18.7.8' -H 'X-Forwarded-For: 198.18.7.7' \
    "$URL/api/v1/query?router=ios1&type=ping&target=1.1.1.1"
is "a forged first X-Forwarded-For line does not buy a new bucket" "$CODE" 429

# --- SSE
BODY=$(curl -sN "$URL/api/v1/query/stream?router=ios1,junos1&type=bgp_route&target=1.0.4.0/24&afi=ipv4")
like "stream: begin events" "$BODY" '^event: begin'
like "stream: output events" "$BODY" 'event: output'
is "stream: one end per router" "$(printf '%s\n' "$BODY" | grep -c '^event: end')" 2
is "stream: done last" "$(printf '%s\n' "$BODY" | grep '^event:' | tail -n 1)" "event: done"
like "stream: end carries status" "$BODY" '"status":"ok"'
HDRS=$(curl -sN -D - -o /dev/null "$URL/api/v1/query/stream?router=ios1&type=bgp_summary")
like "stream: text/event-stream" "$HDRS" 'Content-Type: text/event-stream'

# --- RFC 8522
B=$URL/.well-known/looking-glass/v1
get "$B/routers"
is "rfc8522 routers" "$(json 'd["status"], d["data"]["routers"][0]')" "success ios1"
get "$B/routers/1"
is "rfc8522 routers/1" "$(json 'd["data"]["name"]')" junos1
get "$B/routers/99"
is "rfc8522 routers/99: 404 error" "$CODE $(json 'd["status"]')" "404 error"
get "$B/cmd"
is "rfc8522 cmd lists the offered commands" \
    "$(json '" ".join(sorted(c["href"].split("/v1/")[1] + c["arguments"] for c in d["data"]["commands"]))')" \
    "mtr{host} ping{host} show/bgp/aspath{regex} show/bgp/community{community} show/bgp/summary show/bgp{addr} show/route{addr} traceroute{host}"
like "rfc8522 cmd: extensions say so" \
    "$(json '[c["description"] for c in d["data"]["commands"] if "community" in c["href"]]')" \
    "community \\(extension\\)"
unlike "bgp_neighbors is off by default" "$BODY" neighbors
get "$B/show/bgp/1.0.4.0/24?routerindex=1&protocol=1,1"
is "rfc8522 show/bgp: success" "$CODE $(json 'd["status"]')" "200 success"
is "rfc8522: output is an array of lines" \
    "$(json 'type(d["data"]["output"]).__name__')" list
is "rfc8522: router by index" "$(json 'd["data"]["router"]')" junos1
is "rfc8522: format" "$(json 'd["data"]["format"]')" text/plain
get "$B/show/bgp/1.0.4.0/24?ROUTER=ios1&routerIndex=1"
is "rfc8522: router and routerindex disagree: error" "$CODE $(json 'd["status"]')" "400 error"
get "$B/show/route/10.0.0.1"
is "rfc8522: forbidden target: error" "$CODE $(json 'd["status"]')" "403 error"
get "$B/show/bgp/summary?format=text/html"
is "rfc8522: only text/plain" "$CODE $(json 'd["status"]')" "400 error"
get "$B/show/bgp/summary?vrf=red"
is "rfc8522: unknown vrf" "$CODE $(json 'd["status"]')" "400 error"
get -X POST "$B/cmd"
is "rfc8522: POST is 405" "$CODE" 405
like "rfc8522: Allow GET" "$(cat "$W/h")" 'Allow: GET'

# --- static files and headers
get "$URL/"
is "/ is index.html" "$CODE" 200
like "html content type" "$(cat "$W/h")" 'Content-Type: text/html'
like "CSP without unsafe-inline" "$(cat "$W/h")" \
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
like "nosniff" "$(cat "$W/h")" 'X-Content-Type-Options: nosniff'
like "frame options" "$(cat "$W/h")" 'X-Frame-Options: DENY'
like "referrer policy" "$(cat "$W/h")" 'Referrer-Policy: no-referrer'
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$W/h")
like "ETag" "$etag" '^"[0-9a-f]+-[0-9a-f]+"$'
like "Last-Modified" "$(cat "$W/h")" 'Last-Modified: '
get -H "If-None-Match: $etag" "$URL/index.html"
is "If-None-Match: 304" "$CODE" 304
get "$URL/app.js"
like "js content type" "$(cat "$W/h")" 'Content-Type: text/javascript'
get "$URL/sub/style.css"
is "css in a subdirectory" "$CODE" 200
like "css content type" "$(cat "$W/h")" 'Content-Type: text/css'
get "$URL/api/v1/openapi.json"
is "openapi document" "$CODE $BODY" '200 {"openapi":"3.0.3"}'
get "$URL/api/v1/routers"
like "security headers on API answers too" "$(cat "$W/h")" 'X-Frame-Options: DENY'
for p in /../secret.txt /%2e%2e/secret.txt /sub/..%2f..%2fsecret.txt \
    /link.txt /up/secret.txt /sub/ /sub '/index.html%00.js' '/.%2e/x' \
    '/sub%5c..%5cindex.html'; do
	code=$(curl -s --path-as-is -o "$W/b" -w '%{http_code}' "$URL$p")
	if [ "$code" = 404 ] && ! grep -q secret "$W/b"; then
		pass "static: $p refused"
	else
		fail "static: $p refused" "status $code" "$(cat "$W/b")"
	fi
done

# --- a 20 MB answer: streamed as it comes, paced by a slow client,
# with lgwebd's memory bounded.
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$WEB_PID/status"; }
before=$(hwm)
R=$(curl -s -o "$W/huge.json" -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}' \
    "$URL/api/v1/query?router=huge1&type=bgp_community&target=65000:100&afi=ipv4")
set -- $R
is "huge: 200" "$1" 200
ok "huge: more than 20 MB arrived ($2 bytes)" test "$2" -gt 20000000
ok "huge: first bytes ($3 s) long before the end ($4 s)" \
    python3 -c "import sys; sys.exit(0 if $3 * 4 < $4 else 1)"
ok "huge: the document is valid JSON, untruncated" python3 -c "
import json; r = json.load(open('$W/huge.json'))['results'][0]
assert r['status'] == 'ok' and not r['truncated'] and len(r['output']) > 20000000"
mid=$(hwm)
# A client reading 4 MB/s through a small receive buffer (a fixed
# SO_RCVBUF turns off the kernel's autotuning, which on loopback could
# otherwise swallow the whole answer).
R=$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/v1/query/stream?router=huge1&type=bgp_community"
    b"&target=65000:200&afi=ipv4 HTTP/1.1\r\nHost: lg\r\n"
    b"Connection: close\r\n\r\n")
t0, n, head = time.time(), 0, b""
while True:
    b = s.recv(65536)
    if not b:
        break
    if not head:
        head = b[:12]
    n += len(b)
    ahead = n / 4e6 - (time.time() - t0)
    if ahead > 0:
        time.sleep(ahead)
print(head.split()[1].decode(), n, "%.1f" % (time.time() - t0))
PY
)
set -- $R
is "huge, slow client: 200" "$1" 200
ok "huge, slow client: all of it ($2 bytes, $3 s)" test "$2" -gt 20000000
after=$(hwm)
ok "lgwebd peak memory grew by $(( (mid - before) / 1024 )) MiB for a 20 MB answer (bound: 24 MiB)" \
    test $((mid - before)) -lt $((24 * 1024))
ok "and by $(( (after - mid) / 1024 )) MiB more for a second one (bounded, not proportional)" \
    test $((after - mid)) -lt $((8 * 1024))
like "the broker ran as long as the client read" \
    "$(grep 'target=65000:200' "$W/broker.log" "$W/audit.log" 2>/dev/null)" \
    'runtime_ms=(2[5-9][0-9]{2}|[3-9][0-9]{3}|[0-9]{5})'

# --- the client goes away: the broker is told
curl -s -m 0.5 -o /dev/null "$URL/api/v1/query?router=huge1&type=bgp_community&target=65000:300&afi=ipv4"
cancelled() { grep -q 'target=65000:300.*status=cancelled' "$W/broker.log" "$W/audit.log"; }
dm_wait 10 cancelled && pass "client gone: the query is cancelled" ||
    fail "client gone: the query is cancelled" "$(tail -5 "$W/broker.log")"
inflight0() { curl -s "$URL/metrics" | grep -q '^lg_inflight 0$'; }
dm_wait 5 inflight0 && pass "nothing left in flight" || fail "nothing left in flight"

# --- a router that never answers: the RFC 8522 runtime limit, and SSE
# keep-alive comments while nothing comes
t0=$(date +%s)
get "$B/show/bgp/1.0.4.0/24?router=hang1&runtime=2"
t1=$(date +%s)
is "runtime=2 on a hung router: 504 error" "$CODE $(json 'd["status"], d["data"]["code"]')" \
    "504 error timeout"
ok "runtime=2: answered after $((t1 - t0)) s" test $((t1 - t0)) -le 10
BODY=$(curl -sN -m 17 "$URL/api/v1/query/stream?router=hang1&type=bgp_route&target=1.0.4.0/24&afi=ipv4")
like "stream: a keep-alive comment while the router is silent" "$BODY" '^: keep-alive'
like "stream: begin sent before any output" "$BODY" 'event: begin'

# --- /metrics and the access log
M=$(curl -s "$URL/metrics")
like "metrics: http requests" "$M" 'lg_http_requests_total\{endpoint="query",status="200"\} [0-9]+'
like "metrics: queries" "$M" 'lg_queries_total\{router="ios1",type="bgp_route",result="ok"\} [0-9]+'
like "metrics: histogram" "$M" 'lg_query_duration_seconds_bucket\{type="bgp_route",le="\+Inf"\} [1-9]'
like "metrics: cache hits" "$M" 'lg_cache_hits_total [1-9]'
like "metrics: rate-limit rejections" "$M" 'lg_ratelimit_rejections_total [1-9]'
like "metrics: broker connected" "$M" 'lg_broker_connected 1'
like "metrics: routers by state" "$M" 'lg_routers\{state="up"\} [1-9]'
like "access log: JSON lines" "$(tail -n 1 "$W/access.log")" '^\{"time":"[^"]+","client":"127\.0\.0\.1","router":'
like "access log: the cancelled query" "$(cat "$W/access.log")" '65000:300","status":"cancelled"'
ok "access log: every line is JSON" python3 -c "
import json
for l in open('$W/access.log'): json.loads(l)"

# --- broker loss and return
kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null; BROKER_PID=
down() { curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" | grep -q 503; }
dm_wait 5 down && pass "healthz: 503 without the broker" || fail "healthz: 503 without the broker"
get "$URL/api/v1/query?router=junos1&type=bgp_route&target=1.0.5.0/24"
is "query without the broker: 503 broker_unavailable" \
    "$CODE $(json 'd["error"]["code"]')" "503 broker_unavailable"
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.4.0/24"
is "cached answers still served" "$CODE $(json 'd["results"][0]["cached"]')" "200 True"
start_broker
dm_wait 15 healthy && pass "lgwebd reconnects" || fail "lgwebd reconnects" "$(tail -5 "$W/web.log")"

# --- SIGHUP: a new configuration for new requests, the old one for those
# in progress, and a broken file changes nothing
cp "$W/lorgnette.conf" "$W/lorgnette.conf.orig"
sed -e 's/title = "Test <Networks>";/title = "Reloaded";/' \
    -e 's/rate = { ping = "2\/min"; };/rate = { ping = "2\/min"; bgp_summary = "1\/min"; };/' \
    "$W/lorgnette.conf.orig" >"$W/lorgnette.conf"
curl -s -o "$W/inflight.json" "$URL/api/v1/query?router=slow1&type=bgp_summary&afi=ipv6" &
CURL_PID=$!
sleep 0.2
kill -HUP "$WEB_PID"
reloaded() { curl -s "$URL/api/v1/site" | grep -q '"title":"Reloaded"'; }
dm_wait 5 reloaded && pass "SIGHUP: the new title is served" ||
    fail "SIGHUP: the new title is served" "$(tail -5 "$W/web.log")"
wait "$CURL_PID"
BODY=$(cat "$W/inflight.json")
is "SIGHUP: a query in progress completes" "$(json 'd["results"][0]["status"]')" ok
get "$URL/api/v1/query?router=junos1&type=bgp_summary&afi=ipv4"
get "$URL/api/v1/query?router=junos1&type=bgp_summary&afi=ipv6"
is "SIGHUP: the new rate limit applies" "$CODE" 429
echo 'web: { listen = ; };' >>"$W/lorgnette.conf"
kill -HUP "$WEB_PID"
refused() { grep -q 'has errors' "$W/web.log"; }
dm_wait 5 refused && pass "SIGHUP with a broken file: refused and logged" ||
    fail "SIGHUP with a broken file: refused and logged" "$(tail -5 "$W/web.log")"
get "$URL/api/v1/site"
is "SIGHUP with a broken file: the configuration in force stays" \
    "$(json 'd["title"]')" Reloaded
cp "$W/lorgnette.conf.orig" "$W/lorgnette.conf"

# --- clean shutdown
dm_stop "$WEB_PID" "SIGTERM: exit status 0"
WEB_PID=
dm_clean "no sanitizer report" "$W/web.log"

# --- the global cap on queries in flight (web.max_inflight = 1)
sed -e 's/^web: {/web: {\n  max_inflight = 1;/' "$W/lorgnette.conf" >"$W/cap.conf"
"$BIN/lgwebd" -d -f "$W/cap.conf" >"$W/web2.log" 2>&1 &
WEB_PID=$!
dm_wait 20 healthy || fail "lgwebd with max_inflight = 1 starts"
curl -s -o "$W/slow.json" "$URL/api/v1/query?router=slow1&type=bgp_summary" &
CURL_PID=$!
sleep 0.3
# Another client meets the global cap; the same one meets its own first
# (web.max_inflight_client, never more than half of max_inflight).
get -H 'X-Forwarded-For: 198.18.9.9' \
    "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.7.0/24"
is "another client's query while one is in flight: 503 busy" \
    "$CODE $(json 'd["error"]["code"]')" "503 busy"
get "$URL/api/v1/query?router=ios1&type=bgp_route&target=1.0.7.0/24"
is "the same client's second query: 429 rate_limited" \
    "$CODE $(json 'd["error"]["code"]')" "429 rate_limited"
wait "$CURL_PID"
BODY=$(cat "$W/slow.json")
is "the first one completes" "$(json 'd["results"][0]["status"]')" ok
dm_stop "$WEB_PID" "SIGTERM: exit status 0"
WEB_PID=

done_testing
