#!/bin/sh
# A small deployment as docs/deploy.md describes it (DESIGN.md section
# 17): nginx (conf/nginx/lorgnette-fronts.conf, the shipped file) in
# front of three lgwebd sharing one real redis-server, and two regional
# lgbrokerd, "eu" and "ap", each in its own network namespace with its
# own emulator fleet (two emulator sets: the lab is too slow to bring up
# here), reached by the fronts over mutual TLS through a veth pair.
# Under load it shows:
#   1. a client sending through nginx to all three fronts gets exactly
#      its limit in total;
#   2. thirty identical concurrent queries spread over the fronts run
#      one router command (the emulator's audit log);
#   3. a cache hit on one front for another front's answer;
#   4. kill -9 of a front mid-load: nginx moves on, no client gets a
#      wrong answer, failures at most the killed front's in-flight ones;
#   5. kill -9 of a broker, and separately a partition of its link
#      (nftables drops its packets inside its namespace): its routers
#      show as down on every front, the other region is unaffected (a
#      load of queries past the cache to ap's routers fails none), and
#      after a restart or heal it is back;
#   6. redis-server killed and restarted mid-load: no query fails;
#   7. a front with a foreign certificate is refused in the handshake.
# Margins are wide (a loaded 2-core machine); tests/bench/regions.sh
# measures the real times.  DP_FULL=1 (make deploy-test) runs each load
# for longer.  Root only (namespaces); everything lives under $BK, and
# the namespaces go, with their rules, at the end or on failure.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "network namespaces need root"
for b in lgbrokerd lgwebd lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in nginx redis-server redis-cli nft ip openssl curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

if [ "${DP_FULL:-0}" = 1 ]; then SECS=24; else SECS=8; fi
bk_init deploy
PORTS=$(bk_free_base 8) || skip_all "no free ports"
W1=$PORTS W2=$((PORTS + 1)) W3=$((PORTS + 2)) NG=$((PORTS + 3))
RPORT=$((PORTS + 4)) W4=$((PORTS + 5))
TLS=7443			# each broker's, in its own namespace
NGINX_PID= RED_PID= WP1= WP2= WP3= WP4=
BK_CLEANUP_EXTRA='for p in $NGINX_PID $WP1 $WP2 $WP3 $WP4 $RED_PID; do kill -TERM $p 2>/dev/null; done; sleep 0.5; for p in $WP1 $WP2 $WP3 $WP4 $RED_PID; do kill -KILL $p 2>/dev/null; done'

# --- Certificates, the regions, their routers and brokers ---------------
dp_pki || skip_all "openssl cannot make a test CA"
dp_cert eu eu && dp_cert ap ap && dp_cert front front &&
    dp_cert stranger front foreign
ok "a CA, the brokers' and the fronts' certificates" test -s "$DP_PKI/front.pem"

# dp_region NAME N EMUBASE: the namespace, its emulator and its broker's
# configuration (ROUTERS_NAME, AUDIT_NAME, EMU_NAME set).
dp_region() {
	dp_ns_up "$1" "$2" || return 1
	eval "_ns=\$DP_NS_$1"
	LG_EMU_DIR=$BK/emu-$1 LG_EMU_SSH_BASE=$3 LG_EMU_TELNET_BASE=$(($3 + 20)) \
	    ip netns exec "$_ns" env LG_BUILD="$LG_BUILD" \
	    sh "$LG_TOP/tests/emulator/emu.sh" start >"$BK/emu-$1.log" 2>&1 ||
	    return 1
	. "$BK/emu-$1/emu.env"
	eval "AUDIT_$1=\$LG_EMU_AUDIT EMU_$1=\$BK/emu-$1"
}
if dp_region eu 1 2201 && dp_region ap 2 2401; then
	pass "two regions: namespaces, veth links and an emulator fleet each"
else
	fail "two regions" "$(cat "$BK"/emu-*.log 2>/dev/null)"
	done_testing
	exit 1
fi
bk_emu_credentials

