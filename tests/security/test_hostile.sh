#!/bin/sh
# The hostile-input suite: every case of tests/security/cases/*.txt sent
# through every entry point (JSON API GET and POST, SSE, RFC 8522 paths
# and parameters, lgctl, raw frames on the broker socket) in raw,
# percent-encoded and double-encoded forms, against a real lgwebd, a real
# lgbrokerd and the vendor CLI emulator.  hostile.py does the sending and
# prints the TAP lines; this script builds the world and tears it down.
#
# Isolation: the whole test runs in its own network and mount namespaces
# (unshare -n -m).  Loopback is the only interface, so no hostile target
# can leave the machine and no hostname can reach a real resolver, and a
# private /etc/hosts (bind-mounted over the real one, which is never
# touched) maps the test's names to internal addresses.  README.md in
# this directory describes the cases and what each one asserts.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LG_BUILD:=build/san}"
export LG_TOP LG_BUILD
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac

for b in lgwebd lgbrokerd lgctl lgemu; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "python3 not installed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (namespaces, broker socket)"
command -v unshare >/dev/null || skip_all "unshare not installed"

if [ "${LG_HOSTILE_NS:-}" != 1 ]; then
	unshare -n -m true 2>/dev/null ||
	    skip_all "cannot create network and mount namespaces"
	LG_HOSTILE_NS=1 exec unshare -n -m sh "$0" "$@"
fi
if ! ip link set lo up; then
	fail "loopback up in the test namespace"
	done_testing
	exit 1
fi

W=$(mktemp -d /tmp/lg-hostile.XXXXXX)
EMU_DIR=$W/emu
export LG_EMU_DIR=$EMU_DIR LG_EMU_SSH_BASE=3101 LG_EMU_TELNET_BASE=3201
WEB_PID= BROKER_PID=

