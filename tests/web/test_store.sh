#!/bin/sh
# web.store: three lgwebd on one lgbrokerd (emulator router xr1) sharing
# one real redis-server that the test starts itself (its own port, Unix
# socket and directory under $BK, stopped at the end).  Two fronts reach
# it over TCP, the third over the Unix socket.  It must show:
#   - bad web.store values are config errors that say what is wrong;
#   - a client sending through all three fronts gets exactly its limit;
#   - a cache hit on one front for another's answer, with its age;
#   - /r/<id> stored on one front is served by the others, and
#     lgctl result delete makes every front answer 404;
#   - a solved challenge spent on one front is refused on another;
#   - redis-server killed and restarted under load: no query fails, the
#     fallback is counted and logged once, and the fronts resume sharing.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"
. "$(dirname "$0")/../deploy/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v redis-server >/dev/null || skip_all "redis-server not installed"
command -v curl >/dev/null || skip_all "curl not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"

bk_init store
PORTS=$(bk_free_base 40) || skip_all "no free ports"
WPORT=$(bk_free_base 4) || skip_all "no free port"
RPORT=$((WPORT + 3))
U1=http://127.0.0.1:$WPORT
U2=http://127.0.0.1:$((WPORT + 1))
U3=http://127.0.0.1:$((WPORT + 2))
RSOCK=$BK/redis.sock
RED_PID=
W1= W2= W3=
BK_CLEANUP_EXTRA='for p in $W1 $W2 $W3 $RED_PID; do kill -KILL $p 2>/dev/null; done'

# web_conf PORT STORE: a front's configuration.
web_conf() {
	cat <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS"; connect_timeout = 5;
};
web: {
  listen = [ "127.0.0.1:$1" ];
  www = "$LG_TOP/www";
  store = "$2";
  store_password_file = "$BK/redis.pass";
  store_timeout_ms = 250;
  trusted_proxies = [ "127.0.0.1" ];
  challenge = { soft = "2/hour"; bits = 8; ttl = 300;
    key_file = "$BK/challenge.key"; };
  rate = { bgp_route = "100000/min"; route = "9/hour"; };
  cache = { bgp_route = 60; route = 0; };
  max_inflight_client = 64;
  results = { path = "$BK/results-$1.db"; };
};
policy: { forbidden = [ "10.0.0.0/8" ]; };
routers = (
  { name = "xr1"; driver = "cisco-iosxr"; transport = "ssh";
    host = "127.0.0.1"; port = $LG_EMU_xr1_SSH; credential = "emu";
    sessions = 2; }
);
CONF
}

# --- Bad web.store values: config errors naming what is wrong.
printf 's3cret-%s\n' "$$" >"$BK/redis.pass"
printf '%s' 0123456789abcdef0123456789abcdef >"$BK/challenge.key"
chmod 600 "$BK/challenge.key"
awk '/<!-- \/pow-solver -->/ { on = 0 } on && !/^```/ { print }
    /<!-- pow-solver -->/ { on = 1 }' "$LG_TOP/README.md" >"$BK/pow.py"
check_bad() {
	LG_EMU_KNOWN_HOSTS=/dev/null LG_EMU_xr1_SSH=22 \
	    web_conf "$WPORT" "$1" >"$BK/bad.conf"
	out=$("$BK_BIN/lgwebd" -n -f "$BK/bad.conf" 2>&1)
	rc=$?
	is "web.store \"$1\": lgwebd -n fails" "$rc" 1
	like "saying $2" "$out" "$2"
}
check_bad "http://127.0.0.1:6379" 'expected "redis://HOST:PORT\[/DB\]" or "unix:PATH"'
check_bad "redis://localhost:6379" 'the host must be an IP address'
check_bad "redis://127.0.0.1:70000" 'the port must be a number from 1 to 65535'
check_bad "redis://lg:pw@127.0.0.1:6379" 'no user or password in the URL'
check_bad "redis://127.0.0.1:6379/x" 'the database must be a number'
check_bad "redis://[::1:6379" "an IPv6 host lacks its ']'"
check_bad "unix:redis.sock" 'unix:PATH needs an absolute path'
LG_EMU_KNOWN_HOSTS=/dev/null LG_EMU_xr1_SSH=22 \
    web_conf "$WPORT" "redis://[::1]:6379/2" >"$BK/good.conf"
out=$("$BK_BIN/lgwebd" -n -f "$BK/good.conf" 2>&1)
is "web.store \"redis://[::1]:6379/2\" is accepted" "$?" 0
unlike "the password is never printed" "$out" "s3cret"

# --- Redis, the broker and three fronts.
redis_start() {
	dp_redis_start "$RPORT" "$RSOCK" "$BK/redis.pass"
	_rc=$?
	RED_PID=$DP_REDIS_PID
	return $_rc
}
if redis_start; then pass "redis-server starts"; else fail "redis-server starts"; fi

