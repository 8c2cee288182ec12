#!/bin/sh
# Stored results in the page, in headless Chromium (results.mjs): the
# Share button's link shows the stored answer as it was, and "Compare with
# now" on it shows what changed after this script changes the route in
# the lab: on r1 (FRR, router tyo1 here) the route gets local preference
# 250 and the community 65000:999 through a route-map entry put in front
# of LAB-IN, taken out again at the end (and on any exit).

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../broker/lib.sh"

HERE=$LG_TOP/tests/browser
CHROMIUM=${LG_CHROMIUM:-/usr/bin/chromium}
for b in lgbrokerd lgwebd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ -x "$CHROMIUM" ] || skip_all "$CHROMIUM not installed (apt install chromium)"
for c in node npm curl python3 vtysh; do
	command -v $c >/dev/null || skip_all "$c not installed"
done
[ "$(id -u)" -eq 0 ] || skip_all "the lab needs root"

bk_init browser-results

# --- node modules: npm ci only when the pinned playwright-core is missing
if want=$(playwright_install "$BK/npm.log"); then
	pass "playwright-core $want installed"
else
	fail "npm ci installs playwright-core $want" "$(tail -20 "$BK/npm.log")"
	done_testing
	exit 1
fi

if ! sh "$LG_TOP/tests/lab/lab.sh" up >"$BK/lab.log" 2>&1; then
	fail "the lab is up" "$(tail -30 "$BK/lab.log")"
	done_testing
	exit 1
fi
. "${LG_LAB_DIR:-/run/lorgnette-lab}/lab.env"
pass "the lab is up"

# r1's vtysh, as lab.sh reaches it.
r1() {
	vtysh --vty_socket "$LAB_DIR/r1/frr/vty" --config_dir "$LAB_DIR/r1/frr" "$@"
}
PREF=250
change_route() {
	r1 -c 'configure terminal' \
	    -c "ip prefix-list LG-RESULTS-TEST seq 5 permit $LAB_ROUTE4" \
	    -c 'route-map LAB-IN permit 5' \
	    -c 'match ip address prefix-list LG-RESULTS-TEST' \
	    -c "set local-preference $PREF" \
	    -c 'set community 65000:999 additive' \
	    -c 'end' -c "clear bgp ipv4 unicast $LAB_R1_UPSTREAM4 soft in"
}
restore_route() {
	r1 -c 'configure terminal' -c 'no route-map LAB-IN permit 5' \
	    -c 'no ip prefix-list LG-RESULTS-TEST' -c 'end' \
	    -c "clear bgp ipv4 unicast $LAB_R1_UPSTREAM4 soft in" >/dev/null 2>&1
}
BK_CLEANUP_EXTRA='restore_route'

PORT=$(dm_free_port)
cat >"$BK/credentials.conf" <<CONF
credentials = { lab = { username = "$LAB_USER"; key = "$LAB_KEY"; }; };
CONF
chmod 0600 "$BK/credentials.conf"
mkdir "$BK/store"
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LAB_KNOWN_HOSTS"; connect_timeout = 5;
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  rate = { bgp_route = "1000/min"; };
  cache = { bgp_route = 0; };
  results = { path = "$BK/store/results.db"; retention = 3600; max_mb = 8; };
};
routers = (
  { name = "tyo1"; location = "Tokyo"; group = "Asia"; driver = "frr";
    transport = "ssh"; host = "$LAB_R1_MGMT4"; port = 22;
    credential = "lab"; sessions = 1; }
);
CONF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "tyo1 comes up" bk_wait_up -t 60 tyo1
bk_web_start
healthy() { curl -s "http://127.0.0.1:$PORT/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy

run_phase() {
	LG_URL=http://127.0.0.1:$PORT LG_CHROMIUM=$CHROMIUM \
	    LG_SHOTS=$HERE/screenshots LG_RESULTS_PHASE=$1 \
	    LG_RESULTS_ROUTER=tyo1 LAB_ROUTE4=$LAB_ROUTE4 \
	    LG_RESULTS_LINK=${LINK:-} LG_RESULTS_LOCALPREF=$PREF \
	    node "$HERE/results.mjs" >"$BK/$1.out" 2>"$BK/$1.err"
	relay "$BK/$1.out" $? "$BK/$1.err" "results.mjs $1"
}

run_phase share
LINK=$(sed -n 's/^# link: //p' "$BK/share.out")

# The change, seen by the broker before the page compares.
changed() {
	bk_ctl query tyo1 bgp_route "$LAB_ROUTE4" 2>/dev/null |
	    grep -q "ocalpref $PREF"
}
if out=$(change_route 2>&1); then
	pass "the route changes in the lab"
else
	fail "the route changes in the lab" "$out"
fi
ok "tyo1 shows local preference $PREF" dm_wait 60 changed
[ -n "$LINK" ] && run_phase compare
restore_route
unchanged() {
	bk_ctl query tyo1 bgp_route "$LAB_ROUTE4" 2>/dev/null |
	    grep -q "$LAB_ROUTE4_PATH" && ! changed
}
ok "the lab's route is restored" dm_wait 60 unchanged

bk_web_stop
bk_stop
done_testing