cleanup() {
	[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null
	[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null
	sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
	sleep 0.3
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

# Names that resolve to internal addresses, and one to a mixed set; the
# real /etc/hosts stays as it is outside this mount namespace.
HSUF=lgx$$.test
{
	echo "127.0.0.1 localhost"
	echo "::1 localhost ip6-localhost"
	echo "127.0.0.1 lo4.$HSUF"
	echo "10.1.2.3 ten.$HSUF"
	echo "::1 lo6.$HSUF"
	echo "192.168.7.7 rfc1918.$HSUF"
	echo "169.254.169.254 metadata.$HSUF"
	echo "::ffff:10.0.0.1 mapped.$HSUF"
	echo "fd00::1 ula.$HSUF"
	echo "1.1.1.1 mixed.$HSUF"
	echo "10.0.0.1 mixed.$HSUF"
	echo "10.0.0.2 mixed6.$HSUF"
	echo "2606:4700::1111 mixed6.$HSUF"
	echo "1.1.1.1 public.$HSUF"
} >"$W/hosts"
if ! mount --bind "$W/hosts" /etc/hosts; then
	fail "private /etc/hosts in the test namespace"
	done_testing
	exit 1
fi

# The emulator's fixtures, with markup and terminal escapes in router
# output (a traceroute hop name, a BGP summary line) for the output
# XSS checks.
cp -R "$LG_TOP/tests/emulator/fixtures" "$W/fixtures"
HOP='<script>alert("LGXOUT1")<\/script>.example (62.115.44.17)'
sed -i "s/^{pause}  2 62.115.44.17 /{pause}  2 $HOP /" \
    "$W/fixtures/ios/traceroute_v4.txt"
printf '%s\n' \
    'Neighbor description: "><img src=x onerror=alert("LGXOUT2")>' \
    "$(printf 'Terminal: \033]0;LGXOUT3\007 \033[2J done')" \
    >>"$W/fixtures/ios/bgp_summary_v4.txt"

emu_router() {	# name platform ssh telnet
	echo "  { name = \"$1\"; platform = \"$2\"; hostname = \"$1\";"
	echo "    listen = \"127.0.0.1\"; ssh_port = $3; telnet_port = $4;"
	echo "    username = \"lg\"; password = \"lg-secret\";"
	echo "    enable_password = \"lg-enable\"; faults = { }; }$5"
}
mkdir -p "$EMU_DIR/audit"
{
	echo "emulator: {"
	echo "  fixtures = \"$W/fixtures\";"
	echo "  audit = \"$EMU_DIR/audit\"; control = \"$EMU_DIR/lgemu.ctl\";"
	echo "  host_keys = [ \"$EMU_DIR/ssh_host_ed25519_key\","
	echo "      \"$EMU_DIR/ssh_host_rsa_key\" ];"
	echo "};"
	echo "routers = ("
	emu_router ios1 ios 3101 3201 ","
	emu_router xr1 iosxr 3102 3202 ","
	emu_router nxos1 nxos 3103 3203 ","
	emu_router junos1 junos 3104 3204 ","
	emu_router eos1 eos 3105 3205 ""
	echo ");"
} >"$W/fleet.conf"
if ! sh "$LG_TOP/tests/emulator/emu.sh" start "$W/fleet.conf" \
    >"$W/emu-start.log" 2>&1; then
	fail "emulator starts" "$(cat "$W/emu-start.log")"
	done_testing
	exit 1
fi
pass "emulator starts (ios1, xr1, nxos1, junos1, eos1)"

cat >"$W/credentials.conf" <<CRED
credentials = { emu = { username = "lg"; password = "lg-secret";
    enable = "lg-enable"; }; };
CRED
chmod 600 "$W/credentials.conf"

PORT=18080
mkdir -p "$W/www/sub"
echo '<!doctype html><title>lg</title>' >"$W/www/index.html"
echo 'body{}' >"$W/www/sub/style.css"
echo 'LGXSECRET' >"$W/secret.txt"
# Secrets beside the web root, and symlinks from inside it to them: no
# path may reach them.
ln -s "$W/credentials.conf" "$W/www/creds.conf"
ln -s "$W" "$W/www/up"
ln -s /etc/passwd "$W/www/passwd"
ln -s /dev/zero "$W/www/zero"
# Hidden files and something that is not a file, inside the web root.
echo 'LGXSECRET' >"$W/www/.env"
mkdir -p "$W/www/sub/.git"
echo 'LGXSECRET' >"$W/www/sub/.git/config"
mkfifo "$W/www/fifo"

router() {	# name driver transport port
	echo "  { name = \"$1\"; location = \"Lab\"; group = \"Emulated\";"
	echo "    driver = \"$2\"; transport = \"$3\"; host = \"127.0.0.1\";"
	echo "    port = $4; credential = \"emu\"; sessions = 2; }$5"
}
write_conf() {	# file bgp_summary-rate
	{
		cat <<CONF
broker: {
  socket = "$W/broker.sock"; admin_socket = "$W/admin.sock";
  drivers = "$LG_TOP/drivers"; credentials = "$W/credentials.conf";
  known_hosts = "$EMU_DIR/known_hosts"; audit_log = "$W/audit.log";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$W/www";
  rate = { bgp_route = "0"; route = "0"; bgp_community = "0";
           bgp_aspath = "0"; ping = "0"; traceroute = "0";
           bgp_neighbor_received = "0"; bgp_neighbor_advertised = "0";
           bgp_summary = "$2"; };
  cache = { bgp_route = 0; route = 0; bgp_community = 0; bgp_aspath = 0;
            bgp_summary = 0; ping = 0; traceroute = 0;
            bgp_neighbor_received = 0; bgp_neighbor_advertised = 0; };
  max_inflight = 1000; max_inflight_client = 1000; connection_timeout = 10;
  access_log = "$W/access.log";
  vrfs = [ "blue" ];
  # Staff's by default: public here, so that every public entry point
  # meets their hostile targets.
  staff_queries = [ "bgp_neighbors" ];
};
# The default types and a neighbor's routes (bgp_neighbors stays off).
policy: {
  queries = [ "bgp_route", "route", "bgp_community", "bgp_aspath",
              "bgp_summary", "ping", "traceroute", "mtr",
              "bgp_neighbor_received", "bgp_neighbor_advertised" ];
};
routers = (
CONF
		router ios1 cisco-ios telnet 3201 ","
		router xr1 cisco-iosxr ssh 3102 ","
		router nxos1 cisco-nxos telnet 3203 ","
		router junos1 juniper-junos ssh 3104 ","
		router eos1 arista-eos telnet 3205 ""
		echo ");"
	} >"$1"
}
write_conf "$W/lorgnette.conf" "3/min"

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    "$BIN/lgbrokerd" -d -f "$W/lorgnette.conf" >"$W/broker.log" 2>&1 &
BROKER_PID=$!
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    "$BIN/lgwebd" -d -f "$W/lorgnette.conf" >"$W/web.log" 2>&1 &
WEB_PID=$!

URL=http://127.0.0.1:$PORT
up() {
	python3 - "$URL" <<'EOF'
import json, sys, urllib.request
try:
    h = json.load(urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=2))
    r = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/routers",
                                         timeout=2))
except Exception:
    sys.exit(1)
sys.exit(0 if h.get("broker") == "connected" and
         all(x["state"] == "up" for x in r["routers"]) else 1)
EOF
}
n=0
until up; do
	n=$((n + 1))
	if [ $n -gt 300 ]; then
		fail "lgwebd and lgbrokerd up, every router up" \
		    "$(tail -20 "$W/web.log")" "$(tail -20 "$W/broker.log")"
		done_testing
		exit 1
	fi
	sleep 0.1
done
pass "lgwebd and lgbrokerd up, every router up"

python3 "$LG_TOP/tests/security/hostile.py" \
    --url "$URL" --cases "$LG_TOP/tests/security/cases" \
    --broker-socket "$W/broker.sock" --admin-socket "$W/admin.sock" \
    --lgctl "$BIN/lgctl" --emu-audit "$EMU_DIR/audit" \
    --broker-audit "$W/audit.log" --access-log "$W/access.log" \
    --broker-log "$W/broker.log" --web-log "$W/web.log" \
    --web-pid "$WEB_PID" --broker-pid "$BROKER_PID" \
    --hosts-suffix "$HSUF" --secret-dir "$W" \
    --tap-start "$TAP_N" --tap-state "$W/tap.state" \
    ${LG_HOSTILE_ONLY:+--only "$LG_HOSTILE_ONLY"}
rc=$?
if [ -n "${LG_HOSTILE_PAUSE:-}" ]; then	# debugging: nsenter -t PID -n -m
	cp -R "$EMU_DIR/audit" "$W/emu-audit"
	echo "# paused $LG_HOSTILE_PAUSE s: lgwebd pid $WEB_PID, $W"
	sleep "$LG_HOSTILE_PAUSE"
fi
if [ -f "$W/tap.state" ]; then
	read -r TAP_N TAP_FAILED <"$W/tap.state"
else
	fail "hostile.py ran to the end (exit $rc)"
fi

# Every daemon survived every case, and leaves cleanly.
stop() {	# name pid
	if ! kill -0 "$2" 2>/dev/null; then
		fail "$1 still running after the hostile cases"
		return
	fi
	dm_stop "$2" "$1 exits 0 on SIGTERM"
}
stop lgwebd "$WEB_PID"; WEB_PID=
stop lgbrokerd "$BROKER_PID"; BROKER_PID=
dm_clean "lgwebd: no sanitizer report" "$W/web.log"
dm_clean "lgbrokerd: no sanitizer report" "$W/broker.log"
emu_pid=$(cat "$EMU_DIR/lgemu.pid" 2>/dev/null)
ok "the emulator survived" kill -0 "$emu_pid"
unlike "lgemu: no sanitizer report" "$(cat "$EMU_DIR/lgemu.log")" \
    'ERROR: (Address|Leak)Sanitizer|runtime error'
if [ "${LG_KEEP:-0}" = 1 ]; then
	echo "# kept: $W"
fi

done_testing
