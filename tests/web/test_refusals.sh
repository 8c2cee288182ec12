#!/bin/sh
# What lgwebd refuses, and how: RFC 8522 failures as JSend "error" with
# the registry's HTTP status (Retry-After on 429), "fail" only for a
# command the router ran and rejected, runtime in milliseconds; requests
# with too many parameters, header bytes, headers or body bytes answered
# at once (414, 431, 413), never left to connection_timeout; a type that
# is not offered refused before a missing target; X-Forwarded-For hops
# folded (IPv4-mapped) or refused (not an address); requests from another
# site's page refused.  A real lgbrokerd and the vendor CLI emulator
# stand behind it.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init refusals
bk_emu_up "$(bk_free_base 40)"
PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT
B=$URL/.well-known/looking-glass/v1

cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
# A driver whose summary command the emulated IOS does not know, so that
# the router runs it and rejects it.
mkdir "$BK/drivers"
cp "$LG_TOP"/drivers/*.conf "$BK/drivers/"
sed -e 's/^name = "cisco-ios";/name = "ios-typo";/' \
    -e 's/"show bgp ipv4 unicast summary"/"show bgp ipv4 unicast summry"/' \
    "$LG_TOP/drivers/cisco-ios.conf" >"$BK/drivers/ios-typo.conf"
bk_emu_credentials
cat >"$BK/lorgnette.conf" <<EOF
broker: {
  socket = "$BK/broker.sock";
  admin_socket = "$BK/admin.sock";
  drivers = "$BK/drivers";
  credentials = "credentials.conf";
  known_hosts = "known_hosts";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { ping = "1/min"; bgp_route = "1000/min"; };
  cache = { bgp_route = 0; };
  vrfs = [ "blue" ];
  connection_timeout = 60;
};
routers = (
  { name = "ios"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_ios1_TELNET; credential = "emu";
    sessions = 1; },
  { name = "junos"; driver = "juniper-junos"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_junos1_TELNET; credential = "emu";
    sessions = 1; disable = [ "ping" ]; },
  { name = "typo"; driver = "ios-typo"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_ios1_TELNET; credential = "emu";
    sessions = 1; }
);
EOF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its routers come up" bk_wait_up -t 30 ios junos typo
bk_web_start
healthy() { curl -s "$URL/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy

# get CURL-ARGS...: body in $BODY, status in $CODE, headers in $BK/h
get() {
	BODY=$(curl -s -D "$BK/h" -o - -w '\n%{http_code}' "$@")
	CODE=$(printf '%s' "$BODY" | tail -n 1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
}
json() {
	printf '%s' "$BODY" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}
# jsend DESC STATUS CODE URL: an RFC 8522 "error" with its registry status
jsend() {
	d=$1 s=$2 c=$3; shift 3
	get "$@"
	is "rfc8522 $d: $s error $c" \
	    "$CODE $(json 'd["status"], d["data"]["code"], bool(d["message"])' 2>/dev/null)" \
	    "$s error $c True"
}

# --- issue 12 item 3: RFC 8522 statuses
jsend "bad target" 400 bad_query "$B/show/bgp/not-an-address"
like "rfc8522: the message says what was wrong" "$(json 'd["message"]')" '^target: '
jsend "forbidden target" 403 denied "$B/show/route/10.0.0.1"
jsend "unknown command" 404 unknown_type "$B/show/nothing/1.0.4.0"
jsend "unknown router index" 404 unknown_router "$B/routers/99"
jsend "unknown router" 404 unknown_router "$B/show/bgp/1.0.4.0/24?router=nope"
jsend "disagreeing router and routerindex" 400 bad_query "$B/show/bgp/1.0.4.0/24?router=ios&routerindex=1"
jsend "format" 400 bad_query "$B/show/bgp/summary?format=text/html"
jsend "vrf" 400 bad_query "$B/show/bgp/summary?vrf=red"
jsend "a query the router does not offer" 501 unsupported "$B/ping/1.1.1.1?router=junos"
jsend "POST" 405 bad_query -X POST "$B/cmd"
like "rfc8522 POST: Allow" "$(cat "$BK/h")" 'Allow: GET, HEAD'
get "$B/ping/1.1.1.1?router=ios"
is "rfc8522: the first ping in a minute runs" "$CODE $(json 'd["status"]')" "200 success"
jsend "over the rate limit" 429 rate_limited "$B/ping/1.1.1.1?router=ios"
like "rfc8522 429 carries Retry-After" "$(cat "$BK/h")" 'Retry-After: [1-9][0-9]*'
get "$B/show/bgp/1.0.4.0/24?router=ios"
is "rfc8522: a router's answer is success" "$CODE $(json 'd["status"]')" "200 success"
like "rfc8522: runtime in seconds, rounded to the millisecond" \
    "$(printf '%s' "$BODY" | sed -n 's/.*"runtime":\([^,}]*\).*/\1/p')" \
    '^[0-9]+(\.[0-9]{1,3})?$'
