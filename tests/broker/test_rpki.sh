#!/bin/sh
# Route facts against the integration lab (tests/lab) and a real RTR
# server, Debian's stayrtr, serving VRP files this test writes for the
# lab's generated table (lab_rpki.py): for 120 sampled prefixes (a
# quarter each valid, invalid by origin, invalid by max length and
# not-found), every path of r1's parsed bgp_route answer carries the rpki
# state and reason computed from the VRP file (RFC 6811), the VRPs that
# decided a valid or invalid path (rpki_vrps), the AS names of
# the asn_names file and the descriptions of the communities directory.
# Then: a new VRP file gives a new serial and new states; with stayrtr
# stopped the states stay and the status says the cache is down; with
# two caches, the preferred one dead, the second serves (failover); a
# reload reads the AS names again.  The broker runs under its sandbox, so
# RTRlib's threads do too.  VRP expiry (RTRlib's minimum is 600 s) is not
# waited for here.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v stayrtr >/dev/null 2>&1 || skip_all "stayrtr not installed"
[ "$(id -u)" = 0 ] || skip_all "the lab needs root"
bk_init rpki
if ! sh "$LG_TOP/tests/lab/lab.sh" up >"$BK/lab-up.log" 2>&1; then
	skip_all "the lab did not come up: $(tail -3 "$BK/lab-up.log" | tr '\n' ' ')"
fi
. "$(sh "$LG_TOP/tests/lab/lab.sh" env)"
[ -f "$LAB_DIR/up/table.conf" ] || skip_all "no generated table in $LAB_DIR"

BASE=$(bk_free_base 5) || skip_all "no free ports"
RTR_A=$BASE
RTR_B=$((BASE + 2))
WPORT=$((BASE + 4))
RTR_PIDS=
BK_CLEANUP_EXTRA='for p in $RTR_PIDS; do kill "$p" 2>/dev/null; done'

rpki() {
	python3 "$LG_TOP/tests/broker/lab_rpki.py" \
	    --table "$LAB_DIR/up/table.conf" "$@"
}

# stayrtr on 127.0.0.1:PORT (metrics on PORT+1) serving FILE.
rtr_start() {
	stayrtr -bind "127.0.0.1:$1" -metrics.addr "127.0.0.1:$(($1 + 1))" \
	    -cache "$2" -checktime=false -refresh 1 \
	    >>"$BK/stayrtr-$1.log" 2>&1 &
	RTR_PIDS="$RTR_PIDS $!"
	eval "RTR_PID_$1=$!"
	dm_wait 30 python3 -c "import socket; socket.create_connection(
	    ('127.0.0.1', $1), 1)"
}

# The status of cache number N (1 = most preferred): "STATE SERIAL
# DOWN_SINCE VRPS4 VRPS6".
rtr_status() {
	bk_ctl -j status 2>/dev/null | python3 -c "import json, sys
c = json.load(sys.stdin)['rpki'][$1 - 1]
print(c['state'], c['serial'], c['down_since'], c['vrps_ipv4'],
      c['vrps_ipv6'])"
}

rtr_state_is() {
	[ "$(rtr_status "$1" | cut -d' ' -f1)" = "$2" ]
}

# Until the cache's serial is other than $2 (and it is up).
rtr_serial_not() {
	set -- "$1" "$2" "$(rtr_status "$1")"
	[ "${3%% *}" = up ] && [ "$(echo "$3" | cut -d' ' -f2)" != "$2" ]
}

check() {
	rpki check "$1" "$BK" --router r1 -- "$BK_BIN/lgctl" -s "$BK/admin.sock" \
	    -t "$BK_CTL_TIMEOUT" >"$BK/check.out" 2>&1
	cat "$BK/check.out"
}

# Every category present, every path as computed.
check_ok() {
	out=$(check "$2")
	if printf '%s\n' "$out" | grep -Eq '^ok 120 prefixes [0-9]+ paths valid=[1-9][0-9]* invalid_origin=[1-9][0-9]* invalid_max_length=[1-9][0-9]* not_found=[1-9][0-9]* unknown=0 listing_vrps=[1-9]'; then
		pass "$1 ($(head -1 "$BK/check.out"))"
	else
		fail "$1" "$out"
	fi
}

rpki vrps 1 "$BK/vrps.json"
rpki facts "$BK"
cp "$BK/vrps.json" "$BK/vrps1.json"
# Not through ok: rtr_start keeps the pid in this shell.
if rtr_start "$RTR_A" "$BK/vrps.json"; then
	pass "stayrtr serves the VRP file"
else
	fail "stayrtr serves the VRP file" "$(cat "$BK/stayrtr-$RTR_A.log")"
fi

bk_lab_config
cat >>"$BK/lorgnette.conf" <<CONF
asn_names = "asn.csv";
communities = "communities";
rpki = { caches = [ "127.0.0.1:$RTR_A" ]; refresh = 5; retry = 2; };
web: {
  listen = [ "127.0.0.1:$WPORT" ];
  www = "$LG_TOP/www";
};
CONF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
like "a bad AS-name line is a warning with file:line, not fatal" \
    "$(bk_log)" "$BK/asn.csv:[0-9]+: warning: expected an AS number"
like "a bad community line is a warning with file:line" \
    "$(bk_log)" "$BK/communities/lab.txt:[0-9]+: warning: expected \"pattern,description\""
ok "r1 has a warm session" bk_wait_up -t 60 r1
ok "the RTR session comes up with VRPs" dm_wait "$(bk_secs 30)" \
    rtr_state_is 1 up