. "$EMU_eu/emu.env"
EU_ROUTERS="$(dp_router ios-eu ios1 ssh cisco-ios)
$(dp_router delay-eu delay1 ssh cisco-ios)"
dp_broker eu "$TLS" "$EU_ROUTERS" "$DP_ADDR_eu"
. "$EMU_ap/emu.env"
AP_ROUTERS="$(dp_router junos-ap junos1 ssh juniper-junos)
$(dp_router eos-ap eos1 telnet arista-eos)"
dp_broker ap "$TLS" "$AP_ROUTERS" "$DP_ADDR_ap"
# (Not through ok: that would run them in a subshell, losing their pids.)
for n in eu ap; do
	if dp_broker_start $n; then pass "broker $n starts in its namespace"
	else fail "broker $n starts in its namespace" "$(cat "$BK/$n/broker.log")"; fi
done

# --- Redis and three fronts -----------------------------------------------
printf 'deploy-%s\n' "$$" >"$BK/redis.pass"
redis_start() {
	dp_redis_start "$RPORT" "$BK/redis.sock" "$BK/redis.pass"
	_rc=$?
	RED_PID=$DP_REDIS_PID
	return $_rc
}
if redis_start; then pass "redis-server starts"; else fail "redis-server starts"; fi

LINKS="$(dp_link eu "$TLS" front "$DP_ADDR_eu")
$(dp_link ap "$TLS" front "$DP_ADDR_ap")"
# front_conf PORT [LINKS]: a front's configuration.
front_conf() {
	cat <<CONF
web: {
  listen = [ "127.0.0.1:$1" ];
  www = "$LG_TOP/www";
  store = "redis://127.0.0.1:$RPORT";
  store_password_file = "$BK/redis.pass";
  store_timeout_ms = 250;
  trusted_proxies = [ "127.0.0.1" ];
  rate = { bgp_route = "100000/min"; route = "9/hour"; };
  cache = { bgp_route = 60; route = 0; };
  max_inflight_client = 64;
  brokers = (
$(printf '%s\n' "${2:-$LINKS}" | sed '$ s/,$//')
  );
};
routers = (
$(printf '%s\n' "$EU_ROUTERS
$AP_ROUTERS" | sed '$ s/,$//')
);
CONF
}
front_start() {
	eval "_p=\$W$1"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    "$BK_BIN/lgwebd" -d -f "$BK/w$1.conf" >>"$BK/web$1.log" 2>&1 &
	eval "WP$1=\$!"
	# Any answer: a front that reaches no broker is not healthy.
	if dm_wait 30 curl -s -o /dev/null "http://127.0.0.1:$_p/healthz"; then
		pass "front $1 answers"
	else
		fail "front $1 answers" "$(cat "$BK/web$1.log")"
	fi
}
for i in 1 2 3; do
	eval "front_conf \$W$i" >"$BK/w$i.conf"
	front_start $i
done

# --- nginx, with the shipped upstream file ---------------------------------
mkdir -p "$BK/nginx/tmp"
sed -e "s/10\.0\.0\.11:8080/127.0.0.1:$W1/" \
    -e "s/10\.0\.0\.12:8080/127.0.0.1:$W2/" \
    -e "s/10\.0\.0\.13:8080/127.0.0.1:$W3/" \
    -e "s/^\(	listen \)80;/\1127.0.0.1:$NG;/" -e '/listen \[::\]:80;/d' \
    "$LG_TOP/conf/nginx/lorgnette-fronts.conf" >"$BK/nginx/fronts.conf"
cat >"$BK/nginx/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
pid $BK/nginx/nginx.pid;
error_log $BK/nginx/error.log warn;
events { worker_connections 512; }
http {
	log_format up '\$status \$upstream_addr \$request_uri';
	access_log $BK/nginx/access.log up;
	client_body_temp_path $BK/nginx/tmp/body;
	proxy_temp_path $BK/nginx/tmp/proxy;
	fastcgi_temp_path $BK/nginx/tmp/fastcgi;
	uwsgi_temp_path $BK/nginx/tmp/uwsgi;
	scgi_temp_path $BK/nginx/tmp/scgi;
	include $BK/nginx/fronts.conf;
}
CONF
like "the shipped file got the test's fronts" "$(cat "$BK/nginx/fronts.conf")" \
    "server 127.0.0.1:$W3 max_fails"
ok "nginx -t accepts it" nginx -q -t -e "$BK/nginx/error.log" -p "$BK/nginx" \
    -c "$BK/nginx/nginx.conf"
nginx -e "$BK/nginx/error.log" -p "$BK/nginx" -c "$BK/nginx/nginx.conf" &
NGINX_PID=$!
NGU=http://127.0.0.1:$NG
ok "nginx answers for the fronts" dm_wait 20 curl -sf "$NGU/healthz"

# every_front ROUTER STATE SECONDS: until every front shows ROUTER in
# STATE; prints the slowest front's milliseconds, or returns 1.
every_front() {
	_worst=0
	for _w in $W1 $W2 $W3; do
		_ms=$(DP_WEB_PORT=$_w dp_wait_state "$1" "$2" "$3") || return 1
		[ "$_ms" -gt "$_worst" ] && _worst=$_ms
	done
	echo "$_worst"
}
for r in ios-eu delay-eu junos-ap eos-ap; do
	ok "$r is up on every front" every_front "$r" up 90
done
DP_WEB_PORT=$NG
is "ios-eu is listed in region eu" "$(dp_state ios-eu)" "up eu"
is "junos-ap is listed in region ap" "$(dp_state junos-ap)" "up ap"

# py EXPR FILE: EXPR with d = the JSON document in FILE.
py() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2" 2>&1
}
q() {
	curl -s -m 30 -o "$BK/q.json" -w '%{http_code}' \
	    "$1/api/v1/query?type=bgp_route&router=$2&target=$3"
}
since() {
	tail -n +"$(($1 + 1))" "$BK/nginx/access.log"
}
lines() {
	wc -l <"$BK/nginx/access.log"
}

