#!/bin/sh
# Public and staff (issue 20, README "Staff and the public"): lgwebd -n
# names a bad web.staff_queries entry, audience or user header; a staff
# router (core1, between two public ones) and a staff query type
# (bgp_neighbors) do not exist for the public through any entry point or
# encoding: /api/v1/routers, the JSON API (GET, POST, several routers,
# %-encoded names), the stream, RFC 8522 (routers, routers/{n} and
# routerindex without gaps, cmd, commands), /metrics and stored results,
# each refusal byte for byte the one a name that exists nowhere gets.
# Staff are recognised by the user header from a trusted proxy only, or
# by an API token (lgctl token add/list/revoke, expiry, 401s); they have
# their own rate limit, skip the proof of work, and their queries reach
# the broker's audit log with their user.  A staff router's cached answer
# is never served to the public, even after a reload made it public.  A
# signed-in POST without Origin is refused.  Staff delete stored results
# (DELETE, same CSRF rule); the public may not.  Real nginx in front: basic
# auth makes staff; a forged header through it, or sent directly from
# another address, is ignored.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in curl python3 nginx; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init audience
BK_CLEANUP_EXTRA='[ -s "$BK/nginx.pid" ] && kill "$(cat "$BK/nginx.pid")" 2>/dev/null'
P=$(bk_free_base 2)
PORT=$P NGINX=$((P + 1))
URL=http://127.0.0.1:$PORT
B=$URL/.well-known/looking-glass/v1
printf '%s' 0123456789abcdef0123456789abcdef >"$BK/challenge.key"
chmod 600 "$BK/challenge.key"

# conf CORE-AUDIENCE [WEB-EXTRA]: the configuration, core1 as given.
conf() {
	cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  audit_log = "$BK/audit.log";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { bgp_route = "1000/min"; bgp_summary = "${PUBRATE:-2/min}"; };
  cache = { bgp_route = 300; bgp_summary = 0; };
  auth = { user_header = "${UHDR:-X-Remote-User}"; tokens = "tokens"; };
  staff = { rate = { bgp_summary = "100/min"; }; };
  challenge = { soft = "${SOFT:-1000/hour}"; key_file = "challenge.key"; };
  results = { path = "$BK/results.db"; };
  access_log = "$BK/access.log";
  $2
};
policy: {
  queries = [ "bgp_route", "bgp_summary", "route", "bgp_neighbors" ];
};
routers = (
  { name = "edge1"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = ${LG_EMU_ios1_TELNET:-23};
    credential = "emu"; sessions = 1; },
  { name = "core1"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = ${LG_EMU_ios1_TELNET:-23};
    credential = "emu"; sessions = 1; audience = "$1"; },
  { name = "edge2"; driver = "juniper-junos"; transport = "telnet";
    host = "127.0.0.1"; port = ${LG_EMU_junos1_TELNET:-23};
    credential = "emu"; sessions = 1; }
);
EOF
}

# --- configuration errors name what is wrong
check() {
	out=$("$BK_BIN/lgwebd" -n -f "$BK/lorgnette.conf" 2>&1)
	rc=$?
	is "lgwebd -n: $1: refused" "$rc" 1
	like "lgwebd -n: $1: says why" "$out" "$2"
}
conf staff 'staff_queries = [ "bgp_neighbors", "bgp_neighbours" ];'
check "an unknown staff query type" \
    'web.staff_queries: unknown query type "bgp_neighbours" \(did you mean "bgp_neighbors"\?\)'
conf private
check "an unknown audience" \
    'router "core1": audience: "private" is not an audience \("public" or "staff"\)'
UHDR="X Remote User"
conf staff
UHDR=
check "a user header that is no header name" \
    'web.auth.user_header: "X Remote User" is not an HTTP header name'

bk_emu_up "$(bk_free_base 40)"
cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
conf staff
ok "lgwebd -n: the staff configuration passes" \
    "$BK_BIN/lgwebd" -n -f "$BK/lorgnette.conf"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its routers come up" bk_wait_up -t 30 edge1 core1 edge2
