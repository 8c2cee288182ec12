#!/bin/sh
# Regional brokers over mutual TLS (DESIGN.md section 17): two lgbrokerd,
# "eu" and "ap", each holding some of the emulator's routers and
# listening with broker.listen_tls, and one lgwebd reaching both through
# web.brokers.  Queries reach both regions; a front certificate from a
# foreign CA is refused in the handshake; a broker whose certificate does
# not carry its name is refused by the front; a killed broker and a
# stopped one (a silent link: no FIN) show their routers as down while
# the other region answers, and come back; identical concurrent queries
# over TLS still run one router command; SIGHUP rotates a broker's
# certificate.  Margins are wide: the real times are in tests/bench.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgwebd lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in openssl curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init regions
PORTS=$(bk_free_base 110) || skip_all "no free ports"
bk_emu_up "$PORTS" 50
bk_emu_credentials
P_EU=$((PORTS + 100)) P_AP=$((PORTS + 101)) DP_WEB_PORT=$((PORTS + 102))
P_WEB2=$((PORTS + 103))

dp_pki || skip_all "openssl cannot make a test CA"
dp_cert eu eu && dp_cert ap ap && dp_cert front front &&
    dp_cert stranger front foreign && dp_cert front2 front
ok "a throwaway CA and certificates" test -s "$DP_PKI/stranger.pem"

EU_ROUTERS="$(dp_router ios-ssh ios1 ssh cisco-ios)
$(dp_router delay-ssh delay1 ssh cisco-ios)"
AP_ROUTERS="$(dp_router junos-ssh junos1 ssh juniper-junos)
$(dp_router eos-tel eos1 telnet arista-eos)"
dp_broker eu "$P_EU" "$EU_ROUTERS"
# ap also holds a router named like one of eu's: a clash, eu's wins.
dp_broker ap "$P_AP" "$AP_ROUTERS
$(dp_router ios-ssh ios1 telnet cisco-ios)"
ok "lgbrokerd -n accepts broker.listen_tls" \
    "$BK_BIN/lgbrokerd" -n -f "$BK/eu/lorgnette.conf"
dp_broker_start eu
dp_broker_start ap
like "eu listens over TLS" "$(cat "$BK/eu/broker.log")" \
    "listening for fronts over TLS on 127.0.0.1:$P_EU"

LINKS="$(dp_link eu "$P_EU")
$(dp_link ap "$P_AP")"
dp_web "$BK/web.conf" "$LINKS" "$EU_ROUTERS
$AP_ROUTERS"
ok "lgwebd -n accepts web.brokers" "$BK_BIN/lgwebd" -n -f "$BK/web.conf"
sed "s|$DP_PKI/front.key|$DP_PKI/missing.key|" "$BK/web.conf" >"$BK/bad.conf"
like "lgwebd -n names a TLS broker's key it cannot read" \
    "$("$BK_BIN/lgwebd" -n -f "$BK/bad.conf" 2>&1)" \
    'web.brokers: eu: cert .*front\.pem, key .*missing\.key'
sed "s|$DP_PKI/eu.key|$DP_PKI/ca.pem|" "$BK/eu/lorgnette.conf" >"$BK/bad.conf"
like "lgbrokerd -n names a listen_tls key that is not one" \
    "$("$BK_BIN/lgbrokerd" -n -f "$BK/bad.conf" 2>&1)" \
    'broker.listen_tls: cert .*eu\.pem, key .*ca\.pem'
bk_web_start "$BK/web.conf"

# --- both regions -------------------------------------------------------
for r in ios-ssh delay-ssh junos-ssh eos-tel; do
	dp_wait_state "$r" up 60 >/dev/null
	ok "$r is up" test "$(dp_state "$r" | cut -d' ' -f1)" = up
done
is "ios-ssh is in region eu" "$(dp_state ios-ssh)" "up eu"
is "junos-ssh is in region ap" "$(dp_state junos-ssh)" "up ap"
like "a router name held by two brokers is logged" "$(cat "$BK/web.log")" \
    'router ios-ssh is listed by broker eu and by broker ap; .*broker ap.s is ignored'
