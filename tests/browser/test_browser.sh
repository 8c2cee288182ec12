#!/bin/sh
# The page in a real browser: playwright-core (pinned in package-lock.json)
# drives Debian's chromium headless against lgwebd, with a private
# lgbrokerd talking to the lab's real FRR and BIRD routers and to a
# private vendor CLI emulator.  The checks themselves are in page.mjs; this
# script prepares everything, relays page.mjs's results as TAP, and stops
# what it started (the lab, shared with other suites, is left up: run.sh
# takes it down).
#
# Screenshots of the main states land in tests/browser/screenshots/ (not
# tracked by git).  Environment: LG_BUILD (default build/san), LG_KEEP=1
# keeps the work directory, LG_BROWSER_SERVE=1 only starts everything and
# waits (to run page.mjs or a browser by hand against it).

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LG_BUILD:=build/san}"
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac
HERE=$LG_TOP/tests/browser
CHROMIUM=${LG_CHROMIUM:-/usr/bin/chromium}

for b in lgwebd lgbrokerd lgemu lgctl; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built"
done
[ -x "$CHROMIUM" ] || skip_all "$CHROMIUM not installed (apt install chromium)"
command -v node >/dev/null || skip_all "node not installed"
command -v npm >/dev/null || skip_all "npm not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v curl >/dev/null || skip_all "curl not installed"
[ "$(id -u)" -eq 0 ] || skip_all "the lab needs root"

W=$(mktemp -d /tmp/lg-browser.XXXXXX)
chmod 0755 "$W"
EMU_DIR=$W/emu
WEB_PID= BROKER_PID=
T0=$(date +%s)

stop_pid() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	n=0
	while kill -0 "$1" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

cleanup() {
	stop_pid "${NODE_PID:-}"
	stop_pid "$WEB_PID"
	stop_pid "$BROKER_PID"
	LG_EMU_DIR=$EMU_DIR LG_BUILD=$LG_BUILD \
	    sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bail() {	# bail DESCRIPTION LOGFILE: one failure, then stop here
	fail "$1" "$(tail -30 "$2" 2>/dev/null)"
	done_testing
	exit 1
}

# --- node modules: npm ci only when the pinned playwright-core is missing
want=$(playwright_install "$W/npm.log") ||
    bail "npm ci installs playwright-core $want" "$W/npm.log"
pass "playwright-core $want installed"

# --- the lab (real FRR and BIRD routers)
sh "$LG_TOP/tests/lab/lab.sh" up >"$W/lab.log" 2>&1 ||
    bail "the lab is up" "$W/lab.log"
LAB_ENV=${LG_LAB_DIR:-/run/lorgnette-lab}/lab.env
# shellcheck disable=SC1090
. "$LAB_ENV"
pass "the lab is up"

# --- ports: ten for the emulator, one for lgwebd
set -- $(python3 -c '
import socket
ss = []
for _ in range(11):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss))')
XR_SSH=$1 XR_TEL=$2 JUNOS_SSH=$3 JUNOS_TEL=$4 EOS_SSH=$5 EOS_TEL=$6
IOS_SSH=$7 IOS_TEL=$8 TRACE_SSH=$9
shift 9
TRACE_TEL=$1 PORT=$2
URL=http://127.0.0.1:$PORT