# --- 1. The rate limit through nginx: route is 9/hour per client ---------
mark=$(lines)
okn=0 limited=0 other=0
i=0
while [ $i -lt 30 ]; do
	code=$(curl -s -o /dev/null -w '%{http_code}' \
	    "$NGU/api/v1/query?router=ios-eu&type=route&target=1.0.$i.0/24")
	case $code in
	200) okn=$((okn + 1)) ;;
	429) limited=$((limited + 1)) ;;
	*) other=$((other + 1)) ;;
	esac
	i=$((i + 1))
done
is "30 route queries through nginx: exactly 9 answered" "$okn" 9
is "the other 21 refused with 429" "$limited" 21
is "nothing else" "$other" 0
is "nginx spread them over all three fronts" \
    "$(since "$mark" | grep 'type=route' | awk '{ print $2 }' | sort -u | wc -l)" 3

# --- 2. Thirty identical concurrent queries: one router command ----------
LG_EMU_DIR=$EMU_eu LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" \
    ctl fault delay1 response_delay_ms 1500 >/dev/null
TAB=$(printf '\t')
cmd="show bgp ipv4 unicast 1.0.8.0/24"
before=$(grep -c "line${TAB}$cmd" "$AUDIT_eu/delay1.log")
mark=$(lines)
pids=
i=1
while [ $i -le 30 ]; do
	curl -s -m 60 -o "$BK/co.$i" \
	    "$NGU/api/v1/query?router=delay-eu&type=bgp_route&target=1.0.8.0/24" &
	pids="$pids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $pids
after=$(grep -c "line${TAB}$cmd" "$AUDIT_eu/delay1.log")
is "thirty identical queries over three fronts ran one router command" \
    "$((after - before))" 1
is "and all thirty got the answer" "$(grep -l '"status":"ok"' "$BK"/co.* | wc -l)" 30
is "through all three fronts" \
    "$(since "$mark" | grep 'delay-eu' | awk '{ print $2 }' | sort -u | wc -l)" 3