bk_web_start
healthy() { curl -s "$URL/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy
routers_known() { curl -s "$URL/api/v1/routers" | grep -q edge2; }
dm_wait 20 routers_known

# get CURL-ARGS...: body in $BODY (and $BK/body), status in $CODE
get() {
	BODY=$(curl -s -D "$BK/h" -o - -w '\n%{http_code}' "$@")
	CODE=$(printf '%s' "$BODY" | tail -n 1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
	printf '%s' "$BODY" >"$BK/body"
}
json() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$BK/body"
}
# The public: another address, which may claim to be anybody.
PUB="--interface 127.0.0.2 -H X-Remote-User:alice"
# Staff: the trusted proxy's address with the header.
STAFF="-H X-Remote-User:alice"
# same DESC URL-A URL-B [CURL-ARGS]: the public gets the same for both
same() {
	# shellcheck disable=SC2086
	get $PUB $4 "$2"
	a="$CODE $BODY"
	# shellcheck disable=SC2086
	get $PUB $4 "$3"
	is "$1" "$a" "$CODE $BODY"
	like "$1: a 404" "$a" '^404 '
}

# --- the router list
get $PUB "$URL/api/v1/routers"
is "public: /api/v1/routers has the public routers only" \
    "$(json '" ".join(r["name"] for r in d["routers"])')" "edge1 edge2"
is "public: no router offers the staff type" \
    "$(json 'any("bgp_neighbors" in r["queries"] for r in d["routers"])')" False
is "public: the staff type is not among query_types" \
    "$(json '[t["name"] for t in d["query_types"] if t["name"] == "bgp_neighbors"]')" "[]"
is "public: a header sent from elsewhere is ignored" \
    "$(json 'd["audience"], d.get("user")')" "public None"
get $STAFF "$URL/api/v1/routers"
is "staff: every router, in order" \
    "$(json '" ".join(r["name"] for r in d["routers"])')" "edge1 core1 edge2"
is "staff: bgp_neighbors offered" \
    "$(json '"bgp_neighbors" in d["routers"][1]["queries"]')" True
is "staff: signed in as alice" "$(json 'd["audience"], d["user"]')" \
    "staff alice"

# --- the JSON API, the stream and RFC 8522: as unknown as unknown
Q="$URL/api/v1/query"
same "query: a staff router is an unknown router" \
    "$Q?router=core1&type=bgp_route&target=1.0.4.0/24" \
    "$Q?router=nosuch&type=bgp_route&target=1.0.4.0/24"
same "query: %-encoded, the same" \
    "$Q?router=%63ore%31&type=bgp_route&target=1.0.4.0/24" \
    "$Q?router=nosuch&type=bgp_route&target=1.0.4.0/24"
same "query: one staff router in a list" \
    "$Q?router=edge1,core1&type=bgp_route&target=1.0.4.0/24" \
    "$Q?router=edge1,nosuch&type=bgp_route&target=1.0.4.0/24"
same "query: a staff type is a type not offered" \
    "$Q?router=edge1&type=bgp_neighbors&target=1.0.4.1" \
    "$Q?router=edge1&type=traceroute&target=1.0.4.1"
same "stream: a staff router" \
    "$Q/stream?router=core1&type=bgp_summary" \
    "$Q/stream?router=nosuch&type=bgp_summary"
same "POST: a staff router" "$Q" "$Q" \
    "-H Content-Type:application/json --data {\"router\":\"core1\",\"type\":\"bgp_summary\"}"
same "rfc8522: a staff router by name" \
    "$B/show/bgp/summary?router=core1" "$B/show/bgp/summary?router=nosuch"
same "rfc8522: the staff type" \
    "$B/show/bgp/neighbors/1.0.4.1" "$B/traceroute/1.0.4.1"
same "rfc8522: routers/{n} past the public's last" \
    "$B/routers/2" "$B/routers/99"
get $PUB "$B/routers"
is "rfc8522: routers lists the public's" \
    "$(json 'd["data"]["routers"]')" "['edge1', 'edge2']"
get $PUB "$B/routers/1"
is "rfc8522: the public's index 1 is edge2, no gap" \
    "$(json 'd["data"]["name"]')" edge2
get $PUB "$B/show/bgp/summary?routerindex=1"
is "rfc8522: routerindex=1 runs on edge2" "$(json 'd["data"]["router"]')" edge2
get $PUB "$B/cmd"
unlike "rfc8522: cmd does not list the staff command" "$BODY" 'neighbors'
get $STAFF "$B/routers/1"
is "staff: index 1 is core1" "$(json 'd["data"]["name"]')" core1
get $STAFF "$B/cmd"
like "staff: cmd lists it" "$BODY" 'show/bgp/neighbors'

# --- staff run what the public cannot
get $STAFF "$Q?router=core1&type=bgp_route&target=1.0.4.0/24"
is "staff: a query on the staff router" \
    "$CODE $(json 'd["results"][0]["status"]')" "200 ok"
get $STAFF "$Q?router=core1&type=bgp_neighbors&target=80.249.208.41"
is "staff: the staff type" "$CODE $(json 'd["results"][0]["status"]')" "200 ok"
get $STAFF "$B/show/bgp/neighbors/80.249.208.41?routerindex=1"
is "staff: the staff type over RFC 8522 on index 1" \
    "$CODE $(json 'd["data"]["router"]')" "200 core1"
get -H 'X-Remote-User: alice"x' "$URL/api/v1/routers"
is "a user header that holds no user name: 400" \
    "$CODE $(json 'd["error"]["code"]')" "400 bad_query"

# --- the audit log has the user for every staff query
sleep 0.5
audit() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("router") == sys.argv[2] and r.get("type") == sys.argv[3]:
        print(r.get("audience"), r.get("user"))' "$BK/audit.log" "$@" | sort -u
}
is "audit: staff's bgp_neighbors on core1 names alice" \
    "$(audit core1 bgp_neighbors)" "staff alice"