# --- the emulator: a copy of the fixtures in which the EOS BGP answer
# carries markup, so that the page must show router output as text.
mkdir -p "$EMU_DIR/audit"
cp -R "$LG_TOP/tests/emulator/fixtures" "$W/fixtures"
XSS_LINE='      Description: <b>lg-markup</b><img src=x onerror=alert(1)>'
printf '%s\n' "$XSS_LINE" >>"$W/fixtures/eos/bgp_route_v4.txt"
EMU_PASS=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 16)
emu_router() {	# name platform hostname ssh telnet faults
	echo "  { name = \"$1\"; platform = \"$2\"; hostname = \"$3\";"
	echo "    listen = \"127.0.0.1\"; ssh_port = $4; telnet_port = $5;"
	echo "    username = \"lg\"; password = \"$EMU_PASS\";"
	echo "    enable_password = \"$EMU_PASS\"; faults = { $6 }; }$7"
}
{
	echo "emulator: {"
	echo "  fixtures = \"$W/fixtures\";"
	echo "  audit = \"$EMU_DIR/audit\"; control = \"$EMU_DIR/lgemu.ctl\";"
	echo "  host_keys = [ \"$EMU_DIR/ssh_host_ed25519_key\","
	echo "      \"$EMU_DIR/ssh_host_rsa_key\" ];"
	echo "};"
	echo "routers = ("
	emu_router xr1 iosxr fra-cr1 "$XR_SSH" "$XR_TEL" "" ","
	emu_router junos1 junos ams-cr1 "$JUNOS_SSH" "$JUNOS_TEL" "" ","
	emu_router eos1 eos nyc-er1 "$EOS_SSH" "$EOS_TEL" "" ","
	emu_router ios1 ios lon-er1 "$IOS_SSH" "$IOS_TEL" "" ","
	# Traceroute hops 700 ms apart: the page must show them as they come.
	emu_router trace1 ios par-er1 "$TRACE_SSH" "$TRACE_TEL" \
	    'pause_ms = 700;' ""
	echo ");"
} >"$W/fleet.conf"
LG_EMU_DIR=$EMU_DIR LG_BUILD=$LG_BUILD \
    sh "$LG_TOP/tests/emulator/emu.sh" start "$W/fleet.conf" \
    >"$W/emu.log" 2>&1 || bail "the emulator starts" "$W/emu.log"
pass "the emulator starts"

# --- lgbrokerd and lgwebd
cat >"$W/credentials.conf" <<EOF
credentials = {
  emulator = { username = "lg"; password = "$EMU_PASS"; enable = "$EMU_PASS"; };
  lab = { username = "$LAB_USER"; key = "$LAB_KEY"; };
  lab-vty = { username = "lg"; password = "$LAB_VTY_PASSWORD"; };
};
EOF
chmod 0600 "$W/credentials.conf"
cat "$LAB_KNOWN_HOSTS" "$EMU_DIR/known_hosts" >"$W/known_hosts"

# A closed port: the router that never comes up, to show its state.
DEAD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
router() {	# name location group driver transport host port credential
	echo "  { name = \"$1\"; location = \"$2\"; group = \"$3\";"
	echo "    driver = \"$4\"; transport = \"$5\"; host = \"$6\";"
	echo "    port = $7; credential = \"$8\"; sessions = 1; }$9"
}
cat >"$W/lorgnette.conf" <<EOF
broker: {
  socket = "$W/broker.sock"; admin_socket = "$W/admin.sock";
  drivers = "$LG_TOP/drivers"; credentials = "credentials.conf";
  known_hosts = "known_hosts"; connect_timeout = 5;
  breaker_probe = 10;
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  title = "Example Networks AS64500 looking glass";
  logo = "/favicon.svg";
  footer = "Example Networks NOC, noc@example.net, +1 555 0100";
  disclaimer = "Queries are logged with your address. Do not abuse.";
  rate = { bgp_route = "600/min"; route = "600/min"; bgp_summary = "600/min";
           bgp_community = "600/min"; bgp_aspath = "600/min";
           ping = "2/min"; traceroute = "600/min"; };
  cache = { bgp_route = 60; };
};
policy: {
  # The built-in list less the lab's ranges (198.18.0.0/15, 2001:2::/48),
  # so that traceroute may reach the lab.
  forbidden = [ "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.168.0.0/16", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    "2001:db8::/32" ];
  min_prefix4 = 8;
  min_prefix6 = 16;
  resolve = false;
};
routers = (
$(router fra1 Frankfurt Europe cisco-iosxr ssh 127.0.0.1 "$XR_SSH" emulator ,)
$(router ams1 Amsterdam Europe juniper-junos telnet 127.0.0.1 "$JUNOS_TEL" emulator ,)
$(router lon1 London Europe cisco-ios telnet 127.0.0.1 "$IOS_TEL" emulator ,)
$(router par1 Paris Europe cisco-ios telnet 127.0.0.1 "$TRACE_TEL" emulator ,)
$(router nyc1 "New York" "North America" arista-eos ssh 127.0.0.1 "$EOS_SSH" emulator ,)
$(router dead1 Ashburn "North America" cisco-ios telnet 127.0.0.1 "$DEAD_PORT" emulator ,)
$(router tyo1 Tokyo Asia frr ssh "$LAB_R1_MGMT4" 22 lab ,)
$(router tyo2 Tokyo Asia frr-bgpd telnet "$LAB_R1_MGMT4" "$LAB_R1_TELNET_PORT" lab-vty ,)
$(router sin1 Singapore Asia bird ssh "$LAB_R3_MGMT4" 22 lab)
);
EOF
"$BIN/lgbrokerd" -n -f "$W/lorgnette.conf" >"$W/check.log" 2>&1 ||
    bail "the generated configuration loads" "$W/check.log"

