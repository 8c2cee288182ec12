#!/bin/sh
# Stored results (web.results) against a real lgbrokerd, lgwebd and the
# vendor CLI emulator: store=1 on the JSON API (GET and POST) and on the
# SSE stream gives a link /r/<id>; GET /api/v1/results/<id> gives the
# answer back as it was (same output, parsed form, command, time) without
# the router seeing the command again; /r/<id> is the page; ids are
# unguessable (distinct, and neighbours of a real id are unknown);
# malformed and unknown ids get clear errors; lgctl result delete removes
# one; retention forgets one; a looking glass without web.results refuses
# store=1; and lgwebd, sandboxed, exits cleanly.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v curl >/dev/null || skip_all "curl not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

bk_init results
PORTS=$(bk_free_base 40) || skip_all "no free ports"
bk_emu_up "$PORTS"
pass "emulator starts"
WPORT=$(bk_free_base 2) || skip_all "no free port"
URL=http://127.0.0.1:$WPORT
URL2=http://127.0.0.1:$((WPORT + 1))
bk_emu_credentials

# web.results' retention is long here; a second configuration, the same
# but for a retention of 2 s, serves the retention check.
web_conf() {
	cat <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS"; connect_timeout = 5;
};
web: {
  listen = [ "127.0.0.1:$1" ];
  www = "$LG_TOP/www";
  rate = { bgp_route = "1000/min"; };
  cache = { bgp_route = $2; };
  $3
};
policy: { forbidden = [ "10.0.0.0/8" ]; };
routers = (
  { name = "xr1"; driver = "cisco-iosxr"; transport = "ssh";
    host = "127.0.0.1"; port = $LG_EMU_xr1_SSH; credential = "emu";
    sessions = 1; }
);
CONF
}
web_conf "$WPORT" 0 "results = { path = \"$BK/store/results.db\"; retention = 86400; max_mb = 4; };" \
    >"$BK/lorgnette.conf"
mkdir "$BK/store"
web_conf "$WPORT" 0 "results = { path = \"$BK/nowhere/results.db\"; };" \
    >"$BK/nowhere.conf"
out=$("$BK_BIN/lgwebd" -n -f "$BK/nowhere.conf" 2>&1)
is "lgwebd -n: a results directory that is not there fails the check" "$?" 1
like "naming the key" "$out" "web.results.path: $BK/nowhere: No such file"

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the router has a warm session" bk_wait_up -t 60 xr1
bk_web_start
ok "lgwebd answers" dm_wait 30 curl -sf "$URL/healthz"

# py EXPR FILE: evaluates EXPR with d = the JSON document in FILE.
py() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2" 2>&1
}
Q="router=xr1&type=bgp_route&target=1.0.4.0/24"

# commands: how many bgp commands the emulator has received so far.
commands() {
	grep -c 'show bgp' "$LG_EMU_AUDIT/xr1.log" 2>/dev/null || echo 0
}

curl -s "$URL/api/v1/query?$Q&store=1" >"$BK/live.json"
SHARE=$(py 'd["results"][0].get("share")' "$BK/live.json")
like "store=1: results[].share is /r/ and an id of 24 url-safe characters" \
    "$SHARE" '^/r/[A-Za-z0-9_-]{24}$'