LG_EMU_DIR=$EMU_eu LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" \
    ctl fault delay1 response_delay_ms 0 >/dev/null

# --- 3. A cache hit on one front for another's answer ---------------------
q "http://127.0.0.1:$W1" junos-ap 1.0.20.0/24 >/dev/null
cp "$BK/q.json" "$BK/a.json"
is "front 1 asks the router" "$(py 'd["results"][0]["cached"]' "$BK/a.json")" False
q "http://127.0.0.1:$W3" junos-ap 1.0.20.0/24 >/dev/null
is "front 3 answers from the shared cache" \
    "$(py '(d["results"][0]["status"], d["results"][0]["cached"])' "$BK/q.json")" \
    "('ok', True)"
is "with front 1's answer" "$(py 'd["results"][0]["performed_at"]' "$BK/q.json")" \
    "$(py 'd["results"][0]["performed_at"]' "$BK/a.json")"

# --- 4. kill -9 of a front mid-load ----------------------------------------
LOADR=ios-eu,junos-ap,eos-ap
dp_load "$NGU" "$SECS" "$BK/load4.out" "$LOADR" 6
sleep 2
kill -KILL "$WP2"
wait "$WP2" 2>/dev/null
WP2=
wait "$DP_LOAD_PID"
read -r lok lbad lwrong <"$BK/load4.out"
like "load through nginx while front 2 was killed: answers ($lok)" "$lok" '^[1-9][0-9]*$'
is "no client got a wrong answer" "$lwrong" 0
ok "failures at most the 6 in flight ($lbad)" test "$lbad" -le 6
like "nginx noticed the dead front and moved on" "$(cat "$BK/nginx/error.log")" \
    "(connect\(\) failed|prematurely closed|reset by peer).*127\.0\.0\.1:$W2"
front_start 2
ok "nginx sends to it again" dm_wait 30 sh -c \
    "curl -s '$NGU/healthz' >/dev/null; tail -n 20 '$BK/nginx/access.log' | grep -q ':$W2 '"

# --- 5. A broker killed, then a broker's link partitioned ----------------
# Meanwhile a load on ap's routers, each query a new target (past the
# cache, to the broker): the other region must not notice.
# ap_load OUT: starts it for as long as an outage of eu lasts here.
ap_load() {
	dp_load "$NGU" "$((SECS + 4))" "$1" junos-ap,eos-ap 4 1
}
ap_unaffected() {
	wait "$DP_LOAD_PID"
	read -r lok lbad lwrong <"$1"
	like "$2: ap's load went on ($lok answers)" "$lok" '^[1-9][0-9]*$'
	is "$2: no ap query failed" "$lbad" 0
	is "$2: no ap query got a wrong answer" "$lwrong" 0
}
ap_load "$BK/load5k.out"
sleep 1
kill -KILL "$DP_PID_eu"
wait "$DP_PID_eu" 2>/dev/null
ms=$(every_front ios-eu down 10)
ok "kill -9 of broker eu: its routers down on every front within 10 s ($ms ms)" \
    test -n "$ms"
for w in $W1 $W2 $W3; do
	is "front $w: ap's routers stay up" "$(DP_WEB_PORT=$w dp_state junos-ap)" "up ap"
done
is "a query to ap through nginx answers" "$(q "$NGU" junos-ap 1.0.21.0/24) \
$(py 'd["results"][0]["status"]' "$BK/q.json")" "200 ok"
is "a query to eu: 502" "$(q "$NGU" ios-eu 1.0.22.0/24)" 502
dp_broker_start eu
ms=$(every_front ios-eu up 60)
ok "broker eu restarted: its routers up on every front ($ms ms)" test -n "$ms"
is "and answer" "$(q "$NGU" ios-eu 1.0.23.0/24) $(py 'd["results"][0]["status"]' "$BK/q.json")" "200 ok"
ap_unaffected "$BK/load5k.out" "eu killed"

