#!/bin/sh
# The proof-of-work challenge (web.challenge, README "Proof of work"):
# lgwebd -n names what is wrong with the section and its key file; past
# the soft limit a public client's query is held with 429
# challenge_required and a challenge, on the JSON API, the stream and RFC
# 8522; forged, wrong-work, expired, other-bucket and replayed answers
# are refused, each with its reason and a new challenge; the solver
# printed in README.md (run exactly as written there) earns one query;
# clients that are trusted proxies are never challenged; no cookie is
# ever set.  A real lgbrokerd and the vendor CLI emulator stand behind
# it.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init challenge
PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT
B=$URL/.well-known/looking-glass/v1
KEY=0123456789abcdef0123456789abcdef

# The solver, exactly as README.md prints it.
awk '/<!-- \/pow-solver -->/ { on = 0 } on && !/^```/ { print }
    /<!-- pow-solver -->/ { on = 1 }' "$LG_TOP/README.md" >"$BK/lg-pow.py"
like "README.md prints a solver" "$(cat "$BK/lg-pow.py")" 'hashlib.sha256'

# conf CHALLENGE-BODY: lorgnette.conf with that web.challenge section.
conf() {
	cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { bgp_route = "1000/min"; bgp_summary = "1000/min"; };
  cache = { bgp_route = 0; bgp_summary = 0; };
  challenge = { $1 };
  access_log = "$BK/access.log";
};
routers = (
  { name = "ios"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = ${LG_EMU_ios1_TELNET:-23}; credential = "emu";
    sessions = 1; }
);
EOF
}
# check DESC BODY ERE: lgwebd -n refuses the section with a message
check() {
	conf "$2"
	out=$("$BK_BIN/lgwebd" -n -f "$BK/lorgnette.conf" 2>&1)
	rc=$?
	is "lgwebd -n: $1: refused" "$rc" 1
	like "lgwebd -n: $1: says why" "$out" "$3"
}
printf '%s' "$KEY" >"$BK/challenge.key"
chmod 600 "$BK/challenge.key"
check "no key_file" 'bits = 8;' 'web.challenge: missing required key "key_file"'
check "bits out of range" 'bits = 40; key_file = "challenge.key";' 'web.challenge.bits: .*40'
check "ttl out of range" 'ttl = 1; key_file = "challenge.key";' 'web.challenge.ttl: '
check "a bad soft rate" 'soft = "lots"; key_file = "challenge.key";' \
    'web.challenge.soft: bad rate "lots"'
check "an unknown key" 'bitz = 8; key_file = "challenge.key";' \
    'unknown key "bitz" in web.challenge \(did you mean "bits"\?\)'
check "a missing key file" 'key_file = "nope.key";' \
    'web.challenge.key_file: .*nope.key: No such file'
chmod 644 "$BK/challenge.key"
check "a key file others may read" 'key_file = "challenge.key";' 'chmod o-rw'
printf 'short' >"$BK/short.key"
chmod 600 "$BK/challenge.key" "$BK/short.key"
check "a short key" 'key_file = "short.key";' '5 bytes; a key has 16 to 4096'
conf 'soft = "2/hour"; bits = 12; ttl = 60; key_file = "challenge.key";'
ok "lgwebd -n: a good section passes" "$BK_BIN/lgwebd" -n -f "$BK/lorgnette.conf"