ID=${SHARE#/r/}
before=$(commands)
code=$(curl -s -o "$BK/stored.json" -w '%{http_code}' "$URL/api/v1/results/$ID")
is "GET /api/v1/results/<id>: 200" "$code" 200
for f in router type target command output parsed performed_at runtime_ms \
    status share; do
	is "the stored $f is the live one" \
	    "$(py "d['results'][0]['$f']" "$BK/stored.json")" \
	    "$(py "d['results'][0]['$f']" "$BK/live.json")"
done
like "the stored parsed form is a route answer" \
    "$(py 'd["results"][0]["parsed"]["kind"]' "$BK/stored.json")" '^bgp_routes$'
is "the document names its query" \
    "$(py '[d["query"][k] for k in ("router", "type", "target", "afi")]' "$BK/stored.json")" \
    "['xr1', 'bgp_route', '1.0.4.0/24', 'any']"
like "and the time it was stored" \
    "$(py 'd["stored_at"]' "$BK/stored.json")" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T'
curl -s "$URL/api/v1/results/$ID" >"$BK/stored2.json"
ok "a second GET returns the same bytes" cmp "$BK/stored.json" "$BK/stored2.json"
is "nothing re-ran on the router" "$(commands)" "$before"

# Without store=1 nothing is stored or linked.
is "a plain query has no share" \
    "$(py '"share" in d["results"][0] or "share_error" in d["results"][0]' \
    "$(curl -s "$URL/api/v1/query?$Q" >"$BK/plain.json"; echo "$BK/plain.json")")" False

# POST with "store": true, and the SSE stream's end event.
curl -s -H 'Content-Type: application/json' -d \
    '{"router":"xr1","type":"bgp_route","target":"1.0.4.0/24","store":true}' \
    "$URL/api/v1/query" >"$BK/post.json"
like "POST with store true links it" \
    "$(py 'd["results"][0]["share"]' "$BK/post.json")" '^/r/[A-Za-z0-9_-]{24}$'
curl -s -N --max-time 60 "$URL/api/v1/query/stream?$Q&store=1" >"$BK/sse.txt"
SSE_SHARE=$(python3 - "$BK/sse.txt" <<'PY'
import json, sys
for block in open(sys.argv[1]).read().split("\n\n"):
    lines = block.splitlines()
    if lines and lines[0] == "event: end":
        print(json.loads(lines[1][6:]).get("share"))
PY
)
like "the SSE end event carries the link" "$SSE_SHARE" '^/r/[A-Za-z0-9_-]{24}$'
curl -s "$URL$(echo "$SSE_SHARE" | sed 's#^/r/#/api/v1/results/#')" >"$BK/sse-stored.json"
is "and the streamed answer is stored whole" \
    "$(py 'len(d["results"][0]["output"]) > 100 and d["results"][0]["status"]' "$BK/sse-stored.json")" ok

# Bad input: clear errors.
code=$(curl -s -o "$BK/e.json" -w '%{http_code}' "$URL/api/v1/query?$Q&store=2")
is "store=2: 400" "$code" 400
like "naming the field" "$(py 'd["error"]["message"]' "$BK/e.json")" '^store: must be 1 or 0'
code=$(curl -s -o "$BK/e.json" -w '%{http_code}' "$URL/api/v1/results/short")
is "a malformed id: 400" "$code" 400
like "saying what an id is" "$(py 'd["error"]["message"]' "$BK/e.json")" '^id: not a result id'
code=$(curl -s -o "$BK/e.json" -w '%{http_code}' "$URL/api/v1/results/AAAAAAAAAAAAAAAAAAAAAAAA")
is "an unknown id: 404" "$code" 404
like "saying none has it" "$(py 'd["error"]["message"]' "$BK/e.json")" 'no stored result has this id'

# Enumeration: 20 stored ids are all distinct, and ids one character
# away from a real one (the neighbours an enumerator would try) are
# unknown.
i=0
: >"$BK/ids"
while [ $i -lt 20 ]; do
	curl -s "$URL/api/v1/query?$Q&store=1" >"$BK/q.json"
	py 'd["results"][0]["share"][3:]' "$BK/q.json" >>"$BK/ids"
	i=$((i + 1))
done
is "20 stores give 20 distinct ids" "$(sort -u "$BK/ids" | grep -c '^[A-Za-z0-9_-]\{24\}$')" 20
found=0
for n in $(python3 - "$ID" <<'PY'
import sys
a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
i = sys.argv[1]
for p in range(0, 24, 3):
    c = a[(a.index(i[p]) + 1) % len(a)]
    print(i[:p] + c + i[p + 1:])
PY
); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/results/$n")
	[ "$code" = 404 ] || found=$((found + 1))
done
is "ids next to a real one are unknown" "$found" 0

# The page.
code=$(curl -s -o "$BK/page.html" -w '%{http_code}' "$URL/r/$ID")
is "/r/<id>: 200" "$code" 200
like "is the page" "$(cat "$BK/page.html")" '<script type="module" src="/js/app.js">'
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/r/not-an-id")
is "/r/ with a malformed id: 404" "$code" 404

# lgctl result delete, beside the running lgwebd.
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" result delete "$SHARE" 2>&1)
is "lgctl result delete /r/<id>: exit 0" "$?" 0
like "saying so" "$out" "^deleted $ID"
code=$(curl -s -o "$BK/e.json" -w '%{http_code}' "$URL/api/v1/results/$ID")
is "the deleted result: 404" "$code" 404
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" result delete "$ID" 2>&1)
is "deleting it again: exit 1" "$?" 1
like "saying there is none" "$out" "no stored result has the id"
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" result delete 'x;y' 2>&1)
is "a malformed id: exit 2" "$?" 2
like "saying what an id is" "$out" "not a result id"
ID2=$(head -1 "$BK/ids")
out=$("$BK_BIN/lgctl" -f "$BK/lorgnette.conf" result show "$ID2" 2>&1)
like "lgctl result show prints the document" "$out" "\"id\":\"$ID2\""

bk_web_stop
is "the store is in WAL mode" "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode").fetchone()[0])' "$BK/store/results.db")" wal

# Retention: a result older than web.results.retention is gone.
web_conf "$WPORT" 0 "results = { path = \"$BK/store/results.db\"; retention = 2; max_mb = 4; };" \
    >"$BK/short.conf"
bk_web_start "$BK/short.conf"
ok "lgwebd answers (retention 2 s)" dm_wait 30 curl -sf "$URL/healthz"
curl -s "$URL/api/v1/query?$Q&store=1" >"$BK/r.json"
RID=$(py 'd["results"][0]["share"][3:]' "$BK/r.json")
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/results/$RID")
is "a fresh result is there" "$code" 200
sleep 5
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/results/$RID")
is "past the retention it is gone" "$code" 404
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/results/$ID2")
is "and so is every older one" "$code" 404
bk_web_stop "lgwebd exits 0 on SIGTERM (retention)"

# Without web.results, store=1 is refused and nothing is served.
web_conf "$((WPORT + 1))" 0 "" >"$BK/none.conf"
bk_web_start "$BK/none.conf"
ok "lgwebd answers (no web.results)" dm_wait 30 curl -sf "$URL2/healthz"
code=$(curl -s -o "$BK/e.json" -w '%{http_code}' "$URL2/api/v1/query?$Q&store=1")
is "store=1 without web.results: 501" "$code" 501
like "saying so" "$(py 'd["error"]["message"]' "$BK/e.json")" 'stores no results'
bk_web_stop "lgwebd exits 0 on SIGTERM (no web.results)"

bk_stop
done_testing