st=$(rtr_status 1)
set -- $st
if [ "${4:-0}" -gt 0 ] && [ "${5:-0}" -gt 0 ]; then
	pass "lgctl status shows the VRPs of both families ($4 IPv4, $5 IPv6)"
else
	fail "lgctl status shows the VRPs of both families" "$st" \
	    "$(bk_ctl status)"
fi
serial=$2
check_ok "every path's rpki, AS names and community descriptions are right" \
    "$BK/vrps1.json"
# 1299:200 tags some 2,000 of the lab's routes: an answer of many
# prefixes, whose facts are made on the broker's facts thread while it
# is parsed.
out=$(rpki check "$BK/vrps1.json" "$BK" --router r1 --community 1299:200 \
    -- "$BK_BIN/lgctl" -s "$BK/admin.sock" -t "$BK_CTL_TIMEOUT" 2>&1)
if printf '%s\n' "$out" | grep -Eq '^ok [0-9]{3,} prefixes [0-9]+ paths '; then
	pass "a bgp_community answer of many prefixes: every path's facts are right ($(printf '%s' "$out" | head -1))"
else
	fail "a bgp_community answer of many prefixes: every path's facts are right" "$out"
fi
like "the text status lists the cache" "$(bk_ctl status)" \
    "127\.0\.0\.1:$RTR_A +1 up"

# /metrics: lgwebd asks the broker after each router list.
bk_web_start
metrics() {
	curl -fs "http://127.0.0.1:$WPORT/metrics" >"$BK/metrics" &&
	    grep -q "^lg_rpki_cache_up{cache=\"127.0.0.1:$RTR_A\",preference=\"1\"} 1" \
	    "$BK/metrics"
}
ok "/metrics shows the RTR cache up" dm_wait "$(bk_secs 30)" metrics
like "and the VRP counts" "$(cat "$BK/metrics")" \
    "lg_rpki_vrps\{family=\"ipv4\"\} [1-9][0-9]*"
used=$(grep -o '\blg_[a-z_]*' "$LG_TOP/conf/prometheus/lorgnette-rpki-alerts.yml" |
    sort -u)
missing=""
for m in $used; do
	grep -q "^$m{" "$BK/metrics" || missing="$missing $m"
done
is "every metric the RPKI alerts use is exported ($(echo $used | wc -w))" \
    "$missing" ""
if command -v promtool >/dev/null; then
	ok "promtool: the RPKI alert rules check" promtool check rules \
	    "$LG_TOP/conf/prometheus/lorgnette-rpki-alerts.yml"
	ok "promtool: each RPKI alert fires when it should, only then" \
	    promtool test rules "$LG_TOP/tests/broker/rpki-alerts.test.yml"
fi

# A new VRP file: a new serial, and every sampled prefix changes state.
rpki vrps 2 "$BK/vrps2.json"
cp "$BK/vrps2.json" "$BK/vrps.json.new"
mv "$BK/vrps.json.new" "$BK/vrps.json"
ok "a new VRP file brings a new serial" dm_wait "$(bk_secs 30)" \
    rtr_serial_not 1 "$serial"
check_ok "and the states follow it" "$BK/vrps2.json"

# The cache goes away: the VRPs stay (until they expire), and the status
# says the cache is down, since when.
eval "kill \$RTR_PID_$RTR_A"
ok "losing the cache shows in the status" dm_wait "$(bk_secs 30)" \
    rtr_state_is 1 down
st=$(rtr_status 1)
set -- $st
if [ "${3:-0}" -gt 0 ] && [ "${4:-0}" -gt 0 ]; then
	pass "the status says since when, and the VRPs are kept ($st)"
else
	fail "the status says since when, and the VRPs are kept" "$st"
fi
check_ok "the states stay with the cache gone" "$BK/vrps2.json"

# Two caches, the preferred one dead: the second serves.
cp "$BK/vrps1.json" "$BK/vrps-b.json"
if rtr_start "$RTR_B" "$BK/vrps-b.json"; then
	pass "a second stayrtr serves the first VRP file"
else
	fail "a second stayrtr serves the first VRP file" \
	    "$(cat "$BK/stayrtr-$RTR_B.log")"
fi
sed -i "s/caches = \[ \"127.0.0.1:$RTR_A\" \]/caches = [ \"127.0.0.1:$RTR_A\", \"127.0.0.1:$RTR_B\" ]/" \
    "$BK/lorgnette.conf"
like "lgctl reload takes the second cache" "$(bk_ctl reload 2>&1)" \
    "reloaded"
ok "failover: the second cache comes up" dm_wait "$(bk_secs 60)" \
    rtr_state_is 2 up
unlike "the preferred cache is not up" "$(rtr_status 1)" "^up "
check_ok "failover: the states are the second cache's" "$BK/vrps1.json"

# AS names are read again on reload.
sed -i 's/^AS64500,.*/AS64500,"UPSTREAM RENAMED",Transit,ZZ/' "$BK/asn.csv"
like "a reload reads the AS names again" "$(bk_ctl reload 2>&1)" \
    "reloaded.*with warnings"
name=$(bk_ctl -j query r1 bgp_route "$LAB_ROUTE4" 2>/dev/null |
    python3 -c "import json, sys
r = json.load(sys.stdin)['results'][0]
print(r['parsed']['prefixes'][0]['paths'][0]['as_names'].get('64500'))")
is "the new name is on the next answer" "$name" "UPSTREAM RENAMED"

bk_web_stop
bk_stop
unlike "no seccomp or Landlock refusal in the broker's log" "$(bk_log)" \
    "SIGSYS|seccomp: |Permission denied"
done_testing