bk_emu_up "$(bk_free_base 40)"
cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
conf 'soft = "2/hour"; bits = 12; ttl = 60; key_file = "challenge.key";'
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its router comes up" bk_wait_up -t 30 ios
bk_web_start
healthy() { curl -s "$URL/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy

# get CURL-ARGS...: body in $BODY, status in $CODE, headers in $BK/h
get() {
	BODY=$(curl -s -D "$BK/h" -o - -w '\n%{http_code}' "$@")
	CODE=$(printf '%s' "$BODY" | tail -n 1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
	printf '%s' "$BODY" >"$BK/body"
}
json() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$BK/body"
}
Q="$URL/api/v1/query?router=ios&type=bgp_route&target=1.0.4.0/24"
A='X-Forwarded-For: 198.51.100.1'
OTHER='X-Forwarded-For: 198.51.100.2'

# --- the operator's own hosts are never challenged
for i in 1 2 3 4; do
	get "$Q"
	is "a trusted proxy's own query $i runs" "$CODE" 200
done

# --- within the soft limit, then past it
get -H "$A" "$Q"
is "a client's first query runs" "$CODE" 200
get -H "$A" "$Q"
is "its second too" "$CODE" 200
get -H "$A" "$Q"
is "the third (past soft = 2/hour): 429 challenge_required" \
    "$CODE $(json 'd["error"]["code"]')" "429 challenge_required"
like "the message names the header" "$(json 'd["error"]["message"]')" 'X-Lorgnette-PoW'
is "the challenge: difficulty, algorithm, header" \
    "$(json '"%s %s %s" % (d["challenge"]["bits"], d["challenge"]["algorithm"], d["challenge"]["header"])')" \
    "12 sha256 X-Lorgnette-PoW"
like "and a token bound to the client's bucket" "$(json 'd["challenge"]["token"]')" \
    '^1\.12\.[0-9]+\.[0-9]+\.4c6336401\.[0-9a-f]{64}$'
like "429 carries Retry-After" "$(cat "$BK/h")" 'Retry-After: [1-9]'
unlike "no cookie" "$(cat "$BK/h")" '[Ss]et-[Cc]ookie'
cp "$BK/body" "$BK/challenge-a.json"
TOKEN=$(json 'd["challenge"]["token"]')

# --- wrong answers, each refused with its reason and a new challenge
# refused DESC ANSWER ERE [CLIENT-HEADER]
refused() {
	get -H "${4:-$A}" -H "X-Lorgnette-PoW: $2" "$Q"
	is "$1: 429 challenge_required" "$CODE $(json 'd["error"]["code"]')" \
	    "429 challenge_required"
	like "$1: the message says why" "$(json 'd["error"]["message"]')" "$3"
	ok "$1: with a new challenge" test -n "$(json 'd["challenge"]["token"]')"
}
ANSWER=$(python3 "$BK/lg-pow.py" <"$BK/challenge-a.json")
like "the README's solver answers TOKEN:NONCE" "$ANSWER" "^$TOKEN:[0-9]+\$"
FORGED=$(printf '%s' "$ANSWER" | python3 -c '
import sys
a = sys.stdin.read()
t, n = a.rsplit(":", 1)
t = t[:-1] + ("0" if t[-1] != "0" else "1")
print(t + ":" + n)')
refused "a forged token" "$FORGED" 'not issued by this looking glass'
WRONG=$(python3 - "$TOKEN" <<'PY'
import hashlib, sys
t = sys.argv[1]
n = 0
while True:
    a = "%s:%d" % (t, n)
    if hashlib.sha256(a.encode()).digest()[0] != 0:
        print(a)
        break
    n += 1
PY
)
refused "wrong work" "$WRONG" 'does not solve'
refused "garbage" 'hello' 'expected TOKEN:NONCE'
# Another client, past its own soft limit, sends A's solved answer.
get -H "$OTHER" "$Q"
get -H "$OTHER" "$Q"
refused "an answer replayed from another bucket" "$ANSWER" \
    'issued to another address' "$OTHER"
# A token for A's bucket that expired a minute ago, signed with the key
# (the test knows it) and solved: only the expiry is wrong.
EXPIRED=$(python3 - "$KEY" <<'PY'
import hashlib, hmac, sys, time
key = sys.argv[1].encode()
now = int(time.time())
body = "1.12.%d.%d.4c6336401" % (now - 60, (now - 120) * 1000000)
tok = body + "." + hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
n = 0
while True:
    a = "%s:%d" % (tok, n)
    h = hashlib.sha256(a.encode()).digest()
    if int.from_bytes(h, "big") >> (256 - 12) == 0:
        print(a)
        break
    n += 1
PY
)
refused "an expired answer" "$EXPIRED" 'expired'

like "the access log says challenge_required, not rate_limited" \
    "$(cat "$BK/access.log")" '"client":"198\.51\.100\.1".*"status":"challenge_required","http":429'

# --- the right answer earns one query, once
get -H "$A" -H "X-Lorgnette-PoW: $ANSWER" "$Q"
is "the solved challenge lets the query run" "$CODE" 200
like "with the router's answer" "$(json 'd["results"][0]["status"]')" 'ok'
refused "the same answer a second time" "$ANSWER" 'already used'

# --- the stream and RFC 8522 hold the query the same way
get -H "$A" "$URL/api/v1/query/stream?router=ios&type=bgp_summary"
is "the stream: 429 challenge_required with a challenge" \
    "$CODE $(json 'd["error"]["code"], bool(d["challenge"]["token"])')" \
    "429 challenge_required True"
get -H "$A" -H "X-Lorgnette-PoW: $(python3 "$BK/lg-pow.py" <"$BK/body")" \
    "$URL/api/v1/query/stream?router=ios&type=bgp_summary"
is "solved: the stream runs" "$CODE" 200
like "and ends" "$BODY" 'event: end'
get -H "$A" "$B/show/bgp/summary?router=ios"
is "rfc8522: 429 JSend error, challenge in data" \
    "$CODE $(json 'd["status"], d["data"]["code"], bool(d["data"]["challenge"]["token"])')" \
    "429 error challenge_required True"
get -H "$A" -H "X-Lorgnette-PoW: $(python3 "$BK/lg-pow.py" <"$BK/body")" \
    "$B/show/bgp/summary?router=ios"
is "solved: rfc8522 runs" "$CODE $(json 'd["status"]')" "200 success"

# --- a reload that changes the key makes old tokens forgeries
get -H "$A" "$Q"
cp "$BK/body" "$BK/challenge-b.json"
printf '%s' "another key of enough length" >"$BK/challenge.key"
kill -HUP "$WEB_PID"
reloaded() { grep -q 'configuration reloaded' "$BK/web.log"; }
ok "lgwebd reloads" dm_wait 20 reloaded
refused "a challenge signed with the old key" \
    "$(python3 "$BK/lg-pow.py" <"$BK/challenge-b.json")" \
    'not issued by this looking glass'

bk_web_stop
bk_stop

done_testing