get $PUB "$Q?router=edge1&type=bgp_route&target=1.0.5.0/24"
sleep 0.5
is "audit: a public query is the public's" \
    "$(audit edge1 bgp_route)" "public None"

# --- /metrics
get $PUB "$URL/metrics"
unlike "metrics: no staff router for the public" "$BODY" 'router="core1"'
unlike "metrics: no staff type for the public" "$BODY" 'type="bgp_neighbors"'
get $STAFF "$URL/metrics"
like "metrics: staff see the staff router" "$BODY" 'router="core1"'
like "metrics: and the staff type" "$BODY" 'type="bgp_neighbors"'

# --- stored results: a staff router's or type's answer is staff's; one
# of a public router and type is a link staff can give anyone
get $PUB "$URL/api/v1/results/AAAAAAAAAAAAAAAAAAAAAAAA"
unknown="$CODE $BODY"
get $STAFF "$Q?router=core1&type=bgp_route&target=1.0.4.0/24&store=1"
ID=$(json 'd["results"][0]["share"].split("/")[-1]')
get $PUB "$URL/api/v1/results/$ID"
is "results: a staff router's result is unknown to the public" \
    "$CODE $BODY" "$unknown"
get $STAFF "$URL/api/v1/results/$ID"
is "results: staff read it" "$CODE $(json 'd["results"][0]["router"]')" \
    "200 core1"
get $STAFF "$Q?router=edge1&type=bgp_neighbors&target=80.249.208.41&store=1"
ID=$(json 'd["results"][0]["share"].split("/")[-1]')
get $PUB "$URL/api/v1/results/$ID"
is "results: a staff type's result is unknown to the public" \
    "$CODE $BODY" "$unknown"
get $STAFF "$Q?router=edge1&type=bgp_route&target=1.0.4.0/24&store=1"
ID=$(json 'd["results"][0]["share"].split("/")[-1]')
get $PUB "$URL/api/v1/results/$ID"
is "results: staff's link to a public router's answer opens for anyone" \
    "$CODE $(json 'd["results"][0]["router"]')" "200 edge1"

# --- CSRF: a POST signed in by header must show where it comes from
POSTQ='{"router":"edge1","type":"bgp_route","target":"1.0.4.0/24"}'
get $STAFF -H Content-Type:application/json --data "$POSTQ" "$Q"
is "csrf: a signed-in POST without Origin is refused" \
    "$CODE $(json 'd["error"]["code"]')" "403 denied"
get $STAFF -H "Origin: $URL" -H Content-Type:application/json \
    --data "$POSTQ" "$Q"
is "csrf: from the page itself it runs" "$CODE" 200
get $STAFF -H "Origin: https://evil.example" \
    -H Content-Type:application/json --data "$POSTQ" "$Q"
is "csrf: from another site it is refused" "$CODE" 403

# --- API tokens
TOK=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token add bob 2>"$BK/add.err")
like "token add prints a token" "$TOK" '^lgt_[0-9a-f]{40}$'
unlike "the file keeps no token" "$(cat "$BK/tokens")" "${TOK#lgt_}"
TID=$(sed -n 's/^token \([0-9a-f]*\) for bob.*/\1/p' "$BK/add.err")
get --interface 127.0.0.2 -H "Authorization: Bearer $TOK" "$URL/api/v1/routers"
is "token: staff from anywhere" "$(json 'd["audience"], d["user"]')" \
    "staff bob"