n=$(curl -s "http://127.0.0.1:$DP_WEB_PORT/api/v1/routers" | python3 -c '
import json, sys
print(len(json.load(sys.stdin)["routers"]))')
is "and listed once" "$n" 4
Q='/api/v1/query?type=bgp_route&target=1.0.4.0/24&router='
for r in ios-ssh junos-ssh; do
	like "a query reaches $r's broker over TLS" "$(dp_http "$Q$r")" \
	    '^200 .*"status":"ok"'
done

# --- refusals -----------------------------------------------------------
before=$(grep -c "refused in the TLS handshake" "$BK/eu/broker.log")
out=$(python3 "$LG_TOP/tests/deploy/tls_probe.py" 127.0.0.1 "$P_EU" \
    "$DP_PKI/ca.pem" "$DP_PKI/stranger.pem" "$DP_PKI/stranger.key")
like "a front certificate of a foreign CA gets no frame" "$out" \
    '^(refused|frames 0$)'
out=$(python3 "$LG_TOP/tests/deploy/tls_probe.py" 127.0.0.1 "$P_EU" \
    "$DP_PKI/ca.pem")
like "a front without a certificate gets no frame" "$out" \
    '^(refused|frames 0$)'
sleep 0.5
after=$(grep -c "refused in the TLS handshake" "$BK/eu/broker.log")
is "the broker logs both refusals" "$((after - before))" 2
like "the log names the reason" "$(cat "$BK/eu/broker.log")" \
    'tls client 127\.0\.0\.1 port [0-9]*: refused in the TLS handshake: .*(signer|issuer|not trusted|no certificate)'
out=$(python3 "$LG_TOP/tests/deploy/tls_probe.py" 127.0.0.1 "$P_EU" \
    "$DP_PKI/ca.pem" "$DP_PKI/front.pem" "$DP_PKI/front.key")
is "the CA's own front certificate gets HELLO" "$out" "frames 1"

# A front that takes ap's address for eu: the certificate says ap.
dp_web "$BK/web2.conf" "$(dp_link eu "$P_AP")" "$EU_ROUTERS"
sed -i "s/127.0.0.1:$DP_WEB_PORT/127.0.0.1:$P_WEB2/" "$BK/web2.conf"
"$BK_BIN/lgwebd" -d -f "$BK/web2.conf" >"$BK/web2.log" 2>&1 &
WEB2=$!
BK_CLEANUP_EXTRA="kill $WEB2 2>/dev/null; ${BK_CLEANUP_EXTRA:-}"
i=0
until grep -q "cannot connect" "$BK/web2.log" 2>/dev/null ||
    [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
like "a broker certificate without the broker's name is refused" \
    "$(cat "$BK/web2.log")" 'broker eu .*cannot connect: peer certificate refused: .*(hostname|name)'
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P_WEB2/api/v1/routers")
is "that front lists no router" "$code" 503
dm_stop "$WEB2" "the second lgwebd exits 0"

# A client that starts a handshake and stalls holds only its own socket.
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\x16\x03\x01\x02\x00\x01")   # the start of a ClientHello
time.sleep(14)' "$P_EU" &
STALL=$!
sleep 0.5
like "a stalled handshake does not hold the broker up" "$(dp_http "$Q"ios-ssh)" \
    '^200 .*"status":"ok"'
i=0
until grep -q "no TLS handshake nor HELLO within 10 s" "$BK/eu/broker.log" ||
    [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
like "and is closed after 10 s" "$(cat "$BK/eu/broker.log")" \
    'tls client 127\.0\.0\.1 port [0-9]*: no TLS handshake nor HELLO within 10 s'
kill "$STALL" 2>/dev/null
wait "$STALL" 2>/dev/null

# --- identical concurrent queries over TLS: one router command ----------
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault delay1 \
    response_delay_ms 1500 >/dev/null
TAB=$(printf '\t')
cmd="show bgp ipv4 unicast 1.0.8.0/24"
before=$(grep -c "line${TAB}$cmd" "$LG_EMU_AUDIT/delay1.log")
pids=
for i in 1 2 3 4 5 6 7 8 9 10; do
	curl -s -m 30 -o "$BK/co.$i" \
	    "http://127.0.0.1:$DP_WEB_PORT/api/v1/query?router=delay-ssh&type=bgp_route&target=1.0.8.0/24" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
after=$(grep -c "line${TAB}$cmd" "$LG_EMU_AUDIT/delay1.log")
is "ten identical queries over TLS ran one router command" \
    "$((after - before))" 1
okn=$(grep -l '"status":"ok"' "$BK"/co.* | wc -l)
is "and all ten got the answer" "$okn" 10
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault delay1 \
    response_delay_ms 0 >/dev/null

# --- kill -9 of one broker ----------------------------------------------
kill -9 "$DP_PID_eu"
wait "$DP_PID_eu" 2>/dev/null
ms=$(dp_wait_state ios-ssh down 5)
ok "eu's routers show as down within 5 s of kill -9 ($ms ms)" test -n "$ms"
is "ap's routers stay up" "$(dp_state junos-ssh)" "up ap"
t0=$(date +%s%N)
out=$(dp_http "$Q"ios-ssh)
t1=$(date +%s%N)
like "a query to a lost broker's router: 502, router unreachable" "$out" \
    '^502 .*"code":"router_unreachable"'
ok "and it fails fast ($(( (t1 - t0) / 1000000 )) ms)" \
    test $(( (t1 - t0) / 1000000 )) -lt 2000
like "ap answers meanwhile" "$(dp_http "$Q"junos-ssh)" '^200 .*"status":"ok"'
dp_broker_start eu
ms=$(dp_wait_state ios-ssh up 60)
ok "eu is back after a restart ($ms ms)" test -n "$ms"
like "and answers again" "$(dp_http "$Q"ios-ssh)" '^200 .*"status":"ok"'
like "the front logged the loss" "$(cat "$BK/web.log")" \
    'broker eu \(127\.0\.0\.1:[0-9]*\): connection lost'
M=$(curl -s "http://127.0.0.1:$DP_WEB_PORT/metrics")
like "metrics: the loss counted" "$M" 'lg_broker_losses_total\{broker="eu"\} 1$'
like "metrics: both links up again" "$(printf '%s\n' "$M" |
    grep -c '^lg_broker_up{broker="[a-z]*"} 1$')" '^2$'

# --- a silent link: the broker stopped, its socket open -----------------
kill -STOP "$DP_PID_ap"
ms=$(dp_wait_state junos-ssh down 5)
ok "a silent ap shows its routers as down within 5 s ($ms ms)" test -n "$ms"
like "the heartbeat said why" "$(cat "$BK/web.log")" \
    'broker ap .*connection lost: silent for more than 1.5 s'
like "a query to it: 502" "$(dp_http "$Q"junos-ssh)" '^502 '
like "eu answers meanwhile" "$(dp_http "$Q"ios-ssh)" '^200 .*"status":"ok"'
kill -CONT "$DP_PID_ap"
ms=$(dp_wait_state junos-ssh up 30)
ok "ap is back once it runs again ($ms ms)" test -n "$ms"
like "and answers again" "$(dp_http "$Q"junos-ssh)" '^200 .*"status":"ok"'

# --- SIGHUP rotates the broker's certificate ----------------------------
fp() {
	python3 "$LG_TOP/tests/deploy/tls_probe.py" --fingerprint 127.0.0.1 \
	    "$1" "$DP_PKI/ca.pem" "$DP_PKI/front.pem" "$DP_PKI/front.key"
}
old=$(fp "$P_AP")
like "the broker shows a certificate" "$old" '^[0-9a-f]{64}$'
dp_cert ap.new ap
mv "$DP_PKI/ap.new.key" "$DP_PKI/ap.key"
mv "$DP_PKI/ap.new.pem" "$DP_PKI/ap.pem"
kill -HUP "$DP_PID_ap"
i=0
while [ "$(fp "$P_AP")" = "$old" ] && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
new=$(fp "$P_AP")
ok "after SIGHUP the broker shows the new certificate" \
    test "$new" != "$old" -a -n "$new"
is "which is the file's" "$new" "$(openssl x509 -in "$DP_PKI/ap.pem" \
    -outform DER | sha256sum | cut -d' ' -f1)"
like "the link made before carries on" "$(dp_http "$Q"junos-ssh)" \
    '^200 .*"status":"ok"'
# A broken rotation keeps the certificate in force.
cp "$DP_PKI/ca.pem" "$DP_PKI/ap.key"
kill -HUP "$DP_PID_ap"
sleep 1
like "a bad key on reload is named and the old one kept" \
    "$(cat "$BK/ap/broker.log")" 'reload failed.*broker.listen_tls: cert .*key'
is "the broker still shows the good one" "$(fp "$P_AP")" "$new"

# --- SIGHUP re-reads the front's certificate -----------------------------
dp_cert front.new front ca front-rotated
mv "$DP_PKI/front.new.key" "$DP_PKI/front.key"
mv "$DP_PKI/front.new.pem" "$DP_PKI/front.pem"
kill -HUP "$WEB_PID"
sleep 1
kill -9 "$DP_PID_eu"
wait "$DP_PID_eu" 2>/dev/null
dp_broker_start eu
ms=$(dp_wait_state ios-ssh up 60)
ok "eu is back after the front's reload ($ms ms)" test -n "$ms"
like "and the front showed it the rotated certificate" \
    "$(cat "$BK/eu/broker.log")" 'tls client .*CN=front-rotated.*handshake done'

# --- shutdown -----------------------------------------------------------
bk_web_stop
for n in eu ap; do
	eval "pid=\$DP_PID_$n"
	dm_stop "$pid" "broker $n exits 0 on SIGTERM"
	dm_clean "broker $n: no sanitizer report" "$BK/$n/broker.log"
done
done_testing