# A command the router rejects (the driver's error patterns match).
get "$B/show/bgp/summary?router=typo&protocol=1"
is "rfc8522: a command the router ran and rejected is fail, HTTP 200" \
    "$CODE $(json 'd["status"], d["data"]["code"]')" "200 fail command_failed"
like "rfc8522 fail: data carries the router's words" \
    "$(json '"\n".join(d["data"]["output"])')" '% Invalid input'
is "rfc8522 fail: and the success fields" \
    "$(json '[k in d["data"] for k in ("router", "command", "runtime", "performed_at", "format", "message")]')" \
    "[True, True, True, True, True, True]"

# --- issue 12 item 4: too much of anything is answered at once
# raw HOW: sends a request built by python, prints "STATUS SECONDS"
raw() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys, time
port, how = int(sys.argv[1]), sys.argv[2]
head = "GET /api/v1/query?router=ios&type=bgp_summary HTTP/1.1\r\nHost: lg\r\n"
if how == "params":
    q = "&".join("x%d=y" % i for i in range(3000))
    req = "GET /api/v1/query?router=ios&type=bgp_summary&%s HTTP/1.1\r\nHost: lg\r\n\r\n" % q
elif how == "headers":
    req = head + "".join("X-H%d: v\r\n" % i for i in range(3000)) + "\r\n"
elif how == "header-bytes":
    req = head + "X-Big: " + "a" * 60000 + "\r\n\r\n"
elif how == "body":
    req = ("POST /api/v1/query HTTP/1.1\r\nHost: lg\r\nContent-Type: application/json\r\n"
           "Content-Length: 40000\r\n\r\n" + "x" * 40000)
elif how == "chunked":
    chunk = "%x\r\n%s\r\n" % (8192, "x" * 8192)
    req = ("POST /api/v1/query HTTP/1.1\r\nHost: lg\r\nTransfer-Encoding: chunked\r\n\r\n"
           + chunk * 5 + "0\r\n\r\n")
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(20)
t0 = time.time()
try:
    s.sendall(req.encode())
except OSError:
    pass
try:
    status = s.recv(4096).split(b" ")[1].decode()
except (OSError, IndexError):
    status = "none"
print(status, int(time.time() - t0))
PY
}
for c in "params 414" "headers 431" "header-bytes 431" "body 413" "chunked 413"; do
	set -- $c
	r=$(raw "$1")
	set -- $c $r
	# connection_timeout is 60 s: "at once" is anything well under it.
	ok "too many $1: $2 at once (got $3 after $4 s)" test "$3" = "$2" -a "$4" -lt 10
done
get "$URL/api/v1/query?router=ios&type=bgp_summary$(python3 -c 'print("".join("&x%d=y" % i for i in range(70)))')"
is "70 parameters: 414 with a JSON message" "$CODE $(json 'd["error"]["message"]')" \
    "414 query: too many parameters (more than 64)"
get "$URL/api/v1/query?router=ios&type=bgp_summary$(python3 -c 'print("".join("&x%d=y" % i for i in range(60)))')"
is "62 parameters still run" "$CODE" 200
ok "lgwebd is still up" healthy

# --- issue 12 item 8: the type is checked before the target
get "$URL/api/v1/query?router=ios&type=bgp_neighbors"
is "bgp_neighbors, off, without a target: 404 unknown_type" \
    "$CODE $(json 'd["error"]["code"]')" "404 unknown_type"
get "$URL/api/v1/query?router=ios&type=bgp_neighbors&target=1.0.4.1"
is "bgp_neighbors, off, with a target: the same" \
    "$CODE $(json 'd["error"]["code"]')" "404 unknown_type"
get "$URL/api/v1/query?router=ios&type=bgp_route"
is "an offered type without a target: 400, naming the target" \
    "$CODE $(json 'd["error"]["message"].split(";")[0]')" "400 target: missing"