get --interface 127.0.0.2 -H "Authorization: Bearer $TOK" \
    -H Content-Type:application/json --data "$POSTQ" "$Q"
is "token: a POST needs no Origin" "$CODE" 200

# --- staff delete stored results; the public may not; CSRF as for POST
get $STAFF "$Q?router=edge1&type=bgp_route&target=1.0.4.0/24&store=1"
DID=$(json 'd["results"][0]["share"].split("/")[-1]')
get --interface 127.0.0.2 -X DELETE "$URL/api/v1/results/$DID"
is "delete: the public may not" "$CODE $(json 'd["error"]["code"]')" \
    "403 denied"
get $STAFF -X DELETE "$URL/api/v1/results/$DID"
is "delete: signed in by header, without Origin: refused (CSRF)" \
    "$CODE $(json 'd["error"]["code"]')" "403 denied"
get $STAFF -X DELETE -H "Origin: https://evil.example" \
    "$URL/api/v1/results/$DID"
is "delete: from another site's page: refused" "$CODE" 403
get $STAFF "$URL/api/v1/results/$DID"
is "delete: after the refusals the result is still there" "$CODE" 200
get --interface 127.0.0.2 -H "Authorization: Bearer $TOK" -X DELETE \
    "$URL/api/v1/results/$DID"
is "delete: staff by token" "$CODE $(json 'd["deleted"]')" "200 $DID"
get $STAFF "$URL/api/v1/results/$DID"
is "delete: gone, for staff too" "$CODE $(json 'd["error"]["code"]')" \
    "404 unknown_type"
get -H "Authorization: Bearer $TOK" -X DELETE "$URL/api/v1/results/$DID"
is "delete: twice is 404" "$CODE" 404
get $STAFF "$Q?router=edge1&type=bgp_summary&store=1"
DID=$(json 'd["results"][0]["share"].split("/")[-1]')
get $STAFF -X DELETE -H "Origin: $URL" "$URL/api/v1/results/$DID"
is "delete: signed in by header from the page itself" "$CODE" 200
like "delete: logged with the user" "$(cat "$BK/web.log")" \
    "result $DID deleted by alice"
get -X PUT "$URL/api/v1/results/$DID"
like "results: PUT is not allowed, and Allow says DELETE" \
    "$CODE $(grep -i '^Allow:' "$BK/h")" "^405 Allow: GET, HEAD, DELETE"
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token list)
like "token list: bob, valid, used" "$out" \
    "$TID +valid +[0-9T:Z-]+ +never +[0-9]{4}-[0-9T:Z-]+ +bob"
get --interface 127.0.0.2 -H "Authorization: Bearer lgt_0000" \
    "$URL/api/v1/routers"
is "token: an unknown one is 401, not the public" \
    "$CODE $(json 'd["error"]["code"], d["error"]["message"]')" \
    "401 unauthorized Authorization: unknown API token"
like "token: 401 says Bearer" "$(cat "$BK/h")" 'WWW-Authenticate: Bearer'
get --interface 127.0.0.2 -H "Authorization: Basic YWxpY2U6eA==" \
    "$URL/api/v1/routers"
is "token: another scheme is not ours: the public" \
    "$CODE $(json 'd["audience"]')" "200 public"
get -H "Authorization: Bearer lgt_0000" "$B/routers"
is "token: RFC 8522 refuses it too, in JSend" \
    "$CODE $(json 'd["status"]')" "401 error"
ok "token revoke" "$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token revoke "$TID"
get -H "Authorization: Bearer $TOK" "$URL/api/v1/routers"
is "token: revoked, refused at once" "$CODE $(json 'd["error"]["message"]')" \
    "401 Authorization: API token $TID was revoked"
EXP=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token add carol --expires 8s \
    2>/dev/null)
get -H "Authorization: Bearer $EXP" "$URL/api/v1/routers"
is "token: before it expires" "$CODE" 200
sleep 9
get -H "Authorization: Bearer $EXP" "$URL/api/v1/routers"
like "token: expired, refused" "$CODE $(json 'd["error"]["message"]')" \
    "^401 Authorization: API token [0-9a-f]+ has expired"
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token add 'bad user' 2>&1)
like "token add: a bad user name is named" "$out" 'not a user name'
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token add dave --expires soon 2>&1)
like "token add: a bad duration is named" "$out" '--expires: not a duration'

