#!/bin/sh
# The documented zeros of lorgnette.conf(5) do what they say (issue 11):
# they were read as "unset" and replaced by the defaults.
#   broker.queue = 0        no query waits for a session: one that finds
#                           the only session busy is answered busy at once
#                           (it used to wait in a queue of 16);
#   web.cache_entries = 0   the cache keeps nothing: the second identical
#                           query reaches the broker again (a cache of one
#                           entry answered it).
# One fake telnet router that holds each answer back, lgbrokerd and
# lgwebd.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgctl lgwebd; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"
command -v curl >/dev/null || skip_all "no curl"

bk_init zero
PORT=$(bk_free_base 2) || skip_all "no free ports"
# Every answer takes 3 s: long enough to find the session busy.
bk_fake_start --telnet "tel1=$PORT:3000" ||
    { fail "the fake router starts" "$(cat "$BK/fake.log")"; done_testing; exit 1; }
URL=http://127.0.0.1:$((PORT + 1))
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  audit_log = "$BK/audit.log";
  queue = 0;
};
web: {
  listen = [ "127.0.0.1:$((PORT + 1))" ];
  www = "$LG_TOP/www";
  cache = { bgp_route = 600; };
  cache_entries = 0;
};
routers = ( { name = "tel1"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $PORT; credential = "c"; sessions = 1; } );
CONF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its router comes up" bk_wait_up -t 30 tel1
bk_web_start
ok "lgwebd connects to the broker" \
    dm_wait 20 sh -c "curl -sf '$URL/healthz' | grep -q connected"

# query TARGET: the JSON API's answer for tel1, as "status cached code".
query() {
	curl -s "$URL/api/v1/query?router=tel1&type=bgp_route&target=$1" |
	    python3 -c 'import json, sys
r = json.load(sys.stdin)["results"][0]
print(r["status"], r["cached"], (r.get("error") or {}).get("code"))'
}
audited() {
	grep -cE '"target": ?"1\.0\.4\.0/24"' "$BK/audit.log" 2>/dev/null
}

# --- web.cache_entries = 0
is "cache_entries = 0: the first query is answered" "$(query 1.0.4.0/24)" \
    "ok False None"
is "... the same query again is not answered from a cache" \
    "$(query 1.0.4.0/24)" "ok False None"
is "... it reached the broker twice" "$(audited)" 2

# --- broker.queue = 0
busy() {
	bk_ctl -j status | python3 -c 'import json, sys
r = json.load(sys.stdin)["routers"][0]
sys.exit(0 if r["sessions_busy"] == 1 else 1)'
}
bk_ctl query tel1 bgp_route 1.0.5.0/24 >"$BK/first.out" 2>&1 &
FIRST=$!
ok "queue = 0: a first query takes the only session" dm_wait 20 busy
is "... a second one meanwhile is busy, without waiting for the session" \
    "$(query 1.0.6.0/24)" "error False busy"
wait "$FIRST"
is "... and the first query completes" "$?" 0
like "... with the router's answer" "$(cat "$BK/first.out")" 'last line'
is "... the session serves again once free" "$(query 1.0.7.0/24)" \
    "ok False None"

bk_web_stop
bk_stop
done_testing