bk_emu_up "$PORTS"
pass "emulator starts"
bk_emu_credentials
web_conf "$WPORT" "redis://127.0.0.1:$RPORT" >"$BK/w1.conf"
web_conf "$((WPORT + 1))" "redis://127.0.0.1:$RPORT/0" >"$BK/w2.conf"
web_conf "$((WPORT + 2))" "unix:$RSOCK" >"$BK/w3.conf"
cp "$BK/w1.conf" "$BK/lorgnette.conf"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the router has a warm session" bk_wait_up -t 60 xr1
for i in 1 2 3; do
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    "$BK_BIN/lgwebd" -d -f "$BK/w$i.conf" >"$BK/web$i.log" 2>&1 &
	eval "W$i=\$!"
done
for u in "$U1" "$U2" "$U3"; do
	ok "lgwebd $u answers" dm_wait 30 curl -sf "$u/healthz"
done
like "a TCP front says it shares state" "$(cat "$BK/web1.log")" \
    "web.store redis://127.0.0.1:$RPORT/0: shared state"
like "the Unix socket front too" "$(cat "$BK/web3.log")" \
    "web.store unix:$RSOCK: shared state"
like "the TCP front's sandbox allows TCP to the store" \
    "$(cat "$BK/web1.log")" 'seccomp web with TCP \(web.store, brokers\)'
unlike "no log holds the password" "$(cat "$BK"/web*.log)" "s3cret"

# py EXPR FILE: evaluates EXPR with d = the JSON document in FILE.
py() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2" 2>&1
}
commands() {
	grep -c 'show bgp' "$LG_EMU_AUDIT/xr1.log" 2>/dev/null || echo 0
}
metric() {
	curl -s "$1/metrics" | awk -v m="$2" '$1 == m { print $2 }'
}

# --- The cache: front 2 and 3 serve front 1's answer, with its age.
Q="router=xr1&type=bgp_route&target=1.0.4.0/24"
curl -s "$U1/api/v1/query?$Q" >"$BK/a.json"
is "front 1 asks the router" "$(py 'd["results"][0]["cached"]' "$BK/a.json")" False
before=$(commands)
sleep 2
curl -s "$U2/api/v1/query?$Q" >"$BK/b.json"
is "front 2 serves it from the shared cache" \
    "$(py 'd["results"][0]["cached"]' "$BK/b.json")" True
is "with the stored age (at least the 2 s since)" \
    "$(py 'd["results"][0]["age"] >= 2 and d["results"][0]["age"] < 60' "$BK/b.json")" True
is "and the same output" "$(py 'd["results"][0]["output"]' "$BK/b.json")" \
    "$(py 'd["results"][0]["output"]' "$BK/a.json")"
is "and the same time it was performed" \
    "$(py 'd["results"][0]["performed_at"]' "$BK/b.json")" \
    "$(py 'd["results"][0]["performed_at"]' "$BK/a.json")"
curl -s "$U3/api/v1/query?$Q" >"$BK/c.json"
is "front 3 (Unix socket) too" "$(py 'd["results"][0]["cached"]' "$BK/c.json")" True
is "the router saw no second command" "$(commands)" "$before"

# --- Stored results: stored on front 1, served by 2 and 3.
curl -s "$U1/api/v1/query?$Q&store=1" >"$BK/s.json"
SHARE=$(py 'd["results"][0]["share"]' "$BK/s.json")
like "front 1 stores a result" "$SHARE" '^/r/[A-Za-z0-9_-]{24}$'
ID=${SHARE#/r/}
curl -s "$U1/api/v1/results/$ID" >"$BK/s1.json"
for u in "$U2" "$U3"; do
	code=$(curl -s -o "$BK/s2.json" -w '%{http_code}' "$u/api/v1/results/$ID")
	is "$u serves /api/v1/results/<id>: 200" "$code" 200
	ok "the same bytes" cmp "$BK/s1.json" "$BK/s2.json"
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$U2/api/v1/results/AAAAAAAAAAAAAAAAAAAAAAAA")
is "an unknown id is still 404" "$code" 404

# lgctl result delete reaches the shared store: every front then answers
# 404 (it used to delete from one front's SQLite file alone).
out=$("$BK_BIN/lgctl" -f "$BK/w2.conf" result delete "$SHARE" 2>&1)
is "lgctl result delete with web.store: exit 0" "$?" 0
like "saying so" "$out" "deleted $ID"
for u in "$U1" "$U2" "$U3"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$u/api/v1/results/$ID")
	is "then $u answers 404 for it" "$code" 404
done
out=$("$BK_BIN/lgctl" -f "$BK/w2.conf" result delete "$ID" 2>&1)
like "a second delete: no such result" "$out" "no stored result has the id $ID"

# --- The rate limit: route is 9/hour per client; 30 queries spread
# over the three fronts get exactly 9 through, not 9 per front.
okn=0 limited=0 other=0
i=0
while [ $i -lt 30 ]; do
	case $((i % 3)) in 0) u=$U1 ;; 1) u=$U2 ;; *) u=$U3 ;; esac
	code=$(curl -s -o "$BK/r.json" -w '%{http_code}' \
	    "$u/api/v1/query?router=xr1&type=route&target=1.0.$i.0/24")
	case $code in
	200) okn=$((okn + 1)) ;;
	429) limited=$((limited + 1)) ;;
	*) other=$((other + 1)) ;;
	esac
	i=$((i + 1))