# --- issue 24 item 7: X-Forwarded-For
pingx() {
	get -H "X-Forwarded-For: $1" "$URL/api/v1/query?router=ios&type=ping&target=1.1.1.1"
}
pingx 198.18.7.7
is "a client behind the proxy: its first ping runs" "$CODE" 200
pingx ::ffff:198.18.7.7
is "the same client written IPv4-mapped shares its bucket" "$CODE" 429
pingx ::ffff:c612:707
is "in hex too" "$CODE" 429
pingx ::ffff:198.18.7.8
is "another IPv4-mapped client has its own bucket" "$CODE" 200
pingx 198.18.7.8
is "which is the IPv4 one's" "$CODE" 429
pingx 'not-an-address'
is "a hop that is not an address: 400, not charged to the proxy" \
    "$CODE $(json 'd["error"]["message"]')" \
    "400 X-Forwarded-For: a hop is not an IP address"
pingx '198.18.7.9, '
is "an empty hop: 400" "$CODE" 400
get -H 'X-Forwarded-For: bogus' "$B/show/bgp/1.0.4.0/24?router=ios"
is "rfc8522 too: 400 error" "$CODE $(json 'd["status"]')" "400 error"

# --- issue 24 item 8: requests from another site's page
Q="$URL/api/v1/query?router=ios&type=bgp_route&target=1.0.4.0/24"
get -H 'Sec-Fetch-Site: cross-site' "$Q"
is "Sec-Fetch-Site: cross-site: 403 denied" "$CODE $(json 'd["error"]["code"]')" "403 denied"
like "and the message says why" "$(json 'd["error"]["message"]')" 'another site'
get -H 'Sec-Fetch-Site: cross-site' "$URL/api/v1/query/stream?router=ios&type=bgp_summary"
is "the stream too" "$CODE" 403
get -H 'Sec-Fetch-Site: cross-site' -X POST -H 'Content-Type: application/json' \
    -d '{"router":"ios","type":"bgp_summary"}' "$URL/api/v1/query"
is "POST too" "$CODE" 403
get -H 'Origin: https://evil.example' "$Q"
is "a foreign Origin: 403 denied" "$CODE $(json 'd["error"]["code"]')" "403 denied"
get -H 'Origin: null' "$Q"
is "Origin null: 403" "$CODE" 403
get -H 'Origin: http://127.0.0.1.evil.example' "$Q"
is "an Origin that only begins like this host: 403" "$CODE" 403
get -H 'Sec-Fetch-Site: cross-site' "$B/show/bgp/1.0.4.0/24?router=ios"
is "rfc8522 from another site: 403 error" "$CODE $(json 'd["status"], d["data"]["code"]')" "403 error denied"
get -H 'Sec-Fetch-Site: same-origin' -H "Origin: http://127.0.0.1:$PORT" "$Q"
is "the page's own request runs" "$CODE" 200
get -H 'Sec-Fetch-Site: none' "$Q"
is "a typed URL runs" "$CODE" 200
get -H 'Origin: http://127.0.0.1' "$Q"
is "the same host on another port is this site" "$CODE" 200
get -H 'Sec-Fetch-Site: cross-site' "$URL/api/v1/routers"
is "the router list is not a query: served" "$CODE" 200
# The page opened from another site with a permalink: sent to the same
# permalink marked confirm=1, which the page fills in without running.
get -H 'Sec-Fetch-Site: cross-site' "$URL/?router=ios&type=bgp_route&target=1.0.4.0%2F24&x=a%20b"
is "a permalink from another site: 303" "$CODE" 303
like "to the same permalink, marked confirm=1" "$(cat "$BK/h")" \
    'Location: /\?confirm=1&router=ios&type=bgp_route&target=1\.0\.4\.0%2F24&x=a%20b'
get -H 'Sec-Fetch-Site: cross-site' "$URL/?confirm=1&router=ios&type=bgp_route&target=1.0.4.0%2F24"
is "the marked permalink is served" "$CODE" 200
get -H 'Sec-Fetch-Site: cross-site' "$URL/"
is "the page without a permalink is served" "$CODE" 200
get -H 'Sec-Fetch-Site: none' "$URL/?router=ios&type=bgp_route&target=1.0.4.0%2F24"
is "a permalink typed or bookmarked is served" "$CODE" 200

# --- clean shutdown
bk_web_stop
bk_stop

done_testing