# --- staff's own limits, and no proof of work
STOK=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" token add erin 2>/dev/null)
S="$Q?router=edge1&type=bgp_summary"
codes=""
for i in 1 2 3; do
	get --interface 127.0.0.5 "$S"
	codes="$codes $CODE"
done
is "public: bgp_summary past web.rate" "$codes" " 200 200 429"
codes=""
for i in 1 2 3; do
	get --interface 127.0.0.5 -H "Authorization: Bearer $STOK" "$S"
	codes="$codes $CODE"
done
is "staff: web.staff.rate" "$codes" " 200 200 200"
PUBRATE=100/min
SOFT=1/hour
conf staff
kill -HUP "$WEB_PID"
reloads() { [ "$(grep -c 'configuration reloaded' "$BK/web.log")" -ge "$1" ]; }
ok "lgwebd reloads" dm_wait 20 reloads 1
codes=""
for i in 1 2; do
	get --interface 127.0.0.6 "$S"
	codes="$codes $CODE"
done
is "public: past web.challenge.soft, a challenge" "$codes" " 200 429"
codes=""
for i in 1 2 3; do
	get --interface 127.0.0.6 -H "Authorization: Bearer $STOK" "$S"
	codes="$codes $CODE"
done
is "staff: never challenged" "$codes" " 200 200 200"

# --- a staff router's cached answer never reaches the public
get $STAFF "$Q?router=core1&type=bgp_route&target=1.0.6.0/24"
get $STAFF "$Q?router=core1&type=bgp_route&target=1.0.6.0/24"
is "staff: cached" "$(json 'd["results"][0]["cached"]')" True
SOFT=1000/hour
conf public
kill -HUP "$WEB_PID"
ok "lgwebd reloads with core1 public" dm_wait 20 reloads 2
get $PUB "$Q?router=core1&type=bgp_route&target=1.0.6.0/24"
is "public: core1 now runs, not from staff's cache" \
    "$CODE $(json 'd["results"][0]["cached"]')" "200 False"

# --- real nginx in front: basic auth makes staff, a forged header nothing
printf 'alice:{PLAIN}wonderland\n' >"$BK/htpasswd"
mkdir -p "$BK/nginx-tmp"
# The worker reads the password file in the test's private directory.
cat >"$BK/nginx.conf" <<EOF
user root;
pid $BK/nginx.pid;
error_log $BK/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $BK/nginx-tmp;
	proxy_temp_path $BK/nginx-tmp;
	server {
		listen 127.0.0.1:$NGINX;
		proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
		# Always set: a client's own X-Remote-User never passes.
		proxy_set_header X-Remote-User \$remote_user;
		location / {
			proxy_pass http://127.0.0.1:$PORT;
		}
		location /staff/ {
			auth_basic "staff";
			auth_basic_user_file $BK/htpasswd;
			proxy_pass http://127.0.0.1:$PORT/;
		}
	}
}
EOF
ok "nginx starts" nginx -c "$BK/nginx.conf" -p "$BK"
N=http://127.0.0.1:$NGINX
dm_wait 10 curl -fs -o /dev/null "$N/healthz"
conf staff
kill -HUP "$WEB_PID"
ok "lgwebd reloads with core1 staff again" dm_wait 20 reloads 3
get -u alice:wonderland "$N/staff/api/v1/routers"
is "nginx: basic auth signs alice in" \
    "$(json 'd["user"], [r["name"] for r in d["routers"]]')" \
    "alice ['edge1', 'core1', 'edge2']"
get "$N/staff/api/v1/routers"
is "nginx: no password, no entry" "$CODE" 401
get -H 'X-Remote-User: alice' "$N/api/v1/routers"
is "nginx: a forged header through the public side is dropped" \
    "$(json 'd["audience"], [r["name"] for r in d["routers"]]')" \
    "public ['edge1', 'edge2']"
get -u alice:wonderland "$N/staff/api/v1/query?router=core1&type=bgp_route&target=1.0.4.0/24"
is "nginx: alice queries the staff router" "$CODE" 200
kill "$(cat "$BK/nginx.pid")"

bk_web_stop
bk_stop

done_testing