done
is "30 route queries through three fronts: exactly 9 answered" "$okn" 9
is "the other 21 refused with 429" "$limited" 21
is "nothing else" "$other" 0

# --- Challenges: the soft limit (2/hour) is one across the fronts, and
# an answer spent on one front cannot be spent again on another.  The
# client is 192.0.2.77 through the trusted proxy 127.0.0.1 (which is
# itself never challenged, so the checks above were not).
XFF='X-Forwarded-For: 192.0.2.77'
cq() {
	code=$(curl -s -o "$BK/ch.json" -w '%{http_code}' -H "$XFF" "$@")
}
cq "$U1/api/v1/query?router=xr1&type=bgp_route&target=1.0.40.0/24"
is "challenge client: first query (front 1) runs" "$code" 200
cq "$U2/api/v1/query?router=xr1&type=bgp_route&target=1.0.41.0/24"
is "second query (front 2) runs" "$code" 200
cq "$U3/api/v1/query?router=xr1&type=bgp_route&target=1.0.42.0/24"
is "third (front 3) is past the shared soft limit: challenged" \
    "$code $(py 'd["error"]["code"]' "$BK/ch.json")" "429 challenge_required"
ANSWER=$(python3 "$BK/pow.py" <"$BK/ch.json")
cq -H "X-Lorgnette-PoW: $ANSWER" \
    "$U1/api/v1/query?router=xr1&type=bgp_route&target=1.0.43.0/24"
is "the solved answer spent on front 1" "$code" 200
cq -H "X-Lorgnette-PoW: $ANSWER" \
    "$U2/api/v1/query?router=xr1&type=bgp_route&target=1.0.44.0/24"
is "the same answer replayed on front 2: refused" \
    "$code $(py 'd["error"]["code"]' "$BK/ch.json")" "429 challenge_required"
like "saying it was used" "$(py 'd["error"]["message"]' "$BK/ch.json")" \
    'already used'

# --- Redis killed and restarted under load: nothing fails.
dp_load "$U1,$U2,$U3" 14 "$BK/load.out"
LOAD=$DP_LOAD_PID
sleep 3
kill -KILL "$RED_PID"
wait "$RED_PID" 2>/dev/null
RED_PID=
sleep 4
if redis_start; then pass "redis-server restarts"; else fail "redis-server restarts" "$(cat "$BK/redis.log")"; fi
wait "$LOAD"
read -r lok lbad lwrong <"$BK/load.out"
like "queries ran through the outage ($lok)" "$lok" '^[1-9][0-9]+$'
is "none failed" "$lbad" 0
is "none got another query's answer" "$lwrong" 0

# Each front noticed once, fell back, and came back.
resumed() { [ "$(metric "$1" lg_store_up)" = 1 ]; }
for i in 1 2 3; do
	eval "u=\$U$i"
	ok "front $i: lg_store_up is 1 again" dm_wait 30 resumed "$u"
	like "front $i: fallbacks counted" "$(metric "$u" lg_store_fallback_total)" '^[1-9][0-9]*$'
	is "front $i: one outage counted" "$(metric "$u" lg_store_down_total)" 1
	is "front $i: no reply made no sense (scripts reloaded by EVAL)" \
	    "$(metric "$u" lg_store_errors_total)" 0
	is "front $i: the outage logged once" \
	    "$(grep -c "using this front's own state until it answers again" "$BK/web$i.log")" 1
	is "front $i: the return logged once" \
	    "$(grep -c 'answers again; the fronts share their state again' "$BK/web$i.log")" 1
done

# Sharing resumed: a new answer on front 3 is a hit on front 1.
Q2="router=xr1&type=bgp_route&target=1.0.99.0/24"
curl -s "$U3/api/v1/query?$Q2" >"$BK/n1.json"
curl -s "$U1/api/v1/query?$Q2" >"$BK/n2.json"
is "after the restart, front 1 serves front 3's new answer" \
    "$(py '(d["results"][0]["status"], d["results"][0]["cached"])' "$BK/n2.json")" \
    "('ok', True)"

# --- Shutdown.
for i in 1 2 3; do
	eval "p=\$W$i"
	dm_stop "$p" "lgwebd $i exits 0 on SIGTERM"
	eval "W$i="
	dm_clean "lgwebd $i: no sanitizer report" "$BK/web$i.log"
done
bk_stop
kill -TERM "$RED_PID" 2>/dev/null
wait "$RED_PID" 2>/dev/null
RED_PID=
done_testing