ap_load "$BK/load5p.out"
sleep 1

ok "partition: eu's veth drops every packet" dp_partition eu
ms=$(every_front ios-eu down 10)
ok "its routers down on every front within 10 s ($ms ms)" test -n "$ms"
like "the heartbeat said why" "$(cat "$BK/web1.log")" \
    'broker eu .*connection lost: silent for more than'
is "ap unaffected meanwhile" "$(q "$NGU" eos-ap 1.0.24.0/24) \
$(py 'd["results"][0]["status"]' "$BK/q.json")" "200 ok"
ok "heal: the rules removed" dp_heal eu
ms=$(every_front ios-eu up 60)
ok "eu back on every front after the heal ($ms ms)" test -n "$ms"
is "and answers" "$(q "$NGU" delay-eu 1.0.25.0/24) $(py 'd["results"][0]["status"]' "$BK/q.json")" "200 ok"
ap_unaffected "$BK/load5p.out" "eu partitioned"

# --- 6. Redis killed and restarted mid-load --------------------------------
dp_load "$NGU" "$SECS" "$BK/load6.out" "$LOADR" 6
sleep 2
kill -KILL "$RED_PID"
wait "$RED_PID" 2>/dev/null
RED_PID=
sleep 2
if redis_start; then pass "redis-server restarts"; else fail "redis-server restarts"; fi
wait "$DP_LOAD_PID"
read -r lok lbad lwrong <"$BK/load6.out"
like "load through the Redis outage ($lok)" "$lok" '^[1-9][0-9]*$'
is "no query failed" "$lbad" 0
is "none got a wrong answer" "$lwrong" 0
resumed() {
	[ "$(curl -s "$1/metrics" | awk '$1 == "lg_store_up" { print $2 }')" = 1 ]
}
for w in $W1 $W2 $W3; do
	ok "front $w shares its state again" dm_wait 30 resumed "http://127.0.0.1:$w"
done

# --- 7. A front with a foreign certificate ---------------------------------
out=$(python3 "$LG_TOP/tests/deploy/tls_probe.py" "$DP_ADDR_eu" "$TLS" \
    "$DP_PKI/ca.pem" "$DP_PKI/stranger.pem" "$DP_PKI/stranger.key")
like "a foreign CA's certificate gets no frame from broker eu" "$out" \
    '^(refused|frames 0$)'
front_conf "$W4" "$(dp_link eu "$TLS" stranger "$DP_ADDR_eu")" >"$BK/w4.conf"
before=$(grep -c "refused in the TLS handshake" "$BK/eu/broker.log")
front_start 4
i=0
until [ "$(grep -c "refused in the TLS handshake" "$BK/eu/broker.log")" -gt "$before" ] ||
    [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
like "broker eu refuses it in the handshake" \
    "$(tail -n 20 "$BK/eu/broker.log")" 'refused in the TLS handshake'
is "that front lists no router" \
    "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$W4/api/v1/routers")" 503

# --- Shutdown ---------------------------------------------------------------
kill -TERM "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null
NGINX_PID=
for i in 1 2 3 4; do
	eval "p=\$WP$i"
	dm_stop "$p" "lgwebd $i exits 0 on SIGTERM"
	eval "WP$i="
	dm_clean "lgwebd $i: no sanitizer report" "$BK/web$i.log"
done
for n in eu ap; do
	eval "pid=\$DP_PID_$n"
	dm_stop "$pid" "broker $n exits 0 on SIGTERM"
	dm_clean "broker $n: no sanitizer report" "$BK/$n/broker.log"
	LG_EMU_DIR=$BK/emu-$n LG_BUILD=$LG_BUILD \
	    sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
done
kill -TERM "$RED_PID" 2>/dev/null
wait "$RED_PID" 2>/dev/null
RED_PID=
dp_ns_cleanup
is "the namespaces are gone" "$(ip netns list | grep -c "^lgdp$$-")" 0
done_testing