wait_for() {	# wait_for SECONDS COMMAND...
	end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

CONF=$W/lorgnette.conf
start_broker() {
	"$BIN/lgbrokerd" -d -f "$CONF" >>"$W/broker.log" 2>&1 &
	BROKER_PID=$!
	wait_for 10 test -S "$W/broker.sock"
}
start_broker || bail "lgbrokerd listens on its socket" "$W/broker.log"
"$BIN/lgwebd" -d -f "$W/lorgnette.conf" >"$W/web.log" 2>&1 &
WEB_PID=$!
healthy() { curl -sf "$URL/healthz" | grep -q connected; }
all_up() {	# every router but dead1 is up
	curl -sf "$URL/api/v1/routers" | python3 -c '
import json, sys
rs = json.load(sys.stdin)["routers"]
sys.exit(0 if rs and all(r["state"] == "up" for r in rs if r["name"] != "dead1") else 1)'
}
wait_for 20 healthy || bail "lgwebd answers and reaches lgbrokerd" "$W/web.log"
wait_for 60 all_up ||
    bail "every router's session is up" "$W/broker.log"
pass "lgbrokerd and lgwebd up, every router's session up ($(($(date +%s) - T0)) s)"

# The lab's routers hold the route once BGP has converged; asked through
# the broker's admin socket so that lgwebd's cache stays empty.
lab_routes() {
	out=$("$BIN/lgctl" -s "$W/admin.sock" -t 20 query tyo1,tyo2,sin1 \
	    bgp_route "$LAB_ROUTE4" 2>&1)
	for r in tyo1 tyo2 sin1; do
		printf '%s\n' "$out" | grep -q "^$r|.*$LAB_ROUTE4_PATH" || return 1
	done
}
wait_for 90 lab_routes ||
    bail "the lab's routers hold $LAB_ROUTE4" "$W/broker.log"
pass "the lab's routers hold $LAB_ROUTE4 via $LAB_ROUTE4_PATH"

# LG_BROWSER_SERVE=1: keep everything running for a person (or page.mjs
# run by hand) until interrupted.
if [ "${LG_BROWSER_SERVE:-0}" = 1 ]; then
	echo "# serving $URL (work directory $W); Ctrl-C stops"
	wait "$WEB_PID"
	exit 0
fi

# --- the browser checks
export LG_URL=$URL LG_CHROMIUM=$CHROMIUM LG_SHOTS=$HERE/screenshots

# Each NAME.mjs prints "ok - ..." / "not ok - ..." and "# " diagnostics
# into $W/NAME.out; relay (tests/lib/tap.sh) makes them this script's TAP.
LAB_ROUTE4=$LAB_ROUTE4 LAB_ROUTE4_PATH=$LAB_ROUTE4_PATH \
    LAB_ROUTE6=$LAB_ROUTE6 LAB_TRACE4=$LAB_TRACE4 \
    LAB_LARGE_COMMUNITY=$LAB_LARGE_COMMUNITY \
    LAB_ROUTE4_COMMUNITIES=$LAB_ROUTE4_COMMUNITIES \
    node "$HERE/page.mjs" >"$W/page.out" 2>"$W/page.err"
relay "$W/page.out" $? "$W/page.err"

# The broker goes away and comes back while a page is open.
stop_pid "$BROKER_PID"; BROKER_PID=
node "$HERE/recovery.mjs" >"$W/recovery.out" 2>"$W/recovery.err" &
NODE_PID=$!
if wait_for 30 grep -q '^# waiting for the broker' "$W/recovery.out"; then
	start_broker || fail "lgbrokerd starts again" "$(tail -5 "$W/broker.log")"
fi
wait "$NODE_PID"
relay "$W/recovery.out" $? "$W/recovery.err"

# --- the compare view: twenty routers over the lab and the emulator,
# AS names and community descriptions that carry markup, a right-to-left
# override and a very long word (as a careless import of a public dump
# could), and a rate that lets ping run on several routers.
stop_pid "$WEB_PID"; WEB_PID=
stop_pid "$BROKER_PID"; BROKER_PID=
mkdir -p "$W/communities"
LONG_NAME=$(printf 'VERYLONGNAME%.0s' 1 2 3 4 5 6 7 8 9)
RLO=$(printf '\342\200\256')
{
	echo "asn,name"
	echo "64510,SECOND-UPSTREAM"
	echo '65073,"<img src=x onerror=alert(2)>EVIL<b>NET</b>"'
	echo "65072,ORIGIN ${RLO}gpj.exe"
	echo "65070,$LONG_NAME"
} >"$W/asnames.csv"
{
	echo '65000:300,<script>alert(3)</script>split prefix'
	echo '64510:100,learned from the second upstream'
} >"$W/communities/lab"
lab_router() {	# name location group lab-router ssh|telnet [,]
	_r=$(echo "$4" | tr a-z A-Z)
	eval "_m=\$LAB_${_r}_MGMT4 _t=\$LAB_${_r}_TELNET_PORT _k=\$LAB_${_r}_KIND"
	if [ "$5" = telnet ]; then
		router "$1" "$2" "$3" frr-bgpd telnet "$_m" "$_t" lab-vty "$6"
	else
		router "$1" "$2" "$3" "$_k" ssh "$_m" 22 lab "$6"
	fi
}
{
	sed -e '/^routers = (/,$d' -e 's|ping = "2/min"|ping = "600/min"|' \
	    "$W/lorgnette.conf"
	echo 'asn_names = "asnames.csv";'
	echo 'communities = "communities";'
	echo 'routers = ('
	router fra1 Frankfurt Europe cisco-iosxr ssh 127.0.0.1 "$XR_SSH" emulator ,
	router fra2 Frankfurt Europe cisco-iosxr telnet 127.0.0.1 "$XR_TEL" emulator ,
	router fra3 Frankfurt Europe cisco-iosxr ssh 127.0.0.1 "$XR_SSH" emulator ,
	router ams1 Amsterdam Europe juniper-junos telnet 127.0.0.1 "$JUNOS_TEL" emulator ,
	router ams2 Amsterdam Europe juniper-junos ssh 127.0.0.1 "$JUNOS_SSH" emulator ,
	router ams3 Amsterdam Europe juniper-junos telnet 127.0.0.1 "$JUNOS_TEL" emulator ,
	router lon1 London Europe cisco-ios telnet 127.0.0.1 "$IOS_TEL" emulator ,
	router lon2 London Europe cisco-ios ssh 127.0.0.1 "$IOS_SSH" emulator ,
	router lon3 London Europe cisco-ios telnet 127.0.0.1 "$IOS_TEL" emulator ,
	router nyc1 "New York" "North America" arista-eos ssh 127.0.0.1 "$EOS_SSH" emulator ,
	router nyc2 "New York" "North America" arista-eos telnet 127.0.0.1 "$EOS_TEL" emulator ,
	router dead1 Ashburn "North America" cisco-ios telnet 127.0.0.1 "$DEAD_PORT" emulator ,
	lab_router tyo1 Tokyo Asia r1 ssh ,
	lab_router tyo2 Tokyo Asia r1 telnet ,
	lab_router hkg1 "Hong Kong" Asia r1 ssh ,
	lab_router osa1 Osaka Asia r2 ssh ,
	lab_router osa2 Osaka Asia r2 telnet ,
	lab_router hkg2 "Hong Kong" Asia r2 ssh ,
	lab_router sin1 Singapore Asia r3 ssh ,
	lab_router sin2 Singapore Asia r3 ssh ,
	lab_router syd1 Sydney Asia r3 ssh
	echo ');'
} >"$W/compare.conf"
CONF=$W/compare.conf
"$BIN/lgbrokerd" -n -f "$CONF" >"$W/check2.log" 2>&1 ||
    fail "the compare configuration loads" "$(tail -20 "$W/check2.log")"
start_broker || fail "lgbrokerd starts with the compare configuration" \
    "$(tail -5 "$W/broker.log")"
"$BIN/lgwebd" -d -f "$CONF" >>"$W/web.log" 2>&1 &
WEB_PID=$!
# The split prefix: r1 and r3 go through the second upstream, r2 not.
lab_split() {
	out=$("$BIN/lgctl" -s "$W/admin.sock" -t 20 query tyo1,osa1,sin1 \
	    bgp_route "$LAB_SPLIT4" 2>&1)
	printf '%s\n' "$out" | grep -q "^tyo1|.*$LAB_SPLIT4_ALT_PATH" &&
	    printf '%s\n' "$out" | grep -q "^sin1|.*$LAB_SPLIT4_ALT_PATH" &&
	    printf '%s\n' "$out" | grep -q "^osa1|.*$LAB_SPLIT4_PATH"
}
if wait_for 20 healthy && wait_for 90 all_up && wait_for 90 lab_split; then
	pass "twenty routers up; the lab disagrees on $LAB_SPLIT4"
	LAB_ROUTE4=$LAB_ROUTE4 LAB_SPLIT4=$LAB_SPLIT4 \
	    LAB_SPLIT4_PATH=$LAB_SPLIT4_PATH \
	    LAB_SPLIT4_ALT_PATH=$LAB_SPLIT4_ALT_PATH \
	    LAB_SPLIT4_MORE_ALT=$LAB_SPLIT4_MORE_ALT \
	    LAB_SPLIT4_MORE_ALT_ADDR=$LAB_SPLIT4_MORE_ALT_ADDR \
	    LAB_SPLIT4_COVER=$LAB_SPLIT4_COVER LAB_TRACE4=$LAB_TRACE4 \
	    LAB_PING4=$LAB_PING4 LONG_NAME=$LONG_NAME \
	    node "$HERE/compare.mjs" >"$W/compare.out" 2>"$W/compare.err"
	relay "$W/compare.out" $? "$W/compare.err"
else
	fail "twenty routers up; the lab disagrees on $LAB_SPLIT4" \
	    "$(tail -20 "$W/broker.log")"
fi

# --- clean shutdown
stop_pid "$WEB_PID"; WEB_PID=
stop_pid "$BROKER_PID"; BROKER_PID=
unlike "no sanitizer report from either daemon" \
    "$(cat "$W/web.log" "$W/broker.log")" \
    'ERROR: (Address|Leak)Sanitizer|runtime error:'
echo "# browser suite took $(($(date +%s) - T0)) s"
done_testing
